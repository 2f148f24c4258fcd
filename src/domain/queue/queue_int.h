/* Shared between the queue module's files. */
#ifndef SW_DOMAIN_QUEUE_INT_H
#define SW_DOMAIN_QUEUE_INT_H

#include "domain/queue/queue.h"
#include "store/queue_sql.h"

/* claims.c: claimed (409) when a key other than the actor's holds a live claim on item. The
 * engine's own commands (no key) pass. */
int sw__queue_check_claim(struct sw_ctx *ctx, const char *item, struct sw_error *err) SW_MUSTCHECK;
int sw__queue_claims_register(struct sw_engine *e) SW_MUSTCHECK;
/* approvals.c */
int sw__queue_approvals_register(struct sw_engine *e) SW_MUSTCHECK;
json_t *sw__approval_render(const struct sw_approval_row *a);
void sw__approval_id(int64_t rid, char out[24]);

#endif
