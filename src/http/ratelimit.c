/* Per-key rate limits and the aggregation of refused app reads. Both tables are caches in
 * memory, bounded and lossy by design: a slot taken by another key starts afresh, and a
 * restart forgets everything. Nothing here is state the log has to explain. */
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/access/access.h"
#include "http/internal.h"

#define DENIAL_WINDOW_NS (60LL * 1000000000LL)

int64_t sw__mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int sw__limits_init(struct sw_server *s)
{
    s->rate = calloc(RATE_SLOTS, sizeof *s->rate);
    s->denials = calloc(DENIAL_SLOTS, sizeof *s->denials);
    if (!s->rate || !s->denials) {
        sw__limits_release(s);
        return SW_E_INTERNAL;
    }
    for (int i = 0; i < RATE_STRIPES; i++)
        pthread_mutex_init(&s->rate_locks[i], NULL);
    pthread_mutex_init(&s->denial_lock, NULL);
    randombytes_buf(s->denial_key, sizeof s->denial_key);
    return SW_OK;
}

void sw__limits_release(struct sw_server *s)
{
    if (s->rate) {
        for (int i = 0; i < RATE_STRIPES; i++)
            pthread_mutex_destroy(&s->rate_locks[i]);
        pthread_mutex_destroy(&s->denial_lock);
    }
    free(s->rate);
    free(s->denials);
    s->rate = NULL;
    s->denials = NULL;
}

/* ---------- token buckets ---------- */

/* Takes `cost` tokens (one request, or a body's bytes; at most the burst, so that anything
 * the burst allows can pass) from the bucket of (key, class). A bucket starts full; a slot
 * another key held is taken over full, so a collision can only let a key through, never
 * refuse it. */
int sw__rate_take(struct sw_server *s, struct sw_req *r, int cls, double cost, struct sw_error *err)
{
    const struct sw_rate_policy *rp = &sw_engine_policy(s->engine)->rate_limits;
    if (sw_rate_exempt(rp, r->role))
        return SW_OK;
    const struct sw_rate_limit *lim = &rp->classes[cls];
    uint64_t tag = (r->key_tag ^ ((uint64_t)cls * 0x9E3779B97F4A7C15ull)) | 1u;
    size_t i = (size_t)((tag >> 7) % RATE_SLOTS);
    struct rate_slot *b = &s->rate[i];
    pthread_mutex_t *lock = &s->rate_locks[i % RATE_STRIPES];
    int64_t now = sw__mono_ns();
    double rate = (double)lim->per_second, burst = (double)lim->burst;
    pthread_mutex_lock(lock);
    if (b->tag != tag) {
        b->tag = tag;
        b->tokens = burst;
    } else {
        b->tokens = fmin(burst, b->tokens + rate * (double)(now - b->last_ns) / 1e9);
    }
    b->last_ns = now;
    cost = fmin(cost, burst);
    bool ok = b->tokens >= cost;
    if (ok)
        b->tokens -= cost;
    double missing = cost - b->tokens;
    pthread_mutex_unlock(lock);
    if (ok)
        return SW_OK;
    atomic_fetch_add(&s->rate_limited, 1);
    r->retry_after_s = (int)fmax(1.0, ceil(missing / rate));
    if (cls == SW_RATE_WRITE_BYTES)
        return sw_fail(err, SW_E_RATE_LIMITED, NULL,
                       "too many bytes written with this key: at most %lld a second (burst %lld); "
                       "retry after %d s",
                       (long long)lim->per_second, (long long)lim->burst, r->retry_after_s);
    return sw_fail(err, SW_E_RATE_LIMITED, NULL,
                   "too many %s requests for this key: at most %lld a second (burst %lld); "
                   "retry after %d s",
                   sw_rate_class_names[cls], (long long)lim->per_second, (long long)lim->burst,
                   r->retry_after_s);
}

/* ---------- refused app reads ---------- */

