/* Key-info consistency (RULES.md §3): what the text says against the listing's structured
 * fields (after-sales services, price, brand, freight, carrier). Every check from a hit looks at
 * a bounded neighbourhood of it; the checks across fields read each field's hits once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
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

void sw__promises(const struct field *f, int fi, const struct sw_listing *l, struct out *o)
{
    const struct sw_scanner *sc = f->sc;
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        if (sw__role(f, h) != R_PROMISE || sw__negated(f, h->from) ||
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

/* Parses an amount written after a price label: [:：¥￥ ]* digits [. d [d]] [元|块]. */
static bool read_amount(const struct field *f, uint32_t off, int64_t *fen, uint32_t *end)
{
    const unsigned char *s = (const unsigned char *)f->orig;
    size_t n = f->olen, i = off;
    for (int guard = 0; guard < 8 && i < n; guard++) {
        if (s[i] == ' ' || s[i] == ':' || s[i] == '\t') {
            i++;
        } else if (i + 2 < n && ((s[i] == 0xEF && s[i + 1] == 0xBC && s[i + 2] == 0x9A) ||
                                 (s[i] == 0xEF && s[i + 1] == 0xBF && s[i + 2] == 0xA5))) {
            i += 3; /* ： ￥ */
        } else if (i + 1 < n && s[i] == 0xC2 && s[i + 1] == 0xA5) {
            i += 2; /* ¥ */
        } else {
            break;
        }
    }
    int64_t yuan = 0;
    int digits = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 12) {
        yuan = yuan * 10 + (s[i] - '0');
        digits++;
        i++;
    }
    if (digits == 0)
        return false;
    int64_t cents = 0;
    if (i + 1 < n && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
        i++;
        cents = (int64_t)(s[i] - '0') * 10;
        i++;
        if (i < n && s[i] >= '0' && s[i] <= '9')
            cents += s[i++] - '0';
    }
    size_t j = i;
    while (j < n && s[j] == ' ')
        j++;
    if (j + 2 < n && memcmp(s + j, "起", 3) == 0)
        return false; /* "from 59 yuan": a range, not the price */
    if (j + 2 < n && (memcmp(s + j, "元", 3) == 0 || memcmp(s + j, "块", 3) == 0))
        i = j + 3;
    size_t k = i;
    while (k < n && s[k] == ' ')
        k++;
    if (k < n && (s[k] == '/' || (k + 2 < n && memcmp(s + k, "／", 3) == 0)))
        return false; /* "59元/2件", "¥12/斤": a price per quantity, not the listing's */
    *fen = yuan * 100 + cents;
    *end = (uint32_t)i;
    return true;
}

void sw__prices(const struct field *f, int fi, const struct sw_listing *l, struct out *o,
                unsigned *flags)
{
    const struct sw_scanner *sc = f->sc;
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        if (sw__role(f, h) != R_PRICE_LABEL || sw__covered(f, h, R_PRICE_IGNORE, -1, false))
            continue;
        int64_t fen;
        uint32_t s, e, end;
        sw__orig_span(f, h->from, h->to, &s, &e);
        if (!read_amount(f, e, &fen, &end))
            continue;
        *flags |= SW_SCAN_STATES_PRICE;
        if (!l->has_price || fen == l->price_fen)
            continue;
        struct finding *x = sw__add(o, &sc->price, fi, s, end);
        char a[24], b[24];
        sw__evidence(o, x, "text says %s yuan; the price is %s yuan", sw_money_format(fen, a),
                     sw_money_format(l->price_fen, b));
    }
}

static bool contains(const char *hay, const char *needle)
{
    return needle[0] && strstr(hay, needle) != NULL;
}

static bool brand_is(const char *pb, const char *norm)
{
    return strcmp(pb, norm) == 0 || contains(pb, norm) || contains(norm, pb);
}

void sw__brands(const struct field *f, int fi, const struct sw_listing *l, const char *pb,
                struct out *o)
{
    const struct sw_scanner *sc = f->sc;
    if (!pb || !pb[0])
        return;
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        int r = sw__role(f, h);
        uint32_t s, e;
        if (r == R_BRAND) {
            const struct sw_brand *b = &sc->brands[sw__owner(f, h)];
            if (!sw__catset_match(&b->cs, l->category) ||
                sw__word_behind(f, &sc->compat, h->from, 2) || sw__covered(f, h, R_BRAND, -1, true))
                continue;
            bool same = false;
            for (int k = 0; k < b->nnorm && !same; k++)
                same = brand_is(pb, b->norm[k]);
            if (same)
                continue;
            struct finding *x = sw__add_at(o, &sc->brand, f, fi, h->from, h->to);
            sw__evidence(o, x, "names the brand %s; the listing's brand is %s", b->name, l->brand);
        } else if (r == R_BRAND_LABEL) {
            sw__orig_span(f, h->from, h->to, &s, &e);
            uint32_t v = e, ve;
            const unsigned char *u = (const unsigned char *)f->orig;
            while (v < f->olen && (u[v] == ' ' || u[v] == ':'))
                v++;
            if (v + 2 < f->olen && memcmp(u + v, "：", 3) == 0)
                v += 3;
            ve = v;
            for (int k = 0; k < 32 && ve < f->olen; k++) {
                int cl = 0;
                uint32_t cp = sw__cp_at(f->orig + ve, f->olen - ve, &cl);
                int cls = sw_norm_class(cp);
                if (cl == 0 || cls == SW_NC_DROP || cls == SW_NC_PUNCT)
                    break;
                ve += (uint32_t)cl;
            }
            if (ve == v)
                continue;
            char val[256], norm[SW_NORM_CAP(sizeof val)];
            uint32_t map[SW_NORM_CAP(sizeof val) + 1];
            size_t vl = ve - v < sizeof val - 1 ? ve - v : sizeof val - 1, nl = 0;
            memcpy(val, f->orig + v, vl);
            if (sw_normalize(val, vl, norm, map, &nl) >= 0)
                continue;
            norm[nl] = '\0';
            if (brand_is(pb, norm))
                continue;
            struct finding *x = sw__add(o, &sc->brand, fi, s, ve);
            sw__evidence(o, x, "states the brand as %.*s; the listing's brand is %s", (int)vl, val,
                         l->brand);
        }
    }
}

