/* What-if replays as background jobs of the server (docs/replay.md, "Over HTTP"):
 * POST /v1/admin/replays starts one (admins and analysts), GET /v1/admin/replays/{id} tells its
 * progress, then its report with the differences paged. One job at a time: the job reads the
 * live database through its own read-only connection and writes only its scratch database, so
 * the live engine pays for nothing but those reads. Jobs live in the server's memory: a restart
 * forgets them (the log they read is still there to replay). */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/json.h"
#include "http/handlers.h"
#include "replay/replay.h"

#define JOBS_KEPT 16

struct job {
    char id[24];
    char status[16]; /* running, done, failed */
    char policy_version[64];
    char error[320];
    struct sw_job_idem idem;
    json_t *by;
    sw_instant created_at, finished_at;
    _Atomic int64_t done, total;
    struct sw_replay_opts opts;
    struct sw_policy *draft;
    char dir[64], scratch[96], db[4096];
    json_t *report;         /* the report's doc once done */
    struct sw_clock *clock; /* the server's */
};

static struct {
    pthread_mutex_t mu;
    struct job *jobs[JOBS_KEPT];
    int n;
    int64_t next_id;
    bool running;
    pthread_t thread;
    bool joinable;
    _Atomic bool cancel;
} reg = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void job_free(struct job *j)
{
    if (!j)
        return;
    json_decref(j->report);
    json_decref(j->by);
    sw_policy_free(j->draft);
    free(j);
}

static void on_progress(void *arg, int64_t done, int64_t total)
{
    struct job *j = arg;
    atomic_store(&j->total, total);
    atomic_store(&j->done, done);
}

static void *job_main(void *arg)
{
    struct job *j = arg;
    struct sw_replay_report rep;
    struct sw_error err;
    int rc = sw_replay_run(&j->opts, &rep, &err);
    rmdir(j->dir);
    pthread_mutex_lock(&reg.mu);
    if (rc == SW_OK) {
        snprintf(j->status, sizeof j->status, "done");
        j->report = json_incref(rep.doc);
    } else {
        snprintf(j->status, sizeof j->status, "failed");
        snprintf(j->error, sizeof j->error, "%s: %s", sw_err_name(rc), err.msg);
    }
    j->finished_at = sw_clock_now(j->clock);
    reg.running = false;
    pthread_mutex_unlock(&reg.mu);
    sw_replay_report_release(&rep);
    return NULL;
}

/* The job as the API shows it; with its report's differences from position after on, at most
 * limit of them (the report itself only once done). */
static json_t *render(const struct job *j, int64_t after, int64_t limit)
{
    json_t *o = json_pack(
        "{s:s,s:s,s:s,s:O,s:o,s:o,s:{s:I,s:I}}", "id", j->id, "status", j->status, "policy_version",
        j->policy_version, "requested_by", j->by, "created_at", sw_json_instant_opt(j->created_at),
        "finished_at", sw_json_instant_opt(strcmp(j->status, "running") != 0 ? j->finished_at : 0),
        "progress", "commands_done", (json_int_t)atomic_load(&j->done), "commands_total",
        (json_int_t)atomic_load(&j->total));
    json_object_set_new(o, "error", j->error[0] ? json_string(j->error) : json_null());
    if (!j->report)
        return o;
    sw__render_report(o, j->report, after, limit);
    return o;
}

void sw__render_report(json_t *o, const json_t *report, int64_t after, int64_t limit)
{
    static const char *const parts[] = {"counts", "totals", "rules", "quality", "refused"};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        if (json_object_get(report, parts[i]))
            json_object_set(o, parts[i], json_object_get(report, parts[i]));
    json_t *all = json_object_get(report, "differences"), *page = json_array();
    for (size_t i = (size_t)after;
         i < json_array_size(all) && (int64_t)json_array_size(page) <= limit; i++) {
        json_t *d = json_copy(json_array_get(all, i));
        json_object_set_new(d, "position", json_integer((json_int_t)i + 1));
        json_array_append_new(page, d);
    }
    sw_page_set(o, "differences", page, (size_t)limit, "position");
    size_t i;
    json_t *d;
    json_array_foreach(page, i, d) json_object_del(d, "position");
}

