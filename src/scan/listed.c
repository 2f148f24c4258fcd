/* A list of kinds after a label (颜色分类：#01正红 / #02豆沙 / #03枫叶) states how many there are:
 * consistency.spec.listed {class, labels} makes the count an amount of the class (colors), which
 * the spec check compares with the titles' (6色可选) as it does a labelled amount. The list runs
 * from the label's colon to the end of its line or sentence (newline, 。；，｜ or a bracket),
 * its items parted by / 、 + or spaces; an item that is itself a count (三色, 共4色) is not one
 * of them, and a list whose items carry counts (四个哑光、三个珠光) or share one (黑白灰各1双)
 * is no plain list: none is read from it. Fewer than two items say nothing (颜色：黑色 may be
 * the one kind of this link or a name for several). */
#include <string.h>

#include "scan/detect.h"
#include "scan/scan_int.h"
#include "scan/specs_int.h"

#define LIST_BYTES 400
#define LIST_ITEMS 64

static bool starts(const char *p, const char *end, const char *w)
{
    size_t n = strlen(w);
    return (size_t)(end - p) >= n && memcmp(p, w, n) == 0;
}

/* The length of an ending at p (0: none). */
static int ending(const char *p, const char *end)
{
    static const char *const ends[] = {"\n", "\r", "。", "；", ";", "，", ",", "（",
                                       "(",  "｜", "|",  "【", "[", "：", ":", NULL};
    for (int i = 0; ends[i]; i++)
        if (starts(p, end, ends[i]))
            return (int)strlen(ends[i]);
    return 0;
}

static int parting(const char *p, const char *end)
{
    static const char *const parts[] = {"/", "／", "、", "+", "＋", " ", "　", "\t", NULL};
    for (int i = 0; parts[i]; i++)
        if (starts(p, end, parts[i]))
            return (int)strlen(parts[i]);
    return 0;
}

static bool numeral_at(const char *p, const char *end)
{
    static const char *const nums[] = {"一", "二", "两", "三", "四", "五",
                                       "六", "七", "八", "九", "十", NULL};
    if (*p >= '0' && *p <= '9')
        return true;
    for (int i = 0; nums[i]; i++)
        if (starts(p, end, nums[i]))
            return true;
    return false;
}

/* A shade's code: '#' or letters and digits only, a digit among them (#03, 03, V03). */
static bool is_code(const char *s, const char *e)
{
    bool digit = false;
    for (const char *p = s; p < e; p++) {
        if (!(*p == '#' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
              (*p >= 'A' && *p <= 'Z')))
            return false;
        digit |= *p >= '0' && *p <= '9';
    }
    return digit;
}

enum item { ITEM_KIND, ITEM_COUNT, ITEM_SPOILS };

/* An item: a kind, a count of the list's own (三色, 共4色), or words that make the list no plain
 * one (个, 各, 款, 随机: 四个哑光, 黑白灰各1双). */
static enum item item_of(const char *s, const char *e)
{
    static const char *const spoil[] = {"个", "各", "随机", "等", NULL};
    for (const char *p = s; p < e; p++) {
        for (int i = 0; spoil[i]; i++)
            if (starts(p, e, spoil[i]))
                return ITEM_SPOILS;
        int nl = *p >= '0' && *p <= '9' ? 1 : 3;
        if (starts(p, e, "共") ||
            (numeral_at(p, e) && (starts(p + nl, e, "色") || starts(p + nl, e, "种"))))
            return ITEM_COUNT;
    }
    return ITEM_KIND;
}

/* The items of the list starting at orig offset at: their count, or -1 when it is no plain list. */
static int count_items(const struct field *d, uint32_t at, uint32_t *end_at)
{
    const char *p = d->orig + at, *end = d->orig + d->olen;
    if ((size_t)(end - p) > LIST_BYTES)
        end = p + LIST_BYTES;
    int n = 0;
    bool code = false, spaced = false; /* the last item was a shade's code (#03); a space since */
    while (p < end && ending(p, end) == 0) {
        int l = parting(p, end);
        if (l) {
            spaced = *p == ' ' || (l == 3 && starts(p, end, "　"));
            code &= spaced;
            p += l;
            continue;
        }
        const char *s = p;
        while (p < end && !ending(p, end) && !parting(p, end))
            p++;
        enum item it = item_of(s, p);
        if (it == ITEM_SPOILS || n == LIST_ITEMS)
            return -1;
        /* #03 蜜桃乌龙 is one shade: a name after its code and a space is the code's */
        n += it == ITEM_KIND && !(code && spaced);
        code = is_code(s, p);
        spaced = false;
    }
    *end_at = (uint32_t)(p - d->orig);
    return n;
}

bool sw__detail_may_list(const struct field *d)
{
    if (d->sc->listed_class < 0)
        return false;
    for (size_t i = 0; i < d->nhits; i++)
        if (sw__role(d, &d->hits[i]) == R_ATTR_LABEL)
            return true;
    return false;
}

bool sw__names_listed_unit(const struct field *t)
{
    const struct sw_scanner *sc = t->sc;
    for (int u = 0; sc->listed_class >= 0 && u < sc->nunits; u++)
        for (int k = 0; sc->units[u].cls == sc->listed_class && k < sc->units[u].names.n; k++)
            if (memmem(t->norm, t->n, sc->units[u].names.w[k], sc->units[u].names.len[k]))
                return true;
    return false;
}

bool sw__listed_amount(const struct field *d, struct amount *a)
{
    const struct sw_scanner *sc = d->sc;
    if (sc->listed_class < 0)
        return false;
    for (int i = 0; i < sc->listed_labels.n; i++) {
        const char *w = sc->listed_labels.w[i], *p = d->norm, *end = d->norm + d->n;
        size_t wl = sc->listed_labels.len[i];
        while ((p = memmem(p, (size_t)(end - p), w, wl)) != NULL) {
            uint32_t q = (uint32_t)(p - d->norm + (ptrdiff_t)wl);
            p += wl;
            if (q >= d->n || d->norm[q] != ':')
                continue; /* 颜色分类：, not 颜色 in running text */
            uint32_t s, e, at, list_end = 0;
            sw__orig_span(d, (uint32_t)(q - wl), q + 1, &s, &e);
            at = e;
            int n = count_items(d, at, &list_end);
            if (n < 2)
                continue;
            *a = (struct amount){.v = (int64_t)n * 1000,
                                 .cls = sc->listed_class,
                                 .labelled = true,
                                 .s = s,
                                 .e = list_end,
                                 .f = d};
            return true;
        }
    }
    return false;
}
