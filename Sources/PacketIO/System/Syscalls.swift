// Thin wrappers around the libc calls PacketIO makes (STYLE.md §6): one place for tracing,
// the EINTR policy and errno → `SystemError`. Each returns the C result or throws.
import CPacketIO
import Glibc

/// Runs `body` until it does not fail with EINTR (when `retryOnInterrupt`), and turns a
/// result of -1 into a `SystemError` naming `operation`.
@inline(__always)
func valueOrErrno<I: FixedWidthInteger>(
  _ operation: @autoclosure () -> String, retryOnInterrupt: Bool = true, _ body: () -> I
) throws(SystemError) -> I {
  while true {
    let result = body()
    if result != -1 { return result }
    let code = Glibc.errno
    if code == EINTR && retryOnInterrupt { continue }
    throw SystemError(operation: operation(), errno: code)
  }
}

/// The corresponding C call is `socket(domain, type, protocol)`. AF_PACKET and SOCK_RAW
/// need CAP_NET_RAW.
func system_socket(_ domain: Int32, _ type: Int32, _ proto: Int32, name: String) throws(SystemError)
  -> Int32
{
  try valueOrErrno("socket(\(name))") { socket(domain, type, proto) }
}

/// The corresponding C call is `close(fd)`; errors are ignored (the descriptor is gone).
func system_close(_ fd: Int32) {
  _ = Glibc.close(fd)
}

/// The corresponding C call is `setsockopt(fd, level, option, &value, sizeof value)`.
func system_setsockopt<T: BitwiseCopyable>(
  _ fd: Int32, _ level: Int32, _ option: Int32, _ value: T, name: String
)
  throws(SystemError)
{
  var value = value
  _ = try valueOrErrno("setsockopt(\(name))") {
    setsockopt(fd, level, option, &value, socklen_t(MemoryLayout<T>.size))
  }
}

/// The corresponding C call is `setsockopt(fd, level, option, bytes, count)`, for options
/// whose value is a buffer (SO_BINDTODEVICE).
func system_setsockopt(
  _ fd: Int32, _ level: Int32, _ option: Int32, bytes: UnsafeRawBufferPointer, name: String
) throws(SystemError) {
  _ = try valueOrErrno("setsockopt(\(name))") {
    setsockopt(fd, level, option, bytes.baseAddress, socklen_t(bytes.count))
  }
}

/// The corresponding C call is `getsockopt(fd, level, option, &value, &length)`.
func system_getsockopt<T: BitwiseCopyable>(
  _ fd: Int32, _ level: Int32, _ option: Int32, _ value: inout T, name: String
)
  throws(SystemError)
{
  var length = socklen_t(MemoryLayout<T>.size)
  _ = try valueOrErrno("getsockopt(\(name))") { getsockopt(fd, level, option, &value, &length) }
}

/// The corresponding C call is `bind(fd, address, length)`.
func system_bind(_ fd: Int32, _ address: UnsafeRawPointer, _ length: Int, name: String)
  throws(SystemError)
{
  _ = try valueOrErrno("bind(\(name))") {
    bind(fd, address.assumingMemoryBound(to: sockaddr.self), socklen_t(length))
  }
}

/// Binds an AF_PACKET socket to `interface`, receiving frames of EtherType `protocol`
/// (host order; `ETH_P_ALL` for all, 0 for none).
///
/// The corresponding C call is `bind(fd, &sockaddr_ll, sizeof(sockaddr_ll))`.
func system_bindPacket(_ fd: Int32, interface: NetworkInterface, protocol: UInt16)
  throws(SystemError)
{
  var address = sockaddr_ll()
  address.sll_family = UInt16(AF_PACKET)
  address.sll_protocol = `protocol`.bigEndian
  address.sll_ifindex = Int32(interface.index)
  try withUnsafePointer(to: &address) { (pointer) throws(SystemError) in
    try system_bind(
      fd, pointer, MemoryLayout<sockaddr_ll>.size, name: "AF_PACKET, \(interface.name)")
  }
}

