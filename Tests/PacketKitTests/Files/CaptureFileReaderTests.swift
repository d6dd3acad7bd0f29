import Foundation
import Testing

@testable import PacketKit

@Suite("CaptureFileReader")
struct CaptureFileReaderTests {
  typealias Support = CaptureFileTestSupport

  /// A pcap file header (and records) in either byte order.
  static func pcap(
    bigEndian: Bool = false, magic: UInt32 = 0xA1B2_C3D4, snapshotLength: UInt32 = 65_535,
    linkType: UInt32 = 1,
    records: [(seconds: UInt32, fraction: UInt32, data: [UInt8], wire: UInt32?)] = []
  ) -> TestBytes {
    var file = TestBytes(bigEndian: bigEndian)
    file.u32(magic)
    file.u16(2)
    file.u16(4)
    file.u32(0)
    file.u32(0)
    file.u32(snapshotLength)
    file.u32(linkType)
    for record in records {
      file.u32(record.seconds)
      file.u32(record.fraction)
      file.u32(UInt32(record.data.count))
      file.u32(record.wire ?? UInt32(record.data.count))
      file.raw(record.data)
    }
    return file
  }

  static func error(reading bytes: [UInt8]) -> CaptureFileError? {
    do {
      _ = try Support.readAll(Support.file(bytes))
      return nil
    } catch let error as CaptureFileError {
      return error
    } catch {
      return nil
    }
  }

  // MARK: pcap vectors

  // Big-endian pcap, µs, snaplen 65535, link type 0x14000001 (FCS bits set, LINKTYPE_ETHERNET):
  // a1b2c3d4 0002 0004 00000000 00000000 0000ffff 14000001
  // 6553f100 00000001 00000004 00000004 deadbeef
  static let bigEndianPcap: [UInt8] = [
    0xA1, 0xB2, 0xC3, 0xD4, 0x00, 0x02, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0xFF, 0xFF,
    0x14, 0x00, 0x00, 0x01,
    0x65, 0x53, 0xF1, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04,
    0xDE, 0xAD, 0xBE, 0xEF,
  ]

