/* Looking around a hit (scan.c finds them): the words behind and ahead of it in its clause or
 * sentence, the negation scope, questions, disclaimers, what a listing was (consistency.previous),
 * and the word lists' detector, which decides whether a list word or phrase is a claim. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "scan/detect.h"
#include "scan/normclass.h"

/* The length of the longest of `words` that ends at pos, or 0. */
static uint32_t word_ending(const struct field *f, const struct sw_words *words, uint32_t pos)
{
    uint32_t best = 0;
    if (pos >= 2 && !sw__words_may_end(words, f->norm + pos))
        return 0;
    const char last = pos ? f->norm[pos - 1] : 0;
    for (int i = 0; i < words->n; i++) {
        uint32_t l = words->len[i];
        /* the last byte first: most words end otherwise, and a call costs more than a byte */
        if (l > best && pos >= l && words->w[i][l - 1] == last &&
            memcmp(f->norm + pos - l, words->w[i], l) == 0)
            best = l;
    }
    return best;
}

/* A claim (a list word or a phrase's object) that ends at pos: where it starts, or pos. Hits
 * are sorted by end: a binary search. */
static uint32_t claim_ending(const struct field *f, uint32_t pos)
{
    size_t lo = sw__first_hit_ending(f, pos);
    uint32_t from = pos;
    for (size_t i = lo; i < f->nhits && f->hits[i].to == pos; i++) {
        int r = sw__role(f, &f->hits[i]);
        if ((r == R_TERM || r == R_OBJECT) && f->hits[i].from < from)
            from = f->hits[i].from;
    }
    return from;
}

/* A phrase verb (of any phrase) that ends at pos: its length, or 0. */
static uint32_t verb_ending(const struct field *f, uint32_t pos)
{
    uint32_t best = 0;
    if (pos >= 2 && !sw__words_may_end(&f->sc->verbs_any, f->norm + pos))
        return 0; /* no verb of any phrase ends here (most positions) */
    for (int p = 0; p < f->sc->nphrases; p++) {
        uint32_t l = word_ending(f, &f->sc->phrases[p].verbs, pos);
        best = l > best ? l : best;
    }
    return best;
}

static uint32_t char_back(const struct field *f, uint32_t pos)
{
    do
        pos--;
    while (pos > 0 && ((unsigned char)f->norm[pos] & 0xC0) == 0x80);
    return pos;
}

/* The negation scope (docs/scan.md "Negation"): a scope word governs the claims after it in its
 * clause when only fillers (具有, 任何, 或...), other claims and phrase verbs stand between,
 * up to scope_reach characters back: 不具有美白祛斑功效, 无减肥作用, 不能预防或治疗. A bounded
 * walk: each step moves back at least one character. */
/* Where the longest claim covering `from` starts: a claim inside a longer one (加微信 in
 * 添加微信) stands where the longer one does. */
static uint32_t covering_start(const struct field *f, uint32_t from)
{
    uint32_t start = from;
    for (size_t i = sw__first_hit_ending(f, from + 1); i < f->nhits && f->hits[i].to <= from + 48;
         i++) {
        int r = sw__role(f, &f->hits[i]);
        if (f->hits[i].from < start && (r == R_TERM || r == R_OBJECT || r == R_WX_INVITE))
            start = f->hits[i].from;
    }
    return start;
}

/* Whether norm[from, to) lies inside a promise of a service (七天无理由: its 无 negates nothing).
 * Promises are short: only hits ending within PROMISE_AHEAD bytes after `to` are looked at. */
#define PROMISE_AHEAD 48
static bool inside_promise(const struct field *f, uint32_t from, uint32_t to)
{
    for (size_t i = sw__first_hit_ending(f, to);
         i < f->nhits && f->hits[i].to <= to + PROMISE_AHEAD; i++)
        if (f->hits[i].from <= from && sw__role(f, &f->hits[i]) == R_PROMISE)
            return true;
    return false;
}

