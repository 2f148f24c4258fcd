"""One list convention (issue 11, docs/api.md "Lists" and "Event feed"): every list answers
{"<items>": [...], "next_after": ..., "has_more": bool}; paging with a small limit gives every
item once and ends on has_more false with next_after null; a query parameter a route does not
take is 400 unknown_parameter; the filters; a store reads its own partition of the event log;
GET /v1/events long-polls with wait= without holding the server's threads."""
import threading
import time
from datetime import datetime

import pytest
import requests

from conftest import COMPLETE, error_code, on_sale, open_store, run_cli

WECHAT = "加微信 abc12345 了解更多"
CLAIMS = "美白祛斑精华"  # queued for an operator: a pending violation
N = 5

# Every list route: the member its items are under, the member of an item that is its cursor,
# and the parameters that name what to list.
LISTS = {
    "GET /v1/events": ("events", "seq", {}),
    "GET /v1/admin/timers": ("timers", None, {}),  # cursor: opaque (due and id)
    "GET /v1/merchants": ("merchants", "id", {}),
    "GET /v1/merchants/{id}/products": ("products", "id", {}),
    "GET /v1/violations": ("violations", "id", {}),
    "GET /v1/queue": ("pending_violations", "id", {}),
    "GET /v1/queue/claims": ("claims", "item", {}),
    "GET /v1/notes": ("notes", "id", {"subject": "m1"}),
    "GET /v1/approvals": ("approvals", "id", {}),
    "GET /v1/merchants/{id}/deposit": ("entries", "seq", {}),
    "GET /v1/orders": ("orders", "id", {"merchant": "m1"}),
    "GET /v1/merchants/{id}/grants": ("grants", "app", {}),
    "GET /v1/admin/keys": ("keys", "id", {}),
    "GET /v1/merchants/{id}/qualifications": ("qualifications", "id", {}),
    "GET /v1/promotions": ("promotions", "id", {"merchant": "m1"}),
    "GET /v1/filings": ("filings", "id", {"merchant": "m1"}),
    "GET /v1/distributions": ("distributions", "id", {"merchant": "m2"}),
    "GET /v1/live-sessions": ("live_sessions", "id", {"merchant": "m1"}),
    "GET /v1/merchants/{id}/notifications": ("notifications", "id", {}),
    "GET /v1/affiliate/orders": ("orders", "id", {}),
    "GET /v1/affiliate/held": ("held", "event_id", {}),
}
# Lists whose items need the clock moved (which the world above must not do: its timers would
# fire): paged by their own test below.
LISTS_ELSEWHERE = {"GET /v1/affiliate/statements", "GET /v1/affiliate/alerts"}
# GET routes that answer one object, not a list (their arrays are parts of that object).
NOT_LISTS = {
    "GET /healthz", "GET /metrics", "GET /v1/policy", "GET /v1/admin/policy",
    "GET /v1/admin/maintenance",
    "GET /v1/admin/clock", "GET /v1/merchants/{id}", "GET /v1/products/{id}",
    "GET /v1/violations/{id}", "GET /v1/appeals/{id}", "GET /v1/admin/rescans/{id}", "GET /v1/orders/{id}",
    "GET /v1/orders/{id}/logistics", "GET /v1/qualifications/{id}", "GET /v1/promotions/{id}",
    "GET /v1/streamers/{id}", "GET /v1/filings/{id}", "GET /v1/filings/{id}/history",
    "GET /v1/distributions/{id}", "GET /v1/live-sessions/{id}", "GET /v1/merchants/{id}/badge",
    "GET /v1/affiliate/orders/{id}", "GET /v1/affiliate/statements/{id}",
    "GET /v1/me", "GET /v1/approvals/{id}",
    # a report: one row per rule and policy version, a small set, not paged
    "GET /v1/admin/rules/quality",
    # one replay job; its differences page as a list does (test_replay.py pages them)
    "GET /v1/admin/replays/{id}", "GET /v1/admin/policy/shadow",
}


