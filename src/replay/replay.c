/* Running a replay (replay.h): the live log read in chunks, each chunk submitted to a scratch
 * engine as one stream (the writer applies it in a few transactions), then the comparison. */
#include "replay/replay_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/domain.h"
#include "engine/engine.h"
#include "store/policy_sql.h"
#include "store/replay_sql.h"

/* Commands read and submitted at a time: about one scratch transaction each. */
#define CHUNK 8192
#define REFUSED_SHOWN 20

struct loaded {
    struct sw_policy *p;
    struct loaded *next;
};

struct run {
    const struct sw_replay_opts *o;
    struct sw_replay_report *r;
    struct sw_conn live;
    struct sw_engine *e;
    struct sw_clock clock;
    struct loaded *policies; /* every policy loaded, freed after the engine */
    const char *cur;         /* the recorded version in force in the scratch run... */
    bool cur_draft;          /* ... unless the draft is (a command's policy stays in force) */
    int64_t last_cmd_seq;    /* the last recorded command replayed */
    int64_t to_seq;          /* the window's last command (`to`), else INT64_MAX */
    sw_instant ticked;       /* follow mode: where the run's timers were last brought */
    bool switched;           /* the draft is the scratch engine's policy (switch_to_draft) */
    int64_t switch_after;    /* ... from the first drafted command after this seq on */
    json_t *refused;
    int64_t done, total; /* commands applied in the scratch run, of the log's (progress) */
    int64_t scratch_seq; /* the scratch's last event of what is committed and waited for */
};

json_t *sw_replay_applied_tally(struct sw_replay_applied *a, int64_t *cmd_seq, int64_t *scratch_seq)
{
    pthread_mutex_lock(&a->mu);
    json_t *t = json_incref(a->tally);
    pthread_mutex_unlock(&a->mu);
    *cmd_seq = t ? json_integer_value(json_object_get(t, "cmd_seq")) : 0;
    *scratch_seq = t ? json_integer_value(json_object_get(t, "scratch_seq")) : 0;
    return t;
}

void sw_replay_applied_reset(struct sw_replay_applied *a)
{
    pthread_mutex_lock(&a->mu);
    json_decref(a->tally);
    a->tally = NULL;
    pthread_mutex_unlock(&a->mu);
}

/* The run's counts so far, as the report's "counts" has them (without the comparison's). */
static json_t *run_counts(const struct sw_replay_report *r)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "commands", (json_int_t)r->commands, "applied",
                     (json_int_t)r->applied, "timers_recorded", (json_int_t)r->timers_recorded,
                     "clock_moves", (json_int_t)r->clock_moves, "refused", (json_int_t)r->refused,
                     "activations_skipped", (json_int_t)r->activations_skipped);
}

/* Publishes how far the run is: the recorded commands up to cmd_seq are applied, and the
 * scratch's commands up to the last one waited for belong to them (one writer: the run); with
 * the tally of their refusals and counts. Readers never see the tally change under them: a
 * new one replaces it. */
static void publish(struct run *run, int64_t cmd_seq)
{
    struct sw_replay_applied *a = run->o->applied;
    if (!a)
        return;
    /* copies: the run keeps adding to its own */
    json_t *t = json_pack("{s:I,s:I,s:o,s:o,s:o}", "cmd_seq", (json_int_t)cmd_seq, "scratch_seq",
                          (json_int_t)run->scratch_seq, "refused_by_type",
                          json_deep_copy(json_object_get(run->r->doc, "refused_by_type")),
                          "refused", json_deep_copy(run->refused), "counts", run_counts(run->r));
    if (t) {
        pthread_mutex_lock(&a->mu);
        json_decref(a->tally);
        a->tally = t;
        pthread_mutex_unlock(&a->mu);
    }
}

/* A command of the log the writer has applied: its last event is where a report may cut the
 * scratch side (the writer may be applying the next ones meanwhile). Only for a run that
 * publishes how far it is (a shadow): it reads the command's events. */
