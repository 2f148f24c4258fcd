"""Violations, the deposit ledger and appeals over HTTP (RULES.md §3), with the manual clock.
After every scenario the ledger invariant is checked from the database file: each store's
balance is the sum of its entries and never negative, and GET .../deposit says the same."""
import pytest

from conftest import COMPLETE, check_ledger, error_code, on_sale, open_store

WECHAT = "加微信 abc12345 了解更多"
NO_MAKER = {k: v for k, v in COMPLETE.items() if k != "manufacturer"}


@pytest.fixture(autouse=True)
def ledger_invariant(server):
    yield
    if server.proc is not None:
        check_ledger(server)


def deposit(api, mid):
    return api.get(f"/v1/merchants/{mid}/deposit").json()


def violations_of(api, mid, **params):
    return api.get("/v1/violations", params={"merchant": mid, **params}).json()["violations"]


def test_wechat_id_is_banned_and_deducted(server, shop):
    m1, op = shop["m1"], shop["operator"]
    r = on_sale(m1, {"id": "w1", "title": "补水面膜", "category": "beauty.skincare",
                     "price": "59.00", "detail": WECHAT, **COMPLETE})
    assert r.status_code == 201, r.text
    assert r.json()["result"]["status"] == "banned"
    [v] = violations_of(m1, "m1")
    assert (v["type"], v["status"], v["source"], v["product"]) == (
        "external_diversion", "in_force", "scanner", "w1")
    assert v["penalty"]["deduct_fen"] == v["penalty"]["deducted_fen"] == 200000
    assert v["penalty"]["ban"] == "permanent" and v["penalty"]["ban_active"]
    d = deposit(m1, "m1")
    assert d["balance_fen"] == 2000000 - 200000 and d["shortfall_fen"] == 200000
    assert [e["kind"] for e in d["entries"]] == ["top_up", "deduction"]
    assert d["entries"][1]["violation"] == v["id"] and d["entries"][1]["amount_fen"] == -200000
    # below the requirement: restricted, cannot list, until it tops up
    assert d["store_status"] == "restricted" and d["holds"] == ["deposit"]
    assert m1.post("/v1/products/p1/delist").status_code == 200
    r = m1.post("/v1/products/p1/list")
    assert r.status_code == 422 and error_code(r) == "merchant_restricted"
    r = op.post("/v1/merchants/m1/deposit/top-ups", {"amount": "2000.00", "ref": "pay-77"})
    assert r.status_code == 201 and r.json()["result"]["store_status"] == "active"
    assert m1.post("/v1/products/p1/list").status_code == 200
    # the banned product cannot go back on the shelf
    r = m1.post("/v1/products/w1/list")
    assert r.status_code == 422 and error_code(r) == "product_banned"
    # a merchant cannot credit itself
    r = m1.post("/v1/merchants/m1/deposit/top-ups", {"amount_fen": 1, "ref": "x"})
    assert r.status_code == 403


def test_fourth_three_no_violation_clears_the_store_and_empties_the_deposit(server, operator):
    open_store(operator, "m3", "food.snacks")
    ingest = server.client("ingest")
    assert ingest.post("/v1/merchants/m3/deposit/top-ups",
                       {"amount_fen": 3000000, "ref": "big-1"}).status_code == 201
    m3 = server.client("merchant:m3")
    assert m3.post("/v1/products", {"id": "ok1", "title": "坚果礼盒", "category": "food.snacks",
                                    "price": "99.00", **COMPLETE}).status_code == 201
    assert m3.post("/v1/products/ok1/list").status_code == 200
    # on sale first: a finding an edit of a listed product introduces is a violation (the
    # rectification holds that follow would keep a later listing off the shelf)
    for n in range(1, 5):
        assert m3.post("/v1/products", {"id": f"t{n}", "title": "散装饼干", "category": "food.snacks",
                                        "price": "9.90", **COMPLETE}).status_code == 201
        assert m3.post(f"/v1/products/t{n}/list").status_code == 200
    for n in range(1, 4):
        r = m3.patch(f"/v1/products/t{n}", {"manufacturer": None})
        assert r.status_code == 200 and r.json()["result"]["status"] == "banned"
        [v] = [x for x in violations_of(operator, "m3") if x["product"] == f"t{n}"]
        assert v["nth"] == n and v["penalty"]["deduct_fen"] == 500000
        assert v["penalty"]["rectification"] == "required" and not v["penalty"]["clears_store"]
    d = deposit(operator, "m3")
    assert d["balance_fen"] == 4000000 - 3 * 500000
    # the rectification reports are owed: restricted
    assert "rectification" in d["holds"] and d["store_status"] == "restricted"
    r = m3.patch("/v1/products/t4", {"manufacturer": None})
    assert r.status_code == 200
    [v4] = [x for x in violations_of(operator, "m3") if x["product"] == "t4"]
    assert v4["nth"] == 4 and v4["penalty"]["clears_store"]
    assert v4["penalty"]["deducted_fen"] == 2500000 and v4["deduct_all"] is True
    d = deposit(operator, "m3")
    assert d["balance_fen"] == 0 and d["owed_fen"] == 0 and d["store_status"] == "cleared"
    assert "violation_clearance" in d["holds"]
    # clearing took the listed product off the shelf; nothing goes up again
    assert m3.get("/v1/products/ok1").json()["status"] == "delisted"
    r = m3.post("/v1/products/ok1/list")
    assert r.status_code == 422 and error_code(r) == "merchant_cleared"


