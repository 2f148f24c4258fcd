/* The owner's side of a partition: restore the latest snapshot, open the engine on it, and
 * apply the partition's stream from the snapshot on, in order, through a durable pull consumer
 * acknowledged after each batch commits. Each command is answered on its reply subject, also
 * when it is applied again by a new owner (the accepting node may still be waiting). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include <unistd.h>

#include "base/log.h"
#include "cluster/cluster_int.h"
#include "domain/domain.h"

struct item {
    json_t *doc;
    struct sw_cmd cmd;
    const char *reply;
    bool submitted;
};

static int open_engine(struct sw_part *pt, struct sw_error *err)
{
    struct sw_cluster *c = pt->cl;
    struct sw_engine_config ec = {
        .db_path = pt->db_path,
        .policy = c->cfg.policy,
        .clock = &c->clock,
        .sync = SW_SYNC_NORMAL,
        .scheduler = false,
        .read_conns = 2,
        .id_base = sw_cluster_id_base(pt->p),
    };
    int rc = sw_engine_open(&ec, &pt->engine, err);
    if (rc == SW_OK && (rc = sw_domain_register_all(pt->engine)) != SW_OK)
        sw_fail(err, rc, NULL, "cannot register the modules");
    if (rc == SW_OK)
        rc = sw_engine_start(pt->engine, err);
    if (rc != SW_OK && pt->engine) {
        sw_engine_close(pt->engine);
        pt->engine = NULL;
    }
    return rc;
}

/* Whether the consumer the subscription is bound to is the one just created: nothing delivered
 * or acknowledged yet. In a clustered JetStream, a consumer just deleted was seen to be found
 * again by the subscribe that followed, which then bound to it and went on from the previous
 * owner's position, skipping what this database lacks. (Its stream position is no test: with
 * the stream purged below the snapshot (retention), the server starts a filtered consumer at
 * the subject's first message, past the sequence asked for.) */
static bool fresh(natsSubscription *sub)
{
    jsConsumerInfo *ci = NULL;
    if (natsSubscription_GetConsumerInfo(&ci, sub, NULL, NULL) != NATS_OK)
        return false;
    bool ok = ci->Delivered.Consumer == 0 && ci->AckFloor.Consumer == 0;
    jsConsumerInfo_Destroy(ci);
    return ok;
}

/* A durable consumer of the partition's subject starting right after what the snapshot
 * covers, named for this incarnation alone (p<N>-<token>): a node that lost the partition
 * without noticing yet fetches from its own consumer (deleted by the fence), never from this
 * one. With one shared name it did, and took messages this owner then lacked. Made again (same
 * name) after a gap. */
static int subscribe(struct sw_part *pt, natsSubscription **sub, struct sw_error *err)
{
    struct sw_cluster *c = pt->cl;
    char subject[32];
    const char *durable = pt->consumer;
    snprintf(subject, sizeof subject, "sw.cmd.%d", pt->p);
    js_DeleteConsumer(c->js, SW_CL_CMD_STREAM, durable, NULL, NULL);
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = SW_CL_CMD_STREAM;
    so.Config.DeliverPolicy = js_DeliverByStartSequence;
    so.Config.OptStartSeq = pt->applied_seq + 1;
    so.Config.AckPolicy = js_AckAll;
    so.Config.AckWait = (int64_t)60 * 1000000000;
    so.Config.MaxAckPending = 20000;
    jsErrCode jerr = 0;
    natsStatus s = js_PullSubscribe(sub, c->js, subject, durable, NULL, &so, &jerr);
    if (s != NATS_OK)
        return sw__cl_nats_fail(err, s, jerr, "pull subscribe");
    if (fresh(*sub))
        return SW_OK;
    natsSubscription_Destroy(*sub); /* bound to the previous owner's: delete it again */
    *sub = NULL;
    return sw_fail(err, SW_E_BUSY, NULL, "consumer %s was still the previous owner's", durable);
}

