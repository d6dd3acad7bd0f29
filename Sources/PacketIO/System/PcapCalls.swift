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

/// The message of a failed call on a live handle (`pcap_geterr`), without its newline.
func system_pcap_geterr(_ handle: OpaquePointer) -> String {
  var message = String(cString: pcap_geterr(handle))
  while message.last == "\n" { message.removeLast() }
  return message
}

/// Throws a `PcapError` for `function` when `status` is negative (an error); warnings
/// (positive statuses) pass.
func system_pcap_check(_ handle: OpaquePointer, _ function: String, _ status: Int32)
  throws(PcapError)
{
  guard status < 0 else { return }
  var message = system_pcap_geterr(handle)
  if message.isEmpty { message = String(cString: pcap_statustostr(status)) }
  throw PcapError(function: function, status: status, message: message)
}

/// Creates a capture handle for `device` (not yet active).
///
/// The corresponding C call is `pcap_create(device, errbuf)`. Needs no privileges;
/// activating it needs CAP_NET_RAW.
func system_pcap_create(_ device: String) throws(PcapError) -> OpaquePointer {
  var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
  guard let handle = pcap_create(device, &errbuf) else {
    throw PcapError(
      function: "pcap_create", status: -1,
      message: String(
        decoding: errbuf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
  }
  return handle
}

/// Activates a handle from `system_pcap_create`; returns the status (0 or a warning).
///
/// The corresponding C call is `pcap_activate(p)`. Needs CAP_NET_RAW (and CAP_NET_ADMIN
/// for promiscuous mode on some kernels).
func system_pcap_activate(_ handle: OpaquePointer) throws(PcapError) -> Int32 {
  let status = pcap_activate(handle)
  try system_pcap_check(handle, "pcap_activate", status)
  return status
}

/// Installs `program` on a live handle. The corresponding C call is `pcap_setfilter(p, &fp)`.
func system_pcap_setfilter(_ handle: OpaquePointer, _ program: inout bpf_program, filter: String)
  throws(PcapError)
{
  let status = pcap_setfilter(handle, &program)
  guard status == 0 else {
    throw PcapError(
      function: "pcap_setfilter", status: status, message: system_pcap_geterr(handle),
      filter: filter)
  }
}

/// The corresponding C call is `pcap_stats(p, &stats)`.
func system_pcap_stats(_ handle: OpaquePointer) throws(PcapError) -> pcap_stat {
  var stats = pcap_stat()
  try system_pcap_check(handle, "pcap_stats", pcap_stats(handle, &stats))
  return stats
}

/// Puts a live handle in non-blocking mode: `pcap_dispatch` returns 0 at once when
/// nothing is ready (PcapHandle waits with its own `poll`).
///
/// The corresponding C call is `pcap_setnonblock(p, 1, errbuf)`.
func system_pcap_setnonblock(_ handle: OpaquePointer) throws(PcapError) {
  var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
  let status = pcap_setnonblock(handle, 1, &errbuf)
  guard status == 0 else {
    throw PcapError(
      function: "pcap_setnonblock", status: status,
      message: String(
        decoding: errbuf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
  }
}

/// The descriptor to poll for packets on a live handle.
///
/// The corresponding C call is `pcap_get_selectable_fd(p)`.
func system_pcap_get_selectable_fd(_ handle: OpaquePointer) throws(PcapError) -> Int32 {
  let descriptor = pcap_get_selectable_fd(handle)
  guard descriptor >= 0 else {
    throw PcapError(
      function: "pcap_get_selectable_fd", status: PCAP_ERROR,
      message: "the capture has no descriptor to poll")
  }
  return descriptor
}
