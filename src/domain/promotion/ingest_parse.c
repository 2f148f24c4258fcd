/* Quick promotion: the fast reading of an impressions batch.
 *
 * A batch is up to 10,000 small objects; building a JSON tree of it and freeing it again costs
 * more than everything the writer does with it (about 1.9 µs an impression on these machines).
 * A batch of the plain shape, {"impressions": [{"impression_id": "...", "promotion": "...",
 * "at": "..."}, ...]} with the three keys in any order and ASCII strings without escapes, is
 * read here straight into the items the writer needs. Anything else (escapes, other
 * characters, other keys, bad values, wrong counts) is not an error here: the caller parses the
 * body as JSON as usual, and the usual checks answer it. */
#include <string.h>

#include "base/instant.h"
#include "domain/promotion/ingest_int.h"

struct cur {
    const char *p, *end;
};

static void ws(struct cur *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\n' || *c->p == '\r' || *c->p == '\t'))
        c->p++;
}

static bool lit(struct cur *c, char ch)
{
    ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

/* A string of printable ASCII without escapes: its bytes (between the quotes). */
static bool str(struct cur *c, const char **s, size_t *len)
{
    if (!lit(c, '"'))
        return false;
    const char *b = c->p;
    while (c->p < c->end && *c->p != '"') {
        unsigned char ch = (unsigned char)*c->p;
        if (ch < 0x20 || ch > 0x7e || ch == '\\')
            return false;
        c->p++;
    }
    if (c->p >= c->end)
        return false;
    *s = b;
    *len = (size_t)(c->p - b);
    c->p++;
    return true;
}

static bool key_is(const char *k, size_t n, const char *want)
{
    return strlen(want) == n && memcmp(k, want, n) == 0;
}

/* One {"impression_id","promotion","at"} object, each key once. */
static bool item(struct cur *c, struct sw_promo_item *it)
{
    if (!lit(c, '{'))
        return false;
    const char *v[3] = {NULL, NULL, NULL};
    size_t vl[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        const char *k, *s;
        size_t kn, sn;
        if ((i && !lit(c, ',')) || !str(c, &k, &kn) || !lit(c, ':') || !str(c, &s, &sn))
            return false;
        int slot = key_is(k, kn, "impression_id") ? 0
                   : key_is(k, kn, "promotion")   ? 1
                   : key_is(k, kn, "at")          ? 2
                                                  : -1;
        if (slot < 0 || v[slot])
            return false;
        v[slot] = s;
        vl[slot] = sn;
    }
    if (!lit(c, '}') || !v[0] || !v[1] || !v[2] || vl[0] == 0 || vl[0] > SW_IMPRESSION_ID_MAX ||
        vl[1] >= 64)
        return false;
    struct sw_error ignored;
    char promo[64];
    memcpy(promo, v[1], vl[1]);
    promo[vl[1]] = '\0';
    it->id = v[0];
    it->len = vl[0];
    if (!sw_promotion_parse_id(promo, &it->rid))
        it->rid = 0;
    return sw_instant_parse(v[2], vl[2], &it->at, &ignored) == SW_OK;
}

bool sw__promo_read_fast(const char *text, size_t len, struct sw_promo_item *items, size_t cap,
                         size_t *n)
{
    struct cur c = {text, text + len};
    const char *k;
    size_t kn;
    *n = 0;
    if (!lit(&c, '{') || !str(&c, &k, &kn) || !key_is(k, kn, "impressions") || !lit(&c, ':') ||
        !lit(&c, '['))
        return false;
    do {
        if (*n >= cap || !item(&c, &items[*n]))
            return false;
        (*n)++;
    } while (lit(&c, ','));
    if (!lit(&c, ']') || !lit(&c, '}'))
        return false;
    ws(&c);
    return c.p == c.end;
}
