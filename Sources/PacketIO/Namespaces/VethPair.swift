import PacketKit

/// Two network namespaces joined by a veth pair, with documentation addresses, for live
/// tests.
///
/// Side A: interface `vA` with 192.0.2.1/24 and 2001:db8::1/64; side B: `vB` with
/// 192.0.2.2/24 and 2001:db8::2/64. IPv6 addresses are added with `nodad` (and duplicate
/// address detection is off in both namespaces), so they are usable at once; the
/// initializer returns once both ends are running. Both namespaces have `lo` up. Nothing here can reach the host's network.
///
/// ```swift
/// try VethPair.with(prefix: "mytest") { pair in
///   let reply = try pair.a.execute(["ping", "-c", "1", "192.0.2.2"])
///   #expect(reply.succeeded)
/// }
/// ```
///
/// `tearDown()` deletes both namespaces (which destroys the pair); it also happens in
/// `deinit`, and `with` does it on every exit path.
public final class VethPair: Sendable {
  /// Side A.
  public let a: NetworkNamespace
  /// Side B.
  public let b: NetworkNamespace
  /// The interface in `a`.
  public let interfaceA = "vA"
  /// The interface in `b`.
  public let interfaceB = "vB"
  /// 192.0.2.1, on `vA`.
  public static let ipv4A = IPv4Address(192, 0, 2, 1)
  /// 192.0.2.2, on `vB`.
  public static let ipv4B = IPv4Address(192, 0, 2, 2)
  /// 2001:db8::1, on `vA`.
  public static let ipv6A = IPv6Address(high: 0x2001_0db8_0000_0000, low: 1)
  /// 2001:db8::2, on `vB`.
  public static let ipv6B = IPv6Address(high: 0x2001_0db8_0000_0000, low: 2)

  /// Creates both namespaces (`PREFIX-PID-N`) and the pair, addresses up.
  ///
  /// - Throws: `SystemError` from `ip`; whatever was created is deleted first.
  public init(prefix: String = "rawtool") throws(SystemError) {
    let a = try NetworkNamespace(prefix: prefix)
    let b: NetworkNamespace
    do {
      b = try NetworkNamespace(prefix: prefix)
    } catch {
      a.delete()
      throw error
    }
    self.a = a
    self.b = b
    do {
      try a.disableDuplicateAddressDetection()
      try b.disableDuplicateAddressDetection()
      try ProgramRunner.ip([
        "link", "add", interfaceA, "netns", a.name, "type", "veth", "peer", "name", interfaceB,
        "netns", b.name,
      ])
      try a.ip(["addr", "add", "\(Self.ipv4A)/24", "dev", interfaceA])
      try a.ip(["addr", "add", "\(Self.ipv6A)/64", "dev", interfaceA, "nodad"])
      try b.ip(["addr", "add", "\(Self.ipv4B)/24", "dev", interfaceB])
      try b.ip(["addr", "add", "\(Self.ipv6B)/64", "dev", interfaceB, "nodad"])
      try a.ip(["link", "set", interfaceA, "up"])
      try b.ip(["link", "set", interfaceB, "up"])
      try a.waitUntilRunning([interfaceA])
      try b.waitUntilRunning([interfaceB])
    } catch {
      tearDown()
      throw error
    }
  }

  deinit { tearDown() }

  /// Deletes both namespaces; does nothing the second time.
  public func tearDown() {
    a.delete()
    b.delete()
  }

  /// Creates a pair, runs `body` with it and tears it down, however `body` ends.
  public static func with<T>(prefix: String = "rawtool", _ body: (VethPair) throws -> T) throws
    -> T
  {
    let pair = try VethPair(prefix: prefix)
    defer { pair.tearDown() }
    return try body(pair)
  }

  /// Creates a pair, runs `body` with it and tears it down, however `body` ends.
  public static func with<T>(
    prefix: String = "rawtool", _ body: (VethPair) async throws -> T
  ) async throws -> T {
    let pair = try VethPair(prefix: prefix)
    defer { pair.tearDown() }
    return try await body(pair)
  }
}