static void waited(struct run *run, struct sw_cmd *cmd)
{
    if (!run->o->applied || cmd->code != SW_OK)
        return;
    json_t *ev = sw_cmd_events(cmd);
    json_int_t s =
        json_integer_value(json_object_get(json_array_get(ev, json_array_size(ev) - 1), "seq"));
    if (s > run->scratch_seq)
        run->scratch_seq = s;
}

/* Nothing in flight (a tick or the draft's activation just applied): every committed event. */
static void settled(struct run *run)
{
    int64_t s = sw_engine_last_event_seq(run->e);
    if (s > run->scratch_seq)
        run->scratch_seq = s;
}

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static const struct sw_policy *keep(struct run *run, struct sw_policy *p)
{
    struct loaded *l = calloc(1, sizeof *l);
    if (!l) {
        sw_policy_free(p);
        return NULL;
    }
    l->p = p;
    l->next = run->policies;
    run->policies = l;
    return p;
}

/* The policy of a recorded version: the document the database stored for it, or the built-in
 * default when that is the version (a database on which no policy was ever activated). */
static const struct sw_policy *recorded_policy(struct run *run, const char *version,
                                               struct sw_error *err)
{
    for (struct loaded *l = run->policies; l; l = l->next)
        if (strcmp(l->p->version, version) == 0)
            return l->p;
    char *doc = NULL;
    struct sw_policy *p = NULL;
    if (sw_sql_policy_get(&run->live, version, &doc, err))
        return NULL;
    int rc =
        doc ? sw_policy_load(doc, strlen(doc), &p, NULL, err) : sw_policy_load_default(&p, err);
    free(doc);
    if (rc)
        return NULL;
    if (strcmp(p->version, version) != 0) {
        sw_policy_free(p);
        sw_fail(err, SW_E_NOT_FOUND, "policy",
                "policy version '%s' of the log is not stored in the database", version);
        return NULL;
    }
    return keep(run, p);
}

