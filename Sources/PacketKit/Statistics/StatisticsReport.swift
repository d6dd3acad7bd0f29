/// Printing `CaptureStatistics`: an aligned text report and one JSON object.
///
/// Times in text are UTC ISO 8601 with microseconds (`2024-05-01T12:00:00.123456Z`); in
/// JSON they are strings of seconds since the Unix epoch with nine decimals
/// (`"1714564800.123456789"`), so no precision is lost.
extension CaptureStatistics {
  /// Writes the human report: summary, link types, protocol hierarchy and the `top`
  /// conversations by bytes, per IP pair and per TCP and UDP 5-tuple.
  public func writeText(to out: inout TextBuffer, top: Int) {
    let duration = durationNanoseconds
    var summary = TextTable(columns: [.left, .left])
    summary.add(["Packets", String(packets)])
    summary.add(["Bytes", String(bytes)])
    summary.add(["Captured bytes", String(capturedBytes)])
    summary.add(["First packet", firstTime.map { Self.isoText($0) } ?? "n/a"])
    summary.add(["Last packet", lastTime.map { Self.isoText($0) } ?? "n/a"])
    summary.add(["Duration", Self.secondsText(duration, decimals: 6) + " s"])
    if duration > 0 {
      let seconds = Double(duration) / 1e9
      summary.add(["Average packets/s", Self.fixedText(Double(packets) / seconds, decimals: 2)])
      summary.add(["Average bytes/s", Self.fixedText(Double(bytes) / seconds, decimals: 2)])
      summary.add(["Average bits/s", Self.fixedText(Double(bytes) * 8 / seconds, decimals: 2)])
    } else {
      summary.add(["Average packets/s", "n/a"])
      summary.add(["Average bytes/s", "n/a"])
      summary.add(["Average bits/s", "n/a"])
    }
    summary.add([
      "Average packet size",
      packets > 0 ? Self.fixedText(Double(bytes) / Double(packets), decimals: 2) + " bytes" : "n/a",
    ])
    summary.add(["Truncated frames", String(truncated)])
    summary.add(["Malformed frames", String(malformed)])
    if undecoded > 0 { summary.add(["Undecoded frames", String(undecoded)]) }
    out.append("Summary\n")
    summary.write(to: &out, indent: 2)

    out.append("\nLink types\n")
    var links = TextTable(columns: [.left, .right, .right])
    links.add(["Link type", "Packets", "Percent"])
    for entry in linkTypes {
      links.add([
        entry.linkType.description, String(entry.packets), percentText(entry.packets, of: packets),
      ])
    }
    links.write(to: &out, indent: 2)
    writeUndecodedNote(to: &out)

    out.append("\nProtocol hierarchy\n")
    var tree = TextTable(columns: [.left, .right, .right, .right, .right])
    tree.add(["Protocol", "Packets", "Percent", "Bytes", "Percent"])
    for node in protocols.nodes {
      tree.add([
        String(repeating: " ", count: 2 * node.depth) + node.name, String(node.packets),
        percentText(node.packets, of: packets), String(node.bytes),
        percentText(node.bytes, of: bytes),
      ])
    }
    tree.write(to: &out, indent: 2)
    writeApplicationsText(to: &out, top: top)

    for (kind, title) in [
      (ConversationTable.Kind.ip, "IP conversations"), (.tcp, "TCP conversations"),
      (.udp, "UDP conversations"),
    ] {
      let list = conversations.top(top, of: kind)
      let total = conversations.count(of: kind)
      out.append("\n")
      out.append(title)
      out.append(" (top ")
      out.append(decimal: list.count)
      out.append(" of ")
      out.append(decimal: total)
      out.append(" by bytes)\n")
      var table = TextTable(columns: [
        .left, .left, .right, .right, .right, .right, .right, .right, .right, .right,
      ])
      table.add([
        "A", "B", "Packets", "Bytes", "A->B pkts", "A->B bytes", "B->A pkts", "B->A bytes",
        "Rel start", "Duration",
      ])
      for conversation in list {
        let start = firstTime.map { conversation.firstTime.nanoseconds(since: $0) } ?? 0
        table.add([
          Self.endpointText(conversation.a, conversation.aPort, kind),
          Self.endpointText(conversation.b, conversation.bPort, kind),
          String(conversation.packets), String(conversation.bytes),
          String(conversation.packetsAToB), String(conversation.bytesAToB),
          String(conversation.packetsBToA), String(conversation.bytesBToA),
          Self.secondsText(start, decimals: 6),
          Self.secondsText(
            conversation.lastTime.nanoseconds(since: conversation.firstTime), decimals: 6),
        ])
      }
      table.write(to: &out, indent: 2)
    }
  }

