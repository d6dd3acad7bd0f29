/*
 * The C reference decoder: the same job as PacketKit's decode loop at the link, network and
 * transport layers, written plainly in C, as the floor PacketKit's decode rate is compared
 * with (Benchmarks/check.sh, Benchmarks/run.sh through Benchmarks/decode-ratio.sh). What lies
 * above TCP and UDP it leaves raw, where PacketKit also decodes DNS, HTTP, TLS and the other
 * application layers (Benchmarks/README.md, "What the decode ratio measures").
 *
 * It maps a classic pcap file (either byte order, micro- or nanosecond), walks its records,
 * and decodes each frame's headers into a fixed array of layers with bounds checks:
 * Ethernet, 802.1Q/802.1ad VLAN tags, ARP, IPv4 (options, fragments), IPv6 (hop-by-hop,
 * routing, fragment and destination-options extension headers), TCP (data offset), UDP,
 * ICMP and ICMPv6. A layer the capture cuts short ends the frame, as PacketKit's does.
 * While a frame is decoded, the next record's first two cache lines are prefetched, as
 * PacketKit's walk does: the walk is a chain of dependent loads through a file much larger
 * than the caches, and a decoder with more work per frame than fits the CPU's reorder window
 * would otherwise wait for each record's first cache lines in full (the hint shortens this
 * decoder's wait too: see Benchmarks/README.md for the ratio with and without it).
 * Checksums are not verified (PacketKit's one-line printing does not verify them either).
 *
 * Usage: reference-decode FILE.pcap [ROUNDS]
 * Prints one line: packets, layers decoded, and the best round's nanoseconds of this thread's
 * CPU time per packet (CPU time, not wall time: other processes on a busy machine count less).
 * Build: Benchmarks/reference/build.sh (the system C compiler, -O2).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum kind { ETHERNET, VLAN, ARP, IPV4, IPV6, IPV6_EXTENSION, TCP, UDP, ICMP, ICMPV6, RAW };

/* One decoded header: where it is in the frame and the fields a printer reads first. */
struct layer {
  uint8_t kind;
  uint8_t truncated;
  uint16_t offset;
  uint16_t length;
  uint16_t type;       /* ethertype, IP protocol, ICMP type, ARP operation */
  uint32_t source;     /* low 32 bits of the source address, or the source port */
  uint32_t destination;
};

#define CAPACITY 16
struct frame {
  int count;
  struct layer layers[CAPACITY];
};

static inline uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline struct layer *push(struct frame *f, int kind, size_t offset, size_t length) {
  if (f->count == CAPACITY) return NULL;
  struct layer *l = &f->layers[f->count++];
  memset(l, 0, sizeof *l);
  l->kind = (uint8_t)kind;
  l->offset = (uint16_t)offset;
  l->length = (uint16_t)length;
  return l;
}

static inline void raw(struct frame *f, size_t at, size_t end) {
  if (at < end) push(f, RAW, at, end - at);
}

static void transport(struct frame *f, const uint8_t *b, size_t at, size_t end, int protocol) {
  size_t left = end - at;
  struct layer *l;
  switch (protocol) {
  case 6:
    if (left < 20 || (size_t)(b[at + 12] >> 4) * 4 > left || (b[at + 12] >> 4) < 5) {
      if ((l = push(f, TCP, at, left))) l->truncated = 1;
      return;
    }
    if (!(l = push(f, TCP, at, (size_t)(b[at + 12] >> 4) * 4))) return;
    l->source = be16(b + at);
    l->destination = be16(b + at + 2);
    l->type = b[at + 13];
    raw(f, at + l->length, end);
    return;
  case 17:
    if (left < 8) {
      if ((l = push(f, UDP, at, left))) l->truncated = 1;
      return;
    }
    if (!(l = push(f, UDP, at, 8))) return;
    l->source = be16(b + at);
    l->destination = be16(b + at + 2);
    l->type = be16(b + at + 4);
    raw(f, at + 8, end);
    return;
  case 1:
  case 58:
    if (left < 4) {
      if ((l = push(f, protocol == 1 ? ICMP : ICMPV6, at, left))) l->truncated = 1;
      return;
    }
    if (!(l = push(f, protocol == 1 ? ICMP : ICMPV6, at, left < 8 ? left : 8))) return;
    l->type = (uint16_t)(b[at] << 8 | b[at + 1]);
    raw(f, at + l->length, end);
    return;
  default:
    raw(f, at, end);
  }
}

static void ipv4(struct frame *f, const uint8_t *b, size_t at, size_t end) {
  size_t left = end - at;
  struct layer *l;
  size_t header = left ? (size_t)(b[at] & 15) * 4 : 0;
  if (left < 20 || header < 20 || header > left || (b[at] >> 4) != 4) {
    if ((l = push(f, IPV4, at, left))) l->truncated = 1;
    return;
  }
  size_t total = be16(b + at + 2);
  if (total < header) {
    if ((l = push(f, IPV4, at, header))) l->truncated = 1;
    return;
  }
  if (!(l = push(f, IPV4, at, header))) return;
  l->type = b[at + 9];
  l->source = be32(b + at + 12);
  l->destination = be32(b + at + 16);
  size_t datagram_end = at + total < end ? at + total : end;
  if (be16(b + at + 6) & 0x1fff) { /* a later fragment: no transport header */
    raw(f, at + header, datagram_end);
    return;
  }
  transport(f, b, at + header, datagram_end, b[at + 9]);
}

