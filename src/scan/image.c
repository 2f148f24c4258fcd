/* QR codes in listing images: PNG (libpng) or JPEG (libjpeg) decoded to 8-bit grey in memory,
 * then zbar's image scanner. Any QR code is reported with its decoded text. */
#include <setjmp.h>
#include <stdio.h> /* before jpeglib.h, which uses FILE and size_t */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <zbar.h>

#include "scan/scan.h"

#define MAX_PIXELS ((size_t)40 * 1000 * 1000)
#define MAX_SIDE 16384u

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
    if (len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
        rc = decode_png(data, len, &px, &w, &h, err);
    else if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        rc = decode_jpeg(data, len, &px, &w, &h, err);
    else
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "an image must be PNG or JPEG");
    if (rc)
        return rc;
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
