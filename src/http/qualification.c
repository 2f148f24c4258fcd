/* Industry qualification handlers. */
#include <string.h>

#include "base/json.h"
#include "domain/catalog/catalog.h"
#include "domain/qualification/qualification.h"
#include "http/handlers.h"

int sw__h_qualification_submit(struct sw_req *r, struct sw_error *err)
{
    int rc = sw__own_merchant(r, r->params[0], err);
    if (rc || (rc = sw__write_with_id(r, "qualification.submit", "merchant", 201, err)))
        return rc;
    sw__locate(r, "/v1/qualifications");
    return SW_OK;
}

int sw__h_qualifications_list(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    int rc = sw__own_merchant(r, r->params[0], err);
    if (rc || (rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, 200, &limit, err)))
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    json_t *m = NULL;
    /* an unknown store is 404, not an empty list */
    rc = sw_catalog_get_merchant(c, r->params[0], &m, err);
    json_decref(m);
    if (rc == SW_OK)
        rc = sw_qualification_list(c, r->params[0], sw__query_str(r, "status"),
                                   sw__query_str(r, "code"), sw__query_str(r, "after"), (int)limit,
                                   sw__viewer(r), &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

int sw__h_qualification_get(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->srv->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_qualification_get(c, r->params[0], sw__viewer(r), &r->resp, err);
    sw_pool_release(pool, c);
    sw__etag_of(r);
    return rc;
}
