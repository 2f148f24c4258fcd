/* A list of kinds after a label (颜色分类：#01正红 / #02豆沙 / #03枫叶) states how many there are:
 * consistency.spec.listed {class, labels} makes the count an amount of the class (colors), which
 * the spec check compares with the titles' (6色可选) as it does a labelled amount. The list runs
 * from the label's colon to the end of its line or sentence (newline, 。；，｜ or a bracket),
 * its items parted by / 、 + or spaces; an item that is itself a count (三色, 共4色) is not one
 * of them, and a list whose items carry counts (四个哑光、三个珠光) or share one (黑白灰各1双)
 * is no plain list: none is read from it. Fewer than two items say nothing (颜色：黑色 may be
 * the one kind of this link or a name for several). An item ending in ×N stands for N pieces
 * (枕套×2), and one holding a word of the entry's `skip` for none (说明书, 保修卡). */
#include <ctype.h>
#include <string.h>

#include "scan/detect.h"
#include "scan/scan_int.h"
#include "scan/specs_int.h"

#define LIST_BYTES 400
#define LIST_ITEMS 64

static bool starts(const char *p, const char *end, const char *w)
{
    size_t n = strlen(w);
    return (size_t)(end - p) >= n && memcmp(p, w, n) == 0;
}

static int bar_at(const char *p, const char *end)
{
    return starts(p, end, "｜") ? 3 : starts(p, end, "|") ? 1 : 0;
}

/* A bar that starts another cell (颜色：燕麦色｜尺码：S/M/L, |净含量=3.5g): a colon or = before the
 * next bar or the line's end. Otherwise the bar parts items (坚果×4 ｜ 肉脯×2). */
static bool bar_ends(const char *p, const char *end)
{
    for (p += bar_at(p, end); p < end && *p != '\n' && !bar_at(p, end); p++)
        if (*p == ':' || *p == '=' || starts(p, end, "：") || starts(p, end, "＝"))
            return true;
    return false;
}

/* The length of an ending at p (0: none). */
static int ending(const char *p, const char *end)
{
    static const char *const ends[] = {"\n", "\r", "。", "；", ";", "，", ",", "（",
                                       "(",  "【", "[",  "：", ":", "】", "]", "）",
                                       ")",  "！", "!",  "？", "?", NULL};
    for (int i = 0; ends[i]; i++)
        if (starts(p, end, ends[i]))
            return (int)strlen(ends[i]);
    return bar_at(p, end) && bar_ends(p, end) ? bar_at(p, end) : 0;
}

static int parting(const char *p, const char *end)
{
    static const char *const parts[] = {"/", "／", "、", "+", "＋", " ", "　", "\t", NULL};
    for (int i = 0; parts[i]; i++)
        if (starts(p, end, parts[i]))
            return (int)strlen(parts[i]);
    return bar_at(p, end);
}

static bool numeral_at(const char *p, const char *end)
{
    return (*p >= '0' && *p <= '9') ||
           sw__cn_char((const unsigned char *)p, (size_t)(end - p), 0) >= 0;
}
/* A shade's code: '#' or letters and digits only, a digit among them (#03, 03, V03). */
static bool is_code(const char *s, const char *e)
{
    bool digit = false;
    for (const char *p = s; p < e; p++) {
        if (!(*p == '#' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
              (*p >= 'A' && *p <= 'Z')))
            return false;
        digit |= *p >= '0' && *p <= '9';
    }
    return digit;
}

enum item { ITEM_KIND, ITEM_COUNT, ITEM_SPOILS };

/* An item: a kind, a count of the list's own (三色, 共4色), or words that make the list no plain
 * one (个, 各, 款, 随机: 四个哑光, 黑白灰各1双). */
static enum item item_of(const char *s, const char *e)
{
    static const char *const spoil[] = {"个", "各", "随机", "等", NULL};
    for (const char *p = s; p < e; p++) {
        for (int i = 0; spoil[i]; i++)
            if (starts(p, e, spoil[i]))
                return ITEM_SPOILS;
        int nl = *p >= '0' && *p <= '9' ? 1 : 3;
        if (starts(p, e, "共") ||
            (numeral_at(p, e) && (starts(p + nl, e, "色") || starts(p + nl, e, "种"))))
            return ITEM_COUNT;
    }
    return ITEM_KIND;
}

