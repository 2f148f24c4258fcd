/* Image bombs (issue 10): a small file can declare millions of pixels, and decoding costs per
 * pixel. The scanner reads the dimensions from the header and refuses an image over the
 * policy's budget (scan.max_image_pixels), or images over the budget of one scan together
 * (scan.max_request_pixels), with image_too_large before decoding any of them.
 *
 * The crafted images here have a header and no pixel data: decoding one fails (invalid_value).
 * So image_too_large for them shows the refusal came before decoding, and invalid_value for
 * the same image under the budget shows that the decoder is what runs otherwise. */
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

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
}

/* A PNG of 45 bytes: signature, IHDR declaring w x h (8-bit grey), IEND; no IDAT. */
struct png_hdr {
    unsigned char b[45];
};

static struct png_hdr png_header(uint32_t w, uint32_t h)
{
    struct png_hdr p;
    memcpy(p.b, "\x89PNG\r\n\x1a\n", 8);
    put32(p.b + 8, 13);
    memcpy(p.b + 12, "IHDR", 4);
    put32(p.b + 16, w);
    put32(p.b + 20, h);
    memcpy(p.b + 24, "\x08\x00\x00\x00\x00", 5); /* depth 8, grey, deflate, no filter/interlace */
    put32(p.b + 29, crc32_of(p.b + 12, 17));
    put32(p.b + 33, 0);
    memcpy(p.b + 37, "IEND", 4);
    put32(p.b + 41, crc32_of(p.b + 37, 4));
    return p;
}

/* A JPEG header: SOI, an APP0 segment, SOF0 declaring w x h (one component), EOI; no scan. */
static size_t jpeg_header(unsigned char *b, unsigned w, unsigned h)
{
    static const unsigned char app0[] = {0xFF, 0xE0, 0x00, 0x10, 'J',  'F',  'I',  'F',  0x00,
                                         0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00};
    size_t n = 0;
    b[n++] = 0xFF;
    b[n++] = 0xD8;
    memcpy(b + n, app0, sizeof app0);
    n += sizeof app0;
    unsigned char sof[] = {0xFF,
                           0xC0,
                           0x00,
                           0x0B,
                           0x08,
                           (unsigned char)(h >> 8),
                           (unsigned char)h,
                           (unsigned char)(w >> 8),
                           (unsigned char)w,
                           0x01,
                           0x01,
                           0x11,
                           0x00};
    memcpy(b + n, sof, sizeof sof);
    n += sizeof sof;
    b[n++] = 0xFF;
    b[n++] = 0xD9;
    return n;
}

/* A real grey JPEG of w x h, encoded by libjpeg (progressive: in several scans). */
static unsigned char *encode_jpeg(unsigned w, unsigned h, bool progressive, unsigned long *len)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr jerr;
    c.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&c);
    unsigned char *out = NULL;
    jpeg_mem_dest(&c, &out, len);
    c.image_width = w;
    c.image_height = h;
    c.input_components = 1;
    c.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    if (progressive)
        jpeg_simple_progression(&c);
    jpeg_start_compress(&c, TRUE);
    unsigned char *row = calloc(w, 1);
    while (c.next_scanline < c.image_height)
        jpeg_write_scanlines(&c, &row, 1);
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    return out;
}

static unsigned char *real_jpeg(unsigned w, unsigned h, unsigned long *len)
{
    return encode_jpeg(w, h, false, len);
}

