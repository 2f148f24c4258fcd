/* An order's view as JSON text, from its fold and what the review and the ledger lay over it
 * (affiliate_int.h). Written straight into a buffer: the feed renders one for every order a
 * request touches, and building it as a jansson tree, dumping and freeing it was a tenth of
 * the writer's time. The keys and their order are the stored view's (docs/affiliate.md). */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "domain/affiliate/affiliate_int.h"

void sw__aff_view_init(struct sw_aff_view *v, const char *order, const struct sw_aff_fold *f,
                       const struct sw_aff_event *ev)
{
    *v = (struct sw_aff_view){
        .order = order,
        .f = f,
        .ev = ev,
        .status = f->status,
        .reason = sw_aff_reason_name(f->reason),
        .estimated_fen = f->estimated_fen,
        .settlement_fen = f->settlement_fen,
    };
}

void sw__aff_view_release(struct sw_aff_view *v)
{
    json_decref(v->flags);
    json_decref(v->clawbacks);
    json_decref(v->corrections);
    v->flags = v->clawbacks = v->corrections = NULL;
}

struct out {
    struct sw_buf b;
    bool ok;
};

static void lit(struct out *o, const char *s)
{
    o->ok = o->ok && sw_buf_puts(&o->b, s);
}

static void str(struct out *o, const char *s)
{
    o->ok = o->ok && (s ? sw_json_buf_string(&o->b, s, strlen(s)) : sw_buf_puts(&o->b, "null"));
}

static void num(struct out *o, int64_t v)
{
    char d[24];
    o->ok = o->ok && sw_buf_append(&o->b, d, sw_fmt_i64(d, v));
}

/* v < 0: null (an amount not known yet) */
static void money(struct out *o, int64_t v)
{
    if (v < 0)
        lit(o, "null");
    else
        num(o, v);
}

static void instant(struct out *o, int64_t us)
{
    char t[32];
    lit(o, "\"");
    lit(o, sw_instant_format(us, t));
    lit(o, "\"");
}

static void value(struct out *o, const json_t *j)
{
    o->ok = o->ok && sw_json_buf_value(&o->b, j);
}

/* {"seq","type","at","event_id"[,"waiting_for"]} */
static void event_ref(struct out *o, const struct sw_aff_event *e, bool held)
{
    lit(o, "{\"seq\":");
    num(o, e->seq);
    lit(o, ",\"type\":\"");
    lit(o, sw_aff_type_name(e->type));
    lit(o, "\",\"at\":");
    instant(o, e->at);
    lit(o, ",\"event_id\":");
    str(o, e->event_id);
    if (held) {
        lit(o, ",\"waiting_for\":\"");
        lit(o, sw_aff_waiting_for(e));
        lit(o, "\"");
    }
    lit(o, "}");
}

static void cases(struct out *o, const struct sw_aff_fold *f)
{
    lit(o, "[");
    for (int i = 0; i < f->ncases; i++) {
        const struct sw_aff_case *c = &f->cases[i];
        lit(o, i ? ",{\"case\":" : "{\"case\":");
        str(o, c->id);
        lit(o, ",\"state\":\"");
        lit(o, sw_case_state_name(c->state));
        lit(o, "\",\"refund_fen\":");
        num(o, c->refund_fen);
        lit(o, ",\"clawback_fen\":");
        num(o, c->clawback_fen);
        lit(o, ",\"at\":");
        instant(o, c->at);
        lit(o, "}");
    }
    lit(o, "]");
}

/* The fold's own clawbacks (a view with no ledger: a point-in-time read): each case's, pending */
static void fold_clawbacks(struct out *o, const struct sw_aff_fold *f)
{
    lit(o, "[");
    bool first = true;
    for (int i = 0; i < f->ncases; i++) {
        const struct sw_aff_case *c = &f->cases[i];
        if (c->clawback_fen <= 0)
            continue;
        lit(o, first ? "{\"case\":" : ",{\"case\":");
        first = false;
        str(o, c->id);
        lit(o, ",\"amount_fen\":");
        num(o, c->clawback_fen);
        lit(o, ",\"state\":\"deduction_pending\",\"statement\":null}");
    }
    lit(o, "]");
}

