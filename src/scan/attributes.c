/* Attributes a listing states in words (consistency.attributes, RULES.md §3: a spec that
 * differs between title, detail and structured fields): colour, material grade, freshness,
 * cold chain, network, sleeves, flavour, origin... Each attribute is policy data: its kinds
 * (black, white...; 304, 201...), each kind's names (黑色, 曜石黑, 幻夜黑), the categories it
 * applies to, and optionally the labels that make a name in the detail the listing's own
 * (颜色：冰川白; 产地：陕西洛川), the words after a name that make it no statement (冷冻保存 is
 * storage advice), and whether shipping_method states it too (冷链 against 普通快递).
 *
 * Three sources, the titles (title and short title), the detail and the structured field,
 * each name a set of kinds: a name negated (非冷冻), inside a longer name (粉红色 holds 红色),
 * in an exception (新疆、西藏除外), for some regions' buyers (偏远地区发普通快递) or of another
 * variant (另有白色) names none, and so does one in the detail without its label when the
 * attribute has labels. A finding, one per attribute at most, when two sources name kinds
 * and share none: 曜石黑 in the title against 颜色：冰川白（仅此一色）, 304不锈钢 against 201
 * 不锈钢, 鲜活 against 冰冻发货. A source that names none contradicts nothing.
 *
 * Cost: an attribute without labels has its names as patterns (R_ATTR_NAME): a listing that
 * names none costs nothing. One with labels has only its labels as patterns (R_ATTR_LABEL); its
 * names (origin alone has 150) are looked up in the words after a label in the detail and, when
 * those name one, in the titles: a cost only for listings whose detail has such a label (a
 * pattern each would cost every listing: 150 of them took 1.5 M of the bench's 86 M
 * instructions). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/compile_int.h"
#include "scan/detect.h"

#define ATTR_KIND_BITS 6 /* a name's owner: attribute << 6 | kind */
#define ATTR_KINDS_MAX 63
#define ATTR_MAX 48
#define LABEL_REACH_DEFAULT 12
#define EXCEPTION_AHEAD 12 /* 新疆、西藏、青海除外 */

/* ---- compiling ---- */

/* `claims` {after, before, imports, home}: what makes a name in the titles a claim. */
static void claims(struct builder *b, const json_t *e, const char *path, struct sw_attribute *a)
{
    const json_t *c = json_object_get(e, "claims");
    if (!c)
        return;
    char q[224];
    snprintf(q, sizeof q, "%s.claims", path);
    static const char *const allowed[] = {"after", "before", "not_before", "imports", "home", NULL};
    sw_json_closed(b->problems, c, q, allowed);
    if (!a->labelled)
        problem(b, q, "needs labels (a claim is read where the detail's label names a kind)");
    static const char *const lists[] = {"after", "before", "not_before", "imports"};
    struct sw_words *w[] = {&a->claim_after, &a->claim_before, &a->claim_not_before,
                            &a->claim_imports};
    for (int i = 0; i < 4; i++) {
        char lq[240];
        snprintf(lq, sizeof lq, "%s.%s", q, lists[i]);
        sw__collect_words(b, lq, json_object_get(c, lists[i]), w[i]);
    }
    const json_t *home = json_object_get(c, "home"); /* a kind, or a list of them */
    json_t *one = json_is_string(home) ? json_pack("[O]", home) : NULL;
    const json_t *list = one ? one : home;
    if (home && !json_is_array(list))
        problem(b, q, "home must be a kind or a list of kinds");
    size_t i;
    const json_t *h;
    json_array_foreach(list, i, h)
    {
        int found = -1;
        for (int k = 0; k < a->nkinds && found < 0; k++)
            if (a->kind[k] && json_is_string(h) && strcmp(a->kind[k], json_string_value(h)) == 0)
                found = k;
        if (found < 0)
            problem(b, q, "home[%zu] is not one of the kinds", i);
        else
            a->claim_home |= 1ull << found;
    }
    json_decref(one);
}

