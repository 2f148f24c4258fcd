/* The engine's own structures, shared by its files (engine.c: the queue, the writer, batches
 * and threads; tables.c: registrations, id maps and id lists with their staging). Not for
 * other modules: they use engine.h. */
#ifndef SW_ENGINE_INT_H
#define SW_ENGINE_INT_H

#include <stdatomic.h>

#include "engine/engine.h"
struct cmd_def {
    char type[64];
    char volatile_field[32];
    char fact_field[32]; /* the payload field that names a fact: its only idempotency key */
    bool yields;         /* a timer of this type ends its tick's batch (sw_engine_set_yield) */
    sw_cmd_fn fn;
    sw_prep_fn prep;
    sw_prep_free_fn prep_free;
    _Atomic uint64_t accepted, refused, replayed;
};

struct sub_def {
    char event_type[64]; /* "*" = every event */
    sw_sub_fn fn;
    bool ids_only; /* reads no payload (sw_engine_subscribe_ids) */
};

struct idmap_def {
    char name[32];
    struct sw_idmap map;
    int (*load)(struct sw_conn *c, struct sw_map *m, struct sw_error *err);
};

struct idlist_def {
    char name[32];
    struct sw_idlist list;
    int (*load)(struct sw_conn *c, struct sw_idlist *l, struct sw_error *err);
};

/* An id-map entry or id-list append written by a command of the current batch, not yet
 * visible to readers. Exactly one of map and list is set. */
/* An id-map entry or id-list value written by the batch in progress. `prev` is the index of
 * the same map key's earlier staged entry (NO_PREV when none): truncating back past this entry
 * makes that one visible again, not the committed value. */
#define STAGED_NO_PREV UINT64_MAX

struct staged {
    struct sw_idmap *map;
    struct sw_idlist *list;
    char *key;
    uint64_t value;
    uint64_t prev;
};

struct sw_engine {
    struct sw_engine_config cfg;
    struct sw_conn writer;
    struct sw_pool readers;
    int ndefs, nsubs, nidmaps;
    struct cmd_def defs[SW_ENGINE_MAX_TYPES];
    struct sub_def subs[SW_ENGINE_MAX_SUBS];
    struct idmap_def idmaps[SW_ENGINE_MAX_IDMAPS];
    int nidlists;
    struct idlist_def idlists[SW_ENGINE_MAX_IDMAPS];
    struct sw_idmap *idem; /* scoped idempotency key -> command seq */

    /* queue */
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_space, cv_done;
    pthread_cond_t cv_sched; /* the scheduler's own: sharing cv_work would steal wake-ups */
    pthread_cond_t cv_ckpt;  /* wakes the checkpointer after a commit */
    pthread_t ckpt_thread;
    struct sw_conn ckpt_conn;
    _Atomic int wal_frames; /* WAL size after the last commit, from the WAL hook */
    _Atomic int wal_total;  /* the same, but not zeroed by a checkpoint that covered it all */
    bool ckpt_wake;
    struct sw_cmd *head, *tail;
    int depth;
    bool stopping, started;
    pthread_t writer_thread, sched_thread;

    /* writer-thread state */
    int64_t next_cmd_seq, next_event_seq;
    sw_instant last_now;
    /* No timer is due before this instant (timers.c); 0: unknown, look. */
    sw_instant timer_lb;
    struct staged *staged;
    size_t nstaged, capstaged;
    struct sw_map staged_index; /* map ptr + key -> index in staged */
    struct sw_arena arena;

    /* The writer's last_now as of the last commit: every command committed since carries an
     * instant at or after it (sw_engine_committed_now). */
    _Atomic sw_instant committed_now;
    _Atomic uint64_t
        commits; /* successful batch commits; readers refresh their snapshot on change */

    /* committed events: the last seq, and who hears of new ones (sw_engine_on_events) */
    _Atomic int64_t last_event_seq;
    pthread_mutex_t hook_mu;
    sw_engine_events_fn on_events;
    void *on_events_arg;

    /* policies (policies.c): readers see `policy`, the committed one; the writer's commands see
     * `wpolicy`, which an activation changes inside a batch and COMMIT publishes. Every policy
     * the engine ever held stays allocated until sw_engine_close, so a reader never has the
     * policy it loaded freed under it. owned is touched by open, the writer and close only. */
    _Atomic(const struct sw_policy *) policy;
    const struct sw_policy *wpolicy;
    struct sw_policy **owned;
    int nowned, capowned;

    /* module state kept by the writer (sw_engine_attach) */
    int nattached;
    struct attached {
        char name[32];
        void *state;
        void (*free_fn)(void *state);
        sw_engine_undo_fn undo;
    } attached[SW_ENGINE_MAX_ATTACHED];

    /* stats */
    pthread_mutex_t stats_mu;
    struct sw_engine_stats stats;
};

/* tables.c */
struct cmd_def *sw__find_def(struct sw_engine *e, const char *type);
/* Drops the staged id-map entries and id-list appends from index mark on (a refused command,
 * or mark 0: a failed batch). */
void sw__staged_truncate(struct sw_engine *e, size_t mark);
/* Makes the batch's staged entries visible to readers (after COMMIT). */
void sw__staged_publish(struct sw_engine *e);

/* policies.c */
/* Starts with the configured policy, or the one a command activated last (stored). */
int sw__policies_open(struct sw_engine *e, struct sw_error *err);
/* After COMMIT: readers see the policy the batch's commands left in force. */
void sw__policies_publish(struct sw_engine *e);
/* After a failed batch: the writer goes back to the committed policy. */
void sw__policies_rollback(struct sw_engine *e);
void sw__policies_free(struct sw_engine *e);

/* tables.c: tells the attached states that the writes of commands from seq on were undone. */
void sw__attached_undo(struct sw_engine *e, int64_t from_seq);
void sw__attached_free(struct sw_engine *e);

/* engine.c: applies one command (or a tick) at instant now, on the writer thread. */
void sw__apply_one(struct sw_engine *e, struct sw_cmd *cmd, sw_instant now);

/* timers.c */
bool sw__is_tick(const struct sw_cmd *cmd);
/* Whether a tick that applied fired at least one timer. */
bool sw__tick_fired(const struct sw_cmd *cmd);
/* Fires every timer due at or before `to`, in (due, id) order, each as a logged command at its
 * due instant. *more is set when it stopped after a yielding timer (the batch should end). */
int sw__timers_fire(struct sw_engine *e, sw_instant to, int *fired, bool *more,
                    struct sw_error *err);
/* A timer is due at `due` (scheduled or kept for a retry). */
void sw__timers_lower(struct sw_engine *e, sw_instant due);
void sw__apply_tick(struct sw_engine *e, struct sw_cmd *cmd);
void *sw__sched_main(void *arg);

/* events.c: "[" + the emitted list + "]", malloc'd; the buffer is released. */
char *sw__events_array(struct sw_buf *b);
/* events.c: after the COMMIT of a batch that appended events (the writer thread). */
void sw__events_committed(struct sw_engine *e, int64_t last_seq);

#endif
