/* An order's view: its stored events folded again after each change (affiliate.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/map.h"
#include "domain/affiliate/affiliate_int.h"

static json_t *money_or_null(int64_t v)
{
    return v < 0 ? json_null() : json_integer(v);
}

static json_t *cases_json(const struct sw_aff_fold *f, json_t **clawbacks)
{
    json_t *a = json_array();
    *clawbacks = json_array();
    for (int i = 0; i < f->ncases; i++) {
        const struct sw_aff_case *c = &f->cases[i];
        json_array_append_new(a,
                              json_pack("{s:s,s:s,s:I,s:I,s:o}", "case", c->id, "state",
                                        sw_case_state_name(c->state), "refund_fen",
                                        (json_int_t)c->refund_fen, "clawback_fen",
                                        (json_int_t)c->clawback_fen, "at", sw_json_instant(c->at)));
        if (c->clawback_fen > 0)
            json_array_append_new(*clawbacks, json_pack("{s:s,s:I,s:s,s:n}", "case", c->id,
                                                        "amount_fen", (json_int_t)c->clawback_fen,
                                                        "state", "deduction_pending", "statement"));
    }
    return a;
}

/* Built key by key, not with json_pack: one per event of every order folded, and the pack's
 * format parsing was most of its cost. */
static json_t *event_ref(const struct sw_aff_event *e)
{
    json_t *r = json_object();
    json_object_set_new_nocheck(r, "seq", json_integer(e->seq));
    json_object_set_new_nocheck(r, "type", json_string_nocheck(sw_aff_type_name(e->type)));
    json_object_set_new_nocheck(r, "at", sw_json_instant(e->at));
    json_object_set_new_nocheck(r, "event_id", json_string(e->event_id));
    return r;
}

/* The view of an order from its fold (events: what was folded). */
static json_t *render(const char *order, const struct sw_aff_fold *f, const struct sw_aff_event *ev)
{
    json_t *history = json_array(), *held = json_array(), *claws = NULL;
    for (int i = 0; i < f->napplied; i++)
        json_array_append_new(history, event_ref(&ev[f->applied[i]]));
    for (int i = 0; i < f->nheld; i++) {
        json_t *h = event_ref(&ev[f->held[i]]);
        json_object_set_new(h, "waiting_for", json_string(sw_aff_waiting_for(&ev[f->held[i]])));
        json_array_append_new(held, h);
    }
    const char *reason = sw_aff_reason_name(f->reason);
    int code = sw_aff_status_code(f->status);
    json_t *cases = cases_json(f, &claws);
    /* key by key, not with json_pack (its format parsing was two thirds of the render) */
    json_t *v = json_object();
    const struct {
        const char *key;
        json_t *value;
    } kv[] = {
        {"id", json_string(order)},
        {"promoter", json_string(f->promoter ? f->promoter : "")},
        {"merchant", json_string(f->merchant ? f->merchant : "")},
        {"item", json_string(f->item ? f->item : "")},
        {"status", json_string_nocheck(sw_aff_status_name(f->status))},
        {"status_code", code ? json_integer(code) : json_null()},
        {"reason", reason ? json_string_nocheck(reason) : json_null()},
        {"paid_amount_fen", json_integer(f->paid_fen)},
        {"settled_amount_fen",
         f->status == SW_AS_RECEIPT_CONFIRMED || f->reason == SW_AR_BELOW_MINIMUM
             ? json_integer(f->settled_fen)
             : json_null()},
        {"refunded_fen", json_integer(f->refunded_fen)},
        {"rate_bp", json_integer(f->rate_bp)},
        {"estimated_commission_fen", json_integer(f->estimated_fen)},
        {"flags", json_array()},
        {"rights_cases", cases},
        {"clawbacks", claws},
        {"held", held},
        {"history", history},
        {"statement", json_null()},
        {"settlement_commission_fen", money_or_null(f->settlement_fen)},
        {"corrections", json_array()}, /* the live view's: sw__aff_ledger */
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        json_object_set_new_nocheck(v, kv[i].key, kv[i].value);
    if (f->anomaly_b >= 0) {
        json_t *evs = json_array();
        if (f->anomaly_a >= 0)
            json_array_append_new(evs, json_string(ev[f->anomaly_a].event_id));
        json_array_append_new(evs, json_string(ev[f->anomaly_b].event_id));
        json_object_set_new(v, "anomaly",
                            json_pack("{s:o,s:s}", "events", evs, "detail", f->anomaly_detail));
    } else {
        json_object_set_new(v, "anomaly", json_null());
    }
    return v;
}

/* An order's events as loaded: grown as rows come (most orders hold a handful; the limit is
 * SW_AFF_ORDER_EVENTS_MAX + 1, one more to see that it is there). */
struct loaded {
    struct sw_aff_event *ev;
    int n, cap;
    struct sw_arena arena;
};

static int load_one(void *arg, const struct sw_aff_event_row *r, struct sw_error *err)
{
    struct loaded *l = arg;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        struct sw_aff_event *ev = realloc(l->ev, (size_t)cap * sizeof *ev);
        if (!ev)
            return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
        l->ev = ev;
        l->cap = cap;
    }
    if (sw__aff_event_from_row(r, &l->arena, &l->ev[l->n]) == SW_OK) /* else: not an event */
        l->n++;
    return SW_OK;
}

