/// Interface names by kernel index, each looked up once (`if_indextoname`): the names of
/// the interfaces an `any` capture's SLL2 frames come from.
///
/// A name is looked up the first time its index is seen; later frames of that interface
/// reuse it without a system call or an allocation. An index with no interface is `?`,
/// as tcpdump prints it.
struct InterfaceNameCache {
  private var names: [UInt32: String] = [:]

  /// The name of the interface with `index`, or `?` when there is none.
  mutating func name(ofIndex index: UInt32) -> String {
    if let name = names[index] { return name }
    let name = system_if_indextoname(Int32(bitPattern: index)) ?? "?"
    names[index] = name
    return name
  }
}
