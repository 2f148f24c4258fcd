"""Assurance badge (安心购) over HTTP with the manual clock (issue 14, RULES.md §5).

Written from the issue, the rules and the pinned interface, not from the implementation:
one catalogue of after-sales service codes (the policy's `services`) that a store's
commitments (PUT /v1/merchants/{id}/services) and a product's own `after_sales` are written
in; a store is eligible when its services cover the five base services and the extras of
every category it sells in (fresh.* -> bad_item_compensation, beauty.* -> allergy_return) and
it is neither restricted nor cleared; an eligible store activates (点亮) its badge, or is
reminded, and 24 hours after it dismisses the reminder the system checks again and activates
the badge itself if the store is still eligible; a merchant may close its badge and the system
never re-activates it; an active badge whose rule stops holding is suspended with its reasons
and active again by itself when the rule holds. A product is tagged ("assurance") iff its
store's badge is active, it is not banned, and its own after_sales cover the five plus its
category's extras; tags follow every change in the request that makes it. Every badge state
change and every tag change is an event.

The manual clock starts at 2026-01-05T01:00:00Z (conftest START) and only moves forward."""
import json
import os
import signal
import tempfile
from datetime import datetime, timedelta, timezone

import pytest
import requests

from conftest import (clear_store, COMPLETE, default_policy, error_code, old_database, serve_demo,
                      Server)

T0 = datetime(2026, 1, 5, 1, 0, 0, tzinfo=timezone.utc)  # conftest.START in UTC
BASE = ("seven_day_return", "authenticity_guarantee", "return_shipping_insurance",
        "doorstep_pickup", "fast_refund_unshipped")
ALLERGY = "allergy_return"  # beauty.* extra (过敏包退)
BAD_ITEM = "bad_item_compensation"  # fresh.* extra (坏单包赔)
BEAUTY = [*BASE, ALLERGY]
FRESH = [*BASE, BAD_ITEM]
BOTH = [*BASE, ALLERGY, BAD_ITEM]
# the catalogue's names (issue 14, the pin): a message may name a service by code or by name
NAMES = {"seven_day_return": "7天无理由退货", "authenticity_guarantee": "正品保障",
         "return_shipping_insurance": "运费险", "doorstep_pickup": "上门取件",
         "fast_refund_unshipped": "未发货极速退款", ALLERGY: "过敏包退", BAD_ITEM: "坏单包赔"}
TITLES = {"beauty": "烟酰胺身体乳 200ml", "fresh": "赣南脐橙 5kg", "apparel": "羊毛大衣"}
TAG = "assurance"


