import PacketKit

/// A record of a link type rawtool cannot decode: `read` and `stats` stop there (exit 1);
/// `read -w` still copies such records.
struct UnsupportedLinkType: Error, CustomStringConvertible {
  var record: CaptureRecord

  var description: String {
    "record \(record.number): unsupported link type \(record.linkType.rawValue) (\(record.linkType.name)); rawtool decodes EN10MB (1), RAW (12, 14, 101), IPV4 (228), IPV6 (229), LINUX_SLL (113), LINUX_SLL2 (276), NULL (0) and LOOP (108)"
  }
}
