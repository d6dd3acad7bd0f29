/// A field whose values have a shape of their own (DNS questions, DHCP options): the
/// protocol that owns it says how expressions and `--from-json` write it, so the expression
/// and JSON machinery need no case per such field.
struct StructuredFieldType: Sendable, Hashable {
  /// What the field takes, for messages (`a list of question(...)`).
  let description: String
  /// The value of an expression (`[question(name="example.com.", type=A)]`).
  let fromExpression:
    @Sendable (ValueExpression, ValueConversion) throws(ExpressionError) -> StructuredValue
  /// The value of a `read --json` member.
  let fromJSON: @Sendable (JSONValue, JSONLayer, String) throws(JSONPacketError) -> StructuredValue

  static func == (lhs: Self, rhs: Self) -> Bool { lhs.description == rhs.description }
  func hash(into hasher: inout Hasher) { hasher.combine(description) }
}

/// A value of a `StructuredFieldType`: whatever the owning protocol's builder keeps.
struct StructuredValue: @unchecked Sendable, Hashable {
  // SAFETY: built only from Sendable values by the owning protocol (its `fromExpression`
  // and `fromJSON` closures), and never mutated.
  let value: AnyHashable

  init<T: Hashable & Sendable>(_ value: T) { self.value = AnyHashable(value) }

  /// The value as `T`, when it is one.
  func `as`<T>(_ type: T.Type) -> T? { value.base as? T }
}
