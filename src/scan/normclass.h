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
 * writes it in order), bits 32-39 its length (0 = dropped), bits 40-47 the class. */
extern const uint64_t sw__normtab[65536];

static inline int sw_norm_class(uint32_t cp)
{
    return cp < 65536 ? (int)((sw__normtab[cp] >> 40) & 0xFF) : SW_NC_OTHER;
}

/* Supplementary-plane traditional -> simplified pairs, sorted by the first member. */
extern const uint32_t sw__normwide[][2];
extern const int sw__normwide_count;

#endif
