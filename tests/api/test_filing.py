"""Designated-streamer filing (快手特定达人报备) over HTTP with the manual clock (issue 13,
RULES.md §4 and its "Working day" paragraph).

Written from the issue, the rules and the pinned interface (FILING.md), not from the
implementation: filing applies to designated streamers only; a record per (product, designated
streamer) goes pending -> reviewing (submission, an empty document list allowed when nothing is
required) -> approved / rejected (operator), reviewing -> pending on withdrawal; it keeps every
reason it entered review (self_built, pk, distribution, product_edit); a live session accepts a
product that needs filing only if its record is approved and its last submission was made by the
end (Asia/Shanghai) of the lead_working_days-th (2) working day before the session's local date,
on the CN calendar (make-up days worked, holidays not); only the PK's products need filing for a
designated PK partner; 0元购 needs an operator's pre-approval before it goes in the cart.

The manual clock starts at 2026-01-05T01:00:00Z (conftest START, 09:00 in Shanghai) and only
moves forward. Stores: m1 apparel.women and m2 home.kitchen (no document required by default),
m3 beauty.skincare (the default policy requires cosmetics_filing_receipt for beauty.*).
Streamers: s1 designated, s2 ordinary."""
import os
import signal
import tempfile
from datetime import datetime, timedelta, timezone

import pytest
import requests

from conftest import (COMPLETE, check_policy, default_policy, error_code, open_store,
                      serve_demo)

CST = timezone(timedelta(hours=8))
STORES = {"m1": "apparel.women", "m2": "home.kitchen", "m3": "beauty.skincare"}
NICK = {"s1": "小杨哥", "s2": "路人甲", "s3": "自营达人", "s4": "后来的达人", "s5": "第五位达人"}
# the 2nd working day before Tue 2026-02-24 is Fri 2026-02-13 (Feb 15-23 off, Sat Feb 14 worked)
FEB13_END = "2026-02-13T15:59:59Z"
COSMETICS_DOC = "cosmetics_filing_receipt"


def local(text):
    """'2026-02-13 23:59:59' in Asia/Shanghai as an RFC 3339 UTC instant."""
    at = datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST)
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def named(streamer, sid):
    """The streamer as a record, session or distribution names it: its id and nickname."""
    return (streamer["id"], streamer["nickname"]) == (sid, NICK[sid])


def rows_by_product(session):
    return {p["product"]: p for p in session["products"]}


def history_actions(record):
    return [h["action"] for h in record["history"]]


class World:
    """One server, the stores of STORES, the streamers s1 (designated) and s2 (ordinary), and
    clients by name: "op", a store id, or a streamer id (a streamer:<id> key, made on first
    use)."""

    def __init__(self, server, operator):
        self.server = server
        self.apis = {"op": operator}
        for mid, category in STORES.items():
            open_store(operator, mid, category)
            self.apis[mid] = server.client(f"merchant:{mid}")
        self.streamer("s1", designated=True)
        self.streamer("s2", designated=False)

    def c(self, who):
        if who not in self.apis:
            assert who.startswith("s"), who
            self.apis[who] = self.server.client(f"streamer:{who}")
        return self.apis[who]

    def restart(self):
        """Stops and starts the server on the same database; the clients keep their keys."""
        self.server.stop()
        self.server.start()
        self.apis = {who: self.server.api(api.key) for who, api in self.apis.items()}

    def events_count(self):
        return self.server.db_counts()["events"]

    def events(self, type_):
        r = self.server.admin().get("/v1/events", params={"type": type_, "limit": 1000})
        assert r.status_code == 200, r.text
        return r.json()["events"]

    def clock(self, now):
        r = self.c("op").post("/v1/admin/clock", {"now": now})
        assert r.status_code == 200, r.text

    # --- streamers -----------------------------------------------------------------------
    def put_streamer(self, sid, body, who="op", idem=None, headers=None):
        api = self.c(who)
        return api.s.put(api.base + f"/v1/streamers/{sid}", json=body,
                         headers=api.headers(headers, idem), timeout=60)

    def streamer(self, sid, designated, merchant=None):
        body = {"nickname": NICK[sid], "designated": designated}
        if merchant:
            body["merchant"] = merchant
        r = self.put_streamer(sid, body)
        assert r.status_code in (200, 201), r.text
        return r.json()["result"]

    # --- products ------------------------------------------------------------------------
    def product(self, mid, pid, price_fen=6900, **extra):
        body = {"id": pid, "title": f"纯棉短袖 {pid}", "category": STORES[mid],
                "price_fen": price_fen, "stock": 10, **COMPLETE, **extra}
        r = self.c(mid).post("/v1/products", body)
        assert r.status_code == 201, r.text
        r = self.c(mid).post(f"/v1/products/{pid}/list")
        assert r.status_code == 200, r.text
        return r

    def products(self, mid, *pids, **kw):
        for pid in pids:
            self.product(mid, pid, **kw)

    # --- filing records ------------------------------------------------------------------
    def pk(self, mid, streamer, products, idem=None, **extra):
        return self.c(mid).post("/v1/filings/pk",
                                {"streamer": streamer, "products": list(products), **extra},
                                idem=idem)

    def pk_ok(self, mid, streamer, products):
        r = self.pk(mid, streamer, products)
        assert r.status_code == 201, r.text
        return {f["product"]: f for f in r.json()["result"]["filings"]}

    def filings(self, who="op", **params):
        r = self.c(who).get("/v1/filings", params=params)
        assert r.status_code == 200, r.text
        return r.json()["filings"]

    def record(self, product, streamer, who="op"):
        found = self.filings(who, product=product, streamer=streamer)
        assert len(found) == 1, found
        return found[0]

    def get(self, fid, who="op"):
        r = self.c(who).get(f"/v1/filings/{fid}")
        assert r.status_code == 200, r.text
        return r.json()

    def act(self, fid, action, who, body=None, **kw):
        return self.c(who).post(f"/v1/filings/{fid}/{action}", body, **kw)

    def submit(self, fid, who, documents=()):
        r = self.act(fid, "submit", who, {"documents": list(documents)})
        assert r.status_code == 200, r.text
        assert r.json()["result"]["status"] == "reviewing", r.text
        return r.json()["result"]

    def decide(self, fid, decision="approve", note=None):
        body = {"decision": decision}
        if note is not None:
            body["note"] = note
        r = self.act(fid, "decision", "op", body)
        assert r.status_code == 200, r.text
        return r.json()["result"]

    def file_and_approve(self, mid, streamer, pids, documents=()):
        """Records (by a PK declaration), submitted now and approved: filed in time for any
        session at least two working days away."""
        recs = self.pk_ok(mid, streamer, pids)
        for pid in pids:
            self.submit(recs[pid]["id"], mid, documents)
            assert self.decide(recs[pid]["id"])["status"] == "approved"
        return recs

    # --- live sessions -------------------------------------------------------------------
    def session(self, mid, streamer, start, products, pk=None):
        body = {"streamer": streamer, "start": start, "products": list(products)}
        if pk is not None:
            body["pk"] = pk
        return self.c(mid).post("/v1/live-sessions", body)

    def session_ok(self, mid, streamer, start, products, pk=None):
        r = self.session(mid, streamer, start, products, pk)
        assert r.status_code == 201, r.text
        return r.json()["result"]

    def cart(self, sid, product, who="m1"):
        return self.c(who).post(f"/v1/live-sessions/{sid}/cart", {"product": product})


@pytest.fixture
def w(server, operator):
    return World(server, operator)


# --- streamers -------------------------------------------------------------------------------

def test_an_operator_puts_a_streamer_created_then_updated_and_a_store_may_not(server, w):
    """Issue "Streamers": PUT /v1/streamers/{id} (operator) creates (201) then changes (200) a
    streamer, each change an event; GET answers it; a store key may not designate (403)."""
    r = w.put_streamer("s7", {"nickname": "新达人", "designated": False})
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == "/v1/streamers/s7"  # docs/api.md: every 201 has one
    s = r.json()["result"]
    assert (s["id"], s["nickname"], s["designated"], s["source"]) == \
        ("s7", "新达人", False, "api")
    assert s["merchant"] is None
    assert "streamer.created" in [e["type"] for e in r.json()["events"]]
    r = w.put_streamer("s7", {"nickname": "新达人", "designated": True, "merchant": "m2"})
    assert r.status_code == 200, r.text
    s2 = r.json()["result"]
    assert (s2["designated"], s2["merchant"]) == (True, "m2")
    assert s2["version"] > s["version"]
    assert "streamer.updated" in [e["type"] for e in r.json()["events"]]
    for who in ("op", "m1"):
        got = w.c(who).get("/v1/streamers/s7")
        assert got.status_code == 200, (who, got.text)
        assert (got.json()["designated"], got.json()["merchant"]) == (True, "m2")
    assert w.c("s7").get("/v1/streamers/s7").json()["nickname"] == "新达人"
    # a store cannot designate, itself or anyone
    before = w.events_count()
    for sid in ("s7", "s8"):
        r = w.put_streamer(sid, {"nickname": "冒充", "designated": True, "merchant": "m1"},
                           who="m1")
        assert r.status_code == 403 and error_code(r) == "forbidden", r.text
    assert w.events_count() == before
    assert w.c("op").get("/v1/streamers/s7").json()["nickname"] == "新达人"
    r = w.c("op").get("/v1/streamers/s8")
    assert r.status_code == 404 and error_code(r) == "not_found", r.text


def test_a_conditional_put_of_a_streamer_that_does_not_exist_creates_nothing(server, w):
    """docs/api.md, If-Match: the write applies only if the object is still at that version;
    `*` asks only that it exists. A streamer that does not exist is at no version."""
    before = w.events_count()
    for tag in ('*', '"5"'):
        r = w.put_streamer("s-new", {"nickname": "新人", "designated": False},
                           headers={"If-Match": tag})
        assert r.status_code == 412 and error_code(r) == "version_mismatch", (tag, r.text)
    assert w.events_count() == before
    assert w.c("op").get("/v1/streamers/s-new").status_code == 404
    assert w.put_streamer("s-new", {"nickname": "新人", "designated": False}).status_code == 201
    r = w.put_streamer("s-new", {"nickname": "新人2", "designated": False},
                       headers={"If-Match": '*'})
    assert r.status_code == 200, r.text


def test_bad_streamer_bodies_change_nothing(server, w):
    """House rule: bad input gets a clear error naming the field and changes nothing; a
    streamer's merchant must be an existing store (422 unknown_reference)."""
    good = {"nickname": "某达人", "designated": True}
    cases = [
        ({**good, "colour": "red"}, 400, "unknown_field", "colour"),
        ({"designated": True}, 400, "missing_field", "nickname"),
        ({"nickname": "某达人"}, 400, "missing_field", "designated"),
        ({**good, "designated": "yes"}, 400, "wrong_type", "designated"),
        ({**good, "nickname": 7}, 400, "wrong_type", "nickname"),
        ({**good, "nickname": ""}, 400, "invalid_value", "nickname"),
        ({**good, "nickname": "长" * 65}, 400, "invalid_value", "nickname"),
        ({**good, "merchant": "nosuch"}, 422, "unknown_reference", "merchant"),
    ]
    before = w.events_count()
    for body, status, code, field in cases:
        r = w.put_streamer("s9", body)
        assert (r.status_code, error_code(r)) == (status, code), (body, r.text)
        if status == 400:
            assert r.json()["error"]["details"].get("field") == field, (body, r.text)
    assert w.events_count() == before
    assert w.c("op").get("/v1/streamers/s9").status_code == 404


