/* Garment sizes (consistency.spec.sizes): the letter sizes or the one size the titles state
 * (M/L/XL, S-XXL, 均码) against what the detail says of them.
 *
 * A size is a run of ASCII letters and digits of the original text that is one of the sizes
 * (XS, S, M, L, XL, XXL = 2XL, XXXL = 3XL, 4XL, 5XL; 5L or S925 are none), and S-XXL is every
 * size from S to XXL. The detail says which sizes there are after a size label (尺码：S/M/L/XL,
 * read to the end of its sentence), which are all there is after an `only` word (只剩 M、L), and
 * which one is missing (无M码, M码已断). Findings, one at most:
 *  - the titles say one size (均码) and a size label lists two or more (尺码：S/M/L/XL);
 *  - the titles list sizes and a size label says one size (尺码：均码);
 *  - a size label lists sizes and none of the titles' is among them (S码 against 尺码：M);
 *  - the titles list two or more sizes and the size labels, listing two or more, leave one of
 *    them out (S-XL against 尺码：M/L/XL/XXL: the labels list the sizes there are), read to
 *    the end of each label's sentence (a size table: S：衣长105｜M：衣长106｜...);
 *  - the titles list a size that the detail says is all there is not (M/L/XL against 只有S和M),
 *    or that it says is missing.
 * Cost: nothing outside the rule's categories, or when the titles state no size. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "scan/detect.h"

#define LIST_REACH 60   /* original bytes after a label or an `only` word read for sizes */
#define TABLE_REACH 400 /* ... and after a label to the end of its sentence (a size table) */

static const char *const size_names[] = {"XS", "S", "M", "L", "XL", "XXL", "XXXL", "4XL", "5XL"};
enum { NSIZES = sizeof size_names / sizeof size_names[0] };

/* The size a run of letters and digits names, or -1. */
static int size_of(const char *s, size_t n)
{
    char up[8];
    if (n == 0 || n >= sizeof up)
        return -1;
    for (size_t i = 0; i < n; i++)
        up[i] = (char)toupper((unsigned char)s[i]);
    up[n] = '\0';
    if (strcmp(up, "2XL") == 0)
        return 5;
    if (strcmp(up, "3XL") == 0)
        return 6;
    for (int k = 0; k < NSIZES; k++)
        if (strcmp(up, size_names[k]) == 0)
            return k;
    return -1;
}

static bool alnum_at(const char *s, size_t i)
{
    return isalnum((unsigned char)s[i]) != 0;
}

static bool range_mark(const char *s, size_t n, size_t i, size_t *len)
{
    if (i < n && (s[i] == '-' || s[i] == '~')) {
        *len = 1;
        return true;
    }
    static const char *const marks[] = {"～", "至", "到", "－", NULL};
    for (int k = 0; marks[k]; k++)
        if (i + 3 <= n && memcmp(s + i, marks[k], 3) == 0) {
            *len = 3;
            return true;
        }
    return false;
}

/* The sizes in orig[from, to) as a mask, a range (S-XXL) filled in; *last gets the end of the
 * last one. Stops at the end of a sentence (。；, a new line) when `sentence`. */
static unsigned sizes_in(const struct field *f, size_t from, size_t to, bool sentence, size_t *last)
{
    const char *s = f->orig;
    size_t n = to < f->olen ? to : f->olen;
    unsigned mask = 0;
    int prev = -1;
    size_t prev_end = 0;
    for (size_t i = from; i < n;) {
        if (sentence && (s[i] == '\n' || (i + 3 <= n && (memcmp(s + i, "。", 3) == 0 ||
                                                         memcmp(s + i, "；", 3) == 0))))
            break;
        if (!alnum_at(s, i)) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < f->olen && alnum_at(s, j))
            j++;
        bool alone = i == 0 || !alnum_at(s, i - 1);
        int k = alone ? size_of(s + i, j - i) : -1;
        if (k >= 0) {
            size_t ml;
            if (prev >= 0 && range_mark(s, n, prev_end, &ml) && prev_end + ml == i && prev < k)
                for (int m = prev; m <= k; m++)
                    mask |= 1u << m;
            mask |= 1u << k;
            prev = k;
            prev_end = j;
            *last = j;
        }
        i = j;
    }
    return mask;
}

/* Original offset right after normalised offset p's character. */
static size_t orig_after(const struct field *f, uint32_t p)
{
    return p >= f->n ? f->olen : f->map[p];
}

