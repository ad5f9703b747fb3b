/* The platform stand-in and the kiosk binary for end-to-end tests. See
 * platform_fixture.h. */
#include "platform_fixture.h"

#include "test_support.h"

#include "offline-cache/outbox.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

char certs_dir[1024];

/* Stand-ins started and not yet stopped: a failed test stops them too. */
static pid_t running[8];

void platform_remember_pid(pid_t pid, bool alive)
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

void platform_stop_leftovers(void)
{
    for (size_t i = 0; i < 8; i++) {
        if (running[i] > 0) {
            kill(running[i], SIGTERM);
            waitpid(running[i], NULL, 0);
            running[i] = 0;
        }
    }
}

void make_certs(void)
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

const char *default_catalog(void)
{
    static char path[1100];
    snprintf(path, sizeof path, "%s/assets/catalog/sample.json", test_source_dir());
    return path;
}

const char *changed_catalog(const char *dir_name, const char *version, const char *from,
                            const char *to)
{
    /* test_replace answers in one static buffer: each step is copied. */
    char *sample = strdup(test_read_file(default_catalog()));
    char *versioned = strdup(test_replace(sample, "\"sample-2026.12\"", version));
    const char *path = test_write_file(test_make_temp_dir(dir_name), "catalog.json",
                                       test_replace(versioned, from, to));
    free(sample);
    free(versioned);
    return path;
}

void cert_path(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", certs_dir, name);
}

void start_platform(platform *p, const char *server_cert)
{
    start_platform_serving(p, server_cert, NULL);
}

const char *platform_credentials;

