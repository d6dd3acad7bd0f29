import PacketKit

/// Writes packets as rows of a Parquet table (`rawtool read --parquet`): one row per packet,
/// the flat columns of `PacketTableWriter.columnNames`, nulls where a packet has no such
/// layer, zstd-compressed, dictionary-encoded texts, row groups of `rowGroupRows` rows.
///
/// ```swift
/// var table = try PacketTableWriter(path: "part-00000.parquet")
/// var row = PacketRow()
/// var text = TextBuffer()
/// // for each decoded frame:
/// text.clear()
/// row.fill(frame, record: record, bytes: bytes, text: &text)
/// try table.append(row, text: text)
/// // at the end:
/// try table.close()
/// ```
///
/// Memory holds one row group: about 60 bytes a row before compression, so the default of
/// 1,048,576 rows a group is some 64 MiB at most, whatever the input's length.
public struct PacketTableWriter: ~Copyable {
  /// The columns, in the file's order.
  public static let columnNames: [String] = makeColumns().map(\.name)

  /// Rows a row group holds by default.
  public static let defaultRowGroupRows = 1 << 20

  private var file: ParquetFileWriter
  private var columns: [ParquetColumn]
  private let rowGroupRows: Int
  private var closed = false

  /// Creates (or truncates) the table at `path`.
  ///
  /// - Parameters:
  ///   - rowGroupRows: rows per row group (the unit an engine splits work by).
  ///   - compressionLevel: zstd's level (1 fastest, 19 smallest; 3 by default).
  public init(path: String, rowGroupRows: Int = defaultRowGroupRows, compressionLevel: Int32 = 3)
    throws(TableError)
  {
    file = try ParquetFileWriter.create(path: path, compressionLevel: compressionLevel)
    columns = Self.makeColumns()
    self.rowGroupRows = max(1, rowGroupRows)
  }

