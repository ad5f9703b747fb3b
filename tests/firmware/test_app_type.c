/* Text typed on the on-screen keyboard inside the app, by taps and drags as
 * a citizen's finger makes them, with the real librime and zinnia: the
 * newborn bundle's baby's name in pinyin and in handwriting, Traditional
 * characters for zh-TW, letters, what is refused, and what is left when
 * the entry ends (nothing). Screens go to build/test-output/type-*.png. */
#include "../support/test_support.h"

#include "drivers/sim/idcard_sim.h"
#include "firmware/services/flow.h"
#include "ui/image.h"
#include "ui/ime_handwriting.h"
#include "ui/ime_pinyin.h"
#include "ui/keyboard.h"
#include "ui/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The baby's name: the newborn bundle's last field. */
#define BABY_NAME       "form.field.8"
#define BABY_NAME_VALUE "form.value.8"

static void snapshot(kiosk_app *app, const char *name)
{
    char dir[1024], path[1200];
    snprintf(dir, sizeof dir, "%s/build/test-output", test_source_dir());
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/type-%s.png", dir, name);
    SDL_Surface *frame = NULL;
    assert_int_equal(app_capture(app, &frame), KIOSK_OK);
    assert_int_equal(ui_image_save_png(frame, path, NULL), KIOSK_OK);
    SDL_FreeSurface(frame);
}

/* Home, the newborn bundle, the card laid, the baby's name tapped: the
 * keyboard, with the pinyin engine ready (it prepares while the citizen
 * lays the card; a test is faster than a citizen). */
static kiosk_app *open_baby_name(lang language, int theme)
{
    kiosk_app *app = test_app_create_with("portrait-1080", language, true, theme);
    test_tap_tile(app, "tile.newborn-bundle");
    test_wait_reader(app, "ready");
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_ORDINARY);
    test_wait_screen(app, "form");
    assert_true(ui_pinyin_wait_ready(10000));
    /* Elder mode's larger rows put the last field below the fold: it is
     * opened as its tap would. */
    if (theme == UI_THEME_STANDARD)
        test_tap(app, BABY_NAME);
    else
        app_perform(app, UI_ACTION_EDIT_FIELD, 8);
    assert_string_equal(app_screen_name(app), "type");
    return app;
}

static void tap_keys(kiosk_app *app, const char *keys)
{
    for (const char *p = keys; *p; p++) {
        char id[32];
        snprintf(id, sizeof id, UI_ID_TYPE_KEY, (char[]){*p, '\0'});
        test_tap(app, id);
    }
}

/* The place of the candidate showing text on the page shown, or -1. */
static int candidate_at(kiosk_app *app, const char *text)
{
    for (size_t i = 0; i < UI_TYPE_CANDIDATES_MAX; i++) {
        char id[32];
        snprintf(id, sizeof id, UI_ID_TYPE_CANDIDATE, i);
        ui_widget *candidate = ui_widget_find(app_root(app), id);
        if (!candidate)
            return -1;
        if (candidate->text && strcmp(candidate->text, text) == 0)
            return (int)i;
    }
    return -1;
}

static void tap_candidate(kiosk_app *app, const char *text)
{
    int at = candidate_at(app, text);
    if (at < 0)
        fail_msg("%s is not among the candidates", text);
    char id[32];
    snprintf(id, sizeof id, UI_ID_TYPE_CANDIDATE, (size_t)at);
    test_tap(app, id);
}

/* A finger on the glass at frame point (x, y). */
static void finger(kiosk_app *app, Uint32 type, int x, int y)
{
    float wx, wy;
    ui_display_unmap_point(app_display(app), x, y, &wx, &wy);
    SDL_Event event;
    SDL_zero(event);
    event.type = type;
    event.tfinger.touchId = 1;
    event.tfinger.fingerId = 1;
    event.tfinger.x = wx / (float)app_display(app)->window_width;
    event.tfinger.y = wy / (float)app_display(app)->window_height;
    assert_int_equal(SDL_PushEvent(&event), 1);
    app_process_pending(app);
}

/* Draws one stroke on the pad through the points (x, y in a 100 x 100
 * square standing for the pad; pairs, ending with -1), the finger reporting
 * every few pixels between them as it slides. */
