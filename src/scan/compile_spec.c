/* Building consistency.spec from the policy (split from compile_detectors.c): the units and
 * their classes, the lists of kinds, memory pairs, totals, garment sizes, conversions and fibre
 * contents that specs.c, spec_compare.c, listed.c, sizes.c and fibres.c read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/compile_int.h"

/* The characters a numeral in characters starts or ends with before a unit (三斤, 十斤装, 一共三斤)
 */
static const char *const numeral_ends[] = {"一", "二", "两", "三", "四", "五",
                                           "六", "七", "八", "九", "十"};
#define NUMERAL_ENDS ((int)(sizeof numeral_ends / sizeof numeral_ends[0]))

/* consistency.spec.units: [{class, factor, names}]; each name is read after a digit ("5kg") by
 * the spec check itself, only on listings whose detail may state a spec: no pattern to match
 * (counts such as 3瓶 are in most listings). */
/* The units' names by first byte, so that a digit's unit is looked up among the few names that
 * start with the byte after it. */
static void index_unit_names(struct sw_scanner *sc)
{
    int total = 0;
    for (int u = 0; u < sc->nunits; u++)
        total += sc->units[u].names.n;
    sc->unit_names = calloc((size_t)total + 1, sizeof *sc->unit_names);
    if (!sc->unit_names)
        return;
    uint16_t count[256] = {0};
    for (int u = 0; u < sc->nunits; u++)
        for (int k = 0; k < sc->units[u].names.n; k++)
            count[(unsigned char)sc->units[u].names.w[k][0]]++;
    sc->unit_first[0] = 0;
    for (int c = 0; c < 256; c++)
        sc->unit_first[c + 1] = (uint16_t)(sc->unit_first[c] + count[c]);
    uint16_t fill[256];
    memcpy(fill, sc->unit_first, sizeof fill);
    for (int u = 0; u < sc->nunits; u++)
        for (int k = 0; k < sc->units[u].names.n; k++) {
            const struct sw_words *w = &sc->units[u].names;
            sc->unit_names[fill[(unsigned char)w->w[k][0]]++] =
                (struct sw_unit_name){w->w[k], w->len[k], u};
        }
}

/* A unit's optional `min` or `max` (key): an integer from least to 1,000,000, into *out. */
static void unit_bound(struct builder *b, const json_t *u, const char *up, const char *key,
                       int64_t least, int64_t *out)
{
    const json_t *v = json_object_get(u, key);
    if (v &&
        (!json_is_integer(v) || json_integer_value(v) < least || json_integer_value(v) > 1000000))
        problem(b, up, "%s must be an integer %lld-1000000", key, (long long)least);
    else if (v)
        *out = json_integer_value(v);
}

/* A unit's optional true/false option (key), into *out. */
static void unit_flag(struct builder *b, const json_t *u, const char *up, const char *key,
                      bool *out)
{
    const json_t *v = json_object_get(u, key);
    if (v && !json_is_boolean(v))
        problem(b, up, "%s must be true or false", key);
    *out = json_is_true(v);
}

