import Foundation
import PacketKit
import Testing

/// `rawtool sniff -w -C/-G/-W` under traffic on a veth pair, with tcpdump capturing the same
/// interface at the same time: every packet tcpdump saw is in exactly one of rawtool's files.
@Suite("Live: rotating capture files", .serialized)
struct LiveRotationTests {
  /// A packet as both captures record it: time (to the microsecond tcpdump writes) and bytes.
  struct Packet: Hashable {
    var seconds: Int64
    var microseconds: UInt32
    var bytes: [UInt8]
  }

  /// The packets of a capture file, in file order.
  static func packets(_ path: String) throws -> [Packet] {
    var reader = try CaptureFileReader(path: path)
    var packets: [Packet] = []
    try reader.forEachRecord { record, bytes in
      packets.append(
        Packet(
          seconds: record.timestamp.seconds, microseconds: record.timestamp.nanoseconds / 1_000,
          bytes: bytes.withUnsafeBufferPointer { Array($0) }))
      return true
    }
    return packets
  }

  /// The size of the file at `path`, in bytes.
  static func size(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
  }

  /// The count rawtool printed on stderr (`N packets captured`).
  static func captured(_ stderr: String) -> Int? {
    stderr.split(separator: "\n").first { $0.hasSuffix("captured") }
      .flatMap { Int($0.split(separator: " ")[0]) }
  }

