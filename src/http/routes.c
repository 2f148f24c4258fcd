/* The route table and its handlers: parse, one engine call, render. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/money.h"
#include "scan/scan.h"
#include "base/pii.h"
#include "domain/access/access.h"
#include "domain/catalog/catalog.h"
#include "domain/penalty/penalty.h"
#include "http/internal.h"
#include "http/routes.h"
#include "store/journal.h"

#define PAGE_DEFAULT 100
#define PAGE_MAX 1000
#define IDEM_KEY_MAX 128

/* ---------- helpers ---------- */

static int body_object(struct sw_req *r, json_t **out, struct sw_error *err)
{
    if (r->body.len == 0) {
        *out = json_object();
        return SW_OK;
    }
    return sw_json_parse_object(r->body.data, r->body.len, out, err);
}

static int query_int(struct sw_req *r, const char *name, int64_t dflt, int64_t min, int64_t max,
                     int64_t *out, struct sw_error *err)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    if (!v) {
        *out = dflt;
        return SW_OK;
    }
    char *end;
    long long x = strtoll(v, &end, 10);
    if (!*v || *end || x < min || x > max)
        return sw_fail(err, SW_E_INVALID_VALUE, name,
                       "query parameter '%s' must be an integer "
                       "between %lld and %lld",
                       name, (long long)min, (long long)max);
    *out = x;
    return SW_OK;
}

