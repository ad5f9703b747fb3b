#include "../support/test_support.h"

#include "ui/feedback_widgets.h"
#include "ui/test_probes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOTO "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
#define WQY  "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

#define W 1080
#define H 1200

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_ring_shows_the_time_left),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
