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
#include <sys/wait.h>
#include <fcntl.h>
#include <sched.h>
#include <pthread.h>
#include <spawn.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/neighbour.h>

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
/// setns(2) through syscall(2), as glibc declares it only under _GNU_SOURCE: moves the calling
/// thread into the namespace `fd` refers to (CLONE_NEWNET for a network namespace).
static inline int CPacketIO_setns(int fd, int nstype) { return (int)syscall(SYS_setns, fd, nstype); }

/// CLONE_NEWNET (sched.h declares it only under _GNU_SOURCE).
static const int CPacketIO_CLONE_NEWNET = 0x40000000;

/// NLMSG_ALIGN(length): netlink messages are aligned to 4 bytes.
static inline unsigned int CPacketIO_NLMSG_ALIGN(unsigned int length) { return NLMSG_ALIGN(length); }

/// NLMSG_HDRLEN: the aligned size of `struct nlmsghdr`.
static inline unsigned int CPacketIO_NLMSG_HDRLEN(void) { return NLMSG_HDRLEN; }

/// NLMSG_LENGTH(length): a message's length with a payload of `length` bytes.
static inline unsigned int CPacketIO_NLMSG_LENGTH(unsigned int length) { return NLMSG_LENGTH(length); }

/// RTA_ALIGN(length): route attributes are aligned to 4 bytes.
static inline unsigned int CPacketIO_RTA_ALIGN(unsigned int length) { return RTA_ALIGN(length); }

/// RTA_LENGTH(length): an attribute's length with a payload of `length` bytes.
static inline unsigned int CPacketIO_RTA_LENGTH(unsigned int length) { return RTA_LENGTH(length); }

#endif