static void draw_stroke(kiosk_app *app, const int *xy)
{
    ui_widget *pad = ui_widget_find(app_root(app), UI_ID_TYPE_PAD);
    assert_non_null(pad);
    SDL_Rect b = pad->bounds;
#define PAD_X(v) (b.x + (v)*b.w / 100)
#define PAD_Y(v) (b.y + (v)*b.h / 100)
    test_monotonic_now_ms += 400;
    finger(app, SDL_FINGERDOWN, PAD_X(xy[0]), PAD_Y(xy[1]));
    for (int i = 2; xy[i] >= 0; i += 2) {
        for (int step = 1; step <= 10; step++) {
            int x = xy[i - 2] + (xy[i] - xy[i - 2]) * step / 10;
            int y = xy[i - 1] + (xy[i + 1] - xy[i - 1]) * step / 10;
            finger(app, SDL_FINGERMOTION, PAD_X(x), PAD_Y(y));
        }
    }
    int last = 0;
    while (xy[last + 2] >= 0)
        last += 2;
    finger(app, SDL_FINGERUP, PAD_X(xy[last]), PAD_Y(xy[last + 1]));
#undef PAD_X
#undef PAD_Y
}

static const flow *the_flow(kiosk_app *app)
{
    return app_session_flow(app);
}

static void test_shebao_typed_in_pinyin_fills_the_babys_name(void **state)
{
    (void)state;
    kiosk_app *app = open_baby_name(LANG_ZH_CN, UI_THEME_STANDARD);
    assert_string_equal(test_text_of(app, UI_ID_TYPE_LABEL), "新生儿姓名");
    assert_string_equal(test_text_of(app, UI_ID_TYPE_FIELD), "");
    assert_string_equal(test_text_of(app, "step.next"), "完成");
    assert_string_equal(test_text_of(app, "step.back"), "返回");
    assert_true(ui_widget_find(app_root(app), "type.mode.pinyin")->flags & UI_FLAG_CHECKED);
    snapshot(app, "1-empty");

    tap_keys(app, "shebao");
    assert_string_equal(test_text_of(app, UI_ID_TYPE_COMPOSITION), "she bao");
    int at = candidate_at(app, "社保");
    assert_in_range(at, 0, 3);
    snapshot(app, "2-pinyin-candidates");
    tap_candidate(app, "社保");
    assert_string_equal(test_text_of(app, UI_ID_TYPE_FIELD), "社保");
    assert_true(ui_widget_find(app_root(app), UI_ID_TYPE_COMPOSITION)->flags & UI_FLAG_HIDDEN);
    assert_null(ui_widget_find(app_root(app), "type.candidate.0"));
    snapshot(app, "3-chosen");

    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "form");
    assert_string_equal(test_text_of(app, BABY_NAME_VALUE), "社保");
    assert_string_equal(the_flow(app)->values[8], "社保");
    snapshot(app, "4-form");
    app_destroy(app);
}

/* Two words, delete and back: what a citizen fixing a mistake does. */
static void test_delete_clear_and_back(void **state)
{
    (void)state;
    kiosk_app *app = open_baby_name(LANG_ZH_CN, UI_THEME_STANDARD);
    tap_keys(app, "zhang");
    tap_candidate(app, "张");
    tap_keys(app, "lele");
    tap_candidate(app, "乐乐");
    assert_string_equal(test_text_of(app, UI_ID_TYPE_FIELD), "张乐乐");
    /* Delete takes a letter off the composition first, then a character. */
    tap_keys(app, "xy");
    test_tap(app, "type.key.delete");
    assert_string_equal(test_text_of(app, UI_ID_TYPE_COMPOSITION), "x");
    test_tap(app, "type.key.delete");
    assert_true(ui_widget_find(app_root(app), UI_ID_TYPE_COMPOSITION)->flags & UI_FLAG_HIDDEN);
    test_tap(app, "type.key.delete");
    assert_string_equal(test_text_of(app, UI_ID_TYPE_FIELD), "张乐");
    /* 完成 with letters not yet chosen says so, and keeps them. */
    tap_keys(app, "le");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "type");
    assert_string_equal(test_text_of(app, UI_ID_TYPE_PROBLEM), "请先在上面点选要输入的字");
    tap_candidate(app, "乐");
    test_tap(app, "step.next");
    assert_string_equal(test_text_of(app, BABY_NAME_VALUE), "张乐乐");

    /* 返回 leaves the field as it was; clear empties what is typed. */
    test_tap(app, BABY_NAME);
    assert_string_equal(test_text_of(app, UI_ID_TYPE_FIELD), "张乐乐");
    test_tap(app, "type.key.clear");
    assert_string_equal(test_text_of(app, UI_ID_TYPE_FIELD), "");
    test_tap(app, "step.back");
    assert_string_equal(app_screen_name(app), "form");
    assert_string_equal(test_text_of(app, BABY_NAME_VALUE), "张乐乐");
    app_destroy(app);
}

