// Thin wrappers around the libpcap calls PacketIO makes (STYLE.md §6): one place for
// tracing and error policy. Each returns the C result or throws a `PcapError`.
import CPacketIO

/// Opens a pcap handle that captures nothing, for compiling filters for `linkType`.
///
/// The corresponding C call is `pcap_open_dead(linktype, snaplen)`. Needs no privileges.
func system_pcap_open_dead(linkType: Int32, snapshotLength: Int32) throws(PcapError)
  -> OpaquePointer
{
  guard let handle = pcap_open_dead(linkType, snapshotLength) else {
    throw PcapError(
      function: "pcap_open_dead", status: -1,
      message: "cannot open a pcap handle for link type \(linkType)")
  }
  return handle
}

/// Compiles `filter` into `program` on `handle`; on failure throws with `pcap_geterr`'s text.
///
/// The corresponding C call is `pcap_compile(p, &program, filter, optimize, netmask)`.
/// Not thread-safe in libpcap before 1.8: callers serialize it.
func system_pcap_compile(
  _ handle: OpaquePointer, _ program: inout bpf_program, filter: String, optimize: Bool,
  netmask: UInt32
) throws(PcapError) {
  let status = pcap_compile(handle, &program, filter, optimize ? 1 : 0, netmask)
  guard status == 0 else {
    var message = String(cString: pcap_geterr(handle))
    while message.last == "\n" { message.removeLast() }
    throw PcapError(function: "pcap_compile", status: status, message: message, filter: filter)
  }
}

/// Closes a handle from `system_pcap_open_dead`.
///
/// The corresponding C call is `pcap_close(p)`.
func system_pcap_close(_ handle: OpaquePointer) {
  pcap_close(handle)
}
