#!/usr/bin/env python3
"""rawtool inside an engine that spreads the work: converts a folder of captures to Parquet
with rawtool (each capture in parallel, one part per capture), then computes the protocol
hierarchy and the top conversations with SQL, as `rawtool stats --json` reports them.

    Scripts/packet-tables.py spark  RAWTOOL CAPTURE_FOLDER TABLE_FOLDER [--top 20]
    Scripts/packet-tables.py duckdb RAWTOOL CAPTURE_FOLDER TABLE_FOLDER [--top 20]

With spark, the conversion runs as Spark tasks (local[2]: two workers) and the queries in
Spark SQL; with duckdb, the conversion runs `rawtool read --parquet --jobs N` once and the
queries in DuckDB. Prints one JSON object: {"protocols": [...], "conversations": {"ip":
[...], "tcp": [...], "udp": [...]}} with the members `rawtool stats --json` uses. Captures
count in name order, as if concatenated (`mergecap -a`).
"""
import argparse
import ipaddress
import json
import os
import subprocess
import sys


def address_key(text):
    """A sort key for an address as rawtool orders them: IPv4 before IPv6, then by value."""
    if text is None:
        return None
    address = ipaddress.ip_address(text)
    return f"{address.version}{int(address):040d}"


def time_text(nanoseconds):
    return f"{nanoseconds // 1_000_000_000}.{nanoseconds % 1_000_000_000:09d}"


def captures(folder):
    return sorted(os.path.join(folder, name) for name in os.listdir(folder)
                  if name.endswith((".pcap", ".pcapng", ".cap")))


# The queries, over a view `packets` with a column `part` (the capture's index). Each
# conversation is keyed by its endpoints in order (lower address and port first); A is the
# source of its first packet.
HIERARCHY = """
SELECT path, COUNT(*) AS packets, SUM(frame_len) AS bytes FROM (
  SELECT frame_len, {prefix} AS path FROM packets {explode}
) GROUP BY path
"""

CONVERSATIONS = """
WITH keyed AS (
  SELECT part, frame_number, frame_len, frame_time_ns,
         {src} AS src, {dst} AS dst, {sport} AS sport, {dport} AS dport,
         addr_key({src}) AS src_key, addr_key({dst}) AS dst_key
  FROM packets WHERE {where}
), ordered AS (
  SELECT *,
    CASE WHEN src_key < dst_key OR (src_key = dst_key AND sport <= dport)
      THEN src_key || ':' || CAST(sport AS VARCHAR(5)) || '-' || dst_key || ':' || CAST(dport AS VARCHAR(5))
      ELSE dst_key || ':' || CAST(dport AS VARCHAR(5)) || '-' || src_key || ':' || CAST(sport AS VARCHAR(5))
    END AS conversation
  FROM keyed
), firsts AS (
  SELECT conversation, {first_src} AS a, {first_sport} AS a_port
  FROM ordered GROUP BY conversation
)
SELECT f.a AS a, f.a_port AS a_port,
  {first_other} AS b, {first_other_port} AS b_port,
  COUNT(*) AS packets, SUM(frame_len) AS bytes,
  SUM(CASE WHEN o.src = f.a AND o.sport = f.a_port THEN 1 ELSE 0 END) AS packets_a_to_b,
  SUM(CASE WHEN o.src = f.a AND o.sport = f.a_port THEN frame_len ELSE 0 END) AS bytes_a_to_b,
  MIN(frame_time_ns) AS first_ns, MAX(frame_time_ns) AS last_ns,
  addr_key(f.a) AS a_key
FROM ordered o JOIN firsts f ON o.conversation = f.conversation
GROUP BY o.conversation, f.a, f.a_port
"""

TABLES = {
    "ip": dict(src="conv_ip_src", dst="conv_ip_dst", sport="0", dport="0",
               where="conv_ip_src IS NOT NULL"),
    "tcp": dict(src="conv_src", dst="conv_dst", sport="conv_src_port", dport="conv_dst_port",
                where="conv_transport = 'tcp'"),
    "udp": dict(src="conv_src", dst="conv_dst", sport="conv_src_port", dport="conv_dst_port",
                where="conv_transport = 'udp'"),
}


def conversation_sql(kind, dialect):
    table = TABLES[kind]
    order = "struct(part, frame_number)" if dialect == "spark" else "(part, frame_number)"
    first = "min_by" if dialect == "spark" else "arg_min"
    return CONVERSATIONS.format(
        **table,
        first_src=f"{first}(src, {order})", first_sport=f"{first}(sport, {order})",
        first_other="MIN(CASE WHEN o.src = f.a AND o.sport = f.a_port THEN o.dst ELSE o.src END)",
        first_other_port="MIN(CASE WHEN o.src = f.a AND o.sport = f.a_port"
        " THEN o.dport ELSE o.sport END)")


