/* Comparing a replay under a draft policy with the log: the decisions each run made, subject by
 * subject (docs/replay.md, "The report").
 *
 * Each run's events are folded into one summary per decided subject, under a key
 * that does not depend on ids the engine hands out in order (a draft that adds a violation shifts
 * every later violation id): a violation is "violation <product> <type> #<n>" (its n-th of that
 * type on that product), an appeal hangs off its violation, the rest keep their own ids
 * (promotions, filings, badges by store, tags by product, commissions by order, statements). The
 * subjects decided from `from` on in either run are then compared key by key, each with its
 * whole state (the events before `from` are the same in both runs). */
#include "replay/replay_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/replay_sql.h"

#define PAGE 4096

/* One run's decisions: key -> summary, and what the keys are derived from. */
struct fold {
    json_t *subjects; /* key -> {kind, ...summary} */
    json_t *vkeys;    /* violation id -> key */
    json_t *ordinals; /* "<product> <type>" -> count */
    json_t *rules;    /* rule -> hits */
    json_t *touched;  /* key -> true: decided from `from` on (the keys compared) */
    bool window;      /* folding an event from `from` on */
};

/* Marks key as decided in the window: only those are compared, each with its whole state
 * (events before `from` included, the same in both runs). */
static void touch(struct fold *f, const char *key)
{
    if (f->window)
        json_object_set_new(f->touched, key, json_true());
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static const char *violation_key(struct fold *f, const char *id, const json_t *p)
{
    const char *known = str(f->vkeys, id);
    if (known || !str(p, "product") || !str(p, "type"))
        return known;
    char pt[512], key[600];
    snprintf(pt, sizeof pt, "%s %s", str(p, "product"), str(p, "type"));
    json_int_t n = json_integer_value(json_object_get(f->ordinals, pt)) + 1;
    json_object_set_new(f->ordinals, pt, json_integer(n));
    snprintf(key, sizeof key, "violation %s #%lld", pt, (long long)n);
    json_object_set_new(f->vkeys, id, json_string(key));
    return str(f->vkeys, id);
}

static json_t *violation_summary(const json_t *p, const char *version)
{
    const json_t *pen = json_object_get(p, "penalty");
    const json_t *first = json_array_get(json_object_get(p, "findings"), 0);
    return json_pack("{s:s,s:s?,s:s?,s:s?,s:I,s:s?,s:s?,s:s?,s:s}", "kind", "violation", "id",
                     str(p, "id"), "status", str(p, "status"), "severity", str(p, "severity"),
                     "deduct_fen", json_integer_value(json_object_get(pen, "deduct_fen")), "ban",
                     str(pen, "ban"), "rule", str(first, "rule"), "evidence",
                     str(first, "evidence"), "policy_version", version);
}

static void fold_violation(struct fold *f, const struct sw_replay_event_row *e, const json_t *p)
{
    const char *key = violation_key(f, e->subject, p);
    if (!key)
        return;
    json_object_set_new(f->subjects, key, violation_summary(p, e->policy_version));
    touch(f, key);
}

static void fold_appeal(struct fold *f, const struct sw_replay_event_row *e, const json_t *p)
{
    const char *v = str(f->vkeys, str(p, "violation") ? str(p, "violation") : "");
    char key[700];
    snprintf(key, sizeof key, "appeal #%lld of %s",
             (long long)json_integer_value(json_object_get(p, "nth")), v ? v : str(p, "violation"));
    bool overdue = json_is_true(json_object_get(p, "overdue"));
    char ev[80];
    snprintf(ev, sizeof ev, "due at %s%s", str(p, "due_at") ? str(p, "due_at") : "-",
             overdue ? ", overdue" : "");
    /* the SLA decides an appeal's due instant, and so whether it is overdue */
    json_object_set_new(f->subjects, key,
                        json_pack("{s:s,s:s?,s:s?,s:b,s:s?,s:s,s:s,s:s}", "kind", "appeal", "id",
                                  str(p, "id"), "status", str(p, "status"), "overdue", overdue,
                                  "due_at", str(p, "due_at"), "rule", "penalties.appeals.sla_hours",
                                  "evidence", ev, "policy_version", e->policy_version));
    touch(f, key);
}

static void fold_promotion(struct fold *f, const struct sw_replay_event_row *e, const json_t *p)
{
    char key[300];
    snprintf(key, sizeof key, "promotion %s", e->subject);
    json_t *s = json_object_get(f->subjects, key);
    if (!s) {
        s = json_pack("{s:s,s:s,s:b,s:[],s:s}", "kind", "promotion", "review", "passed", "abnormal",
                      0, "reasons", "policy_version", e->policy_version);
        json_object_set_new(f->subjects, key, s);
    }
    if (strcmp(e->type, "promotion.created") == 0) {
        const json_t *reasons = json_object_get(p, "reasons");
        bool failed = str(p, "status") && strcmp(str(p, "status"), "review_failed") == 0;
        json_object_set_new(s, "review", json_string(failed ? "failed" : "passed"));
        json_object_set_new(s, "reasons", reasons ? json_incref((json_t *)reasons) : json_array());
        json_object_set_new(s, "policy_version", json_string(e->policy_version));
        /* the rule that decided a failed review: its first reason's */
        const char *rule = str(json_array_get(reasons, 0), "rule");
        json_object_set_new(s, "rule", rule ? json_string(rule) : json_null());
    }
    bool abnormal = strcmp(e->type, "promotion.abnormal") == 0;
    if (abnormal)
        json_object_set_new(s, "abnormal", json_true());
    const json_t *now_reasons = json_object_get(p, "reasons");
    if ((abnormal || strcmp(e->type, "promotion.reasons_changed") == 0) &&
        json_is_array(now_reasons)) {
        /* the check that made it abnormal decided: its reasons, their first rule, its policy */
        json_object_set_new(s, "reasons", json_incref((json_t *)now_reasons));
        const char *rule = str(json_array_get(now_reasons, 0), "rule");
        json_object_set_new(s, "rule", rule ? json_string(rule) : json_null());
        json_object_set_new(s, "policy_version", json_string(e->policy_version));
    }
    if (str(p, "status"))
        json_object_set_new(s, "status", json_string(str(p, "status")));
    touch(f, key);
}

/* A code of a payload's list: the element itself, or its rule or code. */
static const char *code_of(const json_t *x)
{
    if (json_is_string(x))
        return json_string_value(x);
    return str(x, "rule") ? str(x, "rule") : str(x, "code");
}

/* The codes of a list (flags, reasons), joined into out ("self_built, pk"); false when none. */
static bool joined(const json_t *list, char *out, size_t cap)
{
    size_t i, n = 0;
    json_t *x;
    out[0] = '\0';
    json_array_foreach(list, i, x)
    {
        if (code_of(x) && n < cap)
            n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? ", " : "", code_of(x));
    }
    return n > 0;
}

