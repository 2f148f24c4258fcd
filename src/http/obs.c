/* What the HTTP adapter tells the operator: request ids, the access log (one JSON line per
 * request on stderr) and the request latency histogram of /metrics, by route template and
 * status class. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "http/internal.h"

/* Upper bounds of the latency buckets, in seconds; the last bucket is +Inf. */
static const double BOUNDS_S[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                  0.05,   0.1,     0.25,   0.5,   1,      2.5,   5};
#define NBOUNDS (sizeof BOUNDS_S / sizeof BOUNDS_S[0])
#define NCLASSES 4 /* 2xx..5xx */

struct http_hist {
    _Atomic uint64_t bucket[NBOUNDS + 1]; /* not cumulative; rendered cumulative */
    _Atomic uint64_t sum_us;
};

int sw__obs_init(struct sw_server *s)
{
    /* One row per route of the table, plus one for requests that matched none. */
    s->hist = calloc((size_t)(sw__routes_count + 1) * NCLASSES, sizeof *s->hist);
    return s->hist ? SW_OK : SW_E_INTERNAL;
}

void sw__obs_release(struct sw_server *s)
{
    free(s->hist);
    s->hist = NULL;
}

static bool sane_id(const char *v)
{
    size_t n = v ? strlen(v) : 0;
    if (n == 0 || n > SW_REQUEST_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (v[i] < 0x20 || v[i] > 0x7E)
            return false;
    return true;
}

void sw__request_id(struct MHD_Connection *conn, char out[SW_REQUEST_ID_MAX + 1])
{
    const char *given =
        conn ? MHD_lookup_connection_value(conn, MHD_HEADER_KIND, SW_REQUEST_ID_HEADER) : NULL;
    if (sane_id(given)) {
        memcpy(out, given, strlen(given) + 1);
        return;
    }
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, SW_REQUEST_ID_MAX + 1, raw, sizeof raw);
}

static void observe(struct sw_server *s, const struct route *rt, int status, int64_t us)
{
    int cls = status / 100;
    if (cls < 2 || cls > 5)
        return;
    int row = rt ? (int)(rt - sw__routes) : sw__routes_count;
    struct http_hist *h = &s->hist[row * NCLASSES + (cls - 2)];
    size_t b = 0;
    while (b < NBOUNDS && (double)us / 1e6 > BOUNDS_S[b])
        b++;
    atomic_fetch_add(&h->bucket[b], 1);
    atomic_fetch_add(&h->sum_us, (uint64_t)us);
}

/* s as a JSON string, or null when empty. */
static const char *quoted_or_null(const char *s, char *out, size_t cap)
{
    if (!s || !s[0])
        return "null";
    out[0] = '"';
    size_t n = sw_log_escape(s, out + 1, cap - 2);
    out[n + 1] = '"';
    out[n + 2] = '\0';
    return out;
}

void sw__request_done(struct sw_req *r, enum MHD_RequestTerminationCode toe)
{
    int64_t us = (sw__mono_ns() - r->start_ns) / 1000;
    if (r->status == 0) {
        /* Nothing of ours was sent: the client went away, or the library answered itself
         * (that answer has its own line, see sw__access_log_page). */
        sw_log_fields(SW_LOG_DEBUG, "access.unanswered",
                      json_pack("{s:s,s:s,s:i,s:I}", "request_id", r->request_id, "method",
                                r->method ? r->method : "-", "termination", (int)toe, "latency_us",
                                (json_int_t)us));
        return;
    }
    observe(r->srv, r->log_route, r->status, us);
    if (!sw_log_enabled(SW_LOG_INFO))
        return;
    /* Built by hand: this line is written for every request. */
    char id[SW_REQUEST_ID_MAX * 6 + 3], key[sizeof r->key_id * 6 + 3], role[SW_ROLE_MAX * 6 + 3],
        method[64], route[256], tail[48] = "", members[2048];
    sw_log_escape(r->method ? r->method : "-", method, sizeof method);
    sw_log_escape(r->log_route ? r->log_route->pattern : "-", route, sizeof route);
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
        snprintf(tail, sizeof tail, ",\"termination\":%d", (int)toe);
    int n = snprintf(members, sizeof members,
                     "\"request_id\":%s,\"key\":%s,\"role\":%s,\"method\":\"%s\",\"route\":\"%s\","
                     "\"status\":%d,\"bytes\":%zu,\"latency_us\":%lld%s",
                     quoted_or_null(r->request_id, id, sizeof id),
                     quoted_or_null(r->key_id, key, sizeof key),
                     quoted_or_null(r->role, role, sizeof role), method, route, r->status,
                     r->resp_bytes, (long long)us, tail);
    if (n > 0 && (size_t)n < sizeof members) /* the parts are bounded to fit: never cut */
        sw_log_members(SW_LOG_INFO, "access", members);
}

