/* Service and administration handlers: health, metrics, timers, maintenance, the clock,
 * keys, the policy. The event feed is in feed.c. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/log.h"
#include "base/money.h"
#include "base/pii.h"
#include "domain/access/access.h"
#include "domain/catalog/catalog.h"
#include "domain/penalty/penalty.h"
#include "domain/promotion/promotion.h"
#include "domain/filing/filing.h"
#include "domain/qualification/qualification.h"
#include "domain/queue/queue.h"
#include "http/handlers.h"
#include "scan/scan.h"
#include "store/journal.h"
#include "store/policy_sql.h"

int sw__h_healthz(struct sw_req *r, struct sw_error *err)
{
    r->resp = json_pack("{s:s,s:s,s:s,s:b}", "status", "ok", "version", SW_VERSION,
                        "policy_version", sw_engine_policy(r->engine)->version, "maintenance",
                        atomic_load(&r->srv->maintenance));
    return SW_OK;
}

struct metrics_ctx {
    struct sw_buf *b;
    bool ok;
};

static void metric_type(void *arg, const char *type, uint64_t acc, uint64_t ref, uint64_t rep)
{
    struct metrics_ctx *m = arg;
    m->ok &= sw_buf_printf(m->b,
                           "sw_commands_total{type=\"%s\",outcome=\"accepted\"} %llu\n"
                           "sw_commands_total{type=\"%s\",outcome=\"refused\"} %llu\n"
                           "sw_commands_total{type=\"%s\",outcome=\"replayed\"} %llu\n",
                           type, (unsigned long long)acc, type, (unsigned long long)ref, type,
                           (unsigned long long)rep);
}

/* Quick promotion: impressions by outcome, and what the dedupe state holds in memory. */
static bool promotion_metrics(struct sw_engine *e, struct sw_buf *b)
{
    uint64_t outcomes[SW_IMP_OUTCOME_COUNT], ids, bytes;
    sw_promotion_metrics(e, outcomes, &ids, &bytes);
    bool ok = sw_buf_puts(b, "# HELP sw_impressions_total Impressions reported, by outcome (late:"
                             " refused, older than the stats delay).\n"
                             "# TYPE sw_impressions_total counter\n");
    for (int i = 0; i < SW_IMP_OUTCOME_COUNT; i++)
        ok &= sw_buf_printf(b, "sw_impressions_total{outcome=\"%s\"} %llu\n",
                            sw_impression_outcome_names[i], (unsigned long long)outcomes[i]);
    ok &= sw_buf_printf(b,
                        "# HELP sw_impression_dedupe_ids Impression ids held for orders whose"
                        " figure is not final.\n"
                        "# TYPE sw_impression_dedupe_ids gauge\nsw_impression_dedupe_ids %llu\n"
                        "# HELP sw_impression_dedupe_bytes Memory of the dedupe tables.\n"
                        "# TYPE sw_impression_dedupe_bytes gauge\n"
                        "sw_impression_dedupe_bytes %llu\n",
                        (unsigned long long)ids, (unsigned long long)bytes);
    return ok;
}

