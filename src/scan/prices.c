/* Key-info consistency of prices (RULES.md §3): an amount a price label governs against the
 * listing's price, a freight label's against its freight. The label nearest an amount governs
 * it; a price per unit (88元/罐, 9.9元/斤) is compared with the price of as many units as the
 * titles state (one can or bottle when they state none). */
#include <stdint.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/money.h"
#include "scan/detect.h"
#include "scan/normclass.h"

/* A region this many characters before a freight amount in its sentence makes it the freight of
 * some buyers only. */
#define REGION_BACK 40

/* A hit of role r that ends at pos, or at pos with only ':' between (hits are sorted by end:
 * a binary search). */
static bool hit_ends_at(const struct field *f, int r, uint32_t pos)
{
    for (;;) { /* a colon, a space or the bracket that closes a label's cell: 【划线价】¥49.90 */
        if (pos > 0 &&
            (f->norm[pos - 1] == ':' || f->norm[pos - 1] == ' ' || f->norm[pos - 1] == ']'))
            pos--;
        else if (pos >= 3 && memcmp(f->norm + pos - 3, "】", 3) == 0)
            pos -= 3;
        else
            break;
    }
    size_t lo = sw__first_hit_ending(f, pos);
    for (size_t i = lo; i < f->nhits && f->hits[i].to == pos; i++)
        if (sw__role(f, &f->hits[i]) == r)
            return true;
    return false;
}

/* The price a per-unit amount (88元/罐, 9.9元/斤) says for the listing: times the number of
 * those units the titles state, or one count unit when they state none. False when unknown
 * (a weight the titles do not state). */
static bool price_of_units(const struct field *fs, int per, int64_t fen, int64_t *total,
                           int64_t *units)
{
    *units = sw__titles_count(fs, sw__per_units[per].name);
    if (*units == 0 && sw__per_units[per].count) /* 两罐装 */
        *units = sw__titles_pack(fs, sw__per_units[per].name);
    if (*units == 0 && !sw__per_units[per].count)
        return false;
    if (*units == 0)
        *units = 1;
    *total = fen * *units;
    return true;
}

static size_t sep_at(const char *t, size_t n, size_t i)
{
    if (t[i] == '/' || t[i] == ';' || t[i] == '|' || t[i] == ',')
        return 1;
    static const char *const wide[] = {"／", "；", "、", "，", "｜", "："};
    for (size_t k = 0; k < sizeof wide / sizeof wide[0]; k++)
        if (i + 2 < n && memcmp(t + i, wide[k], 3) == 0)
            return 3;
    return 0;
}

static bool sentence_end_at(const char *t, size_t n, size_t i)
{
    return t[i] == '\n' || t[i] == '!' || t[i] == '?' ||
           (i + 2 < n && (memcmp(t + i, "。", 3) == 0 || memcmp(t + i, "！", 3) == 0 ||
                          memcmp(t + i, "？", 3) == 0));
}

/* A variant's name: a digit or a Latin letter in it (2磅, 12GB+256GB, S码), or a word of
 * what varies (黑色, 香草味, 经典款, 尊享版). */
static bool variant_name(const char *t, size_t n)
{
    static const char *const words[] = {"色", "款", "味", "装", "型", "号", "码", "版", "规格"};
    for (size_t i = 0; i < n; i++)
        if ((t[i] >= '0' && t[i] <= '9') || ((t[i] | 0x20) >= 'a' && (t[i] | 0x20) <= 'z'))
            return true;
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (memmem(t, n, words[k], strlen(words[k])))
            return true;
    return false;
}

/* The variants' prices of a list the amount at orig offset `at` is in (规格：400g ¥168 / 800g
 * ¥298; 8GB+256GB ¥3299；12GB+256GB ¥3599): in its sentence, at least two amounts after a
 * currency sign, each after its own variant's name (no 价 between the separator before it and
 * its sign: 原价 ¥299 / 现价 ¥199 is no list of variants), one of them the listing's price. The
 * others are the prices of the variants the listing does not sell at that price. */
