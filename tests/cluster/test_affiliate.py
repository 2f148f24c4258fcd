"""The affiliate module in cluster mode (docs/scale-out.md, "Affiliate"), black-box: a promoter's
orders, devices, flags, alerts and statements are in its partition; a feed request that mixes
promoters is split by them and answered in its own order; conversion_outlier compares a
promoter with the item's rate over every promoter, whatever partition holds them, and decides
as one single-node database does (docs/affiliate.md, "Order review": 150% of the item's rate,
at least 20 orders of the promoter and 50 of the item)."""
import os
import sqlite3

import requests

import harness
from test_cluster import PARTITIONS, _balanced, _until, cluster, partition_of  # noqa: F401

HOME = partition_of("")


def _promoters(prefix, k):
    """k promoter ids in k different partitions, none the home partition."""
    out, seen = [], {HOME}
    for i in range(500):
        pid = f"{prefix}{i}"
        if partition_of(pid) not in seen:
            seen.add(partition_of(pid))
            out.append(pid)
        if len(out) == k:
            return out
    raise AssertionError("not enough partitions")


def _orders(promoter, n, confirmed, item="i-out"):
    """n orders of the promoter for the item, each paid; the first `confirmed` confirmed."""
    evs = []
    for k in range(n):
        order = f"o-{promoter}-{k}"
        evs.append({"event_id": f"e-{promoter}-{k}-paid", "type": "paid", "order": order,
                    "promoter": promoter, "merchant": "m-aff", "item": item,
                    "at": "2026-11-03T10:00:00Z", "amount_fen": 10000, "rate_bp": 500,
                    "buyer": {"id": f"b-{promoter}-{k}"}})
        if k < confirmed:
            evs.append({"event_id": f"e-{promoter}-{k}-conf", "type": "receipt_confirmed",
                        "order": order, "promoter": promoter, "merchant": "m-aff", "item": item,
                        "at": "2026-11-03T12:00:00Z", "settled_amount_fen": 10000})
    return evs


def _mixed(pa, pb):
    """pa converts 20 of 20, pb 4 of 40: the item's rate is 24 / 60, and pa is its outlier;
    the events interleaved, as a feed sends them."""
    a, b = _orders(pa, 20, 20), _orders(pb, 40, 4)
    out = []
    while a or b:
        if a:
            out.append(a.pop(0))
        if b:
            out.append(b.pop(0))
    return out


def _flags(base, key, order, busy_ok=False):
    """The order's flags as (rule, state, platform_paid, platform_confirmed); None when busy_ok
    and the read was busy (503: a partition moving). Never 404: an acknowledged order is
    there, also on a new owner (it answers once it has applied the stream)."""
    r = requests.get(f"{base}/v1/affiliate/orders/{order}", timeout=60,
                     headers={"Authorization": f"Bearer {key}"})
    if busy_ok and r.status_code == 503:
        return None
    assert r.status_code == 200, r.text
    return [(f["rule"], f["state"], f.get("evidence", {}).get("platform_paid"),
             f.get("evidence", {}).get("platform_confirmed")) for f in r.json()["flags"]]


def _orders_in(db_path):
    db = sqlite3.connect(db_path)
    try:
        return {row[0] for row in db.execute("SELECT order_id FROM aff_orders")}
    finally:
        db.close()


