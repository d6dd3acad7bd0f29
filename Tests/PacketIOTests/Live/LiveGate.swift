import Foundation
import PacketIO
import Testing

/// Whether PacketIO's live tests (network namespaces) can run here. With
/// RAWTOOL_REQUIRE_LIVE=1 (CI), a missing requirement is recorded as a failure instead of a
/// silent skip.
enum LiveGate {
  static var isAvailable: Bool {
    let reason = NetworkNamespace.unavailableReason
    if let reason, isRequired {
      Issue.record("RAWTOOL_REQUIRE_LIVE=1 but live tests cannot run: \(reason)")
    }
    return reason == nil
  }

  static var isRequired: Bool { ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_LIVE"] == "1" }

  /// The namespace-name prefix of this test target: `rtio` and the process id keep
  /// parallel runs apart.
  static let prefix = "rtio"
}
