/* What the words around an amount say of it, for the price checks (prices.c; RULES.md §3): the
 * pack the titles say the listing is, a quantity or a tier before a price label, a total
 * (合计, 一共) and the count it totals, a unit a price is per (每盒, 单罐), and whether an
 * amount is said in yuan. */
#include <stdint.h>
#include <string.h>

#include "scan/detect.h"
#include "scan/normclass.h"

/* The pack the titles say the listing is, N of `unit` and 装 (2罐装, 两盒装: one digit or
 * numeral), or 0. */
int sw__titles_pack(const struct field *fs, const char *unit)
{
    static const int titles[] = {SW_SF_TITLE, SW_SF_SHORT_TITLE};
    char w[16];
    int wl = snprintf(w, sizeof w, "%s装", unit);
    for (int t = 0; t < 2 && wl > 0 && (size_t)wl < sizeof w; t++) {
        const struct field *f = &fs[titles[t]];
        const char *s = f->orig, *p = s;
        while (s && (p = memmem(p, f->olen - (size_t)(p - s), w, (size_t)wl)) != NULL) {
            size_t q = (size_t)(p - s);
            p += wl;
            if (q >= 1 && s[q - 1] >= '2' && s[q - 1] <= '9' &&
                (q < 2 || s[q - 2] < '0' || s[q - 2] > '9'))
                return s[q - 1] - '0';
            int c = q >= 3 ? sw__cn_char((const unsigned char *)s, f->olen, q - 3) : -1;
            if (c > 1 && c < 10)
                return c;
        }
    }
    return 0;
}

/* The count unit of per_units whose name ends at norm offset p, or -1. */
int sw__count_unit_ending(const struct field *f, uint32_t p)
{
    for (size_t u = 0; u < sw__nper_units; u++) {
        size_t ul = strlen(sw__per_units[u].name);
        if (sw__per_units[u].count && p >= ul + 1 &&
            memcmp(f->norm + p - ul, sw__per_units[u].name, ul) == 0 &&
            f->norm[p - ul - 1] >= '0' && f->norm[p - ul - 1] <= '9')
            return (int)u;
    }
    return -1;
}

/* A tier of a quantity price right before norm offset `from` (spaces and ':' skipped): a count
 * and 起 or (及)以上 (50个起 ¥4.50, 50盒以上 ¥46, 10箱及以上 每箱 ¥55) or, in the detail (cases: a
 * case price there beside the price of one), a count and 整箱 / 整件 (6盒整箱 ¥680). The price of
 * that many is no price of the listing's one; a title's 6罐整箱 ¥1188 says what the listing sells.
 */
bool sw__tier_before(const struct field *f, uint32_t from, bool cases)
{
    uint32_t p = from;
    while (p > 0 && (f->norm[p - 1] == ':' || f->norm[p - 1] == ' '))
        p--;
    static const char *const marks[] = {"起", "及以上", "以上", "整箱", "整件"};
    for (size_t k = 0; k < (cases ? sizeof marks / sizeof marks[0] : 3); k++) {
        size_t ml = strlen(marks[k]);
        if (p >= ml && memcmp(f->norm + p - ml, marks[k], ml) == 0 &&
            sw__count_unit_ending(f, p - (uint32_t)ml) >= 0)
            return true;
    }
    return false;
}

/* A word of `price.joins` in the clause before norm offset from, up to JOIN_REACH bytes back
 * (两件一起拍更划算，到手价¥36.8; 和蓝牙耳机一起拍 ¥2198): the price after it is of several
 * goods together, none of the listing's one. A sentence's end (。！？, a line) stops the look. */
#define JOIN_REACH 36
bool sw__joined_before(const struct field *f, uint32_t from)
{
    const struct sw_words *w = &f->sc->price_joins;
    uint32_t lo = from > JOIN_REACH ? from - JOIN_REACH : 0;
    for (uint32_t p = from; p > lo; p--) {
        unsigned char c = (unsigned char)f->norm[p - 1];
        if (c == '\n' || c == 0xFF || c == '!' || c == '?' ||
            (p >= 3 && memcmp(f->norm + p - 3, "。", 3) == 0))
            return false;
        for (int k = 0; k < w->n; k++)
            if (p >= w->len[k] && memcmp(f->norm + p - w->len[k], w->w[k], w->len[k]) == 0)
                return true;
    }
    return false;
}

/* Whether the amount starting at original offset s is of several of the goods: after 拍 or 买
 * and a count of two or more, or such a count and 起拍, 一起拍 or 一起买, at most 36 bytes back.
 * With price, s starts a price, looked for in its clause (拍2件 ¥55, 买2箱共10斤到手55元); else s
 * starts a spec, looked for in its sentence, with a price between (拍2件 ¥55（共10斤）, 两箱一起拍
 * ¥189，共60袋; 买2送1 共3瓶 names no price: the listing's own offer). */