  /// Checks that each of tcpdump's packets is in exactly one of rawtool's files, that
  /// rawtool's files hold no packet twice, and that they hold as many packets as it counted.
  static func expectEveryPacketOnce(
    tcpdump: [Packet], files: [[Packet]], captured: Int?, _ label: String
  ) {
    let all = files.flatMap { $0 }
    var seen: [Packet: Int] = [:]
    for packet in all { seen[packet, default: 0] += 1 }
    let twice = seen.values.filter { $0 > 1 }.count
    #expect(twice == 0, "\(label): \(twice) packets in more than one place")
    let lost = tcpdump.filter { seen[$0] == nil }
    #expect(
      lost.isEmpty, "\(label): \(lost.count) of \(tcpdump.count) packets tcpdump saw are in no file"
    )
    #expect(
      captured == all.count, "\(label): files hold \(all.count), rawtool counted \(captured ?? -1)")
  }

  /// One test's namespaces, directory and captures: rawtool's (arguments after `sniff vB`,
  /// file names relative to the directory) and tcpdump's (`tcpdump.ref`), both listening.
  final class Session {
    let net: LiveNetwork
    let directory: String
    let reference: String
    var sniffer: LiveNetwork.Background! = nil
    var tcpdump: LiveNetwork.Background! = nil

    init(tag: String, rawtool arguments: (String) -> [String]) throws {
      net = try LiveNetwork(tag: tag)
      directory = LiveNetwork.temporaryPath("-rotation")
      reference = directory + "/tcpdump.ref"
      do {
        try FileManager.default.createDirectory(
          atPath: directory, withIntermediateDirectories: true)
        sniffer = try net.start(
          net.b, [Rawtool.executable, "sniff", "vB"] + arguments(directory + "/"))
        #expect(sniffer.waitForStderr("listening on"), "rawtool: \(sniffer.stderr)")
        tcpdump = try net.start(
          net.b, ["tcpdump", "-i", "vB", "-n", "--immediate-mode", "-w", reference])
        #expect(tcpdump.waitForStderr("listening on"), "tcpdump: \(tcpdump.stderr)")
      } catch {
        close()
        throw error
      }
    }

    /// Deletes the namespaces (stopping what still runs) and the files.
    func close() {
      net.tearDown()
      try? FileManager.default.removeItem(atPath: directory)
    }

    /// The names of rawtool's files, sorted.
    func names() throws -> [String] {
      try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        .filter { $0 != "tcpdump.ref" }
    }

    /// Stops tcpdump, then rawtool (with `signal`); rawtool's result.
    func stop(_ signal: Int32 = SIGINT) -> LiveNetwork.RunResult {
      #expect(tcpdump.stop().status == 0, "tcpdump: \(tcpdump.stderr)")
      let result = sniffer.stop(signal)
      #expect(result.status == 0, "rawtool: \(result.stderr)")
      return result
    }
  }

  /// Pings B from A: `count` echo requests of `size` bytes, `interval` seconds apart (each
  /// gives two packets on vB).
  static func ping(_ net: LiveNetwork, count: Int, interval: String, size: Int) throws {
    let seconds = Double(count) * (Double(interval) ?? 0.01) + 5
    try net.run(
      net.a,
      ["ping", "-q", "-c", "\(count)", "-i", interval, "-s", "\(size)", "-W", "1", "192.0.2.2"],
      timeout: seconds)
  }

  /// Whether `packet` is an Ethernet frame holding IPv4 of `protocol`.
  static func isIPv4(_ packet: Packet, protocol number: UInt8) -> Bool {
    packet.bytes.count > 23 && packet.bytes[12] == 8 && packet.bytes[13] == 0
      && packet.bytes[23] == number
  }

  @Test(
    "-C: at least 3 rotations by size, no packet split or lost, names as tcpdump's",
    .enabled(if: LiveNetwork.isAvailable), arguments: ["pcap", "pcapng"])
  func rotatesBySize(format: String) throws {
    let session = try Session(tag: "rot-c\(format.count)") {
      ["-w", $0 + "size.\(format)", "-C", "40k"]
    }
    defer { session.close() }
    let limit = 40 * 1024
    try Self.ping(session.net, count: 200, interval: "0.005", size: 600)
    usleep(300_000)
    let result = session.stop()
    // tcpdump's names: FILE, FILE1, FILE2, ...
    let names = try session.names()
    #expect(names.count >= 4, "only \(names) for \(200 * 2 * 640) bytes")
    let expectedNames = ["size.\(format)"] + (1..<names.count).map { "size.\(format)\($0)" }
    #expect(Set(names) == Set(expectedNames))
    var files: [[Packet]] = []
    for (index, name) in expectedNames.enumerated() {
      let path = session.directory + "/" + name
      let packets = try Self.packets(path)
      files.append(packets)
      let check = try LiveNetwork.run("/usr/bin/tcpdump", ["-r", path], timeout: 10)
      #expect(check.status == 0, "tcpdump cannot read \(name): \(check.stderr)")
      guard index < expectedNames.count - 1 else { continue }
      // Full before it was closed: over the limit, and under it without its last packet.
      let size = try Self.size(path)
      let captured = packets.last?.bytes.count ?? 0
      let lastRecord = format == "pcap" ? 16 + captured : 32 + (captured + 3) / 4 * 4
      #expect(size > limit, "\(name) closed at \(size) bytes")
      #expect(size - lastRecord <= limit, "\(name) went on past the limit: \(size) bytes")
    }
    Self.expectEveryPacketOnce(
      tcpdump: try Self.packets(session.reference), files: files,
      captured: Self.captured(result.stderr), "-C \(format)")
  }

  @Test(
    "-G: windows aligned to the clock, each packet in its window's file, quiet windows flushed and without a file",
    .enabled(if: LiveNetwork.isAvailable))
  func rotatesByTime() throws {
    let session = try Session(tag: "rot-g") { ["-w", $0 + "time-%s.pcap", "-G", "1", "icmp"] }
    defer { session.close() }
    let directory = session.directory
    // 1.6 s of traffic (at least one rotation), a pause of 2.5 s (quiet windows), then
    // 1.6 s more: 3 rotations or more.
    try Self.ping(session.net, count: 80, interval: "0.02", size: 100)
    usleep(1_300_000)
    // The window of the last packets has ended: its file is on disk although no packet
    // came since.
    let before = try session.names().filter { $0.hasPrefix("time-") }
    let latest = try #require(
      before.max { Int($0.dropFirst(5).dropLast(5))! < Int($1.dropFirst(5).dropLast(5))! })
    let flushed = try Self.packets(directory + "/" + latest)
    #expect(!flushed.isEmpty, "\(latest) is still empty 1.3 s after its window ended")
    usleep(1_200_000)
    try Self.ping(session.net, count: 80, interval: "0.02", size: 100)
    usleep(300_000)
    let result = session.stop()
    let names = try session.names().filter { $0.hasPrefix("time-") }
    #expect(names.count >= 4, "only \(names)")
    var files: [[Packet]] = []
    var windows: [Int64] = []
    for name in names {
      let start = try #require(Int64(name.dropFirst(5).dropLast(5)), "\(name)")
      windows.append(start)
      let packets = try Self.packets(directory + "/" + name)
      files.append(packets)
      // %s is the window's start; a 1 s window starts on a whole second of the clock.
      for packet in packets {
        #expect(packet.seconds == start, "\(name) holds a packet of \(packet.seconds)")
      }
    }
    // Windows without packets have no file; only the first file may be empty.
    for (name, packets) in zip(names, files).dropFirst() {
      #expect(!packets.isEmpty, "\(name) is empty")
    }
    let icmp = try Self.packets(session.reference).filter { Self.isIPv4($0, protocol: 1) }
    let busy = Set(icmp.map(\.seconds))
    #expect(Set(windows.dropFirst()).isSubset(of: busy), "a file for a window without packets")
    #expect(
      Set(windows).count == windows.count && busy.isSubset(of: Set(windows)),
      "windows \(windows), packets in \(busy.sorted())")
    Self.expectEveryPacketOnce(
      tcpdump: icmp, files: files, captured: Self.captured(result.stderr), "-G")
  }

  @Test(
    "-C -W 2: a ring of two files holding the last packets", .enabled(if: LiveNetwork.isAvailable))
  func ringOfTwoFiles() throws {
    let session = try Session(tag: "rot-w") {
      ["-w", $0 + "ring.pcap", "-C", "16k", "-W", "2", "icmp"]
    }
    defer { session.close() }
    try Self.ping(session.net, count: 150, interval: "0.005", size: 400)
    usleep(300_000)
    let result = session.stop()
    #expect(try session.names() == ["ring.pcap0", "ring.pcap1"])
    let first = try Self.packets(session.directory + "/ring.pcap0")
    let second = try Self.packets(session.directory + "/ring.pcap1")
    // The file written last holds the newest packets; the other the ones just before.
    let (older, newer) =
      (first.last?.seconds ?? 0, first.last?.microseconds ?? 0)
        < (second.last?.seconds ?? 0, second.last?.microseconds ?? 0)
      ? (first, second) : (second, first)
    let kept = older + newer
    let icmp = try Self.packets(session.reference).filter { Self.isIPv4($0, protocol: 1) }
    let captured = try #require(Self.captured(result.stderr))
    #expect(captured > kept.count, "nothing was dropped from the ring: \(captured) packets")
    // The two files hold exactly tcpdump's last packets, in order.
    #expect(
      kept == Array(icmp.suffix(kept.count)), "the ring is not the last \(kept.count) packets")
  }

  @Test(
    "SIGINT in the middle of a file: every rotated file valid, nothing lost before the stop",
    .enabled(if: LiveNetwork.isAvailable))
  func interruptMidFile() throws {
    let session = try Session(tag: "rot-i") { ["-w", $0 + "cut.pcapng", "-C", "30k", "udp"] }
    defer { session.close() }
    let directory = session.directory
    let sender = try session.net.start(
      session.net.a,
      [
        Rawtool.executable, "send", "-i", "vA", "--rate", "2000", "-c", "8000", "--duration", "4",
        "eth(dst=ff:ff:ff:ff:ff:ff)/ipv4(src=192.0.2.1, dst=192.0.2.2)/udp(sport=7, dport=9)/raw(\"\(String(repeating: "x", count: 200))\")",
      ])
    usleep(UInt32.random(in: 600_000...1_400_000))
    // rawtool stops first, in the middle of the traffic and of a file; tcpdump after.
    let result = session.sniffer.stop(SIGINT)
    usleep(200_000)
    _ = sender.stop(SIGINT)
    #expect(session.tcpdump.stop().status == 0)
    #expect(result.status == 0, "\(result.stderr)")
    let names = try session.names()
    #expect(names.count >= 2, "no rotation before the stop: \(names)")
    var files: [[Packet]] = []
    for name in names {
      files.append(try Self.packets(directory + "/" + name))
      let check = try LiveNetwork.run(
        "/usr/bin/tcpdump", ["-r", directory + "/" + name], timeout: 10)
      #expect(check.status == 0, "tcpdump cannot read \(name): \(check.stderr)")
    }
    let all = files.flatMap { $0 }
    let first = try #require(
      all.min { ($0.seconds, $0.microseconds) < ($1.seconds, $1.microseconds) })
    let last = try #require(
      all.max { ($0.seconds, $0.microseconds) < ($1.seconds, $1.microseconds) })
    // tcpdump ran before and after: what it saw between rawtool's first and last packet.
    let during = try Self.packets(session.reference).filter {
      Self.isIPv4($0, protocol: 17)
        && ($0.seconds, $0.microseconds) >= (first.seconds, first.microseconds)
        && ($0.seconds, $0.microseconds) <= (last.seconds, last.microseconds)
    }
    Self.expectEveryPacketOnce(
      tcpdump: during, files: files, captured: Self.captured(result.stderr), "SIGINT")
  }
}
