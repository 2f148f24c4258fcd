"""Penalties a platform can live with (issue 16 part 2, RULES.md §3), black-box:
audit before publication and enforcement after (listing_blocked, the per-type on_unlisted /
on_listed policy), writes that name the violations they create, no stale penalties
(finding_stale), store categories (category_not_in_store, deposit recomputed), and rescans of
what is on sale (POST /v1/admin/rescans, shopwarden rescan), resumable after kill -9."""
import signal
import tempfile
import time

import pytest

from conftest import (COMPLETE, START, Server, check_ledger, check_policy, default_policy,
                      error_code, open_store, run_cli)

WECHAT = "加微信 abc12345 了解更多"
NO_MAKER = {k: v for k, v in COMPLETE.items() if k != "manufacturer"}
CLAIMS = "美白祛斑精华"  # two exaggerated-efficacy claims on a cosmetic (queued for an operator)


@pytest.fixture(autouse=True)
def ledger_invariant(server):
    yield
    if server.proc is not None:
        check_ledger(server)


def violations_of(api, mid, **params):
    return api.get("/v1/violations", params={"merchant": mid, **params}).json()["violations"]


def deposit(api, mid):
    return api.get(f"/v1/merchants/{mid}/deposit").json()


def create(api, pid, cat="beauty.skincare", **fields):
    body = {"id": pid, "title": "补水面霜", "category": cat, "price": "59.00", **COMPLETE}
    body.update(fields)
    return api.post("/v1/products", {k: v for k, v in body.items() if v is not None})


def activate(server, change, version):
    """Activates the default policy changed by `change(doc)` under a new version."""
    doc = default_policy()
    change(doc)
    doc["version"] = version
    r = server.admin().post("/v1/admin/policy", doc)
    assert r.status_code == 200, r.text
    return doc


def set_actions(doc, type_, on_unlisted=None, on_listed=None):
    t = doc["penalties"]["types"][type_]
    if on_unlisted:
        t["on_unlisted"] = on_unlisted
    if on_listed:
        t["on_listed"] = on_listed


# ---------- audit before publication ----------

def test_a_draft_with_findings_is_not_fined_and_cannot_be_listed_until_fixed(server, shop):
    """The issue's trap: a draft with no manufacturer used to be fined 5,000 yuan before anyone
    could buy it. Now its findings stay with it and block its listing (422 listing_blocked with
    the findings), with no violation and no deduction, until an edit clears them."""
    m1, op = shop["m1"], shop["operator"]
    before = deposit(op, "m1")
    r = create(m1, "d1", manufacturer=None, detail=WECHAT)
    assert r.status_code == 201, r.text
    view = r.json()["result"]
    assert view["status"] == "delisted" and "violations" not in r.json()
    types = {f["type"] for f in view["scan"]["findings"]}
    assert {"three_no_product", "external_diversion"} <= types
    assert sorted(view["scan"]["blocking"]) == sorted(types & {
        "three_no_product", "external_diversion", "exaggerated_efficacy", "key_info_inconsistent"})
    assert violations_of(op, "m1") == []
    assert op.get("/v1/queue").json()["pending_violations"] == []
    assert deposit(op, "m1")["balance_fen"] == before["balance_fen"]
    r = m1.post("/v1/products/d1/list")
    assert r.status_code == 422 and error_code(r) == "listing_blocked", r.text
    got = {f["type"] for f in r.json()["error"]["details"]["findings"]}
    assert {"three_no_product", "external_diversion"} <= got
    assert m1.get("/v1/products/d1").json()["status"] == "delisted"
    # one finding fixed: still blocked, by the other one only
    assert m1.patch("/v1/products/d1", {"manufacturer": "示例工厂"}).status_code == 200
    r = m1.post("/v1/products/d1/list")
    assert r.status_code == 422 and error_code(r) == "listing_blocked"
    assert {f["type"] for f in r.json()["error"]["details"]["findings"]} == {"external_diversion"}
    # an edit of a product that is not listed is still no violation
    assert violations_of(op, "m1") == []
    assert m1.patch("/v1/products/d1", {"detail": "清爽保湿"}).status_code == 200
    r = m1.post("/v1/products/d1/list")
    assert r.status_code == 200 and r.json()["result"]["status"] == "listed"
    assert violations_of(op, "m1") == [] and deposit(op, "m1")["balance_fen"] == before["balance_fen"]


