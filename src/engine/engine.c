#include "engine/engine_int.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/json.h"
#include "base/log.h"
#include "store/journal.h"

#define FACT_PREFIX "fact|"

const double sw_engine_latency_bounds_s[11] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                               0.01,   0.025,   0.05,   0.1,   0.25};

/* Checkpoints run on their own thread and connection (PASSIVE: they never block the
 * writer), not inside the writer's COMMIT as SQLite's auto-checkpoint would. */
#define CHECKPOINT_FRAMES 4000
/* How often a command is prepared again when what it was prepared for changed before its turn
 * (another edit of the same product in between): each retry sees the state the last one met. */
#define PREPARE_ATTEMPTS 4
/* Under a steady stream of commits a checkpoint beside the writer may never reach the end of the
 * WAL, and SQLite rewinds the WAL only for a write transaction that begins once a checkpoint
 * has covered all of it. So past this size the writer finishes the checkpoint itself after a
 * commit, when nothing is being appended: the background thread has already copied most
 * frames, so this is the cheap tail. Except after a batch that alone wrote this many frames
 * (10,000 affiliate events write ~40,000 pages): copying them would be most of the job, and
 * the background thread does it on the other core while the writer runs the next batch; the
 * writer finishes the job only once the WAL passes WRITER_CHECKPOINT_CAP_FRAMES, which bounds
 * it at that plus one batch. */
#define WRITER_CHECKPOINT_FRAMES (4 * CHECKPOINT_FRAMES)
#define WRITER_CHECKPOINT_CAP_FRAMES (16 * CHECKPOINT_FRAMES)

static int wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
    struct sw_engine *e = arg;
    atomic_store(&e->wal_frames, frames);
    atomic_store(&e->wal_total, frames);
    return SQLITE_OK;
}

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int load_idem(struct sw_conn *c, struct sw_map *m, struct sw_error *err)
{
    return sw_journal_load_idem(c, m, err);
}

int sw_engine_open(const struct sw_engine_config *cfg, struct sw_engine **out, struct sw_error *err)
{
    struct sw_engine *e = calloc(1, sizeof *e);
    if (!e)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    e->cfg = *cfg;
    if (e->cfg.batch_max <= 0)
        e->cfg.batch_max = 4096;
    if (e->cfg.queue_max <= 0)
        e->cfg.queue_max = 65536;
    if (e->cfg.read_conns <= 0)
        e->cfg.read_conns = 8;
    pthread_mutex_init(&e->mu, NULL);
    pthread_mutex_init(&e->stats_mu, NULL);
    pthread_mutex_init(&e->hook_mu, NULL);
    pthread_cond_init(&e->cv_work, NULL);
    pthread_cond_init(&e->cv_space, NULL);
    pthread_cond_init(&e->cv_done, NULL);
    pthread_cond_init(&e->cv_sched, NULL);
    pthread_cond_init(&e->cv_ckpt, NULL);
    sw_map_init(&e->staged_index);
    sw_arena_init(&e->arena, 64u << 20);
    int rc;
    if ((rc = sw_conn_open(&e->writer, cfg->db_path, false, cfg->sync, err)) ||
        (rc = sw_store_migrate(&e->writer, err)) ||
        (rc = sw_store_set_id_base(&e->writer, cfg->id_base, err)) ||
        (rc = sw_journal_max_seqs(&e->writer, &e->next_cmd_seq, &e->next_event_seq, err)) ||
        (rc = sw__policies_open(e, err)) ||
        (rc = sw_pool_open(&e->readers, cfg->db_path, e->cfg.read_conns, err))) {
        sw_conn_close(&e->writer);
        sw__policies_free(e);
        free(e);
        return rc;
    }
    if ((rc = sw_conn_open(&e->ckpt_conn, cfg->db_path, false, cfg->sync, err))) {
        sw_pool_close(&e->readers);
        sw_conn_close(&e->writer);
        sw__policies_free(e);
        free(e);
        return rc;
    }
    sqlite3_wal_hook(e->writer.db, wal_hook, e); /* replaces SQLite's auto-checkpoint */
    atomic_store(&e->last_event_seq, e->next_event_seq);
    e->next_cmd_seq++;
    e->next_event_seq++;
    e->readers.commits = &e->commits;
    e->idem = sw_engine_idmap(e, "idempotency", load_idem);
    *out = e;
    return SW_OK;
}

