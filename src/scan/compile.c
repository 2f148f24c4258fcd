/* Builds a scanner from the policy's "scan" section: checks it (every problem with its JSON
 * path), passes every word through the normaliser and compiles one Hyperscan database. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "scan/normalize.h"
#include "scan/compile_int.h"

#define MAX_PATTERNS 200000
#define MAX_TERM_BYTES 120

static atomic_uint_fast64_t generation;
int sw__prefilter_min = SW_PREFILTER_MIN;

static bool grow(struct builder *b)
{
    struct sw_scanner *sc = b->sc;
    if (sc->npat < b->cap)
        return true;
    int cap = b->cap ? b->cap * 2 : 256;
    char **e = realloc(b->expr, (size_t)cap * sizeof *e);
    if (e)
        b->expr = e;
    unsigned *i = realloc(b->ids, (size_t)cap * sizeof *i);
    if (i)
        b->ids = i;
    unsigned *f = realloc(b->flags, (size_t)cap * sizeof *f);
    if (f)
        b->flags = f;
    char **r = realloc(b->raw, (size_t)cap * sizeof *r);
    if (r)
        b->raw = r;
    if (!r)
        return false;
    struct sw_pat *p = realloc(sc->pat, (size_t)cap * sizeof *p);
    if (p)
        sc->pat = p;
    if (!e || !i || !f || !p)
        return false;
    b->cap = cap;
    return true;
}

void sw__add_regex(struct builder *b, const char *re, int role, uint32_t len)
{
    struct sw_scanner *sc = b->sc;
    if (!grow(b))
        return;
    b->expr[sc->npat] = strdup(re);
    b->raw[sc->npat] = NULL;
    b->ids[sc->npat] = (unsigned)sc->npat;
    b->flags[sc->npat] = 0;
    sc->pat[sc->npat] = (struct sw_pat){(uint8_t)role, 0, len};
    sc->npat++;
}

/* A policy word normalised like the text it will meet (up to max bytes of policy text; norm
 * holds SW_NORM_CAP(max) bytes). false, with the problem reported, when it cannot be a word. */
static bool normalise_word(struct builder *b, const char *path, const json_t *w, size_t max,
                           char *norm, size_t *nl)
{
    if (!json_is_string(w)) {
        problem(b, path, "must be a string");
        return false;
    }
    const char *s = json_string_value(w);
    size_t n = json_string_length(w);
    if (n == 0 || n > max) {
        problem(b, path, "must be 1-%zu bytes", max);
        return false;
    }
    uint32_t map[SW_NORM_CAP(MAX_TERM_BYTES) + 1];
    if (sw_normalize(s, n, norm, map, nl) >= 0) {
        problem(b, path, "not UTF-8");
        return false;
    }
    if (*nl == 0) {
        problem(b, path, "'%s' is nothing but separators once normalised", s);
        return false;
    }
    if (*nl == 1 && n > 1 && ((unsigned char)norm[0] & 0x80) == 0) {
        /* "➕v" before ➕ read as "+": a word that would match every 'v' */
        problem(b, path, "'%s' is only '%c' once normalised: it would match every '%c'", s, norm[0],
                norm[0]);
        return false;
    }
    return true;
}

/* One word: normalised, then escaped byte by byte for Hyperscan (or kept for the prefilter). */
void sw__add_word(struct builder *b, const char *path, const json_t *w, int role, int owner)
{
    struct sw_scanner *sc = b->sc;
    char norm[SW_NORM_CAP(MAX_TERM_BYTES)];
    size_t nl = 0;
    if (!normalise_word(b, path, w, MAX_TERM_BYTES, norm, &nl))
        return;
    if (sc->npat >= MAX_PATTERNS) {
        problem(b, path, "more than %d words in the scan section", MAX_PATTERNS);
        return;
    }
    if (!grow(b))
        return;
    char *e = malloc(nl * 4 + 1);
    if (!e)
        return;
    for (size_t i = 0; i < nl; i++)
        snprintf(e + i * 4, 5, "\\x%02x", (unsigned char)norm[i]);
    b->expr[sc->npat] = e;
    b->raw[sc->npat] = strndup(norm, nl);
    b->ids[sc->npat] = (unsigned)sc->npat;
    b->flags[sc->npat] = 0;
    sc->pat[sc->npat] = (struct sw_pat){(uint8_t)role, (uint16_t)owner, (uint32_t)nl};
    sc->npat++;
}

