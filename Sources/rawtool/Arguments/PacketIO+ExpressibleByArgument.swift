import ArgumentParser
import PacketIO

extension CaptureDirection: ExpressibleByArgument {}
