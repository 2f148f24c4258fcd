/* Matching and detectors. Each text field is normalised (offset map kept) and matched against
 * the policy's one Hyperscan database; the hits (pattern id + span in the normalised text) go
 * to the detectors, which decide what is a finding and map spans back to the original text. */
#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/detect.h"
#include "scan/normclass.h"

const char *const sw_scan_field_names[SW_SF__COUNT] = {"title", "short_title", "detail"};

static atomic_uint_fast64_t stat_listings, stat_bytes;

void sw_scan_stats(uint64_t *listings, uint64_t *bytes)
{
    *listings = atomic_load_explicit(&stat_listings, memory_order_relaxed);
    *bytes = atomic_load_explicit(&stat_bytes, memory_order_relaxed);
}

/* The widest span (bytes of normalised text) a fixed phrase can cover: 120 bytes of policy
 * text normalised. */
#define MAX_PHRASE (SW_NORM_CAP(120))

/* Which lists apply to a category, kept per thread for the last categories seen (a listing's
 * lists are otherwise matched against every list's categories on each scan). */
#define CAT_CACHE 16
#define CAT_LISTS 64
#define CAT_NAME 48
struct cat_applies {
    uint64_t gen; /* the scanner's */
    char cat[CAT_NAME];
    signed char applies[CAT_LISTS];
};

struct tls {
    struct cat_applies cats[CAT_CACHE];
    int ncats, next_cat;
    hs_scratch_t *scratch;
    uint64_t gen;
    char *norm;
    uint32_t *map;
    size_t cap;
    bool oom;
    uint64_t roles; /* 1 << role of every hit of the listing: detectors without one are skipped */
    bool lists;     /* the title counts kinds that the detail may list (sw__may_list) */
    struct field f[SW_SF__COUNT];
};

static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;

static void tls_free(void *p)
{
    struct tls *t = p;
    if (!t)
        return;
    hs_free_scratch(t->scratch);
    free(t->norm);
    free(t->map);
    for (int i = 0; i < SW_SF__COUNT; i++) {
        free(t->f[i].hits);
        free(t->f[i].runs.v);
        free(t->f[i].runs.maybe);
    }
    free(t);
}

static void tls_init(void)
{
    pthread_key_create(&tls_key, tls_free);
}

static struct tls *tls_get(const struct sw_scanner *sc)
{
    pthread_once(&tls_once, tls_init);
    struct tls *t = pthread_getspecific(tls_key);
    if (!t) {
        t = calloc(1, sizeof *t);
        if (!t || pthread_setspecific(tls_key, t) != 0) {
            free(t);
            return NULL;
        }
    }
    if (t->gen != sc->gen) {
        if (sc->db && hs_alloc_scratch(sc->db, &t->scratch) != HS_SUCCESS)
            return NULL;
        t->gen = sc->gen;
    }
    return t;
}

/* ---- hits ---- */

/* A hit over the whole listing (end offset g in tl->norm) goes to its field, in field
 * offsets. No pattern can match across the 0xFF between fields. */
static int add_hit(struct tls *tl, unsigned id, uint32_t g)
{
    struct field *f = &tl->f[SW_SF__COUNT - 1];
    while (f > tl->f && g <= f->start)
        f--;
    const struct sw_pat *p = &f->sc->pat[id];
    uint32_t t = g - f->start;
    if (f->nhits == f->hcap) {
        size_t cap = f->hcap ? f->hcap * 2 : 256;
        struct hit *h = realloc(f->hits, cap * sizeof *h);
        if (!h) {
            tl->oom = true;
            return 1;
        }
        f->hits = h;
        f->hcap = cap;
    }
    f->hits[f->nhits++] = (struct hit){id, t - p->len, t};
    tl->roles |= (uint64_t)1 << p->role;
    return 0;
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                    void *ctx)
{
    (void)from;
    (void)flags;
    return add_hit(ctx, id, (uint32_t)to);
}

