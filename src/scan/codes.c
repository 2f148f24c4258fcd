/* Codes stated twice (consistency.facts "shade" and "model", docs/scan.md "Facts stated
 * twice"): a code the detail states after a label against the same code in the titles.
 * - A shade (色号：#03 自然色) against the shade code of the titles (#01, or 01 before a
 *   colour's name: 01象牙白). Only one code on each side: a list (#01/#03, #01-#05) or two
 *   codes in the titles compare nothing, and nor does a title code the detail names too.
 * - A model (型号：iPhone 12 Pro, 适用机型：nova 11) against the model of the same series in
 *   the titles (iPhone 12 Pro Max, nova 12): a series (letters), a number (12, 1000xm4, the
 *   P60 of P60) and the words of a model's line after it (pro, max, plus, mini, ultra...);
 *   what follows them (128G, A3108) is not the model. A series of one or two letters counts
 *   only with its number right after it (P60, M05). A list on either side (P50/P50 Pro,
 *   15 Pro、15 Pro Max) compares nothing; a title that names the series with the detail's
 *   model anywhere agrees with it. A model that is a part code (MB-FB30E511: letters, digits
 *   and '-', no series and number) against a code of its shape in the titles that differs in
 *   one or two places.
 * Both read the original text (codes are ASCII; the normaliser would change them). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "scan/detect.h"

#define CODE_MAX 24
#define MODEL_MAX 48

static bool is_alnum(int ch)
{
    return ch >= 0 && ch < 128 && isalnum(ch);
}

/* Whether a list goes on at t[i]: spaces, then / 、 , ， & + ~ - 和 及 或 至. */
static bool list_at(const char *t, size_t n, size_t i)
{
    while (i < n && t[i] == ' ')
        i++;
    /* a comma or 、 lists codes only when a code follows it (BL-660，BL-680); 产品型号：BL-660，
     * 容量1.75L goes on to another fact */
    size_t c = i < n && t[i] == ','                                                         ? i + 1
               : i + 3 <= n && (memcmp(t + i, "，", 3) == 0 || memcmp(t + i, "、", 3) == 0) ? i + 3
                                                                                            : 0;
    if (c) {
        while (c < n && t[c] == ' ')
            c++;
        return c < n && is_alnum(t[c]);
    }
    if (i < n && strchr("/&+~-", t[i]))
        return true;
    static const char *const seps[] = {"和", "及", "或", "至", "／", "～", NULL};
    for (int k = 0; seps[k]; k++)
        if (i + 3 <= n && memcmp(t + i, seps[k], 3) == 0)
            return true;
    return false;
}

/* ---- shades ---- */

/* A shade code at t[i] (a '#' optional when hash is false, required when true): up to three
 * letters, 1-4 digits, up to two letters, then no letter or digit. Its canonical form (upper
 * case, no '#', the digits without leading zeros) into out; its end in *end. */
static bool shade_at(const char *t, size_t n, size_t i, bool hash, char *out, size_t *end)
{
    bool has_hash = i < n && t[i] == '#';
    if (hash && !has_hash)
        return false;
    i += has_hash;
    size_t k = 0, letters = 0, digits = 0;
    while (i < n && isalpha((unsigned char)t[i]) && letters < 3 && k < CODE_MAX - 1)
        out[k++] = (char)toupper((unsigned char)t[i++]), letters++;
    while (i < n && t[i] == '0' && i + 1 < n && isdigit((unsigned char)t[i + 1]))
        i++, digits++;
    while (i < n && isdigit((unsigned char)t[i]) && digits < 4 && k < CODE_MAX - 1)
        out[k++] = t[i++], digits++;
    for (int x = 0; x < 2 && i < n && isalpha((unsigned char)t[i]) && k < CODE_MAX - 1; x++)
        out[k++] = (char)toupper((unsigned char)t[i++]);
    out[k] = 0;
    *end = i;
    return digits > 0 && !(i < n && is_alnum((unsigned char)t[i]));
}

/* Whether a bare code t[i, end) of two or three digits (01, 012) is followed by a name, not
 * a unit or a date (01象牙白, 01号 正红色; not 05年, 02支, nor 01号 with no name after it). */
