/// From a crafting expression's syntax tree to packets (CONTRACT.md "Crafting expressions").
///
/// Layer names and aliases: `eth` (`ether`), `vlan` (`dot1q`, plus a `tpid` field for QinQ),
/// `arp`, `ipv4` (`ip`), `ipv6`, `tcp`, `udp`, `icmp`, `icmpv6`, `raw` (`payload`); field names
/// are the contract's (`sport` = `src_port`, `dport` = `dst_port`).
///
/// Expansion: a list (`ttl=[1,2,3]`), a range (`dport=20-25`, `src=192.0.2.1-192.0.2.9`) or a
/// prefix (`dst=192.0.2.0/30`, all its addresses) in an integer or address field gives one
/// packet per value, and several such fields give the cross product in scapy's order: outer
/// layers vary slowest; inside a layer the field that comes first on the wire varies fastest.
/// `random` draws a value per packet from SplitMix64 seeded with `seed`.
public enum PacketCrafter {
  /// The contract name of the layer written as `name` (`ether` is `eth`, `payload` is `raw`),
  /// or nil when no layer has that name or alias.
  public static func canonicalName(_ name: String) -> String? { LayerSchema.named(name)?.name }

  /// The stacks `expression` stands for, in scapy's order.
  ///
  /// - Throws: `ExpressionError` naming the layer, the field and the position of what is wrong,
  ///   or saying how many packets the expression expands to when that is more than `limit`.
  public static func stacks(
    from expression: PacketExpression, seed: UInt64 = 0, limit: Int = 65536
  ) throws(ExpressionError) -> [PacketStack] {
    var base: [StackLayer] = []
    // (layer index, field setter, choices), fastest-varying first once reversed below.
    var varying: [(layer: Int, spec: FieldSpec, choices: FieldChoices)] = []
    for (index, layer) in expression.layers.enumerated() {
      guard let schema = LayerSchema.named(layer.name) else {
        throw ExpressionError(
          layer: layer.name, position: layer.position,
          message:
            "unknown layer \(layer.name); layers: \(LayerSchema.all.map(\.name).joined(separator: ", "))"
        )
      }
      var stackLayer = schema.make()
      var given: [(order: Int, spec: FieldSpec, choices: FieldChoices)] = []
      var fields = layer.fields
      if let positional = layer.positional {
        guard schema.name == "raw" else {
          throw ExpressionError(
            layer: layer.name, position: positional.position,
            message: "takes fields as name=value; fields of \(schema.name): \(schema.fieldList)")
        }
        fields.insert(
          FieldExpression(name: "hex", position: positional.position, value: positional), at: 0)
      }
      for field in fields {
        guard let (order, spec) = schema.field(named: field.name) else {
          throw ExpressionError(
            layer: layer.name, field: field.name, position: field.position,
            message: "unknown field \(field.name); fields of \(schema.name): \(schema.fieldList)")
        }
        guard !given.contains(where: { $0.order == order }) else {
          throw ExpressionError(
            layer: layer.name, field: field.name, position: field.position,
            message: "field \(spec.name) is given twice")
        }
        let conversion = ValueConversion(layer: layer.name, field: field.name)
        given.append((order, spec, try conversion.choices(field.value, spec.type)))
      }
      // Fields are applied in the schema's order (rest before id and seq).
      for (_, spec, choices) in given.sorted(by: { $0.order < $1.order }) {
        if choices.expands {
          varying.append((index, spec, choices))
        } else {
          var generator = SplitMix64(seed: seed)
          spec.apply(&stackLayer, choices.value(at: 0, generator: &generator))
        }
      }
      base.append(stackLayer)
    }
    // Outer layers vary slowest; in a layer, the first field varies fastest.
    let digits = varying.enumerated().sorted { a, b in
      a.element.layer != b.element.layer ? a.element.layer > b.element.layer : a.offset < b.offset
    }.map(\.element)
    var total = 1
    for digit in digits {
      let (product, overflow) = total.multipliedReportingOverflow(by: digit.choices.count)
      total = overflow ? Int.max : product
    }
    guard total <= limit else {
      let count = total == Int.max ? "more than \(Int.max)" : "\(total)"
      throw ExpressionError(
        position: 0, message: "expands to \(count) packets, more than the limit of \(limit)")
    }
    var generator = SplitMix64(seed: seed)
    var stacks: [PacketStack] = []
    stacks.reserveCapacity(total)
    for packet in 0..<total {
      var layers = base
      var rest = packet
      // Apply slowest first so that the order of application matches the schema's order.
      var values: [(layer: Int, spec: FieldSpec, value: FieldValue)] = []
      for digit in digits {
        let count = digit.choices.count
        values.append(
          (digit.layer, digit.spec, digit.choices.value(at: rest % count, generator: &generator)))
        rest /= count
      }
      for value in values.reversed() { value.spec.apply(&layers[value.layer], value.value) }
      stacks.append(PacketStack(layers))
    }
    return stacks
  }

  /// The packets `expression` stands for, built, in scapy's order.
  ///
  /// - Throws: `ExpressionError` as `stacks(from:seed:limit:)`, or for a value the builder
  ///   rejects (a `BuildError`), naming the layer and field.
  public static func packets(
    from expression: PacketExpression, seed: UInt64 = 0, limit: Int = 65536
  ) throws(ExpressionError) -> [[UInt8]] {
    var packets: [[UInt8]] = []
    for stack in try stacks(from: expression, seed: seed, limit: limit) {
      do {
        packets.append(try stack.build())
      } catch {
        throw expressionError(for: error, in: expression)
      }
    }
    return packets
  }

  /// `error` located in `expression`: the first layer of the error's kind (or holding the
  /// extension header it names) and, when written there, the field.
  static func expressionError(for error: BuildError, in expression: PacketExpression)
    -> ExpressionError
  {
    let extensionNames = IPv6Extension.Kind.allCases.map(\.name)
    let layerName = extensionNames.contains(error.layer) ? "ipv6" : error.layer
    let layer = expression.layers.first { LayerSchema.named($0.name)?.name == layerName }
    let field = layer?.fields.first {
      LayerSchema.named(layerName)?.field(named: $0.name)?.spec.name == error.field
    }
    let reason: String = {
      guard case .invalidValue(_, _, let value, let reason) = error else { return "" }
      return "\(value) \(reason)"
    }()
    return ExpressionError(
      layer: layer?.name ?? error.layer, field: field?.name ?? error.field,
      position: field?.position ?? layer?.position ?? 0, message: reason)
  }
}
