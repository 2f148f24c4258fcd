"""Industry qualifications over HTTP (issue 12, docs/qualification.md), with the manual clock:
a store or an operator submits a record for a code the policy knows; it starts in review; an
operator approves or rejects it; an approved record expires by itself at the end of its
expires_on day in Asia/Shanghai, or an operator revokes it (with a note)."""
import os
import signal
import tempfile

import pytest
import requests

from conftest import clear_store, error_code, open_store, serve_demo

BODY = {"code": "cosmetics_filing", "documents": ["f/licence.pdf"], "expires_on": "2027-01-31"}


@pytest.fixture
def stores(server, operator):
    for mid in ("m1", "m2"):
        open_store(operator, mid, "beauty.skincare")
    return {"m1": server.client("merchant:m1"), "m2": server.client("merchant:m2"),
            "op": operator}


def submit(api, mid="m1", **over):
    r = api.post(f"/v1/merchants/{mid}/qualifications", {**BODY, **over})
    assert r.status_code == 201, r.text
    return r


def test_store_and_operator_submit_a_record_in_review(server, stores):
    r = submit(stores["m1"])
    q = r.json()["result"]
    assert q["id"].startswith("q") and r.headers["Location"] == f"/v1/qualifications/{q['id']}"
    assert (q["merchant"], q["code"], q["status"]) == ("m1", "cosmetics_filing", "reviewing")
    assert q["documents"] == ["f/licence.pdf"] and q["expires_on"] == "2027-01-31"
    assert q["expires_at"] == "2027-01-31T16:00:00Z"  # 2027-02-01 00:00 +08:00
    assert [e["type"] for e in r.json()["events"]] == ["qualification.submitted"]
    by_op = submit(stores["op"], code="business_license").json()["result"]
    assert by_op["merchant"] == "m1" and by_op["submitted_by"]["role"] == "operator"
    got = stores["m1"].get(f"/v1/qualifications/{q['id']}")
    assert got.status_code == 200 and got.json()["status"] == "reviewing"
    assert got.headers["ETag"] == f'"{got.json()["version"]}"'
    listed = stores["m1"].get("/v1/merchants/m1/qualifications").json()["qualifications"]
    assert [x["id"] for x in listed] == [q["id"], by_op["id"]]


def test_an_industry_code_is_known_and_an_unknown_code_is_refused(server, stores):
    # business_license is asked by the beauty industry, not by any category itself
    submit(stores["m1"], code="business_license")
    before = server.db_counts()
    r = stores["m1"].post("/v1/merchants/m1/qualifications", {**BODY, "code": "moon_licence"})
    assert r.status_code == 422 and error_code(r) == "unknown_qualification", r.text
    assert r.json()["error"]["details"]["field"] == "code"
    assert server.db_counts()["events"] == before["events"]


def test_bad_submissions_change_nothing(server, stores, operator):
    m1 = stores["m1"]
    cases = [
        ({**BODY, "documents": []}, 400, "invalid_value"),
        ({**BODY, "documents": [""]}, 400, "invalid_value"),
        ({**BODY, "documents": ["f/a.pdf", 5]}, 400, "wrong_type"),
        ({k: v for k, v in BODY.items() if k != "expires_on"}, 400, "missing_field"),
        ({**BODY, "expires_on": "2027-02-30"}, 400, "invalid_value"),
        ({**BODY, "extra": 1}, 400, "unknown_field"),
        # the manual clock reads 2026-01-05: a day that has ended is refused
        ({**BODY, "expires_on": "2026-01-04"}, 422, "qualification_expired"),
    ]
    before = server.db_counts()
    for body, status, code in cases:
        r = m1.post("/v1/merchants/m1/qualifications", body)
        assert (r.status_code, error_code(r)) == (status, code), (body, r.text)
        docs = body.get("documents")
        if docs and docs != BODY["documents"]:  # the element, as the client sent it
            assert r.json()["error"]["details"]["field"] == f"documents[{len(docs) - 1}]", r.text
    assert server.db_counts()["events"] == before["events"]
    # today still counts: it holds until tonight's midnight
    submit(m1, expires_on="2026-01-05")


