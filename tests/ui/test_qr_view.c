#include "../support/test_support.h"

#include "firmware/base/log.h"
#include "ui/qr_view.h"

#include <fcntl.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define W 480
#define H 360

#define TRACKING_URL "https://zwfw.example.gov.cn/track?id=ABC123-2026-11-22-000042"

/* Not white, black or the outline's grey, so every drawn pixel stands out. */
static const SDL_Color page = {32, 64, 128, 255};

typedef struct fixture {
    SDL_Surface *surface;
    SDL_Renderer *renderer;
    ui_context context;
    Uint32 pixels[W * H];
} fixture;

/* Where a symbol was drawn, measured from the pixels. */
typedef struct drawn {
    int left, top, size; /* the light square, quiet zone included */
    int module_px;
} drawn;

static int setup(void **state)
{
    static fixture f;
    f.surface = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
    f.renderer = f.surface ? SDL_CreateSoftwareRenderer(f.surface) : NULL;
    if (!f.renderer)
        return -1;
    f.context =
        (ui_context){.renderer = f.renderer,
                     .text = NULL, /* the widget draws no text */
                     .theme = ui_theme_get(UI_THEME_STANDARD),
                     .metrics = {.px_per_dp = 1, .px_per_mm = 4, .width_px = W, .height_px = H},
                     .language = LANG_ZH_CN};
    /* The error cases warn on purpose; the test of warnings turns them back on. */
    log_set_level(LOG_LEVEL_ERROR);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ui_qr_view_forget_all();
    SDL_DestroyRenderer(f->renderer);
    SDL_FreeSurface(f->surface);
    return 0;
}

/* Clears to the page colour, draws the tree and reads the frame back. */
static void render(fixture *f, const ui_widget *root)
{
    SDL_SetRenderDrawColor(f->renderer, page.r, page.g, page.b, page.a);
    SDL_RenderClear(f->renderer);
    ui_widget_draw_tree(root, &f->context);
    assert_int_equal(SDL_RenderReadPixels(f->renderer, NULL, SDL_PIXELFORMAT_ARGB8888, f->pixels,
                                          W * (int)sizeof(Uint32)),
                     0);
}

static Uint32 rgb(SDL_Color colour)
{
    return 0xFF000000u | (Uint32)colour.r << 16 | (Uint32)colour.g << 8 | colour.b;
}

static Uint32 pixel(const fixture *f, int x, int y)
{
    assert_true(x >= 0 && x < W && y >= 0 && y < H);
    return f->pixels[y * W + x];
}

#define WHITE 0xFFFFFFFFu
#define BLACK 0xFF000000u
#define GREY  0xFFDDDDDDu

/* The box of every pixel that is not the page. */
static drawn measure(const fixture *f)
{
    int left = W, top = H, right = -1, bottom = -1;
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            if (pixel(f, x, y) == rgb(page))
                continue;
            left = x < left ? x : left;
            right = x > right ? x : right;
            top = y < top ? y : top;
            bottom = y > bottom ? y : bottom;
        }
    }
    assert_true(right >= left);
    assert_int_equal(right - left, bottom - top); /* square */
    return (drawn){.left = left, .top = top, .size = right - left + 1};
}

/* The colour of module (row, column) of the symbol, sampled at its centre. */
static Uint32 module_at(const fixture *f, const drawn *d, int row, int column)
{
    int offset = UI_QR_VIEW_QUIET_MODULES;
    return pixel(f, d->left + (offset + column) * d->module_px + d->module_px / 2,
                 d->top + (offset + row) * d->module_px + d->module_px / 2);
}

/* A finder pattern with its top-left module at (row, column): a dark 7x7
 * ring, a light ring inside it, a dark 3x3 centre, and a light separator
 * around it where that is inside the symbol. */
static bool is_finder(const fixture *f, const drawn *d, int width, int row, int column)
{
    for (int i = -1; i <= 7; i++) {
        for (int j = -1; j <= 7; j++) {
            int r = row + i, c = column + j;
            if (r < 0 || c < 0 || r >= width || c >= width)
                continue;
            bool separator = i == -1 || i == 7 || j == -1 || j == 7;
            bool outer = !separator && (i == 0 || i == 6 || j == 0 || j == 6);
            bool inner = !separator && !outer && (i == 1 || i == 5 || j == 1 || j == 5);
            Uint32 expected = outer || (!separator && !inner) ? BLACK : WHITE;
            if (module_at(f, d, r, c) != expected)
                return false;
        }
    }
    return true;
}

