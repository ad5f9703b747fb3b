/* Focus and live updates: which widgets a keypad reaches, in what order, and
 * the one path by which a built screen changes in place. */
#include "../support/test_support.h"

#include "ui/feedback_widgets.h"
#include "ui/input_widgets.h"
#include "ui/keyboard.h"
#include "ui/live.h"
#include "ui/screens.h"
#include "ui/scroll_view.h"
#include "ui/test_probes.h"

#include <string.h>

#define MOST 128

static void assert_order(ui_widget *root, const char *const *ids, size_t count)
{
    ui_widget *order[MOST];
    size_t found = ui_focus_order(root, order, MOST);
    for (size_t i = 0; i < found && i < count; i++) {
        if (strcmp(order[i]->id, ids[i]) != 0)
            fail_msg("focus %zu is %s, not %s", i, order[i]->id, ids[i]);
    }
    assert_int_equal(found, count);
}

/* Home on the 800-pixel board, first page: the tiles as they read (two to a
 * row), then paging, then the footer, though the frame's footer comes first
 * in the tree. */
static void test_home_reads_tiles_then_paging_then_the_footer(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-800", LANG_ZH_CN);
    static const char *const ids[] = {
        "tile.social-insurance-certificate",
        "tile.housing-fund-query",
        "tile.real-estate-query",
        "tile.certificate-print",
        "tile.business-license-print",
        "tile.appointment-ticket",
        UI_ID_HOME_NEXT,
        "footer.lang.zh-CN",
        "footer.lang.zh-TW",
        "footer.lang.en",
        UI_ID_FOOTER_CONTRAST,
        UI_ID_FOOTER_ELDER,
        UI_ID_FOOTER_READER,
        UI_ID_FOOTER_HELP,
    };
    assert_order(app_root(app), ids, sizeof ids / sizeof ids[0]);
    /* Tiles side by side are one line: the second stands right of the first. */
    ui_widget *first = ui_widget_find(app_root(app), ids[0]);
    ui_widget *second = ui_widget_find(app_root(app), ids[1]);
    assert_int_equal(first->bounds.y, second->bounds.y);
    assert_true(first->bounds.x < second->bounds.x);
    /* Too small a list still says how many there are. */
    ui_widget *few[2];
    assert_int_equal(ui_focus_order(app_root(app), few, 2), sizeof ids / sizeof ids[0]);
    assert_string_equal(few[1]->id, ids[1]);
    app_destroy(app);
}

/* Each class says whether a keypad reaches it: buttons and rows while they
 * take a tap, fields always, text and decoration never; hidden is never. */
static void test_focus_is_the_classes_to_say(void **state)
{
    (void)state;
    ui_widget *root = ui_panel_create(NULL, "page", (SDL_Rect){0, 0, 1000, 1000}, UI_TONE_PLAIN);
    ui_widget *field = ui_text_field_create(root, "field", "", "hint", (SDL_Rect){0, 0, 400, 80});
    ui_widget *label = ui_label_create(root, "label", "text", (SDL_Rect){500, 0, 400, 80});
    ui_widget *locked = ui_row_create(root, "locked", "locked", (SDL_Rect){0, 100, 400, 80},
                                      UI_TONE_PLAIN, UI_ACTION_NONE, 0);
    ui_widget *row = ui_row_create(root, "row", "row", (SDL_Rect){500, 100, 400, 80}, UI_TONE_TILE,
                                   UI_ACTION_TOGGLE, 0);
    ui_widget *hidden =
        ui_panel_create(root, "hidden", (SDL_Rect){0, 200, 1000, 100}, UI_TONE_PLAIN);
    ui_widget *inside =
        ui_button_create(hidden, "inside", "x", (SDL_Rect){0, 200, 400, 80}, UI_ACTION_HOME, 0);
    assert_non_null(inside);
    hidden->flags |= UI_FLAG_HIDDEN;
    assert_true(ui_widget_is_focusable(field));
    assert_false(ui_widget_is_focusable(label));
    assert_false(ui_widget_is_focusable(locked));
    assert_true(ui_widget_is_focusable(row));
    assert_int_equal(field->class_->focus, UI_FOCUS_ALWAYS);
    assert_int_equal(row->class_->focus, UI_FOCUS_WHEN_TAPPABLE);
    assert_int_equal(label->class_->focus, UI_FOCUS_NEVER);
    static const char *const ids[] = {"field", "row"};
    assert_order(root, ids, 2);
    ui_widget_destroy(root);
}

