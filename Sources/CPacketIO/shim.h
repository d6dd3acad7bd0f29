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
#include <sys/eventfd.h>
#include <linux/net_tstamp.h>
#include <linux/errqueue.h>

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

/// SO_TIMESTAMPING (a function-like macro on some targets): the option and its control
/// message type (SCM_TIMESTAMPING) share the value.
static inline int CPacketIO_SO_TIMESTAMPING(void) { return SO_TIMESTAMPING; }

/// The first control message of `msg` (CMSG_FIRSTHDR), or NULL.
static inline struct cmsghdr *CPacketIO_CMSG_FIRSTHDR(struct msghdr *msg) { return CMSG_FIRSTHDR(msg); }

/// The control message after `cmsg` in `msg` (CMSG_NXTHDR), or NULL.
static inline struct cmsghdr *CPacketIO_CMSG_NXTHDR(struct msghdr *msg, struct cmsghdr *cmsg) {
  return CMSG_NXTHDR(msg, cmsg);
}

/// The data of a control message (CMSG_DATA).
static inline unsigned char *CPacketIO_CMSG_DATA(struct cmsghdr *cmsg) { return CMSG_DATA(cmsg); }

/// The bytes of data a control message carries (cmsg_len - CMSG_LEN(0)).
static inline size_t CPacketIO_CMSG_DATA_LENGTH(const struct cmsghdr *cmsg) {
  return cmsg->cmsg_len >= CMSG_LEN(0) ? cmsg->cmsg_len - CMSG_LEN(0) : 0;
}

#endif
