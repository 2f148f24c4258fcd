#include "base/calendar.h"

#include <stdio.h>
#include <string.h>

#include "base/json.h"

enum { MAX_ENTRIES = 64, MAX_SPAN_DAYS = 31 };

void sw_calendar_init(struct sw_calendar *cal)
{
    memset(cal, 0, sizeof *cal);
}

static const struct sw_calendar_year *find_year(const struct sw_calendar *cal, int year)
{
    for (int i = 0; i < cal->nyears; i++)
        if (cal->years[i].year == year)
            return &cal->years[i];
    return NULL;
}

bool sw_calendar_has_year(const struct sw_calendar *cal, int year)
{
    return find_year(cal, year) != NULL;
}

/* The state of one year's check: which entry marked each day, to name it in a conflict. */
struct ycheck {
    struct sw_calendar_year *y;
    json_t *problems;
    int who[366]; /* 0 = none, holidays[i] = i + 1, makeup_workdays[j] = -(j + 1) */
};

#define problem(c, ...) sw_json_problem((c)->problems, __VA_ARGS__)

static const char *const WEEKDAYS[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                       "Friday", "Saturday", "Sunday"};

/* A date of the year: a string YYYY-MM-DD in c->y->year; a problem at path otherwise. */
static bool year_date(struct ycheck *c, const json_t *v, const char *path, int64_t *day)
{
    if (!json_is_string(v)) {
        problem(c, path, "must be a string (YYYY-MM-DD)");
        return false;
    }
    const char *s = json_string_value(v);
    struct sw_error e;
    if (sw_date_parse(s, json_string_length(v), day, &e)) {
        problem(c, path, "%s", e.msg);
        return false;
    }
    int y, m, d;
    sw_civil_from_days(*day, &y, &m, &d);
    if (y != c->y->year) {
        problem(c, path, "'%s' is not in %d, the year this calendar is for", s, c->y->year);
        return false;
    }
    return true;
}

/* Marks a day; false (with a problem at path naming the other entry) when it is marked. */
static bool mark(struct ycheck *c, int64_t day, uint8_t kind, int who, const char *path)
{
    int doy = (int)(day - sw_days_from_civil(c->y->year, 1, 1));
    int other = c->who[doy];
    if (other) {
        char ds[16];
        problem(c, path, "%s is already listed in %s[%d]", sw_date_format(day, ds),
                other > 0 ? "holidays" : "makeup_workdays", other > 0 ? other - 1 : -other - 1);
        return false;
    }
    c->who[doy] = who;
    c->y->kind[doy] = kind;
    return true;
}

static void check_holiday(struct ycheck *c, const json_t *h, const char *path, int idx)
{
    static const char *const allowed[] = {"name", "from", "to", NULL};
    if (!json_is_object(h)) {
        problem(c, path, "must be an object {\"name\", \"from\", \"to\"}");
        return;
    }
    sw_json_closed(c->problems, h, path, allowed);
    char np[192], fp[192], tp[192];
    sw_json_path_key(np, sizeof np, path, "name");
    sw_json_path_key(fp, sizeof fp, path, "from");
    sw_json_path_key(tp, sizeof tp, path, "to");
    const json_t *name = sw_json_want(c->problems, h, path, "name", JSON_STRING, true);
    if (name && (json_string_length(name) == 0 || json_string_length(name) > 128))
        problem(c, np, "must be 1-128 bytes");
    const json_t *from = sw_json_want(c->problems, h, path, "from", JSON_STRING, true);
    const json_t *to = sw_json_want(c->problems, h, path, "to", JSON_STRING, true);
    int64_t a = 0, b = 0;
    bool ok = from && year_date(c, from, fp, &a);
    ok = to && year_date(c, to, tp, &b) && ok;
    if (!ok)
        return;
    if (b < a) {
        problem(c, tp, "'%s' is before 'from' (%s)", json_string_value(to),
                json_string_value(from));
        return;
    }
    if (b - a >= MAX_SPAN_DAYS) {
        problem(c, path, "spans %d days, more than %d", (int)(b - a + 1), MAX_SPAN_DAYS);
        return;
    }
    for (int64_t d = a; d <= b; d++)
        if (!mark(c, d, 1, idx + 1, path))
            return;
}

static void check_makeup(struct ycheck *c, const json_t *v, const char *path, int idx)
{
    int64_t day;
    if (!year_date(c, v, path, &day))
        return;
    int wd = sw_weekday(day);
    if (wd < 5) {
        problem(c, path, "'%s' is a %s: a make-up working day is a Saturday or a Sunday",
                json_string_value(v), WEEKDAYS[wd]);
        return;
    }
    mark(c, day, 2, -(idx + 1), path);
}

static void check_list(struct ycheck *c, const json_t *arr, const char *path, const char *key,
                       void (*each)(struct ycheck *, const json_t *, const char *, int))
{
    char lp[192], ep[192];
    sw_json_path_key(lp, sizeof lp, path, key);
    if (json_array_size(arr) > MAX_ENTRIES) {
        problem(c, lp, "more than %d entries", MAX_ENTRIES);
        return;
    }
    size_t i;
    const json_t *e;
    json_array_foreach(arr, i, e)
    {
        sw_json_path_index(ep, sizeof ep, lp, i);
        each(c, e, ep, (int)i);
    }
}

