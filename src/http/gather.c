/* Cluster mode (docs/scale-out.md, "Lists across stores"): a list read by a key that names no
 * store or promoter (staff's GET /v1/violations, /v1/merchants, /v1/queue...) is every
 * partition's list in turn, partition 0 first. Each partition answers its own page with the same
 * handler as in single-node mode (sw__forward's read); this node joins the pages:
 *
 * - the items of one page come from one or more partitions, in partition order, so a list read
 *   page by page gives every item once (each partition's own order is the single-node order);
 * - `next_after` is the partition's own cursor after the page's last item with the partition:
 *   `<cursor>@p<N>` ('@' is in no id), or `@p<N>` (partition N from its start) when a
 *   partition's last item ended the page; a cursor without '@p' is partition 0's;
 * - `has_more` is true exactly when a later item exists (a partition after the page's last is
 *   asked for one item when needed);
 * - a list whose answer holds other lists beside its page (the queue's open appeals, reports...:
 *   the first `limit` of each) is read on every partition, and those lists are joined and cut
 *   at `limit`; counts beside them (approvals_pending) are added up.
 *
 * A partition's error (a bad filter or cursor: partition 0 or the cursor's own partition is
 * asked first) is the answer as it is; one that does not answer makes the read busy. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/instant.h"
#include "base/json.h"
#include "domain/penalty/penalty.h"
#include "http/handlers.h"

#define LIMIT_DEFAULT 100
#define LIMIT_MAX 1000

struct page {
    json_t *out;       /* the joined answer: the first partition's, items appended */
    const char *paged; /* the name of the paged list in it (a key of out) */
    long limit, n;     /* items wanted and taken */
    bool more;         /* a later item exists */
    bool every;        /* other lists beside the page: every partition is read */
    char next[160];    /* the cursor of the page's last item */
};

/* The cursor a client passes back: "<cursor>@p<N>" is partition N's cursor; else partition 0's. */
static int cursor_partition(const char *after, int partitions, char *inner, size_t n)
{
    const char *at = after ? strrchr(after, '@') : NULL;
    char *end = NULL;
    long p = at && at[1] == 'p' && at[2] >= '0' && at[2] <= '9' ? strtol(at + 2, &end, 10) : -1;
    if (p < 0 || !end || *end || p >= partitions) {
        snprintf(inner, n, "%s", after ? after : "");
        return 0;
    }
    snprintf(inner, n, "%.*s", (int)(at - after), after);
    return (int)p;
}

/* The cursor of an item as its list pages by it: its id, event id, item (a claim's) or seq. */
static bool item_cursor(const json_t *item, int p, char *out, size_t n)
{
    const char *id = json_string_value(json_object_get(item, "id"));
    if (!id)
        id = json_string_value(json_object_get(item, "event_id"));
    if (!id)
        id = json_string_value(json_object_get(item, "item"));
    const json_t *seq = json_object_get(item, "seq");
    if (id)
        return snprintf(out, n, "%s@p%d", id, p) < (int)n;
    if (json_is_integer(seq))
        return snprintf(out, n, "%lld@p%d", (long long)json_integer_value(seq), p) < (int)n;
    return false;
}

/* The paged list of an answer: the queue's pending violations, else its only list. */
static const char *paged_list(const json_t *doc, bool *others)
{
    const char *key, *paged = NULL;
    const json_t *v;
    int lists = 0;
    json_object_foreach((json_t *)doc, key, v)
    {
        if (!json_is_array(v))
            continue;
        lists++;
        if (!paged || strcmp(key, "pending_violations") == 0)
            paged = key;
    }
    *others = lists > 1;
    return paged;
}

