/// What a pcapng interface description block says, parsed once per block.
struct PcapngInterface: Sendable {
  /// Link-layer header type, low 16 bits of the IDB field.
  var linkType: LinkType
  /// IDB snaplen, in bytes; 0 means no limit.
  var snapshotLength: Int
  /// `if_name` (option 2), trailing NULs removed.
  var name: String?
  /// `if_tsresol` (option 9); microseconds by default.
  var resolution: TimestampResolution
  /// `if_tsoffset` (option 14), in seconds, added to every timestamp.
  var offsetSeconds: Int64
}