bool sw__bought_several(const struct field *f, uint32_t s, bool price)
{
    static const char *const units[] = {"件", "份", "箱", "盒", "袋", "包", "瓶", "罐"};
    static const char *const ends[] = {"。", "；", "！", "？", "，"};
    const char *t = f->orig;
    uint32_t lo = s > 36 ? s - 36 : 0;
    bool priced = price;                 /* a price between the count and the amount */
    for (uint32_t q = s; q >= lo + 4;) { /* q: the end of the character looked at */
        unsigned char c = (unsigned char)t[q - 1];
        if (c < 0x80) {
            if (c == '\n' || c == '!' || c == '?' || c == ';' || (price && c == ','))
                return false;
            q--;
            continue;
        }
        uint32_t cs = q - 1; /* the character's first byte */
        while (cs > 0 && ((unsigned char)t[cs] & 0xC0) == 0x80)
            cs--;
        if (q - cs == 2 && memcmp(t + cs, "¥", 2) == 0)
            priced = true;
        if (q - cs != 3) {
            q = cs;
            continue;
        }
        const char *ch = t + cs;
        if ((unsigned char)ch[0] == 0xEF || (unsigned char)ch[0] == 0xE3) { /* full-width marks */
            for (size_t k = 0; k < sizeof ends / sizeof ends[0] - !price; k++)
                if (memcmp(ch, ends[k], 3) == 0)
                    return false;
            priced |= memcmp(ch, "￥", 3) == 0;
        } else if (memcmp(ch, "元", 3) == 0) {
            priced = true;
        }
        for (size_t k = 0; priced && k < sizeof units / sizeof units[0]; k++) {
            if (memcmp(ch, units[k], 3) != 0)
                continue;
            uint32_t d = cs;
            bool two = false;
            if (d >= 1 && t[d - 1] >= '2' && t[d - 1] <= '9' &&
                !(d >= 2 && t[d - 2] >= '0' && t[d - 2] <= '9')) {
                two = true;
                d -= 1;
            } else if (d >= 3 &&
                       (memcmp(t + d - 3, "两", 3) == 0 || memcmp(t + d - 3, "二", 3) == 0 ||
                        memcmp(t + d - 3, "三", 3) == 0)) {
                two = true;
                d -= 3;
            }
            if (two &&
                ((d >= 3 && (memcmp(t + d - 3, "拍", 3) == 0 || memcmp(t + d - 3, "买", 3) == 0)) ||
                 (q + 6 <= s && memcmp(t + q, "起拍", 6) == 0) ||
                 (q + 9 <= s &&
                  (memcmp(t + q, "一起拍", 9) == 0 || memcmp(t + q, "一起买", 9) == 0))))
                return true;
        }
        q = cs;
    }
    return false;
}

/* "2件¥99", "两盒到手价 159", "3瓶：到手267", "2罐装 ¥378": a price for a quantity right before
 * the label (a ':' or 装 between) is not the price of one (a count unit of per_units). Looks at the
 * one character and the digit or numeral before it (constant). Returns the quantity (0: none) and
 * its unit in *unit: "一盒只要29.9" is the price of one box. */
int sw__for_quantity_n(const struct field *f, uint32_t from, int *unit)
{
    if (from > 0 && f->norm[from - 1] == ':')
        from--;
    if (from >= 7 && memcmp(f->norm + from - 3, "装", 3) == 0 && from + 2 <= f->n &&
        (memcmp(f->norm + from, "¥", 2) == 0 ||
         (from + 3 <= f->n && memcmp(f->norm + from, "￥", 3) == 0)))
        from -= 3; /* 2罐装 ¥378; not 10个装 单价15元, the unit's price of a pack the title is */
    if (from < 4)
        return 0;
    size_t u = 0, nu = sw__nper_units;
    while (u < nu &&
           !(sw__per_units[u].order && memcmp(f->norm + from - 3, sw__per_units[u].name, 3) == 0))
        u++;
    if (u == nu)
        return 0;
    *unit = (int)u;
    uint32_t p = from - 3;
    unsigned char c = (unsigned char)f->norm[p - 1];
    if (c >= '0' && c <= '9' && sw__times_sign_before(f->norm, p - 1))
        return 0; /* 500g×2袋 到手价29.9: the goods' packs, not a count ordered */
    if (c >= '0' && c <= '9')
        return p >= 2 && f->norm[p - 2] >= '0' && f->norm[p - 2] <= '9' ? 10 : c - '0';
    int l = 0;
    int d = p >= 3 ? sw_norm_digit(sw__cp_at(f->norm + p - 3, 3, &l)) : -1;
    return d >= 0 && l == 3 ? (d == 0 ? 10 : d) : 0;
}

