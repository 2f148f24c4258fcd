import json
import os
import subprocess
import tempfile

from conftest import BIN, SOURCE_DIR, check_policy, run_cli, serve_demo


def test_version_and_help():
    assert run_cli("--version").stdout.startswith("shopwarden ")
    for cmd in ("serve", "keys", "policy", "events", "apply", "tick", "routes"):
        out = run_cli(cmd, "--help").stdout
        assert out.startswith("usage: shopwarden " + cmd), cmd
    p = run_cli("frobnicate", check=False)
    assert p.returncode == 2 and "unknown command" in p.stderr


def test_policy_check():
    ok = run_cli("policy", "check", os.path.join(SOURCE_DIR, "data/policy/default.json"))
    assert ok.stdout.startswith("ok: policy")
    bad = check_policy({"schema": 1, "version": "v1", "industries": {},
                        "categories": {"beauty.skincare": {"name": "x", "industry": "beauty",
                                                           "qualifications": [],
                                                           "deposit_fen": -5}},
                        "surprise": True})
    assert bad.returncode == 1
    assert "$.categories[\"beauty.skincare\"]: unknown industry 'beauty'" in bad.stdout
    assert "$.categories[\"beauty.skincare\"].deposit_fen: must be between" in bad.stdout
    assert "$: unknown field 'surprise'" in bad.stdout
    # the checks go on past the first problems: the missing scan section is reported too
    assert "$.scan: missing or not an object" in bad.stdout
    assert "4 problems" in bad.stdout


def test_apply_tick_and_events_offline():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "sw.db")
        run_cli("tick", "--to", "2026-01-05T09:00:00+08:00", "--db", db)
        lines = [
            {"type": "merchant.create", "payload": {"id": "m1", "name": "n",
                                                    "categories": ["fresh.fruit"]}},
            {"type": "product.create", "idempotency_key": "k1",
             "payload": {"id": "p1", "merchant": "m1", "title": "橙子", "category": "fresh.fruit",
                         "price": "9.90"}},
            "not json",
            {"type": "product.list", "payload": {"id": "nope"}},
            {"type": "product.create", "idempotency_key": "k1",
             "payload": {"id": "p1", "merchant": "m1", "title": "橙子", "category": "fresh.fruit",
                         "price": "9.90"}},
        ]
        text = "\n".join(l if isinstance(l, str) else json.dumps(l, ensure_ascii=False)
                         for l in lines) + "\n"
        p = subprocess.run([BIN, "apply", "--clock", "manual", "--db", db, "-"], input=text, capture_output=True,
                           text=True, timeout=60)
        assert p.returncode == 1  # some lines were refused
        out = [json.loads(l) for l in p.stdout.splitlines()]
        assert [o["line"] for o in out] == [1, 2, 3, 4, 5]
        assert out[0]["ok"] and out[1]["ok"] and not out[1]["replayed"]
        assert out[2]["error"]["code"] == "invalid_json"
        assert out[3]["error"]["code"] == "not_found"
        assert out[4]["ok"] and out[4]["replayed"] and out[4]["command_seq"] == out[1]["command_seq"]
        assert out[1]["result"]["price_fen"] == 990
        assert out[1]["result"]["created_at"] == "2026-01-05T01:00:00Z"

        t = run_cli("tick", "--to", "2026-01-06T00:00:00Z", "--db", db)
        assert json.loads(t.stdout) == {"now": "2026-01-06T00:00:00Z", "timers_fired": 0}
        back = run_cli("tick", "--to", "2026-01-01T00:00:00Z", "--db", db, check=False)
        assert back.returncode == 1 and "clock_backwards" in back.stderr

        events = [json.loads(l) for l in run_cli("events", "--db", db).stdout.splitlines()]
        # the store has no deposit yet (created held, in one event), and the product has no
        # production date, certificate or manufacturer: a draft, so its findings only block
        # its listing (audit before publication): no violation, no deduction
        assert [e["type"] for e in events] == [
            "merchant.created", "product.created", "product.scanned"]
        assert events[2]["payload"]["listed"] is False
        assert {f["type"] for f in events[2]["payload"]["findings"]} == {"three_no_product"}
        assert events[0]["payload"]["status"] == "restricted"
        # offline commands are the CLI's, with no key
        assert events[0]["actor"] == {"key": None, "role": "cli", "label": "shopwarden apply"}
        assert [e["seq"] for e in run_cli_events(db, "--after", "1")] == [2, 3]