  /// Writes one JSON object (snake_case keys) followed by a newline.
  public func writeJSON(to out: inout TextBuffer, top: Int) {
    let duration = durationNanoseconds
    out.append("{\"packets\":")
    out.append(decimal: packets)
    out.append(",\"bytes\":")
    out.append(decimal: bytes)
    out.append(",\"captured_bytes\":")
    out.append(decimal: capturedBytes)
    out.append(",\"first_time\":")
    Self.writeJSONTime(firstTime, to: &out)
    out.append(",\"last_time\":")
    Self.writeJSONTime(lastTime, to: &out)
    out.append(",\"duration\":")
    out.append(Self.secondsText(duration, decimals: 9))
    let seconds = Double(duration) / 1e9
    out.append(",\"packets_per_second\":")
    out.append(duration > 0 ? Self.fixedText(Double(packets) / seconds, decimals: 3) : "null")
    out.append(",\"bytes_per_second\":")
    out.append(duration > 0 ? Self.fixedText(Double(bytes) / seconds, decimals: 3) : "null")
    out.append(",\"link_types\":[")
    for (index, entry) in linkTypes.enumerated() {
      if index > 0 { out.append(",") }
      out.append("{\"link_type\":")
      out.append(decimal: entry.linkType.rawValue)
      out.append(",\"name\":\"")
      out.append(entry.linkType.name)
      out.append("\",\"packets\":")
      out.append(decimal: entry.packets)
      out.append("}")
    }
    out.append("],\"protocols\":[")
    for (index, node) in protocols.nodes.enumerated() {
      if index > 0 { out.append(",") }
      out.append("{\"path\":\"")
      out.append(node.path)
      out.append("\",\"packets\":")
      out.append(decimal: node.packets)
      out.append(",\"bytes\":")
      out.append(decimal: node.bytes)
      out.append("}")
    }
    out.append("],\"conversations\":{")
    for (kindIndex, (kind, key)) in [
      (ConversationTable.Kind.ip, "ip"), (.tcp, "tcp"), (.udp, "udp"),
    ].enumerated() {
      if kindIndex > 0 { out.append(",") }
      out.append("\"")
      out.append(key)
      out.append("\":[")
      for (index, conversation) in conversations.top(top, of: kind).enumerated() {
        if index > 0 { out.append(",") }
        out.append("{\"a\":\"")
        conversation.a.write(to: &out)
        out.append("\"")
        if kind != .ip {
          out.append(",\"a_port\":")
          out.append(decimal: conversation.aPort)
        }
        out.append(",\"b\":\"")
        conversation.b.write(to: &out)
        out.append("\"")
        if kind != .ip {
          out.append(",\"b_port\":")
          out.append(decimal: conversation.bPort)
        }
        out.append(",\"packets\":")
        out.append(decimal: conversation.packets)
        out.append(",\"bytes\":")
        out.append(decimal: conversation.bytes)
        out.append(",\"packets_a_to_b\":")
        out.append(decimal: conversation.packetsAToB)
        out.append(",\"bytes_a_to_b\":")
        out.append(decimal: conversation.bytesAToB)
        out.append(",\"packets_b_to_a\":")
        out.append(decimal: conversation.packetsBToA)
        out.append(",\"bytes_b_to_a\":")
        out.append(decimal: conversation.bytesBToA)
        out.append(",\"first_time\":")
        Self.writeJSONTime(conversation.firstTime, to: &out)
        out.append(",\"last_time\":")
        Self.writeJSONTime(conversation.lastTime, to: &out)
        out.append("}")
      }
      out.append("]")
    }
    out.append("}")
    writeApplicationsJSON(to: &out, top: top)
    out.append(",\"truncated\":")
    out.append(decimal: truncated)
    out.append(",\"malformed\":")
    out.append(decimal: malformed)
    if undecoded > 0 {
      // Only then, so the output for files rawtool decodes whole keeps its shape.
      out.append(",\"undecoded\":")
      out.append(decimal: undecoded)
    }
    out.append("}\n")
  }

  /// `  Layers not decoded: rawtool does not decode IEEE802_11 (105).` when some frames
  /// were only counted.
  func writeUndecodedNote(to out: inout TextBuffer) {
    guard undecoded > 0 else { return }
    let names = linkTypes.filter { !$0.linkType.isSupported }.map(\.linkType.description)
    out.append("  Layers not decoded: rawtool does not decode ")
    out.append(names.joined(separator: ", "))
    out.append(".\n")
  }