def test_two_failed_appeals_make_it_final(server, shop):
    m1, op = shop["m1"], shop["operator"]
    assert on_sale(m1, {"id": "w2", "title": "面霜", "category": "beauty.skincare",
                        "price": "89.00", "detail": WECHAT, **COMPLETE}).status_code == 201
    [v] = violations_of(m1, "m1")
    for blank in ("", "   ", "\u3000\n"):  # a reason or a note of spaces says nothing
        r = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": blank})
        assert r.status_code == 400 and error_code(r) == "invalid_value", (blank, r.text)
    r = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "那是品牌名", "evidence": ["f/1.png"]})
    assert r.status_code == 201, r.text
    a1 = r.json()["result"]
    for blank in ("", " \t", "\u3000"):
        r = op.post(f"/v1/appeals/{a1['id']}/decision", {"decision": "reject", "note": blank})
        assert r.status_code == 400 and error_code(r) == "invalid_value", (blank, r.text)
    assert m1.get(f"/v1/appeals/{a1['id']}").json()["status"] == "open"
    assert (a1["nth"], a1["status"]) == (1, "open")
    r = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "again"})
    assert r.status_code == 409 and error_code(r) == "appeal_open"
    r = m1.post(f"/v1/appeals/{a1['id']}/decision", {"decision": "reject", "note": "x"})
    assert r.status_code == 403
    r = op.post(f"/v1/appeals/{a1['id']}/decision", {"decision": "reject", "note": "证据不足"})
    assert r.status_code == 200 and r.json()["result"]["violation"]["appeals"]["left"] == 1
    a2 = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "补充证据"}).json()["result"]
    assert a2["nth"] == 2
    r = op.post(f"/v1/appeals/{a2['id']}/decision", {"decision": "reject", "note": "维持"})
    assert r.status_code == 200
    assert "violation.final" in [e["type"] for e in r.json()["events"]]
    got = m1.get(f"/v1/violations/{v['id']}").json()
    assert got["appeals"]["final"] and got["appeals"]["left"] == 0
    assert [a["status"] for a in got["appeals"]["list"]] == ["rejected", "rejected"]
    r = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "third"})
    assert r.status_code == 422 and error_code(r) == "appeal_limit_reached"
    r = op.post(f"/v1/appeals/{a2['id']}/decision", {"decision": "uphold", "note": "late"})
    assert r.status_code == 409 and error_code(r) == "state_conflict"
    assert deposit(m1, "m1")["balance_fen"] == 2000000 - 200000


