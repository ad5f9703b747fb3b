/* The screen test's pattern and the touch test's targets. See
 * screen_tech_pattern.h. */
#include "ui/screen_tech_pattern.h"

#include "ui/draw.h"

#include <limits.h>
#include <stdlib.h>

static void fill(SDL_Renderer *renderer, SDL_Rect box, Uint8 r, Uint8 g, Uint8 b)
{
    SDL_SetRenderDrawColor(renderer, r, g, b, 255);
    SDL_RenderFillRect(renderer, &box);
}

static void draw_pattern(const ui_widget *widget, ui_context *context)
{
    SDL_Renderer *renderer = context->renderer;
    SDL_Rect all = widget->bounds;
    int third = all.h / 3;
    static const Uint8 bars[8][3] = {{255, 255, 255}, {255, 255, 0}, {0, 255, 255}, {0, 255, 0},
                                     {255, 0, 255},   {255, 0, 0},   {0, 0, 255},   {0, 0, 0}};
    for (int i = 0; i < 8; i++) {
        int x0 = all.x + all.w * i / 8, x1 = all.x + all.w * (i + 1) / 8;
        fill(renderer, (SDL_Rect){x0, all.y, x1 - x0, third}, bars[i][0], bars[i][1], bars[i][2]);
    }
    for (int i = 0; i < 32; i++) {
        int x0 = all.x + all.w * i / 32, x1 = all.x + all.w * (i + 1) / 32;
        Uint8 grey = (Uint8)(i * 255 / 31);
        fill(renderer, (SDL_Rect){x0, all.y + third, x1 - x0, third}, grey, grey, grey);
    }
    SDL_Rect grid = {all.x, all.y + 2 * third, all.w, all.h - 2 * third};
    fill(renderer, grid, 0, 0, 0);
    SDL_SetRenderDrawColor(renderer, 255, 255, 255, 255);
    for (int x = grid.x; x < grid.x + grid.w; x += 16)
        SDL_RenderDrawLine(renderer, x, grid.y, x, grid.y + grid.h - 1);
    for (int y = grid.y; y < grid.y + grid.h; y += 16)
        SDL_RenderDrawLine(renderer, grid.x, y, grid.x + grid.w - 1, y);
    SDL_RenderDrawRect(renderer, &all);
}

static const ui_widget_class pattern_class = {
    .name = "test-pattern", .role = UI_ROLE_GROUP, .focus = UI_FOCUS_NEVER, .draw = draw_pattern};

ui_widget *ui_test_pattern_create(ui_widget *parent, const char *id, SDL_Rect bounds)
{
    ui_widget *widget = ui_widget_create(parent, &pattern_class, id);
    if (widget)
        widget->bounds = bounds;
    return widget;
}

/* ---- touch targets ------------------------------------------------------ */

typedef struct pad_state {
    bool touched[UI_TOUCH_TARGETS];
    SDL_Point at[UI_TOUCH_TARGETS];
    SDL_Point down;
} pad_state;

/* Targets sit an eighth of the pad in from its corners, where a panel's
 * edge distorts a resistive or badly fitted touch screen the most. */
SDL_Point ui_touch_pad_target(const ui_widget *pad, int i)
{
    SDL_Rect b = pad->bounds;
    int left = b.x + b.w / 8, right = b.x + b.w - b.w / 8;
    int top = b.y + b.h / 8, bottom = b.y + b.h - b.h / 8;
    switch (i) {
    case 0:
        return (SDL_Point){left, top};
    case 1:
        return (SDL_Point){right, top};
    case 2:
        return (SDL_Point){left, bottom};
    case 3:
        return (SDL_Point){right, bottom};
    default:
        return (SDL_Point){b.x + b.w / 2, b.y + b.h / 2};
    }
}

