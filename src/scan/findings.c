/* Findings of one listing: collected by the detectors, then sorted, merged (overlapping
 * findings of one type in one field are one) and rendered as JSON. Every step is linear in
 * the number of findings, apart from the one sort. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/detect.h"

struct finding *sw__add(struct out *o, const struct sw_rule *r, int field, uint32_t s, uint32_t e)
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
    struct finding *f = &o->v[o->n];
    *f = (struct finding){.r = r, .field = field, .s = s, .e = e, .seq = o->seq++, .ev = SIZE_MAX};
    o->n++;
    return f;
}

struct finding *sw__renew(struct out *o, size_t i, uint32_t e)
{
    struct finding *f = &o->v[i];
    f->e = e;
    f->seq = o->seq++;
    return f;
}

struct finding *sw__add_at(struct out *o, const struct sw_rule *r, const struct field *f, int fi,
                           uint32_t from, uint32_t to)
{
    uint32_t s, e;
    sw__orig_span(f, from, to, &s, &e);
    return sw__add(o, r, fi, s, e);
}

/* Room for n more bytes of evidence text; its offset, or SIZE_MAX (o->oom set). */
static size_t text_reserve(struct out *o, size_t n)
{
    if (o->tn + n > o->tcap) {
        size_t cap = o->tcap ? o->tcap : 4096;
        while (cap < o->tn + n)
            cap *= 2;
        char *t = realloc(o->text, cap);
        if (!t) {
            o->oom = true;
            return SIZE_MAX;
        }
        o->text = t;
        o->tcap = cap;
    }
    size_t at = o->tn;
    o->tn += n;
    return at;
}

void sw__evidence(struct out *o, struct finding *x, const char *fmt, ...)
{
    if (!x)
        return;
    char buf[SW_EVIDENCE_CAP];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t n = strlen(buf) + 1, at = text_reserve(o, n);
    if (at == SIZE_MAX)
        return;
    memcpy(o->text + at, buf, n);
    x->ev = at;
}

void sw__ev_norm(struct finding *x, const struct field *f, uint32_t from, uint32_t to)
{
    if (!x)
        return;
    x->evp = f->norm + from;
    x->evn = to - from;
}

void sw__ev_about(struct finding *x, const char *s, size_t n)
{
    if (!x)
        return;
    uint32_t h = 2166136261u; /* FNV-1a; 0 is "not said" */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    x->about = h | 1u;
}

void sw__ev_excerpt(struct finding *x, const struct field *f)
{
    if (!x)
        return;
    x->evp = f->orig + x->s;
    x->evn = x->e - x->s;
}

void sw__out_free(struct out *o)
{
    free(o->v);
    free(o->text);
}

/* x's evidence as a string in buf (SW_EVIDENCE_CAP bytes). */
static const char *ev_of(const struct out *o, const struct finding *x, char *buf)
{
    if (x->evp) {
        size_t n = x->evn < SW_EVIDENCE_CAP - 1 ? x->evn : SW_EVIDENCE_CAP - 1;
        memcpy(buf, x->evp, n);
        buf[n] = '\0';
    } else {
        snprintf(buf, SW_EVIDENCE_CAP, "%s", x->ev == SIZE_MAX ? "" : o->text + x->ev);
    }
    return buf;
}

static bool same_span(const struct finding *p, const struct finding *x)
{
    uint32_t cap = SW_EVIDENCE_CAP - 1;
    return p->evp && p->evp == x->evp &&
           (p->evn < cap ? p->evn : cap) == (x->evn < cap ? x->evn : cap);
}

static int finding_cmp(const void *a, const void *b)
{
    const struct finding *x = a, *y = b;
    if (x->field != y->field)
        return x->field < y->field ? -1 : 1;
    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    if (x->e != y->e)
        return x->e > y->e ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq; /* as a stable sort leaves them */
}

/* Appends x's evidence to p's ("a; b"), unless p's already says it (the same text, or it
 * names what p's names), cut like snprintf. */