/* Words that say the amount after them is what everything costs together. */
static const char *const totals[] = {"合计", "共计", "总计", "总价", "一共", "总共", "共"};
#define NTOTALS (sizeof totals / sizeof totals[0])

/* A word of totals at original offset at: its length, or 0. */
size_t sw__total_at(const struct field *f, uint32_t at)
{
    for (size_t w = 0; w < NTOTALS; w++)
        if (at + strlen(totals[w]) <= f->olen &&
            memcmp(f->orig + at, totals[w], strlen(totals[w])) == 0)
            return strlen(totals[w]);
    return 0;
}

/* "3件合计" (共计, 总计, 共, 总价) right before orig offset s, or "24只" before a total label that
 * starts at s (整箱24只合计 ¥1560): the count of a count unit (3), or 0. The amount after it is
 * the price of that many. */
int64_t sw__count_total_before(const struct field *f, uint32_t s)
{
    const char *t = f->orig;
    if (!sw__total_at(f, s)) {
        while (s > 0 && (t[s - 1] == ' ' || t[s - 1] == ':'))
            s--;
        if (s >= 3 && memcmp(t + s - 3, "：", 3) == 0)
            s -= 3;
        size_t w = 0;
        for (; w < NTOTALS; w++) {
            size_t l = strlen(totals[w]);
            if (s >= l && memcmp(t + s - l, totals[w], l) == 0) {
                s -= (uint32_t)l;
                break;
            }
        }
        if (w == NTOTALS)
            return 0;
    }
    while (s > 0 && t[s - 1] == ' ')
        s--;
    for (size_t u = 0; u < sw__nper_units; u++) {
        size_t ul = strlen(sw__per_units[u].name);
        if (!sw__per_units[u].count || s < ul + 1 ||
            memcmp(t + s - ul, sw__per_units[u].name, ul) != 0)
            continue;
        int64_t v = 0, scale = 1;
        uint32_t q = s - (uint32_t)ul;
        for (int k = 0; k < 3 && q > 0 && t[q - 1] >= '0' && t[q - 1] <= '9'; k++, q--)
            v += (t[q - 1] - '0') * scale, scale *= 10;
        return v;
    }
    return 0;
}

/* "每盒" or "单罐" right before norm offset q: the per unit of per_units it names, or -1. */
int sw__per_before(const struct field *f, uint32_t q)
{
    for (size_t u = 0; u < sw__nper_units; u++) {
        size_t ul = strlen(sw__per_units[u].name);
        if (q >= ul + 3 && memcmp(f->norm + q - ul, sw__per_units[u].name, ul) == 0 &&
            (memcmp(f->norm + q - ul - 3, "每", 3) == 0 ||
             (sw__per_units[u].count && memcmp(f->norm + q - ul - 3, "单", 3) == 0)))
            return (int)u;
    }
    return -1;
}

/* "单罐" or "每罐" right before norm offset q, a currency sign's start (单罐¥200): the per unit
 * of per_units it names (a count unit), or -1. */
int sw__single_before(const struct field *f, uint32_t q)
{
    while (q > 0 && (f->norm[q - 1] == ' ' || f->norm[q - 1] == ':'))
        q--;
    for (size_t u = 0; u < sw__nper_units; u++) {
        size_t ul = strlen(sw__per_units[u].name);
        if (sw__per_units[u].count && q >= ul + 3 &&
            memcmp(f->norm + q - ul, sw__per_units[u].name, ul) == 0 &&
            (memcmp(f->norm + q - ul - 3, "单", 3) == 0 ||
             memcmp(f->norm + q - ul - 3, "每", 3) == 0))
            return (int)u;
    }
    return -1;
}

/* The original text [s, end) of a label's amount says it in yuan: 元, ¥ or ￥ (or 块 when
 * `kuai`: 每斤12块, but 每盒12块 may count pieces) in it or right after it (spaces skipped). */
bool sw__in_yuan(const struct field *f, uint32_t s, uint32_t end, bool kuai)
{
    while (end < f->olen && f->orig[end] == ' ')
        end++;
    static const char *const marks[] = {"元", "¥", "￥", "块"};
    for (size_t k = 0; k < sizeof marks / sizeof marks[0] - !kuai; k++) {
        size_t l = strlen(marks[k]);
        for (uint32_t p = s; p + l <= f->olen && p <= end; p++)
            if (memcmp(f->orig + p, marks[k], l) == 0)
                return true;
    }
    return false;
}
