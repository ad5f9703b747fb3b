/* Out of service (暂停服务): the terminal cannot serve citizens now — its
 * supervisor found it failing again and again, or staff closed it — and
 * says so plainly, with where to go instead. Nothing here starts a service
 * or reads a card; help and the languages stay, as on every screen. */
#include "firmware/app/navigation.h"

#include "ui/layout.h"

#define MARGIN_DP 48
#define GAP_DP    32
#define TITLE_DP  48
#define TEXT_DP   32
/* Each text's most lines before it is cut: both fit on the smallest board. */
#define LINES_MOST 4

static kiosk_error build_paused(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    (void)app;
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, MARGIN_DP, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    int gap = screen.gap;
    const char *why = ui_frame_text(frame, "paused.body");
    const char *next = ui_frame_text(frame, "paused.next");
    /* One card in the middle: the title, why, and where to go. */
    int inner = screen.area.w - 2 * gap;
    int title_h = ui_frame_line_px(frame, TITLE_DP);
    int why_h = ui_lines_h(frame, why, TEXT_DP, inner, LINES_MOST);
    int next_h = ui_lines_h(frame, next, TEXT_DP, inner, LINES_MOST);
    int card_h = title_h + why_h + next_h + 4 * gap;
    ui_screen_centre(&screen, card_h);
    SDL_Rect card = ui_screen_take(&screen, card_h);
    ui_stack text = {card.x + gap, card.y + gap, inner, gap};
    bool ok = ui_card_create(screen.root, "paused.card", card, UI_TONE_PLAIN) &&
              ui_wrapped_text_create(screen.root, &ui_heading_class, "paused.title",
                                     ui_frame_text(frame, "paused.title"),
                                     ui_stack_take(&text, title_h), TITLE_DP, UI_TONE_PLAIN) &&
              ui_wrapped_text_create(screen.root, &ui_label_class, "paused.body", why,
                                     ui_stack_take(&text, why_h), TEXT_DP, UI_TONE_PLAIN) &&
              ui_wrapped_text_create(screen.root, &ui_label_class, "paused.next", next,
                                     ui_stack_take(&text, next_h), TEXT_DP, UI_TONE_PLAIN);
    return ui_screen_end(&screen, ok, out);
}

const app_controller app_paused_controller = {
    .name = "paused", .build = build_paused, .ignores_cards = true};