static const char *query_str(struct sw_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* A path id goes into the payload; a body that names another id is refused. */
static int put_path_id(json_t *payload, const char *field, const char *id, struct sw_error *err)
{
    json_t *have = json_object_get(payload, field);
    if (have && (!json_is_string(have) || strcmp(json_string_value(have), id) != 0))
        return sw_fail(err, SW_E_INVALID_VALUE, field, "'%s' in the body differs from the path",
                       field);
    if (!sw_id_valid(id))
        return sw_fail(err, SW_E_NOT_FOUND, field, "unknown %s '%s'", field, id);
    json_object_set_new(payload, field, json_string(id));
    return SW_OK;
}

static bool is_merchant(const struct sw_req *r)
{
    return r->role_bit == ROLE_MERCHANT;
}

/* Submits a command and renders {result, command_seq, events, replayed}. Idempotency keys are
 * scoped by the caller's role, so two merchants can never collide or probe each other's. */
static int run_keyed(struct sw_req *r, const char *type, json_t *payload, int ok_status,
                     const char *key_field, const char *key_scope, struct sw_error *err);

static int run_command(struct sw_req *r, const char *type, json_t *payload, int ok_status,
                       struct sw_error *err)
{
    return run_keyed(r, type, payload, ok_status, NULL, NULL, err);
}

/* As run_command; without an Idempotency-Key header, the body's key_field (a payment
 * reference, a feed's event id) is the key, scoped by the command type: a fact delivered
 * twice is applied once. */
static int run_keyed(struct sw_req *r, const char *type, json_t *payload, int ok_status,
                     const char *key_field, const char *key_scope, struct sw_error *err)
{
    char idem[SW_ROLE_MAX + IDEM_KEY_MAX + 160];
    const char *key = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Idempotency-Key");
    char fact_key[IDEM_KEY_MAX + 140];
    const json_t *kv = key_field ? json_object_get(payload, key_field) : NULL;
    if (!key && json_is_string(kv) && json_string_length(kv) <= IDEM_KEY_MAX) {
        snprintf(fact_key, sizeof fact_key, "%s:%s:%s", type, key_scope ? key_scope : "",
                 json_string_value(kv));
        key = fact_key;
    }
    if (key) {
        size_t n = strlen(key);
        bool ok = n > 0 && (n <= IDEM_KEY_MAX || key == fact_key);
        for (size_t i = 0; ok && i < n; i++)
            ok = key[i] > 0x20 && key[i] < 0x7f;
        if (!ok) {
            json_decref(payload);
            return sw_fail(err, SW_E_INVALID_VALUE, "Idempotency-Key",
                           "Idempotency-Key must be 1-%d printable ASCII characters", IDEM_KEY_MAX);
        }
        snprintf(idem, sizeof idem, "%s|%s", r->role, key);
    }
    json_t *m = json_object_get(payload, "merchant");
    struct sw_cmd cmd = {
        .type = type,
        .actor = r->role,
        .merchant = json_is_string(m) ? json_string_value(m) : (is_merchant(r) ? r->scope : NULL),
        .idem_key = key ? idem : NULL,
        .payload = payload,
    };
    int rc = sw_engine_execute(r->srv->engine, &cmd);
    if (rc) {
        *err = cmd.err;
        err->code = rc;
        json_decref(payload);
        return rc;
    }
    char at[32];
    sw_instant_format(cmd.at, at);
    if (cmd.result_text) {
        /* The handler rendered its result as text: splice it, same keys in the same order. */
        char *events = sw_json_dump(cmd.events);
        struct sw_buf b;
        sw_buf_init(&b, 0);
        bool ok = events && sw_buf_printf(&b,
                                          "{\"result\":%s,\"command_seq\":%lld,\"at\":\"%s\","
                                          "\"events\":%s,\"replayed\":%s}",
                                          cmd.result_text, (long long)cmd.seq, at, events,
                                          cmd.replayed ? "true" : "false");
        free(events);
        if (!ok) {
            sw_buf_release(&b);
            sw_cmd_release(&cmd);
            json_decref(payload);
            return sw_fail(err, SW_E_INTERNAL, NULL, "cannot render the result");
        }
        r->text_resp = sw_buf_steal(&b);
        r->text_is_json = true;
    } else {
        r->resp = json_pack("{s:O,s:I,s:s,s:O,s:b}", "result", cmd.result, "command_seq",
                            (json_int_t)cmd.seq, "at", at, "events", cmd.events, "replayed",
                            cmd.replayed);
    }
    r->replayed = cmd.replayed;
    r->status = ok_status;
    sw_cmd_release(&cmd);
    json_decref(payload);
    return SW_OK;
}

/* Body + path id -> command. */
static int write_with_id(struct sw_req *r, const char *type, const char *field, int status,
                         struct sw_error *err)
{
    json_t *payload;
    int rc = body_object(r, &payload, err);
    if (rc)
        return rc;
    if ((rc = put_path_id(payload, field, r->params[0], err))) {
        json_decref(payload);
        return rc;
    }
    return run_command(r, type, payload, status, err);
}

/* A route that only turns body + path id into its command: the table row names the command,
 * the payload field for the path id ("id" unless named) and the status (200 unless named). */
static int h_command(struct sw_req *r, struct sw_error *err)
{
    const struct route *rt = r->route;
    return write_with_id(r, rt->command, rt->id_field ? rt->id_field : "id",
                         rt->status ? rt->status : 200, err);
}

/* ---------- service ---------- */

static int h_healthz(struct sw_req *r, struct sw_error *err)
{
    r->resp = json_pack("{s:s,s:s,s:s,s:b}", "status", "ok", "version", SW_VERSION,
                        "policy_version", sw_engine_policy(r->srv->engine)->version, "maintenance",
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

static int h_metrics(struct sw_req *r, struct sw_error *err)
{
    struct sw_buf b;
    sw_buf_init(&b, 1 << 20);
    struct sw_engine_stats st;
    sw_engine_stats(r->srv->engine, &st);
    struct metrics_ctx m = {&b, true};
    m.ok &= sw_buf_puts(&b, "# HELP sw_commands_total Commands by type and outcome.\n"
                            "# TYPE sw_commands_total counter\n");
    sw_engine_foreach_type(r->srv->engine, metric_type, &m);
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
        "# TYPE sw_batches_total counter\nsw_batches_total %llu\n"
        "# TYPE sw_batch_commands_total counter\nsw_batch_commands_total %llu\n"
        "# TYPE sw_timers_fired_total counter\nsw_timers_fired_total %llu\n"
        "# TYPE sw_http_responses_total counter\n",
        (unsigned long long)cum, (double)st.latency_us_sum / 1e6, (unsigned long long)cum,
        (unsigned long long)st.queue_depth, (unsigned long long)st.batches,
        (unsigned long long)st.commands_in_batches, (unsigned long long)st.timers_fired);
    for (int i = 1; i <= 5; i++)
        m.ok &= sw_buf_printf(&b, "sw_http_responses_total{class=\"%dxx\"} %llu\n", i,
                              (unsigned long long)atomic_load(&r->srv->responses[i]));
    m.ok &= sw_buf_printf(&b, "# TYPE sw_maintenance gauge\nsw_maintenance %d\n",
                          atomic_load(&r->srv->maintenance) ? 1 : 0);
    uint64_t scanned, scan_bytes;
    sw_scan_stats(&scanned, &scan_bytes);
    m.ok &= sw_buf_printf(&b,
                          "# HELP sw_scan_listings_total Listings through the content scanner.\n"
                          "# TYPE sw_scan_listings_total counter\nsw_scan_listings_total %llu\n"
                          "# HELP sw_scan_bytes_total Bytes of listing text scanned.\n"
                          "# TYPE sw_scan_bytes_total counter\nsw_scan_bytes_total %llu\n",
                          (unsigned long long)scanned, (unsigned long long)scan_bytes);
    int64_t pending = 0, open = 0, overdue = 0;
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_penalty_queue_counts(c, &pending, &open, &overdue, err);
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
    m.ok &= sw__limits_metrics(r->srv, &b);
    if (!m.ok) {
        sw_buf_release(&b);
        return sw_fail(err, SW_E_INTERNAL, NULL, "metrics too large");
    }
    r->text_resp = sw_buf_steal(&b);
    return SW_OK;
}

static int h_events(struct sw_req *r, struct sw_error *err)
{
    int64_t after = 0, limit = PAGE_DEFAULT;
    int rc;
    if ((rc = query_int(r, "after", 0, 0, INT64_MAX, &after, err)) ||
        (rc = query_int(r, "limit", PAGE_DEFAULT, 1, PAGE_MAX, &limit, err)))
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    json_t *events;
    rc = sw_journal_events_page(c, after, (int)limit, &events, err);
    sw_pool_release(pool, c);
    if (rc)
        return rc;
    size_t n = json_array_size(events);
    int64_t next =
        n ? json_integer_value(json_object_get(json_array_get(events, n - 1), "seq")) : after;
    r->resp = json_pack("{s:o,s:I}", "events", events, "next_after", (json_int_t)next);
    return SW_OK;
}

static int h_timers(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    int rc = query_int(r, "limit", PAGE_DEFAULT, 1, PAGE_MAX, &limit, err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    json_t *timers;
    rc = sw_journal_timers_list(c, (int)limit, &timers, err);
    sw_pool_release(pool, c);
    if (rc == SW_OK)
        r->resp = json_pack("{s:o}", "timers", timers);
    return rc;
}

static int h_maintenance_get(struct sw_req *r, struct sw_error *err)
{
    r->resp = json_pack("{s:b,s:i}", "enabled", atomic_load(&r->srv->maintenance), "retry_after_s",
                        atomic_load(&r->srv->retry_after_s));
    return SW_OK;
}

/* The server's maintenance flag is a cache of the committed state: after the command it is
 * read back from the database, never taken from the answer, which for a replayed
 * Idempotency-Key is an old one. The lock orders concurrent refreshes: each reads after its
 * own command committed, so the last one to store has read the latest state. */
static int h_maintenance_post(struct sw_req *r, struct sw_error *err)
{
    static pthread_mutex_t refresh = PTHREAD_MUTEX_INITIALIZER;
    json_t *payload;
    int rc = body_object(r, &payload, err);
    if (rc || (rc = run_command(r, "admin.maintenance", payload, 200, err)))
        return rc;
    bool enabled = false;
    int retry = 60;
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    pthread_mutex_lock(&refresh);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_admin_maintenance_state(c, &enabled, &retry, err);
    sw_pool_release(pool, c);
    if (rc == SW_OK) {
        atomic_store(&r->srv->retry_after_s, retry);
        atomic_store(&r->srv->maintenance, enabled);
    }
    pthread_mutex_unlock(&refresh);
    return rc;
}

static int h_clock_get(struct sw_req *r, struct sw_error *err)
{
    struct sw_clock *clk = sw_engine_clock(r->srv->engine);
    char now[32];
    r->resp = json_pack("{s:s,s:s}", "now", sw_instant_format(sw_clock_now(clk), now), "clock",
                        clk->manual ? "manual" : "system");
    return SW_OK;
}

static int h_clock_post(struct sw_req *r, struct sw_error *err)
{
    json_t *body;
    int rc = body_object(r, &body, err);
    if (rc)
        return rc;
    int64_t to = 0;
    struct sw_jfield f[] = {{"now", SW_J_INSTANT, SW_J_REQUIRED, &to, 0, NULL}};
    rc = sw_json_read(body, "", f, 1, true, err);
    json_decref(body);
    if (rc)
        return rc;
    if (!sw_engine_clock(r->srv->engine)->manual)
        return sw_fail(err, SW_E_STATE_CONFLICT, NULL,
                       "the server runs on the system clock (start it with --clock manual)");
    int fired;
    if ((rc = sw_engine_tick(r->srv->engine, to, &fired, err)))
        return rc;
    char now[32];
    r->resp = json_pack("{s:s,s:i}", "now", sw_instant_format(to, now), "timers_fired", fired);
    return SW_OK;
}

static int h_keys_create(struct sw_req *r, struct sw_error *err)
{
    json_t *body;
    int rc = body_object(r, &body, err);
    if (rc)
        return rc;
    const char *role = NULL, *id = NULL;
    struct sw_jfield f[] = {
        {"role", SW_J_STR, SW_J_REQUIRED, &role, SW_ROLE_MAX, NULL},
        {"id", SW_J_ID, 0, &id, 0, NULL},
    };
    if ((rc = sw_json_read(body, "", f, 2, true, err))) {
        json_decref(body);
        return rc;
    }
    char key[64], hash[65], gen_id[40];
    sw_key_generate(key, hash);
    if (!id) {
        /* The id is public (it names the key in the audit log). With an idempotency key it is
         * derived from it, so that a retry is recognised as the same request. */
        const char *idem = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Idempotency-Key");
        unsigned char h[32];
        char seed[300];
        snprintf(seed, sizeof seed, "%s|%s|%s", r->role, role, idem ? idem : hash);
        sw_key_hash(seed, h);
        snprintf(gen_id, sizeof gen_id, "key_%02x%02x%02x%02x%02x%02x%02x%02x", h[0], h[1], h[2],
                 h[3], h[4], h[5], h[6], h[7]);
        id = gen_id;
    }
    json_t *payload = json_pack("{s:s,s:s,s:s}", "id", id, "role", role, "hash", hash);
    json_decref(body);
    if ((rc = run_command(r, "key.create", payload, 201, err)))
        return rc;
    /* The secret is shown once, on the first answer; a replay cannot show it again. */
    json_object_set_new(json_object_get(r->resp, "result"), "key",
                        r->replayed ? json_null() : json_string(key));
    return SW_OK;
}

static int h_keys_revoke(struct sw_req *r, struct sw_error *err)
{
    int rc = write_with_id(r, "key.revoke", "id", 200, err);
    if (rc == SW_OK)
        sw__auth_forget_all(r->srv);
    return rc;
}

static int h_policy(struct sw_req *r, struct sw_error *err)
{
    const struct sw_policy *p = sw_engine_policy(r->srv->engine);
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

/* ---------- scan (a dry run: nothing is stored) ---------- */

#define SCAN_MAX_IMAGES 20

/* An image of POST /v1/scan: a data URL ("data:image/png;base64,...") or
 * {"name": "...", "base64": "..."}. */
static int decode_image(const json_t *v, size_t i, struct sw_scan_image *out, char *name,
                        size_t name_cap, struct sw_error *err)
{
    char field[32];
    snprintf(field, sizeof field, "images[%zu]", i);
    const char *b64 = NULL;
    size_t b64_len = 0;
    snprintf(name, name_cap, "%s", field);
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        const char *comma = strchr(s, ',');
        if (strncmp(s, "data:", 5) != 0 || !comma || (size_t)(comma - s) < 7 ||
            strncmp(comma - 7, ";base64", 7) != 0)
            return sw_fail(err, SW_E_INVALID_VALUE, field,
                           "%s must be a base64 data URL (data:image/png;base64,...)", field);
        b64 = comma + 1;
        b64_len = json_string_length(v) - (size_t)(b64 - s);
    } else if (json_is_object(v) && json_is_string(json_object_get(v, "base64"))) {
        const json_t *b = json_object_get(v, "base64");
        const char *n = json_string_value(json_object_get(v, "name"));
        if (n)
            snprintf(name, name_cap, "%s", n);
        b64 = json_string_value(b);
        b64_len = json_string_length(b);
    } else {
        return sw_fail(err, SW_E_WRONG_TYPE, field,
                       "%s must be a data URL or {\"name\", \"base64\"}", field);
    }
    size_t cap = b64_len / 4 * 3 + 3, len = 0;
    unsigned char *bytes = malloc(cap ? cap : 1);
    if (!bytes)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    if (sodium_base642bin(bytes, cap, b64, b64_len, " \r\n", &len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        free(bytes);
        return sw_fail(err, SW_E_INVALID_VALUE, field, "%s is not valid base64", field);
    }
    *out = (struct sw_scan_image){name, bytes, len};
    return SW_OK;
}

static int h_scan(struct sw_req *r, struct sw_error *err)
{
    const struct sw_policy *p = sw_engine_policy(r->srv->engine);
    json_t *in = NULL;
    int rc = body_object(r, &in, err);
    if (rc)
        return rc;
    struct sw_listing l;
    struct sw_scan_image imgs[SCAN_MAX_IMAGES] = {0};
    char names[SCAN_MAX_IMAGES][64];
    int nimg = 0;
    json_t *findings = NULL;
    if ((rc = sw_listing_from_json(in, &l, err)))
        goto out;
    const json_t *images = json_object_get(in, "images");
    if (images && !json_is_null(images)) {
        if (!json_is_array(images) || json_array_size(images) > SCAN_MAX_IMAGES) {
            rc = sw_fail(err, SW_E_WRONG_TYPE, "images", "images must be an array of up to %d",
                         SCAN_MAX_IMAGES);
            goto out;
        }
        size_t i;
        const json_t *v;
        json_array_foreach(images, i, v)
        {
            if ((rc = decode_image(v, i, &imgs[nimg], names[nimg], sizeof names[nimg], err)))
                goto out;
            nimg++;
        }
    }
    l.images = imgs;
    l.nimages = nimg;
    unsigned flags = 0;
    if ((rc = sw_scan_flags(p->scanner, &l, &findings, &flags, err)))
        goto out;
    r->resp = json_pack("{s:O?,s:s,s:o}", "id", json_object_get(in, "id"), "policy_version",
                        p->version, "findings", findings);
    if (flags & SW_SCAN_TRUNCATED)
        json_object_set_new(r->resp, "truncated", json_true());
out:
    for (int i = 0; i < nimg; i++)
        free((void *)imgs[i].data);
    json_decref(in);
    return rc;
}

/* ---------- merchants ---------- */

static int h_merchants_create(struct sw_req *r, struct sw_error *err)
{
    json_t *payload;
    int rc = body_object(r, &payload, err);
    return rc ? rc : run_command(r, "merchant.create", payload, 201, err);
}

static int h_merchants_list(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    int rc = query_int(r, "limit", PAGE_DEFAULT, 1, PAGE_MAX, &limit, err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    json_t *rows;
    rc = sw_catalog_list_merchants(c, query_str(r, "after"), (int)limit, &rows, err);
    sw_pool_release(pool, c);
    if (rc == SW_OK)
        r->resp = json_pack("{s:o}", "merchants", rows);
    return rc;
}

/* A merchant key sees only its own store: any other id is 404, as if it did not exist. */
static int own_merchant(struct sw_req *r, const char *id, struct sw_error *err)
{
    if (is_merchant(r) && strcmp(r->scope, id) != 0)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown merchant '%s'", id);
    return SW_OK;
}

static int h_merchant_get(struct sw_req *r, struct sw_error *err)
{
    int rc = own_merchant(r, r->params[0], err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_catalog_get_merchant(c, r->params[0], &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

static int h_merchant_products(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    int rc = own_merchant(r, r->params[0], err);
    if (rc || (rc = query_int(r, "limit", PAGE_DEFAULT, 1, 200, &limit, err)))
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    json_t *rows = NULL, *m = NULL;
    rc = sw_catalog_get_merchant(c, r->params[0], &m, err);
    if (rc == SW_OK)
        rc = sw_catalog_list_products(r->srv->engine, c, r->params[0], query_str(r, "status"),
                                      query_str(r, "after"), (int)limit, &rows, err);
    sw_pool_release(pool, c);
    json_decref(m);
    if (rc)
        return rc;
    size_t n = json_array_size(rows);
    json_t *next = n == (size_t)limit
                       ? json_incref(json_object_get(json_array_get(rows, n - 1), "id"))
                       : json_null();
    r->resp = json_pack("{s:o,s:o}", "products", rows, "next_after", next);
    return SW_OK;
}

/* ---------- products ---------- */

static int h_products_create(struct sw_req *r, struct sw_error *err)
{
    json_t *payload;
    int rc = body_object(r, &payload, err);
    return rc ? rc : run_command(r, "product.create", payload, 201, err);
}

static int h_product_get(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    char owner[72];
    int rc =
        sw_catalog_get_product_text(r->srv->engine, c, r->params[0], &r->text_resp, owner, err);
    sw_pool_release(pool, c);
    r->text_is_json = true;
    if (rc == SW_OK && is_merchant(r) && strcmp(owner, r->scope) != 0) {
        free(r->text_resp);
        r->text_resp = NULL;
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown product '%s'", r->params[0]);
    }
    return rc;
}

/* ---------- violations, deposit, appeals ---------- */

static const char *viewer(const struct sw_req *r)
{
    return is_merchant(r) ? r->role : NULL;
}

static int h_violations_create(struct sw_req *r, struct sw_error *err)
{
    json_t *payload;
    int rc = body_object(r, &payload, err);
    return rc ? rc : run_command(r, "violation.create", payload, 201, err);
}

static int h_violations_list(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    int rc = query_int(r, "limit", PAGE_DEFAULT, 1, 200, &limit, err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_penalty_list_violations(c, query_str(r, "merchant"), query_str(r, "status"),
                                    query_str(r, "after"), (int)limit, viewer(r),
                                    sw_engine_policy(r->srv->engine), &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

static int h_violation_get(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_penalty_get_violation(c, r->params[0], viewer(r), sw_engine_policy(r->srv->engine),
                                      &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

static int h_appeal_get(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_penalty_get_appeal(c, r->params[0], viewer(r), &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

static int h_queue(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    int rc = query_int(r, "limit", PAGE_DEFAULT, 1, 200, &limit, err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_penalty_queue(c, sw_engine_policy(r->srv->engine), (int)limit, &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

static int h_deposit_get(struct sw_req *r, struct sw_error *err)
{
    int64_t after = 0, limit = PAGE_DEFAULT;
    int rc = own_merchant(r, r->params[0], err);
    if (rc || (rc = query_int(r, "after", 0, 0, INT64_MAX, &after, err)) ||
        (rc = query_int(r, "limit", PAGE_DEFAULT, 1, 200, &limit, err)))
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_penalty_get_deposit(c, r->params[0], after, (int)limit, &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

/* Body + path id -> command, idempotent by the body's key_field (scoped by the path id) when
 * no header is sent. */
static int write_keyed(struct sw_req *r, const char *type, const char *field, int status,
                       const char *key_field, struct sw_error *err)
{
    json_t *payload;
    int rc = body_object(r, &payload, err);
    if (rc)
        return rc;
    if ((rc = put_path_id(payload, field, r->params[0], err))) {
        json_decref(payload);
        return rc;
    }
    return run_keyed(r, type, payload, status, key_field, r->params[0], err);
}

static int h_deposit_top_up(struct sw_req *r, struct sw_error *err)
{
    return write_keyed(r, "deposit.top_up", "id", 201, "ref", err);
}

static int h_deposit_release(struct sw_req *r, struct sw_error *err)
{
    return write_keyed(r, "deposit.release", "id", 201, "ref", err);
}

/* The engine keys review statistics by their event_id, whoever sends them. */
static int h_spu_review_stats(struct sw_req *r, struct sw_error *err)
{
    return write_with_id(r, "spu.review_stats", "id", 200, err);
}

/* ---------- orders, grants, logistics ---------- */

static bool is_app(const struct sw_req *r)
{
    return r->role_bit == ROLE_APP;
}

/* The feed's buyer data in clear text never becomes part of a command: it is masked here and
 * sealed to the buyer-data public key (base/pii.h); a client cannot send the masked or sealed
 * forms itself. The engine keys the event by its event_id alone, whoever sends it. */
static int h_order_events(struct sw_req *r, struct sw_error *err)
{
    json_t *payload;
    int rc = body_object(r, &payload, err);
    if (rc)
        return rc;
    if ((rc = sw_pii_seal_buyer(r->srv->has_buyer_key ? r->srv->buyer_pk : NULL, payload, err))) {
        json_decref(payload);
        return rc;
    }
    return run_command(r, "order.event", payload, 200, err);
}

/* An app key reads only what a store granted it; the check is a command, so a revoke
 * committed before is seen, and attempts are in the audit log: every allowed read, and the
 * first refusal per store and minute (the next ones there are only counted, ratelimit.c). */
static int app_access(struct sw_req *r, const char *merchant, const char *order, const char *what,
                      struct sw_error *err)
{
    int64_t carried = 0;
    if (sw__denial_suppressed(r, merchant, &carried))
        return sw_fail(err, SW_E_AUTHORIZATION_CLOSED, NULL,
                       "store '%s' has not granted this app access to its orders", merchant);
    json_t *p = json_pack("{s:s,s:s}", "what", what, "merchant", merchant);
    if (order)
        json_object_set_new(p, "order", json_string(order));
    if (carried)
        json_object_set_new(p, "suppressed_denials", json_integer(carried));
    struct sw_cmd cmd = {
        .type = "order.access", .actor = r->role, .merchant = merchant, .payload = p};
    int rc = sw_engine_execute(r->srv->engine, &cmd);
    if (rc) {
        *err = cmd.err;
        err->code = rc;
    } else if (!json_is_true(json_object_get(cmd.result, "allowed"))) {
        sw__denial_noted(r, merchant);
        rc = sw_fail(err, SW_E_AUTHORIZATION_CLOSED, NULL,
                     "store '%s' has not granted this app access to its orders", merchant);
    }
    sw_cmd_release(&cmd);
    json_decref(p);
    return rc;
}

static int h_orders_list(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    const char *merchant = is_merchant(r) ? r->scope : query_str(r, "merchant");
    int rc = query_int(r, "limit", PAGE_DEFAULT, 1, 200, &limit, err);
    if (rc)
        return rc;
    if (!merchant || !sw_id_valid(merchant))
        return sw_fail(err, SW_E_MISSING_FIELD, "merchant", "name the store: ?merchant=<id>");
    if (is_app(r) && (rc = app_access(r, merchant, NULL, "orders", err)))
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_access_list_orders(r->srv->engine, c, merchant, query_str(r, "after"), (int)limit,
                               &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

/* The order is read first: its store is what an app's access is checked against. */
static int h_order_read(struct sw_req *r, bool logistics, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    char owner[72];
    int rc = logistics ? sw_access_logistics(r->srv->engine, c, r->params[0], &r->resp, owner, err)
                       : sw_access_get_order(r->srv->engine, c, r->params[0], &r->resp, owner, err);
    sw_pool_release(pool, c);
    if (rc == SW_OK && is_app(r))
        rc = app_access(r, owner, r->params[0], logistics ? "logistics" : "order", err);
    else if (rc == SW_OK && is_merchant(r) && strcmp(owner, r->scope) != 0)
        rc = sw_fail(err, SW_E_NOT_FOUND, "id", "unknown order '%s'", r->params[0]);
    if (rc) {
        json_decref(r->resp);
        r->resp = NULL;
    }
    return rc;
}

static int h_order_get(struct sw_req *r, struct sw_error *err)
{
    return h_order_read(r, false, err);
}

static int h_order_logistics_get(struct sw_req *r, struct sw_error *err)
{
    return h_order_read(r, true, err);
}

/* The engine keys a tracking event by its event_id alone, whoever sends it. */
static int h_order_logistics_post(struct sw_req *r, struct sw_error *err)
{
    return write_with_id(r, "order.logistics", "id", 200, err);
}

static int h_grants_list(struct sw_req *r, struct sw_error *err)
{
    int rc = own_merchant(r, r->params[0], err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    json_t *m = NULL;
    rc = sw_catalog_get_merchant(c, r->params[0], &m, err);
    if (rc == SW_OK)
        rc = sw_access_grants(c, r->params[0], &r->resp, err);
    sw_pool_release(pool, c);
    json_decref(m);
    return rc;
}

static int h_grant_post(struct sw_req *r, struct sw_error *err)
{
    json_t *payload;
    int rc = body_object(r, &payload, err);
    if (rc)
        return rc;
    if (json_object_get(payload, "granted")) {
        json_decref(payload);
        return sw_fail(err, SW_E_UNKNOWN_FIELD, "granted",
                       "unknown field 'granted' (revoke with "
                       "DELETE)");
    }
    json_object_set_new(payload, "granted", json_true());
    if ((rc = put_path_id(payload, "id", r->params[0], err))) {
        json_decref(payload);
        return rc;
    }
    return run_command(r, "grant.set", payload, 200, err);
}

static int h_grant_delete(struct sw_req *r, struct sw_error *err)
{
    if (r->body.len > 0)
        return sw_fail(err, SW_E_BAD_REQUEST, NULL, "DELETE takes no body");
    if (!sw_id_valid(r->params[1]))
        return sw_fail(err, SW_E_NOT_FOUND, "app", "unknown app '%s'", r->params[1]);
    json_t *payload =
        json_pack("{s:s,s:s,s:b}", "id", r->params[0], "app", r->params[1], "granted", false);
    return run_command(r, "grant.set", payload, 200, err);
}

#define W true
#define R false
/* Rows leave out the trailing h_command fields (command, id field, status) when they do not
 * use them: zero is their default. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
const struct route sw__routes[] = {
    {"GET", "/healthz", h_healthz, ROLE_PUBLIC, R},
    {"GET", "/metrics", h_metrics, ROLE_PUBLIC, R},
    {"GET", "/v1/events", h_events, ROLE_STAFF, R},
    {"GET", "/v1/policy", h_policy, ROLE_ANY, R},
    {"POST", "/v1/scan", h_scan, ROLE_ANY, R},
    {"GET", "/v1/admin/timers", h_timers, ROLE_STAFF, R},
    {"GET", "/v1/admin/maintenance", h_maintenance_get, ROLE_STAFF, R},
    {"POST", "/v1/admin/maintenance", h_maintenance_post, ROLE_ADMIN, W},
    {"GET", "/v1/admin/clock", h_clock_get, ROLE_ANY, R},
    {"POST", "/v1/admin/clock", h_clock_post, ROLE_STAFF, W},
    {"POST", "/v1/admin/keys", h_keys_create, ROLE_ADMIN, W},
    {"POST", "/v1/admin/keys/{id}/revoke", h_keys_revoke, ROLE_ADMIN, W},
    {"POST", "/v1/merchants", h_merchants_create, ROLE_STAFF, W},
    {"GET", "/v1/merchants", h_merchants_list, ROLE_STAFF, R},
    {"GET", "/v1/merchants/{id}", h_merchant_get, ROLE_STAFF | ROLE_MERCHANT, R},
    {"PATCH", "/v1/merchants/{id}", h_command, ROLE_STAFF, W, "merchant.update"},
    {"POST", "/v1/merchants/{id}/restrict", h_command, ROLE_STAFF, W, "merchant.restrict"},
    {"POST", "/v1/merchants/{id}/reinstate", h_command, ROLE_STAFF, W, "merchant.reinstate"},
    {"POST", "/v1/merchants/{id}/clear", h_command, ROLE_STAFF, W, "merchant.clear"},
    {"GET", "/v1/merchants/{id}/products", h_merchant_products, ROLE_STAFF | ROLE_MERCHANT, R},
    {"POST", "/v1/products", h_products_create, ROLE_STAFF | ROLE_MERCHANT, W},
    {"GET", "/v1/products/{id}", h_product_get, ROLE_STAFF | ROLE_MERCHANT, R},
    {"PATCH", "/v1/products/{id}", h_command, ROLE_STAFF | ROLE_MERCHANT, W, "product.update"},
    {"POST", "/v1/products/{id}/list", h_command, ROLE_STAFF | ROLE_MERCHANT, W, "product.list"},
    {"POST", "/v1/products/{id}/delist", h_command, ROLE_STAFF | ROLE_MERCHANT, W,
     "product.delist"},
    {"POST", "/v1/products/{id}/ban", h_command, ROLE_STAFF, W, "product.ban"},
    {"POST", "/v1/products/{id}/unban", h_command, ROLE_STAFF, W, "product.unban"},
    {"POST", "/v1/violations", h_violations_create, ROLE_STAFF, W},
    {"GET", "/v1/violations", h_violations_list, ROLE_STAFF | ROLE_MERCHANT, R},
    {"GET", "/v1/violations/{id}", h_violation_get, ROLE_STAFF | ROLE_MERCHANT, R},
    {"POST", "/v1/violations/{id}/confirm", h_command, ROLE_STAFF, W, "violation.confirm"},
    {"POST", "/v1/violations/{id}/dismiss", h_command, ROLE_STAFF, W, "violation.dismiss"},
    {"POST", "/v1/violations/{id}/rectification", h_command, ROLE_STAFF | ROLE_MERCHANT, W,
     "violation.rectify"},
    {"POST", "/v1/violations/{id}/rectification/decision", h_command, ROLE_STAFF, W,
     "violation.rectification_decide"},
    {"POST", "/v1/violations/{id}/appeals", h_command, ROLE_STAFF | ROLE_MERCHANT, W,
     "appeal.create", "violation", 201},
    {"GET", "/v1/appeals/{id}", h_appeal_get, ROLE_STAFF | ROLE_MERCHANT, R},
    {"POST", "/v1/appeals/{id}/decision", h_command, ROLE_STAFF, W, "appeal.decide"},
    {"GET", "/v1/queue", h_queue, ROLE_STAFF, R},
    {"GET", "/v1/merchants/{id}/deposit", h_deposit_get, ROLE_STAFF | ROLE_MERCHANT, R},
    {"POST", "/v1/merchants/{id}/deposit/top-ups", h_deposit_top_up, ROLE_STAFF | ROLE_INGEST, W},
    {"POST", "/v1/merchants/{id}/deposit/releases", h_deposit_release, ROLE_STAFF, W},
    {"POST", "/v1/spus/{id}/review-stats", h_spu_review_stats, ROLE_STAFF | ROLE_INGEST, W},
    {"POST", "/v1/orders/events", h_order_events, ROLE_STAFF | ROLE_INGEST, W},
    {"GET", "/v1/orders", h_orders_list, ROLE_STAFF | ROLE_MERCHANT | ROLE_APP, R},
    {"GET", "/v1/orders/{id}", h_order_get, ROLE_STAFF | ROLE_MERCHANT | ROLE_APP, R},
    {"GET", "/v1/orders/{id}/logistics", h_order_logistics_get,
     ROLE_STAFF | ROLE_MERCHANT | ROLE_APP, R},
    {"POST", "/v1/orders/{id}/logistics", h_order_logistics_post, ROLE_STAFF | ROLE_INGEST, W},
    {"GET", "/v1/merchants/{id}/grants", h_grants_list, ROLE_STAFF | ROLE_MERCHANT, R},
    {"POST", "/v1/merchants/{id}/grants", h_grant_post, ROLE_STAFF | ROLE_MERCHANT, W},
    {"DELETE", "/v1/merchants/{id}/grants/{app}", h_grant_delete, ROLE_STAFF | ROLE_MERCHANT, W},
};
#pragma GCC diagnostic pop
const int sw__routes_count = (int)(sizeof sw__routes / sizeof sw__routes[0]);

int sw_routes_count(void)
{
    return sw__routes_count;
}

void sw_route_at(int i, const char **method, const char **path)
{
    *method = sw__routes[i].method;
    *path = sw__routes[i].pattern;
}
