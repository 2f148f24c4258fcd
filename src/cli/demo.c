/* The demo data set of `shopwarden serve --demo`: stores, products, violations, promotions,
 * filings, a badge, affiliate orders and a statement, queue notes, and a key per role, all
 * through the engine's commands (idempotent by key, so a restart loads nothing twice). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/log.h"
#include "base/pii.h"
#include "cli/cli.h"
#include "http/http.h"

/* The demo keys are derived from a random seed kept in the database, so every `make run`
 * on the same database prints the same keys, and no two databases share them. */
static void demo_key(const char *seed, const char *role, char out[64])
{
    unsigned char h[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)seed, strlen(seed));
    crypto_generichash_update(&st, (const unsigned char *)role, strlen(role));
    crypto_generichash_final(&st, h, sizeof h);
    memcpy(out, "sw_", 3);
    sodium_bin2base64(out + 3, 61, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* A command sent as `actor` (the demo loader is "cli"; filing writes are a store's own);
 * *result (may be NULL) receives the result. */
static int submit_as(struct sw_engine *e, const char *actor, const char *type, const char *idem,
                     json_t *payload, json_t **result)
{
    struct sw_cmd cmd = {.type = type,
                         .actor = actor,
                         .actor_label = "shopwarden serve --demo",
                         .idem_key = idem,
                         .payload = payload};
    int rc = sw_engine_execute(e, &cmd);
    if (rc)
        sw_cli_error("demo: %s: %s", type, cmd.err.msg);
    else if (result)
        *result = json_incref(cmd.result);
    sw_cmd_release(&cmd);
    json_decref(payload);
    return rc;
}

/* Submits a command as the demo loader; when id is not NULL, copies the id of what it created
 * (and, when field is not NULL, that string field of the result into extra, 32 bytes). */
static int submit_get(struct sw_engine *e, const char *type, const char *idem, json_t *payload,
                      char *id, size_t cap, const char *field, char *extra)
{
    json_t *res = NULL;
    int rc = submit_as(e, "cli", type, idem, payload, &res);
    if (rc == SW_OK && id)
        snprintf(id, cap, "%s", json_string_value(json_object_get(res, "id")));
    if (rc == SW_OK && field) {
        const char *v = json_string_value(json_object_get(res, field));
        snprintf(extra, 32, "%s", v ? v : "");
    }
    json_decref(res);
    return rc;
}

static int submit(struct sw_engine *e, const char *type, const char *idem, json_t *payload)
{
    return submit_get(e, type, idem, payload, NULL, 0, NULL, NULL);
}

/* A paid order of m2 whose buyer is masked and sealed by the server's own path (the one the
 * HTTP adapter takes), two tracking events, and m2's grant to the demo app. */
static int demo_orders(struct sw_engine *e, const unsigned char pk[SW_PII_PUBLIC_KEY_BYTES])
{
    json_t *order =
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:[{s:s,s:i,s:i}],s:{s:i,s:i},s:{s:s,s:s,s:s}}", "event_id",
                  "demo-o1-paid", "order_id", "o1", "merchant", "m2", "status", "paid", "at",
                  "2026-11-20T10:00:00+08:00", "items", "product", "p3", "quantity", 1, "price_fen",
                  5990, "amounts", "total_fen", 5990, "paid_fen", 5990, "buyer", "name", "李小龙",
                  "phone", "13912345678", "address", "广东省佛山市顺德区大良街道 8 号");
    struct sw_error err;
    if (sw_pii_seal_buyer(pk, order, &err) != SW_OK) {
        sw_cli_error("demo: order.event: %s", err.msg);
        json_decref(order);
        return 1;
    }
    int rc = submit(e, "order.event", "demo|order|o1", order);
    static const char *const track[][3] = {
        {"demo-t2", "2026-11-21T08:30:00+08:00", "in_transit"},
        {"demo-t1", "2026-11-20T18:00:00+08:00", "picked_up"},
    };
    char idem[64];
    for (int i = 0; rc == 0 && i < 2; i++) {
        snprintf(idem, sizeof idem, "demo|track|%s", track[i][0]);
        rc = submit(e, "order.logistics", idem,
                    json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", "o1", "event_id", track[i][0], "at",
                              track[i][1], "status", track[i][2], "carrier", "顺丰速运"));
    }
    return rc ? rc
              : submit(e, "grant.set", "demo|grant|erp1",
                       json_pack("{s:s,s:s,s:b}", "id", "m2", "app", "erp1", "granted", 1));
}

