/// The packets of a crafting expression, round after round, with `random` values drawn anew
/// for every packet of every round.
///
/// A round is every packet the expression expands to, in scapy's order
/// (`PacketCrafter.stacks(from:seed:limit:)` is the first round). Sending `-c N` times takes
/// N rounds. The draws come from one SplitMix64 sequence seeded with `seed`, so the same seed
/// gives the same rounds; without `random` every round is the same.
///
/// ```swift
/// var generator = try PacketGenerator(
///   expression: ExpressionParser.parse("ipv4(dst=192.0.2.2) / udp(sport=random(1024-65535))"),
///   seed: 7)
/// let first = generator.nextRound()   // 1 packet
/// let second = generator.nextRound()  // another source port
/// ```
public struct PacketGenerator: Sendable {
  /// One field that takes more than one value, or a random one.
  struct Digit: Sendable {
    /// The index of the field's layer in the stack.
    let layer: Int
    let spec: FieldSpec
    let choices: FieldChoices
  }

  /// The expression, for locating build errors.
  let expression: PacketExpression
  /// The layers with every single-valued field applied.
  let base: [StackLayer]
  /// The varying fields, fastest-varying first: inner layers before outer ones, and in a
  /// layer the field that comes first on the wire first.
  let digits: [Digit]
  var generator: SplitMix64

  /// How many packets each round has (the product of the fields' value counts), before
  /// `fragment(...)` cuts them.
  public let packetsPerRound: Int
  /// What the expression's `fragment(...)` asks (`fragments(of:)` applies it), if any.
  public let fragmentation: Fragmentation?
  /// Whether some field draws a random value for every packet (rounds then differ).
  public let hasRandomFields: Bool
  /// How many rounds `nextRound()` has returned.
  public private(set) var roundsGenerated: Int = 0

  /// Prepares the rounds of `expression`.
  ///
  /// - Parameters:
  ///   - written: a parsed crafting expression (a `fragment()` in it is taken apart).
  ///   - seed: the seed of the random values.
  ///   - limit: the most packets a round may have.
  /// - Throws: `ExpressionError` naming the layer, the field and the position of what is
  ///   wrong, or saying how many packets the expression expands to when that is more than
  ///   `limit`.
  public init(expression written: PacketExpression, seed: UInt64 = 0, limit: Int = 65536)
    throws(ExpressionError)
  {
    let (expression, fragmentation) = try written.separatingFragmentation()
    self.fragmentation = fragmentation
    var base: [StackLayer] = []
    var varying: [Digit] = []
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
          FieldExpression(
            name: FieldName.hex.string, position: positional.position, value: positional), at: 0)
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
          varying.append(Digit(layer: index, spec: spec, choices: choices))
        } else {
          var unused = SplitMix64(seed: seed)
          spec.apply(&stackLayer, choices.value(at: 0, generator: &unused))
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
    self.expression = expression
    self.base = base
    self.digits = digits
    generator = SplitMix64(seed: seed)
    packetsPerRound = total
    hasRandomFields = digits.contains { $0.choices.isRandom }
  }

  /// The next round: every packet of the expression, with new random values.
  public mutating func nextRound() -> [PacketStack] {
    var stacks: [PacketStack] = []
    stacks.reserveCapacity(packetsPerRound)
    for packet in 0..<packetsPerRound {
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
    roundsGenerated += 1
    return stacks
  }

  /// The bytes of `stack`, one of this generator's stacks (filled in or fragmented, maybe).
  ///
  /// - Throws: `ExpressionError` for a value the builder rejects, located in the expression
  ///   at the layer and field it names.
  public func build(_ stack: PacketStack) throws(ExpressionError) -> [UInt8] {
    do {
      return try stack.build()
    } catch {
      throw PacketCrafter.expressionError(for: error, in: expression)
    }
  }

  /// The next round, built: the bytes of every packet of the expression, with new random
  /// values, cut into fragments when the expression has `fragment(...)`.
  ///
  /// - Throws: `ExpressionError` for a value the builder rejects (a `BuildError`), naming the
  ///   layer and field, as `PacketCrafter.packets(from:seed:limit:)`.
  public mutating func nextPackets() throws(ExpressionError) -> [[UInt8]] {
    var packets: [[UInt8]] = []
    for whole in nextRound() {
      for stack in try fragments(of: whole) { packets.append(try build(stack)) }
    }
    return packets
  }
}