int sw_calendar_year_check(const json_t *obj, const char *path, const char *region,
                           struct sw_calendar_year *out, json_t *problems)
{
    static const char *const allowed[] = {"region",          "year", "source", "holidays",
                                          "makeup_workdays", NULL};
    size_t before = json_array_size(problems);
    struct ycheck c = {.y = out, .problems = problems};
    memset(out, 0, sizeof *out);
    if (!json_is_object(obj)) {
        problem(&c, path, "must be an object (one year of the calendar)");
        return 1;
    }
    sw_json_closed(problems, obj, path, allowed);
    char p[192];
    const json_t *r = sw_json_want(problems, obj, path, "region", JSON_STRING, true);
    sw_json_path_key(p, sizeof p, path, "region");
    if (r && region && strcmp(json_string_value(r), region) != 0)
        problem(&c, p, "region '%s' is not the calendar's region '%s'", json_string_value(r),
                region);
    const json_t *yv = sw_json_want(problems, obj, path, "year", JSON_INTEGER, true);
    sw_json_path_key(p, sizeof p, path, "year");
    if (yv && (json_integer_value(yv) < 1970 || json_integer_value(yv) > 9999))
        problem(&c, p, "must be between 1970 and 9999");
    else if (yv)
        out->year = (int)json_integer_value(yv);
    sw_json_want(problems, obj, path, "source", JSON_STRING, false);
    const json_t *hol = sw_json_want(problems, obj, path, "holidays", JSON_ARRAY, true);
    const json_t *mk = sw_json_want(problems, obj, path, "makeup_workdays", JSON_ARRAY, true);
    if (out->year) {
        check_list(&c, hol, path, "holidays", check_holiday);
        check_list(&c, mk, path, "makeup_workdays", check_makeup);
    }
    return (int)(json_array_size(problems) - before);
}

int sw_calendar_put(struct sw_calendar *cal, const struct sw_calendar_year *y, struct sw_error *err)
{
    int i = 0;
    while (i < cal->nyears && cal->years[i].year < y->year)
        i++;
    if (i < cal->nyears && cal->years[i].year == y->year) {
        cal->years[i] = *y;
        return SW_OK;
    }
    if (cal->nyears == SW_CALENDAR_MAX_YEARS)
        return sw_fail(err, SW_E_INVALID_VALUE, "year",
                       "cannot add %d: the calendar holds at most %d years", y->year,
                       SW_CALENDAR_MAX_YEARS);
    memmove(&cal->years[i + 1], &cal->years[i], (size_t)(cal->nyears - i) * sizeof *y);
    cal->years[i] = *y;
    cal->nyears++;
    return SW_OK;
}

int sw_calendar_add_json(struct sw_calendar *cal, const char *text, size_t len,
                         struct sw_error *err)
{
    json_t *root;
    int rc = sw_json_parse_object(text, len, &root, err);
    if (rc)
        return rc;
    json_t *problems = json_array();
    struct sw_calendar_year y;
    if (sw_calendar_year_check(root, "", NULL, &y, problems) > 0) {
        const json_t *first = json_array_get(problems, 0);
        const char *path = json_string_value(json_object_get(first, "path"));
        const char *msg = json_string_value(json_object_get(first, "message"));
        rc = sw_fail(err, SW_E_INVALID_VALUE, *path ? path : NULL, "%s%s%s", path,
                     *path ? ": " : "", msg);
    } else if (find_year(cal, y.year)) {
        rc = sw_fail(err, SW_E_INVALID_VALUE, "year", "year %d already loaded", y.year);
    } else {
        rc = sw_calendar_put(cal, &y, err);
    }
    json_decref(problems);
    json_decref(root);
    return rc;
}

/* calendar_year_missing for `year`, with the years the calendar does hold. */
int sw_calendar_year_missing(const struct sw_calendar *cal, int year, struct sw_error *err)
{
    char held[SW_CALENDAR_MAX_YEARS * 6 + 16] = "no year";
    size_t n = 0;
    for (int i = 0; i < cal->nyears; i++)
        n += (size_t)snprintf(held + n, sizeof held - n, "%s%d", i ? ", " : "", cal->years[i].year);
    return sw_fail(err, SW_E_CALENDAR_YEAR_MISSING, NULL,
                   "the working-day calendar has no data for %d (it holds %s): add the year to "
                   "the policy's calendar.years once the State Council has published it",
                   year, held);
}

int sw_calendar_is_working_day(const struct sw_calendar *cal, int64_t day, bool *out,
                               struct sw_error *err)
{
    int y, m, d;
    sw_civil_from_days(day, &y, &m, &d);
    const struct sw_calendar_year *cy = find_year(cal, y);
    if (!cy)
        return sw_calendar_year_missing(cal, y, err);
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

/* The n-th working day from day in direction step (+1 / -1), not counting day itself. */
static int walk(const struct sw_calendar *cal, int64_t day, int n, int step, int64_t *out,
                struct sw_error *err)
{
    int64_t d = day;
    for (int left = n; left > 0;) {
        bool w = false;
        d += step;
        int rc = sw_calendar_is_working_day(cal, d, &w, err);
        if (rc)
            return rc;
        if (w)
            left--;
    }
    *out = d;
    return SW_OK;
}

int sw_calendar_add_working_days(const struct sw_calendar *cal, sw_instant t, int n,
                                 sw_instant *out, struct sw_error *err)
{
    if (n < 0 || n > 3660)
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "working days must be 0..3660");
    int64_t day = sw_shanghai_day(t);
    int64_t tod = t + SW_SHANGHAI_OFFSET_US - day * SW_US_PER_DAY;
    int64_t d;
    int rc = walk(cal, day, n, 1, &d, err);
    if (rc)
        return rc;
    *out = d * SW_US_PER_DAY + tod - SW_SHANGHAI_OFFSET_US;
    return SW_OK;
}

int sw_calendar_working_day_before(const struct sw_calendar *cal, int64_t day, int n, int64_t *out,
                                   struct sw_error *err)
{
    if (n < 1 || n > 3660)
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "working days before must be 1..3660");
    return walk(cal, day, n, -1, out, err);
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
