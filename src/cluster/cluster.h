/* Scale-out on NATS JetStream (docs/scale-out.md): P partitions, each a SQLite database with the
 * single-node schema and engine, owned by one node at a time. Any node accepts a write, stamps
 * it and publishes it to the partition's subject sw.cmd.<p> (Nats-Msg-Id = the scoped
 * idempotency key); the owner applies the stream in order and answers on the request's reply
 * subject. Ownership is a lease in the KV bucket sw_owners (compare-and-set on the revision);
 * snapshots are chunked messages in the stream SW_SNAP with their manifest in the KV bucket
 * sw_snaps. The stream is the truth: a new owner restores the latest snapshot and replays the
 * stream after it, and because the engine is deterministic it reaches the same state. */
#ifndef SW_CLUSTER_CLUSTER_H
#define SW_CLUSTER_CLUSTER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/id_claim.h"
#include "engine/engine.h"
#include "policy/policy.h"

#define SW_CLUSTER_MAX_PARTITIONS 1024
#define SW_CLUSTER_DEFAULT_PARTITIONS 64

struct sw_cluster_config {
    const char *urls;    /* "nats://127.0.0.1:4222,nats://..." */
    const char *node_id; /* [A-Za-z0-9_-]{1,32}, unique per node */
    const char *data_dir;
    int partitions;                 /* 1..SW_CLUSTER_MAX_PARTITIONS, the same on every node */
    int replicas;                   /* JetStream replicas of the streams and buckets (1..5) */
    const struct sw_policy *policy; /* borrowed; outlives the cluster */
    int lease_ms;                   /* ownership TTL (default 6000); refreshed every third of it */
    int snapshot_every;             /* commands between snapshots of a partition (default 2000) */
    int64_t events_keep;  /* events of a partition the stream SW_EVT keeps (default 100000) */
    int reply_timeout_ms; /* how long an accepting node waits for the owner (default 20000) */
};

struct sw_cluster;

/* Connects, creates the streams and buckets when missing and starts claiming partitions. */
int sw_cluster_start(const struct sw_cluster_config *cfg, struct sw_cluster **out,
                     struct sw_error *err) SW_MUSTCHECK;
/* Snapshots and releases the partitions this node owns, then disconnects. */
void sw_cluster_stop(struct sw_cluster *c);

/* The HTTP layer's executor (sw_http_config.exec): publishes cmd to its partition and waits
 * for the owner's answer; fills cmd's outcome as sw_engine_execute does. Returns cmd->code. */
int sw_cluster_execute(void *cluster, struct sw_cmd *cmd);
/* Reads routed to the partition's owner (docs/scale-out.md, "Reads"). The reader answers a
 * request (JSON text made by the HTTP layer) on a partition's engine with a malloc'd answer;
 * the HTTP layer's sw_http_serve_read, installed once the server runs (until then, reads wait
 * as for an owner that does not answer). */
typedef char *(*sw_cluster_reader_fn)(void *arg, struct sw_engine *e, const char *request);
void sw_cluster_set_reader(struct sw_cluster *c, sw_cluster_reader_fn fn, void *arg);
/* The HTTP layer's read executor (sw_http_config.read): runs request on the owner of key's
 * partition (this node's engine of it, or the owner's over sw.q.<p>) and gives its answer in
 * *answer (malloc'd). SW_OK; busy when no owner answered within the reply timeout; internal
 * when the answer was larger than the broker carries; payload_too_large when the request was
 * (a scan's body). */
int sw_cluster_read(void *cluster, const char *key, const char *request, char **answer);
/* As sw_cluster_read, for a read of one object by its own id that names no store (a staff
 * key's GET /v1/products/{id}): the partition that answered the locator (the object's path)
 * before, else each partition in turn until one answers other than 404 (remembered), else the
 * 404. */
int sw_cluster_read_any(void *cluster, const char *locator, const char *request, char **answer);
/* As sw_cluster_read, on the owner of partition p; and the number of partitions. */
int sw_cluster_read_part(void *cluster, int p, const char *request, char **answer);
int sw_cluster_partitions(const struct sw_cluster *c);
/* Product ids across partitions (ids.c, docs/scale-out.md "Product ids"): the claim of an id by
 * a store in the bucket sw_ids. sw_cluster_id_claim creates it for store (created) or reads
 * whose it is (holder, its revision, its age); sw_cluster_id_take moves a stale claim to store
 * by compare-and-set on rev (already_exists when it changed; its new revision in *nrev);
 * sw_cluster_id_release drops the claim of revision rev if it is still store's. */
