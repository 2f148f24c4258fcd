/* Fibre contents (consistency.spec.fibres): a title that calls a fibre pure (纯棉, 全棉,
 * 100%桑蚕丝, 羊毛100%) or states its content (羊毛50%, 70%羊毛) against the composition the detail
 * states (面料：棉60% 聚酯纤维40%; 成分：羊毛30% 腈纶70%).
 *
 * The detail's contents are pairs of a fibre's name and a percentage, either way round (棉60%,
 * 60%棉, 含棉量95%). A pair belongs to the part of the garment named nearest before it in its
 * sentence: a part a pure shell may differ in (里料, 填充物, 罗纹: `excludes`) or the shell itself
 * (面料, 成分: `parts`). With no part named, the pair is the garment's. Then the claim is
 * contradicted by a content of the claimed fibre below 100% (纯棉 against 棉60%), or, when the
 * detail gives the claimed fibre no content at all, by another fibre's (100%桑蚕丝 against 聚酯
 * 纤维100%). One finding, on the first such pair. The names are matched longest first, so that
 * 人造棉 (viscose) or 太空棉 (polyester) is not cotton; a name followed by a `not_after` word
 * (纯棉手感) claims a feel, not a content.
 *
 * A title may also name a fibre (`named`: 桑蚕丝衬衫, 羊绒衫) as what the goods are made of: no
 * content, but contradicted when the detail gives the whole shell's contents (they add up to
 * 100%) without it (桑蚕丝衬衫 against 涤纶95% 氨纶5%), as a content below 100% is (95%棉 against
 * 聚酯纤维92% 氨纶8%). A fibre alone after the shell's label, with
 * no percentage (面料：聚酯纤维（涤纶）, 材质：棉), is the whole shell's.
 *
 * Cost: nothing unless the category is one of the rule's; then a walk over the titles, and over
 * the detail when a title claims a pure fibre, each position looked up by its first two bytes
 * (a bit each) before it is compared with the fibres' names. */
#include <stdio.h>
#include <string.h>

#include "scan/detect.h"

#define PCT_SKIP 8    /* bytes between a name and its percentage: 含量, 占, ':' */
#define PART_REACH 48 /* bytes before a pair in which its part is named */
#define PAIRS_MAX 16

struct pair {
    int fibre, pct;
    uint32_t s, e; /* normalised bytes of the detail */
};

/* The fibre whose name starts at p, the longest of them (*len its length); -1 when none. */
static int fibre_at(const struct sw_fibres *fb, const struct field *f, uint32_t p, uint32_t *len)
{
    int best = -1;
    *len = 0;
    const char c = f->norm[p];
    for (int k = 0; k < fb->n; k++)
        for (int w = 0; w < fb->names[k].n; w++) {
            uint32_t l = fb->names[k].len[w];
            if (l > *len && p + l <= f->n && fb->names[k].w[w][0] == c &&
                memcmp(f->norm + p, fb->names[k].w[w], l) == 0) {
                best = k;
                *len = l;
            }
        }
    return best;
}

/* Whether a name may start at p: a character's first byte whose hash has its bit. */
static bool may_start(const struct sw_fibres *fb, const struct field *f, uint32_t p)
{
    if (((unsigned char)f->norm[p] & 0xC0) == 0x80)
        return false;
    unsigned h = sw__fibre_hash((const unsigned char *)f->norm + p, f->n - p);
    return fb->starts[h >> 6] >> (h & 63) & 1;
}

/* 1 to 3 digits and '%' from p: the percentage, its end in *end; -1 when none. */
static int pct_from(const struct field *f, uint32_t p, uint32_t *end)
{
    int v = 0, d = 0;
    while (p < f->n && f->norm[p] >= '0' && f->norm[p] <= '9' && d < 4)
        v = v * 10 + (f->norm[p++] - '0'), d++;
    if (d == 0 || d > 3 || p >= f->n || f->norm[p] != '%')
        return -1;
    *end = p + 1;
    return v;
}

/* The percentage right after a name ending at e (棉60%, 棉:60%, 含棉量95%), or right before
 * its start s (60%棉): -1 when none. */
