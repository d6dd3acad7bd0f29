import Testing

@testable import PacketKit

@Suite("Expression parser")
struct ParserTests {
  // MARK: - Exact trees

  /// Character offset of the `occurrence`-th (from 1) `needle` in `source`.
  static func offset(of needle: String, in source: String, occurrence: Int = 1) -> Int {
    let characters = Array(source)
    let pattern = Array(needle)
    var seen = 0
    for start in 0...(characters.count - pattern.count)
    where Array(characters[start..<start + pattern.count]) == pattern {
      seen += 1
      if seen == occurrence { return start }
    }
    preconditionFailure("\(needle) not found \(occurrence) times in \(source)")
  }

  @Test("CONTRACT.md's first example, the whole tree with positions")
  func contractStack() throws {
    let source =
      #"eth(src=02:00:00:00:00:01, dst=02:00:00:00:00:02) / ipv4(src=192.0.2.1, dst=192.0.2.2, ttl=64, id=1) / tcp(sport=1234, dport=80, flags=S, seq=1000, window=8192, options=[mss=1460, nop, window_scale=7]) / raw("hello")"#
    func at(_ needle: String, _ occurrence: Int = 1) -> Int {
      Self.offset(of: needle, in: source, occurrence: occurrence)
    }
    func field(_ name: String, _ occurrence: Int, _ value: String, _ kind: ValueExpression.Kind)
      -> FieldExpression
    {
      FieldExpression(
        name: name, position: at(name + "=", occurrence),
        value: ValueExpression(position: at("=" + value) + 1, kind: kind))
    }
    let expected = PacketExpression(
      layers: [
        LayerExpression(
          name: "eth", position: 0,
          fields: [
            field("src", 1, "02:00:00:00:00:01", .mac(MACAddress(2, 0, 0, 0, 0, 1))),
            field("dst", 1, "02:00:00:00:00:02", .mac(MACAddress(2, 0, 0, 0, 0, 2))),
          ]),
        LayerExpression(
          name: "ipv4", position: at("ipv4"),
          fields: [
            field("src", 2, "192.0.2.1", .ipv4(IPv4Address(192, 0, 2, 1))),
            field("dst", 2, "192.0.2.2", .ipv4(IPv4Address(192, 0, 2, 2))),
            field("ttl", 1, "64", .integer(64)),
            field("id", 1, "1)", .integer(1)),
          ]),
        LayerExpression(
          name: "tcp", position: at("tcp"),
          fields: [
            field("sport", 1, "1234", .integer(1234)),
            field("dport", 1, "80", .integer(80)),
            field("flags", 1, "S", .word("S")),
            field("seq", 1, "1000", .integer(1000)),
            field("window", 1, "8192", .integer(8192)),
            FieldExpression(
              name: "options", position: at("options"),
              value: ValueExpression(
                position: at("["),
                kind: .list([
                  ValueExpression(
                    position: at("mss"),
                    kind: .assignment(
                      name: "mss",
                      value: ValueExpression(position: at("1460"), kind: .integer(1460)))),
                  ValueExpression(position: at("nop"), kind: .word("nop")),
                  ValueExpression(
                    position: at("window_scale"),
                    kind: .assignment(
                      name: "window_scale",
                      value: ValueExpression(position: at("7]"), kind: .integer(7)))),
                ]))),
          ]),
        LayerExpression(
          name: "raw", position: at("raw"), fields: [],
          positional: ValueExpression(position: at("\"hello"), kind: .string(Array("hello".utf8)))),
      ],
      source: source)
    #expect(try ExpressionParser.parse(source) == expected)
  }

  @Test("CONTRACT.md's IPv6 extension example, the whole tree with positions")
  func contractExtensions() throws {
    let source =
      "ipv6(dst=2001:db8::2, extensions=[hop_by_hop(hex=0x010400000000), fragment(fragment_offset=0, mf=true, id=7)])"
    func at(_ needle: String) -> Int { Self.offset(of: needle, in: source) }
    func value(_ needle: String, _ kind: ValueExpression.Kind) -> ValueExpression {
      ValueExpression(position: at(needle), kind: kind)
    }
    func field(_ name: String, _ value: ValueExpression) -> FieldExpression {
      FieldExpression(name: name, position: at(name + "="), value: value)
    }
    let expected = PacketExpression(
      layers: [
        LayerExpression(
          name: "ipv6", position: 0,
          fields: [
            field("dst", value("2001", .ipv6(IPv6Address(high: 0x2001_0db8_0000_0000, low: 2)))),
            field(
              "extensions",
              value(
                "[",
                .list([
                  value(
                    "hop_by_hop",
                    .call(
                      name: "hop_by_hop",
                      fields: [field("hex", value("0x01", .hex("010400000000")))])),
                  value(
                    "fragment(",
                    .call(
                      name: "fragment",
                      fields: [
                        field("fragment_offset", value("0,", .integer(0))),
                        field("mf", value("true", .bool(true))),
                        field("id", value("7", .integer(7))),
                      ])),
                ]))),
          ])
      ],
      source: source)
    #expect(try ExpressionParser.parse(source) == expected)
  }

