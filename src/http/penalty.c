/* Violation, appeal, queue and deposit handlers. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/money.h"
#include "base/pii.h"
#include "domain/access/access.h"
#include "domain/catalog/catalog.h"
#include "domain/penalty/penalty.h"
#include "domain/affiliate/affiliate.h"
#include "domain/filing/filing.h"
#include "domain/qualification/qualification.h"
#include "http/handlers.h"
#include "scan/scan.h"
#include "store/journal.h"

int sw__h_violations_create(struct sw_req *r, struct sw_error *err)
{
    json_t *payload;
    int rc = sw__body_object(r, &payload, err);
    if (rc || (rc = sw__run_command(r, "violation.create", payload, 201, err)))
        return rc;
    sw__locate(r, "/v1/violations");
    return SW_OK;
}

int sw__h_appeal_create(struct sw_req *r, struct sw_error *err)
{
    int rc = sw__write_with_id(r, "appeal.create", "violation", 201, err);
    if (rc == SW_OK)
        sw__locate(r, "/v1/appeals");
    return rc;
}

int sw__h_violations_list(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    struct sw_violation_filter f = {
        .merchant = sw__query_str(r, "merchant"),
        .status = sw__query_str(r, "status"),
        .product = sw__query_str(r, "product"),
        .type = sw__query_str(r, "type"),
    };
    int rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, 200, &limit, err);
    if (rc || (rc = sw__query_range(r, &f.from_us, &f.to_us, err)))
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_penalty_list_violations(c, &f, sw__query_str(r, "after"), (int)limit, sw__viewer(r),
                                    sw_engine_policy(r->engine), &r->resp, err);
    if (rc == SW_OK)
        rc = sw__queue_annotate(r, c, json_object_get(r->resp, "violations"), err);
    sw_pool_release(pool, c);
    return rc;
}

int sw__h_violation_get(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_penalty_get_violation(c, r->params[0], sw__viewer(r), sw_engine_policy(r->engine),
                                      &r->resp, err);
    sw_pool_release(pool, c);
    sw__etag_of(r);
    return rc;
}

int sw__h_appeal_get(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_penalty_get_appeal(c, r->params[0], sw__viewer(r), &r->resp, err);
    sw_pool_release(pool, c);
    sw__etag_of(r);
    return rc;
}

int sw__h_queue(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    int rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, 200, &limit, err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_penalty_queue(r->engine, c, sw_engine_policy(r->engine), sw__query_str(r, "after"),
                          (int)limit, &r->resp, err);
    json_t *quals = NULL;
    if (rc == SW_OK && (rc = sw_qualification_in_review(c, (int)limit, &quals, err)) == SW_OK)
        json_object_set_new(r->resp, "qualifications_in_review", quals);
    json_t *filings = NULL;
    if (rc == SW_OK && (rc = sw_filing_in_review(c, (int)limit, &filings, err)) == SW_OK)
        json_object_set_new(r->resp, "filings_in_review", filings);
    json_t *alerts = NULL;
    if (rc == SW_OK && (rc = sw_affiliate_alerts(c, NULL, (int)limit, &alerts, err)) == SW_OK) {
        json_object_set(r->resp, "affiliate_alerts", json_object_get(alerts, "alerts"));
        json_decref(alerts);
    }
    if (rc == SW_OK)
        rc = sw__queue_counts(r, c, err);
    sw_pool_release(pool, c);
    return rc;
}

int sw__h_deposit_get(struct sw_req *r, struct sw_error *err)
{
    int64_t after = 0, limit = PAGE_DEFAULT;
    int rc = sw__own_merchant(r, r->params[0], err);
    if (rc || (rc = sw__query_int(r, "after", 0, 0, INT64_MAX, &after, err)) ||
        (rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, 200, &limit, err)))
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_penalty_get_deposit(c, r->params[0], after, (int)limit, &r->resp, err);
    sw_pool_release(pool, c);
    sw__etag_of(r);
    return rc;
}

/* A ledger entry has no URL of its own: a top-up or release points at the store's deposit,
 * whose entries list it (docs/api.md "HTTP conventions"). */
static int deposit_write(struct sw_req *r, const char *type, struct sw_error *err)
{
    int rc = sw__write_keyed(r, type, "id", 201, "ref", err);
    if (rc == SW_OK)
        snprintf(r->location, sizeof r->location, "/v1/merchants/%s/deposit", r->params[0]);
    return rc;
}

