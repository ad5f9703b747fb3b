#include "ui/theme.h"

#define RGB(hex)                                                                                   \
    {                                                                                              \
        (Uint8)((hex) >> 16), (Uint8)((hex) >> 8), (Uint8)(hex), 255                               \
    }

/* Government-service blue on a calm light page; every text colour has at
 * least 4.5:1 contrast against its background. */
const ui_theme ui_theme_standard = {
    .name = "standard",
    .page = RGB(0xEEF2F7),
    .tones =
        {
            [UI_TONE_PLAIN] = {.background = RGB(0xEEF2F7),
                               .text = RGB(0x1B2430),
                               .detail = RGB(0x4A5563),
                               .border = RGB(0xEEF2F7),
                               .pressed = RGB(0xDCE3EC)},
            [UI_TONE_TITLE_BAR] = {.background = RGB(0x0B4F9C),
                                   .text = RGB(0xFFFFFF),
                                   .detail = RGB(0xDCE8F7),
                                   .border = RGB(0x0B4F9C),
                                   .pressed = RGB(0x083D7A)},
            [UI_TONE_FOOTER] = {.background = RGB(0xFFFFFF),
                                .text = RGB(0x1B2430),
                                .detail = RGB(0x4A5563),
                                .border = RGB(0xC9D3DF),
                                .pressed = RGB(0xDCE3EC)},
            [UI_TONE_TILE] = {.background = RGB(0xFFFFFF),
                              .text = RGB(0x1B2430),
                              .detail = RGB(0x4A5563),
                              .border = RGB(0xC9D3DF),
                              .pressed = RGB(0xD5E3F5)},
            [UI_TONE_BUNDLE] = {.background = RGB(0xFFF4E5),
                                .text = RGB(0x5C2E00),
                                .detail = RGB(0x6B4A2A),
                                .border = RGB(0xE8A33D),
                                .pressed = RGB(0xFBE1BC)},
            [UI_TONE_PRIMARY] = {.background = RGB(0x0B4F9C),
                                 .text = RGB(0xFFFFFF),
                                 .detail = RGB(0xDCE8F7),
                                 .border = RGB(0x0B4F9C),
                                 .pressed = RGB(0x083D7A)},
            [UI_TONE_SECONDARY] = {.background = RGB(0xFFFFFF),
                                   .text = RGB(0x0B4F9C),
                                   .detail = RGB(0x4A5563),
                                   .border = RGB(0x0B4F9C),
                                   .pressed = RGB(0xD5E3F5)},
            [UI_TONE_SELECTED] = {.background = RGB(0x0B4F9C),
                                  .text = RGB(0xFFFFFF),
                                  .detail = RGB(0xDCE8F7),
                                  .border = RGB(0x0B4F9C),
                                  .pressed = RGB(0x083D7A)},
        },
    .accent = RGB(0x1F6FD1),
    .corner_dp = 12,
    .title_dp = 30,
    .heading_dp = 34,
    .body_dp = 26,
    .tile_name_dp = 34,
    .tile_detail_dp = 22,
    .button_dp = 26,
};
