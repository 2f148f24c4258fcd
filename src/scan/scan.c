/* Matching and detectors. Each text field is normalised (offset map kept) and matched against
 * the policy's one Hyperscan database; the hits (pattern id + span in the normalised text) go
 * to the detectors, which decide what is a finding and map spans back to the original text. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "scan/normclass.h"
#include "scan/normalize.h"
#include "scan/scan_int.h"

const char *const sw_scan_field_names[SW_SF__COUNT] = {"title", "short_title", "detail"};

static atomic_uint_fast64_t stat_listings, stat_bytes;

void sw_scan_stats(uint64_t *listings, uint64_t *bytes)
{
    *listings = atomic_load_explicit(&stat_listings, memory_order_relaxed);
    *bytes = atomic_load_explicit(&stat_bytes, memory_order_relaxed);
}

/* The widest span (bytes of normalised text) a fixed phrase can cover: 120 bytes of policy
 * text normalised. */
#define MAX_PHRASE (SW_NORM_CAP(120))

struct hit {
    uint32_t pid;
    uint32_t from, to;
};

struct field {
    const struct sw_scanner *sc;
    const char *orig;
    size_t olen;
    char *norm;     /* into tls.norm: the fields lie one after another, 0xFF between */
    uint32_t *map;  /* into tls.map, same offsets */
    uint32_t start; /* offset of this field in tls.norm */
    size_t n;
    struct hit *hits;
    size_t nhits, hcap;
    struct sw_runs runs; /* runs of digits, for phone numbers */
};

struct tls {
    hs_scratch_t *scratch;
    uint64_t gen;
    char *norm;
    uint32_t *map;
    size_t cap;
    bool oom;
    struct field f[SW_SF__COUNT];
};

static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;

static void tls_free(void *p)
{
    struct tls *t = p;
    if (!t)
        return;
    hs_free_scratch(t->scratch);
    free(t->norm);
    free(t->map);
    for (int i = 0; i < SW_SF__COUNT; i++) {
        free(t->f[i].hits);
        free(t->f[i].runs.v);
    }
    free(t);
}

static void tls_init(void)
{
    pthread_key_create(&tls_key, tls_free);
}

static struct tls *tls_get(const struct sw_scanner *sc)
{
    pthread_once(&tls_once, tls_init);
    struct tls *t = pthread_getspecific(tls_key);
    if (!t) {
        t = calloc(1, sizeof *t);
        if (!t || pthread_setspecific(tls_key, t) != 0) {
            free(t);
            return NULL;
        }
    }
    if (t->gen != sc->gen) {
        if (sc->db && hs_alloc_scratch(sc->db, &t->scratch) != HS_SUCCESS)
            return NULL;
        t->gen = sc->gen;
    }
    return t;
}

/* ---- findings ---- */

struct finding {
    const struct sw_rule *r;
    int field;         /* SW_SF_*, or -1 for a finding about a structured field or an image */
    const char *where; /* the field name when field < 0 */
    uint32_t s, e;     /* bytes of the original text */
    char evidence[256];
    char excerpt_alt[256]; /* excerpt when field < 0 */
};

struct out {
    struct finding *v;
    size_t n, cap;
    bool oom;
};

static struct finding *add(struct out *o, const struct sw_rule *r, int field, uint32_t s,
                           uint32_t e)
{
    if (!r->rule || !r->rule[0])
        return NULL; /* the policy left this rule out */
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 16;
        struct finding *v = realloc(o->v, cap * sizeof *v);
        if (!v) {
            o->oom = true;
            return NULL;
        }
        o->v = v;
        o->cap = cap;
    }
    struct finding *f = &o->v[o->n++];
    memset(f, 0, sizeof *f);
    f->r = r;
    f->field = field;
    f->s = s;
    f->e = e;
    return f;
}

/* ---- spans ---- */

static int orig_char_len(const struct field *f, uint32_t off)
{
    int l = sw_utf8_len((const unsigned char *)f->orig + off, f->olen - off);
    return l ? l : 1;
}

/* The original byte span of normalised [from, to). */
static void orig_span(const struct field *f, uint32_t from, uint32_t to, uint32_t *s, uint32_t *e)
{
    *s = f->map[from];
    uint32_t k = to - 1;
    while (k > from && ((unsigned char)f->norm[k] & 0xC0) == 0x80)
        k--;
    *e = f->map[k] + (uint32_t)orig_char_len(f, f->map[k]);
}

static void copy_norm(const struct field *f, uint32_t from, uint32_t to, char *dst, size_t cap)
{
    size_t n = to - from;
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, f->norm + from, n);
    dst[n] = '\0';
}

/* A finding over normalised [from, to) of field fi, its span mapped to the original text. */
static struct finding *add_at(struct out *o, const struct sw_rule *r, const struct field *f, int fi,
                              uint32_t from, uint32_t to)
{
    uint32_t s, e;
    orig_span(f, from, to, &s, &e);
    return add(o, r, fi, s, e);
}