static void build_units(struct builder *b, const json_t *arr, const char *path,
                        const char **classes)
{
    struct sw_scanner *sc = b->sc;
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 64) {
        problem(b, path, "must be an array of 1-64 {class, factor, names}");
        return;
    }
    sc->units = calloc(json_array_size(arr), sizeof *sc->units);
    size_t i;
    const json_t *u;
    json_array_foreach(arr, i, u)
    {
        char up[192], np[224];
        snprintf(up, sizeof up, "%s[%zu]", path, i);
        static const char *const allowed[] = {"class", "factor", "names",    "categories", "min",
                                              "max",   "pow2",   "numerals", "rate",       NULL};
        const char *cls = json_string_value(json_object_get(u, "class"));
        const json_t *factor = json_object_get(u, "factor"), *names = json_object_get(u, "names");
        if (!sc->units || !json_is_object(u) || !cls || !json_is_number(factor) ||
            json_number_value(factor) < 0.001 || json_number_value(factor) > 1000000 ||
            !json_is_array(names) || json_array_size(names) > 16) {
            problem(b, up, "must be {class, factor (0.001-1000000), names (up to 16)}");
            continue;
        }
        sw_json_closed(b->problems, u, up, allowed);
        int c = 0;
        while (c < sc->nunit_classes && classes[c] && strcmp(classes[c], cls) != 0)
            c++;
        if (c == sc->nunit_classes)
            classes[sc->nunit_classes++] = cls;
        double fv = json_number_value(factor);
        sc->units[sc->nunits] =
            (struct sw_unit){.cls = c, .factor = fv, .approx = fv != (double)(int64_t)fv};
        sw__catset_of(b, u, up, &sc->units[sc->nunits].cs);
        unit_bound(b, u, up, "min", 0, &sc->units[sc->nunits].min);
        unit_bound(b, u, up, "max", 1, &sc->units[sc->nunits].max);
        unit_flag(b, u, up, "pow2", &sc->units[sc->nunits].pow2);
        unit_flag(b, u, up, "rate", &sc->units[sc->nunits].rate);
        unit_flag(b, u, up, "numerals", &sc->units[sc->nunits].numerals);
        sc->numeral_units |= sc->units[sc->nunits].numerals;
        snprintf(np, sizeof np, "%s.names", up);
        sw__collect_words(b, np, names, &sc->units[sc->nunits].names);
        const struct sw_words *w = &sc->units[sc->nunits].names;
        for (int k = 0; k < w->n; k++) {
            if (w->len[k] > 32)
                problem(b, np, "must be units of 1-32 bytes");
            unsigned h =
                w->len[k] > 1 ? sw__unit_start_hash(w->w[k], w->len[k]) : (unsigned char)w->w[k][0];
            if (w->len[k] > 1)
                sc->unit_starts[h >> 6] |= (uint64_t)1 << (h & 63);
            else
                sc->unit_bytes[h >> 6] |= (uint64_t)1 << (h & 63);
            if (w->len[k] > 1 && sc->units[sc->nunits].numerals) {
                if (sc->nnumeral_names == SW_NUMERAL_NAMES) {
                    problem(b, np, "more than %d names of units read after numerals",
                            SW_NUMERAL_NAMES);
                } else {
                    sc->numeral_starts[h >> 6] |= (uint64_t)1 << (h & 63);
                    sc->numeral_names[sc->nnumeral_names] = w->w[k];
                    sc->numeral_lens[sc->nnumeral_names++] = w->len[k];
                }
            }
            /* a pack size (3斤装, 五斤装, and 单罐装: a pack of one) is matched: it makes the
             * detail state a spec */
            int packs = 10 + (sc->units[sc->nunits].numerals ? NUMERAL_ENDS : 0);
            for (int d = 0; d <= packs && w->len[k] <= 32; d++) {
                char before[16], lit[48];
                if (d < 10)
                    snprintf(before, sizeof before, "%d", d);
                else
                    snprintf(before, sizeof before, "%s", d < packs ? numeral_ends[d - 10] : "单");
                snprintf(lit, sizeof lit, "%s%.*s装", before, (int)w->len[k], w->w[k]);
                json_t *pw = json_string(lit);
                sw__add_word(b, np, pw, R_PACK, sc->nunits);
                json_decref(pw);
            }
        }
        sc->nunits++;
    }
    index_unit_names(sc);
}

/* The index of the unit class named `name` among `units`' classes, -1 when none (or no name). */
static int class_index(const struct sw_scanner *sc, const char **classes, const char *name)
{
    for (int c = 0; name && c < sc->nunit_classes; c++)
        if (classes[c] && strcmp(classes[c], name) == 0)
            return c;
    return -1;
}

/* consistency.spec.memory: {ram_class, storage_class, categories}: a pair A+B (8GB+256GB,
 * 12+256) states A of the first class and B of the second, both classes of `units`. */
