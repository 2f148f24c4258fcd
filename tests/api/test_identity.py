"""Who did it (issue 11): every command, event and decision names the API key that acted
({key, role, label}), idempotency keys belong to the key that sent them, merchant.created says
what the store really is, and keys have labels, expiry, a list and references that exist."""
import hashlib
import json
import os
import sqlite3

import pytest

from conftest import COMPLETE, Api, Server, error_code, on_sale, open_store, run_cli

WECHAT = "加微信 abc12345 了解更多"


def make_key(server, role, kid, label=None, **extra):
    body = {"role": role, "id": kid, **extra}
    if label is not None:
        body["label"] = label
    r = server.admin().post("/v1/admin/keys", body)
    assert r.status_code == 201, r.text
    return server.api(r.json()["result"]["key"])


def events(api, **params):
    r = api.get("/v1/events", params={"limit": 1000, **params})
    assert r.status_code == 200, r.text
    return r.json()["events"]


def actor(kid, role, label):
    return {"key": kid, "role": role, "label": label}


@pytest.fixture
def two_operators(server):
    return (make_key(server, "operator", "op-zhang", "张三"),
            make_key(server, "operator", "op-li", "李四"))


def test_two_operator_keys_are_told_apart_in_the_audit_log(server, two_operators):
    zhang, li = two_operators
    assert zhang.post("/v1/merchants", {"id": "m1", "name": "一号店",
                                        "categories": ["fresh.fruit"]}).status_code == 201
    assert li.post("/v1/merchants", {"id": "m2", "name": "二号店",
                                     "categories": ["fresh.fruit"]}).status_code == 201
    created = {e["subject"]: e for e in events(zhang) if e["type"] == "merchant.created"}
    assert created["m1"]["actor"] == actor("op-zhang", "operator", "张三")
    assert created["m2"]["actor"] == actor("op-li", "operator", "李四")
    # the command log holds the same, next to the role
    con = sqlite3.connect(f"file:{server.db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT actor, actor_key, actor_label FROM commands"
                           " WHERE type = 'merchant.create' ORDER BY seq").fetchall()
    finally:
        con.close()
    assert rows == [("operator", "op-zhang", "张三"), ("operator", "op-li", "李四")]


def test_engine_actions_have_no_key_and_say_what_acted(server):
    # the test's admin key was made by `shopwarden keys create` (offline, no key)
    [ev] = [e for e in events(server.admin()) if e["type"] == "key.created"
            and e["subject"] == "test-admin"]
    assert ev["actor"] == actor(None, "cli", "shopwarden keys create")


def test_a_timer_acts_as_the_system(server, shop):
    m1, op = shop["m1"], shop["operator"]
    on_sale(m1, {"id": "w4", "title": "面霜", "category": "beauty.skincare",
                 "price": "89.00", "detail": WECHAT, **COMPLETE})
    [v] = m1.get("/v1/violations", params={"merchant": "m1"}).json()["violations"]
    assert m1.post(f"/v1/violations/{v['id']}/appeals", {"reason": "误判"}).status_code == 201
    assert op.post("/v1/admin/clock", {"now": "2026-01-08T00:00:00Z"}).json()["timers_fired"] == 1
    [ev] = [e for e in events(op) if e["type"] == "appeal.overdue"]
    assert ev["actor"] == actor(None, "system", "timer")


def test_decisions_record_the_key_that_decided(server, shop, two_operators):
    zhang, li = two_operators
    m1 = shop["m1"]
    r = zhang.post("/v1/violations", {"product": "p1", "type": "external_diversion",
                                       "severity": "minor", "evidence": ["s/1.png"]})
    assert r.status_code == 201, r.text
    vid = r.json()["result"]["id"]
    assert r.json()["result"]["by"] == actor("op-zhang", "operator", "张三")
    r = m1.post(f"/v1/violations/{vid}/appeals", {"reason": "误判"})
    assert r.status_code == 201, r.text
    aid = r.json()["result"]["id"]
    r = li.post(f"/v1/appeals/{aid}/decision", {"decision": "reject", "note": "证据不足"})
    assert r.status_code == 200, r.text
    assert li.get(f"/v1/appeals/{aid}").json()["decided_by"] == actor("op-li", "operator", "李四")
    assert zhang.get(f"/v1/violations/{vid}").json()["by"] == \
        actor("op-zhang", "operator", "张三")
    # a status change says who made it, in its payload and in the event's actor
    assert li.post("/v1/merchants/m2/restrict", {"reason": "抽检"}).status_code == 200
    [ev] = [e for e in events(li) if e["type"] == "merchant.status_changed"
            and e["merchant"] == "m2" and e["payload"]["to"] == "restricted"]
    assert ev["payload"]["by"] == ev["actor"] == actor("op-li", "operator", "李四")


