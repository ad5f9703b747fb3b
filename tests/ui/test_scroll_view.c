#include "../support/test_support.h"

#include "ui/scroll_view.h"
#include "ui/test_probes.h"

#include <stdio.h>

/* A scroll view at 100,200 (600 x 400) holding rows of 80 with gaps of 20,
 * "list.<i>", as wide as the view less the bar's room and a gap. */
static ui_widget *make_list(ui_widget *root, int rows)
{
    ui_widget *list = ui_scroll_view_create(root, "list", (SDL_Rect){100, 200, 600, 400});
    assert_non_null(list);
    for (int i = 0; i < rows; i++) {
        char id[32], text[32];
        snprintf(id, sizeof id, "list.%d", i);
        snprintf(text, sizeof text, "第 %d 项", i + 1);
        ui_widget *row = ui_button_create(list, id, text, (SDL_Rect){100, 200 + i * 100, 560, 80},
                                          UI_ACTION_OPEN_SERVICE, i);
        assert_non_null(row);
        row->align = UI_ALIGN_START;
    }
    ui_scroll_view_update_extent(list);
    return list;
}

static void test_rows_stack_and_the_view_scrolls_within_its_content(void **state)
{
    (void)state;
    ui_widget *root = ui_panel_create(NULL, "page", (SDL_Rect){0, 0, 1080, 1920}, UI_TONE_PLAIN);
    ui_widget *list = make_list(root, 10);
    /* 10 rows of 80 with gaps of 20: 980 high, 400 shown. */
    assert_int_equal(ui_scroll_view_max_offset(list), 980 - 400);
    assert_int_equal(ui_widget_find(root, "list.1")->bounds.y, 300);
    assert_int_equal(ui_scroll_view_scroll_by(list, 250), 250);
    assert_int_equal(ui_widget_find(root, "list.1")->bounds.y, 50);
    /* Clamped at both ends. */
    assert_int_equal(ui_scroll_view_scroll_by(list, 10000), 980 - 400 - 250);
    assert_int_equal(ui_scroll_view_offset(list), 580);
    assert_int_equal(ui_scroll_view_scroll_by(list, -10000), -580);
    assert_int_equal(ui_scroll_view_offset(list), 0);
    assert_ptr_equal(ui_scroll_view_of(ui_widget_find(root, "list.3")), list);
    assert_null(ui_scroll_view_of(list));
    ui_widget_destroy(root);
}

static void test_what_is_scrolled_out_of_view_cannot_be_touched(void **state)
{
    (void)state;
    ui_widget *root = ui_panel_create(NULL, "page", (SDL_Rect){0, 0, 1080, 1920}, UI_TONE_PLAIN);
    ui_widget *list = make_list(root, 10);
    /* Row 5 lies at 700..780: below the view (200..600). */
    assert_null(ui_widget_hit(root, 300, 740));
    ui_scroll_view_scroll_by(list, 400);
    assert_ptr_equal(ui_widget_hit(root, 300, 340), ui_widget_find(root, "list.5"));
    ui_widget_destroy(root);
}

static void test_a_short_list_does_not_scroll(void **state)
{
    (void)state;
    ui_widget *root = ui_panel_create(NULL, "page", (SDL_Rect){0, 0, 1080, 1920}, UI_TONE_PLAIN);
    ui_widget *list = make_list(root, 2);
    assert_int_equal(ui_scroll_view_max_offset(list), 0);
    assert_int_equal(ui_scroll_view_scroll_by(list, 100), 0);
    ui_widget_destroy(root);
}

/* Bringing a row into view (a form's focus) leaves what shows alone and
 * centres what does not, as far as the content goes. */
static void test_reveal_moves_only_when_it_must(void **state)
{
    (void)state;
    ui_widget *root = ui_panel_create(NULL, "page", (SDL_Rect){0, 0, 1080, 1920}, UI_TONE_PLAIN);
    ui_widget *list = make_list(root, 10);
    /* Row 2 (400..480) shows: nothing moves. */
    assert_int_equal(ui_scroll_view_reveal(list, ui_widget_find(root, "list.2")), 0);
    /* Row 6 (800..880) does not: it comes to the middle (400). */
    assert_int_equal(ui_scroll_view_reveal(list, ui_widget_find(root, "list.6")), 440);
    assert_int_equal(ui_widget_find(root, "list.6")->bounds.y, 360);
    /* The last as far as the content goes: its bottom at the view's. */
    ui_scroll_view_reveal(list, ui_widget_find(root, "list.9"));
    assert_int_equal(ui_scroll_view_offset(list), ui_scroll_view_max_offset(list));
    assert_int_equal(ui_widget_find(root, "list.9")->bounds.y + 80, 600);
    ui_widget_destroy(root);
}

static void push_finger(Uint32 type, float x, float y)
{
    SDL_Event event;
    SDL_zero(event);
    event.type = type;
    event.tfinger.fingerId = 1;
    event.tfinger.x = x / 1080.0f;
    event.tfinger.y = y / 1920.0f;
    assert_int_equal(SDL_PushEvent(&event), 1);
}

/* Through the app's real input path: a drag scrolls and opens nothing; a tap
 * on a row still works; the drawn frame is clipped to the view. */
static void test_a_drag_scrolls_and_a_tap_acts(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    ui_widget *list = make_list(app_root(app), 12);
    test_monotonic_now_ms += 1000;
    push_finger(SDL_FINGERDOWN, 300, 560); /* on row 3 */
    for (int y = 540; y >= 300; y -= 20)
        push_finger(SDL_FINGERMOTION, 300, (float)y);
    push_finger(SDL_FINGERUP, 300, 300);
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "home");
    assert_int_equal(ui_scroll_view_offset(list), 260);

    test_monotonic_now_ms += 1000;
    /* Row 4 (offset 260: at 200 + 4 * 100 - 260 = 340 to 420) now shows here;
     * the gap under it belongs to the list, not to the tile beneath. */
    assert_ptr_equal(ui_widget_hit(app_root(app), 300, 380),
                     ui_widget_find(app_root(app), "list.4"));
    assert_null(ui_widget_hit(app_root(app), 300, 430));
    push_finger(SDL_FINGERDOWN, 300, 380);
    push_finger(SDL_FINGERUP, 300, 380);
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "card");
    assert_string_equal(test_text_of(app, "step.title"), "营业执照打印"); /* catalog entry 4 */
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_stack_and_the_view_scrolls_within_its_content),
        cmocka_unit_test(test_what_is_scrolled_out_of_view_cannot_be_touched),
        cmocka_unit_test(test_a_short_list_does_not_scroll),
        cmocka_unit_test(test_reveal_moves_only_when_it_must),
        cmocka_unit_test(test_a_drag_scrolls_and_a_tap_acts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