/* What decided the last payload p of a filing, badge, tag, commission or statement: its
 * review's flags (repeat_buyer), its reasons (self_built, a badge's missing service), the reason
 * or cause it names (badge_active, services_changed); the rule is the first of them, the
 * evidence every list it holds. */
static void decided_by(json_t *s, const json_t *p)
{
    static const char *const lists[] = {"flags", "reasons", "missing"};
    const char *rule = NULL;
    char ev[400] = "", part[200];
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        if (!rule)
            rule = code_of(json_array_get(json_object_get(p, lists[k]), 0));
        if (joined(json_object_get(p, lists[k]), part, sizeof part))
            snprintf(ev + strlen(ev), sizeof ev - strlen(ev), "%s%s: %s", ev[0] ? "; " : "",
                     lists[k], part);
    }
    if (!rule)
        rule = str(p, "reason") ? str(p, "reason") : str(p, "cause");
    json_object_set_new(s, "rule", rule ? json_string(rule) : json_null());
    json_object_set_new(s, "evidence", ev[0] ? json_string(ev) : json_null());
}

/* Whatever else decides: the last payload of the subject, kept as it is, with what decided it. */
static void fold_last(struct fold *f, const char *kind, const char *subject,
                      const struct sw_replay_event_row *e, const json_t *p)
{
    char key[300];
    snprintf(key, sizeof key, "%s %s", kind, subject ? subject : "-");
    json_t *s = json_pack("{s:s,s:s,s:O,s:s}", "kind", kind, "event", e->type, "state", p,
                          "policy_version", e->policy_version);
    if (s)
        decided_by(s, p);
    json_object_set_new(f->subjects, key, s);
    touch(f, key);
}

