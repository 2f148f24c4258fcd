/* Affiliate handlers: the order feed, orders, held events. */
#include <string.h>

#include "base/json.h"
#include "domain/affiliate/affiliate.h"
#include "http/handlers.h"

int sw__h_affiliate_events(struct sw_req *r, struct sw_error *err)
{
    json_t *payload;
    int rc = sw__body_object(r, &payload, err);
    if (rc)
        return rc;
    r->log_body = true; /* logged as sent: a 10,000-event batch not dumped again on the writer */
    r->result_on_top = true;
    return sw__run_command(r, "affiliate.ingest", payload, 200, err);
}

static const char *promoter_viewer(const struct sw_req *r)
{
    return r->role_bit == ROLE_PROMOTER ? r->role : NULL;
}

int sw__h_affiliate_order_get(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_affiliate_order_get(c, r->params[0], promoter_viewer(r), &r->resp, err);
    sw_pool_release(pool, c);
    sw__etag_of(r);
    return rc;
}

/* What every affiliate list reads: limit, and (promoter not NULL) the promoter filter, which a
 * promoter's key replaces with its own, as every list does. */
static int list_params(struct sw_req *r, int64_t *limit, const char **promoter,
                       struct sw_error *err)
{
    int rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, 200, limit, err);
    if (rc || !promoter)
        return rc;
    *promoter = sw__query_str(r, "promoter");
    if (*promoter && !sw_id_valid(*promoter))
        return sw_fail(err, SW_E_INVALID_VALUE, "promoter", "'%s' is not a promoter id", *promoter);
    if (r->role_bit == ROLE_PROMOTER)
        *promoter = r->scope;
    return SW_OK;
}

int sw__h_affiliate_orders(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    const char *promoter = NULL;
    int rc = list_params(r, &limit, &promoter, err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_affiliate_order_list(c, promoter, sw__query_str(r, "status"), sw__query_str(r, "after"),
                                 (int)limit, &r->resp, err);
    if (rc == SW_OK)
        rc = sw__queue_annotate(r, c, json_object_get(r->resp, "orders"), err);
    sw_pool_release(pool, c);
    return rc;
}

int sw__h_affiliate_held(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    int rc = list_params(r, &limit, NULL, err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_affiliate_held(c, sw__query_str(r, "after"), (int)limit, &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

int sw__h_affiliate_statements(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    const char *promoter = NULL;
    int rc = list_params(r, &limit, &promoter, err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_affiliate_statements(c, promoter, sw__query_str(r, "month"), sw__query_str(r, "after"),
                                 (int)limit, &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

/* JSON, or CSV for a client that asks for text/csv. */
int sw__h_affiliate_statement_get(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_affiliate_statement_get(
        c, r->params[0], r->role_bit == ROLE_PROMOTER ? r->scope : NULL, &r->resp, err);
    sw_pool_release(pool, c);
    const char *accept = sw__req_header(r, "Accept");
    if (rc == SW_OK && accept && strstr(accept, "text/csv")) {
        char *csv = sw_affiliate_statement_csv(r->resp);
        if (!csv)
            return sw_fail(err, SW_E_INTERNAL, NULL, "cannot render the statement");
        json_decref(r->resp);
        r->resp = NULL;
        r->text_resp = csv;
        r->text_type = "text/csv; charset=utf-8";
    }
    return rc;
}

int sw__h_promoter_put(struct sw_req *r, struct sw_error *err)
{
    int rc = sw__write_with_id(r, "affiliate.promoter_put", "id", 200, err);
    json_t *res = json_object_get(r->resp, "result");
    if (rc == SW_OK && json_integer_value(json_object_get(res, "version")) == 1) {
        r->status = 201;
        sw__locate(r, "/v1/promoters");
    }
    return rc;
}

int sw__h_affiliate_alerts(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    int rc = list_params(r, &limit, NULL, err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_affiliate_alerts(c, sw__query_str(r, "after"), (int)limit, &r->resp, err);
    if (rc == SW_OK)
        rc = sw__queue_annotate(r, c, json_object_get(r->resp, "alerts"), err);
    sw_pool_release(pool, c);
    return rc;
}

int sw__h_affiliate_order_get_at(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_affiliate_order_get_at(r->engine, c, r->params[0], promoter_viewer(r), r->at_us,
                                       &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}