static void merge_evidence(struct out *o, struct finding *p, const struct finding *x)
{
    if (same_span(p, x) || (p->about && p->about == x->about) || (x->weak_ev && !p->weak_ev))
        return;
    if (p->weak_ev && !x->weak_ev) { /* 加微信 abc_shop1: the account, not "加微信; abcshop1" */
        p->evp = x->evp;
        p->evn = x->evn;
        p->ev = x->ev;
        p->own_ev = x->own_ev;
        p->about = x->about;
        p->weak_ev = false;
        return;
    }
    char pb[SW_EVIDENCE_CAP], xb[SW_EVIDENCE_CAP];
    const char *pe = ev_of(o, p, pb), *xe = ev_of(o, x, xb);
    if (strcmp(pe, xe) == 0 || strstr(pe, xe))
        return;
    if (!p->own_ev) { /* p's own block, that later merges append to in place */
        size_t at = text_reserve(o, SW_EVIDENCE_CAP);
        if (at == SIZE_MAX)
            return;
        memcpy(o->text + at, pe, strlen(pe) + 1);
        p->evp = NULL;
        p->ev = at;
        p->own_ev = true;
    }
    char *d = o->text + p->ev;
    size_t pl = strlen(d);
    snprintf(d + pl, SW_EVIDENCE_CAP - pl, "; %s", xe);
}

/* The last kept finding of each type in the current field, so that merging does not search
 * back past the findings of other types (which may be many). */
struct last_kept {
    const char *type[16];
    size_t at[16];
    int n;
};

static size_t *last_of(struct last_kept *lk, const char *type)
{
    for (int i = 0; i < lk->n; i++)
        if (strcmp(lk->type[i], type) == 0)
            return &lk->at[i];
    if (lk->n == 16)
        return NULL;
    lk->type[lk->n] = type;
    lk->at[lk->n] = SIZE_MAX;
    return &lk->at[lk->n++];
}

/* Findings of x's type and field near index i (within a few): the furthest end of those before
 * it, and the first after it that starts later than it. */
static bool same_kind(const struct finding *x, const struct finding *y)
{
    return y->field == x->field && strcmp(y->r->type, x->r->type) == 0;
}

static uint32_t end_before(const struct out *o, size_t i)
{
    uint32_t e = 0;
    for (size_t k = 1; k <= 8 && k <= i; k++)
        if (same_kind(&o->v[i], &o->v[i - k]) && o->v[i - k].e > e)
            e = o->v[i - k].e;
    return e;
}

static const struct finding *next_later(const struct out *o, size_t i)
{
    for (size_t j = i + 1; j < o->n && j <= i + 8; j++)
        if (same_kind(&o->v[i], &o->v[j]) && o->v[j].s > o->v[i].s)
            return &o->v[j];
    return NULL;
}

/* A finding that only bridges two apart ones of its type (治疗糖尿病 预防癌症: the disease-then-end
 * phrase 糖尿病…预防 spans the end of the first claim and the start of the second) says nothing
 * they do not: dropped, so that two claims stay two occurrences instead of merging into one. */
static void drop_bridges(struct out *o)
{
    size_t w = 0;
    for (size_t i = 0; i < o->n; i++) {
        const struct finding *x = &o->v[i], *q;
        uint32_t pe;
        if (x->field >= 0 && (pe = end_before(o, i)) > x->s && pe < x->e &&
            (q = next_later(o, i)) && q->s >= pe && q->s < x->e && q->e >= x->e)
            continue;
        o->v[w++] = *x;
    }
    o->n = w;
}

/* One finding per place: overlapping findings of one type in one field are one. */
static void merge(struct out *o)
{
    struct last_kept lk = {.n = 0};
    int field = -2;
    size_t w = 0;
    for (size_t i = 0; i < o->n; i++) {
        struct finding x = o->v[i];
        if (x.field != field) {
            field = x.field;
            lk.n = 0;
        }
        size_t back = SIZE_MAX, *last = NULL;
        if (x.field >= 0 && !(last = last_of(&lk, x.r->type))) {
            /* more types than the table holds: search back */
            for (size_t k = w; k-- > 0 && o->v[k].field == x.field;)
                if (strcmp(o->v[k].r->type, x.r->type) == 0) {
                    back = k;
                    break;
                }
            last = &back;
        }
        struct finding *p = last && *last != SIZE_MAX ? &o->v[*last] : NULL;
        if (p && x.s < p->e) {
            if (x.e > p->e)
                p->e = x.e;
            merge_evidence(o, p, &x);
            continue;
        }
        if (last)
            *last = w;
        o->v[w++] = x;
    }
    o->n = w;
}

json_int_t sw__cps(const char *s, uint32_t n)
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