static void ipv6(struct frame *f, const uint8_t *b, size_t at, size_t end) {
  size_t left = end - at;
  struct layer *l;
  if (left < 40 || (b[at] >> 4) != 6) {
    if ((l = push(f, IPV6, at, left))) l->truncated = 1;
    return;
  }
  if (!(l = push(f, IPV6, at, 40))) return;
  int next = b[at + 6];
  l->type = (uint16_t)next;
  l->source = be32(b + at + 20);
  l->destination = be32(b + at + 36);
  size_t datagram_end = at + 40 + be16(b + at + 4);
  if (datagram_end > end) datagram_end = end;
  at += 40;
  for (int hops = 0; hops < 8; hops++) {
    if (next != 0 && next != 43 && next != 44 && next != 60) break;
    if (datagram_end - at < 8) {
      if ((l = push(f, IPV6_EXTENSION, at, datagram_end - at))) l->truncated = 1;
      return;
    }
    size_t length = next == 44 ? 8 : ((size_t)b[at + 1] + 1) * 8;
    if (length > datagram_end - at) {
      if ((l = push(f, IPV6_EXTENSION, at, datagram_end - at))) l->truncated = 1;
      return;
    }
    if (!(l = push(f, IPV6_EXTENSION, at, length))) return;
    l->type = (uint16_t)next;
    int fragment_offset = next == 44 ? be16(b + at + 2) >> 3 : 0;
    next = b[at];
    at += length;
    if (fragment_offset) {
      raw(f, at, datagram_end);
      return;
    }
  }
  transport(f, b, at, datagram_end, next);
}

static void ethernet(struct frame *f, const uint8_t *b, size_t end) {
  struct layer *l;
  if (end < 14) {
    if ((l = push(f, ETHERNET, 0, end))) l->truncated = 1;
    return;
  }
  l = push(f, ETHERNET, 0, 14);
  uint16_t type = be16(b + 12);
  l->type = type;
  l->source = be32(b + 8);
  l->destination = be32(b + 2);
  size_t at = 14;
  while ((type == 0x8100 || type == 0x88a8) && f->count < CAPACITY) {
    if (end - at < 4) {
      if ((l = push(f, VLAN, at, end - at))) l->truncated = 1;
      return;
    }
    l = push(f, VLAN, at, 4);
    type = be16(b + at + 2);
    l->type = type;
    l->source = be16(b + at) & 0x0fff;
    at += 4;
  }
  switch (type) {
  case 0x0800: ipv4(f, b, at, end); return;
  case 0x86dd: ipv6(f, b, at, end); return;
  case 0x0806:
    if (end - at < 28) {
      if ((l = push(f, ARP, at, end - at))) l->truncated = 1;
      return;
    }
    if (!(l = push(f, ARP, at, 28))) return;
    l->type = be16(b + at + 6);
    l->source = be32(b + at + 14);
    l->destination = be32(b + at + 24);
    raw(f, at + 28, end);
    return;
  default: /* another ethertype, or an 802.3 length with LLC: undecoded */
    raw(f, at, end);
  }
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE.pcap [ROUNDS]\n", argv[0]);
    return 2;
  }
  int rounds = argc > 2 ? atoi(argv[2]) : 3;
  if (rounds < 1) rounds = 1;
  int fd = open(argv[1], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 24) {
    perror(argv[1]);
    return 1;
  }
  size_t size = (size_t)st.st_size;
  const uint8_t *file = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  if (file == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  uint32_t magic;
  memcpy(&magic, file, 4);
  int swapped;
  if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) swapped = 0;
  else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) swapped = 1;
  else {
    fprintf(stderr, "%s: not a classic pcap file\n", argv[1]);
    return 1;
  }
  uint32_t linktype;
  memcpy(&linktype, file + 20, 4);
  if (swapped) linktype = __builtin_bswap32(linktype);
  if ((linktype & 0xffff) != 1) {
    fprintf(stderr, "%s: link type %u, only Ethernet (1) is decoded\n", argv[1], linktype);
    return 1;
  }
  static struct frame frame;
  double best = 0;
  uint64_t packets = 0, layers = 0, digest = 0;
  for (int round = 0; round < rounds; round++) {
    packets = layers = digest = 0;
    double start = now();
    size_t at = 24;
    while (size - at >= 16) {
      uint32_t captured, wire;
      memcpy(&captured, file + at + 8, 4);
      memcpy(&wire, file + at + 12, 4);
      if (swapped) {
        captured = __builtin_bswap32(captured);
        wire = __builtin_bswap32(wire);
      }
      if (captured > size - at - 16) break; /* a cut record ends the file */
      /* The next record: the cache lines of its header and first frame bytes are fetched
       * while this frame is decoded (PacketKit's walk, MappedPcap.forEachFrame, asks for the
       * same two). */
      size_t next = at + 16 + captured;
      if (size - next >= 16) {
        __builtin_prefetch(file + next + 8);
        __builtin_prefetch(file + next + 72);
      }
      frame.count = 0;
      ethernet(&frame, file + at + 16, captured);
      packets++;
      layers += (uint64_t)frame.count;
      digest += frame.layers[frame.count - 1].kind + frame.layers[frame.count - 1].source;
      at += 16 + captured;
    }
    double elapsed = now() - start;
    if (round == 0 || elapsed < best) best = elapsed;
  }
  printf("packets %llu layers %llu digest %llu ns_per_packet %.2f\n",
         (unsigned long long)packets, (unsigned long long)layers, (unsigned long long)digest,
         packets ? best / (double)packets : 0.0);
  return 0;
}