/* catalog: the file the stand-in serves (NULL: the sample). */
void start_platform_serving(platform *p, const char *server_cert, const char *catalog)
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
                          NULL,
                          NULL,
                          NULL};
    /* Staff credentials published (after the optional server cert). */
    if (platform_credentials) {
        size_t at = server_cert ? 13 : 11;
        argv[at] = "--credentials";
        argv[at + 1] = platform_credentials;
    }
    int out[2];
    assert_int_equal(pipe(out), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    assert_int_equal(posix_spawn(&p->pid, binary, &actions, NULL, (char *const *)argv, environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    platform_remember_pid(p->pid, true);
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

void stop_platform(platform *p)
{
    kill(p->pid, SIGTERM);
    int status = 0;
    waitpid(p->pid, &status, 0);
    platform_remember_pid(p->pid, false);
}

/* A control call to the stand-in (its /_sim/ paths), over the same mTLS. */
cJSON *platform_control(const platform *p, const char *path, const char *body)
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

long stat_of(const platform *p, const char *name)
{
    cJSON *stats = platform_control(p, "/_sim/stats", NULL);
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(stats, name);
    long n = cJSON_IsNumber(value) ? (long)value->valuedouble : -1;
    cJSON_Delete(stats);
    return n;
}

void set_fault(const platform *p, const char *fault)
{
    char body[128];
    snprintf(body, sizeof body, "{\"fault\":\"%s\",\"count\":-1}", fault);
    cJSON_Delete(platform_control(p, "/_sim/fault", body));
}

/* Records per request for the clients made next: 1, one each; 0, batched. */
unsigned batch_items;

sync_client *client_for(const platform *p, const char *db, const char *client_cert, const char *pin)
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

void put_records(const char *db, const char *prefix, int count)
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

static char kiosk_reply[1 << 16];

/* A development board pointed at p, its data in a fresh directory, with the
 * test control channel on. */
void kiosk_board(const platform *p, kiosk_proc *k)
{
    const char *dir = test_make_temp_dir("sync-kiosk");
    /* Each kiosk its own socket: one left by a failed test is not reused. */
    static int kiosks;
    snprintf(k->socket_path, sizeof k->socket_path, "/tmp/kiosk-sync-%d-%d.sock", (int)getpid(),
             ++kiosks);
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

/* Connects to the kiosk's control socket, waiting up to 10 s for it. */
static void connect_control(kiosk_proc *k)
{
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof address.sun_path, "%s", k->socket_path);
    for (int attempt = 0; attempt < 200; attempt++) {
        k->socket = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(k->socket, (struct sockaddr *)&address, sizeof address) == 0)
            return;
        close(k->socket);
        k->socket = -1;
        usleep(50 * 1000);
    }
    fail_msg("the kiosk did not open %s", k->socket_path);
}

void kiosk_start(kiosk_proc *k)
{
    kiosk_start_with(k, NULL);
}

void kiosk_start_with(kiosk_proc *k, const char *extra)
{
    const char *argv[] = {test_kiosk_binary(),
                          "--headless",
                          "--board",
                          k->board,
                          "--log-level",
                          "error",
                          NULL,
                          NULL,
                          NULL};
    /* One more option and its value ("--start-screen paused"), split at
     * its space. */
    char option[64] = "";
    if (extra) {
        snprintf(option, sizeof option, "%s", extra);
        char *space = strchr(option, ' ');
        argv[6] = option;
        if (space) {
            *space = '\0';
            argv[7] = space + 1;
        }
    }
    /* What it says goes through SDL's audio output into a file beside its
     * socket, as a board's goes to its speaker. */
    char audio[sizeof k->socket_path + 16];
    snprintf(audio, sizeof audio, "%s", k->socket_path);
    char *slash = strrchr(audio, '/');
    snprintf(slash ? slash + 1 : audio, sizeof audio - (size_t)(slash ? slash + 1 - audio : 0),
             "speech.raw");
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", audio, 1);
    assert_int_equal(posix_spawn(&k->pid, argv[0], NULL, NULL, (char *const *)argv, environ), 0);
    platform_remember_pid(k->pid, true);
    connect_control(k);
}

void kiosk_start_logged(kiosk_proc *k, const char *log_path)
{
    const char *argv[] = {test_kiosk_binary(), "--headless", "--board", k->board,
                          "--log-level",       "info",       NULL};
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_int_equal(posix_spawn(&k->pid, argv[0], &actions, NULL, (char *const *)argv, environ),
                     0);
    posix_spawn_file_actions_destroy(&actions);
    platform_remember_pid(k->pid, true);
    connect_control(k);
}

const char *kiosk_ask(kiosk_proc *k, const char *command)
{
    char line[1200];
    int length = snprintf(line, sizeof line, "%s\n", command);
    assert_int_equal(write(k->socket, line, (size_t)length), length);
    size_t used = 0;
    /* A kiosk that stops answering fails the test; it never hangs it. */
    struct pollfd ready = {.fd = k->socket, .events = POLLIN};
    while (used + 1 < sizeof kiosk_reply) {
        if (poll(&ready, 1, 30000) != 1)
            fail_msg("the kiosk did not answer \"%s\" within 30 s", command);
        ssize_t got = read(k->socket, kiosk_reply + used, 1);
        if (got <= 0 || kiosk_reply[used] == '\n')
            break;
        used++;
    }
    kiosk_reply[used] = '\0';
    return kiosk_reply;
}

void kiosk_expect(kiosk_proc *k, const char *command, const char *answer)
{
    const char *got = kiosk_ask(k, command);
    if (strcmp(got, answer) != 0)
        fail_msg("%s: expected \"%s\", got \"%s\"", command, answer, got);
}

void kiosk_stop(kiosk_proc *k, bool kill_nine)
{
    if (kill_nine)
        kill(k->pid, SIGKILL);
    else
        kiosk_expect(k, "quit", "ok stopping");
    close(k->socket);
    waitpid(k->pid, NULL, 0);
    platform_remember_pid(k->pid, false);
    unlink(k->socket_path);
}

void kiosk_launch(const platform *p, kiosk_proc *k)
{
    kiosk_board(p, k);
    kiosk_start(k);
}

void kiosk_up(const platform *p, kiosk_proc *k)
{
    kiosk_launch(p, k);
    kiosk_expect(k, "wait attract 5000", "ok attract");
}

const char *kiosk_tree(kiosk_proc *k)
{
    static char copy[sizeof kiosk_reply];
    snprintf(copy, sizeof copy, "%s", kiosk_ask(k, "tree"));
    return copy;
}

bool kiosk_shows(kiosk_proc *k, const char *what, int tries)
{
    for (int i = 0; i < tries; i++) {
        if (strstr(kiosk_tree(k), what))
            return true;
        usleep(50 * 1000);
    }
    return false;
}

void kiosk_expect_shown(kiosk_proc *k, const char *what)
{
    const char *now = kiosk_tree(k);
    if (!strstr(now, what))
        fail_msg("\"%s\" is not on the screen: %.600s", what, now);
}

void citizen_opens(kiosk_proc *k, const char *service, const char *screen)
{
    char command[128], answer[64];
    kiosk_expect(k, "tap attract.start", "ok home");
    snprintf(command, sizeof command, "tap tile.%s", service);
    snprintf(answer, sizeof answer, "ok %s", screen);
    kiosk_expect(k, command, answer);
}

void citizen_identifies(kiosk_proc *k, const char *key, const char *screen)
{
    char command[64], answer[64];
    snprintf(command, sizeof command, "key %s", key);
    kiosk_ask(k, command);
    snprintf(command, sizeof command, "wait %s 8000", screen);
    snprintf(answer, sizeof answer, "ok %s", screen);
    kiosk_expect(k, command, answer);
}

void citizen_chooses(kiosk_proc *k, int field, int choice)
{
    char command[64];
    snprintf(command, sizeof command, "tap form.field.%d", field);
    kiosk_expect(k, command, "ok field");
    snprintf(command, sizeof command, "tap edit.choice.%d", choice);
    kiosk_expect(k, command, "ok form");
}

void citizen_types(kiosk_proc *k, int field, const char *digits)
{
    char command[64];
    snprintf(command, sizeof command, "tap form.field.%d", field);
    kiosk_expect(k, command, "ok field");
    for (const char *d = digits; *d; d++) {
        snprintf(command, sizeof command, "tap keypad.%c", *d);
        kiosk_expect(k, command, "ok field");
    }
    kiosk_expect(k, "tap step.next", "ok form");
}

void citizen_books_a_ticket(kiosk_proc *k, int matter, int slot, const char *phone)
{
    citizen_chooses(k, 0, matter);
    citizen_chooses(k, 1, slot);
    citizen_types(k, 2, phone);
    kiosk_expect(k, "tap step.next", "ok confirm");
}

void citizen_taps_submit(kiosk_proc *k)
{
    kiosk_ask(k, "tap step.next");
    kiosk_expect(k, "wait result 8000", "ok result");
}

void citizen_reaches_confirm(kiosk_proc *k, const char *key)
{
    citizen_opens(k, "certificate-print", "card");
    citizen_identifies(k, key, "confirm");
}

const char *citizen_submits(kiosk_proc *k, const char *key)
{
    citizen_reaches_confirm(k, key);
    citizen_taps_submit(k);
    return kiosk_tree(k);
}

const char *citizen_prints(kiosk_proc *k)
{
    kiosk_expect(k, "tap result.print", "ok print");
    kiosk_shows(k, "print.done", 100);
    return kiosk_tree(k);
}

void citizen_takes_card(kiosk_proc *k)
{
    kiosk_ask(k, "key 0");
    usleep(800 * 1000);
}

void citizen_names_baby(kiosk_proc *k, int field, const char *letters)
{
    char command[64];
    snprintf(command, sizeof command, "tap form.field.%d", field);
    kiosk_expect(k, command, "ok type");
    kiosk_expect(k, "tap type.mode.letters", "ok type");
    for (const char *letter = letters; *letter; letter++) {
        snprintf(command, sizeof command, "tap type.key.%c", *letter);
        kiosk_expect(k, command, "ok type");
    }
    kiosk_expect(k, "tap step.next", "ok form");
}

void citizen_signs(kiosk_proc *k, int field)
{
    char command[64];
    snprintf(command, sizeof command, "tap form.field.%d", field);
    kiosk_expect(k, command, "ok sign");
    kiosk_expect(k, "drag sign.pad 250,200 375,195 500,190 625,195 750,200", "ok sign");
    kiosk_expect(k, "drag sign.pad 300,420 400,420 500,420 600,420 700,420", "ok sign");
    kiosk_expect(k, "drag sign.pad 500,200 500,300 500,400 502,500 504,600 505,680", "ok sign");
    kiosk_expect(k, "drag sign.pad 200,680 350,675 500,670 650,680 800,690", "ok sign");
    kiosk_expect(k, "tap step.next", "ok form");
}

bool stored_reaches(const platform *p, long count, int seconds)
{
    for (int i = 0; i < seconds * 20; i++) {
        if (stat_of(p, "stored") >= count)
            return true;
        usleep(50 * 1000);
    }
    return false;
}

void set_fault_on(const platform *p, const char *fault, const char *paths, long count)
{
    char body[256];
    snprintf(body, sizeof body, "{\"fault\":\"%s\",\"count\":%ld,\"path\":\"%s\"}", fault, count,
             paths ? paths : "/v1/");
    cJSON *answer = platform_control(p, "/_sim/fault", body);
    const cJSON *planned = cJSON_GetObjectItemCaseSensitive(answer, "fault");
    /* A name the stand-in does not know would quietly test nothing. */
    if (!cJSON_IsString(planned) || strcmp(planned->valuestring, fault) != 0)
        fail_msg("the stand-in did not plan %s on %s", fault, paths ? paths : "/v1/");
    cJSON_Delete(answer);
}

long requests_of(const platform *p, const char *kind)
{
    cJSON *stats = platform_control(p, "/_sim/stats", NULL);
    const cJSON *value =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(stats, "requests"), kind);
    long n = cJSON_IsNumber(value) ? (long)value->valuedouble : -1;
    cJSON_Delete(stats);
    return n;
}

long kind_stat_of(const platform *p, const char *kind, const char *name)
{
    cJSON *stats = platform_control(p, "/_sim/stats", NULL);
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(stats, "by_kind"), kind),
        name);
    long n = cJSON_IsNumber(value) ? (long)value->valuedouble : -1;
    cJSON_Delete(stats);
    return n;
}

