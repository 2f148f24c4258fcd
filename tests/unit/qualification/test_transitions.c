#include "support.h"

#include "domain/qualification/qualification.h"

#define RV SW_QUAL_REVIEWING
#define AP SW_QUAL_APPROVED
#define RJ SW_QUAL_REJECTED
#define EX SW_QUAL_EXPIRED
#define RK SW_QUAL_REVOKED
#define OK SW_OK
#define CONFLICT SW_E_STATE_CONFLICT

/* Every (state, action) pair: reviewing -> approved | rejected; approved -> expired | revoked;
 * everything else refused, the state unchanged. */
static void test_transitions__every_state_and_action(void **state)
{
    static const struct {
        enum sw_qualification_status from;
        enum sw_qualification_action action;
        int code;
        enum sw_qualification_status to;
    } table[] = {
        {RV, SW_QA_APPROVE, OK, AP},       {RV, SW_QA_REJECT, OK, RJ},
        {RV, SW_QA_EXPIRE, CONFLICT, RV},  {RV, SW_QA_REVOKE, CONFLICT, RV},
        {AP, SW_QA_APPROVE, CONFLICT, AP}, {AP, SW_QA_REJECT, CONFLICT, AP},
        {AP, SW_QA_EXPIRE, OK, EX},        {AP, SW_QA_REVOKE, OK, RK},
        {RJ, SW_QA_APPROVE, CONFLICT, RJ}, {RJ, SW_QA_REJECT, CONFLICT, RJ},
        {RJ, SW_QA_EXPIRE, CONFLICT, RJ},  {RJ, SW_QA_REVOKE, CONFLICT, RJ},
        {EX, SW_QA_APPROVE, CONFLICT, EX}, {EX, SW_QA_REJECT, CONFLICT, EX},
        {EX, SW_QA_EXPIRE, CONFLICT, EX},  {EX, SW_QA_REVOKE, CONFLICT, EX},
        {RK, SW_QA_APPROVE, CONFLICT, RK}, {RK, SW_QA_REJECT, CONFLICT, RK},
        {RK, SW_QA_EXPIRE, CONFLICT, RK},  {RK, SW_QA_REVOKE, CONFLICT, RK},
    };
    enum { N = sizeof table / sizeof table[0] };
    assert_int_equal(N, SW_QUAL_STATUS_COUNT * SW_QUAL_ACTION_COUNT);
    for (size_t i = 0; i < N; i++) {
        enum sw_qualification_status next = table[i].from;
        int rc = sw_qualification_transition(table[i].from, table[i].action, &next);
        if (rc != table[i].code)
            fail_msg("row %zu: got %s, want %s", i, sw_err_name(rc), sw_err_name(table[i].code));
        assert_int_equal(next, table[i].to);
    }
}

static void test_transitions__status_names_round_trip(void **state)
{
    for (int i = 0; i < SW_QUAL_STATUS_COUNT; i++) {
        enum sw_qualification_status s;
        assert_int_equal(sw_qualification_status_parse(
                             sw_qualification_status_name((enum sw_qualification_status)i), &s),
                         SW_OK);
        assert_int_equal(s, i);
    }
    enum sw_qualification_status s;
    assert_int_equal(sw_qualification_status_parse("valid", &s), SW_E_INVALID_VALUE);
}

/* The end of 2027-01-31 in Asia/Shanghai is 2027-02-01T00:00+08:00 = 2027-01-31T16:00Z. */
static void test_transitions__expiry_is_the_end_of_the_day_in_shanghai(void **state)
{
    int64_t day = sw_days_from_civil(2027, 1, 31);
    assert_int_equal(sw_qualification_expiry(day), test_instant("2027-01-31T16:00:00Z"));
    assert_int_equal(sw_shanghai_day(sw_qualification_expiry(day) - 1), day);
    assert_int_equal(sw_shanghai_day(sw_qualification_expiry(day)), day + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transitions__every_state_and_action),
        cmocka_unit_test(test_transitions__status_names_round_trip),
        cmocka_unit_test(test_transitions__expiry_is_the_end_of_the_day_in_shanghai),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
