/* Shadow mode (docs/replay.md, "Shadow mode"): a candidate policy beside the active one.
 *
 * POST /v1/admin/policy/shadow starts a replay that follows the live log: the history is
 * applied under the recorded policies (to build the state), then every command from the start
 * on, as the server commits it, under the candidate, into the shadow's own database. Its
 * decisions are recorded there, apart: never applied, never shown to stores, never in the live
 * metrics. GET compares them with the live ones as a replay report does; DELETE (or the `until`
 * instant passing) stops it, and its report stays readable until the next shadow starts.
 * Promoting the candidate is POST /v1/admin/policy (admins only). One shadow at a time, in the
 * server's memory: a restart stops it. */
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "http/handlers.h"
#include "replay/replay.h"
#include "store/replay_sql.h"

static struct {
    pthread_mutex_t mu;
    bool exists, running, joinable;
    pthread_t thread;
    _Atomic bool cancel;
    struct sw_replay_applied applied;
    struct sw_replay_opts opts;
    struct sw_policy *candidate;
    char status[16]; /* running, stopped */
    char stop_reason[16];
    char error[320];
    char dir[64], scratch[96], db[4096];
    json_t *by;
    sw_instant started_at, stopped_at;
    struct sw_clock *clock;
    struct sw_job_idem idem; /* of the request that started it */
} sh = {.mu = PTHREAD_MUTEX_INITIALIZER, .applied = {.mu = PTHREAD_MUTEX_INITIALIZER}};

static void *shadow_main(void *arg)
{
    (void)arg;
    struct sw_replay_report rep;
    struct sw_error err;
    int rc = sw_replay_run(&sh.opts, &rep, &err);
    sw_replay_report_release(&rep);
    pthread_mutex_lock(&sh.mu);
    sh.running = false;
    snprintf(sh.status, sizeof sh.status, "stopped");
    if (!sh.stop_reason[0])
        snprintf(sh.stop_reason, sizeof sh.stop_reason, "%s", rc ? "failed" : "until");
    if (rc)
        snprintf(sh.error, sizeof sh.error, "%s: %s", sw_err_name(rc), err.msg);
    sh.stopped_at = sw_clock_now(sh.clock);
    pthread_mutex_unlock(&sh.mu);
    return NULL;
}

static void remove_db(void)
{
    char p[160];
    unlink(sh.scratch);
    snprintf(p, sizeof p, "%s-wal", sh.scratch);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", sh.scratch);
    unlink(p);
    rmdir(sh.dir);
}

/* Joins a finished or stopped shadow thread and forgets the last shadow (under sh.mu). */
static void forget(void)
{
    if (sh.joinable)
        pthread_join(sh.thread, NULL);
    sh.joinable = false;
    if (sh.exists)
        remove_db();
    sw_policy_free(sh.candidate);
    sh.candidate = NULL;
    json_decref(sh.by);
    sh.by = NULL;
    sw_replay_applied_reset(&sh.applied);
    sh.exists = false;
}

static json_t *state(void)
{
    int64_t applied, scratch_seq;
    json_decref(sw_replay_applied_tally(&sh.applied, &applied, &scratch_seq));
    json_t *o =
        json_pack("{s:s,s:s,s:O,s:o,s:o,s:o,s:s?,s:I}", "status", sh.status, "policy_version",
                  sh.candidate->version, "started_by", sh.by, "started_at",
                  sw_json_instant_opt(sh.started_at), "until", sw_json_instant_opt(sh.opts.until),
                  "stopped_at", sw_json_instant_opt(sh.running ? 0 : sh.stopped_at), "stop_reason",
                  sh.running ? NULL : sh.stop_reason, "commands_applied", (json_int_t)applied);
    json_object_set_new(o, "error", sh.error[0] ? json_string(sh.error) : json_null());
    return o;
}