static bool variant_prices(const struct field *f, uint32_t at, int64_t price_fen)
{
    const char *t = f->orig;
    size_t n = f->olen, a = at, b = at;
    while (a > 0 && !sentence_end_at(t, n, a - 1))
        a--;
    while (b < n && !sentence_end_at(t, n, b))
        b++;
    int amounts = 0;
    bool price = false;
    size_t seg = a; /* where the current variant's name starts; SIZE_MAX: none since an amount */
    for (size_t i = a; i < b;) {
        size_t pl = sep_at(t, n, i), sl = pl ? 0 : sw__sign_at(t, n, i);
        if (pl) {
            seg = i + pl;
            i += pl;
            continue;
        }
        if (!sl) {
            i++;
            continue;
        }
        size_t k = seg;
        while (k != SIZE_MAX && k < i && t[k] == ' ')
            k++;
        if (seg == SIZE_MAX || k == i || memmem(t + seg, i - seg, "价", 3) ||
            !variant_name(t + k, i - k))
            return false; /* no name of its own, or a price label's (原¥59.9，现¥49.9) */
        int64_t fen;
        size_t j;
        if (!sw__money_at(t, b, i + sl, &fen, &j))
            return false;
        amounts++;
        price |= fen == price_fen;
        seg = SIZE_MAX;
        i = j;
    }
    return amounts >= 2 && price;
}

/* The line t[s, e) as a variant's price: one currency sign in it, after the variant's name (no
 * 价 before it on the line: 原价 ¥129 is a reference); its amount in *fen. */
static bool line_price(const char *t, size_t s, size_t e, int64_t *fen)
{
    size_t sign = SIZE_MAX, sl = 0;
    for (size_t i = s; i < e; i++) {
        size_t l = sw__sign_at(t, e, i);
        if (l && sign != SIZE_MAX)
            return false; /* two prices on the line: a sentence's, read as one */
        if (l) {
            sign = i;
            sl = l;
            i += l - 1;
        }
    }
    size_t j;
    return sign != SIZE_MAX && !memmem(t + s, sign - s, "价", 3) && variant_name(t + s, sign - s) &&
           sw__money_at(t, e, sign + sl, fen, &j);
}

#define VARIANT_LINES 12

/* One variant per line (规格一：虾仁 500g ¥59.9, then 规格二：虾仁 1kg ¥109; 8GB+256GB ¥1699,
 * then 12GB+256GB ¥1899): the run of such lines the amount at orig offset at is on, two or more,
 * one of them at the listing's price. The others are the prices of other variants. */
static bool variant_lines(const struct field *f, uint32_t at, int64_t price_fen)
{
    const char *t = f->orig;
    size_t n = f->olen, first = at;
    int64_t fen;
    while (first > 0 && t[first - 1] != '\n')
        first--;
    for (int k = 0; k < VARIANT_LINES && first > 0; k++) { /* the lines above in the run */
        size_t s = first - 1;
        while (s > 0 && t[s - 1] != '\n')
            s--;
        if (!line_price(t, s, first - 1, &fen))
            break;
        first = s;
    }
    int lines = 0;
    bool price = false;
    for (size_t s = first; s < n && lines < 2 * VARIANT_LINES;) {
        size_t e = s;
        while (e < n && t[e] != '\n')
            e++;
        if (!line_price(t, s, e, &fen)) {
            if (s <= at)
                return false; /* the amount's own line is none */
            break;
        }
        lines++;
        price |= fen == price_fen;
        s = e + 1;
    }
    return lines >= 2 && price;
}

/* A word that says the amount after it is taken off (立减¥30, 直降￥50) ends at orig offset at;
 * not one that says where the price went down to (直降到手1999: 到手's). */
static bool discount_before(const struct field *f, uint32_t at)
{
    static const char *const words[] = {"立减", "直降", "减", "降", "省", "优惠", "抵", "返"};
    if (at + 3 <= f->olen && memcmp(f->orig + at, "到", 3) == 0)
        return false;
    while (at > 0 && f->orig[at - 1] == ' ')
        at--;
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
        size_t l = strlen(words[k]);
        if (at >= l && memcmp(f->orig + at - l, words[k], l) == 0)
            return true;
    }
    return false;
}

/* A rate off the whole stated in the listing (2罐9折, 打8.5折, 8折): its tenths x 10 (90,
 * 85), at most four; false when none. The price of units at such a rate is the listing's when
 * total x rate is its price. */
static bool rate_explains(const struct field *fs, int64_t total, int64_t price_fen)
{
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const char *t = fs[fi].orig, *p = t;
        size_t n = fs[fi].olen;
        while (t && (p = memmem(p, n - (size_t)(p - t), "折", 3)) != NULL) {
            size_t q = (size_t)(p - t);
            p += 3;
            int64_t r = -1;
            if (q >= 3 && t[q - 1] >= '1' && t[q - 1] <= '9' && t[q - 2] == '.' &&
                t[q - 3] >= '1' && t[q - 3] <= '9')
                r = (int64_t)(t[q - 3] - '0') * 10 + (t[q - 1] - '0'); /* 8.5折 */
            else if (q >= 1 && t[q - 1] >= '1' && t[q - 1] <= '9' &&
                     (q < 2 || t[q - 2] < '0' || t[q - 2] > '9'))
                r = (int64_t)(t[q - 1] - '0') * 10; /* 9折 */
            if (r > 0 && total * r == price_fen * 100)
                return true;
        }
    }
    return false;
}