def instant(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def server_routes():
    return [line for line in run_cli("routes").stdout.splitlines() if line]


def concrete(path):
    return path.replace("{id}", "m1").replace("{app}", "erp1")


@pytest.fixture
def world(server, operator):
    """Five of everything a list shows: stores, products, violations in force (with appeals
    and so timers), pending violations, orders, grants, deposit entries."""
    for i in range(1, N + 1):
        open_store(operator, f"m{i}", "beauty.skincare")
    m1, m2 = server.client("merchant:m1"), server.client("merchant:m2")
    for i in range(N):
        assert m1.post("/v1/products", {"id": f"x{i}", "title": "身体乳", "category":
                                        "beauty.skincare", "price_fen": 100 + i,
                                        **COMPLETE}).status_code == 201
        assert operator.post("/v1/merchants/m1/deposit/top-ups",
                             {"amount": "5000.00", "ref": f"pay-{i}"}).status_code == 201
    for i in range(N):
        r = on_sale(m1, {"id": f"w{i}", "title": "面霜", "category": "beauty.skincare",
                         "price": "89.00", "detail": WECHAT, **COMPLETE})
        assert r.status_code == 201, r.text
        r = on_sale(m1, {"id": f"e{i}", "title": CLAIMS, "category":
                         "beauty.skincare", "price": "199.00", **COMPLETE})
        assert r.status_code == 201, r.text
    vs = operator.get("/v1/violations", params={"merchant": "m1", "status": "in_force"}).json()
    for v in vs["violations"]:
        assert m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "误判"}).status_code == 201
    ingest = server.client("ingest")
    for i in range(N):
        r = ingest.post("/v1/orders/events", {
            "event_id": f"ev{i}", "order_id": f"o{i}", "merchant": "m1", "status": "paid",
            "at": "2026-01-05T10:00:00+08:00",
            "items": [{"product": "x0", "quantity": 1, "price_fen": 100}],
            "amounts": {"total_fen": 100, "paid_fen": 100}})
        assert r.status_code == 200, r.text
        server.key(f"app:erp{i}")
        assert m1.post("/v1/merchants/m1/grants", {"app": f"erp{i}"}).status_code == 200
    for i in range(N):
        assert m1.post("/v1/merchants/m1/qualifications", {
            "code": "cosmetics_filing", "documents": [f"f/{i}.pdf"],
            "expires_on": "2027-01-31"}).status_code == 201
    for i in range(N):
        r = m1.post("/v1/promotions", {"product": "x0", "price_fen": 100 + i,
                                       "estimated_exposure": 10, "duration_hours": 1})
        assert r.status_code == 201, r.text
    assert m2.post("/v1/products", {"id": "y0", "title": "赣南脐橙", "category": "beauty.skincare",
                                    "price_fen": 5990, **COMPLETE}).status_code == 201
    # filing: a designated streamer of m1 (each m1 product gets a record), streamers who
    # distribute m2's product, sessions of m1 with an ordinary streamer
    for i in range(N):
        r = operator.put(f"/v1/streamers/s{i}", {"nickname": f"达人{i}", "designated": True,
                                                 **({"merchant": "m1"} if i == 0 else {})})
        assert r.status_code == 201, r.text
        r = server.client(f"streamer:s{i}").post("/v1/distributions", {"product": "y0"})
        assert r.status_code == 201, r.text
        r = m1.post("/v1/live-sessions", {"streamer": "plain", "start": "2026-03-02T12:00:00Z",
                                          "products": ["x0"]})
        assert r.status_code == 201, r.text
    # affiliate: five orders, each with a receipt waiting for its payment (held)
    ingest = server.client("ingest")
    r = ingest.post("/v1/affiliate/events", {"events": [
        {"event_id": f"aff-{i}", "type": "receipt_confirmed", "order": f"ao{i}", "promoter": "px",
         "merchant": "m1", "item": "i1", "at": "2026-01-05T10:00:00+08:00",
         "settled_amount_fen": 100} for i in range(N)]})
    assert r.status_code == 200 and r.json()["held"] == N, r.text
    # badge reminders: m1 becomes eligible, is reminded and dismisses, five times over
    base = ["seven_day_return", "authenticity_guarantee", "return_shipping_insurance",
            "doorstep_pickup", "fast_refund_unshipped", "allergy_return"]
    for i in range(N):
        for services in (base, base[:1]):
            r = m1.put("/v1/merchants/m1/services", {"services": services})
            assert r.status_code == 200, r.text
            if services is base:
                r = m1.post("/v1/merchants/m1/badge/reminder/dismiss", {})
                assert r.status_code == 200, r.text
    return {"op": operator, "m1": m1, "m2": m2, "admin": server.admin()}


