/* shopwarden buyer-data: the offline side of buyer-data sealing (base/pii.h). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/pii.h"
#include "cli/cli.h"

static const char USAGE[] =
    "usage: shopwarden buyer-data public-key --key FILE\n"
    "       shopwarden buyer-data open --key FILE < sealed.txt\n\n"
    "public-key  prints the public key of a buyer-data key file (made if missing), for\n"
    "            `serve --buyer-public-key`\n"
    "open        reads sealed buyer data (the orders table's buyer_sealed, one per line) and\n"
    "            prints each in clear, one JSON line each; for a legal request, offline\n";

int cmd_buyer(int argc, char **argv)
{
    if (sw_cli_want_help(argc, argv, USAGE))
        return 0;
    if (argc < 2)
        return sw_cli_usage_error(USAGE, "a subcommand is required (public-key, open)");
    if (strcmp(argv[1], "public-key") != 0 && strcmp(argv[1], "open") != 0)
        return sw_cli_usage_error(USAGE, "unknown subcommand '%s'", argv[1]);
    for (int i = 2; i < argc; i += 2)
        if (strcmp(argv[i], "--key") != 0)
            return sw_cli_usage_error(USAGE, "%s '%s'",
                                      argv[i][0] == '-' ? "unknown option" : "unexpected argument",
                                      argv[i]);
    if (argc != 4)
        return sw_cli_usage_error(USAGE, "--key FILE is required");
    if (sodium_init() < 0)
        return 1;
    unsigned char pk[SW_PII_PUBLIC_KEY_BYTES], sk[SW_PII_SECRET_KEY_BYTES];
    bool created;
    struct sw_error err;
    if (sw_pii_key_file(argv[3], pk, sk, &created, &err) != SW_OK) {
        sw_cli_error("%s", err.msg);
        return 1;
    }
    int status = 0;
    if (strcmp(argv[1], "public-key") == 0) {
        char hex[(size_t)2 * SW_PII_PUBLIC_KEY_BYTES + 1];
        printf("%s\n", sodium_bin2hex(hex, sizeof hex, pk, sizeof pk));
    } else {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        long no = 0;
        while ((n = getline(&line, &cap, stdin)) != -1) {
            no++;
            while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                line[--n] = '\0';
            if (n == 0)
                continue;
            char *clear = NULL;
            if (sw_pii_open(pk, sk, line, &clear, &err) != SW_OK) {
                sw_cli_error("line %ld: %s", no, err.msg);
                status = 1;
                continue;
            }
            printf("%s\n", clear);
            sodium_memzero(clear, strlen(clear));
            free(clear);
        }
        free(line);
    }
    sodium_memzero(sk, sizeof sk);
    return status;
}
