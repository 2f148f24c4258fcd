"""Black-box fixtures: a real shopwarden server on a random loopback port, a temporary
database and a manual clock. Only HTTP (and the CLI) is used to talk to it."""
import atexit
import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time

import pytest
import requests

import contract

BIN = os.environ.get("SW_BIN") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "shopwarden")
SOURCE_DIR = os.environ.get("SW_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
START = "2026-01-05T09:00:00+08:00"


# Response validation (tests/api/contract.py): every answer any requests session gets in this
# suite is checked against api/openapi.yaml; a mismatch fails the test that received it.
_send = requests.Session.send


def _validated_send(self, request, **kw):
    r = _send(self, request, **kw)
    contract.check(request.method, request.url, r.status_code, r.headers.get("Content-Type"),
                   r.content)
    return r


requests.Session.send = _validated_send


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    contract.failures.clear()


def _report(outcome, when):
    """Fails the phase with the answers the spec does not describe. A phase that failed on its
    own keeps its own report (its answers are checked again once it passes)."""
    problems = contract.summary()
    if problems and outcome.excinfo is None:
        pytest.fail(f"answers ({when}) that api/openapi.yaml does not describe:\n  "
                    + "\n  ".join(problems), pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    _report((yield), "during the test")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    _report((yield), "at teardown: the event log the test left")


def run_cli(*args, check=True, input=None):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, input=input, timeout=300)
    if check and p.returncode != 0:
        raise AssertionError(f"shopwarden {' '.join(args)} failed ({p.returncode}): {p.stderr}")
    return p


def serve_demo(db):
    """`shopwarden serve --demo` on db at a free loopback port, as `make run` starts it: the
    process, what it printed up to "listening on", its keys by role and its base URL."""
    p = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:0", "--demo"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = ""
    while "listening on" not in out:
        line = p.stdout.readline()
        assert line, p.stderr.read()
        out += line
    # "  ROLE  KEY-ID  KEY" lines
    keys = dict(re.findall(r"^\s+(\S+)\s+\S+\s+(sw_\S+)$", out, re.M))
    return p, out, keys, re.search(r"listening on (\S+)", out).group(1)


def default_policy():
    """The built-in default policy as a dict, to change in a test."""
    with open(os.path.join(SOURCE_DIR, "data/policy/default.json"), encoding="utf-8") as f:
        return json.load(f)


def check_policy(doc):
    """`shopwarden policy check` on doc, written to a temporary file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "policy.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
        return run_cli("policy", "check", path, check=False)


class Api:
    """A client bound to one API key; keeps connections alive like a real client."""

    def __init__(self, base, key=None):
        self.base = base
        self.key = key
        self.s = requests.Session()

    def headers(self, extra=None, idem=None):
        h = {}
        if self.key:
            h["Authorization"] = f"Bearer {self.key}"
        if idem:
            h["Idempotency-Key"] = idem
        h.update(extra or {})
        return h

    def get(self, path, **kw):
        return self.s.get(self.base + path, headers=self.headers(kw.pop("headers", None)),
                          timeout=60, **kw)

    def post(self, path, body=None, idem=None, **kw):
        return self.s.post(self.base + path, json=body,
                           headers=self.headers(kw.pop("headers", None), idem), timeout=60, **kw)

    def patch(self, path, body=None, idem=None, **kw):
        return self.s.patch(self.base + path, json=body,
                            headers=self.headers(kw.pop("headers", None), idem), timeout=60, **kw)

    def put(self, path, body=None, idem=None, **kw):
        return self.s.put(self.base + path, json=body,
                          headers=self.headers(kw.pop("headers", None), idem), timeout=60, **kw)

    def raw(self, method, path, data=None, headers=None):
        return self.s.request(method, self.base + path, data=data,
                              headers=self.headers(headers), timeout=60)


_TEMPLATE = {}


def manual_template():
    """A database with the manual clock at START and the admin key, made once per session by
    the CLI (two processes, about a second each under ASan) and copied for each test: the same
    commands, at the same instants, as each test running them itself."""
    if not _TEMPLATE:
        d = tempfile.mkdtemp(prefix="sw-api-template-")
        atexit.register(shutil.rmtree, d, True)
        db = os.path.join(d, "sw.db")
        run_cli("tick", "--to", START, "--db", db)
        key = run_cli("keys", "create", "--role", "admin", "--id", "test-admin",
                      "--db", db).stdout.split("key:")[1].split()[0]
        _TEMPLATE.update(db=db, key=key)
    return _TEMPLATE["db"], _TEMPLATE["key"]


class Server:
    def __init__(self, tmp, clock="manual"):
        self.dir = tmp
        self.db = os.path.join(tmp, "sw.db")
        self.clock = clock
        self.proc = None
        self.base = None
        self.log = open(os.path.join(tmp, "server.log"), "ab")
        if clock == "manual":
            db, self.admin_key = manual_template()
            for suffix in ("", "-wal"):
                if os.path.exists(db + suffix):
                    shutil.copyfile(db + suffix, self.db + suffix)
            return
        self.admin_key = run_cli("keys", "create", "--role", "admin", "--id", "test-admin",
                                 "--db", self.db).stdout.split("key:")[1].split()[0]

    def start(self):
        self.proc = subprocess.Popen(
            [BIN, "serve", "--db", self.db, "--listen", "127.0.0.1:0", "--clock", self.clock,
             "--threads", "8"],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError(f"server exited ({self.proc.poll()}); see {self.log.name}")
            m = re.search(r"listening on (http://\S+)", line)
            if m:
                self.base = m.group(1)
                return self
        raise AssertionError("server did not start")

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            code = self.proc.wait(timeout=60)
            if sig == signal.SIGTERM:
                assert code == 0, f"server exited {code} on SIGTERM:\n{self.log_tail()}"
        self.proc = None

    def log_tail(self, n=60):
        """The server's last stderr lines but access lines: a sanitizer report, a warning."""
        self.log.flush()
        with open(self.log.name, encoding="utf-8", errors="replace") as f:
            lines = [ln for ln in f if '"event":"access"' not in ln]
        return "".join(lines[-n:])

    def api(self, key=None):
        return Api(self.base, key)

    def admin(self):
        return self.api(self.admin_key)

    def key(self, role):
        r = self.admin().post("/v1/admin/keys", {"role": role})
        assert r.status_code == 201, r.text
        return r.json()["result"]["key"]

    def client(self, role):
        return self.api(self.key(role))

    def db_counts(self):
        """Rows per table, read straight from the file (the server keeps running)."""
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in ("commands", "events", "merchants", "products", "timers", "api_keys")}
        finally:
            con.close()


