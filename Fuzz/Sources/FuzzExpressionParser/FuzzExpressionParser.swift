// Fuzz target: ExpressionParser and PacketCrafter on one crafting expression.
// Input: the expression as UTF-8 (invalid sequences become U+FFFD).
// Checks: parsing never traps or hangs; a parse error's position is within the source
// (0...character count); when it parses, PacketCrafter.packets(from:limit: 64) never traps
// (errors, e.g. more than 64 packets or a bad value, are expected, with a position within
// the source), and every packet built decodes and round-trips like the decoder target.
import FuzzSupport
import PacketKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let input = fuzzInput(start, count)
  let source = String(decoding: input, as: UTF8.self)
  let length = source.count
  let expression: PacketExpression
  do {
    expression = try ExpressionParser.parse(source)
  } catch {
    if !(0...length).contains(error.position) {
      fuzzFailure(
        "parse error position \(error.position) outside the source (\(length) characters): "
          + error.description, input: input)
    }
    _ = error.rendered(source: source)
    return 0
  }
  let packets: [[UInt8]]
  do {
    packets = try PacketCrafter.packets(from: expression, limit: 64)
  } catch {
    if !(0...length).contains(error.position) {
      fuzzFailure(
        "crafting error position \(error.position) outside the source (\(length) characters): "
          + error.description, input: input)
    }
    _ = error.rendered(source: source)
    return 0
  }
  if packets.count > 64 {
    fuzzFailure("\(packets.count) packets built, limit 64", input: input)
  }
  // Ethernet frames when the first layer is eth or vlan, IP packets for ipv4/ipv6; other
  // first layers are decoded as Ethernet (round trip holds for any bytes).
  let first = expression.layers.first?.name.lowercased() ?? ""
  let linkType: LinkType =
    ["ipv4", "ip", "ipv6"].contains(first) ? .raw : .ethernet
  for packet in packets {
    checkFrame(packet.span, linkType: linkType, wireLength: nil, input: input)
  }
  return 0
}
