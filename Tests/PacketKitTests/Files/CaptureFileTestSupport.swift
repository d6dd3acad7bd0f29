import Foundation
import Testing

@testable import PacketKit

/// Temporary files and hand-made capture-file bytes for the reader and writer tests.
enum CaptureFileTestSupport {
  /// This test process's folder of temporary files, removed when the process exits.
  static let directory: String = {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("rawtool-tests-\(getpid())").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: CaptureFileTestSupport.directory) }
    return path
  }()

  /// A fresh path in this process's temporary folder.
  static func temporaryPath(_ suffix: String = ".pcap") -> String {
    "\(directory)/\(UUID().uuidString)\(suffix)"
  }

  /// Writes `bytes` to a fresh temporary file and returns its path.
  static func file(_ bytes: [UInt8], suffix: String = ".pcap") -> String {
    let path = temporaryPath(suffix)
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
  }

  static func contents(_ path: String) -> [UInt8] {
    [UInt8](FileManager.default.contents(atPath: path) ?? Data())
  }

  struct Result {
    var records: [CaptureRecord] = []
    var packets: [[UInt8]] = []
    var error: CaptureFileError?
    var warnings: [String] = []
  }

  /// Reads every record of `path`, keeping the error that ended the read, if any.
  static func readAll(_ path: String) throws -> Result {
    var reader = try CaptureFileReader(path: path)
    return drain(&reader)
  }

  static func drain(_ reader: inout CaptureFileReader) -> Result {
    var result = Result()
    do {
      try reader.forEachRecord { record, bytes in
        result.records.append(record)
        var copy: [UInt8] = []
        for index in bytes.indices { copy.append(bytes[index]) }
        result.packets.append(copy)
        return true
      }
    } catch let error as CaptureFileError {
      result.error = error
    } catch {
      Issue.record("unexpected error \(error)")
    }
    result.warnings = reader.warnings
    return result
  }
}

/// Builds file bytes in a chosen byte order.
struct TestBytes {
  var bytes: [UInt8] = []
  var bigEndian: Bool

  init(bigEndian: Bool) { self.bigEndian = bigEndian }

  mutating func u8(_ value: UInt8) { bytes.append(value) }
  mutating func u16(_ value: UInt16) {
    let pair = [UInt8(value >> 8), UInt8(value & 0xFF)]
    bytes += bigEndian ? pair : pair.reversed()
  }
  mutating func u32(_ value: UInt32) {
    let quad = [
      UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF),
      UInt8(value & 0xFF),
    ]
    bytes += bigEndian ? quad : quad.reversed()
  }
  mutating func u64(_ value: UInt64) {
    if bigEndian {
      u32(UInt32(value >> 32))
      u32(UInt32(value & 0xFFFF_FFFF))
    } else {
      u32(UInt32(value & 0xFFFF_FFFF))
      u32(UInt32(value >> 32))
    }
  }
  mutating func raw(_ data: [UInt8]) { bytes += data }
  mutating func pad() { while bytes.count % 4 != 0 { bytes.append(0) } }

  /// An option: code, length, value padded to 4.
  mutating func option(_ code: UInt16, _ value: [UInt8]) {
    u16(code)
    u16(UInt16(value.count))
    raw(value)
    pad()
  }

  /// Appends a pcapng block of `type` around `body` (total length computed, or forced).
  mutating func block(
    _ type: UInt32, length: UInt32? = nil, trailer: UInt32? = nil, _ body: (inout TestBytes) -> Void
  ) {
    var inner = TestBytes(bigEndian: bigEndian)
    body(&inner)
    let total = length ?? UInt32(12 + inner.bytes.count)
    u32(type)
    u32(total)
    raw(inner.bytes)
    u32(trailer ?? total)
  }

  mutating func sectionHeader() {
    block(0x0A0D_0D0A) { body in
      body.u32(0x1A2B_3C4D)
      body.u16(1)
      body.u16(0)
      body.u64(UInt64.max)
    }
  }

  mutating func interface(
    linkType: UInt16, snapshotLength: UInt32 = 0, options: (inout TestBytes) -> Void = { _ in }
  ) {
    block(1) { body in
      body.u16(linkType)
      body.u16(0)
      body.u32(snapshotLength)
      options(&body)
    }
  }

  mutating func enhancedPacket(
    interface: UInt32, timestamp: UInt64, data: [UInt8], wireLength: UInt32? = nil,
    flags: UInt32? = nil
  ) {
    block(6) { body in
      body.u32(interface)
      body.u32(UInt32(timestamp >> 32))
      body.u32(UInt32(timestamp & 0xFFFF_FFFF))
      body.u32(UInt32(data.count))
      body.u32(wireLength ?? UInt32(data.count))
      body.raw(data)
      body.pad()
      if let flags {
        body.u16(2)
        body.u16(4)
        body.u32(flags)
        body.u32(0)
      }
    }
  }
}
