"""Policy versions at runtime (issue 12): POST /v1/admin/policy validates a document exactly like
`shopwarden policy check`, activates it as a command (policy.activated {from, to}), and from
then on every decision, the scanner and the rate limits follow the new version, across a
restart too."""
import json
import os
import re
import subprocess
import time

import pytest

from conftest import BIN, COMPLETE, Server, check_policy, default_policy, error_code, open_store

DEFAULT = default_policy()["version"]
MAGIC = "神奇配方"  # a claim only the new policy's scanner knows


def new_policy(version="runtime-2"):
    p = default_policy()
    p["version"] = version
    return p


def events(server, type_):
    r = server.admin().get("/v1/events", params={"type": type_, "limit": 1000})
    assert r.status_code == 200, r.text
    return r.json()["events"]


def test_activation_puts_the_new_version_in_force(shop, server):
    admin, m1 = server.admin(), shop["m1"]
    r = admin.post("/v1/admin/policy", new_policy())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["result"] == {"from": DEFAULT, "to": "runtime-2", "activated": True}
    assert [e["type"] for e in body["events"]] == ["policy.activated"]
    (ev,) = events(server, "policy.activated")
    assert ev["payload"] == {"from": DEFAULT, "to": "runtime-2"}
    assert ev["policy_version"] == "runtime-2" and ev["command_seq"] == body["command_seq"]
    assert server.api(server.key("merchant:m1")).get("/v1/policy").json()["version"] == "runtime-2"
    # the next decision names the new version: the command's events and the product's scan
    r = m1.patch("/v1/products/p1", {"title": "烟酰胺身体乳 250ml"})
    assert r.status_code == 200, r.text
    seqs = {e["seq"] for e in r.json()["events"]}
    later = [e for e in events(server, "product.updated") if e["seq"] in seqs]
    assert later and all(e["policy_version"] == "runtime-2" for e in later)
    assert m1.get("/v1/products/p1").json()["scan"]["policy_version"] == "runtime-2"


def test_an_invalid_document_lists_every_problem_and_changes_nothing(shop, server):
    admin = server.admin()
    bad = new_policy("broken-1")
    bad["rate_limits"]["read"]["per_second"] = 0
    bad["rate_limits"]["exempt_roles"] = ["root"]
    bad["scan"]["lists"][0]["severity"] = "awful"
    del bad["categories"]["fresh.fruit"]["industry"]
    expected = check_policy(bad)
    assert expected.returncode != 0
    # "FILE: PATH: MESSAGE" lines, then "N problems"
    cli = [line.split(": ", 2)[1:] for line in expected.stdout.splitlines() if ": $" in line]
    assert len(cli) >= 3, expected.stdout
    before = server.db_counts()
    r = admin.post("/v1/admin/policy", bad)
    assert r.status_code == 422 and error_code(r) == "policy_invalid", r.text
    problems = r.json()["error"]["details"]["problems"]
    assert sorted([p["path"], p["message"]] for p in problems) == sorted(cli)
    assert all(p["message"] for p in problems)
    for path in ("$.rate_limits.read.per_second", "$.rate_limits.exempt_roles[0]"):
        assert path in {p["path"] for p in problems}
    r = admin.post("/v1/admin/policy", [1, 2])
    assert r.status_code in (400, 422)
    assert server.db_counts() == before
    assert admin.get("/v1/policy").json()["version"] == DEFAULT
    assert events(server, "policy.activated") == []


def test_only_admins_activate(shop, server, operator):
    callers = (operator, shop["m1"], server.client("ingest"))
    before = server.db_counts()
    for who in callers:
        r = who.post("/v1/admin/policy", new_policy())
        assert r.status_code == 403 and error_code(r) == "forbidden", r.text
    assert server.db_counts() == before
    assert server.admin().get("/v1/policy").json()["version"] == DEFAULT


