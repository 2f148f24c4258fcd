/* Shared between the promotion module's files. */
#ifndef SW_DOMAIN_PROMOTION_INT_H
#define SW_DOMAIN_PROMOTION_INT_H

#include "domain/promotion/promotion.h"
#include "store/promotion_sql.h"

#define SW_PROMO_ID_BUF 24
#define SW_US_PER_HOUR INT64_C(3600000000)

void sw__promo_id(int64_t rid, char out[SW_PROMO_ID_BUF]);

/* workflow.c: the review. Every check that fails at instant ctx->now is appended to reasons
 * (a new array): at purchase (running false) a product that is not listed is product_delisted;
 * while running a banned one is product_banned. */
int sw__promo_review(struct sw_ctx *ctx, const char *merchant, const char *product, bool running,
                     json_t **reasons, struct sw_error *err) SW_MUSTCHECK;

/* orders.c */
int sw__promo_load(struct sw_ctx *ctx, int64_t rid, struct sw_promotion_row *p,
                   struct sw_error *err) SW_MUSTCHECK;
/* Moves p by ev (refusal with the order named otherwise), records the transition with its
 * cause and the event that announces it (type, payload = the order), and writes p. */
int sw__promo_move(struct sw_ctx *ctx, struct sw_promotion_row *p, enum sw_promo_event ev,
                   const char *cause, const char *event, struct sw_error *err) SW_MUSTCHECK;
/* Completes a running (or abnormal) order now: completion, final_at, the finalize timer. */
int sw__promo_complete(struct sw_ctx *ctx, struct sw_promotion_row *p, enum sw_promo_event ev,
                       struct sw_error *err) SW_MUSTCHECK;

/* render.c */
/* The order as the API shows it at instant now (history given: stolen). */
json_t *sw__promo_render(const struct sw_promotion_row *p, json_t *history, sw_instant now);

/* exposure.c: the writer's cache of the orders still counting (running, abnormal, completed
 * and not final) and their dedupe sets. */
struct sw_promo_state;
struct sw_promo_state *sw__promo_state(struct sw_engine *e);
int sw__promo_state_attach(struct sw_engine *e) SW_MUSTCHECK;
/* Re-reads one order into the cache after a change (or drops it: final, never ran). */
int sw__promo_cache_refresh(struct sw_ctx *ctx, int64_t rid, struct sw_error *err) SW_MUSTCHECK;
int sw__promo_ingest(struct sw_ctx *ctx, const json_t *in, json_t **result,
                     struct sw_error *err) SW_MUSTCHECK;
/* Registers impressions.ingest and its prepare hook. */
int sw__promo_ingest_register(struct sw_engine *e) SW_MUSTCHECK;

#endif
