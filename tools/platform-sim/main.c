/* platform-sim: a stand-in for the province's platform, for development and
 * tests of the terminal's HTTPS client. See docs/platform-sim.md.
 *
 *   platform-sim --port N --certs DIR --state FILE [--server-cert NAME]
 *                [--catalog PATH] [--credentials FILE] [--log-level LEVEL]
 *                [--enrol-codes CODE,CODE]
 *
 * With --port 0 it picks a free port. Either way, once it serves, it prints
 * "listening on 127.0.0.1:<port>" on stdout (one line, flushed), which is what
 * a test waits for. SIGTERM or SIGINT stop it cleanly (exit 0).
 */
#include "enrol.h"
#include "server.h"
#include "sim.h"
#include "store.h"

#include "firmware/base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* sysexits.h, as the firmware's main uses them. */
enum {
    EXIT_USAGE = 64,
    EXIT_SOFTWARE = 70,
    EXIT_CONFIG = 78,
};

typedef struct options {
    long port;
    const char *certs;
    const char *state;
    const char *server_cert; /* NULL: server.crt */
    const char *catalog;
    const char *credentials;
    const char *enrol_codes;
    log_level level;
} options;

static void usage(FILE *to)
{
    fprintf(to, "usage: platform-sim --port N --certs DIR --state FILE [--server-cert NAME]\n"
                "                    [--catalog PATH] [--credentials FILE]\n"
                "                    [--log-level error|warn|info|debug]\n"
                "  --port N          port on 127.0.0.1 (0: any free port)\n"
                "  --certs DIR       what tools/dev-certs DIR made\n"
                "  --state FILE      SQLite file of stored answers (created when missing)\n"
                "  --server-cert N   present DIR/server-N.crt (expired, wrong-host, "
                "unknown-ca)\n"
                "  --catalog PATH    the catalog served (default assets/catalog/sample.json)\n"
                "  --credentials F   the staff credentials served (docs/staff.md; none by "
                "default)\n"
                "  --enrol-codes C,C one-time enrolment codes issued (POST /v1/enrol)\n");
}

static bool parse(int argc, char **argv, options *out)
{
    *out = (options){.port = -1, .level = LOG_LEVEL_INFO};
    for (int i = 1; i < argc; i++) {
        const char *flag = argv[i];
        if (strcmp(flag, "--help") == 0) {
            usage(stdout);
            exit(0);
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "platform-sim: %s needs a value\n", flag);
            return false;
        }
        const char *value = argv[++i];
        if (strcmp(flag, "--port") == 0) {
            char *end = NULL;
            errno = 0;
            out->port = strtol(value, &end, 10);
            if (errno || !end || *end || end == value || out->port < 0 || out->port > 65535) {
                fprintf(stderr, "platform-sim: --port %s: a number from 0 to 65535\n", value);
                return false;
            }
        } else if (strcmp(flag, "--certs") == 0) {
            out->certs = value;
        } else if (strcmp(flag, "--state") == 0) {
            out->state = value;
        } else if (strcmp(flag, "--server-cert") == 0) {
            out->server_cert = value;
        } else if (strcmp(flag, "--catalog") == 0) {
            out->catalog = value;
        } else if (strcmp(flag, "--credentials") == 0) {
            out->credentials = value;
        } else if (strcmp(flag, "--enrol-codes") == 0) {
            out->enrol_codes = value;
        } else if (strcmp(flag, "--log-level") == 0) {
            if (!log_level_parse(value, &out->level)) {
                fprintf(stderr, "platform-sim: --log-level %s: error, warn, info or debug\n",
                        value);
                return false;
            }
        } else {
            fprintf(stderr, "platform-sim: unknown option %s\n", flag);
            return false;
        }
    }
    if (out->port < 0 || !out->certs || !out->state) {
        fprintf(stderr, "platform-sim: --port, --certs and --state are required\n");
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    options opts;
    if (!parse(argc, argv, &opts)) {
        usage(stderr);
        return EXIT_USAGE;
    }
    log_set_level(opts.level);

    /* SIGINT and SIGTERM are blocked before any thread starts, so every
     * libmicrohttpd thread inherits the mask and only sigwait below takes
     * them. A client that goes away mid-answer must not kill the process. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    static sim_context sim;
    pthread_mutex_init(&sim.lock, NULL);
    snprintf(sim.plan.path, sizeof sim.plan.path, "/v1/");
    if (opts.credentials)
        snprintf(sim.credentials_path, sizeof sim.credentials_path, "%s", opts.credentials);
    if (opts.catalog)
        snprintf(sim.catalog_path, sizeof sim.catalog_path, "%s", opts.catalog);
    else
        snprintf(sim.catalog_path, sizeof sim.catalog_path, "%s/assets/catalog/sample.json",
                 KIOSK_SOURCE_DIR);
    if (pipe2(sim.stop_pipe, O_CLOEXEC) != 0) {
        LOG_ERROR(SIM_MODULE, "pipe: %s", strerror(errno));
        return EXIT_SOFTWARE;
    }

    kiosk_diag diag = {{0}};
    kiosk_error opened = sim_store_open(opts.state, &sim.store, &diag);
    if (opened != KIOSK_OK) {
        LOG_ERROR(SIM_MODULE, "%s", diag.message);
        return EXIT_CONFIG;
    }
    /* Without the terminal CA's key no certificate can be signed: enrolment
     * answers 503, everything else works. */
    if (sim_enrol_setup(opts.certs, opts.enrol_codes, &diag) != KIOSK_OK) {
        LOG_WARN(SIM_MODULE, "enrolment: %s", diag.message);
        if (opts.enrol_codes) {
            sim_store_close(sim.store);
            return EXIT_CONFIG;
        }
    }
    sim_server *server = NULL;
    unsigned port = 0;
    kiosk_error started = sim_server_start(&sim, opts.certs, opts.server_cert, (unsigned)opts.port,
                                           &server, &port, &diag);
    if (started != KIOSK_OK) {
        LOG_ERROR(SIM_MODULE, "%s", diag.message);
        sim_store_close(sim.store);
        return started == KIOSK_ERR_IO ? EXIT_SOFTWARE : EXIT_CONFIG;
    }
    LOG_INFO(SIM_MODULE, "serving protocol v1 with %s/%s, catalog %s, state %s", opts.certs,
             opts.server_cert ? opts.server_cert : "server", sim.catalog_path, opts.state);
    snprintf(sim.public_url, sizeof sim.public_url, "https://127.0.0.1:%u/", port);
    printf("listening on 127.0.0.1:%u\n", port);
    fflush(stdout);

    int signal_number = 0;
    while (sigwait(&stop_signals, &signal_number) != 0) {
    }
    LOG_INFO(SIM_MODULE, "signal %d: stopping", signal_number);

    /* Wake held and trickled connections first: libmicrohttpd joins every
     * connection thread when it stops, and those would otherwise wait out
     * their full time. */
    close(sim.stop_pipe[1]);
    sim_server_stop(server);
    sim_store_close(sim.store);
    close(sim.stop_pipe[0]);
    pthread_mutex_destroy(&sim.lock);
    return 0;
}
