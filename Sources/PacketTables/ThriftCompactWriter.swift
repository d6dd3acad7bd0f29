/// Writes Thrift's compact protocol, in which Parquet's file metadata and page headers are
/// encoded: field headers carry the delta from the previous field id and the type in one
/// byte, integers are zigzag varints, binaries are length-prefixed.
struct ThriftCompactWriter {
  /// The compact protocol's type codes.
  enum FieldType: UInt8 {
    case booleanTrue = 1
    case booleanFalse = 2
    case i32 = 5
    case i64 = 6
    case binary = 8
    case list = 9
    case structure = 12
  }

  private(set) var bytes: [UInt8] = []
  /// The last field id written at each open struct level.
  private var lastFieldIDs: [Int16] = [0]

  /// Starts field `id` of type `type` in the current struct.
  mutating func fieldHeader(_ id: Int16, _ type: FieldType) {
    let delta = id - lastFieldIDs[lastFieldIDs.count - 1]
    if delta > 0 && delta <= 15 {
      bytes.append(UInt8(delta) << 4 | type.rawValue)
    } else {
      bytes.append(type.rawValue)
      varint(zigzag(Int64(id)))
    }
    lastFieldIDs[lastFieldIDs.count - 1] = id
  }

  /// Field `id`: a 32-bit integer.
  mutating func i32(_ id: Int16, _ value: Int32) {
    fieldHeader(id, .i32)
    varint(zigzag(Int64(value)))
  }

  /// Field `id`: a 64-bit integer.
  mutating func i64(_ id: Int16, _ value: Int64) {
    fieldHeader(id, .i64)
    varint(zigzag(value))
  }

  /// Field `id`: a boolean (its value is in the field header).
  mutating func bool(_ id: Int16, _ value: Bool) {
    fieldHeader(id, value ? .booleanTrue : .booleanFalse)
  }

  /// Field `id`: a string.
  mutating func string(_ id: Int16, _ value: String) {
    fieldHeader(id, .binary)
    binaryValue(Array(value.utf8))
  }

  /// Field `id`: a struct whose fields `body` writes.
  mutating func structure(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
    fieldHeader(id, .structure)
    structValue(body)
  }

  /// Field `id`: a list of `count` elements of `type`, which `body` writes as values.
  mutating func list(
    _ id: Int16, _ type: FieldType, count: Int, _ body: (inout ThriftCompactWriter) -> Void
  ) {
    fieldHeader(id, .list)
    if count < 15 {
      bytes.append(UInt8(count) << 4 | type.rawValue)
    } else {
      bytes.append(0xF0 | type.rawValue)
      varint(UInt64(count))
    }
    body(&self)
  }

  /// A struct value (a list element or a field's value): its fields, then the stop byte.
  mutating func structValue(_ body: (inout ThriftCompactWriter) -> Void) {
    lastFieldIDs.append(0)
    body(&self)
    bytes.append(0)
    lastFieldIDs.removeLast()
  }

  /// A 32-bit integer as a list element.
  mutating func i32Value(_ value: Int32) { varint(zigzag(Int64(value))) }

  /// A binary or string value as a list element.
  mutating func binaryValue(_ value: [UInt8]) {
    varint(UInt64(value.count))
    bytes.append(contentsOf: value)
  }

  /// Ends the outermost struct.
  mutating func stop() { bytes.append(0) }

  private func zigzag(_ value: Int64) -> UInt64 {
    UInt64(bitPattern: (value << 1) ^ (value >> 63))
  }

  private mutating func varint(_ value: UInt64) {
    var rest = value
    while rest >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
      rest >>= 7
    }
    bytes.append(UInt8(rest))
  }
}