static void remove_scratch(const char *path)
{
    char p[4200];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static bool is_timer(const struct sw_replay_cmd_row *row)
{
    return row->actor && strcmp(row->actor, "system") == 0 && row->idem_key &&
           strncmp(row->idem_key, "timer|", 6) == 0;
}

/* A move of the manual clock (admin.clock, logged by every POST /v1/admin/clock and `shopwarden
 * tick` after its timers fired): the scratch's timers due at its very instant fire before it, as
 * the live ones did, so that a deadline a draft moves to that instant fires before a command at
 * it. The move itself is replayed as the command it is (no events; one command each side). */
static bool is_clock_move(const struct sw_replay_cmd_row *row)
{
    return strcmp(row->type, "admin.clock") == 0;
}

static bool drafted(const struct run *run, const struct sw_replay_cmd_row *row)
{
    if (!run->o->draft)
        return false;
    return run->o->from_seq ? row->seq > run->o->from_seq : row->at >= run->o->from;
}

/* Fills cmd from row (which keeps owning the strings); false when the row is skipped. */
static bool to_command(struct run *run, const struct sw_replay_cmd_row *row, struct sw_cmd *cmd,
                       struct sw_error *err)
{
    memset(cmd, 0, sizeof *cmd);
    if (is_timer(row)) {
        run->r->timers_recorded++;
        cmd->type = "engine.tick";
        cmd->actor = "engine";
        cmd->payload = json_pack("{s:I}", "to_us", (json_int_t)row->at);
        return true;
    }
    bool activation = strcmp(row->type, "policy.activate") == 0;
    if (activation && drafted(run, row)) {
        run->r->activations_skipped++;
        return false;
    }
    cmd->type = row->type;
    cmd->actor = row->actor;
    cmd->actor_key = row->actor_key;
    cmd->actor_label = row->actor_label;
    cmd->merchant = row->merchant;
    cmd->idem_key = row->idem_key;
    cmd->payload_text = row->payload;
    cmd->payload = json_loads(row->payload, JSON_DECODE_ANY, NULL);
    cmd->replay_at = row->at;
    if (is_clock_move(row)) {
        run->r->clock_moves++;
        cmd->timers_through = true;
    }
    if (drafted(run, row)) {
        cmd->replay_policy = run->o->draft;
        run->cur_draft = true;
    } else if (activation) {
        /* from the version the live server had in force (a restart with another file before
         * it, logged by an older release without an activation of its own) */
        char from[sizeof((struct sw_policy *)0)->version];
        if (sw_replay_sql_activated_from(&run->live, row->seq, from, sizeof from, err))
            return false;
        if (from[0] && (run->cur_draft || strcmp(run->cur, from) != 0) &&
            !(cmd->replay_policy = recorded_policy(run, from, err)))
            return false;
        run->cur = row->policy_version;
        run->cur_draft = false;
    } else if (run->cur_draft || strcmp(run->cur, row->policy_version) != 0) {
        /* The server ran this command under another version than the log's last activation
         * left (it was restarted with another file): so does the replay. So does a command
         * before `from` after the draft decided one (a log whose instants go back). */
        cmd->replay_policy = recorded_policy(run, row->policy_version, err);
        run->cur = row->policy_version;
        run->cur_draft = false;
        if (!cmd->replay_policy)
            return false;
    }
    run->r->applied++;
    return true;
}

static void note_refused(struct run *run, const struct sw_replay_cmd_row *row,
                         const struct sw_cmd *cmd)
{
    run->r->refused++;
    json_t *by = json_object_get(run->r->doc, "refused_by_type");
    json_object_set_new(by, row->type,
                        json_integer(json_integer_value(json_object_get(by, row->type)) + 1));
    if (json_array_size(run->refused) < REFUSED_SHOWN)
        json_array_append_new(run->refused,
                              json_pack("{s:I,s:s,s:s?,s:s,s:s}", "seq", (json_int_t)row->seq,
                                        "type", row->type, "merchant", row->merchant, "code",
                                        sw_err_name(cmd->code), "message", cmd->err.msg));
}

/* The draft takes over from a recorded policy (a replay with `from`, a shadow): the scratch
 * engine activates it at `at` as POST /v1/admin/policy would have, so that what an activation
 * does at once (running promotions re-checked, designated streamers filed...) is part of what
 * the draft would do, and the timers that fire later run under it too. A draft the scratch
 * database cannot activate (its version names another document there) is noted in the report
 * and each command still runs under it. */
static void switch_to_draft(struct run *run, sw_instant at)
{
    run->switched = run->cur_draft = true;
    struct sw_cmd cmd = {.type = "policy.activate",
                         .actor = "admin",
                         .payload = run->o->draft->doc,
                         .replay_at = at};
    int rc = sw_engine_execute(run->e, &cmd);
    json_t *note = rc == SW_OK ? json_pack("{s:s,s:I}", "version", run->o->draft->version, "at_us",
                                           (json_int_t)at)
                               : json_pack("{s:s,s:s,s:s}", "version", run->o->draft->version,
                                           "refused", sw_err_name(rc), "message", cmd.err.msg);
    json_object_set_new(run->r->doc, "draft_activation", note);
    sw_cmd_release(&cmd);
}

/* A chunk of the log: its rows and their commands. */
struct chunk {
    struct sw_replay_cmd_row rows[CHUNK];
    struct sw_cmd cmds[CHUNK];
    bool used[CHUNK];
    int n;
};

/* Submits a chunk's rows (the writer starts at once). */
static int submit_chunk(struct run *run, struct chunk *c, struct sw_error *err)
{
    int rc = SW_OK;
    for (int i = 0; i < c->n; i++) {
        if (rc == SW_OK && !run->switched && c->rows[i].seq > run->switch_after &&
            drafted(run, &c->rows[i]))
            switch_to_draft(run, run->o->from && !run->o->from_seq ? run->o->from : c->rows[i].at);
        c->used[i] = rc == SW_OK && to_command(run, &c->rows[i], &c->cmds[i], err);
        if (err->code && rc == SW_OK)
            rc = err->code;
        if (c->used[i])
            sw_engine_submit(run->e, &c->cmds[i]);
    }
    return rc;
}

#define PROGRESS_EVERY 64 /* commands applied between two progress reports */

/* One more command applied; reported every PROGRESS_EVERY (the caller's callback throttles). */
static void applied_one(struct run *run)
{
    run->done++;
    if (run->o->progress && run->done % PROGRESS_EVERY == 0)
        run->o->progress(run->o->progress_arg, run->done,
                         run->total > run->done ? run->total : run->done);
}

/* Waits for every command of a submitted chunk and releases it: progress is what is applied,
 * not what is queued (a chunk of 8,192 commands may take seconds). */
static int wait_chunk(struct run *run, struct chunk *c, struct sw_error *err)
{
    int rc = SW_OK;
    for (int i = 0; i < c->n; i++) {
        if (c->used[i]) {
            sw_engine_wait(run->e, &c->cmds[i]);
            waited(run, &c->cmds[i]);
            if (c->cmds[i].code != SW_OK && strcmp(c->cmds[i].type, "engine.tick") != 0)
                note_refused(run, &c->rows[i], &c->cmds[i]);
            else if (c->cmds[i].code != SW_OK && rc == SW_OK)
                rc = sw_fail(err, c->cmds[i].code, NULL, "timers at seq %lld: %s",
                             (long long)c->rows[i].seq, c->cmds[i].err.msg);
            json_decref(c->cmds[i].payload);
            sw_cmd_release(&c->cmds[i]);
        }
        applied_one(run); /* applied (or refused, or not a command: an activation skipped) */
        sw_replay_cmd_row_free(&c->rows[i]);
    }
    c->n = 0;
    return rc;
}

/* Fires the scratch engine's timers due up to `to` (one tick, as the live engine's). */
static int tick_to(struct run *run, sw_instant to, struct sw_error *err)
{
    json_t *p = json_pack("{s:I}", "to_us", (json_int_t)to);
    struct sw_cmd cmd = {.type = "engine.tick", .actor = "engine", .payload = p};
    int rc = sw_engine_execute(run->e, &cmd);
    if (rc)
        sw_fail(err, rc, NULL, "timers up to %lld: %s", (long long)to, cmd.err.msg);
    else
        settled(run); /* its timers run as commands of their own */
    sw_cmd_release(&cmd);
    json_decref(p);
    return rc;
}

/* Where the live engine's time stands: its manual clock, or now. */
static int live_time(struct run *run, sw_instant *t, struct sw_error *err)
{
    char v[32];
    bool found = false;
    if (sw_meta_get(&run->live, "manual_clock_us", v, sizeof v, &found, err))
        return err->code;
    *t = found ? strtoll(v, NULL, 10) : run->o->now;
    return SW_OK;
}

/* A draft run goes on to where time stands now (or to `to`, when that is earlier): its timers
 * may fall due where the recorded ones did not (a shorter deadline), and nothing in the log
 * would bring the replay there. Never past the live time: the recorded side has not been
 * there, and a draft identical to the recorded policy must change nothing. */
static int tick_to_end(struct run *run, sw_instant live, struct sw_error *err)
{
    sw_instant end = run->o->to && run->o->to < live ? run->o->to : live;
    return end > 0 ? tick_to(run, end, err) : SW_OK;
}

/* Follow mode, all of the log applied: the live engine's time stood at `live_now` before the
 * log was read, so every command before it is applied and any later one comes at or after it;
 * the run's timers due before it fire now (a draft's shorter deadline), as the live ones did.
 * Not those due at live_now itself: a command at that very instant may still come, and runs
 * before them. */
static int follow_time(struct run *run, sw_instant live_now, struct sw_error *err)
{
    if (live_now - 1 <= run->ticked)
        return SW_OK;
    run->ticked = live_now - 1;
    return tick_to(run, live_now - 1, err);
}

#define FOLLOW_POLL_MS 100

/* In follow mode, with nothing new: whether to stop (cancelled, or past its end), else waits. */
static bool follow_done(const struct sw_replay_opts *o)
{
    if (!o->follow || (o->cancel && atomic_load(o->cancel)))
        return true;
    if (o->until && o->clock && sw_clock_now(o->clock) >= o->until)
        return true;
    usleep(FOLLOW_POLL_MS * 1000);
    return false;
}

/* Reads the log in chunks; while the scratch writer applies one chunk, the next is read,
 * parsed and queued behind it (two chunks in flight). */
static int apply_log(struct run *run, int64_t total, struct sw_error *err)
{
    struct chunk *buf = calloc(2, sizeof *buf), *cur = buf, *prev = NULL;
    if (!buf)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    int rc = SW_OK;
    int64_t after = 0;
    run->total = total;
    if (run->o->progress)
        run->o->progress(run->o->progress_arg, 0, total);
    while (rc == SW_OK) {
        sw_instant live_now = run->o->live ? sw_engine_committed_now(run->o->live) : 0;
        if ((rc = sw_replay_sql_commands(&run->live, after, run->to_seq, cur->rows, CHUNK, &cur->n,
                                         err)))
            break;
        if (cur->n == 0 && prev) { /* finish what is in flight before waiting for more */
            rc = wait_chunk(run, prev, err);
            prev = NULL;
            if (rc == SW_OK)
                publish(run, run->last_cmd_seq);
            continue;
        }
        if (cur->n == 0) {
            if (run->o->follow && (rc = follow_time(run, live_now, err)))
                break;
            if (run->o->follow && run->o->draft && !run->switched && run->ticked > 0) {
                switch_to_draft(run, run->ticked);
                settled(run); /* nothing is in flight */
            }
            if (run->o->follow && rc == SW_OK) /* the timers and the switch just applied */
                publish(run, run->last_cmd_seq);
            if (follow_done(run->o))
                break;
            continue;
        }
        after = cur->rows[cur->n - 1].seq;
        int n = cur->n;
        rc = submit_chunk(run, cur, err);
        if (prev) {
            int w = wait_chunk(run, prev, err);
            rc = rc ? rc : w;
        }
        /* everything up to the previous chunk is committed; this one is queued */
        run->last_cmd_seq = after;
        run->r->commands += n;
        prev = cur;
        cur = cur == buf ? buf + 1 : buf;
        if (rc == SW_OK) /* what came before the chunk now queued, which is in flight */
            publish(run, prev->rows[0].seq - 1);
        if (rc == SW_OK && run->o->cancel && atomic_load(run->o->cancel)) {
            if (run->o->follow)
                break; /* a shadow stopped: a normal end, even on a busy server */
            rc = sw_fail(err, SW_E_STATE_CONFLICT, NULL, "replay stopped");
        }
    }
    if (prev) {
        int w = wait_chunk(run, prev, err);
        rc = rc ? rc : w;
    }
    if (rc == SW_OK)
        publish(run, run->last_cmd_seq);
    if (run->o->progress && rc == SW_OK)
        run->o->progress(run->o->progress_arg, run->done,
                         run->total > run->done ? run->total : run->done);
    free(buf);
    return rc;
}

/* Where the draft takes over: after the last command before `from` (a log whose instants go
 * back, a key made offline by the wall clock before a manual clock was set back, has commands
 * before `from` after some at or after it: those run under the draft one by one, and the
 * switch waits for the state they make), or after `from_seq`. */
static int find_switch(struct run *run, struct sw_error *err)
{
    int64_t n = 0;
    if (run->o->from_seq)
        run->switch_after = run->o->from_seq;
    else if (run->o->draft && run->o->from)
        return sw_replay_sql_count(&run->live, run->o->from - 1, &n, &run->switch_after, err);
    return SW_OK;
}

/* Opens the scratch engine under the policy the log starts with. */
static int open_scratch(struct run *run, struct sw_error *err)
{
    struct sw_replay_cmd_row first[1] = {{0}};
    int n = 0;
    int rc = sw_replay_sql_commands(&run->live, 0, INT64_MAX, first, 1, &n, err);
    if (rc)
        return rc;
    const struct sw_policy *start = NULL;
    struct sw_policy *dflt = NULL;
    /* A draft from the log's start is in force from the first command; with `from`, the
     * recorded policy is until the draft takes over (switch_to_draft), even when the log's
     * first command is stamped later than `from` (a key made offline by the wall clock before
     * a manual clock was set back). */
    bool whole = run->o->draft && !run->o->from && !run->o->from_seq;
    if (n == 1 && !whole)
        start = recorded_policy(run, first[0].policy_version, err);
    else if (run->o->draft)
        start = run->o->draft, run->switched = run->cur_draft = true;
    else if (sw_policy_load_default(&dflt, err) == SW_OK) /* an empty log */
        start = keep(run, dflt);
    sw_clock_init_manual(&run->clock, n == 1 ? first[0].at : 0);
    if (n == 1)
        sw_replay_cmd_row_free(&first[0]);
    if (!start)
        return err->code ? err->code : sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    run->cur = start->version;
    int64_t id_base = 0; /* a cluster partition's database: its ids are in its own range */
    if ((rc = sw_store_id_base(&run->live, &id_base, err)))
        return rc;
    remove_scratch(run->o->scratch);
    struct sw_engine_config cfg = {.db_path = run->o->scratch,
                                   .id_base = id_base,
                                   .policy = start,
                                   .clock = &run->clock,
                                   .sync = SW_SYNC_OFF,
                                   .batch_max = CHUNK,
                                   .queue_max = 4 * CHUNK,
                                   .read_conns = 1,
                                   .no_yield = true,
                                   .results_unread = true};
    if ((rc = sw_engine_open(&cfg, &run->e, err)))
        return rc;
    if ((rc = sw_domain_register_all(run->e)) || (rc = sw_engine_start(run->e, err))) {
        if (!err->code)
            sw_fail(err, rc, NULL, "cannot register the modules");
        sw_engine_close(run->e);
        run->e = NULL;
    }
    return rc;
}

static int compare(struct run *run, struct sw_error *err)
{
    struct sw_conn scratch;
    int rc = sw_conn_open(&scratch, run->o->scratch, true, SW_SYNC_NORMAL, err);
    if (rc)
        return rc;
    rc = run->o->draft ? sw__replay_compare_decisions(&run->live, &scratch, run->last_cmd_seq,
                                                      INT64_MAX, run->o, run->r, err)
                       : sw__replay_compare_exact(&run->live, &scratch, run->last_cmd_seq, run->o,
                                                  run->r, err);
    sw_conn_close(&scratch);
    return rc;
}

/* The report's "counts": the run's and the comparison's. */
static void put_counts(struct sw_replay_report *out)
{
    json_object_set_new(out->doc, "counts",
                        json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:f}", "commands",
                                  (json_int_t)out->commands, "applied", (json_int_t)out->applied,
                                  "timers_recorded", (json_int_t)out->timers_recorded,
                                  "clock_moves", (json_int_t)out->clock_moves, "refused",
                                  (json_int_t)out->refused, "activations_skipped",
                                  (json_int_t)out->activations_skipped, "events_recorded",
                                  (json_int_t)out->events_recorded, "events_replayed",
                                  (json_int_t)out->events_replayed, "differences",
                                  (json_int_t)out->differences, "seconds", out->seconds));
}