/* ---------- applying commands ---------- */

static int exec_cached(struct sw_engine *e, const char *sql, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(&e->writer, sql, err);
    if (!s)
        return err->code;
    int r = sqlite3_step(s);
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(&e->writer, err, sql);
}

int sw_ctx_mark(struct sw_ctx *ctx, struct sw_ctx_mark *m, struct sw_error *err)
{
    struct sw_engine *e = ctx->engine;
    *m = (struct sw_ctx_mark){.staged = e->nstaged,
                              .next_event = e->next_event_seq,
                              .nevents = ctx->nevents,
                              .last_event_seq = ctx->last_event_seq,
                              .text_len = ctx->events_text.len};
    return exec_cached(e, "SAVEPOINT attempt", err);
}

void sw_ctx_rollback(struct sw_ctx *ctx, const struct sw_ctx_mark *m)
{
    struct sw_engine *e = ctx->engine;
    struct sw_error ignored;
    (void)exec_cached(e, "ROLLBACK TO attempt", &ignored);
    (void)exec_cached(e, "RELEASE attempt", &ignored);
    sw__staged_truncate(e, m->staged);
    sw__attached_undo(e, ctx->command_seq);
    e->next_event_seq = m->next_event;
    ctx->nevents = m->nevents;
    ctx->last_event_seq = m->last_event_seq;
    ctx->events_text.len = m->text_len;
    if (ctx->events_text.data)
        ctx->events_text.data[m->text_len] = '\0';
    json_decref(ctx->last_payload);
    ctx->last_payload = NULL;
    ctx->last_payload_seq = 0;
    free(ctx->result_text);
    ctx->result_text = NULL;
    ctx->result_event = 0;
}

int sw_ctx_release(struct sw_ctx *ctx, struct sw_error *err)
{
    return exec_cached(ctx->engine, "RELEASE attempt", err);
}

static void count(struct sw_engine *e, struct cmd_def *d, int what)
{
    if (!d)
        return;
    if (what == 0)
        atomic_fetch_add(&d->accepted, 1);
    else if (what == 1)
        atomic_fetch_add(&d->refused, 1);
    else
        atomic_fetch_add(&d->replayed, 1);
}

/* A repeat of a logged key: same type and payload give back the first result; anything else
 * is a conflict. Nothing is written. */
static bool same_request(const struct cmd_def *d, json_t *stored, const json_t *given)
{
    if (!d || !d->volatile_field[0] || !json_is_object(stored) || !json_is_object(given))
        return json_equal(stored, given);
    json_t *a = json_copy(stored), *b = json_copy((json_t *)given);
    json_object_del(a, d->volatile_field);
    json_object_del(b, d->volatile_field);
    bool same = json_equal(a, b);
    json_decref(a);
    json_decref(b);
    return same;
}

