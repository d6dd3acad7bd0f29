#!/usr/bin/env python3
"""Checks `rawtool read --parquet` against `rawtool read --json`, column by column.

For each capture: rawtool writes the Parquet table and the JSON lines; every row read back by
each engine (pyarrow, DuckDB, and Spark with --spark) must equal the values the JSON gives
for that packet, by the mapping in docs/parquet.md (the first layer of each kind that is not
quoted inside an ICMP error).

    Scripts/compare-parquet.py RAWTOOL CAPTURE... [--engines pyarrow,duckdb,spark] [--measure]
        [--row-group-rows N]

The JSON and every engine's rows are read side by side, a batch at a time, so a capture of
millions of packets is compared in flat memory (Spark and DuckDB read in packet order, by
frame_number). With --measure, each conversion's wall and CPU time, peak memory and size
(against the capture's) are printed, and each engine's reading time:

    Scripts/compare-parquet.py .build/release/rawtool Benchmarks/out/mixed-1m.pcap \
        --engines pyarrow,duckdb,spark --measure

Prints one line per capture and a summary; exits 1 on any difference, 2 on bad usage.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

COLUMNS = [
    "frame_time_ns", "frame_len", "caplen", "protocols", "eth_src", "eth_dst", "eth_type",
    "vlan_id", "ip_version", "ip_src", "ip_dst", "ip_ttl", "ip_protocol", "ip_checksum_valid",
    "src_port", "dst_port", "tcp_flags", "tcp_seq", "tcp_ack", "tcp_window", "payload_length",
    "l4_checksum_valid", "dns_qname", "dns_qtype", "dns_rcode", "tls_sni", "http_host",
    "http_method", "http_status", "frame_number", "conv_ip_src", "conv_ip_dst",
    "conv_transport", "conv_src", "conv_dst", "conv_src_port", "conv_dst_port",
]

CARRIERS = {"eth", "vlan", "sll", "null", "mpls", "gre", "vxlan"}

ICMP_ERRORS = {"icmp": {3, 4, 5, 11, 12}, "icmpv6": {1, 2, 3, 4}}


def layers_in_order(packet):
    """The packet's layers as (kind, object, quoted) in frame order."""
    kinds = packet["frame"]["protocols"].split(":") if packet["frame"]["protocols"] else []
    taken = {}
    layers = []
    quoted = False
    for kind in kinds:
        value = packet.get(kind)
        if isinstance(value, list):
            obj = value[taken.get(kind, 0)]
        else:
            obj = value if value is not None else {}
        taken[kind] = taken.get(kind, 0) + 1
        layers.append((kind, obj, quoted))
        if kind in ICMP_ERRORS and obj.get("type") in ICMP_ERRORS[kind]:
            quoted = True
    return layers


def expected_row(packet):
    """The row a packet's JSON gives."""
    frame = packet["frame"]
    seconds, nanos = frame["time"].split(".")
    row = dict.fromkeys(COLUMNS)
    row.update(
        frame_time_ns=int(seconds) * 1_000_000_000 + int(nanos), frame_len=frame["len"],
        caplen=frame["caplen"], protocols=frame["protocols"], frame_number=frame["number"])
    conversation_columns(packet, row)
    seen = set()
    for kind, layer, quoted in layers_in_order(packet):
        if quoted:
            continue
        if kind == "eth" and "eth" not in seen:
            seen.add("eth")
            row.update(eth_src=layer.get("src"), eth_dst=layer.get("dst"),
                       eth_type=layer.get("type"))
        elif kind == "vlan" and "vlan" not in seen:
            seen.add("vlan")
            row["vlan_id"] = layer.get("id")
        elif kind in ("ipv4", "ipv6") and "ip" not in seen:
            seen.add("ip")
            row.update(ip_version=4 if kind == "ipv4" else 6, ip_src=layer.get("src"),
                       ip_dst=layer.get("dst"))
            if kind == "ipv4":
                row.update(ip_ttl=layer.get("ttl"), ip_protocol=layer.get("protocol"),
                           ip_checksum_valid=layer.get("checksum_valid"))
            else:
                row.update(ip_ttl=layer.get("hop_limit"), ip_protocol=layer.get("next_header"))
        elif kind in ("tcp", "udp", "icmp", "icmpv6") and "transport" not in seen:
            seen.add("transport")
            row.update(src_port=layer.get("src_port"), dst_port=layer.get("dst_port"),
                       payload_length=layer.get("payload_length"),
                       l4_checksum_valid=layer.get("checksum_valid"))
            if kind == "tcp":
                row.update(tcp_flags=layer.get("flags"), tcp_seq=layer.get("seq"),
                           tcp_ack=layer.get("ack"), tcp_window=layer.get("window"))
        elif kind == "dns" and "dns" not in seen:
            seen.add("dns")
            row["dns_rcode"] = layer.get("rcode")
            questions = layer.get("questions") or []
            if questions:
                row.update(dns_qname=questions[0].get("name"), dns_qtype=questions[0].get("type"))
        elif kind == "tls" and row["tls_sni"] is None:
            row["tls_sni"] = layer.get("sni")
        elif kind == "http" and "http" not in seen:
            seen.add("http")
            row.update(http_host=layer.get("host"), http_method=layer.get("method"),
                       http_status=layer.get("status"))
    return row


