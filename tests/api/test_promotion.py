"""Quick promotion (极速推) over HTTP with the manual clock (issue 12, RULES.md §1).

Written from the issue, the rules and the pinned interface, not from the implementation:
a store buys an exposure package for one product; the system review runs in the same command
(running, or review_failed with every failed reason); a failed order is refunded only by an
operator, once; a running or abnormal order cannot be paused or cancelled; a running order goes
abnormal when a check stops holding (delist, ban, a policy that drops its category, a
qualification that expires or is revoked) and back to running by itself when every reason has
cleared, its end moved out by the time spent abnormal; impressions count once per id and
order (across batches and restarts), only while the order was running at their instant, never
when reported more than stats_delay_minutes (120) after it; the order completes at the
estimate or at the end of its duration, and its figure stays provisional until stats_delay
after completion.

The manual clock starts at 2026-01-05T01:00:00Z (conftest START) and only moves forward."""
import collections
import json
import os
import re
import signal
import tempfile
import threading
from datetime import datetime, timedelta, timezone

import pytest
import requests

from conftest import clear_store, COMPLETE, default_policy, error_code, open_store, serve_demo

T0 = datetime(2026, 1, 5, 1, 0, 0, tzinfo=timezone.utc)  # conftest.START in UTC
STATS_DELAY_MINUTES = 120  # policy promotion.stats_delay_minutes, the default
FIVE = ("counted", "duplicate", "not_counted", "late", "unknown_promotion")
FAR = "2027-12-31"  # an expires_on day the tests never reach

# (store, category, product, title, qualification codes the store is given)
STORES = {
    "m1": ("beauty.skincare", "p1", "烟酰胺身体乳 200ml",
           ("cosmetics_filing", "business_license")),
    "m2": ("fresh.fruit", "p2", "赣南脐橙 5kg",
           ("business_license", "food_business_license", "origin_certificate")),
    # not admitted by default, no qualification, product left delisted: every check fails
    "m3": ("health.supplements", "p3", "维生素C片 60粒", ()),
}


