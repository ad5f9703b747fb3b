/* The accessibility audit: every screen, in every theme, language and board
 * layout, measured as drawn. It fails on
 *   - a touch target under 44 dp (60 dp in elder mode) or under 9 mm on the
 *     board's glass;
 *   - text whose contrast with what is behind it, measured in the rendered
 *     pixels, is under 4.5:1 (7:1 in high contrast);
 *   - text whose capital H is under 4.8 mm on the glass (ADA 707.7.2), or
 *     7.3 mm in elder mode (EN 301 549 5.1.4: 0.7 degrees at 600 mm);
 *   - a screen with no way back or to help (or, for staff and technicians,
 *     to sign out);
 *   - text clipped by its box, or texts drawn over each other;
 *   - a control the keypad cannot reach: walked with "next" from the first
 *     focus, the focus must meet every tappable widget and come back to the
 *     first; with all four arrows, every control must be reachable from
 *     every other (no trap), and up and down must move;
 *   - a focus ring under 3:1 (WCAG 2.x non-text contrast) against what is
 *     drawn around it, measured on the rendered pixels: the ring is drawn
 *     and read back for the first control, and every control's
 *     surroundings are read from the frame.
 * The floors are the law's, held in this file: a theme that lowers its own
 * minimum fails the audit instead of lowering the bar.
 * It prints one line per screen and configuration. */
#include "../support/test_support.h"

#include "drivers/keypad/keypad.h"
#include "drivers/sim/idcard_sim.h"
#include "drivers/sim/printer_sim.h"
#include "drivers/sim/scanner_sim.h"
#include "firmware/app/app_keypad.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_speech.h"

#include "ui/image.h"
#include "ui/ime_pinyin.h"
#include "ui/scroll_view.h"
#include "ui/test_probes.h"

#include <sys/stat.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_TARGET_MM 9.0f
#define RECTS_MAX     128

/* The legal floors, held here and not read from the theme under audit: a
 * theme that lowers its own minimum must fail the audit, not lower the bar. */
typedef struct legal_floor {
    const char *theme;
    float target_dp, contrast, cap_mm;
} legal_floor;

static const legal_floor LEGAL_FLOORS[] = {
    {"standard", 44.0f, 4.5f, 4.8f},      /* WCAG 2.5.5, 1.4.3; ADA 707.7.2 */
    {"elder", 60.0f, 4.5f, 7.3f},         /* EN 301 549 5.1.4: 0.7 degrees at 600 mm */
    {"high-contrast", 44.0f, 7.0f, 4.8f}, /* WCAG 1.4.6 */
};
#define CHROME_FLOOR_CAP_MM 4.8f /* every text, the frame's controls included */

static legal_floor floor_of(const char *theme)
{
    for (size_t i = 0; i < sizeof LEGAL_FLOORS / sizeof LEGAL_FLOORS[0]; i++) {
        if (strcmp(LEGAL_FLOORS[i].theme, theme) == 0)
            return LEGAL_FLOORS[i];
    }
    fail_msg("theme %s has no legal floor in the audit: add one", theme);
    return LEGAL_FLOORS[0];
}

typedef struct audit {
    const char *board, *screen;
    kiosk_app *app;
    const ui_theme *theme;
    legal_floor floor; /* the bar: the law's, or the theme's where higher */
    ui_context context;
    SDL_Surface *frame;
    ui_metrics metrics;
    /* findings */
    int targets, texts, clipped, overlaps, small_targets, low_contrast, small_text;
    float min_target_dp, min_target_mm, min_cap_mm;
    double min_contrast;
    bool way_out;
    /* the keypad */
    int controls, unreachable, traps, low_ring;
    double min_ring_contrast;
    char problem[256];
    SDL_Rect drawn[RECTS_MAX];
    int drawn_count;
} audit;

static int failures;

/* Keeps the first problem found on a screen, for the table. */
#define NOTE(a, ...)                                                                               \
    do {                                                                                           \
        if (!(a)->problem[0])                                                                      \
            snprintf((a)->problem, sizeof(a)->problem, __VA_ARGS__);                               \
    } while (0)

static bool hidden(const ui_widget *widget)
{
    for (const ui_widget *w = widget; w; w = w->parent) {
        if (w->flags & UI_FLAG_HIDDEN)
            return true;
    }
    /* Scrolled out of its view: not on the glass now (a citizen scrolls to
     * it, and it is audited where it then is). */
    ui_widget *view = ui_scroll_view_of((ui_widget *)widget);
    SDL_Rect shown;
    return view && !SDL_IntersectRect(&widget->bounds, &view->bounds, &shown);
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

/* The text's contrast as drawn: the background is the commonest colour on the
 * rectangle's edge (text is drawn inside it), the text the pixel inside that
 * differs most from it. */
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
            if (c > strongest)
                strongest = c;
        }
    }
    return strongest;
}

