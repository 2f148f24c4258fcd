/* The affiliate feed: a batch of order events, each counted once by its event id, each order
 * folded again once per batch (affiliate.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/map.h"
#include "domain/affiliate/affiliate_int.h"

/* What became of each event of a request, in its order: kept as C, not as a JSON tree (a
 * request holds up to 10,000), and rendered as the answer's text once at the end. */
enum outcome { O_REJECTED, O_NEW, O_DUPLICATE, O_APPLIED, O_HELD };

struct slot {
    const char *event_id, *order, *item; /* borrowed from the payload (NULL: absent) */
    enum outcome outcome;
    const struct sw_error *bad; /* a rejected event's error (its parsed event's) */
};

struct batch {
    struct slot *s;
    size_t n;
    int64_t applied, duplicate, held, rejected;
    json_t *touched;   /* the orders of the new events (keys) */
    struct sw_map ids; /* the ids of the new events that their order's fold holds */
};

static const char *str_of(const json_t *e, const char *key)
{
    return json_string_value(json_object_get(e, key));
}

/* A request's events read and checked: a pure function of the payload, so done by the prepare
 * hook on the HTTP thread (the single writer then only stores and folds), or by the handler
 * when no hook ran (the CLI, a replay of the log). */
struct parsed_event {
    struct sw_aff_event ev; /* strings borrowed from the payload */
    struct sw_error *bad;   /* a rejected event's error (malloc'd), or NULL */
};
struct parsed {
    size_t n;
    struct parsed_event v[];
};

static void parsed_free(void *prepared)
{
    struct parsed *p = prepared;
    for (size_t i = 0; p && i < p->n; i++)
        free(p->v[i].bad);
    free(p);
}

/* NULL when out of memory; events is an array of at most SW_AFF_EVENTS_MAX. */
static struct parsed *parse_events(const json_t *events)
{
    size_t n = json_array_size(events);
    struct parsed *p = calloc(1, sizeof *p + n * sizeof p->v[0]);
    for (size_t i = 0; p && i < n; i++) {
        char path[32];
        memcpy(path, "events[", 7);
        size_t k = 7 + sw_fmt_i64(path + 7, (int64_t)i);
        memcpy(path + k, "]", 2);
        struct sw_error bad = {0};
        p->n = i + 1;
        if (sw__aff_read_event(json_array_get(events, i), path, &p->v[i].ev, &bad) == SW_OK)
            continue;
        if (!(p->v[i].bad = malloc(sizeof bad))) {
            parsed_free(p);
            return NULL;
        }
        *p->v[i].bad = bad;
    }
    return p;
}

/* The prepare hook: a request that is not a batch of events is left to the handler to refuse
 * (an empty result, which it does not take). */
static int prepare(struct sw_engine *e, struct sw_conn *reader, const struct sw_cmd *cmd,
                   void **out, struct sw_error *err)
{
    (void)e;
    (void)reader;
    const json_t *events = json_object_get(cmd->payload, "events");
    size_t n = json_array_size(events);
    struct parsed *p =
        n >= 1 && n <= SW_AFF_EVENTS_MAX ? parse_events(events) : calloc(1, sizeof(struct parsed));
    if (!p)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    *out = p;
    return SW_OK;
}

/* Stores each event it has not seen; b->touched gets the orders of the new ones. */
static int take(struct sw_ctx *ctx, const json_t *events, const struct parsed *p, struct batch *b,
                struct sw_error *err)
{
    for (size_t i = 0; i < p->n; i++) {
        const struct parsed_event *pe = &p->v[i];
        struct slot *sl = &b->s[b->n++];
        if (pe->bad) {
            const json_t *e = json_array_get(events, i);
            *sl =
                (struct slot){str_of(e, "event_id"), str_of(e, "order"), NULL, O_REJECTED, pe->bad};
            b->rejected++;
            continue;
        }
        const struct sw_aff_event *ev = &pe->ev;
        struct sw_aff_event_row row;
        sw__aff_event_row(ev, ctx->now, &row);
        bool fresh = false;
        int rc = sw_sql_aff_event_insert(ctx->conn, &row, &fresh, err);
        if (rc)
            return rc;
        *sl =
            (struct slot){ev->event_id, ev->order_id, ev->item, fresh ? O_NEW : O_DUPLICATE, NULL};
        if (!fresh)
            b->duplicate++;
        else
            json_object_set_new(b->touched, ev->order_id, json_true());
        if (fresh && ev->type == SW_AT_PAID && (rc = sw__aff_review_paid(ctx, ev, b->touched, err)))
            return rc;
    }
    return SW_OK;
}

/* Each touched order folded once; each new event's outcome from its order's fold. */
static int settle(struct sw_ctx *ctx, struct batch *b, struct sw_error *err)
{
    const char *order;
    json_t *v;
    json_object_foreach(b->touched, order, v)
    {
        int rc = sw__aff_refold(ctx, order, &b->ids, err);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < b->n; i++) {
        struct slot *sl = &b->s[i];
        if (sl->outcome != O_NEW)
            continue;
        bool held = b->ids.count && sw_map_get(&b->ids, sl->event_id, strlen(sl->event_id), NULL);
        sl->outcome = held ? O_HELD : O_APPLIED;
        if (held)
            b->held++;
        else
            b->applied++;
    }
    return SW_OK;
}

/* The conversion rule once per item a request's new events name (a payment, a confirmation or
 * a refund moves the item's counts, the platform-wide ones too): the orders it flags are folded
 * again to show their flag. */