def test_a_store_sees_that_the_platform_acted_not_which_of_its_people(server, shop, two_operators):
    """Staff identities are the platform's: a store's reads and its own event feed show the
    role of a staff actor with no key and no label; its own key's actions stay whole."""
    zhang, li = two_operators
    m1 = shop["m1"]
    r = zhang.post("/v1/violations", {"product": "p1", "type": "external_diversion",
                                       "severity": "minor", "evidence": ["s/1.png"]})
    vid = r.json()["result"]["id"]
    r = m1.post(f"/v1/violations/{vid}/appeals", {"reason": "误判"})
    aid = r.json()["result"]["id"]
    r = li.post(f"/v1/appeals/{aid}/decision", {"decision": "reject", "note": "证据不足"})
    assert r.status_code == 200, r.text
    hidden = actor(None, "operator", None)
    assert m1.get(f"/v1/violations/{vid}").json()["by"] == hidden
    assert m1.get(f"/v1/appeals/{aid}").json()["decided_by"] == hidden
    [listed] = [v for v in m1.get("/v1/violations").json()["violations"] if v["id"] == vid]
    assert listed["by"] == hidden
    assert m1.get(f"/v1/violations/{vid}").json()["appeals"]["list"][0]["decided_by"] == hidden
    feed = events(m1)
    assert feed and all(e["merchant"] == "m1" for e in feed)
    for e in feed:
        text = str(e)
        assert "op-zhang" not in text and "张三" not in text and "op-li" not in text, e
    [filed] = [e for e in feed if e["type"] == "appeal.filed"]
    assert filed["actor"]["role"] == "merchant:m1" and filed["actor"]["key"] is not None
    # staff still see who
    assert li.get(f"/v1/appeals/{aid}").json()["decided_by"] == actor("op-li", "operator", "李四")


def test_a_queued_violation_records_who_confirmed_it(server, shop, two_operators):
    zhang, _ = two_operators
    m1 = shop["m1"]
    on_sale(m1, {"id": "e1", "title": "美白祛斑精华", "category": "beauty.skincare",
                 "price": "199.00", **COMPLETE})
    [pending] = zhang.get("/v1/queue").json()["pending_violations"]
    r = zhang.post(f"/v1/violations/{pending['id']}/confirm", {"note": "确认"})
    assert r.status_code == 200, r.text
    assert r.json()["result"]["decided_by"] == actor("op-zhang", "operator", "张三")


def test_idempotency_keys_belong_to_the_key_that_sent_them(server, two_operators):
    zhang, li = two_operators
    a = zhang.post("/v1/merchants", {"id": "m1", "name": "一号店", "categories": ["fresh.fruit"]},
                   idem="open-store")
    # the same Idempotency-Key from another operator's key is that key's own first request
    b = li.post("/v1/merchants", {"id": "m2", "name": "二号店", "categories": ["fresh.fruit"]},
                idem="open-store")
    assert a.status_code == b.status_code == 201, b.text
    assert a.json()["replayed"] is False and b.json()["replayed"] is False
    assert a.json()["command_seq"] != b.json()["command_seq"]
    assert zhang.get("/v1/merchants/m2").status_code == 200
    # the same key again is the replay
    again = zhang.post("/v1/merchants", {"id": "m1", "name": "一号店",
                                         "categories": ["fresh.fruit"]}, idem="open-store")
    assert again.status_code == 201 and again.json()["replayed"] is True
    assert again.json()["command_seq"] == a.json()["command_seq"]
    # and another body under it is still a conflict for that key
    r = li.post("/v1/merchants", {"id": "m3", "name": "三号店", "categories": ["fresh.fruit"]},
                idem="open-store")
    assert r.status_code == 409 and error_code(r) == "idempotency_conflict"


