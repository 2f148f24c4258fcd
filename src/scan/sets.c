/* A set's count (consistency.gifts `set_labels`): a title that sells an N-piece set (三件套,
 * 4件套) against the detail's list of its contents (套装内容：炒锅、汤锅、锅铲) that counts
 * another number of pieces. An item counts once, or as many as its count says: a count and a
 * measure word before it (3个盒) or after it (饭碗4只), or ×N, xN, *N after it (枕套×2); an item
 * that is a gift (赠, 送) or a word of `set_not` (说明书, 包装盒: no piece of the set) counts
 * nothing, and what brackets hold is skipped (炒锅（含盖、手柄）). The list runs to the end of its
 * line or sentence. Only a list of two pieces or more is compared, and only a title with one count
 * (4件套 and 6件套 in one title compare nothing). Read in the original text: the normaliser
 * drops brackets and '*'. Found by sw__gifts' one reading of the title (sw__set_in_title). */
#include <string.h>

#include "scan/detect.h"
#include "scan/scan_int.h"

#define LIST_BYTES 240
#define SET_MAX 30

/* A count written at t[i]: digits (two at most) or numerals (十二, 两, 六); its value and end. */
static int count_at(const char *t, size_t n, size_t i, size_t *end)
{
    int v = 0, k = 0;
    while (i < n && k < 2 && t[i] >= '0' && t[i] <= '9')
        v = v * 10 + (t[i++] - '0'), k++;
    if (k) {
        *end = i;
        return v;
    }
    size_t len = 0;
    int64_t c = sw__cn_numeral((const unsigned char *)t, n, i, &len);
    if (c < 0 || c > 1000 || !len)
        return -1;
    *end = i + len;
    return (int)c;
}

int sw__set_in_title(const char *t, size_t n, uint32_t jian, uint32_t *start)
{
    /* the count right before 件 at jian: up to two digits or two numerals */
    for (uint32_t back = 6; back >= 1; back--) {
        if (back > jian)
            continue;
        size_t end;
        int v = count_at(t, n, jian - back, &end);
        if (v >= 2 && v <= SET_MAX && end == jian) {
            if (jian - back > 0 && t[jian - back - 1] >= '0' && t[jian - back - 1] <= '9')
                return -1; /* the end of a larger count (56件套 is no 6件套) */
            *start = jian - back;
            return v;
        }
    }
    return -1;
}

static bool any_word(const char *p, size_t n, const struct sw_words *w)
{
    for (int k = 0; k < w->n; k++)
        if (w->len[k] <= n && memmem(p, n, w->w[k], w->len[k]))
            return true;
    return false;
}

#define TOTAL (-1) /* item_count: the list's stated total (共3件), which ends the list */

/* What one item [s, e) counts: 0 (a gift, no piece), its leading or trailing count, 1, or
 * TOTAL. */
