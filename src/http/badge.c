/* Assurance badge handlers: a store's services, its badge and its notifications. */
#include "domain/badge/badge.h"
#include "http/handlers.h"

int sw__h_services_put(struct sw_req *r, struct sw_error *err)
{
    int rc = sw__own_merchant(r, r->params[0], err);
    return rc ? rc : sw__write_with_id(r, "badge.services_set", "merchant", 200, err);
}

int sw__h_badge_get(struct sw_req *r, struct sw_error *err)
{
    int rc = sw__own_merchant(r, r->params[0], err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_badge_get(r->engine, c, r->params[0], &r->resp, err);
    sw_pool_release(pool, c);
    sw__etag_of(r);
    return rc;
}

int sw__h_notifications(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    struct sw_conn *c;
    int rc = sw__store_list_open(r, &limit, &c, err);
    if (rc)
        return rc;
    rc = sw_badge_notifications(c, r->params[0], sw__query_str(r, "after"), (int)limit, &r->resp,
                                err);
    sw_pool_release(sw_engine_readers(r->engine), c);
    return rc;
}

int sw__h_badge_get_at(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_badge_get_at(r->engine, c, r->params[0], r->at_us, &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}
