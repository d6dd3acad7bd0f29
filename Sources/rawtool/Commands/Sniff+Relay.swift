import PacketIO
import PacketKit

/// Printing while capturing: the capture runs on a thread of its own and copies frames into
/// a `FrameRelay`, while the main thread decodes, formats and writes them. A burst the output
/// cannot keep up with waits in the relay instead of filling the kernel's buffer, so the
/// printing side does not make the kernel drop frames; if the relay itself fills, the
/// capture waits and the kernel drops and counts (the counts printed stay exact).
extension Sniff {
  /// A libpcap handle lent to the capture thread, and what its capture failed with.
  final class RelayedPcap: @unchecked Sendable {
    // @unchecked Sendable: only the capture thread touches `handle` and `failure` while the
    // relay runs; only the main thread before and after (the thread is joined in between).
    var handle: PcapHandle
    var failure: Error? = nil
    init(_ handle: consuming PcapHandle) { self.handle = handle }
  }

  /// Captures with libpcap through a relay into `sink` until a stop signal, the sink's limit
  /// or a failure; returns the handle's failure, if any.
  func relayLibpcap(_ capture: RelayedPcap, into sink: PacketOutputSink) -> Error? {
    let breaker = capture.handle.breaker
    let drainTimeout = capture.handle.timeoutMilliseconds
    FrameRelay().run(into: sink, wake: { breaker.breakLoop() }) { relay in
      while !StopSignal.isRequested && !relay.isStopRequested {
        do {
          _ = try capture.handle.dispatch(limit: 0) { record, bytes in relay.push(record, bytes) }
        } catch {
          capture.failure = RuntimeFailure("\(error)")
          return
        }
      }
      // Stopped by a signal: take what the kernel still holds.
      guard !relay.isStopRequested else { return }
      _ = try? capture.handle.drain(timeoutMilliseconds: drainTimeout, limit: 0) {
        record, bytes in relay.push(record, bytes)
      }
    }
    return capture.failure
  }

  /// Captures from one af-packet ring through a relay into `sink`, as `relayLibpcap` does;
  /// returns the ring's failure, if any.
  func relayRing(_ member: FanoutMember, into sink: PacketOutputSink) -> Error? {
    let failure = RelayFailure()
    FrameRelay().run(into: sink) { relay in
      while !StopSignal.isRequested && !relay.isStopRequested {
        do {
          _ = try member.ring.poll(timeoutMilliseconds: 100) { record, bytes in
            relay.push(record, bytes)
          }
        } catch {
          failure.error = RuntimeFailure("\(error)")
          return
        }
      }
      guard !relay.isStopRequested else { return }
      _ = try? member.ring.drain { record, bytes in relay.push(record, bytes) }
    }
    return failure.error
  }

  /// What a capture thread failed with, read after it is joined.
  final class RelayFailure: @unchecked Sendable {
    // @unchecked Sendable: written by the capture thread, read after it is joined.
    var error: Error? = nil
  }
}
