#include "support.h"

#include "domain/catalog/catalog.h"

#define D SW_PRODUCT_DELISTED
#define L SW_PRODUCT_LISTED
#define B SW_PRODUCT_BANNED
#define OK SW_OK
#define CONFLICT SW_E_STATE_CONFLICT

/* Every product state x action x store state: the next state, or the refusal. */
static void test_transitions__every_product_state_and_action(void **state)
{
    static const struct {
        enum sw_merchant_status store;
        enum sw_product_status from;
        enum sw_product_action action;
        int code;
        enum sw_product_status to;
    } table[] = {
        /* active store */
        {SW_MERCHANT_ACTIVE, D, SW_PA_LIST, OK, L},
        {SW_MERCHANT_ACTIVE, D, SW_PA_DELIST, CONFLICT, D},
        {SW_MERCHANT_ACTIVE, D, SW_PA_BAN, OK, B},
        {SW_MERCHANT_ACTIVE, D, SW_PA_UNBAN, CONFLICT, D},
        {SW_MERCHANT_ACTIVE, D, SW_PA_EDIT, OK, D},
        {SW_MERCHANT_ACTIVE, L, SW_PA_LIST, CONFLICT, L},
        {SW_MERCHANT_ACTIVE, L, SW_PA_DELIST, OK, D},
        {SW_MERCHANT_ACTIVE, L, SW_PA_BAN, OK, B},
        {SW_MERCHANT_ACTIVE, L, SW_PA_UNBAN, CONFLICT, L},
        {SW_MERCHANT_ACTIVE, L, SW_PA_EDIT, OK, L},
        {SW_MERCHANT_ACTIVE, B, SW_PA_LIST, SW_E_PRODUCT_BANNED, B},
        {SW_MERCHANT_ACTIVE, B, SW_PA_DELIST, CONFLICT, B},
        {SW_MERCHANT_ACTIVE, B, SW_PA_BAN, CONFLICT, B},
        {SW_MERCHANT_ACTIVE, B, SW_PA_UNBAN, OK, D},
        {SW_MERCHANT_ACTIVE, B, SW_PA_EDIT, OK, B},
        /* restricted store: may not list, may do the rest */
        {SW_MERCHANT_RESTRICTED, D, SW_PA_LIST, SW_E_MERCHANT_RESTRICTED, D},
        {SW_MERCHANT_RESTRICTED, D, SW_PA_DELIST, CONFLICT, D},
        {SW_MERCHANT_RESTRICTED, D, SW_PA_BAN, OK, B},
        {SW_MERCHANT_RESTRICTED, D, SW_PA_UNBAN, CONFLICT, D},
        {SW_MERCHANT_RESTRICTED, D, SW_PA_EDIT, OK, D},
        {SW_MERCHANT_RESTRICTED, L, SW_PA_LIST, CONFLICT, L},
        {SW_MERCHANT_RESTRICTED, L, SW_PA_DELIST, OK, D},
        {SW_MERCHANT_RESTRICTED, L, SW_PA_BAN, OK, B},
        {SW_MERCHANT_RESTRICTED, L, SW_PA_UNBAN, CONFLICT, L},
        {SW_MERCHANT_RESTRICTED, L, SW_PA_EDIT, OK, L},
        {SW_MERCHANT_RESTRICTED, B, SW_PA_LIST, SW_E_PRODUCT_BANNED, B},
        {SW_MERCHANT_RESTRICTED, B, SW_PA_DELIST, CONFLICT, B},
        {SW_MERCHANT_RESTRICTED, B, SW_PA_BAN, CONFLICT, B},
        {SW_MERCHANT_RESTRICTED, B, SW_PA_UNBAN, OK, D},
        {SW_MERCHANT_RESTRICTED, B, SW_PA_EDIT, OK, B},
        /* cleared store: nothing goes up again; take-downs still work */
        {SW_MERCHANT_CLEARED, D, SW_PA_LIST, SW_E_MERCHANT_CLEARED, D},
        {SW_MERCHANT_CLEARED, D, SW_PA_DELIST, CONFLICT, D},
        {SW_MERCHANT_CLEARED, D, SW_PA_BAN, OK, B},
        {SW_MERCHANT_CLEARED, D, SW_PA_UNBAN, CONFLICT, D},
        {SW_MERCHANT_CLEARED, D, SW_PA_EDIT, SW_E_MERCHANT_CLEARED, D},
        {SW_MERCHANT_CLEARED, L, SW_PA_LIST, SW_E_MERCHANT_CLEARED, L},
        {SW_MERCHANT_CLEARED, L, SW_PA_DELIST, OK, D},
        {SW_MERCHANT_CLEARED, L, SW_PA_BAN, OK, B},
        {SW_MERCHANT_CLEARED, L, SW_PA_UNBAN, CONFLICT, L},
        {SW_MERCHANT_CLEARED, L, SW_PA_EDIT, SW_E_MERCHANT_CLEARED, L},
        {SW_MERCHANT_CLEARED, B, SW_PA_LIST, SW_E_MERCHANT_CLEARED, B},
        {SW_MERCHANT_CLEARED, B, SW_PA_DELIST, CONFLICT, B},
        {SW_MERCHANT_CLEARED, B, SW_PA_BAN, CONFLICT, B},
        {SW_MERCHANT_CLEARED, B, SW_PA_UNBAN, OK, D},
        {SW_MERCHANT_CLEARED, B, SW_PA_EDIT, SW_E_MERCHANT_CLEARED, B},
    };
    enum { N = sizeof table / sizeof table[0] };
    assert_int_equal(N,
                     SW_MERCHANT_STATUS_COUNT * SW_PRODUCT_STATUS_COUNT * SW_PRODUCT_ACTION_COUNT);
    for (size_t i = 0; i < N; i++) {
        enum sw_product_status next = table[i].from;
        int rc = sw_product_transition(table[i].from, table[i].action, table[i].store, &next);
        if (rc != table[i].code)
            fail_msg("row %zu: got %s, want %s", i, sw_err_name(rc), sw_err_name(table[i].code));
        if (rc == OK)
            assert_int_equal(next, table[i].to);
    }
}

