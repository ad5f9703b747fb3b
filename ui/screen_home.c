/* Home: what can be done here, as large tiles. */
#include "ui/screens.h"

#include <stdio.h>

#define MARGIN_DP          24
#define GAP_DP             20
#define PROMPT_DP          88
#define TILE_MIN_WIDTH_DP  280
#define TILE_MAX_HEIGHT_DP 320
#define COLUMNS_MAX        6

typedef struct grid {
    int columns, rows;
    int tile_w, tile_h, gap;
    SDL_Rect area;
} grid;

/* As many columns as keep tiles wide enough to read; rows share the height. */
static grid plan_grid(const ui_metrics *m, SDL_Rect area, size_t singles, size_t bundles)
{
    grid g = {.gap = ui_dp(m, GAP_DP), .area = area};
    float width_dp = ui_px_to_dp(m, area.w);
    g.columns = (int)((width_dp + GAP_DP) / (TILE_MIN_WIDTH_DP + GAP_DP));
    if (g.columns < 1)
        g.columns = 1;
    if (g.columns > COLUMNS_MAX)
        g.columns = COLUMNS_MAX;
    /* As few rows as those columns allow, then as few columns as fill them:
     * twelve tiles in five columns would leave a ragged last row of two;
     * four columns make three even rows of wider tiles. */
    if (singles > 0) {
        size_t rows = (singles + (size_t)g.columns - 1) / (size_t)g.columns;
        g.columns = (int)((singles + rows - 1) / rows);
    }
    g.rows = (int)((singles + (size_t)g.columns - 1) / (size_t)g.columns + bundles);
    g.tile_w = (area.w - (g.columns - 1) * g.gap) / g.columns;
    int rows = g.rows > 0 ? g.rows : 1;
    g.tile_h = (area.h - (rows - 1) * g.gap) / rows;
    if (g.tile_h > ui_dp(m, TILE_MAX_HEIGHT_DP))
        g.tile_h = ui_dp(m, TILE_MAX_HEIGHT_DP);
    return g;
}

kiosk_error ui_home_build(const ui_frame_model *frame, const ui_tile_model *tiles, size_t count,
                          ui_widget **out)
{
    const ui_metrics *m = &frame->metrics;
    SDL_Rect content;
    ui_widget *root = ui_frame_build(frame, &content);
    if (!root)
        return KIOSK_ERR_NO_MEMORY;

    int margin = ui_dp(m, MARGIN_DP);
    int prompt_h = ui_dp(m, PROMPT_DP);
    ui_widget *prompt = ui_heading_create(
        root, "home.prompt", ui_strings_get(frame->strings, frame->language, "home.prompt"),
        (SDL_Rect){margin, content.y, content.w - 2 * margin, prompt_h});
    if (!prompt)
        goto fail;
    prompt->align = UI_ALIGN_START;

    size_t singles = 0, bundles = 0;
    for (size_t i = 0; i < count; i++) {
        if (tiles[i].bundle)
            bundles++;
        else
            singles++;
    }
    SDL_Rect area = {margin, content.y + prompt_h, content.w - 2 * margin,
                     content.h - prompt_h - margin};
    grid g = plan_grid(m, area, singles, bundles);

    /* Single services fill the grid in catalog order; bundles follow, each
     * across the whole width, so they stand out as "one visit does it all". */
    size_t placed_single = 0, placed_bundle = 0;
    int single_rows = (int)((singles + (size_t)g.columns - 1) / (size_t)g.columns);
    for (size_t i = 0; i < count; i++) {
        SDL_Rect bounds;
        if (tiles[i].bundle) {
            int row = single_rows + (int)placed_bundle++;
            bounds = (SDL_Rect){area.x, area.y + row * (g.tile_h + g.gap), area.w, g.tile_h};
        } else {
            int column = (int)(placed_single % (size_t)g.columns);
            int row = (int)(placed_single / (size_t)g.columns);
            placed_single++;
            bounds = (SDL_Rect){area.x + column * (g.tile_w + g.gap),
                                area.y + row * (g.tile_h + g.gap), g.tile_w, g.tile_h};
        }
        char id[UI_ID_MAX];
        snprintf(id, sizeof id, "tile.%s", tiles[i].id);
        ui_widget *tile = ui_tile_create(root, id, tiles[i].name, tiles[i].summary, bounds,
                                         UI_ACTION_OPEN_SERVICE, (int)i);
        if (!tile)
            goto fail;
        tile->align = UI_ALIGN_START;
        if (tiles[i].bundle)
            tile->tone = UI_TONE_BUNDLE;
    }
    *out = root;
    return KIOSK_OK;
fail:
    ui_widget_destroy(root);
    return KIOSK_ERR_NO_MEMORY;
}