void sw__add_words(struct builder *b, const char *path, const json_t *arr, int role, int owner,
                   bool required)
{
    if (!arr) {
        if (required)
            problem(b, path, "missing field");
        return;
    }
    if (!json_is_array(arr)) {
        problem(b, path, "must be an array of strings");
        return;
    }
    size_t i;
    const json_t *w;
    json_array_foreach(arr, i, w)
    {
        char p[200];
        snprintf(p, sizeof p, "%s[%zu]", path, i);
        sw__add_word(b, p, w, role, owner);
    }
}

/* Words kept as strings (see struct sw_words): normalised like the text they will meet, or with
 * `written` as the policy writes them, to be compared with the original text (a slash or a space
 * is dropped from the normalised text: 3两/只 must not read 2斤 头茬果 as 2斤/头). */
static void collect_words(struct builder *b, const char *path, const json_t *arr,
                          struct sw_words *out, bool written)
{
    if (!arr)
        return;
    if (!json_is_array(arr) || json_array_size(arr) > 512) {
        problem(b, path, "must be an array of up to 512 strings");
        return;
    }
    out->w = calloc(json_array_size(arr) + 1, sizeof *out->w);
    out->len = calloc(json_array_size(arr) + 1, 1);
    if (!out->w || !out->len)
        return;
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v)
    {
        char p[200], norm[SW_NORM_CAP(48)];
        size_t nl = 0;
        snprintf(p, sizeof p, "%s[%zu]", path, i);
        if (!normalise_word(b, p, v, 48, norm, &nl))
            continue;
        const char *w = written ? json_string_value(v) : norm;
        if (written)
            nl = json_string_length(v);
        out->w[out->n] = strndup(w, nl);
        out->len[out->n] = (uint8_t)nl;
        if (nl < 2) {
            out->any_short = true;
        } else {
            unsigned h = sw__words_end_hash(w + nl);
            out->ends[h >> 6] |= (uint64_t)1 << (h & 63);
        }
        if (out->w[out->n])
            out->n++;
    }
}

void sw__collect_words(struct builder *b, const char *path, const json_t *arr, struct sw_words *out)
{
    collect_words(b, path, arr, out, false);
}

void sw__collect_written_words(struct builder *b, const char *path, const json_t *arr,
                               struct sw_words *out)
{
    collect_words(b, path, arr, out, true);
}

void sw__free_words(struct sw_words *w)
{
    for (int i = 0; i < w->n; i++)
        free(w->w[i]);
    free(w->w);
    free(w->len);
}

/* parent[key] as an object (reported when missing or not one); its path in sub. */
static const json_t *object(struct builder *b, const json_t *parent, const char *path,
                            const char *key, char *sub, size_t subn)
{
    snprintf(sub, subn, "%s.%s", path, key);
    return sw_json_want(b->problems, parent, path, key, JSON_OBJECT, true);
}

/* scan[key], a pixel budget between 1 and max; dflt when absent. */
static int64_t pixel_limit(struct builder *b, const json_t *scan, const char *key, int64_t dflt,
                           int64_t max)
{
    const json_t *v = sw_json_want(b->problems, scan, "$.scan", key, JSON_INTEGER, false);
    if (!v)
        return dflt;
    if (json_integer_value(v) < 1 || json_integer_value(v) > max) {
        char p[64];
        snprintf(p, sizeof p, "$.scan.%s", key);
        problem(b, p, "must be between 1 and %lld", (long long)max);
        return dflt;
    }
    return json_integer_value(v);
}

/* The images' pixel budgets (per image and per scan) and the findings one listing reports. */
static void image_budgets(struct builder *b, const json_t *scan)
{
    b->sc->max_image_pixels =
        pixel_limit(b, scan, "max_image_pixels", SW_IMAGE_PIXELS_DEFAULT, SW_IMAGE_MAX_PIXELS);
    b->sc->max_request_pixels = pixel_limit(b, scan, "max_request_pixels",
                                            SW_REQUEST_PIXELS_DEFAULT, SW_REQUEST_MAX_PIXELS);
    b->sc->max_findings =
        pixel_limit(b, scan, "max_findings", SW_FINDINGS_DEFAULT, SW_FINDINGS_MAX);
}

