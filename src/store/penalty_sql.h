/* SQL for the penalty module's tables (violations, deposit ledger, appeals). Only the penalty
 * module calls these. */
#ifndef SW_STORE_PENALTY_SQL_H
#define SW_STORE_PENALTY_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct sw_violation_row {
    int64_t rid;
    char merchant[72], product[72], type[48], severity[8], source[16], status[16];
    char ban[16], rectification[16], policy_version[64];
    int64_t occurrences, nth, deduct_fen, deducted_fen, owed_fen, appeals;
    bool counted, ban_active, clears_store, appeal_open, final;
    int64_t created_at, effective_at, decided_at, updated_at; /* 0 = not yet */
    json_t *doc;                                              /* owned */
};

/* Inserts with v->rid = 0 and sets it. */
int sw_sql_violation_insert(struct sw_conn *c, struct sw_violation_row *v,
                            struct sw_error *err) SW_MUSTCHECK;
int sw_sql_violation_update(struct sw_conn *c, const struct sw_violation_row *v,
                            struct sw_error *err) SW_MUSTCHECK;
int sw_sql_violation_get(struct sw_conn *c, int64_t rid, struct sw_violation_row *v, bool *found,
                         struct sw_error *err) SW_MUSTCHECK;
/* Counted violations in force of a store and type that came into force after `since`. */
int sw_sql_violation_count(struct sw_conn *c, const char *merchant, const char *type, int64_t since,
                           int64_t *n, struct sw_error *err) SW_MUSTCHECK;
#define SW_PRODUCT_VIOLATIONS_MAX 256
/* A product's violations pending or in force (type NULL = any), oldest first, then with decided
 * also those an operator dismissed or an upheld appeal overturned; at most
 * SW_PRODUCT_VIOLATIONS_MAX, in one query. *rows is malloc'd: sw_violation_rows_free. */
int sw_sql_violation_rows_of_product(struct sw_conn *c, const char *product, const char *type,
                                     bool decided, struct sw_violation_row **rows, int *n,
                                     struct sw_error *err) SW_MUSTCHECK;
void sw_violation_rows_free(struct sw_violation_row *rows, int n);
/* Whether a violation in force other than rid keeps the product banned. */
int sw_sql_violation_banned_by_other(struct sw_conn *c, const char *product, int64_t rid,
                                     bool *banned, struct sw_error *err) SW_MUSTCHECK;
/* rids (> after) of a store's violations in force that still owe, oldest first, at most max. */
int sw_sql_violation_rids_owing(struct sw_conn *c, const char *merchant, int64_t after,
                                int64_t *out, int max, int *n, struct sw_error *err) SW_MUSTCHECK;
/* A store's violations in force with an outstanding rectification / that clear the store. */
int sw_sql_violation_count_holding(struct sw_conn *c, const char *merchant, int64_t *rectifying,
                                   int64_t *clearing, struct sw_error *err) SW_MUSTCHECK;
/* Violations in force whose rectification report waits for an operator, oldest first. */
int sw_sql_violation_reports(struct sw_conn *c, int limit, struct sw_violation_row *out, int *n,
                             struct sw_error *err) SW_MUSTCHECK;
/* What a listing of violations keeps: NULL strings match anything; created_at in
 * [from_us, to_us). */
struct sw_violation_filter {
    const char *merchant, *status, *product, *type;
    int64_t from_us, to_us;
};
/* A page of violations as rows; rows in rid order after `after`. */
int sw_sql_violation_page(struct sw_conn *c, const struct sw_violation_filter *f, int64_t after,
                          int limit, struct sw_violation_row *out, int *n,
                          struct sw_error *err) SW_MUSTCHECK;
void sw_violation_row_release(struct sw_violation_row *v);

struct sw_deposit_account {
    int64_t balance_fen, owed_fen, entries;
};
struct sw_deposit_entry {
    int64_t rid;
    const char *merchant;
    const char *kind;
    int64_t amount_fen, balance_after_fen;
    int64_t violation; /* 0 = none */
    const char *ref, *note;
    int64_t at, command_seq;
};
/* An absent account reads as zeros. */
int sw_sql_deposit_account(struct sw_conn *c, const char *merchant, struct sw_deposit_account *a,
                           struct sw_error *err) SW_MUSTCHECK;
/* Appends the entry and writes the account (balance = balance_after of the entry). */
int sw_sql_deposit_append(struct sw_conn *c, const struct sw_deposit_entry *e, int64_t owed_fen,
                          struct sw_error *err) SW_MUSTCHECK;
/* Whether a top-up or release with this payment reference was already recorded. */
int sw_sql_deposit_ref_seen(struct sw_conn *c, const char *merchant, const char *ref, bool *seen,
                            struct sw_error *err) SW_MUSTCHECK;
int sw_sql_deposit_set_owed(struct sw_conn *c, const char *merchant, int64_t owed_fen, int64_t at,
                            struct sw_error *err) SW_MUSTCHECK;
