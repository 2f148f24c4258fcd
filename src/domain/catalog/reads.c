/* The catalog's reads: a product's stored text and version, a store, the store and product
 * lists. They read the store directly (no command context) and are safe on any connection. */
#include "domain/catalog/catalog.h"
#include "domain/catalog/catalog_int.h"

#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "base/money.h"
#include "store/catalog_sql.h"

#define PRODUCT_IDMAP SW__PRODUCT_IDMAP
#define STORE_PRODUCTS SW__STORE_PRODUCTS

int sw_catalog_get_product_text(struct sw_engine *e, struct sw_conn *c, const char *id, char **out,
                                char merchant_out[72], int64_t *version_out, struct sw_error *err)
{
    uint64_t rid;
    bool found = false;
    struct sw_product_row p;
    char *doc = NULL;
    if (sw_idmap_get(sw_engine_find_idmap(e, PRODUCT_IDMAP), id, &rid)) {
        int rc = sw_sql_product_get_text(c, (int64_t)rid, &p, &doc, &found, err);
        if (rc)
            return rc;
    }
    if (!found)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown product '%s'", id);
    snprintf(merchant_out, 72, "%s", p.merchant);
    if (version_out)
        *version_out = p.version;
    *out = sw__catalog_render_product_text(&p, doc);
    free(doc);
    return *out ? SW_OK : sw_fail(err, SW_E_INTERNAL, NULL, "product too large to render");
}

int sw_catalog_product_version(struct sw_engine *e, struct sw_conn *c, const char *id,
                               int64_t *version, int64_t *scanned, struct sw_error *err)
{
    uint64_t rid;
    if (!sw_idmap_get(sw_engine_find_idmap(e, PRODUCT_IDMAP), id, &rid))
        return sw_fail(err, SW_E_NOT_FOUND, "product", "unknown product '%s'", id);
    return sw_sql_product_versions(c, (int64_t)rid, version, scanned, err);
}

int sw_catalog_get_merchant(struct sw_conn *c, const char *id, json_t **out, struct sw_error *err)
{
    struct sw_merchant_row m;
    int rc = sw__catalog_merchant_row(c, id, &m, err);
    if (rc)
        return rc;
    *out = sw__catalog_render_merchant(&m);
    json_decref(m.categories);
    return SW_OK;
}

int sw_catalog_list_merchants(struct sw_conn *c, const char *after, const char *status, int limit,
                              json_t **out, struct sw_error *err)
{
    enum sw_merchant_status ms;
    if (status && sw_merchant_status_parse(status, &ms) != SW_OK)
        return sw_fail(err, SW_E_INVALID_VALUE, "status", "unknown status '%s'", status);
    json_t *rows;
    int rc = sw_sql_merchants_list(c, after ? after : "", status, limit + 1, &rows, err);
    if (rc)
        return rc;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        char dep[24];
        json_object_set_new(
            r, "deposit_required",
            json_string(sw_money_format(
                json_integer_value(json_object_get(r, "deposit_required_fen")), dep)));
        json_object_set_new(r, "created_at",
                            sw_json_instant(json_integer_value(json_object_get(r, "created_at"))));
        json_object_set_new(r, "updated_at",
                            sw_json_instant(json_integer_value(json_object_get(r, "updated_at"))));
        /* the names of the holds, as the single GET and the spec give them */
        json_object_set_new(
            r, "holds", sw__catalog_holds_json(json_integer_value(json_object_get(r, "holds"))));
    }
    *out = json_object();
    sw_page_set(*out, "merchants", rows, (size_t)limit, "id");
    return SW_OK;
}

int sw_catalog_list_products(struct sw_engine *e, struct sw_conn *c, const char *merchant,
                             const char *status, const char *tag, const char *after, int limit,
                             json_t **out, struct sw_error *err)
{
    enum sw_product_status ps;
    if (status && sw_product_status_parse(status, &ps) != SW_OK)
        return sw_fail(err, SW_E_INVALID_VALUE, "status", "unknown status '%s'", status);
    unsigned tag_bit = tag ? sw_catalog_tag_parse(tag) : 0;
    if (tag && !tag_bit)
        return sw_fail(err, SW_E_INVALID_VALUE, "tag", "unknown tag '%s'", tag);
    /* The cursor is a product of this store: another store's answers as an unknown id does,
     * so a store cannot learn which ids exist elsewhere. */
    uint64_t after_rid = 0;
    if (after) {
        struct sw_product_row p = {0};
        bool found = false;
        int rc;
        if (sw_idmap_get(sw_engine_find_idmap(e, PRODUCT_IDMAP), after, &after_rid) &&
            (rc = sw_sql_product_get(c, (int64_t)after_rid, &p, &found, err)))
            return rc;
        json_decref(p.doc);
        if (!found || strcmp(p.merchant, merchant) != 0)
            return sw_fail(err, SW_E_INVALID_VALUE, "after", "unknown cursor '%s'", after);
    }
    if (limit > 201)
        limit = 201; /* a page of 200 and the row that says there is more */
    struct sw_idlist *list = sw_engine_find_idlist(e, STORE_PRODUCTS);
    json_t *arr = json_array();
    int64_t rids[200], cursor = (int64_t)after_rid;
    size_t n;
    /* With a filter a page of ids may hold few matches: read on until the page is
     * full or the store's list ends. */
    do {
        sw_idlist_page(list, merchant, cursor, rids, 200, &n);
        for (size_t i = 0; i < n && json_array_size(arr) < (size_t)limit; i++) {
            struct sw_product_row p;
            bool found;
            int rc = sw_sql_product_get(c, rids[i], &p, &found, err);
            if (rc) {
                json_decref(arr);
                return rc;
            }
            cursor = rids[i];
            if (!found)
                continue;
            if ((!status || strcmp(p.status, status) == 0) && (!tag_bit || (p.tags & tag_bit)))
                json_array_append_new(arr, sw__catalog_render_product(&p));
            json_decref(p.doc);
        }
    } while (n == 200 && json_array_size(arr) < (size_t)limit);
    *out = arr;
    return SW_OK;
}
