/// The state of a rotating capture: which file is current, when the next must start, and
/// which files a `-W` ring must remove. It decides; the caller opens, writes and removes
/// files. ``CaptureFileRotation`` states the rules.
///
/// Call ``nextFile(forPacketAt:fileLength:)`` before writing each packet and
/// ``packetWritten()`` after; both allocate nothing unless a new file starts.
public struct CaptureFileRotator: Sendable {
  /// What to do when a packet must start a new file.
  public struct Step: Sendable, Equatable {
    /// The new file's name (created, or truncated when it exists).
    public var name: String
    /// Files of this capture to remove first (the oldest of a `-W` ring).
    public var removing: [String]

    /// A step to the file `name`, removing the files `removing` first.
    public init(name: String, removing: [String]) {
      self.name = name
      self.removing = removing
    }
  }

  /// The limits and naming rules.
  public let rotation: CaptureFileRotation
  /// The `-w` name the file names are made from.
  public let template: String
  /// The name of the current file.
  public private(set) var currentName: String
  /// The current file's window: its first second, and the first second after it.
  public private(set) var window: (start: Int64, end: Int64)?
  /// The current size counter (`-C`), starting at 0 in each window.
  public private(set) var counter = 0
  /// Packets written to the current file.
  public private(set) var packetsInFile = 0
  /// The files this capture has created and not removed, oldest first.
  public private(set) var files: [String]

  /// Starts with the first file, named for the window holding `now` (seconds since the
  /// epoch), opened by the caller at once.
  public init(rotation: CaptureFileRotation, template: String, now: Int64) {
    self.rotation = rotation
    self.template = template
    var start = now
    if let seconds = rotation.seconds {
      start = rotation.windowStart(containing: now)
      window = (start, start + Int64(seconds))
    } else {
      window = nil
    }
    currentName = rotation.fileName(template: template, windowStart: start, counter: 0)
    files = [currentName]
  }

  /// Whether consecutive windows would get the same name (a template whose `strftime`
  /// conversions change more slowly than the windows), so a window would overwrite the
  /// file of the one before. Three pairs of windows after the first are compared: a
  /// conversion slower than the windows repeats a name within them.
  public var namesRepeatEachWindow: Bool {
    guard let window, let seconds = rotation.seconds else { return false }
    let length = Int64(seconds)
    var previous = rotation.fileName(template: template, windowStart: window.end, counter: 0)
    for step in 1...3 {
      let next = rotation.fileName(
        template: template, windowStart: window.end + Int64(step) * length, counter: 0)
      if next == previous { return true }
      previous = next
    }
    return false
  }

  /// The new file a packet stamped `seconds` must start, or nil when it goes into the
  /// current file, whose length is now `fileLength` bytes.
  @inline(__always)
  public mutating func nextFile(forPacketAt seconds: Int64, fileLength: Int) -> Step? {
    if let window, seconds >= window.end { return startWindow(holding: seconds) }
    if let limit = rotation.sizeLimit, packetsInFile > 0, fileLength > limit {
      return startNextBySize()
    }
    return nil
  }

  /// Counts a packet written to the current file.
  @inline(__always)
  public mutating func packetWritten() { packetsInFile += 1 }

  /// Whether the current file's window has ended by `now` (seconds since the epoch):
  /// nothing more is expected in it.
  public func windowHasEnded(by now: Int64) -> Bool {
    guard let window else { return false }
    return now >= window.end
  }

  private mutating func startWindow(holding seconds: Int64) -> Step {
    let start = rotation.windowStart(containing: seconds)
    window = (start, start + Int64(rotation.seconds!))
    counter = 0
    return begin(rotation.fileName(template: template, windowStart: start, counter: 0))
  }

  private mutating func startNextBySize() -> Step {
    counter += 1
    if let count = rotation.fileCount, counter >= count { counter = 0 }
    return begin(
      rotation.fileName(template: template, windowStart: window?.start ?? 0, counter: counter))
  }

  private mutating func begin(_ name: String) -> Step {
    packetsInFile = 0
    currentName = name
    files.removeAll { $0 == name }
    files.append(name)
    var removing: [String] = []
    if let count = rotation.fileCount {
      while files.count > count { removing.append(files.removeFirst()) }
    }
    return Step(name: name, removing: removing)
  }
}
