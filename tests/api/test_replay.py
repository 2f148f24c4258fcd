"""What-if replay and the determinism check (issue 17, docs/replay.md), black-box: the server
builds a log through the HTTP API, `shopwarden replay` reads it while the server keeps running.

Written from the issue: replay without a draft reproduces every event; a draft that lowers the
diversion deduction shows exactly the fen difference per affected violation; a draft that drops
a category from quick promotion's admission shows which orders would have failed review; an SLA
change moves overdue appeals."""
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time

import pytest

from conftest import BIN, COMPLETE, Server, default_policy, on_sale, run_cli
from test_promotion import World, t

WECHAT = "加微信 abc12345 了解更多"
HERE = os.path.dirname(os.path.abspath(__file__))

# A scenario of every module, each replayed by the `server` fixture's teardown when
# SW_REPLAY_CHECK is set (conftest.check_replay).
EVERY_MODULE = [
    "test_catalog.py::test_product_lifecycle",
    "test_catalog.py::test_edit_reports_key_fields",
    "test_penalty.py::test_upheld_appeal_restores_everything_to_the_fen",
    "test_penalty.py::test_appeal_sla_flags_overdue_appeals",
    "test_penalty.py::test_rectification_report_is_submitted_reviewed_and_lifts_the_hold",
    "test_penalty_audit.py::test_a_rescan_brings_a_stricter_policy_to_what_is_on_sale",
    "test_promotion.py::test_delist_makes_the_order_abnormal_and_relist_resumes_it",
    "test_promotion.py::test_a_clock_jump_past_the_end_completes_at_the_end_and_finalizes",
    "test_promotion.py::"
    "test_a_policy_that_drops_the_category_makes_orders_abnormal_and_readmission_resumes",
    "test_filing.py::test_a_main_image_edit_resets_an_approved_record_and_a_price_edit_does_not",
    "test_filing.py::test_a_lottery_approval_holds_for_its_session_only",
    "test_filing.py::test_a_designated_sessions_streamer_checks_every_product",
    "test_badge.py::test_activation_tags_every_product_that_covers_its_category",
    "test_badge.py::test_a_dismissed_reminder_activates_the_badge_24_hours_later",
    "test_affiliate.py::test_lifecycle_case",
    "test_affiliate.py::test_every_reason_and_status_has_a_case",
    "test_affiliate_statements.py::test_statements_are_issued_at_midnight_shanghai_on_the_20th",
    "test_qualification.py::test_store_and_operator_submit_a_record_in_review",
    "test_access.py::test_feed_is_idempotent_by_event_id_and_orders_out_of_order_events",
    "test_access.py::test_apps_read_orders_only_while_granted",
    "test_policy_runtime.py::test_activation_puts_the_new_version_in_force",
    "test_rule_quality.py::test_each_rule_counts_how_its_violations_ended",
    "test_clock.py::test_manual_clock_moves_forward_only",
    # Approvals undo a decision inside its command (a savepoint): once, an undone id-map write
    # hid the same key's earlier write in the batch, and the replay, which batches more than
    # the live server, refused what had been applied (tests/unit/engine/test_staging.c).
    "test_queue.py::test_a_deduction_above_the_threshold_waits_for_a_second_operator",
    "test_queue.py::test_a_refund_above_the_threshold_waits_for_approval",
    "test_queue.py::test_an_operators_violation_above_the_threshold_waits_and_metrics_count_it",
    "test_queue.py::test_an_approval_applies_only_the_amount_approved_to_the_fen",
    "test_queue.py::test_every_queue_decision_is_held_by_a_claim_and_every_queue_list_shows_it",
]


def test_replay_without_a_draft_reproduces_the_log_of_every_module():
    env = dict(os.environ, SW_REPLAY_CHECK="1", SW_BIN=BIN)
    p = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
                        *[os.path.join(HERE, t) for t in EVERY_MODULE]],
                       cwd=HERE, env=env, capture_output=True, text=True, timeout=1500)
    assert p.returncode == 0, p.stdout[-6000:] + p.stderr[-2000:]


def replay(server, *args, draft=None, check=True):
    """`shopwarden replay` on the server's database (it keeps running); with a draft (a policy
    dict), the report and the --out lines."""
    if draft is None:
        return run_cli("replay", "--db", server.db, *args, check=check)
    path, out = os.path.join(server.dir, "draft.json"), os.path.join(server.dir, "out.ndjson")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(draft, f, ensure_ascii=False)
    p = run_cli("replay", "--db", server.db, "--policy", path, "--out", out, *args, check=check)
    with open(out, encoding="utf-8") as f:
        return p, [json.loads(line) for line in f]


def draft(version, change):
    d = default_policy()
    d["version"] = version
    change(d)
    return d


def total(report, words):
    """The count on the report's line that starts with `words`."""
    for line in report.splitlines():
        if line.strip().startswith(words):
            return int(line.split()[-1])
    raise AssertionError(f"no '{words}' line in:\n{report}")


def test_the_determinism_check_passes_beside_the_running_server(server, shop):
    m1 = shop["m1"]
    on_sale(m1, {"id": "w1", "title": "面霜", "category": "beauty.skincare", "price": "89.00",
                 "detail": WECHAT, **COMPLETE})
    p = replay(server)
    assert "determinism: OK" in p.stdout, p.stdout
    # the server still answers, and the log was not touched
    assert m1.get("/v1/products/w1").json()["status"] == "banned"