# --- the deadline: 2 working days on the CN calendar ------------------------------------------

def test_spring_festival_make_up_saturday_is_too_late_and_friday_is_in_time(server, w):
    """RULES §4 + "Working day": a session on Tue 2026-02-24, the first working day after the
    Spring Festival (Feb 15-23 off, Sat Feb 14 worked). The 1st working day before it is the
    make-up Saturday Feb 14, the 2nd Friday Feb 13: a last submission on Friday is in time, one
    on the make-up Saturday is filed_too_late, with the deadline 2026-02-13T15:59:59Z."""
    w.products("m1", "pfri", "psat")
    recs = w.pk_ok("m1", "s1", ["pfri", "psat"])
    w.clock(local("2026-02-13 10:00:00"))
    w.submit(recs["pfri"]["id"], "m1")
    w.clock(local("2026-02-14 10:00:00"))
    w.submit(recs["psat"]["id"], "m1")
    w.clock(local("2026-02-14 11:00:00"))
    for pid in ("pfri", "psat"):
        assert w.decide(recs[pid]["id"])["status"] == "approved"
    w.clock(local("2026-02-24 08:00:00"))
    r = w.session("m1", "s1", "2026-02-24T20:00:00+08:00", ["pfri", "psat"])
    assert r.status_code == 201, r.text
    s = r.json()["result"]
    assert r.headers["Location"] == f"/v1/live-sessions/{s['id']}"
    assert s["local_date"] == "2026-02-24" and s["merchant"] == "m1"
    assert named(s["streamer"], "s1")
    rows = rows_by_product(s)
    assert set(rows) == {"pfri", "psat"}
    assert (rows["pfri"]["accepted"], rows["pfri"]["reason"]) == (True, None)
    assert (rows["psat"]["accepted"], rows["psat"]["reason"]) == (False, "filed_too_late")
    assert rows["psat"]["deadline"] == FEB13_END
    assert rows["psat"]["streamer"] == "s1"
    assert s["accepted"] == ["pfri"]
    # the store reads the same session back
    got = w.c("m1").get(f"/v1/live-sessions/{s['id']}")
    assert got.status_code == 200, got.text
    assert rows_by_product(got.json())["psat"]["reason"] == "filed_too_late"


def test_the_deadline_day_ends_at_midnight_asia_shanghai(server, w):
    """RULES §4: the last submission must be made by the end (Asia/Shanghai) of the 2nd working
    day before the session: 23:59:59 local on Fri 2026-02-13 is in time, 00:00:00 local on Sat
    2026-02-14 (2026-02-13T16:00:00Z) is too late, for a session on 2026-02-24."""
    w.products("m1", "plast", "pfirst")
    recs = w.pk_ok("m1", "s1", ["plast", "pfirst"])
    w.clock("2026-02-13T15:59:59Z")
    w.submit(recs["plast"]["id"], "m1")
    w.clock("2026-02-13T16:00:00Z")
    w.submit(recs["pfirst"]["id"], "m1")
    for pid in ("plast", "pfirst"):
        w.decide(recs[pid]["id"])
    rows = rows_by_product(w.session_ok("m1", "s1", "2026-02-24T10:00:00+08:00",
                                        ["plast", "pfirst"]))
    assert (rows["plast"]["accepted"], rows["plast"]["reason"]) == (True, None)
    assert (rows["pfirst"]["accepted"], rows["pfirst"]["reason"]) == (False, "filed_too_late")
    assert rows["pfirst"]["deadline"] == FEB13_END


def test_the_last_submission_counts_not_the_first(server, w):
    """RULES §4: "the last submission must be made by" the deadline: a record submitted on
    Friday, withdrawn, and submitted again on the make-up Saturday is filed_too_late."""
    w.product("m1", "pagain")
    fid = w.pk_ok("m1", "s1", ["pagain"])["pagain"]["id"]
    w.clock(local("2026-02-13 10:00:00"))
    w.submit(fid, "m1")
    r = w.act(fid, "withdraw", "m1", {})
    assert r.status_code == 200 and r.json()["result"]["status"] == "pending", r.text
    w.clock(local("2026-02-14 09:00:00"))
    w.submit(fid, "m1")
    assert w.decide(fid)["status"] == "approved"
    (row,) = w.session_ok("m1", "s1", "2026-02-24T10:00:00+08:00", ["pagain"])["products"]
    assert (row["accepted"], row["reason"], row["deadline"]) == \
        (False, "filed_too_late", FEB13_END)


@pytest.mark.parametrize("start,local_date,deadline", [
    # first working day after the Spring Festival: Sat Feb 14 (make-up) 1st, Fri Feb 13 2nd
    ("2026-02-24T10:00:00+08:00", "2026-02-24", "2026-02-13T15:59:59Z"),
    # the local date is Shanghai's: 16:30Z on Feb 23 is 00:30 on Feb 24
    ("2026-02-23T16:30:00Z", "2026-02-24", "2026-02-13T15:59:59Z"),
    # 16:00Z on Feb 24 is already Feb 25: Tue Feb 24 1st, Sat Feb 14 2nd
    ("2026-02-24T16:00:00Z", "2026-02-25", "2026-02-14T15:59:59Z"),
    ("2026-02-26T10:00:00+08:00", "2026-02-26", "2026-02-24T15:59:59Z"),
    # Mon Mar 2: Sun Mar 1 off, Sat Feb 28 (make-up) 1st, Fri Feb 27 2nd
    ("2026-03-02T10:00:00+08:00", "2026-03-02", "2026-02-27T15:59:59Z"),
    # a session on a holiday: Feb 21 -> Feb 14, Feb 13
    ("2026-02-21T10:00:00+08:00", "2026-02-21", "2026-02-13T15:59:59Z"),
    # Tue Jan 6: Mon Jan 5 1st, Sun Jan 4 (make-up) 2nd
    ("2026-01-06T10:00:00+08:00", "2026-01-06", "2026-01-04T15:59:59Z"),
    # Mon Jan 5: Sun Jan 4 (make-up) 1st, Jan 1-3 off, Wed 2025-12-31 2nd (the 2025 calendar)
    ("2026-01-05T20:00:00+08:00", "2026-01-05", "2025-12-31T15:59:59Z"),
    # Wed May 6: May 1-5 off, Thu Apr 30 1st, Wed Apr 29 2nd
    ("2026-05-06T10:00:00+08:00", "2026-05-06", "2026-04-29T15:59:59Z"),
    # Thu Oct 8: Oct 1-7 off, Wed Sep 30 1st, Tue Sep 29 2nd
    ("2026-10-08T10:00:00+08:00", "2026-10-08", "2026-09-29T15:59:59Z"),
    # Mon Oct 12: Sun Oct 11 off, Sat Oct 10 (make-up) 1st, Fri Oct 9 2nd
    ("2026-10-12T10:00:00+08:00", "2026-10-12", "2026-10-09T15:59:59Z"),
])
def test_the_deadline_reported_for_an_unfiled_product(server, w, start, local_date, deadline):
    """Issue "Live sessions": a product of a designated streamer's session with no record is
    refused not_filed with the deadline that applied: 23:59:59 Asia/Shanghai of the 2nd working
    day before the session's local date, make-up days counted, holidays not."""
    w.product("m1", "pnone")
    s = w.session_ok("m1", "s1", start, ["pnone"])
    assert s["local_date"] == local_date
    (row,) = s["products"]
    assert (row["product"], row["accepted"], row["reason"]) == ("pnone", False, "not_filed")
    assert row["deadline"] == deadline and row["streamer"] == "s1"
    assert s["accepted"] == [] and s["cart"] == []


def test_records_not_yet_approved_are_refused_not_approved(server, w):
    """Issue "Live sessions": a product whose record is in review or rejected is refused
    not_approved (a refusal names its reason and deadline); an approved one in time is
    accepted."""
    w.products("m1", "prev", "prej", "pok")
    recs = w.pk_ok("m1", "s1", ["prev", "prej", "pok"])
    for pid in ("prev", "prej", "pok"):
        w.submit(recs[pid]["id"], "m1")
    w.decide(recs["prej"]["id"], "reject", "图片不清晰")
    w.decide(recs["pok"]["id"], "approve")
    s = w.session_ok("m1", "s1", "2026-01-20T19:00:00+08:00", ["prev", "prej", "pok"])
    rows = rows_by_product(s)
    for pid in ("prev", "prej"):
        assert (rows[pid]["accepted"], rows[pid]["reason"]) == (False, "not_approved"), rows
        # Tue Jan 20: Mon Jan 19 1st, Fri Jan 16 2nd
        assert rows[pid]["deadline"] == "2026-01-16T15:59:59Z"
    assert rows["pok"]["accepted"] is True and s["accepted"] == ["pok"]


def test_a_session_in_a_year_the_calendar_lacks_is_refused(server, w):
    """RULES "Working day" + issue: a date outside the calendar's years is 422
    calendar_year_missing (an explicit error, not a guess), and nothing is created."""
    w.product("m1", "pa")
    w.file_and_approve("m1", "s1", ["pa"])
    before = w.events_count()
    r = w.session("m1", "s1", "2031-03-03T10:00:00+08:00", ["pa"])
    assert r.status_code == 422 and error_code(r) == "calendar_year_missing", r.text
    assert "2031" in r.json()["error"]["message"]
    # docs/operator-guide.md: the message names the year and the years held
    assert "(it holds 2025, 2026)" in r.json()["error"]["message"], r.text
    assert w.events_count() == before
    r = w.c("m1").get("/v1/live-sessions")
    assert r.status_code == 200 and r.json()["live_sessions"] == [], r.text


def test_a_walk_back_into_a_missing_year_is_refused(server, w):
    """FILING.md: the walk back counts too: Fri 2025-01-03 -> Thu Jan 2 1st, Jan 1 off, then
    2024-12-31, a year not shipped: 422 calendar_year_missing."""
    w.product("m1", "pa")
    r = w.session("m1", "s1", "2025-01-03T10:00:00+08:00", ["pa"])
    assert r.status_code == 422 and error_code(r) == "calendar_year_missing", r.text
    assert "2024" in r.json()["error"]["message"]


def filing_policy(version, **filing):
    doc = default_policy()
    doc["version"] = version
    doc["filing"] = {"designated_streamers": [], "lead_working_days": 2,
                     "required_documents": {"food.*": ["food_inspection_report"],
                                            "health.*": ["food_inspection_report"],
                                            "beauty.*": [COSMETICS_DOC]},
                     **filing}
    return doc


def activate(server, doc):
    r = server.admin().post("/v1/admin/policy", doc)
    assert r.status_code == 200, r.text
    assert r.json()["result"]["to"] == doc["version"]


@pytest.mark.parametrize("filing", [
    {"lead_working_days": -1},
    {"lead_working_days": "two"},
    {"designated_streamers": [{"id": "s9"}]},
    {"designated_streamers": "s9"},
    {"required_documents": {"beauty.*": "receipt"}},
    {"colour": "red"},
], ids=["negative-lead", "string-lead", "no-nickname", "not-a-list", "docs-not-a-list",
        "unknown-field"])
