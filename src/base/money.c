#include "base/money.h"

#include "base/buf.h"

#include <stdio.h>

int sw_money_parse(const char *s, size_t len, bool allow_negative, int64_t *out_fen,
                   struct sw_error *err)
{
    size_t i = 0;
    bool neg = false;
    if (len == 0)
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "empty amount");
    if (s[0] == '-') {
        if (!allow_negative)
            return sw_fail(err, SW_E_INVALID_VALUE, NULL, "negative amount '%.*s'", (int)len, s);
        neg = true;
        i = 1;
    }
    size_t int_start = i;
    int64_t yuan = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        if (yuan > (SW_MONEY_MAX_FEN / 100))
            return sw_fail(err, SW_E_AMOUNT_OVERFLOW, NULL, "amount too large");
        yuan = yuan * 10 + (s[i] - '0');
        i++;
    }
    size_t int_len = i - int_start;
    if (int_len == 0 || (int_len > 1 && s[int_start] == '0'))
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "malformed amount '%.*s'", (int)len, s);
    int64_t cents = 0;
    if (i < len && s[i] == '.') {
        i++;
        size_t d = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && d < 3) {
            cents = cents * 10 + (s[i] - '0');
            i++;
            d++;
        }
        if (d == 0 || d > 2)
            return sw_fail(err, SW_E_INVALID_VALUE, NULL,
                           "amount '%.*s' must have one or two decimals", (int)len, s);
        if (d == 1)
            cents *= 10;
    }
    if (i != len)
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "malformed amount '%.*s'", (int)len, s);
    int64_t fen = yuan * 100 + cents;
    if (fen > SW_MONEY_MAX_FEN)
        return sw_fail(err, SW_E_AMOUNT_OVERFLOW, NULL, "amount too large");
    if (neg && fen == 0)
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "negative zero amount");
    *out_fen = neg ? -fen : fen;
    return SW_OK;
}

char *sw_money_format(int64_t fen, char buf[24])
{
    uint64_t mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char *o = buf;
    if (fen < 0)
        *o++ = '-';
    o += sw_fmt_i64(o, (int64_t)(mag / 100)); /* mag / 100 < 2^63: no overflow */
    *o++ = '.';
    o = sw_fmt_digits(o, mag % 100, 2);
    *o = '\0';
    return buf;
}

bool sw_money_add(int64_t a, int64_t b, int64_t *out)
{
    return !__builtin_add_overflow(a, b, out);
}

bool sw_money_sub(int64_t a, int64_t b, int64_t *out)
{
    return !__builtin_sub_overflow(a, b, out);
}

bool sw_money_mul(int64_t a, int64_t n, int64_t *out)
{
    return !__builtin_mul_overflow(a, n, out);
}

bool sw_money_mul_bp(int64_t amount_fen, int64_t rate_bp, int64_t *out)
{
    int64_t p;
    if (__builtin_mul_overflow(amount_fen, rate_bp, &p))
        return false;
    int64_t q = p / 10000, r = p % 10000;
    /* C division truncates toward zero; fix up to half-even on the magnitude. */
    int64_t ar = r < 0 ? -r : r;
    if (ar > 5000 || (ar == 5000 && (q % 2 != 0)))
        q += (p < 0) ? -1 : 1;
    *out = q;
    return true;
}