/* `substitutes`: {labels, after}, the labels matched as the attribute's others. */
static void substitutes(struct builder *b, const json_t *o, const char *path, int ai,
                        struct sw_attribute *a)
{
    if (!o)
        return;
    char q[240];
    snprintf(q, sizeof q, "%s.substitutes", path);
    static const char *const allowed[] = {"labels", "after", "note", NULL};
    if (!json_is_object(o)) {
        problem(b, q, "must be an object {labels, after}");
        return;
    }
    sw_json_closed(b->problems, o, q, allowed);
    snprintf(q, sizeof q, "%s.substitutes.labels", path);
    sw__add_words(b, q, json_object_get(o, "labels"), R_ATTR_LABEL, ai, false);
    sw__collect_words(b, q, json_object_get(o, "labels"), &a->subst_labels);
    snprintf(q, sizeof q, "%s.substitutes.after", path);
    sw__collect_words(b, q, json_object_get(o, "after"), &a->subst_after);
}

/* `compound`: {categories, ends: {character: kind}}, read once the kinds are known. */
static void compound(struct builder *b, const json_t *o, const char *path, struct sw_attribute *a)
{
    if (!o)
        return;
    char q[240];
    snprintf(q, sizeof q, "%s.compound", path);
    static const char *const allowed[] = {"categories", "ends", "not", "note", NULL};
    sw_json_closed(b->problems, o, q, allowed);
    sw__catset_of(b, o, q, &a->compound_cs);
    char nq[256];
    snprintf(nq, sizeof nq, "%s.not", q);
    sw__collect_words(b, nq, json_object_get(o, "not"), &a->compound_not);
    for (int i = 0; i < a->compound_not.n; i++)
        if (a->compound_not.len[i] != 6)
            problem(b, nq, "%s must be two ideographs (the name's last two)", a->compound_not.w[i]);
    const json_t *ends = json_object_get(o, "ends");
    if (!json_is_object(ends) || json_object_size(ends) == 0 ||
        json_object_size(ends) > sizeof a->compound_end / sizeof a->compound_end[0]) {
        problem(b, q, "ends must be an object of 1-16 {character: kind}");
        return;
    }
    const char *ch;
    const json_t *kind;
    json_object_foreach((json_t *)ends, ch, kind)
    {
        int k = 0;
        while (k < a->nkinds && json_is_string(kind) &&
               strcmp(a->kind[k], json_string_value(kind)) != 0)
            k++;
        int l = 0;
        uint32_t cp = sw__cp_at(ch, strlen(ch), &l);
        if (k == a->nkinds || !json_is_string(kind))
            problem(b, q, "ends.%s must name one of the kinds", ch);
        else if (l != 3 || ch[3] || cp < 0x4E00 || cp > 0x9FFF)
            problem(b, q, "ends: %s must be one ideograph", ch);
        else {
            memcpy(a->compound_end[a->ncompound], ch, 4);
            unsigned h = ((unsigned char)ch[1] & 63u) << 6 | ((unsigned char)ch[2] & 63u);
            a->compound_last[h >> 6] |= 1ull << (h & 63);
            a->compound_kind[a->ncompound++] = k;
        }
    }
}

