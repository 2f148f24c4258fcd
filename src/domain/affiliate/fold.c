/* An order's affiliate state as a pure function of its events (affiliate.h states the rules):
 * sorted by `at` (ties: event id), applied one by one; an event whose dependency has not been
 * applied waits (held) and is tried again after every event that applies; an event that cannot
 * be reconciled with what was applied makes the order invalid / data_anomaly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/affiliate/affiliate.h"

static const char *const type_names[SW_AT_COUNT] = {
    "created", "paid", "partial_refund", "refund", "cancelled", "receipt_confirmed", "rights_case"};
static const char *const status_names[] = {"none",    "created", "paid", "receipt_confirmed",
                                           "settled", "invalid"};
static const char *const reason_names[] = {
    NULL, "refunded", "cancelled", "fake_order", "violation", "data_anomaly", "below_minimum"};
static const char *const case_names[] = {"open", "succeeded", "failed"};

const char *sw_aff_type_name(enum sw_aff_type t)
{
    return type_names[t];
}

int sw_aff_type_parse(const char *s, enum sw_aff_type *out)
{
    for (int i = 0; i < SW_AT_COUNT; i++)
        if (strcmp(s, type_names[i]) == 0) {
            *out = (enum sw_aff_type)i;
            return SW_OK;
        }
    return SW_E_INVALID_VALUE;
}

const char *sw_aff_status_name(enum sw_aff_status s)
{
    return status_names[s];
}

int sw_aff_status_code(enum sw_aff_status s)
{
    switch (s) {
    case SW_AS_PAID:
        return 12;
    case SW_AS_RECEIPT_CONFIRMED:
        return 14;
    case SW_AS_SETTLED:
        return 3;
    case SW_AS_INVALID:
        return 13;
    default:
        return 0;
    }
}

const char *sw_aff_reason_name(enum sw_aff_reason r)
{
    return reason_names[r];
}

const char *sw_case_state_name(enum sw_case_state s)
{
    return case_names[s];
}

int64_t sw_aff_commission(int64_t amount_fen, int64_t rate_bp)
{
    /* a*r = (a/10^4)*r*10^4 + (a%10^4)*r: no overflow for any amount with rate <= 10^4 */
    int64_t lo = (amount_fen % 10000) * rate_bp;
    int64_t q = (amount_fen / 10000) * rate_bp + lo / 10000, r = lo % 10000;
    if (r > 5000 || (r == 5000 && (q & 1)))
        q++;
    return q;
}

const char *sw_aff_waiting_for(const struct sw_aff_event *e)
{
    return e->type == SW_AT_RIGHTS_CASE ? "receipt_confirmed" : "paid";
}

enum step { APPLY, HOLD, CONFLICT };

struct run {
    struct sw_aff_fold *f;
    const struct sw_aff_event *ev;
    int last;    /* the event that set the current state */
    int n;       /* the order's events, all of them (a case's latest state may come later) */
    int *latest; /* per distinct case id, the index of its latest event (nlatest of them) */
    int nlatest;
};

static enum step conflict(struct run *r, int i, const char *fmt, const char *a, const char *b)
{
    struct sw_aff_fold *f = r->f;
    f->anomaly_a = r->last;
    f->anomaly_b = i;
    snprintf(f->anomaly_detail, sizeof f->anomaly_detail, fmt, a, b);
    f->status = SW_AS_INVALID;
    f->reason = SW_AR_DATA_ANOMALY;
    return CONFLICT;
}

static enum step invalidate(struct run *r, int i, enum sw_aff_reason why)
{
    r->f->status = SW_AS_INVALID;
    r->f->reason = why;
    r->last = i;
    return APPLY;
}

static enum step on_paid(struct run *r, int i)
{
    struct sw_aff_fold *f = r->f;
    const struct sw_aff_event *e = &r->ev[i];
    if (f->status == SW_AS_NONE || f->status == SW_AS_CREATED) {
        f->status = SW_AS_PAID;
        f->paid_fen = e->amount_fen;
        f->rate_bp = e->rate_bp;
        f->paid_at = e->at;
        f->buyer_id = e->buyer_id;
        f->buyer_device = e->buyer_device;
        f->buyer_address = e->buyer_address;
        r->last = i;
        return APPLY;
    }
    if ((f->status == SW_AS_PAID || f->status == SW_AS_RECEIPT_CONFIRMED) &&
        e->amount_fen == f->paid_fen && e->rate_bp == f->rate_bp)
        return APPLY; /* the same payment told twice */
    if (f->status == SW_AS_INVALID && f->reason == SW_AR_CANCELLED)
        return conflict(r, i, "%s: paid after the order was %s", e->event_id, "cancelled");
    return conflict(r, i, "%s: a second payment (%s) that differs from the first", e->event_id,
                    "amount or rate");
}

