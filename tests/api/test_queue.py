"""Issue 18, the API the console needs: who a key is (GET /v1/me), claims on queue items,
internal notes stores never see, and four-eyes approval of large decisions (docs/queue.md).
Written from the issue: two operators never work the same item; a claim lapses by the engine
clock; notes are staff-only everywhere; a deduction or refund above the policy's threshold, or
a store clearance, waits for a second operator, and the key that asked cannot approve it."""
import pytest

from conftest import COMPLETE, check_ledger, default_policy, error_code, on_sale, open_store


@pytest.fixture
def ops(server):
    """Two operators (op1, op2) and an admin, each with its own key id."""
    out = {}
    for kid, role in (("op1", "operator"), ("op2", "operator"), ("adm2", "admin")):
        r = server.admin().post("/v1/admin/keys", {"id": kid, "role": role})
        assert r.status_code == 201, r.text
        out[kid] = server.api(r.json()["result"]["key"])
    return out


@pytest.fixture
def queued(server, ops):
    """Store m1 (deposit 20,000 yuan) with one queued finding (2 x 100 yuan if confirmed)."""
    op = ops["op1"]
    open_store(op, "m1", "beauty.skincare")
    m1 = server.client("merchant:m1")
    r = on_sale(m1, {"id": "e1", "title": "美白祛斑精华", "category": "beauty.skincare",
                     "price": "199.00", **COMPLETE})
    assert r.status_code == 201, r.text
    [v] = op.get("/v1/queue").json()["pending_violations"]
    return {"m1": m1, "v": v["id"]}


def tick(server, to):
    r = server.admin().post("/v1/admin/clock", {"now": to})
    assert r.status_code == 200, r.text


def activate(server, approvals=None, queue=None, version="test-queue-1"):
    doc = default_policy()
    doc["version"] = version
    if approvals is not None:
        doc["approvals"] = approvals
    if queue is not None:
        doc["queue"] = queue
    r = server.admin().post("/v1/admin/policy", doc)
    assert r.status_code == 200, r.text


def deposit(api, mid):
    return api.get(f"/v1/merchants/{mid}/deposit").json()


# --- GET /v1/me ---

def test_me_names_the_role_the_subject_and_what_the_key_may_call(server, ops):
    me = ops["op1"].get("/v1/me")
    assert me.status_code == 200, me.text
    body = me.json()
    assert (body["role"], body["name"], body["merchant_id"]) == ("operator", "op1", None)
    assert "POST /v1/queue/claims" in body["permissions"]
    assert "POST /v1/merchants/{id}/badge/activate" not in body["permissions"]
    open_store(ops["op1"], "m9", "fresh.fruit")
    m = server.client("merchant:m9").get("/v1/me").json()
    assert (m["role"], m["name"], m["merchant_id"]) == ("merchant", "m9", "m9")
    assert "POST /v1/queue/claims" not in m["permissions"]
    assert "POST /v1/violations/{id}/appeals" in m["permissions"]
    a = server.admin().get("/v1/me").json()
    assert a["role"] == "admin" and a["name"] == "test-admin"
    assert server.api().get("/v1/me").status_code == 401


# --- claims ---

def test_two_operators_cannot_work_the_same_item(server, ops, queued):
    op1, op2, v = ops["op1"], ops["op2"], queued["v"]
    r = op1.post("/v1/queue/claims", {"item": v})
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == "/v1/queue/claims"  # every 201 carries one
    claim = r.json()["result"]
    assert claim["item"] == v and claim["holder"] == "op1"
    assert {k: r.json()[k] for k in ("item", "holder", "until")} == {
        k: claim[k] for k in ("item", "holder", "until")}
    assert claim["until"] == "2026-01-05T01:15:00Z"  # the policy's 15 minutes from 09:00+08
    # the other operator can neither claim nor decide it
    r = op2.post("/v1/queue/claims", {"item": v})
    assert r.status_code == 409 and error_code(r) == "claimed", r.text
    details = r.json()["error"]["details"]
    assert details["holder"] == "op1" and details["until"] == claim["until"]
    for action in ("confirm", "dismiss"):
        r = op2.post(f"/v1/violations/{v}/{action}", {"note": "mine"})
        assert r.status_code == 409 and error_code(r) == "claimed", r.text
        assert r.json()["error"]["details"]["holder"] == "op1"
    # everyone sees who holds it, in the queue and the claims list
    [item] = op2.get("/v1/queue").json()["pending_violations"]
    assert item["claimed_by"] == "op1" and item["claimed_until"] == claim["until"]
    claims = op2.get("/v1/queue/claims").json()
    assert [c["item"] for c in claims["claims"]] == [v] and claims["has_more"] is False
    # the holder decides it
    r = op1.post(f"/v1/violations/{v}/dismiss", {"note": "licensed claim"})
    assert r.status_code == 200, r.text


