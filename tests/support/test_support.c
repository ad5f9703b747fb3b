#include "test_support.h"

#include "firmware/app/app_core.h"
#include "ui/ime_pinyin.h"
#include "ui/scroll_view.h"

#include "firmware/base/log.h"

#include "ui/display.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

uint64_t test_monotonic_now_ms = 1000;

static time_t fixed_wall(void)
{
    return TEST_WALL_TIME;
}

static uint64_t fixed_monotonic(void)
{
    return test_monotonic_now_ms;
}

app_clocks test_clocks(void)
{
    return (app_clocks){.wall = fixed_wall, .monotonic_ms = fixed_monotonic};
}

const char *test_source_dir(void)
{
    const char *dir = getenv("KIOSK_SOURCE_DIR");
    return dir && dir[0] ? dir : KIOSK_SOURCE_DIR;
}

static void remove_tree(const char *path)
{
    char command[1200];
    snprintf(command, sizeof command, "rm -rf '%s'", path);
    if (system(command) != 0)
        fprintf(stderr, "cannot remove %s\n", path);
}

const char *test_make_temp_dir(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/build/test-tmp", test_source_dir());
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/build/test-tmp/%s-%d", test_source_dir(), name, (int)getpid());
    remove_tree(path);
    assert_int_equal(mkdir(path, 0755), 0);
    return path;
}

const char *test_write_file(const char *dir, const char *name, const char *text)
{
    static char paths[8][1024];
    static int next;
    char *path = paths[next++ % 8];
    snprintf(path, sizeof paths[0], "%s/%s", dir, name);
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(text, 1, strlen(text), file), strlen(text));
    fclose(file);
    return path;
}

const char *test_read_file(const char *path)
{
    static char buffer[1 << 20];
    FILE *file = fopen(path, "rb");
    if (!file)
        return NULL;
    size_t got = fread(buffer, 1, sizeof buffer - 1, file);
    fclose(file);
    buffer[got] = '\0';
    return buffer;
}