static size_t on_reply_header(char *data, size_t size, size_t count, void *context)
{
    platform_reply *out = context;
    size_t n = size * count;
    static const char name[] = "content-type:";
    if (n > sizeof name - 1 && strncasecmp(data, name, sizeof name - 1) == 0) {
        const char *value = data + sizeof name - 1;
        size_t length = n - (sizeof name - 1);
        while (length > 0 && *value == ' ') {
            value++;
            length--;
        }
        while (length > 0 && (value[length - 1] == '\r' || value[length - 1] == '\n'))
            length--;
        snprintf(out->content_type, sizeof out->content_type, "%.*s", (int)length, value);
    }
    return n;
}

void platform_request(const platform *p, const char *method, const char *path, const char *key,
                      const char *body, platform_reply *out)
{
    memset(out, 0, sizeof *out);
    char url[512], ca[1100], cert[1100], client_key[1100], line[160];
    snprintf(url, sizeof url, "https://127.0.0.1:%d%s", p->port, path);
    cert_path(ca, sizeof ca, "platform-ca.crt");
    cert_path(cert, sizeof cert, "client.crt");
    cert_path(client_key, sizeof client_key, "client.key");
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, "X-Terminal-Id: K0420");
    headers = curl_slist_append(headers, "X-Firmware-Version: test");
    if (key) {
        snprintf(line, sizeof line, "Idempotency-Key: %s", key);
        headers = curl_slist_append(headers, line);
    }
    FILE *sink = open_memstream(&out->body, &out->length);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CAINFO, ca);
    curl_easy_setopt(curl, CURLOPT_SSLCERT, cert);
    curl_easy_setopt(curl, CURLOPT_SSLKEY, client_key);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, sink);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_reply_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, out);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
    if (strcmp(method, "POST") == 0) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body ? body : "");
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    out->curl_code = (int)curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
    fclose(sink);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
}

int platform_run_tests(const char *name, const struct CMUnitTest *tests, size_t count)
{
    log_set_level(LOG_LEVEL_ERROR);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *only = getenv("KIOSK_TEST_FILTER");
    if (only && only[0])
        cmocka_set_test_filter(only);
    int failed = _cmocka_run_group_tests(name, tests, count, NULL, NULL);
    platform_stop_leftovers();
    curl_global_cleanup();
    return failed;
}

/* GET url as a phone does: the platform's CA trusted, no client certificate. */
long platform_public_get(const char *url, char **body)
{
    char ca[1200];
    cert_path(ca, sizeof ca, "platform-ca.crt");
    size_t length = 0;
    FILE *sink = open_memstream(body, &length);
    CURL *curl = curl_easy_init();
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CAINFO, ca);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, sink);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
    long status = 0;
    if (curl_easy_perform(curl) == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    fclose(sink);
    return status;
}