static void audit_text(audit *a, const ui_widget *widget, const ui_text_part *part)
{
    int w = 0, h = 0;
    if (!ui_text_get(a->context.text, part->language, part->text, part->style, &w, &h))
        return;
    a->texts++;
    if (w > part->box.w + 1 || h > part->box.h + 1) {
        a->clipped++;
        NOTE(a, "%s: text clipped (%.0f px too wide or tall)", widget->id,
             (double)(w - part->box.w > h - part->box.h ? w - part->box.w : h - part->box.h));
    }
    SDL_Rect drawn = {part->box.x, part->box.y + (part->box.h - h) / 2, w, h};
    if (part->align == UI_ALIGN_CENTER)
        drawn.x = part->box.x + (part->box.w - w) / 2;
    else if (part->align == UI_ALIGN_END)
        drawn.x = part->box.x + part->box.w - w;
    SDL_Rect visible;
    if (!SDL_IntersectRect(&drawn, &part->box, &visible))
        return;
    /* Text cut by a scroll view's edge is audited once scrolled into view. */
    ui_widget *view = ui_scroll_view_of((ui_widget *)widget);
    SDL_Rect in_view;
    if (view && (!SDL_IntersectRect(&visible, &view->bounds, &in_view) || in_view.h < visible.h ||
                 in_view.w < visible.w))
        return;
    for (int i = 0; i < a->drawn_count; i++) {
        SDL_Rect both;
        if (SDL_IntersectRect(&visible, &a->drawn[i], &both) && both.w > 2 && both.h > 2) {
            a->overlaps++;
            NOTE(a, "%s: text drawn over another (%.0f px high)", widget->id, (double)both.h);
        }
    }
    if (a->drawn_count < RECTS_MAX)
        a->drawn[a->drawn_count++] = visible;

    double contrast = measured_contrast(a->frame, visible);
    if (contrast < a->min_contrast)
        a->min_contrast = contrast;
    if (contrast + 0.05 < a->floor.contrast) {
        a->low_contrast++;
        NOTE(a, "%s: contrast %.2f:1", widget->id, contrast);
    }
    /* A pictogram has no capital H: it is as large as a legal capital. */
    int cap_px = part->language == UI_TEXT_ICONS
                     ? h
                     : ui_text_cap_height_px(a->context.text, part->language, part->style.size_px);
    float cap_mm = (float)cap_px / a->metrics.px_per_mm;
    if (cap_mm < a->min_cap_mm)
        a->min_cap_mm = cap_mm;
    /* The frame's controls keep the legal minimum for all text; the page's
     * text keeps the theme's (larger in elder mode). */
    float required = widget->chrome ? CHROME_FLOOR_CAP_MM : a->floor.cap_mm;
    if (cap_mm + 0.05f < required) {
        a->small_text++;
        NOTE(a, "%s: capital height %.2f mm", widget->id, (double)cap_mm);
    }
}

static void visit(ui_widget *widget, void *user)
{
    audit *a = user;
    if (hidden(widget))
        return;
    if (widget->flags & UI_FLAG_TAPPABLE) {
        a->targets++;
        int side = widget->bounds.w < widget->bounds.h ? widget->bounds.w : widget->bounds.h;
        float dp = ui_px_to_dp(&a->metrics, side);
        float mm = (float)side / a->metrics.px_per_mm;
        a->min_target_dp = dp < a->min_target_dp ? dp : a->min_target_dp;
        a->min_target_mm = mm < a->min_target_mm ? mm : a->min_target_mm;
        if (dp + 0.5f < a->floor.target_dp || mm < MIN_TARGET_MM) {
            a->small_targets++;
            NOTE(a, "%s: target %.1f dp", widget->id, (double)dp);
        }
        bool out = widget->action == UI_ACTION_HELP || widget->action == UI_ACTION_HOME ||
                   widget->action == UI_ACTION_BACK || widget->action == UI_ACTION_CANCEL ||
                   widget->action == UI_ACTION_SIGN_OUT ||
                   (strcmp(a->screen, "attract") == 0 && widget->action == UI_ACTION_START);
        a->way_out = a->way_out || out;
    }
    ui_text_part parts[UI_TEXT_PARTS_MAX];
    size_t count = ui_widget_text_parts(widget, &a->context, parts);
    for (size_t i = 0; i < count; i++)
        audit_text(a, widget, &parts[i]);
}

/* The keypad's walk and its ring. */

#define CONTROLS_MAX 512
#define RING_FLOOR   3.0 /* WCAG 2.x 1.4.11: non-text contrast */
#define ARROWS       4
#define SIDE_SAMPLES 9

static const keypad_key arrows[ARROWS] = {KEYPAD_KEY_LEFT, KEYPAD_KEY_RIGHT, KEYPAD_KEY_UP,
                                          KEYPAD_KEY_DOWN};

