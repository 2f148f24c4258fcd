#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "cli/cli.h"
#include "domain/domain.h"
#include "store/policy_sql.h"

const char *sw_cli_command = "";

/* In `serve`, once its logger writes JSON, an error is a JSON line like every other. */
static void vreport(const char *fmt, va_list ap)
{
    if (sw_log_is_json()) {
        sw_logv(SW_LOG_ERROR, "cli.error", fmt, ap);
        return;
    }
    fprintf(stderr, "shopwarden%s%s: ", sw_cli_command[0] ? " " : "", sw_cli_command);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void sw_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
}

int sw_cli_usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
    fputs(usage, stderr);
    return 2;
}

int sw_cli_bad_option(int ch, char **argv, const char *usage)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    if (ch == ':')
        return sw_cli_usage_error(usage, "option '%s' needs a value", arg);
    if (optopt && strncmp(arg, "--", 2) != 0)
        return sw_cli_usage_error(usage, "unknown option '-%c'", optopt);
    return sw_cli_usage_error(usage, "unknown option '%s'", arg);
}

static int make_parent_dir(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(dir, 0755) && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    return mkdir(dir, 0755) && errno != EEXIST ? -1 : 0;
}

/* The server keeps in-memory id maps of what it committed; a second writer process would
 * make them stale. A lock file next to the database keeps writers one at a time. */
static int take_lock(struct sw_app *app, const char *db)
{
    char path[4200];
    snprintf(path, sizeof path, "%s.lock", db);
    app->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (app->lock_fd < 0) {
        sw_cli_error("cannot open lock file '%s': %s", path, strerror(errno));
        return -1;
    }
    if (flock(app->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        sw_cli_error("another shopwarden process (a running server?) holds '%s'; stop it or use "
                     "the HTTP API",
                     db);
        close(app->lock_fd);
        app->lock_fd = -1;
        return -1;
    }
    return 0;
}

static sw_instant stored_manual_clock(struct sw_engine *e, sw_instant start)
{
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(e));
    char v[32];
    bool found = false;
    struct sw_error err;
    int rc = sw_meta_get(c, "manual_clock_us", v, sizeof v, &found, &err);
    sw_pool_release(sw_engine_readers(e), c);
    if (rc == SW_OK && found)
        return strtoll(v, NULL, 10);
    if (start)
        return start;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * SW_US_PER_S;
}

