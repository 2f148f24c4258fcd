/* The accepting node's side: stamp a command, publish it to its partition's subject with the
 * scoped idempotency key as Nats-Msg-Id, and wait for the owner's answer on this node's inbox.
 * And the owner's answer itself (sw__cl_reply). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "cluster/cluster_int.h"
#include "store/journal.h"

struct sw_waiter {
    uint64_t id;
    char *answer; /* the owner's reply, malloc'd; NULL until it comes */
    struct sw_waiter *next;
};

int sw_cluster_partition(const char *key, int partitions)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *s = (const unsigned char *)key; *s; s++)
        h = (h ^ *s) * 16777619u;
    return (int)(h % (uint32_t)partitions);
}

int64_t sw_cluster_id_base(int p)
{
    return (int64_t)p * SW_CLUSTER_ID_SPAN;
}

int sw_cluster_id_partition(const char *path, int partitions)
{
    const char *id = strrchr(path, '/');
    id = id ? id + 1 : path;
    while (*id >= 'a' && *id <= 'z')
        id++;
    int64_t n = 0;
    const char *d = id;
    for (; *d >= '0' && *d <= '9' && n < INT64_MAX / 10 - 9; d++)
        n = n * 10 + (*d - '0');
    if (d == id || *d || d - id > 18)
        return -1;
    int64_t p = (n - 1) / SW_CLUSTER_ID_SPAN;
    return n > 0 && p < partitions ? (int)p : -1;
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *sw_cluster_key_of(const struct sw_cmd *cmd)
{
    /* The affiliate module's facts are its promoters' (docs/scale-out.md, "Affiliate"): a
     * promoter's record by its id; an order's review by the promoter the accepting node found
     * (route_key); a feed request is split by its events' promoters (feed.c). */
    if (has_prefix(cmd->type, "affiliate.")) {
        const char *id = json_string_value(json_object_get(cmd->payload, "id"));
        if (strcmp(cmd->type, "affiliate.promoter_put") == 0 && id)
            return id;
        const char *promoter = json_string_value(json_object_get(cmd->payload, "promoter"));
        return cmd->route_key ? cmd->route_key : promoter ? promoter : "";
    }
    if (cmd->merchant)
        return cmd->merchant;
    const char *m = json_string_value(json_object_get(cmd->payload, "merchant"));
    if (m)
        return m;
    /* A store's own commands name it by its id (POST /v1/merchants, .../deposit/top-ups). */
    const char *id = json_string_value(json_object_get(cmd->payload, "id"));
    if (id && (has_prefix(cmd->type, "merchant.") || has_prefix(cmd->type, "deposit.") ||
               has_prefix(cmd->type, "badge.")))
        return id;
    return cmd->route_key ? cmd->route_key : "";
}

static void on_answer(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *closure)
{
    struct sw_cluster *c = closure;
    const char *subject = natsMsg_GetSubject(msg);
    const char *dot = strrchr(subject, '.');
    uint64_t id = dot ? strtoull(dot + 1, NULL, 10) : 0;
    pthread_mutex_lock(&c->mu);
    for (struct sw_waiter *w = c->waiters; w; w = w->next) {
        if (w->id == id && !w->answer) {
            w->answer = strndup(natsMsg_GetData(msg), (size_t)natsMsg_GetDataLength(msg));
            pthread_cond_broadcast(&c->cv);
            break;
        }
    }
    pthread_mutex_unlock(&c->mu);
    natsMsg_Destroy(msg);
}

int sw__cl_inbox_start(struct sw_cluster *c, struct sw_error *err)
{
    unsigned char r[8];
    FILE *f = fopen("/dev/urandom", "rb");
    bool ok = f && fread(r, 1, sizeof r, f) == sizeof r;
    if (f)
        fclose(f);
    if (!ok)
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot read /dev/urandom");
    snprintf(c->inbox_prefix, sizeof c->inbox_prefix, "_SW.%s.%02x%02x%02x%02x%02x%02x", c->node_id,
             r[0], r[1], r[2], r[3], r[4], r[5]);
    char subject[128];
    snprintf(subject, sizeof subject, "%s.*", c->inbox_prefix);
    natsStatus s = natsConnection_Subscribe(&c->inbox, c->nc, subject, on_answer, c);
    return s == NATS_OK ? SW_OK : sw__cl_nats_fail(err, s, 0, "inbox");
}

static json_t *encode(struct sw_cluster *c, const struct sw_cmd *cmd, sw_instant at,
                      const char *reply)
{
    return json_pack("{s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:O,s:I,s:s,s:s}", "type", cmd->type, "actor",
                     cmd->actor, "actor_key", cmd->actor_key, "actor_label", cmd->actor_label,
                     "merchant", cmd->merchant, "idem", cmd->idem_key, "payload", cmd->payload,
                     "at", (json_int_t)at, "reply", reply, "node", c->node_id);
}

/* Publishes with retries while the broker elects a leader (~1 s here). A duplicate (the same
 * key inside the stream's window) is published again without the id: the owner then finds it
 * in the partition's command log and answers with the first result. */
static int publish(struct sw_cluster *c, int p, const char *data, const char *msg_id,
                   struct sw_error *err)
{
    char subject[32];
    snprintf(subject, sizeof subject, "sw.cmd.%d", p);
    natsStatus s = NATS_OK;
    jsErrCode jerr = 0;
    for (int attempt = 0; attempt < 40; attempt++) {
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MsgId = msg_id;
        po.MaxWait = 2000;
        jsPubAck *pa = NULL;
        s = js_Publish(&pa, c->js, subject, data, (int)strlen(data), &po, &jerr);
        if (s == NATS_OK) {
            bool dup = pa->Duplicate;
            jsPubAck_Destroy(pa);
            atomic_fetch_add(&c->published, 1);
            if (!dup || !msg_id)
                return SW_OK;
            atomic_fetch_add(&c->duplicates, 1);
            msg_id = NULL;
            attempt--;
            continue;
        }
        struct timespec ts = {0, 250000000};
        nanosleep(&ts, NULL);
    }
    return sw__cl_nats_fail(err, s, jerr, "publish");
}

static sw_instant stamp(struct sw_cluster *c)
{
    sw_instant now = sw_clock_now(&c->clock);
    pthread_mutex_lock(&c->mu);
    if (now <= c->last_stamp)
        now = c->last_stamp + 1;
    c->last_stamp = now;
    pthread_mutex_unlock(&c->mu);
    return now;
}

static void take_answer(struct sw_cmd *cmd, const char *text)
{
    json_t *a = json_loads(text, 0, NULL);
    cmd->code = (int)json_integer_value(json_object_get(a, "code"));
    if (cmd->code) {
        json_t *e = json_object_get(a, "err");
        cmd->err.code = cmd->code;
        const char *field = json_string_value(json_object_get(e, "field"));
        const char *msg = json_string_value(json_object_get(e, "msg"));
        snprintf(cmd->err.field, sizeof cmd->err.field, "%s", field ? field : "");
        snprintf(cmd->err.msg, sizeof cmd->err.msg, "%s", msg ? msg : "");
        json_decref(cmd->err_details); /* the refusal's details, as the owner decided them */
        cmd->err_details = json_incref(json_object_get(e, "details"));
    } else {
        cmd->seq = json_integer_value(json_object_get(a, "seq"));
        cmd->at = json_integer_value(json_object_get(a, "at"));
        cmd->replayed = json_is_true(json_object_get(a, "replayed"));
        cmd->result = json_incref(json_object_get(a, "result"));
        const char *ev = json_string_value(json_object_get(a, "events"));
        cmd->events_text = strdup(ev ? ev : "[]");
        cmd->event_payloads = json_incref(json_object_get(a, "event_payloads"));
    }
    json_decref(a);
}

/* w's answer, waited for up to the reply timeout when `wait`; w unregistered. */
static char *wait_answer(struct sw_cluster *c, struct sw_waiter *w, bool wait)
{
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += c->cfg.reply_timeout_ms / 1000;
    pthread_mutex_lock(&c->mu);
    while (wait && !w->answer && pthread_cond_timedwait(&c->cv, &c->mu, &dl) == 0)
        ;
    for (struct sw_waiter **pp = &c->waiters; *pp; pp = &(*pp)->next) {
        if (*pp == w) {
            *pp = w->next;
            break;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return w->answer;
}

static void wait_register(struct sw_cluster *c, struct sw_waiter *w)
{
    pthread_mutex_lock(&c->mu);
    w->id = ++c->next_id;
    w->next = c->waiters;
    c->waiters = w;
    pthread_mutex_unlock(&c->mu);
}

/* Publishes cmd into partition p's stream with w's reply subject (w registered). */
static int send_on(struct sw_cluster *c, struct sw_cmd *cmd, int p, const char *msg_id,
                   struct sw_waiter *w)
{
    char reply[160];
    snprintf(reply, sizeof reply, "%s.%llu", c->inbox_prefix, (unsigned long long)w->id);
    json_t *doc = encode(c, cmd, stamp(c), reply);
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    int rc = text ? publish(c, p, text, msg_id, &cmd->err)
                  : sw_fail(&cmd->err, SW_E_INTERNAL, NULL, "cannot encode the command");
    free(text);
    return rc;
}

/* Waits for the answer to what send_on published (rc: its outcome), which fills cmd. */
static int await_on(struct sw_cluster *c, struct sw_cmd *cmd, int p, int rc, struct sw_waiter *w)
{
    char *answer = wait_answer(c, w, rc == SW_OK); /* also unregisters w */
    if (rc == SW_OK && !answer) {
        atomic_fetch_add(&c->timeouts, 1);
        rc = sw_fail(&cmd->err, SW_E_BUSY, NULL,
                     "partition %d did not answer in time; retry with the same Idempotency-Key", p);
    }
    if (rc == SW_OK)
        take_answer(cmd, answer);
    else
        cmd->code = rc;
    free(answer);
    return cmd->code;
}

/* Publishes cmd into partition p's stream (msg_id: its Nats-Msg-Id, NULL: none) and waits for
 * the owner's answer, which fills cmd. */
static int execute_on(struct sw_cluster *c, struct sw_cmd *cmd, int p, const char *msg_id)
{
    struct sw_waiter w = {0};
    wait_register(c, &w);
    return await_on(c, cmd, p, send_on(c, cmd, p, msg_id, &w), &w);
}

int sw__cl_execute_many(struct sw_cluster *c, struct sw_cmd *const *cmds, const int *p,
                        char *const *msg_ids, int n)
{
    struct sw_waiter *w = calloc((size_t)n, sizeof *w);
    int *sent = calloc((size_t)n, sizeof *sent);
    if (!w || !sent) {
        free(w);
        free(sent);
        return SW_E_INTERNAL;
    }
    for (int i = 0; i < n; i++) {
        wait_register(c, &w[i]);
        sent[i] = send_on(c, cmds[i], p[i], msg_ids[i], &w[i]);
    }
    for (int i = 0; i < n; i++)
        await_on(c, cmds[i], p[i], sent[i], &w[i]);
    free(w);
    free(sent);
    return SW_OK;
}

/* Commands every partition applies. The policy in force is each partition's own (its engine
 * checks every command against it, and keeps the versions it used), so an activation goes into
 * every partition's stream: the others first, then the partition of the empty key (the home of
 * records that name no store, and the one GET /v1/policy reads), whose answer is the client's.
 * A streamer's record likewise: every store's filings read it (designated, nickname), and the
 * stores are in every partition; each applies the same puts in the same order, so its version
 * (If-Match) is the same everywhere. And an spu's review statistics: each partition implicates
 * its own stores' products of the spu; the answer adds up how many (products_implicated).
 * Each partition's copy has its own Nats-Msg-Id (the key and "#p<N>"); each partition's log
 * dedupes the key itself, so a retry after a partial failure applies it where it is missing
 * and answers the first result where it is not. */
static bool everywhere(const char *type)
{
    return strcmp(type, "policy.activate") == 0 || strcmp(type, "streamer.put") == 0 ||
           strcmp(type, "spu.review_stats") == 0;
}

int sw_cluster_home_partition(int partitions)
{
    return sw_cluster_partition("", partitions);
}

/* The counts each partition's answer adds to the client's (the home partition's). */
static const char *const summed[] = {"products_implicated", NULL};

static void add_counts(json_int_t *sums, const json_t *result)
{
    for (int k = 0; summed[k]; k++)
        sums[k] += json_integer_value(json_object_get(result, summed[k]));
}

/* cmd's copy with payload into partition p other than the home: its own Nats-Msg-Id (the key
 * and "#p<N>"), so that each partition's log dedupes its copy. one receives the outcome. */
static int execute_copy(struct sw_cluster *c, const struct sw_cmd *cmd, json_t *payload, int p,
                        struct sw_cmd *one)
{
    *one = (struct sw_cmd){.type = cmd->type,
                           .actor = cmd->actor,
                           .actor_key = cmd->actor_key,
                           .actor_label = cmd->actor_label,
                           .merchant = cmd->merchant,
                           .idem_key = cmd->idem_key,
                           .payload = payload};
    char id[1024];
    if (cmd->idem_key)
        snprintf(id, sizeof id, "%s#p%d", cmd->idem_key, p);
    return execute_on(c, one, p, cmd->idem_key ? id : NULL);
}

static int execute_everywhere(struct sw_cluster *c, struct sw_cmd *cmd)
{
    int home = sw_cluster_home_partition(c->cfg.partitions);
    json_int_t sums[2] = {0};
    for (int p = 0; p < c->cfg.partitions; p++) {
        if (p == home)
            continue;
        struct sw_cmd one;
        int rc = execute_copy(c, cmd, cmd->payload, p, &one);
        if (rc) {
            cmd->code = rc;
            cmd->err = one.err;
        }
        if (rc == SW_OK)
            add_counts(sums, one.result);
        sw_cmd_release(&one);
        if (rc)
            return rc;
    }
    int rc = execute_on(c, cmd, home, cmd->idem_key);
    for (int k = 0; rc == SW_OK && summed[k]; k++) {
        json_t *v = json_object_get(cmd->result, summed[k]);
        if (json_is_integer(v))
            json_integer_set(v, json_integer_value(v) + sums[k]);
    }
    return rc;
}

/* A rescan (docs/scale-out.md, "Rescans"): each partition inspects its own stores' products.
 * The home partition starts the job and answers the client (or answers the job already
 * running there, and nothing else starts); then every other partition starts its part, named
 * part_of the home's id, each with its own Nats-Msg-Id (the key and "#p<N>"), so that a retry
 * after a partial failure starts the parts that are missing and no part twice. The answer's
 * total is every part's. */
static int execute_rescan(struct sw_cluster *c, struct sw_cmd *cmd)
{
    int home = sw_cluster_home_partition(c->cfg.partitions);
    int rc = execute_on(c, cmd, home, cmd->idem_key);
    const char *job = rc ? NULL : json_string_value(json_object_get(cmd->result, "id"));
    if (!job || !json_is_true(json_object_get(cmd->result, "started")))
        return rc;
    json_t *payload = json_deep_copy(cmd->payload);
    json_object_set_new(payload, "part_of", json_string(job));
    json_int_t total = json_integer_value(json_object_get(cmd->result, "total"));
    for (int p = 0; rc == SW_OK && p < c->cfg.partitions; p++) {
        if (p == home)
            continue;
        struct sw_cmd one;
        if ((rc = execute_copy(c, cmd, payload, p, &one)) == SW_OK)
            total += json_integer_value(json_object_get(one.result, "total"));
        else
            cmd->err = one.err;
        sw_cmd_release(&one);
    }
    json_decref(payload);
    if (rc) {
        sw_cmd_release(cmd); /* the client retries with the same key: no half answer */
        return cmd->code = rc;
    }
    json_object_set_new(cmd->result, "total", json_integer(total));
    return SW_OK;
}

int sw_cluster_execute(void *cluster, struct sw_cmd *cmd)
{
    struct sw_cluster *c = cluster;
    if (everywhere(cmd->type))
        return execute_everywhere(c, cmd);
    if (strcmp(cmd->type, "rescan.start") == 0)
        return execute_rescan(c, cmd);
    if (strcmp(cmd->type, "affiliate.ingest") == 0)
        return sw__cl_execute_feed(c, cmd);
    int p = sw_cluster_partition(sw_cluster_key_of(cmd), c->cfg.partitions);
    return execute_on(c, cmd, p, cmd->idem_key);
}

/* The payloads of the command's violation.* events, read on the owner ([[seq, payload]...]):
 * the accepting node names the violations a write made (docs/api.md) from them. */
static json_t *violation_payloads(struct sw_engine *e, struct sw_cmd *cmd, const char *events)
{
    if (!events || !strstr(events, "\"violation.")) /* the answer's events, rendered once */
        return NULL;
    json_t *out = json_array(), *ev;
    struct sw_pool *pool = sw_engine_readers(e);
    struct sw_conn *conn = sw_pool_acquire(pool);
    size_t i;
    json_array_foreach(sw_cmd_events(cmd), i, ev)
    {
        const char *type = json_string_value(json_object_get(ev, "type"));
        json_int_t seq = json_integer_value(json_object_get(ev, "seq"));
        json_t *payload = NULL;
        struct sw_error err;
        if (type && strncmp(type, "violation.", 10) == 0 &&
            sw_journal_event_payload(conn, seq, &payload, &err) == SW_OK && payload)
            json_array_append_new(out, json_pack("[I,o]", seq, payload));
    }
    sw_pool_release(pool, conn);
    return out;
}

void sw__cl_reply(struct sw_cluster *c, struct sw_engine *e, const char *subject,
                  struct sw_cmd *cmd)
{
    json_t *a;
    if (cmd->code) {
        a = json_pack("{s:i,s:{s:s,s:s,s:O?}}", "code", cmd->code, "err", "field", cmd->err.field,
                      "msg", cmd->err.msg, "details", cmd->err_details);
    } else {
        json_t *result =
            cmd->result_text ? json_loads(cmd->result_text, 0, NULL) : json_incref(cmd->result);
        char *events = sw_cmd_events_text(cmd);
        a = json_pack("{s:i,s:I,s:I,s:b,s:o?,s:s,s:o?}", "code", 0, "seq", (json_int_t)cmd->seq,
                      "at", (json_int_t)cmd->at, "replayed", cmd->replayed, "result", result,
                      "events", events ? events : "[]", "event_payloads",
                      violation_payloads(e, cmd, events));
        free(events);
    }
    char *text = a ? json_dumps(a, JSON_COMPACT) : NULL;
    json_decref(a);
    if (text)
        natsConnection_PublishString(c->nc, subject, text);
    free(text);
}
