/* The scanner builder's diversion and consistency detectors: their word lists, brand and
 * unit groups and carrier names, read from the policy's "scan" section and checked with a
 * JSON path for every problem. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/compile_int.h"

void sw__build_diversion(struct builder *b, const json_t *d)
{
    struct sw_scanner *sc = b->sc;
    const char *P = "$.scan.diversion";
    static const char *const allowed[] = {"severity", "wechat", "qq",      "messaging", "phone",
                                          "url",      "email",  "qr_code", NULL};
    sw_json_closed(b->problems, d, P, allowed);
    const char *sev = sw__severity_of(b, d, P, NULL);
    const char *T = "external_diversion";
    char p[128];
    static const struct wordspec wechat[] = {{"keywords", R_WX_KW, true},
                                             {"invites", R_WX_INVITE, false}};
    static const struct wordspec qq[] = {{"keywords", R_QQ_KW, true}};
    static const struct wordspec url[] = {{"schemes", R_URL_SCHEME, true}, {"tlds", R_TLD, true}};
    static const char *const wechat_extra[] = {"warnings", NULL};
    const json_t *wo =
        sw__detector(b, d, P, "wechat", T, sev, &sc->wechat, wechat, 2, wechat_extra, p, sizeof p);
    if (wo && json_object_get(wo, "warnings")) {
        char wq[192];
        snprintf(wq, sizeof wq, "%s.warnings", p);
        sw__collect_words(b, wq, json_object_get(wo, "warnings"), &sc->invite_warnings);
    }
    sw__detector(b, d, P, "qq", T, sev, &sc->qq, qq, 1, NULL, p, sizeof p);
    /* other messaging apps (optional): an id follows their name after a marker */
    static const struct wordspec msg[] = {{"keywords", R_MSG_KW, true}};
    static const char *const note[] = {"note", NULL};
    if (json_object_get(d, "messaging"))
        sw__detector(b, d, P, "messaging", T, sev, &sc->messaging, msg, 1, note, p, sizeof p);
    /* phone numbers: digit runs come from the normaliser (sw_normalize_runs), not a pattern;
     * after a label (电话：), any 7-12 digits */
    static const struct wordspec phone[] = {{"labels", R_PHONE_LABEL, false}};
    sw__detector(b, d, P, "phone", T, sev, &sc->phone, phone, 1, NULL, p, sizeof p);
    const json_t *o = sw__detector(b, d, P, "url", T, sev, &sc->url, url, 2, NULL, p, sizeof p);
    char q[192];
    snprintf(q, sizeof q, "%s.tlds", p);
    size_t i;
    const json_t *t;
    json_array_foreach(json_object_get(o, "tlds"), i, t)
    {
        const char *s = json_string_value(t);
        for (; s && *s; s++)
            if (!(*s >= 'a' && *s <= 'z')) {
                problem(b, q, "tlds[%zu] must be lower-case letters", i);
                break;
            }
    }
    static const struct wordspec email[] = {{"at_words", R_AT, false}};
    if (sw__detector(b, d, P, "email", T, sev, &sc->email, email, 1, NULL, p, sizeof p))
        sw__add_regex(b, "@", R_AT, 1);
    sw__detector(b, d, P, "qr_code", T, sev, &sc->qr, NULL, 0, NULL, p, sizeof p);
}

