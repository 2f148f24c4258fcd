/* libFuzzer: the content scanner on arbitrary bytes. The input is split at the first two
 * 0x00 bytes into title, short_title and detail (the first byte also picks a category), and
 * scanned with the default policy. Besides memory errors, checks that every finding points
 * into its field (start <= end <= length in code points) and that invalid UTF-8 is refused,
 * never scanned. Image decoding (PNG/JPEG) gets the whole input as an image too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "policy/policy.h"
#include "scan/normalize.h"
#include "scan/scan.h"
#include "scan/scan_int.h"

static struct sw_policy *pol;
/* The default scan section plus 1,200 three-character words over a small alphabet, compiled
 * twice: with the prefilter and with Hyperscan alone. Both must find the same. */
static struct sw_scanner *big_pf, *big_hs;

static void build_big(void)
{
    static const char *const alphabet[] = {"蓝", "天", "白", "云", "绿", "水",
                                           "青", "山", "微", "信", "包", "邮"};
    json_t *scan = json_deep_copy(pol->scan_doc);
    json_t *terms = json_array();
    for (int i = 0; i < 12 * 12 * 12 && json_array_size(terms) < 1200; i++) {
        char t[16];
        snprintf(t, sizeof t, "%s%s%s", alphabet[i % 12], alphabet[i / 12 % 12], alphabet[i / 144]);
        json_array_append_new(terms, json_string(t));
    }
    json_array_append_new(json_object_get(scan, "lists"),
                          json_pack("{s:s,s:s,s:s,s:o}", "rule", "fuzz.big", "type",
                                    "false_advertising", "severity", "minor", "terms", terms));
    json_t *problems = json_array();
    big_pf = sw_scanner_build(scan, "big", problems);
    int saved = sw__prefilter_min;
    sw__prefilter_min = 1 << 30;
    big_hs = sw_scanner_build(scan, "big", problems);
    sw__prefilter_min = saved;
    if (!big_pf || !big_hs || !sw_scanner_prefiltered(big_pf) || sw_scanner_prefiltered(big_hs))
        abort();
    json_decref(problems);
    json_decref(scan);
}

static size_t cps(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sw_error err;
    if (!pol) {
        if (sw_policy_load_default(&pol, &err) != SW_OK)
            abort();
        build_big();
    }
    static const char *const cats[] = {"beauty.skincare", "food.snacks",  "digital.phones",
                                       "baby.formula",    "home.kitchen", NULL};
    struct sw_listing l = {0};
    l.category = size ? cats[data[0] % 6 == 5 ? 4 : data[0] % 5] : NULL;
    const char *p = (const char *)data, *end = p + size;
    for (int f = 0; f < SW_SF__COUNT; f++) {
        const char *z = f < SW_SF__COUNT - 1 ? memchr(p, 0, (size_t)(end - p)) : NULL;
        l.text[f] = p;
        l.len[f] = z ? (size_t)(z - p) : (size_t)(end - p);
        p = z ? z + 1 : end;
    }
    l.brand = "颜夕";
    l.has_price = true;
    l.price_fen = 6900;
    l.has_freight = size > 1 && data[1] % 4 != 3;
    l.freight_fen = size > 1 ? data[1] % 3 * 100 : 0;
    l.has_production_date = l.has_quality_cert = l.has_manufacturer = size % 2 == 0;
    /* consistency.facts compares the text's dates and makers with these */
    l.production_date = l.has_production_date ? "2025-03-01" : NULL;
    l.manufacturer = l.has_manufacturer ? "杭州味享食品有限公司" : NULL;
    /* after_sales absent (unknown), [] (empty) or one service; shipping_method absent or given */
    static json_t *empty, *seven;
    if (!empty) {
        empty = json_array();
        seven = json_pack("[s]", "seven_day_return");
    }
    l.after_sales = size > 2 ? (data[2] % 3 == 0 ? NULL : data[2] % 3 == 1 ? empty : seven) : NULL;
    l.shipping_method = size > 2 && data[2] % 2 ? "中通快递" : NULL;
    json_t *out = NULL;
    int rc = sw_scan(pol->scanner, &l, &out, &err);
    bool valid = true;
    for (int f = 0; f < SW_SF__COUNT; f++)
        valid = valid && sw_utf8_valid(l.text[f], l.len[f]);
    if ((rc == SW_OK) != valid)
        abort();
    if (rc == SW_OK) {
        size_t i;
        json_t *x;
        json_array_foreach(out, i, x)
        {
            const char *field = json_string_value(json_object_get(x, "field"));
            json_int_t s = json_integer_value(json_object_get(x, "start"));
            json_int_t e = json_integer_value(json_object_get(x, "end"));
            for (int f = 0; f < SW_SF__COUNT; f++)
                if (strcmp(field, sw_scan_field_names[f]) == 0 &&
                    (s < 0 || s >= e || (size_t)e > cps(l.text[f], l.len[f])))
                    abort();
        }
        json_decref(out);
    }
    if (rc == SW_OK) {
        json_t *a = NULL, *b = NULL;
        if (sw_scan(big_pf, &l, &a, &err) != SW_OK || sw_scan(big_hs, &l, &b, &err) != SW_OK ||
            !json_equal(a, b))
            abort();
        json_decref(a);
        json_decref(b);
    }
    json_t *texts = json_array();
    (void)sw_image_qr_codes(data, size, texts, &err);
    json_decref(texts);
    return 0;
}