int sw__h_deposit_top_up(struct sw_req *r, struct sw_error *err)
{
    return deposit_write(r, "deposit.top_up", err);
}

int sw__h_deposit_release(struct sw_req *r, struct sw_error *err)
{
    return deposit_write(r, "deposit.release", err);
}

/* The engine keys review statistics by their event_id, whoever sends them. */
int sw__h_spu_review_stats(struct sw_req *r, struct sw_error *err)
{
    return sw__write_with_id(r, "spu.review_stats", "id", 200, err);
}

/* ---------- violations named in a write's answer ---------- */

static json_t *violation_brief(const json_t *v)
{
    return json_pack("{s:O?,s:O?,s:O?,s:O?,s:O?,s:O?,s:O?}", "id", json_object_get(v, "id"), "type",
                     json_object_get(v, "type"), "severity", json_object_get(v, "severity"),
                     "status", json_object_get(v, "status"), "product",
                     json_object_get(v, "product"), "occurrences",
                     json_object_get(v, "occurrences"), "penalty", json_object_get(v, "penalty"));
}

json_t *sw__violations_of(struct sw_req *r, struct sw_cmd *cmd)
{
    /* Most writes create none: the events' text tells without parsing it. In cluster mode the
     * payloads come with the owner's answer; this node's database has other events. */
    if ((cmd->events_text && !strstr(cmd->events_text, "\"violation.")) ||
        (r->srv->exec && !cmd->event_payloads))
        return NULL;
    json_t *evs = sw_cmd_events(cmd);
    json_t *out = NULL;
    struct sw_pool *pool = NULL;
    struct sw_conn *c = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(evs, i, e)
    {
        const char *type = json_string_value(json_object_get(e, "type"));
        if (!type ||
            (strcmp(type, "violation.queued") != 0 && strcmp(type, "violation.enforced") != 0))
            continue;
        json_int_t seq = json_integer_value(json_object_get(e, "seq"));
        json_t *payload = NULL;
        if (cmd->event_payloads) { /* cluster mode: read on the partition's owner */
            size_t k;
            json_t *pair;
            json_array_foreach(cmd->event_payloads, k, pair)
            {
                if (json_integer_value(json_array_get(pair, 0)) == seq)
                    payload = json_incref(json_array_get(pair, 1));
            }
            if (!payload)
                continue;
        } else {
            if (!c) {
                pool = sw_engine_readers(r->engine);
                c = sw_pool_acquire(pool);
            }
            struct sw_error err;
            if (sw_journal_event_payload(c, seq, &payload, &err) != SW_OK)
                continue;
        }
        /* a store never sees a violation before it is in force */
        if (!sw__is_merchant(r) || sw_penalty_store_sees_event(type, payload)) {
            if (!out)
                out = json_array();
            json_array_append_new(out, violation_brief(payload));
        }
        json_decref(payload);
    }
    if (c)
        sw_pool_release(pool, c);
    return out;
}

/* ---------- rescans ---------- */

int sw__h_rescans_create(struct sw_req *r, struct sw_error *err)
{
    json_t *payload;
    int rc = sw__body_object(r, &payload, err);
    if (rc || (rc = sw__run_command(r, "rescan.start", payload, 201, err)))
        return rc;
    sw__locate(r, "/v1/admin/rescans");
    /* a start while a job runs creates nothing: 200 with the running job (started: false) */
    if (r->resp && json_is_false(json_object_get(json_object_get(r->resp, "result"), "started")))
        r->status = 200;
    return SW_OK;
}

int sw__h_rescan_get(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_penalty_get_rescan(c, r->params[0], &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

int sw__h_rule_quality(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_penalty_rule_quality(c, sw__query_str(r, "rule"),
                                     sw__query_str(r, "policy_version"), &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

int sw__h_violation_get_at(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc =
        sw_penalty_violation_at(r->engine, c, r->params[0], sw__viewer(r), r->at_us, &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

/* The live answer's ledger page (same after and limit) is cut at the instant. */
int sw__h_deposit_get_at(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_penalty_deposit_at(r->engine, c, r->params[0], r->live, r->at_us, &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}