static void attribute(struct builder *b, const json_t *e, const char *path, int ai)
{
    struct sw_attribute *a = &b->sc->attrs.a[ai];
    static const char *const allowed[] = {
        "name", "categories", "labels",      "reach",       "not_after", "field",     "kinds",
        "note", "claims",     "short_title", "substitutes", "compound",  "label_not", NULL};
    sw_json_closed(b->problems, e, path, allowed);
    a->name = json_string_value(json_object_get(e, "name"));
    if (!a->name)
        problem(b, path, "must have a name");
    sw__catset_of(b, e, path, &a->cs);
    char q[224];
    snprintf(q, sizeof q, "%s.labels", path);
    sw__add_words(b, q, json_object_get(e, "labels"), R_ATTR_LABEL, ai, false);
    a->labelled = json_array_size(json_object_get(e, "labels")) > 0;
    substitutes(b, json_object_get(e, "substitutes"), path, ai, a);
    const json_t *reach = json_object_get(e, "reach");
    a->reach = reach ? (int)json_integer_value(reach) : LABEL_REACH_DEFAULT;
    if (reach && (!json_is_integer(reach) || a->reach < 1 || a->reach > 40))
        problem(b, path, "reach must be 1-40 characters");
    snprintf(q, sizeof q, "%s.not_after", path);
    sw__collect_words(b, q, json_object_get(e, "not_after"), &a->not_after);
    snprintf(q, sizeof q, "%s.label_not", path);
    sw__collect_words(b, q, json_object_get(e, "label_not"), &a->label_not);
    const json_t *field = json_object_get(e, "field");
    if (field &&
        !(json_is_string(field) && strcmp(json_string_value(field), "shipping_method") == 0))
        problem(b, path, "field may only be \"shipping_method\"");
    a->method = field != NULL;
    const json_t *st = json_object_get(e, "short_title");
    if (st && !json_is_boolean(st))
        problem(b, path, "short_title must be true or false");
    a->short_title = json_is_true(st);
    struct sw_attrs *at = &b->sc->attrs;
    if (a->short_title && at->nshort == (int)(sizeof at->shorts / sizeof at->shorts[0]))
        problem(b, path, "short_title: at most 4 attributes may be so");
    else if (a->short_title)
        at->shorts[at->nshort++] = ai;
    a->claim_home = 0;
    const json_t *kinds = json_object_get(e, "kinds");
    if (!json_is_array(kinds) || json_array_size(kinds) < 2 ||
        json_array_size(kinds) > ATTR_KINDS_MAX) {
        problem(b, path, "kinds must be an array of 2-%d {kind, names}", ATTR_KINDS_MAX);
        return;
    }
    a->kind = calloc(json_array_size(kinds), sizeof *a->kind);
    a->names = calloc(json_array_size(kinds), sizeof *a->names);
    if (!a->kind || !a->names)
        return;
    size_t i;
    const json_t *k;
    json_array_foreach(kinds, i, k)
    {
        snprintf(q, sizeof q, "%s.kinds[%zu]", path, i);
        static const char *const kallowed[] = {"kind", "names", NULL};
        sw_json_closed(b->problems, k, q, kallowed);
        a->kind[a->nkinds] = json_string_value(json_object_get(k, "kind"));
        if (!a->kind[a->nkinds]) {
            problem(b, q, "must be an object with kind and names");
            continue;
        }
        char nq[240];
        snprintf(nq, sizeof nq, "%s.names", q);
        int owner = ai << ATTR_KIND_BITS | a->nkinds;
        if (!a->labelled)
            sw__add_words(b, nq, json_object_get(k, "names"), R_ATTR_NAME, owner, true);
        else if (!json_object_get(k, "names"))
            problem(b, nq, "missing field");
        if (a->method || a->labelled)
            sw__collect_words(b, nq, json_object_get(k, "names"), &a->names[a->nkinds]);
        for (int w = 0; w < a->names[a->nkinds].n; w++) {
            const char *nw = a->names[a->nkinds].w[w];
            size_t nl = a->names[a->nkinds].len[w];
            unsigned h = sw__cp_hash(nw, nl), h2 = sw__pair_hash(nw, nl);
            a->starts[h >> 6] |= 1ull << (h & 63);
            if (h2 > 4095)
                a->single = true;
            else
                a->pairs[h2 >> 6] |= 1ull << (h2 & 63);
        }
        a->nkinds++;
    }
    claims(b, e, path, a);
    compound(b, json_object_get(e, "compound"), path, a);
}

