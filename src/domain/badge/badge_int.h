/* Shared between the badge module's files. */
#ifndef SW_DOMAIN_BADGE_INT_H
#define SW_DOMAIN_BADGE_INT_H

#include "domain/badge/badge.h"
#include "store/badge_sql.h"

#define SW_BADGE_TAG_REASON_MAX 48

/* rules.c: the rule, pure. */
/* The codes of `need` that `have` lacks (a new array). */
json_t *sw__badge_lacking(const json_t *have, const json_t *need);
/* What the store needs: the base services and the extras of each of its categories. */
json_t *sw__badge_store_needs(const struct sw_policy *pol, const json_t *categories);
/* Evaluates a store: its missing codes and the reasons it fails (services_missing,
 * store_restricted, store_cleared); true when it meets the rule. */
bool sw__badge_evaluate(const struct sw_policy *pol, const json_t *services,
                        const json_t *categories, int store_status, json_t **missing,
                        json_t **reasons);

/* store.c */
/* The store's badge row (a default ineligible one, not yet stored, when it has none). */
int sw__badge_load(struct sw_ctx *ctx, const char *merchant, struct sw_badge_row *b, bool *stored,
                   struct sw_error *err) SW_MUSTCHECK;
/* Re-evaluates the store's rule and moves its badge (state, reasons, tags, reminder). */
int sw__badge_refresh(struct sw_ctx *ctx, const char *merchant, const char *cause,
                      struct sw_error *err) SW_MUSTCHECK;

/* products.c */
/* Tags or untags one product by the rule, its store's badge being active or not. */
int sw__badge_sync_product(struct sw_ctx *ctx, const char *product, bool active, const char *reason,
                           struct sw_error *err) SW_MUSTCHECK;
/* The same for every product of a store. */
int sw__badge_sync_store(struct sw_ctx *ctx, const char *merchant, bool active, const char *reason,
                         struct sw_error *err) SW_MUSTCHECK;
int sw__badge_products_register(struct sw_engine *e) SW_MUSTCHECK;

/* reads.c: the row of a store that never set services (ineligible, lacking everything its
 * categories need), and a product's line in the badge view (tagged, or what it lacks). */
void sw__badge_default_row(const struct sw_policy *pol, const json_t *store,
                           struct sw_badge_row *b);
json_t *sw__badge_product_entry(const struct sw_policy *pol, const json_t *p);

#endif