static void replay(struct sw_engine *e, const struct cmd_def *d, struct sw_cmd *cmd, int64_t seq)
{
    char *type = NULL;
    json_t *payload = NULL, *result = NULL, *ref = NULL;
    int64_t at = 0, first = 0, n = 0;
    bool conflict = false;
    int rc = sw_journal_get_command(&e->writer, seq, &type, &payload, &result, &at, &first, &n,
                                    &cmd->err);
    if (rc == SW_OK)
        conflict = strcmp(type, cmd->type) != 0 || !same_request(d, payload, cmd->payload);
    if (rc == SW_OK && !conflict)
        rc = sw_journal_event_refs(&e->writer, first, n, &cmd->events, &cmd->err);
    /* A result logged as {"$event": seq} is that event's payload. */
    if (rc == SW_OK && !conflict && json_object_size(result) == 1 &&
        json_is_integer(json_object_get(result, "$event")))
        rc = sw_journal_event_payload(
            &e->writer, json_integer_value(json_object_get(result, "$event")), &ref, &cmd->err);
    if (rc != SW_OK) {
        cmd->code = cmd->err.code;
        json_decref(cmd->events); /* an error answer carries no events */
        cmd->events = NULL;
    } else if (conflict && d && d->fact_field[0] && strncmp(cmd->idem_key, FACT_PREFIX, 5) == 0) {
        cmd->code = sw_fail(&cmd->err, SW_E_IDEMPOTENCY_CONFLICT, d->fact_field,
                            "%s '%s' was already received with other content", d->fact_field,
                            json_string_value(json_object_get(cmd->payload, d->fact_field)));
    } else if (conflict) {
        cmd->code =
            sw_fail(&cmd->err, SW_E_IDEMPOTENCY_CONFLICT, "Idempotency-Key",
                    "idempotency key '%s' was used for a different request",
                    strchr(cmd->idem_key, '|') ? strchr(cmd->idem_key, '|') + 1 : cmd->idem_key);
    } else {
        cmd->code = SW_OK;
        cmd->result = ref ? ref : result;
        if (ref)
            json_decref(result);
        result = ref = NULL;
        cmd->seq = seq;
        cmd->at = at;
        cmd->replayed = true;
    }
    free(type);
    json_decref(payload);
    json_decref(result);
    json_decref(ref);
}

/* Runs fn in a savepoint and logs the command; on refusal every write is undone. */
static int run_in_savepoint(struct sw_engine *e, struct sw_cmd *cmd, sw_cmd_fn fn, sw_instant now)
{
    size_t mark = e->nstaged;
    int64_t ev_mark = e->next_event_seq;
    const struct sw_policy *policy_mark = e->wpolicy;
    if (exec_cached(e, "SAVEPOINT cmd", &cmd->err))
        return cmd->code = cmd->err.code;
    struct sw_ctx ctx = {
        .engine = e,
        .now = now,
        .policy = e->wpolicy,
        .conn = &e->writer,
        .arena = &e->arena,
        .actor = cmd->actor,
        .actor_key = cmd->actor_key,
        .actor_label = cmd->actor_label,
        .command_seq = e->next_cmd_seq,
        .nevents = 0,
        .prepared = cmd->prepared,
        .results_unread = e->cfg.results_unread,
    };
    sw_buf_init(&ctx.events_text, (size_t)SW_EVENTS_PER_COMMAND_MAX * 96);
    json_t *result = NULL;
    sw_error_clear(&cmd->err);
    int rc = fn(&ctx, cmd->payload, &result, &cmd->err);
    if (rc == SW_OK && !result && !ctx.result_text)
        result = json_object();
    if (rc == SW_OK) {
        char *ptext = cmd->payload_text ? NULL : sw_json_dump(cmd->payload);
        char *rtext;
        if (ctx.result_text && !ctx.result_event) {
            rtext = ctx.result_text; /* handed to the command below, not freed here */
        } else if (ctx.result_text || result == ctx.last_payload) {
            /* The result is an event's payload: log a reference, not a second copy. */
            rtext = malloc(40);
            if (rtext)
                snprintf(rtext, 40, "{\"$event\":%lld}",
                         (long long)(ctx.result_text ? ctx.result_event : ctx.last_payload_seq));
        } else {
            rtext = sw_json_dump(result);
        }
        struct sw_journal_command row = {
            .seq = e->next_cmd_seq,
            .at = now,
            .type = cmd->type,
            .actor = cmd->actor ? cmd->actor : "system",
            .actor_key = cmd->actor_key,
            .actor_label = cmd->actor_label,
            .merchant = cmd->merchant,
            .idem_key = cmd->idem_key,
            .payload = cmd->payload_text ? cmd->payload_text
                       : ptext           ? ptext
                                         : "{}",
            .result = rtext ? rtext : "{}",
            .policy_version = ctx.policy->version, /* an activation's own is the new one */
            .first_event = ev_mark,
            .nevents = e->next_event_seq - ev_mark,
        };
        rc = sw_journal_insert_command(&e->writer, &row, &cmd->err);
        if (rc == SW_OK && cmd->idem_key)
            rc = sw_ctx_idmap_put(&ctx, e->idem, cmd->idem_key, (uint64_t)row.seq, &cmd->err);
        free(ptext);
        if (rtext != ctx.result_text)
            free(rtext);
    }
    json_decref(ctx.last_payload);
    json_decref(cmd->err_details);
    cmd->err_details = rc == SW_OK ? NULL : ctx.err_details;
    if (rc == SW_OK)
        json_decref(ctx.err_details);
    if (rc == SW_OK && (rc = exec_cached(e, "RELEASE cmd", &cmd->err)) == SW_OK) {
        cmd->seq = e->next_cmd_seq++;
        cmd->at = now;
        cmd->result = result;
        cmd->result_text = ctx.result_text;
        cmd->events = NULL;
        cmd->events_text = sw__events_array(&ctx.events_text);
        cmd->code = SW_OK;
        return SW_OK;
    }
    if (cmd->err.code == SW_OK)
        sw_fail(&cmd->err, rc, NULL, "command refused");
    struct sw_error ignored;
    exec_cached(e, "ROLLBACK TO cmd", &ignored);
    exec_cached(e, "RELEASE cmd", &ignored);
    sw__staged_truncate(e, mark);
    sw__attached_undo(e, e->next_cmd_seq);
    e->next_event_seq = ev_mark;
    e->wpolicy = policy_mark; /* a refused activation changes nothing */
    json_decref(result);
    free(ctx.result_text);
    sw_buf_release(&ctx.events_text);
    return cmd->code = rc;
}

