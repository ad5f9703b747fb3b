/* The platform stand-in (tools/platform-sim) from outside, as the terminal's
 * HTTPS client will meet it: certificates from tools/dev-certs, the built
 * binary started with --port 0, libcurl with a client certificate. Covers
 * protocol v1 (batches too), identity, every fault the tests of the client
 * rely on, the statistics, and the bad server certificates. */
#include "../support/test_support.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Starting, stopping and single answers all finish well within these. */
#define START_DEADLINE_MS 10000
#define STOP_DEADLINE_MS  10000

static char certs[1024];
static char state[1100];
static char catalog_path[1100];

typedef struct stand_in {
    pid_t pid;
    int out; /* its stdout: the "listening" line, then EOF when it exits */
    unsigned port;
} stand_in;

static stand_in sim = {.pid = -1, .out = -1};

static long long now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static const char *sim_binary(void)
{
    static char path[1024];
    const char *given = getenv("PLATFORM_SIM_BINARY");
    if (given && given[0])
        return given;
    snprintf(path, sizeof path, "%s/build/tools/platform-sim", test_source_dir());
    return path;
}

/* Reads one line from fd, waiting at most until deadline; false on EOF or
 * when the time runs out. */
static bool read_line(int fd, char *line, size_t size, long long deadline)
{
    size_t used = 0;
    while (used + 1 < size) {
        long long left = deadline - now_ms();
        if (left <= 0)
            return false;
        struct pollfd watch = {.fd = fd, .events = POLLIN};
        int ready = poll(&watch, 1, (int)left);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            return false;
        char c;
        ssize_t got = read(fd, &c, 1);
        if (got <= 0)
            return false;
        if (c == '\n')
            break;
        line[used++] = c;
    }
    line[used] = '\0';
    return true;
}

