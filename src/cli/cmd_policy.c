#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char USAGE[] = "usage: shopwarden policy check FILE\n\n"
                            "Validates a policy file and prints every problem with its JSON path.\n"
                            "Exit status: 0 valid, 1 invalid, 2 usage.\n";

/* "calendar 'cn' years 2025, 2026, 2027 (2027 from the policy)": the years rules can use. */
static void print_calendar(const struct sw_policy *p)
{
    const json_t *cal = json_object_get(p->doc, "calendar");
    const json_t *region = json_object_get(cal, "region");
    const json_t *added = json_object_get(cal, "years");
    printf("calendar '%s' years", region ? json_string_value(region) : "cn");
    for (int i = 0; i < p->calendar.nyears; i++)
        printf("%s %d", i ? "," : "", p->calendar.years[i].year);
    size_t i;
    const json_t *y;
    json_array_foreach(added, i, y)
    {
        printf("%s%lld", i ? ", " : " (",
               (long long)json_integer_value(json_object_get(y, "year")));
    }
    printf("%s\n", json_array_size(added) ? " from the policy)" : "");
}

int cmd_policy(int argc, char **argv)
{
    if (sw_cli_want_help(argc, argv, USAGE))
        return 0;
    if (argc < 2)
        return sw_cli_usage_error(USAGE, "a subcommand is required (check)");
    if (strcmp(argv[1], "check") != 0)
        return sw_cli_usage_error(USAGE, "unknown subcommand '%s'", argv[1]);
    for (int i = 2; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1])
            return sw_cli_usage_error(USAGE, "unknown option '%s'", argv[i]);
    if (argc < 3)
        return sw_cli_usage_error(USAGE, "a policy FILE is required");
    if (argc > 3)
        return sw_cli_usage_error(USAGE, "unexpected argument '%s'", argv[3]);
    struct sw_policy *p = NULL;
    json_t *problems = NULL;
    struct sw_error err;
    int rc = sw_policy_load_file(argv[2], &p, &problems, &err);
    if (rc == SW_OK) {
        printf("ok: policy '%s', %d categories, ", p->version, p->ncategories);
        print_calendar(p);
        sw_policy_free(p);
        json_decref(problems);
        return 0;
    }
    if (!problems || json_array_size(problems) == 0) {
        sw_cli_error("%s: %s", argv[2], err.msg);
    } else {
        size_t i;
        json_t *pr;
        json_array_foreach(problems, i, pr)
        {
            printf("%s: %s: %s\n", argv[2], json_string_value(json_object_get(pr, "path")),
                   json_string_value(json_object_get(pr, "message")));
        }
        printf("%zu problem%s\n", json_array_size(problems),
               json_array_size(problems) == 1 ? "" : "s");
    }
    json_decref(problems);
    return 1;
}
