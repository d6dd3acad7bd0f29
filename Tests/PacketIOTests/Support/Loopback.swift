import Foundation
import Testing

@testable import PacketIO

/// Live tests on the host's loopback interface `lo` (allowed by the live-traffic rules):
/// UDP datagrams from 127.0.0.1 to 127.0.0.1 on a random high port, each carrying a random
/// run tag so that traffic of other processes on `lo` is never mistaken for ours.
enum Loopback {
  /// Whether the tests run: as root, or when RAWTOOL_REQUIRE_LIVE=1 (CI), where each test
  /// then fails in `requireRoot()` without root. (An issue recorded while a trait's
  /// condition is evaluated is dropped by swift-testing, so the failure must come from
  /// inside the test.)
  static var isEnabled: Bool {
    geteuid() == 0 || ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_LIVE"] == "1"
  }

  /// Fails the test when it runs without root (only under RAWTOOL_REQUIRE_LIVE=1: without
  /// it, `isEnabled` skipped the test).
  static func requireRoot() throws {
    guard geteuid() != 0 else { return }
    throw LoopbackUnavailable()
  }

  /// Why a live test could not run.
  struct LoopbackUnavailable: Error, CustomStringConvertible {
    var description: String {
      "RAWTOOL_REQUIRE_LIVE=1 but the loopback tests need root (CAP_NET_RAW)"
    }
  }

  /// The loopback interface.
  static func interface() throws -> NetworkInterface { try NetworkInterface.named("lo") }

  /// A port for one test, out of the way of well-known and ephemeral ports.
  static func randomPort() -> UInt16 { UInt16.random(in: 20_000...32_000) }

  /// A random 8-byte tag marking one test's datagrams.
  static func randomTag() -> [UInt8] { (0..<8).map { _ in UInt8.random(in: 0...255) } }

  /// The payload of datagram `sequence`: the tag, then the sequence number (big-endian).
  static func payload(tag: [UInt8], sequence: UInt32) -> [UInt8] {
    tag + withUnsafeBytes(of: sequence.bigEndian) { Array($0) }
  }

  /// The sequence number of a captured Ethernet/IPv4/UDP or Ethernet/IPv6/UDP frame
  /// carrying `tag`, or nil.
  static func sequence(in frame: Span<UInt8>, tag: [UInt8]) -> UInt32? {
    guard frame.count > 14 else { return nil }
    let offset = 14 + (frame[14] >> 4 == 6 ? 40 : Int(frame[14] & 0x0f) * 4) + 8
    guard frame.count >= offset + 12 else { return nil }
    for index in 0..<8 where frame[offset + index] != tag[index] { return nil }
    var value: UInt32 = 0
    for index in 8..<12 { value = value << 8 | UInt32(frame[offset + index]) }
    return value
  }

  /// Sends `payloads` as UDP datagrams to 127.0.0.1:`port` through an ordinary socket.
  static func sendUDP(port: UInt16, payloads: [[UInt8]]) throws {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.init(rawValue: errno)!) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
    for payload in payloads {
      let sent = payload.withUnsafeBytes { bytes in
        withUnsafePointer(to: &address) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            sendto(
              fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
          }
        }
      }
      guard sent == payload.count else { throw POSIXError(.init(rawValue: errno)!) }
    }
  }

  /// An IPv4/UDP datagram 127.0.0.1 → 127.0.0.1:`port` with a correct header checksum and
  /// no UDP checksum (0, allowed for IPv4).
  static func ipv4UDP(port: UInt16, payload: [UInt8]) -> [UInt8] {
    let total = 20 + 8 + payload.count
    var header: [UInt8] = [
      0x45, 0, UInt8(total >> 8), UInt8(total & 0xff), 0x12, 0x34, 0x40, 0, 64, 17, 0, 0,
      127, 0, 0, 1, 127, 0, 0, 1,
    ]
    var sum: UInt32 = 0
    for index in stride(from: 0, to: 20, by: 2) {
      sum += UInt32(header[index]) << 8 | UInt32(header[index + 1])
    }
    while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
    let checksum = ~UInt16(sum)
    header[10] = UInt8(checksum >> 8)
    header[11] = UInt8(checksum & 0xff)
    let udpLength = 8 + payload.count
    let udp: [UInt8] = [
      0x9c, 0x40, UInt8(port >> 8), UInt8(port & 0xff), UInt8(udpLength >> 8),
      UInt8(udpLength & 0xff), 0, 0,
    ]
    return header + udp + payload
  }

  /// An IPv6/UDP datagram ::1 → [::1]:`port` with a correct UDP checksum.
  static func ipv6UDP(port: UInt16, payload: [UInt8]) -> [UInt8] {
    let udpLength = 8 + payload.count
    let loopback = [UInt8](repeating: 0, count: 15) + [1]
    var udp: [UInt8] =
      [
        0x9c, 0x40, UInt8(port >> 8), UInt8(port & 0xff), UInt8(udpLength >> 8),
        UInt8(udpLength & 0xff), 0, 0,
      ] + payload
    // RFC 8200 §8.1 pseudo-header: addresses, upper-layer length, next header.
    var words = loopback + loopback + [0, 0, UInt8(udpLength >> 8), UInt8(udpLength & 0xff)]
    words += [0, 0, 0, 17] + udp
    if words.count % 2 == 1 { words.append(0) }
    var sum: UInt32 = 0
    for index in stride(from: 0, to: words.count, by: 2) {
      sum += UInt32(words[index]) << 8 | UInt32(words[index + 1])
    }
    while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
    var checksum = ~UInt16(sum)
    if checksum == 0 { checksum = 0xffff }
    udp[6] = UInt8(checksum >> 8)
    udp[7] = UInt8(checksum & 0xff)
    let header: [UInt8] = [0x60, 0, 0, 0, UInt8(udpLength >> 8), UInt8(udpLength & 0xff), 17, 64]
    return header + loopback + loopback + udp
  }

  /// The same datagram in an Ethernet frame as `lo` carries it (addresses 00:00:00:00:00:00).
  static func ethernetIPv4UDP(port: UInt16, payload: [UInt8]) -> [UInt8] {
    [UInt8](repeating: 0, count: 12) + [0x08, 0x00] + ipv4UDP(port: port, payload: payload)
  }

  /// Monotonic time, in nanoseconds.
  static func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
  }

  /// Runs `body` on a new thread after `delay` milliseconds.
  static func after(milliseconds delay: Int, _ body: @escaping @Sendable () -> Void) {
    Thread.detachNewThread {
      usleep(UInt32(delay) * 1000)
      body()
    }
  }

  /// The median of `values` (sorted copy; the upper middle for an even count).
  static func median(_ values: [Int64]) -> Int64 {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
  }
}
