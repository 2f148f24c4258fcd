/* Internals shared by the scanner's compiler (compile.c) and matcher (scan.c). */
#ifndef SW_SCAN_SCAN_INT_H
#define SW_SCAN_SCAN_INT_H

#include <hs/hs.h>
#include <stdbool.h>
#include <stdint.h>

#include "scan/scan.h"

/* What a matched pattern means. */
enum sw_role {
    R_TERM,         /* a word of lists[owner] */
    R_ALLOW,        /* a fixed phrase of lists[owner] that clears a term inside it */
    R_NEG,          /* unused: negations are looked up behind a claim (struct sw_words) */
    R_WX_KW,        /* WeChat and its disguises: an id follows */
    R_WX_INVITE,    /* "add me on WeChat": a finding by itself */
    R_QQ_KW,        /* QQ and its disguises: a number follows */
    R_URL_SCHEME,   /* http:, https:, www */
    R_TLD,          /* com, cn...: a domain when a dot-like character precedes */
    R_AT,           /* @ of an e-mail address */
    R_SHIP_CLAIM,   /* free shipping */
    R_SHIP_DENIAL,  /* not free shipping */
    R_BRAND,        /* brands[owner] */
    R_BRAND_LABEL,  /* "brand:" followed by a name */
    R_BRAND_COMPAT, /* unused: looked up behind a brand (struct sw_words) */
    R_PRICE_LABEL,  /* "price" followed by an amount */
    R_PRICE_IGNORE, /* "original price": not the price */
    R_PROMISE,      /* an after-sales promise of promises[owner] */
    R_CARRIER,      /* carriers[owner] */
    R_CARRIER_DENIAL /* "no choice of carrier" */,
    R_DIGITS, /* unused: digit runs come from the normaliser (sw_normalize_runs) */
};

struct sw_pat {
    uint8_t role;
    uint16_t owner;
    uint32_t len; /* bytes of the normalised literal */
};

struct sw_rule {
    const char *rule;
    const char *type;
    const char *severity;
};

/* Where a list or brand applies: "*", "industry.*" or category codes, compiled from the
 * policy's strings (which it borrows). */
struct sw_catpat {
    const char *s;
    size_t n; /* for a prefix, the length up to and including the dot */
    bool prefix;
};

struct sw_catset {
    bool all; /* no categories given, or "*" among them */
    struct sw_catpat *v;
    int n;
};

struct sw_list {
    struct sw_rule r;
    struct sw_catset cs;
    bool negatable;
};

struct sw_brand {
    const char *name;
    char *norm[8]; /* normalised name and aliases */
    int nnorm;
    struct sw_catset cs;
};

/* Normalised words looked up right behind a hit instead of matched everywhere: negations and
 * "compatible with" are common words (不, 非, 支持) that would make a hit every few bytes. */
struct sw_words {
    char **w;
    uint8_t *len;
    int n;
};

struct sw_scanner {
    json_t *doc; /* the policy's scan section, held: rule names point into it */
    char version[64];
    uint64_t gen;
    hs_database_t *db;
    struct sw_pat *pat;
    int npat;
    struct sw_list *lists;
    int nlists;
    struct sw_brand *brands;
    int nbrands;
    const char **promise_service; /* per promise */
    int npromises;
    const char **carrier_code;
    int ncarriers;
    struct sw_words negations, compat;
    struct sw_rule wechat, qq, phone, url, email, qr, ship, brand, price, after_sales, carrier,
        three_no;
};

/* Category code matches a set: "*", "industry.*" or the exact code. */
bool sw__catset_match(const struct sw_catset *cs, const char *category);

#endif
