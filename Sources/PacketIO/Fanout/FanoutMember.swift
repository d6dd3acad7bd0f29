import PacketKit

/// One ring of a fanout group (`TPacketRing.Configuration.fanoutGroup`): the kernel spreads
/// the interface's frames over the group's rings by flow hash, and `FanoutMerge` polls each
/// member on a thread of its own.
///
/// While a merge runs only the member's thread touches `ring`; before and after it (to
/// read `statistics()`, say) only the caller does. That hand-over (the thread is started,
/// then joined) is why the class may be `@unchecked Sendable`.
public final class FanoutMember: @unchecked Sendable {
  /// The member's ring.
  public var ring: TPacketRing

  /// Wraps `ring`, opened with a `fanoutGroup` shared by the group's other rings.
  public init(ring: consuming TPacketRing) { self.ring = ring }
}
