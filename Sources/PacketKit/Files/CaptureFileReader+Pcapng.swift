// pcapng parsing for CaptureFileReader (draft-ietf-opsawg-pcapng; layout in PcapFormat.NG).

extension CaptureFileReader {
  typealias NG = PcapFormat.NG

  /// Parses the first section header block, then every non-packet block up to the first
  /// packet block, so that `linkTypes` and `snapshotLength` are known after `init`.
  /// Errors after the first SHB are kept for ``forEachRecord(_:)`` to throw.
  mutating func readFirstSection() throws(CaptureFileError) {
    let available = try fill(NG.shbMinimumLength)
    if available < NG.minimumBlockLength {
      throw .truncatedFileHeader(available: available, needed: NG.shbMinimumLength)
    }
    try readByteOrderMagic()
    let length = Int(storage.span.u32(at: head + 4, bigEndian: bigEndian))
    try checkBlockLength(length, type: NG.sectionHeaderType)
    // Checked before reading: a bogus length must not make the reader allocate it.
    if length > Self.maximumBlockLength {
      throw .blockTooLarge(offset: 0, length: length, limit: Self.maximumBlockLength)
    }
    let whole = try fill(length)
    if whole < length { throw .truncatedFileHeader(available: whole, needed: length) }
    try checkTrailingLength(length)
    try readSectionHeader(length: length)
    head += length
    do {
      try forEachPcapngRecord(stopBeforePacket: true) { _, _ in true }
    } catch let error as CaptureFileError {
      if failure == nil { failure = error }
    } catch {
      // The body above never throws.
    }
  }

  /// The pcapng block loop. With `stopBeforePacket`, returns before the next packet block.
  mutating func forEachPcapngRecord(
    stopBeforePacket: Bool, _ body: (CaptureRecord, Span<UInt8>) throws -> Bool
  ) throws {
    while true {
      if tail - head < NG.minimumBlockLength {
        let available = try fill(NG.minimumBlockLength)
        if available == 0 { return }
        if available < NG.minimumBlockLength {
          throw fail(
            .truncatedBlock(offset: headOffset, available: available, needed: NG.minimumBlockLength)
          )
        }
      }
      let type = storage.span.u32(at: head, bigEndian: bigEndian)
      let isPacket =
        type == NG.enhancedPacketType || type == NG.simplePacketType
        || type == NG.obsoletePacketType
      if isPacket && stopBeforePacket { return }
      if type == NG.sectionHeaderType {
        do throws(CaptureFileError) { try readByteOrderMagic() } catch { throw fail(error) }
      }
      let length = Int(storage.span.u32(at: head + 4, bigEndian: bigEndian))
      do throws(CaptureFileError) { try checkBlockLength(length, type: type) } catch {
        throw fail(error)
      }
      if length > Self.maximumBlockLength {
        if isPacket || type == NG.sectionHeaderType || type == NG.interfaceDescriptionType {
          throw fail(
            .blockTooLarge(offset: headOffset, length: length, limit: Self.maximumBlockLength))
        }
        try skipLargeBlock(length)
        continue
      }
      if tail - head < length {
        let available = try fill(length)
        if available < length {
          throw fail(.truncatedBlock(offset: headOffset, available: available, needed: length))
        }
      }
      do throws(CaptureFileError) { try checkTrailingLength(length) } catch { throw fail(error) }

      switch type {
      case NG.enhancedPacketType, NG.obsoletePacketType, NG.simplePacketType:
        let record: CaptureRecord
        let dataStart: Int
        do throws(CaptureFileError) {
          (record, dataStart) = try packetRecord(type: type, length: length)
        } catch {
          throw fail(error)
        }
        recordCount = record.number
        let keepGoing: Bool
        do {
          keepGoing = try body(
            record, storage.span.extracting(dataStart..<dataStart + record.capturedLength))
        }
        head += length
        if !keepGoing { return }
        continue
      case NG.interfaceDescriptionType:
        do throws(CaptureFileError) { try readInterfaceDescription(length: length) } catch {
          throw fail(error)
        }
      case NG.sectionHeaderType:
        do throws(CaptureFileError) { try readSectionHeader(length: length) } catch {
          throw fail(error)
        }
      default:
        break  // Name resolution, statistics, custom and unknown blocks.
      }
      head += length
    }
  }

