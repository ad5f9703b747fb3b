/* sync-bench: draining the outbox to the platform stand-in over mutual TLS
 * on 127.0.0.1 on one kept-alive connection.
 *
 *   drain          10,000 queued records, one a request, then 10,000 in
 *                  batches (POST /v1/batch): records/s;
 *   link restored  the stand-in refuses everything for OUTAGE_S seconds while
 *                  records pile up, then stops refusing: time to the first
 *                  delivered record and to the last, with the sync thread
 *                  running as in the kiosk. */
#include "firmware/base/log.h"
#include "firmware/base/monotonic.h"
#include "firmware/platform/sync.h"
#include "offline-cache/outbox.h"

#include <curl/curl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define RECORDS  10000
#define RESTORED 1000
#define OUTAGE_S 15

static char dir[] = "/tmp/sync-bench-XXXXXX";
static char certs[256], url[64];
static pid_t platform;

static int run(const char *const *argv)
{
    pid_t pid;
    if (posix_spawn(&pid, argv[0], NULL, NULL, (char *const *)argv, environ) != 0)
        return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int start_platform(void)
{
    char state[300];
    snprintf(state, sizeof state, "%s/platform.db", dir);
    const char *argv[] = {"build/tools/platform-sim",
                          "--port",
                          "0",
                          "--certs",
                          certs,
                          "--state",
                          state,
                          "--log-level",
                          "error",
                          NULL};
    int out[2];
    if (pipe(out) != 0)
        return -1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    int spawned = posix_spawn(&platform, argv[0], &actions, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    char line[128] = "";
    size_t used = 0;
    struct pollfd ready = {.fd = out[0], .events = POLLIN};
    while (spawned == 0 && used + 1 < sizeof line && poll(&ready, 1, 10000) == 1 &&
           read(out[0], line + used, 1) == 1 && line[used] != '\n')
        used++;
    line[used] = '\0';
    close(out[0]);
    const char *colon = strrchr(line, ':');
    if (!colon)
        return -1;
    snprintf(url, sizeof url, "https://127.0.0.1:%ld", strtol(colon + 1, NULL, 10));
    return 0;
}

static void fault(const char *name)
{
    char ca[300], cert[300], key[300], target[128], body[96];
    snprintf(ca, sizeof ca, "%s/platform-ca.crt", certs);
    snprintf(cert, sizeof cert, "%s/client.crt", certs);
    snprintf(key, sizeof key, "%s/client.key", certs);
    snprintf(target, sizeof target, "%s/_sim/fault", url);
    snprintf(body, sizeof body, "{\"fault\":\"%s\",\"count\":-1}", name);
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    FILE *null = fopen("/dev/null", "w");
    curl_easy_setopt(curl, CURLOPT_URL, target);
    curl_easy_setopt(curl, CURLOPT_CAINFO, ca);
    curl_easy_setopt(curl, CURLOPT_SSLCERT, cert);
    curl_easy_setopt(curl, CURLOPT_SSLKEY, key);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, null);
    curl_easy_perform(curl);
    fclose(null);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
}

static void put(const char *db, const char *prefix, int count)
{
    seal_key key;
    memset(key.bytes, 3, sizeof key.bytes);
    cache_options options = {.path = db, .key = &key, .max_outbox_records = 1000000};
    cache_store *store = NULL;
    if (cache_open(&options, &store, NULL, NULL) != KIOSK_OK)
        exit(1);
    if (cache_begin(store) != KIOSK_OK)
        exit(1);
    for (int i = 0; i < count; i++) {
        char k[64], payload[200];
        snprintf(k, sizeof k, "K0420:%s:%d", prefix, i);
        snprintf(payload, sizeof payload,
                 "{\"kind\":\"submission\",\"service\":\"social-insurance-query\","
                 "\"created_at\":\"2026-11-22T09:30:00Z\",\"payload\":{\"n\":%d}}",
                 i);
        cache_put record = {.kind = "submission",
                            .idempotency_key = k,
                            .payload = (const uint8_t *)payload,
                            .payload_length = strlen(payload),
                            .personal = true};
        int64_t id = 0;
        if (cache_outbox_put(store, &record, 0, &id, NULL) != KIOSK_OK)
            exit(1);
    }
    if (cache_commit(store) != KIOSK_OK)
        exit(1);
    cache_close(store);
}

/* batch_items: 1, one record a request; 0, batched. */
static sync_client *client(const char *db, unsigned batch_items)
{
    static char ca[300], cert[300], key[300];
    snprintf(ca, sizeof ca, "%s/platform-ca.crt", certs);
    snprintf(cert, sizeof cert, "%s/client.crt", certs);
    snprintf(key, sizeof key, "%s/client.key", certs);
    sync_config config = {.platform_url = url,
                          .ca_file = ca,
                          .client_cert = cert,
                          .client_key = key,
                          .terminal_id = "K0420",
                          .firmware_version = "bench",
                          .batch_items = batch_items};
    static seal_key k;
    memset(k.bytes, 3, sizeof k.bytes);
    cache_options store = {.path = db, .key = &k, .max_outbox_records = 1000000};
    sync_client *c = NULL;
    kiosk_diag diag = {{0}};
    if (sync_create(&config, &store, &c, &diag) != KIOSK_OK) {
        fprintf(stderr, "sync-bench: %s\n", diag.message);
        exit(1);
    }
    return c;
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (!mkdtemp(dir))
        return 1;
    snprintf(certs, sizeof certs, "%s/certs", dir);
    const char *make_certs[] = {"tools/dev-certs", certs, NULL};
    if (run(make_certs) != 0 || start_platform() != 0) {
        fprintf(stderr, "sync-bench: cannot start the platform stand-in\n");
        return 1;
    }
    char db[300];
    snprintf(db, sizeof db, "%s/kiosk.db", dir);

    put(db, "drain", RECORDS);
    sync_client *c = client(db, 1);
    double start = (double)monotonic_now_ms();
    int64_t delivered = 0;
    if (sync_drain(c, INT64_MAX / 2, &delivered) != KIOSK_OK || delivered != RECORDS)
        fprintf(stderr, "sync-bench: delivered %lld of %d\n", (long long)delivered, RECORDS);
    double drain_s = ((double)monotonic_now_ms() - start) / 1000.0;
    sync_destroy(c);

    put(db, "batched", RECORDS);
    c = client(db, 0);
    start = (double)monotonic_now_ms();
    if (sync_drain(c, INT64_MAX / 2, &delivered) != KIOSK_OK || delivered != RECORDS)
        fprintf(stderr, "sync-bench: batched: delivered %lld of %d\n", (long long)delivered,
                RECORDS);
    double batched_s = ((double)monotonic_now_ms() - start) / 1000.0;

    /* The link goes; records pile up; it comes back. */
    fault("refuse");
    put(db, "restored", RESTORED);
    if (sync_start(c, NULL, NULL) != KIOSK_OK)
        return 1;
    sync_wake(c);
    struct timespec settle = {OUTAGE_S, 0};
    nanosleep(&settle, NULL);
    int64_t before = sync_progress_get(c).delivered;
    double restored = (double)monotonic_now_ms();
    fault("none");
    double first = 0, last = 0;
    while ((double)monotonic_now_ms() - restored < 30000) {
        int64_t now = sync_progress_get(c).delivered - before;
        if (now > 0 && !first)
            first = (double)monotonic_now_ms() - restored;
        if (now >= RESTORED) {
            last = (double)monotonic_now_ms() - restored;
            break;
        }
        struct timespec tick = {0, 2 * 1000000L};
        nanosleep(&tick, NULL);
    }
    sync_destroy(c);
    kill(platform, SIGTERM);
    waitpid(platform, NULL, 0);
    char clean[400];
    snprintf(clean, sizeof clean, "rm -rf %s", dir);
    if (system(clean) != 0)
        fprintf(stderr, "sync-bench: %s was left behind\n", dir);

    printf("sync-bench: the outbox to the platform stand-in, mutual TLS on 127.0.0.1\n");
    printf("  drain, 1 record a request  %7.0f records/s  (%d, one kept-alive connection)"
           "   target >= 3,000/s\n",
           RECORDS / drain_s, RECORDS);
    printf("  drain, batched             %7.0f records/s  (%d, up to 256 a request)"
           "        target >= 10,000/s\n",
           RECORDS / batched_s, RECORDS);
    printf("  link restored -> first     %7.0f ms                                       "
           "   target <= 2,000 ms\n",
           first);
    printf("  link restored -> last      %7.0f ms  (%d queued while it was down %d s)\n", last,
           RESTORED, OUTAGE_S);
    curl_global_cleanup();
    return 0;
}
