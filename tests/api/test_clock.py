import tempfile

from conftest import Server, error_code


def test_manual_clock_moves_forward_only(server):
    admin = server.admin()
    assert admin.get("/v1/admin/clock").json() == {"now": "2026-01-05T01:00:00Z", "clock": "manual"}
    r = admin.post("/v1/admin/clock", {"now": "2026-01-06T00:00:00+08:00"})
    assert r.status_code == 200 and r.json()["now"] == "2026-01-05T16:00:00Z"
    r = admin.post("/v1/admin/clock", {"now": "2026-01-01T00:00:00Z"})
    assert r.status_code == 409 and error_code(r) == "clock_backwards"
    r = admin.post("/v1/admin/clock", {"now": "tomorrow"})
    assert r.status_code == 400
    # commands are stamped with the manual clock
    r = admin.post("/v1/merchants", {"id": "m1", "name": "n", "categories": ["fresh.fruit"]})
    assert r.json()["at"] == "2026-01-05T16:00:00Z"
    # and it persists across a restart
    server.stop()
    server.start()
    assert server.admin().get("/v1/admin/clock").json()["now"] == "2026-01-05T16:00:00Z"


def test_system_clock_cannot_be_moved():
    with tempfile.TemporaryDirectory(prefix="sw-api-") as tmp:
        s = Server(tmp, clock="system").start()
        try:
            r = s.admin().post("/v1/admin/clock", {"now": "2030-01-01T00:00:00Z"})
            assert r.status_code == 409 and error_code(r) == "state_conflict"
            assert s.admin().get("/v1/admin/clock").json()["clock"] == "system"
        finally:
            s.stop()


def test_manual_clock_stops_after_the_calendar(server):
    """A clock moved to year 9999 could never come back: refuse instants past the calendar's
    last year + 1 (the default calendar holds 2025 and 2026)."""
    admin = server.admin()
    before = server.db_counts()
    for far in ("9999-12-31T00:00:00Z", "2028-01-01T00:00:00+08:00"):
        r = admin.post("/v1/admin/clock", {"now": far})
        assert r.status_code == 400 and error_code(r) == "invalid_value"
        assert r.json()["error"]["details"]["field"] == "now"
    # the message names the day where the calendar counts it (2028 there, 2027 in UTC)
    assert "2028-01-01 in Asia/Shanghai" in r.json()["error"]["message"], r.text
    assert admin.get("/v1/admin/clock").json()["now"] == "2026-01-05T01:00:00Z"
    assert server.db_counts() == before
    r = admin.post("/v1/admin/clock", {"now": "2027-12-31T23:59:59+08:00"})
    assert r.status_code == 200


def test_a_clock_move_with_an_idempotency_key_is_a_write_like_any_other(server):
    """A repeat of the key answers the first answer and moves nothing, also after another move
    and a restart; the key with another instant is 409 idempotency_conflict."""
    admin = server.admin()
    r = admin.post("/v1/admin/clock", {"now": "2026-01-06T00:00:00Z"}, idem="clk-1")
    assert r.status_code == 200, r.text
    first = r.json()
    assert first["now"] == "2026-01-06T00:00:00Z" and first.get("replayed") is False
    r = admin.post("/v1/admin/clock", {"now": "2026-01-06T00:00:00Z"}, idem="clk-1")
    assert r.status_code == 200 and r.headers.get("Idempotent-Replayed") == "true", r.text
    assert r.json() == {**first, "replayed": True}
    r = admin.post("/v1/admin/clock", {"now": "2026-01-08T00:00:00Z"}, idem="clk-2")
    assert r.status_code == 200
    server.stop()
    server.start()
    admin = server.admin()
    r = admin.post("/v1/admin/clock", {"now": "2026-01-06T00:00:00Z"}, idem="clk-1")
    assert r.status_code == 200 and r.json() == {**first, "replayed": True}, r.text
    assert admin.get("/v1/admin/clock").json()["now"] == "2026-01-08T00:00:00Z"  # not moved
    r = admin.post("/v1/admin/clock", {"now": "2026-01-09T00:00:00Z"}, idem="clk-1")
    assert r.status_code == 409 and error_code(r) == "idempotency_conflict", r.text
    assert admin.get("/v1/admin/clock").json()["now"] == "2026-01-08T00:00:00Z"
    # without a key, a move is as before
    r = admin.post("/v1/admin/clock", {"now": "2026-01-09T00:00:00Z"})
    assert r.status_code == 200 and "replayed" not in r.json()