def read_all_events(server):
    """Every event of the log through GET /v1/events, so that the response validation sees
    (and checks against the spec's Event schemas) each event the test made, whether or not the
    test read it. Stops at the first answer that is not a page (a stopped server, a spent rate
    limit); that answer is validated too."""
    if not server.proc or server.proc.poll() is not None:
        return
    admin, after = server.admin(), 0
    while True:
        try:
            r = admin.get("/v1/events", params={"after": after, "limit": 1000})
        except requests.RequestException:
            return
        if r.status_code != 200:
            return
        page = r.json().get("events") or []
        if not page:
            return
        after = page[-1]["seq"]


def check_replay(server):
    """`shopwarden replay` without a draft on the test's database, beside the running server:
    the log must reproduce every event (docs/replay.md). On with SW_REPLAY_CHECK=1, as the
    `api_replay` CTest runs a test of every module (tests/api/test_replay.py). With
    SW_REPLAY_KEEP=PATH a database whose replay differs is copied there to look into."""
    p = run_cli("replay", "--db", server.db, check=False)
    if p.returncode != 0 and os.environ.get("SW_REPLAY_KEEP"):
        for suf in ("", "-wal", "-shm"):
            if os.path.exists(server.db + suf):
                shutil.copy(server.db + suf, os.environ["SW_REPLAY_KEEP"] + suf)
    assert p.returncode == 0, f"replay of the test's log differs:\n{p.stdout}\n{p.stderr}"


@pytest.fixture
def server():
    with tempfile.TemporaryDirectory(prefix="sw-api-") as tmp:
        s = Server(tmp).start()
        try:
            yield s
            read_all_events(s)
            if os.environ.get("SW_REPLAY_CHECK") and s.proc:
                check_replay(s)
        finally:
            s.stop()


@pytest.fixture
def operator(server):
    return server.client("operator")


# What a product needs so that the scanner does not call it a three-no product.
COMPLETE = {"production_date": "2026-01-01", "quality_cert": "QC-1", "manufacturer": "示例工厂"}


def open_store(operator, mid, category, deposit=True):
    """Creates a store and tops its deposit up to the requirement, so that it is active."""
    r = operator.post("/v1/merchants", {"id": mid, "name": f"store {mid}", "categories": [category]})
    assert r.status_code == 201, r.text
    if deposit:
        need = r.json()["result"]["deposit_required_fen"]
        r = operator.post(f"/v1/merchants/{mid}/deposit/top-ups",
                          {"amount_fen": need, "ref": f"open-{mid}"})
        assert r.status_code == 201, r.text
        assert r.json()["result"]["store_status"] == "active"
    return r


