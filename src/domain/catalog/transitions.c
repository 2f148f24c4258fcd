#include <string.h>

#include "domain/catalog/catalog.h"

static const char *const product_names[] = {"delisted", "listed", "banned"};
static const char *const merchant_names[] = {"active", "restricted", "cleared"};

const char *sw_product_status_name(enum sw_product_status s)
{
    return product_names[s];
}

int sw_product_status_parse(const char *s, enum sw_product_status *out)
{
    for (int i = 0; i < SW_PRODUCT_STATUS_COUNT; i++)
        if (strcmp(s, product_names[i]) == 0) {
            *out = (enum sw_product_status)i;
            return SW_OK;
        }
    return SW_E_INVALID_VALUE;
}

const char *sw_merchant_status_name(enum sw_merchant_status s)
{
    return merchant_names[s];
}

int sw_merchant_status_parse(const char *s, enum sw_merchant_status *out)
{
    for (int i = 0; i < SW_MERCHANT_STATUS_COUNT; i++)
        if (strcmp(s, merchant_names[i]) == 0) {
            *out = (enum sw_merchant_status)i;
            return SW_OK;
        }
    return SW_E_INVALID_VALUE;
}

/* The product workflow. A cleared store's products can still be taken down (delist, ban,
 * unban by an operator) but never listed or edited; a restricted store may edit and take
 * down but not list (RULES.md §3: below the deposit requirement a store may not list). */
int sw_product_transition(enum sw_product_status s, enum sw_product_action a,
                          enum sw_merchant_status ms, enum sw_product_status *next)
{
    if (ms == SW_MERCHANT_CLEARED && (a == SW_PA_LIST || a == SW_PA_EDIT))
        return SW_E_MERCHANT_CLEARED;
    switch (a) {
    case SW_PA_EDIT:
        *next = s;
        return SW_OK;
    case SW_PA_LIST:
        if (s == SW_PRODUCT_BANNED)
            return SW_E_PRODUCT_BANNED;
        if (s == SW_PRODUCT_LISTED)
            return SW_E_STATE_CONFLICT;
        if (ms == SW_MERCHANT_RESTRICTED)
            return SW_E_MERCHANT_RESTRICTED;
        *next = SW_PRODUCT_LISTED;
        return SW_OK;
    case SW_PA_DELIST:
        if (s != SW_PRODUCT_LISTED)
            return SW_E_STATE_CONFLICT;
        *next = SW_PRODUCT_DELISTED;
        return SW_OK;
    case SW_PA_BAN:
        if (s == SW_PRODUCT_BANNED)
            return SW_E_STATE_CONFLICT;
        *next = SW_PRODUCT_BANNED;
        return SW_OK;
    case SW_PA_UNBAN:
        if (s != SW_PRODUCT_BANNED)
            return SW_E_STATE_CONFLICT;
        *next = SW_PRODUCT_DELISTED; /* unbanned, not relisted by itself */
        return SW_OK;
    }
    return SW_E_INTERNAL;
}

int sw_merchant_transition(enum sw_merchant_status s, enum sw_merchant_action a,
                           enum sw_merchant_status *next)
{
    if (s == SW_MERCHANT_CLEARED)
        return SW_E_MERCHANT_CLEARED; /* 清退 is final */
    switch (a) {
    case SW_MA_RESTRICT:
        if (s != SW_MERCHANT_ACTIVE)
            return SW_E_STATE_CONFLICT;
        *next = SW_MERCHANT_RESTRICTED;
        return SW_OK;
    case SW_MA_REINSTATE:
        if (s != SW_MERCHANT_RESTRICTED)
            return SW_E_STATE_CONFLICT;
        *next = SW_MERCHANT_ACTIVE;
        return SW_OK;
    case SW_MA_CLEAR:
        *next = SW_MERCHANT_CLEARED;
        return SW_OK;
    }
    return SW_E_INTERNAL;
}
