/* Ingredient amounts (consistency.spec.concentrations): the percentage of a named ingredient
 * the titles state (烟酰胺5%精华, VC10%, 5%烟酰胺, 视黄醇0.1%) against the one the detail states
 * for the same ingredient (核心成分：烟酰胺10%; 成分：左旋VC 15%); and the content of one said
 * per the same basis (每片含钙600mg against 每片含：钙300mg; 每粒DHA 100mg; 300亿活菌).
 *
 * An amount belongs to an ingredient's name right before it (spaces, a colon, a cell's 】 and the
 * words 含量, 浓度, 添加, 量 or 约 between) or right after it (5%烟酰胺, 300亿活菌). A lower bound
 * (≥30%, 95%以上) in the titles is contradicted by a lower amount (电池健康95%以上 against 电池效
 * 率：86%); one in the detail agrees with an amount from it up (300亿 against ≥100亿) and
 * contradicts nothing; an upper bound compares nothing. Contents are masses (μg, mg, g), IU and
 * counts (万, 亿), compared only within their kind, and only with one said per the same basis: the
 * 每 and what follows it (每片, 每粒, 每100g; 单片 is 每片) nearest before in its clause, or none
 * on both sides, so that 每份含蛋白 质8g says nothing against 每100g含蛋白质80g. An ingredient the
 * titles state two values of compares nothing; one the detail states the titles' value of anywhere
 * agrees (烟酰胺5%，另有烟 酰胺10%款). A finding, on the detail's first other value, otherwise.
 * Names are matched longest first, so that 左旋VC is vitamin C too, an ASCII name does not run on
 * into more letters (vc of vcr), and a name of one character is one only after a mark or a word
 * that opens a content (含钙, 每片钙, 、钙; not 碳酸钙, the salt).
 *
 * Cost: nothing unless the category is one of the rule's and the titles hold a '%' or a
 * content's unit right after a digit (mg, μg, IU, 亿...), and the detail holds the same. */
#include <stdio.h>
#include <string.h>

#include "scan/detect.h"

#define CONC_MAX 16
#define CONC_GAP 12 /* bytes between a name and its percentage */

enum { FAM_PCT, FAM_MASS, FAM_IU, FAM_COUNT };

struct conc {
    int ing, fam;
    int64_t v;       /* thousandths: of a percent, a μg, an IU, a 万 */
    uint32_t s, e;   /* normalised bytes of the field: the name and the amount */
    int bound;       /* 1: a lower bound (95%以上, ≥100亿), -1: an upper one, 0: the amount */
    uint32_t bs, be; /* the basis (每片), norm bytes; bs == be: none */
};

static bool ascii_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A name of one character (钙, 铁) right after what may open a content: a mark, a digit, the
 * start, or a word that says what follows is held (含钙, 每片钙, 补钙); not 碳酸钙, a salt. */
static bool opens_content(const struct field *f, uint32_t p)
{
    static const char openers[] = "含每的和与及片粒条袋份支补";
    if (p < 3 || !sw__ideograph_at(f->norm, p, p - 3))
        return true;
    for (size_t k = 0; k + 3 <= sizeof openers - 1; k += 3)
        if (memcmp(f->norm + p - 3, openers + k, 3) == 0)
            return true;
    return false;
}

/* The ingredient whose name starts at p, the longest (*len its length); -1 when none. */
static int ing_at(const struct sw_concs *cc, const struct field *f, uint32_t p, uint32_t *len)
{
    int best = -1;
    *len = 0;
    if (p > 0 && ascii_letter((unsigned char)f->norm[p]) &&
        ascii_letter((unsigned char)f->norm[p - 1]))
        return -1;
    const char c = f->norm[p];
    for (int k = 0; k < cc->n; k++)
        for (int w = 0; w < cc->names[k].n; w++) {
            uint32_t l = cc->names[k].len[w];
            if (l > *len && p + l <= f->n && cc->names[k].w[w][0] == c &&
                memcmp(f->norm + p, cc->names[k].w[w], l) == 0 &&
                !(ascii_letter((unsigned char)f->norm[p + l - 1]) && p + l < f->n &&
                  ascii_letter((unsigned char)f->norm[p + l]))) {
                best = k;
                *len = l;
            }
        }
    if (best >= 0 && *len == 3 && !opens_content(f, p))
        return -1;
    return best;
}

