"""Answers in cluster mode read as in single-node mode, from either node (docs/scale-out.md,
"Product ids" and "Commands"; docs/api.md): a product id taken by a store in one partition is
`409 already_exists` for a store in another; a refusal's details (the findings that keep a
product off sale, the claim that holds an item) reach the client whichever node answers; a feed
request split by promoters names a bad event by its index in the request."""
import requests

from test_cluster import (PARTITIONS, _balanced, _store_with_product, cluster,  # noqa: F401
                          one_store_per_partition)


def _product(node, op, store, pid, key, **extra):
    body = {"id": pid, "merchant": store, "title": "赣南脐橙 5kg", "category": "fresh.fruit",
            "price_fen": 5990, "production_date": "2026-01-01", "quality_cert": "QC-1",
            "manufacturer": "示例工厂", **extra}
    return requests.post(node.base + "/v1/products", json=body, timeout=60,
                         headers={**op, "Idempotency-Key": key})


def test_refusals_read_as_in_single_node_mode_on_every_node(cluster):
    broker, nodes, keys = cluster
    op = {"Authorization": f"Bearer {keys['operator']}"}
    admin = {"Authorization": f"Bearer {keys['admin']}"}
    _balanced(nodes)
    a, b = one_store_per_partition("ans")[:2]  # two partitions
    _store_with_product(nodes[0], op, a, f"own-{a}", "ans")
    _store_with_product(nodes[1], op, b, f"own-{b}", "ans")

    # one namespace of product ids across partitions
    r = _product(nodes[0], op, a, "dup-1", "dup-a")
    assert r.status_code == 201, r.text
    for i, n in enumerate(nodes):
        r = _product(n, op, b, "dup-1", f"dup-b{i}")
        assert r.status_code == 409, r.text
        assert r.json()["error"]["code"] == "already_exists", r.text
        assert r.json()["error"]["details"]["field"] == "id", r.text
    for n in nodes:
        r = requests.get(n.base + "/v1/products/dup-1", headers=op, timeout=60)
        assert r.status_code == 200 and r.json()["merchant"] == a, r.text
    r = requests.get(nodes[1].base + f"/v1/merchants/{b}/products", headers=op, timeout=60)
    assert "dup-1" not in [p["id"] for p in r.json()["products"]], r.text
    # the same store's retry with its key is the first answer
    r = _product(nodes[1], op, a, "dup-1", "dup-a")
    assert r.status_code == 201 and r.headers.get("Idempotent-Replayed") == "true", r.text
    # a create refused for what it said leaves the id free for any store
    r = _product(nodes[1], op, b, "free-1", "free-b", category="digital.phones")
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "category_not_in_store", r.text
    r = _product(nodes[0], op, a, "free-1", "free-a")
    assert r.status_code == 201, r.text

    # listing_blocked carries the findings that keep the product off sale
    r = requests.post(nodes[0].base + f"/v1/merchants/{b}/deposit/top-ups", timeout=60,
                      json={"amount_fen": 5000000, "ref": f"ans-{b}"},
                      headers={**op, "Idempotency-Key": f"anst-{b}"})
    assert r.status_code == 201, r.text
    r = _product(nodes[0], op, b, "blk-1", "blk", detail="有问题加微信 yanxi_88 详聊")
    assert r.status_code == 201, r.text
    for n in nodes:
        r = requests.post(n.base + "/v1/products/blk-1/list", headers=op, timeout=60)
        assert r.status_code == 422, r.text
        err = r.json()["error"]
        assert err["code"] == "listing_blocked", r.text
        assert err["details"]["field"] == "id", r.text
        assert any(f["type"] == "external_diversion" for f in err["details"]["findings"]), r.text

    # a decision on an item another key holds: 409 claimed with the claim
    r = requests.post(nodes[0].base + "/v1/queue/claims", json={"item": b}, timeout=60,
                      headers={**admin, "Idempotency-Key": "claim-b"})
    assert r.status_code == 201, r.text
    for i, n in enumerate(nodes):
        r = requests.post(n.base + f"/v1/merchants/{b}/clear", json={"reason": "测试"},
                          timeout=60, headers={**op, "Idempotency-Key": f"clear-b{i}"})
        assert r.status_code == 409, r.text
        d = r.json()["error"]["details"]
        assert d["field"] == "item" and d["item"] == b and d["holder"] == "k-admin", r.text
        assert d["until"].endswith("Z"), r.text


def test_a_split_feed_request_names_a_bad_event_by_its_index_in_the_request(cluster):
    broker, nodes, keys = cluster
    admin = {"Authorization": f"Bearer {keys['admin']}"}
    _balanced(nodes)
    pa, pb = one_store_per_partition("prm")[:2]
    events = []
    for k in range(7):
        p = pa if k % 3 == 0 else pb
        events.append({"event_id": f"ix-{k}", "type": "paid", "order": f"ix-o{k}",
                       "promoter": p, "merchant": "m-aff", "item": "i-1",
                       "at": "2026-11-03T10:00:00Z", "amount_fen": 10000, "rate_bp": 500,
                       "buyer": {"id": f"b{k}"}})
    events[5]["amount_fen"] = -1  # pb's fourth event: index 3 of its part
    for i, n in enumerate(nodes):
        r = requests.post(n.base + "/v1/affiliate/events", json={"events": events}, timeout=60,
                          headers={**admin, "Idempotency-Key": f"ix-{i}"})
        assert r.status_code == 200, r.text
        out = r.json()["results"]
        assert [o["event_id"] for o in out] == [f"ix-{k}" for k in range(7)], r.text
        bad = out[5]
        assert bad["outcome"] == "rejected" and bad["field"] == "events[5].amount_fen", r.text
        assert "events[5]" in bad["message"] and "events[3]" not in bad["message"], r.text