def t(**delta):
    """T0 + delta as an RFC 3339 UTC instant."""
    return (T0 + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


def instant(s):
    assert isinstance(s, str) and s.endswith("Z"), s
    return datetime.fromisoformat(s[:-1] + "+00:00")


def same_instant(a, b):
    return a is not None and instant(a) == instant(b)


class World:
    """One server, the stores of STORES, and clients by name that survive a restart."""

    def __init__(self, server, operator):
        self.server = server
        self.keys = {"op": operator.key, "ingest": server.key("ingest")}
        self.quals = {}
        self._apis = {}
        for mid, (cat, pid, title, codes) in STORES.items():
            self.add_store(mid, cat, pid, title, codes, listed=mid != "m3")

    def add_store(self, mid, category, pid, title, codes, listed=True, expires_on=FAR):
        op = self.c("op")
        open_store(op, mid, category)
        self.keys[mid] = self.server.key(f"merchant:{mid}")
        self.add_product(mid, pid, category, title, listed)
        for code in codes:
            self.quals[(mid, code)] = qualify(op, mid, code, expires_on)

    def add_product(self, mid, pid, category, title, listed=True):
        store = self.c(mid)
        r = store.post("/v1/products", {"id": pid, "title": title, "category": category,
                                        "price_fen": 6900, "stock": 10, **COMPLETE})
        assert r.status_code == 201, r.text
        if listed:
            r = store.post(f"/v1/products/{pid}/list")
            assert r.status_code == 200, r.text

    def c(self, who):
        if who not in self._apis:
            self._apis[who] = self.server.api(self.keys[who])
        return self._apis[who]

    def restart(self, sig):
        self.server.stop(sig)
        self.server.start()
        self._apis.clear()

    def clock(self, now):
        r = self.c("op").post("/v1/admin/clock", {"now": now})
        assert r.status_code == 200, r.text
        return r.json()

    def get(self, prid, who="op"):
        r = self.c(who).get(f"/v1/promotions/{prid}")
        assert r.status_code == 200, r.text
        return r.json()

    def buy(self, who="m1", product="p1", idem=None, **over):
        body = {"product": product, "price_fen": 50000, "estimated_exposure": 10000,
                "duration_hours": 24, **over}
        body = {k: v for k, v in body.items() if v is not None}
        if "price" in body:
            body.pop("price_fen", None)
        return self.c(who).post("/v1/promotions", body, idem=idem)

    def bought(self, who="m1", product="p1", **over):
        r = self.buy(who, product, **over)
        assert r.status_code == 201, r.text
        return r.json()["result"]

    def ingest(self, items, who="ingest"):
        """items: (impression_id, promotion, at); the five counts, and the whole answer."""
        r = self.c(who).post("/v1/impressions", {"impressions": [
            {"impression_id": i, "promotion": p, "at": a} for i, p, a in items]})
        assert r.status_code == 200, r.text
        body = r.json()
        counts = {k: body[k] for k in FIVE}
        assert body["result"] == counts, body
        return counts, body

    def events(self, type_, subject=None):
        params = {"type": type_, "limit": 1000}
        if subject:
            params["subject"] = subject
        r = self.server.admin().get("/v1/events", params=params)
        assert r.status_code == 200, r.text
        return r.json()["events"]

    def policy_version(self):
        return self.c("op").get("/v1/policy").json()["version"]


def qualify(op, mid, code, expires_on=FAR):
    r = op.post(f"/v1/merchants/{mid}/qualifications",
                {"code": code, "documents": [f"f/{code}.pdf"], "expires_on": expires_on})
    assert r.status_code == 201, r.text
    qid = r.json()["result"]["id"]
    r = op.post(f"/v1/qualifications/{qid}/decision", {"decision": "approve"})
    assert r.status_code == 200 and r.json()["result"]["status"] == "approved", r.text
    return qid


def counts(**nonzero):
    return {k: nonzero.get(k, 0) for k in FIVE}


def codes(promotion):
    return sorted(r["code"] for r in promotion["reasons"])


def types(answer):
    return [e["type"] for e in answer["events"]]


def seq_of(answer, type_):
    (seq,) = [e["seq"] for e in answer["events"] if e["type"] == type_]
    return seq


def transitions(promotion):
    return [(h["from"], h["to"]) for h in promotion["history"] if h["from"] is not None]


def listed_ids(api, **params):
    r = api.get("/v1/promotions", params=params)
    assert r.status_code == 200, r.text
    return [p["id"] for p in r.json()["promotions"]]


def impressions_metric(server):
    text = server.api().get("/metrics").text
    found = dict(re.findall(r'^sw_impressions_total\{outcome="(\w+)"\} (\d+)$', text, re.M))
    return {k: int(found.get(k, 0)) for k in FIVE}


def without_version(p):
    return {k: v for k, v in p.items() if k != "version"}


@pytest.fixture
def w(server, operator):
    return World(server, operator)


# --- purchase and review ---------------------------------------------------------------------

def test_an_order_that_passes_every_check_is_running_at_once(server, w):
    r = w.buy(price="500.00")
    assert r.status_code == 201, r.text
    body = r.json()
    p = body["result"]
    assert re.fullmatch(r"pr[1-9][0-9]*", p["id"]), p["id"]
    assert r.headers["Location"] == f"/v1/promotions/{p['id']}"
    assert (p["merchant"], p["product"], p["status"], p["reasons"]) == ("m1", "p1", "running", [])
    assert (p["price_fen"], p["estimated_exposure"], p["duration_hours"]) == (50000, 10000, 24)
    assert (p["actual_exposure"], p["provisional"]) == (0, True)
    assert (p["completed_at"], p["completion"], p["final_at"], p["refund"]) == \
        (None, None, None, None)
    assert same_instant(body["at"], t()) and same_instant(p["created_at"], t())
    assert same_instant(p["started_at"], t())
    assert same_instant(p["ends_at"], t(hours=24))
    assert types(body) == ["promotion.created"] and body["replayed"] is False
    (ev,) = w.events("promotion.created")
    assert ev["seq"] == body["events"][0]["seq"] and ev["merchant"] == "m1"
    assert ev["policy_version"] == w.policy_version()
    got = w.get(p["id"], "m1")
    assert without_version(got) == without_version(p)
    assert w.get(p["id"], "op")["status"] == "running"


def test_a_failed_review_lists_every_failed_check_with_rule_and_policy_version(server, w):
    # p3: delisted, in health.supplements (not admitted), and m3 holds none of the three codes
    # the category (health_food_registration) and its industry (business_license,
    # food_business_license) require
    r = w.buy("m3", "p3", price="500.00")
    assert r.status_code == 201, r.text
    p = r.json()["result"]
    assert p["status"] == "review_failed"
    assert types(r.json()) == ["promotion.created"]
    assert collections.Counter(codes(p)) == {"product_delisted": 1, "category_not_admitted": 1,
                                             "qualification_missing": 3}
    version = w.policy_version()
    for reason in p["reasons"]:
        assert set(reason) >= {"code", "rule", "policy_version", "detail"}, reason
        assert isinstance(reason["rule"], str) and reason["rule"], reason
        assert isinstance(reason["detail"], str) and reason["detail"], reason
        assert reason["policy_version"] == version, reason
    missing = [x["detail"] for x in p["reasons"] if x["code"] == "qualification_missing"]
    for code in ("health_food_registration", "business_license", "food_business_license"):
        named = [d for d in missing if re.search(rf"(?<![a-z_]){code}(?![a-z_])", d)]
        assert len(named) == 1, (code, missing)
    assert (p["actual_exposure"], p["refund"]) == (0, None)
    assert w.get(p["id"], "m3")["reasons"] == p["reasons"]


def test_each_check_fails_on_its_own(server, w):
    # only delisted
    assert w.c("m1").post("/v1/products/p1/delist").status_code == 200
    p = w.bought("m1", "p1")
    assert (p["status"], codes(p)) == ("review_failed", ["product_delisted"])
    first = p["id"]
    # only one qualification missing: m1 is revoked its cosmetics filing
    assert w.c("m1").post("/v1/products/p1/list").status_code == 200
    # the failed order is not reviewed again: it stays failed (and unrefunded)
    assert w.get(first)["status"] == "review_failed"
    r = w.c("op").post(f"/v1/qualifications/{w.quals[('m1', 'cosmetics_filing')]}/revoke",
                       {"note": "forged"})
    assert r.status_code == 200, r.text
    p = w.bought("m1", "p1")
    assert (p["status"], codes(p)) == ("review_failed", ["qualification_missing"])
    assert "cosmetics_filing" in p["reasons"][0]["detail"]


def test_reports_for_an_order_that_never_ran_are_not_counted_and_not_recorded(server, w):
    """docs/promotion.md: for an order that never ran every report is not_counted at once, a
    repeated id included (no report can count, so none is kept to tell repeats apart)."""
    assert w.c("m1").post("/v1/products/p1/delist").status_code == 200
    p = w.bought("m1", "p1")
    assert p["status"] == "review_failed"
    now = w.get(p["id"])["created_at"]
    counts, _ = w.ingest([("z1", p["id"], now), ("z1", p["id"], now)])
    assert (counts["not_counted"], counts["duplicate"], counts["counted"]) == (2, 0, 0)
    counts, _ = w.ingest([("z1", p["id"], now)])
    assert (counts["not_counted"], counts["duplicate"]) == (1, 0)
    assert w.get(p["id"])["actual_exposure"] == 0


def test_a_review_failed_order_is_refunded_only_by_an_operator_and_only_once(server, w):
    p = w.bought("m3", "p3", price="500.00")
    assert p["status"] == "review_failed"
    # a month later nothing has refunded it by itself
    w.clock(t(days=30))
    got = w.get(p["id"])
    assert (got["status"], got["refund"]) == ("review_failed", None)
    assert w.events("promotion.refunded") == []
    before = server.db_counts()
    for who in ("m3", "ingest"):
        r = w.c(who).post(f"/v1/promotions/{p['id']}/refund", {"note": "please"})
        assert r.status_code == 403 and error_code(r) == "forbidden", (who, r.text)
    r = w.c("op").post(f"/v1/promotions/{p['id']}/refund", {})
    assert r.status_code == 400 and error_code(r) == "missing_field", r.text
    r = w.c("op").post(f"/v1/promotions/{p['id']}/refund", {"note": ""})
    assert r.status_code == 400 and error_code(r) == "invalid_value", r.text
    assert server.db_counts()["events"] == before["events"]
    assert w.get(p["id"]) == got
    r = w.c("op").post(f"/v1/promotions/{p['id']}/refund", {"note": "客服退款 #88"})
    assert r.status_code == 200, r.text
    done = r.json()["result"]
    assert done["status"] == "refunded"
    refund = done["refund"]
    assert (refund["amount_fen"], refund["note"]) == (50000, "客服退款 #88")
    assert refund["by"]["role"] == "operator" and refund["by"]["key"] is not None
    assert same_instant(refund["at"], t(days=30))
    assert types(r.json()) == ["promotion.refunded"]
    assert ("review_failed", "refunded") in transitions(done)
    # a second refund is refused and changes nothing
    before = server.db_counts()
    r = w.c("op").post(f"/v1/promotions/{p['id']}/refund", {"note": "again"})
    assert r.status_code == 409 and error_code(r) == "already_refunded", r.text
    assert server.db_counts()["events"] == before["events"]
    assert w.get(p["id"], "m3")["refund"]["note"] == "客服退款 #88"
    assert len(w.events("promotion.refunded")) == 1


def test_a_running_order_cannot_be_refunded(server, w):
    p = w.bought()
    before = server.db_counts()
    r = w.c("op").post(f"/v1/promotions/{p['id']}/refund", {"note": "customer asked"})
    assert r.status_code == 409 and error_code(r) == "state_conflict", r.text
    assert server.db_counts()["events"] == before["events"]
    got = w.get(p["id"])
    assert (got["status"], got["refund"]) == ("running", None)


def test_pause_and_cancel_are_refused_on_running_and_abnormal_orders(server, w):
    p = w.bought()

    def refused(expect_status):
        before, doc = server.db_counts(), w.get(p["id"])
        for who in ("m1", "op"):
            for action in ("pause", "cancel"):
                r = w.c(who).post(f"/v1/promotions/{p['id']}/{action}")
                assert r.status_code == 409, (who, action, r.text)
                assert error_code(r) == "promotion_not_pausable", (who, action, r.text)
        assert server.db_counts()["events"] == before["events"]
        after = w.get(p["id"])
        assert after == doc and after["status"] == expect_status

    refused("running")
    assert w.c("m1").post("/v1/products/p1/delist").status_code == 200
    refused("abnormal")


def test_pause_and_cancel_of_a_review_failed_order_are_state_conflicts(server, w):
    p = w.bought("m3", "p3")
    doc = w.get(p["id"])
    for who in ("m3", "op"):
        for action in ("pause", "cancel"):
            r = w.c(who).post(f"/v1/promotions/{p['id']}/{action}")
            assert r.status_code == 409 and error_code(r) == "state_conflict", r.text
    assert w.get(p["id"]) == doc


def test_pause_and_cancel_refuse_an_unknown_field_first(server, w):
    """docs/api.md error order: an unknown field comes first, before what the command would
    refuse (promotion_not_pausable); no body and {} are still refused by the rule."""
    p = w.bought()
    before = server.db_counts()
    for who in ("m1", "op"):
        for action in ("pause", "cancel"):
            path = f"/v1/promotions/{p['id']}/{action}"
            r = w.c(who).post(path, {"reason": "x"})
            assert (r.status_code, error_code(r)) == (400, "unknown_field"), (who, r.text)
            assert r.json()["error"]["details"]["field"] == "reason", r.text
            for body in (None, {}):
                r = w.c(who).post(path, body)
                assert (r.status_code, error_code(r)) == (409, "promotion_not_pausable"), r.text
            # If-Match, as the spec lists it: the current version reaches the rule, a stale
            # one is 412
            version = w.get(p["id"])["version"]
            r = w.c(who).post(path, headers={"If-Match": f'"{version}"'})
            assert (r.status_code, error_code(r)) == (409, "promotion_not_pausable"), r.text
            r = w.c(who).post(path, headers={"If-Match": f'"{version + 7}"'})
            assert (r.status_code, error_code(r)) == (412, "version_mismatch"), r.text
    assert server.db_counts()["events"] == before["events"]


def test_a_price_above_the_ceiling_names_the_range_from_one_fen(server, w):
    """A package's price is above zero (0 is refused), so the range the message names starts
    at 1 fen; the ceiling is 10^15 fen (docs/promotion.md)."""
    good = {"product": "p1", "estimated_exposure": 10000, "duration_hours": 24}
    r = w.c("m1").post("/v1/promotions", {**good, "price_fen": 9007199254740993})
    assert (r.status_code, error_code(r)) == (400, "amount_overflow"), r.text
    assert r.json()["error"]["details"]["field"] == "price_fen"
    msg = r.json()["error"]["message"]
    assert "between 1 and 1000000000000000" in msg and "between 0" not in msg, msg
    r = w.c("m1").post("/v1/promotions", {**good, "price_fen": 1000000000000001})
    assert (r.status_code, error_code(r)) == (400, "amount_overflow"), r.text
    r = w.c("m1").post("/v1/promotions", {**good, "price_fen": 1000000000000000})
    assert r.status_code == 201, r.text
    r = w.c("m1").post("/v1/promotions", {**good, "price": "10000000000000.01"})
    assert (r.status_code, error_code(r)) == (400, "amount_overflow"), r.text
    assert r.json()["error"]["details"]["field"] == "price"
    r = w.c("m1").post("/v1/promotions", {**good, "price": "10000000000000.00"})
    assert r.status_code == 201, r.text


def test_a_restricted_store_cannot_buy(server, w):
    r = w.c("op").post("/v1/merchants/m1/restrict", {"reason": "under review"})
    assert r.status_code == 200, r.text
    before = server.db_counts()
    r = w.buy("m1", "p1")
    assert r.status_code == 422 and error_code(r) == "merchant_restricted", r.text
    assert server.db_counts() == before
    assert listed_ids(w.c("op")) == [] and listed_ids(w.c("m1")) == []
    assert w.events("promotion.created") == []


def test_bad_orders_are_refused_and_change_nothing(server, w):
    good = {"product": "p1", "price_fen": 50000, "estimated_exposure": 10000,
            "duration_hours": 24}
    drop = lambda k: {x: v for x, v in good.items() if x != k}  # noqa: E731
    cases = [
        (drop("product"), 400, "missing_field", "product"),
        (drop("estimated_exposure"), 400, "missing_field", "estimated_exposure"),
        (drop("duration_hours"), 400, "missing_field", "duration_hours"),
        ({**good, "colour": "red"}, 400, "unknown_field", "colour"),
        # the key names the store: a body may not, not even its own
        ({**good, "merchant": "m1"}, 400, "unknown_field", "merchant"),
        ({**good, "merchant": "m2"}, 400, "unknown_field", "merchant"),
        ({**good, "estimated_exposure": 0}, 400, "invalid_value", "estimated_exposure"),
        ({**good, "duration_hours": -1}, 400, "invalid_value", "duration_hours"),
        ({**good, "duration_hours": "24"}, 400, "wrong_type", "duration_hours"),
        ({**good, "price_fen": 0}, 400, "invalid_value", "price_fen"),
        ({**drop("price_fen"), "price": "0.00"}, 400, "invalid_value", "price"),
        ({**good, "product": "nosuch"}, 404, "not_found", None),
        # another store's product is answered as one that does not exist
        ({**good, "product": "p2"}, 404, "not_found", None),
    ]
    before = server.db_counts()
    for body, status, code, field in cases:
        r = w.c("m1").post("/v1/promotions", body)
        assert (r.status_code, error_code(r)) == (status, code), (body, r.text)
        if field:
            assert r.json()["error"]["details"].get("field") == field, (body, r.text)
    assert server.db_counts() == before
    assert listed_ids(w.c("op")) == []


def test_a_purchase_is_idempotent_by_key(server, w):
    r1 = w.buy(idem="buy-1")
    r2 = w.buy(idem="buy-1")
    assert r1.status_code == r2.status_code == 201, r2.text
    assert r2.json()["replayed"] is True
    assert r2.json()["result"]["id"] == r1.json()["result"]["id"]
    assert r2.headers["Location"] == r1.headers["Location"]
    assert listed_ids(w.c("m1")) == [r1.json()["result"]["id"]]
    r3 = w.buy(idem="buy-1", estimated_exposure=5)
    assert r3.status_code == 409 and error_code(r3) == "idempotency_conflict", r3.text


def test_a_store_sees_only_its_own_promotions(server, w):
    mine = w.bought("m1", "p1")["id"]
    theirs = w.bought("m2", "p2")["id"]
    r = w.c("m2").get(f"/v1/promotions/{mine}")
    assert r.status_code == 404 and error_code(r) == "not_found", r.text
    unknown = w.c("m2").get("/v1/promotions/pr999")
    assert unknown.status_code == 404 and error_code(unknown) == "not_found"
    assert listed_ids(w.c("m2")) == [theirs]
    assert listed_ids(w.c("m1")) == [mine]
    assert sorted(listed_ids(w.c("op"))) == sorted([mine, theirs])
    assert listed_ids(w.c("op"), merchant="m1") == [mine]
    for action in ("pause", "cancel", "refund"):
        body = {"note": "x"} if action == "refund" else None
        r = w.c("m2").post(f"/v1/promotions/{mine}/{action}", body)
        assert r.status_code in (403, 404), (action, r.text)
    r = w.c("op").get("/v1/promotions", params={"status": "paused"})
    assert r.status_code == 400 and error_code(r) == "invalid_value", r.text


def test_a_store_naming_another_store_in_the_list_sees_only_its_own(server, w):
    # As every list of the API (violations, orders): a store key lists its own store; another
    # store named in `merchant` is a store that does not exist for it (404, issue 2: "others'
    # objects are 404"), and it learns nothing of another's orders.
    mine = w.bought("m1", "p1")["id"]
    theirs = w.bought("m2", "p2")["id"]
    assert listed_ids(w.c("m2"), merchant="m2") == [theirs]
    for params in ({"merchant": "m1"}, {"merchant": "m1", "status": "running"},
                   {"merchant": "m-none"}):
        r = w.c("m2").get("/v1/promotions", params=params)
        assert r.status_code == 404 and error_code(r) == "not_found", r.text
        assert mine not in r.text
    r = w.c("m2").get("/v1/promotions")
    assert r.status_code == 200 and [p["id"] for p in r.json()["promotions"]] == [theirs]


def test_a_store_reads_its_own_promotion_events_only(server, w):
    mine = w.bought("m1", "p1")["id"]
    theirs = w.bought("m2", "p2")["id"]
    assert w.c("m1").post("/v1/products/p1/delist").status_code == 200
    for who, pid in (("m1", mine), ("m2", theirs)):
        r = w.c(who).get("/v1/events", params={"type": "promotion.created"})
        assert r.status_code == 200, r.text
        assert [(e["subject"], e["merchant"]) for e in r.json()["events"]] == [(pid, who)]
    r = w.c("m2").get("/v1/events", params={"type": "promotion.abnormal"})
    assert r.json()["events"] == []
    r = w.c("m1").get("/v1/events", params={"type": "promotion.abnormal"})
    assert [e["subject"] for e in r.json()["events"]] == [mine]


def test_the_list_filters_by_status(server, w):
    running = w.bought("m1", "p1")["id"]
    failed = w.bought("m3", "p3")["id"]
    assert listed_ids(w.c("op"), status="running") == [running]
    assert listed_ids(w.c("op"), status="review_failed") == [failed]
    assert listed_ids(w.c("op"), status="abnormal") == []
    assert listed_ids(w.c("m3"), status="running") == []
    assert listed_ids(w.c("m3")) == [failed]


# --- abnormal orders ---------------------------------------------------------------------------

def test_delist_makes_the_order_abnormal_and_relist_resumes_it(server, w):
    p = w.bought()
    pid = p["id"]
    w.clock(t(hours=1))
    assert w.ingest([("before", pid, t(minutes=30))])[0] == counts(counted=1)
    r = w.c("m1").post("/v1/products/p1/delist")
    assert r.status_code == 200, r.text
    # in the same command as the delist
    assert "product.delisted" in types(r.json()) and "promotion.abnormal" in types(r.json())
    abnormal_seq = seq_of(r.json(), "promotion.abnormal")
    got = w.get(pid, "m1")
    assert (got["status"], codes(got)) == ("abnormal", ["product_delisted"])
    assert got["reasons"][0]["policy_version"] == w.policy_version()
    last = got["history"][-1]
    assert (last["from"], last["to"], last["event_seq"]) == ("running", "abnormal", abnormal_seq)
    assert same_instant(last["at"], t(hours=1)) and last["cause"]
    # a history entry's reasons: reason objects (or their codes)
    assert [x["code"] if isinstance(x, dict) else x for x in last["reasons"]] == \
        ["product_delisted"]
    # the abnormal-orders list, with the reasons: the store's own and the operators'
    for who in ("m1", "op"):
        r = w.c(who).get("/v1/promotions", params={"status": "abnormal"})
        assert r.status_code == 200, r.text
        assert [(x["id"], codes(x)) for x in r.json()["promotions"]] == \
            [(pid, ["product_delisted"])]
    assert listed_ids(w.c("m2"), status="abnormal") == []
    assert listed_ids(w.c("op"), status="abnormal", merchant="m2") == []
    # reported while abnormal, shown while abnormal: not counted
    w.clock(t(hours=1, minutes=30))
    assert w.ingest([("during-1", pid, t(hours=1, minutes=15))])[0] == counts(not_counted=1)
    w.clock(t(hours=2))
    r = w.c("m1").post("/v1/products/p1/list")
    assert r.status_code == 200, r.text
    assert "promotion.resumed" in types(r.json())
    got = w.get(pid, "m1")
    assert (got["status"], got["reasons"]) == ("running", [])
    last = got["history"][-1]
    assert (last["from"], last["to"]) == ("abnormal", "running")
    assert last["event_seq"] == seq_of(r.json(), "promotion.resumed")
    assert same_instant(last["at"], t(hours=2))
    assert transitions(got)[-2:] == [("running", "abnormal"), ("abnormal", "running")]
    assert listed_ids(w.c("m1"), status="abnormal") == []
    # reported after the resume: an instant inside the abnormal window still does not count
    w.clock(t(hours=2, minutes=30))
    c, _ = w.ingest([("during-2", pid, t(hours=1, minutes=45)),
                     ("during-3", pid, t(hours=1, minutes=0, seconds=30)),
                     ("after", pid, t(hours=2, minutes=15))])
    assert c == counts(counted=1, not_counted=2)
    assert w.get(pid)["actual_exposure"] == 2
    # an id seen before is a duplicate whatever its first outcome was (PROMO.md)
    c, _ = w.ingest([("during-1", pid, t(hours=2, minutes=20))])
    assert c == counts(duplicate=1)


def test_the_end_moves_out_by_the_time_spent_abnormal(server, w):
    pid = w.bought(duration_hours=24)["id"]
    w.clock(t(hours=1))
    assert w.c("m1").post("/v1/products/p1/delist").status_code == 200
    w.clock(t(hours=3, minutes=30))
    assert w.c("m1").post("/v1/products/p1/list").status_code == 200
    got = w.get(pid)
    assert got["status"] == "running"
    # 24 h + 2 h 30 min abnormal
    assert same_instant(got["ends_at"], t(hours=26, minutes=30)), got["ends_at"]
    w.clock(t(hours=24))  # the end it had before
    assert w.get(pid)["status"] == "running"
    w.clock(t(hours=26, minutes=29, seconds=59))
    assert w.get(pid)["status"] == "running"
    w.clock(t(hours=26, minutes=30))
    got = w.get(pid)
    assert (got["status"], got["completion"]) == ("completed", "duration_ended")
    assert same_instant(got["completed_at"], t(hours=26, minutes=30))


def test_an_abnormal_order_does_not_end_while_abnormal(server, w):
    pid = w.bought(duration_hours=1)["id"]
    w.clock(t(minutes=30))
    assert w.c("m1").post("/v1/products/p1/delist").status_code == 200
    w.clock(t(hours=5))  # long past the first end
    got = w.get(pid)
    assert (got["status"], got["completed_at"]) == ("abnormal", None)
    assert w.events("promotion.completed") == []
    assert w.c("m1").post("/v1/products/p1/list").status_code == 200
    # 30 min had run; 30 min are left after the resume
    got = w.get(pid)
    assert got["status"] == "running"
    assert same_instant(got["ends_at"], t(hours=5, minutes=30)), got["ends_at"]
    w.clock(t(hours=5, minutes=29, seconds=59))
    assert w.get(pid)["status"] == "running"
    w.clock(t(hours=5, minutes=30))
    got = w.get(pid)
    assert (got["status"], got["completion"]) == ("completed", "duration_ended")


def test_a_category_edit_that_fails_a_check_makes_the_order_abnormal(server, w):
    # "if a check stops holding": fresh.fruit asks for food_business_license and
    # origin_certificate, which m1 does not hold
    pid = w.bought()["id"]
    # the store takes fruit on (a product stays within its store's categories)
    r = w.c("op").patch("/v1/merchants/m1", {"categories": ["beauty.skincare", "fresh.fruit"]})
    assert r.status_code == 200, r.text
    r = w.c("m1").patch("/v1/products/p1", {"category": "fresh.fruit"})
    assert r.status_code == 200, r.text
    assert "promotion.abnormal" in types(r.json())
    got = w.get(pid)
    assert (got["status"], codes(got)) == \
        ("abnormal", ["qualification_missing", "qualification_missing"])
    r = w.c("m1").patch("/v1/products/p1", {"category": "beauty.skincare"})
    assert r.status_code == 200, r.text
    assert "promotion.resumed" in types(r.json())
    assert w.get(pid)["status"] == "running"


def test_an_abnormal_order_completes_when_late_reports_reach_the_estimate(server, w):
    # impressions shown while it ran, reported (in time) while it is abnormal, still count
    pid = w.bought(estimated_exposure=2)["id"]
    w.clock(t(minutes=20))
    assert w.ingest([("n1", pid, t(minutes=5))])[0] == counts(counted=1)
    assert w.c("m1").post("/v1/products/p1/delist").status_code == 200
    w.clock(t(minutes=40))
    c, body = w.ingest([("n2", pid, t(minutes=10)), ("n3", pid, t(minutes=30))])
    assert c == counts(counted=1, not_counted=1)
    assert "promotion.completed" in types(body)
    got = w.get(pid)
    assert (got["status"], got["completion"], got["actual_exposure"]) == \
        ("completed", "estimate_reached", 2)
    assert same_instant(got["completed_at"], t(minutes=40))


def test_two_abnormal_spells_both_stop_counting_and_both_move_the_end(server, w):
    pid = w.bought()["id"]
    for start, end in ((10, 20), (40, 50)):
        w.clock(t(minutes=start))
        assert w.c("m1").post("/v1/products/p1/delist").status_code == 200
        w.clock(t(minutes=end))
        assert w.c("m1").post("/v1/products/p1/list").status_code == 200
    w.clock(t(minutes=60))
    c, _ = w.ingest([("a", pid, t(minutes=5)), ("b", pid, t(minutes=15)),
                     ("c", pid, t(minutes=30)), ("d", pid, t(minutes=45)),
                     ("e", pid, t(minutes=55))])
    assert c == counts(counted=3, not_counted=2)
    got = w.get(pid)
    assert same_instant(got["ends_at"], t(hours=24, minutes=20)), got["ends_at"]
    assert transitions(got)[-4:] == [("running", "abnormal"), ("abnormal", "running")] * 2


def test_a_clock_jump_past_the_end_completes_at_the_end_and_finalizes(server, w):
    pid = w.bought(duration_hours=1)["id"]
    r = w.clock(t(hours=10))
    assert r["timers_fired"] >= 2, r
    got = w.get(pid)
    assert (got["status"], got["completion"], got["provisional"]) == \
        ("completed", "duration_ended", False)
    assert same_instant(got["completed_at"], t(hours=1))
    assert same_instant(got["final_at"], t(hours=3))
    assert [e["subject"] for e in w.events("promotion.finalized")] == [pid]


def test_the_abnormal_list_pages(server, w):
    ids = [w.bought()["id"] for _ in range(3)]
    assert w.c("m1").post("/v1/products/p1/delist").status_code == 200
    r = w.c("m1").get("/v1/promotions", params={"status": "abnormal", "limit": 2})
    assert r.status_code == 200, r.text
    first = r.json()
    assert first["has_more"] is True and len(first["promotions"]) == 2
    r = w.c("m1").get("/v1/promotions", params={"status": "abnormal", "limit": 2,
                                                "after": first["next_after"]})
    assert r.status_code == 200, r.text
    second = r.json()
    assert (second["has_more"], second["next_after"]) == (False, None)
    seen = [p["id"] for p in first["promotions"] + second["promotions"]]
    assert sorted(seen) == sorted(ids)


def test_a_completed_order_does_not_go_abnormal(server, w):
    pid = w.bought(duration_hours=1)["id"]
    w.clock(t(hours=1))
    assert w.get(pid)["status"] == "completed"
    r = w.c("m1").post("/v1/products/p1/delist")
    assert r.status_code == 200, r.text
    assert "promotion.abnormal" not in types(r.json())
    got = w.get(pid)
    assert (got["status"], got["reasons"]) == ("completed", [])
    assert listed_ids(w.c("m1"), status="abnormal") == []


def test_a_banned_product_makes_the_order_abnormal_until_unbanned_and_relisted(server, w):
    pid = w.bought()["id"]
    w.clock(t(minutes=10))
    r = w.c("op").post("/v1/products/p1/ban", {"reason": "counterfeit"})
    assert r.status_code == 200, r.text
    assert "promotion.abnormal" in types(r.json())
    got = w.get(pid, "m1")
    assert got["status"] == "abnormal" and "product_banned" in codes(got), got["reasons"]
    assert listed_ids(w.c("m1"), status="abnormal") == [pid]
    # unbanned, the product is delisted: still abnormal, now for that
    r = w.c("op").post("/v1/products/p1/unban")
    assert r.status_code == 200, r.text
    assert "promotion.resumed" not in types(r.json())
    got = w.get(pid)
    assert (got["status"], codes(got)) == ("abnormal", ["product_delisted"])
    w.clock(t(minutes=40))
    r = w.c("m1").post("/v1/products/p1/list")
    assert r.status_code == 200 and "promotion.resumed" in types(r.json()), r.text
    got = w.get(pid)
    assert (got["status"], got["reasons"]) == ("running", [])
    assert same_instant(got["ends_at"], t(hours=24, minutes=30))


def admitting(version, categories):
    doc = default_policy()
    doc["version"] = version
    doc["promotion"]["admitted_categories"] = categories
    return doc


def test_a_policy_that_drops_the_category_makes_orders_abnormal_and_readmission_resumes(server,
                                                                                          w):
    beauty = w.bought("m1", "p1")["id"]
    fresh = w.bought("m2", "p2")["id"]
    admitted = default_policy()["promotion"]["admitted_categories"]
    assert "beauty.*" in admitted
    w.clock(t(hours=1))
    r = server.admin().post("/v1/admin/policy",
                            admitting("promo-2", [c for c in admitted if c != "beauty.*"]))
    assert r.status_code == 200, r.text
    assert types(r.json()).count("promotion.abnormal") == 1, types(r.json())
    assert "policy.activated" in types(r.json())
    got = w.get(beauty, "m1")
    assert (got["status"], codes(got)) == ("abnormal", ["category_not_admitted"])
    assert got["reasons"][0]["policy_version"] == "promo-2"
    assert w.get(fresh)["status"] == "running"
    assert listed_ids(w.c("op"), status="abnormal") == [beauty]
    # a purchase under the new version fails its review naming it
    failed = w.bought("m1", "p1")
    assert (failed["status"], codes(failed)) == ("review_failed", ["category_not_admitted"])
    assert failed["reasons"][0]["policy_version"] == "promo-2"
    w.clock(t(hours=4))
    r = server.admin().post("/v1/admin/policy", admitting("promo-3", admitted))
    assert r.status_code == 200, r.text
    assert types(r.json()).count("promotion.resumed") == 1, types(r.json())
    got = w.get(beauty)
    assert (got["status"], got["reasons"]) == ("running", [])
    assert same_instant(got["ends_at"], t(hours=27))
    # a failed review stays failed: only running orders are re-checked
    assert w.get(failed["id"])["status"] == "review_failed"
    assert listed_ids(w.c("op"), status="abnormal") == []


def test_admission_patterns_exact_code_and_star(server, w):
    beauty = w.bought("m1", "p1")["id"]
    fresh = w.bought("m2", "p2")["id"]
    r = server.admin().post("/v1/admin/policy", admitting("promo-2", ["beauty.skincare"]))
    assert r.status_code == 200, r.text
    assert w.get(beauty)["status"] == "running"
    got = w.get(fresh)
    assert (got["status"], codes(got)) == ("abnormal", ["category_not_admitted"])
    r = server.admin().post("/v1/admin/policy", admitting("promo-3", ["*"]))
    assert r.status_code == 200, r.text
    assert w.get(fresh)["status"] == "running"
    # everything admitted: p3 fails its review for the other two checks only
    p = w.bought("m3", "p3")
    assert p["status"] == "review_failed"
    assert "category_not_admitted" not in codes(p)
    assert collections.Counter(codes(p)) == {"product_delisted": 1, "qualification_missing": 3}


def test_a_qualification_that_expires_at_midnight_asia_shanghai_makes_orders_abnormal(server, w):
    # m4 sells apparel.women, which needs only business_license; its record ends with
    # 2026-01-06 in Asia/Shanghai, i.e. at 2026-01-06T16:00:00Z
    w.add_store("m4", "apparel.women", "p4", "纯棉连衣裙", ("business_license",),
                expires_on="2026-01-06")
    w.add_product("m4", "p5", "apparel.women", "羊毛针织开衫")
    orders = [w.bought("m4", pid, duration_hours=72)["id"] for pid in ("p4", "p5")]
    other = w.bought("m1", "p1", duration_hours=72)["id"]
    w.clock("2026-01-06T15:59:59Z")
    assert [w.get(x)["status"] for x in orders] == ["running", "running"]
    w.clock("2026-01-06T16:00:00Z")
    for x in orders:
        got = w.get(x, "m4")
        assert (got["status"], codes(got)) == ("abnormal", ["qualification_missing"]), x
        assert "business_license" in got["reasons"][0]["detail"]
        assert same_instant(got["history"][-1]["at"], "2026-01-06T16:00:00Z")
    assert w.get(other)["status"] == "running"
    assert sorted(listed_ids(w.c("m4"), status="abnormal")) == sorted(orders)
    # a new approved record clears the reason: both run again, their end 10 h later
    w.clock("2026-01-07T02:00:00Z")
    r = w.c("m4").post("/v1/merchants/m4/qualifications", {
        "code": "business_license", "documents": ["f/new.pdf"], "expires_on": FAR})
    assert r.status_code == 201, r.text
    assert w.get(orders[0])["status"] == "abnormal"  # in review: not held yet
    r = w.c("op").post(f"/v1/qualifications/{r.json()['result']['id']}/decision",
                       {"decision": "approve"})
    assert r.status_code == 200, r.text
    assert types(r.json()).count("promotion.resumed") == 2, types(r.json())
    for x in orders:
        got = w.get(x)
        assert (got["status"], got["reasons"]) == ("running", [])
        assert same_instant(got["ends_at"], t(hours=82)), got["ends_at"]


def test_an_order_whose_duration_ends_as_a_qualification_expires_completes(server, w):
    # running is [started_at, ends_at): at ends_at the order has run in full, so a check that
    # fails at that same instant (the expiry timer, scheduled before the order's end timer)
    # cannot make it abnormal; an order still running then does go abnormal
    w.add_store("m4", "apparel.women", "p4", "纯棉连衣裙", ("business_license",),
                expires_on="2026-01-06")  # held until 2026-01-06T16:00:00Z = T0 + 39 h
    w.add_product("m4", "p5", "apparel.women", "羊毛针织开衫")
    ends = w.bought("m4", "p4", duration_hours=39)
    longer = w.bought("m4", "p5", duration_hours=72)["id"]
    assert same_instant(ends["ends_at"], "2026-01-06T16:00:00Z")
    w.clock("2026-01-06T20:00:00Z")
    got = w.get(ends["id"], "m4")
    assert (got["status"], got["completion"], got["reasons"]) == \
        ("completed", "duration_ended", []), got
    assert same_instant(got["completed_at"], "2026-01-06T16:00:00Z")
    assert ("running", "abnormal") not in transitions(got)
    other = w.get(longer, "m4")
    assert (other["status"], codes(other)) == ("abnormal", ["qualification_missing"])
    assert ends["id"] not in listed_ids(w.c("m4"), status="abnormal")


def test_a_revoked_qualification_makes_the_order_abnormal_until_a_new_one_is_approved(server,
                                                                                         w):
    pid = w.bought()["id"]
    w.clock(t(hours=1))
    r = w.c("op").post(f"/v1/qualifications/{w.quals[('m1', 'cosmetics_filing')]}/revoke",
                       {"note": "forged filing"})
    assert r.status_code == 200, r.text
    assert "promotion.abnormal" in types(r.json())
    got = w.get(pid, "m1")
    assert (got["status"], codes(got)) == ("abnormal", ["qualification_missing"])
    assert "cosmetics_filing" in got["reasons"][0]["detail"]
    w.clock(t(hours=2))
    qualify(w.c("op"), "m1", "cosmetics_filing")
    got = w.get(pid)
    assert (got["status"], got["reasons"]) == ("running", [])
    assert transitions(got)[-2:] == [("running", "abnormal"), ("abnormal", "running")]


def test_a_code_is_held_while_any_approved_record_of_it_is_unexpired(server, w):
    # a second business_license record for m1, ending with 2026-01-06 (Asia/Shanghai): its
    # expiry, and the revocation of the first, leave the code held by the other one
    short = qualify(w.c("op"), "m1", "business_license", expires_on="2026-01-06")
    pid = w.bought(duration_hours=72)["id"]
    w.clock("2026-01-06T16:00:00Z")
    assert w.c("op").get(f"/v1/qualifications/{short}").json()["status"] == "expired"
    assert w.get(pid)["status"] == "running"
    third = qualify(w.c("op"), "m1", "business_license")
    r = w.c("op").post(f"/v1/qualifications/{w.quals[('m1', 'business_license')]}/revoke",
                       {"note": "replaced"})
    assert r.status_code == 200, r.text
    assert "promotion.abnormal" not in types(r.json())
    assert w.get(pid)["status"] == "running"
    r = w.c("op").post(f"/v1/qualifications/{third}/revoke", {"note": "forged"})
    assert r.status_code == 200 and "promotion.abnormal" in types(r.json()), r.text
    got = w.get(pid)
    assert (got["status"], codes(got)) == ("abnormal", ["qualification_missing"])
    assert "business_license" in got["reasons"][0]["detail"]


def test_every_current_reason_must_clear_before_the_order_resumes(server, w):
    pid = w.bought()["id"]
    assert w.c("m1").post("/v1/products/p1/delist").status_code == 200
    r = w.c("op").post(f"/v1/qualifications/{w.quals[('m1', 'cosmetics_filing')]}/revoke",
                       {"note": "forged filing"})
    assert r.status_code == 200, r.text
    assert "promotion.reasons_changed" in types(r.json())
    assert "promotion.abnormal" not in types(r.json())
    got = w.get(pid)
    assert (got["status"], codes(got)) == \
        ("abnormal", ["product_delisted", "qualification_missing"])
    r = w.c("m1").post("/v1/products/p1/list")
    assert r.status_code == 200, r.text
    assert "promotion.resumed" not in types(r.json())
    got = w.get(pid)
    assert (got["status"], codes(got)) == ("abnormal", ["qualification_missing"])
    qualify(w.c("op"), "m1", "cosmetics_filing")
    assert w.get(pid)["status"] == "running"


# --- exposure ----------------------------------------------------------------------------------

def test_duplicates_count_once_within_and_across_batches(server, w):
    a = w.bought()["id"]
    b = w.bought("m2", "p2")["id"]
    w.clock(t(minutes=30))
    at = t(minutes=10)
    c, body = w.ingest([("x1", a, at), ("x1", a, at), ("x2", a, at), ("x1", b, at)])
    # the same id for another order is another impression
    assert c == counts(counted=3, duplicate=1)
    # one exposure event per order that counted something, not one per impression
    assert types(body).count("promotion.exposure_counted") == 2
    evs = {e["payload"]["id"]: {k: e["payload"][k] for k in ("id", "counted", "actual_exposure")}
           for e in w.events("promotion.exposure_counted")}
    assert evs == {a: {"id": a, "counted": 2, "actual_exposure": 2},
                   b: {"id": b, "counted": 1, "actual_exposure": 1}}
    c, body = w.ingest([("x2", a, at), ("x3", a, t(minutes=20)), ("x1", a, t(minutes=25))])
    assert c == counts(counted=1, duplicate=2)
    c, body = w.ingest([("x1", a, at), ("x1", b, at)])
    assert c == counts(duplicate=2)
    assert "promotion.exposure_counted" not in types(body)
    assert (w.get(a)["actual_exposure"], w.get(b)["actual_exposure"]) == (3, 1)
    assert len(w.events("promotion.exposure_counted")) == 3


def test_concurrent_requests_with_the_same_ids_count_each_once(server, w):
    pid = w.bought(estimated_exposure=100000)["id"]
    w.clock(t(minutes=30))
    body = {"impressions": [{"impression_id": f"c{i}", "promotion": pid, "at": t(minutes=10)}
                            for i in range(500)]}
    key = w.keys["ingest"]
    answers = []

    def send():
        r = server.api(key).post("/v1/impressions", body)
        answers.append(r)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert [r.status_code for r in answers] == [200] * 4, [r.text for r in answers]
    assert sum(r.json()["counted"] for r in answers) == 500
    assert sum(r.json()["duplicate"] for r in answers) == 1500
    assert w.get(pid)["actual_exposure"] == 500


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_duplicates_count_once_across_a_restart(server, w, sig):
    pid = w.bought()["id"]
    w.clock(t(minutes=30))
    batch = [(f"r{i}", pid, t(minutes=i)) for i in range(1, 6)]
    assert w.ingest(batch)[0] == counts(counted=5)
    w.restart(sig)
    c, _ = w.ingest(batch + [("r6", pid, t(minutes=6))])
    assert c == counts(counted=1, duplicate=5)
    assert w.get(pid)["actual_exposure"] == 6
    w.restart(sig)
    assert w.ingest(batch)[0] == counts(duplicate=5)
    assert w.get(pid)["actual_exposure"] == 6


def test_ids_of_completed_and_abnormal_orders_stay_duplicates_after_a_kill(server, w):
    done = w.bought(duration_hours=1)["id"]
    stopped = w.bought("m2", "p2")["id"]
    w.clock(t(minutes=40))
    c, _ = w.ingest([("x", done, t(minutes=30)), ("x", stopped, t(minutes=30))])
    assert c == counts(counted=2)
    assert w.c("m2").post("/v1/products/p2/delist").status_code == 200
    w.clock(t(hours=1))
    assert w.get(done)["status"] == "completed"
    w.restart(signal.SIGKILL)
    # still within stats_delay of both impressions, and of done's completion
    w.clock(t(hours=1, minutes=30))
    c, _ = w.ingest([("x", done, t(minutes=30)), ("x", stopped, t(minutes=30)),
                     ("y", done, t(minutes=35))])
    assert c == counts(duplicate=2, counted=1)
    assert (w.get(done)["actual_exposure"], w.get(stopped)["actual_exposure"]) == (2, 1)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_an_id_not_counted_is_still_a_duplicate_after_a_restart(server, w, sig):
    # "duplicate: the id was already reported for that order ... whatever came of it then"
    w.clock(t(hours=1))
    pid = w.bought()["id"]  # started at T0 + 1 h
    w.clock(t(hours=1, minutes=30))
    c, _ = w.ingest([("early", pid, t(minutes=50)), ("ok", pid, t(hours=1, minutes=10))])
    assert c == counts(counted=1, not_counted=1)
    w.restart(sig)
    c, _ = w.ingest([("early", pid, t(hours=1, minutes=20)), ("ok", pid, t(hours=1, minutes=20))])
    assert c == counts(duplicate=2)
    assert w.get(pid)["actual_exposure"] == 1


def test_a_retried_ingest_request_is_answered_as_first_by_its_key(server, w):
    pid = w.bought()["id"]
    w.clock(t(minutes=30))
    body = {"impressions": [{"impression_id": f"k{i}", "promotion": pid, "at": t(minutes=i)}
                            for i in range(1, 4)]}
    first = w.c("ingest").post("/v1/impressions", body, idem="batch-1")
    again = w.c("ingest").post("/v1/impressions", body, idem="batch-1")
    assert first.status_code == again.status_code == 200, again.text
    assert again.json()["replayed"] is True
    # the replay is the first answer (3 counted), not a second look (3 duplicates)
    assert {k: again.json()[k] for k in FIVE} == counts(counted=3)
    assert again.json()["command_seq"] == first.json()["command_seq"]
    assert w.get(pid)["actual_exposure"] == 3
    assert len(w.events("promotion.exposure_counted")) == 1
    # without the key, the same batch is a new request: every id a duplicate
    assert w.ingest([(x["impression_id"], pid, x["at"]) for x in body["impressions"]])[0] == \
        counts(duplicate=3)


def test_a_refund_retried_with_its_key_is_a_replay_not_a_second_refund(server, w):
    pid = w.bought("m3", "p3")["id"]
    r1 = w.c("op").post(f"/v1/promotions/{pid}/refund", {"note": "退款"}, idem="refund-1")
    r2 = w.c("op").post(f"/v1/promotions/{pid}/refund", {"note": "退款"}, idem="refund-1")
    assert r1.status_code == r2.status_code == 200, r2.text
    assert r2.json()["replayed"] is True and r2.json()["result"]["status"] == "refunded"
    assert len(w.events("promotion.refunded")) == 1


def test_timers_and_abnormal_state_survive_a_kill(server, w):
    running = w.bought(duration_hours=2)["id"]
    abnormal = w.bought("m2", "p2", duration_hours=2)["id"]
    w.clock(t(minutes=30))
    assert w.c("m2").post("/v1/products/p2/delist").status_code == 200
    w.restart(signal.SIGKILL)
    got = w.get(abnormal)
    assert (got["status"], codes(got)) == ("abnormal", ["product_delisted"])
    w.clock(t(hours=1))
    assert w.c("m2").post("/v1/products/p2/list").status_code == 200
    assert same_instant(w.get(abnormal)["ends_at"], t(hours=2, minutes=30))
    w.restart(signal.SIGKILL)
    w.clock(t(hours=2))
    got = w.get(running)
    assert (got["status"], got["completion"]) == ("completed", "duration_ended")
    assert w.get(abnormal)["status"] == "running"
    w.clock(t(hours=2, minutes=30))
    assert w.get(abnormal)["status"] == "completed"
    w.restart(signal.SIGKILL)
    w.clock(t(hours=4))
    assert w.get(running)["provisional"] is False
    assert w.get(abnormal)["provisional"] is True


def test_late_reports_are_refused_and_counted_in_the_metric(server, w):
    pid = w.bought()["id"]
    w.clock(t(hours=3))
    before = impressions_metric(server)
    c, _ = w.ingest([
        ("edge", pid, t(hours=1)),                       # exactly 120 min: not late
        ("late-1", pid, t(hours=0, minutes=59, seconds=59)),  # 120 min 1 s
        ("late-2", pid, t(minutes=30)),
        ("edge", pid, t(minutes=30)),                    # late comes before duplicate
        ("future", pid, t(hours=3, seconds=1)),          # after the server's now
    ])
    assert c == counts(counted=1, late=2 + 1, not_counted=1)
    assert w.get(pid)["actual_exposure"] == 1
    after = impressions_metric(server)
    assert {k: after[k] - before[k] for k in FIVE} == c
    # a late impression is refused, not remembered as counted: an on-time report of the same
    # id is a new one (the duplicate rule is about ids seen, whatever their outcome, so only
    # assert that it is not counted twice)
    c, _ = w.ingest([("late-1", pid, t(hours=2))])
    assert c["counted"] + c["duplicate"] == 1 and c["late"] == 0


def test_the_stats_delay_is_the_policy_s(server, w):
    pid = w.bought()["id"]
    doc = default_policy()
    doc["version"] = "delay-30"
    doc["promotion"]["stats_delay_minutes"] = 30
    assert server.admin().post("/v1/admin/policy", doc).status_code == 200
    w.clock(t(hours=1))
    c, _ = w.ingest([("s1", pid, t(minutes=30)), ("s2", pid, t(minutes=29, seconds=59))])
    assert c == counts(counted=1, late=1)


def test_a_late_report_is_seen_once_and_never_counts_later_under_another_instant(server, w):
    """Issue 12: exposure is counted exactly once; an impression id is seen once for its order,
    whatever came of it (docs/promotion.md: duplicate "whatever came of it then"). An id first
    reported late is refused and remembered: sent again with a recent `at` it is a duplicate,
    not a count (audit: it counted the second time)."""
    pid = w.bought()["id"]
    w.clock(t(hours=3))
    assert w.ingest([("late-x", pid, t(minutes=59, seconds=59))])[0] == counts(late=1)
    assert w.ingest([("late-x", pid, t(hours=2, minutes=30))])[0] == counts(duplicate=1)
    assert w.get(pid)["actual_exposure"] == 0


def test_a_completed_order_keeps_the_stats_delay_it_completed_under(server, w):
    """docs/promotion.md: the figure stays provisional until final_at, stats_delay after
    completion, and reports of impressions shown before completion count until then. A policy
    that shortens the delay after the order completed does not make those reports late before
    the order's own final_at (audit: provisional until 06:00, yet every report late from 04:30);
    a new order completes under the new delay."""
    pid = w.bought(duration_hours=1)["id"]
    w.clock(t(hours=1))
    got = w.get(pid)
    assert (got["status"], got["provisional"]) == ("completed", True)
    assert same_instant(got["final_at"], t(hours=3))
    doc = default_policy()
    doc["version"] = "delay-30-after"
    doc["promotion"]["stats_delay_minutes"] = 30
    assert server.admin().post("/v1/admin/policy", doc).status_code == 200
    w.clock(t(hours=1, minutes=45))
    c, _ = w.ingest([("k1", pid, t(minutes=50))])  # shown while running, 55 min ago
    assert c == counts(counted=1)
    got = w.get(pid)
    assert (got["actual_exposure"], got["provisional"]) == (1, True)
    assert same_instant(got["final_at"], t(hours=3))


def test_an_impression_instant_with_an_offset_is_read_as_that_instant(server, w):
    pid = w.bought()["id"]
    w.clock(t(hours=3))
    # Asia/Shanghai wall time: 10:00 +08:00 is T0 + 1 h, exactly stats_delay before now
    c, _ = w.ingest([("o1", pid, "2026-01-05T10:00:00+08:00"),
                     ("o2", pid, "2026-01-05T09:59:59+08:00")])
    assert c == counts(counted=1, late=1)


def test_unknown_promotions_are_counted_as_such(server, w):
    pid = w.bought()["id"]
    w.clock(t(minutes=30))
    c, _ = w.ingest([("u1", "pr999", t(minutes=5)), ("u2", "nosuch", t(minutes=5)),
                     ("u3", pid, t(minutes=5))])
    assert c == counts(unknown_promotion=2, counted=1)
    assert w.get(pid)["actual_exposure"] == 1


def test_impressions_before_the_start_and_of_a_failed_order_are_not_counted(server, w):
    w.clock(t(hours=1))
    pid = w.bought()["id"]  # started at T0 + 1 h
    failed = w.bought("m3", "p3")["id"]
    w.clock(t(hours=1, minutes=30))
    c, _ = w.ingest([("s1", pid, t(minutes=50)), ("s2", pid, t(hours=1, minutes=10)),
                     ("s3", failed, t(hours=1, minutes=10)),
                     ("s4", pid, t(hours=1)),                  # at started_at: running
                     ("s5", pid, t(hours=1, minutes=30))])     # at the server's now: not future
    assert c == counts(counted=3, not_counted=2)


def test_more_than_10000_impressions_in_one_request_are_refused_and_nothing_counts(server, w):
    pid = w.bought(estimated_exposure=100000)["id"]
    w.clock(t(minutes=30))
    at = t(minutes=10)
    items = [{"impression_id": f"b{i}", "promotion": pid, "at": at} for i in range(10001)]
    before = server.db_counts()
    r = w.c("ingest").post("/v1/impressions", {"impressions": items})
    assert r.status_code == 400 and error_code(r) == "batch_too_large", r.text[:500]
    assert server.db_counts()["events"] == before["events"]
    assert w.get(pid)["actual_exposure"] == 0
    # 10,000 is the most one request may carry; none of them was remembered by the refusal
    c, _ = w.ingest([(x["impression_id"], pid, at) for x in items[:10000]])
    assert c == counts(counted=10000)
    assert w.get(pid)["actual_exposure"] == 10000


def test_an_impressions_body_may_be_up_to_4_mib(server, w):
    pid = w.bought(estimated_exposure=100000)["id"]
    w.clock(t(minutes=30))
    at = t(minutes=10)
    # 10,000 impressions with 128-byte ids: about 2 MB, over the 1 MiB of other routes
    items = [(f"{i:08d}" + "z" * 120, pid, at) for i in range(10000)]
    body = {"impressions": [{"impression_id": i, "promotion": p, "at": a} for i, p, a in items]}
    assert 1 << 20 < len(json.dumps(body)) < 4 << 20
    c, _ = w.ingest(items)
    assert c == counts(counted=10000)
    assert w.get(pid)["actual_exposure"] == 10000


def test_an_impressions_body_over_4_mib_is_refused_for_its_size(server, w):
    pid = w.bought(estimated_exposure=100000)["id"]
    w.clock(t(minutes=30))
    big = {"impressions": [{"impression_id": f"{i:08d}" + "w" * 120, "promotion": pid,
                            "at": t(minutes=10)} for i in range(25000)]}
    assert len(json.dumps(big)) > 4 << 20
    r = w.c("ingest").post("/v1/impressions", big)
    assert r.status_code == 413 and error_code(r) == "payload_too_large", r.text[:300]
    assert w.get(pid)["actual_exposure"] == 0


def test_a_bad_impression_refuses_the_whole_batch(server, w):
    pid = w.bought()["id"]
    w.clock(t(minutes=30))
    at = t(minutes=10)
    good = {"impression_id": "g1", "promotion": pid, "at": at}
    cases = [
        ([], 400, None, None),
        ([good, {"promotion": pid, "at": at}], 400, "missing_field",
         "impressions[1].impression_id"),
        ([good, {"impression_id": "x" * 129, "promotion": pid, "at": at}], 400, "invalid_value",
         "impressions[1].impression_id"),
        ([good, {"impression_id": "", "promotion": pid, "at": at}], 400, "invalid_value",
         "impressions[1].impression_id"),
        ([good, {"impression_id": "g2", "promotion": pid, "at": "yesterday"}], 400,
         "invalid_value", "impressions[1].at"),
        ([good, {**good, "impression_id": "g3", "colour": 1}], 400, "unknown_field",
         "impressions[1].colour"),
    ]
    before = server.db_counts()
    for items, status, code, field in cases:
        r = w.c("ingest").post("/v1/impressions", {"impressions": items})
        assert r.status_code == status, (items, r.text)
        if code:
            assert error_code(r) == code, (items, r.text)
            assert r.json()["error"]["details"]["field"] == field, (items, r.text)
    r = w.c("m1").post("/v1/impressions", {"impressions": [good]})
    assert r.status_code == 403 and error_code(r) == "forbidden", r.text
    assert server.db_counts()["events"] == before["events"]
    assert w.get(pid)["actual_exposure"] == 0
    # a 128-byte id is fine, and g1 was never remembered
    c, _ = w.ingest([("g1", pid, at), ("y" * 128, pid, at)])
    assert c == counts(counted=2)


def raw_ingest(w, text, who="ingest"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return w.c(who).raw("POST", "/v1/impressions", data=data,
                        headers={"Content-Type": "application/json"})


def test_an_id_is_the_same_id_however_the_json_writes_it(server, w):
    pid = w.bought()["id"]
    w.clock(t(minutes=30))
    at = t(minutes=10)
    r = raw_ingest(w, '{"impressions":[{"impression_id":"\\u00e9x","promotion":"%s","at":"%s"},'
                      '{"impression_id":"a\\"b\\\\c","promotion":"%s","at":"%s"}]}'
                   % (pid, at, pid, at))
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in FIVE} == counts(counted=2)
    # the same two ids, written raw, in another key order, with whitespace
    r = raw_ingest(w, '{ "impressions" : [\n {"at": "%s", "promotion": "%s", '
                      '"impression_id": "éx"},\n\t{"promotion":"%s","impression_id":'
                      '"a\\"b\\\\c","at":"%s"} ] }' % (at, pid, pid, at))
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in FIVE} == counts(duplicate=2)
    # an escaped slash is a slash; an id of 128 bytes once decoded is fine
    c, _ = w.ingest([("a/b", pid, at)])
    assert c == counts(counted=1)
    r = raw_ingest(w, '{"impressions":[{"impression_id":"a\\/b","promotion":"%s","at":"%s"},'
                      '{"impression_id":"%s","promotion":"%s","at":"%s"}]}'
                   % (pid, at, "\\u00e9" * 64, pid, at))
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in FIVE} == counts(duplicate=1, counted=1)
    assert w.get(pid)["actual_exposure"] == 4


