/* The policy's "penalties" section (RULES.md §3): per violation type, whether findings wait
 * for an operator, the ban, the deductions by severity, the repeat ladder; the counting
 * window, appeals and the implicated threshold. Every amount and threshold is policy. */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "policy/policy.h"

#define MAX_DEDUCT_FEN INT64_C(100000000000) /* 1e9 yuan: a typo guard, not a rule */

#define problem(pr, ...) sw_json_problem((pr), __VA_ARGS__)

/* In the order of enum sw_finding_action. */
static const char *const FINDING_ACTIONS[] = {"block", "penalise", "ignore", NULL};

const char *sw_finding_action_name(enum sw_finding_action a)
{
    return FINDING_ACTIONS[a];
}

static int64_t int_in(json_t *pr, json_t *obj, const char *path, const char *key, int64_t dflt,
                      int64_t min, int64_t max, bool required)
{
    json_t *v = sw_json_want(pr, obj, path, key, JSON_INTEGER, required);
    if (!v)
        return dflt;
    if (json_integer_value(v) < min || json_integer_value(v) > max) {
        char p[200];
        snprintf(p, sizeof p, "%s.%s", path, key);
        problem(pr, p, "must be between %lld and %lld", (long long)min, (long long)max);
        return dflt;
    }
    return json_integer_value(v);
}

static bool bool_of(json_t *pr, json_t *obj, const char *path, const char *key, bool dflt)
{
    json_t *v = sw_json_want(pr, obj, path, key, JSON_TRUE, false);
    return v ? json_is_true(v) : dflt;
}

/* Index of s in names (NULL-terminated), or dflt with a problem when it is none of them. */
static int word_of(json_t *pr, json_t *obj, const char *path, const char *key,
                   const char *const *names, int dflt)
{
    json_t *v = sw_json_want(pr, obj, path, key, JSON_STRING, false);
    if (!v)
        return dflt;
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], json_string_value(v)) == 0)
            return i;
    char p[200], list[160] = "";
    snprintf(p, sizeof p, "%s.%s", path, key);
    for (int i = 0; names[i]; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s'%s'", i ? ", " : "",
                 names[i]);
    problem(pr, p, "must be one of %s", list);
    return dflt;
}

static void read_step(json_t *pr, json_t *s, const char *path, struct sw_penalty_step *st)
{
    static const char *const allowed[] = {
        "from", "to", "deduct_fen", "deduct_all", "rectification", "clear_store", "note", NULL};
    sw_json_closed(pr, s, path, allowed);
    st->from = (int)int_in(pr, s, path, "from", 1, 1, 1000000, true);
    st->to = (int)int_in(pr, s, path, "to", 0, 1, 1000000, false);
    st->deduct_fen = int_in(pr, s, path, "deduct_fen", 0, 0, MAX_DEDUCT_FEN, false);
    st->deduct_all = bool_of(pr, s, path, "deduct_all", false);
    st->has_deduct = json_object_get(s, "deduct_fen") != NULL || st->deduct_all;
    st->rectification = bool_of(pr, s, path, "rectification", false);
    st->clear_store = bool_of(pr, s, path, "clear_store", false);
    sw_json_want(pr, s, path, "note", JSON_STRING, false);
    if (st->deduct_all && st->deduct_fen)
        problem(pr, path, "give deduct_fen or deduct_all, not both");
    if (st->to && st->to < st->from)
        problem(pr, path, "'to' must not be below 'from'");
}

/* Steps must start at 1, follow each other without gap or overlap, and only the last may be
 * open-ended: every count then has exactly one step. */
static void read_ladder(json_t *pr, json_t *arr, const char *path, struct sw_penalty_rule *r)
{
    if (json_array_size(arr) == 0 || json_array_size(arr) > SW_PENALTY_MAX_STEPS) {
        problem(pr, path, "must hold 1-%d steps", SW_PENALTY_MAX_STEPS);
        return;
    }
    size_t i;
    json_t *s;
    int next = 1;
    json_array_foreach(arr, i, s)
    {
        char p[200];
        snprintf(p, sizeof p, "%s[%zu]", path, i);
        if (!json_is_object(s)) {
            problem(pr, p, "must be an object");
            continue;
        }
        struct sw_penalty_step *st = &r->steps[r->nsteps++];
        read_step(pr, s, p, st);
        if (st->from != next)
            problem(pr, p, "'from' must be %d (steps follow each other from 1)", next);
        if (!st->to && i + 1 < json_array_size(arr))
            problem(pr, p, "only the last step may leave 'to' open");
        next = st->to ? st->to + 1 : next;
    }
}

