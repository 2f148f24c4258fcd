#include "base/err.h"

#include <stdio.h>
#include <string.h>

static const char *const names[] = {
#define XX(e, s, h) s,
    SW_ERR_MAP(XX)
#undef XX
};

static const int statuses[] = {
#define XX(e, s, h) h,
    SW_ERR_MAP(XX)
#undef XX
};

const char *sw_err_name(int code)
{
    if (code < 0 || code >= SW_E__COUNT)
        return "internal";
    return names[code];
}

int sw_err_http_status(int code)
{
    if (code < 0 || code >= SW_E__COUNT)
        return 500;
    return statuses[code];
}

int sw_err_from_name(const char *name)
{
    for (int i = 0; i < SW_E__COUNT; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

int sw_vfail(struct sw_error *err, int code, const char *field, const char *fmt, va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    return code;
}

int sw_fail(struct sw_error *err, int code, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sw_vfail(err, code, field, fmt, ap);
    va_end(ap);
    return code;
}

void sw_error_clear(struct sw_error *err)
{
    if (err) {
        err->code = SW_OK;
        err->field[0] = '\0';
        err->msg[0] = '\0';
    }
}