def test_a_bad_filing_section_is_refused_by_check_and_activation(server, w, filing):
    """House rule (policy): a policy is validated before it is used: a bad filing section is
    reported by `shopwarden policy check` and refused by activation (422 policy_invalid, a
    problem under $.filing), and the policy in force stays."""
    doc = filing_policy("filing-bad", **filing)
    assert check_policy(doc).returncode != 0
    version = w.c("op").get("/v1/policy").json()["version"]
    r = server.admin().post("/v1/admin/policy", doc)
    assert r.status_code == 422 and error_code(r) == "policy_invalid", r.text
    paths = [x["path"] for x in r.json()["error"]["details"]["problems"]]
    assert any(x.startswith("$.filing") for x in paths), paths
    assert w.c("op").get("/v1/policy").json()["version"] == version


def test_lead_working_days_comes_from_policy(server, w):
    """Issue: the lead is policy filing.lead_working_days (default 2): with 3, a session on
    2026-02-24 needs filing by the end of Thu Feb 12 (Feb 14, Feb 13, Feb 12)."""
    w.product("m1", "pa")
    activate(server, filing_policy("filing-lead-3", lead_working_days=3))
    (row,) = w.session_ok("m1", "s1", "2026-02-24T10:00:00+08:00", ["pa"])["products"]
    assert (row["reason"], row["deadline"]) == ("not_filed", "2026-02-12T15:59:59Z")


def test_a_year_added_by_policy_is_used_without_a_rebuild(server, w):
    """Issue "Live sessions": an operator adds a year's calendar through the policy's calendar
    section; a session in that year then gets its deadline from it (Mon 2031-03-03 -> Fri Feb
    28 1st, Thu Feb 27 2nd; no holiday near)."""
    w.product("m1", "pa")
    doc = filing_policy("calendar-2031")
    doc["calendar"] = {"region": "cn", "years": [{
        "region": "cn", "year": 2031, "source": "test data",
        "holidays": [{"name": "Spring Festival", "from": "2031-01-22", "to": "2031-01-28"}],
        "makeup_workdays": ["2031-01-19"]}]}
    activate(server, doc)
    (row,) = w.session_ok("m1", "s1", "2031-03-03T10:00:00+08:00", ["pa"])["products"]
    assert (row["reason"], row["deadline"]) == ("not_filed", "2031-02-27T15:59:59Z")


# --- scenario 2: PK ---------------------------------------------------------------------------

def test_a_pk_declaration_files_the_stores_products_for_the_designated_streamer(server, w):
    """Scenario 2: POST /v1/filings/pk gives each product a pending record for that streamer
    with reason pk and the streamer's id and nickname; declaring again adds nothing twice."""
    w.products("m1", "pa", "pb")
    r = w.pk("m1", "s1", ["pa", "pb"], reason="周五 PK")
    assert r.status_code == 201, r.text
    got = r.json()["result"]["filings"]
    assert sorted(f["product"] for f in got) == ["pa", "pb"]
    for f in got:
        assert (f["merchant"], f["status"], f["reasons"]) == ("m1", "pending", ["pk"])
        assert named(f["streamer"], "s1")
        assert f["id"].startswith("f") and history_actions(f)[0] == "created"
    assert [e["type"] for e in r.json()["events"]].count("filing.created") == 2
    again = w.pk_ok("m1", "s1", ["pa"])
    assert again["pa"]["id"] == w.record("pa", "s1")["id"]
    assert again["pa"]["reasons"] == ["pk"]
    assert len(w.filings("op")) == 2
    # a product named twice in one declaration is filed and answered once
    r = w.pk("m1", "s1", ["pb", "pb"])
    assert r.status_code == 201 and [f["product"] for f in r.json()["result"]["filings"]] == ["pb"]
    assert len(w.filings("op")) == 2


def test_a_pk_with_a_streamer_who_is_not_designated_is_refused(server, w):
    """RULES §4: declaring a PK with a streamer who is not designated is refused
    (422 streamer_not_designated) and nothing is created; an unknown streamer likewise."""
    w.products("m1", "pa")
    before = w.events_count()
    for streamer in ("s2", "s404"):
        r = w.pk("m1", streamer, ["pa"])
        assert r.status_code == 422 and error_code(r) == "streamer_not_designated", r.text
    assert w.events_count() == before
    assert w.filings("op") == [] and w.filings("m1") == []


def test_a_pk_listing_another_stores_product_is_refused_and_creates_nothing(server, w):
    """Scenario 2: only the declaring store's own products may be listed (another's:
    422 not_product_owner, its owner declares it); the store's own product in the same
    declaration gets no record either. An unknown product: 422 unknown_reference."""
    w.products("m1", "pa")
    w.products("m2", "pother")
    before = w.events_count()
    for products in (["pother"], ["pa", "pother"], ["pother", "pa"]):
        r = w.pk("m1", "s1", products)
        assert r.status_code == 422 and error_code(r) == "not_product_owner", (products, r.text)
    r = w.pk("m1", "s1", ["pa", "nosuch"])
    assert r.status_code == 422 and error_code(r) == "unknown_reference", r.text
    assert w.events_count() == before
    assert w.filings("op") == []


def test_bad_pk_bodies_change_nothing(server, w):
    """House rule: bad input (unknown fields, wrong types, missing fields, an empty product
    list) is 400 naming the field and changes nothing."""
    w.products("m1", "pa")
    good = {"streamer": "s1", "products": ["pa"]}
    cases = [
        ({**good, "colour": 1}, "unknown_field", "colour"),
        # the key names the store; a body may not (not even its own)
        ({**good, "merchant": "m1"}, "unknown_field", "merchant"),
        ({**good, "merchant": "m2"}, "unknown_field", "merchant"),
        ({"products": ["pa"]}, "missing_field", "streamer"),
        ({"streamer": "s1"}, "missing_field", "products"),
        ({**good, "streamer": 5}, "wrong_type", "streamer"),
        ({**good, "products": "pa"}, "wrong_type", "products"),
        ({**good, "products": []}, "invalid_value", "products"),
        ({**good, "reason": 3}, "wrong_type", "reason"),
    ]
    before = w.events_count()
    for body, code, field in cases:
        r = w.c("m1").post("/v1/filings/pk", body)
        assert (r.status_code, error_code(r)) == (400, code), (body, r.text)
        assert r.json()["error"]["details"].get("field") == field, (body, r.text)
    assert w.events_count() == before and w.filings("op") == []
    # a store declares its PK, not the streamer
    r = w.c("s1").post("/v1/filings/pk", good)
    assert r.status_code == 403 and error_code(r) == "forbidden", r.text
    assert w.filings("op") == []


# --- scenario 3: distribution -----------------------------------------------------------------

def test_a_distribution_by_a_designated_streamer_creates_the_owners_record(server, w):
    """Scenario 3: a designated streamer puts another store's product up for distribution: a
    pending record appears for the product's owner with reason distribution and the streamer's
    id and nickname; the owner and the streamer see it, another store does not."""
    w.product("m2", "pdist")
    r = w.c("s1").post("/v1/distributions", {"product": "pdist"})
    assert r.status_code == 201, r.text
    d = r.json()["result"]
    assert r.headers["Location"] == f"/v1/distributions/{d['id']}"
    assert (d["product"], d["merchant"]) == ("pdist", "m2")
    assert named(d["streamer"], "s1")
    assert d["filing"] is not None
    rec = w.get(d["filing"], "m2")
    assert (rec["merchant"], rec["product"], rec["status"], rec["reasons"]) == \
        ("m2", "pdist", "pending", ["distribution"])
    assert named(rec["streamer"], "s1")
    assert [f["id"] for f in w.filings("m2")] == [rec["id"]]
    assert [f["id"] for f in w.filings("s1")] == [rec["id"]]
    assert w.filings("m1") == []
    # the same distribution again: the existing one, no second record
    r = w.c("s1").post("/v1/distributions", {"product": "pdist"})
    assert r.status_code == 200 and r.json()["result"]["id"] == d["id"], r.text
    assert len(w.filings("op")) == 1
    got = w.c("s1").get(f"/v1/distributions/{d['id']}")
    assert got.status_code == 200 and got.json()["filing"] == rec["id"], got.text
    listed = w.c("s1").get("/v1/distributions").json()["distributions"]
    assert [x["id"] for x in listed] == [d["id"]]


def test_a_distribution_by_an_ordinary_streamer_needs_no_filing(server, w):
    """RULES §4: nothing needs filing for ordinary streamers: a distribution by s2 creates no
    record ("filing": null)."""
    w.product("m2", "pdist")
    before = len(w.events("filing.created"))
    r = w.c("s2").post("/v1/distributions", {"product": "pdist"})
    assert r.status_code == 201, r.text
    assert r.json()["result"]["filing"] is None
    assert w.filings("op") == [] and w.filings("m2") == []
    assert len(w.events("filing.created")) == before


def test_a_streamer_designated_later_files_its_earlier_distributions(server, w):
    """RULES §4: a designated streamer's distribution gives the owner a pending record; a
    product s2 put up while ordinary gets one when s2 is designated (found by an independent
    black-box pass: nothing told the owner, and every session refused it as not_filed)."""
    w.product("m2", "pdist")
    w.product("m2", "pgone")
    r = w.c("s2").post("/v1/distributions", {"product": "pdist"})
    assert r.status_code == 201 and r.json()["result"]["filing"] is None, r.text
    d = r.json()["result"]
    assert w.c("s2").post("/v1/distributions", {"product": "pgone"}).status_code == 201
    assert w.c("op").post("/v1/products/pgone/ban", {"reason": "假货"}).status_code == 200
    w.streamer("s2", designated=True)
    [rec] = w.filings("m2")
    assert (rec["product"], rec["status"], rec["reasons"]) == ("pdist", "pending", ["distribution"])
    assert named(rec["streamer"], "s2")
    got = w.c("s2").get(f"/v1/distributions/{d['id']}").json()
    assert got["filing"] == rec["id"]
    # designated again (a nickname change): nothing more
    w.streamer("s2", designated=True)
    assert len(w.filings("m2")) == 1
    # the product banned then is filed once it is unbanned and put up again
    assert w.c("op").post("/v1/products/pgone/unban", {"reason": "复核"}).status_code == 200
    r = w.c("s2").post("/v1/distributions", {"product": "pgone"})
    assert r.status_code == 200 and r.json()["result"]["filing"] is not None, r.text
    assert sorted(f["product"] for f in w.filings("m2")) == ["pdist", "pgone"]


def test_a_distribution_adds_its_reason_to_an_existing_record(server, w):
    """Issue "Filing records": one record per (product, designated streamer) keeping every
    reason, in the order first added: a pk record distributed by the same streamer gains
    distribution, once."""
    w.product("m1", "pa")
    fid = w.pk_ok("m1", "s1", ["pa"])["pa"]["id"]
    r = w.c("s1").post("/v1/distributions", {"product": "pa"})
    assert r.status_code == 201 and r.json()["result"]["filing"] == fid, r.text
    rec = w.get(fid, "m1")
    assert rec["reasons"] == ["pk", "distribution"]
    assert "reason_added" in history_actions(rec)
    assert len(w.filings("op")) == 1


