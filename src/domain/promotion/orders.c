/* Quick promotion: the orders' commands, timers and the re-checks that other modules' events
 * trigger (promotion.h states the rules). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/catalog/catalog.h"
#include "domain/domain.h"
#include "domain/promotion/promotion_int.h"

#define NOTE_MAX 4000
#define EXPOSURE_MAX INT64_C(1000000000000)
#define HOURS_MAX 8760 /* a year */
#define RECHECK_PAGE 256

static void timer_key(const char *kind, int64_t rid, char out[64])
{
    snprintf(out, 64, "%s:pr%" PRId64, kind, rid);
}

static int schedule(struct sw_ctx *ctx, const struct sw_promotion_row *p, const char *kind,
                    sw_instant due, struct sw_error *err)
{
    char key[64], id[SW_PROMO_ID_BUF];
    timer_key(kind, p->rid, key);
    sw__promo_id(p->rid, id);
    return sw_ctx_schedule(ctx, key, due, kind, p->merchant, id, json_pack("{s:s}", "id", id), err);
}

static int cancel(struct sw_ctx *ctx, int64_t rid, const char *kind, struct sw_error *err)
{
    char key[64];
    timer_key(kind, rid, key);
    return sw_ctx_cancel_timer(ctx, key, err);
}

/* The seq of the command's last event (just emitted). */
static int64_t last_seq(const struct sw_ctx *ctx)
{
    return ctx->last_event_seq;
}

static int emit(struct sw_ctx *ctx, const struct sw_promotion_row *p, const char *event,
                const char *cause, struct sw_error *err)
{
    char id[SW_PROMO_ID_BUF];
    sw__promo_id(p->rid, id);
    json_t *payload = sw__promo_render(p, NULL, ctx->now);
    json_object_set_new(payload, "cause", json_string(cause));
    return sw_ctx_emit(ctx, event, p->merchant, id, payload, err);
}

static int record(struct sw_ctx *ctx, const struct sw_promotion_row *p, const char *from,
                  const char *cause, struct sw_error *err)
{
    int64_t n = 0;
    int rc = sw_sql_promotion_history_count(ctx->conn, p->rid, &n, err);
    if (rc)
        return rc;
    struct sw_promotion_history_row h = {.promotion = p->rid,
                                         .n = n + 1,
                                         .at = ctx->now,
                                         .reasons = p->reasons,
                                         .event_seq = last_seq(ctx)};
    snprintf(h.from_status, sizeof h.from_status, "%s", from ? from : "");
    snprintf(h.to_status, sizeof h.to_status, "%s", p->status);
    snprintf(h.cause, sizeof h.cause, "%s", cause);
    return sw_sql_promotion_history_add(ctx->conn, &h, err);
}

int sw__promo_load(struct sw_ctx *ctx, int64_t rid, struct sw_promotion_row *p,
                   struct sw_error *err)
{
    bool found = false;
    int rc = sw_sql_promotion_get(ctx->conn, rid, p, &found, err);
    if (rc == SW_OK && !found)
        rc = sw_fail(err, SW_E_NOT_FOUND, "id", "unknown promotion 'pr%" PRId64 "'", rid);
    return rc;
}

/* The order a command names: a store's key sees only its own (others are not_found). */
static int load_named(struct sw_ctx *ctx, const char *id, struct sw_promotion_row *p,
                      struct sw_error *err)
{
    int64_t rid;
    if (!sw_promotion_parse_id(id, &rid))
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown promotion '%s'", id);
    int rc = sw__promo_load(ctx, rid, p, err);
    const char *own = sw_actor_merchant(ctx->actor);
    if (rc == SW_OK && own && strcmp(own, p->merchant) != 0) {
        sw_promotion_row_release(p);
        rc = sw_fail(err, SW_E_NOT_FOUND, "id", "unknown promotion '%s'", id);
    }
    return rc;
}

static int refusal(int code, const struct sw_promotion_row *p, const char *what,
                   struct sw_error *err)
{
    char id[SW_PROMO_ID_BUF];
    sw__promo_id(p->rid, id);
    if (code == SW_E_PROMOTION_NOT_PAUSABLE)
        return sw_fail(err, code, "id",
                       "promotion '%s' is %s: a quick promotion order cannot be paused or"
                       " cancelled",
                       id, p->status);
    if (code == SW_E_ALREADY_REFUNDED)
        return sw_fail(err, code, "id", "promotion '%s' was already refunded", id);
    return sw_fail(err, code, "id", "promotion '%s' is %s: it cannot be %s", id, p->status, what);
}