static void sim_start(const char *server_cert)
{
    int out[2];
    assert_int_equal(pipe2(out, O_CLOEXEC), 0);
    const char *argv[16] = {sim_binary(), "--port",      "0",     "--certs",
                            certs,        "--state",     state,   "--catalog",
                            catalog_path, "--log-level", "error", NULL};
    if (server_cert) {
        argv[11] = "--server-cert";
        argv[12] = server_cert;
        argv[13] = NULL;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    int spawned = posix_spawn(&sim.pid, argv[0], &actions, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (spawned != 0)
        fail_msg("cannot start %s: %s (make build/tools/platform-sim)", argv[0], strerror(spawned));
    sim.out = out[0];

    char line[128];
    if (!read_line(sim.out, line, sizeof line, now_ms() + START_DEADLINE_MS))
        fail_msg("%s did not say where it listens", argv[0]);
    const char *prefix = "listening on 127.0.0.1:";
    assert_true(strncmp(line, prefix, strlen(prefix)) == 0);
    char *end = NULL;
    unsigned long port = strtoul(line + strlen(prefix), &end, 10);
    assert_true(port > 0 && port < 65536 && end && *end == '\0');
    sim.port = (unsigned)port;
}

/* SIGTERM, then wait (with a deadline) for its stdout to close as it exits;
 * it must stop cleanly, with status 0. */
static void sim_stop(void)
{
    if (sim.pid <= 0)
        return;
    assert_int_equal(kill(sim.pid, SIGTERM), 0);
    long long deadline = now_ms() + STOP_DEADLINE_MS;
    char scratch[256];
    bool closed = false;
    while (!closed && now_ms() < deadline) {
        struct pollfd watch = {.fd = sim.out, .events = POLLIN};
        int ready = poll(&watch, 1, (int)(deadline - now_ms()));
        if (ready > 0)
            closed = read(sim.out, scratch, sizeof scratch) <= 0;
        else if (ready < 0 && errno != EINTR)
            break;
    }
    if (!closed)
        kill(sim.pid, SIGKILL);
    int status = 0;
    while (waitpid(sim.pid, &status, 0) < 0 && errno == EINTR) {
    }
    close(sim.out);
    sim.pid = -1;
    sim.out = -1;
    assert_true(closed);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- one HTTPS exchange --------------------------------------------------- */

typedef struct request {
    const char *method; /* GET when NULL */
    const char *path;
    const char *body; /* POSTed as JSON */
    size_t body_length;
    const char *key;
    const char *if_none_match;
    const char *terminal; /* X-Terminal-Id: K0420 when NULL; none when "" */
    const char *client;   /* certificate: "client" when NULL; none when "" */
    const char *host;     /* 127.0.0.1 when NULL */
    const char *pin;      /* CURLOPT_PINNEDPUBLICKEY */
    long timeout_ms;      /* 10 s when 0 */
    size_t abort_after;   /* stop reading after this many body bytes */
} request;

typedef struct reply {
    CURLcode code;
    long status;
    char body[1 << 20];
    size_t length;   /* bytes kept in body */
    size_t received; /* bytes received in all */
    size_t abort_after;
    char etag[80];
    char retry_after[16];
    char content_type[80];
    bool replay;
    curl_off_t content_length;
    long long first_byte_ms, second_byte_ms;
} reply;

static reply answer;

static size_t on_body(char *data, size_t size, size_t count, void *cls)
{
    reply *r = cls;
    size_t n = size * count;
    for (size_t i = 0; i < n; i++) {
        if (r->received == 0)
            r->first_byte_ms = now_ms();
        else if (r->received == 1)
            r->second_byte_ms = now_ms();
        if (r->length + 1 < sizeof r->body)
            r->body[r->length++] = data[i];
        r->received++;
        if (r->abort_after && r->received >= r->abort_after)
            return 0; /* CURLE_WRITE_ERROR: the client gives up */
    }
    r->body[r->length] = '\0';
    return n;
}

static void header_value(const char *line, size_t length, const char *name, char *out, size_t size)
{
    size_t name_length = strlen(name);
    if (length <= name_length || strncasecmp(line, name, name_length) != 0)
        return;
    const char *value = line + name_length;
    size_t value_length = length - name_length;
    while (value_length > 0 && (*value == ' ' || *value == '\t')) {
        value++;
        value_length--;
    }
    while (value_length > 0 && (value[value_length - 1] == '\r' || value[value_length - 1] == '\n'))
        value_length--;
    snprintf(out, size, "%.*s", (int)value_length, value);
}

static size_t on_header(char *data, size_t size, size_t count, void *cls)
{
    reply *r = cls;
    size_t n = size * count;
    char replay[16] = "";
    header_value(data, n, "ETag:", r->etag, sizeof r->etag);
    header_value(data, n, "Retry-After:", r->retry_after, sizeof r->retry_after);
    header_value(data, n, "Content-Type:", r->content_type, sizeof r->content_type);
    header_value(data, n, "Idempotent-Replay:", replay, sizeof replay);
    if (strcmp(replay, "true") == 0)
        r->replay = true;
    return n;
}

static const reply *call(const request *q)
{
    memset(&answer, 0, sizeof answer);
    answer.abort_after = q->abort_after;
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    char url[512], path[1200];
    snprintf(url, sizeof url, "https://%s:%u%s", q->host ? q->host : "127.0.0.1", sim.port,
             q->path);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, q->timeout_ms ? q->timeout_ms : 10000L);
    snprintf(path, sizeof path, "%s/platform-ca.crt", certs);
    curl_easy_setopt(curl, CURLOPT_CAINFO, path);
    const char *client = q->client ? q->client : "client";
    char cert[1200], key[1200];
    if (client[0]) {
        snprintf(cert, sizeof cert, "%s/%s.crt", certs, client);
        snprintf(key, sizeof key, "%s/%s.key", certs, client);
        curl_easy_setopt(curl, CURLOPT_SSLCERT, cert);
        curl_easy_setopt(curl, CURLOPT_SSLKEY, key);
    }
    if (q->pin)
        curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, q->pin);

    struct curl_slist *headers = NULL;
    char line[256];
    const char *terminal = q->terminal ? q->terminal : "K0420";
    if (terminal[0]) {
        snprintf(line, sizeof line, "X-Terminal-Id: %s", terminal);
        headers = curl_slist_append(headers, line);
    }
    headers = curl_slist_append(headers, "X-Firmware-Version: 1.2.0-test");
    if (q->key) {
        snprintf(line, sizeof line, "Idempotency-Key: %s", q->key);
        headers = curl_slist_append(headers, line);
    }
    if (q->if_none_match) {
        snprintf(line, sizeof line, "If-None-Match: %s", q->if_none_match);
        headers = curl_slist_append(headers, line);
    }
    const char *method = q->method ? q->method : "GET";
    if (strcmp(method, "POST") == 0) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, q->body ? q->body : "");
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)(q->body_length ? q->body_length
                                      : q->body      ? strlen(q->body)
                                                     : 0));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &answer);

    answer.code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
    curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &answer.content_length);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return &answer;
}

/* The answer's body as JSON (the test owns it); fails when it is not. */
static cJSON *json_of(const reply *r)
{
    cJSON *json = cJSON_ParseWithLength(r->body, r->length);
    if (!json)
        fail_msg("not JSON: %s", r->body);
    return json;
}

static const char *string_of(const cJSON *json, const char *name)
{
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(json, name);
    assert_true(cJSON_IsString(field));
    return field->valuestring;
}

static double number_of(const cJSON *json, const char *name)
{
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(json, name);
    assert_true(cJSON_IsNumber(field));
    return field->valuedouble;
}

static void expect_error(const reply *r, long status, const char *code)
{
    assert_int_equal(r->code, CURLE_OK);
    assert_int_equal(r->status, status);
    assert_string_equal(r->content_type, "application/json");
    cJSON *json = json_of(r);
    assert_string_equal(string_of(json, "error"), code);
    assert_true(strlen(string_of(json, "message")) > 0);
    cJSON_Delete(json);
}

