import CPacketIO
import Glibc
import PacketKit
import Synchronization

/// Every frame a capture sees, in order, as an `AsyncSequence` of owned `CapturedFrame`s.
///
/// Made by `LiveCapture.frames()` (or `init(interfaceNamed:filter:)`): the socket is open,
/// filtered and bound before the stream exists, so a caller can send right after creating
/// it and still see the reply. A dedicated thread (not the concurrency pool) reads the
/// ring and queues copies without bound, so no frame is lost once the kernel delivered it;
/// `counters` says whether the kernel dropped any for lack of ring room.
///
/// The stream ends — and the thread closes the socket — when `cancel()` is called, when
/// the iterating task is cancelled, when the stream and its iterators are dropped, or when
/// the capture fails (the iteration then throws its `SystemError`).
public struct CaptureStream: AsyncSequence, Sendable {
  /// A captured frame, with its bytes and timestamp.
  public typealias Element = CapturedFrame
  /// The iterator of the frames; it throws the error that ended the capture.
  public typealias AsyncIterator = AsyncThrowingStream<CapturedFrame, any Error>.Iterator

  private let stream: AsyncThrowingStream<CapturedFrame, any Error>
  private let state: CaptureStreamState

  /// The interface captured.
  public let interface: NetworkInterface
  /// The link type of the frames.
  public let linkType: LinkType

  /// Opens a capture on the interface named `interfaceName` with `filter` attached and
  /// starts delivering its frames.
  ///
  /// - Throws: `LiveCaptureError` as `LiveCapture.init(interfaceNamed:filter:)`.
  public init(
    interfaceNamed interfaceName: String, filter: String,
    configuration: LiveCapture.Configuration = LiveCapture.Configuration()
  ) throws(LiveCaptureError) {
    let capture = try LiveCapture(
      interfaceNamed: interfaceName, filter: filter, configuration: configuration)
    self = capture.frames()
  }

  /// Starts the reading thread on `ring`.
  init(ring: consuming TPacketRing, captured: Int) {
    interface = ring.interface
    linkType = ring.linkType
    let state = CaptureStreamState(captured: captured)
    let (stream, continuation) = AsyncThrowingStream<CapturedFrame, any Error>.makeStream()
    continuation.onTermination = { _ in state.requestStop() }
    self.stream = stream
    self.state = state
    let box = RingBox(ring: ring)
    NativeThread {
      var ring = box.take()
      var failure: (any Error)? = nil
      while !state.isStopRequested {
        do {
          let handled = try ring.read(timeoutMilliseconds: 5) { record, bytes in
            if case .terminated = continuation.yield(CapturedFrame(record: record, bytes: bytes)) {
              state.requestStop()
              return false
            }
            return true
          }
          state.update(captured: handled, statistics: try ring.statistics())
        } catch {
          failure = error
          break
        }
      }
      _ = consume ring
      state.markClosed()
      continuation.finish(throwing: failure)
    }.detach()
  }

  /// The iterator over the frames, in capture order.
  public func makeAsyncIterator() -> AsyncIterator { stream.makeAsyncIterator() }

  /// Ends the stream: the thread stops within a few milliseconds and closes the socket;
  /// frames already queued are still delivered.
  public func cancel() { state.requestStop() }

  /// Frames delivered to the stream so far, and the kernel's counts (passed the filter,
  /// dropped for lack of ring room), as of the thread's last read (every few ms).
  public var counters: CaptureCounters { state.counters }

  /// Whether the thread has stopped and closed the socket.
  public var isClosed: Bool { state.isClosed }
}

/// What the reading thread shares with the stream's owner.
final class CaptureStreamState: Sendable {
  private let stop = Atomic<Bool>(false)
  private let closed = Atomic<Bool>(false)
  private let shared: Mutex<CaptureCounters>

  init(captured: Int) { shared = Mutex(CaptureCounters(captured: captured)) }

  var isStopRequested: Bool { stop.load(ordering: .acquiring) }
  func requestStop() { stop.store(true, ordering: .releasing) }
  var isClosed: Bool { closed.load(ordering: .acquiring) }
  func markClosed() { closed.store(true, ordering: .releasing) }
  var counters: CaptureCounters { shared.withLock { $0 } }

  func update(captured: Int, statistics: (received: Int, dropped: Int)) {
    shared.withLock {
      $0.captured += captured
      $0.received = statistics.received
      $0.dropped = statistics.dropped
    }
  }
}

/// Moves a ring into the reading thread.
private final class RingBox: @unchecked Sendable {
  private var ring: TPacketRing?
  init(ring: consuming TPacketRing) { self.ring = consume ring }
  func take() -> TPacketRing { ring.take()! }
}
