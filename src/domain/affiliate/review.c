/* Order review and spike monitoring (affiliate.h): rules flag paid orders with an explanation
 * (which rule, which evidence, the policy version); a flagged order stays out of statements until
 * an operator confirms (invalid with the rule's reason) or clears the flag. Alerts compare a
 * promoter's paid orders in an hour with its own baseline; they invalidate nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/affiliate/affiliate_int.h"
#include "domain/domain.h"

#define FPS_MAX 3
#define HOUR_US INT64_C(3600000000)

static bool listed(const json_t *arr, const char *v)
{
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        if (v && json_is_string(x) && strcmp(json_string_value(x), v) == 0)
            return true;
    }
    return false;
}

/* self_purchase: the buyer is the promoter, or uses one of its registered fingerprints. */
static int self_purchase(struct sw_ctx *ctx, const struct sw_aff_event *e, struct sw_error *err)
{
    json_t *devices = NULL, *addresses = NULL;
    int64_t version = 0;
    int rc = sw_sql_aff_promoter_get(ctx->conn, e->promoter, &devices, &addresses, &version, err);
    const char *matched = NULL, *value = NULL;
    if (rc == SW_OK && strcmp(e->buyer_id, e->promoter) == 0)
        matched = "buyer_id", value = e->buyer_id;
    else if (rc == SW_OK && listed(devices, e->buyer_device))
        matched = "device", value = e->buyer_device;
    else if (rc == SW_OK && listed(addresses, e->buyer_address))
        matched = "address_hash", value = e->buyer_address;
    json_decref(devices);
    json_decref(addresses);
    if (rc || !matched)
        return rc;
    json_t *ev = json_pack("{s:s,s:s,s:s,s:[s]}", "matched", matched, "value", value, "promoter",
                           e->promoter, "orders", e->order_id);
    rc = sw_sql_aff_flag_open(ctx->conn, e->order_id, "self_purchase", "fake_order", ev,
                              ctx->policy->version, ctx->now, NULL, err);
    json_decref(ev);
    return rc;
}

/* repeat_buyer for one fingerprint: every order of it that is the (N+1)-th or later within a
 * window ending at it is flagged. An order paid at `at` moves up only the ranks of the orders
 * after it within the window, and of those only the first N+1 can have been below N + 1 (each
 * later one has N of them before it): those are looked at again, with every one not flagged
 * yet (under a policy changed since, more may be), so that a late order costs no more than
 * one in time, whatever the fingerprint's count (a batch of 10,000 orders of one device read
 * each other's whole window before). The evidence names the latest N orders before
 * the flagged one: a late order changes the latest N of the N orders after it only, which are
 * among those looked at again. */
static int repeat_buyer(struct sw_ctx *ctx, const char *promoter, const char *fp, sw_instant at,
                        json_t *touched, struct sw_error *err)
{
    const struct sw_affiliate_policy *a = &ctx->policy->affiliate;
    json_t *after = NULL;
    int64_t count = 0;
    int rc = sw_sql_aff_buys_count(ctx->conn, promoter, fp, at - a->repeat_window_us,
                                   at + a->repeat_window_us, &count, err);
    /* no order of these has max_orders before it unless there are more than max_orders */
    if (rc || count <= a->repeat_max_orders)
        return rc;
    int max = (int)a->repeat_max_orders;
    json_t *unflagged = NULL, *seen = json_object();
    rc = sw_sql_aff_buys_first(ctx->conn, promoter, fp, at, at + a->repeat_window_us, max + 1,
                               false, &after, err);
    /* and every one not flagged yet (a policy that lowered max_orders or widened the window
     * leaves such orders further on): each is flagged once, and at most max of them are not */
    if (rc == SW_OK)
        rc = sw_sql_aff_buys_first(ctx->conn, promoter, fp, at, at + a->repeat_window_us, INT32_MAX,
                                   true, &unflagged, err);
    json_array_extend(after, unflagged);
    json_decref(unflagged);
    size_t n = json_array_size(after);
    for (size_t i = 0; rc == SW_OK && i < n; i++) {
        json_t *x = json_array_get(after, i), *before = NULL;
        const char *order = json_string_value(json_object_get(x, "order"));
        if (json_object_get(seen, order))
            continue;
        json_object_set_new(seen, order, json_true());
        int64_t t = json_integer_value(json_object_get(x, "at")), earlier = 0;
        rc = sw_sql_aff_buys_before(ctx->conn, promoter, fp, t - a->repeat_window_us, t, order, max,
                                    &earlier, &before, err);
        if (rc == SW_OK && earlier >= a->repeat_max_orders) {
            const char *sep = strchr(fp, ':');
            json_t *ev = json_pack("{s:s,s:O,s:I,s:I}", "fingerprint", sep ? sep + 1 : fp, "orders",
                                   before, "max_orders", (json_int_t)a->repeat_max_orders,
                                   "window_hours", (json_int_t)(a->repeat_window_us / HOUR_US));
            rc = sw_sql_aff_flag_open(ctx->conn, order, "repeat_buyer", "violation", ev,
                                      ctx->policy->version, ctx->now, NULL, err);
            json_object_set_new(touched, order, json_true());
            json_decref(ev);
        }
        json_decref(before);
    }
    json_decref(after);
    json_decref(seen);
    return rc;
}