/* A fact (a feed event) is keyed by the id it carries, whoever sends it and whatever header
 * key comes with it: "fact|<type>|<id>". False when the type names no fact field or the
 * payload has no usable id (the handler then refuses it, or the caller's key applies). */
static bool fact_key(const struct cmd_def *d, const struct sw_cmd *cmd, char *out, size_t cap)
{
    const json_t *v = d && d->fact_field[0] ? json_object_get(cmd->payload, d->fact_field) : NULL;
    if (!json_is_string(v) || json_string_length(v) == 0 ||
        json_string_length(v) > SW_ENGINE_FACT_ID_MAX)
        return false;
    return (size_t)snprintf(out, cap, FACT_PREFIX "%s|%s", d->type, json_string_value(v)) < cap;
}

void sw__apply_one(struct sw_engine *e, struct sw_cmd *cmd, sw_instant now)
{
    if (sw__is_tick(cmd)) {
        sw__apply_tick(e, cmd);
        return;
    }
    struct cmd_def *d = sw__find_def(e, cmd->type);
    char fact[sizeof d->type + SW_ENGINE_FACT_ID_MAX + 8];
    const char *given = cmd->idem_key;
    if (fact_key(d, cmd, fact, sizeof fact))
        cmd->idem_key = fact; /* for this call only: the caller owns the field */
    uint64_t seq;
    struct sw_ctx probe = {.engine = e};
    if (cmd->idem_key && sw_ctx_idmap_get(&probe, e->idem, cmd->idem_key, &seq)) {
        replay(e, d, cmd, (int64_t)seq);
        count(e, d, cmd->code == SW_OK ? 2 : 1);
    } else if (!d) {
        cmd->code =
            sw_fail(&cmd->err, SW_E_BAD_REQUEST, "type", "unknown command type '%s'", cmd->type);
    } else {
        run_in_savepoint(e, cmd, d->fn, now);
        count(e, d, cmd->code == SW_OK ? 0 : 1);
    }
    cmd->idem_key = given;
}

