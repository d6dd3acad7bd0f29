// Field layouts and magic numbers of the two capture-file formats, written once as data
// (STYLE.md §2).
//
// pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.html):
//   file header (24): magic(4) version_major(2) version_minor(2) thiszone(4) sigfigs(4)
//                     snaplen(4) linktype(4, low 16 bits = LINKTYPE_*, upper bits FCS info)
//   record header (16): ts_sec(4) ts_usec_or_nsec(4) incl_len(4) orig_len(4), then incl_len bytes
// pcapng (draft-ietf-opsawg-pcapng):
//   block: type(4) total_length(4) body… total_length(4); total_length % 4 == 0, >= 12
//   options: code(2) length(2) value padded to 4; code 0 ends the list
// Not supported (skipped as unknown blocks): name resolution, interface statistics,
// decryption secrets, custom and systemd journal blocks.

/// Layouts and constants of pcap and pcapng files.
enum PcapFormat {
  /// Classic pcap.
  enum Classic {
    /// Magic for microsecond timestamps, as read in the file's own byte order.
    static let microsecondMagic: UInt32 = 0xA1B2_C3D4
    /// Magic for nanosecond timestamps, as read in the file's own byte order.
    static let nanosecondMagic: UInt32 = 0xA1B2_3C4D
    static let majorVersion: UInt16 = 2
    static let minorVersion: UInt16 = 4

    static let fileHeaderLength = 24
    static let magic = 0
    static let versionMajor = 4
    static let versionMinor = 6
    static let snapshotLength = 16
    static let linkType = 20

    static let recordHeaderLength = 16
    static let timestampSeconds = 0
    static let timestampFraction = 4
    static let capturedLength = 8
    static let wireLength = 12
  }

  /// pcapng.
  enum NG {
    static let sectionHeaderType: UInt32 = 0x0A0D_0D0A
    static let interfaceDescriptionType: UInt32 = 0x0000_0001
    static let obsoletePacketType: UInt32 = 0x0000_0002
    static let simplePacketType: UInt32 = 0x0000_0003
    static let enhancedPacketType: UInt32 = 0x0000_0006
    static let byteOrderMagic: UInt32 = 0x1A2B_3C4D
    static let majorVersion: UInt16 = 1
    static let minorVersion: UInt16 = 0

    /// Block type(4) and total length(4).
    static let blockHeaderLength = 8
    /// Block header and trailing total length.
    static let blockOverhead = 12
    static let minimumBlockLength = 12

    // Section header block, offsets from the block start.
    static let shbByteOrderMagic = 8
    static let shbVersionMajor = 12
    static let shbVersionMinor = 14
    static let shbSectionLength = 16
    static let shbMinimumLength = 28

    // Interface description block.
    static let idbLinkType = 8
    static let idbSnapshotLength = 12
    static let idbOptions = 16
    static let idbMinimumLength = 20

    // Enhanced packet block.
    static let epbInterface = 8
    static let epbTimestampHigh = 12
    static let epbTimestampLow = 16
    static let epbCapturedLength = 20
    static let epbWireLength = 24
    static let epbData = 28
    static let epbMinimumLength = 32

    // Simple packet block.
    static let spbWireLength = 8
    static let spbData = 12
    static let spbMinimumLength = 16

    // Obsolete packet block (type 2): interface id is 16 bits, then a 16-bit drop count.
    static let opbInterface = 8
    static let opbTimestampHigh = 12
    static let opbTimestampLow = 16
    static let opbCapturedLength = 20
    static let opbWireLength = 24
    static let opbData = 28
    static let opbMinimumLength = 32

    // Option codes.
    static let optionEnd: UInt16 = 0
    static let ifName: UInt16 = 2
    static let ifTimestampResolution: UInt16 = 9
    static let ifTimestampOffset: UInt16 = 14
    static let epbFlags: UInt16 = 2

    /// `length` rounded up to a multiple of 4.
    @inline(__always)
    static func padded(_ length: Int) -> Int { (length &+ 3) & ~3 }
  }
}