static bool decode(struct item *it, natsMsg *m, struct sw_part *pt)
{
    json_error_t je;
    it->doc = json_loadb(natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m), 0, &je);
    json_t *d = it->doc;
    const char *type = json_string_value(json_object_get(d, "type"));
    json_t *payload = json_object_get(d, "payload");
    if (!type || !json_is_object(payload))
        return false;
    sw_instant at = json_integer_value(json_object_get(d, "at"));
    if (at < pt->last_at)
        at = pt->last_at; /* instants never go back within a partition */
    pt->last_at = at;
    it->cmd = (struct sw_cmd){
        .type = type,
        .actor = json_string_value(json_object_get(d, "actor")),
        .actor_key = json_string_value(json_object_get(d, "actor_key")),
        .actor_label = json_string_value(json_object_get(d, "actor_label")),
        .merchant = json_string_value(json_object_get(d, "merchant")),
        .idem_key = json_string_value(json_object_get(d, "idem")),
        .payload = payload,
        .stamp = at,
    };
    if (!it->cmd.actor)
        it->cmd.actor = "system";
    it->reply = json_string_value(json_object_get(d, "reply"));
    return true;
}

/* Waits for the submitted items [from, to) and answers them, in order. */
static void finish(struct sw_part *pt, struct item *items, int from, int to)
{
    for (int i = from; i < to; i++) {
        if (items[i].submitted) {
            sw_engine_wait(pt->engine, &items[i].cmd);
            if (items[i].reply)
                sw__cl_reply(pt->cl, pt->engine, items[i].reply, &items[i].cmd);
            sw_cmd_release(&items[i].cmd);
        }
        json_decref(items[i].doc);
    }
}

enum sw__delivery sw__cl_delivery(uint64_t delivered, uint64_t applied_seq, uint64_t consumer_seq,
                                  uint64_t stream_seq)
{
    if (consumer_seq != delivered + 1)
        return SW_DELIVERY_GAP;
    return stream_seq <= applied_seq ? SW_DELIVERY_SEEN : SW_DELIVERY_APPLY;
}

static enum sw__delivery delivery_of(struct sw_part *pt, natsMsg *m)
{
    jsMsgMetaData *meta = NULL;
    if (natsMsg_GetMetaData(&meta, m) != NATS_OK)
        return SW_DELIVERY_GAP;
    enum sw__delivery d = sw__cl_delivery(pt->delivered, pt->applied_seq, meta->Sequence.Consumer,
                                          meta->Sequence.Stream);
    if (d != SW_DELIVERY_GAP) {
        pt->delivered = meta->Sequence.Consumer;
        if (d == SW_DELIVERY_APPLY)
            pt->applied_seq = meta->Sequence.Stream;
        atomic_store(&pt->pending, meta->NumPending);
    }
    jsMsgMetaData_Destroy(meta);
    return d;
}

/* Applies one fetched batch, in stream order: submitted together (one transaction on the
 * writer), answered in order, acknowledged once (AckAll) after the commit, up to the last
 * message taken. A tick (timers.c) waits for the commands before it and runs to completion
 * before the ones after it. Returns false at a gap: the consumer must be made again from the
 * applied sequence on. */
static bool apply_batch(struct sw_part *pt, natsMsgList *list)
{
    struct item *items = calloc((size_t)list->Count, sizeof *items);
    if (!items)
        return true;
    int done = 0, taken = 0, applied = 0;
    bool gap = false;
    for (int i = 0; i < list->Count && !gap; i++) {
        enum sw__delivery d = delivery_of(pt, list->Msgs[i]);
        gap = d == SW_DELIVERY_GAP;
        if (d != SW_DELIVERY_GAP)
            taken = i + 1;
        if (d != SW_DELIVERY_APPLY)
            continue;
        applied++;
        if (!decode(&items[i], list->Msgs[i], pt)) {
            sw_log(SW_LOG_ERROR, "cluster.bad_command", "partition %d: undecodable message", pt->p);
        } else if (sw__cl_is_tick(&items[i].cmd)) {
            finish(pt, items, done, i);
            sw__part_run_tick(pt, &items[i].cmd);
            sw_cmd_release(&items[i].cmd);
            json_decref(items[i].doc);
            items[i].doc = NULL;
            done = i + 1;
        } else {
            sw_engine_submit(pt->engine, &items[i].cmd);
            items[i].submitted = true;
        }
    }
    finish(pt, items, done, list->Count);
    free(items);
    if (taken > 0)
        natsMsg_Ack(list->Msgs[taken - 1], NULL);
    pt->since_snap += (uint64_t)applied;
    atomic_fetch_add(&pt->applied, (uint64_t)applied);
    if (gap) {
        atomic_fetch_add(&pt->cl->gaps, 1);
        sw_log(SW_LOG_WARN, "cluster.consumer_gap",
               "partition %d: a delivery skipped a message after consumer seq %llu; consuming "
               "again from stream seq %llu",
               pt->p, (unsigned long long)pt->delivered, (unsigned long long)pt->applied_seq + 1);
    }
    return !gap;
}

