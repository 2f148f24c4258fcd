#!/usr/bin/env python3
"""Scale-out benchmark (issue 19): durable deposit top-ups per second over HTTP with wrk, in
single-node mode and in cluster mode with 1 and 2 nodes and 1, 8 and 64 partitions, in the same
run on the same machine; then the affiliate feed (batches of events of many promoters, which a
cluster splits by promoter) in single-node mode and with 1 and 2 nodes. The cluster runs on a
fresh 3-node JetStream cluster (R3) each time. Prints markdown tables.
bench/cluster/run.py [--bin PATH] [--seconds S]"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
MERCHANTS = 64
CONNS = 32


def wrk(bases, key, seconds, prefix):
    """One wrk per node, the connections shared out; successful commands/s and worst p99."""
    procs = []
    for i, base in enumerate(bases):
        procs.append(subprocess.Popen(
            ["wrk", "-t", "1", "-c", str(CONNS // len(bases)), "-d", f"{seconds}s", "-s",
             os.path.join(HERE, "top_up.lua"), base, "--", f"{prefix}{i}", key, str(MERCHANTS)],
            stdout=subprocess.PIPE, text=True))
    ok, dur, p99 = 0, 0, 0
    for p in procs:
        out = p.communicate()[0]
        m = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+)", out)
        assert m, out
        n, bad, d, lat = map(int, m.groups())
        ok += n - bad
        dur = max(dur, d)
        p99 = max(p99, lat)
    return ok / (dur / 1e6), p99 / 1000


def open_stores(base, key):
    s = requests.Session()
    h = {"Authorization": f"Bearer {key}"}
    for i in range(MERCHANTS):
        r = s.post(f"{base}/v1/merchants", json={"id": f"m{i}", "name": f"m{i}",
                                                  "categories": ["fresh.fruit"]},
                   headers={**h, "Idempotency-Key": f"open-m{i}"}, timeout=60)
        assert r.status_code == 201, r.text


FEED_BATCH = 1000
FEED_PROMOTERS = 500
FEED_CLIENTS = 4


def feed(bases, key, seconds, prefix):
    """FEED_CLIENTS threads posting batches of paid events, each of a new order of one of
    FEED_PROMOTERS promoters, for `seconds`: events applied per second, worst batch ms."""
    stop = time.time() + seconds
    applied, worst, lock = [0], [0.0], threading.Lock()

    def client(t):
        s = requests.Session()
        h = {"Authorization": f"Bearer {key}"}
        n = 0
        while time.time() < stop:
            evs = []
            for k in range(FEED_BATCH):
                oid = f"{prefix}-{t}-{n}-{k}"
                evs.append({"event_id": oid, "type": "paid", "order": oid,
                            "promoter": f"pr{(n * FEED_BATCH + k * 7 + t) % FEED_PROMOTERS}",
                            "merchant": "m1", "item": f"i{k % 50}", "at": "2026-11-03T10:00:00Z",
                            "amount_fen": 10000, "rate_bp": 500, "buyer": {"id": f"b{oid}"}})
            t0 = time.time()
            r = s.post(bases[(t + n) % len(bases)] + "/v1/affiliate/events", json={"events": evs},
                       headers={**h, "Idempotency-Key": f"{prefix}-{t}-{n}"}, timeout=120)
            dt = (time.time() - t0) * 1000
            n += 1
            with lock:
                if r.status_code == 200:
                    applied[0] += r.json()["applied"]
                worst[0] = max(worst[0], dt)

    start = time.time()
    threads = [threading.Thread(target=client, args=(t,)) for t in range(FEED_CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return applied[0] / (time.time() - start), worst[0]


def single(binary, seconds, work="top-ups"):
    with tempfile.TemporaryDirectory(prefix="sw-bench-") as tmp:
        db = os.path.join(tmp, "sw.db")
        key = subprocess.run([binary, "keys", "create", "--role", "operator", "--db", db],
                             capture_output=True, text=True, check=True
                             ).stdout.split("key:")[1].split()[0]
        p = subprocess.Popen([binary, "serve", "--db", db, "--listen", "127.0.0.1:0",
                              "--threads", "32", "--log-level", "error"], stdout=subprocess.PIPE, text=True)
        try:
            base = None
            while not base:
                m = re.search(r"listening on (\S+)", p.stdout.readline())
                base = m and m.group(1)
            if work == "feed":
                feed([base], key, 2, "warm")
                return feed([base], key, seconds, "run")
            open_stores(base, key)
            wrk([base], key, 2, "warm")
            return wrk([base], key, seconds, "run")
        finally:
            p.terminate()
            p.wait()


def cluster(nodes_n, partitions, seconds, work="top-ups"):
    import harness
    with tempfile.TemporaryDirectory(prefix="sw-bench-cluster-") as root:
        broker = harness.Broker(root).start_all()
        nodes = [harness.Node(root, f"n{i + 1}", broker.urls(), partitions)
                 for i in range(nodes_n)]
        keys = harness.make_keys(nodes, roles=("operator",))
        try:
            for n in nodes:
                n.start()
            harness.settle(nodes, partitions)
            if work == "feed":
                bases = [n.base for n in nodes]
                feed(bases, keys["operator"], 2, "warm")
                return feed(bases, keys["operator"], seconds, "run")
            open_stores(nodes[0].base, keys["operator"])
            wrk([n.base for n in nodes], keys["operator"], 2, "warm")
            return wrk([n.base for n in nodes], keys["operator"], seconds, "run")
        finally:
            for n in nodes:
                n.stop()
            broker.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "shopwarden"))
    ap.add_argument("--seconds", type=int, default=8)
    a = ap.parse_args()
    os.environ["SW_BIN"] = os.path.abspath(a.bin)
    sys.path.insert(0, os.path.join(ROOT, "tests", "cluster"))
    print(f"wrk, {CONNS} connections in all, {a.seconds} s after 2 s warm-up; deposit top-ups "
          f"to {MERCHANTS} stores, each with its own Idempotency-Key; brokers: 3 nats-server, "
          "R3, same machine\n")
    print("| mode | nodes | partitions | commands/s | p99 ms |")
    print("|---|---:|---:|---:|---:|")
    rate, p99 = single(os.environ["SW_BIN"], a.seconds)
    print(f"| single-node (no --cluster) | 1 | - | {rate:,.0f} | {p99:.1f} |", flush=True)
    for nodes_n in (1, 2):
        for partitions in (1, 8, 64):
            rate, p99 = cluster(nodes_n, partitions, a.seconds)
            print(f"| cluster | {nodes_n} | {partitions} | {rate:,.0f} | {p99:.1f} |",
                  flush=True)
    print(f"\nAffiliate feed: {FEED_CLIENTS} clients posting batches of {FEED_BATCH} paid events "
          f"(new orders of {FEED_PROMOTERS} promoters, 50 items), {a.seconds} s after 2 s "
          "warm-up; a cluster splits each batch by promoter (docs/scale-out.md, \"Affiliate\")\n")
    print("| mode | nodes | partitions | events/s | slowest batch ms |")
    print("|---|---:|---:|---:|---:|")
    rate, worst = single(os.environ["SW_BIN"], a.seconds, "feed")
    print(f"| single-node (no --cluster) | 1 | - | {rate:,.0f} | {worst:.0f} |", flush=True)
    for nodes_n, partitions in ((1, 8), (2, 8), (2, 64)):
        rate, worst = cluster(nodes_n, partitions, a.seconds, "feed")
        print(f"| cluster | {nodes_n} | {partitions} | {rate:,.0f} | {worst:.0f} |", flush=True)


if __name__ == "__main__":
    main()
