/* Reading a command log and its events for a replay (docs/replay.md): the commands in seq order
 * with everything needed to apply them again, and the events as they were recorded. */
#ifndef SW_STORE_REPLAY_SQL_H
#define SW_STORE_REPLAY_SQL_H

#include <stdint.h>

#include "store/store.h"

/* A logged command. Strings are malloc'd (sw_replay_cmd_row_free); optional ones may be NULL. */
struct sw_replay_cmd_row {
    int64_t seq, at;
    char *type, *actor, *actor_key, *actor_label, *merchant, *idem_key, *payload, *policy_version;
};
void sw_replay_cmd_row_free(struct sw_replay_cmd_row *r);
/* Up to max commands with after < seq <= to_seq, in seq order, into rows; *n the count. */
int sw_replay_sql_commands(struct sw_conn *c, int64_t after, int64_t to_seq,
                           struct sw_replay_cmd_row *rows, int max, int *n,
                           struct sw_error *err) SW_MUSTCHECK;
/* How many commands have at <= to_at, and the seq of the last of them (0: none). */
int sw_replay_sql_count(struct sw_conn *c, int64_t to_at, int64_t *count, int64_t *last_seq,
                        struct sw_error *err) SW_MUSTCHECK;
/* A window of the log that ends at instant to_at: the longest prefix of the log whose commands
 * are all stamped at or before it. *last_seq is its last command (0: none), *count its size.
 * The log's instants may go back (a key made offline by the wall clock while a manual clock
 * stood later): the window is still a prefix, so that the recorded side can be cut at the same
 * command, and it ends before the first command stamped later (time has passed `to` there). */
int sw_replay_sql_window(struct sw_conn *c, int64_t to_at, int64_t *count, int64_t *last_seq,
                         struct sw_error *err) SW_MUSTCHECK;

/* A recorded event. Strings malloc'd (sw_replay_event_row_free). */
struct sw_replay_event_row {
    int64_t seq, at, command_seq;
    char *type, *merchant, *subject, *payload, *policy_version;
};
void sw_replay_event_row_free(struct sw_replay_event_row *r);
/* Up to max events with seq > after and command_seq <= upto_cmd, in seq order. */
int sw_replay_sql_events(struct sw_conn *c, int64_t after, int64_t upto_cmd,
                         struct sw_replay_event_row *rows, int max, int *n,
                         struct sw_error *err) SW_MUSTCHECK;

/* The version a logged activation switched from (its policy.activated event's `from`), or ""
 * when the command activated nothing. */
int sw_replay_sql_activated_from(struct sw_conn *c, int64_t cmd_seq, char *from, size_t cap,
                                 struct sw_error *err) SW_MUSTCHECK;

#endif
