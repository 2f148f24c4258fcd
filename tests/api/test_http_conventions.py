"""HTTP conventions (issue 11, docs/api.md "HTTP conventions"): Location on 201, ETag and
If-Match (412 version_mismatch), Allow on 405, HEAD on every GET route, the --listen forms,
the maintenance reason, and the order and wording of errors."""
import http.client
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.parse

import pytest
import requests

from conftest import BIN, COMPLETE, Server, error_code, on_sale, open_store, run_cli

WECHAT = "加微信 abc12345 领券"


def created(r, collection):
    """A 201 whose Location is collection/<the created id>."""
    assert r.status_code == 201, r.text
    loc = r.headers.get("Location")
    assert loc, f"no Location on {r.request.method} {r.request.url}"
    assert loc == f"{collection}/{r.json()['result']['id']}", loc
    return loc


def etag(r):
    tag = r.headers.get("ETag")
    assert tag and re.fullmatch(r'"\d+"', tag), f"strong quoted ETag expected, got {tag!r}"
    return tag


def banned_violation(m1):
    """A listed product edited to hold a WeChat id: banned at once, with a violation in force."""
    r = on_sale(m1, {"id": "w1", "title": "补水面膜", "category": "beauty.skincare",
                     "price": "59.00", "detail": WECHAT, **COMPLETE})
    assert r.status_code == 201, r.text
    [v] = m1.get("/v1/violations", params={"merchant": "m1"}).json()["violations"]
    return v


# ---------- Location ----------

def test_every_201_has_a_location_that_can_be_read(server, shop):
    op, m1 = shop["operator"], shop["m1"]
    admin = server.admin()
    r = op.post("/v1/merchants", {"id": "m9", "name": "store m9", "categories": ["fresh.fruit"]})
    loc = created(r, "/v1/merchants")
    assert op.get(loc).json()["id"] == "m9"
    r = m1.post("/v1/products", {"id": "p7", "title": "身体乳", "category": "beauty.skincare",
                                 "price": "19.00", **COMPLETE})
    loc = created(r, "/v1/products")
    assert m1.get(loc).json()["id"] == "p7"
    r = op.post("/v1/violations", {"product": "p1", "type": "external_diversion",
                                   "evidence": ["shot.png"]})
    loc = created(r, "/v1/violations")
    v = op.get(loc).json()
    assert v["id"] == r.json()["result"]["id"]
    r = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "误判"})
    loc = created(r, "/v1/appeals")
    assert m1.get(loc).status_code == 200
    # A ledger entry has no URL of its own: the store's deposit lists it.
    for kind in ("top-ups", "releases"):
        r = op.post(f"/v1/merchants/m9/deposit/{kind}", {"amount_fen": 100, "ref": f"x-{kind}"})
        assert r.status_code == 201, r.text
        assert r.headers["Location"] == "/v1/merchants/m9/deposit"
        entries = op.get(r.headers["Location"]).json()["entries"]
        assert f"x-{kind}" in [e.get("ref") for e in entries]
    r = admin.post("/v1/admin/keys", {"role": "operator"})
    assert r.status_code == 201 and r.headers["Location"] == "/v1/admin/keys"


def test_a_replayed_create_has_the_same_location(server, operator):
    body = {"id": "m5", "name": "store m5", "categories": ["fresh.fruit"]}
    first = operator.post("/v1/merchants", body, idem="mk-5")
    again = operator.post("/v1/merchants", body, idem="mk-5")
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert first.headers["Location"] == again.headers["Location"] == "/v1/merchants/m5"


# ---------- ETag / If-Match ----------

