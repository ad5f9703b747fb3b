/* Network diagnosis against the real platform stand-in over mutual TLS
 * (every step passes, the platform certificate's subject and issuer read
 * off the handshake), a device clock an hour slow (the clock step fails), a
 * port nobody listens on (TCP refused), an unknown host (DNS fails), a
 * certificate from another CA (TLS fails), and the worker thread that
 * reports the result. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include "firmware/app/app_technician.h"
#include "firmware/app/navigation.h"
#include "firmware/base/log.h"
#include "firmware/platform/netdiag.h"

#include "ui/image.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char url[128], ca[1100], cert[1100], key[1100];

static netdiag_config config_for(int port)
{
    snprintf(url, sizeof url, "https://127.0.0.1:%d/", port);
    cert_path(ca, sizeof ca, "platform-ca.crt");
    cert_path(cert, sizeof cert, "client.crt");
    cert_path(key, sizeof key, "client.key");
    return (netdiag_config){.url = url,
                            .ca_file = ca,
                            .client_cert = cert,
                            .client_key = key,
                            .terminal_id = "K0420",
                            .timeout_ms = 3000};
}

static void test_every_step_passes_against_the_platform(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    netdiag_config config = config_for(p.port);
    netdiag_result result;
    assert_int_equal(netdiag_run(&config, &result), KIOSK_OK);
    for (int i = 0; i < NETDIAG_STEP_COUNT; i++) {
        printf("%-6s %s %4ld ms %s %s\n", netdiag_step_name((netdiag_step)i),
               result.steps[i].verdict == NETDIAG_PASS ? "pass" : "FAIL", result.steps[i].ms,
               result.steps[i].why, result.steps[i].detail);
        assert_int_equal(result.steps[i].verdict, NETDIAG_PASS);
    }
    assert_string_equal(result.host, "127.0.0.1");
    assert_int_equal(result.port, p.port);
    assert_string_equal(result.addresses, "127.0.0.1");
    assert_int_equal(result.http_status, 200);
    printf("subject %s\nissuer %s\nexpires %s\nclock offset %lld s\n", result.cert_subject,
           result.cert_issuer, result.cert_expiry, (long long)result.clock_offset_s);
    assert_true(result.cert_subject[0] && result.cert_issuer[0] && result.cert_expiry[0]);
    assert_string_not_equal(result.cert_subject, result.cert_issuer);
    assert_true(result.clock_known);
    assert_true(result.clock_offset_s >= -5 && result.clock_offset_s <= 5);
    stop_platform(&p);
}

static time_t an_hour_slow(void)
{
    return time(NULL) - 3600;
}

static void test_a_device_clock_an_hour_slow_fails_the_clock_step(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    netdiag_config config = config_for(p.port);
    config.wall = an_hour_slow;
    netdiag_result result;
    assert_int_equal(netdiag_run(&config, &result), KIOSK_OK);
    assert_int_equal(result.steps[NETDIAG_ANSWER].verdict, NETDIAG_PASS);
    assert_int_equal(result.steps[NETDIAG_CLOCK].verdict, NETDIAG_FAIL);
    assert_string_equal(result.steps[NETDIAG_CLOCK].why, "skewed");
    assert_true(result.clock_offset_s >= 3595 && result.clock_offset_s <= 3605);
    stop_platform(&p);
}

/* A port nobody listens on: DNS passes, TCP is refused, nothing after runs. */
static void test_a_refused_port_fails_at_tcp(void **state)
{
    (void)state;
    make_certs();
    netdiag_config config = config_for(1);
    netdiag_result result;
    assert_int_equal(netdiag_run(&config, &result), KIOSK_OK);
    assert_int_equal(result.steps[NETDIAG_DNS].verdict, NETDIAG_PASS);
    assert_int_equal(result.steps[NETDIAG_TCP].verdict, NETDIAG_FAIL);
    assert_string_equal(result.steps[NETDIAG_TCP].why, "refused");
    assert_int_equal(result.steps[NETDIAG_TLS].verdict, NETDIAG_NOT_RUN);
    assert_int_equal(result.steps[NETDIAG_ANSWER].verdict, NETDIAG_NOT_RUN);
}

static void test_an_unknown_host_fails_at_dns(void **state)
{
    (void)state;
    netdiag_config config = config_for(443);
    config.url = "https://platform.invalid:8443/"; /* RFC 2606: never resolves */
    netdiag_result result;
    assert_int_equal(netdiag_run(&config, &result), KIOSK_OK);
    assert_string_equal(result.host, "platform.invalid");
    assert_int_equal(result.port, 8443);
    assert_int_equal(result.steps[NETDIAG_DNS].verdict, NETDIAG_FAIL);
    assert_true(strcmp(result.steps[NETDIAG_DNS].why, "unresolved") == 0 ||
                strcmp(result.steps[NETDIAG_DNS].why, "no-answer") == 0);
    assert_int_equal(result.steps[NETDIAG_TCP].verdict, NETDIAG_NOT_RUN);
}

/* A platform whose certificate another CA signed: TLS fails, untrusted. */
static void test_a_platform_from_another_ca_fails_at_tls(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, "unknown-ca");
    netdiag_config config = config_for(p.port);
    netdiag_result result;
    assert_int_equal(netdiag_run(&config, &result), KIOSK_OK);
    printf("tls: %s (%s)\n", result.steps[NETDIAG_TLS].why, result.steps[NETDIAG_TLS].detail);
    assert_int_equal(result.steps[NETDIAG_TCP].verdict, NETDIAG_PASS);
    assert_int_equal(result.steps[NETDIAG_TLS].verdict, NETDIAG_FAIL);
    assert_string_equal(result.steps[NETDIAG_TLS].why, "untrusted");
    assert_int_equal(result.steps[NETDIAG_ANSWER].verdict, NETDIAG_NOT_RUN);
    stop_platform(&p);
}