/* Joins partition p's page (doc, its answer as a client would get it) into pg. */
static void join(struct page *pg, json_t *doc, int p)
{
    bool more_here = json_is_true(json_object_get(doc, "has_more"));
    const char *next_here = json_string_value(json_object_get(doc, "next_after"));
    json_t *items = json_object_get(doc, pg->paged);
    size_t count = json_array_size(items), take = 0;
    if (pg->n < pg->limit)
        take = count < (size_t)(pg->limit - pg->n) ? count : (size_t)(pg->limit - pg->n);
    if (take < count || (take > 0 && more_here) || (pg->n == pg->limit && count > 0))
        pg->more = true;
    if (take > 0) {
        json_t *all = json_object_get(pg->out, pg->paged);
        for (size_t i = 0; i < take; i++)
            json_array_append(all, json_array_get(items, i));
        pg->n += (long)take;
        if (take == count && more_here && next_here) /* the partition's own cursor */
            snprintf(pg->next, sizeof pg->next, "%s@p%d", next_here, p);
        else if (take == count && !pg->every) /* the partition ended the page: the next one */
            snprintf(pg->next, sizeof pg->next, "@p%d", p + 1);
        else if (!item_cursor(json_array_get(items, take - 1), p, pg->next, sizeof pg->next))
            pg->next[0] = '\0';
    }
    const char *key;
    json_t *v;
    json_object_foreach(doc, key, v)
    {
        json_t *mine = json_object_get(pg->out, key);
        if (strcmp(key, pg->paged) == 0 || !mine)
            continue;
        if (json_is_array(v) && json_is_array(mine)) {
            for (size_t i = 0; i < json_array_size(v) && json_array_size(mine) < (size_t)pg->limit;
                 i++)
                json_array_append(mine, json_array_get(v, i));
        } else if (json_is_integer(v) && json_is_integer(mine)) {
            json_integer_set(mine, json_integer_value(mine) + json_integer_value(v));
        }
    }
}

/* Asks partition p for q; *doc receives the page of a 200, else the answer is relayed into r
 * (returns 1: done). */
/* Partition p's answer to the read q ({status, body, ...}); NULL and err when none came. */
static json_t *answer_of_part(struct sw_req *r, int p, const json_t *q, struct sw_error *err)
{
    char *req = sw_json_dump(q), *text = NULL;
    int rc = req ? r->srv->read_part(r->srv->cluster, p, req, &text) : SW_E_INTERNAL;
    free(req);
    json_t *a = sw__answer_of(rc, text);
    if (json_is_string(json_object_get(a, "body")))
        return a;
    json_decref(a);
    if (rc == SW_E_INTERNAL)
        sw_fail(err, rc, NULL, "%s", sw__too_large);
    else
        sw_fail(err, SW_E_BUSY, NULL, "the owner of partition %d did not answer; retry", p);
    return NULL;
}

static json_t *body_if_ok(const json_t *a)
{
    const char *body = json_string_value(json_object_get(a, "body"));
    return json_integer_value(json_object_get(a, "status")) == 200 ? json_loads(body, 0, NULL)
                                                                   : NULL;
}

static int ask(struct sw_req *r, int p, const json_t *q, json_t **doc, struct sw_error *err)
{
    json_t *a = answer_of_part(r, p, q, err);
    *doc = NULL;
    if (!a)
        return err->code;
    *doc = body_if_ok(a);
    if (!*doc) {
        int rc = sw__relay(r, a);
        json_decref(a);
        return rc ? sw_fail(err, SW_E_INTERNAL, NULL, "out of memory") : 1;
    }
    json_decref(a);
    return SW_OK;
}

static bool set_query(json_t *query, const char *after, long limit)
{
    char n[24];
    snprintf(n, sizeof n, "%ld", limit);
    if (after && *after)
        json_object_set_new(query, "after", json_string(after));
    else
        json_object_del(query, "after");
    return json_object_set_new(query, "limit", json_string(n)) == 0;
}

/* The pages of partitions start.. into pg; 1 when an answer other than a page was relayed. */
static int walk(struct sw_req *r, json_t *q, int start, const char *inner, struct page *pg,
                struct sw_error *err)
{
    int partitions = r->srv->partitions;
    for (int p = start; p < partitions; p++) {
        if (pg->out && pg->more && !pg->every)
            break;
        bool peek = pg->out && pg->n == pg->limit && !pg->every;
        if (!set_query(json_object_get(q, "query"), p == start ? inner : NULL,
                       peek        ? 1
                       : pg->every ? pg->limit
                                   : pg->limit - pg->n))
            return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
        json_t *doc;
        int rc = ask(r, p, q, &doc, err);
        if (rc)
            return rc;
        if (!pg->out) {
            pg->out = json_deep_copy(doc);
            pg->paged = pg->out ? paged_list(pg->out, &pg->every) : NULL;
            if (!pg->paged) { /* not a list after all: the partition's answer */
                json_decref(pg->out);
                pg->out = doc;
                return SW_OK;
            }
            const char *key;
            json_t *v;
            json_object_foreach(pg->out, key, v)
            {
                if (json_is_array(v))
                    json_array_clear(v);
                else if (json_is_integer(v))
                    json_integer_set(v, 0);
            }
        }
        join(pg, doc, p);
        json_decref(doc);
    }
    return SW_OK;
}