/* Evidence: the normalised text of [from, to) ("yanxi88" for "yanxi-88"). */
static void ev_norm(struct finding *x, const struct field *f, uint32_t from, uint32_t to)
{
    if (x)
        copy_norm(f, from, to, x->evidence, sizeof x->evidence);
}

/* Evidence: the finding's own original text (URLs, e-mail addresses). */
static void ev_excerpt(struct finding *x, const struct field *f)
{
    if (x)
        snprintf(x->evidence, sizeof x->evidence, "%.*s", (int)(x->e - x->s), f->orig + x->s);
}

/* ---- hits ---- */

/* A hit over the whole listing (end offset g in tl->norm) goes to its field, in field
 * offsets. No pattern can match across the 0xFF between fields. */
static int add_hit(struct tls *tl, unsigned id, uint32_t g)
{
    struct field *f = &tl->f[SW_SF__COUNT - 1];
    while (f > tl->f && g <= f->start)
        f--;
    const struct sw_pat *p = &f->sc->pat[id];
    uint32_t t = g - f->start;
    if (f->nhits == f->hcap) {
        size_t cap = f->hcap ? f->hcap * 2 : 256;
        struct hit *h = realloc(f->hits, cap * sizeof *h);
        if (!h) {
            tl->oom = true;
            return 1;
        }
        f->hits = h;
        f->hcap = cap;
    }
    f->hits[f->nhits++] = (struct hit){id, t - p->len, t};
    return 0;
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                    void *ctx)
{
    (void)from;
    (void)flags;
    return add_hit(ctx, id, (uint32_t)to);
}

/* The large word lists (struct sw_prefilter). One pass over the three-byte characters with a
 * rolling key of the last three code points: per character one decode, one multiply and one
 * bit test; the rare "maybe" compares the terms of its slot. */
static void prefilter(struct tls *tl, const struct sw_prefilter *pf, uint32_t total)
{
    const unsigned char *s = (const unsigned char *)tl->norm;
    uint64_t key = 0;
    int run = 0; /* consecutive three-byte characters ending at p */
    uint32_t p = 0;
    while (p < total) {
        unsigned b = s[p];
        if ((b & 0xF0) != 0xE0 || p + 3 > total) {
            run = 0;
            p += b < 0xC0 || b == 0xFF ? 1 : b < 0xE0 ? 2 : 4;
            continue;
        }
        uint64_t cp = ((b & 0x0Fu) << 12) | ((s[p + 1] & 0x3Fu) << 6) | (s[p + 2] & 0x3Fu);
        key = (key >> 16) | (cp << 32);
        p += 3;
        if (++run < 3)
            continue;
        uint32_t bit = sw_pf_bit(key);
        if (!((pf->bits[bit >> 6] >> (bit & 63)) & 1))
            continue;
        uint32_t at = p - SW_PF_PREFIX;
        uint32_t k = sw_pf_slot(key, pf->slot_mask);
        while (pf->slots[k].key && pf->slots[k].key != key)
            k = (k + 1) & pf->slot_mask;
        const struct sw_pf_slot *sl = &pf->slots[k];
        for (uint32_t i = 0; sl->key && i < sl->count; i++) {
            uint32_t pid = pf->pids[sl->first + i];
            uint32_t len = tl->f[0].sc->pat[pid].len;
            if (at + len <= total && memcmp(s + at, pf->text[pid], len) == 0 &&
                add_hit(tl, pid, at + len))
                return;
        }
    }
}