/* How many pieces an item stands for: N after ×, *, x or X at its end (饭盒×1, 枕套×2), else 1. */
static int multiplicity(const char *s, const char *e)
{
    const char *p = e;
    while (p > s && p[-1] >= '0' && p[-1] <= '9' && e - p < 2)
        p--;
    if (p == e || p == s)
        return 1;
    const char *x = p - 1; /* the ×, * or x before the digits */
    if (x - s >= 1 && (unsigned char)*x >= 0x80)
        x = p - 2;
    if (x > s && x[-1] >= '0' && x[-1] <= '9')
        return 1; /* 48*74: a size, not a count */
    int v = 0;
    for (const char *q = p; q < e; q++)
        v = v * 10 + (*q - '0');
    if (p[-1] == '*' || p[-1] == 'x' || p[-1] == 'X')
        return v;
    if (p - s >= 2 && memcmp(p - 2, "×", 2) == 0)
        return v;
    if (p - s >= 3 && (memcmp(p - 3, "✕", 3) == 0 || memcmp(p - 3, "＊", 3) == 0))
        return v;
    return 1;
}

/* An item that is only a count (×1, x2, *3): the one before's, parted from it by a space. */
static bool count_only(const char *s, const char *e)
{
    size_t l = (size_t)(e - s);
    const char *d = l >= 2 && memcmp(s, "×", 2) == 0                  ? s + 2
                    : l >= 1 && (*s == 'x' || *s == 'X' || *s == '*') ? s + 1
                                                                      : NULL;
    if (!d || d == e)
        return false;
    for (; d < e; d++)
        if (*d < '0' || *d > '9')
            return false;
    return multiplicity(s, e) > 0;
}

static bool has_word(const char *s, const char *e, const struct sw_words *w)
{
    for (int i = 0; w && i < w->n; i++)
        if (memmem(s, (size_t)(e - s), w->w[i], w->len[i]))
            return true;
    return false;
}

static int space_at(const char *p, const char *end)
{
    return *p == ' ' || *p == '\t' ? 1 : starts(p, end, "　") ? 3 : 0;
}

/* A mark that parts items (/ 、 + or a bar that does not start a cell): its length, or 0. */
static int mark_at(const char *p, const char *end)
{
    int l = parting(p, end);
    return l && !space_at(p, end) ? l : 0;
}

/* How an item counts, read by its words (parted by spaces) when marks part the list: a kind if
 * any word is one (灰 三色 is 灰), no plain list if any word spoils it. */
static enum item words_of(const char *s, const char *e)
{
    enum item it = ITEM_COUNT;
    for (const char *p = s; p < e;) {
        int l = space_at(p, e);
        if (l) {
            p += l;
            continue;
        }
        const char *w = p;
        while (p < e && !space_at(p, e))
            p++;
        enum item x = item_of(w, p);
        if (x == ITEM_SPOILS)
            return x;
        if (x == ITEM_KIND)
            it = x;
    }
    return it;
}

/* The end of the last word of s..e (before trailing spaces) and the start of that word. */
static const char *last_word(const char *s, const char *e)
{
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    const char *w = e;
    while (w > s && w[-1] != ' ' && w[-1] != '\t' && !(w - s >= 3 && memcmp(w - 3, "　", 3) == 0))
        w--;
    return w;
}

/* The items of the list starting at orig offset at: how many pieces they stand for (an item of
 * `skip` none: 说明书 is no piece of a set), or -1 when it is no plain list or runs past
 * LIST_BYTES. When marks (/ 、 +) part it, spaces are inside items (黑色 加绒款/白色 加绒款 is
 * two); else spaces part it. A list ended by a colon ends with the next label: its last word
 * (颜色：黑色/白色 尺码：M) is no item. */