int sw__h_metrics(struct sw_req *r, struct sw_error *err)
{
    struct sw_buf b;
    sw_buf_init(&b, 1 << 20);
    struct sw_engine_stats st;
    sw_engine_stats(r->engine, &st);
    struct metrics_ctx m = {&b, true};
    m.ok &= sw_buf_puts(&b, "# HELP sw_commands_total Commands by type and outcome.\n"
                            "# TYPE sw_commands_total counter\n");
    sw_engine_foreach_type(r->engine, metric_type, &m);
    m.ok &= sw_buf_puts(&b, "# HELP sw_command_latency_seconds Submit-to-commit latency.\n"
                            "# TYPE sw_command_latency_seconds histogram\n");
    uint64_t cum = 0;
    for (int i = 0; i < 11; i++) {
        cum += st.latency_us_buckets[i];
        m.ok &= sw_buf_printf(&b, "sw_command_latency_seconds_bucket{le=\"%g\"} %llu\n",
                              sw_engine_latency_bounds_s[i], (unsigned long long)cum);
    }
    cum += st.latency_us_buckets[11];
    m.ok &= sw_buf_printf(
        &b,
        "sw_command_latency_seconds_bucket{le=\"+Inf\"} %llu\n"
        "sw_command_latency_seconds_sum %.6f\n"
        "sw_command_latency_seconds_count %llu\n"
        "# HELP sw_queue_depth Commands submitted and not yet applied.\n"
        "# TYPE sw_queue_depth gauge\nsw_queue_depth %llu\n"
        "# HELP sw_batches_total Write transactions that applied at least one command (idle "
        "scheduler ticks are not counted).\n"
        "# TYPE sw_batches_total counter\nsw_batches_total %llu\n"
        "# HELP sw_batch_commands_total Commands applied in those transactions.\n"
        "# TYPE sw_batch_commands_total counter\nsw_batch_commands_total %llu\n"
        "# HELP sw_timers_fired_total Timers fired by the scheduler.\n"
        "# TYPE sw_timers_fired_total counter\nsw_timers_fired_total %llu\n"
        "# HELP sw_http_responses_total HTTP responses by status class.\n"
        "# TYPE sw_http_responses_total counter\n",
        (unsigned long long)cum, (double)st.latency_us_sum / 1e6, (unsigned long long)cum,
        (unsigned long long)st.queue_depth, (unsigned long long)st.batches,
        (unsigned long long)st.commands_in_batches, (unsigned long long)st.timers_fired);
    for (int i = 1; i <= 5; i++)
        m.ok &= sw_buf_printf(&b, "sw_http_responses_total{class=\"%dxx\"} %llu\n", i,
                              (unsigned long long)atomic_load(&r->srv->responses[i]));
    m.ok &= sw_buf_printf(&b,
                          "# HELP sw_maintenance 1 while the service is in maintenance (writes "
                          "refused with 503).\n"
                          "# TYPE sw_maintenance gauge\nsw_maintenance %d\n",
                          atomic_load(&r->srv->maintenance) ? 1 : 0);
    uint64_t scanned, scan_bytes;
    sw_scan_stats(&scanned, &scan_bytes);
    m.ok &= sw_buf_printf(&b,
                          "# HELP sw_scan_listings_total Listings through the content scanner.\n"
                          "# TYPE sw_scan_listings_total counter\nsw_scan_listings_total %llu\n"
                          "# HELP sw_scan_bytes_total Bytes of listing text scanned.\n"
                          "# TYPE sw_scan_bytes_total counter\nsw_scan_bytes_total %llu\n",
                          (unsigned long long)scanned, (unsigned long long)scan_bytes);
    int64_t pending = 0, open = 0, overdue = 0, in_review = 0, filings = 0, approvals = 0;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_penalty_queue_counts(c, &pending, &open, &overdue, err);
    if (rc == SW_OK)
        rc = sw_qualification_in_review_count(c, &in_review, err);
    if (rc == SW_OK)
        rc = sw_filing_in_review_count(c, &filings, err);
    if (rc == SW_OK)
        rc = sw_queue_approvals_pending(c, &approvals, err);
    sw_pool_release(pool, c);
    if (rc) {
        sw_buf_release(&b);
        return rc;
    }
    m.ok &= sw_buf_printf(&b,
                          "# HELP sw_violations_pending Violations queued for an operator.\n"
                          "# TYPE sw_violations_pending gauge\nsw_violations_pending %lld\n"
                          "# HELP sw_appeals_open Appeals waiting for an answer.\n"
                          "# TYPE sw_appeals_open gauge\nsw_appeals_open %lld\n"
                          "# HELP sw_appeals_overdue Open appeals past their SLA.\n"
                          "# TYPE sw_appeals_overdue gauge\nsw_appeals_overdue %lld\n",
                          (long long)pending, (long long)open, (long long)overdue);
    m.ok &= sw_buf_printf(&b,
                          "# HELP sw_qualifications_in_review Qualification records waiting "
                          "for an operator.\n"
                          "# TYPE sw_qualifications_in_review gauge\n"
                          "sw_qualifications_in_review %lld\n"
                          "# HELP sw_filings_in_review Filing records waiting for an operator.\n"
                          "# TYPE sw_filings_in_review gauge\nsw_filings_in_review %lld\n"
                          "# HELP sw_approvals_pending Decisions waiting for a second "
                          "operator's approval.\n"
                          "# TYPE sw_approvals_pending gauge\nsw_approvals_pending %lld\n",
                          (long long)in_review, (long long)filings, (long long)approvals);
    m.ok &= promotion_metrics(r->engine, &b);
    m.ok &= sw__limits_metrics(r->srv, &b);
    m.ok &= sw__http_metrics(r->srv, &b);
    if (!m.ok) {
        sw_buf_release(&b);
        return sw_fail(err, SW_E_INTERNAL, NULL, "metrics too large");
    }
    r->text_resp = sw_buf_steal(&b);
    return SW_OK;
}

