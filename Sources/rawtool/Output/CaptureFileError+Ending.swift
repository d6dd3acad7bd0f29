import PacketKit

extension CaptureFileError {
  /// Whether the file simply ends inside its last record or block, as a capture that was
  /// killed leaves it: a warning after every whole record, not a failure.
  var isCutAtEnd: Bool {
    switch self {
    case .truncatedRecord, .truncatedRecordHeader, .truncatedBlock: true
    default: false
    }
  }
}