/* The large word lists (struct sw_prefilter). The normaliser keeps a rolling key of the last
 * three three-byte characters it writes (sw_pf_key) and, per character, tests one bit of its
 * hash (struct sw_runs: pf_bits): each field's `maybe` holds the ends of the keys whose bit is
 * set. Here the rare "maybe" compares the terms of its slot. Any other character clears the
 * key, and a key that holds fewer than three characters since then has its top 16 bits clear,
 * which no term's key has: its slot never matches, so `at` is always the start of three
 * three-byte characters. */
static void prefilter(struct tls *tl, const struct sw_prefilter *pf, uint32_t total)
{
    const unsigned char *s = (const unsigned char *)tl->norm;
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &tl->f[fi];
        for (size_t m = 0; m < f->runs.maybe_n; m++) {
            uint32_t p = f->start + f->runs.maybe[m], at = p - SW_PF_PREFIX;
            /* the key the normaliser tested, when its last three characters are three-byte ones
             * (otherwise its top bits were clear: no term's) */
            if (f->runs.maybe[m] < SW_PF_PREFIX || (s[at] & 0xF0) != 0xE0 ||
                (s[at + 3] & 0xF0) != 0xE0 || (s[at + 6] & 0xF0) != 0xE0)
                continue;
            uint64_t key = sw_pf_key(s + at);
            uint32_t k = sw_pf_slot(key, pf->slot_mask);
            while (pf->slots[k].key && pf->slots[k].key != key)
                k = (k + 1) & pf->slot_mask;
            const struct sw_pf_slot *sl = &pf->slots[k];
            for (uint32_t i = 0; sl->key && i < sl->count; i++) {
                uint32_t pid = pf->pids[sl->first + i];
                uint32_t len = tl->f[0].sc->pat[pid].len;
                if (at + len <= total && memcmp(s + at, pf->text[pid], len) == 0 &&
                    add_hit(tl, pid, at + len))
                    return;
            }
        }
    }
}

