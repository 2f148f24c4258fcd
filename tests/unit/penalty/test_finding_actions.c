#include "support.h"

#include <string.h>

#include "policy/policy.h"

/* RULES.md §3, audit before publication and enforcement after: by default a scanner finding
 * blocks a product that is not listed and is penalised on one that is. */
static void test_finding_actions__defaults_block_unlisted_and_penalise_listed(void **state)
{
    struct sw_policy *p;
    struct sw_error err;
    assert_int_equal(sw_policy_load_default(&p, &err), SW_OK);
    static const char *const types[] = {"external_diversion", "exaggerated_efficacy",
                                        "key_info_inconsistent", "three_no_product"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        assert_int_equal(sw_policy_finding_action(p, types[i], false), SW_FA_BLOCK);
        assert_int_equal(sw_policy_finding_action(p, types[i], true), SW_FA_PENALISE);
    }
    sw_policy_free(p);
}

/* A type the policy has no rule for stays a finding: it neither blocks nor penalises. */
static void test_finding_actions__a_type_without_a_rule_is_ignored(void **state)
{
    struct sw_policy *p;
    struct sw_error err;
    assert_int_equal(sw_policy_load_default(&p, &err), SW_OK);
    assert_int_equal(sw_policy_finding_action(p, "false_advertising", false), SW_FA_IGNORE);
    assert_int_equal(sw_policy_finding_action(p, "false_advertising", true), SW_FA_IGNORE);
    assert_string_equal(sw_finding_action_name(SW_FA_BLOCK), "block");
    assert_string_equal(sw_finding_action_name(SW_FA_PENALISE), "penalise");
    assert_string_equal(sw_finding_action_name(SW_FA_IGNORE), "ignore");
    sw_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finding_actions__defaults_block_unlisted_and_penalise_listed),
        cmocka_unit_test(test_finding_actions__a_type_without_a_rule_is_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
