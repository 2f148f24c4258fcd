#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "cli/cli.h"
#include "domain/admin/admin.h"
#include "http/http.h"
#include "store/journal.h"

static const char USAGE[] =
    "usage: shopwarden keys list [--json] [--db PATH]\n"
    "       shopwarden keys create --role ROLE [--id ID] [--label TEXT] [--expires-at INSTANT]\n"
    "                              [--json] [--db PATH]\n"
    "       shopwarden keys revoke --id ID [--json] [--db PATH]\n\n"
    "Lists API keys (never their secrets), creates one and prints it once (only its hash is\n"
    "stored), or revokes one.\n"
    "ROLE: admin | operator | ingest | merchant:<id> (an existing store) | promoter:<id> |\n"
    "      app:<id> | streamer:<id> | analyst:<name>\n"
    "--label names who holds the key (the audit log shows it next to the key id);\n"
    "--expires-at (RFC 3339, in the future) makes the key stop working then.\n"
    "--json prints JSON (one object; for list, {\"keys\": [...]}) instead of text.\n"
    "create and revoke run offline: stop the server on the same database first (or use\n"
    "POST /v1/admin/keys). list is read-only and safe while the server runs.\n";

struct keys_opts {
    const char *sub, *role, *id, *label, *expires, *db;
    bool json;
};

static int parse(int argc, char **argv, struct keys_opts *k)
{
    static const struct option opts[] = {{"role", required_argument, 0, 'r'},
                                         {"id", required_argument, 0, 'i'},
                                         {"label", required_argument, 0, 'l'},
                                         {"expires-at", required_argument, 0, 'e'},
                                         {"json", no_argument, 0, 'j'},
                                         {"db", required_argument, 0, 'd'},
                                         {0, 0, 0, 0}};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (ch) {
        case 'r':
            k->role = optarg;
            break;
        case 'i':
            k->id = optarg;
            break;
        case 'l':
            k->label = optarg;
            break;
        case 'e':
            k->expires = optarg;
            break;
        case 'j':
            k->json = true;
            break;
        case 'd':
            k->db = optarg;
            break;
        default:
            return sw_cli_bad_option(ch, argv, USAGE);
        }
    }
    if (optind < argc)
        return sw_cli_usage_error(USAGE, "unexpected argument '%s'", argv[optind]);
    bool create = strcmp(k->sub, "create") == 0, list = strcmp(k->sub, "list") == 0;
    if ((k->role || k->label || k->expires) && !create)
        return sw_cli_usage_error(USAGE, "--role, --label and --expires-at go with create");
    if (k->id && list)
        return sw_cli_usage_error(USAGE, "--id goes with create or revoke");
    if (create && !k->role)
        return sw_cli_usage_error(USAGE, "--role is required");
    if (create && !sw_role_valid(k->role))
        return sw_cli_usage_error(USAGE, "--role must be %s, not '%s'", SW_ROLES_TEXT, k->role);
    sw_instant at = 0;
    struct sw_error e;
    if (k->expires && sw_instant_parse(k->expires, strlen(k->expires), &at, &e) != SW_OK)
        return sw_cli_usage_error(USAGE, "--expires-at: %s", e.msg); /* malformed: 2 */
    if (strcmp(k->sub, "revoke") == 0 && !k->id)
        return sw_cli_usage_error(USAGE, "--id is required");
    return 0;
}

static void print_key_text(const json_t *k)
{
    const json_t *label = json_object_get(k, "label"), *exp = json_object_get(k, "expires_at"),
                 *rev = json_object_get(k, "revoked_at");
    printf(
        "%-24s %-20s %-20s created %s%s%s%s%s\n", json_string_value(json_object_get(k, "id")),
        json_string_value(json_object_get(k, "role")),
        json_is_string(label) ? json_string_value(label) : "-",
        json_string_value(json_object_get(k, "created_at")),
        json_is_string(exp) ? ", expires " : "", json_is_string(exp) ? json_string_value(exp) : "",
        json_is_string(rev) ? ", revoked " : "", json_is_string(rev) ? json_string_value(rev) : "");
}

