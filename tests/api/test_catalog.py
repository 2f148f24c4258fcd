from conftest import clear_store, COMPLETE, error_code, open_store


def test_merchant_create_and_read(server, operator):
    r = operator.post("/v1/merchants", {"id": "m9", "name": "颜夕", "categories":
                                        ["beauty.skincare", "home.kitchen"]})
    assert r.status_code == 201
    body = r.json()
    assert body["result"]["deposit_required_fen"] == 2000000
    assert body["events"][0]["type"] == "merchant.created"
    m = operator.get("/v1/merchants/m9").json()
    # no deposit yet: held until it tops up (RULES.md §3)
    assert m["status"] == "restricted" and m["holds"] == ["deposit"]
    assert m["deposit_required"] == "20000.00"
    assert [x["id"] for x in operator.get("/v1/merchants").json()["merchants"]] == ["m9"]


def test_product_lifecycle(shop):
    m1, op = shop["m1"], shop["operator"]
    p = m1.get("/v1/products/p1").json()
    assert p["status"] == "listed" and p["price_fen"] == 6900 and p["price"] == "69.00"
    r = m1.post("/v1/products/p1/list")
    assert r.status_code == 409 and error_code(r) == "state_conflict"
    assert m1.post("/v1/products/p1/delist", {"reason": "restock"}).json()["result"]["status"] == "delisted"
    r = op.post("/v1/products/p1/ban", {"reason": "external diversion"})
    assert r.status_code == 200 and r.json()["events"][0]["type"] == "product.banned"
    r = m1.post("/v1/products/p1/list")
    assert r.status_code == 422 and error_code(r) == "product_banned"
    assert op.post("/v1/products/p1/unban").json()["result"]["status"] == "delisted"
    assert m1.post("/v1/products/p1/list").json()["result"]["status"] == "listed"


def test_edit_reports_key_fields(shop, server):
    m1 = shop["m1"]
    r = m1.patch("/v1/products/p1", {"title": "新标题", "price": "59.90", "detail_images": ["a.png"]})
    assert r.status_code == 200, r.text
    assert r.json()["result"]["version"] == 3
    ev = server.admin().get("/v1/events", params={"after": r.json()["events"][0]["seq"] - 1,
                                                  "limit": 1}).json()["events"][0]
    assert ev["type"] == "product.updated"
    assert ev["payload"]["key_fields_changed"] == ["title", "detail_images"]
    assert ev["payload"]["changed"] == ["title", "detail_images", "price_fen"]
    assert ev["payload"]["after"]["price_fen"] == 5990
    assert ev["merchant"] == "m1" and ev["subject"] == "p1"
    assert ev["policy_version"]


def test_merchant_products_listing_pages(shop):
    m1 = shop["m1"]
    for i in range(5):
        assert m1.post("/v1/products", {"id": f"x{i}", "title": "t", "category": "beauty.skincare",
                                        "price_fen": 100, **COMPLETE}).status_code == 201
    page = m1.get("/v1/merchants/m1/products", params={"limit": 3}).json()
    assert [p["id"] for p in page["products"]] == ["p1", "x0", "x1"]
    page2 = m1.get("/v1/merchants/m1/products",
                   params={"limit": 3, "after": page["next_after"]}).json()
    assert [p["id"] for p in page2["products"]] == ["x2", "x3", "x4"]
    listed = m1.get("/v1/merchants/m1/products", params={"status": "listed"}).json()
    assert [p["id"] for p in listed["products"]] == ["p1"]


def test_restrict_and_clear_store(server, shop):
    m1, op = shop["m1"], shop["operator"]
    assert op.post("/v1/merchants/m1/restrict", {"reason": "deposit below requirement"}).status_code == 200
    assert m1.post("/v1/products", {"id": "p3", "title": "t", "category": "beauty.skincare",
                                    "price_fen": 1, **COMPLETE}).status_code == 201
    r = m1.post("/v1/products/p3/list")
    assert r.status_code == 422 and error_code(r) == "merchant_restricted"
    # the refusal names what holds the store (an operator's restriction; its deposit is full)
    msg = r.json()["error"]["message"]
    assert "operator" in msg and "deposit" not in msg, msg
    # a clearance waits for a second operator (issue 18): the approval applies it
    r = clear_store(server, op, "m1", "fourth three-no violation")
    assert [e["type"] for e in r.json()["events"]] == [
        "merchant.status_changed", "product.delisted", "approval.approved"]
    assert m1.get("/v1/products/p1").json()["status"] == "delisted"
    r = op.post("/v1/merchants/m1/reinstate")
    assert r.status_code == 422 and error_code(r) == "merchant_cleared"


