"""Affiliate orders and commission (淘宝联盟) over HTTP with the manual clock (issue 15,
RULES.md §2, the interface pin AFFILIATE.md).

Written from the issue, the rules and the pin, not from the implementation: the order system
reports order events (POST /v1/affiliate/events, an `ingest` key); each is applied, a
duplicate (its event_id seen before), held (what it depends on has not arrived) or rejected
(with a code, changing nothing). Events of one order apply in `at` order (ties by event_id)
whatever the arrival order. Orders are paid (12), receipt_confirmed (14), settled (3) or
invalid (13) with exactly one reason (refunded, cancelled, fake_order, violation,
data_anomaly, below_minimum); commissions are amount x rate_bp / 10,000 rounded half-even to
the fen; an invalid order earns nothing. Review rules flag orders (self_purchase,
repeat_buyer, conversion_outlier) and hold them out of statements until an operator decides;
spikes of paid orders raise alerts; a succeeded rights case claws back its commission on the
next statement; statements are issued at 00:00 Asia/Shanghai on the 20th for the previous
month (local time) and never change.

Sections, in the order the module lands: 1 the feed and the order lifecycle, 2 commission and
rounding, 3 visibility and lists, 4 review rules, flags and alerts, 5 rights cases and
clawbacks, 6 statements.

The manual clock starts at 2026-01-05T01:00:00Z (conftest START) and only moves forward;
`World.send` moves it to the latest `at` of what it sends (the feed reports what has
happened). Money expected by a test is computed by hand in the test (integers, half-even),
never read back from the server. Merchants and items are external ids of the feed: no store
is opened for them."""
import csv
import hashlib
import io
import json
import os
import random
import sqlite3
import tempfile
import zlib
from datetime import datetime, timedelta, timezone

import pytest

from conftest import SOURCE_DIR, Server, error_code, read_all_events, run_cli

UTC = timezone.utc
CST = timezone(timedelta(hours=8))
BASE = datetime(2026, 1, 6, 2, 0, 0, tzinfo=UTC)  # 2026-01-06 10:00 Asia/Shanghai
OUTCOMES = ("applied", "duplicate", "held", "rejected")
CASES = os.path.join(SOURCE_DIR, "tests/data/affiliate/transitions.json")
STATUS_CODE = {"created": None, "paid": 12, "receipt_confirmed": 14, "settled": 3,
               "invalid": 13}


# --- helpers ---------------------------------------------------------------------------------

def iso(dt):
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def t(**delta):
    """BASE + delta as an RFC 3339 UTC instant."""
    return iso(BASE + timedelta(**delta))


def local(text):
    """'2026-01-31 23:59:59' in Asia/Shanghai as an RFC 3339 UTC instant."""
    return iso(datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST))