bool sw__in_negation_scope(const struct field *f, uint32_t from)
{
    const struct sw_scanner *sc = f->sc;
    if (!sc->scope_reach)
        return false;
    uint32_t pos = covering_start(f, from);
    for (int step = 0; step < sc->scope_reach && pos > 0; step++) {
        uint32_t w = word_ending(f, &sc->scope_words, pos);
        if (!w)
            w = word_ending(f, &sc->negations, pos);
        if (w)
            return !inside_promise(f, pos - w, pos);
        uint32_t l = word_ending(f, &sc->scope_fillers, pos);
        if (l) {
            pos -= l;
            continue;
        }
        uint32_t c = claim_ending(f, pos);
        if (c < pos) {
            pos = c;
            continue;
        }
        if ((l = verb_ending(f, pos))) {
            pos -= l;
            continue;
        }
        if (memcmp(f->norm + char_back(f, pos), "、", 3) == 0 && pos >= 3) {
            pos -= 3;
            continue;
        }
        return false;
    }
    return false;
}

static bool clause_end(const struct field *f, uint32_t pos);

/* A claim asked about, not made (Q：可以祛痘吗？ 吃这个能减肥吗): a question word within
 * QUESTION_REACH characters after it in its clause, or a question mark ending the clause. */
#define QUESTION_REACH 6

bool sw__asked(const struct field *f, uint32_t to)
{
    const struct sw_scanner *sc = f->sc;
    if (!sc->questions.n)
        return false;
    uint32_t pos = to;
    for (int step = 0; step <= QUESTION_REACH && pos < f->n; step++) {
        if (sw__word_ahead(f, &sc->questions, pos))
            return true;
        if (clause_end(f, pos))
            return f->norm[pos] == '?' || memcmp(f->norm + pos, "？", 3) == 0;
        int l = 0;
        sw__cp_at(f->norm + pos, f->n - pos, &l);
        pos += (uint32_t)(l > 0 ? l : 1);
    }
    return false;
}

static bool sentence_end(const struct field *f, uint32_t pos)
{
    unsigned char c = (unsigned char)f->norm[pos];
    return c == 0xFF || c == '\n' || c == '!' || c == '?' || c == '.' ||
           (pos + 3 <= f->n &&
            (memcmp(f->norm + pos, "。", 3) == 0 || memcmp(f->norm + pos, "！", 3) == 0 ||
             memcmp(f->norm + pos, "？", 3) == 0));
}

bool sw__word_before_unless(const struct field *f, const struct sw_words *words,
                            const struct sw_words *but, uint32_t from, int back)
{
    uint32_t pos = from;
    for (int step = 0; step <= back && pos > 0 && words->n; step++) {
        if (but && but->n && word_ending(f, but, pos))
            return false;
        if (word_ending(f, words, pos))
            return true;
        pos = char_back(f, pos);
        if (sentence_end(f, pos))
            break;
    }
    return false;
}

/* A word of words starting within `ahead` characters from norm offset to, before the sentence's
 * end (and a comma, when `comma`). */
static bool word_ahead_within(const struct field *f, const struct sw_words *words, uint32_t to,
                              int ahead, bool comma)
{
    uint32_t pos = to;
    for (int step = 0;
         step <= ahead && pos < f->n && !sentence_end(f, pos) && !(comma && f->norm[pos] == ',');
         step++) {
        if (sw__word_ahead(f, words, pos))
            return true;
        int l = 0;
        sw__cp_at(f->norm + pos, f->n - pos, &l);
        pos += (uint32_t)(l > 0 ? l : 1);
    }
    return false;
}

bool sw__word_in_sentence(const struct field *f, const struct sw_words *words, uint32_t from,
                          uint32_t to, int back, int ahead)
{
    if (!words->n)
        return false;
    return sw__word_before_unless(f, words, NULL, from, back) ||
           word_ahead_within(f, words, to, ahead, false);
}

bool sw__word_ahead_before_comma(const struct field *f, const struct sw_words *words, uint32_t to,
                                 int ahead)
{
    return words->n && word_ahead_within(f, words, to, ahead, true);
}

/* A disclaimer's frame around a claim (不具有补铁或治疗贫血的作用, 无护眼、治疗作用): a scope
 * word before it and an effect word (作用, 功效, 效果, 疗效) after it, each within reach
 * characters in its clause, whatever else stands between. */
#define DISCLAIMER_REACH 12

static bool disclaimed(const struct field *f, uint32_t from, uint32_t to)
{
    static const char *const effects[] = {"作用", "功效", "效果", "疗效"};
    bool effect = false;
    uint32_t pos = to;
    for (int step = 0; step < DISCLAIMER_REACH && pos < f->n && !effect; step++) {
        if (clause_end(f, pos))
            break;
        for (size_t k = 0; k < sizeof effects / sizeof effects[0] && !effect; k++)
            effect = pos + 6 <= f->n && memcmp(f->norm + pos, effects[k], 6) == 0;
        int l = 0;
        sw__cp_at(f->norm + pos, f->n - pos, &l);
        pos += (uint32_t)(l > 0 ? l : 1);
    }
    if (!effect)
        return false;
    return sw__word_behind_in_clause(f, &f->sc->scope_words, from, DISCLAIMER_REACH - 1);
}