def hierarchy_sql(dialect):
    # As `stats` does (and tshark), consecutive TLS records or DNS messages of one segment
    # count once: eth:ipv4:tcp:tls:tls is eth:ipv4:tcp:tls.
    if dialect == "spark":
        path = "regexp_replace(regexp_replace(protocols, '(:tls)+', ':tls'), '(:dns)+', ':dns')"
        return HIERARCHY.format(
            prefix=f"concat_ws(':', slice(split({path}, ':'), 1, n))",
            explode=f"LATERAL VIEW explode(sequence(1, size(split({path}, ':')))) t AS n"
                    " WHERE protocols <> ''")
    path = ("regexp_replace(regexp_replace(protocols, '(:tls)+', ':tls', 'g'),"
            " '(:dns)+', ':dns', 'g')")
    return HIERARCHY.format(prefix="array_to_string(parts[1:n], ':')", explode="").replace(
        "FROM packets", f"FROM (SELECT frame_len, split({path}, ':') AS parts,"
        f" unnest(range(1, len(split({path}, ':')) + 1)) AS n FROM packets"
        " WHERE protocols <> '')")


def report(rows_by_kind, hierarchy, top):
    conversations = {}
    for kind, rows in rows_by_kind.items():
        listed = []
        for row in rows:
            entry = {"a": row["a"]}
            if kind != "ip":
                entry["a_port"] = row["a_port"]
            entry["b"] = row["b"]
            if kind != "ip":
                entry["b_port"] = row["b_port"]
            entry.update(
                packets=row["packets"], bytes=row["bytes"],
                packets_a_to_b=row["packets_a_to_b"], bytes_a_to_b=row["bytes_a_to_b"],
                packets_b_to_a=row["packets"] - row["packets_a_to_b"],
                bytes_b_to_a=row["bytes"] - row["bytes_a_to_b"],
                first_time=time_text(row["first_ns"]), last_time=time_text(row["last_ns"]))
            listed.append((-row["bytes"], -row["packets"], row["a_key"], row["a_port"],
                           address_key(row["b"]), row["b_port"], entry))
        listed.sort(key=lambda item: item[:6])
        conversations[kind] = [item[6] for item in listed[:top]]
    protocols = [{"path": row["path"], "packets": row["packets"], "bytes": row["bytes"]}
                 for row in hierarchy]
    return {"protocols": protocols, "conversations": conversations}


def run_spark(rawtool, inputs, tables, top):
    from pyspark.sql import SparkSession
    from pyspark.sql.functions import input_file_name, regexp_extract
    spark = (SparkSession.builder.master("local[2]").appName("rawtool-packet-tables")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")

    def convert(item):
        index, capture = item
        part = os.path.join(tables, f"part-{index:05d}.parquet")
        done = subprocess.run([rawtool, "read", capture, "--parquet", part],
                              capture_output=True, text=True)
        return index, done.returncode, done.stderr.strip()

    jobs = spark.sparkContext.parallelize(list(enumerate(inputs)), max(1, len(inputs)))
    for index, code, error in jobs.map(convert).collect():
        if code != 0:
            raise SystemExit(f"{inputs[index]}: rawtool exited {code}: {error}")
    spark.udf.register("addr_key", address_key)
    packets = spark.read.parquet(tables).withColumn(
        "part", regexp_extract(input_file_name(), r"part-(\d+)\.parquet", 1).cast("int"))
    packets.createOrReplaceTempView("packets")
    rows = {kind: [row.asDict() for row in spark.sql(conversation_sql(kind, "spark")).collect()]
            for kind in TABLES}
    hierarchy = [row.asDict() for row in spark.sql(hierarchy_sql("spark")).collect()]
    spark.stop()
    return report(rows, hierarchy, top)


def run_duckdb(rawtool, inputs, tables, top):
    import duckdb
    done = subprocess.run([rawtool, "read", *inputs, "--parquet", tables],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"rawtool exited {done.returncode}: {done.stderr.strip()}")
    connection = duckdb.connect()
    connection.create_function("addr_key", address_key, [str], str, null_handling="special")
    connection.execute(
        "CREATE VIEW packets AS SELECT *, CAST(regexp_extract(filename,"
        " 'part-(\\d+)\\.parquet', 1) AS INTEGER) AS part"
        f" FROM read_parquet('{tables}/part-*.parquet', filename = true)")

    def fetch(sql):
        result = connection.execute(sql)
        names = [d[0] for d in result.description]
        return [dict(zip(names, values)) for values in result.fetchall()]

    rows = {kind: fetch(conversation_sql(kind, "duckdb")) for kind in TABLES}
    return report(rows, fetch(hierarchy_sql("duckdb")), top)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("engine", choices=["spark", "duckdb"])
    parser.add_argument("rawtool")
    parser.add_argument("captures")
    parser.add_argument("tables")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    inputs = captures(args.captures)
    if not inputs:
        parser.error(f"no captures in {args.captures}")
    os.makedirs(args.tables, exist_ok=True)
    rawtool = os.path.abspath(args.rawtool)
    run = run_spark if args.engine == "spark" else run_duckdb
    json.dump(run(rawtool, inputs, args.tables, args.top), sys.stdout)
    print()


if __name__ == "__main__":
    main()
