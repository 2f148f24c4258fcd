/* Ownership: partition p is the key "p.<p>" of the bucket sw_owners, whose value is the owning
 * node. A node claims a free key with kvStore_Create and keeps it with kvStore_Update on the
 * revision it holds (compare-and-set), every third of the bucket's TTL. A key that nobody
 * refreshes expires; any node may then claim it. Live nodes heartbeat "node.<id>" in the same
 * bucket, so that each can aim at its share: ceil(P / live nodes). A node above its share
 * releases one partition per round (snapshot, then delete the key), below it claims free ones. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "cluster/cluster_int.h"

/* The live nodes: subjects "node.<id>" of the bucket's stream (a key expires with the TTL).
 * Read through the stream's info, which is one request with a timeout: kvStore_Keys creates a
 * consumer and was seen to block for ever while a broker was down. */
static int live_nodes(struct sw_cluster *c)
{
    jsOptions o;
    jsOptions_Init(&o);
    o.Stream.Info.SubjectsFilter = "$KV." SW_CL_OWNERS ".node.>";
    jsStreamInfo *si = NULL;
    int n = 0;
    if (js_GetStreamInfo(&si, c->js, "KV_" SW_CL_OWNERS, &o, NULL) == NATS_OK && si) {
        n = si->State.Subjects ? si->State.Subjects->Count : 0;
        jsStreamInfo_Destroy(si);
    }
    return n > 0 ? n : 1;
}

static void heartbeat(struct sw_cluster *c)
{
    char key[64], v[32];
    snprintf(key, sizeof key, "node.%s", c->node_id);
    snprintf(v, sizeof v, "%lld", (long long)time(NULL));
    uint64_t rev;
    kvStore_PutString(&rev, c->owners, key, v);
}

/* The revision of key when it holds this node's id (a refresh whose answer was lost still
 * moved the revision; a node restarted under the same id finds its keys), else 0. *unknown is
 * set when the key cannot be read (the broker is away): keep what is held. */
static uint64_t ours_at(struct sw_cluster *c, const char *key, bool *unknown)
{
    kvEntry *e = NULL;
    natsStatus s = kvStore_Get(&e, c->owners, key);
    *unknown = s != NATS_OK && s != NATS_NOT_FOUND;
    if (s != NATS_OK)
        return 0;
    uint64_t rev = strcmp(kvEntry_ValueString(e), c->node_id) == 0 ? kvEntry_Revision(e) : 0;
    kvEntry_Destroy(e);
    return rev;
}

bool sw__lease_surely_ours(const struct sw_part *pt)
{
    return sw__cl_mono_ms() < atomic_load(&pt->lease_until_ms);
}

/* Refreshes every lease held; a refused compare-and-set means another node holds it now. */
static int refresh(struct sw_cluster *c)
{
    int owned = 0;
    for (int p = 0; p < c->cfg.partitions && !atomic_load(&c->stopping); p++) {
        struct sw_part *pt = &c->parts[p];
        if (!atomic_load(&pt->running))
            continue;
        char key[32];
        snprintf(key, sizeof key, "p.%d", p);
        uint64_t rev = 0;
        int64_t sent = sw__cl_mono_ms();
        natsStatus s = kvStore_UpdateString(&rev, c->owners, key, c->node_id, pt->lease_rev);
        if (s == NATS_OK) {
            pt->lease_rev = rev;
            atomic_store(&pt->lease_until_ms, sent + c->cfg.lease_ms);
            owned++;
            continue;
        }
        bool unknown = false;
        uint64_t held = ours_at(c, key, &unknown);
        if (held) {
            pt->lease_rev = held;
            owned++;
        } else if (unknown) {
            owned++; /* the broker is away for now: keep applying, the stream is the truth */
        } else {
            sw_log(SW_LOG_WARN, "cluster.lease_lost", "partition %d: %s", p, natsStatus_GetText(s));
            pt->lost = true;
            sw__part_stop(pt);
        }
    }
    return owned;
}

static void release_one(struct sw_cluster *c)
{
    for (int p = c->cfg.partitions - 1; p >= 0; p--) {
        struct sw_part *pt = &c->parts[p];
        if (!atomic_load(&pt->running) || !atomic_load(&pt->ready))
            continue;
        sw_log(SW_LOG_INFO, "cluster.release", "partition %d", p);
        sw__part_stop(pt); /* snapshots first */
        char key[32];
        snprintf(key, sizeof key, "p.%d", p);
        kvStore_Delete(c->owners, key);
        return;
    }
}

static void claim(struct sw_cluster *c, int want)
{
    /* Start at a node-dependent offset, so that two nodes starting together do not race for
     * the same keys. */
    unsigned off = (unsigned)sw_cluster_partition(c->node_id, c->cfg.partitions);
    for (int i = 0; i < c->cfg.partitions && want > 0 && !atomic_load(&c->stopping); i++) {
        int p = (int)((off + (unsigned)i) % (unsigned)c->cfg.partitions);
        struct sw_part *pt = &c->parts[p];
        if (atomic_load(&pt->running))
            continue;
        char key[32];
        snprintf(key, sizeof key, "p.%d", p);
        uint64_t rev = 0;
        bool unknown = false;
        int64_t sent = sw__cl_mono_ms();
        if (kvStore_CreateString(&rev, c->owners, key, c->node_id) != NATS_OK) {
            /* ours already (a node restarted under its id): written again, it lives a TTL */
            if ((rev = ours_at(c, key, &unknown)) == 0)
                continue;
            sent = sw__cl_mono_ms();
            if (kvStore_UpdateString(&rev, c->owners, key, c->node_id, rev) != NATS_OK)
                continue;
        }
        pt->lease_rev = rev;
        atomic_store(&pt->lease_until_ms, sent + c->cfg.lease_ms);
        struct sw_error err;
        if (sw__part_start(pt, &err) != SW_OK) {
            sw_log(SW_LOG_ERROR, "cluster.claim_failed", "partition %d: %s", p, err.msg);
            kvStore_Delete(c->owners, key);
            continue;
        }
        sw_log(SW_LOG_INFO, "cluster.claimed", "partition %d", p);
        want--;
    }
}

void *sw__lease_main(void *arg)
{
    struct sw_cluster *c = arg;
    int period_ms = c->cfg.lease_ms / 3;
    while (!atomic_load(&c->stopping)) {
        int64_t t0 = sw__cl_mono_ms();
        heartbeat(c);
        int owned = refresh(c);
        int live = live_nodes(c);
        int share = (c->cfg.partitions + live - 1) / live;
        if (owned > share)
            release_one(c);
        else if (owned < share)
            claim(c, share - owned);
        for (int64_t left = period_ms - (sw__cl_mono_ms() - t0);
             left > 0 && !atomic_load(&c->stopping); left -= 50)
            usleep(50000);
    }
    return NULL;
}
