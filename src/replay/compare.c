/* Comparing a replay with the log: event by event (the determinism check). */
#include "replay/replay_int.h"

#include <stdlib.h>
#include <string.h>

#include "store/replay_sql.h"

#define PAGE 4096

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_event(const struct sw_replay_event_row *a, const struct sw_replay_event_row *b)
{
    return a->at == b->at && same_str(a->type, b->type) && same_str(a->merchant, b->merchant) &&
           same_str(a->subject, b->subject) && same_str(a->payload, b->payload) &&
           same_str(a->policy_version, b->policy_version);
}

static json_t *event_json(const struct sw_replay_event_row *e)
{
    if (!e)
        return json_null();
    json_t *payload = json_loads(e->payload ? e->payload : "null", JSON_DECODE_ANY, NULL);
    return json_pack("{s:I,s:I,s:I,s:s,s:s?,s:s?,s:o,s:s}", "seq", (json_int_t)e->seq, "at",
                     (json_int_t)e->at, "command_seq", (json_int_t)e->command_seq, "type", e->type,
                     "merchant", e->merchant, "subject", e->subject, "payload",
                     payload ? payload : json_null(), "policy_version", e->policy_version);
}

/* A page of rows, refilled as the walk goes. */
struct side {
    struct sw_conn *c;
    int64_t upto, after;
    struct sw_replay_event_row rows[PAGE];
    int n, i;
    bool end;
};

static int next(struct side *s, const struct sw_replay_event_row **out, struct sw_error *err)
{
    *out = NULL;
    if (s->i == s->n && !s->end) {
        for (int k = 0; k < s->n; k++)
            sw_replay_event_row_free(&s->rows[k]);
        s->i = s->n = 0;
        int rc = sw_replay_sql_events(s->c, s->after, s->upto, s->rows, PAGE, &s->n, err);
        if (rc)
            return rc;
        s->end = s->n < PAGE;
        if (s->n)
            s->after = s->rows[s->n - 1].seq;
    }
    if (s->i < s->n)
        *out = &s->rows[s->i++];
    return SW_OK;
}

static void side_free(struct side *s)
{
    for (int k = 0; k < s->n; k++)
        sw_replay_event_row_free(&s->rows[k]);
    free(s);
}

int sw__replay_compare_exact(struct sw_conn *live, struct sw_conn *scratch, int64_t last_cmd_seq,
                             const struct sw_replay_opts *o, struct sw_replay_report *r,
                             struct sw_error *err)
{
    struct side *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    }
    *a = (struct side){.c = live, .upto = last_cmd_seq};
    *b = (struct side){.c = scratch, .upto = INT64_MAX};
    int max = o->max_differences > 0 ? o->max_differences : 1000;
    json_t *diffs = json_array();
    int rc = SW_OK;
    for (;;) {
        const struct sw_replay_event_row *x, *y;
        if ((rc = next(a, &x, err)) || (rc = next(b, &y, err)) || (!x && !y))
            break;
        r->events_recorded += x != NULL;
        r->events_replayed += y != NULL;
        if (x && y && same_event(x, y))
            continue;
        if ((x ? x->at : y->at) < o->from)
            continue; /* before the window the caller asked about */
        r->differences++;
        if ((int)json_array_size(diffs) < max)
            json_array_append_new(
                diffs, json_pack("{s:I,s:o,s:o}", "position",
                                 (json_int_t)(x ? r->events_recorded : r->events_replayed),
                                 "recorded", event_json(x), "replayed", event_json(y)));
    }
    json_object_set_new(r->doc, "mode", json_string("determinism"));
    json_object_set_new(r->doc, "differences", diffs);
    side_free(a);
    side_free(b);
    return rc;
}