void sw__access_log_page(unsigned status, size_t bytes, const char *request_id)
{
    sw_log_fields(SW_LOG_INFO, "access",
                  json_pack("{s:s,s:n,s:n,s:s,s:s,s:i,s:I,s:n}", "request_id", request_id, "key",
                            "role", "method", "-", "route", "-", "status", (int)status, "bytes",
                            (json_int_t)bytes, "latency_us"));
}

/* A label value as the exposition format wants it: backslash, quote and newline escaped. */
static void label_value(const char *in, char *out, size_t cap)
{
    size_t o = 0;
    for (; *in && o + 3 < cap; in++) {
        if (*in == '\\' || *in == '"' || *in == '\n')
            out[o++] = '\\';
        out[o++] = *in == '\n' ? 'n' : *in;
    }
    out[o] = '\0';
}

/* The series of one (route, class): "-" (no route) has no method label of its own. */
static bool render_row(struct sw_buf *b, const struct route *rt, int cls, const struct http_hist *h)
{
    uint64_t counts[NBOUNDS + 1], total = 0;
    for (size_t i = 0; i <= NBOUNDS; i++)
        total += counts[i] = atomic_load(&h->bucket[i]);
    if (total == 0)
        return true; /* a series appears with its first request */
    char lab[256];
    snprintf(lab, sizeof lab, "method=\"%s\",route=\"%s\",class=\"%dxx\"", rt ? rt->method : "-",
             rt ? rt->pattern : "-", cls);
    bool ok = true;
    uint64_t cum = 0;
    for (size_t i = 0; i < NBOUNDS; i++) {
        cum += counts[i];
        ok &= sw_buf_printf(b, "sw_http_request_duration_seconds_bucket{%s,le=\"%g\"} %llu\n", lab,
                            BOUNDS_S[i], (unsigned long long)cum);
    }
    ok &= sw_buf_printf(b,
                        "sw_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %llu\n"
                        "sw_http_request_duration_seconds_sum{%s} %.6f\n"
                        "sw_http_request_duration_seconds_count{%s} %llu\n",
                        lab, (unsigned long long)total, lab, (double)atomic_load(&h->sum_us) / 1e6,
                        lab, (unsigned long long)total);
    return ok;
}

bool sw__http_metrics(struct sw_server *s, struct sw_buf *b)
{
    char policy[sizeof sw_engine_policy(s->engine)->version * 2];
    label_value(sw_engine_policy(s->engine)->version, policy, sizeof policy);
    bool ok = sw_buf_printf(
        b,
        "# HELP sw_build_info The running build: version and policy version; always 1.\n"
        "# TYPE sw_build_info gauge\n"
        "sw_build_info{version=\"%s\",policy_version=\"%s\"} 1\n"
        "# HELP sw_http_request_duration_seconds Time from the request line to the end of the "
        "answer, by method, route template (\"-\": no route matched) and status class.\n"
        "# TYPE sw_http_request_duration_seconds histogram\n",
        SW_VERSION, policy);
    for (int row = 0; row <= sw__routes_count; row++) {
        const struct route *rt = row < sw__routes_count ? &sw__routes[row] : NULL;
        for (int c = 0; c < NCLASSES; c++)
            ok &= render_row(b, rt, c + 2, &s->hist[row * NCLASSES + c]);
    }
    if (s->cluster_metrics)
        ok &= s->cluster_metrics(s->cluster, b);
    return ok;
}
