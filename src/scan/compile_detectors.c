/* The scanner builder's diversion and consistency detectors: their word lists, brand and
 * unit groups and carrier names, read from the policy's "scan" section and checked with a
 * JSON path for every problem. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/compile_int.h"

/* A detector's optional word list o.key (at path p) into out, when o has it. */
static void extra_words(struct builder *b, const json_t *o, const char *p, const char *key,
                        struct sw_words *out)
{
    if (!o || !json_object_get(o, key))
        return;
    char q[192];
    snprintf(q, sizeof q, "%s.%s", p, key);
    sw__collect_words(b, q, json_object_get(o, key), out);
}

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
    extra_words(b, wo, p, "warnings", &sc->invite_warnings);
    sw__detector(b, d, P, "qq", T, sev, &sc->qq, qq, 1, NULL, p, sizeof p);
    /* other messaging apps (optional): an id follows their name after a marker */
    static const struct wordspec msg[] = {{"keywords", R_MSG_KW, true}};
    static const char *const note[] = {"note", NULL};
    if (json_object_get(d, "messaging"))
        sw__detector(b, d, P, "messaging", T, sev, &sc->messaging, msg, 1, note, p, sizeof p);
    /* phone numbers: digit runs come from the normaliser (sw_normalize_runs), not a pattern;
     * after a label (电话：), any 7-12 digits */
    static const struct wordspec phone[] = {{"labels", R_PHONE_LABEL, false}};
    static const char *const phone_extra[] = {"code_labels", NULL};
    const json_t *po =
        sw__detector(b, d, P, "phone", T, sev, &sc->phone, phone, 1, phone_extra, p, sizeof p);
    extra_words(b, po, p, "code_labels", &sc->code_labels);
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

