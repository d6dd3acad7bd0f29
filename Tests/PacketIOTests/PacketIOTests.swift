import Testing

@testable import PacketIO
