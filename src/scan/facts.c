/* consistency.facts (docs/scan.md "Facts stated twice"): a fact the listing states in its text
 * after a label of the policy, against the same fact stated elsewhere:
 * - a production date (生产日期：2025年06月18日) against the production_date field;
 * - a shelf life (保质期：18个月) against another shelf life in the titles or the detail, unless
 *   a qualifier stands before its label (开封后保质期7天 is another condition);
 * - a manufacturer (生产商：上海某食品有限公司) against the manufacturer field: neither contains
 *   the other, once both are normalised; a label of another party (委托生产商) is passed, and
 *   so is a value that points elsewhere (见罐身标签);
 * - a shade code (色号：#03) or a model (型号：iPhone 12 Pro) in the detail against the titles'
 *   (codes.c).
 * Dates and durations are read in the original text (the normaliser drops '.', '-' and '/').
 * A label after a word of consistency.previous (原保质期) states what the listing was. Absent
 * fields are unknown: nothing is compared with them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/compile_int.h"
#include "scan/detect.h"

enum {
    FACT_DATE,
    FACT_SHELF,
    FACT_MAKER,
    FACT_WARRANTY,
    FACT_DISPATCH,
    FACT_LEAST,  /* least_order.c */
    FACT_SEASON, /* 2025年新果: the goods are of that year's harvest */
    FACT_SHADE,  /* codes.c: labels without patterns */
    FACT_MODEL,
    FACTS,
    FACT_VERB = FACTS
};

/* ---- compiling ---- */

/* The keys of consistency.facts: one per kind, in the enum's order, then the note. The
 * detector's allowed keys (compile_detectors.c) are these. */
const char *const sw__fact_keys[FACTS + 2] = {
    "production_date", "shelf_life", "manufacturer", "warranty", "dispatch", "least_order",
    "season",          "shade",      "model",        "note",     NULL};

void sw__build_facts(struct builder *b, const json_t *o, const char *path)
{
    const char *const *keys = sw__fact_keys;
    static const char *const allowed[] = {"labels", "qualifiers", "not",        "pointers",
                                          "verbs",  "note",       "categories", NULL};
    char q[224], w[256];
    for (int k = 0; k < FACTS; k++) {
        const json_t *e = json_object_get(o, keys[k]);
        snprintf(q, sizeof q, "%s.%s", path, keys[k]);
        if (!e)
            continue;
        if (!json_is_object(e)) {
            problem(b, q, "must be an object with labels");
            continue;
        }
        sw_json_closed(b->problems, e, q, allowed);
        snprintf(w, sizeof w, "%s.labels", q);
        if (k == FACT_SHADE || k == FACT_MODEL) /* codes.c: where they apply */
            sw__catset_of(b, e, q, &b->sc->facts.code_cs[k - FACT_SHADE]);
        sw__add_words(b, w, json_object_get(e, "labels"), R_FACT_LABEL, k, true);
        snprintf(w, sizeof w, "%s.qualifiers", q);
        if (k == FACT_SHELF)
            sw__collect_words(b, w, json_object_get(e, "qualifiers"), &b->sc->facts.qualifiers);
        if (k == FACT_WARRANTY) /* 配件保修1年: a part's warranty, not the product's */
            sw__collect_words(b, w, json_object_get(e, "qualifiers"), &b->sc->facts.parts);
        if (k == FACT_DISPATCH) /* 节假日7天内发货: some orders' */
            sw__collect_words(b, w, json_object_get(e, "qualifiers"), &b->sc->facts.waits);
        if (k == FACT_LEAST) /* 混批30件起: some orders' */
            sw__collect_words(b, w, json_object_get(e, "qualifiers"),
                              &b->sc->facts.least_qualifiers);
        snprintf(w, sizeof w, "%s.not", q);
        if (k == FACT_MAKER)
            sw__collect_words(b, w, json_object_get(e, "not"), &b->sc->facts.not );
        if (k == FACT_SHELF) /* 未开封保质期: the goods' own condition, no other */
            sw__collect_words(b, w, json_object_get(e, "not"), &b->sc->facts.shelf_not);
        snprintf(w, sizeof w, "%s.verbs", q);
        if (k == FACT_DATE) /* 生产, 出厂: found in the scan's one pass, as the labels are */
            sw__add_words(b, w, json_object_get(e, "verbs"), R_FACT_LABEL, FACT_VERB, false);
        snprintf(w, sizeof w, "%s.pointers", q);
        if (k == FACT_MAKER)
            sw__collect_words(b, w, json_object_get(e, "pointers"), &b->sc->facts.pointers);
    }
}

