#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/json.h"
#include "base/log.h"
#include "http/internal.h"

#define HARD_BODY_CAP ((size_t)16 << 20)

static json_t *error_body(const struct sw_error *err)
{
    json_t *details = json_object();
    if (err->field[0])
        json_object_set_new(details, "field", json_string(err->field));
    return json_pack("{s:{s:s,s:s,s:o}}", "error", "code", sw_err_name(err->code), "message",
                     err->msg, "details", details);
}

static enum MHD_Result queue(struct sw_req *r)
{
    char *text;
    const char *ctype = "application/json";
    if (r->text_resp) {
        text = r->text_resp;
        r->text_resp = NULL;
        if (!r->text_is_json)
            ctype = "text/plain; version=0.0.4";
    } else {
        text = r->resp ? sw_json_dump(r->resp) : strdup("{}");
    }
    size_t n = text ? strlen(text) : 0;
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        n, text ? text : (char *)"", text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    if (r->status == 503) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", atomic_load(&r->srv->retry_after_s));
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
    }
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

static enum MHD_Result fail(struct sw_req *r, const struct sw_error *err)
{
    json_decref(r->resp);
    r->resp = error_body(err);
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

static enum MHD_Result dispatch(struct sw_req *r, const char *url)
{
    struct sw_error err;
    sw_error_clear(&err);
    const struct route *found = NULL;
    bool path_known = false;
    for (int i = 0; i < sw__routes_count; i++) {
        const struct route *rt = &sw__routes[i];
        if (!match(r, rt->pattern, url))
            continue;
        path_known = true;
        if (strcmp(rt->method, r->method) == 0) {
            found = rt;
            break;
        }
    }
    if (!found) {
        if (path_known)
            sw_fail(&err, SW_E_METHOD_NOT_ALLOWED, NULL, "method %s not allowed on '%s'", r->method,
                    url);
        else
            sw_fail(&err, SW_E_ROUTE_NOT_FOUND, NULL, "no route '%s %s'", r->method, url);
        return fail(r, &err);
    }
    if (!(found->roles & ROLE_PUBLIC)) {
        if (sw__auth(r->srv, r, &err))
            return fail(r, &err);
        if (!allowed(found, r)) {
            sw_fail(&err, SW_E_FORBIDDEN, NULL, "role '%s' may not %s %s", r->role, r->method,
                    found->pattern);
            return fail(r, &err);
        }
    }
    if (r->too_large) {
        sw_fail(&err, SW_E_PAYLOAD_TOO_LARGE, NULL, "request body larger than %zu bytes",
                SW_HTTP_MAX_BODY);
        return fail(r, &err);
    }
    if (found->write && atomic_load(&r->srv->maintenance) &&
        strcmp(found->pattern, "/v1/admin/maintenance") != 0) {
        sw_fail(&err, SW_E_MAINTENANCE, NULL, "the service is in maintenance; retry later");
        return fail(r, &err);
    }
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
    if (r->body.len && ct && strncmp(ct, "application/json", 16) != 0) {
        sw_fail(&err, SW_E_UNSUPPORTED_MEDIA_TYPE, "Content-Type",
                "bodies must be JSON: send Content-Type: application/json");
        return fail(r, &err);
    }
    r->status = 200;
    r->route = found;
    int rc = found->fn(r, &err);
    if (rc) {
        if (err.code == SW_OK)
            sw_fail(&err, rc, NULL, "%s", sw_err_name(rc));
        return fail(r, &err);
    }
    return queue(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct sw_server *s = cls;
    struct sw_req *r = *con_cls;
    if (!r) {
        /* Answering on the first call makes libmicrohttpd 0.9.75 close keep-alive connections
         * (FACTS.md: 11.6k vs 99.6k req/s), so the first call only sets up the request. */
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        r->srv = s;
        r->conn = conn;
        r->method = method;
        sw_buf_init(&r->body, SW_HTTP_MAX_BODY);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > SW_HTTP_MAX_BODY)
            r->too_large = true;
        *con_cls = r;
        return MHD_YES;
    }
    if (*upload_data_size) {
        r->received += *upload_data_size;
        if (!r->too_large && !sw_buf_append(&r->body, upload_data, *upload_data_size))
            r->too_large = true;
        *upload_data_size = 0;
        if (r->received > HARD_BODY_CAP) {
            struct sw_error err;
            sw_fail(&err, SW_E_PAYLOAD_TOO_LARGE, NULL, "request body larger than %zu bytes",
                    SW_HTTP_MAX_BODY);
            return fail(r, &err);
        }
        return MHD_YES;
    }
    return dispatch(r, url);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct sw_req *r = *con_cls;
    if (!r)
        return;
    sw_buf_release(&r->body);
    json_decref(r->resp);
    free(r->text_resp);
    free(r);
    *con_cls = NULL;
}

int sw_server_start(struct sw_engine *e, const struct sw_http_config *cfg, struct sw_server **out,
                    struct sw_error *err)
{
    struct sw_server *s = calloc(1, sizeof *s);
    if (!s)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    s->engine = e;
    s->auth = calloc(AUTH_CACHE_SLOTS, sizeof *s->auth);
    pthread_rwlock_init(&s->auth_lock, NULL);
    bool maint = false;
    int retry = 60;
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(e));
    int rc = sw_admin_maintenance_state(c, &maint, &retry, err);
    sw_pool_release(sw_engine_readers(e), c);
    if (rc) {
        free(s->auth);
        free(s);
        return rc;
    }
    atomic_store(&s->maintenance, maint);
    atomic_store(&s->retry_after_s, retry);
    if (cfg->buyer_public_key) {
        memcpy(s->buyer_pk, cfg->buyer_public_key, sizeof s->buyer_pk);
        s->has_buyer_key = true;
    }

    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(cfg->port)};
    if (inet_pton(AF_INET, cfg->host ? cfg->host : "127.0.0.1", &addr.sin_addr) != 1) {
        free(s->auth);
        free(s);
        return sw_fail(err, SW_E_INVALID_VALUE, "listen", "bad listen address '%s'", cfg->host);
    }
    int threads = cfg->threads > 0 ? cfg->threads : 8;
    s->daemon = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, cfg->port, NULL,
                                 NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
                                 (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
                                 (unsigned)threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                                 MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096, MHD_OPTION_END);
    /* No MHD_OPTION_LISTENING_ADDRESS_REUSE: it sets SO_REUSEPORT, and a second server started
     * on the same port (another database) then silently takes half of the connections.
     * libmicrohttpd's default, SO_REUSEADDR, still allows a quick restart. */
    if (!s->daemon) {
        free(s->auth);
        free(s);
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
    MHD_stop_daemon(s->daemon);
    pthread_rwlock_destroy(&s->auth_lock);
    free(s->auth);
    free(s);
}
