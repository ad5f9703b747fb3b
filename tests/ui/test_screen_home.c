/* The home screen's layout on every board, in every theme and language: a
 * citizen must be able to see and hit every tile, page by page if need be. */
#include "../support/test_support.h"

#include "ui/linebreak.h"
#include "ui/screens.h"
#include "ui/test_probes.h"

#include <string.h>

typedef struct collected {
    ui_widget *tappable[64];
    int count;
} collected;

static void collect(ui_widget *widget, void *user)
{
    collected *c = user;
    for (ui_widget *w = widget; w; w = w->parent) {
        if (w->flags & UI_FLAG_HIDDEN)
            return;
    }
    if ((widget->flags & UI_FLAG_TAPPABLE) && c->count < 64)
        c->tappable[c->count++] = widget;
}

static bool overlaps(SDL_Rect a, SDL_Rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* A tile's name, as drawn, never ends with a line of one character
 * (社保参保证明打|印, 营业执|照). */
static void check_title_lines(kiosk_app *app, const char *what, ui_widget *tile)
{
    ui_context context = app_ui_context(app);
    ui_text_part parts[UI_TEXT_PARTS_MAX];
    size_t count = ui_widget_text_parts(tile, &context, parts);
    const ui_text_part *name = NULL;
    for (size_t k = 0; k < count; k++) {
        if (parts[k].text == tile->text)
            name = &parts[k];
    }
    if (!name)
        fail_msg("%s: %s shows no name", what, tile->id);
    ui_line lines[16];
    size_t n = ui_text_lines(app_text(app), name->language, name->text, name->style, lines, 16);
    if (ui_linebreak_orphaned(name->text, lines, n))
        fail_msg("%s: %s's name \"%s\" ends with a line of one character: \"%.*s\"", what, tile->id,
                 name->text, (int)lines[n - 1].length, name->text + lines[n - 1].start);
}

/* Checks one page; returns how many service tiles it shows. */
static int check_page(kiosk_app *app, const char *what, float min_dp)
{
    const board_profile *profile = app_board(app);
    ui_metrics metrics =
        ui_metrics_for_screen(profile->width_px, profile->height_px, profile->width_mm,
                              profile->height_mm, profile->viewing_distance_mm);
    collected c = {0};
    ui_widget_walk(app_root(app), collect, &c);
    int tiles = 0;
    for (int i = 0; i < c.count; i++) {
        SDL_Rect r = c.tappable[i]->bounds;
        if (strncmp(c.tappable[i]->id, "tile.", 5) == 0) {
            tiles++;
            check_title_lines(app, what, c.tappable[i]);
        }
        if (!(r.x >= 0 && r.y >= 0 && r.x + r.w <= profile->width_px &&
              r.y + r.h <= profile->height_px))
            fail_msg("%s: %s is off the screen", what, c.tappable[i]->id);
        if (ui_px_to_dp(&metrics, r.h) < min_dp || ui_px_to_dp(&metrics, r.w) < min_dp)
            fail_msg("%s: %s is %dx%d px, under %.0f dp", what, c.tappable[i]->id, r.w, r.h,
                     (double)min_dp);
        for (int j = i + 1; j < c.count; j++) {
            if (overlaps(r, c.tappable[j]->bounds))
                fail_msg("%s: %s overlaps %s", what, c.tappable[i]->id, c.tappable[j]->id);
        }
    }
    return tiles;
}

static void check_layout(const char *board, lang language, const char *theme_button)
{
    kiosk_app *app = test_app_create(board, language);
    if (theme_button)
        test_tap(app, theme_button);
    char what[128];
    float min_dp = strcmp(app_theme_name(app), "elder") == 0 ? 60 : 44;
    int seen = 0;
    for (int page = 0; page < 20; page++) {
        snprintf(what, sizeof what, "%s %s %s page %d", board, lang_code(language),
                 app_theme_name(app), page + 1);
        seen += check_page(app, what, min_dp);
        ui_widget *next = ui_widget_find(app_root(app), "home.next");
        if (!next || (next->flags & UI_FLAG_HIDDEN))
            break;
        test_tap(app, "home.next");
    }
    if (seen != 13)
        fail_msg("%s: %d of the 13 services can be reached", what, seen);
    app_destroy(app);
}

static void test_every_board_theme_and_language_fits(void **state)
{
    (void)state;
    const char *boards[] = {"portrait-1080", "landscape-1080", "portrait-800"};
    const char *themes[] = {NULL, "footer.elder", "footer.contrast"};
    /* Under emulation the first board: the native run checks all three. */
    size_t board_count = getenv("KIOSK_TEST_QUICK") ? 1 : 3;
    for (size_t b = 0; b < board_count; b++) {
        for (size_t t = 0; t < 3; t++) {
            for (int l = 0; l < LANG_COUNT; l++)
                check_layout(boards[b], (lang)l, themes[t]);
        }
    }
}

static void test_columns_follow_the_width(void **state)
{
    (void)state;
    const char *boards[] = {"portrait-1080", "landscape-1080", "portrait-800"};
    const int columns[] = {3, 4, 2};
    for (size_t b = 0; b < 3; b++) {
        kiosk_app *app = test_app_create(boards[b], LANG_ZH_CN);
        int first_row_y =
            ui_widget_find(app_root(app), "tile.social-insurance-certificate")->bounds.y;
        const char *ids[] = {"social-insurance-certificate", "housing-fund-query",
                             "real-estate-query", "certificate-print", "business-license-print"};
        int in_first_row = 0;
        for (size_t i = 0; i < 5; i++) {
            char id[64];
            snprintf(id, sizeof id, "tile.%s", ids[i]);
            ui_widget *tile = ui_widget_find(app_root(app), id);
            in_first_row += tile && tile->bounds.y == first_row_y;
        }
        if (in_first_row != columns[b])
            fail_msg("%s: %d tiles in the first row, expected %d", boards[b], in_first_row,
                     columns[b]);
        app_destroy(app);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_board_theme_and_language_fits),
        cmocka_unit_test(test_columns_follow_the_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
