/* The sync client against the platform stand-in over real HTTPS with mutual
 * TLS, through the real offline store: for each fault the stand-in can
 * inject, the records stay queued while it lasts and are delivered exactly
 * once after it clears — the stand-in's count is the judge. TLS refusals
 * deliver nothing. Prints the fault matrix. */
#include "../support/test_support.h"

#include "firmware/file.h"
#include "firmware/sync.h"
#include "offline-cache/kv.h"
#include "offline-cache/outbox.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define RECORDS_PER_FAULT 5
#define NOW_MS            ((int64_t)TEST_WALL_TIME * 1000)

typedef struct platform {
    pid_t pid;
    int port;
    char certs[1024];
    char state[1100];
} platform;

static char certs_dir[1024];

/* Stand-ins started and not yet stopped: a failed test stops them too. */
static pid_t running[8];

static void remember(pid_t pid, bool alive)
{
    for (size_t i = 0; i < 8; i++) {
        if (alive && running[i] == 0) {
            running[i] = pid;
            return;
        }
        if (!alive && running[i] == pid) {
            running[i] = 0;
            return;
        }
    }
}

static void stop_leftovers(void)
{
    for (size_t i = 0; i < 8; i++) {
        if (running[i] > 0) {
            kill(running[i], SIGTERM);
            waitpid(running[i], NULL, 0);
            running[i] = 0;
        }
    }
}

static void make_certs(void)
{
    if (certs_dir[0])
        return;
    snprintf(certs_dir, sizeof certs_dir, "%s", test_make_temp_dir("sync-certs"));
    char script[1100];
    snprintf(script, sizeof script, "%s/tools/dev-certs", test_source_dir());
    const char *argv[] = {script, certs_dir, NULL};
    char err[4096];
    assert_int_equal(test_run(argv, err, sizeof err, NULL, 0), 0);
}

static const char *default_catalog(void)
{
    static char path[1100];
    snprintf(path, sizeof path, "%s/assets/catalog/sample.json", test_source_dir());
    return path;
}

static void cert_path(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", certs_dir, name);
}

static void start_platform_serving(platform *p, const char *server_cert, const char *catalog);

static void start_platform(platform *p, const char *server_cert)
{
    start_platform_serving(p, server_cert, NULL);
}

/* catalog: the file the stand-in serves (NULL: the sample). */
static void start_platform_serving(platform *p, const char *server_cert, const char *catalog)
{
    make_certs();
    memset(p, 0, sizeof *p);
    snprintf(p->state, sizeof p->state, "%s/platform.db", test_make_temp_dir("sync-platform"));
    char binary[1100];
    snprintf(binary, sizeof binary, "%s/build/tools/platform-sim", test_source_dir());
    /* server_cert: NULL for the good one, else "expired", "wrong-host",
     * "unknown-ca". */
    const char *argv[] = {binary,
                          "--port",
                          "0",
                          "--certs",
                          certs_dir,
                          "--state",
                          p->state,
                          "--log-level",
                          "error",
                          "--catalog",
                          catalog ? catalog : default_catalog(),
                          server_cert ? "--server-cert" : NULL,
                          server_cert,
                          NULL};
    int out[2];
    assert_int_equal(pipe(out), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    assert_int_equal(posix_spawn(&p->pid, binary, &actions, NULL, (char *const *)argv, environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    remember(p->pid, true);
    close(out[1]);
    /* "listening on 127.0.0.1:<port>" */
    char line[256];
    size_t used = 0;
    struct pollfd ready = {.fd = out[0], .events = POLLIN};
    while (used + 1 < sizeof line && poll(&ready, 1, 10000) == 1) {
        ssize_t got = read(out[0], line + used, 1);
        if (got <= 0 || line[used] == '\n')
            break;
        used++;
    }
    line[used] = '\0';
    close(out[0]);
    const char *colon = strrchr(line, ':');
    if (!strstr(line, "listening on") || !colon)
        fail_msg("the stand-in did not start: \"%s\"", line);
    p->port = (int)strtol(colon + 1, NULL, 10);
}

static void stop_platform(platform *p)
{
    kill(p->pid, SIGTERM);
    int status = 0;
    waitpid(p->pid, &status, 0);
    remember(p->pid, false);
}

/* A control call to the stand-in (its /_sim/ paths), over the same mTLS. */
static cJSON *control(const platform *p, const char *path, const char *body)
{
    char url[256], ca[1100], cert[1100], key[1100];
    snprintf(url, sizeof url, "https://127.0.0.1:%d%s", p->port, path);
    cert_path(ca, sizeof ca, "platform-ca.crt");
    cert_path(cert, sizeof cert, "client.crt");
    cert_path(key, sizeof key, "client.key");
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, "X-Terminal-Id: K0420");
    headers = curl_slist_append(headers, "Content-Type: application/json");
    char *answer = NULL;
    size_t length = 0;
    FILE *sink = open_memstream(&answer, &length);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CAINFO, ca);
    curl_easy_setopt(curl, CURLOPT_SSLCERT, cert);
    curl_easy_setopt(curl, CURLOPT_SSLKEY, key);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, sink);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
    if (body)
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    CURLcode code = curl_easy_perform(curl);
    fclose(sink);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (code != CURLE_OK)
        fail_msg("control %s: %s", path, curl_easy_strerror(code));
    cJSON *json = cJSON_Parse(answer);
    free(answer);
    return json;
}