static long index_in(ui_widget *const *order, size_t count, const ui_widget *widget)
{
    for (size_t i = 0; i < count; i++) {
        if (order[i] == widget)
            return (long)i;
    }
    return -1;
}

typedef struct tappables {
    ui_widget *const *order;
    size_t count;
    audit *a;
} tappables;

/* Every tappable widget shown (or scrolled away in its view) is a control
 * the keypad reaches. */
static void must_be_ordered(ui_widget *widget, void *user)
{
    tappables *t = user;
    for (const ui_widget *w = widget; w; w = w->parent) {
        if (w->flags & UI_FLAG_HIDDEN)
            return;
    }
    /* A pad to draw on needs a drawing hand: the keypad has its own way
     * instead (typing by pinyin or letters; a signature confirmed by key). */
    if (widget->class_->follow)
        return;
    if ((widget->flags & UI_FLAG_TAPPABLE) && index_in(t->order, t->count, widget) < 0) {
        t->a->unreachable++;
        NOTE(t->a, "%s: tappable, but not in the keypad's order", widget->id);
    }
}

/* Which controls can be reached from `from` along the arrows' moves
 * (forward), or can reach it (backward). */
static void reach(long (*moves)[ARROWS], size_t count, size_t from, bool forward, bool *reached)
{
    size_t queue[CONTROLS_MAX], head = 0, tail = 0;
    memset(reached, 0, count * sizeof *reached);
    reached[from] = true;
    queue[tail++] = from;
    while (head < tail) {
        size_t at = queue[head++];
        for (size_t i = 0; i < count; i++) {
            if (reached[i])
                continue;
            bool linked = false;
            for (int k = 0; k < ARROWS; k++)
                linked |= forward ? moves[at][k] == (long)i : moves[i][k] == (long)at;
            if (linked) {
                reached[i] = true;
                queue[tail++] = i;
            }
        }
    }
}

static double ring_contrast(const ui_theme *theme, SDL_Color around)
{
    double focus = ui_contrast_ratio(theme->focus, around);
    double halo = ui_contrast_ratio(theme->focus_halo, around);
    return focus > halo ? focus : halo;
}

/* Where widget's ring is drawn, as ui_focus_ring_draw places it: outside
 * its bounds, pulled in where the screen or its scroll view ends. Empty
 * when it is scrolled out of sight. */
static SDL_Rect ring_outer(const audit *a, const ui_widget *widget, SDL_Rect *area)
{
    *area = (SDL_Rect){0, 0, a->frame->w, a->frame->h};
    for (const ui_widget *up = widget->parent; up; up = up->parent) {
        if (up->class_->clips_children && !SDL_IntersectRect(area, &up->bounds, area))
            return (SDL_Rect){0, 0, 0, 0};
    }
    SDL_Rect outer = ui_focus_ring_area(widget, &a->metrics), kept;
    if (!SDL_IntersectRect(&outer, area, &kept))
        return (SDL_Rect){0, 0, 0, 0};
    return kept;
}

/* The ring of every control against the pixels drawn just outside it (the
 * frame has no ring yet): one of its two colours at 3:1 or more. */
static void measure_ring_surroundings(audit *a, ui_widget *const *order, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        SDL_Rect area;
        SDL_Rect outer = ring_outer(a, order[i], &area);
        if (SDL_RectEmpty(&outer) || hidden(order[i]))
            continue;
        for (int side = 0; side < 4; side++) {
            for (int k = 1; k <= SIDE_SAMPLES; k++) {
                int x = outer.x + outer.w * k / (SIDE_SAMPLES + 1);
                int y = outer.y + outer.h * k / (SIDE_SAMPLES + 1);
                SDL_Point at = side == 0   ? (SDL_Point){x, outer.y - 1}
                               : side == 1 ? (SDL_Point){x, outer.y + outer.h}
                               : side == 2 ? (SDL_Point){outer.x - 1, y}
                                           : (SDL_Point){outer.x + outer.w, y};
                if (!SDL_PointInRect(&at, &area))
                    continue; /* no room that side: the ring is inside the bounds */
                double contrast = ring_contrast(a->theme, pixel_at(a->frame, at.x, at.y));
                if (contrast < a->min_ring_contrast)
                    a->min_ring_contrast = contrast;
                if (contrast + 0.005 < RING_FLOOR) {
                    a->low_ring++;
                    NOTE(a, "%s: focus ring %.2f:1 against what is around it", order[i]->id,
                         contrast);
                    side = 4;
                    break;
                }
            }
        }
    }
}

/* The ring as drawn around the first control: its two colours read back
 * from the rendered frame, and at 3:1 to each other. */
