/* Work on the queues (docs/queue.md): claims, internal notes and four-eyes approval.
 *
 * Claims. An operator claims a queue item (a violation, appeal, rectification report,
 * qualification, filing, promotion, affiliate order or store: any id) for the policy's
 * queue.claim_minutes, or the minutes it names up to queue.claim_max_minutes. While the claim
 * is live (its end after the command's instant), every decision on that item by another key is
 * refused (claimed); the holder claiming again extends it; the holder or an admin releases it.
 * An item nobody holds is decided as before.
 *
 * Notes. Staff write notes on a store or a queue item; only staff read them, and their events
 * belong to no store's partition, so no store ever sees one.
 *
 * Approvals. An operator's decision that deducts more than approvals.deduction_above_fen,
 * refunds more than approvals.refund_above_fen, or clears a store, is not applied: it is
 * worked out, undone, and kept as a pending approval holding the decision's command and body
 * and the amounts it moved. Another key's approve applies that very command, and only if it
 * moves exactly the amounts approved (otherwise state_conflict: decide again); the key that
 * asked cannot approve it (self_approval). A rejection drops it.
 *
 * Commands: queue.claim {item, minutes?}, queue.release {item}, note.add {subject, text},
 * approval.approve {id, note?}, approval.reject {id, reason}.
 * Events: queue.claimed, queue.released, note.added, approval.requested, approval.approved,
 * approval.rejected (none in a store's partition). */
#ifndef SW_DOMAIN_QUEUE_H
#define SW_DOMAIN_QUEUE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"

#define SW_NOTE_MAX_BYTES 4000

/* Registers the commands and wraps the other modules' decisions: call it last. */
int sw_queue_register(struct sw_engine *e) SW_MUSTCHECK;
/* Whether the approval gate may hold this command (its answer is then {approval}, 202). */
bool sw_queue_gated(const char *type);
/* Whether a store may read this event (never any of this module's). */
bool sw_queue_store_sees_event(const char *type);

/* Reads, on a read connection; `now` is the engine clock's instant. */
/* {claims, next_after, has_more}: live claims by item after `after`. */
int sw_queue_claims(struct sw_conn *c, int64_t now, const char *after, int limit, json_t **out,
                    struct sw_error *err) SW_MUSTCHECK;
/* Sets claimed_by (the holder's key id, or null) and claimed_until on every object of items
 * that has an "id". */
int sw_queue_annotate(struct sw_conn *c, int64_t now, json_t *items,
                      struct sw_error *err) SW_MUSTCHECK;
/* {notes, next_after, has_more}: the notes on subject, oldest first, after note `after`. */
int sw_queue_notes(struct sw_conn *c, const char *subject, const char *after, int limit,
                   json_t **out, struct sw_error *err) SW_MUSTCHECK;
int sw_queue_get_approval(struct sw_conn *c, const char *id, json_t **out,
                          struct sw_error *err) SW_MUSTCHECK;
/* {approvals, next_after, has_more}: of status (NULL: pending), oldest first. */
int sw_queue_approvals(struct sw_conn *c, const char *status, const char *after, int limit,
                       json_t **out, struct sw_error *err) SW_MUSTCHECK;
int sw_queue_approvals_pending(struct sw_conn *c, int64_t *n, struct sw_error *err) SW_MUSTCHECK;

/* The queue as a read model of every partition's events (cluster mode, model.c), in a
 * node's own database, never a partition's. */
int sw_queue_model_open(struct sw_conn *c, struct sw_error *err) SW_MUSTCHECK;
int sw_queue_model_clear(struct sw_conn *c, struct sw_error *err) SW_MUSTCHECK;
/* Takes in partition p's next event (ev: as the feed gives it to staff); each partition's
 * events in their order, each once. */
int sw_queue_model_apply(struct sw_conn *c, int p, const json_t *ev,
                         struct sw_error *err) SW_MUSTCHECK;
/* GET /v1/queue's answer but for affiliate_alerts: every partition's items, pending violations
 * by id after `after` (a violation id) up to limit, the other lists their first limit. */
int sw_queue_model_read(struct sw_conn *c, int64_t now, const char *after, int limit, json_t **out,
                        struct sw_error *err) SW_MUSTCHECK;
/* sw_queue_annotate from the model's claims. */
int sw_queue_model_annotate(struct sw_conn *c, int64_t now, json_t *items,
                            struct sw_error *err) SW_MUSTCHECK;

#endif