static long stat_of(const platform *p, const char *name)
{
    cJSON *stats = control(p, "/_sim/stats", NULL);
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(stats, name);
    long n = cJSON_IsNumber(value) ? (long)value->valuedouble : -1;
    cJSON_Delete(stats);
    return n;
}

static void set_fault(const platform *p, const char *fault)
{
    char body[128];
    snprintf(body, sizeof body, "{\"fault\":\"%s\",\"count\":-1}", fault);
    cJSON_Delete(control(p, "/_sim/fault", body));
}

/* Records per request for the clients made next: 1, one each; 0, batched. */
static unsigned batch_items;

static sync_client *client_for(const platform *p, const char *db, const char *client_cert,
                               const char *pin)
{
    static char url[128], ca[1100], cert[1100], key[1100];
    snprintf(url, sizeof url, "https://127.0.0.1:%d", p->port);
    cert_path(ca, sizeof ca, "platform-ca.crt");
    snprintf(cert, sizeof cert, "%s/%s.crt", certs_dir, client_cert);
    snprintf(key, sizeof key, "%s/%s.key", certs_dir, client_cert);
    sync_config config = {.platform_url = url,
                          .ca_file = ca,
                          .client_cert = cert,
                          .client_key = key,
                          .pinned_key = pin,
                          .terminal_id = "K0420",
                          .firmware_version = "test",
                          .connect_timeout_ms = 2000,
                          .total_timeout_ms = 3000,
                          .backoff_base_ms = 10,
                          .backoff_cap_ms = 50,
                          .batch_items = batch_items};
    static seal_key key_bytes;
    memset(key_bytes.bytes, 7, sizeof key_bytes.bytes);
    cache_options store = {.path = db, .key = &key_bytes};
    sync_client *client = NULL;
    kiosk_diag diag = {{0}};
    if (sync_create(&config, &store, &client, &diag) != KIOSK_OK)
        fail_msg("sync_create: %s", diag.message);
    return client;
}

static void put_records(const char *db, const char *prefix, int count)
{
    seal_key key;
    memset(key.bytes, 7, sizeof key.bytes);
    cache_options options = {.path = db, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    for (int i = 0; i < count; i++) {
        char idempotency[64], payload[160];
        snprintf(idempotency, sizeof idempotency, "K0420:%s:%d", prefix, i);
        snprintf(payload, sizeof payload,
                 "{\"kind\":\"submission\",\"service\":\"social-insurance-query\","
                 "\"created_at\":\"2026-11-22T09:30:00Z\",\"payload\":{\"n\":%d}}",
                 i);
        cache_put put = {.kind = "submission",
                         .idempotency_key = idempotency,
                         .payload = (const uint8_t *)payload,
                         .payload_length = strlen(payload),
                         .personal = true};
        int64_t id = 0;
        assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL), KIOSK_OK);
    }
    cache_close(store);
}