static int hit_cmp(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    if (x->from != y->from)
        return x->from > y->from ? -1 : 1;
    return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* First hit with to >= pos. */

/* A hit of `r` (owner when >= 0) that covers h's span; `longer` asks for a strictly longer
 * one. Such a hit ends at or after h and at most MAX_PHRASE bytes after h starts: the look
 * starts at h's own index (hits are sorted by end) and reads that window only. */
bool sw__covered(const struct field *f, const struct hit *h, int r, int own, bool longer)
{
    return sw__covered_group(f, h, r, own >= 0 ? (unsigned)own : 0, own >= 0 ? ~0u : 0, longer);
}

bool sw__covered_group(const struct field *f, const struct hit *h, int r, unsigned own,
                       unsigned mask, bool longer)
{
    uint32_t from = h->from, to = h->to, hi = from + MAX_PHRASE;
    size_t i = (size_t)(h - f->hits);
    while (i > 0 && f->hits[i - 1].to >= to)
        i--;
    for (; i < f->nhits && f->hits[i].to <= hi; i++) {
        const struct hit *c = &f->hits[i];
        if (c->from > from || sw__role(f, c) != r || ((unsigned)sw__owner(f, c) & mask) != own)
            continue;
        if (!longer || c->to - c->from > to - from)
            return true;
    }
    return false;
}

static inline bool word_ends_at(const struct field *f, const struct sw_words *words, uint32_t pos)
{
    for (int i = 0; (pos < 2 || sw__words_may_end(words, f->norm + pos)) && i < words->n; i++) {
        uint32_t l = words->len[i];
        if (pos >= l && memcmp(f->norm + pos - l, words->w[i], l) == 0)
            return true;
    }
    return false;
}

/* Walking back from pos over at most gap characters: 1 when a word of `first` ends at a
 * position first, 2 when one of `second` does (NULL: none), 0 when neither. */
static inline int behind(const struct field *f, const struct sw_words *first,
                         const struct sw_words *second, uint32_t pos, int gap)
{
    for (int g = 0; g <= gap; g++) {
        if (word_ends_at(f, first, pos))
            return 1;
        if (second && word_ends_at(f, second, pos))
            return 2;
        if (pos == 0)
            return 0;
        do /* one character back */
            pos--;
        while (pos > 0 && ((unsigned char)f->norm[pos] & 0xC0) == 0x80);
    }
    return 0;
}

/* One of `words` ends at `pos`, or up to `gap` characters before it. */
bool sw__word_behind(const struct field *f, const struct sw_words *words, uint32_t pos, int gap)
{
    return behind(f, words, NULL, pos, gap) == 1;
}

bool sw__word_behind_unless(const struct field *f, const struct sw_words *words,
                            const struct sw_words *but, uint32_t pos, int gap)
{
    return behind(f, but, words, pos, gap) == 2;
}

/* One of `words` starts at `pos`. */
bool sw__word_ahead(const struct field *f, const struct sw_words *words, uint32_t pos)
{
    if (pos >= f->n)
        return false;
    char c = f->norm[pos];
    for (int i = 0; i < words->n; i++) {
        uint32_t l = words->len[i];
        /* the first byte and the third (a character's last, mostly) before a call */
        if (words->w[i][0] == c && pos + l <= f->n &&
            (l < 3 || words->w[i][2] == f->norm[pos + 2]) &&
            memcmp(f->norm + pos, words->w[i], l) == 0)
            return true;
    }
    return false;
}

/* A negation right before, or one character before ("不能治疗", "不可以治疗"), that is not part
 * of a word ending there (`not_negations`: 南非红心西柚, 非洲). */
bool sw__negated(const struct field *f, uint32_t from)
{
    /* the one character between (不可以治疗) is a word's, not a mark ending the clause: the 没
     * of 一抹就没，永久去除 negates nothing after its comma */
    uint32_t p = from;
    while (p > 0 && ((unsigned char)f->norm[--p] & 0xC0) == 0x80)
        ;
    int gap = p < from && (sw__is_alnum(f->norm[p]) || sw__ideograph_at(f->norm, from, p));
    return sw__word_behind(f, &f->sc->negations, from, gap) &&
           !(f->sc->not_negations.n && sw__word_behind(f, &f->sc->not_negations, from, 1));
}

static void three_no(const struct sw_scanner *sc, const struct sw_listing *l, struct out *o)
{
    static const char *const names[] = {"production_date", "quality_cert", "manufacturer"};
    bool have[] = {l->has_production_date, l->has_quality_cert, l->has_manufacturer};
    for (int i = 0; i < 3; i++) {
        if (have[i])
            continue;
        struct finding *x = sw__add(o, &sc->three_no, -1, 0, 0);
        if (x) {
            x->where = names[i];
            sw__evidence(o, x, "no %s", names[i]);
        }
    }
}

/* ---- entry ---- */

/* Normalises the three fields into one buffer, 0xFF after each (a byte no UTF-8 text and no
 * pattern has), and matches them with one Hyperscan call. */
static int normalise_and_match(struct tls *tl, const struct sw_scanner *sc,
                               const struct sw_listing *l, struct sw_error *err)
{
    size_t need = 0;
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        size_t len = l->text[fi] ? l->len[fi] : 0;
        if (len > UINT32_MAX / 4)
            return sw_fail(err, SW_E_PAYLOAD_TOO_LARGE, sw_scan_field_names[fi], "text too long");
        need += SW_NORM_CAP(len) + 1;
    }
    if (need > UINT32_MAX / 2)
        return sw_fail(err, SW_E_PAYLOAD_TOO_LARGE, NULL, "listing too long");
    if (need > tl->cap) {
        char *n = realloc(tl->norm, need);
        if (n)
            tl->norm = n;
        uint32_t *m = realloc(tl->map, (need + 1) * sizeof *m);
        if (m)
            tl->map = m;
        if (!n || !m)
            return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
        tl->cap = need;
    }
    uint32_t off = 0;
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        struct field *f = &tl->f[fi];
        f->sc = sc;
        f->orig = l->text[fi] ? l->text[fi] : "";
        f->olen = l->text[fi] ? l->len[fi] : 0;
        f->nhits = 0;
        f->start = off;
        f->norm = tl->norm + off;
        f->map = tl->map + off;
        f->runs.pf_bits = sc->pf ? sc->pf->bits : NULL;
        long bad = sw_normalize_runs(f->orig, f->olen, f->norm, f->map, &f->n, &f->runs);
        if (f->runs.oom)
            return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
        if (bad >= 0)
            return sw_fail(err, SW_E_INVALID_UTF8, sw_scan_field_names[fi],
                           "%s is not valid UTF-8 (byte %ld)", sw_scan_field_names[fi], bad);
        off += (uint32_t)f->n;
        tl->norm[off++] = (char)0xFF;
    }
    tl->oom = false;
    tl->roles = 0;
    hs_error_t he =
        sc->db ? hs_scan(sc->db, tl->norm, off, 0, tl->scratch, on_match, tl) : HS_SUCCESS;
    if (sc->pf && !tl->oom)
        prefilter(tl, sc->pf, off);
    if (tl->oom)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    if (he != HS_SUCCESS)
        return sw_fail(err, SW_E_INTERNAL, NULL, "hs_scan failed (%d)", (int)he);
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        struct field *f = &tl->f[fi];
        bool sorted = true;
        for (size_t i = 1; i < f->nhits && sorted; i++)
            sorted = hit_cmp(&f->hits[i - 1], &f->hits[i]) <= 0;
        if (!sorted)
            qsort(f->hits, f->nhits, sizeof *f->hits, hit_cmp);
    }
    return SW_OK;
}