static void complete(struct sw_engine *e, struct sw_cmd *batch)
{
    int64_t t = mono_ns();
    pthread_mutex_lock(&e->stats_mu);
    for (struct sw_cmd *c = batch; c; c = c->next) {
        if (sw__is_tick(c))
            continue; /* the scheduler's own ticks are not client commands */
        int64_t us = (t - c->submitted_ns) / 1000;
        int b = 0;
        while (b < 11 && (double)us / 1e6 > sw_engine_latency_bounds_s[b])
            b++;
        e->stats.latency_us_buckets[b]++;
        e->stats.latency_us_sum += (uint64_t)us;
        if (c->code != SW_OK)
            e->stats.refused++;
        else if (c->replayed)
            e->stats.replayed++;
        else
            e->stats.accepted++;
    }
    pthread_mutex_unlock(&e->stats_mu);
    /* on_done callbacks run first (they may reuse nothing of the command after returning);
     * then every command is marked done under the lock, so sw_engine_wait works for both. */
    struct sw_cmd *next;
    for (struct sw_cmd *c = batch; c; c = c->next)
        if (c->on_done)
            c->on_done(c, c->on_done_arg);
    pthread_mutex_lock(&e->mu);
    for (struct sw_cmd *c = batch; c; c = next) {
        next = c->next;
        c->done = true;
    }
    pthread_cond_broadcast(&e->cv_done);
    pthread_mutex_unlock(&e->mu);
}

/* The instant command c is applied at: a replay's own, or the clock's, never before the last. */
static sw_instant command_now(struct sw_engine *e, const struct sw_cmd *c)
{
    /* A replay's recorded instant, or the one a cluster node stamped the command with (the
     * stamper keeps its instants from going back; every replay of the partition's stream
     * applies it at the same instant). As given, even before the last: a log spans restarts
     * of the server, whose clock (a manual one, or the system's after it was set back) may
     * have started earlier. */
    sw_instant fixed = c->replay_at ? c->replay_at : c->stamp;
    if (fixed) {
        e->last_now = fixed;
        return fixed;
    }
    sw_instant now = sw_clock_now(e->cfg.clock);
    if (now < e->last_now)
        now = e->last_now; /* instants never go back, even if the system clock does */
    e->last_now = now;
    return now;
}

/* Applies the batch's commands in order inside the open transaction. Every timer due at or
 * before a command's instant fires before it (timers.c). When one of them yields, the batch
 * ends there: *rest receives the commands not applied yet (the caller queues them again), and
 * the batch list is cut before them. */
static void apply_batch(struct sw_engine *e, struct sw_cmd **batch, struct sw_cmd **rest)
{
    struct sw_cmd *prev = NULL;
    *rest = NULL;
    for (struct sw_cmd *c = *batch; c; prev = c, c = c->next) {
        sw_instant now = command_now(e, c);
        if (!sw__is_tick(c)) {
            int fired;
            bool more;
            /* Strictly before: a command and a timer at the same instant go in submission
             * order, so that a job scheduled "at once" does not run ahead of the commands that
             * share its instant (a manual clock that has not moved). */
            if (sw__timers_fire(e, c->timers_through ? now : now - 1, &fired, &more, &c->err)) {
                c->code = c->err.code;
                sw_arena_reset(&e->arena);
                continue;
            }
            if (more) {
                *rest = c;
                if (prev)
                    prev->next = NULL;
                else
                    *batch = NULL;
                return;
            }
        }
        if (c->replay_policy && c->replay_policy != e->wpolicy)
            e->wpolicy = c->replay_policy;
        sw__apply_one(e, c, now);
        sw_arena_reset(&e->arena);
    }
}

/* Puts commands back at the head of the queue, in order (a batch cut short by a yield). */
static void requeue_front(struct sw_engine *e, struct sw_cmd *rest)
{
    if (!rest)
        return;
    int n = 1;
    struct sw_cmd *last = rest;
    while (last->next) {
        last = last->next;
        n++;
    }
    pthread_mutex_lock(&e->mu);
    last->next = e->head;
    e->head = rest;
    if (!e->tail)
        e->tail = last;
    e->depth += n;
    pthread_cond_signal(&e->cv_work);
    pthread_mutex_unlock(&e->mu);
}

/* Whether the writer finishes a checkpoint after a commit that took the WAL from `before` to
 * `after` frames (fewer after: the WAL was rewound when the batch began). */
