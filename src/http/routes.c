/* The route table: every route of the API in one place, its roles and, for routes that only
 * turn a body and a path id into a command, the command. The handlers live in the module's
 * file (src/http/<module>.c). */
#include <string.h>

#include "http/handlers.h"
#include "http/routes.h"

/* A route that only turns body + path id into its command: the table row names the command,
 * the payload field for the path id ("id" unless named) and the status (200 unless named). */
static int h_command(struct sw_req *r, struct sw_error *err)
{
    const struct route *rt = r->route;
    return sw__write_with_id(r, rt->command, rt->id_field ? rt->id_field : "id",
                             rt->status ? rt->status : 200, err);
}

#define W true
#define R false
/* A single-object GET that also answers `?at=INSTANT`, with sw__h_<m>_get_at
 * (docs/point-in-time.md). */
#define AT(m) .params = "at", .asof = sw__h_##m##_get_at
/* Rows leave out the trailing h_command fields (command, id field, status) when they do not
 * use them: zero is their default. A route that takes query parameters names them in .params
 * (the list routes: docs/api.md, "Lists"); any other parameter is refused. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
const struct route sw__routes[] = {
    {"GET", "/healthz", sw__h_healthz, ROLE_PUBLIC, R},
    {"GET", "/metrics", sw__h_metrics, ROLE_PUBLIC, R},
    {"GET", "/v1/events", sw__h_events, ROLE_STAFF | ROLE_MERCHANT, R,
     .params = "after,limit,type,merchant,subject,from,to,wait"},
    {"GET", "/v1/policy", sw__h_policy, ROLE_ANY, R},
    {"GET", "/v1/me", sw__h_me, ROLE_ANY, R},
    {"POST", "/v1/scan", sw__h_scan, ROLE_ANY, R},
    {"GET", "/v1/admin/timers", sw__h_timers, ROLE_STAFF, R, .params = "after,limit"},
    {"GET", "/v1/admin/rules/quality", sw__h_rule_quality, ROLE_STAFF | ROLE_ANALYST, R,
     .params = "rule,policy_version"},
    {"GET", "/v1/admin/maintenance", sw__h_maintenance_get, ROLE_STAFF, R},
    {"POST", "/v1/admin/maintenance", sw__h_maintenance_post, ROLE_ADMIN, W},
    {"POST", "/v1/admin/policy", sw__h_policy_post, ROLE_ADMIN, W},
    {"GET", "/v1/admin/policy", sw__h_policy_document, ROLE_ADMIN | ROLE_ANALYST, R,
     .params = "version"},
    {"POST", "/v1/admin/policy/shadow", sw__h_shadow_start, ROLE_ADMIN | ROLE_ANALYST, W},
    {"GET", "/v1/admin/policy/shadow", sw__h_shadow_get, ROLE_ADMIN | ROLE_ANALYST, R,
     .params = "after,limit"},
    {"DELETE", "/v1/admin/policy/shadow", sw__h_shadow_stop, ROLE_ADMIN | ROLE_ANALYST, W},
    {"POST", "/v1/admin/replays", sw__h_replays_create, ROLE_ADMIN | ROLE_ANALYST, W},
    {"GET", "/v1/admin/replays/{id}", sw__h_replay_get, ROLE_ADMIN | ROLE_ANALYST, R,
     .params = "after,limit"},
    {"POST", "/v1/admin/rescans", sw__h_rescans_create, ROLE_STAFF, W},
    {"GET", "/v1/admin/rescans/{id}", sw__h_rescan_get, ROLE_STAFF, R},
    {"GET", "/v1/admin/clock", sw__h_clock_get, ROLE_ANY, R},
    {"POST", "/v1/admin/clock", sw__h_clock_post, ROLE_STAFF, W},
    {"POST", "/v1/admin/keys", sw__h_keys_create, ROLE_ADMIN, W},
    {"GET", "/v1/admin/keys", sw__h_keys_list, ROLE_ADMIN, R, .params = "after,limit"},
    {"POST", "/v1/admin/keys/{id}/revoke", sw__h_keys_revoke, ROLE_ADMIN, W},
    {"POST", "/v1/merchants", sw__h_merchants_create, ROLE_STAFF, W},
    {"GET", "/v1/merchants", sw__h_merchants_list, ROLE_STAFF, R, .params = "after,limit,status"},
    {"GET", "/v1/merchants/{id}", sw__h_merchant_get, ROLE_STAFF | ROLE_MERCHANT, R, AT(merchant)},
    {"PATCH", "/v1/merchants/{id}", h_command, ROLE_STAFF, W, "merchant.update"},
    {"POST", "/v1/merchants/{id}/restrict", h_command, ROLE_STAFF, W, "merchant.restrict"},
    {"POST", "/v1/merchants/{id}/reinstate", h_command, ROLE_STAFF, W, "merchant.reinstate"},
    {"POST", "/v1/merchants/{id}/clear", h_command, ROLE_STAFF, W, "merchant.clear"},
    {"GET", "/v1/merchants/{id}/products", sw__h_merchant_products, ROLE_STAFF | ROLE_MERCHANT, R,
     .params = "after,limit,status,tag"},
    {"POST", "/v1/products", sw__h_products_create, ROLE_STAFF | ROLE_MERCHANT, W},
    {"GET", "/v1/products/{id}", sw__h_product_get, ROLE_STAFF | ROLE_MERCHANT, R, AT(product)},
    {"PATCH", "/v1/products/{id}", h_command, ROLE_STAFF | ROLE_MERCHANT, W, "product.update"},
    {"POST", "/v1/products/{id}/list", sw__h_product_list, ROLE_STAFF | ROLE_MERCHANT, W},
    {"POST", "/v1/products/{id}/delist", h_command, ROLE_STAFF | ROLE_MERCHANT, W,
     "product.delist"},
    {"POST", "/v1/products/{id}/ban", h_command, ROLE_STAFF, W, "product.ban"},
    {"POST", "/v1/products/{id}/unban", h_command, ROLE_STAFF, W, "product.unban"},
    {"POST", "/v1/violations", sw__h_violations_create, ROLE_STAFF, W},
    {"GET", "/v1/violations", sw__h_violations_list, ROLE_STAFF | ROLE_MERCHANT, R,
     .params = "after,limit,merchant,status,product,type,from,to"},
    {"GET", "/v1/violations/{id}", sw__h_violation_get, ROLE_STAFF | ROLE_MERCHANT, R,
     AT(violation)},
    {"POST", "/v1/violations/{id}/confirm", h_command, ROLE_STAFF, W, "violation.confirm"},
    {"POST", "/v1/violations/{id}/dismiss", h_command, ROLE_STAFF, W, "violation.dismiss"},
    {"POST", "/v1/violations/{id}/rectification", h_command, ROLE_STAFF | ROLE_MERCHANT, W,
     "violation.rectify"},
    {"POST", "/v1/violations/{id}/rectification/decision", h_command, ROLE_STAFF, W,
     "violation.rectification_decide"},
    {"POST", "/v1/violations/{id}/appeals", sw__h_appeal_create, ROLE_STAFF | ROLE_MERCHANT, W},
    {"GET", "/v1/appeals/{id}", sw__h_appeal_get, ROLE_STAFF | ROLE_MERCHANT, R},
    {"POST", "/v1/appeals/{id}/decision", h_command, ROLE_STAFF, W, "appeal.decide"},
    {"GET", "/v1/queue", sw__h_queue, ROLE_STAFF, R, .params = "after,limit"},
    {"POST", "/v1/queue/claims", sw__h_claims_create, ROLE_STAFF, W},
    {"GET", "/v1/queue/claims", sw__h_claims_list, ROLE_STAFF, R, .params = "after,limit"},
    {"DELETE", "/v1/queue/claims/{id}", sw__h_claim_delete, ROLE_STAFF, W},
    {"POST", "/v1/notes", sw__h_notes_create, ROLE_STAFF, W},
    {"GET", "/v1/notes", sw__h_notes_list, ROLE_STAFF, R, .params = "subject,after,limit"},
    {"GET", "/v1/approvals", sw__h_approvals_list, ROLE_STAFF, R, .params = "status,after,limit"},
    {"GET", "/v1/approvals/{id}", sw__h_approval_get, ROLE_STAFF, R},
    {"POST", "/v1/approvals/{id}/approve", h_command, ROLE_STAFF, W, "approval.approve"},
    {"POST", "/v1/approvals/{id}/reject", h_command, ROLE_STAFF, W, "approval.reject"},
    {"GET", "/v1/merchants/{id}/deposit", sw__h_deposit_get, ROLE_STAFF | ROLE_MERCHANT, R,
     .params = "after,limit,at", .asof = sw__h_deposit_get_at},
    {"POST", "/v1/merchants/{id}/deposit/top-ups", sw__h_deposit_top_up, ROLE_STAFF | ROLE_INGEST,
     W},
    {"POST", "/v1/merchants/{id}/deposit/releases", sw__h_deposit_release, ROLE_STAFF, W},
    {"POST", "/v1/spus/{id}/review-stats", sw__h_spu_review_stats, ROLE_STAFF | ROLE_INGEST, W},
    {"POST", "/v1/orders/events", sw__h_order_events, ROLE_STAFF | ROLE_INGEST, W},
    {"GET", "/v1/orders", sw__h_orders_list, ROLE_STAFF | ROLE_MERCHANT | ROLE_APP, R,
     .params = "after,limit,merchant"},
    {"GET", "/v1/orders/{id}", sw__h_order_get, ROLE_STAFF | ROLE_MERCHANT | ROLE_APP, R},
    {"GET", "/v1/orders/{id}/logistics", sw__h_order_logistics_get,
     ROLE_STAFF | ROLE_MERCHANT | ROLE_APP, R},
    {"POST", "/v1/orders/{id}/logistics", sw__h_order_logistics_post, ROLE_STAFF | ROLE_INGEST, W},
    {"GET", "/v1/merchants/{id}/grants", sw__h_grants_list, ROLE_STAFF | ROLE_MERCHANT, R,
     .params = "after,limit"},
    {"POST", "/v1/merchants/{id}/grants", sw__h_grant_post, ROLE_STAFF | ROLE_MERCHANT, W},
    {"DELETE", "/v1/merchants/{id}/grants/{app}", sw__h_grant_delete, ROLE_STAFF | ROLE_MERCHANT,
     W},
    {"POST", "/v1/merchants/{id}/qualifications", sw__h_qualification_submit,
     ROLE_STAFF | ROLE_MERCHANT, W},
    {"GET", "/v1/merchants/{id}/qualifications", sw__h_qualifications_list,
     ROLE_STAFF | ROLE_MERCHANT, R, .params = "after,limit,status,code"},
    {"GET", "/v1/qualifications/{id}", sw__h_qualification_get, ROLE_STAFF | ROLE_MERCHANT, R},
    {"POST", "/v1/qualifications/{id}/decision", h_command, ROLE_STAFF, W, "qualification.decide"},
    {"POST", "/v1/qualifications/{id}/revoke", h_command, ROLE_STAFF, W, "qualification.revoke"},
    {"POST", "/v1/promotions", sw__h_promotion_create, ROLE_MERCHANT, W},
    {"GET", "/v1/promotions", sw__h_promotions_list, ROLE_STAFF | ROLE_MERCHANT, R,
     .params = "after,limit,merchant,status"},
    {"GET", "/v1/promotions/{id}", sw__h_promotion_get, ROLE_STAFF | ROLE_MERCHANT, R,
     AT(promotion)},
    {"POST", "/v1/promotions/{id}/refund", h_command, ROLE_STAFF, W, "promotion.refund"},
    {"POST", "/v1/promotions/{id}/pause", h_command, ROLE_STAFF | ROLE_MERCHANT, W,
     "promotion.pause"},
    {"POST", "/v1/promotions/{id}/cancel", h_command, ROLE_STAFF | ROLE_MERCHANT, W,
     "promotion.cancel"},
    /* 10,000 events of up to ~400 bytes: more than the usual 1 MiB */
    {"POST", "/v1/affiliate/events", sw__h_affiliate_events, ROLE_STAFF | ROLE_INGEST, W,
     .max_body = (size_t)8 << 20},
    {"GET", "/v1/affiliate/orders", sw__h_affiliate_orders, ROLE_STAFF | ROLE_PROMOTER, R,
     .params = "after,limit,promoter,status"},
    {"GET", "/v1/affiliate/orders/{id}", sw__h_affiliate_order_get, ROLE_STAFF | ROLE_PROMOTER, R,
     AT(affiliate_order)},
    {"GET", "/v1/affiliate/held", sw__h_affiliate_held, ROLE_STAFF, R, .params = "after,limit"},
    {"POST", "/v1/affiliate/orders/{id}/review", h_command, ROLE_STAFF, W, "affiliate.review"},
    {"PUT", "/v1/promoters/{id}", sw__h_promoter_put, ROLE_STAFF, W},
    {"GET", "/v1/affiliate/alerts", sw__h_affiliate_alerts, ROLE_STAFF, R, .params = "after,limit"},
    {"GET", "/v1/affiliate/statements", sw__h_affiliate_statements, ROLE_STAFF | ROLE_PROMOTER, R,
     .params = "after,limit,promoter,month"},
    {"GET", "/v1/affiliate/statements/{id}", sw__h_affiliate_statement_get,
     ROLE_STAFF | ROLE_PROMOTER, R},
    {"PUT", "/v1/merchants/{id}/services", sw__h_services_put, ROLE_STAFF | ROLE_MERCHANT, W},
    {"GET", "/v1/merchants/{id}/badge", sw__h_badge_get, ROLE_STAFF | ROLE_MERCHANT, R, AT(badge)},
    {"POST", "/v1/merchants/{id}/badge/activate", h_command, ROLE_MERCHANT, W, "badge.activate",
     "merchant"},
    {"POST", "/v1/merchants/{id}/badge/close", h_command, ROLE_MERCHANT, W, "badge.close",
     "merchant"},
    {"POST", "/v1/merchants/{id}/badge/reminder/dismiss", h_command, ROLE_MERCHANT, W,
     "badge.dismiss_reminder", "merchant"},
    {"GET", "/v1/merchants/{id}/notifications", sw__h_notifications, ROLE_STAFF | ROLE_MERCHANT, R,
     .params = "after,limit"},
    {"PUT", "/v1/streamers/{id}", sw__h_streamer_put, ROLE_STAFF, W},
    {"GET", "/v1/streamers/{id}", sw__h_streamer_get, ROLE_STAFF | ROLE_MERCHANT | ROLE_STREAMER,
     R},
    {"POST", "/v1/filings/pk", sw__h_filing_pk, ROLE_MERCHANT, W},
    {"GET", "/v1/filings", sw__h_filings_list, ROLE_STAFF | ROLE_MERCHANT | ROLE_STREAMER, R,
     .params = "after,limit,merchant,streamer,status,product"},
    {"GET", "/v1/filings/{id}", sw__h_filing_get, ROLE_STAFF | ROLE_MERCHANT | ROLE_STREAMER, R,
     AT(filing)},
    {"GET", "/v1/filings/{id}/history", sw__h_filing_history,
     ROLE_STAFF | ROLE_MERCHANT | ROLE_STREAMER, R},
    {"POST", "/v1/filings/{id}/submit", h_command, ROLE_MERCHANT, W, "filing.submit"},
    {"POST", "/v1/filings/{id}/withdraw", h_command, ROLE_MERCHANT, W, "filing.withdraw"},
    {"POST", "/v1/filings/{id}/decision", h_command, ROLE_STAFF, W, "filing.decide"},
    {"POST", "/v1/distributions", sw__h_distribution_create, ROLE_STREAMER, W},
    {"GET", "/v1/distributions", sw__h_distributions_list,
     ROLE_STAFF | ROLE_MERCHANT | ROLE_STREAMER, R, .params = "after,limit,merchant,streamer"},
    {"GET", "/v1/distributions/{id}", sw__h_distribution_get,
     ROLE_STAFF | ROLE_MERCHANT | ROLE_STREAMER, R},
    {"POST", "/v1/live-sessions", sw__h_live_session_create, ROLE_MERCHANT, W},
    {"GET", "/v1/live-sessions", sw__h_live_sessions_list,
     ROLE_STAFF | ROLE_MERCHANT | ROLE_STREAMER, R, .params = "after,limit,merchant,streamer"},
    {"GET", "/v1/live-sessions/{id}", sw__h_live_session_get,
     ROLE_STAFF | ROLE_MERCHANT | ROLE_STREAMER, R},
    {"POST", "/v1/live-sessions/{id}/cart", h_command, ROLE_MERCHANT, W, "live_session.cart"},
    {"POST", "/v1/lottery-approvals", sw__h_lottery_approve, ROLE_STAFF, W},
    /* 10,000 impressions of up to 128-byte ids: more than the usual 1 MiB */
    {"POST", "/v1/impressions", sw__h_impressions, ROLE_STAFF | ROLE_INGEST, W,
     .max_body = (size_t)4 << 20},
};
#pragma GCC diagnostic pop
const int sw__routes_count = (int)(sizeof sw__routes / sizeof sw__routes[0]);

