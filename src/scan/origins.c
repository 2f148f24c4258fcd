/* Where the goods ship from (consistency.carrier.origins): a shipping method of its own on
 * cross-border listings. The policy names kinds (abroad: 海外直邮, 香港直邮; bonded: 保税仓;
 * at home: 国内现货, 上海仓) and their words. Each of the three sources, the titles (title
 * and short title), the detail and shipping_method, names a set of kinds (a negated name,
 * 非保税仓, names none). A finding, one at most, when two sources name different kinds and
 * neither names the other's: 香港直邮 in the title against 国内现货，上海仓发货 in the detail,
 * 海外直邮 in shipping_method against 国内保税仓发货 in the detail. A source that names none
 * (an absent shipping_method, a detail silent on it) contradicts nothing.
 * Cost: the names are patterns (R_ORIGIN hits): nothing on a listing that names none. */
#include <stdio.h>
#include <string.h>

#include "scan/detect.h"

enum { SRC_TITLES, SRC_DETAIL, SRC_METHOD, NSRC };

struct source {
    unsigned kinds;      /* a bit per kind named */
    int field[8];        /* each kind's first name: its field (the title or the short title of
                            the titles), -1 for shipping_method */
    uint32_t s[8], e[8]; /* and its original bytes in that field */
};

/* The kinds field f names (its R_ORIGIN hits), not negated, into src (their first place kept). */
static void kinds_of(const struct field *f, int fi, struct source *src)
{
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        int k = sw__role(f, h) == R_ORIGIN ? sw__owner(f, h) : -1;
        if (k < 0 || k >= 8 || (src->kinds >> k & 1u) || sw__negated(f, h->from) ||
            sw__covered(f, h, R_ORIGIN, k, true))
            continue;
        src->kinds |= 1u << k;
        src->field[k] = fi;
        sw__orig_span(f, h->from, h->to, &src->s[k], &src->e[k]);
    }
}

static const char *const src_names[] = {"the titles", "the detail", "shipping_method"};

/* The lowest kind of a, and of b, where a names one b does not and b one a does not. */
static bool differ(unsigned a, unsigned b, int *ka, int *kb)
{
    unsigned only_a = a & ~b, only_b = b & ~a;
    if (!a || !b || !only_a || !only_b || (a & b))
        return false;
    *ka = __builtin_ctz(only_a);
    *kb = __builtin_ctz(only_b);
    return true;
}

void sw__origins(const struct field *fs, const struct sw_listing *l, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    const struct sw_origins *og = &sc->origins;
    if (og->n == 0)
        return;
    struct source src[NSRC] = {{.kinds = 0}, {.kinds = 0}, {.kinds = 0}};
    kinds_of(&fs[SW_SF_TITLE], SW_SF_TITLE, &src[SRC_TITLES]);
    kinds_of(&fs[SW_SF_SHORT_TITLE], SW_SF_SHORT_TITLE, &src[SRC_TITLES]);
    kinds_of(&fs[SW_SF_DETAIL], SW_SF_DETAIL, &src[SRC_DETAIL]);
    if (!src[SRC_TITLES].kinds && !src[SRC_DETAIL].kinds)
        return;
    src[SRC_METHOD].kinds =
        (unsigned)(sw__value_names(l->shipping_method, og->names, og->n) & 0xFFu);
    static const int pairs[][2] = {
        {SRC_TITLES, SRC_DETAIL}, {SRC_TITLES, SRC_METHOD}, {SRC_DETAIL, SRC_METHOD}};
    for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
        const struct source *a = &src[pairs[p][0]], *b = &src[pairs[p][1]];
        int ka, kb;
        if (!differ(a->kinds, b->kinds, &ka, &kb))
            continue;
        /* at the first source's name (a text field: the titles or the detail), in the field
         * that name was found in */
        const struct field *f = &fs[a->field[ka]];
        struct finding *x = sw__add(o, &sc->carrier, a->field[ka], a->s[ka], a->e[ka]);
        sw__evidence(o, x, "%s: ships %s (%.*s); %s: ships %s", src_names[pairs[p][0]],
                     og->kind[ka], sw__ev_len(a->e[ka] - a->s[ka]), f->orig + a->s[ka],
                     src_names[pairs[p][1]], og->kind[kb]);
        return;
    }
}
