// Fragmentation as scapy does it, byte for byte: `fragment(pkt, fragsize)` for IPv4
// (scapy/layers/inet.py) and `fragment6(pkt, fragSize)` for IPv6 (scapy/layers/inet6.py).
// The packet is built whole first, so the upper layer's length and checksum cover the whole
// datagram; its bytes after the IP header (IPv4) or after the fragment header (IPv6) are
// then cut into `raw` payloads under copies of the headers before them.

extension PacketStack {
  /// The fragments of the packet, as scapy's `fragment()` (IPv4) and `fragment6()` (IPv6)
  /// make them.
  ///
  /// IPv4 (`fragment(pkt, fragsize=size)`): `size` is the data per fragment, rounded down
  /// to a multiple of 8 (at least 8); the last fragment may carry up to `size` bytes. Every
  /// fragment copies the layers before the IP payload (options included), with MF set on
  /// all but the last (the last keeps the packet's own MF), the offset added to the
  /// packet's own, the protocol of the original payload, and total length and checksum
  /// computed.
  ///
  /// IPv6 (`fragment6(pkt, fragSize=size)`): `size` is the most bytes of each whole packet,
  /// every layer counted (Ethernet too). The fragment header is the IPv6 layer's first
  /// `fragment` extension when it has one, else one is put first in its extensions (as
  /// scapy puts it right after the fixed header). Extensions before it are in every
  /// fragment; those after it, and the upper layers, are cut into fragments of a multiple
  /// of 8 bytes (the last one shorter). A packet that fits is returned whole, with the
  /// header. The identification is `id`, else the fragment header's own (0 for one put in).
  ///
  /// - Parameters:
  ///   - size: the IPv4 fragment data size, or the IPv6 packet size, in bytes.
  ///   - layer: the index of the IP layer to fragment; nil: the first IPv4 or IPv6 layer.
  ///   - id: IPv6 only: the identification of the fragment header.
  /// - Returns: the fragments, each a stack ending in a `Payload`, in order.
  /// - Throws: `BuildError.invalidValue` (layer `fragment`) when there is no IP layer to
  ///   fragment, when `size` leaves no room for data, or when scapy would give no fragment;
  ///   or for a value the builder rejects.
  public func fragments(size: Int, layer: Int? = nil, id: UInt32? = nil) throws(BuildError)
    -> [PacketStack]
  {
    let index = layer ?? layers.firstIndex { $0.kind == .ipv4 || $0.kind == .ipv6 }
    guard let index, layers.indices.contains(index) else {
      throw Self.fragmentError("size", "\(size)", "needs an ipv4 or ipv6 layer to fragment")
    }
    switch layers[index] {
    case .ipv4(let ip):
      guard id == nil else {
        throw Self.fragmentError(
          FieldName.id.string, "\(id ?? 0)",
          "is for IPv6: an IPv4 fragment's id is the ipv4 layer's")
      }
      return try ipv4Fragments(ip, at: index, size: size)
    case .ipv6(let ip):
      return try ipv6Fragments(ip, at: index, size: size, id: id)
    default:
      throw Self.fragmentError(
        "size", "\(size)", "fragments an ipv4 or ipv6 layer, not \(layers[index].name)")
    }
  }

  static func fragmentError(_ field: String, _ value: String, _ reason: String) -> BuildError {
    .invalidValue(layer: "fragment", field: field, value: value, reason: reason)
  }

  /// Python's floor division, which scapy's fragment count relies on.
  static func floorDivide(_ a: Int, _ b: Int) -> Int {
    let quotient = a / b
    return a % b != 0 && (a < 0) != (b < 0) ? quotient - 1 : quotient
  }

