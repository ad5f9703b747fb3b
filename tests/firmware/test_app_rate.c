/* 好差评 without nudging: the five levels look alike until one is chosen,
 * and a poor rating calls staff only when the citizen says yes. */
#include "../support/test_support.h"

#include "firmware/app/app_rate.h"
#include "offline-cache/outbox.h"
#include "offline-cache/seal.h"
#include "ui/image.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* A citizen at the rating step after 证明打印 (kept offline). */
static kiosk_app *at_rating(const char **data_dir, int theme)
{
    kiosk_app *app = test_app_create_with(test_board_in_temp("portrait-1080", data_dir), LANG_ZH_CN,
                                          true, theme);
    test_open_typed(app, "tile.certificate-print");
    test_type(app, "310101198005056662");
    test_tap(app, "step.next");
    test_tap(app, "step.next");
    test_tap(app, "result.done");
    assert_string_equal(app_screen_name(app), "rate");
    return app;
}

static SDL_Color pixel(SDL_Surface *s, int x, int y)
{
    Uint32 p = ((Uint32 *)((Uint8 *)s->pixels + y * s->pitch))[x];
    return (SDL_Color){(Uint8)(p >> 16), (Uint8)(p >> 8), (Uint8)p, 255};
}

static bool same_colour(SDL_Color a, SDL_Color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* One size, one tone, one face and border colour as drawn, none chosen: in
 * every theme. */
static void test_the_five_levels_look_alike(void **state)
{
    (void)state;
    for (int theme = 0; theme < UI_THEME_COUNT; theme++) {
        const char *dir = NULL;
        kiosk_app *app = at_rating(&dir, theme);
        SDL_Surface *frame = NULL;
        assert_int_equal(app_capture(app, &frame), KIOSK_OK);
        ui_widget *first = ui_widget_find(app_root(app), "rate.choice.0");
        assert_non_null(first);
        /* A point on the border ring and one on the face, left of the words. */
        int border = first->bounds.h / 2, inset = first->bounds.w / 40 + 8;
        SDL_Color ring = pixel(frame, first->bounds.x + 1, first->bounds.y + border);
        SDL_Color face = pixel(frame, first->bounds.x + inset, first->bounds.y + border);
        for (int i = 0; i < 5; i++) {
            char id[32];
            snprintf(id, sizeof id, "rate.choice.%d", i);
            ui_widget *level = ui_widget_find(app_root(app), id);
            assert_non_null(level);
            if (level->bounds.w != first->bounds.w || level->bounds.h != first->bounds.h)
                fail_msg("%s: %s is %dx%d, the first %dx%d", app_theme_name(app), id,
                         level->bounds.w, level->bounds.h, first->bounds.w, first->bounds.h);
            assert_int_equal(level->tone, first->tone);
            assert_false(level->flags & UI_FLAG_CHECKED);
            assert_false(level->flags & UI_FLAG_PRESSED);
            if (!same_colour(pixel(frame, level->bounds.x + 1, level->bounds.y + border), ring) ||
                !same_colour(pixel(frame, level->bounds.x + inset, level->bounds.y + border), face))
                fail_msg("%s: %s is drawn in other colours than the first", app_theme_name(app),
                         id);
        }
        char path[1200];
        snprintf(path, sizeof path, "%s/build/test-output", test_source_dir());
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/build/test-output/rate-levels-%s.png", test_source_dir(),
                 app_theme_name(app));
        assert_int_equal(ui_image_save_png(frame, path, NULL), KIOSK_OK);
        SDL_FreeSurface(frame);
        app_destroy(app);
    }
}

/* The kinds of the records in the outbox of the board whose data is in dir,
 * joined by ','. */
static void outbox_kinds(const char *dir, char *out, size_t size)
{
    char db[1200], key_file[1200];
    snprintf(db, sizeof db, "%s/kiosk.db", dir);
    snprintf(key_file, sizeof key_file, "%s/seal.key", dir);
    seal_key key;
    assert_int_equal(seal_key_file_load(key_file, &key, NULL), KIOSK_OK);
    cache_options options = {.path = db, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    cache_record records[8];
    size_t count = 0;
    assert_int_equal(test_claim_citizen_records(store, 8, records, &count), KIOSK_OK);
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < count; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? "," : "", records[i].kind);
    cache_records_free(records, count);
    cache_close(store);
    seal_key_wipe(&key);
}

static void rate_poorly_and_answer(int answer, char *kinds, size_t size, bool *called)
{
    const char *dir = NULL;
    kiosk_app *app = at_rating(&dir, UI_THEME_STANDARD);
    char data_dir[1100];
    snprintf(data_dir, sizeof data_dir, "%s", dir);
    test_tap(app, "rate.choice.4"); /* 非常不满意 */
    test_tap(app, "rate.choice.1"); /* 操作不方便 */
    assert_string_equal(test_text_of(app, "rate.prompt"), "需要工作人员过来了解情况吗？");
    assert_string_equal(test_text_of(app, "rate.choice.0"), "是，请工作人员来");
    assert_string_equal(test_text_of(app, "rate.choice.1"), "不用了");
    /* Nobody is called while the citizen decides. */
    assert_false(app_rate_staff_called(app));
    test_tap(app, answer == 0 ? "rate.choice.0" : "rate.choice.1");
    assert_string_equal(test_text_of(app, "notice.title"), "感谢您的评价");
    *called = app_rate_staff_called(app);
    const char *detail = test_text_of(app, "notice.detail");
    if (answer == 0)
        assert_string_equal(detail, "工作人员会来了解情况。");
    else
        assert_null(strstr(detail, "工作人员"));
    app_destroy(app);
    outbox_kinds(data_dir, kinds, size);
}

static void test_a_poor_rating_calls_staff_only_when_asked(void **state)
{
    (void)state;
    char kinds[256];
    bool called = true;
    rate_poorly_and_answer(1, kinds, sizeof kinds, &called);
    assert_false(called);
    assert_string_equal(kinds, "submission,rating");
    rate_poorly_and_answer(0, kinds, sizeof kinds, &called);
    assert_true(called);
    assert_string_equal(kinds, "submission,rating,staff-call");
}

/* A good rating asks nothing more. */
static void test_a_good_rating_asks_nothing_more(void **state)
{
    (void)state;
    const char *dir = NULL;
    kiosk_app *app = at_rating(&dir, UI_THEME_STANDARD);
    test_tap(app, "rate.choice.1"); /* 满意 */
    assert_string_equal(test_text_of(app, "notice.title"), "感谢您的评价");
    assert_false(app_rate_staff_called(app));
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_five_levels_look_alike),
        cmocka_unit_test(test_a_poor_rating_calls_staff_only_when_asked),
        cmocka_unit_test(test_a_good_rating_asks_nothing_more),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