static int count_items(const struct field *d, uint32_t at, const struct sw_words *skip,
                       uint32_t *end_at)
{
    const char *p = d->orig + at, *end = d->orig + d->olen, *e = p;
    bool marks = false;
    while (e < end && !ending(e, end)) {
        if (e - p >= LIST_BYTES)
            return -1; /* cut: its count would be wrong */
        marks |= mark_at(e, end) > 0;
        e++;
    }
    bool labelled_next = e < end && (*e == ':' || starts(e, end, "："));
    if (labelled_next)
        e = last_word(p, e);
    int n = 0, items = 0;
    bool code = false; /* the last item was a shade's code (#03) */
    int last = 0;      /* what the item before counted */
    while (p < e) {
        int l = marks ? mark_at(p, e) : space_at(p, e) ? space_at(p, e) : mark_at(p, e);
        if (l || (marks && space_at(p, e))) {
            p += l ? l : space_at(p, e);
            continue;
        }
        const char *s = p;
        while (p < e && !mark_at(p, e) && (marks || !space_at(p, e)))
            p++;
        const char *t = p;
        while (t > s && (t[-1] == ' ' || t[-1] == '\t'))
            t--;
        if (!marks && count_only(s, t)) { /* 冰肌水160ml ×1: the item before's count */
            if (last)
                n += multiplicity(s, t) - last;
            continue;
        }
        enum item it = marks ? words_of(s, t) : item_of(s, t);
        if (it == ITEM_SPOILS || ++items > LIST_ITEMS)
            return -1;
        /* #03 蜜桃乌龙 is one shade: a name after its code and a space is the code's */
        bool is = is_code(s, t);
        last = it == ITEM_KIND && !(code && !marks && !is) && !has_word(s, t, skip)
                   ? multiplicity(s, t)
                   : 0;
        n += last;
        code = is;
    }
    *end_at = (uint32_t)(e - d->orig);
    return n;
}

/* Where the value after a table's cell label starts: past spaces and one bar or slash (｜ | /
 * ／ or a tab) at orig offset e; 0 when no bar is there (品牌授权, 品牌：X are not cells). */
uint32_t sw__after_space_in_row(const struct field *f, uint32_t e)
{
    const char *o = f->orig;
    uint32_t p = e;
    if (p >= f->olen || o[p] != ' ')
        return 0;
    while (p < f->olen && o[p] == ' ')
        p++;
    for (uint32_t q = p; q < f->olen && o[q] != '\n'; q++)
        if (o[q] == '|' || (q + 3 <= f->olen && memcmp(o + q, "｜", 3) == 0))
            return p;
    return 0;
}

uint32_t sw__after_bar(const struct field *f, uint32_t e)
{
    static const char *const bars[] = {"｜", "|", "/", "／", "\t", NULL};
    const char *o = f->orig;
    while (e < f->olen && o[e] == ' ')
        e++;
    for (int i = 0; bars[i]; i++) {
        size_t n = strlen(bars[i]);
        if (e + n <= f->olen && memcmp(o + e, bars[i], n) == 0)
            return e + (uint32_t)n;
    }
    return 0;
}

/* Where the value after a heading starts: a label in brackets (【包装清单】开衫×1 半裙×1), or one
 * that is its line's only word, marks before it (■ 包装清单, then the list on the next line); the
 * label spans orig s..e. 0 when the label is no heading. */
static uint32_t after_heading(const struct field *f, uint32_t s, uint32_t e)
{
    static const char *const closes[] = {"】", "]", "〕", NULL};
    const char *o = f->orig;
    uint32_t at = 0;
    for (int i = 0; closes[i] && !at; i++) {
        size_t n = strlen(closes[i]);
        if (e + n <= f->olen && memcmp(o + e, closes[i], n) == 0)
            at = e + (uint32_t)n;
    }
    if (!at) { /* a line of its own: only marks and spaces before it, its line's end after */
        uint32_t b = s;
        while (b > 0 && o[b - 1] != '\n')
            b--;
        for (; b < s; b++) /* ASCII letters or digits, or an ideograph, before it: running text */
            if (((unsigned char)o[b] < 0x80 && isalnum((unsigned char)o[b])) ||
                sw__han_at(o + b, s - b))
                return 0;
        at = e;
        while (at < f->olen && o[at] == ' ')
            at++;
        if (at >= f->olen || o[at] != '\n')
            return 0;
    }
    while (at < f->olen && (o[at] == ' ' || o[at] == '\n'))
        at++;
    return at < f->olen ? at : 0;
}

