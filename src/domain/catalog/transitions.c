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

const char *sw_hold_name(unsigned hold_bit)
{
    static const char *const names[SW_HOLD_COUNT] = {"operator", "deposit", "rectification",
                                                     "violation_clearance", "operator_clearance"};
    for (int i = 0; i < SW_HOLD_COUNT; i++)
        if (hold_bit == 1u << i)
            return names[i];
    return "unknown";
}

enum sw_merchant_status sw_merchant_status_of(unsigned holds)
{
    if (holds & (SW_HOLD_VIOLATION_CLEARANCE | SW_HOLD_OPERATOR_CLEARANCE))
        return SW_MERCHANT_CLEARED;
    return holds ? SW_MERCHANT_RESTRICTED : SW_MERCHANT_ACTIVE;
}

/* An operator's clearance (清退) is final. A clearance by a violation can be lifted by an upheld
 * appeal, so an operator may still make it final with merchant.clear. Restrict and reinstate
 * set and lift only the operator's own hold: a store held for its deposit stays restricted
 * after a reinstate until it tops up. */
int sw_merchant_transition(unsigned holds, enum sw_merchant_action a, unsigned *next)
{
    if (holds & SW_HOLD_OPERATOR_CLEARANCE)
        return SW_E_MERCHANT_CLEARED;
    switch (a) {
    case SW_MA_RESTRICT:
        if (sw_merchant_status_of(holds) == SW_MERCHANT_CLEARED)
            return SW_E_MERCHANT_CLEARED;
        if (holds & SW_HOLD_OPERATOR)
            return SW_E_STATE_CONFLICT;
        *next = holds | SW_HOLD_OPERATOR;
        return SW_OK;
    case SW_MA_REINSTATE:
        if (sw_merchant_status_of(holds) == SW_MERCHANT_CLEARED)
            return SW_E_MERCHANT_CLEARED;
        if (!(holds & SW_HOLD_OPERATOR))
            return SW_E_STATE_CONFLICT;
        *next = holds & ~SW_HOLD_OPERATOR;
        return SW_OK;
    case SW_MA_CLEAR:
        *next = holds | SW_HOLD_OPERATOR_CLEARANCE;
        return SW_OK;
    }
    return SW_E_INTERNAL;
}