static void memory_pairs(struct builder *b, const json_t *o, const char *path, const char **classes)
{
    struct sw_scanner *sc = b->sc;
    sc->ram_class = sc->storage_class = -1;
    if (!o)
        return;
    static const char *const allowed[] = {"ram_class",  "storage_class", "categories",
                                          "ram_labels", "note",          NULL};
    if (!json_is_object(o)) {
        problem(b, path, "must be {ram_class, storage_class, categories}");
        return;
    }
    sw_json_closed(b->problems, o, path, allowed);
    const char *names[2] = {json_string_value(json_object_get(o, "ram_class")),
                            json_string_value(json_object_get(o, "storage_class"))};
    int idx[2] = {class_index(sc, classes, names[0]), class_index(sc, classes, names[1])};
    if (idx[0] < 0 || idx[1] < 0 || idx[0] == idx[1]) {
        problem(b, path, "ram_class and storage_class must name two classes of units");
        return;
    }
    sc->ram_class = idx[0];
    sc->storage_class = idx[1];
    sw__catset_of(b, o, path, &sc->memory_cs);
    char q[160];
    snprintf(q, sizeof q, "%s.ram_labels", path);
    sw__collect_words(b, q, json_object_get(o, "ram_labels"), &sc->ram_labels);
}

/* consistency.spec.listed: [{class, labels}...]: a list of kinds after a label states a count
 * of them, an amount of the class (listed.c). */
static void listed(struct builder *b, const json_t *arr, const char *path, const char **classes)
{
    struct sw_scanner *sc = b->sc;
    sc->nlisted = 0;
    if (!arr)
        return;
    if (!json_is_array(arr) || json_array_size(arr) > SW_LISTED_MAX) {
        problem(b, path, "must be a list of at most 4 {class, labels, skip}");
        return;
    }
    static const char *const allowed[] = {"class", "labels", "skip", "choices", "note", NULL};
    size_t i;
    const json_t *o;
    json_array_foreach(arr, i, o)
    {
        char p[160], q[176];
        snprintf(p, sizeof p, "%s[%zu]", path, i);
        if (!json_is_object(o)) {
            problem(b, p, "must be {class, labels}");
            continue;
        }
        sw_json_closed(b->problems, o, p, allowed);
        int c = class_index(sc, classes, json_string_value(json_object_get(o, "class")));
        if (c < 0) {
            problem(b, p, "class must name a class of units");
            continue;
        }
        struct sw_listed *l = &sc->listed[sc->nlisted++];
        l->cls = c;
        snprintf(q, sizeof q, "%s.labels", p);
        sw__collect_words(b, q, json_object_get(o, "labels"), &l->labels);
        snprintf(q, sizeof q, "%s.skip", p);
        sw__collect_words(b, q, json_object_get(o, "skip"), &l->skip);
        const json_t *ch = json_object_get(o, "choices");
        if (ch && !json_is_boolean(ch))
            problem(b, p, "choices must be true or false");
        l->choices = json_is_true(ch);
    }
}

/* The names of the units of the listed classes (色, 种颜色, 件套...): what a title names when
 * it counts kinds a list may give (sw__may_list). */
static void listed_units(struct builder *b, const char *path)
{
    struct sw_scanner *sc = b->sc;
    json_t *names = json_array();
    for (int u = 0; names && u < sc->nunits; u++) {
        bool listed = false;
        for (int i = 0; i < sc->nlisted; i++)
            listed |= sc->listed[i].cls == sc->units[u].cls;
        for (int k = 0; listed && k < sc->units[u].names.n; k++)
            json_array_append_new(names,
                                  json_stringn(sc->units[u].names.w[k], sc->units[u].names.len[k]));
    }
    if (names && json_array_size(names))
        sw__collect_words(b, path, names, &sc->listed_units);
    json_decref(names);
}

/* consistency.spec.fibres: {categories, claims, not_after, parts, excludes, fibres: [{fibre,
 * names}]}: the words fibres.c reads around a fibre's name (no patterns: it looks only where
 * a title claims a pure fibre, in the categories given). */
