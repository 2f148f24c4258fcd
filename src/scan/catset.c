/* Where a list, brand, attribute or check applies: a policy's `categories` ("*", "industry.*"
 * or category codes) compiled into a set, and a listing's category matched against it. */
#include <stdlib.h>
#include <string.h>

#include "scan/compile_int.h"

void sw__catset_of(struct builder *b, const json_t *obj, const char *path, struct sw_catset *cs)
{
    const json_t *c = json_object_get(obj, "categories");
    memset(cs, 0, sizeof *cs);
    cs->all = true;
    if (!c)
        return;
    if (!json_is_array(c) || json_array_size(c) == 0 || json_array_size(c) > 1000) {
        problem(b, path, "categories must be a non-empty array of codes, 'industry.*' or '*'");
        return;
    }
    cs->all = false;
    cs->v = calloc(json_array_size(c), sizeof *cs->v);
    if (!cs->v)
        return;
    size_t i;
    const json_t *v;
    json_array_foreach(c, i, v)
    {
        size_t n = json_string_length(v);
        if (!json_is_string(v) || n == 0 || n > 48) {
            problem(b, path, "categories[%zu] must be a category code, 'industry.*' or '*'", i);
            continue;
        }
        const char *p = json_string_value(v);
        if (strcmp(p, "*") == 0)
            cs->all = true;
        bool prefix = n >= 2 && p[n - 1] == '*' && p[n - 2] == '.';
        cs->v[cs->n++] = (struct sw_catpat){p, prefix ? n - 1 : n, prefix};
    }
}

bool sw__catset_match(const struct sw_catset *cs, const char *category)
{
    if (cs->all)
        return true;
    if (!category)
        return false;
    for (int i = 0; i < cs->n; i++) {
        const struct sw_catpat *p = &cs->v[i];
        /* the first byte first: most patterns are another industry's (called for every
         * listing by several detectors) */
        if (p->s[0] == category[0] &&
            (p->prefix ? strncmp(p->s, category, p->n) == 0 : strcmp(p->s, category) == 0))
            return true;
    }
    return false;
}

signed char sw__list_applies(const struct sw_list *li, const char *category)
{
    if (!sw__catset_match(&li->cs, category))
        return 0;
    return (signed char)(SW_APPLIES |
                         (sw__catset_match(&li->reg_cs, category) ? SW_REGISTRABLE : 0));
}
