#include "../support/test_support.h"

#include "firmware/base/log.h"
#include "ui/feedback_widgets.h"
#include "ui/image.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOTO "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
#define WQY  "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

#define W 1080
#define H 1200

#define RED  0xFFFF0000u
#define BLUE 0xFF0000FFu

typedef struct fixture {
    SDL_Surface *surface;
    SDL_Renderer *renderer;
    ui_text *text;
    ui_context context;
    Uint32 pixels[W * H];
} fixture;

static int setup(void **state)
{
    static fixture f;
    f.surface = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
    f.renderer = f.surface ? SDL_CreateSoftwareRenderer(f.surface) : NULL;
    if (!f.renderer)
        return -1;
    ui_font_source sources[LANG_COUNT] = {{NOTO, 2}, {NOTO, 3}, {NOTO, 2}};
    kiosk_diag diag;
    if (ui_text_open(f.renderer, sources, (ui_font_source){WQY, 0}, &f.text, &diag) != KIOSK_OK)
        return -1;
    /* The portrait 1080 board: 268 x 476 mm seen from 500 mm. */
    f.context = (ui_context){.renderer = f.renderer,
                             .text = f.text,
                             .theme = ui_theme_get(UI_THEME_STANDARD),
                             .metrics = ui_metrics_for_screen(1080, 1920, 268, 476, 500),
                             .language = LANG_ZH_CN};
    /* The broken-file cases warn on purpose; the test of warnings turns them on. */
    log_set_level(LOG_LEVEL_ERROR);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ui_text_close(f->text);
    SDL_DestroyRenderer(f->renderer);
    SDL_FreeSurface(f->surface);
    return 0;
}

static Uint32 rgb(SDL_Color colour)
{
    return 0xFF000000u | (Uint32)colour.r << 16 | (Uint32)colour.g << 8 | colour.b;
}

static const ui_tone_colours *tone(const fixture *f, ui_tone which)
{
    return &f->context.theme->tones[which];
}

static Uint32 page(const fixture *f)
{
    return rgb(f->context.theme->page);
}

/* Clears to the page colour, draws the tree and reads the frame back. */
static void render(fixture *f, const ui_widget *root)
{
    SDL_Color colour = f->context.theme->page;
    SDL_SetRenderDrawColor(f->renderer, colour.r, colour.g, colour.b, 255);
    SDL_RenderClear(f->renderer);
    ui_widget_draw_tree(root, &f->context);
    assert_int_equal(SDL_RenderReadPixels(f->renderer, NULL, SDL_PIXELFORMAT_ARGB8888, f->pixels,
                                          W * (int)sizeof(Uint32)),
                     0);
}

static Uint32 pixel(const fixture *f, int x, int y)
{
    assert_true(x >= 0 && x < W && y >= 0 && y < H);
    return f->pixels[y * W + x];
}

/* Pixels of exactly colour in rect. */
static int count_in(const fixture *f, SDL_Rect rect, Uint32 colour)
{
    int count = 0;
    for (int y = rect.y; y < rect.y + rect.h; y++)
        for (int x = rect.x; x < rect.x + rect.w; x++)
            count += pixel(f, x, y) == colour;
    return count;
}

static ui_widget *page_root(void)
{
    ui_widget *root = ui_panel_create(NULL, "page", (SDL_Rect){0, 0, W, H}, UI_TONE_PLAIN);
    assert_non_null(root);
    return root;
}

/* The one text part the widget shows. */
static ui_text_part only_part(fixture *f, const ui_widget *widget)
{
    ui_text_part parts[UI_TEXT_PARTS_MAX];
    assert_int_equal(ui_widget_text_parts(widget, &f->context, parts), 1);
    return parts[0];
}

static bool inside(SDL_Rect outer, SDL_Rect inner)
{
    return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
           inner.y + inner.h <= outer.y + outer.h;
}

/* ---- Progress bar ---- */

typedef struct track_row {
    int filled, empty;
} track_row;

