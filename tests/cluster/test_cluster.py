"""Scale-out on NATS JetStream (issue 19, docs/scale-out.md), black-box: three nats-server
processes (JetStream, R3) and two shopwarden nodes on loopback. A client writes a few thousand
commands across many stores, each with an Idempotency-Key, retrying on errors and on the other
node. Mid-stream a node is killed (-9), or a broker; at the end every acknowledged command is in
its partition's command log exactly once, at the seq the client was answered with, its event is
there once, and the deposit ledger invariant holds. A killed node that comes back catches up
from the latest snapshot and the stream."""
import contextlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time

import pytest
import requests

import harness

PARTITIONS = 8
STORES = 48
TOP_UPS = 50  # per store: 48 x 51 = 2,448 commands


def partition_of(key, n=PARTITIONS):
    h = 2166136261
    for b in key.encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h % n


def one_store_per_partition(prefix):
    """Store ids prefix0, prefix1... until every partition has one: the first in each."""
    stores, seen = [], set()
    for i in range(200):
        if partition_of(f"{prefix}{i}") not in seen:
            seen.add(partition_of(f"{prefix}{i}"))
            stores.append(f"{prefix}{i}")
    return stores


class Client:
    """Sends each command until a node answers it (2xx or 4xx), switching nodes on errors."""

    def __init__(self, nodes, key):
        self.nodes = nodes
        self.key = key
        self.s = requests.Session()
        self.record = {}  # idempotency key -> (store, amount_fen or None, command_seq)
        self.lost = set()  # sent, never answered: applied at most once
        self.wrong = []  # answered other than 2xx: (idempotency key, status, body)
        self.retries = 0

    def send(self, store, path, body, idem, amount=None):
        # a failover on a loaded 2-core machine (ASan, the whole suite before it) has taken
        # more than two minutes: the bound is on availability, exactly-once is checked after
        deadline = time.time() + 240
        i = random.randrange(len(self.nodes))
        while time.time() < deadline:
            node = self.nodes[i % len(self.nodes)]
            i += 1
            if not node.alive() or not node.base:
                time.sleep(0.05)
                continue
            try:
                r = self.s.post(node.base + path, json=body, timeout=40,
                                headers={"Authorization": f"Bearer {self.key}",
                                         "Idempotency-Key": idem})
            except requests.RequestException:
                self.retries += 1
                self.s = requests.Session()
                continue
            if r.status_code >= 500:
                self.retries += 1
                time.sleep(0.2)
                continue
            if r.status_code not in (200, 201):  # every command here is valid: a 4xx is wrong
                self.wrong.append((idem, r.status_code, r.text))
                return
            self.record[idem] = (store, amount, r.json()["command_seq"])
            return
        self.lost.add(idem)


def workload(nodes, key, stores, progress):
    c = Client(nodes, key)
    for mid in stores:
        c.send(mid, "/v1/merchants", {"id": mid, "name": f"store {mid}",
                                       "categories": ["fresh.fruit"]}, f"create-{mid}")
        progress[0] += 1
    for t in range(TOP_UPS):
        for mid in stores:
            if f"create-{mid}" in c.lost:  # never answered: the store may not exist
                continue
            amount = 100 + (t * 7 + len(mid)) % 900
            c.send(mid, f"/v1/merchants/{mid}/deposit/top-ups",
                   {"amount_fen": amount, "ref": f"{mid}-{t}"}, f"top-{mid}-{t}", amount)
            progress[0] += 1
    return c


def run_clients(nodes, key, during=None, at=0.3, threads=6):
    stores = [f"m{i}" for i in range(STORES)]
    total = STORES * (TOP_UPS + 1)
    progress = [0]
    clients = [None] * threads

    def run(i):
        clients[i] = workload(nodes, key, stores[i::threads], progress)

    ts = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in ts:
        t.start()
    if during:
        while progress[0] < total * at and any(t.is_alive() for t in ts):
            time.sleep(0.05)
        during()
    for t in ts:
        t.join(timeout=600)
    return clients


def check(nodes, clients, extra=0):
    own = harness.settle(nodes, PARTITIONS)
    assert all(clients), "a client thread failed (its exception is in the warnings)"
    record, lost, wrong = {}, set(), []
    for c in clients:
        record.update(c.record)
        lost |= c.lost
        wrong += c.wrong
    # e.g. a store's acknowledged creation lost by a takeover: its top-up is 404
    assert not wrong, f"{len(wrong)} commands refused, the first: {wrong[0]}"
    assert not lost, f"{len(lost)} commands never answered"
    assert len(record) == STORES * (TOP_UPS + 1) + extra
    by_part = {}
    for idem, (store, amount, seq) in record.items():
        by_part.setdefault(partition_of(store), {})[idem] = (store, amount, seq)
    for p, cmds in by_part.items():
        db = sqlite3.connect(os.path.join(own[p].dir, f"p{p}.db"))
        try:
            rows = db.execute("SELECT idem_key, seq FROM commands").fetchall()
            logged = {}
            for k, seq in rows:
                logged.setdefault(k, []).append(seq)
            for idem, (store, amount, seq) in cmds.items():
                assert logged.get(f"key:k-operator|{idem}") == [seq], (p, idem, logged.get(idem))
            # exactly the client's commands, nothing more
            assert len(rows) == len(cmds), (p, len(rows), len(cmds))
            events = db.execute("SELECT count(*) FROM events WHERE type = 'deposit.topped_up'"
                                ).fetchone()[0]
            assert events == sum(1 for v in cmds.values() if v[1] is not None)
            for store in {v[0] for v in cmds.values()}:
                run = 0
                for amount, after in db.execute(
                        "SELECT amount_fen, balance_after_fen FROM deposit_entries"
                        " WHERE merchant = ? ORDER BY rid", (store,)):
                    run += amount
                    assert run == after >= 0, store
                want = sum(v[1] for v in cmds.values() if v[0] == store and v[1] is not None)
                bal = db.execute("SELECT balance_fen FROM deposit_accounts WHERE merchant = ?",
                                 (store,)).fetchone()[0]
                assert bal == run == want, (store, bal, run, want)
        finally:
            db.close()


HOME = 5  # the partition of the empty key with 8 partitions (docs/scale-out.md)


def read_feed(node, key, timeout=60):
    """The feed of every store read on node from the start to its end, page by page."""
    events, after = [], "0"
    while True:
        r = requests.get(node.base + "/v1/events", params={"after": after, "limit": 1000},
                         headers={"Authorization": f"Bearer {key}"}, timeout=timeout)
        assert r.status_code == 200, r.text
        events += r.json()["events"]
        after = r.json()["next_after"]
        if not r.json()["has_more"]:
            return events


