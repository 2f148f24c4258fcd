/* External diversion: in text, WeChat and QQ ids after a keyword, phone numbers in digit runs,
 * URLs, domains and e-mail addresses; in images, QR codes (decoded by image.c). Each walk from a
 * hit is bounded by what the rule can use (an id is at most 30 characters) or continues where an
 * earlier walk over the same run stopped: separators are dropped before matching, so ".com" x N or
 * "http:" x N is one run with a hit every few bytes, and walking it again from every hit would be
 * quadratic. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "scan/detect.h"
#include "scan/normclass.h"

/* The longest id each keyword takes (RULES.md §3 via the policy's detector descriptions). */
#define WX_ID_MIN 5
#define WX_ID_MAX 30
#define QQ_ID_MIN 5
#define QQ_ID_MAX 11
/* A number after a phone label: a landline without its area code has 7 digits */
#define PHONE_MIN 7
#define PHONE_MAX 12
#define PHONE_INTL_MAX 15 /* 00, a country code and a number: at most 15 digits (E.164) */

static int digit_at(const struct field *f, uint32_t q, int *len);

/* A remark in brackets right after a keyword, without digits: 电话（大写防屏蔽）：, 扣扣(防屏蔽)
 * (the normaliser drops brackets: they are looked for in the original). The normalised offset
 * after its closing bracket when one comes within PAREN_MAX bytes, else pos. */
#define PAREN_MAX 48
static uint32_t past_remark(const struct field *f, uint32_t pos)
{
    uint32_t o = f->map[pos];
    while (o > 0 && f->orig[o - 1] == ' ')
        o--;
    bool open = (o >= 1 && f->orig[o - 1] == '(') ||
                (o >= 3 && memcmp(f->orig + o - 3, "\xEF\xBC\x88", 3) == 0); /* （ */
    if (!open)
        return pos;
    uint32_t close = 0;
    for (uint32_t k = f->map[pos]; k < f->olen && k - o <= PAREN_MAX && !close; k++) {
        if (f->orig[k] == ')')
            close = k + 1;
        else if (k + 3 <= f->olen && memcmp(f->orig + k, "\xEF\xBC\x89", 3) == 0) /* ） */
            close = k + 3;
        else if (f->orig[k] == '(' || f->orig[k] == '\n')
            return pos;
    }
    if (!close)
        return pos;
    uint32_t q = pos;
    int l = 1;
    for (; q < f->n && f->map[q] < close; q += (uint32_t)l, l = 1)
        if (digit_at(f, q, &l) >= 0)
            return pos; /* a number in the brackets: (微信同号) 138..., not a remark */
    return q;
}

/* Skips what may stand between a contact keyword and the id: a remark in brackets, ':' ',' '='
 * and 号 是 为 码 搜(索) 一下, 好友 (加 LINE 好友 ID：…), 账号, 我 (扣我 …), a bracket that
 * opens or closes around the keyword (【微信】abc123). */
static uint32_t skip_filler(const struct field *f, uint32_t pos)
{
    static const char *const words[] = {"号", "是", "为", "码", "id", "群", "搜索", "搜", "一下",
                                        "公众", "公", "私人", "私", "个人", "见下方", "见下",
                                        "如下", "「", "『", "【", "】", "」", "』", "‘", "“", "'",
                                        "\"", "好友", "账号", "帐号", "我",
                                        /* how to reach: 微信找我：abc12345, QQ联系：12345678 */
                                        "找", "联系", "咨询", "私聊", "私信", "问", NULL};
    for (int guard = 0; guard < 6 && pos < f->n; guard++) {
        char c = f->norm[pos];
        uint32_t after = guard == 0 ? past_remark(f, pos) : pos;
        if (after != pos) {
            pos = after;
            continue;
        }
        if (c == ':' || c == ',' || c == '=' || c == '(' || c == ')' || c == '\n' || c == '@' ||
            c == '+') {
            pos++;
            continue;
        }
        int k = 0;
        while (words[k] && strncmp(f->norm + pos, words[k], strlen(words[k])) != 0)
            k++;
        if (!words[k] || pos + strlen(words[k]) > f->n)
            break;
        pos += (uint32_t)strlen(words[k]);
    }
    return pos;
}

/* The digit at norm[q] (an ASCII digit or a Chinese numeral, sw_norm_digit), its length in
 * *len; -1 when it is neither. */
