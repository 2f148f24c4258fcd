/* Instants: int64 microseconds since 1970-01-01T00:00:00Z. Calendar days are counted in days
 * since the epoch (civil, proleptic Gregorian). Asia/Shanghai is UTC+8 with no DST since 1991,
 * which is the only zone the rules use. */
#ifndef SW_BASE_INSTANT_H
#define SW_BASE_INSTANT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef int64_t sw_instant; /* µs since the epoch, UTC */

#define SW_US_PER_S INT64_C(1000000)
#define SW_US_PER_DAY (INT64_C(86400) * SW_US_PER_S)
#define SW_SHANGHAI_OFFSET_US (INT64_C(8) * 3600 * SW_US_PER_S)

/* Parses RFC 3339 / ISO 8601 extended: YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM), years 1970-9999;
 * digits below a microsecond are dropped (truncated: 10:00:00.1234567Z is 10:00:00.123456Z). */
int sw_instant_parse(const char *s, size_t len, sw_instant *out, struct sw_error *err) SW_MUSTCHECK;
/* Writes UTC, "2026-01-05T02:00:00Z" or with ".ffffff" when there are microseconds. buf >= 32. */
char *sw_instant_format(sw_instant t, char buf[32]);

/* Civil date <-> days since the epoch. */
int64_t sw_days_from_civil(int y, int m, int d);
void sw_civil_from_days(int64_t z, int *y, int *m, int *d);
/* Parses "YYYY-MM-DD" strictly. */
int sw_date_parse(const char *s, size_t len, int64_t *out_days, struct sw_error *err) SW_MUSTCHECK;
char *sw_date_format(int64_t days, char buf[16]);
/* 0 = Monday ... 6 = Sunday */
int sw_weekday(int64_t days);

/* Floor division helpers: the local (Asia/Shanghai) day an instant falls on. */
int64_t sw_shanghai_day(sw_instant t);

#endif
