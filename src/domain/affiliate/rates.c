/* An item's counts over every promoter (conversion_outlier, affiliate.h): this database's own
 * promoters' orders, and the counts other sources announced. A database announces its own
 * count of an item when it changes (event affiliate.item_counted), and takes others' counts
 * from command affiliate.item_rates (the engine's own: in cluster mode the node that owns a
 * partition sends it the other partitions' counts of the items its promoters sell; in
 * single-node mode nothing sends it, and the own counts are every promoter's). A source's counts
 * carry the seq of the event that announced them: an older one than kept changes nothing, so
 * the same counts told twice, or late, are harmless. */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "domain/affiliate/affiliate_int.h"

#define RATE_ITEMS_MAX 1000
#define RATE_SOURCES_MAX 4096

int sw__aff_counted(struct sw_ctx *ctx, const char *item, int64_t paid, int64_t confirmed,
                    struct sw_error *err)
{
    int64_t p0 = 0, c0 = 0;
    bool found = false;
    int rc = sw_sql_aff_counted_get(ctx->conn, item, &p0, &c0, &found, err);
    if (rc || (found && p0 == paid && c0 == confirmed) || (!found && paid == 0 && confirmed == 0))
        return rc;
    if ((rc = sw_sql_aff_counted_put(ctx->conn, item, paid, confirmed, err)))
        return rc;
    return sw_ctx_emit(ctx, "affiliate.item_counted", NULL, item,
                       json_pack("{s:s,s:I,s:I}", "item", item, "paid", (json_int_t)paid,
                                 "confirmed", (json_int_t)confirmed),
                       err);
}

int sw__aff_others(struct sw_ctx *ctx, const char *item, int64_t *paid, int64_t *confirmed,
                   struct sw_error *err)
{
    return sw_sql_aff_sources_sum(ctx->conn, item, paid, confirmed, err);
}

/* One source's counts of an item: {"source", "seq", "paid", "confirmed"}. */
static int take_source(struct sw_ctx *ctx, const char *item, const json_t *src, const char *path,
                       bool *changed, struct sw_error *err)
{
    const char *source = NULL;
    int64_t seq = 0, paid = 0, confirmed = 0;
    struct sw_jfield f[] = {
        {"source", SW_J_STR, SW_J_REQUIRED, &source, 64, NULL},
        {"seq", SW_J_INT, SW_J_REQUIRED, &seq, 0, NULL},
        {"paid", SW_J_INT, SW_J_REQUIRED, &paid, 0, NULL},
        {"confirmed", SW_J_INT, SW_J_REQUIRED, &confirmed, 0, NULL},
    };
    int rc = sw_json_read(src, path, f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    if (seq < 1 || paid < 0 || confirmed < 0 || confirmed > paid)
        return sw_fail(err, SW_E_INVALID_VALUE, path,
                       "a source's seq is positive and its counts 0 <= confirmed <= paid");
    bool one = false;
    rc = sw_sql_aff_source_merge(ctx->conn, item, source, seq, paid, confirmed, &one, err);
    *changed |= one;
    return rc;
}

/* {"item", "sources": [...]}: the item's rule run again when a source's counts changed; the
 * orders whose flags it changed join flagged. */
static int take_item(struct sw_ctx *ctx, const json_t *x, size_t i, json_t *flagged,
                     int64_t *changed_items, struct sw_error *err)
{
    char path[64];
    snprintf(path, sizeof path, "items[%zu]", i);
    const char *item = NULL;
    const json_t *sources = NULL;
    struct sw_jfield f[] = {
        {"item", SW_J_STR, SW_J_REQUIRED, &item, 256, NULL},
        {"sources", SW_J_ANY, SW_J_REQUIRED, &sources, 0, NULL},
    };
    int rc = sw_json_read(x, path, f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    if (!json_is_array(sources) || json_array_size(sources) > RATE_SOURCES_MAX)
        return sw_fail(err, SW_E_INVALID_VALUE, path, "sources must be an array of at most %d",
                       RATE_SOURCES_MAX);
    bool changed = false;
    for (size_t k = 0; rc == SW_OK && k < json_array_size(sources); k++) {
        char sp[96];
        snprintf(sp, sizeof sp, "%s.sources[%zu]", path, k);
        rc = take_source(ctx, item, json_array_get(sources, k), sp, &changed, err);
    }
    if (rc || !changed)
        return rc;
    ++*changed_items;
    return sw__aff_conversion(ctx, item, flagged, err);
}

static int item_rates(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const json_t *items = NULL;
    struct sw_jfield f[] = {{"items", SW_J_ANY, SW_J_REQUIRED, &items, 0, NULL}};
    int rc = sw_json_read(in, "", f, 1, true, err);
    if (rc)
        return rc;
    if (!ctx->actor || strcmp(ctx->actor, "system") != 0)
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only the engine reports other sources' counts");
    if (!json_is_array(items) || json_array_size(items) == 0 ||
        json_array_size(items) > RATE_ITEMS_MAX)
        return sw_fail(err, SW_E_INVALID_VALUE, "items", "items must be an array of 1 to %d items",
                       RATE_ITEMS_MAX);
    json_t *flagged = json_object();
    int64_t changed = 0;
    for (size_t i = 0; rc == SW_OK && i < json_array_size(items); i++)
        rc = take_item(ctx, json_array_get(items, i), i, flagged, &changed, err);
    const char *order;
    json_t *v;
    json_object_foreach(flagged, order, v)
    {
        if (rc == SW_OK)
            rc = sw__aff_refold(ctx, order, NULL, err);
    }
    if (rc == SW_OK)
        *result =
            json_pack("{s:I,s:I,s:I}", "items", (json_int_t)json_array_size(items), "changed",
                      (json_int_t)changed, "orders_flagged", (json_int_t)json_object_size(flagged));
    json_decref(flagged);
    return rc;
}

int sw__aff_rates_register(struct sw_engine *e)
{
    return sw_engine_register(e, "affiliate.item_rates", item_rates);
}