def test_another_store_and_unknown_stores_are_404(server, stores, operator):
    q = submit(stores["m1"]).json()["result"]
    m2 = stores["m2"]
    r = m2.post("/v1/merchants/m1/qualifications", BODY)
    assert r.status_code == 404 and error_code(r) == "not_found"
    assert m2.get(f"/v1/qualifications/{q['id']}").status_code == 404
    assert m2.get("/v1/merchants/m1/qualifications").status_code == 404
    r = operator.post("/v1/merchants/nosuch/qualifications", BODY)
    assert r.status_code == 404 and error_code(r) == "not_found"
    assert operator.get("/v1/merchants/nosuch/qualifications").status_code == 404
    assert operator.get("/v1/qualifications/q999").status_code == 404


def test_a_cleared_store_cannot_submit(server, stores, operator):
    clear_store(server, operator, "m2", "test")
    r = operator.post("/v1/merchants/m2/qualifications", BODY)
    assert r.status_code == 422 and error_code(r) == "merchant_cleared", r.text


def test_only_operators_decide_and_revoke(server, stores, operator):
    qid = submit(stores["m1"]).json()["result"]["id"]
    for path, body in ((f"/v1/qualifications/{qid}/decision", {"decision": "approve"}),
                       (f"/v1/qualifications/{qid}/revoke", {"note": "x"})):
        r = stores["m1"].post(path, body)
        assert r.status_code == 403 and error_code(r) == "forbidden", r.text
    r = operator.post(f"/v1/qualifications/{qid}/decision",
                      {"decision": "approve", "note": "ok"})
    assert r.status_code == 200, r.text
    q = r.json()["result"]
    assert (q["status"], q["note"]) == ("approved", "ok")
    assert q["decided_by"]["role"] == "operator" and q["decided_at"] is not None
    assert [e["type"] for e in r.json()["events"]] == ["qualification.approved"]
    # the store sees that the platform acted, not who
    seen = stores["m1"].get(f"/v1/qualifications/{qid}").json()["decided_by"]
    assert seen == {"key": None, "role": "operator", "label": None}
    # decided once
    r = operator.post(f"/v1/qualifications/{qid}/decision", {"decision": "reject"})
    assert r.status_code == 409 and error_code(r) == "state_conflict"


def test_reject_and_the_states_it_leaves(server, stores, operator):
    qid = submit(stores["m1"]).json()["result"]["id"]
    r = operator.post(f"/v1/qualifications/{qid}/decision", {"decision": "maybe"})
    assert r.status_code == 400 and error_code(r) == "invalid_value"
    r = operator.post(f"/v1/qualifications/{qid}/decision", {"decision": "reject",
                                                             "note": "blurred scan"})
    assert r.status_code == 200 and r.json()["result"]["status"] == "rejected"
    assert [e["type"] for e in r.json()["events"]] == ["qualification.rejected"]
    r = operator.post(f"/v1/qualifications/{qid}/revoke", {"note": "x"})
    assert r.status_code == 409 and error_code(r) == "state_conflict"