/* Along row y of the widget: the track's filled and empty pixels. */
static track_row track_row_at(const fixture *f, const ui_widget *bar, int y)
{
    SDL_Rect row = {bar->bounds.x, y, bar->bounds.w, 1};
    return (track_row){.filled = count_in(f, row, rgb(tone(f, UI_TONE_PRIMARY)->background)),
                       .empty = count_in(f, row, rgb(tone(f, UI_TONE_FOOTER)->border))};
}

static void test_progress_fills_its_share_of_the_track(void **state)
{
    fixture *f = *state;
    ui_widget *root = page_root();
    SDL_Rect bounds = {40, 100, 900, 80};
    ui_widget *bar = ui_progress_create(root, "upload", bounds);
    assert_non_null(bar);
    assert_ptr_equal(ui_widget_find(root, "upload"), bar);
    assert_string_equal(bar->class_->name, "progress");
    assert_int_equal(bar->class_->role, UI_ROLE_TEXT);
    assert_string_equal(bar->text, "0%");
    assert_null(ui_widget_hit(root, bounds.x + 10, bounds.y + 40)); /* to read, not to tap */

    int middle = bounds.y + bounds.h / 2;
    const int per_mille[] = {0, 400, 1000};
    const char *texts[] = {"0%", "40%", "100%"};
    int track_w = 0;
    for (size_t i = 0; i < 3; i++) {
        ui_progress_set(bar, per_mille[i]);
        assert_int_equal(ui_progress_get(bar), per_mille[i]);
        assert_string_equal(bar->text, texts[i]);
        render(f, root);
        track_row row = track_row_at(f, bar, middle);
        int width = row.filled + row.empty;
        if (i == 0)
            track_w = width;
        /* The same track each time, more than half the width, the rest the label's. */
        assert_int_equal(width, track_w);
        assert_true(track_w > bounds.w / 2 && track_w < bounds.w);
        int expected = track_w * per_mille[i] / 1000;
        assert_true(abs(row.filled - expected) <= 2);

        /* The percentage, to the right of the track, is drawn. */
        ui_text_part part = only_part(f, bar);
        assert_string_equal(part.text, texts[i]);
        assert_true(part.box.x >= bounds.x + track_w);
        assert_true(inside(bounds, part.box));
        int text_px = count_in(f, part.box, rgb(tone(f, UI_TONE_PLAIN)->text));
        assert_true(text_px > 20);
    }
    assert_int_equal(track_row_at(f, bar, middle).empty, 0); /* full */

    /* Out of range is clamped; 99.9 % is not yet done. */
    ui_progress_set(bar, -5);
    assert_int_equal(ui_progress_get(bar), 0);
    assert_string_equal(bar->text, "0%");
    render(f, root);
    assert_int_equal(track_row_at(f, bar, middle).filled, 0);
    ui_progress_set(bar, 2000);
    assert_int_equal(ui_progress_get(bar), 1000);
    assert_string_equal(bar->text, "100%");
    render(f, root);
    assert_int_equal(track_row_at(f, bar, middle).filled, track_w);
    ui_progress_set(bar, 999);
    assert_string_equal(bar->text, "99%");
    ui_widget_destroy(root);
}

static void test_a_narrow_progress_bar_puts_its_percentage_below(void **state)
{
    fixture *f = *state;
    SDL_Rect bounds = {300, 300, 120, 140};
    ui_widget *bar = ui_progress_create(NULL, "narrow", bounds);
    ui_progress_set(bar, 500);
    ui_text_part part = only_part(f, bar);
    assert_string_equal(part.text, "50%");
    assert_int_equal(part.align, UI_ALIGN_CENTER);
    assert_true(inside(bounds, part.box));
    render(f, bar);
    /* The track spans the width above the text. */
    int track_y = -1;
    for (int y = bounds.y; y < part.box.y && track_y < 0; y++)
        if (pixel(f, bounds.x + bounds.w - 2, y) == rgb(tone(f, UI_TONE_FOOTER)->border))
            track_y = y;
    assert_true(track_y >= 0);
    ui_widget_destroy(bar);

    /* Too small for a label anywhere: only the track, the text still there to read. */
    bar = ui_progress_create(NULL, "tiny", (SDL_Rect){10, 10, 60, 20});
    ui_progress_set(bar, 300);
    ui_text_part parts[UI_TEXT_PARTS_MAX];
    assert_int_equal(ui_widget_text_parts(bar, &f->context, parts), 0);
    assert_string_equal(bar->text, "30%");
    ui_widget_destroy(bar);
}