def test_malformed_impression_bodies_are_refused_and_count_nothing(server, w):
    pid = w.bought()["id"]
    w.clock(t(minutes=30))
    at = t(minutes=10)
    item = '{"impression_id":"%s","promotion":"' + pid + '","at":"' + at + '"}'
    cases = [
        # 65 two-byte characters: 130 bytes, escaped or raw
        ('{"impressions":[%s]}' % (item % ("\\u00e9" * 65)), "invalid_value"),
        ('{"impressions":[%s]}' % (item % ("é" * 65)), "invalid_value"),
        ('{"impressions":[%s]} x' % (item % "m1"), "invalid_json"),
        ('{"impressions":[%s,]}' % (item % "m1"), "invalid_json"),
        # duplicate keys (docs/api.md: no duplicate keys)
        ('{"impressions":[{"impression_id":"m1","impression_id":"m2","promotion":"%s",'
         '"at":"%s"}]}' % (pid, at), None),
        ('{"impressions":[%s],"impressions":[%s]}' % (item % "m1", item % "m2"), None),
        ('{"impressions":[%s],"extra":1}' % (item % "m1"), "unknown_field"),
        ('{"impressions":[{"impression_id":5,"promotion":"%s","at":"%s"}]}' % (pid, at),
         "wrong_type"),
        ('{"impressions":[{"impression_id":"m1","promotion":"%s","at":5}]}' % pid,
         "wrong_type"),
        ('{"impressions":{"impression_id":"m1"}}', "wrong_type"),
        ('{"impressions":[%s, 7]}' % (item % "m1"), "wrong_type"),
    ]
    before = server.db_counts()
    for body, code in cases:
        r = raw_ingest(w, body)
        assert r.status_code == 400, (body[:120], r.text)
        if code:
            assert error_code(r) == code, (body[:120], r.text)
    # invalid UTF-8 in an id
    bad = ('{"impressions":[%s]}' % (item % "m1")).encode().replace(b'"m1"', b'"m\xff"')
    r = raw_ingest(w, bad)
    assert r.status_code == 400 and error_code(r) == "invalid_utf8", r.text
    assert server.db_counts()["events"] == before["events"]
    assert w.get(pid)["actual_exposure"] == 0
    c, _ = w.ingest([("m1", pid, at), ("m2", pid, at)])
    assert c == counts(counted=2)