def run_cli_events(db, *args):
    return [json.loads(l) for l in run_cli("events", "--db", db, *args).stdout.splitlines()]


def test_writers_are_exclusive(server):
    p = run_cli("keys", "create", "--role", "operator", "--db", server.db, check=False)
    assert p.returncode == 1 and "holds" in p.stderr


def test_demo_twice_on_one_database_prints_the_same_working_keys():
    """`make run` twice: the second start replays the demo data and prints the same keys."""
    import signal
    import requests
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "sw.db")
        runs = []
        for _ in range(2):
            p, out, keys, base = serve_demo(db)
            r = requests.get(base + "/v1/products/p1",
                             headers={"Authorization": "Bearer " + keys["merchant:m1"]}, timeout=10)
            assert r.status_code == 200 and r.json()["merchant"] == "m1"
            p.send_signal(signal.SIGTERM)
            assert p.wait(timeout=60) == 0
            runs.append(keys)
        assert runs[0] == runs[1]
        assert set(runs[0]) == {"admin", "operator", "ingest", "merchant:m1", "merchant:m2",
                                "merchant:m3", "app:erp1", "streamer:s1", "analyst:a1",
                                "promoter:pr1"}


def test_serve_takes_every_option_its_help_names():
    """--sync full was in the help but not parsed once: every documented option must start."""
    import signal
    helptext = run_cli("serve", "--help").stdout
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "sw.db")
        pub = run_cli("buyer-data", "public-key", "--key", os.path.join(tmp, "k")).stdout.strip()
        assert len(pub) == 64
        for extra in (["--sync", "full"], ["--sync", "normal"], ["--threads", "2"],
                      ["--clock", "manual"], ["--buyer-public-key", pub],
                      ["--buyer-key", os.path.join(tmp, "k")], ["--log-level", "debug"]):
            assert extra[0] in helptext
            p = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:0", *extra],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            out = ""
            while "listening on" not in out:
                line = p.stdout.readline()
                if not line:
                    raise AssertionError((extra, p.wait(timeout=60), p.stderr.read()))
                out += line
            p.send_signal(signal.SIGTERM)
            assert p.wait(timeout=60) == 0
        bad = subprocess.run([BIN, "serve", "--db", db, "--sync", "sometimes"],
                             capture_output=True, text=True, timeout=60)
        assert bad.returncode == 2 and "--sync" in bad.stderr


def test_a_second_server_on_a_taken_port_is_refused(server):
    # SO_REUSEPORT would let it bind and silently take half of the first server's connections
    port = server.base.rsplit(":", 1)[1]
    with tempfile.TemporaryDirectory() as tmp:
        p = subprocess.run([BIN, "serve", "--db", os.path.join(tmp, "other.db"), "--listen",
                            f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=60)
    assert p.returncode != 0 and "cannot listen" in p.stderr
    assert server.api().get("/healthz").status_code == 200


def test_demo_refuses_a_reachable_address_and_says_its_keys_are_recomputable():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "sw.db")
        p = subprocess.run([BIN, "serve", "--db", db, "--listen", "0.0.0.0:0", "--demo"],
                           capture_output=True, text=True, timeout=60)
        assert p.returncode == 2 and "loopback" in p.stderr
        assert not os.path.exists(db)  # refused before anything was written
        import signal
        p, out, _, _ = serve_demo(db)
        p.send_signal(signal.SIGTERM)
        assert p.wait(timeout=60) == 0
        assert "recompute" in out


