/* The engine: every change is a command, applied by one writer thread in batches (one SQLite
 * transaction per batch, one savepoint per command), idempotent by key, logged in `commands`,
 * producing events in `events` that are dispatched synchronously to subscribers inside the
 * same transaction. Timers turn into ordinary commands when the clock passes them.
 *
 * Threads: any thread may submit; one writer thread applies. Readers use the read pool. */
#ifndef SW_ENGINE_ENGINE_H
#define SW_ENGINE_ENGINE_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/instant.h"
#include "base/map.h"
#include "engine/clock.h"
#include "policy/policy.h"
#include "store/store.h"

#define SW_ENGINE_MAX_TYPES 128
#define SW_ENGINE_MAX_SUBS 256
#define SW_ENGINE_MAX_IDMAPS 8
#define SW_DISPATCH_MAX_DEPTH 8
/* A runaway guard, not a limit a rule should meet: an ingest of 10,000 impressions that
 * completes as many orders emits 20,000 events, a policy that stops every running order one
 * per order, and a store's badge tags or untags every product of the store in the command that
 * changes it (120,000 products: 3.1 s and 342 MB on the bench machine, release build). */
#define SW_EVENTS_PER_COMMAND_MAX 1000000
#define SW_ENGINE_MAX_ATTACHED 8

struct sw_engine;

/* An id map: external string id -> internal integer (e.g. product id -> rowid). The writer
 * stages entries per command; they become visible to readers when the batch commits. */
struct sw_idmap {
    pthread_rwlock_t lock;
    struct sw_map map;
};

/* An id list: string key -> ascending integers (a store's product rowids, in creation
 * order). Kept in memory because a (key, id) index with many keys takes a scattered page
 * write per insert (FACTS.md); rebuilt from the store at start. Appends are staged per
 * command like id-map entries and become visible when the batch commits. */
struct sw_idvec {
    int64_t *v;
    size_t n, cap;
};
struct sw_idlist {
    pthread_rwlock_t lock;
    struct sw_map index; /* key -> position in lists */
    struct sw_idvec *lists;
    size_t nlists, caplists;
};

/* A domain event as subscribers see it. Borrowed: valid during the call only. */
struct sw_event {
    int64_t seq;
    sw_instant at;
    const char *type;
    const char *merchant;
    const char *subject;
    const json_t *payload;
};

/* What domain code gets: the instant, the policy, the store, an arena, the event sink. */
struct sw_ctx {
    struct sw_engine *engine;
    sw_instant now;
    const struct sw_policy *policy;
    struct sw_conn *conn;
    struct sw_arena *arena;
    const char *actor;       /* role of the sender: "admin", "merchant:m1", "system", ... */
    const char *actor_key;   /* id of the API key that sent it, NULL for the engine's own */
    const char *actor_label; /* that key's label (or what the engine's own action is), or NULL */
    int64_t command_seq;     /* the seq this command will have in the log */
    /* The events emitted so far, in order: how many, the last one's seq, and the list as the
     * JSON text `{"seq":..,"type":".."},...` (without brackets), what the answer shows. Text,
     * not a tree: an ingest emits thousands, and the writer only appends. */
    int64_t nevents;
    int64_t last_event_seq;
    struct sw_buf events_text;
    int depth; /* dispatch depth */
    /* Optional: the result already rendered as JSON text (malloc'd), set instead of *result
     * on hot paths that render text directly; the engine takes it. */
    char *result_text;
    /* Set with result_text when that text is the payload of this command's event of this
     * seq (sw_ctx_emit_text): the log then holds a reference to the event, not a copy. */
    int64_t result_event;
    /* The last payload emitted at depth 0 (a reference held until the command ends, so its
     * address cannot be reused) and its seq: a result that is this very object is logged as a
     * reference to the event rather than a second copy. */
    json_t *last_payload;
    int64_t last_payload_seq;
    /* What the command type's prepare hook computed on the submitting thread (borrowed), or
     * NULL when no hook ran (replays of the log, asynchronous submits, subscribers' own
     * work). A handler that finds it computed for another state than the one it sees
     * refuses with SW_E_PREPARED_STALE; sw_engine_execute then prepares again. */
    const void *prepared;
    /* The engine's answers go to no client (a replay's scratch run, sw_engine_config): a
     * handler may answer {} instead of reading back what it wrote. Its writes and events stay
     * exactly the same. */
    bool results_unread;
    /* Set by a handler that refuses: what more the refusal has to say, as members of the
     * error's details (the findings that keep a product off sale, the claim that holds an
     * item). A new reference the engine hands to the command (sw_cmd.err_details); computed
     * where the refusal is decided, so that a client gets it from any node. */
    json_t *err_details;
};

