/* The detail's labelled amounts for the specification check (consistency.spec, specs.c): the
 * amounts near a spec label or a pack size, a list's parts after a label, and the amounts of a
 * class that states itself (a formula's stage) or of a phone's memory pair. Split from
 * specs.c. */
#include <string.h>

#include "scan/specs_int.h"

/* A self-stating class's amounts in the detail (a formula's stage: 1段（0-6个月）配方): when
 * all of them say one value, they are labelled by themselves; a detail naming several (1段、2段
 * 均有) says none. */
static void self_stated(const struct field *f, const struct reads *rd, struct amounts *as)
{
    const struct sw_scanner *sc = f->sc;
    if (!sw__names_self_stating(f, rd->skip, rd->self_off))
        return;
    struct amounts all;
    all.n = 0;
    sw__amounts_within(f, rd, 0, f->n, &all);
    for (int c = 0; c < 64; c++) {
        if (!(sc->self_stating >> c & 1) || (rd->self_off >> c & 1))
            continue;
        int n = 0;
        bool one = true;
        int64_t v = 0;
        for (int k = 0; k < all.n; k++)
            if (all.a[k].cls == c) {
                one &= n == 0 || all.a[k].v == v;
                v = all.a[k].v;
                n++;
            }
        for (int k = 0; one && k < all.n; k++)
            if (all.a[k].cls == c && !all.a[k].labelled) {
                all.a[k].labelled = true;
                sw__push_amount(as, all.a[k]);
            }
    }
}

/* The detail's labelled amounts only: those near a spec label or a pack size, read in windows
 * around them rather than over the whole detail (the rest is read only when a labelled one
 * disagrees with the titles). Windows are read in order, each byte once. */
#define PARTS_REACH 96

#define LIST_REACH 240

static bool plus_within(const struct field *f, size_t from, size_t to)
{
    for (size_t p = from; p < to && p < f->n; p++)
        if (f->norm[p] == '+' || (p + 3 <= f->n && memcmp(f->norm + p, "＋", 3) == 0))
            return true;
    return false;
}

/* Where a list of parts that 、 joins (礼盒内含：夏威夷果250g、碧根果250g、...) within [from, to)
 * ends: its line's end, at most LIST_REACH bytes on; to when there is none. */
static size_t list_end(const struct field *f, size_t from, size_t to)
{
    size_t p = from;
    while (p + 3 <= to && p + 3 <= f->n && memcmp(f->norm + p, "、", 3) != 0)
        p++;
    if (p + 3 > to || p + 3 > f->n)
        return to;
    size_t end = from + LIST_REACH < f->n ? from + LIST_REACH : f->n;
    const char *nl = memchr(f->norm + p, '\n', end - p);
    return nl ? (size_t)(nl - f->norm) : end;
}

/* Of the amounts from as->a[before] on, keeps those not read before (the same start) and,
 * with measures, only measures. */
static void keep_new(struct amounts *as, int before, bool measures)
{
    int k = before;
    for (int m = before; m < as->n; m++) {
        bool old = false;
        for (int j = 0; j < before && !old; j++)
            old = as->a[j].s == as->a[m].s && as->a[j].f == as->a[m].f;
        if (!old && (!measures || sw__is_measure(as->a[m].f->sc, as->a[m].cls)))
            as->a[k++] = as->a[m];
    }
    as->n = k;
}

void sw__labelled_amounts(const struct field *f, const struct reads *rd, struct amounts *as)
{
    size_t done = 0, ext = 0; /* read to done; a list's weights read to ext */
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        if (sw__role(f, h) != R_SPEC_LABEL && sw__role(f, h) != R_PACK)
            continue;
        size_t from = h->from > 32 ? h->from - 32 : 0, to = (size_t)h->to + 40;
        /* a list of parts joined by pluses (公蟹4.0两 × 4只 + 母蟹3.0两 × 4只) is read to its
         * end: the parts past the label's reach are not labelled, only added up (parts_of) */
        size_t list = to;
        if (plus_within(f, h->to, to))
            to = (size_t)h->to + PARTS_REACH;
        else /* and so are the weights of a list that 、 joins, to its line's end (礼盒内含：
              * 夏威夷果250g、碧根果250g、...; not its counts: 面霜50g×1瓶、旅行装15g×1瓶 are
              * no two of the titles' 50g×2瓶) */
            list = list_end(f, h->to, to);
        if (from < done)
            from = done;
        int before = as->n;
        sw__amounts_within(f, rd, from, to, as);
        if (from < ext)
            keep_new(as, before, false);
        done = to > done ? to : done;
        if (list > (done > ext ? done : ext)) {
            before = as->n;
            sw__amounts_within(f, rd, done > ext ? done : ext, list, as);
            keep_new(as, before, true);
            ext = list;
        }
    }
    self_stated(f, rd, as);
    /* a phone's memory as a pair (8GB+128GB, 12+256) states itself: no label needed */
    const struct sw_scanner *sc = f->sc;
    for (size_t i = 0; rd->memory && (i = sw__next_memory_plus(f, i)) < f->n; i++) {
        size_t from = i > 12 ? i - 12 : 0, to = i + 12;
        if (from < done)
            from = done;
        int before = as->n;
        if (from < to)
            sw__amounts_within(f, rd, from, to, as);
        /* a pair is a ram of at most 24GB and a storage, a power of two from 32GB (12GB+12GB
         * is memory extended, 256GB+1TB云存储 a storage and a cloud) */
        bool ram = false;
        for (int k = before; k < as->n; k++)
            ram |= as->a[k].cls == sc->ram_class && as->a[k].v <= 24000;
        for (int k = before; ram && k < as->n; k++) {
            struct amount *a = &as->a[k];
            int64_t gb = a->v / 1000;
            if (a->cls == sc->ram_class ||
                (a->cls == sc->storage_class && gb >= 32 && !(gb & (gb - 1))))
                a->labelled = true;
        }
        done = to > done ? to : done;
    }
}