  /// Decodes the packet block of `length` bytes at `head` (already whole in the buffer).
  /// Returns its record and the buffer index of its first packet byte.
  @inline(__always)
  private mutating func packetRecord(type: UInt32, length: Int) throws(CaptureFileError) -> (
    CaptureRecord, Int
  ) {
    let number = recordCount + 1
    let interfaceIndex: Int
    let timestampUnits: UInt64?
    var capturedLength: Int
    let wireLength: Int
    let dataOffset: Int
    do {
      let span = storage.span
      switch type {
      case NG.enhancedPacketType, NG.obsoletePacketType:
        // EPB and OPB share their layout but for the interface field's width.
        if length < NG.epbMinimumLength {
          throw .blockTooShort(offset: headOffset, type: type, length: length)
        }
        interfaceIndex =
          type == NG.enhancedPacketType
          ? Int(span.u32(at: head + NG.epbInterface, bigEndian: bigEndian))
          : Int(span.u16(at: head + NG.opbInterface, bigEndian: bigEndian))
        let high = UInt64(span.u32(at: head + NG.epbTimestampHigh, bigEndian: bigEndian))
        let low = UInt64(span.u32(at: head + NG.epbTimestampLow, bigEndian: bigEndian))
        timestampUnits = high << 32 | low
        capturedLength = Int(span.u32(at: head + NG.epbCapturedLength, bigEndian: bigEndian))
        wireLength = Int(span.u32(at: head + NG.epbWireLength, bigEndian: bigEndian))
        dataOffset = NG.epbData
      default:  // Simple packet block.
        if length < NG.spbMinimumLength {
          throw .blockTooShort(offset: headOffset, type: type, length: length)
        }
        interfaceIndex = 0
        timestampUnits = nil
        wireLength = Int(span.u32(at: head + NG.spbWireLength, bigEndian: bigEndian))
        capturedLength = min(wireLength, length - NG.spbMinimumLength)
        dataOffset = NG.spbData
      }
    }
    guard interfaceIndex < interfaces.count else {
      throw .interfaceOutOfRange(record: number, interface: interfaceIndex, count: interfaces.count)
    }
    let snapshot = interfaces[interfaceIndex].snapshotLength
    if timestampUnits == nil && snapshot > 0 { capturedLength = min(capturedLength, snapshot) }
    if capturedLength > Self.maximumCapturedLength {
      throw .recordTooLarge(
        record: number, capturedLength: capturedLength, limit: Self.maximumCapturedLength)
    }
    let optionsStart = dataOffset + NG.padded(capturedLength)
    if dataOffset + capturedLength > length - 4 {
      throw .capturedLengthExceedsBlock(
        record: number, capturedLength: capturedLength, offset: headOffset)
    }
    if capturedLength > wireLength && !hasWarned(.capturedOverWire) {
      warn(
        .capturedOverWire,
        "record \(number): caplen \(capturedLength) exceeds wire length \(wireLength)")
    }
    if capturedLength > snapshot && snapshot > 0 && !hasWarned(.capturedOverSnapshot) {
      warn(
        .capturedOverSnapshot,
        "record \(number): caplen \(capturedLength) exceeds snaplen \(snapshot)")
    }
    var direction: CaptureRecord.Direction? = nil
    if timestampUnits != nil && optionsStart + 4 <= length - 4 {
      let flags = packetFlags(from: head + optionsStart, to: head + length - 4, record: number)
      switch flags & 3 {
      case 1: direction = .inbound
      case 2: direction = .outbound
      default: direction = nil
      }
    }
    let timestamp =
      timestampUnits.map {
        interfaces[interfaceIndex].resolution.timestamp(
          units: $0, offsetSeconds: interfaces[interfaceIndex].offsetSeconds)
      } ?? Timestamp(seconds: interfaces[interfaceIndex].offsetSeconds, checkedNanoseconds: 0)
    let record = CaptureRecord(
      number: number, timestamp: timestamp, capturedLength: capturedLength, wireLength: wireLength,
      linkType: interfaces[interfaceIndex].linkType, interfaceIndex: interfaceIndex,
      interfaceName: interfaces[interfaceIndex].name, direction: direction)
    return (record, head + dataOffset)
  }

  /// The `epb_flags` (`pack_flags` in an OPB) option value in the options at
  /// `storage[start..<end]`, or 0.
  private mutating func packetFlags(from start: Int, to end: Int, record: Int) -> UInt32 {
    var flags: UInt32 = 0
    var malformed = false
    do {
      let span = storage.span
      var position = start
      while position + 4 <= end {
        let code = span.u16(at: position, bigEndian: bigEndian)
        let length = Int(span.u16(at: position + 2, bigEndian: bigEndian))
        if code == NG.optionEnd { break }
        if position + 4 + length > end {
          malformed = true
          break
        }
        if code == NG.epbFlags && length == 4 {
          flags = span.u32(at: position + 4, bigEndian: bigEndian)
        }
        position += 4 + NG.padded(length)
      }
    }
    if malformed && !hasWarned(.malformedOptions) {
      warn(.malformedOptions, "record \(record): malformed packet block options ignored")
    }
    return flags
  }

