/* Key-info consistency of free shipping (RULES.md §3, docs/scan.md consistency.free_shipping):
 * a free-shipping claim against the freight field and against the text's denials and freight
 * amounts, conditions and exceptions read around each hit. Split from consistency.c. */
#include <string.h>

#include "base/money.h"
#include "scan/detect.h"

/* 满 and a numeral in characters of two or more ending at p (满九十九, 满两件): a condition,
 * unless it is an amount of money (no unit) one order of the listing pays (满九十九 of one at
 * 129). */
static bool cn_condition(const struct field *f, uint32_t p, int unit,
                         const struct sw_listing *listing)
{
    const unsigned char *t = (const unsigned char *)f->norm;
    uint32_t q = p;
    while (q >= 3 && p - q < 24 && sw__cn_char(t, f->n, q - 3) >= 0)
        q -= 3;
    size_t len = 0;
    int64_t v = q < p ? sw__cn_numeral(t, f->n, q, &len) : -1;
    if (v < 2 || q + len != p || q < 3 || memcmp(f->norm + q - 3, "满", 3) != 0)
        return false;
    return !(unit <= 0 && listing->has_price && v <= INT64_MAX / 100 &&
             v * 100 <= listing->price_fen);
}

/* "满99包邮", "满2件包邮", "买2件包邮", "满件包邮", "两件包邮": free shipping on a condition (a
 * count of two or more in characters) is not a claim about this
 * listing's freight. Looks behind the claim in the normalised text. The walk back over digits
 * stops at the first non-digit, and a run of digits lies right before one claim only: each
 * digit is walked once. */
static bool conditional(const struct field *fs, const struct field *f, uint32_t from,
                        const struct sw_listing *listing)
{
    static const char *const units[] = {"元", "件", "个", "单", "份", "盒", "瓶", "斤",
                                        "箱", "袋", "包", "罐", "支", "套", NULL};
    /* the consequence of a condition said before it: 拍两份就包邮, 满两件才包邮, 即可包邮 */
    static const char *const then[] = {"就", "才", "即可", "即", "便", NULL};
    /* how or where it ships, between the condition and the claim: 满2件顺丰包邮, 满99全国包邮 */
    static const char *const via[] = {"顺丰", "全国", "京东", "中通", "圆通", "韵达", "申通",
                                      "邮政", "极兔", "德邦", "冷链", "快递", NULL};
    /* a claim for some regions only (江浙沪包邮, 省内包邮): others may pay */
    if (sw__word_behind(f, &f->sc->ship_local, from, 0))
        return true;
    for (int t = 0; via[t]; t++) {
        size_t l = strlen(via[t]);
        if (from >= l && memcmp(f->norm + from - l, via[t], l) == 0) {
            from -= (uint32_t)l;
            break;
        }
    }
    /* a consequence word makes a condition of what stands before it, unless that condition is
     * one every order meets (满1件即可包邮, 满99元即可包邮 of a listing at 129: read on below) */
    bool then_seen = false;
    for (int t = 0; then[t] && !then_seen; t++) {
        size_t l = strlen(then[t]);
        if (from >= l && memcmp(f->norm + from - l, then[t], l) == 0) {
            from -= (uint32_t)l;
            then_seen = true;
        }
    }
    /* ... and a condition every order meets is none: 下单即包邮, 拍下就包邮, 一件即包邮 */
    static const char *const any_order[] = {"下单", "拍下", "付款", "购买", "一件", "单件", NULL};
    for (int t = 0; then_seen && any_order[t]; t++) {
        size_t l = strlen(any_order[t]);
        if (from >= l && memcmp(f->norm + from - l, any_order[t], l) == 0)
            return false;
    }
    uint32_t p = from;
    int unit = -1;
    bool from_count = false; /* 两件起包邮: a count and more */
    if (p >= 9 && memcmp(f->norm + p - 9, "及以上", 9) == 0)
        p -= 9; /* 拍2件及以上包邮 */
    else if (p >= 6 && memcmp(f->norm + p - 6, "以上", 6) == 0)
        p -= 6;
    else if (p >= 3 && memcmp(f->norm + p - 3, "起", 3) == 0)
        p -= 3, from_count = true;
    for (int u = 0; units[u]; u++)
        if (p >= 3 && memcmp(f->norm + p - 3, units[u], 3) == 0) {
            p -= 3;
            unit = u;
            break;
        }
    uint32_t digits = p;
    int64_t n = 0, scale = 1;
    while (p > 0 && f->norm[p - 1] >= '0' && f->norm[p - 1] <= '9') {
        n += (f->norm[p - 1] - '0') * scale;
        scale = scale < INT64_C(1000000000) ? scale * 10 : scale;
        p--;
    }
    if (p == digits && cn_condition(f, p, unit, listing))
        return true; /* 满九十九包邮 of a listing at 59, 满两件包邮 */
    /* 满3罐包邮 of a listing of 3罐: one order meets it, a claim about this listing (and 满1件包邮
     * of any listing) */
    if (unit > 0 && p < digits && n > 0 && (n == 1 || sw__titles_count(fs, units[unit]) >= n))
        return false;
    /* 满99包邮 (元) of a listing at 129: so does one order of it */
    if (unit <= 0 && p < digits && n > 0 && listing->has_price && n <= INT64_MAX / 100 &&
        n * 100 <= listing->price_fen && p >= 3 && memcmp(f->norm + p - 3, "满", 3) == 0)
        return false;
    int cn = p == digits && p >= 3 && p < from
                 ? sw__cn_char((const unsigned char *)f->norm, f->n, p - 3)
                 : -1;
    if (cn > 1 && cn < 10) /* 两件包邮: a count of two or more in characters */
        return true;
    if (from_count && unit > 0 && p < digits && n > 1)
        return true; /* 2件起包邮 */
    if (p < 3 || (p == digits && p == from))
        return then_seen; /* 满件包邮: 满 right before the unit is a condition too */
    return then_seen || memcmp(f->norm + p - 3, "满", 3) == 0 ||
           memcmp(f->norm + p - 3, "买", 3) == 0 || memcmp(f->norm + p - 3, "拍", 3) == 0;
}

