/* Product tags: a product carries "assurance" while its store's badge is active, it is not
 * banned, and its own after_sales cover the base services plus its category's extras. Every
 * change that can move that is followed in the same transaction. */
#include <string.h>

#include "domain/badge/badge_int.h"
#include "domain/catalog/catalog.h"

static int store_active(struct sw_ctx *ctx, const char *merchant, bool *active,
                        struct sw_error *err)
{
    struct sw_badge_row b = {0};
    bool stored = false;
    int rc = sw_sql_badge_get(ctx->conn, merchant, &b, &stored, err);
    *active = rc == SW_OK && stored && strcmp(b.state, "active") == 0;
    if (stored)
        sw_badge_row_release(&b);
    return rc;
}

int sw__badge_sync_product(struct sw_ctx *ctx, const char *product, bool active, const char *reason,
                           struct sw_error *err)
{
    struct sw_product_info pi;
    json_t *as = NULL;
    unsigned tags = 0;
    int rc = sw_catalog_product_info(ctx, product, &pi, err);
    if (rc)
        return rc;
    json_decref(pi.findings);
    if ((rc = sw_catalog_product_services(ctx, product, &as, &tags, err)))
        return rc;
    bool want = false;
    if (active && pi.status != SW_PRODUCT_BANNED) {
        json_t *need = sw_policy_badge_services(ctx->policy, pi.category);
        json_t *lack = sw__badge_lacking(as, need);
        want = json_array_size(lack) == 0;
        json_decref(lack);
        json_decref(need);
    }
    json_decref(as);
    if (want == ((tags & SW_TAG_ASSURANCE) != 0))
        return SW_OK;
    return sw_catalog_set_tag(ctx, product, SW_TAG_ASSURANCE, want, reason, err);
}

struct sync {
    bool active;
    const char *reason;
};

static int sync_one(struct sw_ctx *ctx, const char *product, void *arg, struct sw_error *err)
{
    const struct sync *s = arg;
    return sw__badge_sync_product(ctx, product, s->active, s->reason, err);
}

int sw__badge_sync_store(struct sw_ctx *ctx, const char *merchant, bool active, const char *reason,
                         struct sw_error *err)
{
    struct sync s = {active, reason};
    return sw_catalog_each_store_product(ctx, merchant, sync_one, &s, err);
}

static bool changed(const json_t *payload, const char *field)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(payload, "changed"), i, v)
    {
        if (strcmp(json_string_value(v), field) == 0)
            return true;
    }
    return false;
}

static int on_product(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    const char *reason = NULL;
    if (strcmp(ev->type, "product.updated") == 0) {
        if (changed(ev->payload, "after_sales"))
            reason = "after_sales_changed";
        else if (changed(ev->payload, "category"))
            reason = "category_changed";
        else
            return SW_OK;
    } else if (strcmp(ev->type, "product.banned") == 0) {
        reason = "product_banned";
    } else if (strcmp(ev->type, "product.unbanned") == 0) {
        reason = "product_unbanned";
    } else {
        reason = "product_created";
    }
    bool active = false;
    int rc = ev->merchant && ev->subject ? store_active(ctx, ev->merchant, &active, err) : SW_OK;
    if (rc || !ev->subject)
        return rc;
    /* a product of a store without an active badge has no tag to lose (untagged at suspension
     * or closing): nothing to look at */
    if (!active && strcmp(ev->type, "product.created") == 0)
        return SW_OK;
    return sw__badge_sync_product(ctx, ev->subject, active, reason, err);
}

int sw__badge_products_register(struct sw_engine *e)
{
    static const char *const types[] = {"product.updated", "product.banned", "product.unbanned"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        int rc = sw_engine_subscribe(e, types[i], on_product);
        if (rc)
            return rc;
    }
    /* a creation is read by its ids alone (the payload is the whole product) */
    return sw_engine_subscribe_ids(e, "product.created", on_product);
}