void sw__build_attributes(struct builder *b, const json_t *list, const char *path)
{
    struct sw_attrs *at = &b->sc->attrs;
    if (!json_is_array(list) || json_array_size(list) > ATTR_MAX) {
        problem(b, path, "must be an array of up to %d attributes", ATTR_MAX);
        return;
    }
    at->a = calloc(json_array_size(list) + 1, sizeof *at->a);
    if (!at->a)
        return;
    size_t i;
    const json_t *e;
    json_array_foreach(list, i, e)
    {
        char p[200];
        snprintf(p, sizeof p, "%s[%zu]", path, i);
        if (!json_is_object(e)) {
            problem(b, p, "must be an object");
            continue;
        }
        attribute(b, e, p, at->n++);
    }
}

void sw__free_attributes(struct sw_attrs *at)
{
    for (int i = 0; i < at->n; i++) {
        struct sw_attribute *a = &at->a[i];
        for (int k = 0; a->names && k < a->nkinds; k++)
            sw__free_words(&a->names[k]);
        free(a->names);
        free(a->kind);
        free(a->cs.v);
        free(a->compound_cs.v);
        sw__free_words(&a->compound_not);
        sw__free_words(&a->not_after);
        sw__free_words(&a->label_not);
        sw__free_words(&a->claim_after);
        sw__free_words(&a->claim_before);
        sw__free_words(&a->claim_not_before);
        sw__free_words(&a->claim_imports);
        sw__free_words(&a->subst_labels);
        sw__free_words(&a->subst_after);
    }
    free(at->a);
}

/* ---- checking ---- */

/* SRC_SHORT: the short title's own too; SRC_TITLE: the title's own */
enum { SRC_TITLES, SRC_DETAIL, SRC_METHOD, SRC_SHORT, SRC_TITLE, NSRC };

struct source {
    uint64_t kinds;
    int field;     /* the first name's field (-1: shipping_method) */
    int kind;      /* and its kind */
    uint32_t s, e; /* its original bytes */
};

static bool sentence_stop(const struct field *f, uint32_t pos)
{
    unsigned char c = (unsigned char)f->norm[pos];
    return c == 0xFF || c == '\n' || c == '!' || c == '?' || c == ';' ||
           (pos + 3 <= f->n &&
            (memcmp(f->norm + pos, "。", 3) == 0 || memcmp(f->norm + pos, "【", 3) == 0));
}

/* An attribute of places or of delivery (an origin, a carrier's way), whose names a free-shipping
 * exception lists (包邮（新疆、西藏除外）, 不含海南); another's name before 不含 is said with no
 * exception (人造纤维毛（不含动物毛）). */
static bool places(const struct sw_attribute *a)
{
    return a->claim_home || a->claim_imports.n || a->claim_after.n || a->method;
}

/* Whether the name at norm [from, to) of attribute a states it in field fi: not negated, not
 * compared with (比白肉火龙果更甜), not followed by a not_after word, not in an exception
 * (新疆、西藏除外); in the detail, not said for some regions' buyers nor of another variant. */
static bool states(const struct field *f, int fi, const struct sw_attribute *a, uint32_t from,
                   uint32_t to)
{
    const struct sw_scanner *sc = f->sc;
    if (sw__negated(f, from) || (from >= 3 && memcmp(f->norm + from - 3, "比", 3) == 0) ||
        (a->not_after.n && sw__word_ahead(f, &a->not_after, to)) ||
        (places(a) && sw__word_ahead_before_comma(f, &sc->ship_exceptions, to, EXCEPTION_AHEAD)))
        return false;
    return fi != SW_SF_DETAIL || !(sw__word_behind_in_clause(f, &sc->ship_regions, from, 12) ||
                                   sw__word_behind_in_clause(f, &sc->spec_others, from, 8));
}

static void note(struct source *s, const struct field *f, int fi, int k, uint32_t from, uint32_t to)
{
    if (s->kinds >> k & 1u)
        return;
    if (!s->kinds) {
        s->field = fi;
        s->kind = k;
        sw__orig_span(f, from, to, &s->s, &s->e);
    }
    s->kinds |= 1ull << k;
}