static int item_count(const struct sw_scanner *sc, const char *t, size_t s, size_t e)
{
    while (s < e && t[s] == ' ')
        s++;
    while (e > s && t[e - 1] == ' ')
        e--;
    if (e > s && (t[e - 1] == ')' || (e >= s + 3 && memcmp(t + e - 3, "）", 3) == 0)))
        for (size_t b = e; b-- > s;) /* 小碟×4（共16件）: what the bracket holds is no count */
            if (t[b] == '(' || (b + 3 <= e && memcmp(t + b, "（", 3) == 0)) {
                e = b;
                break;
            }
    while (e > s && t[e - 1] == ' ')
        e--;
    static const char *const totals[] = {"共", "合计", "一共", "总共", "总计", NULL};
    for (int k = 0; totals[k]; k++) /* 共6件: the list's total, no item; what follows is none */
        if (e - s >= strlen(totals[k]) && memcmp(t + s, totals[k], strlen(totals[k])) == 0)
            return TOTAL;
    size_t c_end; /* 套装：5个，容量370ml-1.1L: a count alone first is the set's own */
    if (count_at(t, e, s, &c_end) > 0 && c_end + 3 == e &&
        (memcmp(t + c_end, "个", 3) == 0 || memcmp(t + c_end, "件", 3) == 0))
        return TOTAL;
    if (s >= e || memmem(t + s, e - s, "赠", 3) || memmem(t + s, e - s, "送", 3) ||
        any_word(t + s, e - s, &sc->gifts.set_not))
        return 0;
    static const char *const measures[] = {"个", "只", "把", "件", "片", "支", "双",
                                           "条", "块", "套", "张", "口", "瓶", "盒"};
    size_t end;
    int v = count_at(t, e, s, &end);
    for (size_t k = 0; v > 0 && k < sizeof measures / sizeof *measures; k++)
        if (end + 3 <= e && memcmp(t + end, measures[k], 3) == 0)
            return v;
    /* N and a measure word at the end (饭碗4只, 筷子×4双): N */
    for (size_t k = 0; e >= s + 4 && k < sizeof measures / sizeof *measures; k++) {
        if (memcmp(t + e - 3, measures[k], 3) != 0)
            continue;
        size_t b = e - 3;
        int c = 0, scale = 1;
        while (b > s && t[b - 1] >= '0' && t[b - 1] <= '9' && scale <= 10)
            c += (t[b - 1] - '0') * scale, scale *= 10, b--;
        bool total = false; /* 夹子 共5件: the list's total after its last item */
        for (int w = 0; totals[w] && !total; w++)
            total = b >= s + strlen(totals[w]) &&
                    memcmp(t + b - strlen(totals[w]), totals[w], strlen(totals[w])) == 0;
        if (c > 0 && b > s && !total && !strchr(".-~ ", t[b - 1]))
            return c;
    }
    /* ×N, xN, *N at the end */
    size_t d = e;
    while (d > s && t[d - 1] >= '0' && t[d - 1] <= '9' && e - d < 2)
        d--;
    if (d < e && d > s) {
        size_t m = d;
        while (m > s && t[m - 1] == ' ')
            m--;
        bool times = (m >= s + 2 && memcmp(t + m - 2, "×", 2) == 0) ||
                     (m > s && (t[m - 1] == 'x' || t[m - 1] == 'X' || t[m - 1] == '*'));
        if (times && m >= s + 2 && t[m - 2] >= '0' && t[m - 2] <= '9')
            times = false; /* 枕套48*74: a size, no count */
        int k = 0;
        for (size_t i = d; i < e; i++)
            k = k * 10 + (t[i] - '0');
        if (times && k > 0)
            return k;
    }
    return 1;
}

/* Whether the item's text t[s, e) ends with a count after a times sign (炒锅×1, 枕套 x2). */
static bool times_count_end(const char *t, size_t s, size_t e)
{
    size_t d = e;
    while (d > s && t[d - 1] >= '0' && t[d - 1] <= '9' && e - d < 2)
        d--;
    while (d < e && d > s && t[d - 1] == ' ')
        d--;
    return d < e && d > s &&
           ((d >= s + 2 && memcmp(t + d - 2, "×", 2) == 0) || t[d - 1] == 'x' || t[d - 1] == 'X' ||
            t[d - 1] == '*');
}

/* The count after 等 in an item (磨刀棒等7件, 刀具等共七件): a list that names only some of its
 * pieces and then counts them all; 0 when the item has none. */
static int etc_total(const char *t, size_t s, size_t e)
{
    const char *p = memmem(t + s, e - s, "等", 3);
    if (!p)
        return 0;
    size_t i = (size_t)(p - t) + 3, end;
    if (i + 3 <= e && memcmp(t + i, "共", 3) == 0)
        i += 3;
    int v = count_at(t, e, i, &end);
    return v > 0 && end + 3 <= e && memcmp(t + end, "件", 3) == 0 ? v : 0;
}

