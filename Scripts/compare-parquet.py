#!/usr/bin/env python3
"""Checks `rawtool read --parquet` against `rawtool read --json`, column by column.

For each capture: rawtool writes the Parquet table and the JSON lines; every row read back by
each engine (pyarrow, DuckDB, and Spark with --spark) must equal the values the JSON gives
for that packet, by the mapping in docs/parquet.md (the first layer of each kind that is not
quoted inside an ICMP error).

    Scripts/compare-parquet.py RAWTOOL CAPTURE... [--engines pyarrow,duckdb,spark]

Prints one line per capture and a summary; exits 1 on any difference, 2 on bad usage.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

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
    import pyarrow.parquet as pq
    table = pq.read_table(path)
    if table.column_names != COLUMNS:
        raise SystemExit(f"{path}: columns {table.column_names}")
    return table.to_pylist()


def read_duckdb(path):
    import duckdb
    connection = duckdb.connect()
    result = connection.execute("SELECT * FROM read_parquet(?)", [path])
    names = [d[0] for d in result.description]
    return [dict(zip(names, values)) for values in result.fetchall()]


class SparkReader:
    def __init__(self):
        from pyspark.sql import SparkSession
        self.spark = (SparkSession.builder.master("local[2]").appName("rawtool-parquet")
                      .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                      .config("spark.sql.shuffle.partitions", "2").getOrCreate())
        self.spark.sparkContext.setLogLevel("ERROR")

    def __call__(self, path):
        return [row.asDict() for row in self.spark.read.parquet(path).collect()]


def compare(name, engine, rows, expected):
    problems = []
    if len(rows) != len(expected):
        problems.append(f"{len(rows)} rows, JSON has {len(expected)}")
    for number, (got, want) in enumerate(zip(rows, expected), start=1):
        for column in COLUMNS:
            if got.get(column) != want[column]:
                problems.append(f"packet {number} {column}: {got.get(column)!r} != {want[column]!r}")
    for problem in problems[:5]:
        print(f"  {name} [{engine}]: {problem}")
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rawtool")
    parser.add_argument("captures", nargs="+")
    parser.add_argument("--engines", default="pyarrow,duckdb")
    args = parser.parse_args()
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
            output = subprocess.run([args.rawtool, "read", "--json", capture],
                                    capture_output=True, text=True)
            expected = [expected_row(json.loads(line)) for line in output.stdout.splitlines()]
            path = os.path.join(folder, f"{index}.parquet")
            written = subprocess.run([args.rawtool, "read", capture, "--parquet", path],
                                     capture_output=True, text=True)
            if written.returncode != output.returncode:
                print(f"{name}: --parquet exited {written.returncode}, --json {output.returncode}:"
                      f" {written.stderr.strip()}")
                failed += 1
                continue
            if not os.path.exists(path):
                print(f"{name}: no table written ({written.stderr.strip()})")
                failed += 1
                continue
            good = all(compare(name, engine, read(path), expected)
                       for engine, read in engines.items())
            rows_checked += len(expected)
            failed += 0 if good else 1
            print(f"{name}: {len(expected)} rows {'equal' if good else 'DIFFER'}")
    print(f"{len(args.captures)} captures, {rows_checked} rows, {failed} differing,"
          f" engines {','.join(engines)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