def test_an_edit_of_a_listed_product_is_penalised_and_named_in_the_answer(server, shop):
    m1, op = shop["m1"], shop["operator"]
    assert create(m1, "e1").status_code == 201
    assert m1.post("/v1/products/e1/list").status_code == 200
    r = m1.patch("/v1/products/e1", {"detail": WECHAT})
    assert r.status_code == 200, r.text
    [named] = r.json()["violations"]
    [v] = violations_of(op, "m1")
    assert named["id"] == v["id"] and named["type"] == "external_diversion" == v["type"]
    assert named["status"] == "in_force" and named["product"] == "e1"
    assert named["penalty"]["deduct_fen"] == v["penalty"]["deduct_fen"] == 200000
    assert r.json()["result"]["status"] == "banned"
    # a queued one: the operator's answer names it; the store's does not (not on its record)
    assert create(m1, "e2").status_code == 201
    assert op.post("/v1/merchants/m1/deposit/top-ups",
                   {"amount": "2000.00", "ref": "refill-1"}).status_code == 201
    assert m1.post("/v1/products/e2/list").status_code == 200
    r = m1.patch("/v1/products/e2", {"title": CLAIMS})
    assert r.status_code == 200 and "violations" not in r.json()
    [pending] = op.get("/v1/queue").json()["pending_violations"]
    assert pending["product"] == "e2" and pending["type"] == "exaggerated_efficacy"
    assert create(m1, "e3").status_code == 201
    assert op.post("/v1/products/e3/list").status_code == 200
    r = op.patch("/v1/products/e3", {"title": CLAIMS})
    [named] = r.json()["violations"]
    assert (named["status"], named["type"], named["occurrences"]) == (
        "pending", "exaggerated_efficacy", 2)
    # a replay answers the same
    r1 = op.post("/v1/violations", {"product": "e1", "type": "key_info_inconsistent",
                                    "evidence": ["x.png"]}, idem="named-1")
    r2 = op.post("/v1/violations", {"product": "e1", "type": "key_info_inconsistent",
                                    "evidence": ["x.png"]}, idem="named-1")
    assert r2.json()["replayed"] and r2.json()["violations"] == r1.json()["violations"]
    assert r1.json()["violations"][0]["id"] == r1.json()["result"]["id"]


def test_the_policy_decides_per_type_what_findings_do(server, shop):
    """on_unlisted / on_listed per type: `penalise` on a draft brings back the old behaviour for
    that type, `block` on a listed product takes it off sale without a violation, `ignore`
    leaves the findings alone."""
    m1, op = shop["m1"], shop["operator"]

    def change(doc):
        set_actions(doc, "three_no_product", on_unlisted="penalise")
        set_actions(doc, "external_diversion", on_listed="block")
        set_actions(doc, "exaggerated_efficacy", on_unlisted="ignore", on_listed="ignore")
    activate(server, change, "audit-test-1")
    # external diversion on a listed product: delisted, no violation, and blocked
    assert create(m1, "n2").status_code == 201
    assert m1.post("/v1/products/n2/list").status_code == 200
    r = m1.patch("/v1/products/n2", {"detail": WECHAT})
    assert r.status_code == 200 and "violations" not in r.json()
    assert r.json()["result"]["status"] == "delisted"
    evs = [e for e in op.get("/v1/events", params={"subject": "n2", "limit": 100}).json()["events"]
           if e["type"] == "product.delisted"]
    assert evs[-1]["payload"]["reason"] == "listing_blocked"
    r = m1.post("/v1/products/n2/list")
    assert r.status_code == 422 and error_code(r) == "listing_blocked"
    # ignored claims: listed and edited freely, nothing queued
    assert create(m1, "n3", title=CLAIMS).status_code == 201
    assert m1.post("/v1/products/n3/list").status_code == 200
    assert m1.patch("/v1/products/n3", {"detail": "美白 淡斑 抗皱"}).status_code == 200
    assert op.get("/v1/queue").json()["pending_violations"] == []
    assert violations_of(op, "m1") == []
    # a three-no draft penalised at once, as before
    r = create(m1, "n1", manufacturer=None)
    assert r.status_code == 201 and r.json()["result"]["status"] == "banned"
    [v] = violations_of(op, "m1")
    assert v["type"] == "three_no_product" and r.json()["violations"][0]["id"] == v["id"]


def test_policy_check_refuses_unknown_finding_actions(server):
    doc = default_policy()
    set_actions(doc, "external_diversion", on_unlisted="fine", on_listed="warn")
    p = check_policy(doc)
    assert p.returncode != 0
    assert "$.penalties.types.external_diversion.on_unlisted" in p.stdout + p.stderr
    assert "$.penalties.types.external_diversion.on_listed" in p.stdout + p.stderr
    r = server.admin().post("/v1/admin/policy", {**doc, "version": "bad-actions"})
    assert r.status_code == 422 and error_code(r) == "policy_invalid"
    paths = {p["path"] for p in r.json()["error"]["details"]["problems"]}
    assert "$.penalties.types.external_diversion.on_listed" in paths
    doc = default_policy()
    set_actions(doc, "external_diversion", on_unlisted="ignore", on_listed="block")
    assert check_policy(doc).returncode == 0


# ---------- no stale penalties ----------

