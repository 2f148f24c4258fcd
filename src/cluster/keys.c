/* The cluster's key store (docs/scale-out.md, "Keys"): API keys are each node's (node.db, where
 * a request's key is checked without a round trip), and every node's keys are the same because
 * each key's record lives in the KV bucket sw_keys ("k.<hex of the id>": id, hash, role, label,
 * created_at, expires_at, revoked_at; never the secret). A node publishes a key it made or
 * revoked (sw_cluster_key_publish) and every key it holds when it starts; a watcher on the
 * bucket hands every record (those there, then each change) to the node's sink, which adds
 * what its node.db lacks through the node's engine (key.sync).
 *
 * A record is created once (kvStore_Create: one id, one secret, cluster-wide) and changes only
 * by its revocation (kvStore_Update on the revision read): a record is never un-revoked, and a
 * node never publishes over another node's key. A publish the broker did not take waits in
 * memory and is tried again every second by the watcher's thread; a node that stops before
 * that publishes it at its next start (it is in node.db). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "base/log.h"
#include "cluster/cluster_int.h"

struct sw_key_pending {
    char *record;
    struct sw_key_pending *next;
};

bool sw__cl_hex_key(char kind, const char *id, char *out, size_t n)
{
    size_t len = strlen(id);
    if (2 + 2 * len + 1 > n)
        return false;
    out[0] = kind;
    out[1] = '.';
    for (size_t i = 0; i < len; i++)
        snprintf(out + 2 + 2 * i, 3, "%02x", (unsigned char)id[i]);
    out[2 + 2 * len] = '\0';
    return true;
}

/* One try: SW_OK when the bucket holds the record (or a later state of it); already_exists
 * when it holds another key under the id; busy when the broker did not answer. */
static int publish_once(struct sw_cluster *c, const char *record, const json_t *rec,
                        struct sw_error *err)
{
    char key[300];
    if (!sw__cl_hex_key('k', sw_json_str_or_empty(rec, "id"), key, sizeof key))
        return sw_fail(err, SW_E_INVALID_VALUE, "id", "key id too long for the key store");
    int len = (int)strlen(record);
    for (int attempt = 0; attempt < 5; attempt++) {
        uint64_t rev = 0;
        if (kvStore_Create(&rev, c->keys, key, record, len) == NATS_OK)
            return SW_OK;
        kvEntry *e = NULL;
        natsStatus s = kvStore_Get(&e, c->keys, key);
        if (s == NATS_NOT_FOUND)
            continue; /* deleted meanwhile: create it again */
        if (s != NATS_OK)
            return sw__cl_nats_fail(err, s, 0, "key store");
        json_t *held = json_loads(kvEntry_ValueString(e), 0, NULL);
        uint64_t held_rev = kvEntry_Revision(e);
        kvEntry_Destroy(e);
        bool same =
            strcmp(sw_json_str_or_empty(held, "hash"), sw_json_str_or_empty(rec, "hash")) == 0;
        bool revoke = json_is_string(json_object_get(rec, "revoked_at")) &&
                      !json_is_string(json_object_get(held, "revoked_at"));
        json_decref(held);
        if (!same)
            return sw_fail(err, SW_E_ALREADY_EXISTS, "id",
                           "key '%s' is another key in the cluster's key store",
                           sw_json_str_or_empty(rec, "id"));
        if (!revoke || kvStore_Update(&rev, c->keys, key, record, len, held_rev) == NATS_OK)
            return SW_OK;
    }
    return sw_fail(err, SW_E_BUSY, NULL, "the key store kept changing; retry");
}

static void queue(struct sw_cluster *c, const char *record)
{
    struct sw_key_pending *p = malloc(sizeof *p);
    if (!p || !(p->record = strdup(record))) {
        free(p);
        return;
    }
    pthread_mutex_lock(&c->keys_mu);
    p->next = c->keys_pending;
    c->keys_pending = p;
    pthread_mutex_unlock(&c->keys_mu);
}

int sw_cluster_key_publish(void *cluster, const char *record, struct sw_error *err)
{
    struct sw_cluster *c = cluster;
    json_t *rec = json_loads(record, 0, NULL);
    int rc = rec ? publish_once(c, record, rec, err)
                 : sw_fail(err, SW_E_INVALID_VALUE, NULL, "a key record is a JSON object");
    json_decref(rec);
    if (rc == SW_E_BUSY) { /* the key is this node's already: the cluster gets it later */
        sw_log(SW_LOG_WARN, "cluster.key_queued", "%s", err->msg);
        queue(c, record);
        rc = SW_OK;
    }
    if (rc == SW_OK)
        atomic_fetch_add(&c->keys_published, 1);
    return rc;
}

