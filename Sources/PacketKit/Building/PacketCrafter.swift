/// From a crafting expression's syntax tree to packets.
///
/// Layer names and aliases: `eth` (`ether`), `vlan` (`dot1q`, plus a `tpid` field for QinQ),
/// `arp`, `ipv4` (`ip`), `ipv6`, `tcp`, `udp`, `icmp`, `icmpv6`, `raw` (`payload`); field names
/// are the contract's (`sport` = `src_port`, `dport` = `dst_port`).
///
/// Expansion: a list (`ttl=[1,2,3]`), a range (`dport=20-25`, `src=192.0.2.1-192.0.2.9`) or a
/// prefix (`dst=192.0.2.0/30`, all its addresses) in an integer or address field gives one
/// packet per value, and several such fields give the cross product in scapy's order: outer
/// layers vary slowest; inside a layer the field that comes first on the wire varies fastest.
/// `random` draws a value per packet from SplitMix64 seeded with `seed`, from the field's
/// whole range; `random(lo-hi)` (`sport=random(1024-65535)`) or `random(prefix)`
/// (`src=random(192.0.2.0/24)`) draws from a range or a prefix. `random` values may stand in
/// a list (`ttl=[1, random(10-20)]`). `PacketGenerator` draws new values in every round
/// (`send -c N`).
public enum PacketCrafter {
  /// The contract name of the layer written as `name` (`ether` is `eth`, `payload` is `raw`),
  /// or nil when no layer has that name or alias.
  public static func canonicalName(_ name: String) -> String? { LayerSchema.named(name)?.name }

  /// The stacks `expression` stands for, in scapy's order: the first round of a
  /// `PacketGenerator` with this seed, cut into fragments when the expression has
  /// `fragment(...)`.
  ///
  /// - Throws: `ExpressionError` naming the layer, the field and the position of what is wrong,
  ///   or saying how many packets the expression expands to when that is more than `limit`.
  public static func stacks(
    from expression: PacketExpression, seed: UInt64 = 0, limit: Int = 65536
  ) throws(ExpressionError) -> [PacketStack] {
    var generator = try PacketGenerator(expression: expression, seed: seed, limit: limit)
    var stacks: [PacketStack] = []
    for stack in generator.nextRound() { stacks += try generator.fragments(of: stack) }
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