def conversation_columns(packet, row):
    """The conversations `rawtool stats` counts the packet in: the outer IP pair when its
    header is complete; the first complete TCP or UDP header outside an ICMP quote, reached
    through link layers, tunnels and IP headers only, with the IP header enclosing it."""
    outer = enclosing = None
    for kind, layer, quoted in layers_in_order(packet):
        complete = "truncated" not in layer and "malformed" not in layer
        if quoted:
            break
        if kind in ("ipv4", "ipv6"):
            if not complete:
                break
            enclosing = (layer["src"], layer["dst"])
            outer = outer or enclosing
        elif kind in ("tcp", "udp"):
            if enclosing and complete:
                row.update(conv_transport=kind, conv_src=enclosing[0], conv_dst=enclosing[1],
                           conv_src_port=layer["src_port"], conv_dst_port=layer["dst_port"])
            break
        elif kind not in CARRIERS:
            break
    if outer:
        row.update(conv_ip_src=outer[0], conv_ip_dst=outer[1])


def read_pyarrow(path):
    """The table's rows, a batch at a time (memory stays flat on a large capture)."""
    import pyarrow.parquet as pq
    table = pq.ParquetFile(path)
    if table.schema_arrow.names != COLUMNS:
        raise SystemExit(f"{path}: columns {table.schema_arrow.names}")
    for batch in table.iter_batches(batch_size=BATCH_ROWS):
        yield from batch.to_pylist()


def read_duckdb(path):
    import duckdb
    connection = duckdb.connect()
    result = connection.execute(
        "SELECT * FROM read_parquet(?) ORDER BY frame_number", [path])
    names = [d[0] for d in result.description]
    while True:
        chunk = result.fetchmany(BATCH_ROWS)
        if not chunk:
            break
        for values in chunk:
            yield dict(zip(names, values))


class SparkReader:
    def __init__(self):
        from pyspark.sql import SparkSession
        self.spark = (SparkSession.builder.master("local[2]").appName("rawtool-parquet")
                      .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                      .config("spark.sql.shuffle.partitions", "2")
                      .config("spark.driver.memory", "2g").getOrCreate())
        self.spark.sparkContext.setLogLevel("ERROR")

    def __call__(self, path):
        # In packet order, a partition of some 50,000 rows at a time: a large table never
        # sits whole in the driver.
        frame = self.spark.read.parquet(path)
        partitions = frame.count() // 50_000 + 1
        frame = frame.repartitionByRange(partitions, "frame_number").sortWithinPartitions(
            "frame_number")
        for row in frame.toLocalIterator():
            yield row.asDict()


BATCH_ROWS = 65536


class JSONRows:
    """The rows `read --json` gives for a capture, read as rawtool prints them."""

    def __init__(self, rawtool, capture):
        self.process = subprocess.Popen([rawtool, "read", "--json", capture],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True, bufsize=1 << 20)
        self.returncode = None

    def __iter__(self):
        for line in self.process.stdout:
            yield expected_row(json.loads(line))
        self.process.stdout.close()
        self.returncode = self.process.wait()


