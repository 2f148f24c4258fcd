/* Point-in-time reads of violations and deposits (docs/point-in-time.md). A violation's events
 * each hold the whole violation; its appeals' events (indexed under it too) hold each appeal.
 * A deposit's events each hold the balance after them; its ledger is paged as live, up to the
 * instant. */
#include <stdint.h>
#include <string.h>

#include "base/instant.h"
#include "base/json.h"
#include "domain/catalog/catalog.h"
#include "domain/penalty/penalty.h"
#include "domain/penalty/penalty_int.h"
#include "engine/asof.h"

/* What an appeal's event changes on its violation, as the live write does (appeals.c): filing
 * one uses one of those left and touches updated_at; a decision names it as last_appeal. */
static void appeal_on_violation(json_t *v, json_t *sum, const struct sw_asof_event *ev, bool added)
{
    const json_t *id = json_object_get(ev->payload, "id");
    if (strcmp(ev->type, "appeal.filed") == 0) {
        json_int_t left = json_integer_value(json_object_get(sum, "left"));
        if (added && left > 0)
            json_object_set_new(sum, "left", json_integer(left - 1));
        json_object_set_new(v, "updated_at", sw_json_instant_opt(ev->at));
    } else if ((strcmp(ev->type, "appeal.rejected") == 0 ||
                strcmp(ev->type, "appeal.upheld") == 0) &&
               json_is_string(id)) {
        json_object_set(v, "last_appeal", (json_t *)id);
    }
}

/* The appeal's entry of list replaced (or added) and the violation's summary recounted. */
static void appeal_step(json_t *v, const struct sw_asof_event *ev)
{
    const json_t *appeal = ev->payload;
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
    bool added = at == json_array_size(list);
    if (!added)
        json_array_set(list, at, (json_t *)appeal);
    else
        json_array_append(list, (json_t *)appeal);
    appeal_on_violation(v, sum, ev, added);
    json_array_foreach(list, i, a)
    {
        open = open || strcmp(json_string_value(json_object_get(a, "status")), "open") == 0;
    }
    json_object_set_new(sum, "filed", json_integer((json_int_t)json_array_size(list)));
    json_object_set_new(sum, "open", json_boolean(open));
}

/* A deduction from the deposit for this violation (ledger.c): a credit that pays what it owed
 * moves the amount from owed to deducted, with no violation event of its own. A deduction or
 * refund made with the violation's own decision comes before that decision's event, which
 * holds the whole violation and replaces what this did. */
static void deposit_on_violation(json_t *v, const struct sw_asof_event *ev)
{
    const char *vid = json_string_value(json_object_get(ev->payload, "violation"));
    const char *id = json_string_value(json_object_get(v, "id"));
    json_t *pen = json_object_get(v, "penalty");
    if (!vid || !id || strcmp(vid, id) != 0 || !json_is_object(pen))
        return;
    json_int_t take = -json_integer_value(json_object_get(ev->payload, "amount_fen"));
    json_int_t deducted = json_integer_value(json_object_get(pen, "deducted_fen"));
    json_int_t owed = json_integer_value(json_object_get(pen, "owed_fen"));
    json_object_set_new(pen, "deducted_fen", json_integer(deducted + take));
    json_object_set_new(pen, "owed_fen", json_integer(owed > take ? owed - take : 0));
    sw_asof_set_instant(v, "updated_at", ev->at);
}

/* The violation's events carry no version: "version" counts them and its appeals' events. */
static void violation_step(json_t **state, const struct sw_asof_event *ev)
{
    json_int_t n = *state ? json_integer_value(json_object_get(*state, "version")) : 0;
    if (strcmp(ev->type, "deposit.deducted") == 0) {
        if (*state)
            deposit_on_violation(*state, ev);
        return;
    }
    if (strncmp(ev->type, "appeal.", 7) == 0) {
        if (*state) {
            appeal_step(*state, ev);
            json_object_set_new(*state, "version", json_integer(n + 1));
        }
        return;
    }
    json_t *list = NULL;
    if (*state)
        list = json_incref(json_object_get(json_object_get(*state, "appeals"), "list"));
    sw_asof_replace(state, ev->payload);
    json_object_set_new(*state, "version", json_integer(n + 1));
    json_t *sum = json_object_get(*state, "appeals");
    if (json_is_object(sum))
        json_object_set_new(sum, "list", list ? list : json_array());
    else
        json_decref(list);
}

static const struct sw_asof_kind violation_kind = {2, "violation.,appeal.,deposit.deducted",
                                                   violation_step};

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

/* {balance_fen, owed_fen, entries, moves}: the balance after the last movement, the number of
 * ledger entries, and of movements. A movement of 0 fen (a deduction wholly owed, the refund of
 * one) changes what is owed but writes no ledger entry: it is a move (the account, and so the
 * live version, changes), not an entry. */
