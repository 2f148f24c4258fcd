#include "support.h"

#include <stdio.h>

#include "domain/filing/filing.h"
#include "policy/policy.h"

/* The filing deadline (RULES §4): the last submission must be made by the end (Asia/Shanghai)
 * of the lead-th working day before the live session's date. Working days come from the
 * shipped CN calendars: Monday to Friday, minus statutory holidays, plus make-up days. The
 * expected dates below were worked out by hand from the State Council's arrangements for 2025
 * and 2026, not from the code:
 *   2025: Jan 1; Jan 28-Feb 4 off, Jan 26 (Sun) and Feb 8 (Sat) worked; Apr 4-6; May 1-5 off,
 *         Apr 27 (Sun) worked; May 31-Jun 2; Oct 1-8 off, Sep 28 (Sun) and Oct 11 (Sat) worked.
 *   2026: Jan 1-3 off, Jan 4 (Sun) worked; Feb 15-23 off, Feb 14 and Feb 28 (Sat) worked;
 *         Apr 4-6; May 1-5 off, May 9 (Sat) worked; Jun 19-21; Sep 25-27; Oct 1-7 off,
 *         Sep 20 (Sun) and Oct 10 (Sat) worked. */
static const struct {
    const char *session; /* the session's local date */
    int lead;
    const char *last_day; /* the deadline's local date, NULL: calendar_year_missing */
    const char *why;
} cases[] = {
    {"2026-02-24", 2, "2026-02-13", "after Spring Festival: the make-up Saturday is the 1st"},
    {"2026-02-25", 2, "2026-02-14", "the make-up Saturday is the 2nd"},
    {"2026-03-02", 2, "2026-02-27", "Feb 28 (Sat) worked, Mar 1 (Sun) not"},
    {"2026-01-05", 2, "2025-12-31", "Jan 4 (Sun) worked, Jan 1-3 off: back into 2025"},
    {"2026-01-02", 2, "2025-12-30", "a holiday session date"},
    {"2026-04-07", 2, "2026-04-02", "Qingming Apr 4-6 (Sat-Mon)"},
    {"2026-05-06", 2, "2026-04-29", "Labour Day May 1-5"},
    {"2026-05-11", 2, "2026-05-08", "May 9 (Sat) worked"},
    {"2026-06-22", 2, "2026-06-17", "Dragon Boat Jun 19-21 (Fri-Sun)"},
    {"2026-09-22", 2, "2026-09-20", "Sep 20 (Sun) worked"},
    {"2026-09-28", 2, "2026-09-23", "Mid-Autumn Sep 25-27 (Fri-Sun)"},
    {"2026-10-08", 2, "2026-09-29", "National Day Oct 1-7"},
    {"2026-10-12", 2, "2026-10-09", "Oct 10 (Sat) worked, Oct 11 (Sun) not"},
    {"2026-12-01", 2, "2026-11-27", "an ordinary Tuesday: the Friday before"},
    {"2025-02-05", 2, "2025-01-26", "Spring Festival 2025: Jan 26 (Sun) worked"},
    {"2025-02-10", 2, "2025-02-07", "Feb 8 (Sat) worked"},
    {"2025-04-28", 2, "2025-04-25", "Apr 27 (Sun) worked"},
    {"2025-05-06", 2, "2025-04-29", "Labour Day 2025 May 1-5"},
    {"2025-06-03", 2, "2025-05-29", "Dragon Boat 2025 May 31-Jun 2"},
    {"2025-10-09", 2, "2025-09-29", "National Day 2025 Oct 1-8"},
    {"2025-10-13", 2, "2025-10-10", "Oct 11 (Sat) worked"},
    {"2026-02-24", 0, "2026-02-24", "no lead: the session's own day"},
    {"2026-02-24", 1, "2026-02-14", "one working day"},
    {"2026-02-24", 3, "2026-02-12", "three working days"},
    {"2025-01-02", 2, NULL, "walks into 2024, which the calendar lacks"},
    {"2027-01-04", 2, NULL, "a year the calendar lacks"},
    {"2027-01-01", 2, NULL, "the session's own date outside the calendar (Dec 30-31 2026 are)"},
};

static void test_deadline__cases_over_the_2025_and_2026_calendars(void **state)
{
    struct sw_policy *pol = NULL;
    struct sw_error err;
    assert_int_equal(sw_policy_load_default(&pol, &err), SW_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int y, m, d;
        assert_int_equal(sscanf(cases[i].session, "%d-%d-%d", &y, &m, &d), 3);
        sw_instant end = 0;
        int rc = sw_filing_deadline(&pol->calendar, sw_days_from_civil(y, m, d), cases[i].lead,
                                    &end, &err);
        if (!cases[i].last_day) {
            if (rc != SW_E_CALENDAR_YEAR_MISSING)
                fail_msg("%s (%s): got %s, want calendar_year_missing", cases[i].session,
                         cases[i].why, sw_err_name(rc));
            continue;
        }
        if (rc != SW_OK)
            fail_msg("%s (%s): %s", cases[i].session, cases[i].why, err.msg);
        /* the end is 00:00 +08:00 the day after the last day, i.e. 16:00Z on the last day */
        char want[32];
        snprintf(want, sizeof want, "%sT16:00:00Z", cases[i].last_day);
        if (end != test_instant(want)) {
            char got[32];
            fail_msg("%s lead %d (%s): deadline end %s, want %s", cases[i].session, cases[i].lead,
                     cases[i].why, sw_instant_format(end, got), want);
        }
    }
    sw_policy_free(pol);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline__cases_over_the_2025_and_2026_calendars),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
