import Testing

@testable import PacketKit

/// Malformed capture files: what the reader does with each, exactly (docs/robustness.md).
///
/// Cases already tested in `Files/CaptureFileReaderTests.swift` (empty file, bad magic,
/// header-only pcap, snaplen 0, caplen above snaplen or wire length, caplen above 1 MiB,
/// records and blocks cut short, bad block lengths, interface out of range, unknown blocks,
/// a second section in the other byte order, an unknown version in the first section) are
/// listed in docs/robustness.md and not repeated here.
@Suite("Malformed capture files")
struct MalformedFileTests {
  typealias Support = CaptureFileTestSupport

  /// Reads `bytes` as a file: records delivered, the error that ended the read (if any)
  /// and the warnings.
  static func read(_ bytes: [UInt8], suffix: String = ".pcap") throws -> (
    records: [CaptureRecord], packets: [[UInt8]], error: String?, warnings: [String]
  ) {
    let result = try Support.readAll(Support.file(bytes, suffix: suffix))
    return (result.records, result.packets, result.error?.description, result.warnings)
  }

  // MARK: pcap

  // a1b2c3d4 0002 0004 00000000 00000000 ffffffff 00000001, one 3-byte record.
  @Test("pcap snaplen 0xFFFFFFFF is accepted and records are read without warnings")
  func snaplenHuge() throws {
    let file = CaptureFileReaderTests.pcap(
      snapshotLength: 0xFFFF_FFFF, records: [(1, 0, [1, 2, 3], nil), (2, 0, [4], nil)])
    var reader = try CaptureFileReader(path: Support.file(file.bytes))
    #expect(reader.snapshotLength == 4_294_967_295)
    let result = Support.drain(&reader)
    #expect(result.packets == [[1, 2, 3], [4]])
    #expect(result.error == nil && result.warnings.isEmpty)
  }

