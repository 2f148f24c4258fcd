/* Key-info consistency (RULES.md §3): what the text says against the listing's structured
 * fields (after-sales services, brand, carrier; free shipping is in shipping.c). Every check
 * from a hit looks at a bounded neighbourhood of it; the checks across fields read each field's
 * hits once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/detect.h"
#include "scan/normclass.h"

static bool has_service(const json_t *after_sales, const char *svc)
{
    size_t i;
    const json_t *v;
    json_array_foreach(after_sales, i, v) if (json_is_string(v) &&
                                              strcmp(json_string_value(v), svc) == 0) return true;
    return false;
}

#define WITHDRAWN_REACH 4 /* characters between a promise and the words that take it back */

/* A word of `withdrawn_after` up to WITHDRAWN_REACH ideographs after norm offset p, nothing but
 * ideographs between (7天无理由不适用生鲜, 7天无理由退货服务不支持): the promise is taken back.
 * Not past a mark or a bracket: 7天无理由（定制款不支持） takes back the custom pieces' only. */
static bool withdrawn_after(const struct field *f, uint32_t p)
{
    const struct sw_words *w = &f->sc->promise_withdrawn;
    for (int k = 0; w->n && k <= WITHDRAWN_REACH && p < f->n; k++) {
        if (sw__word_ahead(f, w, p))
            return true;
        if (!sw__ideograph_at(f->norm, f->n, p))
            return false;
        p += 3;
    }
    return false;
}

/* A promise the text takes back: negated (不包邮 is no 包邮), in a negation's scope (不赠送运费险,
 * 不提供保修), inside a denial of the service (本品不提供保修服务) or withdrawn right before or
 * after it (`withdrawn_after`: 不适用死一赔一, 7天无理由不适用生鲜); or none: the service looked up
 * (`lookups` right before it, 查保修; `lookups_after` right after it, 保修状态). */
static bool promise_denied(const struct field *f, const struct hit *h)
{
    return sw__negated(f, h->from) || sw__in_negation_scope(f, h->from) ||
           withdrawn_after(f, h->to) || sw__word_behind(f, &f->sc->promise_withdrawn, h->from, 0) ||
           sw__word_behind(f, &f->sc->promise_lookups, h->from, 0) ||
           sw__word_ahead(f, &f->sc->promise_lookups_after, h->to) ||
           sw__covered(f, h, R_SERVICE_DENIAL, -1, false) || sw__previous(f, h->from) ||
           sw__withdrawn(f, h->from, h->to);
}

void sw__promises(const struct field *f, int fi, const struct sw_listing *l, struct out *o)
{
    const struct sw_scanner *sc = f->sc;
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        if (sw__role(f, h) != R_PROMISE || promise_denied(f, h) ||
            sw__covered(f, h, R_PROMISE, -1, true))
            continue;
        const char *svc = sc->promise_service[sw__owner(f, h)];
        if (!l->after_sales || has_service(l->after_sales, svc))
            continue; /* absent: unknown, nothing to contradict ([] is empty and does) */
        struct finding *x = sw__add_at(o, &sc->after_sales, f, fi, h->from, h->to);
        if (x)
            sw__evidence(o, x, "promises %.*s; after_sales does not include %s",
                         sw__ev_len(x->e - x->s), f->orig + x->s, svc);
    }
}

static bool contains(const char *hay, const char *needle)
{
    return needle[0] && strstr(hay, needle) != NULL;
}

bool sw__brand_is(const char *pb, const char *norm)
{
    return strcmp(pb, norm) == 0 || contains(pb, norm) || contains(norm, pb);
}

/* A brand hit ending at pos: where it starts, or pos. */
static uint32_t brand_ending(const struct field *f, uint32_t pos)
{
    size_t lo = sw__first_hit_ending(f, pos);
    uint32_t from = pos;
    for (size_t i = lo; i < f->nhits && f->hits[i].to == pos; i++)
        if (sw__role(f, &f->hits[i]) == R_BRAND && f->hits[i].from < from)
            from = f->hits[i].from;
    return from;
}