/* The publishes the broker did not take, once more each (those it refuses again wait on). */
static void retry_pending(struct sw_cluster *c)
{
    pthread_mutex_lock(&c->keys_mu);
    struct sw_key_pending *list = c->keys_pending;
    c->keys_pending = NULL;
    pthread_mutex_unlock(&c->keys_mu);
    while (list) {
        struct sw_key_pending *p = list;
        list = p->next;
        struct sw_error err;
        if (sw_cluster_key_publish(c, p->record, &err) != SW_OK)
            sw_log(SW_LOG_ERROR, "cluster.key_refused", "%s", err.msg);
        free(p->record);
        free(p);
    }
}

static bool keys_done(struct sw_cluster *c)
{
    return atomic_load(&c->stopping) || atomic_load(&c->keys_stopping);
}

static kvWatcher *watch(struct sw_cluster *c)
{
    kvWatchOptions o;
    kvWatchOptions_Init(&o);
    o.IgnoreDeletes = true;
    kvWatcher *w = NULL;
    natsStatus s = kvStore_WatchAll(&w, c->keys, &o);
    if (s != NATS_OK)
        sw_log(SW_LOG_WARN, "cluster.keys_watch", "%s", natsStatus_GetText(s));
    return s == NATS_OK ? w : NULL;
}

/* Every record of the bucket to the sink, then each change; a watcher that fails (a broker
 * went away) is made again, which hands over every record again (the sink dedupes). */
static void *keys_main(void *arg)
{
    struct sw_cluster *c = arg;
    while (!keys_done(c)) {
        pthread_mutex_lock(&c->keys_mu);
        kvWatcher *w = c->keys_watcher;
        pthread_mutex_unlock(&c->keys_mu);
        if (!w) {
            w = watch(c);
            pthread_mutex_lock(&c->keys_mu);
            c->keys_watcher = keys_done(c) ? NULL : w;
            pthread_mutex_unlock(&c->keys_mu);
            if (!w || keys_done(c)) {
                if (w)
                    kvWatcher_Destroy(w);
                usleep(500000);
                continue;
            }
        }
        kvEntry *e = NULL;
        natsStatus s = kvWatcher_Next(&e, w, 1000);
        if (s == NATS_OK && e && kvEntry_Operation(e) == kvOp_Put) {
            c->key_sink(c->key_sink_arg, kvEntry_ValueString(e));
            atomic_fetch_add(&c->keys_seen, 1);
        }
        kvEntry_Destroy(e);
        if (s != NATS_OK && s != NATS_TIMEOUT && !keys_done(c)) {
            pthread_mutex_lock(&c->keys_mu);
            c->keys_watcher = NULL;
            pthread_mutex_unlock(&c->keys_mu);
            kvWatcher_Destroy(w);
            usleep(500000);
        }
        retry_pending(c);
    }
    return NULL;
}

int sw_cluster_keys_watch(struct sw_cluster *c, sw_cluster_key_sink_fn fn, void *arg,
                          struct sw_error *err)
{
    atomic_store(&c->keys_stopping, false);
    c->key_sink = fn;
    c->key_sink_arg = arg;
    if (pthread_create(&c->keys_thread, NULL, keys_main, c) != 0)
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot start the key store's watcher");
    c->keys_started = true;
    return SW_OK;
}

void sw_cluster_keys_unwatch(struct sw_cluster *c)
{
    if (!c || !c->keys_started)
        return;
    atomic_store(&c->keys_stopping, true);
    pthread_mutex_lock(&c->keys_mu);
    if (c->keys_watcher)
        kvWatcher_Stop(c->keys_watcher); /* a waiting Next returns at once */
    pthread_mutex_unlock(&c->keys_mu);
    pthread_join(c->keys_thread, NULL);
    c->keys_started = false;
    kvWatcher_Destroy(c->keys_watcher);
    c->keys_watcher = NULL;
}

void sw__keys_stop(struct sw_cluster *c)
{
    sw_cluster_keys_unwatch(c);
    while (c->keys_pending) {
        struct sw_key_pending *p = c->keys_pending;
        c->keys_pending = p->next;
        sw_log(SW_LOG_WARN, "cluster.key_unpublished",
               "a key change was not published before the stop: the next start publishes it");
        free(p->record);
        free(p);
    }
    pthread_mutex_destroy(&c->keys_mu);
}