/* Whether f gives the listing's own price after a currency sign with the unit named just before
 * it (两罐礼盒 ¥499, 两盒装 ¥169): the price of a pack of that unit, so that a price of one unit
 * beside it (单罐 ¥258, 单盒 ¥89) is the price of another quantity. A tier's least order (10个起
 * ¥26.9) is no pack. */
#define PACK_REACH 15 /* bytes before the sign in which the unit is named */
static bool says_pack_price(const struct field *f, int64_t price_fen, const char *unit)
{
    static const char *const signs[] = {"¥", "￥"};
    size_t ul = strlen(unit);
    for (int k = 0; k < 2; k++) {
        const char *t = f->orig, *p = t;
        size_t sl = strlen(signs[k]);
        while ((p = memmem(p, f->olen - (size_t)(p - t), signs[k], sl)) != NULL) {
            size_t at = (size_t)(p - t), from = at > PACK_REACH ? at - PACK_REACH : 0;
            int64_t fen;
            uint32_t end;
            p += sl;
            const char *u = memmem(t + from, at - from, unit, ul);
            if (u && !memmem(u, (size_t)(t + at - u), "起", 3) && /* 10个起 ¥26.9: a tier */
                sw__read_amount(f, (uint32_t)(p - t), &fen, &end, NULL) && fen == price_fen)
                return true;
        }
    }
    return false;
}

/* What the reference prices (a label of the price check's reference role: 原价, 官方指导价) stand
 * above the price by, up to max of them into over: a 直降 of such an amount is already in the
 * price (sw__discounts_explain). Their number. */
static int reference_excess(const struct field *fs, int64_t price_fen, int64_t *over, int max)
{
    int n = 0;
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits && n < max; i++) {
            const struct hit *h = &f->hits[i];
            uint32_t s, e, end;
            int64_t ref;
            if (sw__role(f, h) != R_PRICE_IGNORE)
                continue;
            sw__orig_span(f, h->from, h->to, &s, &e);
            if (sw__read_amount(f, e, &ref, &end, NULL) && ref > price_fen)
                over[n++] = ref - price_fen;
        }
    }
    return n;
}

static void price_finding(const struct field *fs, int fi, const struct sw_listing *l, struct out *o,
                          uint32_t s, uint32_t end, int64_t fen, int per)
{
    if (per < 0 && fen != l->price_fen && sw__bought_several(&fs[fi], s, true))
        return; /* 买2箱共10斤到手55元: the price of two boxes */
    int64_t many = per < 0 ? sw__count_total_before(&fs[fi], s) : 0;
    if (many > 1 && fen == many * l->price_fen)
        return; /* 3件合计¥25.5 of a listing at 8.5 */
    if (per < 0 && fen != l->price_fen && sw__deposit_part(fs, fi, l, s, o))
        return; /* 定金¥100，尾款¥2,199: a pre-sale's parts (deposits.c) */
    int64_t total = fen, units = 1;
    if (per >= 0 && (!price_of_units(fs, per, fen, &total, &units) ||
                     (total != l->price_fen &&
                      says_pack_price(&fs[fi], l->price_fen, sw__per_units[per].name))))
        return; /* 单罐 ¥258，两罐礼盒 ¥499 of a listing at 499: a can's price, another quantity */
    int64_t over[4];
    if (total == l->price_fen ||
        (per >= 0 && units > 1 && total - l->price_fen < units && l->price_fen - total < units) ||
        (per < 0 && total < l->price_fen &&
         sw__discounts_explain(fs, l->price_fen - total, over,
                               reference_excess(fs, l->price_fen, over, 4))))
        return; /* 满300减50, 到手价269 of a 319 listing: the price after the discount; 单件价格
                 * ￥26.63 of three at 79.90: a unit's price rounded */
    if ((per < 0 && (variant_prices(&fs[fi], s, l->price_fen) ||
                     variant_lines(&fs[fi], s, l->price_fen) || discount_before(&fs[fi], s))) ||
        (total > l->price_fen && rate_explains(fs, total, l->price_fen)))
        return; /* another variant's price; 立减¥30: an amount off; 单罐¥200, 2罐9折: ¥360 */
    char a[24], b[24], c[24];
    struct finding *x = sw__add(o, &fs[0].sc->price, fi, s, end);
    if (per < 0)
        sw__evidence(o, x, "text says %s yuan; the price is %s yuan", sw_money_format(fen, a),
                     sw_money_format(l->price_fen, b));
    else /* one buffer each: the three amounts are formatted before the evidence is written */
        sw__evidence(o, x, "text says %s yuan per %s (%lld: %s yuan); the price is %s yuan",
                     sw_money_format(fen, a), sw__per_units[per].name, (long long)units,
                     sw_money_format(total, c), sw_money_format(l->price_fen, b));
}

