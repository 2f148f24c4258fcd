/* The handlers of the route table (routes.c) and the helpers they share (request.c). A
 * handler parses the request, makes one engine call or one read, and renders r->resp. */
#ifndef SW_HTTP_HANDLERS_H
#define SW_HTTP_HANDLERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/internal.h"

#define PAGE_DEFAULT 100
#define PAGE_MAX 1000
#define IDEM_KEY_MAX 128

/* request.c */
/* The body as an object; an empty body is {}. */
int sw__body_object(struct sw_req *r, json_t **out, struct sw_error *err);
/* A query parameter as an integer in [min, max], dflt when absent. */
int sw__query_int(struct sw_req *r, const char *name, int64_t dflt, int64_t min, int64_t max,
                  int64_t *out, struct sw_error *err);
const char *sw__query_str(struct sw_req *r, const char *name);
/* A request header (of the forwarded ones, forward.c, for a read another node forwarded). */
const char *sw__req_header(struct sw_req *r, const char *name);
/* The time range of a list, from `from` (inclusive) to `to` (exclusive), RFC 3339 instants;
 * INT64_MIN / INT64_MAX when absent. invalid_value for a bad instant or to before from. */
int sw__query_range(struct sw_req *r, int64_t *from_us, int64_t *to_us, struct sw_error *err);
/* The query names only parameters in allowed ("after,limit"; NULL: none), each at most once:
 * unknown_parameter or invalid_value (a repeated one) naming it in err->field. */
int sw__check_params(struct sw_req *r, const char *allowed, struct sw_error *err);
/* Whether a route's comma-separated parameter list ("after,limit,merchant") names name. */
bool sw__param_listed(const char *list, const char *name);
/* A path id goes into the payload; a body that names another id is refused. */
int sw__put_path_id(json_t *payload, const char *field, const char *id, struct sw_error *err);
/* A store key's write where the key names the store (no store in the path): the payload's
 * merchant is the key's store; a body that names one is refused (400 unknown_field). */
int sw__put_key_store(json_t *payload, const struct sw_req *r, struct sw_error *err);
bool sw__is_merchant(const struct sw_req *r);
bool sw__is_app(const struct sw_req *r);
/* A merchant key sees only its own store: any other id is 404, as if it did not exist. */
int sw__own_merchant(struct sw_req *r, const char *id, struct sw_error *err);
/* The start of a read of a list of the path's store: the caller may see the store
 * (sw__own_merchant), `limit` is 1-200, and the store exists (404 otherwise, not an empty
 * list). On success *c is a reader the caller releases. */
int sw__store_list_open(struct sw_req *r, int64_t *limit, struct sw_conn **c, struct sw_error *err);
/* The role a read is rendered for: a merchant's, NULL for staff. */
const char *sw__viewer(const struct sw_req *r);
/* The idempotency of a write kept in the server's memory (a replay job, a shadow), not in the
 * command log: the scoped Idempotency-Key and a hash of the body. */
struct sw_job_idem {
    char key[IDEM_KEY_MAX + 80]; /* "" without an Idempotency-Key */
    unsigned char body[32];
};
int sw__job_idem_of(const struct sw_req *r, struct sw_job_idem *out, struct sw_error *err);
/* *same: the same key and body, answer as the first time; idempotency_conflict naming the
 * header for the same key with another body; SW_OK otherwise (another key, or none). */
int sw__job_idem_check(const struct sw_job_idem *seen, const struct sw_job_idem *now, bool *same,
                       struct sw_error *err);
/* The violations a write created or put in force (violation.queued / violation.enforced among
 * its events), briefly: [{id, type, severity, status, product, occurrences, penalty}], or NULL
 * when none (a store's key: only those in force). */
json_t *sw__violations_of(struct sw_req *r, struct sw_cmd *cmd);
/* Runs a command on the local engine, or in cluster mode on its partition's owner. */
int sw__execute(struct sw_req *r, struct sw_cmd *cmd);
/* Submits a command (taking payload) and renders {result, command_seq, at, events, replayed}.
 * Idempotency keys are scoped by the caller. */
int sw__run_command(struct sw_req *r, const char *type, json_t *payload, int ok_status,
                    struct sw_error *err);
/* As sw__run_command; without an Idempotency-Key header, the body's key_field (a payment
 * reference, a feed's event id) is the key, scoped by the command type and key_scope. */
int sw__run_keyed(struct sw_req *r, const char *type, json_t *payload, int ok_status,
                  const char *key_field, const char *key_scope, struct sw_error *err);
/* Body + path id (in field) -> command. */
int sw__write_with_id(struct sw_req *r, const char *type, const char *field, int status,
                      struct sw_error *err);
