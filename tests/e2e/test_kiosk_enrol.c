/* Certificate enrolment with the real kiosk binary, its admin socket and
 * kioskctl, against the real stand-in over mutual TLS (docs/technician.md,
 * "The client certificate"): kioskctl cert status shows the development
 * certificate (30 days: renew soon); cert enrol CODE with a code the
 * platform issued installs a new one (the kiosk's next call presents it, its
 * expiry and serial change in cert status); the same code again is refused
 * and nothing changes; and the code is nowhere in the kiosk's log. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

#define CODE "K7M2Q9X4"

static char admin_socket[108];
static char kiosk_log[1200];
static char client_cert[1200];
static char out[1 << 16], err[1 << 14];

static int ctl(const char *a, const char *b, const char *c, const char *d)
{
    static char binary[1100];
    snprintf(binary, sizeof binary, "%sctl", test_kiosk_binary());
    const char *argv[] = {binary, "--socket", admin_socket, a, b, c, d, NULL};
    out[0] = err[0] = '\0';
    return test_run(argv, err, sizeof err, out, sizeof out);
}

/* kioskctl --json cert status: its data. */
static cJSON *cert_status(void)
{
    assert_int_equal(ctl("--json", "cert", "status", NULL), 0);
    cJSON *answer = cJSON_Parse(out);
    if (!answer)
        fail_msg("no JSON: %s", out);
    cJSON *data = cJSON_DetachItemFromObject(answer, "data");
    cJSON_Delete(answer);
    assert_non_null(data);
    return data;
}

static const char *text_or(const cJSON *item)
{
    return cJSON_IsString(item) ? item->valuestring : "";
}

static int days_left(const cJSON *status)
{
    return cJSON_GetObjectItem(status, "days_left")->valueint;
}

static const char *serial_of(const cJSON *status)
{
    const cJSON *serial = cJSON_GetObjectItem(status, "serial");
    assert_true(cJSON_IsString(serial));
    return serial->valuestring;
}

/* The kiosk on a development board pointed at p, its client pair a copy of
 * K0420's in its own folder (enrolment replaces it), kioskctl's socket in
 * /tmp, logging at info into kiosk_log. */
static void start_kiosk(const platform *p, kiosk_proc *k)
{
    kiosk_board(p, k);
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", k->board);
    *strrchr(dir, '/') = '\0';
    char from[1100], key[1200];
    cert_path(from, sizeof from, "client.crt");
    snprintf(client_cert, sizeof client_cert, "%s",
             test_write_file(dir, "client.crt", test_read_file(from)));
    cert_path(from, sizeof from, "client.key");
    snprintf(key, sizeof key, "%s", test_write_file(dir, "client.key", test_read_file(from)));
    assert_int_equal(chmod(key, 0600), 0);
    static int kiosks;
    snprintf(admin_socket, sizeof admin_socket, "/tmp/kiosk-enrol-%d-%d.sock", (int)getpid(),
             ++kiosks);
    snprintf(kiosk_log, sizeof kiosk_log, "%s/kiosk.log", dir);

    char *text = strdup(test_read_file(k->board));
    char was[1200], now[1300];
    snprintf(was, sizeof was, "\"%s/client.crt\"", certs_dir);
    snprintf(now, sizeof now, "\"%s\"", client_cert);
    char *next = strdup(test_replace(text, was, now));
    free(text);
    snprintf(was, sizeof was, "\"%s/client.key\"", certs_dir);
    snprintf(now, sizeof now, "\"%s\"", key);
    text = strdup(test_replace(next, was, now));
    free(next);
    char with[600];
    snprintf(with, sizeof with, "\"idle_timeout_s\": 60,\n  \"admin\": {\"socket\": \"%s\"}",
             admin_socket);
    next = strdup(test_replace(text, "\"idle_timeout_s\": 60", with));
    free(text);
    test_write_file(dir, "board.json", next);
    free(next);

    kiosk_start_logged(k, kiosk_log);
    kiosk_expect(k, "wait attract 5000", "ok attract");
}

