#include "base/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/instant.h"
#include "base/money.h"

bool sw_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        size_t n;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if ((size_t)(end - p) <= n)
            return false;
        for (size_t i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += n + 1;
    }
    return true;
}

int sw_json_depth(const json_t *v)
{
    int best = 0;
    if (json_is_object(v)) {
        const char *k;
        json_t *c;
        json_object_foreach((json_t *)v, k, c)
        {
            int d = sw_json_depth(c);
            if (d > best)
                best = d;
        }
        return best + 1;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c)
        {
            int d = sw_json_depth(c);
            if (d > best)
                best = d;
        }
        return best + 1;
    }
    return 0;
}

/* Counts nesting before handing the text to jansson, so a hostile 100k-deep document costs a
 * linear scan and no recursion. */
static int text_depth_exceeds(const char *buf, size_t len, int limit)
{
    int depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            if (++depth > limit)
                return 1;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return 0;
}

/* The path (`a.b[2]`, as the field names of errors are written) of the string value `mark`. */
static bool path_of(const json_t *v, const char *mark, char *path, size_t cap)
{
    size_t n = strlen(path);
    if (json_is_string(v))
        return strcmp(json_string_value(v), mark) == 0;
    if (json_is_array(v))
        for (size_t i = 0; i < json_array_size(v); i++) {
            snprintf(path + n, cap - n, "[%zu]", i);
            if (path_of(json_array_get(v, i), mark, path, cap))
                return true;
        }
    const char *k;
    const json_t *x;
    json_object_foreach((json_t *)v, k, x)
    {
        snprintf(path + n, cap - n, "%s%s", n ? "." : "", k);
        if (path_of(x, mark, path, cap))
            return true;
    }
    path[n] = '\0';
    return false;
}

/* A number beyond what 64 bits hold is valid JSON that jansson refuses: it is the client's bad
 * value, named like any other (`invalid_value`, `details.field`), not a malformed body. The
 * number (it ends where jansson stopped) is swapped for a mark that parses, and the mark found. */
static int number_overflow(const char *buf, size_t len, size_t end, struct sw_error *err)
{
    size_t start = end < len ? end : len;
    while (start > 0 && strchr("0123456789+-.eE", buf[start - 1]))
        start--;
    static const char mark[] = "\"\\u0001sw-number-overflow\"";
    char *text = malloc(len + sizeof mark);
    json_t *v = NULL;
    char path[256] = "";
    if (text && start < end && end <= len) {
        memcpy(text, buf, start);
        memcpy(text + start, mark, sizeof mark - 1);
        memcpy(text + start + sizeof mark - 1, buf + end, len - end);
        /* a second number too large fails this parse: the first one is named all the same */
        v = json_loadb(text, start + sizeof mark - 1 + len - end, JSON_DECODE_ANY, NULL);
    }
    bool found = v && path_of(v, "\001sw-number-overflow", path, sizeof path) && path[0];
    /* an error's field holds 63 bytes: cut a longer path where a character starts, so that it
     * stays valid UTF-8 (the field is logged and returned as JSON) */
    size_t cut = strlen(path);
    if (cut > 63) {
        cut = 63;
        while (cut > 0 && ((unsigned char)path[cut] & 0xC0) == 0x80)
            cut--;
        path[cut] = '\0';
    }
    json_decref(v);
    free(text);
    if (!found)
        return sw_fail(err, SW_E_INVALID_VALUE, NULL,
                       "a number in the document is beyond the 64-bit range");
    return sw_fail(err, SW_E_INVALID_VALUE, path, "'%s' is a number beyond the 64-bit range", path);
}

int sw_json_parse(const char *buf, size_t len, json_t **out, struct sw_error *err)
{
    if (len > SW_JSON_MAX_BYTES)
        return sw_fail(err, SW_E_PAYLOAD_TOO_LARGE, NULL, "document larger than %zu bytes",
                       SW_JSON_MAX_BYTES);
    if (!sw_utf8_valid(buf, len))
        return sw_fail(err, SW_E_INVALID_UTF8, NULL, "body is not valid UTF-8");
    if (text_depth_exceeds(buf, len, SW_JSON_MAX_DEPTH))
        return sw_fail(err, SW_E_JSON_TOO_DEEP, NULL, "document nested deeper than %d",
                       SW_JSON_MAX_DEPTH);
    json_error_t je;
    json_t *v = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!v) {
        int code = SW_E_INVALID_JSON;
        if (json_error_code(&je) == json_error_invalid_utf8)
            code = SW_E_INVALID_UTF8;
        if (json_error_code(&je) == json_error_numeric_overflow)
            return number_overflow(buf, len, (size_t)je.position, err);
        return sw_fail(err, code, NULL, "invalid json at line %d column %d: %s", je.line, je.column,
                       je.text);
    }
    *out = v;
    return SW_OK;
}

