extension FrameRelay {
  /// Runs `capture` on a thread of its own while the calling thread delivers the frames it
  /// pushes to `sink` (`deliver(into:)`), and returns once both are done.
  ///
  /// `capture` pushes frames into the relay until it sees `isStopRequested` or its own reason
  /// to stop; the relay is closed when it returns. When `sink` finishes first, the relay asks
  /// the capture to stop and calls `wake`, which should end a wait `capture` may be blocked
  /// in (a libpcap breaker's `breakLoop`).
  ///
  /// - Returns: the number of frames handed to `sink`.
  @discardableResult
  public func run(
    into sink: some FrameSink, wake: @escaping @Sendable () -> Void = {},
    capture: @escaping @Sendable (FrameRelay) -> Void
  ) -> Int {
    let thread = NativeThread {
      capture(self)
      self.close()
    }
    let delivered = deliver(into: sink)
    if isStopRequested { wake() }
    thread.join()
    return delivered
  }
}
