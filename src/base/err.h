/* Error codes, the error struct and helpers to fill it.
 *
 * Every failure the engine can report has one stable snake_case code (what the API returns
 * in error.code) and one HTTP status. Functions that can fail return the code (SW_OK = 0) and
 * fill a caller-owned struct sw_error with the offending field and a message. */
#ifndef SW_BASE_ERR_H
#define SW_BASE_ERR_H

#include <stdarg.h>

#define SW_MUSTCHECK __attribute__((warn_unused_result))
#define SW_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* XX(ENUM, "code", http_status) */
#define SW_ERR_MAP(XX)                                                                             \
    XX(OK, "ok", 200)                                                                              \
    XX(BAD_REQUEST, "bad_request", 400)                                                            \
    XX(INVALID_JSON, "invalid_json", 400)                                                          \
    XX(INVALID_UTF8, "invalid_utf8", 400)                                                          \
    XX(JSON_TOO_DEEP, "json_too_deep", 400)                                                        \
    XX(WRONG_TYPE, "wrong_type", 400)                                                              \
    XX(MISSING_FIELD, "missing_field", 400)                                                        \
    XX(UNKNOWN_FIELD, "unknown_field", 400)                                                        \
    XX(UNKNOWN_PARAMETER, "unknown_parameter", 400)                                                \
    XX(INVALID_VALUE, "invalid_value", 400)                                                        \
    XX(AMOUNT_OVERFLOW, "amount_overflow", 400)                                                    \
    XX(BATCH_TOO_LARGE, "batch_too_large", 400)                                                    \
    XX(UNAUTHORIZED, "unauthorized", 401)                                                          \
    XX(FORBIDDEN, "forbidden", 403)                                                                \
    XX(AUTHORIZATION_CLOSED, "authorization_closed", 403)                                          \
    XX(NOT_FOUND, "not_found", 404)                                                                \
    XX(ROUTE_NOT_FOUND, "route_not_found", 404)                                                    \
    XX(METHOD_NOT_ALLOWED, "method_not_allowed", 405)                                              \
    XX(ALREADY_EXISTS, "already_exists", 409)                                                      \
    XX(STATE_CONFLICT, "state_conflict", 409)                                                      \
    XX(IDEMPOTENCY_CONFLICT, "idempotency_conflict", 409)                                          \
    XX(APPEAL_OPEN, "appeal_open", 409)                                                            \
    XX(CLOCK_BACKWARDS, "clock_backwards", 409)                                                    \
    XX(ALREADY_REFUNDED, "already_refunded", 409)                                                  \
    XX(PROMOTION_NOT_PAUSABLE, "promotion_not_pausable", 409)                                      \
    XX(PAYLOAD_TOO_LARGE, "payload_too_large", 413)                                                \
    XX(IMAGE_TOO_LARGE, "image_too_large", 413)                                                    \
    XX(URI_TOO_LONG, "uri_too_long", 414)                                                          \
    XX(UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", 415)                                      \
    XX(VERSION_MISMATCH, "version_mismatch", 412)                                                  \
    XX(RULE_REFUSED, "rule_refused", 422)                                                          \
    XX(MERCHANT_RESTRICTED, "merchant_restricted", 422)                                            \
    XX(MERCHANT_CLEARED, "merchant_cleared", 422)                                                  \
    XX(PRODUCT_BANNED, "product_banned", 422)                                                      \
    XX(APPEAL_LIMIT_REACHED, "appeal_limit_reached", 422)                                          \
    XX(DEPOSIT_INSUFFICIENT, "deposit_insufficient", 422)                                          \
    XX(UNKNOWN_CATEGORY, "unknown_category", 422)                                                  \
    XX(UNKNOWN_QUALIFICATION, "unknown_qualification", 422)                                        \
    XX(QUALIFICATION_EXPIRED, "qualification_expired", 422)                                        \
    XX(UNKNOWN_REFERENCE, "unknown_reference", 422)                                                \
    XX(CALENDAR_YEAR_MISSING, "calendar_year_missing", 422)                                        \
    XX(STREAMER_NOT_DESIGNATED, "streamer_not_designated", 422)                                    \
    XX(NOT_PRODUCT_OWNER, "not_product_owner", 422)                                                \
    XX(DOCUMENTS_MISSING, "documents_missing", 422)                                                \
    XX(FILING_REQUIRED, "filing_required", 422)                                                    \
    XX(LOTTERY_NOT_APPROVED, "lottery_not_approved", 422)                                          \
    XX(BADGE_NOT_ELIGIBLE, "badge_not_eligible", 422)                                              \
    XX(POLICY_INVALID, "policy_invalid", 422)                                                      \
    XX(RATE_LIMITED, "rate_limited", 429)                                                          \
    XX(HEADERS_TOO_LARGE, "headers_too_large", 431)                                                \
    XX(INTERNAL, "internal", 500)                                                                  \
    XX(STORAGE_FAILED, "storage_failed", 500)                                                      \
    XX(NOT_IMPLEMENTED, "not_implemented", 501)                                                    \
    XX(PREPARED_STALE, "prepared_stale", 503) /* internal: the engine retries, then BUSY */        \
    XX(MAINTENANCE, "maintenance", 503)                                                            \
    XX(BUSY, "busy", 503)                                                                          \
    XX(HTTP_VERSION_NOT_SUPPORTED, "http_version_not_supported", 505)                              \
    XX(LISTING_BLOCKED, "listing_blocked", 422)                                                    \
    XX(FINDING_STALE, "finding_stale", 409)                                                        \
    XX(CATEGORY_NOT_IN_STORE, "category_not_in_store", 422)                                        \
    XX(CLAIMED, "claimed", 409)                                                                    \
    XX(SELF_APPROVAL, "self_approval", 422)

enum sw_err {
#define XX(e, s, h) SW_E_##e,
    SW_ERR_MAP(XX)
#undef XX
        SW_E__COUNT
};
#define SW_OK SW_E_OK

struct sw_error {
    int code;
    char field[64];
    char msg[256];
};

const char *sw_err_name(int code);
int sw_err_http_status(int code);
/* Looks a code up by its snake_case name; returns -1 when unknown. */
int sw_err_from_name(const char *name);

/* Fills err (which may be NULL) and returns code. field may be NULL. */
int sw_fail(struct sw_error *err, int code, const char *field, const char *fmt, ...)
    SW_PRINTF(4, 5);
int sw_vfail(struct sw_error *err, int code, const char *field, const char *fmt, va_list ap);
void sw_error_clear(struct sw_error *err);

#endif