int sw_json_parse_object(const char *buf, size_t len, json_t **out, struct sw_error *err)
{
    json_t *v = NULL;
    int rc = sw_json_parse(buf, len, &v, err);
    if (rc)
        return rc;
    if (!json_is_object(v)) {
        json_decref(v);
        return sw_fail(err, SW_E_WRONG_TYPE, NULL, "body must be a json object");
    }
    *out = v;
    return SW_OK;
}

/* A compact serialiser with jansson's output (JSON_COMPACT, insertion order, UTF-8 kept,
 * the same escapes), several times faster on CJK text: jansson walks every string one
 * codepoint at a time, this copies runs that need no escaping with memcpy. It is on the
 * writer's hot path (payloads, state rows, events, results). */
struct out {
    char *p;
    size_t len, cap;
    bool oom;
};

static void reserve(struct out *o, size_t extra)
{
    if (o->oom || o->len + extra + 1 <= o->cap)
        return;
    size_t cap = o->cap ? o->cap : 256;
    while (cap < o->len + extra + 1)
        cap *= 2;
    char *p = realloc(o->p, cap);
    if (!p) {
        o->oom = true;
        return;
    }
    o->p = p;
    o->cap = cap;
}

static void put(struct out *o, const char *s, size_t n)
{
    reserve(o, n);
    if (o->oom)
        return;
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static void put_string(struct out *o, const char *s, size_t n)
{
    put(o, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(o, s + run, i - run);
        run = i + 1;
        char esc[8];
        switch (c) {
        case '"':
            put(o, "\\\"", 2);
            break;
        case '\\':
            put(o, "\\\\", 2);
            break;
        case '\b':
            put(o, "\\b", 2);
            break;
        case '\f':
            put(o, "\\f", 2);
            break;
        case '\n':
            put(o, "\\n", 2);
            break;
        case '\r':
            put(o, "\\r", 2);
            break;
        case '\t':
            put(o, "\\t", 2);
            break;
        default:
            snprintf(esc, sizeof esc, "\\u%04X", c);
            put(o, esc, 6);
        }
    }
    put(o, s + run, n - run);
    put(o, "\"", 1);
}

static void put_value(struct out *o, const json_t *v)
{
    char num[32];
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        put(o, "{", 1);
        const char *k;
        json_t *x;
        bool first = true;
        json_object_foreach((json_t *)v, k, x)
        {
            if (!first)
                put(o, ",", 1);
            first = false;
            put_string(o, k, strlen(k));
            put(o, ":", 1);
            put_value(o, x);
        }
        put(o, "}", 1);
        break;
    }
    case JSON_ARRAY: {
        put(o, "[", 1);
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            if (i)
                put(o, ",", 1);
            put_value(o, x);
        }
        put(o, "]", 1);
        break;
    }
    case JSON_STRING:
        put_string(o, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER: {
        put(o, num, sw_fmt_i64(num, json_integer_value(v)));
        break;
    }
    case JSON_REAL: {
        /* as jansson: shortest-enough %.17g, and always a fraction or an exponent */
        int n = snprintf(num, sizeof num - 2, "%.17g", json_real_value(v));
        if (!strpbrk(num, ".eE") && !strpbrk(num, "in")) {
            memcpy(num + n, ".0", 3);
            n += 2;
        }
        char *e = strchr(num, 'e');
        if (e) { /* "1e+300" -> "1e300", "1e-05" -> "1e-5", as jansson writes them */
            char *start = e + 1, *end = start + 1;
            if (*start == '-')
                start++;
            while (*end == '0' && end[1])
                end++;
            if (end != start) {
                memmove(start, end, strlen(end) + 1);
                n = (int)strlen(num);
            }
        }
        put(o, num, (size_t)n);
        break;
    }
    case JSON_TRUE:
        put(o, "true", 4);
        break;
    case JSON_FALSE:
        put(o, "false", 5);
        break;
    case JSON_NULL:
        put(o, "null", 4);
        break;
    }
}