def test_ids_that_differ_after_a_nul_are_different_ids(server, w):
    # an id with a control character may be refused (400), but never confused with another
    pid = w.bought()["id"]
    w.clock(t(minutes=30))
    at = t(minutes=10)
    body = ('{"impressions":[{"impression_id":"a\\u0000b","promotion":"%s","at":"%s"},'
            '{"impression_id":"a\\u0000c","promotion":"%s","at":"%s"},'
            '{"impression_id":"a","promotion":"%s","at":"%s"}]}' % (pid, at, pid, at, pid, at))
    r = raw_ingest(w, body)
    if r.status_code == 400:  # the code is the JSON reader's (invalid_json) or invalid_value
        assert w.get(pid)["actual_exposure"] == 0
    else:
        assert r.status_code == 200, r.text
        assert {k: r.json()[k] for k in FIVE} == counts(counted=3)
        assert w.get(pid)["actual_exposure"] == 3


def test_both_readers_of_a_batch_share_the_ids_seen(server, w):
    # a batch sent with an Idempotency-Key may be read another way than one without
    pid = w.bought()["id"]
    w.clock(t(minutes=30))
    at = t(minutes=10)
    plain = {"impressions": [{"impression_id": f"p{i}", "promotion": pid, "at": at}
                             for i in range(3)]}
    keyed = {"impressions": [{"impression_id": f"k{i}", "promotion": pid, "at": at}
                             for i in range(3)]}
    ingest = w.c("ingest")
    assert ingest.post("/v1/impressions", plain).json()["counted"] == 3
    r = ingest.post("/v1/impressions", plain, idem="again-plain")
    assert {k: r.json()[k] for k in FIVE} == counts(duplicate=3)
    r = ingest.post("/v1/impressions", keyed, idem="first-keyed")
    assert {k: r.json()[k] for k in FIVE} == counts(counted=3)
    r = ingest.post("/v1/impressions", keyed)
    assert {k: r.json()[k] for k in FIVE} == counts(duplicate=3)
    assert w.get(pid)["actual_exposure"] == 6


