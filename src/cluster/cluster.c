/* Start and stop of a cluster node: the connection, the streams and buckets, the reply inbox
 * and the lease thread. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "cluster/cluster_int.h"

int64_t sw__cl_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int sw__cl_nats_fail(struct sw_error *err, natsStatus s, jsErrCode jerr, const char *what)
{
    return sw_fail(err, SW_E_BUSY, NULL, "nats: %s: %s (jetstream error %d)", what,
                   natsStatus_GetText(s), (int)jerr);
}

/* urls: comma-separated; the client fails over between them and reconnects for ever. */
int sw__cl_connect(const char *urls, const char *name, natsConnection **nc, jsCtx **js,
                   struct sw_error *err)
{
    char *copy = strdup(urls);
    const char *servers[16];
    int n = 0;
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok && n < 16;
         tok = strtok_r(NULL, ",", &save))
        servers[n++] = tok;
    natsOptions *o = NULL;
    natsStatus s = natsOptions_Create(&o);
    if (s == NATS_OK)
        s = natsOptions_SetServers(o, servers, n);
    if (s == NATS_OK)
        s = natsOptions_SetName(o, name);
    if (s == NATS_OK)
        s = natsOptions_SetMaxReconnect(o, -1);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectWait(o, 200);
    if (s == NATS_OK)
        s = natsOptions_SetTimeout(o, 2000);
    if (s == NATS_OK)
        s = natsConnection_Connect(nc, o);
    natsOptions_Destroy(o);
    free(copy);
    if (s != NATS_OK)
        return sw__cl_nats_fail(err, s, 0, "connect");
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 5000;
    s = natsConnection_JetStream(js, *nc, &jo);
    if (s != NATS_OK) {
        natsConnection_Destroy(*nc);
        *nc = NULL;
        return sw__cl_nats_fail(err, s, 0, "jetstream");
    }
    return SW_OK;
}

static int add_stream(struct sw_cluster *c, const char *name, const char *subject,
                      int64_t max_per_subject, struct sw_error *err)
{
    jsStreamConfig sc;
    jsStreamConfig_Init(&sc);
    const char *subjects[1] = {subject};
    sc.Name = name;
    sc.Subjects = subjects;
    sc.SubjectsLen = 1;
    sc.Storage = js_FileStorage;
    sc.Replicas = c->cfg.replicas;
    if (max_per_subject > 0)
        sc.MaxMsgsPerSubject = max_per_subject;
    sc.Duplicates = (int64_t)10 * 60 * 1000000000; /* the Nats-Msg-Id window: 10 minutes */
    sc.MaxMsgSize = SW_CL_CHUNK + 4096;
    jsErrCode jerr = 0;
    jsStreamInfo *si = NULL;
    natsStatus s = js_AddStream(&si, c->js, &sc, NULL, &jerr);
    jsStreamInfo_Destroy(si);
    if (s == NATS_OK || jerr == JSStreamNameExistErr)
        return SW_OK;
    return sw__cl_nats_fail(err, s, jerr, name);
}

static int open_bucket(struct sw_cluster *c, const char *name, int64_t ttl_ms, kvStore **kv,
                       struct sw_error *err)
{
    natsStatus s = js_KeyValue(kv, c->js, name);
    if (s == NATS_OK)
        return SW_OK;
    kvConfig kc;
    kvConfig_Init(&kc);
    kc.Bucket = name;
    kc.History = 1;
    kc.TTL = ttl_ms * 1000000; /* nanoseconds in libnats 3.4.1, whatever the docs say */
    kc.Replicas = c->cfg.replicas;
    s = js_CreateKeyValue(kv, c->js, &kc);
    if (s != NATS_OK) /* another node created it meanwhile */
        s = js_KeyValue(kv, c->js, name);
    return s == NATS_OK ? SW_OK : sw__cl_nats_fail(err, s, 0, name);
}

/* The streams and buckets, waiting up to 30 s for a JetStream cluster that is still electing
 * its meta leader (nodes and brokers start together). */
static int declare(struct sw_cluster *c, struct sw_error *err)
{
    int rc = SW_OK;
    for (int attempt = 0; attempt < 60; attempt++) {
        rc = add_stream(c, SW_CL_CMD_STREAM, "sw.cmd.>", 0, err);
        if (rc == SW_OK)
            return SW_OK;
        usleep(500000);
    }
    return rc;
}

int sw__cl_declare(struct sw_cluster *c, struct sw_error *err)
{
    int rc = declare(c, err);
    if (rc == SW_OK)
        rc = add_stream(c, SW_CL_SNAP_STREAM, "sw.snap.>", 0, err);
    if (rc == SW_OK)
        rc = add_stream(c, SW_CL_EVT_STREAM, "sw.evt.>", c->cfg.events_keep, err);
    if (rc == SW_OK)
        rc = open_bucket(c, SW_CL_OWNERS, c->cfg.lease_ms, &c->owners, err);
    if (rc == SW_OK)
        rc = open_bucket(c, SW_CL_SNAPS, 0, &c->snaps, err);
    if (rc == SW_OK)
        rc = open_bucket(c, SW_CL_KEYS, 0, &c->keys, err);
    if (rc == SW_OK)
        rc = open_bucket(c, SW_CL_IDS, 0, &c->ids, err);
    return rc;
}