def test_a_lower_diversion_deduction_shows_the_fen_difference_per_violation(server, shop):
    m1, op = shop["m1"], shop["operator"]
    for pid in ("w1", "w2"):
        r = on_sale(m1, {"id": pid, "title": "面霜", "category": "beauty.skincare",
                         "price": "89.00", "detail": WECHAT, **COMPLETE})
        assert r.json()["result"]["status"] == "banned", r.text
        op.post("/v1/merchants/m1/deposit/top-ups", {"amount": "2000.00", "ref": f"back-{pid}"})
    # a three-no violation the draft does not touch
    op.post("/v1/merchants/m1/deposit/top-ups", {"amount": "5000.00", "ref": "more"})
    on_sale(m1, {"id": "t1", "title": "面膜", "category": "beauty.skincare", "price": "19.90",
                 **{k: v for k, v in COMPLETE.items() if k != "manufacturer"}})
    types = draft("lower-diversion", lambda d: d["penalties"]["types"]["external_diversion"]
                  ["deduct_fen"].update(severe=50000))
    p, lines = replay(server, draft=types)
    assert sorted(x["subject"] for x in lines) == [
        "violation w1 external_diversion #1", "violation w2 external_diversion #1"]
    for x in lines:
        assert x["kind"] == "violation" and x["change"] == "changed"
        assert x["recorded"]["deduct_fen"] == 200000 and x["would_be"]["deduct_fen"] == 50000
        assert x["fen_delta"] == -150000
        assert x["rule"] == {"recorded": "diversion.wechat", "would_be": "diversion.wechat"}
        assert x["policy_version"]["would_be"] == "lower-diversion"
        assert x["policy_version"]["recorded"] != "lower-diversion"
    assert total(p.stdout, "fen deducted less") == 300000
    assert total(p.stdout, "fen deducted more") == 0
    assert total(p.stdout, "violations with another penalty") == 2
    assert total(p.stdout, "violations added") == total(p.stdout, "violations removed") == 0
    assert "-150000 fen" in p.stdout and "diversion.wechat" in p.stdout


def test_dropping_a_category_from_quick_promotion_shows_the_orders_that_would_fail(server,
                                                                                   operator):
    w = World(server, operator)
    fruit = w.bought("m2", "p2")
    skincare = w.bought("m1", "p1")
    assert fruit["status"] == skincare["status"] == "running"
    drop = draft("no-fresh", lambda d: d["promotion"].update(
        admitted_categories=[c for c in d["promotion"]["admitted_categories"]
                             if c != "fresh.*"]))
    p, lines = replay(server, draft=drop)
    assert len(lines) == 1, lines
    [x] = lines
    assert (x["subject"], x["kind"], x["summary"]) == (f"promotion {fruit['id']}", "promotion",
                                                      "would fail review")
    assert x["recorded"]["review"] == "passed" and x["would_be"]["review"] == "failed"
    assert [r["code"] for r in x["would_be"]["reasons"]] == ["category_not_admitted"]
    # the rule that decides it on each side (none decided the review that passed)
    assert x["rule"] == {"recorded": None, "would_be": "promotion.admitted_categories"}
    assert total(p.stdout, "promotions that would fail review") == 1
    assert "promotion.admitted_categories" in p.stdout


def no_fresh(version):
    return draft(version, lambda d: d["promotion"].update(
        admitted_categories=[c for c in d["promotion"]["admitted_categories"]
                             if c != "fresh.*"]))


def test_a_draft_from_an_instant_rechecks_running_promotions_as_promoting_it_would(server,
                                                                                   operator):
    """A draft in force from `from` on is what promoting it then would have done: promoting a
    policy that no longer admits a category makes that category's running orders abnormal at
    once (RULES: a running order becomes abnormal when its category loses admission), so the
    report must show them, though no order is bought after `from`."""
    w = World(server, operator)
    fruit = w.bought("m2", "p2")
    skincare = w.bought("m1", "p1")
    assert fruit["status"] == skincare["status"] == "running"
    w.clock(t(hours=1))
    w.c("op").post("/v1/merchants/m1/deposit/top-ups", {"amount": "10.00", "ref": "after-from"})
    p, lines = replay(server, "--from", t(minutes=30), draft=no_fresh("no-fresh-later"))
    assert len(lines) == 1, p.stdout
    [x] = lines
    assert (x["subject"], x["change"], x["summary"]) == (f"promotion {fruit['id']}", "changed",
                                                        "would become abnormal"), x
    assert x["recorded"]["abnormal"] is False and x["would_be"]["abnormal"] is True
    assert x["would_be"]["status"] == "abnormal"
    # the draft's check decided it: its rule and the draft's version on the would-be side
    assert x["rule"]["would_be"] == "promotion.admitted_categories", x
    assert x["policy_version"]["would_be"] == "no-fresh-later", x
    assert x["rule"]["recorded"] is None
    assert total(p.stdout, "promotions that would be abnormal") == 1
    # the live order runs on
    assert w.get(fruit["id"])["status"] == "running"


def test_an_order_made_before_from_is_compared_with_its_state_then_not_called_uncreated(
        server, operator):
    """A recorded activation after `from` is the draft's to replace: what it did to orders made
    before `from` (abnormal) is compared with those orders as they stood, not reported as
    orders the draft would not create."""
    w = World(server, operator)
    fruit = w.bought("m2", "p2")
    w.clock(t(hours=1))
    r = server.admin().post("/v1/admin/policy", no_fresh("promo-no-fresh"))
    assert r.status_code == 200, r.text
    assert w.get(fruit["id"])["status"] == "abnormal"
    lower = draft("lower-after", lambda d: d["penalties"]["types"]["external_diversion"]
                  ["deduct_fen"].update(severe=50000))
    p, lines = replay(server, "--from", t(minutes=30), draft=lower)
    assert "1 recorded policy activation" in p.stdout, p.stdout
    assert [(x["subject"], x["change"], x["summary"]) for x in lines] == [
        (f"promotion {fruit['id']}", "changed", "would not become abnormal")], lines
    assert lines[0]["would_be"]["review"] == "passed"


