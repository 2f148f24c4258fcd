/* Access: the order record kept from the platform's order feed, third-party apps' access to a
 * store's orders by the store's grant (授权), and carriers' tracking events (RULES.md §3).
 *
 * Commands: order.event (ingest: one feed event, idempotent by event id), grant.set (the
 * store grants or revokes an app), order.access (an app's read: allowed only while the grant
 * is on; every allowed read is an event, refusals at most one per app, store and minute: the
 * adapter counts the rest and hands the count to the next one, suppressed_denials),
 * order.logistics (ingest: one tracking event).
 * Events: order.created, order.updated, grant.granted, grant.revoked, order.accessed,
 * order.access_denied, order.tracking.
 *
 * Buyer data never reaches this module in clear text: the adapter masks it and seals the
 * clear copy (base/pii.h) before the command exists, so neither the command log nor the
 * tables hold it. */
#ifndef SW_DOMAIN_ACCESS_H
#define SW_DOMAIN_ACCESS_H

#include <jansson.h>

#include "engine/engine.h"

int sw_access_register(struct sw_engine *e) SW_MUSTCHECK;

/* Reads (read connection). merchant_out receives the order's store, for authorisation. */
int sw_access_get_order(struct sw_engine *e, struct sw_conn *c, const char *id, json_t **out,
                        char merchant_out[72], struct sw_error *err) SW_MUSTCHECK;
int sw_access_list_orders(struct sw_engine *e, struct sw_conn *c, const char *merchant,
                          const char *after, int limit, json_t **out,
                          struct sw_error *err) SW_MUSTCHECK;
/* Tracking events in time order. */
int sw_access_logistics(struct sw_engine *e, struct sw_conn *c, const char *id, json_t **out,
                        char merchant_out[72], struct sw_error *err) SW_MUSTCHECK;
/* One app's grant on a store: status "granted", "revoked" or "" (never granted) and version
 * (0 when never granted). */
int sw_access_grant_state(struct sw_conn *c, const char *merchant, const char *app, char status[16],
                          int64_t *version, struct sw_error *err) SW_MUSTCHECK;
/* {merchant, grants, next_after, has_more}: a store's grants by app after `after` (NULL =
 * start). */
int sw_access_grants(struct sw_conn *c, const char *merchant, const char *after, int limit,
                     json_t **out, struct sw_error *err) SW_MUSTCHECK;

#endif