/* Whether the short title may state an amount the title does not: it has a digit and is not a
 * part of the title (most short titles are cut from it). Only then is it compared with the
 * title: reading both for units costs every listing (so a short title's amounts in characters
 * alone, 两件套, are not compared). */
static bool amounts_in_short_title(const struct tls *t)
{
    const struct field *f = &t->f[SW_SF_SHORT_TITLE];
    size_t i = 0;
    while (i < f->n && !(f->norm[i] >= '0' && f->norm[i] <= '9'))
        i++;
    return i < f->n && !sw__short_title_in_title(t->f);
}

/* The lists that apply to `cat`, from the thread's cache (filled on a miss); NULL when the
 * scanner has more lists than an entry holds, or the category is too long to keep. */
static const signed char *cached_applies(struct tls *t, const struct sw_scanner *sc,
                                         const char *cat)
{
    size_t n = cat ? strlen(cat) : 0;
    if (sc->nlists > CAT_LISTS || !cat || n >= CAT_NAME)
        return NULL;
    for (int i = 0; i < t->ncats; i++)
        if (t->cats[i].gen == sc->gen && memcmp(t->cats[i].cat, cat, n + 1) == 0)
            return t->cats[i].applies;
    int k = t->ncats < CAT_CACHE ? t->ncats++ : (t->next_cat++ % CAT_CACHE);
    struct cat_applies *e = &t->cats[k];
    e->gen = sc->gen;
    memcpy(e->cat, cat, n + 1);
    for (int i = 0; i < sc->nlists; i++)
        e->applies[i] = sw__list_applies(&sc->lists[i], cat);
    return e->applies;
}

/* The detectors over the three texts (their hits), then across them. */
#define ROLE(r) ((uint64_t)1 << (r))

bool sw__normalize_value(const char *value, char *out)
{
    size_t vl = value ? strlen(value) : 0;
    uint32_t map[SW_NORM_CAP(SW_VALUE_MAX) + 1];
    size_t nl = 0;
    out[0] = '\0';
    if (vl == 0 || vl > SW_VALUE_MAX || sw_normalize(value, vl, out, map, &nl) >= 0)
        return false;
    out[nl] = '\0';
    return true;
}