def test_a_draft_that_flags_more_affiliate_orders_shows_them(server):
    """Issue 17 (totals per kind of decision: commissions) with RULES §2's repeat_buyer: three
    paid orders of one buyer on one promoter's links within 24 h flag nothing under the default
    (more than 3), and the 2nd and 3rd under a draft allowing 1. An open flag changes no status;
    the report still names those orders (an independent tester saw every total 0)."""
    ingest = server.client("ingest")
    events = []
    for i in range(3):
        o = f"ao{i}"
        events.append({"event_id": f"{o}-paid", "type": "paid", "order": o, "promoter": "pm1",
                       "merchant": "m1", "item": "it1", "at": f"2026-01-05T0{1 + i}:00:00Z",
                       "amount_fen": 10000, "rate_bp": 500,
                       "buyer": {"id": "buyer-x", "device": "dev-x", "address_hash": "addr-x"}})
    r = ingest.post("/v1/affiliate/events", {"events": events})
    assert r.status_code == 200 and r.json()["applied"] == 3, r.text
    op = server.client("operator")
    assert all(op.get(f"/v1/affiliate/orders/ao{i}").json()["flags"] == [] for i in range(3))
    strict = draft("strict-repeat", lambda d: d["affiliate"]["repeat_buyer"].update(max_orders=1))
    p, lines = replay(server, draft=strict)
    flagged = sorted(x["subject"] for x in lines if x["kind"] == "commission")
    assert flagged == ["commission ao1", "commission ao2"], lines
    for x in lines:
        if x["kind"] == "commission":
            assert x["summary"] == "would be flagged (repeat_buyer)", x
            assert x["recorded"]["state"]["status"] == x["would_be"]["state"]["status"] == "paid"
            # the rule that decided it on each side, and its evidence (issue 17)
            assert x["rule"] == {"recorded": None, "would_be": "repeat_buyer"}, x
            assert x["would_be"]["evidence"] == "flags: repeat_buyer", x
    assert "rule repeat_buyer (flags: repeat_buyer)" in p.stdout, p.stdout
    # the rule table counts a flag as a hit of its rule
    rules = [ln.split() for ln in p.stdout.splitlines() if ln.strip().startswith("repeat_buyer")]
    assert rules and rules[0][1:4] == ["0", "->", "2"], p.stdout
    assert total(p.stdout, "affiliate orders that would be flagged") == 2
    assert total(p.stdout, "commissions changed") == 2


def test_an_sla_change_moves_overdue_appeals(server, shop):
    m1, op = shop["m1"], shop["operator"]
    on_sale(m1, {"id": "w4", "title": "面霜", "category": "beauty.skincare", "price": "89.00",
                 "detail": WECHAT, **COMPLETE})
    [v] = m1.get("/v1/violations", params={"merchant": "m1"}).json()["violations"]
    a = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "误判"}).json()["result"]
    # 30 hours later: inside the 48-hour SLA, not overdue
    assert op.post("/v1/admin/clock", {"now": "2026-01-06T07:00:00Z"}).status_code == 200
    assert m1.get(f"/v1/appeals/{a['id']}").json()["overdue"] is False
    tighter = draft("sla-24", lambda d: d["penalties"]["appeals"].update(sla_hours=24))
    p, lines = replay(server, draft=tighter)
    [x] = lines
    assert x["kind"] == "appeal" and x["summary"] == "would be overdue"
    assert x["recorded"]["overdue"] is False and x["would_be"]["overdue"] is True
    assert x["rule"]["would_be"] == "penalties.appeals.sla_hours", x
    assert x["would_be"]["evidence"].endswith(", overdue"), x
    assert total(p.stdout, "appeals that would be overdue") == 1
    # and the other way: past the SLA, a looser one would not have flagged it
    assert op.post("/v1/admin/clock", {"now": "2026-01-07T02:00:00Z"}).status_code == 200
    assert m1.get(f"/v1/appeals/{a['id']}").json()["overdue"] is True
    looser = draft("sla-96", lambda d: d["penalties"]["appeals"].update(sla_hours=96))
    p, lines = replay(server, draft=looser)
    [x] = lines
    assert x["summary"] == "would not be overdue"
    assert total(p.stdout, "appeals that would not be overdue") == 1


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def stamp(when):
    return when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def appeal_answered_at_a_30_hour_deadline(m1, op, pid):
    """A violation of pid, its appeal, the clock moved to 30 hours after the filing (inside
    the live 48-hour SLA) and the appeal rejected at that very instant; the appeal as it ends."""
    on_sale(m1, {"id": pid, "title": "面霜", "category": "beauty.skincare", "price": "89.00",
                 "detail": WECHAT, **COMPLETE})
    [v] = [x for x in m1.get("/v1/violations", params={"merchant": "m1"}).json()["violations"]
           if x["product"] == pid]
    a = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "误判"}).json()["result"]
    deadline = instant(a["due_at"]) - datetime.timedelta(hours=18)
    assert op.post("/v1/admin/clock", {"now": stamp(deadline)}).status_code == 200
    r = op.post(f"/v1/appeals/{a['id']}/decision", {"decision": "reject", "note": "维持"})
    assert r.status_code == 200, r.text
    got = m1.get(f"/v1/appeals/{a['id']}").json()
    assert got["overdue"] is False, got
    return got