def test_the_holder_extends_and_a_claim_lapses_by_the_engine_clock(server, ops, queued):
    op1, op2, v = ops["op1"], ops["op2"], queued["v"]
    assert op1.post("/v1/queue/claims", {"item": v, "minutes": 5}).status_code == 201
    tick(server, "2026-01-05T09:04:00+08:00")
    r = op1.post("/v1/queue/claims", {"item": v, "minutes": 10})
    assert r.status_code == 201 and r.json()["result"]["until"] == "2026-01-05T01:14:00Z"
    tick(server, "2026-01-05T09:13:59+08:00")
    assert error_code(op2.post(f"/v1/violations/{v}/dismiss", {"note": "x"})) == "claimed"
    tick(server, "2026-01-05T09:14:00+08:00")
    assert op2.get("/v1/queue/claims").json()["claims"] == []
    [item] = op2.get("/v1/queue").json()["pending_violations"]
    assert item["claimed_by"] is None and item["claimed_until"] is None
    r = op2.post(f"/v1/violations/{v}/dismiss", {"note": "lapsed: mine now"})
    assert r.status_code == 200, r.text


def test_claim_minutes_are_bounded_by_policy(server, ops, queued):
    for bad in (0, 241, -1, "5"):
        r = ops["op1"].post("/v1/queue/claims", {"item": queued["v"], "minutes": bad})
        assert r.status_code == 400, r.text
    assert ops["op1"].post("/v1/queue/claims", {"item": queued["v"],
                                                "minutes": 240}).status_code == 201


def test_release_by_the_holder_or_an_admin_only(server, ops, queued):
    op1, op2, v = ops["op1"], ops["op2"], queued["v"]
    assert op1.post("/v1/queue/claims", {"item": v}).status_code == 201
    r = op2.s.delete(server.base + f"/v1/queue/claims/{v}", headers=op2.headers())
    assert r.status_code == 409 and error_code(r) == "claimed"
    r = op1.s.delete(server.base + f"/v1/queue/claims/{v}", headers=op1.headers())
    assert r.status_code == 200, r.text
    r = op1.s.delete(server.base + f"/v1/queue/claims/{v}", headers=op1.headers())
    assert r.status_code == 404
    assert op2.post("/v1/queue/claims", {"item": v}).status_code == 201
    adm = ops["adm2"]
    r = adm.s.delete(server.base + f"/v1/queue/claims/{v}", headers=adm.headers())
    assert r.status_code == 200, r.text
    assert op1.post(f"/v1/violations/{v}/dismiss", {"note": "free again"}).status_code == 200


def test_an_unclaimed_item_is_decided_as_before(server, ops, queued):
    r = ops["op2"].post(f"/v1/violations/{queued['v']}/confirm", {"note": "ok"})
    assert r.status_code == 200, r.text
    assert r.json()["result"]["status"] == "in_force"


def test_merchants_cannot_claim(server, ops, queued):
    assert queued["m1"].post("/v1/queue/claims", {"item": queued["v"]}).status_code == 403
    assert queued["m1"].get("/v1/queue/claims").status_code == 403


# --- notes ---

