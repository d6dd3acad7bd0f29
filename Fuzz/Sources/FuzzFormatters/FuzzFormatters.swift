// Fuzz target: every PacketKit formatter on one decoded frame.
// Input: as FuzzDecoder — byte 0 selects the link type (fuzzLinkTypes[byte % 10]); the rest
// is the frame. The selector also varies the record's wire length, time and direction.
// Checks: decoding and formatting never trap (one-line, kept across inputs because it is
// stateful: delta/since-first timestamps and relative TCP sequence numbers; verbose; JSON
// with and without hex; hex dumps with and without the link layer and ASCII); the JSON text
// is exactly one line ending in "\n", with no raw control character (U+0000–U+001F, DEL).
import FuzzSupport
import PacketKit

// Stateful formatters, one of each timestamp style that depends on earlier packets.
nonisolated(unsafe) var oneLine = OneLineFormatter(timestampStyle: .delta, printLinkLayer: true)
nonisolated(unsafe) var oneLineSinceFirst = OneLineFormatter(
  timestampStyle: .sinceFirst, nanosecondPrecision: true)
nonisolated(unsafe) var oneLineDateTime = OneLineFormatter(
  timestampStyle: .dateTime, utcOffsetSeconds: -3600, absoluteSequence: true)
nonisolated(unsafe) var buffer = TextBuffer()
nonisolated(unsafe) var number = 0

let verbose = VerboseFormatter()
let json = JSONFormatter(includeHex: false)
let jsonHex = JSONFormatter(includeHex: true)
let hexDumps = [
  HexDumpFormatter(includeLinkLayer: false, ascii: false),
  HexDumpFormatter(includeLinkLayer: true, ascii: false),
  HexDumpFormatter(includeLinkLayer: false, ascii: true),
  HexDumpFormatter(includeLinkLayer: true, ascii: true),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let input = fuzzInput(start, count)
  guard let selector = input.first else { return 0 }
  let linkType = fuzzLinkTypes[Int(selector) % fuzzLinkTypes.count]
  let frame = Array(input.dropFirst())
  number += 1
  // Times go backwards now and then (delta timestamps must cope).
  let seconds = Int64(selector & 0x0F) * 86_400 + Int64(number % 7) - 3
  let directions: [CaptureRecord.Direction?] = [nil, .inbound, .outbound]
  let record = CaptureRecord(
    number: number, timestamp: Timestamp(seconds: 1_700_000_000 + seconds, nanoseconds: 999_999_999),
    capturedLength: frame.count, wireLength: frame.count + Int(selector >> 4) * 100,
    linkType: linkType, interfaceIndex: selector & 1 == 0 ? nil : Int(selector >> 5),
    interfaceName: selector & 2 == 0 ? nil : "eth\u{1}\"\\\(selector)",
    direction: directions[Int(selector >> 6) % 3])
  let bytes = frame.span
  let decoded = checkFrame(bytes, linkType: linkType, wireLength: record.wireLength, input: input)

  buffer.clear()
  oneLine.write(decoded, bytes: bytes, record: record, to: &buffer)
  oneLineSinceFirst.write(decoded, bytes: bytes, record: record, to: &buffer)
  oneLineDateTime.write(decoded, bytes: bytes, record: record, to: &buffer)
  verbose.write(decoded, bytes: bytes, record: record, to: &buffer)
  for dump in hexDumps { dump.write(decoded, bytes: bytes, record: record, to: &buffer) }

  for formatter in [json, jsonHex] {
    buffer.clear()
    formatter.write(decoded, bytes: bytes, record: record, to: &buffer)
    checkJSONLine(buffer.bytes, includeHex: formatter.includeHex, input: input)
  }
  if number % 4096 == 0 {
    // Keep the TCP sequence tables from growing for the whole run.
    oneLine.reset()
    oneLineSinceFirst.reset()
    oneLineDateTime.reset()
  }
  return 0
}

/// One ndjson line: non-empty, ends in "\n", no other newline and no raw control byte.
func checkJSONLine(_ line: [UInt8], includeHex: Bool, input: [UInt8]) {
  guard line.last == 0x0A, line.count > 1 else {
    fuzzFailure("JSON (hex \(includeHex)) does not end in a newline", input: input)
  }
  for (offset, byte) in line.dropLast().enumerated() where byte < 0x20 || byte == 0x7F {
    fuzzFailure(
      "JSON (hex \(includeHex)) has control byte 0x\(String(byte, radix: 16)) at \(offset): "
        + String(decoding: line, as: UTF8.self), input: input)
  }
  guard line.first == UInt8(ascii: "{"), line[line.count - 2] == UInt8(ascii: "}") else {
    fuzzFailure(
      "JSON (hex \(includeHex)) is not one object: " + String(decoding: line, as: UTF8.self),
      input: input)
  }
}
