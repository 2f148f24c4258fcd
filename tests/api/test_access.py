"""Order access and logistics over HTTP (RULES.md §3): the order feed keeps a minimal record with
buyer data masked (and sealed, never in clear text); apps read a store's orders only while the
store's grant is on; carriers' tracking events come back in time order."""
import glob
import os
import subprocess

import pytest

from conftest import BIN, COMPLETE, error_code, open_store, serve_demo

BUYER = {"name": "张三丰", "phone": "13812345678", "address": "浙江省杭州市西湖区文三路 90 号 3 幢"}


def order_event(event_id, order_id="o1", merchant="m1", status="paid",
                at="2026-01-05T10:00:00+08:00", **extra):
    return {"event_id": event_id, "order_id": order_id, "merchant": merchant, "status": status,
            "at": at, **extra}


@pytest.fixture
def feed(server, operator):
    for mid in ("m1", "m2"):
        open_store(operator, mid, "fresh.fruit")
    ingest = server.client("ingest")
    r = ingest.post("/v1/orders/events", order_event(
        "e1", items=[{"product": "p1", "quantity": 2, "price_fen": 5990}],
        amounts={"total_fen": 11980, "paid_fen": 11980}, buyer=BUYER))
    assert r.status_code == 200, r.text
    return ingest


def test_buyer_data_is_masked_and_never_stored_in_clear(server, feed, operator):
    o = operator.get("/v1/orders/o1").json()
    assert o["buyer"] == {"name": "张**", "phone": "138****5678",
                          "address": "浙江省杭州市" + "*" * 15}
    assert (o["status"], o["amounts"]["total_fen"], o["items"][0]["quantity"]) == ("paid", 11980, 2)
    assert "buyer_sealed" not in o
    server.stop()  # everything on disk, WAL included
    for path in glob.glob(server.db + "*"):
        if path.endswith(".buyer-key") or os.path.isdir(path):
            continue
        raw = open(path, "rb").read()
        for clear in (BUYER["phone"], BUYER["name"], "文三路"):
            assert clear.encode() not in raw, (path, clear)
    # the offline key opens the sealed copy
    sealed = subprocess.run(["sqlite3", server.db, "SELECT buyer_sealed FROM orders"],
                            capture_output=True, text=True, check=True).stdout
    opened = subprocess.run([BIN, "buyer-data", "open", "--key", server.db + ".buyer-key"],
                            input=sealed, capture_output=True, text=True, check=True).stdout
    assert "13812345678" in opened and "张三丰" in opened
    server.start()


def test_feed_is_idempotent_by_event_id_and_orders_out_of_order_events(server, feed, operator):
    again = feed.post("/v1/orders/events", order_event(
        "e1", items=[{"product": "p1", "quantity": 2, "price_fen": 5990}],
        amounts={"total_fen": 11980, "paid_fen": 11980}, buyer=BUYER))
    assert again.status_code == 200 and again.json()["replayed"] is True
    r = feed.post("/v1/orders/events", order_event("e1", status="cancelled"))
    assert r.status_code == 409 and error_code(r) == "idempotency_conflict"
    # delivered (later) arrives before shipped (earlier): the status stays delivered
    assert feed.post("/v1/orders/events", order_event(
        "e3", status="delivered", at="2026-01-07T10:00:00+08:00")).status_code == 200
    assert feed.post("/v1/orders/events", order_event(
        "e2", status="shipped", at="2026-01-06T10:00:00+08:00")).status_code == 200
    o = operator.get("/v1/orders/o1").json()
    assert o["status"] == "delivered" and o["events"] == 3
    assert o["times"] == {"paid": "2026-01-05T02:00:00Z", "shipped": "2026-01-06T02:00:00Z",
                          "delivered": "2026-01-07T02:00:00Z"}
    evs = operator.get("/v1/events", params={"limit": 1000}).json()["events"]
    assert [e["type"] for e in evs if e["type"].startswith("order.")] == [
        "order.created", "order.updated", "order.updated"]
    # the order belongs to its store
    r = feed.post("/v1/orders/events", order_event("e9", merchant="m2"))
    assert r.status_code == 400 and error_code(r) == "invalid_value"


