import PacketIO
import PacketKit

/// The packets a live command (`send`, `probe`) puts on the wire: the expression's rounds,
/// `random` drawn anew for every packet, each packet's left-out fields filled from the
/// system (CONTRACT.md "Talking to the network"), and the interface they leave by.
///
/// Packet `n` is packet `n % packetsPerRound` of round `n / packetsPerRound`; rounds are
/// asked for in order.
struct OutgoingPackets {
  /// The interface packets leave by: `-i`, else the route's (of the first packet).
  let interface: NetworkInterface
  /// Whether packets are Ethernet frames (the stack starts with `eth`) rather than raw IP.
  let linkLayer: Bool
  /// 4 or 6, for raw IP packets.
  let ipVersion: Int
  /// Packets per round (the expression's expansion, fragments counted).
  private(set) var packetsPerRound: Int
  /// Every packet of every round: `packetsPerRound × repetitions`.
  private(set) var total: Int
  /// Whether rounds differ (some field is `random`, echo sequence numbers step, or IPv6
  /// fragments get a new random identification).
  var varies: Bool {
    generator.hasRandomFields || stepsEchoSequence || generator.drawsFragmentIDs
  }

  private var generator: PacketGenerator
  private let defaults: SendingDefaults
  private let given: [Set<String>]
  private let stepsEchoSequence: Bool
  private var stacks: [PacketStack]
  private var built: [[UInt8]] = []
  private var round = -1
  /// The expression's text, for errors with a caret.
  private let source: String

  /// Prepares the packets of `expression`.
  ///
  /// - Parameters:
  ///   - seed: the seed of `random` values; nil draws one, so runs differ.
  ///   - interface: `-i`, or nil to let the route choose.
  ///   - repetitions: rounds to send (`-c`).
  ///   - stepEchoSequence: give ICMP/ICMPv6 echo requests whose `seq` was left out the round
  ///     number as sequence number, as ping does (`probe`).
  ///   - fragmentSize: `--fragment N`: fragment(size=N) after the first IP layer.
  /// - Throws: `UsageFailure` for a bad expression; `RuntimeFailure` for what the system
  ///   cannot give (an unknown interface, no route, a neighbour that does not answer).
  init(
    expression text: String, seed: UInt64?, interface name: String?, repetitions: Int,
    stepEchoSequence: Bool = false, fragmentSize: Int? = nil
  ) throws {
    var expression: PacketExpression
    do {
      expression = try ExpressionParser.parse(text)
      if let fragmentSize { expression = try expression.fragmenting(size: fragmentSize) }
      generator = try PacketGenerator(
        expression: expression, seed: seed ?? .random(in: .min ... .max))
    } catch {
      throw UsageFailure(error.rendered(source: text))
    }
    source = text
    guard let first = expression.layers.first.flatMap({ PacketCrafter.canonicalName($0.name) })
    else { throw UsageFailure("empty expression") }
    switch first {
    case "eth": linkLayer = true
    case "ipv4", "ipv6": linkLayer = false
    default:
      throw UsageFailure(
        "a stack to send starts with eth (link layer) or ipv4/ipv6 (raw IP), not \(first)")
    }
    given = expression.givenFields()
    stepsEchoSequence = stepEchoSequence
    stacks = generator.nextRound()
    guard !stacks.isEmpty else { throw UsageFailure("the expression makes no packet") }
    do {
      let chosen = try name.map { name throws(SystemError) in try NetworkInterface.named(name) }
      defaults = SendingDefaults(interface: chosen)
      var probe = stacks[0]
      interface = try defaults.fill(&probe, given: given)
    } catch {
      throw RuntimeFailure("\(error)")
    }
    ipVersion = Self.ipVersion(of: stacks[0]) ?? 4
    // Build round 0 now: a value the builder rejects is a usage error before anything is
    // sent; its packets, fragments counted, make a round.
    packetsPerRound = 0
    total = 0
    round = 0
    try build(round: 0)
    packetsPerRound = built.count
    let (product, overflow) = packetsPerRound.multipliedReportingOverflow(by: repetitions)
    total = overflow ? Int.max : product
  }

  /// The bytes of packet `index`.
  ///
  /// - Throws: `RuntimeFailure` when filling from the system fails (a neighbour that does
  ///   not answer); `UsageFailure` for a value the builder rejects.
  mutating func packet(_ index: Int) throws -> [UInt8] {
    let wanted = index / max(1, packetsPerRound)
    if wanted != round {
      if !varies && round >= 0 {
        round = wanted
      } else {
        while round < wanted {
          if round >= 0 && generator.hasRandomFields { stacks = generator.nextRound() }
          round += 1
        }
        try build(round: round)
      }
    }
    return built[index % packetsPerRound]
  }

  /// Fills and builds every packet of round `round`.
  private mutating func build(round: Int) throws {
    built.removeAll(keepingCapacity: true)
    for var stack in stacks {
      if stepsEchoSequence { Self.stepEchoSequence(&stack, round: round, given: given) }
      do {
        _ = try defaults.fill(&stack, given: given)
      } catch {
        throw RuntimeFailure("\(error)")
      }
      let pieces: [PacketStack]
      do {
        pieces = try generator.fragments(of: stack)
      } catch {
        throw UsageFailure(error.rendered(source: source))
      }
      for piece in pieces {
        do {
          built.append(try generator.build(piece))
        } catch {
          throw UsageFailure(error.rendered(source: source))
        }
      }
    }
    if round > 0 && built.count != packetsPerRound {
      throw UsageFailure(
        "round \(round + 1) gives \(built.count) packets, round 1 gave \(packetsPerRound): fragmenting packets whose size is random is not supported"
      )
    }
  }

  /// Sets the sequence number of an echo request whose `seq` the expression left out.
  static func stepEchoSequence(_ stack: inout PacketStack, round: Int, given: [Set<String>]) {
    let sequence = UInt16(truncatingIfNeeded: round)
    for index in stack.layers.indices where !(index < given.count && given[index].contains("seq")) {
      switch stack.layers[index] {
      case .icmp(var icmp) where icmp.type == 8:
        icmp.seq = sequence
        stack.layers[index] = .icmp(icmp)
      case .icmpv6(var icmp) where icmp.type == 128:
        icmp.rest = (icmp.resolvedRest & 0xFFFF_0000) | UInt32(sequence)
        stack.layers[index] = .icmpv6(icmp)
      default:
        break
      }
    }
  }

  /// The IP version of the stack's first IP layer.
  static func ipVersion(of stack: PacketStack) -> Int? {
    for layer in stack.layers {
      switch layer {
      case .ipv4: return 4
      case .ipv6: return 6
      default: continue
      }
    }
    return nil
  }
}