static void test_a_url_that_is_not_https_is_refused(void **state)
{
    (void)state;
    netdiag_config config = config_for(443);
    netdiag_result result;
    const char *bad[] = {"http://127.0.0.1/", "https://", "https://host:0/", "https://host:99999/",
                         "https://host:12x/"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        config.url = bad[i];
        assert_int_equal(netdiag_run(&config, &result), KIOSK_ERR_INVALID_ARGUMENT);
    }
}

static struct {
    pthread_mutex_t lock;
    pthread_cond_t ended;
    bool done;
    netdiag_result result;
} worker = {.lock = PTHREAD_MUTEX_INITIALIZER, .ended = PTHREAD_COND_INITIALIZER};

static void reported(const netdiag_result *result, void *context)
{
    (void)context;
    pthread_mutex_lock(&worker.lock);
    worker.result = *result;
    worker.done = true;
    pthread_cond_signal(&worker.ended);
    pthread_mutex_unlock(&worker.lock);
}

static void test_the_worker_reports_when_it_ends(void **state)
{
    (void)state;
    make_certs();
    netdiag_config config = config_for(1);
    assert_int_equal(netdiag_start(&config, reported, NULL), KIOSK_OK);
    memset(url, 0, sizeof url); /* the worker has its own copy */
    pthread_mutex_lock(&worker.lock);
    while (!worker.done)
        pthread_cond_wait(&worker.ended, &worker.lock);
    pthread_mutex_unlock(&worker.lock);
    assert_string_equal(worker.result.steps[NETDIAG_TCP].why, "refused");
    usleep(50 * 1000); /* the detached worker's own exit */
}

/* A board whose platform is the stand-in at port, with the development
 * certificates. */
static const char *board_for(int port)
{
    char tls[4000], with_url[64];
    snprintf(with_url, sizeof with_url, "\"platform_url\": \"https://127.0.0.1:%d/\",", port);
    snprintf(tls, sizeof tls,
             "%s\n  \"platform_tls\": {\"ca_file\": \"%s\", \"client_cert\": \"%s\", "
             "\"client_key\": \"%s\"},",
             with_url, ca, cert, key);
    const char *profile = test_read_file(test_board_in_temp("portrait-1080", NULL));
    const char *replaced =
        test_replace(profile, "\"platform_url\": \"https://127.0.0.1:8443/\",", tls);
    assert_non_null(strstr(replaced, "platform_tls"));
    return test_write_file(test_make_temp_dir("netdiag-board"), "board.json", replaced);
}

static bool diagnosed(kiosk_app *app, const void *context)
{
    (void)context;
    return !app_tech_network_running(app) && app_tech_network_result(app) &&
           ui_widget_find(app_root(app), "tech.network.answer") != NULL;
}

/* The technician's screen: each step passed against the stand-in, in words. */
static void test_the_network_screen_shows_each_step(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    config_for(p.port);
    kiosk_app *app = test_app_create(board_for(p.port), LANG_ZH_CN);
    assert_int_equal(app_go(app, APP_SCREEN_TECH_NETWORK), KIOSK_OK);
    assert_true(app_tech_network_running(app));
    assert_non_null(strstr(test_text_of(app, "tech.network.status"), "正在诊断"));
    assert_true(test_run_until(app, diagnosed, NULL));
    assert_non_null(strstr(test_text_of(app, "tech.network.dns"), "DNS 解析 · 通过"));
    assert_non_null(strstr(test_text_of(app, "tech.network.tls"), "TLS 握手 · 通过"));
    assert_non_null(strstr(test_text_of(app, "tech.network.answer"), "平台应答 · 通过"));
    assert_non_null(strstr(test_text_of(app, "tech.network.certificate"), "kiosk development"));
    SDL_Surface *surface = NULL;
    assert_int_equal(app_capture(app, &surface), KIOSK_OK);
    char path[1200];
    snprintf(path, sizeof path, "%s/build/test-output/tech-network.png", test_source_dir());
    assert_int_equal(ui_image_save_png(surface, path, NULL), KIOSK_OK);
    SDL_FreeSurface(surface);
    app_destroy(app);
    stop_platform(&p);
}

/* The platform down: TCP refused, said with the host and port. */
static void test_the_network_screen_says_what_to_check(void **state)
{
    (void)state;
    make_certs();
    config_for(1);
    kiosk_app *app = test_app_create(board_for(1), LANG_ZH_CN);
    assert_int_equal(app_go(app, APP_SCREEN_TECH_NETWORK), KIOSK_OK);
    assert_true(test_run_until(app, diagnosed, NULL));
    assert_string_equal(
        test_text_of(app, "tech.network.tcp"),
        "TCP 连接 · 未通过 · 127.0.0.1 的 1 端口拒绝连接：平台地址或端口不对，或平台未运行");
    assert_non_null(strstr(test_text_of(app, "tech.network.answer"), "未进行"));
    app_destroy(app);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_step_passes_against_the_platform),
        cmocka_unit_test(test_a_device_clock_an_hour_slow_fails_the_clock_step),
        cmocka_unit_test(test_a_refused_port_fails_at_tcp),
        cmocka_unit_test(test_an_unknown_host_fails_at_dns),
        cmocka_unit_test(test_a_platform_from_another_ca_fails_at_tls),
        cmocka_unit_test(test_a_url_that_is_not_https_is_refused),
        cmocka_unit_test(test_the_worker_reports_when_it_ends),
        cmocka_unit_test(test_the_network_screen_shows_each_step),
        cmocka_unit_test(test_the_network_screen_says_what_to_check),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    platform_stop_leftovers();
    return failed;
}