int sw__promo_move(struct sw_ctx *ctx, struct sw_promotion_row *p, enum sw_promo_event ev,
                   const char *cause, const char *event, struct sw_error *err)
{
    enum sw_promo_status s, next;
    if (sw_promo_status_parse(p->status, &s) != SW_OK)
        return sw_fail(err, SW_E_INTERNAL, NULL, "promotion has status '%s'", p->status);
    int rc = sw_promotion_transition(s, ev, &next);
    if (rc)
        return refusal(rc, p, sw_promo_event_name(ev), err);
    char from[16];
    snprintf(from, sizeof from, "%s", p->status);
    if (s == SW_PROMO_RUNNING && next == SW_PROMO_ABNORMAL) {
        p->abnormal_since = ctx->now;
        rc = cancel(ctx, p->rid, "promotion.end", err);
    } else if (s == SW_PROMO_ABNORMAL && next != SW_PROMO_ABNORMAL) {
        p->ends_at += ctx->now - p->abnormal_since; /* abnormal time does not count */
        p->abnormal_since = 0;
        if (next == SW_PROMO_RUNNING)
            rc = schedule(ctx, p, "promotion.end", p->ends_at, err);
    }
    snprintf(p->status, sizeof p->status, "%s", sw_promo_status_name(next));
    p->version++;
    p->updated_at = ctx->now;
    if (rc || (rc = sw_sql_promotion_update(ctx->conn, p, err)) ||
        (rc = emit(ctx, p, event, cause, err)) || (rc = record(ctx, p, from, cause, err)))
        return rc;
    return sw__promo_cache_refresh(ctx, p->rid, err);
}

int sw__promo_complete(struct sw_ctx *ctx, struct sw_promotion_row *p, enum sw_promo_event ev,
                       struct sw_error *err)
{
    p->completed_at = ctx->now;
    snprintf(p->completion, sizeof p->completion, "%s",
             ev == SW_PE_ESTIMATE_REACHED ? "estimate_reached" : "duration_ended");
    p->final_at = ctx->now + ctx->policy->promotion.stats_delay_us;
    int rc = sw__promo_move(ctx, p, ev, p->completion, "promotion.completed", err);
    if (rc == SW_OK && ev == SW_PE_ESTIMATE_REACHED)
        rc = cancel(ctx, p->rid, "promotion.end", err);
    if (rc == SW_OK)
        rc = schedule(ctx, p, "promotion.finalize", p->final_at, err);
    return rc;
}

