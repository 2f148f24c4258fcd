/* Key-info consistency of specifications (RULES.md §3): amounts with units in the titles
 * against the detail's labelled ones and the short title's (weight, volume, count, size,
 * storage...), each of a unit class, compared only with amounts of the same class. Split from
 * consistency.c, which keeps the checks against the structured fields. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/normclass.h"
#include "scan/specs_int.h"

/* ---- specifications: amounts with units in the titles against the detail's ---- */

static int orig_digit(const struct field *f, uint32_t off, int *len)
{
    uint32_t cp = sw__cp_at(f->orig + off, f->olen - off, len);
    if (cp >= 0xFF10 && cp <= 0xFF19)
        return (int)(cp - 0xFF10);
    return cp >= '0' && cp <= '9' ? (int)(cp - '0') : -1;
}

/* The number that ends with the digit at original offset `last` ("1.5" of "1.5kg"): read back
 * over at most 12 digits, one dot and commas between groups of three ("1,000ml"); its value in
 * thousandths and where it starts. */
static bool number_before(const struct field *f, uint32_t last, int64_t *milli, uint32_t *start)
{
    uint32_t p = last;
    int digits = 0, dots = 0, commas = 0, group = 0; /* group: digits since a dot or comma */
    for (;;) {
        uint32_t ps;
        int l;
        if (p == 0)
            break;
        ps = p - 1;
        while (ps > 0 && ((unsigned char)f->orig[ps] & 0xC0) == 0x80)
            ps--;
        int d = orig_digit(f, ps, &l);
        if (d >= 0 && digits < 12) {
            digits++;
            group++;
        } else if (f->orig[ps] == '.' && dots == 0 && commas == 0 && digits > 0) {
            dots++;
            group = 0;
        } else if (f->orig[ps] == ',' && group == 3 && ps > 0 && f->orig[ps - 1] >= '0' &&
                   f->orig[ps - 1] <= '9') {
            group = 0;
            commas++;
        } else {
            break;
        }
        p = ps;
    }
    if (f->orig[p] == '.')
        p++;
    if (p > 0 && f->orig[p - 1] == '#')
        return false; /* #03 色号: a shade's code, not a count */
    if (p > 0) {      /* 维生素B6片, Ｑ10: a name's number, not a count (500gx2袋 is two) */
        uint32_t b = p - 1;
        while (b > 0 && ((unsigned char)f->orig[b] & 0xC0) == 0x80)
            b--;
        int l = 0;
        uint32_t cp = sw__cp_at(f->orig + b, p - b, &l);
        if (cp >= 0xFF21 && cp <= 0xFF5A) /* full-width letters as their ASCII ones */
            cp -= 0xFF21 - 'A';
        if (cp < 0x80 && isalpha((int)cp) && cp != 'x' && cp != 'X')
            return false;
    }
    if (sw__sign_before(f->orig, p))
        return false; /* 折合约¥2/袋: money, not a count */
    *start = p;
    int64_t whole;
    *milli = sw__orig_milli(f, p, last, &whole, NULL, NULL);
    return whole < INT64_C(1000000000000);
}

int64_t sw__orig_milli(const struct field *f, uint32_t p, uint32_t last, int64_t *whole_out,
                       int *digits, int *decimals)
{
    int64_t whole = 0, frac = 0;
    int fd = 0, nd = 0, all_fd = 0;
    bool after = false;
    int l = 1;
    for (uint32_t q = p; q <= last; q += (uint32_t)l) {
        int d = orig_digit(f, q, &l);
        if (d < 0 && (f->orig[q] == ',' || f->orig[q] == ' ')) { /* between groups of three */
            l = 1;
            continue;
        }
        if (d < 0) {
            after = true;
            l = 1;
            continue;
        }
        nd++;
        if (!after) {
            whole = whole * 10 + d;
        } else {
            all_fd++;
            if (fd < 3) {
                frac = frac * 10 + d;
                fd++;
            }
        }
    }
    while (fd++ < 3)
        frac *= 10;
    if (whole_out)
        *whole_out = whole;
    if (digits)
        *digits = nd;
    if (decimals)
        *decimals = all_fd;
    return whole * 1000 + frac;
}

/* The number starting at original offset s ends a range (80-100g, 1~1.2斤, 3至5斤): the
 * length of the dash before it, 0 when it does not. A range states both its ends. */
static uint32_t range_dash(const struct field *f, uint32_t s)
{
    static const char *const dashes[] = {"-", "~", "～", "至", "到", "—", NULL};
    for (int i = 0; dashes[i]; i++) {
        uint32_t l = (uint32_t)strlen(dashes[i]);
        int dl;
        if (s >= l + 1 && memcmp(f->orig + s - l, dashes[i], l) == 0 &&
            orig_digit(f, s - l - 1, &dl) >= 0)
            return l;
    }
    return 0;
}