static void deposit_step(json_t **state, const struct sw_asof_event *ev)
{
    /* the store's own movements (a violation's are indexed under it too, and a store's id may
     * be any: one named like a violation must not see that violation's) */
    const char *m = json_string_value(json_object_get(ev->payload, "merchant"));
    if (m && ev->subject && strcmp(m, ev->subject) != 0)
        return;
    if (!*state)
        *state = json_pack("{s:I,s:I,s:I,s:I}", "balance_fen", (json_int_t)0, "owed_fen",
                           (json_int_t)0, "entries", (json_int_t)0, "moves", (json_int_t)0);
    json_object_set(*state, "balance_fen", json_object_get(ev->payload, "balance_fen"));
    json_object_set(*state, "owed_fen", json_object_get(ev->payload, "owed_fen"));
    json_int_t n = json_integer_value(json_object_get(*state, "entries"));
    json_object_set_new(*state, "moves",
                        json_integer(json_integer_value(json_object_get(*state, "moves")) + 1));
    if (json_integer_value(json_object_get(ev->payload, "amount_fen")) != 0)
        json_object_set_new(*state, "entries", json_integer(n + 1));
}

static const struct sw_asof_kind deposit_kind = {3, "deposit.", deposit_step};

static sw_instant entry_at(const json_t *entry)
{
    const char *s = json_string_value(json_object_get(entry, "at"));
    sw_instant t = INT64_MAX;
    struct sw_error ignored;
    if (s && sw_instant_parse(s, strlen(s), &t, &ignored) != SW_OK)
        t = INT64_MAX;
    return t;
}

/* The live ledger page without the entries made after at_us, and whether entries at or
 * before at_us follow it: *more (the page is then full; the next entry decides). */
static int entries_at(struct sw_conn *c, const char *merchant, const json_t *live, int64_t at_us,
                      json_t **out, bool *more, struct sw_error *err)
{
    const json_t *page = json_object_get(live, "entries");
    size_t i;
    json_t *en;
    *out = json_array();
    *more = false;
    json_array_foreach(page, i, en)
    {
        if (entry_at(en) > at_us)
            return SW_OK;
        json_array_append(*out, en);
    }
    if (!json_is_true(json_object_get(live, "has_more")) || !json_array_size(*out))
        return SW_OK;
    json_t *next = NULL;
    const json_t *tail = json_array_get(*out, json_array_size(*out) - 1);
    json_int_t last = json_integer_value(json_object_get(tail, "seq"));
    int rc = sw_sql_deposit_entries(c, merchant, last, 1, &next, err);
    *more = rc == SW_OK && json_array_size(next) == 1 &&
            json_integer_value(json_object_get(json_array_get(next, 0), "at")) <= at_us;
    json_decref(next);
    return rc;
}

int sw_penalty_deposit_at(struct sw_engine *e, struct sw_conn *c, const char *merchant,
                          const json_t *live, int64_t at_us, json_t **out, struct sw_error *err)
{
    json_t *m = NULL, *d = NULL, *entries = NULL;
    int64_t last = 0;
    bool more = false;
    int rc = sw_catalog_merchant_at(e, c, merchant, at_us, &m, err);
    if (rc || (rc = sw_asof_fold(e, c, &deposit_kind, merchant, at_us, &d, &last, err)) ||
        (rc = entries_at(c, merchant, live, at_us, &entries, &more, err))) {
        json_decref(m);
        json_decref(d);
        return rc;
    }
    json_int_t bal = d ? json_integer_value(json_object_get(d, "balance_fen")) : 0;
    json_int_t owed = d ? json_integer_value(json_object_get(d, "owed_fen")) : 0;
    json_int_t n = d ? json_integer_value(json_object_get(d, "entries")) : 0;
    json_int_t moves = d ? json_integer_value(json_object_get(d, "moves")) : 0;
    json_int_t required = json_integer_value(json_object_get(m, "deposit_required_fen"));
    *out =
        json_pack("{s:s,s:I,s:I,s:I,s:I,s:O,s:O,s:I}", "merchant", merchant, "balance_fen", bal,
                  "owed_fen", owed, "required_fen", required, "shortfall_fen",
                  bal < required ? required - bal : 0, "store_status", json_object_get(m, "status"),
                  "holds", json_object_get(m, "holds"), "entries_total", n);
    json_object_set_new(*out, "entries", entries);
    json_object_set_new(*out, "next_after",
                        more ? json_incref(json_object_get(
                                   json_array_get(entries, json_array_size(entries) - 1), "seq"))
                             : json_null());
    json_object_set_new(*out, "has_more", json_boolean(more));
    /* the store's version and the movements up to the instant, as the live version grows (a
     * deduction wholly owed moves the account without an entry) */
    json_object_set_new(*out, "version",
                        json_integer(json_integer_value(json_object_get(m, "version")) + moves));
    json_decref(m);
    json_decref(d);
    return SW_OK;
}