static int hit_cmp(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    if (x->from != y->from)
        return x->from > y->from ? -1 : 1;
    return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* First hit with to >= pos. */
static size_t lower(const struct field *f, uint32_t pos)
{
    size_t lo = 0, hi = f->nhits;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (f->hits[mid].to < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int role(const struct field *f, const struct hit *h)
{
    return f->sc->pat[h->pid].role;
}

static int owner(const struct field *f, const struct hit *h)
{
    return f->sc->pat[h->pid].owner;
}

/* A hit of `r` (owner when >= 0) that covers [from, to); `longer` asks for a strictly longer
 * one. */
static bool covered(const struct field *f, int r, int own, uint32_t from, uint32_t to, bool longer)
{
    uint32_t hi = from + MAX_PHRASE;
    for (size_t i = lower(f, to); i < f->nhits && f->hits[i].to <= hi; i++) {
        const struct hit *h = &f->hits[i];
        if (h->from > from || role(f, h) != r || (own >= 0 && owner(f, h) != own))
            continue;
        if (!longer || h->to - h->from > to - from)
            return true;
    }
    return false;
}

/* One of `words` ends at `pos`, or up to `gap` characters before it. */
static bool word_behind(const struct field *f, const struct sw_words *words, uint32_t pos, int gap)
{
    for (int g = 0; g <= gap; g++) {
        for (int i = 0; i < words->n; i++) {
            uint32_t l = words->len[i];
            if (pos >= l && memcmp(f->norm + pos - l, words->w[i], l) == 0)
                return true;
        }
        if (pos == 0)
            return false;
        do /* one character back */
            pos--;
        while (pos > 0 && ((unsigned char)f->norm[pos] & 0xC0) == 0x80);
    }
    return false;
}

/* A negation right before, or one character before ("不能治疗", "不可以治疗"). */
static bool negated(const struct field *f, uint32_t from)
{
    return word_behind(f, &f->sc->negations, from, 1);
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_letter(char c)
{
    return c >= 'a' && c <= 'z';
}

/* ---- detectors over one field ---- */

static void lists(const struct field *f, int fi, const signed char *applies, struct out *o)
{
    const struct sw_scanner *sc = f->sc;
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        if (role(f, h) != R_TERM)
            continue;
        int L = owner(f, h);
        if (!applies[L] || covered(f, R_ALLOW, L, h->from, h->to, false) ||
            (sc->lists[L].negatable && negated(f, h->from)) ||
            covered(f, R_TERM, L, h->from, h->to, true))
            continue;
        ev_norm(add_at(o, &sc->lists[L].r, f, fi, h->from, h->to), f, h->from, h->to);
    }
}

/* Skips what may stand between a contact keyword and the id: ':' ',' '=' and 号 是 为 码. */
static uint32_t skip_filler(const struct field *f, uint32_t pos)
{
    static const char *const words[] = {"号", "是", "为", "码", "id", "群", NULL};
    for (int guard = 0; guard < 6 && pos < f->n; guard++) {
        char c = f->norm[pos];
        if (c == ':' || c == ',' || c == '=' || c == '(' || c == ')') {
            pos++;
            continue;
        }
        int k = 0;
        while (words[k] && strncmp(f->norm + pos, words[k], strlen(words[k])) != 0)
            k++;
        if (!words[k] || pos + strlen(words[k]) > f->n)
            break;
        pos += (uint32_t)strlen(words[k]);
    }
    return pos;
}

static void contacts(const struct field *f, int fi, struct out *o)
{
    const struct sw_scanner *sc = f->sc;
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        int r = role(f, h);
        if (r == R_WX_KW || r == R_QQ_KW) {
            if (is_letter(f->norm[h->from]) && h->from > 0 && is_letter(f->norm[h->from - 1]))
                continue; /* inside a word */
            uint32_t p = skip_filler(f, h->to), q = p;
            bool letters = false;
            while (q < f->n && is_alnum(f->norm[q])) {
                letters |= is_letter(f->norm[q]);
                q++;
            }
            uint32_t len = q - p;
            bool ok = r == R_WX_KW ? len >= 5 && len <= 30 : !letters && len >= 5 && len <= 11;
            if (!ok)
                continue;
            ev_norm(add_at(o, r == R_WX_KW ? &sc->wechat : &sc->qq, f, fi, h->from, q), f, p, q);
        } else if (r == R_WX_INVITE) {
            ev_norm(add_at(o, &sc->wechat, f, fi, h->from, h->to), f, h->from, h->to);
        }
    }
}

static bool phone_like(const char *d, size_t n)
{
    if (n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9')
        return true; /* mobile */
    if ((n == 11 || n == 12) && d[0] == '0' && d[1] >= '1' && d[1] <= '9')
        return true; /* landline with area code */
    if (n == 10 && (strncmp(d, "400", 3) == 0 || strncmp(d, "800", 3) == 0))
        return true; /* service numbers */
    return false;
}

/* Runs of digits: a phone number is the whole run, or whole groups of it where the original
 * had separators between groups ("139 1234 5678" next to other numbers). */
static void phones(const struct field *f, int fi, struct out *o)
{
    enum { MAXG = 64 };
    for (size_t i = 0; i + 1 < f->runs.n; i += 2) {
        const struct hit run = {0, f->runs.v[i], f->runs.v[i + 1]}, *h = &run;
        uint32_t g[MAXG + 1];
        int ng = 0;
        g[ng++] = h->from;
        for (uint32_t k = h->from + 1; k < h->to && ng < MAXG; k++)
            if (f->map[k] != f->map[k - 1] + (uint32_t)orig_char_len(f, f->map[k - 1]))
                g[ng++] = k;
        g[ng] = h->to;
        for (int a = 0; a < ng; a++)
            for (int b = a + 1; b <= ng; b++) {
                uint32_t len = g[b] - g[a];
                if (len > 12)
                    break;
                if (!phone_like(f->norm + g[a], len))
                    continue;
                ev_norm(add_at(o, &f->sc->phone, f, fi, g[a], g[b]), f, g[a], g[b]);
                a = b - 1; /* go on after this number */
                break;
            }
    }
}

/* The code point at s[0..n) and its length in *len (0 when invalid). */
static uint32_t cp_at(const char *p, size_t n, int *len)
{
    const unsigned char *s = (const unsigned char *)p;
    *len = sw_utf8_len(s, n);
    switch (*len) {
    case 1:
        return s[0];
    case 2:
        return ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    case 3:
        return ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    case 4:
        return ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
               (s[3] & 0x3Fu);
    default:
        return 0;
    }
}

/* The code point before original offset `off`; its offset in *start. */
static uint32_t prev_cp(const struct field *f, uint32_t off, uint32_t *start)
{
    if (off == 0) {
        *start = 0;
        return 0;
    }
    uint32_t k = off - 1;
    while (k > 0 && ((unsigned char)f->orig[k] & 0xC0) == 0x80)
        k--;
    *start = k;
    int l;
    return cp_at(f->orig + k, f->olen - k, &l);
}

static bool dot_like(uint32_t cp)
{
    return cp == '.' || cp == 0xFF0E || cp == 0x3002 || cp == 0xB7 || cp == 0x70B9 /* 点 */ ||
           cp == 0x4E36 /* 丶 */ || cp == 0x2022 || cp == 0x30FB || cp == 0xFF61 || cp == 0x2024 ||
           cp == 0xFE52;
}

static bool alnum_cp(uint32_t cp)
{
    if (cp >= 0x10000)
        return false;
    int c = sw_norm_class(cp);
    return c == SW_NC_LETTER || c == SW_NC_DIGIT;
}

static void links(const struct field *f, int fi, struct out *o)
{
    const struct sw_scanner *sc = f->sc;
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        int r = role(f, h);
        if (r == R_URL_SCHEME) {
            if (h->from > 0 && is_letter(f->norm[h->from - 1]))
                continue;
            uint32_t q = h->to;
            while (q < f->n && (is_alnum(f->norm[q]) || strchr(":?=&%#@+", f->norm[q])) &&
                   f->norm[q])
                q++;
            if (q == h->to)
                continue;
            ev_excerpt(add_at(o, &sc->url, f, fi, h->from, q), f);
        } else if (r == R_TLD) {
            /* the domain ends with the TLD in the original text ("t.cn/abc" does, "x.command"
             * does not) */
            uint32_t ts, te;
            orig_span(f, h->from, h->to, &ts, &te);
            int cl = 0;
            if (te < f->olen && alnum_cp(cp_at(f->orig + te, f->olen - te, &cl)))
                continue;
            uint32_t dot_start, label_start;
            uint32_t dot = prev_cp(f, f->map[h->from], &dot_start);
            if (!dot_like(dot) || !alnum_cp(prev_cp(f, dot_start, &label_start)))
                continue;
            /* the domain starts where its labels and dots stop */
            uint32_t start = label_start, ps;
            for (;;) {
                uint32_t cp = prev_cp(f, start, &ps);
                if (start == 0 || !(alnum_cp(cp) || dot_like(cp) || cp == '-'))
                    break;
                start = ps;
            }
            ev_excerpt(add(o, &sc->url, fi, start, te), f);
        } else if (r == R_AT) {
            uint32_t a = h->from, q = h->to;
            while (a > 0 && is_alnum(f->norm[a - 1]))
                a--;
            while (q < f->n && is_alnum(f->norm[q]))
                q++;
            if (a == h->from || q - h->to < 2)
                continue;
            ev_excerpt(add_at(o, &sc->email, f, fi, a, q), f);
        }
    }
}

/* ---- detectors over the listing ---- */

static bool has_service(const json_t *after_sales, const char *svc)
{
    size_t i;
    const json_t *v;
    json_array_foreach(after_sales, i, v) if (json_is_string(v) &&
                                              strcmp(json_string_value(v), svc) == 0) return true;
    return false;
}

static void promises(const struct field *f, int fi, const struct sw_listing *l, struct out *o)
{
    const struct sw_scanner *sc = f->sc;
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        if (role(f, h) != R_PROMISE || negated(f, h->from) ||
            covered(f, R_PROMISE, -1, h->from, h->to, true))
            continue;
        const char *svc = sc->promise_service[owner(f, h)];
        if (l->after_sales && has_service(l->after_sales, svc))
            continue;
        struct finding *x = add_at(o, &sc->after_sales, f, fi, h->from, h->to);
        if (x)
            snprintf(x->evidence, sizeof x->evidence,
                     "promises %.*s; after_sales does not include %s", (int)(x->e - x->s),
                     f->orig + x->s, svc);
    }
}

/* Parses an amount written after a price label: [:：¥￥ ]* digits [. d [d]] [元|块]. */
static bool read_amount(const struct field *f, uint32_t off, int64_t *fen, uint32_t *end)
{
    const unsigned char *s = (const unsigned char *)f->orig;
    size_t n = f->olen, i = off;
    for (int guard = 0; guard < 8 && i < n; guard++) {
        if (s[i] == ' ' || s[i] == ':' || s[i] == '\t') {
            i++;
        } else if (i + 2 < n && ((s[i] == 0xEF && s[i + 1] == 0xBC && s[i + 2] == 0x9A) ||
                                 (s[i] == 0xEF && s[i + 1] == 0xBF && s[i + 2] == 0xA5))) {
            i += 3; /* ： ￥ */
        } else if (i + 1 < n && s[i] == 0xC2 && s[i + 1] == 0xA5) {
            i += 2; /* ¥ */
        } else {
            break;
        }
    }
    int64_t yuan = 0;
    int digits = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 12) {
        yuan = yuan * 10 + (s[i] - '0');
        digits++;
        i++;
    }
    if (digits == 0)
        return false;
    int64_t cents = 0;
    if (i + 1 < n && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
        i++;
        cents = (int64_t)(s[i] - '0') * 10;
        i++;
        if (i < n && s[i] >= '0' && s[i] <= '9')
            cents += s[i++] - '0';
    }
    size_t j = i;
    while (j < n && s[j] == ' ')
        j++;
    if (j + 2 < n && memcmp(s + j, "起", 3) == 0)
        return false; /* "from 59 yuan": a range, not the price */
    if (j + 2 < n && (memcmp(s + j, "元", 3) == 0 || memcmp(s + j, "块", 3) == 0))
        i = j + 3;
    size_t k = i;
    while (k < n && s[k] == ' ')
        k++;
    if (k < n && (s[k] == '/' || (k + 2 < n && memcmp(s + k, "／", 3) == 0)))
        return false; /* "59元/2件", "¥12/斤": a price per quantity, not the listing's */
    *fen = yuan * 100 + cents;
    *end = (uint32_t)i;
    return true;
}