/* The start of a brand that ends up to `gap` characters before pos, or pos when none does. */
static uint32_t brand_near(const struct field *f, uint32_t pos, int gap)
{
    uint32_t q = pos;
    for (int g = 0; g <= gap && q > 0; g++) {
        uint32_t from = brand_ending(f, q);
        if (from != q)
            return from;
        do /* one character back */
            q--;
        while (q > 0 && ((unsigned char)f->norm[q] & 0xC0) == 0x80);
        if ((unsigned char)f->norm[q] == 0xFF) /* the end of the previous field */
            return pos;
    }
    return pos;
}

/* "Compatible with" governs a list of brands: 适用于苹果、华为等, 兼容小米、OPPO、vivo. A compat
 * word up to two characters before the brand, or before a list of brands joined by 、 和 及 与
 * 或 ','. At most 8 steps back, each past a brand or one joining character; the list's first
 * name may be one the policy does not know, up to four characters (适配美的、苏泊尔). */
static bool compatible(const struct field *f, uint32_t pos)
{
    static const char *const joins[] = {"、", "和", "及", "与", "或", ",", NULL};
    for (int step = 0; step < 8; step++) {
        if (sw__word_behind(f, &f->sc->compat, pos, 2))
            return true;
        int k = 0;
        while (joins[k] && !(pos >= strlen(joins[k]) && memcmp(f->norm + pos - strlen(joins[k]),
                                                               joins[k], strlen(joins[k])) == 0))
            k++;
        if (!joins[k]) {
            /* or a brand up to two characters before, whose compat word governs this one
             * too: 适用于苹果手机 iPhone 15 */
            uint32_t from = brand_near(f, pos, 2);
            if (from == pos)
                return false;
            pos = from;
            continue;
        }
        uint32_t b = pos - (uint32_t)strlen(joins[k]), from = brand_ending(f, b);
        if (from ==
            b) /* a name the policy does not know (适配美的、苏泊尔: 美的 alone is a word) */
            return sw__word_behind(f, &f->sc->compat, b, 4);
        pos = from;
    }
    return false;
}

/* An accessory named right after the brand (iPhone 15 钢化膜, 华为充电器) or right before it
 * (手机壳 iPhone16), or a word of `compat_after` right after it, a space between at most (苹果可用,
 * 华为通用): the brand is the device it fits, not the listing's own, unless a word of `genuine`
 * stands between (华为原装 充电器: the brand's own). Up to ACCESSORY_REACH characters of its
 * clause. */
#define ACCESSORY_REACH 12

static bool for_device(const struct field *f, uint32_t from, uint32_t to)
{
    if (!f->sc->accessories.n && !f->sc->compat_after.n)
        return false;
    /* 手机壳 iPhone16: the accessory right before the brand (a character between at most) */
    if (sw__word_behind(f, &f->sc->accessories, from, 1))
        return true;
    if (sw__word_ahead(f, &f->sc->compat_after, to) ||
        (to < f->n && f->norm[to] == ' ' && sw__word_ahead(f, &f->sc->compat_after, to + 1)))
        return true;
    uint32_t pos = to;
    for (int step = 0; step < ACCESSORY_REACH && pos < f->n; step++) {
        if (sw__word_ahead(f, &f->sc->genuine, pos))
            return false;
        if (sw__word_ahead(f, &f->sc->accessories, pos))
            return true;
        unsigned char c = (unsigned char)f->norm[pos];
        int l = 0;
        uint32_t cp = sw__cp_at(f->norm + pos, f->n - pos, &l);
        if (c == 0xFF || (c < 0x80 && !sw__is_alnum((char)c) && c != '+') ||
            (c >= 0x80 && cp < 0x10000 && sw_norm_class(cp) == SW_NC_PUNCT))
            return false; /* the clause ends */
        pos += (uint32_t)(l > 0 ? l : 1);
    }
    return false;
}

/* With no brand field, a known brand that a brand label states (品牌：荣耀) is the brand the
 * listing gives itself: other brands in its text are compared with it. NULL when none. */
