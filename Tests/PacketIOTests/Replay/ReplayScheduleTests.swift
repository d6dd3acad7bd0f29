import Testing

@testable import PacketIO

@Suite("Replay schedule and lag histogram")
struct ReplayScheduleTests {
  @Test("--pps deadlines are exact at any index: no accumulated error")
  func packetRate() {
    var schedule = ReplaySchedule(timing: .packetsPerSecond(100_000))
    #expect(schedule.next(timestamp: 0, length: 60) == 0)
    #expect(schedule.next(timestamp: 0, length: 60) == 10_000)
    // Packet 6e10 (a week at 100 kpps) is due at exactly 600,000 s.
    #expect(
      ReplaySchedule.scale(60_000_000_000, by: 1_000_000_000_000, over: 100_000_000)
        == 600_000_000_000_000)
    var third = ReplaySchedule(timing: .packetsPerSecond(3))
    let deadlines = (0..<4).map { _ in third.next(timestamp: 0, length: 1) }
    #expect(deadlines == [0, 333_333_333, 666_666_666, 1_000_000_000])
  }

  @Test("--mbps deadlines follow the bytes already sent")
  func bitRate() {
    var schedule = ReplaySchedule(timing: .megabitsPerSecond(8))  // 1 byte per µs
    #expect(schedule.next(timestamp: 0, length: 1000) == 0)
    #expect(schedule.next(timestamp: 0, length: 500) == 1_000_000)
    #expect(schedule.next(timestamp: 0, length: 10) == 1_500_000)
  }

  @Test("Recorded timing keeps the gaps, scaled; files and loops follow one mean gap later")
  func recorded() {
    var schedule = ReplaySchedule(timing: .recorded(multiplier: 1))
    let base: Int64 = 1_700_000_000_000_000_000
    let gaps = [0, 1_000_000, 11_000_000, 111_000_000].map { base + Int64($0) }
    #expect(
      gaps.map { schedule.next(timestamp: $0, length: 60) } == [
        0, 1_000_000, 11_000_000, 111_000_000,
      ])
    schedule.endSource()
    // The next source starts 37 ms (the mean gap) after the last packet.
    #expect(schedule.next(timestamp: 5, length: 60) == 148_000_000)
    #expect(schedule.next(timestamp: 5 + 2_000_000, length: 60) == 150_000_000)
    // A timestamp going back never schedules before the previous packet.
    #expect(schedule.next(timestamp: 0, length: 60) == 150_000_000)
    var fast = ReplaySchedule(timing: .recorded(multiplier: 2))
    #expect(fast.next(timestamp: base, length: 1) == 0)
    #expect(fast.next(timestamp: base + 10_000_000, length: 1) == 5_000_000)
  }

  @Test("Lag percentiles come from the histogram buckets")
  func lagPercentiles() {
    var histogram = LagHistogram()
    #expect(histogram.percentile(0.99) == 0)
    for _ in 0..<98 { histogram.record(1_000) }
    histogram.record(50_000)
    histogram.record(5_000_000)
    #expect(histogram.count == 100)
    #expect(histogram.percentile(0.5) == 1_050)
    #expect(histogram.percentile(0.99) == 50_050)
    #expect(histogram.percentile(1) == 5_000_000)
    #expect(histogram.maximum == 5_000_000)
  }
}
