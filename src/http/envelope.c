/* Error bodies. Every answer that is not a success is
 * {"error":{"code","message","details","request_id"}}, whatever produced it: our handlers, a
 * message that echoes bytes a client sent, or libmicrohttpd's own refusals of requests it cannot
 * parse. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "http/internal.h"

/* Length of the valid UTF-8 sequence at s (n bytes available), or 0 when the bytes there are
 * not one (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF, or a
 * sequence cut short). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

/* The length of s without a character cut short at its end (what a bounded snprintf leaves
 * when it truncates a message inside a multi-byte character). */
static size_t without_cut_tail(const unsigned char *s, size_t n)
{
    size_t i = n;
    while (i > 0 && n - i < 3 && (s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0 || s[i - 1] < 0xC2 || s[i - 1] > 0xF4)
        return n;
    size_t want = s[i - 1] >= 0xF0 ? 4 : s[i - 1] >= 0xE0 ? 3 : 2;
    return n - (i - 1) < want ? i - 1 : n;
}

size_t sw__utf8_clean(const char *in, char *out, size_t cap)
{
    static const char repl[] = "\xEF\xBF\xBD"; /* U+FFFD */
    const unsigned char *s = (const unsigned char *)in;
    size_t n = without_cut_tail(s, strlen(in)), o = 0;
    if (cap == 0)
        return 0;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_seq(s + i, n - i);
        const char *src = len ? in + i : repl;
        size_t w = len ? len : 3;
        if (o + w >= cap)
            break; /* whole characters only: the cut never splits one */
        memcpy(out + o, src, w);
        o += w;
        i += len ? len : 1;
    }
    out[o] = '\0';
    return o;
}

json_t *sw__error_body(const struct sw_error *err, const char *request_id)
{
    char msg[sizeof err->msg * 3], field[sizeof err->field * 3];
    sw__utf8_clean(err->msg, msg, sizeof msg);
    sw__utf8_clean(err->field, field, sizeof field);
    json_t *details = json_object();
    if (field[0])
        json_object_set_new(details, "field", json_string(field));
    json_t *body = json_pack("{s:{s:s,s:s,s:o}}", "error", "code", sw_err_name(err->code),
                             "message", msg, "details", details);
    if (body && request_id)
        json_object_set_new(json_object_get(body, "error"), "request_id", json_string(request_id));
    return body;
}

char *sw__error_text(const struct sw_error *err, const char *request_id)
{
    json_t *body = sw__error_body(err, request_id);
    char *text = body ? sw_json_dump(body) : NULL;
    json_decref(body);
    if (!text)
        text = strdup("{\"error\":{\"code\":\"internal\",\"message\":\"cannot render the error\","
                      "\"details\":{}}}");
    return text;
}

/* ---------- libmicrohttpd's own error pages ----------
 *
 * libmicrohttpd 0.9.75 answers requests it cannot parse (a request line or header section
 * larger than the connection's memory, a malformed header or chunk, a bad Content-Length, an
 * HTTP version it does not speak) itself, with fixed HTML pages, before the access handler
 * sees anything, and has no option to replace them. It builds each page with its own public
 * MHD_create_response_from_buffer() and queues it with MHD_queue_response(), both called
 * through the library's PLT. The two definitions below, linked into the executable, come
 * first in symbol lookup: they pass everything through to the library (found with
 * dlsym(RTLD_NEXT)) except a page the library made itself, which is swapped for an envelope
 * with the same status. test_http_hardening.py checks each case with raw requests. */

typedef struct MHD_Response *(*create_fn)(size_t, void *, enum MHD_ResponseMemoryMode);
typedef enum MHD_Result (*queue_fn)(struct MHD_Connection *, unsigned int, struct MHD_Response *);

static create_fn real_create;
static queue_fn real_queue;
static pthread_once_t resolved = PTHREAD_ONCE_INIT;
/* The library's last page made on this thread, until it is queued. */
static _Thread_local struct MHD_Response *page;
static _Thread_local const char *page_text;

static void resolve(void)
{
    /* POSIX guarantees dlsym's object pointer holds a function pointer; ISO C has no cast. */
    void *create = dlsym(RTLD_NEXT, "MHD_create_response_from_buffer");
    void *queue = dlsym(RTLD_NEXT, "MHD_queue_response");
    if (create && queue) {
        memcpy(&real_create, &create, sizeof real_create);
        memcpy(&real_queue, &queue, sizeof real_queue);
    }
}