/* "9.9元秒杀": the amount right before a word of `after` (its 元 included), read back in the
 * original text (normalising drops the dot) over at most 8 digits and one dot, unless a
 * condition (满99元包邮, 立减5元), a label or a count (2件9.9元) stands before it. Its
 * original start in *s, fen in *fen. */
/* A numeral in characters of at least ten ending at original offset end (一百二十九, 两千二百九十
 * 九): its value and start; -1 when none. */
static int64_t numeral_ending(const char *t, uint32_t end, uint32_t *start)
{
    const unsigned char *u = (const unsigned char *)t;
    uint32_t q = end;
    for (int k = 0; k < 10 && q >= 3 && sw__cn_char(u, end, q - 3) >= 0; k++)
        q -= 3;
    size_t len = 0;
    int64_t v = q < end ? sw__cn_numeral(u, end, q, &len) : -1;
    if (v < 10 || q + len != end)
        return -1;
    *start = q;
    return v;
}

/* The fen of the decimal t[p, end) (digits and at most one '.', two decimals read). */
static int64_t decimal_fen(const char *t, uint32_t p, uint32_t end)
{
    int64_t yuan = 0, cents = 0;
    int after = -1;
    for (uint32_t k = p; k < end; k++) {
        char c = t[k];
        if (c == '.') {
            after = 0;
            continue;
        }
        if (after < 0)
            yuan = yuan * 10 + (c - '0');
        else if (after++ == 0)
            cents = (int64_t)(c - '0') * 10;
        else
            cents += c - '0';
    }
    return yuan * 100 + cents;
}

static bool amount_before(const struct field *fs, const struct field *f, uint32_t pos, uint32_t *s,
                          int64_t *fen, int *per)
{
    if (sw__word_behind(f, &f->sc->price_campaigns, pos, 0))
        return false; /* 618到手, 双11到手: the sale's name */
    uint32_t os, oe;
    sw__orig_span(f, pos, pos + 1, &os, &oe);
    const char *t = f->orig;
    uint32_t p = os;
    while (p > 0 && t[p - 1] == ' ')
        p--;
    /* 一百五十九，不用凑单: a word that is not 元… may follow a numeral in characters across
     * its clause's comma (digits there are something else's: 500g*2，到手价99元) */
    bool spoken = os + 3 <= f->olen && memcmp(t + os, "元", 3) != 0;
    uint32_t comma = spoken && p > 0 && t[p - 1] == ','                    ? 1
                     : spoken && p >= 3 && memcmp(t + p - 3, "，", 3) == 0 ? 3
                                                                           : 0;
    uint32_t end = p, cn_start = 0;
    int64_t cn = numeral_ending(t, end, &cn_start);
    if (comma && cn < 0 && (cn = numeral_ending(t, p - comma, &cn_start)) > 0)
        end = p - comma;
    if (comma && end == p)
        return false; /* digits before the comma */
    p = end;
    int digits = 0, frac = -1;
    for (; p > 0 && digits < 8; p--) {
        char c = t[p - 1];
        if (c >= '0' && c <= '9')
            digits++;
        else if (c == '.' && frac < 0 && digits > 0 && digits <= 2)
            frac = digits;
        else
            break;
    }
    if (digits == 0 && cn > 0)
        p = cn_start; /* 一百二十九到手 */
    else if (digits == 0 || t[p] == '.' || (frac < 0 && digits > 6))
        return false;
    if (p > 0 && (t[p - 1] == '.' || t[p - 1] == '-' || t[p - 1] == '~'))
        return false; /* 1.2.3元, 9-19元: a version or a range */
    if (sw__times_sign_before(t, p))
        return false; /* 500g×2 到手价29.9: a pack's count, not a price */
    uint32_t plus = p > 0 && t[p - 1] == '+'                    ? 1
                    : p >= 3 && memcmp(t + p - 3, "＋", 3) == 0 ? 3
                                                                : 0;
    if (plus && p > plus && t[p - plus - 1] >= '0' && t[p - plus - 1] <= '9')
        return false; /* 16+512 到手: a phone's memory, not a price */
    uint32_t q = pos; /* the number's start in the normalised text (map: at a character's
                       * first byte only) */
    while (q > 0) {
        uint32_t r = q - 1;
        while (r > 0 && ((unsigned char)f->norm[r] & 0xC0) == 0x80)
            r--;
        if (f->map[r] < p)
            break;
        q = r;
    }
    int unit = -1, n = sw__for_quantity_n(f, q, &unit);
    if (sw__word_behind(f, &f->sc->price_conds, q, 0) || hit_ends_at(f, R_PRICE_IGNORE, q) ||
        hit_ends_at(f, R_PRICE_LABEL, q) || hit_ends_at(f, R_FREIGHT_LABEL, q) ||
        (n != 0 && !(n > 1 && sw__titles_pack(fs, sw__per_units[unit].name) == n)) ||
        sw__tier_before(f, q, false) || sw__joined_before(f, q))
        return false;            /* a labelled amount is read from its label */
    *per = sw__per_before(f, q); /* 每盒9.9元: the price of one box */
    *s = p;
    *fen = digits == 0 ? cn * 100 : decimal_fen(t, p, end);
    return true;
}

