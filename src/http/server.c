#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "base/json.h"
#include "base/log.h"
#include "http/handlers.h"
#include "http/internal.h"

#define HARD_BODY_CAP ((size_t)16 << 20)
#define SW_HTTP_MAX_PATH 2048

/* The headers of docs/api.md "HTTP conventions": Allow on a 405, ETag on a read or a write
 * that names its object's version, Location on a 201. */
static void add_convention_headers(struct sw_req *r, struct MHD_Response *resp)
{
    if (r->status == 405 && r->allow[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
    if (r->etag >= 0 && (r->status / 100 == 2 || r->status == 304)) {
        char tag[32];
        snprintf(tag, sizeof tag, "\"%lld\"", (long long)r->etag);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, tag);
    }
    if (r->status == 201 && r->location[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
}

/* If-None-Match on a read: true when it names the current version ("*" or a list holding the
 * ETag, weak or strong: RFC 9110 13.1.2 compares weakly). */
static bool not_modified(struct sw_req *r)
{
    if (r->etag < 0 || r->status != 200 ||
        (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0))
        return false;
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
    if (!h)
        return false;
    char tag[32];
    int n = snprintf(tag, sizeof tag, "\"%lld\"", (long long)r->etag);
    for (const char *p = h; *p;) {
        p += strspn(p, " \t,");
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        if (*p == '*' || strncmp(p, tag, (size_t)n) == 0)
            return true;
        p += strcspn(p, ",");
    }
    return false;
}

static enum MHD_Result queue(struct sw_req *r)
{
    char *text;
    if (not_modified(r)) {
        r->status = 304;
        json_decref(r->resp);
        r->resp = NULL;
        free(r->text_resp);
        r->text_resp = strdup("");
        r->text_is_json = true;
    }
    const char *ctype = "application/json";
    if (r->text_resp) {
        text = r->text_resp;
        r->text_resp = NULL;
        if (r->text_type)
            ctype = r->text_type;
        else if (!r->text_is_json)
            ctype = "text/plain; version=0.0.4";
    } else {
        text = r->resp ? sw_json_dump(r->resp) : strdup("{}");
    }
    if (!text) {
        struct sw_error err;
        sw_fail(&err, SW_E_INTERNAL, NULL, "cannot render the answer");
        r->status = sw_err_http_status(err.code);
        text = sw__error_text(&err, r->request_id);
    }
    size_t n = text ? strlen(text) : 0;
    r->resp_bytes = n;
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        n, text ? text : (char *)"", text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    add_convention_headers(r, resp);
    MHD_add_response_header(resp, SW_REQUEST_ID_HEADER, r->request_id);
    if (r->status == 503 || r->status == 429) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d",
                 r->retry_after_s > 0 ? r->retry_after_s : atomic_load(&r->srv->retry_after_s));
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
    }
    if (r->close_conn) /* past a connection cap: answered, then closed */
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    if (r->status == 401)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    if (r->replayed)
        MHD_add_response_header(resp, "Idempotent-Replayed", "true");
    int cls = r->status / 100;
    if (cls >= 1 && cls <= 5)
        atomic_fetch_add(&r->srv->responses[cls], 1);
    enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* A 503 for maintenance carries the operator's reason in details.reason (docs/api.md). */
static char *maintenance_text(struct sw_server *s, const struct sw_error *err, const char *rid)
{
    json_t *body = sw__error_body(err, rid);
    char reason[SW_MAINT_REASON_MAX + 1];
    pthread_mutex_lock(&s->maint_lock);
    memcpy(reason, s->maint_reason, sizeof reason);
    pthread_mutex_unlock(&s->maint_lock);
    json_t *details = json_object_get(json_object_get(body, "error"), "details");
    json_object_set_new(details, "reason", reason[0] ? json_string(reason) : json_null());
    char *text = body ? sw_json_dump(body) : NULL;
    json_decref(body);
    return text ? text : sw__error_text(err, rid);
}

/* An error whose handler left more to say (every problem of a policy) in r->err_details. */
char *sw__details_text(struct sw_req *r, const struct sw_error *err)
{
    json_t *body = sw__error_body(err, r->request_id);
    json_t *details = json_object_get(json_object_get(body, "error"), "details");
    json_object_update(details, r->err_details);
    char *text = body ? sw_json_dump(body) : NULL;
    json_decref(body);
    return text ? text : sw__error_text(err, r->request_id);
}

static enum MHD_Result fail(struct sw_req *r, const struct sw_error *err)
{
    json_decref(r->resp);
    r->resp = NULL;
    free(r->text_resp);
    r->text_resp = err->code == SW_E_MAINTENANCE ? maintenance_text(r->srv, err, r->request_id)
                   : r->err_details              ? sw__details_text(r, err)
                                                 : sw__error_text(err, r->request_id);
    r->text_is_json = true;
    r->status = sw_err_http_status(err->code);
    return queue(r);
}

/* Splits r->path into segments and matches them against a route pattern. */
static bool match(struct sw_req *r, const char *pattern, const char *path)
{
    r->nparams = 0;
    const char *p = pattern, *u = path;
    char *w = r->path;
    while (*p && *u) {
        if (*p != '/' || *u != '/')
            return false;
        p++;
        u++;
        const char *pe = strchr(p, '/'), *ue = strchr(u, '/');
        size_t pl = pe ? (size_t)(pe - p) : strlen(p), ul = ue ? (size_t)(ue - u) : strlen(u);
        if (pl >= 2 && p[0] == '{' && p[pl - 1] == '}') {
            if (ul == 0 || r->nparams == MAX_PARAMS ||
                (size_t)(w - r->path) + ul + 1 > sizeof r->path)
                return false;
            memcpy(w, u, ul);
            w[ul] = '\0';
            r->params[r->nparams++] = w;
            w += ul + 1;
        } else if (pl != ul || memcmp(p, u, pl) != 0) {
            return false;
        }
        p += pl;
        u += ul;
    }
    return *p == '\0' && *u == '\0';
}

static bool allowed(const struct route *rt, const struct sw_req *r)
{
    if (rt->roles & ROLE_PUBLIC)
        return true;
    unsigned bits = r->role_bit;
    if (bits & ROLE_ADMIN)
        bits |= ROLE_OPERATOR; /* admins can do what operators can */
    return (rt->roles & bits) != 0;
}

/* The route for url, with its path parameters in r; NULL with route_not_found or
 * method_not_allowed in err. */
/* A HEAD is answered as the GET of the same path, without the body (libmicrohttpd sends the
 * headers of the GET's answer, Content-Length included, and no body). */
static bool method_matches(const struct route *rt, const char *method)
{
    return strcmp(rt->method, method) == 0 ||
           (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0);
}

/* Appends a path's method to r->allow ("GET, HEAD, PATCH"), HEAD after GET. */
static void allow_add(struct sw_req *r, const char *method)
{
    size_t n = strlen(r->allow);
    snprintf(r->allow + n, sizeof r->allow - n, "%s%s%s", n ? ", " : "", method,
             strcmp(method, "GET") == 0 ? ", HEAD" : "");
}

const struct route *sw__find_route(struct sw_req *r, const char *url, struct sw_error *err)
{
    bool path_known = false;
    r->allow[0] = '\0';
    for (int i = 0; i < sw__routes_count; i++) {
        const struct route *rt = &sw__routes[i];
        if (!match(r, rt->pattern, url))
            continue;
        path_known = true;
        if (method_matches(rt, r->method))
            return rt;
        allow_add(r, rt->method);
    }
    if (path_known)
        sw_fail(err, SW_E_METHOD_NOT_ALLOWED, NULL, "method %s not allowed on '%s' (allowed: %s)",
                r->method, url, r->allow);
    else
        sw_fail(err, SW_E_ROUTE_NOT_FOUND, NULL, "no route '%s %s'", r->method, url);
    return NULL;
}

/* The rate-limit class of a route (docs/api.md, "Rate limits"). */
static int route_class(const struct route *rt)
{
    if (strcmp(rt->pattern, "/v1/scan") == 0)
        return SW_RATE_SCAN;
    if (!rt->write)
        return SW_RATE_READ;
    return (rt->roles & ROLE_INGEST) ? SW_RATE_FEED : SW_RATE_WRITE;
}

struct framing {
    int content_length; /* how many Content-Length headers */
    bool encoded;       /* a Transfer-Encoding header */
    bool chunked;       /* ... that says chunked, the only coding accepted */
    int authorization;  /* how many Authorization headers */
    int idempotency;    /* how many Idempotency-Key headers */
};

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    struct framing *f = cls;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
        f->content_length++;
    else if (strcasecmp(key, MHD_HTTP_HEADER_AUTHORIZATION) == 0)
        f->authorization++;
    else if (strcasecmp(key, "Idempotency-Key") == 0)
        f->idempotency++;
    else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        f->chunked = !f->encoded && strcasecmp(value, "chunked") == 0;
        f->encoded = true;
    }
    return MHD_YES;
}

