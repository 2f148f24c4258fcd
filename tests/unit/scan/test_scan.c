#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "scan/scan.h"

static struct sw_policy *pol;

static int setup(void **state)
{
    struct sw_error err;
    return sw_policy_load_default(&pol, &err);
}

static int teardown(void **state)
{
    sw_policy_free(pol);
    return 0;
}

static json_t *scan_json(const char *listing)
{
    json_error_t je;
    json_t *in = json_loads(listing, 0, &je);
    assert_non_null(in);
    struct sw_listing l;
    struct sw_error err;
    assert_int_equal(sw_listing_from_json(in, &l, &err), SW_OK);
    json_t *out = NULL;
    assert_int_equal(sw_scan(pol->scanner, &l, &out, &err), SW_OK);
    json_decref(in);
    return out;
}

#define COMPLETE "\"production_date\":\"2026-01-01\",\"quality_cert\":\"q\",\"manufacturer\":\"m\""

static void test_scan__finding_shape(void **state)
{
    json_t *f = scan_json("{\"category\":\"beauty.skincare\",\"title\":\"眼霜\",\"detail\":"
                          "\"三天消除黑眼圈\"," COMPLETE "}");
    assert_int_equal(json_array_size(f), 1);
    json_t *x = json_array_get(f, 0);
    assert_string_equal(json_string_value(json_object_get(x, "type")), "exaggerated_efficacy");
    assert_string_equal(json_string_value(json_object_get(x, "rule")), "efficacy.cosmetic_claims");
    assert_string_equal(json_string_value(json_object_get(x, "field")), "detail");
    assert_int_equal(json_integer_value(json_object_get(x, "start")), 2);
    assert_int_equal(json_integer_value(json_object_get(x, "end")), 7);
    assert_string_equal(json_string_value(json_object_get(x, "excerpt")), "消除黑眼圈");
    assert_string_equal(json_string_value(json_object_get(x, "policy_version")), pol->version);
    json_decref(f);
}

static void test_scan__category_decides_whether_a_claim_is_banned(void **state)
{
    json_t *a = scan_json("{\"category\":\"health.supplements\",\"title\":\"蛋白粉\",\"detail\":"
                          "\"增强免疫力\"," COMPLETE "}");
    json_t *b = scan_json("{\"category\":\"baby.formula\",\"title\":\"奶粉\",\"detail\":"
                          "\"增强免疫力\"," COMPLETE "}");
    assert_int_equal(json_array_size(a), 0);
    assert_int_equal(json_array_size(b), 1);
    json_decref(a);
    json_decref(b);
}

/* A special-use cosmetic's registration (国妆特字) permits its registered function (祛斑,
 * 美白), not other claims; without one, the function is a claim. */
static void test_scan__a_registration_permits_its_function(void **state)
{
    json_t *a = scan_json("{\"category\":\"beauty.skincare\",\"title\":\"祛斑霜\",\"detail\":"
                          "\"注册证号 国妆特字G20230456，注册功效：祛斑美白\"," COMPLETE "}");
    json_t *b = scan_json("{\"category\":\"beauty.skincare\",\"title\":\"祛斑霜\",\"detail\":"
                          "\"注册功效：祛斑美白\"," COMPLETE "}");
    json_t *c = scan_json("{\"category\":\"beauty.skincare\",\"title\":\"祛斑霜\",\"detail\":"
                          "\"国妆特字G20230456，抗衰老\"," COMPLETE "}");
    assert_int_equal(json_array_size(a), 0);
    assert_true(json_array_size(b) >= 1);
    assert_int_equal(json_array_size(c), 1);
    json_decref(a);
    json_decref(b);
    json_decref(c);
}

static void test_scan__each_occurrence_counts(void **state)
{
    json_t *f = scan_json("{\"category\":\"food.snacks\",\"title\":\"茶\",\"detail\":"
                          "\"减肥,真的减肥,再减肥\"," COMPLETE "}");
    assert_int_equal(json_array_size(f), 3);
    json_decref(f);
}

