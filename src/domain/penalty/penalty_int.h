/* Shared between the penalty module's files. */
#ifndef SW_DOMAIN_PENALTY_INT_H
#define SW_DOMAIN_PENALTY_INT_H

#include "domain/domain.h"
#include "domain/penalty/penalty.h"
#include "store/penalty_sql.h"

#define SW_ID_BUF 24

void sw__violation_id(int64_t rid, char out[SW_ID_BUF]);
void sw__appeal_id(int64_t rid, char out[SW_ID_BUF]);

/* Loads a violation the actor may act on: a merchant only its own, and only in force or
 * overturned (pending and dismissed ones do not exist for it). */
int sw__violation_load(struct sw_ctx *ctx, const char *id, struct sw_violation_row *v,
                       struct sw_error *err) SW_MUSTCHECK;
/* Undoes everything v did (an upheld appeal): refund, owed cancelled, ban lifted, rectification
 * cancelled, holds recomputed; v becomes overturned. Writes v. */
int sw__violation_reverse(struct sw_ctx *ctx, struct sw_violation_row *v, const char *why,
                          struct sw_error *err) SW_MUSTCHECK;
json_t *sw__violation_render(const struct sw_violation_row *v, const struct sw_policy *pol);

/* ledger.c */
/* Takes up to amount from the balance for v; the rest is owed. Updates v (not written). */
int sw__ledger_deduct(struct sw_ctx *ctx, struct sw_violation_row *v, int64_t amount,
                      struct sw_error *err) SW_MUSTCHECK;
/* Refunds what v took and cancels what it owes. Updates v (not written). */
int sw__ledger_reverse(struct sw_ctx *ctx, struct sw_violation_row *v,
                       struct sw_error *err) SW_MUSTCHECK;
/* Pays what the store owes from its balance, oldest violation first. */
int sw__ledger_settle(struct sw_ctx *ctx, const char *merchant, struct sw_error *err) SW_MUSTCHECK;
/* Sets or lifts the store's deposit, rectification and clearance holds from the ledger and
 * its violations in force. */
int sw__penalty_holds(struct sw_ctx *ctx, const char *merchant, struct sw_error *err) SW_MUSTCHECK;
int sw__ledger_register(struct sw_engine *e) SW_MUSTCHECK;

/* appeals.c */
int sw__appeals_register(struct sw_engine *e) SW_MUSTCHECK;
/* rescan.c: rescan.start, rescan.step (yields: one step per batch). */
int sw__rescans_register(struct sw_engine *e) SW_MUSTCHECK;
json_t *sw__appeal_render(const struct sw_appeal_row *a);

/* Versions (docs/api.md "HTTP conventions"): a rendered violation or appeal gets its "version"
 * (store/versions_sql.h); the _if_version checks compare it with what a write expects.
 * Both take out/NULL-safe: a NULL out is left alone. */
int sw__violation_put_version(struct sw_conn *c, int64_t rid, json_t *out, struct sw_error *err);
int sw__appeal_put_version(struct sw_conn *c, int64_t rid, json_t *out, struct sw_error *err);
int sw__violation_if_version(struct sw_ctx *ctx, const struct sw_violation_row *v,
                             const struct sw_if_version *iv, struct sw_error *err);
int sw__appeal_if_version(struct sw_ctx *ctx, const struct sw_appeal_row *a,
                          const struct sw_if_version *iv, struct sw_error *err);

/* covers.c: a finding's identity (rule|evidence, the excerpt when there is none) into out; the
 * keys the product's violations of a type cover (a pending one's findings; one in force,
 * dismissed or overturned: those the product has kept since); and their lapse to the findings
 * the product now has (NULL: read from the catalog when needed). */
void sw__finding_key(const json_t *f, char *out, size_t n);
int sw__covered_keys(struct sw_ctx *ctx, const char *product, const char *type, json_t *keys,
                     struct sw_error *err) SW_MUSTCHECK;
int sw__lapse_covers(struct sw_ctx *ctx, const char *product, const json_t *findings,
                     struct sw_error *err) SW_MUSTCHECK;
/* sw__lapse_covers on the product's rows already read (every status: rows_of_product decided). */
int sw__lapse_rows(struct sw_ctx *ctx, const char *product, struct sw_violation_row *rows, int n,
                   const json_t *findings, struct sw_error *err) SW_MUSTCHECK;

/* Sets overturn_rate and dismiss_rate on each rule quality row (quality.c). */
void sw__quality_rates(json_t *rows);

#endif
