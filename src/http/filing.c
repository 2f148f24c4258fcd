/* Designated-streamer filing handlers: streamers, filing records, PKs, distributions, live
 * sessions and lottery pre-approvals. */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "domain/filing/filing.h"
#include "http/handlers.h"

/* Who reads: a store or a streamer sees its own (its role string); staff see all (NULL). */
static const char *reader(const struct sw_req *r)
{
    return r->role_bit == ROLE_MERCHANT || r->role_bit == ROLE_STREAMER ? r->role : NULL;
}

/* A write that finds the object it would create answers 200 with it; one that created it
 * (its answer lists the event `created`, a replay of it too) 201 with its Location. */
static bool announced(const struct sw_req *r, const char *created)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(r->resp, "events"), i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "type")), created) == 0)
            return true;
    }
    return false;
}

static void created_or_found(struct sw_req *r, const char *created, const char *collection)
{
    if (announced(r, created)) {
        r->status = 201;
        sw__locate(r, collection);
    }
}

/* The store's key names the store (a body may not). */
static int store_command(struct sw_req *r, const char *type, struct sw_error *err)
{
    json_t *payload;
    int rc = sw__body_object(r, &payload, err);
    if (rc)
        return rc;
    if ((rc = sw__put_key_store(payload, r, err))) {
        json_decref(payload);
        return rc;
    }
    return sw__run_command(r, type, payload, 201, err);
}

int sw__h_streamer_put(struct sw_req *r, struct sw_error *err)
{
    int rc = sw__write_with_id(r, "streamer.put", "id", 200, err);
    if (rc == SW_OK)
        created_or_found(r, "streamer.created", "/v1/streamers");
    return rc;
}

int sw__h_streamer_get(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_streamer_get(c, sw_engine_policy(r->engine), r->params[0], &r->resp, err);
    sw_pool_release(pool, c);
    sw__etag_of(r);
    return rc;
}

/* A PK files several records: its Location is the list of the store's records for that
 * streamer. */
int sw__h_filing_pk(struct sw_req *r, struct sw_error *err)
{
    int rc = store_command(r, "filing.pk", err);
    const char *s = json_string_value(
        json_object_get(json_object_get(json_object_get(r->resp, "result"), "streamer"), "id"));
    if (rc == SW_OK && s)
        snprintf(r->location, sizeof r->location, "/v1/filings?merchant=%s&streamer=%s", r->scope,
                 s);
    return rc;
}

static int query(struct sw_req *r, struct sw_filing_query *q, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    int rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, 200, &limit, err);
    *q = (struct sw_filing_query){
        .merchant = sw__query_str(r, "merchant"),
        .streamer = sw__query_str(r, "streamer"),
        .status = sw__query_str(r, "status"),
        .product = sw__query_str(r, "product"),
        .after = sw__query_str(r, "after"),
        .limit = (int)limit,
    };
    const char *ids[] = {q->merchant, q->streamer, q->product};
    const char *names[] = {"merchant", "streamer", "product"};
    for (int i = 0; rc == SW_OK && i < 3; i++)
        if (ids[i] && !sw_id_valid(ids[i]))
            rc = sw_fail(err, SW_E_INVALID_VALUE, names[i], "'%s' is not an id", ids[i]);
    return rc;
}

typedef int (*list_fn)(struct sw_conn *c, const struct sw_filing_query *q, const char *viewer,
                       json_t **out, struct sw_error *err);
typedef int (*get_fn)(struct sw_conn *c, const char *id, const char *viewer, json_t **out,
                      struct sw_error *err);

static int list(struct sw_req *r, list_fn fn, struct sw_error *err)
{
    struct sw_filing_query q;
    int rc = query(r, &q, err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = fn(c, &q, reader(r), &r->resp, err);
    if (rc == SW_OK && fn == sw_filing_list)
        rc = sw__queue_annotate(r, c, json_object_get(r->resp, "filings"), err);
    sw_pool_release(pool, c);
    return rc;
}

static int get(struct sw_req *r, get_fn fn, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = fn(c, r->params[0], reader(r), &r->resp, err);
    sw_pool_release(pool, c);
    sw__etag_of(r);
    return rc;
}

int sw__h_filings_list(struct sw_req *r, struct sw_error *err)
{
    return list(r, sw_filing_list, err);
}

int sw__h_filing_get(struct sw_req *r, struct sw_error *err)
{
    return get(r, sw_filing_get, err);
}

int sw__h_filing_history(struct sw_req *r, struct sw_error *err)
{
    return get(r, sw_filing_history, err);
}

static int body_command(struct sw_req *r, const char *type, struct sw_error *err)
{
    json_t *payload;
    int rc = sw__body_object(r, &payload, err);
    return rc ? rc : sw__run_command(r, type, payload, 200, err);
}

/* A streamer's key names the streamer. */
int sw__h_distribution_create(struct sw_req *r, struct sw_error *err)
{
    int rc = body_command(r, "distribution.create", err);
    if (rc == SW_OK)
        created_or_found(r, "distribution.created", "/v1/distributions");
    return rc;
}

int sw__h_distributions_list(struct sw_req *r, struct sw_error *err)
{
    return list(r, sw_distribution_list, err);
}

int sw__h_distribution_get(struct sw_req *r, struct sw_error *err)
{
    return get(r, sw_distribution_get, err);
}

int sw__h_live_session_create(struct sw_req *r, struct sw_error *err)
{
    int rc = store_command(r, "live_session.create", err);
    if (rc == SW_OK)
        sw__locate(r, "/v1/live-sessions");
    return rc;
}

int sw__h_live_sessions_list(struct sw_req *r, struct sw_error *err)
{
    return list(r, sw_live_session_list, err);
}

int sw__h_live_session_get(struct sw_req *r, struct sw_error *err)
{
    return get(r, sw_live_session_get, err);
}

/* An approval has no URL of its own: a new one points at its session, which lists it. */
int sw__h_lottery_approve(struct sw_req *r, struct sw_error *err)
{
    int rc = body_command(r, "lottery.approve", err);
    if (rc == SW_OK)
        created_or_found(r, "lottery.approved", "/v1/live-sessions");
    const json_t *res = json_object_get(r->resp, "result");
    if (rc == SW_OK && r->status == 201)
        snprintf(r->location, sizeof r->location, "/v1/live-sessions/%s",
                 json_string_value(json_object_get(res, "session")));
    return rc;
}

int sw__h_filing_get_at(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_filing_get_at(r->engine, c, r->params[0], reader(r), r->at_us, &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}