static void refs(struct out *o, const struct sw_aff_event *ev, const int *idx, int n, bool held)
{
    lit(o, "[");
    for (int i = 0; i < n; i++) {
        if (i)
            lit(o, ",");
        event_ref(o, &ev[idx[i]], held);
    }
    lit(o, "]");
}

static void anomaly(struct out *o, const struct sw_aff_fold *f, const struct sw_aff_event *ev)
{
    if (f->anomaly_b < 0) {
        lit(o, "null");
        return;
    }
    lit(o, "{\"events\":[");
    if (f->anomaly_a >= 0) {
        str(o, ev[f->anomaly_a].event_id);
        lit(o, ",");
    }
    str(o, ev[f->anomaly_b].event_id);
    lit(o, "],\"detail\":");
    str(o, f->anomaly_detail);
    lit(o, "}");
}

/* id .. estimated_commission_fen */
static void head(struct out *o, const struct sw_aff_view *v)
{
    const struct sw_aff_fold *f = v->f;
    int code = sw_aff_status_code(v->status);
    lit(o, "{\"id\":");
    str(o, v->order);
    lit(o, ",\"promoter\":");
    str(o, f->promoter ? f->promoter : "");
    lit(o, ",\"merchant\":");
    str(o, f->merchant ? f->merchant : "");
    lit(o, ",\"item\":");
    str(o, f->item ? f->item : "");
    lit(o, ",\"status\":\"");
    lit(o, sw_aff_status_name(v->status));
    lit(o, "\",\"status_code\":");
    if (code)
        num(o, code);
    else
        lit(o, "null");
    lit(o, ",\"reason\":");
    str(o, v->reason);
    lit(o, ",\"paid_amount_fen\":");
    num(o, f->paid_fen);
    lit(o, ",\"settled_amount_fen\":");
    if (f->status == SW_AS_RECEIPT_CONFIRMED || f->reason == SW_AR_BELOW_MINIMUM)
        num(o, f->settled_fen);
    else
        lit(o, "null");
    lit(o, ",\"refunded_fen\":");
    num(o, f->refunded_fen);
    lit(o, ",\"rate_bp\":");
    num(o, f->rate_bp);
    lit(o, ",\"estimated_commission_fen\":");
    num(o, v->estimated_fen);
}

char *sw__aff_view_text(const struct sw_aff_view *v)
{
    const struct sw_aff_fold *f = v->f;
    struct out o = {.ok = true};
    sw_buf_init(&o.b, 0);
    head(&o, v);
    lit(&o, ",\"flags\":");
    if (v->flags)
        value(&o, v->flags);
    else
        lit(&o, "[]");
    lit(&o, ",\"rights_cases\":");
    cases(&o, f);
    lit(&o, ",\"clawbacks\":");
    if (v->clawbacks)
        value(&o, v->clawbacks);
    else
        fold_clawbacks(&o, f);
    lit(&o, ",\"held\":");
    refs(&o, v->ev, f->held, f->nheld, true);
    lit(&o, ",\"history\":");
    refs(&o, v->ev, f->applied, f->napplied, false);
    lit(&o, ",\"statement\":");
    str(&o, v->statement[0] ? v->statement : NULL);
    lit(&o, ",\"settlement_commission_fen\":");
    money(&o, v->settlement_fen);
    lit(&o, ",\"corrections\":");
    if (v->corrections)
        value(&o, v->corrections);
    else
        lit(&o, "[]");
    lit(&o, ",\"anomaly\":");
    anomaly(&o, f, v->ev);
    lit(&o, "}");
    if (!o.ok) {
        sw_buf_release(&o.b);
        return NULL;
    }
    return sw_buf_steal(&o.b);
}