static void test_candidates_page_on_and_back(void **state)
{
    (void)state;
    kiosk_app *app = open_baby_name(LANG_ZH_CN, UI_THEME_STANDARD);
    tap_keys(app, "shi");
    assert_true(ui_widget_find(app_root(app), UI_ID_TYPE_EARLIER)->flags & UI_FLAG_HIDDEN);
    assert_false(ui_widget_find(app_root(app), UI_ID_TYPE_LATER)->flags & UI_FLAG_HIDDEN);
    char first[UI_PINYIN_CANDIDATE_MAX];
    snprintf(first, sizeof first, "%s", test_text_of(app, "type.candidate.0"));
    test_tap(app, UI_ID_TYPE_LATER);
    assert_false(ui_widget_find(app_root(app), UI_ID_TYPE_EARLIER)->flags & UI_FLAG_HIDDEN);
    char second[UI_PINYIN_CANDIDATE_MAX];
    snprintf(second, sizeof second, "%s", test_text_of(app, "type.candidate.1"));
    assert_string_not_equal(second, first);
    snapshot(app, "5-second-page");
    /* A candidate of the second page is what is typed. */
    test_tap(app, "type.candidate.1");
    assert_string_equal(test_text_of(app, UI_ID_TYPE_FIELD), second);
    tap_keys(app, "shi");
    test_tap(app, UI_ID_TYPE_LATER);
    test_tap(app, UI_ID_TYPE_EARLIER);
    assert_string_equal(test_text_of(app, "type.candidate.0"), first);
    app_destroy(app);
}

/* 十 drawn with two strokes of a finger: recognised, chosen, typed. */
static void test_a_character_drawn_by_finger(void **state)
{
    (void)state;
    kiosk_app *app = open_baby_name(LANG_ZH_CN, UI_THEME_STANDARD);
    test_tap(app, "type.mode.handwriting");
    assert_non_null(ui_widget_find(app_root(app), UI_ID_TYPE_PAD));
    assert_null(ui_widget_find(app_root(app), "type.key.a"));
    snapshot(app, "6-pad");
    draw_stroke(app, (const int[]){20, 45, 80, 45, -1});
    assert_string_equal(test_text_of(app, "type.candidate.0"), "一");
    draw_stroke(app, (const int[]){50, 12, 50, 90, -1});
    assert_string_equal(test_text_of(app, "type.candidate.0"), "十");
    snapshot(app, "7-handwriting-candidates");
    test_tap(app, "type.candidate.0");
    assert_string_equal(test_text_of(app, UI_ID_TYPE_FIELD), "十");
    /* The pad is empty again for the next character. */
    assert_null(ui_widget_find(app_root(app), "type.candidate.0"));
    assert_int_equal(ui_pad_ink(ui_widget_find(app_root(app), UI_ID_TYPE_PAD))->count, 0);

    /* 口 in three strokes; delete takes the last stroke back first. */
    draw_stroke(app, (const int[]){25, 25, 25, 80, -1});
    draw_stroke(app, (const int[]){25, 25, 75, 25, 75, 80, -1});
    draw_stroke(app, (const int[]){25, 80, 75, 80, -1});
    assert_int_equal(candidate_at(app, "口"), 0);
    test_tap(app, "type.key.delete");
    assert_int_equal(ui_pad_ink(ui_widget_find(app_root(app), UI_ID_TYPE_PAD))->strokes, 2);
    draw_stroke(app, (const int[]){25, 80, 75, 80, -1});
    tap_candidate(app, "口");
    assert_string_equal(test_text_of(app, UI_ID_TYPE_FIELD), "十口");
    test_tap(app, "step.next");
    assert_string_equal(test_text_of(app, BABY_NAME_VALUE), "十口");
    app_destroy(app);
}

