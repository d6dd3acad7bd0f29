/// Packets and bytes per protocol path (`eth:ipv4:tcp`), shown as a tree the way tshark's
/// `-z io,phs` shows it: each node counts every frame whose path starts with the node's path.
///
/// A path is stored as a `LayerPath` (a byte per layer kind, and the count), so counting a
/// frame whose path was seen before is one dictionary lookup and allocates nothing, and no
/// layer kind can be taken for another or for the end of the path.
public struct ProtocolHierarchy: Sendable {
  /// One node of the tree.
  public struct Node: Sendable, Hashable {
    /// The `:`-joined layer names from the outermost (`eth:ipv4:tcp`).
    public var path: String
    /// The last layer's name (`tcp`).
    public var name: String
    /// Nesting depth: 0 for the outermost layer.
    public var depth: Int
    /// Frames whose path starts with `path`.
    public var packets: Int
    /// Their wire bytes.
    public var bytes: Int
  }

  struct Counter: Sendable {
    var packets: Int
    var bytes: Int

    static let zero = Counter(packets: 0, bytes: 0)

    mutating func add(packets: Int, bytes: Int) {
      self.packets &+= packets
      self.bytes &+= bytes
    }
  }

  /// Full paths (`DecodedFrame`'s layer kinds) in order of first appearance, with their
  /// counts.
  private var entries: [(path: LayerPath, counter: Counter)] = []
  /// The index from paths to `entries`.
  private var slots = HashSlots(capacity: 16)

  /// Full paths and their counts.
  var paths: [LayerPath: Counter] {
    Dictionary(uniqueKeysWithValues: entries.lazy.map { ($0.path, $0.counter) })
  }

  /// An empty hierarchy.
  public init() {}

  /// Counts one frame of `bytes` wire bytes.
  public mutating func add(_ frame: borrowing DecodedFrame, bytes: Int) {
    add(path: frame.kinds, bytes: bytes)
  }

  @inline(__always)
  private func hash(_ path: LayerPath) -> UInt64 {
    slots.hash(
      UInt64(truncatingIfNeeded: path.codes),
      UInt64(truncatingIfNeeded: path.codes >> 64) ^ UInt64(truncatingIfNeeded: path.count))
  }

  mutating func add(path: LayerPath, bytes: Int) {
    var slot = slots.start(hash(path))
    while let index = slots.entry(at: slot) {
      if entries[index].path == path {
        entries[index].counter.add(packets: 1, bytes: bytes)
        return
      }
      slot = slots.next(slot)
    }
    entries.append((path, Counter(packets: 1, bytes: bytes)))
    if slots.insert(entries.count &- 1, at: slot) {
      var grown = slots.doubled()
      for index in entries.indices { grown.place(index, hash: hash(entries[index].path)) }
      slots = grown
    }
  }

  /// The tree in depth-first order; siblings by packets, then bytes (most first), then name.
  ///
  /// Frames with no decoded layer are not in the tree.
  public var nodes: [Node] {
    // Sum every full path into each of its prefixes.
    var prefixes: [LayerPath: Counter] = [:]
    for (path, counter) in entries {
      for length in stride(from: 1, through: path.count, by: 1) {
        prefixes[path.prefix(length), default: .zero].add(
          packets: counter.packets, bytes: counter.bytes)
      }
    }
    var children: [LayerPath: [LayerPath]] = [:]
    for prefix in prefixes.keys {
      children[prefix.prefix(prefix.count - 1), default: []].append(prefix)
    }
    var result: [Node] = []
    func visit(_ parent: LayerPath, depth: Int, path: String) {
      guard var list = children[parent] else { return }
      list.sort { lhs, rhs in
        let l = prefixes[lhs]!
        let r = prefixes[rhs]!
        if l.packets != r.packets { return l.packets > r.packets }
        if l.bytes != r.bytes { return l.bytes > r.bytes }
        return Self.name(lhs, at: depth) < Self.name(rhs, at: depth)
      }
      for key in list {
        let name = Self.name(key, at: depth)
        let fullPath = depth == 0 ? name : path + ":" + name
        let counter = prefixes[key]!
        result.append(
          Node(
            path: fullPath, name: name, depth: depth, packets: counter.packets,
            bytes: counter.bytes))
        visit(key, depth: depth + 1, path: fullPath)
      }
    }
    visit(LayerPath(), depth: 0, path: "")
    return result
  }

  /// The contract name of the layer at `depth` in `path`.
  static func name(_ path: LayerPath, at depth: Int) -> String {
    guard let kind = LayerKind(rawValue: path.code(at: depth)) else { return "?" }
    return kind.name.description
  }
}