# issue 18's lists: the world gets their items only for their own test (the event log of the
# world must stay within one page of 200 for GET /v1/events).
QUEUE_LISTS = {"GET /v1/queue/claims", "GET /v1/notes", "GET /v1/approvals"}


def add_queue_items(operator):
    """Claims on three items, three notes on m1, three clearances waiting for approval."""
    for i in range(3):
        assert operator.post("/v1/queue/claims", {"item": f"c{i}"}).status_code == 201
        assert operator.post("/v1/notes", {"subject": "m1", "text": f"note {i}"}).status_code == 201
        r = operator.post(f"/v1/merchants/m{i + 1}/clear", {"reason": "lists"})
        assert r.status_code == 202, r.text


def pages(api, path, params, limit):
    """Every page of a list, following next_after."""
    out, after = [], None
    for _ in range(1000):
        q = {**params, "limit": limit, **({"after": after} if after is not None else {})}
        r = api.get(path, params=q)
        assert r.status_code == 200, r.text
        out.append(r.json())
        after = out[-1]["next_after"]
        if after is None:
            return out
    raise AssertionError("no last page")


def test_every_get_route_is_classified_as_list_or_object():
    gets = {r for r in server_routes() if r.startswith("GET ")}
    unknown = gets - set(LISTS) - NOT_LISTS - LISTS_ELSEWHERE
    assert not unknown, f"GET routes to classify in test_lists.py (a list follows the convention): {unknown}"
    assert set(LISTS) <= gets


@pytest.mark.parametrize("route", sorted(LISTS))
def test_every_list_has_the_shape_and_pages_each_item_once(world, route):
    items, cursor, params = LISTS[route]
    path = concrete(route.split(" ", 1)[1])
    api = world["admin"] if route == "GET /v1/admin/keys" else world["op"]
    if route in QUEUE_LISTS:
        add_queue_items(world["op"])
    whole = api.get(path, params={**params, "limit": 200}).json()
    assert {items, "next_after", "has_more"} <= set(whole), whole.keys()
    assert whole["has_more"] is False and whole["next_after"] is None
    assert len(whole[items]) >= 3, f"{route}: the world should hold a few {items}"
    got = pages(api, path, params, 2)
    for page in got[:-1]:
        assert page["has_more"] is True and len(page[items]) == 2
        if cursor:
            assert page["next_after"] == page[items][-1][cursor]
    assert got[-1]["has_more"] is False and got[-1]["next_after"] is None
    assert 1 <= len(got[-1][items]) <= 2  # a full last page says has_more false, not "maybe"
    flat = [x for page in got for x in page[items]]
    assert flat == whole[items]


def test_a_full_last_page_has_no_next(world):
    op = world["op"]
    n = len(op.get("/v1/merchants").json()["merchants"])
    page = op.get("/v1/merchants", params={"limit": n}).json()
    assert len(page["merchants"]) == n and page["has_more"] is False
    assert page["next_after"] is None


STORE_ONLY = {"POST /v1/promotions", "POST /v1/filings/pk", "POST /v1/filings/{id}/submit",
              "POST /v1/filings/{id}/withdraw", "POST /v1/live-sessions",
              "POST /v1/live-sessions/{id}/cart", "POST /v1/merchants/{id}/badge/activate",
              "POST /v1/merchants/{id}/badge/close",
              "POST /v1/merchants/{id}/badge/reminder/dismiss"}
STREAMER_ONLY = {"POST /v1/distributions"}