def test_confirming_a_finding_the_merchant_removed_is_refused(server, shop):
    m1, op = shop["m1"], shop["operator"]
    assert create(m1, "s1").status_code == 201
    assert m1.post("/v1/products/s1/list").status_code == 200
    r = m1.patch("/v1/products/s1", {"title": CLAIMS})
    version = r.json()["result"]["version"]
    [q] = op.get("/v1/queue").json()["pending_violations"]
    assert (q["product_version"], q["product_version_now"], q["product_changed"]) == (
        version, version, False)
    # the merchant removes the claims before the operator gets to it
    r = m1.patch("/v1/products/s1", {"title": "补水面霜"})
    [q] = op.get("/v1/queue").json()["pending_violations"]
    assert q["product_changed"] is True and q["product_version_now"] == r.json()["result"]["version"]
    before = deposit(op, "m1")
    r = op.post(f"/v1/violations/{q['id']}/confirm")
    assert r.status_code == 409 and error_code(r) == "finding_stale", r.text
    assert op.get(f"/v1/violations/{q['id']}").json()["status"] == "pending"
    assert deposit(op, "m1") == before
    assert m1.get("/v1/products/s1").json()["status"] == "listed"
    assert op.post(f"/v1/violations/{q['id']}/dismiss").status_code == 200


def test_a_confirm_penalises_only_what_is_still_there(server, shop):
    m1, op = shop["m1"], shop["operator"]
    assert create(m1, "s2").status_code == 201
    assert m1.post("/v1/products/s2/list").status_code == 200
    m1.patch("/v1/products/s2", {"title": CLAIMS})
    [q] = op.get("/v1/queue").json()["pending_violations"]
    assert q["occurrences"] == 2
    m1.patch("/v1/products/s2", {"title": "美白精华"})  # one of the two claims removed
    r = op.post(f"/v1/violations/{q['id']}/confirm")
    assert r.status_code == 200, r.text
    v = r.json()["result"]
    assert v["status"] == "in_force" and v["occurrences"] == 1
    assert v["penalty"]["deduct_fen"] == 10000 and len(v["findings_removed"]) == 1


def test_one_account_however_it_is_introduced_is_one_occurrence(server, shop):
    """RULES §3: a per-occurrence penalty counts each distinct finding; a finding is its rule
    and what it names, so one WeChat account in the title (加微信 …) and the detail (联系微信 …,
    加V …) is one occurrence, and a per-occurrence policy deducts it once (found by an
    independent black-box tester: 2 occurrences, 4,000 yuan for one account)."""
    m1, op = shop["m1"], shop["operator"]

    def per_occurrence(doc):
        doc["penalties"]["types"]["external_diversion"]["per_occurrence"] = True
    activate(server, per_occurrence, "per-occurrence-1")
    for pid, title, detail in (("w1", "面霜 加微信 abc_shop1", "联系微信 abc_shop1"),
                               ("w2", "面霜 加V xyz_shop9", "扫码加客服微信 xyz_shop9")):
        assert create(m1, pid).status_code == 201
        assert m1.post(f"/v1/products/{pid}/list").status_code == 200
        r = m1.patch(f"/v1/products/{pid}", {"title": title, "detail": detail})
        assert r.status_code == 200, r.text
        [v] = r.json()["violations"]
        assert (v["type"], v["occurrences"]) == ("external_diversion", 1), v
        assert v["penalty"]["deduct_fen"] == 200000, v
        assert op.post("/v1/merchants/m1/deposit/top-ups",
                       {"amount": "2000.00", "ref": f"refill-{pid}"}).status_code == 201
    # two accounts are two
    assert create(m1, "w3").status_code == 201
    assert m1.post("/v1/products/w3/list").status_code == 200
    r = m1.patch("/v1/products/w3", {"title": "面霜 加微信 abc_shop1",
                                     "detail": "联系微信 another_shop2"})
    [v] = r.json()["violations"]
    assert v["occurrences"] == 2 and v["penalty"]["deduct_fen"] == 400000, v


# ---------- store categories ----------

def test_a_product_must_be_in_one_of_its_stores_categories(server, shop):
    m2, op = shop["m2"], shop["operator"]  # m2 sells fresh.fruit
    before = server.db_counts()
    r = m2.post("/v1/products", {"id": "ph1", "title": "旗舰手机 256G", "category": "digital.phones",
                                 "price": "3999.00", **COMPLETE})
    assert r.status_code == 422 and error_code(r) == "category_not_in_store"
    assert r.json()["error"]["details"]["field"] == "category"
    r = m2.patch("/v1/products/p2", {"category": "digital.phones"})
    assert r.status_code == 422 and error_code(r) == "category_not_in_store"
    assert server.db_counts() == before
    # the store takes phones on: the deposit required is phones' 50,000 yuan, and it is held
    r = op.patch("/v1/merchants/m2", {"categories": ["fresh.fruit", "digital.phones"]})
    assert r.status_code == 200, r.text
    store = r.json()["result"]
    assert store["deposit_required_fen"] == 5000000
    assert store["status"] == "restricted" and "deposit" in store["holds"]
    r = m2.post("/v1/products", {"id": "ph1", "title": "旗舰手机 256G", "category": "digital.phones",
                                 "price": "3999.00", **COMPLETE})
    assert r.status_code == 201
    r = m2.post("/v1/products/ph1/list")
    assert r.status_code == 422 and error_code(r) == "merchant_restricted"
    assert op.post("/v1/merchants/m2/deposit/top-ups",
                   {"amount": "40000.00", "ref": "phones-1"}).json()["result"]["store_status"] == "active"
    assert m2.post("/v1/products/ph1/list").status_code == 200
    # fruit dropped: the requirement stays phones', and fruit cannot go on sale any more
    r = op.patch("/v1/merchants/m2", {"categories": ["digital.phones"]})
    assert r.json()["result"]["deposit_required_fen"] == 5000000
    r = m2.post("/v1/products/p2/list")
    assert r.status_code == 422 and error_code(r) == "category_not_in_store"
    # back to fruit only: the requirement falls to 10,000 yuan
    r = op.patch("/v1/merchants/m2", {"categories": ["fresh.fruit"]})
    assert r.json()["result"]["deposit_required_fen"] == 1000000
    assert r.json()["result"]["status"] == "active"