static void measure_drawn_ring(audit *a, ui_widget *first)
{
    SDL_Rect area;
    SDL_Rect outer = ring_outer(a, first, &area);
    if (SDL_RectEmpty(&outer) || hidden(first))
        return;
    SDL_Surface *ringed = NULL;
    assert_int_equal(app_capture(a->app, &ringed), KIOSK_OK);
    int ring = ui_dp(&a->metrics, UI_FOCUS_RING_DP), halo = ui_dp(&a->metrics, UI_FOCUS_HALO_DP);
    ring = ring < 3 ? 3 : ring;
    halo = halo < 1 ? 1 : halo;
    int x = outer.x + outer.w / 2;
    SDL_Color drawn_halo = pixel_at(ringed, x, outer.y + halo / 2);
    SDL_Color drawn_focus = pixel_at(ringed, x, outer.y + halo + ring / 2);
    SDL_FreeSurface(ringed);
    double between = ui_contrast_ratio(drawn_focus, drawn_halo);
    if (!same(drawn_focus, a->theme->focus) || !same(drawn_halo, a->theme->focus_halo)) {
        a->low_ring++;
        NOTE(a, "%s: the focus ring is not drawn", first->id);
    } else if (between + 0.005 < RING_FLOOR) {
        a->low_ring++;
        NOTE(a, "the focus ring's colours are %.2f:1 to each other", between);
    }
}

static void audit_keypad(audit *a)
{
    kiosk_app *app = a->app;
    ui_widget *order[CONTROLS_MAX];
    size_t count = ui_focus_order(app_root(app), order, CONTROLS_MAX);
    if (count > CONTROLS_MAX) {
        a->traps++;
        NOTE(a, "more than %d controls", CONTROLS_MAX);
        return;
    }
    a->controls = (int)count;
    tappables t = {order, count, a};
    ui_widget_walk(app_root(app), must_be_ordered, &t);
    measure_ring_surroundings(a, order, count);
    if (count == 0)
        return;
    app_keypad_set_mode(app, true);
    if (app_keypad_focused(app) != order[0]) {
        a->traps++;
        NOTE(a, "the focus does not start on the first control");
    }
    measure_drawn_ring(a, order[0]);
    /* "Next" all the way round. */
    bool met[CONTROLS_MAX] = {false};
    met[0] = true;
    for (size_t i = 0; i < count; i++) {
        app_keypad_press(app, KEYPAD_KEY_RIGHT);
        long at = index_in(order, count, app_keypad_focused(app));
        if (at < 0) {
            a->traps++;
            NOTE(a, "\"next\" lost the focus after %s", order[i]->id);
            break;
        }
        met[at] = true;
    }
    if (app_keypad_focused(app) != order[0]) {
        a->traps++;
        NOTE(a, "\"next\" %zu times does not come back to the first control", count);
    }
    for (size_t i = 0; i < count; i++) {
        if (!met[i]) {
            a->unreachable++;
            NOTE(a, "%s: never met by \"next\"", order[i]->id);
        }
    }
    /* Every arrow from every control. */
    long(*moves)[ARROWS] = calloc(count, sizeof *moves);
    assert_non_null(moves);
    for (size_t i = 0; i < count; i++) {
        for (int k = 0; k < ARROWS; k++) {
            assert_true(app_keypad_focus(app, order[i]));
            app_keypad_press(app, arrows[k]);
            moves[i][k] = index_in(order, count, app_keypad_focused(app));
            if (moves[i][k] < 0 || (count > 1 && moves[i][k] == (long)i)) {
                a->traps++;
                NOTE(a, "%s: an arrow %s", order[i]->id,
                     moves[i][k] < 0 ? "loses the focus" : "does not move");
            }
        }
    }
    bool *reached = calloc(count, sizeof *reached);
    assert_non_null(reached);
    for (int forward = 1; forward >= 0; forward--) {
        reach(moves, count, 0, forward, reached);
        for (size_t i = 0; i < count; i++) {
            if (!reached[i]) {
                a->traps++;
                NOTE(a, forward ? "%s: the arrows never reach it" : "%s: a trap for the arrows",
                     order[i]->id);
                break;
            }
        }
    }
    free(reached);
    free(moves);
    /* The screen as the audit found it: no focus, scrolled to the first. */
    app_keypad_focus(app, order[0]);
    app_keypad_set_mode(app, false);
    app_process_pending(app);
}