static bool list_negated(const struct field *f, int list, uint32_t from, uint32_t to)
{
    return f->sc->lists[list].negatable &&
           (sw__negated(f, from) || sw__in_negation_scope(f, from) || sw__asked(f, to) ||
            disclaimed(f, from, to));
}

/* A boundary the gap of a phrase does not cross: kept punctuation other than 、 (a list
 * inside a clause) and the marks around a title or a quote (CCTV-7《农广天地》推荐, 被称为“神药”),
 * and the 0xFF between fields. */
static bool clause_end(const struct field *f, uint32_t pos)
{
    unsigned char c = (unsigned char)f->norm[pos];
    if (c < 0x80)
        return !sw__is_alnum((char)c);
    if (c == 0xFF)
        return true;
    if (c >= 0xE4 && c <= 0xE9)
        return false; /* an ideograph (U+4E00..U+9FFF): most characters, no punctuation; the
                       * lead byte already read (sw__ideograph_at reads it again: +0.17 M) */
    int l = 0;
    uint32_t cp = sw__cp_at(f->norm + pos, f->n - pos, &l);
    bool inside = cp == 0x3001 || (cp >= 0x3008 && cp <= 0x300F) || cp == 0x201C || cp == 0x201D;
    return !inside && cp < 0x10000 && sw_norm_class(cp) == SW_NC_PUNCT;
}

bool sw__gone(const struct field *f, uint32_t to, int reach)
{
    return f->sc->prev_gone.n && sw__word_in_sentence(f, &f->sc->prev_gone, to, to, 0, reach);
}

bool sw__withdrawn(const struct field *f, uint32_t from, uint32_t to)
{
    return sw__gone(f, to, 8) ||
           (f->sc->prev_gone.n && sw__word_behind_in_clause(f, &f->sc->prev_gone, from, 2));
}

bool sw__previous(const struct field *f, uint32_t pos)
{
    const struct sw_scanner *sc = f->sc;
    if (!sc->prev_words.n)
        return false;
    for (int step = 0; step <= sc->prev_reach && pos > 0; step++) {
        uint32_t l = word_ending(f, &sc->prev_words, pos);
        /* not the marker: a word starting where it starts (原味) or ending where it ends (理由) */
        if (l && !(sc->prev_not.n && sw__word_ahead(f, &sc->prev_not, pos - l)) &&
            !(sc->prev_not_ending.n && word_ending(f, &sc->prev_not_ending, pos) > l))
            return true;
        pos = char_back(f, pos);
        if (clause_end(f, pos))
            return false;
    }
    return false;
}

bool sw__word_behind_in_clause(const struct field *f, const struct sw_words *words, uint32_t pos,
                               int reach)
{
    return sw__word_behind_in_clause_unless(f, words, NULL, pos, reach);
}

bool sw__word_behind_in_clause_unless(const struct field *f, const struct sw_words *words,
                                      const struct sw_words *but, uint32_t pos, int reach)
{
    for (int step = 0; step <= reach && pos > 0; step++) {
        if (but && word_ending(f, but, pos))
            return false;
        if (word_ending(f, words, pos))
            return true;
        pos = char_back(f, pos);
        if (clause_end(f, pos))
            return false;
    }
    return false;
}

static bool comma_at(const struct field *f, uint32_t pos)
{
    return f->norm[pos] == ',' || (pos + 3 <= f->n && memcmp(f->norm + pos, "，", 3) == 0);
}

/* Where the nearest verb of phrase p starts, at most its gap characters before `to` within the
 * clause (or across as many commas as the phrase allows: *crossed); UINT32_MAX when none. */
static uint32_t phrase_verb(const struct field *f, const struct sw_phrase *p, uint32_t to,
                            bool *crossed)
{
    uint32_t pos = to;
    int commas = p->commas;
    *crossed = false;
    for (int g = 0; g <= p->gap; g++) {
        uint32_t l = word_ending(f, &p->verbs, pos);
        if (l)
            return pos - l;
        if (pos == 0)
            break;
        pos = char_back(f, pos);
        if (clause_end(f, pos)) {
            if (!comma_at(f, pos) || commas-- <= 0)
                break;
            *crossed = true;
        }
    }
    return UINT32_MAX;
}