/* A command handler. payload is borrowed; *result (new reference, an object) is what the
 * caller gets back and what a replay returns. Returns SW_OK or an error code with err
 * filled; on error every write of the command is rolled back. A handler may return the
 * object it emitted as its last event's payload (it is then logged once); it must not change
 * that object after emitting it. */
typedef int (*sw_cmd_fn)(struct sw_ctx *ctx, const json_t *payload, json_t **result,
                         struct sw_error *err);
/* An event subscriber, called inside the emitting command's transaction. An error rolls the
 * whole command back. */
typedef int (*sw_sub_fn)(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err);
/* A prepare hook: runs on the submitting thread before the command is queued, with a read
 * connection (committed state) and the policy, and does the work whose cost the client
 * controls (scanning a listing) so that the single writer never does it. *out receives what
 * the handler will find in ctx->prepared (never NULL on SW_OK); free_fn releases it on the
 * submitting thread after the command is done. A hook does not validate: whatever it cannot
 * prepare, it leaves for the handler to refuse. */
struct sw_cmd;
typedef int (*sw_prep_fn)(struct sw_engine *e, struct sw_conn *reader, const struct sw_cmd *cmd,
                          void **out, struct sw_error *err);
typedef void (*sw_prep_free_fn)(void *prepared);

/* A submitted command. The submitter owns it; fields below "outcome" are filled by the
 * writer before completion. */
struct sw_cmd {
    const char *type;
    const char *actor;       /* role: authorisation is by role (sw_actor_is_staff, ...) */
    const char *actor_key;   /* the API key that sent it (audit); NULL: system, cli */
    const char *actor_label; /* the key's label, or what the engine's own action is */
    const char *merchant;    /* partition key, may be NULL */
    const char *idem_key;    /* already scoped by the caller, may be NULL */
    json_t *payload;         /* borrowed */
    /* Optional: payload as the client sent it (JSON text that parses to exactly payload),
     * logged as it is instead of a dump of payload made on the writer (a 1 MB batch of
     * impressions). Borrowed, NUL-terminated. */
    const char *payload_text;
    /* Optional: what the adapter already read of the payload, in the form the type's prepare
     * hook documents (a hot path that parses its body without building a JSON tree); the
     * hook may use it instead of payload. Borrowed. */
    const void *hint;
    /* Optional, for replays of a log (docs/replay.md): the instant the command is applied at
     * instead of the clock's (0: the clock), and the policy it runs under (NULL: the one in
     * force), which stays in force for the commands after it. Borrowed; the policy must
     * outlive the engine. */
    sw_instant replay_at;
    const struct sw_policy *replay_policy;
    /* Optional, for replays: the timers due at the command's very instant fire before it too
     * (a replayed move of the manual clock, which the live tick did just before it); without
     * it they fire after it (timers.c). */
    bool timers_through;
    /* Optional: the instant the command happens, stamped by the node that accepted it in a
     * cluster (src/cluster), so that every replay of the partition's stream applies it at the
     * same instant. 0: the engine's clock. The stamper keeps instants from going back. */
    sw_instant stamp;
    /* Optional, cluster mode: the store a command that names only an object belongs to, found
     * by the HTTP layer (a staff key's POST /v1/products/{id}/ban), so that it goes to the
     * store's partition. Routing only: not logged. Borrowed. */
    const char *route_key;
    void (*on_done)(struct sw_cmd *cmd, void *arg); /* optional: async completion */
    void *on_done_arg;
    /* outcome */
    int code;
    struct sw_error err;
    json_t *err_details; /* on refusal, the handler's sw_ctx.err_details or NULL; released by
                          * sw_cmd_release */
    json_t *result;      /* new reference on success, caller decrefs */
    char *result_text;   /* instead of result when the handler rendered text; released too */
    /* [{seq,type}] on success: a replay's, or NULL until sw_cmd_events builds it from
     * events_text (a fresh command's, malloc'd JSON array text). */
    json_t *events;
    char *events_text;
    /* In cluster mode, the payloads of the answer's violation.* events, as the partition's
     * owner read them ([[seq, payload], ...]; NULL otherwise): the accepting node's own database
     * does not hold them. Released by sw_cmd_release. */
    json_t *event_payloads;
    int64_t seq;
    sw_instant at;
    bool replayed;
    /* internal */
    bool done;
    int64_t submitted_ns;
    struct sw_cmd *next;
    struct sw_cmd *dup_of;
    void *prepared; /* set by sw_engine_execute from the type's prepare hook */
};