/* Whether the title or the short title writes 元 (a bare amount there may state the price). */
bool sw__titles_name_yuan(const struct field *fs)
{
    for (int fi = SW_SF_TITLE; fi <= SW_SF_SHORT_TITLE; fi++)
        for (size_t i = 0; i < fs[fi].nhits; i++)
            if (sw__role(&fs[fi], &fs[fi].hits[i]) == R_YUAN)
                return true;
    return false;
}

/* After a title's 元 at original offset oe: -1 when no slash follows; the per unit when a slash
 * and a unit of per_units follow and the titles state how many of that unit the listing is
 * (29.9元/斤 of 5斤装); -2 for any other slash (9.9元/斤 alone: what one jin costs, not what
 * the listing does). */
static int title_rate(const struct field *fs, const struct field *f, uint32_t oe)
{
    size_t k;
    if (oe < f->olen && f->orig[oe] == '/')
        k = oe + 1;
    else if (oe + 3 <= f->olen && memcmp(f->orig + oe, "／", 3) == 0)
        k = oe + 3;
    else
        return -1;
    int u = sw__per_unit_at((const unsigned char *)f->orig, f->olen, k);
    return u >= 0 && sw__titles_count(fs, sw__per_units[u].name) > 0 ? u : -2;
}

/* A bare amount in yuan in a title (【39.9元】, 9.9元秒杀) states the listing's price, unless
 * what follows makes it something else (5元券, 10元红包, 9.9元/斤, 59元起) or what stands before
 * it does (满99元, 原价, 2件; see amount_before); a price per unit the titles state a count of
 * is the price of that many (29.9元/斤 5斤装: 149.50). The policy's `title_amounts` turns it on. */
void sw__title_prices(const struct field *fs, const struct sw_listing *l, struct out *o,
                      unsigned *flags)
{
    const struct sw_scanner *sc = fs[0].sc;
    if (!sc->title_amounts)
        return;
    for (int fi = SW_SF_TITLE; fi <= SW_SF_SHORT_TITLE; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            if (sw__role(f, &f->hits[i]) != R_YUAN)
                continue;
            uint32_t at = f->hits[i].from, os, oe, s;
            sw__orig_span(f, at, at + 3, &os, &oe);
            int64_t fen;
            int per;
            int rate = title_rate(fs, f, oe);
            if (sw__word_ahead(f, &sc->price_not_after, at + 3) || rate == -2 ||
                !amount_before(fs, f, at, &s, &fen, &per))
                continue;
            if (oe + 3 <= f->olen && memcmp(f->orig + oe, "起", 3) == 0)
                continue;
            if (rate >= 0) { /* 29.9元/斤 of a 5斤装 listing: the price of five */
                per = rate;
                oe += f->orig[oe] == '/' ? 1 : 3;
                oe += (uint32_t)strlen(sw__per_units[rate].name);
            }
            *flags |= SW_SCAN_STATES_PRICE;
            if (l->has_price)
                price_finding(fs, fi, l, o, s, oe, fen, per);
        }
    }
}

/* A word of `currencies` (円, 港币, 美金) right after original offset `end` (an amount's end,
 * spaces skipped), looked for from normalised offset `from` (the label's end) on: the amount is
 * in another currency. (The map is read at characters' first bytes only.) */
static bool other_currency(const struct field *f, uint32_t from, uint32_t end)
{
    const struct sw_words *w = &f->sc->price_currencies;
    for (uint32_t k = from; w->n && k < f->n; k++)
        if (((unsigned char)f->norm[k] & 0xC0) != 0x80 && f->map[k] >= end)
            return sw__word_ahead(f, w, k);
    return false;
}

/* Price labels and their amounts against the price; freight labels against the freight. The
 * label nearest an amount governs it: a price label right after a reference label (划线价
 * ¥399, 原价：¥299) reads a reference price, not the listing's. */