int sw__gather(struct sw_req *r, const char *url, struct sw_error *err)
{
    json_t *q = sw__request_json(r, url, false);
    if (!q)
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot encode the read");
    json_t *query = json_object_get(q, "query");
    const char *lim = json_string_value(json_object_get(query, "limit"));
    struct page pg = {.limit = LIMIT_DEFAULT};
    char inner[160];
    int start = cursor_partition(json_string_value(json_object_get(query, "after")),
                                 r->srv->partitions, inner, sizeof inner);
    int rc;
    if (lim) {
        char *end;
        errno = 0;
        pg.limit = strtol(lim, &end, 10);
        if (!*lim || *end || errno || pg.limit < 1 || pg.limit > LIMIT_MAX) {
            json_t *doc; /* the handler's own answer to a bad limit */
            rc = ask(r, 0, q, &doc, err);
            if (rc == SW_OK) {
                r->resp = doc;
                r->status = 200;
            }
            json_decref(q);
            return rc == 1 ? SW_OK : rc;
        }
    }
    rc = walk(r, q, start, inner, &pg, err);
    json_decref(q);
    if (rc) {
        json_decref(pg.out);
        return rc == 1 ? SW_OK : rc;
    }
    if (pg.paged) {
        json_object_set_new(pg.out, "has_more", json_boolean(pg.more && pg.next[0]));
        json_object_set_new(pg.out, "next_after",
                            pg.more && pg.next[0] ? json_string(pg.next) : json_null());
    }
    r->status = 200;
    r->etag = SW_NO_ETAG;
    r->resp = pg.out;
    return SW_OK;
}

/* GET /v1/admin/rescans/{id}: the job's parts, one in each partition (docs/scale-out.md,
 * "Rescans"), added up (sw_penalty_rescan_join). A partition without a part of it (404) adds
 * nothing; when no partition has the job, a partition's 404 is the answer. */
int sw__gather_rescan(struct sw_req *r, const char *url, struct sw_error *err)
{
    json_t *q = sw__request_json(r, url, false), *parts = json_array(), *missing = NULL;
    int rc = q ? SW_OK : sw_fail(err, SW_E_INTERNAL, NULL, "cannot encode the read");
    for (int p = 0; rc == SW_OK && p < r->srv->partitions; p++) {
        json_t *a = answer_of_part(r, p, q, err), *doc = a ? body_if_ok(a) : NULL;
        if (!a)
            rc = err->code;
        else if (doc)
            json_array_append_new(parts, doc);
        else if (!missing)
            missing = json_incref(a);
        json_decref(a);
    }
    json_decref(q);
    json_t *job = rc ? NULL : sw_penalty_rescan_join(r->params[0], parts);
    json_decref(parts);
    if (rc == SW_OK && job) {
        r->status = 200;
        r->etag = SW_NO_ETAG;
        r->resp = job;
    } else if (rc == SW_OK) {
        rc = sw__relay(r, missing) ? sw_fail(err, SW_E_INTERNAL, NULL, "out of memory") : SW_OK;
    }
    json_decref(missing);
    return rc;
}

/* ---- the event feed of every store ---- */

#define FEED_CURSOR_MAX 4096

struct feed_item {
    json_t *ev; /* borrowed from its partition's page */
    sw_instant at;
    int p;
    int64_t seq;
};