static void prices(const struct field *f, int fi, const struct sw_listing *l, struct out *o,
                   unsigned *flags)
{
    const struct sw_scanner *sc = f->sc;
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        if (role(f, h) != R_PRICE_LABEL || covered(f, R_PRICE_IGNORE, -1, h->from, h->to, false))
            continue;
        int64_t fen;
        uint32_t s, e, end;
        orig_span(f, h->from, h->to, &s, &e);
        if (!read_amount(f, e, &fen, &end))
            continue;
        *flags |= SW_SCAN_STATES_PRICE;
        if (!l->has_price || fen == l->price_fen)
            continue;
        struct finding *x = add(o, &sc->price, fi, s, end);
        char a[24], b[24];
        if (x)
            snprintf(x->evidence, sizeof x->evidence, "text says %s yuan; the price is %s yuan",
                     sw_money_format(fen, a), sw_money_format(l->price_fen, b));
    }
}

static bool contains(const char *hay, const char *needle)
{
    return needle[0] && strstr(hay, needle) != NULL;
}

static bool brand_is(const char *pb, const char *norm)
{
    return strcmp(pb, norm) == 0 || contains(pb, norm) || contains(norm, pb);
}

static void brands(const struct field *f, int fi, const struct sw_listing *l, const char *pb,
                   struct out *o)
{
    const struct sw_scanner *sc = f->sc;
    if (!pb || !pb[0])
        return;
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        int r = role(f, h);
        uint32_t s, e;
        if (r == R_BRAND) {
            const struct sw_brand *b = &sc->brands[owner(f, h)];
            if (!sw__catset_match(&b->cs, l->category) || word_behind(f, &sc->compat, h->from, 2) ||
                covered(f, R_BRAND, -1, h->from, h->to, true))
                continue;
            bool same = false;
            for (int k = 0; k < b->nnorm && !same; k++)
                same = brand_is(pb, b->norm[k]);
            if (same)
                continue;
            struct finding *x = add_at(o, &sc->brand, f, fi, h->from, h->to);
            if (x)
                snprintf(x->evidence, sizeof x->evidence,
                         "names the brand %s; the listing's brand is %s", b->name, l->brand);
        } else if (r == R_BRAND_LABEL) {
            orig_span(f, h->from, h->to, &s, &e);
            uint32_t v = e, ve;
            const unsigned char *u = (const unsigned char *)f->orig;
            while (v < f->olen && (u[v] == ' ' || u[v] == ':'))
                v++;
            if (v + 2 < f->olen && memcmp(u + v, "：", 3) == 0)
                v += 3;
            ve = v;
            for (int k = 0; k < 32 && ve < f->olen; k++) {
                int cl = 0;
                uint32_t cp = cp_at(f->orig + ve, f->olen - ve, &cl);
                int cls = sw_norm_class(cp);
                if (cl == 0 || cls == SW_NC_DROP || cls == SW_NC_PUNCT)
                    break;
                ve += (uint32_t)cl;
            }
            if (ve == v)
                continue;
            char val[256], norm[SW_NORM_CAP(sizeof val)];
            uint32_t map[SW_NORM_CAP(sizeof val) + 1];
            size_t vl = ve - v < sizeof val - 1 ? ve - v : sizeof val - 1, nl = 0;
            memcpy(val, f->orig + v, vl);
            if (sw_normalize(val, vl, norm, map, &nl) >= 0)
                continue;
            norm[nl] = '\0';
            if (brand_is(pb, norm))
                continue;
            struct finding *x = add(o, &sc->brand, fi, s, ve);
            if (x)
                snprintf(x->evidence, sizeof x->evidence,
                         "states the brand as %.*s; the listing's brand is %s", (int)vl, val,
                         l->brand);
        }
    }
}