static void fold_event(struct fold *f, const struct sw_replay_event_row *e)
{
    const char *t = e->type;
    bool wanted = starts(t, "violation.") || starts(t, "appeal.") ||
                  (starts(t, "promotion.") && strcmp(t, "promotion.exposure_counted") != 0) ||
                  starts(t, "filing.") || starts(t, "lottery.") || starts(t, "live_session.") ||
                  starts(t, "distribution.") || starts(t, "badge.") ||
                  starts(t, "product.tagged") || starts(t, "product.untagged") ||
                  starts(t, "affiliate.order_changed") || starts(t, "affiliate.statement_issued");
    if (!wanted)
        return;
    json_t *p = json_loads(e->payload, 0, NULL);
    if (!p)
        return;
    if (starts(t, "violation."))
        fold_violation(f, e, p);
    else if (starts(t, "appeal."))
        fold_appeal(f, e, p);
    else if (starts(t, "promotion."))
        fold_promotion(f, e, p);
    else if (starts(t, "badge."))
        fold_last(f, "badge", e->merchant, e, p);
    else if (starts(t, "product."))
        fold_last(f, "tags", e->subject, e, p);
    else if (starts(t, "affiliate.order"))
        fold_last(f, "commission", e->subject, e, p);
    else if (starts(t, "affiliate.statement"))
        fold_last(f, "statement", e->subject, e, p);
    else
        fold_last(f, "filing", e->subject, e, p);
    json_decref(p);
}

/* The events of c's commands up to upto (a command seq) and up to upto_event (an event seq). */
static int fold_run(struct sw_conn *c, int64_t upto, int64_t upto_event,
                    const struct sw_replay_opts *o, struct fold *f, int64_t *nevents,
                    struct sw_error *err)
{
    struct sw_replay_event_row *rows = calloc(PAGE, sizeof *rows);
    if (!rows)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    int64_t after = 0;
    int n, rc;
    do {
        if ((rc = sw_replay_sql_events(c, after, upto, rows, PAGE, &n, err)))
            break;
        for (int i = 0; i < n; i++) {
            if (rows[i].seq > upto_event) { /* the rest is later still: released, not folded */
                for (int k = i; k < n; k++)
                    sw_replay_event_row_free(&rows[k]);
                n = 0;
                break;
            }
            (*nevents)++;
            /* before `from`: the state both runs start the window from (violations keep their
             * ordinals, an appeal names its violation by key, a promotion its review) */
            f->window = o->from_seq ? rows[i].command_seq > o->from_seq : rows[i].at >= o->from;
            fold_event(f, &rows[i]);
            after = rows[i].seq;
            sw_replay_event_row_free(&rows[i]);
        }
    } while (n == PAGE);
    free(rows);
    return rc;
}

static void fold_init(struct fold *f)
{
    f->subjects = json_object();
    f->vkeys = json_object();
    f->ordinals = json_object();
    f->rules = json_object();
    f->touched = json_object();
}

static void fold_release(struct fold *f)
{
    json_decref(f->subjects);
    json_decref(f->vkeys);
    json_decref(f->ordinals);
    json_decref(f->rules);
    json_decref(f->touched);
}

static void bump(json_t *o, const char *k, json_int_t by)
{
    if (by)
        json_object_set_new(o, k, json_integer(json_integer_value(json_object_get(o, k)) + by));
}

/* Hits per rule: violations by their deciding rule, failed reviews by each reason's rule,
 * overdue appeals by the SLA, affiliate orders by each flag of their review. */
static void count_rules(struct fold *f)
{
    const char *key;
    json_t *s;
    json_object_foreach(f->subjects, key, s)
    {
        if (!json_object_get(f->touched, key))
            continue;
        const char *kind = str(s, "kind");
        if (strcmp(kind, "violation") == 0 && str(s, "rule"))
            bump(f->rules, str(s, "rule"), 1);
        if (strcmp(kind, "promotion") == 0 && strcmp(str(s, "review"), "failed") == 0) {
            size_t i;
            json_t *r;
            json_array_foreach(json_object_get(s, "reasons"), i, r) if (str(r, "rule"))
                bump(f->rules, str(r, "rule"), 1);
        }
        if (strcmp(kind, "appeal") == 0 && json_is_true(json_object_get(s, "overdue")))
            bump(f->rules, str(s, "rule"), 1);
        if (strcmp(kind, "commission") == 0) { /* each flag of its review */
            size_t i;
            json_t *x;
            json_array_foreach(json_object_get(json_object_get(s, "state"), "flags"), i,
                               x) if (str(x, "rule")) bump(f->rules, str(x, "rule"), 1);
        }
    }
}

