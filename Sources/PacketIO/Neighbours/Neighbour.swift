import CPacketIO
import PacketKit

/// An entry of the kernel's neighbour table (ARP for IPv4, neighbour discovery for IPv6),
/// as `ip neigh` shows it.
public struct Neighbour: Sendable, Hashable, CustomStringConvertible {
  /// The `NUD_*` state bits of an entry.
  public struct State: OptionSet, Sendable, Hashable {
    /// The `ndm_state` bits.
    public var rawValue: UInt16
    /// The state of `ndm_state` bits.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Resolution in progress (NUD_INCOMPLETE).
    public static let incomplete = State(rawValue: UInt16(NUD_INCOMPLETE))
    /// Confirmed recently (NUD_REACHABLE).
    public static let reachable = State(rawValue: UInt16(NUD_REACHABLE))
    /// Known, not confirmed recently (NUD_STALE).
    public static let stale = State(rawValue: UInt16(NUD_STALE))
    /// Waiting before probing (NUD_DELAY).
    public static let delay = State(rawValue: UInt16(NUD_DELAY))
    /// Being probed again (NUD_PROBE).
    public static let probe = State(rawValue: UInt16(NUD_PROBE))
    /// Resolution failed (NUD_FAILED).
    public static let failed = State(rawValue: UInt16(NUD_FAILED))
    /// Needs no resolution (NUD_NOARP).
    public static let noARP = State(rawValue: UInt16(NUD_NOARP))
    /// Set by hand (NUD_PERMANENT).
    public static let permanent = State(rawValue: UInt16(NUD_PERMANENT))

    /// The states whose link-layer address can be used to send: REACHABLE, STALE, DELAY,
    /// PROBE, PERMANENT and NOARP (the kernel itself sends to STALE entries, then checks).
    public static let usable: State = [.reachable, .stale, .delay, .probe, .permanent, .noARP]

    /// The state as `ip neigh` words (`REACHABLE`, `STALE`, ...).
    public var names: [String] {
      let all: [(State, String)] = [
        (.incomplete, "INCOMPLETE"), (.reachable, "REACHABLE"), (.stale, "STALE"),
        (.delay, "DELAY"), (.probe, "PROBE"), (.failed, "FAILED"), (.noARP, "NOARP"),
        (.permanent, "PERMANENT"),
      ]
      return all.filter { contains($0.0) }.map(\.1)
    }
  }

  /// The neighbour's IP address (NDA_DST).
  public var address: IPAddress
  /// Its link-layer address (NDA_LLADDR); nil while unresolved.
  public var mac: MACAddress?
  /// The index of the interface it is reached by.
  public var interfaceIndex: Int
  /// The entry's state.
  public var state: State

  /// An entry with these values (the kernel's come from `NeighbourTable.entries`).
  public init(address: IPAddress, mac: MACAddress?, interfaceIndex: Int, state: State) {
    self.address = address
    self.mac = mac
    self.interfaceIndex = interfaceIndex
    self.state = state
  }

  /// Whether the entry's MAC can be sent to: a MAC is known and the state is usable.
  public var isUsable: Bool { mac != nil && !state.isDisjoint(with: .usable) }

  /// As `ip neigh` prints it: `192.0.2.1 lladdr 02:00:00:00:00:01 REACHABLE`.
  public var description: String {
    var text = "\(address)"
    if let mac { text += " lladdr \(mac)" }
    return text + " " + state.names.joined(separator: ",")
  }
}
