/* The replay's own parts (replay.c runs the log, compare.c compares the outcomes). */
#ifndef SW_REPLAY_INT_H
#define SW_REPLAY_INT_H

#include "replay/replay.h"
#include "store/store.h"

/* Compares the recorded events of commands up to last_cmd_seq (live) with every event of the
 * scratch database, position by position, and fills r (determinism check). */
int sw__replay_compare_exact(struct sw_conn *live, struct sw_conn *scratch, int64_t last_cmd_seq,
                             const struct sw_replay_opts *o, struct sw_replay_report *r,
                             struct sw_error *err) SW_MUSTCHECK;
/* Compares the decisions of both runs from o->from on, subject by subject, and fills r (the
 * draft report): the live run's commands up to last_cmd_seq, the scratch run's events up to
 * scratch_seq. */
int sw__replay_compare_decisions(struct sw_conn *live, struct sw_conn *scratch,
                                 int64_t last_cmd_seq, int64_t scratch_seq,
                                 const struct sw_replay_opts *o, struct sw_replay_report *r,
                                 struct sw_error *err) SW_MUSTCHECK;

#endif