def test_a_policy_that_moves_a_categorys_deposit_moves_every_store_selling_there(server, shop):
    """RULES §3: each store has a required deposit by category, policy (every default a policy
    value); below it the store is restricted and may not list. A new policy version that raises
    fruit's deposit restricts the fruit store that was funded for the old one, and the store
    goes back to active when a later version lowers it again or the store tops up."""
    m2, op = shop["m2"], shop["operator"]  # m2 sells fresh.fruit (10,000 yuan), funded
    assert op.get("/v1/merchants/m2").json()["status"] == "active"
    before = op.get("/v1/merchants/m2").json()
    def fruit(fen):
        return lambda d: d["categories"]["fresh.fruit"].update(deposit_fen=fen)
    activate(server, fruit(1600000), "fruit-16k")
    store = op.get("/v1/merchants/m2").json()
    assert store["deposit_required_fen"] == 1600000
    assert store["status"] == "restricted" and "deposit" in store["holds"]
    assert store["version"] > before["version"]  # an ETag a client holds is stale now
    r = m2.post("/v1/products/p2/list")
    assert r.status_code == 422 and error_code(r) == "merchant_restricted"
    events = op.get("/v1/events", params={"subject": "m2", "type": "merchant.updated"}).json()
    assert events["events"][-1]["payload"]["changed"] == ["deposit_required_fen"]
    # a store in another category is untouched
    assert op.get("/v1/merchants/m1").json()["deposit_required_fen"] == 2000000
    # lowered again: active again, no top-up needed
    activate(server, fruit(1000000), "fruit-10k")
    store = op.get("/v1/merchants/m2").json()
    assert store["deposit_required_fen"] == 1000000 and store["status"] == "active"
    assert m2.post("/v1/products/p2/list").status_code == 200


def test_removing_a_category_takes_the_stores_products_of_it_off_the_shelf(server, shop):
    """RULES §3: a store sells only in its own categories. Removing a category from a store
    delists its listed products of that category in the same command (product.delisted,
    reason category_removed), not only their next listing (audit: a listed beauty product of
    a store that dropped beauty stayed on sale, and kept the assurance tag)."""
    m2, op = shop["m2"], shop["operator"]  # m2 sells fresh.fruit
    assert op.patch("/v1/merchants/m2", {"categories": ["fresh.fruit", "digital.phones"]}
                    ).status_code == 200
    assert op.post("/v1/merchants/m2/deposit/top-ups",
                   {"amount": "40000.00", "ref": "phones-cat"}).status_code in (200, 201)
    r = m2.post("/v1/products", {"id": "ph2", "title": "旗舰手机 256G", "category": "digital.phones",
                                 "price": "3999.00", **COMPLETE})
    assert r.status_code == 201, r.text
    assert m2.post("/v1/products/ph2/list").status_code == 200
    fruit_before = m2.get("/v1/products/p2").json()["status"]
    r = op.patch("/v1/merchants/m2", {"categories": ["fresh.fruit"]})
    assert r.status_code == 200, r.text
    got = m2.get("/v1/products/ph2").json()
    assert got["status"] == "delisted", got
    assert m2.get("/v1/products/p2").json()["status"] == fruit_before  # its own category stays
    evs = [e for e in op.get("/v1/events", params={"type": "product.delisted"}).json()["events"]
           if e["subject"] == "ph2"]
    assert [e["payload"]["reason"] for e in evs] == ["category_removed"], evs
    r = m2.post("/v1/products/ph2/list")
    assert r.status_code == 422 and error_code(r) == "category_not_in_store"


# ---------- rescans ----------

def _lax(doc):
    set_actions(doc, "external_diversion", on_unlisted="ignore", on_listed="ignore")


def _put_on_sale_under_lax_policy(server, m1, n_bad, n_good):
    activate(server, _lax, "lax-1")
    for i in range(n_bad):
        assert create(m1, f"b{i}", detail=WECHAT).status_code == 201
        assert m1.post(f"/v1/products/b{i}/list").status_code == 200
    for i in range(n_good):
        assert create(m1, f"g{i}").status_code == 201
        assert m1.post(f"/v1/products/g{i}/list").status_code == 200