/* Draws a view of data in bounds and checks everything about the result
 * against libqrencode's own matrix. Returns what was measured. */
static drawn check_symbol(fixture *f, const char *data, SDL_Rect bounds)
{
    ui_widget *view = ui_qr_view_create(NULL, "tracking-code", data, bounds);
    assert_non_null(view);
    render(f, view);
    ui_widget_destroy(view);

    QRcode *reference = QRcode_encodeString8bit(data, 0, QR_ECLEVEL_M);
    assert_non_null(reference);
    int width = reference->width;
    assert_int_equal(ui_qr_view_module_count(data), width);
    int modules = width + 2 * UI_QR_VIEW_QUIET_MODULES;

    /* The largest whole module size that fits the bounds, quiet zone included. */
    drawn d = measure(f);
    assert_int_equal(d.size % modules, 0);
    d.module_px = d.size / modules;
    int side = bounds.w < bounds.h ? bounds.w : bounds.h;
    assert_true(d.module_px >= 1);
    assert_true(modules * d.module_px <= side);
    assert_true(modules * (d.module_px + 1) > side);

    /* Centred: the margins either side differ by at most the odd pixel. */
    int margin_left = d.left - bounds.x, margin_right = bounds.x + bounds.w - (d.left + d.size);
    int margin_top = d.top - bounds.y, margin_bottom = bounds.y + bounds.h - (d.top + d.size);
    assert_true(margin_left >= 0 && margin_right >= 0 && margin_top >= 0 && margin_bottom >= 0);
    assert_true(abs(margin_left - margin_right) <= 1);
    assert_true(abs(margin_top - margin_bottom) <= 1);

    /* The quiet zone is white, every pixel of it. */
    int quiet = UI_QR_VIEW_QUIET_MODULES * d.module_px;
    for (int y = d.top; y < d.top + d.size; y++)
        for (int x = d.left; x < d.left + d.size; x++)
            if (x < d.left + quiet || x >= d.left + d.size - quiet || y < d.top + quiet ||
                y >= d.top + d.size - quiet)
                assert_int_equal(pixel(f, x, y), WHITE);

    /* Finder patterns in three corners, and not in the fourth: the code is
     * neither rotated nor mirrored. */
    assert_true(is_finder(f, &d, width, 0, 0));
    assert_true(is_finder(f, &d, width, 0, width - 7));
    assert_true(is_finder(f, &d, width, width - 7, 0));
    assert_false(is_finder(f, &d, width, width - 7, width - 7));

    /* Round trip without a decoder: each module centre is bit 0 of its byte. */
    for (int row = 0; row < width; row++)
        for (int column = 0; column < width; column++)
            assert_int_equal(module_at(f, &d, row, column),
                             (reference->data[row * width + column] & 1) ? BLACK : WHITE);

    /* And no pixel of a module differs from its centre (whole-pixel modules). */
    for (int y = d.top + quiet; y < d.top + d.size - quiet; y++) {
        for (int x = d.left + quiet; x < d.left + d.size - quiet; x++) {
            int row = (y - d.top - quiet) / d.module_px,
                column = (x - d.left - quiet) / d.module_px;
            assert_int_equal(pixel(f, x, y),
                             (reference->data[row * width + column] & 1) ? BLACK : WHITE);
        }
    }
    QRcode_free(reference);
    return d;
}

static void test_the_class_and_its_widget(void **state)
{
    (void)state;
    assert_string_equal(ui_qr_view_class.name, "qr-view");
    assert_int_equal(ui_qr_view_class.role, UI_ROLE_TEXT);
    assert_non_null(ui_qr_view_class.draw);
    assert_null(ui_qr_view_class.text_parts);

    ui_widget *root = ui_panel_create(NULL, "page", (SDL_Rect){0, 0, W, H}, UI_TONE_PLAIN);
    ui_widget *view =
        ui_qr_view_create(root, "receipt-qr", "ZW-2026-000042", (SDL_Rect){10, 20, 200, 200});
    assert_non_null(view);
    assert_ptr_equal(ui_widget_find(root, "receipt-qr"), view);
    assert_ptr_equal(view->class_, &ui_qr_view_class);
    /* What a screen reader or a test reads is the data itself. */
    assert_string_equal(view->text, "ZW-2026-000042");
    assert_int_equal(view->bounds.x, 10);
    assert_int_equal(view->bounds.w, 200);
    assert_null(ui_widget_hit(root, 50, 50)); /* something to read, not to tap */
    ui_text_part parts[UI_TEXT_PARTS_MAX];
    assert_int_equal(ui_widget_text_parts(view, NULL, parts), 0);
    ui_widget_destroy(root);
}