struct sw_engine_config {
    const char *db_path;
    const struct sw_policy *policy; /* borrowed; must outlive the engine */
    struct sw_clock *clock;         /* borrowed */
    enum sw_sync sync;
    int batch_max;  /* commands per transaction, default 4096 */
    int queue_max;  /* submitted but not applied, default 65536 */
    int read_conns; /* read pool size, default 8 */
    bool scheduler; /* run a thread that ticks timers with the clock (system clock) */
    /* A scratch engine (a replay): yielding timers do not end their batch, since nobody reads
     * its progress and commits are what costs. */
    bool no_yield;
    /* A scratch engine: no client reads the commands' answers, so a handler may leave out of
     * its result what only a client would look at (sw_ctx.results_unread). */
    bool results_unread;
    /* The ids this database generates ('v' || rid...) start past it (SW_NEXT_RID): 0 in
     * single-node mode; a cluster partition's own range (docs/scale-out.md, "Ids"). */
    int64_t id_base;
};

struct sw_engine_stats {
    uint64_t accepted, refused, replayed, batches, commands_in_batches, timers_fired;
    uint64_t queue_depth;
    uint64_t writer_busy_ns;         /* time spent applying and committing batches */
    uint64_t latency_us_buckets[12]; /* le 100us,250,500,1ms,2.5,5,10,25,50,100,250,+Inf */
    uint64_t latency_us_sum;
};
extern const double sw_engine_latency_bounds_s[11];

int sw_engine_open(const struct sw_engine_config *cfg, struct sw_engine **out,
                   struct sw_error *err) SW_MUSTCHECK;
/* Registration happens before sw_engine_start. */
int sw_engine_register(struct sw_engine *e, const char *type, sw_cmd_fn fn) SW_MUSTCHECK;
/* Names a payload field that the adapter generates afresh on every attempt (a key's hash):
 * a repeat of the idempotency key is compared without it. */
int sw_engine_set_volatile_field(struct sw_engine *e, const char *type,
                                 const char *field) SW_MUSTCHECK;
/* Names the payload field that identifies a fact (a feed's event id): such a command's only
 * idempotency key is that id, scoped by the command type and nothing else, so the same fact
 * from any caller, with or without a caller's key, is applied once; the same id with other
 * content is idempotency_conflict naming the field. Ids longer than SW_ENGINE_FACT_ID_MAX
 * bytes give no key (the handler refuses them). */