class Comparison:
    """One engine's rows set against the JSON's, row by row, as both are read."""

    def __init__(self, engine, rows):
        self.engine = engine
        self.rows = iter(rows)
        self.seconds = 0.0
        self.count = 0
        self.problems = []
        self.ended = False

    def next_row(self, number, want):
        if self.ended:
            return
        started = time.perf_counter()
        got = next(self.rows, None)
        self.seconds += time.perf_counter() - started
        if got is None:
            self.ended = True
            self.problems.append(f"{self.count} rows, JSON has more")
            return
        self.count += 1
        for column in COLUMNS:
            if got.get(column) != want[column]:
                self.problems.append(
                    f"packet {number} {column}: {got.get(column)!r} != {want[column]!r}")

    def finish(self, expected_count):
        if not self.ended:
            started = time.perf_counter()
            extra = sum(1 for _ in self.rows)
            self.seconds += time.perf_counter() - started
            if extra:
                self.problems.append(f"{self.count + extra} rows, JSON has {expected_count}")


def convert(rawtool, capture, path, options):
    """Runs `read CAPTURE --parquet PATH`: its exit status, error text, wall and CPU
    seconds and peak memory (kB; from /usr/bin/time when there is one, since a child's
    peak counts the memory of the Python process it was forked from)."""
    command = [rawtool, "read", capture, "--parquet", path] + options
    timing = path + ".time"
    timed = os.access("/usr/bin/time", os.X_OK)
    if timed:
        command = ["/usr/bin/time", "-o", timing, "-f", "%U %S %M"] + command
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
    if timed:
        # The last line (the first may say the command exited with a status).
        user, system, rss = open(timing).read().split("\n")[-2].split()
        cpu, rss = float(user) + float(system), int(rss)
        os.remove(timing)
    return process.returncode, stderr, wall, cpu, rss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rawtool")
    parser.add_argument("captures", nargs="+")
    parser.add_argument("--engines", default="pyarrow,duckdb")
    parser.add_argument("--measure", action="store_true",
                        help="print each conversion's time, CPU time, memory and size, and"
                             " each engine's reading time")
    parser.add_argument("--row-group-rows", type=int,
                        help="passed to read --parquet (several row groups, smaller pages)")
    args = parser.parse_args()
    options = [] if args.row_group_rows is None else ["--row-group-rows", str(args.row_group_rows)]
    engines = {}
    for engine in args.engines.split(","):
        if engine == "pyarrow":
            engines[engine] = read_pyarrow
        elif engine == "duckdb":
            engines[engine] = read_duckdb
        elif engine == "spark":
            engines[engine] = SparkReader()
        else:
            parser.error(f"unknown engine {engine}")
    failed = 0
    rows_checked = 0
    with tempfile.TemporaryDirectory() as folder:
        for index, capture in enumerate(args.captures):
            name = os.path.basename(capture)
            path = os.path.join(folder, f"{index}.parquet")
            status, stderr, wall, cpu, rss = convert(args.rawtool, capture, path, options)
            if status != 0 and not os.path.exists(path):
                print(f"{name}: no table written (exit {status}: {stderr.strip()})")
                failed += 1
                continue
            expected = JSONRows(args.rawtool, capture)
            comparisons = [Comparison(engine, read(path)) for engine, read in engines.items()]
            count = 0
            for want in expected:
                count += 1
                for comparison in comparisons:
                    comparison.next_row(count, want)
            for comparison in comparisons:
                comparison.finish(count)
            good = True
            if expected.returncode != status:
                print(f"{name}: --parquet exited {status}, --json {expected.returncode}:"
                      f" {stderr.strip()}")
                good = False
            for comparison in comparisons:
                for problem in comparison.problems[:5]:
                    print(f"  {name} [{comparison.engine}]: {problem}")
                good = good and not comparison.problems
            rows_checked += count
            failed += 0 if good else 1
            print(f"{name}: {count} rows {'equal' if good else 'DIFFER'}")
            if args.measure:
                size = os.path.getsize(path)
                captured = os.path.getsize(capture)
                print(f"  read --parquet: {wall:.2f} s wall, {cpu:.2f} s CPU"
                      f" ({count / cpu if cpu else 0:,.0f} packets/s of CPU time),"
                      f" peak RSS {rss / 1024:.0f} MiB; {size:,} bytes,"
                      f" {100 * size / captured:.1f}% of the capture's {captured:,}")
                for comparison in comparisons:
                    print(f"  {comparison.engine}: {comparison.count:,} rows read in"
                          f" {comparison.seconds:.1f} s")
    print(f"{len(args.captures)} captures, {rows_checked} rows, {failed} differing,"
          f" engines {','.join(engines)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
