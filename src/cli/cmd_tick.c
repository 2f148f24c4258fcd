#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/admin/admin.h"

static const char USAGE[] =
    "usage: shopwarden tick --to INSTANT [--db PATH] [--policy FILE]\n\n"
    "Moves the database's manual clock to INSTANT (RFC 3339, never backwards) and fires every\n"
    "timer due by then, in due order, each as a logged command at its due instant, then logs\n"
    "the move itself (admin.clock). On a database whose manual clock was never set, this sets\n"
    "its starting point.\n";

int cmd_tick(int argc, char **argv)
{
    if (sw_cli_want_help(argc, argv, USAGE))
        return 0;
    struct sw_app_options o = {
        .db = SW_DEFAULT_DB, .exclusive = true, .manual_clock = true, .label = "shopwarden tick"};
    const char *to_s = NULL;
    static const struct option opts[] = {{"to", required_argument, 0, 't'},
                                         {"db", required_argument, 0, 'd'},
                                         {"policy", required_argument, 0, 'p'},
                                         {0, 0, 0, 0}};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (ch) {
        case 't':
            to_s = optarg;
            break;
        case 'd':
            o.db = optarg;
            break;
        case 'p':
            o.policy = optarg;
            break;
        default:
            return sw_cli_bad_option(ch, argv, USAGE);
        }
    }
    if (optind < argc)
        return sw_cli_usage_error(USAGE, "unexpected argument '%s'", argv[optind]);
    sw_instant to;
    struct sw_error err;
    if (!to_s)
        return sw_cli_usage_error(USAGE, "--to is required");
    if (sw_instant_parse(to_s, strlen(to_s), &to, &err))
        return sw_cli_usage_error(USAGE, "--to: %s", err.msg);
    o.manual_start = to; /* a database without a clock position starts where it is told */
    struct sw_app app;
    if (sw_app_open(&app, &o) != 0)
        return 1;
    int fired = 0;
    int rc = sw_engine_tick(app.engine, to, &fired, &err);
    struct sw_cmd who = {.actor = "cli", .actor_label = "shopwarden tick"};
    json_t *logged = NULL;
    bool replayed;
    if (rc == SW_OK) /* logged as the server logs a move (a replay's timers follow it) */
        rc = sw_admin_clock_record(app.engine, &who, to, fired, &logged, &replayed, &err);
    json_decref(logged);
    char now[32];
    if (rc)
        sw_cli_error("%s: %s", sw_err_name(rc), err.msg);
    else
        printf("{\"now\":\"%s\",\"timers_fired\":%d}\n", sw_instant_format(to, now), fired);
    sw_app_close(&app);
    return rc ? 1 : 0;
}
