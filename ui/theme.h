/* Themes: colours, type sizes and the pace of a session.
 *
 * Three themes, one struct: standard; elder mode (长辈模式: text 1.5x larger,
 * targets of 60 dp and more, fewer tiles to a page, simpler words, slower
 * time-outs); high contrast (text at 7:1 or more). A citizen picks one on the
 * home screen; every session ends back in the hall's default. */
#ifndef KIOSK_UI_THEME_H
#define KIOSK_UI_THEME_H

#include <SDL2/SDL.h>
#include <stdbool.h>

typedef enum ui_tone {
    UI_TONE_PLAIN,     /* page text on the page background */
    UI_TONE_TITLE_BAR, /* the hall's band at the top */
    UI_TONE_FOOTER,    /* the band of help and settings at the bottom */
    UI_TONE_TILE,      /* a service tile */
    UI_TONE_BUNDLE,    /* an "一件事" bundle tile */
    UI_TONE_PRIMARY,   /* the main action of a screen */
    UI_TONE_SECONDARY, /* other actions */
    UI_TONE_SELECTED,  /* the current choice in a set (the language) */
    UI_TONE_ALERT,     /* what needs attention now (the time-out warning) */
    UI_TONE_PAPER,     /* a receipt's preview: black on white paper in every theme */
    UI_TONE_COUNT,
} ui_tone;

typedef struct ui_tone_colours {
    SDL_Color background, text, detail, border, pressed;
} ui_tone_colours;

typedef enum ui_theme_id {
    UI_THEME_STANDARD,
    UI_THEME_ELDER,
    UI_THEME_HIGH_CONTRAST,
    UI_THEME_COUNT,
} ui_theme_id;

typedef struct ui_theme {
    const char *name;
    SDL_Color page;
    ui_tone_colours tones[UI_TONE_COUNT];
    SDL_Color accent; /* the stripe on service tiles */
    float corner_dp, border_dp;
    /* type sizes, dp, before text_scale */
    float title_dp, heading_dp, body_dp, tile_name_dp, tile_detail_dp, button_dp;
    float text_scale;    /* every text size is multiplied by this */
    float min_target_dp; /* no touch target smaller, either way */
    float min_contrast;  /* every text against its background, at least */
    float min_cap_mm;    /* capital height of any text on the glass, at least */
    int tiles_per_page;  /* 0: all on one page */
    bool simple_words;   /* prefer the ".simple" variant of a string */
    float timeout_scale; /* idle time-out and warning, times the hall's */
    /* The keypad's focus ring and its edge (ui_focus_ring_draw): the two at
     * 3:1 or more to each other, and one of them at 3:1 or more to any
     * background of the theme. */
    SDL_Color focus, focus_halo;
} ui_theme;

const ui_theme *ui_theme_get(ui_theme_id id);
const char *ui_theme_name(ui_theme_id id);

/* The capital height of the kiosk's fonts as a share of the em (Noto Sans
 * CJK: 733/1000), for turning a capital height in mm into a font size. */
#define UI_CAP_HEIGHT_PER_EM 0.733f

/* Text size in pixels for a size in dp under theme (metrics' density), never
 * smaller than the theme's minimum capital height on this glass. */
struct ui_metrics;
int ui_theme_text_px(const ui_theme *theme, const struct ui_metrics *metrics, float dp);

/* The same for the frame's controls (title bar, footer): they grow less in
 * elder mode, so that the page keeps its room, and keep the legal minimum
 * that applies to all text (UI_CHROME_MIN_CAP_MM). */
#define UI_CHROME_MIN_CAP_MM 4.8f
#define UI_CHROME_MAX_SCALE  1.2f
int ui_theme_chrome_text_px(const ui_theme *theme, const struct ui_metrics *metrics, float dp);
float ui_theme_chrome_scale(const ui_theme *theme);

#endif
