/* libFuzzer: arbitrary HTTP requests against the real server (in process, on a loopback port),
 * through libmicrohttpd, authentication, rate limits, routing, the handlers and the engine.
 *
 * Input: byte 0 picks the key (none, admin, merchant:m1, app:a1, ingest); the rest is
 * "METHOD TARGET\n" + header lines + "\n\n" + body. The request is framed with a Content-Length
 * of the body unless the input brings its own Content-Length or Transfer-Encoding; bytes that
 * do not fit that shape go to the server as they are. The property: whatever the server answers
 * is a whole HTTP answer whose body is JSON, and an error is the envelope
 * {"error":{"code","message","details"}}. The only other success bodies are /metrics' text and
 * the console's files (a GET of /console/... answers 200 with the file's own type: index.html
 * for a path whose last segment has no dot, docs/console.md); their errors are JSON too.
 * A closed connection without an answer is allowed (docs/api.md names the two cases). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "base/buf.h"
#include "domain/domain.h"
#include "engine/engine.h"
#include "http/http.h"

#define MAX_ANSWER ((size_t)4 << 20)

static struct sw_engine *engine;
static struct sw_policy *policy;
static struct sw_clock clk;
static struct sw_server *server;
static uint16_t port;
static char keys[5][64]; /* keys[0] stays empty: no Authorization header */

static void run(const char *type, json_t *payload)
{
    struct sw_cmd c = {.type = type, .actor = "admin", .payload = payload};
    if (sw_engine_execute(engine, &c) != SW_OK)
        abort();
    sw_cmd_release(&c);
    json_decref(payload);
}

static void add_key(int i, const char *role)
{
    char hex[65];
    sw_key_generate(keys[i], hex);
    char id[16];
    snprintf(id, sizeof id, "fuzz-%d", i);
    run("key.create", json_pack("{s:s,s:s,s:s}", "id", id, "role", role, "hash", hex));
}

static void setup(void)
{
    char dir[] = "/tmp/sw-fuzz-http-XXXXXX";
    static char db[64];
    struct sw_error err;
    if (sodium_init() < 0 || !mkdtemp(dir) || sw_policy_load_default(&policy, &err))
        abort();
    snprintf(db, sizeof db, "%s/fuzz.db", dir);
    /* Rate limits out of the way, so that every input reaches the handlers. */
    for (int c = 0; c < SW_RATE__COUNT; c++)
        policy->rate_limits.classes[c] = (struct sw_rate_limit){1000000, 10000000};
    sw_clock_init_manual(&clk, INT64_C(1767574800000000));
    struct sw_engine_config cfg = {.db_path = db, .policy = policy, .clock = &clk};
    if (sw_engine_open(&cfg, &engine, &err) || sw_domain_register_all(engine) ||
        sw_engine_start(engine, &err))
        abort();
    run("merchant.create",
        json_pack("{s:s,s:s,s:[s]}", "id", "m1", "name", "fuzz", "categories", "beauty.skincare"));
    static const char *const roles[] = {NULL, "admin", "merchant:m1", "app:a1", "ingest"};
    for (int i = 1; i < 5; i++)
        add_key(i, roles[i]);
    /* A short idle timeout: an input that leaves a request unfinished waits for it. */
    struct sw_http_config hc = {.host = "127.0.0.1", .port = 0, .threads = 2, .idle_timeout_s = 1};
    if (sw_server_start(engine, &hc, &server, &err))
        abort();
    port = sw_server_port(server);
}

/* The request the input describes (see the top of the file). */
static bool frame(const uint8_t *data, size_t size, struct sw_buf *req)
{
    const char *in = (const char *)data + 1;
    size_t n = size - 1;
    const char *sep = memmem(in, n, "\n\n", 2);
    size_t head = sep ? (size_t)(sep - in) : n;
    const char *body = sep ? sep + 2 : in + n;
    size_t body_len = (size_t)(in + n - body);
    const char *nl = memchr(in, '\n', head);
    size_t line = nl ? (size_t)(nl - in) : head;
    /* Connection: close, because libmicrohttpd 0.9.75 notices the client's half-close only at
     * the idle timeout: the answer is whole once the server closes. */
    bool ok = sw_buf_append(req, in, line) &&
              sw_buf_puts(req, " HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n");
    if (keys[data[0] % 5][0])
        ok = ok && sw_buf_printf(req, "Authorization: Bearer %s\r\n", keys[data[0] % 5]);
    bool framed = false;
    for (size_t i = line; ok && i < head;) {
        const char *e = memchr(in + i + 1, '\n', head - i - 1);
        size_t end = e ? (size_t)(e - in) : head;
        const char *h = in + i + 1;
        size_t hl = end > i + 1 ? end - i - 1 : 0;
        framed |= (hl >= 14 && strncasecmp(h, "content-length", 14) == 0) ||
                  (hl >= 17 && strncasecmp(h, "transfer-encoding", 17) == 0);
        ok = sw_buf_append(req, h, hl) && sw_buf_puts(req, "\r\n");
        i = end;
    }
    if (ok && !framed)
        ok = sw_buf_printf(req, "Content-Length: %zu\r\n", body_len);
    return ok && sw_buf_puts(req, "\r\n") && sw_buf_append(req, body, body_len);
}