static void run_fault_matrix(const char *mode)
{
    const char *faults[] = {
        "refuse",         "hang",         "reset-after-commit", "500",      "503", "429", "trickle",
        "truncated-json", "invalid-json", "captive-portal",     "huge-body"};
    platform p;
    start_platform(&p, NULL);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-faults"));
    sync_client *client = client_for(&p, db, "client", NULL);
    printf("%s\n%-20s %5s %8s %10s %5s\n", mode, "fault", "sent", "received", "duplicates", "lost");
    int64_t now = NOW_MS;
    for (size_t f = 0; f < sizeof faults / sizeof faults[0]; f++) {
        long stored_before = stat_of(&p, "stored");
        put_records(db, faults[f], RECORDS_PER_FAULT);
        set_fault(&p, faults[f]);
        int64_t delivered = 0;
        assert_int_equal(sync_drain(client, now, &delivered), KIOSK_OK);
        sync_progress during = sync_progress_get(client);
        /* While it lasts, nothing is acknowledged (a reset after commit
         * may have stored one, but the terminal does not know it). */
        assert_int_equal(delivered, 0);
        assert_int_equal(during.queued, RECORDS_PER_FAULT);
        assert_true(during.link == SYNC_LINK_OFFLINE || during.link == SYNC_LINK_DEGRADED);
        set_fault(&p, "none");
        now += 60 * 1000; /* past any back-off */
        assert_int_equal(sync_drain(client, now, &delivered), KIOSK_OK);
        sync_progress after = sync_progress_get(client);
        long stored = stat_of(&p, "stored") - stored_before;
        printf("%-20s %5d %8ld %10ld %5ld\n", faults[f], RECORDS_PER_FAULT, stored,
               stored > RECORDS_PER_FAULT ? stored - RECORDS_PER_FAULT : 0,
               stored < RECORDS_PER_FAULT ? RECORDS_PER_FAULT - stored : 0);
        assert_int_equal(delivered, RECORDS_PER_FAULT);
        assert_int_equal(after.queued, 0);
        assert_int_equal(after.link, SYNC_LINK_ONLINE);
        assert_int_equal(stored, RECORDS_PER_FAULT); /* exactly once */
    }
    sync_destroy(client);
    stop_platform(&p);
}

static void test_every_fault_delivers_exactly_once_after_it_clears(void **state)
{
    (void)state;
    batch_items = 1;
    run_fault_matrix("one record a request");
    batch_items = 0;
    run_fault_matrix("batched (POST /v1/batch)");
}

/* A platform the terminal must not trust, or a terminal the platform must
 * not: nothing is delivered, nothing is lost. */
static void expect_nothing_delivered(const char *server_cert, const char *client_cert,
                                     const char *pin, const char *label)
{
    platform p;
    start_platform(&p, server_cert);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-tls"));
    put_records(db, label, 2);
    sync_client *client = client_for(&p, db, client_cert, pin);
    int64_t delivered = 0;
    assert_int_equal(sync_drain(client, NOW_MS, &delivered), KIOSK_OK);
    sync_progress progress = sync_progress_get(client);
    printf("%-20s delivered %lld, queued %lld, link %s: %s\n", label, (long long)delivered,
           (long long)progress.queued, sync_link_name(progress.link), progress.last_error);
    assert_int_equal(delivered, 0);
    assert_int_equal(progress.queued, 2);
    assert_true(progress.link == SYNC_LINK_OFFLINE || progress.link == SYNC_LINK_REFUSED);
    sync_destroy(client);
    /* The platform holds nothing from the refused exchanges (asked over a
     * trusted connection: a good stand-in on the same state). */
    stop_platform(&p);
}