bool ui_touch_pad_touched(const ui_widget *pad, int i, SDL_Point *at)
{
    const pad_state *state = pad->data;
    if (!state || i < 0 || i >= UI_TOUCH_TARGETS || !state->touched[i])
        return false;
    if (at)
        *at = state->at[i];
    return true;
}

void ui_touch_pad_set(ui_widget *pad, int i, SDL_Point at)
{
    pad_state *state = pad->data;
    if (state && i >= 0 && i < UI_TOUCH_TARGETS) {
        state->touched[i] = true;
        state->at[i] = at;
    }
}

static int radius_of(const ui_widget *pad)
{
    int r = (pad->bounds.w < pad->bounds.h ? pad->bounds.w : pad->bounds.h) / 16;
    return r < 12 ? 12 : r;
}

static void draw_pad(const ui_widget *widget, ui_context *context)
{
    SDL_Renderer *renderer = context->renderer;
    const pad_state *state = widget->data;
    fill(renderer, widget->bounds, 0, 0, 0);
    int r = radius_of(widget);
    for (int i = 0; i < UI_TOUCH_TARGETS; i++) {
        SDL_Point c = ui_touch_pad_target(widget, i);
        bool done = state && state->touched[i];
        if (done)
            fill(renderer, (SDL_Rect){c.x - r, c.y - r, 2 * r + 1, 2 * r + 1}, 0, 160, 60);
        SDL_SetRenderDrawColor(renderer, 255, 255, 255, 255);
        SDL_RenderDrawLine(renderer, c.x - r, c.y, c.x + r, c.y);
        SDL_RenderDrawLine(renderer, c.x, c.y - r, c.x, c.y + r);
        SDL_Rect ring = {c.x - r, c.y - r, 2 * r + 1, 2 * r + 1};
        SDL_RenderDrawRect(renderer, &ring);
    }
}

/* The target a touch at p was meant for: the nearest not yet touched. */
static int meant_for(const ui_widget *pad, SDL_Point p)
{
    const pad_state *state = pad->data;
    int best = -1;
    long best_d = LONG_MAX;
    for (int i = 0; i < UI_TOUCH_TARGETS; i++) {
        if (state->touched[i])
            continue;
        SDL_Point c = ui_touch_pad_target(pad, i);
        long d = (long)(c.x - p.x) * (c.x - p.x) + (long)(c.y - p.y) * (c.y - p.y);
        if (d < best_d)
            best_d = d, best = i;
    }
    return best;
}

static SDL_Rect pad_follow(ui_widget *widget, ui_follow phase, int x, int y)
{
    pad_state *state = widget->data;
    if (!state || phase == UI_FOLLOW_MOVE)
        return (SDL_Rect){0, 0, 0, 0};
    if (phase == UI_FOLLOW_DOWN) {
        state->down = (SDL_Point){x, y};
        return (SDL_Rect){0, 0, 0, 0};
    }
    /* Where the finger went down is where it was aimed; the lift may slide. */
    int i = meant_for(widget, state->down);
    widget->action_arg = i;
    if (i >= 0) {
        state->touched[i] = true;
        state->at[i] = state->down;
    }
    return widget->bounds;
}

static const ui_widget_class pad_class = {.name = "touch-pad",
                                          .role = UI_ROLE_BUTTON,
                                          .focus = UI_FOCUS_NEVER,
                                          .draw = draw_pad,
                                          .destroy_data = ui_widget_free_data,
                                          .follow = pad_follow};

ui_widget *ui_touch_pad_create(ui_widget *parent, const char *id, SDL_Rect bounds, ui_action action)
{
    ui_widget *widget = ui_widget_create(parent, &pad_class, id);
    if (!widget)
        return NULL;
    widget->data = calloc(1, sizeof(pad_state));
    if (!widget->data) {
        ui_widget_destroy(widget);
        return NULL;
    }
    widget->bounds = bounds;
    widget->flags |= UI_FLAG_TAPPABLE;
    widget->action = action;
    widget->action_arg = -1;
    return widget;
}
