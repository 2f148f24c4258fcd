#include "support.h"

#include "domain/promotion/promotion.h"

#define RUN SW_PROMO_RUNNING
#define ABN SW_PROMO_ABNORMAL
#define FAI SW_PROMO_REVIEW_FAILED
#define COM SW_PROMO_COMPLETED
#define REF SW_PROMO_REFUNDED
#define OK SW_OK
#define CONFLICT SW_E_STATE_CONFLICT
#define NOPAUSE SW_E_PROMOTION_NOT_PAUSABLE
#define TWICE SW_E_ALREADY_REFUNDED

/* Every (state, event) pair of RULES §1: a live order (running, abnormal) is never paused or
 * cancelled; only review_failed is refunded, once; a check that fails makes a live order
 * abnormal, every reason cleared runs it again; the estimate completes a live order, the
 * duration only a running one (an abnormal order's end moves out). */
static void test_transitions__every_state_and_event(void **state)
{
    static const struct {
        enum sw_promo_status from;
        enum sw_promo_event ev;
        int code;
        enum sw_promo_status to;
    } table[] = {
        {RUN, SW_PE_PAUSE, NOPAUSE, RUN},
        {RUN, SW_PE_CANCEL, NOPAUSE, RUN},
        {RUN, SW_PE_REFUND, CONFLICT, RUN},
        {RUN, SW_PE_CHECK_FAILED, OK, ABN},
        {RUN, SW_PE_CHECKS_CLEARED, OK, RUN},
        {RUN, SW_PE_ESTIMATE_REACHED, OK, COM},
        {RUN, SW_PE_DURATION_ENDED, OK, COM},
        {ABN, SW_PE_PAUSE, NOPAUSE, ABN},
        {ABN, SW_PE_CANCEL, NOPAUSE, ABN},
        {ABN, SW_PE_REFUND, CONFLICT, ABN},
        {ABN, SW_PE_CHECK_FAILED, OK, ABN},
        {ABN, SW_PE_CHECKS_CLEARED, OK, RUN},
        {ABN, SW_PE_ESTIMATE_REACHED, OK, COM},
        {ABN, SW_PE_DURATION_ENDED, CONFLICT, ABN},
        {FAI, SW_PE_PAUSE, CONFLICT, FAI},
        {FAI, SW_PE_CANCEL, CONFLICT, FAI},
        {FAI, SW_PE_REFUND, OK, REF},
        {FAI, SW_PE_CHECK_FAILED, CONFLICT, FAI},
        {FAI, SW_PE_CHECKS_CLEARED, CONFLICT, FAI},
        {FAI, SW_PE_ESTIMATE_REACHED, CONFLICT, FAI},
        {FAI, SW_PE_DURATION_ENDED, CONFLICT, FAI},
        {COM, SW_PE_PAUSE, CONFLICT, COM},
        {COM, SW_PE_CANCEL, CONFLICT, COM},
        {COM, SW_PE_REFUND, CONFLICT, COM},
        {COM, SW_PE_CHECK_FAILED, CONFLICT, COM},
        {COM, SW_PE_CHECKS_CLEARED, CONFLICT, COM},
        {COM, SW_PE_ESTIMATE_REACHED, CONFLICT, COM},
        {COM, SW_PE_DURATION_ENDED, CONFLICT, COM},
        {REF, SW_PE_PAUSE, CONFLICT, REF},
        {REF, SW_PE_CANCEL, CONFLICT, REF},
        {REF, SW_PE_REFUND, TWICE, REF},
        {REF, SW_PE_CHECK_FAILED, CONFLICT, REF},
        {REF, SW_PE_CHECKS_CLEARED, CONFLICT, REF},
        {REF, SW_PE_ESTIMATE_REACHED, CONFLICT, REF},
        {REF, SW_PE_DURATION_ENDED, CONFLICT, REF},
    };
    enum { N = sizeof table / sizeof table[0] };
    assert_int_equal(N, SW_PROMO_STATUS_COUNT * SW_PE_COUNT);
    for (size_t i = 0; i < N; i++) {
        enum sw_promo_status next = table[i].from;
        int rc = sw_promotion_transition(table[i].from, table[i].ev, &next);
        if (rc != table[i].code)
            fail_msg("row %zu (%s, %s): got %s, want %s", i, sw_promo_status_name(table[i].from),
                     sw_promo_event_name(table[i].ev), sw_err_name(rc), sw_err_name(table[i].code));
        assert_int_equal(next, table[i].to);
    }
}

static void test_transitions__status_names_round_trip(void **state)
{
    for (int i = 0; i < SW_PROMO_STATUS_COUNT; i++) {
        enum sw_promo_status s;
        assert_int_equal(sw_promo_status_parse(sw_promo_status_name((enum sw_promo_status)i), &s),
                         SW_OK);
        assert_int_equal(s, i);
    }
    enum sw_promo_status s;
    assert_int_equal(sw_promo_status_parse("paused", &s), SW_E_INVALID_VALUE);
}

static void test_transitions__ids(void **state)
{
    int64_t rid = 0;
    assert_true(sw_promotion_parse_id("pr12", &rid));
    assert_int_equal(rid, 12);
    assert_false(sw_promotion_parse_id("p12", &rid));
    assert_false(sw_promotion_parse_id("pr0", &rid));
    assert_false(sw_promotion_parse_id("pr", &rid));
    assert_false(sw_promotion_parse_id("pr1x", &rid));
    assert_false(sw_promotion_parse_id("q12", &rid));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transitions__every_state_and_event),
        cmocka_unit_test(test_transitions__status_names_round_trip),
        cmocka_unit_test(test_transitions__ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