static const reply *post(const char *path, const char *key, const char *body)
{
    return call(&(request){.method = "POST", .path = path, .key = key, .body = body});
}

static void plan_fault(const char *body)
{
    const reply *r = call(&(request){.method = "POST", .path = "/_sim/fault", .body = body});
    assert_int_equal(r->code, CURLE_OK);
    assert_int_equal(r->status, 200);
}

typedef struct counts {
    double received, stored, duplicates, conflicts, refused, batches;
    double submission_received, submission_stored, submission_duplicates;
} counts;

static counts stats(void)
{
    const reply *r = call(&(request){.path = "/_sim/stats"});
    assert_int_equal(r->status, 200);
    cJSON *json = json_of(r);
    const cJSON *submission = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(json, "by_kind"), "submission");
    assert_non_null(submission);
    counts c = {
        .received = number_of(json, "received"),
        .stored = number_of(json, "stored"),
        .duplicates = number_of(json, "duplicates"),
        .conflicts = number_of(json, "conflicts"),
        .refused = number_of(json, "refused"),
        .batches = number_of(json, "batches"),
        .submission_received = number_of(submission, "received"),
        .submission_stored = number_of(submission, "stored"),
        .submission_duplicates = number_of(submission, "duplicates"),
    };
    cJSON_Delete(json);
    return c;
}

static const char heartbeat[] =
    "{\"devices\": {\"id-reader\": \"online\", \"printer\": \"paper-low\"}, "
    "\"outbox_depth\": 3, \"firmware\": \"1.2.0\"}";

static const char *submission(const char *service)
{
    static char body[512];
    snprintf(body, sizeof body,
             "{\"kind\": \"submission\", \"service\": \"%s\", \"created_at\": "
             "\"2026-11-22T09:30:00Z\", \"payload\": {\"answer\": 42}}",
             service);
    return body;
}

/* ---- setup ---------------------------------------------------------------- */

static int setup(void **unused)
{
    (void)unused;
    assert_int_equal(curl_global_init(CURL_GLOBAL_DEFAULT), 0);
    snprintf(certs, sizeof certs, "%s", test_make_temp_dir("platform-sim"));
    snprintf(state, sizeof state, "%s/state.db", certs);
    snprintf(catalog_path, sizeof catalog_path, "%s/assets/catalog/sample.json", test_source_dir());
    char script[1200], err[4096];
    snprintf(script, sizeof script, "%s/tools/dev-certs", test_source_dir());
    const char *argv[] = {script, certs, NULL};
    if (test_run(argv, err, sizeof err, NULL, 0) != 0)
        fail_msg("tools/dev-certs failed: %s", err);
    sim_start(NULL);
    return 0;
}

static int teardown(void **unused)
{
    (void)unused;
    sim_stop();
    curl_global_cleanup();
    return 0;
}

/* ---- protocol v1 ---------------------------------------------------------- */

static void test_heartbeat_answers(void **unused)
{
    (void)unused;
    const reply *r = post("/v1/heartbeat", NULL, heartbeat);
    assert_int_equal(r->code, CURLE_OK);
    assert_int_equal(r->status, 200);
    assert_string_equal(r->content_type, "application/json");
    cJSON *json = json_of(r);
    const char *time = string_of(json, "server_time");
    assert_int_equal(strlen(time), strlen("2026-11-22T09:30:00Z"));
    assert_int_equal(time[19], 'Z');
    assert_true(number_of(json, "poll_interval_s") > 0);
    assert_string_equal(string_of(json, "catalog_version"), "sample-2026.12");
    assert_true(strlen(string_of(json, "config_version")) > 0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(json, "update")));
    cJSON_Delete(json);

    expect_error(post("/v1/heartbeat", NULL, "{\"devices\": 1}"), 400, "bad-request");
}

static void test_catalog_then_not_modified(void **unused)
{
    (void)unused;
    /* By host name, with the pin dev-certs wrote: the SAN and the pin hold. */
    char pin[128];
    char pin_path[1200];
    snprintf(pin_path, sizeof pin_path, "%s/server.pin", certs);
    snprintf(pin, sizeof pin, "%s", test_read_file(pin_path));
    pin[strcspn(pin, "\n")] = '\0';
    assert_true(strncmp(pin, "sha256//", 8) == 0);

    const reply *r = call(&(request){.path = "/v1/catalog", .host = "localhost", .pin = pin});
    assert_int_equal(r->code, CURLE_OK);
    assert_int_equal(r->status, 200);
    assert_string_equal(r->body, test_read_file(catalog_path));
    char etag[80];
    snprintf(etag, sizeof etag, "%s", r->etag);
    assert_true(strlen(etag) > 2 && etag[0] == '"' && etag[strlen(etag) - 1] == '"');

    r = call(&(request){.path = "/v1/catalog", .if_none_match = etag});
    assert_int_equal(r->code, CURLE_OK);
    assert_int_equal(r->status, 304);
    assert_int_equal(r->length, 0);
    assert_string_equal(r->etag, etag);

    r = call(&(request){.path = "/v1/catalog", .if_none_match = "\"an-older-one\""});
    assert_int_equal(r->status, 200);
    assert_string_equal(r->etag, etag);
}