/* Read-only: pages through the keys table. */
static int keys_list(const struct keys_opts *k)
{
    struct sw_conn c;
    struct sw_error err;
    if (sw_conn_open(&c, k->db, true, SW_SYNC_NORMAL, &err)) {
        sw_cli_error("cannot open '%s': %s", k->db, err.msg);
        return 1;
    }
    if (sw_store_schema_version(&c) < 6) {
        sw_cli_error("'%s' has no keys table of this version: start the server on it once (or "
                     "run `shopwarden keys create`) to upgrade it",
                     k->db);
        sw_conn_close(&c);
        return 1;
    }
    json_t *all = json_array();
    char after[72] = "";
    int rc = 0;
    for (;;) {
        json_t *page;
        if (sw_journal_keys_list(&c, after, 1000, &page, &err)) {
            sw_cli_error("%s", err.msg);
            rc = 1;
            break;
        }
        size_t n = json_array_size(page);
        if (n)
            snprintf(after, sizeof after, "%s",
                     json_string_value(json_object_get(json_array_get(page, n - 1), "id")));
        json_array_extend(all, page);
        json_decref(page);
        if (n < 1000)
            break;
    }
    sw_conn_close(&c);
    if (rc == 0 && k->json) {
        json_t *doc = json_pack("{s:O}", "keys", all);
        char *text = sw_json_dump(doc);
        puts(text ? text : "{}");
        free(text);
        json_decref(doc);
    } else if (rc == 0) {
        size_t i;
        json_t *row;
        json_array_foreach(all, i, row) print_key_text(row);
    }
    json_decref(all);
    return rc;
}

static json_t *create_payload(const struct keys_opts *k, char key[64], struct sw_error *err)
{
    char hash[65], gen_id[32];
    sw_key_generate(key, hash);
    const char *id = k->id;
    if (!id) {
        snprintf(gen_id, sizeof gen_id, "key_%.16s", hash);
        id = gen_id;
    }
    json_t *p = json_pack("{s:s,s:s,s:s}", "id", id, "role", k->role, "hash", hash);
    if (k->label) {
        json_t *l = json_string(k->label);
        if (!l) {
            sw_fail(err, SW_E_INVALID_UTF8, "label", "--label must be UTF-8");
            json_decref(p);
            return NULL;
        }
        json_object_set_new(p, "label", l);
    }
    if (k->expires)
        json_object_set_new(p, "expires_at", json_string(k->expires));
    return p;
}

static void print_result(const struct keys_opts *k, const struct sw_cmd *cmd, const char *key)
{
    json_t *r = json_deep_copy(cmd->result);
    if (key)
        json_object_set_new(r, "key", json_string(key));
    if (k->json) {
        char *text = sw_json_dump(r);
        puts(text ? text : "{}");
        free(text);
    } else if (key) {
        const json_t *label = json_object_get(r, "label"), *exp = json_object_get(r, "expires_at");
        printf("id:      %s\nrole:    %s\n", json_string_value(json_object_get(r, "id")), k->role);
        if (json_is_string(label))
            printf("label:   %s\n", json_string_value(label));
        if (json_is_string(exp))
            printf("expires: %s\n", json_string_value(exp));
        printf("key:     %s\n(the key is shown only now; store it safely)\n", key);
    } else {
        printf("revoked %s\n", k->id);
    }
    json_decref(r);
}

/* create / revoke: a command on the engine, as the CLI (role "cli", no key). */
static int keys_write(const struct keys_opts *k)
{
    bool create = strcmp(k->sub, "create") == 0;
    char key[64] = "";
    struct sw_error err;
    json_t *payload = create ? create_payload(k, key, &err) : json_pack("{s:s}", "id", k->id);
    if (!payload) {
        sw_cli_error("%s", err.msg);
        return 2;
    }
    struct sw_app_options o = {.db = k->db, .exclusive = true, .label = "shopwarden keys"};
    struct sw_app app;
    if (sw_app_open(&app, &o) != 0) {
        json_decref(payload);
        return 1;
    }
    struct sw_cmd cmd = {.type = create ? "key.create" : "key.revoke",
                         .actor = "cli",
                         .actor_label =
                             create ? "shopwarden keys create" : "shopwarden keys revoke",
                         .payload = payload};
    int rc = sw_engine_execute(app.engine, &cmd);
    if (rc)
        sw_cli_error("%s: %s%s%s", sw_err_name(rc), cmd.err.field[0] ? cmd.err.field : "",
                     cmd.err.field[0] ? ": " : "", cmd.err.msg);
    else
        print_result(k, &cmd, create ? key : NULL);
    sw_cmd_release(&cmd);
    json_decref(payload);
    sodium_memzero(key, sizeof key);
    sw_app_close(&app);
    return rc ? 1 : 0;
}

int cmd_keys(int argc, char **argv)
{
    if (sw_cli_want_help(argc, argv, USAGE))
        return 0;
    if (argc < 2)
        return sw_cli_usage_error(USAGE, "a subcommand is required (list, create, revoke)");
    struct keys_opts k = {.sub = argv[1], .db = SW_DEFAULT_DB};
    if (strcmp(k.sub, "create") != 0 && strcmp(k.sub, "revoke") != 0 && strcmp(k.sub, "list") != 0)
        return sw_cli_usage_error(USAGE, "%s '%s'",
                                  k.sub[0] == '-' ? "unknown option" : "unknown subcommand", k.sub);
    int rc = parse(argc - 1, argv + 1, &k);
    if (rc)
        return rc;
    if (sodium_init() < 0)
        return 1;
    return strcmp(k.sub, "list") == 0 ? keys_list(&k) : keys_write(&k);
}