def test_within_a_batch_the_first_report_of_an_id_decides(server, w):
    # "duplicate: an id already reported earlier in this request, whatever came of it": the
    # order of the request decides, not the instants
    pid = w.bought()["id"]
    w.clock(t(minutes=10))
    assert w.c("m1").post("/v1/products/p1/delist").status_code == 200
    w.clock(t(minutes=20))
    assert w.c("m1").post("/v1/products/p1/list").status_code == 200
    w.clock(t(minutes=30))
    c, _ = w.ingest([("x", pid, t(minutes=15)), ("x", pid, t(minutes=25)),
                     ("y", pid, t(minutes=25)), ("y", pid, t(minutes=15))])
    assert c == counts(not_counted=1, counted=1, duplicate=2)
    assert w.get(pid)["actual_exposure"] == 1


def test_a_large_batch_over_several_orders_is_counted_exactly(server, w):
    orders = [w.bought(estimated_exposure=100000)["id"] for _ in range(2)]
    orders.append(w.bought("m2", "p2", estimated_exposure=500)["id"])
    w.clock(t(minutes=60))
    items, seen, expect = [], set(), collections.Counter()
    for i in range(9000):
        iid = f"L{(i * 7919) % 8100}"  # the last 900 ids come back for the same order
        items.append((iid, orders[i % 3], t(minutes=1 + i % 50)))
    for i in range(300):  # and 300 ids again for another order: new impressions there
        items.append((items[i][0], orders[(i + 1) % 3], t(minutes=55)))
    for iid, pid, _ in items:
        if (iid, pid) not in seen:
            seen.add((iid, pid))
            expect[pid] += 1
    c, body = w.ingest(items)
    assert c == counts(counted=sum(expect.values()), duplicate=len(items) - len(seen))
    assert len(items) - len(seen) == 900
    for pid in orders:
        assert w.get(pid)["actual_exposure"] == expect[pid], pid
    assert types(body).count("promotion.exposure_counted") == 3
    assert types(body).count("promotion.completed") == 1
    got = w.get(orders[2])
    assert (got["status"], got["completion"]) == ("completed", "estimate_reached")
    evs = {e["payload"]["id"]: e["payload"]["counted"]
           for e in w.events("promotion.exposure_counted")}
    assert evs == dict(expect)


