import ArgumentParser
@preconcurrency import Glibc
import PacketKit

/// `rawtool craft EXPR` / `rawtool craft --from-json FILE`: build packets and print or write them.
///
/// Packets are printed decoded, as `rawtool read` prints them (one line each by default), or
/// written with `-w`. `--hex` without `--json` prints each packet as one line of hex; with
/// `--json` it includes payload hex, as for `read`.
///
/// `raw(file="path")` is resolved here, not in PacketKit: the file's bytes replace the field
/// before the expression reaches the (pure) crafter.
struct Craft: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "craft",
    abstract: "Build packets from a crafting expression or from rawtool's JSON.",
    discussion: """
      EXPR is a crafting expression: layers stacked with /, outermost first, each with \
      optional fields as name=value (`ipv4(dst=192.0.2.2, ttl=1) / udp(dport=53)`); several \
      words are joined with spaces. Values: integers (decimal or 0x hex), MAC and IP \
      addresses, true/false, TCP flags as letters (flags=SA), "strings" and 0x bytes, \
      (tuples) and [lists]. Fields left out get scapy's defaults or are computed from the \
      stack (types, protocols, lengths, checksums); a value given is written as is, even \
      when wrong. Lists ([1,2]), ranges (20-25, 192.0.2.1-192.0.2.9) and prefixes \
      (192.0.2.0/30) expand to one packet per value (cross product); random draws a value \
      per packet (--seed). The first layer (eth, ipv4 or ipv6) gives the link type. Packet k \
      gets the time --time (default: now) plus k milliseconds. The whole language, with an \
      example for every layer: docs/expressions.md in rawtool's source.

      Layers and their fields (aliases in parentheses):
      \(ExpressionVocabulary.summary(indent: "  "))

      --from-json reads the ndjson of `rawtool read --json --hex` and rebuilds each packet: values given are written as is, fields left out are computed. Bad JSON syntax is exit status 2 before any output; a packet that cannot be rebuilt (a truncated layer, a malformed layer or raw without its hex) is exit status 1, or a warning with --keep-going.

      Examples:
        rawtool craft eth / ipv4 / udp / 'raw("hello")' --hex
        rawtool craft 'ipv4(dst=192.0.2.2) / tcp(dport=[22,80], flags=S)' -v
        rawtool craft 'ipv4(dst=192.0.2.0/30) / icmp' -w ping.pcap --time 1700000000
        rawtool craft 'ipv4 / udp / raw(file="payload.bin")' -w out.pcapng
        rawtool read --json --hex in.pcap | jq -c '.ipv4.ttl = 1' \\
          | rawtool craft --from-json - -w out.pcap
      """
  )

  @Argument(help: "The crafting expression (several words are joined with spaces).")
  var expression: [String] = []

  @Option(
    name: .customLong("from-json"),
    help:
      "Rebuild packets from this ndjson file of rawtool read --json --hex (- for standard input).",
    completion: .file())
  var jsonPath: String?

  @Option(
    name: .customShort("w"),
    help:
      "Write the packets to this file (pcapng when it ends in .pcapng) instead of printing them.",
    completion: .file())
  var writePath: String?

  @Option(name: [.short, .long], help: "Repeat the whole set of packets this many times.")
  var count: Int = 1

  @Option(help: "The seed of the random values (random in the expression).")
  var seed: UInt64 = 0

  @Option(help: "The most packets an expression may expand to.")
  var limit: Int = 65536

  @Option(
    help:
      "Cut every packet into fragments as scapy does: IPv4 data per fragment, IPv6 bytes per packet."
  )
  var fragment: Int?

  @Option(
    help:
      "The first packet's time, in seconds since the epoch (fraction allowed), for reproducible files."
  )
  var time: String?

  @Flag(help: "With --from-json, warn about a packet that cannot be rebuilt and go on.")
  var keepGoing = false

  @OptionGroup(title: "Output")
  var output: OutputOptions

  func validate() throws {
    if count <= 0 { throw ValidationError("--count takes a positive number.") }
    if limit <= 0 { throw ValidationError("--limit takes a positive number.") }
    if let fragment, fragment <= 0 { throw ValidationError("--fragment takes a positive size.") }
    if fragment != nil && jsonPath != nil {
      throw ValidationError("--fragment goes with an expression, not --from-json.")
    }
    if jsonPath != nil && !expression.isEmpty {
      throw ValidationError("give an expression or --from-json, not both.")
    }
    if jsonPath == nil && expression.isEmpty {
      throw ValidationError("give a crafting expression or --from-json FILE.")
    }
    if keepGoing && jsonPath == nil { throw ValidationError("--keep-going goes with --from-json.") }
    if writePath != nil
      && (output.printsText || output.hexPayload)
    {
      throw ValidationError("-w writes packets; it does not go with --json, --hex, -v, -x or -X.")
    }
    if let time, Self.timestamp(time) == nil {
      throw ValidationError("--time takes seconds since the epoch, e.g. 1700000000.5.")
    }
  }

  /// A built packet, ready to print or write.
  struct Built {
    var bytes: [UInt8]
    var linkType: LinkType
    var timestamp: Timestamp?
    var wireLength: Int
    var interfaceName: String? = nil
    var direction: CaptureRecord.Direction? = nil
  }

  func run() throws {
    let packets = jsonPath != nil ? try fromJSON() : try fromExpression()
    let start = time.flatMap(Self.timestamp) ?? Self.now()
    var records: [(CaptureRecord, [UInt8])] = []
    var number = 0
    for round in 0..<count {
      for (index, packet) in packets.enumerated() {
        number += 1
        let offset = Int64(round * packets.count + index)
        var timestamp = packet.timestamp ?? Self.adding(milliseconds: offset, to: start)
        if packet.timestamp != nil, round > 0, let first = packets.first?.timestamp,
          let last = packets.last?.timestamp
        {
          // Repeats of captured packets keep their spacing, one set after the other.
          let span = Self.nanoseconds(last) - Self.nanoseconds(first) + 1_000_000
          timestamp = Self.timestamp(nanoseconds: Self.nanoseconds(timestamp) + Int64(round) * span)
        }
        records.append(
          (
            CaptureRecord(
              number: number, timestamp: timestamp, capturedLength: packet.bytes.count,
              wireLength: packet.wireLength, linkType: packet.linkType,
              interfaceName: packet.interfaceName, direction: packet.direction),
            packet.bytes
          ))
      }
    }
    var destination = try PacketOutput(
      options: output, writePath: writePath, linkType: records.first?.0.linkType ?? .ethernet,
      nanosecond: true, hexLines: output.hexPayload && !output.json)
    for (record, bytes) in records { try destination.write(record, bytes.span) }
    try destination.close()
  }

  // MARK: Sources

  func fromExpression() throws -> [Built] {
    let source = expression.joined(separator: " ")
    var parsed: PacketExpression
    do {
      parsed = try ExpressionParser.parse(source)
      parsed = try resolvePayloadFiles(parsed)
      if let fragment { parsed = try parsed.fragmenting(size: fragment) }
    } catch let error as ExpressionError {
      throw UsageFailure(error.rendered(source: source))
    }
    let first = parsed.layers.first.flatMap { PacketCrafter.canonicalName($0.name) }
    if let layer = parsed.layers.first, first != nil, !["eth", "ipv4", "ipv6"].contains(first) {
      let error = ExpressionError(
        layer: layer.name, position: layer.position,
        message: "cannot start a packet: the first layer is eth, ipv4 or ipv6 (the link type)")
      throw UsageFailure(error.rendered(source: source))
    }
    let packets: [[UInt8]]
    do {
      packets = try PacketCrafter.packets(from: parsed, seed: seed, limit: limit)
    } catch {
      throw UsageFailure(error.rendered(source: source))
    }
    let linkType: LinkType = first == "ipv4" || first == "ipv6" ? .raw : .ethernet
    return packets.map {
      Built(bytes: $0, linkType: linkType, timestamp: nil, wireLength: $0.count)
    }
  }

  /// Replaces `file="path"` in `raw` layers by the file's bytes.
  func resolvePayloadFiles(_ expression: PacketExpression) throws -> PacketExpression {
    var expression = expression
    for layerIndex in expression.layers.indices {
      let layer = expression.layers[layerIndex]
      guard PacketCrafter.canonicalName(layer.name) == "raw" else { continue }
      for fieldIndex in layer.fields.indices where layer.fields[fieldIndex].name == "file" {
        let field = layer.fields[fieldIndex]
        guard case .string(let pathBytes) = field.value.kind else {
          throw ExpressionError(
            layer: layer.name, field: "file", position: field.value.position,
            message: "expects a quoted path")
        }
        let path = String(decoding: pathBytes, as: UTF8.self)
        let bytes: [UInt8]
        do {
          bytes = try Self.readFile(path)
        } catch {
          throw RuntimeFailure("\(layer.name): field file: cannot read \(path): \(error.message)")
        }
        expression.layers[layerIndex].fields[fieldIndex] = FieldExpression(
          name: "hex", position: field.position,
          value: ValueExpression(position: field.value.position, kind: .string(bytes)))
      }
    }
    return expression
  }

  func fromJSON() throws -> [Built] {
    let objects = try JSONPacketInput.objects(in: jsonPath ?? "-", showingLine: true)
    var packets: [Built] = []
    for (line, value) in objects {
      do {
        let packet = try JSONPacket(value)
        packets.append(
          Built(
            bytes: packet.bytes, linkType: packet.linkType, timestamp: packet.timestamp,
            wireLength: packet.wireLength, interfaceName: packet.interfaceName,
            direction: packet.direction))
      } catch {
        if keepGoing {
          StandardError.warn("line \(line): \(error)")
          continue
        }
        throw RuntimeFailure("line \(line): \(error)")
      }
    }
    return packets
  }

  // MARK: Helpers

  struct ReadError: Error {
    var message: String
  }

  /// The whole file at `path` (`-` is standard input).
  static func readFile(_ path: String) throws(ReadError) -> [UInt8] {
    let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw ReadError(message: String(cString: strerror(errno))) }
    defer { if fd != 0 { close(fd) } }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw ReadError(message: String(cString: strerror(errno)))
      }
      if count == 0 { break }
      bytes.append(contentsOf: chunk[0..<count])
    }
    return bytes
  }

  /// `1700000000`, `1700000000.5`: seconds since the epoch, within a pcap record's 32 bits.
  static func timestamp(_ text: String) -> Timestamp? {
    guard let timestamp = Timestamp(parsing: text), timestamp.seconds <= UInt32.max else {
      return nil
    }
    return timestamp
  }

  static func now() -> Timestamp {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Timestamp(seconds: Int64(spec.tv_sec), nanoseconds: UInt32(spec.tv_nsec))
  }

  static func nanoseconds(_ timestamp: Timestamp) -> Int64 {
    timestamp.seconds * 1_000_000_000 + Int64(timestamp.nanoseconds)
  }

  static func timestamp(nanoseconds: Int64) -> Timestamp {
    Timestamp(
      seconds: nanoseconds / 1_000_000_000, nanoseconds: UInt32(nanoseconds % 1_000_000_000))
  }

  static func adding(milliseconds: Int64, to start: Timestamp) -> Timestamp {
    timestamp(nanoseconds: nanoseconds(start) + milliseconds * 1_000_000)
  }
}
