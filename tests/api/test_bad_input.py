import json

import pytest

from conftest import error_code

JSON = {"Content-Type": "application/json"}
GOOD = {"id": "p9", "title": "t", "category": "beauty.skincare", "price_fen": 100}


@pytest.mark.parametrize("body,status,code", [
    (b"{", 400, "invalid_json"),
    (b"", 400, "missing_field"),
    (b"[1,2]", 400, "wrong_type"),
    (b'{"id":"p9","id":"p9"}', 400, "invalid_json"),
    (json.dumps({**GOOD, "id": 5}).encode(), 400, "wrong_type"),
    (json.dumps({**GOOD, "price_fen": "100"}).encode(), 400, "wrong_type"),
    (json.dumps({**GOOD, "price_fen": -1}).encode(), 400, "invalid_value"),
    (json.dumps({**GOOD, "price": "1.234"}).encode(), 400, "invalid_value"),
    (json.dumps({**GOOD, "stock": 1.5}).encode(), 400, "wrong_type"),
    (json.dumps({**GOOD, "colour": "red"}).encode(), 400, "unknown_field"),
    (json.dumps({**GOOD, "title": "x" * 5000}).encode(), 400, "invalid_value"),
    (b'{"id":"p9","title":"\xff\xfe","category":"beauty.skincare","price_fen":1}', 400,
     "invalid_utf8"),
    (b'{"id":"p9","title":"\xed\xa0\x80","category":"beauty.skincare","price_fen":1}', 400,
     "invalid_utf8"),
    (b"[" * 100 + b"]" * 100, 400, "json_too_deep"),
    (json.dumps({**GOOD, "category": "no.such"}).encode(), 422, "unknown_category"),
])
def test_bad_bodies_change_nothing(shop, server, body, status, code):
    before = server.db_counts()
    r = shop["m1"].raw("POST", "/v1/products", data=body, headers=JSON)
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["code"] == code and err["message"]
    assert isinstance(err["details"], dict)
    assert server.db_counts() == before


@pytest.mark.parametrize("path", ["/v1/products/p1", "/v1/merchants/m1"])
def test_a_patch_without_a_body_is_refused_and_logs_nothing(shop, server, path):
    """An edit is its body: a PATCH with none is 400 invalid_json, no command (a POST action's
    body stays optional)."""
    before = server.db_counts()
    client = server.admin()
    r = client.raw("PATCH", path, data=b"", headers=JSON)
    assert r.status_code == 400 and error_code(r) == "invalid_json", r.text
    assert server.db_counts() == before


def test_two_mib_body_is_413(shop, server):
    before = server.db_counts()
    big = json.dumps({**GOOD, "detail": "x" * (2 << 20)}).encode()
    r = shop["m1"].raw("POST", "/v1/products", data=big, headers=JSON)
    assert r.status_code == 413 and error_code(r) == "payload_too_large"
    assert server.db_counts() == before
    # the server is still fine afterwards
    assert shop["m1"].get("/v1/products/p1").status_code == 200


def test_unknown_route_and_method(server):
    admin = server.admin()
    r = admin.get("/v1/nothing/here")
    assert r.status_code == 404 and error_code(r) == "route_not_found"
    r = admin.raw("DELETE", "/v1/products/p1")
    assert r.status_code == 405 and error_code(r) == "method_not_allowed"
    r = server.api().get("/v1/nothing")
    assert r.status_code == 404