/* The pieces the list at t[i] counts (its items in *items); -1 when it is no list. */
static int list_count(const struct sw_scanner *sc, const char *t, size_t n, size_t i, int *items)
{
    static const char *const seps[] = {"、", "，", "＋", NULL}; /* not '/': 30ml/瓶 */
    static const char *const ends[] = {"。", "；", "！", NULL};
    size_t lim = i + LIST_BYTES < n ? i + LIST_BYTES : n, s = i;
    int depth = 0, total = 0;
    *items = 0;
    for (size_t j = i; j <= lim; j++) {
        bool end = j == lim || t[j] == '\n' || t[j] == ';' ||
                   (depth == 0 && j + 3 <= n && memcmp(t + j, "【", 3) == 0); /* a new cell */
        for (int k = 0; !end && depth == 0 && ends[k]; k++)
            end = j + 3 <= n && memcmp(t + j, ends[k], 3) == 0;
        /* a space after an item's ×N parts it from the next (开衫×1 半裙×1) */
        bool sep = !end && depth == 0 &&
                   (t[j] == ',' || t[j] == '+' || (t[j] == ' ' && times_count_end(t, s, j)));
        for (int k = 0; !end && !sep && depth == 0 && seps[k]; k++)
            sep = j + 3 <= n && memcmp(t + j, seps[k], 3) == 0;
        if (!end && !sep) {
            if (t[j] == '(' || (j + 3 <= n && memcmp(t + j, "（", 3) == 0))
                depth++;
            else if (depth > 0 && (t[j] == ')' || (j + 3 <= n && memcmp(t + j, "）", 3) == 0)))
                depth--;
            continue;
        }
        int etc = etc_total(t, s, j);
        if (etc > 0) { /* 剪刀、磨刀棒等7件: the list names some and counts them all */
            *items += 1;
            return etc;
        }
        int c = item_count(sc, t, s, j);
        if (c == TOTAL) /* 、24cm汤锅，共3件，均适用燃气灶: the list ends at its total */
            break;
        total += c;
        *items += c > 0;
        /* 磨刀棒（共5件）+ 刀座: a total in the last item's bracket ends the list too */
        if (end || memmem(t + s, j - s, "（共", 6) || memmem(t + s, j - s, "(共", 4))
            break;
        s = j + (t[j] == ',' || t[j] == '+' || t[j] == ' ' ? 1 : 3);
        j = s - 1;
    }
    return total;
}

/* Where an item's line ends before a bracket that closes it (被套×1（200×230cm）): the
 * bracket's start, else e. */
static size_t before_bracket(const char *t, size_t s, size_t e)
{
    bool wide = e >= s + 3 && memcmp(t + e - 3, "）", 3) == 0;
    if (!wide && !(e > s && t[e - 1] == ')'))
        return e;
    for (size_t b = e - (wide ? 3 : 1); b > s; b--)
        if ((wide && b >= s + 3 && memcmp(t + b - 3, "（", 3) == 0) || (!wide && t[b - 1] == '('))
            return b - (wide ? 3 : 1);
    return e;
}

/* Where a numbered line's item starts (1. 小黑瓶精华 30ml, 2、..., ① ...), or 0 when the line at
 * t[s, e) is not numbered. */
static size_t numbered_item(const char *t, size_t s, size_t e)
{
    size_t k = s;
    if (s + 3 <= e && (unsigned char)t[s] == 0xE2 && (unsigned char)t[s + 1] == 0x91 &&
        (unsigned char)t[s + 2] >= 0xA0 && (unsigned char)t[s + 2] <= 0xA9)
        return s + 3 < e && t[s + 3] == ' ' ? s + 4 : s + 3; /* ① 32cm炒锅 */
    while (k < e && k - s < 2 && t[k] >= '0' && t[k] <= '9')
        k++;
    if (k == s || k >= e)
        return 0;
    if (t[k] == '.' || t[k] == ')' || t[k] == ' ')
        return k + 1;
    return k + 3 <= e && (memcmp(t + k, "、", 3) == 0 || memcmp(t + k, "．", 3) == 0) ? k + 3 : 0;
}

/* Lines after a label's line, numbered (【套装内含】 then 1. 小黑瓶精华 30ml, 2. ...) or each with
 * its count (炒锅×1, 汤锅×1): the pieces they count, as list_count's. */
static int lines_count(const struct sw_scanner *sc, const char *t, size_t n, size_t i, int *items)
{
    int total = 0;
    *items = 0;
    while (i < n && t[i] == '\n') {
        size_t s = i + 1, e = s;
        while (e < n && t[e] != '\n')
            e++;
        size_t from = numbered_item(t, s, e), to = e;
        if (!from) { /* a line with its count (炒锅×1, 被套×1（200×230cm）) */
            to = before_bracket(t, s, e);
            if (!times_count_end(t, s, to))
                break;
            int signs = 0; /* 炒锅×1 汤锅×1: two pieces on a line, so no list read */
            for (size_t x = s; x + 2 <= to; x++)
                signs += memcmp(t + x, "×", 2) == 0;
            if (signs > 1) {
                *items = -1;
                return total;
            }
            from = s;
        }
        int c = item_count(sc, t, from, to);
        if (c == TOTAL)
            break;
        total += c;
        *items += c > 0;
        i = e;
    }
    return total;
}

