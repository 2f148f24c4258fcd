/* A node's read model of every partition's events (docs/scale-out.md, "Read models"): an
 * ordered consumer of the stream SW_EVT (sw.evt.>) writes each event into the node's own
 * database (<data>/view.db), from which the node answers the views across partitions without
 * asking each owner. Per partition, pos is the seq up to which every event is held and top the
 * greatest held: a read gives events up to pos only, so a hole (an event the stream no longer
 * holds, or one too large for it) is never stepped over; once a second, the holes are filled
 * from the partitions' owners (sw__evt_serve). The stream's sequence consumed is stored with
 * the events, so a restarted node goes on from where it stopped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "cluster/cluster_int.h"
#include "domain/affiliate/affiliate.h"
#include "domain/penalty/penalty.h"
#include "domain/queue/queue.h"
#include "store/view_sql.h"

#define VIEW_BATCH 1024
#define VIEW_FILL 500   /* events asked of an owner at once */
#define VIEW_WALK 65536 /* events of a partition one read walks, at most */
#define VIEW_MODELS 3   /* the version of the models kept from the events (view_meta "models") */

struct sw_view {
    struct sw_cluster *c;
    struct sw_conn db; /* the view thread's */
    struct sw_pool readers;
    bool readers_open;
    pthread_t thread;
    bool started;
    atomic_bool stop;
    pthread_mutex_t mu; /* pos and top, for the readers */
    int64_t *pos, *top;
    int64_t *npos, *ntop; /* the view thread's, copied into pos and top at each commit */
    uint64_t stream_seq;
    natsSubscription *sub;
    int64_t repair_ms;
    int repair_next; /* the partition the next round of repairs starts at */
    int fill_limit;
    bool resubscribe; /* the consumer reported an error: consume again from stream_seq + 1 */
    sw_cluster_view_fn notify;
    void *notify_arg;
};

/* ---------- consuming ---------- */

static bool subscribe(struct sw_view *v)
{
    struct sw_cluster *c = v->c;
    jsStreamInfo *si = NULL;
    if (js_GetStreamInfo(&si, c->js, SW_CL_EVT_STREAM, NULL, NULL) != NATS_OK)
        return false;
    if (v->stream_seq > si->State.LastSeq)
        v->stream_seq = 0; /* the stream was made again: its messages are read anew */
    jsStreamInfo_Destroy(si);
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = SW_CL_EVT_STREAM;
    so.Ordered = true;
    so.Config.DeliverPolicy = js_DeliverByStartSequence;
    so.Config.OptStartSeq = v->stream_seq + 1;
    jsErrCode jerr = 0;
    natsStatus s = js_SubscribeSync(&v->sub, c->js, "sw.evt.>", NULL, &so, &jerr);
    if (s == NATS_OK) /* a slow model must not have messages dropped: they would be lost */
        s = natsSubscription_SetPendingLimits(v->sub, 1 << 20, 1 << 30);
    if (s != NATS_OK && v->sub) {
        natsSubscription_Destroy(v->sub);
        v->sub = NULL;
    }
    if (s != NATS_OK) {
        v->sub = NULL;
        sw_log(SW_LOG_WARN, "cluster.view_subscribe", "%s (jetstream error %d)",
               natsStatus_GetText(s), (int)jerr);
        return false;
    }
    return true;
}

/* Holds one event of partition p (its feed JSON); true when it was new. A stub (an event too
 * large for the stream) is not held: it only moves top, and the hole is filled from the
 * owner. */
static bool hold(struct sw_view *v, int p, const char *text, size_t len)
{
    json_t *ev = json_loadb(text, len, 0, NULL);
    int64_t seq = json_integer_value(json_object_get(ev, "seq"));
    const char *at_s = json_string_value(json_object_get(ev, "at"));
    const char *type = json_string_value(json_object_get(ev, "type"));
    sw_instant at = 0;
    struct sw_error err;
    bool added = false;
    if (seq > 0 && at_s && type && sw_instant_parse(at_s, strlen(at_s), &at, &err) == SW_OK) {
        if (seq > v->ntop[p])
            v->ntop[p] = seq;
        if (!json_is_true(json_object_get(ev, "stub")) && seq > v->npos[p]) {
            char *doc = strndup(text, len);
            if (doc && sw_view_sql_put(&v->db, p, seq, at, type,
                                       json_string_value(json_object_get(ev, "subject")), doc,
                                       &added, &err) != SW_OK)
                sw_log(SW_LOG_WARN, "cluster.view_write", "%s", err.msg);
            free(doc);
        }
    }
    json_decref(ev);
    return added;
}

