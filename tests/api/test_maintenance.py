from conftest import error_code


def test_writes_refused_reads_served(shop, server):
    admin, m1 = server.admin(), shop["m1"]
    r = admin.post("/v1/admin/maintenance", {"enabled": True, "retry_after_s": 120,
                                             "reason": "migration"})
    assert r.status_code == 200
    before = server.db_counts()
    r = m1.patch("/v1/products/p1", {"title": "x"})
    assert r.status_code == 503 and error_code(r) == "maintenance"
    assert r.headers["Retry-After"] == "120"
    assert m1.get("/v1/products/p1").status_code == 200
    assert server.api().get("/healthz").json()["maintenance"] is True
    assert server.db_counts() == before
    assert admin.post("/v1/admin/maintenance", {"enabled": False}).status_code == 200
    assert m1.patch("/v1/products/p1", {"title": "x"}).status_code == 200


def test_maintenance_survives_restart(server):
    admin = server.admin()
    assert admin.post("/v1/admin/maintenance", {"enabled": True}).status_code == 200
    server.stop()
    server.start()
    r = server.admin().post("/v1/merchants", {"id": "m1", "name": "n", "categories": ["fresh.fruit"]})
    assert r.status_code == 503
    assert server.admin().get("/v1/admin/maintenance").json()["enabled"] is True


def test_a_replayed_switch_changes_nothing(shop, server):
    """Replaying an old maintenance request with its Idempotency-Key returns the stored answer
    and changes nothing anywhere: the server's flag, the database and the audit log agree."""
    admin, m1 = server.admin(), shop["m1"]
    on = {"enabled": True, "retry_after_s": 30}
    assert admin.post("/v1/admin/maintenance", on, idem="maint-on").status_code == 200
    assert admin.post("/v1/admin/maintenance", {"enabled": False}, idem="maint-off").status_code == 200
    events = server.db_counts()
    r = admin.post("/v1/admin/maintenance", on, idem="maint-on")
    assert r.status_code == 200 and r.headers.get("Idempotent-Replayed") == "true"
    assert r.json()["result"]["enabled"] is True  # the stored answer, as it was
    assert server.db_counts() == events
    assert admin.get("/v1/admin/maintenance").json()["enabled"] is False
    assert server.api().get("/healthz").json()["maintenance"] is False
    assert m1.patch("/v1/products/p1", {"title": "still open"}).status_code == 200
    # A restart reads the same state the running server serves.
    server.stop()
    server.start()
    assert server.admin().get("/v1/admin/maintenance").json()["enabled"] is False
