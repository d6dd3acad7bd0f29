import Foundation
import PacketKit
import TestSupport
import Testing

/// `rawtool read --json --hex F | rawtool craft --from-json - -w out` gives back every packet
/// whose record was captured whole (caplen = len), byte for byte: malformed layers (their
/// `hex`), layers an ICMP error's quote cuts short (their `hex`: the 8 bytes of TCP a router
/// quotes), undecodable TCP options (a `malformed` option), bytes after a TCP `eol`, raw data
/// after an IPv6 extension header (its `next_header`), and IPv6 in a LINKTYPE_IPV4 file. A
/// packet the capture cut short may be skipped, with a warning naming its line and its
/// truncated layer (`--keep-going`), or come back; a whole one skipped or changed fails.
@Suite("rawtool craft --from-json round trip")
struct CraftRoundTripTests {
  /// One record of a capture file.
  struct Record {
    var bytes: [UInt8]
    var capturedLength: Int
    var wireLength: Int
    var linkType: LinkType
    var isWhole: Bool { capturedLength == wireLength }
  }

  /// What a round trip of some files gave.
  struct Count: CustomStringConvertible {
    var files = 0
    var packets = 0
    /// Packets whose record was captured whole: each must come back byte for byte.
    var whole = 0
    var wholeRebuilt = 0
    /// Packets the capture cut short (caplen < len).
    var cutShort = 0
    var cutShortSkipped = 0
    var cutShortRebuilt = 0

    static func + (lhs: Count, rhs: Count) -> Count {
      Count(
        files: lhs.files + rhs.files, packets: lhs.packets + rhs.packets,
        whole: lhs.whole + rhs.whole, wholeRebuilt: lhs.wholeRebuilt + rhs.wholeRebuilt,
        cutShort: lhs.cutShort + rhs.cutShort,
        cutShortSkipped: lhs.cutShortSkipped + rhs.cutShortSkipped,
        cutShortRebuilt: lhs.cutShortRebuilt + rhs.cutShortRebuilt)
    }

    var description: String {
      "\(files) files, \(packets) packets: \(whole) captured whole, \(wholeRebuilt) of them "
        + "rebuilt byte for byte; \(cutShort) cut short by the capture (caplen < len): "
        + "\(cutShortSkipped) skipped, \(cutShortRebuilt) rebuilt"
    }
  }

  /// Every record of `path`.
  static func records(_ path: String) throws -> [Record] {
    var reader = try CaptureFileReader(path: path)
    var records: [Record] = []
    try reader.forEachRecord { record, bytes in
      records.append(
        Record(
          bytes: bytes.withUnsafeBufferPointer { Array($0) },
          capturedLength: record.capturedLength, wireLength: record.wireLength,
          linkType: record.linkType))
      return true
    }
    return records
  }

  /// The lines `craft --keep-going` skipped, from its warnings; anything else on stderr fails.
  static func skippedLines(_ stderr: String, _ name: String) -> [Int: String] {
    var skipped: [Int: String] = [:]
    for line in stderr.split(separator: "\n") {
      guard line.hasPrefix("rawtool: warning: line ") else {
        Issue.record("\(name): unexpected \(line)")
        continue
      }
      let rest = line.dropFirst("rawtool: warning: line ".count)
      let number = Int(rest.prefix { $0.isNumber }) ?? 0
      skipped[number] = String(rest.drop { $0.isNumber }.dropFirst(2))
    }
    return skipped
  }

  /// Reads `path` as JSON with hex, rebuilds it with `craft --from-json` into a file of
  /// extension `ext`, and compares every record.
  static func roundTrip(_ path: String, ext: String) throws -> Count {
    let name = Fixtures.name(path)
    let json = try Rawtool.run(["read", "--json", "--hex", path])
    #expect(json.status == 0, "\(name): \(json.stderr)")
    let out = FileManager.default.temporaryDirectory.appending(
      path: "rawtool-roundtrip-\(UUID().uuidString).\(ext)"
    ).path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let craft = try Rawtool.run(
      ["craft", "--from-json", "-", "--keep-going", "-w", out], stdin: json.stdout)
    #expect(craft.status == 0, "\(name): \(craft.stderr)")
    let skipped = skippedLines(craft.stderr, name)
    let original = try records(path)
    let rebuilt = (try? records(out)) ?? []
    #expect(rebuilt.count == original.count - skipped.count, "\(name)")

    // The same JSON too (time included), but for the frame number and an interface index
    // (pcapng gives every packet one).
    let strip = { (line: Substring) in
      line.replacing(/"number":\d+,/, with: "").replacing(/,"interface":\d+/, with: "")
    }
    let originalJSON = json.output.split(separator: "\n")
    let rebuiltJSON =
      ext == "pcapng"
      ? try Rawtool.run(["read", "--json", "--hex", out]).output.split(separator: "\n") : []

    var count = Count(files: 1, packets: original.count)
    var next = 0
    for (index, record) in original.enumerated() {
      if record.isWhole { count.whole += 1 } else { count.cutShort += 1 }
      if let reason = skipped[index + 1] {
        #expect(!record.isWhole, "\(name) packet \(index + 1), captured whole, skipped: \(reason)")
        if !record.isWhole { count.cutShortSkipped += 1 }
        continue
      }
      guard next < rebuilt.count else { break }
      let copy = rebuilt[next]
      // LOOP (108) gives its family big-endian; craft writes NULL (0), little-endian: the
      // bytes after the 4-byte family must be alike.
      let same =
        record.linkType == .loop
        ? copy.linkType == .null && copy.bytes.dropFirst(4) == record.bytes.dropFirst(4)
        : copy.bytes == record.bytes
      #expect(same, "\(name) packet \(index + 1) does not come back byte for byte")
      if ext == "pcapng" && index < originalJSON.count && next < rebuiltJSON.count {
        #expect(
          strip(rebuiltJSON[next]) == strip(originalJSON[index]), "\(name) packet \(index + 1)")
      }
      if same && record.isWhole { count.wholeRebuilt += 1 }
      if same && !record.isWhole { count.cutShortRebuilt += 1 }
      next += 1
    }
    return count
  }

  @Test("every fixture packet captured whole comes back byte for byte (pcap and pcapng)")
  func fixtures() throws {
    var total = Count()
    for path in Fixtures.all {
      for ext in path.hasSuffix(".pcapng") ? ["pcapng"] : ["pcap", "pcapng"] {
        let count = try Self.roundTrip(path, ext: ext)
        if ext == "pcapng" { total = total + count }
      }
    }
    print("round trip, Fixtures: \(total)")
    #expect(total.files == Fixtures.all.count && total.packets > 400)
    #expect(total.wholeRebuilt == total.whole)
    // The fixtures that cut packets short keep some of them for this test.
    #expect(total.cutShort > 0 && total.cutShortSkipped > 0)
  }

  @Test("every corpus packet captured whole comes back byte for byte (every subfolder)")
  func corpus() throws {
    guard Fixtures.corpusIsAvailable else { return }
    var total = Count()
    for path in Fixtures.everyCorpusCapture {
      total = total + (try Self.roundTrip(path, ext: "pcapng"))
    }
    print("round trip, corpus: \(total)")
    #expect(total.files == Fixtures.everyCorpusCapture.count && total.files >= 60)
    #expect(total.wholeRebuilt == total.whole)
  }
}
