"""The affiliate API tests' shared world (issue 15, RULES.md §2): a feed builder (Order), a
server with clients by role (World), the `w` and `twin` fixtures, hand-computed money helpers
(half-even commission) and the January 2026 scenario feed used by the lifecycle and statement
tests. Nothing here reads the implementation: expected money is computed by hand."""

import json
import os
import random
import tempfile
from datetime import datetime, timedelta, timezone

import pytest

from conftest import SOURCE_DIR, Server, read_all_events

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
