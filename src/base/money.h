/* Money is integer fen (1 yuan = 100 fen), int64. Every operation checks for overflow. */
#ifndef SW_BASE_MONEY_H
#define SW_BASE_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Largest amount we accept anywhere: 10^15 fen (10 trillion yuan), far below INT64_MAX so
 * that sums of many amounts cannot overflow in practice; sums are still checked. */
#define SW_MONEY_MAX_FEN INT64_C(1000000000000000)

/* Parses a yuan amount written exactly: "12", "12.3", "12.34", "-0.50" (sign only when
 * allow_negative). No exponent, no spaces, no leading zeros ("012"), at most two decimals,
 * at most SW_MONEY_MAX_FEN in magnitude. */
int sw_money_parse(const char *s, size_t len, bool allow_negative, int64_t *out_fen,
                   struct sw_error *err) SW_MUSTCHECK;
/* Writes "12.34" / "-0.05"; buf needs 24 bytes. Returns buf. */
char *sw_money_format(int64_t fen, char buf[24]);

bool sw_money_add(int64_t a, int64_t b, int64_t *out) SW_MUSTCHECK;
bool sw_money_sub(int64_t a, int64_t b, int64_t *out) SW_MUSTCHECK;
bool sw_money_mul(int64_t a, int64_t n, int64_t *out) SW_MUSTCHECK;
/* amount * rate_bp / 10000, rounded half to even. */
bool sw_money_mul_bp(int64_t amount_fen, int64_t rate_bp, int64_t *out) SW_MUSTCHECK;

#endif