const struct sw_brand *sw__stated_brand(const struct field *fs, const struct sw_listing *l)
{
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            if (sw__role(f, h) != R_BRAND_LABEL || sw__owner(f, h) != 0)
                continue;
            /* the brand that starts right after the label (hits are sorted by end) */
            for (size_t k = i + 1; k < f->nhits && f->hits[k].to <= h->to + 40; k++) {
                const struct hit *b = &f->hits[k];
                if (b->from != h->to || sw__role(f, b) != R_BRAND)
                    continue;
                const struct sw_brand *br = &f->sc->brands[sw__owner(f, b)];
                if (sw__catset_match(&br->cs, l->category))
                    return br;
            }
        }
    }
    return NULL;
}

/* A listing that names a brand as the device it fits anywhere (适用iPhone15 Pro手机壳 in the
 * title) names it for the same reason elsewhere (iPhone 15 Plus 请拍对应链接): brand `owner`
 * stands compatible or before an accessory in some field. Looked up only for a brand that
 * would otherwise be a finding. */
static bool device_brand(const struct field *fs, int owner)
{
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            if (sw__role(f, h) == R_BRAND && sw__owner(f, h) == owner &&
                (compatible(f, h->from) || for_device(f, h->from, h->to)))
                return true;
        }
    }
    return false;
}

/* A cell label's value that is itself a label: another header (品牌/型号：绯妆/A1, a header row
 * 品牌｜产地｜规格), not the brand. The value at orig v..ve: a colon after it, or a label hit
 * starting at v. */
static bool header_cell(const struct field *f, uint32_t v, uint32_t ve)
{
    const char *o = f->orig;
    if (ve < f->olen && (o[ve] == ':' || (ve + 3 <= f->olen && memcmp(o + ve, "：", 3) == 0)))
        return true;
    for (size_t i = 0; i < f->nhits; i++) {
        int r = sw__role(f, &f->hits[i]);
        if ((r == R_SPEC_LABEL || r == R_ATTR_LABEL || r == R_FACT_LABEL || r == R_PRICE_LABEL ||
             r == R_FREIGHT_LABEL || r == R_BRAND_LABEL) &&
            f->map[f->hits[i].from] == v)
            return true;
    }
    return false;
}

/* Where a label's value that starts at orig v ends: before a space, a dropped character or
 * punctuation, 32 characters at most. */
static uint32_t value_end(const struct field *f, uint32_t v)
{
    uint32_t ve = v;
    for (int k = 0; k < 32 && ve < f->olen; k++) {
        int cl = 0;
        uint32_t cp = sw__cp_at(f->orig + ve, f->olen - ve, &cl);
        int cls = sw_norm_class(cp);
        if (cl == 0 || cls == SW_NC_DROP || cls == SW_NC_PUNCT)
            break;
        ve += (uint32_t)cl;
    }
    return ve;
}

uint32_t sw__label_value(const struct field *f, uint32_t v, uint32_t *ve)
{
    const unsigned char *u = (const unsigned char *)f->orig;
    while (v < f->olen && (u[v] == ' ' || u[v] == ':'))
        v++;
    if (v + 2 < f->olen && memcmp(u + v, "：", 3) == 0)
        v += 3;
    *ve = value_end(f, v);
    return v;
}

/* val normalised into norm (NUL-terminated); false when it does not fit. */
static bool normalized(const char *val, size_t vl, char *norm, size_t *nl)
{
    uint32_t map[SW_NORM_CAP(256) + 1];
    if (vl >= 256 || sw_normalize(val, vl, norm, map, nl) >= 0)
        return false;
    norm[*nl] = '\0';
    return true;
}

/* A brand label's value names the brand in more than one way on its line (品牌：Enfamil /
 * Mead Johnson 美赞臣, 品牌：及源铸造 OIGEN): whether one of the next names after orig `ve`
 * (parted by spaces, slashes, bars, brackets or 、) is the listing's brand. */