def test_apps_read_orders_only_while_granted(server, feed, operator):
    app = server.client("app:erp1")
    m1 = server.client("merchant:m1")
    r = app.get("/v1/orders", params={"merchant": "m1"})
    assert r.status_code == 403 and error_code(r) == "authorization_closed"
    r = m1.post("/v1/merchants/m1/grants", {"app": "erp1"})
    assert r.status_code == 200 and r.json()["result"]["status"] == "granted"
    r = app.get("/v1/orders", params={"merchant": "m1"})
    assert r.status_code == 200 and [o["id"] for o in r.json()["orders"]] == ["o1"]
    assert r.json()["orders"][0]["buyer"]["phone"] == "138****5678"
    assert app.get("/v1/orders/o1").status_code == 200
    # another store's orders: no grant there
    r = app.get("/v1/orders", params={"merchant": "m2"})
    assert r.status_code == 403 and error_code(r) == "authorization_closed"
    # revoked: the very next request is refused
    assert server.client("merchant:m1").raw("DELETE", "/v1/merchants/m1/grants/erp1").status_code == 200
    for path in ("/v1/orders/o1", "/v1/orders/o1/logistics"):
        r = app.get(path)
        assert r.status_code == 403 and error_code(r) == "authorization_closed"
    grants = m1.get("/v1/merchants/m1/grants").json()["grants"]
    assert [(g["app"], g["status"]) for g in grants] == [("erp1", "revoked")]
    # revoked again (a retry without its key): unchanged, as a grant given twice; a grant never
    # given is not found
    r = m1.raw("DELETE", "/v1/merchants/m1/grants/erp1")
    assert r.status_code == 200 and r.json()["result"]["changed"] is False, r.text
    assert r.json()["result"]["status"] == "revoked"
    r = m1.raw("DELETE", "/v1/merchants/m1/grants/erp9")
    assert r.status_code == 404 and error_code(r) == "not_found", r.text
    # every allowed access is in the audit log; a refusal once per store, grant state and minute
    # (the logistics read right after the refused order read is only counted)
    evs = operator.get("/v1/events", params={"limit": 1000}).json()["events"]
    access = [(e["type"], e["payload"]["what"]) for e in evs if e["type"].startswith("order.access")]
    assert access == [("order.access_denied", "orders"), ("order.accessed", "orders"),
                      ("order.accessed", "order"), ("order.access_denied", "orders"),
                      ("order.access_denied", "order")]
    # another store cannot revoke or grant for m1; apps cannot grant
    m2 = server.client("merchant:m2")
    assert m2.post("/v1/merchants/m1/grants", {"app": "erp1"}).status_code == 404
    assert app.post("/v1/merchants/m1/grants", {"app": "erp1"}).status_code == 403
    r = m1.raw("DELETE", "/v1/merchants/m1/grants/never")
    assert r.status_code == 404


def test_merchants_see_only_their_own_orders(server, feed):
    m1, m2 = server.client("merchant:m1"), server.client("merchant:m2")
    assert m1.get("/v1/orders").json()["orders"][0]["id"] == "o1"
    assert m2.get("/v1/orders").json()["orders"] == []
    r = m2.get("/v1/orders", params={"merchant": "m1"})  # m1 does not exist for m2
    assert r.status_code == 404 and error_code(r) == "not_found", r.text
    assert m2.get("/v1/orders/o1").status_code == 404
    assert m2.get("/v1/orders/o1/logistics").status_code == 404


