@preconcurrency import Glibc

/// When a long capture moves on to a new file, and how the files are named: tcpdump's
/// `-C SIZE`, `-G SECONDS` and `-W COUNT`.
///
/// - `sizeLimit` (`-C`): before a packet is written, a file already longer than the limit
///   (header included, as `ftell` counts it) is closed and the packet starts the next file.
///   A packet is never split: a file ends at most one packet record past the limit. A file
///   always holds at least one packet before it is closed for its size.
/// - `seconds` (`-G`): windows of that many seconds aligned to the local clock (`-G 60`
///   starts a window at every minute, `-G 3600` at every hour, `-G 86400` at local
///   midnight), not to the first packet, so they never drift. A packet goes into the file of
///   the window its timestamp falls in; a window without packets has no file (as in
///   tcpdump), except the first, whose file is created when the capture starts. A packet
///   stamped before the current window (the clock went back) stays in the current file.
/// - `fileCount` (`-W`): at most that many files of this capture exist at once; when a new
///   file would make one more, the oldest is removed (with `-C` alone the numbered names
///   come round again, and the oldest is overwritten, as in tcpdump).
///
/// Names follow tcpdump's `MakeFilename`: with `-G` the template is passed through
/// `strftime` with the window's start in local time; with `-C` a counter is appended
/// (`file`, `file1`, `file2`... without `-W`; `file0`, `file1`... zero-padded to the digits
/// of `fileCount - 1` with it). The counter starts again at 0 in each `-G` window.
public struct CaptureFileRotation: Sendable, Equatable {
  /// The size after which a file is closed, in bytes (`-C`); nil: no size limit.
  public var sizeLimit: Int?
  /// The length of a time window, in seconds (`-G`); nil: no time windows.
  public var seconds: Int?
  /// The most files kept (`-W`); nil: no limit.
  public var fileCount: Int?

  /// A rotation with the given limits; each is positive when given.
  public init(sizeLimit: Int? = nil, seconds: Int? = nil, fileCount: Int? = nil) {
    self.sizeLimit = sizeLimit
    self.seconds = seconds
    self.fileCount = fileCount
  }

  /// Whether files rotate at all (`-C` or `-G` given).
  public var isEnabled: Bool { sizeLimit != nil || seconds != nil }

  /// Parses `-C`'s argument as tcpdump 4.99 does: a positive whole number of millions of
  /// bytes (1,000,000), or of KiB, MiB or GiB with a `k`, `m` or `g` suffix (either case).
  ///
  /// - Returns: the size in bytes, or nil when the text is not such a size.
  public static func size(parsing text: String) -> Int? {
    var digits = Substring(text)
    var unit = 1_000_000
    if let last = text.last, !last.isNumber {
      switch last {
      case "k", "K": unit = 1 << 10
      case "m", "M": unit = 1 << 20
      case "g", "G": unit = 1 << 30
      default: return nil
      }
      digits = digits.dropLast()
    }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
      let count = Int(digits), count > 0
    else { return nil }
    let (bytes, overflow) = count.multipliedReportingOverflow(by: unit)
    return overflow ? nil : bytes
  }

  /// Digits of the counter appended with `-W` (tcpdump's `getWflagChars`: those of
  /// `fileCount - 1`, so `-W 1` has none and `-W 10` one); 0 without `-W`.
  public var counterDigits: Int {
    guard var rest = fileCount.map({ $0 - 1 }) else { return 0 }
    var digits = 0
    while rest > 0 {
      digits += 1
      rest /= 10
    }
    return digits
  }

  /// The name of a file: `template` through `strftime` at `windowStart` (local time) when
  /// windows are on, then the counter when sizes are limited (tcpdump's `MakeFilename`:
  /// nothing is appended for counter 0 without `-W`).
  public func fileName(template: String, windowStart: Int64, counter: Int) -> String {
    var name = template
    if seconds != nil { name = Self.format(template, at: windowStart) }
    guard sizeLimit != nil, counter != 0 || counterDigits != 0 else { return name }
    let number = String(counter)
    return name + String(repeating: "0", count: max(0, counterDigits - number.count)) + number
  }

  /// The start of the `seconds`-long window holding `time` (seconds since the epoch),
  /// aligned to the local clock: windows start where local time is a multiple of
  /// `seconds` since the local midnight of 1 January 1970.
  public func windowStart(containing time: Int64) -> Int64 {
    guard let seconds, seconds > 0 else { return time }
    let local = time + Int64(Self.utcOffset(at: time))
    let length = Int64(seconds)
    let into = ((local % length) + length) % length
    return time - into
  }

  /// Local time's offset from UTC at `time`, in seconds.
  static func utcOffset(at time: Int64) -> Int {
    var clock = time_t(time)
    var parts = tm()
    guard localtime_r(&clock, &parts) != nil else { return 0 }
    return parts.tm_gmtoff
  }

  /// `strftime(template)` at `time` in local time.
  ///
  /// The corresponding C calls are `localtime_r` and `strftime`.
  static func format(_ template: String, at time: Int64) -> String {
    var clock = time_t(time)
    var parts = tm()
    guard localtime_r(&clock, &parts) != nil else { return template }
    var capacity = max(256, template.utf8.count * 4 + 64)
    while capacity <= 1 << 16 {
      var buffer = [CChar](repeating: 0, count: capacity)
      let written = strftime(&buffer, capacity, template, &parts)
      // 0 is also the length of an empty result; a template is never empty here.
      if written > 0 || template.isEmpty {
        return String(decoding: buffer[..<written].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      }
      capacity *= 4
    }
    return template
  }
}