/* As sw__write_with_id, idempotent by the body's key_field when no header is sent. */
int sw__write_keyed(struct sw_req *r, const char *type, const char *field, int status,
                    const char *key_field, struct sw_error *err);

/* A single-object read answers its object's version as its ETag: r->resp's "version". */
void sw__etag_of(struct sw_req *r);
/* Location of a 201: collection + "/" + the id of the created object in the result. */
void sw__locate(struct sw_req *r, const char *collection);

/* queue.c */
int sw__h_me(struct sw_req *r, struct sw_error *err);
int sw__h_claims_create(struct sw_req *r, struct sw_error *err);
int sw__h_claims_list(struct sw_req *r, struct sw_error *err);
int sw__h_claim_delete(struct sw_req *r, struct sw_error *err);
int sw__h_notes_create(struct sw_req *r, struct sw_error *err);
int sw__h_notes_list(struct sw_req *r, struct sw_error *err);
int sw__h_approvals_list(struct sw_req *r, struct sw_error *err);
int sw__h_approval_get(struct sw_req *r, struct sw_error *err);
/* Staff reads of a queue: claimed_by / claimed_until on each item of items (no-op for others). */
int sw__queue_annotate(struct sw_req *r, struct sw_conn *c, json_t *items, struct sw_error *err);
/* GET /v1/queue: approvals_pending and the claims of every list in r->resp. */
int sw__queue_counts(struct sw_req *r, struct sw_conn *c, struct sw_error *err);

/* replay.c */
int sw__h_replays_create(struct sw_req *r, struct sw_error *err);
int sw__h_replay_get(struct sw_req *r, struct sw_error *err);
/* Stops a running job and forgets every job (server stop). */
void sw__replays_stop(void);
/* Puts a replay report's parts into o, its differences paged from position after on. */
void sw__render_report(json_t *o, const json_t *report, int64_t after, int64_t limit);

/* shadow.c */
int sw__h_shadow_start(struct sw_req *r, struct sw_error *err);
int sw__h_shadow_get(struct sw_req *r, struct sw_error *err);
int sw__h_shadow_stop(struct sw_req *r, struct sw_error *err);
/* Stops a running shadow and removes its database (server stop). */
void sw__shadow_stop_all(void);

/* service.c */
int sw__h_clock_get(struct sw_req *r, struct sw_error *err);
int sw__h_clock_post(struct sw_req *r, struct sw_error *err);
int sw__h_healthz(struct sw_req *r, struct sw_error *err);
int sw__h_keys_create(struct sw_req *r, struct sw_error *err);
int sw__h_keys_list(struct sw_req *r, struct sw_error *err);
int sw__h_keys_revoke(struct sw_req *r, struct sw_error *err);
int sw__h_maintenance_get(struct sw_req *r, struct sw_error *err);
int sw__h_maintenance_post(struct sw_req *r, struct sw_error *err);
int sw__h_metrics(struct sw_req *r, struct sw_error *err);
int sw__h_policy(struct sw_req *r, struct sw_error *err);
int sw__h_policy_post(struct sw_req *r, struct sw_error *err);
int sw__h_policy_document(struct sw_req *r, struct sw_error *err);
int sw__h_timers(struct sw_req *r, struct sw_error *err);

/* promotion.c */
int sw__h_promotion_create(struct sw_req *r, struct sw_error *err);
int sw__h_promotion_get(struct sw_req *r, struct sw_error *err);
int sw__h_promotions_list(struct sw_req *r, struct sw_error *err);
int sw__h_impressions(struct sw_req *r, struct sw_error *err);
/* affiliate.c */
int sw__h_affiliate_events(struct sw_req *r, struct sw_error *err);
int sw__h_affiliate_order_get(struct sw_req *r, struct sw_error *err);
int sw__h_affiliate_orders(struct sw_req *r, struct sw_error *err);
int sw__h_affiliate_held(struct sw_req *r, struct sw_error *err);
int sw__h_affiliate_statements(struct sw_req *r, struct sw_error *err);
int sw__h_promoter_put(struct sw_req *r, struct sw_error *err);
int sw__h_affiliate_alerts(struct sw_req *r, struct sw_error *err);
int sw__h_affiliate_statement_get(struct sw_req *r, struct sw_error *err);
/* badge.c */
int sw__h_services_put(struct sw_req *r, struct sw_error *err);
int sw__h_badge_get(struct sw_req *r, struct sw_error *err);
int sw__h_badge_get_at(struct sw_req *r, struct sw_error *err);
int sw__h_notifications(struct sw_req *r, struct sw_error *err);
/* filing.c */
int sw__h_streamer_put(struct sw_req *r, struct sw_error *err);
int sw__h_streamer_get(struct sw_req *r, struct sw_error *err);
int sw__h_filing_pk(struct sw_req *r, struct sw_error *err);
int sw__h_filings_list(struct sw_req *r, struct sw_error *err);
int sw__h_filing_get(struct sw_req *r, struct sw_error *err);
int sw__h_filing_history(struct sw_req *r, struct sw_error *err);
int sw__h_distribution_create(struct sw_req *r, struct sw_error *err);
int sw__h_distributions_list(struct sw_req *r, struct sw_error *err);
int sw__h_distribution_get(struct sw_req *r, struct sw_error *err);
int sw__h_live_session_create(struct sw_req *r, struct sw_error *err);
int sw__h_live_sessions_list(struct sw_req *r, struct sw_error *err);
int sw__h_live_session_get(struct sw_req *r, struct sw_error *err);
int sw__h_lottery_approve(struct sw_req *r, struct sw_error *err);