#define SW_ENGINE_FACT_ID_MAX 128
int sw_engine_set_fact_key(struct sw_engine *e, const char *type, const char *field) SW_MUSTCHECK;
int sw_engine_subscribe(struct sw_engine *e, const char *event_type, sw_sub_fn fn) SW_MUSTCHECK;
/* A subscriber that reads only the event's type, merchant and subject: it may get a NULL
 * payload, and an event rendered as text (sw_ctx_emit_text) whose subscribers are all of this
 * kind is not parsed back (a product.created carries the whole product). */
int sw_engine_subscribe_ids(struct sw_engine *e, const char *event_type, sw_sub_fn fn) SW_MUSTCHECK;
/* A timer of this command type ends the batch of the tick that fires it: the tick commits,
 * and sw_engine_tick goes on with the timers still due in a new batch. A long job that runs as
 * a chain of timers (each one step that schedules the next, due at once) then commits step by
 * step, so its progress is readable and survives a crash, and other writes take turns with it
 * instead of waiting for the whole job. */
int sw_engine_set_yield(struct sw_engine *e, const char *type) SW_MUSTCHECK;
/* State a module keeps in memory on the writer thread, next to what it stores (a cache of its
 * rows, a dedupe set): attached once at registration under a name, found again by commands
 * with sw_engine_attached, freed by free_fn at sw_engine_close. The store undoes the writes of
 * a refused command (its savepoint) and of a failed batch (the whole transaction); undo is then
 * called on the writer with the seq of the first command undone, so that the module can drop
 * what it derived from them (it knows which command seq touched what: ctx->command_seq). */
typedef void (*sw_engine_undo_fn)(void *state, int64_t from_seq);
int sw_engine_attach(struct sw_engine *e, const char *name, void *state,
                     void (*free_fn)(void *state), sw_engine_undo_fn undo) SW_MUSTCHECK;
void *sw_engine_attached(struct sw_engine *e, const char *name);
/* Replaces the handler of a registered type with fn, which may call the one it replaces
 * (*prev): a module that guards other modules' decisions (claims, four-eyes approval) wraps
 * them once, after every module has registered. */
int sw_engine_wrap(struct sw_engine *e, const char *type, sw_cmd_fn fn,
                   sw_cmd_fn *prev) SW_MUSTCHECK;
/* Registers the prepare hook of a registered command type (see sw_prep_fn). */
int sw_engine_set_prepare(struct sw_engine *e, const char *type, sw_prep_fn fn,
                          sw_prep_free_fn free_fn) SW_MUSTCHECK;
/* Registers an id map and returns it; load() fills it from the store at start. */
struct sw_idmap *sw_engine_idmap(struct sw_engine *e, const char *name,
                                 int (*load)(struct sw_conn *c, struct sw_map *m,
                                             struct sw_error *err));
/* Registers an id list; load() fills it from the store at start with sw_idlist_load_append. */
struct sw_idlist *sw_engine_idlist(struct sw_engine *e, const char *name,
                                   int (*load)(struct sw_conn *c, struct sw_idlist *l,
                                               struct sw_error *err));
struct sw_idlist *sw_engine_find_idlist(struct sw_engine *e, const char *name);
/* For load(): values must come in ascending order per key. */
bool sw_idlist_load_append(struct sw_idlist *l, const char *key, int64_t value);
/* The id map registered under name, or NULL. */
struct sw_idmap *sw_engine_find_idmap(struct sw_engine *e, const char *name);
int sw_engine_start(struct sw_engine *e, struct sw_error *err) SW_MUSTCHECK;
/* Stops after applying everything already submitted. */
void sw_engine_close(struct sw_engine *e);

/* Queues a command. Blocks while the queue is full. The command must stay valid until it is
 * done (sw_engine_wait returns). With on_done, the callback runs on the writer thread after
 * the batch commits and before the command is marked done: it must not free the command. */
void sw_engine_submit(struct sw_engine *e, struct sw_cmd *cmd);
void sw_engine_wait(struct sw_engine *e, struct sw_cmd *cmd);
/* prepare (the type's hook, if any) + submit + wait; returns cmd->code. A command refused
 * because the state changed between its preparation and its turn on the writer is prepared
 * and submitted again, a bounded number of times, then answered SW_E_BUSY. Asynchronous
 * submits run no hook: their handlers do the work on the writer, as replays of the log do. */