/* What subscribers hear: the order's state; the rest is one GET away. */
static json_t *change_event(const json_t *view, int64_t version)
{
    const char *const keys[] = {"id",          "promoter", "status",
                                "status_code", "reason",   "settlement_commission_fen"};
    json_t *ev = json_object();
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        json_object_set(ev, keys[i], json_object_get(view, keys[i]));
    /* the review's decisions too (a flag changes no status while it is open: a replay under a
     * draft that flags more must see it) */
    json_t *flags = json_array(), *x;
    size_t i;
    json_array_foreach(json_object_get(view, "flags"), i, x)
        json_array_append_new(flags, json_pack("{s:O,s:O}", "rule", json_object_get(x, "rule"),
                                               "state", json_object_get(x, "state")));
    json_object_set_new(ev, "flags", flags);
    json_object_set_new(ev, "version", json_integer(version));
    return ev;
}

static int write_view(struct sw_ctx *ctx, const char *order, json_t *view,
                      const struct sw_aff_fold *f, bool announce, struct sw_error *err)
{
    struct sw_aff_order_head o = {0};
    bool found = false;
    int rc = sw_sql_aff_order_head(ctx->conn, order, &o, &found, err);
    if (rc == SW_OK && f->promoter && f->paid_fen > 0)
        rc = sw_sql_aff_conv_put(ctx->conn, order, f->promoter, f->item ? f->item : "", true,
                                 f->status == SW_AS_RECEIPT_CONFIRMED, err);
    if (rc == SW_OK)
        rc = sw__aff_flags_overlay(ctx, order, view, err);
    /* after the flags: a confirmed one makes the order invalid, and it earns nothing */
    if (rc == SW_OK && f->promoter)
        rc = sw__aff_ledger(ctx, order, view, f, &o, err);
    char *doc = rc == SW_OK ? sw_json_dump(view) : NULL; /* ours: a third of jansson's cost */
    if (rc == SW_OK && !doc) {
        sw_aff_order_head_release(&o);
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot serialise an affiliate order");
    }
    /* stored without its version (the row has it), so that an unchanged view compares equal */
    if (rc || !doc || (found && o.doc && strcmp(o.doc, doc) == 0)) {
        free(doc);
        sw_aff_order_head_release(&o);
        return rc;
    }
    struct sw_aff_order_write w = {order,
                                   f->promoter ? f->promoter : "",
                                   json_string_value(json_object_get(view, "status")),
                                   f->status == SW_AS_RECEIPT_CONFIRMED ? f->confirmed_at : 0,
                                   doc,
                                   found ? o.version + 1 : 1,
                                   ctx->now};
    if ((rc = sw_sql_aff_order_write(ctx->conn, &w, found, err)) == SW_OK &&
        (rc = sw_sql_aff_held_set(ctx->conn, order, json_object_get(view, "held"), err)) == SW_OK &&
        announce)
        rc = sw_ctx_emit(ctx, "affiliate.order_changed", NULL, order, change_event(view, w.version),
                         err);
    free(doc);
    sw_aff_order_head_release(&o);
    return rc;
}