/* Two claims side by side stay two, though a phrase said the other way round (the disease,
 * then an end: 糖尿病…预防) spans the end of one and the start of the other. */
static void test_scan__two_claims_a_space_apart_are_two(void **state)
{
    json_t *f = scan_json("{\"category\":\"health.supplements\",\"title\":\"鱼油\",\"detail\":"
                          "\"治疗糖尿病 预防癌症\"," COMPLETE "}");
    json_t *g = scan_json("{\"category\":\"beauty.skincare\",\"title\":\"眼霜\",\"detail\":"
                          "\"消除黑眼圈 去除皱纹\"," COMPLETE "}");
    assert_int_equal(json_array_size(f), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(f, 1), "evidence")),
                        "预防癌症");
    assert_int_equal(json_array_size(g), 2);
    json_decref(f);
    json_decref(g);
}

static void test_scan__a_field_of_spaces_only_is_missing(void **state)
{
    json_t *f = scan_json("{\"category\":\"food.snacks\",\"title\":\"茶\",\"detail\":\"绿茶\","
                          "\"production_date\":\"2026-01-01\",\"quality_cert\":\"q\","
                          "\"manufacturer\":\" \\u3000 \"}");
    assert_int_equal(json_array_size(f), 1);
    json_t *x = json_array_get(f, 0);
    assert_string_equal(json_string_value(json_object_get(x, "rule")), "three_no.missing_field");
    assert_string_equal(json_string_value(json_object_get(x, "field")), "manufacturer");
    json_decref(f);
}

/* A field that says there is none (无, N/A, -) is missing too; a value with more in it is not. */
static void test_scan__a_field_that_says_none_is_missing(void **state)
{
    (void)state;
    json_t *f = scan_json("{\"category\":\"food.snacks\",\"title\":\"茶\",\"detail\":\"绿茶\","
                          "\"production_date\":\"2026-01-01\",\"quality_cert\":\" 无 \","
                          "\"manufacturer\":\"N/A\"}");
    assert_int_equal(json_array_size(f), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(f, 0), "field")),
                        "quality_cert");
    assert_string_equal(json_string_value(json_object_get(json_array_get(f, 1), "field")),
                        "manufacturer");
    json_decref(f);
    f = scan_json("{\"category\":\"food.snacks\",\"title\":\"茶\",\"detail\":\"绿茶\","
                  "\"production_date\":\"2026-01-01\",\"quality_cert\":\"无公害农产品认证\","
                  "\"manufacturer\":\"Nana Foods\"}");
    assert_int_equal(json_array_size(f), 0);
    json_decref(f);
}

static void test_scan__invalid_utf8_is_refused_with_the_field(void **state)
{
    struct sw_listing l = {0};
    l.text[SW_SF_DETAIL] = "ok\xff";
    l.len[SW_SF_DETAIL] = 3;
    json_t *out = NULL;
    struct sw_error err;
    assert_int_equal(sw_scan(pol->scanner, &l, &out, &err), SW_E_INVALID_UTF8);
    assert_string_equal(err.field, "detail");
    assert_null(out);
}

static void test_scan__huge_repetitive_text_stays_linear(void **state)
{
    /* 1 MiB of one claim: every hit is checked with bounded look-ups, not against each other */
    size_t n = 1 << 20;
    char *t = malloc(n + 1);
    for (size_t i = 0; i + 6 <= n; i += 6)
        memcpy(t + i, "包邮", 6);
    n = n / 6 * 6;
    struct sw_listing l = {0};
    l.text[SW_SF_DETAIL] = t;
    l.len[SW_SF_DETAIL] = n;
    l.has_freight = true;
    l.freight_fen = 100;
    l.has_production_date = l.has_quality_cert = l.has_manufacturer = true;
    json_t *out = NULL;
    struct sw_error err;
    assert_int_equal(sw_scan(pol->scanner, &l, &out, &err), SW_OK);
    /* the same claim is listed 8 times, the last one counting the rest (issue 10: what the
     * writer stores stays small) */
    assert_int_equal(json_array_size(out), 8);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(out, 7), "repeats")),
                     (json_int_t)(n / 6 - 8));
    json_decref(out);
    free(t);
}