def test_routes_refuses_what_it_does_not_take():
    p = run_cli("routes", "--bogus", check=False)
    assert p.returncode == 2 and p.stderr.startswith("shopwarden routes:")


# Every command and subcommand: a bad option is a usage error (exit 2) whose message names the
# command and the option, before anything is opened or written.
COMMANDS = [("serve",), ("keys", "list"), ("keys", "create", "--role", "operator"),
            ("keys", "revoke", "--id", "k1"), ("policy", "check"), ("events",), ("apply", "-"),
            ("tick", "--to", "2026-01-05T09:00:00+08:00"), ("routes",), ("scan",),
            ("buyer-data", "public-key"), ("buyer-data", "open"), ("rescan",),
            ("replay",), ("cluster", "status")]


def test_every_command_refuses_an_unknown_option_with_exit_2():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "never.db")
        for cmd in COMMANDS:
            with_db = ["--db", db] if cmd[0] in ("serve", "keys", "events", "apply", "tick",
                                                 "rescan", "replay") else []
            p = run_cli(*cmd, "--bogus", *with_db, check=False, input="")
            assert p.returncode == 2, (cmd, p.returncode, p.stderr)
            assert p.stderr.startswith(f"shopwarden {cmd[0]}: unknown option '--bogus'"), \
                (cmd, p.stderr)
        assert not os.path.exists(db)
    # the commands list covers every command of `shopwarden --help`
    listed = {l.split()[0] for l in run_cli("--help").stdout.splitlines()
              if l.startswith("  ") and not l.strip().startswith("--")}
    assert listed == {c[0] for c in COMMANDS}


def test_cli_errors_name_the_command_and_the_problem():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "sw.db")
        cases = [
            (("keys",), 2, "shopwarden keys: a subcommand is required"),
            (("keys", "rotate"), 2, "shopwarden keys: unknown subcommand 'rotate'"),
            (("keys", "create", "--db", db), 2, "shopwarden keys: --role is required"),
            (("keys", "create", "--role"), 2, "shopwarden keys: option '--role' needs a value"),
            (("keys", "create", "--role", "boss", "--db", db), 2, "shopwarden keys: --role must be"),
            (("keys", "revoke", "--db", db), 2, "shopwarden keys: --id is required"),
            (("tick", "--db", db), 2, "shopwarden tick: --to is required"),
            (("tick", "--to", "soon", "--db", db), 2, "shopwarden tick: --to:"),
            (("events", "--limit", "x", "--db", db), 2, "shopwarden events: --limit must be"),
            (("events", "extra", "--db", db), 2, "shopwarden events: unexpected argument 'extra'"),
            (("apply", "--db", db), 2, "shopwarden apply: a FILE of commands"),
            (("apply", "--clock", "lunar", "--db", db, "-"), 2, "shopwarden apply: --clock must be"),
            (("policy",), 2, "shopwarden policy: a subcommand is required"),
            (("policy", "check", "/nonexistent.json"), 1, "shopwarden policy: /nonexistent.json:"),
            (("scan", "/nonexistent.ndjson"), 2, "shopwarden scan: cannot open"),
            (("buyer-data", "open"), 2, "shopwarden buyer-data: --key FILE is required"),
            (("serve", "--threads", "0", "--db", db), 2, "shopwarden serve: --threads must be"),
            (("serve", "now", "--db", db), 2, "shopwarden serve: unexpected argument 'now'"),
        ]
        for args, status, prefix in cases:
            p = run_cli(*args, check=False, input="")
            assert p.returncode == status, (args, p.returncode, p.stderr)
            assert p.stderr.startswith(prefix), (args, p.stderr)