static bool other_name_agrees(const struct field *f, uint32_t ve, const char *pb)
{
    static const char *const seps[] = {" ",  "/", "／", "|", "｜", "(",
                                       "（", ")", "）", "&", "、", NULL};
    for (int n = 0; n < 3; n++) {
        bool moved = true;
        while (moved && ve < f->olen) {
            moved = false;
            for (int i = 0; seps[i] && !moved; i++) {
                size_t l = strlen(seps[i]);
                if (ve + l <= f->olen && memcmp(f->orig + ve, seps[i], l) == 0) {
                    ve += (uint32_t)l;
                    moved = true;
                }
            }
        }
        uint32_t e = value_end(f, ve);
        char norm[SW_NORM_CAP(256)];
        size_t nl = 0;
        if (e == ve || !normalized(f->orig + ve, e - ve, norm, &nl))
            return false;
        if (sw__cps(norm, (uint32_t)nl) >= 2 && (strcmp(pb, norm) == 0 || contains(pb, norm)))
            return true; /* the brand or a part of it (美赞臣 of 美赞臣meadjohnson), not 兰蔻平替 */
        ve = e;
    }
    return false;
}

/* The listing names brand `owner` with the listing's brand right after it (君乐宝（JUNLEBAO）,
 * 及源铸造 / OIGEN) somewhere: for this listing the two are one brand's names. */
static bool paired_with_field(const struct field *fs, int owner, const char *pb)
{
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            uint32_t s, e;
            if (sw__role(f, h) != R_BRAND || sw__owner(f, h) != owner)
                continue;
            sw__orig_span(f, h->from, h->to, &s, &e);
            if (other_name_agrees(f, e, pb))
                return true;
        }
    }
    return false;
}

/* A claim's word or a phrase's object lies in the original bytes [v, ve) (品牌】央视推荐品牌: the
 * value is an endorsement, judged as one, no brand). */
static bool claim_within(const struct field *f, uint32_t v, uint32_t ve)
{
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        int r = sw__role(f, h);
        uint32_t a, b;
        if (r != R_TERM && r != R_OBJECT)
            continue;
        sw__orig_span(f, h->from, h->to, &a, &b);
        if (a >= v && b <= ve)
            return true;
    }
    return false;
}

void sw__brands(const struct field *fs, int fi, const struct sw_listing *l, const char *pb,
                struct out *o)
{
    const struct field *f = &fs[fi];
    const struct sw_scanner *sc = f->sc;
    if (!pb || !pb[0])
        return;
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        int r = sw__role(f, h);
        uint32_t s, e;
        if (r == R_BRAND) {
            const struct sw_brand *b = &sc->brands[sw__owner(f, h)];
            if (b->not_a_brand || !sw__catset_match(&b->cs, l->category) ||
                compatible(f, h->from) || for_device(f, h->from, h->to) ||
                sw__covered(f, h, R_BRAND, -1, true) ||
                sw__ascii_inside(f, h)) /* mac in macbook, kao in KakaoTalk */
                continue;
            bool same = false;
            for (int k = 0; k < b->nnorm && !same; k++)
                same = sw__brand_is(pb, b->norm[k]);
            /* a device the listing fits elsewhere (兼容华为), unless called the goods' maker
             * right here (华为原装66W充电头) */
            if (same ||
                (device_brand(fs, sw__owner(f, h)) && !sw__word_ahead(f, &sc->genuine, h->to)) ||
                paired_with_field(fs, sw__owner(f, h), pb))
                continue;
            struct finding *x = sw__add_at(o, &sc->brand, f, fi, h->from, h->to);
            sw__evidence(o, x, "names the brand %s; the listing's brand is %s", b->name,
                         l->brand && l->brand[0] ? l->brand : pb);
            sw__ev_about(x, f->norm + h->from, h->to - h->from);
        } else if (r == R_BRAND_LABEL && sw__owner(f, h) == 1) {
            sw__house_brand(fs, fi, l, pb, h, o); /* 澜渟家的 */
        } else if (r == R_BRAND_LABEL && sw__owner(f, h) == 3) {
            sw__authorised_brand(fs, fi, l, pb, h, o); /* 柒叶官方授权 */
        } else if (r == R_BRAND_LABEL) {
            sw__orig_span(f, h->from, h->to, &s, &e);
            uint32_t v = e, ve;
            /* a table's cell label (cell_labels: 品牌｜绯妆, 品牌/山里福) only before its bar, or
             * before a space in a row of such cells (品牌 健骨坊｜规格 100片) */
            if (sw__owner(f, h) == 2 && !(v = sw__after_bar(f, e)) &&
                !(v = sw__after_space_in_row(f, e))) {
                sw__quoted_brand(fs, fi, l, pb, s, o); /* “健源堂”品牌 */
                continue;
            }
            v = sw__label_value(f, v, &ve);
            if (ve == v)
                continue;
            char val[256], norm[SW_NORM_CAP(sizeof val)];
            size_t vl = ve - v < sizeof val - 1 ? ve - v : sizeof val - 1, nl = 0;
            memcpy(val, f->orig + v, vl);
            if (!normalized(val, vl, norm, &nl) || sw__brand_is(pb, norm) ||
                (sw__owner(f, h) == 2 && header_cell(f, v, ve)) || other_name_agrees(f, ve, pb) ||
                claim_within(f, v, ve))
                continue;
            struct finding *x = sw__add(o, &sc->brand, fi, s, ve);
            sw__evidence(o, x, "states the brand as %.*s; the listing's brand is %s", (int)vl, val,
                         l->brand && l->brand[0] ? l->brand : pb);
            sw__ev_about(x, norm, nl);
        }
    }
}

