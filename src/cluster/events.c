/* The owner's side of the event stream (docs/scale-out.md, "Read models"): every event a
 * partition commits is published to sw.evt.<p> in the stream SW_EVT, one message per event
 * (the event as the feed gives it), Nats-Msg-Id "e.<p>.<seq>". The nodes' read models
 * (view.c) consume the stream. Publishing is asynchronous and never holds up the partition's
 * commands: what was sent is confirmed at a later turn of the partition's loop, and a range
 * the broker did not take is sent again (the message id and the read model both drop a
 * repeat). A new owner starts after the last event of its partition in the stream: the events
 * it applies again after its snapshot are the ones already there (the engine is
 * deterministic), and the events the previous owner committed but never published are
 * published now. The read model fetches what the stream no longer holds from the owner
 * (sw__evt_serve). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "cluster/cluster_int.h"
#include "store/journal.h"

#define EVT_SEND_MAX 2048   /* events sent in one turn of the partition's loop */
#define EVT_RESEND_MS 5000  /* unconfirmed this long: sent again */
#define EVT_STUB_OVER 65536 /* an event longer than this goes as a stub */

static void on_pub_err(jsCtx *js, jsPubAckErr *pae, void *closure)
{
    (void)js;
    (void)pae;
    struct sw_part *pt = closure;
    atomic_store(&pt->evt_failed, true);
}

/* The seq of the last event of p in the stream; false when the broker could not tell. */
static bool last_in_stream(struct sw_part *pt, int64_t *seq)
{
    char subject[32];
    snprintf(subject, sizeof subject, "sw.evt.%d", pt->p);
    natsMsg *m = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetLastMsg(&m, pt->cl->js, SW_CL_EVT_STREAM, subject, NULL, &jerr);
    if (s == NATS_NOT_FOUND || jerr == JSNoMessageFoundErr) {
        *seq = 0;
        return true;
    }
    if (s != NATS_OK)
        return false;
    json_t *ev = json_loadb(natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m), 0, NULL);
    *seq = json_integer_value(json_object_get(ev, "seq"));
    json_decref(ev);
    natsMsg_Destroy(m);
    return true;
}

void sw__evt_begin(struct sw_part *pt)
{
    pt->evt_known = false;
    pt->evt_sent = pt->evt_pub = 0;
    atomic_store(&pt->evt_failed, false);
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 5000;
    jo.PublishAsync.MaxPending = 8192;
    jo.PublishAsync.ErrHandler = on_pub_err;
    jo.PublishAsync.ErrHandlerClosure = pt;
    if (natsConnection_JetStream(&pt->evt_js, pt->cl->nc, &jo) != NATS_OK)
        pt->evt_js = NULL;
}

void sw__evt_end(struct sw_part *pt)
{
    if (!pt->evt_js)
        return;
    if (!pt->lost && pt->evt_sent > pt->evt_pub) {
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MaxWait = 2000;
        js_PublishAsyncComplete(pt->evt_js, &po);
    }
    jsCtx_Destroy(pt->evt_js);
    pt->evt_js = NULL;
}

/* What was sent: confirmed (evt_pub moves), or to be sent again (evt_sent moves back). */
static void confirm(struct sw_part *pt)
{
    if (pt->evt_sent <= pt->evt_pub)
        return;
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = 1;
    natsStatus s = js_PublishAsyncComplete(pt->evt_js, &po);
    bool failed = atomic_exchange(&pt->evt_failed, false);
    if (s == NATS_OK && !failed) {
        pt->evt_pub = pt->evt_sent;
        return;
    }
    if (!failed && sw__cl_mono_ms() - pt->evt_sent_ms < EVT_RESEND_MS)
        return; /* not answered yet */
    natsMsgList pending = {0};
    if (js_PublishAsyncGetPendingList(&pending, pt->evt_js) == NATS_OK)
        natsMsgList_Destroy(&pending);
    sw_log(SW_LOG_WARN, "cluster.events_resend", "partition %d: events %lld-%lld sent again", pt->p,
           (long long)pt->evt_pub + 1, (long long)pt->evt_sent);
    pt->evt_sent = pt->evt_pub;
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

void sw__evt_publish(struct sw_part *pt)
{
    if (!pt->evt_js || !pt->engine)
        return;
    if (!pt->evt_known) {
        if (!last_in_stream(pt, &pt->evt_pub))
            return; /* the broker is away: the next turn asks again */
        pt->evt_sent = pt->evt_pub;
        pt->evt_known = true;
    }
    confirm(pt);
    int64_t last = sw_engine_last_event_seq(pt->engine);
    if (last <= pt->evt_sent)
        return;
    json_t *rows = NULL;
    struct sw_error err;
    struct sw_pool *pool = sw_engine_readers(pt->engine);
    struct sw_conn *conn = sw_pool_acquire(pool);
    int rc = sw_journal_events_page(conn, pt->evt_sent, EVT_SEND_MAX, &rows, &err);
    sw_pool_release(pool, conn);
    if (rc != SW_OK)
        return;
    size_t i;
    json_t *ev;
    if (pt->evt_sent == pt->evt_pub)
        pt->evt_sent_ms = sw__cl_mono_ms();
    json_array_foreach(rows, i, ev)
    {
        if (!send_one(pt, ev))
            break;
        pt->evt_sent = json_integer_value(json_object_get(ev, "seq"));
        atomic_fetch_add(&pt->cl->events_published, 1);
    }
    json_decref(rows);
}

/* {"sw_events_after": N, "limit": K} */
bool sw__evt_is_request(const char *request)
{
    return strncmp(request, "{\"sw_events_after\":", 19) == 0;
}

char *sw__evt_serve(struct sw_part *pt, const char *request)
{
    json_t *q = json_loads(request, 0, NULL);
    int64_t after = json_integer_value(json_object_get(q, "sw_events_after"));
    int64_t limit = json_integer_value(json_object_get(q, "limit"));
    json_decref(q);
    if (limit <= 0 || limit > EVT_SEND_MAX)
        limit = EVT_SEND_MAX;
    json_t *rows = NULL;
    struct sw_error err;
    struct sw_pool *pool = sw_engine_readers(pt->engine);
    struct sw_conn *conn = sw_pool_acquire(pool);
    int rc = sw_journal_events_page(conn, after, (int)limit, &rows, &err);
    sw_pool_release(pool, conn);
    if (rc != SW_OK)
        return NULL;
    json_t *doc = json_pack("{s:o}", "events", rows);
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return text;
}
