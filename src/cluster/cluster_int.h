/* Internal to src/cluster. */
#ifndef SW_CLUSTER_CLUSTER_INT_H
#define SW_CLUSTER_CLUSTER_INT_H

#include <nats/nats.h>
#include <pthread.h>
#include <stdatomic.h>

#include "cluster/cluster.h"
#include "engine/clock.h"

#define SW_CL_CMD_STREAM "SW_CMD"
#define SW_CL_SNAP_STREAM "SW_SNAP"
#define SW_CL_EVT_STREAM "SW_EVT"
/* events of a partition the event stream keeps by default (the oldest go first); a read model
 * further behind fetches the rest from the owner */
#define SW_CL_EVT_KEEP 100000
#define SW_CL_OWNERS "sw_owners"
#define SW_CL_SNAPS "sw_snaps"
#define SW_CL_KEYS "sw_keys"
#define SW_CL_IDS "sw_ids"
#define SW_CL_CHUNK 262144
#define SW_CL_FETCH_BATCH 512

struct sw_cluster;

/* One partition this node owns (or is taking over). */
struct sw_part {
    struct sw_cluster *cl;
    int p;
    pthread_t thread;
    atomic_bool stop;    /* asked to stop (lease lost or released) */
    atomic_bool running; /* the thread is alive */
    atomic_bool ready;   /* restored and consuming */
    /* partition.c: answering reads, once it applied the stream up to serve_from, the last
     * command of its subject when it took the partition (a new owner does not answer from a
     * snapshot behind what clients were acknowledged) */
    atomic_bool serving;
    bool lost;          /* the lease was lost: release nothing, snapshot nothing */
    bool fenced;        /* another owner's token is in the manifest (snapshot.c): stop */
    char token[17];     /* this incarnation's, in the manifest while it owns the partition */
    char consumer[48];  /* its durable consumer on SW_CMD: p<N>-<token>, fetched by it alone */
    bool joinable;      /* thread started and not joined yet */
    bool rates_started; /* rates.c, below */
    uint64_t serve_from;
    uint64_t lease_rev;
    /* lease.c: until when (monotonic ms) the lease is surely this node's: the send time of the
     * last write that the broker acknowledged, plus the TTL (the key lives at least that long).
     * Past it another node may own the partition, and this one answers no reads of it. */
    _Atomic int64_t lease_until_ms;
    struct sw_engine *engine;
    /* query.c: reads of other threads hold it shared while they use engine; the partition's
     * thread holds it exclusively to close the engine */
    pthread_rwlock_t eng_lock;
    natsSubscription *qsub; /* sw.q.<p> while ready */
    char db_path[4200];
    sw_instant last_at;   /* greatest stamp of the stream so far: instants never go back */
    uint64_t applied_seq; /* stream sequence of the last applied command */
    uint64_t delivered;   /* consumer sequence of the last message delivered (0: none yet) */
    uint64_t since_snap;
    int64_t snap_mono_ms;
    _Atomic uint64_t pending;  /* commands of the stream not yet delivered (lag) */
    _Atomic uint64_t applied;  /* commands applied since this node took it */
    _Atomic int64_t snap_at_s; /* wall-clock second of its last snapshot, 0: none */
    /* timers.c: when the timers were last looked at, and the tick last published for the
     * earliest due timer (its due instant and key hash) */
    int64_t timers_mono_ms, tick_mono_ms;
    sw_instant tick_due;
    uint32_t tick_key;
    /* rates.c: when the item counts were last looked at, and where this owner stands in the
     * model (sw_aff_rates_pos: the changes, and the partition's own items), once started */
    int64_t rates_mono_ms, rates_changed, rates_items;
    /* events.c: the partition's events published to sw.evt.<p> and acknowledged by the broker
     * up to evt_pub; evt_known once where to start was found */
    jsCtx *evt_js;
    bool evt_known;
    int64_t evt_pub;
    atomic_bool evt_failed;
};

struct sw_view;

struct sw_waiter;

