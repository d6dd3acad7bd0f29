extension PacketExpression {
  /// The fields the expression writes in each layer, by their contract names (`sport` is
  /// `src_port`, `load` is `hex`; `raw("text")` gives `hex`): one set per layer, outermost
  /// first, so index `i` is the layer `i` of every stack `PacketCrafter.stacks(from:)` and
  /// `PacketGenerator` give (they have one layer per expression layer, `fragment(...)` aside).
  ///
  /// What is not in a set was left out, to be filled with a default: by crafting's fixed
  /// defaults, or, when sending, from the system (route, interface, neighbour table). A name
  /// no layer or field knows is kept as written (building the expression rejects it).
  public func givenFields() -> [Set<String>] {
    // `fragment(...)` is not a layer of the stacks.
    layers.filter { $0.name != Fragmentation.name }.map { layer in
      let schema = LayerSchema.named(layer.name)
      var names = Set(
        layer.fields.map { field in schema?.field(named: field.name)?.spec.name ?? field.name })
      if layer.positional != nil { names.insert(FieldName.hex.string) }
      return names
    }
  }
}
