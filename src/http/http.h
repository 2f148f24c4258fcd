/* The HTTP adapter: libmicrohttpd (epoll, internal thread pool) + jansson. Handlers parse,
 * call the engine once, and render; they hold no rules. */
#ifndef SW_HTTP_HTTP_H
#define SW_HTTP_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/id_claim.h"
#include "engine/engine.h"

struct sw_event_filter;

#define SW_HTTP_MAX_BODY ((size_t)1 << 20)

/* Connection limits (docs/operator-guide.md, "Connection limits"). */
#define SW_HTTP_DEFAULT_MAX_CONNECTIONS 1024
#define SW_HTTP_DEFAULT_MAX_PER_IP 128
#define SW_HTTP_DEFAULT_IDLE_TIMEOUT_S 15

struct sw_http_config {
    const char *host; /* "127.0.0.1" */
    uint16_t port;    /* 0 = pick a free port */
    int threads;      /* MHD thread pool size, default 8 */
    /* 0 takes the SW_HTTP_DEFAULT_ value; max_per_ip < 0 means no per-address cap. */
    int max_connections;
    int max_per_ip;
    int idle_timeout_s;
    /* Buyer data of the order feed is sealed to this public key (32 bytes, base/pii.h) and
     * masked; NULL refuses buyer data. */
    const unsigned char *buyer_public_key;
    /* Cluster mode (src/cluster, docs/scale-out.md): exec applies a command on the node that
     * owns its partition instead of the local engine (returns cmd->code, fills the outcome as
     * sw_engine_execute does); metrics appends the cluster's series to /metrics. NULL: one
     * node, the local engine. */
    int (*exec)(void *arg, struct sw_cmd *cmd);
    bool (*metrics)(void *arg, struct sw_buf *b);
    /* A read of one store (or promoter) in cluster mode: *answer receives the owner's answer
     * to request (both JSON text made by this module: sw_http_serve_read). Returns SW_OK or
     * an error code (busy: no owner answered). NULL: reads are the local engine's. */
    int (*read)(void *arg, const char *key, const char *request, char **answer);
    /* A read of one object by its own id that names no store: the owner of whichever
     * partition has the object at locator (its path) answers. */
    int (*read_any)(void *arg, const char *locator, const char *request, char **answer);
    /* A read on the owner of partition p (0 <= p < partitions): a list across stores is every
     * partition's in turn (gather.c). */
    int (*read_part)(void *arg, int p, const char *request, char **answer);
    /* The cluster's key store (docs/scale-out.md, "Keys"): a key record (JSON text) of a key
     * this node made or revoked, published for the other nodes (sw_cluster_key_publish). */
    int (*key_publish)(void *arg, const char *record, struct sw_error *err);
    /* Product ids across partitions (sw_cluster_id_claim, _take, _release): a create claims
     * its id for its store first (docs/scale-out.md, "Product ids"). */
    int (*id_claim)(void *arg, const char *id, const char *store, struct sw_id_claim *out,
                    struct sw_error *err);
    int (*id_take)(void *arg, const char *id, const char *store, uint64_t rev, uint64_t *nrev,
                   struct sw_error *err);
    void (*id_release)(void *arg, const char *id, const char *store, uint64_t rev);
    /* The node's read model of every partition's events (sw_cluster_view_events): the feed of
     * every store is read from it (gather.c). */
    int (*view_events)(void *arg, int p, int64_t after, const struct sw_event_filter *f, int limit,
                       json_t **out, int64_t *walked, int64_t *held, struct sw_error *err);
    /* The operator queue from the node's read model (sw_cluster_view_queue): GET /v1/queue of
     * staff is answered from it (gather.c). */
    int (*view_queue)(void *arg, int64_t now, const char *after, int limit, json_t **out,
                      struct sw_error *err);
    /* The rule quality from the node's read model (sw_cluster_view_quality). */
    int (*view_quality)(void *arg, const char *rule, const char *policy_version, json_t **out,
                        struct sw_error *err);
    int partitions;
    void *cluster;
};

struct sw_server;

int sw_server_start(struct sw_engine *e, const struct sw_http_config *cfg, struct sw_server **out,
                    struct sw_error *err) SW_MUSTCHECK;
uint16_t sw_server_port(const struct sw_server *s);
/* Cluster mode, on the owner of a partition: answers a read another node (or this one)
 * forwarded (request: the JSON text the accepting node made) by running the route's read
 * handler on the partition's engine e. Returns the answer as JSON text {status, body, etag,
 * type}, malloc'd (NULL when out of memory). server is a struct sw_server *. */
char *sw_http_serve_read(void *server, struct sw_engine *e, const char *request);
void sw_server_stop(struct sw_server *s);
/* Cluster mode, the read model's hook (sw_cluster_view_on_events): events came, so the feed's
 * parked reads are read again; server is a struct sw_server *. */
void sw_http_events_came(void *server);
/* Cluster mode, the key store's sink (sw_cluster_keys_watch): a key record another node (or
 * this one) published, brought into this node's keys through its engine (key.sync, by the
 * system, idempotent by the record's id and state); server is a struct sw_server *. */
void sw_http_key_sync(void *server, const char *record);
/* Cluster mode, at start: every key of this node's database into the key store (keys made
 * offline with `shopwarden keys create`, and any change a stop left unpublished). */
int sw_http_keys_replicate(struct sw_server *s, struct sw_error *err) SW_MUSTCHECK;

/* Makes a new API key: "sw_" + 43 base64url characters of 32 random bytes. hash_hex receives
 * the 64-hex BLAKE2b-256 of the key, which is all that is stored. */
void sw_key_generate(char key[64], char hash_hex[65]);
void sw_key_hash(const char *key, unsigned char hash[32]);

#endif