def test_escapes_anywhere_in_a_batch_read_as_json_reads_them(server, w):
    pid = w.bought()["id"]
    assert pid == "pr1"
    w.clock(t(minutes=30))
    at = t(minutes=10)
    # an escaped key, an escaped promotion id, an escaped instant, a surrogate pair
    body = ('{"impressions":[{"impression\\u005fid":"e1","promotion":"pr\\u0031","at":"%s"},'
            '{"impression_id":"\\ud83d\\ude00","promotion":"pr1","at":"%s\\u005a"}]}'
            % (at, at[:-1]))
    r = raw_ingest(w, body)
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in FIVE} == counts(counted=2)
    c, _ = w.ingest([("e1", pid, at), ("\U0001F600", pid, at)])
    assert c == counts(duplicate=2)
    # a lone surrogate is not a character
    r = raw_ingest(w, '{"impressions":[{"impression_id":"\\ud83d","promotion":"pr1",'
                      '"at":"%s"}]}' % at)
    assert r.status_code == 400, r.text
    assert w.get(pid)["actual_exposure"] == 2


# --- completion ------------------------------------------------------------------------------

def test_the_order_completes_when_counted_exposure_reaches_the_estimate(server, w):
    pid = w.bought(estimated_exposure=5)["id"]
    w.clock(t(minutes=10))
    c, body = w.ingest([(f"e{i}", pid, t(minutes=i)) for i in range(1, 5)])
    assert c == counts(counted=4)
    assert "promotion.completed" not in types(body)
    assert w.get(pid)["status"] == "running"
    w.clock(t(minutes=20))
    c, body = w.ingest([("e5", pid, t(minutes=15))])
    assert c == counts(counted=1)
    assert "promotion.exposure_counted" in types(body) and "promotion.completed" in types(body)
    got = w.get(pid, "m1")
    assert (got["status"], got["completion"], got["actual_exposure"]) == \
        ("completed", "estimate_reached", 5)
    assert same_instant(got["completed_at"], t(minutes=20))
    assert got["provisional"] is True
    assert same_instant(got["final_at"], t(minutes=20 + STATS_DELAY_MINUTES))
    assert transitions(got)[-1] == ("running", "completed")
    # shown after completion: not counted
    w.clock(t(minutes=30))
    assert w.ingest([("e6", pid, t(minutes=25))])[0] == counts(not_counted=1)
    # a completed order is neither paused, cancelled nor refunded
    r = w.c("op").post(f"/v1/promotions/{pid}/refund", {"note": "x"})
    assert r.status_code == 409 and error_code(r) == "state_conflict", r.text


