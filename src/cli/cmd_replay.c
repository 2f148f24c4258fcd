/* shopwarden replay: the determinism check, or a draft policy's what-if report (docs/replay.md). */
#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/replay_print.h"
#include "replay/replay.h"

static const char USAGE[] =
    "usage: shopwarden replay --db PATH [--policy DRAFT.json] [--from INSTANT] [--to INSTANT]\n"
    "                         [--out FILE.ndjson] [--only-changed] [--scratch PATH]\n\n"
    "Re-applies the command log of PATH (opened read-only: a running server keeps running), in\n"
    "order and at each command's own instant, into a scratch database, through the same engine\n"
    "code. The scratch run fires timers itself; recorded timer commands are not copied.\n\n"
    "Without --policy: every command runs under the policy version it was recorded under, and\n"
    "the events must be the recorded ones (type, subject, payload, order); any difference is\n"
    "printed and the exit status is 1.\n"
    "With --policy: the draft is in force from --from on (the log's start by default), and the\n"
    "report says which decisions would change: totals per kind, hits per rule (--only-changed:\n"
    "the rules whose hits change), the first differences in words; --out writes one JSON line\n"
    "per subject that differs.\n"
    "--to stops at that instant; --scratch names the scratch database, a file that must not\n"
    "exist yet (default: a temporary file); it is removed at the end.\n\n"
    "Exit status, as diff's: 0 the same (or a draft's report written), 1 the determinism check\n"
    "found a difference, 2 trouble (bad usage, an unreadable database or draft, a failed run).\n";

struct progress {
    bool tty, shown;
    time_t start, last;
};

static void on_progress(void *arg, int64_t done, int64_t total)
{
    struct progress *p = arg;
    time_t now = time(NULL);
    if (p->shown && now == p->last && done < total)
        return; /* at most a line (or a redrawn bar) a second, and the last one */
    p->shown = true;
    p->last = now;
    double frac = total ? (double)done / (double)total : 1.0;
    double spent = difftime(now, p->start);
    char eta[32] = "-"; /* nothing applied yet: no rate to go by */
    if (done > 0)
        snprintf(eta, sizeof eta, "%.0f s", spent / frac - spent);
    if (p->tty) {
        char bar[41];
        int fill = (int)(frac * 40);
        for (int i = 0; i < 40; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[40] = '\0';
        fprintf(stderr, "\r[%s] %5.1f%% %lld/%lld commands, ETA %s ", bar, frac * 100,
                (long long)done, (long long)total, eta);
        if (done >= total)
            fputc('\n', stderr);
    } else {
        fprintf(stderr, "replay: %lld/%lld commands (%.1f%%), ETA %s\n", (long long)done,
                (long long)total, frac * 100, eta);
    }
    fflush(stderr);
}

static int parse_instant(const char *flag, const char *s, sw_instant *out)
{
    struct sw_error err;
    if (sw_instant_parse(s, strlen(s), out, &err) == SW_OK)
        return 0;
    return sw_cli_usage_error(USAGE, "%s: %s", flag, err.msg);
}

static int run(struct sw_replay_opts *o, const char *out_path, bool only_changed)
{
    struct progress prog = {.tty = isatty(2), .start = time(NULL)};
    o->progress = on_progress;
    o->progress_arg = &prog;
    struct sw_replay_report r;
    struct sw_error err;
    int rc = sw_replay_run(o, &r, &err);
    if (rc) {
        sw_cli_error("%s: %s", sw_err_name(rc), err.msg);
        sw_replay_report_release(&r);
        return 2;
    }
    int status = 0;
    if (o->draft) {
        sw_replay_print_draft(stdout, &r, only_changed);
        if (out_path && sw_replay_write_ndjson(out_path, &r) != 0) {
            sw_cli_error("cannot write '%s'", out_path);
            status = 2;
        }
    } else {
        sw_replay_print_check(stdout, &r);
        status = r.differences || r.refused ? 1 : 0;
    }
    sw_replay_report_release(&r);
    return status;
}

int cmd_replay(int argc, char **argv)
{
    if (sw_cli_want_help(argc, argv, USAGE))
        return 0;
    struct sw_replay_opts o = {.db = NULL};
    const char *policy = NULL, *out = NULL, *scratch = NULL;
    bool only_changed = false;
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'},      {"policy", required_argument, 0, 'p'},
        {"from", required_argument, 0, 'f'},    {"to", required_argument, 0, 't'},
        {"out", required_argument, 0, 'o'},     {"only-changed", no_argument, 0, 'c'},
        {"scratch", required_argument, 0, 's'}, {0, 0, 0, 0}};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        int bad = 0;
        switch (ch) {
        case 'd':
            o.db = optarg;
            break;
        case 'p':
            policy = optarg;
            break;
        case 'f':
            bad = parse_instant("--from", optarg, &o.from);
            break;
        case 't':
            bad = parse_instant("--to", optarg, &o.to);
            break;
        case 'o':
            out = optarg;
            break;
        case 'c':
            only_changed = true;
            break;
        case 's':
            scratch = optarg;
            break;
        default:
            return sw_cli_bad_option(ch, argv, USAGE);
        }
        if (bad)
            return bad;
    }
    if (optind < argc)
        return sw_cli_usage_error(USAGE, "unexpected argument '%s'", argv[optind]);
    if (!o.db)
        return sw_cli_usage_error(USAGE, "--db is required");
    if (access(o.db, R_OK) != 0) {
        sw_cli_error("cannot read '%s'", o.db);
        return 2;
    }
    if (o.from && o.to && o.to <= o.from)
        return sw_cli_usage_error(USAGE, "--to must be after --from");
    if (out && !policy)
        return sw_cli_usage_error(USAGE, "--out needs --policy (a draft to compare)");
    struct stat st;
    if (scratch && stat(scratch, &st) == 0)
        return sw_cli_usage_error(USAGE,
                                  "--scratch '%s' exists: name a file that does not (the "
                                  "replay writes it and removes it at the end; it never "
                                  "overwrites a database)",
                                  scratch);
    struct sw_policy *draft = NULL;
    if (policy) {
        struct sw_error err;
        if (sw_policy_load_file(policy, &draft, NULL, &err)) {
            sw_cli_error("policy: %s (run 'shopwarden policy check' for every problem)", err.msg);
            return 2;
        }
    }
    char tmp[] = "/tmp/shopwarden-replay-XXXXXX";
    char path[64];
    if (!scratch) {
        if (!mkdtemp(tmp)) {
            sw_cli_error("cannot create a scratch folder");
            sw_policy_free(draft);
            return 2;
        }
        snprintf(path, sizeof path, "%s/scratch.db", tmp);
        scratch = path;
    }
    o.scratch = scratch;
    o.draft = draft;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    o.now = (sw_instant)ts.tv_sec * SW_US_PER_S + ts.tv_nsec / 1000;
    int status = run(&o, out, only_changed);
    if (scratch == path)
        rmdir(tmp);
    sw_policy_free(draft);
    return status;
}