static void maybe_snapshot(struct sw_part *pt, bool force)
{
    if (pt->since_snap == 0)
        return;
    bool due = pt->since_snap >= (uint64_t)pt->cl->cfg.snapshot_every ||
               sw__cl_mono_ms() - pt->snap_mono_ms >= 30000;
    if (!due && !force)
        return;
    struct sw_error err;
    if (sw__snap_save(pt, &err) != SW_OK)
        sw_log(SW_LOG_WARN, "cluster.snapshot_failed", "partition %d: %s", pt->p, err.msg);
}

/* Whatever is there, up to a batch, at once; when nothing is, waits up to 500 ms for one
 * message. (A fetch of a whole batch that is not there waits for its expiry: with commands
 * trickling in, that made each answer wait the full expiry.) */
static natsStatus fetch(natsSubscription *sub, natsMsgList *list, bool idle)
{
    jsFetchRequest fr;
    jsFetchRequest_Init(&fr);
    fr.Batch = idle ? 1 : SW_CL_FETCH_BATCH;
    fr.NoWait = !idle;
    fr.Expires = (int64_t)500 * 1000000;
    return natsSubscription_FetchRequest(list, sub, &fr);
}

/* Until it works or the partition stops: a new consumer from applied_seq + 1. */
static void subscribe_retry(struct sw_part *pt, natsSubscription **sub)
{
    struct sw_error err;
    pt->delivered = 0;
    while (!atomic_load(&pt->stop) && subscribe(pt, sub, &err) != SW_OK) {
        sw_log(SW_LOG_WARN, "cluster.subscribe", "partition %d: %s", pt->p, err.msg);
        usleep(500000);
    }
}

/* Destroyed, not unsubscribed: libnats would delete the consumer, which by now may be the next
 * owner's (a lease lost), and subscribe() deletes it anyway. */
static void resubscribe(struct sw_part *pt, natsSubscription **sub)
{
    natsSubscription_Destroy(*sub);
    *sub = NULL;
    subscribe_retry(pt, sub);
}

/* The stream sequence of the partition's last command now (0: none, or unknown). */
static uint64_t last_command(struct sw_part *pt)
{
    char subject[32];
    snprintf(subject, sizeof subject, "sw.cmd.%d", pt->p);
    natsMsg *m = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetLastMsg(&m, pt->cl->js, SW_CL_CMD_STREAM, subject, NULL, &jerr);
    uint64_t seq = s == NATS_OK ? natsMsg_GetSequence(m) : 0;
    if (s != NATS_OK && s != NATS_NOT_FOUND)
        sw_log(SW_LOG_WARN, "cluster.last_command", "partition %d: %s (jetstream error %d)", pt->p,
               natsStatus_GetText(s), (int)jerr);
    natsMsg_Destroy(m);
    return seq;
}

/* Starts answering reads once the stream is applied up to what was there at the takeover. */
static void maybe_serve(struct sw_part *pt)
{
    if (atomic_load(&pt->serving) || pt->applied_seq < pt->serve_from)
        return;
    struct sw_error err;
    atomic_store(&pt->serving, true);
    if (sw__q_start(pt, &err) != SW_OK)
        sw_log(SW_LOG_WARN, "cluster.read_subscribe", "partition %d: %s", pt->p, err.msg);
    sw_log(SW_LOG_INFO, "cluster.partition_serving", "partition %d at stream seq %llu", pt->p,
           (unsigned long long)pt->applied_seq);
}

/* Consumes until asked to stop; a gap makes the consumer again (subscribe), which *sub
 * follows (NULL when stopped before it could). */