/* zh-TW: pinyin gives Traditional characters. */
static void test_taiwan_gets_traditional_characters(void **state)
{
    (void)state;
    kiosk_app *app = open_baby_name(LANG_ZH_TW, UI_THEME_STANDARD);
    assert_string_equal(test_text_of(app, UI_ID_TYPE_LABEL), "新生兒姓名");
    tap_keys(app, "guojia");
    assert_in_range(candidate_at(app, "國家"), 0, 3);
    assert_int_equal(candidate_at(app, "国家"), -1);
    snapshot(app, "8-traditional");
    tap_candidate(app, "國家");
    /* The language changed mid-entry: the characters follow it. */
    test_tap(app, "footer.lang.zh-CN");
    tap_keys(app, "guojia");
    assert_in_range(candidate_at(app, "国家"), 0, 3);
    app_destroy(app);
}

/* English letters, capitals and a space; the elder theme's larger keys. */
static void test_letters_and_the_elder_keyboard(void **state)
{
    (void)state;
    kiosk_app *app = open_baby_name(LANG_EN, UI_THEME_ELDER);
    test_tap(app, "type.mode.letters");
    test_tap(app, "type.key.capitals");
    tap_keys(app, "l");
    test_tap(app, "type.key.capitals");
    tap_keys(app, "e");
    test_tap(app, "type.key.space");
    test_tap(app, "type.key.space"); /* never two */
    test_tap(app, "type.key.capitals");
    tap_keys(app, "l");
    test_tap(app, "type.key.capitals");
    tap_keys(app, "e");
    assert_string_equal(test_text_of(app, UI_ID_TYPE_FIELD), "Le Le");
    /* Every key at least the elder theme's target, the candidates too. */
    const ui_theme *elder = ui_theme_get(UI_THEME_ELDER);
    int least = ui_dp(app_metrics(app), elder->min_target_dp);
    ui_widget *key = ui_widget_find(app_root(app), "type.key.q");
    assert_non_null(key);
    assert_true(key->bounds.w >= least && key->bounds.h >= least);
    snapshot(app, "9-elder-letters");
    test_tap(app, "type.mode.pinyin");
    tap_keys(app, "shebao");
    ui_widget *candidate = ui_widget_find(app_root(app), "type.candidate.0");
    assert_true(candidate->bounds.w >= least && candidate->bounds.h >= least);
    snapshot(app, "10-elder-pinyin");
    app_destroy(app);
}

/* Control and bidirectional characters never reach the field, and a text
 * longer than a name may be is refused with a reason. */
static void test_what_cannot_be_a_name_is_refused(void **state)
{
    (void)state;
    kiosk_app *app = open_baby_name(LANG_ZH_CN, UI_THEME_STANDARD);
    flow *f = app_session_flow(app);
    assert_true(flow_edit_type(f, "王\xE2\x80\xAE明"));
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "type");
    assert_string_equal(test_text_of(app, UI_ID_TYPE_PROBLEM),
                        "有不能使用的字符，请删去后重新输入");
    assert_string_equal(f->values[8], "");
    test_tap(app, "type.key.clear");
    test_tap(app, "type.mode.letters");
    for (int i = 0; i < 40; i++)
        tap_keys(app, "a");
    assert_true(ui_widget_find(app_root(app), UI_ID_TYPE_PROBLEM)->flags & UI_FLAG_HIDDEN);
    tap_keys(app, "a");
    assert_string_equal(test_text_of(app, UI_ID_TYPE_PROBLEM), "内容太长了，请删去一些");
    assert_int_equal(strlen(test_text_of(app, UI_ID_TYPE_FIELD)), 40);
    snapshot(app, "11-too-long");
    app_destroy(app);
}

static bool all_zero(const void *memory, size_t size)
{
    const unsigned char *bytes = memory;
    for (size_t i = 0; i < size; i++) {
        if (bytes[i])
            return false;
    }
    return true;
}

/* The visit ends mid-entry: nothing typed is left, and a new entry starts
 * with nothing composed. */