/* The detail often lists what a store may use (支持顺丰、中通): only a carrier after a shipping
 * word (默认发韵达, 只发中通) or right before one (京东物流配送, 顺丰发货), or ending in one
 * (京东发货), says what this listing uses, and the latter two only outside a list of options
 * (支持顺丰、中通发货). */
static bool detail_uses(const struct field *f, const struct hit *h)
{
    const struct sw_scanner *sc = f->sc;
    if (sw__word_behind(f, &sc->ship_words, h->from, 0))
        return true;
    bool ends_so = false; /* a name that says it itself: 京东发货 */
    for (int k = 0; k < sc->ship_after.n && !ends_so; k++) {
        uint32_t l = sc->ship_after.len[k];
        ends_so = h->to - h->from > l && memcmp(f->norm + h->to - l, sc->ship_after.w[k], l) == 0;
    }
    if (!(ends_so || sw__word_ahead(f, &sc->ship_after, h->to)) ||
        sw__word_behind(f, &sc->ship_options, h->from, 0))
        return false;
    for (size_t i = 0; i < (size_t)(h - f->hits); i++) /* 顺丰/韵达发货: a list too */
        if (f->hits[i].to == h->from && sw__role(f, &f->hits[i]) == R_CARRIER &&
            sw__owner(f, &f->hits[i]) != sw__owner(f, h)) /* not 中国邮政EMS发出: one carrier */
            return false;
    return true;
}

/* Per carrier of the policy, what the detail says of it: CARRIER_NAMED and/or
 * CARRIER_REFUSED. One pass over the detail's hits (not one per carrier the titles name). */
#define CARRIER_NAMED 1u
#define CARRIER_REFUSED 2u
#define CARRIER_UPGRADE 4u

/* Up to this many characters after a carrier in its clause, an upgrade word (需要顺丰请补差价,
 * 顺丰到付) makes it a carrier at extra cost, not the one used. */
#define UPGRADE_REACH 8

static bool upgrade_after(const struct field *f, const struct hit *h)
{
    const struct sw_words *w = &f->sc->ship_upgrades;
    uint32_t p = h->to;
    for (int chars = 0; w->n && p < f->n && chars <= UPGRADE_REACH; chars++) {
        char c = f->norm[p];
        if (c == ',' || c == ';' || c == '!' || c == '?' || c == '\n' || (unsigned char)c == 0xFF ||
            (p + 3 <= f->n && memcmp(f->norm + p, "。", 3) == 0))
            return false;
        if (sw__word_ahead(f, w, p))
            return true;
        int l = sw_utf8_len((const unsigned char *)f->norm + p, f->n - p);
        p += l > 0 ? (uint32_t)l : 1;
    }
    return false;
}

