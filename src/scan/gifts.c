/* consistency.gifts: what the title gives with the goods (送锅铲+锅盖, 赠美妆蛋, 含充电器)
 * against the detail:
 * - the detail denies an item (不含充电器, 没有美妆蛋, 刀座另售): a finding;
 * - the detail lists its gifts or contents (赠品：手写笔, 套装内容：锅盖) and names the item
 *   nowhere: a finding.
 * An item is a run of 2 to 8 ideographs after a word of `verbs` in the title, up to a space or a
 * mark (a longer run is no item), parted by + 、 or 和, its ×N dropped; the verb counts after a
 * non-ideograph or one of `after` (加赠, 买2送1, 再送), and an item holding a word of `not` is no
 * gift of the goods (送礼, 送女友, 送运费险, 买一送一). Items are compared as normalised text. A
 * verb of more than one character is found only around a one-character verb it holds (赠 of 加赠).
 */
#include <string.h>

#include "scan/detect.h"
#include "scan/normalize.h"
#include "scan/scan_int.h"

#define ITEMS_MAX 4
#define ITEM_BYTES 24    /* 8 ideographs */
#define DENIAL_BEFORE 12 /* bytes between a denial and the item: 不含手提礼袋 */

struct item {
    char norm[SW_NORM_CAP(ITEM_BYTES) + 1];
    size_t n;
    uint32_t s, e; /* title bytes */
};

/* The word of w that p[0..n) starts with (its index), or -1. */
static int starts_with(const char *p, size_t n, const struct sw_words *w)
{
    for (int i = 0; i < w->n; i++)
        if (n >= w->len[i] && memcmp(p, w->w[i], w->len[i]) == 0)
            return i;
    return -1;
}

/* The verb at orig offset v counts: after a non-ideograph, a digit, or a word of `after`. */
static bool verb_counts(const struct sw_scanner *sc, const char *o, uint32_t v)
{
    if (v == 0 || (o[v - 1] >= '0' && o[v - 1] <= '9') || !(v >= 3 && sw__han_at(o + v - 3, 3)))
        return true;
    for (int i = 0; i < sc->gifts.after.n; i++) {
        size_t l = sc->gifts.after.len[i];
        if (v >= l && memcmp(o + v - l, sc->gifts.after.w[i], l) == 0)
            return true;
    }
    return false;
}

/* The items after the verb ending at orig offset from: at most ITEMS_MAX. */
static int items_after(const struct sw_scanner *sc, const struct field *t, uint32_t from,
                       struct item *it)
{
    const char *o = t->orig;
    int n = 0;
    uint32_t p = from;
    while (n < ITEMS_MAX && p < t->olen) {
        uint32_t s = p;
        while (p < t->olen && sw__han_at(o + p, t->olen - p) && memcmp(o + p, "和", 3) != 0)
            p += 3;
        uint32_t e = p;
        /* ×2, *2, x2 after the item: its count, dropped (digits alone end the items: 价值99元) */
        bool times = false;
        if (p + 2 <= t->olen && memcmp(o + p, "×", 2) == 0)
            p += 2, times = true;
        else if (p < t->olen && (o[p] == '*' || o[p] == 'x' || o[p] == 'X'))
            p++, times = true;
        while (times && p < t->olen && o[p] >= '0' && o[p] <= '9')
            p++;
        size_t nl = 0;
        if (e - s >= 6 && e - s <= ITEM_BYTES) {
            uint32_t map[SW_NORM_CAP(ITEM_BYTES) + 1];
            if (sw_normalize(o + s, e - s, it[n].norm, map, &nl) < 0) {
                it[n].norm[nl] = '\0';
                bool gift = true;
                for (int i = 0; i < sc->gifts.not_gifts.n && gift; i++)
                    gift = !strstr(it[n].norm, sc->gifts.not_gifts.w[i]);
                if (gift) {
                    it[n].n = nl;
                    it[n].s = s;
                    it[n].e = e;
                    n++;
                }
            }
        }
        /* the next item after + 、 or 和 */
        if (p < t->olen && o[p] == '+')
            p++;
        else if (p + 3 <= t->olen && (memcmp(o + p, "、", 3) == 0 || memcmp(o + p, "和", 3) == 0 ||
                                      memcmp(o + p, "＋", 3) == 0))
            p += 3;
        else
            break;
    }
    return n;
}

/* A denial right before the item's place at in the detail (不含充电器), or one right after it
 * (刀座另售): the denial. */
static const char *denied(const struct sw_scanner *sc, const struct field *d, size_t at, size_t n)
{
    /* not across a clause's end: 价格不含税，充电器为原装 */
    size_t reach = 0;
    while (reach < DENIAL_BEFORE + 8 && reach < at && !strchr(",.;!?", d->norm[at - reach - 1]) &&
           !(reach + 3 <= at && memcmp(d->norm + at - reach - 3, "。", 3) == 0))
        reach++;
    for (int i = 0; i < sc->gifts.denials.n; i++) {
        size_t l = sc->gifts.denials.len[i];
        for (size_t back = l; back <= l + DENIAL_BEFORE && back <= reach; back++)
            if (memcmp(d->norm + at - back, sc->gifts.denials.w[i], l) == 0)
                return sc->gifts.denials.w[i];
    }
    int k = starts_with(d->norm + at + n, d->n - at - n, &sc->gifts.after_denials);
    return k >= 0 ? sc->gifts.after_denials.w[k] : NULL;
}

