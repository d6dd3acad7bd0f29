/// The container format of a capture file.
public enum CaptureFileFormat: Sendable, Hashable, CustomStringConvertible {
  /// Classic libpcap savefile: https://www.tcpdump.org/manpages/pcap-savefile.5.html
  case pcap
  /// pcap next generation: draft-ietf-opsawg-pcapng.
  case pcapng

  /// `pcap` or `pcapng`.
  public var description: String {
    switch self {
    case .pcap: "pcap"
    case .pcapng: "pcapng"
    }
  }
}