/* The rows of the kiosk's audit trail (kioskctl audit verify), intact. */
static long audit_rows(void)
{
    assert_int_equal(ctl("--json", "audit", "verify", NULL), 0);
    cJSON *answer = cJSON_Parse(out);
    const cJSON *data = cJSON_GetObjectItem(answer, "data");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(data, "intact")));
    long rows = (long)cJSON_GetObjectItem(data, "rows")->valuedouble;
    cJSON_Delete(answer);
    return rows;
}

/* The serial of the certificate K0420 last presented to the stand-in. */
static void last_serial(const platform *p, char *serial, size_t size)
{
    cJSON *answer = platform_control(p, "/_sim/enrol", NULL);
    const cJSON *one =
        cJSON_GetObjectItem(cJSON_GetObjectItem(answer, "last_certificate"), "K0420");
    const cJSON *value = cJSON_GetObjectItem(one, "serial");
    snprintf(serial, size, "%s", cJSON_IsString(value) ? value->valuestring : "(none)");
    cJSON_Delete(answer);
}

static void test_kioskctl_enrols_a_new_certificate(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    cJSON *issued = platform_control(&p, "/_sim/enrol", "{\"codes\":[\"" CODE "\"]}");
    assert_int_equal(cJSON_GetObjectItem(issued, "codes_left")->valueint, 1);
    cJSON_Delete(issued);
    kiosk_proc k;
    start_kiosk(&p, &k);

    cJSON *before = cert_status();
    assert_true(days_left(before) >= 28 && days_left(before) <= 30);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(before, "renew_soon")));
    assert_int_equal(ctl("cert", "status", NULL, NULL), 0);
    if (!strstr(out, "renew it now"))
        fail_msg("cert status does not say to renew: %s", out);
    char *old_pem = strdup(test_read_file(client_cert));
    long rows = audit_rows();
    long audit_sent = kind_stat_of(&p, "audit", "received");

    int code = ctl("cert", "enrol", CODE, NULL);
    if (code != 0)
        fail_msg("cert enrol: %d: %s%s", code, out, err);
    if (!strstr(out, "enrolled"))
        fail_msg("cert enrol said: %s", out);
    cJSON *after = cert_status();
    assert_true(days_left(after) >= 364 && days_left(after) <= 365);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(after, "renew_soon")));
    assert_string_not_equal(serial_of(after), serial_of(before));
    assert_true(strlen(serial_of(after)) >= 32);
    assert_non_null(strstr(text_or(cJSON_GetObjectItem(after, "issuer")), "terminal CA"));
    assert_string_not_equal(test_read_file(client_cert), old_pem);
    /* Audited: one row for the enrolment. */
    assert_int_equal(audit_rows(), rows + 1);
    /* The sync thread's calls now present it: the enrolment's audit row
     * goes to the platform after it was installed. */
    for (int i = 0; i < 100 && kind_stat_of(&p, "audit", "received") <= audit_sent; i++)
        usleep(50 * 1000);
    assert_true(kind_stat_of(&p, "audit", "received") > audit_sent);
    char serial[100];
    last_serial(&p, serial, sizeof serial);
    assert_string_equal(serial, serial_of(after));

    /* The same code again: refused; the certificate stays. */
    char *new_pem = strdup(test_read_file(client_cert));
    code = ctl("--json", "cert", "enrol", CODE);
    assert_int_equal(code, 1);
    if (!strstr(out, "code-refused"))
        fail_msg("a used code: %s", out);
    assert_string_equal(test_read_file(client_cert), new_pem);
    assert_int_equal(audit_rows(), rows + 2); /* the refusal is audited too */
    cJSON *again = cert_status();
    assert_string_equal(serial_of(again), serial_of(after));

    kiosk_stop(&k, false);
    /* The code is in no log line: only its last two characters. */
    const char *log = test_read_file(kiosk_log);
    assert_null(strstr(log, CODE));
    assert_non_null(strstr(log, "***X4"));
    if (strstr(log, "Sanitizer") || strstr(log, "runtime error"))
        fail_msg("the kiosk's log has a sanitizer report: %s", kiosk_log);
    cJSON_Delete(before);
    cJSON_Delete(after);
    cJSON_Delete(again);
    free(old_pem);
    free(new_pem);
    stop_platform(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kioskctl_enrols_a_new_certificate),
    };
    return PLATFORM_RUN_TESTS(tests);
}