static void test_a_tracking_code_is_drawn_module_for_module(void **state)
{
    /* Bounds neither square nor at the origin, so centring shows both ways. */
    drawn d = check_symbol(*state, "ZW-2026-000042", (SDL_Rect){37, 21, 300, 260});
    assert_true(d.module_px > 1);
}

static void test_a_long_tracking_url(void **state)
{
    assert_true(ui_qr_view_module_count(TRACKING_URL) > 21); /* beyond version 1 */
    check_symbol(*state, TRACKING_URL, (SDL_Rect){0, 0, W, H});
    check_symbol(*state, TRACKING_URL, (SDL_Rect){100, 5, 180, 350});
}

static void test_the_module_size_is_the_largest_that_fits(void **state)
{
    fixture *f = *state;
    const char *data = "A1";
    int modules = ui_qr_view_module_count(data) + 2 * UI_QR_VIEW_QUIET_MODULES;
    assert_int_equal(modules, 21 + 8);
    /* Exactly fitting, one pixel short of it, one pixel short of the next. */
    int sides[] = {5 * modules, 5 * modules - 1, 6 * modules - 1, modules};
    int expected[] = {5, 4, 5, 1};
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
        drawn d = check_symbol(f, data, (SDL_Rect){3, 7, sides[i] + 40, sides[i]});
        assert_int_equal(d.module_px, expected[i]);
    }
}

static void test_module_counts_match_libqrencode(void **state)
{
    (void)state;
    char limit[UI_QR_VIEW_MAX_BYTES + 2];
    memset(limit, '7', sizeof limit);
    limit[UI_QR_VIEW_MAX_BYTES] = '\0';
    const char *samples[] = {"1", "ZW-2026-000042", TRACKING_URL, "粤B·受理号 2026-000042", limit};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        QRcode *reference = QRcode_encodeString8bit(samples[i], 0, QR_ECLEVEL_M);
        assert_non_null(reference);
        assert_int_equal(ui_qr_view_module_count(samples[i]), reference->width);
        QRcode_free(reference);
    }
    /* One byte over the limit, nothing, and no string at all. */
    limit[UI_QR_VIEW_MAX_BYTES] = '7';
    limit[UI_QR_VIEW_MAX_BYTES + 1] = '\0';
    assert_int_equal(ui_qr_view_module_count(limit), 0);
    assert_int_equal(ui_qr_view_module_count(""), 0);
    assert_int_equal(ui_qr_view_module_count(NULL), 0);
}

static void test_utf8_data_is_encoded_as_bytes(void **state)
{
    check_symbol(*state, "粤B·受理号 2026-000042", (SDL_Rect){20, 20, 400, 300});
}

/* Only the grey outline of bounds: no black, no white, nothing else. */
static void assert_only_outline(const fixture *f, SDL_Rect bounds)
{
    int right = bounds.x + bounds.w - 1, bottom = bounds.y + bounds.h - 1;
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            bool edge = x >= bounds.x && x <= right && y >= bounds.y && y <= bottom &&
                        (x == bounds.x || x == right || y == bounds.y || y == bottom);
            assert_int_equal(pixel(f, x, y), edge ? GREY : rgb(page));
        }
    }
}

static void test_data_that_cannot_show_draws_an_outline(void **state)
{
    fixture *f = *state;
    static char too_long[2001];
    memset(too_long, 'Q', sizeof too_long - 1);
    SDL_Rect bounds = {40, 30, 300, 280};
    const char *cases[] = {"", too_long, NULL};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ui_widget *view = ui_qr_view_create(NULL, "qr", cases[i], bounds);
        assert_non_null(view);
        render(f, view);
        assert_only_outline(f, bounds);
        ui_widget_destroy(view);
    }
}

static void test_bounds_too_small_draw_an_outline(void **state)
{
    fixture *f = *state;
    /* 29 modules with the quiet zone need 29 pixels at least. */
    SDL_Rect bounds = {10, 10, 200, 28};
    ui_widget *view = ui_qr_view_create(NULL, "qr", "A1", bounds);
    render(f, view);
    assert_only_outline(f, bounds);
    ui_widget_destroy(view);
}

