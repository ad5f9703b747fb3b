/* The terminal's client certificate as the technician sees it: read from a
 * real PEM made by the openssl command (subject, issuer, expiry), days left
 * by the app's clock and renew_soon at 30 days or fewer, shown on the
 * technician's home; no certificate, and a file that is not one. And
 * enrolment against the real stand-in over mutual TLS: a good code installs
 * a certificate the next heartbeat presents; a used code, a wrong one, and
 * every spoiled answer (another key's certificate, a truncated PEM, a
 * captive portal's page, a truncated JSON, 64 MB) replace nothing; one the
 * platform's TLS then refuses is tried and the old pair put back. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include "firmware/app/app_probe.h"
#include "firmware/platform/sync_internal.h"
#include "ui/image.h"

#include "firmware/app/app_platform.h"
#include "firmware/app/app_technician.h"
#include "firmware/app/navigation.h"
#include "firmware/platform/enrol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A self-signed EC certificate for CN K0420 valid days from now; its path. */
static const char *make_cert(const char *dir, const char *name, int days)
{
    static char path[1200];
    char command[4000];
    snprintf(path, sizeof path, "%s/%s.pem", dir, name);
    snprintf(command, sizeof command,
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "
             "%s/%s.key -out %s -days %d -subj '/O=kiosk test/CN=K0420' 2>/dev/null",
             dir, name, path, days);
    assert_int_equal(system(command), 0);
    return path;
}

static void test_a_certificate_is_read(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("enrol-read");
    time_t before = time(NULL);
    const char *path = make_cert(dir, "terminal", 90);
    enrol_cert_info info;
    kiosk_diag diag = {{0}};
    assert_int_equal(enrol_cert_read(path, &info, &diag), KIOSK_OK);
    assert_string_equal(info.subject, "/O=kiosk test/CN=K0420");
    assert_string_equal(info.issuer, "/O=kiosk test/CN=K0420");
    int64_t expected = (int64_t)before + 90 * 86400;
    assert_true(info.not_after_s >= expected - 5 && info.not_after_s <= expected + 60);
    assert_true(info.not_before_s >= before - 5 && info.not_before_s <= before + 60);
}

static void test_no_file_and_no_certificate_are_told_apart(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("enrol-bad");
    enrol_cert_info info;
    kiosk_diag diag = {{0}};
    char missing[1200];
    snprintf(missing, sizeof missing, "%s/none.pem", dir);
    assert_int_equal(enrol_cert_read(missing, &info, &diag), KIOSK_ERR_NOT_FOUND);
    const char *junk = test_write_file(dir, "junk.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n");
    assert_int_equal(enrol_cert_read(junk, &info, &diag), KIOSK_ERR_MALFORMED);
    assert_non_null(strstr(diag.message, "no PEM certificate"));
}

/* A board whose client certificate is path. */
static const char *board_with(const char *path)
{
    char tls[1600];
    snprintf(tls, sizeof tls,
             "\"platform_url\": \"https://127.0.0.1:8443/\",\n  \"platform_tls\": "
             "{\"client_cert\": \"%s\"},",
             path);
    const char *profile = test_read_file(test_board_in_temp("portrait-1080", NULL));
    const char *replaced =
        test_replace(profile, "\"platform_url\": \"https://127.0.0.1:8443/\",", tls);
    static int made;
    char name[32];
    snprintf(name, sizeof name, "enrol-board-%d", made++);
    return test_write_file(test_make_temp_dir(name), "board.json", replaced);
}

/* Days from the app's (fixed) clock to a certificate made now for days. */
static int days_from_test_clock(int days)
{
    return (int)(((int64_t)time(NULL) + (int64_t)days * 86400 - (int64_t)TEST_WALL_TIME) / 86400);
}

