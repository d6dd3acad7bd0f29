import ArgumentParser

/// The `rawtool` command: configuration only; one file per subcommand in `Commands/`.
@main
struct Rawtool: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rawtool",
    abstract: "Capture, decode, craft and send raw network packets.",
    version: "0.1.0"
  )
}
