/* Ingredient concentrations (consistency.spec.concentrations): the percentage of a named
 * ingredient the titles state (烟酰胺5%精华, VC10%, 5%烟酰胺, 视黄醇0.1%) against the one the
 * detail states for the same ingredient (核心成分：烟酰胺10%; 成分：左旋VC 15%).
 *
 * A percentage belongs to an ingredient's name right before it (spaces, a colon and the words
 * 含量, 浓度, 添加 or 约 between) or right after it (5%烟酰胺). A bound (≥30%, 30%以上) is
 * no concentration. An ingredient the titles state two values of compares nothing; one the
 * detail states the titles' value of anywhere agrees (烟酰胺5%，另有烟酰胺10%款). A finding, on
 * the detail's first other value, otherwise. Names are matched longest first, so that 左旋VC
 * is vitamin C too, and an ASCII name does not run on into more letters (vc of vcr).
 *
 * Cost: nothing unless the category is one of the rule's and both the titles and the detail
 * hold a '%'. */
#include <stdio.h>
#include <string.h>

#include "scan/detect.h"

#define CONC_MAX 16
#define CONC_GAP 12 /* bytes between a name and its percentage */

struct conc {
    int ing;
    int64_t v;     /* thousandths of a percent */
    uint32_t s, e; /* normalised bytes of the field: the name and the percentage */
};

static bool ascii_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The ingredient whose name starts at p, the longest (*len its length); -1 when none. */
static int ing_at(const struct sw_concs *cc, const struct field *f, uint32_t p, uint32_t *len)
{
    int best = -1;
    *len = 0;
    if (p > 0 && ascii_letter((unsigned char)f->norm[p]) &&
        ascii_letter((unsigned char)f->norm[p - 1]))
        return -1;
    for (int k = 0; k < cc->n; k++)
        for (int w = 0; w < cc->names[k].n; w++) {
            uint32_t l = cc->names[k].len[w];
            if (l > *len && p + l <= f->n && memcmp(f->norm + p, cc->names[k].w[w], l) == 0 &&
                !(ascii_letter((unsigned char)f->norm[p + l - 1]) && p + l < f->n &&
                  ascii_letter((unsigned char)f->norm[p + l]))) {
                best = k;
                *len = l;
            }
        }
    return best;
}

/* A percentage from p (digits, a dot and digits, '%'): thousandths of a percent, its end in
 * *end; -1 when none. */
static int64_t pct_at(const struct field *f, uint32_t p, uint32_t *end)
{
    int64_t v = 0;
    int d = 0, frac = -1;
    for (; p < f->n && d < 6; p++) {
        char c = f->norm[p];
        if (c >= '0' && c <= '9') {
            v = v * 10 + (c - '0');
            d++;
            if (frac >= 0)
                frac++;
        } else if (c == '.' && frac < 0 && d > 0) {
            frac = 0;
        } else {
            break;
        }
    }
    if (d == 0 || frac == 0 || frac > 3 || p >= f->n || f->norm[p] != '%')
        return -1;
    for (int k = frac < 0 ? 0 : frac; k < 3; k++)
        v *= 10;
    *end = p + 1;
    return v > 100000 ? -1 : v;
}

/* A bound right after a percentage ending at e (30%以上) or before its start (≥30%): a '+'
 * after one joins the next ingredient (烟酰胺10%+泛醇). */
static bool bound_at(const struct field *f, uint32_t s, uint32_t e)
{
    static const char *const after[] = {"以上", "以下", NULL};
    for (int k = 0; after[k]; k++)
        if (e + strlen(after[k]) <= f->n && memcmp(f->norm + e, after[k], strlen(after[k])) == 0)
            return true;
    static const char *const before[] = {"≥",    "≤",    ">",    "<",    "大于", "小于", "不低于",
                                         "高于", "低于", "超过", "至少", "最高", NULL};
    for (int k = 0; before[k]; k++) {
        size_t l = strlen(before[k]);
        if (s >= l && memcmp(f->norm + s - l, before[k], l) == 0)
            return true;
    }
    return false;
}