static void test_submission_once(void **unused)
{
    (void)unused;
    counts before = stats();
    const char *key = "K0420:session-1:submit";
    char body[512];
    snprintf(body, sizeof body, "%s", submission("social-insurance-query"));

    const reply *r = post("/v1/submissions", key, body);
    assert_int_equal(r->code, CURLE_OK);
    assert_int_equal(r->status, 201);
    assert_false(r->replay);
    char first[1024];
    assert_true(r->length < sizeof first);
    snprintf(first, sizeof first, "%.*s", (int)r->length, r->body);
    cJSON *json = json_of(r);
    char tracking[64];
    snprintf(tracking, sizeof tracking, "%s", string_of(json, "tracking_number"));
    assert_int_equal(strlen(tracking), 16);
    assert_true(strncmp(tracking, "GD", 2) == 0);
    assert_string_equal(string_of(json, "status"), "accepted");
    string_of(json, "received_at");
    cJSON_Delete(json);

    r = post("/v1/submissions", key, body);
    assert_int_equal(r->status, 201);
    assert_true(r->replay);
    assert_string_equal(r->body, first);

    expect_error(post("/v1/submissions", key, submission("housing-fund-query")), 409,
                 "idempotency-conflict");

    counts after = stats();
    assert_true(after.submission_received == before.submission_received + 3);
    assert_true(after.submission_stored == before.submission_stored + 1);
    assert_true(after.stored == before.stored + 1);
    assert_true(after.duplicates == before.duplicates + 1);
    assert_true(after.conflicts == before.conflicts + 1);

    /* Its status, then moved on by the control call. */
    char path[128];
    snprintf(path, sizeof path, "/v1/submissions/%s", tracking);
    r = call(&(request){.path = path});
    assert_int_equal(r->status, 200);
    json = json_of(r);
    assert_string_equal(string_of(json, "tracking_number"), tracking);
    assert_string_equal(string_of(json, "status"), "accepted");
    cJSON_Delete(json);
    char move[256];
    snprintf(move, sizeof move,
             "{\"tracking_number\": \"%s\", \"status\": \"done\", \"note\": \"ready\"}", tracking);
    r = call(&(request){.method = "POST", .path = "/_sim/status", .body = move});
    assert_int_equal(r->status, 200);
    r = call(&(request){.path = path});
    json = json_of(r);
    assert_string_equal(string_of(json, "status"), "done");
    assert_string_equal(string_of(json, "note"), "ready");
    cJSON_Delete(json);
    expect_error(call(&(request){.path = "/v1/submissions/GD20990101999999"}), 404, "not-found");
}

static void test_ratings_and_staff_calls(void **unused)
{
    (void)unused;
    const char *rating = "{\"tracking_number\": \"GD20261122000001\", \"level\": 5, "
                         "\"comment\": \"\"}";
    const reply *r = post("/v1/ratings", "K0420:session-2:rate", rating);
    assert_int_equal(r->status, 201);
    cJSON *json = json_of(r);
    string_of(json, "received_at");
    cJSON_Delete(json);
    r = post("/v1/ratings", "K0420:session-2:rate", rating);
    assert_int_equal(r->status, 201);
    assert_true(r->replay);
    expect_error(post("/v1/ratings", "K0420:session-2:rate-6",
                      "{\"tracking_number\": \"GD1\", \"level\": 6}"),
                 400, "bad-request");

    r = post("/v1/staff-calls", "K0420:session-2:help",
             "{\"reason\": \"paper-out\", \"screen\": \"print\"}");
    assert_int_equal(r->status, 201);
    /* The same key on another path is another record. */
    r = post("/v1/staff-calls", "K0420:session-2:rate",
             "{\"reason\": \"paper-out\", \"screen\": \"print\"}");
    assert_int_equal(r->status, 201);
    assert_false(r->replay);
}

static void test_requests_that_can_never_be_accepted(void **unused)
{
    (void)unused;
    expect_error(post("/v1/submissions", NULL, submission("x")), 400, "bad-request");
    char long_key[128];
    memset(long_key, 'k', 96);
    long_key[96] = '\0';
    expect_error(post("/v1/submissions", long_key, submission("x")), 400, "bad-request");
    expect_error(post("/v1/submissions", "K0420:s:bad", "{\"kind\": \"submission\""), 400,
                 "bad-request");
    expect_error(post("/v1/submissions", "K0420:s:bad", "{\"kind\": \"rating\"}"), 400,
                 "bad-request");
    expect_error(call(&(request){.path = "/v1/nothing-here"}), 404, "not-found");

    /* Over the 1 MiB cap: 413 too-large, before the body is even sent. */
    size_t size = 1024 * 1024 + 1;
    char *big = malloc(size + 1);
    assert_non_null(big);
    memset(big, ' ', size);
    big[0] = '{';
    big[size - 1] = '}';
    big[size] = '\0';
    const reply *r = call(&(request){.method = "POST",
                                     .path = "/v1/submissions",
                                     .key = "K0420:s:big",
                                     .body = big,
                                     .body_length = size});
    free(big);
    expect_error(r, 413, "too-large");
}