static void fibres(struct builder *b, const json_t *o, const char *path)
{
    struct sw_fibres *fb = &b->sc->fibres;
    if (!o)
        return;
    static const char *const allowed[] = {"categories", "claims", "named",   "not_after", "parts",
                                          "excludes",   "fibres", "fabrics", "note",      NULL};
    const json_t *list = json_object_get(o, "fibres");
    if (!json_is_object(o) || !json_is_array(list) || json_array_size(list) > 64) {
        problem(b, path,
                "must be {categories, claims, named, not_after, parts, excludes, fibres: [up to "
                "64 {fibre, names}]}");
        return;
    }
    sw_json_closed(b->problems, o, path, allowed);
    char q[160];
    static const char *const keys[] = {"claims",   "named",   "not_after", "parts",
                                       "excludes", "fabrics", NULL};
    struct sw_words *dst[] = {&fb->claims, &fb->named,    &fb->not_after,
                              &fb->parts,  &fb->excludes, &fb->fabrics};
    sw__word_lists(b, o, path, keys, dst);
    sw__catset_of(b, o, path, &fb->cs);
    fb->names = calloc(json_array_size(list) + 1, sizeof *fb->names);
    size_t i;
    const json_t *g;
    json_array_foreach(list, i, g)
    {
        snprintf(q, sizeof q, "%s.fibres[%zu]", path, i);
        static const char *const gk[] = {"fibre", "names", NULL};
        if (!fb->names || !json_is_object(g) || !json_is_string(json_object_get(g, "fibre"))) {
            problem(b, q, "must be {fibre, names}");
            continue;
        }
        sw_json_closed(b->problems, g, q, gk);
        snprintf(q, sizeof q, "%s.fibres[%zu].names", path, i);
        struct sw_words *w = &fb->names[fb->n++];
        sw__collect_words(b, q, json_object_get(g, "names"), w);
        for (int k = 0; k < w->n; k++) {
            unsigned h = sw__fibre_hash((const unsigned char *)w->w[k], w->len[k]);
            fb->starts[h >> 6] |= (uint64_t)1 << (h & 63);
        }
    }
}

/* consistency.spec.concentrations: {categories, ingredients: [{ingredient, names}]}: the
 * names concentrations.c reads a percentage next to (no patterns: it looks only where the
 * titles and the detail both hold a '%', in the categories given). */
static void concentrations(struct builder *b, const json_t *o, const char *path)
{
    struct sw_concs *cc = &b->sc->concs;
    if (!o)
        return;
    static const char *const allowed[] = {"categories", "ingredients", "note", NULL};
    const json_t *list = json_object_get(o, "ingredients");
    if (!json_is_object(o) || !json_is_array(list) || json_array_size(list) > 256) {
        problem(b, path, "must be {categories, ingredients: [up to 256 {ingredient, names}]}");
        return;
    }
    sw_json_closed(b->problems, o, path, allowed);
    sw__catset_of(b, o, path, &cc->cs);
    cc->names = calloc(json_array_size(list) + 1, sizeof *cc->names);
    char q[160];
    size_t i;
    const json_t *g;
    json_array_foreach(list, i, g)
    {
        snprintf(q, sizeof q, "%s.ingredients[%zu]", path, i);
        static const char *const gk[] = {"ingredient", "names", NULL};
        if (!cc->names || !json_is_object(g) || !json_is_string(json_object_get(g, "ingredient"))) {
            problem(b, q, "must be {ingredient, names}");
            continue;
        }
        sw_json_closed(b->problems, g, q, gk);
        snprintf(q, sizeof q, "%s.ingredients[%zu].names", path, i);
        sw__collect_words(b, q, json_object_get(g, "names"), &cc->names[cc->n++]);
    }
    /* a digit and a content's unit: the titles' contents are read only when they hold one */
    static const char *const units[] = {SW_CONTENT_UNITS};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
        for (int d = 0; d < 10; d++) {
            char lit[16];
            snprintf(lit, sizeof lit, "%d%s", d, units[u]);
            json_t *w = json_string(lit);
            sw__add_word(b, path, w, R_CONTENT_UNIT, 0);
            json_decref(w);
        }
}

/* consistency.spec.doses: {categories}: where doses.c compares a container's pieces over the
 * day's dose with the days the text says it lasts. */
static void doses(struct builder *b, const json_t *o, const char *path)
{
    if (!o)
        return;
    if (!json_is_object(o)) {
        problem(b, path, "must be {categories}");
        return;
    }
    static const char *const allowed[] = {"categories", "note", NULL};
    sw_json_closed(b->problems, o, path, allowed);
    sw__catset_of(b, o, path, &b->sc->doses_cs);
    b->sc->doses_on = true;
}

/* A list of unit classes into a bit per class: consistency.spec.several (classes a detail
 * states several amounts of: a charger's input and each port's output; the titles' amount
 * stated there excuses the others) and consistency.spec.self_stating (classes whose one value
 * in the detail needs no label: a formula's 1段). With cats (self_stating), an entry may be
 * {"class", "categories"}: the class only in those categories (sc->self_cs). */