/* A spec label hit within 8 characters before the amount or 4 after it (bytes, bounded), or a
 * count label matched with the amount's first digit (共8只: *total, the label's owner 1). */
static bool spec_labelled(const struct field *f, uint32_t from, uint32_t to, bool *total)
{
    uint32_t lo_to = from > 24 ? from - 24 : 0, hi_from = to + 12;
    size_t lo = sw__first_hit_ending(f, lo_to);
    bool near = false; /* a label nearby; a count label on the digit may still follow */
    for (size_t i = lo; i < f->nhits && f->hits[i].to <= hi_from + 24; i++) {
        const struct hit *h = &f->hits[i];
        if (sw__role(f, h) != R_SPEC_LABEL)
            continue;
        if (sw__owner(f, h) == 1 && h->from < from && h->to <= from + 1) {
            uint32_t k = h->to; /* a count label ends on the number's first digit (共计9|6) */
            while (k <= from && ((f->norm[k] >= '0' && f->norm[k] <= '9') || f->norm[k] == '.'))
                k++;
            if (k > from) {
                *total = true; /* 每包38片，共计96片: the 96 is a total */
                return true;
            }
        }
        if (h->from < from && h->to > from && h->to <= to)
            return true;
        near |= (h->to <= from && h->to >= lo_to) || (h->from >= to && h->from <= hi_from);
    }
    return near;
}

void sw__push_amount(struct amounts *as, struct amount a)
{
    if (as->n < SPEC_MAX)
        as->a[as->n++] = a;
}

/* "500g×2", "30片/盒×2盒": the amount times the count also states the spec (the amount may be
 * of one container first: a slash and one character). */
static void product_of(const struct field *f, struct amounts *as, const struct amount *a)
{
    uint32_t p = a->e;
    while (p < f->olen && f->orig[p] == ' ')
        p++;
    int l = 0;
    if (p + 3 <= f->olen && memcmp(f->orig + p, "装", 3) == 0)
        p += 3; /* 半斤装×2罐 */
    if (p + 1 < f->olen && f->orig[p] == '/' && (unsigned char)f->orig[p + 1] >= 0x80) {
        sw__cp_at(f->orig + p + 1, f->olen - p - 1, &l);
        p += 1 + (uint32_t)l;
    }
    while (p < f->olen && f->orig[p] == ' ') /* 35g/袋 × 20袋 */
        p++;
    uint32_t cp = p < f->olen ? sw__cp_at(f->orig + p, f->olen - p, &l) : 0;
    if (!(cp == '*' || cp == 'x' || cp == 'X' || cp == 0xD7 || cp == 0x2715 || cp == 0xFF0A))
        return;
    p += (uint32_t)l;
    while (p < f->olen && f->orig[p] == ' ')
        p++;
    int64_t n = 0;
    int d, k = 0;
    while (p < f->olen && k < 3 && (d = orig_digit(f, p, &l)) >= 0) {
        n = n * 10 + d;
        p += (uint32_t)l;
        k++;
    }
    if (k == 0 || n < 2)
        return;
    struct amount x = *a;
    if (__builtin_mul_overflow(a->v, n, &x.v)) /* no amount that large is a spec */
        return;
    x.product = true;
    x.times = n;
    x.te = p;
    x.per = false; /* 每袋200g×5: five bags, 1000g in all */
    sw__push_amount(as, x);
}

/* The unit whose name starts at norm[at] (the longest: 5gb is gigabytes; at equal length one
 * kept for the category over one for all: 256g of a phone is storage), its name's length in
 * *len; -1 when none. */