def test_single_object_reads_answer_an_etag_of_the_version(server, shop):
    op, m1 = shop["operator"], shop["m1"]
    v = banned_violation(m1)
    a = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "误判"}).json()["result"]
    for path in ("/v1/merchants/m1", "/v1/products/p1", f"/v1/violations/{v['id']}",
                 f"/v1/appeals/{a['id']}", "/v1/merchants/m1/deposit"):
        r = op.get(path)
        assert r.status_code == 200, (path, r.text)
        assert etag(r) == f'"{r.json()["version"]}"', path
        # a conditional read of the same version is 304 without a body
        r2 = op.get(path, headers={"If-None-Match": etag(r)})
        assert r2.status_code == 304 and r2.content == b"", path
    # each change is a new version
    before = etag(op.get("/v1/merchants/m1"))
    assert op.post("/v1/merchants/m1/restrict", {"reason": "抽检"}).status_code == 200
    assert etag(op.get("/v1/merchants/m1")) != before
    before = etag(op.get(f"/v1/violations/{v['id']}"))
    assert op.post(f"/v1/appeals/{a['id']}/decision",
                   {"decision": "reject", "note": "证据不足"}).status_code == 200
    assert etag(op.get(f"/v1/violations/{v['id']}")) != before
    before = etag(op.get("/v1/merchants/m1/deposit"))
    assert op.post("/v1/merchants/m1/deposit/top-ups",
                   {"amount_fen": 5, "ref": "pay-etag"}).status_code == 201
    assert etag(op.get("/v1/merchants/m1/deposit")) != before


def test_if_match_with_an_old_version_is_412_and_changes_nothing(server, shop):
    op = shop["operator"]
    tag = etag(op.get("/v1/merchants/m1"))
    assert op.patch("/v1/merchants/m1", {"name": "新名字"}).status_code == 200
    events = len(op.get("/v1/events", params={"limit": 1000}).json()["events"])
    r = op.patch("/v1/merchants/m1", {"name": "旧版本上的改动"}, headers={"If-Match": tag})
    assert r.status_code == 412 and error_code(r) == "version_mismatch", r.text
    assert r.json()["error"]["details"]["field"] == "If-Match"
    assert op.get("/v1/merchants/m1").json()["name"] == "新名字"
    assert len(op.get("/v1/events", params={"limit": 1000}).json()["events"]) == events
    # the current version succeeds, and the answer carries the next one
    cur = op.get("/v1/merchants/m1")
    r = op.patch("/v1/merchants/m1", {"name": "第三个名字"}, headers={"If-Match": etag(cur)})
    assert r.status_code == 200, r.text
    assert r.json()["result"]["version"] > cur.json()["version"]
    # a weak tag never matches; a malformed one is a 400; "*" asks for nothing
    r = op.patch("/v1/merchants/m1", {"name": "x"}, headers={"If-Match": "W/" + etag(op.get("/v1/merchants/m1"))})
    assert r.status_code == 412 and error_code(r) == "version_mismatch"
    r = op.patch("/v1/merchants/m1", {"name": "x"}, headers={"If-Match": "seven"})
    assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "If-Match"
    assert op.patch("/v1/merchants/m1", {"name": "y"}, headers={"If-Match": "*"}).status_code == 200
    # a route whose command has no object to compare says so
    r = op.post("/v1/merchants", {"id": "m8", "name": "m8", "categories": ["fresh.fruit"]},
                headers={"If-Match": '"1"'})
    assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "If-Match"
    # "*" too: a create has no object to exist yet, and nothing is created
    for path, body in (("/v1/merchants", {"id": "m9", "name": "m9", "categories": ["fresh.fruit"]}),
                       ("/v1/products", {"id": "p9", "merchant": "m1", "title": "苹果",
                                         "category": "fresh.fruit", "price": "9.90"})):
        r = op.post(path, body, headers={"If-Match": "*"})
        assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "If-Match", r.text
    assert op.get("/v1/merchants/m9").status_code == 404
    assert op.get("/v1/products/p9").status_code == 404