def test_logistics_come_back_in_time_order(server, feed, operator):
    track = [("t3", "2026-01-06T18:00:00+08:00", "delivered", "已签收"),
             ("t1", "2026-01-05T18:00:00+08:00", "picked_up", "已揽收"),
             ("t2", "2026-01-06T08:00:00+08:00", "in_transit", "到达杭州转运中心")]
    for eid, at, status, desc in track:
        r = feed.post("/v1/orders/o1/logistics", {"event_id": eid, "at": at, "status": status,
                                                  "description": desc, "carrier": "SF"})
        assert r.status_code == 200 and r.json()["result"]["duplicate"] is False
    # pushed again, with or without a key: the event id is the key (a replay); the same id with
    # other content is a conflict naming event_id
    t1 = {"event_id": "t1", "at": track[1][1], "status": "picked_up", "description": "已揽收",
          "carrier": "SF"}
    assert feed.post("/v1/orders/o1/logistics", t1).json()["replayed"] is True
    r = feed.post("/v1/orders/o1/logistics", t1, idem="carrier-retry")
    assert r.status_code == 200 and r.json()["replayed"] is True
    r = feed.post("/v1/orders/o1/logistics", {**t1, "description": None, "carrier": None})
    assert r.status_code == 409 and r.json()["error"]["details"]["field"] == "event_id"
    for api in (operator, server.client("merchant:m1")):
        got = api.get("/v1/orders/o1/logistics").json()
        assert [e["event_id"] for e in got["events"]] == ["t1", "t2", "t3"]
        assert got["events"][0]["at"] == "2026-01-05T10:00:00Z"
    app = server.client("app:erp2")
    server.client("merchant:m1").post("/v1/merchants/m1/grants", {"app": "erp2"})
    assert [e["status"] for e in app.get("/v1/orders/o1/logistics").json()["events"]] == [
        "picked_up", "in_transit", "delivered"]
    r = feed.post("/v1/orders/nope/logistics", {"event_id": "x", "at": track[0][1], "status": "s"})
    assert r.status_code == 404


def test_bad_order_input_is_refused_and_changes_nothing(server, feed, operator):
    m1 = server.client("merchant:m1")
    before = server.db_counts()
    cases = [
        order_event("b1", status="teleported"),
        order_event("b2", buyer_masked={"phone": "13812345678"}),
        order_event("b2", buyer_masked={"phone": "138****5678"}, buyer_sealed="QUJD" * 20),
        order_event("b3", items=[{"product": "p1", "quantity": 0, "price_fen": 1}]),
        order_event("b4", amounts={"total_fen": -1}),
        order_event("b5", amounts={"tip_fen": 1}),
        order_event("b6", buyer={"phone": "1", "ssn": "x"}),
        order_event("b7", merchant="nobody"),
        {"order_id": "o2", "merchant": "m1", "status": "paid", "at": "2026-01-05T10:00:00Z"},
    ]
    for body in cases:
        r = feed.post("/v1/orders/events", body)
        assert 400 <= r.status_code < 500, (body, r.text)
    assert operator.post("/v1/orders/events", order_event("b8")).status_code == 200
    assert m1.post("/v1/orders/events", order_event("b9")).status_code == 403
    after = server.db_counts()
    assert after["commands"] == before["commands"] + 1


def field_of(r):
    return r.json()["error"]["details"].get("field")


def test_clients_cannot_send_masked_or_sealed_buyer_data(server, feed, operator):
    """Only the server masks and seals: what a client calls masked or sealed is refused, with or
    without a clear buyer beside it, and changes nothing."""
    before = server.db_counts()
    masked = {"name": "张**", "phone": "138****5678", "address": "浙江省*******"}
    cases = [
        (order_event("s1", buyer_masked=masked, buyer_sealed="QUJD" * 20), "buyer_masked"),
        (order_event("s2", buyer_masked={"phone": "13812345678*"}), "buyer_masked"),
        (order_event("s3", buyer_sealed="QUJD" * 20), "buyer_sealed"),
        (order_event("s4", buyer=BUYER, buyer_masked=masked), "buyer_masked"),
        (order_event("s5", buyer=BUYER, buyer_sealed="QUJD" * 20), "buyer_sealed"),
    ]
    for body, field in cases:
        for api in (feed, operator):
            r = api.post("/v1/orders/events", body)
            assert r.status_code == 400 and error_code(r) == "unknown_field", (body, r.text)
            assert field_of(r) == field and "buyer" in r.json()["error"]["message"]
    assert server.db_counts() == before
    assert operator.get("/v1/orders", params={"merchant": "m1"}).json()["orders"][0]["id"] == "o1"