def test_unknown_and_repeated_parameters_are_refused_on_every_route(server):
    admin = server.admin()
    open_store(server.client("operator"), "m1", "beauty.skincare")
    store = server.client("merchant:m1")  # for the routes only a store may use
    streamer = server.client("streamer:s1")
    for route in server_routes():
        method, path = route.split(" ", 1)
        url = admin.base + concrete(path)
        who = store if route in STORE_ONLY else streamer if route in STREAMER_ONLY else admin
        r = who.s.request(method, url + "?bogus=1", headers=who.headers(), timeout=60)
        assert r.status_code == 400, f"{route}: {r.status_code} {r.text}"
        e = r.json()["error"]
        assert (e["code"], e["details"].get("field")) == ("unknown_parameter", "bogus"), f"{route}: {e}"
    for route in LISTS:
        url = admin.base + concrete(route.split(" ", 1)[1])
        r = admin.s.get(url + "?limit=1&limit=2", headers=admin.headers(), timeout=60)
        assert r.status_code == 400 and error_code(r) == "invalid_value", r.text
        assert r.json()["error"]["details"]["field"] == "limit"
    # a misspelt filter is not ignored (it would list everything)
    r = admin.get("/v1/violations", params={"stauts": "pending"})
    assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "stauts"


def test_merchants_by_status(world, server):
    op = world["op"]
    assert op.post("/v1/merchants/m3/restrict", {"reason": "check"}).status_code == 200
    restricted = op.get("/v1/merchants", params={"status": "restricted"}).json()
    assert "m3" in [m["id"] for m in restricted["merchants"]]
    assert all(m["status"] == "restricted" for m in restricted["merchants"])
    active = op.get("/v1/merchants", params={"status": "active"}).json()["merchants"]
    assert "m3" not in [m["id"] for m in active] and "m2" in [m["id"] for m in active]
    r = op.get("/v1/merchants", params={"status": "closed"})
    assert r.status_code == 400 and error_code(r) == "invalid_value"
    assert r.json()["error"]["details"]["field"] == "status"


def test_violations_by_product_type_and_time(world, server):
    op, m1 = world["op"], world["m1"]
    by_product = op.get("/v1/violations", params={"product": "w2"}).json()["violations"]
    assert [v["product"] for v in by_product] == ["w2"]
    kinds = {v["type"] for v in op.get("/v1/violations", params={"limit": 200}).json()["violations"]}
    assert len(kinds) >= 2
    for t in kinds:
        vs = op.get("/v1/violations", params={"type": t, "limit": 200}).json()["violations"]
        assert vs and all(v["type"] == t for v in vs)
    r = op.get("/v1/violations", params={"type": "no_such_type"})
    assert r.status_code == 400 and error_code(r) == "invalid_value" and r.json()["error"]["details"]["field"] == "type"
    # time: from inclusive, to exclusive, on created_at
    assert op.post("/v1/admin/clock", {"now": "2026-01-06T09:00:00+08:00"}).status_code == 200
    r = op.post("/v1/violations", {"product": "x1", "type": "external_diversion",
                                   "severity": "minor", "evidence": ["x"]})
    assert r.status_code == 201, r.text
    late = r.json()["result"]
    at = late["created_at"]
    got = op.get("/v1/violations", params={"from": at}).json()["violations"]
    assert [v["id"] for v in got] == [late["id"]]
    assert late["id"] not in [v["id"] for v in op.get(
        "/v1/violations", params={"to": at, "limit": 200}).json()["violations"]]
    assert op.get("/v1/violations", params={"from": at, "to": at}).json()["violations"] == []
    assert [v["id"] for v in op.get("/v1/violations", params={
        "from": "2026-01-06T00:00:00+08:00", "to": "2026-01-07T00:00:00+08:00"}).json()["violations"]] == [late["id"]]
    # a store's filters apply within what it may see
    mine = m1.get("/v1/violations", params={"product": "x1"}).json()["violations"]
    assert [v["id"] for v in mine] == [late["id"]]
    for bad in ({"from": "yesterday"}, {"to": "2026-13-01T00:00:00Z"},
                {"from": "2026-01-07T00:00:00Z", "to": "2026-01-06T00:00:00Z"}):
        r = op.get("/v1/violations", params=bad)
        assert r.status_code == 400 and error_code(r) == "invalid_value", (bad, r.text)
        assert r.json()["error"]["details"]["field"] in bad


