/* The event feed, GET /v1/events: filters, a store's partition, and the long poll.
 *
 * A read with wait=SECONDS that finds nothing new parks its connection (MHD_suspend_connection)
 * instead of holding a pool thread: the engine's commit hook marks that events came, and the
 * feed's thread resumes every parked connection then (at most every FEED_COALESCE_NS, so that a
 * busy log does not make each follower read once per commit), or when its wait is over. A
 * resumed connection runs the handler again: it reads again, and parks again when nothing it
 * wants came and its time is not up. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/json.h"
#include "domain/domain.h"
#include "http/handlers.h"
#include "store/journal.h"

#define FEED_WAIT_MAX_S 30
#define FEED_WAITERS_MAX 256
#define FEED_COALESCE_NS (10 * 1000000LL)
/* A page walks at most FEED_SCAN_MAX events of the log for its filters, FEED_WINDOW a read. */
#define FEED_SCAN_MAX 65536
#define FEED_WINDOW 4096
#define EVENT_TYPE_MAX 64

struct feed_waiter {
    struct MHD_Connection *conn;
    int64_t until_ns;
};

struct sw_feed {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* wakes the feed's thread: events came, a waiter parked, stop */
    pthread_t thread;
    bool stopping, events_came;
    int n;
    struct feed_waiter w[FEED_WAITERS_MAX];
};

struct feed_query {
    struct sw_event_filter f;
    int64_t after, limit, wait_s;
    bool store; /* a store's key: its partition, and only what it may see */
};

/* ---------- parked connections ---------- */

static void resume_at(struct sw_feed *fd, int i)
{
    MHD_resume_connection(fd->w[i].conn);
    fd->w[i] = fd->w[--fd->n];
}

static void *feed_main(void *arg)
{
    struct sw_feed *fd = arg;
    pthread_mutex_lock(&fd->mu);
    while (!fd->stopping) {
        if (fd->events_came) {
            fd->events_came = false;
            while (fd->n > 0)
                resume_at(fd, fd->n - 1);
            /* The readers woken now read while this thread sleeps: the next wake-up of
             * everyone waits for the next stretch. */
            pthread_mutex_unlock(&fd->mu);
            struct timespec pause = {0, FEED_COALESCE_NS};
            nanosleep(&pause, NULL);
            pthread_mutex_lock(&fd->mu);
            continue;
        }
        int64_t now = sw__mono_ns(), next = INT64_MAX;
        for (int i = fd->n - 1; i >= 0; i--) {
            if (fd->w[i].until_ns <= now)
                resume_at(fd, i);
            else if (fd->w[i].until_ns < next)
                next = fd->w[i].until_ns;
        }
        if (next == INT64_MAX) {
            pthread_cond_wait(&fd->cv, &fd->mu);
        } else {
            struct timespec ts = {(time_t)(next / 1000000000), (long)(next % 1000000000)};
            pthread_cond_timedwait(&fd->cv, &fd->mu, &ts);
        }
    }
    while (fd->n > 0)
        resume_at(fd, fd->n - 1);
    pthread_mutex_unlock(&fd->mu);
    return NULL;
}

/* The engine's hook, on the writer thread: only a flag and a signal. */
static void on_events(void *arg, int64_t last_seq)
{
    (void)last_seq;
    struct sw_feed *fd = arg;
    pthread_mutex_lock(&fd->mu);
    fd->events_came = true;
    pthread_cond_signal(&fd->cv);
    pthread_mutex_unlock(&fd->mu);
}

void sw_http_events_came(void *server)
{
    struct sw_server *s = server;
    if (s->feed)
        on_events(s->feed, 0);
}

int sw__feed_start(struct sw_server *s)
{
    struct sw_feed *fd = calloc(1, sizeof *fd);
    if (!fd)
        return SW_E_INTERNAL;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* the clock of sw__mono_ns */
    pthread_mutex_init(&fd->mu, NULL);
    pthread_cond_init(&fd->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&fd->thread, NULL, feed_main, fd) != 0) {
        pthread_cond_destroy(&fd->cv);
        pthread_mutex_destroy(&fd->mu);
        free(fd);
        return SW_E_INTERNAL;
    }
    s->feed = fd;
    sw_engine_on_events(s->engine, on_events, fd);
    return SW_OK;
}