@pytest.mark.parametrize("action", ["list", "delist", "ban", "unban", "patch"])
def test_if_match_on_product_actions(server, shop, action):
    op, m1 = shop["operator"], shop["m1"]
    if action in ("list", "unban"):
        setup = "delist" if action == "list" else "ban"
        assert op.post(f"/v1/products/p1/{setup}").status_code == 200
    stale = '"1"'
    cur = etag(op.get("/v1/products/p1"))
    assert cur != stale

    def send(tag):
        h = {"If-Match": tag}
        if action == "patch":
            return m1.patch("/v1/products/p1", {"stock": 3}, headers=h)
        return op.post(f"/v1/products/p1/{action}", headers=h)
    r = send(stale)
    assert r.status_code == 412 and error_code(r) == "version_mismatch", r.text
    assert etag(op.get("/v1/products/p1")) == cur
    r = send(cur)
    assert r.status_code == 200, r.text


def test_if_match_on_violation_and_appeal_actions(server, shop):
    op, m1 = shop["operator"], shop["m1"]
    v = banned_violation(m1)
    vtag = etag(op.get(f"/v1/violations/{v['id']}"))
    # filing an appeal with the violation's version works; filing it moved the violation
    r = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "误判"}, headers={"If-Match": vtag})
    assert r.status_code == 201, r.text
    a = r.json()["result"]
    r = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "again"}, headers={"If-Match": vtag})
    assert r.status_code == 412 and error_code(r) == "version_mismatch"
    atag = etag(op.get(f"/v1/appeals/{a['id']}"))
    r = op.post(f"/v1/appeals/{a['id']}/decision", {"decision": "reject", "note": "x"},
                headers={"If-Match": '"999"'})
    assert r.status_code == 412
    assert op.get(f"/v1/appeals/{a['id']}").json()["status"] == "open"
    r = op.post(f"/v1/appeals/{a['id']}/decision", {"decision": "reject", "note": "x"},
                headers={"If-Match": atag})
    assert r.status_code == 200, r.text
    # a queued finding (the store topped up again, so that it can list): confirm with a stale
    # version, then with the current one
    assert op.post("/v1/merchants/m1/deposit/top-ups",
                   {"amount": "2000.00", "ref": "ifm-1"}).status_code == 201
    r = on_sale(m1, {"id": "e1", "title": "美白祛斑精华", "category": "beauty.skincare",
                     "price": "199.00", **COMPLETE})
    assert r.status_code == 201, r.text
    [pending] = op.get("/v1/queue").json()["pending_violations"]
    ptag = etag(op.get(f"/v1/violations/{pending['id']}"))
    r = op.post(f"/v1/violations/{pending['id']}/confirm", headers={"If-Match": '"999"'})
    assert r.status_code == 412 and error_code(r) == "version_mismatch"
    assert op.get(f"/v1/violations/{pending['id']}").json()["status"] == "pending"
    r = op.post(f"/v1/violations/{pending['id']}/confirm", headers={"If-Match": ptag})
    assert r.status_code == 200, r.text
    assert f'"{r.json()["result"]["version"]}"' == etag(op.get(f"/v1/violations/{pending['id']}"))


def test_operator_and_merchant_editing_at_once_cannot_overwrite_each_other(server, shop):
    """Both read the product at the same version; whichever writes second with If-Match is
    told, and the first one's change stays."""
    op, m1 = shop["operator"], shop["m1"]
    seen_by_merchant = etag(m1.get("/v1/products/p1"))
    seen_by_operator = etag(op.get("/v1/products/p1"))
    assert seen_by_merchant == seen_by_operator
    r = op.post("/v1/products/p1/delist", {"reason": "抽检"}, headers={"If-Match": seen_by_operator})
    assert r.status_code == 200, r.text
    r = m1.patch("/v1/products/p1", {"title": "烟酰胺身体乳 250ml"},
                 headers={"If-Match": seen_by_merchant})
    assert r.status_code == 412 and error_code(r) == "version_mismatch"
    p = m1.get("/v1/products/p1").json()
    assert p["status"] == "delisted" and p["title"] == "烟酰胺身体乳 200ml"
    # many writers racing on one version: exactly one wins
    import concurrent.futures as cf
    tag = etag(op.get("/v1/products/p1"))
    clients = [server.client("operator") for _ in range(4)] + [server.client("merchant:m1")
                                                                for _ in range(4)]
    with cf.ThreadPoolExecutor(8) as ex:
        results = list(ex.map(lambda c: c[1].patch("/v1/products/p1", {"stock": 100 + c[0]},
                                                   headers={"If-Match": tag}).status_code,
                              enumerate(clients)))
    assert sorted(results) == [200] + [412] * 7, results


