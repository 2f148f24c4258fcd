/* Quick promotion handlers: orders and the impressions feed. */
#include <string.h>

#include "base/json.h"
#include "domain/promotion/promotion.h"
#include "http/handlers.h"

/* A store buys for itself: the key names the store. */
int sw__h_promotion_create(struct sw_req *r, struct sw_error *err)
{
    json_t *payload;
    int rc = sw__body_object(r, &payload, err);
    if (rc)
        return rc;
    if (sw__is_merchant(r) && (rc = sw__put_key_store(payload, r, err))) {
        json_decref(payload);
        return rc;
    }
    if ((rc = sw__run_command(r, "promotion.create", payload, 201, err)))
        return rc;
    sw__locate(r, "/v1/promotions");
    return SW_OK;
}

int sw__h_promotion_get(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_promotion_get(c, r->params[0], sw__viewer(r),
                              sw_clock_now(sw_engine_clock(r->engine)), &r->resp, err);
    sw_pool_release(pool, c);
    sw__etag_of(r);
    return rc;
}

int sw__h_promotions_list(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    const char *merchant = sw__query_str(r, "merchant");
    int rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, 200, &limit, err);
    if (rc)
        return rc;
    if (merchant && !sw_id_valid(merchant))
        return sw_fail(err, SW_E_INVALID_VALUE, "merchant", "'%s' is not a store id", merchant);
    if (sw__is_merchant(r))
        merchant = r->scope; /* a store sees its own, as every list does */
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_promotion_list(c, merchant, sw__query_str(r, "status"), sw__query_str(r, "after"),
                           (int)limit, sw__viewer(r), sw_clock_now(sw_engine_clock(r->engine)),
                           &r->resp, err);
    if (rc == SW_OK)
        rc = sw__queue_annotate(r, c, json_object_get(r->resp, "promotions"), err);
    sw_pool_release(pool, c);
    return rc;
}

/* The counts go at the top of the answer too: {counted, duplicate, ..., result, command_seq}.
 * A body of the plain shape is read without a JSON tree (the command's payload is then {} and
 * its log holds the body as sent); with an Idempotency-Key the payload is the parsed body, since
 * a repeat is compared with what was logged. */
int sw__h_impressions(struct sw_req *r, struct sw_error *err)
{
    void *hint = NULL;
    if (r->body.len && !MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Idempotency-Key"))
        hint = sw_promotion_impressions_hint(r->body.data, r->body.len);
    json_t *payload = hint ? json_object() : NULL;
    int rc = hint ? SW_OK : sw__body_object(r, &payload, err);
    if (rc)
        return rc;
    r->log_body = true; /* logged as sent: not dumped again on the single writer */
    r->result_on_top = true;
    r->cmd_hint = hint;
    rc = sw__run_command(r, "impressions.ingest", payload, 200, err);
    r->cmd_hint = NULL;
    sw_promotion_impressions_hint_free(hint);
    return rc;
}

int sw__h_promotion_get_at(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc =
        sw_promotion_get_at(r->engine, c, r->params[0], sw__viewer(r), r->at_us, &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}
