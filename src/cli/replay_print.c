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
    if (r->activations_skipped)
        fprintf(f, "%lld recorded policy activations skipped (the draft stays in force)\n",
                (long long)r->activations_skipped);
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
        fprintf(f, "  event #%lld:\n", (long long)json_integer_value(json_object_get(d, "position")));
        print_event(f, "recorded", json_object_get(d, "recorded"));
        print_event(f, "replayed", json_object_get(d, "replayed"));
    }
}

void sw_replay_print_draft(FILE *f, const struct sw_replay_report *r, bool only_changed)
{
    (void)only_changed;
    print_counts(f, r);
    char *s = json_dumps(r->doc, JSON_INDENT(2));
    fprintf(f, "%s\n", s ? s : "");
    free(s);
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
