/* Discounts a listing states with their amounts (RULES.md §3, key-info consistency of prices):
 * a labelled price below the listing's price is the price after a discount when the discounts
 * the listing states add up to the difference, as a shopper would work it out: 领40元店铺券,
 * 券后价 ¥259 of a 299 listing; 满300减50, 到手价269 of 319; 定金50元抵100元 ... 到手价409 of
 * 459 (the deposit counts 100 and is paid 50: 50 off). Without amounts, or with amounts that do
 * not add up (原价 ¥299, 券后价 ¥149 of a 199 listing), the lower price still contradicts the
 * listing's.
 *
 * An amount is a discount when a discount word stands right before it (减, 降, 立减, 直降, 优惠,
 * 省, 抵, 抵扣, 返, 券, 红包: 店铺券10元) or 券 stands in the four characters after its 元
 * (20元优惠券, 领10元券). A
 * deposit before 抵 (定金50元抵100元) counts against the amount it is worth. Read in the
 * original text: ASCII and full-width digits, one decimal point. */
#include <stdint.h>
#include <string.h>

#include "scan/detect.h"

#define DISCOUNTS_MAX 8

static const char *const before_words[] = {"立减", "直降", "抵扣", "减",   "降",   "优惠", "省",
                                           "抵",   "返",   "券",   "红包", "补贴", NULL};
static const char *const deposit_words[] = {"定金", "订金", NULL};

static bool at(const char *s, size_t n, size_t i, const char *w)
{
    size_t l = strlen(w);
    return i + l <= n && memcmp(s + i, w, l) == 0;
}

/* A word of `words` ends at s[i] (skipping spaces before i): its start, or SIZE_MAX. */
static size_t word_before(const char *s, size_t i, const char *const *words)
{
    while (i > 0 && s[i - 1] == ' ')
        i--;
    for (int k = 0; words[k]; k++) {
        size_t l = strlen(words[k]);
        if (i >= l && memcmp(s + i - l, words[k], l) == 0)
            return i - l;
    }
    return SIZE_MAX;
}

/* The amount in fen that starts at s[i] (digits, one point, up to two decimals): its end in
 * *end; -1 when none starts there. */
static int64_t amount_at(const char *s, size_t n, size_t i, size_t *end)
{
    int64_t whole = 0, cents = 0;
    int digits = 0, dec = -1;
    while (i < n && digits < 9) {
        unsigned char c = (unsigned char)s[i];
        int d = -1, l = 1;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (i + 2 < n && c == 0xEF && (unsigned char)s[i + 1] == 0xBC &&
                 (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99) {
            d = (unsigned char)s[i + 2] - 0x90;
            l = 3;
        } else if (c == '.' && dec < 0 && digits > 0 && i + 1 < n && s[i + 1] >= '0' &&
                   s[i + 1] <= '9') {
            dec = 0;
            i++;
            continue;
        }
        if (d < 0)
            break;
        if (dec < 0)
            whole = whole * 10 + d;
        else if (dec < 2)
            cents = cents * 10 + d, dec++;
        digits++;
        i += (size_t)l;
    }
    if (digits == 0)
        return -1;
    *end = i;
    return whole * 100 + (dec == 1 ? cents * 10 : cents);
}

/* 券 within four characters after position i, which ends an amount (its 元 or 块 skipped). */
static bool coupon_after(const char *s, size_t n, size_t i)
{
    while (i < n && s[i] == ' ')
        i++;
    if (!at(s, n, i, "元") && !at(s, n, i, "块"))
        return false;
    i += 3;
    for (int c = 0; c < 4 && i < n; c++) {
        if (at(s, n, i, "券"))
            return true;
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80 || at(s, n, i, "，") || at(s, n, i, "。") || at(s, n, i, "；"))
            return false;
        i += b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    }
    return false;
}

/* What reference prices stand above the price by (over[0..nover)): a 直降 of one of those amounts
 * is how the reference became the price, already in it (官方指导价2999，直降300 of a 2699 listing),
 * and is left out once (*left); a coupon is taken at checkout, never spent so. */
struct spent {
    const int64_t *over;
    int nover;
    bool left;
};

static bool spent_drop(struct spent *sp, const char *s, size_t n, size_t w, int64_t v)
{
    if (sp->left || w == SIZE_MAX || w + 6 > n || memcmp(s + w, "直降", 6) != 0)
        return false;
    for (int i = 0; i < sp->nover; i++)
        if (sp->over[i] == v)
            return sp->left = true;
    return false;
}

/* The stated discounts of one field into d[*k..DISCOUNTS_MAX), in fen (a deposit negative), but
 * a drop already spent (above). */
static void field_discounts(const struct field *f, int64_t *d, int *k, struct spent *sp)
{
    const char *s = f->orig;
    size_t n = f->olen;
    for (size_t i = 0; i < n && *k < DISCOUNTS_MAX; i++) {
        size_t end;
        bool starts =
            (i == 0 || ((unsigned char)s[i - 1] != '.' &&
                        !((unsigned char)s[i - 1] >= '0' && (unsigned char)s[i - 1] <= '9')));
        int64_t v = starts ? amount_at(s, n, i, &end) : -1;
        if (v <= 0)
            continue;
        /* 立减¥30: the sign between the word and the amount */
        size_t w = word_before(s, i - sw__sign_before(s, i), before_words);
        size_t e = end;
        while (e < n && s[e] == ' ')
            e++;
        if (word_before(s, i, deposit_words) != SIZE_MAX) {
            size_t a = at(s, n, e, "元") ? e + 3 : e;
            if (at(s, n, a, "抵"))
                d[(*k)++] = -v; /* 定金50元抵100元: 50 paid of the 100 */
        } else if (spent_drop(sp, s, n, w, v)) {
            /* in the price already */
        } else if (w != SIZE_MAX || coupon_after(s, n, end)) {
            d[(*k)++] = v;
        }
        i = end - 1;
    }
}

bool sw__discounts_explain(const struct field *fs, int64_t diff, const int64_t *over, int nover)
{
    int64_t d[DISCOUNTS_MAX];
    int k = 0;
    struct spent sp = {over, nover, false};
    for (int fi = 0; fi < SW_SF__COUNT; fi++)
        field_discounts(&fs[fi], d, &k, &sp);
    for (unsigned m = 1; m < (1u << k); m++) {
        int64_t sum = 0;
        for (int b = 0; b < k; b++)
            if (m >> b & 1)
                sum += d[b];
        if (sum == diff)
            return true;
    }
    return false;
}
