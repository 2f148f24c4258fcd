/* Timers (docs/engine.md, "Timers"): due actions kept in the `timers` table that become ordinary
 * commands. They fire in two places, both on the writer thread:
 *
 * - before every command: every timer due before the command's instant fires first, in
 *   (due, id) order, each at its own due instant (a timer due at the command's very instant
 *   fires after it: a job scheduled "at once" does not run ahead of commands that share its
 *   instant, as on a manual clock that has not moved). The log's order is then a function of the
 *   commands and their instants alone, never of when the scheduler happened to wake up, which
 *   is what lets a replay reproduce it (docs/replay.md);
 * - on a tick (the scheduler's, every second on the system clock; POST /v1/admin/clock or
 *   `shopwarden tick` on a manual clock), for the timers that fall due while no command comes.
 *
 * To keep the check before each command cheap, the engine keeps a lower bound of the earliest
 * due instant (timer_lb): scheduling lowers it, a firing round that empties what is due reads
 * the earliest one again, and anything that may bring back a timer (a rolled-back batch)
 * resets it to 0, which means "look". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/json.h"
#include "base/log.h"
#include "engine/engine_int.h"
#include "store/journal.h"

#define TICK_TYPE "engine.tick"
/* A timer whose command was refused: a refusal of the request itself (4xx: the state moved on)
 * drops it; a failure of ours (5xx: a write failed, too many events...) keeps it, due again a
 * minute after this tick, so that a monthly run is late rather than lost. */
#define TIMER_RETRY_US INT64_C(60000000)

bool sw__is_tick(const struct sw_cmd *cmd)
{
    return strcmp(cmd->type, TICK_TYPE) == 0 && cmd->actor && strcmp(cmd->actor, "engine") == 0;
}

bool sw__tick_fired(const struct sw_cmd *cmd)
{
    return json_integer_value(json_object_get(cmd->result, "fired")) > 0;
}

void sw__timers_lower(struct sw_engine *e, sw_instant due)
{
    if (due < e->timer_lb)
        e->timer_lb = due;
}

static int retry_timer(struct sw_engine *e, const struct sw_timer_row *row, int64_t to,
                       const struct sw_cmd *t, struct sw_error *err)
{
    bool retry = sw_err_http_status(t->code) >= 500;
    sw_log(SW_LOG_WARN, "timer.refused", "timer '%s' (%s): %s: %s%s", row->key, row->kind,
           sw_err_name(t->code), t->err.msg, retry ? "; due again in a minute" : "; dropped");
    if (!retry)
        return SW_OK;
    char *payload = sw_json_dump(row->payload);
    int rc = payload ? sw_journal_timer_put(&e->writer, row->key, to + TIMER_RETRY_US, row->kind,
                                            row->merchant, row->subject, payload, err)
                     : sw_fail(err, SW_E_INTERNAL, NULL, "cannot serialise a timer");
    free(payload);
    sw__timers_lower(e, to + TIMER_RETRY_US);
    return rc;
}

/* Applies one due timer as a command at its due instant, then drops it (or keeps it for a
 * retry). */
static int fire_one(struct sw_engine *e, struct sw_timer_row *row, sw_instant to,
                    struct sw_error *err)
{
    struct sw_error derr;
    if (sw_journal_timer_del(&e->writer, row->key, &derr))
        return sw_fail(err, derr.code, NULL, "%s", derr.msg);
    char idem[600];
    snprintf(idem, sizeof idem, "timer|%lld|%s", (long long)row->id, row->key);
    struct sw_cmd t = {.type = row->kind,
                       .actor = "system",
                       .actor_label = "timer",
                       .merchant = row->merchant,
                       .idem_key = idem,
                       .payload = row->payload};
    /* A timer's command happens at its due instant, so a jump of the manual clock over
     * several timers gives the same events as a clock that passed each of them. */
    sw__apply_one(e, &t, row->due_us);
    int rc = t.code != SW_OK ? retry_timer(e, row, to, &t, err) : SW_OK;
    sw_cmd_release(&t);
    return rc;
}

int sw__timers_fire(struct sw_engine *e, sw_instant to, int *fired, bool *more,
                    struct sw_error *err)
{
    *fired = 0;
    *more = false;
    if (to < e->timer_lb)
        return SW_OK;
    for (;;) {
        struct sw_timer_row row;
        bool found;
        int rc = sw_journal_timer_next(&e->writer, to, &row, &found, err);
        if (rc)
            return rc;
        if (!found)
            break;
        rc = fire_one(e, &row, to, err);
        const struct cmd_def *d = sw__find_def(e, row.kind);
        sw_journal_timer_row_free(&row);
        if (rc)
            return rc;
        (*fired)++;
        if (d && d->yields && !e->cfg.no_yield) {
            *more = true; /* the rest in the next batch (sw_engine_set_yield) */
            break;
        }
    }
    if (!*more) { /* nothing is due up to `to` any more: learn the next due instant */
        struct sw_timer_row row;
        bool found;
        int rc = sw_journal_timer_next(&e->writer, INT64_MAX, &row, &found, err);
        if (rc)
            return rc;
        e->timer_lb = found ? row.due_us : INT64_MAX;
        if (found)
            sw_journal_timer_row_free(&row);
    }
    if (*fired) {
        pthread_mutex_lock(&e->stats_mu);
        e->stats.timers_fired += (uint64_t)*fired;
        pthread_mutex_unlock(&e->stats_mu);
    }
    return SW_OK;
}