def test_an_answer_at_a_drafts_moved_deadline_is_late(server, shop):
    """docs/penalty.md: an answer given at the due time itself is late. On the server, the
    clock's move to that instant fires the deadline before the answer comes; a replay follows
    every move of the clock in the log, so a draft whose deadline falls on the answer's very
    instant counts it late as well (it used to count it on time: only the timers the live
    policy fired were in the log, and a timer due at a command's instant fires after it)."""
    appeal_answered_at_a_30_hour_deadline(shop["m1"], shop["operator"], "w5")
    sla30 = draft("sla-30", lambda d: d["penalties"]["appeals"].update(sla_hours=30))
    p, lines = replay(server, draft=sla30)
    [x] = lines
    assert x["kind"] == "appeal" and x["summary"] == "would be overdue", x
    assert x["would_be"]["overdue"] is True and x["recorded"]["overdue"] is False, x
    assert total(p.stdout, "appeals that would be overdue") == 1
    # one hour more and the answer is on time under the draft: only the due time differs
    p, lines = replay(server, draft=draft(
        "sla-31", lambda d: d["penalties"]["appeals"].update(sla_hours=31)))
    [x] = lines
    assert x["summary"] == "would be due at another instant", x
    assert x["would_be"]["overdue"] is False, x
    # the same log under its own policy still reproduces every event, clock moves and all
    assert "determinism: OK" in replay(server).stdout


def test_a_shadows_moved_deadline_at_the_answers_instant_is_late(server, shop):
    analyst = server.client("analyst:ann")
    sla30 = draft("shadow-sla-30", lambda d: d["penalties"]["appeals"].update(sla_hours=30))
    assert analyst.post("/v1/admin/policy/shadow", {"policy": sla30}).status_code == 201
    appeal_answered_at_a_30_hour_deadline(shop["m1"], shop["operator"], "w6")
    got = shadow_until(analyst, lambda s: s.get("totals", {}).get("appeals_overdue_added"),
                       "the appeal answered at its deadline overdue")
    [d] = got["differences"]
    assert d["recorded"]["overdue"] is False and d["would_be"]["overdue"] is True, d
    assert analyst.raw("DELETE", "/v1/admin/policy/shadow").status_code == 200


def test_a_to_window_ends_before_the_first_command_stamped_after_it(server, shop):
    """A key made offline (`keys create` with the server stopped) is stamped by the wall clock,
    earlier than the manual clock that stood ahead of it: the log's instants go back there. A
    window with `to` is still a prefix of the log: it ends where time first passed `to`, and
    both sides are cut at the same command (the scratch side took every command stamped before
    `to`, the key's too, and the check failed)."""
    m1, op = shop["m1"], shop["operator"]
    on_sale(m1, {"id": "w8", "title": "面霜", "category": "beauty.skincare", "price": "89.00",
                 "detail": WECHAT, **COMPLETE})
    now = datetime.datetime.now(datetime.timezone.utc)
    # ahead of the wall clock, before the manual clock's limit (the end of 2027 with the 2026
    # calendar)
    ahead = min(now + datetime.timedelta(days=200), instant("2027-12-30T00:00:00Z"))
    if ahead < now + datetime.timedelta(days=1):
        pytest.skip("the wall clock is too close to the manual clock's limit")
    assert op.post("/v1/admin/clock", {"now": stamp(ahead)}).status_code == 200, "clock"
    op.post("/v1/merchants/m1/deposit/top-ups", {"amount": "2000.00", "ref": "back"})
    on_sale(m1, {"id": "w9", "title": "面霜", "category": "beauty.skincare", "price": "89.00",
                 "detail": WECHAT, **COMPLETE})
    server.stop()
    run_cli("keys", "create", "--role", "operator", "--db", server.db)
    server.start()
    to = stamp(instant("2026-02-01T00:00:00Z"))
    p = replay(server, "--to", to, check=False)
    assert p.returncode == 0 and "determinism: OK" in p.stdout, p.stdout + p.stderr
    p, lines = replay(server, "--to", to, draft=draft("same-to", lambda d: None))
    assert lines == [] and "0 subjects decided otherwise" in p.stdout, p.stdout
    # the whole log still reproduces, the key's command included
    assert "determinism: OK" in replay(server).stdout


def test_the_same_policy_as_a_draft_changes_nothing(server, shop):
    on_sale(shop["m1"], {"id": "w1", "title": "面霜", "category": "beauty.skincare",
                         "price": "89.00", "detail": WECHAT, **COMPLETE})
    p, lines = replay(server, draft=draft("same-rules", lambda d: None))
    assert lines == [] and "0 subjects decided otherwise" in p.stdout


def test_the_same_policy_with_bounds_past_the_log_changes_nothing(server, operator):
    """A window that ends (or starts) after the last command and after the live time compares
    nothing the live engine has not decided yet: the draft's side stops where the live time
    stands, so a running promotion due to end later ends on neither side."""
    w = World(server, operator)
    order = w.bought("m2", "p2")
    assert order["status"] == "running"
    w.clock(t(hours=1))
    same = draft("same-rules-bounds", lambda d: None)
    for bounds in (("--to", "2030-01-01T00:00:00Z"), ("--from", "2030-01-01T00:00:00Z")):
        p, lines = replay(server, *bounds, draft=same)
        assert lines == [] and "0 subjects decided otherwise" in p.stdout, (bounds, p.stdout)
    assert w.get(order["id"])["status"] == "running"


