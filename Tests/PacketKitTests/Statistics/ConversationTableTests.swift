import Testing

@testable import PacketKit

/// The conversation table against a plain dictionary model, across index growth and entry
/// chunks, and its stated memory bound.
@Suite("Conversation table")
struct ConversationTableTests {
  /// One conversation of the model: counts by direction, keyed by the undirected endpoints.
  struct Model {
    var a: (ConversationTable.AddressBits, UInt16)
    var packetsAToB = 0
    var bytesAToB = 0
    var packetsBToA = 0
    var bytesBToA = 0
    var first: Timestamp
    var last: Timestamp
  }

  @Test("Counts match a dictionary model over 12,000 conversations (index growth, 3 chunks)")
  func matchesModel() {
    var table = ConversationTable()
    var model: [String: Model] = [:]
    let hosts = 12_000
    for step in 0..<60_000 {
      // Host `h` talks to one server on one port; some pairs use IPv6, some repeat.
      // A fixed, scattered order (7,919 is prime to 12,000), so a failure repeats.
      let host = step &* 7_919 % hosts
      let isIPv6 = host % 3 == 0
      let client =
        isIPv6
        ? ConversationTable.AddressBits(IPv6Address(high: 0x2001_0db8_0000_0001, low: UInt64(host)))
        : ConversationTable.AddressBits(IPv4Address(rawValue: 0xC000_0000 + UInt32(host)))
      let server =
        isIPv6
        ? ConversationTable.AddressBits(IPv6Address(high: 0x2001_0db8_0000_0002, low: 80))
        : ConversationTable.AddressBits(IPv4Address(198, 51, 100, 10))
      let clientPort = UInt16(40_000 + host % 20_000)
      let fromClient = (step / 3) % 2 == 0
      let (src, srcPort, dst, dstPort) =
        fromClient ? (client, clientPort, server, UInt16(443)) : (server, 443, client, clientPort)
      let bytes = (step &* 31) % 1500 + 60
      // Times go backwards now and then: first and last are the earliest and the latest.
      let time = Timestamp(seconds: Int64(1_000 + step % 977), nanoseconds: UInt32(step))
      var endpoints = ConversationTable.Endpoints()
      endpoints.outer = ConversationTable.IPPair(src: src, dst: dst, isIPv6: isIPv6)
      endpoints.enclosing = endpoints.outer
      endpoints.transport = (.tcp, srcPort, dstPort)
      table.add(endpoints, time: time, bytes: bytes)

      let key = "\(host)"
      var entry = model[key] ?? Model(a: (src, srcPort), first: time, last: time)
      if entry.a.0 == src && entry.a.1 == srcPort {
        entry.packetsAToB += 1
        entry.bytesAToB += bytes
      } else {
        entry.packetsBToA += 1
        entry.bytesBToA += bytes
      }
      if time < entry.first { entry.first = time }
      if entry.last < time { entry.last = time }
      model[key] = entry
    }
    #expect(table.count(of: .tcp) == model.count)
    #expect(table.count(of: .ip) == model.count)
    #expect(table.count(of: .udp) == 0)
    #expect(table.entryCount == 2 * model.count)

    let all = table.top(model.count, of: .tcp)
    #expect(all.count == model.count)
    var seen = 0
    for conversation in all {
      // The client's port names the host.
      let clientPort = conversation.aPort == 443 ? conversation.bPort : conversation.aPort
      let candidates = stride(from: Int(clientPort) - 40_000, to: hosts, by: 20_000)
      let match = candidates.compactMap { model["\($0)"] }.first { entry in
        entry.packetsAToB == conversation.packetsAToB && entry.bytesAToB == conversation.bytesAToB
          && entry.packetsBToA == conversation.packetsBToA
          && entry.bytesBToA == conversation.bytesBToA && entry.first == conversation.firstTime
          && entry.last == conversation.lastTime && entry.a.1 == conversation.aPort
      }
      if match != nil { seen += 1 }
    }
    #expect(seen == model.count)

    // Most bytes first, then most packets; a short list is the long one's head.
    for index in 1..<all.count {
      #expect(
        all[index - 1].bytes > all[index].bytes
          || (all[index - 1].bytes == all[index].bytes
            && all[index - 1].packets >= all[index].packets)
      )
    }
    let short = table.top(10, of: .tcp)
    #expect(short.count == 10)
    #expect(short.map(\.bytes) == all.prefix(10).map(\.bytes))
    #expect(short.map(\.aPort) == all.prefix(10).map(\.aPort))
    #expect(table.top(0, of: .tcp).isEmpty)
  }

  @Test("A conversation takes at most 200 bytes: a 96-byte entry and six index slots")
  func memoryBound() {
    #expect(ConversationTable.entryBytes == 96)
    #expect(ConversationTable.bytesPerConversation <= 200)
    var table = ConversationTable()
    let conversations = 3 * ConversationTable.chunkSize
    for host in 0..<conversations {
      var endpoints = ConversationTable.Endpoints()
      endpoints.outer = ConversationTable.IPPair(
        src: ConversationTable.AddressBits(IPv4Address(rawValue: 0x0A00_0000 | UInt32(host))),
        dst: ConversationTable.AddressBits(IPv4Address(198, 51, 100, 1)), isIPv6: false)
      table.add(endpoints, time: Timestamp(seconds: 1), bytes: 60)
    }
    #expect(table.count(of: .ip) == conversations)
    // What the table holds now, per conversation (the index between two and four slots).
    #expect(table.byteCount <= conversations * ConversationTable.bytesPerConversation)
    #expect(table.byteCount >= conversations * ConversationTable.entryBytes)
  }

  @Test("The same endpoints both ways are one conversation, A the first packet's source")
  func undirected() {
    var table = ConversationTable()
    let a = ConversationTable.AddressBits(IPv4Address(203, 0, 113, 9))
    let b = ConversationTable.AddressBits(IPv4Address(192, 0, 2, 1))
    for (src, dst) in [(a, b), (b, a), (b, a), (a, a)] {
      var endpoints = ConversationTable.Endpoints()
      endpoints.outer = ConversationTable.IPPair(src: src, dst: dst, isIPv6: false)
      table.add(endpoints, time: Timestamp(seconds: 5), bytes: 100)
    }
    let list = table.top(10, of: .ip)
    #expect(list.count == 2)
    #expect(list[0].a == .v4(IPv4Address(203, 0, 113, 9)))
    #expect(list[0].packetsAToB == 1 && list[0].packetsBToA == 2)
    #expect(list[1].a == list[1].b && list[1].packetsAToB == 1)
  }
}

@Suite("Statistics kind masks")
struct StatisticsKindMaskTests {
  @Test("The masks hold exactly the kinds their properties name")
  func masks() {
    for kind in LayerKind.allCases {
      let bit = UInt32(1) << UInt32(kind.rawValue)
      #expect((CaptureStatistics.applicationKinds & bit != 0) == kind.isApplication, "\(kind)")
      #expect((CaptureStatistics.repeatingKinds & bit != 0) == kind.repeatsAsMessages, "\(kind)")
      var path = LayerPath()
      path.append(.ethernet)
      path.append(kind)
      #expect(CaptureStatistics.kindMask(path) == 1 | bit)
    }
    #expect(LayerKind.allCases.count <= 32)
  }
}
