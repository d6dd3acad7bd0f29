import Foundation
import Testing

@testable import PacketKit

/// `rawtool read` of the fragments `fragment(size=N)` makes prints what `TZ=UTC tcpdump -nr`
/// prints, line for line: every `frag-` vector of CraftVectors goes into a pcap of its own
/// (raw IP or Ethernet, as its first layer says) and both read it. Skipped without tcpdump
/// (a failure under RAWTOOL_REQUIRE_ORACLE=1).
@Suite("Fragment lines against tcpdump")
struct FragmentTcpdumpTests {
  static var tcpdump: String? {
    let found = ["/usr/bin/tcpdump", "/usr/sbin/tcpdump"].first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
    if found == nil && ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_ORACLE"] == "1" {
      Issue.record("RAWTOOL_REQUIRE_ORACLE=1 but tcpdump is missing")
    }
    return found
  }

  /// The rawtool executable built beside this test bundle.
  static let rawtool: String = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
    return URL(filePath: exe).deletingLastPathComponent().appending(path: "rawtool").path
  }()

  func output(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(filePath: executable)
    process.arguments = arguments
    process.environment = ["TZ": "UTC", "PATH": "/usr/bin:/bin"]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  static let vectors = CraftVectors.all.filter { $0.name.hasPrefix("frag-") }

  @Test("at least 12 fragmentation vectors")
  func enoughVectors() {
    #expect(Self.vectors.count >= 12)
  }

  @Test("read prints tcpdump's lines", arguments: vectors)
  func sameLines(vector: CraftVector) throws {
    guard let tcpdump = Self.tcpdump,
      FileManager.default.isExecutableFile(atPath: Self.rawtool)
    else { return }
    let stacks = try PacketCrafter.stacks(from: ExpressionParser.parse(vector.expression))
    let linkType: LinkType =
      if case .ethernet = stacks.first?.layers.first { .ethernet } else { .raw }
    let path = FileManager.default.temporaryDirectory
      .appending(path: "rawtool-fragments-\(vector.name)-\(UUID().uuidString).pcap").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    var writer = try PcapWriter(path: path, linkType: linkType)
    for (index, stack) in stacks.enumerated() {
      let packet = try stack.build()
      try writer.write(
        timestamp: Timestamp(seconds: 1_700_000_000 + Int64(index)), wireLength: packet.count,
        bytes: packet.span)
    }
    try writer.flush()
    let expected = try output(tcpdump, ["-nr", path])
    #expect(!expected.isEmpty)
    #expect(try output(Self.rawtool, ["read", path]) == expected)
  }
}