def test_a_replay_answers_the_first_answer_even_after_the_version_moved(server, shop):
    op = shop["operator"]
    tag = etag(op.get("/v1/merchants/m1"))
    first = op.patch("/v1/merchants/m1", {"name": "A"}, idem="edit-1", headers={"If-Match": tag})
    assert first.status_code == 200
    assert op.patch("/v1/merchants/m1", {"name": "B"}).status_code == 200
    again = op.patch("/v1/merchants/m1", {"name": "A"}, idem="edit-1", headers={"If-Match": tag})
    assert again.status_code == 200 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["result"] == first.json()["result"]
    assert op.get("/v1/merchants/m1").json()["name"] == "B"


def test_if_match_on_deposit_writes(server, shop):
    op = shop["operator"]
    tag = etag(op.get("/v1/merchants/m1/deposit"))
    r = op.post("/v1/merchants/m1/deposit/releases", {"amount_fen": 1, "ref": "rel-1"},
                headers={"If-Match": '"1"'})
    assert r.status_code == 412 and error_code(r) == "version_mismatch"
    r = op.post("/v1/merchants/m1/deposit/releases", {"amount_fen": 1, "ref": "rel-1"},
                headers={"If-Match": tag})
    assert r.status_code == 201, r.text


# ---------- Allow / HEAD ----------

@pytest.mark.parametrize("method,path,allow", [
    ("DELETE", "/v1/merchants/m1", {"GET", "HEAD", "PATCH"}),
    ("PUT", "/v1/merchants", {"GET", "HEAD", "POST"}),
    ("GET", "/v1/merchants/m1/restrict", {"POST"}),
    ("POST", "/healthz", {"GET", "HEAD"}),
    ("PATCH", "/v1/merchants/m1/grants/app1", {"DELETE"}),
    ("DELETE", "/v1/admin/maintenance", {"GET", "HEAD", "POST"}),
])
def test_405_lists_the_allowed_methods(server, method, path, allow):
    r = server.admin().raw(method, path)
    assert r.status_code == 405 and error_code(r) == "method_not_allowed"
    assert {m.strip() for m in r.headers["Allow"].split(",")} == allow


def head_and_get(base, key, path):
    u = urllib.parse.urlsplit(base)
    out = []
    for method in ("HEAD", "GET"):
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        c.request(method, path, headers={"Authorization": f"Bearer {key}"})
        r = c.getresponse()
        body = r.read()
        out.append((r.status, dict(r.getheaders()), body))
        c.close()
    return out


def test_head_on_every_get_route(server, shop):
    op, m1 = shop["operator"], shop["m1"]
    v = banned_violation(m1)
    a = m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "误判"}).json()["result"]
    ids = {"/v1/merchants/{id}": "m1", "/v1/products/{id}": "p1",
           "/v1/violations/{id}": v["id"], "/v1/appeals/{id}": a["id"], "/v1/orders/{id}": "o1"}
    routes = [line.split(" ", 1) for line in run_cli("routes").stdout.splitlines()]
    gets = [p for m, p in routes if m == "GET"]
    assert len(gets) >= 15
    key = server.key("admin")
    for pattern in gets:
        path = ids.get(pattern) and pattern.replace("{id}", ids[pattern]) or \
            pattern.replace("{id}", "m1")
        if "/v1/orders" in pattern and "{id}" not in pattern:
            path += "?merchant=m1"
        (hs, hh, hb), (gs, gh, gb) = head_and_get(server.base, key, path)
        assert hs == gs, (pattern, hs, gs)
        assert hb == b"", pattern
        assert hh.get("Content-Type") == gh.get("Content-Type"), pattern
        if pattern != "/metrics":  # its counters move between the two requests
            assert int(hh["Content-Length"]) == len(gb), pattern
        if "ETag" in gh:
            assert hh.get("ETag") == gh["ETag"], pattern


