import ArgumentParser

extension CompletionKind {
  /// The network interfaces of the machine (the names in /sys/class/net), listed by the shell
  /// when completing, without running rawtool.
  static let interfaces = CompletionKind.shellCommand("ls /sys/class/net 2>/dev/null")

  /// The interfaces, and `any` (every interface, as tcpdump's `-i any`).
  static let interfacesOrAny = CompletionKind.shellCommand(
    "ls /sys/class/net 2>/dev/null; echo any")
}
