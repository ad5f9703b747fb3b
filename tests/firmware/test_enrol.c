/* The terminal's client certificate as the technician sees it: read from a
 * real PEM made by the openssl command (subject, issuer, expiry), days left
 * by the app's clock and renew_soon at 30 days or fewer, shown on the
 * technician's home; no certificate, and a file that is not one. */
#include "../support/test_support.h"

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
    app_destroy(app);

    app = test_app_create(board_with(make_cert(dir, "long", 400)), LANG_ZH_CN);
    assert_int_equal(app_cert_status_get(app, &status), KIOSK_OK);
    assert_false(status.renew_soon);
    assert_true(status.days_left > 400);
    assert_int_equal(app_go(app, APP_SCREEN_TECHNICIAN), KIOSK_OK);
    assert_non_null(strstr(test_text_of(app, "tech.cert"), "到期（还有"));
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
