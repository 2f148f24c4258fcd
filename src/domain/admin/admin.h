/* Administrative commands: API keys (stored hashed) and maintenance mode, so that both are
 * in the command log and the audit log like every other change. */
#ifndef SW_DOMAIN_ADMIN_H
#define SW_DOMAIN_ADMIN_H

#include <stdbool.h>

#include "engine/engine.h"

#define SW_ROLE_MAX 80
#define SW_MAINT_REASON_MAX 512 /* bytes of the maintenance reason */

/* Commands: key.create {id, role, hash (64 hex)}, key.revoke {id},
 * admin.maintenance {enabled, retry_after_s, reason}. Events: key.created, key.revoked,
 * admin.maintenance_changed. */
int sw_admin_register(struct sw_engine *e) SW_MUSTCHECK;
/* policy.activate {policy document} (admin, cli): validates like `shopwarden policy check`
 * (policy_invalid), refuses a version already used with another document (state_conflict),
 * answers {from, to, activated} (activated false: that very policy is in force already,
 * nothing changes) and emits policy.activated {from, to} (policy.c). */
int sw__admin_policy_register(struct sw_engine *e) SW_MUSTCHECK;

/* The manual clock moved to `to` (POST /v1/admin/clock, `shopwarden tick`) having fired
 * `fired` timers, logged as admin.clock {now, outcome: {timers_fired}} by `who`'s actor, key
 * and idempotency key (which may be NULL), so that a replay's timers follow every move: a
 * deadline a draft policy moves to this very instant fires before a command at it, as it would
 * have on the server. fired < 0 asks whether the key recorded a move already (SW_E_NOT_FOUND:
 * no, and nothing is logged). On success, *result is the answer ({now, timers_fired}) and
 * *replayed whether it is an earlier move's under the same key. */
int sw_admin_clock_record(struct sw_engine *e, const struct sw_cmd *who, sw_instant to, int fired,
                          json_t **result, bool *replayed, struct sw_error *err) SW_MUSTCHECK;

/* admin | operator | ingest | merchant:<id> | promoter:<id> | app:<id> */
/* The roles a key may have, as the refusals of a bad one say them. */
#define SW_ROLES_TEXT                                                                              \
    "admin, operator, ingest, merchant:<id>, promoter:<id>, app:<id>, streamer:<id> or "           \
    "analyst:<name>"
bool sw_role_valid(const char *role);

/* Reads the persisted maintenance state (meta table); reason (SW_MAINT_REASON_MAX + 1 bytes)
 * receives the reason given with the last change, "" when none. */
int sw_admin_maintenance_state(struct sw_conn *c, bool *enabled, int *retry_after_s, char *reason,
                               struct sw_error *err) SW_MUSTCHECK;

#endif