def test_bad_distributions_are_refused(server, w):
    """FILING.md: only a streamer key distributes; an unknown product is 422
    unknown_reference; bad bodies 400; nothing created."""
    w.product("m2", "pdist")
    w.c("s1")  # its key first: making a key is an event too
    before = w.events_count()
    for body, status, code in (({"product": "nosuch"}, 422, "unknown_reference"),
                               ({}, 400, "missing_field"),
                               ({"product": 5}, 400, "wrong_type"),
                               ({"product": "pdist", "x": 1}, 400, "unknown_field")):
        r = w.c("s1").post("/v1/distributions", body)
        assert (r.status_code, error_code(r)) == (status, code), (body, r.text)
    r = w.c("m1").post("/v1/distributions", {"product": "pdist"})
    assert r.status_code == 403 and error_code(r) == "forbidden", r.text
    assert w.events_count() == before and w.filings("op") == []


# --- scenario 1: self_built -------------------------------------------------------------------

def test_a_product_of_a_designated_streamers_own_store_is_self_built(server, w):
    """Scenario 1: a product created by a designated streamer's own store gets a pending record
    at creation, reason self_built; another store's product, or one of an ordinary streamer's
    store, gets none."""
    w.streamer("s3", designated=True, merchant="m3")
    w.streamer("s4", designated=False, merchant="m2")
    w.product("m3", "pself")
    w.product("m1", "pplain")
    w.product("m2", "pord")
    rec = w.record("pself", "s3", "m3")
    assert (rec["merchant"], rec["status"], rec["reasons"]) == ("m3", "pending", ["self_built"])
    assert named(rec["streamer"], "s3")
    assert [f["product"] for f in w.filings("op")] == ["pself"]
    assert [f["id"] for f in w.filings("s3")] == [rec["id"]]


def test_designating_a_streamer_files_its_stores_existing_products(server, w):
    """FILING.md: designating a streamer who has a store (or giving a designated streamer a
    store) also files the store's existing products as self_built."""
    w.product("m2", "pold")
    w.streamer("s4", designated=False, merchant="m2")
    assert w.filings("op") == []
    w.streamer("s4", designated=True, merchant="m2")
    rec = w.record("pold", "s4", "m2")
    assert (rec["status"], rec["reasons"]) == ("pending", ["self_built"])


def test_a_policy_that_designates_a_streamer_files_its_stores_existing_products(server, w):
    """docs/filing.md: a streamer that becomes designated with a store files that store's
    existing products the same way, whether an operator sets it through the API or a policy's
    designated_streamers lists it (audit: the policy path filed only products created after);
    the policy's new nickname is carried to its records as the API's is."""
    w.product("m2", "pold")
    activate(server, filing_policy("filing-s8", designated_streamers=[
        {"id": "s8", "nickname": "政策八", "merchant": "m2"}]))
    rec = w.record("pold", "s8")
    assert (rec["status"], rec["reasons"]) == ("pending", ["self_built"]), rec
    assert rec["streamer"] == {"id": "s8", "nickname": "政策八"}, rec
    activate(server, filing_policy("filing-s8-renamed", designated_streamers=[
        {"id": "s8", "nickname": "政策八改", "merchant": "m2"}]))
    again = w.record("pold", "s8")
    assert again["streamer"] == {"id": "s8", "nickname": "政策八改"}, again
    assert again["version"] == rec["version"] + 1, again
    assert (again["status"], again["reasons"]) == ("pending", ["self_built"]), again


# --- scenario 4: product_edit -----------------------------------------------------------------

def test_a_main_image_edit_resets_an_approved_record_and_a_price_edit_does_not(server, w):
    """Scenario 4: an edit of the main image sends an approved record back to pending and adds
    the reason product_edit (history action reset); an edit of the price or the stock changes
    nothing."""
    w.product("m1", "pa", main_image="https://img.example.com/a1.jpg")
    fid = w.file_and_approve("m1", "s1", ["pa"])["pa"]["id"]
    approved = w.get(fid)
    for patch in ({"price_fen": 5900}, {"stock": 3}, {"price": "49.00", "stock": 99}):
        r = w.c("m1").patch("/v1/products/pa", patch)
        assert r.status_code == 200, r.text
    assert w.get(fid) == approved
    assert w.events("filing.reset") == []
    r = w.c("m1").patch("/v1/products/pa", {"main_image": "https://img.example.com/a2.jpg"})
    assert r.status_code == 200, r.text
    rec = w.get(fid)
    assert (rec["status"], rec["reasons"]) == ("pending", ["pk", "product_edit"])
    assert history_actions(rec)[-1] == "reset"
    assert rec["version"] > approved["version"]
    assert len(w.events("filing.reset")) == 1
    # it must be submitted again: pending -> reviewing
    w.submit(fid, "m1")


@pytest.mark.parametrize("patch", [
    {"title": "纯棉短袖 新款"},
    {"short_title": "短袖"},
    {"detail_images": ["https://img.example.com/d9.jpg"]},
    {"attributes": {"颜色": "蓝"}},
    {"category": "home.kitchen"},
], ids=lambda p: next(iter(p)))
def test_each_key_field_edit_resets_a_reviewing_record(server, w, patch):
    """Scenario 4: title, short title, detail images, category or attributes (like the main
    image) send a reviewing record back to pending with reason product_edit."""
    if "category" in patch:
        r = w.c("op").patch("/v1/merchants/m1", {"categories": ["apparel.women", "home.kitchen"]})
        assert r.status_code == 200, r.text
    w.product("m1", "pa")
    fid = w.pk_ok("m1", "s1", ["pa"])["pa"]["id"]
    w.submit(fid, "m1")
    r = w.c("m1").patch("/v1/products/pa", patch)
    assert r.status_code == 200, r.text
    rec = w.get(fid)
    assert (rec["status"], rec["reasons"]) == ("pending", ["pk", "product_edit"])
    assert history_actions(rec)[-1] == "reset"


def test_an_edit_resets_every_record_of_the_product(server, w):
    """RULES §4 scenario 4: a key-field edit of a product "in any of the three scenarios sends it
    back to pending and adds the reason product_edit": every record of the product, whichever
    streamer it names and whatever its status (a rejected one goes back to pending, a pending
    one gains the reason); an edit that leaves the key fields as they were resets nothing."""
    for sid in ("s3", "s4", "s5"):
        w.streamer(sid, designated=True)
    w.product("m1", "pa", main_image="https://img.example.com/a1.jpg")
    approved = w.file_and_approve("m1", "s1", ["pa"])["pa"]["id"]
    reviewing = w.pk_ok("m1", "s3", ["pa"])["pa"]["id"]
    w.submit(reviewing, "m1")
    rejected = w.pk_ok("m1", "s4", ["pa"])["pa"]["id"]
    w.submit(rejected, "m1")
    w.decide(rejected, "reject", "不符合")
    pending = w.pk_ok("m1", "s5", ["pa"])["pa"]["id"]
    kept = {fid: w.get(fid) for fid in (rejected, pending)}
    same = {fid: w.get(fid) for fid in (approved, reviewing)}
    r = w.c("m1").patch("/v1/products/pa", {"main_image": "https://img.example.com/a1.jpg"})
    assert r.status_code == 200, r.text
    assert {fid: w.get(fid) for fid in same} == same
    r = w.c("op").patch("/v1/products/pa", {"title": "纯棉短袖 运营改"})
    assert r.status_code == 200, r.text
    for fid in (approved, reviewing, rejected, pending):
        rec = w.get(fid)
        assert (rec["status"], rec["reasons"][-1]) == ("pending", "product_edit"), fid
        assert rec["history"][-1]["action"] == "reset", fid
    assert [w.get(fid)["reasons"] for fid in kept] == [["pk", "product_edit"]] * 2


def test_a_reset_record_no_longer_goes_in_the_cart(server, w):
    """Issue "Live sessions" + scenario 4: a session accepted an approved product; once an edit
    of a key field sends its record back to pending, the cart refuses it (422
    filing_required)."""
    w.products("m1", "pa", "pb")
    w.file_and_approve("m1", "s1", ["pa", "pb"])
    s = w.session_ok("m1", "s1", "2026-01-20T19:00:00+08:00", ["pa", "pb"])
    assert sorted(s["accepted"]) == ["pa", "pb"]
    r = w.c("m1").patch("/v1/products/pb", {"title": "纯棉短袖 改"})
    assert r.status_code == 200, r.text
    r = w.cart(s["id"], "pb")
    assert r.status_code == 422 and error_code(r) == "filing_required", r.text
    r = w.cart(s["id"], "pa")
    assert r.status_code == 200 and r.json()["result"]["cart"] == ["pa"], r.text


# --- state machine ----------------------------------------------------------------------------

# (state, action) -> the state after, or None for 409 state_conflict
TABLE = {
    ("pending", "submit"): "reviewing",
    ("pending", "withdraw"): None,
    ("pending", "approve"): None,
    ("pending", "reject"): None,
    ("reviewing", "submit"): None,
    ("reviewing", "withdraw"): "pending",
    ("reviewing", "approve"): "approved",
    ("reviewing", "reject"): "rejected",
    ("approved", "submit"): None,
    ("approved", "withdraw"): None,
    ("approved", "approve"): None,
    ("approved", "reject"): None,
    ("rejected", "submit"): "reviewing",
    ("rejected", "withdraw"): None,
    ("rejected", "approve"): None,
    ("rejected", "reject"): None,
}
HISTORY = {"submit": "submitted", "withdraw": "withdrawn", "approve": "approved",
           "reject": "rejected"}


def test_every_state_action_pair_over_http(server, w):
    """Issue "Filing records": pending -> reviewing on submission (a rejected record may be
    submitted again) -> approved / rejected by an operator (from reviewing only); withdrawal
    reviewing -> pending only; every other pair is 409 state_conflict and changes nothing."""
    pids = [f"p{i}" for i in range(len(TABLE))]
    w.products("m1", *pids)
    recs = w.pk_ok("m1", "s1", pids)
    for pid, ((state, action), after) in zip(pids, TABLE.items()):
        fid = recs[pid]["id"]
        if state != "pending":
            w.submit(fid, "m1")
        if state in ("approved", "rejected"):
            w.decide(fid, {"approved": "approve", "rejected": "reject"}[state])
        assert w.get(fid)["status"] == state, (state, action)
        before = w.get(fid)
        if action in ("submit", "withdraw"):
            body = {"documents": []} if action == "submit" else {}
            r = w.act(fid, action, "m1", body)
        else:
            r = w.act(fid, "decision", "op", {"decision": action, "note": "形式审核"})
        if after is None:
            assert r.status_code == 409 and error_code(r) == "state_conflict", \
                (state, action, r.text)
            assert w.get(fid) == before, (state, action)
        else:
            assert r.status_code == 200, (state, action, r.text)
            rec = r.json()["result"]
            assert rec["status"] == after, (state, action)
            assert history_actions(rec)[-1] == HISTORY[action], (state, action)
            assert rec["history"][-1]["from"] == state and rec["history"][-1]["to"] == after
            assert w.get(fid, "m1")["status"] == after