/* A condition word ("偏远地区", "不满") in the denial or up to CONDITION_REACH characters
 * before it: freight only for some buyers or some orders, which a freight of 0 does not
 * contradict. (运费到付 is no condition: the buyer pays the carrier, and a freight of 0 says
 * there is nothing to pay.) The words are looked up behind the denial's end (no pattern of
 * their own: 以下 or 单件 are common words, and a hit each would cost every listing). */
#define CONDITION_REACH 12

static bool conditioned(const struct field *f, const struct hit *d)
{
    int chars = 0;
    for (uint32_t p = d->from; p < d->to; p++)
        chars += ((unsigned char)f->norm[p] & 0xC0) != 0x80;
    /* 偏远地区除外，其余地区运费5元 is the freight of every other buyer */
    return sw__word_behind_unless(f, &f->sc->ship_conditions, &f->sc->ship_others, d->to,
                                  chars + CONDITION_REACH);
}

/* Up to this many characters after a free-shipping claim in its sentence, or EXCEPTION_BACK
 * before it, an `exceptions` word (除外, 不含; 其余地区包邮) makes it a claim with exceptions: a
 * denial for the excepted buyers (a condition word in it) then agrees with it. */
#define EXCEPTION_REACH 16
#define EXCEPTION_BACK 6

/* A waiver ("不用", "无需") up to WAIVER_REACH characters before the denial in its clause: 包邮，
 * 不用另外补运费 says the buyer pays nothing more. */
#define WAIVER_REACH 4

static bool waived(const struct field *f, const struct hit *d)
{
    return sw__word_behind_in_clause(f, &f->sc->ship_waivers, d->from, WAIVER_REACH);
}

/* No free-shipping claim, a freight of 0, and text that says the buyer pays a freight
 * ("不包邮", "运费自理"): the text and the freight field disagree. */
/* A denial that is a word of `surcharges` (加收, 另收) with no amount after it in its clause
 * (加收藏, 另收到的赠品, 绝不加收任何费用): no surcharge. */
static bool bare_surcharge(const struct field *f, const struct hit *h)
{
    const struct sw_words *w = &f->sc->ship_surcharges;
    size_t n = h->to - h->from;
    bool is = false;
    for (int i = 0; i < w->n && !is; i++)
        is = w->len[i] == n && memcmp(f->norm + h->from, w->w[i], n) == 0;
    if (!is)
        return false;
    for (size_t p = h->to; p < f->n && p < h->to + 12; p++) { /* 加收10元, 另补 ¥10, 加收运费8元 */
        unsigned char c = (unsigned char)f->norm[p];
        if (c >= '0' && c <= '9')
            return false;
        if (c == ',' || c == '.' || c == ';' || c == '!' || c == '?' || c == '\n')
            break;
    }
    return true;
}