  /// Appends one packet's row; `text` is the buffer its text ranges point into.
  public mutating func append(_ row: PacketRow, text: borrowing TextBuffer) throws(TableError) {
    text.withUnsafeBytes { text in
      func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: text[range])
      }
      var column = 0
      func next(_ body: (inout ParquetColumn) -> Void) {
        body(&columns[column])
        column += 1
      }
      next { $0.append(row.timeNanoseconds) }
      next { $0.append(Int32(clamping: row.frameLength)) }
      next { $0.append(Int32(clamping: row.capturedLength)) }
      next { $0.append(text: slice(row.protocols)) }
      next { $0.append(key: row.ethSource.map(Self.key), text: { row.ethSource!.description }) }
      next {
        $0.append(key: row.ethDestination.map(Self.key), text: { row.ethDestination!.description })
      }
      next { $0.append(row.ethType.map(Int32.init)) }
      next { $0.append(row.vlanID.map(Int32.init)) }
      next { $0.append(row.ipVersion.map(Int32.init)) }
      next { $0.append(key: row.ipSource.map(Self.key), text: { Self.text(row.ipSource!) }) }
      next {
        $0.append(key: row.ipDestination.map(Self.key), text: { Self.text(row.ipDestination!) })
      }
      next { $0.append(row.ipTTL.map(Int32.init)) }
      next { $0.append(row.ipProtocol.map(Int32.init)) }
      next { $0.append(row.ipChecksumValid) }
      next { $0.append(row.sourcePort.map(Int32.init)) }
      next { $0.append(row.destinationPort.map(Int32.init)) }
      next { $0.append(row.tcpFlags.map(Int32.init)) }
      next { $0.append(row.tcpSeq.map(Int64.init)) }
      next { $0.append(row.tcpAck.map(Int64.init)) }
      next { $0.append(row.tcpWindow.map(Int32.init)) }
      next { $0.append(row.payloadLength.map { Int32(clamping: $0) }) }
      next { $0.append(row.l4ChecksumValid) }
      next { column in
        if let name = row.dnsQueryName { column.append(text: slice(name)) } else { column.null() }
      }
      next { $0.append(row.dnsQueryType.map(Int32.init)) }
      next { $0.append(row.dnsRcode.map(Int32.init)) }
      for range in [row.tlsServerName, row.httpHost, row.httpMethod] {
        next { column in
          if let range { column.append(text: slice(range)) } else { column.null() }
        }
      }
      next { $0.append(row.httpStatus.map(Int32.init)) }
      next { $0.append(Int64(row.frameNumber)) }
      for address in [row.conversationIPSource, row.conversationIPDestination] {
        next { $0.append(key: address.map(Self.key), text: { Self.text(address!) }) }
      }
      next { column in
        switch row.conversationTransport {
        case 6?: column.append(key: AddressKey(high: 6, low: 0, kind: 255), text: { "tcp" })
        case 17?: column.append(key: AddressKey(high: 17, low: 0, kind: 255), text: { "udp" })
        default: column.null()
        }
      }
      for address in [row.conversationSource, row.conversationDestination] {
        next { $0.append(key: address.map(Self.key), text: { Self.text(address!) }) }
      }
      next { $0.append(row.conversationSourcePort.map(Int32.init)) }
      next { $0.append(row.conversationDestinationPort.map(Int32.init)) }
    }
    if columns[0].rows >= rowGroupRows { try flush() }
  }

  /// Writes what is buffered and the file's metadata, and closes it.
  public mutating func close() throws(TableError) {
    guard !closed else { return }
    closed = true
    try flush()
    try file.finish(columns, createdBy: "rawtool")
  }

  private mutating func flush() throws(TableError) {
    try file.writeRowGroup(columns)
    for index in columns.indices { columns[index].reset() }
  }

  // MARK: Schema

  private static func makeColumns() -> [ParquetColumn] {
    [
      ParquetColumn("frame_time_ns", .int64, required: true),
      ParquetColumn("frame_len", .int32, required: true),
      ParquetColumn("caplen", .int32, required: true),
      ParquetColumn("protocols", .string, required: true),
      ParquetColumn("eth_src", .string),
      ParquetColumn("eth_dst", .string),
      ParquetColumn("eth_type", .int32),
      ParquetColumn("vlan_id", .int32),
      ParquetColumn("ip_version", .int32),
      ParquetColumn("ip_src", .string),
      ParquetColumn("ip_dst", .string),
      ParquetColumn("ip_ttl", .int32),
      ParquetColumn("ip_protocol", .int32),
      ParquetColumn("ip_checksum_valid", .boolean),
      ParquetColumn("src_port", .int32),
      ParquetColumn("dst_port", .int32),
      ParquetColumn("tcp_flags", .int32),
      ParquetColumn("tcp_seq", .int64),
      ParquetColumn("tcp_ack", .int64),
      ParquetColumn("tcp_window", .int32),
      ParquetColumn("payload_length", .int32),
      ParquetColumn("l4_checksum_valid", .boolean),
      ParquetColumn("dns_qname", .string),
      ParquetColumn("dns_qtype", .int32),
      ParquetColumn("dns_rcode", .int32),
      ParquetColumn("tls_sni", .string),
      ParquetColumn("http_host", .string),
      ParquetColumn("http_method", .string),
      ParquetColumn("http_status", .int32),
      ParquetColumn("frame_number", .int64, required: true),
      ParquetColumn("conv_ip_src", .string),
      ParquetColumn("conv_ip_dst", .string),
      ParquetColumn("conv_transport", .string),
      ParquetColumn("conv_src", .string),
      ParquetColumn("conv_dst", .string),
      ParquetColumn("conv_src_port", .int32),
      ParquetColumn("conv_dst_port", .int32),
    ]
  }

  private static func key(_ mac: MACAddress) -> AddressKey {
    AddressKey(high: mac.rawValue, low: 0, kind: 0)
  }

  private static func key(_ address: PacketRow.Address) -> AddressKey {
    switch address {
    case .v4(let v4): AddressKey(high: UInt64(v4.rawValue), low: 0, kind: 4)
    case .v6(let v6): AddressKey(high: v6.high, low: v6.low, kind: 6)
    }
  }

  private static func text(_ address: PacketRow.Address) -> String {
    switch address {
    case .v4(let v4): v4.description
    case .v6(let v6): v6.description
    }
  }
}
