"""The HTTP adapter under hostile clients (issue 10): nothing is read or buffered before the
request is known to be acceptable, connections are capped overall and per address, keys are
rate limited, refused app reads cannot grow the log, and every answer, including the ones
libmicrohttpd writes itself, is the JSON error envelope."""
import json
import os
import re
import resource
import socket
import subprocess
import tempfile
import time

import pytest
import requests

import contract
from conftest import BIN, COMPLETE, Server, default_policy, error_code, open_store


class TunedServer(Server):
    """A server started with extra `serve` options (limits, a policy file)."""

    def __init__(self, tmp, extra):
        super().__init__(tmp)
        self.extra = extra

    def start(self):
        self.proc = subprocess.Popen(
            [BIN, "serve", "--db", self.db, "--listen", "127.0.0.1:0", "--clock", "manual",
             *self.extra], stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        while line and "listening on" not in line:
            line = self.proc.stdout.readline()
        m = re.search(r"listening on (http://\S+)", line)
        assert m, f"server did not start; see {self.log.name}"
        self.base = m.group(1)
        return self


@pytest.fixture
def tuned():
    servers = []

    def make(*extra, policy=None):
        tmp = tempfile.mkdtemp(prefix="sw-api-")
        args = list(extra)
        if policy is not None:
            path = os.path.join(tmp, "policy.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(policy, f, ensure_ascii=False)
            args += ["--policy", path]
        s = TunedServer(tmp, args).start()
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.stop()


def addr(server):
    host, port = server.base.split("//")[1].split(":")
    return host, int(port)


def connect(server, src="127.0.0.1", timeout=5):
    c = socket.socket()
    c.settimeout(timeout)
    c.bind((src, 0))
    c.connect(addr(server))
    return c


def read_answer(c, request=None):
    """(status, headers, body) of one HTTP answer, or (None, {}, b'') when the server closed
    the connection without one. With the request's bytes (its request line at least), the
    answer is checked against api/openapi.yaml like every answer requests gets."""
    status, headers, body = _read_answer(c)
    if request is not None and status is not None:
        contract.check_raw(request, status, headers.get("content-type"), body)
    return status, headers, body


def _read_answer(c):
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            d = c.recv(65536)
            if not d:
                return None, {}, data
            data += d
    except (ConnectionResetError, socket.timeout):
        return None, {}, data
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        k, v = line.split(":", 1)
        headers[k.strip().lower()] = v.strip()
    n = int(headers.get("content-length", "0"))
    while len(body) < n:
        d = c.recv(65536)
        if not d:
            break
        body += d
    return int(lines[0].split()[1]), headers, body[:n]


def raw(server, data, src="127.0.0.1"):
    c = connect(server, src)
    try:
        try:
            c.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered early and closed: the answer is still readable
        return read_answer(c, data)
    finally:
        c.close()


def envelope(status, headers, body):
    """Asserts an error envelope and returns its code."""
    assert status is not None, "connection closed without an answer"
    assert headers.get("content-type", "").startswith("application/json"), (status, headers, body)
    doc = json.loads(body.decode("utf-8"))
    err = doc["error"]
    assert set(err) == {"code", "message", "details", "request_id"}, doc
    assert err["request_id"] == headers.get("x-request-id"), (headers, doc)
    assert isinstance(err["message"], str) and err["message"]
    assert isinstance(err["details"], dict)
    return err["code"]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def hold_fds(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(n, hard), hard))
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < n:
        pytest.skip(f"needs {n} file descriptors")


# ---------- resources before authentication ----------

def flood(server, heads):
    """Opens a connection per request head, then sends each a 1 MiB body as fast as the server
    takes it. Returns how much the server's memory grew (MiB) and the error codes answered."""
    before = rss_kib(server.proc.pid)
    socks = []
    for i, h in enumerate(heads):
        # Two source addresses, so no address passes the per-address cap (128, answered 503
        # busy): what is tested here is the refusal on headers, not the connection caps.
        c = connect(server, ("127.0.0.1", "127.0.0.2")[i % 2])
        c.sendall(h)
        c.setblocking(False)
        socks.append(c)
    chunk = b"x" * 65536
    sent = [0] * len(socks)
    deadline = time.time() + 20
    while time.time() < deadline and any(0 <= s < (1 << 20) for s in sent):
        for i, c in enumerate(socks):
            if 0 <= sent[i] < (1 << 20):
                try:
                    sent[i] += c.send(chunk)
                except BlockingIOError:
                    pass
                except OSError:
                    sent[i] = -1  # refused: the server closed the connection
    time.sleep(0.5)
    grown_mib = (rss_kib(server.proc.pid) - before) / 1024
    codes = {}
    for c, h in zip(socks, heads):
        c.setblocking(True)
        c.settimeout(5)
        status, headers, body = read_answer(c, h)
        if status is not None:
            code = envelope(status, headers, body)
            codes[code] = codes.get(code, 0) + 1
        c.close()
    return grown_mib, codes


def test_refused_uploads_are_never_buffered(server, shop):
    """150 connections each sending a 1 MiB body the server refuses on its headers (no key,
    a wrong key, a role that may not, an unknown route) are answered without reading the
    bodies: the server's memory does not grow by the 150 MiB sent at it."""
    m1_key = shop["m1"].key
    heads = []
    for i in range(150):
        auth = ["", "Authorization: Bearer sw_wrong\r\n", f"Authorization: Bearer {m1_key}\r\n",
                ""][i % 4]
        path = "/v1/nowhere" if i % 4 == 3 else ("/v1/merchants" if i % 4 == 2 else "/v1/products")
        heads.append(f"POST {path} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\n"
                     f"Content-Length: {1 << 20}\r\n\r\n".encode())
    grown_mib, codes = flood(server, heads)
    assert grown_mib < 40, f"server grew by {grown_mib:.0f} MiB"
    assert set(codes) <= {"unauthorized", "forbidden", "route_not_found"}, codes
    assert sum(codes.values()) >= 100, codes  # answered, not just dropped
    assert shop["m1"].get("/v1/products/p1").status_code == 200


def test_public_routes_read_no_body(server):
    """/healthz and /metrics need no key: a GET with a 1 MiB body to them is refused on its
    headers, so keyless clients cannot make the server buffer bodies there either."""
    heads = [f"GET {('/healthz', '/metrics')[i % 2]} HTTP/1.1\r\nHost: x\r\n"
             f"Content-Type: application/json\r\nContent-Length: {1 << 20}\r\n\r\n".encode()
             for i in range(150)]
    grown_mib, codes = flood(server, heads)
    assert grown_mib < 40, f"server grew by {grown_mib:.0f} MiB"
    assert set(codes) == {"bad_request"} and sum(codes.values()) >= 100, codes
    assert server.api().get("/healthz").status_code == 200


def test_too_large_content_length_is_refused_before_the_body(shop, server):
    status, headers, body = raw(server, (
        "POST /v1/products HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + shop["m1"].key +
        "\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n").encode())
    assert status == 413 and envelope(status, headers, body) == "payload_too_large"


# ---------- connection limits ----------

def idle(server, n, src="127.0.0.1"):
    return [connect(server, src) for _ in range(n)]


def healthz(server, src="127.0.0.1", timeout=5, full=False):
    c = connect(server, src, timeout)
    try:
        c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = read_answer(c, b"GET /healthz HTTP/1.1")
        if full:  # and whether the server closed the connection after it
            c.settimeout(2)
            return answer, c.recv(1) == b""
        return answer[0]
    except OSError:
        return (None, {}, b""), True if full else None
    finally:
        c.close()


def refused_busy(answer):
    """A connection past a cap: 503 busy, Retry-After, and the connection closed."""
    (status, headers, body), closed = answer
    assert status == 503 and envelope(status, headers, body) == "busy", (status, body)
    assert "connections" in json.loads(body)["error"]["message"]
    assert int(headers["retry-after"]) >= 1 and headers.get("connection") == "close"
    assert closed


def test_per_address_cap_refuses_a_flood_and_idle_connections_time_out(tuned):
    s = tuned("--threads", "2", "--max-connections-per-ip", "4", "--idle-timeout", "2")
    held = idle(s, 4)
    time.sleep(0.3)
    t = time.time()
    refused_busy(healthz(s, full=True))  # a fifth from the same address: told so at once
    assert time.time() - t < 1.5
    assert healthz(s, "127.0.0.2") == 200  # another address is not affected
    time.sleep(3)  # the idle ones time out
    for c in held:
        c.settimeout(1)
        assert c.recv(1) == b""
        c.close()
    assert healthz(s) == 200
    metrics = s.api().get("/metrics").text
    assert re.search(r"^sw_http_connections_refused_total [1-9]", metrics, re.M)


def test_a_flood_of_idle_connections_does_not_lock_out_other_clients(server):
    """4,096 idle connections from one address (the default per-address cap is 128)."""
    hold_fds(4096 + 256)
    held = []
    try:
        for _ in range(4096):
            try:
                held.append(connect(server, timeout=2))
            except OSError:
                break
        t = time.time()
        assert healthz(server, "127.0.0.2", timeout=5) == 200
        assert time.time() - t < 2
    finally:
        for c in held:
            c.close()


def test_at_the_overall_cap_a_new_client_is_told_at_once(tuned):
    s = tuned("--threads", "1", "--max-connections", "4", "--max-connections-per-ip", "0",
              "--idle-timeout", "2")
    held = idle(s, 4)
    time.sleep(0.3)
    t = time.time()
    refused_busy(healthz(s, "127.0.0.3", full=True))
    assert time.time() - t < 1.5
    # an idle flood past the cap holds the reserve only briefly: idle ones past the cap go first
    extra = idle(s, 20, "127.0.0.4")
    time.sleep(3.5)  # the cap's own idle ones and the extra ones have timed out
    assert healthz(s, "127.0.0.3") == 200
    for c in held + extra:
        c.close()


# ---------- rate limits ----------

def low_rate_policy():
    p = default_policy()
    p["rate_limits"] = {"exempt_roles": ["admin"], "read": {"per_second": 1, "burst": 3},
                        "scan": {"per_second": 1, "burst": 1}}
    return p


def test_keys_are_rate_limited_per_route_class(tuned):
    s = tuned(policy=low_rate_policy())
    op = s.client("operator")  # exempt: opening the stores takes no token
    for mid in ("m1", "m2"):
        open_store(op, mid, "fresh.fruit", deposit=False)
    m1, m2 = s.client("merchant:m1"), s.client("merchant:m2")
    assert [m1.get("/v1/admin/clock").status_code for _ in range(3)] == [200] * 3
    r = m1.get("/v1/admin/clock")
    assert r.status_code == 429 and error_code(r) == "rate_limited"
    assert int(r.headers["Retry-After"]) >= 1
    assert r.json()["error"]["details"] == {}
    # another key, and another class of the same key, have their own buckets
    assert m2.get("/v1/admin/clock").status_code == 200
    assert m1.post("/v1/scan", {"title": "t"}).status_code == 200
    r = m1.post("/v1/scan", {"title": "t"})
    assert r.status_code == 429 and error_code(r) == "rate_limited"
    # an exempt role is not limited
    assert all(s.admin().get("/v1/admin/clock").status_code == 200 for _ in range(10))
    time.sleep(int(m1.get("/v1/admin/clock").headers["Retry-After"]))
    assert m1.get("/v1/admin/clock").status_code == 200
    metrics = s.api().get("/metrics").text
    assert re.search(r"^sw_http_rate_limited_total [1-9]", metrics, re.M)


def test_a_keys_writes_are_limited_in_bytes_too(tuned):
    """The single writer stores every body: one key looping large edits could take most of it
    within its request rate. Write bodies also draw from a per-key bucket of bytes."""
    p = default_policy()
    p["rate_limits"] = {"exempt_roles": ["admin", "operator"],
                        "write_bytes": {"per_second": 1000, "burst": 40000}}
    s = tuned(policy=p)
    op = s.client("operator")
    open_store(op, "m1", "fresh.fruit")
    open_store(op, "m2", "fresh.fruit")
    m1, m2 = s.client("merchant:m1"), s.client("merchant:m2")
    for m, pid in ((m1, "a1"), (m2, "b1")):
        r = m.post("/v1/products", {"id": pid, "title": "脐橙", "category": "fresh.fruit",
                                    "price_fen": 100, **COMPLETE})
        assert r.status_code == 201, r.text
    big = {"detail": "fresh" * 3400}  # 17 KB (ASCII: requests escapes CJK to 6 bytes)
    assert m1.patch("/v1/products/a1", big).status_code == 200
    assert m1.patch("/v1/products/a1", {"detail": "juicy" * 3400}).status_code == 200
    r = m1.patch("/v1/products/a1", {"detail": "sweet" * 3400})
    assert r.status_code == 429 and error_code(r) == "rate_limited", r.text
    assert "bytes" in r.json()["error"]["message"] and int(r.headers["Retry-After"]) >= 1
    assert m1.get("/v1/products/a1").json()["detail"].startswith("juicy")  # nothing changed
    # small writes of the same key still fit, and another key has its own bytes
    assert m1.patch("/v1/products/a1", {"stock": 5}).status_code == 200
    assert m2.patch("/v1/products/b1", big).status_code == 200
    # a chunked body (no Content-Length) is counted once read, before its command runs
    body = json.dumps({"detail": "tangy" * 3400}).encode()
    chunks = (body[i:i + 4096] for i in range(0, len(body), 4096))
    r = requests.patch(m2.base + "/v1/products/b1", data=chunks, timeout=30,
                       headers={**m2.headers(), "Content-Type": "application/json"})
    assert "Content-Length" not in r.request.headers
    assert r.status_code == 200, r.text
    chunks = (body[i:i + 4096] for i in range(0, len(body), 4096))
    r = requests.patch(m2.base + "/v1/products/b1", timeout=30,
                       data=(c.replace(b"tangy", b"zesty") for c in chunks),
                       headers={**m2.headers(), "Content-Type": "application/json"})
    assert r.status_code == 429 and error_code(r) == "rate_limited", r.text
    assert "bytes" in r.json()["error"]["message"]
    assert m2.get("/v1/products/b1").json()["detail"].startswith("tangy")  # nothing changed


def test_rate_limits_are_validated(tuned):
    from conftest import check_policy
    p = default_policy()
    p["rate_limits"] = {"read": {"per_second": 0, "burst": 1}, "exempt_roles": ["root"],
                        "writes": {}}
    out = check_policy(p)
    assert out.returncode != 0
    for path in ("$.rate_limits.read.per_second", "$.rate_limits.exempt_roles[0]",
                 "unknown field 'writes'"):
        assert path in out.stdout + out.stderr, out.stdout + out.stderr


def test_refused_app_reads_do_not_grow_the_log(server, operator):
    open_store(operator, "m1", "fresh.fruit")
    app = server.client("app:erp9")
    before = server.db_counts()
    for _ in range(50):
        r = app.get("/v1/orders", params={"merchant": "m1"})
        assert r.status_code == 403 and error_code(r) == "authorization_closed"
    after = server.db_counts()
    assert after["events"] - before["events"] == 1
    assert after["commands"] - before["commands"] == 1
    metrics = server.api().get("/metrics").text
    assert re.search(r"^sw_app_denials_suppressed_total 49$", metrics, re.M)
    # a grant is seen at once, and the first access logged after it carries the 49 refusals
    # that were only counted (docs/access.md)
    m1 = server.client("merchant:m1")
    assert m1.post("/v1/merchants/m1/grants", {"app": "erp9"}).status_code == 200
    assert app.get("/v1/orders", params={"merchant": "m1"}).status_code == 200
    assert app.get("/v1/orders", params={"merchant": "m1"}).status_code == 200
    evs = server.admin().get("/v1/events", params={"type": "order.accessed",
                                                   "limit": 10}).json()["events"]
    assert [e["payload"].get("suppressed_denials") for e in evs] == [49, None]


# ---------- every answer is the envelope ----------

def auth(server):
    return f"Authorization: Bearer {server.admin_key}\r\n".encode()


def chunked(server, body):
    return (b"POST /v1/scan HTTP/1.1\r\nHost: x\r\n" + auth(server) +
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + body)


RAW_CASES = {
    "uri_20k": (lambda s: b"GET /v1/" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                414, "uri_too_long"),
    "uri_100k": (lambda s: b"GET /v1/" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                 414, "uri_too_long"),
    "headers_64k": (lambda s: b"GET /healthz HTTP/1.1\r\nHost: x\r\n" +
                    b"".join(b"X-F%d: %s\r\n" % (i, b"v" * 1000) for i in range(64)) + b"\r\n",
                    431, "headers_too_large"),
    "bad_header_line": (lambda s: b"GET /healthz HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n",
                        400, "bad_request"),
    "http_version": (lambda s: b"GET /healthz HTTP/3.0\r\nHost: x\r\n\r\n",
                     505, "http_version_not_supported"),
    "bad_chunk": (lambda s: chunked(s, b"zz\r\nabc\r\n0\r\n\r\n"), 400, "bad_request"),
    "chunk_size_overflow": (lambda s: chunked(s, b"FFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n"),
                            413, "payload_too_large"),
    "chunked_2mib": (lambda s: chunked(s, (b"100000\r\n" + b"x" * 0x100000 + b"\r\n") * 2 +
                                       b"0\r\n\r\n"), 413, "payload_too_large"),
    "ff_in_path": (lambda s: b"GET /v1/%FF%FE HTTP/1.1\r\nHost: x\r\n" + auth(s) + b"\r\n",
                   404, "route_not_found"),
    "raw_ff_in_path": (lambda s: b"GET /v1/\xff\xfe\xc3 HTTP/1.1\r\nHost: x\r\n" + auth(s) +
                       b"\r\n", 404, "route_not_found"),
    "ff_in_id": (lambda s: b"GET /v1/products/%FFp HTTP/1.1\r\nHost: x\r\n" + auth(s) + b"\r\n",
                 404, "not_found"),
    "cjk_cut_in_message": (lambda s: b"GET /v1/products/" + b"%E4%BD%A0" * 120 +
                           b" HTTP/1.1\r\nHost: x\r\n" + auth(s) + b"\r\n", 404, "not_found"),
    "two_content_lengths": (lambda s: b"POST /v1/scan HTTP/1.1\r\nHost: x\r\n" + auth(s) +
                            b"Content-Type: application/json\r\nContent-Length: 2\r\n"
                            b"Content-Length: 13\r\n\r\n{}", 400, "bad_request"),
    # one key and one idempotency key: which of two counted was nobody's guess
    "two_authorizations": (lambda s: b"GET /v1/merchants HTTP/1.1\r\nHost: x\r\n" + auth(s) +
                           b"Authorization: Bearer another\r\n\r\n", 400, "bad_request"),
    "two_idempotency_keys": (lambda s: b"POST /v1/scan HTTP/1.1\r\nHost: x\r\n" + auth(s) +
                             b"Content-Type: application/json\r\nIdempotency-Key: a\r\n"
                             b"Idempotency-Key: b\r\nContent-Length: 2\r\n\r\n{}",
                             400, "bad_request"),
    "gzip_coding": (lambda s: b"POST /v1/scan HTTP/1.1\r\nHost: x\r\n" + auth(s) +
                    b"Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n{}",
                    400, "bad_request"),
}


@pytest.mark.parametrize("case", sorted(RAW_CASES))
def test_raw_requests_get_the_envelope(server, case):
    make, status, code = RAW_CASES[case]
    got, headers, body = raw(server, make(server))
    assert got == status, (got, body[:300])
    assert envelope(got, headers, body) == code
    assert healthz(server) == 200  # and the server is fine


def test_a_message_is_cut_between_characters(server):
    r = server.admin().get("/v1/products/" + "你" * 120)
    assert r.status_code == 404
    msg = r.json()["error"]["message"]
    assert msg.startswith("unknown product '你") and "\ufffd" not in msg


def test_malformed_content_length_closes_without_a_corrupt_answer(server):
    """libmicrohttpd 0.9.75 would write its status line twice here: the server closes."""
    status, headers, body = raw(server, b"POST /v1/scan HTTP/1.1\r\nHost: x\r\n" +
                                auth(server) + b"Content-Type: application/json\r\n"
                                b"Content-Length: 1x\r\n\r\n{}")
    if status is not None:
        envelope(status, headers, body)
    assert healthz(server) == 200


# ---------- media type ----------

@pytest.mark.parametrize("ctype,status", [
    (None, 415), ("text/plain", 415), ("application/jsonx", 415), ("text/json", 415),
    ("application/json", 200), ("Application/JSON; charset=utf-8", 200),
    ("APPLICATION/JSON;charset=UTF-8", 200), ("application/json ; charset=utf-8", 200),
])
def test_bodies_must_be_json(server, ctype, status):
    admin = server.admin()
    headers = {"Content-Type": ctype} if ctype else {}
    r = requests.post(server.base + "/v1/scan", data=b'{"title": "t"}',
                      headers={"Authorization": f"Bearer {server.admin_key}", **headers},
                      timeout=30)
    if ctype is None:
        assert "Content-Type" not in r.request.headers
    assert r.status_code == status, r.text
    if status == 415:
        assert error_code(r) == "unsupported_media_type"
    # no body, no Content-Type needed
    assert admin.post("/v1/scan", None).status_code != 415


def test_the_bearer_scheme_is_read_in_any_case(server):
    """RFC 9110 11.1: an authentication scheme's name is case-insensitive."""
    for scheme in ("Bearer", "bearer", "BEARER"):
        got, headers, body = raw(server, b"GET /v1/merchants HTTP/1.1\r\nHost: x\r\n"
                                 b"Authorization: " + scheme.encode() + b" " +
                                 server.admin_key.encode() + b"\r\n\r\n")
        assert got == 200, (scheme, body[:300])
    got, headers, body = raw(server, b"GET /v1/merchants HTTP/1.1\r\nHost: x\r\n"
                             b"Authorization: Basic abc\r\n\r\n")
    assert got == 401 and envelope(got, headers, body) == "unauthorized"
