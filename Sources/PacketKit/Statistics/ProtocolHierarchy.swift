/// Packets and bytes per protocol path (`eth:ipv4:tcp`), shown as a tree the way tshark's
/// `-z io,phs` shows it: each node counts every frame whose path starts with the node's path.
///
/// A path is stored as a 64-bit key, four bits per layer kind, so counting a frame whose
/// path was seen before is one dictionary lookup and allocates nothing.
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

  /// Full paths (the key of `DecodedFrame`'s layer kinds) and their counts.
  private(set) var paths: [UInt64: Counter] = [:]

  public init() {}

  /// The key of a path: layer `i`'s kind (raw value + 1) in bits `4i..<4i+4`; 0 ends the
  /// path. `DecodedFrame.capacity` (16) layers fit exactly.
  static func key(adding kind: LayerKind, at index: Int, to key: UInt64) -> UInt64 {
    index < 16 ? key | UInt64(kind.rawValue &+ 1) << UInt64(4 * index) : key
  }

  /// Counts one frame of `bytes` wire bytes.
  public mutating func add(_ frame: borrowing DecodedFrame, bytes: Int) {
    var key: UInt64 = 0
    for index in 0..<frame.count {
      key = Self.key(adding: frame.kind(at: index), at: index, to: key)
    }
    add(key: key, bytes: bytes)
  }

  mutating func add(key: UInt64, bytes: Int) {
    paths[key, default: .zero].add(packets: 1, bytes: bytes)
  }

  /// The tree in depth-first order; siblings by packets, then bytes (most first), then name.
  ///
  /// Frames with no decoded layer are not in the tree.
  public var nodes: [Node] {
    // Sum every full path into each of its prefixes.
    var prefixes: [UInt64: Counter] = [:]
    for (key, counter) in paths {
      var length = 0
      while length < 16 && (key >> UInt64(4 * length)) & 0xF != 0 {
        length += 1
        let prefix = length == 16 ? key : key & ((1 << UInt64(4 * length)) - 1)
        prefixes[prefix, default: .zero].add(packets: counter.packets, bytes: counter.bytes)
      }
    }
    var children: [UInt64: [UInt64]] = [:]
    for prefix in prefixes.keys {
      children[Self.parent(of: prefix), default: []].append(prefix)
    }
    var result: [Node] = []
    func visit(_ parent: UInt64, depth: Int, path: String) {
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
    visit(0, depth: 0, path: "")
    return result
  }

  /// The key without its last layer.
  static func parent(of key: UInt64) -> UInt64 {
    var length = 0
    while length < 16 && (key >> UInt64(4 * length)) & 0xF != 0 { length += 1 }
    guard length > 1 else { return 0 }
    return key & ((1 << UInt64(4 * (length - 1))) - 1)
  }

  /// The contract name of the layer at `depth` in `key`.
  static func name(_ key: UInt64, at depth: Int) -> String {
    let code = UInt8((key >> UInt64(4 * depth)) & 0xF)
    guard code > 0, let kind = LayerKind(rawValue: code - 1) else { return "?" }
    return kind.name.description
  }
}
