"""Restart under load: for a bounded minute, clients write with idempotency keys and retry
until acknowledged while the server is killed with SIGKILL every few seconds and started again
on the same database. At the end every acknowledged write is there exactly once (through the
API and by counting rows in the file), nothing is there that was not written, and the deposit
ledger invariant holds (DESIGN.md principle 5: nothing acknowledged is ever lost; a repeat
changes nothing)."""
import os
import random
import signal
import sqlite3
import tempfile
import threading
import time

import pytest
import requests

from conftest import COMPLETE, Server, check_ledger, open_store

LOAD_SECONDS = float(os.environ.get("SW_RESTART_LOAD_SECONDS", "45"))
KILL_EVERY = (2.0, 5.0)  # seconds between two SIGKILLs, drawn uniformly
CLIENTS = 4
RETRY_PAUSE = 0.05
SEED = int(os.environ.get("SW_RESTART_SEED", str(int(time.time()))))

# Setup writes before the load: a store (m1, fresh.fruit) and its opening top-up.
OPEN_REF = "open-m1"


class Writes:
    """What the clients sent and what the server acknowledged, keyed by write number."""

    def __init__(self):
        self.lock = threading.Lock()
        self.next = 0
        self.sent = {}      # n -> (kind, body, idem key or None)
        self.acked = {}     # n -> the acknowledging answer's JSON
        self.replayed = 0   # acknowledgements that were replays (committed before a kill)
        self.retries = 0    # attempts after a connection error or a 5xx
        self.rate_limited = 0  # 429 answers (retried after Retry-After)
        self.crossed = set()  # writes that needed more than one attempt (in flight at a kill)
        self.errors = []    # answers that are neither an acknowledgement nor retryable

    def take(self):
        with self.lock:
            n = self.next
            self.next += 1
            return n


def write_of(n):
    """Write n: even numbers create a product, odd ones credit a payment. Every top-up has a
    distinct amount, so the final balance tells whether any was applied twice; half of them
    carry an Idempotency-Key header, the other half rely on their payment ref as the key."""
    if n % 2 == 0:
        body = {"id": f"r{n}", "merchant": "m1", "title": f"脐橙 {n}", "category": "fresh.fruit",
                "price_fen": 1000 + n, "stock": 1, **COMPLETE}
        return "product", "/v1/products", body, f"rl-p-{n}"
    body = {"amount_fen": 100 + n, "ref": f"pay-{n}", "note": "restart load"}
    return "top_up", "/v1/merchants/m1/deposit/top-ups", body, (f"rl-t-{n}" if n % 4 == 1 else None)


def client(server, keys, writes, stop):
    s = requests.Session()
    while not stop.is_set():
        n = writes.take()
        kind, path, body, idem = write_of(n)
        headers = {"Authorization": f"Bearer {keys[kind]}"}
        if idem:
            headers["Idempotency-Key"] = idem
        with writes.lock:
            writes.sent[n] = (kind, body, idem)
        while True:  # until acknowledged, whatever happens to the server
            base = server.base
            try:
                r = s.post(base + path, json=body, headers=headers, timeout=15)
            except requests.RequestException:
                s.close()
                s = requests.Session()
                with writes.lock:
                    writes.retries += 1
                    writes.crossed.add(n)
                time.sleep(RETRY_PAUSE)
                continue
            if r.status_code == 429:  # a per-key rate limit (ISSUE10): refused, retry later
                with writes.lock:
                    writes.rate_limited += 1
                time.sleep(min(float(r.headers.get("Retry-After") or 1), 1.0))
                continue
            if r.status_code >= 500:
                with writes.lock:
                    writes.retries += 1
                    writes.crossed.add(n)
                time.sleep(RETRY_PAUSE)
                continue
            with writes.lock:
                if r.status_code == 201:
                    doc = r.json()
                    writes.acked[n] = doc
                    writes.replayed += bool(doc.get("replayed"))
                else:
                    writes.errors.append((n, r.status_code, r.text[:300]))
            break


@pytest.fixture
def loaded_server():
    with tempfile.TemporaryDirectory(prefix="sw-restart-") as tmp:
        s = Server(tmp).start()
        try:
            yield s
        finally:
            s.stop()  # SIGTERM: a clean exit, no sanitizer report


