import Dispatch
import Glibc
import PacketKit
import PacketTables
import Synchronization

/// `read FILE... --parquet OUT`: packets as rows of Parquet tables, one part per input file,
/// converted `--jobs` at a time.
struct ParquetConversion {
  /// The capture files, in order.
  var inputs: [String]
  /// The BPF filter, or empty.
  var filter: String
  /// The output: a file for one input named `*.parquet`, else a folder of parts.
  var output: String
  /// Files converted at once.
  var jobs: Int
  /// Rows per row group.
  var rowGroupRows: Int

  /// The arguments of `read` split into capture files and filter words: with `--parquet`,
  /// the leading arguments that name existing files are inputs, the filter starts at the
  /// first that does not.
  static func split(_ file: String, _ words: [String]) -> (inputs: [String], filter: [String]) {
    var inputs = [file]
    var rest = words[...]
    while let word = rest.first, access(word, F_OK) == 0 {
      inputs.append(word)
      rest = rest.dropFirst()
    }
    return (inputs, Array(rest))
  }

  /// The part files, in input order.
  func partPaths() throws -> [String] {
    if inputs.count == 1 && output.hasSuffix(".parquet") { return [output] }
    if mkdir(output, 0o755) != 0 && errno != EEXIST {
      throw RuntimeFailure("\(output): \(String(cString: strerror(errno)))")
    }
    return inputs.indices.map { index in
      var number = String(index)
      while number.count < 5 { number = "0" + number }
      return output + "/part-" + number + ".parquet"
    }
  }

  /// Converts every input; the first failure (by input order) is thrown after all finished.
  func run() throws {
    let parts = try partPaths()
    // A bad filter is reported before any work (exit status 2).
    _ = try CaptureFilter(expression: filter, firstLinkType: .ethernet)
    let failures = Mutex<[Error?]>(Array(repeating: nil, count: inputs.count))
    let workers = max(1, min(jobs, inputs.count))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      for index in stride(from: worker, to: inputs.count, by: workers) {
        if StopSignal.isRequested { return }
        do {
          try convert(inputs[index], to: parts[index])
        } catch {
          failures.withLock { $0[index] = error }
        }
      }
    }
    if let failure = failures.withLock({ $0.compactMap { $0 }.first }) { throw failure }
  }

  /// Converts one capture file into one table.
  func convert(_ input: String, to path: String) throws {
    var reader = try CaptureInput.open(input)
    var filterSet = try CaptureFilter(expression: filter, firstLinkType: reader.linkTypes.first)
    var table: PacketTableWriter
    do {
      table = try PacketTableWriter(path: path, rowGroupRows: rowGroupRows)
    } catch {
      throw RuntimeFailure("\(error)")
    }
    let decoder = FrameDecoder()
    var frame = DecodedFrame(linkType: .ethernet, capturedLength: 0, wireLength: 0)
    var row = PacketRow()
    var text = TextBuffer(capacity: 4096)
    let failure = CaptureInput.readAll(&reader) { record, bytes in
      if StopSignal.isRequested { return false }
      guard try filterSet.matches(bytes, record: record) else { return true }
      decoder.decode(bytes, linkType: record.linkType, wireLength: record.wireLength, into: &frame)
      text.clear()
      row.fill(frame, record: record, bytes: bytes, text: &text)
      try table.append(row, text: text)
      return true
    }
    do {
      try table.close()
    } catch {
      throw RuntimeFailure("\(error)")
    }
    try CaptureInput.finish(reader, path: input, failure: failure)
  }
}
