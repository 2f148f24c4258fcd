#include "support.h"

#include <string.h>

#include "policy/policy.h"

static void test_policy__default_has_the_required_categories(void **state)
{
    struct sw_policy *p;
    struct sw_error err;
    assert_int_equal(sw_policy_load_default(&p, &err), SW_OK);
    static const char *const codes[] = {
        "beauty.skincare",    "beauty.makeup", "fresh.fruit",    "fresh.seafood", "food.snacks",
        "health.supplements", "apparel.women", "digital.phones", "home.kitchen",  "baby.formula"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const struct sw_policy_category *c = sw_policy_category(p, codes[i]);
        assert_non_null(c);
        assert_true(c->deposit_fen > 0);
        assert_non_null(c->industry);
        assert_true(json_is_array(c->qualifications));
    }
    assert_null(sw_policy_category(p, "beauty"));
    assert_int_equal(p->calendar.nyears, 2);
    sw_policy_free(p);
}

static void test_policy__reports_every_problem_with_its_path(void **state)
{
    const char *text =
        "{\"schema\":2,\"version\":\"bad version\",\"industries\":{\"beauty\":{\"name\":\"x\","
        "\"qualifications\":[\"Not Snake\"]}},\"categories\":{\"beauty.skincare\":{\"name\":\"x\","
        "\"industry\":\"nope\",\"qualifications\":[],\"deposit_fen\":-1},\"Bad\":{}},\"extra\":1}";
    struct sw_policy *p = NULL;
    json_t *problems = NULL;
    struct sw_error err;
    assert_int_equal(sw_policy_load(text, strlen(text), &p, &problems, &err), SW_E_POLICY_INVALID);
    assert_null(p);
    const char *want[] = {"$",
                          "$.schema",
                          "$.version",
                          "$.industries.beauty.qualifications[0]",
                          "$.categories[\"beauty.skincare\"]",
                          "$.categories.Bad"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        bool seen = false;
        size_t j;
        json_t *pr;
        json_array_foreach(problems, j, pr)
        {
            seen |= strcmp(json_string_value(json_object_get(pr, "path")), want[i]) == 0;
        }
        if (!seen)
            fail_msg("no problem reported at %s", want[i]);
    }
    assert_true(json_array_size(problems) >= 8);
    json_decref(problems);
}

static void test_policy__not_json_is_one_problem(void **state)
{
    struct sw_policy *p = NULL;
    json_t *problems = NULL;
    struct sw_error err;
    assert_int_equal(sw_policy_load("{", 1, &p, &problems, &err), SW_E_POLICY_INVALID);
    assert_int_equal(json_array_size(problems), 1);
    json_decref(problems);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy__default_has_the_required_categories),
        cmocka_unit_test(test_policy__reports_every_problem_with_its_path),
        cmocka_unit_test(test_policy__not_json_is_one_problem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
