/* QR codes in listing images: PNG (libpng) or JPEG (libjpeg) decoded to 8-bit grey in memory,
 * then zbar's image scanner. Any QR code is reported with its decoded text.
 *
 * Decoding costs time and memory in proportion to the pixels, which a small file can declare
 * many of (a 50 KB PNG of 16384 x 2441 pixels, 0.5 s): sw_image_dimensions reads them from
 * the header alone, so that the scanner refuses an image over the policy's budget before any
 * decoding starts. */
#include <setjmp.h>
#include <stdio.h> /* before jpeglib.h, which uses FILE and size_t */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <zbar.h>

#include "scan/scan.h"

#define MAX_PIXELS ((size_t)SW_IMAGE_MAX_PIXELS)
#define MAX_SIDE 16384u
/* A progressive JPEG is decoded pass by pass over all its coefficients, so its cost grows with
 * its number of scans, which a small file can repeat thousands of times (issue 10's review: a
 * 342 KB file, 31 s). libjpeg's own progressions use at most about a dozen. */
#define MAX_JPEG_SCANS 32
/* zbar's QR finder search grows faster than the pixels on crafted patterns (a 32 KB PNG of
 * repeated finder patterns: 0.45 s at 1 MP, 179 s at 16 MP). Larger images are averaged down
 * by a whole factor to at most this many pixels before zbar sees them; a QR code in a product
 * image spans hundreds of pixels, which survives that. */
#define QR_MAX_PIXELS ((size_t)1 << 20)

static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

static bool is_png(const unsigned char *data, size_t len)
{
    return len >= 8 && memcmp(data, png_sig, 8) == 0;
}

static bool is_jpeg(const unsigned char *data, size_t len)
{
    return len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;
}

static uint32_t be32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint32_t be16(const unsigned char *p)
{
    return ((uint32_t)p[0] << 8) | p[1];
}

/* PNG: the signature, then IHDR (length 13) is the first chunk: width, height. */
static int png_dimensions(const unsigned char *d, size_t len, uint32_t *w, uint32_t *h,
                          struct sw_error *err)
{
    if (len < 24 || be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4) != 0)
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "PNG does not decode: no IHDR header");
    *w = be32(d + 16);
    *h = be32(d + 20);
    return SW_OK;
}

/* A JPEG frame header (SOF0-SOF15 but DHT C4, JPG C8, DAC CC) gives height, then width. */
static bool jpeg_sof(unsigned m)
{
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/* JPEG: the markers after SOI up to the first frame header, each skipped by its length (as
 * libjpeg reads them); entropy-coded data starts only after it, so nothing is decoded. */
static int jpeg_dimensions(const unsigned char *d, size_t len, uint32_t *w, uint32_t *h,
                           struct sw_error *err)
{
    size_t i = 2;
    while (i + 1 < len) {
        if (d[i] != 0xFF)
            break;
        unsigned m = d[i + 1];
        if (m == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        i += 2;
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
            continue; /* markers without a length */
        if (m == 0xD8 || m == 0xD9 || m == 0xDA || i + 2 > len)
            break; /* SOI again, EOI or a scan before any frame header */
        size_t seg = be16(d + i);
        if (seg < 2 || i + seg > len)
            break;
        if (jpeg_sof(m)) {
            if (seg < 7)
                break;
            *h = be16(d + i + 3);
            *w = be16(d + i + 5);
            return SW_OK;
        }
        i += seg;
    }
    return sw_fail(err, SW_E_INVALID_VALUE, NULL, "JPEG does not decode: no frame header");
}

int sw_image_dimensions(const unsigned char *data, size_t len, uint32_t *width, uint32_t *height,
                        struct sw_error *err)
{
    *width = *height = 0;
    if (is_png(data, len))
        return png_dimensions(data, len, width, height, err);
    if (is_jpeg(data, len))
        return jpeg_dimensions(data, len, width, height, err);
    return sw_fail(err, SW_E_INVALID_VALUE, NULL, "an image must be PNG or JPEG");
}

/* The number of scans (SOS markers) in a JPEG, walking marker segments by their length and
 * entropy-coded data to the next marker (0xFF followed by neither 0x00 nor RSTn): linear. */
static int jpeg_scans(const unsigned char *d, size_t len)
{
    int scans = 0;
    size_t i = 2;
    while (i + 3 < len && scans <= MAX_JPEG_SCANS) {
        if (d[i] != 0xFF || d[i + 1] == 0xFF) {
            i++;
            continue;
        }
        unsigned m = d[i + 1];
        if (m == 0xD9)
            break;
        if (m == 0x00 || m == 0x01 || (m >= 0xD0 && m <= 0xD8)) {
            i += 2;
            continue;
        }
        size_t seg = be16(d + i + 2);
        i += 2 + (seg < 2 ? 2 : seg);
        if (m != 0xDA)
            continue;
        scans++;
        while (i + 1 < len &&
               !(d[i] == 0xFF && d[i + 1] != 0x00 && !(d[i + 1] >= 0xD0 && d[i + 1] <= 0xD7)))
            i++;
    }
    return scans;
}

/* Averages a w x h grey image down by a whole factor until it has at most QR_MAX_PIXELS. */
static void shrink_for_qr(unsigned char *px, unsigned *w, unsigned *h)
{
    unsigned f = 1;
    while ((size_t)(*w / f) * (*h / f) > QR_MAX_PIXELS)
        f++;
    if (f == 1)
        return;
    unsigned nw = *w / f, nh = *h / f;
    for (unsigned y = 0; y < nh; y++)
        for (unsigned x = 0; x < nw; x++) {
            unsigned sum = 0;
            for (unsigned dy = 0; dy < f; dy++)
                for (unsigned dx = 0; dx < f; dx++)
                    sum += px[((size_t)y * f + dy) * *w + (size_t)x * f + dx];
            px[(size_t)y * nw + x] = (unsigned char)(sum / (f * f));
        }
    *w = nw;
    *h = nh;
}

static int decode_png(const unsigned char *data, size_t len, unsigned char **px, unsigned *w,
                      unsigned *h, struct sw_error *err)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&img, data, len))
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "PNG does not decode: %s", img.message);
    if (img.width > MAX_SIDE || img.height > MAX_SIDE ||
        (size_t)img.width * img.height > MAX_PIXELS) {
        png_image_free(&img);
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "image larger than %zu pixels", MAX_PIXELS);
    }
    img.format = PNG_FORMAT_GRAY;
    *px = malloc(PNG_IMAGE_SIZE(img));
    if (!*px) {
        png_image_free(&img);
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    }
    if (!png_image_finish_read(&img, NULL, *px, 0, NULL)) {
        free(*px);
        *px = NULL;
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "PNG does not decode: %s", img.message);
    }
    *w = img.width;
    *h = img.height;
    return SW_OK;
}

struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
    char msg[JMSG_LENGTH_MAX];
};

static void jpeg_fail(j_common_ptr cinfo)
{
    struct jerr *je = (struct jerr *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, je->msg);
    longjmp(je->jump, 1);
}

static void jpeg_quiet(j_common_ptr cinfo, int level)
{
    (void)cinfo;
    (void)level;
}

static int decode_jpeg(const unsigned char *data, size_t len, unsigned char **px, unsigned *w,
                       unsigned *h, struct sw_error *err)
{
    struct jpeg_decompress_struct cinfo;
    struct jerr je;
    unsigned char *volatile buf = NULL;
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&je.mgr);
    je.mgr.error_exit = jpeg_fail;
    je.mgr.emit_message = jpeg_quiet;
    if (setjmp(je.jump)) {
        jpeg_destroy_decompress(&cinfo);
        free(buf);
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "JPEG does not decode: %s", je.msg);
    }
    if (jpeg_scans(data, len) > MAX_JPEG_SCANS)
        return sw_fail(err, SW_E_IMAGE_TOO_LARGE, NULL, "JPEG with more than %d scans",
                       MAX_JPEG_SCANS);
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)len);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.image_width > MAX_SIDE || cinfo.image_height > MAX_SIDE ||
        (size_t)cinfo.image_width * cinfo.image_height > MAX_PIXELS) {
        jpeg_destroy_decompress(&cinfo);
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "image larger than %zu pixels", MAX_PIXELS);
    }
    cinfo.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&cinfo);
    size_t stride = cinfo.output_width;
    buf = malloc(stride * cinfo.output_height);
    if (!buf) {
        jpeg_destroy_decompress(&cinfo);
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = buf + (size_t)cinfo.output_scanline * stride;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    *w = cinfo.output_width;
    *h = cinfo.output_height;
    jpeg_destroy_decompress(&cinfo);
    *px = buf;
    return SW_OK;
}

int sw_image_qr_codes(const unsigned char *data, size_t len, json_t *texts, struct sw_error *err)
{
    unsigned char *px = NULL;
    unsigned w = 0, h = 0;
    int rc;
    if (is_png(data, len))
        rc = decode_png(data, len, &px, &w, &h, err);
    else if (is_jpeg(data, len))
        rc = decode_jpeg(data, len, &px, &w, &h, err);
    else
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "an image must be PNG or JPEG");
    if (rc)
        return rc;
    shrink_for_qr(px, &w, &h);
    zbar_image_scanner_t *scanner = zbar_image_scanner_create();
    zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_t *img = zbar_image_create();
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, w, h);
    zbar_image_set_data(img, px, (unsigned long)w * h, NULL);
    int n = zbar_scan_image(scanner, img);
    if (n > 0)
        for (const zbar_symbol_t *s = zbar_image_first_symbol(img); s; s = zbar_symbol_next(s)) {
            if (zbar_symbol_get_type(s) != ZBAR_QRCODE)
                continue;
            const char *d = zbar_symbol_get_data(s);
            unsigned dl = zbar_symbol_get_data_length(s);
            json_t *t = json_stringn(d, dl);
            if (!t) /* not UTF-8: keep it readable */
                t = json_string("(binary QR payload)");
            json_array_append_new(texts, t);
        }
    zbar_image_destroy(img);
    zbar_image_scanner_destroy(scanner);
    free(px);
    return SW_OK;
}
