/* An amount of each container and the count of those containers, said apart (每包25g，共30包;
 * 25g/袋，30袋; 共6盒，每盒2瓶; 各150g，共6袋): the two multiplied state the listing's whole (750g,
 * 12瓶) as 25g×30包 does; a dose times the doses of a day (每日3次，每次1片) states the day's
 * (3片). The container is the one character after 每 or 单 before the amount, or after its slash;
 * the count is digits or a numeral (两瓶) right before that same character, in the same sentence,
 * within COUNT_REACH bytes after the amount or before 每 (or before the amount: 两瓶 100片/瓶).
 * Read in the original text, as product_of reads 25g×30包 (specs.c). */
#include <string.h>

#include "scan/normclass.h"
#include "scan/specs_int.h"

#define COUNT_REACH 30

/* A sentence's end at o[p] (。；！？ or their ASCII forms, a line break). */
static bool sentence_end(const char *o, size_t n, size_t p)
{
    static const char *const ends[] = {"。", "；", "！", "？", NULL};
    if (o[p] == '\n' || o[p] == ';' || o[p] == '!' || o[p] == '?')
        return true;
    for (const char *const *w = ends; *w; w++)
        if (p + 3 <= n && memcmp(o + p, *w, 3) == 0)
            return true;
    return false;
}

/* The container before the amount starting at s: 每X or 单X right before it, a colon, 约 or
 * spaces between (每包约25g, 每盒：2瓶). Its offset, or -1. */
static long container_before(const char *o, uint32_t s)
{
    uint32_t p = s;
    for (int k = 0; k < 3 && p > 0; k++) {
        if (o[p - 1] == ' ' || o[p - 1] == ':')
            p--;
        else if (p >= 3 && (memcmp(o + p - 3, "约", 3) == 0 || memcmp(o + p - 3, "：", 3) == 0))
            p -= 3;
        else
            break;
    }
    if (p < 6 || !sw__ideograph_at(o, p, p - 3))
        return -1;
    if (memcmp(o + p - 6, "每", 3) != 0 && memcmp(o + p - 6, "单", 3) != 0)
        return -1;
    return (long)p - 3;
}

/* The container after the amount ending at e: its slash and one character (25g/包). */
static long container_after(const char *o, size_t n, uint32_t e)
{
    if (e < n && o[e] == '/' && sw__ideograph_at(o, n, e + 1))
        return (long)e + 1;
    if (e + 3 <= n && memcmp(o + e, "／", 3) == 0 && sw__ideograph_at(o, n, e + 3))
        return (long)e + 3;
    return -1;
}

/* The value of the numeral character ending right before o[at] (the normaliser's table: 两 2,
 * 三 3...; 十 10), -1 when it is none. */
static int64_t numeral_at(const char *o, size_t at)
{
    int l = 0;
    uint32_t cp = at >= 3 ? sw__cp_at(o + at - 3, 3, &l) : 0;
    if (l != 3)
        return -1;
    if (cp == 0x5341 || cp == 0x767E) /* 十, 百 */
        return cp == 0x5341 ? 10 : 100;
    return sw_norm_digit(cp);
}

/* One numeral character (两 to 十) ending right before o[at], not an ordinal (第二瓶) nor the end
 * of a longer number (十二罐, 二十罐): its value, or 0. */
static int64_t numeral_before(const char *o, size_t at)
{
    int64_t v = numeral_at(o, at);
    if (v < 2 || v > 10 ||
        (at >= 6 && (memcmp(o + at - 6, "第", 3) == 0 || numeral_at(o, at - 3) >= 0)))
        return 0;
    return v;
}

/* Digits (at most three) ending right before o[at], or a numeral (两瓶); their value, or 0. */
static int64_t count_before(const char *o, size_t at)
{
    if (at >= 3 && (unsigned char)o[at - 1] >= 0x80)
        return numeral_before(o, at);
    int64_t v = 0, scale = 1;
    size_t p = at;
    for (int k = 0; k < 3 && p > 0 && o[p - 1] >= '0' && o[p - 1] <= '9'; k++, p--) {
        v += (o[p - 1] - '0') * scale;
        scale *= 10;
    }
    if (p == at || (p > 0 && (o[p - 1] == '.' || (o[p - 1] >= '0' && o[p - 1] <= '9'))))
        return 0;
    return v;
}