static void test_progress_keeps_to_the_redraw_clip(void **state)
{
    fixture *f = *state;
    SDL_Rect bounds = {40, 100, 900, 80};
    ui_widget *bar = ui_progress_create(NULL, "upload", bounds);
    ui_progress_set(bar, 1000);
    render(f, bar);
    static Uint32 whole[W * H];
    memcpy(whole, f->pixels, sizeof whole);

    /* A partial redraw of the middle of the bar: the fill's own clip is
     * within it, and the redraw's clip is what it was afterwards. */
    SDL_Rect area = {300, 100, 200, 80};
    SDL_Color colour = f->context.theme->page;
    SDL_SetRenderDrawColor(f->renderer, colour.r, colour.g, colour.b, 255);
    SDL_RenderClear(f->renderer);
    SDL_RenderSetClipRect(f->renderer, &area);
    ui_widget_draw_tree(bar, &f->context);
    SDL_Rect after;
    SDL_RenderGetClipRect(f->renderer, &after);
    assert_true(SDL_RenderIsClipEnabled(f->renderer));
    assert_memory_equal(&after, &area, sizeof area);
    SDL_RenderSetClipRect(f->renderer, NULL);
    assert_int_equal(SDL_RenderReadPixels(f->renderer, NULL, SDL_PIXELFORMAT_ARGB8888, f->pixels,
                                          W * (int)sizeof(Uint32)),
                     0);
    for (int y = 0; y < H; y += 3) {
        for (int x = 0; x < W; x += 3) {
            bool in = x >= area.x && x < area.x + area.w && y >= area.y && y < area.y + area.h;
            assert_int_equal(pixel(f, x, y), in ? whole[y * W + x] : page(f));
        }
    }
    ui_widget_destroy(bar);
}

/* ---- Spinner ---- */

static void test_the_spinner_moves_and_says_what_it_waits_for(void **state)
{
    fixture *f = *state;
    ui_widget *root = page_root();
    SDL_Rect bounds = {100, 100, 500, 360};
    ui_widget *spinner = ui_spinner_create(root, "wait", "正在查询，请稍候", bounds);
    assert_non_null(spinner);
    assert_string_equal(spinner->class_->name, "spinner");
    assert_int_equal(spinner->class_->role, UI_ROLE_TEXT);
    assert_true(spinner->flags & UI_FLAG_ANIMATED);
    assert_string_equal(spinner->text, "正在查询，请稍候");

    ui_text_part part = only_part(f, spinner);
    assert_string_equal(part.text, "正在查询，请稍候");
    assert_true(inside(bounds, part.box));

    static Uint32 before[W * H];
    Uint64 started = SDL_GetTicks64();
    render(f, root);
    memcpy(before, f->pixels, sizeof before);
    SDL_Delay(110);
    render(f, root);
    Uint64 elapsed = SDL_GetTicks64() - started;

    /* The dots are above the label, the brightest in the primary colour
     * itself, the others fainter; nothing is drawn outside the bounds. */
    SDL_Rect dots = {bounds.x, bounds.y, bounds.w, part.box.y - bounds.y};
    Uint32 primary = rgb(tone(f, UI_TONE_PRIMARY)->background);
    assert_true(count_in(f, dots, primary) > 50);
    int faint = 0;
    for (int y = dots.y; y < dots.y + dots.h; y++)
        for (int x = dots.x; x < dots.x + dots.w; x++)
            faint += pixel(f, x, y) != primary && pixel(f, x, y) != page(f);
    assert_true(faint > 6 * 50);
    assert_true(count_in(f, part.box, rgb(tone(f, UI_TONE_PLAIN)->text)) > 50);
    assert_int_equal(
        count_in(f, (SDL_Rect){0, bounds.y + bounds.h, W, H - bounds.y - bounds.h}, page(f)),
        W * (H - bounds.y - bounds.h));

    /* The brightest dot stepped on (unless a slow machine let it come full
     * circle, 800 ms later). */
    if (elapsed < (Uint64)UI_SPINNER_DOTS * UI_SPINNER_STEP_MS - 100)
        assert_true(memcmp(before, f->pixels, sizeof before) != 0);

    /* Drawing leaves the renderer's blend mode as it found it. */
    SDL_BlendMode mode;
    SDL_GetRenderDrawBlendMode(f->renderer, &mode);
    assert_int_equal(mode, SDL_BLENDMODE_NONE);
    ui_widget_destroy(root);
}

