@testable import PacketKit

// Helpers for the expression parser tests: a compact rendering of the syntax tree (without
// positions, which `positionsPointAtTheirText` checks separately).

extension PacketExpression {
  /// `eth(src=mac 02:00:00:00:00:01) / raw(<"hello">)`: layers, fields and values, no positions.
  var shape: String {
    layers.map(\.shape).joined(separator: " / ")
  }
}

extension LayerExpression {
  var shape: String {
    var items = fields.map(\.shape)
    if let positional { items.append("<\(positional.shape)>") }
    return items.isEmpty ? name : "\(name)(\(items.joined(separator: ", ")))"
  }
}

extension FieldExpression {
  var shape: String { "\(name)=\(value.shape)" }
}

extension ValueExpression {
  var shape: String {
    switch kind {
    case .integer(let value): "\(value)"
    case .hex(let digits): "0x\(digits)"
    case .mac(let address): "mac \(address)"
    case .ipv4(let address): "ipv4 \(address)"
    case .ipv6(let address): "ipv6 \(address)"
    case .bool(let value): "\(value)"
    case .string(let bytes): "\"\(bytes.map(Self.escaped).joined())\""
    case .word(let word): word
    case .range(let low, let high): "range(\(low.shape), \(high.shape))"
    case .prefix(let address, let length): "prefix(\(address.shape), \(length))"
    case .tuple(let items): "(\(items.map(\.shape).joined(separator: ", ")))"
    case .list(let items): "[\(items.map(\.shape).joined(separator: ", "))]"
    case .assignment(let name, let value): "\(name)=\(value.shape)"
    case .call(let name, let fields): "\(name)(\(fields.map(\.shape).joined(separator: ", ")))"
    case .randomIn(let inner): "random(\(inner.shape))"
    }
  }

  private static func escaped(_ byte: UInt8) -> String {
    if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
      return String(UnicodeScalar(byte))
    }
    let digits = Array("0123456789abcdef")
    return "\\x\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)])"
  }

  /// Every value inside this one, this one first.
  var allValues: [ValueExpression] {
    switch kind {
    case .range(let low, let high): [self] + low.allValues + high.allValues
    case .prefix(let address, _): [self] + address.allValues
    case .tuple(let items), .list(let items): [self] + items.flatMap(\.allValues)
    case .assignment(_, let value): [self] + value.allValues
    case .call(_, let fields): [self] + fields.flatMap(\.value.allValues)
    case .randomIn(let inner): [self] + inner.allValues
    default: [self]
    }
  }
}
