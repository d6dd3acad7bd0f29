// CPacketIO: the C surface rawtool's PacketIO module needs — libpcap and Linux packet sockets.
// Function-like macros Swift cannot import become static inline CPacketIO_* helpers here.
#ifndef CPACKETIO_SHIM_H
#define CPACKETIO_SHIM_H

#include <pcap/pcap.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <linux/filter.h>
#include <linux/sockios.h>
#include <poll.h>
#include <unistd.h>
#include <time.h>
#include <string.h>
#include <grp.h>
#include <pwd.h>
#include <sys/syscall.h>

/// TPACKET_ALIGN(x): frame and header offsets in a TPACKET ring are aligned to 16 bytes.
static inline unsigned int CPacketIO_TPACKET_ALIGN(unsigned int x) { return TPACKET_ALIGN(x); }

/// The interface flags of an `ifreq` (its `ifr_flags` union member).
static inline short CPacketIO_ifreq_flags(const struct ifreq *r) { return r->ifr_flags; }

/// The MTU of an `ifreq` (its `ifr_mtu` union member).
static inline int CPacketIO_ifreq_mtu(const struct ifreq *r) { return r->ifr_mtu; }

/// Sets the name of an `ifreq`, cut to IFNAMSIZ - 1 bytes.
static inline void CPacketIO_ifreq_set_name(struct ifreq *r, const char *name) {
  strncpy(r->ifr_name, name, IFNAMSIZ - 1);
  r->ifr_name[IFNAMSIZ - 1] = 0;
}

/// The `sa_family_t` member of a generic socket address.
static inline int CPacketIO_sockaddr_family(const struct sockaddr *a) { return a ? a->sa_family : -1; }

/// `struct mmsghdr` (hidden behind _GNU_SOURCE in glibc's headers): one message of a batch.
struct CPacketIO_mmsghdr {
  struct msghdr msg_hdr;
  unsigned int msg_len;
};

/// sendmmsg(2) through syscall(2), as glibc declares it only under _GNU_SOURCE.
static inline int CPacketIO_sendmmsg(int fd, struct CPacketIO_mmsghdr *vec, unsigned int n, int flags) {
  return (int)syscall(SYS_sendmmsg, fd, vec, n, flags);
}

#endif
