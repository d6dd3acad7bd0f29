import PacketKit

/// The packets of an ndjson file printed by `rawtool read --json --hex` (possibly edited
/// with jq), for `send --from-json`: each line rebuilt by `JSONPacket`.
enum JSONPacketInput {
  /// Reads and rebuilds every packet of `path` (`-`: standard input), in order.
  ///
  /// - Throws: `UsageFailure` for a JSON syntax error (before anything is sent);
  ///   `RuntimeFailure` for an unreadable file or a packet that cannot be rebuilt, with its
  ///   line number.
  static func load(_ path: String) throws -> [JSONPacket] {
    var packets: [JSONPacket] = []
    for (line, value) in try objects(in: path, showingLine: false) {
      do {
        packets.append(try JSONPacket(value))
      } catch {
        throw RuntimeFailure("line \(line): \(error)")
      }
    }
    return packets
  }

  /// Every non-blank line of `path` (`-`: standard input) parsed as JSON, with its line
  /// number; all lines are parsed before any is used, so a syntax error comes before any
  /// output or sending.
  ///
  /// - Parameter showingLine: a syntax error also shows the line and a caret under the
  ///   column (`craft --from-json`).
  /// - Throws: `RuntimeFailure` for an unreadable file; `UsageFailure` for a syntax error.
  static func objects(in path: String, showingLine: Bool) throws -> [(
    line: Int, value: JSONValue
  )] {
    let data: [UInt8]
    do {
      data = try Craft.readFile(path)
    } catch {
      throw RuntimeFailure("cannot read \(path): \(error.message)")
    }
    var objects: [(line: Int, value: JSONValue)] = []
    var lineNumber = 0
    for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      lineNumber += 1
      var text = Array(line)
      if text.last == UInt8(ascii: "\r") { text.removeLast() }
      if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
      do {
        objects.append((lineNumber, try JSONParser.parse(text)))
      } catch {
        var message = "line \(lineNumber): column \(error.column): \(error.message)"
        if showingLine {
          message +=
            "\n  \(String(decoding: text, as: UTF8.self))\n  "
            + String(repeating: " ", count: error.column - 1) + "^"
        }
        throw UsageFailure(message)
      }
    }
    return objects
  }
}