int sw_replay_run(const struct sw_replay_opts *o, struct sw_replay_report *out,
                  struct sw_error *err)
{
    memset(out, 0, sizeof *out);
    sw_error_clear(err);
    struct run run = {.o = o, .r = out, .refused = json_array(), .to_seq = INT64_MAX};
    out->doc = json_pack("{s:{}}", "refused_by_type");
    int rc = sw_conn_open(&run.live, o->db, true, SW_SYNC_NORMAL, err);
    if (rc) {
        json_decref(run.refused);
        return rc;
    }
    /* The log is append-only in seq order: reading it by seq in chunks sees a prefix of it,
     * whatever a running server commits meanwhile (a replay stops at the end it finds). */
    int64_t total = 0, last = 0;
    rc = sw_replay_sql_window(&run.live, o->to ? o->to : INT64_MAX, &total, &last, err);
    if (o->to)
        run.to_seq = last; /* a prefix of the log (sw_replay_sql_window) */
    if (rc == SW_OK && (rc = open_scratch(&run, err)) == SW_OK &&
        (rc = find_switch(&run, err)) == SW_OK) {
        int64_t t0 = mono_us();
        rc = apply_log(&run, total, err);
        sw_instant live = 0;
        if (rc == SW_OK && o->draft)
            rc = live_time(&run, &live, err);
        /* nothing was recorded after `from`: the draft still takes over there, or where the
         * live time stands when `from` is later (the recorded side has not been further) */
        if (rc == SW_OK && o->draft && !run.switched && o->from && !o->from_seq && !o->follow &&
            (!o->to || o->from < o->to))
            switch_to_draft(&run, o->from < live ? o->from : live);
        if (rc == SW_OK && o->draft)
            rc = tick_to_end(&run, live, err);
        sw_engine_close(run.e); /* applies what is queued */
        out->seconds = (double)(mono_us() - t0) / 1e6;
        if (rc == SW_OK)
            rc = compare(&run, err);
    }
    sw_conn_close(&run.live);
    if (o->scratch && !o->keep_scratch)
        remove_scratch(o->scratch);
    while (run.policies) {
        struct loaded *next = run.policies->next;
        sw_policy_free(run.policies->p);
        free(run.policies);
        run.policies = next;
    }
    json_object_set_new(out->doc, "refused", run.refused);
    put_counts(out);
    return rc;
}

