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

struct sw_norm_entry {
    uint8_t out[4]; /* the output, already UTF-8 encoded */
    uint8_t len;    /* 0 = dropped */
    uint8_t cls;    /* enum sw_norm_class */
};

extern const struct sw_norm_entry sw__normtab[65536];
/* Supplementary-plane traditional -> simplified pairs, sorted by the first member. */
extern const uint32_t sw__normwide[][2];
extern const int sw__normwide_count;

#endif