/* Hands what o wrote after b's text back to b (o started from b's own allocation). */
static bool back_to_buf(struct sw_buf *b, struct out *o)
{
    b->data = o->p; /* realloc'd in place of the buffer's own: the same allocator */
    b->cap = o->cap;
    bool ok = !o->oom && o->len <= b->limit;
    if (ok)
        b->len = o->len;
    if (b->data)
        b->data[b->len] = '\0';
    return ok;
}

bool sw_json_buf_string(struct sw_buf *b, const char *s, size_t n)
{
    struct out o = {b->data, b->len, b->cap, false};
    put_string(&o, s, n);
    return back_to_buf(b, &o);
}

bool sw_json_buf_value(struct sw_buf *b, const json_t *v)
{
    struct out o = {b->data, b->len, b->cap, false};
    put_value(&o, v);
    return back_to_buf(b, &o);
}

char *sw_json_dump(const json_t *v)
{
    if (!v)
        return NULL;
    struct out o = {0};
    reserve(&o, 512);
    put_value(&o, v);
    if (o.oom) {
        free(o.p);
        return NULL;
    }
    o.p[o.len] = '\0';
    return o.p;
}

bool sw_id_parse_numbered(const char *s, char prefix, int64_t *rid)
{
    if (!s || s[0] != prefix || s[1] < '1' || s[1] > '9' || strlen(s) > 19)
        return false;
    int64_t v = 0;
    for (const char *p = s + 1; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
    }
    *rid = v;
    return true;
}

bool sw_id_valid(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.' || c == ':'))
            return false;
        if (n >= SW_ID_MAX_LEN)
            return false;
    }
    /* "." and ".." would be dot segments in a URL (/v1/merchants/.): clients drop them */
    return n > 0 && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

static const char *type_name(enum sw_jtype t)
{
    switch (t) {
    case SW_J_STR:
    case SW_J_ID:
    case SW_J_YUAN:
    case SW_J_INSTANT:
    case SW_J_DATE:
        return "a string";
    case SW_J_INT:
    case SW_J_FEN:
        return "an integer";
    case SW_J_BOOL:
        return "a boolean";
    case SW_J_OBJ:
        return "an object";
    case SW_J_ARR:
    case SW_J_STRARR:
        return "an array";
    case SW_J_ANY:
        return "a value";
    }
    return "a value";
}

static bool type_ok(enum sw_jtype t, const json_t *v)
{
    switch (t) {
    case SW_J_STR:
    case SW_J_ID:
    case SW_J_YUAN:
    case SW_J_INSTANT:
    case SW_J_DATE:
        return json_is_string(v);
    case SW_J_INT:
    case SW_J_FEN:
        return json_is_integer(v);
    case SW_J_BOOL:
        return json_is_boolean(v);
    case SW_J_OBJ:
        return json_is_object(v);
    case SW_J_ARR:
    case SW_J_STRARR:
        return json_is_array(v);
    case SW_J_ANY:
        return true;
    }
    return false;
}

