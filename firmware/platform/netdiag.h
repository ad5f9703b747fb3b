/* Network diagnosis toward the platform (firmware/platform/netdiag.c), for a
 * technician: each step a connection takes, timed, with a verdict and a
 * reason a technician can act on. DNS (the platform's name, its addresses),
 * TCP (connecting to its port), TLS (the handshake with this terminal's
 * certificate, and the platform certificate's subject, issuer and expiry),
 * the clock (the platform's Date against the device's), and the answer (a
 * GET /v1/catalog, as the sync thread makes: its time to the first byte).
 *
 * netdiag_run blocks (seconds at most: config->timeout_ms per step); run it
 * on a worker (netdiag_start). Nothing personal is sent or kept. */
#ifndef KIOSK_FIRMWARE_PLATFORM_NETDIAG_H
#define KIOSK_FIRMWARE_PLATFORM_NETDIAG_H

#include "firmware/base/error.h"

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

typedef enum netdiag_step {
    NETDIAG_DNS,
    NETDIAG_TCP,
    NETDIAG_TLS,
    NETDIAG_CLOCK,
    NETDIAG_ANSWER,
    NETDIAG_STEP_COUNT,
} netdiag_step;

typedef enum netdiag_verdict {
    NETDIAG_NOT_RUN = 0, /* an earlier step failed */
    NETDIAG_PASS,
    NETDIAG_FAIL,
} netdiag_verdict;

/* Why a step failed: a stable key, the string table's "netdiag.<step>.<why>". */
typedef struct netdiag_step_result {
    netdiag_verdict verdict;
    long ms;          /* how long the step took */
    char why[32];     /* "unresolved", "refused", "timeout", "untrusted", "http-503", ... */
    char detail[160]; /* what libcurl or the resolver said, for the log */
} netdiag_step_result;

typedef struct netdiag_result {
    char host[128];
    int port;
    char addresses[200]; /* those DNS gave, ", " between */
    char cert_subject[200], cert_issuer[200], cert_expiry[64];
    int64_t clock_offset_s; /* the platform's clock less the device's */
    bool clock_known;
    long http_status;
    netdiag_step_result steps[NETDIAG_STEP_COUNT];
} netdiag_result;

typedef struct netdiag_config {
    const char *url; /* the platform's base URL, https://host:port/ */
    const char *ca_file, *client_cert, *client_key;
    const char *pinned_key; /* "sha256//..." or NULL */
    const char *terminal_id;
    long timeout_ms;           /* per connection: 0 for 8000 */
    int64_t clock_tolerance_s; /* 0 for 30 */
    time_t (*wall)(void);      /* the device's clock (NULL: time()) */
} netdiag_config;

/* The steps' names: "dns", "tcp", "tls", "clock", "answer". */
const char *netdiag_step_name(netdiag_step step);

/* Runs every step (blocking). Errors: INVALID_ARGUMENT (no https URL),
 * UNSUPPORTED (no libcurl); a step that fails is a result, not an error. */
kiosk_error netdiag_run(const netdiag_config *config, netdiag_result *out) KIOSK_MUST_CHECK;

/* Runs it on a new detached worker thread, which calls done(result,
 * context) when it ends (on that thread: copy what you need and wake the
 * main thread). The config's strings are copied. Errors: NO_MEMORY, IO. */
typedef void (*netdiag_done)(const netdiag_result *result, void *context);
kiosk_error netdiag_start(const netdiag_config *config, netdiag_done done,
                          void *context) KIOSK_MUST_CHECK;

#endif