uint64_t sw__value_names(const char *value, const struct sw_words *groups, int n)
{
    char norm[SW_NORM_CAP(SW_VALUE_MAX) + 1];
    uint64_t named = 0;
    if (!groups || !sw__normalize_value(value, norm))
        return 0;
    for (int g = 0; g < n && g < 64; g++)
        for (int k = 0; k < groups[g].n; k++)
            if (strstr(norm, groups[g].w[k]))
                named |= (uint64_t)1 << g;
    return named;
}

void sw__brand_of(const struct sw_listing *l, char *pb)
{
    sw__normalize_value(l->brand, pb);
}

/* The detectors over the three texts (their hits), then across them. A detector runs only when
 * the listing has a hit of one of its roles: most listings with any hit have few kinds. */
static int text_detectors(struct tls *t, const struct sw_listing *l, bool yuan, struct out *o,
                          unsigned *flags, struct sw_error *err)
{
    const struct sw_scanner *sc = t->f[0].sc;
    uint64_t m = t->roles;
    signed char stack_applies[256], *applies = stack_applies;
    bool claims = m & (ROLE(R_TERM) | ROLE(R_OBJECT));
    const signed char *cached = claims ? cached_applies(t, sc, l->category) : NULL;
    if (claims && !cached && sc->nlists > 256 && !(applies = malloc((size_t)sc->nlists)))
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    for (int i = 0; claims && !cached && i < sc->nlists; i++)
        applies[i] = sw__list_applies(&sc->lists[i], l->category);
    char pb[512]; /* the listing's brand, normalised */
    pb[0] = '\0';
    bool brands = m & (ROLE(R_BRAND) | ROLE(R_BRAND_LABEL));
    if (brands)
        sw__brand_of(l, pb);
    const struct sw_brand *stated = brands && !pb[0] ? sw__stated_brand(t->f, l) : NULL;
    if (stated)
        snprintf(pb, sizeof pb, "%s", stated->norm[0]);
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &t->f[fi];
        if (!f->nhits && !f->runs.n)
            continue;
        if (claims)
            sw__lists(f, fi, cached ? cached : applies, o);
        if (m & (ROLE(R_WX_KW) | ROLE(R_WX_INVITE) | ROLE(R_QQ_KW) | ROLE(R_PHONE_LABEL) |
                 ROLE(R_MSG_KW)))
            sw__contacts(f, fi, o);
        sw__phones(f, fi, o);
        if (m & (ROLE(R_URL_SCHEME) | ROLE(R_TLD) | ROLE(R_AT)))
            sw__links(f, fi, o);
        if (m & ROLE(R_PROMISE))
            sw__promises(f, fi, l, o);
        if (m & (ROLE(R_PRICE_LABEL) | ROLE(R_FREIGHT_LABEL) | ROLE(R_PRICE_AFTER)))
            sw__prices(t->f, fi, l, o, flags);
        else if (l->has_price && (m & ROLE(R_PRICE_IGNORE)))
            sw__converted_prices(t->f, fi, l, o); /* 折合16.5元/盒 with no price label */
        if (brands)
            sw__brands(t->f, fi, l, pb, o);
    }
    if (m & (ROLE(R_SHIP_CLAIM) | ROLE(R_SHIP_DENIAL)))
        sw__shipping(t->f, l, o);
    if (m & ROLE(R_CARRIER)) {
        sw__carriers(t->f, o);
        sw__carrier_method(t->f, l, o);
    }
    if (m & ROLE(R_SERVICE_DENIAL))
        sw__service_denials(t->f, l, o);
    if ((m & ROLE(R_PROMISE)) && sc->prev_gone.n)
        sw__withdrawn_services(t->f, l, o);
    if (yuan)
        sw__title_prices(t->f, l, o, flags);
    /* a spec in the detail (next to a label, or a pack size), a short title to compare, or an
     * amount and its conversion in the title; cheapest first (the self-stating units' search
     * reads the whole detail) */
    if (t->lists || amounts_in_short_title(t) || sw__detail_states_specs(&t->f[SW_SF_DETAIL]) ||
        sw__detail_states_memory(&t->f[SW_SF_DETAIL]) || sw__title_converts(t->f) ||
        sw__detail_self_states(&t->f[SW_SF_DETAIL], l->category))
        sw__specs(t->f, l->category, t->lists, o);
    if (applies != stack_applies)
        free(applies);
    return SW_OK;
}