/* The cursor of the timer list is "<due_us>.<id>": timers are listed by due instant. */
static bool timer_cursor(const char *after, int64_t *due, int64_t *id)
{
    char *end;
    errno = 0;
    long long d = strtoll(after, &end, 10);
    if (end == after || *end != '.' || errno)
        return false;
    const char *rest = end + 1;
    long long i = strtoll(rest, &end, 10);
    if (end == rest || *end || errno || i < 0)
        return false;
    *due = d;
    *id = i;
    return true;
}

int sw__h_timers(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT, due = INT64_MIN, id = 0;
    const char *after = sw__query_str(r, "after");
    int rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, PAGE_MAX, &limit, err);
    if (rc)
        return rc;
    if (after && !timer_cursor(after, &due, &id))
        return sw_fail(err, SW_E_INVALID_VALUE, "after", "unknown cursor '%s'", after);
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    json_t *timers;
    rc = sw_journal_timers_list(c, due, id, (int)limit + 1, &timers, err);
    sw_pool_release(pool, c);
    if (rc)
        return rc;
    r->resp = json_object();
    sw_page_set(r->resp, "timers", timers, (size_t)limit, "cursor");
    size_t i;
    json_t *t;
    json_array_foreach(timers, i, t) json_object_del(t, "cursor");
    return SW_OK;
}

int sw__h_maintenance_get(struct sw_req *r, struct sw_error *err)
{
    pthread_mutex_lock(&r->srv->maint_lock);
    json_t *reason = r->srv->maint_reason[0] ? json_string(r->srv->maint_reason) : json_null();
    pthread_mutex_unlock(&r->srv->maint_lock);
    r->resp = json_pack("{s:b,s:i,s:o}", "enabled", atomic_load(&r->srv->maintenance),
                        "retry_after_s", atomic_load(&r->srv->retry_after_s), "reason", reason);
    return SW_OK;
}

/* The server's maintenance flag is a cache of the committed state: after the command it is
 * read back from the database, never taken from the answer, which for a replayed
 * Idempotency-Key is an old one. The lock orders concurrent refreshes: each reads after its
 * own command committed, so the last one to store has read the latest state. */
int sw__h_maintenance_post(struct sw_req *r, struct sw_error *err)
{
    static pthread_mutex_t refresh = PTHREAD_MUTEX_INITIALIZER;
    json_t *payload;
    int rc = sw__body_object(r, &payload, err);
    if (rc || (rc = sw__run_command(r, "admin.maintenance", payload, 200, err)))
        return rc;
    bool enabled = false;
    int retry = 60;
    char reason[SW_MAINT_REASON_MAX + 1];
    struct sw_pool *pool = sw_engine_readers(r->engine);
    pthread_mutex_lock(&refresh);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_admin_maintenance_state(c, &enabled, &retry, reason, err);
    sw_pool_release(pool, c);
    if (rc == SW_OK) {
        pthread_mutex_lock(&r->srv->maint_lock);
        memcpy(r->srv->maint_reason, reason, sizeof reason);
        pthread_mutex_unlock(&r->srv->maint_lock);
        atomic_store(&r->srv->retry_after_s, retry);
        atomic_store(&r->srv->maintenance, enabled);
    }
    pthread_mutex_unlock(&refresh);
    return rc;
}

int sw__h_clock_get(struct sw_req *r, struct sw_error *err)
{
    struct sw_clock *clk = sw_engine_clock(r->engine);
    char now[32];
    r->resp = json_pack("{s:s,s:s}", "now", sw_instant_format(sw_clock_now(clk), now), "clock",
                        clk->manual ? "manual" : "system");
    return SW_OK;
}

/* The move's record (sw_admin_clock_record) under the request's key and role. */
static int clock_logged(struct sw_req *r, const char *idem, int64_t to, int fired, json_t **out,
                        bool *replayed, struct sw_error *err)
{
    struct sw_cmd who = {.actor = r->role,
                         .actor_key = r->key_id[0] ? r->key_id : NULL,
                         .actor_label = r->key_label[0] ? r->key_label : NULL,
                         .idem_key = idem};
    return sw_admin_clock_record(r->engine, &who, to, fired, out, replayed, err);
}

/* POST /v1/admin/clock {"now"}: the manual clock moves and the timers due fire; the move is
 * logged with its outcome (admin.clock). With an Idempotency-Key it is a write like any other: a
 * repeat of the
 * key answers the first move's answer (replayed) and moves nothing, the key with another
 * instant is 409 idempotency_conflict. */