void sw_replay_report_release(struct sw_replay_report *r)
{
    json_decref(r->doc);
    r->doc = NULL;
}

int sw_replay_compare(const char *live_db, const char *scratch_db, int64_t last_cmd_seq,
                      int64_t scratch_seq, int64_t from_seq, const json_t *tally,
                      struct sw_replay_report *out, struct sw_error *err)
{
    memset(out, 0, sizeof *out);
    const json_t *by = json_object_get(tally, "refused_by_type");
    out->doc = json_pack("{s:o}", "refused_by_type", by ? json_deep_copy(by) : json_object());
    if (tally) { /* the run's refusals and counts up to last_cmd_seq join the comparison's */
        const json_t *c = json_object_get(tally, "counts");
        out->commands = json_integer_value(json_object_get(c, "commands"));
        out->applied = json_integer_value(json_object_get(c, "applied"));
        out->timers_recorded = json_integer_value(json_object_get(c, "timers_recorded"));
        out->clock_moves = json_integer_value(json_object_get(c, "clock_moves"));
        out->refused = json_integer_value(json_object_get(c, "refused"));
        out->activations_skipped = json_integer_value(json_object_get(c, "activations_skipped"));
        json_object_set_new(out->doc, "refused", json_deep_copy(json_object_get(tally, "refused")));
    }
    struct sw_conn live, scratch;
    int rc = sw_conn_open(&live, live_db, true, SW_SYNC_NORMAL, err);
    if (rc)
        return rc;
    if ((rc = sw_conn_open(&scratch, scratch_db, true, SW_SYNC_NORMAL, err)) == SW_OK) {
        struct sw_replay_opts o = {.from_seq = from_seq, .max_differences = 100000};
        rc = sw__replay_compare_decisions(&live, &scratch, last_cmd_seq, scratch_seq, &o, out, err);
        sw_conn_close(&scratch);
    }
    sw_conn_close(&live);
    if (tally)
        put_counts(out);
    return rc;
}
