/// A bad crafting expression: exit status 2 in the CLI.
///
/// `description` is one line naming the layer and the field when known; `rendered` adds
/// the expression and a caret under the column:
/// ```
/// rawtool: ipv4: field ttl: 300 is out of range 0...255
///   eth() / ipv4(ttl=300)
///                    ^
/// ```
public struct ExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The layer name as written, when the error is inside a layer.
  public var layer: String?
  /// The field name as written, when the error is about a field.
  public var field: String?
  /// Offset in the source of what is wrong, in characters from 0.
  public var position: Int
  /// What is wrong, e.g. `300 is out of range 0...255`.
  public var message: String

  /// An error at `position` (a UTF-8 offset in the expression), naming `layer` and `field` when
  /// known.
  public init(layer: String? = nil, field: String? = nil, position: Int, message: String) {
    self.layer = layer
    self.field = field
    self.position = position
    self.message = message
  }

  /// `ipv4: field ttl: 300 is out of range 0...255`, or `position 12: expected ')'`.
  public var description: String {
    switch (layer, field) {
    case (let layer?, let field?): "\(layer): field \(field): \(message)"
    case (let layer?, nil): "\(layer): \(message)"
    default: "column \(position + 1): \(message)"
    }
  }

  /// The description, then the source on its own line and a `^` under `position`.
  public func rendered(source: String) -> String {
    let column = min(position, source.count)
    return "\(description)\n  \(source)\n  \(String(repeating: " ", count: column))^"
  }
}
