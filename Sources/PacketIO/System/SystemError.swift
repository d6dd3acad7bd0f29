import CPacketIO
import Glibc

/// A failed system call, kept as data (no text formatted until it is shown): the operation and its
/// `errno`.
///
/// `description` is one line — `socket(AF_PACKET): Operation not permitted (run as root or
/// `setcap cap_net_raw,cap_net_admin+eip <binary>`)` — and is what the CLI prints.
/// Equality compares the operation and the error number.
public struct SystemError: Error, CustomStringConvertible, Hashable, Sendable {
  /// What was attempted, in the C call's own words (`setsockopt(PACKET_FANOUT)`).
  public var operation: String
  /// The `errno` value it failed with (0 when the failure is not an errno, e.g. a check).
  public var errno: Int32
  /// Extra one-line detail when the failure is not a plain errno (an MTU check, a missing
  /// interface); nil otherwise.
  public var detail: String?

  /// The failure of `operation` with `errno`, and an optional detail (a hint, a path).
  public init(operation: String, errno: Int32, detail: String? = nil) {
    self.operation = operation
    self.errno = errno
    self.detail = detail
  }

  /// Whether the failure comes from a missing privilege (EPERM or EACCES).
  public var isPermissionDenied: Bool { errno == EPERM || errno == EACCES }

  /// The hint printed after a permission failure.
  public static let privilegeHint =
    "run as root or `setcap cap_net_raw,cap_net_admin+eip <binary>`"

  /// The operation and the detail, or `strerror`'s text for the errno (with a hint about
  /// privileges for EPERM and EACCES), for stderr.
  public var description: String {
    if let detail { return "\(operation): \(detail)" }
    let reason = String(cString: strerror(errno))
    if isPermissionDenied {
      return "\(operation): \(reason) (\(Self.privilegeHint))"
    }
    return "\(operation): \(reason)"
  }

  /// Whether the two errors have the same operation and errno (the detail aside).
  public static func == (lhs: SystemError, rhs: SystemError) -> Bool {
    lhs.operation == rhs.operation && lhs.errno == rhs.errno
  }

  /// Hashes the operation and the errno.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(operation)
    hasher.combine(errno)
  }
}