def test_a_decision_records_who_and_when_and_a_rejection_can_be_resubmitted(server, w):
    """RULES §4: approval is a formal check; the record keeps who approved what and when. A
    rejected record is submitted again and approved."""
    w.product("m1", "pa")
    fid = w.pk_ok("m1", "s1", ["pa"])["pa"]["id"]
    w.clock("2026-01-05T02:00:00Z")
    sub = w.submit(fid, "m1")
    assert sub["submitted_at"] == "2026-01-05T02:00:00Z"
    assert sub["submitted_by"]["role"] == "merchant:m1"
    w.clock("2026-01-05T03:00:00Z")
    rej = w.decide(fid, "reject", "缺少吊牌照片")
    assert (rej["status"], rej["note"]) == ("rejected", "缺少吊牌照片")
    assert rej["decided_by"]["role"] == "operator"
    assert rej["decided_at"] == "2026-01-05T03:00:00Z"
    w.clock("2026-01-05T04:00:00Z")
    again = w.submit(fid, "m1")
    assert again["submitted_at"] == "2026-01-05T04:00:00Z"
    w.clock("2026-01-05T05:00:00Z")
    ok = w.decide(fid, "approve")
    assert ok["status"] == "approved" and ok["decided_at"] == "2026-01-05T05:00:00Z"
    assert ok["decided_by"]["role"] == "operator" and ok["decided_by"]["key"] is not None
    assert history_actions(ok) == ["created", "submitted", "rejected", "submitted", "approved"]
    hist = w.c("m1").get(f"/v1/filings/{fid}/history")
    assert hist.status_code == 200, hist.text
    assert hist.json()["id"] == fid
    assert [h["action"] for h in hist.json()["history"]] == history_actions(ok)
    assert [e["type"] for e in w.events("filing.approved")] == ["filing.approved"]


def test_only_an_operator_decides_and_only_the_store_submits(server, w):
    """Issue: submit and withdraw are the product's store's; the decision is an operator's."""
    w.product("m1", "pa")
    fid = w.pk_ok("m1", "s1", ["pa"])["pa"]["id"]
    for who in ("s1", "m2"):
        r = w.act(fid, "submit", who, {"documents": []})
        assert r.status_code in (403, 404), (who, r.text)
    w.submit(fid, "m1")
    for who in ("m1", "s1", "m2"):
        r = w.act(fid, "decision", who, {"decision": "approve"})
        assert r.status_code in (403, 404), (who, r.text)
    for who in ("s1", "m2"):
        r = w.act(fid, "withdraw", who, {})
        assert r.status_code in (403, 404), (who, r.text)
    assert w.get(fid)["status"] == "reviewing"


# --- withdrawal -------------------------------------------------------------------------------

def test_a_withdrawal_is_seen_as_pending_by_the_store_and_the_streamer(server, w):
    """RULES §4: the merchant may withdraw a submission in review; it returns to pending on
    both the merchant's and the streamer's side."""
    w.product("m1", "pa")
    fid = w.pk_ok("m1", "s1", ["pa"])["pa"]["id"]
    w.submit(fid, "m1")
    assert w.get(fid, "s1")["status"] == "reviewing"
    r = w.act(fid, "withdraw", "m1", {})
    assert r.status_code == 200, r.text
    assert r.json()["result"]["status"] == "pending"
    assert "filing.withdrawn" in [e["type"] for e in r.json()["events"]]
    for who in ("m1", "s1"):
        rec = w.get(fid, who)
        assert rec["status"] == "pending", who
        assert history_actions(rec)[-1] == "withdrawn", who
        assert [f["id"] for f in w.filings(who, status="pending")] == [fid], who
        assert w.filings(who, status="reviewing") == [], who
    r = w.act(fid, "withdraw", "m1", {})
    assert r.status_code == 409 and error_code(r) == "state_conflict", r.text


# --- documents --------------------------------------------------------------------------------

def test_required_documents_come_from_the_policy(server, w):
    """Issue "Filing records": the documents the category requires come from policy (default:
    beauty.* needs cosmetics_filing_receipt); a missing one is 422 documents_missing naming it
    and changes nothing; the code given as a string or an object is accepted."""
    w.products("m3", "pcream", "plotion")
    recs = w.pk_ok("m3", "s1", ["pcream", "plotion"])
    fid = recs["pcream"]["id"]
    assert recs["pcream"]["required_documents"] == [COSMETICS_DOC]
    before = w.get(fid)
    for docs in ([], ["something_else"], [{"code": "other", "url": "https://x.example/a.pdf"}]):
        r = w.act(fid, "submit", "m3", {"documents": docs})
        assert r.status_code == 422 and error_code(r) == "documents_missing", (docs, r.text)
        assert COSMETICS_DOC in r.json()["error"]["message"]
    assert w.get(fid) == before
    rec = w.submit(fid, "m3", [COSMETICS_DOC])
    assert rec["documents"] == [COSMETICS_DOC]
    rec = w.submit(recs["plotion"]["id"], "m3",
                   [{"code": COSMETICS_DOC, "url": "https://x.example/receipt.pdf"}])
    assert rec["documents"][0]["code"] == COSMETICS_DOC


def test_a_product_moved_to_another_category_shows_its_documents_at_once(server, w):
    """Issue "Filing records": the record shows the documents the product's category requires;
    a pending record whose product moves to a category that requires others shows them at once
    (the category is a key field: the edit resets the record, product_edit, in one new version),
    and ?at= before the move still shows none."""
    r = w.c("op").patch("/v1/merchants/m1", {"categories": ["apparel.women", "beauty.skincare"]})
    assert r.status_code == 200, r.text
    r = w.c("op").post("/v1/merchants/m1/deposit/top-ups",
                       {"amount_fen": 10_000_000, "ref": "beauty-deposit"})
    assert r.status_code == 201, r.text  # beauty asks for a larger deposit
    w.product("m1", "pmove")
    rec = w.pk_ok("m1", "s1", ["pmove"])["pmove"]
    assert (rec["status"], rec["required_documents"]) == ("pending", [])
    before = w.get(rec["id"])
    w.clock(local("2026-01-05 12:00:00"))
    r = w.c("m1").patch("/v1/products/pmove", {"category": "beauty.skincare"})
    assert r.status_code == 200, r.text
    now = w.get(rec["id"])
    assert now["status"] == "pending" and now["required_documents"] == [COSMETICS_DOC], now
    assert now["version"] == before["version"] + 1 and now["history"][:-1] == before["history"]
    assert (now["history"][-1]["action"], now["reasons"][-1]) == ("reset", "product_edit"), now
    assert [e["subject"] for e in w.events("filing.reset")] == [rec["id"]]
    at = w.c("op").get(f"/v1/filings/{rec['id']}", params={"at": before["updated_at"]})
    assert at.status_code == 200 and at.json()["required_documents"] == [], at.text
    r = w.act(rec["id"], "submit", "m1", {"documents": []})
    assert r.status_code == 422 and error_code(r) == "documents_missing", r.text
    assert w.submit(rec["id"], "m1", [COSMETICS_DOC])["documents"] == [COSMETICS_DOC]


def test_an_empty_form_is_a_valid_submission_when_nothing_is_required(server, w):
    """RULES §4: a submission with an empty required-qualification list is allowed (the form is
    blank) and still goes to review."""
    w.product("m1", "pa")
    rec = w.pk_ok("m1", "s1", ["pa"])["pa"]
    assert rec["required_documents"] == []
    got = w.submit(rec["id"], "m1", [])
    assert (got["status"], got["documents"]) == ("reviewing", [])
    assert [f["id"] for f in w.filings("op", status="reviewing")] == [rec["id"]]


def test_a_policy_of_its_own_requires_every_document_it_names(server, w):
    """Issue: required documents are policy (filing.required_documents by category, industry.*
    or *); a policy requiring two codes for apparel.women gets both named when both are
    missing, and a designated streamer the policy lists is one (source policy)."""
    activate(server, filing_policy(
        "filing-docs-1",
        designated_streamers=[{"id": "s9", "nickname": "政策达人"}],
        required_documents={"apparel.women": ["size_chart", "fabric_report"]}))
    got = w.c("op").get("/v1/streamers/s9")
    assert got.status_code == 200, got.text
    assert (got.json()["designated"], got.json()["source"]) == (True, "policy")
    w.product("m1", "pa")
    rec = w.pk_ok("m1", "s9", ["pa"])["pa"]
    assert sorted(rec["required_documents"]) == ["fabric_report", "size_chart"]
    r = w.act(rec["id"], "submit", "m1", {"documents": []})
    assert r.status_code == 422 and error_code(r) == "documents_missing", r.text
    msg = r.json()["error"]["message"]
    assert "size_chart" in msg and "fabric_report" in msg
    r = w.act(rec["id"], "submit", "m1", {"documents": ["size_chart"]})
    assert r.status_code == 422 and "fabric_report" in r.json()["error"]["message"], r.text
    w.submit(rec["id"], "m1", ["size_chart", "fabric_report"])


def test_a_policy_asking_for_another_document_reaches_open_records_and_approval(server, w):
    """docs/filing.md: approval is a formal check of the documents the policy in force asks for.
    A policy that adds a document shows it at once on every record not yet approved (pending and
    reviewing, one filing.documents_changed each), a reviewing record lacking it cannot be
    approved (422 documents_missing, nothing changes) but can be rejected and resubmitted, and an
    approved record keeps what it was approved with."""
    w.products("m3", "pc1", "pc2", "pc3")
    recs = w.pk_ok("m3", "s1", ["pc1", "pc2", "pc3"])
    pending, reviewing, approved = (recs[p]["id"] for p in ("pc1", "pc2", "pc3"))
    w.submit(reviewing, "m3", [COSMETICS_DOC])
    w.submit(approved, "m3", [COSMETICS_DOC])
    w.decide(approved)
    activate(server, filing_policy("filing-docs-2", required_documents={
        "beauty.*": [COSMETICS_DOC, "brand_letter"]}))
    both = [COSMETICS_DOC, "brand_letter"]
    assert w.get(pending)["required_documents"] == both
    assert w.get(reviewing)["required_documents"] == both
    assert w.get(approved)["required_documents"] == [COSMETICS_DOC]
    assert sorted(e["subject"] for e in w.events("filing.documents_changed")) == sorted(
        [pending, reviewing])
    before = w.get(reviewing)
    r = w.act(reviewing, "decision", "op", {"decision": "approve"})
    assert r.status_code == 422 and error_code(r) == "documents_missing", r.text
    assert "brand_letter" in r.json()["error"]["message"]
    assert w.get(reviewing) == before
    assert w.decide(reviewing, "reject", "brand letter missing")["status"] == "rejected"
    w.submit(reviewing, "m3", both)
    assert w.decide(reviewing)["status"] == "approved"
    r = w.act(pending, "submit", "m3", {"documents": [COSMETICS_DOC]})
    assert r.status_code == 422 and "brand_letter" in r.json()["error"]["message"], r.text


def test_a_streamer_put_overrides_the_policy_entry(server, w):
    """FILING.md: a streamer PUT via the API overrides the policy's entry of the same id: a
    policy-designated streamer taken off the list is refused for a PK."""
    activate(server, filing_policy("filing-s9", designated_streamers=[
        {"id": "s9", "nickname": "政策达人"}]))
    w.product("m1", "pa")
    r = w.put_streamer("s9", {"nickname": "政策达人", "designated": False})
    assert r.status_code in (200, 201), r.text
    got = w.c("op").get("/v1/streamers/s9").json()
    assert (got["designated"], got["source"]) == (False, "api")
    r = w.pk("m1", "s9", ["pa"])
    assert r.status_code == 422 and error_code(r) == "streamer_not_designated", r.text


# --- only the PK's products -------------------------------------------------------------------

