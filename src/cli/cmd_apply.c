#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "cli/cli.h"

static const char USAGE[] =
    "usage: shopwarden apply [--db PATH] [--policy FILE] [--clock manual] FILE.ndjson|-\n\n"
    "Applies commands offline through the same engine path as the server. One JSON object a\n"
    "line: {\"type\": \"product.create\", \"payload\": {...}, \"idempotency_key\": \"k1\",\n"
    "\"actor\": \"operator\"} (actor defaults to cli, i.e. staff). Prints one result line per\n"
    "input line; a bad line gets an error line with its number and the run goes on.\n"
    "Exit status: 0 all applied, 1 some refused, 2 usage.\n";

#define LINE_MAX_BYTES ((size_t)1 << 20)
#define WINDOW 1024

struct pending {
    struct sw_cmd cmd;
    bool bad; /* the line itself was refused: cmd.err says why, nothing was submitted */
    json_t *line;
    char idem[300];
    long lineno;
};

static void print_outcome(struct sw_engine *e, struct pending *p, int *failures)
{
    json_t *out;
    if (!p->bad)
        sw_engine_wait(e, &p->cmd);
    if (p->cmd.code == SW_OK && !p->cmd.result && p->cmd.result_text)
        p->cmd.result = json_loads(p->cmd.result_text, 0, NULL);
    if (p->cmd.code == SW_OK) {
        out = json_pack("{s:i,s:b,s:I,s:O,s:O,s:b}", "line", (int)p->lineno, "ok", 1, "command_seq",
                        (json_int_t)p->cmd.seq, "result", p->cmd.result, "events",
                        sw_cmd_events(&p->cmd), "replayed", p->cmd.replayed);
    } else {
        (*failures)++;
        out = json_pack("{s:i,s:b,s:{s:s,s:s,s:s}}", "line", (int)p->lineno, "ok", 0, "error",
                        "code", sw_err_name(p->cmd.code), "message", p->cmd.err.msg, "field",
                        p->cmd.err.field);
    }
    char *text = sw_json_dump(out);
    puts(text);
    free(text);
    json_decref(out);
    sw_cmd_release(&p->cmd);
    json_decref(p->line);
    p->line = NULL;
}

static void flush(struct sw_engine *e, struct pending *win, int *nwin, int *failures)
{
    for (int i = 0; i < *nwin; i++)
        print_outcome(e, &win[i], failures);
    *nwin = 0;
}

int cmd_apply(int argc, char **argv)
{
    if (sw_cli_want_help(argc, argv, USAGE))
        return 0;
    struct sw_app_options o = {.db = SW_DEFAULT_DB, .exclusive = true, .label = "shopwarden apply"};
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"policy", required_argument, 0, 'p'},
                                         {"clock", required_argument, 0, 'c'},
                                         {0, 0, 0, 0}};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            o.db = optarg;
            break;
        case 'p':
            o.policy = optarg;
            break;
        case 'c':
            if (strcmp(optarg, "manual") != 0 && strcmp(optarg, "system") != 0)
                return sw_cli_usage_error(USAGE, "--clock must be system or manual, not '%s'",
                                          optarg);
            o.manual_clock = strcmp(optarg, "manual") == 0;
            break;
        default:
            return sw_cli_bad_option(ch, argv, USAGE);
        }
    }
    if (optind >= argc)
        return sw_cli_usage_error(USAGE, "a FILE of commands (or - for stdin) is required");
    if (optind != argc - 1)
        return sw_cli_usage_error(USAGE, "unexpected argument '%s'", argv[optind + 1]);
    FILE *in = strcmp(argv[optind], "-") == 0 ? stdin : fopen(argv[optind], "r");
    if (!in) {
        sw_cli_error("cannot open '%s'", argv[optind]);
        return 1;
    }
    struct sw_app app;
    if (sw_app_open(&app, &o) != 0) {
        if (in != stdin)
            fclose(in);
        return 1;
    }
    /* Commands go in a window of WINDOW at a time so the engine can batch them; results are
     * printed in input order. */
    struct pending *win = calloc(WINDOW, sizeof *win);
    int nwin = 0, failures = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    while ((n = getline(&line, &cap, in)) != -1) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        struct sw_error err;
        sw_error_clear(&err);
        json_t *obj = NULL;
        const char *type = NULL, *key = NULL, *actor = "cli";
        json_t *payload = NULL;
        struct sw_jfield f[] = {
            {"type", SW_J_STR, SW_J_REQUIRED, &type, 64, NULL},
            {"payload", SW_J_OBJ, SW_J_REQUIRED, &payload, 0, NULL},
            {"idempotency_key", SW_J_STR, 0, &key, 128, NULL},
            {"actor", SW_J_STR, 0, &actor, 80, NULL},
        };
        if (nwin == WINDOW)
            flush(app.engine, win, &nwin, &failures);
        struct pending *p = &win[nwin++];
        memset(p, 0, sizeof *p);
        p->lineno = lineno;
        int rc;
        if ((size_t)n > LINE_MAX_BYTES)
            rc = sw_fail(&err, SW_E_PAYLOAD_TOO_LARGE, NULL, "line longer than %zu bytes",
                         LINE_MAX_BYTES);
        else if ((rc = sw_json_parse_object(line, (size_t)n, &obj, &err)) == SW_OK)
            rc = sw_json_read(obj, "", f, sizeof f / sizeof f[0], true, &err);
        if (rc != SW_OK) {
            json_decref(obj);
            p->bad = true;
            p->cmd.code = err.code;
            p->cmd.err = err;
            continue;
        }
        p->line = obj;
        if (key)
            snprintf(p->idem, sizeof p->idem, "%s|%s", actor, key);
        /* An offline command has no API key: the audit log names the CLI. */
        p->cmd = (struct sw_cmd){.type = type,
                                 .actor = actor,
                                 .actor_label = "shopwarden apply",
                                 .idem_key = key ? p->idem : NULL,
                                 .payload = payload};
        json_t *m = json_object_get(payload, "merchant");
        p->cmd.merchant = json_is_string(m) ? json_string_value(m) : NULL;
        sw_engine_submit(app.engine, &p->cmd);
    }
    flush(app.engine, win, &nwin, &failures);
    free(line);
    free(win);
    if (in != stdin)
        fclose(in);
    sw_app_close(&app);
    return failures ? 1 : 0;
}
