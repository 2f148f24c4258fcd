/* Shared between the HTTP adapter's files. */
#ifndef SW_HTTP_INTERNAL_H
#define SW_HTTP_INTERNAL_H

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "base/buf.h"
#include "base/embedded.h"
#include "domain/admin/admin.h"
#include "http/http.h"
#include "store/journal.h"

#define ROLE_ADMIN 1u
#define ROLE_OPERATOR 2u
#define ROLE_MERCHANT 4u
#define ROLE_PROMOTER 8u
#define ROLE_APP 16u
#define ROLE_INGEST 32u
#define ROLE_PUBLIC 64u /* no key needed */
#define ROLE_STREAMER 128u
#define ROLE_ANALYST 256u /* replays, shadows, rule quality: reads and dry runs, no decisions */
#define ROLE_STAFF (ROLE_ADMIN | ROLE_OPERATOR)
#define ROLE_ANY                                                                                   \
    (ROLE_ADMIN | ROLE_OPERATOR | ROLE_MERCHANT | ROLE_PROMOTER | ROLE_APP | ROLE_INGEST |         \
     ROLE_STREAMER | ROLE_ANALYST)

#define AUTH_CACHE_SLOTS 4096
#define AUTH_CACHE_TTL_NS (5LL * 1000000000LL)
#define MAX_PARAMS 4
#define RATE_SLOTS 16384
#define RATE_STRIPES 64
#define DENIAL_SLOTS 4096
#define SW_REQUEST_ID_MAX 128

/* One token bucket: (key, route class) in tag, 0 when free. */
struct rate_slot {
    uint64_t tag;
    double tokens;
    int64_t last_ns;
};

/* Refused reads of one app on one store: the window opened by the last logged refusal, the
 * grant's version then, and the refusals answered since without a command. */
struct denial_slot {
    uint64_t tag;
    int64_t since_ns;
    int64_t grant_version;
    int64_t suppressed;
};

/* A key found live in the store, remembered for AUTH_CACHE_TTL_NS. */
struct auth_slot {
    unsigned char hash[32];
    struct sw_key_row key;
    int64_t expires_ns;
    bool used;
};

/* conns.c: connections counted overall and per client address (docs/operator-guide.md,
 * "Connection limits"). */
#define SW_CONN_SLOTS 8192
struct sw_conn_slot {
    uint64_t tag; /* the address's hash; 0: never used */
    unsigned n;   /* its open connections */
};
struct sw_conns {
    pthread_mutex_t lock;
    unsigned cap_total, cap_per_ip; /* cap_per_ip 0: none */
    unsigned total;
    struct sw_conn_slot slots[SW_CONN_SLOTS];
};
/* A connection's own state (libmicrohttpd's socket context). */
struct sw_conn_ctx {
    uint64_t tag;
    bool counted; /* its address has a slot */
    bool over;    /* past a cap: its first request is answered 503 busy and it is closed */
};

struct sw_server {
    struct MHD_Daemon *daemon;
    struct sw_engine *engine;
    uint16_t port;
    atomic_bool maintenance;
    atomic_int retry_after_s;
    /* The maintenance reason (docs/api.md), read under maint_lock; "" when none. */
    pthread_mutex_t maint_lock;
    char maint_reason[SW_MAINT_REASON_MAX + 1];
    pthread_rwlock_t auth_lock;
    struct auth_slot *auth;
    _Atomic uint64_t responses[6]; /* by status class 1xx..5xx, index = status / 100 */
    bool has_buyer_key;
    unsigned char buyer_pk[32];
    /* ratelimit.c */
    struct rate_slot *rate;
    pthread_mutex_t rate_locks[RATE_STRIPES];
    struct denial_slot *denials;
    pthread_mutex_t denial_lock;
    unsigned char denial_key[crypto_shorthash_KEYBYTES];
    _Atomic uint64_t rate_limited, denials_suppressed;
    struct sw_conns conns;
    _Atomic uint64_t conns_refused; /* connections past a cap (answered 503) */
    /* obs.c: the latency histogram, (route index or unmatched) x status class 2xx..5xx */
    struct http_hist *hist;
    /* feed.c */
    struct sw_feed *feed;
    /* cluster mode (sw_http_config) */
    int (*exec)(void *arg, struct sw_cmd *cmd);
    bool (*cluster_metrics)(void *arg, struct sw_buf *b);
    int (*read_remote)(void *arg, const char *key, const char *request, char **answer);
    int (*read_any)(void *arg, const char *locator, const char *request, char **answer);
    int (*read_part)(void *arg, int p, const char *request, char **answer);
    int (*id_claim)(void *arg, const char *id, const char *store, struct sw_id_claim *out,
                    struct sw_error *err);
    int (*id_take)(void *arg, const char *id, const char *store, uint64_t rev, uint64_t *nrev,
                   struct sw_error *err);
    void (*id_release)(void *arg, const char *id, const char *store, uint64_t rev);
    int (*view_events)(void *arg, int p, int64_t after, const struct sw_event_filter *f, int limit,
                       json_t **out, int64_t *walked, int64_t *held, struct sw_error *err);
    int (*view_queue)(void *arg, int64_t now, const char *after, int limit, json_t **out,
                      struct sw_error *err);
    int (*view_quality)(void *arg, const char *rule, const char *policy_version, json_t **out,
                        struct sw_error *err);
    int (*key_publish)(void *arg, const char *record, struct sw_error *err);
    int partitions;
    void *cluster;
};