static void test_days_left_and_renew_soon(void **state)
{
    (void)state;
    char dir[1100]; /* test_make_temp_dir's buffer is its next call's */
    snprintf(dir, sizeof dir, "%s", test_make_temp_dir("enrol-days"));
    /* The test clock stands before today: choose lengths that fall clearly
     * on either side of 30 days from it. */
    int soon_days = 30 - days_from_test_clock(0) - 5;
    if (soon_days < 1)
        skip(); /* the machine's clock is too far past the test clock */
    kiosk_app *app = test_app_create(board_with(make_cert(dir, "soon", soon_days)), LANG_ZH_CN);
    app_cert_status status;
    assert_int_equal(app_cert_status_get(app, &status), KIOSK_OK);
    assert_true(status.present);
    assert_string_equal(status.subject, "/O=kiosk test/CN=K0420");
    int expected = days_from_test_clock(soon_days);
    assert_true(status.days_left == expected || status.days_left == expected - 1);
    assert_true(status.renew_soon);
    assert_int_equal(app_go(app, APP_SCREEN_TECHNICIAN), KIOSK_OK);
    assert_non_null(strstr(test_text_of(app, "tech.cert"), "请尽快更新"));
    /* Staff read it at the foot of the attract screen too. */
    char note[600], words[64];
    ui_frame_model frame = app_frame_model(app, "");
    app_platform_staff_note(app, &frame, note, sizeof note);
    snprintf(words, sizeof words, "证书将于%d天后到期", status.days_left);
    if (!strstr(note, words))
        fail_msg("staff's line \"%s\" does not say \"%s\"", note, words);
    app_destroy(app);

    app = test_app_create(board_with(make_cert(dir, "long", 400)), LANG_ZH_CN);
    assert_int_equal(app_cert_status_get(app, &status), KIOSK_OK);
    assert_false(status.renew_soon);
    assert_true(status.days_left > 400);
    assert_int_equal(app_go(app, APP_SCREEN_TECHNICIAN), KIOSK_OK);
    assert_non_null(strstr(test_text_of(app, "tech.cert"), "到期（还有"));
    frame = app_frame_model(app, "");
    app_platform_staff_note(app, &frame, note, sizeof note);
    if (strstr(note, "证书将于"))
        fail_msg("staff's line \"%s\" warns of a certificate far from its end", note);
    app_destroy(app);
}

static void test_a_terminal_without_a_certificate_says_so(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    app_cert_status status;
    assert_int_equal(app_cert_status_get(app, &status), KIOSK_OK);
    assert_false(status.present);
    app_destroy(app);
}

static void run(const char *command)
{
    if (system(command) != 0)
        fail_msg("failed: %s", command);
}

/* A CA (name.pem, name.key) in dir. */
static void make_ca(const char *dir, const char *name)
{
    char command[3000];
    snprintf(command, sizeof command,
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "
             "%s/%s.key -out %s/%s.pem -days 30 -subj '/O=kiosk test/CN=%s' 2>/dev/null",
             dir, name, dir, name, name);
    run(command);
}

/* The CA name in dir signs the request text; the certificate's PEM. */
static const char *sign(const char *dir, const char *ca, const char *csr)
{
    test_write_file(dir, "request.csr", csr);
    char command[3000];
    snprintf(command, sizeof command,
             "openssl x509 -req -in %s/request.csr -CA %s/%s.pem -CAkey %s/%s.key "
             "-CAcreateserial -days 20 -out %s/answer.pem 2>/dev/null",
             dir, dir, ca, dir, ca, dir);
    run(command);
    char path[1200];
    snprintf(path, sizeof path, "%s/answer.pem", dir);
    return test_read_file(path);
}

typedef struct paths {
    char dir[1100], new_key[1200], key[1200], cert[1200], ca[1200];
} paths;

static void paths_in(paths *p, const char *name)
{
    snprintf(p->dir, sizeof p->dir, "%s", test_make_temp_dir(name));
    snprintf(p->new_key, sizeof p->new_key, "%s/terminal.key.new", p->dir);
    snprintf(p->key, sizeof p->key, "%s/terminal.key", p->dir);
    snprintf(p->cert, sizeof p->cert, "%s/terminal.pem", p->dir);
    snprintf(p->ca, sizeof p->ca, "%s/platform-ca.pem", p->dir);
    make_ca(p->dir, "platform-ca");
    test_write_file(p->dir, "terminal.key", "the key in use\n");
    test_write_file(p->dir, "terminal.pem", "the certificate in use\n");
}