def test_keys_list_create_revoke_offline_with_json():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "sw.db")
        run_cli("tick", "--to", "2026-01-05T09:00:00+08:00", "--db", db)
        made = json.loads(run_cli("keys", "create", "--role", "operator", "--id", "op-zhang",
                                  "--label", "张三", "--expires-at", "2027-01-01T00:00:00Z",
                                  "--json", "--db", db).stdout)
        assert made["id"] == "op-zhang" and made["role"] == "operator"
        assert made["label"] == "张三" and made["expires_at"] == "2027-01-01T00:00:00Z"
        assert made["key"].startswith("sw_")
        text = run_cli("keys", "create", "--role", "ingest", "--id", "feed", "--db", db).stdout
        assert "id:      feed" in text and "key:     sw_" in text
        listed = json.loads(run_cli("keys", "list", "--json", "--db", db).stdout)["keys"]
        assert [k["id"] for k in listed] == ["feed", "op-zhang"]
        assert listed[1]["label"] == "张三" and listed[1]["revoked_at"] is None
        assert made["key"] not in json.dumps(listed) and "hash" not in listed[0]
        revoked = json.loads(run_cli("keys", "revoke", "--id", "feed", "--json", "--db", db).stdout)
        assert revoked == {"id": "feed", "revoked": True}
        listed = json.loads(run_cli("keys", "list", "--json", "--db", db).stdout)["keys"]
        assert listed[0]["revoked_at"] is not None
        assert "op-zhang" in run_cli("keys", "list", "--db", db).stdout
        # refusals: a store that does not exist, an expiry behind the clock, a second revoke
        for args, msg in ((("--role", "merchant:m404"), "unknown_reference: role:"),
                          (("--role", "operator", "--expires-at", "2026-01-01T00:00:00Z"),
                           "rule_refused: expires_at:")):
            p = run_cli("keys", "create", *args, "--db", db, check=False)
            assert p.returncode == 1 and p.stderr.startswith("shopwarden keys: " + msg), p.stderr
        p = run_cli("keys", "revoke", "--id", "feed", "--db", db, check=False)
        assert p.returncode == 1 and p.stderr.startswith("shopwarden keys: state_conflict"), p.stderr
        p = run_cli("keys", "revoke", "--id", "nobody", "--db", db, check=False)
        assert p.returncode == 1 and p.stderr.startswith("shopwarden keys: not_found"), p.stderr


def test_the_demo_banner_names_each_key_by_id():
    import re
    import signal
    with tempfile.TemporaryDirectory() as tmp:
        p, out, keys, base = serve_demo(os.path.join(tmp, "sw.db"))
        try:
            ids = dict(re.findall(r"^\s+(\S+)\s+(\S+)\s+sw_\S+$", out, re.M))
            assert ids["operator"] == "demo-operator" and ids["merchant:m1"] == "demo-merchant-m1"
            import requests
            r = requests.get(base + "/v1/events", params={"limit": 1000}, timeout=10,
                             headers={"Authorization": "Bearer " + keys["admin"]})
            created = {e["subject"] for e in r.json()["events"] if e["type"] == "key.created"}
            assert set(ids.values()) <= created
        finally:
            p.send_signal(signal.SIGTERM)
            assert p.wait(timeout=60) == 0


def test_a_malformed_option_value_is_a_usage_error_with_exit_2():
    """operator-guide: 2 is a usage error (a missing or malformed value); a well-formed value
    the command refuses (an instant already past) is 1."""
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "keys.db")
        for bad in ("notadate", "2026-13-40T00:00:00Z"):
            p = run_cli("keys", "create", "--role", "operator", "--expires-at", bad, "--db", db,
                        check=False)
            assert p.returncode == 2 and "--expires-at" in p.stderr, (bad, p.stderr)
        p = run_cli("keys", "create", "--role", "operator", "--expires-at",
                    "2001-01-01T00:00:00Z", "--db", db, check=False)
        assert p.returncode == 1, p.stderr