static int partition_of_subject(struct sw_cluster *c, const char *subject)
{
    if (strncmp(subject, "sw.evt.", 7) != 0)
        return -1;
    char *end;
    long p = strtol(subject + 7, &end, 10);
    return *end || end == subject + 7 || p < 0 || p >= c->cfg.partitions ? -1 : (int)p;
}

/* ---------- models ---------- */

/* The read models kept from the events (the operator queue's, sw_queue_model_apply; the rule
 * quality's, sw_penalty_quality_model_apply; the item counts', sw_affiliate_counts_model_apply)
 * take in
 * partition p's events after `from` up to `to`, in order: what its position moved over. */
static int models_take(struct sw_conn *db, int p, int64_t from, int64_t to, struct sw_error *err)
{
    struct sw_event_filter all = {.from_us = INT64_MIN, .to_us = INT64_MAX};
    int rc = SW_OK;
    while (rc == SW_OK && from < to) {
        json_t *evs = NULL;
        if ((rc = sw_view_sql_events(db, p, from, to, &all, VIEW_BATCH, &evs, err)))
            break;
        size_t i;
        json_t *ev;
        json_array_foreach(evs, i, ev)
        {
            if (rc == SW_OK)
                rc = sw_queue_model_apply(db, p, ev, err);
            if (rc == SW_OK)
                rc = sw_penalty_quality_model_apply(db, p, ev, err);
            if (rc == SW_OK)
                rc = sw_affiliate_counts_model_apply(db, p, ev, err);
        }
        from = json_array_size(evs) ? json_integer_value(json_object_get(
                                          json_array_get(evs, json_array_size(evs) - 1), "seq"))
                                    : to;
        json_decref(evs);
    }
    return rc;
}

/* A model kept by an older release (or none) is made again from the events held. */
static int models_build(struct sw_view *v, struct sw_error *err)
{
    int64_t version = 0;
    int rc = sw_queue_model_open(&v->db, err);
    if (rc == SW_OK)
        rc = sw_penalty_quality_model_open(&v->db, err);
    if (rc == SW_OK)
        rc = sw_affiliate_counts_model_open(&v->db, err);
    if (rc == SW_OK)
        rc = sw_view_sql_meta_get(&v->db, "models", &version, err);
    if (rc || version == VIEW_MODELS)
        return rc;
    if ((rc = sw_conn_exec(&v->db, "BEGIN IMMEDIATE", err)))
        return rc;
    rc = sw_queue_model_clear(&v->db, err);
    if (rc == SW_OK)
        rc = sw_penalty_quality_model_clear(&v->db, err);
    if (rc == SW_OK)
        rc = sw_affiliate_counts_model_clear(&v->db, err);
    for (int p = 0; rc == SW_OK && p < v->c->cfg.partitions; p++)
        rc = models_take(&v->db, p, 0, v->pos[p], err);
    if (rc == SW_OK)
        rc = sw_view_sql_meta_put(&v->db, "models", VIEW_MODELS, err);
    struct sw_error ignored;
    if (rc == SW_OK)
        return sw_conn_exec(&v->db, "COMMIT", err);
    if (sw_conn_exec(&v->db, "ROLLBACK", &ignored) != SW_OK)
        sw_log(SW_LOG_ERROR, "cluster.view_write", "%s", ignored.msg);
    return rc;
}

/* Moves each partition's position over what is now held, commits, and publishes the new
 * positions to the readers. */