static void audit_screen(kiosk_app *app, const char *board, const char *label)
{
    audit a = {.board = board,
               .screen = app_screen_name(app),
               .app = app,
               .min_target_dp = 1e9f,
               .min_target_mm = 1e9f,
               .min_cap_mm = 1e9f,
               .min_contrast = 21.0,
               .min_ring_contrast = 21.0};
    assert_int_equal(app_capture(app, &a.frame), KIOSK_OK);
    a.context = app_ui_context(app);
    a.theme = a.context.theme;
    a.metrics = a.context.metrics;
    a.floor = floor_of(app_theme_name(app));
    /* The theme's own minimums may be stricter than the law, never laxer. */
    a.floor.target_dp = fmaxf(a.floor.target_dp, a.theme->min_target_dp);
    a.floor.contrast = fmaxf(a.floor.contrast, a.theme->min_contrast);
    a.floor.cap_mm = fmaxf(a.floor.cap_mm, a.theme->min_cap_mm);
    ui_widget_walk(app_root(app), visit, &a);
    audit_keypad(&a);
    if (!a.way_out)
        snprintf(a.problem, sizeof a.problem, "no way back or to help");
    /* Spoken: a prompt of its own, in the voice of the citizen's language. */
    char prompt[1024];
    app_speech_prompt(app, prompt, sizeof prompt);
    const char *voice = app_speech_voice(app);
    static const char *const voices[LANG_COUNT] = {"cmn-latn-pinyin", "yue", "en"};
    bool spoken = prompt[0] && strcmp(voice, voices[app_language(app)]) == 0;
    if (!spoken)
        snprintf(a.problem, sizeof a.problem, "no spoken prompt (\"%.60s\", voice \"%s\")", prompt,
                 voice);
    bool ok = a.small_targets + a.low_contrast + a.small_text + a.clipped + a.overlaps +
                      a.unreachable + a.traps + a.low_ring ==
                  0 &&
              a.way_out && spoken;
    printf("%-14s %-13s %-5s %-10s %3d targets >= %5.1f dp %4.1f mm | %3d texts: contrast >= "
           "%5.2f, cap >= %4.1f mm, %d clipped, %d overlapping | keypad: %d controls, %d "
           "unreachable, %d traps, ring >= %5.2f | spoken in %s | %s%s\n",
           board, app_theme_name(app), lang_code(app_language(app)), label, a.targets,
           (double)a.min_target_dp, (double)a.min_target_mm, a.texts, a.min_contrast,
           (double)a.min_cap_mm, a.clipped, a.overlaps, a.controls, a.unreachable, a.traps,
           a.min_ring_contrast, voice, ok ? "ok" : "FAIL: ", a.problem);
    failures += !ok;
    if (!ok || getenv("KIOSK_AUDIT_SHOTS")) {
        /* The screen as it failed (or every screen, when asked), to look at. */
        char path[1024];
        snprintf(path, sizeof path, "%s/build/test-output", test_source_dir());
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/build/test-output/audit-%s-%s-%s-%s.png", test_source_dir(),
                 board, app_theme_name(app), lang_code(app_language(app)), a.screen);
        kiosk_diag diag = {{0}};
        if (ui_image_save_png(a.frame, path, &diag) != KIOSK_OK)
            printf("cannot write %s: %s\n", path, diag.message);
    }
    SDL_FreeSurface(a.frame);
}

static bool printer_is(kiosk_app *app, const void *reason)
{
    return strcmp(app_printer_reason(app), reason) == 0;
}