def test_progress_lines_count_what_is_applied(server, operator):
    """Issue 17: plain progress lines when not a TTY. The first says nothing is applied yet
    (no ETA to give), the last that every command is, and the counts never go back: a count
    of what was only queued reached the total at once and then stood still for the run."""
    World(server, operator).bought("m2", "p2")
    p = replay(server)
    lines = [ln for ln in p.stderr.splitlines() if ln.startswith("replay: ")]
    counts = [tuple(int(x) for x in ln.split()[1].split("/")) for ln in lines]
    assert len(counts) >= 2, p.stderr
    total_ = counts[0][1]
    assert counts[0][0] == 0 and "ETA -" in lines[0], lines
    assert counts[-1] == (total_, total_) and "(100.0%)" in lines[-1], lines
    assert all(a[0] <= b[0] for a, b in zip(counts, counts[1:])), lines


def test_bad_replay_usage_is_refused(server):
    assert replay(server, "--to", "yesterday", check=False).returncode == 2
    p = run_cli("replay", check=False)
    assert p.returncode == 2 and "--db" in p.stderr
    p = run_cli("replay", "--db", server.db, "--out", "x.ndjson", check=False)
    assert p.returncode == 2
    p = run_cli("replay", "--db", os.path.join(server.dir, "none.db"), check=False)
    assert p.returncode == 2  # trouble, as diff's: 1 says only that the log replays otherwise
    bad = os.path.join(server.dir, "bad-draft.json")
    with open(bad, "w") as f:
        f.write('{"version": "x"}')
    p = run_cli("replay", "--db", server.db, "--policy", bad, check=False)
    assert p.returncode == 2 and "policy" in p.stderr
    with open(bad, "w") as f:  # not JSON: the problem is named, not an empty message
        f.write("{not json")
    p = run_cli("replay", "--db", server.db, "--policy", bad, check=False)
    assert p.returncode == 2 and "invalid json at line 1" in p.stderr, p.stderr
    p = run_cli("replay", "--db", server.db, "--policy", bad, "--from", "2026-12-06T00:00:00Z",
                "--to", "2026-12-05T00:00:00Z", check=False)
    assert p.returncode == 2 and "--to" in p.stderr


# --- over HTTP (POST /v1/admin/replays, GET /v1/admin/replays/{id}) --------------------------

def wait_done(api, job_id):
    deadline = time.time() + 120
    while time.time() < deadline:
        r = api.get(f"/v1/admin/replays/{job_id}")
        assert r.status_code == 200, r.text
        if r.json()["status"] != "running":
            return r.json()
        time.sleep(0.05)
    raise AssertionError("the replay did not finish")


def test_a_replay_job_reports_like_the_cli_and_pages_its_differences(server, shop):
    m1, op = shop["m1"], shop["operator"]
    for pid in ("w1", "w2", "w3"):
        on_sale(m1, {"id": pid, "title": "面霜", "category": "beauty.skincare", "price": "89.00",
                     "detail": WECHAT, **COMPLETE})
        op.post("/v1/merchants/m1/deposit/top-ups", {"amount": "2000.00", "ref": f"back-{pid}"})
    analyst = server.client("analyst:ann")
    lower = draft("lower-diversion", lambda d: d["penalties"]["types"]["external_diversion"]
                  ["deduct_fen"].update(severe=50000))
    r = analyst.post("/v1/admin/replays", {"policy": lower}, idem="try-1")
    assert r.status_code == 201, r.text
    job = r.json()
    assert r.headers["Location"] == f"/v1/admin/replays/{job['id']}"
    assert job["policy_version"] == "lower-diversion"
    assert job["requested_by"]["role"] == "analyst:ann"
    done = wait_done(analyst, job["id"])
    assert done["status"] == "done" and done["error"] is None, done
    assert done["totals"]["fen_deducted_less"] == 3 * 150000
    assert done["totals"]["violations_other_penalty"] == 3
    assert done["progress"]["commands_done"] == done["progress"]["commands_total"] > 0
    # the same key answers the same job; with another draft it is a conflict, and no job
    again = analyst.post("/v1/admin/replays", {"policy": lower}, idem="try-1")
    assert again.status_code == 201 and again.json()["id"] == job["id"]
    other = draft("other-draft", lambda d: None)
    r = analyst.post("/v1/admin/replays", {"policy": other}, idem="try-1")
    assert r.status_code == 409 and r.json()["error"]["code"] == "idempotency_conflict", r.text
    assert r.json()["error"]["details"]["field"] == "Idempotency-Key"
    # differences page one at a time, each once
    seen, after = [], None
    while True:
        params = {"limit": 1, **({"after": after} if after else {})}
        page = analyst.get(f"/v1/admin/replays/{job['id']}", params=params).json()
        seen += [d["subject"] for d in page["differences"]]
        if not page["has_more"]:
            assert page["next_after"] is None
            break
        after = page["next_after"]
    assert sorted(seen) == [f"violation w{i} external_diversion #1" for i in (1, 2, 3)]
    # the live log did not change: no violation was lowered
    vs = m1.get("/v1/violations", params={"merchant": "m1"}).json()["violations"]
    assert {v["penalty"]["deduct_fen"] for v in vs} == {200000}