/* The detail's list of gifts or contents: a label followed by a colon, a bar, 】 or 为/是
 * (赠品：, 【赠品】, 赠品为); its label, or NULL (赠品随机发放 lists nothing). */
static const char *lists_gifts(const struct sw_scanner *sc, const struct field *d)
{
    static const char *const after[] = {":", "：", "】", "]", "｜", "|", "为", "是", NULL};
    for (int i = 0; i < sc->gifts.labels.n; i++) {
        const char *w = sc->gifts.labels.w[i], *p = d->norm, *end = d->norm + d->n;
        size_t wl = sc->gifts.labels.len[i];
        while ((p = memmem(p, (size_t)(end - p), w, wl)) != NULL) {
            uint32_t s, e;
            sw__orig_span(d, (uint32_t)(p - d->norm), (uint32_t)(p - d->norm + (ptrdiff_t)wl), &s,
                          &e);
            p += wl;
            for (int k = 0; after[k]; k++)
                if (e + strlen(after[k]) <= d->olen &&
                    memcmp(d->orig + e, after[k], strlen(after[k])) == 0)
                    return w;
        }
    }
    return NULL;
}

/* The detail names the item's head, its last ideograph (勺子 is 量勺's kind: 勺; 化妆刷 and 眼影刷
 * are brushes), or its last two when the last is one of many things' (套, 装, 件, 包...). */
static bool head_named(const struct field *d, const struct item *it)
{
    static const char *const generic[] = {"套", "装", "件", "包", "盒", "袋", "个",
                                          "品", "具", "器", "机", "片", NULL};
    size_t n = it->n;
    if (n >= 6 &&
        (memcmp(it->norm + n - 3, "子", 3) == 0 || memcmp(it->norm + n - 3, "儿", 3) == 0))
        n -= 3;
    if (n < 3)
        return false;
    size_t h = 3;
    for (int i = 0; generic[i]; i++)
        if (memcmp(it->norm + n - 3, generic[i], 3) == 0)
            h = n >= 6 ? 6 : 3;
    return memmem(d->norm, d->n, it->norm + n - h, h) != NULL;
}

/* The item's text from byte `skip` (its last two ideographs: 锅盖 of 玻璃锅盖) denied in the
 * detail: the denial, *named set when it is there at all. */
static const char *denial_of(const struct field *d, const struct item *it, size_t skip, bool *named)
{
    const char *w = it->norm + skip;
    size_t n = it->n - skip;
    for (const char *p = d->norm; (p = memmem(p, d->n - (size_t)(p - d->norm), w, n)); p += n) {
        *named = true;
        const char *why = denied(d->sc, d, (size_t)(p - d->norm), n);
        if (why)
            return why;
    }
    return NULL;
}

/* What the items of one title are checked against: the detail's list label, looked up once. */
struct gift_ctx {
    const char *label;
    bool looked;
    int checked; /* items checked: at most ITEMS_CHECKED a listing */
};

#define ITEMS_CHECKED 8

static void check_item(const struct field *fs, const struct item *it, struct gift_ctx *g,
                       struct out *o)
{
    const struct field *d = &fs[SW_SF_DETAIL];
    const struct sw_scanner *sc = d->sc;
    bool named = false, head = false;
    const char *why = denial_of(d, it, 0, &named);
    if (!why && it->n >= 9)
        why = denial_of(d, it, it->n - 6, &head); /* 玻璃锅盖 against 不含锅盖 */
    if (why) {
        struct finding *x = sw__add(o, &sc->gifts.r, SW_SF_TITLE, it->s, it->e);
        sw__evidence(o, x, "the title gives %s; the detail says %s of it", it->norm, why);
        return;
    }
    if (named || head_named(d, it))
        return;
    if (!g->looked) {
        g->label = lists_gifts(sc, d);
        g->looked = true;
    }
    const char *label = g->label;
    if (label) {
        struct finding *x = sw__add(o, &sc->gifts.r, SW_SF_TITLE, it->s, it->e);
        sw__evidence(o, x, "the title gives %s; the detail's %s does not name it", it->norm, label);
    }
}

#define VERBS_MAX 16

static uint32_t key3(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] << 16 | (uint32_t)u[1] << 8 | u[2];
}

/* The longest verb that holds the one-character verb at q (加赠 or 赠送 around 赠): *v and *l. */
static void widest(const struct sw_words *w, const char *o, size_t olen, uint32_t q, uint32_t *v,
                   uint32_t *l)
{
    *v = q;
    *l = 3;
    for (int k = 0; k < w->n; k++) {
        uint32_t wl = w->len[k];
        if (wl <= *l || wl > 12)
            continue;
        for (uint32_t back = 0; back + 3 <= wl; back += 3)
            if (q >= back && q - back + wl <= olen && memcmp(o + q - back, w->w[k], wl) == 0) {
                *v = q - back;
                *l = wl;
                break;
            }
    }
}