def test_masks_show_at_most_a_third(server, feed, operator):
    """An 11-digit mobile keeps 3 + 4; any other number at most a third of its digits; a name
    its first character from three characters on; an address its division prefix within a
    third. Nothing clear comes back."""
    cases = [
        ({"phone": "1234567"}, {"phone": "*****67"}),
        ({"phone": "12345678"}, {"phone": "******78"}),
        ({"phone": "0571-88886666"}, {"phone": "********6666"}),
        ({"phone": "13812345678"}, {"phone": "138****5678"}),
        ({"name": "张三"}, {"name": "**"}),
        ({"name": "欧阳娜娜"}, {"name": "欧***"}),
        ({"address": "北京朝阳区"}, {"address": "*****"}),
        ({"address": "北京市朝阳区建国路 88 号"}, {"address": "北京市" + "*" * 11}),
    ]
    for i, (buyer, want) in enumerate(cases):
        oid = f"q{i}"
        r = feed.post("/v1/orders/events", order_event(f"q{i}", order_id=oid, buyer=buyer))
        assert r.status_code == 200, r.text
        got = operator.get(f"/v1/orders/{oid}").json()["buyer"]
        assert got == want, (buyer, got)


def test_a_feed_event_is_applied_once_whoever_sends_it(server, feed, operator):
    """The event id alone keys a fact: another caller, or the same one with an Idempotency-Key,
    gets the first answer back and nothing is applied again."""
    body = order_event("e1", items=[{"product": "p1", "quantity": 2, "price_fen": 5990}],
                       amounts={"total_fen": 11980, "paid_fen": 11980}, buyer=BUYER)
    other_ingest = server.client("ingest")
    before = server.db_counts()
    for api, idem in ((operator, None), (feed, "retry-1"), (operator, "op-7"),
                      (other_ingest, None)):
        r = api.post("/v1/orders/events", body, idem=idem)
        assert r.status_code == 200 and r.json()["replayed"] is True, r.text
    after = server.db_counts()
    assert (after["commands"], after["events"]) == (before["commands"], before["events"])
    assert operator.get("/v1/orders/o1").json()["events"] == 1
    # the same id with other content, under any key, is a conflict naming event_id
    r = operator.post("/v1/orders/events", order_event("e1", status="cancelled"), idem="op-8")
    assert r.status_code == 409 and error_code(r) == "idempotency_conflict"
    assert field_of(r) == "event_id"
    # tracking events alike
    t = {"event_id": "t1", "at": "2026-01-05T18:00:00+08:00", "status": "picked_up"}
    assert feed.post("/v1/orders/o1/logistics", t).json()["replayed"] is False
    for api, idem in ((operator, None), (feed, "k-9")):
        r = api.post("/v1/orders/o1/logistics", t, idem=idem)
        assert r.status_code == 200 and r.json()["replayed"] is True, r.text
    assert len(operator.get("/v1/orders/o1/logistics").json()["events"]) == 1


