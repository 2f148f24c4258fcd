"""POST /v1/scan (a dry run) and the scan every product create and edit gets, over HTTP."""
import base64
import os
import struct
import zlib

from conftest import COMPLETE, SOURCE_DIR, error_code

IMAGES = os.path.join(SOURCE_DIR, "tests/data/scan/images")


def b64(name):
    with open(os.path.join(IMAGES, name), "rb") as f:
        return base64.b64encode(f.read()).decode()


def test_scan_dry_run_for_any_role(server, shop):
    listing = {"id": "l7", "category": "beauty.skincare", "title": "眼霜 全国包邮",
               "detail": "逆转肌龄,加 V 信 yanxi_88", "freight_fen": 600, "brand": "颜夕",
               "images": ["data:image/png;base64," + b64("qr-wechat.png"),
                          {"name": "back.png", "base64": b64("plain.png")}], **COMPLETE}
    clients = (shop["m1"], shop["operator"], server.client("ingest"))
    before = server.db_counts()
    for client in clients:
        r = client.post("/v1/scan", listing)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["id"] == "l7" and body["policy_version"].startswith("default-")
        rules = sorted(f["rule"] for f in body["findings"])
        assert rules == ["consistency.free_shipping", "diversion.qr_code", "diversion.wechat",
                         "efficacy.cosmetic_claims"]
        qr = [f for f in body["findings"] if f["rule"] == "diversion.qr_code"][0]
        assert qr["excerpt"] == "images[0]" and qr["evidence"] == "https://u.wechat.com/abc123"
    assert server.db_counts() == before  # nothing stored, no event
    metrics = server.api().get("/metrics").text
    scanned = [l for l in metrics.splitlines() if l.startswith("sw_scan_listings_total ")]
    assert scanned and int(scanned[0].split()[1]) >= 3 + 2  # our three, the shop's two creates
    assert "sw_scan_bytes_total" in metrics