static int parse(struct sw_req *r, struct sw_error *err)
{
    json_t *body;
    int rc = sw__body_object(r, &body, err);
    if (rc)
        return rc;
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v) if (strcmp(k, "policy") != 0 && strcmp(k, "until") != 0)
    {
        rc = sw_fail(err, SW_E_UNKNOWN_FIELD, k, "unknown field '%s'", k);
        break;
    }
    const json_t *policy = json_object_get(body, "policy"), *until = json_object_get(body, "until");
    if (rc == SW_OK && !json_is_object(policy))
        rc = sw_fail(err, policy ? SW_E_WRONG_TYPE : SW_E_MISSING_FIELD, "policy",
                     "'policy' must be a policy document (an object)");
    if (rc == SW_OK && until && !json_is_string(until))
        rc = sw_fail(err, SW_E_WRONG_TYPE, "until", "'until' must be an instant");
    sw_instant end = 0;
    if (rc == SW_OK && until &&
        (rc = sw_instant_parse(json_string_value(until), json_string_length(until), &end, err)))
        snprintf(err->field, sizeof err->field, "until");
    else if (rc == SW_OK && until && end <= sw_clock_now(sw_engine_clock(r->engine)))
        rc = sw_fail(err, SW_E_INVALID_VALUE, "until", "'until' must be in the future");
    struct sw_policy *p = NULL;
    if (rc == SW_OK) {
        char *text = sw_json_dump(policy);
        json_t *problems = NULL;
        rc = text ? sw_policy_load(text, strlen(text), &p, &problems, err)
                  : sw_fail(err, SW_E_INTERNAL, NULL, "cannot serialise the policy");
        free(text);
        if (rc) {
            json_decref(r->err_details);
            r->err_details = json_pack("{s:o}", "problems", problems ? problems : json_array());
        } else {
            json_decref(problems);
        }
    }
    if (rc == SW_OK) {
        sh.candidate = p;
        sh.opts.until = end;
    }
    json_decref(body);
    return rc;
}

static int start(struct sw_req *r, struct sw_error *err)
{
    struct sw_engine *e = r->engine;
    snprintf(sh.dir, sizeof sh.dir, "/tmp/shopwarden-shadow-XXXXXX");
    sh.scratch[0] = '\0';
    if (!mkdtemp(sh.dir))
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot create the shadow's folder");
    snprintf(sh.scratch, sizeof sh.scratch, "%s/shadow.db", sh.dir);
    snprintf(sh.db, sizeof sh.db, "%s", sw_engine_db_path(e));
    sh.clock = sw_engine_clock(e);
    sh.started_at = sw_clock_now(sh.clock);
    sh.by = sw_actor_json(r->key_id, r->role, r->key_label[0] ? r->key_label : NULL);
    sh.opts.db = sh.db;
    sh.opts.scratch = sh.scratch;
    sh.opts.draft = sh.candidate;
    sh.opts.from = sh.started_at;
    int64_t count = 0;
    struct sw_pool *pool = sw_engine_readers(e);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_replay_sql_count(c, INT64_MAX, &count, &sh.opts.from_seq, err);
    sw_pool_release(pool, c);
    if (rc)
        return rc;
    sh.opts.now = sh.started_at;
    sh.opts.follow = true;
    sh.opts.clock = sh.clock;
    sh.opts.live = e;
    sh.opts.cancel = &sh.cancel;
    sh.opts.applied = &sh.applied;
    sh.opts.keep_scratch = true;
    atomic_store(&sh.cancel, false);
    sw_replay_applied_reset(&sh.applied);
    snprintf(sh.status, sizeof sh.status, "running");
    sh.stop_reason[0] = sh.error[0] = '\0';
    sh.exists = true;
    sh.running = true;
    if (pthread_create(&sh.thread, NULL, shadow_main, NULL) != 0) {
        sh.running = false;
        forget();
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot start the shadow");
    }
    sh.joinable = true;
    return SW_OK;
}