  @Test("CONTRACT.md-style prefix, list and range, the whole tree with positions")
  func prefixListRange() throws {
    let source = "ipv4(dst=192.0.2.0/30, ttl=[1,2,3]) / udp(dport=20-25)"
    let address = ValueExpression(position: 9, kind: .ipv4(IPv4Address(192, 0, 2, 0)))
    let expected = PacketExpression(
      layers: [
        LayerExpression(
          name: "ipv4", position: 0,
          fields: [
            FieldExpression(
              name: "dst", position: 5,
              value: ValueExpression(position: 9, kind: .prefix(address, 30))),
            FieldExpression(
              name: "ttl", position: 23,
              value: ValueExpression(
                position: 27,
                kind: .list([
                  ValueExpression(position: 28, kind: .integer(1)),
                  ValueExpression(position: 30, kind: .integer(2)),
                  ValueExpression(position: 32, kind: .integer(3)),
                ]))),
          ]),
        LayerExpression(
          name: "udp", position: 38,
          fields: [
            FieldExpression(
              name: "dport", position: 42,
              value: ValueExpression(
                position: 48,
                kind: .range(
                  ValueExpression(position: 48, kind: .integer(20)),
                  ValueExpression(position: 51, kind: .integer(25)))))
          ]),
      ],
      source: source)
    #expect(try ExpressionParser.parse(source) == expected)
  }

  // MARK: - Good expressions, by shape