void sw__free_facts(struct sw_facts *fa)
{
    sw__free_words(&fa->qualifiers);
    sw__free_words(&fa->not );
    sw__free_words(&fa->shelf_not);
    sw__free_words(&fa->least_qualifiers);
    sw__free_words(&fa->pointers);
    sw__free_words(&fa->parts);
    sw__free_words(&fa->waits);
    for (int i = 0; i < 2; i++)
        free(fa->code_cs[i].v);
}

/* ---- reading the original text ---- */

struct cursor {
    const char *p;
    size_t n, i;
};

static bool take(struct cursor *c, const char *s)
{
    size_t k = strlen(s);
    if (c->n - c->i < k || memcmp(c->p + c->i, s, k) != 0)
        return false;
    c->i += k;
    return true;
}

size_t sw__skip_joiners(const char *t, size_t n, size_t i)
{
    static const char *const j[] = {" ", ":", "：", "为", "是", "约", "\t", "】", "｜", "|", NULL};
    for (int x = 0; x < 4; x++) {
        bool any = false;
        for (int k = 0; j[k] && !any; k++) {
            size_t l = strlen(j[k]);
            if (l <= n - i && memcmp(t + i, j[k], l) == 0)
                i += l, any = true;
        }
        if (!any)
            break;
    }
    return i;
}

static void skip_joiners(struct cursor *c)
{
    c->i = sw__skip_joiners(c->p, c->n, c->i);
}

/* ASCII digits (at most `max`), their value; -1 when none. */
static int64_t digits(struct cursor *c, int max)
{
    int64_t v = 0;
    int k = 0;
    while (k < max && c->i < c->n && c->p[c->i] >= '0' && c->p[c->i] <= '9') {
        v = v * 10 + (c->p[c->i++] - '0');
        k++;
    }
    return k ? v : -1;
}