def test_a_bad_replay_request_is_refused(server):
    admin = server.admin()
    r = admin.post("/v1/admin/replays", {})
    assert r.status_code == 400 and r.json()["error"]["code"] == "missing_field"
    bad = default_policy()
    bad["penalties"]["appeals"]["sla_hours"] = -1
    r = admin.post("/v1/admin/replays", {"policy": bad})
    assert r.status_code == 422 and r.json()["error"]["code"] == "policy_invalid", r.text
    assert r.json()["error"]["details"]["problems"]
    r = admin.post("/v1/admin/replays", {"policy": default_policy(), "extra": 1})
    assert r.status_code == 400
    # a bad instant names its field; a range that ends before it starts is refused
    for body, field in (({"from": "yesterday"}, "from"), ({"to": "2026-13-01T00:00:00Z"}, "to"),
                        ({"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "to"),
                        ({"from": "2026-02-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}, "to")):
        r = admin.post("/v1/admin/replays", {"policy": default_policy(), **body})
        assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_value", r.text
        assert r.json()["error"]["details"]["field"] == field, r.text
    assert admin.get("/v1/admin/replays/rp999").status_code == 404
    # an operator acts on queues; it does not run replays
    assert server.client("operator").post("/v1/admin/replays",
                                          {"policy": default_policy()}).status_code == 403


# --- shadow mode (POST/GET/DELETE /v1/admin/policy/shadow) -----------------------------------

def shadow_until(api, pred, what):
    deadline = time.time() + 60
    while time.time() < deadline:
        r = api.get("/v1/admin/policy/shadow")
        assert r.status_code == 200, r.text
        if pred(r.json()):
            return r.json()
        time.sleep(0.05)
    raise AssertionError(f"the shadow never showed {what}: {r.text}")


def test_a_shadow_decides_beside_the_live_policy_and_applies_nothing(server, shop):
    m1, op = shop["m1"], shop["operator"]
    # before the shadow: a violation both policies made the same way, not compared
    on_sale(m1, {"id": "w0", "title": "面霜", "category": "beauty.skincare", "price": "89.00",
                 "detail": WECHAT, **COMPLETE})
    op.post("/v1/merchants/m1/deposit/top-ups", {"amount": "2000.00", "ref": "back-w0"})
    analyst = server.client("analyst:ann")
    lower = draft("shadow-lower", lambda d: d["penalties"]["types"]["external_diversion"]
                  ["deduct_fen"].update(severe=50000))
    r = analyst.post("/v1/admin/policy/shadow", {"policy": lower})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "running" and r.json()["policy_version"] == "shadow-lower"
    assert r.headers["Location"] == "/v1/admin/policy/shadow"
    # one at a time
    again = server.admin().post("/v1/admin/policy/shadow", {"policy": lower})
    assert again.status_code == 409, again.text
    # a new command: the live policy decides; the shadow decides apart
    on_sale(m1, {"id": "w1", "title": "面霜", "category": "beauty.skincare", "price": "89.00",
                 "detail": WECHAT, **COMPLETE})
    got = shadow_until(analyst, lambda s: s["differences"], "a difference")
    assert len(got["differences"]) == 1, got["differences"]
    [d] = got["differences"]
    assert d["subject"] == "violation w1 external_diversion #1"
    assert (d["recorded"]["deduct_fen"], d["would_be"]["deduct_fen"]) == (200000, 50000)
    assert d["policy_version"]["would_be"] == "shadow-lower"
    assert got["totals"]["fen_deducted_less"] == 150000
    # never applied, never shown to the store
    vs = m1.get("/v1/violations", params={"merchant": "m1"}).json()["violations"]
    assert {v["penalty"]["deduct_fen"] for v in vs} == {200000}
    feed = m1.get("/v1/events", params={"limit": 1000}).json()["events"]
    assert all(e["policy_version"] != "shadow-lower" for e in feed)
    assert "shadow-lower" not in server.api().get("/metrics").text
    # promoting it is an admin's separate step
    assert analyst.post("/v1/admin/policy", lower).status_code == 403
    # stopped: the report stays
    r = analyst.raw("DELETE", "/v1/admin/policy/shadow")
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["stop_reason"]) == ("stopped", "stopped")
    got = analyst.get("/v1/admin/policy/shadow").json()
    assert got["status"] == "stopped" and len(got["differences"]) == 1


def test_a_shadow_reports_the_live_commands_its_candidate_refuses(server, shop):
    """As the replay report does: an edit the live policy takes and the candidate refuses is
    counted in totals.refused_commands and listed in `refused`, and the report has its counts."""
    m1 = shop["m1"]
    on_sale(m1, {"id": "t1", "title": "短标题", "category": "beauty.skincare", "price": "89.00",
                 **COMPLETE})
    analyst = server.client("analyst:ann")
    short = draft("shadow-short-titles", lambda d: d["catalog"].update(max_title_bytes=12))
    assert analyst.post("/v1/admin/policy/shadow", {"policy": short}).status_code == 201
    long_title = "一个很长很长很长的标题"  # 33 bytes: the live policy takes it
    assert m1.patch("/v1/products/t1", {"title": long_title}).status_code == 200
    got = shadow_until(analyst, lambda s: s.get("totals", {}).get("refused_commands"),
                       "the refusal")
    assert got["totals"]["refused_commands"] == 1, got["totals"]
    [x] = got["refused"]
    assert (x["type"], x["merchant"], x["code"]) == ("product.update", "m1", "invalid_value"), x
    assert got["counts"]["refused"] == 1 and got["counts"]["applied"] >= 1, got["counts"]
    assert analyst.raw("DELETE", "/v1/admin/policy/shadow").status_code == 200
    # stopped: the refusal is still reported
    assert analyst.get("/v1/admin/policy/shadow").json()["totals"]["refused_commands"] == 1


def test_a_shadow_read_while_live_writes_come_compares_both_sides_at_one_command(server, shop):
    """The shadow's scratch writer may be applying the next chunk while a report is read: both
    sides are cut at the same command, so a violation the live policy made too is never shown
    as one the candidate adds (a lower deduction changes each by -150000 fen, nothing more)."""
    import threading
    m1, op = shop["m1"], shop["operator"]
    op.post("/v1/merchants/m1/deposit/top-ups", {"amount": "90000.00", "ref": "for-the-batch"})
    analyst = server.client("analyst:ann")
    lower = draft("shadow-cut", lambda d: d["penalties"]["types"]["external_diversion"]
                  ["deduct_fen"].update(severe=50000))
    assert analyst.post("/v1/admin/policy/shadow", {"policy": lower}).status_code == 201
    n = 30

    def write():
        for i in range(n):
            on_sale(m1, {"id": f"cut{i}", "title": "面霜", "category": "beauty.skincare",
                         "price": "89.00", "detail": WECHAT, **COMPLETE})

    w = threading.Thread(target=write)
    w.start()
    seen = 0
    while w.is_alive() or seen < n:
        got = analyst.get("/v1/admin/policy/shadow").json()
        totals = got.get("totals") or {}
        assert totals.get("violations_added", 0) == 0, totals
        assert totals.get("fen_deducted_more", 0) == 0, totals
        for d in got["differences"]:
            assert d["change"] == "changed" and d["fen_delta"] == -150000, d
        seen = totals.get("violations_other_penalty", 0)
        if not w.is_alive() and seen < n:
            time.sleep(0.05)
    w.join()
    assert seen == n


def test_a_shadow_shows_at_once_what_promoting_it_would_do_to_running_orders(server,
                                                                             operator):
    w = World(server, operator)
    fruit = w.bought("m2", "p2")
    analyst = server.client("analyst:ann")
    r = analyst.post("/v1/admin/policy/shadow", {"policy": no_fresh("shadow-no-fresh")})
    assert r.status_code == 201, r.text
    got = shadow_until(analyst, lambda s: s["differences"], "the running order's difference")
    assert [(d["subject"], d["summary"]) for d in got["differences"]] == [
        (f"promotion {fruit['id']}", "would become abnormal")]
    assert w.get(fruit["id"])["status"] == "running"
    assert analyst.raw("DELETE", "/v1/admin/policy/shadow").status_code == 200


def test_a_shadow_fires_a_moved_deadline_when_the_clock_passes_it(server, shop):
    """A candidate with a shorter appeal SLA: the appeal is overdue under it as soon as the live
    clock passes the candidate's deadline, without waiting for another command; the appeal of
    a violation made before the shadow started is named by the violation's key, as a replay
    names it, not by its id."""
    m1, op = shop["m1"], shop["operator"]
    on_sale(m1, {"id": "w7", "title": "面霜", "category": "beauty.skincare", "price": "89.00",
                 "detail": WECHAT, **COMPLETE})
    [v] = m1.get("/v1/violations", params={"merchant": "m1"}).json()["violations"]
    analyst = server.client("analyst:ann")
    tighter = draft("shadow-sla-24", lambda d: d["penalties"]["appeals"].update(sla_hours=24))
    assert analyst.post("/v1/admin/policy/shadow", {"policy": tighter}).status_code == 201
    a = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "误判"}).json()["result"]
    # 25 hours on: past the candidate's 24-hour SLA, inside the live 48 hours
    assert op.post("/v1/admin/clock", {"now": "2026-01-06T02:00:00Z"}).status_code == 200
    assert m1.get(f"/v1/appeals/{a['id']}").json()["overdue"] is False
    got = shadow_until(analyst, lambda s: s.get("totals", {}).get("appeals_overdue_added"),
                       "the appeal overdue")
    [d] = got["differences"]
    assert d["subject"] == "appeal #1 of violation w7 external_diversion #1", d
    assert d["recorded"]["overdue"] is False and d["would_be"]["overdue"] is True
    assert analyst.raw("DELETE", "/v1/admin/policy/shadow").status_code == 200


def test_a_shadow_stops_when_its_end_passes(server, operator):
    admin = server.admin()
    assert admin.get("/v1/admin/policy/shadow").status_code == 404
    assert admin.raw("DELETE", "/v1/admin/policy/shadow").status_code == 404
    r = admin.post("/v1/admin/policy/shadow",
                   {"policy": draft("short", lambda d: None), "until": "2026-01-05T02:00:00Z"})
    assert r.status_code == 201, r.text
    assert r.json()["until"] == "2026-01-05T02:00:00Z"
    assert operator.post("/v1/admin/clock", {"now": "2026-01-05T02:00:01Z"}).status_code == 200
    got = shadow_until(admin, lambda s: s["status"] == "stopped", "its end")
    assert got["stop_reason"] == "until"
    # bad starts change nothing
    assert admin.post("/v1/admin/policy/shadow", {}).status_code == 400
    r = admin.post("/v1/admin/policy/shadow", {"policy": default_policy(),
                                                 "until": "2026-01-01T00:00:00Z"})
    assert r.status_code == 400
    r = admin.post("/v1/admin/policy/shadow", {"policy": default_policy(), "until": "soon"})
    assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "until", r.text
    assert operator.post("/v1/admin/policy/shadow",
                         {"policy": default_policy()}).status_code == 403


def test_one_replay_job_at_a_time():
    # a log long enough that the first job still runs when the second is asked for
    with tempfile.TemporaryDirectory(prefix="sw-api-") as tmp:
        server = Server(tmp)
        log = os.path.join(tmp, "log.ndjson")
        with open(log, "w", encoding="utf-8") as f:
            subprocess.run([sys.executable, os.path.join(HERE, "..", "..", "bench", "replay",
                                                         "gen.py"), "20000"],
                           stdout=f, check=True)
        run_cli("apply", "--db", server.db, log)
        server.start()
        try:
            admin = server.admin()
            first = admin.post("/v1/admin/replays", {"policy": draft("a", lambda d: None)})
            assert first.status_code == 201, first.text
            second = admin.post("/v1/admin/replays", {"policy": draft("b", lambda d: None)})
            assert second.status_code == 409, second.text
            assert second.json()["error"]["code"] == "state_conflict"
            assert first.json()["id"] in second.json()["error"]["message"]
            done = wait_done(admin, first.json()["id"])
            assert done["status"] == "done" and done["counts"]["commands"] > 20000
            # once it is done, the next one starts
            third = admin.post("/v1/admin/replays", {"policy": draft("c", lambda d: None)})
            assert third.status_code == 201, third.text
            wait_done(admin, third.json()["id"])
        finally:
            server.stop()


def test_a_scratch_path_that_exists_is_refused_and_left_alone(server, tmp_path):
    """--scratch is written and removed by the replay: naming an existing file (the live
    database itself, say) is a usage error that touches nothing."""
    admin = server.admin()
    assert admin.post("/v1/merchants", {"id": "m1", "name": "m1",
                                        "categories": ["food.snacks"]}).status_code == 201
    other = tmp_path / "keep.db"
    other.write_bytes(b"not yours")
    for path in (server.db, str(other)):
        before = os.path.getsize(path)
        p = run_cli("replay", "--db", server.db, "--scratch", path, check=False)
        assert p.returncode == 2, p.stderr
        assert "exists" in p.stderr
        assert os.path.exists(path) and os.path.getsize(path) == before
    assert other.read_bytes() == b"not yours"
    assert admin.get("/v1/merchants/m1").status_code == 200


def test_a_shadow_start_is_retry_safe_by_its_idempotency_key(server):
    """POST /v1/admin/policy/shadow with an Idempotency-Key: a retry (same key, same body)
    answers the shadow it started, running or stopped; the same key with another candidate is
    409 idempotency_conflict and starts nothing."""
    admin = server.admin()
    first = draft("cand-1", lambda d: None)
    r = admin.post("/v1/admin/policy/shadow", {"policy": first}, idem="sh-1")
    assert r.status_code == 201, r.text
    again = admin.post("/v1/admin/policy/shadow", {"policy": first}, idem="sh-1")
    assert again.status_code == 201, again.text
    assert again.json()["policy_version"] == r.json()["policy_version"] == "cand-1"
    # without the key, a second start while it runs is refused
    assert admin.post("/v1/admin/policy/shadow", {"policy": first}).status_code == 409
    assert admin.raw("DELETE", "/v1/admin/policy/shadow").status_code == 200
    r = admin.post("/v1/admin/policy/shadow", {"policy": draft("cand-2", lambda d: None)},
                   idem="sh-1")
    assert r.status_code == 409 and r.json()["error"]["code"] == "idempotency_conflict", r.text
    got = admin.get("/v1/admin/policy/shadow").json()
    assert got["policy_version"] == "cand-1" and got["status"] == "stopped"


def test_a_bad_idempotency_key_is_refused_on_replay_and_shadow_starts(server):
    """docs/api.md: an Idempotency-Key is 1-128 printable ASCII characters, on every write; a
    replay job or a shadow started with another is 400 invalid_value and starts nothing."""
    admin = server.admin()
    body = {"policy": draft("cand-bad-key", lambda d: None)}
    for path in ("/v1/admin/replays", "/v1/admin/policy/shadow"):
        for key in ("k" * 129, "a\tb"):
            r = admin.post(path, body, idem=key)
            assert r.status_code == 400, (path, r.text)
            assert r.json()["error"]["code"] == "invalid_value", r.text
            assert r.json()["error"]["details"]["field"] == "Idempotency-Key", r.text
    assert admin.get("/v1/admin/policy/shadow").status_code == 404
    # no job was started: one at a time, so a first start now is accepted
    assert admin.post("/v1/admin/replays", body).status_code == 201


def test_a_log_run_under_a_policy_never_activated_replays_after_the_default_changes(tmp_path):
    """The determinism check replays each command under the policy version it ran with. A log
    made under a policy file (or a release's built-in default) that no one ever activated must
    replay too, also once the binary's default is another version (an upgrade): the engine
    keeps the document of the version it runs under in the database."""
    doc = default_policy()
    doc["version"] = "an-older-release-1"
    policy = tmp_path / "older.json"
    policy.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    log = tmp_path / "log.ndjson"
    with open(log, "w", encoding="utf-8") as f:
        subprocess.run([sys.executable, os.path.join(HERE, "..", "..", "bench", "replay",
                                                     "gen.py"), "200"], stdout=f, check=True)
    db = str(tmp_path / "sw.db")
    run_cli("apply", "--db", db, "--policy", str(policy), str(log))
    p = run_cli("replay", "--db", db, check=False)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "determinism: OK" in p.stdout, p.stdout