struct sw_cluster {
    struct sw_cluster_config cfg;
    char node_id[40];
    char *urls, *data_dir;
    struct sw_clock clock;
    natsConnection *nc;
    jsCtx *js;
    kvStore *owners, *snaps, *keys, *ids;
    natsSubscription *inbox;
    char inbox_prefix[96];
    struct sw_part *parts;
    pthread_t lease_thread;
    bool lease_started;
    atomic_bool stopping;
    pthread_mutex_t mu; /* waiters, cv */
    pthread_cond_t cv;
    struct sw_waiter *waiters;
    uint64_t next_id;
    sw_instant last_stamp;
    _Atomic uint64_t published, duplicates, timeouts;
    _Atomic uint64_t ticks, timers_fired; /* timers.c */
    _Atomic uint64_t rates_sent;          /* rates.c: affiliate.item_rates published */
    sw_cluster_reader_fn reader;          /* query.c, under mu */
    void *reader_arg;
    _Atomic uint64_t reads_forwarded, reads_served;
    _Atomic uint64_t gaps; /* partition.c: deliveries that skipped a message */
    /* keys.c: the key store's watcher and the publishes waiting for the broker */
    pthread_mutex_t keys_mu;
    kvWatcher *keys_watcher;
    struct sw_key_pending *keys_pending;
    pthread_t keys_thread;
    bool keys_started;
    atomic_bool keys_stopping;
    sw_cluster_key_sink_fn key_sink;
    void *key_sink_arg;
    _Atomic uint64_t keys_published, keys_seen;
    /* events.c and view.c: the event stream and this node's read model of it */
    struct sw_view *view;
    _Atomic uint64_t events_published, view_events, view_filled;
};

/* cluster.c */
int sw__cl_connect(const char *urls, const char *name, natsConnection **nc, jsCtx **js,
                   struct sw_error *err);
int sw__cl_nats_fail(struct sw_error *err, natsStatus s, jsErrCode jerr, const char *what);
/* A KV key for a client's id: kind, '.', the id's bytes in hex ("k.<id>" in sw_keys, "p.<id>"
 * in sw_ids); false when out (n bytes) is too small. */
bool sw__cl_hex_key(char kind, const char *id, char *out, size_t n);
/* The streams and buckets (made when missing), on c->js: c->cfg.replicas, lease_ms and
 * events_keep must be set. */
int sw__cl_declare(struct sw_cluster *c, struct sw_error *err);
int64_t sw__cl_mono_ms(void);
/* Whether the partition's lease is surely still this node's (lease_until_ms not passed). */
bool sw__lease_surely_ours(const struct sw_part *pt);

/* partition.c */
/* How a delivered message stands against what the owner applied. Its consumer sequence must
 * follow the last one delivered, else the consumer skipped a message (GAP): seen after a broker
 * was killed, when a message went to a fetch the dying consumer leader never answered and the
 * new leader went on with the next one, so that applying on would apply the stream out of order
 * and AckAll would acknowledge the skipped message; the owner makes its consumer again from
 * the applied sequence. A stream sequence at or below the applied one is a redelivery of what
 * is applied already (SEEN); anything else is applied next (APPLY). */
enum sw__delivery { SW_DELIVERY_APPLY, SW_DELIVERY_SEEN, SW_DELIVERY_GAP };
enum sw__delivery sw__cl_delivery(uint64_t delivered, uint64_t applied_seq, uint64_t consumer_seq,
                                  uint64_t stream_seq);
int sw__part_start(struct sw_part *pt, struct sw_error *err);
/* Stops the thread and closes the engine; snapshots first when keep (a graceful release). */
void sw__part_stop(struct sw_part *pt);

/* snapshot.c */
int sw__snap_save(struct sw_part *pt, struct sw_error *err);
/* Fences the partition (its manifest names pt's token and consumer from now on; the consumers
 * of the owners before are deleted), then writes its latest snapshot into pt->db_path
 * (removing what was there); *seq receives the stream sequence it covers and *last_at the
 * greatest stamp of the stream up to it (0 and an empty path when there is none). */