/* A year in characters, a digit each (二零二五, 二〇二五): its value, -1 when none. */
static int64_t cn_year(struct cursor *c)
{
    static const char *const d[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    int64_t v = 0;
    size_t i = c->i;
    for (int k = 0; k < 4; k++) {
        int x = -1;
        if (c->n - i >= 3 && memcmp(c->p + i, "〇", 3) == 0)
            x = 0;
        for (int j = 0; j < 10 && x < 0; j++)
            if (c->n - i >= 3 && memcmp(c->p + i, d[j], 3) == 0)
                x = j;
        if (x < 0)
            return -1;
        v = v * 10 + x;
        i += 3;
    }
    c->i = i;
    return v;
}

/* A month or a day in digits or in characters (十, 十二, 二十八): its value, -1 when none. */
static int64_t small_number(struct cursor *c)
{
    int64_t v = digits(c, 2);
    if (v >= 0)
        return v;
    size_t len = 0;
    v = sw__cn_numeral((const unsigned char *)c->p, c->n, c->i, &len);
    if (v <= 0 || v > 31)
        return -1;
    c->i += len;
    return v;
}

/* A date: YYYY年M月D日, YYYY.MM.DD, YYYY-MM-DD, YYYY/MM/DD, or a month (YYYY年M月, YYYY.MM), also
 * in characters (二零二五年九月): *day 0 when only the month is given. */
static bool read_date(struct cursor *c, int *y, int *m, int *d)
{
    int64_t yy = digits(c, 4);
    bool cn = yy < 0 && (yy = cn_year(c)) >= 0;
    if (yy < 1900 || yy > 2199)
        return false;
    if (!(take(c, "年") || (!cn && (take(c, ".") || take(c, "-") || take(c, "/")))))
        return false;
    int64_t mm = small_number(c);
    if (mm < 1 || mm > 12)
        return false;
    *y = (int)yy;
    *m = (int)mm;
    *d = 0;
    struct cursor keep = *c;
    bool month_word = take(c, "月");
    if (month_word || take(c, ".") || take(c, "-") || take(c, "/")) {
        int64_t dd = small_number(c);
        if (dd >= 1 && dd <= 31) {
            *d = (int)dd;
            (void)(take(c, "日") || take(c, "号"));
        } else if (!month_word) {
            *c = keep; /* "2025.06." is a month */
        }
    }
    return true;
}

/* A duration: a number (digits or Chinese numerals) and 天, 日, 周, 个月, 月 or 年, as the days it
 * may mean ([lo, hi]: a month is 28-31 days, a year 365-366). */
static bool read_duration(struct cursor *c, int64_t *lo, int64_t *hi)
{
    int64_t v = digits(c, 4);
    if (v < 0) {
        size_t len = 0;
        v = sw__cn_numeral((const unsigned char *)c->p, c->n, c->i, &len);
        if (v <= 0 || !len)
            return false;
        c->i += len;
    }
    if (v <= 0 || v > 9999)
        return false;
    if (take(c, "天") || take(c, "日")) {
        *lo = *hi = v;
    } else if (take(c, "周")) {
        *lo = *hi = 7 * v;
    } else if (take(c, "个月") || take(c, "月")) {
        *lo = 28 * v;
        *hi = 31 * v;
    } else if (take(c, "年")) {
        *lo = 365 * v;
        *hi = 366 * v;
    } else {
        return false;
    }
    return true;
}

/* The value after a label up to a delimiter (a name), at most 160 bytes: its length. */
static size_t name_len(const struct cursor *c)
{
    static const char *const stop[] = {"；", ";", "，", ",",  "。", "\n",
                                       "、", " ", "|",  "｜", NULL};
    size_t i = c->i;
    while (i < c->n && i - c->i < 160) {
        for (int k = 0; stop[k]; k++) {
            size_t len = strlen(stop[k]);
            if (len <= c->n - i && memcmp(c->p + i, stop[k], len) == 0)
                return i - c->i;
        }
        i++;
    }
    return i - c->i;
}

/* ---- the checks ---- */

struct shelf {
    int fi;
    uint32_t s, e; /* original bytes */
    int64_t lo, hi;
};

/* A date the listing states (y, m, d; d 0 for a month) against production_date. */
static void compare_date(const struct field *f, int fi, uint32_t s, uint32_t e, int y, int m, int d,
                         const struct sw_listing *l, struct out *o)
{
    int fy, fm, fd;
    struct cursor field = {l->production_date, strlen(l->production_date), 0};
    if (!read_date(&field, &fy, &fm, &fd) || !fd)
        return;
    if (y == fy && m == fm && (d == 0 || d == fd))
        return;
    char said[16];
    if (d)
        snprintf(said, sizeof said, "%04d-%02d-%02d", y, m, d);
    else
        snprintf(said, sizeof said, "%04d-%02d", y, m);
    struct finding *x = sw__add(o, &f->sc->facts.r, fi, s, e);
    sw__evidence(o, x, "states the production date %s; the listing's is %s", said,
                 l->production_date);
}

static void date_fact(const struct field *f, int fi, struct cursor *c, uint32_t s,
                      const struct sw_listing *l, struct out *o)
{
    int y, m, d;
    if (!l->production_date)
        return;
    struct cursor at = *c;
    if (!read_date(c, &y, &m, &d)) {
        /* 生产日期见罐底：2025年3月: where it is printed, then the date after a colon */
        size_t stop = at.i + 18 < at.n ? at.i + 18 : at.n, i = at.i;
        while (i < stop && at.p[i] != ':' && !(at.n - i >= 3 && memcmp(at.p + i, "：", 3) == 0))
            i++;
        if (i >= stop)
            return;
        c->i = i;
        skip_joiners(c);
        if (!read_date(c, &y, &m, &d))
            return;
    }
    compare_date(f, fi, s, (uint32_t)c->i, y, m, d, l, o);
}

/* 2025年4月生产, 二零二五年八月出厂的, 2024/11/5 出厂: a date that ends right before a verb of
 * production_date.verbs (original bytes [at, vend); a space, 刚 or 新 between) is the
 * production date. */
static void date_before_verb(const struct field *f, int fi, size_t at, uint32_t vend,
                             const struct sw_listing *l, struct out *o)
{
    size_t stop = at;
    while (stop > 0 && f->orig[stop - 1] == ' ')
        stop--;
    if (stop >= 6 && memcmp(f->orig + stop - 6, "新鲜", 6) == 0)
        stop -= 6; /* 2025年5月新鲜生产 */
    else if (stop >= 3 &&
             (memcmp(f->orig + stop - 3, "刚", 3) == 0 || memcmp(f->orig + stop - 3, "新", 3) == 0))
        stop -= 3;
    const char *e = f->orig + stop;
    bool dateish = stop >= 1 && e[-1] >= '0' && e[-1] <= '9';
    if (!dateish && stop >= 3) /* a date ends with a digit, 月, 日, 号 or a numeral */
        dateish = memcmp(e - 3, "月", 3) == 0 || memcmp(e - 3, "日", 3) == 0 ||
                  memcmp(e - 3, "号", 3) == 0 ||
                  sw__cn_char((const unsigned char *)f->orig, stop, stop - 3) >= 0;
    for (size_t from = stop > 40 ? stop - 40 : 0; dateish && from + 6 <= stop; from++) {
        struct cursor c = {f->orig, stop, from};
        int y, m, d;
        if ((from > 0 && f->orig[from - 1] >= '0' && f->orig[from - 1] <= '9') ||
            !read_date(&c, &y, &m, &d) || (c.i != stop && !(take(&c, "月") && c.i == stop)))
            continue;
        compare_date(f, fi, (uint32_t)from, vend, y, m, d, l, o);
        return;
    }
}

static void maker_fact(const struct field *f, int fi, struct cursor *c, uint32_t s,
                       const struct sw_listing *l, struct out *o)
{
    (void)take(c, "名称");
    if (!l->manufacturer)
        return;
    uint32_t v = 0;
    bool cell =
        s >= 3 && memcmp(f->orig + s - 3, "【", 3) == 0 && take(c, "】"); /* 【生产企业】X */
    if (!cell && !(take(c, ":") || take(c, "：")) && !take(c, "｜") && !take(c, "|") &&
        !(v = sw__after_space_in_row(f, (uint32_t)c->i)))
        return; /* a colon, or a table's cell (生产商｜X, 生产商 X有限公司｜产地 Y) */
    if (v)
        c->i = v;
    skip_joiners(c);
    size_t n = name_len(c);
    if (n < 6) /* two characters at least: a name, not a mark */
        return;
    const struct sw_words *pw = &f->sc->facts.pointers;
    for (int k = 0; k < pw->n; k++) /* 见罐身标签: the name is elsewhere */
        if (pw->len[k] <= n && memcmp(c->p + c->i, pw->w[k], pw->len[k]) == 0)
            return;
    char raw[SW_VALUE_MAX + 1], said[SW_NORM_CAP(SW_VALUE_MAX) + 1];
    char field[SW_NORM_CAP(SW_VALUE_MAX) + 1];
    memcpy(raw, c->p + c->i, n);
    raw[n] = '\0';
    if (!sw__normalize_value(raw, said) || !sw__normalize_value(l->manufacturer, field) ||
        !said[0] || !field[0] || strstr(said, field) || strstr(field, said))
        return;
    struct finding *x = sw__add(o, &f->sc->facts.r, fi, s, (uint32_t)(c->i + n));
    sw__evidence(o, x, "names the manufacturer %s; the listing's is %s", raw, l->manufacturer);
}

/* A duration read at c into v (1), or nothing (0). */
static int read_duration_at(struct cursor *c, int fi, uint32_t s, struct shelf *v)
{
    if (!read_duration(c, &v->lo, &v->hi))
        return 0;
    v->fi = fi;
    v->s = s;
    v->e = (uint32_t)c->i;
    return 1;
}

/* A duration right before a label (3年质保, 两年保修, 24个月保质期, a space between allowed):
 * read into v (1), or nothing (0). Looked for before the one after the label: in 一年保修 7天无理由
 * the 7天 after 保修 is the return's. */
static int duration_before(const struct field *f, int fi, uint32_t s, struct shelf *v)
{
    const char *o = f->orig;
    uint32_t end = s > 0 && o[s - 1] == ' ' ? s - 1 : s, b = end;
    if (b >= 6 && memcmp(o + b - 6, "个月", 6) == 0)
        b -= 6;
    else if (b >= 3 && memcmp(o + b - 3, "年", 3) == 0)
        b -= 3;
    else
        return 0;
    uint32_t unit = b;
    for (int k = 0; k < 4 && b > 0; k++) {
        if (o[b - 1] >= '0' && o[b - 1] <= '9') {
            b--;
            continue;
        }
        if (b < 3 || sw__cn_char((const unsigned char *)o, b, b - 3) < 0)
            break; /* 两, 十二 in characters (read_duration reads them after) */
        b -= 3;
    }
    if (b == unit || unit - b >= 4)
        return 0; /* no number, or a year (上市时间：2024年 保修期) */
    /* the end of a range or a value of another label (0-6个月 保质期, 年龄：3年 保修) */
    static const char *const before[] = {"-", "~", "～", "至", "到", ":", "：", "—", NULL};
    for (int i = 0; before[i]; i++) {
        size_t l = strlen(before[i]);
        if (b >= l && memcmp(o + b - l, before[i], l) == 0)
            return 0;
    }
    struct cursor c = {o, f->olen, b};
    if (!read_duration_at(&c, fi, b, v) || c.i != end)
        return 0;
    return 1;
}

/* Two durations of one kind (shelf lives, warranties) that cannot be the same: a finding on
 * the later one. */
static void shelf_facts(const struct shelf *v, int n, const char *what, const struct sw_rule *r,
                        struct out *o)
{
    for (int j = 1; j < n; j++)
        for (int i = 0; i < j; i++) {
            if (v[i].hi >= v[j].lo && v[j].hi >= v[i].lo)
                continue;
            struct finding *x = sw__add(o, r, v[j].fi, v[j].s, v[j].e);
            sw__evidence(o, x, "states a %s of %lld-%lld days; %s states %lld-%lld", what,
                         (long long)v[j].lo, (long long)v[j].hi, sw_scan_field_names[v[i].fi],
                         (long long)v[i].lo, (long long)v[i].hi);
            return;
        }
}

/* The number that ends right before orig offset end (digits, or a numeral in characters): its
 * value and start, or -1. */
static int64_t number_before(const char *o, uint32_t end, uint32_t *start)
{
    uint32_t b = end;
    while (b > 0 && end - b < 4 && o[b - 1] >= '0' && o[b - 1] <= '9')
        b--;
    if (b < end) {
        if (b > 0 && o[b - 1] >= '0' && o[b - 1] <= '9')
            return -1; /* more digits than a dispatch time has */
        *start = b;
        return strtoll(o + b, NULL, 10);
    }
    while (b >= 3 && end - b < 9 && sw__cn_char((const unsigned char *)o, b, b - 3) >= 0)
        b -= 3;
    size_t len = 0;
    int64_t v = b < end ? sw__cn_numeral((const unsigned char *)o, end, b, &len) : -1;
    if (v <= 0 || b + len != end)
        return -1;
    *start = b;
    return v;
}

/* A year of harvest right before a label of the new season's goods (2025年新果, 2025新货) against
 * an earlier production_date: last season's goods sold as this year's. */
static void season_fact(const struct field *f, int fi, uint32_t s, uint32_t e,
                        const struct sw_listing *l, struct out *o)
{
    int fy, fm, fd;
    struct cursor field = {l->production_date, strlen(l->production_date), 0};
    if (!read_date(&field, &fy, &fm, &fd))
        return;
    uint32_t b = s, start = 0;
    if (b >= 3 && memcmp(f->orig + b - 3, "年", 3) == 0)
        b -= 3;
    int64_t y = number_before(f->orig, b, &start);
    if (y < 2000 || y > 2100 || b - start != 4 || fy >= y)
        return; /* four digits: a year */
    struct finding *x = sw__add(o, &f->sc->facts.r, fi, start, e);
    sw__evidence(o, x, "states goods of %lld's season; the production date is %s", (long long)y,
                 l->production_date);
}

/* A longer "time" is no dispatch time (365天发货: every day of the year). */
#define DISPATCH_MAX_HOURS ((int64_t)60 * 24)

/* A dispatch time right before a label (48小时内发货, 5-7天发货, 15个工作日内寄出, 当日发货,
 * 次日发出): [lo, hi] in hours into v (1), or nothing (0); not a date (12月15日发货). */
/* Bytes before a dispatch label in which its time must have a digit, 日 or 天 (the end of
 * every unit and day word): most labels (顺丰发货, 现货发货) have none, and are passed at once. */
#define DISPATCH_REACH 21

static int dispatch_before(const struct field *f, int fi, uint32_t s, struct shelf *v)
{
    const char *o = f->orig;
    uint32_t b = s;
    bool timed = false;
    for (uint32_t q = s > DISPATCH_REACH ? s - DISPATCH_REACH : 0; q < s && !timed; q++)
        timed = (o[q] >= '0' && o[q] <= '9') || o[q] == 'h' || o[q] == 'H' ||
                (q + 3 <= s && (memcmp(o + q, "日", 3) == 0 || memcmp(o + q, "天", 3) == 0));
    if (!timed)
        return 0;
    static const char *const between[2][14] = {{"安排", "陆续", "统一", "开始", "才能", "才", "能",
                                                "，之后", ",之后", "之后", "以后", "后", "左右",
                                                NULL},
                                               {"以内", "之内", "内", NULL}};
    /* 7天内陆续发货, 48小时内安排发货, 5到7天才能发出来, 20天左右发出, 需要5-7天，之后发出 */
    for (int k = 0; k < 2; k++)
        for (int i = 0; between[k][i]; i++) {
            size_t l = strlen(between[k][i]);
            if (b >= l && memcmp(o + b - l, between[k][i], l) == 0) {
                b -= (uint32_t)l;
                break;
            }
        }
    static const struct {
        const char *w;
        int64_t lo, hi;
    } days[] = {{"当日", 0, 24},  {"当天", 0, 24},  {"今日", 0, 24},
                {"今天", 0, 24},  {"次日", 24, 48}, {"隔日", 24, 48},
                {"隔天", 24, 48}, {"明日", 24, 48}, {"明天", 24, 48}};
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++)
        if (b >= 6 && memcmp(o + b - 6, days[i].w, 6) == 0) {
            *v = (struct shelf){fi, b - 6, s, days[i].lo, days[i].hi};
            return 1;
        }
    static const struct {
        const char *w;
        int64_t hours;
    } units[] = {{"个工作日", 24}, {"工作日", 24}, {"小时", 1}, {"天", 24},
                 {"日", 24},       {"h", 1},       {"H", 1}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t l = strlen(units[i].w);
        if (b < l || memcmp(o + b - l, units[i].w, l) != 0)
            continue;
        uint32_t start, lo_start;
        int64_t hi = number_before(o, b - (uint32_t)l, &start), lo = hi;
        if (hi <= 0 || hi * units[i].hours > DISPATCH_MAX_HOURS)
            return 0; /* 365天发货: every day of the year, not a time */
        if (units[i].hours == 24 && start >= 3 && memcmp(o + start - 3, "月", 3) == 0)
            return 0; /* 12月15日发货: a date */
        static const char *const dash[] = {"-", "~", "～", "至", "到", NULL};
        for (int k = 0; dash[k]; k++) { /* 5-7天 */
            size_t dl = strlen(dash[k]);
            int64_t x;
            if (start >= dl && memcmp(o + start - dl, dash[k], dl) == 0 &&
                (x = number_before(o, start - (uint32_t)dl, &lo_start)) > 0 && x <= hi) {
                lo = x;
                start = lo_start;
                break;
            }
        }
        *v = (struct shelf){fi, start, s, lo * units[i].hours, hi * units[i].hours};
        return 1;
    }
    return 0;
}