static unsigned char *slurp(const char *rel, size_t *len)
{
    char path[512];
    const char *src = getenv("SW_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/tests/data/scan/images/%s", src ? src : SW_SOURCE_DIR, rel);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *buf = malloc(1 << 16);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

/* Scans a listing with these images under scanner sc; returns the code, err filled. */
static int scan_images(const struct sw_scanner *sc, const struct sw_scan_image *imgs, int n,
                       struct sw_error *err)
{
    struct sw_listing l = {0};
    l.text[SW_SF_TITLE] = "t";
    l.len[SW_SF_TITLE] = 1;
    l.has_production_date = l.has_quality_cert = l.has_manufacturer = true;
    l.images = imgs;
    l.nimages = n;
    json_t *out = NULL;
    memset(err, 0, sizeof *err);
    int rc = sw_scan(sc, &l, &out, err);
    json_decref(out);
    return rc;
}

static void test_images__dimensions_come_from_the_header(void **state)
{
    uint32_t w, h;
    struct sw_error err;
    size_t len;
    unsigned char *png = slurp("qr-wechat.png", &len);
    assert_int_equal(sw_image_dimensions(png, len, &w, &h, &err), SW_OK);
    assert_int_equal(w, 132);
    assert_int_equal(h, 132);
    free(png);
    struct png_hdr bomb = png_header(16384, 2441);
    assert_int_equal(sw_image_dimensions(bomb.b, sizeof bomb.b, &w, &h, &err), SW_OK);
    assert_int_equal(w, 16384);
    assert_int_equal(h, 2441);
    unsigned long jl = 0;
    unsigned char *jpg = real_jpeg(37, 23, &jl);
    assert_int_equal(sw_image_dimensions(jpg, jl, &w, &h, &err), SW_OK);
    assert_int_equal(w, 37);
    assert_int_equal(h, 23);
    free(jpg);
    unsigned char hj[64];
    size_t hn = jpeg_header(hj, 60000, 50000);
    assert_int_equal(sw_image_dimensions(hj, hn, &w, &h, &err), SW_OK);
    assert_int_equal(w, 60000);
    assert_int_equal(h, 50000);
    /* neither format, or no readable header: invalid_value */
    assert_int_equal(sw_image_dimensions((const unsigned char *)"GIF89a", 6, &w, &h, &err),
                     SW_E_INVALID_VALUE);
    assert_int_equal(sw_image_dimensions(bomb.b, 20, &w, &h, &err), SW_E_INVALID_VALUE);
    assert_int_equal(sw_image_dimensions(hj, 6, &w, &h, &err), SW_E_INVALID_VALUE);
    hj[2 + 18 + 1] = 0xDA; /* the frame header becomes a scan: no size before it */
    assert_int_equal(sw_image_dimensions(hj, hn, &w, &h, &err), SW_E_INVALID_VALUE);
}

static void test_images__an_image_over_the_budget_is_refused_before_decoding(void **state)
{
    struct sw_error err;
    struct png_hdr small = png_header(1000, 1000), bomb = png_header(16384, 2441);
    struct sw_scan_image img = {"small.png", small.b, sizeof small.b};
    /* under the budget the decoder runs, and fails on an image without pixel data */
    assert_int_equal(scan_images(pol->scanner, &img, 1, &err), SW_E_INVALID_VALUE);
    assert_string_equal(err.field, "images[0]");
    img = (struct sw_scan_image){"bomb.png", bomb.b, sizeof bomb.b};
    assert_int_equal(scan_images(pol->scanner, &img, 1, &err), SW_E_IMAGE_TOO_LARGE);
    assert_string_equal(err.field, "images[0]");
    assert_non_null(strstr(err.msg, "16384x2441"));
    assert_int_equal(sw_err_http_status(SW_E_IMAGE_TOO_LARGE), 413);
    assert_string_equal(sw_err_name(SW_E_IMAGE_TOO_LARGE), "image_too_large");
    unsigned char hj[64];
    size_t hn = jpeg_header(hj, 5000, 4000); /* 20 million pixels */
    img = (struct sw_scan_image){"bomb.jpg", hj, hn};
    assert_int_equal(scan_images(pol->scanner, &img, 1, &err), SW_E_IMAGE_TOO_LARGE);
    /* a real image within the budget is still scanned */
    size_t len;
    unsigned char *png = slurp("qr-wechat.png", &len);
    img = (struct sw_scan_image){"qr.png", png, len};
    assert_int_equal(scan_images(pol->scanner, &img, 1, &err), SW_OK);
    free(png);
}

static void test_images__the_images_of_one_scan_share_a_budget(void **state)
{
    struct sw_error err;
    struct png_hdr p = png_header(4000, 3000); /* 12 million: under 16 million each */
    struct sw_scan_image imgs[4];
    for (int i = 0; i < 4; i++)
        imgs[i] = (struct sw_scan_image){"p.png", p.b, sizeof p.b};
    /* 36 million together: within 40 million, so images[0] is decoded (and fails) */
    assert_int_equal(scan_images(pol->scanner, imgs, 3, &err), SW_E_INVALID_VALUE);
    assert_string_equal(err.field, "images[0]");
    /* 48 million: the fourth is refused, before the first is decoded */
    assert_int_equal(scan_images(pol->scanner, imgs, 4, &err), SW_E_IMAGE_TOO_LARGE);
    assert_string_equal(err.field, "images[3]");
    /* an image that is neither format is named as before */
    imgs[1] = (struct sw_scan_image){"x.gif", (const unsigned char *)"GIF89a", 6};
    assert_int_equal(scan_images(pol->scanner, imgs, 4, &err), SW_E_INVALID_VALUE);
    assert_string_equal(err.field, "images[1]");
}

static struct sw_scanner *build_with(const char *key, json_t *value, json_t *problems)
{
    json_t *scan = json_deep_copy(pol->scan_doc);
    json_object_set_new(scan, key, value);
    struct sw_scanner *sc = sw_scanner_build(scan, "v", problems);
    json_decref(scan);
    return sc;
}

static void test_images__the_budgets_are_policy_values(void **state)
{
    /* the default policy states them */
    json_t *scan = pol->scan_doc;
    assert_int_equal(json_integer_value(json_object_get(scan, "max_image_pixels")), 16000000);
    assert_int_equal(json_integer_value(json_object_get(scan, "max_request_pixels")), 40000000);
    /* a policy that allows less refuses what the default allows */
    json_t *problems = json_array();
    struct sw_scanner *sc = build_with("max_image_pixels", json_integer(10000), problems);
    assert_non_null(sc);
    size_t len;
    unsigned char *png = slurp("qr-wechat.png", &len); /* 132 x 132 = 17,424 */
    struct sw_scan_image img = {"qr.png", png, len};
    struct sw_error err;
    assert_int_equal(scan_images(sc, &img, 1, &err), SW_E_IMAGE_TOO_LARGE);
    sw_scanner_free(sc);
    sc = build_with("max_request_pixels", json_integer(30000), problems);
    struct sw_scan_image two[] = {img, img};
    assert_int_equal(scan_images(sc, two, 1, &err), SW_OK);
    assert_int_equal(scan_images(sc, two, 2, &err), SW_E_IMAGE_TOO_LARGE);
    assert_string_equal(err.field, "images[1]");
    sw_scanner_free(sc);
    free(png);
    assert_int_equal(json_array_size(problems), 0);
    /* out of range or of the wrong type: problems with their path */
    assert_null(build_with("max_image_pixels", json_integer(0), problems));
    assert_null(build_with("max_image_pixels", json_integer(40000001), problems));
    assert_null(build_with("max_request_pixels", json_string("lots"), problems));
    char *text = json_dumps(problems, 0);
    assert_non_null(strstr(text, "$.scan.max_image_pixels"));
    assert_non_null(strstr(text, "$.scan.max_request_pixels"));
    free(text);
    json_decref(problems);
}

/* A progressive JPEG decodes pass by pass over every coefficient: one whose scans are repeated
 * hundreds of times costs seconds for a few hundred KB (issue 10's review). More than 32 scans
 * is refused before decoding; libjpeg's own progression (10 scans) is decoded. */
static void test_images__a_jpeg_of_too_many_scans_is_refused(void **state)
{
    unsigned long len;
    unsigned char *jpg = encode_jpeg(64, 64, true, &len);
    struct sw_scan_image img = {"p.jpg", jpg, len};
    struct sw_error err;
    assert_int_equal(scan_images(pol->scanner, &img, 1, &err), SW_OK);
    /* the second-to-last segment before EOI is a scan; repeat its SOS segment 40 times */
    size_t sos = 0;
    for (size_t i = 2; i + 1 < len - 2; i++)
        if (jpg[i] == 0xFF && jpg[i + 1] == 0xDA)
            sos = i; /* the last scan */
    assert_true(sos > 0);
    size_t scan_len = len - 2 - sos, blen = sos + 40 * scan_len + 2;
    unsigned char *bomb = malloc(blen);
    memcpy(bomb, jpg, sos);
    for (int k = 0; k < 40; k++)
        memcpy(bomb + sos + (size_t)k * scan_len, jpg + sos, scan_len);
    memcpy(bomb + blen - 2, "\xFF\xD9", 2);
    struct sw_scan_image b = {"bomb.jpg", bomb, blen};
    assert_int_equal(scan_images(pol->scanner, &b, 1, &err), SW_E_IMAGE_TOO_LARGE);
    assert_string_equal(err.field, "images[0]");
    free(bomb);
    free(jpg);
}

/* zbar's search grows faster than the pixels on crafted images; larger images are averaged
 * down before it. A QR code in a large image is still read. */
static void test_images__a_qr_code_in_a_large_image_is_read_after_shrinking(void **state)
{
    size_t len;
    unsigned char *png = slurp("qr-wechat.png", &len);
    json_t *texts = json_array();
    struct sw_error err;
    /* decode the small one to grey, then blow it up 12x (1584 x 1584, 2.5 MP) as a PNG */
    assert_int_equal(sw_image_qr_codes(png, len, texts, &err), SW_OK);
    assert_int_equal(json_array_size(texts), 1);
    char *want = strdup(json_string_value(json_array_get(texts, 0)));
    json_array_clear(texts);
    png_image in = {.version = PNG_IMAGE_VERSION};
    assert_true(png_image_begin_read_from_memory(&in, png, len));
    in.format = PNG_FORMAT_GRAY;
    unsigned char *px = malloc(PNG_IMAGE_SIZE(in));
    assert_true(png_image_finish_read(&in, NULL, px, 0, NULL));
    unsigned w = in.width * 12, h = in.height * 12;
    unsigned char *big = malloc((size_t)w * h);
    for (unsigned y = 0; y < h; y++)
        for (unsigned x = 0; x < w; x++)
            big[(size_t)y * w + x] = px[(y / 12) * in.width + x / 12];
    png_image out = {
        .version = PNG_IMAGE_VERSION, .width = w, .height = h, .format = PNG_FORMAT_GRAY};
    png_alloc_size_t blen = 0;
    assert_true(png_image_write_get_memory_size(out, blen, 0, big, 0, NULL));
    unsigned char *bpng = malloc(blen);
    assert_true(png_image_write_to_memory(&out, bpng, &blen, 0, big, 0, NULL));
    assert_int_equal(sw_image_qr_codes(bpng, blen, texts, &err), SW_OK);
    assert_int_equal(json_array_size(texts), 1);
    assert_string_equal(json_string_value(json_array_get(texts, 0)), want);
    free(bpng);
    free(big);
    free(px);
    free(want);
    free(png);
    json_decref(texts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_images__dimensions_come_from_the_header),
        cmocka_unit_test(test_images__an_image_over_the_budget_is_refused_before_decoding),
        cmocka_unit_test(test_images__the_images_of_one_scan_share_a_budget),
        cmocka_unit_test(test_images__the_budgets_are_policy_values),
        cmocka_unit_test(test_images__a_jpeg_of_too_many_scans_is_refused),
        cmocka_unit_test(test_images__a_qr_code_in_a_large_image_is_read_after_shrinking),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