/* A scroll view is read in its place, its rows in their order wherever they
 * are scrolled to: before the buttons under the view, though the last rows
 * lie below them until scrolled up. */
static void test_a_scroll_view_is_read_in_its_place(void **state)
{
    (void)state;
    ui_widget *root = ui_panel_create(NULL, "page", (SDL_Rect){0, 0, 1000, 1000}, UI_TONE_PLAIN);
    ui_button_create(root, "top", "top", (SDL_Rect){0, 0, 1000, 80}, UI_ACTION_HOME, 0);
    ui_widget *view = ui_scroll_view_create(root, "rows", (SDL_Rect){0, 100, 1000, 300});
    ui_button_create(root, "next", "next", (SDL_Rect){520, 450, 480, 80}, UI_ACTION_NEXT, 0);
    ui_button_create(root, "back", "back", (SDL_Rect){0, 450, 480, 80}, UI_ACTION_BACK, 0);
    const char *rows[] = {"row.0", "row.1", "row.2", "row.3", "row.4", "row.5"};
    for (int i = 0; i < 6; i++)
        ui_button_create(view, rows[i], rows[i], (SDL_Rect){0, 100 + 100 * i, 1000, 80},
                         UI_ACTION_TOGGLE, i);
    ui_scroll_view_update_extent(view);
    static const char *const ids[] = {"top",   "row.0", "row.1", "row.2", "row.3",
                                      "row.4", "row.5", "back",  "next"};
    assert_order(root, ids, sizeof ids / sizeof ids[0]);
    ui_scroll_view_scroll_by(view, 250);
    assert_order(root, ids, sizeof ids / sizeof ids[0]);
    ui_widget_destroy(root);
}

typedef struct heard {
    int count;
    const ui_widget *last;
} heard;

static void hear(const ui_widget *widget, void *user)
{
    heard *h = user;
    h->count++;
    h->last = widget;
}

/* The card step's reader line changes in place, by its id constant, text
 * and tone together; every change is heard; a screen without it is left
 * alone. */
static void test_live_updates_change_in_place_and_are_heard(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap(app, "tile.business-license-print");
    assert_string_equal(app_screen_name(app), "card");
    heard h = {0};
    ui_live_listen(hear, &h);
    ui_widget *line = ui_widget_find(app_root(app), UI_ID_CARD_STATUS);
    assert_non_null(line);
    assert_ptr_equal(
        ui_live_update(app_root(app), UI_ID_CARD_STATUS, "读卡器未连接", UI_TONE_ALERT), line);
    assert_string_equal(line->text, "读卡器未连接");
    assert_int_equal(line->tone, UI_TONE_ALERT);
    assert_int_equal(h.count, 1);
    assert_ptr_equal(h.last, line);
    /* The tone kept, the text kept. */
    assert_ptr_equal(
        ui_live_update(app_root(app), UI_ID_CARD_STATUS, "请放身份证", UI_LIVE_KEEP_TONE), line);
    assert_int_equal(line->tone, UI_TONE_ALERT);
    assert_ptr_equal(ui_live_update(app_root(app), UI_ID_CARD_STATUS, NULL, UI_TONE_PLAIN), line);
    assert_string_equal(line->text, "请放身份证");
    assert_int_equal(line->tone, UI_TONE_PLAIN);
    assert_int_equal(h.count, 3);
    /* Not on this screen: nothing, and nothing heard. */
    assert_null(ui_live_update(app_root(app), UI_ID_ATTRACT_STAFF, "x", UI_LIVE_KEEP_TONE));
    assert_null(ui_live_countdown(app_root(app), UI_ID_CARD_STATUS, 3, "3"));
    assert_int_equal(h.count, 3);
    ui_live_listen(NULL, NULL);
    app_destroy(app);
}

static void test_a_countdown_moves_in_place(void **state)
{
    (void)state;
    ui_widget *root = ui_panel_create(NULL, "page", (SDL_Rect){0, 0, 1000, 1000}, UI_TONE_PLAIN);
    ui_widget *ring = ui_countdown_create(root, UI_ID_COUNTDOWN, 30, (SDL_Rect){0, 0, 300, 300});
    heard h = {0};
    ui_live_listen(hear, &h);
    assert_ptr_equal(ui_live_countdown(root, UI_ID_COUNTDOWN, 12, "12 秒"), ring);
    assert_int_equal(ui_countdown_seconds_left(ring), 12);
    assert_string_equal(ring->text, "12 秒");
    assert_int_equal(h.count, 1);
    ui_live_listen(NULL, NULL);
    ui_widget_destroy(root);
}

