/* What an amount with a unit is of (the specification check, docs/scan.md "Specifications"):
 * one piece (单果80g, 每串约1.5斤, 80-100g每个, 80mm大果), a rate of pieces to a weight
 * (20-25只/斤), or an ingredient's share of each container (每瓶含干燕窝3g) rather than what the
 * goods hold. Split from specs.c, which reads the amounts. */
#include <ctype.h>
#include <string.h>

#include "scan/normclass.h"
#include "scan/specs_int.h"

/* A word of cw right after an amount of one of its classes whose unit ends at norm offset end
 * (spaces between allowed when `spaces`): 80mm大果, 3.5mm 耳机. */
bool sw__class_word_ahead(const struct field *f, const struct sw_class_words *cw, int cls,
                          uint32_t end, bool spaces)
{
    if (cls < 0 || cls >= 64 || !(cw->classes >> cls & 1))
        return false;
    while (spaces && end < f->n && f->norm[end] == ' ')
        end++;
    return sw__word_ahead(f, &cw->words, end);
}

/* A word of cw ends at norm offset p, or up to gap characters before it, and the amount is of
 * one of cw's classes. */
static bool class_word_behind(const struct field *f, const struct sw_class_words *cw, int cls,
                              uint32_t p, int gap)
{
    return cls >= 0 && cls < 64 && (cw->classes >> cls & 1) &&
           sw__word_behind(f, &cw->words, p, gap);
}

/* The weights a rate of pieces is to (20只/斤, 每公斤8个, 4根/g) and their grams. */
static const struct {
    const char *name;
    int grams;
} rate_weights[] = {{"斤", 500},  {"公斤", 1000}, {"kg", 1000}, {"KG", 1000},
                    {"Kg", 1000}, {"千克", 1000}, {"磅", 454},  {"两", 50},
                    {"lb", 454},  {"克", 1},      {"g", 1},     {"G", 1}};

/* Words of about between a weight and its count (一斤约4-6只, 1kg大概有20只), longest first. */
static const char *const about[] = {"大概有", "大约有", "约有", "大约", "大概", "约", "有"};
#define NABOUT (sizeof about / sizeof about[0])

/* Back from norm offset p over spaces and a word of about. */
static uint32_t past_about(const struct field *f, uint32_t p)
{
    while (p > 0 && f->norm[p - 1] == ' ')
        p--;
    for (size_t i = 0; i < NABOUT; i++) {
        size_t l = strlen(about[i]);
        if (p >= l && memcmp(f->norm + p - l, about[i], l) == 0) {
            p -= (uint32_t)l;
            while (p > 0 && f->norm[p - 1] == ' ')
                p--;
            break;
        }
    }
    return p;
}

/* 每 and a weight right before norm offset p (每斤, 每公斤), a word of about between or not, or
 * 一 or a lone 1 and a weight with one between (一斤约4-6只, 1kg大概30个; 1斤8只 may be a
 * pack): so many to the weight, whose grams it returns (0: none). */
static int each_weight_behind(const struct field *f, uint32_t p)
{
    uint32_t a = past_about(f, p);
    for (size_t i = 0; i < sizeof rate_weights / sizeof rate_weights[0]; i++) {
        size_t l = strlen(rate_weights[i].name);
        if (a < l + 1 || memcmp(f->norm + a - l, rate_weights[i].name, l) != 0)
            continue;
        uint32_t q = a - (uint32_t)l;
        if (q >= 3 && memcmp(f->norm + q - 3, "每", 3) == 0)
            return rate_weights[i].grams;
        if (a == p || f->norm[a] == ' ')
            continue; /* 1kg 约10头 (单只约100g): a box's weight and count */
        int n = 0;
        if (q >= 3 && memcmp(f->norm + q - 3, "一", 3) == 0 &&
            !(q >= 6 && sw_norm_digit(sw__cp_at(f->norm + q - 6, 3, &n)) >= 0))
            return rate_weights[i].grams;
        if (f->norm[q - 1] == '1' &&
            (q < 2 || !((f->norm[q - 2] >= '0' && f->norm[q - 2] <= '9') || f->norm[q - 2] == '.')))
            return rate_weights[i].grams;
    }
    return 0;
}