def test_event_ids_are_any_printable_utf8(server, feed, operator):
    """Spaces and CJK are fine in an event id (and deduplicated as well); control characters or
    more than 128 bytes are refused naming event_id, never the Idempotency-Key."""
    for eid in ("订单 42 已支付", "evt 2", "é" * 64):
        r = feed.post("/v1/orders/events", order_event(eid, status="shipped"))
        assert r.status_code == 200 and r.json()["replayed"] is False, (eid, r.text)
        r = feed.post("/v1/orders/events", order_event(eid, status="shipped"))
        assert r.status_code == 200 and r.json()["replayed"] is True, (eid, r.text)
    t = {"event_id": "运单 7 已揽收", "at": "2026-01-05T18:00:00+08:00", "status": "picked_up"}
    assert feed.post("/v1/orders/o1/logistics", t).status_code == 200
    before = server.db_counts()
    for eid in ("a\tb", "bell\u0007", "x" * 129, "é" * 65, ""):
        for path, body in (("/v1/orders/events", order_event(eid)),
                           ("/v1/orders/o1/logistics", {**t, "event_id": eid})):
            r = feed.post(path, body)
            assert r.status_code == 400 and field_of(r) == "event_id", (path, eid, r.text)
            assert "Idempotency-Key" not in r.text
    assert server.db_counts() == before
    assert operator.get("/v1/orders/o1").json()["events"] == 1 + 3


def test_a_cursor_of_another_store_answers_as_an_unknown_one(server, feed, operator):
    """after= naming another store's object and after= naming nothing give the same answer, for
    orders, products and violations: a store cannot tell whether another's id exists."""
    assert feed.post("/v1/orders/events", order_event("x1", order_id="o2",
                                                      merchant="m2")).status_code == 200
    m1, m2 = server.client("merchant:m1"), server.client("merchant:m2")
    for body in ({"id": "p1", "merchant": "m1"}, {"id": "p2", "merchant": "m2"}):
        r = operator.post("/v1/products", {**body, "title": "橙子", "category": "fresh.fruit",
                                           "price_fen": 990, **COMPLETE})
        assert r.status_code == 201, r.text
    for pid in ("p1", "p2"):
        r = operator.post("/v1/violations", {"product": pid, "type": "external_diversion",
                                             "severity": "minor", "evidence": ["x"]})
        assert r.status_code == 201, r.text
    v2 = operator.get("/v1/violations", params={"merchant": "m2"}).json()["violations"][0]["id"]
    lists = [("/v1/orders", {}, "o2", "o9"),
             ("/v1/merchants/m1/products", {}, "p2", "p9"),
             ("/v1/violations", {}, v2, "v999")]
    for path, params, others, unknown in lists:
        a = m1.get(path, params={**params, "after": others})
        b = m1.get(path, params={**params, "after": unknown})
        assert a.status_code == b.status_code == 400, (path, a.text, b.text)
        assert error_code(a) == error_code(b) == "invalid_value"
        assert field_of(a) == field_of(b) == "after"
        assert a.json()["error"]["message"] == f"unknown cursor '{others}'"
        assert b.json()["error"]["message"] == f"unknown cursor '{unknown}'"
    # the store's own ids are cursors; the other store's are its own
    assert m1.get("/v1/orders", params={"after": "o1"}).json()["orders"] == []
    assert m2.get("/v1/orders", params={"after": "o2"}).status_code == 200
    assert m1.get("/v1/merchants/m1/products", params={"after": "p1"}).status_code == 200


def test_demo_orders_go_through_the_server_side_masking():
    """--demo seeds its order with a clear buyer through the same masking and sealing as the
    feed: its masks follow the rule, and a second start replays it instead of applying it."""
    import signal
    import tempfile
    import requests
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "sw.db")
        for run in range(2):
            p, out, keys, base = serve_demo(db)
            try:
                o = requests.get(base + "/v1/orders/o1", timeout=10, headers={
                    "Authorization": "Bearer " + keys["merchant:m2"]}).json()
                assert o["buyer"] == {"name": "李**", "phone": "139****5678",
                                      "address": "广东省" + "*" * 14}, o
                assert o["events"] == 1
            finally:
                p.send_signal(signal.SIGTERM)
                assert p.wait(timeout=60) == 0
        raw = b"".join(open(f, "rb").read() for f in (db, db + "-wal") if os.path.exists(f))
        assert "13912345678".encode() not in raw and "李小龙".encode() not in raw