static bool rule_name_ok(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_' ||
              s[n] == '.'))
            return false;
    return n > 0 && n < 64;
}

const char *sw__severity_of(struct builder *b, const json_t *obj, const char *path,
                            const char *dflt)
{
    const json_t *v = json_object_get(obj, "severity");
    if (!v) {
        if (!dflt)
            problem(b, path, "missing field 'severity'");
        return dflt ? dflt : "minor";
    }
    const char *s = json_string_value(v);
    if (!s || (strcmp(s, "minor") != 0 && strcmp(s, "severe") != 0)) {
        problem(b, path, "severity must be 'minor' or 'severe'");
        return "minor";
    }
    return s;
}

void sw__rule_of(struct builder *b, const json_t *obj, const char *path, const char *type,
                 const char *severity, struct sw_rule *r)
{
    const char *name = json_string_value(json_object_get(obj, "rule"));
    if (!name || !rule_name_ok(name))
        problem(b, path, "rule must be a name of a-z 0-9 _ . (up to 63)");
    r->rule = name ? name : "";
    r->type = type;
    r->severity = sw__severity_of(b, obj, path, severity);
}

/* One detector's object, {rule, severity?, word lists..., extra...}: checked as closed, its
 * rule read, each word list compiled with its role. Returns the object (NULL when missing);
 * its path is left in p for the caller's extra fields. */
const json_t *sw__detector(struct builder *b, const json_t *parent, const char *ppath,
                           const char *name, const char *type, const char *sev, struct sw_rule *r,
                           const struct wordspec *words, int nwords, const char *const *extra,
                           char *p, size_t pn)
{
    const json_t *o = object(b, parent, ppath, name, p, pn);
    if (!o)
        return NULL;
    enum { ALLOWED_MAX = 48 }; /* a detector's keys: more is a programming error, said */
    const char *allowed[ALLOWED_MAX];
    int k = 0, want = 2 + nwords;
    for (int i = 0; extra && extra[i]; i++)
        want++;
    if (want >= ALLOWED_MAX)
        problem(b, p, "has more keys than the compiler checks (internal: raise ALLOWED_MAX)");
    allowed[k++] = "rule";
    allowed[k++] = "severity";
    for (int i = 0; i < nwords && k < ALLOWED_MAX - 1; i++)
        allowed[k++] = words[i].key;
    for (int i = 0; extra && extra[i] && k < ALLOWED_MAX - 1; i++)
        allowed[k++] = extra[i];
    allowed[k] = NULL;
    sw_json_closed(b->problems, o, p, allowed);
    sw__rule_of(b, o, p, type, sev, r);
    for (int i = 0; i < nwords; i++) {
        char q[192];
        snprintf(q, sizeof q, "%s.%s", p, words[i].key);
        sw__add_words(b, q, json_object_get(o, words[i].key), words[i].role, 0, words[i].required);
    }
    return o;
}

static bool pf_eligible(const struct builder *b, int i)
{
    const unsigned char *r = (const unsigned char *)b->raw[i];
    return b->sc->pat[i].role == R_TERM && r && b->sc->pat[i].len >= SW_PF_PREFIX &&
           (r[0] & 0xF0) == 0xE0 && (r[3] & 0xF0) == 0xE0 && (r[6] & 0xF0) == 0xE0;
}

static int key_cmp(const void *x, const void *y)
{
    uint64_t a = ((const uint64_t *)x)[0], c = ((const uint64_t *)y)[0];
    return a < c ? -1 : a > c;
}

/* Moves the list words that start with three three-byte characters to the prefilter when there
 * are at least SW_PREFILTER_MIN of them (struct sw_prefilter). */
