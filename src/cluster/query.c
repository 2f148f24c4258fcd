/* Reads routed to a partition's owner (docs/scale-out.md, "Reads"). The owner of partition p
 * answers requests on the core NATS subject sw.q.<p> (a subscription it holds while the
 * partition is ready) by running the HTTP layer's read handler on the partition's engine
 * (the reader sw_cluster_set_reader installs); a node that owns the partition itself runs it
 * at once. A read that finds no owner (the partition is moving: no responders, or no answer)
 * is tried again until the reply timeout, then answered busy. Reads are not in the stream:
 * they see what the owner has applied, as a single node's reads see what it has committed. An
 * owner answers only while its lease is surely its own (sw__lease_surely_ours): one whose
 * refreshes have failed for a TTL (a pause, a broker it cannot reach) may have been replaced,
 * and its answers would be older than the new owner's. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "cluster/cluster_int.h"

#define TRY_MS 2000 /* one request's wait for the owner */
#define TOO_LARGE "{\"too_large\":true}"

/* Once it returns, no read runs the reader it replaced (each runs under a partition's
 * eng_lock: taking every one in turn waits for those in flight). */
void sw_cluster_set_reader(struct sw_cluster *c, sw_cluster_reader_fn fn, void *arg)
{
    pthread_mutex_lock(&c->mu);
    c->reader_arg = arg;
    c->reader = fn;
    pthread_mutex_unlock(&c->mu);
    for (int p = 0; p < c->cfg.partitions; p++) {
        pthread_rwlock_wrlock(&c->parts[p].eng_lock);
        pthread_rwlock_unlock(&c->parts[p].eng_lock);
    }
}

/* Runs the read on the partition's engine when this node has it ready; NULL otherwise (or
 * when the reader could not render an answer). */
static char *serve_local(struct sw_part *pt, const char *request)
{
    struct sw_cluster *c = pt->cl;
    char *out = NULL;
    pthread_rwlock_rdlock(&pt->eng_lock);
    pthread_mutex_lock(&c->mu);
    sw_cluster_reader_fn fn = c->reader;
    void *arg = c->reader_arg;
    pthread_mutex_unlock(&c->mu);
    /* past the lease another node may own it: its answer, not this one's (read_within asks) */
    bool ours = pt->engine && atomic_load(&pt->ready) && atomic_load(&pt->serving) &&
                sw__lease_surely_ours(pt);
    if (ours && sw__evt_is_request(request))
        out = sw__evt_serve(pt, request); /* a read model's, answered without the HTTP layer */
    else if (ours && fn)
        out = fn(arg, pt->engine, request);
    pthread_rwlock_unlock(&pt->eng_lock);
    return out;
}

static void on_query(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *closure)
{
    struct sw_part *pt = closure;
    const char *reply = natsMsg_GetReply(msg);
    char *request = strndup(natsMsg_GetData(msg), (size_t)natsMsg_GetDataLength(msg));
    char *answer = reply && request ? serve_local(pt, request) : NULL;
    if (answer) {
        /* An answer the broker cannot carry is told as such, not left to time out. */
        if ((int64_t)strlen(answer) > natsConnection_GetMaxPayload(nc) - 512) {
            free(answer);
            answer = strdup(TOO_LARGE);
        }
        if (answer && natsConnection_PublishString(nc, reply, answer) == NATS_OK)
            atomic_fetch_add(&pt->cl->reads_served, 1);
    }
    free(answer);
    free(request);
    natsMsg_Destroy(msg);
}

int sw__q_start(struct sw_part *pt, struct sw_error *err)
{
    char subject[32];
    snprintf(subject, sizeof subject, "sw.q.%d", pt->p);
    natsStatus s = natsConnection_Subscribe(&pt->qsub, pt->cl->nc, subject, on_query, pt);
    return s == NATS_OK ? SW_OK : sw__cl_nats_fail(err, s, 0, "read subscription");
}

void sw__q_stop(struct sw_part *pt)
{
    if (!pt->qsub)
        return;
    natsSubscription_Unsubscribe(pt->qsub);
    natsSubscription_Destroy(pt->qsub);
    pt->qsub = NULL;
}

