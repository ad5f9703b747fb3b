#include "../support/test_support.h"

#include "ui/test_probes.h"
#include "ui/text.h"

#include <stdio.h>
#include <string.h>

#define NOTO "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
#define WQY  "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

typedef struct fixture {
    SDL_Surface *surface;
    SDL_Renderer *renderer;
    ui_text *text;
} fixture;

static int setup(void **state)
{
    static fixture f;
    f.surface = SDL_CreateRGBSurfaceWithFormat(0, 640, 480, 32, SDL_PIXELFORMAT_ARGB8888);
    f.renderer = f.surface ? SDL_CreateSoftwareRenderer(f.surface) : NULL;
    if (!f.renderer)
        return -1;
    ui_font_source sources[LANG_COUNT] = {{NOTO, 2}, {NOTO, 3}, {NOTO, 2}};
    kiosk_diag diag;
    if (ui_text_open(f.renderer, sources, (ui_font_source){WQY, 0}, &f.text, &diag) != KIOSK_OK)
        return -1;
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

static const ui_text_style body = {.size_px = 32, .color = {0, 0, 0, 255}};

static void test_drawn_text_is_cached(void **state)
{
    fixture *f = *state;
    int w1 = 0, h1 = 0, w2 = 0, h2 = 0;
    SDL_Texture *first = ui_text_get(f->text, LANG_ZH_CN, "社保查询", body, &w1, &h1);
    SDL_Texture *again = ui_text_get(f->text, LANG_ZH_CN, "社保查询", body, &w2, &h2);
    assert_non_null(first);
    assert_ptr_equal(first, again);
    assert_int_equal(w1, w2);
    assert_true(w1 > 4 * 28 && w1 < 4 * 40); /* four full-width characters */
    ui_text_stats stats = ui_text_get_stats(f->text);
    assert_int_equal(stats.misses, 1);
    assert_int_equal(stats.hits, 1);

    /* Another colour, size or language is another picture. */
    ui_text_style red = body;
    red.color = (SDL_Color){200, 0, 0, 255};
    assert_ptr_not_equal(ui_text_get(f->text, LANG_ZH_CN, "社保查询", red, &w2, &h2), first);
    assert_ptr_not_equal(ui_text_get(f->text, LANG_ZH_TW, "社保查询", body, &w2, &h2), NULL);
    assert_int_equal(ui_text_get_stats(f->text).misses, 3);
}

static void test_cache_stays_within_its_bounds(void **state)
{
    fixture *f = *state;
    char label[32];
    int w, h;
    for (int i = 0; i < 600; i++) {
        snprintf(label, sizeof label, "受理编号 %d", i);
        assert_non_null(ui_text_get(f->text, LANG_ZH_CN, label, body, &w, &h));
    }
    ui_text_stats stats = ui_text_get_stats(f->text);
    assert_true(stats.entries <= 256);
    assert_true(stats.evictions >= 600 - 256);
    /* The most recent survive eviction. */
    unsigned long hits = stats.hits;
    assert_non_null(ui_text_get(f->text, LANG_ZH_CN, "受理编号 599", body, &w, &h));
    assert_int_equal(ui_text_get_stats(f->text).hits, hits + 1);
    /* Every surviving entry is still findable after the shuffling. */
    for (int i = 599; i > 599 - (int)stats.entries + 10; i--) {
        snprintf(label, sizeof label, "受理编号 %d", i);
        hits = ui_text_get_stats(f->text).hits;
        assert_non_null(ui_text_get(f->text, LANG_ZH_CN, label, body, &w, &h));
        assert_int_equal(ui_text_get_stats(f->text).hits, hits + 1);
    }
    ui_text_clear(f->text);
    assert_int_equal(ui_text_get_stats(f->text).entries, 0);
    assert_int_equal(ui_text_get_stats(f->text).bytes, 0);
}

static void test_nothing_to_draw(void **state)
{
    fixture *f = *state;
    int w, h;
    assert_null(ui_text_get(f->text, LANG_ZH_CN, "", body, &w, &h));
    ui_text_style none = body;
    none.size_px = 0;
    assert_null(ui_text_get(f->text, LANG_ZH_CN, "字", none, &w, &h));
}

static void test_a_missing_font_falls_back(void **state)
{
    fixture *f = *state;
    ui_text *text = NULL;
    kiosk_diag diag;
    log_set_level(LOG_LEVEL_ERROR);
    ui_font_source sources[LANG_COUNT] = {{"/nonexistent/font.ttc", 2}, {NOTO, 3}, {NOTO, 2}};
    assert_int_equal(ui_text_open(f->renderer, sources, (ui_font_source){WQY, 0}, &text, &diag),
                     KIOSK_OK);
    int w, h;
    assert_non_null(ui_text_get(text, LANG_ZH_CN, "社保查询", body, &w, &h));
    ui_text_close(text);
}

static void test_no_usable_font_is_an_error_naming_the_file(void **state)
{
    fixture *f = *state;
    ui_text *text = NULL;
    kiosk_diag diag = {{0}};
    ui_font_source sources[LANG_COUNT] = {{"/nonexistent/font.ttc", 2}, {NOTO, 3}, {NOTO, 2}};
    assert_int_equal(ui_text_open(f->renderer, sources, (ui_font_source){"/nonexistent/wqy.ttc", 0},
                                  &text, &diag),
                     KIOSK_ERR_FONT);
    assert_non_null(strstr(diag.message, "/nonexistent/font.ttc: font file not found"));
    assert_non_null(strstr(diag.message, "/nonexistent/wqy.ttc"));

    char not_a_font[1024];
    snprintf(not_a_font, sizeof not_a_font, "%s/assets/catalog/sample.json", test_source_dir());
    ui_font_source bad[LANG_COUNT] = {{not_a_font, 0}, {NOTO, 3}, {NOTO, 2}};
    assert_int_equal(ui_text_open(f->renderer, bad, (ui_font_source){not_a_font, 0}, &text, &diag),
                     KIOSK_ERR_FONT);
    assert_non_null(strstr(diag.message, "sample.json: not a font file"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drawn_text_is_cached),
        cmocka_unit_test(test_cache_stays_within_its_bounds),
        cmocka_unit_test(test_nothing_to_draw),
        cmocka_unit_test(test_a_missing_font_falls_back),
        cmocka_unit_test(test_no_usable_font_is_an_error_naming_the_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
