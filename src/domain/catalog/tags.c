/* Product tags (marks other modules set on a product: the assurance badge) and what the badge
 * rules read of products and stores. */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "domain/catalog/catalog_int.h"

static const char *const tag_names[SW_TAG_COUNT] = {"assurance"};

const char *sw_catalog_tag_name(unsigned bit)
{
    for (int i = 0; i < SW_TAG_COUNT; i++)
        if (bit == 1u << i)
            return tag_names[i];
    return "?";
}

unsigned sw_catalog_tag_parse(const char *name)
{
    for (int i = 0; i < SW_TAG_COUNT; i++)
        if (strcmp(name, tag_names[i]) == 0)
            return 1u << i;
    return 0;
}

json_t *sw_catalog_tags_json(unsigned tags)
{
    json_t *a = json_array();
    for (int i = 0; i < SW_TAG_COUNT; i++)
        if (tags & (1u << i))
            json_array_append_new(a, json_string(tag_names[i]));
    return a;
}

static int product_by_id(struct sw_ctx *ctx, const char *id, struct sw_product_row *p,
                         struct sw_error *err)
{
    uint64_t rid;
    bool found = false;
    if (sw_ctx_idmap_get(ctx, sw_engine_find_idmap(ctx->engine, SW__PRODUCT_IDMAP), id, &rid)) {
        int rc = sw_sql_product_get(ctx->conn, (int64_t)rid, p, &found, err);
        if (rc)
            return rc;
    }
    return found ? SW_OK : sw_fail(err, SW_E_NOT_FOUND, "product", "unknown product '%s'", id);
}

int sw_catalog_set_tag(struct sw_ctx *ctx, const char *id, unsigned tag, bool on,
                       const char *reason, struct sw_error *err)
{
    struct sw_product_row p = {0};
    int rc = product_by_id(ctx, id, &p, err);
    if (rc)
        return rc;
    unsigned tags = (unsigned)p.tags, next = on ? tags | tag : tags & ~tag;
    if (next != tags) {
        p.tags = next;
        p.version++;
        p.updated_at = ctx->now;
        if ((rc = sw_sql_product_update(ctx->conn, &p, false, err)) == SW_OK)
            rc = sw_ctx_emit(ctx, on ? "product.tagged" : "product.untagged", p.merchant, p.id,
                             json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:o}", "id", p.id, "product", p.id,
                                       "merchant", p.merchant, "tag", sw_catalog_tag_name(tag),
                                       "reason", reason ? reason : "", "version",
                                       (json_int_t)p.version, "tags", sw_catalog_tags_json(next)),
                             err);
    }
    json_decref(p.doc);
    return rc;
}

int sw_catalog_product_services(struct sw_ctx *ctx, const char *id, json_t **after_sales,
                                unsigned *tags, struct sw_error *err)
{
    struct sw_product_row p = {0};
    int rc = product_by_id(ctx, id, &p, err);
    if (rc)
        return rc;
    json_t *as = json_object_get(p.doc, "after_sales");
    *after_sales = json_is_array(as) ? json_incref(as) : json_array();
    *tags = (unsigned)p.tags;
    json_decref(p.doc);
    return SW_OK;
}

int sw_catalog_merchant_categories(struct sw_ctx *ctx, const char *merchant, json_t **out,
                                   struct sw_error *err)
{
    struct sw_merchant_row m;
    int rc = sw__catalog_load_merchant(ctx, merchant, &m, err);
    if (rc)
        return rc;
    *out = m.categories; /* the row's reference, handed over */
    return SW_OK;
}