def test_only_the_products_in_the_pk_need_filing(server, w):
    """RULES §4: only the products actually sold in the PK need filing for a designated PK
    partner; the session's other products sell normally (the session's streamer is ordinary).
    The PK's products are added to the session's products."""
    w.products("m1", "pfiled", "punfiled", "pa", "pb")
    w.file_and_approve("m1", "s1", ["pfiled"])
    s = w.session_ok("m1", "s2", "2026-01-20T19:00:00+08:00", ["pa", "pb"],
                     pk={"partner": "s1", "products": ["pfiled", "punfiled"]})
    assert named(s["streamer"], "s2")
    assert named(s["pk"]["partner"], "s1")
    assert sorted(s["pk"]["products"]) == ["pfiled", "punfiled"]
    rows = rows_by_product(s)
    assert set(rows) == {"pa", "pb", "pfiled", "punfiled"}
    for pid in ("pa", "pb", "pfiled"):
        assert (rows[pid]["accepted"], rows[pid]["reason"]) == (True, None), rows[pid]
    assert (rows["punfiled"]["accepted"], rows["punfiled"]["reason"]) == (False, "not_filed")
    assert rows["punfiled"]["streamer"] == "s1"
    assert rows["punfiled"]["deadline"] == "2026-01-16T15:59:59Z"
    assert sorted(s["accepted"]) == ["pa", "pb", "pfiled"]


def test_a_designated_sessions_streamer_checks_every_product(server, w):
    """Issue "Live sessions": for a designated session streamer all its products need filing;
    for an ordinary one with no PK nothing does."""
    w.products("m1", "pfiled", "pplain")
    w.file_and_approve("m1", "s1", ["pfiled"])
    s = w.session_ok("m1", "s1", "2026-01-20T19:00:00+08:00", ["pfiled", "pplain"])
    rows = rows_by_product(s)
    assert rows["pfiled"]["accepted"] is True
    assert (rows["pplain"]["accepted"], rows["pplain"]["reason"]) == (False, "not_filed")
    s = w.session_ok("m1", "s2", "2026-01-20T19:00:00+08:00", ["pfiled", "pplain"])
    assert all(p["accepted"] and p["reason"] is None for p in s["products"]), s
    assert sorted(s["accepted"]) == ["pfiled", "pplain"]


# --- cart and 0元购 ---------------------------------------------------------------------------

def test_a_refused_product_cannot_go_in_the_cart(server, w):
    """RULES §4 scenario 1 + issue: only products the session accepted go in the cart (挂车);
    a refused product, or one not in the session, is 422 filing_required."""
    w.products("m1", "pok", "pnot", "pelse")
    w.file_and_approve("m1", "s1", ["pok"])
    s = w.session_ok("m1", "s1", "2026-01-20T19:00:00+08:00", ["pok", "pnot"])
    before = w.events_count()
    for pid in ("pnot", "pelse"):
        r = w.cart(s["id"], pid)
        assert r.status_code == 422 and error_code(r) == "filing_required", (pid, r.text)
    assert w.events_count() == before
    r = w.cart(s["id"], "pok")
    assert r.status_code == 200, r.text
    assert r.json()["result"]["cart"] == ["pok"]
    got = w.c("m1").get(f"/v1/live-sessions/{s['id']}").json()
    assert got["cart"] == ["pok"]
    # another store cannot touch the session
    r = w.cart(s["id"], "pok", who="m2")
    assert r.status_code in (403, 404), r.text


def test_a_zero_price_lottery_item_needs_an_operators_pre_approval(server, w):
    """RULES §4: a zero-price lottery (0元购) item in a session with a designated streamer
    needs an operator's pre-approval before it is listed: 422 lottery_not_approved until POST
    /v1/lottery-approvals, then accepted. A priced item needs none."""
    w.product("m1", "pfree", price_fen=0)
    w.product("m1", "ppaid")
    w.file_and_approve("m1", "s1", ["pfree", "ppaid"])
    s = w.session_ok("m1", "s1", "2026-01-20T19:00:00+08:00", ["pfree", "ppaid"])
    assert sorted(s["accepted"]) == ["pfree", "ppaid"]
    before = w.events_count()
    r = w.cart(s["id"], "pfree")
    assert r.status_code == 422 and error_code(r) == "lottery_not_approved", r.text
    assert w.events_count() == before
    # a store cannot approve its own lottery
    r = w.c("m1").post("/v1/lottery-approvals", {"session": s["id"], "product": "pfree"})
    assert r.status_code == 403 and error_code(r) == "forbidden", r.text
    r = w.cart(s["id"], "ppaid")
    assert r.status_code == 200, r.text
    r = w.c("op").post("/v1/lottery-approvals",
                       {"session": s["id"], "product": "pfree", "note": "抽奖已报备"})
    assert r.status_code == 201, r.text
    la = r.json()["result"]
    assert (la["session"], la["product"], la["note"]) == (s["id"], "pfree", "抽奖已报备")
    assert la["approved_by"]["role"] == "operator" and la["approved_at"] is not None
    r = w.cart(s["id"], "pfree")
    assert r.status_code == 200, r.text
    assert sorted(r.json()["result"]["cart"]) == ["pfree", "ppaid"]


def test_a_zero_price_item_with_a_designated_pk_partner_needs_pre_approval(server, w):
    """Issue: 0元购 needs pre-approval in a session whose streamer or PK partner is
    designated; in a session with neither it goes in the cart at once."""
    w.product("m1", "pfree", price_fen=0)
    w.file_and_approve("m1", "s1", ["pfree"])
    plain = w.session_ok("m1", "s2", "2026-01-20T19:00:00+08:00", ["pfree"])
    r = w.cart(plain["id"], "pfree")
    assert r.status_code == 200, r.text
    pk = w.session_ok("m1", "s2", "2026-01-21T19:00:00+08:00", ["pfree"],
                      pk={"partner": "s1", "products": ["pfree"]})
    assert pk["accepted"] == ["pfree"]
    r = w.cart(pk["id"], "pfree")
    assert r.status_code == 422 and error_code(r) == "lottery_not_approved", r.text


# --- visibility and lists ---------------------------------------------------------------------

def test_who_sees_which_record(server, w):
    """Issue: a store sees its own records (another store's: 404, like one that does not
    exist); a streamer sees the records naming it; operators see all."""
    w.streamer("s3", designated=True)
    w.products("m1", "pa", "pb")
    a = w.pk_ok("m1", "s1", ["pa"])["pa"]["id"]
    b = w.pk_ok("m1", "s3", ["pb"])["pb"]["id"]
    for who, fid in (("m2", a), ("s3", a), ("s2", a), ("s1", b)):
        for suffix in ("", "/history"):
            r = w.c(who).get(f"/v1/filings/{fid}{suffix}")
            assert r.status_code == 404 and error_code(r) == "not_found", (who, fid, r.text)
        unknown = w.c(who).get("/v1/filings/f999")
        assert unknown.status_code == 404 and error_code(unknown) == "not_found"
    r = w.act(a, "submit", "m2", {"documents": []})
    assert r.status_code == 404, r.text
    assert [f["id"] for f in w.filings("s1")] == [a]
    assert [f["id"] for f in w.filings("s3")] == [b]
    assert w.filings("s2") == [] and w.filings("m2") == []
    assert sorted(f["id"] for f in w.filings("m1")) == sorted([a, b])
    assert sorted(f["id"] for f in w.filings("op")) == sorted([a, b])
    # a store naming another store, or a streamer another streamer, still sees only its own
    r = w.c("m2").get("/v1/filings", params={"merchant": "m1"})  # m1 does not exist for m2
    assert r.status_code == 404 and error_code(r) == "not_found", r.text
    r = w.c("s1").get("/v1/filings", params={"streamer": "s3"})
    assert r.status_code in (200, 403, 404), r.text
    assert b not in r.text


def test_list_filters(server, w):
    """Issue: GET /v1/filings?merchant=&streamer=&status= (and product=) filter; a bad status
    is 400 invalid_value, an unknown parameter 400 unknown_parameter."""
    w.streamer("s3", designated=True)
    w.products("m1", "pa", "pb")
    w.product("m2", "pc")
    a = w.pk_ok("m1", "s1", ["pa"])["pa"]["id"]
    b = w.pk_ok("m1", "s3", ["pb"])["pb"]["id"]
    c = w.pk_ok("m2", "s1", ["pc"])["pc"]["id"]
    w.submit(b, "m1")
    ids = lambda **p: sorted(f["id"] for f in w.filings("op", **p))  # noqa: E731
    assert ids(merchant="m1") == sorted([a, b]) and ids(merchant="m2") == [c]
    assert ids(streamer="s1") == sorted([a, c]) and ids(streamer="s3") == [b]
    assert ids(status="reviewing") == [b] and ids(status="pending") == sorted([a, c])
    assert ids(product="pc") == [c]
    assert ids(merchant="m1", streamer="s1") == [a]
    assert ids(status="approved") == []
    r = w.c("op").get("/v1/filings", params={"status": "done"})
    assert r.status_code == 400 and error_code(r) == "invalid_value", r.text
    assert r.json()["error"]["details"]["field"] == "status"
    r = w.c("op").get("/v1/filings", params={"colour": "red"})
    assert r.status_code == 400 and error_code(r) == "unknown_parameter", r.text
    page = w.c("op").get("/v1/filings", params={"limit": 2}).json()
    assert len(page["filings"]) == 2 and page["has_more"] is True
    rest = w.c("op").get("/v1/filings",
                         params={"limit": 2, "after": page["next_after"]}).json()
    assert len(rest["filings"]) == 1 and rest["has_more"] is False
    assert sorted(f["id"] for f in page["filings"] + rest["filings"]) == sorted([a, b, c])


def test_the_operators_reviewing_list_and_queue_are_oldest_submission_first(server, w):
    """Issue: operators list reviewing records oldest (submission) first, also in
    GET /v1/queue (filings_in_review)."""
    w.products("m1", "pa", "pb", "pc")
    recs = w.pk_ok("m1", "s1", ["pa", "pb", "pc"])
    order = ["pc", "pa", "pb"]
    for i, pid in enumerate(order):
        w.clock(f"2026-01-05T0{2 + i}:00:00Z")
        w.submit(recs[pid]["id"], "m1")
    expected = [recs[pid]["id"] for pid in order]
    assert [f["id"] for f in w.filings("op", status="reviewing")] == expected
    q = w.c("op").get("/v1/queue")
    assert q.status_code == 200, q.text
    assert [f["id"] for f in q.json()["filings_in_review"]] == expected
    # a resubmission moves a record to the back: its last submission is the newest
    w.clock("2026-01-05T06:00:00Z")
    assert w.act(expected[0], "withdraw", "m1", {}).status_code == 200
    w.submit(expected[0], "m1")
    expected = expected[1:] + expected[:1]
    assert [f["id"] for f in w.filings("op", status="reviewing")] == expected
    assert [f["id"] for f in w.c("op").get("/v1/queue").json()["filings_in_review"]] == expected
    w.decide(expected[0])
    assert [f["id"] for f in w.c("op").get("/v1/queue").json()["filings_in_review"]] == \
        expected[1:]