/* "application/json" in any case, optionally followed by parameters (charset). */
static bool json_media_type(const char *ct)
{
    if (!ct)
        return false;
    ct += strspn(ct, " \t");
    if (strncasecmp(ct, "application/json", 16) != 0)
        return false;
    ct += 16;
    ct += strspn(ct, " \t");
    return *ct == '\0' || *ct == ';';
}

static int maintenance_refusal(struct sw_server *s, struct sw_error *err)
{
    pthread_mutex_lock(&s->maint_lock);
    if (s->maint_reason[0])
        sw_fail(err, SW_E_MAINTENANCE, NULL, "the service is in maintenance (%s); retry later",
                s->maint_reason);
    else
        sw_fail(err, SW_E_MAINTENANCE, NULL, "the service is in maintenance; retry later");
    pthread_mutex_unlock(&s->maint_lock);
    return err->code;
}

/* Everything that can be decided on the request line and headers alone, before a byte of the
 * body is read: framing, route, key, rate, role, size, maintenance, media type. */
static int precheck(struct sw_req *r, const char *url, struct sw_error *err)
{
    struct framing f = {0};
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, scan_header, &f);
    const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Length");
    unsigned long long len = cl ? strtoull(cl, NULL, 10) : 0;
    r->has_body = f.encoded || len > 0;
    if (strlen(url) > SW_HTTP_MAX_PATH)
        return sw_fail(err, SW_E_URI_TOO_LONG, NULL, "request path longer than %d bytes",
                       SW_HTTP_MAX_PATH);
    if (f.encoded && !f.chunked)
        return sw_fail(err, SW_E_BAD_REQUEST, "Transfer-Encoding",
                       "the only Transfer-Encoding accepted is chunked");
    if (f.content_length > 1)
        return sw_fail(err, SW_E_BAD_REQUEST, "Content-Length",
                       "more than one Content-Length header");
    if (f.content_length && f.encoded)
        return sw_fail(err, SW_E_BAD_REQUEST, "Content-Length",
                       "both Content-Length and Transfer-Encoding");
    /* one key and one idempotency key: which of two would count is nobody's guess */
    if (f.authorization > 1)
        return sw_fail(err, SW_E_BAD_REQUEST, "Authorization",
                       "more than one Authorization header");
    if (f.idempotency > 1)
        return sw_fail(err, SW_E_BAD_REQUEST, "Idempotency-Key",
                       "more than one Idempotency-Key header");
    const struct route *found = sw__find_route(r, url, err);
    if (!found)
        return err->code;
    r->log_route = found;
    r->max_body = found->max_body ? found->max_body : SW_HTTP_MAX_BODY;
    r->body.limit = r->max_body;
    int rc;
    if (!(found->roles & ROLE_PUBLIC)) {
        if ((rc = sw__auth(r->srv, r, err)) ||
            (rc = sw__rate_take(r->srv, r, route_class(found), 1.0, err)))
            return rc;
        if (!allowed(found, r))
            return sw_fail(err, SW_E_FORBIDDEN, NULL, "role '%s' may not %s %s", r->role, r->method,
                           found->pattern);
        /* The writer stores every body: a key's writes are also limited in bytes (a chunked
         * body's, which has no length up front, once it is read: dispatch) */
        if (route_class(found) == SW_RATE_WRITE && len > 0 && len <= r->max_body &&
            (rc = sw__rate_take(r->srv, r, SW_RATE_WRITE_BYTES, (double)len, err)))
            return rc;
        r->bytes_unpaid = route_class(found) == SW_RATE_WRITE && f.chunked;
    }
    /* A GET takes no body: refused before it is read, so that the public routes (which need
     * no key) cannot be made to buffer one. */
    if (r->has_body && (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0))
        return sw_fail(err, SW_E_BAD_REQUEST, NULL, "a %s request has no body", r->method);
    if (len > r->max_body)
        return sw_fail(err, SW_E_PAYLOAD_TOO_LARGE, NULL, "request body larger than %zu bytes",
                       r->max_body);
    if (found->write && atomic_load(&r->srv->maintenance) &&
        strcmp(found->pattern, "/v1/admin/maintenance") != 0)
        return maintenance_refusal(r->srv, err);
    if (r->has_body &&
        !json_media_type(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type")))
        return sw_fail(err, SW_E_UNSUPPORTED_MEDIA_TYPE, "Content-Type",
                       "bodies must be JSON: send Content-Type: application/json");
    if ((rc = sw__check_params(r, found->params, err)))
        return rc;
    r->route = found;
    return SW_OK;
}

static enum MHD_Result dispatch(struct sw_req *r, const char *url)
{
    struct sw_error err;
    sw_error_clear(&err);
    if (r->refused)
        return fail(r, &r->early);
    if (r->too_large) {
        sw_fail(&err, SW_E_PAYLOAD_TOO_LARGE, NULL, "request body larger than %zu bytes",
                r->max_body);
        return fail(r, &err);
    }
    if (r->bytes_unpaid) { /* a chunked write: its bytes, now that they are known */
        r->bytes_unpaid = false;
        if (r->received > 0 &&
            sw__rate_take(r->srv, r, SW_RATE_WRITE_BYTES, (double)r->received, &err))
            return fail(r, &err);
    }
    r->status = 200;
    r->parked = false;
    /* A resumed long poll runs its handler again; an answer an earlier run rendered and could
     * not queue (the daemon stopping under it) is dropped, not leaked. */
    json_decref(r->resp);
    r->resp = NULL;
    free(r->text_resp);
    r->text_resp = NULL;
    /* Cluster mode: a read of one store is answered by its partition's owner (forward.c). */
    const char *key = r->srv->read_remote ? sw__read_key(r) : NULL;
    int rc = key ? sw__forward(r, url, key, &err) : sw__route_run(r, &err);
    if (rc == SW_OK && r->parked)
        return MHD_YES; /* suspended: the handler runs again once resumed (feed.c) */
    if (rc) {
        if (err.code == SW_OK)
            sw_fail(&err, rc, NULL, "%s", sw_err_name(rc));
        return fail(r, &err);
    }
    return queue(r);
}

/* A chunked body (its size is not known up front) is kept up to the route's max_body, then only
 * counted and dropped so that the 413 can be sent once it ends: libmicrohttpd 0.9.75 accepts
 * a response only before the body is read or after all of it. Past HARD_BODY_CAP the
 * connection is closed without an answer. */
static enum MHD_Result take_upload(struct sw_req *r, const char *data, size_t *size)
{
    r->received += *size;
    if (!r->too_large && (r->received > r->max_body || !sw_buf_append(&r->body, data, *size))) {
        r->too_large = true;
        sw_buf_release(&r->body);
    }
    *size = 0;
    return r->received > HARD_BODY_CAP ? MHD_NO : MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct sw_req *r = *con_cls;
    if (r && *upload_data_size)
        return take_upload(r, upload_data, upload_data_size);
    if (r)
        return r->console ? sw__console_answer(r) : dispatch(r, url);
    r = calloc(1, sizeof *r);
    if (!r)
        return MHD_NO;
    r->etag = SW_NO_ETAG;
    r->srv = cls;
    r->engine = r->srv->engine;
    r->conn = conn;
    r->method = method;
    r->start_ns = sw__mono_ns();
    sw__request_id(conn, r->request_id);
    sw_buf_init(&r->body, SW_HTTP_MAX_BODY);
    r->max_body = SW_HTTP_MAX_BODY;
    *con_cls = r;
    if (sw__conn_over(conn)) { /* past a cap (conns.c): said at once, before the request's body */
        r->close_conn = true;
        r->retry_after_s = 1;
        sw_fail(&r->early, SW_E_BUSY, NULL,
                "too many open connections (at most %u in all, %u from one address); close idle "
                "ones or retry later",
                r->srv->conns.cap_total, r->srv->conns.cap_per_ip);
        r->refused = true;
        return fail(r, &r->early);
    }
    if (sw__console_path(url)) {
        /* answered on the next call, which keeps the connection alive (FACTS.md) */
        r->console = true;
        r->asset = sw__console_find(url);
        snprintf(r->path, sizeof r->path, "%s", url);
        return MHD_YES;
    }
    if (precheck(r, url, &r->early) == SW_OK)
        return MHD_YES;
    r->refused = true;
    /* A refused request's body is never read: answered now, on the first call, libmicrohttpd
     * skips the body and closes the connection. Without a body the answer waits for the next
     * call, which keeps the connection alive (FACTS.md). */
    return r->has_body ? fail(r, &r->early) : MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct sw_req *r = *con_cls;
    if (!r)
        return;
    sw__request_done(r, toe);
    sw_buf_release(&r->body);
    json_decref(r->resp);
    json_decref(r->err_details);
    free(r->text_resp);
    free(r);
    *con_cls = NULL;
}

static void server_free(struct sw_server *s)
{
    sw__limits_release(s);
    sw__conns_destroy(&s->conns);
    pthread_mutex_destroy(&s->maint_lock);
    sw__obs_release(s);
    pthread_rwlock_destroy(&s->auth_lock);
    free(s->auth);
    free(s);
}

/* libmicrohttpd's own messages (a failed accept, a connection refused at a limit) join the
 * JSON log on stderr. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    sw_logv(SW_LOG_WARN, "http.library", fmt, ap);
}

/* libmicrohttpd decodes the path and the query values in place into C strings, so an encoded
 * NUL ("%00") would end them early: PATCH /v1/products/p1%00zz would act on product p1, and
 * /v1/merchants/m1%00x/deposit/top-ups match another route. A NUL is in no id or value, so a
 * string holding "%00" is left undecoded: its '%' is in no id, and it is refused as any bad id
 * or value is (or found nowhere), never taken for a shorter one. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    if (strstr(s, "%00"))
        return strlen(s);
    return MHD_http_unescape(s);
}

/* Connections libmicrohttpd accepts past the server's own caps, to answer them 503 (conns.c):
 * overall, and from one address (past that, libmicrohttpd closes them without a word). */
#define CONN_RESERVE 64u
#define CONN_RESERVE_PER_IP 8u

static unsigned cap_total(const struct sw_http_config *cfg)
{
    return cfg->max_connections > 0 ? (unsigned)cfg->max_connections
                                    : SW_HTTP_DEFAULT_MAX_CONNECTIONS;
}

static unsigned cap_per_ip(const struct sw_http_config *cfg)
{
    return cfg->max_per_ip < 0    ? 0
           : cfg->max_per_ip == 0 ? SW_HTTP_DEFAULT_MAX_PER_IP
                                  : (unsigned)cfg->max_per_ip;
}

static struct MHD_Daemon *start_daemon(struct sw_server *s, const struct sw_http_config *cfg,
                                       const struct sockaddr *addr)
{
    unsigned threads = cfg->threads > 0 ? (unsigned)cfg->threads : 8;
    unsigned max = cap_total(cfg) + CONN_RESERVE;
    unsigned per_ip = cap_per_ip(cfg) ? cap_per_ip(cfg) + CONN_RESERVE_PER_IP : 0;
    unsigned idle =
        cfg->idle_timeout_s > 0 ? (unsigned)cfg->idle_timeout_s : SW_HTTP_DEFAULT_IDLE_TIMEOUT_S;
    if (max < threads * 2)
        max = threads * 2; /* libmicrohttpd gives each thread max / threads connections */
    /* No MHD_OPTION_LISTENING_ADDRESS_REUSE: it sets SO_REUSEPORT, and a second server started
     * on the same port (another database) then silently takes half of the connections.
     * libmicrohttpd's default, SO_REUSEADDR, still allows a quick restart. */
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME |
                     (addr->sa_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    return MHD_start_daemon(flags, cfg->port, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
                            mhd_log, NULL, MHD_OPTION_SOCK_ADDR, addr, MHD_OPTION_THREAD_POOL_SIZE,
                            threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                            MHD_OPTION_NOTIFY_CONNECTION, sw__conns_notify, s,
                            MHD_OPTION_CONNECTION_TIMEOUT, idle, MHD_OPTION_CONNECTION_LIMIT, max,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
                            MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
}

int sw_server_start(struct sw_engine *e, const struct sw_http_config *cfg, struct sw_server **out,
                    struct sw_error *err)
{
    if (!sw__envelope_pages_active())
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot wrap libmicrohttpd's error pages");
    struct sw_server *s = calloc(1, sizeof *s);
    if (!s)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    s->engine = e;
    s->exec = cfg->exec;
    s->cluster_metrics = cfg->metrics;
    s->read_remote = cfg->read;
    s->read_any = cfg->read_any;
    s->read_part = cfg->read_part;
    s->id_claim = cfg->id_claim;
    s->id_take = cfg->id_take;
    s->id_release = cfg->id_release;
    s->view_events = cfg->view_events;
    s->view_queue = cfg->view_queue;
    s->view_quality = cfg->view_quality;
    s->key_publish = cfg->key_publish;
    s->partitions = cfg->partitions;
    s->cluster = cfg->cluster;
    s->auth = calloc(AUTH_CACHE_SLOTS, sizeof *s->auth);
    sw__conns_init(&s->conns, cap_total(cfg), cap_per_ip(cfg));
    pthread_rwlock_init(&s->auth_lock, NULL);
    pthread_mutex_init(&s->maint_lock, NULL);
    if (!s->auth || sw__limits_init(s) != SW_OK || sw__obs_init(s) != SW_OK) {
        server_free(s);
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    }
    bool maint = false;
    int retry = 60;
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(e));
    int rc = sw_admin_maintenance_state(c, &maint, &retry, s->maint_reason, err);
    sw_pool_release(sw_engine_readers(e), c);
    if (rc) {
        server_free(s);
        return rc;
    }
    atomic_store(&s->maintenance, maint);
    atomic_store(&s->retry_after_s, retry);
    if (cfg->buyer_public_key) {
        memcpy(s->buyer_pk, cfg->buyer_public_key, sizeof s->buyer_pk);
        s->has_buyer_key = true;
    }
    /* An IPv4 address, or an IPv6 one (it has a colon). */
    const char *host = cfg->host ? cfg->host : "127.0.0.1";
    struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_port = htons(cfg->port)};
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons(cfg->port)};
    bool v6 = strchr(host, ':') != NULL;
    if (v6 ? inet_pton(AF_INET6, host, &a6.sin6_addr) != 1
           : inet_pton(AF_INET, host, &a4.sin_addr) != 1) {
        server_free(s);
        return sw_fail(err, SW_E_INVALID_VALUE, "listen", "bad listen address '%s'", host);
    }
    if (sw__feed_start(s) != SW_OK) {
        server_free(s);
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot start the event feed");
    }
    s->daemon =
        start_daemon(s, cfg, v6 ? (const struct sockaddr *)&a6 : (const struct sockaddr *)&a4);
    if (!s->daemon) {
        sw__feed_stop(s);
        sw__feed_free(s);
        server_free(s);
        return sw_fail(err, SW_E_INTERNAL, "listen", "cannot listen on %s:%u",
                       cfg->host ? cfg->host : "127.0.0.1", cfg->port);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : cfg->port;
    *out = s;
    return SW_OK;
}

uint16_t sw_server_port(const struct sw_server *s)
{
    return s->port;
}

void sw_server_stop(struct sw_server *s)
{
    if (!s)
        return;
    sw__feed_stop(s);
    MHD_stop_daemon(s->daemon);
    sw__replays_stop();
    sw__shadow_stop_all();
    sw__feed_free(s);
    server_free(s);
}