def test_events_by_type_merchant_subject_and_time(world, server):
    admin = world["admin"]
    every = [e for p in pages(admin, "/v1/events", {}, 1000) for e in p["events"]]
    listed = admin.get("/v1/events", params={"type": "product.created", "limit": 1000}).json()
    assert listed["events"] == [e for e in every if e["type"] == "product.created"]
    m2 = admin.get("/v1/events", params={"merchant": "m2", "limit": 1000}).json()["events"]
    assert m2 == [e for e in every if e["merchant"] == "m2"] and m2
    w1 = admin.get("/v1/events", params={"subject": "w1", "limit": 1000}).json()["events"]
    assert w1 == [e for e in every if e["subject"] == "w1"] and w1
    both = admin.get("/v1/events", params={"merchant": "m1", "type": "product.created",
                                           "limit": 1000}).json()["events"]
    assert both == [e for e in every if e["merchant"] == "m1" and e["type"] == "product.created"]
    # paging a filtered feed gives each event once
    got = [e for p in pages(admin, "/v1/events", {"merchant": "m2"}, 1) for e in p["events"]]
    assert got == m2
    assert admin.post("/v1/admin/clock", {"now": "2026-01-06T09:00:00+08:00"}).status_code == 200
    r = world["op"].post("/v1/merchants/m4/restrict", {"reason": "late"})
    late = r.json()["events"][0]["seq"]
    every = [e for p in pages(admin, "/v1/events", {}, 1000) for e in p["events"]]
    # on the event's instant, from inclusive, to exclusive; not on seq: an event written by
    # the CLI on the system clock stands where it was written
    cut = "2026-01-06T01:00:00Z"
    since = admin.get("/v1/events", params={"from": cut, "limit": 1000}).json()["events"]
    assert late in [e["seq"] for e in since]
    assert since == [e for e in every if instant(e["at"]) >= instant(cut)]
    before = admin.get("/v1/events", params={"to": cut, "limit": 1000}).json()["events"]
    assert before == [e for e in every if instant(e["at"]) < instant(cut)] and before
    span = admin.get("/v1/events", params={"from": every[-1]["at"], "to": every[-1]["at"]})
    assert span.json()["events"] == []
    for bad in ({"type": "Product Created"}, {"from": "now"}, {"merchant": "m 1"},
                {"subject": ""}, {"wait": "31"}, {"wait": "-1"}, {"after": "x"}):
        r = admin.get("/v1/events", params=bad)
        assert r.status_code == 400 and error_code(r) == "invalid_value", (bad, r.text)


def test_a_store_reads_only_its_own_partition(world, server):
    m1, m2, admin = world["m1"], world["m2"], world["admin"]
    staff = [e for p in pages(admin, "/v1/events", {"merchant": "m1"}, 1000) for e in p["events"]]
    mine = [e for p in pages(m1, "/v1/events", {}, 1000) for e in p["events"]]
    assert mine and all(e["merchant"] == "m1" for e in mine)
    # pending violations are not on a store's record (RULES.md §3): nor in its feed
    types = {e["type"] for e in mine}
    assert "violation.queued" in {e["type"] for e in staff} and "violation.queued" not in types
    assert "violation.enforced" in types and "product.created" in types
    # the platform's people are hidden behind their roles (docs/api.md "Event feed")
    seen = {e["seq"] for e in mine}
    hidden = [e for e in staff if e["seq"] not in seen]
    assert all(e["type"].startswith("violation.") for e in hidden), hidden
    for e in mine:
        if e["actor"]["role"] != "merchant:m1":
            assert e["actor"]["key"] is None and e["actor"]["label"] is None, e
    pending = {e["subject"] for e in staff if e["type"] == "violation.queued"}
    assert not pending & {e["subject"] for e in mine}
    # the same filter through the store's key gives the same events as the store's page
    assert m1.get("/v1/events", params={"merchant": "m1", "limit": 1000}).json()["events"] == mine[:1000]
    # another store's partition, named: the same answer as a store that does not exist
    other = m1.get("/v1/events", params={"merchant": "m2"})
    none = m1.get("/v1/events", params={"merchant": "m-none"})
    assert other.status_code == none.status_code == 404
    assert error_code(other) == error_code(none) == "not_found"
    theirs = m2.get("/v1/events", params={"limit": 1000}).json()["events"]
    assert theirs and all(e["merchant"] == "m2" for e in theirs)
    assert not any("m1" in str(e["payload"]) for e in theirs)
    # platform events (keys, maintenance) name no store: no store sees them
    assert not any(e["type"].startswith(("key.", "admin.")) for e in mine + theirs)