static void test_a_new_key_and_request_are_made_here(void **state)
{
    (void)state;
    paths p;
    paths_in(&p, "enrol-request");
    char *csr = NULL;
    kiosk_diag diag = {{0}};
    assert_int_equal(enrol_make_request("K0420", p.new_key, &csr, &diag), KIOSK_OK);
    assert_non_null(strstr(csr, "-----BEGIN CERTIFICATE REQUEST-----"));
    struct stat info;
    assert_int_equal(stat(p.new_key, &info), 0);
    assert_int_equal(info.st_mode & 0777, 0600);
    assert_null(strstr(csr, "PRIVATE KEY")); /* the key stays here */
    test_write_file(p.dir, "request.csr", csr);
    char command[4000];
    /* The request is signed by the new key, names the terminal, and carries
     * the new key's public half. */
    snprintf(command, sizeof command,
             "cd %s && openssl req -in request.csr -noout -verify -subject 2>/dev/null "
             "| grep -q 'CN *= *K0420' && openssl req -in request.csr -noout -pubkey > a.pub && "
             "openssl pkey -in terminal.key.new -pubout > b.pub && cmp -s a.pub b.pub",
             p.dir);
    run(command);
    free(csr);
    /* A key already there is never overwritten. */
    assert_int_equal(enrol_make_request("K0420", p.new_key, &csr, &diag), KIOSK_ERR_IO);
    assert_null(csr);
    assert_int_equal(enrol_make_request("", p.new_key, &csr, &diag), KIOSK_ERR_INVALID_ARGUMENT);
}

static void test_the_platforms_certificate_is_installed(void **state)
{
    (void)state;
    paths p;
    paths_in(&p, "enrol-install");
    char *csr = NULL;
    kiosk_diag diag = {{0}};
    assert_int_equal(enrol_make_request("K0420", p.new_key, &csr, &diag), KIOSK_OK);
    char new_key[4000];
    snprintf(new_key, sizeof new_key, "%s", test_read_file(p.new_key));
    char answer[8000];
    snprintf(answer, sizeof answer, "%s", sign(p.dir, "platform-ca", csr));
    free(csr);
    assert_int_equal(enrol_install(answer, p.new_key, p.ca, p.cert, p.key, &diag), KIOSK_OK);
    assert_string_equal(test_read_file(p.cert), answer);
    assert_string_equal(test_read_file(p.key), new_key);
    assert_int_equal(access(p.new_key, F_OK), -1);
    enrol_cert_info info;
    assert_int_equal(enrol_cert_read(p.cert, &info, &diag), KIOSK_OK);
    assert_string_equal(info.subject, "/CN=K0420");
}

/* What must never be installed: nothing in use changes, the new key goes. */
static void refused(const paths *p, const char *answer, const char *why)
{
    kiosk_diag diag = {{0}};
    assert_int_equal(enrol_install(answer, p->new_key, p->ca, p->cert, p->key, &diag),
                     KIOSK_ERR_MALFORMED);
    if (!strstr(diag.message, why))
        fail_msg("\"%s\" does not say \"%s\"", diag.message, why);
    assert_string_equal(test_read_file(p->cert), "the certificate in use\n");
    assert_string_equal(test_read_file(p->key), "the key in use\n");
    assert_int_equal(access(p->new_key, F_OK), -1);
}