static int64_t hour_of(sw_instant t)
{
    return t - ((t % HOUR_US) + HOUR_US) % HOUR_US;
}

/* A promoter's hour against its own baseline: an alert when above factor x baseline and at
 * least the minimum; an alert of an hour that is no spike any more (`recheck`: a late payment
 * raised its baseline) is withdrawn. */
static int hour_alert(struct sw_ctx *ctx, const char *promoter, int64_t hour, bool recheck,
                      struct sw_error *err)
{
    const struct sw_affiliate_policy *a = &ctx->policy->affiliate;
    int64_t count = 0, before = 0;
    int rc = sw_sql_aff_paid_in(ctx->conn, promoter, hour, hour + HOUR_US, &count, NULL, err);
    if (rc == SW_OK)
        rc = sw_sql_aff_paid_in(ctx->conn, promoter, hour - a->spike_baseline_hours * HOUR_US, hour,
                                &before, NULL, err);
    double baseline = (double)before / (double)a->spike_baseline_hours;
    char id[128];
    snprintf(id, sizeof id, "al-%s-%lld", promoter, (long long)(hour / HOUR_US));
    if (rc == SW_OK && count >= a->spike_min_orders &&
        (double)count > (double)a->spike_factor * baseline)
        rc = sw_sql_aff_alert_put(ctx->conn, id, promoter, hour, count, baseline, ctx->now, err);
    else if (rc == SW_OK && recheck)
        rc = sw_sql_aff_alert_drop(ctx->conn, id, err);
    return rc;
}

/* A payment at `at` counts in its hour and in the baseline of the hours after it: its hour may
 * become a spike, and the alerts of those later hours are looked at again, so that the alerts
 * follow from the payments whatever order they arrive in. */
static int monitor(struct sw_ctx *ctx, const char *promoter, sw_instant at, struct sw_error *err)
{
    int64_t hour = hour_of(at);
    json_t *later = NULL;
    int rc = hour_alert(ctx, promoter, hour, false, err);
    if (rc == SW_OK)
        rc = sw_sql_aff_alert_hours(ctx->conn, promoter, hour,
                                    hour + ctx->policy->affiliate.spike_baseline_hours * HOUR_US,
                                    &later, err);
    size_t i;
    json_t *h;
    json_array_foreach(later, i, h)
    {
        if (rc == SW_OK)
            rc = hour_alert(ctx, promoter, json_integer_value(h), true, err);
    }
    json_decref(later);
    return rc;
}

int sw__aff_review_paid(struct sw_ctx *ctx, const struct sw_aff_event *e, json_t *touched,
                        struct sw_error *err)
{
    char fps[FPS_MAX][160];
    const char *p[FPS_MAX];
    int n = 0;
    snprintf(fps[n], sizeof fps[n], "id:%s", e->buyer_id);
    p[n] = fps[n], n++;
    if (e->buyer_device && e->buyer_device[0]) {
        snprintf(fps[n], sizeof fps[n], "device:%s", e->buyer_device);
        p[n] = fps[n], n++;
    }
    if (e->buyer_address && e->buyer_address[0]) {
        snprintf(fps[n], sizeof fps[n], "address:%s", e->buyer_address);
        p[n] = fps[n], n++;
    }
    int rc = sw_sql_aff_paid_put(ctx->conn, e->order_id, e->promoter, e->at, p, n, err);
    if (rc == SW_OK)
        rc = self_purchase(ctx, e, err);
    for (int i = 0; rc == SW_OK && i < n; i++)
        rc = repeat_buyer(ctx, e->promoter, p[i], e->at, touched, err);
    if (rc == SW_OK)
        rc = monitor(ctx, e->promoter, e->at, err);
    return rc;
}

/* The open conversion flags of a promoter's item withdrawn: its rate is no outlier (any more).
 * An operator's decision stays; an undecided flag follows the counts. */
