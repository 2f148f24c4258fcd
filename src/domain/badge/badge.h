/* Assurance badge (安心购, issue 14).
 *
 * A store is eligible when the services it commits to offer (PUT services) include the
 * policy's base services (badge.base_services) and the extras of every category it sells in
 * (badge.category_extras), and it is neither restricted nor cleared. States: ineligible,
 * eligible, active, suspended, closed. An eligible store gets a reminder; it activates the
 * badge itself (activated_by merchant), or, once it dismissed the reminder, the system does
 * badge.auto_activation_hours later if it still is eligible (activated_by system). The store
 * may close the badge (the system never activates a closed one again). An active badge whose
 * rule stops holding is suspended with the reasons, and active again by itself once it holds.
 * A product is tagged "assurance" while its store's badge is active, it is not banned, and its
 * own after_sales cover the base services plus its category's extras: tags follow every change
 * in the same transaction (product.tagged / product.untagged).
 *
 * Commands: badge.services_set, badge.activate, badge.close, badge.dismiss_reminder,
 * badge.auto_activate (timer). Events: badge.services_changed, badge.state_changed,
 * badge.reasons_changed, badge.activated, badge.reminder_sent, badge.reminder_dismissed,
 * badge.auto_activation_skipped (and the catalog's product.tagged / product.untagged). */
#ifndef SW_DOMAIN_BADGE_H
#define SW_DOMAIN_BADGE_H

#include <jansson.h>
#include <stdbool.h>

#include "engine/engine.h"

enum sw_badge_state {
    SW_BADGE_INELIGIBLE,
    SW_BADGE_ELIGIBLE,
    SW_BADGE_ACTIVE,
    SW_BADGE_SUSPENDED,
    SW_BADGE_CLOSED,
};
#define SW_BADGE_STATE_COUNT 5
enum sw_badge_action {
    SW_BA_RULE_HOLDS,    /* the store meets the rule (after any change) */
    SW_BA_RULE_FAILS,    /* it does not */
    SW_BA_ACTIVATE,      /* the merchant activates (the caller checked the rule holds) */
    SW_BA_AUTO_ACTIVATE, /* the system's check after a dismissed reminder */
    SW_BA_CLOSE,         /* the merchant closes */
    SW_BA_DISMISS,       /* the merchant dismisses the reminder (the state stays) */
};
#define SW_BADGE_ACTION_COUNT 6

const char *sw_badge_state_name(enum sw_badge_state s);
int sw_badge_state_parse(const char *s, enum sw_badge_state *out) SW_MUSTCHECK;
/* Pure: what action a does to a badge in state s: SW_OK with *next, or the refusal:
 * badge_not_eligible (activate an ineligible or suspended badge), state_conflict (activate
 * an active one, close a closed one, the system's activation of anything but eligible, a
 * reminder dismissed once the badge is active, suspended or closed: none waits then). */
int sw_badge_transition(enum sw_badge_state s, enum sw_badge_action a,
                        enum sw_badge_state *next) SW_MUSTCHECK;

int sw_badge_register(struct sw_engine *e) SW_MUSTCHECK;

/* Reads (read connection). A viewer that is a store sees only its own (others: not_found). */
/* Point-in-time read (docs/point-in-time.md): the badge as the store's events had made it at
 * at_us; not_found before the store existed. The caller checks who may see it. */
int sw_badge_get_at(struct sw_engine *e, struct sw_conn *c, const char *merchant, int64_t at_us,
                    json_t **out, struct sw_error *err) SW_MUSTCHECK;
int sw_badge_get(struct sw_engine *e, struct sw_conn *c, const char *merchant, json_t **out,
                 struct sw_error *err) SW_MUSTCHECK;
int sw_badge_notifications(struct sw_conn *c, const char *merchant, const char *after, int limit,
                           json_t **out, struct sw_error *err) SW_MUSTCHECK;

#endif