def check_read_models(nodes, own, key, timeout=90):
    """Each live node's read model (docs/scale-out.md, "Read models") gives every event of every
    partition once, as its partition's log has it, in each partition's seq order: compared with
    the owners' databases once the model has caught up (it follows the commits by the event
    stream's delay)."""
    logs = {}
    for p, n in own.items():
        db = sqlite3.connect(os.path.join(n.dir, f"p{p}.db"))
        logs[p] = db.execute("SELECT seq, type, subject FROM events ORDER BY seq").fetchall()
        db.close()
    want = sum(len(v) for v in logs.values())
    for n in nodes:
        if not n.alive():
            continue
        deadline = time.time() + timeout
        while True:
            events = read_feed(n, key)
            if len(events) >= want or time.time() > deadline:
                break
            time.sleep(0.5)
        got = {}
        for e in events:
            p = partition_of(e["merchant"]) if e["merchant"] else HOME
            got.setdefault(p, []).append((e["seq"], e["type"], e["subject"]))
        for p, log in logs.items():
            assert got.get(p, []) == log, (n.id, p, len(got.get(p, [])), len(log))
        assert len(events) == want, (n.id, len(events), want)


def workdir():
    """A temporary folder for the brokers and nodes; kept (and printed) when SW_CLUSTER_KEEP is
    set, to read the nodes' logs after a run."""
    if os.environ.get("SW_CLUSTER_KEEP"):
        root = tempfile.mkdtemp(prefix="sw-cluster-")
        print(f"\ncluster folder kept: {root}")
        return contextlib.nullcontext(root)
    return tempfile.TemporaryDirectory(prefix="sw-cluster-")


@pytest.fixture
def cluster():
    with workdir() as root:
        broker = harness.Broker(root).start_all()
        nodes = [harness.Node(root, f"n{i + 1}", broker.urls(), PARTITIONS,
                              snapshot_every=100) for i in range(2)]
        keys = harness.make_keys(nodes)
        try:
            for n in nodes:
                n.start()
            harness.settle(nodes, PARTITIONS)
            yield broker, nodes, keys
        finally:
            for n in nodes:
                n.stop()
            broker.stop()
            for n in nodes:
                with open(n.log.name, encoding="utf-8", errors="replace") as f:
                    log = f.read()
                for bad in ("AddressSanitizer", "LeakSanitizer", "runtime error:"):
                    assert bad not in log, f"{n.id}: {bad}; see {n.log.name}"


def test_a_killed_node_moves_its_partitions_and_every_acknowledged_command_is_applied_once(
        cluster):
    broker, nodes, keys = cluster
    victim = nodes[0]
    held = []

    def kill():
        held.extend(p for p, n in harness.owners(nodes, PARTITIONS).items() if n is victim)
        victim.kill()

    clients = run_clients(nodes, keys["operator"], during=kill)
    assert held, "the victim owned no partition when it was killed"
    assert sum(c.retries for c in clients) > 0
    check(nodes, clients)
    assert len(harness.owners(nodes, PARTITIONS)) == PARTITIONS
    assert all(n is nodes[1] for n in harness.owners(nodes, PARTITIONS).values())
    # the killed node comes back: it takes its share again from snapshot + stream
    victim.start()
    deadline = time.time() + 90
    while time.time() < deadline:
        own = harness.owners(nodes, PARTITIONS)
        if len(own) == PARTITIONS and sum(1 for n in own.values() if n is victim) >= 1:
            break
        time.sleep(0.5)
    check(nodes, clients)
    assert any(n is victim for n in harness.owners(nodes, PARTITIONS).values())
    # both read models, the restarted node's too, hold every event once
    check_read_models(nodes, harness.settle(nodes, PARTITIONS), keys["operator"])


def test_a_killed_broker_loses_nothing(cluster):
    broker, nodes, keys = cluster
    clients = run_clients(nodes, keys["operator"], during=lambda: broker.kill(0))
    check(nodes, clients)
    check_read_models(nodes, harness.settle(nodes, PARTITIONS), keys["operator"])


def test_a_node_paused_past_its_lease_applies_nothing_another_node_needs(cluster):
    """A node stopped (SIGSTOP: a stalled VM, a swap storm) longer than its lease finds, when it
    runs again, its partitions taken by the other node, which fenced them: it writes no
    snapshot and purges nothing the new owner still needs, and takes no message from the new
    owner's consumer. Every acknowledged command is applied once, none is refused. Read on it
    the moment it runs again, a store of a partition it had shows what the new owner applied
    while it slept: past its lease it answers no read from its own copy."""
    broker, nodes, keys = cluster
    victim, other = nodes[0], nodes[1]
    held, seen = [], []
    side = Client([other], keys["operator"])  # a store of the victim's, written around the pause

    def deposit(node, store):
        r = requests.get(f"{node.base}/v1/merchants/{store}/deposit", timeout=40,
                         headers={"Authorization": f"Bearer {keys['operator']}"})
        return r.status_code, r.json().get("balance_fen") if r.status_code == 200 else r.text

    def pause():
        held.extend(p for p, n in harness.owners(nodes, PARTITIONS).items() if n is victim)
        store = next((f"z{i}" for i in range(1000) if partition_of(f"z{i}") in held), None)
        if store:
            side.send(store, "/v1/merchants", {"id": store, "name": "z",
                                               "categories": ["fresh.fruit"]}, f"create-{store}")
            side.send(store, f"/v1/merchants/{store}/deposit/top-ups",
                      {"amount_fen": 1000, "ref": "z-1"}, "z-1", 1000)
        victim.proc.send_signal(signal.SIGSTOP)
        time.sleep(10)  # past the lease (6 s): the other node takes the partitions
        if store:  # applied by the new owner while the old one sleeps
            side.send(store, f"/v1/merchants/{store}/deposit/top-ups",
                      {"amount_fen": 2000, "ref": "z-2"}, "z-2", 2000)
        victim.proc.send_signal(signal.SIGCONT)
        if store:  # at once: the old owner's copy has not seen z-2 and must not answer
            seen.append(deposit(victim, store))

    clients = run_clients(nodes, keys["operator"], during=pause)
    assert held, "the paused node owned no partition"
    assert not side.wrong and not side.lost, (side.wrong, side.lost)
    assert seen == [(200, 3000)], seen
    check(nodes, clients + [side], extra=len(side.record))
    check_read_models(nodes, harness.settle(nodes, PARTITIONS), keys["operator"])


def test_status_and_metrics_show_owners_lag_and_snapshots(cluster):
    broker, nodes, keys = cluster
    clients = run_clients(nodes, keys["operator"], threads=4)
    own = harness.settle(nodes, PARTITIONS)
    out = subprocess.run([harness.BIN, "cluster", "status", "--cluster", broker.urls(),
                          "--partitions", str(PARTITIONS), "--json"],
                         capture_output=True, text=True, check=True).stdout
    st = json.loads(out)
    assert sorted(st["nodes"]) == ["n1", "n2"]
    assert [p["owner"] for p in st["partitions"]] == [own[p].id for p in range(PARTITIONS)]
    assert all(p["lag"] == 0 for p in st["partitions"])
    # 2,448 commands over 8 partitions with a snapshot every 100: every partition has one
    assert all(p["snapshot_age_s"] is not None and p["snapshot_stream_seq"] > 0
               for p in st["partitions"])
    # every command went through the stream; what the snapshots cover is purged (retention):
    # with a snapshot every 100 commands, at most ~100 per partition are left beside the rest
    sent = sum(len(c.record) for c in clients)
    assert st["stream"]["last_seq"] >= sent
    assert st["stream"]["messages"] < sent, st["stream"]
    text = requests.get(nodes[0].base + "/metrics", timeout=10).text
    assert 'sw_cluster_partition_owned{partition="0"}' in text
    promtool = shutil.which("promtool")
    if promtool:
        p = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True,
                           text=True)
        assert p.returncode == 0, p.stdout + p.stderr
    table = subprocess.run([harness.BIN, "cluster", "status", "--cluster", broker.urls(),
                            "--partitions", str(PARTITIONS)], capture_output=True, text=True,
                           check=True).stdout
    assert "partition" in table and "n1" in table and "n2" in table


