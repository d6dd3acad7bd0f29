import Foundation
import PacketKit
import Testing

/// What `sniff` writes in file headers (`-s` as the snaplen) and what `sniff any` captures
/// (SLL2, interface names and directions), against tcpdump on the same interfaces.
@Suite("Live: capture headers", .serialized)
struct LiveCaptureHeaderTests {
  /// The lines tcpdump prints for `path`, read inside namespace `ns` (whose interface
  /// indexes give SLL2 names).
  static func tcpdumpLines(_ net: LiveNetwork, _ ns: String, _ path: String, _ options: [String])
    throws -> [Substring]
  {
    let result = try net.run(ns, ["tcpdump", "-n", "-r", path] + options, timeout: 10)
    #expect(result.status == 0, "tcpdump -r: \(result.stderr)")
    return result.stdout.split(separator: "\n")
  }

  @Test(
    "-s N is the snaplen in the pcap header and the pcapng interface block, and cuts packets there",
    .enabled(if: LiveNetwork.isAvailable))
  func snapshotLengthInHeader() throws {
    let net = try LiveNetwork(tag: "snaplen")
    defer { net.tearDown() }
    let pcap = LiveNetwork.temporaryPath(".pcap")
    let pcapng = LiveNetwork.temporaryPath(".pcapng")
    let reference = LiveNetwork.temporaryPath(".pcap")
    defer {
      for path in [pcap, pcapng, reference] { try? FileManager.default.removeItem(atPath: path) }
    }
    var sniffers: [LiveNetwork.Background] = []
    for path in [pcap, pcapng] {
      let sniffer = try net.start(
        net.b, [Rawtool.executable, "sniff", "vB", "-s", "64", "-w", path, "icmp"])
      #expect(sniffer.waitForStderr("snapshot length 64 bytes"), "\(sniffer.stderr)")
      sniffers.append(sniffer)
    }
    let tcpdump = try net.start(
      net.b, ["tcpdump", "-i", "vB", "-n", "-s", "64", "--immediate-mode", "-w", reference, "icmp"])
    #expect(tcpdump.waitForStderr("listening on"))
    try net.run(net.a, ["ping", "-c", "3", "-i", "0.05", "-s", "500", "192.0.2.2"], timeout: 5)
    usleep(300_000)
    #expect(tcpdump.stop().status == 0)
    for sniffer in sniffers { #expect(sniffer.stop().status == 0, "\(sniffer.stderr)") }
    // The pcap header's snaplen field, bytes 16-19, as tcpdump writes it.
    let header = try #require(FileManager.default.contents(atPath: pcap))
    let referenceHeader = try #require(FileManager.default.contents(atPath: reference))
    #expect(header.count > 24 && Array(header[16..<20]) == [64, 0, 0, 0])
    #expect(Array(header[16..<20]) == Array(referenceHeader[16..<20]))
    let expected = try LiveNetwork.frames(of: reference)
    #expect(expected.count == 6, "tcpdump saw \(expected.count) packets")
    for path in [pcap, pcapng] {
      let reader = try CaptureFileReader(path: path)
      #expect(reader.snapshotLength == 64, "\(path): snaplen \(reader.snapshotLength)")
      let frames = try LiveNetwork.frames(of: path)
      #expect(frames.allSatisfy { $0.count == 64 }, "\(path): \(frames.map(\.count))")
      #expect(missing(expected, from: frames).isEmpty, "\(path) lacks tcpdump's packets")
    }
  }

  @Test(
    "sniff any writes SLL2 and prints interface names and directions as tcpdump -i any does",
    .enabled(if: LiveNetwork.isAvailable))
  func anyWritesSLL2() throws {
    let net = try LiveNetwork(tag: "any")
    defer { net.tearDown() }
    let written = LiveNetwork.temporaryPath(".pcap")
    let reference = LiveNetwork.temporaryPath(".pcap")
    defer {
      for path in [written, reference] { try? FileManager.default.removeItem(atPath: path) }
    }
    // Echo requests and replies only: router solicitations and MLD reports come at times
    // of their own, maybe while only one capture runs.
    let filter = "icmp or (icmp6 and (ip6[40] == 128 or ip6[40] == 129))"
    let writer = try net.start(net.b, [Rawtool.executable, "sniff", "any", "-w", written, filter])
    let printer = try net.start(net.b, [Rawtool.executable, "sniff", "any", filter])
    let linkPrinter = try net.start(net.b, [Rawtool.executable, "sniff", "any", "-e", filter])
    for sniffer in [writer, printer, linkPrinter] {
      #expect(sniffer.waitForStderr("link-type LINUX_SLL2"), "\(sniffer.stderr)")
    }
    let tcpdump = try net.start(
      net.b, ["tcpdump", "-i", "any", "-n", "--immediate-mode", "-w", reference, filter])
    #expect(tcpdump.waitForStderr("listening on"))
    // In and Out on vB, and In on lo.
    try net.run(net.a, ["ping", "-c", "2", "-i", "0.1", "192.0.2.2"], timeout: 5)
    try net.run(net.a, ["ping", "-6", "-c", "2", "-i", "0.1", "2001:db8::2"], timeout: 5)
    try net.run(net.b, ["ping", "-c", "2", "-i", "0.1", "127.0.0.1"], timeout: 5)
    usleep(400_000)
    #expect(tcpdump.stop().status == 0)
    let results = [writer, printer, linkPrinter].map { $0.stop() }
    for result in results { #expect(result.status == 0, "\(result.stderr)") }
    let header = try #require(FileManager.default.contents(atPath: written))
    #expect(header.count > 24 && Array(header[20..<24]) == [0x14, 0x01, 0, 0], "not LINKTYPE 276")
    let expected = try Self.tcpdumpLines(net, net.b, reference, [])
    #expect(expected.count >= 12, "tcpdump printed \(expected)")
    #expect(expected.contains { $0.contains(" vB    In  IP ") })
    #expect(expected.contains { $0.contains(" vB    Out IP6 ") })
    #expect(expected.contains { $0.contains(" lo    In  IP ") })
    // tcpdump reads rawtool's file as its own, and rawtool prints what tcpdump prints.
    #expect(try Self.tcpdumpLines(net, net.b, written, []) == expected)
    #expect(results[1].stdout.split(separator: "\n") == expected)
    let expectedLink = try Self.tcpdumpLines(net, net.b, reference, ["-e"])
    #expect(expectedLink.contains { $0.contains(" vB    In  ifindex ") })
    #expect(results[2].stdout.split(separator: "\n") == expectedLink)
  }
}
