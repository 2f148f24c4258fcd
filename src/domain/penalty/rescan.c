/* Rescans: re-inspection of what is on sale under the policy in force (RULES.md §3: what is on
 * sale is inspected), so that a stricter policy reaches products listed before it.
 *
 * rescan.start (an operator) records the job: the listed products then (total) and the highest
 * product rid (its end), and schedules its first step, due at once. rescan.step (a timer) scans
 * the next `batch` listed products through the catalog (sw_catalog_reinspect), which tells what
 * it found as product.scanned {listed: true, trigger: "rescan"}: the penalty module makes the
 * violations (on_listed: penalise) and the catalog delists what blocks on sale. The step commits
 * the job's cursor and counters with its writes, and schedules the next step, due at once.
 * "rescan.step" yields (sw_engine_set_yield): every step is a batch of its own, so the job runs
 * at the scanner's speed while other writes take turns, its progress is readable at every
 * step, and after a crash the pending timer starts again from the last committed step. A
 * product is never penalised twice for the same finding: violations cover findings by key.
 *
 * In cluster mode (docs/scale-out.md, "Rescans") a job is one part per partition: the home
 * partition's start answers the client, and every other partition starts its own part with
 * `part_of` = the home part's id, over its own stores' products. A part found running when a
 * new job's part comes is superseded (done, `superseded_by`): the new job inspects all that
 * is on sale under the newer policy. A read by the job's id answers a partition's part
 * (sw_penalty_get_rescan), and sw_penalty_rescan_join adds the parts up. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/instant.h"
#include "base/json.h"
#include "domain/catalog/catalog.h"
#include "domain/penalty/penalty_int.h"

#define BATCH_DEFAULT 200
#define TIMER_PREFIX "rescan:"

static void rescan_id(int64_t rid, char out[SW_ID_BUF])
{
    snprintf(out, SW_ID_BUF, "r%" PRId64, rid);
}

static json_t *render(const struct sw_rescan_row *r)
{
    char id[SW_ID_BUF];
    rescan_id(r->rid, id);
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "id", id, "status", r->status,
                  "policy_version", r->policy_version, "batch", (json_int_t)r->batch, "total",
                  (json_int_t)r->total, "scanned", (json_int_t)r->scanned, "changed",
                  (json_int_t)r->changed, "violations", (json_int_t)r->violations, "delisted",
                  (json_int_t)r->delisted, "steps", (json_int_t)r->steps);
    json_object_update(o, r->doc);
    json_object_set_new(o, "created_at", sw_json_instant_opt(r->created_at));
    json_object_set_new(o, "updated_at", sw_json_instant_opt(r->updated_at));
    json_object_set_new(o, "finished_at", sw_json_instant_opt(r->finished_at));
    return o;
}

static int schedule_step(struct sw_ctx *ctx, const struct sw_rescan_row *r, struct sw_error *err)
{
    char id[SW_ID_BUF], key[48];
    rescan_id(r->rid, id);
    snprintf(key, sizeof key, TIMER_PREFIX "%s", id);
    return sw_ctx_schedule(ctx, key, ctx->now, "rescan.step", NULL, id,
                           json_pack("{s:s}", "id", id), err);
}

/* A start while a rescan runs: answers the running one (*answered), unless the start is a
 * part of another job, which supersedes it. */
static int running_one(struct sw_ctx *ctx, const char *job, json_t **result, bool *answered,
                       struct sw_error *err)
{
    int64_t running = 0;
    int rc = sw_sql_rescan_running(ctx->conn, &running, err);
    *answered = false;
    if (rc || !running)
        return rc;
    struct sw_rescan_row cur = {0};
    bool found = false;
    if ((rc = sw_sql_rescan_get(ctx->conn, running, &cur, &found, err)))
        return rc;
    if (!job || strcmp(sw_json_str_or_empty(cur.doc, "part_of"), job) == 0) {
        *result = render(&cur);
        json_object_set_new(*result, "started", json_false());
        *answered = true;
    } else {
        char id[SW_ID_BUF];
        rescan_id(cur.rid, id);
        snprintf(cur.status, sizeof cur.status, "done");
        cur.finished_at = cur.updated_at = ctx->now;
        json_object_set_new(cur.doc, "superseded_by", json_string(job));
        if ((rc = sw_sql_rescan_update(ctx->conn, &cur, err)) == SW_OK)
            rc = sw_ctx_emit(ctx, "rescan.finished", NULL, id, render(&cur), err);
    }
    sw_rescan_row_release(&cur);
    return rc;
}

