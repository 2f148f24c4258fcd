/* An order's view: its stored events folded again after each change (affiliate.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/map.h"
#include "domain/affiliate/affiliate_int.h"

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
static json_t *change_event(const struct sw_aff_view *v, int64_t version)
{
    int code = sw_aff_status_code(v->status);
    json_t *ev = json_object();
    json_object_set_new_nocheck(ev, "id", json_string(v->order));
    json_object_set_new_nocheck(ev, "promoter", json_string(v->f->promoter ? v->f->promoter : ""));
    json_object_set_new_nocheck(ev, "status", json_string_nocheck(sw_aff_status_name(v->status)));
    json_object_set_new_nocheck(ev, "status_code", code ? json_integer(code) : json_null());
    json_object_set_new_nocheck(ev, "reason", v->reason ? json_string(v->reason) : json_null());
    json_object_set_new_nocheck(ev, "settlement_commission_fen",
                                v->settlement_fen < 0 ? json_null()
                                                      : json_integer(v->settlement_fen));
    /* the review's decisions too (a flag changes no status while it is open: a replay under a
     * draft that flags more must see it) */
    json_t *flags = json_array(), *x;
    size_t i;
    json_array_foreach(v->flags, i, x)
        json_array_append_new(flags, json_pack("{s:O,s:O}", "rule", json_object_get(x, "rule"),
                                               "state", json_object_get(x, "state")));
    json_object_set_new_nocheck(ev, "flags", flags);
    json_object_set_new_nocheck(ev, "version", json_integer(version));
    return ev;
}

/* The events the fold holds, as the store lists them (NULL when none or out of memory). */
static struct sw_aff_held_row *held_rows(const struct sw_aff_view *v)
{
    const struct sw_aff_fold *f = v->f;
    struct sw_aff_held_row *h = f->nheld ? calloc((size_t)f->nheld, sizeof *h) : NULL;
    for (int i = 0; h && i < f->nheld; i++) {
        const struct sw_aff_event *e = &v->ev[f->held[i]];
        h[i] = (struct sw_aff_held_row){e->event_id, sw_aff_type_name(e->type),
                                        sw_aff_waiting_for(e), e->at};
    }
    return h;
}

static int write_view(struct sw_ctx *ctx, struct sw_aff_view *v, bool announce,
                      struct sw_error *err)
{
    const struct sw_aff_fold *f = v->f;
    const char *order = v->order;
    struct sw_aff_order_head o = {0};
    bool found = false;
    int rc = sw_sql_aff_order_head(ctx->conn, order, &o, &found, err);
    if (rc == SW_OK && f->promoter && f->paid_fen > 0)
        rc = sw_sql_aff_conv_put(ctx->conn, order, f->promoter, f->item ? f->item : "", true,
                                 f->status == SW_AS_RECEIPT_CONFIRMED, err);
    if (rc == SW_OK)
        rc = sw__aff_flags_overlay(ctx, v, err);
    /* after the flags: a confirmed one makes the order invalid, and it earns nothing */
    if (rc == SW_OK && f->promoter)
        rc = sw__aff_ledger(ctx, v, &o, err);
    char *doc = rc == SW_OK ? sw__aff_view_text(v) : NULL;
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
                                   sw_aff_status_name(v->status),
                                   f->status == SW_AS_RECEIPT_CONFIRMED ? f->confirmed_at : 0,
                                   doc,
                                   found ? o.version + 1 : 1,
                                   ctx->now};
    struct sw_aff_held_row *held = held_rows(v);
    if (f->nheld && !held)
        rc = sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    if (rc == SW_OK && (rc = sw_sql_aff_order_write(ctx->conn, &w, found, err)) == SW_OK &&
        (rc = sw_sql_aff_held_set(ctx->conn, order, held, f->nheld, err)) == SW_OK && announce)
        rc = sw_ctx_emit(ctx, "affiliate.order_changed", NULL, order, change_event(v, w.version),
                         err);
    free(held);
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

int sw__aff_refold(struct sw_ctx *ctx, const char *order, struct sw_map *held, struct sw_error *err)
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
        struct sw_aff_view view;
        sw__aff_view_init(&view, order, &f, l.ev);
        for (int i = 0; held && i < f.nheld && rc == SW_OK; i++) {
            const char *id = l.ev[f.held[i]].event_id;
            if (!sw_map_put(held, id, strlen(id), 1))
                rc = sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
        }
        if (rc == SW_OK)
            rc = write_view(ctx, &view, announce, err);
        sw__aff_view_release(&view);
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
        struct sw_aff_view view;
        sw__aff_view_init(&view, order, &f, lu.l.ev);
        char *text = sw__aff_view_text(&view);
        *out = text ? json_loads(text, 0, NULL) : NULL;
        free(text);
        if (!*out)
            rc = sw_fail(err, SW_E_INTERNAL, NULL, "cannot render an affiliate order");
        sw_aff_fold_release(&f);
    }
    sw_arena_release(&lu.l.arena);
    free(lu.l.ev);
    return rc;
}