/* The amount of 不满N or 未满N (元) ending at most 6 characters before norm offset `from` in its
 * clause, in fen; -1 when there is none. */
static int64_t under_amount(const struct field *f, uint32_t from)
{
    static const char *const marks[] = {"不满", "未满"};
    uint32_t lo = from > 40 ? from - 40 : 0;
    for (uint32_t p = from; p > lo; p--) {
        unsigned char c = (unsigned char)f->norm[p - 1];
        if (c == ',' || c == ';' || c == 0xFF || (c < 0x80 && c != '.' && !sw__is_alnum((char)c)))
            return -1; /* the clause ends */
        for (size_t k = 0; k < 2; k++) {
            if (p < 6 || memcmp(f->norm + p - 6, marks[k], 6) != 0)
                continue;
            int64_t v = 0;
            uint32_t q = p;
            while (q < from && f->norm[q] >= '0' && f->norm[q] <= '9' && v < INT64_C(100000000))
                v = v * 10 + (f->norm[q++] - '0');
            return q > p ? v * 100 : -1;
        }
    }
    return -1;
}

/* ¥299（划线价）, 438元(参考价): a reference label alone in brackets right after the amount names
 * it a reference price (¥349（原价 ¥499）, or 到手¥169 原价¥299: the label governs the next). */
static bool reference_after(const struct field *f, uint32_t end)
{
    size_t i = end;
    while (i < f->olen && f->orig[i] == ' ')
        i++;
    if (i < f->olen && f->orig[i] == '(')
        i++;
    else if (i + 3 <= f->olen && memcmp(f->orig + i, "（", 3) == 0)
        i += 3;
    else
        return false;
    for (size_t k = 0; k < f->nhits; k++) {
        uint32_t s, e;
        if (sw__role(f, &f->hits[k]) != R_PRICE_IGNORE)
            continue;
        sw__orig_span(f, f->hits[k].from, f->hits[k].to, &s, &e);
        if (s != i)
            continue;
        while (e < f->olen && f->orig[e] == ' ')
            e++;
        /* the label alone in its brackets: （原价 ¥499） names the amount inside */
        return (e < f->olen && f->orig[e] == ')') ||
               (e + 3 <= f->olen && memcmp(f->orig + e, "）", 3) == 0);
    }
    return false;
}

/* Whether a label's own text is made of what may stand between a label and its amount (仅需,
 * 只要): an amount after it is read by a label right before it as well. */
static bool fillers_only(const struct field *f, const struct hit *h)
{
    uint32_t s, e, end;
    int64_t fen;
    sw__orig_span(f, h->from, h->to, &s, &e);
    return sw__read_amount(f, s, &fen, &end, NULL);
}

/* A price label that names a unit (每斤, 每盒, 单罐: *per set, u the unit, -1 if none) or a total
 * (合计, 一共), the label at original [s, e), its amount ending at end: whether the amount says
 * nothing to compare. Such an amount must be said in yuan (每斤仅 12.9 元; not 每盒12块, which may
 * count pieces, nor 一共1.6千克); a unit's price in brackets (3瓶到手267元（每瓶89元）) is what an
 * amount before it works out to, and one unit at the listing's price (单罐318元 of a listing at
 * 318) is the price of what the listing sells. */
static bool unit_label_skip(const struct field *f, const struct sw_listing *l, int u, uint32_t s,
                            uint32_t e, uint32_t end, int64_t fen, int *per)
{
    bool total = sw__total_at(f, s) == e - s;
    if (u < 0 && !total)
        return false;
    bool count = u >= 0 && sw__per_units[u].count;
    if (!sw__in_yuan(f, e, end, !count && !total))
        return true;
    if (total)
        return false;
    *per = u;
    bool bracket =
        (s >= 1 && f->orig[s - 1] == '(') || (s >= 3 && memcmp(f->orig + s - 3, "（", 3) == 0);
    return bracket || (count && l->has_price && fen == l->price_fen);
}

/* The titles or the detail say the second piece is half price (第二件半价, 第2件半价). */
static bool second_half(const struct field *fs)
{
    static const char *const said[] = {"第二件半价", "第2件半价"};
    for (int fi = 0; fi < SW_SF__COUNT; fi++)
        for (size_t k = 0; k < sizeof said / sizeof said[0]; k++)
            if (memmem(fs[fi].norm, fs[fi].n, said[k], strlen(said[k])))
                return true;
    return false;
}

/* Where a price label that ends at norm offset at starts (到手 before ¥), or at. */
static uint32_t label_ending(const struct field *f, uint32_t at)
{
    for (size_t i = sw__first_hit_ending(f, at); i < f->nhits && f->hits[i].to == at; i++)
        if (sw__role(f, &f->hits[i]) == R_PRICE_LABEL && f->hits[i].from < at)
            return f->hits[i].from;
    return at;
}

