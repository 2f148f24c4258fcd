/* The scanner builder's state and the helpers its parts share: compile.c (word lists,
 * phrases, prefilter, the database) and compile_detectors.c (diversion and consistency
 * detectors). Private to src/scan. */
#ifndef SW_SCAN_COMPILE_INT_H
#define SW_SCAN_COMPILE_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json.h"
#include "scan/scan_int.h"

struct builder {
    json_t *problems;
    struct sw_scanner *sc;
    char **raw; /* the normalised bytes of each pattern (NULL for regexes) */
    char **expr;
    unsigned *ids;
    unsigned *flags;
    int cap;
};

#define problem(b, ...) sw_json_problem((b)->problems, __VA_ARGS__)

struct wordspec {
    const char *key;
    int role;
    bool required;
};

void sw__add_regex(struct builder *b, const char *re, int role, uint32_t len);
void sw__add_word(struct builder *b, const char *path, const json_t *w, int role, int owner);
void sw__add_words(struct builder *b, const char *path, const json_t *arr, int role, int owner,
                   bool required);
void sw__collect_words(struct builder *b, const char *path, const json_t *arr,
                       struct sw_words *out);
/* The same, kept as the policy writes them, for comparing with the original text. */
void sw__collect_written_words(struct builder *b, const char *path, const json_t *arr,
                               struct sw_words *out);
/* The word lists keys[k] of object o into *dst[k] (keys end with NULL). */
void sw__word_lists(struct builder *b, const json_t *o, const char *path, const char *const *keys,
                    struct sw_words *const *dst);
/* compile_spec.c: consistency.spec's units, lists, sizes, conversions and fibres. */
void sw__build_spec(struct builder *b, const json_t *o, const char *path);
const char *sw__severity_of(struct builder *b, const json_t *obj, const char *path,
                            const char *dflt);
void sw__catset_of(struct builder *b, const json_t *obj, const char *path, struct sw_catset *cs);
/* One detector's object, {rule, severity?, word lists..., extra...}: checked as closed, its
 * rule read, each word list compiled with its role. Returns the object (NULL when missing);
 * its path is left in p for the caller's extra fields. */
const json_t *sw__detector(struct builder *b, const json_t *parent, const char *ppath,
                           const char *name, const char *type, const char *sev, struct sw_rule *r,
                           const struct wordspec *words, int nwords, const char *const *extra,
                           char *p, size_t pn);

void sw__free_words(struct sw_words *w);
/* A rule's name, type and severity from its object (compile.c). */
void sw__rule_of(struct builder *b, const json_t *obj, const char *path, const char *type,
                 const char *severity, struct sw_rule *r);
/* compile_lists.c: scan.negation_scope, and scan.lists with their phrases. */
void sw__build_scope(struct builder *b, const json_t *o);
void sw__build_lists(struct builder *b, const json_t *lists);
/* consistency.attributes.list (attributes.c). */
void sw__build_attributes(struct builder *b, const json_t *list, const char *path);
void sw__free_attributes(struct sw_attrs *at);
/* consistency.facts (facts.c); its keys, NULL-ended (one per kind of fact, then "note"). */
extern const char *const sw__fact_keys[];
void sw__build_facts(struct builder *b, const json_t *o, const char *path);
void sw__free_facts(struct sw_facts *fa);
void sw__build_diversion(struct builder *b, const json_t *d);
void sw__build_consistency(struct builder *b, const json_t *c);

#endif
