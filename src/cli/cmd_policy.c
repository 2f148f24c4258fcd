#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char USAGE[] = "usage: shopwarden policy check FILE\n\n"
                            "Validates a policy file and prints every problem with its JSON path.\n"
                            "Exit status: 0 valid, 1 invalid, 2 usage.\n";

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
        printf("ok: policy '%s', %d categories, calendar years %d\n", p->version, p->ncategories,
               p->calendar.nyears);
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
