/* Logging: one JSON object per line on stderr, {"time","level","event","msg",...}, written with
 * a single write() so that lines from different threads never interleave. "time" is RFC 3339
 * UTC with microseconds. Lines below the level set with sw_log_set_level are dropped.
 *
 * The CLI's one-shot commands are for people: until sw_log_set_json(true) (serve sets it), a
 * line is plain text, "shopwarden: <msg>". */
#ifndef SW_BASE_LOG_H
#define SW_BASE_LOG_H

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>

#include "base/err.h"

enum sw_log_level { SW_LOG_DEBUG, SW_LOG_INFO, SW_LOG_WARN, SW_LOG_ERROR };

void sw_log_set_level(enum sw_log_level level);
void sw_log_set_json(bool json);
bool sw_log_is_json(void);
/* "debug", "info", "warn" or "error"; false for anything else. */
bool sw_log_parse_level(const char *name, enum sw_log_level *out) SW_MUSTCHECK;
bool sw_log_enabled(enum sw_log_level level);

void sw_log(enum sw_log_level level, const char *event, const char *fmt, ...) SW_PRINTF(3, 4);
void sw_logv(enum sw_log_level level, const char *event, const char *fmt, va_list ap)
    SW_PRINTF(3, 0);
/* A line with the fields of the object (taken: its reference is released) after time, level
 * and event. Strings that are not valid UTF-8 have their other bytes replaced by '?'. */
void sw_log_fields(enum sw_log_level level, const char *event, json_t *fields);
/* The hot path's line (the access log), without building objects: members is the rendered
 * rest of the object, `"k":v,...`, its strings made with sw_log_escape. A line over 4 KiB is
 * dropped, never cut. */
void sw_log_members(enum sw_log_level level, const char *event, const char *members);
/* s as the inside of a JSON string: quote, backslash and control characters escaped, bytes
 * outside ASCII replaced by '?'; cut to fit cap (with its NUL). Returns the length. */
size_t sw_log_escape(const char *s, char *out, size_t cap);

#endif