void sw__word_lists(struct builder *b, const json_t *o, const char *path, const char *const *keys,
                    struct sw_words *const *dst)
{
    char q[160];
    for (int k = 0; keys[k]; k++) {
        snprintf(q, sizeof q, "%s.%s", path, keys[k]);
        sw__collect_words(b, q, json_object_get(o, keys[k]), dst[k]);
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

/* consistency.previous: {words, not, reach}: a word of `words` up to `reach` characters before
 * a value, a price, a claim or a promise marks it as what the listing was (原50g, 原¥39.9,
 * 原包邮, 原支持7天无理由); a word of `not` starting where it starts (原味, 原装) is none. */
static void previous(struct builder *b, const json_t *o, const char *path)
{
    struct sw_scanner *sc = b->sc;
    if (!o)
        return;
    static const char *const allowed[] = {"words", "not",  "not_ending", "gone",
                                          "reach", "note", NULL};
    if (!json_is_object(o)) {
        problem(b, path, "must be {words, not, reach}");
        return;
    }
    sw_json_closed(b->problems, o, path, allowed);
    static const char *const keys[] = {"words", "not", "not_ending", "gone", NULL};
    struct sw_words *const dst[] = {&sc->prev_words, &sc->prev_not, &sc->prev_not_ending,
                                    &sc->prev_gone};
    sw__word_lists(b, o, path, keys, dst);
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
        "compat",      "compat_after", "accessories",      "genuine",
        "brands",      "title_tags",   "title_tag_stores", "house",
        "house_not",   "lead_markers", "title_markers",    "lead_not",
        "cell_labels", "maker_words",  "name_labels",      "authorised",
        NULL};
    static const char *const promises_extra[] = {"promises",        "denials", "denial_conditions",
                                                 "exclusions",      "lookups", "lookups_after",
                                                 "withdrawn_after", NULL};
    static const char *const carriers_extra[] = {
        "carriers", "ship_words", "ship_after", "ship_options", "upgrades", "origins", NULL};
    static const struct wordspec spec[] = {{"labels", R_SPEC_LABEL, true}};
    static const char *const spec_extra[] = {"units",          "count_labels",  "per_words",
                                             "memory",         "fibres",        "others",
                                             "limits",         "sizes",         "several",
                                             "self_stating",   "listed",        "changes",
                                             "measures",       "one_piece",     "conversions",
                                             "size_words",     "fitting_words", "nutrient_words",
                                             "concentrations", "doses",         "promises",
                                             "piece_words",    "dimensions",    "gifts",
                                             "not_gifts",      "dose_times",    NULL};
    static const char *const ship_extra[] = {"conditions", "waivers",    "exceptions",
                                             "regions",    "surcharges", "orders",
                                             "others",     "local",      NULL};
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
        snprintf(q, sizeof q, "%s.orders", p);
        sw__collect_words(b, q, json_object_get(o, "orders"), &sc->ship_orders);
        snprintf(q, sizeof q, "%s.others", p);
        sw__collect_words(b, q, json_object_get(o, "others"), &sc->ship_others);
        snprintf(q, sizeof q, "%s.local", p);
        sw__collect_words(b, q, json_object_get(o, "local"), &sc->ship_local);
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
        /* a brand as a name before these (柒叶官方授权): brand labels of owner 3 */
        snprintf(q, sizeof q, "%s.authorised", p);
        sw__add_words(b, q, json_object_get(o, "authorised"), R_BRAND_LABEL, 3, false);
        /* a table's cell label (品牌｜绯妆): brand labels of owner 2, read before a bar only */
        snprintf(q, sizeof q, "%s.cell_labels", p);
        sw__add_words(b, q, json_object_get(o, "cell_labels"), R_BRAND_LABEL, 2, false);
        /* a product name's label (产品名称：优臻牌...), read by lead.c */
        snprintf(q, sizeof q, "%s.name_labels", p);
        sw__add_words(b, q, json_object_get(o, "name_labels"), R_NAME_LABEL, 0, false);
        snprintf(q, sizeof q, "%s.house_not", p);
        sw__collect_words(b, q, json_object_get(o, "house_not"), &sc->house_not);
        snprintf(q, sizeof q, "%s.lead_markers", p);
        sw__collect_words(b, q, json_object_get(o, "lead_markers"), &sc->lead_markers);
        snprintf(q, sizeof q, "%s.title_markers", p);
        sw__collect_words(b, q, json_object_get(o, "title_markers"), &sc->title_markers);
        snprintf(q, sizeof q, "%s.lead_not", p);
        sw__collect_words(b, q, json_object_get(o, "lead_not"), &sc->lead_not);
        snprintf(q, sizeof q, "%s.maker_words", p);
        sw__collect_words(b, q, json_object_get(o, "maker_words"), &sc->maker_words);
        build_brands(b, o, p);
    }
    /* conditions (满, 减) are common characters: looked up behind an amount, not matched */
    static const char *const price_extra[] = {
        "conditions", "title_amounts", "not_after",     "currencies", "campaigns",
        "deposits",   "balances",      "deposit_worth", "joins",      NULL};
    if ((o = sw__detector(b, c, P, "price", T, sev, &sc->price, price, 3, price_extra, p,
                          sizeof p))) {
        snprintf(q, sizeof q, "%s.conditions", p);
        sw__collect_words(b, q, json_object_get(o, "conditions"), &sc->price_conds);
        snprintf(q, sizeof q, "%s.not_after", p);
        sw__collect_words(b, q, json_object_get(o, "not_after"), &sc->price_not_after);
        snprintf(q, sizeof q, "%s.currencies", p);
        sw__collect_words(b, q, json_object_get(o, "currencies"), &sc->price_currencies);
        snprintf(q, sizeof q, "%s.campaigns", p);
        sw__collect_words(b, q, json_object_get(o, "campaigns"), &sc->price_campaigns);
        snprintf(q, sizeof q, "%s.joins", p);
        sw__collect_words(b, q, json_object_get(o, "joins"), &sc->price_joins);
        static const char *const parts[] = {"deposits", "balances", "deposit_worth"};
        struct sw_words *dst[] = {&sc->deposits, &sc->balances, &sc->deposit_worth};
        for (int k = 0; k < 3; k++) {
            snprintf(q, sizeof q, "%s.%s", p, parts[k]);
            sw__collect_words(b, q, json_object_get(o, parts[k]), dst[k]);
        }
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
        snprintf(q, sizeof q, "%s.exclusions", p);
        sw__collect_words(b, q, json_object_get(o, "exclusions"), &sc->denial_exclusions);
        snprintf(q, sizeof q, "%s.lookups", p);
        sw__collect_words(b, q, json_object_get(o, "lookups"), &sc->promise_lookups);
        snprintf(q, sizeof q, "%s.lookups_after", p);
        sw__collect_words(b, q, json_object_get(o, "lookups_after"), &sc->promise_lookups_after);
        snprintf(q, sizeof q, "%s.withdrawn_after", p);
        sw__collect_words(b, q, json_object_get(o, "withdrawn_after"), &sc->promise_withdrawn);
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
        sw__build_spec(b, o, p);
    }
    previous(b, json_object_get(c, "previous"), "$.scan.consistency.previous");
    static const char *const attr_extra[] = {"list", "note", NULL};
    if (json_object_get(c, "attributes") &&
        (o = sw__detector(b, c, P, "attributes", T, sev, &sc->attrs.r, NULL, 0, attr_extra, p,
                          sizeof p))) {
        snprintf(q, sizeof q, "%s.list", p);
        sw__build_attributes(b, json_object_get(o, "list"), q);
    }
    if (json_object_get(c, "facts") && (o = sw__detector(b, c, P, "facts", T, sev, &sc->facts.r,
                                                         NULL, 0, sw__fact_keys, p, sizeof p)))
        sw__build_facts(b, o, p);
    static const char *const gifts_extra[] = {
        "verbs",      "after",   "not",           "denials",      "after_denials", "labels",
        "set_labels", "set_not", "single_frames", "single_words", "note",          NULL};
    if (json_object_get(c, "gifts") && (o = sw__detector(b, c, P, "gifts", T, sev, &sc->gifts.r,
                                                         NULL, 0, gifts_extra, p, sizeof p))) {
        static const char *const keys[] = {"verbs",         "after",        "not",        "denials",
                                           "after_denials", "labels",       "set_labels", "set_not",
                                           "single_frames", "single_words", NULL};
        struct sw_words *const dst[] = {&sc->gifts.verbs,         &sc->gifts.after,
                                        &sc->gifts.not_gifts,     &sc->gifts.denials,
                                        &sc->gifts.after_denials, &sc->gifts.labels,
                                        &sc->gifts.set_labels,    &sc->gifts.set_not,
                                        &sc->gifts.single_frames, &sc->gifts.single_words};
        sw__word_lists(b, o, p, keys, dst);
    }
}