def test_a_rescan_brings_a_stricter_policy_to_what_is_on_sale(server, shop):
    m1, op = shop["m1"], shop["operator"]
    assert op.post("/v1/merchants/m1/deposit/top-ups",
                   {"amount": "20000.00", "ref": "big"}).status_code == 201
    _put_on_sale_under_lax_policy(server, m1, 4, 3)
    assert violations_of(op, "m1") == []
    activate(server, lambda d: None, "strict-1")  # the default: external diversion penalised
    r = op.post("/v1/admin/rescans", {"batch": 2, "note": "after strict-1"}, idem="rs-1")
    assert r.status_code == 201, r.text
    job = r.json()["result"]
    assert r.headers["Location"].endswith(f"/v1/admin/rescans/{job['id']}")
    assert (job["status"], job["total"], job["scanned"], job["started"]) == ("running", 8, 0, True)
    # idempotent by key; a second start while it runs answers it
    again = op.post("/v1/admin/rescans", {"batch": 2, "note": "after strict-1"}, idem="rs-1")
    assert again.json()["replayed"] and again.json()["result"]["id"] == job["id"]
    other = op.post("/v1/admin/rescans", {}, idem="rs-2")
    assert other.status_code == 200, other.text  # nothing created
    assert other.json()["result"]["id"] == job["id"] and other.json()["result"]["started"] is False
    # the steps are timers due now: moving the manual clock runs them
    assert op.post("/v1/admin/clock", {"now": "2026-01-05T09:00:01+08:00"}).status_code == 200
    got = op.get(f"/v1/admin/rescans/{job['id']}").json()
    assert got["status"] == "done" and got["scanned"] == 8 and got["violations"] == 4
    assert got["steps"] >= 4 and got["finished_at"]
    vs = violations_of(op, "m1")
    assert sorted(v["product"] for v in vs) == ["b0", "b1", "b2", "b3"]
    assert all(v["type"] == "external_diversion" and v["rescan"] == job["id"] for v in vs)
    assert all(m1.get(f"/v1/products/b{i}").json()["status"] == "banned" for i in range(4))
    assert all(m1.get(f"/v1/products/g{i}").json()["status"] == "listed" for i in range(3))
    types = [e["type"] for e in op.get("/v1/events", params={"subject": job["id"]}).json()["events"]]
    assert types[0] == "rescan.started" and types[-1] == "rescan.finished"
    assert "rescan.progressed" in types
    # a new rescan finds nothing new: no second penalty for the same findings
    r = op.post("/v1/admin/rescans", {}, idem="rs-3")
    assert r.json()["result"]["started"] is True
    op.post("/v1/admin/clock", {"now": "2026-01-05T09:00:02+08:00"})
    got = op.get(f"/v1/admin/rescans/{r.json()['result']['id']}").json()
    assert got["status"] == "done" and got["violations"] == 0 and got["total"] == 4
    assert len(violations_of(op, "m1")) == 4
    r = op.get("/v1/admin/rescans/r999")
    assert r.status_code == 404 and error_code(r) == "not_found"
    r = op.post("/v1/admin/rescans", {"batch": 0})
    assert r.status_code == 400 and error_code(r) == "invalid_value"


def test_a_part_of_another_job_supersedes_the_running_rescan(server, shop):
    """docs/penalty.md "Rescans" (cluster mode's parts): a start naming the job it is part of
    (`part_of`, set by the accepting node in cluster mode) while another rescan runs ends that
    one (done, `superseded_by`) and starts its own part; the same part again answers it, and a
    read by the job's id finds the part."""
    m1, op = shop["m1"], shop["operator"]
    _put_on_sale_under_lax_policy(server, m1, 2, 1)
    activate(server, lambda d: None, "strict-parts")
    first = op.post("/v1/admin/rescans", {"batch": 1}, idem="sp-1").json()["result"]
    assert first["started"] is True and first["status"] == "running"
    part = op.post("/v1/admin/rescans", {"batch": 1, "part_of": "r900"}, idem="sp-2")
    assert part.status_code == 201, part.text
    job = part.json()["result"]
    assert job["started"] is True and job["part_of"] == "r900" and job["id"] != first["id"]
    old = op.get(f"/v1/admin/rescans/{first['id']}").json()
    assert old["status"] == "done" and old["superseded_by"] == "r900" and old["finished_at"]
    again = op.post("/v1/admin/rescans", {"part_of": "r900"}, idem="sp-3").json()["result"]
    assert again["started"] is False and again["id"] == job["id"]
    assert op.get("/v1/admin/rescans/r900").json()["id"] == job["id"]  # the part, by its job
    op.post("/v1/admin/clock", {"now": "2026-01-05T09:00:03+08:00"})
    got = op.get(f"/v1/admin/rescans/{job['id']}").json()
    assert got["status"] == "done" and got["scanned"] == job["total"] == 4
    assert got["violations"] == 2
    assert len(violations_of(op, "m1")) == 2  # each finding penalised once
    r = op.post("/v1/admin/rescans", {"part_of": "not an id"})
    assert r.status_code == 400 and error_code(r) == "invalid_value"