void sw__apply_tick(struct sw_engine *e, struct sw_cmd *cmd)
{
    int64_t to = json_integer_value(json_object_get(cmd->payload, "to_us"));
    int fired = 0;
    bool more = false;
    if (sw__timers_fire(e, to, &fired, &more, &cmd->err)) {
        cmd->code = cmd->err.code;
        return;
    }
    e->last_now = to > e->last_now ? to : e->last_now;
    if (e->cfg.clock->manual) {
        /* A manual clock's position is state: the next process starts from it. */
        char v[24];
        snprintf(v, sizeof v, "%lld", (long long)to);
        if (sw_meta_put(&e->writer, "manual_clock_us", v, &cmd->err)) {
            cmd->code = cmd->err.code;
            return;
        }
    }
    cmd->result = json_pack("{s:i,s:b}", "fired", fired, "more", more);
    cmd->events = json_array();
    cmd->code = SW_OK;
}

void *sw__sched_main(void *arg)
{
    struct sw_engine *e = arg;
    for (;;) {
        pthread_mutex_lock(&e->mu);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        while (!e->stopping && pthread_cond_timedwait(&e->cv_sched, &e->mu, &ts) == 0)
            ;
        bool stop = e->stopping;
        pthread_mutex_unlock(&e->mu);
        if (stop)
            break;
        int fired;
        struct sw_error err;
        if (sw_engine_tick(e, sw_clock_now(e->cfg.clock), &fired, &err))
            sw_log(SW_LOG_WARN, "scheduler.tick", "%s", err.msg);
    }
    return NULL;
}

/* A manual clock stops at the end of the year after the calendar's last: past it, every
 * working-day rule would fail (calendar_year_missing), and a clock moved to 9999 by mistake
 * could never come back. */
static int check_clock_limit(const struct sw_engine *e, sw_instant to, struct sw_error *err)
{
    const struct sw_calendar *cal = &sw_engine_policy(e)->calendar;
    int last = 0;
    for (int i = 0; i < cal->nyears; i++)
        if (cal->years[i].year > last)
            last = cal->years[i].year;
    if (last == 0)
        return SW_OK;
    sw_instant limit = sw_days_from_civil(last + 2, 1, 1) * SW_US_PER_DAY - SW_SHANGHAI_OFFSET_US;
    if (to < limit)
        return SW_OK;
    char a[32];
    int y, m, d; /* the day it is in Asia/Shanghai, whose years the calendar counts */
    int64_t z = to + SW_SHANGHAI_OFFSET_US;
    sw_civil_from_days(z / SW_US_PER_DAY - (z % SW_US_PER_DAY < 0), &y, &m, &d);
    return sw_fail(err, SW_E_INVALID_VALUE, "now",
                   "cannot move the clock to %s (%04d-%02d-%02d in Asia/Shanghai): the calendar "
                   "ends with %d, and the clock with the end of %d in Asia/Shanghai",
                   sw_instant_format(to, a), y, m, d, last, last + 1);
}

int sw_engine_tick(struct sw_engine *e, sw_instant to, int *fired, struct sw_error *err)
{
    if (e->cfg.clock->manual) {
        int rc = check_clock_limit(e, to, err);
        if (rc == SW_OK)
            rc = sw_clock_set(e->cfg.clock, to, err);
        if (rc)
            return rc;
    }
    json_t *p = json_pack("{s:I}", "to_us", (json_int_t)to);
    int rc;
    bool more;
    *fired = 0;
    do { /* a tick that stopped at a yielding timer goes on in a new batch */
        struct sw_cmd cmd = {.type = TICK_TYPE, .actor = "engine", .payload = p};
        rc = sw_engine_execute(e, &cmd);
        more = rc == SW_OK && json_is_true(json_object_get(cmd.result, "more"));
        if (rc == SW_OK)
            *fired += (int)json_integer_value(json_object_get(cmd.result, "fired"));
        else
            sw_fail(err, rc, NULL, "%s", cmd.err.msg);
        sw_cmd_release(&cmd);
    } while (more);
    json_decref(p);
    return rc;
}
