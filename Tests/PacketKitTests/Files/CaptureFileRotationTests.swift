import Glibc
import PacketKit
import Testing

@Suite("Capture file rotation (-C/-G/-W)")
struct CaptureFileRotationTests {
  @Test(
    "-C sizes: millions of bytes, or KiB/MiB/GiB with a suffix, as tcpdump 4.99",
    arguments: [
      ("1", 1_000_000), ("25", 25_000_000), ("512k", 524_288), ("512K", 524_288),
      ("3m", 3_145_728), ("2G", 2_147_483_648),
    ])
  func sizes(text: String, bytes: Int) {
    #expect(CaptureFileRotation.size(parsing: text) == bytes)
  }

  @Test(
    "-C refuses what is not a positive size",
    arguments: ["", "0", "-1", "k", "1.5", "10x", "1kb", "99999999999999999999"])
  func badSizes(text: String) {
    #expect(CaptureFileRotation.size(parsing: text) == nil)
  }

  @Test("counter digits are those of -W minus one, as tcpdump's getWflagChars")
  func counterDigits() {
    let digits = [1, 2, 10, 11, 100, 101].map {
      CaptureFileRotation(sizeLimit: 1, fileCount: $0).counterDigits
    }
    #expect(digits == [0, 1, 1, 2, 2, 3])
    #expect(CaptureFileRotation(sizeLimit: 1).counterDigits == 0)
  }

  @Test("-C names: FILE, FILE1, FILE2... without -W; FILE00... FILE10 with -W 11")
  func sizeNames() {
    let plain = CaptureFileRotation(sizeLimit: 100)
    #expect(
      (0..<3).map { plain.fileName(template: "x.pcap", windowStart: 0, counter: $0) } == [
        "x.pcap", "x.pcap1", "x.pcap2",
      ])
    let ring = CaptureFileRotation(sizeLimit: 100, fileCount: 11)
    #expect(ring.fileName(template: "x", windowStart: 0, counter: 0) == "x00")
    #expect(ring.fileName(template: "x", windowStart: 0, counter: 10) == "x10")
    // Without -G the template is not a strftime pattern.
    #expect(plain.fileName(template: "a%Sb", windowStart: 0, counter: 0) == "a%Sb")
  }

  /// Seconds of `time` past the last multiple of `length` on the local clock.
  func localPhase(_ time: Int64, _ length: Int64) -> Int64 {
    var clock = time_t(time)
    var parts = tm()
    _ = localtime_r(&clock, &parts)
    let local = time + Int64(parts.tm_gmtoff)
    return ((local % length) + length) % length
  }

  @Test(
    "-G windows start on the local clock's multiples of their length, whatever the first packet")
  func windowsAlignToTheClock() {
    for length in [1, 7, 60, 3600, 86_400] {
      let rotation = CaptureFileRotation(seconds: length)
      for time: Int64 in [1_700_000_000, 1_700_000_059, 1_764_417_599, 1_764_417_600] {
        let start = rotation.windowStart(containing: time)
        #expect(start <= time && time < start + Int64(length))
        #expect(localPhase(start, Int64(length)) == 0, "-G \(length) at \(time): \(start)")
      }
    }
  }

  @Test("-G names come from strftime at the window's start")
  func timeNames() {
    let rotation = CaptureFileRotation(seconds: 10)
    #expect(
      rotation.fileName(template: "c-%s.pcap", windowStart: 1_700_000_000, counter: 0)
        == "c-1700000000.pcap")
    let both = CaptureFileRotation(sizeLimit: 100, seconds: 10, fileCount: 3)
    #expect(
      both.fileName(template: "c-%s.pcap", windowStart: 1_700_000_010, counter: 2)
        == "c-1700000010.pcap2")
  }

  @Test(
    "size rotation: a file closes once over the limit, after at least one packet; -W wraps the names"
  )
  func rotatorBySize() {
    var rotator = CaptureFileRotator(
      rotation: CaptureFileRotation(sizeLimit: 100, fileCount: 2), template: "r", now: 0)
    #expect(rotator.currentName == "r0")
    // An empty file over the limit (a header larger than the limit) still takes a packet.
    #expect(rotator.nextFile(forPacketAt: 0, fileLength: 500) == nil)
    rotator.packetWritten()
    #expect(rotator.nextFile(forPacketAt: 0, fileLength: 100) == nil)
    rotator.packetWritten()
    #expect(rotator.nextFile(forPacketAt: 0, fileLength: 101) == .init(name: "r1", removing: []))
    #expect(rotator.packetsInFile == 0)
    rotator.packetWritten()
    // Back to r0: overwritten, nothing else removed.
    #expect(rotator.nextFile(forPacketAt: 0, fileLength: 101) == .init(name: "r0", removing: []))
    #expect(rotator.files == ["r1", "r0"])
  }

  @Test(
    "time rotation: a new file per window with packets, the counter reset in each, -W removes the oldest"
  )
  func rotatorByTime() {
    let rotation = CaptureFileRotation(sizeLimit: 100, seconds: 10, fileCount: 2)
    let start = rotation.windowStart(containing: 1_700_000_003)
    var rotator = CaptureFileRotator(rotation: rotation, template: "t-%s-", now: start + 3)
    #expect(rotator.currentName == "t-\(start)-0")
    rotator.packetWritten()
    #expect(
      rotator.nextFile(forPacketAt: start + 9, fileLength: 101)
        == .init(name: "t-\(start)-1", removing: []))
    rotator.packetWritten()
    // A packet stamped before the window (the clock went back) stays in the current file.
    #expect(rotator.nextFile(forPacketAt: start - 5, fileLength: 50) == nil)
    #expect(!rotator.windowHasEnded(by: start + 9))
    #expect(rotator.windowHasEnded(by: start + 10))
    // Two quiet windows, then a packet: one new file, named for its own window, counter 0.
    let later = start + 30
    #expect(
      rotator.nextFile(forPacketAt: later + 4, fileLength: 50)
        == .init(name: "t-\(later)-0", removing: ["t-\(start)-0"]))
    #expect(rotator.counter == 0 && rotator.files == ["t-\(start)-1", "t-\(later)-0"])
  }

  @Test("a template whose names change more slowly than the windows is detected")
  func repeatingNames() {
    let minutes = CaptureFileRotator(
      rotation: CaptureFileRotation(seconds: 10), template: "x-%H%M", now: 1_700_000_000)
    #expect(minutes.namesRepeatEachWindow)
    let seconds = CaptureFileRotator(
      rotation: CaptureFileRotation(seconds: 10), template: "x-%H%M%S", now: 1_700_000_000)
    #expect(!seconds.namesRepeatEachWindow)
  }
}