#define SW_NO_ETAG (-1)

struct sw_req {
    struct sw_server *srv;
    /* The engine the handlers read: the server's, or a partition's when the read was forwarded
     * to this node as the partition's owner (forward.c). */
    struct sw_engine *engine;
    struct MHD_Connection *conn; /* NULL for a forwarded read */
    json_t *fwd;                 /* a forwarded read: {query, headers}; NULL otherwise */
    const char *method;
    int64_t start_ns;                       /* first call of the access handler */
    int64_t at_us;                          /* the instant of a point-in-time read (route.asof) */
    char request_id[SW_REQUEST_ID_MAX + 1]; /* the client's X-Request-Id, or made */
    const struct route *log_route;          /* the route matched, even for a refusal */
    struct sw_buf body;
    bool has_body;      /* Content-Length > 0 or a chunked body */
    bool bytes_unpaid;  /* a chunked write's body: charged to write_bytes once it is read */
    bool too_large;     /* a chunked body grew past max_body: discarded, then 413 */
    bool log_body;      /* the command logs the body as sent (the payload was not changed) */
    bool result_on_top; /* a command's answer also has its result's fields at the top */
    bool refused;       /* early holds the answer, decided on the headers alone */
    bool console;       /* under /console: console.c answers with asset (NULL: 404) */
    struct sw_error early;
    size_t received;
    size_t max_body; /* the route's (SW_HTTP_MAX_BODY until the route is known) */
    /* auth */
    uint64_t key_tag; /* the first bytes of the key's hash: its rate-limit buckets */
    char role[SW_ROLE_MAX];
    char key_id[72];                      /* the key's id: who acted (audit, access log) */
    char key_label[SW_KEY_LABEL_MAX + 1]; /* its label, "" when none */
    unsigned role_bit;
    int retry_after_s; /* for a 429, or a 503 of its own (0: the server's) */
    bool close_conn;   /* the answer closes the connection (past a connection cap) */
    const char *scope; /* the id in merchant:<id> etc., points into role */
    /* route */
    const struct route *route;
    const void *cmd_hint; /* sw_cmd.hint for the command the handler runs (borrowed) */
    const struct sw_embedded_file *asset; /* console.c: the file a /console request answers */
    char path[1024];
    char route_store[128]; /* cluster mode: the store of the object a write names (forward.c) */
    const char *params[MAX_PARAMS];
    int nparams;
    /* response */
    int status;
    json_t *resp;
    json_t *live;          /* a point-in-time read: the live answer, for route.asof (routes.c) */
    char *text_resp;       /* a body already rendered (metrics, hot reads) */
    const char *text_type; /* text_resp's media type when neither JSON nor metrics (CSV) */
    bool text_is_json;     /* text_resp is JSON, not Prometheus text */
    bool replayed;
    bool parked; /* feed.c: a long-polling read parked until an event commits or wait_until_ns */
    json_t *err_details; /* merged into an error answer's details (policy problems), or NULL */
    /* HTTP conventions (docs/api.md): the methods of a path answered 405 ("GET, HEAD, PATCH"),
     * the version a single-object read or a write answers as its ETag (SW_NO_ETAG: none; a
     * version may be 0: a badge that never changed), the created
     * object's URL of a 201. */
    char allow[48];
    int64_t etag;
    char location[160];
    size_t resp_bytes;     /* the body queued */
    int64_t wait_until_ns; /* feed.c: when a parked read answers anyway */
};

typedef int (*route_fn)(struct sw_req *r, struct sw_error *err);

struct route {
    const char *method;
    const char *pattern; /* "/v1/products/{id}/list" */
    route_fn fn;
    unsigned roles;
    bool write;
    /* For h_command: the command, the payload field that takes the path id (NULL: "id") and
     * the success status (0: 200). */
    const char *command;
    const char *id_field;
    int status;
    /* The query parameters the route takes, comma-separated ("after,limit"); NULL: none. Any
     * other is refused before the handler runs (unknown_parameter), and so is a repeated one. */
    const char *params;
    /* The largest body the route takes; 0: SW_HTTP_MAX_BODY. */
    size_t max_body;
    /* A single-object GET that answers `?at=INSTANT` (docs/point-in-time.md): the handler that
     * answers the object as it was then, run after fn has answered it as it is now (so who may
     * see it, and that it exists, are decided as without `at`); NULL: no `at`. */
    route_fn asof;
};