def test_revoke_needs_a_note_and_cancels_the_expiry(server, stores, operator):
    qid = submit(stores["m1"]).json()["result"]["id"]
    assert operator.post(f"/v1/qualifications/{qid}/decision",
                         {"decision": "approve"}).status_code == 200
    timers = operator.get("/v1/admin/timers").json()["timers"]
    assert any(t["kind"] == "qualification.expire" for t in timers), timers
    r = operator.post(f"/v1/qualifications/{qid}/revoke", {})
    assert r.status_code == 400 and error_code(r) == "missing_field"
    for blank in ("", "   ", "\u3000"):  # a revocation must say why
        r = operator.post(f"/v1/qualifications/{qid}/revoke", {"note": blank})
        assert r.status_code == 400 and error_code(r) == "invalid_value", (blank, r.text)
    assert stores["m1"].get(f"/v1/qualifications/{qid}").json()["status"] == "approved"
    r = operator.post(f"/v1/qualifications/{qid}/revoke", {"note": "forged licence"})
    assert r.status_code == 200, r.text
    q = r.json()["result"]
    assert (q["status"], q["revoke_note"]) == ("revoked", "forged licence")
    assert q["revoked_by"]["role"] == "operator"
    assert [e["type"] for e in r.json()["events"]] == ["qualification.revoked"]
    timers = operator.get("/v1/admin/timers").json()["timers"]
    assert not any(t["kind"] == "qualification.expire" for t in timers), timers
    r = operator.post(f"/v1/qualifications/{qid}/revoke", {"note": "again"})
    assert r.status_code == 409 and error_code(r) == "state_conflict"


def test_an_approved_record_expires_at_midnight_asia_shanghai(server, stores, operator):
    qid = submit(stores["m1"], expires_on="2026-01-06").json()["result"]["id"]
    assert operator.post(f"/v1/qualifications/{qid}/decision",
                         {"decision": "approve"}).status_code == 200
    # 2026-01-06 23:59:59 +08:00: still approved
    r = operator.post("/v1/admin/clock", {"now": "2026-01-06T15:59:59Z"})
    assert r.status_code == 200 and r.json()["timers_fired"] == 0
    assert stores["m1"].get(f"/v1/qualifications/{qid}").json()["status"] == "approved"
    # 2026-01-07 00:00:00 +08:00: expired
    r = operator.post("/v1/admin/clock", {"now": "2026-01-06T16:00:00Z"})
    assert r.status_code == 200 and r.json()["timers_fired"] == 1
    q = stores["m1"].get(f"/v1/qualifications/{qid}").json()
    assert q["status"] == "expired" and q["expired_at"] == "2026-01-06T16:00:00Z"
    evs = operator.get("/v1/events", params={"type": "qualification.expired"}).json()["events"]
    assert [(e["merchant"], e["subject"], e["actor"]["role"]) for e in evs] == \
        [("m1", qid, "system")]
    # an expired record can be neither revoked nor decided again
    r = operator.post(f"/v1/qualifications/{qid}/revoke", {"note": "late"})
    assert r.status_code == 409 and error_code(r) == "state_conflict"


def test_a_record_whose_day_has_ended_cannot_be_approved(server, stores, operator):
    qid = submit(stores["m1"], expires_on="2026-01-05").json()["result"]["id"]
    assert operator.post("/v1/admin/clock", {"now": "2026-01-05T16:00:00Z"}).status_code == 200
    r = operator.post(f"/v1/qualifications/{qid}/decision", {"decision": "approve"})
    assert r.status_code == 422 and error_code(r) == "qualification_expired", r.text
    assert stores["m1"].get(f"/v1/qualifications/{qid}").json()["status"] == "reviewing"
    r = operator.post(f"/v1/qualifications/{qid}/decision", {"decision": "reject"})
    assert r.status_code == 200 and r.json()["result"]["status"] == "rejected"


def test_the_queue_lists_records_in_review_oldest_first(server, stores, operator):
    ids = []
    for i, mid in enumerate(("m2", "m1", "m2")):
        operator.post("/v1/admin/clock", {"now": f"2026-01-05T0{2 + i}:00:00Z"})
        ids.append(submit(stores[mid], mid).json()["result"]["id"])
    q = operator.get("/v1/queue").json()["qualifications_in_review"]
    assert [x["id"] for x in q] == ids
    assert "\nsw_qualifications_in_review 3\n" in server.api().get("/metrics").text
    assert [x["id"] for x in operator.get("/v1/queue", params={"limit": 2}).json()[
        "qualifications_in_review"]] == ids[:2]
    operator.post(f"/v1/qualifications/{ids[0]}/decision", {"decision": "approve"})
    q = operator.get("/v1/queue").json()["qualifications_in_review"]
    assert [x["id"] for x in q] == ids[1:]
    assert "\nsw_qualifications_in_review 2\n" in server.api().get("/metrics").text