static void test_a_spinner_without_a_label(void **state)
{
    fixture *f = *state;
    SDL_Rect bounds = {0, 0, 200, 200};
    ui_widget *spinner = ui_spinner_create(NULL, "wait", NULL, bounds);
    assert_non_null(spinner);
    assert_null(spinner->text);
    ui_text_part parts[UI_TEXT_PARTS_MAX];
    assert_int_equal(ui_widget_text_parts(spinner, &f->context, parts), 0);
    render(f, spinner);
    assert_true(count_in(f, bounds, rgb(tone(f, UI_TONE_PRIMARY)->background)) > 50);
    ui_widget_destroy(spinner);
}

/* ---- Countdown ring ---- */

static void test_the_ring_shows_the_time_left(void **state)
{
    fixture *f = *state;
    ui_widget *root = page_root();
    SDL_Rect bounds = {100, 100, 400, 400};
    ui_widget *ring = ui_countdown_create(root, "timeout.ring", 30, bounds);
    assert_non_null(ring);
    assert_string_equal(ring->class_->name, "countdown");
    assert_int_equal(ring->class_->role, UI_ROLE_TEXT);
    assert_string_equal(ring->text, "30");
    assert_int_equal(ui_countdown_seconds_left(ring), 30);

    Uint32 alert = rgb(tone(f, UI_TONE_ALERT)->border);
    Uint32 rest = rgb(tone(f, UI_TONE_FOOTER)->border);
    ui_countdown_set(ring, 30, "30 秒");
    render(f, root);
    int full = count_in(f, bounds, alert);
    assert_true(full > 10000);
    assert_int_equal(count_in(f, bounds, rest), 0);
    ui_text_part part = only_part(f, ring);
    assert_string_equal(part.text, "30 秒");
    /* Centred in the ring, inside its hole. */
    int centre_x = bounds.x + bounds.w / 2, centre_y = bounds.y + bounds.h / 2;
    assert_true(abs(part.box.x + part.box.w / 2 - centre_x) <= 1);
    assert_true(abs(part.box.y + part.box.h / 2 - centre_y) <= 1);
    assert_int_equal(count_in(f, part.box, alert), 0);
    assert_true(count_in(f, part.box, rgb(tone(f, UI_TONE_PLAIN)->text)) > 50);

    ui_countdown_set(ring, 15, "15 秒");
    assert_string_equal(ring->text, "15 秒");
    assert_string_equal(only_part(f, ring).text, "15 秒");
    render(f, root);
    int half = count_in(f, bounds, alert);
    assert_true(abs(half * 100 - full * 50) <= full * 2);
    assert_true(abs(count_in(f, bounds, rest) * 100 - full * 50) <= full * 2);
    /* Clockwise from twelve o'clock: half a ring is the right half. */
    assert_int_equal(count_in(f, (SDL_Rect){bounds.x, bounds.y, bounds.w / 2 - 1, bounds.h}, alert),
                     0);

    ui_countdown_set(ring, 0, "0 秒");
    render(f, root);
    assert_int_equal(count_in(f, bounds, alert), 0);
    assert_true(abs(count_in(f, bounds, rest) - full) <= full / 50);

    /* Clamped; NULL keeps the text. */
    ui_countdown_set(ring, 99, NULL);
    assert_int_equal(ui_countdown_seconds_left(ring), 30);
    assert_string_equal(ring->text, "0 秒");
    ui_countdown_set(ring, -3, "0 秒");
    assert_int_equal(ui_countdown_seconds_left(ring), 0);
    ui_widget_destroy(root);

    /* A total of nothing is a whole ring of one second, never a division by zero. */
    ring = ui_countdown_create(NULL, "odd", 0, bounds);
    assert_string_equal(ring->text, "1");
    render(f, ring);
    assert_true(count_in(f, bounds, alert) > 10000);
    ui_widget_destroy(ring);
}