int sw_cluster_id_claim(void *cluster, const char *id, const char *store, struct sw_id_claim *out,
                        struct sw_error *err) SW_MUSTCHECK;
int sw_cluster_id_take(void *cluster, const char *id, const char *store, uint64_t rev,
                       uint64_t *nrev, struct sw_error *err) SW_MUSTCHECK;
void sw_cluster_id_release(void *cluster, const char *id, const char *store, uint64_t rev);
/* Appends the cluster's /metrics series (sw_http_config.metrics). */
bool sw_cluster_metrics(void *cluster, struct sw_buf *b);

/* The key store (docs/scale-out.md, "Keys"): every node holds every API key. A key record is
 * JSON text {id, hash (64 hex), role, label?, created_at, expires_at?, revoked_at?} (key.sync's
 * payload; never the secret). sw_cluster_key_publish puts this node's key, made or revoked,
 * into the bucket sw_keys: created when absent, its revocation recorded when the bucket lacks
 * it; already_exists when the bucket holds another key (another hash) under the id; a
 * publish the broker does not take is kept and tried again (SW_OK). */
int sw_cluster_key_publish(void *cluster, const char *record, struct sw_error *err) SW_MUSTCHECK;
/* Hands every record of the bucket (those there now, then each change) to fn, on a thread of
 * its own, until the cluster stops. */
typedef void (*sw_cluster_key_sink_fn)(void *arg, const char *record);
int sw_cluster_keys_watch(struct sw_cluster *c, sw_cluster_key_sink_fn fn, void *arg,
                          struct sw_error *err) SW_MUSTCHECK;
/* Stops handing records over (before the sink's server stops); the cluster goes on. */
void sw_cluster_keys_unwatch(struct sw_cluster *c);

/* A command's partition key: the promoter of an affiliate fact, else its merchant (the field
 * or, for a store's own commands, its id); "" when it names none (partition 0). */
const char *sw_cluster_key_of(const struct sw_cmd *cmd);
/* The partition of a key: FNV-1a 32 modulo partitions (stable across nodes and versions). */
int sw_cluster_partition(const char *key, int partitions);
/* Ids a partition generates ('v' || rid, 'pr' || rid...) start past p x SW_CLUSTER_ID_SPAN, so
 * they are unique across partitions and name their partition (docs/scale-out.md, "Ids"). */
#define SW_CLUSTER_ID_SPAN INT64_C(1000000000000)
int64_t sw_cluster_id_base(int p);
/* The partition a generated id names (letters then digits, as the last segment of a path), or
 * -1 when it is not one or names none of the partitions. */
int sw_cluster_id_partition(const char *path, int partitions);
/* The partition of the empty key: records that name no store, and the policy in force (every
 * partition applies an activation; this one answers it and GET /v1/policy). */
int sw_cluster_home_partition(int partitions);

/* The node's read model of every partition's events (docs/scale-out.md, "Read models"), fed by
 * the event stream sw.evt.<p>. sw_cluster_view_events gives partition p's events after `after`
 * that f keeps (f->merchant aside), in seq order, at most limit, as the feed gives them: only
 * those up to the first one the model lacks (*held: the last before it), and among at most
 * 65,536 events after `after` (*walked: the last seq looked at). fn is called (on the model's
 * thread) when events came; NULL stops it. */
struct sw_event_filter;
int sw_cluster_view_events(void *cluster, int p, int64_t after, const struct sw_event_filter *f,
                           int limit, json_t **out, int64_t *walked, int64_t *held,
                           struct sw_error *err) SW_MUSTCHECK;
/* GET /v1/queue from the node's read model (sw_queue_model_read): every partition's queue as its
 * events up to the model's positions left it; `now` the node's clock, for claims. */
int sw_cluster_view_queue(void *cluster, int64_t now, const char *after, int limit, json_t **out,
                          struct sw_error *err) SW_MUSTCHECK;
/* GET /v1/admin/rules/quality from the node's read model (sw_penalty_quality_model_read). */
int sw_cluster_view_quality(void *cluster, const char *rule, const char *policy_version,
                            json_t **out, struct sw_error *err) SW_MUSTCHECK;
typedef void (*sw_cluster_view_fn)(void *arg);
void sw_cluster_view_on_events(struct sw_cluster *c, sw_cluster_view_fn fn, void *arg);

/* `shopwarden cluster status`: partitions, owners, consumer lag and snapshot age, read from
 * the broker only. *out receives a new object. */
int sw_cluster_status(const char *urls, int partitions, json_t **out,
                      struct sw_error *err) SW_MUSTCHECK;

#endif
