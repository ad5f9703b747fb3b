/* The progress code works: the real kiosk binary against the platform
 * stand-in, a citizen's application accepted, the QR code on the result
 * screen (and on the receipt as the print step shows it) written to PNG
 * and read back by zbarimg as a phone would, to the catalog's verification
 * address with the tracking number in it; and that address opened with no
 * terminal certificate, as a phone opens it, answers 200 with the
 * application's status. The screenshots stay in build/test-output/qr/. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char shots[1100];

/* What zbarimg reads from the PNG ("" for nothing). */
static const char *decoded(const char *png)
{
    static char text[512];
    char command[1400];
    snprintf(command, sizeof command, "zbarimg --quiet --raw '%s' 2>/dev/null", png);
    FILE *pipe = popen(command, "r");
    assert_non_null(pipe);
    size_t n = fread(text, 1, sizeof text - 1, pipe);
    pclose(pipe);
    text[n] = '\0';
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
        text[--n] = '\0';
    return text;
}

static const char *shot(kiosk_proc *k, const char *name)
{
    static char path[1300];
    char command[1400];
    snprintf(path, sizeof path, "%s/%s.png", shots, name);
    snprintf(command, sizeof command, "screenshot %s", path);
    const char *answer = kiosk_ask(k, command);
    if (strncmp(answer, "ok", 2) != 0)
        fail_msg("%s: %s", command, answer);
    return path;
}

/* The text of the widget id in a tree, spaces (the grouping) left out. */
static void number_of(const char *tree, const char *id, char *out, size_t size)
{
    char needle[96];
    snprintf(needle, sizeof needle, "\"id\":\"%s\"", id);
    out[0] = '\0';
    const char *at = strstr(tree, needle);
    const char *text = at ? strstr(at, "\"text\":\"") : NULL;
    if (!text)
        return;
    size_t used = 0;
    for (text += strlen("\"text\":\""); *text && *text != '"' && used + 1 < size; text++)
        if (*text != ' ')
            out[used++] = *text;
    out[used] = '\0';
}

static void test_the_progress_code_opens_the_application_s_page(void **state)
{
    (void)state;
    /* The sample catalog, its verification address on this stand-in's port
     * (the stand-in reads the file at every call). */
    const char *catalog = changed_catalog("qr-catalog", "\"qr-1\"", "\"qr-1\"", "\"qr-1\"");
    platform p;
    start_platform_serving(&p, NULL, catalog);
    char port[64];
    snprintf(port, sizeof port, "127.0.0.1:%d/v/", p.port);
    char *text = strdup(test_replace(test_read_file(catalog), "127.0.0.1:8443/v/", port));
    FILE *file = fopen(catalog, "w");
    assert_non_null(file);
    fputs(text, file);
    fclose(file);
    free(text);

    kiosk_proc k;
    kiosk_up(&p, &k);
    kiosk_shows(&k, "平台已连接", 100);
    /* Fetched, then adopted on the attract screen. */
    for (int i = 0; i < 100 && requests_of(&p, "catalog") < 1; i++)
        usleep(50 * 1000);
    assert_true(requests_of(&p, "catalog") >= 1);
    usleep(500 * 1000);

    const char *result = citizen_submits(&k, "1");
    if (!strstr(result, "办理成功"))
        fail_msg("not accepted: %.600s", result);
    char number[64];
    number_of(result, "result.tracking", number, sizeof number);
    assert_true(strncmp(number, "GD", 2) == 0);
    char url[256];
    snprintf(url, sizeof url, "https://%s%s", port, number);

    /* The screen's code, as a phone reads it. */
    assert_string_equal(decoded(shot(&k, "result-zh-CN")), url);
    kiosk_expect(&k, "tap footer.lang.en", "ok result");
    assert_string_equal(decoded(shot(&k, "result-en")), url);
    kiosk_expect(&k, "tap footer.lang.zh-CN", "ok result");

    /* The receipt's code, as the print step shows what printed. */
    citizen_prints(&k);
    assert_string_equal(decoded(shot(&k, "receipt-zh-CN")), url);

    /* The page it opens: 200, the application's number and status. */
    char *body = NULL;
    assert_int_equal(platform_public_get(url, &body), 200);
    assert_non_null(strstr(body, number));
    assert_non_null(strstr(body, "已受理"));
    free(body);
    /* Only that page is open to anyone: the protocol still wants the
     * terminal's certificate. */
    char protocol[256];
    snprintf(protocol, sizeof protocol, "https://127.0.0.1:%d/v1/submissions/%s", p.port, number);
    body = NULL;
    assert_int_equal(platform_public_get(protocol, &body), 403);
    free(body);
    /* A number no application has: 404, a page that says so. */
    snprintf(url, sizeof url, "https://%sGD00000000000000", port);
    body = NULL;
    assert_int_equal(platform_public_get(url, &body), 404);
    free(body);

    /* The citizen comes back and shows the receipt's code: the platform's
     * time is read as the hall's local time, never its raw UTC. */
    kiosk_expect(&k, "tap print.done", "ok rate");
    kiosk_expect(&k, "tap rate.skip", "ok finished");
    kiosk_ask(&k, "tap finished.end");
    kiosk_ask(&k, "key 0");
    kiosk_expect(&k, "wait attract 5000", "ok attract");
    citizen_opens(&k, "case-progress", "scan");
    kiosk_ask(&k, "key s"); /* the developer's key: the last tracking number shown */
    kiosk_expect(&k, "wait lookup 8000", "ok lookup");
    const char *tree = kiosk_tree(&k);
    time_t now = time(NULL) + 8 * 3600;
    struct tm day;
    gmtime_r(&now, &day);
    char updated[96];
    snprintf(updated, sizeof updated, "更新时间：%d年%d月%d日 ", day.tm_year + 1900, day.tm_mon + 1,
             day.tm_mday);
    const char *at = strstr(tree, updated);
    if (!at)
        fail_msg("no \"%s\" on the lookup: %.800s", updated, tree);
    const char *end = strchr(at, '"');
    assert_non_null(end);
    for (const char *c = at; c < end; c++)
        if (*c == 'T' || *c == 'Z')
            fail_msg("the lookup shows the platform's raw time: %.*s", (int)(end - at), at);
    shot(&k, "lookup-zh-CN");
    kiosk_stop(&k, false);
    stop_platform(&p);
}

int main(void)
{
    snprintf(shots, sizeof shots, "%s/build/test-output", test_source_dir());
    mkdir(shots, 0755);
    snprintf(shots, sizeof shots, "%s/build/test-output/qr", test_source_dir());
    mkdir(shots, 0755);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_progress_code_opens_the_application_s_page),
    };
    return PLATFORM_RUN_TESTS(tests);
}