def test_acknowledged_writes_survive_repeated_sigkill_exactly_once(loaded_server):
    # about a minute: LOAD_SECONDS of load with a SIGKILL every 2-5 s, then the checks
    server = loaded_server
    rng = random.Random(SEED)
    op = server.client("operator")
    open_store(op, "m1", "fresh.fruit")
    opening = op.get("/v1/merchants/m1/deposit").json()["balance_fen"]
    keys = {"product": server.key("merchant:m1"), "top_up": server.key("ingest")}
    with sqlite3.connect(f"file:{server.db}?mode=ro", uri=True) as con:
        setup_commands = con.execute("SELECT count(*) FROM commands").fetchone()[0]

    writes, stop = Writes(), threading.Event()
    threads = [threading.Thread(target=client, args=(server, keys, writes, stop), daemon=True)
               for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    kills, deadline = 0, time.monotonic() + LOAD_SECONDS
    while True:
        pause = rng.uniform(*KILL_EVERY)
        if time.monotonic() + pause > deadline:
            time.sleep(max(0.0, deadline - time.monotonic()))
            break
        time.sleep(pause)
        server.stop(signal.SIGKILL)  # no clean shutdown, no checkpoint
        kills += 1
        server.start()
    stop.set()
    for t in threads:
        t.join(timeout=120)
        assert not t.is_alive(), "a client never got its last write acknowledged"

    print(f"\nrestart load (seed {SEED}): {len(writes.sent)} writes, {len(writes.acked)} "
          f"acknowledged ({writes.replayed} as replays of a write committed before a kill), "
          f"{len(writes.crossed)} writes retried ({writes.retries} retries), {kills} SIGKILLs, "
          f"{writes.rate_limited} rate-limited")
    assert not writes.errors, writes.errors[:5]
    assert kills >= LOAD_SECONDS // 10, kills  # lenient: restarts are slow on a busy machine
    assert set(writes.acked) == set(writes.sent)  # every client waited for its ack
    products = {n for n, (kind, _, _) in writes.sent.items() if kind == "product"}
    top_ups = {n: body for n, (kind, body, _) in writes.sent.items() if kind == "top_up"}
    assert len(products) > 100 and len(top_ups) > 100, "too little load to mean anything"

    # A replay returns the first answer: the write's own result and its own command.
    for n, doc in writes.acked.items():
        if n in products:
            assert doc["result"]["id"] == f"r{n}", doc
        else:
            assert doc["result"]["merchant"] == "m1", doc
            assert "deposit.topped_up" in [e["type"] for e in doc["events"]], doc
    seqs = [doc["command_seq"] for doc in writes.acked.values()]
    assert len(set(seqs)) == len(seqs), "two writes acknowledged with the same command"

    # Through the API: the store's pages hold every product exactly once; each product that
    # was in flight at a kill, and a sample of the others, read by id.
    api = server.client("operator")
    by_id = (products & writes.crossed) | set(rng.sample(sorted(products), 300))
    for n in sorted(by_id):
        r = api.get(f"/v1/products/r{n}")
        assert r.status_code == 200, (n, r.text)
        assert r.json()["price_fen"] == 1000 + n
    listed, after = [], None
    while True:
        params = {"limit": 200, **({"after": after} if after else {})}
        page = api.get("/v1/merchants/m1/products", params=params).json()
        listed += [p["id"] for p in page["products"]]
        after = page["next_after"]
        if not after:
            break
    assert sorted(listed) == sorted(f"r{n}" for n in products)
    # ... and the ledger: each payment ref once, the balance the opening plus every top-up once
    refs, after = [], 0
    while True:
        d = api.get("/v1/merchants/m1/deposit", params={"after": after, "limit": 200}).json()
        refs += [e["ref"] for e in d["entries"]]
        if d["next_after"] is None:
            break
        after = d["next_after"]
    assert sorted(refs) == sorted([OPEN_REF] + [f"pay-{n}" for n in top_ups])
    expected_balance = opening + sum(body["amount_fen"] for body in top_ups.values())
    assert d["balance_fen"] == expected_balance

    # In the file, read-only: rows counted, no duplicate, nothing unacknowledged.
    con = sqlite3.connect(f"file:{server.db}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [row[0] for row in con.execute("SELECT id FROM products WHERE merchant = 'm1'")]
        assert sorted(ids) == sorted(f"r{n}" for n in products)
        dup_refs = con.execute("SELECT ref, count(*) FROM deposit_entries GROUP BY merchant, ref"
                               " HAVING count(*) > 1").fetchall()
        assert dup_refs == []
        db_refs = [row[0] for row in con.execute(
            "SELECT ref FROM deposit_entries WHERE merchant = 'm1' AND kind = 'top_up'")]
        assert sorted(db_refs) == sorted([OPEN_REF] + [f"pay-{n}" for n in top_ups])
        # one command per write: a retry that was a replay stored nothing
        commands = con.execute("SELECT count(*) FROM commands").fetchone()[0]
        assert commands == setup_commands + len(writes.sent) + 1  # + the operator key above
        dup_keys = con.execute("SELECT idem_key, count(*) FROM commands WHERE idem_key IS NOT NULL"
                               " GROUP BY idem_key HAVING count(*) > 1").fetchall()
        assert dup_keys == []
    finally:
        con.close()
    balances = check_ledger(server, api)
    assert balances["m1"] == expected_balance
