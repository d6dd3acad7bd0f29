import ArgumentParser
@preconcurrency import Glibc
import PacketKit

/// `sniff -w FILE -C SIZE -G SECONDS -W COUNT`: tcpdump's rotating capture files
/// (the rules are `CaptureFileRotation`'s).
struct RotationOptions: ParsableArguments {
  @Option(
    name: .customShort("C"),
    help: ArgumentHelp(
      "Start a new file once the current one is over SIZE: millions of bytes as in tcpdump, or KiB, MiB, GiB with a k, m or g suffix (-C 10, -C 512k). Later files are numbered FILE1, FILE2... (FILE0, FILE1... with -W).",
      valueName: "size"))
  var size: String?

  @Option(
    name: .customShort("G"),
    help: ArgumentHelp(
      "Start a new file every SECONDS, on windows aligned to the local clock (-G 60: at each minute). The -w name takes strftime conversions (-w 'cap-%H%M%S.pcap').",
      valueName: "seconds"))
  var seconds: Int?

  @Option(
    name: .customShort("W"),
    help: ArgumentHelp(
      "Keep at most COUNT files: starting one more removes the oldest (a ring buffer).",
      valueName: "count"))
  var fileCount: Int?

  /// The rotation asked for, or nil when none is.
  func rotation() throws -> CaptureFileRotation? {
    var rotation = CaptureFileRotation(seconds: seconds, fileCount: fileCount)
    if let size {
      guard let bytes = CaptureFileRotation.size(parsing: size) else {
        throw ValidationError(
          "-C takes a positive size: millions of bytes, or a number with a k, m or g suffix (got '\(size)')."
        )
      }
      rotation.sizeLimit = bytes
    }
    return rotation.isEnabled ? rotation : nil
  }

  /// Checks the flags against each other and against `-w`.
  func validate(writePath: String?) throws {
    if let seconds, seconds <= 0 { throw ValidationError("-G takes a positive number of seconds.") }
    if let fileCount, fileCount <= 0 {
      throw ValidationError("-W takes a positive number of files.")
    }
    let rotation = try rotation()
    if fileCount != nil && rotation == nil { throw ValidationError("-W needs -C or -G.") }
    guard rotation != nil else { return }
    guard let writePath, writePath != "-" else {
      throw ValidationError("-C and -G rotate the -w file; they need -w FILE (not -w -).")
    }
    if seconds != nil && !writePath.contains("%") {
      throw ValidationError(
        "-G needs strftime conversions in the -w name (-w 'cap-%Y%m%d-%H%M%S.pcap'): without them every window would overwrite the file of the one before."
      )
    }
    let rotator = CaptureFileRotator(
      rotation: rotation!, template: writePath, now: Int64(time(nil)))
    if rotator.namesRepeatEachWindow {
      throw ValidationError(
        "-w \(writePath): consecutive -G \(seconds ?? 0) windows would get the same file name and overwrite each other; use strftime conversions that change every window (%S, %M, %H...)."
      )
    }
  }
}
