/* Home: what can be done here, as large tiles, in pages when they do not all
 * fit at a size a citizen can hit (or when the theme wants fewer at a time). */
#include "ui/icons.h"
#include "ui/layout.h"
#include "ui/screens.h"

#include <stdio.h>

#define MARGIN_DP          24
#define GAP_DP             20
#define PROMPT_DP          72
#define NAV_DP             80
#define END_DP             30
#define TILE_MIN_WIDTH_DP  280
#define TILE_MIN_HEIGHT_DP 116
#define TILE_MAX_HEIGHT_DP 320
#define COLUMNS_MAX        6
#define PAGES_MAX          64
#define STATE_DP           22

typedef struct home_plan {
    int columns, rows; /* rows per page */
    int tile_w, tile_h, gap;
    SDL_Rect area; /* where tiles go */
    int pages;
    size_t page_start[PAGES_MAX + 1];
    bool nav;
} home_plan;

static int rows_fitting(const ui_frame_model *frame, int height, int gap)
{
    /* A tile's least height holds one line of its name at any theme's size;
     * bigger text means the summary goes first, not the tile. */
    float scale = 1.0f;
    int min_h = ui_dp(&frame->metrics, TILE_MIN_HEIGHT_DP * scale);
    int rows = (height + gap) / (min_h + gap);
    return rows < 1 ? 1 : rows;
}

static int columns_for(const ui_frame_model *frame, int width)
{
    float min_width = TILE_MIN_WIDTH_DP * frame->theme->text_scale;
    int columns = (int)((ui_px_to_dp(&frame->metrics, width) + GAP_DP) / (min_width + GAP_DP));
    return columns < 1 ? 1 : columns > COLUMNS_MAX ? COLUMNS_MAX : columns;
}

/* Rows the tiles [first, last) take: singles fill rows, a bundle has a row. */
static int rows_needed(const ui_tile_model *tiles, size_t first, size_t last, int columns)
{
    int rows = 0, in_row = 0;
    for (size_t i = first; i < last; i++) {
        if (tiles[i].bundle || in_row == columns) {
            rows += in_row > 0;
            in_row = 0;
        }
        if (tiles[i].bundle)
            rows++;
        else
            in_row++;
    }
    return rows + (in_row > 0);
}

/* Splits the tiles into pages of at most `rows` rows (and the theme's
 * tiles_per_page). */
static void paginate(home_plan *plan, const ui_frame_model *frame, const ui_tile_model *tiles,
                     size_t count)
{
    int per_page_max = frame->theme->tiles_per_page;
    plan->pages = 0;
    size_t first = 0;
    while (first < count && plan->pages < PAGES_MAX) {
        plan->page_start[plan->pages++] = first;
        size_t last = first + 1;
        while (last < count && rows_needed(tiles, first, last + 1, plan->columns) <= plan->rows &&
               (per_page_max <= 0 || (int)(last + 1 - first) <= per_page_max))
            last++;
        first = last;
    }
    plan->page_start[plan->pages] = count;
}