static int digit_at(const struct field *f, uint32_t q, int *len)
{
    unsigned char c = (unsigned char)f->norm[q];
    *len = 1;
    if (c >= '0' && c <= '9')
        return c - '0';
    if ((c & 0xF0) != 0xE0 || q + 3 > f->n)
        return -1;
    uint32_t cp = sw__cp_at(f->norm + q, f->n - q, len);
    return *len == 3 ? sw_norm_digit(cp) : -1;
}

/* A digit of a run (normalize.c): a letter o inside one is a zero (15O 1234 5678). */
static int run_digit(const struct field *f, uint32_t q, int *len)
{
    if (f->norm[q] == 'o') {
        *len = 1;
        return 0;
    }
    return digit_at(f, q, len);
}

/* Whether another contact's keyword starts at norm[q] after a space in the original text (微信
 * abc_shop1 QQ 12345678: the normaliser drops the space, the id ends before QQ). */
static bool next_contact(const struct field *f, uint32_t q)
{
    uint32_t s = f->map[q];
    if (s == 0 || s > f->olen || (f->orig[s - 1] != ' ' && f->orig[s - 1] != '\t'))
        return false;
    for (size_t i = sw__first_hit_ending(f, q + 1); i < f->nhits && f->hits[i].to <= q + 24; i++) {
        int r = sw__role(f, &f->hits[i]);
        if (f->hits[i].from == q &&
            (r == R_WX_KW || r == R_QQ_KW || r == R_PHONE_LABEL || r == R_MSG_KW))
            return true;
    }
    return false;
}

/* The id after a keyword: letters and digits (Chinese numerals count as digits) from p, at
 * most `max` + 1 characters (one more than an id may have, which is enough to refuse a longer
 * run without walking all of it), up to another contact's keyword; their number in *chars. */
static uint32_t id_end(const struct field *f, uint32_t p, uint32_t max, bool *letters,
                       uint32_t *chars)
{
    uint32_t q = p, k = 0;
    *letters = false;
    while (q < f->n && k <= max) {
        int l = 1;
        if (q > p && next_contact(f, q))
            break;
        if (sw__is_letter(f->norm[q]))
            *letters = true;
        else if (digit_at(f, q, &l) < 0)
            break;
        q += (uint32_t)l;
        k++;
    }
    *chars = k;
    return q;
}

/* The digits from p (Chinese numerals count), at most max + 1; their number in *chars. */
static uint32_t digits_end(const struct field *f, uint32_t p, uint32_t max, uint32_t *chars)
{
    uint32_t q = p, k = 0;
    int l = 1;
    while (q < f->n && k <= max && digit_at(f, q, &l) >= 0) {
        q += (uint32_t)l;
        k++;
    }
    *chars = k;
    return q;
}

/* The digits of a number from p (Chinese numerals count; one '-' may stand between two digits:
 * 0571-8888888), at most PHONE_MAX + 1; their number in *chars. */
static uint32_t number_end(const struct field *f, uint32_t p, uint32_t *chars)
{
    uint32_t q = p, k = 0;
    int l = 1;
    while (q < f->n && k <= PHONE_INTL_MAX) {
        if (f->norm[q] == '-' && k > 0 && q + 1 < f->n && digit_at(f, q + 1, &l) >= 0) {
            q++;
            continue;
        }
        if (digit_at(f, q, &l) < 0)
            break;
        q += (uint32_t)l;
        k++;
    }
    *chars = k;
    return q;
}

/* A group keyword (加群, 进群, 粉丝群, q群: it ends in 群) may stand a few words before its
 * number: 加群领福利 768594321. */
#define GROUP_REACH 4

static bool group_keyword(const struct field *f, const struct hit *h)
{
    return h->to - h->from >= 3 && memcmp(f->norm + h->to - 3, "群", 3) == 0;
}

/* Past at most n CJK characters (not numerals) and the spaces or ':' after them. */
static uint32_t past_words(const struct field *f, uint32_t p, int n)
{
    for (int k = 0; k < n && p + 3 <= f->n; k++) {
        int l = 1;
        unsigned char c = (unsigned char)f->norm[p];
        if ((c & 0xF0) != 0xE0 || digit_at(f, p, &l) >= 0)
            break;
        p += 3;
    }
    return skip_filler(f, p);
}