/* Entries of a store after rid `after`, as JSON objects (amounts in fen, instants in µs). */
int sw_sql_deposit_entries(struct sw_conn *c, const char *merchant, int64_t after, int limit,
                           json_t **rows, struct sw_error *err) SW_MUSTCHECK;

struct sw_appeal_row {
    int64_t rid, violation, nth;
    char merchant[72], status[16];
    /* Who decided: the actor as JSON text ({"key","role","label"}); a bare role in appeals
     * decided before keys were recorded. "" when undecided. */
    char decided_by[1536];
    char *reason, *note; /* owned (malloc) */
    json_t *evidence;    /* owned */
    bool overdue;
    int64_t created_at, due_at, decided_at;
};
int sw_sql_appeal_insert(struct sw_conn *c, struct sw_appeal_row *a,
                         struct sw_error *err) SW_MUSTCHECK;
int sw_sql_appeal_update(struct sw_conn *c, const struct sw_appeal_row *a,
                         struct sw_error *err) SW_MUSTCHECK;
int sw_sql_appeal_get(struct sw_conn *c, int64_t rid, struct sw_appeal_row *a, bool *found,
                      struct sw_error *err) SW_MUSTCHECK;
/* rids of a violation's appeals, ascending. */
int sw_sql_appeal_rids(struct sw_conn *c, int64_t violation, int64_t *out, int max, int *n,
                       struct sw_error *err) SW_MUSTCHECK;
/* rids of open appeals, overdue ones first, then by due time. */
int sw_sql_appeal_open_rids(struct sw_conn *c, int64_t *out, int max, int *n,
                            struct sw_error *err) SW_MUSTCHECK;
void sw_appeal_row_release(struct sw_appeal_row *a);

/* ---------- rescans (schema 0016) ---------- */

struct sw_rescan_row {
    int64_t rid;
    char status[16], policy_version[64];
    int64_t batch, total, scanned, changed, violations, delisted, steps, cursor, upto;
    int64_t created_at, updated_at, finished_at; /* finished_at 0 while running */
    json_t *doc;                                 /* owned: by, note */
};
int sw_sql_rescan_insert(struct sw_conn *c, struct sw_rescan_row *r,
                         struct sw_error *err) SW_MUSTCHECK;
int sw_sql_rescan_update(struct sw_conn *c, const struct sw_rescan_row *r,
                         struct sw_error *err) SW_MUSTCHECK;
int sw_sql_rescan_get(struct sw_conn *c, int64_t rid, struct sw_rescan_row *r, bool *found,
                      struct sw_error *err) SW_MUSTCHECK;
/* The part of the cluster job `job` (doc.part_of), the latest when there are several. */
int sw_sql_rescan_part(struct sw_conn *c, const char *job, struct sw_rescan_row *r, bool *found,
                       struct sw_error *err) SW_MUSTCHECK;
/* The rid of the running rescan, 0 when none. */
int sw_sql_rescan_running(struct sw_conn *c, int64_t *rid, struct sw_error *err) SW_MUSTCHECK;
void sw_rescan_row_release(struct sw_rescan_row *r);
/* The highest violation rid (the id base when none: rids start above it in a cluster
 * partition): a step counts the violations it created. */
int sw_sql_violation_last_rid(struct sw_conn *c, int64_t *rid, struct sw_error *err) SW_MUSTCHECK;

/* What waits for operators: pending violations, open appeals and the overdue among them. */
int sw_sql_queue_counts(struct sw_conn *c, int64_t *pending, int64_t *open, int64_t *overdue,
                        struct sw_error *err) SW_MUSTCHECK;

/* Rule quality (penalty_quality_sql.c): rows {rule, type, policy_version, violations, pending,
 * dismissed, in_force, appealed, overturned}, by rule and policy version; rule and version
 * filter when not NULL. Reads every violation: an admin report, not a hot path. */
int sw_sql_rule_quality(struct sw_conn *c, const char *rule, const char *policy_version,
                        json_t **rows, struct sw_error *err) SW_MUSTCHECK;
/* The rule quality's read model in a cluster node's own database (view.db): a row per
 * violation of every partition (its type, status, whether appealed, policy version and the
 * rules of its findings as a JSON array of names), and the same rows sw_sql_rule_quality
 * gives, over them. */
int sw_sql_quality_view_schema(struct sw_conn *c, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_quality_view_clear(struct sw_conn *c, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_quality_view_put(struct sw_conn *c, int p, const char *id, const char *type,
                            const char *status, bool appealed, const char *policy_version,
                            const char *rules, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_quality_view_appealed(struct sw_conn *c, int p, const char *id,
                                 struct sw_error *err) SW_MUSTCHECK;
/* Whether the model holds violation id (of any partition). */
int sw_sql_quality_view_has(struct sw_conn *c, const char *id, bool *found,
                            struct sw_error *err) SW_MUSTCHECK;
int sw_sql_quality_view_rows(struct sw_conn *c, const char *rule, const char *policy_version,
                             json_t **rows, struct sw_error *err) SW_MUSTCHECK;

#endif