/* The titles' dispatch times against the detail's: a finding on a detail's time more than
 * twice as long as the titles' longest (现货48小时发货 against 预售款15天内发货 alone), unless
 * another time of the detail agrees with the titles (现货款48小时发货，预售款15天内发货). A
 * shorter time is within the titles' (72小时内发货 and 当日发货). */
static void dispatch_facts(const struct shelf *v, int n, const struct sw_rule *r, struct out *o)
{
    int64_t t = -1;
    for (int i = 0; i < n; i++)
        if (v[i].fi != SW_SF_DETAIL && v[i].hi > t)
            t = v[i].hi;
    if (t < 0)
        return;
    const struct shelf *other = NULL;
    for (int i = 0; i < n; i++) {
        if (v[i].fi != SW_SF_DETAIL)
            continue;
        if (v[i].hi <= 2 * t)
            return; /* the detail states a time within the titles' too */
        if (!other)
            other = &v[i];
    }
    if (!other)
        return;
    struct finding *x = sw__add(o, r, SW_SF_DETAIL, other->s, other->e);
    sw__evidence(o, x, "states dispatch within %lld hours; the titles state %lld",
                 (long long)other->hi, (long long)t);
}

/* A shelf life's label at norm offset from (original s) qualified by a word before it (开封后
 * 保质期7天: another condition), unless a word of `not` ends there first (未开封保质期, 常温保质期:
 * the goods' own condition). In a title only right before it: 幼儿配方 保质期36个月 is the
 * goods' name, then its shelf life. */
