/* A brand given as a name before a word of consistency.brand.house (澜渟家的, 三只熊家卖爆的):
 * the goods are "X's", X a brand no list needs to name; or before a word of
 * consistency.brand.authorised (柒叶官方授权): the goods are sold as X's. */
#include <string.h>

#include "scan/detect.h"
#include "scan/scan_int.h"

#define HOUSE_MAX 4 /* characters of the name */

/* The name before pos in f->norm: up to HOUSE_MAX ideographs after a non-ideograph (the
 * field's start, punctuation, a space, a letter) or after 是 (这就是澜渟家的); false when the
 * ideographs run on further back (the name would be a sentence's middle). */
static bool name_before(const struct field *f, uint32_t pos, uint32_t *from)
{
    uint32_t s = pos;
    int k = 0;
    while (s >= 3 && k <= HOUSE_MAX + 2) {
        if (!sw__han_at(f->norm + s - 3, 3))
            break;
        if (memcmp(f->norm + s - 3, "是", 3) == 0)
            break;
        s -= 3;
        k++;
    }
    if (k > HOUSE_MAX || k < 2)
        return false;
    *from = s;
    return true;
}

/* Whether a known brand with the name has the listing's brand among its names (苹果 and
 * Apple). */
bool sw__same_known(const struct sw_scanner *sc, const char *name, const char *pb)
{
    for (int i = 0; i < sc->nbrands; i++) {
        const struct sw_brand *b = &sc->brands[i];
        bool named = false;
        for (int k = 0; k < b->nnorm && !named; k++)
            named = strcmp(b->norm[k], name) == 0;
        for (int k = 0; named && k < b->nnorm; k++)
            if (strcmp(b->norm[k], pb) == 0)
                return true;
    }
    return false;
}

/* Whether fields first..last hold s (n bytes, normalised). */
static bool fields_hold(const struct field *fs, int first, int last, const char *s, size_t n)
{
    for (int fi = first; fi <= last; fi++)
        if (fs[fi].n && memmem(fs[fi].norm, fs[fi].n, s, n))
            return true;
    return false;
}

bool sw__titles_hold(const struct field *fs, const char *s, size_t n)
{
    return fields_hold(fs, SW_SF_TITLE, SW_SF_SHORT_TITLE, s, n);
}

/* The name (normalised) is another brand's than pb: no word of brand.house_not in it (本店,
 * 我们家), neither holding the other, and no known brand's other name for pb (苹果 and Apple). */
static bool another_brand(const struct sw_scanner *sc, const char *name, const char *pb)
{
    for (int i = 0; i < sc->house_not.n; i++)
        if (strstr(name, sc->house_not.w[i]))
            return false;
    return !strstr(pb, name) && !strstr(name, pb) && !sw__same_known(sc, name, pb);
}

void sw__house_brand(const struct field *fs, int fi, const struct sw_listing *l, const char *pb,
                     const struct hit *h, struct out *o)
{
    const struct field *f = &fs[fi];
    const struct sw_scanner *sc = f->sc;
    uint32_t from;
    if (!pb[0] || !name_before(f, h->from, &from))
        return;
    char name[HOUSE_MAX * 3 + 1];
    size_t n = h->from - from;
    memcpy(name, f->norm + from, n);
    name[n] = '\0';
    if (!another_brand(sc, name, pb) || /* 我们家的, 老家的 */
        fields_hold(fs, 0, SW_SF__COUNT - 1, pb, strlen(pb)))
        return;
    struct finding *x = sw__add_at(o, &sc->brand, f, fi, from, h->to);
    sw__evidence(o, x, "names the goods %s's (%.*s); the listing's brand is %s", name,
                 (int)(h->to - from), f->norm + from, l->brand && l->brand[0] ? l->brand : pb);
    sw__ev_about(x, name, n);
}

/* The name in letters right before pos (Kelo官方授权, a space between at most): two letters at
 * least, digits allowed after the first. */