def test_events_page_in_order(shop, server):
    admin = server.admin()
    page = admin.get("/v1/events", params={"limit": 1000}).json()
    seqs = [e["seq"] for e in page["events"]]
    assert seqs == sorted(seqs) and seqs[0] == 1
    # the whole log on one page: no next page (docs/api.md "Lists")
    assert page["next_after"] is None and page["has_more"] is False
    types = [e["type"] for e in page["events"]]
    assert "key.created" in types and "product.listed" in types
    assert all("hash" not in e["payload"] for e in page["events"])  # secrets never logged
    nxt = admin.get("/v1/events", params={"after": seqs[-1]}).json()
    assert nxt == {"events": [], "next_after": None, "has_more": False}


def test_policy_and_health(server):
    h = server.api().get("/healthz").json()
    assert h["status"] == "ok" and h["policy_version"]
    cats = {c["code"] for c in server.admin().get("/v1/policy").json()["categories"]}
    assert {"beauty.skincare", "baby.formula", "digital.phones"} <= cats
    metrics = server.api().get("/metrics")
    assert metrics.headers["Content-Type"].startswith("text/plain")
    assert "sw_commands_total" in metrics.text and "sw_queue_depth" in metrics.text


def test_price_and_stock_update_answers_like_any_write(shop):
    m1 = shop["m1"]
    r = m1.patch("/v1/products/p1", {"stock": 7, "price": "59.90"}, idem="stock-1")
    assert r.status_code == 200, r.text
    body = r.json()
    assert list(body) == ["result", "command_seq", "at", "events", "replayed"]
    assert body["result"] == m1.get("/v1/products/p1").json()
    assert body["result"]["stock"] == 7 and body["result"]["price"] == "59.90"
    assert body["events"][0]["type"] == "product.updated" and body["replayed"] is False
    again = m1.patch("/v1/products/p1", {"stock": 7, "price": "59.90"}, idem="stock-1")
    assert again.json()["replayed"] is True
    assert again.json()["result"] == body["result"]


def test_the_merchant_list_says_what_the_single_get_says(server, operator):
    """GET /v1/merchants gave holds as a bit mask and instants as integers where GET
    /v1/merchants/{id} and the spec give names and RFC 3339 (issue 11)."""
    open_store(operator, "m7", "fresh.fruit", deposit=False)  # held below its deposit
    open_store(operator, "m8", "fresh.fruit")
    listed = operator.get("/v1/merchants").json()["merchants"]
    assert [m["id"] for m in listed] == ["m7", "m8"]
    for m in listed:
        assert m == operator.get(f"/v1/merchants/{m['id']}").json()
    assert listed[0]["holds"] == ["deposit"] and listed[1]["holds"] == []


def test_an_empty_production_date_is_none_and_a_bad_one_is_refused(shop, server):
    """The product API reads production_date as the dry run does: "" is no date (a three-no
    finding, kept with the product that is not on sale), 2026-13-01 is 400 invalid_value."""
    m1 = shop["m1"]
    r = m1.post("/v1/products", {"id": "e1", "title": "面霜", "category": "beauty.skincare",
                                 "price": "69.00", "production_date": "", "quality_cert": "QC",
                                 "manufacturer": "X"})
    assert r.status_code == 201, r.text
    found = r.json()["result"]["scan"]["findings"]
    assert [(f["type"], f["field"]) for f in found] == [("three_no_product", "production_date")]
    r = m1.post("/v1/products", {"id": "e2", "title": "面霜", "category": "beauty.skincare",
                                 "price": "69.00", "production_date": "2026-13-01",
                                 "quality_cert": "QC", "manufacturer": "X"})
    assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "production_date"
    assert m1.get("/v1/products/e2").status_code == 404