static void test_a_wrong_answer_replaces_nothing(void **state)
{
    (void)state;
    paths p;
    paths_in(&p, "enrol-refuse");
    kiosk_diag diag = {{0}};
    char *csr = NULL, *other_csr = NULL;
    char other_key[1300];
    snprintf(other_key, sizeof other_key, "%s/other.key", p.dir);
    assert_int_equal(enrol_make_request("K0420", other_key, &other_csr, &diag), KIOSK_OK);
    char answer[8000];
    /* A certificate for another key. */
    snprintf(answer, sizeof answer, "%s", sign(p.dir, "platform-ca", other_csr));
    free(other_csr);
    assert_int_equal(enrol_make_request("K0420", p.new_key, &csr, &diag), KIOSK_OK);
    refused(&p, answer, "another key");
    free(csr);
    /* A certificate for our key from a CA that is not the platform's. */
    make_ca(p.dir, "stranger-ca");
    assert_int_equal(enrol_make_request("K0420", p.new_key, &csr, &diag), KIOSK_OK);
    snprintf(answer, sizeof answer, "%s", sign(p.dir, "stranger-ca", csr));
    free(csr);
    refused(&p, answer, "platform's CA");
    /* No certificate at all. */
    assert_int_equal(enrol_make_request("K0420", p.new_key, &csr, &diag), KIOSK_OK);
    free(csr);
    refused(&p, "{\"error\": \"forbidden\"}", "no certificate");
    /* Our key, the right CA, another terminal's name. */
    assert_int_equal(enrol_make_request("K0999", p.new_key, &csr, &diag), KIOSK_OK);
    snprintf(answer, sizeof answer, "%s", sign(p.dir, "platform-ca", csr));
    free(csr);
    assert_int_equal(enrol_install_for("K0420", answer, p.new_key, p.ca, p.cert, p.key, &diag),
                     KIOSK_ERR_MALFORMED);
    assert_non_null(strstr(diag.message, "another terminal"));
    assert_string_equal(test_read_file(p.cert), "the certificate in use\n");
    assert_int_equal(access(p.new_key, F_OK), -1);
}

/* ---- enrolment against the stand-in --------------------------------------- */

typedef struct terminal {
    char dir[1100], cert[1200], key[1200], ca[1200], url[128];
    enrol_config config;
} terminal;

/* K0420's development pair copied where enrolment may replace it. */
static void terminal_for(const platform *p, terminal *t, const char *name)
{
    snprintf(t->dir, sizeof t->dir, "%s", test_make_temp_dir(name));
    char from[1100];
    cert_path(from, sizeof from, "client.crt");
    snprintf(t->cert, sizeof t->cert, "%s",
             test_write_file(t->dir, "client.crt", test_read_file(from)));
    cert_path(from, sizeof from, "client.key");
    snprintf(t->key, sizeof t->key, "%s",
             test_write_file(t->dir, "client.key", test_read_file(from)));
    assert_int_equal(chmod(t->key, 0600), 0);
    cert_path(t->ca, sizeof t->ca, "platform-ca.crt");
    snprintf(t->url, sizeof t->url, "https://127.0.0.1:%d/", p->port);
    t->config = (enrol_config){.url = t->url,
                               .ca_file = t->ca,
                               .client_cert = t->cert,
                               .client_key = t->key,
                               .terminal_id = "K0420",
                               .timeout_ms = 5000,
                               .firmware_version = "test"};
}

static sync_client *sync_for(const terminal *t)
{
    sync_config config = {.platform_url = t->url,
                          .ca_file = t->ca,
                          .client_cert = t->cert,
                          .client_key = t->key,
                          .terminal_id = "K0420",
                          .firmware_version = "test",
                          .connect_timeout_ms = 2000,
                          .total_timeout_ms = 3000,
                          .backoff_base_ms = 10,
                          .backoff_cap_ms = 50};
    static seal_key key_bytes;
    memset(key_bytes.bytes, 7, sizeof key_bytes.bytes);
    char db[1200];
    snprintf(db, sizeof db, "%s/outbox.db", t->dir);
    cache_options store = {.path = db, .key = &key_bytes};
    sync_client *client = NULL;
    kiosk_diag diag = {{0}};
    if (sync_create(&config, &store, &client, &diag) != KIOSK_OK)
        fail_msg("sync_create: %s", diag.message);
    return client;
}

/* What the stand-in last saw of K0420: its certificate's field ("serial",
 * "sha256"), copied to out; or its certificate_days_left (-1000: none). */
