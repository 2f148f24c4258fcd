/* Cluster mode (docs/scale-out.md, "Reads"): a read of one store is answered by the owner of
 * its partition, whose database holds the store, with the same handler as in single-node
 * mode. The accepting node authenticates, authorises, rate-limits and checks the query as
 * usual, then hands the owner the method, path, query, the Accept header and who asks (the
 * key's role, id and label: the owner trusts the accepting node as it trusts the commands it
 * publishes), and relays the owner's status, body and ETag.
 *
 * Which reads: those of one store named by the path (/v1/merchants/{id}...), by the query
 * (?merchant=) or by the caller's own key (a store's key reads only its own store's objects);
 * the affiliate module's (a promoter's facts are in its partition); an object by its id alone
 * (whichever partition has it); a list across stores (gather.c). The node's own routes stay
 * this node's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/log.h"
#include "http/handlers.h"

#define CSV_TYPE "text/csv; charset=utf-8"

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *str_or_empty(const json_t *v)
{
    const char *s = json_string_value(v);
    return s ? s : "";
}

/* The node's own routes: its keys, clock, maintenance and metrics. */
static bool node_route(const char *pattern)
{
    return has_prefix(pattern, "/v1/admin/") || strcmp(pattern, "/v1/me") == 0 ||
           has_prefix(pattern, "/healthz") || has_prefix(pattern, "/metrics");
}

const char sw__home_key[] = "";
const char sw__any_key[] = "";
const char sw__all_key[] = "";
const char sw__parts_key[] = "";
static const char feed_all_key[] = ""; /* the feed of every store: every partition's log */
static const char queue_key[] = "";    /* the operator queue: the node's read model */
static const char quality_key[] = "";  /* the rule quality: the node's read model */

#define FEED_POLL_NS (200 * 1000000LL) /* how often a waiting feed read asks the owner again */

static bool feed_route(const struct route *rt)
{
    return strcmp(rt->pattern, "/v1/events") == 0;
}

/* A route of one object by its own id: /v1/<kind>/{id}[/...] outside a store's paths. */
static bool object_route(const char *pattern)
{
    return !has_prefix(pattern, "/v1/merchants/") && strstr(pattern, "/{id}") != NULL;
}

/* The store a staff dry run names (its body's `merchant`: that store's partition checks it as
 * its create would), or the home partition. */
static const char *scan_store(struct sw_req *r)
{
    json_t *in = r->body.data ? json_loadb(r->body.data, r->body.len, 0, NULL) : NULL;
    const char *m = json_string_value(json_object_get(in, "merchant"));
    if (m && *m && strlen(m) < sizeof r->route_store)
        snprintf(r->route_store, sizeof r->route_store, "%s", m);
    json_decref(in);
    return r->route_store[0] ? r->route_store : sw__home_key;
}

/* The affiliate module's reads (docs/scale-out.md, "Affiliate"): a promoter's facts are in its
 * partition. An order or a statement by its id is whichever partition has it; a list of one
 * promoter (its own key, or ?promoter=) is its partition's; any other list is every
 * partition's in turn. */
static const char *affiliate_key(struct sw_req *r)
{
    const struct route *rt = r->route;
    if (object_route(rt->pattern) && r->srv->read_any)
        return sw__any_key;
    if (r->role_bit == ROLE_PROMOTER && r->scope)
        return r->scope;
    const char *promoter =
        sw__param_listed(rt->params, "promoter") ? sw__query_str(r, "promoter") : NULL;
    if (promoter)
        return promoter;
    return r->srv->read_part ? sw__all_key : sw__home_key;
}