def test_notes_are_for_staff_and_stores_never_see_them(server, ops, queued):
    op1, m1, v = ops["op1"], queued["m1"], queued["v"]
    secret = "内部备注: 疑似刷单, 勿告知商家"
    for subject in ("m1", v):
        r = op1.post("/v1/notes", {"subject": subject, "text": secret})
        assert r.status_code == 201, r.text
        assert r.json()["result"]["by"]["key"] == "op1"
        # docs/api.md: every 201 carries Location; a note's is the notes on its subject
        assert r.headers["Location"] == f"/v1/notes?subject={subject}"
    notes = ops["op2"].get("/v1/notes", params={"subject": "m1"}).json()
    assert [n["text"] for n in notes["notes"]] == [secret] and notes["has_more"] is False
    # the store can neither write nor read them, and finds them nowhere it can read
    assert m1.post("/v1/notes", {"subject": "m1", "text": "hi"}).status_code == 403
    assert m1.get("/v1/notes", params={"subject": "m1"}).status_code == 403
    assert op1.post(f"/v1/violations/{v}/confirm", {"note": "ok"}).status_code == 200
    for path in ("/v1/events?limit=1000", "/v1/merchants/m1", f"/v1/violations/{v}",
                 "/v1/violations?merchant=m1", "/v1/merchants/m1/deposit",
                 "/v1/merchants/m1/notifications", "/v1/merchants/m1/products"):
        r = m1.get(path)
        assert r.status_code == 200, (path, r.text)
        assert "内部备注" not in r.text and "note.added" not in r.text, path
    # staff see the note events in the audit log
    evs = op1.get("/v1/events", params={"type": "note.added"}).json()["events"]
    assert len(evs) == 2 and evs[0]["merchant"] is None


def test_a_note_needs_a_subject_and_text(server, ops):
    for body in ({"text": "x"}, {"subject": "m1"}, {"subject": "m1", "text": "  "},
                 {"subject": "m1", "text": "x" * 4001}, {"subject": "m1", "text": "x", "z": 1}):
        assert ops["op1"].post("/v1/notes", body).status_code == 400, body
    assert ops["op1"].get("/v1/notes").status_code == 400


# --- four-eyes approval ---

def test_a_deduction_above_the_threshold_waits_for_a_second_operator(server, ops, queued):
    activate(server, approvals={"deduction_above_fen": 10000, "refund_above_fen": 10000})
    op1, op2, v = ops["op1"], ops["op2"], queued["v"]
    before = deposit(op1, "m1")["balance_fen"]
    r = op1.post(f"/v1/violations/{v}/confirm", {"note": "医疗用语"}, idem="c-1")
    assert r.status_code == 202, r.text
    ap = r.json()["result"]["approval"]
    assert r.json()["approval"] == ap
    assert ap["status"] == "pending" and ap["kind"] == "deduction"
    assert ap["amount_fen"] == 20000 and ap["subject"] == v and ap["merchant"] == "m1"
    # nothing applied yet
    assert deposit(op1, "m1")["balance_fen"] == before
    assert [x["id"] for x in op1.get("/v1/queue").json()["pending_violations"]] == [v]
    q = op2.get("/v1/queue").json()
    assert q["approvals_pending"] == 1
    assert [a["id"] for a in op2.get("/v1/approvals").json()["approvals"]] == [ap["id"]]
    # the same request again is the same answer
    again = op1.post(f"/v1/violations/{v}/confirm", {"note": "医疗用语"}, idem="c-1")
    assert again.status_code == 202 and again.json()["result"]["approval"]["id"] == ap["id"]
    # asked again without the key: it already waits, it is not asked twice
    r = op2.post(f"/v1/violations/{v}/confirm", {"note": "医疗用语"})
    assert r.status_code == 409 and error_code(r) == "state_conflict" and ap["id"] in r.text
    # the key that asked cannot approve it
    r = op1.post(f"/v1/approvals/{ap['id']}/approve")
    assert r.status_code == 422 and error_code(r) == "self_approval", r.text
    # a second operator applies it, exactly once even when retried with the same key
    r = op2.post(f"/v1/approvals/{ap['id']}/approve", {"note": "同意"}, idem="a-1")
    assert r.status_code == 200, r.text
    assert r.json()["result"]["approval"]["status"] == "approved"
    assert r.json()["result"]["result"]["status"] == "in_force"
    r2 = op2.post(f"/v1/approvals/{ap['id']}/approve", {"note": "同意"}, idem="a-1")
    assert r2.status_code == 200 and r2.json()["replayed"] is True
    assert r2.json()["command_seq"] == r.json()["command_seq"]
    r3 = ops["adm2"].post(f"/v1/approvals/{ap['id']}/approve")
    assert r3.status_code == 409 and error_code(r3) == "state_conflict"
    assert deposit(op1, "m1")["balance_fen"] == before - 20000
    entries = [e for e in deposit(op1, "m1")["entries"] if e["kind"] == "deduction"]
    assert [e["amount_fen"] for e in entries] == [-20000]
    assert op2.get("/v1/approvals").json()["approvals"] == []
    assert op2.get(f"/v1/approvals/{ap['id']}").json()["status"] == "approved"
    check_ledger(server)


