#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "cli/cli.h"
#include "cluster/cluster.h"

static const char USAGE[] =
    "usage: shopwarden cluster status --cluster URLS [--partitions N] [--json]\n\n"
    "Prints what the NATS JetStream cluster knows of a scale-out deployment (docs/scale-out.md):\n"
    "the live nodes, and per partition its owner, its consumer's lag (commands of its stream not\n"
    "yet applied) and the age of its latest snapshot. Reads the broker only.\n"
    "  --cluster URLS   nats://host:port,... as given to `shopwarden serve --cluster`\n"
    "  --partitions N   the deployment's partitions (default 64)\n"
    "  --json           one JSON object instead of a table\n";

static void print_table(const json_t *st)
{
    size_t i;
    json_t *v;
    printf("nodes:");
    json_array_foreach(json_object_get(st, "nodes"), i, v) printf(" %s", json_string_value(v));
    json_t *stream = json_object_get(st, "stream");
    printf("\ncommand stream: %lld messages, last seq %lld\n",
           (long long)json_integer_value(json_object_get(stream, "messages")),
           (long long)json_integer_value(json_object_get(stream, "last_seq")));
    printf("%-9s %-12s %8s %12s %12s\n", "partition", "owner", "lag", "snapshot_seq",
           "snapshot_age");
    json_array_foreach(json_object_get(st, "partitions"), i, v)
    {
        const char *owner = json_string_value(json_object_get(v, "owner"));
        json_t *lag = json_object_get(v, "lag"), *age = json_object_get(v, "snapshot_age_s");
        char lag_s[24] = "-", age_s[24] = "-";
        if (json_is_integer(lag))
            snprintf(lag_s, sizeof lag_s, "%lld", (long long)json_integer_value(lag));
        if (json_is_integer(age))
            snprintf(age_s, sizeof age_s, "%llds", (long long)json_integer_value(age));
        printf("%-9d %-12s %8s %12lld %12s\n",
               (int)json_integer_value(json_object_get(v, "partition")), owner ? owner : "-", lag_s,
               (long long)json_integer_value(json_object_get(v, "snapshot_stream_seq")), age_s);
    }
}

int cmd_cluster(int argc, char **argv)
{
    if (sw_cli_want_help(argc, argv, USAGE))
        return 0;
    if (argc < 2 || argv[1][0] == '-')
        return sw_cli_usage_error(USAGE, "a subcommand is required");
    if (strcmp(argv[1], "status") != 0)
        return sw_cli_usage_error(USAGE, "unknown subcommand '%s'", argv[1]);
    static const struct option opts[] = {{"cluster", required_argument, 0, 'c'},
                                         {"partitions", required_argument, 0, 'p'},
                                         {"json", no_argument, 0, 'j'},
                                         {0, 0, 0, 0}};
    const char *urls = NULL;
    long long partitions = SW_CLUSTER_DEFAULT_PARTITIONS;
    bool as_json = false;
    int ch;
    optind = 2;
    while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (ch == 'c')
            urls = optarg;
        else if (ch == 'p') {
            if (!sw_cli_int("--partitions", optarg, 1, SW_CLUSTER_MAX_PARTITIONS, &partitions))
                return 2;
        } else if (ch == 'j')
            as_json = true;
        else
            return sw_cli_bad_option(ch, argv, USAGE);
    }
    if (optind < argc)
        return sw_cli_usage_error(USAGE, "unexpected argument '%s'", argv[optind]);
    if (!urls)
        return sw_cli_usage_error(USAGE, "--cluster URLS is required");
    json_t *st = NULL;
    struct sw_error err;
    if (sw_cluster_status(urls, (int)partitions, &st, &err) != SW_OK) {
        sw_cli_error("%s", err.msg);
        return 1;
    }
    if (as_json) {
        char *text = json_dumps(st, JSON_COMPACT);
        puts(text ? text : "{}");
        free(text);
    } else {
        print_table(st);
    }
    json_decref(st);
    return 0;
}