/* Operator actions on a store's holds, from representative hold sets: the holds after, the
 * status they give, or the refusal. */
static void test_transitions__every_store_state_and_action(void **state)
{
    enum {
        OP = SW_HOLD_OPERATOR,
        DEP = SW_HOLD_DEPOSIT,
        RECT = SW_HOLD_RECTIFICATION,
        VCLR = SW_HOLD_VIOLATION_CLEARANCE,
        OCLR = SW_HOLD_OPERATOR_CLEARANCE
    };
    static const struct {
        unsigned from;
        enum sw_merchant_action action;
        int code;
        unsigned to;
        enum sw_merchant_status status;
    } table[] = {
        /* active */
        {0, SW_MA_RESTRICT, OK, OP, SW_MERCHANT_RESTRICTED},
        {0, SW_MA_REINSTATE, CONFLICT, 0, SW_MERCHANT_ACTIVE},
        {0, SW_MA_CLEAR, OK, OCLR, SW_MERCHANT_CLEARED},
        /* restricted by an operator */
        {OP, SW_MA_RESTRICT, CONFLICT, OP, SW_MERCHANT_RESTRICTED},
        {OP, SW_MA_REINSTATE, OK, 0, SW_MERCHANT_ACTIVE},
        {OP, SW_MA_CLEAR, OK, OP | OCLR, SW_MERCHANT_CLEARED},
        /* restricted for its deposit: an operator's reinstate cannot lift that */
        {DEP, SW_MA_RESTRICT, OK, DEP | OP, SW_MERCHANT_RESTRICTED},
        {DEP, SW_MA_REINSTATE, CONFLICT, DEP, SW_MERCHANT_RESTRICTED},
        {DEP | OP, SW_MA_REINSTATE, OK, DEP, SW_MERCHANT_RESTRICTED},
        {DEP | RECT, SW_MA_CLEAR, OK, DEP | RECT | OCLR, SW_MERCHANT_CLEARED},
        /* cleared by a violation: an operator may make it final, nothing else */
        {VCLR, SW_MA_RESTRICT, SW_E_MERCHANT_CLEARED, VCLR, SW_MERCHANT_CLEARED},
        {VCLR, SW_MA_REINSTATE, SW_E_MERCHANT_CLEARED, VCLR, SW_MERCHANT_CLEARED},
        {VCLR, SW_MA_CLEAR, OK, VCLR | OCLR, SW_MERCHANT_CLEARED},
        /* cleared by an operator: final */
        {OCLR, SW_MA_RESTRICT, SW_E_MERCHANT_CLEARED, OCLR, SW_MERCHANT_CLEARED},
        {OCLR, SW_MA_REINSTATE, SW_E_MERCHANT_CLEARED, OCLR, SW_MERCHANT_CLEARED},
        {OCLR, SW_MA_CLEAR, SW_E_MERCHANT_CLEARED, OCLR, SW_MERCHANT_CLEARED},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        unsigned next = table[i].from;
        int rc = sw_merchant_transition(table[i].from, table[i].action, &next);
        if (rc != table[i].code)
            fail_msg("row %zu: got %s, want %s", i, sw_err_name(rc), sw_err_name(table[i].code));
        assert_int_equal(next, table[i].to);
        assert_int_equal(sw_merchant_status_of(next), table[i].status);
    }
}

static void test_transitions__status_follows_holds(void **state)
{
    assert_int_equal(sw_merchant_status_of(0), SW_MERCHANT_ACTIVE);
    for (int i = 0; i < SW_HOLD_COUNT; i++) {
        unsigned h = 1u << i;
        bool clears = h == SW_HOLD_VIOLATION_CLEARANCE || h == SW_HOLD_OPERATOR_CLEARANCE;
        assert_int_equal(sw_merchant_status_of(h),
                         clears ? SW_MERCHANT_CLEARED : SW_MERCHANT_RESTRICTED);
        assert_string_not_equal(sw_hold_name(h), "unknown");
    }
}

static void test_transitions__status_names_round_trip(void **state)
{
    for (int i = 0; i < SW_PRODUCT_STATUS_COUNT; i++) {
        enum sw_product_status s;
        assert_int_equal(sw_product_status_parse(sw_product_status_name(i), &s), SW_OK);
        assert_int_equal(s, i);
    }
    for (int i = 0; i < SW_MERCHANT_STATUS_COUNT; i++) {
        enum sw_merchant_status s;
        assert_int_equal(sw_merchant_status_parse(sw_merchant_status_name(i), &s), SW_OK);
        assert_int_equal(s, i);
    }
    enum sw_product_status s;
    assert_int_equal(sw_product_status_parse("paused", &s), SW_E_INVALID_VALUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transitions__every_product_state_and_action),
        cmocka_unit_test(test_transitions__every_store_state_and_action),
        cmocka_unit_test(test_transitions__status_follows_holds),
        cmocka_unit_test(test_transitions__status_names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
