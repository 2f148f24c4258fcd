"""Point-in-time reads (issue 17, docs/point-in-time.md), black-box with the manual clock.
Written from the issue: every single-object GET that has a state (`/v1/products/{id}`,
`/v1/merchants/{id}`, `.../deposit`, `/v1/violations/{id}`, `/v1/promotions/{id}`,
`/v1/filings/{id}`, `.../badge`, `/v1/affiliate/orders/{id}`) takes `?at=INSTANT` and answers
the object as it was then, rebuilt from the log, with the same authorisation as without `at`;
an instant before the object existed is 404; a malformed instant is 400 and changes nothing.
The manual clock starts at 2026-01-05T01:00:00Z (conftest START) and every step below runs at
its own hour, so each instant names exactly the commands before it."""
from datetime import datetime, timedelta, timezone

import pytest

from conftest import COMPLETE, error_code, on_sale, open_store

T0 = datetime(2026, 1, 5, 1, 0, 0, tzinfo=timezone.utc)  # conftest.START in UTC
NO_MAKER = {k: v for k, v in COMPLETE.items() if k != "manufacturer"}
FRESH = ["seven_day_return", "authenticity_guarantee", "return_shipping_insurance",
         "doorstep_pickup", "fast_refund_unshipped", "bad_item_compensation"]
FAR = "2027-12-31"