/* The units of an amount: what follows its digits, its kind and how many thousandths of the
 * kind's base one of it is. Longest first where one begins another (mcg before...). Those other
 * than %, g, 克 and 万 are SW_CONTENT_UNITS (scan_int.h), the patterns that let a title in: a
 * unit added here is read in a title only once it is there too. */
static const struct unit {
    const char *name;
    int fam;
    int64_t per;
} units[] = {
    {"%", FAM_PCT, 1},           {"mg", FAM_MASS, 1000000},
    {"毫克", FAM_MASS, 1000000}, {"mcg", FAM_MASS, 1000},
    {"μg", FAM_MASS, 1000},      {"ug", FAM_MASS, 1000},
    {"微克", FAM_MASS, 1000},    {"µg", FAM_MASS, 1000},
    {"g", FAM_MASS, 1000000000}, {"克", FAM_MASS, 1000000000},
    {"iu", FAM_IU, 1000},        {"亿", FAM_COUNT, 10000000},
    {"万", FAM_COUNT, 1000},
};

/* The unit at p: its index in units, *end past it; -1 when none. A unit in letters does not
 * run on into more letters (5grams, 10mgx). */
static int unit_at(const struct field *f, uint32_t p, uint32_t *end)
{
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        size_t l = strlen(units[k].name);
        if (p + l <= f->n && memcmp(f->norm + p, units[k].name, l) == 0) {
            if (ascii_letter((unsigned char)units[k].name[l - 1]) && p + l < f->n &&
                ascii_letter((unsigned char)f->norm[p + l]))
                continue;
            *end = p + (uint32_t)l;
            return (int)k;
        }
    }
    return -1;
}

/* An amount whose digits start at norm offset p, then a unit: thousandths of its kind's base,
 * the kind in *fam, its end in *end; -1 when none. The number is read as written: normalising
 * drops its dot (0.4mg is 04mg there). A percentage is at most 100. */
static int64_t amount_at(const struct field *f, uint32_t p, uint32_t *end, int *fam)
{
    uint32_t q = p;
    while (q < f->n && q - p < 12 && f->norm[q] >= '0' && f->norm[q] <= '9')
        q++;
    int u = q > p ? unit_at(f, q, end) : -1;
    if (u < 0)
        return -1;
    uint32_t os, oe;
    int digits, decimals;
    sw__orig_span(f, p, q, &os, &oe);
    int64_t v = sw__orig_milli(f, os, oe - 1, NULL, &digits, &decimals);
    if (digits > 9 || decimals > 3)
        return -1;
    *fam = units[u].fam;
    if (*fam == FAM_PCT)
        return v > 100000 ? -1 : v;
    return v > INT64_MAX / units[u].per ? -1 : v * units[u].per / 1000;
}

/* A bound right after an amount ending at e (30%以上, 90%+ as a word's end) or before its start
 * (≥30%): 1 a lower one, -1 an upper one, 0 none. A '+' that another word follows, or with a
 * space before it, joins the next ingredient (烟酰胺10%+泛醇, 烟酰胺10% + 泛醇). */
static int bound_at(const struct field *f, uint32_t s, uint32_t e)
{
    static const struct {
        const char *w;
        int bound;
    } after[] = {{"以上", 1}, {"以下", -1}},
      before[] = {{"≥", 1},     {">", 1},     {"大于", 1},   {"不低于", 1}, {"高于", 1},
                  {"超过", 1},  {"至少", 1},  {"≤", -1},     {"<", -1},     {"小于", -1},
                  {"低于", -1}, {"最高", -1}, {"不超过", -1}};
    for (size_t k = 0; k < sizeof after / sizeof after[0]; k++) {
        size_t l = strlen(after[k].w);
        if (e + l <= f->n && memcmp(f->norm + e, after[k].w, l) == 0)
            return after[k].bound;
    }
    if (e < f->n && f->norm[e] == '+') { /* 电池90%+ 华强北: a '+' that ends its word is a bound */
        uint32_t os, oe;
        sw__orig_span(f, e, e + 1, &os, &oe);
        bool joined = os > 0 && f->orig[os - 1] == ' '; /* 烟酰胺10% + 泛醇 */
        if (!joined && (oe >= f->olen || f->orig[oe] == ' ' || f->orig[oe] == ',' ||
                        f->orig[oe] == '/' || f->orig[oe] == '\n'))
            return 1;
    }
    int found = 0;
    size_t best = 0; /* the longest: 不超过 before 超过 */
    for (size_t k = 0; k < sizeof before / sizeof before[0]; k++) {
        size_t l = strlen(before[k].w);
        if (l > best && s >= l && memcmp(f->norm + s - l, before[k].w, l) == 0) {
            found = before[k].bound;
            best = l;
        }
    }
    return found;
}

