#include "../support/test_support.h"

#include "ui/widget.h"

#include <string.h>

static void test_tree_finds_and_hits_the_deepest_tappable(void **state)
{
    (void)state;
    ui_widget *root = ui_panel_create(NULL, "page", (SDL_Rect){0, 0, 400, 400}, UI_TONE_PLAIN);
    ui_widget *group = ui_panel_create(root, "group", (SDL_Rect){0, 0, 200, 200}, UI_TONE_PLAIN);
    ui_widget *button =
        ui_button_create(group, "ok", "确定", (SDL_Rect){10, 10, 100, 50}, UI_ACTION_HOME, 0);
    ui_widget *label = ui_label_create(group, "note", "说明", (SDL_Rect){10, 100, 100, 50});
    assert_non_null(button);
    assert_non_null(label);
    assert_ptr_equal(ui_widget_find(root, "ok"), button);
    assert_ptr_equal(ui_widget_hit(root, 50, 30), button);
    /* Text is not a target; nor is empty space. */
    assert_null(ui_widget_hit(root, 50, 120));
    assert_null(ui_widget_hit(root, 300, 300));
    button->flags |= UI_FLAG_HIDDEN;
    assert_null(ui_widget_hit(root, 50, 30));
    assert_int_equal(button->class_->role, UI_ROLE_BUTTON);
    assert_int_equal(label->class_->role, UI_ROLE_TEXT);
    assert_true(ui_widget_is_focusable(button));
    assert_false(ui_widget_is_focusable(label));
    ui_widget_destroy(root);
}

static void test_later_siblings_are_on_top(void **state)
{
    (void)state;
    ui_widget *root = ui_panel_create(NULL, "page", (SDL_Rect){0, 0, 400, 400}, UI_TONE_PLAIN);
    ui_button_create(root, "under", "A", (SDL_Rect){0, 0, 100, 100}, UI_ACTION_HOME, 0);
    ui_widget *over =
        ui_button_create(root, "over", "B", (SDL_Rect){50, 50, 100, 100}, UI_ACTION_HELP, 0);
    assert_ptr_equal(ui_widget_hit(root, 75, 75), over);
    ui_widget_destroy(root);
}

static void test_destroying_a_child_unlinks_it(void **state)
{
    (void)state;
    ui_widget *root = ui_panel_create(NULL, "page", (SDL_Rect){0, 0, 10, 10}, UI_TONE_PLAIN);
    ui_widget *a = ui_label_create(root, "a", "1", (SDL_Rect){0});
    ui_widget *b = ui_label_create(root, "b", "2", (SDL_Rect){0});
    ui_widget *c = ui_label_create(root, "c", "3", (SDL_Rect){0});
    ui_widget_destroy(c);
    assert_ptr_equal(root->last_child, b);
    assert_null(b->next_sibling);
    ui_widget_destroy(a);
    assert_ptr_equal(root->first_child, b);
    assert_null(ui_widget_find(root, "a"));
    assert_true(ui_widget_set_text(b, "二"));
    assert_string_equal(b->text, "二");
    ui_widget_destroy(root);
}

static void count(ui_widget *widget, void *user)
{
    (void)widget;
    (*(int *)user)++;
}

static void test_walk_visits_everything(void **state)
{
    (void)state;
    ui_widget *root = ui_panel_create(NULL, "page", (SDL_Rect){0, 0, 10, 10}, UI_TONE_PLAIN);
    ui_widget *group = ui_panel_create(root, "g", (SDL_Rect){0}, UI_TONE_PLAIN);
    ui_tile_create(group, "t", "社保查询", "参保信息", (SDL_Rect){0}, UI_ACTION_OPEN_SERVICE, 0);
    ui_heading_create(root, "h", "标题", (SDL_Rect){0});
    int visited = 0;
    ui_widget_walk(root, count, &visited);
    assert_int_equal(visited, 4);
    assert_string_equal(ui_widget_find(root, "t")->detail, "参保信息");
    ui_widget_destroy(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_finds_and_hits_the_deepest_tappable),
        cmocka_unit_test(test_later_siblings_are_on_top),
        cmocka_unit_test(test_destroying_a_child_unlinks_it),
        cmocka_unit_test(test_walk_visits_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
