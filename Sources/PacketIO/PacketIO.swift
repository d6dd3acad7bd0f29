/// PacketIO: everything in rawtool that touches the kernel or libpcap — BPF compilation and
/// filtering, interfaces, live capture and sending. PacketKit stays pure Swift; this module
/// is the only one that imports the `CPacketIO` C shim.
public enum PacketIO {}
