"""Affiliate orders (issue 15, RULES.md §2), sections 5 and 6: rights cases and clawbacks,
monthly statements at 00:00 Asia/Shanghai on the 20th, their immutability and CSV form, and
corrections after settlement. The world and its conventions (manual clock, money computed by
hand) are in affiliate_world.py and test_affiliate.py's docstring."""

import csv
import io
import json
import os
from datetime import timedelta

import pytest

from conftest import error_code, old_database, run_cli, Server
from affiliate_world import (assert_money, assert_status, clawbacks_of, commission, comparable,
                             flags_of, instant, iso, lines_of, local, Order, outcomes, same_instant,
                             scenario, shuffled, t, World)
from affiliate_world import twin, w  # noqa: F401  fixtures


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


def statement_timers(w):
    r = w.c("op").get("/v1/admin/timers", params={"limit": 200})
    assert r.status_code == 200, r.text
    return sorted((x["key"], instant(x["due"])) for x in r.json()["timers"]
                  if x["kind"] == "affiliate.statements")


def test_a_month_already_run_is_never_run_again(server, w):
    """Audit: an order confirmed in January that arrives at the very instant of January's run
    (after it fired), or whose flag is cleared then, goes into the next run (February's, on
    March 20th, the statement of February: every order confirmed in February or earlier), not
    into a second January run issued later with the old 20th as its issued_at."""
    early = Order("early")
    flagged = Order("flagged", promoter="pY", buyer={"id": "pY"})   # self_purchase
    w.send([early.paid(local("2026-01-09 12:00:00"), 10000, 500),
            early.confirmed(local("2026-01-10 12:00:00"), 10000),
            flagged.paid(local("2026-01-11 12:00:00"), 20000, 500),
            flagged.confirmed(local("2026-01-12 12:00:00"), 20000)])
    assert [f["state"] for f in w.order("flagged")["flags"]] == ["open"]
    w.clock(JAN_RUN)
    assert [s["id"] for s in w.statements()] == ["st-p1-2026-01"]
    # the same instant, after the run: a late order of a new promoter, a flag cleared
    late = Order("late", promoter="pZ")
    w.send([late.paid(local("2026-01-10 12:00:00"), 30000, 150),
            late.confirmed(local("2026-01-15 12:00:00"), 30000)])          # 450
    assert w.review("flagged", "clear", note="family account").status_code == 200
    w.send([Order("other", promoter="pX").paid(JAN_RUN, 10000, 500)])
    timers = statement_timers(w)
    assert timers and all(due > instant(JAN_RUN) for _, due in timers), timers
    w.clock("2026-02-25T02:00:00Z")
    assert [s["id"] for s in w.statements()] == ["st-p1-2026-01"]
    for sid in ("st-pZ-2026-01", "st-pY-2026-01"):
        r = w.c("op").get(f"/v1/affiliate/statements/{sid}")
        assert r.status_code == 404, r.text
    assert_status(w.order("late"), "receipt_confirmed")
    w.clock(FEB_RUN)
    check_statement(w.statement("st-pZ-2026-02"), "st-pZ-2026-02", "pZ", "2026-02", FEB_RUN,
                    [order_line("late", 450)])
    check_statement(w.statement("st-pY-2026-02"), "st-pY-2026-02", "pY", "2026-02", FEB_RUN,
                    [order_line("flagged", 1000)])
    assert sorted(s["id"] for s in w.statements()) == \
        ["st-p1-2026-01", "st-pY-2026-02", "st-pZ-2026-02"]
    r = w.c("op").get("/v1/events", params={"type": "affiliate.statement_issued", "limit": 100})
    assert r.status_code == 200, r.text
    issued = r.json()["events"]
    assert sorted((e["payload"]["id"], instant(e["payload"]["issued_at"])) for e in issued) == \
        [("st-p1-2026-01", instant(JAN_RUN)), ("st-pY-2026-02", instant(FEB_RUN)),
         ("st-pZ-2026-02", instant(FEB_RUN))]
    assert w.order("late")["statement"] == "st-pZ-2026-02"


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
    """A cancellation after settlement cannot be reconciled (the feed's cancelled is an unpaid
    order's closing; a refund after confirmation is a rights case, below): the order is invalid
    / data_anomaly and
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
    w.send([a.cancelled(local("2026-02-21 12:00:00")), b.cancelled(local("2026-02-21 13:00:00"))])
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


def test_a_refund_after_settlement_is_a_rights_case_clawed_back_in_the_next_statement(server, w):
    """RULES §2: after confirmation or settlement a refund creates a rights case on the order, and
    a succeeded case claws the commission back (deduction_pending until the next statement, then
    deducted) as a negative line; the order keeps its history and its settlement. A full refund
    is what the order's succeeded cases have not refunded yet; a partial refund its amount."""
    a, b, c = Order("a"), Order("b"), Order("c")
    w.send([a.paid(local("2026-01-10 12:00:00"), 10000, 1000),
            a.confirmed(local("2026-01-15 12:00:00"), 10000),                   # 1000
            b.paid(local("2026-01-10 13:00:00"), 20000, 500),
            b.confirmed(local("2026-01-16 12:00:00"), 20000),                   # 1000
            b.rights(local("2026-01-17 12:00:00"), "c1", "succeeded", 4000),    # 200
            c.paid(local("2026-01-10 14:00:00"), 10000, 1000),
            c.confirmed(local("2026-01-15 14:00:00"), 10000)])                  # 1000
    w.clock(JAN_RUN)
    jan = w.statement("st-p1-2026-01")
    check_statement(jan, "st-p1-2026-01", "p1", "2026-01", JAN_RUN,
                    [order_line("a", 1000), order_line("b", 1000), order_line("c", 1000),
                     clawback_line("b", "c1", 200)])
    w.send([a.refund(local("2026-02-21 12:00:00"), event_id="ra"),
            b.refund(local("2026-02-21 13:00:00"), event_id="rb"),
            c.partial_refund(local("2026-02-21 14:00:00"), 2500, event_id="rc")])
    cases = {"a": [("ra", "succeeded", 10000, 1000)],
             "b": [("c1", "succeeded", 4000, 200), ("rb", "succeeded", 16000, 800)],
             "c": [("rc", "succeeded", 2500, 250)]}
    for oid, want in cases.items():
        got = w.order(oid)
        assert_status(got, "settled", None)
        assert got["statement"] == "st-p1-2026-01" and corrections_of(got) == [], got
        assert sorted((x["case"], x["state"], x["refund_fen"], x["clawback_fen"])
                      for x in got["rights_cases"]) == want, got
        assert got["history"][-1]["type"] in ("refund", "partial_refund"), got
    assert claws_of(w.order("a")) == [("ra", 1000, "deduction_pending", None)]
    assert claws_of(w.order("b")) == [("c1", 200, "deducted", "st-p1-2026-01"),
                                      ("rb", 800, "deduction_pending", None)]
    assert w.statement("st-p1-2026-01") == jan
    w.clock(FEB_RUN)
    check_statement(w.statement("st-p1-2026-02"), "st-p1-2026-02", "p1", "2026-02", FEB_RUN,
                    [clawback_line("a", "ra", 1000), clawback_line("b", "rb", 800),
                     clawback_line("c", "rc", 250)])
    assert claws_of(w.order("c")) == [("rc", 250, "deducted", "st-p1-2026-02")]
    for oid in ("a", "b", "c"):
        got = w.order(oid)
        assert_status(got, "settled", None)
        assert paid_by_statements(w, oid) == earns(got), (oid, got)
    assert [earns(w.order(oid)) for oid in ("a", "b", "c")] == [0, 0, 750]


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
    us = lambda text: int(instant(local(text)).timestamp()) * 1000000  # noqa: E731
    con = old_database(path, admin_key, BEFORE_CORRECTIONS)
    try:
        at = 1767225600000000  # 2026-01-01T00:00:00Z in microseconds
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