int sw__h_clock_post(struct sw_req *r, struct sw_error *err)
{
    json_t *body;
    int rc = sw__body_object(r, &body, err);
    if (rc)
        return rc;
    int64_t to = 0;
    struct sw_jfield f[] = {{"now", SW_J_INSTANT, SW_J_REQUIRED, &to, 0, NULL}};
    rc = sw_json_read(body, "", f, 1, true, err);
    json_decref(body);
    if (rc)
        return rc;
    if (!sw_engine_clock(r->engine)->manual)
        return sw_fail(err, SW_E_STATE_CONFLICT, NULL,
                       "the server runs on the system clock (start it with --clock manual)");
    char idem[sizeof r->key_id + IDEM_KEY_MAX + 8];
    bool keyed = sw__idem_header(r, idem, sizeof idem, err), replayed = false;
    if (!keyed && err->code)
        return err->code;
    json_t *first = NULL;
    if (keyed && (rc = clock_logged(r, idem, to, -1, &first, &replayed, err)) != SW_E_NOT_FOUND) {
        if (rc == SW_OK) { /* a repeat: the first answer, nothing moved */
            r->resp = first;
            json_object_set_new(r->resp, "replayed", json_true());
            r->replayed = true;
        }
        return rc;
    }
    sw_error_clear(err);
    int fired;
    if ((rc = sw_engine_tick(r->engine, to, &fired, err)))
        return rc;
    /* every move is logged, with a key or without (a replay's timers follow it) */
    if ((rc = clock_logged(r, keyed ? idem : NULL, to, fired, &first, &replayed, err)) != SW_OK)
        return rc;
    if (!keyed) { /* the answer as it has always been, without "replayed" */
        json_decref(first);
        first = NULL;
    }
    char now[32];
    if (first) { /* the key's record (a request with it that raced this one wrote it first) */
        r->resp = first;
        json_object_set_new(r->resp, "replayed", json_boolean(replayed));
        r->replayed = replayed;
    } else {
        r->resp = json_pack("{s:s,s:i}", "now", sw_instant_format(to, now), "timers_fired", fired);
    }
    return SW_OK;
}

int sw__h_keys_create(struct sw_req *r, struct sw_error *err)
{
    json_t *body;
    int rc = sw__body_object(r, &body, err);
    if (rc)
        return rc;
    const char *role = NULL, *id = NULL, *label = NULL;
    int64_t expires_at = 0;
    struct sw_jfield f[] = {
        {"role", SW_J_STR, SW_J_REQUIRED, &role, SW_ROLE_MAX, NULL},
        {"id", SW_J_ID, 0, &id, 0, NULL},
        {"label", SW_J_STR, 0, &label, SW_KEY_LABEL_MAX, NULL},
        {"expires_at", SW_J_INSTANT, 0, &expires_at, 0, NULL},
    };
    if ((rc = sw_json_read(body, "", f, sizeof f / sizeof f[0], true, err))) {
        json_decref(body);
        return rc;
    }
    char key[64], hash[65], gen_id[40];
    sw_key_generate(key, hash);
    if (!id) {
        /* The id is public (it names the key in the audit log). With an idempotency key it is
         * derived from it (and the sending key, which scopes it), so that a retry is
         * recognised as the same request. */
        const char *idem = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Idempotency-Key");
        unsigned char h[32];
        char seed[400];
        snprintf(seed, sizeof seed, "%s|%s|%s", r->key_id, role, idem ? idem : hash);
        sw_key_hash(seed, h);
        snprintf(gen_id, sizeof gen_id, "key_%02x%02x%02x%02x%02x%02x%02x%02x", h[0], h[1], h[2],
                 h[3], h[4], h[5], h[6], h[7]);
        id = gen_id;
    }
    json_t *payload = json_pack("{s:s,s:s,s:s}", "id", id, "role", role, "hash", hash);
    /* In cluster mode the store of a store's key is in its partition, not in node.db: it is
     * looked up there, and the node's own check is told it was. */
    const char *store = sw_actor_merchant(role);
    if (store && r->srv->read_remote && sw_id_valid(store)) {
        bool exists = false;
        char path[128];
        snprintf(path, sizeof path, "/v1/merchants/%s", store);
        if ((rc = sw__remote_exists(r, path, store, &exists, err))) {
            json_decref(payload);
            json_decref(body);
            return rc;
        }
        json_object_set_new(payload, "store_checked", json_boolean(exists));
    }
    if (label)
        json_object_set_new(payload, "label", json_string(label));
    if (json_object_get(body, "expires_at"))
        json_object_set(payload, "expires_at", json_object_get(body, "expires_at"));
    json_decref(body);
    char made[80]; /* id pointed into the body, freed above: the payload holds a copy */
    snprintf(made, sizeof made, "%s", json_string_value(json_object_get(payload, "id")));
    if ((rc = sw__run_command(r, "key.create", payload, 201, err)))
        return rc;
    /* cluster mode: every node gets it, unless another node has the id (409, withdrawn here) */
    if ((rc = sw__keys_publish(r, made, err))) {
        json_decref(r->resp);
        r->resp = NULL;
        return rc;
    }
    /* The secret is shown once, on the first answer; a replay cannot show it again. */
    json_object_set_new(json_object_get(r->resp, "result"), "key",
                        r->replayed ? json_null() : json_string(key));
    /* Keys have no single-key read: the Location is the keys collection (docs/api.md). */
    snprintf(r->location, sizeof r->location, "/v1/admin/keys");
    return SW_OK;
}

