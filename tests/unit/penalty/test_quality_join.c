/* Rule quality across partitions (cluster mode): the rows of one rule, type and policy version
 * from several databases are added up and their rates come from the sums. */
#include "support.h"

#include "domain/penalty/penalty.h"

static void test_quality_join__rows_of_one_rule_add_up_and_rates_follow_the_sums(void **s)
{
    (void)s;
    json_t *answers = json_loads(
        "[{\"rules\": [{\"rule\": \"b.x\", \"type\": \"t\", \"policy_version\": \"v1\","
        "  \"violations\": 4, \"pending\": 0, \"dismissed\": 1, \"in_force\": 2, \"appealed\": 1,"
        "  \"overturned\": 1, \"overturn_rate\": 0.333, \"dismiss_rate\": 0.25}]},"
        " {\"rules\": []},"
        " {\"rules\": [{\"rule\": \"a.y\", \"type\": \"t\", \"policy_version\": \"v1\","
        "  \"violations\": 1, \"pending\": 1, \"dismissed\": 0, \"in_force\": 0, \"appealed\": 0,"
        "  \"overturned\": 0, \"overturn_rate\": null, \"dismiss_rate\": null},"
        " {\"rule\": \"b.x\", \"type\": \"t\", \"policy_version\": \"v1\","
        "  \"violations\": 6, \"pending\": 0, \"dismissed\": 1, \"in_force\": 4, \"appealed\": 1,"
        "  \"overturned\": 1, \"overturn_rate\": 0.2, \"dismiss_rate\": 0.166}]}]",
        0, NULL);
    assert_non_null(answers);
    json_t *out = sw_penalty_rule_quality_join(answers);
    json_t *rows = json_object_get(out, "rules");
    assert_int_equal(json_array_size(rows), 2);
    json_t *a = json_array_get(rows, 0), *b = json_array_get(rows, 1);
    assert_string_equal(json_string_value(json_object_get(a, "rule")), "a.y");
    assert_true(json_is_null(json_object_get(a, "overturn_rate")));
    assert_string_equal(json_string_value(json_object_get(b, "rule")), "b.x");
    assert_int_equal(json_integer_value(json_object_get(b, "violations")), 10);
    assert_int_equal(json_integer_value(json_object_get(b, "in_force")), 6);
    assert_int_equal(json_integer_value(json_object_get(b, "overturned")), 2);
    /* overturned / (in force + overturned) = 2 / 8; dismissed / decided = 2 / 10 */
    assert_float_equal(json_real_value(json_object_get(b, "overturn_rate")), 0.25, 1e-9);
    assert_float_equal(json_real_value(json_object_get(b, "dismiss_rate")), 0.2, 1e-9);
    json_decref(out);
    json_decref(answers);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quality_join__rows_of_one_rule_add_up_and_rates_follow_the_sums),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