static home_plan plan_home(const ui_frame_model *frame, SDL_Rect area, const ui_tile_model *tiles,
                           size_t count)
{
    const ui_metrics *m = &frame->metrics;
    home_plan plan = {.gap = ui_dp(m, GAP_DP), .area = area, .pages = 1};
    plan.columns = columns_for(frame, area.w);
    size_t singles = 0;
    for (size_t i = 0; i < count; i++)
        singles += !tiles[i].bundle;
    /* As few rows as those columns allow, then as few columns as fill them:
     * twelve tiles in five columns leave a ragged row of two; four columns
     * make three even rows of wider tiles. */
    if (singles > 0) {
        size_t rows = (singles + (size_t)plan.columns - 1) / (size_t)plan.columns;
        plan.columns = (int)((singles + rows - 1) / rows);
    }
    int need = rows_needed(tiles, 0, count, plan.columns);
    int per_page_max = frame->theme->tiles_per_page;
    bool one_page = need <= rows_fitting(frame, area.h, plan.gap) &&
                    (per_page_max <= 0 || (int)count <= per_page_max);
    if (one_page) {
        plan.rows = need > 0 ? need : 1;
        plan.page_start[0] = 0;
        plan.page_start[1] = count;
    } else {
        /* Paged: room for the page buttons, and the widest columns again. */
        int nav = ui_frame_text_dp(frame, NAV_DP) + ui_dp(m, MARGIN_DP);
        plan.nav = true;
        plan.area.h -= nav;
        plan.columns = columns_for(frame, area.w);
        plan.rows = rows_fitting(frame, plan.area.h, plan.gap);
        paginate(&plan, frame, tiles, count);
        /* Pages as tall as the fullest one needs: tiles as large as can be. */
        int fullest = 1;
        for (int p = 0; p < plan.pages; p++) {
            int rows = rows_needed(tiles, plan.page_start[p], plan.page_start[p + 1], plan.columns);
            fullest = rows > fullest ? rows : fullest;
        }
        plan.rows = fullest;
    }
    plan.tile_w = (plan.area.w - (plan.columns - 1) * plan.gap) / plan.columns;
    plan.tile_h = (plan.area.h - (plan.rows - 1) * plan.gap) / plan.rows;
    int max_h = ui_frame_text_dp(frame, TILE_MAX_HEIGHT_DP);
    if (plan.tile_h > max_h)
        plan.tile_h = max_h;
    return plan;
}

/* Previous / page n of m / next, under the tiles of a paged home. */
static bool build_page_nav(ui_widget *root, const ui_frame_model *frame, SDL_Rect row, int page,
                           int pages)
{
    int gap = ui_dp(&frame->metrics, GAP_DP);
    /* The buttons get the room; "2 / 3" needs little. */
    int label_w = (row.w - 2 * gap) / 4;
    int button_w = (row.w - 2 * gap - label_w) / 2;
    char page_text[16], pages_text[16], label[96];
    snprintf(page_text, sizeof page_text, "%d", page + 1);
    snprintf(pages_text, sizeof pages_text, "%d", pages);
    const char *names[] = {"page", "pages"};
    const char *values[] = {page_text, pages_text};
    ui_strings_fill(ui_frame_text(frame, "home.page"), names, values, 2, label, sizeof label);

    ui_widget *previous =
        ui_button_create(root, UI_ID_HOME_PREVIOUS, ui_frame_text(frame, "home.previous"),
                         (SDL_Rect){row.x, row.y, button_w, row.h}, UI_ACTION_PAGE, -1);
    ui_widget *where = ui_label_create(root, UI_ID_HOME_PAGE, label,
                                       (SDL_Rect){row.x + button_w + gap, row.y, label_w, row.h});
    ui_widget *next =
        ui_button_create(root, UI_ID_HOME_NEXT, ui_frame_text(frame, "home.next"),
                         (SDL_Rect){row.x + button_w + label_w + 2 * gap, row.y, button_w, row.h},
                         UI_ACTION_PAGE, +1);
    if (!previous || !where || !next || !ui_button_set_icon_for(previous, "home.previous") ||
        !ui_button_set_icon_for(next, "home.next"))
        return false;
    /* Page controls are sized like the frame's: they are not text to read. */
    where->chrome = previous->chrome = next->chrome = true;
    /* At either end the button is not there, rather than there and inert. */
    if (page == 0)
        previous->flags |= UI_FLAG_HIDDEN;
    if (page == pages - 1)
        next->flags |= UI_FLAG_HIDDEN;
    return true;
}

/* The terminal's state on the tile, where the citizen decides: a band in
 * the alert tone with a pictogram and a clear line ("tile.<id>.state"), at
 * the tile's foot, or on a wide and low tile (a bundle on a narrow screen) at
 * its trailing edge. Sets what it keeps free of the tile in *foot or *end;
 * false when out of memory. */