def instant(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def same_instant(a, b):
    return a is not None and instant(a) == instant(b)


def half_even(num, den):
    """num / den rounded half-even, for non-negative integers: the rule the tests compute
    their expected fen with, by hand."""
    q, r = divmod(num, den)
    if 2 * r > den or (2 * r == den and q % 2 == 1):
        q += 1
    return q


def commission(amount_fen, rate_bp):
    return half_even(amount_fen * rate_bp, 10000)


class Order:
    """Builds the feed events of one order; event ids are <order>-<type>-<n> unless given."""

    def __init__(self, oid, promoter="p1", merchant="m1", item="i1", buyer=None):
        self.oid, self.promoter, self.merchant, self.item = oid, promoter, merchant, item
        self.buyer = buyer or {"id": f"b-{oid}"}
        self.n = 0

    def ev(self, type_, at, event_id=None, **fields):
        self.n += 1
        return {"event_id": event_id or f"{self.oid}-{type_}-{self.n}", "type": type_,
                "order": self.oid, "promoter": self.promoter, "merchant": self.merchant,
                "item": self.item, "at": at, **fields}

    def created(self, at, **kw):
        return self.ev("created", at, **kw)

    def paid(self, at, amount_fen=10000, rate_bp=500, buyer=None, **kw):
        return self.ev("paid", at, amount_fen=amount_fen, rate_bp=rate_bp,
                       buyer=buyer or self.buyer, **kw)

    def partial_refund(self, at, amount_fen, **kw):
        return self.ev("partial_refund", at, amount_fen=amount_fen, **kw)

    def refund(self, at, **kw):
        return self.ev("refund", at, **kw)

    def cancelled(self, at, **kw):
        return self.ev("cancelled", at, **kw)

    def confirmed(self, at, settled_amount_fen=10000, **kw):
        return self.ev("receipt_confirmed", at, settled_amount_fen=settled_amount_fen, **kw)

    def rights(self, at, case, state, refund_fen, **kw):
        return self.ev("rights_case", at, case=case, state=state, refund_fen=refund_fen, **kw)


class World:
    """One server and clients by name: "op" (operator), "ingest", "admin", or a promoter id
    (a promoter:<id> key, made on first use)."""

    def __init__(self, server):
        self.server = server
        self.keys = {"op": server.key("operator"), "ingest": server.key("ingest"),
                     "admin": server.admin_key}
        self._apis = {}
        self.now = datetime(2026, 1, 5, 1, 0, 0, tzinfo=UTC)  # conftest START

    def c(self, who):
        if who not in self.keys:
            self.keys[who] = self.server.key(f"promoter:{who}")
        if who not in self._apis:
            self._apis[who] = self.server.api(self.keys[who])
        return self._apis[who]

    def clock(self, now):
        r = self.c("op").post("/v1/admin/clock", {"now": now})
        assert r.status_code == 200, r.text
        self.now = max(self.now, instant(now))
        return r.json()

    def catch_up(self, events):
        """Moves the clock to the latest `at` among events, if later than now."""
        latest = None
        for e in events:
            try:
                at = instant(e["at"])
            except (TypeError, KeyError, ValueError, AttributeError):
                continue
            if at.tzinfo is not None and (latest is None or at > latest):
                latest = at
        if latest is not None and latest > self.now:
            self.clock(iso(latest))

    def post_events(self, events, who="ingest"):
        self.catch_up(events)
        return self.c(who).post("/v1/affiliate/events", {"events": events})

    def send(self, events, who="ingest"):
        """Sends one request; checks the answer's shape and returns it."""
        r = self.post_events(events, who)
        assert r.status_code == 200, r.text
        body = r.json()
        counts = {k: body[k] for k in OUTCOMES}
        assert {k: body["result"][k] for k in OUTCOMES} == counts, body
        assert len(body["results"]) == len(events), body
        for k in OUTCOMES:
            assert counts[k] == sum(1 for x in body["results"] if x["outcome"] == k), body
        return body

    def send_all(self, events, chunk=50):
        for i in range(0, len(events), chunk):
            self.send(events[i:i + chunk])

    def order(self, oid, who="op"):
        r = self.c(who).get(f"/v1/affiliate/orders/{oid}")
        assert r.status_code == 200, r.text
        return r.json()

    def orders(self, who="op", **params):
        """Every order of the list, page by page."""
        out, after = [], None
        while True:
            q = dict(params, limit=params.get("limit", 200))
            if after is not None:
                q["after"] = after
            r = self.c(who).get("/v1/affiliate/orders", params=q)
            assert r.status_code == 200, r.text
            page = r.json()
            out += page["orders"]
            if not page["has_more"]:
                assert page["next_after"] is None, page
                return out
            after = page["next_after"]

    def held(self):
        out, after = [], None
        while True:
            q = {"limit": 200} if after is None else {"limit": 200, "after": after}
            r = self.c("op").get("/v1/affiliate/held", params=q)
            assert r.status_code == 200, r.text
            page = r.json()
            out += page["held"]
            if not page["has_more"]:
                return out
            after = page["next_after"]

    def review(self, oid, decision, note="checked", who="op"):
        return self.c(who).post(f"/v1/affiliate/orders/{oid}/review",
                                {"decision": decision, "note": note})

    def register(self, promoter, devices=(), address_hashes=()):
        r = self.c("op").put(f"/v1/promoters/{promoter}",
                             {"devices": list(devices), "address_hashes": list(address_hashes)})
        assert r.status_code in (200, 201), r.text
        return r

    def statement(self, sid, who="op"):
        r = self.c(who).get(f"/v1/affiliate/statements/{sid}")
        assert r.status_code == 200, r.text
        return r.json()

    def statements(self, who="op", **params):
        r = self.c(who).get("/v1/affiliate/statements", params=params)
        assert r.status_code == 200, r.text
        return r.json()["statements"]

    def alerts(self):
        r = self.c("op").get("/v1/affiliate/alerts")
        assert r.status_code == 200, r.text
        return r.json()["alerts"]

    def policy_version(self):
        return self.c("op").get("/v1/policy").json()["version"]


@pytest.fixture
def w(server):
    return World(server)


@pytest.fixture
def twin():
    """A second server, for comparing what two feeds make."""
    with tempfile.TemporaryDirectory(prefix="sw-api-twin-") as tmp:
        s = Server(tmp).start()
        try:
            yield World(s)
            read_all_events(s)
        finally:
            s.stop()


def outcomes(body):
    return [x["outcome"] for x in body["results"]]


def history_ids(order):
    return [h["event_id"] for h in order["history"]]


def flags_of(order):
    return sorted((f["rule"], f["reason"], f["state"]) for f in order["flags"])


def clawbacks_of(order):
    """(case, |amount_fen|, state): the pin does not fix the sign of the order's own list."""
    return sorted((c["case"], abs(c["amount_fen"]), c["state"]) for c in order["clawbacks"])


def comparable(order):
    """An order without what may differ between two servers fed the same facts: its version
    and its history's seq numbers; anomaly evidence as a set."""
    doc = {k: v for k, v in order.items() if k != "version"}
    doc["history"] = [(h["type"], instant(h["at"]), h["event_id"]) for h in order["history"]]
    if doc.get("anomaly"):
        doc["anomaly"] = sorted(order["anomaly"]["events"])
    return doc


def lines_of(statement):
    """(kind, order, case, amount_fen), sorted: the pin does not fix the lines' order."""
    return sorted((x["kind"], x["order"], x.get("case"), x["amount_fen"])
                  for x in statement["lines"])


def assert_money(order, estimated, settlement):
    assert (order["estimated_commission_fen"], order["settlement_commission_fen"]) == \
        (estimated, settlement), order


def assert_status(order, status, reason=None):
    assert (order["status"], order["status_code"], order["reason"]) == \
        (status, STATUS_CODE[status], reason), order


# === 1. The feed and the order lifecycle =====================================================

def load_cases():
    with open(CASES, encoding="utf-8") as f:
        return json.load(f)["cases"]


def case_event(slug, i, spec):
    """[type, minutes after BASE, fields?, overrides?] of transitions.json as a feed event."""
    type_, minutes = spec[0], spec[1]
    fields = dict(spec[2]) if len(spec) > 2 else {}
    over = dict(spec[3]) if len(spec) > 3 else {}
    order = over.pop("order", "o1")
    if type_ == "paid" and "buyer" not in fields:
        fields["buyer"] = {"id": f"b-{order}"}
    ev = {"event_id": over.pop("event_id", f"{slug}-e{i}"), "type": type_, "order": order,
          "promoter": "p1", "merchant": "m1", "item": "i1", "at": t(minutes=minutes), **fields}
    ev.update(over)
    return ev


def check_expect(w, expect, ids, name):
    for key, want in expect.items():
        if key == "held":
            got = {h["event_id"] for h in w.held()}
            assert got == {ids[i] for i in want}, (name, got)
            continue
        o = w.order(key)
        for field, value in want.items():
            if field == "history":
                assert history_ids(o) == [ids[i] for i in value], (name, key, o["history"])
            elif field == "anomaly_events":
                assert o.get("anomaly"), (name, key, o)
                assert {ids[i] for i in value} <= set(o["anomaly"]["events"]), (name, o)
                assert isinstance(o["anomaly"]["detail"], str) and o["anomaly"]["detail"]
            elif field == "flags":
                assert flags_of(o) == sorted(tuple(f) for f in value), (name, key, o["flags"])
            elif field == "rights_cases":
                got = sorted(o["rights_cases"], key=lambda c: c["case"])
                assert [c["case"] for c in got] == [v[0] for v in value], (name, got)
                for c, v in zip(got, value):
                    assert (c["state"], c["refund_fen"]) == (v[1], v[2]), (name, got)
                    if len(v) > 3:
                        assert abs(c["clawback_fen"]) == v[3], (name, got)
            elif field == "clawbacks":
                assert clawbacks_of(o) == sorted(tuple(v) for v in value), (name, o)
            else:
                assert o[field] == value, (name, key, field, o)


@pytest.mark.parametrize("case", load_cases(), ids=lambda c: c["name"])
def test_lifecycle_case(server, w, case):
    """RULES.md §2 and AFFILIATE.md, one transition or invalid reason per case
    (tests/data/affiliate/transitions.json names the rule of each): the outcome of every event,
    the order's status, status_code, reason, amounts, commissions, history, flags, rights cases
    and clawbacks after each step."""
    slug = "c%08x" % zlib.crc32(case["name"].encode("utf-8"))
    ids, n = [], 0
    for step in case["steps"]:
        if "events" in step:
            events = []
            for spec in step["events"]:
                ev = case_event(slug, n, spec)
                events.append(ev)
                ids.append(ev["event_id"])
                n += 1
            body = w.send(events)
            if "outcomes" in step:
                assert outcomes(body) == step["outcomes"], (case["name"], body)
            else:
                assert set(outcomes(body)) <= {"applied", "held"}, (case["name"], body)
            assert [x["event_id"] for x in body["results"]] == [e["event_id"] for e in events]
            assert [x["order"] for x in body["results"]] == [e["order"] for e in events]
        elif "review" in step:
            r = w.review(step["review"]["order"], step["review"]["decision"])
            assert r.status_code == 200, (case["name"], r.text)
        elif "promoter" in step:
            w.register("p1", **step["promoter"])
        check_expect(w, step.get("expect", {}), ids, case["name"])


def test_every_reason_and_status_has_a_case():
    """Issue 15 Tests: data-driven cases for every transition and every reason; AFFILIATE.md
    statuses created, paid (12), receipt_confirmed (14), invalid (13) with each of the six
    reasons (settled, 3, is the statements' part: section 6)."""
    seen = set()
    for case in load_cases():
        for step in case["steps"]:
            for want in step.get("expect", {}).values():
                if isinstance(want, dict) and "status" in want:
                    seen.add((want["status"], want.get("reason")))
    for reason in ("refunded", "cancelled", "fake_order", "violation", "data_anomaly",
                   "below_minimum"):
        assert ("invalid", reason) in seen, reason
    for status in ("created", "paid", "receipt_confirmed"):
        assert any(s == status for s, _ in seen), status


def test_the_answer_counts_each_outcome_and_lists_each_event_in_order(server, w):
    """AFFILIATE.md Feed: the answer has applied/duplicate/held/rejected counts at the top
    level and in result, and results[] with event_id, outcome, code (when rejected) and
    order; a bad event does not fail the request."""
    a, b = Order("o1"), Order("o2")
    pa = a.paid(t())
    body = w.send([pa, a.created(t(minutes=-5)), pa, b.confirmed(t(hours=1)),
                   {**b.created(t()), "type": "shipped"}])
    assert outcomes(body) == ["applied", "applied", "duplicate", "held", "rejected"], body
    assert {k: body[k] for k in OUTCOMES} == {"applied": 2, "duplicate": 1, "held": 1,
                                              "rejected": 1}
    assert [x["order"] for x in body["results"]] == ["o1", "o1", "o1", "o2", "o2"]
    assert body["results"][4]["code"] == "invalid_value", body
    assert all("code" not in x or x["code"] is None for x in body["results"][:4]), body
    assert body["replayed"] is False and isinstance(body["command_seq"], int)
    assert same_instant(body["at"], iso(w.now))


def test_a_replayed_feed_changes_nothing(server, w):
    """Issue 15: idempotent by event_id, a replayed event changes nothing (later request)."""
    o = Order("o1")
    feed = [o.created(t()), o.paid(t(minutes=5)), o.confirmed(t(hours=2))]
    w.send(feed)
    before = w.order("o1")
    again = w.send(feed)
    assert outcomes(again) == ["duplicate"] * 3 and again["applied"] == 0, again
    assert w.order("o1") == before


def test_duplicates_within_one_request_apply_once(server, w):
    """AFFILIATE.md: an event id seen earlier in the same request is a duplicate."""
    o = Order("o1")
    p, rc = o.paid(t(), amount_fen=10000, rate_bp=500), o.confirmed(t(hours=1), 10000)
    body = w.send([p, p, rc, rc, p])
    assert outcomes(body) == ["applied", "duplicate", "applied", "duplicate", "duplicate"]
    got = w.order("o1")
    assert history_ids(got) == [p["event_id"], rc["event_id"]]
    assert_money(got, 500, 500)


def test_a_duplicate_id_with_other_content_is_a_duplicate_not_a_new_fact(server, w):
    """AFFILIATE.md: an event id seen before is `duplicate` and nothing changes, whatever it
    carries now (even another order)."""
    o = Order("o1")
    first = o.paid(t(), amount_fen=10000, rate_bp=500, event_id="e-1")
    w.send([first])
    before = w.order("o1")
    other = Order("o9").paid(t(minutes=1), amount_fen=1, rate_bp=1, event_id="e-1")
    body = w.send([{**first, "amount_fen": 99999}, other])
    assert outcomes(body) == ["duplicate", "duplicate"], body
    assert w.order("o1") == before
    r = w.c("op").get("/v1/affiliate/orders/o9")
    assert r.status_code == 404 and error_code(r) == "not_found", r.text


BAD_EVENTS = [
    # (name, change to a good paid event, code)
    ("no event_id", lambda e: e.pop("event_id"), "missing_field"),
    ("event_id empty", lambda e: e.update(event_id=""), "invalid_value"),
    ("event_id of 129 characters", lambda e: e.update(event_id="x" * 129), "invalid_value"),
    ("event_id a number", lambda e: e.update(event_id=7), "wrong_type"),
    ("no type", lambda e: e.pop("type"), "missing_field"),
    ("unknown type", lambda e: e.update(type="shipped"), "invalid_value"),
    ("no order", lambda e: e.pop("order"), "missing_field"),
    ("no promoter", lambda e: e.pop("promoter"), "missing_field"),
    ("no merchant", lambda e: e.pop("merchant"), "missing_field"),
    ("no item", lambda e: e.pop("item"), "missing_field"),
    ("no at", lambda e: e.pop("at"), "missing_field"),
    ("at not RFC 3339", lambda e: e.update(at="yesterday"), "invalid_value"),
    ("at without offset", lambda e: e.update(at="2026-01-06T02:00:00"), "invalid_value"),
    ("at a number", lambda e: e.update(at=1767664800), "wrong_type"),
    ("unknown field", lambda e: e.update(colour="red"), "unknown_field"),
    ("a field of another type", lambda e: e.update(settled_amount_fen=100), "unknown_field"),
    ("paid without amount", lambda e: e.pop("amount_fen"), "missing_field"),
    ("paid amount 0", lambda e: e.update(amount_fen=0), "invalid_value"),
    ("paid amount negative", lambda e: e.update(amount_fen=-100), "invalid_value"),
    ("paid amount a string", lambda e: e.update(amount_fen="100"), "wrong_type"),
    ("paid without rate", lambda e: e.pop("rate_bp"), "missing_field"),
    ("rate above 10000", lambda e: e.update(rate_bp=10001), "invalid_value"),
    ("rate negative", lambda e: e.update(rate_bp=-1), "invalid_value"),
    ("rate a string", lambda e: e.update(rate_bp="5%"), "wrong_type"),
    ("paid without buyer", lambda e: e.pop("buyer"), "missing_field"),
    ("buyer without id", lambda e: e.update(buyer={"device": "d1"}), "missing_field"),
    ("buyer a string", lambda e: e.update(buyer="b1"), "wrong_type"),
]


@pytest.mark.parametrize("name,change,code", BAD_EVENTS, ids=[b[0] for b in BAD_EVENTS])
def test_a_bad_event_is_rejected_with_its_code_and_changes_nothing(server, w, name, change,
                                                                   code):
    """AFFILIATE.md Feed: a bad event does not fail the request: it is `rejected` with a code
    (missing_field, wrong_type, invalid_value, unknown_field) and changes nothing; the good
    events of the same request apply."""
    bad = Order("o1").paid(t(), event_id="bad-1")
    change(bad)
    good = Order("o2").paid(t(), event_id="good-1")
    body = w.send([bad, good])
    assert outcomes(body) == ["rejected", "applied"], body
    assert body["results"][0]["code"] == code, body
    assert (body["rejected"], body["applied"]) == (1, 1)
    r = w.c("op").get("/v1/affiliate/orders/o1")
    assert r.status_code == 404, r.text
    assert [o["id"] for o in w.orders()] == ["o2"]
    assert w.held() == []


BAD_BY_TYPE = [
    ("receipt_confirmed without settled amount",
     lambda o: {k: v for k, v in o.confirmed(t(hours=1)).items() if k != "settled_amount_fen"},
     "missing_field"),
    ("receipt_confirmed settled amount negative",
     lambda o: o.confirmed(t(hours=1), settled_amount_fen=-1), "invalid_value"),
    ("partial_refund without amount",
     lambda o: {k: v for k, v in o.partial_refund(t(minutes=5), 100).items()
                if k != "amount_fen"}, "missing_field"),
    ("rights_case without case",
     lambda o: {k: v for k, v in o.rights(t(hours=2), "c1", "open", 100).items()
                if k != "case"}, "missing_field"),
    ("rights_case with an unknown state",
     lambda o: o.rights(t(hours=2), "c1", "closed", 100), "invalid_value"),
    ("rights_case with an empty case",
     lambda o: o.rights(t(hours=2), "", "open", 100), "invalid_value"),
    ("created with an amount", lambda o: o.created(t(), amount_fen=100), "unknown_field"),
    ("an event that is not an object", lambda o: ["paid"], "wrong_type"),
]


@pytest.mark.parametrize("name,make,code", BAD_BY_TYPE, ids=[b[0] for b in BAD_BY_TYPE])
def test_bad_fields_by_type_are_rejected(server, w, name, make, code):
    """AFFILIATE.md Feed: each type's own fields (receipt_confirmed settled_amount_fen,
    partial_refund amount_fen, rights_case case/state open|succeeded|failed/refund_fen);
    a bad one is rejected with its code and the order is unchanged."""
    o = Order("o1")
    w.send([o.paid(t())])
    before = w.order("o1")
    body = w.send([make(o)])
    assert outcomes(body) == ["rejected"] and body["results"][0]["code"] == code, body
    assert w.order("o1") == before
    assert w.held() == []


def test_bad_requests_are_refused_whole_and_change_nothing(server, w):
    """AFFILIATE.md Feed: body not an object / events not an array: 400; 1..10,000 events,
    more is 400 batch_too_large and nothing of it applies."""
    api = w.c("ingest")
    for body in ([Order("o1").paid(t())], {"events": {"e": 1}}, {"events": "x"}, {},
                 {"events": []}):
        r = api.post("/v1/affiliate/events", body)
        assert r.status_code == 400, (body, r.text)
    good = Order("o1").paid(t())
    w.catch_up([good])
    # small events (rejected one by one if the batch were taken) keep the body under 1 MiB
    over = [good] + [{"event_id": f"x{i}"} for i in range(10000)]
    r = api.post("/v1/affiliate/events", {"events": over})
    assert r.status_code == 400 and error_code(r) == "batch_too_large", r.text
    assert w.c("op").get("/v1/affiliate/orders/o1").status_code == 404
    full = [good] + [{"event_id": f"x{i}"} for i in range(9999)]
    body = w.send(full)
    assert (body["applied"], body["rejected"]) == (1, 9999), {k: body[k] for k in OUTCOMES}
    assert w.order("o1")["status"] == "paid"


def test_the_feed_is_sent_by_ingest_or_staff_not_by_promoters(server, w):
    """AFFILIATE.md: the feed is sent with an ingest key (staff may send it too); a promoter
    key may not."""
    r = w.c("p1").post("/v1/affiliate/events", {"events": [Order("o1").paid(t())]})
    assert r.status_code == 403 and error_code(r) == "forbidden", r.text
    assert w.c("op").get("/v1/affiliate/orders/o1").status_code == 404
    w.send([Order("o1").paid(t())], who="op")
    w.send([Order("o2").paid(t())], who="admin")
    w.send([Order("o3").paid(t())], who="ingest")
    assert [o["id"] for o in w.orders()] == ["o1", "o2", "o3"]


def test_a_held_event_is_listed_and_released_when_its_dependency_arrives(server, w):
    """Issue 15 / RULES §2: an event that arrives before what it depends on (receipt_confirmed
    before paid) is held, listed by GET /v1/affiliate/held {event_id, order, type, at,
    waiting_for}, and applied by itself when it can be: its outcome shows in the order's
    history, not in a new answer."""
    o = Order("o1")
    rc = o.confirmed(t(hours=3), 10000)
    body = w.send([rc])
    assert outcomes(body) == ["held"] and body["results"][0]["order"] == "o1", body
    (h,) = w.held()
    assert (h["event_id"], h["order"], h["type"]) == (rc["event_id"], "o1", "receipt_confirmed")
    assert same_instant(h["at"], rc["at"])
    assert "paid" in h["waiting_for"], h
    p = o.paid(t(), 10000, 500)
    body = w.send([p])
    assert [(x["event_id"], x["outcome"]) for x in body["results"]] == [(p["event_id"],
                                                                          "applied")]
    assert w.held() == []
    got = w.order("o1")
    assert_status(got, "receipt_confirmed")
    assert history_ids(got) == [p["event_id"], rc["event_id"]]
    assert [h["type"] for h in got["history"]] == ["paid", "receipt_confirmed"]
    assert same_instant(got["history"][1]["at"], rc["at"])


def test_a_held_event_sent_again_is_a_duplicate_and_is_applied_once(server, w):
    """AFFILIATE.md: an event id seen before, held ones included, is a duplicate; held events
    are never lost nor applied twice."""
    o = Order("o1")
    rights = o.rights(t(hours=5), "c1", "succeeded", 2000)
    w.send([o.paid(t(), 10000, 500)])
    assert outcomes(w.send([rights])) == ["held"]
    assert outcomes(w.send([rights])) == ["duplicate"]
    assert [h["event_id"] for h in w.held()] == [rights["event_id"]]
    assert "receipt_confirmed" in w.held()[0]["waiting_for"]
    w.send([o.confirmed(t(hours=2), 10000)])
    got = w.order("o1")
    assert history_ids(got).count(rights["event_id"]) == 1
    assert clawbacks_of(got) == [("c1", commission(2000, 500), "deduction_pending")]


def test_status_codes_follow_the_network(server, w):
    """RULES §2: paid 12, receipt_confirmed 14, invalid 13 (settled 3: section 6); created
    has a null status_code."""
    a, b, c, d = Order("a1"), Order("a2"), Order("a3"), Order("a4")
    w.send([a.created(t()), b.paid(t()), c.paid(t()), c.confirmed(t(hours=1)),
            d.created(t()), d.cancelled(t(minutes=1))])
    assert [(w.order(x)["status"], w.order(x)["status_code"]) for x in
            ("a1", "a2", "a3", "a4")] == [("created", None), ("paid", 12),
                                          ("receipt_confirmed", 14), ("invalid", 13)]


def test_an_anomaly_names_its_conflicting_events(server, w):
    """Issue 15: an order whose events cannot be reconciled becomes invalid / data_anomaly,
    with the conflicting events as evidence ({"events", "detail"})."""
    o = Order("o1")
    p, rc = o.paid(t(), 10000, 500), o.confirmed(t(hours=1), 15000)
    w.send([p, rc])
    got = w.order("o1")
    assert_status(got, "invalid", "data_anomaly")
    assert {p["event_id"], rc["event_id"]} <= set(got["anomaly"]["events"])
    assert got["anomaly"]["detail"]
    assert_money(got, 0, 0)
    # the history still holds every event applied
    assert set(history_ids(got)) >= {p["event_id"], rc["event_id"]}


def test_an_order_holds_at_most_512_events_then_it_is_an_anomaly(server, w):
    """An order may not grow without bound (each new event folds its whole history again): up
    to 512 events it is an ordinary order; the 513th makes it invalid / data_anomaly with that
    event as evidence, and nothing is lost (every event stays counted once)."""
    o = Order("long")
    first = [o.created(t(seconds=i)) for i in range(511)] + [o.paid(t(seconds=600), 10000, 500)]
    r = w.send(first)
    assert r["applied"] == 512
    got = w.order("long")
    assert_status(got, "paid")
    assert len(got["history"]) == 512
    extra = o.paid(t(seconds=700), 10000, 500)  # the same payment reported again
    r = w.send([extra])
    assert r["applied"] + r["held"] == 1
    got = w.order("long")
    assert_status(got, "invalid", "data_anomaly")
    assert extra["event_id"] in got["anomaly"]["events"]
    assert "512" in got["anomaly"]["detail"]
    assert_money(got, 0, 0)
    # the same event again is a duplicate, and changes nothing
    again = w.send([extra])
    assert again["duplicate"] == 1
    assert w.order("long")["version"] == got["version"]


# The scenario feed of sections 1 and 6: orders of three promoters in January 2026, each along
# one path, with what the path leads to, computed by hand.
PATHS = ("confirmed", "created_confirmed", "partial", "cancelled", "refunded", "rights",
         "too_much", "paid_only", "tiny", "cancel_after_paid", "late_created")


def scenario(n_orders=60, seed=15, start=None, prefix="s"):
    """(events, expected) for n_orders orders: events in `at` order; expected maps order id
    to (status, reason, settlement commission or None, |clawback| or 0, promoter)."""
    rnd = random.Random(seed)
    # after the run of Jan 20 (00:00 local), so that January's run is the first to see them
    start = start or datetime(2026, 1, 21, 2, 0, tzinfo=UTC)
    events, expected = [], {}
    for k in range(n_orders):
        oid = f"{prefix}{k:03d}"
        promoter = ("p1", "p2", "p3")[k % 3]
        o = Order(oid, promoter=promoter, item=f"i{k % 4}")
        at0 = start + timedelta(minutes=37 * k)
        at = lambda m: iso(at0 + timedelta(minutes=m))  # noqa: E731
        amount, rate = rnd.randrange(1000, 200000), rnd.choice((50, 150, 500, 1000, 2000))
        path = PATHS[k % len(PATHS)]
        if path == "confirmed":
            ev = [o.paid(at(0), amount, rate), o.confirmed(at(60 * 24), amount)]
            want = ("receipt_confirmed", None, commission(amount, rate), 0)
        elif path == "created_confirmed":
            settled = amount - rnd.randrange(0, 500)
            ev = [o.created(at(0)), o.paid(at(1), amount, rate),
                  o.confirmed(at(60 * 30), settled)]
            want = ("receipt_confirmed", None, commission(settled, rate), 0)
        elif path == "partial":
            part = rnd.randrange(1, amount // 2)
            ev = [o.paid(at(0), amount, rate), o.partial_refund(at(60), part),
                  o.confirmed(at(60 * 48), amount)]
            want = ("receipt_confirmed", None, commission(amount - part, rate), 0)
        elif path == "cancelled":
            ev = [o.created(at(0)), o.cancelled(at(90))]
            want = ("invalid", "cancelled", 0, 0)
        elif path == "refunded":
            ev = [o.paid(at(0), amount, rate), o.refund(at(120))]
            want = ("invalid", "refunded", 0, 0)
        elif path == "rights":
            refund = rnd.randrange(100, amount)
            ev = [o.paid(at(0), amount, rate), o.confirmed(at(60 * 24), amount),
                  o.rights(at(60 * 26), "c1", "open", refund),
                  o.rights(at(60 * 27), "c1", "succeeded", refund)]
            want = ("receipt_confirmed", None, commission(amount, rate), commission(refund, rate))
        elif path == "too_much":
            ev = [o.paid(at(0), amount, rate), o.confirmed(at(60 * 24), amount + 1)]
            want = ("invalid", "data_anomaly", 0, 0)
        elif path == "paid_only":
            ev = [o.paid(at(0), amount, rate)]
            want = ("paid", None, None, 0)
        elif path == "tiny":
            ev = [o.paid(at(0), 100, 50), o.confirmed(at(60 * 24), 100)]  # 0.5 -> 0
            want = ("invalid", "below_minimum", 0, 0)
        elif path == "cancel_after_paid":
            ev = [o.paid(at(0), amount, rate), o.cancelled(at(30))]
            want = ("invalid", "data_anomaly", 0, 0)
        else:  # late_created: created a few minutes before paid
            ev = [o.created(at(0)), o.paid(at(3), amount, rate), o.confirmed(at(60 * 20), amount)]
            want = ("receipt_confirmed", None, commission(amount, rate), 0)
        events += ev
        expected[oid] = (*want, promoter)
    events.sort(key=lambda e: (instant(e["at"]), e["event_id"]))
    return events, expected


def shuffled(events, seed):
    out = list(events)
    random.Random(seed).shuffle(out)
    return out


def check_scenario_orders(w, expected):
    for oid, (status, reason, settlement, clawback, promoter) in expected.items():
        o = w.order(oid)
        assert_status(o, status, reason)
        assert o["promoter"] == promoter
        assert o["settlement_commission_fen"] == settlement, o
        assert sum(abs(c["amount_fen"]) for c in o["clawbacks"]) == clawback, o


def test_shuffled_arrival_gives_the_same_orders_as_sorted_arrival(w, twin):
    """Issue 15: events of one order may arrive in any order; they are applied in `at` order,
    held when early, never dropped: the feed shuffled over many requests gives the same
    orders (status, amounts, commissions, history, rights cases, clawbacks) as the feed in
    order."""
    events, expected = scenario()
    twin.clock(iso(max(instant(e["at"]) for e in events)))
    w.send_all(events, chunk=40)
    mixed = shuffled(events, 1)
    for i in range(0, len(mixed), 7):
        twin.send(mixed[i:i + 7])
    assert twin.held() == [] and w.held() == []
    check_scenario_orders(w, expected)
    check_scenario_orders(twin, expected)
    for oid in expected:
        assert comparable(twin.order(oid)) == comparable(w.order(oid)), oid


def test_shuffled_arrival_within_one_request_gives_the_same_orders(w, twin):
    """AFFILIATE.md: events of one order are applied in the order of their `at` (ties:
    event_id), whatever the arrival order, also within one request."""
    events, expected = scenario(n_orders=33, seed=7)
    twin.clock(iso(max(instant(e["at"]) for e in events)))
    w.send(events)
    twin.send(list(reversed(events)))
    assert twin.held() == []
    check_scenario_orders(twin, expected)
    for oid in expected:
        assert comparable(twin.order(oid)) == comparable(w.order(oid)), oid


# === 2. Commission and rounding ==============================================================

# (amount_fen, rate_bp, commission_fen), each worked out by hand: amount x rate / 10,000,
# half-even to the fen. Ties go to the even fen in both directions.
ROUNDING = [
    (12345, 50, 62),        # 61.725: above the half -> up (the pin's example)
    (12330, 50, 62),        # 61.65 -> 62
    (12290, 50, 61),        # 61.45 -> 61
    (100, 50, 0),           # 0.5 -> 0 (tie, down to even)
    (300, 50, 2),           # 1.5 -> 2 (tie, up to even)
    (500, 50, 2),           # 2.5 -> 2 (tie, down)
    (700, 50, 4),           # 3.5 -> 4 (tie, up)
    (900, 50, 4),           # 4.5 -> 4 (tie, down)
    (1250, 20, 2),          # 2.5 -> 2
    (1750, 20, 4),          # 3.5 -> 4
    (2500, 20, 5),          # 5 exactly
    (4999, 10, 5),          # 4.999 -> 5
    (5001, 10, 5),          # 5.001 -> 5
    (1, 10000, 1),          # the whole amount
    (99999, 9999, 99989),   # 99989.0001 -> 99989
    (10500, 1, 1),          # 1.05 -> 1
    (25000, 1, 2),          # 2.5 -> 2
    (35000, 1, 4),          # 3.5 -> 4
    (987654321987, 10000, 987654321987),  # large amounts stay exact
    (123456789012, 7, 86419752),          # 86419752.3084 -> 86419752
    (123456789050, 1, 12345679),          # 12345678.905 -> 12345679
]


def test_the_rounding_table_is_half_even():
    """AFFILIATE.md rounding examples: checks the hand-made table of this file against the
    integer rule, so that a typo in it cannot pass for the server's mistake."""
    for amount, rate, want in ROUNDING:
        assert commission(amount, rate) == want, (amount, rate, want)
        exact = amount * rate / 10000
        assert abs(want - exact) <= 0.5


@pytest.mark.parametrize("amount,rate,want", ROUNDING, ids=[f"{a}x{r}bp" for a, r, _ in ROUNDING])
def test_commissions_round_half_even_to_the_fen(server, w, amount, rate, want):
    """Issue 15: estimated commission = paid amount x rate_bp / 10,000 and settlement
    commission = settled amount x rate, rounded half-even to the fen in integer arithmetic;
    under 1 fen at confirmation the order is invalid / below_minimum and earns nothing."""
    o = Order("o1")
    w.send([o.paid(t(), amount, rate)])
    got = w.order("o1")
    assert_status(got, "paid")
    assert_money(got, want, None)
    assert got["paid_amount_fen"] == amount and got["rate_bp"] == rate
    w.send([o.confirmed(t(days=1), amount)])
    got = w.order("o1")
    if want >= 1:
        assert_status(got, "receipt_confirmed")
        assert_money(got, want, want)
    else:
        assert_status(got, "invalid", "below_minimum")
        assert_money(got, 0, 0)


def test_the_settlement_commission_is_on_the_settled_amount(server, w):
    """RULES §2: commission is based on what the merchant actually receives: the settlement
    commission is the settled amount x rate, the estimate stays on the paid amount."""
    o = Order("o1")
    w.send([o.paid(t(), 10000, 500), o.confirmed(t(days=1), 9000)])
    got = w.order("o1")
    assert (got["paid_amount_fen"], got["settled_amount_fen"]) == (10000, 9000)
    assert_money(got, 500, 450)
    o2 = Order("o2")
    # 12330 paid, 12290 settled at 50bp: 61.65 -> 62 estimated, 61.45 -> 61 settled
    w.send([o2.paid(t(), 12330, 50), o2.confirmed(t(days=1), 12290)])
    assert_money(w.order("o2"), 62, 61)


def test_partial_refunds_lower_the_amount_the_settlement_commission_is_on(server, w):
    """Issue 15: a partial refund before confirmation lowers the settled amount the
    settlement commission is computed on; several add up."""
    o = Order("o1")
    w.send([o.paid(t(), 10000, 500), o.partial_refund(t(hours=1), 1000),
            o.partial_refund(t(hours=2), 2500), o.confirmed(t(days=1), 10000)])
    got = w.order("o1")
    assert_status(got, "receipt_confirmed")
    # (10000 - 1000 - 2500) x 500 / 10000 = 325
    assert got["settled_amount_fen"] == 6500
    assert got["settlement_commission_fen"] == 325
    assert len(got["history"]) == 4


def test_a_partial_refund_can_make_a_tie_round_to_even(server, w):
    """Issue 15 rounding after a partial refund: (10500 - 10000) x 50bp = 2.5 -> 2; and
    (10700 - 10000) x 50bp = 3.5 -> 4."""
    a, b = Order("o1"), Order("o2")
    w.send([a.paid(t(), 10500, 50), a.partial_refund(t(hours=1), 10000),
            a.confirmed(t(days=1), 10500),
            b.paid(t(), 10700, 50), b.partial_refund(t(hours=1), 10000),
            b.confirmed(t(days=1), 10700)])
    assert w.order("o1")["settlement_commission_fen"] == 2
    assert w.order("o2")["settlement_commission_fen"] == 4


def test_a_partial_refund_can_take_the_commission_below_the_minimum(server, w):
    """RULES §2 below_minimum: (1000 - 900) x 50bp = 0.5 -> 0 at confirmation."""
    o = Order("o1")
    w.send([o.paid(t(), 1000, 50), o.partial_refund(t(hours=1), 900),
            o.confirmed(t(days=1), 1000)])
    got = w.order("o1")
    assert_status(got, "invalid", "below_minimum")
    assert_money(got, 0, 0)


def test_an_invalid_order_earns_nothing(server, w):
    """RULES §2: an invalid order earns nothing (both commissions 0), whatever its reason."""
    feeds = {
        "refunded": lambda o: [o.paid(t(), 10000, 500), o.refund(t(hours=1))],
        "cancelled": lambda o: [o.created(t()), o.cancelled(t(hours=1))],
        "data_anomaly": lambda o: [o.paid(t(), 10000, 500), o.confirmed(t(days=1), 10001)],
        "below_minimum": lambda o: [o.paid(t(), 100, 50), o.confirmed(t(days=1), 100)],
    }
    for reason, make in feeds.items():
        w.send(make(Order(f"o-{reason}")))
    for reason in feeds:
        got = w.order(f"o-{reason}")
        assert_status(got, "invalid", reason)
        assert_money(got, 0, 0)
        assert got["statement"] is None


def test_commissions_do_not_drift_over_many_orders(server, w):
    """Issue 15: totals that do not drift: each order's commission is rounded on its own
    (half-even), and the sum over many orders is the sum of those integers, to the fen."""
    events, want_est, want_set = [], 0, 0
    rnd = random.Random(20)
    amounts = [500, 300, 700, 900, 100 * 15 + 5]  # ties at 50bp, both ways, and 7.525
    for k in range(400):
        o = Order(f"d{k:03d}", buyer={"id": f"buyer-{k}"})
        amount = amounts[k % len(amounts)]
        settled = amount + rnd.choice((0, 100, 300))
        paid = settled + (k % 3) * 100  # the merchant may receive less than was paid
        events += [o.paid(t(minutes=7 * k), paid, 50),
                   o.confirmed(t(minutes=7 * k, days=2), settled)]
        want_est += commission(paid, 50)
        want_set += commission(settled, 50)
    # hand check of the drift: 80 orders of 500 at 50bp are 80 x 2 = 160 fen, not 200
    assert sum(commission(500, 50) for _ in range(80)) == 160
    w.send_all(events, chunk=200)
    orders = w.orders(promoter="p1")
    assert len(orders) == 400
    assert sum(o["estimated_commission_fen"] for o in orders) == want_est
    assert sum(o["settlement_commission_fen"] for o in orders) == want_set


# === 3. Visibility and lists =================================================================

@pytest.fixture
def three(w):
    """p1: o1 paid, o2 receipt_confirmed, o3 invalid/refunded, o4 created; p2: q1 paid,
    q2 receipt_confirmed."""
    o1, o2, o3, o4 = (Order(x) for x in ("o1", "o2", "o3", "o4"))
    q1, q2 = Order("q1", promoter="p2"), Order("q2", promoter="p2")
    w.send([o1.paid(t()), o2.paid(t()), o2.confirmed(t(days=1)), o3.paid(t()),
            o3.refund(t(hours=1)), o4.created(t()), q1.paid(t()), q2.paid(t()),
            q2.confirmed(t(days=1))])
    return w


def test_a_promoter_reads_its_own_orders_and_not_another_s(server, three):
    """AFFILIATE.md: GET /v1/affiliate/orders/{id}: a promoter its own, others 404; staff
    all."""
    w = three
    mine = w.order("o2", who="p1")
    assert (mine["id"], mine["promoter"], mine["status"]) == ("o2", "p1", "receipt_confirmed")
    assert (mine["merchant"], mine["item"]) == ("m1", "i1")
    for who, oid in (("p1", "q1"), ("p2", "o1"), ("p1", "nosuch"), ("p3", "o1")):
        r = w.c(who).get(f"/v1/affiliate/orders/{oid}")
        assert r.status_code == 404 and error_code(r) == "not_found", (who, oid, r.text)
    for oid in ("o1", "q1"):
        assert w.order(oid, who="op")["id"] == oid
        assert w.order(oid, who="admin")["id"] == oid


def test_an_order_shows_every_field_of_the_pin(server, three):
    """AFFILIATE.md Orders: the fields of GET /v1/affiliate/orders/{id}."""
    got = three.order("o2")
    for field in ("id", "promoter", "merchant", "item", "status", "status_code", "reason",
                  "paid_amount_fen", "settled_amount_fen", "rate_bp",
                  "estimated_commission_fen", "settlement_commission_fen", "flags",
                  "rights_cases", "clawbacks", "statement", "history", "version"):
        assert field in got, field
    assert (got["flags"], got["rights_cases"], got["clawbacks"], got["statement"]) == \
        ([], [], [], None)
    for h in got["history"]:
        assert set(h) >= {"seq", "type", "at", "event_id"}, h


def test_a_promoter_lists_only_its_own_orders_whatever_it_names(server, three):
    """AFFILIATE.md: GET /v1/affiliate/orders (promoter key: its own whatever it names)."""
    w = three
    assert sorted(o["id"] for o in w.orders(who="p1")) == ["o1", "o2", "o3", "o4"]
    assert sorted(o["id"] for o in w.orders(who="p1", promoter="p2")) == \
        ["o1", "o2", "o3", "o4"]
    assert sorted(o["id"] for o in w.orders(who="p2")) == ["q1", "q2"]
    assert w.orders(who="p9") == []


def test_staff_list_every_order_and_filter_by_promoter_and_status(server, three):
    """AFFILIATE.md: GET /v1/affiliate/orders?promoter=&status= for staff."""
    w = three
    assert sorted(o["id"] for o in w.orders()) == ["o1", "o2", "o3", "o4", "q1", "q2"]
    assert sorted(o["id"] for o in w.orders(promoter="p2")) == ["q1", "q2"]
    assert sorted(o["id"] for o in w.orders(status="paid")) == ["o1", "q1"]
    assert sorted(o["id"] for o in w.orders(status="receipt_confirmed")) == ["o2", "q2"]
    assert sorted(o["id"] for o in w.orders(status="invalid")) == ["o3"]
    assert sorted(o["id"] for o in w.orders(status="paid", promoter="p1")) == ["o1"]
    assert w.orders(status="settled") == []
    assert sorted(o["id"] for o in w.orders(who="p2", status="paid")) == ["q1"]
    for o in w.orders():
        assert o["status_code"] == STATUS_CODE[o["status"]], o


def test_the_order_list_pages(server, w):
    """AFFILIATE.md: {orders, next_after, has_more} with after and limit; docs/api.md Lists:
    every item once, has_more exactly when another page exists."""
    w.send([Order(f"o{k}").paid(t(minutes=k)) for k in range(7)])
    seen, after, pages = [], None, 0
    while True:
        q = {"limit": 3} if after is None else {"limit": 3, "after": after}
        r = w.c("op").get("/v1/affiliate/orders", params=q)
        assert r.status_code == 200, r.text
        page = r.json()
        pages += 1
        assert len(page["orders"]) == (3 if pages < 3 else 1), page
        seen += [o["id"] for o in page["orders"]]
        if not page["has_more"]:
            assert page["next_after"] is None
            break
        after = page["next_after"]
    assert pages == 3 and sorted(seen) == sorted(f"o{k}" for k in range(7))
    assert len(set(seen)) == 7


def test_bad_list_parameters_are_refused(server, three):
    """docs/api.md Lists (house rules): an unknown parameter is 400 unknown_parameter, a bad
    value 400 invalid_value (a status that does not exist, limit out of 1..200)."""
    api = three.c("op")
    r = api.get("/v1/affiliate/orders", params={"colour": "red"})
    assert r.status_code == 400 and error_code(r) == "unknown_parameter", r.text
    for params in ({"status": "shipped"}, {"limit": 0}, {"limit": 201}, {"limit": "x"}):
        r = api.get("/v1/affiliate/orders", params=params)
        assert r.status_code == 400 and error_code(r) == "invalid_value", (params, r.text)


def test_promoters_are_refused_the_staff_routes(server, three):
    """AFFILIATE.md: review, PUT /v1/promoters/{id}, alerts and held are staff's."""
    p1 = three.c("p1")
    r = p1.post("/v1/affiliate/orders/o1/review", {"decision": "clear", "note": "mine"})
    assert r.status_code == 403, r.text
    r = p1.put("/v1/promoters/p1", {"devices": [], "address_hashes": []})
    assert r.status_code == 403, r.text
    assert p1.get("/v1/affiliate/alerts").status_code == 403
    assert p1.get("/v1/affiliate/held").status_code == 403


def test_the_held_list_pages(server, w):
    """AFFILIATE.md: GET /v1/affiliate/held -> {held, next_after, has_more}; docs/api.md
    Lists: has_more exactly when another page exists."""
    held = [Order(f"o{i}").confirmed(t(hours=1), 100) for i in range(5)]
    w.send(held)
    seen, after = [], None
    while True:
        q = {"limit": 2} if after is None else {"limit": 2, "after": after}
        r = w.c("op").get("/v1/affiliate/held", params=q)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["held"]) <= 2
        seen += [h["event_id"] for h in page["held"]]
        if not page["has_more"]:
            assert page["next_after"] is None
            break
        after = page["next_after"]
    assert sorted(seen) == sorted(e["event_id"] for e in held)


def test_the_held_list_is_for_staff(server, w):
    """AFFILIATE.md: GET /v1/affiliate/held (staff)."""
    r = w.c("p1").get("/v1/affiliate/held")
    assert r.status_code == 403 and error_code(r) == "forbidden", r.text


# === 4. Review rules, flags, decisions and alerts ============================================

def strings_in(value):
    """Every string anywhere in a JSON value (keys excluded): what a flag's evidence names."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings_in(v) for v in value)) if value else set()
    return set()


def the_flag(order, rule):
    (flag,) = [f for f in order["flags"] if f["rule"] == rule]
    return flag


def test_self_purchase_by_buyer_id_is_flagged_with_its_explanation(server, w):
    """Issue 15 self_purchase (buyer id is the promoter) -> fake_order; a flag names the rule,
    the evidence and the policy version, state open; a flag alone does not change the order's
    status."""
    o = Order("o1", buyer={"id": "p1"})
    w.send([o.paid(t(), 10000, 500)])
    got = w.order("o1")
    assert_status(got, "paid")
    assert_money(got, 500, None)
    flag = the_flag(got, "self_purchase")
    assert (flag["reason"], flag["state"]) == ("fake_order", "open")
    assert flag["policy_version"] == w.policy_version()
    assert isinstance(flag["evidence"], dict) and flag["evidence"], flag
    # an ordinary buyer is not flagged
    w.send([Order("o2").paid(t(minutes=1))])
    assert w.order("o2")["flags"] == []


def test_self_purchase_by_a_registered_device_or_address(server, w):
    """Issue 15 self_purchase: the buyer's device or address hash is one registered for the
    promoter (PUT /v1/promoters/{id} with devices and address_hashes, 200/201); the evidence
    names the fingerprint; another promoter's registered device does not flag p1's order."""
    w.register("p1", devices=["dev-A"], address_hashes=["addr-A"])
    w.register("p2", devices=["dev-B"], address_hashes=["addr-B"])
    w.send([Order("o1", buyer={"id": "u1", "device": "dev-A"}).paid(t()),
            Order("o2", buyer={"id": "u2", "address_hash": "addr-A"}).paid(t(minutes=1)),
            Order("o3", buyer={"id": "u3", "device": "dev-B", "address_hash": "addr-B"})
            .paid(t(minutes=2)),
            Order("o4", buyer={"id": "u4", "device": "dev-Z"}).paid(t(minutes=3)),
            Order("q1", promoter="p2", buyer={"id": "u5", "device": "dev-B"}).paid(t(minutes=4))])
    f1 = the_flag(w.order("o1"), "self_purchase")
    assert f1["reason"] == "fake_order" and "dev-A" in strings_in(f1["evidence"])
    f2 = the_flag(w.order("o2"), "self_purchase")
    assert f2["reason"] == "fake_order" and "addr-A" in strings_in(f2["evidence"])
    assert w.order("o3")["flags"] == [] and w.order("o4")["flags"] == []
    assert the_flag(w.order("q1"), "self_purchase")["state"] == "open"


def test_registering_a_promoter_s_fingerprints_is_validated(server, w):
    """AFFILIATE.md: PUT /v1/promoters/{id} (staff) {devices: [...], address_hashes: [...]};
    house rules: bad input is a clear 400 and changes nothing."""
    api = w.c("op")
    r = api.put("/v1/promoters/p1", {"devices": "dev-A", "address_hashes": []})
    assert r.status_code == 400 and error_code(r) == "wrong_type", r.text
    r = api.put("/v1/promoters/p1", {"devices": [], "address_hashes": [], "phone": "1"})
    assert r.status_code == 400 and error_code(r) == "unknown_field", r.text
    w.send([Order("o1", buyer={"id": "u1", "device": "dev-A"}).paid(t())])
    assert w.order("o1")["flags"] == []


def repeat_feed(buyers, minutes, promoter="p1", prefix="r"):
    return [Order(f"{prefix}{i}", promoter=promoter, buyer=b).paid(t(minutes=m))
            for i, (b, m) in enumerate(zip(buyers, minutes), start=1)]


def test_repeat_buyer_flags_the_orders_after_the_third_in_24_hours(server, w):
    """Issue 15 repeat_buyer: one buyer fingerprint placing more than N (3) paid orders on one
    promoter's links within 24 h: the 4th and later are flagged, reason violation, evidence
    naming the orders and the fingerprint."""
    w.send(repeat_feed([{"id": "b-rep"}] * 5, [0, 120, 240, 360, 480]))
    for oid in ("r1", "r2", "r3"):
        assert w.order(oid)["flags"] == [], oid
    for oid, earlier in (("r4", {"r1", "r2", "r3"}), ("r5", {"r1", "r2", "r3", "r4"})):
        flag = the_flag(w.order(oid), "repeat_buyer")
        assert (flag["reason"], flag["state"]) == ("violation", "open"), flag
        assert flag["policy_version"] == w.policy_version()
        named = strings_in(flag["evidence"])
        # the evidence names the fingerprint and (at least N = 3 of) the earlier orders
        assert "b-rep" in named and len(earlier & named) >= 3, flag


@pytest.mark.parametrize("key", ["device", "address_hash"])
def test_repeat_buyer_follows_a_device_or_address_across_buyer_ids(server, w, key):
    """Issue 15 repeat_buyer: a buyer fingerprint is the buyer id, device or address hash."""
    buyers = [{"id": f"u{i}", key: "shared-fp"} for i in range(4)]
    w.send(repeat_feed(buyers, [0, 60, 120, 180]))
    assert [flags_of(w.order(f"r{i}")) for i in (1, 2, 3)] == [[], [], []]
    flag = the_flag(w.order("r4"), "repeat_buyer")
    assert flag["reason"] == "violation" and "shared-fp" in strings_in(flag["evidence"])


def test_repeat_buyer_counts_within_24_hours_and_per_promoter(server, w):
    """Issue 15 repeat_buyer: within 24 h, on one promoter's links: four orders of one buyer
    at 0, 9, 18 and 27 h (no 24 h holds four) and 3 + 3 orders of one buyer on two
    promoters' links are not flagged."""
    w.send(repeat_feed([{"id": "b-slow"}] * 4, [0, 9 * 60, 18 * 60, 27 * 60], prefix="s"))
    w.send(repeat_feed([{"id": "b-two"}] * 3, [0, 10, 20], promoter="p1", prefix="x") +
           repeat_feed([{"id": "b-two"}] * 3, [30, 40, 50], promoter="p2", prefix="y"))
    for oid in ("s1", "s2", "s3", "s4", "x1", "x2", "x3", "y1", "y2", "y3"):
        assert w.order(oid)["flags"] == [], oid


def conversion_feed(item, promoter, n_paid, n_confirmed, start, prefix):
    events = []
    for k in range(n_paid):
        o = Order(f"{prefix}{k:02d}", promoter=promoter, item=item)
        events.append(o.paid(iso(start + timedelta(minutes=10 * k)), 10000, 500))
        if k < n_confirmed:
            events.append(o.confirmed(iso(start + timedelta(days=2, minutes=10 * k)), 10000))
    return events


@pytest.mark.parametrize("mine_paid,mine_confirmed,others_paid,others_confirmed,flagged", [
    (20, 20, 40, 10, True),    # 100% against 30/60 = 50% x 1.5 (or 25% x 1.5 without p1's)
    (19, 19, 40, 10, False),   # under 20 orders for the promoter
    (20, 20, 29, 0, False),    # under 50 orders platform-wide (49)
    (20, 14, 40, 20, False),   # 70% against 34/60 x 1.5 = 85% (or 50% x 1.5 = 75%)
])
def test_conversion_outlier(server, w, mine_paid, mine_confirmed, others_paid, others_confirmed,
                            flagged):
    """Issue 15 conversion_outlier: an item's paid-to-confirmed conversion for one promoter
    above the item's platform-wide rate x factor (1.5), with at least 20 orders for the
    promoter and 50 platform-wide -> violation, the evidence naming the rates."""
    others = conversion_feed("i9", "p2", others_paid, others_confirmed, BASE, "q")
    mine = conversion_feed("i9", "p1", mine_paid, mine_confirmed, BASE + timedelta(hours=8),
                           "o")
    w.send_all(sorted(others, key=lambda e: e["at"]), chunk=100)
    w.send_all([e for e in mine if e["type"] == "paid"], chunk=100)
    w.send_all([e for e in mine if e["type"] != "paid"], chunk=100)
    rule = "conversion_outlier"
    mine_flags = [f for o in w.orders(promoter="p1") for f in o["flags"] if f["rule"] == rule]
    others_flags = [f for o in w.orders(promoter="p2") for f in o["flags"] if f["rule"] == rule]
    assert others_flags == []
    if flagged:
        assert mine_flags, "no conversion_outlier flag"
        for f in mine_flags:
            assert (f["reason"], f["state"]) == ("violation", "open"), f
            assert f["policy_version"] == w.policy_version() and f["evidence"], f
    else:
        assert mine_flags == []


def test_review_confirm_makes_the_order_invalid_with_the_rule_s_reason(server, w):
    """Issue 15: POST /v1/affiliate/orders/{id}/review {decision: confirm} -> invalid with
    the rule's reason (self_purchase: fake_order; repeat_buyer: violation); the flag is
    confirmed and the order earns nothing."""
    w.send([Order("f1", buyer={"id": "p1"}).paid(t(), 10000, 500)])
    w.send(repeat_feed([{"id": "b-rep"}] * 4, [0, 10, 20, 30]))
    w.send([Order("f1").confirmed(t(days=1), 10000)])
    for oid, rule, reason in (("f1", "self_purchase", "fake_order"),
                              ("r4", "repeat_buyer", "violation")):
        r = w.review(oid, "confirm", note="刷单")
        assert r.status_code == 200, r.text
        got = w.order(oid)
        assert_status(got, "invalid", reason)
        assert_money(got, 0, 0)
        assert the_flag(got, rule)["state"] == "confirmed"
    assert_status(w.order("r3"), "paid")


def test_review_clear_keeps_the_order_and_closes_the_flag(server, w):
    """Issue 15: {decision: clear}: the flag is cleared, the order keeps its state and
    commission (it goes into the next statement: section 6)."""
    o = Order("o1", buyer={"id": "p1"})
    w.send([o.paid(t(), 10000, 500), o.confirmed(t(days=1), 10000)])
    r = w.review("o1", "clear", note="the promoter's relative")
    assert r.status_code == 200, r.text
    got = w.order("o1")
    assert_status(got, "receipt_confirmed")
    assert_money(got, 500, 500)
    assert flags_of(got) == [("self_purchase", "fake_order", "cleared")]


def test_reviewing_an_order_with_no_open_flag_is_a_state_conflict(server, w):
    """AFFILIATE.md: reviewing an order with no open flag: 409 state_conflict (never
    flagged, or already decided), changing nothing."""
    w.send([Order("plain").paid(t()), Order("f1", buyer={"id": "p1"}).paid(t())])
    before = w.order("plain")
    r = w.review("plain", "confirm")
    assert r.status_code == 409 and error_code(r) == "state_conflict", r.text
    assert w.order("plain") == before
    assert w.review("f1", "clear").status_code == 200
    decided = w.order("f1")
    for decision in ("confirm", "clear"):
        r = w.review("f1", decision)
        assert r.status_code == 409 and error_code(r) == "state_conflict", r.text
    assert w.order("f1") == decided


def test_bad_reviews_are_refused(server, w):
    """House rules: bad input is a clear 400 naming the field and changes nothing; an order
    that does not exist is 404; promoters may not review (403)."""
    w.send([Order("f1", buyer={"id": "p1"}).paid(t())])
    before = w.order("f1")
    api = w.c("op")
    for body, code in (({"note": "x"}, "missing_field"),
                       ({"decision": "maybe", "note": "x"}, "invalid_value"),
                       ({"decision": 1, "note": "x"}, "wrong_type"),
                       ({"decision": "clear", "note": "x", "colour": "red"}, "unknown_field")):
        r = api.post("/v1/affiliate/orders/f1/review", body)
        assert r.status_code == 400 and error_code(r) == code, (body, r.text)
    r = w.review("nosuch", "clear")
    assert r.status_code == 404 and error_code(r) == "not_found", r.text
    r = w.review("f1", "clear", who="p1")
    assert r.status_code == 403, r.text
    assert w.order("f1") == before


SPIKE_HOUR = BASE + timedelta(days=1)  # 2026-01-07T02:00:00Z


def spike_feed(baseline_per_hour, spike, promoter="p1", prefix="a"):
    """baseline_per_hour paid orders in each of the 24 hours before SPIKE_HOUR, then `spike`
    paid orders inside SPIKE_HOUR; distinct buyers."""
    events = []
    for h in range(24):
        start = SPIKE_HOUR - timedelta(hours=24 - h)
        for j in range(baseline_per_hour):
            o = Order(f"{prefix}b{h:02d}{j}", promoter=promoter)
            events.append(o.paid(iso(start + timedelta(minutes=5 + 12 * j))))
    spiked = []
    for j in range(spike):
        o = Order(f"{prefix}s{j:02d}", promoter=promoter)
        spiked.append(o.paid(iso(SPIKE_HOUR + timedelta(minutes=2 * j, seconds=10))))
    return events, spiked


@pytest.mark.parametrize("baseline,spike,alert", [
    (1, 20, True),    # 20 > 5 x 1 and >= 20
    (0, 19, False),   # under the minimum of 20
    (0, 20, True),    # 20 > 5 x 0 and >= 20
    (4, 20, False),   # 20 is not more than 5 x 4
    (4, 21, True),
])
def test_a_spike_over_the_promoter_s_baseline_raises_an_alert(server, w, baseline, spike, alert):
    """Issue 15 monitoring: per promoter, paid orders in an hour against the mean of its
    previous 24 hours; count > 5 x baseline and >= 20 raises an alert {id, promoter, hour,
    count, baseline, orders}; another promoter's orders do not count; alerts invalidate
    nothing."""
    base_events, spiked = spike_feed(baseline, spike)
    _, others = spike_feed(0, 5, promoter="p2", prefix="z")
    w.send_all(base_events, chunk=100)
    w.send(spiked + others)
    w.clock(iso(SPIKE_HOUR + timedelta(hours=2)))
    alerts = w.alerts()
    if not alert:
        assert alerts == []
        return
    (a,) = alerts
    assert (a["promoter"], a["count"], a["baseline"]) == ("p1", spike, baseline), a
    assert same_instant(a["hour"], iso(SPIKE_HOUR)), a
    assert sorted(a["orders"]) == sorted(e["order"] for e in spiked)
    for e in spiked:
        got = w.order(e["order"])
        assert_status(got, "paid")
        assert got["flags"] == []


def test_alerts_are_in_the_operator_queue(server, w):
    """Issue 15: a spike's alert is also in the operator queue (GET /v1/queue
    affiliate_alerts)."""
    _, spiked = spike_feed(0, 20)
    w.send(spiked)
    w.clock(iso(SPIKE_HOUR + timedelta(hours=2)))
    (a,) = w.alerts()
    r = w.c("op").get("/v1/queue")
    assert r.status_code == 200, r.text
    assert [x["id"] for x in r.json()["affiliate_alerts"]] == [a["id"]]


# === 5. Rights cases and clawbacks ===========================================================

def confirmed_order(w, oid="o1", amount=10000, rate=500, promoter="p1"):
    o = Order(oid, promoter=promoter)
    w.send([o.paid(t(), amount, rate), o.confirmed(t(days=1), amount)])
    return o


@pytest.mark.parametrize("refund,rate,clawback", [
    (2000, 500, 100),     # 100 exactly
    (500, 50, 2),         # 2.5 -> 2 (tie, down to even)
    (300, 50, 2),         # 1.5 -> 2 (tie, up to even)
    (12345, 50, 62),      # 61.725 -> 62
    (12290, 50, 61),      # 61.45 -> 61
])
def test_a_succeeded_rights_case_claws_back_its_commission_half_even(server, w, refund, rate,
                                                                     clawback):
    """Issue 15: a succeeded rights case claws back the commission on its refund amount
    (refund_fen x rate_bp / 10,000, rounded the same way, half-even) as deduction_pending;
    the order keeps its status and its own commission."""
    assert commission(refund, rate) == clawback
    o = confirmed_order(w, amount=20000, rate=rate)
    body = w.send([o.rights(t(days=2), "c1", "succeeded", refund)])
    assert outcomes(body) == ["applied"]
    got = w.order("o1")
    assert_status(got, "receipt_confirmed")
    assert got["settlement_commission_fen"] == commission(20000, rate)
    (case,) = got["rights_cases"]
    assert (case["case"], case["state"], case["refund_fen"]) == ("c1", "succeeded", refund)
    assert abs(case["clawback_fen"]) == clawback
    (cb,) = got["clawbacks"]
    assert (cb["case"], abs(cb["amount_fen"]), cb["state"], cb["statement"]) == \
        ("c1", clawback, "deduction_pending", None)


def test_a_rights_case_goes_open_then_succeeded_or_failed(server, w):
    """RULES §2: a rights case is open, succeeded or failed; only succeeded claws back; the
    order keeps its history (every rights event in it)."""
    a, b = confirmed_order(w, "o1"), confirmed_order(w, "o2")
    w.send([a.rights(t(days=2), "c1", "open", 3000), b.rights(t(days=2), "c1", "open", 3000)])
    for oid in ("o1", "o2"):
        got = w.order(oid)
        assert [(c["case"], c["state"]) for c in got["rights_cases"]] == [("c1", "open")]
        assert got["clawbacks"] == []
    w.send([a.rights(t(days=3), "c1", "succeeded", 3000),
            b.rights(t(days=3), "c1", "failed", 3000)])
    got = w.order("o1")
    assert [(c["case"], c["state"]) for c in got["rights_cases"]] == [("c1", "succeeded")]
    assert clawbacks_of(got) == [("c1", 150, "deduction_pending")]
    assert [h["type"] for h in got["history"]] == ["paid", "receipt_confirmed", "rights_case",
                                                   "rights_case"]
    got = w.order("o2")
    assert [(c["case"], c["state"]) for c in got["rights_cases"]] == [("c1", "failed")]
    assert got["clawbacks"] == []
    assert_status(got, "receipt_confirmed")


def test_an_order_may_have_several_rights_cases(server, w):
    """RULES §2: an order may have several rights cases; each succeeded one claws back on its
    own refund (half-even each: 2.5 -> 2 and 3.5 -> 4, not 6.0 on the sum)."""
    o = confirmed_order(w, amount=20000, rate=50)
    w.send([o.rights(t(days=2), "c1", "succeeded", 500),
            o.rights(t(days=2, hours=1), "c2", "succeeded", 700),
            o.rights(t(days=2, hours=2), "c3", "failed", 900)])
    got = w.order("o1")
    assert sorted((c["case"], c["state"]) for c in got["rights_cases"]) == \
        [("c1", "succeeded"), ("c2", "succeeded"), ("c3", "failed")]
    assert clawbacks_of(got) == [("c1", 2, "deduction_pending"), ("c2", 4, "deduction_pending")]
    assert_status(got, "receipt_confirmed")
    assert len(got["history"]) == 5


def test_a_replayed_rights_event_claws_back_once(server, w):
    """Issue 15: nothing is counted twice: the same rights event sent again is a duplicate
    and the clawback stays one."""
    o = confirmed_order(w)
    ev = o.rights(t(days=2), "c1", "succeeded", 4000)
    w.send([ev])
    before = w.order("o1")
    assert outcomes(w.send([ev])) == ["duplicate"]
    assert w.order("o1") == before
    assert clawbacks_of(before) == [("c1", 200, "deduction_pending")]


def test_a_rights_case_before_confirmation_waits_for_it(server, w):
    """AFFILIATE.md: a rights_case before receipt_confirmed is held (waiting for it), listed
    in GET /v1/affiliate/held, and applied when the confirmation arrives."""
    o = Order("o1")
    w.send([o.paid(t(), 10000, 500)])
    ev = o.rights(t(days=3), "c1", "succeeded", 1000)
    assert outcomes(w.send([ev])) == ["held"]
    (h,) = w.held()
    assert (h["event_id"], h["type"], h["order"]) == (ev["event_id"], "rights_case", "o1")
    assert w.order("o1")["clawbacks"] == []
    w.send([o.confirmed(t(days=1), 10000)])
    assert w.held() == []
    assert clawbacks_of(w.order("o1")) == [("c1", 50, "deduction_pending")]


# === 6. Statements ===========================================================================

DEC_RUN = "2026-01-19T16:00:00Z"  # 2026-01-20 00:00 Asia/Shanghai: December 2025's statements
JAN_RUN = "2026-02-19T16:00:00Z"  # 2026-02-20 00:00: January's
FEB_RUN = "2026-03-19T16:00:00Z"  # 2026-03-20 00:00: February's
MAR_RUN = "2026-04-19T16:00:00Z"


def order_line(oid, amount):
    return ("order", oid, None, amount)


def clawback_line(oid, case, amount):
    return ("clawback", oid, case, -amount)


def check_statement(st, sid, promoter, month, issued_at, lines):
    assert (st["id"], st["promoter"], st["month"]) == (sid, promoter, month), st
    assert same_instant(st["issued_at"], issued_at), st
    assert lines_of(st) == sorted(lines), st
    assert st["total_fen"] == sum(x[3] for x in lines), st
    assert st["total_fen"] == sum(x["amount_fen"] for x in st["lines"]), st


def test_statements_are_issued_at_midnight_shanghai_on_the_20th(server, w):
    """Issue 15 / AFFILIATE.md: a timer at 00:00 Asia/Shanghai on the 20th (16:00Z on the
    19th) issues, per promoter, the statement of the previous month, id st-<promoter>-<YYYY-MM>:
    a line per confirmed order with its settlement commission, the total; those orders become
    settled (3) and name the statement; a promoter with nothing gets no statement; paid,
    invalid and unconfirmed orders are not in it."""
    o1, o2 = Order("o1"), Order("o2")
    q1 = Order("q1", promoter="p2")
    p3 = Order("x1", promoter="p3")
    bad, unconfirmed = Order("o3"), Order("o4")
    w.send([o1.paid(local("2026-01-10 10:00:00"), 10000, 500),
            o1.confirmed(local("2026-01-15 10:00:00"), 10000),          # 500
            o2.paid(local("2026-01-11 10:00:00"), 12345, 50),
            o2.confirmed(local("2026-01-16 10:00:00"), 12345),          # 61.725 -> 62
            q1.paid(local("2026-01-12 10:00:00"), 700, 50),
            q1.confirmed(local("2026-01-17 10:00:00"), 700),            # 3.5 -> 4
            p3.paid(local("2026-01-12 11:00:00"), 10000, 500),
            bad.paid(local("2026-01-12 12:00:00"), 10000, 500),
            bad.refund(local("2026-01-13 12:00:00")),
            unconfirmed.paid(local("2026-01-20 12:00:00"), 10000, 500)])
    w.clock("2026-02-19T15:59:59Z")
    assert w.statements(promoter="p1") == [] and w.statements() == []
    assert_status(w.order("o1"), "receipt_confirmed")
    w.clock(JAN_RUN)
    st = w.statement("st-p1-2026-01")
    check_statement(st, "st-p1-2026-01", "p1", "2026-01", JAN_RUN,
                    [order_line("o1", 500), order_line("o2", 62)])
    assert st["total_fen"] == 562
    check_statement(w.statement("st-p2-2026-01"), "st-p2-2026-01", "p2", "2026-01", JAN_RUN,
                    [order_line("q1", 4)])
    for oid, commission_fen, sid in (("o1", 500, "st-p1-2026-01"), ("o2", 62, "st-p1-2026-01"),
                                     ("q1", 4, "st-p2-2026-01")):
        got = w.order(oid)
        assert_status(got, "settled")
        assert (got["settlement_commission_fen"], got["statement"]) == (commission_fen, sid)
    assert (w.order("o3")["status"], w.order("o3")["statement"]) == ("invalid", None)
    assert (w.order("o4")["status"], w.order("o4")["statement"]) == ("paid", None)
    assert w.statements(promoter="p3") == []
    r = w.c("op").get("/v1/affiliate/statements/st-p3-2026-01")
    assert r.status_code == 404 and error_code(r) == "not_found", r.text
    assert sorted(o["id"] for o in w.orders(status="settled")) == ["o1", "o2", "q1"]


def test_months_are_counted_in_shanghai_time(server, w):
    """RULES §2 / AFFILIATE.md: orders confirmed (receipt_confirmed `at`, local time) in M-1
    or earlier: 23:30 on Dec 31 local is December's, 00:30 on Jan 1 local (still Dec 31 in
    UTC) January's, 23:59:59 on Jan 31 January's, 00:00 on Feb 1 (still Jan 31 in UTC) and
    Feb 19 (before the run) February's."""
    orders = {}

    def confirmed_at(oid, when):
        o = Order(oid)
        orders[oid] = [o.paid(iso(instant(local(when)) - timedelta(days=1)), 10000, 500),
                       o.confirmed(local(when), 10000)]
        return orders[oid]

    w.send(confirmed_at("dec", "2025-12-31 23:30:00") + confirmed_at("jan1", "2026-01-01 00:30:00"))
    w.clock(DEC_RUN)
    check_statement(w.statement("st-p1-2025-12"), "st-p1-2025-12", "p1", "2025-12", DEC_RUN,
                    [order_line("dec", 500)])
    assert w.order("jan1")["status"] == "receipt_confirmed"
    w.send(confirmed_at("jan31", "2026-01-31 23:59:59") +
           confirmed_at("feb1", "2026-02-01 00:00:00"))
    w.send(confirmed_at("feb19", "2026-02-19 23:00:00"))
    w.clock(JAN_RUN)
    check_statement(w.statement("st-p1-2026-01"), "st-p1-2026-01", "p1", "2026-01", JAN_RUN,
                    [order_line("jan1", 500), order_line("jan31", 500)])
    assert w.order("feb1")["status"] == "receipt_confirmed"
    w.clock(FEB_RUN)
    check_statement(w.statement("st-p1-2026-02"), "st-p1-2026-02", "p1", "2026-02", FEB_RUN,
                    [order_line("feb1", 500), order_line("feb19", 500)])
    assert sorted(s["id"] for s in w.statements(promoter="p1")) == \
        ["st-p1-2025-12", "st-p1-2026-01", "st-p1-2026-02"]


def test_month_end_with_a_rights_case_after_settlement(server, w):
    """Issue 15 month-end scenario across the 20th: January's order is settled on Feb 20; a
    rights case that succeeds after settlement claws back on the next statement (a negative
    line, deducted, naming that statement); the order stays settled with its history; an
    order confirmed in February (before the 20th) waits for March's statement; the issued
    statement never changes; nothing left means no April statement."""
    o1, o2 = Order("o1"), Order("o2")
    w.send([o1.paid(local("2026-01-10 12:00:00"), 10000, 500),
            o1.confirmed(local("2026-01-25 12:00:00"), 10000),            # 500
            o2.paid(local("2026-01-28 12:00:00"), 20000, 500),
            o2.confirmed(local("2026-02-03 12:00:00"), 20000)])           # 1000, February
    w.clock(JAN_RUN)
    jan = w.statement("st-p1-2026-01")
    check_statement(jan, "st-p1-2026-01", "p1", "2026-01", JAN_RUN, [order_line("o1", 500)])
    assert_status(w.order("o2"), "receipt_confirmed")
    # after settlement: a refund of 3000 on o1 (150), and one of 1010 on o2 (50.5 -> 50)
    w.send([o1.rights(local("2026-02-25 12:00:00"), "c1", "open", 3000),
            o1.rights(local("2026-02-26 12:00:00"), "c1", "succeeded", 3000),
            o2.rights(local("2026-02-27 12:00:00"), "c7", "succeeded", 1010)])
    got = w.order("o1")
    assert_status(got, "settled")
    assert (got["settlement_commission_fen"], got["statement"]) == (500, "st-p1-2026-01")
    assert clawbacks_of(got) == [("c1", 150, "deduction_pending")]
    assert [h["type"] for h in got["history"]] == ["paid", "receipt_confirmed", "rights_case",
                                                   "rights_case"]
    assert w.statement("st-p1-2026-01") == jan
    w.clock(FEB_RUN)
    check_statement(w.statement("st-p1-2026-02"), "st-p1-2026-02", "p1", "2026-02", FEB_RUN,
                    [order_line("o2", 1000), clawback_line("o1", "c1", 150),
                     clawback_line("o2", "c7", 50)])
    assert w.statement("st-p1-2026-02")["total_fen"] == 800
    for oid, case in (("o1", "c1"), ("o2", "c7")):
        (cb,) = w.order(oid)["clawbacks"]
        assert (cb["case"], cb["state"], cb["statement"]) == (case, "deducted", "st-p1-2026-02")
    assert_status(w.order("o2"), "settled")
    assert w.order("o2")["statement"] == "st-p1-2026-02"
    assert w.statement("st-p1-2026-01") == jan
    w.clock(MAR_RUN)
    assert sorted(s["id"] for s in w.statements(promoter="p1")) == \
        ["st-p1-2026-01", "st-p1-2026-02"]


def test_a_late_reported_order_goes_into_the_next_statement(server, w):
    """Issue 15: an order confirmed in January but reported after January's statement goes
    into the next statement; the issued one does not change."""
    early, late = Order("early"), Order("late")
    w.send([early.paid(local("2026-01-09 12:00:00"), 10000, 500),
            early.confirmed(local("2026-01-10 12:00:00"), 10000)])
    w.clock(JAN_RUN)
    jan = w.statement("st-p1-2026-01")
    check_statement(jan, "st-p1-2026-01", "p1", "2026-01", JAN_RUN, [order_line("early", 500)])
    w.clock("2026-02-22T02:00:00Z")
    w.send([late.paid(local("2026-01-14 12:00:00"), 30000, 150),
            late.confirmed(local("2026-01-15 12:00:00"), 30000)])            # 450
    assert_status(w.order("late"), "receipt_confirmed")
    assert w.statement("st-p1-2026-01") == jan
    w.clock(FEB_RUN)
    check_statement(w.statement("st-p1-2026-02"), "st-p1-2026-02", "p1", "2026-02", FEB_RUN,
                    [order_line("late", 450)])
    assert w.order("late")["statement"] == "st-p1-2026-02"
    assert w.statement("st-p1-2026-01") == jan


def test_a_flagged_order_is_held_out_until_cleared_then_in_the_next_statement(server, w):
    """Issue 15: a flagged order is held out of statements until an operator decides; cleared
    after the statement ran, it goes into the next one; confirmed, never; undecided, it
    stays out."""
    plain = Order("plain")
    cleared = Order("cleared", buyer={"id": "p1"})
    confirmed = Order("confirmed", buyer={"id": "p1"})
    pending = Order("pending", buyer={"id": "p1"})
    feed = [plain.paid(local("2026-01-10 12:00:00"), 10000, 500),
            plain.confirmed(local("2026-01-12 12:00:00"), 10000)]
    for o in (cleared, confirmed, pending):
        feed += [o.paid(local("2026-01-10 13:00:00"), 20000, 500),
                 o.confirmed(local("2026-01-12 13:00:00"), 20000)]
    w.send(feed)
    for oid in ("cleared", "confirmed", "pending"):
        assert [f["state"] for f in w.order(oid)["flags"]] == ["open"], oid
    w.clock(JAN_RUN)
    check_statement(w.statement("st-p1-2026-01"), "st-p1-2026-01", "p1", "2026-01", JAN_RUN,
                    [order_line("plain", 500)])
    for oid in ("cleared", "confirmed", "pending"):
        got = w.order(oid)
        assert_status(got, "receipt_confirmed")
        assert got["statement"] is None
    w.clock("2026-02-25T02:00:00Z")
    assert w.review("cleared", "clear", note="family account").status_code == 200
    assert w.review("confirmed", "confirm", note="own account").status_code == 200
    w.clock(FEB_RUN)
    check_statement(w.statement("st-p1-2026-02"), "st-p1-2026-02", "p1", "2026-02", FEB_RUN,
                    [order_line("cleared", 1000)])
    assert_status(w.order("cleared"), "settled")
    assert_status(w.order("confirmed"), "invalid", "fake_order")
    assert (w.order("pending")["status"], w.order("pending")["statement"]) == \
        ("receipt_confirmed", None)


def scenario_statements(expected):
    """What January's statements of scenario() hold, by hand: per promoter, a line per
    confirmed order with its commission and a negative line per clawback (those of 0 fen
    left out of the comparison)."""
    by = {}
    for oid, (status, _, settlement, clawback, promoter) in expected.items():
        if status == "receipt_confirmed":
            by.setdefault(promoter, []).append(order_line(oid, settlement))
            if clawback:
                by[promoter].append(clawback_line(oid, "c1", clawback))
    return by


def nonzero(lines):
    return sorted(x for x in lines if x[3] != 0)


def check_scenario_statements(w, expected):
    want = scenario_statements(expected)
    for promoter, lines in want.items():
        st = w.statement(f"st-{promoter}-2026-01")
        check_statement(st, f"st-{promoter}-2026-01", promoter, "2026-01", JAN_RUN,
                        [x for x in lines if x[0] == "order"] +
                        [x for x in lines_of(st) if x[0] == "clawback" and x[3] == 0] +
                        [x for x in lines if x[0] == "clawback"])
    return want


def test_the_whole_feed_sent_twice_gives_identical_statements(w, twin):
    """Issue 15: the whole feed sent twice gives identical statements (every event a
    duplicate the second time), and once more after the statements, nothing changes and
    nothing is pending for the next month."""
    events, expected = scenario(n_orders=66, seed=3)
    w.send_all(events)
    twin.send_all(events)
    again = [twin.send(events[i:i + 50]) for i in range(0, len(events), 50)]
    assert all(set(outcomes(b)) == {"duplicate"} for b in again)
    for x in (w, twin):
        x.clock(JAN_RUN)
    want = check_scenario_statements(w, expected)
    assert len(want) == 3
    for promoter in want:
        sid = f"st-{promoter}-2026-01"
        a, b = w.statement(sid), twin.statement(sid)
        assert {**a, "lines": lines_of(a)} == {**b, "lines": lines_of(b)}, sid
    issued = {p: twin.statement(f"st-{p}-2026-01") for p in want}
    third = [twin.send(events[i:i + 50]) for i in range(0, len(events), 50)]
    assert all(set(outcomes(b)) == {"duplicate"} for b in third)
    twin.clock(FEB_RUN)
    for p in want:
        assert twin.statement(f"st-{p}-2026-01") == issued[p]
        assert [s["id"] for s in twin.statements(promoter=p)] == [f"st-{p}-2026-01"]


def test_shuffled_arrival_gives_the_same_statements(w, twin):
    """Issue 15: events shuffled in arrival order give the same orders and statements as in
    order."""
    events, expected = scenario(n_orders=66, seed=4)
    w.send_all(events)
    twin.clock(iso(max(instant(e["at"]) for e in events)))
    mixed = shuffled(events, 2)
    for i in range(0, len(mixed), 9):
        twin.send(mixed[i:i + 9])
    for x in (w, twin):
        x.clock(JAN_RUN)
    want = check_scenario_statements(w, expected)
    check_scenario_statements(twin, expected)
    for promoter in want:
        sid = f"st-{promoter}-2026-01"
        a, b = w.statement(sid), twin.statement(sid)
        assert {**a, "lines": lines_of(a)} == {**b, "lines": lines_of(b)}, sid
    for oid in expected:
        assert comparable(twin.order(oid)) == comparable(w.order(oid)), oid


def test_a_statement_reads_as_csv(server, w):
    """AFFILIATE.md: Accept: text/csv -> CSV, header row kind,order,case,amount_fen, a line
    per statement line, a last line with the total."""
    o1, o2 = Order("o1"), Order("o2")
    w.send([o1.paid(local("2026-01-21 12:00:00"), 10000, 500),
            o1.confirmed(local("2026-01-22 12:00:00"), 10000),
            o1.rights(local("2026-01-23 12:00:00"), "c1", "succeeded", 3000),
            o2.paid(local("2026-01-21 13:00:00"), 900, 50),
            o2.confirmed(local("2026-01-22 13:00:00"), 900)])             # 4.5 -> 4
    w.clock(JAN_RUN)
    st = w.statement("st-p1-2026-01")
    check_statement(st, "st-p1-2026-01", "p1", "2026-01", JAN_RUN,
                    [order_line("o1", 500), order_line("o2", 4), clawback_line("o1", "c1", 150)])
    for who in ("op", "p1"):
        r = w.c(who).get("/v1/affiliate/statements/st-p1-2026-01",
                         headers={"Accept": "text/csv"})
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"].startswith("text/csv"), r.headers
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8"))))
        rows = [row for row in rows if row]
        assert rows[0] == ["kind", "order", "case", "amount_fen"]
        assert rows[-1][0] == "total" and int(rows[-1][-1]) == 354, rows
        body = sorted((k, o, c or None, int(a)) for k, o, c, a in rows[1:-1])
        assert body == lines_of(st)


def test_a_statement_csv_quotes_free_text_and_defuses_formulas(server, w):
    """A case id is the feed's free text: in CSV a comma, a quote or a line break is quoted
    (RFC 4180) and a leading = + - @ is written after an apostrophe, so every row reads back
    as the JSON line it is and no cell runs as a spreadsheet formula."""
    o1 = Order("o1")
    cases = ["c,1", 'c"2', "=2+3", "c\n4"]
    w.send([o1.paid(local("2026-01-21 12:00:00"), 10000, 500),
            o1.confirmed(local("2026-01-22 12:00:00"), 10000)] +
           [o1.rights(local(f"2026-01-23 12:0{i}:00"), c, "succeeded", 1000)
            for i, c in enumerate(cases)])
    w.clock(JAN_RUN)
    st = w.statement("st-p1-2026-01")
    r = w.c("p1").get("/v1/affiliate/statements/st-p1-2026-01", headers={"Accept": "text/csv"})
    assert r.status_code == 200, r.text
    rows = [row for row in csv.reader(io.StringIO(r.content.decode("utf-8"), newline=""))
            if row]
    assert all(len(row) == 4 for row in rows), rows
    got = sorted((k, o, (c[1:] if c.startswith("'=") else c) or None, int(a))
                 for k, o, c, a in rows[1:-1])
    assert got == lines_of(st)
    assert any(row[2] == "'=2+3" for row in rows), rows
    assert int(rows[-1][-1]) == st["total_fen"]


def test_statement_visibility_and_lists(server, w):
    """AFFILIATE.md: GET /v1/affiliate/statements?promoter=&month= -> {statements}; a promoter
    reads its own statements only (another's is 404); a bad month is 400 invalid_value."""
    w.send([Order("o1").paid(local("2026-01-10 12:00:00")),
            Order("o1").confirmed(local("2026-01-11 12:00:00"), 10000, event_id="o1-rc"),
            Order("q1", promoter="p2").paid(local("2026-01-10 12:00:00")),
            Order("q1", promoter="p2").confirmed(local("2026-01-11 12:00:00"), 10000,
                                                 event_id="q1-rc"),
            Order("o2").paid(local("2026-02-10 12:00:00")),
            Order("o2").confirmed(local("2026-02-11 12:00:00"), 10000, event_id="o2-rc")])
    w.clock(FEB_RUN)
    assert sorted(s["id"] for s in w.statements()) == \
        ["st-p1-2026-01", "st-p1-2026-02", "st-p2-2026-01"]
    assert sorted(s["id"] for s in w.statements(month="2026-01")) == \
        ["st-p1-2026-01", "st-p2-2026-01"]
    assert [s["id"] for s in w.statements(promoter="p1", month="2026-02")] == ["st-p1-2026-02"]
    assert sorted(s["id"] for s in w.statements(who="p1")) == ["st-p1-2026-01", "st-p1-2026-02"]
    assert [s["id"] for s in w.statements(who="p2")] == ["st-p2-2026-01"]
    assert w.statement("st-p1-2026-01", who="p1")["total_fen"] == 500
    r = w.c("p1").get("/v1/affiliate/statements/st-p2-2026-01")
    assert r.status_code == 404 and error_code(r) == "not_found", r.text
    for month in ("2026-13", "Jan", "2026-1"):
        r = w.c("op").get("/v1/affiliate/statements", params={"month": month})
        assert r.status_code == 400 and error_code(r) == "invalid_value", (month, r.text)


def test_a_run_over_many_promoters_issues_every_statement(server, w):
    """Issue 15 statements "per promoter": a run over more promoters than one command issues
    (500) still issues every promoter's statement at 00:00 on the 20th, each exactly once, and
    settles every order."""
    n = 1200
    events = []
    for i in range(n):
        o = Order(f"m{i:04d}", promoter=f"pm{i:04d}")
        events += [o.paid(local("2026-01-10 12:00:00"), 10000, 500),
                   o.confirmed(local("2026-01-11 12:00:00"), 10000)]
    w.send_all(events, chunk=2400)
    w.clock(JAN_RUN)
    got, after = [], None
    while True:
        params = {"limit": 200, "month": "2026-01", **({"after": after} if after else {})}
        r = w.c("op").get("/v1/affiliate/statements", params=params)
        assert r.status_code == 200, r.text
        got += r.json()["statements"]
        after = r.json()["next_after"]
        if not after:
            break
    assert sorted(s["promoter"] for s in got) == [f"pm{i:04d}" for i in range(n)]
    assert all(s["total_fen"] == 500 and len(s["lines"]) == 1 for s in got)
    assert w.order("m0000")["status"] == "settled" and w.order("m1199")["status"] == "settled"


# --- corrections after settlement ------------------------------------------------------------
# RULES §2: "A statement, once issued, never changes; later corrections go into the next one."
# docs/affiliate.md, Corrections: what issued statements made an order plus its pending lines
# is what it earns now (its settlement commission less its clawbacks, 0 when invalid); the
# order keeps the statement that settled it; a deducted clawback is never rewritten.

APR_RUN = "2026-05-19T16:00:00Z"


def correction_line(oid, amount):
    return ("correction", oid, None, amount)


def paid_by_statements(w, oid):
    """What every issued statement's lines made the order, in fen."""
    return sum(x["amount_fen"] for st in w.statements() for x in st["lines"]
               if x["order"] == oid)


def earns(order):
    """What the order earns now, by the rule: nothing when invalid, else its settlement
    commission less what its rights cases claw back (each clawback line's amount taken)."""
    if order["status"] == "invalid":
        return 0
    return order["settlement_commission_fen"] - sum(c["amount_fen"] for c in order["clawbacks"])


def corrections_of(order):
    return [(c["amount_fen"], c["state"], c["statement"]) for c in order["corrections"]]


def claws_of(order):
    """(case, amount taken, state, statement) in the order listed."""
    return [(c["case"], c["amount_fen"], c["state"], c["statement"]) for c in order["clawbacks"]]


def test_a_late_partial_refund_after_settlement_is_corrected_in_the_next_statement(server, w):
    """A partial refund dated before confirmation, reported after January's statement paid the
    full commission: the order settles 8,000 now (800 at 1,000 bp), stays settled in January's
    statement, and February's statement takes back the 200 paid too much as a correction line,
    in JSON and CSV alike; the January statement does not change."""
    o = Order("o1")
    w.send([o.paid(local("2026-01-10 12:00:00"), 10000, 1000),
            o.confirmed(local("2026-01-15 12:00:00"), 10000)])
    w.clock(JAN_RUN)
    jan = w.statement("st-p1-2026-01")
    check_statement(jan, "st-p1-2026-01", "p1", "2026-01", JAN_RUN, [order_line("o1", 1000)])
    w.clock("2026-02-22T02:00:00Z")
    w.send([o.partial_refund(local("2026-01-12 12:00:00"), 2000)])
    got = w.order("o1")
    assert_status(got, "settled")
    assert (got["settled_amount_fen"], got["settlement_commission_fen"], got["statement"]) == \
        (8000, commission(8000, 1000), "st-p1-2026-01"), got
    assert corrections_of(got) == [(800 - 1000, "pending", None)]
    assert w.statement("st-p1-2026-01") == jan
    w.clock(FEB_RUN)
    feb = w.statement("st-p1-2026-02")
    check_statement(feb, "st-p1-2026-02", "p1", "2026-02", FEB_RUN, [correction_line("o1", -200)])
    r = w.c("p1").get("/v1/affiliate/statements/st-p1-2026-02", headers={"Accept": "text/csv"})
    assert r.status_code == 200, r.text
    rows = [row for row in csv.reader(io.StringIO(r.content.decode("utf-8"))) if row]
    assert rows[1:] == [["correction", "o1", "", "-200"], ["total", "", "", "-200"]], rows
    got = w.order("o1")
    assert_status(got, "settled")
    assert got["statement"] == "st-p1-2026-01"
    assert corrections_of(got) == [(-200, "issued", "st-p1-2026-02")]
    assert paid_by_statements(w, "o1") == earns(got) == 800
    # point in time (docs/point-in-time.md): settled from the instant its statement was issued,
    # the correction from the instant the statement that carries it was
    for at, status, statement, corrections in (
            ("2026-02-19T15:59:59Z", "receipt_confirmed", None, []),
            (JAN_RUN, "settled", "st-p1-2026-01", []),
            (FEB_RUN, "settled", "st-p1-2026-01", [(-200, "issued", "st-p1-2026-02")])):
        r = w.c("op").get("/v1/affiliate/orders/o1", params={"at": at})
        assert r.status_code == 200, r.text
        then = r.json()
        assert (then["status"], then["statement"], corrections_of(then)) == \
            (status, statement, corrections), (at, then)
    w.clock(MAR_RUN)  # nothing left: no March statement
    assert sorted(s["id"] for s in w.statements()) == ["st-p1-2026-01", "st-p1-2026-02"]
    assert w.statement("st-p1-2026-01") == jan


def test_an_anomaly_after_settlement_takes_back_what_was_paid(server, w):
    """A refund after settlement cannot be reconciled: the order is invalid / data_anomaly and
    earns nothing, clawbacks included. It keeps the statement that settled it; the next
    statement takes back its commission (a correction) and gives back what its rights case had
    deducted (a credit: a clawback line with a positive amount), so that in all the statements
    made it 0."""
    a, b = Order("a"), Order("b")
    w.send([a.paid(local("2026-01-10 12:00:00"), 10000, 1000),
            a.confirmed(local("2026-01-15 12:00:00"), 10000),                   # 1000
            b.paid(local("2026-01-10 13:00:00"), 20000, 500),
            b.confirmed(local("2026-01-16 12:00:00"), 20000),                   # 1000
            b.rights(local("2026-01-17 12:00:00"), "c1", "succeeded", 4000)])   # 200
    w.clock(JAN_RUN)
    jan = w.statement("st-p1-2026-01")
    check_statement(jan, "st-p1-2026-01", "p1", "2026-01", JAN_RUN,
                    [order_line("a", 1000), order_line("b", 1000), clawback_line("b", "c1", 200)])
    w.send([a.refund(local("2026-02-21 12:00:00")), b.refund(local("2026-02-21 13:00:00"))])
    for oid in ("a", "b"):
        got = w.order(oid)
        assert_status(got, "invalid", "data_anomaly")
        assert_money(got, 0, 0)
        assert got["statement"] == "st-p1-2026-01", got
        assert corrections_of(got) == [(-1000, "pending", None)]
    assert claws_of(w.order("b")) == [("c1", 200, "deducted", "st-p1-2026-01"),
                                      ("c1", -200, "deduction_pending", None)]
    assert w.statement("st-p1-2026-01") == jan
    w.clock(FEB_RUN)
    check_statement(w.statement("st-p1-2026-02"), "st-p1-2026-02", "p1", "2026-02", FEB_RUN,
                    [correction_line("a", -1000), correction_line("b", -1000),
                     ("clawback", "b", "c1", 200)])
    for oid in ("a", "b"):
        got = w.order(oid)
        assert_status(got, "invalid", "data_anomaly")
        assert got["statement"] == "st-p1-2026-01"
        assert corrections_of(got) == [(-1000, "issued", "st-p1-2026-02")]
        assert paid_by_statements(w, oid) == earns(got) == 0
    assert claws_of(w.order("b")) == [("c1", 200, "deducted", "st-p1-2026-01"),
                                      ("c1", -200, "deducted", "st-p1-2026-02")]
    assert sorted(o["id"] for o in w.orders(status="invalid")) == ["a", "b"]
    w.clock(MAR_RUN)
    assert sorted(s["id"] for s in w.statements()) == ["st-p1-2026-01", "st-p1-2026-02"]


def test_a_flag_confirmed_on_a_settled_order_takes_its_commission_back(server, w):
    """An earlier-dated order of the same buyer arrives after three were settled: the last of
    them becomes the 4th within 24 h and is flagged (repeat_buyer). The open flag changes
    nothing (no correction); confirmed, the order is invalid / violation and earns nothing:
    the next statement takes back the 1,000 January's paid. A cleared flag corrects nothing."""
    buyer = {"id": "BB"}
    rs = [Order(f"r{i}", buyer=buyer) for i in range(1, 4)]
    feed = []
    for i, o in enumerate(rs):
        feed += [o.paid(local(f"2026-01-10 1{i + 1}:00:00"), 10000, 1000),
                 o.confirmed(local("2026-01-12 12:00:00"), 10000)]
    w.send(feed)
    w.clock(JAN_RUN)
    jan = w.statement("st-p1-2026-01")
    check_statement(jan, "st-p1-2026-01", "p1", "2026-01", JAN_RUN,
                    [order_line(o.oid, 1000) for o in rs])
    w.send([Order("r0", buyer=buyer).paid(local("2026-01-10 09:00:00"), 10000, 1000)])
    got = w.order("r3")
    assert flags_of(got) == [("repeat_buyer", "violation", "open")]
    assert_status(got, "settled")
    assert corrections_of(got) == []
    r = w.review("r3", "confirm")
    assert r.status_code == 200, r.text
    got = w.order("r3")
    assert_status(got, "invalid", "violation")
    assert_money(got, 0, 0)
    assert got["statement"] == "st-p1-2026-01"
    assert corrections_of(got) == [(-1000, "pending", None)]
    assert w.statement("st-p1-2026-01") == jan
    w.clock(FEB_RUN)
    check_statement(w.statement("st-p1-2026-02"), "st-p1-2026-02", "p1", "2026-02", FEB_RUN,
                    [correction_line("r3", -1000)])
    got = w.order("r3")
    assert corrections_of(got) == [(-1000, "issued", "st-p1-2026-02")]
    for oid in ("r1", "r2", "r3"):
        assert paid_by_statements(w, oid) == earns(w.order(oid)), oid


def test_a_deducted_clawback_is_never_rewritten(server, w):
    """A clawback deducted in an issued statement stays as it was in the order's view; a later
    state of the same rights case adds a pending line of the difference: failed -> a credit of
    what was deducted (a positive clawback line); succeeded again with a larger refund -> the
    rest of the larger clawback."""
    d, e = Order("d"), Order("e")
    w.send([d.paid(local("2026-01-10 12:00:00"), 10000, 1000),
            d.confirmed(local("2026-01-15 12:00:00"), 10000),
            e.paid(local("2026-01-10 13:00:00"), 10000, 1000),
            e.confirmed(local("2026-01-15 13:00:00"), 10000)])
    w.clock(JAN_RUN)
    w.send([d.rights(local("2026-02-21 12:00:00"), "k", "succeeded", 3000),     # 300
            e.rights(local("2026-02-21 13:00:00"), "k", "succeeded", 3000)])
    w.clock(FEB_RUN)
    feb = w.statement("st-p1-2026-02")
    check_statement(feb, "st-p1-2026-02", "p1", "2026-02", FEB_RUN,
                    [clawback_line("d", "k", 300), clawback_line("e", "k", 300)])
    deducted = ("k", 300, "deducted", "st-p1-2026-02")
    assert claws_of(w.order("d")) == [deducted]
    w.send([d.rights(local("2026-03-01 12:00:00"), "k", "failed", 3000),
            e.rights(local("2026-03-01 13:00:00"), "k", "failed", 3000)])
    for oid in ("d", "e"):
        got = w.order(oid)
        assert_status(got, "settled")
        assert claws_of(got) == [deducted, ("k", -300, "deduction_pending", None)], got
    w.send([d.rights(local("2026-03-02 12:00:00"), "k", "succeeded", 6000)])   # 600 in all
    assert claws_of(w.order("d")) == [deducted, ("k", 300, "deduction_pending", None)]
    assert w.statement("st-p1-2026-02") == feb
    w.clock(MAR_RUN)
    check_statement(w.statement("st-p1-2026-03"), "st-p1-2026-03", "p1", "2026-03", MAR_RUN,
                    [clawback_line("d", "k", 300), ("clawback", "e", "k", 300)])
    assert claws_of(w.order("d")) == [deducted, ("k", 300, "deducted", "st-p1-2026-03")]
    assert claws_of(w.order("e")) == [deducted, ("k", -300, "deducted", "st-p1-2026-03")]
    for oid, now in (("d", 1000 - 600), ("e", 1000)):
        got = w.order(oid)
        assert corrections_of(got) == [] and got["statement"] == "st-p1-2026-01"
        assert paid_by_statements(w, oid) == earns(got) == now, oid
    w.clock(APR_RUN)
    assert w.statements(month="2026-04") == []


BEFORE_CORRECTIONS = 19  # the last migration before corrections (0019_queue.sql)


def pre_corrections_database(path, admin_key):
    """A database as the release before corrections wrote it (migrations 0001-0019): an admin
    key; order o1 (10,000 at 1,000 bp, confirmed in January) settled by st-p1-2026-01 (1,000);
    its rights case k (refund 3,000) clawed back 300 by st-p1-2026-02."""
    schema = os.path.join(SOURCE_DIR, "src", "store", "schema")
    us = lambda text: int(instant(local(text)).timestamp()) * 1000000  # noqa: E731
    con = sqlite3.connect(path)
    try:
        for name in sorted(os.listdir(schema)):
            if int(name[:4]) <= BEFORE_CORRECTIONS:
                with open(os.path.join(schema, name), encoding="utf-8") as f:
                    con.executescript(f.read())
        at = 1767225600000000  # 2026-01-01T00:00:00Z in microseconds
        digest = hashlib.blake2b(admin_key.encode(), digest_size=32).digest()
        con.execute("INSERT INTO api_keys (id, hash, role, created_at) VALUES (?,?,?,?)",
                    ("test-admin", digest, "admin", at))
        events = [
            (1, "o1-paid", us("2026-01-10 12:00:00"), "paid", 10000, 1000, "b1", None, None, None),
            (2, "o1-confirmed", us("2026-01-15 12:00:00"), "receipt_confirmed", None, None, None,
             10000, None, None),
            (3, "o1-case", us("2026-02-21 12:00:00"), "rights_case", None, None, None, None, "k",
             3000)]
        for rid, eid, t_us, type_, amount, rate, buyer, settled, case, refund in events:
            con.execute("INSERT INTO aff_events (rid, event_id, order_id, at, arrived, type,"
                        " promoter, merchant, item, amount_fen, rate_bp, buyer_id, settled_fen,"
                        " case_id, case_state, refund_fen) VALUES (?,?,'o1',?,?,?,'p1','m1',"
                        "'i1',?,?,?,?,?,?,?)",
                        (rid, eid, t_us, t_us, type_, amount, rate, buyer, settled, case,
                         "succeeded" if case else None, refund))
        con.execute("INSERT INTO aff_orders (order_id, promoter, status, confirmed_at, statement,"
                    " doc, version, updated_at) VALUES ('o1','p1','settled',?,'st-p1-2026-01',"
                    "'{}',3,?)", (us("2026-01-15 12:00:00"), at))
        con.execute("INSERT INTO aff_clawbacks (order_id, case_id, promoter, amount_fen,"
                    " statement) VALUES ('o1','k','p1',300,'st-p1-2026-02')")
        for sid, month, lines in (
                ("st-p1-2026-01", "2026-01", [{"kind": "order", "order": "o1",
                                               "amount_fen": 1000}]),
                ("st-p1-2026-02", "2026-02", [{"kind": "clawback", "order": "o1", "case": "k",
                                               "amount_fen": -300}])):
            con.execute("INSERT INTO aff_statements (id, promoter, month, issued_at, lines,"
                        " total_fen) VALUES (?,'p1',?,?,?,?)",
                        (sid, month, at, json.dumps(lines),
                         sum(x["amount_fen"] for x in lines)))
        con.execute(f"PRAGMA user_version = {BEFORE_CORRECTIONS}")
        con.commit()
    finally:
        con.close()


def test_a_database_before_corrections_is_corrected_from_what_its_statements_paid(tmp_path):
    """The migration keeps every deducted clawback and learns what the settling statement paid:
    a partial refund reported later (the order earns 800) and the case turning failed (the 300
    deducted is given back) make the next statement carry -200 and +300."""
    s = Server(str(tmp_path))
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(s.db + suffix):
            os.remove(s.db + suffix)
    pre_corrections_database(s.db, s.admin_key)
    run_cli("tick", "--to", "2026-04-01T00:00:00Z", "--db", s.db)  # migrates it
    s.start()
    try:
        w = World(s)
        w.now = instant("2026-04-01T00:00:00Z")
        o = Order("o1")
        w.send([o.partial_refund(local("2026-01-12 12:00:00"), 2000, event_id="o1-pr"),
                o.rights(local("2026-03-01 12:00:00"), "k", "failed", 3000, event_id="o1-k2")])
        got = w.order("o1")
        assert_status(got, "settled")
        assert (got["settlement_commission_fen"], got["statement"]) == (800, "st-p1-2026-01")
        assert corrections_of(got) == [(-200, "pending", None)]
        assert claws_of(got) == [("k", 300, "deducted", "st-p1-2026-02"),
                                 ("k", -300, "deduction_pending", None)]
        w.clock(MAR_RUN)
        check_statement(w.statement("st-p1-2026-03"), "st-p1-2026-03", "p1", "2026-03", MAR_RUN,
                        [correction_line("o1", -200), ("clawback", "o1", "k", 300)])
        assert paid_by_statements(w, "o1") == earns(w.order("o1")) == 800
    finally:
        s.stop()