static void class_mask(struct builder *b, const json_t *arr, const char *path, const char **classes,
                       uint64_t *mask, bool cats)
{
    struct sw_scanner *sc = b->sc;
    *mask = 0;
    if (!arr)
        return;
    if (!json_is_array(arr)) {
        problem(b, path, "must be an array of unit classes");
        return;
    }
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v)
    {
        bool obj = cats && json_is_object(v);
        int c = class_index(sc, classes, json_string_value(obj ? json_object_get(v, "class") : v));
        if (c < 0 || c >= 64) {
            problem(b, path, "[%zu] names no class of units", i);
            continue;
        }
        *mask |= (uint64_t)1 << c;
        if (!obj)
            continue;
        char q[224];
        snprintf(q, sizeof q, "%s[%zu]", path, i);
        if (sc->nself_cs == 8) {
            problem(b, q, "at most 8 classes with categories");
            continue;
        }
        sw__catset_of(b, v, q, &sc->self_cs[sc->nself_cs]);
        sc->self_cs_cls[sc->nself_cs++] = c;
    }
}

/* consistency.spec.conversions: {tolerance, bridges: [{from, to, factor, converted_only}]}. */
static void conversions(struct builder *b, const json_t *o, const char *path, const char **classes)
{
    struct sw_conversions *cv = &b->sc->conversions;
    if (!o)
        return;
    static const char *const allowed[] = {"tolerance", "bridges", "note", NULL};
    if (!json_is_object(o)) {
        problem(b, path, "must be {tolerance, bridges}");
        return;
    }
    sw_json_closed(b->problems, o, path, allowed);
    json_int_t t = json_integer_value(json_object_get(o, "tolerance"));
    if (t < 1 || t > 50)
        problem(b, path, "tolerance must be 1-50 (percent)");
    cv->tolerance = (int)t;
    const json_t *br = json_object_get(o, "bridges");
    if (br && (!json_is_array(br) || json_array_size(br) > 4)) {
        problem(b, path, "bridges must be an array of up to 4 {from, to, factor}");
        return;
    }
    size_t i;
    const json_t *e;
    json_array_foreach(br, i, e)
    {
        char q[224];
        snprintf(q, sizeof q, "%s.bridges[%zu]", path, i);
        static const char *const keys[] = {"from", "to", "factor", "converted_only", NULL};
        sw_json_closed(b->problems, e, q, keys);
        struct sw_bridge *x = &cv->bridges[cv->nbridges];
        x->from = class_index(b->sc, classes, json_string_value(json_object_get(e, "from")));
        x->to = class_index(b->sc, classes, json_string_value(json_object_get(e, "to")));
        x->factor = json_number_value(json_object_get(e, "factor"));
        x->converted_only = json_is_true(json_object_get(e, "converted_only"));
        if (x->from < 0 || x->to < 0 || x->from == x->to || !(x->factor > 0))
            problem(b, q, "must name two classes of units and a factor above 0");
        else
            cv->nbridges++;
    }
    /* the names a title's conversion needs one of: units with a fraction, bridged classes */
    json_t *names = json_array();
    for (int u = 0; u < b->sc->nunits; u++) {
        bool from = false;
        for (int k = 0; k < cv->nbridges; k++)
            from = from || cv->bridges[k].from == b->sc->units[u].cls;
        for (int k = 0; (b->sc->units[u].approx || from) && k < b->sc->units[u].names.n; k++)
            if (b->sc->units[u].approx || b->sc->units[u].names.len[k] > 3) /* not 寸 alone: 尺寸 */
                json_array_append_new(names, json_string(b->sc->units[u].names.w[k]));
    }
    sw__add_words(b, path, names, R_CONV_UNIT, 0, false); /* matched: a title naming none has
                                                              no conversion to read */
    json_decref(names);
}

/* consistency.spec.sizes: {categories, labels, only, missing, one_size}: the words sizes.c reads
 * (the sizes themselves, XS to 5XL, are the check's). */