static bool colour_after(const char *t, size_t n, size_t end, size_t i)
{
    static const char *const not [] = {"元", "支", "个", "件", "年", "月", "日", "号", "款", "期",
                                       "代", "克", "只", "瓶", "盒", "片", "包", "袋", "罐", "斤",
                                       "寸", "点", "时", "分", "秒", "天", "周", "折", NULL};
    if (end - i > 3 || end >= n || (unsigned char)t[end] < 0x80)
        return false;
    if (end + 3 <= n && memcmp(t + end, "号", 3) == 0) { /* 01号 正红色: a shade's number */
        size_t j = end + 3;
        while (j < n && t[j] == ' ')
            j++;
        return j < n && (unsigned char)t[j] >= 0x80;
    }
    for (int k = 0; not [k]; k++)
        if (end + 3 <= n && memcmp(t + end, not [k], 3) == 0)
            return false;
    return true;
}

/* The one shade code of the titles (#01 anywhere, or 01 before a character that is not ASCII:
 * 01象牙白); false when none or two that differ. */
static bool title_shade(const struct field *fs, char *code, uint32_t *s, uint32_t *e, int *tfi)
{
    int found = 0;
    for (int fi = SW_SF_TITLE; fi <= SW_SF_SHORT_TITLE; fi++) {
        const char *t = fs[fi].orig;
        size_t n = fs[fi].olen;
        for (size_t i = 0; i < n; i++) {
            bool hashed = t[i] == '#';
            bool zero = t[i] == '0' && (i == 0 || t[i - 1] == ' ') && i + 1 < n &&
                        isdigit((unsigned char)t[i + 1]);
            char c[CODE_MAX];
            size_t end;
            if ((!hashed && !zero) || (i > 0 && is_alnum((unsigned char)t[i - 1])) ||
                !shade_at(t, n, i, hashed, c, &end) || (!hashed && !colour_after(t, n, end, i)))
                continue;
            if (found && strcmp(c, code) != 0)
                return false;
            if (list_at(t, n, end))
                return false;
            if (!found++) {
                snprintf(code, CODE_MAX, "%s", c);
                *s = (uint32_t)i, *e = (uint32_t)end, *tfi = fi;
            }
            i = end;
        }
    }
    return found > 0;
}

/* Whether the detail names shade code `code` anywhere (另有#01, #01已售罄). */
static bool detail_names(const struct field *d, const char *code)
{
    for (size_t i = 0; i < d->olen; i++) {
        char c[CODE_MAX];
        size_t end;
        if (d->orig[i] == '#' && shade_at(d->orig, d->olen, i, true, c, &end) &&
            strcmp(c, code) == 0)
            return true;
    }
    return false;
}

/* The detail's 色号 (its value at byte v of the detail) against the titles' shade code. */
static bool shade_fact(const struct field *fs, size_t v, uint32_t ls, const struct sw_rule *r,
                       struct out *o)
{
    const struct field *d = &fs[SW_SF_DETAIL];
    char want[CODE_MAX], got[CODE_MAX];
    size_t end = 0;
    uint32_t s = 0, e = 0;
    int tfi = SW_SF_TITLE;
    if (!shade_at(d->orig, d->olen, v, false, got, &end))
        return false;
    if (list_at(d->orig, d->olen, end) || !title_shade(fs, want, &s, &e, &tfi) ||
        strcmp(want, got) == 0 || detail_names(d, want))
        return true;
    sw__evidence(o, sw__add(o, r, tfi, s, e), "shade: the titles say %.*s; the detail says %.*s",
                 sw__ev_len(e - s), fs[tfi].orig + s, sw__ev_len((uint32_t)(end - ls)),
                 d->orig + ls);
    return true;
}

/* ---- models ---- */

static const char *const lines[] = {"pro", "max", "plus", "mini",  "ultra", "lite", "se",
                                    "fe",  "air", "neo",  "turbo", "xl",    NULL};
/* letters after a number that make it a capacity or a measure, not a model (iPhone 128G) */
static const char *const units[] = {"g",  "gb", "t", "tb", "mah", "w", "hz", "mm", "cm",
                                    "ml", "kg", "k", "mp", "m",   "v", "l",  "p",  NULL};

