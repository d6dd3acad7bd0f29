import Foundation
import Testing

@testable import PacketIO

/// Software transmit timestamps on both socket kinds, paired with their packets by id, and
/// compared with the receive timestamps of the same packets captured on `lo`.
@Suite("Live: transmit timestamps on lo")
struct TransmitTimestampTests {
  static let count = 200

  /// Which socket sends.
  enum Kind: String, CaseIterable, CustomTestStringConvertible {
    case packetSocket
    case rawIPv4Socket
    case rawIPv6Socket
    var testDescription: String { rawValue }
  }

  @Test(
    "every packet sent gets its transmit timestamp, and rx - tx is positive and small",
    .enabled(if: Loopback.isEnabled), arguments: Kind.allCases)
  func timestampsEveryPacket(kind: Kind) throws {
    try Loopback.requireRoot()
    let interface = try Loopback.interface()
    let port = Loopback.randomPort()
    let tag = Loopback.randomTag()
    var configuration = LiveCapture.Configuration()
    configuration.direction = .inbound
    var capture = try LiveCapture(
      interfaceNamed: "lo", filter: "udp dst port \(port)", configuration: configuration)
    var transmitted: [UInt32: UInt64] = [:]
    var ids: [UInt32] = []
    let before = Date().timeIntervalSince1970
    switch kind {
    case .packetSocket:
      var socket = try PacketSocket(interface: interface)
      try socket.enableTransmitTimestamps()
      let enabled = socket.transmitTimestampsEnabled
      #expect(enabled)
      for sequence in 0..<UInt32(Self.count) {
        let frame = Loopback.ethernetIPv4UDP(
          port: port, payload: Loopback.payload(tag: tag, sequence: sequence))
        ids.append(try socket.sendTimestamped(frame))
        // Read as we go, as a prober does.
        _ = try socket.readTransmitTimestamps(timeoutMilliseconds: 0) {
          transmitted[$0.id] = $0.nanoseconds
        }
      }
      try collect(&transmitted) { body throws in
        try socket.readTransmitTimestamps(timeoutMilliseconds: 100, body)
      }
      // Nothing is left over: one timestamp per packet.
      #expect(try socket.readTransmitTimestamps(timeoutMilliseconds: 50) { _ in } == 0)
    case .rawIPv4Socket, .rawIPv6Socket:
      let version = kind == .rawIPv4Socket ? 4 : 6
      var socket = try RawIPSocket(version: version, interface: interface)
      try socket.enableTransmitTimestamps()
      for sequence in 0..<UInt32(Self.count) {
        let payload = Loopback.payload(tag: tag, sequence: sequence)
        let packet =
          version == 4
          ? Loopback.ipv4UDP(port: port, payload: payload)
          : Loopback.ipv6UDP(port: port, payload: payload)
        ids.append(try socket.sendTimestamped(packet))
      }
      // The last one by id, the others as they come.
      let last = try socket.waitForTransmitTimestamp(
        id: UInt32(Self.count - 1), timeoutMilliseconds: 1000
      ) { transmitted[$0.id] = $0.nanoseconds }
      transmitted[UInt32(Self.count - 1)] = last
      try collect(&transmitted) { body throws in
        try socket.readTransmitTimestamps(timeoutMilliseconds: 100, body)
      }
      #expect(try socket.readTransmitTimestamps(timeoutMilliseconds: 50) { _ in } == 0)
    }
    #expect(ids == Array(0..<UInt32(Self.count)))
    #expect(Set(transmitted.keys) == Set(ids))
    let after = Date().timeIntervalSince1970
    for stamp in transmitted.values {
      let seconds = Double(stamp) / 1e9
      #expect(seconds >= before - 0.001 && seconds <= after + 0.001, "not CLOCK_REALTIME: \(stamp)")
    }
    // The receive timestamps of the same packets (sequence = id).
    var received: [UInt32: UInt64] = [:]
    while received.count < Self.count,
      let frame = try capture.waitForFrame(
        timeout: .seconds(1),
        matching: { _, bytes in
          Loopback.sequence(in: bytes, tag: tag) != nil
        })
    {
      received[Loopback.sequence(in: frame.bytes.span, tag: tag)!] = frame.timestampNanoseconds
    }
    #expect(received.count == Self.count)
    var differences: [Int64] = []
    for (id, tx) in transmitted {
      guard let rx = received[id] else { continue }
      differences.append(Int64(bitPattern: rx &- tx))
    }
    let median = Loopback.median(differences)
    print(
      "\(kind.rawValue) on lo: \(differences.count) packets, rx - tx min \(differences.min()!) ns, median \(median) ns, max \(differences.max()!) ns"
    )
    #expect(differences.allSatisfy { $0 > 0 }, "rx before tx: \(differences.filter { $0 <= 0 })")
    #expect(median < 1_000_000)
  }

  /// Reads timestamps with `read` until none comes within its timeout.
  func collect(
    _ transmitted: inout [UInt32: UInt64],
    _ read: ((TransmitTimestamp) -> Void) throws -> Int
  ) throws {
    while transmitted.count < Self.count {
      var got: [TransmitTimestamp] = []
      guard try read({ got.append($0) }) > 0 else { break }
      for timestamp in got { transmitted[timestamp.id] = timestamp.nanoseconds }
    }
  }

  @Test("without enabling, no timestamp is read", .enabled(if: Loopback.isEnabled))
  func offByDefault() throws {
    try Loopback.requireRoot()
    let socket = try PacketSocket(interface: try Loopback.interface())
    let enabled = socket.transmitTimestampsEnabled
    #expect(!enabled)
    #expect(try socket.readTransmitTimestamps(timeoutMilliseconds: 10) { _ in } == 0)
  }
}