static void sizes(struct builder *b, const json_t *o, const char *path)
{
    struct sw_sizes *sz = &b->sc->sizes;
    if (!o)
        return;
    static const char *const allowed[] = {"categories", "labels", "only",    "missing",
                                          "one_size",   "note",   "lengths", NULL};
    if (!json_is_object(o)) {
        problem(b, path, "must be {categories, labels, only, missing, one_size}");
        return;
    }
    sw_json_closed(b->problems, o, path, allowed);
    static const char *const keys[] = {"labels", "only", "missing", "one_size", "lengths", NULL};
    struct sw_words *dst[] = {&sz->labels, &sz->only, &sz->missing, &sz->one_size, &sz->lengths};
    sw__word_lists(b, o, path, keys, dst);
    sw__catset_of(b, o, path, &sz->cs);
    sz->on = sz->labels.n > 0;
}

/* Words that state a total right before its number (共8只, 合计 6 瓶): each is matched with the
 * digit after it, so that the word alone (common) is no hit, as a spec label. */
static void count_labels(struct builder *b, const json_t *arr, const char *path)
{
    if (!arr)
        return;
    if (!json_is_array(arr) || json_array_size(arr) > 32) {
        problem(b, path, "must be an array of up to 32 words");
        return;
    }
    size_t i;
    const json_t *w;
    json_array_foreach(arr, i, w)
    {
        const char *s = json_string_value(w);
        char ip[224];
        snprintf(ip, sizeof ip, "%s[%zu]", path, i);
        if (!s || !s[0] || strlen(s) > 32) {
            problem(b, ip, "must be a word of 1-32 bytes");
            continue;
        }
        for (int d = 0; d < 10 + NUMERAL_ENDS; d++) { /* 共8只, 一共三斤 */
            char lit[48];
            if (d < 10)
                snprintf(lit, sizeof lit, "%s%d", s, d);
            else
                snprintf(lit, sizeof lit, "%s%s", s, numeral_ends[d - 10]);
            json_t *pw = json_string(lit);
            sw__add_word(b, ip, pw, R_SPEC_LABEL, 1); /* owner 1: a total (specs.c) */
            json_decref(pw);
        }
    }
}

/* consistency.spec.size_words and fitting_words: {classes, words}: an amount of one of the
 * classes right before one of the words is of one piece (80mm大果), or a fitting's size and no
 * measure of the goods (3.5mm 耳机孔). */
static void class_words(struct builder *b, const json_t *o, const char *path, const char **classes,
                        struct sw_class_words *cw)
{
    cw->classes = 0;
    if (!o)
        return;
    static const char *const allowed[] = {"classes", "words", "note", NULL};
    if (!json_is_object(o)) {
        problem(b, path, "must be {classes, words}");
        return;
    }
    sw_json_closed(b->problems, o, path, allowed);
    char q[200];
    snprintf(q, sizeof q, "%s.classes", path);
    class_mask(b, json_object_get(o, "classes"), q, classes, &cw->classes, false);
    snprintf(q, sizeof q, "%s.words", path);
    sw__collect_words(b, q, json_object_get(o, "words"), &cw->words);
}

/* consistency.spec.piece_words: {classes, before, after}: an amount of one of the classes right
 * after a word of `before` (公4两: one male crab's) or right before one of `after`, as written
 * (3两/只, 3两左右一只), is of one piece; unlike per_words, each is read on its own side only. */
static void piece_words(struct builder *b, const json_t *o, const char *path, const char **classes)
{
    struct sw_scanner *sc = b->sc;
    sc->piece_before.classes = sc->piece_after.classes = 0;
    if (!o)
        return;
    static const char *const allowed[] = {"classes", "before", "after", "note", NULL};
    if (!json_is_object(o)) {
        problem(b, path, "must be {classes, before, after}");
        return;
    }
    sw_json_closed(b->problems, o, path, allowed);
    char q[200];
    snprintf(q, sizeof q, "%s.classes", path);
    class_mask(b, json_object_get(o, "classes"), q, classes, &sc->piece_before.classes, false);
    sc->piece_after.classes = sc->piece_before.classes;
    snprintf(q, sizeof q, "%s.before", path);
    sw__collect_words(b, q, json_object_get(o, "before"), &sc->piece_before.words);
    snprintf(q, sizeof q, "%s.after", path);
    sw__collect_written_words(b, q, json_object_get(o, "after"), &sc->piece_after.words);
}