static bool one_of(const char *const *list, const char *w, size_t n)
{
    for (int k = 0; list[k]; k++)
        if (strlen(list[k]) == n && strncasecmp(w, list[k], n) == 0)
            return true;
    return false;
}

/* A run of letters (digit false) or digits at t[i]: its length. */
static size_t run(const char *t, size_t n, size_t i, bool digit)
{
    size_t j = i;
    while (j < n && (digit ? isdigit((unsigned char)t[j]) : isalpha((unsigned char)t[j])))
        j++;
    return j - i;
}

/* How much of the letters t[i, i+len) are words of a model's line one after another (ProMax):
 * len when all of them, else 0. */
static size_t line_words(const char *t, size_t i, size_t len)
{
    size_t k = 0;
    while (k < len) {
        size_t best = 0;
        for (int x = 0; lines[x]; x++) {
            size_t l = strlen(lines[x]);
            if (l <= len - k && l > best && strncasecmp(t + i + k, lines[x], l) == 0)
                best = l;
        }
        if (!best)
            return 0;
        k += best;
    }
    return len;
}

struct model {
    char key[MODEL_MAX]; /* series|number|lines, lower case, no spaces */
    size_t series;       /* the series' bytes in the original text */
    size_t end;          /* the original text's end of the model */
};

static void put(struct model *m, size_t *k, const char *p, size_t n)
{
    for (size_t i = 0; i < n && *k < MODEL_MAX - 2; i++)
        if (p[i] != ' ')
            m->key[(*k)++] = (char)tolower((unsigned char)p[i]);
    m->key[*k] = 0;
}

/* The number of a model at t[j] (digits; then letters and digits joined to it: 1000XM4) into
 * m; false when it is a capacity (128G). Its end in *end. */
static bool model_number(const char *t, size_t n, size_t j, struct model *m, size_t *k, size_t *end)
{
    size_t d = run(t, n, j, true);
    put(m, k, t + j, d);
    j += d;
    size_t l = run(t, n, j, false);
    if (l && one_of(units, t + j, l) && !(j + l < n && isdigit((unsigned char)t[j + l])))
        return false;
    if (l && !line_words(t, j, l) && j + l < n && isdigit((unsigned char)t[j + l])) {
        put(m, k, t + j, l + run(t, n, j + l, true));
        j += l + run(t, n, j + l, true);
    }
    /* a suffix joined by a dash that starts with a letter and holds a digit (L18-P393,
     * KFR-35GW): part of the number (not 15-128G, a capacity after a dash) */
    if (j + 2 < n && t[j] == '-' && isalpha((unsigned char)t[j + 1])) {
        size_t q = j + 1;
        bool digit = false;
        while (q < n && q - j <= 12 && isalnum((unsigned char)t[q]))
            digit |= isdigit((unsigned char)t[q++]) != 0;
        if (digit) {
            put(m, k, t + j, q - j);
            j = q;
        }
    }
    *end = j;
    return true;
}

/* A model at t[i]: a series (a word of letters, or two: Redmi Note, Galaxy S), a number right
 * after it or after a space or a '-' (a series of one or two letters: right after it only), then
 * the words of its line (Pro Max, ProMax). False without a number. */
static bool model_at(const char *t, size_t n, size_t i, struct model *m)
{
    size_t k = 0, a = i, l = run(t, n, i, false), j = i + l;
    if (l == 0 || l > 16)
        return false;
    if (j + 1 < n && t[j] == ' ' && isalpha((unsigned char)t[j + 1])) { /* a second word */
        size_t l2 = run(t, n, j + 1, false), after = j + 1 + l2;
        if (l2 <= 16 && after < n &&
            (isdigit((unsigned char)t[after]) ||
             (t[after] == ' ' && after + 1 < n && isdigit((unsigned char)t[after + 1]))))
            l = after - i, j = after;
    }
    m->series = l;
    put(m, &k, t + a, l);
    put(m, &k, "|", 1);
    size_t word = 0; /* the series' last word's length */
    while (word < l && isalpha((unsigned char)t[j - 1 - word]))
        word++;
    for (int x = 0; word >= 3 && x < 2 && j < n && (t[j] == ' ' || t[j] == '-'); x++)
        j++;
    if (j >= n || !isdigit((unsigned char)t[j]) || !model_number(t, n, j, m, &k, &j))
        return false;
    m->end = j;
    bool lined = false;
    for (;;) {
        size_t w = j;
        while (w < n && w - j < 2 && t[w] == ' ')
            w++;
        size_t wl = run(t, n, w, false);
        if (!wl || !line_words(t, w, wl) || (w + wl < n && isdigit((unsigned char)t[w + wl])))
            break;
        if (!lined)
            put(m, &k, "|", 1); /* one separator before the line: ProMax is Pro Max */
        lined = true;
        put(m, &k, t + w, wl);
        j = m->end = w + wl;
    }
    return true;
}

