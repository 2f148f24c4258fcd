/* Text normalisation for matching: UTF-8 check, full-width -> half-width, case fold,
 * traditional -> simplified, separators and decorations dropped; with an offset map back to
 * the original bytes. Word lists and patterns go through the same function (STYLE: one
 * normaliser), so that what the policy says and what the text says meet in one form. */
#ifndef SW_SCAN_NORMALIZE_H
#define SW_SCAN_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of output (plus slack) that n input bytes can need: 795 three-byte characters
 * become four-byte ones. */
#define SW_NORM_CAP(n) ((n) / 3 * 4 + 8)

/* Normalises in[0..n) into out (SW_NORM_CAP(n) bytes). When map is not NULL (SW_NORM_CAP(n)
 * + 1 entries), map[k] is the offset in `in` of the character that produced output byte k,
 * written for the first byte of each output character, and map[*out_len] = n. Returns the
 * offset of the first invalid UTF-8 byte, or -1 when the input is valid (then *out_len is
 * set). */
long sw_normalize(const char *in, size_t n, char *out, uint32_t *map, size_t *out_len);

/* Runs of at least SW_RUN_MIN digits in the output (separators between digits are dropped, so
 * "139 1234 5678" is one run), found while normalising: the phone detector's input. Chinese
 * numerals count as digits (一五八 三三六二..., sw_norm_digit), so a run may hold three-byte
 * characters. v holds start/end pairs (output byte offsets); grown with realloc, oom set when
 * that failed. */
#define SW_RUN_MIN 10
struct sw_runs {
    uint32_t *v;
    size_t n, cap;
    bool oom;
    /* The first stage of the scanner's word-list prefilter (scan.c), done in this pass: with
     * pf_bits set, every output offset that ends three three-byte characters whose key's bit
     * (sw_pf_bit) is set goes into maybe (maybe_n entries; grown with realloc, oom on
     * failure). Any other output character starts the key again. */
    const uint64_t *pf_bits;
    uint32_t *maybe;
    size_t maybe_n, maybe_cap;
};

/* The prefilter's bit of a key of three three-byte characters (24 bits each, the last lowest):
 * one of 1 << SW_PF_BITS. */
#define SW_PF_BITS 21
static inline uint32_t sw_pf_bit(uint64_t key)
{
    return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> (64 - SW_PF_BITS));
}

/* sw_normalize that also finds digit runs (runs->n is reset first). */
long sw_normalize_runs(const char *in, size_t n, char *out, uint32_t *map, size_t *out_len,
                       struct sw_runs *runs);

/* Length of the valid UTF-8 character at s[0..n) (1-4), or 0 when invalid. */
int sw_utf8_len(const unsigned char *s, size_t n);

#endif