  /// scapy's `fragment()`.
  func ipv4Fragments(_ ip: IPv4, at index: Int, size: Int) throws(BuildError) -> [PacketStack] {
    let fragmentSize = max(size, 8)
    let lastSize = fragmentSize
    let innerSize = fragmentSize - fragmentSize % 8
    let datagram = try PacketStack(Array(layers[index...])).build()
    let data = Array(datagram[min(ip.computedHeaderLength, datagram.count)...])
    let count = Self.floorDivide(data.count - lastSize + innerSize - 1, innerSize) + 1
    guard count > 0 else {
      throw Self.fragmentError(
        "size", "\(size)",
        "leaves no fragment for \(data.count) bytes of payload (scapy's fragment() gives none)")
    }
    var header = ip
    header.totalLength = nil
    header.checksum = nil
    header.protocol = ip.protocol ?? (index + 1 < layers.count ? layers[index + 1].ipProtocol : nil)
    var fragments: [PacketStack] = []
    for number in 0..<count {
      var copy = header
      let end: Int
      if number != count - 1 {
        copy.mf = true
        end = (number + 1) * innerSize
      } else {
        end = number * innerSize + lastSize
      }
      copy.fragmentOffset = ip.fragmentOffset + number * innerSize
      let start = min(number * innerSize, data.count)
      let chunk = Array(data[start..<min(max(end, start), data.count)])
      fragments.append(
        PacketStack(Array(layers[..<index]) + [.ipv4(copy), .payload(Payload(chunk))]))
    }
    return fragments
  }

  /// scapy's `fragment6()`.
  func ipv6Fragments(_ ip: IPv6, at index: Int, size: Int, id: UInt32?) throws(BuildError)
    -> [PacketStack]
  {
    var ip = ip
    let position: Int
    if let found = ip.extensions.firstIndex(where: { $0.kind == .fragment }) {
      position = found
      if let id { ip.extensions[found].id = id }
    } else {
      // As scapy: the header goes right after the fixed header, taking its next header.
      ip.extensions.insert(.fragment(id: id ?? 0, nextHeader: ip.nextHeader), at: 0)
      ip.nextHeader = nil
      ip.payloadLength = nil
      position = 0
    }
    var whole = self
    whole.layers[index] = .ipv6(ip)
    let packet = try whole.build()
    if packet.count <= size { return [whole] }

    // The fragmentable part: what follows the fragment header, to the end of the packet.
    var unfragmentableChain = 0
    for header in ip.extensions[...position] {
      var writer = ByteWriter(capacity: 64)
      try header.encode(into: &writer, next: 0)
      unfragmentableChain += writer.count
    }
    let datagram = try PacketStack(Array(layers[index...]).replacing(at: 0, with: .ipv6(ip)))
      .build()
    let fragmentableLength = datagram.count - 40 - unfragmentableChain
    let fragmentable = Array(packet.suffix(fragmentableLength))
    let unfragmentableLength = packet.count - fragmentableLength - 8
    let lastSize = size - unfragmentableLength - 8
    let innerSize = lastSize - lastSize % 8
    guard lastSize > 0, innerSize > 0 else {
      throw Self.fragmentError(
        "size", "\(size)",
        "is too small: each fragment needs more than \(unfragmentableLength + 8) bytes")
    }
    let following =
      position + 1 < ip.extensions.count
      ? ip.extensions[position + 1].kind.rawValue
      : (index + 1 < layers.count ? layers[index + 1].ipProtocol ?? 59 : 59)
    var fragmentHeader = ip.extensions[position]
    fragmentHeader.nextHeader = fragmentHeader.nextHeader ?? following
    var unfragmentable = ip
    unfragmentable.payloadLength = nil
    unfragmentable.extensions = Array(ip.extensions[..<position])

    var fragments: [PacketStack] = []
    var remaining = fragmentable[...]
    var offset = 0
    while true {
      let last = remaining.count <= lastSize
      let chunk = last ? remaining : remaining.prefix(innerSize)
      fragmentHeader.fragmentOffset = offset
      fragmentHeader.mf = !last
      var header = unfragmentable
      header.extensions.append(fragmentHeader)
      fragments.append(
        PacketStack(Array(layers[..<index]) + [.ipv6(header), .payload(Payload(Array(chunk)))]))
      if last { break }
      remaining = remaining.dropFirst(innerSize)
      offset += innerSize
    }
    return fragments
  }
}

extension Array {
  /// A copy with the element at `index` replaced.
  fileprivate func replacing(at index: Int, with element: Element) -> [Element] {
    var copy = self
    copy[index] = element
    return copy
  }
}