static size_t place_of(ui_widget *const *order, size_t count, const char *id)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(order[i]->id, id) == 0)
            return i;
    }
    fail_msg("%s is not in the focus order", id);
    return 0;
}

/* The keyboard reads as it stands: the field, the candidates and paging,
 * the modes, the keys row by row, space, delete, clear, then 返回 and 完成.
 * The pad takes no keypad: its rewrite key does. */
static void test_the_keyboard_reads_from_the_field_down(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    ui_frame_model frame = app_frame_model(app, "09:30");
    const char *candidates[] = {"社保", "射靶"};
    ui_type_model model = {.label = "新生儿姓名",
                           .typed = "乐",
                           .hint = "请输入",
                           .mode = UI_KEYBOARD_PINYIN,
                           .composition = "she bao",
                           .candidates = candidates,
                           .candidate_count = 2,
                           .later = true,
                           .offered = {true, true, true, false}};
    ui_step_model step = {.title = "新生儿出生一件事", .step = 2, .steps = 4, .next = true};
    ui_widget *root = NULL;
    assert_int_equal(ui_type_build(&frame, &step, &model, &root), KIOSK_OK);
    ui_widget *order[MOST];
    size_t count = ui_focus_order(root, order, MOST);
    assert_true(count < MOST);
    static const char *const ids[] = {
        "type.field",        "type.candidate.0", "type.candidate.1",
        "type.page.later",   "type.mode.pinyin", "type.mode.handwriting",
        "type.mode.letters", "type.key.q",       "type.key.p",
        "type.key.a",        "type.key.l",       "type.key.z",
        "type.key.m",        "type.key.space",   "type.key.delete",
        "type.key.clear",    "step.back",        "step.next",
    };
    for (size_t i = 1; i < sizeof ids / sizeof ids[0]; i++) {
        if (place_of(order, count, ids[i - 1]) >= place_of(order, count, ids[i]))
            fail_msg("%s is read before %s", ids[i], ids[i - 1]);
    }
    /* Hidden paging is not reached. */
    for (size_t i = 0; i < count; i++)
        assert_string_not_equal(order[i]->id, "type.page.earlier");
    ui_widget_destroy(root);

    model.mode = UI_KEYBOARD_HANDWRITING;
    assert_int_equal(ui_type_build(&frame, &step, &model, &root), KIOSK_OK);
    count = ui_focus_order(root, order, MOST);
    for (size_t i = 0; i < count; i++)
        assert_string_not_equal(order[i]->id, "type.pad");
    assert_true(place_of(order, count, "type.mode.letters") <
                place_of(order, count, "type.key.rewrite"));
    ui_widget_destroy(root);

    /* Digits (an address's house number): 1 to 0 in two rows, no letters. */
    model.mode = UI_KEYBOARD_DIGITS;
    model.offered[UI_KEYBOARD_DIGITS] = true;
    assert_int_equal(ui_type_build(&frame, &step, &model, &root), KIOSK_OK);
    count = ui_focus_order(root, order, MOST);
    assert_true(place_of(order, count, "type.mode.digits") < place_of(order, count, "type.key.1"));
    assert_true(place_of(order, count, "type.key.5") < place_of(order, count, "type.key.6"));
    assert_true(place_of(order, count, "type.key.0") < place_of(order, count, "type.key.space"));
    assert_int_equal(ui_widget_find(root, "type.key.0")->action_arg, '0');
    assert_null(ui_widget_find(root, "type.key.a"));
    ui_widget_destroy(root);
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_home_reads_tiles_then_paging_then_the_footer),
        cmocka_unit_test(test_focus_is_the_classes_to_say),
        cmocka_unit_test(test_a_scroll_view_is_read_in_its_place),
        cmocka_unit_test(test_live_updates_change_in_place_and_are_heard),
        cmocka_unit_test(test_a_countdown_moves_in_place),
        cmocka_unit_test(test_the_keyboard_reads_from_the_field_down),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