/* Whether the titles name want's series (its original bytes: series) with a model: *agree when one
 * of them is want, else the first one's place. False when they name none, or a list (15 Pro/15 Pro
 * Max). */
static bool title_models(const struct field *fs, const char *series, const struct model *want,
                         bool *agree, uint32_t *s, uint32_t *e, int *tfi)
{
    size_t sl = (size_t)(strchr(want->key, '|') - want->key) + 1;
    bool any = false;
    *agree = false;
    for (int fi = SW_SF_TITLE; fi <= SW_SF_SHORT_TITLE; fi++) {
        const char *t = fs[fi].orig;
        size_t n = fs[fi].olen;
        for (size_t i = 0; i + want->series <= n; i++) {
            struct model m;
            if ((t[i] | 0x20) != (series[0] | 0x20) ||
                (i > 0 && isalpha((unsigned char)t[i - 1])) ||
                strncasecmp(t + i, series, want->series) != 0 || !model_at(t, n, i, &m) ||
                strncmp(m.key, want->key, sl) != 0)
                continue;
            if (list_at(t, n, m.end))
                return false;
            /* Q7 in the titles of 型号：Q7-A2024: the model named without its code's dashed end */
            size_t ml = strlen(m.key);
            *agree |= strcmp(m.key, want->key) == 0 ||
                      (strncmp(m.key, want->key, ml) == 0 && want->key[ml] == '-');
            if (!any)
                *s = (uint32_t)i, *e = (uint32_t)m.end, *tfi = fi;
            any = true;
        }
    }
    return any;
}

/* ---- part codes ---- */

#define PART_MIN 5
#define PART_MAX 24
#define PART_DIFF 2 /* positions a copied code differs in at most */

/* A part code at t[i] (MB-FB40E511, C22-RT2240, KJ200F-A1): letters, digits and inner '-', 5 to
 * 24 of them with two letters and two digits at least, not inside a longer word; its length, or
 * 0. */
static size_t part_code_at(const char *t, size_t n, size_t i)
{
    if (i > 0 && (is_alnum(t[i - 1]) || t[i - 1] == '-'))
        return 0;
    size_t j = i;
    int letters = 0, digits = 0;
    while (j < n && j - i <= PART_MAX &&
           (is_alnum(t[j]) || (t[j] == '-' && j > i && j + 1 < n && is_alnum(t[j + 1])))) {
        letters += isalpha((unsigned char)t[j]) != 0;
        digits += isdigit((unsigned char)t[j]) != 0;
        j++;
    }
    size_t len = j - i;
    if (len < PART_MIN || len > PART_MAX || letters < 2 || digits < 2 ||
        (j < n && (is_alnum(t[j]) || t[j] == '-')))
        return 0;
    return len;
}

/* How many positions two codes of one length differ in, when they have one shape (a letter
 * where a letter, a digit where a digit, '-' where '-'); -1 when they have not. */
static int shape_diff(const char *a, const char *b, size_t len)
{
    int d = 0;
    for (size_t i = 0; i < len; i++) {
        int x = tolower((unsigned char)a[i]), y = tolower((unsigned char)b[i]);
        if (x == y)
            continue;
        if (!((isalpha(x) && isalpha(y)) || (isdigit(x) && isdigit(y))))
            return -1;
        d++;
    }
    return d;
}

/* The detail's part code (at byte v, label at ls) against a code of its shape in the titles
 * that differs from it in one or two places (MB-FB40E511 against 型号：MB-FB30E511: one SKU's
 * code copied onto another). A title with the code itself, or with a list after its code,
 * agrees or says nothing. */