/* Whether the ASCII letter at norm[from] goes on from a letter before it in the original text
 * ("wx" of "lwx"); a space ends a word there, though the normalised text drops it ("on WeChat").
 */
static bool inside_word(const struct field *f, uint32_t from)
{
    if (!sw__is_letter(f->norm[from]))
        return false;
    uint32_t s = f->map[from];
    return s > 0 && s <= f->olen && isalpha((unsigned char)f->orig[s - 1]);
}

/* A messaging app's name is a word of its own (LINE of "A-Line", Signal of "signal strength"):
 * its id counts only after a marker (ID:, 号, 搜, @), or after an '@' a few words on (LINEで
 * お問い合わせ：@529xqpt, Line 加好友 @jp-kusuri). */
#define MSG_REACH 8

static void messaging_id(const struct field *f, int fi, const struct hit *h, struct out *o)
{
    uint32_t p = skip_filler(f, h->to);
    bool marked = false; /* ':', '@', '=', '+', id or a word (号, 搜): not a comma or a bracket */
    for (uint32_t k = h->to; k < p && !marked; k++) {
        unsigned char c = (unsigned char)f->norm[k];
        bool id = c == 'i' && k + 1 < p && f->norm[k + 1] == 'd'; /* the filler word id */
        marked = c == ':' || c == '@' || c == '=' || c == '+' || id || (c >= 0xE4 && c <= 0xE9);
    }
    if (!marked) {
        p = past_words(f, h->to, MSG_REACH);
        if (p == h->to || f->norm[p - 1] != '@')
            return;
    }
    bool letters;
    uint32_t len, q = id_end(f, p, WX_ID_MAX, &letters, &len);
    if (len >= WX_ID_MIN && len <= WX_ID_MAX)
        sw__ev_norm(sw__add_at(o, &f->sc->messaging, f, fi, h->from, q), f, p, q);
}

static void digits_of(const struct field *f, uint32_t from, uint32_t n, char *d);

/* "+ " then a keyword letter that goes on in letters only (the + V of "Calcium + Vitamin D"): a
 * word joined by a plus, not WeChat. A keyword glued to what follows (加vxwangxiaoming, +Vabc)
 * is still one. */
static bool word_goes_on(const struct field *f, const struct hit *h)
{
    if (h->to == 0 || !sw__is_letter(f->norm[h->to - 1]) || f->norm[h->from] != '+')
        return false;
    uint32_t s, e;
    sw__orig_span(f, h->from, h->to, &s, &e);
    if (s + 1 >= f->olen || f->orig[s + 1] != ' ')
        return false; /* only "+ V…" with a space, as between two words: +Vabc is an id */
    uint32_t k = e;
    while (k < f->olen && isalpha((unsigned char)f->orig[k]))
        k++;
    return k - e >= 4 && !(k < f->olen && isdigit((unsigned char)f->orig[k]));
}

/* +V of +VD, +VC, +VB12 (钙+VD, 维C+VE): a vitamin joined to another, not an invitation (+V
 * before an id of more letters is one: +Vabc). */
static bool vitamin(const struct field *f, const struct hit *h)
{
    if (h->to - h->from != 2 || f->norm[h->from] != '+' || f->norm[h->from + 1] != 'v')
        return false;
    uint32_t s, e;
    sw__orig_span(f, h->from, h->to, &s, &e);
    if (e >= f->olen || !memchr("ABCDEKabcdek", f->orig[e], 12))
        return false;
    return e + 1 >= f->olen || !isalpha((unsigned char)f->orig[e + 1]);
}

/* 威 as the end of a word it is no WeChat in (挪威 Norway: an id-like English name follows). */
static bool in_cjk_word(const struct field *f, const struct hit *h)
{
    static const char *const before[] = {"挪", "权", "示"};
    if (h->to - h->from != 3 || h->from < 3 || memcmp(f->norm + h->from, "威", 3) != 0)
        return false;
    for (size_t k = 0; k < sizeof before / sizeof before[0]; k++)
        if (memcmp(f->norm + h->from - 3, before[k], 3) == 0)
            return true;
    return false;
}

/* A keyword letter right after a number is a unit (3.7V, 220v: volts), not WeChat; a keyword of
 * more letters after a space is a word of its own (电话 13800138000 vx abcde99). */
