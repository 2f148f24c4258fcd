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

Sections 1 the feed and the order lifecycle and 2 commission and rounding are here; 3
visibility and lists and 4 review rules, flags and alerts are in test_affiliate_review.py; 5
rights cases and clawbacks and 6 statements in test_affiliate_statements.py; the shared
world (Order, World, fixtures, money helpers) in affiliate_world.py.

The manual clock starts at 2026-01-05T01:00:00Z (conftest START) and only moves forward;
`World.send` moves it to the latest `at` of what it sends (the feed reports what has
happened). Money expected by a test is computed by hand in the test (integers, half-even),
never read back from the server. Merchants and items are external ids of the feed: no store
is opened for them."""

import random
import zlib

import pytest

from conftest import error_code
from affiliate_world import (assert_money, assert_status, case_event, check_expect, clawbacks_of,
                             commission, comparable, history_ids, instant, iso, load_cases, Order,
                             OUTCOMES, outcomes, same_instant, scenario, shuffled, t)
from affiliate_world import twin, w  # noqa: F401  fixtures


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


def test_a_batch_of_ten_thousand_realistic_events_is_taken(server, w):
    """Issue 15: up to 10,000 events a request. With uuid event ids, long order ids and hashed
    buyers such a batch is over 4 MiB: the route takes 8 MiB (its parser refused what the route
    took above 4 MiB: an independent black-box pass). Timestamps with nine fractional digits
    (RFC3339Nano) are instants too."""
    events = []
    for i in range(10000):
        o = Order(f"2026031012345678{i:04d}", promoter="mm_123456789_2345678_98765432")
        events.append(o.paid(f"2026-03-01T10:00:00.{i:04d}56789+08:00", amount_fen=9900,
                             rate_bp=500, event_id=f"{i:08x}-7d2c-4f8e-9a1b-5c3d2e1f0a9b",
                             buyer={"id": f"buyer-{i:06d}", "device": f"{i:040x}",
                                    "address_hash": f"{i:064x}"}))
    assert len(__import__("json").dumps({"events": events})) > 4 << 20
    body = w.send(events)
    assert body["applied"] == 10000, {k: body[k] for k in OUTCOMES}


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


def test_an_event_naming_another_item_is_an_anomaly(server, w):
    """RULES.md §2 counts an unknown item among the data anomalies: an order is of one item
    (its first event's), and a later event of the order naming another item cannot be
    reconciled with it: invalid / data_anomaly, both events named, nothing earned."""
    o = Order("oi")
    p = o.paid(t(), 10000, 500)
    other = o.confirmed(t(hours=1), 10000)
    other["item"] = "i-other"
    body = w.send([p, other])
    assert body["applied"] == 2, body
    got = w.order("oi")
    assert_status(got, "invalid", "data_anomaly")
    assert {p["event_id"], other["event_id"]} <= set(got["anomaly"]["events"])
    assert "i-other" in got["anomaly"]["detail"]
    assert_money(got, 0, 0)


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


def test_an_order_may_have_at_most_16_rights_cases(server, w):
    """docs/affiliate.md (data anomalies): an order holds at most 16 rights cases (distinct
    case ids); a later event of one of them is fine, the 17th case makes the order invalid
    with reason data_anomaly, that event the evidence."""
    o = Order("o1")
    w.send([o.paid(t(), 100000, 500), o.confirmed(t(days=1), 100000)])
    w.send([o.rights(t(days=2, minutes=k), f"c{k:02d}", "open", 100) for k in range(16)])
    w.send([o.rights(t(days=3), "c15", "succeeded", 100)])                # 5 fen
    got = w.order("o1")
    assert_status(got, "receipt_confirmed")
    assert len(got["rights_cases"]) == 16
    assert clawbacks_of(got) == [("c15", 5, "deduction_pending")]
    extra = o.rights(t(days=4), "c16", "open", 100)
    w.send([extra])
    got = w.order("o1")
    assert_status(got, "invalid", "data_anomaly")
    assert extra["event_id"] in got["anomaly"]["events"], got["anomaly"]
    assert "rights cases" in got["anomaly"]["detail"], got["anomaly"]
    assert_money(got, 0, 0)


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


def test_a_full_refund_refunds_what_was_paid(server, w):
    """Issue 15 `refund`: a full refund before confirmation; the order is invalid / refunded and
    what it shows refunded is the paid amount, also after partial refunds."""
    a, b = Order("o1"), Order("o2")
    w.send([a.paid(t(), 10000, 500), a.refund(t(hours=1)),
            b.paid(t(), 8000, 500), b.partial_refund(t(hours=1), 3000), b.refund(t(hours=2))])
    for oid, paid in (("o1", 10000), ("o2", 8000)):
        got = w.order(oid)
        assert_status(got, "invalid", "refunded")
        assert got["paid_amount_fen"] == paid and got["refunded_fen"] == paid, got
        assert_money(got, 0, 0)


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