def test_head_of_a_write_only_path_is_405(server):
    r = server.admin().raw("HEAD", "/v1/scan")
    assert r.status_code == 405 and r.headers["Allow"] == "POST"


# ---------- --listen ----------

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(db, listen):
    p = subprocess.Popen([BIN, "serve", "--db", db, "--listen", listen, "--clock", "manual"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = ""
    deadline = time.time() + 30
    while "listening on" not in line and time.time() < deadline:
        line = p.stdout.readline()
        if not line:
            break
    return p, line


@pytest.mark.parametrize("form,connect", [
    ("localhost:{port}", "127.0.0.1"),
    (":{port}", "127.0.0.1"),
    ("127.0.0.1:{port}", "127.0.0.1"),
    ("[::1]:{port}", "::1"),
])
def test_listen_forms(form, connect):
    if connect == "::1" and not socket.has_ipv6:
        pytest.skip("no IPv6")
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        p, line = start(os.path.join(tmp, "sw.db"), form.format(port=port))
        try:
            assert "listening on" in line, p.stderr.read() if p.poll() is not None else line
            host = f"[{connect}]" if ":" in connect else connect
            r = requests.get(f"http://{host}:{port}/healthz", timeout=10)
            assert r.status_code == 200
        finally:
            p.terminate()
            p.wait(timeout=30)


@pytest.mark.parametrize("bad", ["8080", "localhost", "host:80", "1.2.3:80", ":", ":http",
                                 "127.0.0.1:70000", "::1:80", "[::1]80", "127.0.0.1:-1"])
def test_bad_listen_is_a_clear_error_and_exit_2(bad):
    with tempfile.TemporaryDirectory() as tmp:
        p = run_cli("serve", "--db", os.path.join(tmp, "sw.db"), "--listen", bad, check=False)
        assert p.returncode == 2, (bad, p.returncode, p.stderr)
        assert p.stderr.startswith("shopwarden serve: bad --listen"), p.stderr
        assert bad in p.stderr


# ---------- maintenance reason ----------

def test_maintenance_reason_in_the_503_and_the_state_and_after_a_restart(server, operator):
    admin = server.admin()
    reason = "数据库迁移 (DB migration), back at 10:00"
    r = admin.post("/v1/admin/maintenance", {"enabled": True, "retry_after_s": 30,
                                             "reason": reason})
    assert r.status_code == 200, r.text
    r = operator.post("/v1/merchants", {"id": "m3", "name": "m3", "categories": ["fresh.fruit"]})
    assert r.status_code == 503 and error_code(r) == "maintenance"
    assert r.json()["error"]["details"]["reason"] == reason
    assert reason in r.json()["error"]["message"]
    st = admin.get("/v1/admin/maintenance").json()
    assert st == {"enabled": True, "retry_after_s": 30, "reason": reason}
    server.stop()
    server.start()
    admin = server.admin()
    assert admin.get("/v1/admin/maintenance").json()["reason"] == reason
    r = server.api(admin.key).post("/v1/merchants", {"id": "m3", "name": "m3",
                                                     "categories": ["fresh.fruit"]})
    assert r.status_code == 503 and r.json()["error"]["details"]["reason"] == reason
    # a change without a reason leaves none
    assert admin.post("/v1/admin/maintenance", {"enabled": False}).status_code == 200
    assert admin.get("/v1/admin/maintenance").json()["reason"] is None
    assert admin.post("/v1/admin/maintenance", {"enabled": True}).status_code == 200
    r = admin.post("/v1/merchants", {"id": "m3", "name": "m3", "categories": ["fresh.fruit"]})
    assert r.status_code == 503 and r.json()["error"]["details"]["reason"] is None
    r = admin.post("/v1/admin/maintenance", {"enabled": False, "reason": "x" * 513})
    assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "reason"


# ---------- error order and messages ----------

def test_several_problems_report_the_first_in_field_order_named_as_sent(server, operator):
    open_store(operator, "m1", "fresh.fruit")
    top_up = "/v1/merchants/m1/deposit/top-ups"
    cases = [
        # the amount comes before ref: its problem is reported, named as the client sent it
        ({"amount": "-5.00"}, "amount"),
        ({"amount": "0.00"}, "amount"),
        ({"amount_fen": 0}, "amount_fen"),
        ({"amount": "1.00", "amount_fen": 100, "ref": "r"}, "amount"),
        ({"ref": "r"}, "amount"),
        ({"amount": "1.00"}, "ref"),
        ({"amount": "1.00", "ref": "r", "note": 5}, "note"),
        # an unknown key is reported first (a misspelt field is no missing one)
        ({"amout": "1.00"}, "amout"),
    ]
    for body, field in cases:
        r = operator.post(top_up, body)
        assert r.status_code == 400, (body, r.text)
        err = r.json()["error"]
        assert err["details"].get("field") == field, (body, err)
    # an amount sent in yuan is never called amount_fen
    for body in ({"amount": "-5.00", "ref": "r"}, {"amount": "0.00"}):
        assert "amount_fen" not in operator.post(top_up, body).json()["error"]["message"]
    # a release larger than the balance names the field sent
    r = operator.post("/v1/merchants/m1/deposit/releases", {"amount": "99999999.00", "ref": "big"})
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "amount", r.text
    r = operator.post("/v1/products", {"id": "q1", "merchant": "m1", "title": "橙子",
                                       "category": "fresh.fruit", **COMPLETE})
    assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "price", r.text


def test_no_internal_keys_in_messages(server, operator):
    open_store(operator, "m9", "fresh.fruit")
    path = "/v1/merchants/m9/deposit/top-ups"
    assert operator.post(path, {"amount_fen": 100, "ref": "pay-001"}).status_code == 201
    r = operator.post(path, {"amount_fen": 200, "ref": "pay-001"})
    assert r.status_code == 409 and error_code(r) == "idempotency_conflict", r.text
    err = r.json()["error"]
    assert "deposit.top_up" not in err["message"] and "m9:pay-001" not in err["message"], err
    assert "pay-001" in err["message"] and err["details"]["field"] == "ref"


def test_reinstating_a_store_held_for_its_deposit_says_who_lifts_the_hold(server, operator):
    # held for its deposit only
    r = operator.post("/v1/merchants", {"id": "m4", "name": "m4", "categories": ["fresh.fruit"]})
    assert r.json()["result"]["holds"] == ["deposit"]
    r = operator.post("/v1/merchants/m4/reinstate")
    assert r.status_code == 409, r.text
    msg = r.json()["error"]["message"]
    assert "deposit" in msg and "top-up" in msg and "not by an operator" in msg, msg
    # held by the operator and for its deposit: reinstate lifts the operator's hold only
    assert operator.post("/v1/merchants/m4/restrict", {"reason": "抽检"}).status_code == 200
    r = operator.post("/v1/merchants/m4/reinstate")
    assert r.status_code == 200, r.text
    assert r.json()["result"]["holds"] == ["deposit"]
    assert r.json()["result"]["status"] == "restricted"
    r = operator.post("/v1/merchants/m4/reinstate")
    assert r.status_code == 409 and "top-up" in r.json()["error"]["message"]