/* Whether a label at t[at] starts a line, a cell or a clause (包含：..., 【套装内含】), or a
 * packing's word (套装清单, 包装清单): not 服务包含：免费安装, what a service includes. */
static bool starts_cell(const char *t, size_t at)
{
    if (at == 0 || strchr("\n |:0123456789", t[at - 1])) /* 4件套含：... */
        return true;
    /* 7件套包含：..., 四件套包含： */
    static const char *const before[] = {"【", "】", "。", "；", "，",
                                         "：", "｜", "装", "套", NULL};
    for (int k = 0; before[k]; k++)
        if (at >= 3 && memcmp(t + at - 3, before[k], 3) == 0)
            return true;
    return false;
}

/* Where a label's list starts: after a colon or the bracket closing its cell, and after a total
 * stated first (套装内含5件：); 0 when the label is no list's (家用菜刀套装 in a sentence). */
static size_t list_start(const char *t, size_t n, size_t i)
{
    while (i < n && t[i] == ' ')
        i++;
    size_t after;
    if (count_at(t, n, i, &after) > 0 && after + 6 <= n && memcmp(t + after, "件", 3) == 0)
        i = after + 3; /* 套装内含5件：... */
    if (i < n && t[i] == ':')
        return i + 1;
    if (i + 3 <= n && (memcmp(t + i, "：", 3) == 0 || memcmp(t + i, "】", 3) == 0))
        return i + 3;
    if (i < n && t[i] == '\n')
        return i; /* ■ 包装清单 alone on its line: the list is below */
    return 0;
}

/* Whether the line after t[i] ('\n') is the list's only one: the text ends after it, or the
 * line after it names a label (材质：...) or is empty. */
static bool one_line_list(const char *t, size_t n, size_t i)
{
    while (i < n && (t[i] == '\n' || t[i] == ' '))
        i++;
    const char *nl = memchr(t + i, '\n', n - i);
    if (!nl)
        return true;
    size_t s = (size_t)(nl - t) + 1, e = s;
    while (e < n && t[e] != '\n')
        e++;
    if (e == s)
        return true;
    static const char *const marks[] = {"■", "▶", "●", "◆", "★", "▲", "【", NULL};
    for (int k = 0; marks[k]; k++) /* ■ 售后: the next section's heading */
        if (e - s >= strlen(marks[k]) && memcmp(t + s, marks[k], strlen(marks[k])) == 0)
            return true;
    for (size_t k = s; k < e; k++)
        if (t[k] == ':' ||
            (k + 3 <= e && (memcmp(t + k, "：", 3) == 0 || memcmp(t + k, "】", 3) == 0)))
            return true;
    return false;
}

/* A single piece said of the listing in the detail (本链接为炒锅单品, 规格：单件（仅上衣）): a
 * word of single_words within SINGLE_REACH bytes after a word of single_frames, in its clause,
 * and not a word of something else (单件重量, 单品价, 单件包邮); its frame, or NULL. */
#define SINGLE_REACH 15

static const char *single_said(const struct field *d, uint32_t *at, uint32_t *end)
{
    static const char single_not[] = "重价尺包售起满购拍发计的";
    const struct sw_words *fr = &d->sc->gifts.single_frames, *w = &d->sc->gifts.single_words;
    for (int k = 0; k < fr->n && w->n; k++) {
        for (const char *p = d->norm;
             (p = memmem(p, d->n - (size_t)(p - d->norm), fr->w[k], fr->len[k])) != NULL;) {
            size_t i = (size_t)(p - d->norm) + fr->len[k];
            p += fr->len[k];
            for (size_t j = i; j <= i + SINGLE_REACH && j < d->n; j++) {
                if (strchr(",.;!?:\xff", d->norm[j]) || memcmp(d->norm + j, "。", 3) == 0)
                    break;
                for (int x = 0; x < w->n; x++) {
                    size_t l = w->len[x], q = j + l;
                    if (q > d->n || memcmp(d->norm + j, w->w[x], l) != 0)
                        continue;
                    if (q + 3 <= d->n && sw__han_at(d->norm + q, d->n - q) &&
                        memmem(single_not, sizeof single_not - 1, d->norm + q, 3))
                        continue;
                    *at = (uint32_t)(i - fr->len[k]);
                    *end = (uint32_t)q;
                    return fr->w[k];
                }
            }
        }
    }
    return NULL;
}