def test_wrong_content_type_and_bad_query(shop, server):
    before = server.db_counts()
    r = shop["m1"].raw("POST", "/v1/products", data=json.dumps(GOOD),
                       headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and error_code(r) == "unsupported_media_type"
    r = server.admin().get("/v1/events", params={"limit": "lots"})
    assert r.status_code == 400 and error_code(r) == "invalid_value"
    r = server.admin().get("/v1/events", params={"limit": 0})
    assert r.status_code == 400
    # a position past the largest 64-bit integer is refused, not read as the largest
    for path in ("/v1/events", "/v1/merchants/m1/deposit"):
        r = server.admin().get(path, params={"after": "99999999999999999999"})
        assert r.status_code == 400 and error_code(r) == "invalid_value", (path, r.text)
        assert r.json()["error"]["details"]["field"] == "after"
    assert server.admin().get("/v1/events", params={"after": "9223372036854775807"}
                              ).status_code == 200
    assert server.db_counts() == before


def test_path_and_body_ids_must_agree(shop, server):
    before = server.db_counts()
    r = shop["m1"].patch("/v1/products/p1", {"id": "p2", "title": "x"})
    assert r.status_code == 400 and error_code(r) == "invalid_value"
    assert server.db_counts() == before


def test_nested_field_paths_are_written_one_way(shop, server):
    """An error inside an object in an array, or an object in an object, names its field as
    items[0].qty / buyer.ssn: one dot, brackets for indexes, the same in field and message."""
    ingest = server.client("ingest")
    event = {"event_id": "n1", "order_id": "o1", "merchant": "m1", "status": "paid",
             "at": "2026-01-05T10:00:00Z"}
    before = server.db_counts()
    cases = [
        ({"items": [{"product": "p1", "qty": 1}]}, "unknown_field", "items[0].qty"),
        ({"items": [{"product": "p1", "quantity": 1, "price_fen": 1}, {"product": "p1"}]},
         "missing_field", "items[1].quantity"),
        ({"items": [{"product": "p1", "quantity": 0, "price_fen": 1}]}, "invalid_value",
         "items[0].quantity"),
        ({"items": [7]}, "wrong_type", "items[0]"),
        ({"amounts": {"tip_fen": 1}}, "unknown_field", "amounts.tip_fen"),
        ({"amounts": {"total_fen": "1"}}, "wrong_type", "amounts.total_fen"),
        ({"buyer": {"phone": "1", "ssn": "x"}}, "unknown_field", "buyer.ssn"),
        ({"buyer": {"name": 5}}, "wrong_type", "buyer.name"),
    ]
    for extra, code, path in cases:
        r = ingest.post("/v1/orders/events", {**event, **extra})
        assert r.status_code == 400 and error_code(r) == code, (extra, r.text)
        err = r.json()["error"]
        assert err["details"]["field"] == path, (extra, err)
        assert f"'{path}'" in err["message"] and ".." not in err["message"], err
    assert server.db_counts() == before


# docs/api.md, "Error order": an unknown field comes first, then the fields in the order of the
# request schema (ProductInput: id, merchant, title, short_title, main_image, detail_images,
# detail, category, attributes, brand, price_fen, price, ..., stock), whichever check finds them.
@pytest.mark.parametrize("method,path,body,code,field", [
    ("POST", "/v1/products", {"id": "x1", "bogus": 1}, "unknown_field", "bogus"),
    ("POST", "/v1/products", {"titel": "abc", "id": "x2", "category": "beauty.skincare",
                              "price_fen": 100}, "unknown_field", "titel"),
    ("POST", "/v1/products", {"id": "u", "title": "t", "category": "beauty.skincare",
                              "price": "-1", "zzz": 1}, "unknown_field", "zzz"),
    ("POST", "/v1/products", {"id": "f1", "title": "t", "category": "beauty.skincare",
                              "price": "abc", "stock": -1}, "invalid_value", "price"),
    ("POST", "/v1/products", {"id": "f2", "category": "beauty.skincare", "price": "abc"},
     "missing_field", "title"),
    ("PATCH", "/v1/products/p1", {"price": "-1", "zzz": 1}, "unknown_field", "zzz"),
    ("PATCH", "/v1/products/p1", {"stock": -1, "zzz": 1}, "unknown_field", "zzz"),
    ("PATCH", "/v1/products/p1", {"title": 5, "price": "abc"}, "wrong_type", "title"),
    ("PATCH", "/v1/products/p1", {"detail": 5, "price_fen": -1}, "wrong_type", "detail"),
    ("PATCH", "/v1/products/p1", {"brand": 5, "price": "-1"}, "wrong_type", "brand"),
    ("PATCH", "/v1/products/p1", {"short_title": 5, "stock": -1}, "wrong_type", "short_title"),
    ("PATCH", "/v1/products/p1", {"price": "abc", "stock": -1}, "invalid_value", "price"),
])
def test_product_writes_report_the_first_problem_in_the_documented_order(shop, server, method,
                                                                          path, body, code,
                                                                          field):
    before = server.db_counts()
    r = shop["m1"].raw(method, path, data=json.dumps(body).encode(), headers=JSON)
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert (err["code"], err["details"].get("field")) == (code, field), r.text
    assert server.db_counts() == before


@pytest.mark.parametrize("body,field", [
    (b'{"amount_fen": 18446744073709551616, "ref": "big-1"}', "amount_fen"),
    (b'{"amount_fen": 9223372036854775808, "ref": "big-2"}', "amount_fen"),
    (b'{"ref": "big-3", "amount_fen": -99999999999999999999}', "amount_fen"),
    (b'{"ref": "big-4", "amount_fen": 1e999}', "amount_fen"),
])
def test_a_number_beyond_64_bits_is_a_bad_value_named_by_its_field(server, body, field):
    """docs/api.md: a bad value is 400 with `details.field` naming it as the client sent it.
    A number too large for 64 bits is valid JSON: the client's bad value, not a bad body."""
    ingest = server.client("ingest")
    before = server.db_counts()
    r = ingest.raw("POST", "/v1/merchants/m1/deposit/top-ups", data=body, headers=JSON)
    assert r.status_code == 400 and error_code(r) == "invalid_value", r.text
    assert r.json()["error"]["details"]["field"] == field
    assert server.db_counts() == before


def test_a_nested_number_beyond_64_bits_is_named_by_its_path(server):
    body = (b'{"event_id":"n1","order_id":"o1","merchant":"m1","status":"paid",'
            b'"at":"2026-01-05T10:00:00Z","items":[{"product":"p1","quantity":1,'
            b'"price_fen":99999999999999999999}]}')
    ingest = server.client("ingest")
    before = server.db_counts()
    r = ingest.raw("POST", "/v1/orders/events", data=body, headers=JSON)
    assert r.status_code == 400 and error_code(r) == "invalid_value", r.text
    assert r.json()["error"]["details"]["field"] == "items[0].price_fen"
    assert server.db_counts() == before


@pytest.mark.parametrize("method,path,body", [
    ("GET", "/v1/products/p1%00", None),
    ("PATCH", "/v1/products/p1%00zz", {"title": "changed through a NUL"}),
    ("GET", "/v1/violations?merchant=m1%00x", None),
])
def test_an_encoded_nul_never_shortens_a_path_or_a_value(shop, server, method, path, body):
    """An id is the whole path segment: p1%00zz is not p1 (a decoded NUL would end the string
    the router reads). Nothing is read or changed through it."""
    before = server.db_counts()
    r = shop["m1"].raw(method, path, data=json.dumps(body) if body else None, headers=JSON)
    assert r.status_code in (400, 404), r.text
    assert server.db_counts() == before
    assert shop["m1"].get("/v1/products/p1").json()["title"] != "changed through a NUL"


def test_an_encoded_nul_in_a_store_id_reaches_no_route_of_another_path(server):
    ingest = server.client("ingest")
    before = server.db_counts()
    r = ingest.raw("POST", "/v1/merchants/m1%00x/deposit/top-ups",
                   data=b'{"amount_fen": 5, "ref": "nul"}', headers=JSON)
    assert r.status_code == 404 and error_code(r) == "not_found", r.text
    assert server.db_counts() == before


@pytest.mark.parametrize("attributes,code,field", [
    ({"颜色": 1}, "wrong_type", "attributes.颜色"),
    ({"颜色": "x" * 257}, "invalid_value", "attributes.颜色"),
    ({"": "红"}, "invalid_value", "attributes"),
])
def test_a_bad_attribute_is_named_as_the_client_sent_it(shop, server, attributes, code, field):
    """openapi: attributes map keys of 1-64 bytes to strings of at most 256 bytes; a value of
    another type is wrong_type, as in every other container, and details.field names it."""
    before = server.db_counts()
    for method, path, body in (("POST", "/v1/products", {**GOOD, "attributes": attributes}),
                               ("PATCH", "/v1/products/p1", {"attributes": attributes})):
        r = shop["m1"].raw(method, path, data=json.dumps(body).encode(), headers=JSON)
        assert r.status_code == 400 and error_code(r) == code, r.text
        assert r.json()["error"]["details"]["field"] == field, r.text
    assert server.db_counts() == before
