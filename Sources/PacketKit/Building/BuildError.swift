/// A value the builder cannot put on the wire: exit status 2 in the CLI.
///
/// Building is strict, unlike decoding: every value is checked, and the error names the
/// layer and the field with the contract's names (`vlan`, `id`).
public enum BuildError: Error, Sendable, Hashable, CustomStringConvertible {
  /// `value` does not fit `field` of `layer`, for `reason` (e.g. `exceeds 4095`).
  case invalidValue(layer: String, field: String, value: String, reason: String)

  /// `vlan: field id: 5000 exceeds 4095`.
  public var description: String {
    switch self {
    case .invalidValue(let layer, let field, let value, let reason):
      "\(layer): field \(field): \(value) \(reason)"
    }
  }

  /// The layer named by the error.
  public var layer: String {
    switch self {
    case .invalidValue(let layer, _, _, _): layer
    }
  }

  /// The field named by the error.
  public var field: String {
    switch self {
    case .invalidValue(_, let field, _, _): field
    }
  }
}