  static let good: [(source: String, shape: String)] = [
    // CONTRACT.md, verbatim.
    (
      #"eth(src=02:00:00:00:00:01, dst=02:00:00:00:00:02) / ipv4(src=192.0.2.1, dst=192.0.2.2, ttl=64, id=1) / tcp(sport=1234, dport=80, flags=S, seq=1000, window=8192, options=[mss=1460, nop, window_scale=7]) / raw("hello")"#,
      #"eth(src=mac 02:00:00:00:00:01, dst=mac 02:00:00:00:00:02) / ipv4(src=ipv4 192.0.2.1, dst=ipv4 192.0.2.2, ttl=64, id=1) / tcp(sport=1234, dport=80, flags=S, seq=1000, window=8192, options=[mss=1460, nop, window_scale=7]) / raw(<"hello">)"#
    ),
    (
      "tcp(options=[mss=1460, nop, window_scale=7, sack_permitted, timestamp=(100,0), sack=[(1,2),(5,9)], unknown=(254,0x0102), eol])",
      "tcp(options=[mss=1460, nop, window_scale=7, sack_permitted, timestamp=(100, 0), sack=[(1, 2), (5, 9)], unknown=(254, 0x0102), eol])"
    ),
    (
      "ipv6(dst=2001:db8::2, extensions=[hop_by_hop(hex=0x010400000000), fragment(fragment_offset=0, mf=true, id=7)])",
      "ipv6(dst=ipv6 2001:db8::2, extensions=[hop_by_hop(hex=0x010400000000), fragment(fragment_offset=0, mf=true, id=7)])"
    ),
    (
      "ipv4(dst=192.0.2.0/30, ttl=[1,2,3]) / udp(dport=20-25)",
      "ipv4(dst=prefix(ipv4 192.0.2.0, 30), ttl=[1, 2, 3]) / udp(dport=range(20, 25))"
    ),
    ("raw(0x0102)", "raw(<0x0102>)"),
    ("ether()/ip()/icmp()", "ether / ip / icmp"),
    // The multi-line form of the CONTRACT.md example.
    (
      "eth(src=02:00:00:00:00:01)\n  / tcp(flags=SA)\n  / raw(\"hello\")",
      #"eth(src=mac 02:00:00:00:00:01) / tcp(flags=SA) / raw(<"hello">)"#
    ),
    // Layers.
    ("eth", "eth"),
    ("eth / ip / tcp", "eth / ip / tcp"),
    ("vlan(id=1)/vlan(id=2)/ip()", "vlan(id=1) / vlan(id=2) / ip"),
    ("  eth  (  src = 02:00:00:00:00:01 , )  ", "eth(src=mac 02:00:00:00:00:01)"),
    ("eth()\n/\tip()\r\n", "eth / ip"),
    ("icmp(type=8, code=0,) / raw(random)", "icmp(type=8, code=0) / raw(<random>)"),
    // random inside a range or prefix, alone or in a list.
    ("udp(sport=random(1024-65535))", "udp(sport=random(range(1024, 65535)))"),
    ("ip(src=random( 192.0.2.0/24 ))", "ip(src=random(prefix(ipv4 192.0.2.0, 24)))"),
    ("ip(ttl=[1, random(10-0x14), random])", "ip(ttl=[1, random(range(10, 0x14)), random])"),
    (#"raw(length=5, "x")"#, #"raw(length=5, <"x">)"#),
    (#"raw("x", length=5)"#, #"raw(length=5, <"x">)"#),
    ("icmpv6(true=1)", "icmpv6(true=1)"),
    // Integers and hex.
    ("ip(ttl=0)", "ip(ttl=0)"),
    ("ip(ttl=007)", "ip(ttl=7)"),
    ("tcp(seq=18446744073709551615)", "tcp(seq=18446744073709551615)"),
    ("ip(tos=0xFF, id=0Xab)", "ip(tos=0xFF, id=0xab)"),
    ("raw(0xabc)", "raw(<0xabc>)"),
    // Booleans, words.
    ("ip(df=true, mf=false)", "ip(df=true, mf=false)"),
    ("tcp(flags=FSRPAUECN)", "tcp(flags=FSRPAUECN)"),
    ("tcp(options=[_x1, nop2, sack_permitted])", "tcp(options=[_x1, nop2, sack_permitted])"),
    // Strings.
    (#"raw("")"#, #"raw(<"">)"#),
    (
      #"raw("a\"b\\c\n\t\r\0\x41\xfF")"#,
      #"raw(<"a\x22b\x5cc\x0a\x09\x0d\x00A\xff">)"#
    ),
    (#"raw("héllo")"#, #"raw(<"h\xc3\xa9llo">)"#),
    (#"raw("a, b) / [c]")"#, #"raw(<"a, b) / [c]">)"#),
    // MAC addresses.
    ("eth(dst=ff:ff:ff:ff:ff:ff)", "eth(dst=mac ff:ff:ff:ff:ff:ff)"),
    ("eth(src=AA:BB:CC:DD:EE:0F)", "eth(src=mac aa:bb:cc:dd:ee:0f)"),
    ("eth(src=2:0:0:0:0:1)", "eth(src=mac 02:00:00:00:00:01)"),
    ("arp(sender_mac=de:ad:be:ef:00:01)", "arp(sender_mac=mac de:ad:be:ef:00:01)"),
    // IPv4 and IPv6 addresses.
    ("ip(src=0.0.0.0, dst=255.255.255.255)", "ip(src=ipv4 0.0.0.0, dst=ipv4 255.255.255.255)"),
    ("ipv6(src=::, dst=::1)", "ipv6(src=ipv6 ::, dst=ipv6 ::1)"),
    ("ipv6(dst=fe80::1)", "ipv6(dst=ipv6 fe80::1)"),
    ("ipv6(dst=ff02::1, src=abcd::)", "ipv6(dst=ipv6 ff02::1, src=ipv6 abcd::)"),
    ("ipv6(dst=::ffff:192.0.2.1)", "ipv6(dst=ipv6 ::ffff:192.0.2.1)"),
    (
      "ipv6(dst=2001:0DB8:0000:0000:0000:0000:0000:0001)",
      "ipv6(dst=ipv6 2001:db8::1)"
    ),
    // Eight groups of two digits cannot be a MAC.
    ("ipv6(dst=02:00:00:00:00:00:00:01)", "ipv6(dst=ipv6 2::1)"),
    ("icmpv6(target=64:ff9b::192.0.2.33)", "icmpv6(target=ipv6 64:ff9b::c000:221)"),
    // Prefixes.
    ("ip(dst=10.0.0.0/0)", "ip(dst=prefix(ipv4 10.0.0.0, 0))"),
    ("ip(dst=192.0.2.1/32)", "ip(dst=prefix(ipv4 192.0.2.1, 32))"),
    ("ipv4(dst = 192.0.2.0 / 24) / tcp()", "ipv4(dst=prefix(ipv4 192.0.2.0, 24)) / tcp"),
    ("ipv6(dst=2001:db8::/126)", "ipv6(dst=prefix(ipv6 2001:db8::, 126))"),
    ("ipv6(dst=::/128)", "ipv6(dst=prefix(ipv6 ::, 128))"),
    // Ranges.
    ("udp(dport = 20 - 25)", "udp(dport=range(20, 25))"),
    ("udp(dport=7-7)", "udp(dport=range(7, 7))"),
    ("udp(dport=0x10-0x20, sport=1-0x20)", "udp(dport=range(0x10, 0x20), sport=range(1, 0x20))"),
    ("ip(dst=192.0.2.1-192.0.2.9)", "ip(dst=range(ipv4 192.0.2.1, ipv4 192.0.2.9))"),
    (
      "ipv6(dst=2001:db8::1-2001:db8::9)",
      "ipv6(dst=range(ipv6 2001:db8::1, ipv6 2001:db8::9))"
    ),
    (
      "eth(src=02:00:00:00:00:01-02:00:00:00:00:09)",
      "eth(src=range(mac 02:00:00:00:00:01, mac 02:00:00:00:00:09))"
    ),
    // Lists, tuples, calls, nested.
    ("tcp(options=[])", "tcp(options=[])"),
    ("ip(ttl=[1,2,])", "ip(ttl=[1, 2])"),
    ("ip(ttl=[[1,2],[3],[]])", "ip(ttl=[[1, 2], [3], []])"),
    ("tcp(timestamp=((1,2),3))", "tcp(timestamp=((1, 2), 3))"),
    ("tcp(timestamp=(1,))", "tcp(timestamp=(1))"),
    (
      "ip(dst=[192.0.2.1, 192.0.2.0/30, 192.0.2.5-192.0.2.7])",
      "ip(dst=[ipv4 192.0.2.1, prefix(ipv4 192.0.2.0, 30), range(ipv4 192.0.2.5, ipv4 192.0.2.7)])"
    ),
    ("ipv6(extensions=[hop_by_hop()])", "ipv6(extensions=[hop_by_hop()])"),
    (
      "ipv6(extensions=[routing(segments=[2001:db8::1, 2001:db8::2], segments_left=1,)])",
      "ipv6(extensions=[routing(segments=[ipv6 2001:db8::1, ipv6 2001:db8::2], segments_left=1)])"
    ),
    ("tcp(options=[sack=[(1,2)], x=[y=[z=1]]])", "tcp(options=[sack=[(1, 2)], x=[y=[z=1]]])"),
    (
      "icmpv6(options=[source_lladdr(mac=02:00:00:00:00:01), [a(b=(1,[c(d=2)]))]])",
      "icmpv6(options=[source_lladdr(mac=mac 02:00:00:00:00:01), [a(b=(1, [c(d=2)]))]])"
    ),
  ]

  @Test("Good expressions parse to the expected shape", arguments: good)
  func parsesGood(source: String, shape: String) throws {
    let expression = try ExpressionParser.parse(source)
    #expect(expression.shape == shape)
    #expect(expression.source == source)
  }

  @Test("Every position points at its text", arguments: good.map(\.source))
  func positionsPointAtTheirText(source: String) throws {
    let expression = try ExpressionParser.parse(source)
    let characters = Array(source)
    func text(at position: Int) -> Substring {
      Substring(String(characters[position...]))
    }
    for layer in expression.layers {
      #expect(text(at: layer.position).hasPrefix(layer.name))
      var values: [ValueExpression] = layer.positional.map { [$0] } ?? []
      for field in layer.fields {
        #expect(text(at: field.position).hasPrefix(field.name + ""))
        values.append(field.value)
      }
      for value in values.flatMap(\.allValues) {
        let here = text(at: value.position)
        switch value.kind {
        case .tuple: #expect(here.hasPrefix("("))
        case .list: #expect(here.hasPrefix("["))
        case .string: #expect(here.hasPrefix("\""))
        case .hex(let digits): #expect(here.dropFirst(2).hasPrefix(digits))
        case .bool(let flag): #expect(here.hasPrefix("\(flag)"))
        case .word(let name), .assignment(let name, _), .call(let name, _):
          #expect(here.hasPrefix(name))
        case .integer: #expect(here.first?.isNumber == true)
        case .mac, .ipv4, .ipv6: #expect(here.first?.isHexDigit == true || here.first == ":")
        case .range(let low, _), .prefix(let low, _): #expect(value.position == low.position)
        case .randomIn: #expect(here.hasPrefix("random("))
        }
      }
    }
  }

  // MARK: - Bad expressions

  static let bad: [(source: String, description: String, position: Int)] = [
    // Empty input, layer separators.
    ("", "column 1: empty expression", 0),
    ("   ", "column 1: empty expression", 0),
    ("/ip()", "column 1: unexpected '/' at the start: a layer must come first", 0),
    ("eth()/", "column 6: unexpected '/' at the end: a layer must follow", 5),
    ("eth() / ", "column 7: unexpected '/' at the end: a layer must follow", 6),
    ("eth()//ip()", "column 7: unexpected '/' after '/': a layer must come between them", 6),
    ("eth()/5", "column 7: expected a layer name after '/', found 5", 6),
    ("eth ip", "column 5: expected '/' between layers", 4),
    ("(eth)", "column 1: expected a layer name, found '('", 0),
    ("eth(src=1)(", "column 11: unexpected '(' after the layer eth", 10),
    ("ip.dst=1", "column 3: unexpected '.' after ip", 2),
    // Parentheses and brackets.
    ("tcp(dport=80", "tcp: expected ')' after the fields of tcp", 12),
    ("tcp(dport=80 sport=1)", "tcp: expected ')' after the fields of tcp", 13),
    ("ip(dst=192.0.2.1 / tcp()", "ip: expected ')' after the fields of ip", 17),
    ("tcp(dport=80))", "column 14: unbalanced ')'", 13),
    ("ip(ttl=1])", "ip: unbalanced ']'", 8),
    ("ip(ttl=[1,2)", "ip: field ttl: unbalanced '['", 7),
    ("ip(ttl=[1,2", "ip: field ttl: unbalanced '['", 7),
    ("tcp(options=[mss=1460, nop) / raw()", "tcp: field options: unbalanced '['", 12),
    ("tcp(sack=[(1,2),(5,9)", "tcp: field sack: unbalanced '['", 9),
    ("tcp(timestamp=(1,2", "tcp: field timestamp: unbalanced '('", 14),
    ("ip(ttl=(1,2]", "ip: field ttl: unbalanced '('", 7),
    ("ip(ttl=[1 2])", "ip: field ttl: expected ',' or ']' in the list", 10),
    ("ip(ttl=(1 2))", "ip: field ttl: expected ',' or ')' in the tuple", 10),
    // Fields and values.
    ("tcp(dport 80)", "tcp: expected '=' after dport", 10),
    ("tcp(options=[mss 1460])", "tcp: field options: expected '=' after mss", 17),
    ("tcp(dport=)", "tcp: field dport: missing value", 10),
    ("tcp(dport=,sport=1)", "tcp: field dport: missing value", 10),
    ("ip(ttl=[1,,2])", "ip: field ttl: missing value", 10),
    ("eth(,)", "eth: expected a field or a value, found ','", 4),
    ("ip(=5)", "ip: expected a field name before '='", 3),
    ("ip(ttl=1=2)", "ip: expected a field name before '='", 8),
    ("ip(ttl=1, ttl=2)", "ip: field ttl given twice", 10),
    (#"raw("a", "b")"#, "raw: more than one positional value", 9),
    ("ip(ttl=foo(1))", "ip: field ttl: a call like foo(...) is only allowed inside a list", 7),
    (
      "udp(sport=random(5))",
      "udp: field sport: random(...) takes a range (random(1024-65535)) or a prefix (random(192.0.2.0/24)), not an integer",
      17
    ),
    ("udp(sport=random(1-5 7))", "udp: field sport: expected ')' to close random(", 21),
    ("udp(sport=random(1-5)", "udp: expected ')' after the fields of udp", 21),
    (
      "udp(sport=random(1-5)-7)",
      "udp: field sport: a range needs integers or addresses, not a random value", 21
    ),
    ("ip(ttl=())", "ip: field ttl: empty tuple", 7),
    ("tcp(flags:S)", "tcp: unexpected ':' after flags", 9),
    // Calls.
    ("ipv6(extensions=[fragment(id=1, id=2)])", "ipv6: field extensions: field id given twice", 32),
    (
      "ipv6(extensions=[fragment(id=1])",
      "ipv6: field extensions: expected ')' after the fields of fragment", 30
    ),
    (
      "ipv6(extensions=[fragment(7)])",
      "ipv6: field extensions: expected a field name=value in fragment(...), found 7", 26
    ),
    ("ipv6(extensions=[fragment(id 7)])", "ipv6: field extensions: expected '=' after id", 29),
    // Addresses.
    ("eth(src=02:00:00:00:00)", "eth: field src: invalid MAC address 02:00:00:00:00", 8),
    ("eth(src=02:00:00:00:00:0g)", "eth: field src: invalid MAC address 02:00:00:00:00:0g", 8),
    ("eth(src=02:00:00:00:00:)", "eth: field src: invalid MAC address 02:00:00:00:00:", 8),
    ("ip(dst=192.0.2.300)", "ip: field dst: invalid IPv4 address 192.0.2.300", 7),
    ("ip(dst=192.0.2)", "ip: field dst: invalid IPv4 address 192.0.2", 7),
    ("ip(dst=1.5)", "ip: field dst: invalid IPv4 address 1.5", 7),
    ("ipv6(dst=2001:db8:::1)", "ipv6: field dst: invalid IPv6 address 2001:db8:::1", 9),
    ("ipv6(dst=1::2::3)", "ipv6: field dst: invalid IPv6 address 1::2::3", 9),
    ("ipv6(dst=12345::1)", "ipv6: field dst: invalid IPv6 address 12345::1", 9),
    ("ipv6(dst=1:2:3:4:5:6:7)", "ipv6: field dst: invalid IPv6 address 1:2:3:4:5:6:7", 9),
    ("ipv6(dst=fe80::1%eth0)", "ipv6: field dst: unexpected character '%'", 16),
    // Prefixes.
    ("ip(dst=192.0.2.0/33)", "ip: field dst: prefix length 33 is out of range 0...32", 17),
    (
      "ipv6(dst=2001:db8::/129)", "ipv6: field dst: prefix length 129 is out of range 0...128",
      20
    ),
    ("ip(dst=192.0.2.1/)", "ip: field dst: expected a prefix length after '/'", 17),
    ("ip(ttl=5/3)", "ip: field ttl: a prefix length must follow an IPv4 or IPv6 address", 8),
    (
      "eth(src=02:00:00:00:00:01/24)",
      "eth: field src: a prefix length must follow an IPv4 or IPv6 address", 25
    ),
    // Ranges and negative numbers.
    ("udp(dport=20-192.0.2.1)", "udp: field dport: range mixes an integer and an IPv4 address", 13),
    (
      "ip(dst=192.0.2.1-2001:db8::1)",
      "ip: field dst: range mixes an IPv4 address and an IPv6 address", 17
    ),
    ("udp(dport=25-20)", "udp: field dport: empty range 25-20", 10),
    ("udp(dport=-5)", "udp: field dport: negative numbers are not allowed", 10),
    ("tcp(flags=S-A)", "tcp: field flags: a range needs integers or addresses, not a word", 11),
    ("udp(dport=1-2-3)", "udp: field dport: a range has only two ends", 13),
    ("udp(dport=20-)", "udp: field dport: missing the end of the range", 13),
    ("udp(dport=20-[1])", "udp: field dport: range mixes an integer and a list", 13),
    (
      "ip(dst=192.0.2.0/24-192.0.3.0)",
      "ip: field dst: a range needs integers or addresses, not a prefix", 19
    ),
    // Numbers.
    ("ip(id=99999999999999999999)", "ip: field id: integer 99999999999999999999 is too large", 6),
    ("ip(id=18446744073709551616)", "ip: field id: integer 18446744073709551616 is too large", 6),
    ("ip(ttl=1e5)", "ip: field ttl: invalid number 1e5", 7),
    ("raw(0x)", "raw: invalid hex number 0x", 4),
    ("raw(0xZZ)", "raw: invalid hex number 0xZZ", 4),
    // Strings.
    (#"raw("hello"#, "raw: unterminated string", 4),
    (#"raw("abc\"#, "raw: unterminated string", 4),
    (#"raw("a\qb")"#, #"raw: unknown escape \q"#, 6),
    (#"raw("\xZZ")"#, #"raw: \x must be followed by two hex digits"#, 5),
    (#"raw("\x4")"#, #"raw: \x must be followed by two hex digits"#, 5),
    // Characters that are no token.
    ("eth(@)", "eth: unexpected character '@'", 4),
    ("ip(ttl=#1)", "ip: field ttl: unexpected character '#'", 7),
    ("eth(src=ü)", "eth: field src: unexpected character 'ü'", 8),
    ("eth;ip", "column 4: unexpected character ';'", 3),
  ]

  @Test("Bad expressions give one exact error", arguments: bad)
  func rejectsBad(source: String, description: String, position: Int) {
    let error = #expect(throws: ExpressionError.self) { try ExpressionParser.parse(source) }
    #expect(error?.description == description)
    #expect(error?.position == position)
  }

  @Test("Nesting is bounded")
  func nestingIsBounded() throws {
    let depth = ExpressionParser.maximumDepth
    let fine =
      "ip(ttl=" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + ")"
    _ = try ExpressionParser.parse(fine)
    let deep = "ip(ttl=" + String(repeating: "[(", count: 10_000) + ")"
    #expect(
      throws: ExpressionError(
        layer: "ip", field: "ttl", position: 7 + depth, message: "nesting deeper than 32 levels")
    ) {
      try ExpressionParser.parse(deep)
    }
  }

  @Test("rendered(source:) puts a caret under the position")
  func renderedCaret() {
    let source = "eth() / ipv4(dst=192.0.2.300)"
    do {
      _ = try ExpressionParser.parse(source)
      Issue.record("parsed")
    } catch {
      #expect(
        error.rendered(source: source) == """
          ipv4: field dst: invalid IPv4 address 192.0.2.300
            eth() / ipv4(dst=192.0.2.300)
                             ^
          """)
    }
  }

  // MARK: - Robustness

  /// SplitMix64 (Steele, Lea and Flood 2014): small, seeded, good enough for test inputs.
  struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  /// Checks what a parse of arbitrary input may produce: a tree, or a well-formed error.
  static func checkParse(_ source: String) {
    do {
      let expression = try ExpressionParser.parse(source)
      #expect(!expression.layers.isEmpty)
      #expect(expression.layers.allSatisfy { $0.position < source.count })
    } catch {
      #expect(error.position >= 0 && error.position <= source.count, "\(source): \(error)")
      #expect(!error.message.isEmpty)
      // No trailing period, unless it belongs to quoted input (`invalid IPv4 address 10.`).
      let lastWord = error.message.split(separator: " ").last.map(String.init) ?? ""
      #expect(!lastWord.hasSuffix(".") || source.contains(lastWord), "\(error.message)")
      #expect(error.message.first?.isUppercase != true, "\(error.message)")
    }
  }

  @Test("10,000 seeded random inputs and mutations never crash")
  func randomInputs() {
    var random = SplitMix64(seed: 0x5EED_0F_7261_7774)
    let alphabet = Array("abcdefxSA_019:./-=,()[] \"\\\t@#ü0x")
    let seeds = Self.good.map { Array($0.source.utf8) }
    for round in 0..<10_000 {
      var bytes: [UInt8]
      switch round % 3 {
      case 0:
        // Random bytes, valid UTF-8 or not (decoding repairs it).
        bytes = (0..<Int.random(in: 0...48, using: &random)).map { _ in
          UInt8.random(in: 0...255, using: &random)
        }
      case 1:
        // Random text over the expression alphabet.
        bytes = Array(
          String(
            (0..<Int.random(in: 0...48, using: &random)).map { _ in
              alphabet.randomElement(using: &random)!
            }
          ).utf8)
      default:
        // A good expression with a few bytes deleted, replaced, inserted or duplicated.
        bytes = seeds.randomElement(using: &random)!
        for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
          let at = Int.random(in: 0..<bytes.count, using: &random)
          let inserted = Array(String(alphabet.randomElement(using: &random)!).utf8)
          switch Int.random(in: 0..<4, using: &random) {
          case 0: bytes.remove(at: at)
          case 1: bytes[at] = UInt8.random(in: 0x20...0x7E, using: &random)
          case 2: bytes.insert(contentsOf: inserted, at: at)
          default: bytes.insert(contentsOf: bytes[at..<min(at + 5, bytes.count)], at: at)
          }
        }
      }
      Self.checkParse(String(decoding: bytes, as: UTF8.self))
    }
  }
}
