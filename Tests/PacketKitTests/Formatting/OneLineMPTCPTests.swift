import Testing

@testable import PacketKit

// Multipath TCP options (TCP option kind 30) from the tcpdump test corpus
// (../shared/corpus/tcpdump-tests/mptcp-*.pcap), each with the segment's flags byte and the
// text `TZ=UTC tcpdump -nr` 4.99.3 prints after `mptcp` for it.

@Suite("OneLineFormatter MPTCP options")
struct OneLineMPTCPTests {
  /// (file and packet, TCP flags, option bytes, tcpdump's text after `mptcp`).
  static let options: [(source: String, flags: UInt8, hex: String, text: String)] = [
    ("mptcp-aa-v1 #3", 0x02, "1e040101", " 4 capable v1"),
    ("mptcp-aa-v1 #4", 0x12, "1e0c010173bb150358a0aecb", " 12 capable v1 {0x73bb150358a0aecb}"),
    ("mptcp-v0 #1", 0x02, "1e0c00819c9eabd1e46a33b2", " 12 capable v0 csum {0x9c9eabd1e46a33b2}"),
    (
      "mptcp-aa-v1 #5", 0x10, "1e1401018f0c7c64a6a32ac173bb150358a0aecb",
      " 20 capable v1 {0x8f0c7c64a6a32ac1,0x73bb150358a0aecb}"
    ),
    (
      "mptcp-aa-v1 #6", 0x18, "1e1601018f0c7c64a6a32ac173bb150358a0aecb0010",
      " 22 capable v1 {0x8f0c7c64a6a32ac1,0x73bb150358a0aecb}"
    ),
    (
      "mptcp-v0 #8", 0x02, "1e0c1000e47f01421b665a18",
      " 12 join id 0 token 0xe47f0142 nonce 0x1b665a18"
    ),
    (
      "mptcp-v0 #9", 0x12, "1e1010015ab680c7884af03d33abe9d5",
      " 16 join id 1 hmac 0x5ab680c7884af03d nonce 0x33abe9d5"
    ),
    (
      "mptcp-v0 #10", 0x10, "1e181000cb7b87f5e5f0502f43b535fb70ef6607df2e6c7a",
      " 24 join hmac 0xcb7b87f5e5f0502f43b535fb70ef6607df2e6c7a"
    ),
    ("mptcp-v0 #5", 0x10, "1e082001d1b974b9", " 8 dss ack 3518592185"),
    ("mptcp-aa-v1 #7", 0x10, "1e0c2003ee83a616c38765c5", " 12 dss ack 17186763219675866565"),
    (
      "mptcp-v0 #4", 0x18, "1e142005d52abecad1b97490000000010029082f",
      " 20 dss ack 3576348362 seq 3518592144 subseq 1 len 41 csum 0x82f"
    ),
    (
      "mptcp-v0 #259", 0x10, "1e142015d1b99601d52ad2cb0000000000010a51",
      " 20 dss fin ack 3518600705 seq 3576353483 subseq 0 len 1 csum 0xa51"
    ),
    (
      "mptcp-aa-v1 #8", 0x18, "1e1a200fee83a616c38765d5a896f3fe7a8dc02e000000010010",
      " 26 dss ack 17186763219675866581 seq 12148165319181844526 subseq 1 len 16"
    ),
    (
      "mptcp-aa-v1 #22", 0x11, "1e1a201fa896f3fe7a8dc05eee83a616c38765f5000000000001",
      " 26 dss fin ack 12148165319181844574 seq 17186763219675866613 subseq 0 len 1"
    ),
    ("mptcp-v0 #4", 0x18, "1e0834010a010202", " 8 add-addr v0-ip4 id 1 10.1.2.2"),
    (
      "mptcp-aa-v1 #13", 0x10, "1e103001c0a888e1669928744366716c",
      " 16 add-addr v1 id 1 192.168.136.225 hmac 0x669928744366716c"
    ),
    ("mptcp-v0 #210", 0x10, "1e044000", " 4 rem-addr id 0"),
    ("mptcp-fclose #10", 0x10, "1e0c7000d005b1ab34bad344", " 12 fast-close key 0xd005b1ab34bad344"),
    ("mptcp-tcprst #1", 0x14, "1e048000", " 4 unknown"),
  ]

