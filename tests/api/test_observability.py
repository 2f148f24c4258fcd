"""Observability (issue 11): a JSON access log line per request on stderr, nothing but JSON on
stderr, --log-level, X-Request-Id accepted or made and echoed on every answer and in error
bodies, and a /metrics page that promtool accepts, with a latency histogram by route
template, sw_build_info, and batch counters that stand still while the server idles."""
import json
import re
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from conftest import BIN, Server

RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
HEX32 = re.compile(r"^[0-9a-f]{32}$")
ACCESS_FIELDS = {"time", "request_id", "key", "role", "method", "route", "status", "bytes",
                 "latency_us"}


class LoggedServer(Server):
    """A server started with extra `serve` options; its stderr is read back line by line."""

    def __init__(self, tmp, clock="manual", extra=()):
        super().__init__(tmp, clock)
        self.extra = list(extra)

    def start(self):
        self.proc = subprocess.Popen(
            [BIN, "serve", "--db", self.db, "--listen", "127.0.0.1:0", "--clock", self.clock,
             *self.extra], stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        while line and "listening on" not in line:
            line = self.proc.stdout.readline()
        m = re.search(r"listening on (http://\S+)", line)
        assert m, f"server did not start; see {self.log.name}"
        self.base = m.group(1)
        return self

    def lines(self):
        """Every line written to stderr so far, each parsed as JSON (the test fails on one that
        is not)."""
        self.log.flush()
        with open(self.log.name, encoding="utf-8") as f:
            text = f.read()
        out = []
        for line in text.splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                raise AssertionError(f"stderr line is not JSON: {line!r}")
            assert isinstance(out[-1], dict), line
        return out

    def access(self, request_id, timeout=10):
        """The access line of a request; it is written once the answer is sent."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [o for o in self.lines() if o.get("event") == "access"
                     and o.get("request_id") == request_id]
            if found:
                assert len(found) == 1, found
                return found[0]
            time.sleep(0.05)
        raise AssertionError(f"no access line for {request_id}")


@pytest.fixture
def logged():
    servers = []

    def make(clock="manual", extra=()):
        s = LoggedServer(tempfile.mkdtemp(prefix="sw-api-"), clock, extra).start()
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.stop()


def metrics(api):
    r = api.get("/metrics")
    assert r.status_code == 200, r.text
    return r.text


def sample(text, name):
    m = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    assert m, f"{name} missing from /metrics"
    return float(m.group(1))


def test_access_line_per_request_with_every_field(logged):
    s = logged()
    admin = s.admin()
    r = admin.post("/v1/admin/keys", {"role": "operator", "id": "obs-op"})
    assert r.status_code == 201, r.text
    op = s.api(r.json()["result"]["key"])
    r = op.post("/v1/merchants", {"id": "m1", "name": "store m1", "categories": ["fresh.fruit"]},
                headers={"X-Request-Id": "create-m1"})
    assert r.status_code == 201, r.text
    line = s.access("create-m1")
    assert ACCESS_FIELDS <= set(line), line
    assert RFC3339_UTC.match(line["time"]), line
    assert line["level"] == "info"
    assert (line["key"], line["role"], line["method"], line["route"], line["status"]) == \
        ("obs-op", "operator", "POST", "/v1/merchants", 201)
    assert line["bytes"] == len(r.content)
    assert isinstance(line["latency_us"], int) and line["latency_us"] >= 0

    # The route is the template, not the path; a refusal before the handler has its line too.
    r = op.get("/v1/merchants/m1", headers={"X-Request-Id": "get-m1"})
    assert r.status_code == 200
    line = s.access("get-m1")
    assert (line["route"], line["status"], line["bytes"]) == ("/v1/merchants/{id}", 200,
                                                             len(r.content))
    r = s.api().get("/v1/merchants/m1", headers={"X-Request-Id": "nokey"})
    assert r.status_code == 401
    line = s.access("nokey")
    assert (line["key"], line["role"], line["route"], line["status"]) == \
        (None, None, "/v1/merchants/{id}", 401)
    r = op.get("/v1/nowhere", headers={"X-Request-Id": "unmatched"})
    assert r.status_code == 404
    assert s.access("unmatched")["route"] == "-"

    # One line per request: ten requests, ten lines.
    for i in range(10):
        assert admin.get("/healthz", headers={"X-Request-Id": f"h{i}"}).status_code == 200
    for i in range(10):
        assert s.access(f"h{i}")["route"] == "/healthz"


def test_every_stderr_line_is_json_through_start_and_stop(logged):
    s = logged()
    s.api().get("/healthz")
    # What libmicrohttpd answers itself is logged too.
    with socket.create_connection((s.base.split("//")[1].split(":")[0],
                                   int(s.base.rsplit(":", 1)[1])), timeout=10) as c:
        c.sendall(b"GET /healthz HTTP/3.0\r\nHost: x\r\n\r\n")
        head = c.recv(65536).decode("latin-1")
    assert " 505 " in head.split("\r\n")[0]
    s.stop()
    lines = s.lines()
    events = [o.get("event") for o in lines]
    assert "server.started" in events and "server.stopped" in events, events
    assert all(o.get("level") in ("debug", "info", "warn", "error") for o in lines), lines
    assert all(RFC3339_UTC.match(o.get("time", "")) for o in lines), lines
    assert any(o.get("event") == "access" and o.get("status") == 505 for o in lines), lines


def test_log_level_warn_drops_info_lines(logged):
    s = logged(extra=["--log-level", "warn"])
    for _ in range(3):
        assert s.api().get("/healthz").status_code == 200
        assert s.api().get("/v1/nowhere").status_code == 404
    s.stop()
    lines = s.lines()
    assert not [o for o in lines if o["level"] in ("debug", "info")], lines
    # ... while the default level keeps them.
    d = logged()
    assert d.api().get("/healthz", headers={"X-Request-Id": "default-level"}).status_code == 200
    assert d.access("default-level")["level"] == "info"


def test_log_level_refuses_an_unknown_level():
    with tempfile.TemporaryDirectory() as tmp:
        p = subprocess.run([BIN, "serve", "--db", f"{tmp}/sw.db", "--listen", "127.0.0.1:0",
                            "--log-level", "loud"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "--log-level" in p.stderr


def error_request_id(r):
    body = r.json()
    assert "error" in body, body
    return body["error"].get("request_id")


def test_request_id_given_or_made_echoed_on_every_answer(logged):
    s = logged()
    admin = s.admin()
    r = admin.get("/healthz", headers={"X-Request-Id": "client-id-1"})
    assert r.headers["X-Request-Id"] == "client-id-1"
    r = admin.get("/healthz")
    made = r.headers["X-Request-Id"]
    assert HEX32.match(made), made
    assert admin.get("/healthz").headers["X-Request-Id"] != made
    # An id that is too long is replaced, not echoed.
    r = admin.get("/healthz", headers={"X-Request-Id": "a" * 129})
    assert HEX32.match(r.headers["X-Request-Id"])
    assert admin.get("/healthz", headers={"X-Request-Id": "b" * 128}).headers["X-Request-Id"] \
        == "b" * 128

    # Errors: the header, and the same id in the envelope, given or made.
    cases = [
        (s.api().get("/v1/merchants"), 401),
        (admin.get("/v1/nowhere"), 404),
        (admin.raw("DELETE", "/v1/merchants"), 405),
        (admin.raw("POST", "/v1/merchants", data=b"x" * (1 << 20 | 1),
                   headers={"Content-Type": "application/json"}), 413),
        (admin.post("/v1/merchants", {"id": "m1"}), 400),
    ]
    for r, status in cases:
        assert r.status_code == status, (status, r.text)
        assert HEX32.match(r.headers["X-Request-Id"]), r.headers
        assert error_request_id(r) == r.headers["X-Request-Id"], r.text
    r = admin.get("/v1/nowhere", headers={"X-Request-Id": "mine-404"})
    assert r.headers["X-Request-Id"] == "mine-404" and error_request_id(r) == "mine-404"

    # libmicrohttpd's own refusal (an HTTP version it does not speak) carries one too.
    host, port = s.base.split("//")[1].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as c:
        c.sendall(b"GET /healthz HTTP/3.0\r\nHost: x\r\n\r\n")
        raw = b""
        while b"\r\n\r\n" not in raw or not raw.rstrip().endswith(b"}"):
            chunk = c.recv(65536)
            if not chunk:
                break
            raw += chunk
    head, body = raw.decode().split("\r\n\r\n", 1)
    m = re.search(r"^X-Request-Id: (\S+)\r?$", head, re.M | re.I)
    assert m and HEX32.match(m.group(1)), head
    assert json.loads(body)["error"]["request_id"] == m.group(1)


def test_metrics_pass_promtool_with_histogram_and_build_info(logged):
    s = logged()
    admin = s.admin()
    assert admin.post("/v1/merchants", {"id": "m1", "name": "store m1",
                                        "categories": ["fresh.fruit"]}).status_code == 201
    for _ in range(3):
        assert admin.get("/v1/merchants/m1").status_code == 200
    assert admin.get("/v1/merchants/m9").status_code == 404
    assert admin.get("/v1/nowhere").status_code == 404
    text = metrics(admin)

    promtool = shutil.which("promtool")
    assert promtool, "promtool missing: run scripts/bootstrap (Debian package prometheus)"
    p = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0 and not p.stdout.strip() and not p.stderr.strip(), \
        p.stdout + p.stderr

    # Every family has its HELP and TYPE.
    families = {m.group(1) for m in re.finditer(r"^# TYPE (\S+) ", text, re.M)}
    helped = {m.group(1) for m in re.finditer(r"^# HELP (\S+) ", text, re.M)}
    assert families and families == helped, families ^ helped

    h = "sw_http_request_duration_seconds"
    assert f"# TYPE {h} histogram" in text
    get_ok = 'method="GET",route="/v1/merchants/{id}",class="2xx"'
    assert sample(text, f"{h}_count{{{get_ok}}}") == 3
    assert sample(text, f'{h}_bucket{{{get_ok},le="+Inf"}}') == 3
    assert sample(text, f'{h}_count{{method="GET",route="/v1/merchants/{{id}}",class="4xx"}}') == 1
    assert sample(text, f'{h}_count{{method="-",route="-",class="4xx"}}') == 1
    assert sample(text, f'{h}_count{{method="POST",route="/v1/merchants",class="2xx"}}') == 1

    version = admin.get("/healthz").json()["version"]
    m = re.search(r'^sw_build_info\{([^}]*)\} 1$', text, re.M)
    assert m and f'version="{version}"' in m.group(1), text


def test_batch_counters_stand_still_while_idle(logged):
    # The system clock runs the scheduler, which ticks every second.
    s = logged(clock="system")
    api = s.admin()
    before = metrics(api)
    time.sleep(3.5)
    idle = metrics(api)
    for name in ("sw_batches_total", "sw_batch_commands_total"):
        assert sample(idle, name) == sample(before, name), name
    assert api.post("/v1/merchants", {"id": "m1", "name": "store m1",
                                      "categories": ["fresh.fruit"]}).status_code == 201
    busy = metrics(api)
    assert sample(busy, "sw_batches_total") == sample(idle, "sw_batches_total") + 1
    assert sample(busy, "sw_batch_commands_total") >= sample(idle, "sw_batch_commands_total") + 1