static struct job *find(const char *id)
{
    for (int i = 0; i < reg.n; i++)
        if (strcmp(reg.jobs[i]->id, id) == 0)
            return reg.jobs[i];
    return NULL;
}

/* The kept job a retry of this request is (same key, same body), NULL; or the conflict of the
 * same key with another body. */
static int find_retry(const struct sw_job_idem *idem, struct job **seen, struct sw_error *err)
{
    *seen = NULL;
    for (int i = 0; i < reg.n; i++) {
        bool same;
        int rc = sw__job_idem_check(&reg.jobs[i]->idem, idem, &same, err);
        if (rc)
            return rc;
        if (same)
            *seen = reg.jobs[i];
    }
    return SW_OK;
}

/* Keeps the job, dropping the oldest finished one when full. */
static void add(struct job *j)
{
    if (reg.n == JOBS_KEPT) {
        job_free(reg.jobs[0]);
        memmove(reg.jobs, reg.jobs + 1, (JOBS_KEPT - 1) * sizeof *reg.jobs);
        reg.n--;
    }
    reg.jobs[reg.n++] = j;
}

/* The body: {"policy": {...}, "from"?: instant, "to"?: instant}. */
static int parse(struct sw_req *r, struct job *j, struct sw_error *err)
{
    json_t *body;
    int rc = sw__body_object(r, &body, err);
    if (rc)
        return rc;
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v) if (strcmp(k, "policy") != 0 && strcmp(k, "from") != 0 &&
                                        strcmp(k, "to") != 0)
    {
        rc = sw_fail(err, SW_E_UNKNOWN_FIELD, k, "unknown field '%s'", k);
        break;
    }
    const json_t *policy = json_object_get(body, "policy");
    if (rc == SW_OK && !json_is_object(policy))
        rc = sw_fail(err, policy ? SW_E_WRONG_TYPE : SW_E_MISSING_FIELD, "policy",
                     "'policy' must be a policy document (an object)");
    sw_instant *ends[] = {&j->opts.from, &j->opts.to};
    const char *names[] = {"from", "to"};
    for (int i = 0; i < 2 && rc == SW_OK; i++) {
        const json_t *t = json_object_get(body, names[i]);
        if (t && !json_is_string(t))
            rc = sw_fail(err, SW_E_WRONG_TYPE, names[i], "'%s' must be an instant", names[i]);
        else if (t &&
                 (rc = sw_instant_parse(json_string_value(t), json_string_length(t), ends[i], err)))
            snprintf(err->field, sizeof err->field, "%s", names[i]);
    }
    if (rc == SW_OK && json_object_get(body, "from") && json_object_get(body, "to") &&
        j->opts.to <= j->opts.from) /* as the CLI's --to: an empty window replays nothing */
        rc = sw_fail(err, SW_E_INVALID_VALUE, "to", "'to' is not after 'from'");
    if (rc == SW_OK) {
        char *text = sw_json_dump(policy);
        json_t *problems = NULL;
        rc = text ? sw_policy_load(text, strlen(text), &j->draft, &problems, err)
                  : sw_fail(err, SW_E_INTERNAL, NULL, "cannot serialise the policy");
        free(text);
        if (rc) {
            json_decref(r->err_details);
            r->err_details = json_pack("{s:o}", "problems", problems ? problems : json_array());
            if (strncmp(err->field, "policy", 6) != 0)
                snprintf(err->field, sizeof err->field, "policy");
        } else {
            json_decref(problems);
        }
    }
    json_decref(body);
    return rc;
}

