#include "ui/theme.h"

#include "ui/metrics.h"
#include "ui/test_probes.h"

#include <math.h>

#define RGB(hex)                                                                                   \
    {                                                                                              \
        (Uint8)((hex) >> 16), (Uint8)((hex) >> 8), (Uint8)(hex), 255                               \
    }

/* Government-service blue on a calm light page; text at 4.5:1 or more. */
#define STANDARD_TONES                                                                             \
    {                                                                                              \
        [UI_TONE_PLAIN] = {.background = RGB(0xEEF2F7),                                            \
                           .text = RGB(0x1B2430),                                                  \
                           .detail = RGB(0x44505E),                                                \
                           .border = RGB(0xEEF2F7),                                                \
                           .pressed = RGB(0xDCE3EC)},                                              \
        [UI_TONE_TITLE_BAR] = {.background = RGB(0x0B4F9C),                                        \
                               .text = RGB(0xFFFFFF),                                              \
                               .detail = RGB(0xE6EEF9),                                            \
                               .border = RGB(0x0B4F9C),                                            \
                               .pressed = RGB(0x083D7A)},                                          \
        [UI_TONE_FOOTER] = {.background = RGB(0xFFFFFF),                                           \
                            .text = RGB(0x1B2430),                                                 \
                            .detail = RGB(0x44505E),                                               \
                            .border = RGB(0xC9D3DF),                                               \
                            .pressed = RGB(0xDCE3EC)},                                             \
        [UI_TONE_TILE] = {.background = RGB(0xFFFFFF),                                             \
                          .text = RGB(0x1B2430),                                                   \
                          .detail = RGB(0x44505E),                                                 \
                          .border = RGB(0xC9D3DF),                                                 \
                          .pressed = RGB(0xD5E3F5)},                                               \
        [UI_TONE_BUNDLE] = {.background = RGB(0xFFF4E5),                                           \
                            .text = RGB(0x5C2E00),                                                 \
                            .detail = RGB(0x6B4A2A),                                               \
                            .border = RGB(0xE8A33D),                                               \
                            .pressed = RGB(0xFBE1BC)},                                             \
        [UI_TONE_PRIMARY] = {.background = RGB(0x0B4F9C),                                          \
                             .text = RGB(0xFFFFFF),                                                \
                             .detail = RGB(0xE6EEF9),                                              \
                             .border = RGB(0x0B4F9C),                                              \
                             .pressed = RGB(0x083D7A)},                                            \
        [UI_TONE_SECONDARY] = {.background = RGB(0xFFFFFF),                                        \
                               .text = RGB(0x0B4F9C),                                              \
                               .detail = RGB(0x44505E),                                            \
                               .border = RGB(0x0B4F9C),                                            \
                               .pressed = RGB(0xD5E3F5)},                                          \
        [UI_TONE_SELECTED] = {.background = RGB(0x0B4F9C),                                         \
                              .text = RGB(0xFFFFFF),                                               \
                              .detail = RGB(0xE6EEF9),                                             \
                              .border = RGB(0x0B4F9C),                                             \
                              .pressed = RGB(0x083D7A)},                                           \
        [UI_TONE_ALERT] = {.background = RGB(0xFFF4E5),                                            \
                           .text = RGB(0x7A2E00),                                                  \
                           .detail = RGB(0x5C3A1A),                                                \
                           .border = RGB(0xE8A33D),                                                \
                           .pressed = RGB(0xFBE1BC)},                                              \
        [UI_TONE_PAPER] = {.background = RGB(0xFFFFFF),                                            \
                           .text = RGB(0x000000),                                                  \
                           .detail = RGB(0x333333),                                                \
                           .border = RGB(0xC9D3DF),                                                \
                           .pressed = RGB(0xFFFFFF)},                                              \
    }

