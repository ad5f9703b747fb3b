#include "ui/draw.h"

#include <math.h>

#define CORNER_SEGMENTS 8

void ui_draw_fill(SDL_Renderer *renderer, SDL_Rect rect, SDL_Color colour)
{
    SDL_SetRenderDrawColor(renderer, colour.r, colour.g, colour.b, colour.a);
    SDL_RenderFillRect(renderer, &rect);
}

/* A quarter disc centred at (cx, cy), from angle start (radians) on, as a fan. */
static void fill_corner(SDL_Renderer *renderer, float cx, float cy, float radius, float start,
                        SDL_Color colour)
{
    SDL_Vertex vertices[CORNER_SEGMENTS + 2];
    int indices[CORNER_SEGMENTS * 3];
    vertices[0] = (SDL_Vertex){{cx, cy}, colour, {0, 0}};
    for (int i = 0; i <= CORNER_SEGMENTS; i++) {
        float angle = start + (float)M_PI_2 * (float)i / CORNER_SEGMENTS;
        vertices[i + 1] =
            (SDL_Vertex){{cx + radius * cosf(angle), cy + radius * sinf(angle)}, colour, {0, 0}};
    }
    for (int i = 0; i < CORNER_SEGMENTS; i++) {
        indices[i * 3] = 0;
        indices[i * 3 + 1] = i + 1;
        indices[i * 3 + 2] = i + 2;
    }
    SDL_RenderGeometry(renderer, NULL, vertices, CORNER_SEGMENTS + 2, indices, CORNER_SEGMENTS * 3);
}

void ui_draw_fill_rounded(SDL_Renderer *renderer, SDL_Rect rect, int radius, SDL_Color colour)
{
    int limit = (rect.w < rect.h ? rect.w : rect.h) / 2;
    if (radius > limit)
        radius = limit;
    if (radius <= 1) {
        ui_draw_fill(renderer, rect, colour);
        return;
    }
    /* Two overlapping rectangles make a plus; the corners fill the gaps. */
    SDL_SetRenderDrawColor(renderer, colour.r, colour.g, colour.b, colour.a);
    SDL_Rect across = {rect.x, rect.y + radius, rect.w, rect.h - 2 * radius};
    SDL_Rect top = {rect.x + radius, rect.y, rect.w - 2 * radius, radius};
    SDL_Rect bottom = {rect.x + radius, rect.y + rect.h - radius, rect.w - 2 * radius, radius};
    SDL_RenderFillRect(renderer, &across);
    SDL_RenderFillRect(renderer, &top);
    SDL_RenderFillRect(renderer, &bottom);

    float r = (float)radius;
    float left = (float)(rect.x + radius), right = (float)(rect.x + rect.w - radius);
    float upper = (float)(rect.y + radius), lower = (float)(rect.y + rect.h - radius);
    fill_corner(renderer, left, upper, r, (float)M_PI, colour);
    fill_corner(renderer, right, upper, r, (float)(1.5 * M_PI), colour);
    fill_corner(renderer, right, lower, r, 0.0f, colour);
    fill_corner(renderer, left, lower, r, (float)M_PI_2, colour);
}

void ui_draw_stroke(SDL_Renderer *renderer, SDL_FPoint a, SDL_FPoint b, float width,
                    SDL_Color colour)
{
    float dx = b.x - a.x, dy = b.y - a.y;
    float length = sqrtf(dx * dx + dy * dy);
    if (length <= 0.0f)
        return;
    /* Half the width across the stroke and along it, so that two strokes
     * meeting at a point join without a notch. */
    float ux = dx / length * width / 2, uy = dy / length * width / 2;
    SDL_FPoint corners[4] = {{a.x - ux - uy, a.y - uy + ux},
                             {b.x + ux - uy, b.y + uy + ux},
                             {b.x + ux + uy, b.y + uy - ux},
                             {a.x - ux + uy, a.y - uy - ux}};
    SDL_Vertex vertices[4];
    for (int i = 0; i < 4; i++)
        vertices[i] = (SDL_Vertex){corners[i], colour, {0, 0}};
    const int indices[6] = {0, 1, 2, 0, 2, 3};
    SDL_RenderGeometry(renderer, NULL, vertices, 4, indices, 6);
}

bool ui_draw_clip_begin(SDL_Renderer *renderer, SDL_Rect rect, ui_clip *saved)
{
    saved->enabled = SDL_RenderIsClipEnabled(renderer);
    SDL_RenderGetClipRect(renderer, &saved->rect);
    SDL_Rect clip = rect;
    if (saved->enabled && !SDL_IntersectRect(&saved->rect, &rect, &clip))
        return false;
    SDL_RenderSetClipRect(renderer, &clip);
    return true;
}

void ui_draw_clip_end(SDL_Renderer *renderer, const ui_clip *saved)
{
    SDL_RenderSetClipRect(renderer, saved->enabled ? &saved->rect : NULL);
}