def test_a_rescan_survives_kill_9_and_goes_on_where_it_stopped():
    """The job and its next step commit together: a server killed mid-job starts again, fires
    the pending step and finishes, and no product is penalised twice."""
    with tempfile.TemporaryDirectory() as tmp:
        srv = Server(tmp, clock="system")
        srv.start()
        try:
            op = srv.client("operator")
            open_store(op, "m1", "beauty.skincare")
            assert op.post("/v1/merchants/m1/deposit/top-ups",
                           {"amount": "500000.00", "ref": "huge"}).status_code == 201
            m1 = srv.client("merchant:m1")
            _put_on_sale_under_lax_policy(srv, m1, 30, 90)
            activate(srv, lambda d: None, "strict-2")
            r = op.post("/v1/admin/rescans", {"batch": 1})
            job = r.json()["result"]["id"]
            seen = None
            deadline = time.time() + 60
            while time.time() < deadline:  # kill it as soon as it has made progress
                got = op.get(f"/v1/admin/rescans/{job}").json()
                if got["scanned"] > 0:
                    seen = got
                    break
                time.sleep(0.005)
            srv.stop(signal.SIGKILL)
            assert seen is not None, "the rescan made no progress"
            assert seen["status"] == "running" and seen["scanned"] < seen["total"], seen
            srv.start()
            op = srv.client("operator")
            deadline = time.time() + 120
            while time.time() < deadline:
                got = op.get(f"/v1/admin/rescans/{job}").json()
                if got["status"] == "done":
                    break
                time.sleep(0.1)
            assert got["status"] == "done", got
            assert got["scanned"] == got["total"] == 120 and got["violations"] == 30
            vs = op.get("/v1/violations", params={"merchant": "m1", "limit": 200}).json()
            assert sorted(v["product"] for v in vs["violations"]) == sorted(
                f"b{i}" for i in range(30))
        finally:
            srv.stop(signal.SIGKILL)


def test_shopwarden_rescan_runs_a_rescan_offline(server, shop):
    m1, op = shop["m1"], shop["operator"]
    _put_on_sale_under_lax_policy(server, m1, 2, 1)
    activate(server, lambda d: None, "strict-3")
    server.stop()
    p = run_cli("rescan", "--db", server.db, "--clock", "manual", "--batch", "1", "--key", "k1")
    import json
    job = json.loads(p.stdout)
    assert job["status"] == "done" and job["scanned"] == 4 and job["violations"] == 2
    # an offline command is logged as the cli with its command line (api.md, "Audit")
    assert job["by"] == {"key": None, "role": "cli", "label": "shopwarden rescan"}, job["by"]
    again = json.loads(run_cli("rescan", "--db", server.db, "--clock", "manual", "--batch", "1",
                               "--key", "k1").stdout)
    assert again["id"] == job["id"]  # the same key starts nothing new
    p = run_cli("rescan", "--db", server.db, "--batch", "0", check=False)
    assert p.returncode == 2
    server.start()
    assert len(violations_of(server.client("operator"), "m1")) == 2


def _add_claim(term):
    def change(doc):
        lst = next(x for x in doc["scan"]["lists"] if x["rule"] == "efficacy.cosmetic_claims")
        lst["terms"].append(term)
    return change


def _run_rescan(op, idem, now):
    r = op.post("/v1/admin/rescans", {}, idem=idem)
    assert r.status_code == 201, r.text
    assert op.post("/v1/admin/clock", {"now": now}).status_code == 200  # its steps fire
    got = op.get(f"/v1/admin/rescans/{r.json()['result']['id']}").json()
    assert got["status"] == "done", got
    return got


def test_a_rescan_that_changes_the_findings_is_a_version_in_point_in_time_reads(server, shop):
    """A rescan whose findings changed keeps its scan at version + 1: a point-in-time read
    after it (now, or an instant still to come) is the live product, and one before it the
    product as it was then (docs/point-in-time.md: `scanned` sets `scan`; each sets `version`)."""
    m1, op = shop["m1"], shop["operator"]
    assert op.post("/v1/merchants/m1/deposit/top-ups",
                   {"amount": "20000.00", "ref": "pit"}).status_code == 201
    assert create(m1, "p", detail="水光焕彩新配方").status_code == 201   # v1
    assert m1.post("/v1/products/p/list").status_code == 200         # v2
    op.post("/v1/admin/clock", {"now": "2026-01-05T10:00:00+08:00"})
    assert m1.patch("/v1/products/p", {"title": CLAIMS}).status_code == 200   # v3, queued
    before = m1.get("/v1/products/p").json()
    assert before["version"] == 3
    op.post("/v1/admin/clock", {"now": "2026-01-05T11:00:00+08:00"})
    activate(server, _add_claim("水光焕彩"), "claims-plus-1")
    got = _run_rescan(op, "pit-rescan", "2026-01-05T12:00:00+08:00")
    assert got["changed"] == 1
    live = m1.get("/v1/products/p").json()
    assert live["version"] == 4 and live["scan"]["product_version"] == 4
    assert "水光焕彩" in {f["evidence"] for f in live["scan"]["findings"]}
    for at in ("2026-01-05T12:00:00+08:00", "2027-06-01T00:00:00Z"):
        r = m1.get("/v1/products/p", params={"at": at})
        assert r.status_code == 200, r.text
        assert r.json() == live, at
    then = m1.get("/v1/products/p", params={"at": "2026-01-05T10:30:00+08:00"}).json()
    assert then["version"] == 3 and then["scan"]["product_version"] == 3
    assert then["scan"]["findings"] == before["scan"]["findings"]