static void commit(struct sw_view *v, int added)
{
    struct sw_error err;
    int rc = SW_OK;
    for (int p = 0; rc == SW_OK && p < v->c->cfg.partitions; p++) {
        int64_t was = v->npos[p];
        if (v->ntop[p] > v->npos[p])
            rc = sw_view_sql_advance(&v->db, p, &v->npos[p], v->ntop[p], &err);
        if (rc == SW_OK && v->npos[p] > was)
            rc = models_take(&v->db, p, was, v->npos[p], &err);
    }
    if (rc == SW_OK)
        rc = sw_view_sql_save_stream(&v->db, v->stream_seq, &err);
    if (rc == SW_OK)
        rc = sw_conn_exec(&v->db, "COMMIT", &err);
    if (rc != SW_OK) {
        /* what the batch took is not held: back to the stored positions, and the stream is
         * consumed again from the stored sequence */
        sw_log(SW_LOG_ERROR, "cluster.view_write", "%s", err.msg);
        if (sw_conn_exec(&v->db, "ROLLBACK", &err) != SW_OK ||
            sw_view_sql_load(&v->db, v->c->cfg.partitions, v->npos, v->ntop, &v->stream_seq,
                             &err) != SW_OK)
            sw_log(SW_LOG_ERROR, "cluster.view_write", "%s", err.msg);
        if (v->sub)
            natsSubscription_Destroy(v->sub);
        v->sub = NULL;
        return;
    }
    size_t n = (size_t)v->c->cfg.partitions;
    pthread_mutex_lock(&v->mu);
    memcpy(v->pos, v->npos, n * sizeof *v->pos);
    memcpy(v->top, v->ntop, n * sizeof *v->top);
    if (added && v->notify) /* under the lock: once unset, no call is in flight */
        v->notify(v->notify_arg);
    pthread_mutex_unlock(&v->mu);
    atomic_fetch_add(&v->c->view_events, (uint64_t)added);
}

/* Takes the messages the consumer has, up to a batch, in one transaction; *m is the first,
 * and receives the one after the batch (NULL when none was waiting). */
static void consume(struct sw_view *v, natsMsg **next)
{
    struct sw_error err;
    if (sw_conn_exec(&v->db, "BEGIN IMMEDIATE", &err) != SW_OK) {
        usleep(100000);
        return; /* *next is taken again */
    }
    int added = 0;
    natsMsg *m = *next;
    for (int n = 0; m && n < VIEW_BATCH; n++) {
        int p = partition_of_subject(v->c, natsMsg_GetSubject(m));
        if (p >= 0)
            added += hold(v, p, natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m));
        jsMsgMetaData *meta = NULL;
        if (natsMsg_GetMetaData(&meta, m) == NATS_OK) {
            v->stream_seq = meta->Sequence.Stream;
            jsMsgMetaData_Destroy(meta);
        }
        natsMsg_Destroy(m);
        m = NULL;
        /* the one after the batch is the next call's first */
        natsStatus st = natsSubscription_NextMsg(&m, v->sub, 1);
        if (st != NATS_OK)
            m = NULL;
        if (st != NATS_OK && st != NATS_TIMEOUT) {
            v->resubscribe = true; /* what it reports (a drop) follows what is taken now */
            break;
        }
    }
    *next = m;
    commit(v, added);
}

/* ---------- holes ---------- */

/* Asks partition p's owner for the events after what is held; false when it did not answer. */
static bool fill(struct sw_view *v, int p)
{
    char req[96], *answer = NULL;
    snprintf(req, sizeof req, "{\"sw_events_after\":%lld,\"limit\":%d}", (long long)v->npos[p],
             v->fill_limit);
    int rc = sw__cl_read_once(v->c, p, req, &answer);
    if (rc != SW_OK) {
        if (rc == SW_E_INTERNAL && v->fill_limit > 1) /* too large for the broker */
            v->fill_limit = v->fill_limit / 10 > 1 ? v->fill_limit / 10 : 1;
        free(answer);
        return false;
    }
    if (v->fill_limit < VIEW_FILL)
        v->fill_limit = v->fill_limit * 2 < VIEW_FILL ? v->fill_limit * 2 : VIEW_FILL;
    json_t *doc = json_loads(answer, 0, NULL);
    free(answer);
    struct sw_error err;
    int added = 0;
    if (sw_conn_exec(&v->db, "BEGIN IMMEDIATE", &err) == SW_OK) {
        size_t i;
        json_t *ev;
        json_array_foreach(json_object_get(doc, "events"), i, ev)
        {
            char *text = json_dumps(ev, JSON_COMPACT);
            if (text)
                added += hold(v, p, text, strlen(text));
            free(text);
        }
        commit(v, added);
    }
    json_decref(doc);
    atomic_fetch_add(&v->c->view_filled, (uint64_t)added);
    return added > 0;
}

/* Once a second, for up to a second (an owner that does not answer costs a try of 2 s), from
 * where the last round stopped: the stream is consumed between rounds. */
