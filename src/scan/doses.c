/* A dose's days (consistency.spec, among `doses.categories`): the pieces the listing holds
 * (60片, 30条/盒), the pieces taken a day (每日3片; 每日3次，每次1片; 早晚各一条) and the days
 * the text says one container lasts (一瓶吃2个月, 一盒吃一个月, 一瓶约30天, 可吃30天, 30天量).
 * When all three are stated and the pieces divided by the day's dose differ from the days by
 * more than a quarter, the text contradicts itself: 60片 at 3 a day last 20 days, not 2个月.
 *
 * Read in the original text of the titles and the detail, and only when the title states a
 * count in digits and the days (the check's cost: most titles that sell pieces say neither,
 * and those that claim days say so there): the count is the titles' one count
 * of a dose's unit (片, 粒, 条, 袋, 包, 颗, 支, 丸, 瓶: not after 每, 日 or 次), or else the
 * detail's; the day's dose and the days are the first the texts state, the titles first.
 * Numbers may be digits or numerals (一, 两, 三). A text that states two counts, two doses or
 * two durations that differ says nothing (a list of variants). */
#include <stdio.h>
#include <string.h>

#include "scan/detect.h"

static const char *const dose_units[] = {"片", "粒", "条", "袋", "包", "颗", "支", "丸", NULL};

/* Whether a numeral that counts small things starts at t[i] (一, 两, 三 ... 十, 半 not). */
static bool numeral_at(const char *t, size_t n, size_t i)
{
    static const char *const first[] = {"一", "二", "两", "三", "四", "五",
                                        "六", "七", "八", "九", "十", NULL};
    if (i + 3 > n || (unsigned char)t[i] < 0xE4 || (unsigned char)t[i] > 0xE5)
        return false;
    for (int k = 0; first[k]; k++)
        if (memcmp(t + i, first[k], 3) == 0)
            return true;
    return false;
}

/* A number at t[i]: digits (up to four) or a numeral in characters; its value, its end. */
static int64_t number_at(const char *t, size_t n, size_t i, size_t *end)
{
    int64_t v = 0;
    size_t k = i;
    while (k < n && k - i < 4 && t[k] >= '0' && t[k] <= '9')
        v = v * 10 + (t[k++] - '0');
    if (k > i) {
        if (k < n && (t[k] == '.' || (t[k] >= '0' && t[k] <= '9')))
            return -1;
        *end = k;
        return v;
    }
    if (!numeral_at(t, n, i))
        return -1;
    size_t len = 0;
    v = sw__cn_numeral((const unsigned char *)t, n, i, &len);
    if (v <= 0 || !len)
        return -1;
    *end = i + len;
    return v;
}

static bool word_at(const char *t, size_t n, size_t i, const char *w)
{
    size_t l = strlen(w);
    return i + l <= n && memcmp(t + i, w, l) == 0;
}

/* A dose's unit at t[i]: its index, or -1. */
static int unit_at(const char *t, size_t n, size_t i)
{
    for (int u = 0; dose_units[u]; u++)
        if (word_at(t, n, i, dose_units[u]))
            return u;
    return -1;
}

struct stated {
    int64_t v;
    int unit; /* the count's and the dose's unit; -1 for days */
    bool set, several;
    int fi; /* where it was first stated: SW_SF_*, its original bytes */
    uint32_t s, e;
};

static void state(struct stated *s, int64_t v, int unit, int fi, size_t at, size_t end)
{
    if (s->set && (s->v != v || s->unit != unit))
        s->several = true;
    if (!s->set)
        *s = (struct stated){
            .v = v, .unit = unit, .set = true, .fi = fi, .s = (uint32_t)at, .e = (uint32_t)end};
}

/* Whether a day's word ends right before t[i] (每日, 每天, 一日, 一天, 日服, 早晚各). */
static int day_words(const char *t, size_t i, int *per_day)
{
    static const struct {
        const char *w;
        int times;
    } words[] = {{"每日", 1}, {"每天", 1},   {"一日", 1},     {"一天", 1},
                 {"日服", 1}, {"早晚各", 2}, {"早中晚各", 3}, {NULL, 0}};
    for (int k = 0; words[k].w; k++) {
        size_t l = strlen(words[k].w);
        if (i >= l && memcmp(t + i - l, words[k].w, l) == 0) {
            *per_day = words[k].times;
            return (int)l;
        }
    }
    return 0;
}