  /// Parses an interface description block and appends its interface to the section.
  private mutating func readInterfaceDescription(length: Int) throws(CaptureFileError) {
    if length < NG.idbMinimumLength {
      throw .blockTooShort(offset: headOffset, type: NG.interfaceDescriptionType, length: length)
    }
    var interface: PcapngInterface
    var malformed = false
    do {
      let span = storage.span
      interface = PcapngInterface(
        linkType: LinkType(
          rawValue: UInt32(span.u16(at: head + NG.idbLinkType, bigEndian: bigEndian))),
        snapshotLength: Int(span.u32(at: head + NG.idbSnapshotLength, bigEndian: bigEndian)),
        name: nil, resolution: .microseconds, offsetSeconds: 0)
      var position = head + NG.idbOptions
      let end = head + length - 4
      while position + 4 <= end {
        let code = span.u16(at: position, bigEndian: bigEndian)
        let optionLength = Int(span.u16(at: position + 2, bigEndian: bigEndian))
        let value = position + 4
        if code == NG.optionEnd { break }
        if value + optionLength > end {
          malformed = true
          break
        }
        switch code {
        case NG.ifName:
          var bytes: [UInt8] = []
          bytes.reserveCapacity(optionLength)
          for index in value..<value + optionLength { bytes.append(span[index]) }
          while bytes.last == 0 { bytes.removeLast() }
          interface.name = String(decoding: bytes, as: UTF8.self)
        case NG.ifTimestampResolution where optionLength >= 1:
          interface.resolution = TimestampResolution(code: span[value])
        case NG.ifTimestampOffset where optionLength == 8:
          let first = UInt64(span.u32(at: value, bigEndian: bigEndian))
          let second = UInt64(span.u32(at: value + 4, bigEndian: bigEndian))
          interface.offsetSeconds = Int64(
            bitPattern: bigEndian ? first << 32 | second : second << 32 | first)
        default:
          break
        }
        position = value + NG.padded(optionLength)
      }
    }
    if malformed {
      let message = "block at offset \(headOffset): malformed interface options ignored"
      warn(.malformedOptions, message)
    }
    if linkTypes.isEmpty {
      snapshotLength = interface.snapshotLength
      nanosecondResolution = interface.resolution.isFinerThanMicroseconds
    }
    linkTypes.append(interface.linkType)
    interfaces.append(interface)
  }

  /// Parses a section header block (byte order already set): checks the version and starts
  /// a new section, forgetting the previous section's interfaces.
  private mutating func readSectionHeader(length: Int) throws(CaptureFileError) {
    if length < NG.shbMinimumLength {
      throw .blockTooShort(offset: headOffset, type: NG.sectionHeaderType, length: length)
    }
    let major = storage.span.u16(at: head + NG.shbVersionMajor, bigEndian: bigEndian)
    let minor = storage.span.u16(at: head + NG.shbVersionMinor, bigEndian: bigEndian)
    if major != NG.majorVersion {
      throw .unsupportedVersion(format: .pcapng, major: major, minor: minor)
    }
    interfaces.removeAll(keepingCapacity: true)
  }

  /// Sets the byte order from the section header block at `head` (12 bytes available).
  private mutating func readByteOrderMagic() throws(CaptureFileError) {
    let magic = storage.span.le32(at: head + NG.shbByteOrderMagic)
    if magic == NG.byteOrderMagic {
      bigEndian = false
    } else if magic == NG.byteOrderMagic.byteSwapped {
      bigEndian = true
    } else {
      throw .badByteOrderMagic(offset: headOffset, value: magic.byteSwapped)
    }
  }

  /// Checks a block's leading total length.
  private func checkBlockLength(_ length: Int, type: UInt32) throws(CaptureFileError) {
    if length < NG.minimumBlockLength || length % 4 != 0 {
      throw .badBlockLength(offset: headOffset, length: length)
    }
    if type == NG.sectionHeaderType && length < NG.shbMinimumLength {
      throw .blockTooShort(offset: headOffset, type: type, length: length)
    }
  }

  /// Checks that the block of `length` bytes at `head` ends with the same total length.
  private func checkTrailingLength(_ length: Int) throws(CaptureFileError) {
    let trailing = Int(storage.span.u32(at: head + length - 4, bigEndian: bigEndian))
    if trailing != length {
      throw .trailingLengthMismatch(offset: headOffset, leading: length, trailing: trailing)
    }
  }

  /// Skips a block too large to buffer, streaming past its body, then checks its trailer.
  private mutating func skipLargeBlock(_ length: Int) throws {
    let offset = headOffset
    let skipped = try skip(length - 4)
    let trailer = try fill(4)
    if skipped < length - 4 || trailer < 4 {
      throw fail(
        .truncatedBlock(offset: offset, available: skipped + min(trailer, 4), needed: length))
    }
    let trailing = Int(storage.span.u32(at: head, bigEndian: bigEndian))
    if trailing != length {
      throw fail(.trailingLengthMismatch(offset: offset, leading: length, trailing: trailing))
    }
    head += 4
  }
}