static bool build_tile_state(ui_widget *tile, const ui_frame_model *frame,
                             const ui_tile_model *model, int *foot, int *end)
{
    const ui_metrics *m = &frame->metrics;
    int border = ui_dp(m, frame->theme->border_dp), pad = ui_dp(m, 10);
    int line = ui_frame_line_px(frame, STATE_DP);
    int icon = line;
    SDL_Rect inside = {tile->bounds.x + border, tile->bounds.y + border,
                       tile->bounds.w - 2 * border, tile->bounds.h - 2 * border};
    /* The name keeps a line at the least size the law allows, with room
     * around it. */
    int name_least = ui_theme_text_px(frame->theme, m, 0) * 14 / 10 + 2 * pad;
    bool side = tile->bounds.w >= 3 * tile->bounds.h;
    SDL_Rect band;
    if (side) {
        int band_w = inside.w * 2 / 5;
        band = (SDL_Rect){inside.x + inside.w - band_w, inside.y, band_w, inside.h};
        *end = band_w + border;
    } else {
        int text_w = inside.w - 3 * pad - icon;
        int lines = ui_frame_lines_for(frame, model->state, STATE_DP, text_w, 3);
        int most = inside.h - name_least;
        while (lines > 1 && lines * line + pad > most)
            lines--;
        int band_h = lines * line + pad;
        band_h = band_h < most ? band_h : most > line ? most : line;
        band = (SDL_Rect){inside.x, inside.y + inside.h - band_h, inside.w, band_h};
        *foot = band_h + border;
    }
    int text_w = band.w - 3 * pad - icon;
    char id[UI_ID_MAX];
    snprintf(id, sizeof id, "tile.%s.band", model->id);
    ui_widget *panel = ui_panel_create(tile, id, band, UI_TONE_ALERT);
    snprintf(id, sizeof id, "tile.%s.state.icon", model->id);
    ui_widget *mark =
        panel ? ui_icon_create(panel, id, model->state_icon ? model->state_icon : "warning",
                               (SDL_Rect){band.x + pad, band.y + (band.h - icon) / 2, icon, icon},
                               UI_TONE_ALERT)
              : NULL;
    snprintf(id, sizeof id, UI_ID_TILE_STATE_FMT, model->id);
    ui_widget *words =
        mark ? ui_label_create(panel, id, model->state,
                               (SDL_Rect){band.x + 2 * pad + icon, band.y, text_w, band.h})
             : NULL;
    if (!words)
        return false;
    words->tone = UI_TONE_ALERT;
    words->text_dp = STATE_DP;
    words->wrap = true;
    words->align = UI_ALIGN_START;
    return true;
}

static bool build_tiles(ui_widget *root, const ui_frame_model *frame, const home_plan *plan,
                        const ui_tile_model *tiles, size_t first, size_t last)
{
    /* Single services fill rows in catalog order; a bundle takes a row of its
     * own across the whole width, so it stands out as "one visit does it all". */
    int row = 0, column = 0;
    /* Room a page leaves under its last row (a last page with fewer rows):
     * a tile there that tells the terminal's state may grow into it. */
    int rows = rows_needed(tiles, first, last, plan->columns);
    int spare = plan->area.h - rows * plan->tile_h - (rows - 1) * plan->gap;
    spare = spare < plan->tile_h ? spare : plan->tile_h;
    for (size_t i = first; i < last; i++) {
        if (tiles[i].bundle || column == plan->columns) {
            row += column > 0;
            column = 0;
        }
        int y = plan->area.y + row * (plan->tile_h + plan->gap);
        SDL_Rect bounds = {plan->area.x + column * (plan->tile_w + plan->gap), y, plan->tile_w,
                           plan->tile_h};
        if (tiles[i].bundle) {
            bounds = (SDL_Rect){plan->area.x, y, plan->area.w, plan->tile_h};
            row++;
        } else {
            column++;
        }
        bool last_row = (tiles[i].bundle ? row : row + 1) == rows;
        if (tiles[i].state && last_row && spare > 0)
            bounds.h += spare;
        char id[UI_ID_MAX];
        snprintf(id, sizeof id, UI_ID_TILE_FMT, tiles[i].id);
        ui_widget *tile = ui_tile_create(root, id, tiles[i].name, tiles[i].summary, bounds,
                                         UI_ACTION_OPEN_SERVICE, (int)i);
        if (!tile)
            return false;
        tile->align = UI_ALIGN_START;
        if (tiles[i].bundle)
            tile->tone = UI_TONE_BUNDLE;
        int foot = 0, end = 0;
        if (tiles[i].state && !build_tile_state(tile, frame, &tiles[i], &foot, &end))
            return false;
        if (!ui_tile_set_marks(tile, tiles[i].icon ? tiles[i].icon : UI_ICON_GENERIC, foot, end))
            return false;
    }
    return true;
}