static void build_brands(struct builder *b, const json_t *o, const char *p)
{
    struct sw_scanner *sc = b->sc;
    char q[160];
    const json_t *brands = json_object_get(o, "brands");
    snprintf(q, sizeof q, "%s.brands", p);
    if (!json_is_array(brands)) {
        problem(b, q, "must be an array of {name, aliases, categories}");
        return;
    }
    if (json_array_size(brands) > 60000) {
        problem(b, q, "more than 60000 brands");
        return;
    }
    sc->brands = calloc(json_array_size(brands) + 1, sizeof *sc->brands);
    size_t i;
    const json_t *br;
    json_array_foreach(brands, i, br)
    {
        char bp[192];
        snprintf(bp, sizeof bp, "%s[%zu]", q, i);
        static const char *const a[] = {"name", "aliases", "categories", "not_a_brand", NULL};
        if (!json_is_object(br)) {
            problem(b, bp, "must be an object");
            continue;
        }
        sw_json_closed(b->problems, br, bp, a);
        struct sw_brand *bd = &sc->brands[sc->nbrands];
        const json_t *name = json_object_get(br, "name");
        char np[224];
        snprintf(np, sizeof np, "%s.name", bp);
        if (!json_is_string(name)) {
            problem(b, np, "missing or not a string");
            continue;
        }
        bd->name = json_string_value(name);
        bd->not_a_brand = json_is_true(json_object_get(br, "not_a_brand"));
        sw__catset_of(b, br, bp, &bd->cs);
        json_t *all = json_array();
        json_array_append(all, (json_t *)name);
        const json_t *aliases = json_object_get(br, "aliases");
        if (aliases && (!json_is_array(aliases) || json_array_size(aliases) > 7))
            problem(b, bp, "aliases must be an array of up to 7 strings");
        else if (aliases)
            json_array_extend(all, (json_t *)aliases);
        size_t k;
        const json_t *w;
        json_array_foreach(all, k, w)
        {
            snprintf(np, sizeof np, "%s.%s", bp, k == 0 ? "name" : "aliases");
            int before = sc->npat;
            sw__add_word(b, np, w, R_BRAND, sc->nbrands);
            if (sc->npat > before && bd->nnorm < 8) /* to compare with the listing's brand */
                bd->norm[bd->nnorm++] = strdup(b->raw[sc->npat - 1]);
        }
        json_decref(all);
        sc->nbrands++;
    }
}

/* An array of {<key>: code, <words>: [...]} (promises, carriers): each group's words get
 * `role` and the group's index as owner; the codes land in *codes. */
static void add_groups(struct builder *b, const json_t *arr, const char *path, const char *key,
                       const char *words, int role, const char ***codes, int *n)
{
    if (!json_is_array(arr) || json_array_size(arr) > 1000) {
        problem(b, path, "must be an array of up to 1000 {%s, %s}", key, words);
        return;
    }
    *codes = calloc(json_array_size(arr) + 1, sizeof(char *));
    if (!*codes)
        return;
    size_t i;
    const json_t *e;
    json_array_foreach(arr, i, e)
    {
        char ep[192], tp[224];
        snprintf(ep, sizeof ep, "%s[%zu]", path, i);
        const char *code = json_string_value(json_object_get(e, key));
        if (!json_is_object(e) || !code) {
            problem(b, ep, "must be an object with %s and %s", key, words);
            continue;
        }
        const char *const allowed[] = {key, words, NULL};
        sw_json_closed(b->problems, e, ep, allowed);
        snprintf(tp, sizeof tp, "%s.%s", ep, words);
        sw__add_words(b, tp, json_object_get(e, words), role, *n, true);
        (*codes)[(*n)++] = code;
    }
}

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
        static const char *const allowed[] = {"class", "factor", "names",    "categories",
                                              "min",   "pow2",   "numerals", NULL};
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
        const json_t *min = json_object_get(u, "min");
        if (min && (!json_is_integer(min) || json_integer_value(min) < 0 ||
                    json_integer_value(min) > 1000000))
            problem(b, up, "min must be an integer 0-1000000");
        else if (min)
            sc->units[sc->nunits].min = json_integer_value(min);
        const json_t *pow2 = json_object_get(u, "pow2");
        if (pow2 && !json_is_boolean(pow2))
            problem(b, up, "pow2 must be true or false");
        sc->units[sc->nunits].pow2 = json_is_true(pow2);
        const json_t *numerals = json_object_get(u, "numerals");
        if (numerals && !json_is_boolean(numerals))
            problem(b, up, "numerals must be true or false");
        sc->units[sc->nunits].numerals = json_is_true(numerals);
        sc->numeral_units |= json_is_true(numerals);
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
    static const char *const allowed[] = {"class", "labels", "skip", "note", NULL};
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

/* The word lists keys[k] of object o into *dst[k] (keys end with NULL). */
static void word_lists(struct builder *b, const json_t *o, const char *path,
                       const char *const *keys, struct sw_words *const *dst)
{
    char q[160];
    for (int k = 0; keys[k]; k++) {
        snprintf(q, sizeof q, "%s.%s", path, keys[k]);
        sw__collect_words(b, q, json_object_get(o, keys[k]), dst[k]);
    }
}

/* consistency.spec.fibres: {categories, claims, not_after, parts, excludes, fibres: [{fibre,
 * names}]}: the words fibres.c reads around a fibre's name (no patterns: it looks only where
 * a title claims a pure fibre, in the categories given). */
