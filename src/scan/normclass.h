/* The scanner's normalisation table, generated at build time by tools/gen_normtab.c from
 * OpenCC's installed character data and the folding rules written there. */
#ifndef SW_SCAN_NORMCLASS_H
#define SW_SCAN_NORMCLASS_H

#include <stdint.h>

enum sw_norm_class {
    SW_NC_DROP = 0, /* separators, decorations, zero-width: removed */
    SW_NC_LETTER,   /* a-z after folding */
    SW_NC_DIGIT,    /* 0-9 after folding */
    SW_NC_PUNCT,    /* kept punctuation: a boundary between words */
    SW_NC_OTHER,    /* everything else, kept (CJK after t2s, other scripts) */
};

/* One entry per BMP code point, packed in 64 bits so that the hot loop does one load: bits
 * 0-31 the output, already UTF-8 encoded (first byte lowest, so a little-endian 32-bit store
 * writes it in order), bits 32-39 its length (0 = dropped), bits 40-47 the class, bits 48-51
 * the digit + 1 a Chinese numeral stands for (一 幺 壹 = 1, 两 = 2...; 0 = not one), bit 52
 * set for every character that continues a written number (digits and those numerals), bit 53
 * set for the surrogates U+D800-U+DFFF, which UTF-8 must not encode (the decoder refuses them). */
extern const uint64_t sw__normtab[65536];

/* The digit a character of the normalised text stands for in a written number: 0-9 for
 * ASCII digits and Chinese numerals (一五八 三三六二), -1 otherwise. */
static inline int sw_norm_digit(uint32_t cp)
{
    if (cp >= '0' && cp <= '9')
        return (int)(cp - '0');
    return cp < 65536 ? (int)((sw__normtab[cp] >> 48) & 0xF) - 1 : -1;
}

static inline int sw_norm_class(uint32_t cp)
{
    return cp < 65536 ? (int)((sw__normtab[cp] >> 40) & 0xFF) : SW_NC_OTHER;
}

/* Supplementary-plane traditional -> simplified pairs, sorted by the first member. */
extern const uint32_t sw__normwide[][2];
extern const int sw__normwide_count;

#endif