/* Whether the spec check found the titles' count against a list already (it says so first). */
static bool spec_said(const struct out *o, const struct sw_scanner *sc)
{
    for (size_t k = 0; k < o->n; k++)
        if (o->v[k].r == &sc->spec)
            return true;
    return false;
}

/* The detail's first list of a set's contents: a word of set_labels starting a cell, then its
 * list (list_start): where the list starts, and the label's index in *label; 0 when there is
 * none. */
static size_t first_set_list(const struct field *d, int *label)
{
    const struct sw_words *w = &d->sc->gifts.set_labels;
    for (int k = 0; k < w->n; k++)
        for (size_t from = 0; from < d->olen;) {
            const char *p = memmem(d->orig + from, d->olen - from, w->w[k], w->len[k]);
            if (!p)
                break;
            size_t at = (size_t)(p - d->orig) + w->len[k], i = list_start(d->orig, d->olen, at);
            from = at;
            if (i && starts_cell(d->orig, (size_t)(p - d->orig))) {
                *label = k;
                return i;
            }
        }
    return 0;
}

void sw__set_count(const struct field *fs, int count, uint32_t s, uint32_t e, int tfi,
                   struct out *o)
{
    const struct field *d = &fs[SW_SF_DETAIL];
    const struct sw_scanner *sc = d->sc;
    const struct sw_words *w = &sc->gifts.set_labels;
    if (spec_said(o, sc))
        return;
    uint32_t a, z;
    int k;
    if (single_said(d, &a, &z)) {
        uint32_t os, oe;
        sw__orig_span(d, a, z, &os, &oe);
        struct finding *x = sw__add(o, &sc->gifts.r, tfi, s, e);
        sw__evidence(o, x, "the titles sell a set of %d; the detail says %.*s", count,
                     sw__ev_len(oe - os), d->orig + os);
        return;
    }
    size_t i = first_set_list(d, &k); /* the first list decides */
    if (!i)
        return;
    while (i < d->olen && d->orig[i] == ' ')
        i++;
    int items = 0;
    bool own_line = i < d->olen && d->orig[i] == '\n';
    int total = own_line ? lines_count(sc, d->orig, d->olen, i, &items)
                         : list_count(sc, d->orig, d->olen, i, &items);
    if (own_line && items < 2 && one_line_list(d->orig, d->olen, i)) {
        /* 【套装包含】 then 菜刀、水果刀... (or 刀×1 剪刀×1) on the next line, and nothing more */
        while (i < d->olen && (d->orig[i] == '\n' || d->orig[i] == ' '))
            i++;
        total = list_count(sc, d->orig, d->olen, i, &items);
    }
    if (items < 2 || total == count)
        return;
    struct finding *x = sw__add(o, &sc->gifts.r, tfi, s, e);
    sw__evidence(o, x, "the titles sell a set of %d; the detail's %.*s lists %d pieces", count,
                 (int)w->len[k], w->w[k], total);
}

/* The count after the times sign ending the item t[s, e) (保鲜盒×8): its value, and where the
 * sign starts in *sign; 0 when it has none. */
static int times_count(const char *t, size_t s, size_t e, size_t *sign)
{
    if (!times_count_end(t, s, e))
        return 0;
    size_t d = e;
    while (d > s && t[d - 1] >= '0' && t[d - 1] <= '9')
        d--;
    int v = 0;
    for (size_t k = d; k < e && k < d + 2; k++)
        v = v * 10 + (t[k] - '0');
    while (d > s && t[d - 1] == ' ')
        d--;
    *sign = d >= s + 2 && memcmp(t + d - 2, "×", 2) == 0 ? d - 2 : d - 1;
    return v;
}

/* The first item of the list at t[i] (one line) that the title names before its pack's count
 * (玻璃保鲜盒 10只装, not 12支装带刷包: what comes with the pack), with its count after a times
 * sign (保鲜盒×8（含盖）): that count, its item in [*s, *e); 0 when there is none. */
