/* Working-day calendar (Asia/Shanghai). One data file per year lists the statutory days off
 * and the make-up working days (调休); everything else is Monday-Friday. A day in a year the
 * calendar does not hold is an error (calendar_year_missing), never a guess. */
#ifndef SW_BASE_CALENDAR_H
#define SW_BASE_CALENDAR_H

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
    int nyears;
    struct sw_calendar_year years[SW_CALENDAR_MAX_YEARS];
};

void sw_calendar_init(struct sw_calendar *cal);
/* Adds one year from its JSON text:
 * {"region":"cn","year":2026,"holidays":[{"name":..,"from":"2026-01-01","to":"2026-01-03"}],
 *  "makeup_workdays":["2026-01-04", ...]} */
int sw_calendar_add_json(struct sw_calendar *cal, const char *text, size_t len,
                         struct sw_error *err) SW_MUSTCHECK;
int sw_calendar_is_working_day(const struct sw_calendar *cal, int64_t day, bool *out,
                               struct sw_error *err) SW_MUSTCHECK;
/* The same Shanghai wall-clock time on the n-th working day after t's local day (n >= 0;
 * n = 0 returns t). */
int sw_calendar_add_working_days(const struct sw_calendar *cal, sw_instant t, int n,
                                 sw_instant *out, struct sw_error *err) SW_MUSTCHECK;
/* Number of working days d with from_day < d <= to_day (0 when to_day <= from_day). */
int sw_calendar_working_days_between(const struct sw_calendar *cal, int64_t from_day,
                                     int64_t to_day, int *out, struct sw_error *err) SW_MUSTCHECK;

#endif