  // Snaplen 262144; records of 1, 300000 and 1 bytes.
  @Test("pcap caplen above 256 KiB (and snaplen) is read whole with one warning")
  func caplenAbove256KiB() throws {
    let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0) }
    let file = CaptureFileReaderTests.pcap(
      snapshotLength: 262_144, records: [(1, 0, [1], nil), (2, 0, big, nil), (3, 0, [3], nil)])
    let result = try Self.read(file.bytes)
    #expect(result.packets.map(\.count) == [1, 300_000, 1])
    #expect(result.packets[1] == big)
    #expect(result.error == nil)
    #expect(result.warnings == ["record 2: caplen 300000 exceeds snaplen 262144"])
  }

  // One good record, then a record header with incl_len 0x00100001 and no data.
  @Test("pcap caplen of 1 MiB + 1 is rejected before reading its data")
  func caplenAboveLimitPcap() throws {
    var file = CaptureFileReaderTests.pcap(records: [(1, 0, [9], nil)])
    for value: UInt32 in [2, 0, 1_048_577, 1_048_577] { file.u32(value) }
    let result = try Self.read(file.bytes)
    #expect(result.packets == [[9]])
    #expect(result.error == "record 2: caplen 1048577 exceeds limit 1048576")
  }

  // MARK: pcapng

  // SHB (28 bytes) and nothing else.
  @Test("pcapng with only a section header has no records and no error")
  func pcapngHeaderOnly() throws {
    var file = TestBytes(bigEndian: false)
    file.sectionHeader()
    var reader = try CaptureFileReader(path: Support.file(file.bytes, suffix: ".pcapng"))
    #expect(reader.format == .pcapng)
    #expect(reader.linkTypes.isEmpty && reader.snapshotLength == 0)
    let result = Support.drain(&reader)
    #expect(result.records.isEmpty && result.error == nil && result.warnings.isEmpty)
  }

  // SHB, IDB, EPB whose captured length is 1 MiB + 1 (block of 1048612 bytes, all present).
  @Test("pcapng caplen of 1 MiB + 1 in a whole block is rejected")
  func caplenAboveLimitPcapng() throws {
    var file = CaptureFileReaderTests.pcapngPrefix()
    file.enhancedPacket(
      interface: 0, timestamp: 0, data: [UInt8](repeating: 7, count: 1_048_577))
    let result = try Self.read(file.bytes, suffix: ".pcapng")
    #expect(result.packets == [[1, 2, 3, 4]])
    #expect(result.error == "record 2: caplen 1048577 exceeds limit 1048576")
  }

  // A first section header block claiming 0x7FFFFFF0 bytes, in a 28-byte file (found by
  // FuzzPcapReader: the length used to be buffered before it was checked).
  @Test("pcapng first section header length far past end of file is rejected without buffering")
  func firstSectionLengthHuge() throws {
    var bytes: [UInt8] = [
      0x0A, 0x0D, 0x0D, 0x0A, 0xF0, 0xFF, 0xFF, 0x7F, 0x4D, 0x3C, 0x2B, 0x1A, 1, 0, 0, 0,
    ]
    bytes += [UInt8](repeating: 0xFF, count: 8) + [0x1C, 0, 0, 0]
    #expect(
      throws: CaptureFileError.blockTooLarge(offset: 0, length: 0x7FFF_FFF0, limit: 1_114_112)
    ) {
      _ = try CaptureFileReader(path: CaptureFileTestSupport.file(bytes, suffix: ".pcapng"))
    }
  }

  // Prefix (1 record), then an EPB header claiming 0xFFFFFFF0 bytes.
  @Test("pcapng packet block length far past end of file is rejected without buffering")
  func packetBlockLengthHuge() throws {
    var file = CaptureFileReaderTests.pcapngPrefix()
    file.u32(6)
    file.u32(0xFFFF_FFF0)
    file.raw([UInt8](repeating: 0, count: 20))
    let result = try Self.read(file.bytes, suffix: ".pcapng")
    #expect(result.records.count == 1)
    #expect(result.error == "block at offset 84: total length 4294967280 exceeds limit 1114112")
  }

  // Prefix (1 record), then an unknown block (0x00000BAD) claiming 0x7FFFFFFC bytes, 28 present.
  @Test("pcapng unknown block length far past end of file is streamed, then truncated")
  func unknownBlockLengthHuge() throws {
    var file = CaptureFileReaderTests.pcapngPrefix()
    file.u32(0x0BAD)
    file.u32(0x7FFF_FFFC)
    file.raw([UInt8](repeating: 0, count: 20))
    let result = try Self.read(file.bytes, suffix: ".pcapng")
    #expect(result.records.count == 1)
    #expect(result.error == "block at offset 84: truncated at end of file, 28 of 2147483644 bytes")
  }

  // SHB, then an EPB on interface 0 with no IDB.
  @Test("pcapng enhanced packet block before any interface block")
  func packetBeforeInterface() throws {
    var file = TestBytes(bigEndian: false)
    file.sectionHeader()
    file.enhancedPacket(interface: 0, timestamp: 0, data: [1])
    var reader = try CaptureFileReader(path: Support.file(file.bytes, suffix: ".pcapng"))
    #expect(reader.linkTypes.isEmpty)
    let result = Support.drain(&reader)
    #expect(result.records.isEmpty)
    #expect(result.error?.description == "record 1: interface 0 out of range (0 defined)")
  }

  // SHB, then a simple packet block (implicitly interface 0) with no IDB.
  @Test("pcapng simple packet block before any interface block")
  func simplePacketBeforeInterface() throws {
    var file = TestBytes(bigEndian: false)
    file.sectionHeader()
    file.block(3) { body in
      body.u32(1)
      body.raw([1, 0, 0, 0])
    }
    let result = try Self.read(file.bytes, suffix: ".pcapng")
    #expect(result.records.isEmpty)
    #expect(result.error == "record 1: interface 0 out of range (0 defined)")
  }

  // Prefix (1 record), then a second SHB with major version 2.
  @Test("pcapng second section header with unknown major version")
  func secondSectionUnknownVersion() throws {
    var file = CaptureFileReaderTests.pcapngPrefix()
    var second = TestBytes(bigEndian: false)
    second.sectionHeader()
    second.bytes[12] = 2
    file.raw(second.bytes)
    file.enhancedPacket(interface: 0, timestamp: 0, data: [5])
    let result = try Self.read(file.bytes, suffix: ".pcapng")
    #expect(result.packets == [[1, 2, 3, 4]])
    #expect(result.error == "unsupported pcapng version 2.0")
  }
}