def _timed_get(api, path, params):
    t0 = time.monotonic()
    r = api.get(path, params=params)
    return r, time.monotonic() - t0


def test_long_poll_answers_when_an_event_commits(world, server):
    op, m1 = world["op"], world["m1"]
    last = m1.get("/v1/events", params={"limit": 1000}).json()["events"][-1]["seq"]
    # a store follows its feed; another store's event does not wake it with an answer
    res = {}
    t = threading.Thread(target=lambda: res.update(
        zip(("r", "dt"), _timed_get(m1, "/v1/events", {"after": last, "wait": 10}))))
    t.start()
    time.sleep(0.5)
    assert op.post("/v1/merchants/m2/restrict", {"reason": "other"}).status_code == 200
    time.sleep(0.5)
    assert op.post("/v1/merchants/m1/restrict", {"reason": "mine"}).status_code == 200
    t.join(15)
    assert res["r"].status_code == 200, res["r"].text
    evs = res["r"].json()["events"]
    assert evs and evs[0]["merchant"] == "m1" and evs[0]["type"].startswith("merchant.")
    assert 0.9 < res["dt"] < 3, res["dt"]


def test_long_poll_times_out_with_an_empty_page(world, server):
    admin = world["admin"]
    r, dt = _timed_get(admin, "/v1/events", {"merchant": "m-none", "wait": 2})
    assert r.status_code == 200 and r.json() == {"events": [], "next_after": None, "has_more": False}
    assert 1.9 < dt < 4, dt
    # events newer than `after` already there: no wait at all
    r, dt = _timed_get(admin, "/v1/events", {"after": 0, "limit": 1, "wait": 30})
    assert r.json()["events"] and dt < 1.5
    r = admin.get("/v1/events", params={"wait": 31})
    assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "wait"


def test_waiters_do_not_hold_the_server(world, server):
    admin, op = world["admin"], world["op"]
    last = admin.get("/v1/events", params={"limit": 1, "type": "product.created"}).json()
    done = []

    def follow():
        s = requests.Session()
        r = s.get(admin.base + "/v1/events", params={"merchant": "m5", "after": 10**9 - 1,
                                                      "wait": 6},
                  headers=admin.headers(), timeout=30)
        done.append(r.status_code)

    threads = [threading.Thread(target=follow) for _ in range(20)]  # the server has 8 threads
    for t in threads:
        t.start()
    time.sleep(1)
    t0 = time.monotonic()
    for _ in range(10):
        assert op.get("/v1/merchants/m1").status_code == 200
    assert op.post("/v1/merchants/m3/restrict", {"reason": "busy"}).status_code == 200
    assert time.monotonic() - t0 < 2, "20 long polls held the server"
    assert last["events"]
    for t in threads:
        t.join(20)
    assert done == [200] * 20


def test_a_malformed_timer_cursor_is_refused(world):
    op = world["op"]
    for bad in ("x", "1", "1.", ".1", "1.2.3", "1.-2"):
        r = op.get("/v1/admin/timers", params={"after": bad})
        assert r.status_code == 400 and error_code(r) == "invalid_value", (bad, r.text)


