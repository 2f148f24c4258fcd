#include "base/log.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/instant.h"

void sw_log(enum sw_log_level level, const char *event, const char *fmt, ...)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Logging is an adapter concern; it is the one place in base that reads the wall clock. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char tbuf[32];
    sw_instant_format((int64_t)ts.tv_sec * SW_US_PER_S + ts.tv_nsec / 1000, tbuf);
    json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "ts", tbuf, "level", names[level], "event", event,
                          "msg", msg);
    char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;
    if (line) {
        fprintf(stderr, "%s\n", line);
        free(line);
    }
    json_decref(o);
}