def test_who_sees_which_session_and_distribution(server, w):
    """Issue: a streamer's key sees its live sessions (those it streams or PKs in) and its
    distributions; a store sees its own sessions; others get 404."""
    w.streamer("s3", designated=True)
    w.product("m1", "pa")
    w.product("m2", "pd")
    s = w.session_ok("m1", "s2", "2026-01-20T19:00:00+08:00", ["pa"],
                     pk={"partner": "s1", "products": ["pa"]})
    for who in ("m1", "s1", "s2", "op"):
        r = w.c(who).get(f"/v1/live-sessions/{s['id']}")
        assert r.status_code == 200, (who, r.text)
        listed = w.c(who).get("/v1/live-sessions").json()["live_sessions"]
        assert [x["id"] for x in listed] == [s["id"]], who
    for who in ("m2", "s3"):
        r = w.c(who).get(f"/v1/live-sessions/{s['id']}")
        assert r.status_code == 404 and error_code(r) == "not_found", (who, r.text)
        assert w.c(who).get("/v1/live-sessions").json()["live_sessions"] == [], who
    d = w.c("s1").post("/v1/distributions", {"product": "pd"}).json()["result"]
    r = w.c("s3").get(f"/v1/distributions/{d['id']}")
    assert r.status_code == 404 and error_code(r) == "not_found", r.text
    assert w.c("s3").get("/v1/distributions").json()["distributions"] == []


# --- bad input, idempotency, versions ---------------------------------------------------------

def test_bad_filing_writes_change_nothing(server, w):
    """House rule: unknown fields and wrong types are 400 naming the field, and change
    nothing (no event, the record as it was)."""
    w.product("m1", "pa")
    fid = w.pk_ok("m1", "s1", ["pa"])["pa"]["id"]
    pending = w.get(fid)
    submit_cases = [
        ({"documents": [], "extra": 1}, "unknown_field", "extra"),
        ({"documents": "receipt.pdf"}, "wrong_type", "documents"),
        ({"documents": {"code": "x"}}, "wrong_type", "documents"),
    ]
    before = w.events_count()
    for body, code, field in submit_cases:
        r = w.act(fid, "submit", "m1", body)
        assert (r.status_code, error_code(r)) == (400, code), (body, r.text)
        assert r.json()["error"]["details"].get("field") == field, (body, r.text)
    assert w.get(fid) == pending
    w.submit(fid, "m1")
    reviewing = w.get(fid)
    before = w.events_count()
    decision_cases = [
        ({}, "missing_field", "decision"),
        ({"decision": "maybe"}, "invalid_value", "decision"),
        ({"decision": True}, "wrong_type", "decision"),
        ({"decision": "approve", "note": 5}, "wrong_type", "note"),
        ({"decision": "approve", "why": "x"}, "unknown_field", "why"),
    ]
    for body, code, field in decision_cases:
        r = w.act(fid, "decision", "op", body)
        assert (r.status_code, error_code(r)) == (400, code), (body, r.text)
        assert r.json()["error"]["details"].get("field") == field, (body, r.text)
    r = w.act(fid, "withdraw", "m1", {"because": 1})
    assert r.status_code == 400 and error_code(r) == "unknown_field", r.text
    assert w.get(fid) == reviewing
    assert w.events_count() == before


def test_bad_session_and_cart_bodies_change_nothing(server, w):
    """House rule: bad input to live sessions, the cart and lottery approvals is 400 (unknown
    field, wrong type, missing field, a start that is no instant), 422 unknown_reference for an
    unknown product; nothing is created."""
    w.product("m1", "pa")
    good = {"streamer": "s2", "start": "2026-01-20T19:00:00+08:00", "products": ["pa"]}
    cases = [
        ({**good, "colour": 1}, 400, "unknown_field"),
        ({**good, "merchant": "m1"}, 400, "unknown_field"),
        ({**good, "start": "tomorrow"}, 400, "invalid_value"),
        ({**good, "start": 20260120}, 400, "wrong_type"),
        ({**good, "products": "pa"}, 400, "wrong_type"),
        ({k: v for k, v in good.items() if k != "start"}, 400, "missing_field"),
        ({**good, "pk": {"partner": "s1", "products": "pa"}}, 400, "wrong_type"),
        ({**good, "products": ["nosuch"]}, 422, "unknown_reference"),
    ]
    before = w.events_count()
    for body, status, code in cases:
        r = w.c("m1").post("/v1/live-sessions", body)
        assert (r.status_code, error_code(r)) == (status, code), (body, r.text)
    assert w.events_count() == before
    assert w.c("op").get("/v1/live-sessions").json()["live_sessions"] == []
    s = w.session_ok("m1", "s2", good["start"], ["pa"])
    before = w.events_count()
    for body in ({}, {"product": 5}, {"product": "pa", "x": 1}):
        r = w.c("m1").post(f"/v1/live-sessions/{s['id']}/cart", body)
        assert r.status_code == 400, (body, r.text)
    for body in ({"session": s["id"]}, {"session": s["id"], "product": "pa", "x": 1},
                 {"session": s["id"], "product": 5}):
        r = w.c("op").post("/v1/lottery-approvals", body)
        assert r.status_code == 400, (body, r.text)
    assert w.events_count() == before
    assert w.c("m1").get(f"/v1/live-sessions/{s['id']}").json()["cart"] == []


def test_a_session_sells_the_stores_own_products_and_those_distributed_to_its_streamer(
        server, w):
    """docs/filing.md Live sessions: a store's session sells its own products and the products
    the session's streamer put up for distribution; another store's product is answered exactly
    like an unknown one (422 unknown_reference), its filing state never shown, whether the
    streamer is designated or not and in the PK's products too; nothing is created. Once the
    streamer distributes it, the product may be in the session."""
    w.product("m1", "pa")
    w.pk_ok("m1", "s1", ["pa"])  # m1's record for s1: pending
    start = "2026-01-20T19:00:00+08:00"
    before = w.events_count()
    for streamer, products, pk in (("s1", ["pa"], None), ("s2", ["pa"], None),
                                   ("s2", [], {"partner": "s1", "products": ["pa"]})):
        answers = []
        for pid in ("nosuch", "pa"):
            body_pk = {**pk, "products": [pid]} if pk else None
            r = w.session("m2", streamer, start, [pid] if products else [], body_pk)
            answers.append((r.status_code, error_code(r), r.json()["error"]["details"]))
            assert "not_approved" not in r.text and "deadline" not in r.text, r.text
        assert answers[0][:2] == (422, "unknown_reference"), answers
        assert answers[1] == answers[0], (streamer, answers)
    assert w.events_count() == before
    assert w.c("op").get("/v1/live-sessions").json()["live_sessions"] == []
    # the cart follows: m2 has no session holding pa to put it in
    r = w.c("s2").post("/v1/distributions", {"product": "pa"})
    assert r.status_code == 201, r.text
    s = w.session_ok("m2", "s2", start, ["pa"])
    assert s["accepted"] == ["pa"]
    assert w.cart(s["id"], "pa", who="m2").status_code == 200
    r = w.session("m2", "s1", start, ["pa"])  # distributed to s2, not to s1
    assert (r.status_code, error_code(r)) == (422, "unknown_reference"), r.text


def test_filing_writes_are_idempotent_by_key(server, w):
    """House rule: every write is idempotent by Idempotency-Key: a repeat answers the first
    answer (replayed) and creates nothing; the key with another body is 409
    idempotency_conflict."""
    w.products("m1", "pa", "pb")
    r1 = w.pk("m1", "s1", ["pa"], idem="pk-1")
    r2 = w.pk("m1", "s1", ["pa"], idem="pk-1")
    assert r1.status_code == r2.status_code == 201, r2.text
    assert r2.json()["replayed"] is True
    assert r2.json()["result"] == r1.json()["result"]
    r3 = w.pk("m1", "s1", ["pb"], idem="pk-1")
    assert r3.status_code == 409 and error_code(r3) == "idempotency_conflict", r3.text
    assert [f["product"] for f in w.filings("op")] == ["pa"]
    fid = r1.json()["result"]["filings"][0]["id"]
    s1 = w.act(fid, "submit", "m1", {"documents": []}, idem="sub-1")
    s2 = w.act(fid, "submit", "m1", {"documents": []}, idem="sub-1")
    assert s1.status_code == s2.status_code == 200, s2.text
    assert s2.json()["replayed"] is True and s2.json()["command_seq"] == s1.json()["command_seq"]
    assert history_actions(w.get(fid)).count("submitted") == 1
    assert len(w.events("filing.submitted")) == 1


def test_if_match_guards_filing_writes(server, w):
    """House rule (docs/api.md If-Match): a stale If-Match is 412 version_mismatch and changes
    nothing; the current ETag lets the write through; GET answers the ETag of the version."""
    w.product("m1", "pa")
    fid = w.pk_ok("m1", "s1", ["pa"])["pa"]["id"]
    got = w.c("m1").get(f"/v1/filings/{fid}")
    etag = got.headers["ETag"]
    assert etag == f'"{got.json()["version"]}"'
    r = w.act(fid, "submit", "m1", {"documents": []}, headers={"If-Match": '"99"'})
    assert r.status_code == 412 and error_code(r) == "version_mismatch", r.text
    assert w.get(fid)["status"] == "pending"
    r = w.act(fid, "submit", "m1", {"documents": []}, headers={"If-Match": etag})
    assert r.status_code == 200, r.text
    new = w.c("op").get(f"/v1/filings/{fid}").headers["ETag"]
    assert new != etag
    r = w.act(fid, "decision", "op", {"decision": "approve"}, headers={"If-Match": etag})
    assert r.status_code == 412 and error_code(r) == "version_mismatch", r.text
    assert w.get(fid)["status"] == "reviewing"
    r = w.act(fid, "decision", "op", {"decision": "approve"}, headers={"If-Match": new})
    assert r.status_code == 200 and r.json()["result"]["status"] == "approved", r.text


# --- more rules -------------------------------------------------------------------------------

def test_one_record_per_product_and_designated_streamer(server, w):
    """Issue "Filing records": one record per (product, designated streamer): the same product
    declared for two designated streamers has two records, each naming its streamer, and an
    approval for one streamer does not file the product for the other's session."""
    w.streamer("s3", designated=True)
    w.product("m1", "pa")
    w.file_and_approve("m1", "s3", ["pa"])
    mine = w.pk_ok("m1", "s1", ["pa"])["pa"]
    assert mine["status"] == "pending" and named(mine["streamer"], "s1")
    assert sorted(f["streamer"]["id"] for f in w.filings("m1", product="pa")) == ["s1", "s3"]
    (row,) = w.session_ok("m1", "s1", "2026-01-20T19:00:00+08:00", ["pa"])["products"]
    assert (row["accepted"], row["reason"], row["streamer"]) == (False, "not_approved", "s1")
    (row,) = w.session_ok("m1", "s3", "2026-01-20T19:00:00+08:00", ["pa"])["products"]
    assert (row["accepted"], row["reason"]) == (True, None)


def test_a_streamer_no_longer_designated_needs_no_filing(server, w):
    """RULES §4: filing applies only to designated streamers; the operators change the list at
    runtime: once s1 is no longer designated its sessions accept unfiled products, and a PK
    with it is refused."""
    w.product("m1", "pa")
    (row,) = w.session_ok("m1", "s1", "2026-01-20T19:00:00+08:00", ["pa"])["products"]
    assert row["reason"] == "not_filed"
    w.streamer("s1", designated=False)
    s = w.session_ok("m1", "s1", "2026-01-20T19:00:00+08:00", ["pa"])
    assert s["accepted"] == ["pa"] and s["products"][0]["reason"] is None
    r = w.pk("m1", "s1", ["pa"])
    assert r.status_code == 422 and error_code(r) == "streamer_not_designated", r.text