int sw_engine_execute(struct sw_engine *e, struct sw_cmd *cmd);
/* Releases a completed command's result references. */
void sw_cmd_release(struct sw_cmd *cmd);
/* A completed command's events as a JSON array (borrowed; built from events_text on first use,
 * on the caller's thread). */
json_t *sw_cmd_events(struct sw_cmd *cmd);
/* The same as JSON text (malloc'd). */
char *sw_cmd_events_text(const struct sw_cmd *cmd);

/* Fires every timer due at or before `to`, in due order, as commands. Manual clocks move to
 * `to` first (refusing to go back). Returns the number of timers fired in *fired. */
int sw_engine_tick(struct sw_engine *e, sw_instant to, int *fired,
                   struct sw_error *err) SW_MUSTCHECK;

/* Called on the writer thread after each commit that appended events, with the last one's
 * seq, once readers can see them. It must return quickly. fn NULL removes the hook; once
 * sw_engine_on_events returns, the previous hook is not running and will not run again. */
typedef void (*sw_engine_events_fn)(void *arg, int64_t last_seq);
void sw_engine_on_events(struct sw_engine *e, sw_engine_events_fn fn, void *arg);
/* The seq of the last committed event (0: none yet). */
int64_t sw_engine_last_event_seq(struct sw_engine *e);
/* The policy in force for readers: the one the last committed batch left (borrowed; it stays
 * valid until sw_engine_close, even after another is activated). */
const struct sw_policy *sw_engine_policy(const struct sw_engine *e);
struct sw_clock *sw_engine_clock(struct sw_engine *e);
/* The database file the engine writes (borrowed). */
const char *sw_engine_db_path(const struct sw_engine *e);
/* Where the live engine's time stands: the instant of its last committed command or tick. A
 * command committed later is applied at this instant or after, and every timer due before it
 * has fired (a shadow brings its own timers there while no command comes). */
sw_instant sw_engine_committed_now(struct sw_engine *e);
struct sw_pool *sw_engine_readers(struct sw_engine *e);
void sw_engine_stats(struct sw_engine *e, struct sw_engine_stats *out);
/* Per-type counters for /metrics: calls fn for each registered type. */
void sw_engine_foreach_type(struct sw_engine *e,
                            void (*fn)(void *arg, const char *type, uint64_t accepted,
                                       uint64_t refused, uint64_t replayed),
                            void *arg);

/* Who sent a command (ctx->actor): the store of a "merchant:<id>" actor (NULL for any other),
 * and whether it is staff (admin, operator, or the engine itself: system, cli). */
const char *sw_actor_merchant(const char *actor);
/* The streamer id of a "streamer:<id>" actor, or NULL. */
const char *sw_actor_streamer(const char *actor);
bool sw_actor_is_staff(const char *actor);
/* Who acted, as the audit log shows it (events' `actor`, decisions' `by` / `decided_by`):
 * {"key": id or null, "role": role, "label": label or null}, new reference. The engine's own
 * commands have a null key and role "system" (timers) or "cli" (offline commands). */
/* What a store is shown of who acted: every actor object ({key, role, label}) in doc whose role
 * is not the viewer's keeps its role but loses its key and label, so that a store learns that
 * the platform acted, not which of its people. NULL viewer (staff): nothing changes. */
void sw_actor_redact(json_t *doc, const char *viewer);
json_t *sw_ctx_actor(const struct sw_ctx *ctx);
/* The same object from its stored parts (key and label may be NULL). */
json_t *sw_actor_json(const char *key, const char *role, const char *label);
/* A stored actor in either form: an object (as above), or a bare role string as recorded
 * before keys were (key and label null). New reference; NULL stays NULL. */