def t(**delta):
    """T0 + delta as an RFC 3339 UTC instant."""
    return (T0 + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


def instant(s):
    assert isinstance(s, str) and s.endswith("Z"), s
    return datetime.fromisoformat(s[:-1] + "+00:00")


def same_instant(a, b):
    return a is not None and instant(a) == instant(b)


def types(answer):
    return [e["type"] for e in answer.json()["events"]]


class World:
    """One server, stores opened by operators with their deposits paid, a client per store."""

    def __init__(self, server, operator):
        self.server = server
        self.op = operator
        self.stores = {}

    def open(self, mid, *categories, deposit=True):
        r = self.op.post("/v1/merchants", {"id": mid, "name": f"store {mid}",
                                           "categories": list(categories)})
        assert r.status_code == 201, r.text
        if deposit:
            need = r.json()["result"]["deposit_required_fen"]
            r = self.op.post(f"/v1/merchants/{mid}/deposit/top-ups",
                             {"amount_fen": need, "ref": f"open-{mid}"})
            assert r.status_code == 201, r.text
            assert r.json()["result"]["store_status"] == "active"
        self.stores[mid] = self.server.client(f"merchant:{mid}")
        return self.stores[mid]

    def __getitem__(self, mid):
        return self.stores[mid]

    def clock(self, now):
        r = self.op.post("/v1/admin/clock", {"now": now})
        assert r.status_code == 200, r.text
        return r.json()

    def put_services(self, mid, codes, who=None):
        api = who or self.stores[mid]
        return api.put(f"/v1/merchants/{mid}/services", {"services": list(codes)})

    def services(self, mid, codes, who=None):
        r = self.put_services(mid, codes, who)
        assert r.status_code == 200, r.text
        return r

    def badge(self, mid, who=None):
        r = (who or self.stores[mid]).get(f"/v1/merchants/{mid}/badge")
        assert r.status_code == 200, r.text
        return r.json()

    def act(self, mid, action, who=None, **kw):
        """activate, close or reminder/dismiss, as the store (or `who`)."""
        return (who or self.stores[mid]).post(f"/v1/merchants/{mid}/badge/{action}", **kw)

    def done(self, mid, action, **kw):
        r = self.act(mid, action, **kw)
        assert r.status_code == 200, r.text
        return r

    def product(self, mid, pid, category, after_sales=None, **over):
        body = {"id": pid, "title": TITLES[category.split(".")[0]], "category": category,
                "price_fen": 6900, "stock": 10, **COMPLETE, **over}
        if after_sales is not None:
            body["after_sales"] = list(after_sales)
        r = self.stores[mid].post("/v1/products", body)
        assert r.status_code == 201, r.text
        return r

    def tags(self, pid):
        r = self.op.get(f"/v1/products/{pid}")
        assert r.status_code == 200, r.text
        return r.json()["tags"]

    def tagged_ids(self, mid, who=None):
        r = (who or self.stores[mid]).get(f"/v1/merchants/{mid}/products",
                                          params={"tag": TAG})
        assert r.status_code == 200, r.text
        return [p["id"] for p in r.json()["products"]]

    def events(self, type_, merchant=None):
        params = {"type": type_, "limit": 1000}
        if merchant:
            params["merchant"] = merchant
        r = self.server.admin().get("/v1/events", params=params)
        assert r.status_code == 200, r.text
        return r.json()["events"]

    def tag_events(self, pid):
        """The type of every product.tagged / product.untagged event of pid, in log order;
        each says the tag (assurance) and a reason (the pin)."""
        evs = self.events("product.tagged") + self.events("product.untagged")
        evs = [e for e in evs if e["payload"]["product"] == pid]
        for e in evs:
            assert e["payload"]["tag"] == TAG and "reason" in e["payload"], e
        return [e["type"] for e in sorted(evs, key=lambda e: e["seq"])]

    def named(self, answer, type_):
        """The products named by the events of type_ among a write's own events (sorted)."""
        seqs = {e["seq"] for e in answer.json()["events"] if e["type"] == type_}
        if not seqs:
            return []
        r = self.server.admin().get("/v1/events", params={"after": min(seqs) - 1,
                                                          "limit": 1000})
        assert r.status_code == 200, r.text
        return sorted(e["payload"]["product"] for e in r.json()["events"] if e["seq"] in seqs)

    def transitions(self, mid):
        return [(e["payload"]["from"], e["payload"]["to"])
                for e in self.events("badge.state_changed", merchant=mid)]


def by_product(view):
    return {p["product"]: p for p in view["products"]}


def missing_of(view, pid):
    return sorted(by_product(view)[pid]["missing"])


@pytest.fixture
def w(server, operator):
    return World(server, operator)


# --- the services catalogue ------------------------------------------------------------------

def test_unknown_service_codes_are_refused_and_change_nothing(server, w):
    """Issue 14 "Services: one vocabulary": a store's services and a product's after_sales hold
    codes of the policy's catalogue; an unknown code is 400 invalid_value (the pin: field
    after_sales[i]) and nothing changes."""
    w.open("m1", "beauty.skincare")
    w.product("m1", "p1", "beauty.skincare", BEAUTY)
    before = server.db_counts()
    r = w.put_services("m1", [*BASE, "moon_delivery"])
    assert r.status_code == 400 and error_code(r) == "invalid_value", r.text
    r = w["m1"].post("/v1/products", {"id": "p2", "title": TITLES["beauty"],
                                      "category": "beauty.skincare", "price_fen": 100,
                                      "after_sales": ["seven_day_return", "moon_delivery"],
                                      **COMPLETE})
    assert r.status_code == 400 and error_code(r) == "invalid_value", r.text
    assert r.json()["error"]["details"]["field"] == "after_sales[1]"
    r = w["m1"].patch("/v1/products/p1", {"after_sales": ["moon_delivery"]})
    assert r.status_code == 400 and error_code(r) == "invalid_value", r.text
    assert r.json()["error"]["details"]["field"] == "after_sales[0]"
    assert server.db_counts() == before
    view = w.badge("m1")
    assert view["state"] == "ineligible" and view["services"] == []
    assert sorted(w.op.get("/v1/products/p1").json()["after_sales"]) == sorted(BEAUTY)


def test_the_scanners_old_codes_are_migrated_to_the_catalogue(server, w):
    """Issue 14: the scanner's promises list used other codes; they are migrated to the one
    catalogue (the pin: freight_insurance -> return_shipping_insurance, fast_refund ->
    fast_refund_unshipped), so the new codes are accepted and the old ones are unknown."""
    w.open("m1", "apparel.women")
    r = w.services("m1", ["return_shipping_insurance", "fast_refund_unshipped"])
    assert sorted(r.json()["result"]["services"]) == ["fast_refund_unshipped",
                                                      "return_shipping_insurance"]
    w.product("m1", "p1", "apparel.women", ["return_shipping_insurance", "fast_refund_unshipped"])
    for old in ("freight_insurance", "fast_refund"):
        r = w.put_services("m1", [old])
        assert r.status_code == 400 and error_code(r) == "invalid_value", (old, r.text)
        r = w["m1"].patch("/v1/products/p1", {"after_sales": [old]})
        assert r.status_code == 400 and error_code(r) == "invalid_value", (old, r.text)


BEFORE_BADGE = 12  # the last migration before issue 14 (0012_filing.sql)


def pre_badge_database(path, admin_key):
    """A database as the release before issue 14 wrote it (migrations 0001-0012, as
    test_identity builds an older one): an admin key, an active store m1 and its product p1
    whose after_sales hold the scanner's old codes freight_insurance and fast_refund."""
    con = old_database(path, admin_key, BEFORE_BADGE)
    try:
        at = 1767225600000000  # 2026-01-01T00:00:00Z in microseconds
        payload = json.dumps({"id": "test-admin", "role": "admin"})
        con.execute("INSERT INTO commands (seq, at, type, actor, merchant, idem_key, payload,"
                    " result, policy_version, first_event, nevents)"
                    " VALUES (1,?,'key.create','cli',NULL,NULL,?,?,'default',1,1)",
                    (at, payload, payload))
        con.execute("INSERT INTO events (seq, at, type, merchant, subject, payload,"
                    " policy_version, command_seq) VALUES (1,?,'key.created',NULL,"
                    "'test-admin',?,'default',1)", (at, payload))
        con.execute("INSERT INTO merchants (id, name, status, categories, deposit_required_fen,"
                    " version, created_at, updated_at, holds)"
                    " VALUES ('m1','store m1','active','[\"apparel.women\"]',0,1,?,?,0)",
                    (at, at))
        doc = {"title": TITLES["apparel"], "category": "apparel.women",
               "after_sales": ["freight_insurance", "seven_day_return", "fast_refund"],
               **COMPLETE}
        con.execute("INSERT INTO products (rid, id, merchant, status, price_fen, stock, version,"
                    " created_at, updated_at, doc, scan_flags)"
                    " VALUES (1,'p1','m1','delisted',6900,10,1,?,?,?,0)",
                    (at, at, json.dumps(doc, ensure_ascii=False)))
        con.execute(f"PRAGMA user_version = {BEFORE_BADGE}")
        con.commit()
    finally:
        con.close()


def test_stored_products_with_the_old_codes_are_migrated(tmp_path):
    """Issue 14: the products that carry the scanner's old codes are migrated in a numbered
    migration (the pin: freight_insurance -> return_shipping_insurance, fast_refund ->
    fast_refund_unshipped): a database of the release before reads the new codes at start."""
    s = Server(str(tmp_path))
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(s.db + suffix):
            os.remove(s.db + suffix)
    pre_badge_database(s.db, s.admin_key)
    s.start()
    try:
        admin = s.admin()
        p = admin.get("/v1/products/p1")
        assert p.status_code == 200, p.text
        assert sorted(p.json()["after_sales"]) == ["fast_refund_unshipped",
                                                   "return_shipping_insurance",
                                                   "seven_day_return"]
        assert p.json()["tags"] == []
        # the migrated codes are catalogue codes: the product can be edited with them
        r = admin.patch("/v1/products/p1", {"after_sales": p.json()["after_sales"]})
        assert r.status_code == 200, r.text
    finally:
        s.stop()


BEFORE_SINCE = 20  # the last migration before 0021_badge_since.sql


def pre_since_database(path, admin_key):
    """A database as the release before 0021 wrote it: store m1 set its services once (its
    badge stayed ineligible, and that stamped `since`); store m2 became eligible (a
    badge.state_changed) and then ineligible again."""
    con = old_database(path, admin_key, BEFORE_SINCE)
    try:
        at = 1767225600000000  # 2026-01-01T00:00:00Z in microseconds
        payload = json.dumps({"id": "test-admin", "role": "admin"})
        con.execute("INSERT INTO commands (seq, at, type, actor, merchant, idem_key, payload,"
                    " result, policy_version, first_event, nevents)"
                    " VALUES (1,?,'key.create','cli',NULL,NULL,?,?,'default',1,2)",
                    (at, payload, payload))
        con.execute("INSERT INTO events (seq, at, type, merchant, subject, payload,"
                    " policy_version, command_seq) VALUES (1,?,'key.created',NULL,"
                    "'test-admin',?,'default',1)", (at, payload))
        change = json.dumps({"merchant": "m2", "from": "ineligible", "to": "eligible",
                             "activated_by": None, "reasons": [], "missing": [],
                             "cause": "services_changed", "policy_version": "default"})
        con.execute("INSERT INTO events (seq, at, type, merchant, subject, payload,"
                    " policy_version, command_seq) VALUES (2,?,'badge.state_changed','m2',"
                    "'m2',?,'default',1)", (at, change))
        for mid in ("m1", "m2"):
            con.execute("INSERT INTO merchants (id, name, status, categories,"
                        " deposit_required_fen, version, created_at, updated_at, holds)"
                        " VALUES (?,?,'active','[\"beauty.skincare\"]',0,1,?,?,0)",
                        (mid, f"store {mid}", at, at))
            con.execute("INSERT INTO badges (merchant, state, activated_by, since, services,"
                        " missing, reasons, updated_at, version)"
                        " VALUES (?,'ineligible',NULL,?,?,?,?,?,1)",
                        (mid, at, json.dumps(list(BASE)), json.dumps([ALLERGY]),
                         json.dumps([{"code": "services_missing", "services": [ALLERGY]}]),
                         at))
        con.execute(f"PRAGMA user_version = {BEFORE_SINCE}")
        con.commit()
    finally:
        con.close()


def test_a_badge_that_never_changed_state_has_no_since_after_the_migration(tmp_path):
    """docs/badge.md: `since` is when the badge entered its state; a badge that never changed
    state has none. Migration 0021 clears the instant the first services set used to stamp,
    and keeps that of a badge that did change state."""
    s = Server(str(tmp_path))
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(s.db + suffix):
            os.remove(s.db + suffix)
    pre_since_database(s.db, s.admin_key)
    s.start()
    try:
        admin = s.admin()
        m1, m2 = (admin.get(f"/v1/merchants/{m}/badge") for m in ("m1", "m2"))
        assert m1.status_code == m2.status_code == 200, (m1.text, m2.text)
        assert m1.json()["since"] is None and m1.json()["missing"] == [ALLERGY]
        assert same_instant(m2.json()["since"], "2026-01-01T00:00:00Z")
    finally:
        s.stop()


def test_services_that_keep_the_state_keep_since(server, w):
    """docs/badge.md: services set while the badge stays ineligible change what it misses, not
    `since` (null while it never changed state); the state entered later stamps it."""
    w.open("m1", "apparel.women", "beauty.skincare")
    w.clock(t(minutes=1))
    view = w.services("m1", BASE).json()["result"]
    assert (view["state"], view["since"], view["missing"]) == ("ineligible", None, [ALLERGY])
    assert w.badge("m1")["since"] is None
    w.clock(t(minutes=2))
    view = w.services("m1", BEAUTY).json()["result"]
    assert view["state"] == "eligible" and same_instant(view["since"], t(minutes=2))
    w.clock(t(minutes=3))
    view = w.services("m1", [*BEAUTY, BAD_ITEM]).json()["result"]
    assert view["state"] == "eligible" and same_instant(view["since"], t(minutes=2))


def after_sales_findings(product):
    findings = product.get("scan", {}).get("findings", [])
    return [f for f in findings if f["rule"] == "consistency.after_sales"]


def test_the_scanner_reads_promises_from_the_catalogue(server, w):
    """Issue 14: the scanner's after-sales consistency check reads the catalogue: a detail
    promising 运费险 (or 退货险) while after_sales lacks return_shipping_insurance is a finding
    (docs/scan.md: key_info_inconsistent, consistency.after_sales, on the product's scan); with
    the code it is none. The same for 极速退款 and fast_refund_unshipped."""
    w.open("m1", "apparel.women")
    cases = [("p1", "支持运费险，放心购买", ["seven_day_return"], 1),
             ("p2", "支持运费险，放心购买", ["return_shipping_insurance"], 0),
             ("p3", "本店赠送退货险", ["seven_day_return"], 1),
             ("p4", "未发货极速退款", ["return_shipping_insurance"], 1),
             ("p5", "未发货极速退款", ["fast_refund_unshipped"], 0)]
    for pid, detail, after_sales, n in cases:
        p = w.product("m1", pid, "apparel.women", after_sales, detail=detail).json()["result"]
        found = after_sales_findings(p)
        assert len(found) == n, (pid, p["scan"])
        for f in found:
            assert f["type"] == "key_info_inconsistent" and f["field"] == "detail", f
    # an edit that adds the missing code clears the finding
    p = w["m1"].patch("/v1/products/p1", {"after_sales": ["seven_day_return",
                                                          "return_shipping_insurance"]})
    assert p.status_code == 200, p.text
    assert after_sales_findings(w.op.get("/v1/products/p1").json()) == []


# --- eligibility and the badge view ----------------------------------------------------------

def test_a_store_without_services_is_ineligible_and_missing_every_code(server, w):
    """The pin: a store with no services yet is ineligible with every base and extra code
    missing (the five base services plus the extras of its categories, RULES.md §5), no
    reminder, nobody activated it; per product, what its own after_sales lack."""
    w.open("m1", "beauty.skincare")
    w.open("m2", "fresh.fruit")
    w.product("m1", "p1", "beauty.skincare")
    w.product("m2", "p2", "fresh.fruit", ["seven_day_return"])
    v1 = w.badge("m1")
    assert (v1["merchant"], v1["state"], v1["activated_by"]) == ("m1", "ineligible", None)
    assert v1["services"] == [] and sorted(v1["missing"]) == sorted(BEAUTY)
    assert v1["reminder"] is None and isinstance(v1["version"], int)
    assert [r["code"] for r in v1["reasons"]] == ["services_missing"]
    assert sorted(v1["reasons"][0]["services"]) == sorted(BEAUTY)
    assert by_product(v1)["p1"]["tagged"] is False and missing_of(v1, "p1") == sorted(BEAUTY)
    v2 = w.badge("m2")
    assert v2["state"] == "ineligible" and sorted(v2["missing"]) == sorted(FRESH)
    assert missing_of(v2, "p2") == sorted(set(FRESH) - {"seven_day_return"})
    assert w.tags("p1") == [] and w.tags("p2") == []


def test_eligibility_needs_the_base_five_and_the_extras_of_every_category(server, w):
    """RULES.md §5 / issue 14: a store is eligible when its services include the five base
    services and the extras of every category it sells in (its categories); `missing` says
    exactly what it lacks. A category without extras needs the five only."""
    w.open("m1", "beauty.skincare", "fresh.fruit")
    w.open("m2", "apparel.women")
    for codes, missing in ((BASE, [ALLERGY, BAD_ITEM]), (BEAUTY, [BAD_ITEM]),
                           (FRESH, [ALLERGY]), ([*BOTH[:4], *BOTH[5:]], [BASE[4]])):
        view = w.services("m1", codes).json()["result"]
        assert view["state"] == "ineligible", codes
        assert sorted(view["missing"]) == sorted(missing), codes
        assert [(r["code"], sorted(r["services"])) for r in view["reasons"]] == \
            [("services_missing", sorted(missing))]
        assert sorted(view["services"]) == sorted(codes)
        assert w.badge("m1") == view
    view = w.services("m1", [*BOTH, "price_protection"]).json()["result"]
    assert (view["state"], view["missing"], view["reasons"]) == ("eligible", [], [])
    assert sorted(view["services"]) == sorted([*BOTH, "price_protection"])
    # apparel has no extras: the five make it eligible
    view = w.services("m2", BASE[:4]).json()["result"]
    assert view["state"] == "ineligible" and view["missing"] == [BASE[4]]
    view = w.services("m2", BASE).json()["result"]
    assert view["state"] == "eligible" and view["missing"] == []


def test_staff_may_set_a_stores_services_and_read_any_badge(server, w):
    """The pin: PUT .../services is the store's or staff's; GET .../badge: staff read any."""
    w.open("m1", "apparel.women")
    r = w.services("m1", BASE, who=w.op)
    assert r.json()["result"]["state"] == "eligible"
    assert w.badge("m1", who=w.op)["state"] == "eligible"
    assert w.badge("m1", who=server.admin()) == w.badge("m1")


def test_a_restricted_store_is_not_eligible(server, w):
    """Issue 14: a store is eligible only when it is not restricted or cleared (the pin: reason
    store_restricted); activation is refused (422 badge_not_eligible) until it is reinstated."""
    w.open("m1", "beauty.skincare")
    w.open("m2", "beauty.skincare", deposit=False)  # held for its deposit: restricted
    w.services("m1", BEAUTY)
    r = w.op.post("/v1/merchants/m1/restrict", {"reason": "抽检"})
    assert r.status_code == 200, r.text
    view = w.badge("m1")
    assert view["state"] == "ineligible" and view["missing"] == []
    assert view["reasons"] == [{"code": "store_restricted"}]
    r = w.act("m1", "activate")
    assert r.status_code == 422 and error_code(r) == "badge_not_eligible", r.text
    assert w.badge("m1")["state"] == "ineligible"
    view = w.services("m2", BEAUTY).json()["result"]
    assert view["state"] == "ineligible" and view["reasons"] == [{"code": "store_restricted"}]
    r = w.act("m2", "activate")
    assert r.status_code == 422 and error_code(r) == "badge_not_eligible", r.text
    # lifted: eligible again
    assert w.op.post("/v1/merchants/m1/reinstate").status_code == 200
    view = w.badge("m1")
    assert (view["state"], view["reasons"], view["missing"]) == ("eligible", [], [])
    w.done("m1", "activate")


def test_a_cleared_store_is_not_eligible_and_loses_its_tags(server, w):
    """Issue 14: a cleared store is not eligible (the pin: reason store_cleared); an active
    badge whose store is cleared no longer holds: every tag is removed in the same request."""
    w.open("m1", "beauty.skincare")
    w.product("m1", "p1", "beauty.skincare", BEAUTY)
    w.services("m1", BEAUTY)
    w.done("m1", "activate")
    assert w.tags("p1") == [TAG]
    r = clear_store(server, w.op, "m1", "fourth three-no violation")
    assert "product.untagged" in types(r) and "badge.state_changed" in types(r)
    assert w.tags("p1") == [] and w.tagged_ids("m1", who=w.op) == []
    view = w.badge("m1", who=w.op)
    assert view["state"] != "active" and {"code": "store_cleared"} in view["reasons"]
    assert by_product(view)["p1"]["tagged"] is False
    r = w.act("m1", "activate")
    assert r.status_code == 422, r.text
    assert error_code(r) in ("badge_not_eligible", "merchant_cleared"), r.text


# --- merchant activation, closing ------------------------------------------------------------

def test_activation_tags_every_product_that_covers_its_category(server, w):
    """RULES.md §5 merchant activation (点亮): an eligible store activates; every product whose
    own after_sales cover the five plus its category's extras, and that is not banned, is
    tagged at once (product.tagged in the same answer); the others are listed with what they
    lack. The badge is active, activated_by merchant, since the activation."""
    w.open("m1", "beauty.skincare", "beauty.makeup")  # a store sells in its own categories
    w.product("m1", "full", "beauty.skincare", BEAUTY)
    w.product("m1", "makeup", "beauty.makeup", [*BEAUTY, "price_protection"])
    w.product("m1", "no_allergy", "beauty.skincare", BASE)
    w.product("m1", "bare", "beauty.skincare")
    w.product("m1", "banned", "beauty.skincare", BEAUTY)
    assert w.op.post("/v1/products/banned/ban", {"reason": "test"}).status_code == 200
    w.services("m1", BEAUTY)
    w.clock(t(hours=2))
    r = w.done("m1", "activate")
    view = r.json()["result"]
    assert (view["state"], view["activated_by"]) == ("active", "merchant")
    assert same_instant(view["since"], t(hours=2)) and same_instant(r.json()["at"], t(hours=2))
    products = by_product(view)
    assert {pid for pid, p in products.items() if p["tagged"]} == {"full", "makeup"}
    assert missing_of(view, "full") == [] and missing_of(view, "makeup") == []
    assert missing_of(view, "no_allergy") == [ALLERGY]
    assert missing_of(view, "bare") == sorted(BEAUTY)
    assert products["banned"]["tagged"] is False
    assert w.named(r, "product.tagged") == ["full", "makeup"]
    assert "badge.activated" in types(r) and "badge.state_changed" in types(r)
    for pid, tags in (("full", [TAG]), ("makeup", [TAG]), ("no_allergy", []), ("bare", []),
                      ("banned", [])):
        assert w.tags(pid) == tags, pid
        assert w["m1"].get(f"/v1/products/{pid}").json()["tags"] == tags, pid
    assert w.tagged_ids("m1") == ["full", "makeup"]
    assert w.tagged_ids("m1", who=w.op) == ["full", "makeup"]
    assert w.badge("m1") == view


def test_a_product_created_under_an_active_badge_is_tagged_by_its_own_services(server, w):
    """The pin: a product is tagged iff its store's badge is active, it is not banned and its
    own after_sales cover the five plus its category's extras: a new product too."""
    w.open("m1", "fresh.fruit")
    w.services("m1", FRESH)
    w.done("m1", "activate")
    r = w.product("m1", "p1", "fresh.fruit", FRESH)
    assert r.json()["result"]["tags"] == [TAG] and "product.tagged" in types(r)
    r = w.product("m1", "p2", "fresh.fruit", BASE)
    assert r.json()["result"]["tags"] == [] and "product.tagged" not in types(r)
    assert w.tagged_ids("m1") == ["p1"]


def test_activation_of_an_ineligible_store_is_refused_naming_what_is_missing(server, w):
    """Issue 14: not eligible -> 422 badge_not_eligible with what is missing (the pin: the
    message names it); nothing changes."""
    w.open("m1", "beauty.skincare")
    w.product("m1", "p1", "beauty.skincare", BEAUTY)
    w.services("m1", ["seven_day_return", "authenticity_guarantee", "doorstep_pickup"])
    before = server.db_counts()
    r = w.act("m1", "activate")
    assert r.status_code == 422 and error_code(r) == "badge_not_eligible", r.text
    message = r.json()["error"]["message"]
    for code in ("return_shipping_insurance", "fast_refund_unshipped", ALLERGY):
        assert code in message or NAMES[code] in message, (code, message)
    assert server.db_counts()["events"] == before["events"]
    view = w.badge("m1")
    assert view["state"] == "ineligible" and view["activated_by"] is None
    assert w.tags("p1") == []


def test_state_conflicts(server, w):
    """The pin: activating an active badge, closing a closed one, and dismissing when no
    reminder waits (none sent, or already dismissed) are 409 state_conflict."""
    w.open("m1", "apparel.women")
    r = w.act("m1", "reminder/dismiss")  # ineligible: no reminder was ever sent
    assert r.status_code == 409 and error_code(r) == "state_conflict", r.text
    w.services("m1", BASE)
    w.done("m1", "reminder/dismiss")
    r = w.act("m1", "reminder/dismiss")
    assert r.status_code == 409 and error_code(r) == "state_conflict", r.text
    w.done("m1", "activate")
    r = w.act("m1", "activate")
    assert r.status_code == 409 and error_code(r) == "state_conflict", r.text
    w.done("m1", "close")
    r = w.act("m1", "close")
    assert r.status_code == 409 and error_code(r) == "state_conflict", r.text
    assert w.badge("m1")["state"] == "closed"


def test_closing_removes_every_tag_and_a_closed_store_may_activate_again(server, w):
    """RULES.md §5: the merchant may close the badge and its tags are removed (product.untagged
    in the same answer); the pin: closed and eligible again -> activate makes it active, by
    the merchant, products re-tagged; closed and not eligible -> 422 badge_not_eligible."""
    w.open("m1", "beauty.skincare")
    for pid in ("p1", "p2"):
        w.product("m1", pid, "beauty.skincare", BEAUTY)
    w.services("m1", BEAUTY)
    w.done("m1", "activate")
    w.clock(t(hours=1))
    r = w.done("m1", "close")
    view = r.json()["result"]
    assert view["state"] == "closed" and same_instant(view["since"], t(hours=1))
    assert w.named(r, "product.untagged") == ["p1", "p2"]
    assert not any(p["tagged"] for p in view["products"])
    assert w.tags("p1") == w.tags("p2") == [] and w.tagged_ids("m1") == []
    # not eligible while closed: refused, still closed
    w.services("m1", BASE)
    r = w.act("m1", "activate")
    assert r.status_code == 422 and error_code(r) == "badge_not_eligible", r.text
    assert w.badge("m1")["state"] == "closed"
    w.services("m1", BEAUTY)
    assert w.badge("m1")["state"] == "closed"  # the system does not re-activate it
    w.clock(t(hours=2))
    r = w.done("m1", "activate")
    view = r.json()["result"]
    assert (view["state"], view["activated_by"]) == ("active", "merchant")
    assert same_instant(view["since"], t(hours=2))
    assert w.named(r, "product.tagged") == ["p1", "p2"]
    assert w.tagged_ids("m1") == ["p1", "p2"]


def reach(w, mid, state):
    """Opens an apparel store (the five base services, no extras) and brings its badge to
    state: ineligible, eligible (reminder waiting), dismissed (eligible, reminder dismissed),
    active, suspended, closed (eligible), closed_ineligible."""
    w.open(mid, "apparel.women")
    if state == "ineligible":
        return
    w.services(mid, BASE)
    if state == "dismissed":
        w.done(mid, "reminder/dismiss")
    if state in ("active", "suspended", "closed", "closed_ineligible"):
        w.done(mid, "activate")
    if state == "suspended":
        w.services(mid, BASE[1:])
    if state in ("closed", "closed_ineligible"):
        w.done(mid, "close")
    if state == "closed_ineligible":
        w.services(mid, BASE[1:])


# (state, action) -> (status, error code or the state after): what the pin says of each
TABLE = [
    ("ineligible", "activate", 422, "badge_not_eligible", "ineligible"),
    ("ineligible", "reminder/dismiss", 409, "state_conflict", "ineligible"),
    ("eligible", "activate", 200, None, "active"),
    ("eligible", "close", 200, None, "closed"),
    ("eligible", "reminder/dismiss", 200, None, "eligible"),
    ("dismissed", "activate", 200, None, "active"),
    ("dismissed", "reminder/dismiss", 409, "state_conflict", "eligible"),
    ("active", "activate", 409, "state_conflict", "active"),
    ("active", "close", 200, None, "closed"),
    # activated or closed since the reminder: nothing waits, and no timer may start
    ("active", "reminder/dismiss", 409, "state_conflict", "active"),
    ("suspended", "reminder/dismiss", 409, "state_conflict", "suspended"),
    ("closed", "reminder/dismiss", 409, "state_conflict", "closed"),
    ("suspended", "close", 200, None, "closed"),
    ("closed", "activate", 200, None, "active"),
    ("closed", "close", 409, "state_conflict", "closed"),
    ("closed_ineligible", "activate", 422, "badge_not_eligible", "closed"),
]


def test_states_by_actions(server, w):
    """Issue 14 "a table test of states x actions", over HTTP: each (state, action) the pin
    decides answers its status (a refusal with its code changes nothing) and leaves the badge
    in the state it says."""
    for i, (state, action, status, code, after) in enumerate(TABLE):
        mid = f"s{i}"
        reach(w, mid, state)
        r = w.act(mid, action)
        assert r.status_code == status, (state, action, r.text)
        if code:
            assert error_code(r) == code, (state, action, r.text)
        else:
            assert r.json()["result"]["state"] == after, (state, action, r.text)
        assert w.badge(mid)["state"] == after, (state, action)


def test_badge_writes_are_idempotent_by_key(server, w):
    """House rule (docs/api.md "Writes"): a write repeated with its Idempotency-Key answers the
    first answer, replayed, and changes nothing."""
    w.open("m1", "apparel.women")
    w.services("m1", BASE)
    r1 = w.act("m1", "activate", idem="act-1")
    r2 = w.act("m1", "activate", idem="act-1")
    assert r1.status_code == r2.status_code == 200, r2.text
    assert r2.json()["replayed"] is True and r2.json()["result"] == r1.json()["result"]
    assert len(w.events("badge.activated", merchant="m1")) == 1


# --- the reminder and the system's activation ------------------------------------------------

def test_a_store_that_becomes_eligible_is_sent_a_reminder(server, w):
    """Issue 14: when a store becomes eligible (and is not active or closed) it is sent a
    reminder: an event (badge.reminder_sent) and an entry in GET .../notifications (the pin:
    type badge_reminder); dismissing it marks it dismissed (badge.reminder_dismissed)."""
    w.open("m1", "fresh.fruit")
    w.services("m1", BASE)
    notes = w["m1"].get("/v1/merchants/m1/notifications")
    assert notes.status_code == 200, notes.text
    assert notes.json()["notifications"] == []  # not eligible: nothing sent
    w.clock(t(minutes=30))
    r = w.services("m1", FRESH)
    assert "badge.reminder_sent" in types(r) and "badge.state_changed" in types(r)
    view = r.json()["result"]
    assert view["state"] == "eligible" and same_instant(view["since"], t(minutes=30))
    reminder = view["reminder"]
    assert same_instant(reminder["sent_at"], t(minutes=30))
    assert reminder["dismissed_at"] is None and reminder["auto_activation_at"] is None
    assert [e["merchant"] for e in w.events("badge.reminder_sent")] == ["m1"]
    body = w["m1"].get("/v1/merchants/m1/notifications").json()
    assert (body["next_after"], body["has_more"]) == (None, False)
    (note,) = body["notifications"]
    assert note["type"] == "badge_reminder" and same_instant(note["at"], t(minutes=30))
    assert note["dismissed_at"] is None and note["message"] and note["id"]
    w.clock(t(hours=1))
    r = w.done("m1", "reminder/dismiss")
    assert "badge.reminder_dismissed" in types(r)
    assert same_instant(r.json()["result"]["reminder"]["dismissed_at"], t(hours=1))
    (note,) = w["m1"].get("/v1/merchants/m1/notifications").json()["notifications"]
    assert same_instant(note["dismissed_at"], t(hours=1))


def test_a_dismissed_reminder_activates_the_badge_24_hours_later(server, w):
    """RULES.md §5 system activation: the merchant dismisses the reminder and has not activated
    24 hours later; the system checks again and, still eligible, activates the badge itself
    (activated_by system, badge.activated, products tagged). Nothing at 23 h 59 min."""
    w.open("m1", "beauty.skincare")
    w.product("m1", "p1", "beauty.skincare", BEAUTY)
    w.product("m1", "p2", "beauty.skincare", BASE)
    w.services("m1", BEAUTY)
    w.clock(t(hours=1))
    r = w.done("m1", "reminder/dismiss")
    reminder = r.json()["result"]["reminder"]
    assert same_instant(reminder["dismissed_at"], t(hours=1))
    assert same_instant(reminder["auto_activation_at"], t(hours=25))
    assert r.json()["result"]["state"] == "eligible"
    w.clock(t(hours=24, minutes=59))
    view = w.badge("m1")
    assert (view["state"], view["activated_by"]) == ("eligible", None)
    assert w.tags("p1") == [] and w.events("badge.activated", merchant="m1") == []
    assert w.events("product.tagged") == []
    w.clock(t(hours=25))
    view = w.badge("m1")
    assert (view["state"], view["activated_by"]) == ("active", "system")
    assert same_instant(view["since"], t(hours=25))
    assert by_product(view)["p1"]["tagged"] is True
    assert by_product(view)["p2"]["tagged"] is False and missing_of(view, "p2") == [ALLERGY]
    assert w.tags("p1") == [TAG] and w.tags("p2") == []
    (ev,) = w.events("badge.activated", merchant="m1")
    assert same_instant(ev["at"], t(hours=25)) and ev["actor"]["role"] == "system"
    changed = w.events("badge.state_changed", merchant="m1")[-1]
    assert (changed["payload"]["from"], changed["payload"]["to"]) == ("eligible", "active")
    assert changed["payload"]["activated_by"] == "system"
    assert w.tag_events("p1") == ["product.tagged"] and w.tag_events("p2") == []


def test_a_base_service_dropped_before_the_timer_means_no_system_activation(server, w):
    """RULES.md §5 / issue 14: when the timer fires the system checks again; a store that
    dropped a base service at hour 10 is not activated at 24 h, and why not is recorded (the
    pin: badge.auto_activation_skipped with the missing services; the state unchanged)."""
    w.open("m1", "beauty.skincare")
    w.product("m1", "p1", "beauty.skincare", BEAUTY)
    w.services("m1", BEAUTY)
    w.clock(t(hours=1))
    w.done("m1", "reminder/dismiss")
    w.clock(t(hours=11))
    dropped = [c for c in BEAUTY if c != "doorstep_pickup"]
    view = w.services("m1", dropped).json()["result"]
    assert view["state"] == "ineligible" and view["missing"] == ["doorstep_pickup"]
    w.clock(t(hours=25))
    view = w.badge("m1")
    assert (view["state"], view["activated_by"]) == ("ineligible", None)
    assert view["missing"] == ["doorstep_pickup"]
    assert w.events("badge.activated", merchant="m1") == [] and w.tags("p1") == []
    (skip,) = w.events("badge.auto_activation_skipped", merchant="m1")
    assert same_instant(skip["at"], t(hours=25))
    assert "doorstep_pickup" in skip["payload"]["missing"]
    assert any(r["code"] == "services_missing" and "doorstep_pickup" in r["services"]
               for r in skip["payload"]["reasons"]), skip
    # eligible again later: a new reminder, and no activation without a new dismissal
    w.clock(t(hours=26))
    r = w.services("m1", BEAUTY)
    assert r.json()["result"]["state"] == "eligible" and "badge.reminder_sent" in types(r)
    w.clock(t(hours=80))
    assert w.badge("m1")["state"] == "eligible" and w.tags("p1") == []


def test_eligible_again_before_the_timer_the_first_dismissal_still_decides(server, w):
    """RULES.md §5: "If the merchant dismisses the reminder and has not activated 24 hours
    later, the system checks again and, if still eligible, activates the badge itself." A store
    that dismissed its reminder, became ineligible and eligible again before the 24 hours were
    up, is sent a new reminder; the check 24 hours after the dismissal still comes and, the store
    being eligible then, activates the badge. Dismissing the new reminder keeps that first mark."""
    w.open("m1", "beauty.skincare")
    w.services("m1", BEAUTY)
    w.clock(t(hours=1))
    w.done("m1", "reminder/dismiss")  # the mark: hour 25
    w.clock(t(hours=2))
    assert w.services("m1", BASE).json()["result"]["state"] == "ineligible"
    w.clock(t(hours=3))
    r = w.services("m1", BEAUTY)
    view = r.json()["result"]
    assert view["state"] == "eligible" and "badge.reminder_sent" in types(r)
    assert same_instant(view["reminder"]["sent_at"], t(hours=3))
    assert view["reminder"]["dismissed_at"] is None
    assert same_instant(view["reminder"]["auto_activation_at"], t(hours=25))
    assert len(w["m1"].get("/v1/merchants/m1/notifications").json()["notifications"]) == 2
    w.clock(t(hours=4))
    r = w.done("m1", "reminder/dismiss")
    assert same_instant(r.json()["result"]["reminder"]["auto_activation_at"], t(hours=25))
    w.clock(t(hours=24, minutes=59, seconds=59))
    assert w.badge("m1")["state"] == "eligible"
    # the point-in-time read says what the live one said then
    past = w["m1"].get("/v1/merchants/m1/badge", params={"at": t(hours=3, minutes=30)})
    assert past.status_code == 200, past.text
    assert past.json()["reminder"]["dismissed_at"] is None
    assert same_instant(past.json()["reminder"]["auto_activation_at"], t(hours=25))
    w.clock(t(hours=25))
    view = w.badge("m1")
    assert (view["state"], view["activated_by"]) == ("active", "system")
    (ev,) = w.events("badge.activated", merchant="m1")
    assert same_instant(ev["at"], t(hours=25))
    w.clock(t(hours=60))
    assert w.events("badge.auto_activation_skipped", merchant="m1") == []


def test_ineligible_at_the_mark_then_eligible_again_needs_a_new_dismissal(server, w):
    """The check at the mark finds the store ineligible: skipped, with why. Eligible again
    later, the store gets a new reminder, and only its dismissal starts a new check."""
    w.open("m1", "beauty.skincare")
    w.services("m1", BEAUTY)
    w.clock(t(hours=1))
    w.done("m1", "reminder/dismiss")
    w.clock(t(hours=2))
    w.services("m1", BASE)
    w.clock(t(hours=3))
    w.services("m1", BEAUTY)
    w.clock(t(hours=4))
    w.services("m1", BASE)  # ineligible again, the second reminder still waiting
    w.clock(t(hours=25))
    assert w.badge("m1")["state"] == "ineligible"
    (skip,) = w.events("badge.auto_activation_skipped", merchant="m1")
    assert same_instant(skip["at"], t(hours=25))
    w.clock(t(hours=26))
    view = w.services("m1", BEAUTY).json()["result"]
    assert view["state"] == "eligible" and view["reminder"]["auto_activation_at"] is None
    w.clock(t(hours=60))
    assert w.badge("m1")["state"] == "eligible"
    w.done("m1", "reminder/dismiss")
    w.clock(t(hours=84))
    assert (w.badge("m1")["state"], w.badge("m1")["activated_by"]) == ("active", "system")


def test_the_timer_is_the_policys_auto_activation_hours(server, w):
    """Issue 14: badge rules are policy (badge.auto_activation_hours, default 24): under a
    policy of 2 hours the system activates 2 hours after the dismissal, not before."""
    doc = default_policy()
    doc["version"] = "badge-2h"
    doc["badge"]["auto_activation_hours"] = 2
    r = server.admin().post("/v1/admin/policy", doc)
    assert r.status_code == 200 and r.json()["result"]["activated"] is True, r.text
    w.open("m1", "apparel.women")
    w.services("m1", BASE)
    w.clock(t(hours=1))
    r = w.done("m1", "reminder/dismiss")
    assert same_instant(r.json()["result"]["reminder"]["auto_activation_at"], t(hours=3))
    w.clock(t(hours=2, minutes=59))
    assert w.badge("m1")["state"] == "eligible"
    w.clock(t(hours=3))
    view = w.badge("m1")
    assert (view["state"], view["activated_by"]) == ("active", "system")


def test_closing_removes_every_tag_and_no_timer_reactivates_it(server, w):
    """RULES.md §5: the system never re-activates a badge its merchant closed: a reminder
    dismissed before closing, the clock moved past 24 h, services set again: still closed,
    no tag, no badge.activated after the close."""
    w.open("m1", "fresh.fruit")
    for pid in ("p1", "p2"):
        w.product("m1", pid, "fresh.fruit", FRESH)
    w.services("m1", FRESH)
    w.clock(t(hours=1))
    w.done("m1", "reminder/dismiss")
    w.clock(t(hours=2))
    w.done("m1", "activate")
    assert w.tagged_ids("m1") == ["p1", "p2"]
    w.clock(t(hours=3))
    r = w.done("m1", "close")
    assert r.json()["result"]["state"] == "closed"
    assert w.named(r, "product.untagged") == ["p1", "p2"]
    w.clock(t(hours=30))
    w.services("m1", [*FRESH, "price_protection"])
    w.clock(t(hours=60))
    view = w.badge("m1")
    assert view["state"] == "closed" and same_instant(view["since"], t(hours=3))
    assert not any(p["tagged"] for p in view["products"])
    assert w.tags("p1") == w.tags("p2") == [] and w.tagged_ids("m1") == []
    assert len(w.events("badge.activated", merchant="m1")) == 1  # the merchant's own
    for pid in ("p1", "p2"):
        assert w.tag_events(pid) == ["product.tagged", "product.untagged"]


def test_a_badge_closed_before_it_was_ever_active_is_not_activated_by_the_timer(server, w):
    """RULES.md §5: the system never re-activates a badge its merchant closed; the pin: close
    answers 200 from any state but closed, and the dismissal's timer then activates nothing."""
    w.open("m1", "apparel.women")
    w.product("m1", "p1", "apparel.women", BASE)
    w.services("m1", BASE)
    w.done("m1", "reminder/dismiss")
    w.clock(t(hours=1))
    assert w.done("m1", "close").json()["result"]["state"] == "closed"
    w.clock(t(hours=48))
    assert w.badge("m1")["state"] == "closed" and w.tags("p1") == []
    assert w.events("badge.activated", merchant="m1") == []


@pytest.mark.parametrize("end", ["activate", "close", "timer_activates", "timer_skips"])
def test_a_badge_read_at_an_instant_after_its_timer_ended_shows_no_timer(server, w, end):
    """docs/badge.md: activating or closing cancels the timer a dismissal started, and when it
    fires it is spent (the system activates, or records why not): the live reminder has no
    auto_activation_at any more. docs/api.md Point in time: ?at= answers the badge as it was
    then, so at an instant after the timer ended the reminder is the live one, and between the
    dismissal and that end it still shows the due time."""
    w.open("m1", "apparel.women")
    w.services("m1", BASE)
    w.clock(t(hours=1))
    w.done("m1", "reminder/dismiss")
    w.clock(t(hours=2))
    if end in ("activate", "close"):
        w.done("m1", end)
    elif end == "timer_skips":
        w.services("m1", BASE[:4])
    w.clock(t(hours=26))  # past the timer's due time (hour 25)
    live = w.badge("m1")
    expected = {"activate": ("active", "merchant"), "close": ("closed", None),
                "timer_activates": ("active", "system"), "timer_skips": ("ineligible", None)}
    assert (live["state"], live["activated_by"]) == expected[end]
    assert live["reminder"]["auto_activation_at"] is None
    assert same_instant(live["reminder"]["dismissed_at"], t(hours=1))
    r = w["m1"].get("/v1/merchants/m1/badge", params={"at": t(hours=25, minutes=30)})
    assert r.status_code == 200, r.text
    assert r.json()["reminder"] == live["reminder"]
    r = w["m1"].get("/v1/merchants/m1/badge", params={"at": t(hours=1, minutes=30)})
    assert r.status_code == 200, r.text
    assert same_instant(r.json()["reminder"]["auto_activation_at"], t(hours=25))


# --- tags follow every change, in the request that makes it -----------------------------------

def test_a_fresh_product_without_bad_item_compensation_is_never_tagged(server, w):
    """RULES.md §5: each product is tagged by its own services: in a fresh-food (fresh.*)
    store whose badge is active, a product lacking 坏单包赔 (bad_item_compensation) is never
    tagged, through activation, suspension and resumption, while one with it is."""
    w.open("m1", "fresh.fruit")
    w.product("m1", "with", "fresh.fruit", FRESH)
    w.product("m1", "without", "fresh.fruit", BASE)
    w.services("m1", FRESH)
    view = w.done("m1", "activate").json()["result"]
    assert by_product(view)["with"]["tagged"] is True
    assert by_product(view)["without"]["tagged"] is False
    assert missing_of(view, "without") == [BAD_ITEM]
    assert w.tags("with") == [TAG] and w.tags("without") == []
    # an edit of something else, a suspension and a resumption: still never tagged
    assert w["m1"].patch("/v1/products/without", {"stock": 3}).json()["result"]["tags"] == []
    w.services("m1", BASE)
    w.services("m1", FRESH)
    assert w.badge("m1")["state"] == "active"
    assert w.tags("with") == [TAG] and w.tags("without") == []
    assert w.tagged_ids("m1") == ["with"]
    assert w.tag_events("without") == []
    assert w.tag_events("with") == ["product.tagged", "product.untagged", "product.tagged"]


def test_a_beauty_product_losing_allergy_return_loses_its_tag_in_the_same_request(server, w):
    """RULES.md §5: tags follow changes in real time: a beauty product that drops 过敏包退
    (allergy_return) from its after_sales loses its tag in the same request (product.untagged
    among the PATCH's events, tags [] right after); adding it back tags it again."""
    w.open("m1", "beauty.skincare")
    w.product("m1", "p1", "beauty.skincare", BEAUTY)
    w.services("m1", BEAUTY)
    w.done("m1", "activate")
    assert w.tags("p1") == [TAG]
    r = w["m1"].patch("/v1/products/p1", {"after_sales": list(BASE)})
    assert r.status_code == 200, r.text
    assert "product.untagged" in types(r) and r.json()["result"]["tags"] == []
    assert w.named(r, "product.untagged") == ["p1"]
    assert w.tags("p1") == [] and w["m1"].get("/v1/products/p1").json()["tags"] == []
    view = w.badge("m1")
    assert view["state"] == "active"  # the store still offers it: only the product lost it
    assert by_product(view)["p1"]["tagged"] is False and missing_of(view, "p1") == [ALLERGY]
    r = w["m1"].patch("/v1/products/p1", {"after_sales": BEAUTY})
    assert r.status_code == 200, r.text
    assert "product.tagged" in types(r) and r.json()["result"]["tags"] == [TAG]
    assert w.tags("p1") == [TAG]
    # removing after_sales altogether (null) removes the tag too
    r = w["m1"].patch("/v1/products/p1", {"after_sales": None})
    assert r.status_code == 200, r.text
    assert "product.untagged" in types(r) and w.tags("p1") == []


def test_a_ban_removes_the_tag_and_an_unban_restores_it(server, w):
    """Issue 14: a banned product is not tagged: the ban removes the tag in the same request,
    the unban (the product delisted, still covering its services) restores it."""
    w.open("m1", "beauty.skincare")
    w.product("m1", "p1", "beauty.skincare", BEAUTY)
    assert w["m1"].post("/v1/products/p1/list").status_code == 200
    w.services("m1", BEAUTY)
    w.done("m1", "activate")
    r = w.op.post("/v1/products/p1/ban", {"reason": "抽检不合格"})
    assert r.status_code == 200, r.text
    assert "product.untagged" in types(r) and w.named(r, "product.untagged") == ["p1"]
    assert w.tags("p1") == [] and w.tagged_ids("m1") == []
    assert by_product(w.badge("m1"))["p1"]["tagged"] is False
    r = w.op.post("/v1/products/p1/unban")
    assert r.status_code == 200, r.text
    assert r.json()["result"]["status"] == "delisted"
    assert "product.tagged" in types(r) and w.named(r, "product.tagged") == ["p1"]
    assert w.tags("p1") == [TAG] and w.tagged_ids("m1") == ["p1"]
    assert w.tag_events("p1") == ["product.tagged", "product.untagged", "product.tagged"]


def test_a_category_change_to_one_whose_extras_the_product_lacks_untags_it(server, w):
    """Issue 14: a product whose category changes to one with extras its after_sales lack
    loses its tag in the same request; changed back, it is tagged again."""
    w.open("m1", "beauty.skincare", "fresh.fruit", "beauty.makeup")
    w.product("m1", "p1", "beauty.skincare", BEAUTY)
    w.services("m1", BOTH)
    w.done("m1", "activate")
    assert w.tags("p1") == [TAG]
    r = w["m1"].patch("/v1/products/p1", {"category": "fresh.fruit",
                                          "title": TITLES["fresh"]})
    assert r.status_code == 200, r.text
    assert "product.untagged" in types(r) and r.json()["result"]["tags"] == []
    assert missing_of(w.badge("m1"), "p1") == [BAD_ITEM]
    r = w["m1"].patch("/v1/products/p1", {"category": "beauty.makeup",
                                          "title": TITLES["beauty"]})
    assert r.status_code == 200, r.text
    assert "product.tagged" in types(r) and w.tags("p1") == [TAG]


def test_an_active_store_that_drops_shipping_insurance_is_suspended_and_resumes(server, w):
    """RULES.md §5: a store that stops meeting the rule while active is suspended with the
    reason and every tag is removed; it is active again by itself once the rule holds, and
    its products are re-tagged: here 运费险 (return_shipping_insurance) dropped and added back."""
    w.open("m1", "beauty.skincare")
    for pid in ("p1", "p2"):
        w.product("m1", pid, "beauty.skincare", BEAUTY)
    w.product("m1", "p3", "beauty.skincare", BASE)
    w.services("m1", BEAUTY)
    w.done("m1", "activate")
    assert w.tagged_ids("m1") == ["p1", "p2"]
    w.clock(t(hours=1))
    r = w.services("m1", [c for c in BEAUTY if c != "return_shipping_insurance"])
    view = r.json()["result"]
    assert view["state"] == "suspended" and same_instant(view["since"], t(hours=1))
    assert view["reasons"] == [{"code": "services_missing",
                                "services": ["return_shipping_insurance"]}]
    assert view["missing"] == ["return_shipping_insurance"]
    assert w.named(r, "product.untagged") == ["p1", "p2"]
    assert not any(p["tagged"] for p in view["products"])
    assert w.tags("p1") == w.tags("p2") == [] and w.tagged_ids("m1") == []
    w.clock(t(hours=2))
    r = w.services("m1", BEAUTY)
    view = r.json()["result"]
    assert (view["state"], view["reasons"], view["missing"]) == ("active", [], [])
    assert same_instant(view["since"], t(hours=2))
    assert w.named(r, "product.tagged") == ["p1", "p2"]
    assert w.tags("p1") == w.tags("p2") == [TAG] and w.tags("p3") == []
    assert w.transitions("m1")[-2:] == [("active", "suspended"), ("suspended", "active")]


def test_a_category_added_or_a_restriction_suspends_an_active_badge(server, w):
    """Issue 14: while active, a category added whose extras the store lacks, or the store
    restricted, suspends the badge with the reasons and removes every tag; when the rule holds
    again (the extra offered, the store reinstated) it is active again by itself."""
    w.open("m1", "beauty.skincare")
    w.product("m1", "p1", "beauty.skincare", BOTH)
    w.services("m1", BEAUTY)
    w.done("m1", "activate")
    r = w.op.patch("/v1/merchants/m1", {"categories": ["beauty.skincare", "fresh.fruit"]})
    assert r.status_code == 200, r.text
    assert "product.untagged" in types(r) and "badge.state_changed" in types(r)
    view = w.badge("m1")
    assert view["state"] == "suspended" and view["missing"] == [BAD_ITEM]
    assert view["reasons"] == [{"code": "services_missing", "services": [BAD_ITEM]}]
    assert w.tags("p1") == []
    r = w.services("m1", BOTH)
    assert r.json()["result"]["state"] == "active" and w.tags("p1") == [TAG]
    # restricted: suspended with store_restricted, then reinstated: active again
    r = w.op.post("/v1/merchants/m1/restrict", {"reason": "抽检"})
    assert r.status_code == 200, r.text
    assert "product.untagged" in types(r)
    view = w.badge("m1")
    assert view["state"] == "suspended" and view["reasons"] == [{"code": "store_restricted"}]
    assert w.tags("p1") == [] and w.tagged_ids("m1") == []
    r = w.op.post("/v1/merchants/m1/reinstate")
    assert r.status_code == 200, r.text
    assert "product.tagged" in types(r)
    view = w.badge("m1")
    assert (view["state"], view["reasons"]) == ("active", []) and w.tags("p1") == [TAG]
    assert w.transitions("m1")[-4:] == [("active", "suspended"), ("suspended", "active"),
                                        ("active", "suspended"), ("suspended", "active")]


# --- access ----------------------------------------------------------------------------------

def test_another_stores_badge_is_404(server, w):
    """The pin / docs/api.md: a store reads and acts on its own badge only; another store's
    answers 404 not_found, exactly as a store that does not exist, and nothing changes."""
    w.open("m1", "apparel.women")
    w.open("m2", "apparel.women")
    w.services("m1", BASE)
    m2 = w["m2"]
    before = server.db_counts()
    calls = [("GET", "/v1/merchants/m1/badge", None),
             ("GET", "/v1/merchants/m1/notifications", None),
             ("PUT", "/v1/merchants/m1/services", {"services": list(BASE)}),
             ("POST", "/v1/merchants/m1/badge/activate", None),
             ("POST", "/v1/merchants/m1/badge/close", None),
             ("POST", "/v1/merchants/m1/badge/reminder/dismiss", None)]
    for method, path, body in calls:
        r = m2.s.request(method, m2.base + path, json=body, headers=m2.headers(), timeout=60)
        assert r.status_code == 404 and error_code(r) == "not_found", (method, path, r.text)
    for who in (w.op, m2):
        r = who.get("/v1/merchants/nosuch/badge")
        assert r.status_code == 404 and error_code(r) == "not_found", r.text
    assert server.db_counts()["events"] == before["events"]
    r = m2.get("/v1/merchants/m1/products", params={"tag": TAG})
    assert r.status_code == 404, r.text
    assert w.badge("m1")["state"] == "eligible" and w.badge("m2")["state"] == "ineligible"


# --- the audit log ---------------------------------------------------------------------------

def test_every_badge_state_change_and_tag_change_is_an_event(server, w):
    """RULES.md §5: every change of badge state and of product tags is an event in the audit
    log (the pin: badge.state_changed {merchant, from, to, reasons, activated_by} for every
    state change, product.tagged / product.untagged {product, tag, reason}), each among the
    events of the request that made it."""
    w.open("m1", "beauty.skincare")
    w.product("m1", "p1", "beauty.skincare", BEAUTY)
    w.product("m1", "p2", "beauty.skincare", BEAUTY)
    steps = [
        (lambda: w.services("m1", BASE), None, [], []),
        (lambda: w.services("m1", BEAUTY), ("ineligible", "eligible"), [], []),
        (lambda: w.done("m1", "activate"), ("eligible", "active"), ["p1", "p2"], []),
        (lambda: w["m1"].patch("/v1/products/p2", {"after_sales": list(BASE)}), None, [],
         ["p2"]),
        (lambda: w.services("m1", BASE), ("active", "suspended"), [], ["p1"]),
        (lambda: w.services("m1", BEAUTY), ("suspended", "active"), ["p1"], []),
        (lambda: w.done("m1", "close"), ("active", "closed"), [], ["p1"]),
        (lambda: w.done("m1", "activate"), ("closed", "active"), ["p1"], []),
    ]
    expected = []
    for i, (step, change, tagged, untagged) in enumerate(steps):
        w.clock(t(hours=i + 1))
        r = step()
        assert r.status_code == 200, (i, r.text)
        assert ("badge.state_changed" in types(r)) == (change is not None), (i, types(r))
        assert w.named(r, "product.tagged") == tagged, i
        assert w.named(r, "product.untagged") == untagged, i
        if change:
            expected.append(change)
    assert w.transitions("m1") == expected
    for ev in w.events("badge.state_changed", merchant="m1"):
        p = ev["payload"]
        assert p["merchant"] == "m1" and ev["merchant"] == "m1"
        assert isinstance(p["reasons"], list) and "activated_by" in p
        if p["to"] == "suspended":
            assert p["reasons"] == [{"code": "services_missing", "services": [ALLERGY]}]
    assert w.tag_events("p1") == ["product.tagged", "product.untagged", "product.tagged",
                                  "product.untagged", "product.tagged"]
    assert w.tag_events("p2") == ["product.tagged", "product.untagged"]
    # the store's own feed carries its badge events too
    mine = w["m1"].get("/v1/events", params={"type": "badge.state_changed", "limit": 1000})
    assert mine.status_code == 200, mine.text
    assert len(mine.json()["events"]) == len(expected)


# --- the demo data set -----------------------------------------------------------------------

def demo_badges(base, key):
    get = lambda path, **params: requests.get(  # noqa: E731
        base + path, params=params, timeout=10, headers={"Authorization": "Bearer " + key})
    r = get("/v1/merchants", limit=1000)
    assert r.status_code == 200, r.text
    badges = {}
    for m in r.json()["merchants"]:
        r = get(f"/v1/merchants/{m['id']}/badge")
        assert r.status_code == 200, r.text
        badges[m["id"]] = r.json()
    return badges


def test_the_demo_shows_an_active_store_and_an_eligible_store_with_a_pending_reminder():
    """Issue 14 "Docs": demo data with an active store (some products tagged, one lacking a
    service) and an eligible store with a pending reminder; a second start adds nothing."""
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "sw.db")
        seen = []
        for _ in range(2):  # the second start replays the demo data: nothing new
            p, _, keys, base = serve_demo(db)
            try:
                badges = demo_badges(base, keys["operator"])
                seen.append(sorted((mid, b["state"]) for mid, b in badges.items()))
                active = [b for b in badges.values() if b["state"] == "active"
                          and any(x["tagged"] for x in b["products"])
                          and any(not x["tagged"] and x["missing"] for x in b["products"])]
                assert active, seen[-1]
                pending = [b for b in badges.values() if b["state"] == "eligible"
                           and b["reminder"] and b["reminder"]["dismissed_at"] is None]
                assert pending, seen[-1]
            finally:
                p.send_signal(signal.SIGTERM)
                assert p.wait(timeout=60) == 0
        assert seen[0] == seen[1]


