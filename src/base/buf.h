/* Bounded growable string buffer. Appends past the limit fail and leave the buffer as it was. */
#ifndef SW_BASE_BUF_H
#define SW_BASE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct sw_buf {
    char *data; /* always NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
    size_t limit; /* maximum len; 0 = SW_BUF_DEFAULT_LIMIT */
};

#define SW_BUF_DEFAULT_LIMIT ((size_t)64 * 1024 * 1024)

void sw_buf_init(struct sw_buf *b, size_t limit);
bool sw_buf_append(struct sw_buf *b, const void *p, size_t n) SW_MUSTCHECK;
bool sw_buf_puts(struct sw_buf *b, const char *s) SW_MUSTCHECK;
bool sw_buf_printf(struct sw_buf *b, const char *fmt, ...) SW_PRINTF(2, 3) SW_MUSTCHECK;
void sw_buf_release(struct sw_buf *b);
/* Hands the data to the caller (free() it) and leaves the buffer empty. */
char *sw_buf_steal(struct sw_buf *b);

/* Decimal text of v into out (NUL-terminated), without printf; returns its length. */
size_t sw_fmt_i64(char out[24], int64_t v);
/* v in exactly `width` digits (zero-padded, the low digits when v is wider); returns the end. */
char *sw_fmt_digits(char *out, uint64_t v, int width);

#endif