json_t *sw_actor_normalize(const json_t *stored);
/* The platform's data feeds (the ingest role) or staff: who may report facts (payments,
 * orders, tracking, review statistics). */
bool sw_actor_is_feed(const char *actor);

/* --- for domain code, inside a handler or subscriber --- */

/* Appends an event and dispatches it. payload is stolen. */
int sw_ctx_emit(struct sw_ctx *ctx, const char *type, const char *merchant, const char *subject,
                json_t *payload, struct sw_error *err) SW_MUSTCHECK;
/* Appends an event whose payload was rendered as JSON text (borrowed) by a hot path, and
 * returns its seq. Subscribers of the type get it parsed; with none, no JSON tree is built. */
int sw_ctx_emit_text(struct sw_ctx *ctx, const char *type, const char *merchant,
                     const char *subject, const char *text, int64_t *seq,
                     struct sw_error *err) SW_MUSTCHECK;
/* Schedules (or reschedules, by key) a timer that becomes command `kind` at `due`. payload
 * is stolen. */
int sw_ctx_schedule(struct sw_ctx *ctx, const char *key, sw_instant due, const char *kind,
                    const char *merchant, const char *subject, json_t *payload,
                    struct sw_error *err) SW_MUSTCHECK;
int sw_ctx_cancel_timer(struct sw_ctx *ctx, const char *key, struct sw_error *err) SW_MUSTCHECK;
/* Puts policy p (validated, loaded) in force from this point of the command on: ctx->policy,
 * the command's and its later events' policy_version, the subscribers it dispatches to, and
 * every later command; readers (sw_engine_policy) see it once the batch commits. A refused
 * command or a failed batch leaves the previous one in force. The engine takes p in every case
 * and frees it only at sw_engine_close (readers may still hold an older policy). */
int sw_ctx_policy_activate(struct sw_ctx *ctx, struct sw_policy *p,
                           struct sw_error *err) SW_MUSTCHECK;
/* A nested attempt inside a handler: everything the command did after sw_ctx_mark (rows,
 * events, staged id-map entries, attached state) is undone by sw_ctx_rollback or kept by
 * sw_ctx_release. Take the mark before the command has done anything else (the attached
 * states are told that the whole command was undone). */
struct sw_ctx_mark {
    size_t staged;
    int64_t next_event, nevents, last_event_seq;
    size_t text_len;
};
int sw_ctx_mark(struct sw_ctx *ctx, struct sw_ctx_mark *m, struct sw_error *err) SW_MUSTCHECK;
void sw_ctx_rollback(struct sw_ctx *ctx, const struct sw_ctx_mark *m);
int sw_ctx_release(struct sw_ctx *ctx, struct sw_error *err) SW_MUSTCHECK;
/* Id map access from the writer: sees this batch's staged entries. */
bool sw_ctx_idmap_get(struct sw_ctx *ctx, struct sw_idmap *m, const char *key, uint64_t *out);
int sw_ctx_idmap_put(struct sw_ctx *ctx, struct sw_idmap *m, const char *key, uint64_t value,
                     struct sw_error *err) SW_MUSTCHECK;
/* Id map access from readers (committed entries only). */
bool sw_idmap_get(struct sw_idmap *m, const char *key, uint64_t *out);
/* Appends value (greater than every value of key so far) to key's list, staged. */
int sw_ctx_idlist_append(struct sw_ctx *ctx, struct sw_idlist *l, const char *key, int64_t value,
                         struct sw_error *err) SW_MUSTCHECK;
/* Up to max values of key greater than after, ascending, into out; *n receives the count.
 * The ctx form (writer) sees this batch's staged appends; the other, committed ones only. */
void sw_ctx_idlist_page(struct sw_ctx *ctx, struct sw_idlist *l, const char *key, int64_t after,
                        int64_t *out, size_t max, size_t *n);
void sw_idlist_page(struct sw_idlist *l, const char *key, int64_t after, int64_t *out, size_t max,
                    size_t *n);

#endif