static void test_nothing_is_left_when_the_session_ends(void **state)
{
    (void)state;
    kiosk_app *app = open_baby_name(LANG_ZH_CN, UI_THEME_STANDARD);
    tap_keys(app, "wang");
    test_tap(app, "type.candidate.0");
    tap_keys(app, "xiao");
    app_session_end(app, "test");
    const flow *f = app_session_flow(app);
    assert_false(flow_active(f));
    assert_true(all_zero(f->typed, sizeof f->typed));
    assert_true(all_zero(f->values, sizeof f->values));
    app_destroy(app);

    app = open_baby_name(LANG_ZH_CN, UI_THEME_STANDARD);
    assert_string_equal(test_text_of(app, UI_ID_TYPE_FIELD), "");
    assert_true(ui_widget_find(app_root(app), UI_ID_TYPE_COMPOSITION)->flags & UI_FLAG_HIDDEN);
    app_destroy(app);
}

/* Without the pinyin engine (not yet ready, or not built in) the keyboard
 * offers what there is: handwriting first, and letters. */
static void test_without_pinyin_there_is_no_dead_end(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_with("portrait-1080", LANG_ZH_CN, true, UI_THEME_STANDARD);
    test_tap_tile(app, "tile.newborn-bundle");
    test_wait_reader(app, "ready");
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_ORDINARY);
    test_wait_screen(app, "form");
    ui_pinyin_stop();
    assert_int_equal(ui_pinyin_state_now(), UI_PINYIN_UNAVAILABLE);
    test_tap(app, BABY_NAME);
    assert_string_equal(app_screen_name(app), "type");
    assert_null(ui_widget_find(app_root(app), "type.mode.pinyin"));
    assert_non_null(ui_widget_find(app_root(app), UI_ID_TYPE_PAD));
    app_perform(app, UI_ACTION_INPUT_MODE, UI_KEYBOARD_PINYIN); /* refused */
    assert_non_null(ui_widget_find(app_root(app), UI_ID_TYPE_PAD));
    test_tap(app, "type.mode.letters");
    tap_keys(app, "lele");
    test_tap(app, "step.next");
    assert_string_equal(test_text_of(app, BABY_NAME_VALUE), "lele");
    app_destroy(app);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* A figure, not a pass mark: from a pinyin key's tap to the screen rebuilt
 * with its candidates and drawn (the median of 30). */
static void test_figure_pinyin_key_to_candidates_drawn(void **state)
{
    (void)state;
    kiosk_app *app = open_baby_name(LANG_ZH_CN, UI_THEME_STANDARD);
    double times[30];
    for (int i = 0; i < 30; i++) {
        test_tap(app, "type.key.clear");
        ui_widget *key = ui_widget_find(app_root(app), "type.key.s");
        double start = now_ms();
        app_perform(app, key->action, key->action_arg);
        SDL_Surface *frame = NULL;
        assert_int_equal(app_capture(app, &frame), KIOSK_OK);
        times[i] = now_ms() - start;
        SDL_FreeSurface(frame);
        assert_non_null(ui_widget_find(app_root(app), "type.candidate.0"));
    }
    for (int i = 1; i < 30; i++)
        for (int j = i; j > 0 && times[j] < times[j - 1]; j--) {
            double t = times[j];
            times[j] = times[j - 1];
            times[j - 1] = t;
        }
    printf("FIGURE pinyin key to candidates drawn: median %.1f ms, worst %.1f ms (30 taps)\n",
           times[15], times[29]);
    app_destroy(app);
}

int main(void)
{
#if !defined(KIOSK_HAVE_RIME) || !defined(KIOSK_HAVE_ZINNIA)
    printf("SKIP test_app_type: built without librime or zinnia\n");
    return 0;
#endif
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shebao_typed_in_pinyin_fills_the_babys_name),
        cmocka_unit_test(test_delete_clear_and_back),
        cmocka_unit_test(test_candidates_page_on_and_back),
        cmocka_unit_test(test_a_character_drawn_by_finger),
        cmocka_unit_test(test_taiwan_gets_traditional_characters),
        cmocka_unit_test(test_letters_and_the_elder_keyboard),
        cmocka_unit_test(test_what_cannot_be_a_name_is_refused),
        cmocka_unit_test(test_nothing_is_left_when_the_session_ends),
        cmocka_unit_test(test_without_pinyin_there_is_no_dead_end),
        cmocka_unit_test(test_figure_pinyin_key_to_candidates_drawn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