def test_a_ban_by_the_same_edit_is_no_change_of_the_queued_finding(server, shop):
    """One edit queues a claim and bans the product for a contact: the ban moves the product's
    version, not its content, so the queued item is not shown as changed and still confirms."""
    m1, op = shop["m1"], shop["operator"]
    assert op.post("/v1/merchants/m1/deposit/top-ups",
                   {"amount": "20000.00", "ref": "ban-same-edit"}).status_code == 201
    assert create(m1, "bq").status_code == 201
    assert m1.post("/v1/products/bq/list").status_code == 200
    r = m1.patch("/v1/products/bq", {"title": CLAIMS, "detail": "售后加微信 yanxi_777"})
    assert r.status_code == 200, r.text
    scanned = r.json()["result"]["scan"]["product_version"]
    [q] = [v for v in op.get("/v1/queue").json()["pending_violations"] if v["product"] == "bq"]
    assert m1.get("/v1/products/bq").json()["status"] == "banned"
    assert q["product_version"] == scanned and q["product_version_now"] > scanned, q
    assert q["product_changed"] is False, q
    assert op.post(f"/v1/violations/{q['id']}/confirm").status_code == 200


def test_a_rescan_that_finds_the_same_under_a_new_policy_version_leaves_the_product(server, shop):
    """A finding's identity is its rule and evidence: a rescan under a new policy version that
    finds what the last scan found leaves the product alone (same version, no change for the
    queue, If-Match on its version still good), while a new finding is still a change."""
    m1, op = shop["m1"], shop["operator"]
    assert op.post("/v1/merchants/m1/deposit/top-ups",
                   {"amount": "20000.00", "ref": "same"}).status_code == 201
    assert create(m1, "q").status_code == 201
    assert m1.post("/v1/products/q/list").status_code == 200
    assert m1.patch("/v1/products/q", {"title": CLAIMS}).status_code == 200
    [pending] = [v for v in op.get("/v1/queue").json()["pending_violations"]
                 if v["product"] == "q"]
    before = m1.get("/v1/products/q")
    version = before.json()["version"]
    assert pending["product_changed"] is False
    activate(server, lambda d: None, "same-findings-2")  # the same rules, another version
    got = _run_rescan(op, "same-rescan", "2026-01-05T09:30:00+08:00")
    assert got["scanned"] >= 1 and got["changed"] == 0 and got["violations"] == 0
    after = m1.get("/v1/products/q")
    assert after.json()["version"] == version
    assert after.headers["ETag"] == before.headers["ETag"]
    [pending] = [v for v in op.get("/v1/queue").json()["pending_violations"]
                 if v["product"] == "q"]
    assert pending["product_changed"] is False and pending["product_version_now"] == version
    r = m1.get("/v1/products/q", params={"at": "2027-06-01T00:00:00Z"})
    assert r.json() == after.json()
    r = m1.patch("/v1/products/q", {"stock": 5}, headers={"If-Match": before.headers["ETag"]})
    assert r.status_code == 200, r.text


# ---------- a decided finding stays decided ----------

def test_an_edit_that_keeps_a_dismissed_finding_queues_nothing_again(server, shop):
    """Issue 16: findings introduced by an edit of a listed product become violations; a claim
    the operator dismissed that the product kept is none an edit introduced (an edit of the title
    alone, or a rescan, queues nothing), while one removed and written again is."""
    m1, op = shop["m1"], shop["operator"]
    assert create(m1, "kd1").status_code == 201
    assert m1.post("/v1/products/kd1/list").status_code == 200
    m1.patch("/v1/products/kd1", {"detail": CLAIMS})
    [q] = op.get("/v1/queue").json()["pending_violations"]
    assert op.post(f"/v1/violations/{q['id']}/dismiss").status_code == 200
    r = m1.patch("/v1/products/kd1", {"title": "补水面霜 新包装"})
    assert r.status_code == 200, r.text
    assert op.get("/v1/queue").json()["pending_violations"] == []
    got = _run_rescan(op, "kd1-rescan", "2026-01-05T09:30:00+08:00")
    assert got["violations"] == 0
    assert op.get("/v1/queue").json()["pending_violations"] == []
    # a claim removed and written again is brought in again: queued again
    assert m1.patch("/v1/products/kd1", {"detail": "补水保湿"}).status_code == 200
    assert m1.patch("/v1/products/kd1", {"detail": CLAIMS}).status_code == 200
    [again] = op.get("/v1/queue").json()["pending_violations"]
    assert again["id"] != q["id"] and again["product"] == "kd1"


