// LeakSanitizer suppressions for `swift test --sanitize=address` (docs/robustness.md
// "Sanitizers"). LSan calls `__lsan_default_suppressions` at exit when the binary is built
// with AddressSanitizer; in other builds the function is never called.
//
// All are leaks of the Swift 6.3.1 toolchain's libraries, not of rawtool's code:
// - libXCTest: the XCTest pass of the test binary (it runs 0 tests; the suites use Swift
//   Testing) leaves its test-suite objects allocated when it exits.
// - Foundation.Process.run: a weak-reference side table made in `Process.run()` is not
//   freed after the Process is (a few of the ~200 runs in RawtoolTests, timing-dependent).
// - FoundationEssentials.readBytesFromFile: reading a file (`String(contentsOfFile:)`,
//   `Data(contentsOf:)`) leaks its buffer when the file is empty; the live tests read the
//   (often empty) output files of the programs they run.
// A suppression drops a leak whose allocation stack contains that module or function;
// every other leak (any in rawtool, PacketIO or PacketKit) is still reported.

@_cdecl("__lsan_default_suppressions")
public func lsanDefaultSuppressions() -> UnsafePointer<CChar> {
  let text: StaticString =
    "leak:libXCTest.so\nleak:Foundation7ProcessC3run\nleak:FoundationEssentials17readBytesFromFile\n"
  // String literals are emitted NUL-terminated.
  return UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}