static void repair(struct sw_view *v)
{
    int64_t start = sw__cl_mono_ms();
    if (start - v->repair_ms < 1000)
        return;
    int n = v->c->cfg.partitions;
    for (int k = 0; k < n && !atomic_load(&v->stop); k++) {
        int p = (v->repair_next + k) % n;
        while (v->ntop[p] > v->npos[p] && !atomic_load(&v->stop) && fill(v, p) &&
               sw__cl_mono_ms() - start < 1000)
            ;
        if (sw__cl_mono_ms() - start >= 1000) {
            v->repair_next = (p + 1) % n;
            break;
        }
    }
    v->repair_ms = sw__cl_mono_ms();
}

static void *view_main(void *arg)
{
    struct sw_view *v = arg;
    natsMsg *m = NULL;
    while (!atomic_load(&v->stop)) {
        if (!v->sub && !subscribe(v)) {
            usleep(500000);
            continue;
        }
        natsStatus s = m ? NATS_OK : natsSubscription_NextMsg(&m, v->sub, 200);
        if (s == NATS_OK) {
            consume(v, &m);
            if (v->resubscribe && v->sub) {
                natsSubscription_Destroy(v->sub);
                v->sub = NULL;
            }
            v->resubscribe = false;
            if (!v->sub) { /* a failed write or a drop: consumed again from the stream position */
                natsMsg_Destroy(m);
                m = NULL;
            }
        } else if (s != NATS_TIMEOUT) {
            sw_log(SW_LOG_WARN, "cluster.view_consume", "%s: consuming again from %llu",
                   natsStatus_GetText(s), (unsigned long long)v->stream_seq + 1);
            natsSubscription_Destroy(v->sub);
            v->sub = NULL;
            usleep(200000);
        }
        repair(v);
    }
    natsMsg_Destroy(m);
    if (v->sub)
        natsSubscription_Destroy(v->sub);
    v->sub = NULL;
    return NULL;
}

/* ---------- start, stop, reads ---------- */

static void view_free(struct sw_view *v)
{
    if (v->readers_open)
        sw_pool_close(&v->readers);
    if (v->db.db)
        sw_conn_close(&v->db);
    pthread_mutex_destroy(&v->mu);
    free(v->pos);
    free(v->top);
    free(v->npos);
    free(v->ntop);
    free(v);
}

int sw__view_start(struct sw_cluster *c, struct sw_error *err)
{
    struct sw_view *v = calloc(1, sizeof *v);
    if (!v)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    size_t n = (size_t)c->cfg.partitions;
    v->c = c;
    v->fill_limit = VIEW_FILL;
    pthread_mutex_init(&v->mu, NULL);
    v->pos = calloc(n, sizeof *v->pos);
    v->top = calloc(n, sizeof *v->top);
    v->npos = calloc(n, sizeof *v->npos);
    v->ntop = calloc(n, sizeof *v->ntop);
    char path[4200];
    snprintf(path, sizeof path, "%s/view.db", c->data_dir);
    int rc = v->pos && v->top && v->npos && v->ntop
                 ? sw_view_sql_open(&v->db, path, err)
                 : sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    if (rc == SW_OK)
        rc = sw_view_sql_load(&v->db, (int)n, v->pos, v->top, &v->stream_seq, err);
    if (rc == SW_OK)
        rc = models_build(v, err);
    if (rc == SW_OK && (rc = sw_pool_open(&v->readers, path, 2, err)) == SW_OK)
        v->readers_open = true;
    if (rc == SW_OK) {
        memcpy(v->npos, v->pos, n * sizeof *v->pos);
        memcpy(v->ntop, v->top, n * sizeof *v->top);
        if (pthread_create(&v->thread, NULL, view_main, v) != 0)
            rc = sw_fail(err, SW_E_INTERNAL, NULL, "cannot start the read model's thread");
    }
    if (rc != SW_OK) {
        view_free(v);
        return rc;
    }
    v->started = true;
    c->view = v;
    return SW_OK;
}

void sw__view_stop(struct sw_cluster *c)
{
    struct sw_view *v = c->view;
    if (!v)
        return;
    atomic_store(&v->stop, true);
    pthread_join(v->thread, NULL);
    c->view = NULL;
    view_free(v);
}

void sw_cluster_view_on_events(struct sw_cluster *c, sw_cluster_view_fn fn, void *arg)
{
    if (c->view) {
        pthread_mutex_lock(&c->view->mu);
        c->view->notify_arg = arg;
        c->view->notify = fn;
        pthread_mutex_unlock(&c->view->mu);
    }
}