static bool after_number(const struct field *f, const struct hit *h)
{
    if (h->from == 0 || !sw__is_letter(f->norm[h->from]) || f->norm[h->from - 1] < '0' ||
        f->norm[h->from - 1] > '9')
        return false;
    uint32_t os, oe;
    sw__orig_span(f, h->from, h->to, &os, &oe);
    return h->to - h->from == 1 || oe - os != h->to - h->from || os == 0 ||
           f->orig[os - 1] != ' '; /* W x of 120 W x 40 D x 80 H cm: dimensions' letters */
}

void sw__contacts(const struct field *f, int fi, struct out *o)
{
    const struct sw_scanner *sc = f->sc;
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        int r = sw__role(f, h);
        if (r == R_MSG_KW && !inside_word(f, h->from)) {
            messaging_id(f, fi, h, o);
        } else if (r == R_WX_KW || r == R_QQ_KW) {
            if (inside_word(f, h->from) || word_goes_on(f, h) ||
                (r == R_WX_KW && (in_cjk_word(f, h) || after_number(f, h))))
                continue;
            bool wx = r == R_WX_KW, letters;
            uint32_t p = skip_filler(f, h->to);
            uint32_t len, q = id_end(f, p, wx ? WX_ID_MAX : QQ_ID_MAX, &letters, &len);
            if (!wx && len == 0 && group_keyword(f, h))
                q = id_end(f, p = past_words(f, p, GROUP_REACH), QQ_ID_MAX, &letters, &len);
            if (!wx && letters) /* QQ-2861937745-AY38: a QQ number is its digits */
                q = digits_end(f, p, QQ_ID_MAX, &len), letters = false;
            bool ok = wx ? len >= WX_ID_MIN && len <= WX_ID_MAX
                         : !letters && len >= QQ_ID_MIN && len <= QQ_ID_MAX;
            if (!ok)
                continue;
            sw__ev_norm(sw__add_at(o, wx ? &sc->wechat : &sc->qq, f, fi, h->from, q), f, p, q);
        } else if (r == R_PHONE_LABEL) {
            if (inside_word(f, h->from))
                continue; /* inside a word (hotel) */
            uint32_t len, p = skip_filler(f, h->to), q = number_end(f, p, &len);
            char cc[2] = {0, 0};
            if (len > PHONE_MAX)
                digits_of(f, p, 2, cc); /* 0033 6 12 34 56 78: 00, a country code and its number */
            if (len >= PHONE_MIN &&
                (len <= PHONE_MAX || (len <= PHONE_INTL_MAX && cc[0] == '0' && cc[1] == '0')))
                sw__ev_norm(sw__add_at(o, &sc->phone, f, fi, h->from, q), f, p, q);
        } else if (r == R_WX_INVITE) {
            if (word_goes_on(f, h) || vitamin(f, h) || sw__negated(f, h->from) ||
                sw__in_negation_scope(f, h->from) || sw__asked(f, h->to) ||
                sw__word_in_sentence(f, &sc->invite_warnings, h->from, h->to, SW_WARN_BACK,
                                     SW_WARN_AHEAD))
                continue; /* 本店不会要求您加微信, 能加微信吗？, 让你加微信的都是骗子 */
            struct finding *x = sw__add_at(o, &sc->wechat, f, fi, h->from, h->to);
            sw__ev_norm(x, f, h->from, h->to);
            if (x)
                x->weak_ev = true;
        }
    }
}

