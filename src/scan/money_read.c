/* Amounts of money as listings write them (RULES.md §3, key-info consistency of prices): digits,
 * full-width digits, thousands commas, decimals, 元/块 and numerals in characters, a currency sign,
 * a unit the price is per; and the counts the titles state. Read in the original text; the
 * checks that compare them with the listing's price are in prices.c. */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "scan/detect.h"

/* An ASCII or full-width digit (０-９) at s[i]: its value and length, or -1. */
int sw__digit_at(const unsigned char *s, size_t n, size_t i, int *len)
{
    if (i < n && s[i] >= '0' && s[i] <= '9') {
        *len = 1;
        return s[i] - '0';
    }
    if (i + 2 < n && s[i] == 0xEF && s[i + 1] == 0xBC && s[i + 2] >= 0x90 && s[i + 2] <= 0x99) {
        *len = 3;
        return s[i + 2] - 0x90;
    }
    return -1;
}

/* A comma that separates thousands: three digits follow it, and no fourth. */
bool sw__thousands_comma(const unsigned char *s, size_t n, size_t i)
{
    if (i >= n || (s[i] != ',' && !(i + 2 < n && memcmp(s + i, "，", 3) == 0)))
        return false;
    size_t j = i + (s[i] == ',' ? 1 : 3);
    int l;
    for (int k = 0; k < 3; k++, j += (size_t)l)
        if (sw__digit_at(s, n, j, &l) < 0)
            return false;
    return sw__digit_at(s, n, j, &l) < 0;
}

/* Units a price may be per. A count unit with no number after the slash is one unit (88元/罐);
 * a weight unit is compared only when the titles state an amount in it (9.9元/斤 of 3斤). An
 * `order` unit before a price is an order of several (拍2件到手¥133.5); 10只 ¥138 is the pieces
 * the listing sells (fish, crabs). */
const struct sw_per_unit sw__per_units[] = {
    {"件", true, true},   {"个", true, true},     {"盒", true, true},    {"瓶", true, true},
    {"袋", true, true},   {"份", true, true},     {"罐", true, true},    {"包", true, true},
    {"支", true, true},   {"箱", true, true},     {"双", true, true},    {"条", true, true},
    {"套", true, true},   {"台", true, true},     {"把", true, true},    {"张", true, true},
    {"副", true, true},   {"部", true, true},     {"只", true, false},   {"斤", false, false},
    {"kg", false, false}, {"公斤", false, false}, {"千克", false, false}};
const size_t sw__nper_units = sizeof sw__per_units / sizeof sw__per_units[0];

int sw__per_unit_at(const unsigned char *s, size_t n, size_t k)
{
    for (size_t u = 0; u < sw__nper_units; u++) {
        size_t ul = strlen(sw__per_units[u].name);
        if (k + ul <= n && memcmp(s + k, sw__per_units[u].name, ul) == 0)
            return (int)u;
    }
    return -1;
}

/* Skips what may stand between a label and its amount: [:：¥￥ ] and fillers (现价仅 88 元,
 * 到手就是 39.9, 价格为 99 元, 运费：全国统一 8 元, 运费一律10元). */
static size_t skip_to_amount(const unsigned char *s, size_t n, size_t i)
{
    /* 】 and ｜ close a table's label cell: 【售价】199元, 售价｜199元 */
    static const char *const fillers[] = {
        "：",   "＝",   "￥",   "仅", "只", "才",       "为",   "是",   "需",   "要", "¥", "就",
        "另计", "另收", "另付", "】", "｜", "全国统一", "统一", "一律", "全国", "均", NULL};
    for (int guard = 0; guard < 8 && i < n; guard++) {
        if (s[i] == ' ' || s[i] == ':' || s[i] == '=' || s[i] == '\t' || s[i] == '|' ||
            s[i] == ']') {
            i++;
            continue;
        }
        int k = 0;
        while (fillers[k] &&
               !(i + strlen(fillers[k]) <= n && memcmp(s + i, fillers[k], strlen(fillers[k])) == 0))
            k++;
        if (!fillers[k])
            break;
        i += strlen(fillers[k]);
    }
    return i;
}

/* Whether a numeral in characters ending at s[i] ends its clause: the text's end, a new line
 * or punctuation (直播价一百九十九！, 只要一百二十九，拍下...), not a unit or a word (仅需十天). */
static bool spoken_end(const unsigned char *s, size_t n, size_t i)
{
    static const char *const ends[] = {"，", "。", "！", "；", "、", "～", "）", "】", NULL};
    if (i >= n || strchr(" \n\r\t,.!;~)", s[i]))
        return true;
    for (int k = 0; ends[k]; k++)
        if (i + 3 <= n && memcmp(s + i, ends[k], 3) == 0)
            return true;
    return false;
}

