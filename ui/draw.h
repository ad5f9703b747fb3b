/* Drawing primitives shared by the widgets. */
#ifndef KIOSK_UI_DRAW_H
#define KIOSK_UI_DRAW_H

#include <SDL2/SDL.h>

void ui_draw_fill(SDL_Renderer *renderer, SDL_Rect rect, SDL_Color colour);

/* A filled rectangle with rounded corners of radius px (clamped to fit). */
void ui_draw_fill_rounded(SDL_Renderer *renderer, SDL_Rect rect, int radius, SDL_Color colour);

#endif