/* ---- identity ------------------------------------------------------------- */

/* Refused: a TLS error, or 403 forbidden. */
static void expect_refused(const reply *r)
{
    if (r->code == CURLE_OK)
        expect_error(r, 403, "forbidden");
    else
        assert_int_equal(r->status, 0);
}

static void test_identity_refused(void **unused)
{
    (void)unused;
    counts before = stats();
    expect_refused(call(&(request){.path = "/v1/catalog", .client = ""}));
    expect_refused(call(&(request){.path = "/v1/catalog", .client = "client-unknown-ca"}));
    expect_refused(call(&(request){.method = "POST",
                                   .path = "/v1/submissions",
                                   .key = "K0420:s:nocert",
                                   .body = submission("x"),
                                   .client = ""}));
    expect_error(call(&(request){.path = "/v1/catalog", .terminal = "K0421"}), 403, "forbidden");
    expect_error(call(&(request){.path = "/v1/catalog", .terminal = ""}), 403, "forbidden");
    expect_refused(call(&(request){.path = "/_sim/stats", .client = ""}));
    counts after = stats();
    assert_true(after.refused == before.refused + 6);
    assert_true(after.stored == before.stored);
}

/* ---- faults --------------------------------------------------------------- */

static void test_faults_answer_instead(void **unused)
{
    (void)unused;
    counts before = stats();

    plan_fault("{\"fault\": \"refuse\", \"count\": 1}");
    const reply *r = post("/v1/submissions", "K0420:f:1", submission("x"));
    assert_int_not_equal(r->code, CURLE_OK);
    assert_int_equal(r->status, 0);

    plan_fault("{\"fault\": \"500\"}");
    expect_error(post("/v1/submissions", "K0420:f:1", submission("x")), 500, "internal");

    plan_fault("{\"fault\": \"503\"}");
    r = post("/v1/submissions", "K0420:f:1", submission("x"));
    expect_error(r, 503, "unavailable");
    assert_string_equal(r->retry_after, "1");

    plan_fault("{\"fault\": \"429\"}");
    r = post("/v1/submissions", "K0420:f:1", submission("x"));
    expect_error(r, 429, "rate-limited");
    assert_string_equal(r->retry_after, "2");

    plan_fault("{\"fault\": \"invalid-json\"}");
    r = post("/v1/submissions", "K0420:f:1", submission("x"));
    assert_int_equal(r->code, CURLE_OK);
    assert_int_equal(r->status, 201);
    assert_null(cJSON_ParseWithLength(r->body, r->length));

    plan_fault("{\"fault\": \"captive-portal\"}");
    r = post("/v1/heartbeat", NULL, heartbeat);
    assert_int_equal(r->status, 200);
    assert_true(strncmp(r->content_type, "text/html", 9) == 0);
    assert_non_null(strstr(r->body, "<html>"));

    /* None of them ran the call: the key is still free. */
    counts middle = stats();
    assert_true(middle.stored == before.stored);
    assert_true(middle.submission_received == before.submission_received + 5);
    r = post("/v1/submissions", "K0420:f:1", submission("x"));
    assert_int_equal(r->status, 201);
    assert_false(r->replay);

    /* count -1 lasts until cleared; a path limits it. */
    plan_fault("{\"fault\": \"500\", \"count\": -1, \"path\": \"/v1/heartbeat\"}");
    assert_int_equal(post("/v1/heartbeat", NULL, heartbeat)->status, 500);
    assert_int_equal(post("/v1/heartbeat", NULL, heartbeat)->status, 500);
    assert_int_equal(call(&(request){.path = "/v1/catalog"})->status, 200);
    plan_fault("{\"fault\": \"none\"}");
    assert_int_equal(post("/v1/heartbeat", NULL, heartbeat)->status, 200);

    r = call(&(request){.method = "POST", .path = "/_sim/fault", .body = "{\"fault\": \"x\"}"});
    expect_error(r, 400, "bad-request");
}