/* The measure words of a pack of pieces (10只装, 两片装) */
static const char piece_measures[] = "只个片支条双枚";

void sw__gifts(const struct field *fs, struct out *o)
{
    const struct field *t = &fs[SW_SF_TITLE];
    const struct sw_scanner *sc = t->sc;
    const struct sw_words *w = &sc->gifts.verbs;
    if (!sc->gifts.r.rule || !w->n || !fs[SW_SF_DETAIL].n)
        return;
    /* the one-character verbs (送, 赠, 含, 附): the title is read once, a character at a time;
     * a longer verb is looked for only around one of them (a verb of two characters holds one) */
    uint32_t keys[VERBS_MAX];
    uint64_t lasts = 0; /* a bit per last byte (its low six bits) of a key: most characters fail */
    int nk = 0;
    for (int k = 0; k < w->n && nk < VERBS_MAX; k++)
        if (w->len[k] == 3) {
            keys[nk++] = key3(w->w[k]);
            lasts |= UINT64_C(1) << ((unsigned char)w->w[k][2] & 63);
        }
    const uint32_t set_key = key3("套");  /* N件套: sets.c, read in the same pass */
    const uint32_t pack_key = key3("装"); /* 10只装: sets.c too */
    const uint32_t ship_key = key3("拍"); /* 拍一发三: sets.c */
    if (sc->gifts.set_labels.n)
        lasts |= UINT64_C(1) << (set_key & 63) | UINT64_C(1) << (pack_key & 63) |
                 UINT64_C(1) << (ship_key & 63);
    int ship_b = 0, ship_m = 0; /* the title's first 拍N发M */
    uint32_t ship_s = 0, ship_e = 0;
    int set_n = 0, pack_n = 0; /* the titles' one count of a set or a pack, -1 when two differ */
    uint32_t set_s = 0, set_e = 0, pack_s = 0, pack_e = 0;
    const char *ot = t->orig;
    struct gift_ctx g = {NULL, false, 0};
    for (uint32_t q = 0; q + 3 <= t->olen;) {
        unsigned char c = (unsigned char)ot[q];
        if (c < 0xE0 || c >= 0xF0) {
            q += c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xC0 ? 2 : 1;
            continue;
        }
        bool base = lasts >> ((unsigned char)ot[q + 2] & 63) & 1;
        uint32_t key = base ? key3(ot + q) : 0;
        if (key == set_key && sc->gifts.set_labels.n && q >= 3 &&
            memcmp(ot + q - 3, "件", 3) == 0) {
            uint32_t at = q - 3;
            int v = sw__set_in_title(ot, t->olen, q - 3, &at);
            if (v > 0 && set_n == 0)
                set_n = v, set_s = at, set_e = q + 3; /* 4件套, 六件套 */
            else if (v > 0 && v != set_n)
                set_n = -1;
            q += 3;
            continue;
        }
        if (key == pack_key && sc->gifts.set_labels.n && q >= 6 &&
            memmem(piece_measures, sizeof piece_measures - 1, ot + q - 3, 3)) {
            uint32_t at = q - 3;
            int v = sw__set_in_title(ot, t->olen, q - 3, &at);
            if (v > 0 && pack_n == 0)
                pack_n = v, pack_s = at, pack_e = q + 3;
            else if (v > 0 && v != pack_n)
                pack_n = -1;
            q += 3;
            continue;
        }
        size_t ship_end;
        if (key == ship_key && !ship_b && sc->gifts.set_labels.n &&
            sw__ships_at(ot, t->olen, q, &ship_b, &ship_m, &ship_end)) {
            ship_s = q;
            ship_e = (uint32_t)ship_end;
            q = ship_e;
            continue;
        }
        base = false;
        for (int k = 0; k < nk && key && !base; k++)
            base = keys[k] == key;
        if (!base) {
            q += 3;
            continue;
        }
        uint32_t v, l;
        widest(w, ot, t->olen, q, &v, &l);
        if (verb_counts(sc, ot, v)) {
            struct item it[ITEMS_MAX];
            int m = items_after(sc, t, v + l, it);
            for (int j = 0; j < m && g.checked < ITEMS_CHECKED; j++, g.checked++)
                check_item(fs, &it[j], &g, o);
            if (g.checked >= ITEMS_CHECKED)
                break; /* a title of many gifts costs no more than eight */
        }
        q = v + l > q ? v + l : q + 3;
    }
    if (set_n > 0)
        sw__set_count(fs, set_n, set_s, set_e, SW_SF_TITLE, o);
    else if (pack_n > 0)
        sw__pack_count(fs, pack_n, pack_s, pack_e, SW_SF_TITLE, o);
    if (ship_b > 0)
        sw__ships(fs, SW_SF_TITLE, ship_b, ship_m, ship_s, ship_e, o);
}
