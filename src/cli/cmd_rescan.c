#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "cli/cli.h"
#include "domain/penalty/penalty.h"

static const char USAGE[] =
    "usage: shopwarden rescan [--db PATH] [--policy FILE] [--clock manual] [--batch N]\n"
    "                         [--key KEY] [--note TEXT]\n\n"
    "Re-inspects every listed product under the policy in force (docs/penalty.md, \"Rescans\"):\n"
    "findings a product on sale did not have before become violations (or take it off sale),\n"
    "as the policy's on_listed says. Starts a rescan, or goes on with the one that is running\n"
    "(one a server or an earlier run left unfinished), and runs it to its end, one step of\n"
    "--batch listed products (default 200) per commit. --key makes the start idempotent: a\n"
    "second run with the same key starts nothing new. Prints the job as JSON.\n";

struct rescan_opts {
    long long batch;
    const char *key, *note;
};

static int parse(int argc, char **argv, struct sw_app_options *o, struct rescan_opts *ro)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"policy", required_argument, 0, 'p'},
                                         {"clock", required_argument, 0, 'c'},
                                         {"batch", required_argument, 0, 'b'},
                                         {"key", required_argument, 0, 'k'},
                                         {"note", required_argument, 0, 'n'},
                                         {0, 0, 0, 0}};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (ch == 'd')
            o->db = optarg;
        else if (ch == 'p')
            o->policy = optarg;
        else if (ch == 'c' && (strcmp(optarg, "manual") == 0 || strcmp(optarg, "system") == 0))
            o->manual_clock = strcmp(optarg, "manual") == 0;
        else if (ch == 'c')
            return sw_cli_usage_error(USAGE, "--clock must be system or manual, not '%s'", optarg);
        else if (ch == 'b' && !sw_cli_int("--batch", optarg, 1, 1000, &ro->batch))
            return 2;
        else if (ch == 'k')
            ro->key = optarg;
        else if (ch == 'n')
            ro->note = optarg;
        else if (ch != 'b')
            return sw_cli_bad_option(ch, argv, USAGE);
    }
    if (optind < argc)
        return sw_cli_usage_error(USAGE, "unexpected argument '%s'", argv[optind]);
    return 0;
}

/* The running rescan's id, or a new one's. */
static int start(struct sw_app *app, const struct rescan_opts *ro, char id[32])
{
    struct sw_pool *pool = sw_engine_readers(app->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    struct sw_error err;
    bool found = false;
    int rc = sw_penalty_running_rescan(c, id, &found, &err);
    sw_pool_release(pool, c);
    if (rc == SW_OK && found)
        return SW_OK;
    json_t *p = json_pack("{s:I}", "batch", (json_int_t)ro->batch);
    if (ro->note)
        json_object_set_new(p, "note", json_string(ro->note));
    char idem[300];
    snprintf(idem, sizeof idem, "cli|rescan|%s", ro->key ? ro->key : "");
    struct sw_cmd cmd = {.type = "rescan.start",
                         .actor = "cli",
                         .actor_label = "shopwarden rescan",
                         .idem_key = ro->key ? idem : NULL,
                         .payload = p};
    if (rc == SW_OK && (rc = sw_engine_execute(app->engine, &cmd)) == SW_OK)
        snprintf(id, 32, "%s", json_string_value(json_object_get(cmd.result, "id")));
    else if (rc)
        sw_cli_error("%s: %s", sw_err_name(rc), rc == err.code ? err.msg : cmd.err.msg);
    sw_cmd_release(&cmd);
    json_decref(p);
    return rc;
}

int cmd_rescan(int argc, char **argv)
{
    if (sw_cli_want_help(argc, argv, USAGE))
        return 0;
    struct sw_app_options o = {
        .db = SW_DEFAULT_DB, .exclusive = true, .label = "shopwarden rescan"};
    struct rescan_opts ro = {.batch = 200};
    int rc = parse(argc, argv, &o, &ro);
    if (rc)
        return rc;
    struct sw_app app;
    if (sw_app_open(&app, &o) != 0)
        return 1;
    char id[32] = "";
    struct sw_error err;
    int fired = 0;
    /* The steps are timers due now: a tick runs them, each step a commit of its own. */
    if ((rc = start(&app, &ro, id)) == SW_OK &&
        (rc = sw_engine_tick(app.engine, sw_clock_now(&app.clock), &fired, &err)))
        sw_cli_error("%s: %s", sw_err_name(rc), err.msg);
    json_t *job = NULL;
    if (rc == SW_OK) {
        struct sw_pool *pool = sw_engine_readers(app.engine);
        struct sw_conn *c = sw_pool_acquire(pool);
        if ((rc = sw_penalty_get_rescan(c, id, &job, &err)))
            sw_cli_error("%s: %s", sw_err_name(rc), err.msg);
        sw_pool_release(pool, c);
    }
    if (job) {
        char *text = sw_json_dump(job);
        printf("%s\n", text ? text : "{}");
        free(text);
        json_decref(job);
    }
    sw_app_close(&app);
    return rc ? 1 : 0;
}
