/// An absolute capture time, exact to the nanosecond.
public struct Timestamp: Sendable, Hashable, Comparable {
  public var seconds: Int64
  public var nanoseconds: UInt32
  public init(seconds: Int64, nanoseconds: UInt32) { self.seconds = seconds; self.nanoseconds = nanoseconds }
  public static func < (a: Timestamp, b: Timestamp) -> Bool { (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds) }
}
/// One packet record of a capture file.
public struct CaptureRecord: Sendable, Hashable {
  public enum Direction: Sendable, Hashable { case inbound, outbound }
  public var number: Int
  public var timestamp: Timestamp
  public var capturedLength: Int
  public var wireLength: Int
  public var linkType: LinkType
  public var interfaceIndex: Int?
  public var interfaceName: String?
  public var direction: Direction?
  public init(number: Int, timestamp: Timestamp, capturedLength: Int, wireLength: Int, linkType: LinkType, interfaceIndex: Int? = nil, interfaceName: String? = nil, direction: Direction? = nil) { self.number = number; self.timestamp = timestamp; self.capturedLength = capturedLength; self.wireLength = wireLength; self.linkType = linkType; self.interfaceIndex = interfaceIndex; self.interfaceName = interfaceName; self.direction = direction }
}
