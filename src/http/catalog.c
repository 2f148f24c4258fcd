/* Merchant and product handlers. */
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

int sw__h_merchants_create(struct sw_req *r, struct sw_error *err)
{
    json_t *payload;
    int rc = sw__body_object(r, &payload, err);
    if (rc || (rc = sw__run_command(r, "merchant.create", payload, 201, err)))
        return rc;
    sw__locate(r, "/v1/merchants");
    return SW_OK;
}

int sw__h_merchants_list(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    int rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, PAGE_MAX, &limit, err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_catalog_list_merchants(c, sw__query_str(r, "after"), sw__query_str(r, "status"),
                                   (int)limit, &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

int sw__h_merchant_get(struct sw_req *r, struct sw_error *err)
{
    int rc = sw__own_merchant(r, r->params[0], err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_catalog_get_merchant(c, r->params[0], &r->resp, err);
    sw_pool_release(pool, c);
    sw__etag_of(r);
    return rc;
}

int sw__h_merchant_products(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    struct sw_conn *c;
    int rc = sw__store_list_open(r, &limit, &c, err);
    if (rc)
        return rc;
    json_t *rows = NULL;
    rc = sw_catalog_list_products(r->engine, c, r->params[0], sw__query_str(r, "status"),
                                  sw__query_str(r, "tag"), sw__query_str(r, "after"),
                                  (int)limit + 1, &rows, err);
    sw_pool_release(sw_engine_readers(r->engine), c);
    if (rc)
        return rc;
    r->resp = json_object();
    sw_page_set(r->resp, "products", rows, (size_t)limit, "id");
    return SW_OK;
}

/* ---------- products ---------- */

int sw__h_products_create(struct sw_req *r, struct sw_error *err)
{
    json_t *payload;
    int rc = sw__body_object(r, &payload, err);
    if (rc || (rc = sw__run_command(r, "product.create", payload, 201, err)))
        return rc;
    sw__locate(r, "/v1/products");
    return SW_OK;
}

int sw__h_product_get(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    char owner[72];
    int rc = sw_catalog_get_product_text(r->engine, c, r->params[0], &r->text_resp, owner, &r->etag,
                                         err);
    sw_pool_release(pool, c);
    r->text_is_json = true;
    if (rc == SW_OK && sw__is_merchant(r) && strcmp(owner, r->scope) != 0) {
        free(r->text_resp);
        r->text_resp = NULL;
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown product '%s'", r->params[0]);
    }
    return rc;
}

/* A refusal (422 listing_blocked) carries the findings that keep the product off sale, as the
 * review saw them (the command's own details). */
int sw__h_product_list(struct sw_req *r, struct sw_error *err)
{
    return sw__write_with_id(r, "product.list", "id", 200, err);
}

/* ---------- point in time (docs/point-in-time.md) ---------- */

int sw__h_merchant_get_at(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_catalog_merchant_at(r->engine, c, r->params[0], r->at_us, &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

int sw__h_product_get_at(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_catalog_product_at(r->engine, c, r->params[0], r->at_us, &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}