static bool writer_checkpoints(int before, int after)
{
    int own = after >= before ? after - before : after;
    return after >= WRITER_CHECKPOINT_CAP_FRAMES ||
           (after >= WRITER_CHECKPOINT_FRAMES && own < WRITER_CHECKPOINT_FRAMES);
}

static void run_batch(struct sw_engine *e, struct sw_cmd *batch)
{
    struct sw_error err;
    int64_t t0 = mono_ns();
    int64_t cmd_mark = e->next_cmd_seq, ev_mark = e->next_event_seq;
    sw_instant last_mark = e->last_now;
    int64_t changes_before = sqlite3_total_changes64(e->writer.db);
    struct sw_cmd *rest = NULL;
    int rc = exec_cached(e, "BEGIN IMMEDIATE", &err);
    int wal_before = 0;
    if (rc == SW_OK) {
        apply_batch(e, &batch, &rest);
        wal_before = atomic_load(&e->wal_total); /* the WAL hook runs in the COMMIT */
        rc = exec_cached(e, "COMMIT", &err);
    }
    if (rc != SW_OK) {
        sw_log(SW_LOG_ERROR, "batch.failed", "%s", err.msg);
        struct sw_error ignored;
        exec_cached(e, "ROLLBACK", &ignored);
        sw__staged_truncate(e, 0);
        sw__policies_rollback(e);
        sw__attached_undo(e, cmd_mark);
        e->next_cmd_seq = cmd_mark;
        e->next_event_seq = ev_mark;
        e->last_now = last_mark;
        e->timer_lb = 0; /* the timers the batch fired are back */
        for (struct sw_cmd *c = batch; c; c = c->next) {
            if (c->code == SW_OK) {
                sw_cmd_release(c);
                c->code = sw_fail(&c->err, SW_E_STORAGE_FAILED, NULL, "not committed: %s", err.msg);
            }
        }
    } else {
        sw__staged_publish(e);
        sw__policies_publish(e);
        atomic_store(&e->committed_now, e->last_now);
        /* Before anyone is answered, so that reads see this batch. A batch that changed
         * nothing (an idle scheduler tick) leaves readers their snapshots. */
        if (sqlite3_total_changes64(e->writer.db) != changes_before)
            atomic_fetch_add(&e->commits, 1);
        if (e->next_event_seq != ev_mark)
            sw__events_committed(e, e->next_event_seq - 1);
        if (writer_checkpoints(wal_before, atomic_load(&e->wal_total))) {
            int log = 0, done = 0;
            if (sqlite3_wal_checkpoint_v2(e->writer.db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log,
                                          &done) == SQLITE_OK &&
                done == log)
                atomic_store(&e->wal_frames, 0);
        }
        pthread_mutex_lock(&e->mu);
        e->ckpt_wake = true;
        pthread_cond_signal(&e->cv_ckpt);
        pthread_mutex_unlock(&e->mu);
    }
    /* A scheduler tick that fired no timer is the writer idling, not work: it is left out of
     * the batch counters, so that they stand still on an idle server. */
    int work = 0;
    for (struct sw_cmd *c = batch; c; c = c->next)
        work += !sw__is_tick(c) || sw__tick_fired(c);
    pthread_mutex_lock(&e->stats_mu);
    e->stats.batches += work > 0;
    e->stats.commands_in_batches += (uint64_t)work;
    e->stats.writer_busy_ns += (uint64_t)(mono_ns() - t0);
    pthread_mutex_unlock(&e->stats_mu);
    complete(e, batch);
    requeue_front(e, rest);
}