/* A count of pieces right after original offset e, a word of about first and nothing else
 * between (一斤约50-60颗, 1kg大概有20只): the weight before is a rate's, no amount of the
 * goods. A bracket, a comma or 装 between says the count is the weight's pack's (1斤（约40-50
 * 只）, 1斤装，约12-14只). */
bool sw__rate_follows(const struct field *f, uint32_t e)
{
    static const char *const pieces[] = {"只", "个", "颗", "头", "枚", "条",
                                         "粒", "片", "支", "根", "块", "尾"};
    uint32_t p = e;
    size_t k = 0;
    for (; k < NABOUT; k++)
        if (p + strlen(about[k]) <= f->olen && memcmp(f->orig + p, about[k], strlen(about[k])) == 0)
            break;
    if (k == NABOUT)
        return false;
    p += (uint32_t)strlen(about[k]);
    uint32_t d = p;
    while (p < f->olen && ((f->orig[p] >= '0' && f->orig[p] <= '9') || f->orig[p] == '-' ||
                           f->orig[p] == '~' || f->orig[p] == '.'))
        p++;
    if (p == d)
        return false;
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++)
        if (p + 3 <= f->olen && memcmp(f->orig + p, pieces[i], 3) == 0)
            return true;
    return false;
}

/* Back from norm offset at over the number and the lower end of a range (单果重：150-180g). */
static uint32_t number_start(const struct field *f, uint32_t at)
{
    uint32_t p = at;
    while (p > 0 && ((f->norm[p - 1] >= '0' && f->norm[p - 1] <= '9') || f->norm[p - 1] == '-' ||
                     f->norm[p - 1] == '~' || f->norm[p - 1] == '.'))
        p--;
    return p;
}

/* 每斤30-40只: the amount whose last digit is at norm offset at is so many to a weight, of the
 * grams returned (0: none). */
int sw__each_weight(const struct field *f, uint32_t at)
{
    return each_weight_behind(f, number_start(f, at));
}

/* A rate of pieces to a weight right after original offset e (20-25只/斤, 8-10头/kg, 30个/
 * 公斤): how big each one is, not how many the listing holds. */
int sw__per_weight(const struct field *f, uint32_t e)
{
    const char *o = f->orig + e;
    size_t left = f->olen - e;
    if (left > 0 && o[0] == '/') {
        o++;
        left--;
    } else if (left >= 3 && memcmp(o, "／", 3) == 0) {
        o += 3;
        left -= 3;
    } else {
        return 0;
    }
    for (size_t i = 0; i < sizeof rate_weights / sizeof rate_weights[0]; i++) {
        size_t l = strlen(rate_weights[i].name);
        if (left >= l && memcmp(o, rate_weights[i].name, l) == 0)
            return rate_weights[i].grams;
    }
    return 0;
}

/* A word of piece_words.before ending at norm offset p, a number's start, or before a word of
 * about there (公4两, 一个约25g). */
static bool piece_word_behind(const struct field *f, int cls, uint32_t p)
{
    return class_word_behind(f, &f->sc->piece_before, cls, p, 0) ||
           class_word_behind(f, &f->sc->piece_before, cls, past_about(f, p), 0);
}

bool sw__piece_before(const struct field *f, int cls, uint32_t at)
{
    return piece_word_behind(f, cls, number_start(f, at));
}

/* A word of `per_words` ends at norm offset p (gap: characters allowed between), a word of
 * `nutrient_words` and the amount is of one of its classes (蛋白质 12g is a nutrition table's,
 * of a serving; 大能量20000mAh is the goods' own), or a piece word (above). */
static bool per_word_behind(const struct field *f, int cls, uint32_t p, int gap)
{
    return sw__word_behind(f, &f->sc->per_words, p, gap) ||
           class_word_behind(f, &f->sc->nutrients, cls, p, gap) || piece_word_behind(f, cls, p);
}

static bool per_word_ahead(const struct field *f, int cls, uint32_t end)
{
    return sw__word_ahead(f, &f->sc->per_words, end) ||
           sw__class_word_ahead(f, &f->sc->nutrients, cls, end, false);
}

/* The amount whose last digit is at norm offset `at` (its unit ending at `end`) is of one
 * piece: a per word (above) ends right before its number or one character before it
 * (每串约1.5斤), or before a colon and 约 (单果：约300g), or starts right after its unit
 * (80-100g每个); or, of a class of `size_words`, one of its words starts right after the unit
 * (80mm大果). */
