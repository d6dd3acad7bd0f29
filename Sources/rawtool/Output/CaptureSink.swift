import PacketKit

/// Writes records to a pcap or pcapng file chosen by the path's extension (`-` is stdout, pcap).
struct CaptureSink: ~Copyable {
  enum Writer: ~Copyable {
    case pcap(PcapWriter, LinkType)
    case pcapng(PcapngWriter)
  }

  var writer: Writer?
  let path: String

  init(path: String, linkType: LinkType, nanosecond: Bool) throws {
    self.path = path
    do {
      if path.hasSuffix(".pcapng") {
        writer = .pcapng(try PcapngWriter(path: path))
      } else {
        writer = .pcap(try PcapWriter(path: path, linkType: linkType, nanosecond: nanosecond), linkType)
      }
    } catch {
      throw RuntimeFailure("cannot write \(path): \(error)")
    }
  }

  mutating func write(record: CaptureRecord, bytes: Span<UInt8>) throws {
    do {
      switch consume writer {
      case .pcap(var pcap, let linkType):
        defer { writer = .pcap(pcap, linkType) }
        guard record.linkType == linkType else {
          throw RuntimeFailure(
            "\(path): record \(record.number) has link type \(record.linkType.name), the pcap file \(linkType.name); write a .pcapng file to keep several link types")
        }
        try pcap.write(timestamp: record.timestamp, wireLength: record.wireLength, bytes: bytes)
      case .pcapng(var pcapng):
        defer { writer = .pcapng(pcapng) }
        try pcapng.write(
          timestamp: record.timestamp, wireLength: record.wireLength, bytes: bytes, linkType: record.linkType,
          interfaceName: record.interfaceName, direction: record.direction)
      case nil:
        writer = nil
      }
    } catch let failure as RuntimeFailure {
      throw failure
    } catch {
      throw RuntimeFailure("writing \(path): \(error)")
    }
  }

  /// Flushes everything to the file.
  mutating func close() throws {
    do {
      switch consume writer {
      case .pcap(var pcap, let linkType):
        defer { writer = .pcap(pcap, linkType) }
        try pcap.flush()
      case .pcapng(var pcapng):
        defer { writer = .pcapng(pcapng) }
        try pcapng.flush()
      case nil:
        writer = nil
      }
    } catch {
      throw RuntimeFailure("writing \(path): \(error)")
    }
  }
}