static int pct_after(const struct field *f, uint32_t e, uint32_t *pe)
{
    for (uint32_t p = e; p < f->n && p <= e + PCT_SKIP; p++) {
        if (f->norm[p] >= '0' && f->norm[p] <= '9')
            return pct_from(f, p, pe);
        if (f->norm[p] == '%' || (unsigned char)f->norm[p] == 0xFF || f->norm[p] == ',')
            break;
    }
    return -1;
}

static int pct_before(const struct field *f, uint32_t s, uint32_t *ps)
{
    if (s < 2 || f->norm[s - 1] != '%')
        return -1;
    uint32_t p = s - 1, end;
    while (p > 0 && f->norm[p - 1] >= '0' && f->norm[p - 1] <= '9' && s - 1 - p < 3)
        p--;
    *ps = p;
    return p < s - 1 ? pct_from(f, p, &end) : -1;
}

/* The length of the longest of `words` that ends at q, or 0. */
static uint32_t ends_at(const struct sw_words *words, const struct field *f, uint32_t q)
{
    uint32_t best = 0;
    for (int i = 0; i < words->n; i++) {
        uint32_t l = words->len[i];
        if (l > best && q >= l && memcmp(f->norm + q - l, words->w[i], l) == 0)
            best = l;
    }
    return best;
}

static bool sentence_end(char c)
{
    return c == '\n' || c == ';' || (unsigned char)c == 0xFF || c == '!' || c == '?';
}

/* Whether the part named nearest before s in its sentence is one a pure shell may differ in. */
static bool excluded(const struct sw_fibres *fb, const struct field *f, uint32_t s)
{
    uint32_t stop = s > PART_REACH ? s - PART_REACH : 0;
    for (uint32_t q = s; q > stop; q--) {
        if (sentence_end(f->norm[q - 1]) || (q >= 3 && memcmp(f->norm + q - 3, "。", 3) == 0))
            return false;
        if (sw__word_behind(f, &fb->excludes, q, 0))
            return true;
        uint32_t l = ends_at(&fb->parts, f, q);
        if (l) /* 面料 names the shell, but 里料成分 the lining */
            return sw__word_behind(f, &fb->excludes, q - l, 0);
    }
    return false;
}

/* Whether the name at p..e is one of `named` (真丝衬衫, 羊绒衫: the goods are made of it). */
static bool is_named(const struct sw_fibres *fb, const struct field *f, uint32_t p, uint32_t e)
{
    for (int i = 0; i < fb->named.n; i++)
        if (fb->named.len[i] == e - p && memcmp(f->norm + p, fb->named.w[i], e - p) == 0)
            return true;
    return false;
}

/* The fibre a title calls pure (*pct 100) or gives a content (羊毛50%, 50%羊毛: *pct 50), its span
 * in *cs..*ce; else the first one it names as the goods' material (桑蚕丝衬衫: *pct 0); -1 when
 * none. */
static int claimed(const struct sw_fibres *fb, const struct field *f, uint32_t *cs, uint32_t *ce,
                   int *pct)
{
    int named = -1;
    for (uint32_t p = 0; p < f->n; p++) {
        uint32_t len;
        int k = may_start(fb, f, p) ? fibre_at(fb, f, p, &len) : -1;
        if (k < 0)
            continue;
        uint32_t e = p + len, pe = e, ps = p, before = ends_at(&fb->claims, f, p);
        /* 70%羊毛 first: in 95%棉 5%氨纶 the 5% after 棉 is the next fibre's */
        int v = before ? -1 : pct_before(f, p, &ps);
        if (v < 0)
            v = pct_from(f, e, &pe);
        bool claim = before || (v > 0 && v <= 100);
        if (claim && !sw__word_ahead(f, &fb->not_after, e)) {
            *cs = before ? p - before : ps;
            *ce = pe;
            *pct = before ? 100 : v;
            return k;
        }
        if (named < 0 && !claim && is_named(fb, f, p, e) && !sw__word_ahead(f, &fb->not_after, e)) {
            named = k;
            *cs = p;
            *ce = e;
        }
        p = e - 1;
    }
    *pct = 0;
    return named;
}

/* Whether bytes of the original were dropped right before output offset q (a space between two
 * words: 聚酯纤维 尺码). */