static bool phone_like(const char *d, size_t n)
{
    if (n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9')
        return true; /* mobile */
    if ((n == 11 || n == 12) && d[0] == '0' && d[1] >= '1' && d[1] <= '9')
        return true; /* landline with area code */
    if (n == 10 && (strncmp(d, "400", 3) == 0 || strncmp(d, "800", 3) == 0))
        return true; /* service numbers */
    if (n == 11 && (strncmp(d, "852", 3) == 0 || strncmp(d, "853", 3) == 0))
        return true; /* Hong Kong and Macau: the area code and 8 digits ((852) 2788 3456) */
    return false;
}

/* The n digits from norm[from..) (digits or Chinese numerals; a ',' between is skipped) into d. */
static void digits_of(const struct field *f, uint32_t from, uint32_t n, char *d)
{
    for (uint32_t k = 0; k < n && from < f->n;) {
        int l = 1, v = run_digit(f, from, &l);
        if (v >= 0)
            d[k++] = (char)('0' + v);
        from += (uint32_t)l;
    }
}

/* Four or more groups of four digits each (4921 0836 5517 2234): an order, card or tracking
 * number written the way those are, whose groups no phone number is cut from. gc holds the
 * groups' offsets in digits, gc[ng] the run's length. */
static bool card_like(const uint32_t *gc, int ng)
{
    if (ng < 4)
        return false;
    for (int k = 0; k < ng; k++)
        if (gc[k + 1] - gc[k] != 4)
            return false;
    return true;
}

static uint32_t prev_cp_nonspace(const struct field *f, uint32_t off, uint32_t *start);
static uint32_t prev_cp(const struct field *f, uint32_t off, uint32_t *start);

/* A number in international form: a '+' before a run of 10-15 digits (+81 90-1234-5678, +44
 * 7700 900123; E.164 numbers have at most 15). */
static bool international(const struct field *f, uint32_t from, uint32_t digits)
{
    uint32_t ps, cp = prev_cp_nonspace(f, f->map[from], &ps);
    return digits >= 10 && digits <= 15 && (cp == '+' || cp == 0xFF0B || cp == 0x2795);
}

/* A QQ number after the letter Q alone (批发Q 2836615907): a run of 10-11 digits, not starting
 * with 0, right after a Q (spaces and ':' between) that is no part of a word. */
static bool q_before(const struct field *f, uint32_t from, uint32_t digits)
{
    if (digits < 10 || digits > 11 || f->norm[from] == '0')
        return false;
    uint32_t ps, cp = prev_cp_nonspace(f, f->map[from], &ps);
    if ((cp == ':' || cp == 0xFF1A) && ps > 0)
        cp = prev_cp_nonspace(f, ps, &ps);
    if (cp != 'q' && cp != 'Q')
        return false;
    uint32_t s2, before = ps > 0 ? prev_cp(f, ps, &s2) : 0;
    return !(before < 0x80 && isalnum((int)before));
}

/* Runs of digits (Chinese numerals count: 一五八 三三六二..., and a ',' or a line break may
 * stand between groups): a phone number is the whole run, or whole groups of it where the original
 * had separators between groups ("139 1234 5678" next to other numbers). Each run is read once; at
 * most 12 digits are tried from each group start. g holds the groups' byte offsets, gc their
 * offsets in digits. */
void sw__phones(const struct field *f, int fi, struct out *o)
{
    enum { MAXG = 64 };
    for (size_t i = 0; i + 1 < f->runs.n; i += 2) {
        uint32_t from = f->runs.v[i], to = f->runs.v[i + 1];
        while (to > from && f->norm[to - 1] == 'o') /* 15o is fifteen, then a letter */
            to--;
        uint32_t g[MAXG + 1], gc[MAXG + 1], k = from, c = 0;
        int ng = 0;
        g[ng] = from;
        gc[ng++] = 0;
        while (k < to) {
            int l = 1;
            if (run_digit(f, k, &l) < 0) { /* a ',' or a line break between groups */
                k += (uint32_t)l;
                if (k < to && ng < MAXG && gc[ng - 1] != c) {
                    g[ng] = k;
                    gc[ng++] = c;
                }
                continue;
            }
            uint32_t next = k + (uint32_t)l;
            int nl = 1;
            c++;
            if (next < to && ng < MAXG && run_digit(f, next, &nl) >= 0 &&
                f->map[next] != f->map[k] + (uint32_t)sw__orig_char_len(f, f->map[k])) {
                g[ng] = next;
                gc[ng++] = c;
            }
            k = next;
        }
        g[ng] = to;
        gc[ng] = c;
        if (card_like(gc, ng))
            continue;
        if (f->sc->code_labels.n && sw__word_behind(f, &f->sc->code_labels, from, 2))
            continue; /* 批号：13820240518, 备案号 ...: a code */
        if (q_before(f, from, c)) {
            char d[16];
            digits_of(f, from, c, d);
            sw__evidence(o, sw__add_at(o, &f->sc->qq, f, fi, from, to), "%.*s", (int)c, d);
            continue;
        }
        if (international(f, from, c)) {
            char d[16];
            digits_of(f, from, c, d);
            struct finding *x = sw__add_at(o, &f->sc->phone, f, fi, from, to);
            if (x)
                sw__evidence(o, x, "+%.*s", (int)c, d);
            continue;
        }
        for (int a = 0; a < ng; a++)
            for (int b = a + 1; b <= ng; b++) {
                uint32_t len = gc[b] - gc[a];
                if (len > 12)
                    break;
                char d[13];
                digits_of(f, g[a], len, d);
                if (!phone_like(d, len))
                    continue;
                uint32_t end = g[b];
                while (end > g[a] + 1 && (f->norm[end - 1] == ',' || f->norm[end - 1] == '\n'))
                    end--;
                struct finding *x = sw__add_at(o, &f->sc->phone, f, fi, g[a], end);
                if (x)
                    sw__evidence(o, x, "%.*s", (int)len, d);
                a = b - 1; /* go on after this number */
                break;
            }
    }
}

/* The code point before original offset `off`; its offset in *start. */
static uint32_t prev_cp(const struct field *f, uint32_t off, uint32_t *start)
{
    if (off == 0) {
        *start = 0;
        return 0;
    }
    uint32_t k = off - 1;
    while (k > 0 && ((unsigned char)f->orig[k] & 0xC0) == 0x80)
        k--;
    *start = k;
    int l;
    return sw__cp_at(f->orig + k, f->olen - k, &l);
}

/* The code point before `off` past at most 3 spaces ("shop 点 com", "shop . com"). */
static uint32_t prev_cp_nonspace(const struct field *f, uint32_t off, uint32_t *start)
{
    uint32_t cp = prev_cp(f, off, start);
    for (int k = 0; k < 3 && (cp == ' ' || cp == 0x3000 || cp == '\t') && *start > 0; k++)
        cp = prev_cp(f, *start, start);
    return cp;
}

static bool dot_like(uint32_t cp)
{
    return cp == '.' || cp == 0xFF0E || cp == 0x3002 || cp == 0xB7 || cp == 0x70B9 /* 点 */ ||
           cp == 0x9EDE /* 點, read in the original text */ || cp == 0x4E36 /* 丶 */ ||
           cp == 0x2022 || cp == 0x30FB || cp == 0xFF61 || cp == 0x2024 || cp == 0xFE52;
}

static bool alnum_cp(uint32_t cp)
{
    if (cp >= 0x10000)
        return false;
    int c = sw_norm_class(cp);
    return c == SW_NC_LETTER || c == SW_NC_DIGIT;
}

/* A walk over one run of characters: from `a` it reached `b` and stopped there (a <= b for a
 * forward walk, a >= b for a backward one). A later walk that steps onto any position between
 * a and b would stop at b too, so it jumps there. */
struct walk {
    bool set;
    uint32_t a, b;
};

static bool walk_between(const struct walk *w, uint32_t pos)
{
    return w->set && (w->a <= w->b ? pos >= w->a && pos <= w->b : pos <= w->a && pos >= w->b);
}

/* A URL after http:, https:, www: letters, digits and : ? = & % # @ + (normalised text). */
static uint32_t url_end(const struct field *f, uint32_t from, struct walk *w)
{
    uint32_t q = from;
    while (q < f->n && (sw__is_alnum(f->norm[q]) || strchr(":?=&%#@+", f->norm[q])) && f->norm[q]) {
        if (walk_between(w, q)) {
            q = w->b;
            break;
        }
        q++;
    }
    if (!w->set || q > w->b)
        *w = (struct walk){true, from, q};
    return q;
}

/* Where a domain starts whose last label starts at `label_start` (original text): its labels,
 * dots and hyphens, walked back. */
static uint32_t domain_start(const struct field *f, uint32_t label_start, struct walk *w)
{
    uint32_t start = label_start, ps;
    for (;;) {
        if (walk_between(w, start)) {
            start = w->b;
            break;
        }
        uint32_t cp = prev_cp(f, start, &ps);
        if (start == 0 || !(alnum_cp(cp) || dot_like(cp) || cp == '-'))
            break;
        start = ps;
    }
    if (!w->set || label_start > w->a)
        *w = (struct walk){true, label_start, start};
    return start;
}

static bool bracket_cp(uint32_t cp, bool open)
{
    return open ? cp == '(' || cp == '[' || cp == 0xFF08 || cp == 0x3010
                : cp == ')' || cp == ']' || cp == 0xFF09 || cp == 0x3011;
}

/* The dot before original offset `off`: a dot-like character past spaces, or the word "dot"
 * (any case), 点 or a dot in brackets, "(dot)", "[点]", "[.]", or "dot" between spaces ("126 dot
 * com"). Its start in *start. */
static bool dot_before(const struct field *f, uint32_t off, uint32_t *start)
{
    uint32_t cp = prev_cp_nonspace(f, off, start);
    if (dot_like(cp))
        return true;
    bool bracketed = bracket_cp(cp, false);
    uint32_t p = bracketed ? *start : off;
    if (bracketed)
        cp = prev_cp(f, p, start);
    else
        cp = prev_cp_nonspace(f, p, start);
    if ((cp == 0x70B9 || dot_like(cp)) && bracketed) { /* (点), [.] */
        p = *start;
    } else {
        /* "dot": three letters before, not part of a longer word unless bracketed */
        uint32_t e = bracketed ? p : *start + 1;
        if (e < 3 || strncasecmp(f->orig + e - 3, "dot", 3) != 0)
            return false;
        p = e - 3;
        uint32_t ps;
        uint32_t before = prev_cp(f, p, &ps);
        if (!bracketed && before != ' ' && before != 0x3000)
            return false;
    }
    if (bracketed) {
        uint32_t ps;
        if (!bracket_cp(prev_cp(f, p, &ps), true))
            return false;
        p = ps;
    }
    *start = p;
    return true;
}

/* A top-level domain that ends a domain in the original text ("t.cn/abc" does, "x.command"
 * does not): the finding's start, or UINT32_MAX. */
static uint32_t domain_at(const struct field *f, const struct hit *h, uint32_t *end, struct walk *w)
{
    uint32_t ts, te;
    sw__orig_span(f, h->from, h->to, &ts, &te);
    int cl = 0;
    if (te < f->olen && alnum_cp(sw__cp_at(f->orig + te, f->olen - te, &cl)))
        return UINT32_MAX;
    uint32_t dot_start, label_start, ps;
    if (prev_cp(f, ts, &ps) == 0x3002 && isupper((unsigned char)f->orig[ts]) &&
        !isupper((unsigned char)f->orig[te - 1]))
        return UINT32_MAX; /* 。Net 900g: a sentence starts, in a capital */
    if (!dot_before(f, f->map[h->from], &dot_start) ||
        !alnum_cp(prev_cp_nonspace(f, dot_start, &label_start)))
        return UINT32_MAX;
    *end = te;
    return domain_start(f, label_start, w);
}

/* What follows an '@' is a mail domain: letters (qq, gmail), or digits followed by a dot (163.com);
 * "Serve @ 0-4°C" is a temperature. */
static bool mail_domain(const struct field *f, uint32_t from, uint32_t to)
{
    for (uint32_t k = from; k < to; k++)
        if (sw__is_letter(f->norm[k]))
            return true;
    if (to >= f->n)
        return false;
    int l;
    uint32_t s = f->map[to];
    return s < f->olen && dot_like(sw__cp_at(f->orig + s, f->olen - s, &l));
}

/* A space before the '@' (in the original text), none after it and no dot after the name: a
 * mention (30ml @cosme: the awards' site named after a size), no address (abc @ qq is one
 * spaced out). */
static bool mention(const struct field *f, const struct hit *at, uint32_t to)
{
    uint32_t s = f->map[at->from];
    if (s == 0 || s + 1 >= f->olen || f->orig[s + 1] == ' ' ||
        !(f->orig[s - 1] == ' ' || (s >= 3 && sw__space_at(f->orig, s, s - 3))))
        return false;
    int l;
    uint32_t e = to < f->n ? f->map[to] : f->olen;
    return !(e < f->olen && dot_like(sw__cp_at(f->orig + e, f->olen - e, &l)));
}

void sw__links(const struct field *f, int fi, struct out *o)
{
    const struct sw_scanner *sc = f->sc;
    struct walk fwd = {0}, back = {0};
    size_t tld = SIZE_MAX;                    /* the last domain's finding */
    uint32_t full_s = UINT32_MAX, full_e = 0; /* the last URL finding with full evidence */
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        int r = sw__role(f, h);
        if (r == R_URL_SCHEME) {
            if (h->from > 0 && sw__is_letter(f->norm[h->from - 1]))
                continue;
            uint32_t q = url_end(f, h->to, &fwd);
            if (q == h->to)
                continue;
            /* "http:http:...": every scheme starts a URL to the same end. Once one of them has
             * full evidence (255 bytes), the later ones would merge into it and add nothing. */
            uint32_t s, e;
            sw__orig_span(f, h->from, q, &s, &e);
            if (full_s <= s && e == full_e)
                continue;
            struct finding *x = sw__add(o, &sc->url, fi, s, e);
            sw__ev_excerpt(x, f);
            if (x && e - s >= SW_EVIDENCE_CAP - 1 && !memchr(f->orig + s, 0, SW_EVIDENCE_CAP - 1)) {
                full_s = s;
                full_e = e;
            }
        } else if (r == R_TLD) {
            uint32_t te, start = domain_at(f, h, &te, &back);
            if (start == UINT32_MAX)
                continue;
            /* "a.com.com...": each TLD ends a longer domain from the same start. The shorter
             * findings would merge into the longest (same start, its evidence a prefix of the
             * longest's), so the longest replaces them instead of 250,000 findings per MiB. */
            struct finding *x;
            if (tld != SIZE_MAX && o->v[tld].s == start && te >= o->v[tld].e) {
                x = sw__renew(o, tld, te);
            } else {
                x = sw__add(o, &sc->url, fi, start, te);
                tld = x ? (size_t)(x - o->v) : SIZE_MAX;
            }
            sw__ev_excerpt(x, f);
        } else if (r == R_AT) {
            /* the walks stop at the neighbouring '@' (kept, not a letter): each byte is walked
             * at most twice */
            uint32_t a = h->from, q = h->to;
            while (a > 0 && sw__is_alnum(f->norm[a - 1]))
                a--;
            while (q < f->n && sw__is_alnum(f->norm[q]))
                q++;
            if (a == h->from || q - h->to < 2 || !mail_domain(f, h->to, q) || mention(f, h, q))
                continue;
            sw__ev_excerpt(sw__add_at(o, &sc->email, f, fi, a, q), f);
        }
    }
}