def test_a_payment_is_credited_once_whichever_feed_key_reports_it(server):
    op = server.client("operator")
    open_store(op, "m1", "fresh.fruit", deposit=False)
    feed_a, feed_b = make_key(server, "ingest", "feed-a"), make_key(server, "ingest", "feed-b")
    body = {"amount_fen": 1000, "ref": "pay-001"}
    first = feed_a.post("/v1/merchants/m1/deposit/top-ups", body)
    second = feed_b.post("/v1/merchants/m1/deposit/top-ups", body)
    assert first.status_code == second.status_code == 201, second.text
    assert second.json()["replayed"] is True
    assert op.get("/v1/merchants/m1/deposit").json()["balance_fen"] == 1000


def test_merchant_created_carries_the_status_and_holds_at_creation(server):
    op = server.client("operator")
    r = op.post("/v1/merchants", {"id": "m1", "name": "一号店", "categories": ["fresh.fruit"]})
    assert r.status_code == 201, r.text
    body = r.json()
    # one event: the store is created held for its deposit, no correction follows
    assert [e["type"] for e in body["events"]] == ["merchant.created"]
    [ev] = [e for e in events(op) if e["type"] == "merchant.created"]
    store = op.get("/v1/merchants/m1").json()
    assert store["deposit_required_fen"] > 0
    assert ev["payload"]["status"] == store["status"] == "restricted"
    assert ev["payload"]["holds"] == store["holds"] == ["deposit"]
    assert body["result"]["status"] == "restricted"
    assert not [e for e in events(op) if e["type"] in ("merchant.status_changed",
                                                       "merchant.holds_changed")]


def test_keys_are_listed_with_labels_and_without_secrets(server):
    admin = server.admin()
    make_key(server, "operator", "k-op", "张三")
    make_key(server, "ingest", "k-feed")
    assert admin.post("/v1/admin/keys/k-feed/revoke").status_code == 200
    r = admin.get("/v1/admin/keys")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["has_more"] is False and body["next_after"] is None
    keys = {k["id"]: k for k in body["keys"]}
    assert set(keys) == {"test-admin", "k-op", "k-feed"}
    assert keys["k-op"]["label"] == "张三" and keys["k-op"]["role"] == "operator"
    assert keys["k-op"]["revoked_at"] is None and keys["k-op"]["expires_at"] is None
    assert keys["k-feed"]["revoked_at"] is not None and keys["k-feed"]["label"] is None
    for k in body["keys"]:
        assert set(k) == {"id", "role", "label", "created_at", "expires_at", "revoked_at"}
    assert "sw_" not in r.text
    # pages by id
    page = admin.get("/v1/admin/keys", params={"limit": 2}).json()
    assert [k["id"] for k in page["keys"]] == ["k-feed", "k-op"]
    assert page["has_more"] is True and page["next_after"] == "k-op"
    rest = admin.get("/v1/admin/keys", params={"after": "k-op", "limit": 2}).json()
    assert [k["id"] for k in rest["keys"]] == ["test-admin"] and rest["has_more"] is False


def test_an_expired_key_is_refused_like_a_revoked_one(server):
    admin = server.admin()
    # the manual clock starts at 2026-01-05T01:00:00Z
    api = make_key(server, "operator", "k-temp", expires_at="2026-01-05T02:00:00Z")
    assert api.get("/v1/admin/clock").status_code == 200  # and now it is cached
    [k] = [k for k in admin.get("/v1/admin/keys").json()["keys"] if k["id"] == "k-temp"]
    assert k["expires_at"] == "2026-01-05T02:00:00Z"
    assert admin.post("/v1/admin/clock", {"now": "2026-01-05T02:00:00Z"}).status_code == 200
    r = api.get("/v1/admin/clock")
    assert r.status_code == 401 and error_code(r) == "unauthorized"


def test_key_references_must_exist_and_expiry_be_ahead(server):
    admin = server.admin()
    before = server.db_counts()
    r = admin.post("/v1/admin/keys", {"role": "merchant:nope"})
    assert r.status_code == 422 and error_code(r) == "unknown_reference"
    assert r.json()["error"]["details"]["field"] == "role"
    r = admin.post("/v1/admin/keys", {"role": "operator", "expires_at": "2026-01-05T00:59:59Z"})
    assert r.status_code == 422 and error_code(r) == "rule_refused"
    assert r.json()["error"]["details"]["field"] == "expires_at"
    r = admin.post("/v1/admin/keys", {"role": "operator", "expires_at": "tomorrow"})
    assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "expires_at"
    r = admin.post("/v1/admin/keys", {"role": "operator", "label": "x" * 201})
    assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "label"
    assert server.db_counts() == before
    # a grant names an app some key acts as
    op = server.client("operator")
    open_store(op, "m1", "fresh.fruit")
    m1 = server.client("merchant:m1")
    before = server.db_counts()
    r = m1.post("/v1/merchants/m1/grants", {"app": "ghost"})
    assert r.status_code == 422 and error_code(r) == "unknown_reference"
    assert r.json()["error"]["details"]["field"] == "app"
    assert server.db_counts() == before
    server.key("app:ghost")
    assert m1.post("/v1/merchants/m1/grants", {"app": "ghost"}).status_code == 200
    # the store's key exists now that the store does
    assert admin.post("/v1/admin/keys", {"role": "merchant:m1"}).status_code == 201


