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
    assert "$.categories.beauty.skincare: unknown industry 'beauty'" in bad.stdout
    assert "$.categories.beauty.skincare: deposit_fen must be between" in bad.stdout
    assert "$: unknown field 'surprise'" in bad.stdout
    assert "3 problems" in bad.stdout


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
        # the store has no deposit yet (held), and the product has no production date,
        # certificate or manufacturer: a three-no violation, at once (ban, deduction owed)
        assert [e["type"] for e in events] == [
            "merchant.created", "merchant.status_changed", "product.created", "product.scanned",
            "product.banned", "deposit.deducted", "merchant.holds_changed", "violation.enforced"]
        assert [e["seq"] for e in run_cli_events(db, "--after", "6")] == [7, 8]


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
                                "merchant:m3", "app:erp1"}


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
