"""Affiliate orders (issue 15, RULES.md §2), sections 3 and 4: who sees which orders, the
order and held lists, the review rules (self_purchase, repeat_buyer, conversion_outlier),
operator review decisions, and spike alerts. The world and its conventions (manual clock,
money computed by hand) are in affiliate_world.py and test_affiliate.py's docstring."""

from datetime import timedelta

import pytest

from conftest import default_policy, error_code
from affiliate_world import (assert_money, assert_status, BASE, flags_of, iso, Order, same_instant,
                             STATUS_CODE, t)
from affiliate_world import w  # noqa: F401  fixtures


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


@pytest.mark.parametrize("order", ["in_time", "reversed", "shuffled"])
def test_repeat_buyer_over_many_orders_flags_the_same_whatever_the_arrival(server, w, order):
    """Issue 15 repeat_buyer, with one fingerprint's 60 orders in a day (a batch an adversary
    could send to make every order read every other): the first three are clear, every later
    one is flagged with the three orders right before it named, whether the feed sends them in
    time, backwards or shuffled. Orders more than 24 h
    apart start over."""
    import random
    minutes = [i * 20 for i in range(60)] + [60 * 48 + i for i in range(5)]  # 0-19:40, day 3
    feed = repeat_feed([{"id": "b-many"}] * len(minutes), minutes, prefix="m")
    if order == "reversed":
        feed.reverse()
    elif order == "shuffled":
        random.Random(7).shuffle(feed)
    for i in range(0, len(feed), 16):
        w.send(feed[i:i + 16])
    for n in range(1, len(minutes) + 1):
        flags = w.order(f"m{n}")["flags"]
        first_of_day = n <= 3 or 61 <= n <= 63
        if first_of_day:
            assert flags == [], (n, flags)
            continue
        flag = the_flag(w.order(f"m{n}"), "repeat_buyer")
        assert flag["evidence"]["orders"] == [f"m{k}" for k in range(n - 3, n)], (n, flag)


def test_repeat_buyer_under_a_lowered_limit_flags_every_order_a_late_one_moves(server, w):
    """Issue 15 repeat_buyer with thresholds from the policy in force: after max_orders is
    lowered from 3 to 1, an order reported late ranks every order after it in its window again
    (all of them flagged now, not only the next few: an independent adversarial pass)."""
    w.send(repeat_feed([{"id": "b-low"}] * 4, [0, 60, 120, 180], prefix="lo"))
    assert [bool(w.order(f"lo{k}")["flags"]) for k in range(1, 5)] == [False, False, False, True]
    doc = default_policy()
    doc["affiliate"]["repeat_buyer"]["max_orders"] = 1
    doc["version"] = "aff-lower-1"
    r = server.admin().post("/v1/admin/policy", doc)
    assert r.status_code == 200, r.text
    w.send([Order("lo-late", buyer={"id": "b-low"}).paid(t(minutes=30))])
    flagged = {o: bool(w.order(o)["flags"]) for o in ("lo1", "lo-late", "lo2", "lo3", "lo4")}
    assert flagged == {"lo1": False, "lo-late": True, "lo2": True, "lo3": True, "lo4": True}


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


def arrivals(mine, others, how):
    """The same events of test_conversion_flags_do_not_depend_on_arrival_order, in requests."""
    paid = [e for e in mine if e["type"] == "paid"]
    conf = [e for e in mine if e["type"] != "paid"]
    if how == "mine_20th_paid_last":
        return [others, paid[:19] + conf, paid[19:]]
    if how == "confirmations_last":
        return [others, paid, conf]
    if how == "others_last":
        return [paid + conf, others]
    return [[e] for e in sorted(others + mine, key=lambda e: e["event_id"])]  # one by one


@pytest.mark.parametrize("how", ["mine_20th_paid_last", "confirmations_last", "others_last",
                                 "one_by_one"])
def test_conversion_flags_do_not_depend_on_arrival_order(server, w, how):
    """Audit: conversion_outlier is a function of the events, whatever order they arrive in.
    p1 has 20 paid orders of i9, 19 of them confirmed (95%); p2 has 40 paid, none confirmed:
    the platform rate is 19/60 (x 1.5 = 47.5%), 60 orders >= 50, p1's 20 >= 20: p1's 19
    confirmed orders are flagged, whether p1's 20th payment, p1's confirmations or p2's orders
    arrive last. The flag's evidence lists the orders it flags."""
    others = conversion_feed("i9", "p2", 40, 0, BASE, "q")
    mine = conversion_feed("i9", "p1", 20, 19, BASE + timedelta(hours=8), "o")
    for batch in arrivals(mine, others, how):
        w.send(batch)
    confirmed = sorted(e["order"] for e in mine if e["type"] == "receipt_confirmed")
    flagged = {}
    for o in w.orders(promoter="p1") + w.orders(promoter="p2"):
        for f in o["flags"]:
            assert f["rule"] == "conversion_outlier", (o["id"], f)
            flagged[o["id"]] = f
    assert sorted(flagged) == confirmed, how
    for oid, f in flagged.items():
        assert (f["reason"], f["state"]) == ("violation", "open"), f
        assert oid in f["evidence"]["orders"], f
        assert set(f["evidence"]["orders"]) <= set(confirmed), f
    if how != "one_by_one":  # flagged at once: the evidence names all of them
        for f in flagged.values():
            assert sorted(f["evidence"]["orders"]) == confirmed, f