static const ui_theme
    themes[UI_THEME_COUNT] =
        {
            [UI_THEME_STANDARD] =
                {
                    .name = "standard",
                    .page = RGB(0xEEF2F7),
                    .tones = STANDARD_TONES,
                    .accent = RGB(0x1F6FD1),
                    .corner_dp = 12,
                    .border_dp = 2,
                    .title_dp = 30,
                    .heading_dp = 34,
                    .body_dp = 26,
                    .tile_name_dp = 34,
                    .tile_detail_dp = 22,
                    .button_dp = 26,
                    .text_scale = 1.0f,
                    .min_target_dp = 44,
                    .min_contrast = 4.5f,
                    .min_cap_mm = 4.8f, /* ADA 707.7.2: 3/16 inch */
                    .tiles_per_page = 0,
                    .simple_words = false,
                    .timeout_scale = 1.0f,
                    .focus = RGB(0x6A1B9A),      /* purple: no text or border is */
                    .focus_halo = RGB(0xFFFFFF), /* white: 8:1 on the blue bars */
                },
            /* The same calm colours; everything larger, fewer at a time, slower. */
            [UI_THEME_ELDER] =
                {
                    .name = "elder",
                    .page = RGB(0xEEF2F7),
                    .tones = STANDARD_TONES,
                    .accent = RGB(0x1F6FD1),
                    .corner_dp = 16,
                    .border_dp = 3,
                    .title_dp = 30,
                    .heading_dp = 34,
                    .body_dp = 26,
                    .tile_name_dp = 34,
                    .tile_detail_dp = 22,
                    .button_dp = 26,
                    .text_scale = 1.5f,
                    .min_target_dp = 60,
                    .min_contrast = 4.5f,
                    .min_cap_mm = 7.3f, /* EN 301 549 5.1.4: a capital H of 0.7 degrees at 600 mm */
                    .tiles_per_page = 6,
                    .simple_words = true,
                    .timeout_scale = 2.0f,
                    .focus = RGB(0x6A1B9A),      /* purple: no text or border is */
                    .focus_halo = RGB(0xFFFFFF), /* white: 8:1 on the blue bars */
                },
            /* White and yellow on black: every text at 7:1 or more. */
            [UI_THEME_HIGH_CONTRAST] =
                {
                    .name = "high-contrast",
                    .page = RGB(0x000000),
                    .tones =
                        {
                            [UI_TONE_PLAIN] = {RGB(0x000000), RGB(0xFFFFFF), RGB(0xFFE14D),
                                               RGB(0x000000), RGB(0x333333)},
                            [UI_TONE_TITLE_BAR] = {RGB(0x000000), RGB(0xFFE14D), RGB(0xFFFFFF),
                                                   RGB(0xFFE14D), RGB(0x333333)},
                            [UI_TONE_FOOTER] = {RGB(0x000000), RGB(0xFFFFFF), RGB(0xFFE14D),
                                                RGB(0xFFFFFF), RGB(0x333333)},
                            [UI_TONE_TILE] = {RGB(0x000000), RGB(0xFFFFFF), RGB(0xFFE14D),
                                              RGB(0xFFFFFF), RGB(0x333333)},
                            [UI_TONE_BUNDLE] = {RGB(0x000000), RGB(0xFFE14D), RGB(0xFFFFFF),
                                                RGB(0xFFE14D), RGB(0x333333)},
                            [UI_TONE_PRIMARY] = {RGB(0xFFE14D), RGB(0x000000), RGB(0x000000),
                                                 RGB(0xFFE14D), RGB(0xFFF3A8)},
                            [UI_TONE_SECONDARY] = {RGB(0x000000), RGB(0xFFFFFF),
                                                   RGB(0xFFE14D), RGB(0xFFFFFF), RGB(0x333333)},
                            [UI_TONE_SELECTED] =
                                {RGB(0xFFFFFF), RGB(0x000000), RGB(0x000000), RGB(0xFFFFFF),
                                 RGB(0xDDDDDD)},
                            [UI_TONE_ALERT] = {RGB(0x000000), RGB(0xFFE14D),
                                               RGB(0xFFFFFF), RGB(0xFFE14D), RGB(0x333333)},
                            [UI_TONE_PAPER] = {RGB(0xFFFFFF), RGB(0x000000),
                                               RGB(0x333333), RGB(0xFFFFFF), RGB(0xFFFFFF)},
                        },
                    .accent = RGB(0xFFE14D),
                    .corner_dp = 8,
                    .border_dp = 3,
                    .title_dp = 30,
                    .heading_dp = 34,
                    .body_dp = 26,
                    .tile_name_dp = 34,
                    .tile_detail_dp = 24,
                    .button_dp = 26,
                    .text_scale = 1.0f,
                    .min_target_dp = 44,
                    .min_contrast = 7.0f,
                    .min_cap_mm = 4.8f,
                    .tiles_per_page = 0,
                    .simple_words = false,
                    .timeout_scale = 1.0f,
                    .focus = RGB(0x00E5FF),      /* cyan: neither text colour */
                    .focus_halo = RGB(0x000000), /* black: on the yellow and white */
                },
};

const ui_theme *ui_theme_get(ui_theme_id id)
{
    return &themes[(unsigned)id < UI_THEME_COUNT ? id : UI_THEME_STANDARD];
}

const char *ui_theme_name(ui_theme_id id)
{
    return ui_theme_get(id)->name;
}

int ui_theme_text_px(const ui_theme *theme, const ui_metrics *metrics, float dp)
{
    int px = ui_dp(metrics, dp * theme->text_scale);
    int floor_px = (int)ceilf(theme->min_cap_mm * metrics->px_per_mm / UI_CAP_HEIGHT_PER_EM);
    return px > floor_px ? px : floor_px;
}

float ui_theme_chrome_scale(const ui_theme *theme)
{
    return theme->text_scale < UI_CHROME_MAX_SCALE ? theme->text_scale : UI_CHROME_MAX_SCALE;
}

int ui_theme_chrome_text_px(const ui_theme *theme, const ui_metrics *metrics, float dp)
{
    int px = ui_dp(metrics, dp * ui_theme_chrome_scale(theme));
    int floor_px = (int)ceilf(UI_CHROME_MIN_CAP_MM * metrics->px_per_mm / UI_CAP_HEIGHT_PER_EM);
    return px > floor_px ? px : floor_px;
}

static double channel_luminance(Uint8 value)
{
    double c = value / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double relative_luminance(SDL_Color colour)
{
    return 0.2126 * channel_luminance(colour.r) + 0.7152 * channel_luminance(colour.g) +
           0.0722 * channel_luminance(colour.b);
}

double ui_contrast_ratio(SDL_Color a, SDL_Color b)
{
    double la = relative_luminance(a), lb = relative_luminance(b);
    double light = la > lb ? la : lb, dark = la > lb ? lb : la;
    return (light + 0.05) / (dark + 0.05);
}