bool sw__may_list(const struct field *fs)
{
    const struct sw_scanner *sc = fs[0].sc;
    const struct field *t = &fs[SW_SF_TITLE], *d = &fs[SW_SF_DETAIL];
    if (!sc->nlisted || !d->nhits)
        return false;
    /* every list label is or holds a spec or attribute label (颜色, 口味, 清单, 色号, 套餐含):
     * a detail with neither lists nothing; a title naming no unit counts nothing */
    bool labelled = false;
    for (size_t i = 0; i < d->nhits && !labelled; i++) {
        int r = sw__role(d, &d->hits[i]);
        labelled = r == R_SPEC_LABEL || r == R_ATTR_LABEL;
    }
    uint32_t at;
    return labelled && sw__next_word(t, &sc->listed_units, 0, &at) != 0;
}

/* The list after one of labels in d, as an amount of class cls; false when there is none. */
static bool list_after(const struct field *d, const struct sw_listed *li, struct amount *a)
{
    const struct sw_words *labels = &li->labels;
    for (int i = 0; i < labels->n; i++) {
        const char *w = labels->w[i], *p = d->norm, *end = d->norm + d->n;
        size_t wl = labels->len[i];
        while ((p = memmem(p, (size_t)(end - p), w, wl)) != NULL) {
            uint32_t q = (uint32_t)(p - d->norm + (ptrdiff_t)wl);
            p += wl;
            uint32_t s, e, at, list_end = 0;
            sw__orig_span(d, (uint32_t)(q - wl), q, &s, &e);
            if (q < d->n && d->norm[q] == ':')
                sw__orig_span(d, (uint32_t)(q - wl), q + 1, &s, &at);
            else if (!(at = sw__after_bar(d, e)) &&
                     (sw__word_ahead(d, &d->sc->gifts.set_labels, (uint32_t)(q - wl)) ||
                      !(at = after_heading(d, s, e))))
                continue; /* 颜色分类：or 颜色｜, not 颜色 in running text; a set's list under
                           * a heading is the set check's (sets.c) */
            int n = count_items(d, at, &li->skip, &list_end);
            if (n < 2)
                continue;
            *a = (struct amount){.v = (int64_t)n * 1000,
                                 .cls = li->cls,
                                 .labelled = true,
                                 .s = s,
                                 .e = list_end,
                                 .f = d};
            return true;
        }
    }
    return false;
}

/* A titles' count right before the goods' name (十二色大地色眼影盘, 6色口红套装) counts what one
 * piece holds, a palette's pans, not the kinds to choose from (五色可选, 5色 T恤): for an entry
 * of `choices`, a list of kinds says nothing of it. */
static bool names_goods(const struct amount *a)
{
    static const char *const choice[] = {"可", "任", "选", "装", "套", NULL};
    const char *o = a->f->orig;
    uint32_t e = a->e;
    if (!sw__han_at(o + e, a->f->olen - e))
        return false;
    for (int i = 0; choice[i]; i++)
        if (memcmp(o + e, choice[i], 3) == 0)
            return false;
    return true;
}

int sw__listed_amounts(const struct field *d, const struct amounts *t, struct amount *out)
{
    const struct sw_scanner *sc = d->sc;
    int n = 0;
    for (int i = 0; i < sc->nlisted; i++) {
        bool wanted = false; /* the titles state an amount of the class (6色可选) */
        for (int k = 0; k < t->n && !wanted; k++)
            wanted = t->a[k].cls == sc->listed[i].cls && !t->a[k].per && !t->a[k].product &&
                     !(sc->listed[i].choices && names_goods(&t->a[k]));
        if (wanted && list_after(d, &sc->listed[i], &out[n]))
            n++;
    }
    return n;
}