def test_orders_are_in_their_promoters_partition_and_the_outlier_sees_every_promoter(cluster):
    broker, nodes, keys = cluster
    op = {"Authorization": f"Bearer {keys['operator']}"}
    own = _balanced(nodes)
    pa, pb = _promoters("pr", 2)
    events = _mixed(pa, pb)

    # one request, both promoters: each event's outcome in the request's order
    r = requests.post(nodes[0].base + "/v1/affiliate/events", json={"events": events},
                      headers={**op, "Idempotency-Key": "mixed-1"}, timeout=60)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["applied"], body["duplicate"], body["held"], body["rejected"]) == (84, 0, 0, 0)
    assert [x["event_id"] for x in body["results"]] == [e["event_id"] for e in events]
    assert [x["order"] for x in body["results"]] == [e["order"] for e in events]

    # each promoter's orders in its own partition's database, and nowhere else
    for p, node in own.items():
        got = _orders_in(os.path.join(node.dir, f"p{p}.db"))
        want = {f"o-{x}-{k}" for x, n in ((pa, 20), (pb, 40)) for k in range(n)
                if partition_of(x) == p}
        assert got == want, (p, sorted(got)[:3])

    # the rate over every promoter reaches pa's partition: pa's orders are flagged with the
    # item's counts as one database has them; pb's are not
    assert _until(lambda: _flags(nodes[1].base, keys["operator"], f"o-{pa}-0")
                  == [("conversion_outlier", "open", 60, 24)], timeout=30), \
        _flags(nodes[1].base, keys["operator"], f"o-{pa}-0")
    assert _flags(nodes[0].base, keys["operator"], f"o-{pb}-0") == []

    # the same request again: answered from each partition's log, nothing twice
    r = requests.post(nodes[1].base + "/v1/affiliate/events", json={"events": events},
                      headers={**op, "Idempotency-Key": "mixed-1"}, timeout=60)
    assert r.status_code == 200 and r.json()["applied"] == 84 and r.json()["replayed"], r.text

    # the same events in a single-node server: the same flags
    with harness.single_node() as (base, key, _db):
        r = requests.post(base + "/v1/affiliate/events", json={"events": events},
                          headers={"Authorization": f"Bearer {key}", "Idempotency-Key": "m"},
                          timeout=60)
        assert r.status_code == 200, r.text
        for order in (f"o-{pa}-0", f"o-{pa}-19", f"o-{pb}-0", f"o-{pb}-39"):
            assert _flags(base, key, order) == _flags(nodes[0].base, keys["operator"], order)
        single_alerts = requests.get(base + "/v1/queue", timeout=60,
                                     headers={"Authorization": f"Bearer {key}"}
                                     ).json()["affiliate_alerts"]

    # an order's review goes to its promoter's partition, from either node
    r = requests.post(f"{nodes[1].base}/v1/affiliate/orders/o-{pa}-3/review", timeout=60,
                      json={"decision": "confirm"}, headers={**op, "Idempotency-Key": "rv-1"})
    assert r.status_code == 200, r.text
    got = requests.get(f"{nodes[0].base}/v1/affiliate/orders/o-{pa}-3", headers=op, timeout=60)
    assert got.json()["status"] == "invalid" and got.json()["reason"] == "violation", got.text

    # a claim on an order is kept where the order is decided, and its list shows it
    r = requests.post(nodes[0].base + "/v1/queue/claims", json={"item": f"o-{pb}-1"},
                      headers={**op, "Idempotency-Key": "cl-1"}, timeout=60)
    assert r.status_code == 201, r.text
    r = requests.get(f"{nodes[1].base}/v1/affiliate/orders?promoter={pb}&limit=200", headers=op,
                     timeout=60)
    listed = {o["id"]: o for o in r.json()["orders"]}
    assert len(listed) == 40 and listed[f"o-{pb}-1"].get("claimed_by") == "k-operator", r.text

    # staff's list across promoters: every order once, page by page
    seen, after = [], None
    while True:
        q = "limit=25" + (f"&after={after}" if after else "")
        page = requests.get(f"{nodes[1].base}/v1/affiliate/orders?{q}", headers=op,
                            timeout=60).json()
        seen += [o["id"] for o in page["orders"]]
        if not page["has_more"]:
            break
        after = page["next_after"]
    assert sorted(seen) == sorted({e["order"] for e in events})

    # the operator queue shows every partition's spike alerts, as one database does
    alerts = requests.get(nodes[0].base + "/v1/queue", headers=op,
                          timeout=60).json()["affiliate_alerts"]
    assert [a["id"] for a in alerts] == [a["id"] for a in single_alerts]
    assert {a["promoter"] for a in alerts} == {pa, pb}

    # a node is killed; then pb's other 36 orders are confirmed: the item's rate is 60 / 60 and
    # pa is no outlier any more. The surviving node, owning every partition, tells pa's
    # partition: its undecided flags are withdrawn; the operator's decision on o-pa-3 stays.
    nodes[0].kill()
    more = [{"event_id": f"e-{pb}-{k}-conf", "type": "receipt_confirmed", "order": f"o-{pb}-{k}",
             "promoter": pb, "merchant": "m-aff", "item": "i-out", "at": "2026-11-03T12:00:00Z",
             "settled_amount_fen": 10000} for k in range(4, 40)]
    assert _until(lambda: requests.post(
        nodes[1].base + "/v1/affiliate/events", json={"events": more}, timeout=60,
        headers={**op, "Idempotency-Key": "more-1"}).status_code == 200, timeout=60)
    assert _until(lambda: _flags(nodes[1].base, keys["operator"], f"o-{pa}-0", True) == [],
                  timeout=60), _flags(nodes[1].base, keys["operator"], f"o-{pa}-0", True)
    assert _flags(nodes[1].base, keys["operator"], f"o-{pa}-3") == [
        ("conversion_outlier", "confirmed", 60, 24)]


def test_a_promoters_devices_and_its_orders_are_read_together(cluster):
    broker, nodes, keys = cluster
    op = {"Authorization": f"Bearer {keys['operator']}"}
    _balanced(nodes)

    def paid(order, promoter, device, eid):
        return {"event_id": eid, "type": "paid", "order": order, "promoter": promoter,
                "merchant": "m-aff", "item": "i-aff", "at": "2026-11-03T10:00:00Z",
                "amount_fen": 10000, "rate_bp": 500,
                "buyer": {"id": f"b-{eid}", "device": device, "address_hash": f"h-{eid}"}}

    r = requests.post(nodes[0].base + "/v1/affiliate/events", timeout=60,
                      json={"events": [paid("oa1", "pa", "d-0", "e1"),
                                       paid("ob1", "pb", "d-0", "e2")]},
                      headers={**op, "Idempotency-Key": "aff-1"})
    assert r.status_code == 200 and r.json()["applied"] == 2, r.text
    r = requests.put(nodes[1].base + "/v1/promoters/pa", timeout=60,
                     json={"devices": ["d-self"], "address_hashes": []},
                     headers={**op, "Idempotency-Key": "aff-pa"})
    assert r.status_code in (200, 201), r.text
    r = requests.post(nodes[1].base + "/v1/affiliate/events", timeout=60,
                      json={"events": [paid("oa2", "pa", "d-self", "e3")]},
                      headers={**op, "Idempotency-Key": "aff-2"})
    assert r.status_code == 200 and r.json()["applied"] == 1, r.text
    for n in nodes:
        r = requests.get(n.base + "/v1/affiliate/orders?promoter=pa", headers=op, timeout=60)
        assert r.status_code == 200, r.text
        assert sorted(o["id"] for o in r.json()["orders"]) == ["oa1", "oa2"], r.text
        r = requests.get(n.base + "/v1/affiliate/orders/oa2", headers=op, timeout=60)
        assert r.status_code == 200, r.text
        assert [f["rule"] for f in r.json()["flags"]] == ["self_purchase"], r.text
        r = requests.get(n.base + "/v1/affiliate/orders/ob1", headers=op, timeout=60)
        assert r.status_code == 200 and r.json()["promoter"] == "pb", r.text
        r = requests.get(n.base + "/v1/affiliate/orders/nope", headers=op, timeout=60)
        assert r.status_code == 404, r.text