/* ---- QR codes in images ---- */

/* The images' pixels as their headers declare them, against the policy's budgets for one image
 * and for all of them together: checked for every image before any is decoded. */
static int check_images(const struct sw_scanner *sc, const struct sw_listing *l,
                        struct sw_error *err)
{
    int64_t total = 0;
    for (int i = 0; i < l->nimages; i++) {
        char field[32];
        snprintf(field, sizeof field, "images[%d]", i);
        uint32_t w, h;
        int rc = sw_image_dimensions(l->images[i].data, l->images[i].len, &w, &h, err);
        if (rc) {
            snprintf(err->field, sizeof err->field, "%s", field);
            return rc;
        }
        int64_t px = (int64_t)w * h;
        if (px > sc->max_image_pixels)
            return sw_fail(err, SW_E_IMAGE_TOO_LARGE, field,
                           "%s is %ux%u pixels, more than the %lld one image may have", field, w, h,
                           (long long)sc->max_image_pixels);
        total += px;
        if (total > sc->max_request_pixels)
            return sw_fail(err, SW_E_IMAGE_TOO_LARGE, field,
                           "images up to %s have %lld pixels, more than the %lld one scan may "
                           "have",
                           field, (long long)total, (long long)sc->max_request_pixels);
    }
    return SW_OK;
}

/* QR codes in the listing's images, one finding each (diversion.qr_code). */
int sw__qr_codes(const struct sw_scanner *sc, const struct sw_listing *l, struct out *o,
                 struct sw_error *err)
{
    int rc = check_images(sc, l, err);
    for (int i = 0; rc == SW_OK && i < l->nimages; i++) {
        json_t *texts = json_array();
        rc = sw_image_qr_codes(l->images[i].data, l->images[i].len, texts, err);
        if (rc)
            snprintf(err->field, sizeof err->field, "images[%d]", i);
        size_t k;
        json_t *v;
        json_array_foreach(texts, k, v)
        {
            struct finding *x = sw__add(o, &sc->qr, -1, 0, 0);
            if (!x)
                continue;
            x->where = "images";
            x->alt = l->images[i].name;
            sw__evidence(o, x, "%s", json_string_value(v));
        }
        json_decref(texts);
    }
    return rc;
}
