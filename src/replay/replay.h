/* What-if replay and the determinism check (docs/replay.md).
 *
 * A replay re-applies a database's command log, in order, each command at its recorded instant
 * with its recorded actor and idempotency key, into a scratch database through the same engine
 * and domain code as the server. The scratch engine fires timers itself, before each command at
 * its instant (engine/timers.c), so the recorded timer commands are not copied: each becomes a
 * tick to its instant. The live database is only read (a running server keeps running).
 *
 * Without a draft, every command runs under the policy version it was recorded under, and the
 * scratch events must be the recorded ones, in order; any difference is reported. With a draft,
 * the draft is in force from `from` on (recorded activations after it are skipped) and the
 * report tells which decisions would change (replay/compare.c). */
#ifndef SW_REPLAY_REPLAY_H
#define SW_REPLAY_REPLAY_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/instant.h"
#include "engine/clock.h"
#include "policy/policy.h"

struct sw_engine;

struct sw_replay_opts {
    const char *db;                /* the live database, opened read-only */
    const char *scratch;           /* the scratch database to create (removed after) */
    const struct sw_policy *draft; /* NULL: the recorded versions, the determinism check */
    sw_instant from, to;           /* 0: the log's start / end */
    /* Where time stands at the end of a draft run (timers due by then fire, a draft may have
     * moved a deadline before it): `to` if given, else the live database's manual clock, else
     * this (the caller's clock). */
    sw_instant now;
    /* Instead of `from`: the draft decides the commands after this seq (a shadow starts after
     * the last command committed, whatever their instants; a manual clock may not move). */
    int64_t from_seq;
    /* Called now and then from the replaying thread: commands done, commands in all. */
    void (*progress)(void *arg, int64_t done, int64_t total);
    void *progress_arg;
    const _Atomic bool *cancel; /* optional: set to stop early (SW_E_CANCELLED-like refusal) */
    int max_differences;        /* kept in the report in full; default 1000 */
    /* Shadow mode (docs/replay.md, "Shadow mode"): once the log is applied, keep applying the
     * commands the live server adds, polling every FOLLOW_POLL_MS, until cancel is set or
     * `until` (if not 0) passes on `clock`; cancel then ends the run normally. */
    bool follow;
    sw_instant until;
    struct sw_clock *clock;
    /* Optional, with follow: the live engine. While no command comes, the run's own timers
     * are brought to where the live engine's time stands (sw_engine_committed_now), so a
     * deadline the draft moved fires when the live clock passes it, not at the next command. */
    struct sw_engine *live;
    /* Optional: how far the run has applied the log, kept up to date (sw_replay_compare while
     * the run follows the log). */
    struct sw_replay_applied *applied;
    bool keep_scratch; /* leave the scratch database for sw_replay_compare after the run */
};

/* A replay's outcome. json members are new references owned by the struct. */
struct sw_replay_report {
    int64_t commands;        /* recorded commands read */
    int64_t applied;         /* replayed (timer commands become ticks, not counted) */
    int64_t timers_recorded; /* recorded timer commands replaced by the scratch's own firing */
    int64_t clock_moves;     /* recorded moves of a manual clock (applied, timers_through) */
    int64_t refused;         /* recorded as accepted, refused in the scratch run */
    int64_t activations_skipped;
    int64_t events_recorded, events_replayed;
    int64_t differences; /* determinism: events that differ; draft: subjects that differ */
    double seconds;      /* the re-application alone */
    /* A JSON object: mode, totals per kind, rules (per rule hits recorded vs would-be),
     * quality (decisions later overturned), refused (first few), differences (first
     * max_differences, each {subject, kind, recorded, would_be, ...}). */
    json_t *doc;
};

/* How far a following run is (a shadow), published by the run as one tally under mu: the last
 * recorded command it has applied and committed (cmd_seq), the last event of the scratch
 * database that belongs to it (scratch_seq: its own timers fired up to there included; the
 * events of the next chunk, which the scratch writer may be committing meanwhile, not), and
 * what those commands did that the scratch's events do not show (commands refused, by type
 * and the first of them; counts). A report cut there compares the two sides at the same
 * command and says what a replay report says (sw_replay_compare). The owner initialises mu
 * (PTHREAD_MUTEX_INITIALIZER) and releases the tally with sw_replay_applied_reset. */
struct sw_replay_applied {
    pthread_mutex_t mu;
    json_t *tally; /* {cmd_seq, scratch_seq, refused_by_type, refused, counts}, or NULL */
};

/* The last tally published, a new reference (NULL when none), with its seqs. */
json_t *sw_replay_applied_tally(struct sw_replay_applied *a, int64_t *cmd_seq,
                                int64_t *scratch_seq);
/* Forgets what was published (before a new run, or when the owner is done). */
void sw_replay_applied_reset(struct sw_replay_applied *a);

int sw_replay_run(const struct sw_replay_opts *o, struct sw_replay_report *out,
                  struct sw_error *err) SW_MUSTCHECK;
void sw_replay_report_release(struct sw_replay_report *r);

/* The draft report of a run that is still going (a shadow): the decisions of scratch_db's
 * events up to scratch_seq against those of live_db's commands up to last_cmd_seq (as
 * sw_replay_applied_tally gives them, with the tally: its refusals and counts join the report
 * as a replay's do; NULL for none). Both databases are only read. Decisions of commands after
 * from_seq only. */
int sw_replay_compare(const char *live_db, const char *scratch_db, int64_t last_cmd_seq,
                      int64_t scratch_seq, int64_t from_seq, const json_t *tally,
                      struct sw_replay_report *out, struct sw_error *err) SW_MUSTCHECK;

#endif