int sw__h_shadow_start(struct sw_req *r, struct sw_error *err)
{
    struct sw_job_idem idem;
    if (sw__job_idem_of(r, &idem, err))
        return err->code;
    pthread_mutex_lock(&sh.mu);
    bool same = false;
    int rc = sh.exists ? sw__job_idem_check(&sh.idem, &idem, &same, err) : SW_OK;
    if (rc == SW_OK && same) { /* a retry of the request that started this shadow */
        r->status = 201;
        r->replayed = true;
        r->resp = state();
        snprintf(r->location, sizeof r->location, "/v1/admin/policy/shadow");
        pthread_mutex_unlock(&sh.mu);
        return SW_OK;
    }
    if (rc == SW_OK && sh.running)
        rc = sw_fail(err, SW_E_STATE_CONFLICT, NULL,
                     "a shadow of '%s' is running; stop it first (DELETE /v1/admin/policy/shadow)",
                     sh.candidate->version);
    if (rc == SW_OK) {
        forget();
        sh.opts = (struct sw_replay_opts){0};
        rc = parse(r, err);
    }
    if (rc == SW_OK && (rc = start(r, err)) == SW_OK) {
        sh.idem = idem;
        r->status = 201;
        r->resp = state();
        snprintf(r->location, sizeof r->location, "/v1/admin/policy/shadow");
    }
    pthread_mutex_unlock(&sh.mu);
    return rc;
}

int sw__h_shadow_get(struct sw_req *r, struct sw_error *err)
{
    int64_t after = 0, limit = PAGE_DEFAULT;
    int rc = sw__query_int(r, "after", 0, 0, INT64_MAX, &after, err);
    if (rc || (rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, PAGE_MAX, &limit, err)))
        return rc;
    pthread_mutex_lock(&sh.mu);
    if (!sh.exists) {
        pthread_mutex_unlock(&sh.mu);
        return sw_fail(err, SW_E_NOT_FOUND, NULL, "no shadow was started");
    }
    json_t *o = state();
    char live[4096], scratch[96];
    snprintf(live, sizeof live, "%s", sh.db);
    snprintf(scratch, sizeof scratch, "%s", sh.scratch);
    int64_t from_seq = sh.opts.from_seq;
    int64_t seq, scratch_seq;
    json_t *tally = sw_replay_applied_tally(&sh.applied, &seq, &scratch_seq);
    /* Compared under the lock: a new shadow cannot remove the database meanwhile. Both sides
     * are cut at the same command: the scratch writer may be ahead of `seq` (the next chunk);
     * the tally's refusals are those of the commands up to `seq`. */
    struct sw_replay_report rep;
    rc = seq ? sw_replay_compare(live, scratch, seq, scratch_seq, from_seq, tally, &rep, err)
             : SW_OK;
    json_decref(tally);
    if (rc == SW_OK && seq)
        sw__render_report(o, rep.doc, after, limit);
    else if (rc == SW_OK) { /* nothing applied yet */
        json_t *empty = json_pack("{s:[]}", "differences");
        sw__render_report(o, empty, after, limit);
        json_decref(empty);
    }
    pthread_mutex_unlock(&sh.mu);
    if (seq)
        sw_replay_report_release(&rep);
    if (rc) {
        json_decref(o);
        return rc;
    }
    r->resp = o;
    return SW_OK;
}

int sw__h_shadow_stop(struct sw_req *r, struct sw_error *err)
{
    pthread_mutex_lock(&sh.mu);
    if (!sh.exists) {
        pthread_mutex_unlock(&sh.mu);
        return sw_fail(err, SW_E_NOT_FOUND, NULL, "no shadow was started");
    }
    bool was = sh.running;
    if (was)
        snprintf(sh.stop_reason, sizeof sh.stop_reason, "stopped");
    atomic_store(&sh.cancel, true);
    bool joinable = sh.joinable;
    sh.joinable = false;
    pthread_mutex_unlock(&sh.mu);
    if (joinable)
        pthread_join(sh.thread, NULL); /* the thread takes sh.mu to finish */
    pthread_mutex_lock(&sh.mu);
    r->resp = state();
    pthread_mutex_unlock(&sh.mu);
    return SW_OK;
}

void sw__shadow_stop_all(void)
{
    atomic_store(&sh.cancel, true);
    pthread_mutex_lock(&sh.mu);
    bool joinable = sh.joinable;
    sh.joinable = false;
    pthread_mutex_unlock(&sh.mu);
    if (joinable)
        pthread_join(sh.thread, NULL);
    pthread_mutex_lock(&sh.mu);
    forget();
    pthread_mutex_unlock(&sh.mu);
}