static void last_seen(const platform *p, const char *field, char *out, size_t size)
{
    cJSON *answer = platform_control(p, "/_sim/enrol", NULL);
    const cJSON *one = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(answer, "last_certificate"), "K0420");
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(one, field);
    if (cJSON_IsString(value))
        snprintf(out, size, "%s", value->valuestring);
    else if (cJSON_IsNumber(value))
        snprintf(out, size, "%d", value->valueint);
    else
        snprintf(out, size, "(none)");
    cJSON_Delete(answer);
}

static void issue(const platform *p, const char *body)
{
    cJSON *answer = platform_control(p, "/_sim/enrol", body);
    assert_non_null(answer);
    assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(answer, "codes_left")));
    cJSON_Delete(answer);
}

static void heartbeat(sync_client *client)
{
    long retry;
    assert_int_equal(sync_heartbeat(client, &retry), SYNC_DELIVERED);
}

static bool exists(const char *path, const char *suffix)
{
    char name[1300];
    snprintf(name, sizeof name, "%s%s", path, suffix);
    return access(name, F_OK) == 0;
}

static void test_a_good_code_installs_what_the_next_heartbeat_presents(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    terminal t;
    terminal_for(&p, &t, "enrol-good");
    sync_client *client = sync_for(&t);
    heartbeat(client);
    char before[100], after[100], serial[100], days[32];
    last_seen(&p, "sha256", before, sizeof before);
    assert_int_equal(strlen(before), 64);
    last_seen(&p, "certificate_days_left", days, sizeof days);
    assert_true(atoi(days) >= 28 && atoi(days) <= 30); /* dev-certs: 30 days */
    char *old_cert = strdup(test_read_file(t.cert)), *old_key = strdup(test_read_file(t.key));

    issue(&p, "{\"codes\":[\"7Q4K9M2P\"]}");
    enrol_cert_info info;
    kiosk_diag diag = {{0}};
    enrol_outcome outcome = enrol_run(&t.config, "7Q4K9M2P", &info, &diag);
    if (outcome != ENROL_INSTALLED)
        fail_msg("%s: %s", enrol_outcome_name(outcome), diag.message);
    assert_string_not_equal(test_read_file(t.cert), old_cert);
    assert_string_not_equal(test_read_file(t.key), old_key);
    assert_non_null(strstr(test_read_file(t.key), "PRIVATE KEY"));
    struct stat key_file;
    assert_int_equal(stat(t.key, &key_file), 0);
    assert_int_equal(key_file.st_mode & 0777, 0600);
    /* It worked: nothing left beside it. */
    assert_false(exists(t.cert, ".old") || exists(t.key, ".old") || exists(t.key, ".new"));
    assert_string_equal(info.subject, "/CN=K0420");
    assert_non_null(strstr(info.issuer, "terminal CA"));
    int64_t year = (int64_t)time(NULL) + 365 * 86400LL;
    assert_true(info.not_after_s > year - 120 && info.not_after_s <= year + 60);

    /* The sync client's next heartbeat presents the new certificate. */
    heartbeat(client);
    last_seen(&p, "sha256", after, sizeof after);
    last_seen(&p, "serial", serial, sizeof serial);
    assert_string_not_equal(after, before);
    assert_string_equal(serial, info.serial);
    last_seen(&p, "certificate_days_left", days, sizeof days);
    assert_true(atoi(days) >= 364 && atoi(days) <= 365);

    /* The same code again: refused, and nothing replaced. */
    char *installed = strdup(test_read_file(t.cert));
    outcome = enrol_run(&t.config, "7Q4K9M2P", &info, &diag);
    assert_int_equal(outcome, ENROL_CODE_REFUSED);
    assert_string_equal(test_read_file(t.cert), installed);
    assert_false(exists(t.key, ".new"));
    /* A code never issued. */
    assert_int_equal(enrol_run(&t.config, "AAAA1111", &info, &diag), ENROL_CODE_REFUSED);
    assert_string_equal(test_read_file(t.cert), installed);
    /* One that cannot be a code is not sent. */
    assert_int_equal(enrol_run(&t.config, "7q4k 9m2p", &info, &diag), ENROL_LOCAL);
    assert_int_equal(enrol_run(&t.config, "", &info, &diag), ENROL_LOCAL);
    heartbeat(client);
    last_seen(&p, "sha256", before, sizeof before);
    assert_string_equal(before, after);
    free(installed);
    free(old_cert);
    free(old_key);
    sync_destroy(client);
    stop_platform(&p);
}