int sw_scan(const struct sw_scanner *sc, const struct sw_listing *l, json_t **findings,
            struct sw_error *err)
{
    unsigned flags;
    return sw_scan_flags(sc, l, findings, &flags, err);
}

int sw_scan_flags(const struct sw_scanner *sc, const struct sw_listing *l, json_t **findings,
                  unsigned *flags, struct sw_error *err)
{
    *flags = 0;
    struct tls *t = tls_get(sc);
    if (!t)
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot allocate scan scratch");
    int rc = normalise_and_match(t, sc, l, err);
    if (rc)
        return rc;
    atomic_fetch_add_explicit(&stat_listings, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&stat_bytes, l->len[0] + l->len[1] + l->len[2], memory_order_relaxed);
    struct out o = {0};
    t->lists = sw__may_list(t->f);
    bool any = false; /* most listings have no hit at all: nothing below needs doing then */
    for (int fi = 0; fi < SW_SF__COUNT; fi++)
        any |= t->f[fi].nhits > 0 || t->f[fi].runs.n > 0;
    /* a bare amount in a title may state the price */
    bool yuan = (t->roles & ROLE(R_YUAN)) && sw__titles_name_yuan(t->f);
    if (any || yuan || t->lists || amounts_in_short_title(t) ||
        sw__detail_states_memory(&t->f[SW_SF_DETAIL]) || sw__title_converts(t->f) ||
        sw__detail_self_states(&t->f[SW_SF_DETAIL], l->category))
        rc = text_detectors(t, l, yuan, &o, flags, err);
    if (rc == SW_OK) {
        three_no(sc, l, &o);
        sw__title_tag(t->f, l, &o);
        sw__title_lead(t->f, l, t->roles & ROLE(R_NAME_LABEL), &o); /* 海岚 A5 ... against 星朗 */
        sw__fibres(t->f, l->category, &o);         /* 面料 or 棉 are no hits: its own look */
        sw__concentrations(t->f, l->category, &o); /* 烟酰胺5% against 烟酰胺10% */
        sw__doses(t->f, l->category, &o);          /* 60片, 每日3片 against 一瓶吃2个月 */
        sw__sizes(t->f, l->category, &o);
        sw__lengths(t->f, l->category, &o); /* 衣长110cm against a table's 衣长88-94 */
        if (t->roles & ROLE(R_ORIGIN))
            sw__origins(t->f, l, &o); /* 海外直邮 against 上海仓发货 */
        if (t->roles & (ROLE(R_ATTR_NAME) | ROLE(R_ATTR_LABEL)))
            sw__attributes(t->f, l, &o); /* 曜石黑 against 颜色：冰川白 */
        else
            sw__short_attributes(t->f, l, &o); /* 黑色 against a short title's 杏色 */
        if (t->roles & ROLE(R_FACT_LABEL))
            sw__facts(t->f, l, &o); /* 生产日期：2025年06月18日 against production_date */
        sw__gifts(t->f, &o); /* 送锅铲+锅盖 against 套装内容：锅盖; 拍一发三 against 拍1件发1支 */
        rc = sw__qr_codes(sc, l, &o, err);
    }
    if (rc) {
        sw__out_free(&o);
        return rc;
    }
    *findings = o.oom ? NULL : sw__render(sc, l, &o);
    bool oom = o.oom;
    if (o.truncated)
        *flags |= SW_SCAN_TRUNCATED;
    sw__out_free(&o);
    if (*findings && !oom)
        return SW_OK;
    json_decref(*findings);
    *findings = NULL;
    return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
}