def test_a_streamer_designated_by_the_policy_is_checked_in_sessions(server, w):
    """Issue "Streamers": the policy may list designated streamers at start
    (filing.designated_streamers): a session of such a streamer needs filing."""
    activate(server, filing_policy("filing-s9", designated_streamers=[
        {"id": "s9", "nickname": "政策达人"}]))
    w.products("m1", "pa", "pb")
    w.file_and_approve("m1", "s9", ["pa"])
    s = w.session_ok("m1", "s9", "2026-01-20T19:00:00+08:00", ["pa", "pb"])
    rows = rows_by_product(s)
    assert rows["pa"]["accepted"] is True
    assert (rows["pb"]["accepted"], rows["pb"]["reason"]) == (False, "not_filed")


def test_giving_a_designated_streamer_a_store_files_its_products(server, w):
    """FILING.md: giving a designated streamer a store files the store's existing products
    (self_built); products the store creates later are filed at creation."""
    w.product("m2", "pold")
    w.streamer("s1", designated=True, merchant="m2")
    assert w.record("pold", "s1", "m2")["reasons"] == ["self_built"]
    w.product("m2", "pnew")
    assert w.record("pnew", "s1", "m2")["reasons"] == ["self_built"]


def test_the_history_says_who_when_what_and_why(server, w):
    """Issue "Filing records": a record keeps its history (who, when, what, why): each entry
    has its instant, action, from/to states and the actor; a decision's note is kept."""
    w.product("m1", "pa")
    fid = w.pk_ok("m1", "s1", ["pa"])["pa"]["id"]
    w.clock("2026-01-05T02:00:00Z")
    w.submit(fid, "m1")
    w.clock("2026-01-05T03:00:00Z")
    w.decide(fid, "reject", "缺少吊牌照片")
    hist = w.c("op").get(f"/v1/filings/{fid}/history").json()["history"]
    assert [(h["action"], h["from"], h["to"]) for h in hist] == [
        ("created", None, "pending"), ("submitted", "pending", "reviewing"),
        ("rejected", "reviewing", "rejected")]
    assert [h["at"] for h in hist] == ["2026-01-05T01:00:00Z", "2026-01-05T02:00:00Z",
                                       "2026-01-05T03:00:00Z"]
    assert [h["by"]["role"] for h in hist] == ["merchant:m1", "merchant:m1", "operator"]
    assert hist[0].get("reason") == "pk" and hist[2].get("note") == "缺少吊牌照片"


def test_a_record_answers_its_etag_and_304(server, w):
    """docs/api.md ETag: a single-object read answers ETag "<version>"; If-None-Match with it
    is 304 with no body, and a write makes the tag change."""
    w.product("m1", "pa")
    fid = w.pk_ok("m1", "s1", ["pa"])["pa"]["id"]
    r = w.c("m1").get(f"/v1/filings/{fid}")
    etag = r.headers["ETag"]
    r = w.c("m1").get(f"/v1/filings/{fid}", headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.content == b""
    w.submit(fid, "m1")
    r = w.c("m1").get(f"/v1/filings/{fid}", headers={"If-None-Match": etag})
    assert r.status_code == 200 and r.headers["ETag"] != etag


def test_a_new_nickname_gives_each_record_naming_the_streamer_a_new_version(server, w):
    """docs/filing.md Streamers: a new nickname is carried to every record naming the streamer,
    each one it changes with a new version and a filing.streamer_renamed event; docs/api.md
    ETag: the old tag no longer answers 304; Point in time: ?at= after the rename answers the
    record as the live read does, and before it the old nickname. Status and history stay; a
    record naming another streamer is untouched."""
    w.products("m1", "pa", "pb")
    w.streamer("s3", designated=True)
    fid = w.pk_ok("m1", "s1", ["pa"])["pa"]["id"]
    other = w.pk_ok("m1", "s3", ["pb"])["pb"]["id"]
    w.submit(fid, "m1")
    before = w.c("m1").get(f"/v1/filings/{fid}")
    other_before = w.get(other, "m1")
    w.clock("2026-01-05T02:00:00Z")
    r = w.put_streamer("s1", {"nickname": "改名", "designated": True})
    assert r.status_code == 200, r.text
    w.clock("2026-01-05T03:00:00Z")
    live = w.c("m1").get(f"/v1/filings/{fid}")
    rec, old = live.json(), before.json()
    assert rec["streamer"] == {"id": "s1", "nickname": "改名"}
    assert rec["version"] > old["version"] and live.headers["ETag"] != before.headers["ETag"]
    assert rec["updated_at"] == "2026-01-05T02:00:00Z"
    assert (rec["status"], rec["history"]) == (old["status"], old["history"])
    r = w.c("m1").get(f"/v1/filings/{fid}", headers={"If-None-Match": before.headers["ETag"]})
    assert r.status_code == 200 and r.json() == rec
    (ev,) = w.events("filing.streamer_renamed")
    assert ev["subject"] == fid and ev["merchant"] == "m1" and ev["payload"] == rec
    assert w.get(other, "m1") == other_before
    at = w.c("m1").get(f"/v1/filings/{fid}", params={"at": "2026-01-05T02:30:00Z"})
    assert at.status_code == 200 and at.json() == rec
    at = w.c("m1").get(f"/v1/filings/{fid}", params={"at": "2026-01-05T01:30:00Z"})
    assert at.status_code == 200 and at.json() == old
    # the same nickname again changes nothing
    r = w.put_streamer("s1", {"nickname": "改名", "designated": True})
    assert r.status_code == 200 and w.events("filing.streamer_renamed") == [ev]
    assert w.get(fid, "m1") == rec


def test_a_lottery_approval_holds_for_its_session_only(server, w):
    """RULES §4: the 0元购 pre-approval is given for an item in a session: another session of
    the same store and streamer still needs its own."""
    w.product("m1", "pfree", price_fen=0)
    w.file_and_approve("m1", "s1", ["pfree"])
    one = w.session_ok("m1", "s1", "2026-01-20T19:00:00+08:00", ["pfree"])
    two = w.session_ok("m1", "s1", "2026-01-21T19:00:00+08:00", ["pfree"])
    r = w.c("op").post("/v1/lottery-approvals", {"session": one["id"], "product": "pfree"})
    assert r.status_code == 201, r.text
    assert w.cart(one["id"], "pfree").status_code == 200
    r = w.cart(two["id"], "pfree")
    assert r.status_code == 422 and error_code(r) == "lottery_not_approved", r.text


def test_records_and_sessions_survive_a_restart(server, w):
    """House rule (state in SQLite): records, their history and sessions read the same after
    a restart, and the review goes on."""
    w.products("m1", "pa", "pb")
    recs = w.file_and_approve("m1", "s1", ["pa"])
    fid = w.pk_ok("m1", "s1", ["pb"])["pb"]["id"]
    w.submit(fid, "m1")
    s = w.session_ok("m1", "s1", "2026-01-20T19:00:00+08:00", ["pa", "pb"])
    before = (w.get(recs["pa"]["id"]), w.get(fid), w.filings("s1"))
    w.restart()
    assert (w.get(recs["pa"]["id"]), w.get(fid), w.filings("s1")) == before
    got = w.c("m1").get(f"/v1/live-sessions/{s['id']}")
    assert got.status_code == 200 and got.json()["accepted"] == ["pa"], got.text
    assert w.decide(fid)["status"] == "approved"


def test_a_pk_product_needs_filing_for_each_designated_side(server, w):
    """Issue "Live sessions": a product needs filing for the session's streamer when designated
    and for the PK partner when designated: a PK product approved for the session's streamer
    only is refused, naming the partner whose filing failed."""
    w.streamer("s3", designated=True)
    w.products("m1", "pboth", "pone")
    w.file_and_approve("m1", "s1", ["pboth", "pone"])
    w.file_and_approve("m1", "s3", ["pboth"])
    s = w.session_ok("m1", "s1", "2026-01-20T19:00:00+08:00", [],
                     pk={"partner": "s3", "products": ["pboth", "pone"]})
    rows = rows_by_product(s)
    assert (rows["pboth"]["accepted"], rows["pboth"]["reason"]) == (True, None)
    assert (rows["pone"]["accepted"], rows["pone"]["reason"]) == (False, "not_filed")
    assert rows["pone"]["streamer"] == "s3"
    assert s["accepted"] == ["pboth"]


def test_the_reviewing_list_pages_in_submission_order(server, w):
    """docs/api.md Lists + FILING.md: status=reviewing lists oldest submission first, for a
    store too; read a page at a time with after=next_after it gives every record once, in that
    order."""
    pids = ["pa", "pb", "pc", "pd"]
    w.products("m1", *pids)
    recs = w.pk_ok("m1", "s1", pids)
    order = ["pc", "pa", "pd", "pb"]
    for i, pid in enumerate(order):
        w.clock(f"2026-01-05T0{2 + i}:00:00Z")
        w.submit(recs[pid]["id"], "m1")
    expected = [recs[pid]["id"] for pid in order]
    for who in ("op", "m1"):
        assert [f["id"] for f in w.filings(who, status="reviewing")] == expected, who
        seen, after = [], None
        while True:
            params = {"status": "reviewing", "limit": 1}
            if after is not None:
                params["after"] = after
            page = w.c(who).get("/v1/filings", params=params).json()
            seen += [f["id"] for f in page["filings"]]
            if not page["has_more"]:
                break
            after = page["next_after"]
            assert len(seen) <= len(expected), seen
        assert seen == expected, who


def test_a_store_reads_its_filing_events_in_its_feed(server, w):
    """docs/api.md Event feed: a store reads the events whose merchant is its store: a filing
    event is about the product's store (and another store's feed does not show it)."""
    w.product("m1", "pa")
    fid = w.pk_ok("m1", "s1", ["pa"])["pa"]["id"]
    w.submit(fid, "m1")
    mine = w.c("m1").get("/v1/events", params={"type": "filing.submitted"}).json()["events"]
    assert [(e["merchant"], e["subject"]) for e in mine] == [("m1", fid)]
    theirs = w.c("m2").get("/v1/events", params={"type": "filing.submitted"}).json()["events"]
    assert theirs == []


def test_the_demo_shows_a_designated_streamer_a_record_in_review_and_an_approved_one():
    """Issue "Docs": the demo data has a designated streamer, a record in review and an
    approved one (the second start replays the demo: still one of each kind at least, no
    duplicate)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "sw.db")
        counts = []
        for _ in range(2):
            p, _, keys, base = serve_demo(db)
            try:
                get = lambda path: requests.get(  # noqa: E731
                    base + path, headers={"Authorization": "Bearer " + keys["operator"]},
                    timeout=10)
                r = get("/v1/filings")
                assert r.status_code == 200, r.text
                records = r.json()["filings"]
                statuses = [f["status"] for f in records]
                assert "reviewing" in statuses and "approved" in statuses, statuses
                for sid in {f["streamer"]["id"] for f in records}:
                    s = get(f"/v1/streamers/{sid}")
                    assert s.status_code == 200 and s.json()["designated"] is True, s.text
                queue = get("/v1/queue").json()["filings_in_review"]
                assert sorted(f["id"] for f in queue) == \
                    sorted(f["id"] for f in records if f["status"] == "reviewing")
                counts.append(len(records))
            finally:
                p.send_signal(signal.SIGTERM)
                assert p.wait(timeout=60) == 0
        assert counts[0] == counts[1]
