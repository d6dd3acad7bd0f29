/// How completely a decoded layer could be read: decoding is lax, so a damaged layer is
/// reported, never thrown.
public enum LayerStatus: Hashable, Sendable {
  /// Every byte the header needs was captured and its fields are consistent.
  case complete
  /// The capture (or an enclosing length) ended inside the header; fields that could be read are kept.
  case truncated(Truncation)
  /// The header contradicts itself or its container; decoding stopped at this layer.
  case malformed(Malformation)

  /// Whether the layer's header bytes ran out: truncated by the capture, or malformed
  /// because the frame or an enclosing length ends inside it.
  @inlinable public var isCutShort: Bool {
    switch self {
    case .complete: false
    case .truncated: true
    case .malformed(let malformation): malformation.headerCutShort
    }
  }

  /// Whether the layer is complete.
  @inlinable public var isComplete: Bool {
    if case .complete = self { return true }
    return false
  }
}

/// What cut a layer short: etherparse's `LenError`, in Swift.
public struct Truncation: Hashable, Sendable {
  /// What bounded the bytes available to the layer.
  public enum Bound: Hashable, Sendable {
    /// The end of the captured bytes (snap length).
    case capture
    /// The enclosing IPv4 total length.
    case ipv4TotalLength
    /// The enclosing IPv6 payload length.
    case ipv6PayloadLength
    /// The enclosing UDP length.
    case udpLength
    /// The end of the datagram quoted by an ICMP error.
    case quote
  }

  /// The layer that ran out of bytes.
  public var layer: LayerKind
  /// Bytes the layer needed (its minimum or announced header length).
  public var needed: Int
  /// Bytes that were available.
  public var available: Int
  /// The layer's start in the frame.
  public var offset: Int
  /// What limited `available`.
  public var bound: Bound

  /// What cut the layer `layer` at `offset` short: it needed `needed` bytes and had `available`.
  public init(layer: LayerKind, needed: Int, available: Int, offset: Int, bound: Bound) {
    self.layer = layer
    self.needed = needed
    self.available = available
    self.offset = offset
    self.bound = bound
  }
}

/// A header that contradicts itself or its container.
///
/// `description` is the contract's `"malformed": "<reason>"` text.
public struct Malformation: Hashable, Sendable, CustomStringConvertible {
  /// The contract field name that is wrong (`header_length`, `total_length`, …).
  public var field: StaticString
  /// Why it is wrong, as a short phrase.
  public var reason: StaticString
  /// The offending value.
  public var value: Int
  /// Whether the header's bytes ran out (the frame, or an enclosing length, ends inside it)
  /// rather than a field contradicting another.
  public var headerCutShort: Bool

  /// A malformation of `field`: `value` is wrong for `reason`.
  public init(field: StaticString, reason: StaticString, value: Int, headerCutShort: Bool = false) {
    self.field = field
    self.reason = reason
    self.value = value
    self.headerCutShort = headerCutShort
  }

  /// The field, its value and the reason: `header_length 4: below 20`.
  public var description: String { "\(field) \(value): \(reason)" }

  /// Whether the field, the reason, the value and `headerCutShort` are alike.
  public static func == (lhs: Malformation, rhs: Malformation) -> Bool {
    lhs.field.description == rhs.field.description
      && lhs.reason.description == rhs.reason.description
      && lhs.value == rhs.value && lhs.headerCutShort == rhs.headerCutShort
  }

  /// Hashes the field and the value.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(field.description)
    hasher.combine(value)
  }
}

/// The error of strict single-header decoding (`init(decoding:)`).
public enum DecodeError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The bytes ended inside the header.
  case truncated(Truncation)
  /// The header contradicts itself.
  case malformed(Malformation)

  /// The layer and the bytes it had, or the malformation, for messages.
  public var description: String {
    switch self {
    case .truncated(let t): "\(t.layer.name): truncated, \(t.available) of \(t.needed) bytes"
    case .malformed(let m): "malformed: \(m)"
    }
  }
}
