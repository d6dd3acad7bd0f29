import PacketKit

/// A small parser for crafting expressions, for tests only, until the real
/// `ExpressionParser` is merged. Traps on syntax it does not know: a bug in the test.
struct TestExpressionParser {
  let chars: [Character]
  var index = 0

  static func parse(_ source: String) -> PacketExpression {
    var parser = TestExpressionParser(chars: Array(source))
    var layers: [LayerExpression] = []
    repeat {
      layers.append(parser.layer())
      parser.skip()
    } while parser.eat("/")
    precondition(parser.index == parser.chars.count, "trailing text in \(source)")
    return PacketExpression(layers: layers, source: source)
  }

  mutating func skip() { while index < chars.count, chars[index] == " " { index += 1 } }

  mutating func eat(_ c: Character) -> Bool {
    skip()
    guard index < chars.count, chars[index] == c else { return false }
    index += 1
    return true
  }

  mutating func word() -> (String, Int) {
    skip()
    let start = index
    while index < chars.count,
      chars[index].isLetter || chars[index].isNumber || ":._".contains(chars[index])
    {
      index += 1
    }
    return (String(chars[start..<index]), start)
  }

  mutating func layer() -> LayerExpression {
    let (name, position) = word()
    var fields: [FieldExpression] = []
    var positional: ValueExpression? = nil
    if eat("(") {
      if !eat(")") {
        repeat {
          let (fieldName, fieldPosition, value) = argument()
          if let fieldName {
            fields.append(FieldExpression(name: fieldName, position: fieldPosition, value: value))
          } else {
            positional = value
          }
        } while eat(",")
        precondition(eat(")"))
      }
    }
    return LayerExpression(name: name, position: position, fields: fields, positional: positional)
  }

  /// `name=value` or a value.
  mutating func argument() -> (String?, Int, ValueExpression) {
    skip()
    let save = index
    let (name, position) = word()
    if !name.isEmpty, !name.contains(":"), !name.contains("."), eat("=") {
      return (name, position, value())
    }
    index = save
    return (nil, position, value())
  }

  mutating func value() -> ValueExpression {
    skip()
    let start = index
    if eat("(") {
      var items: [ValueExpression] = []
      repeat { items.append(value()) } while eat(",")
      precondition(eat(")"))
      return ValueExpression(position: start, kind: .tuple(items))
    }
    if eat("[") {
      var items: [ValueExpression] = []
      if !eat("]") {
        repeat { items.append(listItem()) } while eat(",")
        precondition(eat("]"))
      }
      return ValueExpression(position: start, kind: .list(items))
    }
    if chars[index] == "\"" {
      index += 1
      var bytes: [UInt8] = []
      while chars[index] != "\"" {
        if chars[index] == "\\" {
          index += 1
          switch chars[index] {
          case "r": bytes.append(13)
          case "n": bytes.append(10)
          case "t": bytes.append(9)
          default: bytes += Array(String(chars[index]).utf8)
          }
        } else {
          bytes += Array(String(chars[index]).utf8)
        }
        index += 1
      }
      index += 1
      return ValueExpression(position: start, kind: .string(bytes))
    }
    let first = atom()
    if index < chars.count, chars[index] == "-" {
      index += 1
      return ValueExpression(position: start, kind: .range(first, atom()))
    }
    if index + 1 < chars.count, chars[index] == "/", chars[index + 1].isNumber {
      switch first.kind {
      case .ipv4, .ipv6:
        index += 1
        let (digits, _) = word()
        return ValueExpression(position: start, kind: .prefix(first, Int(digits)!))
      default: break
      }
    }
    return first
  }

  mutating func listItem() -> ValueExpression {
    skip()
    let save = index
    let (name, position) = word()
    if !name.isEmpty, name.first!.isLetter, !name.contains(":") {
      if eat("=") {
        return ValueExpression(position: position, kind: .assignment(name: name, value: value()))
      }
      if eat("(") {
        var fields: [FieldExpression] = []
        if !eat(")") {
          repeat {
            let (fieldName, fieldPosition, fieldValue) = argument()
            fields.append(
              FieldExpression(name: fieldName!, position: fieldPosition, value: fieldValue))
          } while eat(",")
          precondition(eat(")"))
        }
        return ValueExpression(position: position, kind: .call(name: name, fields: fields))
      }
    }
    index = save
    return value()
  }

  mutating func atom() -> ValueExpression {
    let (text, position) = word()
    let kind: ValueExpression.Kind
    if text.hasPrefix("0x") {
      kind = .hex(String(text.dropFirst(2)))
    } else if let number = UInt64(text) {
      kind = .integer(number)
    } else if text == "true" || text == "false" {
      kind = .bool(text == "true")
    } else if text.contains(":"), let mac = MACAddress(text), text.count == 17 {
      kind = .mac(mac)
    } else if text.contains(":"), let address = IPv6Address(text) {
      kind = .ipv6(address)
    } else if let address = IPv4Address(text) {
      kind = .ipv4(address)
    } else {
      kind = .word(text)
    }
    return ValueExpression(position: position, kind: kind)
  }
}