# One store's life, sent the same way to a single-node server and to the cluster.
STORY = [
    ("/v1/merchants", {"id": "d1", "name": "store d1", "categories": ["fresh.fruit"]}),
    ("/v1/merchants/d1/deposit/top-ups", {"amount_fen": 600000, "ref": "d-1"}),
    ("/v1/merchants/d1/deposit/top-ups", {"amount_fen": 500000, "ref": "d-2"}),
    ("/v1/merchants/d1/restrict", {"reason": "抽检"}),
    ("/v1/merchants/d1/reinstate", {}),
    ("/v1/merchants/d1/deposit/releases", {"amount_fen": 100000, "ref": "d-3"}),
    ("/v1/merchants/d1/deposit/top-ups", {"amount_fen": 1, "ref": "d-1"}),  # refused: same ref
]


def _events(db_path):
    """The store's events without what depends on the wall clock (instants)."""
    import re
    db = sqlite3.connect(db_path)
    try:
        rows = db.execute("SELECT type, merchant, subject, payload FROM events ORDER BY seq"
                          ).fetchall()
    finally:
        db.close()
    inst = re.compile(r'"\d{4}-\d\d-\d\dT[^"]*"')
    return [(t, m, s, inst.sub('"T"', p)) for t, m, s, p in rows]


def _tell(base, key):
    s = requests.Session()
    out = []
    for i, (path, body) in enumerate(STORY):
        r = s.post(base + path, json=body, timeout=60,
                   headers={"Authorization": f"Bearer {key}", "Idempotency-Key": f"s{i}"})
        out.append(r.status_code)
    return out


def test_one_store_gives_the_same_events_as_in_single_node_mode(cluster):
    broker, nodes, keys = cluster
    with harness.single_node() as (base, key, db):
        single = _tell(base, key)
        expected = _events(db)
    clustered = _tell(nodes[1].base, keys["operator"])
    assert clustered == single and single[0] == 201 and single[-1] >= 400
    own = harness.settle(nodes, PARTITIONS)
    p = partition_of("d1")
    got = [e for e in _events(os.path.join(own[p].dir, f"p{p}.db")) if e[1] == "d1"]
    assert got == [e for e in expected if e[1] == "d1"]
    assert len(got) >= 5


# Timers (docs/scale-out.md, "Timers"): the owner publishes a tick into the partition's stream
# when a timer is due. A rescan's first step is a timer due at once, in the partition of the
# empty key (it names no store): it fires with no other command coming, once, also after the
# partition moved.
P0 = partition_of("")
def _rescan(db_path, rid):
    db = sqlite3.connect(db_path)
    try:
        row = db.execute("SELECT status, steps FROM rescans WHERE rid = ?", (rid,)).fetchone()
        steps = db.execute("SELECT count(*) FROM commands WHERE type = 'rescan.step' AND "
                           "payload LIKE ?", (f'%"r{rid}"%',)).fetchone()[0]
        timers = db.execute("SELECT count(*) FROM timers WHERE key = ?",
                            (f"rescan:r{rid}",)).fetchone()[0]
    finally:
        db.close()
    return row, steps, timers


def _start_rescan(node, key, idem):
    r = requests.post(node.base + "/v1/admin/rescans", json={"note": idem}, timeout=60,
                      headers={"Authorization": f"Bearer {key}", "Idempotency-Key": idem})
    assert r.status_code in (200, 201), r.text
    body = r.json()
    res = body.get("result", body)
    assert res["status"] == "running" and res["started"] is True, body
    return int(res["id"][1:])


