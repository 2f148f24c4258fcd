#include "support.h"

#include "domain/badge/badge.h"
#include "domain/catalog/catalog.h"
#include "policy/policy.h"

#define IN SW_BADGE_INELIGIBLE
#define EL SW_BADGE_ELIGIBLE
#define AC SW_BADGE_ACTIVE
#define SU SW_BADGE_SUSPENDED
#define CL SW_BADGE_CLOSED
#define OK SW_OK
#define CONFLICT SW_E_STATE_CONFLICT
#define NOT_ELIGIBLE SW_E_BADGE_NOT_ELIGIBLE

/* Every (state, action) pair of a store's badge (RULES §5): the rule holding or failing moves
 * ineligible <-> eligible and active <-> suspended, and leaves a closed badge closed (the system
 * never opens it again); the store activates an eligible or closed (and eligible) badge; the
 * system's check activates only an eligible one; the store closes any badge not closed; a
 * reminder is dismissed only while the badge is not active, suspended or closed. */
static void test_transitions__every_state_and_action(void **state)
{
    static const struct {
        enum sw_badge_state from;
        enum sw_badge_action action;
        int code;
        enum sw_badge_state to;
    } table[] = {
        {IN, SW_BA_RULE_HOLDS, OK, EL},
        {IN, SW_BA_RULE_FAILS, OK, IN},
        {IN, SW_BA_ACTIVATE, NOT_ELIGIBLE, IN},
        {IN, SW_BA_AUTO_ACTIVATE, CONFLICT, IN},
        {IN, SW_BA_CLOSE, OK, CL},
        {EL, SW_BA_RULE_HOLDS, OK, EL},
        {EL, SW_BA_RULE_FAILS, OK, IN},
        {EL, SW_BA_ACTIVATE, OK, AC},
        {EL, SW_BA_AUTO_ACTIVATE, OK, AC},
        {EL, SW_BA_CLOSE, OK, CL},
        {AC, SW_BA_RULE_HOLDS, OK, AC},
        {AC, SW_BA_RULE_FAILS, OK, SU},
        {AC, SW_BA_ACTIVATE, CONFLICT, AC},
        {AC, SW_BA_AUTO_ACTIVATE, CONFLICT, AC},
        {AC, SW_BA_CLOSE, OK, CL},
        {SU, SW_BA_RULE_HOLDS, OK, AC},
        {SU, SW_BA_RULE_FAILS, OK, SU},
        {SU, SW_BA_ACTIVATE, NOT_ELIGIBLE, SU},
        {SU, SW_BA_AUTO_ACTIVATE, CONFLICT, SU},
        {SU, SW_BA_CLOSE, OK, CL},
        {CL, SW_BA_RULE_HOLDS, OK, CL},
        {CL, SW_BA_RULE_FAILS, OK, CL},
        {CL, SW_BA_ACTIVATE, OK, AC},
        {CL, SW_BA_AUTO_ACTIVATE, CONFLICT, CL},
        {CL, SW_BA_CLOSE, CONFLICT, CL},
        /* the reminder: dismissed while the badge waits to be activated; once it is active,
         * suspended or closed none waits (a timer would have nothing to activate) */
        {IN, SW_BA_DISMISS, OK, IN},
        {EL, SW_BA_DISMISS, OK, EL},
        {AC, SW_BA_DISMISS, CONFLICT, AC},
        {SU, SW_BA_DISMISS, CONFLICT, SU},
        {CL, SW_BA_DISMISS, CONFLICT, CL},
    };
    enum { N = sizeof table / sizeof table[0] };
    assert_int_equal(N, SW_BADGE_STATE_COUNT * SW_BADGE_ACTION_COUNT);
    for (size_t i = 0; i < N; i++) {
        enum sw_badge_state next = table[i].from;
        int rc = sw_badge_transition(table[i].from, table[i].action, &next);
        if (rc != table[i].code)
            fail_msg("row %zu: got %s, want %s", i, sw_err_name(rc), sw_err_name(table[i].code));
        assert_int_equal(next, table[i].to);
    }
}

static void test_transitions__state_names_round_trip(void **state)
{
    for (int i = 0; i < SW_BADGE_STATE_COUNT; i++) {
        enum sw_badge_state s;
        assert_int_equal(sw_badge_state_parse(sw_badge_state_name((enum sw_badge_state)i), &s),
                         SW_OK);
        assert_int_equal(s, i);
    }
    enum sw_badge_state s;
    assert_int_equal(sw_badge_state_parse("lit", &s), SW_E_INVALID_VALUE);
}

/* What a product of a category needs under the default policy: the five base services, plus
 * 坏单包赔 for fresh food and 过敏包退 for beauty (RULES §5). */
static void test_transitions__what_a_category_needs(void **state)
{
    struct sw_policy *pol = NULL;
    struct sw_error err;
    assert_int_equal(sw_policy_load_default(&pol, &err), SW_OK);
    json_t *fresh = sw_policy_badge_services(pol, "fresh.fruit");
    json_t *beauty = sw_policy_badge_services(pol, "beauty.skincare");
    json_t *other = sw_policy_badge_services(pol, "digital.phones");
    assert_int_equal(json_array_size(other), 5);
    assert_int_equal(json_array_size(fresh), 6);
    assert_string_equal(json_string_value(json_array_get(fresh, 5)), "bad_item_compensation");
    assert_int_equal(json_array_size(beauty), 6);
    assert_string_equal(json_string_value(json_array_get(beauty, 5)), "allergy_return");
    static const char *const base[] = {"seven_day_return", "authenticity_guarantee",
                                       "return_shipping_insurance", "doorstep_pickup",
                                       "fast_refund_unshipped"};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(json_string_value(json_array_get(other, i)), base[i]);
        assert_non_null(sw_policy_service(pol, base[i]));
    }
    assert_null(sw_policy_service(pol, "freight_insurance")); /* the scanner's old codes */
    assert_null(sw_policy_service(pol, "fast_refund"));
    json_decref(fresh);
    json_decref(beauty);
    json_decref(other);
    sw_policy_free(pol);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transitions__every_state_and_action),
        cmocka_unit_test(test_transitions__state_names_round_trip),
        cmocka_unit_test(test_transitions__what_a_category_needs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