def test_list_filters(server, stores, operator):
    a = submit(stores["m1"]).json()["result"]["id"]
    b = submit(stores["m1"], code="business_license").json()["result"]["id"]
    operator.post(f"/v1/qualifications/{a}/decision", {"decision": "approve"})
    get = lambda **p: [x["id"] for x in stores["m1"].get(  # noqa: E731
        "/v1/merchants/m1/qualifications", params=p).json()["qualifications"]]
    assert get(status="approved") == [a] and get(status="reviewing") == [b]
    assert get(code="business_license") == [b]
    r = stores["m1"].get("/v1/merchants/m1/qualifications", params={"status": "valid"})
    assert r.status_code == 400 and error_code(r) == "invalid_value"
    assert r.json()["error"]["details"]["field"] == "status"


def test_writes_are_idempotent_by_key(server, stores, operator):
    r1 = stores["m1"].post("/v1/merchants/m1/qualifications", BODY, idem="sub-1")
    r2 = stores["m1"].post("/v1/merchants/m1/qualifications", BODY, idem="sub-1")
    assert r1.status_code == r2.status_code == 201
    assert r2.json()["replayed"] is True
    assert r1.json()["result"]["id"] == r2.json()["result"]["id"]
    assert len(stores["m1"].get("/v1/merchants/m1/qualifications").json()["qualifications"]) == 1
    qid = r1.json()["result"]["id"]
    d1 = operator.post(f"/v1/qualifications/{qid}/decision", {"decision": "approve"}, idem="d-1")
    d2 = operator.post(f"/v1/qualifications/{qid}/decision", {"decision": "approve"}, idem="d-1")
    assert d1.status_code == d2.status_code == 200 and d2.json()["replayed"] is True


def test_if_match_guards_decisions(server, stores, operator):
    qid = submit(stores["m1"]).json()["result"]["id"]
    etag = operator.get(f"/v1/qualifications/{qid}").headers["ETag"]
    r = operator.post(f"/v1/qualifications/{qid}/decision", {"decision": "approve"},
                      headers={"If-Match": '"99"'})
    assert r.status_code == 412 and error_code(r) == "version_mismatch", r.text
    assert operator.get(f"/v1/qualifications/{qid}").json()["status"] == "reviewing"
    r = operator.post(f"/v1/qualifications/{qid}/decision", {"decision": "approve"},
                      headers={"If-Match": etag})
    assert r.status_code == 200, r.text
    new = operator.get(f"/v1/qualifications/{qid}").headers["ETag"]
    assert new != etag
    r = operator.post(f"/v1/qualifications/{qid}/revoke", {"note": "x"},
                      headers={"If-Match": etag})
    assert r.status_code == 412 and error_code(r) == "version_mismatch"


def test_the_demo_shows_an_approved_and_a_reviewing_record():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "sw.db")
        for _ in range(2):  # the second start replays the demo data: still one of each
            p, _, keys, base = serve_demo(db)
            try:
                get = lambda path, role="operator": requests.get(  # noqa: E731
                    base + path, headers={"Authorization": "Bearer " + keys[role]}, timeout=10)
                m1 = get("/v1/merchants/m1/qualifications", "merchant:m1").json()
                assert [(q["code"], q["status"]) for q in m1["qualifications"]] == \
                    [("cosmetics_filing", "approved")]
                queue = get("/v1/queue").json()["qualifications_in_review"]
                assert [(q["merchant"], q["code"]) for q in queue] == [("m3", "ccc_certificate")]
            finally:
                p.send_signal(signal.SIGTERM)
                assert p.wait(timeout=60) == 0
