import Foundation
import Testing

@testable import PacketKit

/// An outside opinion on the builder's automatic checksums: every packet of `CraftVectors`
/// whose checksums and lengths were left to the builder goes into a pcap, and tshark (with
/// checksum validation on) must find no bad IPv4, TCP, UDP, ICMP or ICMPv6 checksum. The
/// vectors with a wrong checksum given on purpose are the control: tshark must flag each.
/// `decode(build(x))` with rawtool's own checks is PacketCrafterTests'; skipped without tshark.
@Suite("Crafted checksums against tshark")
struct CraftTsharkTests {
  static var tshark: String? {
    let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(
      separator: ":")
    let found = paths.map { "\($0)/tshark" }.first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
    if found == nil && ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_ORACLE"] == "1" {
      Issue.record("RAWTOOL_REQUIRE_ORACLE=1 but tshark is missing")
    }
    return found
  }

  static let badFilter =
    "ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0"
    + " || icmp.checksum.status == 0 || icmpv6.checksum.status == 0"

  /// Whether the vector leaves checksums and lengths to the builder.
  static func automatic(_ vector: CraftVector) -> Bool {
    // raw(length=N) is a payload size, not a length field.
    let fields = vector.expression.replacingOccurrences(of: "raw(length=", with: "raw(")
    return !fields.contains("checksum=") && !fields.contains("length=")
  }

  /// Writes the vectors' packets to an Ethernet and a raw-IP pcap; returns the paths and how
  /// many packets each holds.
  func write(_ vectors: [CraftVector], name: String) throws -> [(path: String, count: Int)] {
    var ethernet: [[UInt8]] = []
    var raw: [[UInt8]] = []
    for vector in vectors {
      let stacks = try PacketCrafter.stacks(from: ExpressionParser.parse(vector.expression))
      for stack in stacks {
        switch stack.layers.first {
        case .ethernet: ethernet.append(try stack.build())
        case .ipv4, .ipv6: raw.append(try stack.build())
        default: continue
        }
      }
    }
    var files: [(String, Int)] = []
    for (packets, linkType, suffix) in [(ethernet, LinkType.ethernet, "eth"), (raw, .raw, "raw")] {
      let path = FileManager.default.temporaryDirectory
        .appending(path: "rawtool-tshark-\(name)-\(suffix)-\(UUID().uuidString).pcap").path
      var writer = try PcapWriter(path: path, linkType: linkType)
      for packet in packets {
        try writer.write(
          timestamp: Timestamp(seconds: 1_700_000_000), wireLength: packet.count, bytes: packet.span
        )
      }
      try writer.flush()
      files.append((path, packets.count))
    }
    return files
  }

  /// The frame numbers tshark finds a bad checksum in.
  func badFrames(_ path: String, tshark: String) throws -> [String] {
    let process = Process()
    process.executableURL = URL(filePath: tshark)
    process.arguments = [
      "-r", path, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o",
      "udp.check_checksum:TRUE", "-Y", Self.badFilter, "-T", "fields", "-e", "frame.number",
    ]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return text.split(separator: "\n").map(String.init)
  }

  @Test("automatic checksums: tshark finds none bad")
  func automaticChecksums() throws {
    guard let tshark = Self.tshark else { return }
    let vectors = CraftVectors.all.filter(Self.automatic)
    #expect(vectors.count > 50)
    for file in try write(vectors, name: "auto") {
      defer { try? FileManager.default.removeItem(atPath: file.path) }
      #expect(file.count > 0)
      #expect(try badFrames(file.path, tshark: tshark) == [], "\(file.path)")
    }
  }

  @Test("control: the vectors with a wrong checksum are flagged by tshark")
  func wrongChecksums() throws {
    guard let tshark = Self.tshark else { return }
    let vectors = CraftVectors.all.filter { $0.name.hasSuffix("wrong-checksum") }
    #expect(vectors.count >= 4)
    var flagged = 0
    var total = 0
    for file in try write(vectors, name: "wrong") {
      defer { try? FileManager.default.removeItem(atPath: file.path) }
      flagged += try badFrames(file.path, tshark: tshark).count
      total += file.count
    }
    #expect(flagged == total)
  }
}