/* An order past the events it may hold: a data anomaly of its own (the first event beyond is the
 * evidence), so that a feed cannot make the fold's cost grow without bound. */
static void too_long(struct sw_aff_fold *f, int beyond)
{
    f->status = SW_AS_INVALID;
    f->reason = SW_AR_DATA_ANOMALY;
    f->anomaly_a = -1;
    f->anomaly_b = beyond;
    snprintf(f->anomaly_detail, sizeof f->anomaly_detail,
             "an order holds at most %d events; this one has more", SW_AFF_ORDER_EVENTS_MAX);
    f->estimated_fen = f->settlement_fen = 0;
}

int sw__aff_refold(struct sw_ctx *ctx, const char *order, struct sw_map *held,
                   struct sw_error *err)
{
    return sw__aff_refold_as(ctx, order, held, true, err);
}

int sw__aff_refold_as(struct sw_ctx *ctx, const char *order, struct sw_map *held, bool announce,
                      struct sw_error *err)
{
    enum { MAX = SW_AFF_ORDER_EVENTS_MAX };
    struct loaded l = {NULL, 0, 0, {0}};
    sw_arena_init(&l.arena, 0);
    int rc = sw_sql_aff_order_events(ctx->conn, order, MAX + 1, load_one, &l, err);
    if (rc == SW_OK && l.n > 0) {
        struct sw_aff_fold f;
        sw_aff_fold_run(l.ev, l.n > MAX ? MAX : l.n, &f);
        if (l.n > MAX)
            too_long(&f, MAX);
        json_t *view = render(order, &f, l.ev);
        for (int i = 0; held && i < f.nheld && rc == SW_OK; i++) {
            const char *id = l.ev[f.held[i]].event_id;
            if (!sw_map_put(held, id, strlen(id), 1))
                rc = sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
        }
        if (rc == SW_OK)
            rc = write_view(ctx, order, view, &f, announce, err);
        json_decref(view);
        sw_aff_fold_release(&f);
    }
    sw_arena_release(&l.arena);
    free(l.ev);
    return rc;
}

/* Point-in-time reads: the events that had arrived by `upto`, loaded as load_one does. */
struct loaded_upto {
    struct loaded l;
    int64_t upto;
};

static int load_upto(void *arg, const struct sw_aff_event_row *r, struct sw_error *err)
{
    struct loaded_upto *lu = arg;
    return r->arrived <= lu->upto ? load_one(&lu->l, r, err) : SW_OK;
}

int sw__aff_view_at(struct sw_conn *c, const char *order, int64_t at_us, json_t **out,
                    struct sw_error *err)
{
    enum { MAX = SW_AFF_ORDER_EVENTS_MAX };
    struct loaded_upto lu = {{NULL, 0, 0, {0}}, at_us};
    *out = NULL;
    sw_arena_init(&lu.l.arena, 0);
    int rc = sw_sql_aff_order_events(c, order, MAX + 1, load_upto, &lu, err);
    if (rc == SW_OK && lu.l.n > 0) {
        struct sw_aff_fold f;
        sw_aff_fold_run(lu.l.ev, lu.l.n > MAX ? MAX : lu.l.n, &f);
        if (lu.l.n > MAX)
            too_long(&f, MAX);
        *out = render(order, &f, lu.l.ev);
        sw_aff_fold_release(&f);
    }
    sw_arena_release(&lu.l.arena);
    free(lu.l.ev);
    return rc;
}