static int conversions(struct sw_ctx *ctx, const struct batch *b, struct sw_error *err)
{
    json_t *items = json_object(), *flagged = json_object();
    for (size_t i = 0; i < b->n; i++)
        if (b->s[i].outcome == O_APPLIED && b->s[i].item)
            json_object_set_new(items, b->s[i].item, json_true());
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

static bool put_str_or_null(struct sw_buf *t, const char *s)
{
    return s ? sw_json_buf_string(t, s, strlen(s)) : sw_buf_puts(t, "null");
}

/* One event's line of the answer: {"event_id","outcome","order"}, or for a rejected one
 * {"event_id","outcome","code","message","order"[,"field"]}. */
static bool put_slot(struct sw_buf *t, const struct slot *sl)
{
    static const char *const names[] = {"rejected", "new", "duplicate", "applied", "held"};
    bool ok = sw_buf_puts(t, "{\"event_id\":") && put_str_or_null(t, sl->event_id) &&
              sw_buf_puts(t, ",\"outcome\":\"") && sw_buf_puts(t, names[sl->outcome]) &&
              sw_buf_puts(t, "\"");
    if (ok && sl->bad)
        ok = sw_buf_puts(t, ",\"code\":\"") && sw_buf_puts(t, sw_err_name(sl->bad->code)) &&
             sw_buf_puts(t, "\",\"message\":") &&
             sw_json_buf_string(t, sl->bad->msg, strlen(sl->bad->msg));
    ok = ok && sw_buf_puts(t, ",\"order\":") && put_str_or_null(t, sl->order);
    if (ok && sl->bad && sl->bad->field[0])
        ok = sw_buf_puts(t, ",\"field\":") &&
             sw_json_buf_string(t, sl->bad->field, strlen(sl->bad->field));
    return ok && sw_buf_puts(t, "}");
}

/* {"applied","duplicate","held","rejected","results":[...]} as text (ctx->result_text). */
static int answer(struct sw_ctx *ctx, const struct batch *b, struct sw_error *err)
{
    struct sw_buf t;
    sw_buf_init(&t, 0);
    bool ok = sw_buf_printf(&t,
                            "{\"applied\":%lld,\"duplicate\":%lld,\"held\":%lld,"
                            "\"rejected\":%lld,\"results\":[",
                            (long long)b->applied, (long long)b->duplicate, (long long)b->held,
                            (long long)b->rejected);
    for (size_t i = 0; ok && i < b->n; i++)
        ok = (i == 0 || sw_buf_puts(&t, ",")) && put_slot(&t, &b->s[i]);
    if (!ok || !sw_buf_puts(&t, "]}")) {
        sw_buf_release(&t);
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot render the feed's answer");
    }
    ctx->result_text = sw_buf_steal(&t);
    return SW_OK;
}

static int check_request(struct sw_ctx *ctx, const json_t *in, const json_t **events,
                         struct sw_error *err)
{
    struct sw_jfield f[] = {{"events", SW_J_ANY, SW_J_REQUIRED, events, 0, NULL}};
    int rc = sw_json_read(in, "", f, 1, true, err);
    if (rc)
        return rc;
    if (!sw_actor_is_feed(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only the order feed reports affiliate events");
    if (!json_is_array(*events))
        return sw_fail(err, SW_E_WRONG_TYPE, "events", "events must be an array");
    if (json_array_size(*events) == 0)
        return sw_fail(err, SW_E_INVALID_VALUE, "events", "events must not be empty");
    if (json_array_size(*events) > SW_AFF_EVENTS_MAX)
        return sw_fail(err, SW_E_BATCH_TOO_LARGE, "events", "at most %d events a request",
                       SW_AFF_EVENTS_MAX);
    return SW_OK;
}

/* The request's events taken, folded and answered; p and b->s hold one entry per event. */
static int run(struct sw_ctx *ctx, const json_t *events, const struct parsed *p, struct batch *b,
               struct sw_error *err)
{
    int rc = take(ctx, events, p, b, err);
    if (rc == SW_OK && (rc = settle(ctx, b, err)) == SW_OK &&
        (rc = conversions(ctx, b, err)) == SW_OK &&
        (rc = sw__aff_schedule_statements(ctx, err)) == SW_OK)
        rc = answer(ctx, b, err);
    return rc;
}

static int ingest(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    (void)result; /* the answer is ctx->result_text */
    const json_t *events = NULL;
    int rc = check_request(ctx, in, &events, err);
    if (rc)
        return rc;
    const struct parsed *p = ctx->prepared;
    struct parsed *own = NULL;
    if (!p || p->n != json_array_size(events))
        p = own = parse_events(events);
    struct batch b = {
        calloc(json_array_size(events), sizeof(struct slot)), 0, 0, 0, 0, 0, json_object(), {0}};
    sw_map_init(&b.ids);
    if (b.s && p)
        rc = run(ctx, events, p, &b, err);
    else
        rc = sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    parsed_free(own);
    free(b.s);
    json_decref(b.touched);
    sw_map_release(&b.ids);
    return rc;
}

int sw_affiliate_register(struct sw_engine *e)
{
    int rc = sw_engine_register(e, "affiliate.ingest", ingest);
    if (rc == SW_OK)
        rc = sw_engine_set_prepare(e, "affiliate.ingest", prepare, parsed_free);
    if (rc == SW_OK)
        rc = sw__aff_review_register(e);
    if (rc == SW_OK)
        rc = sw__aff_rates_register(e);
    return rc ? rc : sw__aff_statements_register(e);
}