static bool part_fact(const struct field *fs, size_t v, uint32_t ls, const struct sw_rule *r,
                      struct out *o)
{
    const struct field *d = &fs[SW_SF_DETAIL];
    size_t len = part_code_at(d->orig, d->olen, v);
    if (!len || list_at(d->orig, d->olen, v + len))
        return false;
    int tfi = -1;
    uint32_t s = 0;
    for (int fi = SW_SF_TITLE; fi <= SW_SF_SHORT_TITLE; fi++) {
        const char *t = fs[fi].orig;
        size_t n = fs[fi].olen;
        for (size_t i = 0; i + len <= n; i++) {
            if (!is_alnum(t[i]) || part_code_at(t, n, i) != len)
                continue;
            int diff = shape_diff(t + i, d->orig + v, len);
            if (diff == 0)
                return true;
            if (diff > 0 && diff <= PART_DIFF && (size_t)diff * 3 <= len && tfi < 0 &&
                !list_at(t, n, i + len))
                tfi = fi, s = (uint32_t)i;
        }
    }
    if (tfi >= 0)
        sw__evidence(o, sw__add(o, r, tfi, s, s + (uint32_t)len),
                     "model: the titles say %.*s; the detail says %.*s", (int)len, fs[tfi].orig + s,
                     sw__ev_len((uint32_t)(v + len - ls)), d->orig + ls);
    return true;
}

/* Past a name in characters and the spaces after it (型号：星耀 X50 Pro, 适配型号：华为 Mate50: the
 * brand before the model) or right before the model's letters (型号：迅影Z8), at most 12 bytes of
 * it; v itself when there is none. */
static size_t after_name(const char *t, size_t n, size_t v)
{
    size_t i = v;
    while (i < n && i - v <= 12 && (unsigned char)t[i] >= 0x80)
        i++;
    if (i > v && i - v <= 12 && i < n && isalpha((unsigned char)t[i]))
        return i;
    if (i == v || i - v > 12 || i >= n || t[i] != ' ')
        return v;
    while (i < n && t[i] == ' ')
        i++;
    return i;
}

/* The detail's model (its value at byte v of the detail, label at ls) against the titles'. */
static bool model_fact(const struct field *fs, size_t v, uint32_t ls, const struct sw_rule *r,
                       struct out *o)
{
    const struct field *d = &fs[SW_SF_DETAIL];
    struct model want;
    bool agree = false;
    uint32_t s = 0, e = 0;
    int tfi = SW_SF_TITLE;
    if (!model_at(d->orig, d->olen, v, &want)) {
        size_t w = after_name(d->orig, d->olen, v);
        if (w == v || !model_at(d->orig, d->olen, w, &want))
            return part_fact(fs, v, ls, r, o);
        v = w;
    }
    if (list_at(d->orig, d->olen, want.end) ||
        !title_models(fs, d->orig + v, &want, &agree, &s, &e, &tfi) || agree)
        return true;
    sw__evidence(o, sw__add(o, r, tfi, s, e), "model: the titles say %.*s; the detail says %.*s",
                 sw__ev_len(e - s), fs[tfi].orig + s, sw__ev_len((uint32_t)(want.end - ls)),
                 d->orig + ls);
    return true;
}

/* ---- where they are read ---- */

typedef bool (*code_fn)(const struct field *, size_t, uint32_t, const struct sw_rule *,
                        struct out *);

void sw__codes(const struct field *fs, const struct sw_listing *l, const struct sw_code_label *c,
               int n, struct out *o)
{
    const struct sw_facts *fa = &fs[0].sc->facts;
    const struct field *d = &fs[SW_SF_DETAIL];
    static const code_fn fns[2] = {shade_fact, model_fact};
    for (int kind = 0; kind < 2; kind++) {
        if (!sw__catset_match(&fa->code_cs[kind], l->category))
            continue;
        /* in the order they stand, the first whose value reads decides (请核对适用型号。...
         * 适用型号：iPhone 14) */
        for (int i = 0; i < n; i++) {
            uint32_t s, e;
            if (c[i].kind != kind)
                continue;
            sw__orig_span(d, c[i].from, c[i].to, &s, &e);
            if (fns[kind](fs, sw__skip_joiners(d->orig, d->olen, e), s, &fa->r, o))
                break;
        }
    }
}