/* The strings that most findings repeat (type, rule, severity, field name, policy version):
 * made once per listing and shared by reference, keyed by the address of their text. */
struct shared {
    const char *key[32];
    json_t *v[32];
    int n;
};

static json_t *shared_str(struct shared *c, const char *s)
{
    for (int i = 0; i < c->n; i++)
        if (c->key[i] == s)
            return json_incref(c->v[i]);
    json_t *v = json_string(s);
    if (v && c->n < 32) {
        c->key[c->n] = s;
        c->v[c->n++] = json_incref(v);
    }
    return v;
}

static void shared_free(struct shared *c)
{
    for (int i = 0; i < c->n; i++)
        json_decref(c->v[i]);
}

/* {type, rule, severity, field, start, end, excerpt, evidence, policy_version} in this order;
 * NULL when a value could not be made (the finding is left out, as json_pack did). Steals
 * excerpt. */
static json_t *finding_json(struct shared *c, const struct sw_scanner *sc, const struct finding *x,
                            const char *field, json_int_t start, json_int_t end, json_t *excerpt,
                            const char *ev)
{
    const char *keys[] = {"type", "rule",    "severity", "field",         "start",
                          "end",  "excerpt", "evidence", "policy_version"};
    json_t *v[] = {shared_str(c, x->r->type),
                   shared_str(c, x->r->rule),
                   shared_str(c, x->r->severity),
                   shared_str(c, field),
                   json_integer(start),
                   json_integer(end),
                   excerpt,
                   json_string(ev),
                   shared_str(c, sc->version)};
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (!o || !v[i] || json_object_set_new_nocheck(o, keys[i], v[i]) != 0) {
            for (size_t k = i + 1; k < sizeof v / sizeof v[0]; k++)
                json_decref(v[k]);
            json_decref(o); /* v[i] was taken (or NULL) */
            return NULL;
        }
    return o;
}

/* A finding about a structured field or an image: no span. */
static json_t *render_other(struct shared *c, const struct sw_scanner *sc, const struct finding *x,
                            const char *ev)
{
    char alt[SW_EVIDENCE_CAP];
    snprintf(alt, sizeof alt, "%s", x->alt ? x->alt : "");
    utf8_trim(alt);
    return finding_json(c, sc, x, x->where, 0, 0, json_string(alt), ev);
}

/* The same rule, field and evidence (one account or claim written again further on) is listed
 * at most this many times; the occurrences past them are counted on the last one listed as
 * "repeats": n. A listing that writes one thing thousands of times then gives a handful of
 * findings, not thousands of copies for the writer to store (issue 10); one that writes it a
 * few times lists each place. "Per occurrence" penalties count distinct evidence (docs/
 * penalty.md), so folding changes no penalty. */
#define LISTED_REPEATS 8

/* What has been listed: a rule, a field and an evidence (a prefix of src, which outlives the
 * render), how many of them are listed and the index in arr of the last one. Few findings have
 * a listing: a linear search, on the stack up to SEEN_INLINE. */
#define SEEN_INLINE 32
struct seen_one {
    const void *r;
    const char *src;
    size_t len;
    int field;
    uint32_t listed, last;
};
struct seen {
    struct seen_one in[SEEN_INLINE], *v;
    size_t n, cap;
};

static struct seen_one *seen_add(struct seen *s)
{
    if (s->n == s->cap) {
        size_t cap = s->cap * 2;
        struct seen_one *v =
            s->v == s->in ? malloc(cap * sizeof *v) : realloc(s->v, cap * sizeof *v);
        if (!v)
            return NULL; /* not remembered: listed again, still bounded by max_findings */
        if (s->v == s->in)
            memcpy(v, s->in, sizeof s->in);
        s->v = v;
        s->cap = cap;
    }
    return &s->v[s->n++];
}

/* True when x (its evidence ev, a prefix of src) was folded into an earlier finding of arr. */
static bool fold_repeat(struct seen *s, json_t *arr, const struct finding *x, const char *src,
                        const char *ev)
{
    size_t len = strlen(ev);
    struct seen_one *e = NULL;
    for (size_t i = 0; i < s->n && !e; i++)
        if (s->v[i].r == x->r && s->v[i].field == x->field && s->v[i].len == len &&
            memcmp(s->v[i].src, ev, len) == 0)
            e = &s->v[i];
    if (e && e->listed >= LISTED_REPEATS) {
        json_t *last = json_array_get(arr, e->last);
        json_int_t r = json_integer_value(json_object_get(last, "repeats"));
        json_object_set_new(last, "repeats", json_integer(r + 1));
        return true;
    }
    if (!e && (e = seen_add(s)))
        *e = (struct seen_one){x->r, src, len, x->field, 0, 0};
    if (e) {
        e->listed++;
        e->last = (uint32_t)json_array_size(arr);
    }
    return false;
}