/* 折合¥2.5/包 of a listing of 30包 at 99: a price per unit worked out from the price, which
 * must come back to it (2.5 x 30 is 75). Such a figure is rounded: it agrees within half a jiao
 * a unit or 2% of the price. Only of a pack the titles state (2 or more of the unit). */
void sw__converted_prices(const struct field *fs, int fi, const struct sw_listing *l, struct out *o)
{
    const struct field *f = &fs[fi];
    const char *t = f->orig;
    size_t n = f->olen;
    for (size_t h = 0; h < f->nhits; h++) { /* 折合 is a label the price check ignores */
        const struct hit *x = &f->hits[h];
        if (sw__role(f, x) != R_PRICE_IGNORE || x->to - x->from < 6 ||
            memcmp(f->norm + x->from, "折合", 6) != 0)
            continue;
        uint32_t at, i;
        sw__orig_span(f, x->from, x->to, &at, &i);
        if (i + 3 <= n && memcmp(t + i, "约", 3) == 0)
            i += 3;
        while (i < n && (t[i] == ' ' || t[i] == ':'))
            i++;
        size_t sl = sw__sign_at(t, n, i); /* 折合¥2.5/包, 折合16.5元/盒 */
        int64_t fen;
        uint32_t end;
        int per = -1;
        if (!sw__read_amount(f, (uint32_t)(i + sl), &fen, &end, &per) || per < 0 ||
            !sw__per_units[per].count)
            continue;
        int64_t units = sw__titles_count(fs, sw__per_units[per].name), total = fen * units;
        int64_t diff = total > l->price_fen ? total - l->price_fen : l->price_fen - total;
        if (units < 2 || diff <= units * 5 || diff * 50 <= l->price_fen)
            continue;
        char a[24], b[24], c[24];
        sw__evidence(o, sw__add(o, &f->sc->price, fi, at, end),
                     "text says %s yuan per %s (%lld: %s yuan); the price is %s yuan",
                     sw_money_format(fen, a), sw__per_units[per].name, (long long)units,
                     sw_money_format(total, c), sw_money_format(l->price_fen, b));
        return;
    }
}

/* A freight label's amount against the listing's freight (known), but not the freight of some
 * orders or regions only. */
static void freight_label(const struct field *f, int fi, const struct sw_listing *l, struct out *o,
                          const struct hit *h)
{
    const struct sw_scanner *sc = f->sc;
    int64_t fen;
    uint32_t s, e, end;
    sw__orig_span(f, h->from, h->to, &s, &e);
    if (!l->has_freight || !sw__read_amount(f, e, &fen, &end, NULL))
        return;
    /* 不满99收运费8元 of a listing at 129: the freight of orders under an amount this listing
     * passes (one at 49 pays it) */
    int64_t under = under_amount(f, h->from);
    if (fen == l->freight_fen || sw__negated(f, h->from) ||
        (under >= 0 && l->has_price && l->price_fen >= under) ||
        sw__word_before_unless(f, &sc->ship_regions, &sc->ship_others, h->from, REGION_BACK) ||
        sw__word_behind_in_clause(f, &sc->ship_orders, h->from, 12))
        return; /* 新疆、西藏地区需补运费15元 (a region earlier in its sentence: 新疆/西藏的亲：
                 * 快递进不去，需要补运费12元; not 偏远地区除外，其余地区运费5元): some
                 * regions' buyers; 拍2件及以上运费0元 (`orders`): larger orders' */
    char a[24], b[24];
    sw__evidence(o, sw__add(o, &sc->ship, fi, s, end),
                 "text says the freight is %s yuan; the freight is %s yuan",
                 sw_money_format(fen, a), sw_money_format(l->freight_fen, b));
}

/* 秒杀 as a word of `after` (9.9秒杀) that is 秒 and 杀 of killing (3秒杀菌, 1秒杀灭99%细菌): a
 * time, no price; or a kind of offer (有9.9秒杀款: some other listing's); or the end of a price
 * said in two parts (9块9秒杀), which the price labels read whole. */
static bool seconds_to_kill(const struct field *f, const struct hit *h)
{
    static const char kills[] = "菌灭死毒螨虫除款";
    if (h->to - h->from != 6 || memcmp(f->norm + h->from, "秒杀", 6) != 0)
        return false;
    uint32_t p = h->from; /* 9块9秒杀: a price said in two parts, its yuan before 块 */
    while (p > 0 && f->norm[p - 1] >= '0' && f->norm[p - 1] <= '9')
        p--;
    if (p < h->from && p >= 3 &&
        (memcmp(f->norm + p - 3, "块", 3) == 0 || memcmp(f->norm + p - 3, "元", 3) == 0))
        return true;
    if (h->to + 3 > f->n)
        return false;
    for (size_t k = 0; k + 3 <= sizeof kills - 1; k += 3)
        if (memcmp(f->norm + h->to, kills + k, 3) == 0)
            return true;
    return false;
}