def test_upheld_appeal_restores_everything_to_the_fen(server, shop):
    m1, op = shop["m1"], shop["operator"]
    # a little more than the requirement, so that the fen-exact restore is visible
    assert op.post("/v1/merchants/m1/deposit/top-ups",
                   {"amount": "123.45", "ref": "odd-1"}).status_code == 201
    before = deposit(m1, "m1")
    assert on_sale(m1, {"id": "t1", "title": "面膜", "category": "beauty.skincare",
                        "price": "19.90", **NO_MAKER}).status_code == 201
    [v] = violations_of(m1, "m1")
    assert v["type"] == "three_no_product" and v["nth"] == 1
    mid = deposit(m1, "m1")
    assert mid["balance_fen"] == before["balance_fen"] - 500000
    assert sorted(mid["holds"]) == ["deposit", "rectification"]
    a = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "厂家信息在包装图上"}).json()["result"]
    r = op.post(f"/v1/appeals/{a['id']}/decision", {"decision": "uphold", "note": "核实无误"})
    assert r.status_code == 200, r.text
    types = [e["type"] for e in r.json()["events"]]
    assert types.index("deposit.refunded") < types.index("appeal.upheld")
    assert "product.unbanned" in types
    after = deposit(m1, "m1")
    assert after["balance_fen"] == before["balance_fen"]
    assert after["store_status"] == "active" and after["holds"] == []
    assert after["entries"][-1]["kind"] == "refund" and after["entries"][-1]["amount_fen"] == 500000
    got = m1.get(f"/v1/violations/{v['id']}").json()
    assert got["status"] == "overturned" and got["penalty"]["rectification"] == "cancelled"
    assert got["refunded_fen"] == 500000
    assert got["reason"] == "appeal upheld"  # why, as the violation.overturned event says
    [ev] = server.admin().get("/v1/events", params={"type": "violation.overturned",
                                                    "subject": v["id"]}).json()["events"]
    assert ev["payload"]["reason"] == got["reason"]
    # unbanned but not relisted by itself
    assert m1.get("/v1/products/t1").json()["status"] == "delisted"
    # the count is restored: the next three-no violation is the first again
    assert on_sale(m1, {"id": "t2", "title": "面膜", "category": "beauty.skincare",
                        "price": "19.90", **NO_MAKER}).status_code == 201
    [v2] = [x for x in violations_of(m1, "m1") if x["product"] == "t2"]
    assert v2["nth"] == 1


def test_an_operators_own_ban_outlasts_an_upheld_appeal(server, shop):
    # RULES: an upheld appeal reverses what the violation did; an operator's own ban is not
    # the violation's doing, and stays until an operator lifts it
    m1, op = shop["m1"], shop["operator"]
    assert on_sale(m1, {"id": "ob1", "title": "面霜", "category": "beauty.skincare",
                        "price": "89.00", "detail": WECHAT, **COMPLETE}).status_code == 201
    [v] = violations_of(m1, "m1")
    assert m1.get("/v1/products/ob1").json()["status"] == "banned"
    assert op.post("/v1/products/ob1/unban", {"reason": "复核"}).status_code == 200
    r = op.post("/v1/products/ob1/ban", {"reason": "假货投诉，待查"})
    assert r.status_code == 200 and r.json()["result"]["status"] == "banned", r.text
    a = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "微信号是旧图残留"}).json()["result"]
    r = op.post(f"/v1/appeals/{a['id']}/decision", {"decision": "uphold", "note": "核实无误"})
    assert r.status_code == 200, r.text
    types = [e["type"] for e in r.json()["events"]]
    assert "deposit.refunded" in types and "product.unbanned" not in types, types
    assert m1.get("/v1/products/ob1").json()["status"] == "banned"
    assert m1.get(f"/v1/violations/{v['id']}").json()["status"] == "overturned"
    r = op.post("/v1/products/ob1/unban", {"reason": "投诉不成立"})
    assert r.status_code == 200 and r.json()["result"]["status"] == "delisted", r.text


def test_an_operators_unban_ends_its_own_ban(server, shop):
    m1, op = shop["m1"], shop["operator"]
    assert on_sale(m1, {"id": "ob2", "title": "面霜", "category": "beauty.skincare",
                        "price": "89.00", **COMPLETE}).status_code == 201
    assert op.post("/v1/products/ob2/ban", {"reason": "待查"}).status_code == 200
    assert op.post("/v1/products/ob2/unban", {"reason": "查清"}).status_code == 200
    assert m1.post("/v1/products/ob2/list").status_code == 200
    assert m1.patch("/v1/products/ob2", {"detail": WECHAT}).status_code == 200
    [v] = violations_of(m1, "m1")
    assert m1.get("/v1/products/ob2").json()["status"] == "banned"
    a = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "误判"}).json()["result"]
    r = op.post(f"/v1/appeals/{a['id']}/decision", {"decision": "uphold", "note": "误判"})
    assert r.status_code == 200, r.text
    assert "product.unbanned" in [e["type"] for e in r.json()["events"]]
    assert m1.get("/v1/products/ob2").json()["status"] == "delisted"


