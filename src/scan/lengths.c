/* Garment lengths (consistency.spec.sizes.lengths): a length the titles state after its label
 * (衣长110cm, 裙长 120cm) against the same label's values in the detail, most often a size
 * table's rows (S 衣长88 胸围106 / M 衣长90 ...; a table's numbers are in centimetres). A
 * finding when the detail gives the label one value or more and the titles' lies more than
 * LENGTH_SLACK outside all of them: a table's rows differ by a size's step and are measured
 * flat, to a centimetre or two, so a length that far off is of another garment.
 * Cost: nothing outside the rule's categories, or when the titles name no such label. */
#include <string.h>

#include "scan/detect.h"

#define LENGTH_SLACK 40 /* tenths of a centimetre */

/* A length at o[p...): past spaces, a colon and 约, digits with one decimal at most, then (with
 * unit, required) cm or 厘米; not another unit (mm, 码, %). In tenths of a cm into *v. */
static bool length_at(const char *o, size_t n, size_t p, bool unit, int64_t *v, size_t *end)
{
    for (int k = 0; k < 4 && p < n; k++) {
        if (o[p] == ' ' || o[p] == ':')
            p++;
        else if (p + 3 <= n && (memcmp(o + p, "：", 3) == 0 || memcmp(o + p, "约", 3) == 0))
            p += 3;
        else
            break;
    }
    int64_t whole = 0;
    int digits = 0, tenth = 0;
    while (p < n && o[p] >= '0' && o[p] <= '9' && digits < 4) {
        whole = whole * 10 + (o[p++] - '0');
        digits++;
    }
    if (!digits || (p < n && o[p] >= '0' && o[p] <= '9'))
        return false;
    if (p + 1 < n && o[p] == '.' && o[p + 1] >= '0' && o[p + 1] <= '9') {
        tenth = o[p + 1] - '0';
        p += 2;
        while (p < n && o[p] >= '0' && o[p] <= '9')
            p++;
    }
    size_t q = p;
    while (q < n && o[q] == ' ')
        q++;
    bool cm = q + 2 <= n && (memcmp(o + q, "cm", 2) == 0 || memcmp(o + q, "CM", 2) == 0);
    bool li = q + 6 <= n && memcmp(o + q, "厘米", 6) == 0;
    if (unit && !cm && !li)
        return false;
    if (!cm && !li && q < n &&
        ((o[q] >= 'a' && o[q] <= 'z') || (o[q] >= 'A' && o[q] <= 'Z') || o[q] == '%' ||
         (q + 3 <= n && memcmp(o + q, "码", 3) == 0)))
        return false; /* 衣长80mm, 衣长2码: no centimetres */
    *v = whole * 10 + tenth;
    *end = cm ? q + 2 : li ? q + 6 : p;
    return true;
}

/* The detail's values of label w (as written): their least and greatest; false when none. A
 * range (衣长88-94) gives both its ends. */
static bool detail_lengths(const struct field *d, const char *w, size_t wl, int64_t *lo,
                           int64_t *hi)
{
    const char *o = d->orig;
    size_t n = d->olen;
    bool any = false;
    for (const char *m = o; (m = memmem(m, n - (size_t)(m - o), w, wl)) != NULL; m += wl) {
        size_t p = (size_t)(m - o) + wl, end;
        int64_t v;
        while (length_at(o, n, p, false, &v, &end)) {
            *lo = any && *lo < v ? *lo : v;
            *hi = any && *hi > v ? *hi : v;
            any = true;
            if (end < n && (o[end] == '-' || o[end] == '~'))
                p = end + 1; /* 衣长88-94 */
            else
                break;
        }
    }
    return any;
}

/* Whether the title says something in centimetres (cm, CM, 厘米): a title's length is. */
static bool in_cm(const struct field *t)
{
    const char *o = t->orig;
    for (uint32_t i = 1; i < t->olen; i++)
        if (((o[i] | 0x20) == 'm' && (o[i - 1] | 0x20) == 'c') ||
            (i >= 5 && memcmp(o + i - 5, "厘米", 6) == 0))
            return true;
    return false;
}

void sw__lengths(const struct field *fs, const char *cat, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    const struct sw_sizes *sz = &sc->sizes;
    const struct field *t = &fs[SW_SF_TITLE], *d = &fs[SW_SF_DETAIL];
    if (!sz->lengths.n || !d->olen || (!sz->cs.all && !sw__catset_match(&sz->cs, cat)) || !in_cm(t))
        return;
    for (int k = 0; k < sz->lengths.n; k++) {
        const char *w = sz->lengths.w[k];
        size_t wl = sz->lengths.len[k], end;
        const char *m = memmem(t->orig, t->olen, w, wl);
        int64_t v, lo, hi;
        if (!m || !length_at(t->orig, t->olen, (size_t)(m - t->orig) + wl, true, &v, &end) ||
            !detail_lengths(d, w, wl, &lo, &hi) ||
            (v >= lo - LENGTH_SLACK && v <= hi + LENGTH_SLACK))
            continue;
        uint32_t s = (uint32_t)(m - t->orig);
        struct finding *x = sw__add(o, &sc->spec, SW_SF_TITLE, s, (uint32_t)end);
        if (lo == hi)
            sw__evidence(o, x, "the title says %.*s; the detail's %.*s is %lld.%lld cm",
                         sw__ev_len((uint32_t)end - s), t->orig + s, (int)wl, w,
                         (long long)(lo / 10), (long long)(lo % 10));
        else
            sw__evidence(o, x, "the title says %.*s; the detail's %.*s is %lld.%lld-%lld.%lld cm",
                         sw__ev_len((uint32_t)end - s), t->orig + s, (int)wl, w,
                         (long long)(lo / 10), (long long)(lo % 10), (long long)(hi / 10),
                         (long long)(hi % 10));
        return;
    }
}
