#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/admin/admin.h"
#include "http/http.h"

static const char USAGE[] =
    "usage: shopwarden keys create --role ROLE [--id ID] [--db PATH]\n"
    "       shopwarden keys revoke --id ID [--db PATH]\n\n"
    "Creates an API key and prints it once (only its hash is stored), or revokes one.\n"
    "ROLE: admin | operator | ingest | merchant:<id> | promoter:<id> | app:<id>\n"
    "Runs offline: stop the server on the same database first (or use POST /v1/admin/keys).\n";

int cmd_keys(int argc, char **argv)
{
    if (sw_cli_want_help(argc, argv, USAGE))
        return 0;
    if (argc < 2 || (strcmp(argv[1], "create") != 0 && strcmp(argv[1], "revoke") != 0)) {
        fputs(USAGE, stderr);
        return 2;
    }
    bool create = strcmp(argv[1], "create") == 0;
    struct sw_app_options o = {.db = SW_DEFAULT_DB, .exclusive = true};
    const char *role = NULL, *id = NULL;
    static const struct option opts[] = {{"role", required_argument, 0, 'r'},
                                         {"id", required_argument, 0, 'i'},
                                         {"db", required_argument, 0, 'd'},
                                         {0, 0, 0, 0}};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'r':
            role = optarg;
            break;
        case 'i':
            id = optarg;
            break;
        case 'd':
            o.db = optarg;
            break;
        default:
            fputs(USAGE, stderr);
            return 2;
        }
    }
    if ((create && (!role || !sw_role_valid(role))) || (!create && !id)) {
        fprintf(stderr, "shopwarden keys: %s\n",
                create ? "--role must be admin, operator, ingest, merchant:<id>, promoter:<id> or "
                         "app:<id>"
                       : "--id is required");
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    struct sw_app app;
    if (sw_app_open(&app, &o) != 0)
        return 1;
    char key[64], hash[65], gen_id[32];
    json_t *payload;
    if (create) {
        sw_key_generate(key, hash);
        if (!id) {
            snprintf(gen_id, sizeof gen_id, "key_%.16s", hash);
            id = gen_id;
        }
        payload = json_pack("{s:s,s:s,s:s}", "id", id, "role", role, "hash", hash);
    } else {
        payload = json_pack("{s:s}", "id", id);
    }
    struct sw_cmd cmd = {
        .type = create ? "key.create" : "key.revoke", .actor = "cli", .payload = payload};
    int rc = sw_engine_execute(app.engine, &cmd);
    if (rc)
        fprintf(stderr, "shopwarden keys: %s: %s\n", sw_err_name(rc), cmd.err.msg);
    else if (create)
        printf("id:   %s\nrole: %s\nkey:  %s\n(the key is shown only now; store it safely)\n", id,
               role, key);
    else
        printf("revoked %s\n", id);
    sw_cmd_release(&cmd);
    json_decref(payload);
    sodium_memzero(key, sizeof key);
    sw_app_close(&app);
    return rc ? 1 : 0;
}
