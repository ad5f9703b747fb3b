/* Colours and type sizes. One theme for now; elder mode and high contrast
 * will be further instances of the same struct. */
#ifndef KIOSK_UI_THEME_H
#define KIOSK_UI_THEME_H

#include <SDL2/SDL.h>

typedef enum ui_tone {
    UI_TONE_PLAIN,     /* page text on the page background */
    UI_TONE_TITLE_BAR, /* the hall's band at the top */
    UI_TONE_FOOTER,    /* the band of help and settings at the bottom */
    UI_TONE_TILE,      /* a service tile */
    UI_TONE_BUNDLE,    /* an "一件事" bundle tile */
    UI_TONE_PRIMARY,   /* the main action of a screen */
    UI_TONE_SECONDARY, /* other actions */
    UI_TONE_SELECTED,  /* the current choice in a set (the language) */
    UI_TONE_COUNT,
} ui_tone;

typedef struct ui_tone_colours {
    SDL_Color background, text, detail, border, pressed;
} ui_tone_colours;

typedef struct ui_theme {
    const char *name;
    SDL_Color page;
    ui_tone_colours tones[UI_TONE_COUNT];
    SDL_Color accent; /* the stripe on service tiles */
    float corner_dp;
    /* type sizes, dp */
    float title_dp, heading_dp, body_dp, tile_name_dp, tile_detail_dp, button_dp;
} ui_theme;

extern const ui_theme ui_theme_standard;

#endif