static enum step refund_case(struct run *r, int i);

static enum step on_refund(struct run *r, int i)
{
    struct sw_aff_fold *f = r->f;
    const struct sw_aff_event *e = &r->ev[i];
    if (f->status == SW_AS_NONE || f->status == SW_AS_CREATED)
        return HOLD;
    if (f->status == SW_AS_PAID && e->type == SW_AT_REFUND) {
        f->refunded_fen = f->paid_fen; /* all of it, whatever partial refunds came before */
        return invalidate(r, i, SW_AR_REFUNDED);
    }
    if (f->status == SW_AS_PAID) {
        if (f->refunded_fen + e->amount_fen > f->paid_fen)
            return conflict(r, i, "%s: refunds above the paid amount (%s)", e->event_id,
                            "partial_refund");
        f->refunded_fen += e->amount_fen;
        r->last = i;
        return f->refunded_fen == f->paid_fen ? invalidate(r, i, SW_AR_REFUNDED) : APPLY;
    }
    if (f->status == SW_AS_INVALID && f->reason == SW_AR_REFUNDED && e->type == SW_AT_REFUND)
        return APPLY;
    if (f->status == SW_AS_RECEIPT_CONFIRMED ||
        (f->status == SW_AS_INVALID && f->reason == SW_AR_BELOW_MINIMUM))
        return refund_case(r, i);
    return conflict(r, i, "%s: a %s the order's state does not allow", e->event_id,
                    type_names[e->type]);
}

static enum step on_confirmed(struct run *r, int i)
{
    struct sw_aff_fold *f = r->f;
    const struct sw_aff_event *e = &r->ev[i];
    if (f->status == SW_AS_NONE || f->status == SW_AS_CREATED)
        return HOLD;
    if (f->status == SW_AS_RECEIPT_CONFIRMED && e->settled_fen == f->reported_fen)
        return APPLY; /* the same confirmation told twice */
    if (f->status != SW_AS_PAID)
        return conflict(r, i, "%s: receipt confirmed on an order that is %s", e->event_id,
                        f->status == SW_AS_INVALID ? reason_names[f->reason]
                                                   : status_names[f->status]);
    if (e->settled_fen > f->paid_fen)
        return conflict(r, i, "%s: settled amount above the paid amount (%s)", e->event_id,
                        "receipt_confirmed");
    /* what the merchant receives, never more than was paid less the partial refunds before
     * confirmation (a feed that reports the settled amount before refunds is lowered) */
    int64_t kept = f->paid_fen - f->refunded_fen;
    f->status = SW_AS_RECEIPT_CONFIRMED;
    f->settled_fen = e->settled_fen < kept ? e->settled_fen : kept;
    f->reported_fen = e->settled_fen;
    f->confirmed_at = e->at;
    r->last = i;
    if (sw_aff_commission(f->settled_fen, f->rate_bp) < 1)
        return invalidate(r, i, SW_AR_BELOW_MINIMUM);
    return APPLY;
}

/* Whether event b comes after event a in the fold's order (at, then event id). */
static bool later(const struct sw_aff_event *a, const struct sw_aff_event *b)
{
    return b->at != a->at ? b->at > a->at : strcmp(b->event_id, a->event_id) > 0;
}

/* The latest event of rights case `id` among all the order's events: a case is its latest
 * state (docs/affiliate.md), also when that state is told after the event being applied. */
static const struct sw_aff_event *latest_of_case(const struct run *r, const char *id)
{
    for (int k = 0; k < r->nlatest; k++)
        if (strcmp(r->ev[r->latest[k]].case_id, id) == 0)
            return &r->ev[r->latest[k]];
    return NULL;
}

/* Each case id's latest event, once per fold (not per event: an order may hold 512). */
static void find_latest(struct run *r)
{
    r->latest = calloc((size_t)r->n + 1, sizeof(int));
    for (int i = 0; r->latest && i < r->n; i++) {
        const struct sw_aff_event *e = &r->ev[i];
        if (e->type != SW_AT_RIGHTS_CASE || !e->case_id)
            continue;
        int k = 0;
        while (k < r->nlatest && strcmp(r->ev[r->latest[k]].case_id, e->case_id) != 0)
            k++;
        if (k == r->nlatest)
            r->latest[r->nlatest++] = i;
        else if (later(&r->ev[r->latest[k]], e))
            r->latest[k] = i;
    }
}

/* What the order's other rights cases refund at their latest states: the cases applied so far
 * but case `except` (the one being told), each as it ends up. A case that succeeds and later
 * fails refunds nothing, so it never makes the cases refund more in all than was settled. */
