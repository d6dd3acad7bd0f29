// Classic pcap parsing for CaptureFileReader
// (https://www.tcpdump.org/manpages/pcap-savefile.5.html; layout in PcapFormat.Classic).

extension CaptureFileReader {
  typealias Classic = PcapFormat.Classic

  /// Parses the 24-byte pcap file header (the magic is already known to be a pcap one).
  mutating func readPcapHeader() throws(CaptureFileError) {
    let available = try fill(Classic.fileHeaderLength)
    if available < Classic.fileHeaderLength {
      throw .truncatedFileHeader(available: available, needed: Classic.fileHeaderLength)
    }
    let isBigEndian: Bool
    let (nanosecond, major, minor, snapshot, link): (Bool, UInt16, UInt16, UInt32, UInt32)
    do {
      let span = storage.span
      let magic = span.le32(at: head + Classic.magic)
      isBigEndian = !(magic == Classic.microsecondMagic || magic == Classic.nanosecondMagic)
      nanosecond =
        span.u32(at: head + Classic.magic, bigEndian: isBigEndian) == Classic.nanosecondMagic
      major = span.u16(at: head + Classic.versionMajor, bigEndian: isBigEndian)
      minor = span.u16(at: head + Classic.versionMinor, bigEndian: isBigEndian)
      snapshot = span.u32(at: head + Classic.snapshotLength, bigEndian: isBigEndian)
      link = span.u32(at: head + Classic.linkType, bigEndian: isBigEndian)
    }
    if major != Classic.majorVersion {
      throw .unsupportedVersion(format: .pcap, major: major, minor: minor)
    }
    bigEndian = isBigEndian
    pcapNanosecond = nanosecond
    snapshotLength = Int(snapshot)
    pcapLinkType = LinkType(rawValue: link & 0xFFFF)
    linkTypes = [pcapLinkType]
    nanosecondResolution = pcapNanosecond
    head += Classic.fileHeaderLength
  }

  /// The pcap record loop.
  mutating func forEachPcapRecord(_ body: (CaptureRecord, Span<UInt8>) throws -> Bool) throws {
    let headerLength = Classic.recordHeaderLength
    while true {
      if tail - head < headerLength {
        let available = try fill(headerLength)
        if available == 0 { return }
        if available < headerLength {
          throw fail(
            .truncatedRecordHeader(
              record: recordCount + 1, available: available, needed: headerLength))
        }
      }
      let seconds: UInt32
      var fraction: UInt32
      let capturedLength: Int
      let wireLength: Int
      do {
        let span = storage.span
        seconds = span.u32(at: head + Classic.timestampSeconds, bigEndian: bigEndian)
        fraction = span.u32(at: head + Classic.timestampFraction, bigEndian: bigEndian)
        capturedLength = Int(span.u32(at: head + Classic.capturedLength, bigEndian: bigEndian))
        wireLength = Int(span.u32(at: head + Classic.wireLength, bigEndian: bigEndian))
      }
      let number = recordCount + 1
      if capturedLength > Self.maximumCapturedLength {
        throw fail(
          .recordTooLarge(
            record: number, capturedLength: capturedLength, limit: Self.maximumCapturedLength))
      }
      let total = headerLength + capturedLength
      if tail - head < total {
        let available = try fill(total)
        if available < total {
          throw fail(
            .truncatedRecord(
              record: number, available: available - headerLength, needed: capturedLength))
        }
      }
      if capturedLength > wireLength && !hasWarned(.capturedOverWire) {
        warn(
          .capturedOverWire,
          "record \(number): caplen \(capturedLength) exceeds wire length \(wireLength)")
      }
      if capturedLength > snapshotLength && snapshotLength > 0 && !hasWarned(.capturedOverSnapshot)
      {
        warn(
          .capturedOverSnapshot,
          "record \(number): caplen \(capturedLength) exceeds snaplen \(snapshotLength)")
      }
      var extraSeconds: Int64 = 0
      if pcapNanosecond {
        if fraction >= 1_000_000_000 {
          extraSeconds = Int64(fraction / 1_000_000_000)
          fraction %= 1_000_000_000
        }
      } else {
        if fraction >= 1_000_000 {
          extraSeconds = Int64(fraction / 1_000_000)
          fraction %= 1_000_000
        }
        fraction &*= 1_000
      }
      recordCount = number
      let keepGoing: Bool
      do {
        let start = head + headerLength
        // The record is made in the call itself: a named one was copied once per packet.
        keepGoing = try body(
          CaptureRecord(
            number: number,
            timestamp: Timestamp(
              seconds: Int64(seconds) &+ extraSeconds, checkedNanoseconds: fraction),
            capturedLength: capturedLength, wireLength: wireLength, linkType: pcapLinkType),
          storage.span.extracting(start..<start + capturedLength))
      }
      head += total
      if !keepGoing { return }
    }
  }
}
