import CPacketIO
import PacketKit
import Synchronization

/// A BPF filter compiled by libpcap, for matching frames in user space.
///
/// The filter language and compiler are libpcap's (tcpdump's syntax); this type owns
/// the compiled instructions and frees them when it goes away. Matching runs libpcap's
/// `bpf_filter` interpreter over the frame's bytes and allocates nothing.
///
/// An empty (or all-blank) filter compiles to no program and matches every frame.
///
/// Noncopyable (`~Copyable`): it owns the compiled instructions, freed when it goes away. Pass it
/// `borrowing` (or `inout`) to use it.
public struct BPFProgram: ~Copyable {
  /// The compiled program; nil for an empty filter (match everything).
  private var program: bpf_program?
  /// The expression as given.
  public let filter: String
  /// The link type the program was compiled for.
  public let linkType: LinkType

  /// `pcap_compile` is not thread-safe before libpcap 1.8 (it used a global parser state);
  /// every compilation in the process goes through this lock.
  private static let compileLock = Mutex<Void>(())

  /// Compiles `filter` for frames of `linkType`.
  ///
  /// - Parameters:
  ///   - filter: a pcap-filter(7) expression (`tcp port 80`, `vlan and udp`, …).
  ///   - linkType: the link type of the frames the program will see.
  ///   - snapshotLength: the snap length the program assumes, in bytes.
  ///   - optimize: whether libpcap's optimizer runs.
  /// - Throws: `PcapError` from `pcap_compile`, whose description names the expression and
  ///   gives libpcap's reason (a syntax error, or a filter the link type cannot express).
  ///
  /// The corresponding C calls are `pcap_open_dead`, `pcap_compile` (netmask
  /// `PCAP_NETMASK_UNKNOWN`) and `pcap_close`. Needs no privileges.
  public init(
    filter: String, linkType: LinkType, snapshotLength: Int = 262_144, optimize: Bool = true
  ) throws(PcapError) {
    self.filter = filter
    self.linkType = linkType
    if filter.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) {
      program = nil
      return
    }
    guard let dlt = Self.dataLinkType(for: linkType) else {
      throw PcapError(
        function: "pcap_open_dead", status: -1,
        message: "link type \(linkType.rawValue) out of range", filter: filter)
    }
    let snaplen = Int32(clamping: max(1, snapshotLength))
    let result: Result<bpf_program, PcapError> = Self.compileLock.withLock { _ in
      do throws(PcapError) {
        let handle = try system_pcap_open_dead(linkType: dlt, snapshotLength: snaplen)
        defer { system_pcap_close(handle) }
        var compiled = bpf_program()
        try system_pcap_compile(
          handle, &compiled, filter: filter, optimize: optimize,
          netmask: PCAP_NETMASK_UNKNOWN)
        return .success(compiled)
      } catch {
        return .failure(error)
      }
    }
    switch result {
    case .success(let compiled): program = compiled
    case .failure(let error): throw error
    }
  }

  /// The libpcap `DLT_` value for a file's `LINKTYPE_` value: `pcap_open_dead` takes DLTs.
  ///
  /// They differ only for raw IP: LINKTYPE_RAW (101) and the BSD values 12 and 14 are all
  /// `DLT_RAW` (12 on Linux); libpcap rejects 101 and 14 as "unknown data link type".
  static func dataLinkType(for linkType: LinkType) -> Int32? {
    switch linkType.rawValue {
    case 12, 14, 101: DLT_RAW
    default: Int32(exactly: linkType.rawValue)
    }
  }

  deinit {
    if var program {
      pcap_freecode(&program)
    }
  }

  /// Whether the program has instructions (false for an empty filter).
  public var isEmpty: Bool { program == nil }

  /// The number of BPF instructions (0 for an empty filter).
  public var instructionCount: Int { Int(program?.bf_len ?? 0) }

  /// Whether the frame in `bytes` passes the filter.
  ///
  /// - Parameters:
  ///   - bytes: the captured bytes, starting at the link-layer header of `linkType`.
  ///   - wireLength: the frame's length on the wire, in bytes (what BPF's `len` sees);
  ///     raised to `bytes.count` if smaller.
  /// - Returns: true when the program accepts the frame (a non-zero snap length).
  ///
  /// The corresponding C call is `bpf_filter(insns, bytes, wirelen, buflen)`, the
  /// interpreter `pcap_offline_filter` runs. Allocates nothing.
  @inline(__always)
  public func matches(_ bytes: Span<UInt8>, wireLength: Int) -> Bool {
    guard let instructions = program?.bf_insns else { return true }
    let wire = UInt32(clamping: max(wireLength, bytes.count))
    return bytes.withUnsafeBufferPointer { buffer in
      // SAFETY: bpf_filter reads at most `buffer.count` bytes (it bounds-checks every load
      // against buflen), and `instructions` stays alive while `self` is borrowed.
      bpf_filter(instructions, buffer.baseAddress, wire, UInt32(clamping: buffer.count)) != 0
    }
  }

  /// Lends the compiled instructions, for attaching the program to a socket
  /// (`SO_ATTACH_FILTER` takes a `sock_fprog` with the same layout). Empty for an
  /// empty filter.
  package func withInstructions<R>(_ body: (UnsafeBufferPointer<bpf_insn>) throws -> R) rethrows
    -> R
  {
    guard let program, let instructions = program.bf_insns else {
      return try body(UnsafeBufferPointer(start: nil, count: 0))
    }
    return try body(UnsafeBufferPointer(start: instructions, count: Int(program.bf_len)))
  }
}

// SAFETY: the instructions are written once by pcap_compile and only read afterwards
// (bpf_filter takes them as const); the value owns them until deinit.
extension BPFProgram: @unchecked Sendable {}
