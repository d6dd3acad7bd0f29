// Fuzz target: FrameDecoder on one frame.
// Input: byte 0 selects the link type (fuzzLinkTypes[byte % 10]); the rest is the frame.
// Checks: decode never traps; decode -> encode gives back the frame, both with the captured
// length as wire length and with a wire length larger than the bytes (a snaplen-cut frame).
import FuzzSupport
import PacketKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let input = fuzzInput(start, count)
  guard let selector = input.first else { return 0 }
  let linkType = fuzzLinkTypes[Int(selector) % fuzzLinkTypes.count]
  let frame = Array(input.dropFirst())
  checkFrame(frame.span, linkType: linkType, wireLength: nil, input: input)
  checkFrame(frame.span, linkType: linkType, wireLength: frame.count + 1 + Int(selector), input: input)
  checkFrame(frame.span, linkType: linkType, wireLength: 65_535, input: input)
  return 0
}