json_t *sw__render(const struct sw_scanner *sc, const struct sw_listing *l, struct out *o)
{
    if (o->n > 1)
        qsort(o->v, o->n, sizeof *o->v, finding_cmp);
    drop_bridges(o);
    merge(o);
    json_t *arr = json_array();
    if (!arr)
        return NULL;
    struct seen seen;
    seen.v = seen.in;
    seen.n = 0;
    seen.cap = SEEN_INLINE;
    struct shared c = {.n = 0};
    /* code points are counted with one cursor per field: findings are sorted by start */
    int cur_field = -1;
    uint32_t cur_byte = 0;
    json_int_t cur_cp = 0;
    for (size_t i = 0; i < o->n; i++) {
        const struct finding *x = &o->v[i];
        char ev[SW_EVIDENCE_CAP];
        ev_of(o, x, ev);
        utf8_trim(ev);
        if (fold_repeat(&seen, arr, x,
                        x->evp              ? x->evp
                        : x->ev == SIZE_MAX ? ""
                                            : o->text + x->ev,
                        ev))
            continue;
        if ((int64_t)json_array_size(arr) >= sc->max_findings) {
            o->truncated = true; /* the writer stores what is kept: bounded (issue 10) */
            break;
        }
        json_t *f;
        if (x->field >= 0) {
            const char *t = l->text[x->field];
            if (x->field != cur_field) {
                cur_field = x->field;
                cur_byte = 0;
                cur_cp = 0;
            }
            cur_cp += sw__cps(t + cur_byte, x->s - cur_byte);
            cur_byte = x->s;
            json_int_t start = cur_cp, end = cur_cp + sw__cps(t + x->s, x->e - x->s);
            f = finding_json(&c, sc, x, sw_scan_field_names[x->field], start, end,
                             json_stringn(t + x->s, x->e - x->s), ev);
        } else {
            f = render_other(&c, sc, x, ev);
        }
        if (f)
            json_array_append_new(arr, f);
    }
    shared_free(&c);
    if (seen.v != seen.in)
        free(seen.v);
    return arr;
}

uint32_t sw__next_word(const struct field *f, const struct sw_words *w, uint32_t from,
                       uint32_t *start)
{
    return sw__next_word_in(f, w, from, (uint32_t)f->n, start);
}

uint32_t sw__next_word_in(const struct field *f, const struct sw_words *w, uint32_t from,
                          uint32_t to, uint32_t *start)
{
    if (to > f->n)
        to = (uint32_t)f->n;
    if (w->any_short || w->n > 16) { /* each word's own pass (the filter cannot speak for it) */
        uint32_t best = 0;
        for (int i = 0; i < w->n && from < to; i++) {
            const char *m = memmem(f->norm + from, to - from, w->w[i], w->len[i]);
            uint32_t p = m ? (uint32_t)(m - f->norm) : 0;
            if (m && (!best || p < *start || (p == *start && p + w->len[i] > best))) {
                *start = p;
                best = p + w->len[i];
            }
        }
        return best;
    }
    /* one pass over the ends (the filter passes most bytes at once): the word that starts
     * first wins, the longer at one start; once one ends, a word starting before it can still
     * end up to the longest word's length later */
    uint32_t maxl = 0, best = 0, bs = 0;
    for (int i = 0; i < w->n; i++)
        maxl = w->len[i] > maxl ? w->len[i] : maxl;
    for (uint32_t e = from + 2; e <= to && (!best || e <= bs + maxl); e++) {
        if (!sw__words_may_end(w, f->norm + e))
            continue;
        for (int i = 0; i < w->n; i++) {
            uint32_t l = w->len[i];
            if (e >= from + l && memcmp(f->norm + e - l, w->w[i], l) == 0 &&
                (!best || e - l < bs || (e - l == bs && e > best))) {
                bs = e - l;
                best = e;
            }
        }
    }
    if (best)
        *start = bs;
    return best;
}
