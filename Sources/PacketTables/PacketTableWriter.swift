import PacketKit

/// Writes packets as rows of a Parquet table (`rawtool read --parquet`): one row per packet,
/// the flat columns of `PacketTableWriter.columnNames`, nulls where a packet has no such
/// layer, zstd-compressed pages; texts and small integers dictionary-encoded, 64-bit integers
/// delta-encoded; row groups of `rowGroupRows` rows or about `rowGroupBytes` bytes.
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
/// Appending a row allocates nothing: it stores the row's values in a page of rows, which is
/// encoded and compressed when full. Memory holds one page of rows and the compressed pages
/// of one row group (written out when the group is complete), so it stays flat whatever the
/// input's length.
public struct PacketTableWriter: ~Copyable {
  /// The columns, in the file's order.
  public static let columnNames: [String] = schema.map(\.name)

  /// Rows a row group holds by default.
  public static let defaultRowGroupRows = 1 << 20

  /// Compressed bytes at which a row group ends by default, whatever its rows: 128 MiB,
  /// the size engines split files into.
  public static let defaultRowGroupBytes = 128 << 20

  /// Rows a data page holds.
  static let pageRows = 16_384

  private var file: ParquetFileWriter
  private var encoder: PageEncoder
  private var stage: PageStage
  private let chunks: [ColumnChunk]
  /// Every dictionary once (some columns share one).
  private let dictionaries: [any ColumnDictionary]
  private let protocols = TextDictionary()
  private let macs = AddressDictionary()
  private let addresses = AddressDictionary()
  private let dnsNames = TextDictionary()
  private let serverNames = TextDictionary()
  private let httpHosts = TextDictionary()
  private let httpMethods = TextDictionary()
  /// `conv_transport`'s two values, always at the same indices.
  private let transports = TextDictionary(preset: ["tcp", "udp"])
  private let rowGroupRows: Int
  private let rowGroupBytes: Int
  /// Rows in the row group being filled, before the page being filled.
  private var groupRows = 0
  /// Rows the page being filled ends at: a page ends with its row group.
  private var pageLimit: Int
  private var closed = false

  /// Creates (or truncates) the table at `path`.
  ///
  /// - Parameters:
  ///   - rowGroupRows: rows per row group at most (the unit an engine splits work by).
  ///   - rowGroupBytes: compressed bytes at which a row group ends before `rowGroupRows`
  ///     (checked a page at a time).
  ///   - compressionLevel: zstd's level (1, the default, is fastest of the usual levels and
  ///     as small as 3 on packet columns; 19 smallest).
  public init(
    path: String, rowGroupRows: Int = defaultRowGroupRows,
    rowGroupBytes: Int = defaultRowGroupBytes, compressionLevel: Int32 = 1
  ) throws(TableError) {
    guard let encoder = PageEncoder(rows: Self.pageRows, level: compressionLevel) else {
      throw TableError(path: path, reason: "zstd could not make a compression context")
    }
    let file = try ParquetFileWriter.create(path: path)
    self.file = file
    self.encoder = encoder
    stage = PageStage(columns: Self.schema.count, capacity: Self.pageRows)
    self.rowGroupRows = max(1, rowGroupRows)
    self.rowGroupBytes = max(1, rowGroupBytes)
    pageLimit = min(Self.pageRows, self.rowGroupRows)
    var dictionaries: [any ColumnDictionary] = [
      protocols, macs, addresses, dnsNames, serverNames, httpHosts, httpMethods, transports,
    ]
    let shared: [String: any ColumnDictionary] = [
      "protocols": protocols, "eth_src": macs, "eth_dst": macs, "ip_src": addresses,
      "ip_dst": addresses, "dns_qname": dnsNames, "tls_sni": serverNames,
      "http_host": httpHosts, "http_method": httpMethods, "conv_ip_src": addresses,
      "conv_ip_dst": addresses, "conv_transport": transports, "conv_src": addresses,
      "conv_dst": addresses,
    ]
    var chunks: [ColumnChunk] = []
    for column in Self.schema {
      switch column.kind {
      case .string:
        chunks.append(ColumnChunk(column, dictionary: shared[column.name]!))
      case .int32:
        let integers = IntDictionary()
        dictionaries.append(integers)
        chunks.append(ColumnChunk(column, dictionary: integers))
      case .int64, .boolean:
        chunks.append(ColumnChunk(column))
      }
    }
    self.chunks = chunks
    self.dictionaries = dictionaries
  }

  /// Appends one packet's row; `text` is the buffer its text ranges point into.
  public mutating func append(_ row: PacketRow, text: borrowing TextBuffer) throws(TableError) {
    text.withUnsafeBytes { store(row, text: $0) }
    stage.advance()
    if stage.count == pageLimit { try endPage() }
  }

