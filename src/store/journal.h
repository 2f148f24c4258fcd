/* SQL for the engine's own tables: commands, events, timers, api keys. */
#ifndef SW_STORE_JOURNAL_H
#define SW_STORE_JOURNAL_H

#include <jansson.h>
#include <stdint.h>

#include "base/map.h"
#include "store/store.h"

struct sw_journal_command {
    int64_t seq, at;
    const char *type, *actor, *merchant, *idem_key, *payload, *result, *policy_version;
    const char *actor_key, *actor_label; /* may be NULL */
    int64_t first_event, nevents;
};
int sw_journal_insert_command(struct sw_conn *c, const struct sw_journal_command *cmd,
                              struct sw_error *err) SW_MUSTCHECK;
/* Reads one command row; *type, *payload and *result are new references / copies. */
int sw_journal_get_command(struct sw_conn *c, int64_t seq, char **type, json_t **payload,
                           json_t **result, int64_t *at, int64_t *first_event, int64_t *nevents,
                           struct sw_error *err) SW_MUSTCHECK;

int sw_journal_insert_event(struct sw_conn *c, int64_t seq, int64_t at, const char *type,
                            const char *merchant, const char *subject, const char *payload,
                            const char *policy_version, int64_t command_seq,
                            struct sw_error *err) SW_MUSTCHECK;
/* One event's payload (new reference). */
int sw_journal_event_payload(struct sw_conn *c, int64_t seq, json_t **out,
                             struct sw_error *err) SW_MUSTCHECK;
/* [{seq, type}] for events first..first+n-1. */
int sw_journal_event_refs(struct sw_conn *c, int64_t first, int64_t n, json_t **out,
                          struct sw_error *err) SW_MUSTCHECK;
/* Full events with seq > after, at most limit, as a JSON array. */
int sw_journal_events_page(struct sw_conn *c, int64_t after, int limit, json_t **out,
                           struct sw_error *err) SW_MUSTCHECK;
/* What a reading of the event log keeps: NULL strings match anything; `at` in
 * [from_us, to_us). */
struct sw_event_filter {
    const char *type, *merchant, *subject;
    int64_t from_us, to_us;
};
/* As sw_journal_events_page, of the events f keeps among those with after < seq <= upto. */
int sw_journal_events_find(struct sw_conn *c, const struct sw_event_filter *f, int64_t after,
                           int64_t upto, int limit, json_t **out,
                           struct sw_error *err) SW_MUSTCHECK;
/* Point-in-time reads (src/engine/asof.c): every event with seq > after, in seq order, as
 * (seq, at, type, subject, parent); parent is the violation an appeal's event belongs to, NULL
 * for every other event. The strings are borrowed for the call. */
typedef void (*sw_journal_subject_fn)(void *arg, int64_t seq, int64_t at, const char *type,
                                      const char *subject, const char *parent);
int sw_journal_subjects_since(struct sw_conn *c, int64_t after, sw_journal_subject_fn fn, void *arg,
                              struct sw_error *err) SW_MUSTCHECK;
/* One event's payload (new reference); *found false when this connection does not see it. */
int sw_journal_event_at(struct sw_conn *c, int64_t seq, json_t **payload, bool *found,
                        struct sw_error *err) SW_MUSTCHECK;
int sw_journal_max_seqs(struct sw_conn *c, int64_t *cmd_seq, int64_t *event_seq,
                        struct sw_error *err) SW_MUSTCHECK;
/* Fills map with idem_key -> seq for every logged command that had a key. */
int sw_journal_load_idem(struct sw_conn *c, struct sw_map *map, struct sw_error *err) SW_MUSTCHECK;

struct sw_timer_row {
    int64_t id, due_us;
    char *kind, *merchant, *subject, *key;
    json_t *payload;
};
int sw_journal_timer_put(struct sw_conn *c, const char *key, int64_t due_us, const char *kind,
                         const char *merchant, const char *subject, const char *payload,
                         struct sw_error *err) SW_MUSTCHECK;
int sw_journal_timer_del(struct sw_conn *c, const char *key, struct sw_error *err) SW_MUSTCHECK;
/* The earliest timer due at or before `to`; *found false when none. Free with
 * sw_journal_timer_row_free. */
int sw_journal_timer_next(struct sw_conn *c, int64_t to, struct sw_timer_row *row, bool *found,
                          struct sw_error *err) SW_MUSTCHECK;
void sw_journal_timer_row_free(struct sw_timer_row *row);
/* Timers by (due, id) after (after_due_us, after_id), at most limit, as JSON objects; each
 * has a "cursor" member ("<due_us>.<id>") for the page after it. */
int sw_journal_timers_list(struct sw_conn *c, int64_t after_due_us, int64_t after_id, int limit,
                           json_t **out, struct sw_error *err) SW_MUSTCHECK;

#define SW_KEY_LABEL_MAX 200 /* bytes of UTF-8 */

/* An API key as listed: never its secret or hash. Times are µs since the epoch, 0 = none. */
struct sw_key_row {
    char id[72];
    char role[80];
    char label[SW_KEY_LABEL_MAX + 1]; /* "" when none */
    int64_t created_at, expires_at, revoked_at;
};

/* label may be NULL, expires_at 0 for none. */
int sw_journal_key_insert(struct sw_conn *c, const char *id, const unsigned char hash[32],
                          const char *role, const char *label, int64_t expires_at, int64_t at,
                          struct sw_error *err) SW_MUSTCHECK;
/* The unrevoked key with this hash into *out; *found false when none. Expiry is the caller's
 * to check (it has the clock). */
int sw_journal_key_find(struct sw_conn *c, const unsigned char hash[32], struct sw_key_row *out,
                        bool *found, struct sw_error *err) SW_MUSTCHECK;
/* Keys with id > after, by id, at most limit, as a JSON array of {id, role, label,
 * created_at, expires_at, revoked_at}. */
int sw_journal_keys_list(struct sw_conn *c, const char *after, int limit, json_t **out,
                         struct sw_error *err) SW_MUSTCHECK;
/* Whether a key of this role is live at now (neither revoked nor expired). */
int sw_journal_key_role_live(struct sw_conn *c, const char *role, int64_t now, bool *live,
                             struct sw_error *err) SW_MUSTCHECK;
/* Whether a key of that id was ever made (revoked or not). */
int sw_journal_key_exists(struct sw_conn *c, const char *id, bool *exists,
                          struct sw_error *err) SW_MUSTCHECK;
int sw_journal_key_revoke(struct sw_conn *c, const char *id, int64_t at, bool *found,
                          struct sw_error *err) SW_MUSTCHECK;
/* Keys as the cluster's key store holds them (docs/scale-out.md, "Keys"): a JSON array of
 * {id, hash (64 hex), role, label?, created_at, expires_at?, revoked_at?}, by id; the key `id`
 * alone (an empty array when there is none), or every key when id is NULL. */
int sw_journal_key_records(struct sw_conn *c, const char *id, json_t **out,
                           struct sw_error *err) SW_MUSTCHECK;

#endif