/* A carrier the buyer may not choose (不支持指定顺丰, 不能选择顺丰) is refused: a negation before
 * the word of choosing right before its name. */
static bool not_chosen(const struct field *d, const struct hit *h)
{
    static const char *const choose[] = {"指定", "选择", "选"};
    for (size_t k = 0; k < sizeof choose / sizeof choose[0]; k++) {
        uint32_t l = (uint32_t)strlen(choose[k]);
        if (h->from >= l && memcmp(d->norm + h->from - l, choose[k], l) == 0 &&
            sw__negated(d, h->from - l))
            return true;
    }
    return false;
}

static unsigned char *detail_carriers(const struct field *d, bool *any_named, bool *any_denial)
{
    unsigned char *said = calloc((size_t)d->sc->ncarriers + 1, 1);
    if (!said)
        return NULL;
    for (size_t i = 0; i < d->nhits; i++) {
        const struct hit *h = &d->hits[i];
        int r = sw__role(d, h);
        *any_denial |= r == R_CARRIER_DENIAL;
        if (r != R_CARRIER)
            continue;
        bool refused = sw__negated(d, h->from) || not_chosen(d, h);
        bool upgrade = !refused && upgrade_after(d, h);
        *any_named |= !refused && !upgrade;
        said[sw__owner(d, h)] |= refused   ? CARRIER_REFUSED
                                 : upgrade ? CARRIER_UPGRADE
                                           : CARRIER_NAMED;
    }
    return said;
}

static bool any_carrier(const struct field *fs)
{
    for (int fi = SW_SF_TITLE; fi <= SW_SF_SHORT_TITLE; fi++)
        for (size_t i = 0; i < fs[fi].nhits; i++)
            if (sw__role(&fs[fi], &fs[fi].hits[i]) == R_CARRIER)
                return true;
    return false;
}

/* The detail says it ships with two carriers (发货：韵达快递 ... 本团统一发圆通快递): each after
 * a shipping word or before one, neither refused, offered at extra cost or for some buyers (a
 * `conditions` word of free_shipping up to 12 characters before it: 新疆西藏发邮政). The
 * second is the finding. */
static void detail_two_carriers(const struct field *d, struct out *o)
{
    const struct sw_scanner *sc = d->sc;
    int first = -1;
    for (size_t i = 0; i < d->nhits; i++) {
        const struct hit *h = &d->hits[i];
        if (sw__role(d, h) != R_CARRIER || sw__negated(d, h->from) || !detail_uses(d, h) ||
            upgrade_after(d, h) || sw__word_behind(d, &sc->ship_conditions, h->from, 12))
            continue;
        int c = sw__owner(d, h);
        if (first < 0) {
            first = c;
        } else if (c != first) {
            sw__evidence(o, sw__add_at(o, &sc->carrier, d, SW_SF_DETAIL, h->from, h->to),
                         "the detail ships with the carrier %s and with %s",
                         sc->carrier_code[first], sc->carrier_code[c]);
            return;
        }
    }
}

void sw__carriers(const struct field *fs, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    if (!any_carrier(fs)) {
        detail_two_carriers(&fs[SW_SF_DETAIL], o);
        return;
    }
    bool any_denial = false, any_named = false;
    unsigned char *said = detail_carriers(&fs[SW_SF_DETAIL], &any_named, &any_denial);
    if (!said) {
        o->oom = true;
        return;
    }
    for (int fi = SW_SF_TITLE; fi <= SW_SF_DETAIL; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            if (sw__role(f, h) != R_CARRIER || sw__negated(f, h->from))
                continue;
            if (fi == SW_SF_DETAIL && !detail_uses(f, h))
                continue;
            int c = sw__owner(f, h);
            bool named = said[c] & CARRIER_NAMED, refused = said[c] & CARRIER_REFUSED;
            bool upgrade = !named && (said[c] & CARRIER_UPGRADE) && any_named;
            if (!refused && !any_denial && !upgrade && (named || !any_named))
                continue;
            sw__evidence(o, sw__add_at(o, &sc->carrier, f, fi, h->from, h->to),
                         refused      ? "the detail refuses the carrier %s"
                         : upgrade    ? "names the carrier %s; the detail uses another and this "
                                        "one at extra cost"
                         : any_denial ? "names the carrier %s; the detail says the carrier "
                                        "cannot be chosen"
                                      : "names the carrier %s; the detail names another",
                         sc->carrier_code[c]);
        }
    }
    free(said);
}