void sw__feed_stop(struct sw_server *s)
{
    struct sw_feed *fd = s->feed;
    if (!fd)
        return;
    sw_engine_on_events(s->engine, NULL, NULL);
    pthread_mutex_lock(&fd->mu);
    fd->stopping = true;
    pthread_cond_signal(&fd->cv);
    pthread_mutex_unlock(&fd->mu);
    pthread_join(fd->thread, NULL); /* it resumes every parked connection on its way out */
}

void sw__feed_free(struct sw_server *s)
{
    struct sw_feed *fd = s->feed;
    if (!fd)
        return;
    pthread_cond_destroy(&fd->cv);
    pthread_mutex_destroy(&fd->mu);
    free(fd);
    s->feed = NULL;
}

enum park { PARKED, ANSWER, READ_AGAIN };

/* Parks r's connection until events come or r->wait_until_ns, unless the server stops, the
 * waiters are at their bound (then the empty page is the answer), or (when check_moved) the
 * log moved past mark since the read (then read again: that event may be one r wants). */
static enum park park(struct sw_req *r, int64_t mark, bool check_moved)
{
    struct sw_feed *fd = r->srv->feed;
    enum park p = PARKED;
    pthread_mutex_lock(&fd->mu);
    if (fd->stopping || fd->n == FEED_WAITERS_MAX || sw__mono_ns() >= r->wait_until_ns)
        p = ANSWER;
    else if (check_moved && sw_engine_last_event_seq(r->engine) != mark)
        p = READ_AGAIN;
    if (p == PARKED) {
        fd->w[fd->n++] = (struct feed_waiter){r->conn, r->wait_until_ns};
        /* Under the lock: the feed's thread cannot resume it before it is suspended. */
        MHD_suspend_connection(r->conn);
        pthread_cond_signal(&fd->cv);
    }
    pthread_mutex_unlock(&fd->mu);
    return p;
}

bool sw__feed_park_until(struct sw_req *r, int64_t until_ns)
{
    struct sw_feed *fd = r->srv->feed;
    bool parked = false;
    pthread_mutex_lock(&fd->mu);
    if (r->conn && !fd->stopping && fd->n < FEED_WAITERS_MAX && sw__mono_ns() < until_ns) {
        fd->w[fd->n++] = (struct feed_waiter){r->conn, until_ns};
        MHD_suspend_connection(r->conn);
        pthread_cond_signal(&fd->cv);
        parked = true;
    }
    pthread_mutex_unlock(&fd->mu);
    return parked;
}

/* ---------- the query ---------- */

/* "merchant.created": lowercase words joined by dots. */
static bool event_type_valid(const char *t)
{
    size_t n = strlen(t);
    if (n == 0 || n > EVENT_TYPE_MAX || t[0] == '.' || t[n - 1] == '.' || !strchr(t, '.'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' && t[i] <= '9') || t[i] == '_' ||
              (t[i] == '.' && t[i + 1] != '.')))
            return false;
    return true;
}

int sw__feed_filter(struct sw_req *r, struct sw_event_filter *f, int64_t *limit, int64_t *wait_s,
                    struct sw_error *err)
{
    *f = (struct sw_event_filter){.type = sw__query_str(r, "type"),
                                  .merchant = sw__query_str(r, "merchant"),
                                  .subject = sw__query_str(r, "subject")};
    int rc;
    if ((rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, PAGE_MAX, limit, err)) ||
        (rc = sw__query_int(r, "wait", 0, 0, FEED_WAIT_MAX_S, wait_s, err)) ||
        (rc = sw__query_range(r, &f->from_us, &f->to_us, err)))
        return rc;
    if (f->type && !event_type_valid(f->type))
        return sw_fail(err, SW_E_INVALID_VALUE, "type", "'%s' is not an event type", f->type);
    if (f->subject && !sw_id_valid(f->subject))
        return sw_fail(err, SW_E_INVALID_VALUE, "subject", "'%s' is not an id", f->subject);
    if (f->merchant && !sw_id_valid(f->merchant))
        return sw_fail(err, SW_E_INVALID_VALUE, "merchant", "'%s' is not an id", f->merchant);
    return SW_OK;
}