static int read_one(const struct sw_jfield *f, json_t *v, const char *path, struct sw_error *err)
{
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    size_t slen = s ? json_string_length(v) : 0;
    switch (f->type) {
    case SW_J_STR: {
        size_t max = f->max ? f->max : 1024;
        if (slen > max)
            return sw_fail(err, SW_E_INVALID_VALUE, path, "'%s' is longer than %zu bytes", path,
                           max);
        *(const char **)f->out = s;
        return SW_OK;
    }
    case SW_J_ID:
        if (!sw_id_valid(s))
            return sw_fail(
                err, SW_E_INVALID_VALUE, path,
                "'%s' must be 1-64 characters of A-Z a-z 0-9 _ - . : (not . or .. alone)", path);
        *(const char **)f->out = s;
        return SW_OK;
    case SW_J_INT: {
        json_int_t i = json_integer_value(v);
        if (i < 0 || (f->max && (uint64_t)i > f->max))
            return sw_fail(err, SW_E_INVALID_VALUE, path, "'%s' out of range", path);
        *(int64_t *)f->out = i;
        return SW_OK;
    }
    case SW_J_FEN: {
        json_int_t i = json_integer_value(v), least = (f->flags & SW_J_POSITIVE) ? 1 : 0;
        if (i < least || i > SW_MONEY_MAX_FEN) /* above the ceiling: as a yuan string (money.c) */
            return sw_fail(err, i > SW_MONEY_MAX_FEN ? SW_E_AMOUNT_OVERFLOW : SW_E_INVALID_VALUE,
                           path, "'%s' must be an amount in fen between %lld and %lld", path,
                           (long long)least, (long long)SW_MONEY_MAX_FEN);
        *(int64_t *)f->out = i;
        return SW_OK;
    }
    case SW_J_YUAN: {
        int rc = sw_money_parse(s, slen, false, (int64_t *)f->out, err);
        if (rc && err)
            snprintf(err->field, sizeof err->field, "%s", path);
        return rc;
    }
    case SW_J_BOOL:
        *(bool *)f->out = json_is_true(v);
        return SW_OK;
    case SW_J_INSTANT: {
        int rc = sw_instant_parse(s, slen, (int64_t *)f->out, err);
        if (rc && err)
            snprintf(err->field, sizeof err->field, "%s", path);
        return rc;
    }
    case SW_J_DATE: {
        int rc = sw_date_parse(s, slen, (int64_t *)f->out, err);
        if (rc && err)
            snprintf(err->field, sizeof err->field, "%s", path);
        return rc;
    }
    case SW_J_STRARR: {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            if (!json_is_string(e) || json_string_length(e) > SW_JSON_MAX_ITEM_BYTES) {
                int rc = sw_fail(err, SW_E_WRONG_TYPE, NULL,
                                 "'%s[%zu]' must be a string of at most %d bytes", path, i,
                                 SW_JSON_MAX_ITEM_BYTES);
                snprintf(err->field, sizeof err->field, "%s[%zu]", path, i);
                return rc;
            }
        }
    }
        /* fall through */
    case SW_J_ARR:
        if (f->max && json_array_size(v) > f->max)
            return sw_fail(err, SW_E_INVALID_VALUE, path, "'%s' has more than %zu items", path,
                           f->max);
        /* fall through */
    case SW_J_OBJ:
    case SW_J_ANY:
        *(json_t **)f->out = v;
        return SW_OK;
    }
    return sw_fail(err, SW_E_INTERNAL, path, "bad field spec");
}

int sw_json_check(const struct sw_jfield *f, json_t *v, const char *path, struct sw_error *err)
{
    if (!type_ok(f->type, v))
        return sw_fail(err, SW_E_WRONG_TYPE, path, "'%s' must be %s", path, type_name(f->type));
    return read_one(f, v, path, err);
}

/* One way to write a path everywhere: names joined by exactly one '.', indexes in brackets
 * (items[0].qty, a.b[1].c). A base given with a trailing '.' is read without it. */
void sw_json_path_key(char *out, size_t cap, const char *base, const char *key)
{
    size_t n = strlen(base);
    if (n > 0 && base[n - 1] == '.')
        n--;
    /* by hand, not snprintf: every field a request reads builds its path (a feed batch of
     * 10,000 events spent 8% of its writer's instructions here) */
    size_t k = strlen(key), at = 0;
    if (cap == 0)
        return;
    if (n > 0) {
        at = n < cap - 1 ? n : cap - 1;
        memcpy(out, base, at);
        if (at < cap - 1)
            out[at++] = '.';
    }
    size_t m = k < cap - 1 - at ? k : cap - 1 - at;
    memcpy(out + at, key, m);
    out[at + m] = '\0';
}

void sw_json_path_index(char *out, size_t cap, const char *base, size_t i)
{
    size_t n = strlen(base);
    if (n > 0 && base[n - 1] == '.')
        n--;
    snprintf(out, cap, "%.*s[%zu]", (int)n, base, i);
}

bool sw_event_id_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SW_EVENT_ID_MAX || !sw_utf8_valid(s, n))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return false;
        /* C1 controls, U+0080..U+009F, are C2 80..C2 9F in UTF-8 */
        if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            return false;
    }
    return true;
}

int sw_json_unknown(const json_t *obj, const char *prefix, const struct sw_jfield *fields, size_t n,
                    struct sw_error *err)
{
    char nested[128];
    if (!json_is_object(obj))
        return sw_fail(err, SW_E_WRONG_TYPE, prefix, "'%s' must be an object",
                       *prefix ? prefix : "body");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v)
    {
        size_t i = 0;
        while (i < n && strcmp(fields[i].name, k) != 0)
            i++;
        if (i == n) {
            sw_json_path_key(nested, sizeof nested, prefix, k);
            return sw_fail(err, SW_E_UNKNOWN_FIELD, nested, "unknown field '%s'", nested);
        }
    }
    return SW_OK;
}

