// CPacketIO: the C surface rawtool's PacketIO module needs — libpcap and Linux packet sockets.
// Function-like macros Swift cannot import become static inline CPacketIO_* helpers here.
#ifndef CPACKETIO_SHIM_H
#define CPACKETIO_SHIM_H

#include <pcap/pcap.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <net/if.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <linux/filter.h>
#include <poll.h>
#include <unistd.h>

#endif