def test_a_deduction_at_or_below_the_threshold_applies_at_once(server, ops, queued):
    activate(server, approvals={"deduction_above_fen": 20000, "refund_above_fen": 20000})
    r = ops["op1"].post(f"/v1/violations/{queued['v']}/confirm", {"note": "ok"})
    assert r.status_code == 200, r.text
    assert r.json()["result"]["penalty"]["deducted_fen"] == 20000
    assert ops["op1"].get("/v1/approvals").json()["approvals"] == []


def test_a_rejected_approval_changes_nothing(server, ops, queued):
    activate(server, approvals={"deduction_above_fen": 0, "refund_above_fen": 0})
    op1, op2, v = ops["op1"], ops["op2"], queued["v"]
    ap = op1.post(f"/v1/violations/{v}/confirm", {"note": "x"}).json()["result"]["approval"]
    for bad in ({}, {"reason": " "}, {"reason": "a", "note": "b"}):
        assert op2.post(f"/v1/approvals/{ap['id']}/reject", bad).status_code == 400, bad
    r = op2.post(f"/v1/approvals/{ap['id']}/reject", {"reason": "证据不足"})
    assert r.status_code == 200 and r.json()["result"]["approval"]["status"] == "rejected"
    assert deposit(op1, "m1")["balance_fen"] == 2000000
    assert op2.post(f"/v1/approvals/{ap['id']}/approve").status_code == 409
    rejected = op2.get("/v1/approvals", params={"status": "rejected"}).json()["approvals"]
    assert [(a["id"], a["reason"], a["decided_by"]["key"]) for a in rejected] == [
        (ap["id"], "证据不足", "op2")]
    assert op2.get("/v1/approvals", params={"status": "maybe"}).status_code == 400
    assert op2.get("/v1/approvals/ap999").status_code == 404
    # still queued: decidable (a dismissal moves no money)
    assert op1.post(f"/v1/violations/{v}/dismiss", {"note": "ok"}).status_code == 200


def test_a_refund_above_the_threshold_waits_for_approval(server, ops, queued):
    activate(server, approvals={"deduction_above_fen": 500000, "refund_above_fen": 10000})
    op1, op2, m1, v = ops["op1"], ops["op2"], queued["m1"], queued["v"]
    assert op1.post(f"/v1/violations/{v}/confirm", {"note": "x"}).status_code == 200
    a = m1.post(f"/v1/violations/{v}/appeals", {"reason": "有资质"}).json()["result"]
    r = op1.post(f"/v1/appeals/{a['id']}/decision", {"decision": "uphold", "note": "资质齐全"})
    assert r.status_code == 202, r.text
    ap = r.json()["result"]["approval"]
    assert ap["kind"] == "refund" and ap["amount_fen"] == 20000
    assert deposit(op1, "m1")["balance_fen"] == 2000000 - 20000
    r = op2.post(f"/v1/approvals/{ap['id']}/approve")
    assert r.status_code == 200, r.text
    assert deposit(op1, "m1")["balance_fen"] == 2000000
    check_ledger(server)


def test_a_store_clearance_always_waits_for_approval(server, ops):
    op1, op2 = ops["op1"], ops["op2"]
    open_store(op1, "m2", "fresh.fruit")
    r = op1.post("/v1/merchants/m2/clear", {"reason": "fourth three-no violation"})
    assert r.status_code == 202, r.text
    ap = r.json()["result"]["approval"]
    assert ap["kind"] == "clearance" and ap["clears_store"] is True
    assert op1.get("/v1/merchants/m2").json()["status"] == "active"
    r = op2.post(f"/v1/approvals/{ap['id']}/approve")
    assert r.status_code == 200, r.text
    assert "merchant.status_changed" in [e["type"] for e in r.json()["events"]]
    assert op1.get("/v1/merchants/m2").json()["status"] == "cleared"


