#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/penalty/penalty.h"
#include "policy/policy.h"

static json_t *load_cases(void)
{
    char path[512];
    const char *dir = getenv("SW_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/tests/data/penalty/decide.json", dir ? dir : SW_SOURCE_DIR);
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc)
        fail_msg("%s: %s", path, je.text);
    return doc;
}

/* The penalty table and the three-no ladder, case by case from tests/data/penalty. */
static void test_decide__table_and_ladder_from_data(void **state)
{
    struct sw_policy *pol;
    struct sw_error err;
    assert_int_equal(sw_policy_load_default(&pol, &err), SW_OK);
    json_t *doc = load_cases();
    size_t i;
    json_t *c;
    assert_true(json_array_size(json_object_get(doc, "cases")) >= 10);
    json_array_foreach(json_object_get(doc, "cases"), i, c)
    {
        const char *name = json_string_value(json_object_get(c, "name"));
        const struct sw_penalty_rule *r =
            sw_policy_penalty(pol, json_string_value(json_object_get(c, "type")));
        if (!r)
            fail_msg("%s: no rule", name);
        struct sw_penalty_decision d;
        sw_penalty_decide(r, json_integer_value(json_object_get(c, "minor")),
                          json_integer_value(json_object_get(c, "severe")),
                          json_integer_value(json_object_get(c, "nth")), &d);
        json_t *x = json_object_get(c, "expect");
        if (d.ban != json_is_true(json_object_get(x, "ban")) ||
            d.deduct_fen != json_integer_value(json_object_get(x, "deduct_fen")) ||
            d.deduct_all != json_is_true(json_object_get(x, "deduct_all")) ||
            d.rectification != json_is_true(json_object_get(x, "rectification")) ||
            d.clear_store != json_is_true(json_object_get(x, "clear_store")))
            fail_msg("%s: got ban=%d deduct=%lld all=%d rect=%d clear=%d", name, d.ban,
                     (long long)d.deduct_fen, d.deduct_all, d.rectification, d.clear_store);
    }
    json_decref(doc);
    sw_policy_free(pol);
}

static json_t *problems_of(const char *penalties)
{
    struct sw_policy *pol;
    struct sw_error err;
    assert_int_equal(sw_policy_load_default(&pol, &err), SW_OK);
    json_t *doc = json_deep_copy(pol->doc);
    sw_policy_free(pol);
    json_error_t je;
    json_t *sec = json_loads(penalties, 0, &je);
    if (!sec)
        fail_msg("bad test json: %s", je.text);
    json_object_set_new(doc, "penalties", sec);
    char *text = json_dumps(doc, 0);
    json_decref(doc);
    json_t *problems = NULL;
    struct sw_policy *out = NULL;
    int rc = sw_policy_load(text, strlen(text), &out, &problems, &err);
    free(text);
    sw_policy_free(out);
    if (rc == SW_OK) {
        json_decref(problems);
        return json_array();
    }
    return problems;
}

static bool has_problem(json_t *problems, const char *path)
{
    size_t i;
    json_t *p;
    json_array_foreach(problems, i, p)
    {
        if (strcmp(json_string_value(json_object_get(p, "path")), path) == 0)
            return true;
    }
    return false;
}

/* Ladders must cover every count exactly once; amounts, words and types are checked. */
static void test_decide__policy_check_names_every_problem(void **state)
{
    json_t *p = problems_of(
        "{\"count_window_days\":0,\"types\":{\"Bad-Type\":{\"deduct_fen\":{\"minor\":1,"
        "\"severe\":2}},\"a\":{\"confirm\":\"later\",\"ban\":\"forever\",\"deduct_fen\":{"
        "\"minor\":-1,\"severe\":0},\"ladder\":[{\"from\":2,\"to\":3},{\"from\":4},{\"from\":5}]},"
        "\"b\":{\"counted\":false,\"deduct_fen\":{\"minor\":0,\"severe\":0},\"ladder\":[{\"from\":"
        "1}]},\"c\":{\"deduct_fen\":{\"minor\":0,\"severe\":0},\"surprise\":1}}}");
    static const char *const paths[] = {
        "$.penalties.count_window_days",
        "$.penalties.types.Bad-Type",
        "$.penalties.types.a.confirm",
        "$.penalties.types.a.ban",
        "$.penalties.types.a.deduct_fen.minor",
        "$.penalties.types.a.ladder[0]",
        "$.penalties.types.a.ladder[1]",
        "$.penalties.types.b.ladder",
        "$.penalties.types.c",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (!has_problem(p, paths[i])) {
            char *dump = json_dumps(p, JSON_INDENT(1));
            fail_msg("no problem at %s in %s", paths[i], dump);
        }
    json_decref(p);
    p = problems_of("{\"types\":{\"x\":{\"deduct_fen\":{\"minor\":100,\"severe\":200},"
                    "\"ladder\":[{\"from\":1,\"to\":2,\"deduct_fen\":5},{\"from\":3,"
                    "\"deduct_all\":true,\"clear_store\":true}]}}}");
    assert_int_equal(json_array_size(p), 0);
    json_decref(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decide__table_and_ladder_from_data),
        cmocka_unit_test(test_decide__policy_check_names_every_problem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