/* "满99包邮", "满2件包邮", "买2件包邮": free shipping on a condition is not a claim about this
 * listing's freight. Looks behind the claim in the normalised text. */
static bool conditional(const struct field *f, uint32_t from)
{
    static const char *const units[] = {"元", "件", "个", "单", "份", "盒", "瓶", "斤", NULL};
    uint32_t p = from;
    for (int u = 0; units[u]; u++)
        if (p >= 3 && memcmp(f->norm + p - 3, units[u], 3) == 0) {
            p -= 3;
            break;
        }
    uint32_t digits = p;
    while (p > 0 && f->norm[p - 1] >= '0' && f->norm[p - 1] <= '9')
        p--;
    if (p == digits || p < 3)
        return false;
    return memcmp(f->norm + p - 3, "满", 3) == 0 || memcmp(f->norm + p - 3, "买", 3) == 0;
}

static void shipping(struct field *fs, const struct sw_listing *l, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    const struct field *claim_f = NULL;
    const struct hit *claim = NULL;
    int claim_fi = -1;
    /* free-shipping claims (not inside a denial) against the freight and against denials */
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            if (role(f, h) != R_SHIP_CLAIM ||
                covered(f, R_SHIP_DENIAL, -1, h->from, h->to, false) || negated(f, h->from) ||
                conditional(f, h->from))
                continue;
            if (!claim) {
                claim = h;
                claim_f = f;
                claim_fi = fi;
            }
            if (l->freight_fen > 0) {
                struct finding *x = add_at(o, &sc->ship, f, fi, h->from, h->to);
                char a[24];
                if (x)
                    snprintf(x->evidence, sizeof x->evidence,
                             "claims free shipping; the freight is %s yuan",
                             sw_money_format(l->freight_fen, a));
            }
        }
    }
    if (!claim)
        return;
    uint32_t cs, ce;
    orig_span(claim_f, claim->from, claim->to, &cs, &ce);
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            if (role(f, h) != R_SHIP_DENIAL || covered(f, R_SHIP_DENIAL, -1, h->from, h->to, true))
                continue;
            struct finding *x = add_at(o, &sc->ship, f, fi, h->from, h->to);
            if (x)
                snprintf(x->evidence, sizeof x->evidence, "%s says %.*s, here: %.*s",
                         sw_scan_field_names[claim_fi], (int)(ce - cs), claim_f->orig + cs,
                         (int)(x->e - x->s), f->orig + x->s);
        }
    }
}

