import CaptureSamples
// decode-rate FILE.pcap [ROUNDS]: PacketKit's decode loop over a pcap file mapped into memory,
// the job the C reference decoder (Benchmarks/reference/decode.c) does. Prints one line in
// the reference's format: packets, layers decoded, and the best round's nanoseconds of this
// thread's CPU time per packet.
@preconcurrency import Glibc

func threadCPUNanoseconds() -> Int {
  var time = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
  return time.tv_sec * 1_000_000_000 + time.tv_nsec
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
  fputs("usage: decode-rate FILE.pcap [ROUNDS]\n", stderr)
  exit(2)
}
let rounds = max(1, arguments.count > 2 ? Int(arguments[2]) ?? 3 : 3)
do {
  let file = try MappedPcap(path: arguments[1])
  var best = Int.max
  var loop = DecodeLoop()
  for _ in 0..<rounds {
    loop = DecodeLoop()
    let start = threadCPUNanoseconds()
    file.forEachFrame { bytes, wireLength in
      loop.decode(bytes, linkType: file.linkType, wireLength: wireLength)
    }
    best = min(best, threadCPUNanoseconds() - start)
  }
  let perPacket = loop.packets == 0 ? 0 : Double(best) / Double(loop.packets)
  let hundredths = Int((perPacket * 100).rounded())
  print(
    "packets \(loop.packets) layers \(loop.layers) ns_per_packet \(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
  )
} catch {
  fputs("decode-rate: \(error)\n", stderr)
  exit(1)
}