static void fibres(struct builder *b, const json_t *o, const char *path)
{
    struct sw_fibres *fb = &b->sc->fibres;
    if (!o)
        return;
    static const char *const allowed[] = {"categories", "claims", "not_after", "parts",
                                          "excludes",   "fibres", "note",      NULL};
    const json_t *list = json_object_get(o, "fibres");
    if (!json_is_object(o) || !json_is_array(list) || json_array_size(list) > 64) {
        problem(b, path,
                "must be {categories, claims, not_after, parts, excludes, fibres: [up to "
                "64 {fibre, names}]}");
        return;
    }
    sw_json_closed(b->problems, o, path, allowed);
    char q[160];
    static const char *const keys[] = {"claims", "not_after", "parts", "excludes", NULL};
    struct sw_words *dst[] = {&fb->claims, &fb->not_after, &fb->parts, &fb->excludes};
    word_lists(b, o, path, keys, dst);
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

/* Each group's names (carriers', origins'), normalised, in the order add_groups numbered the
 * groups (an entry without `key` is skipped by both): to read shipping_method with. */
static struct sw_words *group_names(struct builder *b, const json_t *arr, const char *path,
                                    const char *key, int n)
{
    struct sw_words *out = calloc((size_t)n + 1, sizeof *out);
    if (!out)
        return NULL;
    size_t i;
    const json_t *e;
    int k = 0;
    json_array_foreach(arr, i, e)
    {
        if (k >= n || !json_is_object(e) || !json_string_value(json_object_get(e, key)))
            continue; /* as add_groups skips it */
        char q[224];
        snprintf(q, sizeof q, "%s[%zu].names", path, i);
        sw__collect_words(b, q, json_object_get(e, "names"), &out[k++]);
    }
    return out;
}

/* consistency.carrier.origins: [{kind, names}], up to 8 kinds of where goods ship from: each
 * name a pattern (role R_ORIGIN, the kind as owner), and each kind's names kept to read
 * shipping_method. */
static void origins(struct builder *b, const json_t *arr, const char *path)
{
    struct sw_origins *og = &b->sc->origins;
    if (!arr)
        return;
    if (!json_is_array(arr) || json_array_size(arr) > 8) {
        problem(b, path, "must be an array of up to 8 {kind, names}");
        return;
    }
    add_groups(b, arr, path, "kind", "names", R_ORIGIN, &og->kind, &og->n);
    if (!(og->names = group_names(b, arr, path, "kind", og->n)))
        problem(b, path, "out of memory");
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
}

/* consistency.spec.sizes: {categories, labels, only, missing, one_size}: the words sizes.c reads
 * (the sizes themselves, XS to 5XL, are the check's). */
static void sizes(struct builder *b, const json_t *o, const char *path)
{
    struct sw_sizes *sz = &b->sc->sizes;
    if (!o)
        return;
    static const char *const allowed[] = {"categories", "labels", "only", "missing",
                                          "one_size",   "note",   NULL};
    if (!json_is_object(o)) {
        problem(b, path, "must be {categories, labels, only, missing, one_size}");
        return;
    }
    sw_json_closed(b->problems, o, path, allowed);
    static const char *const keys[] = {"labels", "only", "missing", "one_size", NULL};
    struct sw_words *dst[] = {&sz->labels, &sz->only, &sz->missing, &sz->one_size};
    word_lists(b, o, path, keys, dst);
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
            sw__add_word(b, ip, pw, R_SPEC_LABEL, 0);
            json_decref(pw);
        }
    }
}

/* consistency.previous: {words, not, reach}: a word of `words` up to `reach` characters before
 * a value, a price, a claim or a promise marks it as what the listing was (原50g, 原¥39.9,
 * 原包邮, 原支持7天无理由); a word of `not` starting where it starts (原味, 原装) is none. */
static void previous(struct builder *b, const json_t *o, const char *path)
{
    struct sw_scanner *sc = b->sc;
    if (!o)
        return;
    static const char *const allowed[] = {"words", "not", "gone", "reach", "note", NULL};
    if (!json_is_object(o)) {
        problem(b, path, "must be {words, not, reach}");
        return;
    }
    sw_json_closed(b->problems, o, path, allowed);
    static const char *const keys[] = {"words", "not", "gone", NULL};
    struct sw_words *const dst[] = {&sc->prev_words, &sc->prev_not, &sc->prev_gone};
    word_lists(b, o, path, keys, dst);
    const json_t *r = json_object_get(o, "reach");
    sc->prev_reach = r ? (int)json_integer_value(r) : 3;
    if (r && (!json_is_integer(r) || sc->prev_reach < 0 || sc->prev_reach > 12))
        problem(b, path, "reach must be 0-12 characters");
}