bool sw__read_spoken_amount(const struct field *f, uint32_t off, int64_t *fen, uint32_t *end)
{
    const unsigned char *s = (const unsigned char *)f->orig;
    size_t n = f->olen, i = off;
    while (i < n && s[i] == ' ')
        i++;
    if (i < n && s[i] == ',')
        i++;
    else if (i + 3 <= n && memcmp(s + i, "，", 3) == 0)
        i += 3;
    else
        return false;
    int per = -1;
    return sw__read_amount(f, (uint32_t)i, fen, end, &per) && per < 0 && spoken_end(s, n, *end);
}

/* Whether a unit of measure or of time follows a number ending at s[i]: letters (30ml, 2kg) or
 * one of a few characters (30克, 60片, 7天, 拍下48小时发货, 到手5折, 特价】9成新, 最低价 99新:
 * a used item's grade), or a steel's grade (最低价 304不锈钢). */
static bool measure_after(const unsigned char *s, size_t n, size_t i)
{
    static const char *const units[] = {"克", "斤", "毫", "升", "片", "粒", "米", "寸", "天",
                                        "次", "年", "月", "号", "期", "小", "分", "周", "日",
                                        "个", "点", "度", "折", "成", "新", "钢", NULL};
    if (i < n && isalpha(s[i]))
        return true;
    if (i + 9 <= n && memcmp(s + i, "不锈钢", 9) == 0)
        return true;
    for (int k = 0; units[k]; k++)
        if (i + 3 <= n && memcmp(s + i, units[k], 3) == 0)
            return true;
    return false;
}

bool sw__read_amount(const struct field *f, uint32_t off, int64_t *fen, uint32_t *end, int *per)
{
    const unsigned char *s = (const unsigned char *)f->orig;
    size_t n = f->olen, i = skip_to_amount(s, n, off);
    int64_t yuan = 0;
    int digits = 0, l, d;
    while ((d = sw__digit_at(s, n, i, &l)) >= 0 && digits < 12) {
        yuan = yuan * 10 + d;
        digits++;
        i += (size_t)l;
        if (sw__thousands_comma(s, n, i))
            i += s[i] == ',' ? 1 : 3; /* ¥7,999 and ¥1,299,000 */
    }
    if (digits == 0) { /* 五十九元, 叁佰捌拾元: in characters, and only with its 元 or 块 */
        size_t len = 0;
        int64_t v = sw__cn_numeral(s, n, i, &len);
        size_t j = i + len;
        while (j < n && s[j] == ' ')
            j++;
        if (v <= 0)
            return false;
        if (!(j + 2 < n && (memcmp(s + j, "元", 3) == 0 || memcmp(s + j, "块", 3) == 0))) {
            if (v < 10 || !spoken_end(s, n, i + len)) /* 直播价一百九十九 and its clause ends */
                return false;
            if (per)
                *per = -1;
            *fen = v * 100;
            *end = (uint32_t)(i + len);
            return true;
        }
        size_t k = j + 3, tl = 0; /* 五十九元/罐, 五十九元起: not the listing's price */
        int64_t tenths = sw__cn_numeral(s, n, k, &tl); /* 二十九块九: nine tenths */
        if (tenths > 0 && tenths < 10 && tl == 3) {
            v = v * 10 + tenths;
            k += 3;
        } else {
            v *= 10;
        }
        if (k < n && (s[k] == '/' ||
                      (k + 2 < n && (memcmp(s + k, "／", 3) == 0 || memcmp(s + k, "起", 3) == 0))))
            return false;
        if (per)
            *per = -1;
        *fen = v * 10;
        *end = (uint32_t)k;
        return true;
    }
    int64_t cents = 0;
    bool dot = i < n && s[i] == '.', wide_dot = i + 2 < n && memcmp(s + i, "．", 3) == 0;
    if ((dot || wide_dot) && (d = sw__digit_at(s, n, i + (dot ? 1 : 3), &l)) >= 0) {
        i += (dot ? 1 : 3) + (size_t)l;
        cents = (int64_t)d * 10;
        if ((d = sw__digit_at(s, n, i, &l)) >= 0) {
            cents += d;
            i += (size_t)l;
        }
    }
    size_t j = i;
    int cu = sw__per_unit_at(s, n, i);
    if (cu >= 0 && sw__per_units[cu].count)
        return false; /* "价格为1盒": a quantity, not an amount of money */
    while (j < n && s[j] == ' ')
        j++;
    if (j + 2 < n && memcmp(s + j, "起", 3) == 0)
        return false; /* "from 59 yuan": a range, not the price */
    if (j + 1 < n && s[j] == '+' && s[j + 1] >= '0' && s[j + 1] <= '9')
        return false; /* 全网最低价 12+256: a phone's memory, not money */
    if (!(j + 2 < n && (memcmp(s + j, "元", 3) == 0 || memcmp(s + j, "块", 3) == 0)) &&
        measure_after(s, n, i))
        return false; /* 全网最低价 30ml: a measure, not money */
    if (j + 2 < n && (memcmp(s + j, "元", 3) == 0 || memcmp(s + j, "块", 3) == 0)) {
        i = j + 3;
        int l2; /* 19块9, 9元9: the digit after is tenths (a 毛 or 角 may follow) */
        if (!dot && !wide_dot && (d = sw__digit_at(s, n, i, &l)) >= 0 &&
            sw__digit_at(s, n, i + (size_t)l, &l2) < 0) {
            cents = (int64_t)d * 10;
            i += (size_t)l;
            if (i + 2 < n && (memcmp(s + i, "毛", 3) == 0 || memcmp(s + i, "角", 3) == 0))
                i += 3;
        }
    }
    size_t k = i;
    while (k < n && s[k] == ' ')
        k++;
    if (per)
        *per = -1;
    if (k < n && (s[k] == '/' || (k + 2 < n && memcmp(s + k, "／", 3) == 0))) {
        k += s[k] == '/' ? 1 : 3;
        while (k < n && s[k] == ' ')
            k++;
        if (k + 3 <= n && memcmp(s + k, "单", 3) == 0) { /* "运费￥25/单": per order, the amount */
            *fen = yuan * 100 + cents;
            *end = (uint32_t)(k + 3);
            return true;
        }
        int u = sw__per_unit_at(s, n, k); /* "59元/2件": a number after the slash is not per one */
        if (!per || u < 0)
            return false; /* "59元/2件", "¥12/斤" without a per: not the listing's price */
        *per = u;
        i = k + strlen(sw__per_units[u].name);
    }
    *fen = yuan * 100 + cents;
    *end = (uint32_t)i;
    return true;
}