/* Days after t[i] (2个月, 一个月, 30天, 一周, 半个月): their number, or -1. */
static int64_t days_at(const char *t, size_t n, size_t i, size_t *end)
{
    if (word_at(t, n, i, "半个月")) {
        *end = i + strlen("半个月");
        return 15;
    }
    size_t e;
    int64_t v = number_at(t, n, i, &e);
    if (v <= 0 || v > 400)
        return -1;
    static const struct {
        const char *w;
        int days;
    } units[] = {{"个月", 30}, {"天", 1}, {"日", 1}, {"周", 7}, {"星期", 7}, {NULL, 0}};
    for (int k = 0; units[k].w; k++)
        if (word_at(t, n, e, units[k].w)) {
            *end = e + strlen(units[k].w);
            return v * units[k].days;
        }
    return -1;
}

/* The days one container lasts, said at t[i]: 一瓶吃2个月, 一盒吃一个月, 一瓶约30天, 可吃30天,
 * 够吃30天; or N天量 (read where the days start). */
static int64_t lasts_at(const char *t, size_t n, size_t i, size_t *end)
{
    static const char *const leads[] = {"可吃", "能吃", "够吃", "可用", "可以吃", "能用", NULL};
    static const char *const containers[] = {"瓶", "盒", "罐", "袋", "包", "桶", NULL};
    size_t p = i;
    bool lead = false;
    if (word_at(t, n, p, "一")) {
        for (int k = 0; containers[k] && !lead; k++)
            if (word_at(t, n, p + 3, containers[k])) {
                p += 6;
                lead = true;
            }
        for (int k = 0; lead && k < 3; k++) /* 一瓶可以吃约 */
            if (word_at(t, n, p, "可以"))
                p += 6;
            else if (word_at(t, n, p, "可") || word_at(t, n, p, "能") || word_at(t, n, p, "够") ||
                     word_at(t, n, p, "吃") || word_at(t, n, p, "用") || word_at(t, n, p, "约"))
                p += 3;
    } else {
        for (int k = 0; leads[k] && !lead; k++)
            if (word_at(t, n, p, leads[k])) {
                p += strlen(leads[k]);
                lead = true;
                if (word_at(t, n, p, "约"))
                    p += 3;
            }
    }
    if (lead)
        return days_at(t, n, p, end);
    int64_t d = days_at(t, n, i, end); /* 30天量 */
    return d > 0 && word_at(t, n, *end, "量") && (i < 3 || !word_at(t, n, i - 3, "每")) ? d : -1;
}

/* A count's multiplier after its unit ending at t[i] (60粒×2, 60粒*2瓶): its value, or 1. */
static int64_t times_after(const char *t, size_t n, size_t i)
{
    while (i < n && t[i] == ' ')
        i++;
    if (i < n && (t[i] == '*' || t[i] == 'x' || t[i] == 'X'))
        i++;
    else if (word_at(t, n, i, "×") || word_at(t, n, i, "＊"))
        i += word_at(t, n, i, "×") ? strlen("×") : 3;
    else
        return 1;
    while (i < n && t[i] == ' ')
        i++;
    size_t e;
    int64_t k = number_at(t, n, i, &e);
    return k >= 2 && k <= 100 ? k : 1;
}