const char *sw__read_key(struct sw_req *r)
{
    const struct route *rt = r->route;
    if (rt && r->srv->view_quality && strcmp(rt->pattern, "/v1/admin/rules/quality") == 0)
        return quality_key; /* every partition's violations, from the node's read model */
    if (rt && r->srv->read_part && strcmp(rt->pattern, "/v1/admin/timers") == 0)
        return sw__all_key; /* each partition's timers (they fire on its owner) */
    if (rt && r->srv->read_part && strcmp(rt->pattern, "/v1/admin/rescans/{id}") == 0)
        return sw__parts_key; /* a rescan's parts, one a partition, added up (gather.c) */
    if (rt && r->srv->view_queue && strcmp(rt->pattern, "/v1/queue") == 0)
        return queue_key; /* every partition's queue, from the node's read model (gather.c) */
    if (!rt || rt->write || (rt->roles & ROLE_PUBLIC) || node_route(rt->pattern))
        return NULL;
    if (strcmp(rt->pattern, "/v1/policy") == 0)
        return sw__home_key; /* the policy in force: every partition's, answered by the home */
    if (strcmp(rt->pattern, "/v1/scan") == 0) /* the policy in force, and a store's categories */
        return sw__is_merchant(r) ? r->scope : scan_store(r);
    if (has_prefix(rt->pattern, "/v1/affiliate/"))
        return affiliate_key(r); /* a promoter's facts are in its partition */
    if (has_prefix(rt->pattern, "/v1/merchants/{id}"))
        return r->params[0];
    if (sw__is_merchant(r))
        return r->scope; /* its own objects are in its own partition */
    if (feed_route(rt))  /* one store's events are in its partition's log */
        return sw__query_str(r, "merchant") ? sw__query_str(r, "merchant") : feed_all_key;
    const char *key = NULL;
    if (sw__param_listed(rt->params, "merchant"))
        key = sw__query_str(r, "merchant");
    if (key)
        return key;
    if (object_route(rt->pattern) && r->srv->read_any)
        return sw__any_key; /* names no store: whichever partition has it */
    if (sw__param_listed(rt->params, "after") && r->srv->read_part)
        return sw__all_key; /* a list across stores: every partition's, in turn (gather.c) */
    return NULL;
}

/* The path of the object a read by id names: url up to the segment of {id} in pattern
 * (/v1/products/p1 for /v1/products/p1/history). */
static void locator_of(const char *pattern, const char *url, char *out, size_t n)
{
    int segs = 0;
    for (const char *s = pattern; s < strstr(pattern, "/{id}") + 1; s++)
        segs += *s == '/';
    const char *end = url;
    for (int i = 0; *end && i <= segs; end++)
        if (*end == '/' && ++i > segs)
            break;
    snprintf(out, n, "%.*s", (int)(end - url), url);
}

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    json_object_set_new(cls, key, value ? json_string(value) : json_string(""));
    return MHD_YES;
}

/* as_sent: the request's own method and body (POST /v1/scan); else a GET of url. */
json_t *sw__request_json(struct sw_req *r, const char *url, bool as_sent)
{
    json_t *query = json_object();
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect, query);
    json_t *headers = json_object();
    const char *accept = sw__req_header(r, "Accept");
    if (accept)
        json_object_set_new(headers, "Accept", json_string(accept));
    json_t *q = json_pack("{s:s,s:o,s:o,s:s,s:i,s:s,s:s,s:I,s:s}", "url", url, "query", query,
                          "headers", headers, "role", r->role, "role_bit", (int)r->role_bit,
                          "key_id", r->key_id, "key_label", r->key_label, "key_tag",
                          (json_int_t)r->key_tag, "request_id", r->request_id);
    /* a read with a body (POST /v1/scan): the body as text, which must be UTF-8 to travel */
    if (q && as_sent && strcmp(r->method, "POST") == 0 &&
        (json_object_set_new(q, "method", json_string("POST")) != 0 ||
         (r->body.len > 0 &&
          json_object_set_new(q, "body", json_stringn(r->body.data, r->body.len)) != 0))) {
        json_decref(q);
        return NULL;
    }
    return q;
}

static char *request_text(struct sw_req *r, const char *url, bool as_sent)
{
    json_t *q = sw__request_json(r, url, as_sent);
    char *text = q ? sw_json_dump(q) : NULL;
    json_decref(q);
    return text;
}

const char sw__too_large[] = "the answer is larger than the broker carries: ask for a smaller page";

json_t *sw__answer_of(int rc, char *text)
{
    json_t *a = rc == SW_OK && text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return a;
}

int sw__relay(struct sw_req *r, const json_t *a)
{
    const char *body = json_string_value(json_object_get(a, "body"));
    if (!body)
        return SW_E_BUSY;
    r->status = (int)json_integer_value(json_object_get(a, "status"));
    const json_t *etag = json_object_get(a, "etag");
    r->etag = json_is_integer(etag) ? json_integer_value(etag) : SW_NO_ETAG;
    free(r->text_resp);
    r->text_resp = strdup(body);
    r->text_is_json = true;
    const char *type = json_string_value(json_object_get(a, "type"));
    if (type && strcmp(type, CSV_TYPE) == 0)
        r->text_type = CSV_TYPE;
    return r->text_resp ? SW_OK : SW_E_INTERNAL;
}

