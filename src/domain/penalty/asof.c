/* Point-in-time reads of violations and deposits (docs/point-in-time.md). A violation's events
 * each hold the whole violation; its appeals' events (indexed under it too) hold each appeal.
 * A deposit's events each hold the balance after them; its ledger is paged as live, up to the
 * instant. */
#include <string.h>

#include "base/json.h"
#include "domain/catalog/catalog.h"
#include "domain/penalty/penalty.h"
#include "domain/penalty/penalty_int.h"
#include "engine/asof.h"

/* The appeal's entry of list replaced (or added) and the violation's summary recounted. */
static void appeal_step(json_t *v, const json_t *appeal)
{
    json_t *sum = json_object_get(v, "appeals");
    if (!json_is_object(sum))
        return;
    json_t *list = json_object_get(sum, "list");
    const char *id = json_string_value(json_object_get(appeal, "id"));
    size_t i, at = json_array_size(list);
    json_t *a;
    bool open = false;
    json_array_foreach(list, i, a)
    {
        if (id && strcmp(json_string_value(json_object_get(a, "id")), id) == 0)
            at = i;
    }
    if (at < json_array_size(list))
        json_array_set(list, at, (json_t *)appeal);
    else
        json_array_append(list, (json_t *)appeal);
    json_array_foreach(list, i, a)
    {
        open = open || strcmp(json_string_value(json_object_get(a, "status")), "open") == 0;
    }
    json_object_set_new(sum, "filed", json_integer((json_int_t)json_array_size(list)));
    json_object_set_new(sum, "open", json_boolean(open));
}

/* The violation's events carry no version: "version" counts them and its appeals' events. */
static void violation_step(json_t **state, const struct sw_asof_event *ev)
{
    json_int_t n = *state ? json_integer_value(json_object_get(*state, "version")) : 0;
    if (strncmp(ev->type, "appeal.", 7) == 0) {
        if (*state) {
            appeal_step(*state, ev->payload);
            json_object_set_new(*state, "version", json_integer(n + 1));
        }
        return;
    }
    json_t *list = NULL;
    if (*state)
        list = json_incref(json_object_get(json_object_get(*state, "appeals"), "list"));
    sw_asof_replace(state, ev->payload);
    json_object_set_new(*state, "version", json_integer(n + 1));
    /* what these two add to the violation for the log (penalty.c) is not part of it */
    if (strcmp(ev->type, "violation.overturned") == 0 ||
        strcmp(ev->type, "violation.ban_lifted") == 0)
        json_object_del(*state, "reason");
    json_t *sum = json_object_get(*state, "appeals");
    if (json_is_object(sum))
        json_object_set_new(sum, "list", list ? list : json_array());
    else
        json_decref(list);
}

static const struct sw_asof_kind violation_kind = {2, "violation.,appeal.", violation_step};

int sw_penalty_violation_at(struct sw_engine *e, struct sw_conn *c, const char *id,
                            const char *viewer, int64_t at_us, json_t **out, struct sw_error *err)
{
    int64_t last = 0;
    int rc = sw_asof_fold(e, c, &violation_kind, id, at_us, out, &last, err);
    /* a store sees its violations in force or overturned, as the live read (reads.c), then */
    const char *status = *out ? json_string_value(json_object_get(*out, "status")) : NULL;
    if (rc == SW_OK && *out && sw_actor_merchant(viewer) && status &&
        strcmp(status, "in_force") != 0 && strcmp(status, "overturned") != 0) {
        json_decref(*out);
        *out = NULL;
    }
    if (rc == SW_OK && !*out)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown violation '%s'", id);
    if (rc == SW_OK)
        sw_actor_redact(*out, viewer);
    return rc;
}

/* {balance_fen, owed_fen, entries}: the balance after the last movement, and their count. */
static void deposit_step(json_t **state, const struct sw_asof_event *ev)
{
    if (!*state)
        *state = json_pack("{s:I,s:I,s:I}", "balance_fen", (json_int_t)0, "owed_fen", (json_int_t)0,
                           "entries", (json_int_t)0);
    json_object_set(*state, "balance_fen", json_object_get(ev->payload, "balance_fen"));
    json_object_set(*state, "owed_fen", json_object_get(ev->payload, "owed_fen"));
    json_int_t n = json_integer_value(json_object_get(*state, "entries"));
    json_object_set_new(*state, "entries", json_integer(n + 1));
}

static const struct sw_asof_kind deposit_kind = {3, "deposit.", deposit_step};

/* The ledger page after `after` as live, without the entries made after at_us. */
static int entries_at(struct sw_conn *c, const char *merchant, int64_t after, int limit,
                      int64_t at_us, json_t **out, struct sw_error *err)
{
    int rc = sw_sql_deposit_entries(c, merchant, after, limit + 1, out, err);
    if (rc)
        return rc;
    size_t i;
    json_t *en;
    json_t *kept = json_array();
    json_array_foreach(*out, i, en)
    {
        if (json_integer_value(json_object_get(en, "at")) > at_us)
            break;
        json_t *vr = json_object_get(en, "violation_rid");
        if (vr) {
            char vid[SW_ID_BUF];
            sw__violation_id(json_integer_value(vr), vid);
            json_object_set_new(en, "violation", json_string(vid));
            json_object_del(en, "violation_rid");
        }
        sw_asof_set_instant(en, "at", json_integer_value(json_object_get(en, "at")));
        json_array_append(kept, en);
    }
    json_decref(*out);
    *out = kept;
    return SW_OK;
}

int sw_penalty_deposit_at(struct sw_engine *e, struct sw_conn *c, const char *merchant,
                          int64_t after, int limit, int64_t at_us, json_t **out,
                          struct sw_error *err)
{
    json_t *m = NULL, *d = NULL, *entries = NULL;
    int64_t last = 0;
    int rc = sw_catalog_merchant_at(e, c, merchant, at_us, &m, err);
    if (rc || (rc = sw_asof_fold(e, c, &deposit_kind, merchant, at_us, &d, &last, err)) ||
        (rc = entries_at(c, merchant, after, limit, at_us, &entries, err))) {
        json_decref(m);
        json_decref(d);
        return rc;
    }
    json_int_t bal = d ? json_integer_value(json_object_get(d, "balance_fen")) : 0;
    json_int_t owed = d ? json_integer_value(json_object_get(d, "owed_fen")) : 0;
    json_int_t n = d ? json_integer_value(json_object_get(d, "entries")) : 0;
    json_int_t required = json_integer_value(json_object_get(m, "deposit_required_fen"));
    *out =
        json_pack("{s:s,s:I,s:I,s:I,s:I,s:O,s:O,s:I}", "merchant", merchant, "balance_fen", bal,
                  "owed_fen", owed, "required_fen", required, "shortfall_fen",
                  bal < required ? required - bal : 0, "store_status", json_object_get(m, "status"),
                  "holds", json_object_get(m, "holds"), "entries_total", n);
    sw_page_set(*out, "entries", entries, (size_t)limit, "seq");
    /* the store's version and the movements up to the instant, as the live version grows */
    json_object_set_new(*out, "version",
                        json_integer(json_integer_value(json_object_get(m, "version")) + n));
    json_decref(m);
    json_decref(d);
    return SW_OK;
}