static int feed_item_cmp(const void *a, const void *b)
{
    const struct feed_item *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* "p3:120,p41:7" (positions in each partition's log; the others at 0) or "0" into pos. */
static bool feed_cursor_read(const char *s, int partitions, int64_t *pos)
{
    if (!s || strcmp(s, "0") == 0)
        return true;
    while (*s) {
        char *end;
        if (*s != 'p')
            return false;
        errno = 0;
        long p = strtol(s + 1, &end, 10);
        if (end == s + 1 || *end != ':' || p < 0 || p >= partitions)
            return false;
        const char *q = end + 1;
        long long seq = strtoll(q, &end, 10);
        if (end == q || errno || seq < 0 || (*end && *end != ','))
            return false;
        pos[p] = seq;
        s = *end ? end + 1 : end;
    }
    return true;
}

static void feed_cursor_write(const int64_t *pos, int partitions, char *out, size_t n)
{
    size_t k = 0;
    out[0] = '\0';
    for (int p = 0; p < partitions && k < n; p++)
        if (pos[p] > 0)
            k += (size_t)snprintf(out + k, n - k, "%sp%d:%lld", k ? "," : "", p, (long long)pos[p]);
    if (!out[0])
        snprintf(out, n, "0");
}

/* Every partition's page after its position, merged by instant (then partition and seq); the
 * first `limit` are the page, and each partition's position moves past what the page took of it
 * (or past what it walked, when the page took all it gave). */
static json_t *feed_merge(json_t **docs, int partitions, long limit, int64_t *pos)
{
    size_t total = 0;
    for (int p = 0; p < partitions; p++)
        total += json_array_size(json_object_get(docs[p], "events"));
    struct feed_item *v = calloc(total ? total : 1, sizeof *v);
    if (!v)
        return NULL;
    size_t n = 0, i;
    for (int p = 0; p < partitions; p++) {
        json_t *e;
        json_array_foreach(json_object_get(docs[p], "events"), i, e)
        {
            const char *at = json_string_value(json_object_get(e, "at"));
            sw_instant t = 0;
            struct sw_error ignored;
            if (!at || sw_instant_parse(at, strlen(at), &t, &ignored) != SW_OK)
                t = 0;
            v[n++] = (struct feed_item){e, t, p, json_integer_value(json_object_get(e, "seq"))};
        }
    }
    qsort(v, n, sizeof *v, feed_item_cmp);
    size_t take = n < (size_t)limit ? n : (size_t)limit;
    int taken_of[1024] = {0};
    json_t *events = json_array();
    for (i = 0; i < take; i++) {
        json_array_append(events, v[i].ev);
        pos[v[i].p] = v[i].seq;
        taken_of[v[i].p]++;
    }
    bool more = false;
    for (int p = 0; p < partitions; p++) {
        size_t given = json_array_size(json_object_get(docs[p], "events"));
        bool more_here = json_is_true(json_object_get(docs[p], "has_more"));
        const json_t *next = json_object_get(docs[p], "next_after");
        if ((size_t)taken_of[p] < given) {
            more = true;
        } else if (more_here) {
            more = true;
            if (json_is_integer(next) && json_integer_value(next) > pos[p])
                pos[p] = json_integer_value(next); /* walked past what its filters left out */
        }
    }
    free(v);
    return json_pack("{s:o,s:b}", "events", events, "has_more", more);
}

/* Partition p's events after pos in the node's read model, up to limit + 1 (one more than a
 * page: whether more follow), as {events}; when the read walked its bound short of what the
 * model holds, also {has_more, next_after: the last seq walked} (feed_merge moves past it). */
static json_t *feed_part(struct sw_req *r, int p, int64_t pos, const struct sw_event_filter *f,
                         int64_t limit, struct sw_error *err)
{
    json_t *rows = NULL;
    int64_t walked = 0, held = 0;
    if (r->srv->view_events(r->srv->cluster, p, pos, f, (int)limit + 1, &rows, &walked, &held,
                            err) != SW_OK)
        return NULL;
    bool cut = json_array_size(rows) <= (size_t)limit && walked < held;
    if (!cut)
        return json_pack("{s:o}", "events", rows);
    return json_pack("{s:o,s:b,s:I}", "events", rows, "has_more", 1, "next_after",
                     (json_int_t)walked);
}

int sw__gather_feed(struct sw_req *r, const char *url, struct sw_error *err)
{
    (void)url;
    int partitions = r->srv->partitions;
    if (partitions > 1024 || !r->srv->view_events)
        return sw_fail(err, SW_E_INTERNAL, NULL, "no read model for the merged feed");
    int64_t pos[1024] = {0}, limit, wait_s;
    struct sw_event_filter f;
    int rc;
    if (!feed_cursor_read(sw__query_str(r, "after"), partitions, pos))
        return sw_fail(err, SW_E_INVALID_VALUE, "after",
                       "in cluster mode the feed of every store pages by its own cursor: pass a "
                       "page's next_after (p<N>:<seq>,...) or 0");
    if ((rc = sw__feed_filter(r, &f, &limit, &wait_s, err)))
        return rc;
    json_t *docs[1024] = {0};
    for (int p = 0; rc == SW_OK && p < partitions; p++)
        if (!(docs[p] = feed_part(r, p, pos[p], &f, limit, err)))
            rc = err->code;
    json_t *page = rc == SW_OK ? feed_merge(docs, partitions, limit, pos) : NULL;
    for (int p = 0; p < partitions; p++)
        json_decref(docs[p]);
    if (rc)
        return rc;
    if (!page)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    char cursor[FEED_CURSOR_MAX];
    feed_cursor_write(pos, partitions, cursor, sizeof cursor);
    json_object_set_new(page, "next_after", json_string(cursor));
    r->status = 200;
    r->etag = SW_NO_ETAG;
    if (sw__feed_poll_later(r, page)) {
        json_decref(page);
        return SW_OK;
    }
    r->resp = page;
    return SW_OK;
}

/* ---- the operator queue ---- */

/* The first `limit` affiliate alerts of every partition (each promoter's are in its
 * partition), by id as one database lists them; NULL and err when a partition did not answer. */
static json_t *alerts_everywhere(struct sw_req *r, long limit, struct sw_error *err)
{
    json_t *q = sw__request_json(r, "/v1/affiliate/alerts", false), *all = json_array();
    bool ok = q && all && set_query(json_object_get(q, "query"), NULL, limit);
    for (int p = 0; ok && p < r->srv->partitions; p++) {
        json_t *a = answer_of_part(r, p, q, err), *doc = a ? body_if_ok(a) : NULL;
        bool answered = a != NULL;
        json_decref(a);
        ok = doc != NULL;
        if (!doc && answered)
            sw_fail(err, SW_E_BUSY, NULL, "the owner of partition %d did not answer; retry", p);
        if (ok)
            json_array_extend(all, json_object_get(doc, "alerts"));
        json_decref(doc);
    }
    json_decref(q);
    if (!ok) {
        json_decref(all);
        return NULL;
    }
    /* by id, the first `limit` */
    size_t n = json_array_size(all);
    for (size_t i = 1; i < n; i++) /* insertion sort: at most limit x partitions short ids */
        for (size_t j = i; j > 0; j--) {
            const char *a = sw_json_str_or_empty(json_array_get(all, j - 1), "id");
            const char *b = sw_json_str_or_empty(json_array_get(all, j), "id");
            if (strcmp(a, b) <= 0)
                break;
            json_t *x = json_incref(json_array_get(all, j - 1));
            json_array_set(all, j - 1, json_array_get(all, j));
            json_array_set_new(all, j, x);
        }
    while (json_array_size(all) > (size_t)limit)
        json_array_remove(all, json_array_size(all) - 1);
    return all;
}

/* GET /v1/queue of staff in cluster mode: every partition's queue from the node's read model
 * (sw_cluster_view_queue), without asking the partitions; the affiliate alerts are asked of
 * every partition (a promoter's are in its partition). */
int sw__gather_queue(struct sw_req *r, const char *url, struct sw_error *err)
{
    (void)url;
    int64_t limit = PAGE_DEFAULT;
    int rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, 200, &limit, err);
    if (rc)
        return rc;
    json_t *out = NULL;
    rc = r->srv->view_queue(r->srv->cluster, sw_clock_now(sw_engine_clock(r->engine)),
                            sw__query_str(r, "after"), (int)limit, &out, err);
    if (rc)
        return rc;
    /* the first `limit` alerts, whatever page of the violations this is */
    json_t *alerts = alerts_everywhere(r, (long)limit, err);
    if (!alerts) {
        json_decref(out);
        return err->code ? err->code : sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    }
    json_object_set_new(out, "affiliate_alerts", alerts);
    r->status = 200;
    r->etag = SW_NO_ETAG;
    r->resp = out;
    return SW_OK;
}

/* GET /v1/admin/rules/quality in cluster mode: every partition's violations added up in the
 * node's read model (sw_cluster_view_quality), without asking the partitions. */
int sw__model_quality(struct sw_req *r, struct sw_error *err)
{
    json_t *out = NULL;
    int rc = r->srv->view_quality(r->srv->cluster, sw__query_str(r, "rule"),
                                  sw__query_str(r, "policy_version"), &out, err);
    if (rc)
        return rc;
    r->status = 200;
    r->etag = SW_NO_ETAG;
    r->resp = out;
    return SW_OK;
}