def test_the_whole_document_in_force_is_read_edited_and_posted_back(shop, server, operator):
    """adv25: an operator changing one number needs the document in force. GET
    /v1/admin/policy (admins, analysts) answers it whole, as POST takes it; edited and posted
    back under a new version it is in force; ?version= answers an earlier one, 404 for one the
    engine never had; operators, stores and feeds may not read it."""
    admin = server.admin()
    r = admin.get("/v1/admin/policy")
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc == default_policy()
    assert server.client("analyst:ann").get("/v1/admin/policy").json() == doc
    for who in (operator, shop["m1"], server.client("ingest")):
        r = who.get("/v1/admin/policy")
        assert r.status_code == 403 and error_code(r) == "forbidden", r.text
    doc["version"] = "edited-1"
    doc["penalties"]["types"]["external_diversion"]["deduct_fen"]["minor"] += 1
    r = admin.post("/v1/admin/policy", doc)
    assert r.status_code == 200 and r.json()["result"]["to"] == "edited-1", r.text
    assert admin.get("/v1/admin/policy").json() == doc
    assert admin.get("/v1/admin/policy", params={"version": DEFAULT}).json() == default_policy()
    r = admin.get("/v1/admin/policy", params={"version": "never-was"})
    assert r.status_code == 404 and error_code(r) == "not_found", r.text
    r = admin.get("/v1/admin/policy", params={"colour": "red"})
    assert r.status_code == 400 and error_code(r) == "unknown_parameter", r.text


def test_a_version_names_one_document(server):
    admin = server.admin()
    # the policy in force again: nothing changes, no event
    r = admin.post("/v1/admin/policy", default_policy())
    assert r.status_code == 200, r.text
    assert r.json()["result"] == {"from": DEFAULT, "to": DEFAULT, "activated": False}
    assert r.json()["events"] == []
    # the version in force with another document
    other = default_policy()
    other["rate_limits"]["read"]["burst"] = 7
    r = admin.post("/v1/admin/policy", other)
    assert r.status_code == 409 and error_code(r) == "state_conflict", r.text
    assert r.json()["error"]["details"]["field"] == "version"
    assert admin.post("/v1/admin/policy", new_policy("v2")).status_code == 200
    # an older version with another document
    r = admin.post("/v1/admin/policy", other)
    assert r.status_code == 409 and error_code(r) == "state_conflict", r.text
    # an older version with its very document: back to it
    r = admin.post("/v1/admin/policy", default_policy())
    assert r.status_code == 200 and r.json()["result"] == {"from": "v2", "to": DEFAULT,
                                                           "activated": True}
    assert admin.get("/v1/policy").json()["version"] == DEFAULT


def test_idempotent_by_key(server):
    admin = server.admin()
    first = admin.post("/v1/admin/policy", new_policy(), idem="pol-1")
    assert first.status_code == 200
    again = admin.post("/v1/admin/policy", new_policy(), idem="pol-1")
    assert again.status_code == 200 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["result"] == first.json()["result"]
    assert again.json()["command_seq"] == first.json()["command_seq"]
    assert len(events(server, "policy.activated")) == 1
    r = admin.post("/v1/admin/policy", new_policy("runtime-3"), idem="pol-1")
    assert r.status_code == 409 and error_code(r) == "idempotency_conflict"
    assert admin.get("/v1/policy").json()["version"] == "runtime-2"


def test_the_active_policy_survives_a_restart(shop, server):
    assert server.admin().post("/v1/admin/policy", new_policy()).status_code == 200
    server.stop()
    server.start()
    assert server.admin().get("/v1/policy").json()["version"] == "runtime-2"
    r = server.admin().post("/v1/merchants", {"id": "m9", "name": "n", "categories": ["fresh.fruit"]})
    assert r.status_code == 201
    (ev,) = [e for e in events(server, "merchant.created") if e["subject"] == "m9"]
    assert ev["policy_version"] == "runtime-2"


def scan_rules(client, pid):
    doc = client.get(f"/v1/products/{pid}").json()
    return {f["rule"] for f in doc["scan"]["findings"]}


def test_a_new_scan_rule_applies_to_the_next_write(shop, server):
    m1 = shop["m1"]
    r = m1.patch("/v1/products/p1", {"title": f"身体乳 {MAGIC} 200ml"})
    assert r.status_code == 200, r.text
    assert "house.magic" not in scan_rules(m1, "p1")
    p = new_policy()
    p["scan"]["lists"].append({"rule": "house.magic", "type": "exaggerated_efficacy",
                               "severity": "minor", "categories": ["beauty.*"],
                               "terms": [MAGIC]})
    assert server.admin().post("/v1/admin/policy", p).status_code == 200
    r = m1.patch("/v1/products/p1", {"title": f"身体乳 {MAGIC} 250ml"})
    assert r.status_code == 200, r.text
    assert "house.magic" in scan_rules(m1, "p1")
    # the dry run follows too
    r = m1.post("/v1/scan", {"title": MAGIC, "category": "beauty.skincare", **COMPLETE})
    assert r.status_code == 200
    assert "house.magic" in {f["rule"] for f in r.json()["findings"]}