  @Test("a corpus option prints tcpdump's text", arguments: 0..<options.count)
  func optionText(_ index: Int) {
    let (source, flags, optionHex, text) = Self.options[index]
    let option = hex(optionHex)
    var out = TextBuffer()
    let valid = MPTCPOptionText.write(option.span, tcpFlags: flags, to: &out)
    #expect(valid, "\(source)")
    #expect(out.string == text, "\(source)")
  }

  @Test("an option whose length does not fit the segment's flags is invalid")
  func invalidForFlags() {
    // mptcp-aa-v1 #5's 20-byte MP_CAPABLE (third ACK of the handshake) on a SYN, and
    // mptcp-aa-v1 #7's DSS on a SYN: tcpdump stops after the subtype name ([bad opt]).
    var capable = TextBuffer()
    #expect(
      !MPTCPOptionText.write(
        hex("1e1401018f0c7c64a6a32ac173bb150358a0aecb").span, tcpFlags: 0x02, to: &capable))
    #expect(capable.string == " 20 capable")
    var dss = TextBuffer()
    #expect(!MPTCPOptionText.write(hex("1e0c2003ee83a616c38765c5").span, tcpFlags: 0x12, to: &dss))
    #expect(dss.string == " 12 dss")
    // The same DSS one byte short: the 8-byte data ACK no longer fits.
    var short = TextBuffer()
    #expect(!MPTCPOptionText.write(hex("1e0b2003ee83a616c38765").span, tcpFlags: 0x10, to: &short))
    #expect(short.string == " 11 dss ack ")
  }

  /// Whole frames of mptcp-aa-v1.pcap with `TZ=UTC tcpdump -t -S -nr`'s line.
  static let frames: [(hex: String, line: String)] = [
    (
      "5254002c4d965254000a983d080045000040e0cc40004006dd20c0a87dd4c0a87da5cc36d90326ef671700000000b002faf07cfd0000020405b40402080a7b66491f00000000010303071e040101",
      "IP 192.168.125.212.52278 > 192.168.125.165.55555: Flags [S], seq 653223703, win 64240, options [mss 1460,sackOK,TS val 2070300959 ecr 0,nop,wscale 7,mptcp 4 capable v1], length 0"
    ),
    (
      "5254000a983d5254002c4d96080045000050bff940004006fde3c0a87da5c0a87dd4d903cc36e25520f726ef6738f01001fd7d0d00000101080a37f2fc3e7b664d0f1e103001c0a888e1669928744366716c1e0c2003ee83a616c38765d5",
      "IP 192.168.125.165.55555 > 192.168.125.212.52278: Flags [.], ack 653223736, win 509, options [nop,nop,TS val 938671166 ecr 2070301967,mptcp 16 add-addr v1 id 1 192.168.136.225 hmac 0x669928744366716c,mptcp 12 dss ack 17186763219675866581], length 0"
    ),
  ]

  @Test("a corpus frame with MPTCP options prints tcpdump's line", arguments: 0..<frames.count)
  func frameLine(_ index: Int) {
    let (frameHex, line) = Self.frames[index]
    let frameBytes = hex(frameHex)
    var formatter = OneLineFormatter(timestampStyle: .none, absoluteSequence: true)
    var out = TextBuffer()
    let frame = FrameDecoder().decode(frameBytes.span, linkType: .ethernet)
    let record = CaptureRecord(
      number: 1, timestamp: Timestamp(seconds: 0, nanoseconds: 0),
      capturedLength: frameBytes.count, wireLength: frameBytes.count, linkType: .ethernet)
    formatter.write(frame, bytes: frameBytes.span, record: record, to: &out)
    #expect(out.string == line + "\n")
  }
}