static void test_faults_after_commit(void **unused)
{
    (void)unused;
    counts before = stats();
    const char *body = submission("certificate-print");

    plan_fault("{\"fault\": \"reset-after-commit\"}");
    const reply *r = post("/v1/submissions", "K0420:f:2", body);
    assert_int_not_equal(r->code, CURLE_OK);
    assert_int_equal(r->status, 0);
    counts middle = stats();
    assert_true(middle.stored == before.stored + 1);

    /* The retry gets the first answer; the platform holds it once. */
    r = post("/v1/submissions", "K0420:f:2", body);
    assert_int_equal(r->status, 201);
    assert_true(r->replay);
    cJSON *json = json_of(r);
    char tracking[64];
    snprintf(tracking, sizeof tracking, "%s", string_of(json, "tracking_number"));
    cJSON_Delete(json);

    /* truncated-json: committed too, and the answer stops halfway. */
    plan_fault("{\"fault\": \"truncated-json\"}");
    r = post("/v1/submissions", "K0420:f:2", body);
    assert_int_equal(r->code, CURLE_PARTIAL_FILE);
    assert_null(cJSON_ParseWithLength(r->body, r->length));
    assert_true(r->length > 0 && (curl_off_t)r->length < r->content_length);

    r = post("/v1/submissions", "K0420:f:2", body);
    json = json_of(r);
    assert_string_equal(string_of(json, "tracking_number"), tracking);
    cJSON_Delete(json);

    counts after = stats();
    assert_true(after.stored == before.stored + 1);
    assert_true(after.submission_stored == before.submission_stored + 1);
    assert_true(after.submission_received == before.submission_received + 4);
    assert_true(after.submission_duplicates == before.submission_duplicates + 3);
}

static void test_slow_faults(void **unused)
{
    (void)unused;
    /* hang: nothing comes back; the client's own time-out ends it. */
    plan_fault("{\"fault\": \"hang\"}");
    const reply *r = call(&(request){.path = "/v1/catalog", .timeout_ms = 300});
    assert_int_equal(r->code, CURLE_OPERATION_TIMEDOUT);
    assert_int_equal(r->status, 0);

    /* trickle: a second between bytes. Two bytes are enough to see it. */
    plan_fault("{\"fault\": \"trickle\"}");
    r = call(
        &(request){.method = "POST", .path = "/v1/heartbeat", .body = heartbeat, .abort_after = 2});
    assert_int_equal(r->code, CURLE_WRITE_ERROR);
    assert_int_equal(r->status, 200);
    assert_true(r->second_byte_ms - r->first_byte_ms >= 900);

    /* huge-body: 64 MiB announced; a client with a 4 MiB cap stops early. */
    plan_fault("{\"fault\": \"huge-body\"}");
    r = call(&(request){.path = "/v1/catalog", .abort_after = 4 * 1024 * 1024 + 1});
    assert_int_equal(r->code, CURLE_WRITE_ERROR);
    assert_int_equal(r->status, 200);
    assert_true(r->content_length == (curl_off_t)64 * 1024 * 1024);

    /* Each was one request: the next is answered. */
    assert_int_equal(call(&(request){.path = "/v1/catalog"})->status, 200);
}

static void test_stats_count(void **unused)
{
    (void)unused;
    counts before = stats();
    post("/v1/heartbeat", NULL, heartbeat);
    call(&(request){.path = "/v1/catalog"});
    post("/v1/submissions", "K0420:stats:1", submission("x"));
    post("/v1/submissions", "K0420:stats:1", submission("x"));
    post("/v1/submissions", "K0420:stats:2", submission("x"));
    counts after = stats();
    assert_true(after.received == before.received + 5);
    assert_true(after.stored == before.stored + 2);
    assert_true(after.duplicates == before.duplicates + 1);
    assert_true(after.submission_received == before.submission_received + 3);
}

/* ---- batches -------------------------------------------------------------- */

/* The bodies submission() makes, as literals for tables of batch items. */
#define SUBMISSION(service)                                                                        \
    "{\"kind\": \"submission\", \"service\": \"" service "\", \"created_at\": "                    \
    "\"2026-11-22T09:30:00Z\", \"payload\": {\"answer\": 42}}"
#define RATING     "{\"tracking_number\": \"GD20261122000001\", \"level\": 4, \"comment\": \"\"}"
#define STAFF_CALL "{\"reason\": \"paper-out\", \"screen\": \"print\"}"

typedef struct batch_item {
    const char *path, *key, *body;
} batch_item;

/* POSTs {"items": [...]}, each body travelling as a JSON string. */
static const reply *post_envelope(const batch_item *items, size_t count)
{
    cJSON *envelope = cJSON_CreateObject(), *array = cJSON_AddArrayToObject(envelope, "items");
    for (size_t i = 0; i < count; i++) {
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "path", items[i].path);
        cJSON_AddStringToObject(item, "idempotency_key", items[i].key);
        cJSON_AddStringToObject(item, "body", items[i].body);
        cJSON_AddItemToArray(array, item);
    }
    char *text = cJSON_PrintUnformatted(envelope);
    cJSON_Delete(envelope);
    const reply *r = post("/v1/batch", NULL, text);
    free(text);
    return r;
}