static void audit_configuration(const char *board, lang language, int theme)
{
    kiosk_app *app = test_app_create_with(test_board_unkept(board), language, false, theme);
    audit_screen(app, board, "attract");
    test_tap(app, "attract.start");
    for (int page = 1; page <= 20; page++) {
        char label[24];
        snprintf(label, sizeof label, "home %d", page);
        audit_screen(app, board, label);
        ui_widget *next = ui_widget_find(app_root(app), "home.next");
        if (!next || (next->flags & UI_FLAG_HIDDEN))
            break;
        test_tap(app, "home.next");
    }
    /* Reading aloud: the footer adds the volume. */
    test_tap(app, "footer.reader");
    audit_screen(app, board, "home, reading aloud");
    test_tap(app, "footer.reader");
    /* The terminal's state said on the tiles: the printer out of paper. */
    printer_sim_set_paper_out(app_sim_printer(app), true);
    assert_true(test_run_until(app, printer_is, "paper-out"));
    app_process_pending(app);
    audit_screen(app, board, "home, no paper");
    printer_sim_set_paper_out(app_sim_printer(app), false);
    assert_true(test_run_until(app, printer_is, "ready"));
    app_process_pending(app);
    test_tap(app, "footer.help");
    audit_screen(app, board, "help");
    test_tap(app, "help.call");
    audit_screen(app, board, "help, called");
    test_tap(app, "help.back");
    /* A service with a form that takes a typed number (the certificates
     * take only the card or an e-ID). */
    test_tap_tile(app, "tile.newborn-bundle");
    test_wait_reader(app, "ready");
    audit_screen(app, board, "card");
    test_tap(app, "step.next");
    audit_screen(app, board, "identify");
    test_type(app, "4403");
    test_tap(app, "step.next");
    audit_screen(app, board, "identify, wrong");
    test_tap(app, "keypad.clear");
    test_type(app, "440304199001011233");
    test_tap(app, "step.next");
    /* The service's form, then what it says when things are missing
     * (the form's own screens are audited in every layout by
     * test_step_screens). */
    audit_screen(app, board, "form");
    test_tap(app, "step.next");
    audit_screen(app, board, "form, problems");
    test_tap(app, "step.cancel");
    test_tap_tile(app, "tile.certificate-print");
    test_tap(app, "step.next");
    test_type(app, "440304199001011233");
    test_tap(app, "step.next");
    audit_screen(app, board, "confirm");
    test_tap(app, "step.next");
    audit_screen(app, board, "error");
    test_show_result(app, UI_RESULT_QUEUED);
    audit_screen(app, board, "result");
    test_print_and_wait(app);
    audit_screen(app, board, "print");
    test_tap(app, "print.done");
    audit_screen(app, board, "rate");
    test_tap(app, "rate.choice.3");
    audit_screen(app, board, "rate, reasons");
    test_tap(app, "footer.help");
    test_monotonic_now_ms += theme == UI_THEME_ELDER ? 120 * 1000 : 60 * 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "timeout");
    audit_screen(app, board, "timeout");
    app_destroy(app);

    /* The lookup: the scan step, and the answer with no platform to ask. */
    app = test_app_create_with(board, language, true, theme);
    test_tap_tile(app, "tile.case-progress");
    test_wait_scanner(app, "ready");
    audit_screen(app, board, "scan");
    const char *number = "GD20261122000042";
    assert_int_equal(
        scanner_sim_scan(app_sim_scanner(app), "]Q1", (const uint8_t *)number, strlen(number)),
        KIOSK_OK);
    test_wait_screen(app, "lookup");
    audit_screen(app, board, "lookup");
    /* After a service: another, or the end. */
    test_tap(app, "notice.done");
    audit_screen(app, board, "finished");
    test_tap(app, "finished.more");
    /* A card step that also takes an e-ID says both ways. */
    test_tap_tile(app, "tile.appointment-ticket");
    test_wait_reader(app, "ready");
    audit_screen(app, board, "card, or e-ID");
    /* Identified by the card: home offers the end; after a service the
     * card is asked back, and again when the visit ends with it there. */
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_ORDINARY);
    test_wait_screen(app, "form");
    /* The keyboard of its text field (the company's name): pinyin with
     * candidates, handwriting with ink and candidates, letters (each where
     * the build has its engine). */
    bool pinyin = ui_pinyin_wait_ready(10000);
    app_perform(app, UI_ACTION_EDIT_FIELD, 3);
    assert_string_equal(app_screen_name(app), "type");
    if (pinyin) {
        const char *keys[] = {"type.key.s", "type.key.h", "type.key.e",
                              "type.key.b", "type.key.a", "type.key.o"};
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            test_tap(app, keys[i]);
        audit_screen(app, board, "type, pinyin");
        test_tap(app, "type.candidate.0");
    }
    if (ui_widget_find(app_root(app), "type.mode.handwriting")) {
        test_tap(app, "type.mode.handwriting");
        app_perform(app, UI_ACTION_KEY, 'x'); /* nothing in this mode */
        ui_widget *pad = ui_widget_find(app_root(app), "type.pad");
        assert_non_null(pad);
        /* A stroke as the pad would have taken it from a finger. */
        int middle = pad->bounds.y + pad->bounds.h / 2;
        pad->class_->follow(pad, UI_FOLLOW_DOWN, pad->bounds.x + pad->bounds.w / 5, middle);
        pad->class_->follow(pad, UI_FOLLOW_MOVE, pad->bounds.x + pad->bounds.w * 4 / 5, middle);
        pad->class_->follow(pad, UI_FOLLOW_UP, pad->bounds.x + pad->bounds.w * 4 / 5, middle);
        app_perform(app, UI_ACTION_STROKE, 0);
        audit_screen(app, board, "type, handwriting");
        test_tap(app, "type.key.rewrite"); /* short of room the modes wait for it */
    }
    test_tap(app, "type.mode.letters");
    audit_screen(app, board, "type, letters");
    test_tap(app, "step.back");
    test_tap(app, "step.cancel");
    audit_screen(app, board, "home, identified");
    /* Signing: the empty pad, and with ink (清除 and 完成 come). */
    test_tap_tile(app, "tile.newborn-bundle");
    test_wait_screen(app, "form");
    app_perform(app, UI_ACTION_EDIT_FIELD, 9); /* the applicant's signature, maybe scrolled away */
    audit_screen(app, board, "sign");
    static const int line[][2] = {{200, 300}, {500, 250}, {800, 300}};
    test_draw(app, "sign.pad", line, 3);
    test_draw(app, "sign.pad", line, 3);
    audit_screen(app, board, "sign, drawn");
    test_tap(app, "step.cancel");
    test_tap_tile(app, "tile.household-registration");
    test_tap(app, "step.next");
    test_wait_screen(app, "result");
    test_tap(app, "result.done");
    test_tap(app, "rate.skip");
    audit_screen(app, board, "finished, card on the reader");
    test_tap(app, "finished.end");
    audit_screen(app, board, "take-card");
    app_destroy(app);
}