static json_int_t deduct(const json_t *s)
{
    return s ? json_integer_value(json_object_get(s, "deduct_fen")) : 0;
}

static void describe_violation(const json_t *a, const json_t *b, json_t *d, json_t *totals)
{
    char words[400];
    json_int_t delta = deduct(b) - deduct(a);
    if (!a) {
        bump(totals, "violations_added", 1);
        snprintf(words, sizeof words, "would be a violation (rule %s: %s), deducting %lld fen",
                 str(b, "rule"), str(b, "evidence") ? str(b, "evidence") : "-",
                 (long long)deduct(b));
    } else if (!b) {
        bump(totals, "violations_removed", 1);
        snprintf(words, sizeof words,
                 "would not be a violation (recorded: rule %s: %s, %lld fen deducted)",
                 str(a, "rule"), str(a, "evidence") ? str(a, "evidence") : "-",
                 (long long)deduct(a));
    } else {
        bump(totals, "violations_other_penalty", 1);
        const char *ban_b = str(b, "ban") ? str(b, "ban") : "none";
        const char *ban_a = str(a, "ban") ? str(a, "ban") : "none";
        int n = snprintf(words, sizeof words, "deduction %lld fen instead of %lld (%+lld fen)",
                         (long long)deduct(b), (long long)deduct(a), (long long)delta);
        if (strcmp(ban_a, ban_b) != 0 && n > 0 && (size_t)n < sizeof words)
            snprintf(words + n, sizeof words - (size_t)n, ", ban %s instead of %s", ban_b, ban_a);
    }
    bump(totals, delta > 0 ? "fen_deducted_more" : "fen_deducted_less", delta > 0 ? delta : -delta);
    json_object_set_new(d, "fen_delta", json_integer(delta));
    json_object_set_new(d, "summary", json_string(words));
}

static bool is(const json_t *s, const char *k, const char *v)
{
    return s && str(s, k) && strcmp(str(s, k), v) == 0;
}

static void describe_promotion(const json_t *a, const json_t *b, json_t *d, json_t *totals)
{
    const char *words = "would end in another state";
    const char *total = "promotions_other";
    if (is(a, "review", "passed") && is(b, "review", "failed")) {
        words = "would fail review";
        total = "promotions_fail_review";
    } else if (is(a, "review", "failed") && is(b, "review", "passed")) {
        words = "would pass review";
        total = "promotions_pass_review";
    } else if (a && b && !json_is_true(json_object_get(a, "abnormal")) &&
               json_is_true(json_object_get(b, "abnormal"))) {
        words = "would become abnormal";
        total = "promotions_abnormal";
    } else if (a && b && json_is_true(json_object_get(a, "abnormal")) &&
               !json_is_true(json_object_get(b, "abnormal"))) {
        words = "would not become abnormal";
        total = "promotions_not_abnormal";
    } else if (!b) {
        words = "would not be created";
    } else if (!a) {
        words = "would be created";
    }
    bump(totals, total, 1);
    json_object_set_new(d, "summary", json_string(words));
}

static void describe_appeal(const json_t *a, const json_t *b, json_t *d, json_t *totals)
{
    bool ao = a && json_is_true(json_object_get(a, "overdue"));
    bool bo = b && json_is_true(json_object_get(b, "overdue"));
    const char *words = "would end in another state";
    if (!ao && bo) {
        words = "would be overdue";
        bump(totals, "appeals_overdue_added", 1);
    } else if (ao && !bo) {
        words = "would not be overdue";
        bump(totals, "appeals_overdue_removed", 1);
    } else {
        bump(totals, "appeals_other", 1);
        if (!b)
            words = "would not be filed"; /* refused, or its violation would not be made */
        else if (!a)
            words = "would be filed";
        else if (is(a, "status", str(b, "status") ? str(b, "status") : ""))
            words = "would be due at another instant"; /* the same end; the deadline moved */
    }
    json_object_set_new(d, "summary", json_string(words));
}

/* An affiliate order: its commission, status and the review's flags (a draft that flags more
 * changes no status while the flag is open, and is still a decision of its own). */
