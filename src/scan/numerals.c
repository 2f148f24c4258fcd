/* Numerals written in Chinese characters (五十九, 叁佰捌拾, 一千零五, 两万, 廿四): read by the
 * price, spec, set, shipping and facts checks alike, wherever an amount may be written in words. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "scan/detect.h"

static const struct {
    const char *c;
    int v; /* 0-9 a digit, else the place's value */
} cn_chars[] = {{"零", 0},   {"〇", 0},    {"一", 1},    {"壹", 1},     {"二", 2},     {"贰", 2},
                {"两", 2},   {"三", 3},    {"叁", 3},    {"四", 4},     {"肆", 4},     {"五", 5},
                {"伍", 5},   {"六", 6},    {"陆", 6},    {"七", 7},     {"柒", 7},     {"八", 8},
                {"捌", 8},   {"九", 9},    {"玖", 9},    {"十", 10},    {"拾", 10},    {"百", 100},
                {"佰", 100}, {"千", 1000}, {"仟", 1000}, {"万", 10000}, {"萬", 10000}, {"廿", 20},
                {"卅", 30}}; /* 廿四 is 24, 卅 30: tens said in one character */

/* The value of the numeral character at s[i] (a digit 0-9, or a place: 10, 100...), -1 when
 * it is none. */
int sw__cn_char(const unsigned char *s, size_t n, size_t i)
{
    for (size_t k = 0; k < sizeof cn_chars / sizeof cn_chars[0]; k++)
        if (i + 3 <= n && memcmp(s + i, cn_chars[k].c, 3) == 0)
            return cn_chars[k].v;
    return -1;
}

/* A numeral written in characters at s[i] (五十九, 叁佰捌拾, 一千九百九十九, 两万): its value
 * and, in *len, its length; -1 when there is none. Digits take a place unit between them
 * (三五十 is a guess, not a number); 零 may stand between places (一千零五). */
int64_t sw__cn_numeral(const unsigned char *s, size_t n, size_t i, size_t *len)
{
    int64_t total = 0, section = 0, digit = -1, place = 0; /* place: the last, 0 after a 零 */
    size_t at = i;
    bool any = false;
    for (;;) {
        int v = sw__cn_char(s, n, at);
        if (v < 0)
            break;
        if (v < 10) {
            if (digit > 0)
                return -1; /* two digits with no place between them */
            digit = v;
            if (v == 0)
                place = 0;
        } else if (v == 20 || v == 30) {
            if (digit >= 0 || place)
                return -1; /* 二廿 or 百廿: no numeral */
            section += v;
            digit = -1;
            place = 10;
        } else if (v < 10000) {
            section += (digit < 0 ? (v == 10 ? 1 : -1) : digit) * v; /* 十五 is fifteen */
            if (digit < 0 && v != 10)
                return -1;
            digit = -1;
            place = v;
        } else {
            total = (total + section + (digit > 0 ? digit : 0)) * v;
            section = 0;
            digit = -1;
            place = 0;
        }
        any = true;
        at += 3;
        if (total + section > INT64_C(100000000))
            return -1;
    }
    *len = at - i;
    /* a digit right after 百 or 千 counts in the place below it: 一百五 is 150, 一千二 1200 (一百
     * 零五, with its 零, is 105) */
    if (digit > 0 && place >= 100)
        digit *= place / 10;
    return any ? total + section + (digit > 0 ? digit : 0) : -1;
}