/* "满99包邮", "满2件包邮", "买2件包邮": free shipping on a condition is not a claim about this
 * listing's freight. Looks behind the claim in the normalised text. The walk back over digits
 * stops at the first non-digit, and a run of digits lies right before one claim only: each
 * digit is walked once. */
static bool conditional(const struct field *f, uint32_t from)
{
    static const char *const units[] = {"元", "件", "个", "单", "份", "盒", "瓶", "斤", NULL};
    uint32_t p = from;
    for (int u = 0; units[u]; u++)
        if (p >= 3 && memcmp(f->norm + p - 3, units[u], 3) == 0) {
            p -= 3;
            break;
        }
    uint32_t digits = p;
    while (p > 0 && f->norm[p - 1] >= '0' && f->norm[p - 1] <= '9')
        p--;
    if (p == digits || p < 3)
        return false;
    return memcmp(f->norm + p - 3, "满", 3) == 0 || memcmp(f->norm + p - 3, "买", 3) == 0;
}

void sw__shipping(const struct field *fs, const struct sw_listing *l, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    const struct field *claim_f = NULL;
    const struct hit *claim = NULL;
    int claim_fi = -1;
    /* free-shipping claims (not inside a denial) against the freight and against denials */
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            if (sw__role(f, h) != R_SHIP_CLAIM || sw__covered(f, h, R_SHIP_DENIAL, -1, false) ||
                sw__negated(f, h->from) || conditional(f, h->from))
                continue;
            if (!claim) {
                claim = h;
                claim_f = f;
                claim_fi = fi;
            }
            if (l->has_freight && l->freight_fen > 0) {
                struct finding *x = sw__add_at(o, &sc->ship, f, fi, h->from, h->to);
                char a[24];
                sw__evidence(o, x, "claims free shipping; the freight is %s yuan",
                             sw_money_format(l->freight_fen, a));
            }
        }
    }
    if (!claim)
        return;
    uint32_t cs, ce;
    sw__orig_span(claim_f, claim->from, claim->to, &cs, &ce);
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            if (sw__role(f, h) != R_SHIP_DENIAL || sw__covered(f, h, R_SHIP_DENIAL, -1, true))
                continue;
            struct finding *x = sw__add_at(o, &sc->ship, f, fi, h->from, h->to);
            if (x)
                sw__evidence(o, x, "%s says %.*s, here: %.*s", sw_scan_field_names[claim_fi],
                             sw__ev_len(ce - cs), claim_f->orig + cs, sw__ev_len(x->e - x->s),
                             f->orig + x->s);
        }
    }
}

/* Per carrier of the policy, what the detail says of it: CARRIER_NAMED and/or
 * CARRIER_REFUSED. One pass over the detail's hits (not one per carrier the titles name). */
#define CARRIER_NAMED 1u
#define CARRIER_REFUSED 2u

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
        bool refused = sw__negated(d, h->from);
        *any_named |= !refused;
        said[sw__owner(d, h)] |= refused ? CARRIER_REFUSED : CARRIER_NAMED;
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

void sw__carriers(const struct field *fs, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    if (!any_carrier(fs))
        return;
    bool any_denial = false, any_named = false;
    unsigned char *said = detail_carriers(&fs[SW_SF_DETAIL], &any_named, &any_denial);
    if (!said) {
        o->oom = true;
        return;
    }
    for (int fi = SW_SF_TITLE; fi <= SW_SF_SHORT_TITLE; fi++) {
        const struct field *f = &fs[fi];
        for (size_t i = 0; i < f->nhits; i++) {
            const struct hit *h = &f->hits[i];
            if (sw__role(f, h) != R_CARRIER || sw__negated(f, h->from))
                continue;
            int c = sw__owner(f, h);
            bool named = said[c] & CARRIER_NAMED, refused = said[c] & CARRIER_REFUSED;
            if (!refused && !any_denial && (named || !any_named))
                continue;
            sw__evidence(o, sw__add_at(o, &sc->carrier, f, fi, h->from, h->to),
                         refused      ? "the detail refuses the carrier %s"
                         : any_denial ? "names the carrier %s; the detail says the carrier "
                                        "cannot be chosen"
                                      : "names the carrier %s; the detail names another",
                         sc->carrier_code[c]);
        }
    }
    free(said);
}