static int named_item(const struct field *title, uint32_t before, const char *t, size_t n, size_t i,
                      size_t *s, size_t *e)
{
    size_t lim = i + LIST_BYTES < n ? i + LIST_BYTES : n, from = i;
    for (size_t j = i; j <= lim; j++) {
        bool end = j == lim || t[j] == '\n' || t[j] == ';' ||
                   (j + 3 <= n && (memcmp(t + j, "。", 3) == 0 || memcmp(t + j, "；", 3) == 0));
        bool sep =
            !end && (t[j] == ',' || t[j] == '+' ||
                     (j + 3 <= n && (memcmp(t + j, "、", 3) == 0 || memcmp(t + j, "，", 3) == 0 ||
                                     memcmp(t + j, "＋", 3) == 0)));
        if (!end && !sep)
            continue;
        size_t a = from, z = before_bracket(t, from, j), sign;
        while (a < z && t[a] == ' ')
            a++;
        int v = times_count(t, a, z, &sign);
        if (v > 0 && sign >= a + 6 && sign - a <= before &&
            memmem(title->orig, before, t + a, sign - a)) {
            *s = a;
            *e = z;
            return v;
        }
        if (end)
            break;
        from = j + (t[j] == ',' || t[j] == '+' ? 1 : 3);
        j = from - 1;
    }
    return 0;
}

void sw__pack_count(const struct field *fs, int count, uint32_t s, uint32_t e, int tfi,
                    struct out *o)
{
    const struct field *d = &fs[SW_SF_DETAIL];
    const struct sw_words *w = &d->sc->gifts.set_labels;
    int k;
    if (spec_said(o, d->sc))
        return;
    size_t i = first_set_list(d, &k), is, ie; /* the first list decides */
    int v = i ? named_item(&fs[tfi], s, d->orig, d->olen, i, &is, &ie) : 0;
    if (v > 0 && v != count) {
        struct finding *x = sw__add(o, &d->sc->gifts.r, tfi, s, e);
        sw__evidence(o, x, "the titles sell %d; the detail's %.*s lists %.*s", count,
                     (int)w->len[k], w->w[k], sw__ev_len((uint32_t)(ie - is)), d->orig + is);
    }
}

/* What one order ships, said as 拍N发M (拍一发三, 拍1件发1支, 拍1单发2瓶) in t from byte i: N
 * and M, *end after M; false when there is none at i. */
bool sw__ships_at(const char *t, size_t n, size_t i, int *bought, int *sent, size_t *end)
{
    if (i + 3 > n || memcmp(t + i, "拍", 3) != 0)
        return false;
    size_t j;
    int b = count_at(t, n, i + 3, &j);
    if (b <= 0)
        return false;
    static const char *const per[] = {"件", "单", "份", "个", NULL};
    for (int k = 0; per[k]; k++)
        if (j + 3 <= n && memcmp(t + j, per[k], 3) == 0) {
            j += 3;
            break;
        }
    if (j + 3 > n || memcmp(t + j, "发", 3) != 0)
        return false;
    int m = count_at(t, n, j + 3, end);
    if (m <= 0)
        return false;
    *bought = b;
    *sent = m;
    return true;
}

/* The first 拍N发M of the detail after byte from: its place, or n (拍 looked for by its last
 * byte: memchr, not memmem, whose set-up costs more than the search). */
static size_t next_ships(const char *t, size_t n, size_t from, int *bought, int *sent, size_t *end)
{
    for (size_t i = from + 2; i < n;) {
        const char *p = memchr(t + i, 0x8D, n - i); /* 拍: E6 8B 8D */
        if (!p)
            break;
        i = (size_t)(p - t);
        if (memcmp(t + i - 2, "拍", 3) == 0 && sw__ships_at(t, n, i - 2, bought, sent, end))
            return i - 2;
        i++;
    }
    return n;
}

void sw__ships(const struct field *fs, int tfi, int bought, int sent, uint32_t s, uint32_t e,
               struct out *o)
{
    const struct field *d = &fs[SW_SF_DETAIL];
    /* the detail's for as many bought: one that ships the titles' count agrees */
    int other = 0;
    size_t os = 0, oe = 0;
    for (size_t at = 0; at < d->olen;) {
        int db, dm;
        size_t de, ds = next_ships(d->orig, d->olen, at, &db, &dm, &de);
        if (ds == d->olen)
            break;
        if (db == bought && dm == sent)
            return;
        if (db == bought && !other)
            other = dm, os = ds, oe = de;
        at = de;
    }
    if (other) {
        struct finding *x = sw__add(o, &d->sc->gifts.r, tfi, s, e);
        sw__evidence(o, x, "the titles ship %d for %d bought; the detail says %.*s", sent, bought,
                     sw__ev_len((uint32_t)(oe - os)), d->orig + os);
    }
}
