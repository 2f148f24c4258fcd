/* The content scanner (RULES.md §3, DESIGN.md "Content scanning"): finds exaggerated efficacy,
 * absolute terms, external diversion (text and QR codes), key-info inconsistency and three-no
 * products in one listing. A library: no I/O, no store, no clock. The compiled scanner is
 * built once per policy version (the policy owns it) and shared by all threads; each thread
 * keeps its own scratch space. */
#ifndef SW_SCAN_SCAN_H
#define SW_SCAN_SCAN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct sw_scanner;

struct sw_scan_image {
    const char *name; /* how the finding names it: a path, "images[2]" */
    const unsigned char *data;
    size_t len;
};

enum sw_scan_field { SW_SF_TITLE, SW_SF_SHORT_TITLE, SW_SF_DETAIL, SW_SF__COUNT };

/* One listing, borrowed from the caller. Texts need not be NUL-terminated. */
struct sw_listing {
    const char *category; /* NULL: no category-specific lists apply */
    const char *text[SW_SF__COUNT];
    size_t len[SW_SF__COUNT];
    const char *brand; /* NULL or "": no brand to contradict */
    /* A structured field that is absent is unknown: no consistency check compares the text
     * with it (docs/scan.md "Absent fields"). after_sales NULL is unknown; [] is empty, and
     * every after-sales promise in the text contradicts it. */
    bool has_price, has_freight;
    int64_t price_fen;
    int64_t freight_fen;
    const json_t *after_sales;   /* array of service codes, or NULL (unknown) */
    const char *shipping_method; /* the carrier the listing ships with, or NULL (unknown) */
    bool has_production_date, has_quality_cert, has_manufacturer;
    /* their values when given as strings (consistency.facts compares the text with them) */
    const char *production_date, *manufacturer;
    const struct sw_scan_image *images;
    int nimages;
};

/* Validates the policy's "scan" section (problems appended to `problems` as {path, message})
 * and compiles it. Returns NULL when there were problems. */
struct sw_scanner *sw_scanner_build(const json_t *scan, const char *version, json_t *problems);
void sw_scanner_free(struct sw_scanner *sc);
/* How many list words the scanner matches outside Hyperscan (large lists; docs/scan.md). */
int sw_scanner_prefiltered(const struct sw_scanner *sc);

/* Pixel budgets for images (policy scan.max_image_pixels, scan.max_request_pixels): defaults
 * and the largest values a policy may set. SW_IMAGE_MAX_PIXELS is also what the decoder
 * refuses beyond, whoever calls it. */
#define SW_IMAGE_PIXELS_DEFAULT INT64_C(16000000)
#define SW_REQUEST_PIXELS_DEFAULT INT64_C(40000000)
#define SW_IMAGE_MAX_PIXELS INT64_C(40000000)
#define SW_REQUEST_MAX_PIXELS INT64_C(1000000000)

/* Scans one listing; *findings is a new array of
 * {type, rule, severity, field, start, end, excerpt, evidence, policy_version}, start/end in
 * Unicode code points of the original field text (excerpt == text[start:end]). Fails with
 * invalid_utf8 (field set) for text that is not UTF-8, invalid_value for an image that is
 * neither PNG nor JPEG or does not decode, image_too_large (field "images[i]") when an image's
 * header declares more pixels than the policy allows one image, or the images together more
 * than it allows one scan: checked on the headers of all images before any is decoded. The
 * cost of the text part is linear in the text's length. */
int sw_scan(const struct sw_scanner *sc, const struct sw_listing *l, json_t **findings,
            struct sw_error *err) SW_MUSTCHECK;

/* What a scan learnt about the text besides findings, for callers that rescan only when needed:
 * SW_SCAN_STATES_PRICE = the text states a price (a new price can contradict it). */
#define SW_SCAN_STATES_PRICE 1u
/* SW_SCAN_TRUNCATED = the listing had more distinct findings than the policy's
 * scan.max_findings; the first ones (structured fields and images first, then title, short
 * title and detail in text order) were kept, the rest left out. */
#define SW_SCAN_TRUNCATED 2u
/* Findings one listing reports at most (policy scan.max_findings): the default and the most a
 * policy may set. A repeat of the same rule, field and evidence is folded into its first
 * finding ("repeats") and does not count. */
#define SW_FINDINGS_DEFAULT INT64_C(200)
#define SW_FINDINGS_MAX INT64_C(10000)
int sw_scan_flags(const struct sw_scanner *sc, const struct sw_listing *l, json_t **findings,
                  unsigned *flags, struct sw_error *err) SW_MUSTCHECK;

/* Fills *l from the JSON shape of `shopwarden scan` and POST /v1/scan: the product API's
 * fields (id, category, title, short_title, detail, brand, price as a yuan string or
 * price_fen, freight or freight_fen, after_sales, production_date, quality_cert, manufacturer;
 * shipping_method, images, attributes, main_image, detail_images, spu_id, services, stock and
 * merchant are accepted and not read here; images are the caller's). Strings stay owned by
 * `in`. Wrong types are wrong_type, any other field unknown_field, with the field named. The
 * category is the caller's to check against its policy (unknown_category). */
int sw_listing_from_json(const json_t *in, struct sw_listing *l, struct sw_error *err) SW_MUSTCHECK;
/* Whether a three-no field (production_date, quality_cert, manufacturer) is given: a string
 * with something in it other than spaces (ASCII white space, the full-width space) and other
 * than a word that says there is none (无, 暂无, 不详, N/A, none, - ...: listing.c). */
bool sw_listing_field_given(const json_t *v);

/* The width and height a PNG or JPEG image's header declares, read without decoding the image
 * (invalid_value when it is neither or has no readable header). */
int sw_image_dimensions(const unsigned char *data, size_t len, uint32_t *width, uint32_t *height,
                        struct sw_error *err) SW_MUSTCHECK;

/* The QR codes in one PNG or JPEG image: appends each decoded text to `texts`. Images over
 * SW_IMAGE_MAX_PIXELS or 16384 pixels a side are refused (invalid_value); callers with a
 * policy check sw_image_dimensions against it first. */
int sw_image_qr_codes(const unsigned char *data, size_t len, json_t *texts,
                      struct sw_error *err) SW_MUSTCHECK;

extern const char *const sw_scan_field_names[SW_SF__COUNT];

/* Process-wide counters for /metrics: listings scanned and bytes of text scanned. */
void sw_scan_stats(uint64_t *listings, uint64_t *bytes);

#endif
