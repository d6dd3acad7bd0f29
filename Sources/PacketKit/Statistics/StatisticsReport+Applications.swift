/// The application part of `stats`: packets per application protocol and the top DNS query
/// names and TLS server names. Each table is printed only when the capture has what it
/// counts, so the report of a capture without application layers is as before.
extension CaptureStatistics {
  /// The text tables: `Application protocols`, `DNS query names`, `TLS server names`.
  func writeApplicationsText(to out: inout TextBuffer, top: Int) {
    if !applications.isEmpty {
      out.append("\nApplication protocols\n")
      var table = TextTable(columns: [.left, .right, .right, .right, .right])
      table.add(["Protocol", "Packets", "Percent", "Bytes", "Percent"])
      for entry in applications.sorted(by: Self.byPackets) {
        table.add([
          entry.kind.name.description, String(entry.packets),
          percentText(entry.packets, of: packets), String(entry.bytes),
          percentText(entry.bytes, of: bytes),
        ])
      }
      table.write(to: &out, indent: 2)
    }
    for (names, title) in [
      (dnsQueryNames, "DNS query names"), (tlsServerNames, "TLS server names"),
    ]
    where names.total > 0 {
      let list = names.top(top)
      out.append("\n")
      out.append(title)
      out.append(" (top ")
      out.append(decimal: list.count)
      out.append(" of ")
      out.append(decimal: names.distinct)
      out.append(" by packets)\n")
      var table = TextTable(columns: [.left, .right, .right])
      table.add(["Name", "Packets", "Percent"])
      for (name, count) in list {
        table.add([name, String(count), percentText(count, of: names.total)])
      }
      table.write(to: &out, indent: 2)
    }
  }

  /// The JSON members, each only when not empty: `,"applications":[{"name","packets",
  /// "bytes"}]`, `,"dns_query_names":[{"name","packets"}]`, `,"tls_server_names":[...]`.
  func writeApplicationsJSON(to out: inout TextBuffer, top: Int) {
    if !applications.isEmpty {
      out.append(",\"applications\":[")
      for (index, entry) in applications.sorted(by: Self.byPackets).enumerated() {
        if index > 0 { out.append(",") }
        out.append("{\"name\":\"")
        out.append(entry.kind.name)
        out.append("\",\"packets\":")
        out.append(decimal: entry.packets)
        out.append(",\"bytes\":")
        out.append(decimal: entry.bytes)
        out.append("}")
      }
      out.append("]")
    }
    for (names, key) in [(dnsQueryNames, "dns_query_names"), (tlsServerNames, "tls_server_names")]
    where names.total > 0 {
      out.append(",\"")
      out.append(key)
      out.append("\":[")
      for (index, (name, count)) in names.top(top).enumerated() {
        if index > 0 { out.append(",") }
        out.append("{\"name\":")
        out.append(jsonString: name)
        out.append(",\"packets\":")
        out.append(decimal: count)
        out.append("}")
      }
      out.append("]")
    }
  }

  /// Most packets first, then most bytes, then by name.
  static func byPackets(_ lhs: ApplicationCount, _ rhs: ApplicationCount) -> Bool {
    if lhs.packets != rhs.packets { return lhs.packets > rhs.packets }
    if lhs.bytes != rhs.bytes { return lhs.bytes > rhs.bytes }
    return lhs.kind.rawValue < rhs.kind.rawValue
  }
}