  @Test("decodes a big-endian pcap vector, masking the link type")
  func decodesBigEndianPcap() throws {
    var reader = try CaptureFileReader(path: Support.file(Self.bigEndianPcap))
    #expect(reader.linkTypes == [.ethernet])
    #expect(reader.snapshotLength == 65_535)
    #expect(reader.nanosecondResolution == false)
    let result = Support.drain(&reader)
    #expect(result.error == nil)
    #expect(
      result.records == [
        CaptureRecord(
          number: 1, timestamp: Timestamp(seconds: 1_700_000_000, nanoseconds: 1_000),
          capturedLength: 4,
          wireLength: 4, linkType: .ethernet)
      ])
    #expect(result.packets == [[0xDE, 0xAD, 0xBE, 0xEF]])
  }

  @Test("decodes big-endian nanosecond pcap")
  func decodesBigEndianNanosecondPcap() throws {
    let file = Self.pcap(
      bigEndian: true, magic: 0xA1B2_3C4D, records: [(7, 999_999_999, [1, 2], nil)])
    let result = try Support.readAll(Support.file(file.bytes))
    #expect(result.records.first?.timestamp == Timestamp(seconds: 7, nanoseconds: 999_999_999))
  }

  @Test("malformed pcap files give exact errors")
  func malformedPcap() {
    #expect(Self.error(reading: []) == .emptyFile)
    #expect(CaptureFileError.emptyFile.description == "not a capture file: empty (0 bytes)")
    let gif = Self.error(
      reading: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00] + Array(repeating: 0, count: 20))
    #expect(
      gif?.description
        == "not a capture file: unknown format (magic 0x47494638; rawtool reads pcap and pcapng)")
    let cut = Self.error(reading: Array(Self.bigEndianPcap[0..<10]))
    #expect(cut?.description == "truncated file header, 10 of 24 bytes")
    var version = Self.pcap()
    version.bytes[4] = 3
    #expect(Self.error(reading: version.bytes)?.description == "unsupported pcap version 3.4")
    #expect(
      CaptureFileError.cannotOpen(path: "/nonexistent/x", errno: ENOENT).description
        == "cannot open /nonexistent/x: No such file or directory")
    #expect(throws: CaptureFileError.cannotOpen(path: "/nonexistent/x", errno: ENOENT)) {
      _ = try CaptureFileReader(path: "/nonexistent/x")
    }
  }

  @Test("a header-only pcap file has no records")
  func headerOnly() throws {
    let result = try Support.readAll(Support.file(Self.pcap().bytes))
    #expect(result.records.isEmpty && result.error == nil)
  }

  @Test("snaplen 0 is accepted and read on")
  func snaplenZero() throws {
    let file = Self.pcap(snapshotLength: 0, records: [(1, 0, [1, 2, 3], nil), (2, 0, [4], nil)])
    var reader = try CaptureFileReader(path: Support.file(file.bytes))
    #expect(reader.snapshotLength == 0)
    let result = Support.drain(&reader)
    #expect(result.packets == [[1, 2, 3], [4]])
    #expect(result.error == nil && result.warnings.isEmpty)
  }

  @Test("a record cut at end of file is reported after the whole records")
  func truncatedRecord() throws {
    var file = Self.pcap(records: [(1, 0, [1], nil), (2, 0, [2], nil)])
    file.u32(3)
    file.u32(0)
    file.u32(74)
    file.u32(74)
    file.raw(Array(repeating: 0, count: 30))
    let result = try Support.readAll(Support.file(file.bytes))
    #expect(result.packets == [[1], [2]])
    #expect(result.error?.description == "record 3: truncated at end of file, 30 of 74 bytes")

    var header = Self.pcap(records: [(1, 0, [1], nil)])
    header.raw([0, 0, 0, 0, 0, 0, 0])
    let cutHeader = try Support.readAll(Support.file(header.bytes))
    #expect(cutHeader.packets == [[1]])
    #expect(
      cutHeader.error?.description
        == "record 2: truncated record header at end of file, 7 of 16 bytes")
  }

  @Test("a huge caplen is an error, not an allocation")
  func hugeCapturedLength() throws {
    var file = Self.pcap(records: [(1, 0, [9], nil)])
    file.u32(1)
    file.u32(0)
    file.u32(3_000_000)
    file.u32(3_000_000)
    var reader = try CaptureFileReader(path: Support.file(file.bytes))
    let result = Support.drain(&reader)
    #expect(result.packets == [[9]])
    #expect(result.error?.description == "record 2: caplen 3000000 exceeds limit 1048576")
    // The error is sticky.
    #expect(
      throws: CaptureFileError.recordTooLarge(
        record: 2, capturedLength: 3_000_000, limit: 1_048_576)
    ) {
      try reader.forEachRecord { _, _ in true }
    }
  }

  @Test("caplen above wire length or snaplen is tolerated with one warning each")
  func lengthWarnings() throws {
    let file = Self.pcap(
      snapshotLength: 4,
      records: [(1, 0, Array(0..<10), 5), (2, 0, Array(0..<10), 5), (3, 0, [1], 1)])
    let result = try Support.readAll(Support.file(file.bytes))
    #expect(result.records.count == 3 && result.error == nil)
    #expect(
      result.warnings == [
        "record 1: caplen 10 exceeds wire length 5", "record 1: caplen 10 exceeds snaplen 4",
      ])
  }

  @Test("a record of the maximum size grows the buffer once")
  func largestRecord() throws {
    let big = [UInt8](repeating: 0x42, count: CaptureFileReader.maximumCapturedLength)
    let file = Self.pcap(
      snapshotLength: 0, records: [(1, 0, [1], nil), (2, 0, big, nil), (3, 0, [3], nil)])
    let result = try Support.readAll(Support.file(file.bytes))
    #expect(result.error == nil)
    #expect(result.records.map(\.capturedLength) == [1, big.count, 1])
    #expect(result.packets[1] == big)
  }

  @Test("stopping early and resuming")
  func stopAndResume() throws {
    let file = Self.pcap(records: (1...5).map { (UInt32($0), 0, [UInt8($0)], nil) })
    var reader = try CaptureFileReader(path: Support.file(file.bytes))
    var seen: [Int] = []
    try reader.forEachRecord { record, _ in
      seen.append(record.number)
      return record.number < 2
    }
    #expect(seen == [1, 2])
    try reader.forEachRecord { record, _ in
      seen.append(record.number)
      return true
    }
    #expect(seen == [1, 2, 3, 4, 5])
  }

  @Test("reads from a pipe")
  func readsPipe() throws {
    let file = Self.pcap(records: [(1, 0, [1, 2], nil), (2, 0, [3], nil)])
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    _ = file.bytes.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
    close(fds[1])
    defer { close(fds[0]) }
    var reader = try CaptureFileReader(fileDescriptor: fds[0])
    let result = Support.drain(&reader)
    #expect(result.packets == [[1, 2], [3]])
  }

  @Test("reads 100k records across many buffer refills", arguments: [false, true])
  func manyRecords(pcapng: Bool) throws {
    let path = Support.temporaryPath()
    let count = 100_000
    do {
      var packet = [UInt8](repeating: 0, count: 70)
      if pcapng {
        var writer = try PcapngWriter(path: path)
        for index in 0..<count {
          packet[0] = UInt8(truncatingIfNeeded: index)
          try writer.write(
            timestamp: Timestamp(seconds: Int64(index)), wireLength: 70, bytes: packet.span,
            linkType: .ethernet)
        }
      } else {
        var writer = try PcapWriter(path: path, linkType: .ethernet)
        for index in 0..<count {
          packet[0] = UInt8(truncatingIfNeeded: index)
          try writer.write(
            timestamp: Timestamp(seconds: Int64(index)), wireLength: 70, bytes: packet.span)
        }
      }
    }
    var reader = try CaptureFileReader(path: path)
    var records = 0
    var bytes = 0
    var ordered = true
    try reader.forEachRecord { record, data in
      ordered =
        ordered && record.number == records + 1 && record.timestamp.seconds == Int64(records)
        && data[0] == UInt8(truncatingIfNeeded: records)
      records += 1
      bytes += data.count
      return true
    }
    #expect(records == count)
    #expect(bytes == count * 70)
    #expect(ordered)
  }

  // MARK: pcapng vectors

  /// Big-endian pcapng: three interfaces with different link types and resolutions, then
  /// EPB, SPB, OPB, an unknown block and a name resolution block.
  static func bigEndianPcapng() -> TestBytes {
    var file = TestBytes(bigEndian: true)
    file.sectionHeader()
    file.interface(linkType: 1, snapshotLength: 8) { options in
      options.option(2, Array("eth0\0".utf8))
      options.u32(0)
    }
    file.interface(linkType: 101) { options in
      options.option(9, [9])
      options.option(14, [0, 0, 0, 0, 0, 0, 0, 100])
      options.u32(0)
    }
    file.interface(linkType: 113) { options in
      options.option(9, [0x83])  // 2^-3 s
    }
    file.enhancedPacket(
      interface: 1, timestamp: 1_700_000_000_123_456_789, data: [0x45, 0, 0, 20, 0])
    file.enhancedPacket(
      interface: 0, timestamp: 1_700_000_000_000_001, data: [1, 2], flags: 0x0000_0001)
    file.enhancedPacket(interface: 2, timestamp: 1_700_000_000 << 3 | 5, data: [7], flags: 2)
    file.block(0x0000_0BAD) { body in body.raw([1, 2, 3, 4, 5, 6, 7, 8]) }
    file.block(3) { body in  // SPB: wire length 10, cut to the IDB snaplen 8
      body.u32(10)
      body.raw(Array(0..<10))
      body.pad()
    }
    file.block(4) { body in body.u32(0) }  // NRB: end of records only
    file.block(2) { body in  // OPB on interface 1
      body.u16(1)
      body.u16(0)
      body.u32(1)  // 5 000 000 000 ns = 1 << 32 + 705 032 704
      body.u32(705_032_704)
      body.u32(3)
      body.u32(3)
      body.raw([9, 9, 9])
      body.pad()
    }
    return file
  }

  @Test("decodes a big-endian pcapng vector with mixed interfaces and blocks")
  func decodesBigEndianPcapng() throws {
    var reader = try CaptureFileReader(path: Support.file(Self.bigEndianPcapng().bytes))
    #expect(reader.format == .pcapng)
    #expect(reader.linkTypes == [.ethernet, .raw, .linuxSLL])
    #expect(reader.snapshotLength == 8)
    #expect(reader.nanosecondResolution == false)
    let result = Support.drain(&reader)
    #expect(result.error == nil)
    #expect(result.warnings.isEmpty)
    #expect(result.records.map(\.number) == [1, 2, 3, 4, 5])
    #expect(result.records.map(\.interfaceIndex) == [1, 0, 2, 0, 1])
    #expect(result.records.map(\.interfaceName) == [nil, "eth0", nil, "eth0", nil])
    #expect(result.records.map(\.linkType) == [.raw, .ethernet, .linuxSLL, .ethernet, .raw])
    #expect(result.records.map(\.direction) == [nil, .inbound, .outbound, nil, nil])
    #expect(
      result.records.map(\.timestamp) == [
        Timestamp(seconds: 1_700_000_100, nanoseconds: 123_456_789),
        Timestamp(seconds: 1_700_000_000, nanoseconds: 1_000),
        Timestamp(seconds: 1_700_000_000, nanoseconds: 625_000_000),
        Timestamp(seconds: 0),
        Timestamp(seconds: 105),
      ])
    #expect(result.records[3].capturedLength == 8 && result.records[3].wireLength == 10)
    #expect(result.packets == [[0x45, 0, 0, 20, 0], [1, 2], [7], Array(0..<8), [9, 9, 9]])
  }

  @Test("a second section may switch byte order and resets interfaces")
  func secondSection() throws {
    var little = TestBytes(bigEndian: false)
    little.sectionHeader()
    little.interface(linkType: 1)
    little.enhancedPacket(interface: 0, timestamp: 1_000_000, data: [1])
    var big = TestBytes(bigEndian: true)
    big.sectionHeader()
    big.interface(linkType: 229) { options in options.option(2, Array("v6".utf8)) }
    big.enhancedPacket(interface: 0, timestamp: 2_000_000, data: [2])
    big.enhancedPacket(interface: 1, timestamp: 3_000_000, data: [3])
    var reader = try CaptureFileReader(path: Support.file(little.bytes + big.bytes))
    let result = Support.drain(&reader)
    #expect(result.packets == [[1], [2]])
    #expect(result.records.map(\.linkType) == [.ethernet, .ipv6])
    #expect(result.records.map(\.interfaceName) == [nil, "v6"])
    #expect(result.records.map(\.timestamp.seconds) == [1, 2])
    #expect(reader.linkTypes == [.ethernet, .ipv6])
    #expect(result.error?.description == "record 3: interface 1 out of range (1 defined)")
  }

  /// SHB (28) + IDB (20) + one EPB with 4 data bytes (36): the next block is at offset 84.
  static func pcapngPrefix() -> TestBytes {
    var file = TestBytes(bigEndian: false)
    file.sectionHeader()
    file.interface(linkType: 1)
    file.enhancedPacket(interface: 0, timestamp: 0, data: [1, 2, 3, 4])
    return file
  }

  static func pcapngError(_ tail: (inout TestBytes) -> Void) throws -> (Int, String?) {
    var file = pcapngPrefix()
    #expect(file.bytes.count == 84)
    tail(&file)
    let result = try Support.readAll(Support.file(file.bytes, suffix: ".pcapng"))
    return (result.records.count, result.error?.description)
  }

  @Test("malformed pcapng blocks give exact errors after the whole records")
  func malformedPcapng() throws {
    #expect(
      try Self.pcapngError {
        $0.block(6, length: 33) { body in body.raw([0, 0, 0, 0, 0, 0, 0, 0, 0]) }
      }
        == (1, "block at offset 84: total length 33 is not a multiple of 4"))
    #expect(
      try Self.pcapngError { $0.block(6, length: 8) { _ in } }
        == (1, "block at offset 84: total length 8 is less than 12"))
    #expect(
      try Self.pcapngError { file in
        file.u32(6)
        file.u32(100)
        file.raw(Array(repeating: 0, count: 32))
      } == (1, "block at offset 84: truncated at end of file, 40 of 100 bytes"))
    #expect(
      try Self.pcapngError { $0.enhancedPacket(interface: 3, timestamp: 0, data: [1]) }
        == (1, "record 2: interface 3 out of range (1 defined)"))
    #expect(
      try Self.pcapngError { $0.block(0xBAD, trailer: 40) { body in body.u32(0) } }
        == (1, "block at offset 84: trailing length 40 differs from leading length 16"))
    #expect(
      try Self.pcapngError { $0.block(6) { body in body.u32(0) } }
        == (1, "block at offset 84: total length 16 too short for block type 0x00000006"))
    #expect(
      try Self.pcapngError { file in
        file.block(6) { body in
          for value: UInt32 in [0, 0, 0, 50, 50] { body.u32(value) }
          body.raw([1, 2, 3, 4])
        }
      } == (1, "record 2: caplen 50 exceeds its block at offset 84"))
    #expect(
      try Self.pcapngError { $0.raw([1, 2, 3]) }
        == (1, "block at offset 84: truncated at end of file, 3 of 12 bytes"))
    #expect(
      try Self.pcapngError { file in
        file.block(0x0A0D_0D0A) { body in
          body.raw([1, 2, 3, 4, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        }
      } == (1, "block at offset 84: bad byte-order magic 0x01020304"))
    // Unknown blocks, including one too large to buffer, are skipped.
    #expect(
      try Self.pcapngError { file in
        file.block(0x8000_0001) { body in body.raw(Array(repeating: 0, count: 1_200_000)) }
        file.block(0x0BAD) { _ in }
        file.enhancedPacket(interface: 0, timestamp: 0, data: [5])
      } == (2, nil))
  }

  @Test("a damaged first section header is a file-header error")
  func badSectionHeader() {
    var file = TestBytes(bigEndian: false)
    file.sectionHeader()
    file.bytes[8] = 0
    #expect(
      Self.error(reading: file.bytes)?.description
        == "block at offset 0: bad byte-order magic 0x003c2b1a")
    var short = TestBytes(bigEndian: false)
    short.sectionHeader()
    #expect(
      Self.error(reading: Array(short.bytes[0..<20]))?.description
        == "truncated file header, 20 of 28 bytes")
    var version = TestBytes(bigEndian: false)
    version.sectionHeader()
    version.bytes[12] = 2
    #expect(Self.error(reading: version.bytes)?.description == "unsupported pcapng version 2.0")
  }

  @Test("an error before the first packet is thrown by forEachRecord, not init")
  func errorBeforeFirstPacket() throws {
    var file = TestBytes(bigEndian: false)
    file.sectionHeader()
    file.block(1, length: 22) { body in body.raw(Array(repeating: 0, count: 10)) }
    var reader = try CaptureFileReader(path: Support.file(file.bytes))
    let result = Support.drain(&reader)
    #expect(
      result.error?.description == "block at offset 28: total length 22 is not a multiple of 4")
  }

  @Test(
    "if_tsresol conversions",
    arguments: [(UInt8, UInt64, Timestamp)]([
      (UInt8(3), UInt64(1_500), Timestamp(seconds: 1, nanoseconds: 500_000_000)),
      (6, 2_000_001, Timestamp(seconds: 2, nanoseconds: 1_000)),
      (9, 3_000_000_007, Timestamp(seconds: 3, nanoseconds: 7)),
      (12, 4_000_000_000_123_456, Timestamp(seconds: 4_000, nanoseconds: 123)),
      (0x80, 9, Timestamp(seconds: 9)),
      (0x83, 13, Timestamp(seconds: 1, nanoseconds: 625_000_000)),
      (0x9E, 3 << 30 | 1 << 29, Timestamp(seconds: 3, nanoseconds: 500_000_000)),
    ]))
  func resolutions(code: UInt8, units: UInt64, expected: Timestamp) {
    #expect(TimestampResolution(code: code).timestamp(units: units, offsetSeconds: 0) == expected)
  }

  @Test("timestamps print as the contract's frame.time and order by time")
  func timestampText() {
    #expect(
      Timestamp(seconds: 1_700_000_000, nanoseconds: 1_000).description == "1700000000.000001000")
    #expect(Timestamp(seconds: 1, nanoseconds: 999) < Timestamp(seconds: 1, nanoseconds: 1_000))
    #expect(Timestamp(seconds: 1, nanoseconds: 999_999_999) < Timestamp(seconds: 2))
  }
}