@pytest.fixture
def shop(server, operator):
    """Two stores with one product each: m1/p1 (listed) and m2/p2."""
    for mid, cat in (("m1", "beauty.skincare"), ("m2", "fresh.fruit")):
        open_store(operator, mid, cat)
    m1, m2 = server.client("merchant:m1"), server.client("merchant:m2")
    r = m1.post("/v1/products", {"id": "p1", "title": "烟酰胺身体乳 200ml",
                                 "category": "beauty.skincare", "price": "69.00", "stock": 10,
                                 **COMPLETE})
    assert r.status_code == 201, r.text
    assert m1.post("/v1/products/p1/list").status_code == 200
    r = m2.post("/v1/products", {"id": "p2", "title": "赣南脐橙 5kg", "category": "fresh.fruit",
                                 "price_fen": 5990, **COMPLETE})
    assert r.status_code == 201, r.text
    return {"m1": m1, "m2": m2, "operator": operator}


def on_sale(client, body, status=201):
    """Puts `body` on sale the way a merchant gets a violation under audit before publication,
    enforcement after (RULES.md §3): findings on a product that is not listed only block it, so
    the product is created as a clean listing (same id, store, category and price, a plain
    title, the three-no fields filled in), listed, then edited into `body`; what the edit
    introduces becomes violations. Returns the edit's response with its status_code set to
    `status` when the edit succeeded (the tests written for a create keep their 201)."""
    clean = {k: body[k] for k in ("id", "merchant", "category", "price", "price_fen") if k in body}
    r = client.post("/v1/products", {"title": "商品", **clean, **COMPLETE})
    assert r.status_code == 201, r.text
    r = client.post(f"/v1/products/{body['id']}/list")
    assert r.status_code == 200, r.text
    edit = {k: v for k, v in body.items() if k not in ("id", "merchant")}
    for k in COMPLETE:
        edit.setdefault(k, None)
    r = client.patch(f"/v1/products/{body['id']}", edit)
    if r.status_code == 200:
        r.status_code = status
    return r


def clear_store(server, operator, mid, reason="清退"):
    """Clears store mid the way the rules now say (issue 18, four-eyes): operator asks (202, a
    pending approval) and a second operator's key approves it; the approval's answer, whose
    events are the clearance's, is returned."""
    r = operator.post(f"/v1/merchants/{mid}/clear", {"reason": reason})
    assert r.status_code == 202, r.text
    ap = r.json()["result"]["approval"]
    assert ap["kind"] == "clearance"
    r = server.client("operator").post(f"/v1/approvals/{ap['id']}/approve")
    assert r.status_code == 200, r.text
    return r


def error_code(r):
    return r.json()["error"]["code"]


def check_ledger(server, operator=None):
    """The deposit ledger invariant, read straight from the file (read-only): each store's
    balance is the sum of its entries and never negative, every entry's balance_after is the
    running sum, the entry count and what is owed agree, and GET .../deposit says the same.
    test_penalty runs it after every scenario."""
    con = sqlite3.connect(f"file:{server.db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT a.merchant, a.balance_fen, a.owed_fen, a.entries,"
            " (SELECT coalesce(sum(amount_fen), 0) FROM deposit_entries e"
            "  WHERE e.merchant = a.merchant),"
            " (SELECT count(*) FROM deposit_entries e WHERE e.merchant = a.merchant),"
            " (SELECT coalesce(sum(owed_fen), 0) FROM violations v"
            "  WHERE v.merchant = a.merchant AND v.status = 'in_force')"
            " FROM deposit_accounts a").fetchall()
        for (merchant,) in con.execute("SELECT DISTINCT merchant FROM deposit_entries"):
            run = 0
            for amount, after in con.execute(
                    "SELECT amount_fen, balance_after_fen FROM deposit_entries"
                    " WHERE merchant = ? ORDER BY rid", (merchant,)):
                run += amount
                assert run == after >= 0, merchant
    finally:
        con.close()
    op = operator or server.client("operator")
    for merchant, balance, owed, entries, total, count, owed_by_violations in rows:
        assert balance == total >= 0, merchant
        assert entries == count, merchant
        assert owed == owed_by_violations, merchant
        d = op.get(f"/v1/merchants/{merchant}/deposit").json()
        assert (d["balance_fen"], d["owed_fen"]) == (balance, owed)
    return {merchant: balance for merchant, balance, *_ in rows}


def old_database(path, admin_key, last_migration):
    """A database as a release that stopped at migration `last_migration` wrote it: migrations
    0001..last_migration applied in order, and the admin key test-admin (the digest the server
    checks) in api_keys. Returns the open connection: the caller adds its rows, commits and
    closes it."""
    schema = os.path.join(SOURCE_DIR, "src", "store", "schema")
    con = sqlite3.connect(path)
    for name in sorted(os.listdir(schema)):
        if int(name[:4]) <= last_migration:
            with open(os.path.join(schema, name), encoding="utf-8") as f:
                con.executescript(f.read())
    digest = hashlib.blake2b(admin_key.encode(), digest_size=32).digest()
    con.execute("INSERT INTO api_keys (id, hash, role, created_at) VALUES (?,?,?,?)",
                ("test-admin", digest, "admin", 1767225600000000))  # 2026-01-01T00:00:00Z
    return con
