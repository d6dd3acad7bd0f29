@preconcurrency import Glibc
import PacketKit

/// A progress line on standard error for long runs over a file (`read -w`, `stats`, `replay`):
/// packets, rate, percent of the file and the time left, redrawn in place a few times a
/// second, erased at the end. Only when standard error is a terminal, and only once a run
/// has lasted half a second (`RAWTOOL_PROGRESS_DELAY_MS` changes that, for tests), so short
/// runs and redirected runs print nothing.
///
/// The loop calls ``record(capturedLength:)`` per packet only when a progress line exists
/// (the command checks the optional once per packet); it adds two numbers, and reads the
/// clock once every 1024 packets.
struct ProgressLine {
  /// The file's size in bytes, when it is a regular file (nil for a pipe).
  let fileSize: Int?
  /// Bytes a record costs in the file beyond its captured bytes (16 in pcap, about 32 in
  /// pcapng).
  let recordOverhead: Int
  let started: UInt64
  /// No line before this time.
  var nextDraw: UInt64
  var packets = 0
  /// File bytes read so far (an estimate for pcapng: blocks may carry options).
  var position: Int
  var drawn = false

  /// A progress line for reading `path`, or nil when standard error is not a terminal.
  init?(path: String, format: CaptureFileFormat) {
    self.init(fileSize: Self.size(of: path), format: format)
  }

  /// A progress line over `fileSize` bytes of files in `format` (nil: unknown, no percent),
  /// or nil when standard error is not a terminal.
  init?(fileSize: Int?, format: CaptureFileFormat) {
    guard isatty(2) != 0 else { return nil }
    self.fileSize = fileSize
    recordOverhead = format == .pcap ? 16 : 32
    position = format == .pcap ? 24 : 0
    started = Self.now()
    let delay =
      getenv("RAWTOOL_PROGRESS_DELAY_MS").flatMap { UInt64(String(cString: $0)) } ?? 500
    nextDraw = started + delay * 1_000_000
  }

  /// The size of a regular file, in bytes; nil for standard input, a pipe or an error.
  static func size(of path: String) -> Int? {
    var status = stat()
    guard path != "-", stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
      return nil
    }
    return Int(status.st_size)
  }

  /// Sets the counts from outside (a replay's report) and redraws when it is time.
  mutating func show(packets: Int, capturedBytes: Int) {
    self.packets = packets
    position = capturedBytes + packets * recordOverhead
    drawIfDue()
  }

  /// Counts one record; redraws the line when it is time.
  @inline(__always)
  mutating func record(capturedLength: Int) {
    packets &+= 1
    position &+= capturedLength &+ recordOverhead
    if packets & 1023 == 0 || packets == 1 { drawIfDue() }
  }

  private mutating func drawIfDue() {
    let now = Self.now()
    guard now >= nextDraw else { return }
    nextDraw = now + 250_000_000
    StandardError.write("\r\u{1B}[K" + text(elapsed: now - started))
    drawn = true
  }

  /// `rawtool: 1234567 packets, 812k packets/s, 45.2% of 1.2 GB, 0:12 left`.
  func text(elapsed: UInt64) -> String {
    let seconds = Double(elapsed) / 1e9
    var text = "rawtool: \(packets) packet\(packets == 1 ? "" : "s"), "
    text += "\(Self.short(Double(packets) / max(seconds, 1e-9))) packets/s"
    if let fileSize, fileSize > 0 {
      let fraction = min(Double(position) / Double(fileSize), 1)
      let tenths = Int(fraction * 1000)
      text += ", \(tenths / 10).\(tenths % 10)% of \(Self.bytes(fileSize))"
      if fraction > 0 {
        let left = Int(seconds * (1 - fraction) / fraction)
        text += ", \(left / 60):\(left % 60 < 10 ? "0" : "")\(left % 60) left"
      }
    }
    return text
  }

  /// Erases the line, if one was drawn.
  func finish() {
    if drawn { StandardError.write("\r\u{1B}[K") }
  }

  static func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
  }

  /// `812`, `81.2k`, `8.1M`.
  static func short(_ value: Double) -> String {
    if value >= 1e6 { return tenths(value / 1e6) + "M" }
    if value >= 1e3 { return tenths(value / 1e3) + "k" }
    return String(Int(value))
  }

  /// `1.2 GB`, `340.0 MB`, `12.5 kB`, `900 B`.
  static func bytes(_ value: Int) -> String {
    let amount = Double(value)
    if amount >= 1e9 { return tenths(amount / 1e9) + " GB" }
    if amount >= 1e6 { return tenths(amount / 1e6) + " MB" }
    if amount >= 1e3 { return tenths(amount / 1e3) + " kB" }
    return "\(value) B"
  }

  static func tenths(_ value: Double) -> String {
    let scaled = Int((value * 10).rounded())
    return "\(scaled / 10).\(scaled % 10)"
  }
}