def test_an_operators_clearance_of_a_store_a_violation_cleared_waits_for_approval(server, ops):
    # the operator's clearance makes a clearance final (an upheld appeal no longer lifts it):
    # on a store a fourth three-no violation has cleared it is still one operator's decision
    op1, op2 = ops["op1"], ops["op2"]
    open_store(op1, "m3", "food.snacks")
    assert server.client("ingest").post("/v1/merchants/m3/deposit/top-ups", {
        "amount_fen": 3000000, "ref": "big-1"}).status_code == 201
    m3 = server.client("merchant:m3")
    for n in range(1, 5):
        assert m3.post("/v1/products", {"id": f"t{n}", "title": "散装饼干", "category": "food.snacks",
                                        "price": "9.90", **COMPLETE}).status_code == 201
        assert m3.post(f"/v1/products/t{n}/list").status_code == 200
    for n in range(1, 5):
        assert m3.patch(f"/v1/products/t{n}", {"manufacturer": None}).status_code == 200
    before = op1.get("/v1/merchants/m3").json()
    assert before["status"] == "cleared" and "violation_clearance" in before["holds"]
    r = op1.post("/v1/merchants/m3/clear", {"reason": "一并清退"})
    assert r.status_code == 202, r.text
    ap = r.json()["result"]["approval"]
    assert ap["kind"] == "clearance" and ap["clears_store"] is True
    assert op1.get("/v1/merchants/m3").json()["holds"] == before["holds"]
    r = op2.post(f"/v1/approvals/{ap['id']}/approve")
    assert r.status_code == 200, r.text
    assert "operator_clearance" in op1.get("/v1/merchants/m3").json()["holds"]


def test_approval_events_are_not_in_the_stores_feed(server, ops, queued):
    activate(server, approvals={"deduction_above_fen": 0, "refund_above_fen": 0})
    ap = ops["op1"].post(f"/v1/violations/{queued['v']}/confirm",
                         {"note": "x"}).json()["result"]["approval"]
    assert ops["op2"].post(f"/v1/approvals/{ap['id']}/approve").status_code == 200
    types = [e["type"] for e in queued["m1"].get("/v1/events",
                                                 params={"limit": 1000}).json()["events"]]
    assert "violation.enforced" in types
    assert not [t for t in types if t.startswith(("approval.", "queue.", "note."))]


@pytest.mark.parametrize("section,value", [
    ("queue", {"claim_minutes": 0}), ("queue", {"claim_minutes": 30, "claim_max_minutes": 20}),
    ("queue", {"claim_max_minutes": 1441}), ("queue", {"other": 1}),
    ("approvals", {"deduction_above_fen": -1}), ("approvals", {"refund_above_fen": "100"}),
    ("approvals", {"clearance": False}),
])
def test_policy_check_refuses_bad_queue_and_approvals_sections(section, value):
    from conftest import check_policy
    doc = default_policy()
    doc[section] = value
    p = check_policy(doc)
    assert p.returncode != 0 and f"$.{section}" in (p.stdout + p.stderr), p.stdout + p.stderr