static int parse_query(struct sw_req *r, struct feed_query *q, struct sw_error *err)
{
    *q = (struct feed_query){.store = sw__is_merchant(r)};
    int rc;
    if ((rc = sw__query_int(r, "after", 0, 0, INT64_MAX, &q->after, err)) ||
        (rc = sw__feed_filter(r, &q->f, &q->limit, &q->wait_s, err)))
        return rc;
    /* A store reads its own partition; naming another store is as for every store-scoped
     * read: that store does not exist for it. */
    if (q->store && q->f.merchant && strcmp(q->f.merchant, r->scope) != 0)
        return sw_fail(err, SW_E_NOT_FOUND, "merchant", "unknown merchant '%s'", q->f.merchant);
    if (q->store)
        q->f.merchant = r->scope;
    return SW_OK;
}

/* Keeps what a store may see of rows (stolen), appending to page up to want: its events, with
 * the platform's people hidden behind their roles (sw_actor_redact). */
static void keep(struct feed_query *q, json_t *rows, json_t *page, size_t want)
{
    char viewer[SW_ROLE_MAX];
    snprintf(viewer, sizeof viewer, "merchant:%s", q->store ? q->f.merchant : "");
    size_t i;
    json_t *ev;
    json_array_foreach(rows, i, ev)
    {
        if (json_array_size(page) >= want)
            break;
        if (!q->store) {
            json_array_append(page, ev);
        } else if (sw_domain_store_sees(json_string_value(json_object_get(ev, "type")),
                                        json_object_get(ev, "payload"))) {
            sw_actor_redact(ev, viewer);
            json_array_append(page, ev);
        }
    }
    json_decref(rows);
}

/* One page of the events q wants among those with seq <= upto (the last committed when the
 * read began): {events, next_after, has_more}. The walk stops after FEED_SCAN_MAX events of
 * the log; when it stops short of upto, the page ends there: next_after is the last seq
 * walked and has_more is true, whatever the page holds. */
static int read_page(struct sw_conn *c, struct feed_query *q, int64_t upto, json_t **out,
                     struct sw_error *err)
{
    int64_t lo = q->after, hi = upto;
    int rc;
    size_t want = (size_t)q->limit + 1;
    json_t *page = json_array();
    int64_t cursor = lo, walked = 0;
    while (cursor < hi && walked < FEED_SCAN_MAX && json_array_size(page) < want) {
        int64_t top = hi - cursor > FEED_WINDOW ? cursor + FEED_WINDOW : hi;
        int ask = (int)(want - json_array_size(page));
        json_t *rows;
        if ((rc = sw_journal_events_find(c, &q->f, cursor, top, ask, &rows, err))) {
            json_decref(page);
            return rc;
        }
        size_t n = json_array_size(rows);
        int64_t last =
            n ? json_integer_value(json_object_get(json_array_get(rows, n - 1), "seq")) : top;
        keep(q, rows, page, want);
        int64_t next = n == (size_t)ask ? last : top;
        walked += next - cursor;
        cursor = next;
    }
    *out = json_object();
    bool cut = json_array_size(page) < want && cursor < hi;
    sw_page_set(*out, "events", page, (size_t)q->limit, "seq");
    if (cut) {
        json_object_set_new(*out, "next_after", json_integer(cursor));
        json_object_set_new(*out, "has_more", json_true());
    }
    return SW_OK;
}

int sw__h_events(struct sw_req *r, struct sw_error *err)
{
    struct feed_query q;
    int rc = parse_query(r, &q, err);
    if (rc)
        return rc;
    if (q.wait_s > 0 && r->wait_until_ns == 0)
        r->wait_until_ns = sw__mono_ns() + q.wait_s * 1000000000LL;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    for (int tries = 0;; tries++) {
        int64_t mark = sw_engine_last_event_seq(r->engine);
        struct sw_conn *c = sw_pool_acquire(pool);
        json_t *page;
        rc = read_page(c, &q, mark, &page, err);
        sw_pool_release(pool, c);
        if (rc)
            return rc;
        bool empty = json_array_size(json_object_get(page, "events")) == 0 &&
                     !json_is_true(json_object_get(page, "has_more"));
        /* Under a stream of commits the log may move between every read and park: after a
         * few tries the connection parks anyway, and the next commit wakes it. */
        /* a read another node forwarded (no connection here) answers at once: that node waits */
        enum park p = !empty || q.wait_s == 0 || r->fwd ? ANSWER : park(r, mark, tries < 4);
        if (p == ANSWER) {
            r->resp = page;
            return SW_OK;
        }
        json_decref(page);
        if (p == PARKED) {
            r->parked = true;
            return SW_OK;
        }
    }
}