/* A batch answered 200 with one result per item, in order: the results. */
static cJSON *post_batch(const batch_item *items, size_t count)
{
    const reply *r = post_envelope(items, count);
    assert_int_equal(r->status, 200);
    cJSON *json = json_of(r), *results = cJSON_DetachItemFromObject(json, "results");
    cJSON_Delete(json);
    assert_int_equal(cJSON_GetArraySize(results), (int)count);
    for (size_t i = 0; i < count; i++)
        assert_string_equal(string_of(cJSON_GetArrayItem(results, (int)i), "idempotency_key"),
                            items[i].key);
    return results;
}

/* Result i's body, once its status and replay mark are as expected. */
static const cJSON *result_body(const cJSON *results, int i, long status, bool replay)
{
    const cJSON *result = cJSON_GetArrayItem(results, i);
    assert_int_equal((long)number_of(result, "status"), status);
    assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(result, "replay")), replay);
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(result, "body");
    assert_true(cJSON_IsObject(body));
    return body;
}

static void test_batch_stores_each_once_then_replays(void **unused)
{
    (void)unused;
    counts before = stats();
    /* One record travelled singly before: the batch gives its first answer. */
    const reply *r = post("/v1/submissions", "K0420:b2:submit", SUBMISSION("housing-fund-query"));
    assert_int_equal(r->status, 201);
    cJSON *single = json_of(r);
    const batch_item items[] = {
        {"/v1/submissions", "K0420:b1:submit", SUBMISSION("social-insurance-query")},
        {"/v1/ratings", "K0420:b1:rate", RATING},
        {"/v1/staff-calls", "K0420:b1:help", STAFF_CALL},
        {"/v1/submissions", "K0420:b2:submit", SUBMISSION("housing-fund-query")},
    };
    cJSON *first = post_batch(items, 4);
    const char *tracking = string_of(result_body(first, 0, 201, false), "tracking_number");
    assert_true(strlen(tracking) == 16 && strncmp(tracking, "GD", 2) == 0);
    assert_true(cJSON_Compare(result_body(first, 3, 201, true), single, true));
    counts middle = stats();
    assert_true(middle.stored == before.stored + 4 && middle.received == before.received + 5);
    assert_true(middle.submission_stored == before.submission_stored + 2);
    assert_true(middle.duplicates == before.duplicates + 1 && middle.batches == before.batches + 1);

    /* The same batch again: every first answer again, nothing stored twice. */
    cJSON *again = post_batch(items, 4);
    for (int i = 0; i < 4; i++)
        assert_true(cJSON_Compare(result_body(again, i, 201, true),
                                  result_body(first, i, 201, i == 3), true));
    /* A record that came first in a batch, then singly: its first answer. */
    r = post("/v1/ratings", "K0420:b1:rate", RATING);
    assert_true(r->status == 201 && r->replay);
    cJSON *rating = json_of(r);
    assert_true(cJSON_Compare(result_body(first, 1, 201, false), rating, true));
    counts after = stats();
    assert_true(after.stored == middle.stored && after.received == middle.received + 5);
    assert_true(after.duplicates == middle.duplicates + 5);
    assert_true(after.submission_duplicates == middle.submission_duplicates + 2);
    char path[64];
    snprintf(path, sizeof path, "/v1/submissions/%s", tracking);
    assert_int_equal(call(&(request){.path = path})->status, 200);
    cJSON_Delete(single);
    cJSON_Delete(rating);
    cJSON_Delete(first);
    cJSON_Delete(again);
}

static void test_batch_item_errors_stay_in_their_results(void **unused)
{
    (void)unused;
    assert_int_equal(post("/v1/submissions", "K0420:b4:submit", SUBMISSION("a"))->status, 201);
    counts before = stats();
    const batch_item items[] = {
        {"/v1/submissions", "K0420:b4:submit", SUBMISSION("b")}, /* another body: 409 */
        {"/v1/submissions", "K0420:b5:submit", SUBMISSION("c")},
        {"/v1/ratings", "K0420:b5:rate", "{\"tracking_number\": \"GD1\", \"level\": 6}"},
        {"/v1/staff-calls", "", STAFF_CALL}, /* no key */
        {"/v1/staff-calls", "K0420:b5:help", "{\"reason\": "},
        {"/v1/staff-calls", "K0420:b5:help-2", STAFF_CALL},
    };
    cJSON *results = post_batch(items, 6);
    static const long expected[] = {409, 201, 400, 400, 400, 201};
    for (int i = 0; i < 6; i++) {
        const cJSON *body = result_body(results, i, expected[i], false);
        if (expected[i] != 201)
            assert_string_equal(string_of(body, "error"),
                                expected[i] == 409 ? "idempotency-conflict" : "bad-request");
    }
    cJSON_Delete(results);
    counts after = stats();
    assert_true(after.stored == before.stored + 2 && after.received == before.received + 6);
    assert_true(after.conflicts == before.conflicts + 1);
    /* A bad item's key stays free. */
    const reply *r = post("/v1/ratings", "K0420:b5:rate", RATING);
    assert_true(r->status == 201 && !r->replay);
}

