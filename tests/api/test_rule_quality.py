"""Rule quality from the log's own labels (issue 17): per rule and policy version, the
violations it led to, how many were appealed, overturned on appeal (the operator's uphold is the
label) or dismissed from the queue, and the overturn rate; GET /v1/admin/rules/quality, for
staff and analysts (analyst:<name>), never for stores.

Violations are made through listed products that an edit gives a finding, so that the scanner
decides them as a platform's inspection would."""
import pytest

from conftest import COMPLETE, error_code

WECHAT = "有问题加微信 shop_helper88 咨询"
WHITENING = "美白祛斑精华"


def edit(api, pid, **fields):
    r = api.patch(f"/v1/products/{pid}", fields)
    assert r.status_code == 200, r.text
    return r


def listed(api, pid, title="补水面膜"):
    r = api.post("/v1/products", {"id": pid, "title": title, "category": "beauty.skincare",
                                  "price": "59.00", "stock": 5, **COMPLETE})
    assert r.status_code == 201, r.text
    r = api.post(f"/v1/products/{pid}/list")
    assert r.status_code == 200, r.text


def quality(api, **params):
    r = api.get("/v1/admin/rules/quality", params=params)
    assert r.status_code == 200, r.text
    return {(x["rule"], x["policy_version"]): x for x in r.json()["rules"]}


def violation_of(api, mid, product):
    vs = api.get("/v1/violations", params={"merchant": mid, "product": product}).json()
    return vs["violations"]


@pytest.fixture
def labelled(server, shop):
    """m1 with three diversion violations (one upheld on appeal, one appeal rejected, one never
    appealed) and two queued efficacy findings (one dismissed, one confirmed)."""
    m1, op = shop["m1"], shop["operator"]
    # above the requirement by more than the three deductions, so that the store stays active
    r = op.post("/v1/merchants/m1/deposit/top-ups", {"amount": "10000.00", "ref": "q-top"})
    assert r.status_code == 201, r.text
    for pid in ("d1", "d2", "d3", "e1", "e2"):
        listed(m1, pid)
    for pid in ("d1", "d2", "d3"):
        edit(m1, pid, detail=WECHAT)
    vs = {pid: violation_of(op, "m1", pid) for pid in ("d1", "d2", "d3")}
    assert all(len(v) == 1 and v[0]["status"] == "in_force" for v in vs.values()), vs
    decisions = {"d1": "uphold", "d2": "reject"}
    for pid, decision in decisions.items():
        r = m1.post(f"/v1/violations/{vs[pid][0]['id']}/appeals", {"reason": "这是售后账号"})
        assert r.status_code == 201, r.text
        r = op.post(f"/v1/appeals/{r.json()['result']['id']}/decision",
                    {"decision": decision, "note": "核实"})
        assert r.status_code == 200, r.text
    for pid in ("e1", "e2"):
        edit(m1, pid, title=WHITENING)
    queue = op.get("/v1/queue").json()["pending_violations"]
    pending = {v["product"]: v["id"] for v in queue}
    assert set(pending) >= {"e1", "e2"}, queue
    assert op.post(f"/v1/violations/{pending['e1']}/dismiss",
                   {"note": "许可的特殊用途化妆品"}).status_code == 200
    assert op.post(f"/v1/violations/{pending['e2']}/confirm", {"note": "确认"}).status_code == 200
    return shop


def test_each_rule_counts_how_its_violations_ended(server, labelled):
    op = labelled["operator"]
    version = op.get("/v1/policy").json()["version"]
    q = quality(op)
    wechat = q[("diversion.wechat", version)]
    assert wechat["type"] == "external_diversion"
    assert (wechat["violations"], wechat["in_force"], wechat["appealed"], wechat["overturned"],
            wechat["dismissed"], wechat["pending"]) == (3, 2, 2, 1, 0, 0)
    # of the three that took effect, one was overturned
    assert wechat["overturn_rate"] == pytest.approx(1 / 3)
    assert wechat["dismiss_rate"] == 0
    claims = [x for (rule, v), x in q.items() if x["type"] == "exaggerated_efficacy"]
    assert sum(x["violations"] for x in claims) == 2
    assert sum(x["dismissed"] for x in claims) == 1 and sum(x["in_force"] for x in claims) == 1
    assert all(x["overturned"] == 0 for x in claims)


def test_filters_and_who_may_read(server, labelled):
    op = labelled["operator"]
    version = op.get("/v1/policy").json()["version"]
    only = quality(op, rule="diversion.wechat")
    assert list(only) == [("diversion.wechat", version)]
    assert quality(op, policy_version="no-such-version") == {}
    analyst = server.client("analyst:ana")
    assert quality(analyst) == quality(op)
    # an analyst reads and decides nothing
    pending = op.get("/v1/queue").json()["pending_violations"]
    r = analyst.post("/v1/merchants/m1/deposit/top-ups", {"amount_fen": 1, "ref": "x"})
    assert r.status_code == 403 and error_code(r) == "forbidden"
    assert pending == op.get("/v1/queue").json()["pending_violations"]
    for role in ("merchant:m1", "ingest", "promoter:pr1"):
        r = server.client(role).get("/v1/admin/rules/quality")
        assert r.status_code == 403, role


def test_nothing_yet_divides_by_nothing(server, operator):
    assert quality(operator) == {}
