/* An amount the detail states of the goods by their name (consistency.spec): an amount right
 * before the goods' name as the title writes it (9色眼影盘 in the detail of 大地色眼影盘 12色,
 * 2.5kg五常大米 of 五常大米 5kg) says what the goods are, as a label would. The name is the two
 * ideographs after the amount's unit (装 or 的 between, at most), found in the title, not right
 * after a letter or digit there (316L不锈钢 of a title's 316不锈钢 is a grade). Found by a look at
 * each number's end in the detail; only the few with a name after them are read as amounts. */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "scan/specs_int.h"

#define NAME_BYTES 6 /* two ideographs */
#define BEFORE 24    /* bytes read before a number's last digit: the number, a range, a × */

/* The bytes at t[p] name the goods of a title `title` holds: the offset after them, or 0. */
static size_t name_after(const char *t, size_t n, size_t p, const struct field *title)
{
    if (p + 3 <= n && (memcmp(t + p, "装", 3) == 0 || memcmp(t + p, "的", 3) == 0))
        p += 3;
    if (!sw__ideograph_at(t, n, p) || !sw__ideograph_at(t, n, p + 3))
        return 0;
    const char *q = memmem(title->norm, title->n, t + p, NAME_BYTES);
    if (!q || (q > title->norm && isalnum((unsigned char)q[-1])))
        return 0;
    for (size_t k = p + NAME_BYTES;
         k + 3 <= n && k <= p + NAME_BYTES + 9 && sw__ideograph_at(t, n, k); k += 3)
        if (memcmp(t + k, "的", 3) == 0)
            return 0; /* 2枚猕猴桃的维C: what they hold, not the goods */
    return p + NAME_BYTES;
}

/* The first ASCII digit at or after t[i], or n: eight bytes at a time (a byte of 0x30..0x39
 * is one whose xor with 0x30 is below 10; bytes from 0x80 never are). */
static size_t next_digit(const char *t, size_t n, size_t i)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, t + i, 8);
        x ^= 0x30 * ones;
        if (((x - 10 * ones) & ~x & highs) != 0)
            break;
    }
    while (i < n && (unsigned char)(t[i] - '0') > 9)
        i++;
    return i;
}

/* A count of packs after the name (2.5kg五常大米×2袋, 2.5kg五常大米，两袋装): the amount is one
 * pack's of several, which the name does not state; looked for in PACK_BYTES after it. */
#define PACK_BYTES 24
static bool packed(const char *o, size_t n, size_t p)
{
    for (size_t q = p; q < n && q < p + PACK_BYTES; q++) {
        if (o[q] == '\n' || (q + 3 <= n && memcmp(o + q, "。", 3) == 0))
            return false;
        if (((o[q] == 'x' || o[q] == 'X' || o[q] == '*') && q + 1 < n &&
             isdigit((unsigned char)o[q + 1])) ||
            (q + 2 <= n && memcmp(o + q, "×", 2) == 0) ||
            (q + 3 <= n && memcmp(o + q, "装", 3) == 0))
            return true;
    }
    return false;
}

/* Two ideographs of the title, as a bit of 256: a name may be there where its bit is set. */
static unsigned pair_bit(const char *p)
{
    uint64_t x = 0;
    memcpy(&x, p, NAME_BYTES);
    return (unsigned)((x * 0x9E3779B97F4A7C15u) >> 56);
}

#define UNIT_REACH 12 /* bytes after a digit where the name may start: a unit, then 装 or 的 */

/* The titles' classes that no labelled amount of l states (9色眼影盘 beside 净含量：9×1.2g: the
 * weights are compared already), a bit each. */
static uint64_t unlabelled_classes(const struct amounts *t, const struct amounts *l)
{
    uint64_t c = 0;
    for (int k = 0; k < t->n; k++)
        c |= t->a[k].cls >= 0 && t->a[k].cls < 64 ? (uint64_t)1 << t->a[k].cls : 0;
    for (int k = 0; k < l->n; k++)
        if (l->a[k].labelled && l->a[k].cls >= 0 && l->a[k].cls < 64)
            c &= ~((uint64_t)1 << l->a[k].cls);
    return c;
}

void sw__named_amounts(const struct field *fs, const struct reads *rd, const struct amounts *titles,
                       struct amounts *l)
{
    if (!unlabelled_classes(titles, l))
        return;
    const struct field *d = &fs[SW_SF_DETAIL], *title = &fs[SW_SF_TITLE];
    uint64_t pairs[4] = {0};
    for (size_t p = 0; p + NAME_BYTES <= title->n; p++)
        if (sw__ideograph_at(title->norm, title->n, p) &&
            sw__ideograph_at(title->norm, title->n, p + 3)) {
            unsigned b = pair_bit(title->norm + p);
            pairs[b >> 6] |= (uint64_t)1 << (b & 63);
        }
    const char *t = d->norm;
    size_t done = 0;
    for (size_t i = 0; (i = next_digit(t, d->n, i)) + 1 < d->n; i++) {
        unsigned char c = (unsigned char)t[i + 1];
        if (c - '0' <= 9 || (c < 0xE4 && !isalpha(c) && c != '%'))
            continue; /* no unit starts here: most digits are followed by others or by marks */
        bool maybe = false; /* a pair of the title's within reach (most numbers have none) */
        for (size_t q = i + 1; !maybe && q <= i + 1 + UNIT_REACH && q + NAME_BYTES <= d->n;) {
            if ((unsigned char)t[q] < 0x80) {
                q++;
                continue;
            }
            if (q > i + 1 && sw__ideograph_at(t, d->n, q) && sw__ideograph_at(t, d->n, q + 3)) {
                unsigned b = pair_bit(t + q);
                maybe = pairs[b >> 6] >> (b & 63) & 1;
            }
            q += 3;
        }
        uint32_t len;
        if (!maybe || sw__unit_after(d, rd, i + 1, &len) < 0 ||
            !name_after(t, d->n, i + 1 + len, title))
            continue;
        struct amounts w;
        w.n = 0;
        size_t from = i > BEFORE ? i - BEFORE : 0;
        sw__amounts_within(d, rd, from > done ? from : done, i + 1 + len + 1, &w);
        done = i + 1;
        for (int k = 0; k < w.n; k++) {
            struct amount a = w.a[k];
            size_t e = a.product ? a.te : a.e; /* original bytes: the name after them again */
            size_t after = a.labelled ? 0 : name_after(d->orig, d->olen, e, title);
            if (!after || packed(d->orig, d->olen, after))
                continue;
            a.labelled = true;
            sw__push_amount(l, a);
        }
    }
}
