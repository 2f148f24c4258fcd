/* The owner's side of the event stream (docs/scale-out.md, "Read models"): every event a
 * partition commits is published to sw.evt.<p> in the stream SW_EVT, one message per event
 * (the event as the feed gives it), Nats-Msg-Id "e.<p>.<seq>". The nodes' read models
 * (view.c) consume the stream. At each turn of the partition's loop, the events committed since
 * are published asynchronously, up to EVT_SEND_MAX, and the turn waits for the broker's
 * acknowledgements (one round trip per batch); a batch the broker did not take in full is sent
 * again at the next turn (the message id and the read model both drop a repeat). So at most
 * one batch is unconfirmed when an owner dies: a new owner publishes again from a batch before
 * the older of the stream's last event and its own snapshot's (the engine is deterministic: the
 * events it applies again are the ones already there). The read model fetches what the stream
 * no longer holds from the owner (sw__evt_serve). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "cluster/cluster_int.h"
#include "store/journal.h"

#define EVT_SEND_MAX 2048        /* events sent in one turn of the partition's loop */
#define EVT_ACK_WAIT_MS 5000     /* the longest a turn waits for the broker's acknowledgements */
#define EVT_STUB_OVER 65536      /* an event longer than this goes as a stub */
#define EVT_SERVE_BYTES 262144   /* a read model's page of events, at most (one event at least) */
#define EVT_SERVE_ONE_MAX 786432 /* an event longer than this is served as a placeholder */

static void on_pub_err(jsCtx *js, jsPubAckErr *pae, void *closure)
{
    (void)js;
    (void)pae;
    struct sw_part *pt = closure;
    atomic_store(&pt->evt_failed, true);
}

/* The seq of the last event of p in the stream (0: none); false when the broker could not
 * tell. */
static bool last_in_stream(struct sw_part *pt, int64_t *seq)
{
    char subject[32];
    snprintf(subject, sizeof subject, "sw.evt.%d", pt->p);
    natsMsg *m = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetLastMsg(&m, pt->cl->js, SW_CL_EVT_STREAM, subject, NULL, &jerr);
    if (jerr == JSNoMessageFoundErr) {
        *seq = 0;
        return true;
    }
    if (s != NATS_OK)
        return false;
    json_t *ev = json_loadb(natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m), 0, NULL);
    json_t *v = json_object_get(ev, "seq");
    bool ok = json_is_integer(v);
    *seq = ok ? json_integer_value(v) : 0;
    json_decref(ev);
    natsMsg_Destroy(m);
    return ok;
}

void sw__evt_begin(struct sw_part *pt)
{
    pt->evt_known = false;
    pt->evt_pub = 0;
    atomic_store(&pt->evt_failed, false);
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 5000;
    jo.PublishAsync.MaxPending = (int64_t)EVT_SEND_MAX * 2;
    jo.PublishAsync.ErrHandler = on_pub_err;
    jo.PublishAsync.ErrHandlerClosure = pt;
    if (natsConnection_JetStream(&pt->evt_js, pt->cl->nc, &jo) != NATS_OK) {
        pt->evt_js = NULL;
        sw_log(SW_LOG_ERROR, "cluster.events",
               "partition %d: no JetStream context: its events are not published", pt->p);
    }
}

void sw__evt_end(struct sw_part *pt)
{
    if (!pt->evt_js)
        return;
    jsCtx_Destroy(pt->evt_js); /* every batch was waited for: nothing is pending */
    pt->evt_js = NULL;
}

static bool send_one(struct sw_part *pt, json_t *ev)
{
    char subject[32], id[64];
    snprintf(subject, sizeof subject, "sw.evt.%d", pt->p);
    snprintf(id, sizeof id, "e.%d.%lld", pt->p,
             (long long)json_integer_value(json_object_get(ev, "seq")));
    char *text = json_dumps(ev, JSON_COMPACT);
    if (text && strlen(text) > EVT_STUB_OVER) {
        /* too large for the stream's messages: the read model fetches it from the owner */
        free(text);
        json_t *stub =
            json_pack("{s:O,s:O,s:O,s:b}", "seq", json_object_get(ev, "seq"), "at",
                      json_object_get(ev, "at"), "type", json_object_get(ev, "type"), "stub", 1);
        text = stub ? json_dumps(stub, JSON_COMPACT) : NULL;
        json_decref(stub);
    }
    if (!text)
        return false;
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MsgId = id;
    natsStatus s = js_PublishAsync(pt->evt_js, subject, text, (int)strlen(text), &po);
    free(text);
    return s == NATS_OK;
}