static int rescan_start(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *note = NULL, *job = NULL;
    int64_t batch = BATCH_DEFAULT;
    struct sw_jfield f[] = {
        {"batch", SW_J_INT, 0, &batch, SW_CATALOG_REINSPECT_MAX, NULL},
        {"note", SW_J_STR, 0, &note, 2000, NULL},
        {"part_of", SW_J_ID, 0, &job, 0, NULL},
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only operators may start rescans");
    if (batch < 1)
        return sw_fail(err, SW_E_INVALID_VALUE, "batch", "batch must be 1-%d",
                       SW_CATALOG_REINSPECT_MAX);
    bool answered = false; /* one at a time: a start while one runs answers that one */
    if ((rc = running_one(ctx, job, result, &answered, err)) || answered)
        return rc;
    struct sw_rescan_row r = {.batch = batch, .created_at = ctx->now, .updated_at = ctx->now};
    snprintf(r.status, sizeof r.status, "running");
    snprintf(r.policy_version, sizeof r.policy_version, "%s", ctx->policy->version);
    if ((rc = sw_catalog_listed_count(ctx, &r.total, &r.upto, err)))
        return rc;
    r.doc = json_pack("{s:o}", "by", sw_ctx_actor(ctx));
    if (note)
        json_object_set_new(r.doc, "note", json_string(note));
    if (job)
        json_object_set_new(r.doc, "part_of", json_string(job));
    char id[SW_ID_BUF];
    if ((rc = sw_sql_rescan_insert(ctx->conn, &r, err)) == SW_OK &&
        (rc = schedule_step(ctx, &r, err)) == SW_OK) {
        rescan_id(r.rid, id);
        rc = sw_ctx_emit(ctx, "rescan.started", NULL, id, render(&r), err);
        *result = render(&r);
        json_object_set_new(*result, "started", json_true());
    }
    sw_rescan_row_release(&r);
    return rc;
}

static int load(struct sw_ctx *ctx, const char *id, struct sw_rescan_row *r, struct sw_error *err)
{
    int64_t rid;
    bool found = false;
    int rc;
    if (sw_id_parse_numbered(id, 'r', &rid) &&
        (rc = sw_sql_rescan_get(ctx->conn, rid, r, &found, err)))
        return rc;
    return found ? SW_OK : sw_fail(err, SW_E_NOT_FOUND, "id", "unknown rescan '%s'", id);
}

static int rescan_step(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *id = NULL;
    struct sw_jfield f[] = {{"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL}};
    int rc = sw_json_read(in, "", f, 1, true, err);
    if (rc)
        return rc;
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "rescan steps are the scheduler's");
    struct sw_rescan_row r = {0};
    if ((rc = load(ctx, id, &r, err)))
        return rc;
    int64_t before = 0, after = 0;
    struct sw_catalog_reinspection ri;
    if (strcmp(r.status, "running") == 0 &&
        (rc = sw_sql_violation_last_rid(ctx->conn, &before, err)) == SW_OK &&
        (rc = sw_catalog_reinspect(ctx, id, r.cursor, r.upto, (int)r.batch, &ri, err)) == SW_OK &&
        (rc = sw_sql_violation_last_rid(ctx->conn, &after, err)) == SW_OK) {
        r.cursor = ri.last;
        r.scanned += ri.inspected;
        r.changed += ri.changed;
        r.delisted += ri.delisted;
        r.violations += after - before;
        r.steps++;
        r.updated_at = ctx->now;
        if (ri.done) {
            snprintf(r.status, sizeof r.status, "done");
            r.finished_at = ctx->now;
        }
        if ((rc = sw_sql_rescan_update(ctx->conn, &r, err)) == SW_OK && !ri.done)
            rc = schedule_step(ctx, &r, err);
        if (rc == SW_OK)
            rc = sw_ctx_emit(ctx, ri.done ? "rescan.finished" : "rescan.progressed", NULL, id,
                             render(&r), err);
    }
    if (rc == SW_OK)
        *result = render(&r);
    sw_rescan_row_release(&r);
    return rc;
}

int sw_penalty_get_rescan(struct sw_conn *c, const char *id, json_t **out, struct sw_error *err)
{
    int64_t rid;
    bool found = false;
    struct sw_rescan_row r = {0};
    int rc;
    if (sw_id_parse_numbered(id, 'r', &rid) && (rc = sw_sql_rescan_get(c, rid, &r, &found, err)))
        return rc;
    if (!found && sw_id_valid(id) && (rc = sw_sql_rescan_part(c, id, &r, &found, err)))
        return rc;
    if (!found)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown rescan '%s'", id);
    *out = render(&r);
    sw_rescan_row_release(&r);
    return SW_OK;
}

static sw_instant instant_of(const json_t *doc, const char *key)
{
    const char *s = json_string_value(json_object_get(doc, key));
    sw_instant t = 0;
    struct sw_error ignored;
    if (!s || sw_instant_parse(s, strlen(s), &t, &ignored) != SW_OK)
        return 0;
    return t;
}

static const char *const counted[] = {"total",      "scanned",  "changed",
                                      "violations", "delisted", "steps"};

/* One part into the job: its counters added, its instants the latest, its status. */
static void add_part(json_t *job, const json_t *part, sw_instant *updated, sw_instant *finished,
                     bool *running)
{
    for (size_t k = 0; k < sizeof counted / sizeof counted[0]; k++) {
        json_t *v = json_object_get(job, counted[k]);
        json_integer_set(v, json_integer_value(v) +
                                json_integer_value(json_object_get(part, counted[k])));
    }
    sw_instant u = instant_of(part, "updated_at"), f = instant_of(part, "finished_at");
    *updated = u > *updated ? u : *updated;
    *finished = f > *finished ? f : *finished;
    *running |= strcmp(sw_json_str_or_empty(part, "status"), "running") == 0;
}

json_t *sw_penalty_rescan_join(const char *id, const json_t *parts)
{
    size_t i;
    const json_t *part, *home = NULL;
    json_array_foreach(parts, i, part) if (strcmp(sw_json_str_or_empty(part, "id"), id) == 0) home =
        part;
    if (!home)
        return NULL;
    json_t *job = json_deep_copy(home);
    sw_instant updated = instant_of(home, "updated_at"), finished = instant_of(home, "finished_at");
    bool running = strcmp(sw_json_str_or_empty(home, "status"), "running") == 0;
    json_int_t n = 1;
    json_array_foreach(parts, i, part)
    {
        if (part == home || strcmp(sw_json_str_or_empty(part, "part_of"), id) != 0)
            continue;
        add_part(job, part, &updated, &finished, &running);
        n++;
    }
    json_object_set_new(job, "status", json_string(running ? "running" : "done"));
    json_object_set_new(job, "updated_at", sw_json_instant_opt(updated));
    json_object_set_new(job, "finished_at", sw_json_instant_opt(running ? 0 : finished));
    json_object_set_new(job, "parts", json_integer(n));
    return job;
}

int sw_penalty_running_rescan(struct sw_conn *c, char id[32], bool *found, struct sw_error *err)
{
    int64_t rid = 0;
    int rc = sw_sql_rescan_running(c, &rid, err);
    *found = rc == SW_OK && rid > 0;
    if (*found)
        snprintf(id, 32, "r%" PRId64, rid);
    return rc;
}

int sw__rescans_register(struct sw_engine *e)
{
    int rc = sw_engine_register(e, "rescan.start", rescan_start);
    if (rc == SW_OK)
        rc = sw_engine_register(e, "rescan.step", rescan_step);
    return rc ? rc : sw_engine_set_yield(e, "rescan.step");
}