int sw__snap_restore(struct sw_part *pt, uint64_t *seq, sw_instant *last_at, struct sw_error *err);

/* submit.c */
int sw__cl_inbox_start(struct sw_cluster *c, struct sw_error *err);
/* Publishes each cmds[i] into partition p[i]'s stream (msg_ids[i]: its Nats-Msg-Id or NULL),
 * all before waiting, then waits for each owner's answer, which fills the command (its code).
 * SW_E_INTERNAL when out of memory (nothing published). */
int sw__cl_execute_many(struct sw_cluster *c, struct sw_cmd *const *cmds, const int *p,
                        char *const *msg_ids, int n);
/* feed.c: an affiliate feed request split by its events' promoters, one command a partition,
 * and the answers joined in the request's order. */
int sw__cl_execute_feed(struct sw_cluster *c, struct sw_cmd *cmd);
/* Answers a command on its reply subject (owner side). */
void sw__cl_reply(struct sw_cluster *c, struct sw_engine *e, const char *subject,
                  struct sw_cmd *cmd);

/* timers.c */
/* Whether a message of the stream is the engine's tick (engine.tick by "engine"). */
bool sw__cl_is_tick(const struct sw_cmd *cmd);
/* On the partition's thread, at most once a second: publishes a tick into the partition's
 * stream when its earliest timer is due. */
void sw__part_timers(struct sw_part *pt);
/* rates.c, on the partition's thread, at most once a second: publishes into the partition's
 * stream the other partitions' counts of its items that changed (affiliate.item_rates). */
void sw__part_rates(struct sw_part *pt);
/* Publishes an engine's command (its text) into the partition's stream with Nats-Msg-Id
 * msg_id, once, without waiting for an answer; false (logged as `event`) when the broker did
 * not take it. */
bool sw__part_publish(struct sw_part *pt, const char *text, const char *msg_id, const char *event);
/* Applies a tick of the stream to completion (a tick cut short by a yielding timer goes on). */
void sw__part_run_tick(struct sw_part *pt, struct sw_cmd *cmd);

/* query.c: a read on the owner of p, tried once (up to 2 s: the read model's fills, which
 * must not hold its thread for a whole reply timeout) */
int sw__cl_read_once(struct sw_cluster *c, int p, const char *request, char **answer);
/* query.c: the partition's read subscription (sw.q.<p>), held while it is ready */
int sw__q_start(struct sw_part *pt, struct sw_error *err);
void sw__q_stop(struct sw_part *pt);

/* keys.c: stops the watcher (before the connection goes) */
void sw__keys_stop(struct sw_cluster *c);

/* events.c, on the partition's thread: sw__evt_begin once it is ready, sw__evt_publish at
 * each turn of its loop (publishes what it committed), sw__evt_end before the engine closes */
void sw__evt_begin(struct sw_part *pt);
void sw__evt_publish(struct sw_part *pt);
void sw__evt_end(struct sw_part *pt);
/* A read model's request for a partition's events (query.c answers it with sw__evt_serve on
 * the owner's engine: {"events": [...]}, the events after a seq as the feed gives them). */
bool sw__evt_is_request(const char *request);
char *sw__evt_serve(struct sw_part *pt, const char *request);

/* view.c: this node's read model of the event stream */
int sw__view_start(struct sw_cluster *c, struct sw_error *err);
void sw__view_stop(struct sw_cluster *c);
/* Where a new owner of a partition starts telling it the item counts, and the next counts to
 * tell it (sw_affiliate_counts_model_start, _pending). */
struct sw_aff_rates_pos;
int sw__view_rates_start(struct sw_cluster *c, struct sw_aff_rates_pos *pos, struct sw_error *err);
int sw__view_rates_pending(struct sw_cluster *c, int q, const struct sw_aff_rates_pos *from,
                           int limit, json_t **items, struct sw_aff_rates_pos *to, bool *more,
                           struct sw_error *err);
/* events held beyond a hole, over every partition */
void sw__view_metrics(struct sw_cluster *c, int64_t *held_behind);

/* lease.c */
void *sw__lease_main(void *arg);

#endif