/* A qualification of a store, submitted and approved. */
static int demo_qualify(struct sw_engine *e, const char *merchant, const char *code)
{
    char idem[128], id[32];
    snprintf(idem, sizeof idem, "demo|qualification|%s|%s", merchant, code);
    char doc[128];
    snprintf(doc, sizeof doc, "f/%s-%s.pdf", merchant, code);
    if (submit_get(e, "qualification.submit", idem,
                   json_pack("{s:s,s:s,s:[s],s:s}", "merchant", merchant, "code", code, "documents",
                             doc, "expires_on", "2027-12-31"),
                   id, sizeof id, NULL, NULL))
        return 1;
    snprintf(idem, sizeof idem, "demo|qualification|%s|%s|approve", merchant, code);
    return submit(e, "qualification.decide", idem,
                  json_pack("{s:s,s:s,s:s}", "id", id, "decision", "approve", "note", "证照齐全"));
}

/* Industry qualifications: m1's cosmetics filing and m2's food licences, approved; m3's CCC
 * certificate waiting in the operators' queue. */
static int demo_qualifications(struct sw_engine *e)
{
    static const char *const m2_codes[] = {"business_license", "food_business_license",
                                           "origin_certificate"};
    if (demo_qualify(e, "m1", "cosmetics_filing"))
        return 1;
    for (size_t i = 0; i < sizeof m2_codes / sizeof m2_codes[0]; i++)
        if (demo_qualify(e, "m2", m2_codes[i]))
            return 1;
    return submit(e, "qualification.submit", "demo|qualification|m3",
                  json_pack("{s:s,s:s,s:[s],s:s}", "merchant", "m3", "code", "ccc_certificate",
                            "documents", "f/m3-ccc.pdf", "expires_on", "2028-06-30"));
}

/* Quick promotion: m2's oranges running (1,200 impressions counted), its lychees abnormal
 * (delisted after the purchase), and m3's cable review_failed (no CCC certificate approved). */
static int demo_promotions(struct sw_engine *e)
{
    static const struct {
        const char *merchant, *product;
        json_int_t price_fen, exposure, hours;
    } orders[] = {{"m2", "p3", 50000, 20000, 72},
                  {"m2", "p6", 30000, 10000, 48},
                  {"m3", "p4", 20000, 5000, 24}};
    char idem[64], id[3][32], at[32];
    for (size_t i = 0; i < 3; i++) {
        snprintf(idem, sizeof idem, "demo|promotion|%s", orders[i].product);
        if (submit_get(e, "promotion.create", idem,
                       json_pack("{s:s,s:s,s:I,s:I,s:I}", "merchant", orders[i].merchant, "product",
                                 orders[i].product, "price_fen", orders[i].price_fen,
                                 "estimated_exposure", orders[i].exposure, "duration_hours",
                                 orders[i].hours),
                       id[i], sizeof id[i], i == 0 ? "started_at" : NULL, at))
            return 1;
    }
    if (submit(e, "product.delist", "demo|delist|p6", json_pack("{s:s}", "id", "p6")))
        return 1;
    /* shown when the order started: the same request on every run (a replay) */
    json_t *batch = json_array();
    for (int i = 0; i < 1200; i++) {
        char imp[32];
        snprintf(imp, sizeof imp, "demo-imp-%04d", i);
        json_array_append_new(
            batch, json_pack("{s:s,s:s,s:s}", "impression_id", imp, "promotion", id[0], "at", at));
    }
    return submit(e, "impressions.ingest", "demo|impressions",
                  json_pack("{s:o}", "impressions", batch));
}

