/// Interface names by kernel index, each looked up once (`if_indextoname`): the names of
/// the interfaces SLL2 frames come from, as tcpdump prints them (an `any` capture, or a file
/// read on this machine).
///
/// A name is looked up the first time its index is seen; later frames of that interface
/// reuse it without a system call or an allocation. An index with no interface is `?`,
/// as tcpdump prints it.
public struct InterfaceNameCache: Sendable {
  private var names: [UInt32: String] = [:]

  /// An empty cache.
  public init() {}

  /// The name of the interface with `index` in this network namespace, or `?` when there is
  /// none. The corresponding C call is `if_indextoname(index, buffer)`, made once per index.
  public mutating func name(ofIndex index: UInt32) -> String {
    if let name = names[index] { return name }
    let name = system_if_indextoname(Int32(bitPattern: index)) ?? "?"
    names[index] = name
    return name
  }
}
