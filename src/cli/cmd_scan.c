#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "cli/cli.h"
#include "domain/catalog/catalog.h"

static const char USAGE[] =
    "usage: shopwarden scan [--policy FILE] [--pretty] [FILE|-]\n\n"
    "Scans listings for content violations (a dry run: nothing is stored).\n"
    "Input: JSON lines, one listing each, in the product API's fields: id, category, title,\n"
    "short_title, detail, brand, price (yuan string) or price_fen, freight or freight_fen,\n"
    "after_sales, production_date, quality_cert, manufacturer, shipping_method, images (paths\n"
    "of PNG/JPEG files, relative to the current folder or the input file's); attributes,\n"
    "main_image, detail_images, spu_id, services, stock, merchant are accepted and ignored.\n"
    "Another field is unknown_field, a category the policy lacks unknown_category.\n"
    "An absent field is unknown: no consistency check compares the text with it.\n"
    "Output: one JSON line per listing,\n"
    "{\"id\", \"findings\": [{type, rule, severity, field, start, end, excerpt, evidence,\n"
    "policy_version}]}; start/end count characters (code points) of the field's text.\n"
    "A bad line gets {\"line\", \"id\", \"error\": {code, message, field}} and the run goes on.\n"
    "Exit status: 0 every line scanned, 1 some lines had errors, 2 usage or policy error.\n";

#define MAX_IMAGES 32
#define MAX_IMAGE_BYTES (16u << 20)

static unsigned char *read_file(const char *path, const char *base_dir, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f && base_dir && path[0] != '/') {
        char alt[4096];
        snprintf(alt, sizeof alt, "%s/%s", base_dir, path);
        f = fopen(alt, "rb");
    }
    if (!f)
        return NULL;
    unsigned char *buf = malloc(MAX_IMAGE_BYTES + 1);
    size_t n = buf ? fread(buf, 1, MAX_IMAGE_BYTES + 1, f) : 0;
    fclose(f);
    if (!buf || n > MAX_IMAGE_BYTES) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static json_t *error_line(long line, const json_t *id, const struct sw_error *err)
{
    json_t *e = json_pack("{s:s,s:s}", "code", sw_err_name(err->code), "message", err->msg);
    if (err->field[0])
        json_object_set_new(e, "field", json_string(err->field));
    json_t *o = json_pack("{s:i}", "line", (json_int_t)line);
    if (id)
        json_object_set(o, "id", (json_t *)id);
    json_object_set_new(o, "error", e);
    return o;
}

static json_t *scan_line(const struct sw_policy *pol, const char *text, size_t n, long line,
                         const char *base_dir, bool *failed)
{
    struct sw_error err = {0};
    json_t *in = NULL;
    if (sw_json_parse_object(text, n, &in, &err)) {
        /* a line that parses once its numbers are read leniently (a stock past 2^63) still
         * names its listing */
        *failed = true;
        json_t *loose = json_loadb(text, n, JSON_DECODE_INT_AS_REAL, NULL);
        json_t *o =
            error_line(line, json_is_object(loose) ? json_object_get(loose, "id") : NULL, &err);
        json_decref(loose);
        return o;
    }
    const json_t *id = json_object_get(in, "id");
    struct sw_listing l;
    struct sw_scan_image imgs[MAX_IMAGES];
    int nimg = 0;
    json_t *out = NULL;
    if (sw_catalog_check_fields(pol, in, &err) || sw_listing_from_json(in, &l, &err) ||
        sw_policy_check_listing(pol, &l, &err)) /* in the order POST /v1/scan checks them */
        goto fail;
    const json_t *images = json_object_get(in, "images");
    if (images && !json_is_null(images)) {
        if (!json_is_array(images) || json_array_size(images) > MAX_IMAGES) {
            sw_fail(&err, SW_E_WRONG_TYPE, "images", "images must be an array of up to %d paths",
                    MAX_IMAGES);
            goto fail;
        }
        size_t i;
        const json_t *p;
        json_array_foreach(images, i, p)
        {
            const char *path = json_string_value(p);
            if (!path) {
                sw_fail(&err, SW_E_WRONG_TYPE, "images", "images[%zu] must be a path", i);
                goto fail;
            }
            size_t len = 0;
            unsigned char *data = read_file(path, base_dir, &len);
            if (!data) {
                sw_fail(&err, SW_E_NOT_FOUND, "images", "cannot read image '%s'", path);
                goto fail;
            }
            imgs[nimg++] = (struct sw_scan_image){path, data, len};
        }
    }
    l.images = imgs;
    l.nimages = nimg;
    json_t *findings = NULL;
    if (sw_scan(pol->scanner, &l, &findings, &err))
        goto fail;
    out = json_object();
    json_object_set(out, "id", id ? (json_t *)id : json_null());
    json_object_set_new(out, "findings", findings);
    goto done;
fail:
    *failed = true;
    out = error_line(line, id, &err);
done:
    for (int i = 0; i < nimg; i++)
        free((void *)imgs[i].data);
    json_decref(in);
    return out;
}

int cmd_scan(int argc, char **argv)
{
    if (sw_cli_want_help(argc, argv, USAGE))
        return 0;
    const char *policy = NULL, *input = "-";
    bool pretty = false, have_input = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc) {
            policy = argv[++i];
        } else if (strcmp(argv[i], "--pretty") == 0) {
            pretty = true;
        } else if (!have_input && (argv[i][0] != '-' || strcmp(argv[i], "-") == 0)) {
            input = argv[i];
            have_input = true;
        } else if (strcmp(argv[i], "--policy") == 0) {
            return sw_cli_usage_error(USAGE, "option '--policy' needs a value");
        } else {
            return sw_cli_usage_error(USAGE, "%s '%s'",
                                      argv[i][0] == '-' ? "unknown option" : "unexpected argument",
                                      argv[i]);
        }
    }
    struct sw_policy *pol = NULL;
    struct sw_error err;
    if (policy ? sw_policy_load_file(policy, &pol, NULL, &err)
               : sw_policy_load_default(&pol, &err)) {
        sw_cli_error("policy: %s", err.msg);
        return 2;
    }
    FILE *in = strcmp(input, "-") == 0 ? stdin : fopen(input, "r");
    if (!in) {
        sw_cli_error("cannot open '%s'", input);
        sw_policy_free(pol);
        return 2;
    }
    char *dir_copy = strdup(strcmp(input, "-") == 0 ? "." : input);
    const char *base_dir = dir_copy ? dirname(dir_copy) : ".";
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    bool failed = false;
    size_t flags = pretty ? JSON_INDENT(2) : JSON_COMPACT;
    while ((n = getline(&line, &cap, in)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        size_t k = 0;
        while (k < (size_t)n && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == (size_t)n)
            continue;
        json_t *out = scan_line(pol, line, (size_t)n, lineno, base_dir, &failed);
        char *text = json_dumps(out, flags);
        if (text) {
            fputs(text, stdout);
            fputc('\n', stdout);
            free(text);
        }
        json_decref(out);
    }
    free(line);
    free(dir_copy);
    if (in != stdin)
        fclose(in);
    sw_policy_free(pol);
    return failed ? 1 : 0;
}