def t(hours, minutes=0):
    """T0 + hours (+ minutes) as an RFC 3339 UTC instant."""
    return (T0 + timedelta(hours=hours, minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


class World:
    """Stores m1 (beauty), m2 (fresh fruit), m3 (apparel), a designated streamer s3 of m3, an
    ingest key and clients by name; hour(n) moves the manual clock to T0 + n hours."""

    def __init__(self, server, operator):
        self.server, self.op = server, operator
        for mid, cat in (("m1", "beauty.skincare"), ("m2", "fresh.fruit"),
                         ("m3", "apparel.women")):
            open_store(operator, mid, cat)
        self.c = {mid: server.client(f"merchant:{mid}") for mid in ("m1", "m2", "m3")}
        self.c["op"] = operator
        self.c["ingest"] = server.client("ingest")
        self.c["pr1"] = server.client("promoter:pr1")
        self.c["pr2"] = server.client("promoter:pr2")

    def hour(self, n):
        r = self.op.post("/v1/admin/clock", {"now": t(n)})
        assert r.status_code == 200, r.text

    def at(self, path, instant, who="op", **params):
        return self.c[who].get(path, params={"at": instant, **params})

    def ok_at(self, path, instant, who="op", **params):
        r = self.at(path, instant, who, **params)
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
def w(server, operator):
    return World(server, operator)


def qualify(op, mid, code):
    r = op.post(f"/v1/merchants/{mid}/qualifications",
                {"code": code, "documents": [f"f/{code}.pdf"], "expires_on": FAR})
    assert r.status_code == 201, r.text
    r = op.post(f"/v1/qualifications/{r.json()['result']['id']}/decision", {"decision": "approve"})
    assert r.status_code == 200, r.text


def appeal_scenario(w):
    """Hour 1: a three-no violation deducts 5,000 yuan; hour 2: m1 appeals; hour 3: upheld."""
    w.hour(1)
    assert on_sale(w.c["m1"], {"id": "t1", "title": "面膜", "category": "beauty.skincare",
                               "price": "19.90", **NO_MAKER}).status_code == 201
    [v] = w.op.get("/v1/violations", params={"merchant": "m1"}).json()["violations"]
    w.hour(2)
    r = w.c["m1"].post(f"/v1/violations/{v['id']}/appeals", {"reason": "厂家信息在包装图上"})
    assert r.status_code == 201, r.text
    w.hour(3)
    r = w.op.post(f"/v1/appeals/{r.json()['result']['id']}/decision",
                  {"decision": "uphold", "note": "核实无误"})
    assert r.status_code == 200, r.text
    return v["id"]


def test_before_and_after_an_upheld_appeal_show_the_deduction_then_the_refund(server, w):
    required = w.op.get("/v1/merchants/m1").json()["deposit_required_fen"]
    vid = appeal_scenario(w)
    dep = "/v1/merchants/m1/deposit"
    d0, d1, d3 = (w.ok_at(dep, t(h, 30), "m1") for h in (0, 1, 3))
    assert (d0["balance_fen"], d0["store_status"], d0["holds"]) == (required, "active", [])
    assert [e["kind"] for e in d0["entries"]] == ["top_up"] and d0["entries_total"] == 1
    assert d1["balance_fen"] == required - 500000 and d1["shortfall_fen"] == 500000
    assert d1["store_status"] == "restricted" and "deposit" in d1["holds"]
    assert d1["entries"][-1]["kind"] == "deduction" and d1["entries"][-1]["violation"] == vid
    assert d3["balance_fen"] == required and d3["store_status"] == "active"
    assert d3["entries"][-1]["kind"] == "refund" and d3["entries"][-1]["amount_fen"] == 500000
    assert d3["entries_total"] == 3
    # the ledger pages as live, cut at the instant
    p1 = w.ok_at(dep, t(1, 30), "m1", limit=1)
    assert [e["kind"] for e in p1["entries"]] == ["top_up"] and p1["has_more"] is True
    p2 = w.ok_at(dep, t(1, 30), "m1", limit=1, after=p1["next_after"])
    assert [e["kind"] for e in p2["entries"]] == ["deduction"]
    assert p2["has_more"] is False and p2["next_after"] is None
    p3 = w.ok_at(dep, t(1, 30), "m1", limit=2)
    assert len(p3["entries"]) == 2 and p3["has_more"] is False
    assert w.op.get(dep, params={"limit": 2}).json()["has_more"] is True  # the refund, later
    # the violation: in force with its deduction, appealed, then overturned with the refund
    v1, v2, v3 = (w.ok_at(f"/v1/violations/{vid}", t(h, 30), "m1") for h in (1, 2, 3))
    assert v1["status"] == "in_force" and v1["penalty"]["deducted_fen"] == 500000
    assert v1["appeals"]["filed"] == 0 and v1["appeals"]["list"] == []
    assert v2["status"] == "in_force" and v2["appeals"]["filed"] == 1
    assert v2["appeals"]["open"] is True and v2["appeals"]["list"][0]["status"] == "open"
    assert v3["status"] == "overturned" and v3["refunded_fen"] == 500000
    assert v3["appeals"]["list"][0]["status"] == "upheld"
    # the product: banned by the violation, unbanned (not relisted) by the appeal
    assert w.ok_at("/v1/products/t1", t(1, 30))["status"] == "banned"
    assert w.ok_at("/v1/products/t1", t(3, 30))["status"] == "delisted"
    # the store: restricted below its deposit, active again
    assert w.ok_at("/v1/merchants/m1", t(1, 30))["status"] == "restricted"
    assert w.ok_at("/v1/merchants/m1", t(3, 30))["status"] == "active"


def test_an_instant_before_the_object_existed_is_not_found(server, w):
    vid = appeal_scenario(w)
    for path in ("/v1/products/t1", f"/v1/violations/{vid}"):
        r = w.at(path, t(0, 30))
        assert r.status_code == 404 and error_code(r) == "not_found", r.text
        assert w.at(path, t(1)).status_code == 200  # the instant of the change itself counts
    for path in ("/v1/merchants/m1", "/v1/merchants/m1/deposit", "/v1/merchants/m1/badge"):
        r = w.at(path, "2025-12-31T00:00:00Z")
        assert r.status_code == 404 and error_code(r) == "not_found", r.text


def test_every_route_shows_a_change_at_two_instants(server, w):
    """One state change of each of the eight objects, observed before and after it."""
    op = w.op
    for code in ("business_license", "food_business_license", "origin_certificate"):
        qualify(op, "m2", code)
    r = w.c["m2"].post("/v1/products", {"id": "p2", "title": "赣南脐橙 5kg",
                                        "category": "fresh.fruit", "price_fen": 5990, **COMPLETE})
    assert r.status_code == 201, r.text
    assert w.c["m2"].post("/v1/products/p2/list").status_code == 200
    r = w.c["m2"].post("/v1/promotions", {"product": "p2", "price_fen": 50000,
                                          "estimated_exposure": 10000, "duration_hours": 24})
    assert r.status_code == 201, r.text
    prid = r.json()["result"]["id"]
    r = op.put("/v1/streamers/s3", {"nickname": "自营达人", "designated": True, "merchant": "m3"})
    assert r.status_code in (200, 201), r.text
    r = w.c["m3"].post("/v1/products", {"id": "p3", "title": "纯棉短袖", "category": "apparel.women",
                                        "price_fen": 6900, **COMPLETE})
    assert r.status_code == 201, r.text
    [fil] = op.get("/v1/filings", params={"product": "p3"}).json()["filings"]
    r = w.c["ingest"].post("/v1/affiliate/events", {"events": [
        {"event_id": "o1-paid", "type": "paid", "order": "o1", "promoter": "pr1",
         "merchant": "m2", "item": "p2", "at": t(0), "amount_fen": 10000, "rate_bp": 500,
         "buyer": {"id": "b1"}}]})
    assert r.status_code == 200, r.text
    # hour 1: every object changes once
    w.hour(1)
    assert w.c["m2"].patch("/v1/products/p2", {"price_fen": 4990}).status_code == 200
    assert w.c["m2"].post("/v1/products/p2/delist").status_code == 200  # promotion abnormal
    assert op.patch("/v1/merchants/m3", {"name": "新店名", "categories": ["apparel.women",
                                                                         "home.kitchen"]}
                    ).status_code == 200
    assert op.post("/v1/merchants/m3/deposit/top-ups",
                   {"amount_fen": 1234, "ref": "later"}).status_code == 201
    r = w.c["m3"].post(f"/v1/filings/{fil['id']}/submit", {"documents": []})
    assert r.status_code == 200, r.text
    r = w.c["m2"].put("/v1/merchants/m2/services", {"services": FRESH})
    assert r.status_code == 200, r.text
    r = w.c["ingest"].post("/v1/affiliate/events", {"events": [
        {"event_id": "o1-conf", "type": "receipt_confirmed", "order": "o1", "promoter": "pr1",
         "merchant": "m2", "item": "p2", "at": t(1), "settled_amount_fen": 10000}]})
    assert r.status_code == 200, r.text
    before, after = t(0, 30), t(1, 30)

    def both(path, key, who="op"):
        return (w.ok_at(path, before, who)[key], w.ok_at(path, after, who)[key])

    assert both("/v1/products/p2", "price_fen") == (5990, 4990)
    assert both("/v1/products/p2", "status") == ("listed", "delisted")
    assert both("/v1/merchants/m3", "categories") == (["apparel.women"],
                                                     ["apparel.women", "home.kitchen"])
    assert both("/v1/merchants/m3", "name") == ("store m3", "新店名")
    d = both("/v1/merchants/m3/deposit", "entries_total", "m3")
    assert d[1] == d[0] + 1
    assert both(f"/v1/promotions/{prid}", "status", "m2") == ("running", "abnormal")
    assert len(w.ok_at(f"/v1/promotions/{prid}", before)["history"]) == 1
    assert both(f"/v1/filings/{fil['id']}", "status", "m3") == ("pending", "reviewing")
    assert both("/v1/merchants/m2/badge", "state", "m2") == ("ineligible", "eligible")
    assert both("/v1/merchants/m2/badge", "services", "m2") == ([], FRESH)
    assert both("/v1/affiliate/orders/o1", "status", "pr1") == ("paid", "receipt_confirmed")
    # the violation route: see test_before_and_after_an_upheld_appeal...


def test_an_instant_still_to_come_answers_the_state_now(server, w):
    vid = appeal_scenario(w)
    for path in ("/v1/products/t1", "/v1/merchants/m1", "/v1/merchants/m1/deposit",
                 f"/v1/violations/{vid}", "/v1/merchants/m1/badge"):
        live = w.op.get(path).json()
        then = w.ok_at(path, "2026-06-01T00:00:00Z")
        assert then == live, path  # the live answer, its version too (an independent tester)


def test_a_violation_between_its_appeals_reads_as_live(server, w):
    """After an appeal is filed, and after it is rejected (not yet final), the violation read
    at an instant still to come is the live one: appeals left, last_appeal, updated_at."""
    w.hour(1)
    assert on_sale(w.c["m1"], {"id": "t1", "title": "面膜", "category": "beauty.skincare",
                               "price": "19.90", **NO_MAKER}).status_code == 201
    [v] = w.op.get("/v1/violations", params={"merchant": "m1"}).json()["violations"]
    path = f"/v1/violations/{v['id']}"

    def same():
        live, then = w.op.get(path).json(), w.ok_at(path, "2026-06-01T00:00:00Z")
        live.pop("version"), then.pop("version")
        assert then == live

    w.hour(2)
    r = w.c["m1"].post(f"{path}/appeals", {"reason": "厂家信息在包装图上"})
    assert r.status_code == 201, r.text
    same()
    assert w.op.get(path).json()["appeals"]["left"] == 1
    w.hour(3)
    r = w.op.post(f"/v1/appeals/{r.json()['result']['id']}/decision",
                  {"decision": "reject", "note": "未见厂家信息"})
    assert r.status_code == 200, r.text
    same()
    assert w.ok_at(path, t(2, 30))["appeals"]["open"] is True


def test_authorisation_is_the_live_one_at_every_instant(server, w):
    vid = appeal_scenario(w)
    paths = ("/v1/products/t1", f"/v1/violations/{vid}", "/v1/merchants/m1",
             "/v1/merchants/m1/deposit", "/v1/merchants/m1/badge")
    for path in paths:
        live = w.c["m2"].get(path)
        assert live.status_code in (403, 404), live.text
        for instant in (t(0, 30), t(1, 30), t(3, 30), "2030-01-01T00:00:00Z"):
            r = w.at(path, instant, "m2")
            assert r.status_code == live.status_code, (path, instant, r.text)
            assert error_code(r) == error_code(live)
            assert "t1" not in r.text or path.endswith("/t1")
        assert w.at(path, t(3, 30), "m1").status_code == 200
    # a promoter sees its own orders only, then as now
    r = w.c["ingest"].post("/v1/affiliate/events", {"events": [
        {"event_id": "o9-paid", "type": "paid", "order": "o9", "promoter": "pr1",
         "merchant": "m2", "item": "x", "at": t(3), "amount_fen": 100, "rate_bp": 500,
         "buyer": {"id": "b9"}}]})
    assert r.status_code == 200, r.text
    assert w.at("/v1/affiliate/orders/o9", t(3, 30), "pr1").status_code == 200
    r = w.at("/v1/affiliate/orders/o9", t(3, 30), "pr2")
    assert r.status_code == w.c["pr2"].get("/v1/affiliate/orders/o9").status_code == 404


def test_a_malformed_instant_is_refused_and_changes_nothing(server, w):
    vid = appeal_scenario(w)
    before = server.db_counts()
    for bad in ("yesterday", "2026-13-01T00:00:00Z", "2026-01-05", "", "2026-01-05T01:00:00"):
        for path in ("/v1/products/t1", f"/v1/violations/{vid}", "/v1/merchants/m1/deposit",
                     "/v1/merchants/m1/badge", "/v1/merchants/m1"):
            r = w.at(path, bad)
            assert r.status_code == 400, (bad, path, r.text)
            assert error_code(r) == "invalid_value"
            assert r.json()["error"]["details"]["field"] == "at"
    r = w.op.get("/v1/products/t1", params=[("at", t(1)), ("at", t(2))])
    assert r.status_code == 400
    # a read with no state to rebuild does not take `at`
    r = w.op.get("/v1/merchants/m1/products", params={"at": t(1)})
    assert r.status_code == 400 and error_code(r) == "unknown_parameter"
    assert server.db_counts() == before


def test_a_store_sees_its_violation_only_at_instants_it_was_in_force(server, w):
    """A queued finding is the operator's until confirmed (a store sees its violations in force
    or overturned): as of the hour it was queued the store gets 404, the operator the queue."""
    w.hour(1)
    assert on_sale(w.c["m1"], {"id": "e1", "title": "眼霜", "category": "beauty.skincare",
                               "price": "129.00", "detail": "三天消除黑眼圈"}).status_code == 201
    [v] = w.op.get("/v1/violations", params={"merchant": "m1", "status": "pending"}
                   ).json()["violations"]
    w.hour(2)
    r = w.op.post(f"/v1/violations/{v['id']}/confirm", {})
    assert r.status_code == 200, r.text
    path = f"/v1/violations/{v['id']}"
    assert w.ok_at(path, t(1, 30))["status"] == "pending"
    r = w.at(path, t(1, 30), "m1")
    assert r.status_code == 404 and error_code(r) == "not_found"
    assert w.ok_at(path, t(2, 30), "m1")["status"] == "in_force"


def test_a_badge_and_its_product_tags_at_each_instant(server, w):
    """Hour 1: m2 commits to every service fresh fruit needs (eligible); hour 2: it activates
    the badge and its product that offers them all is tagged; hour 3: the product drops a
    service and loses its tag."""
    r = w.c["m2"].post("/v1/products", {"id": "f1", "title": "赣南脐橙 5kg", "category": "fresh.fruit",
                                        "price_fen": 5990, "after_sales": FRESH, **COMPLETE})
    assert r.status_code == 201, r.text
    w.hour(1)
    assert w.c["m2"].put("/v1/merchants/m2/services", {"services": FRESH}).status_code == 200
    w.hour(2)
    r = w.c["m2"].post("/v1/merchants/m2/badge/activate")
    assert r.status_code == 200, r.text
    w.hour(3)
    r = w.c["m2"].patch("/v1/products/f1", {"after_sales": FRESH[:-1]})
    assert r.status_code == 200, r.text
    r = w.c["m2"].post("/v1/products", {"id": "f2", "title": "妃子笑荔枝", "category": "fresh.fruit",
                                        "price_fen": 8990, **COMPLETE})
    assert r.status_code == 201, r.text
    badge = "/v1/merchants/m2/badge"
    b0, b1, b2, b3 = (w.ok_at(badge, t(h, 30), "m2") for h in (0, 1, 2, 3))
    assert (b0["state"], b1["state"], b2["state"], b3["state"]) == \
        ("ineligible", "eligible", "active", "active")
    assert b2["activated_by"] == "merchant" and b2["since"] == t(2)
    assert b1["reminder"] is not None and b0["reminder"] is None
    lines = [b["products"] for b in (b1, b2, b3)]
    assert [ln[0]["tagged"] for ln in lines] == [False, True, False]
    # a product made later is not in the badge before it was made
    assert [[p["product"] for p in ln] for ln in lines] == [["f1"], ["f1"], ["f1", "f2"]]
    assert lines[2][0]["missing"] == [FRESH[-1]]
    tags = [w.ok_at("/v1/products/f1", t(h, 30), "m2")["tags"] for h in (1, 2, 3)]
    assert tags == [[], ["assurance"], []]


def test_a_deduction_wholly_owed_writes_no_ledger_entry_at_any_instant(server, w):
    """A deduction taken from an empty deposit is owed: it moves 0 fen and the ledger has no
    entry for it, live or as of any instant."""
    w.hour(1)
    assert on_sale(w.c["m1"], {"id": "t9", "title": "保湿面霜", "category": "beauty.skincare",
                               "price": "59.00", **COMPLETE}).status_code == 201
    w.hour(2)
    bal = w.op.get("/v1/merchants/m1/deposit").json()["balance_fen"]
    r = w.op.post("/v1/merchants/m1/deposit/releases", {"amount_fen": bal, "ref": "out-1"})
    assert r.status_code == 201, r.text
    w.hour(3)
    r = w.op.post("/v1/violations", {"product": "t9", "type": "external_diversion",
                                     "evidence": ["detail: 加微信"]})
    assert r.status_code in (201, 202), r.text
    live = w.op.get("/v1/merchants/m1/deposit").json()
    assert live["balance_fen"] == 0 and live["owed_fen"] > 0
    later = w.ok_at("/v1/merchants/m1/deposit", "2026-06-01T00:00:00Z")
    assert later["entries_total"] == live["entries_total"] == len(live["entries"])
    assert later["owed_fen"] == live["owed_fen"]
    before = w.ok_at("/v1/merchants/m1/deposit", t(2, 30))
    assert (before["entries_total"], before["owed_fen"], before["balance_fen"]) == (2, 0, 0)
    # the deduction wholly owed moved the account: as of an instant after it, the version is
    # the live one (it counted movements with an entry only: one short)
    w.hour(4)
    after = w.ok_at("/v1/merchants/m1/deposit", t(3, 30))
    assert after["version"] == live["version"], (after, live)
    assert after["owed_fen"] == live["owed_fen"]


def test_an_instant_before_1970_is_before_every_object(server, w):
    """Issue 17: an instant before the object existed is 404: a well-formed RFC 3339 instant
    before 1970 too (it was refused as malformed); a malformed one is still 400."""
    appeal_scenario(w)
    for path in ("/v1/products/t1", "/v1/merchants/m1", "/v1/merchants/m1/deposit"):
        r = w.at(path, "1969-12-31T23:59:59Z")
        assert r.status_code == 404 and error_code(r) == "not_found", r.text
    r = w.at("/v1/products/t1", "1969-13-31T23:59:59Z")
    assert r.status_code == 400 and error_code(r) == "invalid_value", r.text


def test_a_credit_that_pays_what_a_violation_owed_shows_on_the_violation_then(server, w):
    """A violation whose deduction the balance did not cover owes the rest; a later top-up pays
    it (the ledger's deduction names the violation). Read at each instant, the violation's
    penalty is the live read of then, and agrees with its own deposit ledger: owed before the
    top-up, deducted after it, and an instant still to come answers as now."""
    w.hour(1)
    assert on_sale(w.c["m1"], {"id": "t8", "title": "保湿面霜", "category": "beauty.skincare",
                               "price": "59.00", **COMPLETE}).status_code == 201
    full = w.op.get("/v1/merchants/m1/deposit").json()["balance_fen"]
    bal = 50000  # what is left after a release: less than the deduction
    r = w.op.post("/v1/merchants/m1/deposit/releases", {"amount_fen": full - bal, "ref": "out-8"})
    assert r.status_code == 201, r.text
    w.hour(2)
    r = w.op.post("/v1/violations", {"product": "t8", "type": "external_diversion",
                                     "severity": "severe", "evidence": ["detail: 加微信"]})
    assert r.status_code == 201, r.text
    vid = r.json()["result"]["id"]
    due = r.json()["result"]["penalty"]["deduct_fen"]
    assert due > bal, (due, bal)  # the deposit does not cover it
    owing = w.op.get(f"/v1/violations/{vid}").json()["penalty"]
    assert (owing["deducted_fen"], owing["owed_fen"]) == (bal, due - bal)
    w.hour(3)
    r = w.op.post("/v1/merchants/m1/deposit/top-ups", {"amount_fen": due, "ref": "pay-t8"})
    assert r.status_code == 201, r.text
    live = w.op.get(f"/v1/violations/{vid}").json()
    assert (live["penalty"]["deducted_fen"], live["penalty"]["owed_fen"]) == (due, 0)
    at2 = w.ok_at(f"/v1/violations/{vid}", t(2, 30))["penalty"]
    assert (at2["deducted_fen"], at2["owed_fen"]) == (bal, due - bal)
    at3 = w.ok_at(f"/v1/violations/{vid}", t(3, 30))["penalty"]
    assert (at3["deducted_fen"], at3["owed_fen"]) == (due, 0)
    later = w.ok_at(f"/v1/violations/{vid}", "2026-06-01T00:00:00Z")
    assert later["penalty"] == live["penalty"]
    assert later["updated_at"] == live["updated_at"]
    # the store's ledger at the same instant says the same of it
    dep = w.ok_at("/v1/merchants/m1/deposit", t(3, 30), limit=200)
    paid = [e for e in dep["entries"] if e.get("violation") == vid and e["kind"] == "deduction"]
    assert -sum(e["amount_fen"] for e in paid) == due, dep["entries"]


def test_a_store_named_like_a_violation_reads_only_its_own_deposit(server, w):
    """Store ids are the operator's to choose: a store whose id is a violation's (v1) reads its
    own deposit at any instant, not the movements of violation v1 of another store."""
    w.hour(1)
    assert on_sale(w.c["m1"], {"id": "t7", "title": "保湿面霜", "category": "beauty.skincare",
                               "price": "59.00", **COMPLETE}).status_code == 201
    r = w.op.post("/v1/violations", {"product": "t7", "type": "external_diversion",
                                     "evidence": ["detail: 加微信"]})
    assert r.status_code in (201, 202), r.text
    vid = r.json()["result"]["id"]
    open_store(w.op, vid, "apparel.women")
    w.hour(2)
    live = w.op.get(f"/v1/merchants/{vid}/deposit").json()
    later = w.ok_at(f"/v1/merchants/{vid}/deposit", "2026-06-01T00:00:00Z")
    assert (later["balance_fen"], later["owed_fen"], later["entries_total"]) == \
        (live["balance_fen"], live["owed_fen"], live["entries_total"])


BASE_SERVICES = FRESH[:5]  # the five base services


def test_a_badge_read_at_each_instant_is_the_live_read_then(server, w):
    """docs/point-in-time.md: `?at=` answers the same shape as the live GET, the badge as the
    commands logged by then had made it. A store selling apparel and beauty goes through every
    kind of change, some of which move its badge's state and some of which change only what it
    misses and why (its services, its categories, its status): after each step the live read
    equals the read at that very instant, and at the end each instant still reads what the live
    GET said then. `version` counts the badge's events there (documented), the rest is equal.
    `since` is when the badge entered its state: a change that keeps the state keeps it, and a
    badge that never changed state has none (null, as the default)."""
    r = w.op.post("/v1/merchants", {"id": "e1", "name": "store e1",
                                    "categories": ["apparel.women", "beauty.skincare"]})
    assert r.status_code == 201, r.text
    r = w.op.post("/v1/merchants/e1/deposit/top-ups",  # enough for a fresh category too
                  {"amount_fen": 10 * r.json()["result"]["deposit_required_fen"], "ref": "e1"})
    assert r.status_code == 201 and r.json()["result"]["store_status"] == "active", r.text
    e1 = w.c["e1"] = server.client("merchant:e1")
    r = e1.post("/v1/products", {"id": "b1", "title": "烟酰胺身体乳 200ml",
                                 "category": "beauty.skincare", "price_fen": 6900,
                                 "after_sales": [*BASE_SERVICES, "allergy_return"], **COMPLETE})
    assert r.status_code == 201, r.text
    path, seen, step = "/v1/merchants/e1/badge", [], [0]

    def now_live(expect_state):
        """The clock 10 minutes on: the instant of the next step, and its expected state."""
        step[0] += 1
        r = w.op.post("/v1/admin/clock", {"now": t(0, step[0] * 10)})
        assert r.status_code == 200, r.text
        return t(0, step[0] * 10), expect_state

    def check(instant, expect_state):
        live = e1.get(path).json()
        assert live["state"] == expect_state, live
        then = w.ok_at(path, instant, "e1")
        live.pop("version"), then.pop("version")
        assert then == live, instant
        seen.append((instant, live))
        return live

    check(*now_live("ineligible"))  # nothing set yet: the default
    i = now_live("ineligible")
    assert e1.put("/v1/merchants/e1/services", {"services": BASE_SERVICES}).status_code == 200
    b = check(*i)  # services set, the state kept (the audit's case)
    assert b["missing"] == ["allergy_return"] and b["since"] is None
    assert [x["code"] for x in b["reasons"]] == ["services_missing"]
    i = now_live("ineligible")
    r = w.op.patch("/v1/merchants/e1", {"categories": ["apparel.women", "beauty.skincare",
                                                       "fresh.fruit"]})
    assert r.status_code == 200, r.text
    b = check(*i)  # a category added: it misses one more, still ineligible
    assert sorted(b["missing"]) == ["allergy_return", "bad_item_compensation"]
    i = now_live("ineligible")
    r = w.op.patch("/v1/merchants/e1", {"categories": ["apparel.women", "beauty.skincare"]})
    assert r.status_code == 200, r.text
    check(*i)
    i = now_live("ineligible")
    assert w.op.post("/v1/merchants/e1/restrict", {"reason": "核查"}).status_code == 200
    b = check(*i)  # restricted: one more reason, same state
    assert "store_restricted" in [x["code"] for x in b["reasons"]]
    i = now_live("ineligible")
    assert w.op.post("/v1/merchants/e1/reinstate", {}).status_code == 200
    check(*i)
    i = now_live("eligible")
    r = e1.put("/v1/merchants/e1/services", {"services": [*BASE_SERVICES, "allergy_return"]})
    assert r.status_code == 200, r.text
    b = check(*i)
    assert b["since"] == i[0] and b["missing"] == [] and b["reasons"] == []
    i = now_live("eligible")
    assert e1.post("/v1/merchants/e1/badge/reminder/dismiss").status_code == 200
    check(*i)
    i = now_live("active")
    assert e1.post("/v1/merchants/e1/badge/activate").status_code == 200
    check(*i)
    i = now_live("suspended")
    assert e1.put("/v1/merchants/e1/services", {"services": BASE_SERVICES}).status_code == 200
    check(*i)
    i = now_live("suspended")
    assert w.op.post("/v1/merchants/e1/restrict", {"reason": "核查"}).status_code == 200
    b = check(*i)  # suspended for one more reason
    assert sorted(x["code"] for x in b["reasons"]) == ["services_missing", "store_restricted"]
    i = now_live("suspended")
    assert w.op.post("/v1/merchants/e1/reinstate", {}).status_code == 200
    check(*i)
    i = now_live("active")
    r = e1.put("/v1/merchants/e1/services", {"services": [*BASE_SERVICES, "allergy_return"]})
    assert r.status_code == 200, r.text
    check(*i)
    i = now_live("closed")
    assert e1.post("/v1/merchants/e1/badge/close").status_code == 200
    check(*i)
    i = now_live("closed")
    assert e1.put("/v1/merchants/e1/services", {"services": BASE_SERVICES}).status_code == 200
    b = check(*i)  # closed stays closed; what it misses follows its services
    assert b["missing"] == ["allergy_return"]
    for instant, live in seen:
        then = w.ok_at(path, instant, "e1")
        then.pop("version")
        live = dict(live, products=then["products"])  # a product's line: its own test
        assert then == live, instant