/* An unlabelled attribute's names: its patterns' hits. */
static void collect(const struct field *f, int fi, const struct sw_scanner *sc, const bool *applies,
                    struct source src[][NSRC])
{
    int which = fi == SW_SF_DETAIL ? SRC_DETAIL : SRC_TITLES;
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        if (sw__role(f, h) != R_ATTR_NAME)
            continue;
        int owner = sw__owner(f, h), ai = owner >> ATTR_KIND_BITS,
            k = owner & ((1 << ATTR_KIND_BITS) - 1);
        /* a longer name of the same attribute holds it (粉红色: 红色); another attribute's name
         * around it (5G全网通, the network's) leaves it its own */
        if (ai < sc->attrs.n && applies[ai] &&
            !sw__covered_group(f, h, R_ATTR_NAME, (unsigned)ai << ATTR_KIND_BITS,
                               ~((1u << ATTR_KIND_BITS) - 1), true) &&
            states(f, fi, &sc->attrs.a[ai], h->from, h->to)) {
            note(&src[ai][which], f, fi, k, h->from, h->to);
            if (fi == SW_SF_SHORT_TITLE)
                note(&src[ai][SRC_SHORT], f, fi, k, h->from, h->to);
            else if (fi == SW_SF_TITLE)
                note(&src[ai][SRC_TITLE], f, fi, k, h->from, h->to);
        }
    }
}

/* The longest name of attribute a at norm offset pos: its kind (-1: none), its length in *len. */
static int name_at(const struct field *f, const struct sw_attribute *a, uint32_t pos, uint32_t *len)
{
    int best = -1;
    *len = 0;
    unsigned hs = sw__cp_hash(f->norm + pos, f->n - pos);
    if (!(a->starts[hs >> 6] >> (hs & 63) & 1))
        return -1;
    if (!a->single) { /* 大红: 大 starts many words, 大红 few */
        unsigned h2 = sw__pair_hash(f->norm + pos, f->n - pos);
        if (h2 > 4095 || !(a->pairs[h2 >> 6] >> (h2 & 63) & 1))
            return -1;
    }
    char c = f->norm[pos];
    for (int k = 0; k < a->nkinds; k++)
        for (int i = 0; i < a->names[k].n; i++) {
            uint32_t l = a->names[k].len[i];
            if (l > *len && a->names[k].w[i][0] == c && pos + l <= f->n &&
                memcmp(f->norm + pos, a->names[k].w[i], l) == 0) {
                *len = l;
                best = k;
            }
        }
    return best;
}

/* A compound name of n ideographs (2 or 3) at norm offset pos (冰川银, 冰川银色; 砂金 after a
 * label): the last one of a's ends, 色 or nothing after them, no ideograph right before or
 * after in the original text, its last two no word of compound_not; its kind (-1: none) and
 * its length in *len. */
static int compound_of(const struct field *f, const struct sw_attribute *a, uint32_t pos,
                       uint32_t n, uint32_t *len)
{
    uint32_t end = pos + n * 3;
    if (end > f->n)
        return -1;
    unsigned h =
        ((unsigned char)f->norm[end - 2] & 63u) << 6 | ((unsigned char)f->norm[end - 1] & 63u);
    if (!(a->compound_last[h >> 6] >> (h & 63) & 1))
        return -1;
    for (uint32_t c = pos; c < end - 3; c += 3)
        if (!sw__ideograph_at(f->norm, f->n, c))
            return -1;
    int k = -1;
    for (int i = 0; i < a->ncompound && k < 0; i++)
        if (memcmp(f->norm + end - 3, a->compound_end[i], 3) == 0)
            k = a->compound_kind[i];
    if (k < 0)
        return -1;
    for (int i = 0; i < a->compound_not.n; i++)
        if (a->compound_not.len[i] == 6 && memcmp(f->norm + end - 6, a->compound_not.w[i], 6) == 0)
            return -1; /* 铝合金: a metal, no colour */
    *len = n * 3;
    if (end + 3 <= f->n && memcmp(f->norm + end, "色", 3) == 0)
        *len += 3;
    uint32_t s, e;
    sw__orig_span(f, pos, pos + *len, &s, &e);
    if (e - s != *len || (e < f->olen && sw__han_at(f->orig + e, f->olen - e)))
        return -1;
    if (s == 0)
        return k;
    uint32_t b = s - 1;
    while (b > 0 && ((unsigned char)f->orig[b] & 0xC0) == 0x80)
        b--;
    return sw__han_at(f->orig + b, f->olen - b) ? -1 : k;
}

