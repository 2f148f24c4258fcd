/* Files compiled into the binary (see cmake/embed_files.cmake): migrations, the default
 * policy and the working-day calendars. */
#ifndef SW_BASE_EMBEDDED_H
#define SW_BASE_EMBEDDED_H

#include <stddef.h>

struct sw_embedded_file {
    const char *path; /* relative to the source tree, e.g. "data/policy/default.json" */
    const char *data; /* NUL-terminated */
    size_t len;
};
extern const struct sw_embedded_file sw__embedded[];
extern const int sw__embedded_count;
/* The browser console's bundle (web/, built by esbuild at build time): paths relative to the
 * bundle, e.g. "index.html", "app.js". */
extern const struct sw_embedded_file sw__console_files[];
extern const int sw__console_files_count;

/* NULL when no such file was embedded. */
const struct sw_embedded_file *sw_embedded_find(const char *path);

#endif