extern const struct route sw__routes[];
extern const int sw__routes_count;

/* server.c: the route of r->method and url, its path parameters in r (NULL with
 * route_not_found or method_not_allowed in err). */
const struct route *sw__find_route(struct sw_req *r, const char *url, struct sw_error *err);
/* An error envelope with r->err_details merged into its details (malloc'd). */
char *sw__details_text(struct sw_req *r, const struct sw_error *err);

/* forward.c: cluster mode. The partition key of a read answered by the owner of one store's
 * (or promoter's) partition, NULL when the read is this node's own; and the forwarding of it,
 * which fills r's status and answer as the owner rendered them. */
const char *sw__read_key(struct sw_req *r);
/* The key sw__read_key gives a read of the cluster-wide policy: the home partition's owner
 * answers it (compared by address: an empty merchant query is not it). */
extern const char sw__home_key[];
/* The key sw__read_key gives a read of one object by its own id that names no store (a staff
 * key's GET /v1/products/{id}): whichever partition has it answers (sw_cluster_read_any). */
extern const char sw__any_key[];
/* The key sw__read_key gives a list that names no store or promoter (a staff key's GET
 * /v1/violations): every partition's list in turn (gather.c). */
extern const char sw__all_key[];
/* The key sw__read_key gives the rule quality: every partition's, added up (gather.c). */
/* The key sw__read_key gives a rescan: its part in every partition, added up (gather.c). */
extern const char sw__parts_key[];
int sw__forward(struct sw_req *r, const char *url, const char *key, struct sw_error *err);
/* The read another node's owner runs for r at url (as_sent: with r's method and body), as the
 * JSON sent on sw.q.<p>; and an owner's answer to it put into r as the client's. */
json_t *sw__request_json(struct sw_req *r, const char *url, bool as_sent);
int sw__relay(struct sw_req *r, const json_t *answer);
/* An owner's answer text parsed (NULL unless rc is SW_OK); text is freed. */
json_t *sw__answer_of(int rc, char *text);
extern const char sw__too_large[]; /* the message of an answer the broker cannot carry */
/* Whether the object at path exists, read on the partition of key with r's identity (cluster
 * mode): *exists true on 200, false on 404; busy when the owner does not answer. */
int sw__remote_exists(struct sw_req *r, const char *path, const char *key, bool *exists,
                      struct sw_error *err);
/* gather.c: a list across stores, joined from every partition's pages. */
int sw__gather(struct sw_req *r, const char *url, struct sw_error *err);
/* gather.c: the rule quality across partitions from the node's read model. */
int sw__model_quality(struct sw_req *r, struct sw_error *err);
int sw__gather_rescan(struct sw_req *r, const char *url, struct sw_error *err);
/* gather.c: the event feed of every store (staff without ?merchant=): every partition's log,
 * merged by instant, its cursor a position in each. */
int sw__gather_feed(struct sw_req *r, const char *url, struct sw_error *err);
/* gather.c: the operator queue across stores from the node's read model. */
int sw__gather_queue(struct sw_req *r, const char *url, struct sw_error *err);
/* forward.c: a feed read with wait=SECONDS whose page is empty: r's connection parked for a
 * short while, to be asked again (true; r->parked set). */
bool sw__feed_poll_later(struct sw_req *r, const json_t *page);
/* Cluster mode: a write that names only an object by its id (a staff key's POST
 * /v1/products/{id}/ban) is routed to the store of that object, found as a read of the object's
 * path (sw_cluster_read_any): sets cmd->route_key. Nothing when the object is not found (the
 * command then answers not_found as before). */
void sw__route_to_object(struct sw_req *r, struct sw_cmd *cmd);
/* Cluster mode: a product.create with its id claimed for its store across partitions first
 * (docs/scale-out.md, "Product ids"): another store's claim is 409 already_exists unless it is
 * stale (no partition has the product, and it is older than a create takes), then taken over;
 * a claim this create made is released when the create is refused. Returns cmd->code. */
int sw__create_claimed(struct sw_req *r, struct sw_cmd *cmd);

/* auth.c */
int sw__auth(struct sw_server *s, struct sw_req *r, struct sw_error *err);
void sw__auth_forget_all(struct sw_server *s);
/* keys_sync.c, cluster mode: the key `id` of node.db into the cluster's key store, after
 * r's create or revocation of it committed (docs/scale-out.md, "Keys"). */