/* Designated streamer s1 (小颜) of store m1: its products filed (self_built, then declared in a
 * PK); p1's record approved, p2's in review; a live session on 2026-12-10 that accepts p1 and
 * refuses p2. */
static int demo_filing(struct sw_engine *e)
{
    json_t *pk = NULL;
    if (submit(e, "streamer.put", "demo|streamer|s1",
               json_pack("{s:s,s:s,s:b,s:s}", "id", "s1", "nickname", "小颜", "designated", 1,
                         "merchant", "m1")) ||
        submit_as(e, "merchant:m1", "filing.pk", "demo|pk|s1",
                  json_pack("{s:s,s:s,s:[ss],s:s}", "merchant", "m1", "streamer", "s1", "products",
                            "p1", "p2", "reason", "双十二连麦 PK"),
                  &pk))
        return 1;
    const json_t *fs = json_object_get(pk, "filings");
    char f1[32], f2[32];
    snprintf(f1, sizeof f1, "%s", json_string_value(json_object_get(json_array_get(fs, 0), "id")));
    snprintf(f2, sizeof f2, "%s", json_string_value(json_object_get(json_array_get(fs, 1), "id")));
    json_decref(pk);
    const char *docs = "cosmetics_filing_receipt";
    int rc =
        submit_as(e, "merchant:m1", "filing.submit", "demo|filing|submit|p1",
                  json_pack("{s:s,s:[s]}", "id", f1, "documents", docs), NULL) ||
        submit(e, "filing.decide", "demo|filing|approve|p1",
               json_pack("{s:s,s:s,s:s}", "id", f1, "decision", "approve", "note", "资料齐全")) ||
        submit_as(e, "merchant:m1", "filing.submit", "demo|filing|submit|p2",
                  json_pack("{s:s,s:[s]}", "id", f2, "documents", docs), NULL) ||
        submit_as(e, "merchant:m1", "live_session.create", "demo|live|s1",
                  json_pack("{s:s,s:s,s:s,s:[ss]}", "merchant", "m1", "streamer", "s1", "start",
                            "2026-12-10T12:00:00Z", "products", "p1", "p2"),
                  NULL);
    return rc;
}

/* Assurance badge: m2 (fresh food) offers the base services and 坏单包赔 and has activated its
 * badge: p3, whose own after_sales cover them, is tagged, p6 lacks 坏单包赔; m3 offers the
 * base services, is eligible and has its reminder waiting. */
static int demo_badge(struct sw_engine *e)
{
    static const char *const base[] = {"seven_day_return", "authenticity_guarantee",
                                       "return_shipping_insurance", "doorstep_pickup",
                                       "fast_refund_unshipped"};
    json_t *m2 = json_array(), *m3 = json_array();
    for (size_t i = 0; i < sizeof base / sizeof base[0]; i++) {
        json_array_append_new(m2, json_string(base[i]));
        json_array_append_new(m3, json_string(base[i]));
    }
    json_array_append_new(m2, json_string("bad_item_compensation"));
    json_t *p3 = json_deep_copy(m2);
    return submit(e, "product.update", "demo|badge|p3",
                  json_pack("{s:s,s:o}", "id", "p3", "after_sales", p3)) ||
           submit(e, "badge.services_set", "demo|badge|services|m2",
                  json_pack("{s:s,s:o}", "merchant", "m2", "services", m2)) ||
           submit_as(e, "merchant:m2", "badge.activate", "demo|badge|activate|m2",
                     json_pack("{s:s}", "merchant", "m2"), NULL) ||
           submit(e, "badge.services_set", "demo|badge|services|m3",
                  json_pack("{s:s,s:o}", "merchant", "m3", "services", m3));
}

/* One affiliate event of promoter pr1's orders (store m2, item p3). */
static json_t *aff_event(const char *id, const char *type, const char *order, const char *at)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "event_id", id, "type", type, "order", order,
                     "promoter", "pr1", "merchant", "m2", "item", "p3", "at", at);
}