/* "No returns" (不退不换) against a promise of the same service anywhere in the text, or against
 * the service in after_sales when it is given. The promises are read once into a table per
 * denial group. */
/* Whether a field promises the service svc (a promise not taken back). */
static bool promises_service(const struct field *fs, const char *svc)
{
    const struct sw_scanner *sc = fs[0].sc;
    for (int fi = 0; fi < SW_SF__COUNT; fi++)
        for (size_t i = 0; i < fs[fi].nhits; i++) {
            const struct hit *h = &fs[fi].hits[i];
            if (sw__role(&fs[fi], h) == R_PROMISE &&
                strcmp(sc->promise_service[sw__owner(&fs[fi], h)], svc) == 0 &&
                !promise_denied(&fs[fi], h))
                return true;
        }
    return false;
}

/* A denial with a condition up to CONDITION_BACK characters before it in its clause
 * (`denial_conditions`: 拆封后不支持退换): see sw__service_denials. */
#define CONDITION_BACK 8

/* A promise withdrawn (运费险已取消, 7天无理由现已取消: a word of previous.gone after it) or
 * negated (不提供任何保修, 不支持坏果赔付: the promise in a negation's scope) denies its service:
 * a finding when after_sales lists it or the text promises it elsewhere. A negated promise
 * inside one of the policy's denials is that denial's (sw__service_denials), and one after a
 * condition (拆封后不支持7天无理由) may deny it for some goods only: neither is read here. */
void sw__withdrawn_services(const struct field *fs, const struct sw_listing *l, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            if (sw__role(f, h) != R_PROMISE || sw__covered(f, h, R_PROMISE, -1, true))
                continue;
            bool negated = sw__negated(f, h->from);
            bool withdrawn = !negated && sw__withdrawn(f, h->from, h->to);
            if (negated &&
                (sw__covered(f, h, R_SERVICE_DENIAL, -1, false) ||
                 sw__word_behind_in_clause(f, &sc->denial_conditions, h->from, CONDITION_BACK) ||
                 sw__word_behind(f, &sc->promise_lookups, h->from, 0) ||
                 sw__word_ahead(f, &sc->promise_lookups_after, h->to) || sw__previous(f, h->from)))
                continue;
            if (!negated && !withdrawn)
                continue;
            const char *svc = sc->promise_service[sw__owner(f, h)];
            bool listed = l->after_sales && has_service(l->after_sales, svc);
            if (!listed && !promises_service(fs, svc))
                continue;
            struct finding *x = sw__add_at(o, &sc->after_sales, f, fi, h->from, h->to);
            if (x)
                sw__evidence(o, x, "says %.*s is %s; %s", sw__ev_len(x->e - x->s), f->orig + x->s,
                             negated ? "not given" : "withdrawn",
                             listed ? "after_sales includes the service" : "the text promises it");
        }
    }
}

/* A denial with a condition up to CONDITION_BACK characters before it in its clause
 * (`denial_conditions`: 拆封后不支持退换) in a text that promises the service for the other goods
 * (a condition before the promise too: 未拆封7天内可无理由退货) splits the goods: no
 * contradiction. Otherwise the condition changes nothing: 一经拆封不支持七天无理由退货 against a
 * title's 7天无理由 or after_sales' seven-day return is a finding (the held-out writers read it
 * so). */

