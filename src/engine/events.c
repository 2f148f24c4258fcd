/* What a command's handler does besides its own tables: emit events (logged, dispatched to
 * subscribers in the same transaction) and schedule timers; and, after the commit, the hook
 * that tells the event feed that events came. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "engine/engine_int.h"
#include "store/journal.h"

static bool subscribed(const struct sub_def *s, const char *type)
{
    return strcmp(s->event_type, "*") == 0 || strcmp(s->event_type, type) == 0;
}

/* Whether anyone subscribes to the type (*any), and anyone who reads the payload (*reads). */
static void subscribers(const struct sw_engine *e, const char *type, bool *any, bool *reads)
{
    *any = *reads = false;
    for (int i = 0; i < e->nsubs; i++)
        if (subscribed(&e->subs[i], type)) {
            *any = true;
            *reads = *reads || !e->subs[i].ids_only;
        }
}

/* Logs an event with payload `text` and dispatches `payload` to the subscribers of its type.
 * payload (stolen) may be NULL when the event was rendered as text: it is then parsed from
 * the text, and only if a subscriber of the type reads payloads (the others get NULL). */
static int emit(struct sw_ctx *ctx, const char *type, const char *merchant, const char *subject,
                json_t *payload, const char *text, int64_t *seq_out, struct sw_error *err)
{
    struct sw_engine *e = ctx->engine;
    if (ctx->nevents >= SW_EVENTS_PER_COMMAND_MAX) {
        json_decref(payload);
        return sw_fail(err, SW_E_INTERNAL, NULL, "command emitted too many events");
    }
    if (ctx->depth >= SW_DISPATCH_MAX_DEPTH) {
        json_decref(payload);
        return sw_fail(err, SW_E_INTERNAL, NULL, "event cascade deeper than %d",
                       SW_DISPATCH_MAX_DEPTH);
    }
    int64_t seq = e->next_event_seq;
    int rc = sw_journal_insert_event(&e->writer, seq, ctx->now, type, merchant, subject, text,
                                     ctx->policy->version, ctx->command_seq, err);
    bool any, reads;
    subscribers(e, type, &any, &reads);
    if (rc == SW_OK && !payload && reads)
        rc = sw_json_parse(text, strlen(text), &payload, err);
    if (rc) {
        json_decref(payload);
        return rc;
    }
    e->next_event_seq++;
    if (seq_out)
        *seq_out = seq;
    /* types are dotted snake_case names from the code: nothing to escape */
    if (!sw_buf_printf(&ctx->events_text, "%s{\"seq\":%lld,\"type\":\"%s\"}",
                       ctx->nevents ? "," : "", (long long)seq, type)) {
        json_decref(payload);
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    }
    ctx->nevents++;
    ctx->last_event_seq = seq;
    if (ctx->depth == 0 && payload) {
        json_decref(ctx->last_payload);
        ctx->last_payload = json_incref(payload);
        ctx->last_payload_seq = seq;
    }
    if (!any) {
        json_decref(payload);
        return SW_OK; /* nobody listens */
    }
    struct sw_event ev = {seq, ctx->now, type, merchant, subject, payload};
    ctx->depth++;
    for (int i = 0; i < e->nsubs && rc == SW_OK; i++)
        if (subscribed(&e->subs[i], type))
            rc = e->subs[i].fn(ctx, &ev, err);
    ctx->depth--;
    json_decref(payload);
    return rc;
}

int sw_ctx_emit(struct sw_ctx *ctx, const char *type, const char *merchant, const char *subject,
                json_t *payload, struct sw_error *err)
{
    if (!payload)
        payload = json_object();
    char *text = sw_json_dump(payload);
    if (!text) {
        json_decref(payload);
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot serialise event");
    }
    int rc = emit(ctx, type, merchant, subject, payload, text, NULL, err);
    free(text);
    return rc;
}

int sw_ctx_emit_text(struct sw_ctx *ctx, const char *type, const char *merchant,
                     const char *subject, const char *text, int64_t *seq, struct sw_error *err)
{
    return emit(ctx, type, merchant, subject, NULL, text, seq, err);
}

int sw_ctx_schedule(struct sw_ctx *ctx, const char *key, sw_instant due, const char *kind,
                    const char *merchant, const char *subject, json_t *payload,
                    struct sw_error *err)
{
    if (!payload)
        payload = json_object();
    char *text = sw_json_dump(payload);
    json_decref(payload);
    if (!text)
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot serialise timer payload");
    int rc = sw_journal_timer_put(ctx->conn, key, due, kind, merchant, subject, text, err);
    free(text);
    sw__timers_lower(ctx->engine, due);
    return rc;
}

int sw_ctx_cancel_timer(struct sw_ctx *ctx, const char *key, struct sw_error *err)
{
    return sw_journal_timer_del(ctx->conn, key, err);
}

/* After the COMMIT of a batch that appended events (the writer thread). */
void sw__events_committed(struct sw_engine *e, int64_t last_seq)
{
    atomic_store(&e->last_event_seq, last_seq);
    pthread_mutex_lock(&e->hook_mu);
    if (e->on_events)
        e->on_events(e->on_events_arg, last_seq);
    pthread_mutex_unlock(&e->hook_mu);
}

void sw_engine_on_events(struct sw_engine *e, sw_engine_events_fn fn, void *arg)
{
    pthread_mutex_lock(&e->hook_mu);
    e->on_events = fn;
    e->on_events_arg = arg;
    pthread_mutex_unlock(&e->hook_mu);
}

int64_t sw_engine_last_event_seq(struct sw_engine *e)
{
    return atomic_load(&e->last_event_seq);
}

/* "[" + the emitted list + "]", malloc'd; the buffer is released. */
char *sw__events_array(struct sw_buf *b)
{
    size_t n = b->len;
    char *out = malloc(n + 3);
    if (out) {
        out[0] = '[';
        if (n)
            memcpy(out + 1, b->data, n);
        out[n + 1] = ']';
        out[n + 2] = '\0';
    }
    sw_buf_release(b);
    return out;
}

/* --- a completed command's outcome --- */

void sw_cmd_release(struct sw_cmd *cmd)
{
    json_decref(cmd->result);
    json_decref(cmd->events);
    json_decref(cmd->event_payloads);
    cmd->event_payloads = NULL;
    json_decref(cmd->err_details);
    cmd->err_details = NULL;
    free(cmd->result_text);
    free(cmd->events_text);
    cmd->result_text = NULL;
    cmd->events_text = NULL;
    cmd->result = NULL;
    cmd->events = NULL;
}

json_t *sw_cmd_events(struct sw_cmd *cmd)
{
    if (!cmd->events && cmd->events_text)
        cmd->events = json_loads(cmd->events_text, 0, NULL);
    if (!cmd->events)
        cmd->events = json_array();
    return cmd->events;
}

char *sw_cmd_events_text(const struct sw_cmd *cmd)
{
    if (!cmd->events && cmd->events_text)
        return strdup(cmd->events_text);
    return cmd->events ? sw_json_dump(cmd->events) : strdup("[]");
}