static void read_text(const char *t, size_t n, int fi, struct stated *count, struct stated *dose,
                      struct stated *days)
{
    bool title = fi == SW_SF_TITLE;
    int times = 0; /* 每日3次: the doses of a day, for 每次1片 after it */
    for (size_t i = 0; i < n; i++) {
        if (((unsigned char)t[i] & 0xC0) == 0x80)
            continue;
        size_t e;
        bool digit = t[i] >= '0' && t[i] <= '9';
        unsigned char c = (unsigned char)t[i];
        if (!digit && c != 0xE4 && c != 0xE5 && c != 0xE8)
            continue; /* 一二两三五七九: E4; 四六八十半可够: E5; 能: E8 */
        if (!digit && !numeral_at(t, n, i) && !word_at(t, n, i, "半") && !word_at(t, n, i, "可") &&
            !word_at(t, n, i, "能") && !word_at(t, n, i, "够"))
            continue; /* neither a number nor a duration's lead starts here */
        int64_t d = lasts_at(t, n, i, &e);
        if (d > 0)
            state(days, d, -1, fi, i, e);
        int64_t v = number_at(t, n, i, &e);
        if (v <= 0)
            continue;
        int u = unit_at(t, n, e), per_day = 0;
        if (word_at(t, n, e, "次") && day_words(t, i, &per_day))
            times = (int)v; /* 每日3次 */
        if (u < 0) {
            i = e - 1;
            continue;
        }
        if (day_words(t, i, &per_day)) {
            state(dose, v * per_day, u, fi, i, e); /* 每日3片, 早晚各一条 */
        } else if (i >= 6 && (word_at(t, n, i - 6, "每次") || word_at(t, n, i - 6, "一次")) &&
                   times) {
            state(dose, v * times, u, fi, i, e); /* 每日3次，每次1片 */
        } else if (!(i >= 3 && (word_at(t, n, i - 3, "每") || word_at(t, n, i - 3, "次") ||
                                word_at(t, n, i - 3, "日"))) &&
                   (title || !count->set)) {
            state(count, v * times_after(t, n, e + 3), u, fi, i, e); /* 60片, 30条/盒, 60粒×2 */
        }
        i = e - 1;
    }
}

/* Whether the title names a duration's unit (天, 月, 周, 星期): one pass, no more. */
static bool title_says_days(const char *t, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c != 0xE5 && c != 0xE6)
            continue;
        if (word_at(t, n, i, "天") || word_at(t, n, i, "月") || word_at(t, n, i, "周") ||
            word_at(t, n, i, "星期"))
            return true;
    }
    return false;
}

/* Whether the title states a count of a dose's unit in digits (60片, 30条/盒). */
static bool title_counts(const char *t, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (t[i - 1] >= '0' && t[i - 1] <= '9' && (unsigned char)t[i] >= 0xE4 &&
            unit_at(t, n, i) >= 0)
            return true;
    return false;
}

void sw__doses(const struct field *fs, const char *category, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    if (!sc->doses_on || (!sc->doses_cs.all && !sw__catset_match(&sc->doses_cs, category)))
        return;
    const struct field *tf = &fs[SW_SF_TITLE], *d = &fs[SW_SF_DETAIL];
    if (!title_says_days(tf->orig, tf->olen) || !title_counts(tf->orig, tf->olen))
        return; /* the pieces are in the title, most often: the detail is read only then */
    struct stated count = {0}, dose = {0}, days = {0}, dcount = {0};
    read_text(tf->orig, tf->olen, SW_SF_TITLE, &count, &dose, &days);
    if (!days.set)
        return; /* the days are in the title too, most often (一瓶吃2个月) */
    read_text(d->orig, d->olen, SW_SF_DETAIL, &dcount, &dose, &days);
    if (!count.set || count.several)
        count = dcount;
    if (!count.set || count.several || !dose.set || dose.several || !days.set || days.several ||
        dose.unit != count.unit || dose.v <= 0)
        return;
    int64_t lasts = count.v / dose.v; /* whole days */
    if (lasts * 4 >= days.v * 3 && lasts * 4 <= days.v * 5)
        return; /* within a quarter: 90片 at 3 a day and 一个月 */
    struct finding *x = sw__add(o, &sc->spec, days.fi, days.s, days.e);
    sw__evidence(o, x, "%lld%s at %lld%s a day last %lld days; the text says %lld days",
                 (long long)count.v, dose_units[count.unit], (long long)dose.v,
                 dose_units[count.unit], (long long)lasts, (long long)days.v);
}