/* Runs request on the owner of partition p (see sw_cluster_read), trying for up to wait_ms. */
static int read_within(struct sw_cluster *c, int p, const char *request, char **answer,
                       int64_t wait_ms)
{
    struct sw_part *pt = &c->parts[p];
    char subject[32];
    snprintf(subject, sizeof subject, "sw.q.%d", pt->p);
    int64_t deadline = sw__cl_mono_ms() + wait_ms;
    *answer = NULL;
    if ((int64_t)strlen(request) > natsConnection_GetMaxPayload(c->nc) - 512)
        return SW_E_PAYLOAD_TOO_LARGE; /* a scan's body the broker cannot carry */
    for (;;) {
        if ((*answer = serve_local(pt, request)) != NULL)
            return SW_OK;
        pthread_mutex_lock(&c->mu);
        bool serving = c->reader != NULL;
        pthread_mutex_unlock(&c->mu);
        if (!serving) /* the server is stopping: no node's reads would be answered here */
            return SW_E_BUSY;
        natsMsg *reply = NULL;
        natsStatus s = natsConnection_RequestString(&reply, c->nc, subject, request, TRY_MS);
        if (s == NATS_OK) {
            atomic_fetch_add(&c->reads_forwarded, 1);
            *answer = strndup(natsMsg_GetData(reply), (size_t)natsMsg_GetDataLength(reply));
            natsMsg_Destroy(reply);
            if (*answer && strcmp(*answer, TOO_LARGE) != 0)
                return SW_OK;
            free(*answer);
            *answer = NULL;
            return SW_E_INTERNAL;
        }
        /* no responders or no answer: the partition is moving (or being restored) */
        if (sw__cl_mono_ms() >= deadline || atomic_load(&c->stopping)) {
            atomic_fetch_add(&c->timeouts, 1);
            return SW_E_BUSY;
        }
        usleep(200000);
    }
}

static int read_partition(struct sw_cluster *c, int p, const char *request, char **answer)
{
    return read_within(c, p, request, answer, c->cfg.reply_timeout_ms);
}

int sw__cl_read_once(struct sw_cluster *c, int p, const char *request, char **answer)
{
    *answer = NULL;
    return p >= 0 && p < c->cfg.partitions ? read_within(c, p, request, answer, TRY_MS) : SW_E_BUSY;
}

int sw_cluster_read(void *cluster, const char *key, const char *request, char **answer)
{
    struct sw_cluster *c = cluster;
    return read_partition(c, sw_cluster_partition(key, c->cfg.partitions), request, answer);
}

int sw_cluster_read_part(void *cluster, int p, const char *request, char **answer)
{
    struct sw_cluster *c = cluster;
    *answer = NULL;
    return p >= 0 && p < c->cfg.partitions ? read_partition(c, p, request, answer) : SW_E_BUSY;
}

int sw_cluster_partitions(const struct sw_cluster *c)
{
    return c->cfg.partitions;
}

/* Where objects were found: locator -> partition + 1 (0: empty slot), direct-mapped by the
 * locator's hash. An object never changes stores, so an entry stays right until the object is
 * gone (then the read answers 404 there and the search runs again). */
#define FOUND_SLOTS 4096
static struct {
    pthread_mutex_t mu;
    char locator[FOUND_SLOTS][96];
    int part[FOUND_SLOTS];
} found = {.mu = PTHREAD_MUTEX_INITIALIZER};

static uint32_t slot_of(const char *locator)
{
    return (uint32_t)sw_cluster_partition(locator, FOUND_SLOTS); /* the same FNV-1a hash */
}

static int found_get(const char *locator)
{
    uint32_t i = slot_of(locator);
    pthread_mutex_lock(&found.mu);
    int p = strcmp(found.locator[i], locator) == 0 ? found.part[i] - 1 : -1;
    pthread_mutex_unlock(&found.mu);
    return p;
}

static void found_put(const char *locator, int p)
{
    if (strlen(locator) >= sizeof found.locator[0])
        return;
    uint32_t i = slot_of(locator);
    pthread_mutex_lock(&found.mu);
    snprintf(found.locator[i], sizeof found.locator[i], "%s", locator);
    found.part[i] = p + 1;
    pthread_mutex_unlock(&found.mu);
}

static bool not_found(const char *answer)
{
    json_t *a = json_loads(answer, 0, NULL);
    bool nf = json_integer_value(json_object_get(a, "status")) == 404;
    json_decref(a);
    return nf;
}

int sw_cluster_read_any(void *cluster, const char *locator, const char *request, char **answer)
{
    struct sw_cluster *c = cluster;
    int known = found_get(locator);
    if (known < 0) /* a generated id names its partition; a client's id is looked for */
        known = sw_cluster_id_partition(locator, c->cfg.partitions);
    char *last = NULL;
    *answer = NULL;
    if (known >= 0 && known < c->cfg.partitions) {
        int rc = read_partition(c, known, request, answer);
        if (rc != SW_OK || !not_found(*answer))
            return rc;
        last = *answer;
        *answer = NULL;
    }
    for (int p = 0; p < c->cfg.partitions; p++) {
        if (p == known)
            continue;
        int rc = read_partition(c, p, request, answer);
        if (rc != SW_OK) {
            free(last);
            return rc;
        }
        if (!not_found(*answer)) {
            found_put(locator, p);
            free(last);
            return SW_OK;
        }
        free(last);
        last = *answer;
        *answer = NULL;
    }
    *answer = last; /* every partition's 404 is the same: no store has it */
    return last ? SW_OK : SW_E_BUSY;
}