int sw_json_read(const json_t *obj, const char *prefix, const struct sw_jfield *fields, size_t n,
                 bool closed, struct sw_error *err)
{
    char nested[128];
    int rc = closed ? sw_json_unknown(obj, prefix, fields, n, err) : SW_OK;
    if (rc)
        return rc;
    if (!json_is_object(obj))
        return sw_fail(err, SW_E_WRONG_TYPE, prefix, "'%s' must be an object",
                       *prefix ? prefix : "body");
    for (size_t i = 0; i < n; i++) {
        const struct sw_jfield *f = &fields[i];
        sw_json_path_key(nested, sizeof nested, prefix, f->name);
        const char *path = nested;
        json_t *v = json_object_get(obj, f->name);
        if (f->present)
            *f->present = false;
        if (!v) {
            if (f->flags & SW_J_REQUIRED)
                return sw_fail(err, SW_E_MISSING_FIELD, path, "missing field '%s'", path);
            continue;
        }
        if (json_is_null(v) && (f->flags & SW_J_NULLABLE)) {
            if (f->present)
                *f->present = true;
            continue;
        }
        if (!type_ok(f->type, v))
            return sw_fail(err, SW_E_WRONG_TYPE, path, "'%s' must be %s", path, type_name(f->type));
        rc = read_one(f, v, path, err);
        if (rc)
            return rc;
        if (f->present)
            *f->present = true;
    }
    return SW_OK;
}

void sw_json_problem(json_t *problems, const char *path, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_array_append_new(problems, json_pack("{s:s,s:s}", "path", path, "message", msg));
}

void sw_json_closed(json_t *problems, const json_t *obj, const char *path,
                    const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v)
    {
        int i = 0;
        while (allowed[i] && strcmp(allowed[i], k) != 0)
            i++;
        if (!allowed[i])
            sw_json_problem(problems, path, "unknown field '%s'", k);
    }
}

json_t *sw_json_want(json_t *problems, const json_t *obj, const char *path, const char *key,
                     json_type type, bool required)
{
    char p[192];
    sw_json_path_key(p, sizeof p, path, key);
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            sw_json_problem(problems, p, "missing field");
        return NULL;
    }
    if (json_typeof(v) != type && !(type == JSON_TRUE && json_is_boolean(v))) {
        static const char *const names[] = {"an object", "an array",  "a string",  "an integer",
                                            "a number",  "a boolean", "a boolean", "null"};
        sw_json_problem(problems, p, "must be %s", names[type]);
        return NULL;
    }
    return v;
}

json_t *sw_json_instant(int64_t us)
{
    char buf[32];
    return json_string(sw_instant_format(us, buf));
}

const char *sw_json_str_or_empty(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

json_t *sw_json_instant_opt(int64_t us)
{
    return us ? sw_json_instant(us) : json_null();
}

bool sw_page_trim(json_t *items, size_t limit)
{
    bool more = json_array_size(items) > limit;
    while (json_array_size(items) > limit)
        json_array_remove(items, json_array_size(items) - 1);
    return more;
}

void sw_page_set(json_t *obj, const char *key, json_t *items, size_t limit, const char *cursor)
{
    bool more = sw_page_trim(items, limit);
    size_t n = json_array_size(items);
    json_t *next =
        more && n ? json_incref(json_object_get(json_array_get(items, n - 1), cursor)) : NULL;
    json_object_set_new(obj, key, items);
    json_object_set_new(obj, "next_after", next ? next : json_null());
    json_object_set_new(obj, "has_more", json_boolean(more));
}

int sw_json_read_amount(const json_t *in, const char *name, int64_t *out, bool *present,
                        struct sw_error *err)
{
    char fen_name[48];
    snprintf(fen_name, sizeof fen_name, "%s_fen", name);
    int64_t fen = 0, yuan = 0;
    bool has_fen = false, has_yuan = false;
    struct sw_jfield f[] = {
        {fen_name, SW_J_FEN, 0, &fen, 0, &has_fen},
        {name, SW_J_YUAN, 0, &yuan, 0, &has_yuan},
    };
    int rc = sw_json_read(in, "", f, 2, false, err);
    if (rc)
        return rc;
    if (has_fen && has_yuan)
        return sw_fail(err, SW_E_INVALID_VALUE, name, "give '%s' or '%s', not both", fen_name,
                       name);
    *present = has_fen || has_yuan;
    if (*present)
        *out = has_fen ? fen : yuan;
    return SW_OK;
}

bool sw_text_blank(const char *s)
{
    for (;;) {
        s += strspn(s, " \t\r\n");
        if (strncmp(s, "\xE3\x80\x80", 3) != 0) /* stops at the NUL of a shorter s */
            return *s == '\0';
        s += 3;
    }
}
