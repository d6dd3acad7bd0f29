import Glibc
import PacketKit

extension Prober {
  /// Sends `packet` once and waits for its reply (scapy's `sr1`).
  ///
  /// - Returns: the outcome: `reply` is nil when none came within the configured timeout.
  /// - Throws: `SystemError` when sending or capturing fails.
  public mutating func sendAndReceive(_ packet: [UInt8]) throws(SystemError) -> Outcome {
    var outcome: Outcome? = nil
    _ = try run(count: 1, packet: { _ in packet }, report: { outcome = $0 })
    // run reports every probe it sent before returning, and it sent one.
    return outcome!
  }

  /// Sends `stack` once, with the fields still at their crafting defaults filled from the
  /// system as `rawtool send` fills them (IP source from the route, MACs from the interface
  /// and the neighbour table), and waits up to `timeout` for the reply (scapy's `sr1`).
  ///
  /// ```swift
  /// let outcome = try Prober.sendAndReceive(IPv4(dst: server) / ICMP(id: 7, seq: 1))
  /// #expect(outcome.reply != nil)
  /// ```
  ///
  /// - Parameters:
  ///   - stack: the packet; it starts with `Ethernet` (sent on the link layer) or with
  ///     `IPv4`/`IPv6` (sent on a raw IP socket).
  ///   - interface: the interface to send on; nil lets the route choose.
  ///   - timeout: how long to wait for the reply.
  /// - Throws: `SystemError`: no route, a neighbour that does not answer, no CAP_NET_RAW, a
  ///   stack that does not build (`EINVAL`, with the builder's reason).
  public static func sendAndReceive(
    _ stack: PacketStack, interface: NetworkInterface? = nil, timeout: Duration = .seconds(1)
  ) throws(SystemError) -> Outcome {
    var filled = stack
    let defaults = SendingDefaults(interface: interface)
    let chosen = try defaults.fill(&filled, given: filled.fieldsNotAtDefault)
    let bytes: [UInt8]
    do {
      bytes = try filled.build()
    } catch {
      throw SystemError(operation: "build", errno: EINVAL, detail: "\(error)")
    }
    var configuration = Configuration()
    configuration.timeoutNanoseconds = LiveCapture.nanoseconds(timeout)
    let linkLayer: Bool
    if case .ethernet? = filled.layers.first { linkLayer = true } else { linkLayer = false }
    var prober = try Prober(
      interface: chosen, linkLayer: linkLayer,
      ipVersion: filled.layers.contains { if case .ipv6 = $0 { true } else { false } } ? 6 : 4,
      configuration: configuration)
    return try prober.sendAndReceive(bytes)
  }
}

extension PacketStack {
  /// The fields the system may fill, per layer, that hold something else than their
  /// crafting default (so were set by the caller): the `given` sets of
  /// `SendingDefaults.fill(_:given:)` for a stack built in Swift.
  var fieldsNotAtDefault: [Set<String>] {
    layers.map { layer in
      var given: Set<String> = []
      switch layer {
      case .ethernet(let eth):
        if eth.src != .zero { given.insert(FieldName.src.string) }
        if eth.dst != .broadcast { given.insert(FieldName.dst.string) }
      case .arp(let arp):
        if arp.senderMAC != .zero { given.insert(FieldName.senderMAC.string) }
        if arp.senderIP != .any { given.insert(FieldName.senderIP.string) }
      case .ipv4(let ip):
        if ip.src != IPv4(dst: ip.dst).src { given.insert(FieldName.src.string) }
      case .ipv6(let ip):
        if ip.src != IPv6.loopback { given.insert(FieldName.src.string) }
      default:
        break
      }
      return given
    }
  }
}