/* Who may buy: the store itself (or the engine's own: cli, demo), not restricted. */
static int buyer_may(struct sw_ctx *ctx, const char *merchant, const char *product,
                     struct sw_error *err)
{
    const char *own = sw_actor_merchant(ctx->actor);
    if (!own && !sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only a store buys quick promotion");
    if (own && strcmp(own, merchant) != 0)
        return sw_fail(err, SW_E_NOT_FOUND, "merchant", "unknown merchant '%s'", merchant);
    struct sw_merchant_info mi;
    int rc = sw_catalog_merchant_info(ctx, merchant, &mi, err);
    if (rc)
        return rc;
    if (mi.status == SW_MERCHANT_CLEARED)
        return sw_fail(err, SW_E_MERCHANT_CLEARED, "merchant",
                       "store '%s' is cleared: it cannot buy quick promotion", merchant);
    if (mi.status == SW_MERCHANT_RESTRICTED)
        return sw_fail(err, SW_E_MERCHANT_RESTRICTED, "merchant",
                       "store '%s' is restricted: it cannot buy quick promotion", merchant);
    struct sw_product_info pi = {0};
    rc = sw_catalog_product_info(ctx, product, &pi, err);
    json_decref(pi.findings);
    if (rc == SW_E_NOT_FOUND || (rc == SW_OK && strcmp(pi.merchant, merchant) != 0))
        return sw_fail(err, SW_E_NOT_FOUND, "product", "unknown product '%s'", product);
    return rc;
}

static int read_order(const json_t *in, const char **merchant, const char **product, int64_t *price,
                      int64_t *exposure, int64_t *hours, struct sw_error *err)
{
    int64_t fen = 0, yuan = 0;
    bool has_fen = false, has_yuan = false;
    struct sw_jfield f[] = {
        {"merchant", SW_J_ID, SW_J_REQUIRED, merchant, 0, NULL},
        {"product", SW_J_ID, SW_J_REQUIRED, product, 0, NULL},
        {"price_fen", SW_J_FEN, SW_J_POSITIVE, &fen, 0, &has_fen},
        {"price", SW_J_YUAN, 0, &yuan, 0, &has_yuan},
        {"estimated_exposure", SW_J_INT, SW_J_REQUIRED, exposure, EXPOSURE_MAX, NULL},
        {"duration_hours", SW_J_INT, SW_J_REQUIRED, hours, HOURS_MAX, NULL},
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    if (has_fen && has_yuan)
        return sw_fail(err, SW_E_INVALID_VALUE, "price", "give 'price_fen' or 'price', not both");
    if (!has_fen && !has_yuan)
        return sw_fail(err, SW_E_MISSING_FIELD, "price_fen", "missing 'price_fen' (or 'price')");
    *price = has_fen ? fen : yuan;
    if (*price <= 0)
        return sw_fail(err, SW_E_INVALID_VALUE, has_fen ? "price_fen" : "price",
                       "a package has a price above zero");
    if (*exposure < 1)
        return sw_fail(err, SW_E_INVALID_VALUE, "estimated_exposure",
                       "estimated_exposure must be at least 1");
    if (*hours < 1)
        return sw_fail(err, SW_E_INVALID_VALUE, "duration_hours",
                       "duration_hours must be between 1 and %d", HOURS_MAX);
    return SW_OK;
}

static int p_create(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *merchant = NULL, *product = NULL;
    struct sw_promotion_row p = {0};
    int rc = read_order(in, &merchant, &product, &p.price_fen, &p.estimated_exposure,
                        &p.duration_hours, err);
    if (rc || (rc = buyer_may(ctx, merchant, product, err)) ||
        (rc = sw__promo_review(ctx, merchant, product, false, &p.reasons, err)))
        return rc;
    bool pass = json_array_size(p.reasons) == 0;
    snprintf(p.merchant, sizeof p.merchant, "%s", merchant);
    snprintf(p.product, sizeof p.product, "%s", product);
    snprintf(p.status, sizeof p.status, "%s",
             sw_promo_status_name(pass ? SW_PROMO_RUNNING : SW_PROMO_REVIEW_FAILED));
    p.created_at = p.updated_at = ctx->now;
    p.version = 1;
    p.created_by = sw_ctx_actor(ctx);
    if (pass) {
        p.started_at = ctx->now;
        p.ends_at = ctx->now + p.duration_hours * SW_US_PER_HOUR;
    }
    const char *cause = pass ? "review_passed" : "review_failed";
    if ((rc = sw_sql_promotion_insert(ctx->conn, &p, err)) == SW_OK &&
        (rc = emit(ctx, &p, "promotion.created", cause, err)) == SW_OK &&
        (rc = record(ctx, &p, NULL, cause, err)) == SW_OK &&
        (!pass || (rc = schedule(ctx, &p, "promotion.end", p.ends_at, err)) == SW_OK) &&
        (rc = sw__promo_cache_refresh(ctx, p.rid, err)) == SW_OK) {
        json_t *history = NULL;
        if ((rc = sw_sql_promotion_history_json(ctx->conn, p.rid, &history, err)) == SW_OK)
            *result = sw__promo_render(&p, history, ctx->now);
    }
    sw_promotion_row_release(&p);
    return rc;
}

/* The command's answer: the order as it is now, history included. */
static int answer(struct sw_ctx *ctx, const struct sw_promotion_row *p, json_t **result,
                  struct sw_error *err)
{
    json_t *history = NULL;
    int rc = sw_sql_promotion_history_json(ctx->conn, p->rid, &history, err);
    if (rc == SW_OK)
        *result = sw__promo_render(p, history, ctx->now);
    return rc;
}

static int p_refund(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *id = NULL, *note = NULL;
    struct sw_if_version iv;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"note", SW_J_STR, SW_J_REQUIRED, &note, NOTE_MAX, NULL},
        SW_IF_VERSION_FIELD(iv),
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only an operator refunds quick promotion");
    if (sw_text_blank(note))
        return sw_fail(err, SW_E_INVALID_VALUE, "note", "a refund needs a note");
    struct sw_promotion_row p = {0};
    if ((rc = load_named(ctx, id, &p, err)))
        return rc;
    if ((rc = sw_if_version(&iv, p.version, "promotion", id, err)) == SW_OK) {
        json_decref(p.refund);
        p.refund = json_pack("{s:I,s:s,s:o,s:o}", "amount_fen", (json_int_t)p.price_fen, "note",
                             note, "by", sw_ctx_actor(ctx), "at", sw_json_instant(ctx->now));
        if ((rc = sw__promo_move(ctx, &p, SW_PE_REFUND, "operator_refund", "promotion.refunded",
                                 err)) == SW_OK)
            rc = answer(ctx, &p, result, err);
    }
    sw_promotion_row_release(&p);
    return rc;
}

/* Pause and cancel: never allowed on a live order (promotion_not_pausable), nor on any other. */
static int refuse_stop(struct sw_ctx *ctx, const json_t *in, enum sw_promo_event ev,
                       struct sw_error *err)
{
    const char *id = NULL;
    struct sw_if_version iv;
    struct sw_jfield f[] = {{"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL}, SW_IF_VERSION_FIELD(iv)};
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    struct sw_promotion_row p = {0};
    if ((rc = load_named(ctx, id, &p, err)))
        return rc;
    enum sw_promo_status s, next;
    /* a stale If-Match is 412 first, as for any command on an object */
    if ((rc = sw_if_version(&iv, p.version, "promotion", id, err)) == SW_OK) {
        if (sw_promo_status_parse(p.status, &s) != SW_OK)
            rc = sw_fail(err, SW_E_INTERNAL, NULL, "promotion has status '%s'", p.status);
        else if ((rc = sw_promotion_transition(s, ev, &next)))
            rc = refusal(rc, &p, ev == SW_PE_PAUSE ? "paused" : "cancelled", err);
        else
            rc = sw_fail(err, SW_E_INTERNAL, NULL, "a quick promotion order cannot be stopped");
    }
    sw_promotion_row_release(&p);
    return rc;
}

static int p_pause(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    (void)result;
    return refuse_stop(ctx, in, SW_PE_PAUSE, err);
}

static int p_cancel(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    (void)result;
    return refuse_stop(ctx, in, SW_PE_CANCEL, err);
}

static int timer_load(struct sw_ctx *ctx, const json_t *in, struct sw_promotion_row *p,
                      struct sw_error *err)
{
    const char *id = NULL;
    struct sw_jfield f[] = {{"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL}};
    int rc = sw_json_read(in, "", f, 1, false, err);
    if (rc)
        return rc;
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "this command is the scheduler's");
    return load_named(ctx, id, p, err);
}

/* The end timer: a running order whose (extended) duration has ended completes. */
static int p_end(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    struct sw_promotion_row p = {0};
    int rc = timer_load(ctx, in, &p, err);
    if (rc)
        return rc;
    if (strcmp(p.status, "running") == 0 && p.ends_at <= ctx->now)
        rc = sw__promo_complete(ctx, &p, SW_PE_DURATION_ENDED, err);
    if (rc == SW_OK)
        rc = answer(ctx, &p, result, err);
    sw_promotion_row_release(&p);
    return rc;
}

/* The finalize timer: stats_delay after completion the figure is final and the dedupe state
 * of the order goes. */
static int p_finalize(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    struct sw_promotion_row p = {0};
    int rc = timer_load(ctx, in, &p, err);
    if (rc)
        return rc;
    if (strcmp(p.status, "completed") == 0 && !p.finalized && p.final_at <= ctx->now) {
        p.finalized = true;
        p.version++;
        p.updated_at = ctx->now;
        if ((rc = sw_sql_promotion_update(ctx->conn, &p, err)) == SW_OK &&
            (rc = emit(ctx, &p, "promotion.finalized", "stats_delay_passed", err)) == SW_OK)
            rc = sw__promo_cache_refresh(ctx, p.rid, err);
    }
    if (rc == SW_OK)
        rc = answer(ctx, &p, result, err);
    sw_promotion_row_release(&p);
    return rc;
}

/* Runs the review again on a live order and moves it: abnormal with every current reason, or
 * running again once none is left; an abnormal order whose reasons changed says so. */
static int recheck(struct sw_ctx *ctx, int64_t rid, const char *cause, struct sw_error *err)
{
    struct sw_promotion_row p = {0};
    int rc = sw__promo_load(ctx, rid, &p, err);
    if (rc)
        return rc;
    json_t *reasons = NULL;
    bool running = strcmp(p.status, "running") == 0;
    if (running && p.ends_at <= ctx->now) {
        /* its duration ended at this very instant (ends_at is excluded), before its end timer
         * ran: it has run in full, and a check failing now cannot stop it */
        rc = sw__promo_complete(ctx, &p, SW_PE_DURATION_ENDED, err);
        sw_promotion_row_release(&p);
        return rc;
    }
    if ((running || strcmp(p.status, "abnormal") == 0) &&
        (rc = sw__promo_review(ctx, p.merchant, p.product, true, &reasons, err)) == SW_OK) {
        bool clear = json_array_size(reasons) == 0;
        bool changed = !json_equal(reasons, p.reasons);
        json_decref(p.reasons);
        p.reasons = reasons;
        if (clear && !running)
            rc = sw__promo_move(ctx, &p, SW_PE_CHECKS_CLEARED, cause, "promotion.resumed", err);
        else if (!clear && running)
            rc = sw__promo_move(ctx, &p, SW_PE_CHECK_FAILED, cause, "promotion.abnormal", err);
        else if (!clear && changed) {
            p.version++;
            p.updated_at = ctx->now;
            if ((rc = sw_sql_promotion_update(ctx->conn, &p, err)) == SW_OK)
                rc = emit(ctx, &p, "promotion.reasons_changed", cause, err);
        }
    }
    sw_promotion_row_release(&p);
    return rc;
}

/* Re-checks the live orders of a product, a store, or all (both NULL), page by page. */
static int recheck_live(struct sw_ctx *ctx, const char *product, const char *merchant,
                        const char *cause, struct sw_error *err)
{
    int64_t rids[RECHECK_PAGE], after = 0;
    int n, rc;
    do {
        if ((rc = sw_sql_promotion_live_rids(ctx->conn, product, merchant, after, RECHECK_PAGE,
                                             rids, &n, err)))
            return rc;
        for (int i = 0; i < n; i++)
            if ((rc = recheck(ctx, rids[i], cause, err)))
                return rc;
        if (n)
            after = rids[n - 1];
    } while (n == RECHECK_PAGE);
    return SW_OK;
}

static int on_product(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    if (strcmp(ev->type, "product.updated") == 0) {
        bool category = false;
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(ev->payload, "changed"), i, v)
        {
            category = category || strcmp(json_string_value(v), "category") == 0;
        }
        if (!category)
            return SW_OK;
    }
    return recheck_live(ctx, ev->subject, NULL, ev->type, err);
}

static int on_qualification(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    return ev->merchant ? recheck_live(ctx, NULL, ev->merchant, ev->type, err) : SW_OK;
}

static int on_policy(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    return recheck_live(ctx, NULL, NULL, ev->type, err);
}

int sw_promotion_register(struct sw_engine *e)
{
    static const char *const product_events[] = {"product.listed",  "product.delisted",
                                                 "product.banned",  "product.unbanned",
                                                 "product.updated", NULL};
    static const char *const qual_events[] = {"qualification.approved", "qualification.expired",
                                              "qualification.revoked", NULL};
    int rc;
    if ((rc = sw_engine_register(e, "promotion.create", p_create)) ||
        (rc = sw_engine_register(e, "promotion.refund", p_refund)) ||
        (rc = sw_engine_register(e, "promotion.pause", p_pause)) ||
        (rc = sw_engine_register(e, "promotion.cancel", p_cancel)) ||
        (rc = sw_engine_register(e, "promotion.end", p_end)) ||
        (rc = sw_engine_register(e, "promotion.finalize", p_finalize)) ||
        (rc = sw__promo_ingest_register(e)) ||
        (rc = sw_engine_subscribe(e, "policy.activated", on_policy)) ||
        (rc = sw__promo_state_attach(e)))
        return rc;
    for (int i = 0; product_events[i]; i++)
        if ((rc = sw_engine_subscribe(e, product_events[i], on_product)))
            return rc;
    for (int i = 0; qual_events[i]; i++)
        if ((rc = sw_engine_subscribe(e, qual_events[i], on_qualification)))
            return rc;
    return SW_OK;
}
