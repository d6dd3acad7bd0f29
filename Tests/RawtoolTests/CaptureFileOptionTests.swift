import Foundation
import TestSupport
import Testing

/// `sniff -C/-G/-W` mistakes are usage errors (exit 2), found before any capture starts
/// (no root needed), each with a line that says what to do.
@Suite("Capture file options")
struct CaptureFileOptionTests {
  @Test(
    "refused combinations of -w, -C, -G and -W",
    arguments: [
      (
        ["-C", "10", "-w", "-"],
        "Error: -C and -G rotate the -w file; they need -w FILE (not -w -)."
      ),
      (["-G", "10"], "Error: -C and -G rotate the -w file; they need -w FILE (not -w -)."),
      (["-W", "2", "-w", "x.pcap"], "Error: -W needs -C or -G."),
      (
        ["-C", "0", "-w", "x.pcap"],
        "Error: -C takes a positive size: millions of bytes, or a number with a k, m or g suffix (got '0')."
      ),
      (
        ["-C", "1kb", "-w", "x.pcap"],
        "Error: -C takes a positive size: millions of bytes, or a number with a k, m or g suffix (got '1kb')."
      ),
      (["-G", "0", "-w", "x-%s.pcap"], "Error: -G takes a positive number of seconds."),
      (["-C", "1", "-W", "0", "-w", "x"], "Error: -W takes a positive number of files."),
      (
        ["-G", "10", "-w", "x.pcap"],
        "Error: -G needs strftime conversions in the -w name (-w 'cap-%Y%m%d-%H%M%S.pcap'): without them every window would overwrite the file of the one before."
      ),
      (
        ["-G", "10", "-w", "x-%H.pcap"],
        "Error: -w x-%H.pcap: consecutive -G 10 windows would get the same file name and overwrite each other; use strftime conversions that change every window (%S, %M, %H...)."
      ),
    ])
  func refused(arguments: [String], message: String) throws {
    let result = try Rawtool.run(["sniff", "rawtool-no-such-interface"] + arguments)
    #expect(result.status == 2, "\(arguments): \(result.stderr)")
    #expect(result.stderr.split(separator: "\n").first.map(String.init) == message)
    #expect(result.stdout.isEmpty)
  }
}