/* A feed read with wait=SECONDS whose owner answered an empty page: parked here and asked again
 * every FEED_POLL_NS until an event comes or the wait is over (the owner answers at once: a
 * read it is forwarded never waits there). The connection is suspended meanwhile, no thread
 * held; the resumed request runs again from the start. */
bool sw__feed_poll_later(struct sw_req *r, const json_t *page)
{
    const char *w = sw__query_str(r, "wait");
    char *end = NULL;
    long wait_s = w ? strtol(w, &end, 10) : 0;
    if (r->status != 200 || wait_s <= 0 || !end || *end || wait_s > 3600 ||
        json_array_size(json_object_get(page, "events")) > 0 ||
        json_is_true(json_object_get(page, "has_more")))
        return false;
    if (r->wait_until_ns == 0)
        r->wait_until_ns = sw__mono_ns() + wait_s * 1000000000LL;
    int64_t next = sw__mono_ns() + FEED_POLL_NS;
    if (!sw__feed_park_until(r, next < r->wait_until_ns ? next : r->wait_until_ns))
        return false;
    r->parked = true;
    return true;
}

static void feed_wait(struct sw_req *r)
{
    if (!feed_route(r->route))
        return;
    json_t *page = json_loads(r->text_resp, 0, NULL);
    if (sw__feed_poll_later(r, page)) {
        free(r->text_resp); /* the page is read again when the connection resumes */
        r->text_resp = NULL;
    }
    json_decref(page);
}

int sw__forward(struct sw_req *r, const char *url, const char *key, struct sw_error *err)
{
    if (key == sw__all_key)
        return sw__gather(r, url, err);
    if (key == sw__parts_key)
        return sw__gather_rescan(r, url, err);
    if (key == feed_all_key)
        return sw__gather_feed(r, url, err);
    if (key == queue_key)
        return sw__gather_queue(r, url, err);
    if (key == quality_key)
        return sw__model_quality(r, err);
    if (key != sw__home_key && key != sw__any_key && !sw_id_valid(key)) /* the handler refuses */
        return sw__route_run(r, err);
    char *req = request_text(r, url, true);
    if (!req && r->body.len > 0) /* not UTF-8: the handler refuses it, here */
        return sw__route_run(r, err);
    if (!req)
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot encode the read");
    char *text = NULL, locator[256];
    int rc;
    if (key == sw__any_key) {
        locator_of(r->route->pattern, url, locator, sizeof locator);
        rc = r->srv->read_any(r->srv->cluster, locator, req, &text);
    } else {
        rc = r->srv->read_remote(r->srv->cluster, key, req, &text);
    }
    free(req);
    json_t *a = sw__answer_of(rc, text);
    const char *body = json_string_value(json_object_get(a, "body"));
    if (!body) {
        json_decref(a);
        if (rc == SW_E_PAYLOAD_TOO_LARGE)
            return sw_fail(err, rc, NULL,
                           "in cluster mode a request answered by another node carries at most "
                           "the broker's max_payload (1 MiB by default)");
        if (rc == SW_E_INTERNAL)
            return sw_fail(err, rc, NULL, "%s", sw__too_large);
        if (key == sw__any_key || key == sw__home_key)
            return sw_fail(err, SW_E_BUSY, NULL, "a partition's owner did not answer; retry");
        return sw_fail(err, SW_E_BUSY, NULL,
                       "the owner of the partition of '%s' did not answer; retry", key);
    }
    rc = sw__relay(r, a);
    json_decref(a);
    if (rc != SW_OK)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    feed_wait(r);
    return SW_OK;
}

int sw__remote_exists(struct sw_req *r, const char *path, const char *key, bool *exists,
                      struct sw_error *err)
{
    char *req = request_text(r, path, false), *text = NULL;
    int rc = req ? r->srv->read_remote(r->srv->cluster, key, req, &text) : SW_E_INTERNAL;
    free(req);
    json_t *a = sw__answer_of(rc, text);
    json_int_t status = json_integer_value(json_object_get(a, "status"));
    json_decref(a);
    *exists = status == 200;
    if (status == 200 || status == 404)
        return SW_OK;
    return sw_fail(err, SW_E_BUSY, NULL, "the owner of the partition of '%s' did not answer; retry",
                   key);
}