static uint64_t denial_tag(const struct sw_server *s, const char *app_role, const char *merchant)
{
    unsigned char in[2 * SW_ROLE_MAX + 2], h[crypto_shorthash_BYTES];
    size_t a = strnlen(app_role, SW_ROLE_MAX), m = strnlen(merchant, SW_ROLE_MAX);
    memcpy(in, app_role, a);
    in[a] = '\0';
    memcpy(in + a + 1, merchant, m);
    crypto_shorthash(h, in, a + 1 + m, s->denial_key);
    uint64_t tag;
    memcpy(&tag, h, sizeof tag);
    return tag | 1u;
}

/* The app's grant on the store as committed now (read connection): whether it is open, and
 * its version (0 when the store never granted the app). False on a read error. */
static bool grant_state(struct sw_req *r, const char *merchant, bool *open, int64_t *version)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    char status[16];
    struct sw_error err;
    /* the one grant, not the store's list: that is paged */
    bool ok = sw_access_grant_state(c, merchant, r->scope, status, version, &err) == SW_OK;
    sw_pool_release(pool, c);
    *open = ok && strcmp(status, "granted") == 0;
    if (!ok)
        *version = 0;
    return ok;
}

bool sw__denial_suppressed(struct sw_req *r, const char *merchant, int64_t *carried)
{
    struct sw_server *s = r->srv;
    uint64_t tag = denial_tag(s, r->role, merchant);
    struct denial_slot *d = &s->denials[(tag >> 7) % DENIAL_SLOTS];
    int64_t now = sw__mono_ns();
    *carried = 0;
    pthread_mutex_lock(&s->denial_lock);
    bool fresh = d->tag == tag && now - d->since_ns < DENIAL_WINDOW_NS;
    int64_t logged_version = d->grant_version;
    if (d->tag == tag && !fresh) {
        *carried = d->suppressed; /* the last window's count rides on the next event */
        d->tag = 0;
        d->suppressed = 0;
    }
    pthread_mutex_unlock(&s->denial_lock);
    if (!fresh)
        return false;
    bool open;
    int64_t version;
    /* The grant changed since the logged refusal (granted, revoked again): log afresh, and the
     * refusals counted so far ride on that next logged access. */
    bool changed = !grant_state(r, merchant, &open, &version) || open || version != logged_version;
    pthread_mutex_lock(&s->denial_lock);
    if (d->tag == tag && changed) {
        *carried = d->suppressed;
        d->tag = 0;
        d->suppressed = 0;
    } else if (d->tag == tag) {
        d->suppressed++;
    }
    pthread_mutex_unlock(&s->denial_lock);
    if (changed)
        return false;
    atomic_fetch_add(&s->denials_suppressed, 1);
    return true;
}

void sw__denial_noted(struct sw_req *r, const char *merchant)
{
    struct sw_server *s = r->srv;
    uint64_t tag = denial_tag(s, r->role, merchant);
    struct denial_slot *d = &s->denials[(tag >> 7) % DENIAL_SLOTS];
    bool open;
    int64_t version;
    if (!grant_state(r, merchant, &open, &version))
        return;
    pthread_mutex_lock(&s->denial_lock);
    d->tag = tag;
    d->since_ns = sw__mono_ns();
    d->grant_version = version;
    d->suppressed = 0;
    pthread_mutex_unlock(&s->denial_lock);
}

bool sw__limits_metrics(struct sw_server *s, struct sw_buf *b)
{
    return sw_buf_printf(
        b,
        "# HELP sw_http_rate_limited_total Requests refused with 429 rate_limited.\n"
        "# TYPE sw_http_rate_limited_total counter\nsw_http_rate_limited_total %llu\n"
        "# HELP sw_app_denials_suppressed_total Refused app reads counted, not logged one by "
        "one.\n"
        "# TYPE sw_app_denials_suppressed_total counter\nsw_app_denials_suppressed_total %llu\n"
        "# HELP sw_http_connections_refused_total Connections past a connection cap (answered "
        "503 busy and closed).\n"
        "# TYPE sw_http_connections_refused_total counter\n"
        "sw_http_connections_refused_total %llu\n",
        (unsigned long long)atomic_load(&s->rate_limited),
        (unsigned long long)atomic_load(&s->denials_suppressed),
        (unsigned long long)atomic_load(&s->conns_refused));
}