bool sw__per_piece(const struct field *f, int cls, uint32_t at, uint32_t end)
{
    uint32_t past = end; /* 18mm+ 特大果: past a lower bound's + and a space */
    if (past < f->n && f->norm[past] == '+')
        past++;
    while (past > end && past < f->n && f->norm[past] == ' ')
        past++;
    if (sw__class_word_ahead(f, &f->sc->size_words, cls, end, false) ||
        (past > end && sw__class_word_ahead(f, &f->sc->size_words, cls, past, false)))
        return true; /* 80mm大果: one fruit's size, whatever number follows (85mm大果 10斤) */
    uint32_t p = number_start(f, at);
    if (p >= 3 && memcmp(f->norm + p - 3, "每", 3) == 0)
        return true; /* 每100g约含维生素C 33mg: per 100g */
    if (each_weight_behind(f, p))
        return true; /* 每斤30-40只: so many to the jin */
    if (per_word_behind(f, cls, p, 1))
        return true;
    /* a label's colon between (单果：约300g, 单果｜约300g) */
    uint32_t q = p;
    if (q >= 3 && memcmp(f->norm + q - 3, "约", 3) == 0)
        q -= 3;
    if (q > 0 && f->norm[q - 1] == ':' && per_word_behind(f, cls, q - 1, 0))
        return true;
    if (!per_word_ahead(f, cls, end))
        return false;
    /* 5斤 单果30-40mm: a per word with a number right after it is that number's */
    for (uint32_t k = end; k < f->n && k < end + 12; k++)
        if (f->norm[k] >= '0' && f->norm[k] <= '9')
            return false;
    return true;
}

/* A word of piece_words.after as written right after original offset e, the unit's end, and
 * the amount of one of its classes (3两/只, 3两左右一只: one piece's, whatever number follows:
 * 4-5两/只 5只装). */
bool sw__piece_after(const struct field *f, int cls, uint32_t e)
{
    const struct sw_class_words *cw = &f->sc->piece_after;
    if (cls < 0 || cls >= 64 || !(cw->classes >> cls & 1))
        return false;
    for (int k = 0; k < cw->words.n; k++)
        if (e + cw->words.len[k] <= f->olen &&
            memcmp(f->orig + e, cw->words.w[k], cw->words.len[k]) == 0)
            return true;
    return false;
}

/* 每瓶含干燕窝3g, 每瓶燕窝含量≥3g, 每包添加燕麦片30g: an ingredient's share of each container
 * (每, one character, a name with 含 or 添加, then the amount at norm offset from), not the
 * container's contents; a net amount (每箱含苹果净重5斤, 每瓶净含量) is the contents. Looked for
 * on weights, volumes and lengths only: 每粒含维生素D 400IU is a capsule's dose. */
bool sw__ingredient_share(const struct field *f, uint32_t from)
{
    uint32_t p = from;
    int chars = 0, names = 0;
    bool has = false, added = false, net = false, last_name = false;
    while (p >= 3 && chars < 10 && ((unsigned char)f->norm[p - 1] & 0xC0) == 0x80 &&
           ((unsigned char)f->norm[p - 3] & 0xF0) == 0xE0) {
        const char *c = f->norm + p - 3;
        unsigned char b = (unsigned char)c[0];
        if (memcmp(c, "每", 3) == 0)
            break;
        last_name = false;
        if (memcmp(c, "含", 3) == 0)
            has = true;
        else if (memcmp(c, "加", 3) == 0 && p >= 6 && memcmp(c - 3, "添", 3) == 0)
            added = true;
        else if (memcmp(c, "净", 3) == 0)
            net = true;
        else if (b >= 0xE4 && b <= 0xE9 && memcmp(c, "量", 3) != 0 && memcmp(c, "添", 3) != 0 &&
                 memcmp(c, "有", 3) != 0)
            names++, last_name = true;
        p -= 3;
        chars++;
    }
    /* 每, then the container (瓶: no name), then the ingredient's name */
    return (has || added) && names - last_name > 0 && !net && p >= 3 &&
           memcmp(f->norm + p - 3, "每", 3) == 0;
}

#define ELSEWHERE_REACH 120 /* bytes: about 40 characters */

/* A detail's amount in a clause that names a place off the platform (某宝搜「…」 那边有1000g大
 * 盒装, 200g大容量只在淘宝有): that place's goods, not this listing's. */