/* consistency.spec (the detector's own fields, rule and labels, are read by the caller). */
void sw__build_spec(struct builder *b, const json_t *o, const char *p)
{
    struct sw_scanner *sc = b->sc;
    char q[200];
    const char *classes[64] = {0};
    snprintf(q, sizeof q, "%s.units", p);
    build_units(b, json_object_get(o, "units"), q, classes);
    snprintf(q, sizeof q, "%s.several", p);
    class_mask(b, json_object_get(o, "several"), q, classes, &sc->several, false);
    snprintf(q, sizeof q, "%s.measures", p);
    class_mask(b, json_object_get(o, "measures"), q, classes, &sc->measures, false);
    snprintf(q, sizeof q, "%s.dimensions", p);
    class_mask(b, json_object_get(o, "dimensions"), q, classes, &sc->dimensions, false);
    snprintf(q, sizeof q, "%s.self_stating", p);
    sc->nself_cs = 0;
    class_mask(b, json_object_get(o, "self_stating"), q, classes, &sc->self_stating, true);
    sc->nself_units = 0;
    for (int u = 0; u < sc->nunits && sc->nself_units < 16; u++)
        if (sc->units[u].cls >= 0 && sc->units[u].cls < 64 &&
            (sc->self_stating >> sc->units[u].cls & 1))
            sc->self_units[sc->nself_units++] = u;
    snprintf(q, sizeof q, "%s.listed", p);
    listed(b, json_object_get(o, "listed"), q, classes);
    listed_units(b, q);
    snprintf(q, sizeof q, "%s.memory", p);
    memory_pairs(b, json_object_get(o, "memory"), q, classes);
    snprintf(q, sizeof q, "%s.count_labels", p);
    count_labels(b, json_object_get(o, "count_labels"), q);
    snprintf(q, sizeof q, "%s.per_words", p);
    sw__collect_words(b, q, json_object_get(o, "per_words"), &sc->per_words);
    snprintf(q, sizeof q, "%s.size_words", p);
    class_words(b, json_object_get(o, "size_words"), q, classes, &sc->size_words);
    snprintf(q, sizeof q, "%s.fitting_words", p);
    class_words(b, json_object_get(o, "fitting_words"), q, classes, &sc->fitting_words);
    snprintf(q, sizeof q, "%s.nutrient_words", p);
    class_words(b, json_object_get(o, "nutrient_words"), q, classes, &sc->nutrients);
    snprintf(q, sizeof q, "%s.piece_words", p);
    piece_words(b, json_object_get(o, "piece_words"), q, classes);
    snprintf(q, sizeof q, "%s.others", p);
    sw__collect_words(b, q, json_object_get(o, "others"), &sc->spec_others);
    snprintf(q, sizeof q, "%s.gifts", p);
    sw__collect_words(b, q, json_object_get(o, "gifts"), &sc->spec_gifts);
    snprintf(q, sizeof q, "%s.not_gifts", p);
    sw__collect_words(b, q, json_object_get(o, "not_gifts"), &sc->spec_not_gifts);
    snprintf(q, sizeof q, "%s.limits", p);
    sw__collect_words(b, q, json_object_get(o, "limits"), &sc->spec_limits);
    snprintf(q, sizeof q, "%s.changes", p);
    sw__collect_words(b, q, json_object_get(o, "changes"), &sc->spec_changes);
    snprintf(q, sizeof q, "%s.dose_times", p);
    sw__collect_words(b, q, json_object_get(o, "dose_times"), &sc->spec_dose_times);
    snprintf(q, sizeof q, "%s.one_piece", p);
    sw__collect_words(b, q, json_object_get(o, "one_piece"), &sc->spec_one_piece);
    snprintf(q, sizeof q, "%s.promises", p);
    sw__collect_words(b, q, json_object_get(o, "promises"), &sc->spec_promises);
    snprintf(q, sizeof q, "%s.sizes", p);
    sizes(b, json_object_get(o, "sizes"), q);
    snprintf(q, sizeof q, "%s.conversions", p);
    conversions(b, json_object_get(o, "conversions"), q, classes);
    snprintf(q, sizeof q, "%s.fibres", p);
    fibres(b, json_object_get(o, "fibres"), q);
    snprintf(q, sizeof q, "%s.concentrations", p);
    concentrations(b, json_object_get(o, "concentrations"), q);
    snprintf(q, sizeof q, "%s.doses", p);
    doses(b, json_object_get(o, "doses"), q);
}
