// IGMP in tcpdump's -v text (print-igmp.c): IGMPv3 group records, and a wrong checksum.

extension OneLineFormatter {
  /// An IGMPv3 (or MLDv2) report's records: ` [gaddr 224.0.0.251 to_ex, 0 source(s)]` at
  /// `-v`, the sources listed (` { 192.0.2.1 }`) from `-vv`. `addressLength` is 4 for IGMP,
  /// 16 for MLD.
  func groupRecords(
    _ bytes: Span<UInt8>, start: Int, length: Int, count: Int, addressLength: Int,
    to out: inout TextBuffer
  ) {
    var group = 8
    let fixed = 4 + addressLength
    for _ in 0..<count {
      guard length >= group + fixed, start + group + fixed <= bytes.count else {
        return out.append(" [invalid number of groups]")
      }
      out.append(" [gaddr ")
      writeAddress(bytes, at: start + group + 4, length: addressLength, to: &out)
      out.append(byte: 0x20)
      let type = bytes[start + group]
      switch type {
      case 1: out.append("is_in")
      case 2: out.append("is_ex")
      case 3: out.append("to_in")
      case 4: out.append("to_ex")
      case 5: out.append("allow")
      case 6: out.append("block")
      default:
        out.append(addressLength == 4 ? " [v3-report-#" : " [v2-report-#")
        out.append(decimal: type)
        out.append(byte: 0x5D)
      }
      let sources = Int(bytes.be16(at: start + group + 2))
      let recordEnd = group + fixed + addressLength * sources
      guard length >= recordEnd, start + recordEnd <= bytes.count else {
        out.append(" [invalid number of sources ")
        out.append(decimal: sources)
        return out.append(byte: 0x5D)
      }
      if verbosity == 1 {
        out.append(", ")
        out.append(decimal: sources)
        out.append(" source(s)")
      } else {
        out.append(" {")
        for source in 0..<sources {
          out.append(byte: 0x20)
          writeAddress(
            bytes, at: start + group + fixed + addressLength * source, length: addressLength,
            to: &out)
        }
        out.append(" }")
      }
      group = recordEnd
      out.append(byte: 0x5D)
    }
  }

  /// An IPv4 (4 bytes) or IPv6 (16) address.
  func writeAddress(_ bytes: Span<UInt8>, at offset: Int, length: Int, to out: inout TextBuffer) {
    if length == 4 {
      IPv4Address(bytes, at: offset).write(to: &out)
    } else {
      IPv6Address(bytes, at: offset).write(to: &out)
    }
  }

  /// ` bad igmp cksum 1234!` when the whole message was captured and its checksum is wrong.
  func igmpChecksum(
    _ layer: DecodedLayer, _ bytes: Span<UInt8>, _ message: IGMPMessage, length: Int,
    to out: inout TextBuffer
  ) {
    let start = layer.range.lowerBound
    guard checksVerbose, length >= 4, start + length <= bytes.count else { return }
    var sum = InternetChecksum()
    sum.add(bytes.extracting(start..<(start + length)))
    guard !sum.isValid else { return }
    out.append(" bad igmp cksum ")
    out.append(hex: bytes.be16(at: start + 2))
    out.append(byte: 0x21)
  }
}