/* ---- Image view ---- */

static const char *write_red_blue_png(void)
{
    SDL_Surface *picture = SDL_CreateRGBSurfaceWithFormat(0, 2, 1, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(picture);
    Uint32 *row = picture->pixels;
    row[0] = RED;
    row[1] = BLUE;
    const char *dir = test_make_temp_dir("feedback-image");
    static char path[1200];
    snprintf(path, sizeof path, "%s/red-blue.png", dir);
    kiosk_diag diag;
    assert_int_equal(ui_image_save_png(picture, path, &diag), KIOSK_OK);
    SDL_FreeSurface(picture);
    return path;
}

/* Checks that the picture fills picture (red left half, blue right half)
 * and that the rest of bounds and of the screen is page. */
static void assert_red_blue_in(const fixture *f, SDL_Rect picture)
{
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            bool in = x >= picture.x && x < picture.x + picture.w && y >= picture.y &&
                      y < picture.y + picture.h;
            Uint32 expected = !in ? page(f) : x < picture.x + picture.w / 2 ? RED : BLUE;
            if (pixel(f, x, y) != expected)
                fail_msg("(%d, %d) is %08X, not %08X", x, y, pixel(f, x, y), expected);
        }
    }
}

static void test_a_picture_keeps_its_shape(void **state)
{
    fixture *f = *state;
    const char *path = write_red_blue_png();
    ui_widget *root = page_root();
    /* Wider than the picture is in proportion: bands above and below. */
    ui_widget *view =
        ui_image_view_create(root, "guide", path, "红蓝两色示意图", (SDL_Rect){100, 100, 400, 300});
    assert_non_null(view);
    assert_string_equal(view->class_->name, "image-view");
    assert_int_equal(view->class_->role, UI_ROLE_TEXT);
    assert_string_equal(view->text, "红蓝两色示意图");
    assert_false(ui_image_view_loaded(view)); /* read on the first draw */
    ui_text_part parts[UI_TEXT_PARTS_MAX];
    assert_int_equal(ui_widget_text_parts(view, &f->context, parts), 0); /* said, not shown */
    render(f, root);
    assert_true(ui_image_view_loaded(view));
    assert_red_blue_in(f, (SDL_Rect){100, 150, 400, 200});
    render(f, root); /* the kept texture, again */
    assert_red_blue_in(f, (SDL_Rect){100, 150, 400, 200});
    ui_widget_destroy(root);

    /* Taller than the picture is: bands left and right. */
    view = ui_image_view_create(NULL, "guide", path, "示意图", (SDL_Rect){300, 200, 300, 500});
    render(f, view);
    assert_red_blue_in(f, (SDL_Rect){300, 375, 300, 150});
    ui_widget_destroy(view);

    /* Neither: bands on both sides of an odd leftover, centred. */
    view = ui_image_view_create(NULL, "guide", path, "示意图", (SDL_Rect){11, 7, 301, 101});
    render(f, view);
    assert_red_blue_in(f, (SDL_Rect){11 + (301 - 202) / 2, 7, 202, 101});
    ui_widget_destroy(view);
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

static void test_a_missing_or_broken_picture_draws_an_outline(void **state)
{
    fixture *f = *state;
    const char *dir = test_make_temp_dir("feedback-bad-image");
    const char *broken = test_write_file(dir, "broken.png", "not a png at all");
    const char *paths[] = {"/nonexistent/missing-guide.png", broken, "", NULL};
    const char *names[] = {"missing-guide.png", "broken.png", NULL, NULL};
    SDL_Rect bounds = {100, 100, 400, 300};
    log_set_level(LOG_LEVEL_WARN);
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        ui_widget *view = ui_image_view_create(NULL, "guide", paths[i], "示意图", bounds);
        assert_non_null(view);
        const char *log = captured_log(f, view, 3);
        /* Logged once, naming the file, however often it is drawn. */
        assert_int_equal(test_count_of(log, " W image: "), 1);
        if (names[i])
            assert_non_null(strstr(log, names[i]));
        assert_false(ui_image_view_loaded(view));
        assert_int_equal(count_in(f, (SDL_Rect){0, 0, W, H}, RED), 0);
        assert_int_equal(count_in(f, (SDL_Rect){0, 0, W, H}, BLUE), 0);
        /* A light outline on the bounds' edge, the inside left alone. */
        Uint32 outline = rgb(tone(f, UI_TONE_FOOTER)->border);
        assert_int_equal(pixel(f, bounds.x, bounds.y + 50), outline);
        assert_int_equal(pixel(f, bounds.x + bounds.w - 1, bounds.y + 50), outline);
        assert_int_equal(pixel(f, bounds.x + 50, bounds.y + bounds.h - 1), outline);
        assert_int_equal(
            count_in(f, (SDL_Rect){bounds.x + 1, bounds.y + 1, bounds.w - 2, bounds.h - 2},
                     page(f)),
            (bounds.w - 2) * (bounds.h - 2));
        ui_widget_destroy(view);
    }
    log_set_level(LOG_LEVEL_ERROR);
}