bool sw__elsewhere(const struct field *f, uint32_t at)
{
    const struct sw_scanner *sc = f->sc;
    /* within ELSEWHERE_REACH bytes either side (hits are sorted by end: a binary search), so that
     * a long text full of amounts costs no more per amount */
    uint32_t lo = at > ELSEWHERE_REACH ? at - ELSEWHERE_REACH : 0, hi = at + ELSEWHERE_REACH;
    for (size_t i = sw__first_hit_ending(f, lo); i < f->nhits && f->hits[i].to <= hi; i++) {
        const struct hit *h = &f->hits[i];
        /* a term (淘宝, 某宝) that is a word of its own; a phrase's object alone is no claim
         * without its verb */
        if (sw__role(f, h) != R_TERM || !sc->lists[sw__owner(f, h)].diversion ||
            sw__ascii_inside(f, h)) /* the pdd of LPDDR5X names no platform */
            continue;
        uint32_t a = h->from < at ? h->from : at, z = h->to > at ? h->to : at;
        bool apart = false;
        for (uint32_t q = a; q < z && !apart; q++)
            apart = f->norm[q] == '\n' || f->norm[q] == ';' || f->norm[q] == '!' ||
                    f->norm[q] == ',' || f->norm[q] == '?' ||
                    (q + 3 <= z && memcmp(f->norm + q, "。", 3) == 0);
        if (!apart)
            return true;
    }
    return false;
}

/* 含 and an ingredient's name in letters before the amount at orig offset s (每粒含EPA+DHA
 * 600mg, 含VC 100mg): how much of it the goods contain, not the goods' own amount. The name is
 * letters, digits and pluses, a space after it at most (含箱约5斤 names the packing: the goods'
 * weight with it). */
bool sw__content_before(const struct field *f, uint32_t s)
{
    const char *o = f->orig;
    uint32_t p = s;
    if (p > 0 && o[p - 1] == ' ')
        p--;
    uint32_t end = p;
    bool letters = false;
    while (p > 0 && end - p < 16 && (isalnum((unsigned char)o[p - 1]) || o[p - 1] == '+')) {
        letters |= isalpha((unsigned char)o[p - 1]) != 0;
        p--;
    }
    return letters && p >= 3 && memcmp(o + p - 3, "含", 3) == 0;
}

/* What follows an amount ending at orig offset e says a content per that amount (每100g含,
 * 每100ml中含, 每100g约含): the amount is a basis. */
bool sw__basis_of_content(const struct field *f, uint32_t e)
{
    static const char *const says[] = {"含", "约含", "中含", "中约含", "可提供", "提供"};
    while (e < f->olen && f->orig[e] == ' ')
        e++;
    for (size_t k = 0; k < sizeof says / sizeof says[0]; k++) {
        size_t l = strlen(says[k]);
        if (e + l <= f->olen && memcmp(f->orig + e, says[k], l) == 0)
            return true;
    }
    return false;
}

/* A content's unit (SW_CONTENT_UNITS: mg, μg, IU, 亿) ends the amount at norm offset end, and
 * 含 stands before its number with a name of ideographs between (每片含碳酸钙1250mg, 含钙500mg,
 * 每片含：钙300mg): how much of an ingredient the goods hold, which the concentrations check
 * compares by name and basis, not the goods' own amount. */
bool sw__named_content_before(const struct field *f, uint32_t end, uint32_t s)
{
    static const char *const units[] = {SW_CONTENT_UNITS};
    bool content = false;
    for (size_t k = 0; k < sizeof units / sizeof units[0] && !content; k++) {
        size_t l = strlen(units[k]);
        content = end >= l && memcmp(f->norm + end - l, units[k], l) == 0;
    }
    if (!content)
        return false;
    const char *o = f->orig;
    uint32_t p = s;
    if (p > 0 && o[p - 1] == ' ')
        p--;
    int names = 0;
    while (p >= 3 && names < 6 && sw__han_at(o + p - 3, 3) && memcmp(o + p - 3, "含", 3) != 0) {
        p -= 3;
        names++;
    }
    if (names > 0 && p >= 3 && (o[p - 1] == ':' || memcmp(o + p - 3, "：", 3) == 0))
        p -= o[p - 1] == ':' ? 1 : 3; /* 每片含：钙300mg */
    return names > 0 && p >= 3 && memcmp(o + p - 3, "含", 3) == 0;
}