  /// Stores the row's values in the stage's current row (and new texts in the
  /// dictionaries).
  private func store(_ row: borrowing PacketRow, text: UnsafeRawBufferPointer) {
    let stage = self.stage.row
    @inline(__always) func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
      UnsafeRawBufferPointer(rebasing: text[range])
    }
    @inline(__always) func integer(_ value: some BinaryInteger) -> UInt64 {
      UInt64(UInt32(bitPattern: Int32(clamping: value)))
    }
    @inline(__always) func integer(_ value: (some BinaryInteger)?) -> UInt64? {
      value.map { integer($0) }
    }
    @inline(__always) func long(_ value: some BinaryInteger) -> UInt64 {
      UInt64(bitPattern: Int64(value))
    }
    @inline(__always) func flag(_ value: Bool?) -> UInt64? { value.map { $0 ? 1 : 0 } }
    @inline(__always) func name(_ dictionary: TextDictionary, _ range: Range<Int>?) -> UInt64? {
      range.map { UInt64(dictionary.index(of: slice($0))) }
    }
    @inline(__always) func mac(_ address: MACAddress?) -> UInt64? {
      address.map { UInt64(macs.index(of: $0)) }
    }
    /// An address's index; the same as `known`'s when the address is `same`.
    @inline(__always) func address(
      _ address: PacketRow.Address?, same: PacketRow.Address? = nil, known: UInt64? = nil
    ) -> UInt64? {
      guard let address else { return nil }
      if let known, address == same { return known }
      return UInt64(addresses.index(of: address))
    }
    // The columns in the schema's order.
    stage.set(0, long(row.timeNanoseconds))
    stage.set(1, integer(row.frameLength))
    stage.set(2, integer(row.capturedLength))
    stage.set(3, UInt64(protocols.index(of: slice(row.protocols))))
    stage.set(4, mac(row.ethSource))
    stage.set(5, mac(row.ethDestination))
    stage.set(6, integer(row.ethType))
    stage.set(7, integer(row.vlanID))
    stage.set(8, integer(row.ipVersion))
    let ipSource = address(row.ipSource)
    let ipDestination = address(row.ipDestination)
    stage.set(9, ipSource)
    stage.set(10, ipDestination)
    stage.set(11, integer(row.ipTTL))
    stage.set(12, integer(row.ipProtocol))
    stage.set(13, flag(row.ipChecksumValid))
    stage.set(14, integer(row.sourcePort))
    stage.set(15, integer(row.destinationPort))
    stage.set(16, integer(row.tcpFlags))
    stage.set(17, row.tcpSeq.map { long($0) })
    stage.set(18, row.tcpAck.map { long($0) })
    stage.set(19, integer(row.tcpWindow))
    stage.set(20, integer(row.payloadLength))
    stage.set(21, flag(row.l4ChecksumValid))
    stage.set(22, name(dnsNames, row.dnsQueryName))
    stage.set(23, integer(row.dnsQueryType))
    stage.set(24, integer(row.dnsRcode))
    stage.set(25, name(serverNames, row.tlsServerName))
    stage.set(26, name(httpHosts, row.httpHost))
    stage.set(27, name(httpMethods, row.httpMethod))
    stage.set(28, integer(row.httpStatus))
    stage.set(29, long(row.frameNumber))
    let conversationSource = address(
      row.conversationIPSource, same: row.ipSource, known: ipSource)
    let conversationDestination = address(
      row.conversationIPDestination, same: row.ipDestination, known: ipDestination)
    stage.set(30, conversationSource)
    stage.set(31, conversationDestination)
    // `transports` holds tcp at 0 and udp at 1.
    stage.set(
      32, row.conversationTransport.flatMap { $0 == 6 ? 0 : $0 == 17 ? 1 : nil })
    stage.set(
      33,
      address(row.conversationSource, same: row.conversationIPSource, known: conversationSource))
    stage.set(
      34,
      address(
        row.conversationDestination, same: row.conversationIPDestination,
        known: conversationDestination))
    stage.set(35, integer(row.conversationSourcePort))
    stage.set(36, integer(row.conversationDestinationPort))
  }

  /// Writes what is buffered and the file's metadata, and closes it.
  public mutating func close() throws(TableError) {
    guard !closed else { return }
    closed = true
    if stage.count > 0 { try encodePage() }
    try endRowGroup()
    try file.finish(Self.schema, createdBy: "rawtool")
  }

  /// Encodes the full page; ends the row group when it has its rows or its bytes.
  private mutating func endPage() throws(TableError) {
    try encodePage()
    var bytes = 0
    for chunk in chunks { bytes += chunk.pages.count }
    for dictionary in dictionaries { bytes += dictionary.byteCount }
    if groupRows >= rowGroupRows || bytes >= rowGroupBytes { try endRowGroup() }
    pageLimit = min(Self.pageRows, rowGroupRows - groupRows)
  }

  private mutating func encodePage() throws(TableError) {
    for (index, chunk) in chunks.enumerated() {
      guard encoder.encodeDataPage(stage, column: index, into: chunk) else {
        throw TableError(path: file.path, reason: "zstd could not compress a page")
      }
    }
    groupRows += stage.count
    stage.clear()
  }

  private mutating func endRowGroup() throws(TableError) {
    try file.writeRowGroup(chunks, rows: groupRows, encoder: &encoder)
    for chunk in chunks { chunk.reset() }
    for dictionary in dictionaries { dictionary.reset() }
    groupRows = 0
  }

  // MARK: Schema

  /// The columns, in the file's order (`append` stores them by these positions).
  static let schema: [ParquetColumn] = [
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