static unsigned char *slurp(const char *rel, size_t *len)
{
    char path[512];
    const char *src = getenv("SW_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/tests/data/scan/images/%s", src ? src : SW_SOURCE_DIR, rel);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

/* The QR PNG re-encoded as a JPEG in memory, to test the JPEG path on the same code. */
static unsigned char *png_to_jpeg(const unsigned char *png, size_t len, unsigned long *out_len)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    assert_true(png_image_begin_read_from_memory(&img, png, len));
    img.format = PNG_FORMAT_GRAY;
    unsigned char *px = malloc(PNG_IMAGE_SIZE(img));
    assert_true(png_image_finish_read(&img, NULL, px, 0, NULL));
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr jerr;
    c.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&c);
    unsigned char *out = NULL;
    jpeg_mem_dest(&c, &out, out_len);
    c.image_width = img.width;
    c.image_height = img.height;
    c.input_components = 1;
    c.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 95, TRUE);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = px + (size_t)c.next_scanline * img.width;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(px);
    return out;
}

static void test_scan__qr_codes_in_png_and_jpeg(void **state)
{
    size_t len;
    unsigned char *png = slurp("qr-wechat.png", &len);
    json_t *texts = json_array();
    struct sw_error err;
    assert_int_equal(sw_image_qr_codes(png, len, texts, &err), SW_OK);
    assert_int_equal(json_array_size(texts), 1);
    assert_string_equal(json_string_value(json_array_get(texts, 0)), "https://u.wechat.com/abc123");
    unsigned long jl = 0;
    unsigned char *jpg = png_to_jpeg(png, len, &jl);
    json_array_clear(texts);
    assert_int_equal(sw_image_qr_codes(jpg, jl, texts, &err), SW_OK);
    assert_int_equal(json_array_size(texts), 1);
    /* a truncated JPEG is an error, not a crash */
    int rc = sw_image_qr_codes(jpg, jl / 2, texts, &err);
    assert_true(rc == SW_OK || rc == SW_E_INVALID_VALUE);
    free(jpg);
    free(png);
    png = slurp("plain.png", &len);
    json_array_clear(texts);
    assert_int_equal(sw_image_qr_codes(png, len, texts, &err), SW_OK);
    assert_int_equal(json_array_size(texts), 0);
    assert_int_equal(sw_image_qr_codes(png, 20, texts, &err), SW_E_INVALID_VALUE);
    assert_int_equal(sw_image_qr_codes((const unsigned char *)"GIF89a", 6, texts, &err),
                     SW_E_INVALID_VALUE);
    free(png);
    json_decref(texts);
}

static void test_scan__bad_scan_sections_are_reported(void **state)
{
    json_t *problems = json_array();
    json_t *scan = json_deep_copy(pol->scan_doc);
    json_object_set_new(json_array_get(json_object_get(scan, "lists"), 0), "type",
                        json_string("gossip"));
    json_object_del(json_object_get(scan, "diversion"), "wechat");
    json_object_set_new(scan, "extra", json_true());
    assert_null(sw_scanner_build(scan, "v", problems));
    char *text = json_dumps(problems, 0);
    assert_non_null(strstr(text, "$.scan.lists[0]"));
    assert_non_null(strstr(text, "$.scan.diversion.wechat"));
    assert_non_null(strstr(text, "unknown field 'extra'"));
    free(text);
    json_decref(scan);
    json_decref(problems);
}

static void put_cp(char *o, unsigned cp)
{
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
}

/* Large lists go to the prefilter (not Hyperscan); it must find what Hyperscan would: every
 * occurrence, overlapping ones, at the start and end of fields, never across two fields, and
 * not a word whose first character differs from a term's in its last byte only (發云朵朵 against
 * 白云朵朵: the prefilter's key drops that byte). */
