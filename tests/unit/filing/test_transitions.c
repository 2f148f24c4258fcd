#include "support.h"

#include "domain/filing/filing.h"
#include "policy/policy.h"

#define PE SW_FILING_PENDING
#define RV SW_FILING_REVIEWING
#define AP SW_FILING_APPROVED
#define RJ SW_FILING_REJECTED
#define OK SW_OK
#define CONFLICT SW_E_STATE_CONFLICT

/* Every (state, action) pair of a filing record (RULES §4): pending -> reviewing on
 * submission (a rejected record may be submitted again); reviewing -> pending on withdrawal,
 * -> approved / rejected by an operator; an edit of a key field sends every record back to
 * pending (scenario 4: "in any of the three scenarios"; a pending one gains the reason); a scenario
 * naming a record adds its reason and leaves the state. */
static void test_transitions__every_state_and_action(void **state)
{
    static const struct {
        enum sw_filing_status from;
        enum sw_filing_action action;
        int code;
        enum sw_filing_status to;
    } table[] = {
        {PE, SW_FA_SUBMIT, OK, RV},        {PE, SW_FA_WITHDRAW, CONFLICT, PE},
        {PE, SW_FA_APPROVE, CONFLICT, PE}, {PE, SW_FA_REJECT, CONFLICT, PE},
        {PE, SW_FA_RESET, OK, PE},         {PE, SW_FA_ADD_REASON, OK, PE},
        {RV, SW_FA_SUBMIT, CONFLICT, RV},  {RV, SW_FA_WITHDRAW, OK, PE},
        {RV, SW_FA_APPROVE, OK, AP},       {RV, SW_FA_REJECT, OK, RJ},
        {RV, SW_FA_RESET, OK, PE},         {RV, SW_FA_ADD_REASON, OK, RV},
        {AP, SW_FA_SUBMIT, CONFLICT, AP},  {AP, SW_FA_WITHDRAW, CONFLICT, AP},
        {AP, SW_FA_APPROVE, CONFLICT, AP}, {AP, SW_FA_REJECT, CONFLICT, AP},
        {AP, SW_FA_RESET, OK, PE},         {AP, SW_FA_ADD_REASON, OK, AP},
        {RJ, SW_FA_SUBMIT, OK, RV},        {RJ, SW_FA_WITHDRAW, CONFLICT, RJ},
        {RJ, SW_FA_APPROVE, CONFLICT, RJ}, {RJ, SW_FA_REJECT, CONFLICT, RJ},
        {RJ, SW_FA_RESET, OK, PE},         {RJ, SW_FA_ADD_REASON, OK, RJ},
    };
    enum { N = sizeof table / sizeof table[0] };
    assert_int_equal(N, SW_FILING_STATUS_COUNT * SW_FILING_ACTION_COUNT);
    for (size_t i = 0; i < N; i++) {
        enum sw_filing_status next = table[i].from;
        int rc = sw_filing_transition(table[i].from, table[i].action, &next);
        if (rc != table[i].code)
            fail_msg("row %zu: got %s, want %s", i, sw_err_name(rc), sw_err_name(table[i].code));
        assert_int_equal(next, table[i].to);
    }
}

static void test_transitions__status_names_round_trip(void **state)
{
    for (int i = 0; i < SW_FILING_STATUS_COUNT; i++) {
        enum sw_filing_status s;
        assert_int_equal(
            sw_filing_status_parse(sw_filing_status_name((enum sw_filing_status)i), &s), SW_OK);
        assert_int_equal(s, i);
    }
    enum sw_filing_status s;
    assert_int_equal(sw_filing_status_parse("filed", &s), SW_E_INVALID_VALUE);
}

/* The check of one record against a deadline's end (the first instant too late). */
static void test_transitions__the_check_of_a_record(void **state)
{
    sw_instant end = test_instant("2026-02-13T16:00:00Z");
    assert_int_equal(sw_filing_check(false, PE, 0, end), SW_FR_NOT_FILED);
    assert_int_equal(sw_filing_check(true, PE, 0, end), SW_FR_NOT_APPROVED);
    assert_int_equal(sw_filing_check(true, RV, end - 1, end), SW_FR_NOT_APPROVED);
    assert_int_equal(sw_filing_check(true, RJ, end - 1, end), SW_FR_NOT_APPROVED);
    assert_int_equal(sw_filing_check(true, AP, end - 1, end), SW_FR_NONE);
    assert_int_equal(sw_filing_check(true, AP, end, end), SW_FR_FILED_TOO_LATE);
    assert_null(sw_filing_refusal_name(SW_FR_NONE));
    assert_string_equal(sw_filing_refusal_name(SW_FR_NOT_FILED), "not_filed");
    assert_string_equal(sw_filing_refusal_name(SW_FR_NOT_APPROVED), "not_approved");
    assert_string_equal(sw_filing_refusal_name(SW_FR_FILED_TOO_LATE), "filed_too_late");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transitions__every_state_and_action),
        cmocka_unit_test(test_transitions__status_names_round_trip),
        cmocka_unit_test(test_transitions__the_check_of_a_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