/* A list word that starts or ends in ASCII and runs on into more ASCII letters or digits in
 * the original text is part of a longer word or number: no1 of No.1128, pdd of xpdd, top1 of
 * TOP10 (a space ends a word there, though the normalised text drops it: WhatsApp me). */
bool sw__ascii_inside(const struct field *f, const struct hit *h)
{
    char first = f->norm[h->from], last = f->norm[h->to - 1];
    uint32_t s, e;
    sw__orig_span(f, h->from, h->to, &s, &e);
    return (sw__is_alnum(first) && s > 0 && isalpha((unsigned char)f->orig[s - 1])) ||
           (sw__is_alnum(last) && e < f->olen && isalnum((unsigned char)f->orig[e]));
}

/* The term in brackets right after a measured number (33W（最大）): the limit it names. */
static bool bracketed_after_number(const struct field *f, const struct hit *h)
{
    uint32_t s, e;
    sw__orig_span(f, h->from, h->to, &s, &e);
    const char *t = f->orig;
    uint32_t b = s >= 1 && t[s - 1] == '(' ? 1 : s >= 3 && memcmp(t + s - 3, "（", 3) == 0 ? 3 : 0;
    bool closed = (e < f->olen && t[e] == ')') || (e + 3 <= f->olen && memcmp(t + e, "）", 3) == 0);
    return b && closed && s > b && isalnum((unsigned char)t[s - b - 1]);
}

/* What is measured between norm offsets from and to is an amount off or paid back (最高补贴50元,
 * 最高立减100元, 最多返20元): the amount is a discount's ceiling, no lowest or highest price. */
static bool off_ceiling(const struct field *f, uint32_t from, uint32_t to)
{
    static const char offs[] = "补减返省惠抵降领赔奖享赠券";
    for (uint32_t p = from; p + 3 <= to; p += 3)
        for (size_t k = 0; k + 3 <= sizeof offs - 1; k += 3)
            if (memcmp(f->norm + p, offs + k, 3) == 0)
                return true;
    return false;
}

/* 最 and a character of measure (最高, 最低, 最大, 最快...) followed by a number that is not an
 * amount of money, up to MEASURE_NAME characters of what is measured between (最高 120Hz,
 * 最低 -18℃, 最大充电功率67W, 最高耐温230℃), a discount's ceiling (最高补贴50元) or a bracketed
 * rating's: a limit of the product or the offer, not a claim over others. 最低 9.9元 and
 * 最高档面料 stay claims. */
#define MEASURE_NAME 6

static bool superlative_measure(const struct field *f, const struct hit *h)
{
    static const char measures[] = "高低大小多少长短快慢宽窄重轻厚薄";
    if (h->to - h->from != 6 || memcmp(f->norm + h->from, "最", 3) != 0)
        return false;
    bool measure = false;
    for (size_t k = 0; k + 3 <= sizeof measures - 1 && !measure; k += 3)
        measure = memcmp(f->norm + h->from + 3, measures + k, 3) == 0;
    /* 33W（最大）: the limit named in brackets right after a measured number */
    if (measure && bracketed_after_number(f, h))
        return true;
    uint32_t p = h->to;
    for (int c = 0; measure && c < MEASURE_NAME && p + 3 <= f->n &&
                    ((unsigned char)f->norm[p] & 0xF0) == 0xE0 && !clause_end(f, p);
         c++)
        p += 3;
    if (!measure)
        return false;
    if (p < f->n && f->norm[p] == ':')
        p++;
    else if (p + 3 <= f->n && memcmp(f->norm + p, "】", 3) == 0)
        p += 3; /* 【最高转速】35000转/分: a parameter's label in its cell */
    if (p >= f->n || f->norm[p] < '0' || f->norm[p] > '9')
        return false;
    while (p < f->n && ((f->norm[p] >= '0' && f->norm[p] <= '9') || f->norm[p] == '.'))
        p++;
    static const char *const money[] = {"元", "块", "¥", "￥", "rmb"};
    for (size_t k = 0; k < sizeof money / sizeof money[0]; k++) {
        size_t l = strlen(money[k]);
        if (p + l <= f->n && memcmp(f->norm + p, money[k], l) == 0)
            return off_ceiling(f, h->to, p);
    }
    return true;
}

