/* The assurance badge's rules as pure functions: the state machine and the eligibility of a
 * store (badge.h states the rules). */
#include <string.h>

#include "domain/badge/badge_int.h"
#include "domain/catalog/catalog.h"

static const char *const state_names[SW_BADGE_STATE_COUNT] = {"ineligible", "eligible", "active",
                                                              "suspended", "closed"};

const char *sw_badge_state_name(enum sw_badge_state s)
{
    return state_names[s];
}

int sw_badge_state_parse(const char *s, enum sw_badge_state *out)
{
    for (int i = 0; i < SW_BADGE_STATE_COUNT; i++)
        if (strcmp(s, state_names[i]) == 0) {
            *out = (enum sw_badge_state)i;
            return SW_OK;
        }
    return SW_E_INVALID_VALUE;
}

static enum sw_badge_state on_rule(enum sw_badge_state s, bool holds)
{
    switch (s) {
    case SW_BADGE_INELIGIBLE:
    case SW_BADGE_ELIGIBLE:
        return holds ? SW_BADGE_ELIGIBLE : SW_BADGE_INELIGIBLE;
    case SW_BADGE_ACTIVE:
    case SW_BADGE_SUSPENDED:
        return holds ? SW_BADGE_ACTIVE : SW_BADGE_SUSPENDED;
    default:
        return s; /* closed stays closed: only its merchant opens it again */
    }
}

int sw_badge_transition(enum sw_badge_state s, enum sw_badge_action a, enum sw_badge_state *next)
{
    enum sw_badge_state to = s;
    switch (a) {
    case SW_BA_RULE_HOLDS:
    case SW_BA_RULE_FAILS:
        to = on_rule(s, a == SW_BA_RULE_HOLDS);
        break;
    case SW_BA_ACTIVATE:
        if (s == SW_BADGE_INELIGIBLE || s == SW_BADGE_SUSPENDED)
            return SW_E_BADGE_NOT_ELIGIBLE;
        if (s == SW_BADGE_ACTIVE)
            return SW_E_STATE_CONFLICT;
        to = SW_BADGE_ACTIVE;
        break;
    case SW_BA_AUTO_ACTIVATE:
        if (s != SW_BADGE_ELIGIBLE)
            return SW_E_STATE_CONFLICT;
        to = SW_BADGE_ACTIVE;
        break;
    case SW_BA_CLOSE:
        if (s == SW_BADGE_CLOSED)
            return SW_E_STATE_CONFLICT;
        to = SW_BADGE_CLOSED;
        break;
    case SW_BA_DISMISS:
        if (s != SW_BADGE_INELIGIBLE && s != SW_BADGE_ELIGIBLE)
            return SW_E_STATE_CONFLICT;
        break;
    default:
        return SW_E_STATE_CONFLICT;
    }
    *next = to;
    return SW_OK;
}

json_t *sw__badge_lacking(const json_t *have, const json_t *need)
{
    json_t *out = json_array();
    size_t i, j;
    json_t *n, *h;
    json_array_foreach(need, i, n)
    {
        bool found = false;
        json_array_foreach(have, j, h) found = found || json_equal(h, n);
        if (!found)
            json_array_append(out, n);
    }
    return out;
}

json_t *sw__badge_store_needs(const struct sw_policy *pol, const json_t *categories)
{
    json_t *need = sw_policy_badge_services(pol, NULL);
    size_t i;
    json_t *c;
    json_array_foreach(categories, i, c)
    {
        json_t *more = sw_policy_badge_services(pol, json_string_value(c));
        json_t *add = sw__badge_lacking(need, more);
        json_array_extend(need, add);
        json_decref(add);
        json_decref(more);
    }
    return need;
}

bool sw__badge_evaluate(const struct sw_policy *pol, const json_t *services,
                        const json_t *categories, int store_status, json_t **missing,
                        json_t **reasons)
{
    json_t *need = sw__badge_store_needs(pol, categories);
    *missing = sw__badge_lacking(services, need);
    json_decref(need);
    *reasons = json_array();
    if (json_array_size(*missing))
        json_array_append_new(
            *reasons, json_pack("{s:s,s:O}", "code", "services_missing", "services", *missing));
    if (store_status == SW_MERCHANT_RESTRICTED)
        json_array_append_new(*reasons, json_pack("{s:s}", "code", "store_restricted"));
    else if (store_status == SW_MERCHANT_CLEARED)
        json_array_append_new(*reasons, json_pack("{s:s}", "code", "store_cleared"));
    return json_array_size(*reasons) == 0;
}