/* A store's key reads its own store: a list naming another store (?merchant=) answers as that
 * store does not exist for it (docs/api.md, "Roles"), the same on every list. */
static int own_store(struct sw_req *r, const struct route *rt, struct sw_error *err)
{
    const char *m = sw__is_merchant(r) && sw__param_listed(rt->params, "merchant")
                        ? sw__query_str(r, "merchant")
                        : NULL;
    if (m && strcmp(m, r->scope) != 0)
        return sw_fail(err, SW_E_NOT_FOUND, "merchant", "unknown merchant '%.64s'", m);
    return SW_OK;
}

int sw__route_run(struct sw_req *r, struct sw_error *err)
{
    const struct route *rt = r->route;
    int own = own_store(r, rt, err);
    if (own)
        return own;
    if (!rt->asof || !sw__query_str(r, "at"))
        return rt->fn(r, err);
    int rc = sw__query_at(r, err);
    if (rc || (rc = rt->fn(r, err)))
        return rc;
    /* An instant still to come answers as of now: the log holds nothing later, so the live
     * answer is the answer (its version too), without the live ETag. */
    sw_instant now = sw_clock_now(sw_engine_clock(r->engine));
    if (r->at_us >= now) {
        r->etag = SW_NO_ETAG;
        return SW_OK;
    }
    /* Seen and found as it is now: answered as it was then, without the live ETag. The asof
     * handler may reuse the live answer (r->live: a deposit's ledger page). */
    r->live = r->resp;
    r->resp = NULL;
    free(r->text_resp);
    r->text_resp = NULL;
    r->text_is_json = false;
    r->etag = SW_NO_ETAG;
    rc = rt->asof(r, err);
    json_decref(r->live);
    r->live = NULL;
    return rc;
}

int sw_routes_count(void)
{
    return sw__routes_count;
}

void sw_route_at(int i, const char **method, const char **path)
{
    *method = sw__routes[i].method;
    *path = sw__routes[i].pattern;
}