static void describe_commission(const json_t *a, const json_t *b, json_t *d, json_t *totals)
{
    char fa[200], fb[200], words[480];
    const json_t *sa = a ? json_object_get(a, "state") : NULL;
    const json_t *sb = b ? json_object_get(b, "state") : NULL;
    /* the rules of each side's flags ("repeat_buyer, self_purchase") */
    bool ha = sa && joined(json_object_get(sa, "flags"), fa, sizeof fa);
    bool hb = sb && joined(json_object_get(sb, "flags"), fb, sizeof fb);
    bool flags_differ = !json_equal(json_object_get(sa, "flags"), json_object_get(sb, "flags"));
    if (a && b && flags_differ && hb && !ha) {
        snprintf(words, sizeof words, "would be flagged (%s)", fb);
        bump(totals, "affiliate_flags_added", 1);
    } else if (a && b && flags_differ && ha && !hb) {
        snprintf(words, sizeof words, "would not be flagged (recorded: %s)", fa);
        bump(totals, "affiliate_flags_removed", 1);
    } else if (a && b && flags_differ) {
        snprintf(words, sizeof words, "would be flagged otherwise (%s instead of %s)", fb, fa);
    } else {
        snprintf(words, sizeof words, "commission would %s",
                 !a   ? "be new"
                 : !b ? "not be there"
                      : "end in another state");
    }
    bump(totals, "commissions_changed", 1);
    json_object_set_new(d, "summary", json_string(words));
}

static json_t *difference(const char *key, const json_t *a, const json_t *b, json_t *totals)
{
    const char *kind = str(a ? a : b, "kind");
    json_t *d = json_pack(
        "{s:s,s:s,s:s,s:O,s:O,s:{s:s?,s:s?},s:{s:s?,s:s?}}", "subject", key, "kind", kind, "change",
        !a   ? "added"
        : !b ? "removed"
             : "changed",
        "recorded", a ? a : json_null(), "would_be", b ? b : json_null(), "rule", "recorded",
        a ? str(a, "rule") : NULL, "would_be", b ? str(b, "rule") : NULL, "policy_version",
        "recorded", a ? str(a, "policy_version") : NULL, "would_be",
        b ? str(b, "policy_version") : NULL);
    if (strcmp(kind, "violation") == 0) {
        describe_violation(a, b, d, totals);
    } else if (strcmp(kind, "promotion") == 0) {
        describe_promotion(a, b, d, totals);
    } else if (strcmp(kind, "appeal") == 0) {
        describe_appeal(a, b, d, totals);
    } else if (strcmp(kind, "commission") == 0) {
        describe_commission(a, b, d, totals);
    } else {
        char total[64], words[64];
        snprintf(total, sizeof total, strcmp(kind, "tags") == 0 ? "%s_changed" : "%ss_changed",
                 kind);
        snprintf(words, sizeof words, "%s would %s", kind,
                 !a   ? "be new"
                 : !b ? "not be there"
                      : "end in another state");
        bump(totals, total, 1);
        json_object_set_new(d, "summary", json_string(words));
    }
    return d;
}

/* Both runs' keys, sorted, without repeats (a JSON array of strings). */
static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static const char **union_keys(const json_t *a, const json_t *b, size_t *n)
{
    size_t cap = json_object_size(a) + json_object_size(b) + 1, k = 0;
    const char **keys = malloc(cap * sizeof *keys);
    if (!keys)
        return NULL;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)a, key, v) keys[k++] = key;
    json_object_foreach((json_t *)b, key, v) if (!json_object_get(a, key)) keys[k++] = key;
    qsort(keys, k, sizeof *keys, cmp_str);
    *n = k;
    return keys;
}

static json_t *rule_table(const struct fold *a, const struct fold *b)
{
    json_t *out = json_array();
    size_t n;
    const char **keys = union_keys(a->rules, b->rules, &n);
    for (size_t i = 0; keys && i < n; i++) {
        json_int_t x = json_integer_value(json_object_get(a->rules, keys[i]));
        json_int_t y = json_integer_value(json_object_get(b->rules, keys[i]));
        json_array_append_new(out, json_pack("{s:s,s:I,s:I,s:b,s:s}", "rule", keys[i], "recorded",
                                             x, "would_be", y, "changed", x != y, "mark",
                                             !x   ? "new"
                                             : !y ? "removed"
                                                  : ""));
    }
    free(keys);
    return out;
}