def test_a_statement_total_never_wraps_lines_beyond_wait_for_the_next(server, w):
    """Every fen accounted for (issue 15): each line is at most 10^15 fen, so a promoter with
    1,001 such lines would carry a 64-bit total near its end (10,000 would wrap it negative).
    A statement's total stays within 10^18 fen in magnitude and is always the exact sum of its
    lines; a line beyond waits, unsettled, for the next statement (found by an independent
    black-box tester: a total of -9146744073709551616)."""
    big = 10 ** 15
    orders = [Order(f"o{i:04d}") for i in range(1001)]
    events = []
    for o in orders:
        events += [o.paid(local("2026-01-09 12:00:00"), big, 10000),
                   o.confirmed(local("2026-01-10 12:00:00"), big)]
    for i in range(0, len(events), 1000):
        body = w.send(events[i:i + 1000])
        assert body["applied"] == len(events[i:i + 1000]), body
    w.clock(JAN_RUN)
    jan = w.statement("st-p1-2026-01")
    assert len(jan["lines"]) == 1000
    assert jan["total_fen"] == sum(x["amount_fen"] for x in jan["lines"]) == 10 ** 18
    left = {o.oid for o in orders} - {x["order"] for x in jan["lines"]}
    assert len(left) == 1
    (oid,) = left
    assert_status(w.order(oid), "receipt_confirmed")
    assert w.order(oid)["statement"] is None
    w.clock(FEB_RUN)
    feb = w.statement("st-p1-2026-02")
    assert [(x["kind"], x["order"], x["amount_fen"]) for x in feb["lines"]] == \
        [("order", oid, big)]
    assert feb["total_fen"] == big
    assert_status(w.order(oid), "settled")
    assert w.statement("st-p1-2026-01") == jan


def test_a_settled_order_read_as_of_after_its_statement_is_the_live_one(server, w):
    """Issue 17 on issue 15's orders: as of an instant after the statement that settled it
    (and before anything else happened to it) an order reads as it does live, its version too:
    settling writes the view without an event of its own (an independent tester saw version 1
    against the live 2)."""
    o = Order("o1")
    w.send([o.paid(local("2026-01-09 12:00:00"), 10000, 500),
            o.confirmed(local("2026-01-10 12:00:00"), 10000)])
    w.clock(JAN_RUN)
    live = w.order("o1")
    assert_status(live, "settled")
    w.clock("2026-02-25T00:00:00Z")
    r = w.c("op").get("/v1/affiliate/orders/o1", params={"at": "2026-02-21T00:00:00Z"})
    assert r.status_code == 200, r.text
    then = r.json()
    assert then == live, (then, live)
    r = w.c("op").get("/v1/affiliate/orders/o1", params={"at": "2026-02-19T00:00:00Z"})
    assert r.status_code == 200 and r.json()["status"] == "receipt_confirmed", r.text
    assert r.json()["version"] == live["version"] - 1