static void freight_denied(const struct field *fs, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            if (sw__role(f, h) != R_SHIP_DENIAL || sw__covered(f, h, R_SHIP_DENIAL, -1, true) ||
                sw__negated(f, h->from) || conditioned(f, h) || waived(f, h) ||
                bare_surcharge(f, h) || sw__word_ahead(f, &sc->ship_others, h->from))
                continue; /* 其他地区+10元: the freight of buyers outside a region the text
                           * names (江浙沪包邮), which a claim without it contradicts */
            struct finding *x = sw__add_at(o, &sc->ship, f, fi, h->from, h->to);
            if (x)
                sw__evidence(o, x, "text says %.*s; the freight is 0.00 yuan",
                             sw__ev_len(x->e - x->s), f->orig + x->s);
        }
    }
}

/* A free-shipping claim and, with the freight field unknown, a freight amount above 0 stated
 * in the text (运费10元): the text contradicts itself. (A known freight is compared with the
 * amount by sw__prices.) */
static void freight_stated(const struct field *fs, int claim_fi, const char *claim, uint32_t cn,
                           struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            int64_t fen;
            uint32_t s, e, end;
            if (sw__role(f, h) != R_FREIGHT_LABEL || sw__negated(f, h->from) || conditioned(f, h))
                continue;
            sw__orig_span(f, h->from, h->to, &s, &e);
            if (!sw__read_amount(f, e, &fen, &end, NULL) || fen <= 0)
                continue;
            char a[24];
            struct finding *x = sw__add(o, &sc->ship, fi, s, end);
            if (x)
                sw__evidence(o, x, "text says the freight is %s yuan; %s says %.*s",
                             sw_money_format(fen, a), sw_scan_field_names[claim_fi], sw__ev_len(cn),
                             claim);
        }
    }
}

void sw__shipping(const struct field *fs, const struct sw_listing *l, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    const struct field *claim_f = NULL;
    const struct hit *claim = NULL;
    int claim_fi = -1;
    bool excepted = false; /* a claim that states its exceptions (包邮（新疆西藏除外）) */
    /* free-shipping claims (not inside a denial) against the freight and against denials */
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            if (sw__role(f, h) != R_SHIP_CLAIM || sw__covered(f, h, R_SHIP_DENIAL, -1, false) ||
                sw__negated(f, h->from) || conditional(fs, f, h->from, l) || sw__asked(f, h->to) ||
                sw__previous(f, h->from))
                continue; /* 问：包邮吗？ asks, it claims nothing */
            if (!claim) {
                claim = h;
                claim_f = f;
                claim_fi = fi;
            }
            excepted |= sc->ship_exceptions.n &&
                        sw__word_in_sentence(f, &sc->ship_exceptions, h->from, h->to,
                                             EXCEPTION_BACK, EXCEPTION_REACH);
            if (l->has_freight && l->freight_fen > 0) {
                struct finding *x = sw__add_at(o, &sc->ship, f, fi, h->from, h->to);
                char a[24];
                sw__evidence(o, x, "claims free shipping; the freight is %s yuan",
                             sw_money_format(l->freight_fen, a));
            }
        }
    }
    if (!claim) {
        if (l->has_freight && l->freight_fen == 0)
            freight_denied(fs, o);
        return;
    }
    uint32_t cs, ce;
    sw__orig_span(claim_f, claim->from, claim->to, &cs, &ce);
    if (!l->has_freight)
        freight_stated(fs, claim_fi, claim_f->orig + cs, ce - cs, o);
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            if (sw__role(f, h) != R_SHIP_DENIAL || sw__covered(f, h, R_SHIP_DENIAL, -1, true) ||
                waived(f, h) || (excepted && conditioned(f, h)) || bare_surcharge(f, h))
                continue; /* 偏远地区不包邮 against 包邮（偏远地区除外）: the same exception */
            struct finding *x = sw__add_at(o, &sc->ship, f, fi, h->from, h->to);
            if (x)
                sw__evidence(o, x, "%s says %.*s, here: %.*s", sw_scan_field_names[claim_fi],
                             sw__ev_len(ce - cs), claim_f->orig + cs, sw__ev_len(x->e - x->s),
                             f->orig + x->s);
        }
    }
}