static bool shelf_qualified(const struct field *f, int fi, uint32_t from, uint32_t s)
{
    const struct sw_words *q = &f->sc->facts.qualifiers, *not = &f->sc->facts.shelf_not;
    if (fi == SW_SF_DETAIL)
        return sw__word_behind_unless(f, q, not, from, 6);
    return !(s > 0 && f->orig[s - 1] == ' ') && sw__word_behind_unless(f, q, not, from, 2);
}

/* A label of a fact (not a verb) starts at norm offset from: 生产日期 holds the verb 生产. */
static bool label_starts_at(const struct field *f, uint32_t from)
{
    for (size_t k = 0; k < f->nhits; k++)
        if (f->hits[k].from == from && sw__role(f, &f->hits[k]) == R_FACT_LABEL &&
            sw__owner(f, &f->hits[k]) != FACT_VERB)
            return true;
    return false;
}

void sw__facts(const struct field *fs, const struct sw_listing *l, struct out *o)
{
    const struct sw_facts *fa = &fs[0].sc->facts;
    struct shelf shelves[8], warranties[8], dispatches[8];
    struct sw_least leasts[8];
    int nshelves = 0, nwarranties = 0, ndispatches = 0, ncodes = 0, nleasts = 0;
    struct sw_code_label codes[16];
    for (int fi = 0; fi < SW_SF__COUNT; fi++) {
        const struct field *f = &fs[fi];
        for (size_t k = 0; k < f->nhits; k++) {
            const struct hit *h = &f->hits[k];
            if (sw__role(f, h) != R_FACT_LABEL)
                continue;
            int what = sw__owner(f, h);
            if (what == FACT_SHADE || what == FACT_MODEL) { /* codes.c, the detail's */
                if (fi == SW_SF_DETAIL && ncodes < 16)
                    codes[ncodes++] = (struct sw_code_label){what - FACT_SHADE, h->from, h->to};
                continue;
            }
            if (sw__previous(f, h->from))
                continue;
            uint32_t s, e;
            sw__orig_span(f, h->from, h->to, &s, &e);
            if (what == FACT_VERB) { /* not the 生产 of a label 生产日期 */
                if (l->production_date && !label_starts_at(f, h->from))
                    date_before_verb(f, fi, s, e, l, o);
                continue;
            }
            if (what == FACT_DISPATCH) {
                if (ndispatches < 8 && (fi != SW_SF_DETAIL || /* a title's 双11 is its tag */
                                        !sw__word_behind_in_clause(f, &fa->waits, h->from, 12)))
                    ndispatches += dispatch_before(f, fi, s, &dispatches[ndispatches]);
                continue;
            }
            if (what == FACT_SEASON) {
                if (l->production_date)
                    season_fact(f, fi, s, e, l, o);
                continue;
            }
            if (what == FACT_LEAST) {
                if (nleasts < 8)
                    nleasts += sw__least_order_at(f, fi, h, s, e, &leasts[nleasts]);
                continue;
            }
            struct cursor c = {f->orig, f->olen, e}; /* right after the label */
            if (what == FACT_MAKER && fi == SW_SF_DETAIL &&
                !sw__word_behind(f, &fa->not, h->from, 3)) {
                maker_fact(f, fi, &c, s, l, o); /* a colon or a cell's bar is required */
                continue;
            }
            skip_joiners(&c);
            if (what == FACT_DATE) {
                date_fact(f, fi, &c, s, l, o);
            } else if (what == FACT_SHELF && nshelves < 8 && !shelf_qualified(f, fi, h->from, s)) {
                struct shelf *v = &shelves[nshelves];
                nshelves += duration_before(f, fi, s, v) || read_duration_at(&c, fi, s, v);
            } else if (what == FACT_WARRANTY && nwarranties < 8 &&
                       !sw__word_behind(f, &fa->parts, h->from, 6)) {
                (void)take(&c, "整机"); /* 【保修】整机一年: the whole product's */
                skip_joiners(&c);
                struct shelf *v = &warranties[nwarranties];
                nwarranties += duration_before(f, fi, s, v) || read_duration_at(&c, fi, s, v);
            }
        }
    }
    shelf_facts(shelves, nshelves, "shelf life", &fa->r, o);
    shelf_facts(warranties, nwarranties, "warranty", &fa->r, o);
    dispatch_facts(dispatches, ndispatches, &fa->r, o);
    sw__least_orders(leasts, nleasts, &fa->r, o);
    if (ncodes)
        sw__codes(fs, l, codes, ncodes, o);
}