def test_shutdown_answers_the_waiting_requests(server):
    admin = server.admin()
    done = []

    def follow():
        s = requests.Session()
        t0 = time.monotonic()
        try:
            r = s.get(admin.base + "/v1/events", params={"after": 10**9, "wait": 30},
                      headers=admin.headers(), timeout=60)
            done.append((r.status_code, time.monotonic() - t0))
        except requests.ConnectionError:
            done.append((None, time.monotonic() - t0))

    threads = [threading.Thread(target=follow) for _ in range(5)]
    for t in threads:
        t.start()
    time.sleep(1)
    t0 = time.monotonic()
    server.stop()  # SIGTERM: exits 0, sanitizers quiet
    assert time.monotonic() - t0 < 10
    for t in threads:
        t.join(30)
    assert len(done) == 5 and all(dt < 15 for _, dt in done), done
    assert all(code in (200, None) for code, _ in done), done


def test_affiliate_statements_page_like_every_list(server):
    """The statements list follows the list convention: five promoters with an order confirmed
    in January get a statement each on February 20th (00:00 Asia/Shanghai)."""
    ingest, admin = server.client("ingest"), server.admin()
    events = []
    for i in range(N):
        common = {"order": f"as{i}", "promoter": f"ps{i}", "merchant": "m1", "item": "i1"}
        events.append({"event_id": f"s{i}-p", "type": "paid", "at": "2026-01-05T10:00:00+08:00",
                       "amount_fen": 10000, "rate_bp": 300, "buyer": {"id": "b"}, **common})
        events.append({"event_id": f"s{i}-c", "type": "receipt_confirmed",
                       "at": "2026-01-06T10:00:00+08:00", "settled_amount_fen": 10000, **common})
    r = ingest.post("/v1/affiliate/events", {"events": events})
    assert r.status_code == 200 and r.json()["applied"] == 2 * N, r.text
    assert admin.post("/v1/admin/clock", {"now": "2026-02-19T16:00:00Z"}).status_code == 200
    whole = admin.get("/v1/affiliate/statements", params={"limit": 200}).json()
    assert len(whole["statements"]) == N and whole["has_more"] is False
    got = pages(admin, "/v1/affiliate/statements", {}, 2)
    assert [len(p["statements"]) for p in got] == [2, 2, 1]
    assert all(p["has_more"] for p in got[:-1]) and got[-1]["next_after"] is None
    for page in got[:-1]:
        assert page["next_after"] == page["statements"][-1]["id"]
    assert [s for p in got for s in p["statements"]] == whole["statements"]


def test_affiliate_alerts_page_like_every_list(server):
    """The alerts list follows the list convention: three promoters with 20 paid orders in one
    hour and none before each raise an alert."""
    ingest, admin = server.client("ingest"), server.admin()
    events = [{"event_id": f"al{p}-{k}", "type": "paid", "order": f"al{p}-{k}",
               "promoter": f"pa{p}", "merchant": "m1", "item": "i1",
               "at": f"2026-01-05T10:{k:02d}:00+08:00", "amount_fen": 100, "rate_bp": 100,
               "buyer": {"id": f"b{p}-{k}"}} for p in range(3) for k in range(20)]
    r = ingest.post("/v1/affiliate/events", {"events": events})
    assert r.status_code == 200 and r.json()["applied"] == 60, r.text
    whole = admin.get("/v1/affiliate/alerts", params={"limit": 200}).json()
    assert len(whole["alerts"]) == 3 and whole["has_more"] is False
    got = pages(admin, "/v1/affiliate/alerts", {}, 2)
    assert [len(p["alerts"]) for p in got] == [2, 1]
    assert got[0]["has_more"] and got[0]["next_after"] == got[0]["alerts"][-1]["id"]
    assert [a for p in got for a in p["alerts"]] == whole["alerts"]


def test_a_limit_with_a_sign_or_a_space_is_refused(shop):
    """docs/api.md, Lists: a bad value is 400 invalid_value (an integer: digits only)."""
    op = shop["operator"]
    for bad in ("+1", " 1", "1 ", "0x10", ""):
        r = op.get("/v1/merchants", params={"limit": bad})
        assert r.status_code == 400 and error_code(r) == "invalid_value", (bad, r.text)
    assert op.get("/v1/merchants", params={"limit": "1"}).status_code == 200
