import Glibc

extension NetworkInterface.Address {
  /// The address without its prefix length.
  public var ipAddress: IPAddress {
    switch value {
    case .ipv4(let address): .ipv4(address)
    case .ipv6(let address): .ipv6(address)
    }
  }
}

extension NetworkInterface {
  /// The interface's address to send from toward `destination` when the route names no
  /// source: the first of the same family, link-local first for a link-local destination
  /// and last otherwise; nil when the interface has no address of that family.
  public func preferredSource(toward destination: IPAddress) -> IPAddress? {
    let candidates = addresses.map(\.ipAddress).filter { $0.family == destination.family }
    let wantLinkLocal = destination.isLinkLocal
    return candidates.first { $0.isLinkLocal == wantLinkLocal } ?? candidates.first
  }
}
