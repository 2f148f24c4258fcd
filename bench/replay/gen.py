#!/usr/bin/env python3
"""A mixed command log for the replay benchmark, as `shopwarden apply` NDJSON, every module's
commands in it (issue 17: "a log of mixed commands, every module"). Per store:
- catalog and deposit: its creation and deposit, 8 products created, listed and edited;
- violations, deposit and appeals: an edit that brings an external diversion on sale (a
  violation, a deduction, a ban, the store restricted), an appeal and its decision (every other
  store's upheld: the deduction refunded), a top-up;
- qualifications: one submitted and approved;
- quick promotion: an order, 5 impressions;
- order access: a paid order from the order feed, a grant to an app, two tracking events;
- designated-streamer filing: a designated streamer (a record for each of the store's products,
  f<n> 8 a store), a PK naming one product, whose record is submitted and approved;
- assurance badge: the store's services set;
- affiliate: a feed batch of 4 events (two orders paid through a promoter's link, one confirmed,
  one partly refunded).
Ids the engine gives (violations v<n>, appeals a<n>, qualifications q<n>, filings f<n>) are in
the order of the stores, one of each per store. `--catalog-only` writes the older log (catalog,
deposit, violation, promotion, impressions and order only) for a comparison with earlier runs.
   gen.py N [--catalog-only]  (about N commands)"""
import json
import sys

WECHAT = "加微信 abc12345 了解更多"
COMPLETE = {"production_date": "2026-11-01", "quality_cert": "SC-2026", "manufacturer": "赣州果园"}
AT = "2026-12-01T00:00:00Z"


def out(type_, payload, actor=None):
    cmd = {"type": type_, "payload": payload}
    if actor:
        cmd["actor"] = actor
    sys.stdout.write(json.dumps(cmd, ensure_ascii=False) + "\n")


def catalog(i, m):
    n = 0
    for j in range(8):
        p = f"p{i}-{j}"
        out("product.create", {"id": p, "merchant": m, "title": f"赣南脐橙 {j} 号 5kg",
                               "category": "fresh.fruit", "price_fen": 5990 + j, "stock": 10,
                               **COMPLETE})
        out("product.list", {"id": p})
        out("product.update", {"id": p, "price_fen": 6990 + j})
        n += 3
    return n


def every_module(i, m):
    out("appeal.create", {"violation": f"v{i}", "reason": "微信号是旧图残留，已删除",
                          "evidence": [f"f/{m}-screenshot.png"]})
    out("appeal.decide", {"id": f"a{i}", "decision": "uphold" if i % 2 else "reject",
                          "note": "复核结论"})
    out("qualification.submit", {"merchant": m, "code": "origin_certificate",
                                 "documents": [f"f/{m}-origin.pdf"], "expires_on": "2027-12-31"})
    out("qualification.decide", {"id": f"q{i}", "decision": "approve", "note": "证照齐全"})
    out("grant.set", {"id": m, "app": "erp1", "granted": True})
    for k, status in enumerate(("picked_up", "in_transit")):
        out("order.logistics", {"id": f"o{i}", "event_id": f"t{i}-{k}", "at": AT,
                                "status": status, "carrier": "顺丰速运"})
    out("streamer.put", {"id": f"s{i}", "nickname": f"主播{i}", "designated": True,
                         "merchant": m})
    out("filing.pk", {"merchant": m, "streamer": f"s{i}", "products": [f"p{i}-1"],
                      "reason": "连麦 PK"}, actor=f"merchant:{m}")
    f = f"f{(i - 1) * 8 + 2}"  # a designated streamer's store gets a record per product
    out("filing.submit", {"id": f, "documents": ["origin_certificate"]}, actor=f"merchant:{m}")
    out("filing.decide", {"id": f, "decision": "approve", "note": "资料齐全"})
    out("badge.services_set", {"merchant": m, "services": [
        "seven_day_return", "authenticity_guarantee", "return_shipping_insurance"]})
    promoter = f"pr{i % 50}"
    ev = [{"event_id": f"ae{i}-1", "type": "paid", "order": f"ao{i}-1", "promoter": promoter,
           "merchant": m, "item": f"p{i}-2", "at": AT, "amount_fen": 6992, "rate_bp": 500,
           "buyer": {"id": f"u{i}-1"}},
          {"event_id": f"ae{i}-2", "type": "paid", "order": f"ao{i}-2", "promoter": promoter,
           "merchant": m, "item": f"p{i}-3", "at": AT, "amount_fen": 6993, "rate_bp": 500,
           "buyer": {"id": f"u{i}-2"}},
          {"event_id": f"ae{i}-3", "type": "receipt_confirmed", "order": f"ao{i}-1",
           "promoter": promoter, "merchant": m, "item": f"p{i}-2", "at": AT,
           "settled_amount_fen": 6992},
          {"event_id": f"ae{i}-4", "type": "partial_refund", "order": f"ao{i}-2",
           "promoter": promoter, "merchant": m, "item": f"p{i}-3", "at": AT,
           "amount_fen": 1000}]
    out("affiliate.ingest", {"events": ev})
    return 13


def store(i, every):
    m = f"m{i}"
    out("merchant.create", {"id": m, "name": f"store {i}", "categories": ["fresh.fruit"]})
    out("deposit.top_up", {"id": m, "amount_fen": 10_000_000, "ref": f"open-{i}"})
    n = catalog(i, m)
    out("product.update", {"id": f"p{i}-7", "detail": WECHAT})
    out("deposit.top_up", {"id": m, "amount_fen": 200_000, "ref": f"back-{i}"})
    out("promotion.create", {"merchant": m, "product": f"p{i}-0", "price_fen": 50_000,
                             "estimated_exposure": 10_000, "duration_hours": 24})
    out("impressions.ingest", {"impressions": [
        {"impression_id": f"i{i}-{k}", "promotion": f"pr{i}", "at": AT} for k in range(5)]})
    out("order.event", {"event_id": f"e{i}", "order_id": f"o{i}", "merchant": m,
                        "status": "paid", "at": AT})
    return n + 7 + (every_module(i, m) if every else 0)


def main():
    target = int(sys.argv[1])
    every = "--catalog-only" not in sys.argv[2:]
    done, i = 0, 0
    if every:  # the app the stores grant their orders to
        out("key.create", {"id": "bench-app-erp1", "role": "app:erp1", "hash": "0" * 64})
        done += 1
    while done < target:
        i += 1
        done += store(i, every)


main()
