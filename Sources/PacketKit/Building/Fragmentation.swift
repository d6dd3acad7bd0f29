/// What `fragment(size=N)` asks in a crafting expression: cut every packet into fragments as
/// scapy's `fragment()` (IPv4) or `fragment6()` (IPv6) does (`PacketStack.fragments`).
///
/// It is written right after the IP layer it fragments, like a layer but not one:
/// `ipv4(dst=192.0.2.2) / fragment(size=16) / udp() / raw(length=100)` (16 bytes of data per
/// fragment); `ipv6(dst=2001:db8::2) / fragment(size=96, id=7) / udp() / raw(length=200)`
/// (packets of at most 96 bytes, identification 7; without `id`, a random one per packet
/// unless the IPv6 layer has a `fragment` extension, whose `id` is used). `craft --fragment N`
/// and `send --fragment N` put `fragment(size=N)` after the first IP layer.
public struct Fragmentation: Sendable, Hashable {
  /// IPv4: the data per fragment; IPv6: the most bytes of each packet (scapy's meanings).
  public var size: Int
  /// IPv6: the fragment header's identification; nil: see the type's discussion.
  public var id: UInt32?
  /// The index, in the stacks the expression gives, of the IP layer to fragment.
  public var layer: Int
  /// Offset of `fragment` in the expression's source, for errors.
  public var position: Int

  /// The pseudo-layer's name in expressions.
  public static let name = "fragment"

  /// Creates a request to fragment layer `layer` of each stack.
  public init(size: Int, id: UInt32? = nil, layer: Int, position: Int = 0) {
    self.size = size
    self.id = id
    self.layer = layer
    self.position = position
  }
}

extension PacketExpression {
  /// The expression without its `fragment(...)`, and what that asks (nil when absent).
  ///
  /// - Throws: `ExpressionError` for a second `fragment(...)`, one not right after an
  ///   `ipv4`/`ipv6` layer, a missing or bad `size`, or an unknown field.
  public func separatingFragmentation() throws(ExpressionError) -> (
    PacketExpression, Fragmentation?
  ) {
    var kept: [LayerExpression] = []
    var found: Fragmentation? = nil
    for layer in layers {
      guard layer.name == Fragmentation.name else {
        kept.append(layer)
        continue
      }
      guard found == nil else {
        throw ExpressionError(
          layer: layer.name, position: layer.position, message: "is given twice")
      }
      let previous = kept.last.flatMap { LayerSchema.named($0.name)?.name }
      guard previous == "ipv4" || previous == "ipv6" else {
        throw ExpressionError(
          layer: layer.name, position: layer.position,
          message: "comes right after the ipv4 or ipv6 layer it fragments")
      }
      if let positional = layer.positional {
        throw ExpressionError(
          layer: layer.name, position: positional.position,
          message: "takes fields as name=value: size, id")
      }
      var size: Int? = nil
      var id: UInt32? = nil
      for field in layer.fields {
        let conversion = ValueConversion(layer: layer.name, field: field.name)
        switch field.name {
        case "size": size = Int(try conversion.integer(field.value, max: 0xFFFF))
        case FieldName.id.string:
          guard previous == "ipv6" else {
            throw ExpressionError(
              layer: layer.name, field: field.name, position: field.position,
              message: "is for IPv6: an IPv4 fragment's id is the ipv4 layer's id")
          }
          id = UInt32(try conversion.integer(field.value, max: 0xFFFF_FFFF))
        default:
          throw ExpressionError(
            layer: layer.name, field: field.name, position: field.position,
            message: "unknown field \(field.name); fields of fragment: size, id")
        }
      }
      guard let size else {
        throw ExpressionError(
          layer: layer.name, position: layer.position,
          message: "needs size=N (IPv4: data per fragment; IPv6: bytes per packet)")
      }
      found = Fragmentation(size: size, id: id, layer: kept.count - 1, position: layer.position)
    }
    var expression = self
    expression.layers = kept
    return (expression, found)
  }

  /// The expression with `fragment(size=size)` after its first `ipv4` or `ipv6` layer
  /// (`craft --fragment N`).
  ///
  /// - Throws: `ExpressionError` when the expression already has `fragment(...)` or has no
  ///   IP layer.
  public func fragmenting(size: Int) throws(ExpressionError) -> PacketExpression {
    if let written = layers.first(where: { $0.name == Fragmentation.name }) {
      throw ExpressionError(
        layer: written.name, position: written.position,
        message: "give --fragment or fragment(...), not both")
    }
    guard
      let index = layers.firstIndex(where: {
        ["ipv4", "ipv6"].contains(LayerSchema.named($0.name)?.name)
      })
    else {
      throw ExpressionError(position: 0, message: "--fragment needs an ipv4 or ipv6 layer")
    }
    var expression = self
    let position = layers[index].position
    expression.layers.insert(
      LayerExpression(
        name: Fragmentation.name, position: position,
        fields: [
          FieldExpression(
            name: "size", position: position,
            value: ValueExpression(position: position, kind: .integer(UInt64(size))))
        ]), at: index + 1)
    return expression
  }
}

extension PacketGenerator {
  /// Whether `fragments(of:)` draws a random IPv6 fragment identification for every packet
  /// (no `id` given and no `fragment` extension to take it from): rounds then differ.
  public var drawsFragmentIDs: Bool {
    guard let fragmentation, fragmentation.id == nil, base.indices.contains(fragmentation.layer),
      case .ipv6(let ip) = base[fragmentation.layer]
    else { return false }
    return !ip.extensions.contains { $0.kind == .fragment }
  }

  /// The fragments of `stack` as the expression's `fragment(...)` asks, or `[stack]` when it
  /// has none. An IPv6 fragment header without a given `id` gets a random one from the
  /// generator's draws (scapy draws one too).
  ///
  /// - Throws: `ExpressionError` at `fragment(...)` (or at the field the builder rejects).
  public mutating func fragments(of stack: PacketStack) throws(ExpressionError) -> [PacketStack] {
    guard let fragmentation else { return [stack] }
    var id = fragmentation.id
    if id == nil,
      case .ipv6(let ip)? = stack.layers.indices.contains(fragmentation.layer)
        ? stack.layers[fragmentation.layer] : nil,
      !ip.extensions.contains(where: { $0.kind == .fragment })
    {
      id = UInt32(truncatingIfNeeded: generator.next())
    }
    do {
      return try stack.fragments(size: fragmentation.size, layer: fragmentation.layer, id: id)
    } catch {
      guard error.layer == Fragmentation.name else {
        throw PacketCrafter.expressionError(for: error, in: expression)
      }
      let reason: String =
        if case .invalidValue(_, _, let value, let reason) = error { "\(value) \(reason)" } else {
          ""
        }
      throw ExpressionError(
        layer: Fragmentation.name, field: error.field, position: fragmentation.position,
        message: reason)
    }
  }
}