static void build_prefilter(struct builder *b)
{
    struct sw_scanner *sc = b->sc;
    int n = 0;
    for (int i = 0; i < sc->npat; i++)
        n += pf_eligible(b, i);
    if (n < sw__prefilter_min)
        return;
    struct sw_prefilter *pf = calloc(1, sizeof *pf);
    uint64_t(*kv)[2] = calloc((size_t)n, sizeof *kv); /* key, pattern id */
    if (!pf || !kv) {
        free(pf);
        free(kv);
        return;
    }
    uint32_t slots = 1;
    while (slots < (uint32_t)n * 2)
        slots <<= 1;
    pf->bits = calloc((size_t)1 << (SW_PF_BITS - 6), sizeof *pf->bits);
    pf->slots = calloc(slots, sizeof *pf->slots);
    pf->pids = calloc((size_t)n, sizeof *pf->pids);
    pf->text = calloc((size_t)sc->npat, sizeof *pf->text);
    pf->slot_mask = slots - 1;
    if (!pf->bits || !pf->slots || !pf->pids || !pf->text) {
        free(pf->bits);
        free(pf->slots);
        free(pf->pids);
        free(pf->text);
        free(pf);
        free(kv);
        return;
    }
    int k = 0;
    for (int i = 0; i < sc->npat; i++)
        if (pf_eligible(b, i)) {
            kv[k][0] = sw_pf_key((const unsigned char *)b->raw[i]);
            kv[k][1] = (uint64_t)i;
            k++;
        }
    qsort(kv, (size_t)n, sizeof *kv, key_cmp);
    for (int i = 0; i < n; i++) {
        uint64_t key = kv[i][0];
        uint32_t bit = sw_pf_bit(key);
        pf->bits[bit >> 6] |= 1ull << (bit & 63);
        uint32_t s = sw_pf_slot(key, pf->slot_mask);
        while (pf->slots[s].key && pf->slots[s].key != key)
            s = (s + 1) & pf->slot_mask;
        if (!pf->slots[s].key)
            pf->slots[s] = (struct sw_pf_slot){key, (uint32_t)i, 0};
        pf->slots[s].count++;
        int pid = (int)kv[i][1];
        pf->pids[i] = (uint32_t)pid;
        pf->text[pid] = b->raw[pid];
        b->raw[pid] = NULL; /* the prefilter keeps it */
    }
    pf->nterms = n;
    free(kv);
    sc->pf = pf;
}

struct sw_scanner *sw_scanner_build(const json_t *scan, const char *version, json_t *problems)
{
    struct sw_scanner *sc = calloc(1, sizeof *sc);
    if (!sc)
        return NULL;
    struct builder b = {.problems = problems, .sc = sc};
    size_t before = json_array_size(problems);
    snprintf(sc->version, sizeof sc->version, "%s", version ? version : "");
    sc->doc = json_incref((json_t *)scan);
    sc->gen = atomic_fetch_add(&generation, 1) + 1;
    if (!json_is_object(scan)) {
        problem(&b, "$.scan", "missing or not an object");
        goto out;
    }
    static const char *const allowed[] = {"max_image_pixels",
                                          "max_request_pixels",
                                          "max_findings",
                                          "negations",
                                          "not_negations",
                                          "negation_scope",
                                          "lists",
                                          "diversion",
                                          "consistency",
                                          "three_no",
                                          NULL};
    sw_json_closed(b.problems, scan, "$.scan", allowed);
    image_budgets(&b, scan);
    sw__collect_words(&b, "$.scan.negations", json_object_get(scan, "negations"), &sc->negations);
    sw__collect_words(&b, "$.scan.not_negations", json_object_get(scan, "not_negations"),
                      &sc->not_negations);
    sw__build_scope(&b, json_object_get(scan, "negation_scope"));
    sw__build_lists(&b, json_object_get(scan, "lists"));
    char p[128];
    const json_t *o;
    if ((o = object(&b, scan, "$.scan", "diversion", p, sizeof p)))
        sw__build_diversion(&b, o);
    if ((o = object(&b, scan, "$.scan", "consistency", p, sizeof p)))
        sw__build_consistency(&b, o);
    sw__detector(&b, scan, "$.scan", "three_no", "three_no_product", NULL, &sc->three_no, NULL, 0,
                 NULL, p, sizeof p);
    if (json_array_size(problems) > before || sc->npat == 0)
        goto out;
    build_prefilter(&b);
    /* what the prefilter does not take goes to Hyperscan, under its pattern id */
    int nhs = 0;
    for (int i = 0; i < sc->npat; i++)
        if (!sc->pf || !sc->pf->text[i]) {
            b.expr[nhs] = b.expr[i];
            b.flags[nhs] = b.flags[i];
            b.ids[nhs] = b.ids[i];
            if (nhs != i)
                b.expr[i] = NULL;
            nhs++;
        } else {
            free(b.expr[i]);
            b.expr[i] = NULL;
        }
    hs_compile_error_t *ce = NULL;
    if (nhs > 0 && hs_compile_multi((const char *const *)b.expr, b.flags, b.ids, (unsigned)nhs,
                                    HS_MODE_BLOCK, NULL, &sc->db, &ce) != HS_SUCCESS) {
        char where[64];
        snprintf(where, sizeof where, "$.scan (pattern %d)", ce ? ce->expression : -1);
        problem(&b, where, "cannot compile: %s", ce ? ce->message : "unknown error");
        hs_free_compile_error(ce);
        sc->db = NULL;
    }
out:
    for (int i = 0; i < sc->npat; i++) {
        free(b.expr[i]);
        free(b.raw[i]);
    }
    free(b.raw);
    free(b.expr);
    free(b.ids);
    free(b.flags);
    if (json_array_size(problems) > before || (!sc->db && !sc->pf)) {
        if (json_array_size(problems) == before)
            problem(&b, "$.scan", "out of memory");
        sw_scanner_free(sc);
        return NULL;
    }
    return sc;
}