/* 最好 as advice, "had better" (最好小火慢炖, 最好收到当天吃, 最好3天内吃完, 最好用温水冲泡):
 * another word or a number follows it, no space between (品质最好 年货送礼 ranks), not 的, a verb
 * of liking (最好吃, 最好喝, 最好穿...), 不过 or 之一, and not 用 that ends its phrase
 * (最好用的面霜, 全网最好用，): those rank the goods, as 最好 does at a clause's end (品质最好。).
 */
static bool best_as_advice(const struct field *f, const struct hit *h)
{
    static const char liking[] = "的吃喝穿画看听玩闻卖之";
    uint32_t p = h->from + 6;
    if (h->to - h->from < 6 || memcmp(f->norm + h->from, "最好", 6) != 0 || p + 3 > f->n ||
        (h->to != p && (h->to != p + 3 || memcmp(f->norm + p, "用", 3) != 0)))
        return false; /* the term 最好, or 最好用 */
    uint32_t s, e;
    sw__orig_span(f, h->from, p, &s, &e);
    if (sw__space_at(f->orig, f->olen, e))
        return false; /* 品质最好 年货送礼: a space ends a title's phrase */
    if (f->norm[p] >= '0' && f->norm[p] <= '9')
        return true;
    if (!sw__ideograph_at(f->norm, f->n, p) ||
        (p + 6 <= f->n && memcmp(f->norm + p, "不过", 6) == 0))
        return false;
    for (size_t k = 0; k + 3 <= sizeof liking - 1; k += 3)
        if (memcmp(f->norm + p, liking + k, 3) == 0)
            return false;
    if (memcmp(f->norm + p, "用", 3) != 0)
        return true;
    p += 3; /* 最好用: advice when what to use follows (最好用40℃以下的水, 最好用木铲) */
    if (p < f->n && f->norm[p] >= '0' && f->norm[p] <= '9')
        return true;
    return sw__ideograph_at(f->norm, f->n, p) && memcmp(f->norm + p, "的", 3) != 0;
}

/* A diversion list's word inside an anti-fraud notice (任何要求你添加私人微信的都不是我们): a
 * warning word of diversion.wechat.warnings near it in its sentence. */
static bool warned(const struct field *f, int list, uint32_t from, uint32_t to)
{
    const struct sw_scanner *sc = f->sc;
    return sc->lists[list].diversion && sc->invite_warnings.n &&
           sw__word_in_sentence(f, &sc->invite_warnings, from, to, SW_WARN_BACK, SW_WARN_AHEAD);
}

#define REG_SEEN 16

/* A registered term at norm offset `from` stated under one of li's labels, right after it or
 * after other registered terms listed before it (【保健功能】辅助降血脂、辅助降血压). */
static bool reg_labelled(const struct field *f, const struct sw_list *li, uint32_t from)
{
    const struct sw_words *t = li->reg_terms;
    for (int step = 0; step < 4; step++) {
        if (sw__word_before_unless(f, li->reg_labels, NULL, from, 2))
            return true;
        if (from < 3 ||
            (memcmp(f->norm + from - 3, "、", 3) != 0 && memcmp(f->norm + from - 3, "和", 3) != 0))
            return false;
        uint32_t sep = from - 3;
        for (int i = 0; i < t->n && from > sep; i++)
            if (t->len[i] <= sep && memcmp(f->norm + sep - t->len[i], t->w[i], t->len[i]) == 0)
                from = sep - t->len[i];
        if (from > sep)
            return false;
    }
    return false;
}

/* A term of list li's `registered` terms, at [from, to) of field fi, in a listing that states
 * one of its marks in any field (国妆特字 permits 祛斑, 美白): the fields lie one after another;
 * or the value of one of its labels (【保健功能】辅助降血脂: the approved function as stated). */
