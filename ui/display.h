/* The display: one window and renderer, the logical frame the screens draw
 * into, and the transform from that frame to the panel (rotation, scale).
 *
 * Screens always draw in logical pixels: the board profile's width_px x
 * height_px, upright as the citizen sees it. When the panel is mounted rotated,
 * or a desktop window is smaller than the board's screen, frames are drawn into
 * a target texture and copied through the transform; otherwise straight into
 * the window, which costs nothing extra. Main thread only. */
#ifndef KIOSK_UI_DISPLAY_H
#define KIOSK_UI_DISPLAY_H

#include "firmware/base/error.h"

#include <SDL2/SDL.h>
#include <stdbool.h>

typedef struct ui_display_options {
    int width, height; /* logical frame, pixels */
    int rotation;      /* 0, 90, 180, 270: clockwise turn from frame to panel */
    bool headless;     /* offscreen video driver and software renderer */
    const char *title;
} ui_display_options;

typedef struct ui_display {
    SDL_Window *window;
    SDL_Renderer *renderer;
    SDL_Texture *frame; /* the logical frame, or NULL when drawing to the window */
    SDL_Surface *panel; /* headless: the pixels the renderer draws into */
    void *panel_pixels; /* headless: their mapping */
    size_t panel_bytes;
    int width, height; /* logical frame */
    int rotation;
    int window_width, window_height;
    float scale;        /* logical pixel -> window pixel */
    bool sleeps_in_sdl; /* SDL_WaitEventTimeout really sleeps with this driver */
    bool keeps_frame;   /* the last frame survives a present: part may be redrawn */
} ui_display;

/* Starts SDL video and opens the window. *out is owned by the caller
 * (ui_display_close). Errors: DISPLAY, with diag saying what to do. */
kiosk_error ui_display_open(const ui_display_options *options, ui_display **out,
                            kiosk_diag *diag) KIOSK_MUST_CHECK;
void ui_display_close(ui_display *display);

/* Directs drawing at the logical frame. Call before drawing each frame. */
void ui_display_begin_frame(ui_display *display);

/* Shows the frame drawn since ui_display_begin_frame. */
void ui_display_present(ui_display *display);

/* Maps a window pixel to the logical frame; false when it falls outside. */
/* Whether SDL's video driver is the board's: KMSDRM, the screen with no
 * window system. SDL names it "KMSDRM"; the SDL_VIDEODRIVER variable takes
 * any case. */
bool ui_display_driver_is_board(const char *driver);

bool ui_display_map_point(const ui_display *display, float window_x, float window_y, int *frame_x,
                          int *frame_y);

/* The window point where frame pixel (x, y) is shown: the inverse of
 * ui_display_map_point (the test control channel taps through it). */
void ui_display_unmap_point(const ui_display *display, int frame_x, int frame_y, float *window_x,
                            float *window_y);

/* Copies the logical frame drawn so far (before ui_display_present) into a new
 * ARGB8888 surface owned by the caller. Errors: DISPLAY, NO_MEMORY. */
kiosk_error ui_display_capture(ui_display *display, SDL_Surface **out) KIOSK_MUST_CHECK;

#endif