/* ---- Dialog ---- */

static void test_a_dialog_takes_every_touch_but_its_buttons(void **state)
{
    fixture *f = *state;
    ui_widget *root = page_root();
    ui_widget *under = ui_button_create(root, "home.tile", "社保查询", (SDL_Rect){20, 20, 300, 150},
                                        UI_ACTION_OPEN_SERVICE, 0);
    SDL_Rect screen = {0, 0, W, H}, buttons = {0};
    ui_widget *card = ui_dialog_create(root, "notice", "网络暂时中断",
                                       "您的材料已保存在本机。网络恢复后会自动提交，无需重新办理。",
                                       screen, &f->context, &buttons);
    assert_non_null(card);
    ui_widget *backdrop = ui_widget_find(root, "notice");
    assert_non_null(backdrop);
    assert_ptr_equal(card->parent, backdrop);
    assert_ptr_equal(backdrop->class_, &ui_dialog_backdrop_class);
    assert_string_equal(backdrop->class_->name, "dialog-backdrop");
    assert_int_equal(backdrop->class_->role, UI_ROLE_GROUP);
    assert_true(backdrop->flags & UI_FLAG_TAPPABLE);
    assert_int_equal(backdrop->action, UI_ACTION_NONE);
    assert_memory_equal(&backdrop->bounds, &screen, sizeof screen);

    /* A centred card, 80 % of the width, with the buttons' row at its foot. */
    assert_ptr_equal(ui_widget_find(root, "notice.card"), card);
    assert_int_equal(card->bounds.w, W * 80 / 100);
    assert_true(abs(card->bounds.x * 2 + card->bounds.w - W) <= 1);
    assert_true(abs(card->bounds.y * 2 + card->bounds.h - H) <= 1);
    assert_true(inside(screen, card->bounds));
    assert_true(inside(card->bounds, buttons));
    assert_true(buttons.h >= ui_dp(&f->context.metrics, f->context.theme->min_target_dp));
    ui_widget *title = ui_widget_find(root, "notice.title");
    ui_widget *body = ui_widget_find(root, "notice.body");
    assert_non_null(title);
    assert_non_null(body);
    assert_string_equal(title->text, "网络暂时中断");
    assert_int_equal(title->class_->role, UI_ROLE_HEADING);
    assert_true(title->bounds.y + title->bounds.h <= body->bounds.y);
    assert_true(body->bounds.y + body->bounds.h <= buttons.y);

    /* Title and body are measured: drawn at their full size, the body wrapped. */
    ui_text_part part = only_part(f, title);
    assert_int_equal(part.style.size_px, ui_theme_text_px(f->context.theme, &f->context.metrics,
                                                          f->context.theme->heading_dp));
    part = only_part(f, body);
    assert_int_equal(part.style.size_px, ui_theme_text_px(f->context.theme, &f->context.metrics,
                                                          f->context.theme->body_dp));
    assert_true(part.style.wrap_px > 0);
    assert_true(body->bounds.h > part.style.size_px * 2); /* two lines at least */

    ui_widget *ok = ui_button_create(card, "notice.ok", "知道了", buttons, UI_ACTION_CONTINUE, 0);
    assert_non_null(ok);

    /* What is under the dialog cannot be touched; its button can. */
    assert_ptr_equal(ui_widget_hit(root, 50, 50), backdrop);
    assert_ptr_equal(ui_widget_hit(root, W - 5, H - 5), backdrop);
    assert_ptr_equal(ui_widget_hit(root, card->bounds.x + 5, card->bounds.y + 5), backdrop);
    assert_ptr_equal(ui_widget_hit(root, buttons.x + buttons.w / 2, buttons.y + buttons.h / 2), ok);
    backdrop->flags |= UI_FLAG_HIDDEN;
    assert_ptr_equal(ui_widget_hit(root, 50, 50), under); /* it was there */
    backdrop->flags &= ~(unsigned)UI_FLAG_HIDDEN;

    /* The screen under it is dimmed; the card is not. */
    render(f, root);
    SDL_Color light = f->context.theme->page;
    Uint32 dimmed = pixel(f, W - 5, H - 5);
    int red = (int)(dimmed >> 16 & 0xFF);
    assert_true(abs(red - light.r * (255 - 160) / 255) <= 2);
    assert_int_equal(pixel(f, card->bounds.x + card->bounds.w / 2, card->bounds.y + 3),
                     rgb(tone(f, UI_TONE_PLAIN)->background));
    SDL_BlendMode mode;
    SDL_GetRenderDrawBlendMode(f->renderer, &mode);
    assert_int_equal(mode, SDL_BLENDMODE_NONE);

    /* Closing it: destroying the backdrop takes the card and buttons along. */
    ui_widget_destroy(backdrop);
    assert_null(ui_widget_find(root, "notice.ok"));
    assert_ptr_equal(ui_widget_hit(root, 50, 50), under);
    ui_widget_destroy(root);
}