static bool dropped_before(const struct field *f, uint32_t q)
{
    if (q == 0 || q >= f->n)
        return false;
    uint32_t s = q - 1;
    while (s > 0 && ((unsigned char)f->norm[s] & 0xC0) == 0x80)
        s--;
    uint32_t o = f->map[s];
    int l = sw_utf8_len((const unsigned char *)f->orig + o, f->olen - o);
    return f->map[q] > o + (uint32_t)(l > 0 ? l : 1);
}

/* The text at norm offset ps follows a space in a row of cells parted by bars. */
static bool in_row(const struct field *f, uint32_t ps)
{
    uint32_t o = f->map[ps], e = o;
    while (e > 0 && f->orig[e - 1] == ' ')
        e--;
    return e < o && sw__after_space_in_row(f, e) == o;
}

/* A fibre named alone, with no content, right after the shell's label (面料：聚酯纤维（涤纶）,
 * 材质：棉, or after a fabric's trade name: 面料：冰丝（聚酯纤维）): the whole shell. What follows
 * it may be a bracket, then the end of the sentence, a comma or a space, or another name of the
 * same fibre; not another fibre (成分：棉 氨纶 is a blend whose contents are not given). */
static bool alone_after_part(const struct sw_fibres *fb, const struct field *f, int k, uint32_t ps,
                             uint32_t pe)
{
    /* a fabric's trade name with the fibre in brackets after it (面料：冰丝（聚酯纤维）) */
    uint32_t t = fb->fabrics.n && dropped_before(f, ps) ? ends_at(&fb->fabrics, f, ps) : 0;
    ps -= t;
    /* the label's colon, or the 】 that closes its cell (【面料成分】聚酯纤维), or a space in a
     * row of cells parted by bars (参数：面料 聚酯纤维｜颜色 黑色) */
    uint32_t c = ps >= 2 && f->norm[ps - 1] == ':'                   ? 1
                 : ps >= 4 && memcmp(f->norm + ps - 3, "】", 3) == 0 ? 3
                                                                     : 0;
    if (!c && !in_row(f, ps))
        return false;
    uint32_t l = ends_at(&fb->parts, f, ps - c);
    if (!l || sw__word_behind(f, &fb->excludes, ps - c - l, 0))
        return false;
    uint32_t q = pe;
    if (q < f->n && f->norm[q] == '(') {
        while (q < f->n && q < pe + 32 && f->norm[q] != ')' && !sentence_end(f->norm[q]))
            q++;
        if (q >= f->n || f->norm[q] != ')')
            return false;
        q++;
    }
    if (fb->fabrics.n && q < f->n && dropped_before(f, q)) /* 聚酯纤维（冰丝）: its trade name */
        for (int i = 0; i < fb->fabrics.n; i++)
            if (q + fb->fabrics.len[i] <= f->n &&
                memcmp(f->norm + q, fb->fabrics.w[i], fb->fabrics.len[i]) == 0) {
                q += fb->fabrics.len[i];
                break;
            }
    if (q >= f->n || sentence_end(f->norm[q]) || f->norm[q] == ',' || f->norm[q] == '/' ||
        f->norm[q] == '|' || (q + 3 <= f->n && memcmp(f->norm + q, "。", 3) == 0))
        return true;
    uint32_t
        len; /* another name of the same fibre may follow (聚酯纤维（涤纶）: brackets dropped) */
    int next = may_start(fb, f, q) ? fibre_at(fb, f, q, &len) : -1;
    return next == k || (next < 0 && dropped_before(f, q));
}

/* The detail's contents, written one way throughout: name then percentage (棉95% 氨纶5%) or
 * percentage then name (95%棉 5%氨纶), as the first name that can be read only one way says
 * (in 棉95%氨纶5%, 95% is both after 棉 and before 氨纶). */