def test_an_order_completed_by_its_estimate_is_not_completed_again_at_its_end(server, w):
    pid = w.bought(estimated_exposure=1, duration_hours=1)["id"]
    w.clock(t(minutes=10))
    assert w.ingest([("only", pid, t(minutes=5))])[0] == counts(counted=1)
    w.clock(t(hours=5))
    got = w.get(pid)
    assert (got["status"], got["completion"], got["provisional"]) == \
        ("completed", "estimate_reached", False)
    assert same_instant(got["completed_at"], t(minutes=10))
    assert same_instant(got["final_at"], t(minutes=130))
    assert len(w.events("promotion.completed")) == 1
    assert len(w.events("promotion.finalized")) == 1


def test_the_order_completes_when_its_duration_ends(server, w):
    pid = w.bought(duration_hours=1)["id"]
    w.clock(t(minutes=30))
    assert w.ingest([("d1", pid, t(minutes=10))])[0] == counts(counted=1)
    w.clock(t(minutes=59, seconds=59))
    assert w.get(pid)["status"] == "running"
    r = w.clock(t(hours=1))
    assert r["timers_fired"] >= 1
    got = w.get(pid, "m1")
    assert (got["status"], got["completion"]) == ("completed", "duration_ended")
    assert same_instant(got["completed_at"], t(hours=1))
    # the final figure may stay below the estimate; both are shown
    assert (got["actual_exposure"], got["estimated_exposure"]) == (1, 10000)
    assert got["provisional"] is True and same_instant(got["final_at"], t(hours=3))
    (ev,) = w.events("promotion.completed")
    assert ev["subject"] == pid and ev["actor"]["role"] == "system"