static void test_dark_on_light_in_every_theme(void **state)
{
    fixture *f = *state;
    ui_widget *view = ui_qr_view_create(NULL, "qr", TRACKING_URL, (SDL_Rect){0, 0, W, H});
    static Uint32 standard[W * H];
    render(f, view);
    memcpy(standard, f->pixels, sizeof standard);
    for (int theme = 0; theme < UI_THEME_COUNT; theme++) {
        f->context.theme = ui_theme_get((ui_theme_id)theme);
        render(f, view);
        assert_memory_equal(f->pixels, standard, sizeof standard);
    }
    f->context.theme = ui_theme_get(UI_THEME_STANDARD);
    ui_widget_destroy(view);
}

static void test_forgetting_then_drawing_again(void **state)
{
    SDL_Rect bounds = {0, 0, W, H};
    drawn before = check_symbol(*state, TRACKING_URL, bounds);
    ui_qr_view_forget_all();
    ui_qr_view_forget_all(); /* twice is harmless */
    drawn after = check_symbol(*state, TRACKING_URL, bounds);
    assert_memory_equal(&before, &after, sizeof before);
}

static void test_more_codes_than_the_cache_holds(void **state)
{
    /* Six codes through a cache of four, then the first again: eviction
     * never hands back another code's matrix. */
    char data[6][32];
    for (int i = 0; i < 6; i++)
        snprintf(data[i], sizeof data[i], "ZW-2026-%06d", i * 7919);
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 6; i++)
            check_symbol(*state, data[(i * 5 + round) % 6], (SDL_Rect){0, 0, 300, 300});
    check_symbol(*state, data[0], (SDL_Rect){0, 0, 300, 300});
}

/* Draws a view some frames, keeping what was logged. */
typedef struct frames_of {
    fixture *f;
    const ui_widget *view;
    int frames;
} frames_of;

static void draw_frames(void *context)
{
    frames_of *job = context;
    for (int i = 0; i < job->frames; i++)
        render(job->f, job->view);
}

static const char *captured_log(fixture *f, const ui_widget *view, int frames)
{
    frames_of job = {f, view, frames};
    return test_stderr_of(draw_frames, &job);
}

static void test_problems_are_logged_once_without_the_data(void **state)
{
    fixture *f = *state;
    ui_qr_view_forget_all();
    log_set_level(LOG_LEVEL_WARN);
    static char secret[2001];
    memset(secret, 'S', sizeof secret - 1);
    memcpy(secret, "SECRET-110105199001011234", 25);
    ui_widget *view = ui_qr_view_create(NULL, "receipt-qr", secret, (SDL_Rect){0, 0, 200, 200});

    const char *log = captured_log(f, view, 3);
    assert_int_equal(test_count_of(log, " W qr: "), 1);
    assert_non_null(strstr(log, "receipt-qr"));
    assert_null(strstr(log, "SECRET"));
    assert_null(strstr(log, "SSSS"));

    /* Another problem is its own warning; the same one stays quiet. */
    assert_true(ui_widget_set_text(view, ""));
    log = captured_log(f, view, 2);
    assert_int_equal(test_count_of(log, " W qr: "), 1);
    assert_true(ui_widget_set_text(view, secret));
    log = captured_log(f, view, 2);
    assert_int_equal(test_count_of(log, " W qr: "), 0);

    /* A new session warns again. */
    ui_qr_view_forget_all();
    log = captured_log(f, view, 2);
    assert_int_equal(test_count_of(log, " W qr: "), 1);

    ui_widget_destroy(view);
    log_set_level(LOG_LEVEL_ERROR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_class_and_its_widget),
        cmocka_unit_test(test_a_tracking_code_is_drawn_module_for_module),
        cmocka_unit_test(test_a_long_tracking_url),
        cmocka_unit_test(test_the_module_size_is_the_largest_that_fits),
        cmocka_unit_test(test_module_counts_match_libqrencode),
        cmocka_unit_test(test_utf8_data_is_encoded_as_bytes),
        cmocka_unit_test(test_data_that_cannot_show_draws_an_outline),
        cmocka_unit_test(test_bounds_too_small_draw_an_outline),
        cmocka_unit_test(test_dark_on_light_in_every_theme),
        cmocka_unit_test(test_forgetting_then_drawing_again),
        cmocka_unit_test(test_more_codes_than_the_cache_holds),
        cmocka_unit_test(test_problems_are_logged_once_without_the_data),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