/* Where a new owner starts: a batch before the older of the stream's last event and its
 * snapshot's, so that the one batch a dying owner may have left unconfirmed is sent again. */
static bool start_at(struct sw_part *pt)
{
    int64_t in_stream;
    if (!last_in_stream(pt, &in_stream))
        return false; /* the broker is away: the next turn asks again */
    int64_t here = sw_engine_last_event_seq(pt->engine);
    int64_t from = (in_stream < here ? in_stream : here) - EVT_SEND_MAX;
    pt->evt_pub = from > 0 ? from : 0;
    pt->evt_known = true;
    return true;
}

void sw__evt_publish(struct sw_part *pt)
{
    if (!pt->evt_js || !pt->engine || (!pt->evt_known && !start_at(pt)))
        return;
    if (sw_engine_last_event_seq(pt->engine) <= pt->evt_pub)
        return;
    json_t *rows = NULL;
    struct sw_error err;
    struct sw_pool *pool = sw_engine_readers(pt->engine);
    struct sw_conn *conn = sw_pool_acquire(pool);
    int rc = sw_journal_events_page(conn, pt->evt_pub, EVT_SEND_MAX, &rows, &err);
    sw_pool_release(pool, conn);
    if (rc != SW_OK)
        return;
    atomic_store(&pt->evt_failed, false);
    int64_t sent = pt->evt_pub;
    size_t i, n = 0;
    json_t *ev;
    json_array_foreach(rows, i, ev)
    {
        if (!send_one(pt, ev))
            break;
        sent = json_integer_value(json_object_get(ev, "seq"));
        n++;
    }
    json_decref(rows);
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = EVT_ACK_WAIT_MS;
    natsStatus s = n ? js_PublishAsyncComplete(pt->evt_js, &po) : NATS_OK;
    if (n && s == NATS_OK && !atomic_load(&pt->evt_failed)) {
        pt->evt_pub = sent;
        atomic_fetch_add(&pt->cl->events_published, (uint64_t)n);
        return;
    }
    natsMsgList pending = {0};
    if (js_PublishAsyncGetPendingList(&pending, pt->evt_js) == NATS_OK)
        natsMsgList_Destroy(&pending);
    sw_log(SW_LOG_WARN, "cluster.events_resend",
           "partition %d: events after %lld not all taken by the broker (%s); sent again", pt->p,
           (long long)pt->evt_pub, natsStatus_GetText(s));
}

/* {"sw_events_after": N, "limit": K} */
bool sw__evt_is_request(const char *request)
{
    return strncmp(request, "{\"sw_events_after\":", 19) == 0;
}

/* An event too large for the broker's message, as a placeholder the read model holds. */
static json_t *placeholder(const json_t *ev)
{
    return json_pack("{s:O,s:O,s:O,s:O,s:O,s:n,s:b}", "seq", json_object_get(ev, "seq"), "at",
                     json_object_get(ev, "at"), "type", json_object_get(ev, "type"), "merchant",
                     json_object_get(ev, "merchant"), "subject", json_object_get(ev, "subject"),
                     "payload", "too_large", 1);
}

char *sw__evt_serve(struct sw_part *pt, const char *request)
{
    json_t *q = json_loads(request, 0, NULL);
    int64_t after = json_integer_value(json_object_get(q, "sw_events_after"));
    int64_t limit = json_integer_value(json_object_get(q, "limit"));
    json_decref(q);
    if (limit < 1)
        limit = 1;
    if (limit > EVT_SEND_MAX)
        limit = EVT_SEND_MAX;
    json_t *rows = NULL;
    struct sw_error err;
    struct sw_pool *pool = sw_engine_readers(pt->engine);
    struct sw_conn *conn = sw_pool_acquire(pool);
    int rc = sw_journal_events_page(conn, after, (int)limit, &rows, &err);
    sw_pool_release(pool, conn);
    if (rc != SW_OK)
        return NULL;
    /* up to EVT_SERVE_BYTES of them, one at least, so that the answer fits a message */
    json_t *page = json_array(), *ev;
    size_t i, bytes = 0;
    json_array_foreach(rows, i, ev)
    {
        char *text = json_dumps(ev, JSON_COMPACT);
        size_t n = text ? strlen(text) : 0;
        free(text);
        if (i > 0 && bytes + n > EVT_SERVE_BYTES)
            break;
        bytes += n;
        json_array_append_new(page, n > EVT_SERVE_ONE_MAX ? placeholder(ev) : json_incref(ev));
    }
    json_decref(rows);
    json_t *doc = json_pack("{s:o}", "events", page);
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return text;
}