/* Keys by id, without secrets or hashes. */
int sw__h_keys_list(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    int rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, PAGE_MAX, &limit, err);
    if (rc)
        return rc;
    const char *after = sw__query_str(r, "after");
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    json_t *keys;
    rc = sw_journal_keys_list(c, after, (int)limit + 1, &keys, err);
    sw_pool_release(pool, c);
    if (rc)
        return rc;
    r->resp = json_object();
    sw_page_set(r->resp, "keys", keys, (size_t)limit, "id");
    return SW_OK;
}

int sw__h_keys_revoke(struct sw_req *r, struct sw_error *err)
{
    int rc = sw__write_with_id(r, "key.revoke", "id", 200, err);
    if (rc == SW_OK)
        sw__auth_forget_all(r->srv);
    struct sw_error ignored; /* the revocation is this node's; a broker away gets it later */
    if (rc == SW_OK && sw__keys_publish(r, r->params[0], &ignored) != SW_OK)
        sw_log(SW_LOG_ERROR, "keys.publish", "revocation of '%s': %s", r->params[0], ignored.msg);
    return rc;
}

/* The whole check runs here, before the writer, so that a refusal lists every problem with its
 * JSON path (error.details.problems), exactly as `shopwarden policy check` prints them. */
int sw__h_policy_post(struct sw_req *r, struct sw_error *err)
{
    json_t *payload;
    int rc = sw__body_object(r, &payload, err);
    if (rc)
        return rc;
    char *text = sw_json_dump(payload);
    if (!text) {
        json_decref(payload);
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot serialise the policy");
    }
    struct sw_policy *p = NULL;
    json_t *problems = NULL;
    rc = sw_policy_load(text, strlen(text), &p, &problems, err);
    free(text);
    sw_policy_free(p);
    if (rc) {
        json_decref(payload);
        json_decref(r->err_details);
        r->err_details = json_pack("{s:o}", "problems", problems ? problems : json_array());
        return rc;
    }
    json_decref(problems);
    return sw__run_command(r, "policy.activate", payload, 200, err);
}

int sw__h_policy(struct sw_req *r, struct sw_error *err)
{
    const struct sw_policy *p = sw_engine_policy(r->engine);
    json_t *cats = json_array();
    for (int i = 0; i < p->ncategories; i++) {
        const struct sw_policy_category *c = &p->categories[i];
        json_array_append_new(cats, json_pack("{s:s,s:s,s:s,s:O,s:O,s:I}", "code", c->code, "name",
                                              c->name, "industry", c->industry, "qualifications",
                                              c->qualifications, "industry_qualifications",
                                              c->industry_qualifications, "deposit_fen",
                                              (json_int_t)c->deposit_fen));
    }
    r->resp = json_pack("{s:s,s:o}", "version", p->version, "categories", cats);
    return SW_OK;
}

/* GET /v1/admin/policy[?version=V]: the whole document of the policy in force (as POST takes
 * it: change what you need and post it back under a new version), or of a version the engine
 * ran with before; 404 for a version it never had. */
int sw__h_policy_document(struct sw_req *r, struct sw_error *err)
{
    const struct sw_policy *p = sw_engine_policy(r->engine);
    const char *v = sw__query_str(r, "version");
    if (!v || strcmp(v, p->version) == 0) {
        r->text_resp = sw_json_dump(p->doc);
        r->text_is_json = true;
        return r->text_resp ? SW_OK : sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    }
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    char *doc = NULL;
    int rc = sw_sql_policy_get(c, v, &doc, err);
    sw_pool_release(pool, c);
    if (rc)
        return rc;
    if (!doc)
        return sw_fail(err, SW_E_NOT_FOUND, "version", "no policy version '%s'", v);
    r->text_resp = doc;
    r->text_is_json = true;
    return SW_OK;
}