static void consume(struct sw_part *pt, natsSubscription **sub)
{
    bool idle = false;
    while (!atomic_load(&pt->stop) && !pt->fenced && *sub) {
        natsMsgList list = {0};
        natsStatus s = fetch(*sub, &list, idle);
        idle = !(s == NATS_OK && list.Count > 0);
        if (s == NATS_OK && list.Count > 0) {
            if (!apply_batch(pt, &list))
                resubscribe(pt, sub);
        } else if (s == NATS_TIMEOUT || s == NATS_NOT_FOUND || s == NATS_OK)
            atomic_store(&pt->pending, 0); /* nothing there (a no-wait fetch answers 404) */
        else if (s != NATS_OK)
            usleep(100000); /* the broker is electing a leader or reconnecting */
        natsMsgList_Destroy(&list);
        if (!*sub)
            break;
        maybe_serve(pt);
        sw__part_timers(pt);
        sw__part_rates(pt);
        sw__evt_publish(pt);
        maybe_snapshot(pt, false);
    }
}

static int restore_and_open(struct sw_part *pt, struct sw_error *err)
{
    snprintf(pt->db_path, sizeof pt->db_path, "%s/p%d.db", pt->cl->data_dir, pt->p);
    uint64_t seq = 0;
    int rc = sw__snap_restore(pt, &seq, &pt->last_at, err);
    if (rc != SW_OK)
        return rc;
    pt->applied_seq = seq;
    pt->since_snap = 0;
    pt->snap_mono_ms = sw__cl_mono_ms();
    return open_engine(pt, err);
}

static void *part_main(void *arg)
{
    struct sw_part *pt = arg;
    struct sw_error err;
    natsSubscription *sub = NULL;
    int rc = restore_and_open(pt, &err);
    if (rc == SW_OK)
        subscribe_retry(pt, &sub);
    if (rc == SW_OK && sub) {
        sw__evt_begin(pt);
        atomic_store(&pt->ready, true);
        pt->serve_from = last_command(pt);
        sw_log(SW_LOG_INFO, "cluster.partition_ready", "partition %d from stream seq %llu", pt->p,
               (unsigned long long)pt->applied_seq + 1);
        maybe_serve(pt);
        consume(pt, &sub);
        if (pt->fenced)
            sw_log(SW_LOG_WARN, "cluster.fenced",
                   "partition %d: another owner took it; stopped at stream seq %llu", pt->p,
                   (unsigned long long)pt->applied_seq);
        if (!pt->lost && !pt->fenced) {
            sw__evt_publish(pt);
            maybe_snapshot(pt, true);
        }
        sw__evt_end(pt);
    } else if (rc != SW_OK) {
        sw_log(SW_LOG_ERROR, "cluster.partition_failed", "partition %d: %s", pt->p, err.msg);
    }
    /* Destroyed, not unsubscribed (see resubscribe) */
    if (sub)
        natsSubscription_Destroy(sub);
    sw__q_stop(pt);
    pthread_rwlock_wrlock(&pt->eng_lock);
    atomic_store(&pt->ready, false);
    atomic_store(&pt->serving, false);
    if (pt->engine) {
        sw_engine_close(pt->engine);
        pt->engine = NULL;
    }
    pthread_rwlock_unlock(&pt->eng_lock);
    atomic_store(&pt->running, false);
    return NULL;
}

int sw__part_start(struct sw_part *pt, struct sw_error *err)
{
    if (pt->joinable) {
        pthread_join(pt->thread, NULL);
        pt->joinable = false;
    }
    atomic_store(&pt->stop, false);
    atomic_store(&pt->ready, false);
    atomic_store(&pt->applied, 0);
    pt->lost = pt->fenced = false;
    unsigned char raw[8];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(pt->token, sizeof pt->token, raw, sizeof raw);
    snprintf(pt->consumer, sizeof pt->consumer, "p%d-%s", pt->p, pt->token);
    pt->timers_mono_ms = pt->tick_mono_ms = 0;
    pt->rates_mono_ms = 0;
    pt->rates_started = false;
    pt->tick_due = 0;
    pt->tick_key = 0;
    atomic_store(&pt->serving, false);
    atomic_store(&pt->running, true);
    if (pthread_create(&pt->thread, NULL, part_main, pt) != 0) {
        atomic_store(&pt->running, false);
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot start the partition thread");
    }
    pt->joinable = true;
    return SW_OK;
}

void sw__part_stop(struct sw_part *pt)
{
    atomic_store(&pt->stop, true);
    if (pt->joinable) {
        pthread_join(pt->thread, NULL);
        pt->joinable = false;
    }
}