def test_the_figure_is_provisional_until_stats_delay_after_completion(server, w):
    pid = w.bought(duration_hours=1)["id"]
    w.clock(t(minutes=40))
    assert w.ingest([("f1", pid, t(minutes=30)), ("f2", pid, t(minutes=35))])[0] == \
        counts(counted=2)
    w.clock(t(hours=1))
    assert w.get(pid)["status"] == "completed"
    # late but allowed: shown before completion, reported within stats_delay of it
    w.clock(t(hours=1, minutes=30))
    c, _ = w.ingest([("f3", pid, t(minutes=50)), ("f4", pid, t(hours=1, minutes=10)),
                     ("f1", pid, t(minutes=30)),
                     ("f6", pid, t(hours=1))])  # at completed_at: no longer running
    assert c == counts(counted=1, not_counted=2, duplicate=1)
    got = w.get(pid)
    assert (got["status"], got["actual_exposure"], got["provisional"]) == ("completed", 3, True)
    assert w.events("promotion.finalized") == []
    w.clock(t(hours=2, minutes=59, seconds=59))
    assert w.get(pid)["provisional"] is True
    w.clock(t(hours=3))
    got = w.get(pid, "m1")
    assert (got["status"], got["provisional"], got["actual_exposure"]) == ("completed", False, 3)
    assert same_instant(got["final_at"], t(hours=3))
    (ev,) = w.events("promotion.finalized")
    assert ev["subject"] == pid
    # the figure is final: an impression from before completion is now late
    c, _ = w.ingest([("f5", pid, t(minutes=59, seconds=59))])
    assert c == counts(late=1)
    assert w.get(pid)["actual_exposure"] == 3


def test_a_batch_that_reaches_the_estimate_counts_every_impression_before_completion(server,
                                                                                     w):
    # completed_at is the server's now at that ingest; every impression of the batch was shown
    # before it, so each counts (PROMO.md: the final figure may exceed the estimate)
    pid = w.bought(estimated_exposure=2)["id"]
    w.clock(t(minutes=20))
    c, body = w.ingest([("z1", pid, t(minutes=10)), ("z2", pid, t(minutes=11)),
                        ("z3", pid, t(minutes=12)), ("z2", pid, t(minutes=11))])
    assert c == counts(counted=3, duplicate=1)
    assert types(body).count("promotion.completed") == 1
    got = w.get(pid)
    assert (got["status"], got["completion"], got["actual_exposure"]) == \
        ("completed", "estimate_reached", 3)
    assert same_instant(got["completed_at"], t(minutes=20))


def test_reports_of_impressions_before_completion_still_count_after_the_estimate(server, w):
    pid = w.bought(estimated_exposure=3)["id"]
    w.clock(t(minutes=30))
    c, _ = w.ingest([(f"q{i}", pid, t(minutes=i)) for i in range(1, 4)])
    assert c == counts(counted=3)
    got = w.get(pid)
    assert (got["status"], got["completion"]) == ("completed", "estimate_reached")
    # shown at minute 20 (before completion at minute 30), reported an hour later
    w.clock(t(hours=1, minutes=30))
    c, _ = w.ingest([("q4", pid, t(minutes=20)), ("q5", pid, t(minutes=40))])
    assert c == counts(counted=1, not_counted=1)
    got = w.get(pid)
    assert (got["status"], got["actual_exposure"], got["provisional"]) == ("completed", 4, True)


# --- the demo data set ---------------------------------------------------------------------------

def test_the_demo_shows_a_running_an_abnormal_and_a_review_failed_order():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "sw.db")
        seen = []
        for _ in range(2):  # the second start replays the demo data: nothing new
            p, _, keys, base = serve_demo(db)
            try:
                r = requests.get(base + "/v1/promotions", params={"limit": 200}, timeout=10,
                                 headers={"Authorization": "Bearer " + keys["operator"]})
                assert r.status_code == 200, r.text
                orders = r.json()["promotions"]
                seen.append(sorted((o["id"], o["status"]) for o in orders))
                by_status = collections.defaultdict(list)
                for o in orders:
                    by_status[o["status"]].append(o)
                for status in ("running", "abnormal", "review_failed"):
                    assert by_status[status], (status, seen[-1])
                assert all(o["reasons"] for o in by_status["abnormal"] + by_status["review_failed"])
                assert all(not o["reasons"] for o in by_status["running"])
            finally:
                p.send_signal(signal.SIGTERM)
                assert p.wait(timeout=60) == 0
        assert seen[0] == seen[1]


def test_an_order_answers_its_version_as_etag_and_a_stale_if_match_refund_changes_nothing(
        server, w):
    failed = w.bought("m3", "p3")
    assert failed["status"] == "review_failed"
    r = w.c("op").get(f"/v1/promotions/{failed['id']}")
    assert r.status_code == 200 and r.headers["ETag"] == f'"{r.json()["version"]}"'
    etag = r.headers["ETag"]
    r = w.c("op").get(f"/v1/promotions/{failed['id']}", headers={"If-None-Match": etag})
    assert r.status_code == 304
    stale = f'"{r.headers.get("ETag", etag).strip(chr(34))}0"'
    r = w.c("op").post(f"/v1/promotions/{failed['id']}/refund", {"note": "客服同意"},
                       headers={"If-Match": stale})
    assert r.status_code == 412 and error_code(r) == "version_mismatch", r.text
    assert w.c("op").get(f"/v1/promotions/{failed['id']}").json()["status"] == "review_failed"
    r = w.c("op").post(f"/v1/promotions/{failed['id']}/refund", {"note": "客服同意"},
                       headers={"If-Match": etag})
    assert r.status_code == 200 and r.json()["result"]["status"] == "refunded", r.text
    r = w.c("op").get(f"/v1/promotions/{failed['id']}", headers={"If-None-Match": etag})
    assert r.status_code == 200  # the refund raised the version


def test_counting_raises_the_version_so_a_cached_read_is_not_served_stale(server, w):
    order = w.bought("m1", "p1")
    r = w.c("op").get(f"/v1/promotions/{order['id']}")
    etag = r.headers["ETag"]
    counts, _ = w.ingest([("v-1", order["id"], t())])
    assert counts["counted"] == 1
    r = w.c("op").get(f"/v1/promotions/{order['id']}", headers={"If-None-Match": etag})
    assert r.status_code == 200 and r.json()["actual_exposure"] == 1


def test_a_cleared_store_cannot_buy_and_nothing_is_created(server, w):
    clear_store(server, w.c("op"), "m2")
    before = w.c("op").get("/v1/promotions").json()["promotions"]
    r = w.buy("m2", "p2")
    assert r.status_code == 422 and error_code(r) == "merchant_cleared", r.text
    assert w.c("op").get("/v1/promotions").json()["promotions"] == before