/* The staff desk (帮办): each of its screens as staff see them, signed in
 * (where role sessions are not in the build yet, a citizen session keeps
 * the terminal from resting meanwhile). */
static void audit_staff(const char *board, lang language, int theme)
{
    kiosk_app *app = test_app_create_with(test_board_unkept(board), language, false, theme);
    credential_info info = {.id = "S001", .name = "王芳", .role = STAFF_ROLE_STAFF};
    app_role_begin(app, &info);
    if (app_role_current(app) == STAFF_ROLE_NONE)
        app_session_start(app);
    assert_int_equal(app_go(app, APP_SCREEN_STAFF), KIOSK_OK);
    audit_screen(app, board, "staff");
    test_tap(app, "staff.menu.restart");
    audit_screen(app, board, "staff, restart?");
    test_tap(app, "staff.restart.no");
    static const struct {
        const char *item, *label;
    } pages[] = {
        {"staff.menu.status", "staff status"},   {"staff.menu.calls", "staff calls"},
        {"staff.menu.refused", "staff refused"}, {"staff.menu.paper", "staff paper"},
        {"staff.menu.assist", "staff assist"},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        test_tap(app, pages[i].item);
        audit_screen(app, board, pages[i].label);
        if (strcmp(pages[i].item, "staff.menu.paper") == 0) {
            test_tap(app, "staff.paper.reprint");
            test_type(app, "0420");
            audit_screen(app, board, "staff reprint");
            test_tap(app, "staff.back");
        }
        test_tap(app, "staff.back");
    }
    app_destroy(app);
}

/* A technician's page, and, when scrolled (where it scrolls: large text on
 * a small panel), each part of it in turn, three quarters of the view at a
 * time to its end: what is cut by the view's edge in one is whole in the
 * next. */
static void audit_technician_page(kiosk_app *app, const char *board, const char *label,
                                  bool scrolled_through)
{
    audit_screen(app, board, label);
    ui_widget *view = ui_widget_find(app_root(app), "tech.content");
    if (!scrolled_through || !view || ui_scroll_view_max_offset(view) == 0)
        return;
    char scrolled[160];
    snprintf(scrolled, sizeof scrolled, "%s, scrolled", label);
    int step = view->bounds.h * 3 / 4, max = ui_scroll_view_max_offset(view);
    for (int at = step; at < max + step; at += step) {
        /* The audit leaves the page at its first control: from the top. */
        view = ui_widget_find(app_root(app), "tech.content");
        ui_scroll_view_scroll_by(view, -max);
        ui_scroll_view_scroll_by(view, at < max ? at : max);
        app_mark_all_dirty(app);
        audit_screen(app, board, scrolled);
    }
}

static bool tech_result_shown(kiosk_app *app, const void *context)
{
    (void)context;
    return ui_widget_find(app_root(app), "tech.result") != NULL;
}

/* A technician's screens, signed in: the home, the self-tests (and with a
 * failed test's words), the network, the log and the certificate (and with
 * a code typed); each scrolled through where it scrolls, the last of each.
 * The test pattern and the touch targets are instruments, not pages to
 * read. */
static void audit_technician(const char *board, lang language, int theme)
{
    kiosk_app *app = test_app_create_with(test_board_unkept(board), language, false, theme);
    credential_info info = {.id = "T001", .name = "陈志强", .role = STAFF_ROLE_TECHNICIAN};
    app_role_begin(app, &info);
    assert_string_equal(app_screen_name(app), "technician");
    audit_technician_page(app, board, "technician", true);
    static const struct {
        const char *item, *label;
    } pages[] = {
        {"tech.menu.selftest", "technician self-tests"},
        {"tech.menu.network", "technician network"},
        {"tech.menu.logs", "technician log"},
        {"tech.menu.cert", "technician certificate"},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        test_tap(app, pages[i].item);
        bool more = strcmp(pages[i].item, "tech.menu.selftest") == 0 ||
                    strcmp(pages[i].item, "tech.menu.cert") == 0;
        audit_technician_page(app, board, pages[i].label, !more);
        if (strcmp(pages[i].item, "tech.menu.selftest") == 0) {
            /* A test that fails: its words and what to do, in red. */
            printer_sim_set_paper_out(app_sim_printer(app), true);
            assert_true(test_run_until(app, printer_is, "paper-out"));
            test_tap(app, "tech.selftest.printer");
            assert_true(test_run_until(app, tech_result_shown, NULL));
            audit_technician_page(app, board, "technician self-test failed", true);
        }
        if (strcmp(pages[i].item, "tech.menu.cert") == 0) {
            test_tap(app, "tech.cert.key.R");
            test_tap(app, "tech.cert.key.8");
            test_tap(app, "tech.cert.key.T");
            test_tap(app, "tech.cert.key.3");
            audit_technician_page(app, board, "technician certificate, typed", true);
        }
        test_tap(app, "tech.back");
    }
    app_destroy(app);
}

