/* Point-in-time reads of quick-promotion orders (docs/point-in-time.md): every event of an
 * order but the exposure count holds the whole order; its history is the live history up to
 * the last event folded. */
#include <string.h>

#include "base/instant.h"
#include "base/json.h"
#include "domain/promotion/promotion_int.h"
#include "engine/asof.h"

static void promotion_step(json_t **state, const struct sw_asof_event *ev)
{
    if (strcmp(ev->type, "promotion.exposure_counted") == 0) {
        if (*state) { /* a count raises the order's version */
            json_object_set(*state, "actual_exposure",
                            json_object_get(ev->payload, "actual_exposure"));
            json_int_t v = json_integer_value(json_object_get(*state, "version"));
            json_object_set_new(*state, "version", json_integer(v + 1));
        }
        return;
    }
    sw_asof_replace(state, ev->payload);
    json_object_del(*state, "cause");
    json_object_set_new(*state, "rendered_at_us", json_integer(ev->at));
}

/* While abnormal the end moves out with time (render.c): as it was shown at at_us. */
static void ends_at(json_t *o, int64_t at_us)
{
    json_t *r = json_object_get(o, "rendered_at_us");
    const char *end = json_string_value(json_object_get(o, "ends_at"));
    sw_instant t = 0;
    struct sw_error ignored;
    if (strcmp(json_string_value(json_object_get(o, "status")), "abnormal") == 0 && end &&
        sw_instant_parse(end, strlen(end), &t, &ignored) == SW_OK && at_us > json_integer_value(r))
        sw_asof_set_instant(o, "ends_at", t + (at_us - json_integer_value(r)));
    json_object_del(o, "rendered_at_us");
}

static const struct sw_asof_kind promotion_kind = {4, "promotion.", promotion_step};

int sw_promotion_get_at(struct sw_engine *e, struct sw_conn *c, const char *id, const char *viewer,
                        int64_t at_us, json_t **out, struct sw_error *err)
{
    int64_t last = 0, rid = 0;
    int rc = sw_asof_fold(e, c, &promotion_kind, id, at_us, out, &last, err);
    if (rc == SW_OK && (!*out || !sw_promotion_parse_id(id, &rid)))
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown promotion '%s'", id);
    json_t *all = NULL;
    if (rc || (rc = sw_sql_promotion_history_json(c, rid, &all, err))) {
        json_decref(*out);
        *out = NULL;
        return rc;
    }
    json_t *hist = json_array(), *h;
    size_t i;
    json_array_foreach(all, i, h)
    {
        if (json_integer_value(json_object_get(h, "event_seq")) <= last)
            json_array_append(hist, h);
    }
    json_decref(all);
    json_object_set_new(*out, "history", hist);
    ends_at(*out, at_us);
    sw_actor_redact(*out, viewer);
    return SW_OK;
}