static int withdraw(struct sw_ctx *ctx, const char *item, const char *promoter, json_t *touched,
                    struct sw_error *err)
{
    json_t *orders = NULL;
    int rc = sw_sql_aff_conv_withdraw(ctx->conn, item, promoter, &orders, err);
    size_t i;
    json_t *o;
    json_array_foreach(orders, i, o)
        json_object_set_new(touched, json_string_value(o), json_true());
    json_decref(orders);
    return rc;
}

/* conversion_outlier for one promoter of the item (mp paid, mc confirmed, `open` flags of it
 * undecided; the item's ap, ac): above the platform-wide rate x factor, with enough orders on
 * both sides, its confirmed orders of the item are flagged (violation), the evidence listing
 * them and the counts as they stand; otherwise its undecided flags are withdrawn. So the flags
 * follow from the counts, not from the order the events arrived in. Flags opened, changed or
 * withdrawn join `touched`. */
static int outlier(struct sw_ctx *ctx, const char *item, const char *promoter, int64_t mp,
                   int64_t mc, int64_t open, int64_t ap, int64_t ac, json_t *touched,
                   struct sw_error *err)
{
    const struct sw_affiliate_policy *a = &ctx->policy->affiliate;
    /* mc/mp > (ac/ap) x factor/100, in integers */
    if (mp < a->outlier_min_promoter || ap < a->outlier_min_platform ||
        !(mc * ap * 100 > ac * mp * a->outlier_factor_pct))
        return open ? withdraw(ctx, item, promoter, touched, err) : SW_OK;
    json_t *orders = NULL;
    int rc = sw_sql_aff_conv_confirmed(ctx->conn, item, promoter, &orders, err);
    if (rc)
        return rc;
    json_t *ev = json_pack("{s:s,s:I,s:I,s:I,s:I,s:f,s:f,s:I,s:O}", "item", item, "promoter_paid",
                           (json_int_t)mp, "promoter_confirmed", (json_int_t)mc, "platform_paid",
                           (json_int_t)ap, "platform_confirmed", (json_int_t)ac, "promoter_rate",
                           (double)mc / (double)mp, "platform_rate", (double)ac / (double)ap,
                           "factor_pct", (json_int_t)a->outlier_factor_pct, "orders", orders);
    size_t i;
    json_t *o;
    json_array_foreach(orders, i, o)
    {
        bool fresh = false;
        if (rc == SW_OK)
            rc = sw_sql_aff_flag_open(ctx->conn, json_string_value(o), "conversion_outlier",
                                      "violation", ev, ctx->policy->version, ctx->now, &fresh, err);
        if (fresh)
            json_object_set_new(touched, json_string_value(o), json_true());
    }
    json_decref(ev);
    json_decref(orders);
    return rc;
}

/* The rule over every promoter of the item: a payment or confirmation of one promoter moves the
 * platform-wide rate every other promoter of the item is compared with, so the flags follow from
 * the counts whatever order the events arrived in. The platform-wide counts are this database's
 * promoters' and those other sources announced (rates.c). */
int sw__aff_conversion(struct sw_ctx *ctx, const char *item, json_t *touched, struct sw_error *err)
{
    json_t *rows = NULL;
    int rc = sw_sql_aff_conv_promoters(ctx->conn, item, &rows, err);
    if (rc)
        return rc;
    int64_t ap = 0, ac = 0;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        ap += json_integer_value(json_array_get(r, 1));
        ac += json_integer_value(json_array_get(r, 2));
    }
    /* this database's own promoters' counts announced; those other sources announced added */
    int64_t op = 0, oc = 0;
    if ((rc = sw__aff_counted(ctx, item, ap, ac, err)) == SW_OK &&
        (rc = sw__aff_others(ctx, item, &op, &oc, err)) == SW_OK)
        ap += op, ac += oc;
    json_array_foreach(rows, i, r)
    {
        if (rc == SW_OK)
            rc = outlier(ctx, item, json_string_value(json_array_get(r, 0)),
                         json_integer_value(json_array_get(r, 1)),
                         json_integer_value(json_array_get(r, 2)),
                         json_integer_value(json_array_get(r, 3)), ap, ac, touched, err);
    }
    json_decref(rows);
    return rc;
}

/* --- the operators' side --- */

