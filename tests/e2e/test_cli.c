/* The kiosk binary as a technician meets it: bad profiles, catalogs and fonts
 * give one clear line and a non-zero exit; a screenshot is a real PNG; a
 * signal stops it cleanly. */
#include "../support/test_support.h"

#include "ui/image.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define EXIT_USAGE  64
#define EXIT_CONFIG 78

static char err[16384], out[4096];

static int run_kiosk(const char *a, const char *b, const char *c, const char *d, const char *e,
                     const char *f)
{
    const char *argv[] = {test_kiosk_binary(), "--headless", a, b, c, d, e, f, NULL};
    return test_run(argv, err, sizeof err, out, sizeof out);
}

/* The error line: the one starting "kiosk: ". It must name what and why. */
static void expect_error_line(const char *first, const char *second)
{
    const char *line = strstr(err, "kiosk: ");
    if (!line)
        fail_msg("no \"kiosk: \" line in: %s", err);
    const char *end = strchr(line, '\n');
    size_t length = end ? (size_t)(end - line) : strlen(line);
    char copy[2048];
    snprintf(copy, sizeof copy, "%.*s", (int)length, line);
    if (!strstr(copy, first) || (second && !strstr(copy, second)))
        fail_msg("\"%s\" should contain \"%s\" and \"%s\"", copy, first, second ? second : "");
    /* One error line, and nothing after it: no crash report, no second try. */
    assert_true(!end || end[1] == '\0');
}

static const char *shipped_profile(void)
{
    static char text[65536];
    char path[1024];
    snprintf(path, sizeof path, "%s/board/profiles/portrait-1080.json", test_source_dir());
    snprintf(text, sizeof text, "%s", test_read_file(path));
    return text;
}

static void test_help_and_usage_errors(void **state)
{
    (void)state;
    assert_int_equal(run_kiosk("--help", NULL, NULL, NULL, NULL, NULL), 0);
    assert_non_null(strstr(out, "--screenshot FILE.png"));
    assert_int_equal(run_kiosk("--lang", "fr", NULL, NULL, NULL, NULL), EXIT_USAGE);
    expect_error_line("--lang", "\"fr\" is not zh-CN, zh-TW or en");
}

static void test_missing_and_malformed_profiles(void **state)
{
    (void)state;
    assert_int_equal(run_kiosk("--board", "no-such-board", NULL, NULL, NULL, NULL), EXIT_CONFIG);
    expect_error_line("board/profiles/no-such-board.json", "file not found");

    const char *dir = test_make_temp_dir("cli-board");
    const char *broken = test_write_file(dir, "broken.json", "{\n  \"name\": \"x\",\n}\n");
    assert_int_equal(run_kiosk("--board", broken, NULL, NULL, NULL, NULL), EXIT_CONFIG);
    expect_error_line(broken, "not valid JSON (line 3");

    const char *wrong =
        test_write_file(dir, "wrong.json",
                        test_replace(shipped_profile(), "\"height_mm\": 476", "\"height_mm\": -4"));
    assert_int_equal(run_kiosk("--board", wrong, NULL, NULL, NULL, NULL), EXIT_CONFIG);
    expect_error_line(wrong, "screen.height_mm: expected a whole number from 50 to 3000");

    /* A folder or a device where the profile should be is a configuration
     * a restart cannot mend: 78, or the supervisor restarts it in a loop. */
    assert_int_equal(run_kiosk("--board", dir, NULL, NULL, NULL, NULL), EXIT_CONFIG);
    expect_error_line(dir, "not a regular file");
    assert_int_equal(run_kiosk("--board", "/dev/null", NULL, NULL, NULL, NULL), EXIT_CONFIG);
    expect_error_line("/dev/null", "not a regular file");
}

static void test_missing_and_malformed_catalogs(void **state)
{
    (void)state;
    assert_int_equal(run_kiosk("--catalog", "/nonexistent/catalog.json", NULL, NULL, NULL, NULL),
                     EXIT_CONFIG);
    expect_error_line("/nonexistent/catalog.json", "file not found");
    const char *dir = test_make_temp_dir("cli-catalog");
    const char *bad =
        test_write_file(dir, "catalog.json",
                        "{\"version\": \"1\", \"hall\": {\"name\": {\"zh-CN\": \"厅\"}},"
                        " \"services\": [{\"id\": \"UPPER\"}]}");
    assert_int_equal(run_kiosk("--catalog", bad, NULL, NULL, NULL, NULL), EXIT_CONFIG);
    expect_error_line(bad, "services[0].id");
    assert_int_equal(run_kiosk("--catalog", dir, NULL, NULL, NULL, NULL), EXIT_CONFIG);
    expect_error_line(dir, "not a regular file");
    assert_int_equal(run_kiosk("--catalog", "/dev/zero", NULL, NULL, NULL, NULL), EXIT_CONFIG);
    expect_error_line("/dev/zero", "not a regular file");
}