def test_scan_refuses_bad_input_clearly(server, shop):
    m1 = shop["m1"]
    assert server.api().post("/v1/scan", {"title": "x"}).status_code == 401
    r = m1.post("/v1/scan", {"title": 5})
    assert r.status_code == 400 and error_code(r) == "wrong_type"
    assert r.json()["error"]["details"]["field"] == "title"
    r = m1.post("/v1/scan", {"title": "x", "images": ["data:image/png;base64,@@"]})
    assert r.status_code == 400 and error_code(r) == "invalid_value"
    assert r.json()["error"]["details"]["field"] == "images[0]"
    r = m1.post("/v1/scan", {"title": "x", "images": ["http://example.com/a.png"]})
    assert r.status_code == 400 and error_code(r) == "invalid_value"
    r = m1.post("/v1/scan", {"title": "x", "images": [{"name": "a", "base64": b64("not-an-image.png")}]})
    assert r.status_code == 400 and error_code(r) == "invalid_value"
    r = m1.raw("POST", "/v1/scan", data=b'{"title": "\xff"}',
               headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and error_code(r) in ("invalid_utf8", "invalid_json")
    r = m1.post("/v1/scan", {"title": "x", "images": [{"base64": "AA"}] * 21})
    assert r.status_code == 400 and error_code(r) == "wrong_type"


def test_scan_works_in_maintenance(server, shop):
    admin = server.admin()
    assert admin.post("/v1/admin/maintenance", {"enabled": True}).status_code == 200
    r = shop["m1"].post("/v1/scan", {"title": "全网最低价", **COMPLETE})
    assert r.status_code == 200
    assert [f["type"] for f in r.json()["findings"]] == ["false_advertising"]
    assert admin.post("/v1/admin/maintenance", {"enabled": False}).status_code == 200


def test_products_carry_their_scan_and_findings_become_events(server, shop):
    m1, op = shop["m1"], shop["operator"]
    r = m1.post("/v1/products", {"id": "p9", "title": "眼霜 15g", "category": "beauty.skincare",
                                 "price": "129.00", "detail": "质地细腻", **COMPLETE})
    assert r.status_code == 201
    assert r.json()["result"]["scan"]["findings"] == []
    assert [e["type"] for e in r.json()["events"]] == ["product.created"]
    assert m1.post("/v1/products/p9/list").status_code == 200
    r = m1.patch("/v1/products/p9", {"detail": "三天消除黑眼圈,微信 yanxi_88"}, idem="edit-1")
    assert r.status_code == 200
    # on a listed product the findings become violations: the WeChat id at once (ban,
    # deduction), the efficacy claim queued for an operator
    assert [e["type"] for e in r.json()["events"]] == [
        "product.updated", "product.scanned", "violation.queued", "product.banned",
        "deposit.deducted", "merchant.status_changed", "violation.enforced"]
    got = m1.get("/v1/products/p9").json()
    scan = got["scan"]
    assert scan["product_version"] == 3 and got["version"] == 4 and got["status"] == "banned"
    assert sorted(f["rule"] for f in scan["findings"]) == ["diversion.wechat",
                                                         "efficacy.cosmetic_claims"]
    evs = op.get("/v1/events?limit=1000").json()["events"]
    scanned = [e for e in evs if e["type"] == "product.scanned"]
    assert len(scanned) == 1
    assert scanned[0]["subject"] == "p9" and scanned[0]["merchant"] == "m1"
    assert scanned[0]["payload"]["trigger"] == "updated"
    assert scanned[0]["payload"]["findings"] == scan["findings"]
    # a retry with the same key replays: no second scan event
    again = m1.patch("/v1/products/p9", {"detail": "三天消除黑眼圈,微信 yanxi_88"}, idem="edit-1")
    assert again.json()["replayed"] is True
    evs = op.get("/v1/events?limit=1000").json()["events"]
    assert len([e for e in evs if e["type"] == "product.scanned"]) == 1
    # fixing the text clears the findings
    r = m1.patch("/v1/products/p9", {"detail": "质地细腻"})
    assert m1.get("/v1/products/p9").json()["scan"]["findings"] == []
    # the scan is the engine's to write
    r = m1.patch("/v1/products/p9", {"scan": {"findings": []}})
    assert r.status_code == 400 and error_code(r) == "unknown_field"


def png(width, height, pixels=True):
    """A grey PNG of width x height, all black: 16384 x 2441 is 40 million pixels in about
    40 KB. Without pixels, only the header (a decoder refuses it, so a refusal for its size
    shows that nothing was decoded)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    if pixels:
        out += chunk(b"IDAT", zlib.compress(bytes(width + 1) * height, 9))
    return out + chunk(b"IEND", b"")


def data_url(data):
    return "data:image/png;base64," + base64.b64encode(data).decode()


def test_scan_refuses_image_bombs_before_decoding(server, shop):
    m1 = shop["m1"]
    bomb = png(16384, 2441)
    assert len(bomb) < 60000
    before = server.db_counts()
    r = m1.post("/v1/scan", {"title": "x", **COMPLETE, "images": [
        data_url(png(10, 10)), {"name": "bomb.png", "base64": base64.b64encode(bomb).decode()}]})
    assert r.status_code == 413, r.text
    err = r.json()["error"]
    assert err["code"] == "image_too_large" and err["details"]["field"] == "images[1]"
    assert "16384x2441" in err["message"]
    # the images of one scan share a budget: 4 x 12 million is over 40 million
    big = data_url(png(4000, 3000, pixels=False))
    r = m1.post("/v1/scan", {"title": "x", **COMPLETE, "images": [big] * 4})
    assert r.status_code == 413 and error_code(r) == "image_too_large"
    assert r.json()["error"]["details"]["field"] == "images[3]"
    # 3 x 12 million is within it: the first image is decoded (and has no pixels)
    r = m1.post("/v1/scan", {"title": "x", **COMPLETE, "images": [big] * 3})
    assert r.status_code == 400 and error_code(r) == "invalid_value"
    assert r.json()["error"]["details"]["field"] == "images[0]"
    assert server.db_counts() == before
    # an image within the budget is scanned as before
    r = m1.post("/v1/scan", {"title": "x", **COMPLETE, "images": [data_url(png(100, 100))]})
    assert r.status_code == 200 and r.json()["findings"] == []


def test_what_one_listing_reports_is_bounded(shop):
    """Issue 10: the single writer stores a listing's findings, so one listing reports a bounded
    number: a thing repeated past 8 times in a field is counted, not listed again, and at most
    scan.max_findings (200 by default) findings are listed, the scan saying it was truncated."""
    m2 = shop["m2"]  # the fruit store: a merchant's dry run is in its own categories
    repeated = {"category": "fresh.fruit", "title": "脐橙", "detail": "加微信 guoyuan2026 " * 40,
                **COMPLETE}
    body = m2.post("/v1/scan", repeated).json()
    wechat = [f for f in body["findings"] if f["rule"] == "diversion.wechat"]
    assert len(wechat) == 8 and wechat[-1]["repeats"] == 32
    assert "truncated" not in body
    distinct = {"category": "fresh.fruit", "title": "脐橙",
                "detail": " ".join(f"加v shop{i:05d}" for i in range(300)), **COMPLETE}
    body = m2.post("/v1/scan", distinct).json()
    assert len(body["findings"]) == 200 and body["truncated"] is True
    # a product (of the fruit store) keeps the same bounded scan, and its findings keep it off
    # sale
    r = m2.post("/v1/products", {"id": "loud", "price_fen": 100, **distinct}, idem="loud-1")
    assert r.status_code in (200, 201), r.text
    p = m2.get("/v1/products/loud").json()
    assert p["status"] == "delisted" and p["scan"]["blocking"] == ["external_diversion"]
    assert len(p["scan"]["findings"]) == 200 and p["scan"]["truncated"] is True


def finder_tiles_png(side):
    """A grey PNG whose rows repeat QR finder patterns (7 modules + 1 gap, 1 px each): small
    to send, but zbar's finder search on it grows faster than its pixels."""
    finder = ["1111111", "1000001", "1011101", "1011101", "1011101", "1000001", "1111111",
              "0000000"]
    rows = []
    for r in range(8):
        tile = bytes(0 if c == "1" else 255 for c in finder[r] + "0")
        rows.append(b"\x00" + (tile * (side // 8 + 1))[:side])
    comp = zlib.compressobj(9)
    idat = b"".join(comp.compress(rows[y % 8]) for y in range(side)) + comp.flush()

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def test_a_qr_finder_bomb_within_the_pixel_budget_is_cheap(shop):
    """Issue 10's review: a 32 KB PNG of 4000 x 4000 tiled finder patterns (inside the 16 MP
    budget) kept a worker busy for 179 s in zbar. Images are averaged down to about 1 MP before
    QR decoding: the scan answers, and well inside a minute even under the sanitizers."""
    png = finder_tiles_png(4000)
    assert len(png) < 100_000
    body = {"title": "t", "images": [{"name": "f.png", "base64": base64.b64encode(png).decode()}]}
    r = shop["m1"].post("/v1/scan", body)  # the client gives up after 60 s
    assert r.status_code == 200, r.text


def test_scan_takes_the_product_api_fields(server, shop):
    m1 = shop["operator"]  # staff have no store: any category of the policy
    listing = {"category": "home.kitchen", "title": "砧板 包邮", "detail": "到手价 ¥59",
               "price": "59.00", "freight_fen": 800, "shipping_method": "中通快递",
               "stock": 3, "attributes": {"材质": "竹"}, **COMPLETE}
    r = m1.post("/v1/scan", listing)
    assert r.status_code == 200, r.text
    assert [f["rule"] for f in r.json()["findings"]] == ["consistency.free_shipping"]
    r = m1.post("/v1/scan", {**listing, "price": None, "price_fen": 5900, "freight": "8.00",
                             "freight_fen": None})
    assert r.status_code == 400  # null is no amount: the product API refuses it too
    r = m1.post("/v1/scan", {**listing, "colour": "red"})
    assert r.status_code == 400 and error_code(r) == "unknown_field"
    assert r.json()["error"]["details"]["field"] == "colour"
    r = m1.post("/v1/scan", {**listing, "category": "fod.snacks"})
    assert r.status_code == 422 and error_code(r) == "unknown_category"
    r = m1.post("/v1/scan", {**listing, "price_fen": 5900})
    assert r.status_code == 400 and error_code(r) == "invalid_value"


def test_a_merchants_dry_run_answers_what_its_create_would(server, shop):
    """Issue 16: a dry run and a real create agree. A merchant key writes in its own store: a
    category the store does not sell in is 422 category_not_in_store in both (staff have no
    store: their dry run takes any category of the policy), and another store named is 404."""
    m1, op = shop["m1"], shop["operator"]
    listing = {"category": "home.kitchen", "title": "砧板", "price": "59.00", **COMPLETE}
    create = m1.post("/v1/products", {"id": "cut1", **listing})
    assert create.status_code == 422 and error_code(create) == "category_not_in_store"
    r = m1.post("/v1/scan", listing)
    assert r.status_code == 422 and error_code(r) == "category_not_in_store", r.text
    assert r.json()["error"]["details"]["field"] == "category"
    assert op.post("/v1/scan", listing).status_code == 200
    assert m1.post("/v1/scan", {**listing, "category": "beauty.skincare"}).status_code == 200
    r = m1.post("/v1/scan", {**listing, "category": "beauty.skincare", "merchant": "m2"})
    assert r.status_code == 404 and error_code(r) == "not_found"
    assert m1.post("/v1/scan", {**listing, "category": "beauty.skincare",
                                "merchant": "m1"}).status_code == 200


def test_a_dry_run_checks_the_fields_it_does_not_read_as_a_create_does(server, shop):
    """attributes, main_image, detail_images, spu_id, services, stock and merchant are not read
    by the scanner, but a value a create refuses is refused by the dry run with the same code
    and field."""
    op = shop["operator"]
    base = {"category": "beauty.skincare", "title": "面霜", "price": "59.00", **COMPLETE}
    bad = [("attributes", 5), ("attributes", {"材质": 5}), ("main_image", 5),
           ("detail_images", "a.png"), ("detail_images", [5]), ("spu_id", 5),
           ("spu_id", "not an id!"), ("services", "x"), ("stock", "3"), ("stock", -1),
           ("stock", None), ("merchant", 5)]
    for n, (field, value) in enumerate(bad):
        create = op.post("/v1/products", {"id": f"bad{n}", "merchant": "m1", **base,
                                          field: value})
        assert create.status_code in (400, 422), (field, value, create.text)
        r = op.post("/v1/scan", {**base, field: value})
        assert (r.status_code, error_code(r)) == (create.status_code, error_code(create)), (
            field, value, r.text)
        assert r.json()["error"]["details"].get("field") == \
            create.json()["error"]["details"].get("field"), (field, value)
    good = {"attributes": {"材质": "竹"}, "main_image": "m.png", "detail_images": ["a.png"],
            "spu_id": "spu-1", "services": ["seven_day_return"], "stock": 3, "merchant": "m1"}
    r = op.post("/v1/scan", {**base, **good})
    assert r.status_code == 200, r.text
