#include "domain/penalty/penalty.h"

/* The severity amounts apply unless the ladder step for this count sets the deduction (the
 * three-no ladder: 5,000 yuan for the 1st-3rd, the whole deposit from the 4th). Per
 * occurrence, each distinct finding is deducted at its severity; otherwise the worst one,
 * once. Counts are bounded by the findings of one listing and amounts by the policy check
 * (<= 10^11 fen), so the sum cannot overflow. */
void sw_penalty_decide(const struct sw_penalty_rule *r, int64_t minor, int64_t severe, int64_t nth,
                       struct sw_penalty_decision *d)
{
    *d = (struct sw_penalty_decision){.ban = r->ban != SW_BAN_NONE};
    if (r->per_occurrence)
        d->deduct_fen = minor * r->deduct_minor_fen + severe * r->deduct_severe_fen;
    else if (severe > 0)
        d->deduct_fen = r->deduct_severe_fen;
    else if (minor > 0)
        d->deduct_fen = r->deduct_minor_fen;
    const struct sw_penalty_step *st =
        r->counted && nth > 0 ? sw_penalty_step_for(r, (int)nth) : NULL;
    if (!st)
        return;
    if (st->has_deduct) {
        d->deduct_fen = st->deduct_all ? 0 : st->deduct_fen;
        d->deduct_all = st->deduct_all;
    }
    d->rectification = st->rectification;
    d->clear_store = st->clear_store;
}
