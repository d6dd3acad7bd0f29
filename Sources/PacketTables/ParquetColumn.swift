/// One column of a packet table as it fills for a row group: the values of the rows that
/// have one, whether each row has one, and for text columns the dictionary and indices.
struct ParquetColumn {
  /// How the column's values are stored in the file.
  enum Kind {
    /// INT32, PLAIN-encoded.
    case int32
    /// INT64, PLAIN-encoded.
    case int64
    /// BOOLEAN, PLAIN-encoded (bit-packed).
    case boolean
    /// BYTE_ARRAY annotated as a UTF-8 string, dictionary-encoded.
    case string
  }

  /// The column's name.
  let name: String
  /// Its storage.
  let kind: Kind
  /// Whether every row has a value (no definition levels are written).
  let required: Bool

  /// 1 for each row with a value, 0 for a null (optional columns only).
  var defined: [UInt32] = []
  var ints32: [Int32] = []
  var ints64: [Int64] = []
  var booleans: [Bool] = []
  /// Dictionary indices of the rows with a value (string columns).
  var indices: [UInt32] = []
  var dictionary = TextDictionary()
  /// The dictionary index of each address or MAC key seen (string columns keyed by value).
  var keyed: [AddressKey: UInt32] = [:]

  /// The number of rows.
  var rows = 0

  init(_ name: String, _ kind: Kind, required: Bool = false) {
    self.name = name
    self.kind = kind
    self.required = required
  }

  /// Forgets the values, keeping the storage (a new row group).
  mutating func reset() {
    defined.removeAll(keepingCapacity: true)
    ints32.removeAll(keepingCapacity: true)
    ints64.removeAll(keepingCapacity: true)
    booleans.removeAll(keepingCapacity: true)
    indices.removeAll(keepingCapacity: true)
    dictionary = TextDictionary()
    keyed.removeAll(keepingCapacity: true)
    rows = 0
  }

  @inline(__always) mutating func null() {
    defined.append(0)
    rows += 1
  }

  @inline(__always) private mutating func present() {
    if !required { defined.append(1) }
    rows += 1
  }

  mutating func append(_ value: Int32?) {
    guard let value else { return null() }
    present()
    ints32.append(value)
  }

  mutating func append(_ value: Int64?) {
    guard let value else { return null() }
    present()
    ints64.append(value)
  }

  mutating func append(_ value: Bool?) {
    guard let value else { return null() }
    present()
    booleans.append(value)
  }

  /// A text value.
  mutating func append(text bytes: UnsafeRawBufferPointer) {
    present()
    indices.append(UInt32(dictionary.index(of: bytes)))
  }

  /// A value written as text (an address), looked up by its binary key; `text` formats it
  /// the first time the key is seen.
  mutating func append(key: AddressKey?, text: () -> String) {
    guard let key else { return null() }
    present()
    if let index = keyed[key] {
      indices.append(index)
    } else {
      var string = text()
      let index = string.withUTF8 { UInt32(dictionary.index(of: UnsafeRawBufferPointer($0))) }
      keyed[key] = index
      indices.append(index)
    }
  }
}

/// A MAC or IP address as a dictionary key: its bits and which kind it is.
struct AddressKey: Hashable {
  var high: UInt64
  var low: UInt64
  var kind: UInt8
}