@pytest.mark.parametrize("late", ["others_confirmed_last", "others_confirmed_first"])
def test_a_rate_that_is_an_outlier_only_on_the_way_is_not_flagged(server, w, late):
    """Issue 15: events shuffled in arrival order give the same orders and statements. p1 has
    20 paid and 20 confirmed orders of i8, p2 30 paid and 30 confirmed: 50/50 platform-wide, so
    p1's 100% is not above 100% x 1.5 and nothing is flagged at the end. Halfway (p2's
    confirmations not yet in) p1 was 100% against 20/50: a flag raised then is withdrawn when
    the rest arrives, as it was never raised in the other order; p1's orders go into the
    statement either way."""
    mine = conversion_feed("i8", "p1", 20, 20, BASE, "m")
    others = conversion_feed("i8", "p2", 30, 30, BASE + timedelta(hours=8), "n")
    o_paid = [e for e in others if e["type"] == "paid"]
    o_conf = [e for e in others if e["type"] != "paid"]
    if late == "others_confirmed_last":
        batches = [mine + o_paid, o_conf]
    else:
        batches = [others, mine]
    for b in batches:
        w.send(b)
    for o in w.orders(promoter="p1") + w.orders(promoter="p2"):
        assert o["flags"] == [], (late, o["id"], o["flags"])
    w.clock("2026-02-19T16:00:00Z")  # 2026-02-20 00:00 Asia/Shanghai: January's statements
    st = w.statement("st-p1-2026-01")
    assert sorted(ln["order"] for ln in st["lines"] if ln["kind"] == "order") == \
        sorted(e["order"] for e in mine if e["type"] == "paid"), st


@pytest.mark.parametrize("path,reason", [("refund", "refunded"),
                                         ("cancel_after_paid", "data_anomaly")])
def test_review_confirm_on_an_order_invalid_for_another_reason_keeps_that_reason(server, w,
                                                                                path, reason):
    """docs/affiliate.md: an invalid order has exactly one reason. Confirming the flag of an
    order the feed already made invalid (a refund; a cancellation after payment, a data
    anomaly) closes the flag as confirmed and keeps the order's first reason."""
    o = Order("f1", buyer={"id": "p1"})                                    # self_purchase
    later = o.refund(t(hours=1)) if path == "refund" else o.cancelled(t(hours=1))
    w.send([o.paid(t(), 10000, 500), later])
    before = w.order("f1")
    assert_status(before, "invalid", reason)
    assert the_flag(before, "self_purchase")["state"] == "open"
    r = w.review("f1", "confirm", note="own account")
    assert r.status_code == 200, r.text
    got = w.order("f1")
    assert_status(got, "invalid", reason)
    assert_money(got, 0, 0)
    flag = the_flag(got, "self_purchase")
    assert (flag["state"], flag["note"]) == ("confirmed", "own account"), flag
    assert r.json()["result"]["reason"] == reason, r.text


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


def test_a_review_takes_the_order_s_etag_as_if_match(server, w):
    """Issue 11: If-Match on POST actions. An operator reviews the order as read: when the
    feed moved it since (a receipt confirmed), the review is 412 version_mismatch and
    nothing changes; with the order's current ETag it applies."""
    o = Order("o1", buyer={"id": "p1"})
    w.send([o.paid(t(), 10000, 500)])
    r = w.c("op").get("/v1/affiliate/orders/o1")
    seen = r.headers["ETag"]
    w.send([o.confirmed(t(days=1), 10000)])
    before = w.order("o1")
    r = w.c("op").post("/v1/affiliate/orders/o1/review", {"decision": "clear"},
                       headers={"If-Match": seen})
    assert r.status_code == 412 and error_code(r) == "version_mismatch", r.text
    assert w.order("o1") == before
    now = w.c("op").get("/v1/affiliate/orders/o1").headers["ETag"]
    r = w.c("op").post("/v1/affiliate/orders/o1/review", {"decision": "clear"},
                       headers={"If-Match": now})
    assert r.status_code == 200, r.text
    assert flags_of(w.order("o1")) == [("self_purchase", "fake_order", "cleared")]


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


def test_a_baseline_reported_after_the_spike_withdraws_its_alert(server, w):
    """Issue 15 monitoring, whatever the arrival order: 20 paid orders in an hour against a
    baseline of 4 an hour is no spike (20 is not more than 5 x 4). Sent before the baseline's
    payments, the 20 raise an alert against a baseline of 0 for a moment; the baseline's
    payments, once in, withdraw it: no alert is left, as when sent in order."""
    base_events, spiked = spike_feed(4, 20)
    w.send(spiked)
    w.send_all(base_events, chunk=100)
    w.clock(iso(SPIKE_HOUR + timedelta(hours=2)))
    assert w.alerts() == []
    r = w.c("op").get("/v1/queue")
    assert r.status_code == 200, r.text
    assert r.json()["affiliate_alerts"] == []


def test_a_spike_s_alert_counts_payments_reported_late_in_its_hour(server, w):
    """The alert of a spike that stays one shows its hour's count and baseline as they stand
    once every payment is in: 21 in the hour against a baseline of 4 (84 + 21 sent in two
    orders), the count 21 and the baseline 4 whichever arrives first."""
    base_events, spiked = spike_feed(4, 21)
    w.send(spiked[:20])
    w.send_all(base_events, chunk=100)
    w.send(spiked[20:])
    w.clock(iso(SPIKE_HOUR + timedelta(hours=2)))
    (a,) = w.alerts()
    assert (a["count"], a["baseline"]) == (21, 4), a


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
