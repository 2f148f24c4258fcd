#!/usr/bin/env python3
"""A mixed command log for the replay benchmark, as `shopwarden apply` NDJSON: per store, its
creation and deposit, products created and listed, plain edits, edits that bring an external
diversion on sale (a violation, a deduction, a ban, a store restricted then topped up again),
a quick-promotion order, impressions and a paid order from the feeds.
   gen.py N  (about N commands)"""
import json
import sys

WECHAT = "加微信 abc12345 了解更多"
COMPLETE = {"production_date": "2026-11-01", "quality_cert": "SC-2026", "manufacturer": "赣州果园"}


def out(type_, payload):
    sys.stdout.write(json.dumps({"type": type_, "payload": payload}, ensure_ascii=False) + "\n")


def store(i, promo):
    m = f"m{i}"
    out("merchant.create", {"id": m, "name": f"store {i}", "categories": ["fresh.fruit"]})
    out("deposit.top_up", {"id": m, "amount_fen": 10_000_000, "ref": f"open-{i}"})
    n = 0
    for j in range(8):
        p = f"p{i}-{j}"
        out("product.create", {"id": p, "merchant": m, "title": f"赣南脐橙 {j} 号 5kg",
                               "category": "fresh.fruit", "price_fen": 5990 + j, "stock": 10,
                               **COMPLETE})
        out("product.list", {"id": p})
        out("product.update", {"id": p, "price_fen": 6990 + j})
        n += 3
    out("product.update", {"id": f"p{i}-7", "detail": WECHAT})
    out("deposit.top_up", {"id": m, "amount_fen": 200_000, "ref": f"back-{i}"})
    out("promotion.create", {"merchant": m, "product": f"p{i}-0", "price_fen": 50_000,
                             "estimated_exposure": 10_000, "duration_hours": 24})
    out("impressions.ingest", {"impressions": [
        {"impression_id": f"i{i}-{k}", "promotion": f"pr{promo}", "at": "2026-12-01T00:00:00Z"}
        for k in range(5)]})
    out("order.event", {"event_id": f"e{i}", "order_id": f"o{i}", "merchant": m,
                        "status": "paid", "at": "2026-12-01T00:00:00Z"})
    return n + 7


def main():
    target = int(sys.argv[1])
    done, i = 0, 0
    while done < target:
        i += 1
        done += store(i, i)


main()
