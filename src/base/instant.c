#include "base/instant.h"

#include "base/buf.h"

#include <stdio.h>

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t sw_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void sw_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static bool digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool parse_date(const char *s, int *y, int *m, int *d)
{
    return digits(s, 4, y) && s[4] == '-' && digits(s + 5, 2, m) && s[7] == '-' &&
           digits(s + 8, 2, d) && *y >= 1970 && *m >= 1 && *m <= 12 && *d >= 1 &&
           *d <= days_in_month(*y, *m);
}

int sw_date_parse(const char *s, size_t len, int64_t *out_days, struct sw_error *err)
{
    int y, m, d;
    if (len != 10 || !parse_date(s, &y, &m, &d))
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "invalid date '%.*s' (want YYYY-MM-DD)",
                       (int)(len > 40 ? 40 : len), s);
    *out_days = sw_days_from_civil(y, m, d);
    return SW_OK;
}

int sw_instant_parse(const char *s, size_t len, sw_instant *out, struct sw_error *err)
{
    int y, mo, d, h, mi, se, frac = 0, oh = 0, om = 0, sign = 0;
    size_t i = 19;
    if (len < 20 || !parse_date(s, &y, &mo, &d) || (s[10] != 'T' && s[10] != 't') ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
        !digits(s + 17, 2, &se) || h > 23 || mi > 59 || se > 59)
        goto bad;
    if (i < len && s[i] == '.') {
        i++;
        size_t nd = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (nd == 9) /* nanoseconds (Go's RFC3339Nano) at most */
                goto bad;
            if (nd < 6) /* below a microsecond: dropped, as the clock keeps none */
                frac = frac * 10 + (s[i] - '0');
            i++;
            nd++;
        }
        if (nd == 0)
            goto bad;
        for (; nd < 6; nd++)
            frac *= 10; /* nd above 6 leaves frac as it is */
    }
    if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i < len && (s[i] == '+' || s[i] == '-')) {
        sign = s[i] == '+' ? 1 : -1;
        if (len - i != 6 || !digits(s + i + 1, 2, &oh) || s[i + 3] != ':' ||
            !digits(s + i + 4, 2, &om) || oh > 14 || om > 59)
            goto bad;
        i += 6;
    } else {
        goto bad;
    }
    if (i != len)
        goto bad;
    int64_t secs = sw_days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + se;
    secs -= (int64_t)sign * ((int64_t)oh * 3600 + (int64_t)om * 60);
    *out = secs * SW_US_PER_S + frac;
    return SW_OK;
bad:
    return sw_fail(err, SW_E_INVALID_VALUE, NULL,
                   "invalid instant '%.*s' (want RFC 3339, e.g. 2026-01-05T10:00:00+08:00)",
                   (int)(len > 64 ? 64 : len), s);
}

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

char *sw_instant_format(sw_instant t, char buf[32])
{
    int64_t days = floordiv(t, SW_US_PER_DAY);
    int64_t rem = t - days * SW_US_PER_DAY;
    int y, m, d;
    sw_civil_from_days(days, &y, &m, &d);
    int64_t secs = rem / SW_US_PER_S, us = rem % SW_US_PER_S;
    int h = (int)(secs / 3600), mi = (int)(secs / 60 % 60), se = (int)(secs % 60);
    if (y < 0 || y > 9999) { /* outside what parsing accepts: printf's widths */
        if (us)
            snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", y, m, d, h, mi, se, (int)us);
        else
            snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, h, mi, se);
        return buf;
    }
    /* The hot path of every rendered row: digits by hand, no printf. */
    char *o = sw_fmt_digits(buf, (uint64_t)y, 4);
    *o++ = '-';
    o = sw_fmt_digits(o, (uint64_t)m, 2);
    *o++ = '-';
    o = sw_fmt_digits(o, (uint64_t)d, 2);
    *o++ = 'T';
    o = sw_fmt_digits(o, (uint64_t)h, 2);
    *o++ = ':';
    o = sw_fmt_digits(o, (uint64_t)mi, 2);
    *o++ = ':';
    o = sw_fmt_digits(o, (uint64_t)se, 2);
    if (us) {
        *o++ = '.';
        o = sw_fmt_digits(o, (uint64_t)us, 6);
    }
    *o++ = 'Z';
    *o = '\0';
    return buf;
}

char *sw_date_format(int64_t days, char buf[16])
{
    int y, m, d;
    sw_civil_from_days(days, &y, &m, &d);
    snprintf(buf, 16, "%04d-%02d-%02d", y, m, d);
    return buf;
}

int sw_weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday (3 when Monday = 0). */
    int64_t w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

int64_t sw_shanghai_day(sw_instant t)
{
    return floordiv(t + SW_SHANGHAI_OFFSET_US, SW_US_PER_DAY);
}
