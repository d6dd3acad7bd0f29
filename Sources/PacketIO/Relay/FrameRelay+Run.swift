extension FrameRelay {
  /// Runs `capture` on a thread of its own while the calling thread delivers the frames it
  /// pushes to `sink` (`deliver(into:)`), and returns once both are done.
  ///
  /// `capture` pushes frames into the relay until it sees `isStopRequested` or its own reason
  /// to stop; the relay is closed when it returns. When `sink` finishes first, the relay asks
  /// the capture to stop and calls `wake`, which should end a wait `capture` may be blocked
  /// in (a libpcap breaker's `breakLoop`).
  ///
  /// The capture thread asks for a higher scheduling priority (nice `captureNice`, -10 by
  /// default; granted with CAP_SYS_NICE, which a capture running as root has): it does little
  /// work per frame, and when it waits behind the printing thread or other programs the
  /// kernel's buffer fills.
  ///
  /// - Returns: the number of frames handed to `sink`.
  @discardableResult
  public func run(
    into sink: some FrameSink, wake: @escaping @Sendable () -> Void = {},
    captureNice: Int32? = -10, capture: @escaping @Sendable (FrameRelay) -> Void
  ) -> Int {
    let thread = NativeThread {
      if let captureNice { system_setThreadNice(captureNice) }
      capture(self)
      self.close()
    }
    let delivered = deliver(into: sink)
    if isStopRequested { wake() }
    thread.join()
    return delivered
  }
}
