// Fuzz target: the JSON → packet path of `rawtool craft --from-json`.
// Input: one line of JSON, as `rawtool read --json --hex` prints it (bytes as they come).
// Checks: JSONParser never traps or hangs and a syntax error's offset lies within the
// input; when it parses, JSONPacket either refuses with an error or builds bytes, and the
// bytes built decode and round-trip like the decoder target.
import FuzzSupport
import PacketKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let input = fuzzInput(start, count)
  let value: JSONValue
  do {
    value = try JSONParser.parse(input)
  } catch {
    if !(0...input.count).contains(error.offset) {
      fuzzFailure("JSON error offset \(error.offset) outside the input (\(input.count) bytes)", input: input)
    }
    return 0
  }
  guard let packet = try? JSONPacket(value) else { return 0 }
  checkFrame(packet.bytes.span, linkType: packet.linkType, wireLength: nil, input: input)
  return 0
}
