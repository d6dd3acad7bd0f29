/// A packet rebuilt from one object of `rawtool read --json --hex` (the field names of `read
/// --json`).
///
/// The layers are taken in `frame.protocols` order (a repeated layer is an array, outermost
/// first) and become builder layers (`PacketStack`) with every field the object gives written
/// as is; a field left out is computed as in crafting expressions (delete `checksum` after
/// editing `dst` with jq and it is recomputed). So the bytes of a complete packet come back
/// exactly. Rules:
/// - `raw` needs `hex` (read with `--hex`) unless its `length` is 0.
/// - After `icmp`/`icmpv6` with a `raw` layer, `target` and `options` are ignored: they
///   describe the bytes of that `raw` layer (for neighbour discovery the target is taken
///   from the first 16 bytes of `raw`); without `raw` they are built.
/// - `eth.padding` is appended after everything; `sll`/`null` are written before.
/// - `checksum_valid` and `payload_length` are informational and ignored; a `truncated`
///   layer cut short by the capture cannot be rebuilt.
/// - A `malformed` layer, and a `truncated` one with `hex` (a layer cut by the end of an ICMP
///   error's quote, such as the 8 bytes of TCP a router quotes), is rebuilt from its `hex`
///   (read with `--hex`: the bytes from the layer's start to the end of the frame, Ethernet
///   padding apart), written as is after the layers before it; its other fields are ignored
///   and no layer may follow it.
/// - A TCP option of kind `malformed` writes its `hex` as is (the options `read` could not
///   decode); it ends the list. An `eol` option with `hex` (bytes after the end of the list
///   that are not zero) writes them after it.
/// - An IPv6 extension header's next header is its `next_header` when given, else it comes
///   from what follows; when a `raw` layer follows the last one, `next_header` is required.
public struct JSONPacket: Sendable, Hashable {
  /// The packet bytes, link-layer header first.
  public var bytes: [UInt8]
  /// The link type of the first layer: Ethernet, raw IP, Linux SLL/SLL2 or BSD NULL (IPv4 or
  /// IPv6 for a malformed IP header whose version nibble says otherwise).
  public var linkType: LinkType
  /// `frame.time`, when given.
  public var timestamp: Timestamp?
  /// `frame.len` when the frame was captured whole at that length, else the bytes' count.
  public var wireLength: Int
  /// `frame.interface` when it is a name.
  public var interfaceName: String?
  /// `frame.direction`.
  public var direction: CaptureRecord.Direction?

  /// Rebuilds the packet `object` describes.
  ///
  /// - Throws: `JSONPacketError` naming the layer (and field) that cannot be rebuilt.
  public init(_ object: JSONValue) throws(JSONPacketError) {
    var converter = JSONPacketConverter()
    self = try converter.packet(object)
  }

  init(
    bytes: [UInt8], linkType: LinkType, timestamp: Timestamp?, wireLength: Int,
    interfaceName: String?, direction: CaptureRecord.Direction?
  ) {
    self.bytes = bytes
    self.linkType = linkType
    self.timestamp = timestamp
    self.wireLength = wireLength
    self.interfaceName = interfaceName
    self.direction = direction
  }
}

/// Why a JSON packet object cannot be rebuilt.
public struct JSONPacketError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The layer (`ipv4`, `ipv4[1]` for the second of several), when the problem is in one.
  public var layer: String?
  /// The field, when the problem is about one.
  public var field: String?
  /// What is wrong.
  public var message: String

  /// An error about `layer` (and `field`), or about the whole object when both are nil.
  public init(layer: String? = nil, field: String? = nil, message: String) {
    self.layer = layer
    self.field = field
    self.message = message
  }

  /// `ipv4: field ttl: 300 is out of range 0...255`.
  public var description: String {
    switch (layer, field) {
    case (let layer?, let field?): "\(layer): field \(field): \(message)"
    case (let layer?, nil): "\(layer): \(message)"
    default: message
    }
  }
}