/* Routes cmd to the key in the `field` of the object at locator (found as a read of it:
 * whichever partition has it): its store (merchant), or an affiliate order's promoter; left to
 * the command's own key when none answers. */
static void route_by_field(struct sw_req *r, struct sw_cmd *cmd, const char *locator,
                           const char *field)
{
    char *req = request_text(r, locator, false), *text = NULL;
    if (!req || r->srv->read_any(r->srv->cluster, locator, req, &text) != SW_OK)
        text = NULL;
    free(req);
    json_t *a = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    const char *body = json_string_value(json_object_get(a, "body"));
    json_t *doc = body && json_integer_value(json_object_get(a, "status")) == 200
                      ? json_loads(body, 0, NULL)
                      : NULL;
    const char *store = json_string_value(json_object_get(doc, field));
    if (store && sw_id_valid(store)) {
        snprintf(r->route_store, sizeof r->route_store, "%s", store);
        cmd->route_key = r->route_store;
    }
    json_decref(doc);
    json_decref(a);
}

static void route_by_object(struct sw_req *r, struct sw_cmd *cmd, const char *locator)
{
    route_by_field(r, cmd, locator, "merchant");
}

/* An affiliate order's or alert's promoter (its partition holds them, docs/scale-out.md,
 * "Affiliate"): an alert's id names it (al-<promoter>-<hour>); an order is read where it is.
 * False when item is neither. */
static bool route_affiliate(struct sw_req *r, struct sw_cmd *cmd, const char *item)
{
    size_t n = strlen(item);
    const char *dash = strrchr(item, '-');
    if (strncmp(item, "al-", 3) == 0 && dash > item + 3 && dash[1] &&
        strspn(dash + 1, "0123456789") == strlen(dash + 1) &&
        (size_t)(dash - item - 3) < sizeof r->route_store) {
        snprintf(r->route_store, sizeof r->route_store, "%.*s", (int)(dash - item - 3), item + 3);
        cmd->route_key = r->route_store;
        return true;
    }
    char locator[256];
    if (n + 22 >= sizeof locator)
        return false;
    snprintf(locator, sizeof locator, "/v1/affiliate/orders/%s", item);
    route_by_field(r, cmd, locator, "promoter");
    return cmd->route_key != NULL;
}

/* Objects a command's body may name instead of its store (POST /v1/violations {"product"}),
 * with the path a read of each has. */
static const struct {
    const char *field, *path;
} body_objects[] = {{"product", "/v1/products/"}, {"violation", "/v1/violations/"}};

/* A claim (queue.claim, queue.release) goes where its item is decided, so that the decision sees
 * it (docs/queue.md): an id the partitions generate (v, a, q, f, pr, ap) to its object's store,
 * else a store by itself, else an affiliate order or alert to its promoter's partition; any
 * other item stays with the command's own key, the home partition's. */
static bool route_claim(struct sw_req *r, struct sw_cmd *cmd)
{
    const char *item = NULL;
    if (strcmp(r->route->pattern, "/v1/queue/claims") == 0)
        item = json_string_value(json_object_get(cmd->payload, "item"));
    else if (strcmp(r->route->pattern, "/v1/queue/claims/{id}") == 0 && r->nparams > 0)
        item = r->params[0];
    else
        return false;
    if (!item || !sw_id_valid(item))
        return true;
    static const struct {
        const char *prefix, *path;
    } kinds[] = {{"pr", "/v1/promotions/"}, {"ap", "/v1/approvals/"},     {"v", "/v1/violations/"},
                 {"a", "/v1/appeals/"},     {"q", "/v1/qualifications/"}, {"f", "/v1/filings/"}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t n = strlen(kinds[i].prefix);
        if (strncmp(item, kinds[i].prefix, n) == 0 && item[n] >= '1' && item[n] <= '9' &&
            strspn(item + n, "0123456789") == strlen(item + n)) {
            char locator[256];
            snprintf(locator, sizeof locator, "%s%s", kinds[i].path, item);
            route_by_object(r, cmd, locator);
            if (cmd->route_key)
                return true;
            break; /* no such object: perhaps a store's id of that shape (a1) */
        }
    }
    char path[256];
    bool store = false;
    struct sw_error ignored;
    snprintf(path, sizeof path, "/v1/merchants/%s", item);
    if (sw__remote_exists(r, path, item, &store, &ignored) == SW_OK && store) {
        snprintf(r->route_store, sizeof r->route_store, "%s", item);
        cmd->route_key = r->route_store;
    } else {
        route_affiliate(r, cmd, item);
    }
    return true;
}

