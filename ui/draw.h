/* Drawing primitives shared by the widgets. */
#ifndef KIOSK_UI_DRAW_H
#define KIOSK_UI_DRAW_H

#include <SDL2/SDL.h>
#include <stdbool.h>

void ui_draw_fill(SDL_Renderer *renderer, SDL_Rect rect, SDL_Color colour);

/* A filled rectangle with rounded corners of radius px (clamped to fit). */
void ui_draw_fill_rounded(SDL_Renderer *renderer, SDL_Rect rect, int radius, SDL_Color colour);

/* A straight stroke from a to b, width px across, with square ends. */
void ui_draw_stroke(SDL_Renderer *renderer, SDL_FPoint a, SDL_FPoint b, float width,
                    SDL_Color colour);

/* Narrows drawing to rect (within any clip already set) until
 * ui_draw_clip_end with the same saved state. False when nothing of rect is
 * left to draw in: then draw nothing, and do not call end. */
typedef struct ui_clip {
    bool enabled;
    SDL_Rect rect;
} ui_clip;
bool ui_draw_clip_begin(SDL_Renderer *renderer, SDL_Rect rect, ui_clip *saved);
void ui_draw_clip_end(SDL_Renderer *renderer, const ui_clip *saved);

#endif