static void test_batch_envelope_errors_store_nothing(void **unused)
{
    (void)unused;
    static const char *const bad[] = {
        "not json",
        "{\"items\": {}}",
        "{\"items\": []}",
        "{\"items\": [3]}",
        "{\"items\": [{\"path\": \"/v1/ratings\", \"idempotency_key\": \"K0420:b6:1\"}]}",
        "{\"items\": [{\"path\": \"/v1/ratings\", \"idempotency_key\": 1, \"body\": \"{}\"}]}",
        "{\"items\": [{\"path\": \"/v1/ratings\", \"idempotency_key\": \"k\", \"body\": {}}]}"};
    counts before = stats();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_error(post("/v1/batch", NULL, bad[i]), 400, "bad-request");
    /* A good item does not save a batch with a bad one; 257 is one too many. */
    batch_item items[257];
    char keys[257][32];
    for (int i = 0; i < 257; i++) {
        snprintf(keys[i], sizeof keys[i], "K0420:b7:%d", i);
        items[i] = (batch_item){"/v1/staff-calls", keys[i], STAFF_CALL};
    }
    items[1].path = "/v1/batch";
    expect_error(post_envelope(items, 2), 400, "bad-request");
    items[1].path = "/v1/staff-calls";
    expect_error(post_envelope(items, 257), 400, "bad-request");
    expect_error(call(&(request){.path = "/v1/batch"}), 405, "bad-request");
    counts after = stats();
    assert_true(after.stored == before.stored && after.received == before.received);
    assert_true(after.batches == before.batches + sizeof bad / sizeof bad[0] + 2);

    /* 256 is the most: all of them first answers, as nothing was kept. */
    cJSON *results = post_batch(items, 256);
    for (int i = 0; i < 256; i++)
        result_body(results, i, 201, false);
    cJSON_Delete(results);
    assert_true(stats().stored == before.stored + 256);
}

static void test_batch_faults(void **unused)
{
    (void)unused;
    const batch_item items[] = {
        {"/v1/submissions", "K0420:b8:submit", SUBMISSION("certificate-print")},
        {"/v1/ratings", "K0420:b8:rate", RATING},
        {"/v1/staff-calls", "K0420:b8:help", STAFF_CALL},
    };
    counts before = stats();
    /* Planned for /v1/batch, a fault takes a batch as it takes any call. */
    plan_fault("{\"fault\": \"503\", \"path\": \"/v1/batch\"}");
    expect_error(post_envelope(items, 3), 503, "unavailable");
    assert_true(stats().stored == before.stored);

    plan_fault("{\"fault\": \"reset-after-commit\", \"path\": \"/v1/batch\"}");
    const reply *r = post_envelope(items, 3);
    assert_true(r->code != CURLE_OK && r->status == 0);
    assert_true(stats().stored == before.stored + 3);

    /* The retry gets every first answer; each is held once. */
    cJSON *results = post_batch(items, 3);
    for (int i = 0; i < 3; i++)
        result_body(results, i, 201, true);
    cJSON_Delete(results);
    counts after = stats();
    assert_true(after.stored == before.stored + 3 && after.received == before.received + 9);
    assert_true(after.duplicates == before.duplicates + 3);
}

/* ---- server certificates -------------------------------------------------- */

static void expect_certificate_refused(const char *name)
{
    sim_stop();
    sim_start(name);
    const reply *r = call(&(request){.path = "/v1/catalog"});
    if (r->code != CURLE_PEER_FAILED_VERIFICATION && r->code != 51)
        fail_msg("--server-cert %s: curl said %d (%s), not 60 or 51", name, (int)r->code,
                 curl_easy_strerror(r->code));
    assert_int_equal(r->status, 0);
}

static void test_bad_server_certificates(void **unused)
{
    (void)unused;
    expect_certificate_refused("expired");
    expect_certificate_refused("wrong-host");
    expect_certificate_refused("unknown-ca");
    /* The state outlives restarts: a replay still finds its first answer. */
    sim_stop();
    sim_start(NULL);
    const reply *r = post("/v1/submissions", "K0420:stats:1", submission("x"));
    assert_int_equal(r->status, 201);
    assert_true(r->replay);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heartbeat_answers),
        cmocka_unit_test(test_catalog_then_not_modified),
        cmocka_unit_test(test_submission_once),
        cmocka_unit_test(test_ratings_and_staff_calls),
        cmocka_unit_test(test_requests_that_can_never_be_accepted),
        cmocka_unit_test(test_identity_refused),
        cmocka_unit_test(test_faults_answer_instead),
        cmocka_unit_test(test_faults_after_commit),
        cmocka_unit_test(test_slow_faults),
        cmocka_unit_test(test_stats_count),
        cmocka_unit_test(test_batch_stores_each_once_then_replays),
        cmocka_unit_test(test_batch_item_errors_stay_in_their_results),
        cmocka_unit_test(test_batch_envelope_errors_store_nothing),
        cmocka_unit_test(test_batch_faults),
        cmocka_unit_test(test_bad_server_certificates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