static int64_t succeeded_refunds(const struct run *r, const char *except)
{
    const struct sw_aff_fold *f = r->f;
    int64_t sum = 0;
    for (int k = 0; k < f->ncases; k++) {
        if (strcmp(f->cases[k].id, except) == 0)
            continue;
        const struct sw_aff_event *e = latest_of_case(r, f->cases[k].id);
        if (e ? e->case_state == SW_CASE_SUCCEEDED : f->cases[k].state == SW_CASE_SUCCEEDED)
            sum += e ? e->refund_fen : f->cases[k].refund_fen; /* a refund's own case */
    }
    return sum;
}

static enum step on_case(struct run *r, int i)
{
    struct sw_aff_fold *f = r->f;
    const struct sw_aff_event *e = &r->ev[i];
    if (f->status == SW_AS_NONE || f->status == SW_AS_CREATED || f->status == SW_AS_PAID)
        return HOLD;
    bool confirmed = f->status == SW_AS_RECEIPT_CONFIRMED ||
                     (f->status == SW_AS_INVALID && f->reason == SW_AR_BELOW_MINIMUM);
    if (!confirmed)
        return conflict(r, i, "%s: a rights case on an order that is %s", e->event_id,
                        reason_names[f->reason] ? reason_names[f->reason] : "invalid");
    /* a case event that a later one of the same case supersedes is history: its amount is
     * checked by the latest, which is what the case is */
    bool superseded = latest_of_case(r, e->case_id) != e;
    if (!superseded && e->refund_fen > f->settled_fen)
        return conflict(r, i, "%s: a rights case refunding more than the settled amount (%s)",
                        e->event_id, "refund_fen");
    struct sw_aff_case *c = NULL;
    for (int k = 0; k < f->ncases && !c; k++)
        if (strcmp(f->cases[k].id, e->case_id) == 0)
            c = &f->cases[k];
    if (!c && f->ncases == SW_AFF_CASES_MAX)
        return conflict(r, i, "%s: more rights cases than %s", e->event_id, "an order may have");
    if (!superseded && e->case_state == SW_CASE_SUCCEEDED &&
        succeeded_refunds(r, e->case_id) + e->refund_fen > f->settled_fen)
        return conflict(r, i, "%s: rights cases refunding more in all than the settled amount (%s)",
                        e->event_id, "refund_fen");
    if (!c)
        c = &f->cases[f->ncases++];
    c->id = e->case_id;
    c->state = e->case_state;
    c->refund_fen = e->refund_fen;
    c->at = e->at;
    c->clawback_fen = c->state == SW_CASE_SUCCEEDED && f->status == SW_AS_RECEIPT_CONFIRMED
                          ? sw_aff_commission(e->refund_fen, f->rate_bp)
                          : 0;
    return APPLY;
}

/* A refund after confirmation (RULES §2, 维权): a rights case of its own, named by the
 * refund's event id, that succeeded with the refund's amount: a partial refund's amount_fen, or
 * for a full refund what the order's succeeded cases have not refunded yet of the settled
 * amount (told again when nothing is left: no change). A partial refund beyond what is left is
 * an anomaly, as a case refunding more than the settled amount. */
static enum step refund_case(struct run *r, int i)
{
    struct sw_aff_fold *f = r->f;
    const struct sw_aff_event *e = &r->ev[i];
    int64_t left = f->settled_fen - succeeded_refunds(r, e->event_id);
    int64_t amount = e->type == SW_AT_REFUND ? left : e->amount_fen;
    if (e->type == SW_AT_REFUND && left <= 0)
        return APPLY;
    if (amount > left)
        return conflict(r, i, "%s: refunds after confirmation above the settled amount (%s)",
                        e->event_id, type_names[e->type]);
    if (f->ncases == SW_AFF_CASES_MAX)
        return conflict(r, i, "%s: more rights cases than %s", e->event_id, "an order may have");
    struct sw_aff_case *c = &f->cases[f->ncases++];
    c->id = e->event_id;
    c->state = SW_CASE_SUCCEEDED;
    c->refund_fen = amount;
    c->at = e->at;
    c->clawback_fen =
        f->status == SW_AS_RECEIPT_CONFIRMED ? sw_aff_commission(amount, f->rate_bp) : 0;
    return APPLY;
}

