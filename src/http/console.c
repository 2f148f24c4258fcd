/* The browser console (web/, docs/console.md): its bundle is embedded in the binary and served
 * at /console by the same server as the API, which the console calls with the key its user
 * signed in with. No key is needed for the files themselves: they hold no data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"

#define CONSOLE_PREFIX "/console"

bool sw__console_path(const char *url)
{
    size_t n = strlen(CONSOLE_PREFIX);
    return strncmp(url, CONSOLE_PREFIX, n) == 0 && (url[n] == '\0' || url[n] == '/');
}

static const struct sw_embedded_file *asset(const char *name)
{
    for (int i = 0; i < sw__console_files_count; i++)
        if (strcmp(sw__console_files[i].path, name) == 0)
            return &sw__console_files[i];
    return NULL;
}

/* /console/app.js is the file; /console, /console/ and any path whose last segment has no dot
 * (/console/stores/m1, a page of the app) is index.html, so that a reload or a shared link
 * opens the page; a missing file with an extension is a 404, not the page. */
const struct sw_embedded_file *sw__console_find(const char *url)
{
    const char *rest = url + strlen(CONSOLE_PREFIX);
    if (*rest == '/')
        rest++;
    const struct sw_embedded_file *f = *rest ? asset(rest) : NULL;
    if (f)
        return f;
    const char *last = strrchr(url, '/');
    if (last && strchr(last, '.'))
        return NULL;
    return asset("index.html");
}

static const char *content_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".json", "application/json"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

/* Only GET and HEAD; a missing file is the API's JSON 404. The page may load nothing but its
 * own files and talk to nothing but this server (Content-Security-Policy). */
enum MHD_Result sw__console_answer(struct sw_req *r)
{
    struct sw_error err;
    bool read = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
    if (!read || !r->asset) {
        if (!read)
            sw_fail(&err, SW_E_METHOD_NOT_ALLOWED, NULL, "method %s not allowed on the console",
                    r->method);
        else
            sw_fail(&err, SW_E_ROUTE_NOT_FOUND, NULL, "no console file '%s'", r->path);
        r->status = sw_err_http_status(err.code);
        char *text = sw__error_text(&err, r->request_id);
        size_t n = text ? strlen(text) : 0;
        struct MHD_Response *resp = MHD_create_response_from_buffer(
            n, text ? text : (char *)"", text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
        if (!resp) {
            free(text);
            return MHD_NO;
        }
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
        if (!read)
            MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
        MHD_add_response_header(resp, SW_REQUEST_ID_HEADER, r->request_id);
        r->resp_bytes = n;
        enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
        MHD_destroy_response(resp);
        return ret;
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->asset->len, (void *)r->asset->data, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type(r->asset->path));
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                            "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
    MHD_add_response_header(resp, SW_REQUEST_ID_HEADER, r->request_id);
    r->status = 200;
    r->resp_bytes = r->asset->len;
    enum MHD_Result ret = MHD_queue_response(r->conn, 200, resp);
    MHD_destroy_response(resp);
    return ret;
}