/* An enrolment whose answer is spoiled: outcome, and nothing replaced. */
static void spoiled(const platform *p, const terminal *t, const char *code, enrol_outcome expected,
                    const char *says)
{
    char *cert = strdup(test_read_file(t->cert)), *key = strdup(test_read_file(t->key));
    enrol_cert_info info;
    kiosk_diag diag = {{0}};
    enrol_outcome outcome = enrol_run(&t->config, code, &info, &diag);
    if (outcome != expected || !strstr(diag.message, says))
        fail_msg("%s: got %s \"%s\", not %s \"%s\"", code, enrol_outcome_name(outcome),
                 diag.message, enrol_outcome_name(expected), says);
    assert_string_equal(test_read_file(t->cert), cert);
    assert_string_equal(test_read_file(t->key), key);
    assert_false(exists(t->key, ".new") || exists(t->cert, ".old") || exists(t->cert, ".chain"));
    free(cert);
    free(key);
    (void)p;
}

static void test_a_spoiled_answer_replaces_nothing(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    terminal t;
    terminal_for(&p, &t, "enrol-spoiled");
    issue(&p, "{\"codes\":[\"CODE0001\",\"CODE0002\",\"CODE0003\",\"CODE0004\",\"CODE0005\","
              "\"CODE0006\"],\"answer\":\"other-key\"}");
    spoiled(&p, &t, "CODE0001", ENROL_WRONG_CERT, "another key");
    issue(&p, "{\"answer\":\"truncated-pem\"}");
    spoiled(&p, &t, "CODE0002", ENROL_WRONG_CERT, "no certificate");
    issue(&p, "{\"answer\":\"good\"}");
    set_fault_on(&p, "captive-portal", "/v1/enrol", 1);
    spoiled(&p, &t, "CODE0003", ENROL_BAD_ANSWER, "captive portal");
    set_fault_on(&p, "truncated-json", "/v1/enrol", 1);
    spoiled(&p, &t, "CODE0004", ENROL_NO_ANSWER, "no answer");
    set_fault_on(&p, "huge-body", "/v1/enrol", 1);
    spoiled(&p, &t, "CODE0005", ENROL_BAD_ANSWER, "over 64 KiB");
    /* A certificate that passes every check here but that the platform's
     * TLS does not take: installed, tried, and the old pair put back. */
    issue(&p, "{\"answer\":\"unknown-ca\"}");
    spoiled(&p, &t, "CODE0006", ENROL_NOT_WORKING, "the old one is back in use");
    /* And the old pair still works. */
    sync_client *client = sync_for(&t);
    heartbeat(client);
    sync_destroy(client);
    stop_platform(&p);
}

/* The screen as a PNG in build/test-output/, to look at. */
static void save_screen(kiosk_app *app, const char *name)
{
    char dir[1100], path[1300];
    snprintf(dir, sizeof dir, "%s/build/test-output", test_source_dir());
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    SDL_Surface *shot = NULL;
    kiosk_diag diag = {{0}};
    assert_int_equal(app_capture(app, &shot), KIOSK_OK);
    assert_int_equal(ui_image_save_png(shot, path, &diag), KIOSK_OK);
    SDL_FreeSurface(shot);
}

static bool tappable(kiosk_app *app, const char *id)
{
    ui_widget *widget = ui_widget_find(app_root(app), id);
    assert_non_null(widget);
    return (widget->flags & UI_FLAG_TAPPABLE) != 0;
}

static void type_code(kiosk_app *app, const char *code)
{
    for (const char *c = code; *c; c++) {
        char id[40];
        snprintf(id, sizeof id, "tech.cert.key.%c", *c);
        test_tap(app, id);
    }
}