static int pairs_of(const struct sw_fibres *fb, const struct field *f, struct pair *v)
{
    int n = 0, after = -1;
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t p = 0; p < f->n && n < PAIRS_MAX; p++) {
            uint32_t len, ps = p, pe = p;
            int k = may_start(fb, f, p) ? fibre_at(fb, f, p, &len) : -1;
            if (k < 0)
                continue;
            int a = pct_after(f, p + len, &pe), b = pct_before(f, p, &ps);
            p += len - 1;
            if (pass == 0) {
                if (after < 0 && (a < 0) != (b < 0))
                    after = a >= 0;
                continue;
            }
            int pct = after < 0 ? -1 : after ? a : b;
            if (after)
                ps = p + 1 - len;
            if (!after)
                pe = p + 1;
            if (pct < 0 && alone_after_part(fb, f, k, p + 1 - len, p + 1)) {
                ps = p + 1 - len;
                pe = p + 1;
                pct = 100;
            }
            if (pct > 0 && pct <= 100 && !excluded(fb, f, ps))
                v[n++] = (struct pair){k, pct, ps, pe};
        }
    return n;
}

/* Whether the detail gives fibre k the content pct anywhere, either way round (旧版70%羊毛已售完，
 * 新版成分为羊毛50%: the order pairs_of reads is the first one's). */
static bool states_content(const struct sw_fibres *fb, const struct field *d, int k, int pct)
{
    for (uint32_t p = 0; p < d->n; p++) {
        uint32_t len, pe, ps;
        if (!may_start(fb, d, p) || fibre_at(fb, d, p, &len) != k)
            continue;
        if (pct_after(d, p + len, &pe) == pct || pct_before(d, p, &ps) == pct)
            return true;
        p += len - 1;
    }
    return false;
}

void sw__fibres(const struct field *fs, const char *cat, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    const struct sw_fibres *fb = &sc->fibres;
    const struct field *d = &fs[SW_SF_DETAIL];
    if (!fb->n || !d->n || (!fb->cs.all && !sw__catset_match(&fb->cs, cat)))
        return;
    static const int titles[] = {SW_SF_TITLE, SW_SF_SHORT_TITLE};
    int k = -1, tf = 0, pct = 0;
    uint32_t cs = 0, ce = 0;
    for (int i = 0; i < 2 && k < 0; i++) {
        tf = titles[i];
        k = claimed(fb, &fs[tf], &cs, &ce, &pct);
    }
    if (k < 0)
        return;
    struct pair v[PAIRS_MAX];
    int n = pairs_of(fb, d, v), hit = -1;
    bool own = false, agree = false;
    for (int i = 0; i < n; i++) {
        own |= v[i].fibre == k;
        agree |= v[i].fibre == k && v[i].pct == pct;
    }
    int total = 0;
    for (int i = 0; i < n; i++)
        total += v[i].pct;
    /* a fibre named as the material, or a content of it (95%棉): contradicted by a whole
     * shell's contents without it (聚酯纤维92% 氨纶8%) */
    if (pct < 100 && !own && n > 0 && total >= 99 && total <= 101)
        hit = 0;
    else if (pct == 0)
        return;
    agree |= pct < 100 && !agree && own && states_content(fb, d, k, pct);
    /* a pure fibre (pct 100): any lower content of it, or another fibre's when it has none; a
     * content (羊毛50%): another content of it, unless the detail states the same one too */
    for (int i = 0; i < n && hit < 0 && pct > 0 && (pct == 100 || !agree); i++)
        if (own ? v[i].fibre == k && v[i].pct != pct : pct == 100 && v[i].fibre != k)
            hit = i;
    if (hit < 0)
        return;
    uint32_t ts, te;
    sw__orig_span(&fs[tf], cs, ce, &ts, &te);
    struct finding *x = sw__add_at(o, &sc->spec, d, SW_SF_DETAIL, v[hit].s, v[hit].e);
    if (x) {
        uint32_t s, e;
        sw__orig_span(d, v[hit].s, v[hit].e, &s, &e);
        sw__evidence(o, x, "the detail says %.*s; the %s says %.*s", sw__ev_len(e - s), d->orig + s,
                     sw_scan_field_names[tf], sw__ev_len(te - ts), fs[tf].orig + ts);
    }
}

bool sw__fibre_content_at(const struct field *f, const char *cat, uint32_t p)
{
    const struct sw_fibres *fb = &f->sc->fibres;
    if (!fb->n || p == 0 || (!fb->cs.all && !sw__catset_match(&fb->cs, cat)))
        return false;
    if (f->norm[p - 1] == ':')
        p--;
    for (int k = 0; k < fb->n; k++)
        if (ends_at(&fb->names[k], f, p))
            return true;
    return false;
}