void sw__route_to_object(struct sw_req *r, struct sw_cmd *cmd)
{
    const struct route *rt = r->route;
    if (r->srv->read_any && rt && route_claim(r, cmd))
        return;
    /* an order's review goes to its promoter's partition */
    if (r->srv->read_any && rt && strcmp(rt->pattern, "/v1/affiliate/orders/{id}/review") == 0) {
        if (r->nparams > 0 && sw_id_valid(r->params[0]))
            route_affiliate(r, cmd, r->params[0]);
        return;
    }
    /* a command that names its store (or promoter) is routed by it (src/cluster/submit.c); the
     * affiliate feed is split by its events' promoters (src/cluster/feed.c) */
    if (!r->srv->read_any || !rt || cmd->merchant || json_object_get(cmd->payload, "merchant") ||
        json_object_get(cmd->payload, "promoter") || has_prefix(rt->pattern, "/v1/affiliate/") ||
        has_prefix(rt->pattern, "/v1/promoters/"))
        return;
    char locator[256];
    if (!object_route(rt->pattern)) {
        for (size_t i = 0; i < sizeof body_objects / sizeof body_objects[0]; i++) {
            const char *id =
                json_string_value(json_object_get(cmd->payload, body_objects[i].field));
            if (id && sw_id_valid(id)) {
                snprintf(locator, sizeof locator, "%s%s", body_objects[i].path, id);
                route_by_object(r, cmd, locator);
                return;
            }
        }
        return;
    }
    /* the object's path: the pattern up to {id}, with the id of the request */
    const char *at = strstr(rt->pattern, "/{id}");
    int k = 0;
    for (const char *s = rt->pattern; s < at; s++)
        k += *s == '{';
    if (k >= r->nparams)
        return;
    snprintf(locator, sizeof locator, "%.*s/%s", (int)(at - rt->pattern), rt->pattern,
             r->params[k]);
    route_by_object(r, cmd, locator);
}

/* The request another node made (request_text), as a request of this server without a
 * connection. */
static bool take_request(struct sw_req *r, json_t *q, struct sw_error *err)
{
    const char *role = json_string_value(json_object_get(q, "role"));
    const char *url = json_string_value(json_object_get(q, "url"));
    if (!role || !url || !json_is_object(json_object_get(q, "query"))) {
        sw_fail(err, SW_E_BAD_REQUEST, NULL, "malformed forwarded read");
        return false;
    }
    r->fwd = q;
    r->method = json_is_string(json_object_get(q, "method")) ? "POST" : "GET";
    snprintf(r->role, sizeof r->role, "%s", role);
    snprintf(r->key_id, sizeof r->key_id, "%s", str_or_empty(json_object_get(q, "key_id")));
    snprintf(r->key_label, sizeof r->key_label, "%s",
             str_or_empty(json_object_get(q, "key_label")));
    snprintf(r->request_id, sizeof r->request_id, "%s",
             str_or_empty(json_object_get(q, "request_id")));
    r->role_bit = (unsigned)json_integer_value(json_object_get(q, "role_bit"));
    const json_t *body = json_object_get(q, "body");
    if (json_is_string(body) &&
        !sw_buf_append(&r->body, json_string_value(body), json_string_length(body))) {
        sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
        return false;
    }
    r->key_tag = (uint64_t)json_integer_value(json_object_get(q, "key_tag"));
    const char *colon = strchr(r->role, ':');
    r->scope = colon ? colon + 1 : NULL;
    const struct route *rt = sw__find_route(r, url, err);
    if (rt && rt->write) {
        sw_fail(err, SW_E_BAD_REQUEST, NULL, "only reads are forwarded");
        rt = NULL;
    }
    r->route = r->log_route = rt;
    return rt != NULL;
}

static char *answer_text(struct sw_req *r, int rc, const struct sw_error *err)
{
    char *body;
    const char *type = NULL;
    if (rc) {
        r->status = sw_err_http_status(err->code);
        body = r->err_details ? sw__details_text(r, err) : sw__error_text(err, r->request_id);
    } else if (r->text_resp) {
        body = r->text_resp;
        r->text_resp = NULL;
        type = r->text_type;
    } else {
        body = r->resp ? sw_json_dump(r->resp) : strdup("{}");
    }
    json_t *a = body ? json_pack("{s:i,s:s,s:I,s:s?}", "status", r->status, "body", body, "etag",
                                 (json_int_t)r->etag, "type", type)
                     : NULL;
    free(body);
    char *text = a ? sw_json_dump(a) : NULL;
    json_decref(a);
    return text;
}

