/* The lists of words and phrases (scan.lists) and the negation's scope (scan.negation_scope)
 * that every list's claims are read with: checked (every problem with its JSON path) and
 * compiled into the builder. Split from compile.c, which builds the scanner from all of it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "scan/compile_int.h"

/* scan.negation_scope: {words, fillers, reach} (docs/scan.md "Negation"). */
void sw__build_scope(struct builder *b, const json_t *o)
{
    struct sw_scanner *sc = b->sc;
    sc->scope_reach = 0;
    if (!o)
        return;
    const char *P = "$.scan.negation_scope";
    if (!json_is_object(o)) {
        problem(b, P, "must be an object {words, fillers, reach}");
        return;
    }
    static const char *const allowed[] = {"words", "fillers", "reach", "questions",
                                          "note",  "waits",   NULL};
    sw_json_closed(b->problems, o, P, allowed);
    sw__collect_words(b, "$.scan.negation_scope.words", json_object_get(o, "words"),
                      &sc->scope_words);
    sw__collect_words(b, "$.scan.negation_scope.fillers", json_object_get(o, "fillers"),
                      &sc->scope_fillers);
    if (json_object_get(o, "questions"))
        sw__collect_words(b, "$.scan.negation_scope.questions", json_object_get(o, "questions"),
                          &sc->questions);
    const json_t *w = json_object_get(o, "waits");
    if (w) {
        static const char *const wallowed[] = {"before", "after", "note", NULL};
        if (!json_is_object(w))
            problem(b, "$.scan.negation_scope.waits", "must be an object {before, after}");
        else
            sw_json_closed(b->problems, w, "$.scan.negation_scope.waits", wallowed);
        sw__collect_words(b, "$.scan.negation_scope.waits.before", json_object_get(w, "before"),
                          &sc->wait_before);
        sw__collect_words(b, "$.scan.negation_scope.waits.after", json_object_get(w, "after"),
                          &sc->wait_after);
    }
    const json_t *r = json_object_get(o, "reach");
    if (!json_is_integer(r) || json_integer_value(r) < 1 || json_integer_value(r) > 32)
        problem(b, "$.scan.negation_scope.reach", "must be an integer of 1-32 (characters)");
    else
        sc->scope_reach = (int)json_integer_value(r);
}

#define MAX_PHRASES 1000
#define MAX_GAP 16
#define MAX_COMMAS 2

/* lists[i].phrases: [{verbs, objects, gap, commas}], objects compiled with role R_OBJECT and the
 * phrase's index as owner, verbs kept as words looked up behind an object hit. */
static void build_phrases(struct builder *b, const json_t *arr, const char *path, int list)
{
    struct sw_scanner *sc = b->sc;
    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        problem(b, path, "must be a non-empty array of {verbs, objects, gap}");
        return;
    }
    size_t i;
    const json_t *ph;
    json_array_foreach(arr, i, ph)
    {
        char pp[160], q[192];
        snprintf(pp, sizeof pp, "%s[%zu]", path, i);
        static const char *const allowed[] = {"verbs", "objects",          "gap", "commas",
                                              "note",  "negatable_object", NULL};
        if (!json_is_object(ph)) {
            problem(b, pp, "must be an object {verbs, objects, gap}");
            continue;
        }
        sw_json_closed(b->problems, ph, pp, allowed);
        if (sc->nphrases >= MAX_PHRASES) {
            problem(b, pp, "more than %d phrase patterns", MAX_PHRASES);
            return;
        }
        struct sw_phrase *x = realloc(sc->phrases, (size_t)(sc->nphrases + 1) * sizeof *x);
        if (!x)
            return;
        sc->phrases = x;
        x = &sc->phrases[sc->nphrases];
        memset(x, 0, sizeof *x);
        x->list = list;
        const json_t *no = json_object_get(ph, "negatable_object");
        if (no && !json_is_boolean(no))
            problem(b, pp, "negatable_object must be true or false");
        x->negatable_object = json_is_true(no);
        const json_t *gap = json_object_get(ph, "gap");
        if (gap && (!json_is_integer(gap) || json_integer_value(gap) < 0 ||
                    json_integer_value(gap) > MAX_GAP))
            problem(b, pp, "gap must be an integer of 0-%d (characters)", MAX_GAP);
        else
            x->gap = gap ? (int)json_integer_value(gap) : 0;
        const json_t *commas = json_object_get(ph, "commas");
        if (commas && (!json_is_integer(commas) || json_integer_value(commas) < 0 ||
                       json_integer_value(commas) > MAX_COMMAS))
            problem(b, pp, "commas must be an integer of 0-%d", MAX_COMMAS);
        else
            x->commas = commas ? (int)json_integer_value(commas) : 0;
        snprintf(q, sizeof q, "%s.verbs", pp);
        const json_t *verbs = json_object_get(ph, "verbs");
        if (!json_is_array(verbs) || json_array_size(verbs) == 0)
            problem(b, q, "must be a non-empty array of strings");
        else
            sw__collect_words(b, q, verbs, &x->verbs);
        snprintf(q, sizeof q, "%s.objects", pp);
        sw__add_words(b, q, json_object_get(ph, "objects"), R_OBJECT, sc->nphrases, true);
        sc->verbs_any.any_short |= x->verbs.any_short;
        for (int k = 0; k < 16; k++)
            sc->verbs_any.ends[k] |= x->verbs.ends[k];
        sc->nphrases++;
    }
}

