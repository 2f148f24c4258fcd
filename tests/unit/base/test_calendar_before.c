/* sw_calendar_working_day_before over the shipped 2025 and 2026 calendars. The expected dates
 * are worked out by hand from the State Council arrangements (RULES.md "Working day"):
 * 2025: New Year Jan 1; Spring Festival Jan 28-Feb 4 off, Jan 26 (Sun) and Feb 8 (Sat) worked;
 *       Qingming Apr 4-6; Labour Day May 1-5 off, Apr 27 (Sun) worked; Dragon Boat
 *       May 31-Jun 2; National Day + Mid-Autumn Oct 1-8 off, Sep 28 (Sun), Oct 11 (Sat) worked.
 * 2026: New Year Jan 1-3 off, Jan 4 (Sun) worked; Spring Festival Feb 15-23 off, Feb 14 (Sat)
 *       and Feb 28 (Sat) worked; Qingming Apr 4-6; Labour Day May 1-5 off, May 9 (Sat)
 *       worked; Dragon Boat Jun 19-21; Mid-Autumn Sep 25-27; National Day Oct 1-7 off,
 *       Sep 20 (Sun) and Oct 10 (Sat) worked. */
#include "support.h"

#include <string.h>

#include "base/calendar.h"
#include "base/embedded.h"

static struct sw_calendar cal;

static int setup(void **state)
{
    sw_calendar_init(&cal);
    const char *files[] = {"data/calendar/cn-2025.json", "data/calendar/cn-2026.json"};
    for (int i = 0; i < 2; i++) {
        const struct sw_embedded_file *f = sw_embedded_find(files[i]);
        assert_non_null(f);
        struct sw_error err;
        assert_int_equal(sw_calendar_add_json(&cal, f->data, f->len, &err), SW_OK);
    }
    return 0;
}

static int64_t day_of(const char *s)
{
    int64_t d;
    struct sw_error err;
    assert_int_equal(sw_date_parse(s, strlen(s), &d, &err), SW_OK);
    return d;
}

struct before_case {
    const char *session; /* the session's local date */
    int n;
    const char *want; /* the n-th working day strictly before it */
    const char *why;
};

static const struct before_case CASES[] = {
    /* the case: the first working day after the 2026 Spring Festival */
    {"2026-02-24", 1, "2026-02-14", "Feb 15-23 off; Feb 14 is a make-up Saturday"},
    {"2026-02-24", 2, "2026-02-13", "the Friday before the make-up Saturday"},
    {"2026-02-24", 3, "2026-02-12", "an ordinary Thursday"},
    {"2026-02-25", 2, "2026-02-14", "Feb 24 is n=1"},
    {"2026-03-02", 1, "2026-02-28", "Feb 28 (Sat) worked, Mar 1 (Sun) off"},
    {"2026-03-02", 2, "2026-02-27", "Friday"},
    /* the year boundary: 2026-01-01..03 off, Jan 4 (Sun) worked, then back into 2025 */
    {"2026-01-05", 1, "2026-01-04", "make-up Sunday"},
    {"2026-01-05", 2, "2025-12-31", "walks over New Year into 2025"},
    {"2026-01-05", 3, "2025-12-30", "Tuesday in 2025"},
    {"2026-01-04", 1, "2025-12-31", "a session on a make-up day"},
    {"2026-01-02", 1, "2025-12-31", "a session on a holiday"},
    {"2026-04-07", 1, "2026-04-03", "Qingming Apr 4-6 (Sat-Mon)"},
    {"2026-04-07", 2, "2026-04-02", "Thursday"},
    {"2026-05-06", 1, "2026-04-30", "Labour Day May 1-5"},
    {"2026-05-06", 2, "2026-04-29", "Wednesday"},
    {"2026-05-11", 1, "2026-05-09", "make-up Saturday May 9"},
    {"2026-05-11", 2, "2026-05-08", "Friday"},
    {"2026-06-22", 1, "2026-06-18", "Dragon Boat Jun 19-21 (Fri-Sun)"},
    {"2026-09-21", 1, "2026-09-20", "make-up Sunday Sep 20"},
    {"2026-09-21", 2, "2026-09-18", "Friday"},
    {"2026-09-28", 1, "2026-09-24", "Mid-Autumn Sep 25-27 (Fri-Sun)"},
    {"2026-10-08", 1, "2026-09-30", "National Day Oct 1-7"},
    {"2026-10-08", 3, "2026-09-28", "Monday"},
    {"2026-10-08", 4, "2026-09-24", "Mid-Autumn skipped too"},
    {"2026-10-12", 1, "2026-10-10", "make-up Saturday Oct 10"},
    {"2026-10-12", 2, "2026-10-09", "Friday"},
    {"2026-10-12", 3, "2026-10-08", "Thursday"},
    {"2026-03-10", 1, "2026-03-09", "an ordinary Tuesday"},
    {"2026-03-10", 2, "2026-03-06", "over an ordinary weekend"},
    {"2027-01-01", 1, "2026-12-31", "the session's own day is not walked over"},
    /* 2025 */
    {"2025-01-03", 1, "2025-01-02", "Thursday"},
    {"2025-02-05", 1, "2025-01-27", "Spring Festival Jan 28-Feb 4"},
    {"2025-02-05", 2, "2025-01-26", "make-up Sunday Jan 26"},
    {"2025-02-05", 3, "2025-01-24", "Friday"},
    {"2025-02-10", 1, "2025-02-08", "make-up Saturday Feb 8"},
    {"2025-02-10", 2, "2025-02-07", "Friday"},
    {"2025-04-07", 1, "2025-04-03", "Qingming Apr 4-6 (Fri-Sun)"},
    {"2025-04-28", 1, "2025-04-27", "make-up Sunday Apr 27"},
    {"2025-04-28", 2, "2025-04-25", "Friday"},
    {"2025-05-06", 1, "2025-04-30", "Labour Day May 1-5"},
    {"2025-05-06", 3, "2025-04-28", "Monday"},
    {"2025-05-06", 4, "2025-04-27", "the make-up Sunday"},
    {"2025-06-03", 1, "2025-05-30", "Dragon Boat May 31-Jun 2 (Sat-Mon)"},
    {"2025-09-29", 1, "2025-09-28", "make-up Sunday Sep 28"},
    {"2025-09-29", 2, "2025-09-26", "Friday"},
    {"2025-10-09", 1, "2025-09-30", "National Day and Mid-Autumn Oct 1-8"},
    {"2025-10-09", 3, "2025-09-28", "the make-up Sunday"},
    {"2025-10-13", 1, "2025-10-11", "make-up Saturday Oct 11"},
    {"2025-10-13", 3, "2025-10-09", "Thursday"},
};