def test_retrying_a_write_with_the_same_key_deducts_once(server, shop):
    m1, op = shop["m1"], shop["operator"]
    body = {"product": "p1", "type": "external_diversion", "severity": "minor",
            "evidence": ["screenshots/p1-qr.png"], "note": "QR code in the 3rd image"}
    first = op.post("/v1/violations", body, idem="op-v-1")
    assert first.status_code == 201, first.text
    again = op.post("/v1/violations", body, idem="op-v-1")
    assert again.status_code == 201 and again.json()["replayed"] is True
    assert again.json()["result"]["id"] == first.json()["result"]["id"]
    assert len(violations_of(op, "m1")) == 1
    assert deposit(op, "m1")["balance_fen"] == 2000000 - 50000
    # the same payment delivered twice (no header: the ref is the key)
    ingest = server.client("ingest")
    for _ in range(2):
        r = ingest.post("/v1/merchants/m1/deposit/top-ups", {"amount_fen": 50000, "ref": "pay-9"})
        assert r.status_code == 201
    assert r.json()["replayed"] is True
    d = deposit(op, "m1")
    assert d["balance_fen"] == 2000000 and [e["ref"] for e in d["entries"] if "ref" in e] == [
        "open-m1", "pay-9"]
    # the same ref with another amount is refused, not credited
    r = ingest.post("/v1/merchants/m1/deposit/top-ups", {"amount_fen": 1, "ref": "pay-9"})
    assert r.status_code == 409
    r = op.post("/v1/merchants/m1/deposit/top-ups", {"amount_fen": 1, "ref": "pay-9"},
                idem="other-key")
    assert r.status_code == 409 and error_code(r) == "already_exists"
    # an edit of a listed product retried: one scan, one violation
    assert m1.post("/v1/products", {"id": "w3", "title": "精华", "category": "beauty.skincare",
                                    "price": "99.00", **COMPLETE}).status_code == 201
    assert m1.post("/v1/products/w3/list").status_code == 200
    first = m1.patch("/v1/products/w3", {"detail": WECHAT}, idem="edit-w3")
    assert first.status_code == 200
    again = m1.patch("/v1/products/w3", {"detail": WECHAT}, idem="edit-w3")
    assert again.json()["replayed"] is True
    assert again.json()["violations"] == first.json()["violations"]
    assert len([v for v in violations_of(op, "m1") if v["product"] == "w3"]) == 1


def test_deduction_beyond_the_balance_is_owed_and_paid_by_the_next_top_up(server, operator):
    open_store(operator, "m4", "home.kitchen")  # 5,000 yuan, so that k1 can go on sale
    ingest = server.client("ingest")
    m4 = server.client("merchant:m4")
    assert m4.post("/v1/products", {"id": "k1", "title": "锅", "category": "home.kitchen",
                                    "price": "50.00", **COMPLETE}).status_code == 201
    assert m4.post("/v1/products/k1/list").status_code == 200
    # 1,000 yuan left when the violation comes
    assert operator.post("/v1/merchants/m4/deposit/releases",
                         {"amount_fen": 400000, "ref": "r-0"}).status_code == 201
    assert m4.patch("/v1/products/k1", {"manufacturer": None}).status_code == 200
    d = deposit(m4, "m4")
    assert d["balance_fen"] == 0 and d["owed_fen"] == 400000
    [v] = violations_of(m4, "m4")
    assert (v["penalty"]["deducted_fen"], v["penalty"]["owed_fen"]) == (100000, 400000)
    r = ingest.post("/v1/merchants/m4/deposit/top-ups", {"amount_fen": 1000000, "ref": "p-2"})
    assert r.status_code == 201
    d = deposit(m4, "m4")
    assert d["owed_fen"] == 0 and d["balance_fen"] == 1000000 - 400000
    assert [e["kind"] for e in d["entries"]] == ["top_up", "release", "deduction", "top_up",
                                                 "deduction"]
    got = m4.get(f"/v1/violations/{v['id']}").json()
    assert (got["penalty"]["deducted_fen"], got["penalty"]["owed_fen"]) == (500000, 0)
    # nothing can be released beyond the balance
    r = operator.post("/v1/merchants/m4/deposit/releases", {"amount_fen": 700000, "ref": "r-1"})
    assert r.status_code == 422 and error_code(r) == "deposit_insufficient"
    r = operator.post("/v1/merchants/m4/deposit/releases", {"amount_fen": 600000, "ref": "r-1"})
    assert r.status_code == 201 and r.json()["result"]["balance_fen"] == 0


