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
    struct sw_conn *c;
    int rc = sw__store_list_open(r, &limit, &c, err);
    if (rc)
        return rc;
    rc =
        sw_qualification_list(c, r->params[0], sw__query_str(r, "status"), sw__query_str(r, "code"),
                              sw__query_str(r, "after"), (int)limit, sw__viewer(r), &r->resp, err);
    if (rc == SW_OK)
        rc = sw__queue_annotate(r, c, json_object_get(r->resp, "qualifications"), err);
    sw_pool_release(sw_engine_readers(r->engine), c);
    return rc;
}

int sw__h_qualification_get(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_qualification_get(c, r->params[0], sw__viewer(r), &r->resp, err);
    sw_pool_release(pool, c);
    sw__etag_of(r);
    return rc;
}