static int promoter_put(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *id = NULL;
    json_t *devices = NULL, *addresses = NULL;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"devices", SW_J_STRARR, SW_J_REQUIRED, &devices, 100, NULL},
        {"address_hashes", SW_J_STRARR, SW_J_REQUIRED, &addresses, 100, NULL},
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only operators register promoters");
    json_t *d0 = NULL, *a0 = NULL;
    int64_t version = 0;
    if ((rc = sw_sql_aff_promoter_get(ctx->conn, id, &d0, &a0, &version, err)) == SW_OK &&
        (rc = sw_sql_aff_promoter_put(ctx->conn, id, devices, addresses, version + 1, ctx->now,
                                      err)) == SW_OK) {
        *result = json_pack("{s:s,s:O,s:O,s:I,s:o}", "id", id, "devices", devices, "address_hashes",
                            addresses, "version", (json_int_t)version + 1, "updated_at",
                            sw_json_instant(ctx->now));
        rc = sw_ctx_emit(ctx, version ? "affiliate.promoter_updated" : "affiliate.promoter_created",
                         NULL, id, json_incref(*result), err);
    }
    json_decref(d0);
    json_decref(a0);
    return rc;
}

static int review(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *id = NULL, *decision = NULL, *note = NULL;
    struct sw_if_version iv;
    struct sw_jfield f[] = {
        {"id", SW_J_STR, SW_J_REQUIRED, &id, 128, NULL},
        {"decision", SW_J_STR, SW_J_REQUIRED, &decision, 16, NULL},
        {"note", SW_J_STR, 0, &note, 4000, NULL},
        SW_IF_VERSION_FIELD(iv), /* If-Match: the order as the operator saw it */
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    bool confirm = strcmp(decision, "confirm") == 0;
    if (!confirm && strcmp(decision, "clear") != 0)
        return sw_fail(err, SW_E_INVALID_VALUE, "decision",
                       "decision must be 'confirm' or 'clear'");
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only operators review affiliate orders");
    struct sw_aff_order_row o = {0};
    bool found = false;
    if ((rc = sw_sql_aff_order_get(ctx->conn, id, &o, &found, err)))
        return rc;
    int64_t version = o.version;
    sw_aff_order_row_release(&o);
    if (!found)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown affiliate order '%s'", id);
    if ((rc = sw_if_version(&iv, version, "affiliate order", id, err)))
        return rc;
    int n = 0;
    json_t *by = sw_ctx_actor(ctx);
    rc = sw_sql_aff_flags_decide(ctx->conn, id, confirm ? "confirmed" : "cleared", by, note,
                                 ctx->now, &n, err);
    json_decref(by);
    if (rc == SW_OK && n == 0)
        rc = sw_fail(err, SW_E_STATE_CONFLICT, "id", "affiliate order '%s' has no open flag", id);
    if (rc == SW_OK)
        rc = sw__aff_refold(ctx, id, NULL, err);
    if (rc == SW_OK)
        rc = sw_affiliate_order_get(ctx->conn, id, NULL, result, err);
    return rc;
}

int sw__aff_review_register(struct sw_engine *e)
{
    int rc = sw_engine_register(e, "affiliate.promoter_put", promoter_put);
    return rc ? rc : sw_engine_register(e, "affiliate.review", review);
}

/* The order's flags in its view; a confirmed one makes it invalid with the rule's reason,
 * unless its events already make it invalid: an invalid order has one reason, and the feed's
 * (refunded, cancelled, data_anomaly, below_minimum) stays (the flag reads confirmed). */
int sw__aff_flags_overlay(struct sw_ctx *ctx, struct sw_aff_view *v, struct sw_error *err)
{
    json_t *rows = NULL;
    int rc = sw_sql_aff_flags(ctx->conn, v->order, &rows, err);
    if (rc)
        return rc;
    const char *confirmed = NULL;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        sw__aff_instant_key(r, "at_us", "at");
        sw__aff_instant_key(r, "decided_at_us", "decided_at");
        if (!json_object_get(r, "decided_by"))
            json_object_set_new(r, "decided_by", json_null());
        if (!json_object_get(r, "note"))
            json_object_set_new(r, "note", json_null());
        if (!confirmed && strcmp(json_string_value(json_object_get(r, "state")), "confirmed") == 0)
            confirmed = json_string_value(json_object_get(r, "reason"));
    }
    if (confirmed && v->status != SW_AS_INVALID) { /* borrowed from rows, which v keeps */
        v->status = SW_AS_INVALID;
        v->reason = confirmed;
        v->estimated_fen = 0;
        v->settlement_fen = 0;
    }
    json_decref(v->flags);
    v->flags = rows;
    return SW_OK;
}

int sw_affiliate_alerts(struct sw_conn *c, const char *after, int limit, json_t **out,
                        struct sw_error *err)
{
    limit = limit > 200 ? 200 : limit;
    json_t *rows = NULL;
    int rc = sw_sql_aff_alerts(c, after, limit + 1, &rows, err);
    if (rc)
        return rc;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        sw__aff_instant_key(r, "hour_us", "hour");
    }
    *out = json_object();
    sw_page_set(*out, "alerts", rows, (size_t)limit, "id");
    return SW_OK;
}
