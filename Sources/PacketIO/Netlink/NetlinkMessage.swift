import CPacketIO
import Glibc

/// One rtnetlink message: the `nlmsghdr` fields and the bytes after the header (the
/// family header, `rtmsg` or `ndmsg`, then route attributes).
struct NetlinkMessage {
  /// `nlmsg_type` (RTM_NEWROUTE, RTM_NEWNEIGH, NLMSG_ERROR, NLMSG_DONE, ...).
  var type: UInt16
  /// `nlmsg_flags`.
  var flags: UInt16
  /// `nlmsg_seq`.
  var sequence: UInt32
  /// The payload after the aligned `nlmsghdr`.
  var payload: [UInt8]

  /// A request: `type`, `flags` (NLM_F_REQUEST is added), the family header bytes and the
  /// attributes, each aligned as RTA_ALIGN says.
  static func request(
    type: UInt16, flags: UInt16, sequence: UInt32, familyHeader: [UInt8],
    attributes: [(type: UInt16, value: [UInt8])]
  ) -> [UInt8] {
    var body = familyHeader
    body.append(
      contentsOf: repeatElement(
        0, count: Int(CPacketIO_NLMSG_ALIGN(UInt32(body.count))) - body.count))
    for attribute in attributes {
      let length = Int(CPacketIO_RTA_LENGTH(UInt32(attribute.value.count)))
      appendNative(UInt16(length), to: &body)
      appendNative(attribute.type, to: &body)
      body.append(contentsOf: attribute.value)
      body.append(
        contentsOf: repeatElement(0, count: Int(CPacketIO_RTA_ALIGN(UInt32(length))) - length))
    }
    let total = Int(CPacketIO_NLMSG_LENGTH(UInt32(body.count)))
    var message: [UInt8] = []
    message.reserveCapacity(total)
    appendNative(UInt32(total), to: &message)
    appendNative(type, to: &message)
    appendNative(flags | UInt16(NLM_F_REQUEST), to: &message)
    appendNative(sequence, to: &message)
    appendNative(UInt32(0), to: &message)
    message.append(
      contentsOf: repeatElement(0, count: Int(CPacketIO_NLMSG_HDRLEN()) - message.count))
    message.append(contentsOf: body)
    return message
  }

  /// The messages in one datagram read from a netlink socket.
  static func parse(_ bytes: UnsafeRawBufferPointer) -> [NetlinkMessage] {
    var messages: [NetlinkMessage] = []
    let headerLength = Int(CPacketIO_NLMSG_HDRLEN())
    var offset = 0
    while offset + headerLength <= bytes.count {
      let length = Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
      guard length >= headerLength, offset + length <= bytes.count else { break }
      messages.append(
        NetlinkMessage(
          type: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self),
          flags: bytes.loadUnaligned(fromByteOffset: offset + 6, as: UInt16.self),
          sequence: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self),
          payload: Array(bytes[(offset + headerLength)..<(offset + length)])))
      offset += Int(CPacketIO_NLMSG_ALIGN(UInt32(length)))
    }
    return messages
  }

  /// The route attributes after a family header of `familyHeaderSize` bytes, by type
  /// (the nested flag masked off); a later duplicate replaces an earlier one.
  func attributes(afterFamilyHeader familyHeaderSize: Int) -> [UInt16: [UInt8]] {
    var result: [UInt16: [UInt8]] = [:]
    var offset = Int(CPacketIO_NLMSG_ALIGN(UInt32(familyHeaderSize)))
    while offset + 4 <= payload.count {
      let length = Int(UInt16(payload[offset]) | UInt16(payload[offset + 1]) << 8)
      let type = (UInt16(payload[offset + 2]) | UInt16(payload[offset + 3]) << 8) & 0x3FFF
      guard length >= 4, offset + length <= payload.count else { break }
      result[type] = Array(payload[(offset + 4)..<(offset + length)])
      offset += Int(CPacketIO_RTA_ALIGN(UInt32(length)))
    }
    return result
  }

  /// The (positive) errno of an NLMSG_ERROR message; 0 for an acknowledgement.
  var errorNumber: Int32 {
    guard payload.count >= 4 else { return EPROTO }
    let raw = payload.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
    return -raw
  }

  /// Appends `value` in host byte order (netlink headers are host-endian).
  private static func appendNative<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) }
  }
}