static void read_type(json_t *pr, const char *code, json_t *v, const char *path,
                      struct sw_penalty_rule *r)
{
    static const char *const allowed[] = {"confirm",        "ban",        "counted", "note",
                                          "per_occurrence", "deduct_fen", "ladder",  "on_unlisted",
                                          "on_listed",      NULL};
    static const char *const confirms[] = {"immediate", "queue", NULL};
    static const char *const bans[] = {"none", "until_fixed", "permanent", NULL};
    sw_json_closed(pr, v, path, allowed);
    sw_json_want(pr, v, path, "note", JSON_STRING, false);
    r->type = code;
    r->confirm = (enum sw_confirm)word_of(pr, v, path, "confirm", confirms, 0);
    r->ban = (enum sw_ban)word_of(pr, v, path, "ban", bans, 2);
    r->on_unlisted =
        (enum sw_finding_action)word_of(pr, v, path, "on_unlisted", FINDING_ACTIONS, SW_FA_BLOCK);
    r->on_listed =
        (enum sw_finding_action)word_of(pr, v, path, "on_listed", FINDING_ACTIONS, SW_FA_PENALISE);
    r->counted = bool_of(pr, v, path, "counted", true);
    r->per_occurrence = bool_of(pr, v, path, "per_occurrence", false);
    char p[200];
    json_t *d = sw_json_want(pr, v, path, "deduct_fen", JSON_OBJECT, true);
    if (d) {
        static const char *const sev[] = {"minor", "severe", NULL};
        snprintf(p, sizeof p, "%s.deduct_fen", path);
        sw_json_closed(pr, d, p, sev);
        r->deduct_minor_fen = int_in(pr, d, p, "minor", 0, 0, MAX_DEDUCT_FEN, true);
        r->deduct_severe_fen = int_in(pr, d, p, "severe", 0, 0, MAX_DEDUCT_FEN, true);
    }
    json_t *ladder = sw_json_want(pr, v, path, "ladder", JSON_ARRAY, false);
    if (ladder) {
        snprintf(p, sizeof p, "%s.ladder", path);
        if (!r->counted)
            problem(pr, p, "a type that is not counted cannot have a ladder");
        else
            read_ladder(pr, ladder, p, r);
    }
}

void sw__policy_penalties(struct sw_policy *p, json_t *pr, json_t *sec)
{
    struct sw_penalty_policy *pp = &p->penalties;
    *pp = (struct sw_penalty_policy){.count_window_days = 365,
                                     .appeals_max = 2,
                                     .appeal_sla_us = INT64_C(2) * 86400 * 1000000,
                                     .rectification_restricts_store = true,
                                     .implicated_min_good_rate_bp = 6000,
                                     .implicated_min_reviews = 20};
    if (!sec)
        return;
    static const char *const allowed[] = {
        "count_window_days", "appeals", "rectification_restricts_store",
        "implicated",        "types",   NULL};
    const char *path = "$.penalties";
    sw_json_closed(pr, sec, path, allowed);
    pp->count_window_days = (int)int_in(pr, sec, path, "count_window_days", 365, 1, 3660, false);
    pp->rectification_restricts_store =
        bool_of(pr, sec, path, "rectification_restricts_store", true);
    json_t *ap = sw_json_want(pr, sec, path, "appeals", JSON_OBJECT, false);
    if (ap) {
        static const char *const aallowed[] = {"max", "sla_hours", NULL};
        sw_json_closed(pr, ap, "$.penalties.appeals", aallowed);
        pp->appeals_max = (int)int_in(pr, ap, "$.penalties.appeals", "max", 2, 0, 10, false);
        pp->appeal_sla_us =
            int_in(pr, ap, "$.penalties.appeals", "sla_hours", 48, 1, INT64_C(8760), false) *
            INT64_C(3600000000);
    }
    json_t *im = sw_json_want(pr, sec, path, "implicated", JSON_OBJECT, false);
    if (im) {
        static const char *const iallowed[] = {"min_good_rate_bp", "min_reviews", NULL};
        const char *ip = "$.penalties.implicated";
        sw_json_closed(pr, im, ip, iallowed);
        pp->implicated_min_good_rate_bp =
            int_in(pr, im, ip, "min_good_rate_bp", 6000, 0, 10000, false);
        pp->implicated_min_reviews = int_in(pr, im, ip, "min_reviews", 20, 1, 1000000000, false);
    }
    json_t *types = sw_json_want(pr, sec, path, "types", JSON_OBJECT, true);
    if (!types)
        return;
    if (json_object_size(types) > SW_PENALTY_MAX_TYPES) {
        problem(pr, "$.penalties.types", "more than %d types", SW_PENALTY_MAX_TYPES);
        return;
    }
    const char *k;
    json_t *v;
    json_object_foreach(types, k, v)
    {
        char tp[160];
        snprintf(tp, sizeof tp, "$.penalties.types.%s", k);
        bool ok = k[0] != '\0' && strlen(k) < 48;
        for (const char *c = k; ok && *c; c++)
            ok = (*c >= 'a' && *c <= 'z') || *c == '_';
        if (!ok)
            problem(pr, tp, "violation type must be snake_case");
        if (!json_is_object(v)) {
            problem(pr, tp, "must be an object");
            continue;
        }
        read_type(pr, k, v, tp, &pp->types[pp->ntypes++]);
    }
}

const struct sw_penalty_rule *sw_policy_penalty(const struct sw_policy *p, const char *type)
{
    for (int i = 0; i < p->penalties.ntypes; i++)
        if (strcmp(p->penalties.types[i].type, type) == 0)
            return &p->penalties.types[i];
    return NULL;
}

enum sw_finding_action sw_policy_finding_action(const struct sw_policy *p, const char *type,
                                                bool listed)
{
    const struct sw_penalty_rule *r = sw_policy_penalty(p, type);
    if (!r)
        return SW_FA_IGNORE;
    return listed ? r->on_listed : r->on_unlisted;
}

const struct sw_penalty_step *sw_penalty_step_for(const struct sw_penalty_rule *r, int nth)
{
    for (int i = 0; i < r->nsteps; i++)
        if (nth >= r->steps[i].from && (r->steps[i].to == 0 || nth <= r->steps[i].to))
            return &r->steps[i];
    return NULL;
}