static void carriers(struct field *fs, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    const struct field *d = &fs[SW_SF_DETAIL];
    bool any_denial = false, any_named = false;
    const struct hit *denial = NULL;
    for (size_t i = 0; i < d->nhits; i++) {
        int r = role(d, &d->hits[i]);
        if (r == R_CARRIER_DENIAL && !denial)
            denial = &d->hits[i];
        any_denial |= r == R_CARRIER_DENIAL;
        any_named |= r == R_CARRIER && !negated(d, d->hits[i].from);
    }
    for (int fi = SW_SF_TITLE; fi <= SW_SF_SHORT_TITLE; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            if (role(f, h) != R_CARRIER || negated(f, h->from))
                continue;
            int c = owner(f, h);
            bool named = false, refused = false;
            for (size_t k = 0; k < d->nhits; k++) {
                const struct hit *dh = &d->hits[k];
                if (role(d, dh) != R_CARRIER || owner(d, dh) != c)
                    continue;
                if (negated(d, dh->from))
                    refused = true;
                else
                    named = true;
            }
            if (!refused && !any_denial && (named || !any_named))
                continue;
            struct finding *x = add_at(o, &sc->carrier, f, fi, h->from, h->to);
            if (x)
                snprintf(x->evidence, sizeof x->evidence,
                         refused      ? "the detail refuses the carrier %s"
                         : any_denial ? "names the carrier %s; the detail says the carrier "
                                        "cannot be chosen"
                                      : "names the carrier %s; the detail names another",
                         sc->carrier_code[c]);
        }
    }
}

static void three_no(const struct sw_scanner *sc, const struct sw_listing *l, struct out *o)
{
    static const char *const names[] = {"production_date", "quality_cert", "manufacturer"};
    bool have[] = {l->has_production_date, l->has_quality_cert, l->has_manufacturer};
    for (int i = 0; i < 3; i++) {
        if (have[i])
            continue;
        struct finding *x = add(o, &sc->three_no, -1, 0, 0);
        if (x) {
            x->where = names[i];
            snprintf(x->evidence, sizeof x->evidence, "no %s", names[i]);
        }
    }
}

/* ---- output ---- */

