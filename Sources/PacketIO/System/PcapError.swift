/// A libpcap failure, kept as data (no text formatted until it is shown): which function failed,
/// its status and libpcap's message (the `errbuf` or `pcap_geterr` text).
///
/// `description` is the one line the CLI prints. For a filter that does not compile it names
/// the expression and gives libpcap's reason: `bad filter expression "tcp port": syntax error`.
///
/// Equality and hashing ignore the free text (`message`), as errors are compared by kind.
public struct PcapError: Error, CustomStringConvertible, Hashable, Sendable {
  /// The libpcap function that failed (`pcap_compile`, `pcap_activate`, …).
  public var function: String
  /// The status it returned (`PCAP_ERROR` is -1), or -1 when it returned a null pointer.
  public var status: Int32
  /// libpcap's message, without a trailing newline.
  public var message: String
  /// The filter expression, for errors from compiling one; nil otherwise.
  public var filter: String?

  /// An error of libpcap's `function`, with its status, its message and the filter compiled, if
  /// any.
  public init(function: String, status: Int32, message: String, filter: String? = nil) {
    self.function = function
    self.status = status
    self.message = message
    self.filter = filter
  }

  /// The function and libpcap's message (the filter, for a bad filter), for stderr.
  public var description: String {
    if let filter {
      return "bad filter expression \"\(filter)\": \(message)"
    }
    if status == -8 || message.contains("Operation not permitted") {  // PCAP_ERROR_PERM_DENIED
      return "\(function): \(message) (\(SystemError.privilegeHint))"
    }
    return "\(function): \(message)"
  }

  /// Whether the two errors have the same function, status and filter (the message aside).
  public static func == (lhs: PcapError, rhs: PcapError) -> Bool {
    lhs.function == rhs.function && lhs.status == rhs.status && lhs.filter == rhs.filter
  }

  /// Hashes the function, the status and the filter.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(function)
    hasher.combine(status)
    hasher.combine(filter)
  }
}