void sw__build_consistency(struct builder *b, const json_t *c)
{
    struct sw_scanner *sc = b->sc;
    const char *P = "$.scan.consistency";
    static const char *const allowed[] = {"severity",    "free_shipping", "brand", "price",
                                          "after_sales", "carrier",       "spec",  "attributes",
                                          "previous",    "facts",         "gifts", NULL};
    sw_json_closed(b->problems, c, P, allowed);
    const char *sev = sw__severity_of(b, c, P, NULL);
    const char *T = "key_info_inconsistent";
    char p[128], q[192];
    const json_t *o;
    static const struct wordspec ship[] = {{"claims", R_SHIP_CLAIM, true},
                                           {"denials", R_SHIP_DENIAL, true},
                                           {"freight_labels", R_FREIGHT_LABEL, false}};
    static const struct wordspec brand[] = {{"labels", R_BRAND_LABEL, true}};
    static const struct wordspec price[] = {{"labels", R_PRICE_LABEL, true},
                                            {"ignore", R_PRICE_IGNORE, false},
                                            {"after", R_PRICE_AFTER, false}};
    static const struct wordspec carrier[] = {{"denials", R_CARRIER_DENIAL, true}};
    static const char *const brand_extra[] = {
        "compat",     "compat_after",     "accessories", "genuine",   "brands",
        "title_tags", "title_tag_stores", "house",       "house_not", "lead_markers",
        "lead_not",   "cell_labels",      NULL};
    static const char *const promises_extra[] = {"promises", "denials", "denial_conditions",
                                                 "lookups", NULL};
    static const char *const carriers_extra[] = {
        "carriers", "ship_words", "ship_after", "ship_options", "upgrades", "origins", NULL};
    static const struct wordspec spec[] = {{"labels", R_SPEC_LABEL, true}};
    static const char *const spec_extra[] = {"units",    "count_labels", "per_words",   "memory",
                                             "fibres",   "others",       "limits",      "sizes",
                                             "several",  "self_stating", "listed",      "changes",
                                             "measures", "one_piece",    "conversions", NULL};
    static const char *const ship_extra[] = {"conditions", "waivers",    "exceptions",
                                             "regions",    "surcharges", NULL};
    if ((o = sw__detector(b, c, P, "free_shipping", T, sev, &sc->ship, ship, 3, ship_extra, p,
                          sizeof p))) {
        snprintf(q, sizeof q, "%s.conditions", p);
        sw__collect_words(b, q, json_object_get(o, "conditions"), &sc->ship_conditions);
        snprintf(q, sizeof q, "%s.waivers", p);
        sw__collect_words(b, q, json_object_get(o, "waivers"), &sc->ship_waivers);
        snprintf(q, sizeof q, "%s.exceptions", p);
        sw__collect_words(b, q, json_object_get(o, "exceptions"), &sc->ship_exceptions);
        snprintf(q, sizeof q, "%s.regions", p);
        sw__collect_words(b, q, json_object_get(o, "regions"), &sc->ship_regions);
        snprintf(q, sizeof q, "%s.surcharges", p);
        sw__collect_words(b, q, json_object_get(o, "surcharges"), &sc->ship_surcharges);
    }
    if ((o = sw__detector(b, c, P, "brand", T, sev, &sc->brand, brand, 1, brand_extra, p,
                          sizeof p))) {
        snprintf(q, sizeof q, "%s.compat", p);
        sw__collect_words(b, q, json_object_get(o, "compat"), &sc->compat);
        snprintf(q, sizeof q, "%s.compat_after", p);
        sw__collect_words(b, q, json_object_get(o, "compat_after"), &sc->compat_after);
        snprintf(q, sizeof q, "%s.accessories", p);
        sw__collect_words(b, q, json_object_get(o, "accessories"), &sc->accessories);
        snprintf(q, sizeof q, "%s.genuine", p);
        sw__collect_words(b, q, json_object_get(o, "genuine"), &sc->genuine);
        snprintf(q, sizeof q, "%s.title_tags", p);
        sw__collect_words(b, q, json_object_get(o, "title_tags"), &sc->title_tags);
        snprintf(q, sizeof q, "%s.title_tag_stores", p);
        sw__collect_words(b, q, json_object_get(o, "title_tag_stores"), &sc->title_tag_stores);
        /* a brand as a name before these (澜渟家的): brand labels of owner 1 */
        snprintf(q, sizeof q, "%s.house", p);
        sw__add_words(b, q, json_object_get(o, "house"), R_BRAND_LABEL, 1, false);
        /* a table's cell label (品牌｜绯妆): brand labels of owner 2, read before a bar only */
        snprintf(q, sizeof q, "%s.cell_labels", p);
        sw__add_words(b, q, json_object_get(o, "cell_labels"), R_BRAND_LABEL, 2, false);
        snprintf(q, sizeof q, "%s.house_not", p);
        sw__collect_words(b, q, json_object_get(o, "house_not"), &sc->house_not);
        snprintf(q, sizeof q, "%s.lead_markers", p);
        sw__collect_words(b, q, json_object_get(o, "lead_markers"), &sc->lead_markers);
        snprintf(q, sizeof q, "%s.lead_not", p);
        sw__collect_words(b, q, json_object_get(o, "lead_not"), &sc->lead_not);
        build_brands(b, o, p);
    }
    /* conditions (满, 减) are common characters: looked up behind an amount, not matched */
    static const char *const price_extra[] = {"conditions", "title_amounts", "not_after",
                                              "currencies", NULL};
    if ((o = sw__detector(b, c, P, "price", T, sev, &sc->price, price, 3, price_extra, p,
                          sizeof p))) {
        snprintf(q, sizeof q, "%s.conditions", p);
        sw__collect_words(b, q, json_object_get(o, "conditions"), &sc->price_conds);
        snprintf(q, sizeof q, "%s.not_after", p);
        sw__collect_words(b, q, json_object_get(o, "not_after"), &sc->price_not_after);
        snprintf(q, sizeof q, "%s.currencies", p);
        sw__collect_words(b, q, json_object_get(o, "currencies"), &sc->price_currencies);
        const json_t *ta = json_object_get(o, "title_amounts");
        if (ta && !json_is_boolean(ta))
            problem(b, q, "title_amounts must be true or false");
        sc->title_amounts = json_is_true(ta);
        if (sc->title_amounts) { /* 元 is rare enough to match: cheaper than reading titles */
            json_t *yuan = json_string("元");
            sw__add_word(b, q, yuan, R_YUAN, 0);
            json_decref(yuan);
        }
    }
    if ((o = sw__detector(b, c, P, "after_sales", T, sev, &sc->after_sales, NULL, 0, promises_extra,
                          p, sizeof p))) {
        snprintf(q, sizeof q, "%s.promises", p);
        add_groups(b, json_object_get(o, "promises"), q, "service", "terms", R_PROMISE,
                   &sc->promise_service, &sc->npromises);
        snprintf(q, sizeof q, "%s.denial_conditions", p);
        sw__collect_words(b, q, json_object_get(o, "denial_conditions"), &sc->denial_conditions);
        snprintf(q, sizeof q, "%s.lookups", p);
        sw__collect_words(b, q, json_object_get(o, "lookups"), &sc->promise_lookups);
        snprintf(q, sizeof q, "%s.denials", p);
        if (json_object_get(o, "denials"))
            add_groups(b, json_object_get(o, "denials"), q, "service", "terms", R_SERVICE_DENIAL,
                       &sc->denial_service, &sc->ndenials);
        sc->promise_denial = calloc((size_t)sc->npromises + 1, sizeof *sc->promise_denial);
        for (int i = 0; sc->promise_denial && sc->promise_service && i < sc->npromises; i++) {
            sc->promise_denial[i] = -1;
            for (int d = 0; sc->denial_service && d < sc->ndenials && sc->promise_denial[i] < 0;
                 d++)
                if (sc->promise_service[i] && sc->denial_service[d] &&
                    strcmp(sc->promise_service[i], sc->denial_service[d]) == 0)
                    sc->promise_denial[i] = d;
        }
    }
    if ((o = sw__detector(b, c, P, "carrier", T, sev, &sc->carrier, carrier, 1, carriers_extra, p,
                          sizeof p))) {
        snprintf(q, sizeof q, "%s.carriers", p);
        add_groups(b, json_object_get(o, "carriers"), q, "code", "names", R_CARRIER,
                   &sc->carrier_code, &sc->ncarriers);
        sc->carrier_names =
            group_names(b, json_object_get(o, "carriers"), q, "code", sc->ncarriers);
        snprintf(q, sizeof q, "%s.ship_words", p);
        sw__collect_words(b, q, json_object_get(o, "ship_words"), &sc->ship_words);
        snprintf(q, sizeof q, "%s.ship_after", p);
        sw__collect_words(b, q, json_object_get(o, "ship_after"), &sc->ship_after);
        snprintf(q, sizeof q, "%s.ship_options", p);
        sw__collect_words(b, q, json_object_get(o, "ship_options"), &sc->ship_options);
        snprintf(q, sizeof q, "%s.upgrades", p);
        sw__collect_words(b, q, json_object_get(o, "upgrades"), &sc->ship_upgrades);
        snprintf(q, sizeof q, "%s.origins", p);
        origins(b, json_object_get(o, "origins"), q);
    }
    if (json_object_get(c, "spec") &&
        (o = sw__detector(b, c, P, "spec", T, sev, &sc->spec, spec, 1, spec_extra, p, sizeof p))) {
        const char *classes[64] = {0};
        snprintf(q, sizeof q, "%s.units", p);
        build_units(b, json_object_get(o, "units"), q, classes);
        snprintf(q, sizeof q, "%s.several", p);
        class_mask(b, json_object_get(o, "several"), q, classes, &sc->several, false);
        snprintf(q, sizeof q, "%s.measures", p);
        class_mask(b, json_object_get(o, "measures"), q, classes, &sc->measures, false);
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
        snprintf(q, sizeof q, "%s.others", p);
        sw__collect_words(b, q, json_object_get(o, "others"), &sc->spec_others);
        snprintf(q, sizeof q, "%s.limits", p);
        sw__collect_words(b, q, json_object_get(o, "limits"), &sc->spec_limits);
        snprintf(q, sizeof q, "%s.changes", p);
        sw__collect_words(b, q, json_object_get(o, "changes"), &sc->spec_changes);
        snprintf(q, sizeof q, "%s.one_piece", p);
        sw__collect_words(b, q, json_object_get(o, "one_piece"), &sc->spec_one_piece);
        snprintf(q, sizeof q, "%s.sizes", p);
        sizes(b, json_object_get(o, "sizes"), q);
        snprintf(q, sizeof q, "%s.conversions", p);
        conversions(b, json_object_get(o, "conversions"), q, classes);
        snprintf(q, sizeof q, "%s.fibres", p);
        fibres(b, json_object_get(o, "fibres"), q);
    }
    previous(b, json_object_get(c, "previous"), "$.scan.consistency.previous");
    static const char *const attr_extra[] = {"list", "note", NULL};
    if (json_object_get(c, "attributes") &&
        (o = sw__detector(b, c, P, "attributes", T, sev, &sc->attrs.r, NULL, 0, attr_extra, p,
                          sizeof p))) {
        snprintf(q, sizeof q, "%s.list", p);
        sw__build_attributes(b, json_object_get(o, "list"), q);
    }
    static const char *const facts_extra[] = {
        "production_date", "shelf_life", "manufacturer", "warranty", "dispatch", "note", NULL};
    if (json_object_get(c, "facts") && (o = sw__detector(b, c, P, "facts", T, sev, &sc->facts.r,
                                                         NULL, 0, facts_extra, p, sizeof p)))
        sw__build_facts(b, o, p);
    static const char *const gifts_extra[] = {"verbs",         "after",  "not",  "denials",
                                              "after_denials", "labels", "note", NULL};
    if (json_object_get(c, "gifts") && (o = sw__detector(b, c, P, "gifts", T, sev, &sc->gifts.r,
                                                         NULL, 0, gifts_extra, p, sizeof p))) {
        static const char *const keys[] = {"verbs",         "after",  "not", "denials",
                                           "after_denials", "labels", NULL};
        struct sw_words *const dst[] = {&sc->gifts.verbs,         &sc->gifts.after,
                                        &sc->gifts.not_gifts,     &sc->gifts.denials,
                                        &sc->gifts.after_denials, &sc->gifts.labels};
        word_lists(b, o, p, keys, dst);
    }
}
