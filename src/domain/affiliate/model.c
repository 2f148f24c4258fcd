/* The item counts of every partition as a read model of events, for cluster mode
 * (docs/scale-out.md, "Affiliate"): a node keeps, per item and partition, the count the
 * partition last announced (affiliate.item_counted, rates.c), and the owner of a partition
 * sends it the other partitions' counts of the items its promoters sell (affiliate.item_rates),
 * so that conversion_outlier compares a promoter with the item's rate over every promoter. */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "domain/affiliate/affiliate_int.h"

int sw_affiliate_counts_model_open(struct sw_conn *c, struct sw_error *err)
{
    return sw_sql_aff_view_schema(c, err);
}

int sw_affiliate_counts_model_clear(struct sw_conn *c, struct sw_error *err)
{
    return sw_sql_aff_view_clear(c, err);
}

int sw_affiliate_counts_model_apply(struct sw_conn *c, int p, const json_t *ev,
                                    struct sw_error *err)
{
    if (strcmp(sw_json_str_or_empty(ev, "type"), "affiliate.item_counted") != 0)
        return SW_OK;
    const json_t *pl = json_object_get(ev, "payload");
    const char *item = json_string_value(json_object_get(pl, "item"));
    int64_t seq = json_integer_value(json_object_get(ev, "seq"));
    if (!item || seq <= 0)
        return SW_OK;
    return sw_sql_aff_view_put(c, item, p, seq, json_integer_value(json_object_get(pl, "paid")),
                               json_integer_value(json_object_get(pl, "confirmed")), err);
}

struct gather {
    json_t *items;  /* [{"item", "sources": [...]}] */
    json_t *by_key; /* item -> its sources (borrowed from items) */
    int64_t chg;    /* the greatest change seen */
    int changes;    /* distinct changes seen */
};

static int one(void *arg, const struct sw_aff_view_row *r, struct sw_error *err)
{
    struct gather *g = arg;
    if (r->chg != g->chg)
        g->changes++;
    if (r->chg > g->chg)
        g->chg = r->chg;
    if (r->p < 0) /* an item no other partition announced: nothing to tell */
        return SW_OK;
    json_t *sources = json_object_get(g->by_key, r->item);
    if (!sources) {
        sources = json_array();
        json_object_set(g->by_key, r->item, sources);
        json_array_append_new(g->items,
                              json_pack("{s:s,s:o}", "item", r->item, "sources", sources));
    }
    char source[16];
    snprintf(source, sizeof source, "p%d", r->p);
    json_array_append_new(sources, json_pack("{s:s,s:I,s:I,s:I}", "source", source, "seq",
                                             (json_int_t)r->seq, "paid", (json_int_t)r->paid,
                                             "confirmed", (json_int_t)r->confirmed));
    (void)err;
    return SW_OK;
}

int sw_affiliate_counts_model_start(struct sw_conn *c, struct sw_aff_rates_pos *pos,
                                    struct sw_error *err)
{
    pos->items = 0;
    return sw_sql_aff_view_last(c, &pos->changed, err);
}

int sw_affiliate_counts_model_pending(struct sw_conn *c, int q, const struct sw_aff_rates_pos *from,
                                      int limit, json_t **items, struct sw_aff_rates_pos *to,
                                      bool *more, struct sw_error *err)
{
    struct gather changed = {json_array(), json_object(), from->changed, 0};
    struct gather own = {changed.items, changed.by_key, from->items, 0};
    /* one snapshot of the model for both */
    int rc = sw_conn_exec(c, "BEGIN", err);
    if (rc == SW_OK) {
        rc = sw_sql_aff_view_changed(c, q, from->changed, limit, one, &changed, err);
        if (rc == SW_OK)
            rc = sw_sql_aff_view_items(c, q, from->items, limit, one, &own, err);
        struct sw_error ignored;
        if (sw_conn_exec(c, "COMMIT", &ignored) != SW_OK && rc == SW_OK)
            rc = sw_fail(err, SW_E_INTERNAL, NULL, "%s", ignored.msg);
    }
    json_decref(changed.by_key);
    if (rc) {
        json_decref(changed.items);
        return rc;
    }
    *items = changed.items;
    *to = (struct sw_aff_rates_pos){changed.chg, own.chg};
    *more = changed.changes >= limit || own.changes >= limit;
    return SW_OK;
}
