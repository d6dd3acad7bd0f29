import PacketIO
import PacketKit

/// A BPF filter over records of possibly several link types; no expression selects everything.
struct CaptureFilter: ~Copyable {
  /// The compiled programs; an empty expression's set matches every frame without a program.
  var programs: BPFFilterSet

  /// Compiles `expression` (when not empty) for the file's first link type at once, so a
  /// bad expression is reported before any output (exit status 2).
  init(expression: String, firstLinkType: LinkType?) throws {
    var set = BPFFilterSet(filter: expression)
    if let firstLinkType, !set.isEmpty {
      // Compiling for the first link type now reports a bad expression before any output.
      do {
        _ = try set.matches([UInt8]().span, wireLength: 0, linkType: firstLinkType)
      } catch {
        throw UsageFailure("\(error)")
      }
    }
    programs = consume set
  }

  /// Whether the record passes the filter.
  @inline(__always)
  mutating func matches(_ bytes: Span<UInt8>, record: CaptureRecord) throws -> Bool {
    do {
      return try programs.matches(bytes, wireLength: record.wireLength, linkType: record.linkType)
    } catch {
      throw UsageFailure("\(error)")
    }
  }
}