static void test_fonts_missing_or_not_fonts(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("cli-font");
    const char *noto = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    const char *wqy = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

    /* No usable font at all: refuse to start, naming the file. */
    char *profile = strdup(test_replace(shipped_profile(), noto, "/nonexistent/cjk.ttc"));
    const char *none =
        test_write_file(dir, "none.json", test_replace(profile, wqy, "/nonexistent/wqy.ttc"));
    free(profile);
    assert_int_equal(run_kiosk("--board", none, NULL, NULL, NULL, NULL), EXIT_CONFIG);
    expect_error_line("/nonexistent/cjk.ttc: font file not found", "/nonexistent/wqy.ttc");

    const char *junk = test_write_file(dir, "junk.ttc", "this is not a font\n");
    profile = strdup(test_replace(shipped_profile(), noto, junk));
    const char *bad = test_write_file(dir, "junk.json", test_replace(profile, wqy, junk));
    free(profile);
    assert_int_equal(run_kiosk("--board", bad, NULL, NULL, NULL, NULL), EXIT_CONFIG);
    expect_error_line("junk.ttc: not a font file", NULL);

    /* A face the file does not have: the fallback serves, and nothing of the
     * failed opening is left behind (the sanitizer's leak check at exit). */
    const char *faceless = test_write_file(
        dir, "faceless.json",
        test_replace(shipped_profile(),
                     "\"file\": \"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc\",\n      "
                     "\"face\": 3",
                     "\"file\": \"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc\",\n      "
                     "\"face\": 60"));
    char faceless_png[1200];
    snprintf(faceless_png, sizeof faceless_png, "%s/faceless.png", dir);
    assert_int_equal(
        run_kiosk("--board", faceless, "--lang", "zh-TW", "--screenshot", faceless_png), 0);
    assert_non_null(strstr(err, "(face 60): cannot open"));
    assert_null(strstr(err, "LeakSanitizer"));

    /* One language's font missing, the fallback there: the kiosk serves. */
    const char *partial = test_write_file(
        dir, "partial.json",
        test_replace(shipped_profile(),
                     "\"file\": \"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc\",\n      "
                     "\"face\": 3",
                     "\"file\": \"/nonexistent/tc.ttc\",\n      \"face\": 3"));
    char png[1200];
    snprintf(png, sizeof png, "%s/partial.png", dir);
    assert_int_equal(run_kiosk("--board", partial, "--lang", "zh-TW", "--screenshot", png), 0);
    assert_non_null(strstr(err, "/nonexistent/tc.ttc: font file not found; using"));
    assert_int_equal(access(png, R_OK), 0);
}

static void test_screenshot_in_traditional_chinese(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("cli-shot");
    char png[1200], reference[1200];
    snprintf(png, sizeof png, "%s/home.png", dir);
    assert_int_equal(run_kiosk("--screenshot", png, "--lang", "zh-TW", "--start-screen", "home"),
                     0);
    SDL_Surface *shot = NULL, *expected = NULL;
    kiosk_diag diag = {{0}};
    assert_int_equal(ui_image_load_png(png, &shot, &diag), KIOSK_OK);
    assert_int_equal(shot->w, 1080);
    assert_int_equal(shot->h, 1920);
    /* Below the title bar (whose clock shows the real time) the binary draws
     * exactly the reviewed Traditional Chinese home screen. */
    snprintf(reference, sizeof reference, "%s/tests/ui/reference/home-standard-zh-TW.png",
             test_source_dir());
    assert_int_equal(ui_image_load_png(reference, &expected, &diag), KIOSK_OK);
    SDL_Rect below = {0, 110, 1080, 1810};
    SDL_Surface *a =
        SDL_CreateRGBSurfaceWithFormat(0, below.w, below.h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Surface *b =
        SDL_CreateRGBSurfaceWithFormat(0, below.w, below.h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_BlitSurface(expected, &below, a, NULL);
    SDL_BlitSurface(shot, &below, b, NULL);
    long differing = test_compare_images(a, b, 24, NULL);
    if (differing > 1000)
        fail_msg("%ld pixels differ from the reference below the title bar", differing);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    SDL_FreeSurface(shot);
    SDL_FreeSurface(expected);

    assert_int_equal(run_kiosk("--screenshot", "/nonexistent/dir/home.png", NULL, NULL, NULL, NULL),
                     70);
    assert_non_null(strstr(err, "/nonexistent/dir/home.png: cannot write PNG"));
}

static void test_sigterm_stops_cleanly(void **state)
{
    (void)state;
    int pipe_out[2];
    assert_int_equal(pipe(pipe_out), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_out[0]);
    const char *argv[] = {test_kiosk_binary(), "--headless", "--report-first-frame", NULL};
    pid_t pid;
    assert_int_equal(posix_spawn(&pid, argv[0], &actions, NULL, (char *const *)argv, environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_out[1]);
    char line[512] = {0};
    ssize_t got = read(pipe_out[0], line, sizeof line - 1);
    assert_true(got > 0);
    assert_non_null(strstr(line, "first-frame"));
    assert_int_equal(kill(pid, SIGTERM), 0);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    close(pipe_out[0]);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_usage_errors),
        cmocka_unit_test(test_missing_and_malformed_profiles),
        cmocka_unit_test(test_missing_and_malformed_catalogs),
        cmocka_unit_test(test_fonts_missing_or_not_fonts),
        cmocka_unit_test(test_screenshot_in_traditional_chinese),
        cmocka_unit_test(test_sigterm_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