static void test_scan__large_lists_match_like_small_ones(void **state)
{
    json_t *scan = json_deep_copy(pol->scan_doc);
    json_t *terms = json_array();
    for (unsigned i = 0; i < 1200; i++) {
        char t[10];
        put_cp(t, 0x6000 + i % 40);
        put_cp(t + 3, 0x6100 + (i / 40) % 40);
        put_cp(t + 6, 0x6200 + i / 1600);
        t[9] = '\0';
        json_array_append_new(terms, json_string(t));
    }
    const char *mine[] = {"蓝天白云", "蓝天白", "天白云", "白云朵朵", "绿水青山"};
    for (size_t i = 0; i < sizeof mine / sizeof mine[0]; i++)
        json_array_append_new(terms, json_string(mine[i]));
    json_array_append_new(json_object_get(scan, "lists"),
                          json_pack("{s:s,s:s,s:s,s:o}", "rule", "test.big", "type",
                                    "false_advertising", "severity", "minor", "terms", terms));
    json_t *problems = json_array();
    struct sw_scanner *sc = sw_scanner_build(scan, "big", problems);
    assert_non_null(sc);
    assert_true(sw_scanner_prefiltered(sc) >= 1205); /* and the default lists' long words */
    struct sw_listing l = {0};
    /* title ends with 蓝天 and the short title starts with 白云: no term across the two */
    const char *texts[] = {"蓝天白云好,蓝天", "白云朵朵 见 绿水青山", "x蓝天白云蓝天白云發云朵朵"};
    for (int f = 0; f < SW_SF__COUNT; f++) {
        l.text[f] = texts[f];
        l.len[f] = strlen(texts[f]);
    }
    l.has_production_date = l.has_quality_cert = l.has_manufacturer = true;
    json_t *out = NULL;
    struct sw_error err;
    assert_int_equal(sw_scan(sc, &l, &out, &err), SW_OK);
    char *text = json_dumps(out, JSON_COMPACT);
    size_t n = 0;
    const char *want[][3] = {{"title", "0", "4"},
                             {"short_title", "0", "4"},
                             {"short_title", "7", "11"},
                             {"detail", "1", "5"},
                             {"detail", "5", "9"}};
    size_t i;
    json_t *x;
    json_array_foreach(out, i, x)
    {
        if (strcmp(json_string_value(json_object_get(x, "rule")), "test.big") != 0)
            continue;
        assert_true(n < 5);
        assert_string_equal(json_string_value(json_object_get(x, "field")), want[n][0]);
        assert_int_equal(json_integer_value(json_object_get(x, "start")), atoi(want[n][1]));
        assert_int_equal(json_integer_value(json_object_get(x, "end")), atoi(want[n][2]));
        n++;
    }
    assert_int_equal(n, 5); /* the shorter 蓝天白 and 天白云 lie inside 蓝天白云: not counted */
    free(text);
    json_decref(out);
    sw_scanner_free(sc);
    json_decref(scan);
    json_decref(problems);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan__finding_shape),
        cmocka_unit_test(test_scan__category_decides_whether_a_claim_is_banned),
        cmocka_unit_test(test_scan__a_registration_permits_its_function),
        cmocka_unit_test(test_scan__each_occurrence_counts),
        cmocka_unit_test(test_scan__two_claims_a_space_apart_are_two),
        cmocka_unit_test(test_scan__a_field_of_spaces_only_is_missing),
        cmocka_unit_test(test_scan__a_field_that_says_none_is_missing),
        cmocka_unit_test(test_scan__invalid_utf8_is_refused_with_the_field),
        cmocka_unit_test(test_scan__huge_repetitive_text_stays_linear),
        cmocka_unit_test(test_scan__qr_codes_in_png_and_jpeg),
        cmocka_unit_test(test_scan__bad_scan_sections_are_reported),
        cmocka_unit_test(test_scan__large_lists_match_like_small_ones),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