int sw__keys_publish(struct sw_req *r, const char *id, struct sw_error *err);

/* envelope.c: error bodies. Messages and fields are made valid UTF-8 (invalid bytes become
 * U+FFFD, a cut falls between characters) so that jansson never refuses them. */
size_t sw__utf8_clean(const char *in, char *out, size_t cap);
/* request_id goes into the envelope ("error"."request_id"); NULL leaves it out. */
json_t *sw__error_body(const struct sw_error *err, const char *request_id);
/* The rendered envelope, malloc'd; a fixed internal error when rendering fails. */
char *sw__error_text(const struct sw_error *err, const char *request_id);
/* Whether libmicrohttpd's own error pages are replaced by envelopes (see envelope.c). */
bool sw__envelope_pages_active(void);

/* feed.c: the long poll of GET /v1/events. Start before the daemon takes requests; stop
 * (resumes every parked connection) before MHD_stop_daemon, free after it. */
int sw__feed_start(struct sw_server *s) SW_MUSTCHECK;
void sw__feed_stop(struct sw_server *s);
/* Parks r's connection until until_ns (or the next commit here): a cluster node waiting for
 * another node's events polls them so (forward.c). False when it cannot park (the server
 * stops, the waiters are at their bound, the time is past). */
bool sw__feed_park_until(struct sw_req *r, int64_t until_ns);
/* The feed's filters, limit and wait as GET /v1/events takes them (all but `after`). */
int sw__feed_filter(struct sw_req *r, struct sw_event_filter *f, int64_t *limit, int64_t *wait_s,
                    struct sw_error *err) SW_MUSTCHECK;
void sw__feed_free(struct sw_server *s);

/* ratelimit.c */
int64_t sw__mono_ns(void);
int sw__limits_init(struct sw_server *s) SW_MUSTCHECK;
void sw__limits_release(struct sw_server *s);
/* request.c: the request's Idempotency-Key scoped as the command log holds it, in out: true;
 * false with no header (err untouched) or a malformed one (err set). */
bool sw__idem_header(struct sw_req *r, char *out, size_t n, struct sw_error *err);

/* conns.c: the caps counted at libmicrohttpd's connection notifications; whether a connection
 * is past one. */
void sw__conns_init(struct sw_conns *c, unsigned cap_total, unsigned cap_per_ip);
void sw__conns_destroy(struct sw_conns *c);
void sw__conns_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                      enum MHD_ConnectionNotificationCode toe);
bool sw__conn_over(struct MHD_Connection *conn);

/* Takes a token of the key's bucket for the class (enum sw_rate_class); rate_limited with
 * r->retry_after_s set when it is empty. */
int sw__rate_take(struct sw_server *s, struct sw_req *r, int cls, double cost,
                  struct sw_error *err);
/* For an app's read of a store's orders: true when the app was refused on that store in the
 * last minute, that refusal is logged and the grant has not changed since: the caller answers
 * 403 without a command, and the refusal is only counted. Otherwise false, and *carried is
 * the count of an expired window, for the next logged event. */
bool sw__denial_suppressed(struct sw_req *r, const char *merchant, int64_t *carried);
/* A refusal was just logged: opens the minute in which the next ones are only counted. */
void sw__denial_noted(struct sw_req *r, const char *merchant);
bool sw__limits_metrics(struct sw_server *s, struct sw_buf *b) SW_MUSTCHECK;

/* obs.c: request ids, the access log, the HTTP latency histogram. */
#define SW_REQUEST_ID_HEADER "X-Request-Id"
int sw__obs_init(struct sw_server *s) SW_MUSTCHECK;
void sw__obs_release(struct sw_server *s);
/* The client's X-Request-Id when it is 1-SW_REQUEST_ID_MAX printable ASCII characters,
 * otherwise 32 random hex digits. */
void sw__request_id(struct MHD_Connection *conn, char out[SW_REQUEST_ID_MAX + 1]);
/* The request is over (answered or not): one access log line, and its latency counted. */
/* console.c: the browser console's files at /console (docs/console.md). sw__console_path says
 * whether url is under /console; sw__console_find picks the file (index.html for the pages of
 * the single-page app, NULL for a missing asset); sw__console_answer queues it. */
bool sw__console_path(const char *url);
const struct sw_embedded_file *sw__console_find(const char *url);
enum MHD_Result sw__console_answer(struct sw_req *r);
void sw__request_done(struct sw_req *r, enum MHD_RequestTerminationCode toe);
/* An answer the library made itself (envelope.c), before any request existed. */
void sw__access_log_page(unsigned status, size_t bytes, const char *request_id);
bool sw__http_metrics(struct sw_server *s, struct sw_buf *b) SW_MUSTCHECK;

#endif
