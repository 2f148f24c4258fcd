/* Penalty: violations, the deposit ledger, rectification and appeals (RULES.md §3).
 *
 * Violations come from the scanner (the catalog's product.scanned event: at once or queued
 * for an operator, per policy), from operators (violation.create) and from review statistics
 * (spu.review_stats -> `implicated`). Penalties follow the policy's "penalties" section: a
 * product ban, deductions by type and severity, the repeat ladder counted per store and type
 * in a window, rectification reports, store clearance. Every deposit movement is a ledger
 * entry; the balance is their sum and never goes below zero (the rest is owed). A store below
 * its requirement, owing a rectification or cleared by a violation carries a catalog hold.
 *
 * Commands: violation.create, violation.confirm, violation.dismiss, violation.rectify,
 * violation.rectification_decide, spu.review_stats, deposit.top_up, deposit.release,
 * appeal.create, appeal.decide, appeal.overdue (timer).
 * Events: violation.queued, violation.dismissed, violation.enforced, violation.ban_lifted,
 * violation.rectification_submitted / _accepted / _rejected, violation.overturned,
 * violation.final, deposit.topped_up, deposit.deducted, deposit.refunded, deposit.released,
 * appeal.filed, appeal.overdue, appeal.upheld, appeal.rejected, spu.review_stats. */
#ifndef SW_DOMAIN_PENALTY_H
#define SW_DOMAIN_PENALTY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"
#include "policy/policy.h"
#include "store/penalty_sql.h"

/* What one violation costs: pure, from the rule, the distinct findings by severity and the
 * violation's place among the store's counted ones in the window (nth, from 1; 0 when the
 * type is not counted). deduct_all means "the whole balance", known only when applied. */
struct sw_penalty_decision {
    bool ban;
    int64_t deduct_fen;
    bool deduct_all;
    bool rectification;
    bool clear_store;
};
void sw_penalty_decide(const struct sw_penalty_rule *r, int64_t minor, int64_t severe, int64_t nth,
                       struct sw_penalty_decision *d);

int sw_penalty_register(struct sw_engine *e) SW_MUSTCHECK;
/* The id of the rescan that is running (*found false when none), a read. */
int sw_penalty_running_rescan(struct sw_conn *c, char id[32], bool *found,
                              struct sw_error *err) SW_MUSTCHECK;
/* A rescan job (a read): {id, status, total, scanned, changed, violations, delisted, ...}. */
int sw_penalty_get_rescan(struct sw_conn *c, const char *id, json_t **out,
                          struct sw_error *err) SW_MUSTCHECK;
/* Cluster mode: the job `id` from its parts, as each partition answered its read (the home
 * part, whose id is `id`, and the parts whose part_of is `id`; other answers are skipped):
 * the counters added up, running while a part runs, the latest instants, and `parts`. NULL
 * when the home part is not among them. */
json_t *sw_penalty_rescan_join(const char *id, const json_t *parts);

/* Reads, on a read connection. A viewer that is a merchant (merchant:<id>) sees only its own
 * store's violations in force or overturned: pending and dismissed ones are not_found. */
int sw_penalty_get_violation(struct sw_conn *c, const char *id, const char *viewer,
                             const struct sw_policy *pol, json_t **out,
                             struct sw_error *err) SW_MUSTCHECK;
/* {violations, next_after, has_more}: the violations f keeps after the violation `after`
 * (NULL = start), by id. f's status and type are checked (invalid_value). */
int sw_penalty_list_violations(struct sw_conn *c, const struct sw_violation_filter *f,
                               const char *after, int limit, const char *viewer,
                               const struct sw_policy *pol, json_t **out,
                               struct sw_error *err) SW_MUSTCHECK;
/* Balance, owed, requirement, shortfall and a page of entries. */
/* Point-in-time reads (docs/point-in-time.md): as the events had made them at at_us;
 * not_found before the violation existed. The caller checks who may see them. */
int sw_penalty_violation_at(struct sw_engine *e, struct sw_conn *c, const char *id,
                            const char *viewer, int64_t at_us, json_t **out,
                            struct sw_error *err) SW_MUSTCHECK;
/* live: the live answer (sw_penalty_get_deposit) whose ledger page is cut at at_us. */
int sw_penalty_deposit_at(struct sw_engine *e, struct sw_conn *c, const char *merchant,
                          const json_t *live, int64_t at_us, json_t **out,
                          struct sw_error *err) SW_MUSTCHECK;
int sw_penalty_get_deposit(struct sw_conn *c, const char *merchant, int64_t after, int limit,
                           json_t **out, struct sw_error *err) SW_MUSTCHECK;
/* Whether a store may read this event of its own partition: a violation's events only while
 * the violation is one the store may see (in force or overturned), as for the reads above. */
bool sw_penalty_store_sees_event(const char *type, const json_t *payload);
int sw_penalty_get_appeal(struct sw_conn *c, const char *id, const char *viewer, json_t **out,
                          struct sw_error *err) SW_MUSTCHECK;
/* The operator queue: pending violations (paged after the violation `after`: next_after and
 * has_more are theirs), the first `limit` open appeals (overdue first) and rectification
 * reports waiting for a decision. */
int sw_penalty_queue(struct sw_engine *e, struct sw_conn *c, const struct sw_policy *pol,
                     const char *after, int limit, json_t **out, struct sw_error *err) SW_MUSTCHECK;

/* Gauges for /metrics: pending violations, open appeals, overdue appeals. */
int sw_penalty_queue_counts(struct sw_conn *c, int64_t *pending, int64_t *open, int64_t *overdue,
                            struct sw_error *err) SW_MUSTCHECK;

/* {rules: [...]}: per rule and policy version, its violations and how they ended, with the
 * overturn rate (overturned on appeal / took effect) and the dismiss rate (dismissed by an
 * operator / decided): the log's own labels of a rule's precision (docs/penalty.md). */
int sw_penalty_rule_quality(struct sw_conn *c, const char *rule, const char *policy_version,
                            json_t **out, struct sw_error *err) SW_MUSTCHECK;
/* Rule quality as a read model of every partition's events (cluster mode, quality_model.c), in
 * a node's own database, never a partition's: apply takes partition p's next event (as the
 * feed gives it to staff), each partition's in order; read answers what
 * sw_penalty_rule_quality answers on one database. */
int sw_penalty_quality_model_open(struct sw_conn *c, struct sw_error *err) SW_MUSTCHECK;
int sw_penalty_quality_model_clear(struct sw_conn *c, struct sw_error *err) SW_MUSTCHECK;
int sw_penalty_quality_model_apply(struct sw_conn *c, int p, const json_t *ev,
                                   struct sw_error *err) SW_MUSTCHECK;
/* Whether the model has taken in violation id (a page cursor must name one). */
int sw_penalty_quality_model_knows(struct sw_conn *c, const char *id, bool *known,
                                   struct sw_error *err) SW_MUSTCHECK;
int sw_penalty_quality_model_read(struct sw_conn *c, const char *rule, const char *policy_version,
                                  json_t **out, struct sw_error *err) SW_MUSTCHECK;

/* "v12" -> 12; false when s is not a violation id. Same for appeals ("a3"). */
bool sw_penalty_parse_id(const char *s, char prefix, int64_t *rid);

#endif