static int finding_cmp(const void *a, const void *b)
{
    const struct finding *x = a, *y = b;
    if (x->field != y->field)
        return x->field < y->field ? -1 : 1;
    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    return x->e > y->e ? -1 : x->e < y->e;
}

static json_int_t cps(const char *s, uint32_t n)
{
    json_int_t c = 0;
    for (uint32_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Cuts an incomplete UTF-8 sequence that truncation left at the end of s. */
static void utf8_trim(char *s)
{
    size_t n = strlen(s), k = n;
    while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
        k--;
    if (k > 0 && sw_utf8_len((const unsigned char *)s + k - 1, n - (k - 1)) != (int)(n - k + 1))
        s[k - 1] = '\0';
}

static json_t *render(const struct sw_scanner *sc, const struct sw_listing *l, struct out *o)
{
    if (o->n > 1)
        qsort(o->v, o->n, sizeof *o->v, finding_cmp);
    /* one finding per place: overlapping findings of one type in one field are one */
    size_t w = 0;
    for (size_t i = 0; i < o->n; i++) {
        struct finding *x = &o->v[i];
        if (w > 0 && x->field >= 0) {
            struct finding *p = NULL;
            for (size_t k = w; k-- > 0 && o->v[k].field == x->field;)
                if (strcmp(o->v[k].r->type, x->r->type) == 0) {
                    p = &o->v[k];
                    break;
                }
            if (p && x->s < p->e) {
                if (x->e > p->e)
                    p->e = x->e;
                size_t pl = strlen(p->evidence);
                if (strcmp(p->evidence, x->evidence) != 0 && !strstr(p->evidence, x->evidence))
                    snprintf(p->evidence + pl, sizeof p->evidence - pl, "; %s", x->evidence);
                continue;
            }
        }
        o->v[w++] = *x;
    }
    o->n = w;
    json_t *arr = json_array();
    /* code points are counted with one cursor per field: findings are sorted by start */
    int cur_field = -1;
    uint32_t cur_byte = 0;
    json_int_t cur_cp = 0;
    for (size_t i = 0; i < o->n; i++) {
        struct finding *x = &o->v[i];
        utf8_trim(x->evidence);
        utf8_trim(x->excerpt_alt);
        json_t *f;
        if (x->field >= 0) {
            const char *t = l->text[x->field];
            if (x->field != cur_field) {
                cur_field = x->field;
                cur_byte = 0;
                cur_cp = 0;
            }
            cur_cp += cps(t + cur_byte, x->s - cur_byte);
            cur_byte = x->s;
            json_int_t start = cur_cp, end = cur_cp + cps(t + x->s, x->e - x->s);
            f = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:s%,s:s,s:s}", "type", x->r->type, "rule",
                          x->r->rule, "severity", x->r->severity, "field",
                          sw_scan_field_names[x->field], "start", start, "end", end, "excerpt",
                          t + x->s, (size_t)(x->e - x->s), "evidence", x->evidence,
                          "policy_version", sc->version);
        } else {
            f = json_pack("{s:s,s:s,s:s,s:s,s:i,s:i,s:s,s:s,s:s}", "type", x->r->type, "rule",
                          x->r->rule, "severity", x->r->severity, "field", x->where, "start", 0,
                          "end", 0, "excerpt", x->excerpt_alt, "evidence", x->evidence,
                          "policy_version", sc->version);
        }
        if (f)
            json_array_append_new(arr, f);
    }
    return arr;
}

/* ---- entry ---- */

/* Normalises the three fields into one buffer, 0xFF after each (a byte no UTF-8 text and no
 * pattern has), and matches them with one Hyperscan call. */
static int normalise_and_match(struct tls *tl, const struct sw_scanner *sc,
                               const struct sw_listing *l, struct sw_error *err)
{
    size_t need = 0;
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        size_t len = l->text[fi] ? l->len[fi] : 0;
        if (len > UINT32_MAX / 4)
            return sw_fail(err, SW_E_PAYLOAD_TOO_LARGE, sw_scan_field_names[fi], "text too long");
        need += SW_NORM_CAP(len) + 1;
    }
    if (need > UINT32_MAX / 2)
        return sw_fail(err, SW_E_PAYLOAD_TOO_LARGE, NULL, "listing too long");
    if (need > tl->cap) {
        char *n = realloc(tl->norm, need);
        if (n)
            tl->norm = n;
        uint32_t *m = realloc(tl->map, (need + 1) * sizeof *m);
        if (m)
            tl->map = m;
        if (!n || !m)
            return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
        tl->cap = need;
    }
    uint32_t off = 0;
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        struct field *f = &tl->f[fi];
        f->sc = sc;
        f->orig = l->text[fi] ? l->text[fi] : "";
        f->olen = l->text[fi] ? l->len[fi] : 0;
        f->nhits = 0;
        f->start = off;
        f->norm = tl->norm + off;
        f->map = tl->map + off;
        long bad = sw_normalize_runs(f->orig, f->olen, f->norm, f->map, &f->n, &f->runs);
        if (f->runs.oom)
            return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
        if (bad >= 0)
            return sw_fail(err, SW_E_INVALID_UTF8, sw_scan_field_names[fi],
                           "%s is not valid UTF-8 (byte %ld)", sw_scan_field_names[fi], bad);
        off += (uint32_t)f->n;
        tl->norm[off++] = (char)0xFF;
    }
    tl->oom = false;
    hs_error_t he =
        sc->db ? hs_scan(sc->db, tl->norm, off, 0, tl->scratch, on_match, tl) : HS_SUCCESS;
    if (sc->pf && !tl->oom)
        prefilter(tl, sc->pf, off);
    if (tl->oom)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    if (he != HS_SUCCESS)
        return sw_fail(err, SW_E_INTERNAL, NULL, "hs_scan failed (%d)", (int)he);
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        struct field *f = &tl->f[fi];
        bool sorted = true;
        for (size_t i = 1; i < f->nhits && sorted; i++)
            sorted = hit_cmp(&f->hits[i - 1], &f->hits[i]) <= 0;
        if (!sorted)
            qsort(f->hits, f->nhits, sizeof *f->hits, hit_cmp);
    }
    return SW_OK;
}