static void *writer_main(void *arg)
{
    struct sw_engine *e = arg;
    for (;;) {
        pthread_mutex_lock(&e->mu);
        while (!e->head && !e->stopping)
            pthread_cond_wait(&e->cv_work, &e->mu);
        if (!e->head) {
            pthread_mutex_unlock(&e->mu);
            break;
        }
        struct sw_cmd *batch = e->head, *last = e->head;
        int n = 1;
        while (last->next && n < e->cfg.batch_max) {
            last = last->next;
            n++;
        }
        e->head = last->next;
        if (!e->head)
            e->tail = NULL;
        last->next = NULL;
        e->depth -= n;
        pthread_cond_broadcast(&e->cv_space);
        pthread_mutex_unlock(&e->mu);
        run_batch(e, batch);
    }
    return NULL;
}

static void *ckpt_main(void *arg)
{
    struct sw_engine *e = arg;
    for (;;) {
        pthread_mutex_lock(&e->mu);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100L * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        while (!e->stopping && !e->ckpt_wake &&
               pthread_cond_timedwait(&e->cv_ckpt, &e->mu, &ts) == 0)
            ;
        e->ckpt_wake = false;
        bool stop = e->stopping;
        pthread_mutex_unlock(&e->mu);
        if (stop)
            break;
        /* Idle readers first: a stale snapshot would stop the checkpoint short. */
        sw_pool_drop_stale(&e->readers);
        if (atomic_load(&e->wal_frames) >= CHECKPOINT_FRAMES) {
            int log = 0, done = 0;
            int rc = sqlite3_wal_checkpoint_v2(e->ckpt_conn.db, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                               &log, &done);
            /* BUSY: the writer is finishing a checkpoint itself; the next round goes on. */
            if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY)
                sw_log(SW_LOG_WARN, "checkpoint", "%s", sqlite3_errmsg(e->ckpt_conn.db));
            else if (rc == SQLITE_OK && done == log)
                atomic_store(&e->wal_frames, 0);
        }
    }
    return NULL;
}

int sw_engine_start(struct sw_engine *e, struct sw_error *err)
{
    for (int i = 0; i < e->nidmaps; i++) {
        struct idmap_def *d = &e->idmaps[i];
        int rc = d->load ? d->load(&e->writer, &d->map.map, err) : SW_OK;
        if (rc)
            return rc;
    }
    for (int i = 0; i < e->nidlists; i++) {
        struct idlist_def *d = &e->idlists[i];
        int rc = d->load ? d->load(&e->writer, &d->list, err) : SW_OK;
        if (rc)
            return rc;
    }
    e->last_now = 0;
    if (pthread_create(&e->writer_thread, NULL, writer_main, e) != 0)
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot start writer thread");
    e->started = true;
    if (pthread_create(&e->ckpt_thread, NULL, ckpt_main, e) != 0)
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot start checkpoint thread");
    if (e->cfg.scheduler && pthread_create(&e->sched_thread, NULL, sw__sched_main, e) != 0) {
        e->cfg.scheduler = false;
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot start scheduler thread");
    }
    return SW_OK;
}

void sw_engine_close(struct sw_engine *e)
{
    if (!e)
        return;
    pthread_mutex_lock(&e->mu);
    e->stopping = true;
    pthread_cond_broadcast(&e->cv_work);
    pthread_cond_broadcast(&e->cv_sched);
    pthread_cond_broadcast(&e->cv_ckpt);
    pthread_mutex_unlock(&e->mu);
    if (e->cfg.scheduler && e->started)
        pthread_join(e->sched_thread, NULL);
    if (e->started) {
        pthread_join(e->writer_thread, NULL);
        pthread_join(e->ckpt_thread, NULL);
    }
    sw_pool_close(&e->readers);
    sw_conn_close(&e->ckpt_conn);
    sw_conn_close(&e->writer);
    for (int i = 0; i < e->nidmaps; i++) {
        sw_map_release(&e->idmaps[i].map.map);
        pthread_rwlock_destroy(&e->idmaps[i].map.lock);
    }
    for (int i = 0; i < e->nidlists; i++) {
        struct sw_idlist *l = &e->idlists[i].list;
        for (size_t j = 0; j < l->nlists; j++)
            free(l->lists[j].v);
        free(l->lists);
        sw_map_release(&l->index);
        pthread_rwlock_destroy(&l->lock);
    }
    sw__staged_truncate(e, 0);
    sw__policies_free(e);
    sw__attached_free(e);
    free(e->staged);
    sw_map_release(&e->staged_index);
    sw_arena_release(&e->arena);
    pthread_mutex_destroy(&e->mu);
    pthread_mutex_destroy(&e->stats_mu);
    pthread_mutex_destroy(&e->hook_mu);
    pthread_cond_destroy(&e->cv_work);
    pthread_cond_destroy(&e->cv_space);
    pthread_cond_destroy(&e->cv_done);
    pthread_cond_destroy(&e->cv_sched);
    pthread_cond_destroy(&e->cv_ckpt);
    free(e);
}

