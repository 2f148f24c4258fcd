#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/json.h"
#include "cli/cli.h"
#include "store/journal.h"

static const char USAGE[] =
    "usage: shopwarden events [--after SEQ] [--limit N] [--db PATH]\n\n"
    "Prints the audit log (the events table) as JSON lines, oldest first, from seq > SEQ.\n"
    "Read-only: safe while the server runs.\n";

int cmd_events(int argc, char **argv)
{
    if (sw_cli_want_help(argc, argv, USAGE))
        return 0;
    const char *db = SW_DEFAULT_DB;
    long long after = 0, limit = -1;
    static const struct option opts[] = {{"after", required_argument, 0, 'a'},
                                         {"limit", required_argument, 0, 'n'},
                                         {"db", required_argument, 0, 'd'},
                                         {0, 0, 0, 0}};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (ch) {
        case 'a':
            if (!sw_cli_int("--after", optarg, 0, INT64_MAX, &after))
                return 2;
            break;
        case 'n':
            if (!sw_cli_int("--limit", optarg, 0, INT64_MAX, &limit))
                return 2;
            break;
        case 'd':
            db = optarg;
            break;
        default:
            return sw_cli_bad_option(ch, argv, USAGE);
        }
    }
    if (optind < argc)
        return sw_cli_usage_error(USAGE, "unexpected argument '%s'", argv[optind]);
    struct sw_conn c;
    struct sw_error err;
    if (sw_conn_open(&c, db, true, SW_SYNC_NORMAL, &err)) {
        sw_cli_error("%s", err.msg);
        return 1;
    }
    int rc = 0;
    long long printed = 0;
    for (;;) {
        json_t *page;
        if (sw_journal_events_page(&c, after, 1000, &page, &err)) {
            sw_cli_error("%s", err.msg);
            rc = 1;
            break;
        }
        size_t i, n = json_array_size(page);
        json_t *ev;
        json_array_foreach(page, i, ev)
        {
            if (limit >= 0 && printed >= limit)
                break;
            char *line = sw_json_dump(ev);
            puts(line);
            free(line);
            printed++;
            after = json_integer_value(json_object_get(ev, "seq"));
        }
        json_decref(page);
        if (n < 1000 || (limit >= 0 && printed >= limit))
            break;
    }
    sw_conn_close(&c);
    return rc;
}