char *sw_http_serve_read(void *server, struct sw_engine *e, const char *request)
{
    struct sw_req *r = calloc(1, sizeof *r);
    json_t *q = json_loads(request, 0, NULL);
    if (!r || !q) {
        free(r);
        json_decref(q);
        return NULL;
    }
    r->srv = server;
    r->engine = e;
    r->etag = SW_NO_ETAG;
    sw_buf_init(&r->body, SW_HTTP_MAX_BODY);
    r->start_ns = sw__mono_ns();
    r->status = 200;
    struct sw_error err;
    sw_error_clear(&err);
    int rc = take_request(r, q, &err) ? sw__route_run(r, &err) : err.code;
    if (rc && err.code == SW_OK)
        sw_fail(&err, rc, NULL, "%s", sw_err_name(rc));
    char *text = answer_text(r, rc, &err);
    json_decref(r->resp);
    json_decref(r->err_details);
    free(r->text_resp);
    sw_buf_release(&r->body);
    free(r);
    json_decref(q);
    return text;
}

/* A claim younger than this may be a create still on its way to its partition: it stands. */
#define ID_CLAIM_FRESH_MS 60000

/* Whether some partition has product id (a staff read of its path): 1, 0, or -1 when no owner
 * answered. */
static int product_anywhere(struct sw_req *r, const char *id)
{
    char locator[256];
    snprintf(locator, sizeof locator, "/v1/products/%s", id);
    json_t *q = sw__request_json(r, locator, false);
    if (q) { /* whichever store has it: the platform's view, not the caller's */
        json_object_set_new(q, "role", json_string("admin"));
        json_object_set_new(q, "role_bit", json_integer(ROLE_ADMIN));
    }
    char *req = q ? sw_json_dump(q) : NULL, *text = NULL;
    json_decref(q);
    int rc = req ? r->srv->read_any(r->srv->cluster, locator, req, &text) : SW_E_INTERNAL;
    free(req);
    json_t *a = sw__answer_of(rc, text);
    json_int_t status = json_integer_value(json_object_get(a, "status"));
    json_decref(a);
    return status == 200 ? 1 : status == 404 ? 0 : -1;
}

int sw__create_claimed(struct sw_req *r, struct sw_cmd *cmd)
{
    const char *id = json_string_value(json_object_get(cmd->payload, "id"));
    const char *store = cmd->merchant
                            ? cmd->merchant
                            : json_string_value(json_object_get(cmd->payload, "merchant"));
    if (!id || !store || !sw_id_valid(id) || !sw_id_valid(store))
        return r->srv->exec(r->srv->cluster, cmd); /* its handler refuses it */
    struct sw_id_claim claim;
    int rc = r->srv->id_claim(r->srv->cluster, id, store, &claim, &cmd->err);
    if (rc)
        return cmd->code = rc;
    if (strcmp(claim.holder, store) != 0) {
        int there = claim.age_ms < ID_CLAIM_FRESH_MS ? 1 : product_anywhere(r, id);
        if (there < 0)
            return cmd->code =
                       sw_fail(&cmd->err, SW_E_BUSY, NULL,
                               "no partition answered whether product '%s' exists; retry", id);
        if (there)
            return cmd->code = sw_fail(&cmd->err, SW_E_ALREADY_EXISTS, "id",
                                       "product '%s' already exists", id);
        uint64_t rev = 0; /* a create refused after its claim: the id is free */
        if ((rc = r->srv->id_take(r->srv->cluster, id, store, claim.rev, &rev, &cmd->err)))
            return cmd->code = rc;
        claim.rev = rev;
        claim.created = true;
    }
    rc = r->srv->exec(r->srv->cluster, cmd);
    /* refused for what it said (not unanswered: it may still be applied): the id is free again */
    if (rc && claim.created && rc != SW_E_BUSY && rc != SW_E_INTERNAL && rc != SW_E_ALREADY_EXISTS)
        r->srv->id_release(r->srv->cluster, id, store, claim.rev);
    return rc;
}