/* A compound name at pos: three ideographs anywhere it is read, or two in a label's value
 * (颜色：砂金 / 杏仁白), where a word of two is a colour's more often than not. */
static int compound_at(const struct field *f, const struct sw_attribute *a, uint32_t pos,
                       bool labelled, uint32_t *len)
{
    int k = compound_of(f, a, pos, 3, len);
    return k < 0 && labelled ? compound_of(f, a, pos, 2, len) : k;
}

/* The length of the longest of `words` at pos (0: none). */
static uint32_t word_len_at(const struct field *f, const struct sw_words *words, uint32_t pos)
{
    uint32_t best = 0;
    for (int i = 0; i < words->n; i++) {
        uint32_t l = words->len[i];
        if (l > best && pos + l <= f->n && memcmp(f->norm + pos, words->w[i], l) == 0)
            best = l;
    }
    return best;
}

#define PART_REACH 6   /* a part's word starts fewer bytes after a claim: 日本进口VG10钢 */
#define SUBST_REACH 16 /* characters back from a substitute's label to a word of its after */

/* A not_after word starting right after a claim or up to PART_REACH bytes later (日本进口VG10钢,
 * 新西兰进口黄油): the claim is a part's. */
static bool part_after(const struct field *f, const struct sw_attribute *a, uint32_t p)
{
    for (uint32_t q = p; a->not_after.n && q < f->n && q < p + PART_REACH; q++) {
        if ((unsigned char)f->norm[q] == 0xFF)
            return false;
        if (((unsigned char)f->norm[q] & 0xC0) != 0x80 && sw__word_ahead(f, &a->not_after, q))
            return true;
    }
    return false;
}

/* Whether the name of kind k at norm [from, to) of a title is a claim of the attribute (an
 * attribute without after or before words: always, but for a home kind followed by an import
 * word). A claim followed by a not_after word is of something else (新西兰进口奶源: the milk's). */
static bool claimed(const struct field *f, const struct sw_attribute *a, int k, uint32_t from,
                    uint32_t to)
{
    uint32_t at = to < f->n && f->norm[to] == ' ' ? to + 1 : to; /* 大连 进口 */
    if ((a->claim_home >> k & 1) && word_len_at(f, &a->claim_imports, at))
        return false; /* a home place, then an import word: where goods came in */
    if (!a->claim_after.n && !a->claim_before.n)
        return true;
    if (sw__word_behind(f, &a->claim_not_before, from, 0))
        return false; /* 引进德国生产线, 吊打国产: what is compared or brought in */
    uint32_t l = word_len_at(f, &a->claim_after, to);
    if (l)
        return !part_after(f, a, to + l);
    if (sw__word_behind(f, &a->claim_before, from, 0))
        return true;
    for (int i = 0; i < a->claim_after.n; i++) /* 国产: a name that is its own claim */
        if (a->claim_after.len[i] < to - from &&
            memcmp(f->norm + to - a->claim_after.len[i], a->claim_after.w[i],
                   a->claim_after.len[i]) == 0)
            return true;
    return false;
}

/* A labelled attribute's names in field f from `from` on, up to `reach` characters (all of
 * the field when reach < 0), stopping at a sentence's end when bounded. */