/* What the draft would have done to the violations later overturned on appeal. */
static json_t *quality(const struct fold *a, const struct fold *b)
{
    json_int_t overturned = 0, gone = 0, lighter = 0, same = 0, heavier = 0;
    const char *key;
    json_t *s;
    json_object_foreach(a->subjects, key, s)
    {
        if (!json_object_get(a->touched, key) || !is(s, "kind", "violation") ||
            !is(s, "status", "overturned"))
            continue;
        overturned++;
        const json_t *w = json_object_get(b->subjects, key);
        if (!w)
            gone++;
        else if (deduct(w) < deduct(s))
            lighter++;
        else if (deduct(w) > deduct(s))
            heavier++;
        else
            same++;
    }
    return json_pack("{s:I,s:I,s:I,s:I,s:I}", "overturned_on_appeal", overturned,
                     "would_not_be_made", gone, "would_be_lighter", lighter, "would_be_same", same,
                     "would_be_heavier", heavier);
}

static json_t *totals_init(const json_t *refused_by_type)
{
    json_t *t = json_object();
    static const char *const names[] = {
        "violations_added",        "violations_removed",     "violations_other_penalty",
        "fen_deducted_more",       "fen_deducted_less",      "appeals_overdue_added",
        "appeals_overdue_removed", "promotions_abnormal",    "promotions_not_abnormal",
        "promotions_pass_review",  "promotions_fail_review", "filings_refused",
        "filings_changed",         "badges_changed",         "tags_changed",
        "commissions_changed",     "statements_changed",     "refused_commands",
        "affiliate_flags_added",   "affiliate_flags_removed"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        json_object_set_new(t, names[i], json_integer(0));
    const char *type;
    json_t *n;
    json_object_foreach((json_t *)refused_by_type, type, n)
    {
        bump(t, "refused_commands", json_integer_value(n));
        if (starts(type, "filing.") || starts(type, "lottery.") || starts(type, "live_session.") ||
            starts(type, "distribution."))
            bump(t, "filings_refused", json_integer_value(n));
    }
    return t;
}

/* Removes every "policy_version" member, at any depth (o is a copy). */
static void strip_versions(json_t *o)
{
    if (json_is_object(o)) {
        json_object_del(o, "policy_version");
        const char *k;
        json_t *v;
        json_object_foreach(o, k, v) strip_versions(v);
    } else if (json_is_array(o)) {
        size_t i;
        json_t *v;
        json_array_foreach(o, i, v) strip_versions(v);
    }
}

/* The same decision under another policy version (or another id for the same subject) is not
 * a change. */
static bool same_decision(const json_t *x, const json_t *y)
{
    json_t *a = json_deep_copy(x), *b = json_deep_copy(y);
    strip_versions(a);
    strip_versions(b);
    json_object_del(a, "id");
    json_object_del(b, "id");
    bool same = json_equal(a, b);
    json_decref(a);
    json_decref(b);
    return same;
}

int sw__replay_compare_decisions(struct sw_conn *live, struct sw_conn *scratch,
                                 int64_t last_cmd_seq, int64_t scratch_seq,
                                 const struct sw_replay_opts *o, struct sw_replay_report *r,
                                 struct sw_error *err)
{
    struct fold a, b;
    fold_init(&a);
    fold_init(&b);
    int rc = fold_run(live, last_cmd_seq, INT64_MAX, o, &a, &r->events_recorded, err);
    if (rc == SW_OK)
        rc = fold_run(scratch, INT64_MAX, scratch_seq, o, &b, &r->events_replayed, err);
    count_rules(&a);
    count_rules(&b);
    json_t *totals = totals_init(json_object_get(r->doc, "refused_by_type"));
    json_t *diffs = json_array();
    int max = o->max_differences > 0 ? o->max_differences : 1000;
    size_t n = 0;
    const char **keys = rc == SW_OK ? union_keys(a.touched, b.touched, &n) : NULL;
    for (size_t i = 0; keys && i < n; i++) {
        const json_t *x = json_object_get(a.subjects, keys[i]);
        const json_t *y = json_object_get(b.subjects, keys[i]);
        if (x && y && json_equal(x, y))
            continue;
        if (x && y && same_decision(x, y))
            continue;
        json_t *d = difference(keys[i], x, y, totals);
        r->differences++;
        if ((int)json_array_size(diffs) < max)
            json_array_append_new(diffs, d);
        else
            json_decref(d);
    }
    free(keys);
    json_object_set_new(r->doc, "mode", json_string("draft"));
    json_object_set_new(r->doc, "totals", totals);
    json_object_set_new(r->doc, "rules", rule_table(&a, &b));
    json_object_set_new(r->doc, "quality", quality(&a, &b));
    json_object_set_new(r->doc, "differences", diffs);
    fold_release(&a);
    fold_release(&b);
    return rc;
}