def untag_reasons(w, pid):
    return [e["payload"]["reason"] for e in w.events("product.untagged")
            if e["payload"]["product"] == pid]


def test_an_untag_says_what_changed_in_the_tag_events_own_words(server, w):
    """Each tag removed is a product.untagged event with the reason (issue 14), in the words
    the API lists for ProductTagChange.reason: a policy that asks more of the category suspends
    the badge (policy_changed); a restricted store loses its tags (store_status_changed)."""
    w.open("m1", "apparel.women")
    w.product("m1", "p1", "apparel.women", list(BASE))
    w.services("m1", BASE)
    w.done("m1", "activate")
    doc = default_policy()
    doc["version"] = "apparel-needs-more"
    doc["badge"]["category_extras"]["apparel.*"] = ["price_protection"]
    r = server.admin().post("/v1/admin/policy", doc)
    assert r.status_code == 200, r.text
    assert w.badge("m1")["state"] == "suspended"
    assert untag_reasons(w, "p1") == ["policy_changed"]
    w.open("m2", "apparel.women")
    w.product("m2", "p2", "apparel.women", [*BASE, "price_protection"])
    w.services("m2", [*BASE, "price_protection"])
    w.done("m2", "activate")
    assert w.tags("p2") == [TAG]
    r = w.op.post("/v1/merchants/m2/restrict", {"reason": "audit"})
    assert r.status_code == 200, r.text
    assert w.badge("m2")["state"] == "suspended"
    assert untag_reasons(w, "p2") == ["store_status_changed"]


def test_a_badge_that_never_changed_answers_its_version_as_etag(server, w):
    """docs/api.md: a single-object read answers its version as its ETag, and badge writes take
    If-Match; a store's badge that never changed is version 0, and says so."""
    w.open("m1", "apparel.women")
    r = w["m1"].get("/v1/merchants/m1/badge")
    assert r.status_code == 200 and r.json()["version"] == 0, r.text
    assert r.headers.get("ETag") == '"0"', r.headers
    r = w["m1"].get("/v1/merchants/m1/badge", headers={"If-None-Match": '"0"'})
    assert r.status_code == 304, r.text