/// The corresponding C call is `sendto(fd, bytes, count, 0, address, length)`; returns the
/// bytes sent. Retries on EINTR.
func system_sendto(
  _ fd: Int32, _ bytes: UnsafeRawBufferPointer, _ address: UnsafeRawPointer?, _ length: Int
) throws(SystemError) -> Int {
  try valueOrErrno("sendto") {
    sendto(
      fd, bytes.baseAddress, bytes.count, 0, address?.assumingMemoryBound(to: sockaddr.self),
      socklen_t(length))
  }
}

/// The corresponding C call is `sendmmsg(fd, messages, count, 0)`; returns how many of the
/// messages went out (at least one, or it throws).
func system_sendmmsg(_ fd: Int32, _ messages: UnsafeMutablePointer<CPacketIO_mmsghdr>, _ count: Int)
  throws(SystemError) -> Int
{
  Int(try valueOrErrno("sendmmsg") { CPacketIO_sendmmsg(fd, messages, UInt32(count), 0) })
}

/// The corresponding C call is `ioctl(fd, request, &ifreq)`.
func system_ioctl(_ fd: Int32, _ request: UInt, _ request_: inout ifreq, name: String)
  throws(SystemError)
{
  _ = try valueOrErrno("ioctl(\(name))") { ioctl(fd, request, &request_) }
}

/// The corresponding C call is `mmap(nil, length, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0)`.
func system_mmap_shared(_ fd: Int32, length: Int) throws(SystemError) -> UnsafeMutableRawPointer {
  guard let pointer = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, fd, 0),
    pointer != MAP_FAILED
  else {
    // MAP_LOCKED can fail under RLIMIT_MEMLOCK; retry without it.
    guard let pointer = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0),
      pointer != MAP_FAILED
    else { throw SystemError(operation: "mmap(PACKET_RX_RING)", errno: Glibc.errno) }
    return pointer
  }
  return pointer
}

/// The corresponding C call is `munmap(pointer, length)`.
func system_munmap(_ pointer: UnsafeMutableRawPointer, length: Int) {
  _ = munmap(pointer, length)
}

/// The corresponding C call is `poll(&fds, 1, timeout)`. EINTR is returned as 0 events
/// (not retried) so a signal can stop a capture loop.
func system_poll(_ fd: Int32, events: Int16, timeoutMilliseconds: Int32) throws(SystemError)
  -> Int16
{
  var entry = pollfd(fd: fd, events: events, revents: 0)
  let result = poll(&entry, 1, timeoutMilliseconds)
  if result < 0 {
    if Glibc.errno == EINTR { return 0 }
    throw SystemError(operation: "poll", errno: Glibc.errno)
  }
  return result == 0 ? 0 : entry.revents
}

/// The corresponding C call is `clock_gettime(CLOCK_MONOTONIC)`, in nanoseconds.
func system_monotonicNanoseconds() -> UInt64 {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
}

/// The corresponding C call is `clock_gettime(CLOCK_REALTIME)`.
func system_realtime() -> timespec {
  var now = timespec()
  clock_gettime(CLOCK_REALTIME, &now)
  return now
}

/// Sleeps until the CLOCK_MONOTONIC time `deadline` (nanoseconds), resuming after signals.
///
/// The corresponding C call is `clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline)`.
func system_sleepUntil(monotonicNanoseconds deadline: UInt64) {
  var time = timespec(
    tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
  while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &time, nil) == EINTR {}
}

/// The corresponding C call is `if_nametoindex(name)`; 0 when there is no such interface.
func system_if_nametoindex(_ name: String) -> Int32 {
  Int32(bitPattern: if_nametoindex(name))
}

/// The corresponding C call is `if_indextoname(index, buffer)`.
func system_if_indextoname(_ index: Int32) -> String? {
  var buffer = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
  guard if_indextoname(UInt32(bitPattern: index), &buffer) != nil else { return nil }
  let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
  return String(decoding: bytes, as: UTF8.self)
}

/// The corresponding C calls are `getpwnam(name)`, `setgroups`/`initgroups`, `setgid` and
/// `setuid`, in that order. Needs CAP_SETUID/CAP_SETGID.
func system_dropPrivileges(to name: String) throws(SystemError) {
  guard let entry = getpwnam(name) else {
    throw SystemError(operation: "getpwnam(\(name))", errno: 0, detail: "no such user")
  }
  let uid = entry.pointee.pw_uid
  let gid = entry.pointee.pw_gid
  _ = try valueOrErrno("initgroups(\(name))") { initgroups(name, gid) }
  _ = try valueOrErrno("setgid(\(gid))") { setgid(gid) }
  _ = try valueOrErrno("setuid(\(uid))") { setuid(uid) }
}

