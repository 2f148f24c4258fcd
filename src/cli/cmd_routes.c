#include <stdio.h>

#include "cli/cli.h"
#include "http/routes.h"

static const char USAGE[] = "usage: shopwarden routes\n\n"
                            "Prints the HTTP routes the server serves, one 'METHOD PATH' a line\n"
                            "(checked against api/openapi.yaml by the tests).\n";

int cmd_routes(int argc, char **argv)
{
    if (sw_cli_want_help(argc, argv, USAGE))
        return 0;
    if (argc > 1)
        return sw_cli_usage_error(USAGE, "%s '%s'",
                                  argv[1][0] == '-' ? "unknown option" : "unexpected argument",
                                  argv[1]);
    for (int i = 0; i < sw_routes_count(); i++) {
        const char *method, *path;
        sw_route_at(i, &method, &path);
        printf("%s %s\n", method, path);
    }
    return 0;
}