int sw_cluster_view_events(void *cluster, int p, int64_t after, const struct sw_event_filter *f,
                           int limit, json_t **out, int64_t *walked, int64_t *held,
                           struct sw_error *err)
{
    struct sw_cluster *c = cluster;
    struct sw_view *v = c->view;
    if (!v || p < 0 || p >= c->cfg.partitions)
        return sw_fail(err, SW_E_INTERNAL, NULL, "no read model of partition %d", p);
    pthread_mutex_lock(&v->mu);
    *held = v->pos[p];
    pthread_mutex_unlock(&v->mu);
    /* a filtered read walks at most VIEW_WALK events of the partition (as the feed of one
     * store does): *walked says how far */
    int64_t upto = *held - after > VIEW_WALK ? after + VIEW_WALK : *held;
    *walked = upto;
    struct sw_conn *conn = sw_pool_acquire(&v->readers);
    int rc = sw_view_sql_events(conn, p, after, upto, f, limit, out, err);
    sw_pool_release(&v->readers, conn);
    return rc;
}

int sw_cluster_view_queue(void *cluster, int64_t now, const char *after, int limit, json_t **out,
                          struct sw_error *err)
{
    struct sw_cluster *c = cluster;
    struct sw_view *v = c->view;
    if (!v)
        return sw_fail(err, SW_E_INTERNAL, NULL, "no read model of the queue");
    struct sw_conn *conn = sw_pool_acquire(&v->readers);
    /* one snapshot: the lists and counts as one commit of the model left them */
    int rc = sw_conn_exec(conn, "BEGIN", err);
    if (rc == SW_OK) {
        /* a cursor is a violation the model knows, as one database's queue requires (the
         * penalty module's model holds every violation; "@p<N>" of earlier cursors aside) */
        char id[64];
        bool known = true;
        if (after) {
            snprintf(id, sizeof id, "%.*s", (int)strcspn(after, "@"), after);
            rc = sw_penalty_quality_model_knows(conn, id, &known, err);
        }
        if (rc == SW_OK && !known)
            rc = sw_fail(err, SW_E_INVALID_VALUE, "after", "unknown cursor '%s'", after);
        if (rc == SW_OK)
            rc = sw_queue_model_read(conn, now, after, limit, out, err);
        struct sw_error ignored;
        if (sw_conn_exec(conn, "COMMIT", &ignored) != SW_OK)
            sw_log(SW_LOG_WARN, "cluster.view_read", "%s", ignored.msg);
    }
    sw_pool_release(&v->readers, conn);
    return rc;
}

int sw_cluster_view_quality(void *cluster, const char *rule, const char *policy_version,
                            json_t **out, struct sw_error *err)
{
    struct sw_cluster *c = cluster;
    struct sw_view *v = c->view;
    if (!v)
        return sw_fail(err, SW_E_INTERNAL, NULL, "no read model of the rule quality");
    struct sw_conn *conn = sw_pool_acquire(&v->readers);
    int rc = sw_penalty_quality_model_read(conn, rule, policy_version, out, err);
    sw_pool_release(&v->readers, conn);
    return rc;
}

int sw__view_rates_start(struct sw_cluster *c, struct sw_aff_rates_pos *pos, struct sw_error *err)
{
    struct sw_view *v = c->view;
    if (!v)
        return sw_fail(err, SW_E_INTERNAL, NULL, "no read model of the item counts");
    struct sw_conn *conn = sw_pool_acquire(&v->readers);
    int rc = sw_affiliate_counts_model_start(conn, pos, err);
    sw_pool_release(&v->readers, conn);
    return rc;
}

int sw__view_rates_pending(struct sw_cluster *c, int q, const struct sw_aff_rates_pos *from,
                           int limit, json_t **items, struct sw_aff_rates_pos *to, bool *more,
                           struct sw_error *err)
{
    struct sw_view *v = c->view;
    if (!v)
        return sw_fail(err, SW_E_INTERNAL, NULL, "no read model of the item counts");
    struct sw_conn *conn = sw_pool_acquire(&v->readers);
    int rc = sw_affiliate_counts_model_pending(conn, q, from, limit, items, to, more, err);
    sw_pool_release(&v->readers, conn);
    return rc;
}

void sw__view_metrics(struct sw_cluster *c, int64_t *held_behind)
{
    struct sw_view *v = c->view;
    *held_behind = 0;
    if (!v)
        return;
    pthread_mutex_lock(&v->mu);
    for (int p = 0; p < c->cfg.partitions; p++)
        *held_behind += v->top[p] - v->pos[p];
    pthread_mutex_unlock(&v->mu);
}