SCHEMA_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "src", "store", "schema")


def schema5_database(path, admin_key):
    """A database as the release before the actor columns wrote it: migrations 0001-0005 only,
    an admin key and an operator key made by the CLI (a command and its key.created event each,
    actor 'cli')."""
    con = sqlite3.connect(path)
    try:
        for name in sorted(os.listdir(SCHEMA_DIR))[:5]:
            assert name[:4] <= "0005", name
            with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as f:
                con.executescript(f.read())
        keys = (("test-admin", "admin", admin_key), ("old-op", "operator", "sw_old_operator"))
        for seq, (kid, role, secret) in enumerate(keys, start=1):
            at = 1767225600000000 + seq
            digest = hashlib.blake2b(secret.encode(), digest_size=32).digest()
            con.execute("INSERT INTO api_keys (id, hash, role, created_at) VALUES (?,?,?,?)",
                        (kid, digest, role, at))
            payload = json.dumps({"id": kid, "role": role})
            con.execute("INSERT INTO commands (seq, at, type, actor, merchant, idem_key, payload,"
                        " result, policy_version, first_event, nevents)"
                        " VALUES (?,?,'key.create','cli',NULL,NULL,?,?,'default',?,1)",
                        (seq, at, payload, payload, seq))
            con.execute("INSERT INTO events (seq, at, type, merchant, subject, payload,"
                        " policy_version, command_seq) VALUES (?,?,'key.created',NULL,?,?,"
                        "'default',?)", (seq, at, kid, payload, seq))
        con.execute("PRAGMA user_version = 5")
        con.commit()
    finally:
        con.close()


def test_an_old_database_upgrades_and_keeps_its_history(tmp_path):
    """A database of schema 5 (no actor keys, no key labels) is migrated at start: its commands
    keep their role and get a null key."""
    s = Server(str(tmp_path))
    os.remove(s.db)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(s.db + suffix):
            os.remove(s.db + suffix)
    schema5_database(s.db, s.admin_key)
    s.start()
    try:
        admin = s.admin()
        evs = events(admin)
        assert [e["actor"] for e in evs if e["type"] == "key.created"] == \
            [actor(None, "cli", None)] * 2
        keys = admin.get("/v1/admin/keys").json()["keys"]
        assert {k["id"]: k["label"] for k in keys} == {"test-admin": None, "old-op": None}
        assert s.api("sw_old_operator").get("/v1/merchants").status_code == 200
        r = admin.post("/v1/admin/keys", {"role": "operator", "label": "新人"})
        assert r.status_code == 201, r.text
    finally:
        s.stop()


def test_a_store_id_with_a_colon_gets_its_key_and_dot_ids_are_refused(server):
    """OpenAPI Id: 1-64 of A-Z a-z 0-9 _ - . : (a store a:b is valid, so merchant:a:b names it);
    . and .. alone are dot segments a URL client drops, so they are no ids."""
    admin = server.admin()
    r = admin.post("/v1/merchants", {"id": "a:b", "name": "冒号店", "categories": ["fresh.fruit"]})
    assert r.status_code == 201, r.text
    r = admin.post("/v1/admin/keys", {"role": "merchant:a:b"})
    assert r.status_code == 201, r.text
    store = Api(server.base, r.json()["result"]["key"])
    assert store.get("/v1/merchants/a:b").status_code == 200
    me = store.get("/v1/me").json()
    assert (me["key_role"], me["merchant_id"], me["name"]) == ("merchant:a:b", "a:b", "a:b")
    for bad in (".", ".."):
        r = admin.post("/v1/merchants", {"id": bad, "name": "点", "categories": ["fresh.fruit"]})
        assert r.status_code == 400 and error_code(r) == "invalid_value", (bad, r.text)