static void test_a_dialog_laid_out_without_fonts_or_in_elder_mode(void **state)
{
    fixture *f = *state;
    const char *body = "您的材料已保存在本机。网络恢复后会自动提交，无需重新办理。";
    for (int theme = 0; theme < UI_THEME_COUNT; theme++) {
        for (int fonts = 0; fonts < 2; fonts++) {
            ui_context context = f->context;
            context.theme = ui_theme_get((ui_theme_id)theme);
            context.text = fonts ? f->text : NULL;
            SDL_Rect buttons = {0};
            ui_widget *root = page_root();
            ui_widget *card = ui_dialog_create(root, "notice", "网络暂时中断", body,
                                               (SDL_Rect){0, 0, W, H}, &context, &buttons);
            assert_non_null(card);
            assert_true(inside(card->bounds, buttons));
            assert_true(buttons.h >= ui_dp(&context.metrics, context.theme->min_target_dp));
            /* Estimated heights are never smaller than measured ones: the
             * body is not set smaller to fit. */
            context.text = f->text;
            ui_text_part parts[UI_TEXT_PARTS_MAX];
            assert_int_equal(
                ui_widget_text_parts(ui_widget_find(root, "notice.body"), &context, parts), 1);
            assert_int_equal(
                parts[0].style.size_px,
                ui_theme_text_px(context.theme, &context.metrics, context.theme->body_dp));
            ui_widget_destroy(root);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_progress_fills_its_share_of_the_track),
        cmocka_unit_test(test_a_narrow_progress_bar_puts_its_percentage_below),
        cmocka_unit_test(test_progress_keeps_to_the_redraw_clip),
        cmocka_unit_test(test_the_spinner_moves_and_says_what_it_waits_for),
        cmocka_unit_test(test_a_spinner_without_a_label),
        cmocka_unit_test(test_the_ring_shows_the_time_left),
        cmocka_unit_test(test_a_picture_keeps_its_shape),
        cmocka_unit_test(test_a_missing_or_broken_picture_draws_an_outline),
        cmocka_unit_test(test_a_dialog_takes_every_touch_but_its_buttons),
        cmocka_unit_test(test_a_dialog_laid_out_without_fonts_or_in_elder_mode),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
