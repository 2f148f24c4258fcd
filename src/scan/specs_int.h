/* Internals shared by the specification check's two halves: specs.c reads the amounts with
 * units of a field, spec_compare.c compares the titles' with the detail's. Private to
 * src/scan. */
#ifndef SW_SCAN_SPECS_INT_H
#define SW_SCAN_SPECS_INT_H

#include "scan/detect.h"

#define SPEC_MAX 32

struct amount {
    int64_t v; /* thousandths of the class's base unit */
    int64_t lo, hi;
    int64_t times; /* a product's count (500g×2: 2; v is then the whole, 1000g), else 0 */
    const struct field *f;
    uint32_t s, e; /* original bytes of f (a product's: its amount's, 500g) */
    uint32_t te;   /* a product's end, after its count (500g×2) */
    int cls;
    bool labelled, product;
    bool per; /* of one piece (单果80g, 每串约1.5斤): compared only with amounts of one piece */
    bool rate;    /* so many to a weight (20只/斤, 4根/g): compared only with rates, not doses */
    bool approx;  /* converted from another system of units (16 oz): equal within 3% */
    bool ranged;  /* an end of a range (35-45头): lo..hi is the range */
    bool atleast; /* a lower bound (单果200g+, 200g以上): any amount from v up agrees */
    bool total; /* after a count label (共计96片): the whole, never one of a list of variants */
    int8_t
        gross; /* 1: with its packing (毛重, 带箱...), -1: without (净重, 净含量...), 0: unsaid */
};

struct amounts {
    struct amount a[SPEC_MAX];
    int n;
};

/* What a listing's category reads: the units kept for other categories (a bit each), and
 * whether it reads a phone's memory as a pair (8GB+256GB). */
struct reads {
    uint64_t skip;
    bool memory;
    uint64_t self_off; /* self-stating classes that need a label in this category */
    const char *cat;   /* the listing's category */
};

void sw__push_amount(struct amounts *as, struct amount a);
/* Whether a unit class is one of spec.measures (weight, volume, length: specs.c). */
bool sw__is_measure(const struct sw_scanner *sc, int cls);
/* What an amount is of (amount_of.c): a word of cw right after an amount of one of its classes
 * whose unit ends at norm offset end (80mm大果, 3.5mm 耳机; spaces between when `spaces`); an
 * amount of one piece (its last digit at `at`, its unit ending at `end`); a rate of pieces to a
 * weight right after original offset e (20-25只/斤); an ingredient's share of each container
 * (每瓶含干燕窝3g) whose number starts at norm offset from. */
bool sw__class_word_ahead(const struct field *f, const struct sw_class_words *cw, int cls,
                          uint32_t end, bool spaces);
bool sw__per_piece(const struct field *f, int cls, uint32_t at, uint32_t end);
bool sw__piece_after(const struct field *f, int cls, uint32_t e);
/* 一个2斤装: a pack's weight after a piece word, which is then no piece's (specs.c) */
bool sw__piece_before(const struct field *f, int cls, uint32_t at);
/* A detail's amount, its last digit at norm offset at, in a clause that names a place off the
 * platform (某宝搜…那边有1000g): that place's goods (amount_of.c). */
bool sw__elsewhere(const struct field *f, uint32_t at);
int sw__per_weight(const struct field *f, uint32_t e);
bool sw__rate_follows(const struct field *f, uint32_t end);
int sw__each_weight(const struct field *f, uint32_t at);
bool sw__ingredient_share(const struct field *f, uint32_t from);
/* 含 and an ingredient's name in letters before the amount at orig offset s (含DHA 600mg). */
bool sw__content_before(const struct field *f, uint32_t s);
/* What follows an amount ending at orig offset e says a content per it (每100g含): a basis. */
bool sw__basis_of_content(const struct field *f, uint32_t e);
/* A content's unit ends the amount at norm offset end and 含 and a name of ideographs stand
 * before its number at orig offset s (每片含碳酸钙1250mg): the concentrations check's. */
bool sw__named_content_before(const struct field *f, uint32_t end, uint32_t s);
/* An amount of each container times the count of them said apart (每包25g，共30包): pushed as
 * a product (each_count.c). */
void sw__each_count(const struct field *f, struct amounts *as, const struct amount *a);
/* The amounts with units of field f (detail: its labels and pack sizes count). */
void sw__amounts_of(const struct field *f, const struct reads *rd, bool detail, struct amounts *as);
/* The detail's amounts, labelled or self-stating (a formula's stage). */
void sw__labelled_amounts(const struct field *f, const struct reads *rd, struct amounts *as);
/* The detail's amounts in its norm bytes [from, to), and the unit (its index, -1: none, and
 * length) whose name starts at norm offset at (specs.c). */
void sw__amounts_within(const struct field *f, const struct reads *rd, size_t from, size_t to,
                        struct amounts *as);
int sw__unit_after(const struct field *f, const struct reads *rd, size_t at, uint32_t *len);
/* The detail's amounts right before the goods' name as the title writes it (9色眼影盘 of a
 * title 大地色眼影盘 12色), labelled by that name, into l (named.c), when the titles' amounts t
 * are of a class no labelled amount of l states. */
void sw__named_amounts(const struct field *fs, const struct reads *rd, const struct amounts *t,
                       struct amounts *l);
/* The first '+' at or after norm offset `from` that joins a memory pair, or f->n. */
size_t sw__next_memory_plus(const struct field *f, size_t from);
/* Whether the detail names a unit of a self-stating class the category reads (1段). */
bool sw__names_self_stating(const struct field *f, uint64_t skip, uint64_t self_off);
/* The self-stating classes whose categories (self_stating {class, categories}) exclude cat. */
uint64_t sw__self_off(const struct sw_scanner *sc, const char *cat);

/* The lists of kinds after a label of consistency.spec.listed (颜色分类：#01 / #02 / #03) as
 * amounts of their classes (3 colors), labelled, for the classes the titles state an amount of
 * (t): into out (SW_LISTED_MAX), their number (listed.c). */
int sw__listed_amounts(const struct field *d, const struct amounts *t, struct amount *out);

#endif