const char *test_replace(const char *text, const char *from, const char *to)
{
    static char buffer[1 << 20];
    const char *at = strstr(text, from);
    assert_non_null(at);
    snprintf(buffer, sizeof buffer, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return buffer;
}

kiosk_app *test_app_create_with(const char *board, lang language, bool start_home, int theme)
{
    kiosk_args args;
    memset(&args, 0, sizeof args);
    snprintf(args.share_dir, sizeof args.share_dir, "%s", test_source_dir());
    /* A profile by name gets its data in a temporary directory: no test
     * keeps anything in the board's own data_dir. */
    snprintf(args.board, sizeof args.board, "%s",
             strchr(board, '/') ? board : test_board_in_temp(board, NULL));
    args.language = language;
    args.language_given = true;
    args.headless = true;
    args.start_home = start_home;
    args.theme = theme;
    args.level = LOG_LEVEL_WARN;
    log_set_level(LOG_LEVEL_WARN);
    /* The voice goes somewhere on a machine with no sound card: SDL's
     * silent driver, unless a test asked for another (the disk driver). */
    setenv("SDL_AUDIODRIVER", "dummy", 0);

    app_clocks clocks = test_clocks();
    kiosk_app *app = NULL;
    kiosk_diag diag = {{0}};
    kiosk_error result = app_create(&args, &clocks, &app, &diag);
    if (result != KIOSK_OK)
        fail_msg("app_create: %s: %s", kiosk_error_name(result), diag.message);
    app_process_pending(app);
    return app;
}

kiosk_app *test_app_create(const char *board, lang language)
{
    return test_app_create_with(board, language, true, 0);
}

kiosk_app *test_app_create_attract(const char *board, lang language)
{
    return test_app_create_with(board, language, false, 0);
}

static void push_finger(kiosk_app *app, Uint32 type, int x, int y)
{
    ui_display *display = app_display(app);
    SDL_Event event;
    SDL_zero(event);
    event.type = type;
    event.tfinger.touchId = 1;
    event.tfinger.fingerId = 1;
    event.tfinger.x = ((float)x + 0.5f) / (float)display->window_width;
    event.tfinger.y = ((float)y + 0.5f) / (float)display->window_height;
    assert_int_equal(SDL_PushEvent(&event), 1);
}

static ui_widget *widget_or_fail(kiosk_app *app, const char *id)
{
    ui_widget *widget = ui_widget_find(app_root(app), id);
    if (!widget)
        fail_msg("no widget \"%s\" on the %s screen", id, app_screen_name(app));
    return widget;
}

void test_finger(kiosk_app *app, Uint32 type, const char *id)
{
    ui_widget *widget = widget_or_fail(app, id);
    /* A citizen scrolls to what they want first. */
    ui_widget *view = ui_scroll_view_of(widget);
    if (type == SDL_FINGERDOWN && view && ui_scroll_view_reveal(view, widget) != 0)
        app_mark_all_dirty(app);
    if (type == SDL_FINGERDOWN)
        test_monotonic_now_ms += 400;
    push_finger(app, type, widget->bounds.x + widget->bounds.w / 2,
                widget->bounds.y + widget->bounds.h / 2);
    app_process_pending(app);
}

void test_tap(kiosk_app *app, const char *id)
{
    test_finger(app, SDL_FINGERDOWN, id);
    test_finger(app, SDL_FINGERUP, id);
}

void test_draw(kiosk_app *app, const char *id, const int (*points)[2], size_t count)
{
    ui_widget *widget = widget_or_fail(app, id);
    SDL_Rect b = widget->bounds;
    test_monotonic_now_ms += 400;
    int x0 = b.x + b.w * points[0][0] / 1000, y0 = b.y + b.h * points[0][1] / 1000;
    push_finger(app, SDL_FINGERDOWN, x0, y0);
    for (size_t i = 1; i < count; i++) {
        int x1 = b.x + b.w * points[i][0] / 1000, y1 = b.y + b.h * points[i][1] / 1000;
        int steps = (abs(x1 - x0) + abs(y1 - y0)) / 8 + 1;
        for (int k = 1; k <= steps; k++)
            push_finger(app, SDL_FINGERMOTION, x0 + (x1 - x0) * k / steps,
                        y0 + (y1 - y0) * k / steps);
        app_process_pending(app);
        x0 = x1;
        y0 = y1;
    }
    push_finger(app, SDL_FINGERUP, x0, y0);
    app_process_pending(app);
}

void test_sign(kiosk_app *app)
{
    static const int top[][2] = {{250, 200}, {500, 190}, {750, 200}};
    static const int middle[][2] = {{300, 420}, {700, 420}};
    static const int down[][2] = {{500, 200}, {500, 450}, {505, 680}};
    static const int bottom[][2] = {{200, 680}, {500, 670}, {800, 690}};
    test_draw(app, "sign.pad", top, 3);
    test_draw(app, "sign.pad", middle, 2);
    test_draw(app, "sign.pad", down, 3);
    test_draw(app, "sign.pad", bottom, 3);
    test_tap(app, "step.next");
}

void test_type(kiosk_app *app, const char *text)
{
    for (const char *p = text; *p; p++) {
        char id[32];
        snprintf(id, sizeof id, "keypad.%c", *p == 'X' ? 'x' : *p);
        test_tap(app, id);
    }
}

const char *test_text_of(kiosk_app *app, const char *id)
{
    ui_widget *widget = widget_or_fail(app, id);
    return widget->text ? widget->text : "";
}

static void read_all(int fd, char *buffer, size_t size)
{
    size_t used = 0;
    if (size == 0)
        return;
    for (;;) {
        char discard[4096];
        char *into = used + 1 < size ? buffer + used : discard;
        size_t room = used + 1 < size ? size - 1 - used : sizeof discard;
        ssize_t got = read(fd, into, room);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        if (into != discard)
            used += (size_t)got;
    }
    buffer[used] = '\0';
}

int test_run(const char *const *argv, char *err, size_t err_size, char *out, size_t out_size)
{
    int err_pipe[2], out_pipe[2];
    assert_int_equal(pipe(err_pipe), 0);
    assert_int_equal(pipe(out_pipe), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    pid_t pid;
    int spawned = posix_spawn(&pid, argv[0], &actions, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(err_pipe[1]);
    close(out_pipe[1]);
    assert_int_equal(spawned, 0);
    /* stdout is small in these runs; read stderr to the end, then stdout. */
    char scratch[16];
    read_all(err_pipe[0], err ? err : scratch, err ? err_size : sizeof scratch);
    read_all(out_pipe[0], out ? out : scratch, out ? out_size : sizeof scratch);
    close(err_pipe[0]);
    close(out_pipe[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

const char *test_kiosk_binary(void)
{
    static char path[1024];
    const char *given = getenv("KIOSK_BINARY");
    if (given && given[0])
        return given;
    snprintf(path, sizeof path, "%s/build/asan/kiosk", test_source_dir());
    return path;
}

long test_compare_images(SDL_Surface *expected, SDL_Surface *actual, int channel_tolerance,
                         SDL_Surface **diff)
{
    if (expected->w != actual->w || expected->h != actual->h)
        return -1;
    SDL_Surface *marked = NULL;
    if (diff) {
        marked =
            SDL_CreateRGBSurfaceWithFormat(0, actual->w, actual->h, 32, SDL_PIXELFORMAT_ARGB8888);
        assert_non_null(marked);
    }
    long differing = 0;
    for (int y = 0; y < actual->h; y++) {
        const Uint32 *a = (const Uint32 *)((const Uint8 *)expected->pixels + y * expected->pitch);
        const Uint32 *b = (const Uint32 *)((const Uint8 *)actual->pixels + y * actual->pitch);
        Uint32 *m = marked ? (Uint32 *)((Uint8 *)marked->pixels + y * marked->pitch) : NULL;
        for (int x = 0; x < actual->w; x++) {
            int worst = 0;
            for (int shift = 0; shift < 24; shift += 8) {
                int delta = (int)((a[x] >> shift) & 0xFF) - (int)((b[x] >> shift) & 0xFF);
                if (abs(delta) > worst)
                    worst = abs(delta);
            }
            bool differs = worst > channel_tolerance;
            differing += differs;
            if (m) {
                Uint32 grey =
                    (((b[x] >> 16 & 0xFF) + (b[x] >> 8 & 0xFF) + (b[x] & 0xFF)) / 3) / 3 + 170;
                m[x] = differs ? 0xFFFF0000u : 0xFF000000u | grey << 16 | grey << 8 | grey;
            }
        }
    }
    if (diff)
        *diff = marked;
    return differing;
}

void test_show_result(kiosk_app *app, int outcome)
{
    /* A made-up citizen and tracking number; the ID number is masked as the
     * flow masks it, by the same function the logs use. */
    char masked[32];
    log_mask_personal("440304199001011233", masked, sizeof masked);
    ui_result_model result = {.outcome = (ui_result_outcome)outcome,
                              .service_name = "社保参保缴费记录查询",
                              .tracking_number = "K0420261122-0042",
                              .masked_id = masked,
                              .time_text = "2026年11月22日 14:30",
                              .qr_data = "https://zwfw.example.gov.cn/track/K0420261122-0042"};
    assert_int_equal(app_show_result(app, &result), KIOSK_OK);
}

void test_open_typed(kiosk_app *app, const char *tile_id)
{
    test_tap(app, tile_id);
    assert_string_equal(app_screen_name(app), "card");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "identify");
}

/* Device workers post from their own threads: give them real time. */
#define DEVICE_WAIT_MS 8000

bool test_run_until(kiosk_app *app, bool (*done)(kiosk_app *app, const void *context),
                    const void *context)
{
    for (int waited = 0; waited < DEVICE_WAIT_MS; waited += 5) {
        app_process_pending(app);
        if (done(app, context))
            return true;
        struct timespec tick = {0, 5 * 1000000L};
        nanosleep(&tick, NULL);
    }
    return false;
}

static bool reader_says(kiosk_app *app, const void *reason)
{
    return strcmp(app_reader_reason(app), reason) == 0;
}

static bool screen_is(kiosk_app *app, const void *screen)
{
    return strcmp(app_screen_name(app), screen) == 0;
}

static bool scanner_says(kiosk_app *app, const void *reason)
{
    return strcmp(app_scanner_reason(app), reason) == 0;
}

void test_wait_reader(kiosk_app *app, const char *reason)
{
    if (!test_run_until(app, reader_says, reason))
        fail_msg("the reader never said \"%s\" (it says \"%s\")", reason, app_reader_reason(app));
}

void test_wait_screen(kiosk_app *app, const char *screen)
{
    if (!test_run_until(app, screen_is, screen))
        fail_msg("the screen never became \"%s\" (it is \"%s\")", screen, app_screen_name(app));
}

void test_wait_scanner(kiosk_app *app, const char *reason)
{
    if (!test_run_until(app, scanner_says, reason))
        fail_msg("the scanner never said \"%s\" (it says \"%s\")", reason, app_scanner_reason(app));
}

const char *test_stderr_of(void (*fn)(void *context), void *context)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/stderr.txt", test_make_temp_dir("stderr"));
    int file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(file >= 0);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    dup2(file, STDERR_FILENO);
    close(file);
    fn(context);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    return test_read_file(path);
}

size_t test_count_of(const char *text, const char *what)
{
    size_t count = 0;
    for (const char *at = strstr(text, what); at; at = strstr(at + 1, what))
        count++;
    return count;
}

const char *test_board_in_temp(const char *board, const char **data_dir)
{
    static char dir[1024], path[1100], profile[1100];
    /* A folder of its own for each board: an app still open keeps its store
     * while the next one is made. */
    static int made;
    char name[64];
    snprintf(name, sizeof name, "board-data-%d", made++);
    snprintf(dir, sizeof dir, "%s", test_make_temp_dir(name));
    snprintf(profile, sizeof profile, "%s/board/profiles/%s.json", test_source_dir(), board);
    char from[64], to[1100];
    snprintf(from, sizeof from, "\"data_dir\": \"/var/lib/kiosk\"");
    snprintf(to, sizeof to, "\"data_dir\": \"%s\"", dir);
    const char *text = test_replace(test_read_file(profile), from, to);
    if (!strstr(text, dir))
        fail_msg("%s: no data_dir to move", profile);
    snprintf(path, sizeof path, "%s", test_write_file(dir, "board.json", text));
    if (data_dir)
        *data_dir = dir;
    return path;
}

const char *test_board_unkept(const char *board)
{
    const char *data_dir = NULL;
    const char *path = test_board_in_temp(board, &data_dir);
    char db[1200];
    snprintf(db, sizeof db, "%s/kiosk.db", data_dir);
    if (mkdir(db, 0700) != 0)
        fail_msg("%s: %s", db, strerror(errno));
    return path;
}

void test_tap_tile(kiosk_app *app, const char *tile_id)
{
    /* From the first page, page on until the tile is on the page shown
     * (elder mode shows fewer). */
    for (int page = 0; page < 20; page++) {
        ui_widget *back = ui_widget_find(app_root(app), "home.previous");
        if (ui_widget_find(app_root(app), tile_id) || !back || (back->flags & UI_FLAG_HIDDEN))
            break;
        test_tap(app, "home.previous");
    }
    for (int page = 0; page < 20 && !ui_widget_find(app_root(app), tile_id); page++)
        test_tap(app, "home.next");
    test_tap(app, tile_id);
}

typedef struct widget_text {
    const char *id, *text;
} widget_text;

static bool widget_says(kiosk_app *app, const void *context)
{
    const widget_text *want = context;
    const ui_widget *w = ui_widget_find(app_root(app), want->id);
    return w && w->text && strcmp(w->text, want->text) == 0;
}

void test_wait_text(kiosk_app *app, const char *id, const char *text)
{
    widget_text want = {id, text};
    if (!test_run_until(app, widget_says, &want))
        fail_msg("%s never said \"%s\"", id, text);
}

/* The done button turns primary when the receipt is out. */
static bool receipt_out(kiosk_app *app, const void *context)
{
    (void)context;
    const ui_widget *done = ui_widget_find(app_root(app), "print.done");
    return done && done->tone == UI_TONE_PRIMARY;
}

void test_print_and_wait(kiosk_app *app)
{
    test_tap(app, "result.print");
    assert_string_equal(app_screen_name(app), "print");
    if (!test_run_until(app, receipt_out, NULL))
        fail_msg("the receipt never came out");
}

const char *test_type_baby_name(kiosk_app *app)
{
    bool pinyin = ui_pinyin_wait_ready(10000);
    test_tap(app, "form.field.8");
    assert_string_equal(app_screen_name(app), "type");
    if (!pinyin)
        test_tap(app, "type.mode.letters");
    const char *keys[] = {"type.key.l", "type.key.e", "type.key.l", "type.key.e"};
    for (size_t i = 0; i < 4; i++)
        test_tap(app, keys[i]);
    if (pinyin) {
        assert_string_equal(test_text_of(app, "type.candidate.0"), "乐乐");
        test_tap(app, "type.candidate.0");
    }
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "form");
    return pinyin ? "乐乐" : "lele";
}

kiosk_error test_claim_citizen_records(cache_store *store, size_t max, cache_record *out,
                                       size_t *count)
{
    cache_record all[256];
    size_t claimed = 0;
    *count = 0;
    kiosk_error result = cache_outbox_claim(store, INT64_MAX / 2, 256, all, &claimed, NULL);
    for (size_t i = 0; i < claimed; i++) {
        if (strcmp(all[i].kind, "audit") != 0 && *count < max)
            out[(*count)++] = all[i];
        else
            cache_records_free(&all[i], 1);
    }
    return result;
}
