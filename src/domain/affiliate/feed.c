/* The affiliate feed: a batch of order events, each counted once by its event id, each order
 * folded again once per batch (affiliate.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/affiliate/affiliate_int.h"

struct tally {
    int64_t applied, duplicate, held, rejected;
};

static json_t *rejected(const json_t *e, const struct sw_error *err)
{
    const char *id = json_string_value(json_object_get(e, "event_id"));
    const char *order = json_string_value(json_object_get(e, "order"));
    json_t *r = json_pack("{s:o,s:s,s:s,s:s,s:o}", "event_id", id ? json_string(id) : json_null(),
                          "outcome", "rejected", "code", sw_err_name(err->code), "message",
                          err->msg, "order", order ? json_string(order) : json_null());
    if (err->field[0])
        json_object_set_new(r, "field", json_string(err->field));
    return r;
}

/* Stores each event it has not seen; *touched gets the orders of the new ones. */
static int take(struct sw_ctx *ctx, const json_t *events, json_t *results, json_t *touched,
                struct tally *t, struct sw_error *err)
{
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e)
    {
        char path[32];
        snprintf(path, sizeof path, "events[%zu]", i);
        struct sw_aff_event ev;
        struct sw_error bad = {0};
        if (sw__aff_read_event(e, path, &ev, &bad) != SW_OK) {
            t->rejected++;
            json_array_append_new(results, rejected(e, &bad));
            continue;
        }
        struct sw_aff_event_row row;
        sw__aff_event_row(&ev, ctx->now, &row);
        bool fresh = false;
        int rc = sw_sql_aff_event_insert(ctx->conn, &row, &fresh, err);
        if (rc)
            return rc;
        json_t *r = json_object(); /* not json_pack: one per event of a 10,000-event batch */
        json_object_set_new_nocheck(r, "event_id", json_string(ev.event_id));
        json_object_set_new_nocheck(r, "outcome", json_string_nocheck(fresh ? "new" : "duplicate"));
        json_object_set_new_nocheck(r, "order", json_string(ev.order_id));
        json_array_append_new(results, r);
        if (!fresh)
            t->duplicate++;
        else
            json_object_set_new(touched, ev.order_id, json_true());
        if (fresh && ev.type == SW_AT_PAID && (rc = sw__aff_review_paid(ctx, &ev, touched, err)))
            return rc;
    }
    return SW_OK;
}

/* Each touched order folded once; each new event's outcome from its order's fold. */
static int settle(struct sw_ctx *ctx, json_t *results, const json_t *touched, struct tally *t,
                  struct sw_error *err)
{
    json_t *outcomes = json_object();
    const char *order;
    json_t *v;
    int rc = SW_OK;
    json_object_foreach((json_t *)touched, order, v)
    {
        json_t *o = NULL;
        if ((rc = sw__aff_refold(ctx, order, &o, err)))
            break;
        json_object_update(outcomes, o);
        json_decref(o);
    }
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r)
    {
        if (rc || strcmp(json_string_value(json_object_get(r, "outcome")), "new") != 0)
            continue;
        const char *got = json_string_value(
            json_object_get(outcomes, json_string_value(json_object_get(r, "event_id"))));
        bool held = got && strcmp(got, "held") == 0;
        json_object_set_new(r, "outcome", json_string(held ? "held" : "applied"));
        if (held)
            t->held++;
        else
            t->applied++;
    }
    json_decref(outcomes);
    return rc;
}

/* The conversion rule once per item a request's new events name (a payment, a confirmation or
 * a refund moves the item's counts, the platform-wide ones too): the orders it flags are folded
 * again to show their flag. */
static int conversions(struct sw_ctx *ctx, const json_t *events, const json_t *results,
                       struct sw_error *err)
{
    json_t *items = json_object(), *flagged = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e)
    {
        const char *item = json_string_value(json_object_get(e, "item"));
        const char *outcome =
            json_string_value(json_object_get(json_array_get(results, i), "outcome"));
        if (item && outcome && strcmp(outcome, "applied") == 0)
            json_object_set_new(items, item, json_true());
    }
    int rc = SW_OK;
    const char *k;
    json_t *v;
    json_object_foreach(items, k, v)
    {
        if (rc == SW_OK)
            rc = sw__aff_conversion(ctx, k, flagged, err);
    }
    json_object_foreach(flagged, k, v)
    {
        if (rc == SW_OK)
            rc = sw__aff_refold(ctx, k, NULL, err);
    }
    json_decref(items);
    json_decref(flagged);
    return rc;
}

static int ingest(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const json_t *events = NULL;
    struct sw_jfield f[] = {{"events", SW_J_ANY, SW_J_REQUIRED, &events, 0, NULL}};
    int rc = sw_json_read(in, "", f, 1, true, err);
    if (rc)
        return rc;
    if (!sw_actor_is_feed(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only the order feed reports affiliate events");
    if (!json_is_array(events))
        return sw_fail(err, SW_E_WRONG_TYPE, "events", "events must be an array");
    if (json_array_size(events) == 0)
        return sw_fail(err, SW_E_INVALID_VALUE, "events", "events must not be empty");
    if (json_array_size(events) > SW_AFF_EVENTS_MAX)
        return sw_fail(err, SW_E_BATCH_TOO_LARGE, "events", "at most %d events a request",
                       SW_AFF_EVENTS_MAX);
    struct tally t = {0};
    json_t *results = json_array(), *touched = json_object();
    if ((rc = take(ctx, events, results, touched, &t, err)) == SW_OK &&
        (rc = settle(ctx, results, touched, &t, err)) == SW_OK &&
        (rc = conversions(ctx, events, results, err)) == SW_OK &&
        (rc = sw__aff_schedule_statements(ctx, err)) == SW_OK)
        *result = json_pack("{s:I,s:I,s:I,s:I,s:O}", "applied", (json_int_t)t.applied, "duplicate",
                            (json_int_t)t.duplicate, "held", (json_int_t)t.held, "rejected",
                            (json_int_t)t.rejected, "results", results);
    json_decref(results);
    json_decref(touched);
    return rc;
}

int sw_affiliate_register(struct sw_engine *e)
{
    int rc = sw_engine_register(e, "affiliate.ingest", ingest);
    if (rc == SW_OK)
        rc = sw__aff_review_register(e);
    return rc ? rc : sw__aff_statements_register(e);
}
