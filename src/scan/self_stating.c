/* Self-stating unit classes (consistency.spec.self_stating): a class whose one value in the
 * detail needs no label, a formula's stage (1段). Whether the detail names a unit of one, in the
 * categories where it applies: the specification check then reads the detail whole for its
 * amounts of that class (specs.c, self_stated). Split from specs.c. */
#include <string.h>

#include "scan/specs_int.h"

/* Whether the detail names a unit of a self-stating class that applies here (1段 among
 * baby.formula): the detail is then read whole for its amounts of that class. */
uint64_t sw__self_off(const struct sw_scanner *sc, const char *cat)
{
    uint64_t off = 0;
    for (int i = 0; i < sc->nself_cs; i++)
        if (!sc->self_cs[i].all && !sw__catset_match(&sc->self_cs[i], cat))
            off |= (uint64_t)1 << sc->self_cs_cls[i];
    return off;
}

/* Whether f holds w (len bytes): its last byte found with memchr, then the bytes before it
 * compared (a name's last byte is rarer in text than memmem's first pass over it costs). */
static bool holds_word(const struct field *f, const char *w, size_t len)
{
    if (!len || len > f->n)
        return false;
    const char *p = f->norm + len - 1, *end = f->norm + f->n;
    while ((p = memchr(p, w[len - 1], (size_t)(end - p))) != NULL) {
        if (memcmp(p - (len - 1), w, len - 1) == 0)
            return true;
        p++;
    }
    return false;
}

bool sw__names_self_stating(const struct field *f, uint64_t skip, uint64_t self_off)
{
    const struct sw_scanner *sc = f->sc;
    for (int j = 0; j < sc->nself_units; j++) {
        int k = sc->self_units[j];
        const struct sw_unit *u = &sc->units[k];
        if ((skip >> k & 1) || (u->cls >= 0 && u->cls < 64 && (self_off >> u->cls & 1)))
            continue;
        for (int i = 0; i < u->names.n; i++)
            if (holds_word(f, u->names.w[i], u->names.len[i]))
                return true;
    }
    return false;
}

bool sw__detail_self_states(const struct field *d, const char *cat)
{
    const struct sw_scanner *sc = d->sc;
    uint64_t skip = 0; /* the category's: only the self-stating units are looked at */
    for (int j = 0; j < sc->nself_units; j++) {
        const struct sw_unit *x = &sc->units[sc->self_units[j]];
        if (!x->cs.all && !sw__catset_match(&x->cs, cat))
            skip |= (uint64_t)1 << sc->self_units[j];
    }
    return sc->nself_units && sw__names_self_stating(d, skip, sw__self_off(sc, cat));
}