kiosk_error ui_home_build(const ui_frame_model *frame, const ui_tile_model *tiles, size_t count,
                          int *page, const char *end, ui_widget **out)
{
    /* The prompt stands at the top of the content, in the margin's room;
     * the tiles go from under it to the area's foot. */
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, MARGIN_DP, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    SDL_Rect content = screen.content;
    int margin = screen.margin, gap = screen.gap;
    int prompt_h = ui_frame_text_dp(frame, PROMPT_DP);
    int prompt_w = screen.area.w;
    int tiles_y = content.y + prompt_h;
    /* An identified citizen can always end their visit from here, so the
     * next person never finds them still signed in: beside the prompt, or
     * under it when both do not fit on one line. */
    if (end) {
        int end_px = ui_frame_text_dp(frame, END_DP);
        int want = ui_frame_estimate_width(end, end_px) + ui_icon_room_px(end_px) + 4 * gap;
        int most = prompt_w * 2 / 5;
        int end_w = want < most ? want : most;
        SDL_Rect bounds = {margin + prompt_w - end_w, content.y + gap / 2, end_w, prompt_h - gap};
        const char *prompt_text = ui_frame_text(frame, "home.prompt");
        if (ui_frame_lines_for(frame, prompt_text, frame->theme->heading_dp, prompt_w - end_w - gap,
                               2) > 1) {
            /* Under the prompt, as wide as its words and pictogram want. */
            bounds.w = want < prompt_w ? want : prompt_w;
            bounds.x = margin + prompt_w - bounds.w;
            bounds.y = tiles_y;
            tiles_y += prompt_h;
        } else {
            prompt_w -= end_w + gap;
        }
        ui_widget *end_button =
            ui_screen_button(&screen, UI_ID_HOME_END, end, bounds, UI_ACTION_END_SESSION, 0,
                             UI_TONE_SECONDARY, END_DP);
        if (!end_button || !ui_button_set_icon_for(end_button, "session.end"))
            goto fail;
    }
    ui_widget *prompt =
        ui_heading_create(root, UI_ID_HOME_PROMPT, ui_frame_text(frame, "home.prompt"),
                          (SDL_Rect){margin, content.y, prompt_w, prompt_h});
    if (!prompt)
        goto fail;
    prompt->align = UI_ALIGN_START;

    screen.y = tiles_y;
    home_plan plan = plan_home(frame, ui_screen_rest(&screen), tiles, count);
    *page = *page < 0 ? 0 : *page >= plan.pages ? plan.pages - 1 : *page;
    if (plan.nav &&
        !build_page_nav(root, frame, ui_screen_foot(&screen, ui_frame_text_dp(frame, NAV_DP)),
                        *page, plan.pages))
        goto fail;
    if (!build_tiles(root, frame, &plan, tiles, plan.page_start[*page], plan.page_start[*page + 1]))
        goto fail;
    return ui_screen_end(&screen, true, out);
fail:
    return ui_screen_end(&screen, false, out);
}
