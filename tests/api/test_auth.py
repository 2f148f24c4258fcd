from conftest import error_code


def test_missing_and_unknown_keys_are_401(server):
    anon = server.api()
    r = anon.get("/v1/products/p1")
    assert r.status_code == 401 and error_code(r) == "unauthorized"
    assert r.headers["WWW-Authenticate"] == "Bearer"
    r = server.api("sw_not_a_real_key").get("/v1/products/p1")
    assert r.status_code == 401
    r = anon.raw("GET", "/v1/products/p1", headers={"Authorization": "Basic abc"})
    assert r.status_code == 401


def test_merchant_cannot_see_or_touch_another_store(shop, server):
    m2 = shop["m2"]
    before = server.db_counts()
    for r in (m2.get("/v1/products/p1"),
              m2.patch("/v1/products/p1", {"title": "hijacked"}),
              m2.post("/v1/products/p1/delist"),
              m2.get("/v1/merchants/m1"),
              m2.get("/v1/merchants/m1/products"),
              m2.post("/v1/products", {"id": "evil", "merchant": "m1", "title": "t",
                                       "category": "beauty.skincare", "price_fen": 1})):
        assert r.status_code == 404, r.text
        assert error_code(r) == "not_found"
    # 404 for someone else's product reads exactly like a product that does not exist
    assert m2.get("/v1/products/p1").json()["error"]["message"] == \
        m2.get("/v1/products/nope").json()["error"]["message"].replace("nope", "p1")
    assert server.db_counts() == before
    assert shop["m1"].get("/v1/products/p1").json()["title"] == "烟酰胺身体乳 200ml"


def test_a_list_naming_another_store_answers_as_if_it_did_not_exist(shop, server):
    """docs/api.md: a merchant key sees only its own store; another store named in a list's
    ?merchant= answers exactly like a store that does not exist (404), on every list that takes
    ?merchant=, and naming its own store is as naming none."""
    m2 = shop["m2"]
    lists = ["/v1/orders", "/v1/violations", "/v1/promotions", "/v1/filings", "/v1/events",
             "/v1/live-sessions"]
    for path in lists:
        for other in ("m1", "nosuch"):
            r = m2.get(path, params={"merchant": other})
            assert r.status_code == 404 and error_code(r) == "not_found", (path, other, r.text)
            assert r.json()["error"]["details"]["field"] == "merchant", r.text
        assert m2.get(path, params={"merchant": "m2"}).status_code == 200, path


def test_roles_are_enforced(shop, server):
    m1 = shop["m1"]
    for method, path in (("POST", "/v1/products/p1/ban"), ("GET", "/v1/admin/timers"),
                         ("POST", "/v1/merchants"), ("POST", "/v1/admin/keys"),
                         ("POST", "/v1/admin/maintenance")):
        r = m1.raw(method, path, data=b"{}", headers={"Content-Type": "application/json"})
        assert r.status_code == 403, (method, path, r.text)
        assert error_code(r) == "forbidden"
    op = shop["operator"]
    assert op.post("/v1/admin/keys", {"role": "admin"}).status_code == 403
    ingest = server.client("ingest")
    assert ingest.get("/v1/products/p1").status_code == 403


def test_keys_are_shown_once_and_can_be_revoked(server):
    admin = server.admin()
    r = admin.post("/v1/admin/keys", {"role": "promoter:p7", "id": "k-m7"}, idem="mk-1")
    assert r.status_code == 201
    key = r.json()["result"]["key"]
    assert key.startswith("sw_") and len(key) == 46
    again = admin.post("/v1/admin/keys", {"role": "promoter:p7", "id": "k-m7"}, idem="mk-1")
    assert again.json()["replayed"] is True and again.json()["result"]["key"] is None
    assert server.api(key).get("/v1/admin/clock").status_code == 200
    assert admin.post("/v1/admin/keys/k-m7/revoke").status_code == 200
    r = server.api(key).get("/v1/admin/clock")
    assert r.status_code == 401
    r = admin.post("/v1/admin/keys", {"role": "superuser"})
    assert r.status_code == 400 and error_code(r) == "invalid_value"
    # the key is still there (listed with its revoked_at): its state refuses a second revoke
    r = admin.post("/v1/admin/keys/k-m7/revoke")
    assert r.status_code == 409 and error_code(r) == "state_conflict", r.text
    r = admin.post("/v1/admin/keys/k-none/revoke")
    assert r.status_code == 404 and error_code(r) == "not_found", r.text