static void test_tls_refusals_deliver_nothing(void **state)
{
    (void)state;
    expect_nothing_delivered("expired", "client", NULL, "expired");
    expect_nothing_delivered("wrong-host", "client", NULL, "wrong-host");
    expect_nothing_delivered("unknown-ca", "client", NULL, "unknown-ca");
    expect_nothing_delivered(NULL, "client-unknown-ca", NULL, "client-unknown-ca");
    expect_nothing_delivered(NULL, "client",
                             "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "wrong-pin");
}

static void test_the_right_pin_is_accepted(void **state)
{
    (void)state;
    make_certs();
    char pin_path[1100];
    cert_path(pin_path, sizeof pin_path, "server.pin");
    const char *pin_text = test_read_file(pin_path);
    assert_non_null(pin_text);
    char pin[128];
    snprintf(pin, sizeof pin, "%s", pin_text);
    pin[strcspn(pin, "\r\n")] = '\0';
    platform p;
    start_platform(&p, NULL);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-pin"));
    put_records(db, "pinned", 3);
    sync_client *client = client_for(&p, db, "client", pin);
    int64_t delivered = 0;
    assert_int_equal(sync_drain(client, NOW_MS, &delivered), KIOSK_OK);
    assert_int_equal(delivered, 3);
    assert_int_equal(stat_of(&p, "stored"), 3);
    sync_destroy(client);
    stop_platform(&p);
}

/* The kiosk killed (SIGKILL) in the middle of draining, 50 times, then
 * restarted: every record reaches the platform exactly once. */
static void test_kill_nine_mid_drain_delivers_exactly_once(void **state)
{
    (void)state;
    enum { RECORDS = 3000, KILLS = 50 };
    platform p;
    start_platform(&p, NULL);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-kill"));
    put_records(db, "kill", RECORDS);
    srand(20261122);
    int killed_busy = 0;
    for (int round = 0; round < KILLS; round++) {
        int ready[2];
        assert_int_equal(pipe(ready), 0);
        pid_t child = fork();
        assert_true(child >= 0);
        if (child == 0) {
            close(ready[0]);
            sync_client *client = client_for(&p, db, "client", NULL);
            if (write(ready[1], "r", 1) != 1)
                _exit(3);
            for (;;) {
                int64_t delivered = 0;
                if (sync_drain(client, NOW_MS, &delivered) != KIOSK_OK)
                    _exit(2);
            }
        }
        /* Once it has opened the store and the connection is being made: the
         * kill lands in a handshake, a request, or an acknowledgement. */
        close(ready[1]);
        char byte;
        assert_int_equal(read(ready[0], &byte, 1), 1);
        close(ready[0]);
        struct timespec pause = {0, (long)(rand() % 250) * 1000000L};
        nanosleep(&pause, NULL);
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        killed_busy += WIFSIGNALED(status);
    }
    long stored_before_last = stat_of(&p, "stored");
    sync_client *client = client_for(&p, db, "client", NULL);
    int64_t queued_before_last = sync_progress_get(client).queued;
    int64_t delivered = 0;
    assert_int_equal(sync_drain(client, NOW_MS, &delivered), KIOSK_OK);
    sync_progress progress = sync_progress_get(client);
    long stored = stat_of(&p, "stored");
    printf("kill -9 mid-drain: %d kills; before the last pass %ld stored and %lld still "
           "queued; %lld acknowledged in it; %ld stored in all, %ld replays answered\n",
           killed_busy, stored_before_last, (long long)queued_before_last, (long long)delivered,
           stored, stat_of(&p, "duplicates"));
    assert_int_equal(killed_busy, KILLS);
    /* The kills landed while it worked: some were acknowledged before. */
    assert_true(queued_before_last < RECORDS);
    assert_int_equal(progress.queued, 0);
    assert_int_equal(stored, RECORDS); /* none lost, none twice */
    sync_destroy(client);
    stop_platform(&p);
}

static int sh(const char *command)
{
    int status = system(command);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The link cut for real: the stand-in and the client in a network namespace
 * of their own, where nftables drops (a hang) or resets (a refusal) the
 * platform's port while the terminal keeps accepting submissions. */
static void test_the_link_cut_for_real(void **state)
{
    (void)state;
    if (geteuid() != 0) {
        printf("skipped: making a network namespace needs root; as root, run "
               "build/asan/tests/e2e/test_sync_faults\n");
        skip();
    }
    char name[64], command[512];
    snprintf(name, sizeof name, "kiosk-test-%d", (int)getpid());
    snprintf(command, sizeof command, "ip netns add %s && ip netns exec %s ip link set lo up", name,
             name);
    assert_int_equal(sh(command), 0);
    int home = open("/proc/self/ns/net", O_RDONLY);
    char path[128];
    snprintf(path, sizeof path, "/run/netns/%s", name);
    int inside = open(path, O_RDONLY);
    assert_true(home >= 0 && inside >= 0);
    assert_int_equal(setns(inside, CLONE_NEWNET), 0);

    platform p;
    start_platform(&p, NULL); /* in the namespace: it inherits it */
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-cut"));
    sync_client *client = client_for(&p, db, "client", NULL);
    const char *cuts[] = {"drop", "reject with tcp reset"};
    int64_t now = NOW_MS;
    long expected = 0;
    for (size_t c = 0; c < 2; c++) {
        snprintf(command, sizeof command,
                 "nft add table inet kiosk_cut && nft add chain inet kiosk_cut out "
                 "'{ type filter hook output priority 0; }' && "
                 "nft add rule inet kiosk_cut out tcp dport %d %s",
                 p.port, cuts[c]);
        assert_int_equal(sh(command), 0);
        /* Cut: the terminal keeps taking submissions; nothing is sent. */
        put_records(db, c == 0 ? "cut-drop" : "cut-reset", 4);
        expected += 4;
        int64_t delivered = 0;
        assert_int_equal(sync_drain(client, now, &delivered), KIOSK_OK);
        sync_progress during = sync_progress_get(client);
        printf("link cut (%s): delivered %lld, queued %lld, link %s: %s\n", cuts[c],
               (long long)delivered, (long long)during.queued, sync_link_name(during.link),
               during.last_error);
        assert_int_equal(delivered, 0);
        assert_int_equal(during.queued, 4);
        assert_int_equal(during.link, SYNC_LINK_OFFLINE);
        /* Back: delivered, exactly once. */
        assert_int_equal(sh("nft delete table inet kiosk_cut"), 0);
        now += 60 * 1000;
        assert_int_equal(sync_drain(client, now, &delivered), KIOSK_OK);
        assert_int_equal(delivered, 4);
        assert_int_equal(stat_of(&p, "stored"), expected);
    }
    sync_destroy(client);
    stop_platform(&p);
    assert_int_equal(setns(home, CLONE_NEWNET), 0);
    close(home);
    close(inside);
    snprintf(command, sizeof command, "ip netns del %s", name);
    assert_int_equal(sh(command), 0);
}

/* ---- the sync thread: heartbeat, catalog, the link's return ------------ */

typedef struct seen {
    pthread_mutex_t lock;
    int notified;
    int delivered;
    char tracking[64];
} seen;

static void on_progress(const sync_progress *progress, void *context)
{
    (void)progress;
    seen *s = context;
    pthread_mutex_lock(&s->lock);
    s->notified++;
    pthread_mutex_unlock(&s->lock);
}

static void on_delivered(int64_t id, const char *kind, const char *tracking, void *context)
{
    (void)id;
    seen *s = context;
    pthread_mutex_lock(&s->lock);
    s->delivered++;
    if (strcmp(kind, "submission") == 0)
        snprintf(s->tracking, sizeof s->tracking, "%s", tracking);
    pthread_mutex_unlock(&s->lock);
}

/* Waits (up to seconds) until ready says so; false if it never did. */
static bool wait_for(sync_client *client, bool (*ready)(const sync_progress *), int seconds)
{
    for (int i = 0; i < seconds * 100; i++) {
        sync_progress progress = sync_progress_get(client);
        if (ready(&progress))
            return true;
        struct timespec tick = {0, 10 * 1000000L};
        nanosleep(&tick, NULL);
    }
    return false;
}

static bool online(const sync_progress *p)
{
    return p->link == SYNC_LINK_ONLINE;
}

static bool offline(const sync_progress *p)
{
    return p->link == SYNC_LINK_OFFLINE;
}

static bool catalog_cached(const sync_progress *p)
{
    return p->catalog_updates > 0;
}

static bool outbox_empty(const sync_progress *p)
{
    return p->link == SYNC_LINK_ONLINE && p->queued == 0;
}

static char *cached_catalog(const char *db, size_t *length)
{
    seal_key key;
    memset(key.bytes, 7, sizeof key.bytes);
    cache_options options = {.path = db, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    char *body = NULL, etag[80];
    int64_t fetched = 0;
    kiosk_error got =
        cache_content_get(store, "catalog", &body, length, etag, sizeof etag, &fetched, NULL);
    cache_close(store);
    return got == KIOSK_OK ? body : NULL;
}

static void test_the_heartbeat_brings_the_catalog_and_the_platform_s_clock(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-heartbeat"));
    seen s = {.lock = PTHREAD_MUTEX_INITIALIZER};
    sync_client *client = client_for(&p, db, "client", NULL);
    assert_int_equal(sync_set_devices(client, "{\"id-reader\":\"online\"}"), KIOSK_OK);
    assert_int_equal(sync_set_devices(client, "[1,2]"), KIOSK_ERR_MALFORMED);
    assert_int_equal(sync_start(client, on_progress, &s), KIOSK_OK);
    assert_true(wait_for(client, catalog_cached, 10));
    sync_progress progress = sync_progress_get(client);
    assert_string_equal(progress.catalog_version, "sample-2026.11");
    int64_t server_now = 0;
    assert_true(sync_server_now_ms(&progress, &server_now));
    int64_t skew = server_now / 1000 - (int64_t)time(NULL);
    assert_true(skew > -60 && skew < 60);
    sync_destroy(client);

    /* What the terminal cached is the platform's catalog, byte for byte. */
    size_t cached_length = 0, sample_length = 0;
    char *cached = cached_catalog(db, &cached_length);
    char *sample = NULL;
    assert_int_equal(file_read_all(default_catalog(), 1 << 22, &sample, &sample_length, NULL),
                     KIOSK_OK);
    assert_non_null(cached);
    assert_int_equal(cached_length, sample_length);
    assert_memory_equal(cached, sample, sample_length);
    free(cached);
    free(sample);

    /* Started again, it knows that version: nothing new is cached. */
    client = client_for(&p, db, "client", NULL);
    assert_string_equal(sync_progress_get(client).catalog_version, "sample-2026.11");
    assert_int_equal(sync_start(client, on_progress, &s), KIOSK_OK);
    assert_true(wait_for(client, online, 10));
    assert_int_equal(sync_progress_get(client).catalog_updates, 0);
    sync_destroy(client);
    stop_platform(&p);
}

static void test_a_bad_catalog_from_the_platform_is_not_cached(void **state)
{
    (void)state;
    char bad[1100];
    snprintf(bad, sizeof bad, "%s/catalog.json", test_make_temp_dir("sync-bad-catalog"));
    FILE *file = fopen(bad, "w");
    assert_non_null(file);
    fputs("{\"version\": \"broken-1\", \"hall\": {\"name\": {\"zh-CN\": \"x\"}}, \"services\": []}",
          file);
    fclose(file);
    platform p;
    start_platform_serving(&p, NULL, bad);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-bad-catalog-db"));
    seen s = {.lock = PTHREAD_MUTEX_INITIALIZER};
    sync_client *client = client_for(&p, db, "client", NULL);
    assert_int_equal(sync_start(client, on_progress, &s), KIOSK_OK);
    assert_true(wait_for(client, online, 10));
    struct timespec settle = {0, 300 * 1000000L};
    nanosleep(&settle, NULL);
    sync_progress progress = sync_progress_get(client);
    assert_int_equal(progress.catalog_updates, 0);
    assert_string_equal(progress.catalog_version, "");
    sync_destroy(client);
    size_t length = 0;
    assert_null(cached_catalog(db, &length));
    stop_platform(&p);
}

/* Records that have waited out an hour's back-off leave as soon as the link
 * is back, not an hour later: while it is away the terminal looks for it. */
static void test_records_leave_when_the_link_returns_not_when_back_off_ends(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-return"));
    put_records(db, "return", 20);
    seal_key key;
    memset(key.bytes, 7, sizeof key.bytes);
    cache_options options = {.path = db, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    int64_t an_hour_on = (int64_t)time(NULL) * 1000 + 3600 * 1000;
    for (int64_t id = 1; id <= 20; id++)
        assert_int_equal(cache_outbox_fail(store, id, "no answer", an_hour_on, NULL), KIOSK_OK);
    cache_close(store);

    set_fault(&p, "refuse");
    seen s = {.lock = PTHREAD_MUTEX_INITIALIZER};
    sync_client *client = client_for(&p, db, "client", NULL);
    sync_on_delivered(client, on_delivered);
    assert_int_equal(sync_start(client, on_progress, &s), KIOSK_OK);
    assert_true(wait_for(client, offline, 10));
    set_fault(&p, "none");
    assert_true(wait_for(client, outbox_empty, 10));
    sync_destroy(client);
    pthread_mutex_lock(&s.lock);
    assert_int_equal(s.delivered, 20);
    assert_true(s.tracking[0] != '\0'); /* the platform's tracking number came back */
    pthread_mutex_unlock(&s.lock);
    assert_int_equal(stat_of(&p, "stored"), 20);
    stop_platform(&p);
}

/* ---- the real kiosk binary, its citizens, and the stand-in ------------- */

static char kiosk_reply[1 << 16];

typedef struct kiosk_proc {
    pid_t pid;
    int socket;
    char socket_path[108];
    char board[1100];
} kiosk_proc;

/* A development board pointed at p, its data in a fresh directory, with the
 * test control channel on. */
static void kiosk_board(const platform *p, kiosk_proc *k)
{
    const char *dir = test_make_temp_dir("sync-kiosk");
    snprintf(k->socket_path, sizeof k->socket_path, "/tmp/kiosk-sync-%d.sock", (int)getpid());
    char path[1100], with[2048], url[4000];
    snprintf(path, sizeof path, "%s/board/profiles/portrait-1080.json", test_source_dir());
    /* test_replace answers in one static buffer: each step is copied. */
    char *text = strdup(test_read_file(path));
    snprintf(with, sizeof with, "\"data_dir\": \"%s\"", dir);
    char *next = strdup(test_replace(text, "\"data_dir\": \"/var/lib/kiosk\"", with));
    free(text);
    snprintf(url, sizeof url,
             "\"platform_url\": \"https://127.0.0.1:%d\", \"platform_tls\": {\"ca_file\": "
             "\"%s/platform-ca.crt\", \"client_cert\": \"%s/client.crt\", \"client_key\": "
             "\"%s/client.key\"},",
             p->port, certs_dir, certs_dir, certs_dir);
    text = strdup(test_replace(next, "\"platform_url\": \"https://127.0.0.1:8443/\",", url));
    free(next);
    snprintf(with, sizeof with, "\"idle_timeout_s\": 60,\n  \"test_control\": \"%s\"",
             k->socket_path);
    next = strdup(test_replace(text, "\"idle_timeout_s\": 60", with));
    free(text);
    text = next;
    snprintf(k->board, sizeof k->board, "%s", test_write_file(dir, "board.json", text));
    free(text);
}

static void kiosk_start(kiosk_proc *k)
{
    const char *argv[] = {test_kiosk_binary(), "--headless", "--board", k->board,
                          "--log-level",       "error",      NULL};
    assert_int_equal(posix_spawn(&k->pid, argv[0], NULL, NULL, (char *const *)argv, environ), 0);
    remember(k->pid, true);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof address.sun_path, "%s", k->socket_path);
    for (int attempt = 0; attempt < 200; attempt++) {
        k->socket = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(k->socket, (struct sockaddr *)&address, sizeof address) == 0)
            return;
        close(k->socket);
        usleep(50 * 1000);
    }
    fail_msg("the kiosk did not open %s", k->socket_path);
}

static const char *kiosk_ask(kiosk_proc *k, const char *command)
{
    char line[1200];
    int length = snprintf(line, sizeof line, "%s\n", command);
    assert_int_equal(write(k->socket, line, (size_t)length), length);
    size_t used = 0;
    while (used + 1 < sizeof kiosk_reply) {
        ssize_t got = read(k->socket, kiosk_reply + used, 1);
        if (got <= 0 || kiosk_reply[used] == '\n')
            break;
        used++;
    }
    kiosk_reply[used] = '\0';
    return kiosk_reply;
}

static void kiosk_expect(kiosk_proc *k, const char *command, const char *answer)
{
    const char *got = kiosk_ask(k, command);
    if (strcmp(got, answer) != 0)
        fail_msg("%s: expected \"%s\", got \"%s\"", command, answer, got);
}

static void kiosk_stop(kiosk_proc *k, bool kill_nine)
{
    if (kill_nine)
        kill(k->pid, SIGKILL);
    else
        kiosk_expect(k, "quit", "ok stopping");
    close(k->socket);
    waitpid(k->pid, NULL, 0);
    remember(k->pid, false);
    unlink(k->socket_path);
}

/* A citizen lays card (a developer key), chooses a service that works
 * offline, and submits: the result screen's tree. */
static const char *citizen_submits(kiosk_proc *k, const char *card)
{
    kiosk_expect(k, "wait attract 5000", "ok attract");
    kiosk_expect(k, "tap attract.start", "ok home");
    kiosk_expect(k, "tap tile.certificate-print", "ok card");
    char key[16];
    snprintf(key, sizeof key, "key %s", card);
    kiosk_ask(k, key);
    kiosk_expect(k, "wait service 8000", "ok service");
    kiosk_ask(k, "tap step.next");
    kiosk_expect(k, "wait result 8000", "ok result");
    const char *tree = kiosk_ask(k, "tree");
    static char copy[sizeof kiosk_reply];
    snprintf(copy, sizeof copy, "%s", tree);
    kiosk_ask(k, "key 0"); /* the citizen takes their card */
    usleep(800 * 1000);    /* the reader polls: it sees the card gone */
    return copy;
}

static bool stored_reaches(const platform *p, long count, int seconds)
{
    for (int i = 0; i < seconds * 20; i++) {
        if (stat_of(p, "stored") >= count)
            return true;
        usleep(50 * 1000);
    }
    return false;
}

static void test_the_kiosk_delivers_through_a_lost_link_and_a_kill(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    kiosk_board(&p, &k);
    kiosk_start(&k);

    /* Online: the platform's tracking number is on the citizen's result. */
    const char *tree = citizen_submits(&k, "1");
    assert_non_null(strstr(tree, "办理成功"));
    assert_non_null(strstr(tree, "\"id\":\"result.tracking\",\"role\":\"text\""));
    assert_non_null(strstr(tree, "\"text\":\"GD"));
    assert_null(strstr(tree, "440304199001011233"));
    assert_int_equal(stat_of(&p, "stored"), 1);
    kiosk_expect(&k, "tap result.done", "ok attract");

    /* The link goes: the citizen is told it is kept, with the terminal's
     * reference; nothing reaches the platform until it is back. */
    set_fault(&p, "refuse");
    tree = citizen_submits(&k, "2");
    assert_non_null(strstr(tree, "已受理，待上传"));
    assert_non_null(strstr(tree, "\"text\":\"K0420-"));
    kiosk_expect(&k, "tap result.done", "ok attract");
    assert_non_null(strstr(kiosk_ask(&k, "tree"), "平台未连接 · 待上传 1 条"));
    set_fault(&p, "none");
    assert_true(stored_reaches(&p, 2, 10));

    /* Kept, then the kiosk is killed before the link returns: the next
     * start delivers it, once. */
    set_fault(&p, "refuse");
    tree = citizen_submits(&k, "3");
    assert_non_null(strstr(tree, "已受理，待上传"));
    kiosk_stop(&k, true);
    set_fault(&p, "none");
    kiosk_start(&k);
    assert_true(stored_reaches(&p, 3, 10));
    kiosk_expect(&k, "wait attract 5000", "ok attract");
    usleep(500 * 1000);
    assert_int_equal(stat_of(&p, "stored"), 3);
    assert_non_null(strstr(kiosk_ask(&k, "tree"), "平台已连接 · 待上传 0 条"));
    kiosk_stop(&k, false);
    stop_platform(&p);
}

/* The platform's catalog reaches the screen: once checked and cached, the
 * kiosk uses it (here a hall renamed by the platform). */
static void test_the_kiosk_uses_the_platform_s_catalog(void **state)
{
    (void)state;
    char *sample = strdup(test_read_file(default_catalog()));
    char *renamed = strdup(test_replace(sample, "\"sample-2026.11\"", "\"platform-7\""));
    const char *dir = test_make_temp_dir("sync-kiosk-catalog");
    const char *catalog =
        test_write_file(dir, "catalog.json",
                        test_replace(renamed, "市民中心 24 小时政务服务区", "平台下发的服务区"));
    free(sample);
    free(renamed);
    platform p;
    start_platform_serving(&p, NULL, catalog);
    kiosk_proc k;
    kiosk_board(&p, &k);
    kiosk_start(&k);
    kiosk_expect(&k, "wait attract 5000", "ok attract");
    bool shown = false;
    for (int i = 0; i < 100 && !shown; i++) {
        shown = strstr(kiosk_ask(&k, "tree"), "平台下发的服务区") != NULL;
        if (!shown)
            usleep(50 * 1000);
    }
    assert_true(shown);
    kiosk_stop(&k, false);
    stop_platform(&p);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_fault_delivers_exactly_once_after_it_clears),
        cmocka_unit_test(test_tls_refusals_deliver_nothing),
        cmocka_unit_test(test_the_right_pin_is_accepted),
        cmocka_unit_test(test_kill_nine_mid_drain_delivers_exactly_once),
        cmocka_unit_test(test_the_link_cut_for_real),
        cmocka_unit_test(test_the_heartbeat_brings_the_catalog_and_the_platform_s_clock),
        cmocka_unit_test(test_a_bad_catalog_from_the_platform_is_not_cached),
        cmocka_unit_test(test_records_leave_when_the_link_returns_not_when_back_off_ends),
        cmocka_unit_test(test_the_kiosk_delivers_through_a_lost_link_and_a_kill),
        cmocka_unit_test(test_the_kiosk_uses_the_platform_s_catalog),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    stop_leftovers();
    curl_global_cleanup();
    return failed;
}