/* Staff signing in (they stand, in a hurry): the PIN screen as asked, after
 * a wrong PIN, and locked, on the board with the sample staff (built by
 * make from board/staff-sample.txt; their demo PINs in README). */
static void audit_signin(const char *board, lang language, int theme, bool locked)
{
    char path[1200], credentials[1200], with[1400];
    snprintf(path, sizeof path, "%s", test_board_unkept(board));
    snprintf(credentials, sizeof credentials, "%s/build/staff/sample-credentials.json",
             test_source_dir());
    snprintf(with, sizeof with, "\"credentials_file\": \"%s\"", credentials);
    char *text = strdup(
        test_replace(test_read_file(path),
                     "\"credentials_file\": \"../../build/staff/sample-credentials.json\"", with));
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs(text, file);
    fclose(file);
    free(text);
    kiosk_app *app = test_app_create_with(path, language, false, theme);
    test_wait_reader(app, "ready");
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_STAFF);
    test_wait_screen(app, "staff_pin");
    audit_screen(app, board, "staff PIN");
    for (int wrong = 0; wrong < (locked ? 5 : 1); wrong++) {
        for (int digit = 0; digit < 4; digit++)
            test_tap(app, "pin.keypad.9");
        test_tap(app, "pin.ok");
        if (wrong == 0)
            audit_screen(app, board, "staff PIN, wrong");
    }
    if (locked)
        audit_screen(app, board, "staff PIN, locked");
    app_destroy(app);
}

static void test_every_screen_passes_the_audit(void **state)
{
    (void)state;
    const char *boards[] = {"portrait-1080", "landscape-1080", "portrait-800"};
    /* Under emulation one board (tools/run-tests sets it for arm64). */
    size_t board_count = getenv("KIOSK_TEST_QUICK") ? 1 : sizeof boards / sizeof boards[0];
    failures = 0;
    for (size_t b = 0; b < board_count; b++) {
        /* Under emulation the standard theme: the native run audits every
         * theme, and the layout code is the same on both architectures. */
        int themes = getenv("KIOSK_TEST_QUICK") ? 1 : UI_THEME_COUNT;
        for (int t = 0; t < themes; t++) {
            for (int l = 0; l < LANG_COUNT; l++) {
                audit_configuration(boards[b], (lang)l, t);
                audit_staff(boards[b], (lang)l, t);
                /* The technician's pages in every language in the standard
                 * and elder themes (the largest text), in zh-CN in high
                 * contrast (the standard's sizes). */
                if (t != UI_THEME_HIGH_CONTRAST || l == LANG_ZH_CN)
                    audit_technician(boards[b], (lang)l, t);
                /* The PIN screen in every language in the standard theme,
                 * in zh-CN in the others; locked (five KDFs) once a board. */
                if (t == UI_THEME_STANDARD || l == LANG_ZH_CN)
                    audit_signin(boards[b], (lang)l, t, t == UI_THEME_STANDARD && l == LANG_ZH_CN);
            }
        }
    }
    printf("accessibility audit: %d screens failed\n", failures);
    assert_int_equal(failures, 0);
}

/* The audit itself must catch what it looks for. */
static void test_the_audit_sees_problems(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    ui_widget *help = ui_widget_find(app_root(app), "footer.help");
    help->bounds.h = 20; /* a target too small */
    ui_widget *prompt = ui_widget_find(app_root(app), "home.prompt");
    prompt->bounds.w = 60; /* text that cannot fit */
    failures = 0;
    audit_screen(app, "portrait-1080", "broken");
    assert_int_equal(failures, 1);
    app_destroy(app);
    /* Something to tap that the keypad cannot reach. */
    app = test_app_create("portrait-1080", LANG_ZH_CN);
    ui_widget *prompt_again = ui_widget_find(app_root(app), "home.prompt");
    assert_false(ui_widget_is_focusable(prompt_again));
    prompt_again->flags |= UI_FLAG_TAPPABLE;
    prompt_again->action = UI_ACTION_HELP;
    failures = 0;
    audit_screen(app, "portrait-1080", "unreachable");
    assert_int_equal(failures, 1);
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_screen_passes_the_audit),
        cmocka_unit_test(test_the_audit_sees_problems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