/* The amount after a name ending at e: spaces, ':' and filler words between. */
static int64_t amount_after(const struct field *f, uint32_t e, uint32_t *ps, uint32_t *pe, int *fam,
                            int *bound)
{
    /* 叶酸片 0.4mg, 鱼油软胶囊 1000mg: the form the goods take names them, a piece's content */
    static const char *const fillers[] = {"含量", "浓度",   "添加", "约", "量",   "数",   "软胶囊",
                                          "胶囊", "咀嚼片", "片",   "粒", "滴剂", "软糖", NULL};
    uint32_t p = e;
    while (p < f->n && p - e <= CONC_GAP) {
        if (f->norm[p] == ' ' || f->norm[p] == ':') {
            p++;
            continue;
        }
        if (p + 3 <= f->n && memcmp(f->norm + p, "】", 3) == 0) {
            p += 3; /* 【每袋活菌数】150亿: a cell's label */
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
    int64_t v = amount_at(f, p, pe, fam);
    *bound = v >= 0 ? bound_at(f, p, *pe) : 0;
    return v;
}

/* The amount right before a name starting at s (5%烟酰胺, 5% 烟酰胺, 300亿活菌). */
static int64_t amount_before(const struct field *f, uint32_t s, uint32_t *ps, int *fam, int *bound)
{
    uint32_t q = s;
    if (q > 0 && f->norm[q - 1] == ' ')
        q--;
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        size_t l = strlen(units[k].name);
        if (units[k].fam == FAM_MASS || q < l + 1 || memcmp(f->norm + q - l, units[k].name, l) != 0)
            continue; /* 5mg维生素 is rare; 500g燕麦 is the goods' weight */
        uint32_t p = q - (uint32_t)l;
        while (p > 0 && q - l - p < 12 && f->norm[p - 1] >= '0' && f->norm[p - 1] <= '9')
            p--;
        uint32_t end;
        int64_t v = amount_at(f, p, &end, fam);
        *ps = p;
        if (v < 0 || end != q)
            return -1;
        *bound = bound_at(f, p, end);
        return v;
    }
    return -1;
}

#define BASIS_REACH 48 /* bytes before a name or an amount in which its basis is said */

/* The basis an amount at norm offset p is said per: 每 (or 单) and the character after it, or
 * its amount (每100g), the nearest before p in its clause; *bs == *be when none. */
static void basis_of(const struct field *f, uint32_t p, uint32_t *bs, uint32_t *be)
{
    *bs = *be = 0;
    uint32_t lo = p > BASIS_REACH ? p - BASIS_REACH : 0;
    for (uint32_t q = p; q >= lo + 3; q--) {
        char c = f->norm[q - 1];
        if (c == ',' || c == ';' || c == '\n' || c == '!' || c == '?' ||
            memcmp(f->norm + q - 3, "。", 3) == 0)
            return;
        if (memcmp(f->norm + q - 3, "每", 3) != 0 && memcmp(f->norm + q - 3, "单", 3) != 0)
            continue;
        uint32_t e = q;
        while (e < p && ((f->norm[e] >= '0' && f->norm[e] <= '9') || f->norm[e] == '.'))
            e++;
        if (e > q) { /* 每100g, 每100ml */
            while (e < p && ascii_letter((unsigned char)f->norm[e]))
                e++;
        } else if (e + 3 <= p && sw__ideograph_at(f->norm, f->n, e)) {
            e += 3; /* 每片, 每粒 */
        }
        *bs = q; /* after 每 or 单: 单片 is 每片 */
        *be = e;
        return;
    }
}

/* The pairs of an ingredient and its amount in f, into v (CONC_MAX); their number. */
static int pairs_of(const struct sw_concs *cc, const struct field *f, struct conc *v)
{
    int n = 0;
    for (uint32_t p = 0; p < f->n && n < CONC_MAX; p++) {
        if (((unsigned char)f->norm[p] & 0xC0) == 0x80)
            continue;
        uint32_t len, ps, pe;
        int k = ing_at(cc, f, p, &len), fam, bound = 0;
        if (k < 0)
            continue;
        int64_t x = amount_after(f, p + len, &ps, &pe, &fam, &bound);
        if (x >= 0) {
            v[n++] = (struct conc){.ing = k, .fam = fam, .v = x, .s = p, .e = pe, .bound = bound};
        } else if ((x = amount_before(f, p, &ps, &fam, &bound)) >= 0) {
            v[n++] =
                (struct conc){.ing = k, .fam = fam, .v = x, .s = ps, .e = p + len, .bound = bound};
        }
        if (x >= 0)
            basis_of(f, v[n - 1].s, &v[n - 1].bs, &v[n - 1].be);
        p += len - 1;
    }
    return n;
}

/* Whether f holds a '%', or a digit and a content's unit other than a gram's (600mg, 300亿,
 * 400IU: a R_CONTENT_UNIT hit). */
static bool holds_amount(const struct field *f)
{
    if (f->n && memchr(f->norm, '%', f->n))
        return true;
    for (size_t i = 0; i < f->nhits; i++)
        if (sw__role(f, &f->hits[i]) == R_CONTENT_UNIT)
            return true;
    return false;
}

/* The same basis: both none, or the same words after 每 or 单; or none in the titles and a
 * piece in the detail (叶酸片 0.4mg against 每片含叶酸 0.8mg: a title's content is a piece's),
 * not an amount (每100g). */
static bool same_basis(const struct field *a, const struct conc *x, const struct field *b,
                       const struct conc *y)
{
    if (x->bs == x->be)
        return y->bs == y->be || sw__ideograph_at(b->norm, y->be, y->bs);
    return x->be - x->bs == y->be - y->bs &&
           memcmp(a->norm + x->bs, b->norm + y->bs, x->be - x->bs) == 0;
}

void sw__concentrations(const struct field *fs, const char *category, struct out *o)
{
    const struct sw_concs *cc = &fs[0].sc->concs;
    const struct field *d = &fs[SW_SF_DETAIL], *tf = &fs[SW_SF_TITLE];
    const struct field *sf = &fs[SW_SF_SHORT_TITLE];
    if (!cc->n || (!cc->cs.all && !sw__catset_match(&cc->cs, category)) ||
        !(holds_amount(tf) || holds_amount(sf)))
        return;
    struct conc t[2 * CONC_MAX], dv[CONC_MAX];
    int ntitle = pairs_of(cc, tf, t);
    int nt = ntitle + pairs_of(cc, sf, t + ntitle);
    if (nt == 0)
        return;
    int nd = pairs_of(cc, d, dv);
    for (int i = 0; i < nt; i++) {
        const struct field *f = i < ntitle ? tf : sf;
        bool one = t[i].bound >= 0, stated = false; /* an upper bound says too little */
        for (int j = 0; j < nt; j++)
            one &= t[j].ing != t[i].ing || t[j].fam != t[i].fam || t[j].v == t[i].v;
        int other = -1;
        for (int j = 0; j < nd; j++) {
            if (dv[j].ing != t[i].ing || dv[j].fam != t[i].fam)
                continue;
            /* a detail's lower bound agrees with a titles' amount from it up (300亿 and ≥100亿)
             * and contradicts nothing; the titles' lower bound, with an amount from it up */
            bool agree = dv[j].bound  ? dv[j].bound > 0 && t[i].v >= dv[j].v
                         : t[i].bound ? dv[j].v >= t[i].v
                                      : dv[j].v == t[i].v;
            stated |= agree; /* said anywhere, per whatever */
            if (!agree && !dv[j].bound && other < 0 &&
                (t[i].fam == FAM_PCT || same_basis(f, &t[i], d, &dv[j])))
                other = j;
        }
        if (!one || stated || other < 0)
            continue;
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