/* The count of container c (3 bytes) in [from, to), stopping at a sentence's end; 0 if none.
 * Forward from `from` when fwd, else backward from `to`. */
static int64_t count_of(const char *o, size_t n, const char *c, size_t from, size_t to, bool fwd,
                        size_t *at)
{
    for (size_t i = 0; i < to - from; i++) {
        size_t p = fwd ? from + i : to - 1 - i;
        if (sentence_end(o, n, p))
            return 0;
        if (p + 3 <= n && memcmp(o + p, c, 3) == 0) {
            int64_t v = count_before(o, p);
            if (v) {
                *at = p + 3;
                return v;
            }
        }
    }
    return 0;
}

/* 各150g，共6袋: 各 right before the amount starting at s, and 共N and a container's character
 * after it in its sentence (within COUNT_REACH bytes of e): N, its end in *at; else 0. */
static int64_t each_of_all(const char *o, size_t n, uint32_t s, uint32_t e, size_t *at)
{
    uint32_t p = s;
    while (p > 0 && o[p - 1] == ' ')
        p--;
    if (p < 3 || memcmp(o + p - 3, "各", 3) != 0)
        return 0;
    size_t to = e + COUNT_REACH < n ? e + COUNT_REACH : n;
    for (size_t q = e; q + 3 <= to; q++) {
        if (sentence_end(o, n, q))
            return 0;
        if (memcmp(o + q, "共", 3) != 0)
            continue;
        size_t d = q + 3;
        while (d < n && o[d] >= '0' && o[d] <= '9' && d < q + 6)
            d++;
        int64_t v = d > q + 3 && sw__ideograph_at(o, n, d) ? count_before(o, d) : 0;
        if (v)
            *at = d + 3;
        return v;
    }
    return 0;
}

void sw__each_count(const struct field *f, struct amounts *as, const struct amount *a)
{
    const char *o = f->orig;
    size_t n = f->olen;
    long cb = container_before(o, a->s), ca = cb < 0 ? container_after(o, n, a->e) : -1;
    size_t all_at = 0;
    int64_t all = cb < 0 && ca < 0 ? each_of_all(o, n, a->s, a->e, &all_at) : 0;
    if (all >= 2 && all <= 999) {
        struct amount x = *a;
        if (__builtin_mul_overflow(a->v, all, &x.v))
            return;
        x.product = true;
        x.times = all;
        x.te = (uint32_t)all_at;
        sw__push_amount(as, x);
        return;
    }
    if (cb < 0 && ca < 0)
        return;
    const char *c = o + (cb >= 0 ? cb : ca);
    static const char *const no_container[] = {"斤", "两", "磅", NULL};
    for (const char *const *w = no_container; *w; w++)
        if (memcmp(c, *w, 3) == 0)
            return; /* 30-40只/斤: a rate */
    /* 每日3次，每次1片: a dose times the doses of a day is the day's amount (3片), still one
     * day's, never the listing's whole */
    bool dose = memcmp(c, "次", 3) == 0;
    size_t after = cb >= 0 ? a->e : (size_t)ca + 3, at = 0;
    size_t to = after + COUNT_REACH < n ? after + COUNT_REACH : n;
    int64_t k = dose ? 0 : count_of(o, n, c, after, to, true, &at);
    if (!k) { /* 共30包，每包25g: the count before 每; 两瓶 100片/瓶: before the amount */
        size_t each = cb >= 0 ? (size_t)cb - 3 : a->s,
               lo = each > COUNT_REACH ? each - COUNT_REACH : 0;
        k = count_of(o, n, c, lo, each, false, &at);
        at = a->e;
    }
    struct amount x = *a;
    if (k < 2 || k > 999 || __builtin_mul_overflow(a->v, k, &x.v))
        return;
    x.product = true;
    x.times = k;
    x.te = (uint32_t)at;
    x.per = dose && a->per;
    sw__push_amount(as, x);
}