/* The percentage after a name ending at e: spaces, ':' and filler words between. */
static int64_t pct_after(const struct field *f, uint32_t e, uint32_t *ps, uint32_t *pe)
{
    static const char *const fillers[] = {"含量", "浓度", "添加", "约", NULL};
    uint32_t p = e;
    while (p < f->n && p - e <= CONC_GAP) {
        if (f->norm[p] == ' ' || f->norm[p] == ':') {
            p++;
            continue;
        }
        bool skipped = false;
        for (int k = 0; fillers[k] && !skipped; k++) {
            size_t l = strlen(fillers[k]);
            if (p + l <= f->n && memcmp(f->norm + p, fillers[k], l) == 0) {
                p += (uint32_t)l;
                skipped = true;
            }
        }
        if (!skipped)
            break;
    }
    *ps = p;
    int64_t v = pct_at(f, p, pe);
    return v >= 0 && !bound_at(f, p, *pe) ? v : -1;
}

/* The percentage right before a name starting at s (5%烟酰胺, 5% 烟酰胺). */
static int64_t pct_before(const struct field *f, uint32_t s, uint32_t *ps)
{
    uint32_t q = s;
    if (q > 0 && f->norm[q - 1] == ' ')
        q--;
    if (q < 2 || f->norm[q - 1] != '%')
        return -1;
    uint32_t p = q - 1;
    while (p > 0 && q - 1 - p < 7 &&
           ((f->norm[p - 1] >= '0' && f->norm[p - 1] <= '9') || f->norm[p - 1] == '.'))
        p--;
    uint32_t end;
    int64_t v = pct_at(f, p, &end);
    *ps = p;
    return v >= 0 && end == q && !bound_at(f, p, end) ? v : -1;
}

/* The pairs of an ingredient and its percentage in f, into v (CONC_MAX); their number. */
static int pairs_of(const struct sw_concs *cc, const struct field *f, struct conc *v)
{
    int n = 0;
    for (uint32_t p = 0; p < f->n && n < CONC_MAX; p++) {
        if (((unsigned char)f->norm[p] & 0xC0) == 0x80)
            continue;
        uint32_t len, ps, pe;
        int k = ing_at(cc, f, p, &len);
        if (k < 0)
            continue;
        int64_t x = pct_after(f, p + len, &ps, &pe);
        if (x >= 0) {
            v[n++] = (struct conc){.ing = k, .v = x, .s = p, .e = pe};
        } else if ((x = pct_before(f, p, &ps)) >= 0) {
            v[n++] = (struct conc){.ing = k, .v = x, .s = ps, .e = p + len};
        }
        p += len - 1;
    }
    return n;
}

static bool holds_pct(const struct field *f)
{
    return f->n && memchr(f->norm, '%', f->n) != NULL;
}

void sw__concentrations(const struct field *fs, const char *category, struct out *o)
{
    const struct sw_concs *cc = &fs[0].sc->concs;
    const struct field *d = &fs[SW_SF_DETAIL], *tf = &fs[SW_SF_TITLE];
    const struct field *sf = &fs[SW_SF_SHORT_TITLE];
    if (!cc->n || !(holds_pct(tf) || holds_pct(sf)) || !holds_pct(d) ||
        (!cc->cs.all && !sw__catset_match(&cc->cs, category)))
        return;
    struct conc t[2 * CONC_MAX], dv[CONC_MAX];
    int ntitle = pairs_of(cc, tf, t);
    int nt = ntitle + pairs_of(cc, sf, t + ntitle);
    int nd = pairs_of(cc, d, dv);
    for (int i = 0; i < nt; i++) {
        bool one = true, stated = false;
        for (int j = 0; j < nt; j++)
            one &= t[j].ing != t[i].ing || t[j].v == t[i].v;
        int other = -1;
        for (int j = 0; j < nd; j++) {
            if (dv[j].ing != t[i].ing)
                continue;
            stated |= dv[j].v == t[i].v;
            if (dv[j].v != t[i].v && other < 0)
                other = j;
        }
        if (!one || stated || other < 0)
            continue;
        const struct field *f = i < ntitle ? tf : sf;
        uint32_t ts, te, ds, de;
        sw__orig_span(f, t[i].s, t[i].e, &ts, &te);
        sw__orig_span(d, dv[other].s, dv[other].e, &ds, &de);
        struct finding *x =
            sw__add_at(o, &fs[0].sc->spec, d, SW_SF_DETAIL, dv[other].s, dv[other].e);
        sw__evidence(o, x, "the detail says %.*s; the %s says %.*s", sw__ev_len(de - ds),
                     d->orig + ds, f == tf ? "title" : "short title", sw__ev_len(te - ts),
                     f->orig + ts);
        return; /* one finding */
    }
}