void sw__prices(const struct field *fs, int fi, const struct sw_listing *l, struct out *o,
                unsigned *flags)
{
    const struct field *f = &fs[fi];
    if (l->has_price)
        sw__converted_prices(fs, fi, l, o);
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        int r = sw__role(f, h);
        if (r == R_PRICE_AFTER) {
            int64_t fen;
            uint32_t s, e, hs;
            int per;
            if (seconds_to_kill(f, h) || !amount_before(fs, f, h->from, &s, &fen, &per))
                continue;
            *flags |= SW_SCAN_STATES_PRICE;
            sw__orig_span(f, h->from, h->to, &hs, &e);
            if (l->has_price)
                price_finding(fs, fi, l, o, s, e, fen, per);
            continue;
        }
        if (r == R_FREIGHT_LABEL)
            freight_label(f, fi, l, o, h);
        if (r != R_PRICE_LABEL)
            continue;
        int one = -1, q = sw__for_quantity_n(f, h->from, &one);
        uint32_t chained = q == 0 ? label_ending(f, h->from) : h->from;
        /* 单支售价89元: the unit a label right before names; 每瓶仅需99元: that label reads the
         * amount itself (unless a label it ignores stands before it: 折合每盒仅需5.9元) */
        int unit = chained != h->from ? sw__per_before(f, h->from) : -1;
        if (unit >= 0 && !hit_ends_at(f, R_PRICE_IGNORE, chained) && fillers_only(f, h))
            continue;
        if (chained != h->from && unit < 0) /* 拍2件到手¥133.5: the count before the label */
            q = sw__for_quantity_n(f, chained, &one);
        /* 两盒只要198 of a listing that is 两盒装: the price of what the listing sells; 3件合计
         * ¥29.9: the price of three, compared with three prices (price_finding) */
        bool pack = q > 1 && sw__titles_pack(fs, sw__per_units[one].name) == q;
        /* 拍2件到手 of a listing whose second piece is half price: one and a half prices */
        bool half = q == 2 && !pack && second_half(fs);
        if (q > 1 && !pack && !half) {
            uint32_t cs, ce;
            sw__orig_span(f, chained, h->to, &cs, &ce);
            pack = sw__total_at(f, cs) > 0;
        }
        if (sw__covered(f, h, R_PRICE_IGNORE, -1, false) ||
            hit_ends_at(f, R_PRICE_IGNORE, h->from) || (q > 1 && !pack && !half) ||
            sw__tier_before(f, h->from, fi == SW_SF_DETAIL) || sw__previous(f, h->from) ||
            sw__joined_before(f, h->from) ||
            hit_ends_at(f, R_FREIGHT_LABEL, h->from)) /* 运费 ¥12: the freight's sign */
            continue;
        int64_t fen;
        uint32_t s, e, end;
        int per = -1;
        sw__orig_span(f, h->from, h->to, &s, &e);
        if ((!sw__read_amount(f, e, &fen, &end, &per) &&
             !sw__read_spoken_amount(f, e, &fen, &end)) ||
            other_currency(f, h->to, end) || reference_after(f, end))
            continue; /* 日本售价 1,280円: a price, not in yuan; ¥299（划线价） */
        if (per < 0 && q == 1)
            per = one; /* 一盒只要29.9: the price of one box */
        if (per < 0 && unit < 0)
            unit = sw__per_before(f, h->to);
        if (per < 0 && unit_label_skip(f, l, unit, s, e, end, fen, &per))
            continue;
        if (per < 0 && q == 0 && (per = sw__single_before(f, h->from)) >= 0 && l->has_price &&
            fen == l->price_fen)
            continue; /* 单件¥599 of a listing at 599: one piece's price is the price */
        *flags |= SW_SCAN_STATES_PRICE;
        if (half && l->has_price && per < 0 && fen * 2 != l->price_fen * 3) {
            char a[24], b[24], c[24];
            sw__evidence(o, sw__add(o, &f->sc->price, fi, s, end),
                         "text says %s yuan for two; at %s yuan with the second at half "
                         "price that is %s yuan",
                         sw_money_format(fen, a), sw_money_format(l->price_fen, b),
                         sw_money_format(l->price_fen * 3 / 2, c));
        } else if (!half && l->has_price) {
            price_finding(fs, fi, l, o, s, end, fen, per);
        }
    }
}