static void read_names(const struct field *f, int fi, const struct sw_attribute *a, uint32_t from,
                       int reach, bool comp, struct source *s)
{
    uint32_t pos = from;
    for (int step = 0; pos < f->n && (reach < 0 || step <= reach); step++) {
        if (reach >= 0 && sentence_stop(f, pos))
            return;
        uint32_t len;
        int k = name_at(f, a, pos, &len);
        if (k >= 0) { /* a name that states nothing still holds no shorter one (德国产: 国产) */
            if (states(f, fi, a, pos, pos + len) &&
                (fi == SW_SF_DETAIL || claimed(f, a, k, pos, pos + len)))
                note(s, f, fi, k, pos, pos + len);
            pos += len;
            continue;
        }
        if (comp && (k = compound_at(f, a, pos, reach >= 0, &len)) >= 0) {
            if (states(f, fi, a, pos, pos + len))
                note(s, f, fi, k, pos, pos + len);
            pos += len;
            continue;
        }
        int l = 0;
        sw__cp_at(f->norm + pos, f->n - pos, &l);
        pos += (uint32_t)(l > 0 ? l : 1);
    }
}

/* Whether label hit h is one of a's substitutes with no word of its `after` before it in its
 * sentence (赠送数据线一根，默认发黑色: a gift's colour, no goods'): its names are not read. */
static bool substitute(const struct field *d, const struct sw_attribute *a, const struct hit *h)
{
    uint32_t l = h->to - h->from;
    for (int i = 0; i < a->subst_labels.n; i++)
        if (a->subst_labels.len[i] == l && memcmp(d->norm + h->from, a->subst_labels.w[i], l) == 0)
            return !sw__word_before_unless(d, &a->subst_after, NULL, h->from, SUBST_REACH);
    return false;
}

/* A labelled attribute's names in the short title (SRC_SHORT) and the title (SRC_TITLE), and
 * in both (SRC_TITLES: the title's first name, else the short title's). With `short_first`
 * the title is not read when the short title names none. */
static void titles_names(const struct field *fs, const struct sw_attribute *a, struct source *src,
                         bool short_first, bool comp)
{
    if (fs[SW_SF_SHORT_TITLE].n)
        read_names(&fs[SW_SF_SHORT_TITLE], SW_SF_SHORT_TITLE, a, 0, -1, comp, &src[SRC_SHORT]);
    if (short_first && !src[SRC_SHORT].kinds)
        return;
    if (fs[SW_SF_TITLE].n)
        read_names(&fs[SW_SF_TITLE], SW_SF_TITLE, a, 0, -1, comp, &src[SRC_TITLE]);
    src[SRC_TITLES] = src[SRC_TITLE].kinds ? src[SRC_TITLE] : src[SRC_SHORT];
    src[SRC_TITLES].kinds |= src[SRC_SHORT].kinds;
}

/* A labelled attribute: the names after each of its labels in the detail, then, when those
 * name any, the names anywhere in the titles. */
static void labelled(const struct field *fs, int ai, const struct sw_attribute *a,
                     struct source *src, bool comp)
{
    const struct field *d = &fs[SW_SF_DETAIL];
    for (size_t i = 0; i < d->nhits; i++) {
        const struct hit *h = &d->hits[i];
        if (sw__role(d, h) == R_ATTR_LABEL && sw__owner(d, h) == ai &&
            !(a->subst_labels.n && substitute(d, a, h)) &&
            !(a->label_not.n && sw__word_ahead(d, &a->label_not, h->to)))
            read_names(d, SW_SF_DETAIL, a, h->to, a->reach, comp, &src[SRC_DETAIL]);
    }
    bool two = fs[SW_SF_TITLE].n && fs[SW_SF_SHORT_TITLE].n;
    if (src[SRC_DETAIL].kinds || (a->short_title && two))
        titles_names(fs, a, src, !src[SRC_DETAIL].kinds, comp);
}

static const char *const src_says[] = {"the titles say", "the detail says", "shipping_method says",
                                       "the short title says", "the title says"};

