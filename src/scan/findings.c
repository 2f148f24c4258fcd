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
    *f = (struct finding){
        .r = r, .field = field, .s = s, .e = e, .seq = (uint32_t)o->n, .ev = SIZE_MAX};
    o->n++;
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

/* Appends x's evidence to p's ("a; b"), unless p's already says it, cut like snprintf. */
static void merge_evidence(struct out *o, struct finding *p, const struct finding *x)
{
    if (same_span(p, x))
        return;
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

/* A finding about a structured field or an image: no span. */
static json_t *render_other(const struct sw_scanner *sc, const struct finding *x, const char *ev)
{
    char alt[SW_EVIDENCE_CAP];
    snprintf(alt, sizeof alt, "%s", x->alt ? x->alt : "");
    utf8_trim(alt);
    return json_pack("{s:s,s:s,s:s,s:s,s:i,s:i,s:s,s:s,s:s}", "type", x->r->type, "rule",
                     x->r->rule, "severity", x->r->severity, "field", x->where, "start", 0, "end",
                     0, "excerpt", alt, "evidence", ev, "policy_version", sc->version);
}

json_t *sw__render(const struct sw_scanner *sc, const struct sw_listing *l, struct out *o)
{
    if (o->n > 1)
        qsort(o->v, o->n, sizeof *o->v, finding_cmp);
    merge(o);
    json_t *arr = json_array();
    if (!arr)
        return NULL;
    /* code points are counted with one cursor per field: findings are sorted by start */
    int cur_field = -1;
    uint32_t cur_byte = 0;
    json_int_t cur_cp = 0;
    for (size_t i = 0; i < o->n; i++) {
        const struct finding *x = &o->v[i];
        char ev[SW_EVIDENCE_CAP];
        ev_of(o, x, ev);
        utf8_trim(ev);
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
                          t + x->s, (size_t)(x->e - x->s), "evidence", ev, "policy_version",
                          sc->version);
        } else {
            f = render_other(sc, x, ev);
        }
        if (f)
            json_array_append_new(arr, f);
    }
    return arr;
}