static const char *const TYPES[] = {"exaggerated_efficacy", "false_advertising",
                                    "external_diversion", "key_info_inconsistent", NULL};

/* A list's `registered`: {marks, terms, labels, categories?}: the terms are no claim in a listing
 * that states one of the marks (a special-use cosmetic's registration, 国妆特字, permits its
 * registered function: 祛斑, 美白), nor as the value of one of the labels (保健功能：辅助降血脂);
 * only in the categories given (all when none: a snack's 保健功能 label registers nothing). */
static void registered(struct builder *b, const json_t *o, const char *path, struct sw_list *li)
{
    if (!o)
        return;
    char sub[160];
    snprintf(sub, sizeof sub, "%s.registered", path);
    static const char *const allowed[] = {"marks", "terms", "labels", "categories", "note", NULL};
    if (!json_is_object(o) || !json_is_array(json_object_get(o, "marks")) ||
        !json_is_array(json_object_get(o, "terms"))) {
        problem(b, sub, "must be {marks, terms}");
        return;
    }
    sw_json_closed(b->problems, o, sub, allowed);
    sw__catset_of(b, o, sub, &li->reg_cs);
    li->reg_marks = calloc(1, sizeof *li->reg_marks);
    li->reg_terms = calloc(1, sizeof *li->reg_terms);
    li->reg_labels = calloc(1, sizeof *li->reg_labels);
    if (!li->reg_marks || !li->reg_terms || !li->reg_labels)
        return;
    char q[192];
    snprintf(q, sizeof q, "%s.marks", sub);
    sw__collect_words(b, q, json_object_get(o, "marks"), li->reg_marks);
    snprintf(q, sizeof q, "%s.terms", sub);
    sw__collect_words(b, q, json_object_get(o, "terms"), li->reg_terms);
    snprintf(q, sizeof q, "%s.labels", sub);
    if (json_object_get(o, "labels"))
        sw__collect_words(b, q, json_object_get(o, "labels"), li->reg_labels);
}

void sw__build_lists(struct builder *b, const json_t *lists)
{
    struct sw_scanner *sc = b->sc;
    if (!json_is_array(lists)) {
        problem(b, "$.scan.lists", "must be an array");
        return;
    }
    sc->lists = calloc(json_array_size(lists) + 1, sizeof *sc->lists);
    if (json_array_size(lists) > 60000) {
        problem(b, "$.scan.lists", "more than 60000 lists");
        return;
    }
    size_t i;
    const json_t *l;
    json_array_foreach(lists, i, l)
    {
        char path[96], sub[128];
        snprintf(path, sizeof path, "$.scan.lists[%zu]", i);
        if (!json_is_object(l)) {
            problem(b, path, "must be an object");
            continue;
        }
        static const char *const allowed[] = {"rule",       "type",    "severity", "categories",
                                              "terms",      "phrases", "allow",    "negatable",
                                              "registered", "note",    NULL};
        sw_json_closed(b->problems, l, path, allowed);
        struct sw_list *li = &sc->lists[sc->nlists];
        const char *type = json_string_value(json_object_get(l, "type"));
        int t = 0;
        while (TYPES[t] && (!type || strcmp(TYPES[t], type) != 0))
            t++;
        if (!TYPES[t])
            problem(b, path,
                    "type must be one of exaggerated_efficacy, false_advertising, "
                    "external_diversion, key_info_inconsistent");
        sw__rule_of(b, l, path, TYPES[t] ? TYPES[t] : "", NULL, &li->r);
        sw__catset_of(b, l, path, &li->cs);
        const json_t *neg = json_object_get(l, "negatable");
        if (neg && !json_is_boolean(neg))
            problem(b, path, "negatable must be true or false");
        li->negatable = !neg || json_is_true(neg);
        li->diversion = TYPES[t] && strcmp(TYPES[t], "external_diversion") == 0;
        const json_t *phrases = json_object_get(l, "phrases");
        snprintf(sub, sizeof sub, "%s.terms", path);
        sw__add_words(b, sub, json_object_get(l, "terms"), R_TERM, (int)i, !phrases);
        snprintf(sub, sizeof sub, "%s.phrases", path);
        if (phrases)
            build_phrases(b, phrases, sub, (int)i);
        snprintf(sub, sizeof sub, "%s.allow", path);
        sw__add_words(b, sub, json_object_get(l, "allow"), R_ALLOW, (int)i, false);
        registered(b, json_object_get(l, "registered"), path, li);
        sc->nlists++;
    }
}