def test_one_credit_settles_every_owing_violation_oldest_first(server, operator):
    """More owing violations than one settling pass used to take (64): a single top-up pays them
    all, oldest first, and only the rest stays on the balance."""
    open_store(operator, "m6", "home.kitchen", deposit=False)
    m6 = server.client("merchant:m6")
    assert m6.post("/v1/products", {"id": "k6", "title": "锅", "category": "home.kitchen",
                                    "price": "50.00", **COMPLETE}).status_code == 201
    n = 100
    for _ in range(n):
        r = operator.post("/v1/violations", {"product": "k6", "type": "external_diversion",
                                             "severity": "minor", "evidence": ["x"]})
        assert r.status_code == 201, r.text
    each = r.json()["result"]["penalty"]["owed_fen"]
    assert each > 0
    d = deposit(operator, "m6")
    assert (d["balance_fen"], d["owed_fen"]) == (0, n * each)
    ingest = server.client("ingest")
    r = ingest.post("/v1/merchants/m6/deposit/top-ups", {"amount": "100000.00", "ref": "big-1"})
    assert r.status_code == 201, r.text
    assert r.json()["result"]["owed_fen"] == 0
    d = deposit(operator, "m6")
    assert (d["balance_fen"], d["owed_fen"]) == (10000000 - n * each, 0)
    vs = violations_of(operator, "m6", limit=200)
    assert len(vs) == n
    assert all((v["penalty"]["owed_fen"], v["penalty"]["deducted_fen"]) == (0, each) for v in vs)
    # paid oldest first: the settling deductions name the violations in order
    entries = operator.get("/v1/merchants/m6/deposit", params={"limit": 200}).json()["entries"]
    paid = [e["violation"] for e in entries if e["kind"] == "deduction" and e["amount_fen"]]
    assert paid == [v["id"] for v in vs]


def test_queued_findings_wait_for_an_operator_and_dismissal_leaves_no_record(server, shop):
    m1, op = shop["m1"], shop["operator"]
    r = on_sale(m1, {"id": "e1", "title": "美白祛斑精华", "category": "beauty.skincare",
                     "price": "199.00", **COMPLETE})
    assert r.status_code == 201 and r.json()["result"]["status"] == "listed"
    queue = op.get("/v1/queue").json()
    [pending] = queue["pending_violations"]
    assert pending["type"] == "exaggerated_efficacy" and pending["occurrences"] == 2
    # not on the store's record while pending
    assert violations_of(m1, "m1") == []
    assert m1.get(f"/v1/violations/{pending['id']}").status_code == 404
    r = op.post(f"/v1/violations/{pending['id']}/dismiss", {"note": "美白 is licensed"})
    assert r.status_code == 200
    assert violations_of(m1, "m1") == [] and op.get("/v1/queue").json()["pending_violations"] == []
    evs = op.get("/v1/events", params={"limit": 1000}).json()["events"]
    assert "violation.dismissed" in [e["type"] for e in evs]
    r = op.post(f"/v1/violations/{pending['id']}/confirm")
    assert r.status_code == 409
    # a second product with the same claims: confirmed, per occurrence (2 x 100 yuan)
    on_sale(m1, {"id": "e2", "title": "美白祛斑精华", "category": "beauty.skincare",
                             "price": "199.00", **COMPLETE})
    [p2] = op.get("/v1/queue").json()["pending_violations"]
    r = op.post(f"/v1/violations/{p2['id']}/confirm", {"note": "确认"})
    assert r.status_code == 200, r.text
    v = r.json()["result"]
    assert v["status"] == "in_force" and v["penalty"]["deduct_fen"] == 2 * 10000
    assert m1.get("/v1/products/e2").json()["status"] == "banned"
    assert [x["id"] for x in violations_of(m1, "m1")] == [p2["id"]]


