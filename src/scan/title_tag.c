/* A title's opening tag (【佳沃】, [KOLA]) naming a brand other than the listing's
 * (consistency.brand): a tag of goods words, a count, a grade or a claim names none. With no
 * brand field, the detail's brand label stands for it (【柔雾】 against 品牌：绯境): an absent
 * field is unknown, but two texts that disagree contradict each other. Split from
 * consistency.c. */
#include <string.h>

#include "scan/detect.h"
#include "scan/normalize.h"
#include "scan/scan_int.h"

/* The tag a title opens with (after spaces): 【X】 or [X], X of up to 12 characters (a space
 * may part two names of one brand: 【蔻拉 KOLA】); false when there is none. */
static bool title_tag(const struct field *f, uint32_t *s, uint32_t *e)
{
    const char *o = f->orig;
    uint32_t p = 0;
    while (p < f->olen && o[p] == ' ')
        p++;
    bool cjk = p + 3 <= f->olen && memcmp(o + p, "【", 3) == 0;
    if (!cjk && (p >= f->olen || o[p] != '['))
        return false;
    *s = p + (cjk ? 3 : 1);
    const char *close = cjk ? "】" : "]";
    size_t cl = strlen(close);
    for (uint32_t q = *s, k = 0; q < f->olen && k <= 12; k++) {
        if (q + cl <= f->olen && memcmp(o + q, close, cl) == 0) {
            *e = q;
            return q > *s;
        }
        int n = 0;
        sw__cp_at(o + q, f->olen - q, &n);
        if (n <= 0 || (o[q] == ' ' && q == *s))
            return false;
        q += (uint32_t)n;
    }
    return false;
}

/* A tag that holds a word of a list (【国宴特供】, 【顶级奢华】, 【三甲医院专供】): a claim,
 * judged as one, not a brand's name. The tag at orig [s, e). */
static bool tag_claims(const struct field *f, uint32_t s, uint32_t e)
{
    for (size_t i = 0; i < f->nhits; i++) {
        uint32_t hs, he;
        if (sw__role(f, &f->hits[i]) != R_TERM)
            continue;
        sw__orig_span(f, f->hits[i].from, f->hits[i].to, &hs, &he);
        if (hs >= s && he <= e)
            return true;
    }
    return false;
}

/* The value of the detail's first brand label (品牌：绯境, read as the brand check reads it),
 * normalised into pb (cap bytes) and as written into raw (rcap bytes); false when there is
 * none. */
static bool labelled_brand(const struct field *d, char *pb, size_t cap, char *raw, size_t rcap)
{
    for (size_t i = 0; i < d->nhits; i++) {
        const struct hit *h = &d->hits[i];
        if (sw__role(d, h) != R_BRAND_LABEL || sw__owner(d, h) != 0)
            continue;
        uint32_t s, v, ve;
        sw__orig_span(d, h->from, h->to, &s, &v);
        v = sw__label_value(d, v, &ve);
        uint32_t map[SW_NORM_CAP(24) + 1];
        char norm[SW_NORM_CAP(24) + 1];
        size_t nl = 0;
        if (ve == v || ve - v >= rcap || sw_normalize(d->orig + v, ve - v, norm, map, &nl) >= 0 ||
            nl < 4 || nl >= cap)
            return false;
        memcpy(pb, norm, nl);
        pb[nl] = '\0';
        memcpy(raw, d->orig + v, ve - v);
        raw[ve - v] = '\0';
        return true;
    }
    return false;
}

void sw__title_tag(const struct field *fs, const struct sw_listing *l, struct out *o)
{
    const struct field *f = &fs[SW_SF_TITLE];
    const struct sw_scanner *sc = f->sc;
    uint32_t s, e;
    char pb[512], norm[SW_NORM_CAP(32)], said[32];
    if (!sc->title_tags.n || !sc->brand.rule || !title_tag(f, &s, &e))
        return;
    bool field = l->brand && l->brand[0];
    if (!field && !labelled_brand(&fs[SW_SF_DETAIL], pb, sizeof pb, said, sizeof said))
        return; /* no brand field: the detail's label, if it has one, says the brand */
    uint32_t map[SW_NORM_CAP(32) + 1];
    size_t nl = 0;
    if (field)
        sw__brand_of(l, pb);
    if (!pb[0] || e - s > 32 || sw_normalize(f->orig + s, e - s, norm, map, &nl) >= 0 || nl < 4)
        return;
    norm[nl] = '\0';
    /* a store's word after the brand (【佳沃官方】, 【佳沃旗舰店】): the brand is before it */
    for (int i = 0; i < sc->title_tag_stores.n; i++) {
        size_t wl = sc->title_tag_stores.len[i];
        if (nl >= wl + 6 && memcmp(norm + nl - wl, sc->title_tag_stores.w[i], wl) == 0) {
            nl -= wl;
            norm[nl] = '\0';
            break;
        }
    }
    /* the brand's own tag, or the brand named in the title anyway (【联名款】澜雅 ...) */
    if (sw__brand_is(pb, norm) || memmem(f->norm, f->n, pb, strlen(pb)))
        return;
    for (size_t i = 0; i < nl; i++)
        if (norm[i] >= '0' && norm[i] <= '9') /* 【2件装】, 【95新】 */
            return;
    for (int i = 0; i < sc->title_tags.n; i++) {
        size_t wl = sc->title_tags.len[i];
        const char *w = sc->title_tags.w[i];
        /* a word of one ideograph only at either end (【正品】, 【新品上市】): inside a name it
         * is the name's (【良品记】) */
        if (wl == 3 && (unsigned char)w[0] >= 0x80 && nl > 6
                ? memcmp(norm, w, 3) == 0 || memcmp(norm + nl - 3, w, 3) == 0
                : memmem(norm, nl, w, wl) != NULL)
            return;
    }
    if (tag_claims(f, s, e))
        return;
    struct finding *x = sw__add(o, &sc->brand, SW_SF_TITLE, s, e);
    if (!x)
        return;
    if (field)
        sw__evidence(o, x, "the title's tag names %.*s; the listing's brand is %s", (int)(e - s),
                     f->orig + s, l->brand);
    else
        sw__evidence(o, x, "the title's tag names %.*s; the detail's brand label says %s",
                     (int)(e - s), f->orig + s, said);
    sw__ev_about(x, norm, nl);
}