/* feed.c */
int sw__h_events(struct sw_req *r, struct sw_error *err);

/* scan.c */
int sw__h_scan(struct sw_req *r, struct sw_error *err);

/* catalog.c */
int sw__h_merchant_get(struct sw_req *r, struct sw_error *err);
int sw__h_merchant_products(struct sw_req *r, struct sw_error *err);
int sw__h_merchants_create(struct sw_req *r, struct sw_error *err);
int sw__h_merchants_list(struct sw_req *r, struct sw_error *err);
/* POST /v1/products/{id}/list: a refusal for findings (listing_blocked) names them in
 * error.details.findings. */
int sw__h_product_list(struct sw_req *r, struct sw_error *err);
int sw__h_product_get(struct sw_req *r, struct sw_error *err);
int sw__h_product_get_at(struct sw_req *r, struct sw_error *err);
int sw__h_merchant_get_at(struct sw_req *r, struct sw_error *err);
int sw__h_deposit_get_at(struct sw_req *r, struct sw_error *err);
int sw__h_violation_get_at(struct sw_req *r, struct sw_error *err);
int sw__h_promotion_get_at(struct sw_req *r, struct sw_error *err);
int sw__h_filing_get_at(struct sw_req *r, struct sw_error *err);
int sw__h_affiliate_order_get_at(struct sw_req *r, struct sw_error *err);
/* routes.c: runs the route's handler, or for `?at=` its point-in-time handler after it. */
int sw__route_run(struct sw_req *r, struct sw_error *err);
/* request.c: the `at` query parameter (an RFC 3339 instant) into r->at_us. */
int sw__query_at(struct sw_req *r, struct sw_error *err);
int sw__h_products_create(struct sw_req *r, struct sw_error *err);

/* penalty.c */
int sw__h_appeal_create(struct sw_req *r, struct sw_error *err);
int sw__h_appeal_get(struct sw_req *r, struct sw_error *err);
int sw__h_deposit_get(struct sw_req *r, struct sw_error *err);
int sw__h_deposit_release(struct sw_req *r, struct sw_error *err);
int sw__h_deposit_top_up(struct sw_req *r, struct sw_error *err);
int sw__h_rescans_create(struct sw_req *r, struct sw_error *err);
int sw__h_rescan_get(struct sw_req *r, struct sw_error *err);
int sw__h_queue(struct sw_req *r, struct sw_error *err);
int sw__h_spu_review_stats(struct sw_req *r, struct sw_error *err);
int sw__h_violation_get(struct sw_req *r, struct sw_error *err);
int sw__h_rule_quality(struct sw_req *r, struct sw_error *err);
int sw__h_violations_create(struct sw_req *r, struct sw_error *err);
int sw__h_violations_list(struct sw_req *r, struct sw_error *err);

/* qualification.c */
int sw__h_qualification_get(struct sw_req *r, struct sw_error *err);
int sw__h_qualification_submit(struct sw_req *r, struct sw_error *err);
int sw__h_qualifications_list(struct sw_req *r, struct sw_error *err);

/* access.c */
int sw__h_grant_delete(struct sw_req *r, struct sw_error *err);
int sw__h_grant_post(struct sw_req *r, struct sw_error *err);
int sw__h_grants_list(struct sw_req *r, struct sw_error *err);
int sw__h_order_events(struct sw_req *r, struct sw_error *err);
int sw__h_order_get(struct sw_req *r, struct sw_error *err);
int sw__h_order_logistics_get(struct sw_req *r, struct sw_error *err);
int sw__h_order_logistics_post(struct sw_req *r, struct sw_error *err);
int sw__h_orders_list(struct sw_req *r, struct sw_error *err);

#endif