static void test_before__table(void **state)
{
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const struct before_case *c = &CASES[i];
        int64_t out = -1;
        struct sw_error err;
        int rc = sw_calendar_working_day_before(&cal, day_of(c->session), c->n, &out, &err);
        if (rc != SW_OK)
            fail_msg("%s n=%d: %s", c->session, c->n, err.msg);
        char got[16];
        if (out != day_of(c->want))
            fail_msg("%s n=%d (%s): got %s, want %s", c->session, c->n, c->why,
                     sw_date_format(out, got), c->want);
    }
}

struct missing_case {
    const char *session;
    int n;
    const char *year; /* the year the message must name */
};

static const struct missing_case MISSING[] = {
    {"2025-01-02", 1, "2024"}, /* Jan 1 is a holiday: the walk reaches 2024-12-31 */
    {"2025-01-01", 1, "2024"}, {"2025-01-03", 2, "2024"},
    {"2027-01-04", 1, "2027"}, /* 2027-01-03 is walked over */
    {"2027-03-01", 1, "2027"}, {"2024-06-03", 1, "2024"},
};

static void test_before__a_year_not_held_is_an_error(void **state)
{
    for (size_t i = 0; i < sizeof MISSING / sizeof MISSING[0]; i++) {
        const struct missing_case *c = &MISSING[i];
        int64_t out = -1;
        struct sw_error err;
        int rc = sw_calendar_working_day_before(&cal, day_of(c->session), c->n, &out, &err);
        if (rc != SW_E_CALENDAR_YEAR_MISSING)
            fail_msg("%s n=%d: got %s, want calendar_year_missing", c->session, c->n,
                     sw_err_name(rc));
        if (!strstr(err.msg, c->year))
            fail_msg("%s n=%d: message '%s' does not name %s", c->session, c->n, err.msg, c->year);
        assert_non_null(strstr(err.msg, "2025, 2026")); /* and says what it holds */
        assert_int_equal(out, -1);
    }
    struct sw_calendar empty;
    sw_calendar_init(&empty);
    int64_t out;
    struct sw_error err;
    assert_int_equal(sw_calendar_working_day_before(&empty, day_of("2026-03-10"), 1, &out, &err),
                     SW_E_CALENDAR_YEAR_MISSING);
}

static void test_before__n_must_be_positive(void **state)
{
    int64_t out = -1;
    struct sw_error err;
    int64_t d = day_of("2026-03-10");
    assert_int_equal(sw_calendar_working_day_before(&cal, d, 0, &out, &err), SW_E_INVALID_VALUE);
    assert_int_equal(sw_calendar_working_day_before(&cal, d, -1, &out, &err), SW_E_INVALID_VALUE);
    assert_int_equal(sw_calendar_working_day_before(&cal, d, 3661, &out, &err), SW_E_INVALID_VALUE);
    assert_int_equal(out, -1);
}

/* For every day of 2025-02-01..2026-12-31 and n = 1..5: the answer is a working day before
 * the session, and exactly n working days lie in [answer, session). */
static void test_before__agrees_with_the_day_count(void **state)
{
    struct sw_error err;
    for (int64_t d = day_of("2025-02-01"); d <= day_of("2026-12-31"); d++) {
        for (int n = 1; n <= 5; n++) {
            int64_t out;
            int between;
            bool w;
            assert_int_equal(sw_calendar_working_day_before(&cal, d, n, &out, &err), SW_OK);
            assert_true(out < d);
            assert_int_equal(sw_calendar_is_working_day(&cal, out, &w, &err), SW_OK);
            assert_true(w);
            assert_int_equal(sw_calendar_working_days_between(&cal, out - 1, d - 1, &between, &err),
                             SW_OK);
            assert_int_equal(between, n);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_before__table),
        cmocka_unit_test(test_before__a_year_not_held_is_an_error),
        cmocka_unit_test(test_before__n_must_be_positive),
        cmocka_unit_test(test_before__agrees_with_the_day_count),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