static bool has_word(const struct field *f, const struct sw_words *w)
{
    uint32_t s;
    return f->n && sw__next_word(f, w, 0, &s) != 0;
}

enum { SAID_LISTED, SAID_ONE, SAID_ONLY, SAID_MISSING, SAID_KINDS };

struct said {
    unsigned listed, only, missing;
    unsigned tabled; /* the sizes listed right after a label, to the end of its sentence */
    bool one;        /* a label says one size (尺码：均码) */
    uint32_t s[SAID_KINDS], e[SAID_KINDS]; /* the original bytes that first said each */
};

static void note(struct said *d, int kind, uint32_t s, uint32_t e)
{
    if (d->e[kind] == 0) {
        d->s[kind] = s;
        d->e[kind] = e > s ? e : s + 1;
    }
}

/* Whether one of `words` ends at orig[p] (back: up to 3 bytes before it too) or starts there;
 * the start or end of the word found goes to *at. The words are compared with the original
 * bytes: they are Chinese, which normalising leaves alone. */
static bool word_at(const struct sw_words *w, const char *s, size_t n, size_t p, bool back,
                    size_t *at)
{
    for (int i = 0; i < w->n; i++) {
        size_t l = w->len[i];
        for (size_t gap = 0; back && gap <= 3; gap += 3)
            if (p >= l + gap && memcmp(s + p - gap - l, w->w[i], l) == 0) {
                *at = p - gap - l;
                return true;
            }
        if (!back && p + l <= n && memcmp(s + p, w->w[i], l) == 0) {
            *at = p + l;
            return true;
        }
    }
    return false;
}

/* 无M码, 没有M码, M码已断, （M码已断）: sizes said to be missing (a word of `missing` up to one
 * character before the size, or right after its 码). One look back from each 码. */
static void missing_sizes(const struct sw_sizes *sz, const struct field *f, struct said *d)
{
    const char *s = f->orig;
    size_t n = f->olen;
    for (const char *m = s; (m = memmem(m, n - (size_t)(m - s), "码", 3)) != NULL; m += 3) {
        size_t p = (size_t)(m - s), q = p;
        while (q > 0 && p - q < 6 && alnum_at(s, q - 1))
            q--;
        int k = q < p && (q == 0 || !alnum_at(s, q - 1)) ? size_of(s + q, p - q) : -1;
        size_t from = q, to = p + 3;
        if (k < 0 || !(word_at(&sz->missing, s, n, q, true, &from) ||
                       word_at(&sz->missing, s, n, p + 3, false, &to)))
            continue;
        d->missing |= 1u << k;
        note(d, SAID_MISSING, (uint32_t)from, (uint32_t)to);
    }
}

/* The sizes start right after a label (尺码：S / M, 尺码｜M, 【尺码表】 and a line break): a list
 * of the sizes there are, not advice (尺码偏小，建议拍大一码; 尺码：建议M码穿L). *lined: a line
 * break came first, so the list is a table of lines. */
static bool list_starts(const struct field *f, size_t from, bool *lined)
{
    const char *s = f->orig;
    size_t p = from;
    *lined = false;
    while (p < f->olen && p - from <= 8) {
        if (s[p] == '\n' || s[p] == '\r') {
            *lined = true; /* a table whose rows are lines: read past their ends */
            p++;
        } else if (s[p] == ' ' || s[p] == ':' || s[p] == '|') {
            p++;
        } else if (p + 3 <= f->olen &&
                   (memcmp(s + p, "：", 3) == 0 || memcmp(s + p, "｜", 3) == 0 ||
                    memcmp(s + p, "】", 3) == 0 || memcmp(s + p, "表", 3) == 0)) {
            p += 3;
        } else {
            break;
        }
    }
    return p < f->olen && p - from <= 8 && alnum_at(s, p);
}

/* A one-size word counts within 12 original bytes of its label (尺码：均码): 12 bytes normalise
 * to at most this many, so no search goes further. */
#define ONE_SIZE_NEAR 64