/// Attaches a classic BPF program to a socket; nothing for an empty program.
///
/// The corresponding C call is `setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &sock_fprog)`
/// (`bpf_insn` and `sock_filter` share one layout).
func system_attachFilter(_ fd: Int32, _ instructions: UnsafeBufferPointer<bpf_insn>)
  throws(SystemError)
{
  guard let base = instructions.baseAddress, instructions.count > 0 else { return }
  var program = sock_fprog(
    len: UInt16(instructions.count),
    filter: UnsafeMutableRawPointer(mutating: base).assumingMemoryBound(to: sock_filter.self))
  _ = try valueOrErrno("setsockopt(SO_ATTACH_FILTER)") {
    setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, socklen_t(MemoryLayout<sock_fprog>.size))
  }
}

/// The corresponding C call is `eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)`.
func system_eventfd() throws(SystemError) -> Int32 {
  try valueOrErrno("eventfd") { eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK)) }
}

/// Adds 1 to an eventfd's counter, waking whoever polls it. Async-signal-safe; errors are
/// ignored (EAGAIN: the counter is full, a wake-up is pending anyway).
///
/// The corresponding C call is `write(fd, &one, 8)`.
func system_eventfd_signal(_ fd: Int32) {
  var one: UInt64 = 1
  _ = Glibc.write(fd, &one, 8)
}

/// Resets an eventfd's counter to 0 (non-blocking: nothing to read is no error).
///
/// The corresponding C call is `read(fd, &value, 8)`.
func system_eventfd_clear(_ fd: Int32) {
  var value: UInt64 = 0
  _ = Glibc.read(fd, &value, 8)
}

/// Polls `fds` (up to what the array holds) for `timeoutMilliseconds` (-1: no limit).
/// EINTR is returned as 0 ready descriptors (not retried) so a signal can stop a loop.
///
/// - Returns: the number of entries with events in their `revents`.
///
/// The corresponding C call is `poll(fds, count, timeout)`.
func system_poll(_ fds: UnsafeMutableBufferPointer<pollfd>, timeoutMilliseconds: Int32)
  throws(SystemError) -> Int
{
  for index in fds.indices { fds[index].revents = 0 }
  let result = poll(fds.baseAddress, nfds_t(fds.count), timeoutMilliseconds)
  if result < 0 {
    if Glibc.errno == EINTR { return 0 }
    throw SystemError(operation: "poll", errno: Glibc.errno)
  }
  return Int(result)
}

/// The CLOCK_REALTIME time, in nanoseconds since the Unix epoch (the clock of kernel
/// software timestamps, receive and transmit).
///
/// The corresponding C call is `clock_gettime(CLOCK_REALTIME)`.
func system_realtimeNanoseconds() -> UInt64 {
  let now = system_realtime()
  return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
}

/// Reads one message of `fd`'s error queue without waiting; nil when the queue is empty.
///
/// The corresponding C call is `recvmsg(fd, &message, MSG_ERRQUEUE | MSG_DONTWAIT)`.
func system_recvmsg_errqueue(_ fd: Int32, _ message: inout msghdr) throws(SystemError) -> Int? {
  while true {
    let result = recvmsg(fd, &message, Int32(MSG_ERRQUEUE | MSG_DONTWAIT))
    if result >= 0 { return result }
    let code = Glibc.errno
    if code == EINTR { continue }
    if code == EAGAIN || code == EWOULDBLOCK { return nil }
    throw SystemError(operation: "recvmsg(MSG_ERRQUEUE)", errno: code)
  }
}

/// Raises the calling thread's scheduling priority to `nice` (lower is sooner); returns
/// whether it could (it needs CAP_SYS_NICE to go below the process's nice value).
///
/// The corresponding C call is `setpriority(PRIO_PROCESS, 0, nice)`: on Linux a nice value
/// belongs to a thread, and 0 names the calling one.
@discardableResult
func system_setThreadNice(_ nice: Int32) -> Bool {
  setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice) == 0
}