/* Sends the request, half-closes, and reads until the server closes. */
static bool exchange(const struct sw_buf *req, struct sw_buf *ans)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    struct timeval tv = {.tv_sec = 30};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        abort();
    size_t off = 0;
    while (off < req->len) {
        ssize_t w = send(fd, req->data + off, req->len - off, MSG_NOSIGNAL);
        if (w <= 0)
            break; /* answered early and closed: read what came */
        off += (size_t)w;
    }
    shutdown(fd, SHUT_WR);
    char buf[65536];
    ssize_t got;
    bool ok = true;
    while ((got = recv(fd, buf, sizeof buf, 0)) > 0)
        ok = ok && sw_buf_append(ans, buf, (size_t)got);
    close(fd);
    return ok;
}

/* A type the console's files are served with (src/http/console.c); JSON is checked as JSON. */
static bool console_type(const char *ct)
{
    static const char *const types[] = {"text/html", "text/javascript", "text/css", "image/svg+xml",
                                        "image/png"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strncmp(ct, types[i], strlen(types[i])) == 0)
            return true;
    return false;
}

/* Checks the answer at a (console: some request of the input names /console, whose files
 * may answer) and returns its length (more may follow when the input pipelined
 * requests with its own framing). */
static size_t check_answer(const char *a, size_t n, bool head_request, bool console)
{
    const char *end = memmem(a, n, "\r\n\r\n", 4);
    if (strncmp(a, "HTTP/1.1 ", 9) != 0 || !end)
        abort();
    int status = atoi(a + 9);
    size_t hl = (size_t)(end - a);
    char *head = strndup(a, hl);
    char *cl = strcasestr(head, "\r\nContent-Length: ");
    char *ct = strcasestr(head, "\r\nContent-Type: ");
    size_t body_len = cl ? strtoul(cl + 18, NULL, 10) : 0;
    bool metrics = ct && strncmp(ct + 16, "text/plain", 10) == 0 && status == 200;
    bool file = console && ct && status == 200 && console_type(ct + 16);
    if (!cl ||
        (!head_request && (!ct || (!metrics && !file && strncmp(ct + 16, "application/json", 16)))))
        abort();
    free(head);
    if (head_request)
        return n;
    if (hl + 4 + body_len > n) /* a whole answer, nothing cut */
        abort();
    if (metrics || file)
        return hl + 4 + body_len;
    json_error_t je;
    json_t *doc = json_loadb(end + 4, body_len, JSON_DECODE_ANY, &je);
    if (!doc)
        abort();
    if (status >= 400) {
        json_t *e = json_object_get(doc, "error");
        if (json_object_size(doc) != 1 || !json_is_string(json_object_get(e, "code")) ||
            !json_is_string(json_object_get(e, "message")) ||
            !json_is_object(json_object_get(e, "details")))
            abort();
    }
    json_decref(doc);
    return hl + 4 + body_len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!server)
        setup();
    if (size < 2)
        return 0;
    struct sw_buf req, ans;
    sw_buf_init(&req, MAX_ANSWER);
    sw_buf_init(&ans, MAX_ANSWER);
    /* An empty answer is a connection closed without one. */
    if (frame(data, size, &req) && exchange(&req, &ans))
        for (size_t off = 0; off < ans.len;)
            off += check_answer(ans.data + off, ans.len - off,
                                size >= 5 && memcmp(data + 1, "HEAD", 4) == 0,
                                memmem(data, size, "/console", 8) != NULL);
    sw_buf_release(&req);
    sw_buf_release(&ans);
    return 0;
}