void sw_scanner_free(struct sw_scanner *sc)
{
    if (!sc)
        return;
    hs_free_database(sc->db);
    free(sc->pat);
    for (int i = 0; i < sc->nlists; i++) {
        free(sc->lists[i].cs.v);
        free(sc->lists[i].reg_cs.v);
        if (sc->lists[i].reg_marks)
            sw__free_words(sc->lists[i].reg_marks);
        if (sc->lists[i].reg_terms)
            sw__free_words(sc->lists[i].reg_terms);
        if (sc->lists[i].reg_labels)
            sw__free_words(sc->lists[i].reg_labels);
        free(sc->lists[i].reg_marks);
        free(sc->lists[i].reg_terms);
        free(sc->lists[i].reg_labels);
    }
    free(sc->lists);
    for (int i = 0; i < sc->nbrands; i++) {
        for (int k = 0; k < sc->brands[i].nnorm; k++)
            free(sc->brands[i].norm[k]);
        free(sc->brands[i].cs.v);
    }
    free(sc->brands);
    if (sc->pf) {
        for (int i = 0; i < sc->npat; i++)
            free(sc->pf->text[i]);
        free(sc->pf->text);
        free(sc->pf->bits);
        free(sc->pf->slots);
        free(sc->pf->pids);
        free(sc->pf);
    }
    for (int i = 0; i < sc->nphrases; i++)
        sw__free_words(&sc->phrases[i].verbs);
    free(sc->phrases);
    sw__free_words(&sc->scope_words);
    sw__free_words(&sc->scope_fillers);
    sw__free_words(&sc->wait_before);
    sw__free_words(&sc->wait_after);
    sw__free_words(&sc->questions);
    sw__free_words(&sc->invite_warnings);
    sw__free_words(&sc->code_labels);
    sw__free_words(&sc->negations);
    sw__free_words(&sc->not_negations);
    sw__free_words(&sc->compat);
    sw__free_words(&sc->accessories);
    sw__free_words(&sc->compat_after);
    sw__free_words(&sc->denial_conditions);
    sw__free_words(&sc->denial_exclusions);
    sw__free_words(&sc->ship_orders);
    sw__free_words(&sc->ship_others);
    sw__free_words(&sc->ship_local);
    sw__free_words(&sc->promise_lookups);
    sw__free_words(&sc->promise_lookups_after);
    sw__free_words(&sc->promise_withdrawn);
    sw__free_words(&sc->genuine);
    sw__free_words(&sc->title_tags);
    sw__free_words(&sc->title_tag_stores);
    sw__free_words(&sc->house_not);
    sw__free_words(&sc->lead_markers);
    sw__free_words(&sc->title_markers);
    sw__free_words(&sc->lead_not);
    sw__free_words(&sc->maker_words);
    for (int i = 0; i < sc->nlisted; i++) {
        sw__free_words(&sc->listed[i].labels);
        sw__free_words(&sc->listed[i].skip);
    }
    sw__free_words(&sc->spec_changes);
    sw__free_words(&sc->spec_dose_times);
    sw__free_words(&sc->spec_one_piece);
    sw__free_words(&sc->spec_promises);
    sw__free_words(&sc->listed_units);
    sw__free_words(&sc->gifts.verbs);
    sw__free_words(&sc->gifts.after);
    sw__free_words(&sc->gifts.not_gifts);
    sw__free_words(&sc->gifts.denials);
    sw__free_words(&sc->gifts.after_denials);
    sw__free_words(&sc->gifts.labels);
    sw__free_words(&sc->gifts.set_labels);
    sw__free_words(&sc->gifts.set_not);
    sw__free_words(&sc->gifts.single_frames);
    sw__free_words(&sc->gifts.single_words);
    sw__free_words(&sc->ship_words);
    sw__free_words(&sc->ship_after);
    sw__free_words(&sc->per_words);
    sw__free_words(&sc->size_words.words);
    sw__free_words(&sc->fitting_words.words);
    sw__free_words(&sc->nutrients.words);
    sw__free_words(&sc->piece_before.words);
    sw__free_words(&sc->piece_after.words);
    sw__free_words(&sc->spec_others);
    sw__free_words(&sc->spec_limits);
    sw__free_words(&sc->spec_gifts);
    sw__free_words(&sc->spec_not_gifts);
    sw__free_words(&sc->ram_labels);
    sw__free_words(&sc->prev_words);
    sw__free_words(&sc->prev_not);
    sw__free_words(&sc->prev_not_ending);
    sw__free_words(&sc->prev_gone);
    sw__free_words(&sc->ship_regions);
    sw__free_words(&sc->ship_surcharges);
    sw__free_attributes(&sc->attrs);
    sw__free_facts(&sc->facts);
    sw__free_words(&sc->ship_options);
    sw__free_words(&sc->ship_upgrades);
    sw__free_words(&sc->price_conds);
    sw__free_words(&sc->price_not_after);
    sw__free_words(&sc->price_currencies);
    sw__free_words(&sc->price_campaigns);
    sw__free_words(&sc->price_joins);
    sw__free_words(&sc->deposits);
    sw__free_words(&sc->balances);
    sw__free_words(&sc->deposit_worth);
    sw__free_words(&sc->ship_conditions);
    sw__free_words(&sc->ship_waivers);
    sw__free_words(&sc->ship_exceptions);
    free(sc->unit_names);
    for (int i = 0; sc->units && i < sc->nunits; i++) {
        sw__free_words(&sc->units[i].names);
        free(sc->units[i].cs.v);
    }
    free(sc->units);
    free(sc->memory_cs.v);
    for (int i = 0; i < sc->nself_cs; i++)
        free(sc->self_cs[i].v);
    free(sc->fibres.cs.v);
    sw__free_words(&sc->fibres.claims);
    sw__free_words(&sc->fibres.not_after);
    sw__free_words(&sc->fibres.named);
    sw__free_words(&sc->fibres.parts);
    sw__free_words(&sc->fibres.excludes);
    sw__free_words(&sc->fibres.fabrics);
    for (int i = 0; sc->fibres.names && i < sc->fibres.n; i++)
        sw__free_words(&sc->fibres.names[i]);
    free(sc->fibres.names);
    free(sc->concs.cs.v);
    free(sc->doses_cs.v);
    for (int i = 0; sc->concs.names && i < sc->concs.n; i++)
        sw__free_words(&sc->concs.names[i]);
    free(sc->concs.names);
    for (int i = 0; sc->origins.names && i < sc->origins.n; i++)
        sw__free_words(&sc->origins.names[i]);
    free(sc->origins.names);
    free(sc->origins.kind);
    free(sc->sizes.cs.v);
    sw__free_words(&sc->sizes.labels);
    sw__free_words(&sc->sizes.only);
    sw__free_words(&sc->sizes.missing);
    sw__free_words(&sc->sizes.one_size);
    sw__free_words(&sc->sizes.lengths);
    free(sc->promise_service);
    free(sc->denial_service);
    free(sc->promise_denial);
    for (int i = 0; sc->carrier_names && i < sc->ncarriers; i++)
        sw__free_words(&sc->carrier_names[i]);
    free(sc->carrier_names);
    free(sc->carrier_code);
    json_decref(sc->doc);
    free(sc);
}

int sw_scanner_prefiltered(const struct sw_scanner *sc)
{
    return sc->pf ? sc->pf->nterms : 0;
}