static int start(struct sw_req *r, struct job *j, struct sw_error *err)
{
    struct sw_engine *e = r->engine;
    snprintf(j->dir, sizeof j->dir, "/tmp/shopwarden-replay-XXXXXX");
    if (!mkdtemp(j->dir))
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot create a scratch folder");
    snprintf(j->scratch, sizeof j->scratch, "%s/scratch.db", j->dir);
    snprintf(j->db, sizeof j->db, "%s", sw_engine_db_path(e));
    snprintf(j->policy_version, sizeof j->policy_version, "%s", j->draft->version);
    snprintf(j->status, sizeof j->status, "running");
    j->clock = sw_engine_clock(e);
    j->created_at = sw_clock_now(j->clock);
    j->by = sw_actor_json(r->key_id, r->role, r->key_label[0] ? r->key_label : NULL);
    j->opts.db = j->db;
    j->opts.scratch = j->scratch;
    j->opts.draft = j->draft;
    j->opts.now = j->created_at;
    j->opts.progress = on_progress;
    j->opts.progress_arg = j;
    j->opts.cancel = &reg.cancel;
    j->opts.max_differences = 100000;
    snprintf(j->id, sizeof j->id, "rp%" PRId64, ++reg.next_id);
    if (reg.joinable)
        pthread_join(reg.thread, NULL);
    reg.joinable = false;
    if (pthread_create(&reg.thread, NULL, job_main, j) != 0) {
        rmdir(j->dir);
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot start the replay");
    }
    reg.joinable = true;
    reg.running = true;
    return SW_OK;
}

int sw__h_replays_create(struct sw_req *r, struct sw_error *err)
{
    struct sw_job_idem idem;
    if (sw__job_idem_of(r, &idem, err))
        return err->code;
    struct job *j = calloc(1, sizeof *j);
    if (!j)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    pthread_mutex_lock(&reg.mu);
    struct job *seen = NULL;
    int rc = find_retry(&idem, &seen, err);
    if (rc == SW_OK && !seen)
        rc = parse(r, j, err);
    if (seen) {
        r->status = 201;
        r->replayed = true;
        r->resp = render(seen, 0, PAGE_DEFAULT);
        snprintf(r->location, sizeof r->location, "/v1/admin/replays/%s", seen->id);
    } else if (rc == SW_OK && reg.running) {
        rc = sw_fail(err, SW_E_STATE_CONFLICT, NULL, "a replay is running ('%s'); one at a time",
                     reg.jobs[reg.n - 1]->id);
    } else if (rc == SW_OK && (rc = start(r, j, err)) == SW_OK) {
        j->idem = idem;
        add(j);
        r->status = 201;
        r->resp = render(j, 0, PAGE_DEFAULT);
        snprintf(r->location, sizeof r->location, "/v1/admin/replays/%s", j->id);
        j = NULL;
    }
    pthread_mutex_unlock(&reg.mu);
    job_free(j);
    return rc;
}

int sw__h_replay_get(struct sw_req *r, struct sw_error *err)
{
    int64_t after = 0, limit = PAGE_DEFAULT;
    int rc = sw__query_int(r, "after", 0, 0, INT64_MAX, &after, err);
    if (rc || (rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, PAGE_MAX, &limit, err)))
        return rc;
    pthread_mutex_lock(&reg.mu);
    struct job *j = find(r->params[0]);
    if (j)
        r->resp = render(j, after, limit);
    pthread_mutex_unlock(&reg.mu);
    if (!j)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown replay '%s'", r->params[0]);
    return SW_OK;
}

void sw__replays_stop(void)
{
    atomic_store(&reg.cancel, true);
    pthread_mutex_lock(&reg.mu);
    bool joinable = reg.joinable;
    reg.joinable = false;
    pthread_mutex_unlock(&reg.mu);
    if (joinable)
        pthread_join(reg.thread, NULL);
    pthread_mutex_lock(&reg.mu);
    for (int i = 0; i < reg.n; i++)
        job_free(reg.jobs[i]);
    reg.n = 0;
    reg.running = false;
    pthread_mutex_unlock(&reg.mu);
    atomic_store(&reg.cancel, false);
}