static enum step apply(struct run *r, int i)
{
    struct sw_aff_fold *f = r->f;
    const struct sw_aff_event *e = &r->ev[i];
    if (f->status == SW_AS_INVALID && f->reason == SW_AR_DATA_ANOMALY)
        return APPLY; /* kept in the history; it changes nothing now */
    if (f->promoter && strcmp(f->promoter, e->promoter) != 0)
        return conflict(r, i, "an event names promoter %s, the order's is %s", e->promoter,
                        f->promoter);
    if (f->merchant && strcmp(f->merchant, e->merchant) != 0)
        return conflict(r, i, "an event names store %s, the order's is %s", e->merchant,
                        f->merchant);
    if (f->item && strcmp(f->item, e->item) != 0) /* RULES §2: an unknown item */
        return conflict(r, i, "an event names item %s, the order's is %s", e->item, f->item);
    switch (e->type) {
    case SW_AT_CREATED:
        if (f->status == SW_AS_NONE) {
            f->status = SW_AS_CREATED;
            r->last = i;
        } else if (f->status != SW_AS_CREATED)
            return conflict(r, i, "%s: a creation after the order was %s", e->event_id,
                            status_names[f->status]);
        return APPLY;
    case SW_AT_PAID:
        return on_paid(r, i);
    case SW_AT_PARTIAL_REFUND:
    case SW_AT_REFUND:
        return on_refund(r, i);
    case SW_AT_CANCELLED: /* closed unpaid: after a payment it cannot be reconciled */
        if (f->status == SW_AS_NONE || f->status == SW_AS_CREATED)
            return invalidate(r, i, SW_AR_CANCELLED);
        if (f->status == SW_AS_INVALID && f->reason == SW_AR_CANCELLED)
            return APPLY;
        return conflict(r, i, "%s: cancelled after the order was %s", e->event_id,
                        status_names[f->status]);
    case SW_AT_RECEIPT_CONFIRMED:
        return on_confirmed(r, i);
    default:
        return on_case(r, i);
    }
}

/* qsort has no context argument: the array being sorted, one per thread (the writer folds while
 * point-in-time reads fold on the HTTP threads). */
static _Thread_local const struct sw_aff_event *sort_base;

static int by_at(const void *x, const void *y)
{
    const struct sw_aff_event *a = &sort_base[*(const int *)x], *b = &sort_base[*(const int *)y];
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return strcmp(a->event_id, b->event_id);
}

/* Applies event i (and, after it, whatever it releases from the held ones). */
static void step(struct run *r, int i)
{
    struct sw_aff_fold *f = r->f;
    bool fresh = f->status == SW_AS_NONE;
    enum step s = apply(r, i);
    if (s == HOLD) {
        f->held[f->nheld++] = i;
        return;
    }
    if (fresh && !f->promoter) {
        f->promoter = r->ev[i].promoter;
        f->merchant = r->ev[i].merchant;
        f->item = r->ev[i].item;
    }
    f->applied[f->napplied++] = i;
    for (int k = 0; k < f->nheld;) { /* what waited for this may apply now */
        int h = f->held[k];
        if (apply(r, h) == HOLD) {
            k++;
            continue;
        }
        memmove(&f->held[k], &f->held[k + 1], sizeof(int) * (size_t)(f->nheld - k - 1));
        f->nheld--;
        f->applied[f->napplied++] = h;
        k = 0;
    }
}

void sw_aff_fold_run(struct sw_aff_event *events, int n, struct sw_aff_fold *out)
{
    memset(out, 0, sizeof *out);
    out->anomaly_a = out->anomaly_b = -1;
    out->applied = calloc((size_t)n + 1, sizeof(int));
    out->held = calloc((size_t)n + 1, sizeof(int));
    int *order = calloc((size_t)n + 1, sizeof(int));
    for (int i = 0; i < n; i++)
        order[i] = i;
    sort_base = events;
    qsort(order, (size_t)n, sizeof(int), by_at);
    struct run r = {out, events, -1, n, NULL, 0};
    find_latest(&r);
    for (int k = 0; k < n; k++)
        step(&r, order[k]);
    if (!out->promoter && n > 0) { /* known only by held events: named by the first */
        out->promoter = events[order[0]].promoter;
        out->merchant = events[order[0]].merchant;
        out->item = events[order[0]].item;
    }
    free(order);
    free(r.latest);
    bool live = out->status == SW_AS_PAID || out->status == SW_AS_RECEIPT_CONFIRMED;
    out->estimated_fen = live ? sw_aff_commission(out->paid_fen, out->rate_bp) : 0;
    out->settlement_fen = out->status == SW_AS_RECEIPT_CONFIRMED
                              ? sw_aff_commission(out->settled_fen, out->rate_bp)
                          : out->status == SW_AS_INVALID ? 0
                                                         : -1;
}

void sw_aff_fold_release(struct sw_aff_fold *f)
{
    free(f->applied);
    free(f->held);
    f->applied = f->held = NULL;
}