/* A Content-Length that is not a number or overflows, and a missing Host, are refused while
 * the headers are parsed, and 0.9.75 then goes on to write the status line and headers a
 * second time (a corrupt answer, whatever its body). For those, the queue is refused, and the
 * library closes the connection without an answer (docs/api.md). */
#define CLOSE_ONLY (-1)

static const struct {
    const char *needle; /* in the library's page; NULL matches any page with the status */
    const char *message;
    int status;
    int code; /* or CLOSE_ONLY */
} PAGES[] = {
    {"chunked", "malformed chunked encoding", 400, SW_E_BAD_REQUEST},
    {"Content-Length", NULL, 400, CLOSE_ONLY},
    {"Host:", NULL, 400, CLOSE_ONLY},
    {NULL, "malformed HTTP request", 400, SW_E_BAD_REQUEST},
    {"chunk", "chunk size too large", 413, SW_E_PAYLOAD_TOO_LARGE},
    {"Content-Length", NULL, 413, CLOSE_ONLY},
    {NULL, "request line longer than the server accepts", 414, SW_E_URI_TOO_LONG},
    {NULL, "request headers larger than the server accepts", 431, SW_E_HEADERS_TOO_LARGE},
    {NULL, "HTTP version not supported: use HTTP/1.1", 505, SW_E_HTTP_VERSION_NOT_SUPPORTED},
};

/* The envelope for the library's page; NULL with *close set when the connection is to be
 * closed without an answer. */
static struct MHD_Response *page_as_envelope(unsigned int status, const char *html, bool *close)
{
    struct sw_error err;
    sw_fail(&err, SW_E_INTERNAL, NULL, "the server could not handle the request");
    *close = false;
    for (size_t i = 0; i < sizeof PAGES / sizeof PAGES[0]; i++) {
        if (PAGES[i].status == (int)status &&
            (!PAGES[i].needle || (html && strstr(html, PAGES[i].needle)))) {
            if (PAGES[i].code == CLOSE_ONLY) {
                *close = true;
                return NULL;
            }
            sw_fail(&err, PAGES[i].code, NULL, "%s", PAGES[i].message);
            break;
        }
    }
    if (err.code == SW_E_INTERNAL && status >= 400 && status < 500)
        sw_fail(&err, SW_E_BAD_REQUEST, NULL, "the server could not parse the request");
    /* The request could not be read, so a client's X-Request-Id is not known: one is made. */
    char rid[SW_REQUEST_ID_MAX + 1];
    sw__request_id(NULL, rid);
    char *text = sw__error_text(&err, rid);
    if (!text)
        return NULL;
    size_t n = strlen(text);
    struct MHD_Response *r = real_create(n, text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return NULL;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    MHD_add_response_header(r, SW_REQUEST_ID_HEADER, rid);
    sw__access_log_page(status, n, rid);
    return r;
}

struct MHD_Response *MHD_create_response_from_buffer(size_t size, void *buffer,
                                                     enum MHD_ResponseMemoryMode mode)
{
    pthread_once(&resolved, resolve);
    struct MHD_Response *r = real_create(size, buffer, mode);
    /* Only the library's pages are static HTML; ours are JSON or metrics text. */
    bool lib_page =
        r && mode == MHD_RESPMEM_PERSISTENT && size >= 6 && memcmp(buffer, "<html>", 6) == 0;
    page = lib_page ? r : NULL;
    page_text = lib_page ? buffer : NULL;
    return r;
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
                                   struct MHD_Response *response)
{
    pthread_once(&resolved, resolve);
    if (!response || response != page)
        return real_queue(connection, status_code, response);
    page = NULL;
    bool close;
    struct MHD_Response *json = page_as_envelope(status_code, page_text, &close);
    if (close)
        return MHD_NO;
    if (!json)
        return real_queue(connection, status_code, response);
    enum MHD_Result ret = real_queue(connection, status_code, json);
    MHD_destroy_response(json); /* the connection holds its own reference */
    return ret;
}

bool sw__envelope_pages_active(void)
{
    pthread_once(&resolved, resolve);
    return real_create && real_queue;
}
