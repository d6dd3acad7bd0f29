import Foundation
import PacketIO
import PacketKit
import Testing

/// A capture sees every frame of a paced burst, whether read in one loop or one frame per
/// `waitForFrame` call (frames after the one returned stay for the next call).
@Suite("A test author's capture of a paced burst", .serialized)
struct CaptureEveryFrameTests {
  static let isRoot = geteuid() == 0

  @Test(
    "200 frames at 2,000/s: every one, in order, one waitForFrame call each",
    .enabled(if: isRoot))
  func everyFrameOneCallEach() throws {
    try VethPair.with(prefix: "rt-burst") { pair in
      var capture = try pair.b.run {
        try LiveCapture(interfaceNamed: pair.interfaceB, filter: "udp dst port 6000")
      }
      try pair.a.run {
        let socket = try RawIPSocket(version: 4, interface: try NetworkInterface.named("vA"))
        var pacer = Pacer(intervalNanoseconds: 500_000)
        for index in 1...200 {
          let packet = try
            (IPv4(id: UInt16(index), src: VethPair.ipv4A, dst: VethPair.ipv4B)
            / UDP(srcPort: 4000, dstPort: 6000) / Payload("burst")).build()
          pacer.wait()
          try socket.send(packet)
        }
      }
      var ids: [UInt16] = []
      while let frame = try capture.waitForFrame(
        timeout: .milliseconds(300), matching: { _, _ in true })
      {
        let decoded = FrameDecoder().decode(frame.bytes, linkType: frame.linkType)
        if case .ipv4(let ip)? = decoded.first(.ipv4)?.header { ids.append(ip.id) }
        if ids.count > 250 { break }
      }
      #expect(ids == (1...200).map { UInt16($0) }, "got \(ids.count)")
    }
  }
}