static json_t *aff_paid(const char *id, const char *order, const char *at, const char *buyer)
{
    json_t *e = aff_event(id, "paid", order, at);
    json_object_set_new(e, "amount_fen", json_integer(12345));
    json_object_set_new(e, "rate_bp", json_integer(500));
    json_object_set_new(e, "buyer", json_pack("{s:s}", "id", buyer));
    return e;
}

static json_t *aff_confirmed(const char *id, const char *order, const char *at)
{
    json_t *e = aff_event(id, "receipt_confirmed", order, at);
    json_object_set_new(e, "settled_amount_fen", json_integer(12345));
    return e;
}

/* Affiliate: promoter pr1's orders in every state (paid, confirmed, settled by the issued
 * October statement with a rights case clawed back since, refunded, cancelled, a self-purchase
 * flagged for review) and a receipt held for its payment. */
static int demo_affiliate(struct sw_engine *e)
{
    json_t *events = json_array();
    json_array_append_new(events, aff_paid("d-a1", "a-paid", "2026-11-20T02:00:00Z", "u1"));
    json_array_append_new(events, aff_paid("d-b1", "a-settled", "2026-10-02T02:00:00Z", "u2"));
    json_array_append_new(events, aff_confirmed("d-b2", "a-settled", "2026-10-09T02:00:00Z"));
    json_array_append_new(events, aff_paid("d-c1", "a-confirmed", "2026-11-02T02:00:00Z", "u3"));
    json_array_append_new(events, aff_confirmed("d-c2", "a-confirmed", "2026-11-09T02:00:00Z"));
    json_array_append_new(events, aff_paid("d-d1", "a-refunded", "2026-11-03T02:00:00Z", "u4"));
    json_array_append_new(events,
                          aff_event("d-d2", "refund", "a-refunded", "2026-11-04T02:00:00Z"));
    json_array_append_new(events,
                          aff_event("d-e1", "created", "a-cancelled", "2026-11-05T02:00:00Z"));
    json_array_append_new(events,
                          aff_event("d-e2", "cancelled", "a-cancelled", "2026-11-06T02:00:00Z"));
    json_array_append_new(events, aff_paid("d-f1", "a-flagged", "2026-11-07T02:00:00Z", "pr1"));
    json_array_append_new(events, aff_confirmed("d-g2", "a-held", "2026-11-10T02:00:00Z"));
    json_t *rights = aff_event("d-b3", "rights_case", "a-settled", "2026-11-15T02:00:00Z");
    json_object_set_new(rights, "case", json_string("c1"));
    json_object_set_new(rights, "state", json_string("succeeded"));
    json_object_set_new(rights, "refund_fen", json_integer(2000));
    return submit(e, "affiliate.ingest", "demo|affiliate|1",
                  json_pack("{s:o}", "events", events)) ||
           submit(e, "affiliate.statements", "demo|affiliate|statement|2026-10",
                  json_pack("{s:s}", "month", "2026-10")) ||
           submit(e, "affiliate.ingest", "demo|affiliate|2",
                  json_pack("{s:[o]}", "events", rights));
}

/* The demo's keys, one per role, derived from the seed: created (idempotently), or printed
 * as "  ROLE  ID  KEY" lines for the banner. */
static int demo_keys(struct sw_engine *e, const char *seed, bool print)
{
    static const char *const roles[] = {"admin",        "operator",    "ingest",   "merchant:m1",
                                        "merchant:m2",  "merchant:m3", "app:erp1", "streamer:s1",
                                        "promoter:pr1", "analyst:a1"};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        char key[64], id[64], idem[128], hex[65];
        unsigned char h[32];
        demo_key(seed, roles[i], key);
        snprintf(id, sizeof id, "demo-%s", roles[i]);
        for (char *q = id; *q; q++)
            if (*q == ':')
                *q = '-';
        if (print) {
            printf("  %-12s %-18s %s\n", roles[i], id, key);
            continue;
        }
        sw_key_hash(key, h);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        snprintf(idem, sizeof idem, "demo|key|%s", roles[i]);
        if (submit(e, "key.create", idem,
                   json_pack("{s:s,s:s,s:s}", "id", id, "role", roles[i], "hash", hex)))
            return 1;
    }
    return 0;
}

