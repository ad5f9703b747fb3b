/* The step screens (form, field editor, materials, confirm, and their
 * shared frame) on every board, theme and language, built from models as the
 * app builds them and drawn offscreen: targets large and on the glass, no
 * overlaps, texts whole and legible, cancel on every step, the ids the app
 * taps, problems beside their fields, visible ticks, lists that scroll to
 * what matters. PNGs in build/test-output/steps-*.png. */
#include "../support/document_screens.h"
#include "../support/step_models.h"
#include "../support/test_support.h"

#include "firmware/base/log.h"
#include "ui/icons.h"
#include "ui/image.h"
#include "ui/input_widgets.h"
#include "ui/screens.h"
#include "ui/scroll_view.h"
#include "ui/test_probes.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOTO "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
#define WQY  "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

#define MIN_TARGET_MM 9.0f
#define RECTS_MAX     256

typedef struct board {
    const char *name;
    int width_px, height_px, width_mm, height_mm, distance_mm;
} board;

static const board boards[] = {
    {"portrait-1080", 1080, 1920, 268, 476, 500},
    {"landscape-1080", 1920, 1080, 476, 268, 500},
    {"portrait-800", 800, 1280, 136, 217, 400},
};
#define BOARD_COUNT (sizeof boards / sizeof boards[0])

/* Under emulation (KIOSK_TEST_QUICK) one board, one theme, one language. */
static size_t boards_to_test(void)
{
    return getenv("KIOSK_TEST_QUICK") ? 1 : BOARD_COUNT;
}
static int themes_to_test(void)
{
    return getenv("KIOSK_TEST_QUICK") ? 1 : UI_THEME_COUNT;
}

static const char *const hall_names[LANG_COUNT] = {
    [LANG_ZH_CN] = "市民中心 24 小时政务服务区",
    [LANG_ZH_TW] = "市民中心 24 小時政務服務區",
    [LANG_EN] = "Civic Centre 24-Hour Service Area",
};

/* One board's glass: a surface, its renderer and text. */
typedef struct glass {
    const board *board;
    SDL_Surface *surface;
    SDL_Renderer *renderer;
    ui_text *text;
    ui_strings *strings;
    char clock[128];
    ui_frame_model frame;
} glass;

static ui_strings *shipped_strings;

static int setup(void **state)
{
    (void)state;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/assets/strings", test_source_dir());
    kiosk_diag diag = {{0}};
    if (ui_strings_load(dir, &shipped_strings, &diag) != KIOSK_OK) {
        printf("%s\n", diag.message);
        return -1;
    }
    log_set_level(LOG_LEVEL_ERROR);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ui_strings_free(shipped_strings);
    return 0;
}