def test_every_queue_decision_is_held_by_a_claim_and_every_queue_list_shows_it(server, ops):
    """Appeals, qualifications and promotions awaiting a refund: another operator's decision is
    409 claimed while op1 holds the item; staff lists show the claim, the store's never do."""
    op1, op2 = ops["op1"], ops["op2"]
    open_store(op1, "m1", "beauty.skincare")
    m1 = server.client("merchant:m1")
    # first the promotion (the deduction below leaves the store restricted)
    assert m1.post("/v1/products", {"id": "p9", "title": "身体乳", "category": "beauty.skincare",
                                    "price": "69.00", **COMPLETE}).status_code == 201
    assert m1.post("/v1/products/p9/list").status_code == 200
    pr = m1.post("/v1/promotions", {"product": "p9", "price_fen": 100, "estimated_exposure": 10,
                                    "duration_hours": 1})
    assert pr.status_code == 201, pr.text
    pr = pr.json()["result"]
    assert pr["status"] == "review_failed", pr
    r = on_sale(m1, {"id": "w1", "title": "补水面膜", "category": "beauty.skincare",
                     "price": "59.00", "detail": "加微信 abc12345 了解更多", **COMPLETE})
    assert r.status_code == 201, r.text
    [v] = op1.get("/v1/violations", params={"merchant": "m1"}).json()["violations"]
    a = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "误判"}).json()["result"]
    q = m1.post("/v1/merchants/m1/qualifications", {
        "code": "cosmetics_filing", "documents": ["f/1.pdf"],
        "expires_on": "2027-01-31"}).json()["result"]
    for item in (a["id"], q["id"], pr["id"]):
        assert op1.post("/v1/queue/claims", {"item": item}).status_code == 201
    decisions = [
        (f"/v1/appeals/{a['id']}/decision", {"decision": "reject", "note": "证据不足"}),
        (f"/v1/qualifications/{q['id']}/decision", {"decision": "approve"}),
        (f"/v1/promotions/{pr['id']}/refund", {"note": "审核失败退款"}),
    ]
    for path, body in decisions:
        r = op2.post(path, body)
        assert r.status_code == 409 and error_code(r) == "claimed", (path, r.text)
    queue = op2.get("/v1/queue").json()
    assert [(x["id"], x["claimed_by"]) for x in queue["open_appeals"]] == [(a["id"], "op1")]
    assert [(x["id"], x["claimed_by"]) for x in queue["qualifications_in_review"]] == [
        (q["id"], "op1")]
    staff = op2.get("/v1/promotions", params={"status": "review_failed"}).json()["promotions"]
    assert [(x["id"], x["claimed_by"]) for x in staff] == [(pr["id"], "op1")]
    quals = op2.get("/v1/merchants/m1/qualifications").json()["qualifications"]
    assert [x["claimed_by"] for x in quals] == ["op1"]
    # the store's own reads never carry a claim
    for path, key in (("/v1/promotions", "promotions"),
                      ("/v1/merchants/m1/qualifications", "qualifications"),
                      ("/v1/violations?merchant=m1", "violations")):
        for x in m1.get(path).json()[key]:
            assert "claimed_by" not in x and "claimed_until" not in x, path
    # the holder decides them all
    for path, body in decisions:
        r = op1.post(path, body)
        assert r.status_code == 200, (path, r.text)


def test_an_operators_violation_above_the_threshold_waits_and_metrics_count_it(server, ops):
    activate(server, approvals={"deduction_above_fen": 100000, "refund_above_fen": 100000})
    op1, op2 = ops["op1"], ops["op2"]
    open_store(op1, "m1", "beauty.skincare")
    m1 = server.client("merchant:m1")
    assert m1.post("/v1/products", {"id": "p1", "title": "身体乳", "category": "beauty.skincare",
                                    "price": "69.00", **COMPLETE}).status_code == 201
    body = {"product": "p1", "type": "external_diversion", "severity": "severe",
            "evidence": ["s.png"]}
    r = op1.post("/v1/violations", body)
    assert r.status_code == 202, r.text
    ap = r.json()["result"]["approval"]
    assert ap["kind"] == "deduction" and ap["amount_fen"] == 200000 and ap["subject"] is None
    assert op1.get("/v1/violations", params={"merchant": "m1"}).json()["violations"] == []
    metrics = server.api().get("/metrics").text
    assert "sw_approvals_pending 1" in metrics
    r = op2.post(f"/v1/approvals/{ap['id']}/approve")
    assert r.status_code == 200, r.text
    [v] = op1.get("/v1/violations", params={"merchant": "m1"}).json()["violations"]
    assert v["penalty"]["deducted_fen"] == 200000
    assert deposit(op1, "m1")["balance_fen"] == 2000000 - 200000
    assert "sw_approvals_pending 0" in server.api().get("/metrics").text
    check_ledger(server)