static int unit_at(const struct sw_scanner *sc, uint64_t skip, const char *norm, size_t n,
                   size_t at, uint32_t *len)
{
    int best = -1;
    *len = 0;
    unsigned h = sw__unit_start_hash(norm + at, n - at), c = (unsigned char)norm[at];
    if (!(sc->unit_starts[h >> 6] & ((uint64_t)1 << (h & 63))) &&
        !(sc->unit_bytes[c >> 6] & ((uint64_t)1 << (c & 63))))
        return -1;
    if (!sc->unit_names)
        return -1;
    for (int i = sc->unit_first[c]; i < sc->unit_first[c + 1]; i++) {
        const struct sw_unit_name *e = &sc->unit_names[i];
        if ((skip >> e->unit) & 1)
            continue;
        bool own = !sc->units[e->unit].cs.all;
        if ((e->len > *len || (e->len == *len && own)) && at + e->len <= n &&
            memcmp(norm + at, e->w, e->len) == 0) {
            best = e->unit;
            *len = e->len;
        }
    }
    return best;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Where the digits that end at norm offset at start. */
static uint32_t digits_from(const struct field *f, uint32_t at)
{
    while (at > 0 && is_digit(f->norm[at - 1]))
        at--;
    return at;
}

/* The numeral in characters that ends right before original offset `end` (三斤, 二十五公斤):
 * its value and where it starts; false when there is none or the characters before it are not
 * one numeral (三四斤 is a guess, not an amount). */
static bool numeral_before(const struct field *f, uint32_t end, int64_t *v, uint32_t *start)
{
    const unsigned char *s = (const unsigned char *)f->orig;
    uint32_t p = end;
    for (int k = 0; k < 8 && p >= 3 && sw__cn_char(s, f->olen, p - 3) >= 0; k++)
        p -= 3;
    size_t len;
    int64_t x;
    if (p == end || (x = sw__cn_numeral(s, f->olen, p, &len)) <= 0 || p + len != end)
        return false;
    if (p >= 6 && memcmp(s + p - 3, "点", 3) == 0 && sw__cn_char(s, f->olen, p - 6) >= 0)
        return false; /* 一点五公斤: the tenths of an amount, not one (not read in characters) */
    *v = x;
    *start = p;
    return true;
}

/* Thousandths of unit u in thousandths of its class's base unit. */
static int64_t in_base(int64_t milli, const struct sw_unit *u)
{
    int64_t v;
    if (u->approx)
        return llround((double)milli * u->factor);
    /* 12 digits of a large unit overflow: saturated, an amount no spec states */
    return __builtin_mul_overflow(milli, (int64_t)u->factor, &v) ? INT64_MAX : v;
}

/* An amount of unit u read: its value in thousandths of the unit, the norm offsets of its last
 * numeral character (at) and of its unit's end, the original bytes [s, e) it spans. */
/* What is said after an amount's unit ending at original offset *e, added to it: 半 (两斤半 is
 * 2.5 斤; not 半价, half price), and after 斤 a numeral and 两 (一斤二两: 1.2 斤). */
/* Whether the 半 at original offset p - 3 ends an amount (两斤半, 两斤半家庭装) rather than
 * starting a word of its own (半价, 2斤半肥瘦, 5斤半熟, 半青半黄, 半干, 半解冻). */
static bool half_ends(const unsigned char *o, size_t n, size_t p)
{
    static const char *const words[] = {"价", "肥", "瘦", "熟", "生", "干", "湿", "青", "黄",
                                        "红", "解", "开", "透", "软", "硬", "甜", "成", "截"};
    for (size_t i = 0; p + 3 <= n && i < sizeof words / sizeof words[0]; i++)
        if (memcmp(o + p, words[i], 3) == 0)
            return false;
    return true;
}

static int64_t spoken_rest(const struct field *f, uint32_t *e)
{
    const unsigned char *o = (const unsigned char *)f->orig;
    size_t n = f->olen;
    if (*e + 3 <= n && memcmp(o + *e, "半", 3) == 0 && half_ends(o, n, *e + 3)) {
        *e += 3;
        return 500;
    }
    int liang = *e >= 3 && memcmp(o + *e - 3, "斤", 3) == 0 && *e + 6 <= n &&
                        memcmp(o + *e + 3, "两", 3) == 0
                    ? sw__cn_char(o, n, *e)
                    : -1;
    if (liang < 1 || liang > 9)
        return 0;
    *e += 6;
    return (int64_t)liang * 100;
}

/* A word of spec.changes ends right before the amount's first byte s (a space between allowed):
 * 瘦10斤, 长高5cm, ±0.2两. */
static bool changed(const struct field *f, uint32_t s)
{
    const struct sw_words *w = &f->sc->spec_changes;
    if (s > 0 && f->orig[s - 1] == ' ')
        s--;
    for (int i = 0; i < w->n; i++)
        if (s >= w->len[i] && memcmp(f->orig + s - w->len[i], w->w[i], w->len[i]) == 0)
            return true;
    return false;
}

/* A word of the two lists right after the amount ending at `end` (normalised; spaces between)
 * that no number follows: 10斤 净重 (not 5斤 净重4.3斤, a second amount's label). */
static int8_t gross_after(const struct field *f, uint32_t end, const char *const *with,
                          const char *const *without)
{
    uint32_t p = end;
    while (p < f->n && f->norm[p] == ' ')
        p++;
    for (int pass = 0; pass < 2; pass++)
        for (const char *const *w = pass ? without : with; *w; w++) {
            size_t l = strlen(*w);
            if (p + l > f->n || memcmp(f->norm + p, *w, l) != 0)
                continue;
            uint32_t q = p + (uint32_t)l;
            while (q < f->n && (f->norm[q] == ' ' || f->norm[q] == ':'))
                q++;
            if (q < f->n && isdigit((unsigned char)f->norm[q]))
                return 0;
            return pass ? -1 : 1;
        }
    return 0;
}

/* Whether the amount at `at`..`end` (normalised) is said with its packing (毛重 2kg, 带箱5斤:
 * 1) or without (净重约1.5kg, 净含量：500g: -1), by the words right before it (spaces, a colon
 * and 约 between) or, failing those, right after it (10斤 净重); 0 when neither. */
static int8_t gross_of(const struct field *f, uint32_t at, uint32_t end)
{
    /* from the digits, letters and pluses the amount is written in (as push_spec looks) */
    while (at > 0 && (unsigned char)f->norm[at - 1] < 0x80 &&
           (isalnum((unsigned char)f->norm[at - 1]) || f->norm[at - 1] == '+' ||
            f->norm[at - 1] == '*'))
        at--;
    static const char *const with[] = {"毛重", "带箱", "含箱", "连箱", "含包装", "带包装",
                                       "连盒", "带盒", "含冰", "带冰", NULL};
    static const char *const without[] = {"净重", "净含量", "净果", "果重", "去冰", "沥干", NULL};
    uint32_t b = at;
    for (int k = 0; k < 4 && b > 0; k++) {
        if (f->norm[b - 1] == ' ' || f->norm[b - 1] == ':')
            b--;
        else if (b >= 3 && memcmp(f->norm + b - 3, "约", 3) == 0)
            b -= 3;
        else
            break;
    }
    for (int pass = 0; pass < 2; pass++)
        for (const char *const *w = pass ? without : with; *w; w++) {
            size_t l = strlen(*w);
            if (b >= l && memcmp(f->norm + b - l, *w, l) == 0)
                return pass ? -1 : 1;
        }
    return gross_after(f, end, with, without);
}

bool sw__is_measure(const struct sw_scanner *sc, int cls)
{
    return cls >= 0 && cls < 64 && (sc->measures >> cls & 1);
}

/* A rate's count to a weight of `grams` as the count to a jin (1kg大概20只 is 10只/斤; 一两约3只
 * is 30只/斤), so that rates to different weights compare; v itself for no rate or a jin's. */
static int64_t per_jin(int64_t v, int grams)
{
    return grams > 0 && grams != 500 && v < INT64_MAX / 500 ? v * 500 / grams : v;
}

/* A percentage (its sign ending at norm offset end, the amount at original offset e) right
 * before a word of `spec.promises` (100%不钻绒, 100%无添加, 100%正品 is no amount): what the
 * goods do or are not, not a content (100%纯羊毛 is one). */
static bool promised(const struct field *f, uint32_t end, uint32_t e)
{
    const struct sw_words *w = &f->sc->spec_promises;
    if (f->norm[end - 1] != '%')
        return false;
    while (e < f->olen && f->orig[e] == ' ')
        e++;
    for (int k = 0; k < w->n; k++)
        if (e + w->len[k] <= f->olen && memcmp(f->orig + e, w->w[k], w->len[k]) == 0)
            return true;
    return false;
}

/* A word of spec.dose_times right before orig offset s (每次10g, 每日2粒, 睡前半小时1片). */
static bool dose_before(const struct field *f, uint32_t s)
{
    const struct sw_words *w = &f->sc->spec_dose_times;
    for (int k = 0; k < w->n; k++)
        if (w->len[k] <= s && memcmp(f->orig + s - w->len[k], w->w[k], w->len[k]) == 0)
            return true;
    return false;
}

static void push_spec(const struct field *f, const struct sw_unit *u, int64_t milli, uint32_t at,
                      uint32_t end, uint32_t s, uint32_t e, bool detail, struct amounts *as)
{
    bool measure = sw__is_measure(f->sc, u->cls);
    milli += spoken_rest(f, &e);
    /* 另有12GB+256GB版本, 还有2kg装: another variant, not this listing's; 最大支持扩展1TB: a
     * limit of what it works with, not what it is (looked for before the digits, letters and
     * pluses the amount is written in) */
    if (detail && (f->sc->spec_others.n || f->sc->spec_limits.n || f->sc->spec_gifts.n)) {
        uint32_t b = at;
        while (b > 0 && at - b < 24 &&
               (((unsigned char)f->norm[b - 1] < 0x80 &&
                 (isalnum((unsigned char)f->norm[b - 1]) || f->norm[b - 1] == '+' ||
                  f->norm[b - 1] == '*')) ||
                (b >= 2 && (unsigned char)f->norm[b - 2] == 0xC3 &&
                 (unsigned char)f->norm[b - 1] == 0x97))) /* 内尺寸：56×36×33cm */
            b -= (unsigned char)f->norm[b - 1] == 0x97 ? 2 : 1;
        if (sw__word_behind_in_clause(f, &f->sc->spec_others, b, 8) ||
            sw__word_behind_in_clause(f, &f->sc->spec_limits, b, 8) || sw__previous(f, b) ||
            (f->sc->spec_gifts.n && sw__word_behind_in_clause_unless(
                                        f, &f->sc->spec_gifts, &f->sc->spec_not_gifts, b, 6)) ||
            sw__gone(f, end, 4) || (measure && sw__ingredient_share(f, b)))
            return;
    }
    if (detail && sw__bought_several(f, s, false))
        return; /* 拍2件 ¥55（共10斤）: two pieces' weight */
    if (e >= 3 && e + 3 <= f->olen && memcmp(f->orig + e - 3, "包", 3) == 0 &&
        memcmp(f->orig + e, "邮", 3) == 0)
        return; /* 满99包邮: free shipping, no 99 packs */
    if (detail && dose_before(f, s))
        return; /* 每次10g, 睡前半小时1片: a dose, not the goods' amount */
    if (e + 9 <= f->olen && memcmp(f->orig + e, "不锈钢", 9) == 0)
        return; /* 316L不锈钢: a steel's grade, no litres */
    if ((measure && changed(f, s)) || sw__content_before(f, s) ||
        sw__named_content_before(f, end, s))
        return; /* 一个月瘦10斤, 误差±0.2两: a change or a tolerance, not what the goods are;
                 * 含DHA 600mg, 含钙500mg: an ingredient's content */
    if (promised(f, end, e))
        return; /* 100%不钻绒: a promise, no content */
    if (s >= 3 && memcmp(f->orig + s - 3, "第", 3) == 0)
        return; /* 第二件半价, 第2件: an ordinal, no amount */
    if (s >= 3 && memcmp(f->orig + s - 3, "每", 3) == 0 && sw__basis_of_content(f, e))
        return; /* 每100g含蛋白质80g: a basis the content is said per, no amount of the goods */
    if (measure && milli == 1000 && sw__rate_follows(f, e))
        return; /* 一斤约50-60颗: the weight of a rate */
    /* a spec is one next to a label, or a pack size (本链接为3斤装) */
    bool pack = e + 3 <= f->olen && memcmp(f->orig + e, "装", 3) == 0;
    bool total = false, labelled = detail && (pack || spec_labelled(f, at, end, &total));
    if (detail && sw__elsewhere(f, at))
        return; /* 某宝搜…那边有1000g; not 规格：净含量250g，比某宝便宜一半 */
    int grams = sw__per_weight(f, e);
    if (!grams)
        grams = sw__each_weight(f, at);
    bool rate = u->rate || grams;
    if (u->rate)
        grams = 0; /* 10头 is so many to a jin whatever weight is said beside it */
    struct amount a = {.v = per_jin(in_base(milli, u), grams),
                       .cls = u->cls,
                       .labelled = labelled,
                       .total = total,
                       .per = rate || sw__piece_after(f, u->cls, e) ||
                              (sw__per_piece(f, u->cls, at, end) &&
                               !(pack && sw__piece_before(f, u->cls, at))), /* a rate: one */
                       .rate = rate,
                       .atleast = (e < f->olen && f->orig[e] == '+') ||
                                  (e + 6 <= f->olen && memcmp(f->orig + e, "以上", 6) == 0),
                       .approx = u->approx,
                       .gross = gross_of(f, at, end),
                       .s = s,
                       .e = e,
                       .f = f};
    if (u->cls == f->sc->ram_class)
        a.atleast = false; /* 8+256G: the + joins ram and storage, no lower bound */
    sw__push_amount(as, a);
    product_of(f, as, &a);
    sw__each_count(f, as, &a);
    uint32_t dash = range_dash(f, s), s0;
    int64_t m0;
    if (dash && number_before(f, s - dash, &m0, &s0)) { /* 80-100g: 80g too */
        int64_t lo = per_jin(in_base(m0, u), grams), hi = a.v;
        if (as->n > 0 && as->a[as->n - 1].s == a.s) { /* the upper end, pushed above */
            as->a[as->n - 1].ranged = true;
            as->a[as->n - 1].lo = lo;
            as->a[as->n - 1].hi = hi;
        }
        a.v = lo;
        a.s = s0;
        a.ranged = true;
        a.lo = lo;
        a.hi = hi;
        sw__push_amount(as, a);
    }
}

/* The amount written in characters whose last one starts at norm[i] (三斤, 两件套), of a unit
 * kept for numerals. */
static void numeral_amount(const struct field *f, const struct reads *rd, size_t i, bool detail,
                           struct amounts *as)
{
    uint32_t len, ns, e, s;
    int k = unit_at(f->sc, rd->skip, f->norm, f->n, i + 3, &len);
    int64_t v;
    if (k < 0 || !f->sc->units[k].numerals ||
        sw__cn_char((const unsigned char *)f->norm, f->n, i) < 0)
        return;
    uint32_t end = (uint32_t)(i + 3 + len);
    sw__orig_span(f, (uint32_t)i, end, &ns, &e);
    if (sw__is_letter(f->norm[end - 1]) && e < f->olen && sw__is_letter(f->orig[e]))
        return;
    if (!numeral_before(f, ns + (uint32_t)sw__orig_char_len(f, ns), &v, &s))
        return;
    /* 一粒睡到天亮 in a title: one of them doing something, not the listing's count (a measure,
     * 一斤包邮, is the listing's) */
    int cl = 0;
    const struct sw_unit *u = &f->sc->units[k];
    bool measure = sw__is_measure(f->sc, u->cls);
    if (!detail && v == 1 && !measure && e + 3 <= f->olen && memcmp(f->orig + e, "装", 3) != 0 &&
        sw__cp_at(f->orig + e, f->olen - e, &cl) >= 0x4E00 && cl == 3)
        return;
    /* 每天一袋, 一瓶能用两个月 in the detail: one of them used, not the listing's count */
    if (detail && v == 1 && !measure &&
        !(ns + 6 <= f->olen && memcmp(f->orig + ns + 3, "件", 3) == 0) &&
        !(e + 3 <= f->olen && memcmp(f->orig + e, "装", 3) == 0))
        return;
    push_spec(f, &f->sc->units[k], v * 1000, (uint32_t)i, end, s, e, detail, as);
}

/* 半 before a measure's unit kept for numerals at norm[i] (半斤装, 半斤: 0.5斤), not after a
 * numeral or a digit (一斤半 is read as 1.5斤 after its unit). */
static void half_amount(const struct field *f, const struct reads *rd, size_t i, bool detail,
                        struct amounts *as)
{
    uint32_t len, ns, e;
    int k = unit_at(f->sc, rd->skip, f->norm, f->n, i + 3, &len);
    if (k < 0 || !f->sc->units[k].numerals || !sw__is_measure(f->sc, f->sc->units[k].cls) ||
        (i > 0 && is_digit(f->norm[i - 1])) ||
        (i >= 3 && sw__cn_char((const unsigned char *)f->norm, f->n, i - 3) >= 0))
        return;
    uint32_t end = (uint32_t)(i + 3 + len);
    sw__orig_span(f, (uint32_t)i, end, &ns, &e);
    if (sw__is_letter(f->norm[end - 1]) && e < f->olen && sw__is_letter(f->orig[e]))
        return;
    push_spec(f, &f->sc->units[k], 500, (uint32_t)i, end, ns, e, detail, as);
}

/* 单 then a unit then 装 at norm[i] (单罐装, 单支装, 单件装; 单个装, whose unit is 个装): a pack
 * of one. */
static void single_pack(const struct field *f, const struct reads *rd, size_t i, bool detail,
                        struct amounts *as)
{
    uint32_t len, s, e;
    int k = unit_at(f->sc, rd->skip, f->norm, f->n, i + 3, &len);
    if (k < 0)
        return;
    uint32_t end = (uint32_t)(i + 3 + len);
    sw__orig_span(f, (uint32_t)i, end, &s, &e);
    bool packed = len >= 3 && memcmp(f->norm + end - 3, "装", 3) == 0; /* 单个装: the unit 个装 */
    if (!packed && (e + 3 > f->olen || memcmp(f->orig + e, "装", 3) != 0))
        return;
    push_spec(f, &f->sc->units[k], 1000, (uint32_t)i, end, s, e, detail, as);
}

/* A phone's memory as a pair around the '+' at norm[plus] (12+256, 8+256G, 8GB+256GB): the
 * first number with no unit of its own is the ram (in GB: 8GB is read as a unit amount and made
 * the ram by amounts_in); the second with no unit is the storage, when a power of two from 32. */
static void memory_pair(const struct field *f, uint32_t plus, bool detail, struct amounts *as)
{
    const struct sw_scanner *sc = f->sc;
    uint32_t op = f->map[plus], s, ms = f->map[plus + 1], me = ms;
    int64_t first, second = 0;
    int l = 1, d;
    if (!number_before(f, op, &first, &s) || first % 1000 || first > 64000 || first == 0)
        return;
    for (int k = 0; k < 5 && me < f->olen && (d = orig_digit(f, me, &l)) >= 0; k++) {
        second = second * 10 + d;
        me += (uint32_t)l;
    }
    bool unit = me < f->olen && isalpha((unsigned char)f->orig[me]);
    if (second < 32 || (second & (second - 1)))
        return;
    struct sw_unit u = {.cls = sc->ram_class, .factor = 1};
    push_spec(f, &u, first, plus - 1, plus, s, op, detail, as);
    if (!unit) {
        u.cls = sc->storage_class;
        push_spec(f, &u, second * 1000, plus + 1, plus + 1, ms, me, detail, as);
    }
}

/* The other dimensions of "60x35x120cm": numbers joined by x, ×, * before an amount's number
 * (starting at original offset s) are amounts of its unit too (60cm, 35cm): a title's 60cm
 * agrees with them; of a class of spec.dimensions (lengths) each is compared like the last,
 * which names the unit (60×40cm against 尺寸：50×40×10cm is a finding; 600×400mm agrees). */
static void dims_before(const struct field *f, const struct sw_unit *u, uint32_t at, uint32_t end,
                        uint32_t s, bool detail, struct amounts *as)
{
    for (int k = 0; k < 3 && s > 1; k++) {
        uint32_t x = s - 1;
        while (x > 1 && f->orig[x] == ' ' && s - x < 3) /* 40 × 28 × 3cm */
            x--;
        if (x >= 1 && memcmp(f->orig + x - 1, "×", 2) == 0) {
            x--;
        } else if (!(f->orig[x] == 'x' || f->orig[x] == 'X' || f->orig[x] == '*' ||
                     f->orig[x] == '/')) { /* 60×40×10/8cm: a side of two heights */
            return;
        }
        uint32_t nx = x; /* where the number before ends: spaces between allowed */
        while (nx > 1 && f->orig[nx - 1] == ' ' && x - nx < 2)
            nx--;
        int64_t milli;
        uint32_t ds;
        int dl;
        if (nx == 0 || orig_digit(f, nx - 1, &dl) < 0 || !number_before(f, nx, &milli, &ds))
            return;
        int before = as->n, kept = before;
        push_spec(f, u, milli, at, end, ds, x, detail, as);
        /* 60×40cm is no 60cm times 40; of a class of spec.dimensions each side is an amount
         * (60×40cm against 尺寸：50×40×10cm is a finding), else it only agrees with a title */
        bool sides = u->cls >= 0 && u->cls < 64 && (f->sc->dimensions >> u->cls & 1);
        for (int i = before; i < as->n; i++)
            if (!as->a[i].times) {
                as->a[kept] = as->a[i];
                as->a[kept++].product = !sides;
            }
        as->n = kept;
        s = ds;
    }
}

/* A ram label (运行内存：12GB, 【运存】8GB) right before the number whose last digit is at norm
 * offset at. */
static bool ram_labelled(const struct field *f, uint32_t at)
{
    while (at > 0 && is_digit(f->norm[at - 1]))
        at--;
    if (at > 0 && (f->norm[at - 1] == ':' || f->norm[at - 1] == ']'))
        at--; /* 运行内存：12GB, [运行内存]12GB */
    else if (at >= 3 && memcmp(f->norm + at - 3, "】", 3) == 0)
        at -= 3; /* 【运行内存】12GB */
    return sw__word_behind(f, &f->sc->ram_labels, at, 0);
}

/* Whether the three-byte character at p may end a numeral in characters (二, 两, 十, 百, 半...):
 * looked at before the unit after it, which most characters are not followed by. */
static inline bool numeral_end_at(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    uint32_t cp = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    return sw_norm_digit(cp) >= 0 || cp == 0x5341 /* 十 */ || cp == 0x767E /* 百 */ ||
           cp == 0x5343 /* 千 */ || cp == 0x4E07 /* 万 */ || cp == 0x62FE /* 拾 */ ||
           cp == 0x4F70 /* 佰 */ || cp == 0x4EDF /* 仟 */ || cp == 0x534A /* 半 */ ||
           cp == 0x5EFF /* 廿 */ || cp == 0x5345 /* 卅 */;
}

/* The amounts with a unit in norm[from, to) of the field: a digit, then a unit's name (5kg, 3罐,
 * 6.7英寸), the name not running on into more letters (5grams); a numeral in characters, then
 * the name of a unit kept for numerals (三斤). */
static void amounts_in(const struct field *f, const struct reads *rd, size_t from, size_t to,
                       bool detail, struct amounts *as)
{
    const struct sw_scanner *sc = f->sc;
    bool memory = rd->memory;
    if (to > f->n)
        to = f->n;
    for (size_t i = from; i + 1 < to; i++) {
        if (memory && f->norm[i] == '+' && i > 0 && is_digit(f->norm[i - 1]) && i + 1 < to &&
            is_digit(f->norm[i + 1]))
            memory_pair(f, (uint32_t)i, detail, as);
        if ((unsigned char)f->norm[i] >= 0xE0 && i + 3 < to) {
            if (memcmp(f->norm + i, "单", 3) ==
                0) /* 单件装: before 件 is read as a numeral's unit */
                single_pack(f, rd, i, detail, as);
            else if (sc->numeral_units && numeral_end_at(f->norm + i) &&
                     sw__numeral_unit_at(sc, f->norm + i + 3, f->n - i - 3))
                (memcmp(f->norm + i, "半", 3) == 0 ? half_amount : numeral_amount)(f, rd, i, detail,
                                                                                   as);
            continue;
        }
        if (!is_digit(f->norm[i]) || is_digit(f->norm[i + 1]))
            continue;
        uint32_t len;
        int k = unit_at(sc, rd->skip, f->norm, f->n, i + 1, &len);
        uint32_t at = (uint32_t)i, end = (uint32_t)(i + 1 + len);
        if (k < 0)
            continue;
        const struct sw_unit *u = &sc->units[k];
        uint32_t ds = f->map[at], s, e, ue;
        sw__orig_span(f, at, end, &ue, &e);
        /* the name does not run on into more letters or digits (5grams, M1-L213B; 128G USB is
         * two words) */
        if (sw__is_letter(f->norm[end - 1]) && e < f->olen && f->orig[e - 1] != ' ' &&
            (sw__is_letter(f->orig[e]) || (f->orig[e] >= 'A' && f->orig[e] <= 'Z') ||
             is_digit(f->orig[e]))) /* in the original text: 1050MB/s is no 1050 m; 8GB LPDDR5
                                     * is two words */
            continue;
        if (sw__class_word_ahead(f, &sc->fitting_words, u->cls, end, true))
            continue; /* 3.5mm 耳机孔: a fitting's size, not the goods' */
        if (detail && f->norm[end - 1] == '%' && rd->cat &&
            sw__fibre_content_at(f, rd->cat, digits_from(f, at)))
            continue; /* 面料：锦纶100%: the fabric's content, which fibres.c compares with the
                       * titles' (a title's 锦纶82% against the short title's 锦纶70% stays a spec)
                       */
        if (e + 4 < f->olen && f->orig[e] == '/' && memcmp(f->orig + e + 1, "100", 3) == 0 &&
            !is_digit(f->orig[e + 4]))
            continue; /* 80g/100g: a content per 100, not an amount of the product (3L/4L is) */
        int dl = sw__orig_char_len(f, ds);
        int64_t milli;
        if (!number_before(f, ds + (uint32_t)dl, &milli, &s))
            continue;
        if (u->pow2 && (milli % 1000 || ((milli / 1000) & (milli / 1000 - 1)))) {
            /* 168g of a phone is no storage: the name's other unit, when it has one (weight);
             * 5G below ten is a network */
            uint32_t len2;
            int k2 = milli < 10000
                         ? -1
                         : unit_at(sc, rd->skip | (uint64_t)1 << k, f->norm, f->n, i + 1, &len2);
            if (k2 < 0 || len2 != len)
                continue;
            u = &sc->units[k2];
        }
        if (milli < u->min * 1000 || (u->max && milli > u->max * 1000))
            continue;
        if (milli == 100000 && s >= 2 && f->orig[s - 1] == '/' && !is_digit(f->orig[s - 2]))
            continue; /* 6.0g/100ml: the basis of a content, not an amount of the product */
        if (memory && u->cls == sc->storage_class &&
            ((e + 1 < f->olen && f->orig[e] == '+' && orig_digit(f, e + 1, &dl) >= 0) ||
             (detail && sc->ram_labels.n && ram_labelled(f, at)))) {
            /* 8GB+256GB: the first is the memory's ram; so is 运行内存：8GB */
            struct sw_unit ram = *u;
            ram.cls = sc->ram_class;
            push_spec(f, &ram, milli, at, end, s, e, detail, as);
            continue;
        }
        push_spec(f, u, milli, at, end, s, e, detail, as);
        dims_before(f, u, at, end, s, detail, as);
    }
}

void sw__amounts_of(const struct field *f, const struct reads *rd, bool detail, struct amounts *as)
{
    amounts_in(f, rd, 0, f->n, detail, as);
}

void sw__amounts_within(const struct field *f, const struct reads *rd, size_t from, size_t to,
                        struct amounts *as)
{
    amounts_in(f, rd, from, to, true, as);
}

int sw__unit_after(const struct field *f, const struct reads *rd, size_t at, uint32_t *len)
{
    return unit_at(f->sc, rd->skip, f->norm, f->n, at, len);
}

/* The first '+' at or after norm offset `from` that joins a memory pair (8GB+128GB, 12+256: a
 * digit, or the G or B of a unit, before it and a digit after it), or f->n. */
size_t sw__next_memory_plus(const struct field *f, size_t from)
{
    for (const char *p; from < f->n && (p = memchr(f->norm + from, '+', f->n - from));) {
        size_t i = (size_t)(p - f->norm);
        if (i > 0 && i + 1 < f->n && is_digit(f->norm[i + 1]) &&
            (is_digit(f->norm[i - 1]) || f->norm[i - 1] == 'b' || f->norm[i - 1] == 'g'))
            return i;
        from = i + 1;
    }
    return f->n;
}
