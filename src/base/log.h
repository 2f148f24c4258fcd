/* Logging: one JSON object per line on stderr: {"ts","level","event","msg"}. */
#ifndef SW_BASE_LOG_H
#define SW_BASE_LOG_H

#include "base/err.h"

enum sw_log_level { SW_LOG_DEBUG, SW_LOG_INFO, SW_LOG_WARN, SW_LOG_ERROR };

void sw_log(enum sw_log_level level, const char *event, const char *fmt, ...) SW_PRINTF(3, 4);

#endif
