/* The command-line adapter. One file per command (cmd_<name>.c), listed in main.c. */
#ifndef SW_CLI_CLI_H
#define SW_CLI_CLI_H

#include <stdbool.h>

#include "base/pii.h"
#include "engine/engine.h"
#include "policy/policy.h"

#define SW_DEFAULT_DB "./var/shopwarden.db"

struct sw_app {
    struct sw_policy *policy;
    struct sw_policy *prior; /* the log's policy a start switched from (file_policy) */
    const char *label;       /* sw_app_options.label */
    struct sw_clock clock;
    struct sw_engine *engine;
    int lock_fd;
};

struct sw_app_options {
    const char *db;
    const char *policy; /* NULL = built-in default */
    bool manual_clock;
    sw_instant manual_start; /* where a manual clock starts when the database has no position */
    bool scheduler;
    bool exclusive;    /* refuse when another process holds the database (a running server) */
    bool sync_full;    /* fsync every commit (power-loss safe) instead of at checkpoints */
    const char *label; /* the command line ("shopwarden serve"): the label of what it logs */
};

/* Loads the policy, opens the database (creating its folder), registers every module and
 * starts the engine. Prints the reason and returns non-zero on failure. */
int sw_app_open(struct sw_app *app, const struct sw_app_options *o);
/* serve --demo: loads the demo data set through app's engine (idempotent) and prints a key
 * per role; base_url is the server's, for the hint it prints. 0, or 1 after printing why. */
int sw__cli_load_demo(struct sw_app *app, const char *base_url,
                      const unsigned char pk[SW_PII_PUBLIC_KEY_BYTES]);
void sw_app_close(struct sw_app *app);

int cmd_serve(int argc, char **argv);
int cmd_keys(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_tick(int argc, char **argv);
int cmd_rescan(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_buyer(int argc, char **argv);
int cmd_cluster(int argc, char **argv);

/* The command being run ("keys"), set by main: every error starts "shopwarden <command>: ". */
extern const char *sw_cli_command;
/* Prints "shopwarden <command>: <message>" on stderr. */
void sw_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As sw_cli_error, then the usage; returns 2 (the exit status of a usage error). */
int sw_cli_usage_error(const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* For getopt_long with optstring ":" (main sets opterr = 0): names the option that stopped
 * it (ch '?': unknown, ':': missing its value) and prints the usage; returns 2. */
int sw_cli_bad_option(int ch, char **argv, const char *usage);

/* Parses a whole decimal integer in [min, max]; prints why not and returns false. */
bool sw_cli_int(const char *flag, const char *s, long long min, long long max, long long *out);

/* Prints a command's help when argv holds --help/-h; returns true if it did. */
bool sw_cli_want_help(int argc, char **argv, const char *usage);

#endif