def test_a_rate_limit_change_applies_at_once(shop, server):
    m2 = shop["m2"]
    assert all(m2.get("/v1/admin/clock").status_code == 200 for _ in range(5))
    p = new_policy()
    p["rate_limits"] = {"exempt_roles": ["admin"], "read": {"per_second": 1, "burst": 2}}
    assert server.admin().post("/v1/admin/policy", p).status_code == 200
    codes = [m2.get("/v1/admin/clock").status_code for _ in range(4)]
    assert 429 in codes, codes
    # the operator is no longer exempt either, the admin still is
    op = server.client("operator")
    assert 429 in [op.get("/v1/admin/clock").status_code for _ in range(4)]
    assert all(server.admin().get("/v1/admin/clock").status_code == 200 for _ in range(5))


class FileServer(Server):
    """A server started with `--policy FILE`."""

    def __init__(self, tmp):
        super().__init__(tmp)
        self.policy_file = None

    def start(self):
        self.proc = subprocess.Popen(
            [BIN, "serve", "--db", self.db, "--listen", "127.0.0.1:0", "--clock", self.clock,
             "--policy", self.policy_file],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError(f"server exited ({self.proc.poll()}); see {self.log.name}")
            m = re.search(r"listening on (http://\S+)", line)
            if m:
                self.base = m.group(1)
                return self


def write_policy(tmp, name, doc):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    return path


def test_a_policy_file_at_start_on_an_activated_database(tmp_path):
    tmp = str(tmp_path)
    s = FileServer(tmp)
    s.policy_file = write_policy(tmp, "a.json", new_policy("file-1"))
    s.start()
    try:
        admin = s.admin()
        assert admin.get("/v1/policy").json()["version"] == "file-1"
        assert admin.post("/v1/admin/policy", new_policy("runtime-2")).status_code == 200
        # the same old command line does not undo the activation
        s.stop()
        s.start()
        assert s.admin().get("/v1/policy").json()["version"] == "runtime-2"
        # a file of a version never seen is activated at start, by the cli
        s.stop()
        s.policy_file = write_policy(tmp, "b.json", new_policy("file-3"))
        s.start()
        assert s.admin().get("/v1/policy").json()["version"] == "file-3"
        last = events(s, "policy.activated")[-1]
        assert last["payload"] == {"from": "runtime-2", "to": "file-3"}
        assert last["actor"]["role"] == "cli"
        s.stop()
        # a known version with another document is refused
        other = new_policy("file-1")
        other["rate_limits"]["read"]["burst"] = 9
        s.policy_file = write_policy(tmp, "c.json", other)
        with pytest.raises(AssertionError):
            s.start()
        s.proc.wait(timeout=30)
        s.proc = None
        # without --policy the stored active one is in force
        Server.start(s)
        assert s.admin().get("/v1/policy").json()["version"] == "file-3"
    finally:
        s.stop()


def test_a_policy_file_at_start_on_a_database_that_ran_under_another_version(tmp_path):
    # api.md: policy.activated is logged for `serve --policy` with a version the database never
    # saw; an activation moves every store's requirement; the log replays to the same events
    tmp = str(tmp_path)
    s = FileServer(tmp)
    Server.start(s)  # the built-in default, nothing ever activated
    try:
        admin = s.admin()
        open_store(admin, "m1", "beauty.skincare")
        need = admin.get("/v1/merchants/m1").json()["deposit_required_fen"]
        s.stop()
        p = new_policy("file-1")
        p["categories"]["beauty.skincare"]["deposit_fen"] = need + 1000000
        s.policy_file = write_policy(tmp, "a.json", p)
        s.start()
        admin = s.admin()
        assert admin.get("/v1/policy").json()["version"] == "file-1"
        [act] = events(s, "policy.activated")
        assert act["payload"] == {"from": DEFAULT, "to": "file-1"}
        assert act["actor"]["role"] == "cli" and act["actor"]["label"] == "shopwarden serve"
        m = admin.get("/v1/merchants/m1").json()
        assert m["deposit_required_fen"] == need + 1000000 and m["status"] == "restricted", m
        # the same file again switches nothing
        s.stop()
        s.start()
        assert len(events(s, "policy.activated")) == 1
        r = s.admin().post("/v1/admin/policy", new_policy("http-2"))
        assert r.status_code == 200 and r.json()["result"]["from"] == "file-1", r.text
    finally:
        s.stop()
    out = subprocess.run([BIN, "replay", "--db", s.db], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "determinism: OK" in out.stdout, out.stdout
