#include "base/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_int min_level = SW_LOG_INFO;
static atomic_bool as_json = false;
static const char *const NAMES[] = {"debug", "info", "warn", "error"};

void sw_log_set_level(enum sw_log_level level)
{
    atomic_store(&min_level, (int)level);
}

void sw_log_set_json(bool json)
{
    atomic_store(&as_json, json);
}

bool sw_log_is_json(void)
{
    return atomic_load(&as_json);
}

bool sw_log_parse_level(const char *name, enum sw_log_level *out)
{
    for (int i = SW_LOG_DEBUG; i <= SW_LOG_ERROR; i++) {
        if (strcmp(name, NAMES[i]) == 0) {
            *out = (enum sw_log_level)i;
            return true;
        }
    }
    return false;
}

bool sw_log_enabled(enum sw_log_level level)
{
    return (int)level >= atomic_load(&min_level);
}

/* One write() per line: a pipe takes up to PIPE_BUF bytes atomically, and a longer line is
 * still one call (only a short write, rare, continues it). */
static void write_line(const char *text, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, text, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        text += w;
        n -= (size_t)w;
    }
}

/* A JSON string of s; bytes of invalid UTF-8 become '?' rather than losing the line. */
static json_t *safe_string(const char *s)
{
    json_t *v = json_string(s);
    if (v)
        return v;
    char *copy = strdup(s);
    if (!copy)
        return json_string("?");
    for (char *p = copy; *p; p++)
        if ((unsigned char)*p >= 0x80)
            *p = '?';
    v = json_string(copy);
    free(copy);
    return v;
}

/* Logging is an adapter concern; this is the one place in base that reads the wall clock. */
static void format_now(char out[40])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char day[24];
    strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 40, "%s.%06ldZ", day, ts.tv_nsec / 1000);
}

void sw_log_fields(enum sw_log_level level, const char *event, json_t *fields)
{
    if (!sw_log_enabled(level)) {
        json_decref(fields);
        return;
    }
    char now[40];
    format_now(now);
    json_t *o = json_object();
    json_object_set_new(o, "time", json_string(now));
    json_object_set_new(o, "level", json_string(NAMES[level]));
    json_object_set_new(o, "event", safe_string(event));
    const char *k;
    json_t *v;
    json_object_foreach(fields, k, v)
    {
        json_object_set(o, k, v);
    }
    json_decref(fields);
    char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!line)
        return;
    size_t n = strlen(line);
    char *full = realloc(line, n + 2);
    if (full) {
        full[n] = '\n';
        full[n + 1] = '\0';
        write_line(full, n + 1);
    }
    free(full ? full : line);
}

size_t sw_log_escape(const char *in, char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        char esc[7] = {0};
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
        } else if (*p < 0x20 || *p == 0x7F) {
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[*p >> 4];
            esc[5] = hex[*p & 15];
        } else {
            esc[0] = *p >= 0x80 ? '?' : (char)*p;
        }
        size_t n = strlen(esc);
        if (o + n >= cap)
            break;
        memcpy(out + o, esc, n);
        o += n;
    }
    if (cap)
        out[o] = '\0';
    return o;
}

void sw_log_members(enum sw_log_level level, const char *event, const char *members)
{
    if (!sw_log_enabled(level))
        return;
    char now[40], ev[128], line[4096];
    format_now(now);
    sw_log_escape(event, ev, sizeof ev);
    int n = snprintf(line, sizeof line, "{\"time\":\"%s\",\"level\":\"%s\",\"event\":\"%s\",%s}\n",
                     now, NAMES[level], ev, members);
    if (n > 0 && (size_t)n < sizeof line)
        write_line(line, (size_t)n);
}

void sw_log(enum sw_log_level level, const char *event, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sw_logv(level, event, fmt, ap);
    va_end(ap);
}

void sw_logv(enum sw_log_level level, const char *event, const char *fmt, va_list ap)
{
    if (!sw_log_enabled(level))
        return;
    char msg[2048];
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* the library's messages end with a newline; a line has none */
    size_t len = strlen(msg);
    while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
        msg[--len] = '\0';
    if (!atomic_load(&as_json)) {
        char line[sizeof msg + 16];
        int n = snprintf(line, sizeof line, "shopwarden: %s\n", msg);
        write_line(line, n < (int)sizeof line ? (size_t)n : sizeof line - 1);
        return;
    }
    json_t *f = json_object();
    json_object_set_new(f, "msg", safe_string(msg));
    sw_log_fields(level, event, f);
}
