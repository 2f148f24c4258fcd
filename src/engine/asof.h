/* Point-in-time reads (docs/point-in-time.md): an object as it was at an instant, folded from
 * the event log. Each module says which events make its object and how one event changes it (a
 * kind: a pure step function); this file finds a subject's events and folds them.
 *
 * Cost: an in-memory index, subject -> (seq, at, type) of each of its events, built on the
 * first point-in-time read by one pass over the event log and brought up to date at each read
 * (a rowid range scan of the events appended since); and a folded state kept every
 * SW_ASOF_SNAPSHOT_EVERY events of a subject, so that a read folds at most that many events
 * from the nearest snapshot before its instant. Nothing is written: writes do not pay. */
#ifndef SW_ENGINE_ASOF_H
#define SW_ENGINE_ASOF_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "engine/engine.h"

#define SW_ASOF_SNAPSHOT_EVERY 64
#define SW_ASOF_SLOTS 12 /* 8 kinds today (each module's asof.c), room for more */

/* One event, as a step sees it (all borrowed for the call). */
struct sw_asof_event {
    int64_t seq, at;
    const char *type;
    const json_t *payload;
    /* the object folded: the event's subject, or an object it names (an appeal's events are
     * its violation's too) */
    const char *subject;
};

/* What makes one kind of object. step folds one event into *state (NULL before the first event
 * of the kind: the object did not exist yet), replacing or changing it in place; it is pure
 * (no clock, no store) and sees only events whose type starts with one of prefixes. */
struct sw_asof_kind {
    int slot;             /* 0..SW_ASOF_SLOTS-1, distinct per kind: its snapshots */
    const char *prefixes; /* "product.", or several: "merchant.,deposit." */
    void (*step)(json_t **state, const struct sw_asof_event *ev);
};

/* The index; registered once with the engine (sw_domain_register_all). */
int sw_asof_register(struct sw_engine *e) SW_MUSTCHECK;

/* subject's object of kind k as of at_us: *out a new reference, NULL when no event of the
 * kind at or before at_us (it did not exist yet); *last_seq the seq of the last event folded
 * (0 when none). c is a read connection: events it does not see are not folded. */
int sw_asof_fold(struct sw_engine *e, struct sw_conn *c, const struct sw_asof_kind *k,
                 const char *subject, int64_t at_us, json_t **out, int64_t *last_seq,
                 struct sw_error *err) SW_MUSTCHECK;

/* Helpers for steps: the instant as the API writes it; *state replaced by a copy of payload. */
void sw_asof_set_instant(json_t *obj, const char *key, int64_t at_us);
void sw_asof_replace(json_t **state, const json_t *payload);

#endif