static int setup(struct sw_cluster *c, struct sw_error *err)
{
    int rc = sw__cl_connect(c->urls, c->node_id, &c->nc, &c->js, err);
    if (rc == SW_OK)
        rc = sw__cl_declare(c, err);
    if (rc == SW_OK)
        rc = sw__cl_inbox_start(c, err);
    return rc;
}

static void defaults(struct sw_cluster_config *cfg)
{
    if (cfg->partitions <= 0)
        cfg->partitions = SW_CLUSTER_DEFAULT_PARTITIONS;
    if (cfg->replicas <= 0)
        cfg->replicas = 3;
    if (cfg->lease_ms <= 0)
        cfg->lease_ms = 6000;
    if (cfg->events_keep <= 0)
        cfg->events_keep = SW_CL_EVT_KEEP;
    if (cfg->snapshot_every <= 0)
        cfg->snapshot_every = 2000;
    if (cfg->reply_timeout_ms <= 0)
        cfg->reply_timeout_ms = 20000;
}

int sw_cluster_start(const struct sw_cluster_config *cfg, struct sw_cluster **out,
                     struct sw_error *err)
{
    *out = NULL;
    if (cfg->partitions < 0 || cfg->partitions > SW_CLUSTER_MAX_PARTITIONS)
        return sw_fail(err, SW_E_INVALID_VALUE, "partitions", "partitions must be 1-%d",
                       SW_CLUSTER_MAX_PARTITIONS);
    if (mkdir(cfg->data_dir, 0755) != 0 && errno != EEXIST)
        return sw_fail(err, SW_E_STORAGE_FAILED, "data", "cannot create '%s': %s", cfg->data_dir,
                       strerror(errno));
    struct sw_cluster *c = calloc(1, sizeof *c);
    if (!c)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    c->cfg = *cfg;
    defaults(&c->cfg);
    snprintf(c->node_id, sizeof c->node_id, "%s", cfg->node_id);
    c->urls = strdup(cfg->urls);
    c->data_dir = strdup(cfg->data_dir);
    c->cfg.node_id = c->node_id;
    c->cfg.urls = c->urls;
    c->cfg.data_dir = c->data_dir;
    sw_clock_init_system(&c->clock);
    pthread_mutex_init(&c->mu, NULL);
    pthread_mutex_init(&c->keys_mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    c->parts = calloc((size_t)c->cfg.partitions, sizeof *c->parts);
    for (int p = 0; c->parts && p < c->cfg.partitions; p++) {
        c->parts[p].cl = c;
        c->parts[p].p = p;
        pthread_rwlock_init(&c->parts[p].eng_lock, NULL);
    }
    int rc = c->parts ? setup(c, err) : sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    if (rc == SW_OK)
        rc = sw__view_start(c, err);
    if (rc == SW_OK && pthread_create(&c->lease_thread, NULL, sw__lease_main, c) != 0)
        rc = sw_fail(err, SW_E_INTERNAL, NULL, "cannot start the lease thread");
    if (rc != SW_OK) {
        sw_cluster_stop(c);
        return rc;
    }
    c->lease_started = true;
    sw_log(SW_LOG_INFO, "cluster.started", "node '%s', %d partitions, %d replicas", c->node_id,
           c->cfg.partitions, c->cfg.replicas);
    *out = c;
    return SW_OK;
}

void sw_cluster_stop(struct sw_cluster *c)
{
    if (!c)
        return;
    atomic_store(&c->stopping, true);
    sw__view_stop(c);
    if (c->lease_started)
        pthread_join(c->lease_thread, NULL);
    sw__keys_stop(c);
    /* Without a broker, there is nothing to hand over: stop at once (the leases expire). */
    bool connected = c->nc && natsConnection_Status(c->nc) == NATS_CONN_STATUS_CONNECTED;
    for (int p = 0; c->parts && p < c->cfg.partitions; p++) {
        struct sw_part *pt = &c->parts[p];
        if (!connected)
            pt->lost = true; /* no final snapshot */
        if (atomic_load(&pt->running) || pt->joinable) {
            sw__part_stop(pt);
            if (!pt->lost && c->owners) {
                char key[32];
                snprintf(key, sizeof key, "p.%d", p);
                kvStore_Delete(c->owners, key);
            }
        }
    }
    if (c->owners && connected) {
        char key[64];
        snprintf(key, sizeof key, "node.%s", c->node_id);
        kvStore_Purge(c->owners, key, NULL);
    }
    if (c->inbox) {
        natsSubscription_Unsubscribe(c->inbox);
        natsSubscription_Destroy(c->inbox);
    }
    kvStore_Destroy(c->owners);
    kvStore_Destroy(c->snaps);
    kvStore_Destroy(c->keys);
    kvStore_Destroy(c->ids);
    jsCtx_Destroy(c->js);
    if (c->nc) {
        natsConnection_FlushTimeout(c->nc, 1000);
        natsConnection_Destroy(c->nc);
    }
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    for (int p = 0; c->parts && p < c->cfg.partitions; p++)
        pthread_rwlock_destroy(&c->parts[p].eng_lock);
    free(c->parts);
    free(c->urls);
    free(c->data_dir);
    free(c);
}