void sw__service_denials(const struct field *fs, const struct sw_listing *l, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    if (sc->ndenials == 0 || !sc->promise_denial)
        return;
    bool any = false;
    for (int fi = 0; fi < SW_SF__COUNT && !any; fi++)
        for (size_t i = 0; i < fs[fi].nhits && !any; i++)
            any = sw__role(&fs[fi], &fs[fi].hits[i]) == R_SERVICE_DENIAL;
    if (!any)
        return;
    unsigned char *promised = calloc((size_t)sc->ndenials, 1);
    if (!promised) {
        o->oom = true;
        return;
    }
    for (int fi = 0; fi < SW_SF__COUNT; fi++)
        for (size_t i = 0; i < fs[fi].nhits; i++) {
            const struct hit *h = &fs[fi].hits[i];
            if (sw__role(&fs[fi], h) != R_PROMISE || promise_denied(&fs[fi], h))
                continue;
            int d = sc->promise_denial[sw__owner(&fs[fi], h)];
            if (d < 0)
                continue;
            /* bit 1: promised; 2: for some goods only (未拆封7天内可退); 4: by the store (店保) */
            promised[d] |=
                1 |
                (sw__word_behind_in_clause(&fs[fi], &sc->denial_conditions, h->from, CONDITION_BACK)
                     ? 2
                     : 0) |
                (memmem(fs[fi].norm + h->from, h->to - h->from, "店", 3) ? 4 : 0);
        }
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            if (sw__role(f, h) != R_SERVICE_DENIAL ||
                sw__covered(f, h, R_SERVICE_DENIAL, -1, true) || sw__asked(f, h->to))
                continue; /* 没开封也不退吗？ asks */
            int d = sw__owner(f, h);
            /* 人为进水摔坏不在保修范围: damage a warranty or a return never covers, excluded */
            if (sw__word_behind_in_clause(f, &sc->denial_exclusions, h->from, CONDITION_BACK))
                continue;
            if ((promised[d] & 2) &&
                sw__word_behind_in_clause(f, &sc->denial_conditions, h->from, CONDITION_BACK))
                continue;
            /* 不提供国内保修，本店提供一年店保: the denial is of the maker's domestic service only,
             * and the text promises the store's own */
            if ((promised[d] & 4) && memmem(f->norm + h->from, h->to - h->from, "国内", 6))
                continue;
            const char *svc = sc->denial_service[d];
            bool listed = l->after_sales && has_service(l->after_sales, svc);
            if (!promised[d] && !listed)
                continue;
            struct finding *x = sw__add_at(o, &sc->after_sales, f, fi, h->from, h->to);
            if (x)
                sw__evidence(o, x, "says %.*s; %s", sw__ev_len(x->e - x->s), f->orig + x->s,
                             listed ? "after_sales includes the service" : "the text promises it");
        }
    }
    free(promised);
}

/* The carrier the listing's shipping_method names (the first of the policy's carriers whose
 * name it contains), or -1 when it is absent or names none. */
static int method_carrier(const struct sw_scanner *sc, const char *method)
{
    uint64_t named = sw__value_names(method, sc->carrier_names, sc->ncarriers);
    return named ? __builtin_ctzll(named) : -1;
}

/* A carrier the title or short title names (not refused) other than the one shipping_method
 * names. The detail may name other carriers as options (顺丰需补运费). */
void sw__carrier_method(const struct field *fs, const struct sw_listing *l, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    int m = -1;
    bool looked = false;
    for (int fi = SW_SF_TITLE; fi <= SW_SF_DETAIL; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            if (sw__role(f, h) != R_CARRIER || sw__negated(f, h->from))
                continue;
            if (fi == SW_SF_DETAIL && !detail_uses(f, h))
                continue;
            if (!looked) {
                looked = true;
                m = method_carrier(sc, l->shipping_method);
            }
            int c = sw__owner(f, h);
            if (m < 0)
                return;
            if (c == m)
                continue;
            sw__evidence(o, sw__add_at(o, &sc->carrier, f, fi, h->from, h->to),
                         "names the carrier %s; shipping_method is %s (%s)", sc->carrier_code[c],
                         l->shipping_method, sc->carrier_code[m]);
        }
    }
}