static void glass_open(glass *g, const board *b)
{
    *g = (glass){.board = b, .strings = shipped_strings};
    g->surface =
        SDL_CreateRGBSurfaceWithFormat(0, b->width_px, b->height_px, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(g->surface);
    g->renderer = SDL_CreateSoftwareRenderer(g->surface);
    assert_non_null(g->renderer);
    ui_font_source sources[LANG_COUNT] = {{NOTO, 2}, {NOTO, 3}, {NOTO, 2}};
    kiosk_diag diag = {{0}};
    assert_int_equal(ui_text_open(g->renderer, sources, (ui_font_source){WQY, 0}, &g->text, &diag),
                     KIOSK_OK);
}

static void glass_close(glass *g)
{
    ui_text_close(g->text);
    SDL_DestroyRenderer(g->renderer);
    SDL_FreeSurface(g->surface);
}

/* The frame as the app makes it, for language and theme. */
static const ui_frame_model *frame_for(glass *g, lang language, ui_theme_id theme)
{
    const board *b = g->board;
    g->frame = (ui_frame_model){
        .strings = g->strings,
        .language = language,
        .metrics = ui_metrics_for_screen(b->width_px, b->height_px, b->width_mm, b->height_mm,
                                         b->distance_mm),
        .theme = ui_theme_get(theme),
        .theme_id = theme,
        .hall_name = hall_names[language],
        .clock_text = g->clock,
    };
    time_t now = TEST_WALL_TIME;
    struct tm when;
    gmtime_r(&now, &when);
    ui_clock_format(&g->frame, &when, false, g->clock, sizeof g->clock);
    return &g->frame;
}

static ui_context context_of(glass *g)
{
    return (ui_context){.renderer = g->renderer,
                        .text = g->text,
                        .theme = g->frame.theme,
                        .metrics = g->frame.metrics,
                        .language = g->frame.language};
}

static void render(glass *g, const ui_widget *root)
{
    SDL_Color page = g->frame.theme->page;
    SDL_SetRenderDrawColor(g->renderer, page.r, page.g, page.b, 255);
    SDL_RenderClear(g->renderer);
    ui_context context = context_of(g);
    ui_widget_draw_tree(root, &context);
    SDL_RenderFlush(g->renderer);
}

static SDL_Color pixel_at(SDL_Surface *s, int x, int y)
{
    Uint32 p = ((Uint32 *)((Uint8 *)s->pixels + y * s->pitch))[x];
    return (SDL_Color){(Uint8)(p >> 16), (Uint8)(p >> 8), (Uint8)p, 255};
}

static bool same(SDL_Color a, SDL_Color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* ---- The audit of one built screen ---- */

typedef struct audit {
    glass *g;
    ui_context context;
    const char *what;
    char problem[512];
    int problems;
    SDL_Rect drawn[RECTS_MAX];
    int drawn_count;
    ui_widget *tappable[RECTS_MAX];
    SDL_Rect tappable_shown[RECTS_MAX];
    int tappable_count;
} audit;

#define NOTE(a, ...)                                                                               \
    do {                                                                                           \
        (a)->problems++;                                                                           \
        if (!(a)->problem[0])                                                                      \
            snprintf((a)->problem, sizeof(a)->problem, __VA_ARGS__);                               \
    } while (0)

static bool hidden(const ui_widget *widget)
{
    for (const ui_widget *w = widget; w; w = w->parent) {
        if (w->flags & UI_FLAG_HIDDEN)
            return true;
    }
    return false;
}

/* What of the widget is on the glass now: within every scroll view it is in. */
static bool shown_part(const ui_widget *widget, SDL_Rect *shown)
{
    *shown = widget->bounds;
    for (ui_widget *view = ui_scroll_view_of((ui_widget *)widget); view;
         view = ui_scroll_view_of(view)) {
        if (!SDL_IntersectRect(shown, &view->bounds, shown))
            return false;
    }
    return true;
}

static bool inside(SDL_Rect outer, SDL_Rect inner)
{
    return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
           inner.y + inner.h <= outer.y + outer.h;
}

/* The text's contrast as drawn, as the accessibility audit measures it: the
 * background is the commonest colour on the box's edge, the text the pixel
 * inside that differs most from it. */
static double measured_contrast(SDL_Surface *frame, SDL_Rect r)
{
    SDL_Rect screen = {0, 0, frame->w, frame->h};
    if (!SDL_IntersectRect(&r, &screen, &r) || r.w < 2 || r.h < 2)
        return 21.0;
    SDL_Color edge[512];
    int n = 0;
    for (int i = 0; i < 128 && n < 508; i++) {
        int x = r.x + i * (r.w - 1) / 127, y = r.y + i * (r.h - 1) / 127;
        edge[n++] = pixel_at(frame, x, r.y);
        edge[n++] = pixel_at(frame, x, r.y + r.h - 1);
        edge[n++] = pixel_at(frame, r.x, y);
        edge[n++] = pixel_at(frame, r.x + r.w - 1, y);
    }
    SDL_Color background = edge[0];
    int best = 0;
    for (int i = 0; i < n; i += 7) {
        int count = 0;
        for (int j = 0; j < n; j++)
            count += same(edge[i], edge[j]);
        if (count > best) {
            best = count;
            background = edge[i];
        }
    }
    double strongest = 1.0;
    for (int y = r.y; y < r.y + r.h; y++) {
        for (int x = r.x; x < r.x + r.w; x++) {
            double c = ui_contrast_ratio(pixel_at(frame, x, y), background);
            strongest = c > strongest ? c : strongest;
        }
    }
    return strongest;
}

/* The row (a form field, a material, a choice) a widget is drawn in. */
static const ui_widget *row_of(const ui_widget *widget)
{
    for (const ui_widget *w = widget->parent; w; w = w->parent) {
        if (strcmp(w->class_->name, "row") == 0)
            return w;
    }
    return NULL;
}

static void audit_text(audit *a, const ui_widget *widget, const ui_text_part *part)
{
    int w = 0, h = 0;
    if (!ui_text_get(a->context.text, part->language, part->text, part->style, &w, &h))
        return;
    if (w > part->box.w + 1 || h > part->box.h + 1)
        NOTE(a, "%s: \"%s\" clipped (%d x %d in %d x %d)", widget->id, part->text, w, h,
             part->box.w, part->box.h);
    /* The new steps' texts are given the lines they need: a blank line
     * in a box would push what follows away from what it belongs to. (The
     * field editor keeps two lines for a problem, so that the keys do not
     * move when one appears.) */
    const char *steps[] = {"form.", "edit.", "materials.", "confirm."};
    for (size_t i = 0; i < 4; i++) {
        if (strncmp(widget->id, steps[i], strlen(steps[i])) == 0 && widget->wrap &&
            strcmp(widget->id, "edit.problem") != 0 && part->box.h - h > part->style.size_px)
            NOTE(a, "%s: a blank line in its box (%d px of text in %d)", widget->id, h,
                 part->box.h);
    }
    SDL_Rect drawn = {part->box.x, part->box.y + (part->box.h - h) / 2, w, h};
    if (part->align == UI_ALIGN_CENTER)
        drawn.x = part->box.x + (part->box.w - w) / 2;
    else if (part->align == UI_ALIGN_END)
        drawn.x = part->box.x + part->box.w - w;
    SDL_Rect visible, in_view;
    if (!SDL_IntersectRect(&drawn, &part->box, &visible))
        return;
    const ui_widget *row = row_of(widget);
    if (row && !inside(row->bounds, visible))
        NOTE(a, "%s: text spills out of %s", widget->id, row->id);
    /* Cut by a scroll view's edge: audited where a citizen scrolls it to. */
    ui_widget *view = ui_scroll_view_of((ui_widget *)widget);
    if (view && (!SDL_IntersectRect(&visible, &view->bounds, &in_view) || in_view.h < visible.h ||
                 in_view.w < visible.w))
        return;
    for (int i = 0; i < a->drawn_count; i++) {
        SDL_Rect both;
        if (SDL_IntersectRect(&visible, &a->drawn[i], &both) && both.w > 2 && both.h > 2)
            NOTE(a, "%s: text drawn over another", widget->id);
    }
    if (a->drawn_count < RECTS_MAX)
        a->drawn[a->drawn_count++] = visible;
    const ui_theme *theme = a->context.theme;
    double contrast = measured_contrast(a->g->surface, visible);
    if (contrast + 0.05 < theme->min_contrast)
        NOTE(a, "%s: contrast %.2f:1", widget->id, contrast);
    /* A pictogram has no capital H: it is as large as a legal capital. */
    int cap_px = part->language == UI_TEXT_ICONS
                     ? h
                     : ui_text_cap_height_px(a->context.text, part->language, part->style.size_px);
    float cap_mm = (float)cap_px / a->context.metrics.px_per_mm;
    float required = widget->chrome ? UI_CHROME_MIN_CAP_MM : theme->min_cap_mm;
    if (cap_mm + 0.05f < required)
        NOTE(a, "%s: capital height %.2f mm", widget->id, (double)cap_mm);
}

static void visit(ui_widget *widget, void *user)
{
    audit *a = user;
    SDL_Rect shown;
    if (hidden(widget) || !shown_part(widget, &shown))
        return;
    const ui_metrics *m = &a->context.metrics;
    if (widget->flags & UI_FLAG_TAPPABLE) {
        /* Its whole size: a citizen scrolls a row into view to tap it. */
        int side = widget->bounds.w < widget->bounds.h ? widget->bounds.w : widget->bounds.h;
        if (ui_px_to_dp(m, side) + 0.5f < a->context.theme->min_target_dp ||
            (float)side / m->px_per_mm < MIN_TARGET_MM)
            NOTE(a, "%s: target %.1f dp", widget->id, (double)ui_px_to_dp(m, side));
        if (!inside((SDL_Rect){0, 0, m->width_px, m->height_px}, shown))
            NOTE(a, "%s: off the screen", widget->id);
        if (a->tappable_count < RECTS_MAX) {
            a->tappable[a->tappable_count] = widget;
            a->tappable_shown[a->tappable_count++] = shown;
        }
    }
    ui_text_part parts[UI_TEXT_PARTS_MAX];
    size_t count = ui_widget_text_parts(widget, &a->context, parts);
    for (size_t i = 0; i < count; i++)
        audit_text(a, widget, &parts[i]);
}

static bool within(const ui_widget *widget, const ui_widget *ancestor)
{
    for (const ui_widget *w = widget; w; w = w->parent) {
        if (w == ancestor)
            return true;
    }
    return false;
}

typedef struct clear_of {
    audit *a;
    const ui_widget *button;
} clear_of;

/* Nothing of the step's own (a row, a text, a scroll view) reaches into the
 * step's buttons. */
static void check_clear(ui_widget *widget, void *user)
{
    clear_of *c = user;
    SDL_Rect shown, both;
    if (widget->parent == NULL || hidden(widget) || within(widget, c->button) ||
        within(c->button, widget) || !shown_part(widget, &shown))
        return;
    if (strncmp(widget->id, "title", 5) == 0 || strncmp(widget->id, "footer", 6) == 0)
        return;
    if (SDL_IntersectRect(&shown, &c->button->bounds, &both))
        NOTE(c->a, "%s overlaps %s", widget->id, c->button->id);
}

static int failures;

static void audit_screen(glass *g, ui_widget *root, const char *screen)
{
    audit a = {.g = g, .context = context_of(g)};
    render(g, root);
    ui_widget_walk(root, visit, &a);
    for (int i = 0; i < a.tappable_count; i++) {
        for (int j = i + 1; j < a.tappable_count; j++) {
            SDL_Rect both;
            if (!within(a.tappable[j], a.tappable[i]) &&
                SDL_IntersectRect(&a.tappable_shown[i], &a.tappable_shown[j], &both))
                NOTE(&a, "%s overlaps %s", a.tappable[i]->id, a.tappable[j]->id);
        }
    }
    const char *buttons[] = {"step.back", "step.next", "step.cancel"};
    for (size_t i = 0; i < 3; i++) {
        clear_of c = {&a, ui_widget_find(root, buttons[i])};
        if (c.button)
            ui_widget_walk(root, check_clear, &c);
    }
    /* Back, next and cancel each with its pictogram beside its words. */
    for (size_t i = 0; i < 3; i++) {
        ui_widget *button = ui_widget_find(root, buttons[i]);
        ui_text_part parts[UI_TEXT_PARTS_MAX];
        if (button && !hidden(button) &&
            (!ui_button_icon(button) || ui_widget_text_parts(button, &a.context, parts) != 2 ||
             parts[0].language != UI_TEXT_ICONS))
            NOTE(&a, "%s: no pictogram beside its words", buttons[i]);
    }
    /* Cancel on every step. */
    ui_widget *cancel = ui_widget_find(root, "step.cancel");
    if (!cancel || cancel->action != UI_ACTION_CANCEL || hidden(cancel))
        NOTE(&a, "no cancel");

    const char *theme = g->frame.theme->name;
    const char *language = lang_code(g->frame.language);
    printf("%-14s %-13s %-5s %-22s %s%s\n", g->board->name, theme, language, screen,
           a.problems ? "FAIL: " : "ok", a.problem);
    failures += a.problems != 0;
    /* To look at: zh-CN in the standard and elder themes, what failed, and
     * everything when asked (not under emulation, where time is short). */
    bool look = g->frame.language == LANG_ZH_CN && g->frame.theme_id != UI_THEME_HIGH_CONTRAST &&
                !getenv("KIOSK_TEST_QUICK");
    if (a.problems || look || getenv("KIOSK_AUDIT_SHOTS")) {
        char path[1024];
        snprintf(path, sizeof path, "%s/build/test-output", test_source_dir());
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/build/test-output/steps-%s-%s-%s-%s.png", test_source_dir(),
                 g->board->name, theme, language, screen);
        kiosk_diag diag = {{0}};
        if (ui_image_save_png(g->surface, path, &diag) != KIOSK_OK)
            printf("cannot write %s: %s\n", path, diag.message);
    }
    ui_widget_destroy(root);
}

static void audit_all(glass *g, const ui_frame_model *frame)
{
    audit_screen(g, test_step_form(frame, 8, -1), "form");
    audit_screen(g, test_step_form(frame, 16, 15), "form-16-focus-15");
    audit_screen(g, test_step_edit(frame, 0, -1, NULL), "edit-keypad");
    audit_screen(g, test_step_edit(frame, 0, -1, ui_frame_text(frame, "form.problem.date")),
                 "edit-keypad-problem");
    audit_screen(g, test_step_edit(frame, 4, 1, NULL), "edit-choices");
    audit_screen(g, test_step_edit(frame, 8, 7, ui_frame_text(frame, "form.problem.choose")),
                 "edit-choices-8");
    audit_screen(g, test_step_materials(frame, 6, NULL), "materials");
    audit_screen(g, test_step_materials(frame, 12, ui_frame_text(frame, "materials.problem")),
                 "materials-12-problem");
    audit_screen(g, test_step_confirm(frame, 8, false), "confirm");
    audit_screen(g, test_step_confirm(frame, 20, true), "confirm-20-offline");

    /* The steps that were there before, on the first step and a later one. */
    for (int step = 1; step <= 2; step++) {
        ui_step_model model = test_step_model(frame, step, NULL);
        ui_widget *root = NULL;
        char name[32];
        assert_int_equal(ui_identify_build(frame, &model, "4403",
                                           ui_frame_text(frame, "identify.error.short"), &root),
                         KIOSK_OK);
        snprintf(name, sizeof name, "identify-step-%d", step);
        audit_screen(g, root, name);
        assert_int_equal(
            ui_card_step_build(frame, &model, ui_frame_text(frame, "device.ready"), false, &root),
            KIOSK_OK);
        snprintf(name, sizeof name, "card-step-%d", step);
        audit_screen(g, root, name);
    }
    audit_screen(g, test_document_list_screen(frame), "document-list");
    audit_screen(g, test_document_preview_screen(frame), "document-preview");
}

static void test_every_step_screen_on_every_board_theme_and_language(void **state)
{
    (void)state;
    failures = 0;
    for (size_t b = 0; b < boards_to_test(); b++) {
        glass g;
        glass_open(&g, &boards[b]);
        for (int t = 0; t < themes_to_test(); t++) {
            for (int l = 0; l < (getenv("KIOSK_TEST_QUICK") ? 1 : LANG_COUNT); l++)
                audit_all(&g, frame_for(&g, (lang)l, (ui_theme_id)t));
        }
        glass_close(&g);
    }
    printf("step screens: %d failed\n", failures);
    assert_int_equal(failures, 0);
}

/* ---- What the app relies on ---- */

/* The widget "<prefix>.<index>" or "<prefix>.<index>.<suffix>". */
static ui_widget *find(ui_widget *root, const char *prefix, size_t index, const char *suffix)
{
    char id[UI_ID_MAX];
    snprintf(id, sizeof id, "%s.%zu%s%s", prefix, index, suffix ? "." : "", suffix ? suffix : "");
    return ui_widget_find(root, id);
}

static SDL_Point centre(const ui_widget *widget)
{
    return (SDL_Point){widget->bounds.x + widget->bounds.w / 2,
                       widget->bounds.y + widget->bounds.h / 2};
}

/* Cancel: in back's place on the first step, in the header after it; both
 * abandon the service, and back is back. */
static void test_cancel_is_on_every_step(void **state)
{
    (void)state;
    for (size_t b = 0; b < boards_to_test(); b++) {
        glass g;
        glass_open(&g, &boards[b]);
        for (int t = 0; t < UI_THEME_COUNT; t++) {
            const ui_frame_model *frame = frame_for(&g, LANG_EN, (ui_theme_id)t);
            ui_step_model first = test_step_model(frame, 1, NULL);
            ui_widget *root = NULL;
            assert_int_equal(ui_card_step_build(frame, &first, "", false, &root), KIOSK_OK);
            ui_widget *cancel = ui_widget_find(root, "step.cancel");
            ui_widget *next = ui_widget_find(root, "step.next");
            assert_non_null(cancel);
            assert_int_equal(cancel->action, UI_ACTION_CANCEL);
            assert_null(ui_widget_find(root, "step.back"));
            assert_int_equal(cancel->bounds.y, next->bounds.y); /* at the bottom, beside next */
            ui_widget_destroy(root);

            root = test_step_materials(frame, 3, NULL);
            next = ui_widget_find(root, "step.next");
            cancel = ui_widget_find(root, "step.cancel");
            ui_widget *back = ui_widget_find(root, "step.back");
            ui_widget *title = ui_widget_find(root, "step.title");
            assert_non_null(cancel);
            assert_non_null(back);
            assert_int_equal(cancel->action, UI_ACTION_CANCEL);
            assert_int_equal(back->action, UI_ACTION_BACK);
            assert_string_equal(cancel->text, ui_frame_text(frame, "step.cancel"));
            /* Top right, beside the title and above the step's bar. */
            assert_true(cancel->bounds.x >= title->bounds.x + title->bounds.w);
            assert_true(
                abs(cancel->bounds.x + cancel->bounds.w - next->bounds.x - next->bounds.w) <= 1);
            assert_true(cancel->bounds.y < ui_widget_find(root, "step.bar.1")->bounds.y);
            assert_true(cancel->bounds.y + cancel->bounds.h <= back->bounds.y);
            assert_ptr_equal(ui_widget_hit(root, centre(cancel).x, centre(cancel).y), cancel);
            ui_widget_destroy(root);
        }
        glass_close(&g);
    }
}

/* The tone a field's texts are set in (a field with a problem is a tile in
 * an alert border). */
static ui_tone field_text_tone(const ui_widget *field)
{
    return field->tone == UI_TONE_ALERT ? UI_TONE_TILE : field->tone;
}

/* A point on a check box's tick (where its two strokes meet), and one inside
 * the box away from it. */
static SDL_Point on_tick(const ui_widget *box)
{
    return (SDL_Point){box->bounds.x + box->bounds.w * 43 / 100,
                       box->bounds.y + box->bounds.h * 71 / 100};
}

static SDL_Point off_tick(const ui_widget *box)
{
    return (SDL_Point){box->bounds.x + box->bounds.w / 2, box->bounds.y + box->bounds.h * 3 / 10};
}

static void test_form_fields_are_tapped_by_index_and_locked_ones_are_not(void **state)
{
    (void)state;
    glass g;
    glass_open(&g, &boards[0]);
    const ui_frame_model *frame = frame_for(&g, LANG_ZH_CN, UI_THEME_STANDARD);
    ui_form_row rows[16];
    size_t count = test_step_form_rows(LANG_ZH_CN, rows, 8);
    ui_widget *root = test_step_form(frame, 8, -1);
    for (size_t i = 0; i < count; i++) {
        ui_widget *field = find(root, "form.field", i, NULL);
        assert_non_null(field);
        assert_string_equal(field->text, rows[i].label);
        ui_widget *hit = ui_widget_hit(root, centre(field).x, centre(field).y);
        if (rows[i].locked) {
            assert_false(field->flags & UI_FLAG_TAPPABLE);
            assert_null(hit);
            assert_non_null(find(root, "form.lock", i, NULL));
        } else {
            assert_ptr_equal(hit, field);
            assert_int_equal(field->action, UI_ACTION_EDIT_FIELD);
            assert_int_equal(field->action_arg, (int)i);
        }
        /* The value, or what to do when there is none. */
        ui_widget *value = find(root, "form.value", i, NULL);
        assert_non_null(value);
        bool empty = !rows[i].value || !rows[i].value[0];
        assert_string_equal(value->text, empty ? rows[i].placeholder : rows[i].value);
        /* What to do is not set like a value: in the colour of things to
         * tap (or the quieter one). */
        if (empty)
            assert_true(value->tone == UI_TONE_SECONDARY ||
                        strcmp(value->class_->name, "note") == 0);
        else
            assert_true(value->tone == field_text_tone(field) &&
                        strcmp(value->class_->name, "label") == 0);
        if (!rows[i].locked)
            assert_non_null(find(root, "form.open", i, NULL));
        /* The problem right under the value, inside the field, in the alert
         * tone; the field says it by its border too. */
        ui_widget *problem = find(root, "form.problem", i, NULL);
        if (rows[i].problem) {
            assert_non_null(problem);
            assert_string_equal(problem->text, rows[i].problem);
            assert_int_equal(problem->tone, UI_TONE_ALERT);
            assert_int_equal(field->tone, UI_TONE_ALERT);
            assert_int_equal(problem->bounds.y, value->bounds.y + value->bounds.h);
            assert_true(inside(field->bounds, problem->bounds));
        } else {
            assert_null(problem);
            assert_int_not_equal(field->tone, UI_TONE_ALERT);
        }
        assert_int_equal(find(root, "form.required", i, NULL) != NULL,
                         rows[i].required && !rows[i].locked);
    }
    /* The intro says there is something to fix while there is. */
    assert_int_equal(ui_widget_find(root, "form.intro")->tone, UI_TONE_ALERT);
    ui_widget_destroy(root);
    glass_close(&g);
}

/* Sixteen fields do not fit: they scroll, and focus brings one into view,
 * where it can be tapped, on every board and theme. */
static void test_a_long_form_scrolls_to_its_focus(void **state)
{
    (void)state;
    for (size_t b = 0; b < boards_to_test(); b++) {
        glass g;
        glass_open(&g, &boards[b]);
        for (int t = 0; t < UI_THEME_COUNT; t++) {
            const ui_frame_model *frame = frame_for(&g, LANG_ZH_CN, (ui_theme_id)t);
            ui_widget *root = test_step_form(frame, 16, -1);
            ui_widget *view = ui_widget_find(root, "form.fields");
            assert_non_null(view);
            assert_int_equal(ui_scroll_view_offset(view), 0);
            ui_widget *last = ui_widget_find(root, "form.field.15");
            assert_false(inside(view->bounds, last->bounds));
            assert_null(ui_widget_hit(root, centre(last).x, centre(last).y));
            ui_widget_destroy(root);

            root = test_step_form(frame, 16, 15);
            view = ui_widget_find(root, "form.fields");
            last = ui_widget_find(root, "form.field.15");
            assert_true(ui_scroll_view_offset(view) > 0);
            assert_true(inside(view->bounds, last->bounds));
            assert_ptr_equal(ui_widget_hit(root, centre(last).x, centre(last).y), last);
            ui_widget_destroy(root);

            /* What shows already stays where it is. */
            root = test_step_form(frame, 16, 0);
            assert_int_equal(ui_scroll_view_offset(ui_widget_find(root, "form.fields")), 0);
            ui_widget_destroy(root);
        }
        glass_close(&g);
    }
}

static void test_the_keypad_types_into_the_field(void **state)
{
    (void)state;
    glass g;
    glass_open(&g, &boards[2]);
    for (int t = 0; t < UI_THEME_COUNT; t++) {
        const ui_frame_model *frame = frame_for(&g, LANG_ZH_CN, (ui_theme_id)t);
        const char *problem = ui_frame_text(frame, "form.problem.date");
        ui_widget *root = test_step_edit(frame, 0, -1, problem);
        assert_string_equal(ui_widget_find(root, "edit.value")->text, "202603");
        assert_string_equal(ui_widget_find(root, "edit.value")->detail,
                            ui_frame_text(frame, "edit.format.date"));
        assert_string_equal(ui_widget_find(root, "edit.label")->text, "出生日期");
        const char *keys[] = {"0", "1", "5", "9", "delete", "clear"};
        for (size_t i = 0; i < 6; i++) {
            char id[32];
            snprintf(id, sizeof id, "keypad.%s", keys[i]);
            ui_widget *key = ui_widget_find(root, id);
            assert_non_null(key);
            assert_int_equal(key->action, UI_ACTION_KEY);
        }
        assert_int_equal(ui_widget_find(root, "keypad.5")->action_arg, '5');
        assert_null(ui_widget_find(root, "keypad.x")); /* a date has no X */
        assert_string_equal(ui_widget_find(root, "step.next")->text,
                            ui_frame_text(frame, "edit.done"));
        /* The problem is said: on its own line, or (short of room) in the
         * progress line it outranks. */
        ui_widget *line = ui_widget_find(root, "edit.problem");
        ui_widget *progress = ui_widget_find(root, "step.progress");
        assert_true((!(line->flags & UI_FLAG_HIDDEN) && strcmp(line->text, problem) == 0) ||
                    strcmp(progress->text, problem) == 0);
        ui_widget_destroy(root);
    }
    glass_close(&g);
}

static void test_the_chosen_choice_is_marked(void **state)
{
    (void)state;
    for (size_t b = 0; b < boards_to_test(); b++) {
        glass g;
        glass_open(&g, &boards[b]);
        for (int t = 0; t < UI_THEME_COUNT; t++) {
            const ui_frame_model *frame = frame_for(&g, LANG_ZH_CN, (ui_theme_id)t);
            ui_widget *root = test_step_edit(frame, 8, 7, NULL);
            render(&g, root);
            for (size_t i = 0; i < 8; i++) {
                ui_widget *choice = find(root, "edit.choice", i, NULL);
                assert_non_null(choice);
                assert_int_equal(choice->action, UI_ACTION_CHOOSE);
                assert_int_equal(choice->action_arg, (int)i);
                assert_string_equal(choice->text, test_step_ethnic_zh[i]);
                bool chosen = i == 7;
                assert_int_equal(!!(choice->flags & UI_FLAG_CHECKED), chosen);
                assert_int_equal(choice->tone, chosen ? UI_TONE_PRIMARY : UI_TONE_SECONDARY);
                assert_int_equal(!!(find(root, "edit.choice", i, "check")->flags & UI_FLAG_CHECKED),
                                 chosen);
            }
            /* The chosen one, last of eight, is in view and can be tapped. */
            ui_widget *chosen = ui_widget_find(root, "edit.choice.7");
            ui_widget *view = ui_scroll_view_of(chosen);
            if (view)
                assert_true(inside(view->bounds, chosen->bounds));
            assert_ptr_equal(ui_widget_hit(root, centre(chosen).x, centre(chosen).y), chosen);
            /* One of several: radio marks, a light dot on the chosen one
             * (the row's colour around it); the others' are empty. */
            ui_widget *ticked = ui_widget_find(root, "edit.choice.7.check");
            ui_widget *empty = ui_widget_find(root, "edit.choice.6.check");
            assert_true(ticked->class_ == &ui_radio_class && empty->class_ == &ui_radio_class);
            const ui_tone_colours *light = &frame->theme->tones[UI_TONE_SECONDARY];
            SDL_Point dot = centre(ticked), middle = centre(empty);
            assert_true(same(pixel_at(g.surface, dot.x, dot.y), light->background));
            assert_true(same(pixel_at(g.surface, dot.x, ticked->bounds.y + ticked->bounds.h / 6),
                             frame->theme->tones[UI_TONE_PRIMARY].background));
            if (inside(view ? view->bounds : root->bounds, empty->bounds))
                assert_true(same(pixel_at(g.surface, middle.x, middle.y), light->background));
            ui_widget_destroy(root);
        }
        glass_close(&g);
    }
}

static void test_materials_toggle_and_locked_ones_stay_ticked(void **state)
{
    (void)state;
    glass g;
    glass_open(&g, &boards[0]);
    const ui_frame_model *frame = frame_for(&g, LANG_ZH_CN, UI_THEME_STANDARD);
    const char *problem = ui_frame_text(frame, "materials.problem");
    ui_widget *root = test_step_materials(frame, 6, problem);
    render(&g, root);
    const bool locked[] = {true, false, false, true, false, false};
    const bool checked[] = {true, true, false, true, false, false};
    const ui_theme *theme = frame->theme;
    for (size_t i = 0; i < 6; i++) {
        ui_widget *item = find(root, "materials.item", i, NULL);
        ui_widget *box = find(root, "materials.item", i, "check");
        assert_non_null(item);
        assert_non_null(box);
        assert_int_equal(!!(item->flags & UI_FLAG_CHECKED), checked[i]);
        SDL_Point middle = centre(box);
        ui_widget *hit = ui_widget_hit(root, middle.x, middle.y);
        if (locked[i]) {
            assert_null(hit);
            assert_non_null(find(root, "materials.item", i, "lock"));
        } else {
            assert_ptr_equal(hit, item);
            assert_int_equal(item->action, UI_ACTION_TOGGLE);
            assert_int_equal(item->action_arg, (int)i);
        }
        /* Ticked: a tick (the primary tone's text colour) on the box
         * filled in the primary colour; empty: what it is on shows through. */
        SDL_Point a = on_tick(box), c = off_tick(box);
        const ui_tone_colours *primary = &theme->tones[UI_TONE_PRIMARY];
        SDL_Color under = theme->tones[item->tone].background;
        assert_true(same(pixel_at(g.surface, a.x, a.y), checked[i] ? primary->text : under));
        assert_true(same(pixel_at(g.surface, c.x, c.y), checked[i] ? primary->background : under));
    }
    /* What is missing is said above next. */
    ui_widget *said = ui_widget_find(root, "materials.problem");
    assert_string_equal(said->text, problem);
    assert_false(said->flags & UI_FLAG_HIDDEN);
    assert_true(said->bounds.y + said->bounds.h <= ui_widget_find(root, "step.next")->bounds.y);
    ui_widget_destroy(root);

    root = test_step_materials(frame, 6, NULL);
    assert_true(ui_widget_find(root, "materials.problem")->flags & UI_FLAG_HIDDEN);
    ui_widget_destroy(root);
    glass_close(&g);
}

static void test_confirm_reads_as_label_and_value(void **state)
{
    (void)state;
    for (size_t b = 0; b < boards_to_test(); b++) {
        glass g;
        glass_open(&g, &boards[b]);
        const ui_frame_model *frame = frame_for(&g, LANG_ZH_CN, UI_THEME_STANDARD);
        ui_widget *root = test_step_confirm(frame, 8, true);
        ui_form_row rows[16];
        test_step_form_rows(LANG_ZH_CN, rows, 16);
        for (size_t i = 0; i < 8; i++) {
            ui_widget *value = find(root, "confirm.line", i, NULL);
            ui_widget *label = find(root, "confirm.line", i, "label");
            assert_non_null(value);
            assert_non_null(label);
            assert_string_equal(label->text, rows[i].label);
            assert_string_equal(value->text, rows[i].value ? rows[i].value : "—");
            assert_int_equal(label->align, UI_ALIGN_START);
            /* Beside its label, or under it on a narrow screen. */
            assert_true(value->bounds.x >= label->bounds.x + label->bounds.w ||
                        value->bounds.y >= label->bounds.y + label->bounds.h);
        }
        assert_string_equal(find(root, "confirm.item", 0, NULL)->text, "出生医学证明 · 卫生健康委");
        assert_string_equal(ui_widget_find(root, "confirm.items")->text, "本次一并办理");
        ui_widget *note = ui_widget_find(root, "confirm.note");
        assert_int_equal(note->tone, UI_TONE_ALERT);
        assert_string_equal(note->text, ui_frame_text(frame, "confirm.offline"));
        assert_true(note->bounds.y + note->bounds.h <= ui_widget_find(root, "step.next")->bounds.y);
        assert_string_equal(ui_widget_find(root, "step.next")->text, "提交");
        ui_widget_destroy(root);

        /* Twenty lines scroll; the note stays put above the buttons. */
        root = test_step_confirm(frame, 20, true);
        ui_widget *view = ui_widget_find(root, "confirm.summary");
        assert_non_null(view);
        assert_true(ui_scroll_view_max_offset(view) > 0);
        note = ui_widget_find(root, "confirm.note");
        assert_null(ui_scroll_view_of(note));
        assert_true(view->bounds.y + view->bounds.h <= note->bounds.y);
        ui_widget_destroy(root);
        glass_close(&g);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_step_screen_on_every_board_theme_and_language),
        cmocka_unit_test(test_cancel_is_on_every_step),
        cmocka_unit_test(test_form_fields_are_tapped_by_index_and_locked_ones_are_not),
        cmocka_unit_test(test_a_long_form_scrolls_to_its_focus),
        cmocka_unit_test(test_the_keypad_types_into_the_field),
        cmocka_unit_test(test_the_chosen_choice_is_marked),
        cmocka_unit_test(test_materials_toggle_and_locked_ones_stay_ticked),
        cmocka_unit_test(test_confirm_reads_as_label_and_value),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
