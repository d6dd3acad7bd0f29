import ArgumentParser
import PacketTables

/// `--parquet OUT`, `--jobs N`, `--row-group-rows N`: packets as Parquet tables.
struct PacketTableOptions: ParsableArguments {
  @Option(
    name: .customLong("parquet"),
    help: ArgumentHelp(
      "Write the packets as Parquet rows instead of printing them: to OUT for one input named *.parquet, else to OUT/part-00000.parquet, part-00001.parquet... one part per input file. Leading arguments that name existing files are all inputs.",
      valueName: "OUT"))
  var parquet: String?

  @Option(
    name: .customLong("jobs"),
    help: "Input files converted at once with --parquet (default: the number of cores).")
  var jobs: Int?

  @Option(
    name: .customLong("row-group-rows"),
    help: "Rows per Parquet row group, the unit engines split work by.")
  var rowGroupRows: Int = PacketTableWriter.defaultRowGroupRows

  func validate() throws {
    if let jobs, jobs <= 0 { throw ValidationError("--jobs takes a positive number.") }
    if rowGroupRows <= 0 { throw ValidationError("--row-group-rows takes a positive number.") }
  }
}