static bool registered(const struct field *f, int fi, const struct sw_list *li, uint32_t from,
                       uint32_t to)
{
    const struct sw_words *t = li->reg_terms, *m = li->reg_marks;
    bool term = false;
    for (int i = 0; t && i < t->n && !term; i++)
        term = t->len[i] == to - from && memcmp(f->norm + from, t->w[i], to - from) == 0;
    if (term && li->reg_labels && reg_labelled(f, li, from))
        return true;
    const struct field *fs = f - fi;
    /* the function stated under its label anywhere (保健功能：改善营养性贫血) is the approved one
     * where a title names it too; the first REG_SEEN times it is stated are looked at */
    for (int k = 0; term && li->reg_labels && fi != SW_SF_DETAIL && k < SW_SF__COUNT; k++) {
        const char *s = fs[k].norm, *e = s + fs[k].n;
        for (int seen = 0; seen < REG_SEEN && s < e &&
                           (s = memmem(s, (size_t)(e - s), f->norm + from, to - from));
             seen++) {
            if (reg_labelled(&fs[k], li, (uint32_t)(s - fs[k].norm)))
                return true;
            s += to - from;
        }
    }
    for (int k = 0; term && k < SW_SF__COUNT; k++)
        for (int i = 0; i < m->n; i++)
            if (memmem(fs[k].norm, fs[k].n, m->w[i], m->len[i]))
                return true;
    return false;
}

/* A service's promise holds norm offset pos (过敏 in 过敏包退): a word of it, no disease. Hits
 * are sorted by their end: the ones ending within PROMISE_REACH bytes after pos are looked at
 * (a text of many claims is not walked once per claim). */
#define PROMISE_REACH 64
static bool in_promise(const struct field *f, uint32_t pos)
{
    for (size_t i = sw__first_hit_ending(f, pos + 1);
         i < f->nhits && f->hits[i].to <= pos + PROMISE_REACH; i++)
        if (f->hits[i].from <= pos && sw__role(f, &f->hits[i]) == R_PROMISE)
            return true;
    return false;
}

/* An end of a claim waited for (an object at norm [from, to)): a word of waits.before right
 * before it (等不咳了, 待腹泻止住) or of waits.after right after it (止住了再转奶, 止住后可冲饮,
 * 稳定前不建议停药): advice on what to do until or after it happens, no promise that it will. */
static bool waited(const struct field *f, uint32_t from, uint32_t to)
{
    const struct sw_scanner *sc = f->sc;
    if (sc->wait_before.n && sw__word_behind(f, &sc->wait_before, from, 0))
        return true;
    const struct sw_words *w = &sc->wait_after;
    for (int i = 0; i < w->n; i++) {
        uint32_t e = to + w->len[i];
        if (e <= f->n && memcmp(f->norm + to, w->w[i], w->len[i]) == 0 &&
            !(e + 3 <= f->n && memcmp(f->norm + e, "也", 3) == 0 && w->len[i] >= 3 &&
              memcmp(f->norm + e - 3, "再", 3) == 0))
            return true; /* not 治好了再也不反复: 再也 is "never again" */
    }
    return false;
}

void sw__lists(const struct field *f, int fi, const signed char *applies, struct out *o)
{
    const struct sw_scanner *sc = f->sc;
    for (size_t i = 0; i < f->nhits; i++) {
        const struct hit *h = &f->hits[i];
        int role = sw__role(f, h);
        if (role != R_TERM && role != R_OBJECT)
            continue;
        uint32_t from = h->from;
        int L = sw__owner(f, h);
        if (role == R_OBJECT) {
            const struct sw_phrase *p = &sc->phrases[L];
            bool crossed;
            L = p->list;
            if (!applies[L] || (from = phrase_verb(f, p, h->from, &crossed)) == UINT32_MAX)
                continue;
            /* the object's clause says its own negation (感冒…，本品不能预防) */
            if ((crossed && list_negated(f, L, h->from, h->to)) || in_promise(f, from) ||
                (!sc->lists[L].diversion && waited(f, h->from, h->to)) ||
                (p->negatable_object && sw__negated(f, h->from)))
                continue;
        }
        if (!applies[L] || sw__covered(f, h, R_ALLOW, L, false) ||
            list_negated(f, L, from, h->to) || warned(f, L, from, h->to) ||
            (role == R_TERM && (sw__covered(f, h, R_TERM, L, true) || sw__ascii_inside(f, h) ||
                                superlative_measure(f, h) || best_as_advice(f, h))) ||
            (sc->lists[L].reg_terms && (applies[L] & SW_REGISTRABLE) &&
             registered(f, fi, &sc->lists[L], from, h->to)))
            continue;
        struct finding *x = sw__add_at(o, &sc->lists[L].r, f, fi, from, h->to);
        sw__ev_norm(x, f, from, h->to);
        /* a diversion phrase (加客服微信, 淘宝搜) says how to reach, not whom: an account found
         * with it is the finding's evidence (findings.c, merge_evidence) */
        if (x && sc->lists[L].diversion)
            x->weak_ev = true;
    }
}