/* The number the titles state right before `unit` (6罐装, 3斤), or 0. Reads back over at most
 * six digits before each occurrence; the first number found counts. */
int64_t sw__titles_count(const struct field *fs, const char *unit)
{
    static const int titles[] = {SW_SF_TITLE, SW_SF_SHORT_TITLE};
    size_t ul = strlen(unit);
    for (int t = 0; t < 2; t++) {
        const struct field *f = &fs[titles[t]];
        const char *s = f->orig, *p = s;
        while (s && (p = memmem(p, f->olen - (size_t)(p - s), unit, ul)) != NULL) {
            size_t q = (size_t)(p - s);
            int64_t v = 0, scale = 1;
            int k = 0;
            while (q > 0 && k < 6 && s[q - 1] >= '0' && s[q - 1] <= '9') {
                v += (s[q - 1] - '0') * scale;
                scale *= 10;
                q--;
                k++;
            }
            /* 满2件包邮 in a title is a condition, not what the listing is; 3件起批 a least
             * order; 3件套 one set's pieces, one item to order */
            size_t after = (size_t)(p - s) + ul;
            bool cond =
                (q >= 3 && (memcmp(s + q - 3, "满", 3) == 0 || memcmp(s + q - 3, "买", 3) == 0)) ||
                (after + 3 <= f->olen &&
                 (memcmp(s + after, "起", 3) == 0 || memcmp(s + after, "套", 3) == 0));
            if (k > 0 && v > 0 && (q == 0 || s[q - 1] != '.') && !cond)
                return v;
            p += ul;
        }
    }
    return 0;
}

/* A currency sign (¥ or ￥) at t[i]: its length, else 0. */
size_t sw__sign_at(const char *t, size_t n, size_t i)
{
    if (i + 1 < n && memcmp(t + i, "\xC2\xA5", 2) == 0)
        return 2;
    return i + 2 < n && memcmp(t + i, "￥", 3) == 0 ? 3 : 0;
}

size_t sw__sign_before(const char *t, size_t i)
{
    if (i >= 2 && memcmp(t + i - 2, "\xC2\xA5", 2) == 0)
        return 2;
    return i >= 3 && memcmp(t + i - 3, "￥", 3) == 0 ? 3 : 0;
}

bool sw__money_at(const char *t, size_t n, size_t i, int64_t *fen, size_t *end)
{
    const unsigned char *u = (const unsigned char *)t;
    while (i < n && t[i] == ' ')
        i++;
    int64_t yuan = 0, cents = 0;
    int digits = 0, l, d;
    while ((d = sw__digit_at(u, n, i, &l)) >= 0 && digits < 10) {
        yuan = yuan * 10 + d, digits++, i += (size_t)l;
        if (sw__thousands_comma(u, n, i))
            i += t[i] == ',' ? 1 : 3;
    }
    if (digits == 0)
        return false;
    if (i + 1 < n && t[i] == '.' && t[i + 1] >= '0' && t[i + 1] <= '9') {
        cents = (int64_t)(t[i + 1] - '0') * 10, i += 2;
        if (i < n && t[i] >= '0' && t[i] <= '9')
            cents += t[i] - '0', i++;
    }
    *fen = yuan * 100 + cents;
    *end = i;
    return true;
}
