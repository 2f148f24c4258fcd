#include "base/calendar.h"

#include <string.h>

#include "base/json.h"

void sw_calendar_init(struct sw_calendar *cal)
{
    memset(cal, 0, sizeof *cal);
}

static struct sw_calendar_year *find_year(const struct sw_calendar *cal, int year)
{
    for (int i = 0; i < cal->nyears; i++)
        if (cal->years[i].year == year)
            return (struct sw_calendar_year *)&cal->years[i];
    return NULL;
}

static int mark(struct sw_calendar_year *y, const char *s, uint8_t kind, const char *path,
                struct sw_error *err)
{
    int64_t day;
    if (sw_date_parse(s, strlen(s), &day, err))
        return sw_fail(err, SW_E_INVALID_VALUE, path, "%s: invalid date '%s'", path, s);
    int yy, m, d;
    sw_civil_from_days(day, &yy, &m, &d);
    if (yy != y->year)
        return sw_fail(err, SW_E_INVALID_VALUE, path, "%s: '%s' is not in %d", path, s, y->year);
    int doy = (int)(day - sw_days_from_civil(yy, 1, 1));
    if (y->kind[doy] != 0)
        return sw_fail(err, SW_E_INVALID_VALUE, path, "%s: '%s' listed twice", path, s);
    y->kind[doy] = kind;
    return SW_OK;
}

static int add_holidays(struct sw_calendar_year *y, json_t *hol, struct sw_error *err)
{
    size_t i;
    json_t *h;
    char path[64];
    json_array_foreach(hol, i, h)
    {
        const char *name, *from, *to;
        struct sw_jfield f[] = {
            {"name", SW_J_STR, SW_J_REQUIRED, &name, 128, NULL},
            {"from", SW_J_STR, SW_J_REQUIRED, &from, 10, NULL},
            {"to", SW_J_STR, SW_J_REQUIRED, &to, 10, NULL},
        };
        snprintf(path, sizeof path, "holidays[%zu]", i);
        if (sw_json_read(h, path, f, 3, true, err))
            return err ? err->code : SW_E_INVALID_VALUE;
        int64_t a, b;
        if (sw_date_parse(from, strlen(from), &a, err) || sw_date_parse(to, strlen(to), &b, err))
            return sw_fail(err, SW_E_INVALID_VALUE, path, "%s: invalid date", path);
        if (b < a || b - a > 31)
            return sw_fail(err, SW_E_INVALID_VALUE, path, "%s: bad range", path);
        for (int64_t d = a; d <= b; d++) {
            char ds[16];
            if (mark(y, sw_date_format(d, ds), 1, path, err))
                return err ? err->code : SW_E_INVALID_VALUE;
        }
    }
    return SW_OK;
}

int sw_calendar_add_json(struct sw_calendar *cal, const char *text, size_t len,
                         struct sw_error *err)
{
    json_t *root;
    int rc = sw_json_parse_object(text, len, &root, err);
    if (rc)
        return rc;
    int64_t year = 0;
    const char *region;
    json_t *hol, *mk;
    struct sw_jfield f[] = {
        {"region", SW_J_STR, SW_J_REQUIRED, &region, 16, NULL},
        {"year", SW_J_INT, SW_J_REQUIRED, &year, 9999, NULL},
        {"source", SW_J_STR, 0, &region, 512, NULL},
        {"holidays", SW_J_ARR, SW_J_REQUIRED, &hol, 64, NULL},
        {"makeup_workdays", SW_J_STRARR, SW_J_REQUIRED, &mk, 64, NULL},
    };
    rc = sw_json_read(root, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        goto out;
    if (year < 1970) {
        rc = sw_fail(err, SW_E_INVALID_VALUE, "year", "year out of range");
        goto out;
    }
    if (find_year(cal, (int)year) || cal->nyears == SW_CALENDAR_MAX_YEARS) {
        rc = sw_fail(err, SW_E_INVALID_VALUE, "year", "year %d already loaded or too many years",
                     (int)year);
        goto out;
    }
    struct sw_calendar_year y;
    memset(&y, 0, sizeof y);
    y.year = (int)year;
    if ((rc = add_holidays(&y, hol, err)))
        goto out;
    size_t i;
    json_t *e;
    json_array_foreach(mk, i, e)
    {
        char path[48];
        snprintf(path, sizeof path, "makeup_workdays[%zu]", i);
        if ((rc = mark(&y, json_string_value(e), 2, path, err)))
            goto out;
    }
    cal->years[cal->nyears++] = y;
out:
    json_decref(root);
    return rc;
}

int sw_calendar_is_working_day(const struct sw_calendar *cal, int64_t day, bool *out,
                               struct sw_error *err)
{
    int y, m, d;
    sw_civil_from_days(day, &y, &m, &d);
    const struct sw_calendar_year *cy = find_year(cal, y);
    if (!cy)
        return sw_fail(err, SW_E_CALENDAR_YEAR_MISSING, NULL,
                       "the working-day calendar has no data for %d", y);
    int doy = (int)(day - sw_days_from_civil(y, 1, 1));
    switch (cy->kind[doy]) {
    case 1:
        *out = false;
        break;
    case 2:
        *out = true;
        break;
    default:
        *out = sw_weekday(day) < 5;
    }
    return SW_OK;
}

int sw_calendar_add_working_days(const struct sw_calendar *cal, sw_instant t, int n,
                                 sw_instant *out, struct sw_error *err)
{
    if (n < 0 || n > 3660)
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "working days must be 0..3660");
    int64_t day = sw_shanghai_day(t);
    int64_t tod = t + SW_SHANGHAI_OFFSET_US - day * SW_US_PER_DAY;
    int64_t d = day;
    for (int left = n; left > 0;) {
        bool w = false;
        d++;
        int rc = sw_calendar_is_working_day(cal, d, &w, err);
        if (rc)
            return rc;
        if (w)
            left--;
    }
    *out = d * SW_US_PER_DAY + tod - SW_SHANGHAI_OFFSET_US;
    return SW_OK;
}

int sw_calendar_working_days_between(const struct sw_calendar *cal, int64_t from_day,
                                     int64_t to_day, int *out, struct sw_error *err)
{
    int count = 0;
    if (to_day - from_day > 3660)
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "range too long");
    for (int64_t d = from_day + 1; d <= to_day; d++) {
        bool w = false;
        int rc = sw_calendar_is_working_day(cal, d, &w, err);
        if (rc)
            return rc;
        count += w;
    }
    *out = count;
    return SW_OK;
}