def test_an_approval_applies_only_the_amount_approved_to_the_fen(server, ops):
    """The fourth three-no violation takes the whole balance and clears the store: held for
    approval with the balance then. A top-up meanwhile would make it take more: the approval
    is refused (409 state_conflict) and changes nothing; asked again, it takes the new amount."""
    op1, op2 = ops["op1"], ops["op2"]
    open_store(op1, "m1", "beauty.skincare")
    m1 = server.client("merchant:m1")
    for n in range(1, 5):
        assert m1.post("/v1/products", {"id": f"t{n}", "title": "饼干", "category":
                                        "beauty.skincare", "price": "9.90",
                                        **COMPLETE}).status_code == 201
    body = lambda n: {"product": f"t{n}", "type": "three_no_product", "severity": "severe",
                      "evidence": ["x.png"]}
    for n in range(1, 4):  # 5,000 yuan each: not above the default threshold
        r = op1.post("/v1/violations", body(n))
        assert r.status_code == 201, r.text
    assert deposit(op1, "m1")["balance_fen"] == 2000000 - 3 * 500000
    r = op1.post("/v1/violations", body(4))
    assert r.status_code == 202, r.text
    ap = r.json()["approval"]
    assert (ap["kind"], ap["deduction_fen"], ap["clears_store"]) == ("clearance", 500000, True)
    r = op1.post("/v1/merchants/m1/deposit/top-ups", {"amount_fen": 100, "ref": "pay-late"})
    assert r.status_code == 201, r.text
    r = op2.post(f"/v1/approvals/{ap['id']}/approve")
    assert r.status_code == 409 and error_code(r) == "state_conflict", r.text
    assert "500100" in r.json()["error"]["message"]
    d = deposit(op1, "m1")
    assert d["balance_fen"] == 500100 and d["store_status"] != "cleared"
    assert op2.get(f"/v1/approvals/{ap['id']}").json()["status"] == "pending"
    # the reason may come as "note", as the other decisions name it
    assert op2.post(f"/v1/approvals/{ap['id']}/reject",
                    {"note": "balance changed"}).status_code == 200
    r = op1.post("/v1/violations", body(4))
    assert r.status_code == 202 and r.json()["approval"]["deduction_fen"] == 500100, r.text
    r = op2.post(f"/v1/approvals/{r.json()['approval']['id']}/approve")
    assert r.status_code == 200, r.text
    d = deposit(op1, "m1")
    assert d["balance_fen"] == 0 and d["store_status"] == "cleared"
    check_ledger(server)


def test_a_claim_holds_the_approval_of_its_item_and_a_waiting_decision_holds_its_item(
        server, ops, queued):
    """Issue 18: others cannot decide a claimed item meanwhile, also by approving the decision
    that waits on it; and an item whose decision waits for approval takes no other decision
    (a dismiss while a confirm waits) until the approval is approved or rejected."""
    activate(server, approvals={"deduction_above_fen": 10000, "refund_above_fen": 10000})
    op1, op2, v = ops["op1"], ops["op2"], queued["v"]
    before = deposit(op1, "m1")["balance_fen"]
    ap = op1.post(f"/v1/violations/{v}/confirm", {"note": "医疗用语"}).json()["result"]["approval"]
    r = op1.post(f"/v1/violations/{v}/dismiss", {"note": "改主意"})
    assert r.status_code == 409 and error_code(r) == "state_conflict" and ap["id"] in r.text
    assert op1.post("/v1/queue/claims", {"item": v}).status_code == 201
    third = ops["adm2"]
    r = third.post(f"/v1/approvals/{ap['id']}/approve")
    assert r.status_code == 409 and error_code(r) == "claimed", r.text
    r = third.post(f"/v1/approvals/{ap['id']}/reject", {"reason": "x"})
    assert r.status_code == 409 and error_code(r) == "claimed", r.text
    assert deposit(op1, "m1")["balance_fen"] == before
    assert op1.s.delete(server.base + f"/v1/queue/claims/{v}", headers=op1.headers()).status_code == 200
    # a claim on the approval itself holds it too
    assert op2.post("/v1/queue/claims", {"item": ap["id"]}).status_code == 201
    r = third.post(f"/v1/approvals/{ap['id']}/approve")
    assert r.status_code == 409 and error_code(r) == "claimed", r.text
    r = op2.post(f"/v1/approvals/{ap['id']}/approve")
    assert r.status_code == 200, r.text
    assert deposit(op1, "m1")["balance_fen"] == before - 20000
    check_ledger(server)

