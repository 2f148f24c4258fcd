from conftest import error_code


def test_same_key_twice_gives_one_event(shop, server):
    m1 = shop["m1"]
    body = {"id": "p5", "title": "面膜", "category": "beauty.skincare", "price_fen": 990,
            "production_date": "2026-01-01", "quality_cert": "QC-9", "manufacturer": "广州颜夕"}
    before = server.db_counts()
    first = m1.post("/v1/products", body, idem="create-p5")
    second = m1.post("/v1/products", body, idem="create-p5")
    assert first.status_code == second.status_code == 201
    assert first.json()["replayed"] is False and second.json()["replayed"] is True
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert first.json()["result"] == second.json()["result"]
    assert first.json()["events"] == second.json()["events"]
    after = server.db_counts()
    assert after["events"] == before["events"] + 1
    assert after["commands"] == before["commands"] + 1
    assert after["products"] == before["products"] + 1


def test_reused_key_with_other_body_is_a_conflict(shop, server):
    m1 = shop["m1"]
    assert m1.post("/v1/products/p1/delist", idem="k").status_code == 200
    before = server.db_counts()
    r = m1.patch("/v1/products/p1", {"title": "x"}, idem="k")
    assert r.status_code == 409 and error_code(r) == "idempotency_conflict"
    assert server.db_counts() == before


def test_keys_are_scoped_per_caller(shop):
    # the same key string from two merchants are two different requests
    assert shop["m1"].post("/v1/products/p1/delist", idem="same").json()["replayed"] is False
    r = shop["m2"].post("/v1/products", {"id": "p6", "title": "t", "category": "fresh.fruit",
                                         "price_fen": 1}, idem="same")
    assert r.status_code == 201 and r.json()["replayed"] is False


def test_retry_after_refusal_is_evaluated_again(shop):
    # refusals are not stored: once the state allows it, the same key succeeds
    m1, op = shop["m1"], shop["operator"]
    assert op.post("/v1/products/p1/ban").status_code == 200
    r = m1.post("/v1/products/p1/list", idem="relist")
    assert r.status_code == 422
    assert op.post("/v1/products/p1/unban").status_code == 200
    r = m1.post("/v1/products/p1/list", idem="relist")
    assert r.status_code == 200 and r.json()["replayed"] is False
    assert m1.post("/v1/products/p1/list", idem="relist").json()["replayed"] is True


def test_bad_idempotency_key_is_refused(shop):
    r = shop["m1"].post("/v1/products/p1/delist", idem="x" * 200)
    assert r.status_code == 400 and error_code(r) == "invalid_value"


def test_a_known_key_with_a_body_that_does_not_parse_is_a_conflict(shop, server):
    """docs/api.md, Writes: a key already used with another body is 409 idempotency_conflict
    whatever else is wrong with the new body; a new key with such a body is its parse error, and
    stays free for the request the client meant."""
    m1 = shop["m1"]
    body = {"id": "p7", "title": "面膜", "category": "beauty.skincare", "price_fen": 990,
            "production_date": "2026-01-01", "quality_cert": "QC-9", "manufacturer": "广州颜夕"}
    assert m1.post("/v1/products", body, idem="create-p7").status_code == 201
    before = server.db_counts()
    json_h = {"Content-Type": "application/json", "Idempotency-Key": "create-p7"}
    r = m1.raw("POST", "/v1/products", data='{"id":"p7"', headers=json_h)
    assert r.status_code == 409 and error_code(r) == "idempotency_conflict", r.text
    r = m1.raw("POST", "/v1/products", data='{"id":"p8"',
               headers={**json_h, "Idempotency-Key": "create-p8"})
    assert r.status_code == 400 and error_code(r) == "invalid_json", r.text
    assert server.db_counts() == before
    r = m1.post("/v1/products", {**body, "id": "p8"}, idem="create-p8")
    assert r.status_code == 201 and r.json()["replayed"] is False


def test_a_key_may_hold_spaces_and_a_bad_ref_is_named_as_the_ref(shop):
    """docs/api.md: Idempotency-Key is 1-128 printable ASCII (a space is printable); a top-up's
    ref, its key when no header is sent, is checked and named as `ref`."""
    m1, op = shop["m1"], shop["operator"]
    r = m1.post("/v1/products/p1/delist", idem="delist p1 now")
    assert r.status_code == 200 and r.json()["replayed"] is False
    assert m1.post("/v1/products/p1/delist", idem="delist p1 now").json()["replayed"] is True
    r = op.post("/v1/merchants/m1/deposit/top-ups", {"amount": "5.00", "ref": "a b"})
    assert r.status_code == 400 and error_code(r) == "invalid_value", r.text
    assert r.json()["error"]["details"]["field"] == "ref"