def test_two_claims_a_space_apart_are_two_occurrences(server, shop):
    """RULES.md §3: "deduct 2,000 yuan per occurrence" and each distinct finding counts: two
    claims a space apart are two, though a disease-then-end phrase (糖尿病…预防) spans both."""
    m1, op = shop["m1"], shop["operator"]
    on_sale(m1, {"id": "e3", "title": "草本修护霜", "category": "beauty.skincare",
                 "price": "99.00", "detail": "治疗湿疹 预防皮炎", **COMPLETE})
    [p] = op.get("/v1/queue").json()["pending_violations"]
    assert p["occurrences"] == 2
    r = op.post(f"/v1/violations/{p['id']}/confirm", {"note": "确认"})
    assert r.status_code == 200, r.text
    assert r.json()["result"]["penalty"]["deduct_fen"] == 2 * 200000


def test_appeal_sla_flags_overdue_appeals(server, shop):
    m1, op = shop["m1"], shop["operator"]
    on_sale(m1, {"id": "w4", "title": "面霜", "category": "beauty.skincare",
                 "price": "89.00", "detail": WECHAT, **COMPLETE})
    [v] = violations_of(m1, "m1")
    a = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "误判"}).json()["result"]
    assert a["due_at"] == "2026-01-07T01:00:00Z"  # 2 days after 2026-01-05T09:00+08:00
    assert op.post("/v1/admin/clock", {"now": "2026-01-07T00:59:59Z"}).json()["timers_fired"] == 0
    assert op.get("/v1/queue").json()["overdue_appeals"] == 0
    assert op.post("/v1/admin/clock", {"now": "2026-01-07T01:00:00Z"}).json()["timers_fired"] == 1
    q = op.get("/v1/queue").json()
    assert q["overdue_appeals"] == 1 and q["open_appeals"][0]["id"] == a["id"]
    metrics = op.get("/metrics").text
    assert "sw_appeals_open 1\n" in metrics and "sw_appeals_overdue 1\n" in metrics
    assert m1.get(f"/v1/appeals/{a['id']}").json()["overdue"] is True
    # answering it late still works and the timer is gone
    assert op.post(f"/v1/appeals/{a['id']}/decision",
                   {"decision": "reject", "note": "late"}).status_code == 200
    assert op.get("/v1/queue").json()["open_appeals"] == []


def test_implicated_products_are_banned_without_deduction_or_count(server, shop):
    m1, m2, op = shop["m1"], shop["m2"], shop["operator"]
    for api, pid, cat in ((m1, "s1", "beauty.skincare"), (m2, "s2", "fresh.fruit")):
        r = api.post("/v1/products", {"id": pid, "title": "同款商品", "category": cat,
                                      "price": "10.00", "spu_id": "spu-9", **COMPLETE})
        assert r.status_code == 201
    ingest = server.client("ingest")
    ok = ingest.post("/v1/spus/spu-9/review-stats", {"good_reviews": 90, "reviews": 100,
                                                      "event_id": "rs-1"})
    assert ok.status_code == 200 and ok.json()["result"]["products_implicated"] == 0
    r = ingest.post("/v1/spus/spu-9/review-stats", {"good_reviews": 40, "reviews": 100,
                                                     "event_id": "rs-2"})
    assert r.status_code == 200 and r.json()["result"]["products_implicated"] == 2
    again = ingest.post("/v1/spus/spu-9/review-stats", {"good_reviews": 40, "reviews": 100,
                                                         "event_id": "rs-2"})
    assert again.json()["replayed"] is True
    for api, mid, pid in ((m1, "m1", "s1"), (m2, "m2", "s2")):
        assert api.get(f"/v1/products/{pid}").json()["status"] == "banned"
        [v] = violations_of(api, mid)
        assert v["type"] == "implicated" and not v["counted"] and v["nth"] == 0
        assert v["penalty"]["deduct_fen"] == 0
        d = deposit(api, mid)
        assert d["store_status"] == "active" and len(d["entries"]) == 1
    # the merchant may upload it again
    assert m1.post("/v1/products", {"id": "s1b", "title": "同款商品", "category": "beauty.skincare",
                                    "price": "10.00", "spu_id": "spu-9", **COMPLETE}).status_code == 201
    assert m1.post("/v1/products/s1b/list").status_code == 200


