import ArgumentParser
import PacketIO
import PacketKit

/// `rawtool interfaces [--json]`: the interfaces a capture can use, like `tcpdump -D`, with
/// index, MAC, addresses, MTU, flags and link type.
struct ListInterfaces: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "interfaces",
    abstract: "List network interfaces with their addresses, MTU, flags and link type.",
    discussion: """
      Needs no privileges. `any` (every interface, cooked) is listed last, as tcpdump -D does.

      Examples:
        rawtool interfaces
        rawtool interfaces --json | jq -r .name
      """
  )

  @Flag(name: .customLong("json"), help: "Print one JSON object per interface (ndjson).")
  var json = false

  func run() throws {
    let interfaces: [NetworkInterface]
    do {
      interfaces = try NetworkInterface.all()
    } catch {
      throw RuntimeFailure("\(error)")
    }
    var text = ""
    for (position, interface) in interfaces.enumerated() {
      text += json ? jsonLine(interface) : line(interface, position: position + 1)
      text += "\n"
    }
    if !json {
      text +=
        "\(interfaces.count + 1).any (Pseudo-device that captures on all interfaces) [Up, Running]\n"
    }
    StandardOutput.shared.buffer.append(text)
    StandardOutput.shared.flushOrExit()
  }

  /// `1.eth0 [Up, Running] index 2 mtu 1500 link EN10MB mac 02:… 192.0.2.1/24 2001:db8::1/64`.
  func line(_ interface: NetworkInterface, position: Int) -> String {
    var flags: [String] = []
    if interface.isUp { flags.append("Up") }
    if interface.isRunning { flags.append("Running") }
    if interface.isLoopback { flags.append("Loopback") }
    if interface.isPromiscuous { flags.append("Promiscuous") }
    var text = "\(position).\(interface.name) [\(flags.joined(separator: ", "))]"
    text += " index \(interface.index) mtu \(interface.mtu) link \(interface.linkType.name)"
    if let mac = interface.mac { text += " mac \(mac)" }
    for address in interface.addresses { text += " \(address)" }
    return text
  }

  /// One ndjson object: names as the flags and fields of the text form.
  func jsonLine(_ interface: NetworkInterface) -> String {
    var fields: [String] = []
    fields.append("\"name\":\"\(escaped(interface.name))\"")
    fields.append("\"index\":\(interface.index)")
    fields.append("\"mac\":" + (interface.mac.map { "\"\($0)\"" } ?? "null"))
    let addresses = interface.addresses.map { "\"\($0)\"" }.joined(separator: ",")
    fields.append("\"addresses\":[\(addresses)]")
    fields.append("\"mtu\":\(interface.mtu)")
    fields.append("\"up\":\(interface.isUp)")
    fields.append("\"running\":\(interface.isRunning)")
    fields.append("\"loopback\":\(interface.isLoopback)")
    fields.append("\"promiscuous\":\(interface.isPromiscuous)")
    fields.append("\"hardware_type\":\(interface.hardwareType)")
    fields.append("\"link_type\":\(interface.linkType.rawValue)")
    fields.append("\"link_type_name\":\"\(interface.linkType.name)\"")
    return "{" + fields.joined(separator: ",") + "}"
  }

  func escaped(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case _ where scalar.value < 0x20: out += "\\u00" + String(scalar.value, radix: 16).leftPad(2)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}

extension String {
  fileprivate func leftPad(_ width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
