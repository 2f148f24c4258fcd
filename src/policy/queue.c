/* The policy's "queue" and "approvals" sections (docs/queue.md):
 *   queue      {"claim_minutes": 15, "claim_max_minutes": 240}: how long a claim holds an
 *              item when the operator names no time, and the longest it may hold one.
 *   approvals  {"deduction_above_fen": 500000, "refund_above_fen": 500000}: a decision that
 *              deducts (refunds) more than this waits for a second operator's approval; a store
 *              clearance always does. */
#include <stdio.h>

#include "base/json.h"
#include "base/money.h"
#include "policy/policy.h"

struct knob {
    const char *section, *key;
    int64_t *out, dflt, min, max;
};

static void read_knob(json_t *problems, json_t *section, const struct knob *k)
{
    *k->out = k->dflt;
    char path[64];
    snprintf(path, sizeof path, "$.%s", k->section);
    json_t *v = section ? sw_json_want(problems, section, path, k->key, JSON_INTEGER, false) : NULL;
    if (v && (json_integer_value(v) < k->min || json_integer_value(v) > k->max))
        sw_json_problem(problems, path, "%s must be between %lld and %lld", k->key,
                        (long long)k->min, (long long)k->max);
    else if (v)
        *k->out = json_integer_value(v);
}

void sw__policy_queue(struct sw_policy *p, json_t *problems, json_t *queue, json_t *approvals)
{
    struct sw_queue_policy *q = &p->queue;
    static const char *const qkeys[] = {"claim_minutes", "claim_max_minutes", NULL};
    static const char *const akeys[] = {"deduction_above_fen", "refund_above_fen", NULL};
    if (queue)
        sw_json_closed(problems, queue, "$.queue", qkeys);
    if (approvals)
        sw_json_closed(problems, approvals, "$.approvals", akeys);
    const struct knob knobs[] = {
        {"queue", "claim_max_minutes", &q->claim_max_minutes, 240, 1, 1440},
        {"queue", "claim_minutes", &q->claim_minutes, 15, 1, 1440},
        {"approvals", "deduction_above_fen", &q->deduction_above_fen, 500000, 0, SW_MONEY_MAX_FEN},
        {"approvals", "refund_above_fen", &q->refund_above_fen, 500000, 0, SW_MONEY_MAX_FEN},
    };
    for (size_t i = 0; i < sizeof knobs / sizeof knobs[0]; i++)
        read_knob(problems, knobs[i].section[0] == 'q' ? queue : approvals, &knobs[i]);
    if (q->claim_minutes > q->claim_max_minutes)
        sw_json_problem(problems, "$.queue",
                        "claim_minutes must not exceed claim_max_minutes (%lld)",
                        (long long)q->claim_max_minutes);
}