def test_key_info_ban_lasts_until_the_listing_is_fixed(server, shop):
    m1, op = shop["m1"], shop["operator"]
    r = on_sale(m1, {"id": "f1", "title": "洗面奶 包邮", "category": "beauty.skincare",
                     "price": "39.00", "freight": "8.00", **COMPLETE})
    assert r.status_code == 201
    [pending] = op.get("/v1/queue").json()["pending_violations"]
    assert pending["type"] == "key_info_inconsistent"
    v = op.post(f"/v1/violations/{pending['id']}/confirm").json()["result"]
    assert v["penalty"]["ban"] == "until_fixed" and v["penalty"]["deduct_fen"] == 10000
    assert m1.get("/v1/products/f1").json()["status"] == "banned"
    # an edit that still contradicts itself changes nothing
    m1.patch("/v1/products/f1", {"stock": 5})
    assert m1.get("/v1/products/f1").json()["status"] == "banned"
    r = m1.patch("/v1/products/f1", {"freight": "0.00"})
    assert r.status_code == 200
    assert "violation.ban_lifted" in [e["type"] for e in r.json()["events"]]
    assert r.json()["result"]["status"] == "delisted"
    got = m1.get(f"/v1/violations/{v['id']}").json()
    assert got["status"] == "in_force" and not got["penalty"]["ban_active"]
    assert got["penalty"]["deducted_fen"] == 10000  # the deduction stays
    assert got["reason"] == "fixed"


def test_repeats_are_counted_in_a_365_day_window(server, operator):
    open_store(operator, "m5", "apparel.women")
    ingest = server.client("ingest")
    ingest.post("/v1/merchants/m5/deposit/top-ups", {"amount_fen": 5000000, "ref": "w-1"})
    m5 = server.client("merchant:m5")
    for n in (1, 2, 3):  # on sale first (the rectification holds keep later listings off)
        m5.post("/v1/products", {"id": f"a{n}", "title": "连衣裙", "category": "apparel.women",
                                 "price": "99.00", **COMPLETE})
        assert m5.post(f"/v1/products/a{n}/list").status_code == 200
    for n in (1, 2):
        m5.patch(f"/v1/products/a{n}", {"manufacturer": None})
    assert [v["nth"] for v in violations_of(operator, "m5")] == [1, 2]
    # 365 days later the first two have left the window
    assert operator.post("/v1/admin/clock", {"now": "2027-01-05T01:00:01Z"}).status_code == 200
    m5.patch("/v1/products/a3", {"manufacturer": None})
    assert [v["nth"] for v in violations_of(operator, "m5")] == [1, 2, 1]


def test_bad_penalty_input_is_refused_and_changes_nothing(server, shop):
    m1, op = shop["m1"], shop["operator"]
    before = server.db_counts()
    cases = [
        (op, "/v1/violations", {"product": "p1", "type": "no_such_type", "evidence": ["x"]},
         "invalid_value"),
        (op, "/v1/violations", {"product": "p1", "type": "external_diversion", "evidence": []},
         "invalid_value"),
        (op, "/v1/violations", {"product": "nope", "type": "external_diversion",
                                "evidence": ["x"]}, "not_found"),
        (op, "/v1/violations", {"product": "p1", "type": "external_diversion", "evidence": ["x"],
                                "severity": "huge"}, "invalid_value"),
        (m1, "/v1/violations", {"product": "p1", "type": "external_diversion", "evidence": ["x"]},
         "forbidden"),
        (op, "/v1/merchants/m1/deposit/top-ups", {"amount_fen": 0, "ref": "z"}, "invalid_value"),
        (op, "/v1/merchants/m1/deposit/top-ups", {"amount_fen": 5, "amount": "1.00", "ref": "z"},
         "invalid_value"),
        (op, "/v1/merchants/m1/deposit/top-ups", {"amount": "1.001", "ref": "z"}, "invalid_value"),
        (op, "/v1/merchants/nope/deposit/top-ups", {"amount_fen": 5, "ref": "z"}, "not_found"),
        (op, "/v1/violations/v999/appeals", {"reason": "x"}, "not_found"),
        (op, "/v1/appeals/zz/decision", {"decision": "uphold", "note": "x"}, "not_found"),
        (op, "/v1/spus/s/review-stats", {"good_reviews": 5, "reviews": 4}, "invalid_value"),
    ]
    for api, path, body, code in cases:
        r = api.post(path, body)
        assert r.status_code in (400, 403, 404, 422) and error_code(r) == code, (path, body, r.text)
    assert server.db_counts() == before
    r = m1.get("/v1/merchants/m2/deposit")
    assert r.status_code == 404