def test_an_edit_that_keeps_what_an_upheld_appeal_overturned_is_not_fined_again(server, shop):
    """RULES §3: an upheld appeal reverses the violation; the finding it was about is then no
    violation of that product, and an edit that keeps it (of the title) queues nothing again."""
    m1, op = shop["m1"], shop["operator"]
    assert create(m1, "ku1").status_code == 201
    assert m1.post("/v1/products/ku1/list").status_code == 200
    m1.patch("/v1/products/ku1", {"detail": CLAIMS})
    [q] = op.get("/v1/queue").json()["pending_violations"]
    assert op.post(f"/v1/violations/{q['id']}/confirm").status_code == 200
    a = m1.post(f"/v1/violations/{q['id']}/appeals", {"reason": "成分表可证"}).json()["result"]
    r = op.post(f"/v1/appeals/{a['id']}/decision", {"decision": "uphold", "note": "核实"})
    assert r.status_code == 200, r.text
    assert m1.get("/v1/products/ku1").json()["status"] == "delisted"  # not relisted by itself
    # under a policy that penalises claims off sale too, an edit of it reaches the penalty module
    activate(server, lambda d: set_actions(d, "exaggerated_efficacy", on_unlisted="penalise"),
             "kept-overturned-1")
    before = deposit(op, "m1")
    assert m1.patch("/v1/products/ku1", {"title": "补水面霜 新版"}).status_code == 200
    assert op.get("/v1/queue").json()["pending_violations"] == []
    assert [x["status"] for x in violations_of(op, "m1") if x["product"] == "ku1"] == ["overturned"]
    assert deposit(op, "m1")["balance_fen"] == before["balance_fen"]


def test_a_dismissed_claim_removed_and_written_again_off_sale_is_queued_when_listed(server, shop):
    """A claim the store removed is no longer the one the operator dismissed: written again
    while the product is off sale (a policy that ignores findings there) and listed, it is
    queued again (found by an independent adversarial pass)."""
    m1, op = shop["m1"], shop["operator"]
    activate(server, lambda d: set_actions(d, "exaggerated_efficacy", on_unlisted="ignore"),
             "claims-ignored-off-sale")
    assert create(m1, "kr1").status_code == 201
    assert m1.post("/v1/products/kr1/list").status_code == 200
    m1.patch("/v1/products/kr1", {"detail": CLAIMS})
    [q] = op.get("/v1/queue").json()["pending_violations"]
    assert op.post(f"/v1/violations/{q['id']}/dismiss").status_code == 200
    assert m1.post("/v1/products/kr1/delist").status_code == 200
    assert m1.patch("/v1/products/kr1", {"detail": "补水保湿"}).status_code == 200
    assert m1.patch("/v1/products/kr1", {"detail": CLAIMS}).status_code == 200
    assert op.get("/v1/queue").json()["pending_violations"] == []  # off sale: ignored
    assert m1.post("/v1/products/kr1/list").status_code == 200
    [again] = op.get("/v1/queue").json()["pending_violations"]
    assert again["id"] != q["id"] and again["product"] == "kr1"


def test_a_fixed_inconsistency_written_again_is_a_new_violation(server, shop):
    """RULES §3: key_info_inconsistent bans until an edit fixes it; written again after the
    fix, it is a new finding, not one the old violation in force still covers (found by an
    independent adversarial pass)."""
    m1, op = shop["m1"], shop["operator"]
    # penalised off sale too: the store, restricted by the violation, cannot relist it
    activate(server, lambda d: set_actions(d, "key_info_inconsistent", on_unlisted="penalise"),
             "inconsistency-off-sale")
    assert create(m1, "kf1", freight_fen=800).status_code == 201
    assert m1.post("/v1/products/kf1/list").status_code == 200
    m1.patch("/v1/products/kf1", {"detail": "全国包邮"})
    [q] = op.get("/v1/queue").json()["pending_violations"]
    assert op.post(f"/v1/violations/{q['id']}/confirm").status_code == 200
    assert m1.get("/v1/products/kf1").json()["status"] == "banned"
    assert m1.patch("/v1/products/kf1", {"detail": "运费8元"}).status_code == 200
    assert m1.get("/v1/products/kf1").json()["status"] != "banned"
    assert m1.patch("/v1/products/kf1", {"detail": "全国包邮"}).status_code == 200
    [again] = op.get("/v1/queue").json()["pending_violations"]
    assert again["id"] != q["id"] and again["type"] == "key_info_inconsistent"