/* The detectors over the three texts (their hits), then across them. */
static int text_detectors(struct tls *t, const struct sw_listing *l, struct out *o, unsigned *flags,
                          struct sw_error *err)
{
    const struct sw_scanner *sc = t->f[0].sc;
    signed char stack_applies[256];
    signed char *applies = sc->nlists <= 256 ? stack_applies : malloc((size_t)sc->nlists);
    if (!applies)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    for (int i = 0; i < sc->nlists; i++)
        applies[i] = (signed char)sw__catset_match(&sc->lists[i].cs, l->category);
    char pb[512]; /* the listing's brand, normalised */
    pb[0] = '\0';
    if (l->brand && l->brand[0]) {
        size_t bl = strlen(l->brand);
        char norm[SW_NORM_CAP(256)];
        uint32_t map[SW_NORM_CAP(256) + 1];
        size_t nl = 0;
        if (bl <= 256 && sw_normalize(l->brand, bl, norm, map, &nl) < 0) {
            memcpy(pb, norm, nl);
            pb[nl] = '\0';
        }
    }
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &t->f[fi];
        if (!f->nhits && !f->runs.n)
            continue;
        lists(f, fi, applies, o);
        contacts(f, fi, o);
        phones(f, fi, o);
        links(f, fi, o);
        promises(f, fi, l, o);
        prices(f, fi, l, o, flags);
        brands(f, fi, l, pb, o);
    }
    shipping(t->f, l, o);
    carriers(t->f, o);
    if (applies != stack_applies)
        free(applies);
    return SW_OK;
}

int sw_scan(const struct sw_scanner *sc, const struct sw_listing *l, json_t **findings,
            struct sw_error *err)
{
    unsigned flags;
    return sw_scan_flags(sc, l, findings, &flags, err);
}

int sw_scan_flags(const struct sw_scanner *sc, const struct sw_listing *l, json_t **findings,
                  unsigned *flags, struct sw_error *err)
{
    *flags = 0;
    struct tls *t = tls_get(sc);
    if (!t)
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot allocate scan scratch");
    int rc = normalise_and_match(t, sc, l, err);
    if (rc)
        return rc;
    atomic_fetch_add_explicit(&stat_listings, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&stat_bytes, l->len[0] + l->len[1] + l->len[2], memory_order_relaxed);
    struct out o = {0};
    bool any = false; /* most listings have no hit at all: nothing below needs doing then */
    for (int fi = 0; fi < SW_SF__COUNT; fi++)
        any |= t->f[fi].nhits > 0 || t->f[fi].runs.n > 0;
    if (any && (rc = text_detectors(t, l, &o, flags, err))) {
        free(o.v);
        return rc;
    }
    three_no(sc, l, &o);
    for (int i = 0; i < l->nimages; i++) {
        json_t *texts = json_array();
        rc = sw_image_qr_codes(l->images[i].data, l->images[i].len, texts, err);
        if (rc) {
            json_decref(texts);
            free(o.v);
            snprintf(err->field, sizeof err->field, "images[%d]", i);
            return rc;
        }
        size_t k;
        json_t *v;
        json_array_foreach(texts, k, v)
        {
            struct finding *x = add(&o, &sc->qr, -1, 0, 0);
            if (!x)
                continue;
            x->where = "images";
            snprintf(x->excerpt_alt, sizeof x->excerpt_alt, "%s",
                     l->images[i].name ? l->images[i].name : "");
            snprintf(x->evidence, sizeof x->evidence, "%s", json_string_value(v));
        }
        json_decref(texts);
    }
    if (o.oom) {
        free(o.v);
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    }
    *findings = render(sc, l, &o);
    free(o.v);
    return *findings ? SW_OK : sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
}
