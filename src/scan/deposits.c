/* A pre-sale's deposit and balance (consistency.price `deposits`, `balances`, `deposit_worth`):
 * 定金¥100，尾款¥2,199 are parts of the price, not prices of the listing. The deposit (or what it
 * is worth: 定金500抵800) and the balance must add up to the price; when they do, neither is
 * compared with it, and when they do not, the balance is the finding (once). A deposit with no
 * balance named is a part of an unknown whole, compared only with the deposit another field
 * states (定金50元 in the title, 定金30元 in the detail).
 *
 * Cost: nothing on a listing whose price amounts agree with its price: only an amount that
 * differs is looked at, and only when a deposit's or a balance's word stands right before it. */
#include <string.h>

#include "base/money.h"
#include "scan/detect.h"

#define WORTH_REACH 12 /* bytes between a deposit's amount and 抵 */

/* The longest of words ending at original offset at (spaces, colons and a currency sign
 * skipped back over first); its start, or -1. */
static long word_ending(const struct field *f, const struct sw_words *w, uint32_t at)
{
    const char *o = f->orig;
    for (int guard = 0; guard < 4 && at > 0; guard++) {
        if (o[at - 1] == ' ' || o[at - 1] == ':')
            at--;
        else if (at >= 3 && (memcmp(o + at - 3, "：", 3) == 0 || memcmp(o + at - 3, "￥", 3) == 0))
            at -= 3;
        else if (at >= 2 && memcmp(o + at - 2, "¥", 2) == 0)
            at -= 2;
        else
            break;
    }
    for (int i = 0; i < w->n; i++) {
        uint32_t l = w->len[i];
        if (at >= l && memcmp(o + at - l, w->w[i], l) == 0)
            return (long)(at - l);
    }
    return -1;
}

#define FILLER_REACH 9 /* bytes of words between a part's word and its amount: 尾款到手5899 */

/* The amount right after the first of words in f's original text, or after a word or two
 * (尾款到手5899): its fen, the word's start in *ws and the amount's end in *end; false when
 * none. */
static bool amount_after(const struct field *f, const struct sw_words *w, int64_t *fen,
                         uint32_t *ws, uint32_t *end)
{
    for (int i = 0; i < w->n; i++) {
        const char *p = memmem(f->orig, f->olen, w->w[i], w->len[i]);
        if (!p)
            continue;
        uint32_t at = (uint32_t)(p - f->orig) + w->len[i], q = at;
        while (q < f->olen && q < at + FILLER_REACH && !(f->orig[q] >= '0' && f->orig[q] <= '9'))
            q++;
        if (sw__read_amount(f, at, fen, end, NULL) ||
            (q < f->olen && q > at && sw__read_amount(f, q, fen, end, NULL))) {
            *ws = (uint32_t)(p - f->orig);
            return true;
        }
    }
    return false;
}

/* What a deposit ending at `end` is worth (定金500抵800: 800), or its own amount. */
static int64_t worth(const struct field *f, int64_t fen, uint32_t end)
{
    const struct sw_words *w = &f->sc->deposit_worth;
    for (uint32_t p = end; p < f->olen && p <= end + WORTH_REACH; p++)
        for (int i = 0; i < w->n; i++) {
            int64_t v;
            uint32_t e;
            if (p + w->len[i] <= f->olen && memcmp(f->orig + p, w->w[i], w->len[i]) == 0 &&
                sw__read_amount(f, p + w->len[i], &v, &e, NULL))
                return v;
        }
    return fen;
}

/* A deposit b (at bs..be) the detail states otherwise than a title (定金50元 against 定金30元):
 * the finding, on the detail's. */
static void deposit_differs(const struct field *fs, int64_t b, uint32_t bs, uint32_t be,
                            struct out *o)
{
    const struct field *d = &fs[SW_SF_DETAIL];
    int64_t a;
    uint32_t as, ae;
    for (int k = 0; k < SW_SF_DETAIL; k++)
        if (fs[k].n && amount_after(&fs[k], &d->sc->deposits, &a, &as, &ae) && a != b) {
            char x[24], y[24];
            sw__evidence(o, sw__add(o, &d->sc->price, SW_SF_DETAIL, bs, be),
                         "the detail says a deposit of %s yuan; the %s says %s yuan",
                         sw_money_format(b, y), sw_scan_field_names[k], sw_money_format(a, x));
            return;
        }
}

int sw__deposit_part(const struct field *fs, int fi, const struct sw_listing *l, uint32_t s,
                     struct out *o)
{
    const struct field *f = &fs[fi];
    const struct sw_scanner *sc = f->sc;
    bool deposit = sc->deposits.n && word_ending(f, &sc->deposits, s) >= 0;
    bool balance = !deposit && sc->balances.n && word_ending(f, &sc->balances, s) >= 0;
    if (!deposit && !balance)
        return 0;
    int64_t d, b;
    uint32_t ds, de, bs, be;
    bool has_d = amount_after(f, &sc->deposits, &d, &ds, &de);
    if (!has_d || !amount_after(f, &sc->balances, &b, &bs, &be)) {
        if (deposit && has_d && fi == SW_SF_DETAIL)
            deposit_differs(fs, d, ds, de, o);
        return 1; /* a deposit alone, or a balance of an unknown deposit: parts of a whole */
    }
    int64_t dw = worth(f, d, de);
    if (dw + b == l->price_fen || deposit)
        return 1; /* they add up; or the deposit, whose sum is reported on the balance */
    char x[24], y[24], z[24], p[24];
    struct finding *fd = sw__add(o, &sc->price, fi, bs, be);
    if (dw != d)
        sw__evidence(o, fd,
                     "text says a deposit of %s yuan worth %s and a balance of %s yuan; the "
                     "price is %s yuan",
                     sw_money_format(d, x), sw_money_format(dw, z), sw_money_format(b, y),
                     sw_money_format(l->price_fen, p));
    else
        sw__evidence(o, fd,
                     "text says a deposit of %s yuan and a balance of %s yuan (%s yuan); the "
                     "price is %s yuan",
                     sw_money_format(d, x), sw_money_format(b, y), sw_money_format(d + b, z),
                     sw_money_format(l->price_fen, p));
    return 1;
}
