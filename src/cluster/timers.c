/* Timers in cluster mode (docs/scale-out.md, "Timers"). A partition's engine runs no scheduler
 * thread: a timer fires before any command of the partition whose instant is past it (the
 * engine does that as in single-node mode), and when none comes, the owner publishes the
 * engine's own tick command (engine.tick, docs/engine.md "Timers") into the partition's stream
 * once the earliest timer is due. The tick is applied like any command of the stream, so every
 * later owner and every replay sees the same firings at the same instants.
 *
 * The tick's Nats-Msg-Id names the partition and the earliest due timer (due instant + a hash
 * of its key): an owner that publishes it again (its answer was lost, or a new owner took over
 * before the first one was applied) is recognised by the broker inside the stream's window.
 * Past the window a second tick is harmless: a timer is deleted in the transaction that fires
 * it, so a tick finds only what is still due. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "cluster/cluster_int.h"
#include "store/journal.h"
#include "store/store.h"

#define TICK_TYPE "engine.tick"
#define CHECK_EVERY_MS 1000
/* The same earliest timer is published again after this long without being applied (a
 * publish whose answer was lost; the broker dedupes it when the first one did land). */
#define REPUBLISH_MS 5000

bool sw__cl_is_tick(const struct sw_cmd *cmd)
{
    return strcmp(cmd->type, TICK_TYPE) == 0 && cmd->actor && strcmp(cmd->actor, "engine") == 0;
}

/* The earliest timer of the partition's database (readers see every commit). */
static bool next_timer(struct sw_part *pt, sw_instant *due, uint32_t *key_hash)
{
    struct sw_pool *pool = sw_engine_readers(pt->engine);
    struct sw_conn *conn = sw_pool_acquire(pool);
    struct sw_timer_row row;
    bool found = false;
    struct sw_error err;
    if (sw_journal_timer_next(conn, INT64_MAX, &row, &found, &err) != SW_OK) {
        sw_log(SW_LOG_WARN, "cluster.timers", "partition %d: %s", pt->p, err.msg);
        found = false;
    } else if (found) {
        *due = row.due_us;
        *key_hash = (uint32_t)sw_cluster_partition(row.key, INT32_MAX); /* FNV-1a of it */
        sw_journal_timer_row_free(&row);
    }
    sw_pool_release(pool, conn);
    return found;
}

static bool publish_tick(struct sw_part *pt, sw_instant to, sw_instant due, uint32_t key_hash)
{
    struct sw_cluster *c = pt->cl;
    json_t *doc =
        json_pack("{s:s,s:s,s:{s:I},s:I,s:s}", "type", TICK_TYPE, "actor", "engine", "payload",
                  "to_us", (json_int_t)to, "at", (json_int_t)to, "node", c->node_id);
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (!text)
        return false;
    char msg_id[96];
    snprintf(msg_id, sizeof msg_id, "tick.%d.%" PRId64 ".%08" PRIx32, pt->p, due, key_hash);
    bool ok = sw__part_publish(pt, text, msg_id, "cluster.tick_publish");
    free(text);
    if (!ok)
        return false;
    atomic_fetch_add(&c->ticks, 1);
    return true;
}

void sw__part_timers(struct sw_part *pt)
{
    int64_t mono = sw__cl_mono_ms();
    if (mono - pt->timers_mono_ms < CHECK_EVERY_MS)
        return;
    pt->timers_mono_ms = mono;
    sw_instant due = 0;
    uint32_t key_hash = 0;
    sw_instant now = sw_clock_now(&pt->cl->clock);
    if (!next_timer(pt, &due, &key_hash) || due > now)
        return;
    /* Published and not applied yet: the tick is on its way (the stream is in order). */
    if (due == pt->tick_due && key_hash == pt->tick_key && mono - pt->tick_mono_ms < REPUBLISH_MS)
        return;
    if (publish_tick(pt, now, due, key_hash)) {
        pt->tick_due = due;
        pt->tick_key = key_hash;
        pt->tick_mono_ms = mono;
    }
}

/* A tick that stopped after a yielding timer (a job run as a chain of steps) goes on with
 * what is still due up to the same instant, each part a batch of its own, before the next
 * command of the stream: the same order whatever batches the stream was fetched in. */
void sw__part_run_tick(struct sw_part *pt, struct sw_cmd *cmd)
{
    sw_engine_submit(pt->engine, cmd);
    sw_engine_wait(pt->engine, cmd);
    int fired = 0;
    while (cmd->code == SW_OK) {
        fired += (int)json_integer_value(json_object_get(cmd->result, "fired"));
        if (!json_is_true(json_object_get(cmd->result, "more")))
            break;
        struct sw_cmd next = {
            .type = cmd->type, .actor = cmd->actor, .payload = cmd->payload, .stamp = cmd->stamp};
        sw_cmd_release(cmd);
        *cmd = next;
        sw_engine_submit(pt->engine, cmd);
        sw_engine_wait(pt->engine, cmd);
    }
    if (cmd->code != SW_OK)
        sw_log(SW_LOG_WARN, "cluster.tick", "partition %d: %s", pt->p, cmd->err.msg);
    atomic_fetch_add(&pt->cl->timers_fired, (uint64_t)fired);
}

bool sw__part_publish(struct sw_part *pt, const char *text, const char *msg_id, const char *event)
{
    char subject[32];
    snprintf(subject, sizeof subject, "sw.cmd.%d", pt->p);
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MsgId = msg_id;
    po.MaxWait = 2000;
    jsPubAck *pa = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_Publish(&pa, pt->cl->js, subject, text, (int)strlen(text), &po, &jerr);
    jsPubAck_Destroy(pa);
    if (s != NATS_OK)
        sw_log(SW_LOG_WARN, event, "partition %d: %s (jetstream error %d)", pt->p,
               natsStatus_GetText(s), (int)jerr);
    return s == NATS_OK;
}