  // MARK: Formatting helpers (no Foundation)

  /// `part` as a percentage of `whole` with two decimals (`100.00%`).
  func percentText(_ part: Int, of whole: Int) -> String {
    guard whole > 0 else { return "n/a" }
    return Self.fixedText(Double(part) * 100 / Double(whole), decimals: 2) + "%"
  }

  /// `192.0.2.1`, `192.0.2.1:80` or `[2001:db8::1]:443`.
  static func endpointText(
    _ address: ConversationTable.Address, _ port: UInt16, _ kind: ConversationTable.Kind
  )
    -> String
  {
    switch (kind, address) {
    case (.ip, _): address.description
    case (_, .v4): "\(address):\(port)"
    case (_, .v6): "[\(address)]:\(port)"
    }
  }

  /// A JSON string of seconds with nine decimals, or `null`.
  static func writeJSONTime(_ time: Timestamp?, to out: inout TextBuffer) {
    guard let time else {
      out.append("null")
      return
    }
    out.append("\"")
    out.append(timeText(time))
    out.append("\"")
  }

  /// `S.NNNNNNNNN`: seconds since the epoch with nine decimals.
  static func timeText(_ time: Timestamp) -> String {
    if time.seconds < 0 && time.nanoseconds > 0 {
      // -1.5 s is stored as seconds -2, nanoseconds 500000000.
      return "-" + String(-(time.seconds + 1)) + "." + padded(1_000_000_000 - time.nanoseconds, 9)
    }
    return String(time.seconds) + "." + padded(time.nanoseconds, 9)
  }

  /// `nanoseconds` as seconds with `decimals` (≤ 9) digits, truncated.
  static func secondsText(_ nanoseconds: Int64, decimals: Int) -> String {
    let sign = nanoseconds < 0 ? "-" : ""
    let magnitude = nanoseconds.magnitude
    var fraction = magnitude % 1_000_000_000
    for _ in decimals..<9 { fraction /= 10 }
    let whole = sign + String(magnitude / 1_000_000_000)
    return decimals > 0 ? whole + "." + padded(fraction, decimals) : whole
  }

  /// A finite, non-negative double with `decimals` digits, rounded half up.
  static func fixedText(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return "n/a" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (value.magnitude * scale).rounded()
    guard scaled < 9e18 else { return String(value) }
    let integer = UInt64(scaled)
    let divisor = UInt64(scale)
    let sign = value < 0 && integer > 0 ? "-" : ""
    let whole = sign + String(integer / divisor)
    return decimals > 0 ? whole + "." + padded(integer % divisor, decimals) : whole
  }

  /// `value` in decimal, left-padded with zeros to `width` digits.
  static func padded<T: BinaryInteger>(_ value: T, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
  }

  /// UTC ISO 8601 with microseconds (truncated): `2024-05-01T12:00:00.123456Z`.
  static func isoText(_ time: Timestamp) -> String {
    let (days, secondOfDay) = floorDivision(time.seconds, 86_400)
    let (year, month, day) = civilDate(daysSinceEpoch: days)
    return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2) + "T"
      + padded(secondOfDay / 3600, 2) + ":" + padded(secondOfDay / 60 % 60, 2) + ":"
      + padded(secondOfDay % 60, 2) + "." + padded(time.nanoseconds / 1000, 6) + "Z"
  }

  static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
    let quotient = value / divisor
    let remainder = value % divisor
    return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
  }

  /// The proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's
  /// `civil_from_days`).
  static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = daysSinceEpoch + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}

/// A text table with aligned columns, two spaces apart (allocates; for reports only).
struct TextTable {
  enum Alignment { case left, right }

  let columns: [Alignment]
  private(set) var rows: [[String]] = []

  init(columns: [Alignment]) { self.columns = columns }

  mutating func add(_ row: [String]) { rows.append(row) }

  func write(to out: inout TextBuffer, indent: Int) {
    var widths = [Int](repeating: 0, count: columns.count)
    for row in rows {
      for (index, cell) in row.enumerated() where index < widths.count {
        widths[index] = max(widths[index], cell.count)
      }
    }
    for row in rows {
      var line = String(repeating: " ", count: indent)
      for (index, cell) in row.enumerated() where index < widths.count {
        let pad = String(repeating: " ", count: widths[index] - cell.count)
        if index > 0 { line += "  " }
        switch columns[index] {
        case .left: line += index == row.count - 1 ? cell : cell + pad
        case .right: line += pad + cell
        }
      }
      out.append(line)
      out.append("\n")
    }
  }
}