def _wait_done(nodes, rid, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        own = harness.owners(nodes, PARTITIONS)
        if P0 in own:
            got = _rescan(os.path.join(own[P0].dir, f"p{P0}.db"), rid)
            if got[0] and got[0][0] == "done":
                return own[P0], got
        time.sleep(0.3)
    raise AssertionError(f"rescan r{rid} did not finish: its timer did not fire")


def _balanced(nodes, timeout=60):
    """Waits until each node owns its share (settle only waits until every partition is owned:
    the first node to start takes them all, then hands them over one by one)."""
    deadline = time.time() + timeout
    while True:
        own = harness.settle(nodes, PARTITIONS)
        counts = [sum(1 for n in own.values() if n is node) for node in nodes]
        if counts == [PARTITIONS // len(nodes)] * len(nodes) or time.time() > deadline:
            return own
        time.sleep(0.5)


def _until(what, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if what():
            return True
        time.sleep(0.2)
    return False


def test_a_due_timer_fires_once_on_the_owner_and_after_a_takeover(cluster):
    broker, nodes, keys = cluster
    key = keys["operator"]
    owner = _balanced(nodes)[P0]
    other = nodes[1] if owner is nodes[0] else nodes[0]
    rid = _start_rescan(other, key, "rescan-1")
    node, (row, steps, timers) = _wait_done(nodes, rid)
    assert node is owner and row == ("done", 1) and steps == 1 and timers == 0
    for n in nodes:  # read on any node: every partition's part, added up ("Rescans")
        def done():
            r = requests.get(n.base + f"/v1/admin/rescans/r{rid}", timeout=60,
                             headers={"Authorization": f"Bearer {key}"})
            assert r.status_code == 200, r.text
            return r.json()["status"] == "done" and r.json()["parts"] == PARTITIONS
        assert _until(done, timeout=30), "the other partitions' parts did not finish"
    # a tick was published (the rescan's step fired with no command after it)
    text = requests.get(owner.base + "/metrics", timeout=10).text
    assert "sw_cluster_ticks_published_total 0\n" not in text
    # the partition's owner is killed: the survivor takes it (snapshot + stream), and a
    # rescan started through it fires there; the first one's step is in its log once
    owner.kill()
    rid2 = _start_rescan(other, key, "rescan-2")
    db = sqlite3.connect(os.path.join(other.dir, f"p{P0}.db"))
    log = db.execute("SELECT seq, type, idem_key FROM commands").fetchall()
    db.close()
    assert rid2 == rid + 1, log  # the first rescan is in the new owner's log
    node, (row, steps, timers) = _wait_done(nodes, rid2, timeout=60)
    assert node is other and row == ("done", 1) and steps == 1 and timers == 0
    assert _rescan(os.path.join(other.dir, f"p{P0}.db"), rid)[:2] == (("done", 1), 1)
    time.sleep(2)  # no second firing comes later
    assert _rescan(os.path.join(other.dir, f"p{P0}.db"), rid2)[:2] == (("done", 1), 1)


# Rescans (docs/scale-out.md, "Rescans"): a rescan re-inspects what is on sale in every
# partition: the home partition's job answers the client, each other partition runs its part
# (part_of the job), and a read of the job on any node adds the parts up.
def _post(node, path, body, headers, idem):
    return requests.post(node.base + path, json=body, timeout=120,
                         headers={**headers, "Idempotency-Key": idem})


def test_a_rescan_reaches_the_products_on_sale_in_every_partition(cluster):
    broker, nodes, keys = cluster
    admin = {"Authorization": f"Bearer {keys['admin']}"}
    op = {"Authorization": f"Bearer {keys['operator']}"}
    _balanced(nodes)
    lax = _policy("lax-rs")
    lax["penalties"]["types"]["external_diversion"].update(on_unlisted="ignore",
                                                           on_listed="ignore")
    assert _post(nodes[0], "/v1/admin/policy", lax, admin, "rs-lax").status_code == 200
    stores = one_store_per_partition("rs")
    for i, m in enumerate(stores):
        n = nodes[i % 2]
        _store_with_product(n, op, m, f"good-{m}", "rs")
        assert _post(n, f"/v1/merchants/{m}/deposit/top-ups",
                     {"amount_fen": 5000000, "ref": f"rs-{m}"}, op, f"rst-{m}").status_code == 201
        r = _post(n, "/v1/products", {"id": f"bad-{m}", "merchant": m, "title": "赣南脐橙 3kg",
                                      "detail": "加微信 abc12345 了解更多",
                                      "category": "fresh.fruit", "price_fen": 3990,
                                      "production_date": "2026-01-01", "quality_cert": "QC-1",
                                      "manufacturer": "示例工厂"}, op, f"rsb-{m}")
        assert r.status_code == 201, r.text
        for prod in (f"good-{m}", f"bad-{m}"):
            r = _post(n, f"/v1/products/{prod}/list", {}, op, f"rsl-{prod}")
            assert r.status_code == 200, r.text
    assert _post(nodes[1], "/v1/admin/policy", _policy("strict-rs"), admin,
                 "rs-strict").status_code == 200
    r = _post(nodes[1], "/v1/admin/rescans", {"batch": 1, "note": "all"}, op, "rs-all")
    assert r.status_code == 201, r.text
    job = r.json()["result"]
    assert job["started"] is True and job["total"] == 2 * len(stores), job
    again = _post(nodes[0], "/v1/admin/rescans", {"batch": 1, "note": "all"}, op, "rs-all")
    assert again.json()["replayed"] and again.json()["result"] == job, again.text
    deadline, got = time.time() + 90, {}
    while time.time() < deadline:
        reads = [requests.get(n.base + f"/v1/admin/rescans/{job['id']}", headers=op,
                              timeout=60) for n in nodes]
        assert all(x.status_code == 200 for x in reads), [x.text for x in reads]
        got = reads[0].json()
        if got["status"] == "done" and reads[1].json() == got:
            break
        time.sleep(0.5)
    assert got["status"] == "done" and got["parts"] == PARTITIONS, got
    assert got["scanned"] == got["total"] == 2 * len(stores), got
    assert got["violations"] == len(stores) and got["finished_at"], got
    for m in stores:  # every partition's bad product penalised once, its good one left alone
        vs = requests.get(nodes[0].base + "/v1/violations", params={"merchant": m},
                          headers=op, timeout=60).json()["violations"]
        assert [(v["product"], v["type"]) for v in vs] == [(f"bad-{m}", "external_diversion")]
        r = requests.get(nodes[1].base + f"/v1/products/good-{m}", headers=op, timeout=60)
        assert r.json()["status"] == "listed", r.text
    r = requests.get(nodes[0].base + "/v1/admin/rescans/r424242", headers=op, timeout=60)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", r.text


# Keys (docs/scale-out.md, "Keys"): a key made or revoked on one node holds on every node,
# through the key store (the KV bucket sw_keys), also for a node that was down meanwhile and for
# a key made offline with the CLI in one node's database.
def _me(node, secret):
    return requests.get(node.base + "/v1/me", headers={"Authorization": f"Bearer {secret}"},
                        timeout=30).status_code


def test_a_key_made_or_revoked_on_one_node_holds_on_every_node(cluster):
    broker, nodes, keys = cluster
    admin = {"Authorization": f"Bearer {keys['admin']}"}
    r = _post(nodes[0], "/v1/admin/keys", {"role": "operator", "id": "ops-bob", "label": "Bob"},
              admin, "k-bob")
    assert r.status_code == 201, r.text
    bob = r.json()["result"]["key"]
    assert _me(nodes[0], bob) == 200
    assert _until(lambda: _me(nodes[1], bob) == 200), "the key did not reach the other node"
    got = requests.get(nodes[1].base + "/v1/admin/keys", headers=admin, timeout=30).json()
    mine = [k for k in got["keys"] if k["id"] == "ops-bob"]
    assert mine and mine[0]["role"] == "operator" and mine[0]["label"] == "Bob", got
    # one id, one key: the other node refuses the id now that it has it
    r = _post(nodes[1], "/v1/admin/keys", {"role": "admin", "id": "ops-bob"}, admin, "k-bob2")
    assert r.status_code == 409 and r.json()["error"]["code"] == "already_exists", r.text
    # revoked on the other node: refused on both
    r = _post(nodes[1], "/v1/admin/keys/ops-bob/revoke", {}, admin, "rv-bob")
    assert r.status_code == 200, r.text
    assert _me(nodes[1], bob) == 401
    assert _until(lambda: _me(nodes[0], bob) == 401), "the revocation did not reach the node"
    # made while a node is down, and made offline in one node's database: every node has them
    nodes[1].stop()
    r = _post(nodes[0], "/v1/admin/keys", {"role": "operator", "id": "ops-carol"}, admin,
              "k-carol")
    assert r.status_code == 201, r.text
    carol = r.json()["result"]["key"]
    out = subprocess.run([harness.BIN, "keys", "create", "--role", "operator", "--id",
                          "ops-dave", "--db", os.path.join(nodes[1].dir, "node.db")],
                         capture_output=True, text=True, check=True).stdout
    dave = out.split("key:")[1].split()[0]
    nodes[1].start()
    harness.settle(nodes, PARTITIONS)
    assert _until(lambda: _me(nodes[1], carol) == 200), "a restarted node lacks a key"
    assert _until(lambda: _me(nodes[0], dave) == 200), "a key made offline did not spread"
    assert _me(nodes[1], bob) == 401 and _me(nodes[0], bob) == 401
    # the log of the node that received them says who added them: the node, from the store
    db = sqlite3.connect(os.path.join(nodes[1].dir, "node.db"))
    try:
        synced = db.execute("SELECT c.actor, c.actor_label, e.type FROM commands c JOIN events e"
                            " ON e.command_seq = c.seq WHERE c.type = 'key.sync'"
                            " AND e.subject = 'ops-carol'").fetchall()
    finally:
        db.close()
    assert synced == [("system", "cluster key store", "key.created")], synced
    text = requests.get(nodes[0].base + "/metrics", timeout=10).text
    assert "sw_cluster_keys_published_total 0\n" not in text


# Reads (docs/scale-out.md, "Reads"): a read of one store is answered by the owner of its
# partition, whichever node receives it.
READS = ["/v1/merchants/{m}", "/v1/merchants/{m}/deposit", "/v1/merchants/{m}/deposit?limit=1",
         "/v1/merchants/{m}/badge", "/v1/merchants/{m}/products?limit=5",
         "/v1/violations?merchant={m}", "/v1/merchants/{m}/nothing", "/v1/merchants/zz-none"]


def test_a_read_of_a_store_gives_the_same_answer_on_every_node(cluster):
    broker, nodes, keys = cluster
    h = {"Authorization": f"Bearer {keys['operator']}"}
    stores = one_store_per_partition("r")
    for m in stores:
        r = requests.post(nodes[0].base + "/v1/merchants", timeout=60,
                          json={"id": m, "name": f"store {m}", "categories": ["fresh.fruit"]},
                          headers={**h, "Idempotency-Key": f"read-{m}"})
        assert r.status_code == 201, r.text
        r = requests.post(nodes[1].base + f"/v1/merchants/{m}/deposit/top-ups", timeout=60,
                          json={"amount_fen": 1234, "ref": f"t-{m}"},
                          headers={**h, "Idempotency-Key": f"top-{m}"})
        assert r.status_code == 201, r.text
    own = _balanced(nodes)
    assert {own[partition_of(m)] for m in stores} == set(nodes)
    for m in stores:
        for path in READS:
            url = path.format(m=m)
            got = []
            for n in nodes:
                r = requests.get(n.base + url, headers={**h, "X-Request-Id": "same"}, timeout=30)
                got.append((r.status_code, r.headers.get("ETag"), r.text))
            assert got[0] == got[1], (url, got)
        r = requests.get(nodes[0].base + f"/v1/merchants/{m}/deposit", headers=h, timeout=30)
        assert r.status_code == 200 and r.json()["balance_fen"] == 1234, r.text
        # If-None-Match is answered by the accepting node from the owner's ETag
        tag = r.headers["ETag"]
        for n in nodes:
            r = requests.get(n.base + f"/v1/merchants/{m}/deposit",
                             headers={**h, "If-None-Match": tag}, timeout=30)
            assert r.status_code == 304
    for n in nodes:
        text = requests.get(n.base + "/metrics", timeout=10).text
        assert "sw_cluster_reads_forwarded_total 0\n" not in text
        assert "sw_cluster_reads_served_total 0\n" not in text


# The policy in force (docs/scale-out.md, "Policy"): every partition checks its commands against
# its own copy, so an activation goes into every partition's stream; GET /v1/policy is answered
# by the partition of the empty key on every node.
def _policy(version):
    src = os.environ.get("SW_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
    with open(os.path.join(src, "data", "policy", "default.json"), encoding="utf-8") as f:
        doc = json.load(f)
    doc["version"] = version
    return doc


def test_a_policy_activation_reaches_every_partition_and_every_node_reads_it(cluster):
    broker, nodes, keys = cluster
    own = _balanced(nodes)
    admin = {"Authorization": f"Bearer {keys['admin']}"}
    op = {"Authorization": f"Bearer {keys['operator']}"}
    before = requests.get(nodes[1].base + "/v1/policy", headers=op, timeout=30).json()["version"]
    doc = _policy("cluster-2")
    magic = "神奇配方"  # a claim only the new version's scanner knows
    doc["scan"]["lists"].append({"rule": "house.magic", "type": "exaggerated_efficacy",
                                 "severity": "minor", "categories": ["beauty.*"],
                                 "terms": [magic]})
    listing = {"title": f"身体乳 {magic}", "category": "beauty.skincare",
               "production_date": "2026-01-01", "quality_cert": "QC-1", "manufacturer": "示例工厂"}
    for n in nodes:
        r = requests.post(n.base + "/v1/scan", json=listing, headers=op, timeout=30)
        assert r.status_code == 200, r.text
        assert "house.magic" not in {f["rule"] for f in r.json()["findings"]}
    r = requests.post(nodes[0].base + "/v1/admin/policy", json=doc, timeout=120,
                      headers={**admin, "Idempotency-Key": "activate-1"})
    assert r.status_code == 200, r.text
    assert r.json()["result"] == {"from": before, "to": "cluster-2", "activated": True}
    # the same key again, on the other node: the first answer, applied nowhere twice
    again = requests.post(nodes[1].base + "/v1/admin/policy", json=doc, timeout=120,
                          headers={**admin, "Idempotency-Key": "activate-1"})
    assert again.status_code == 200 and again.json()["result"] == r.json()["result"], again.text
    assert again.json()["command_seq"] == r.json()["command_seq"]
    for n in nodes:
        got = requests.get(n.base + "/v1/policy", headers=op, timeout=30)
        assert got.status_code == 200 and got.json()["version"] == "cluster-2", got.text
        # the dry run scans with the version in force on every node, too
        r = requests.post(n.base + "/v1/scan", json=listing, headers=op, timeout=30)
        assert r.status_code == 200, r.text
        assert "house.magic" in {f["rule"] for f in r.json()["findings"]}, r.text
    # a store created afterwards in any partition decides under the new version
    stores = one_store_per_partition("pv")
    for i, m in enumerate(stores):
        r = requests.post(nodes[i % 2].base + "/v1/merchants", timeout=60,
                          json={"id": m, "name": f"store {m}", "categories": ["fresh.fruit"]},
                          headers={**op, "Idempotency-Key": f"pv-{m}"})
        assert r.status_code == 201, r.text
    own = harness.settle(nodes, PARTITIONS)
    for p in range(PARTITIONS):
        db = sqlite3.connect(os.path.join(own[p].dir, f"p{p}.db"))
        try:
            acts = db.execute("SELECT count(*) FROM events WHERE type = 'policy.activated'"
                              ).fetchone()[0]
            made = db.execute("SELECT policy_version FROM events WHERE type = 'merchant.created'"
                              ).fetchall()
        finally:
            db.close()
        assert acts == 1, (p, acts)
        assert made == [("cluster-2",)], (p, made)


def _store_with_product(node, op, m, product, key):
    """Store m (fresh fruit) and its product, created through node by the operator."""
    r = requests.post(node.base + "/v1/merchants", timeout=60,
                      json={"id": m, "name": f"store {m}", "categories": ["fresh.fruit"]},
                      headers={**op, "Idempotency-Key": f"{key}-{m}"})
    assert r.status_code == 201, r.text
    r = requests.post(node.base + "/v1/products", timeout=60,
                      json={"id": product, "merchant": m, "title": "赣南脐橙 5kg",
                            "category": "fresh.fruit", "price_fen": 5990,
                            "production_date": "2026-01-01", "quality_cert": "QC-1",
                            "manufacturer": "示例工厂"},
                      headers={**op, "Idempotency-Key": f"{key}p-{m}"})
    assert r.status_code == 201, r.text


# A staff key's read of one object by its own id names no store (docs/scale-out.md, "Reads"):
# the partition that has it answers, found by asking each in turn and remembered.
def test_a_staff_read_or_write_of_an_object_by_id_finds_its_partition_on_every_node(cluster):
    broker, nodes, keys = cluster
    op = {"Authorization": f"Bearer {keys['operator']}"}
    _balanced(nodes)
    stores = one_store_per_partition("ob")
    for i, m in enumerate(stores):
        n = nodes[i % 2]
        _store_with_product(n, op, m, f"prod-{m}", "ob")
        r = requests.post(n.base + f"/v1/merchants/{m}/deposit/top-ups", timeout=60,
                          json={"amount_fen": 5000000, "ref": f"ob-{m}"},
                          headers={**op, "Idempotency-Key": f"obt-{m}"})
        assert r.status_code == 201, r.text
    for m in stores:
        got = []
        for n in nodes:
            for _ in range(2):  # searched, then remembered: the same answer
                r = requests.get(n.base + f"/v1/products/prod-{m}",
                                 headers={**op, "X-Request-Id": "same"}, timeout=60)
                got.append((r.status_code, r.headers.get("ETag"), r.text))
        assert got[0][0] == 200 and got[0][2] and all(g == got[0] for g in got), (m, got)
        assert json.loads(got[0][2])["merchant"] == m
    for n in nodes:
        r = requests.get(n.base + "/v1/products/prod-none", headers=op, timeout=60)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", r.text
    # a staff write that names only the object goes to the object's store's partition
    for i, m in enumerate(stores):
        r = requests.post(nodes[(i + 1) % 2].base + f"/v1/products/prod-{m}/ban", timeout=60,
                          json={"reason": "抽检不合格"},
                          headers={**op, "Idempotency-Key": f"ban-{m}"})
        assert r.status_code == 200, (m, r.text)
        r = requests.get(nodes[i % 2].base + f"/v1/products/prod-{m}", headers=op, timeout=60)
        assert r.json()["status"] == "banned", (m, r.text)
    r = requests.post(nodes[0].base + "/v1/products/prod-none/ban", json={"reason": "x"},
                      headers={**op, "Idempotency-Key": "ban-none"}, timeout=60)
    assert r.status_code == 404, r.text


# Ids a partition generates are its own (docs/scale-out.md, "Ids"): a violation made in each
# partition has an id no other partition has, and a staff read or decision by that id reaches
# that violation and no other store's.
def test_generated_ids_are_unique_across_partitions_and_find_their_store(cluster):
    broker, nodes, keys = cluster
    op = {"Authorization": f"Bearer {keys['operator']}"}
    _balanced(nodes)
    stores = one_store_per_partition("gid")
    made = {}
    for i, m in enumerate(stores):
        n = nodes[i % 2]
        _store_with_product(n, op, m, f"gp-{m}", "gid")
        r = requests.post(n.base + "/v1/violations", timeout=60,
                          json={"product": f"gp-{m}", "type": "external_diversion",
                                "severity": "minor", "evidence": ["加微信"]},
                          headers={**op, "Idempotency-Key": f"gidv-{m}"})
        assert r.status_code == 201, (m, r.text)
        made[m] = r.json()["result"]["id"] if "result" in r.json() else r.json()["id"]
        # the answer names the violation it made, as in single-node mode (docs/api.md), though
        # the accepting node's database does not hold it: the owner sends its payload along
        named = r.json().get("violations")
        assert named and named[0]["id"] == made[m] and named[0]["product"] == f"gp-{m}", r.text
        assert named[0]["type"] == "external_diversion" and "penalty" in named[0], r.text
    assert len(set(made.values())) == len(stores), made
    for i, m in enumerate(stores):
        vid = made[m]
        assert int(vid.lstrip("v")) // 10**12 == partition_of(m), (m, vid)
        r = requests.get(nodes[(i + 1) % 2].base + f"/v1/violations/{vid}", headers=op,
                         timeout=60)
        assert r.status_code == 200 and r.json()["merchant"] == m, (m, r.text)


def _queue_when(node, headers, ok, within=20):
    """GET /v1/queue on node until ok(queue) holds (the read model follows the event stream)."""
    deadline = time.time() + within
    while True:
        r = requests.get(node.base + "/v1/queue", headers=headers, timeout=60)
        assert r.status_code == 200, r.text
        if ok(r.json()):
            return r.json()
        assert time.time() < deadline, r.text
        time.sleep(0.2)


def _pages(node, path, headers, limit, field):
    """Every page of a list read with limit, following next_after: (items, pages)."""
    items, after, pages = [], None, 0
    while True:
        q = {"limit": limit, **({"after": after} if after else {})}
        r = requests.get(node.base + path, params=q, headers=headers, timeout=60)
        assert r.status_code == 200, r.text
        page = r.json()
        pages += 1
        assert len(page[field]) <= limit
        items += page[field]
        assert page["has_more"] == (page["next_after"] is not None), page
        if not page["has_more"]:
            return items, pages
        assert len(page[field]) == limit, page  # a page before the last is full
        after = page["next_after"]


# A list across stores read by staff (no ?merchant=) is every partition's (docs/scale-out.md,
# "Lists across stores"): paged through on either node it gives every item once, with has_more
# true exactly when another item follows, whatever page size cuts it.
def test_a_staff_list_across_stores_gives_every_partitions_items_once(cluster):
    broker, nodes, keys = cluster
    op = {"Authorization": f"Bearer {keys['operator']}"}
    _balanced(nodes)
    stores = one_store_per_partition("ls")
    made = set()
    for i, m in enumerate(stores):
        n = nodes[i % 2]
        _store_with_product(n, op, m, f"lp-{m}", "ls")
        for k in range(i % 3):  # 0, 1 or 2 violations a store: some partitions have none
            r = requests.post(n.base + "/v1/violations", timeout=60,
                              json={"product": f"lp-{m}", "type": "external_diversion",
                                    "severity": "minor", "evidence": [f"加微信 {k}"]},
                              headers={**op, "Idempotency-Key": f"lsv-{m}-{k}"})
            assert r.status_code == 201, (m, r.text)
            made.add(r.json()["result"]["id"])
    assert len(made) == sum(i % 3 for i in range(len(stores)))
    appealed = sorted(made)[:3]  # an appeal each: a timer (its deadline) in their partitions
    for vid in appealed:
        r = requests.post(nodes[0].base + f"/v1/violations/{vid}/appeals", timeout=60,
                          json={"reason": "误判，已整改", "evidence": ["截图"]},
                          headers={**op, "Idempotency-Key": f"lsa-{vid}"})
        assert r.status_code == 201, (vid, r.text)
    # the queue is each node's read model of the partitions' events: it follows the writes by
    # the event stream's delay, so it is waited for
    for n in nodes:
        q = _queue_when(n, op, lambda q: sorted(a["violation"] for a in q["open_appeals"])
                        == appealed)
        assert q["overdue_appeals"] == 0 and q["approvals_pending"] == 0, q
    # a claim is held where its item is decided: another key's decision is refused on any node,
    # and every node's queue shows who holds the item
    admin = {"Authorization": f"Bearer {keys['admin']}"}
    item = q["open_appeals"][0]["id"]
    r = requests.post(nodes[1].base + "/v1/queue/claims", json={"item": item, "minutes": 30},
                      headers={**op, "Idempotency-Key": f"lsc-{item}"}, timeout=60)
    assert r.status_code == 201, r.text
    for n in nodes:
        r = requests.post(n.base + f"/v1/appeals/{item}/decision",
                          json={"decision": "reject", "note": "x"},
                          headers={**admin, "Idempotency-Key": f"lsd-{item}-{n.base}"},
                          timeout=60)
        assert r.status_code == 409 and r.json()["error"]["code"] == "claimed", r.text
        _queue_when(n, op, lambda q: any(a["id"] == item and a["claimed_by"]
                                         for a in q["open_appeals"]))
    r = requests.delete(nodes[0].base + f"/v1/queue/claims/{item}",
                        headers={**op, "Idempotency-Key": f"lsr-{item}"}, timeout=60)
    assert r.status_code == 200, r.text
    for n in nodes:
        _queue_when(n, op, lambda q: all(a["claimed_by"] is None for a in q["open_appeals"]))
        for limit in (1, 2, 3, len(made), 100):
            got, pages = _pages(n, "/v1/violations", op, limit, "violations")
            ids = [v["id"] for v in got]
            assert sorted(ids) == sorted(made) and len(ids) == len(set(ids)), (limit, ids)
            assert pages == max(1, -(-len(made) // limit)), (limit, pages)
        got, _ = _pages(n, "/v1/merchants", op, 3, "merchants")
        listed = [m["id"] for m in got]
        assert sorted(listed) == sorted(stores) and len(listed) == len(set(listed)), listed
        got, _ = _pages(n, "/v1/queue", op, 2, "pending_violations")
        assert {v["id"] for v in got} <= made and len(got) == len({v["id"] for v in got})
    # both nodes answer the same page
    pages = [requests.get(n.base + "/v1/violations?limit=4", headers=op, timeout=60).json()
             for n in nodes]
    assert pages[0] == pages[1]
    # the timers of every partition, paged one at a time, on both nodes alike
    timers = []
    for n in nodes:
        got, _ = _pages(n, "/v1/admin/timers", op, 1, "timers")
        keys_ = [json.dumps(t, sort_keys=True) for t in got]
        assert len(keys_) == len(set(keys_)), keys_
        timers.append(sorted(keys_))
    assert timers[0] == timers[1] and timers[0], timers
    # the rule quality adds every partition's violations up, on either node, from its read
    # model (waited for, as the queue)
    for n in nodes:
        deadline = time.time() + 20
        while True:
            r = requests.get(n.base + "/v1/admin/rules/quality", headers=op, timeout=60)
            assert r.status_code == 200, r.text
            rows = [q for q in r.json()["rules"] if q["rule"] == "operator.external_diversion"]
            if (len(rows) == 1 and rows[0]["violations"] == len(made)
                    and rows[0]["appealed"] == len(appealed)) or time.time() > deadline:
                break
            time.sleep(0.2)
        assert len(rows) == 1 and rows[0]["violations"] == len(made), r.text
        assert rows[0]["appealed"] == len(appealed), r.text
        assert rows[0]["in_force"] == len(made) and rows[0]["overturn_rate"] == 0, r.text
    # the queue's cursor is a violation, as on one database: an unknown one is 400 on any node
    for n in nodes:
        r = requests.get(n.base + "/v1/queue?after=v99999", headers=op, timeout=60)
        assert r.status_code == 400, r.text
        assert r.json()["error"]["code"] == "invalid_value", r.text
        assert r.json()["error"]["details"]["field"] == "after", r.text
    # a filter is the partitions' own: a bad value is their 400, on the first partition asked
    for q, field in (("limit=0", "limit"), ("status=nonsense", "status"), ("after=v99999", "after")):
        r = requests.get(nodes[0].base + "/v1/violations?" + q, headers=op, timeout=60)
        assert r.status_code == 400, (q, r.text)
        assert r.json()["error"]["details"]["field"] == field, (q, r.text)


# The event feed in cluster mode (docs/scale-out.md, "Event feed"): one store's events are in
# its partition's log, read on any node; a long poll waits on the receiving node for the owner's
# next event; the feed of every store at once is not one log, and says so.
def test_the_event_feed_of_a_store_is_read_and_waited_for_on_any_node(cluster):
    broker, nodes, keys = cluster
    op = {"Authorization": f"Bearer {keys['operator']}"}
    _balanced(nodes)
    m = "feed1"
    _store_with_product(nodes[0], op, m, "feed-p1", "feed")
    for i, other in enumerate(one_store_per_partition("fd")[:5]):  # events in other partitions
        _store_with_product(nodes[i % 2], op, other, f"fdp-{other}", "feed")
    # the feed of every store: each partition's log merged by instant, paged by a cursor of
    # positions; every event of every owned partition once (read from the node's read model,
    # which follows the commits by the event stream's delay: read again until it has them all)
    own = harness.owners(nodes, PARTITIONS)
    total = 0
    for p, n in own.items():
        db = sqlite3.connect(os.path.join(n.dir, f"p{p}.db"))
        total += db.execute("SELECT count(*) FROM events").fetchone()[0]
        db.close()
    deadline = time.time() + 30
    while True:
        everything, after = [], None
        while True:
            q = {"limit": 3, **({"after": after} if after else {})}
            r = requests.get(nodes[1].base + "/v1/events", params=q, headers=op, timeout=60)
            assert r.status_code == 200, r.text
            page = r.json()
            everything += page["events"]
            after = page["next_after"]
            assert after, page  # always given: a follower goes on from it
            if not page["has_more"]:
                break
        if len(everything) >= total or time.time() > deadline:
            break
        time.sleep(0.2)
    assert len(everything) == total, (len(everything), total)
    ats = [e["at"] for e in everything]
    assert ats == sorted(ats, key=lambda a: a.replace("Z", ".000000Z")[:26]), ats
    r = requests.get(nodes[0].base + "/v1/events?after=12", headers=op, timeout=60)
    assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "after", r.text
    cursor = after
    pages = []
    for n in nodes:
        r = requests.get(n.base + f"/v1/events?merchant={m}", headers=op, timeout=60)
        assert r.status_code == 200, r.text
        pages.append(r.json())
    assert pages[0] == pages[1]
    types = [e["type"] for e in pages[0]["events"]]
    assert "merchant.created" in types and "product.created" in types, types
    last = pages[0]["events"][-1]["seq"]
    # nothing comes: the wait runs out and the page is empty
    t0 = time.time()
    r = requests.get(nodes[1].base + f"/v1/events?merchant={m}&after={last}&wait=1",
                     headers=op, timeout=60)
    assert r.status_code == 200 and r.json()["events"] == [], r.text
    assert 0.9 <= time.time() - t0 < 10
    # an event comes while a read on the other node waits for it
    got = {}

    def follow():
        t = time.time()
        got["r"] = requests.get(nodes[1].base + f"/v1/events?merchant={m}&after={last}&wait=20",
                                headers=op, timeout=60)
        got["s"] = time.time() - t

    th = threading.Thread(target=follow)
    th.start()
    time.sleep(1.5)
    r = requests.post(nodes[0].base + f"/v1/merchants/{m}/deposit/top-ups", timeout=60,
                      json={"amount_fen": 100000, "ref": "feed-top-up"},
                      headers={**op, "Idempotency-Key": "feed-top-up"})
    assert r.status_code == 201, r.text
    th.join()
    assert got["r"].status_code == 200, got["r"].text
    events = got["r"].json()["events"]
    assert events and events[0]["seq"] > last, events
    assert any(e["type"].startswith("deposit.") for e in events), events
    assert 1.0 <= got["s"] < 15, got["s"]
    # the feed of every store goes on from its cursor; a follower waits for what its node's
    # read model has not taken in yet
    r = requests.get(nodes[0].base + "/v1/events",
                     params={"after": cursor, "limit": 100, "wait": 10}, headers=op, timeout=60)
    assert r.status_code == 200, r.text
    assert [e["type"] for e in r.json()["events"]] == [e["type"] for e in events], r.text
    cursor = r.json()["next_after"]
    t0 = time.time()
    r = requests.get(nodes[0].base + "/v1/events", params={"after": cursor, "wait": 1},
                     headers=op, timeout=60)
    assert r.status_code == 200 and r.json()["events"] == [], r.text
    assert 0.9 <= time.time() - t0 < 10
    # a store's key made over HTTP: its store is looked up in the store's partition
    ad = {"Authorization": f"Bearer {keys['admin']}"}
    r = requests.post(nodes[1].base + "/v1/admin/keys", json={"role": f"merchant:{m}"},
                      headers={**ad, "Idempotency-Key": "feed-key"}, timeout=60)
    assert r.status_code == 201, r.text
    mk = {"Authorization": f"Bearer {r.json()['result']['key']}"}
    r = requests.get(nodes[1].base + "/v1/events?limit=1000", headers=mk, timeout=60)
    assert r.status_code == 200, r.text
    assert {e["merchant"] for e in r.json()["events"]} == {m}, r.text
    assert any(e["type"].startswith("deposit.") for e in r.json()["events"]), r.text
    r = requests.get(nodes[1].base + f"/v1/merchants/{m}/deposit", headers=mk, timeout=60)
    assert r.status_code == 200, r.text
    r = requests.post(nodes[0].base + "/v1/admin/keys", json={"role": "merchant:nostore"},
                      headers={**ad, "Idempotency-Key": "feed-key-none"}, timeout=60)
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_reference", r.text


# Records every partition reads (docs/scale-out.md, "Streamers"): a streamer's record is put into
# every partition. (The affiliate module: test_affiliate.py.)
def test_streamers_reach_every_partition(cluster):
    broker, nodes, keys = cluster
    op = {"Authorization": f"Bearer {keys['operator']}"}
    _balanced(nodes)
    r = requests.put(nodes[0].base + "/v1/streamers/st1", timeout=60,
                     json={"nickname": "小鹿", "designated": True},
                     headers={**op, "Idempotency-Key": "st1"})
    assert r.status_code == 201, r.text
    etag = requests.get(nodes[1].base + "/v1/streamers/st1", headers=op, timeout=60).headers["ETag"]
    r = requests.put(nodes[1].base + "/v1/streamers/st1", timeout=60,
                     json={"nickname": "小鹿鹿", "designated": True},
                     headers={**op, "Idempotency-Key": "st1b", "If-Match": etag})
    assert r.status_code == 200, r.text
    seen = {}
    for n in nodes:
        for name in os.listdir(n.dir):
            if name.startswith("p") and name.endswith(".db"):
                ev = [t for t, _, s, _ in _events(os.path.join(n.dir, name)) if s == "st1"]
                seen[name] = ev
    assert len(seen) >= PARTITIONS and all(ev for ev in seen.values()), seen
    for n in nodes:
        r = requests.get(n.base + "/v1/streamers/st1", headers=op, timeout=60)
        assert r.status_code == 200 and r.json()["nickname"] == "小鹿鹿", r.text


# An spu's review statistics implicate its products in every store (docs/scale-out.md,
# "Streamers and spus"): the command goes into every partition, and the answer adds up the
# products each implicated.
def test_an_spu_below_its_review_threshold_implicates_products_in_every_partition(cluster):
    broker, nodes, keys = cluster
    op = {"Authorization": f"Bearer {keys['operator']}"}
    _balanced(nodes)
    stores = one_store_per_partition("spu")[:3]
    assert len({partition_of(m) for m in stores}) == 3
    for i, m in enumerate(stores):
        _store_with_product(nodes[i % 2], op, m, f"sp-{m}", "spu")
        r = requests.post(nodes[i % 2].base + "/v1/products", timeout=60,
                          json={"id": f"same-{m}", "merchant": m, "title": "同款商品",
                                "category": "fresh.fruit", "price_fen": 1000, "spu_id": "spu-7",
                                "production_date": "2026-01-01", "quality_cert": "QC-1",
                                "manufacturer": "示例工厂"},
                          headers={**op, "Idempotency-Key": f"same-{m}"})
        assert r.status_code == 201, r.text
    r = requests.post(nodes[1].base + "/v1/spus/spu-7/review-stats", timeout=60,
                      json={"good_reviews": 40, "reviews": 100, "event_id": "rs-7"}, headers=op)
    assert r.status_code == 200, r.text
    assert r.json()["result"]["products_implicated"] == 3, r.text
    for m in stores:
        r = requests.get(nodes[0].base + f"/v1/products/same-{m}", headers=op, timeout=60)
        assert r.status_code == 200 and r.json()["status"] == "banned", (m, r.text)
        r = requests.get(nodes[1].base + f"/v1/products/sp-{m}", headers=op, timeout=60)
        assert r.json()["status"] != "banned", (m, r.text)  # another spu: untouched


# The read models (docs/scale-out.md, "Read models"): the event stream keeps the last
# --events-keep events of each partition; a node whose model is further behind (here a node
# that starts after the events were written, with 3 kept) fetches the rest from the owners.
def test_a_read_model_fills_what_the_event_stream_no_longer_holds():
    with tempfile.TemporaryDirectory(prefix="sw-cluster-") as root:
        broker = harness.Broker(root).start_all()
        nodes = [harness.Node(root, f"n{i + 1}", broker.urls(), PARTITIONS, snapshot_every=100,
                              events_keep=3) for i in range(2)]
        keys = harness.make_keys(nodes)
        op = {"Authorization": f"Bearer {keys['operator']}"}
        try:
            nodes[0].start()
            harness.settle(nodes[:1], PARTITIONS)
            stores = one_store_per_partition("ek")[:4]
            for m in stores:
                r = requests.post(nodes[0].base + "/v1/merchants", timeout=60,
                                  json={"id": m, "name": m, "categories": ["fresh.fruit"]},
                                  headers={**op, "Idempotency-Key": f"ek-{m}"})
                assert r.status_code == 201, r.text
                for t in range(6):
                    r = requests.post(nodes[0].base + f"/v1/merchants/{m}/deposit/top-ups",
                                      json={"amount_fen": 100 + t, "ref": f"{m}-{t}"}, timeout=60,
                                      headers={**op, "Idempotency-Key": f"ek-{m}-{t}"})
                    assert r.status_code == 201, r.text
            nodes[1].start()
            check_read_models(nodes, _balanced(nodes), keys["operator"])
            text = requests.get(nodes[1].base + "/metrics", timeout=10).text
            filled = int(re.search(r"^sw_cluster_view_filled_total (\d+)$", text, re.M).group(1))
            # each store: created + 6 top-ups, 3 of its partition's events kept in the stream
            assert filled >= 4 * 4, text
            assert re.search(r"^sw_cluster_view_held_back 0$", text, re.M), text
        finally:
            for n in nodes:
                n.stop()
            broker.stop()