static void compare(const struct field *fs, const struct sw_listing *l,
                    const struct sw_attribute *a, struct source *src, struct out *o)
{
    if (a->method)
        src[SRC_METHOD].kinds = sw__value_names(l->shipping_method, a->names, a->nkinds);
    /* the short title is cut from the title: what it names the detail must name too */
    static const int pairs[][2] = {{SRC_TITLES, SRC_DETAIL},
                                   {SRC_TITLES, SRC_METHOD},
                                   {SRC_DETAIL, SRC_METHOD},
                                   {SRC_SHORT, SRC_DETAIL},
                                   {SRC_SHORT, SRC_TITLE}};
    for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
        const struct source *x = &src[pairs[p][0]], *y = &src[pairs[p][1]];
        if (!x->kinds || !y->kinds || (x->kinds & y->kinds))
            continue;
        int ky = pairs[p][1] == SRC_METHOD ? __builtin_ctzll(y->kinds) : y->kind;
        const struct field *f = &fs[x->field];
        struct finding *fd = sw__add(o, &f->sc->attrs.r, x->field, x->s, x->e);
        if (pairs[p][1] == SRC_METHOD)
            sw__evidence(o, fd, "%s: %s %.*s (%s); shipping_method says %s (%s)", a->name,
                         src_says[pairs[p][0]], sw__ev_len(x->e - x->s), f->orig + x->s,
                         a->kind[x->kind], l->shipping_method, a->kind[ky]);
        else
            sw__evidence(o, fd, "%s: %s %.*s (%s); %s %.*s (%s)", a->name, src_says[pairs[p][0]],
                         sw__ev_len(x->e - x->s), f->orig + x->s, a->kind[x->kind],
                         src_says[pairs[p][1]], sw__ev_len(y->e - y->s), fs[y->field].orig + y->s,
                         a->kind[ky]);
        return;
    }
}

void sw__attributes(const struct field *fs, const struct sw_listing *l, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    const struct sw_attrs *at = &sc->attrs;
    if (at->n == 0)
        return;
    bool applies[ATTR_MAX];
    struct source src[ATTR_MAX][NSRC];
    memset(src, 0, sizeof src);
    for (int ai = 0; ai < at->n; ai++) {
        applies[ai] = sw__catset_match(&at->a[ai].cs, l->category);
        for (int s = 0; s < NSRC; s++)
            src[ai][s].field = -1;
    }
    for (int fi = 0; fi < SW_SF__COUNT; fi++)
        collect(&fs[fi], fi, sc, applies, src);
    for (int ai = 0; ai < at->n; ai++) {
        if (applies[ai] && at->a[ai].labelled)
            labelled(fs, ai, &at->a[ai], src[ai],
                     at->a[ai].ncompound && sw__catset_match(&at->a[ai].compound_cs, l->category));
        if (applies[ai] && (src[ai][SRC_TITLES].kinds || src[ai][SRC_DETAIL].kinds))
            compare(fs, l, &at->a[ai], src[ai], o);
    }
}

/* For a listing whose text holds no attribute's word (sw__attributes is not run): the short
 * title's names of each attribute kept for it (`short_title`: colours) against the title's. */
void sw__short_attributes(const struct field *fs, const struct sw_listing *l, struct out *o)
{
    const struct sw_attrs *at = &fs[0].sc->attrs;
    if (!at->nshort || !fs[SW_SF_TITLE].n || !fs[SW_SF_SHORT_TITLE].n)
        return;
    for (int i = 0; i < at->nshort; i++) {
        const struct sw_attribute *a = &at->a[at->shorts[i]];
        if (!a->labelled || !sw__catset_match(&a->cs, l->category))
            continue;
        struct source src[NSRC];
        memset(src, 0, sizeof src);
        for (int k = 0; k < NSRC; k++)
            src[k].field = -1;
        /* no label in the detail: no word of it at all; nor, for speed, compound names (read
         * in every such listing's titles they cost more than they found) */
        titles_names(fs, a, src, true, false);
        if (src[SRC_TITLES].kinds)
            compare(fs, l, a, src, o);
    }
}