def test_a_bad_value_is_reported_before_a_later_missing_field(server, shop):
    """docs/api.md, error order: the fields in their documented order, so a value that is wrong
    comes before a field after it that is missing."""
    m1, op = shop["m1"], shop["operator"]
    before = server.db_counts()
    r = op.post("/v1/violations", {"product": "p1", "type": "bogus"})
    assert (r.status_code, error_code(r), r.json()["error"]["details"].get("field")) == \
        (400, "invalid_value", "type"), r.text
    r = op.post("/v1/violations", {"product": "p1", "type": "external_diversion",
                                   "severity": "huge"})
    assert (error_code(r), r.json()["error"]["details"].get("field")) == \
        ("invalid_value", "severity"), r.text
    assert on_sale(m1, {"id": "w9", "title": "面霜", "category": "beauty.skincare",
                        "price": "89.00", "detail": WECHAT, **COMPLETE}).status_code == 201
    [v] = violations_of(m1, "m1")
    a = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "x"}).json()["result"]
    before = server.db_counts()
    r = op.post(f"/v1/appeals/{a['id']}/decision", {"decision": "maybe"})
    assert (r.status_code, error_code(r), r.json()["error"]["details"].get("field")) == \
        (400, "invalid_value", "decision"), r.text
    assert server.db_counts() == before


def test_rectification_report_is_submitted_reviewed_and_lifts_the_hold(server, shop):
    m1, op = shop["m1"], shop["operator"]
    assert op.post("/v1/merchants/m1/deposit/top-ups",
                   {"amount_fen": 500000, "ref": "cover-1"}).status_code == 201
    on_sale(m1, {"id": "r1", "title": "面膜", "category": "beauty.skincare",
                 "price": "19.90", **NO_MAKER})
    [v] = violations_of(m1, "m1")
    assert v["penalty"]["rectification"] == "required"
    assert deposit(m1, "m1")["holds"] == ["rectification"]
    r = op.post(f"/v1/violations/{v['id']}/rectification/decision", {"decision": "accept"})
    assert r.status_code == 409  # nothing submitted yet
    r = m1.post(f"/v1/violations/{v['id']}/rectification",
                {"report": "已补充生产厂家信息并下架同批次", "evidence": ["files/maker.pdf"]})
    assert r.status_code == 200 and r.json()["result"]["penalty"]["rectification"] == "submitted"
    assert [x["id"] for x in op.get("/v1/queue").json()["rectification_reports"]] == [v["id"]]
    r = op.post(f"/v1/violations/{v['id']}/rectification/decision",
                {"decision": "reject", "note": "缺少厂家资质"})
    assert r.json()["result"]["penalty"]["rectification"] == "required"
    assert op.get("/v1/queue").json()["rectification_reports"] == []
    m1.post(f"/v1/violations/{v['id']}/rectification", {"report": "补充厂家资质"})
    r = op.post(f"/v1/violations/{v['id']}/rectification/decision", {"decision": "accept"})
    assert r.status_code == 200 and r.json()["result"]["penalty"]["rectification"] == "accepted"
    d = deposit(m1, "m1")
    assert d["holds"] == [] and d["store_status"] == "active"
    assert op.get("/v1/queue").json()["rectification_reports"] == []


def test_a_release_is_paid_out_once_whatever_keys_its_retries_carry(server, shop):
    """docs/penalty.md: a ref names one entry of a store's ledger, a top-up or a release; a ref
    already in the ledger is 409 already_exists under any other key, so a retry without the
    header that was first sent moves no money."""
    op = shop["operator"]
    assert op.post("/v1/merchants/m1/deposit/top-ups",
                   {"amount": "30000.00", "ref": "big-rel"}).status_code == 201
    before = op.get("/v1/merchants/m1/deposit").json()["balance_fen"]
    r = op.post("/v1/merchants/m1/deposit/releases", {"amount": "100.00", "ref": "rel-1"},
                idem="rk1")
    assert r.status_code == 201, r.text
    again = op.post("/v1/merchants/m1/deposit/releases", {"amount": "100.00", "ref": "rel-1"})
    assert again.status_code == 409 and error_code(again) == "already_exists", again.text
    assert again.json()["error"]["details"]["field"] == "ref"
    assert op.get("/v1/merchants/m1/deposit").json()["balance_fen"] == before - 10000
    # one ref, one entry: a top-up cannot reuse a release's ref either
    r = op.post("/v1/merchants/m1/deposit/top-ups", {"amount": "1.00", "ref": "rel-1"})
    assert r.status_code == 409 and "release" in r.json()["error"]["message"], r.text