void sw_engine_submit(struct sw_engine *e, struct sw_cmd *cmd)
{
    cmd->done = false;
    cmd->next = NULL;
    cmd->result = NULL;
    cmd->result_text = NULL;
    cmd->events = NULL;
    cmd->events_text = NULL;
    cmd->replayed = false;
    cmd->code = SW_OK;
    sw_error_clear(&cmd->err);
    cmd->submitted_ns = mono_ns();
    pthread_mutex_lock(&e->mu);
    while (e->depth >= e->cfg.queue_max && !e->stopping)
        pthread_cond_wait(&e->cv_space, &e->mu);
    if (e->tail)
        e->tail->next = cmd;
    else
        e->head = cmd;
    e->tail = cmd;
    e->depth++;
    pthread_cond_signal(&e->cv_work);
    pthread_mutex_unlock(&e->mu);
}

void sw_engine_wait(struct sw_engine *e, struct sw_cmd *cmd)
{
    pthread_mutex_lock(&e->mu);
    while (!cmd->done)
        pthread_cond_wait(&e->cv_done, &e->mu);
    pthread_mutex_unlock(&e->mu);
}

/* Runs the type's prepare hook on this (the submitting) thread with a read connection. */
static int prepare(struct sw_engine *e, const struct cmd_def *d, struct sw_cmd *cmd)
{
    struct sw_conn *c = sw_pool_acquire(&e->readers);
    int rc = d->prep(e, c, cmd, &cmd->prepared, &cmd->err);
    sw_pool_release(&e->readers, c);
    if (rc == SW_OK && !cmd->prepared)
        rc = sw_fail(&cmd->err, SW_E_INTERNAL, NULL, "prepare of '%s' gave nothing", cmd->type);
    return rc;
}

int sw_engine_execute(struct sw_engine *e, struct sw_cmd *cmd)
{
    /* Registration is over once the engine runs: the table is read without a lock. */
    const struct cmd_def *d = sw__find_def(e, cmd->type);
    cmd->on_done = NULL;
    for (int attempt = 0;; attempt++) {
        cmd->prepared = NULL;
        if (d && d->prep && (cmd->code = prepare(e, d, cmd)) != SW_OK)
            return cmd->code;
        sw_engine_submit(e, cmd);
        sw_engine_wait(e, cmd);
        if (cmd->prepared && d && d->prep_free)
            d->prep_free(cmd->prepared);
        cmd->prepared = NULL;
        if (cmd->code != SW_E_PREPARED_STALE)
            return cmd->code;
        sw_cmd_release(cmd);
        if (attempt + 1 == PREPARE_ATTEMPTS)
            return cmd->code = sw_fail(&cmd->err, SW_E_BUSY, NULL,
                                       "'%s' kept changing while this request was prepared; retry",
                                       cmd->type);
    }
}

const struct sw_policy *sw_engine_policy(const struct sw_engine *e)
{
    return atomic_load(&((struct sw_engine *)e)->policy);
}

struct sw_clock *sw_engine_clock(struct sw_engine *e)
{
    return e->cfg.clock;
}

sw_instant sw_engine_committed_now(struct sw_engine *e)
{
    return atomic_load(&e->committed_now);
}

const char *sw_engine_db_path(const struct sw_engine *e)
{
    return e->cfg.db_path;
}

struct sw_pool *sw_engine_readers(struct sw_engine *e)
{
    return &e->readers;
}