/* The policy of a version the log ran under, as stored (NULL when it is not). */
static struct sw_policy *stored_policy(struct sw_app *app, const char *version)
{
    struct sw_pool *pool = sw_engine_readers(app->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    char *doc = NULL;
    struct sw_error err;
    struct sw_policy *p = NULL;
    if (sw_sql_policy_get(c, version, &doc, &err) == SW_OK && doc &&
        sw_policy_load(doc, strlen(doc), &p, NULL, &err) != SW_OK)
        p = NULL;
    free(doc);
    sw_pool_release(pool, c);
    return p;
}

/* `--policy FILE` on a database where nothing was ever activated, whose log last ran under
 * another version (the built-in default, another file): the file is activated from that version,
 * as a command of the cli, so that the switch is in the log (policy.activated, every store's
 * requirement moved with it) and a replay of it reaches the same state. */
static int start_switch(struct sw_app *app)
{
    const struct sw_policy *file = app->policy;
    struct sw_pool *pool = sw_engine_readers(app->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    char last[sizeof file->version];
    struct sw_error err;
    sw_error_clear(&err);
    int rc = sw_sql_policy_last_used(c, last, sizeof last, &err);
    sw_pool_release(pool, c);
    if (rc) {
        sw_cli_error("cannot read the log: %s", err.msg);
        return 1;
    }
    if (!last[0] || strcmp(last, file->version) == 0)
        return 0; /* an empty log, or one that ran under the file: nothing switches */
    if (!(app->prior = stored_policy(app, last))) {
        sw_cli_error("the log's policy version '%s' is not stored in the database", last);
        return 1;
    }
    struct sw_cmd cmd = {.type = "policy.activate",
                         .actor = "cli",
                         .actor_label = app->label,
                         .payload = file->doc,
                         .replay_policy = app->prior};
    rc = sw_engine_execute(app->engine, &cmd);
    if (rc)
        sw_cli_error("cannot activate the policy file: %s", cmd.err.msg);
    sw_cmd_release(&cmd);
    return rc ? 1 : 0;
}

/* `--policy FILE` on a database where a policy was activated (docs/operator-guide.md, "Policy
 * versions"): a file whose version the database has never seen is activated, as a command of
 * the cli; a version in force or used before changes nothing (the activated policy stays: an old
 * command line does not undo an activation), unless its document differs, which is refused. */
static int file_policy(struct sw_app *app)
{
    const struct sw_policy *active = sw_engine_policy(app->engine), *file = app->policy;
    if (active == file) /* nothing was ever activated: the file is in force from now on */
        return start_switch(app);
    struct sw_pool *pool = sw_engine_readers(app->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    char *stored = NULL;
    struct sw_error err;
    sw_error_clear(&err);
    int rc = sw_sql_policy_get(c, file->version, &stored, &err);
    sw_pool_release(pool, c);
    if (rc == SW_OK && stored) {
        json_t *doc = json_loads(stored, 0, NULL);
        bool same = doc && json_equal(doc, file->doc);
        json_decref(doc);
        free(stored);
        if (same) {
            if (strcmp(active->version, file->version) != 0)
                sw_log(SW_LOG_WARN, "policy.file_ignored",
                       "policy file version '%s' was in force before; '%s' stays active",
                       file->version, active->version);
            return 0;
        }
        sw_cli_error("policy file version '%s' was used before with another document; a "
                     "version names one document",
                     file->version);
        return 1;
    }
    struct sw_cmd cmd = {
        .type = "policy.activate", .actor = "cli", .actor_label = app->label, .payload = file->doc};
    rc = rc ? rc : sw_engine_execute(app->engine, &cmd);
    if (rc)
        sw_cli_error("cannot activate the policy file: %s", rc == cmd.code ? cmd.err.msg : err.msg);
    sw_cmd_release(&cmd);
    return rc ? 1 : 0;
}

int sw_app_open(struct sw_app *app, const struct sw_app_options *o)
{
    memset(app, 0, sizeof *app);
    app->lock_fd = -1;
    app->label = o->label;
    struct sw_error err;
    sw_error_clear(&err);
    int rc = o->policy ? sw_policy_load_file(o->policy, &app->policy, NULL, &err)
                       : sw_policy_load_default(&app->policy, &err);
    if (rc) {
        sw_cli_error("policy: %s (run 'shopwarden policy check' for every problem)", err.msg);
        return 1;
    }
    if (make_parent_dir(o->db) != 0) {
        sw_cli_error("cannot create the folder of '%s': %s", o->db, strerror(errno));
        sw_policy_free(app->policy);
        return 1;
    }
    if (o->exclusive && take_lock(app, o->db) != 0) {
        sw_policy_free(app->policy);
        return 1;
    }
    sw_clock_init_system(&app->clock);
    struct sw_engine_config cfg = {
        .db_path = o->db,
        .policy = app->policy,
        .clock = &app->clock,
        .sync = o->sync_full ? SW_SYNC_FULL : SW_SYNC_NORMAL,
        .scheduler = o->scheduler && !o->manual_clock,
    };
    if (sw_engine_open(&cfg, &app->engine, &err) != SW_OK ||
        sw_domain_register_all(app->engine) != SW_OK) {
        sw_cli_error("cannot open '%s': %s", o->db, err.msg);
        sw_app_close(app);
        return 1;
    }
    if (o->manual_clock)
        sw_clock_init_manual(&app->clock, stored_manual_clock(app->engine, o->manual_start));
    if (sw_engine_start(app->engine, &err) != SW_OK) {
        sw_cli_error("cannot start the engine: %s", err.msg);
        sw_app_close(app);
        return 1;
    }
    if (o->policy && file_policy(app) != 0) {
        sw_app_close(app);
        return 1;
    }
    return 0;
}

void sw_app_close(struct sw_app *app)
{
    sw_engine_close(app->engine);
    app->engine = NULL;
    sw_policy_free(app->policy);
    app->policy = NULL;
    sw_policy_free(app->prior);
    app->prior = NULL;
    if (app->lock_fd >= 0)
        close(app->lock_fd);
    app->lock_fd = -1;
}

bool sw_cli_int(const char *flag, const char *s, long long min, long long max, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) {
        sw_cli_error("%s must be an integer from %lld to %lld, not '%s'", flag, min, max, s);
        return false;
    }
    *out = v;
    return true;
}

bool sw_cli_want_help(int argc, char **argv, const char *usage)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return true;
        }
    return false;
}
