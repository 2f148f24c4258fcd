#include "cli/replay_print.h"

#include <stdlib.h>
#include <string.h>

#define SHOWN 10

static void print_counts(FILE *f, const struct sw_replay_report *r)
{
    double rate = r->seconds > 0 ? (double)r->commands / r->seconds : 0;
    fprintf(f,
            "replayed %lld commands in %.2f s (%.0f commands/s); %lld recorded timer commands "
            "left to the replay's own timers\n",
            (long long)r->commands, r->seconds, rate, (long long)r->timers_recorded);
    if (r->clock_moves)
        fprintf(f,
                "%lld recorded moves of the manual clock, the replay's timers due by each fired "
                "first\n",
                (long long)r->clock_moves);
    if (r->activations_skipped)
        fprintf(f, "%lld recorded policy activations skipped (the draft stays in force)\n",
                (long long)r->activations_skipped);
    const json_t *act = json_object_get(r->doc, "draft_activation");
    const char *refused = json_string_value(json_object_get(act, "refused"));
    if (act && refused)
        fprintf(f,
                "the draft could not be activated in the scratch run (%s: %s); each command "
                "after --from still ran under it\n",
                refused, json_string_value(json_object_get(act, "message")));
    else if (act)
        fprintf(f, "the draft was activated at --from, as promoting it then would have\n");
}

static void print_event(FILE *f, const char *side, const json_t *e)
{
    if (json_is_null(e)) {
        fprintf(f, "    %-9s (none)\n", side);
        return;
    }
    char *payload = json_dumps(json_object_get(e, "payload"), JSON_COMPACT);
    fprintf(f, "    %-9s %s %s (seq %lld, policy %s): %.300s\n", side,
            json_string_value(json_object_get(e, "type")),
            json_string_value(json_object_get(e, "subject"))
                ? json_string_value(json_object_get(e, "subject"))
                : "-",
            (long long)json_integer_value(json_object_get(e, "seq")),
            json_string_value(json_object_get(e, "policy_version")), payload ? payload : "");
    free(payload);
}

static void print_refused(FILE *f, const struct sw_replay_report *r)
{
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(r->doc, "refused"), i, x)
        fprintf(f, "  command %lld (%s) was accepted then, refused now: %s: %s\n",
                (long long)json_integer_value(json_object_get(x, "seq")),
                json_string_value(json_object_get(x, "type")),
                json_string_value(json_object_get(x, "code")),
                json_string_value(json_object_get(x, "message")));
}

void sw_replay_print_check(FILE *f, const struct sw_replay_report *r)
{
    print_counts(f, r);
    fprintf(f, "events: %lld recorded, %lld replayed\n", (long long)r->events_recorded,
            (long long)r->events_replayed);
    if (!r->differences && !r->refused) {
        fprintf(f, "determinism: OK, every event reproduced (type, subject, payload, order)\n");
        return;
    }
    fprintf(f, "determinism: FAILED, %lld events differ, %lld commands refused\n",
            (long long)r->differences, (long long)r->refused);
    print_refused(f, r);
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(r->doc, "differences"), i, d)
    {
        if (i == SHOWN)
            break;
        fprintf(f, "  event #%lld:\n",
                (long long)json_integer_value(json_object_get(d, "position")));
        print_event(f, "recorded", json_object_get(d, "recorded"));
        print_event(f, "replayed", json_object_get(d, "replayed"));
    }
}

