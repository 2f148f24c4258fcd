/* Order, logistics and grant handlers (third-party access to a store's orders). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/money.h"
#include "base/pii.h"
#include "domain/access/access.h"
#include "domain/catalog/catalog.h"
#include "domain/penalty/penalty.h"
#include "http/handlers.h"
#include "scan/scan.h"
#include "store/journal.h"

/* The feed's buyer data in clear text never becomes part of a command: it is masked here and
 * sealed to the buyer-data public key (base/pii.h); a client cannot send the masked or sealed
 * forms itself. The engine keys the event by its event_id alone, whoever sends it. */
int sw__h_order_events(struct sw_req *r, struct sw_error *err)
{
    json_t *payload;
    int rc = sw__body_object(r, &payload, err);
    if (rc)
        return rc;
    if ((rc = sw_pii_seal_buyer(r->srv->has_buyer_key ? r->srv->buyer_pk : NULL, payload, err))) {
        json_decref(payload);
        return rc;
    }
    return sw__run_command(r, "order.event", payload, 200, err);
}

/* An app key reads only what a store granted it; the check is a command, so a revoke
 * committed before is seen, and attempts are in the audit log: every allowed read, and the
 * first refusal per store and minute (the next ones there are only counted, ratelimit.c). */
static int app_access(struct sw_req *r, const char *merchant, const char *order, const char *what,
                      struct sw_error *err)
{
    int64_t carried = 0;
    if (sw__denial_suppressed(r, merchant, &carried))
        return sw_fail(err, SW_E_AUTHORIZATION_CLOSED, NULL,
                       "store '%s' has not granted this app access to its orders", merchant);
    json_t *p = json_pack("{s:s,s:s}", "what", what, "merchant", merchant);
    if (order)
        json_object_set_new(p, "order", json_string(order));
    if (carried)
        json_object_set_new(p, "suppressed_denials", json_integer(carried));
    struct sw_cmd cmd = {.type = "order.access",
                         .actor = r->role,
                         .actor_key = r->key_id,
                         .actor_label = r->key_label[0] ? r->key_label : NULL,
                         .merchant = merchant,
                         .payload = p};
    int rc = sw__execute(r, &cmd);
    if (rc) {
        *err = cmd.err;
        err->code = rc;
    } else if (!json_is_true(json_object_get(cmd.result, "allowed"))) {
        sw__denial_noted(r, merchant);
        rc = sw_fail(err, SW_E_AUTHORIZATION_CLOSED, NULL,
                     "store '%s' has not granted this app access to its orders", merchant);
    }
    sw_cmd_release(&cmd);
    json_decref(p);
    return rc;
}

int sw__h_orders_list(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    const char *merchant = sw__is_merchant(r) ? r->scope : sw__query_str(r, "merchant");
    int rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, 200, &limit, err);
    if (rc)
        return rc;
    if (!merchant || !sw_id_valid(merchant))
        return sw_fail(err, SW_E_MISSING_FIELD, "merchant", "name the store: ?merchant=<id>");
    if (sw__is_app(r) && (rc = app_access(r, merchant, NULL, "orders", err)))
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_access_list_orders(r->engine, c, merchant, sw__query_str(r, "after"), (int)limit,
                               &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

/* The order is read first: its store is what an app's access is checked against. */
static int h_order_read(struct sw_req *r, bool logistics, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    char owner[72];
    int rc = logistics ? sw_access_logistics(r->engine, c, r->params[0], &r->resp, owner, err)
                       : sw_access_get_order(r->engine, c, r->params[0], &r->resp, owner, err);
    sw_pool_release(pool, c);
    if (rc == SW_OK && sw__is_app(r))
        rc = app_access(r, owner, r->params[0], logistics ? "logistics" : "order", err);
    else if (rc == SW_OK && sw__is_merchant(r) && strcmp(owner, r->scope) != 0)
        rc = sw_fail(err, SW_E_NOT_FOUND, "id", "unknown order '%s'", r->params[0]);
    if (rc) {
        json_decref(r->resp);
        r->resp = NULL;
    }
    return rc;
}

int sw__h_order_get(struct sw_req *r, struct sw_error *err)
{
    int rc = h_order_read(r, false, err);
    sw__etag_of(r);
    return rc;
}

int sw__h_order_logistics_get(struct sw_req *r, struct sw_error *err)
{
    return h_order_read(r, true, err);
}

/* The engine keys a tracking event by its event_id alone, whoever sends it. */
int sw__h_order_logistics_post(struct sw_req *r, struct sw_error *err)
{
    return sw__write_with_id(r, "order.logistics", "id", 200, err);
}

int sw__h_grants_list(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    struct sw_conn *c;
    int rc = sw__store_list_open(r, &limit, &c, err);
    if (rc)
        return rc;
    rc = sw_access_grants(c, r->params[0], sw__query_str(r, "after"), (int)limit, &r->resp, err);
    sw_pool_release(sw_engine_readers(r->engine), c);
    return rc;
}

int sw__h_grant_post(struct sw_req *r, struct sw_error *err)
{
    json_t *payload;
    int rc = sw__body_object(r, &payload, err);
    if (rc)
        return rc;
    if (json_object_get(payload, "granted")) {
        json_decref(payload);
        return sw_fail(err, SW_E_UNKNOWN_FIELD, "granted",
                       "unknown field 'granted' (revoke with "
                       "DELETE)");
    }
    json_object_set_new(payload, "granted", json_true());
    if ((rc = sw__put_path_id(payload, "id", r->params[0], err))) {
        json_decref(payload);
        return rc;
    }
    return sw__run_command(r, "grant.set", payload, 200, err);
}

int sw__h_grant_delete(struct sw_req *r, struct sw_error *err)
{
    if (r->body.len > 0)
        return sw_fail(err, SW_E_BAD_REQUEST, NULL, "DELETE takes no body");
    if (!sw_id_valid(r->params[1]))
        return sw_fail(err, SW_E_NOT_FOUND, "app", "unknown app '%s'", r->params[1]);
    json_t *payload =
        json_pack("{s:s,s:s,s:b}", "id", r->params[0], "app", r->params[1], "granted", false);
    return sw__run_command(r, "grant.set", payload, 200, err);
}