int sw__cli_load_demo(struct sw_app *app, const char *base_url,
                      const unsigned char pk[SW_PII_PUBLIC_KEY_BYTES])
{
    struct sw_engine *e = app->engine;
    /* The first run's random seed is the result of the idempotent demo.seed command, so later
     * runs get the same seed back (a replay) and print the same keys. */
    unsigned char raw[32];
    char fresh[65];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(fresh, sizeof fresh, raw, sizeof raw);
    json_t *p = json_pack("{s:s}", "seed", fresh);
    struct sw_cmd sc = {.type = "demo.seed",
                        .actor = "cli",
                        .actor_label = "shopwarden serve --demo",
                        .idem_key = "demo|seed",
                        .payload = p};
    int rc = sw_engine_execute(e, &sc);
    json_decref(p);
    if (rc) {
        sw_cli_error("demo: %s", sc.err.msg);
        return 1;
    }
    char seed[65];
    snprintf(seed, sizeof seed, "%s", json_string_value(json_object_get(sc.result, "seed")));
    sw_cmd_release(&sc);
    static const struct {
        const char *id, *name, *cat;
        json_int_t deposit_fen; /* the category's requirement: the stores start active */
    } merchants[] = {
        {"m1", "颜夕美妆旗舰店", "beauty.skincare", 2000000},
        {"m2", "果园直发生鲜", "fresh.fruit", 1000000},
        {"m3", "极客数码", "digital.phones", 5000000},
    };
    static const struct {
        const char *id, *merchant, *title, *cat, *brand, *detail;
        int price;
    } products[] = {
        {"p1", "m1", "烟酰胺身体乳 200ml", "beauty.skincare", "颜夕", "清爽不黏腻", 6900},
        {"p2", "m1", "玻尿酸补水面膜 10片", "beauty.skincare", "颜夕", "补水保湿", 9900},
        {"p3", "m2", "赣南脐橙 5kg 礼盒", "fresh.fruit", "果园", "产地直发", 5990},
        {"p4", "m3", "Type-C 数据线 1米", "digital.phones", "极客", "支持快充 66W", 1990},
        {"p6", "m2", "妃子笑荔枝 2.5kg", "fresh.fruit", "果园", "产地直发 冷链到家", 8990},
        /* listed clean, then edited into what the scanner objects to (below) */
        {"p5", "m1", "眼霜 15g", "beauty.skincare", "颜夕", "滋润眼周", 12900},
        /* a draft whose findings keep it off sale (audit before publication) */
        {"p7", "m1", "眼部精华 30ml", "beauty.skincare", "颜夕", "领券加微信 yanxi_99", 15900},
    };
    char idem[128];
    for (size_t i = 0; i < sizeof merchants / sizeof merchants[0]; i++) {
        snprintf(idem, sizeof idem, "demo|merchant|%s", merchants[i].id);
        if (submit(e, "merchant.create", idem,
                   json_pack("{s:s,s:s,s:[s]}", "id", merchants[i].id, "name", merchants[i].name,
                             "categories", merchants[i].cat)))
            return 1;
        char ref[64];
        snprintf(ref, sizeof ref, "demo-deposit-%s", merchants[i].id);
        snprintf(idem, sizeof idem, "demo|deposit|%s", merchants[i].id);
        if (submit(e, "deposit.top_up", idem,
                   json_pack("{s:s,s:I,s:s}", "id", merchants[i].id, "amount_fen",
                             merchants[i].deposit_fen, "ref", ref)))
            return 1;
    }
    for (size_t i = 0; i < sizeof products / sizeof products[0]; i++) {
        snprintf(idem, sizeof idem, "demo|product|%s", products[i].id);
        if (submit(e, "product.create", idem,
                   json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:s,s:s,s:s,s:[ss]}", "id",
                             products[i].id, "merchant", products[i].merchant, "title",
                             products[i].title, "category", products[i].cat, "brand",
                             products[i].brand, "detail", products[i].detail, "price_fen",
                             products[i].price, "freight_fen", 0, "stock", 100, "production_date",
                             "2026-09-01", "quality_cert", "QC-2026-001", "manufacturer",
                             "示例制造有限公司", "after_sales", "seven_day_return",
                             "authenticity_guarantee")))
            return 1;
        if (strcmp(products[i].id, "p7") == 0)
            continue; /* listing_blocked until an edit clears its findings */
        snprintf(idem, sizeof idem, "demo|list|%s", products[i].id);
        if (submit(e, "product.list", idem, json_pack("{s:s}", "id", products[i].id)))
            return 1;
    }
    /* An edit of a listed product that the scanner objects to: the WeChat id is external
     * diversion (banned at once, deducted), the claim a queued exaggerated_efficacy. */
    if (submit(e, "product.update", "demo|edit|p5",
               json_pack("{s:s,s:s}", "id", "p5", "detail", "三天消除黑眼圈,售后加 V 信 yanxi_88")))
        return 1;
    /* The keys come after the stores (a store's key names an existing store) and before
     * the orders (the grant names an app that has a key). */
    if (demo_keys(e, seed, false) || demo_orders(e, pk) || demo_qualifications(e) ||
        demo_promotions(e) || demo_filing(e) || demo_badge(e) || demo_affiliate(e))
        return 1;
    /* An internal note on m1 (staff only, docs/queue.md: GET /v1/notes?subject=m1). */
    if (submit(e, "note.add", "demo|note|m1",
               json_pack("{s:s,s:s}", "subject", "m1", "text",
                         "demo: p5 was edited into external diversion; watch its next edits")))
        return 1;
    /* A re-inspection of what is on sale: the scheduler runs it (GET /v1/admin/rescans/r1). */
    if (submit(e, "rescan.start", "demo|rescan",
               json_pack("{s:s}", "note", "demo: re-inspect what is on sale")))
        return 1;
    printf("demo data: merchants m1 m2 m3 with their deposits, products p1-p4 listed (p6 listed, "
           "then delisted); p5 was "
           "listed, then edited into external diversion and banned (m1 is now restricted below "
           "its deposit; see GET /v1/queue); p7 is a draft whose findings block its listing; "
           "rescan r1 re-inspects what is on sale (GET /v1/admin/rescans/r1); order o1 of m2 with "
           "tracking, granted to app erp1; m1's cosmetics_filing "
           "and m2's food qualifications approved, m3's ccc_certificate in review; quick "
           "promotion: pr1 running (1,200 impressions), pr2 abnormal (p6 delisted), pr3 "
           "review_failed (GET /v1/promotions); filing: designated streamer s1 of m1, p1's record "
           "approved, p2's in review, live session ls1 on 2026-12-10 (GET /v1/filings, "
           "/v1/live-sessions/ls1); assurance badge: m2 active (p3 tagged, p6 lacks 坏单包赔), m3 "
           "eligible with its reminder waiting (GET /v1/merchants/m2/badge); affiliate: promoter "
           "pr1's "
           "orders in every state, one flagged, one receipt held, statement st-pr1-2026-10 issued "
           "(GET /v1/affiliate/orders)\ndemo API keys "
           "(Authorization: Bearer <key>), by role and key id (the audit log names the id); "
           "they derive from a seed kept in the database, so anyone who can read the database "
           "file can recompute them: demo data only, never production:\n");
    if (demo_keys(e, seed, true))
        return 1;
    printf("try: curl -H 'Authorization: Bearer <operator key>' %s/v1/products/p1\n", base_url);
    return 0;
}