static void detail_says(const struct sw_sizes *sz, const struct field *f, struct said *d)
{
    uint32_t s, e = 0;
    while ((e = sw__next_word(f, &sz->labels, e, &s)) != 0) {
        size_t from = orig_after(f, e), last = from;
        unsigned m = sizes_in(f, from, from + LIST_REACH, true, &last);
        size_t table_end = from;
        bool lined;
        unsigned tab = list_starts(f, from, &lined)
                           ? sizes_in(f, from, from + TABLE_REACH, !lined, &table_end)
                           : 0;
        d->tabled |= tab;
        uint32_t os, oe;
        sw__orig_span(f, s, e, &os, &oe);
        uint32_t one_s;
        uint32_t one_e = sw__next_word_in(f, &sz->one_size, e, e + ONE_SIZE_NEAR, &one_s);
        if (m) {
            d->listed |= m;
            note(d, SAID_LISTED, os, (uint32_t)last);
        } else if (lined && tab) { /* 【尺码表】 and its rows: the table says the sizes */
            note(d, SAID_LISTED, os, (uint32_t)table_end);
        } else if (one_e && f->map[one_s] < from + 12) { /* 尺码：均码 */
            d->one = true;
            uint32_t us, ue;
            sw__orig_span(f, one_s, one_e, &us, &ue);
            note(d, SAID_ONE, os, ue);
        }
    }
    e = 0;
    while ((e = sw__next_word(f, &sz->only, e, &s)) != 0) {
        size_t from = orig_after(f, e), last = from;
        unsigned m = sizes_in(f, from, from + LIST_REACH / 2, true, &last);
        uint32_t os, oe, one_s,
            one_e = m ? 0 : sw__next_word_in(f, &sz->one_size, e, e + ONE_SIZE_NEAR, &one_s);
        sw__orig_span(f, s, e, &os, &oe);
        if (m) {
            d->only |= m;
            note(d, SAID_ONLY, os, (uint32_t)last);
        } else if (one_e && f->map[one_s] < from + 6) { /* 只有均码 */
            d->one = true;
            uint32_t us, ue;
            sw__orig_span(f, one_s, one_e, &us, &ue);
            note(d, SAID_ONE, os, ue);
        }
    }
    missing_sizes(sz, f, d);
}

static void names_of(unsigned mask, char *out, size_t cap)
{
    out[0] = '\0';
    for (int k = 0; k < NSIZES; k++)
        if (mask >> k & 1u)
            snprintf(out + strlen(out), cap - strlen(out), "%s%s", out[0] ? "/" : "",
                     size_names[k]);
}

void sw__sizes(const struct field *fs, const char *cat, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    const struct sw_sizes *sz = &sc->sizes;
    const struct field *dt = &fs[SW_SF_DETAIL];
    if (!sz->on || !dt->olen || (!sz->cs.all && !sw__catset_match(&sz->cs, cat)))
        return;
    unsigned t = 0;
    bool one = false;
    for (int fi = SW_SF_TITLE; fi <= SW_SF_SHORT_TITLE; fi++) {
        size_t last = 0;
        t |= sizes_in(&fs[fi], 0, fs[fi].olen, false, &last);
        one |= has_word(&fs[fi], &sz->one_size);
    }
    if (!t && !one)
        return;
    struct said d = {0};
    detail_says(sz, dt, &d);
    char a[64];
    names_of(t, a, sizeof a);
    int kind = -1;
    /* 均码 against 尺码：S/M/L/XL or a table of rows S…, M…; S码 against 尺码：M; S-XL against
     * 尺码：M/L/XL/XXL (no S) */
    if ((one && !t && (__builtin_popcount(d.listed) >= 2 || __builtin_popcount(d.tabled) >= 2)) ||
        (t && d.listed && !(t & d.listed)) ||
        (__builtin_popcount(t) >= 2 && __builtin_popcount(d.tabled) >= 2 && (t & ~d.tabled)))
        kind = SAID_LISTED;
    else if (t && d.one && !d.listed)
        kind = SAID_ONE; /* S/M/L against 尺码：均码 */
    else if (t && d.only && (t & ~d.only))
        kind = SAID_ONLY; /* M/L/XL against 只有S和M */
    else if (t & d.missing)
        kind = SAID_MISSING; /* M against 无M码 */
    if (kind < 0)
        return;
    uint32_t s = d.s[kind], e = d.e[kind];
    struct finding *x = sw__add(o, &sc->spec, SW_SF_DETAIL, s, e);
    sw__evidence(o, x, "the titles say %s; the detail says %.*s", t ? a : "one size",
                 sw__ev_len(e - s), dt->orig + s);
}