static bool letters_before(const struct field *f, uint32_t pos, uint32_t *from)
{
    uint32_t s = pos;
    int letters = 0;
    while (s > 0 && pos - s < 24 &&
           ((f->norm[s - 1] >= 'a' && f->norm[s - 1] <= 'z') ||
            (f->norm[s - 1] >= '0' && f->norm[s - 1] <= '9'))) {
        letters += f->norm[s - 1] >= 'a';
        s--;
    }
    if (letters < 2 || !(f->norm[s] >= 'a' && f->norm[s] <= 'z'))
        return false;
    *from = s;
    return true;
}

void sw__authorised_brand(const struct field *fs, int fi, const struct sw_listing *l,
                          const char *pb, const struct hit *h, struct out *o)
{
    const struct field *f = &fs[fi];
    const struct sw_scanner *sc = f->sc;
    uint32_t from;
    if (fi != SW_SF_DETAIL || !pb[0] ||
        !(letters_before(f, h->from, &from) || name_before(f, h->from, &from)))
        return;
    char name[32];
    size_t n = h->from - from;
    if (n >= sizeof name)
        return;
    memcpy(name, f->norm + from, n);
    name[n] = '\0';
    for (int i = 0; i < sc->title_tags.n; i++)
        if (strstr(name, sc->title_tags.w[i]))
            return; /* 品牌官方授权 */
    if (!another_brand(sc, name, pb) || sw__titles_hold(fs, name, n))
        return; /* 本店官方授权; the goods' own name */
    struct finding *x = sw__add_at(o, &sc->brand, f, fi, from, h->to);
    sw__evidence(o, x, "sells the goods as %s's (%.*s); the listing's brand is %s", name,
                 (int)(h->to - from), f->norm + from, l->brand && l->brand[0] ? l->brand : pb);
    sw__ev_about(x, name, n);
}

void sw__quoted_brand(const struct field *fs, int fi, const struct sw_listing *l, const char *pb,
                      uint32_t at, struct out *o)
{
    const struct field *f = &fs[fi];
    const struct sw_scanner *sc = f->sc;
    static const char *const closes[] = {"”", "」", "』", "\"", NULL};
    static const char *const opens[] = {"“", "「", "『", "\"", NULL};
    const char *t = f->orig;
    if (fi != SW_SF_DETAIL || !pb[0])
        return;
    int q = 0;
    while (closes[q] && !(at >= strlen(closes[q]) &&
                          memcmp(t + at - strlen(closes[q]), closes[q], strlen(closes[q])) == 0))
        q++;
    if (!closes[q])
        return;
    uint32_t e = at - (uint32_t)strlen(closes[q]), s = e, ol = (uint32_t)strlen(opens[q]);
    while (s >= ol && e - s < 24 && memcmp(t + s - ol, opens[q], ol) != 0)
        s--;
    if (s < ol || e - s < 4 || e - s >= 24 || memcmp(t + s - ol, opens[q], ol) != 0)
        return;
    uint32_t b = s - ol;
    for (uint32_t k = 3; k <= 9 && k <= b; k += 3)
        if (memcmp(t + b - k, "原", 3) == 0 || memcmp(t + b - k, "旧", 3) == 0)
            return; /* 原"水漾"品牌已更名, 原由"维康源"品牌销售: what the goods were sold as */
    char name[SW_NORM_CAP(24) + 1];
    uint32_t map[SW_NORM_CAP(24) + 1];
    size_t n = 0;
    if (sw_normalize(t + s, e - s, name, map, &n) >= 0 || n < 4)
        return;
    name[n] = '\0';
    if (!another_brand(sc, name, pb) || sw__titles_hold(fs, name, n))
        return;
    struct finding *x = sw__add(o, &sc->brand, fi, s, at + 6 <= f->olen ? at + 6 : f->olen);
    sw__evidence(o, x, "names the brand %s in quotes; the listing's brand is %s", name,
                 l->brand && l->brand[0] ? l->brand : pb);
    sw__ev_about(x, name, n);
}