static void print_totals(FILE *f, const json_t *totals)
{
    static const struct {
        const char *key, *words;
    } lines[] = {
        {"violations_added", "violations added"},
        {"violations_removed", "violations removed"},
        {"violations_other_penalty", "violations with another penalty"},
        {"fen_deducted_more", "fen deducted more"},
        {"fen_deducted_less", "fen deducted less"},
        {"appeals_overdue_added", "appeals that would be overdue"},
        {"appeals_overdue_removed", "appeals that would not be overdue"},
        {"promotions_abnormal", "promotions that would be abnormal"},
        {"promotions_not_abnormal", "promotions that would not be abnormal"},
        {"promotions_fail_review", "promotions that would fail review"},
        {"promotions_pass_review", "promotions that would pass review"},
        {"filings_refused", "filings refused"},
        {"filings_changed", "filings decided otherwise"},
        {"badges_changed", "badges changed"},
        {"tags_changed", "product tags changed"},
        {"commissions_changed", "commissions changed"},
        {"affiliate_flags_added", "affiliate orders that would be flagged"},
        {"affiliate_flags_removed", "affiliate orders that would not be flagged"},
        {"statements_changed", "statements changed"},
        {"refused_commands", "commands refused in all"},
    };
    fprintf(f, "\ndecisions that would change:\n");
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        fprintf(f, "  %-42s %lld\n", lines[i].words,
                (long long)json_integer_value(json_object_get(totals, lines[i].key)));
}

static void print_rules(FILE *f, const json_t *rules, bool only_changed)
{
    fprintf(f, "\nhits per rule (recorded -> would be)%s:\n", only_changed ? ", changed only" : "");
    size_t i;
    json_t *r;
    int shown = 0;
    json_array_foreach(rules, i, r)
    {
        if (only_changed && !json_is_true(json_object_get(r, "changed")))
            continue;
        const char *mark = json_string_value(json_object_get(r, "mark"));
        fprintf(f, "  %-50s %6lld -> %-6lld %s\n", json_string_value(json_object_get(r, "rule")),
                (long long)json_integer_value(json_object_get(r, "recorded")),
                (long long)json_integer_value(json_object_get(r, "would_be")),
                mark && mark[0] ? mark : "");
        shown++;
    }
    if (!shown)
        fprintf(f, "  (none)\n");
}

static void print_side(FILE *f, const char *side, const json_t *s)
{
    if (json_is_null(s)) {
        fprintf(f, "      %-9s -\n", side);
        return;
    }
    const char *rule = json_string_value(json_object_get(s, "rule"));
    const char *ev = json_string_value(json_object_get(s, "evidence"));
    fprintf(f, "      %-9s rule %s%s%s%s, policy %s\n", side, rule ? rule : "-", ev ? " (" : "",
            ev ? ev : "", ev ? ")" : "", json_string_value(json_object_get(s, "policy_version")));
}

void sw_replay_print_draft(FILE *f, const struct sw_replay_report *r, bool only_changed)
{
    print_counts(f, r);
    fprintf(f, "%lld subjects decided otherwise\n", (long long)r->differences);
    print_totals(f, json_object_get(r->doc, "totals"));
    print_rules(f, json_object_get(r->doc, "rules"), only_changed);
    const json_t *q = json_object_get(r->doc, "quality");
    fprintf(f,
            "\nviolations later overturned on appeal: %lld; under the draft %lld would not be "
            "made, %lld lighter, %lld the same, %lld heavier\n",
            (long long)json_integer_value(json_object_get(q, "overturned_on_appeal")),
            (long long)json_integer_value(json_object_get(q, "would_not_be_made")),
            (long long)json_integer_value(json_object_get(q, "would_be_lighter")),
            (long long)json_integer_value(json_object_get(q, "would_be_same")),
            (long long)json_integer_value(json_object_get(q, "would_be_heavier")));
    print_refused(f, r);
    fprintf(f, "\nfirst differences:\n");
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(r->doc, "differences"), i, d)
    {
        if (i == SHOWN)
            break;
        fprintf(f, "  %s: %s\n", json_string_value(json_object_get(d, "subject")),
                json_string_value(json_object_get(d, "summary")));
        print_side(f, "recorded", json_object_get(d, "recorded"));
        print_side(f, "would be", json_object_get(d, "would_be"));
    }
    if (!r->differences)
        fprintf(f, "  (none: the draft decides as the recorded policies did)\n");
}

int sw_replay_write_ndjson(const char *path, const struct sw_replay_report *r)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(r->doc, "differences"), i, d)
    {
        char *s = json_dumps(d, JSON_COMPACT);
        if (s)
            fprintf(f, "%s\n", s);
        free(s);
    }
    return fclose(f) == 0 ? 0 : -1;
}
