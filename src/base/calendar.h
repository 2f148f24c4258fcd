/* Working-day calendar (Asia/Shanghai). One data file per year lists the statutory days off
 * and the make-up working days (调休); everything else is Monday-Friday. A day in a year the
 * calendar does not hold is an error (calendar_year_missing), never a guess. */
#ifndef SW_BASE_CALENDAR_H
#define SW_BASE_CALENDAR_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/instant.h"

#define SW_CALENDAR_MAX_YEARS 16

struct sw_calendar_year {
    int year;
    uint8_t kind[366]; /* per day of year: 0 = weekday rule, 1 = holiday, 2 = make-up workday */
};

struct sw_calendar {
    int nyears; /* years[] in ascending order of year */
    struct sw_calendar_year years[SW_CALENDAR_MAX_YEARS];
};

void sw_calendar_init(struct sw_calendar *cal);
/* Checks one year given as a JSON object
 * {"region":"cn","year":2026,"source":"...","holidays":[{"name":..,"from":"2026-01-01",
 *  "to":"2026-01-03"}],"makeup_workdays":["2026-01-04", ...]}
 * and fills *out. Every problem is appended to `problems` as {"path","message"}, the path being
 * `path` and the member ("$.calendar.years[0]" gives "$.calendar.years[0].holidays[2].from"):
 * unknown or missing fields, a region other than `region` (NULL: any), a date that is not
 * YYYY-MM-DD or not in the year, a range that ends before it starts or spans more than 31
 * days, a day listed twice (overlapping holidays, a make-up day on a holiday), a make-up
 * working day that is not a Saturday or Sunday. Returns the number of problems (0 = valid). */
int sw_calendar_year_check(const json_t *obj, const char *path, const char *region,
                           struct sw_calendar_year *out, json_t *problems);
/* Puts a checked year into cal, replacing the year of the same number if there is one.
 * invalid_value when the calendar already holds SW_CALENDAR_MAX_YEARS other years. */
int sw_calendar_put(struct sw_calendar *cal, const struct sw_calendar_year *y,
                    struct sw_error *err) SW_MUSTCHECK;
/* Whether cal holds that year. */
bool sw_calendar_has_year(const struct sw_calendar *cal, int year);
/* Adds one year from its JSON text (any region), checked by sw_calendar_year_check; a year
 * already held is refused. On a problem, err names the first one. */
int sw_calendar_add_json(struct sw_calendar *cal, const char *text, size_t len,
                         struct sw_error *err) SW_MUSTCHECK;
/* calendar_year_missing for `year`, the message naming the years the calendar holds. */
int sw_calendar_year_missing(const struct sw_calendar *cal, int year, struct sw_error *err);
int sw_calendar_is_working_day(const struct sw_calendar *cal, int64_t day, bool *out,
                               struct sw_error *err) SW_MUSTCHECK;
/* The same Shanghai wall-clock time on the n-th working day after t's local day (n >= 0;
 * n = 0 returns t). */
int sw_calendar_add_working_days(const struct sw_calendar *cal, sw_instant t, int n,
                                 sw_instant *out, struct sw_error *err) SW_MUSTCHECK;
/* The n-th working day strictly before the local day `day` (n >= 1): with n = 1 the last
 * working day before it. day and *out are local (Asia/Shanghai) day numbers, days since
 * 1970-01-01. calendar_year_missing, naming the year, when a day walked over (from day - 1 back
 * to the result) is in a year the calendar does not hold; invalid_value for n outside
 * 1..3660. */
int sw_calendar_working_day_before(const struct sw_calendar *cal, int64_t day, int n, int64_t *out,
                                   struct sw_error *err) SW_MUSTCHECK;
/* Number of working days d with from_day < d <= to_day (0 when to_day <= from_day). */
int sw_calendar_working_days_between(const struct sw_calendar *cal, int64_t from_day,
                                     int64_t to_day, int *out, struct sw_error *err) SW_MUSTCHECK;

#endif
