/* shopwarden: the merchant-governance engine's command line. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "cli/cli.h"

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
} commands[] = {
    {"serve", cmd_serve, "run the HTTP server"},
    {"keys", cmd_keys, "create or revoke API keys"},
    {"policy", cmd_policy, "check a policy file"},
    {"events", cmd_events, "print the audit log (events) as JSON lines"},
    {"apply", cmd_apply, "apply commands from an NDJSON file, offline"},
    {"tick", cmd_tick, "move the manual clock and fire due timers"},
    {"rescan", cmd_rescan, "re-inspect every listed product under the policy in force"},
    {"routes", cmd_routes, "list the HTTP routes"},
    {"replay", cmd_replay, "re-apply the log: determinism check, or a draft policy's what-if"},
    {"scan", cmd_scan, "scan listings for content violations (dry run)"},
    {"buyer-data", cmd_buyer, "buyer-data keys: print the public key, open sealed data"},
    {"cluster", cmd_cluster, "scale-out: partitions, owners, lag and snapshots (NATS)"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: shopwarden <command> [options]   (shopwarden <command> --help)\n\n"
               "commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\n  --version  print the version\n");
}

int main(int argc, char **argv)
{
    sw_mem_tune();
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("shopwarden %s\n", SW_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        if (argc > 2) {
            char *help_argv[] = {argv[2], "--help", NULL};
            for (size_t i = 0; i < NCOMMANDS; i++)
                if (strcmp(argv[2], commands[i].name) == 0) {
                    sw_cli_command = commands[i].name;
                    return commands[i].fn(2, help_argv);
                }
        }
        usage(stdout);
        return 0;
    }
    opterr = 0; /* the commands name a bad option themselves (sw_cli_bad_option) */
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(argv[1], commands[i].name) == 0) {
            sw_cli_command = commands[i].name;
            return commands[i].fn(argc - 1, argv + 1);
        }
    fprintf(stderr, "shopwarden: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