static void test_the_technician_renews_on_the_certificate_screen(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    terminal t;
    terminal_for(&p, &t, "enrol-screen");
    char tls[4000];
    snprintf(tls, sizeof tls,
             "\"platform_url\": \"%s\",\n  \"platform_tls\": {\"ca_file\": \"%s\", "
             "\"client_cert\": \"%s\", \"client_key\": \"%s\"},",
             t.url, t.ca, t.cert, t.key);
    const char *profile = test_read_file(test_board_in_temp("portrait-1080", NULL));
    const char *board = test_write_file(
        t.dir, "board.json",
        test_replace(profile, "\"platform_url\": \"https://127.0.0.1:8443/\",", tls));
    issue(&p, "{\"codes\":[\"R8T3W6Y1\"]}");
    kiosk_app *app = test_app_create(board, LANG_ZH_CN);
    assert_int_equal(app_go(app, APP_SCREEN_TECHNICIAN), KIOSK_OK);
    test_tap(app, "tech.menu.cert");
    assert_string_equal(app_screen_name(app), "tech_cert");
    app_cert_status before;
    assert_int_equal(app_cert_status_get(app, &before), KIOSK_OK);
    assert_non_null(strstr(test_text_of(app, "tech.cert.serial"), before.serial));
    assert_non_null(strstr(test_text_of(app, "tech.cert.issuer"), "terminal CA"));
    assert_string_equal(test_text_of(app, "tech.cert.code"), "还没输入登记码");
    /* No code, or one too short: 提交 takes no touch. */
    assert_false(tappable(app, "tech.cert.send"));
    type_code(app, "R8T");
    assert_string_equal(test_text_of(app, "tech.cert.code"), "R8T");
    assert_false(tappable(app, "tech.cert.send"));
    type_code(app, "3W6Y1Z");
    test_tap(app, "tech.cert.key.delete");
    assert_string_equal(test_text_of(app, "tech.cert.code"), "R8T3W6Y1");
    assert_true(tappable(app, "tech.cert.send"));
    save_screen(app, "tech_cert_typed");
    test_tap(app, "tech.cert.send");
    test_wait_text(app, "tech.cert.outcome", "新证书已装好并已启用");
    app_cert_status after;
    assert_int_equal(app_cert_status_get(app, &after), KIOSK_OK);
    assert_string_not_equal(after.serial, before.serial);
    assert_non_null(strstr(test_text_of(app, "tech.cert.serial"), after.serial));
    /* The code was sent and is not kept on the screen. */
    assert_string_equal(test_text_of(app, "tech.cert.code"), "还没输入登记码");
    save_screen(app, "tech_cert_installed");

    /* The same code again: the technician reads why, nothing changes. */
    type_code(app, "R8T3W6Y1");
    test_tap(app, "tech.cert.send");
    test_wait_text(app, "tech.cert.outcome",
                   "平台不认这个登记码（没发过，或已用过）：请向平台要新码");
    app_cert_status again;
    assert_int_equal(app_cert_status_get(app, &again), KIOSK_OK);
    assert_string_equal(again.serial, after.serial);
    save_screen(app, "tech_cert_refused");
    test_tap(app, "tech.cert.key.A");
    test_tap(app, "tech.cert.key.clear");
    assert_string_equal(test_text_of(app, "tech.cert.code"), "还没输入登记码");
    app_destroy(app);
    stop_platform(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_certificate_is_read),
        cmocka_unit_test(test_no_file_and_no_certificate_are_told_apart),
        cmocka_unit_test(test_days_left_and_renew_soon),
        cmocka_unit_test(test_a_terminal_without_a_certificate_says_so),
        cmocka_unit_test(test_a_new_key_and_request_are_made_here),
        cmocka_unit_test(test_the_platforms_certificate_is_installed),
        cmocka_unit_test(test_a_wrong_answer_replaces_nothing),
        cmocka_unit_test(test_a_good_code_installs_what_the_next_heartbeat_presents),
        cmocka_unit_test(test_a_spoiled_answer_replaces_nothing),
        cmocka_unit_test(test_the_technician_renews_on_the_certificate_screen),
    };
    return PLATFORM_RUN_TESTS(tests);
}
