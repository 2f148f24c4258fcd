"""Crash safety: every write the server acknowledged is there after a SIGKILL."""
import signal
import sqlite3
import threading

import requests

from conftest import COMPLETE

TOTAL = 10_000
THREADS = 8
KILL_AFTER = 4_000


def send(server, key, ids, acked, lock, stop):
    s = requests.Session()
    h = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    for i in ids:
        if stop.is_set():
            return
        body = {"id": f"c{i}", "merchant": "m1", "title": f"商品 {i}", "category": "fresh.fruit",
                "price_fen": 100 + i, **COMPLETE}
        try:
            r = s.post(server.base + "/v1/products", json=body,
                       headers={**h, "Idempotency-Key": f"crash-{i}"}, timeout=30)
        except requests.RequestException:
            return  # the server died under us: this write was not acknowledged
        if r.status_code == 201:
            with lock:
                acked.add(i)
        else:
            raise AssertionError(r.text)


def run_clients(server, key, todo, acked, kill_at=None):
    lock, stop = threading.Lock(), threading.Event()
    chunks = [todo[k::THREADS] for k in range(THREADS)]
    threads = [threading.Thread(target=send, args=(server, key, c, acked, lock, stop))
               for c in chunks]
    for t in threads:
        t.start()
    if kill_at is not None:
        while len(acked) < kill_at and any(t.is_alive() for t in threads):
            threading.Event().wait(0.005)
        server.proc.send_signal(signal.SIGKILL)  # no clean shutdown, no final checkpoint
        server.proc.wait()
        server.proc = None
        stop.set()
    for t in threads:
        t.join()


def test_acknowledged_writes_survive_sigkill(server):
    admin = server.admin()
    assert admin.post("/v1/merchants", {"id": "m1", "name": "n", "categories": ["fresh.fruit"]}).status_code == 201
    key = server.key("operator")
    acked = set()
    run_clients(server, key, list(range(TOTAL)), acked, kill_at=KILL_AFTER)
    killed_with = len(acked)
    assert KILL_AFTER <= killed_with < TOTAL

    con = sqlite3.connect(server.db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()

    server.start()
    op = server.api(key)
    for i in sorted(acked):
        r = op.get(f"/v1/products/c{i}")
        assert r.status_code == 200, (i, r.text)
        assert r.json()["price_fen"] == 100 + i

    # Retrying everything with the same keys finishes the job without duplicates.
    run_clients(server, key, list(range(TOTAL)), acked)
    assert len(acked) == TOTAL
    counts = server.db_counts()
    assert counts["products"] == TOTAL
    # one command per product, plus the clock's start (a logged move), the admin key, the
    # merchant and the operator key
    assert counts["commands"] == TOTAL + 4
