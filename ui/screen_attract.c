/* Attract: what the terminal offers, and an invitation to touch, in all three
 * languages at once (nobody has chosen one yet). The whole screen is one
 * target: an elderly citizen need not find a button. */
#include "ui/icons.h"
#include "ui/layout.h"
#include "ui/screens.h"

#include <stdio.h>
#include <string.h>

#define MARGIN_DP  48
#define OFFERS_MAX 8

kiosk_error ui_attract_build(const ui_frame_model *frame, const char *const *offers,
                             size_t offer_count, ui_widget **out)
{
    /* No frame: nobody has chosen anything yet. The margin spaces the
     * blocks too. */
    ui_screen screen;
    if (!ui_screen_begin_bare(&screen, frame, MARGIN_DP, MARGIN_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    int width = screen.content.w, height = screen.content.h;
    int margin = screen.margin, inner_w = screen.area.w;

    /* The target first, so that the texts drawn over it stay visible; hit
     * testing finds it because nothing else on this screen is tappable but
     * the reading-aloud button in the band. */
    ui_widget *start = ui_backdrop_create(
        root, UI_ID_ATTRACT_START, ui_strings_get(frame->strings, frame->language, "attract.touch"),
        screen.content, UI_ACTION_START);
    if (!start)
        goto fail;

    /* The hall's name, and reading aloud (which can be turned on before
     * anything else) at the band's end: a button as wide as its words and
     * pictogram; below the name where the two do not fit side by side. */
    int band = ui_frame_text_dp(frame, 140);
    const char *reader_text = ui_strings_get(frame->strings, frame->language, "footer.reader");
    int reader_px = ui_theme_chrome_text_px(frame->theme, &frame->metrics, frame->theme->button_dp);
    int reader_w = ui_frame_estimate_width(reader_text, reader_px) +
                   2 * (reader_px * 6 / 5 + reader_px / 3) + ui_dp(&frame->metrics, 48);
    reader_w = reader_w < inner_w ? reader_w : inner_w;
    int reader_h = ui_frame_text_dp(frame, 64);
    int hall_room = inner_w - reader_w - margin;
    bool beside =
        ui_frame_estimate_width(frame->hall_name, ui_frame_text_dp(frame, 40)) <= hall_room;
    int hall_h = band;
    if (!beside)
        band += reader_h + margin / 2;
    ui_widget *bar =
        ui_panel_create(root, UI_ID_TITLE_BAR, (SDL_Rect){0, 0, width, band}, UI_TONE_TITLE_BAR);
    ui_widget *hall =
        ui_heading_create(bar, "attract.hall", frame->hall_name,
                          (SDL_Rect){margin, 0, beside ? hall_room : inner_w, hall_h});
    SDL_Rect reader_box =
        beside ? (SDL_Rect){width - margin - reader_w, (band - reader_h) / 2, reader_w, reader_h}
               : (SDL_Rect){(width - reader_w) / 2, hall_h, reader_w, reader_h};
    ui_widget *reader = ui_button_create(bar, UI_ID_ATTRACT_READER, reader_text, reader_box,
                                         UI_ACTION_ACCESSIBILITY, 0);
    if (!bar || !hall || !reader)
        goto fail;
    hall->tone = UI_TONE_TITLE_BAR;
    hall->text_dp = 40;
    reader->chrome = true;
    reader->tone = frame->reader_on ? UI_TONE_SELECTED : UI_TONE_SECONDARY;
    if (frame->reader_on)
        reader->flags |= UI_FLAG_CHECKED;
    if (!ui_icon_before_text(reader, frame, "record_voice_over", frame->theme->button_dp))
        goto fail;

    /* Clock, card and offers as one block, centred in the space below. */
    int clock_h = ui_frame_text_dp(frame, 100);
    int line_h = ui_frame_text_dp(frame, 110);
    int card_h = LANG_COUNT * line_h + 2 * ui_frame_text_dp(frame, 56);
    int heading_h = ui_frame_text_dp(frame, 64);
    int offers_h = ui_frame_text_dp(frame, 150);
    /* Room at the foot for the terminal's state, when there is any. */
    /* Not in elder mode's large type (only a preview shows attract so: a
     * session's end returns to the standard theme). */
    bool staff = frame->staff_note && frame->staff_note[0] && frame->theme->text_scale <= 1.0f;
    int note_h = staff ? ui_frame_text_dp(frame, 100) : 0;
    /* A short screen cannot hold both: the state wins over the list of
     * services (the home screen lists them anyway). */
    bool offers_shown =
        !staff || band + clock_h + card_h + heading_h + offers_h + note_h + 3 * margin <= height;
    if (!offers_shown)
        heading_h = offers_h = 0;
    int block = clock_h + margin + card_h + margin + heading_h + offers_h;
    screen.y = band + (height - note_h - band - block) / 2;
    if (screen.y < band + margin)
        screen.y = band + margin;
    ui_stack stack = ui_screen_stack(&screen, margin);

    ui_widget *clock =
        ui_label_create(root, UI_ID_CLOCK, frame->clock_text, ui_stack_take(&stack, clock_h));
    if (!clock)
        goto fail;
    clock->text_dp = 36;

    /* "Touch to start" in each language, each in its own font. */
    SDL_Rect box = ui_stack_take(&stack, card_h);
    ui_widget *card = ui_card_create(root, "attract.card", box, UI_TONE_PRIMARY);
    if (!card)
        goto fail;
    int lines_y = box.y + (card_h - LANG_COUNT * line_h) / 2;
    for (int i = 0; i < LANG_COUNT; i++) {
        char id[32];
        snprintf(id, sizeof id, "attract.touch.%s", lang_code((lang)i));
        ui_widget *touch = ui_heading_create(
            root, id, ui_strings_get(frame->strings, (lang)i, "attract.touch"),
            (SDL_Rect){2 * margin, lines_y + i * line_h, width - 4 * margin, line_h});
        if (!touch)
            goto fail;
        touch->text_lang = i;
        touch->tone = UI_TONE_PRIMARY;
        touch->text_dp = i == (int)frame->language ? 60 : 42;
    }

    /* What can be done here, as a short list. */
    if (!offers_shown)
        goto staff_note;
    char list[512];
    size_t used = 0;
    /* A few where the screen is narrow: a list that wraps over many lines is
     * not read. */
    size_t most =
        ui_frame_is_narrow(frame) ? (frame->theme->text_scale > 1.0f ? 2 : 4) : OFFERS_MAX;
    list[0] = '\0';
    /* Whole names only: a name cut in its middle is not UTF-8. */
    for (size_t i = 0; i < offer_count && i < most; i++) {
        size_t length = strlen(offers[i]) + (i ? strlen(" · ") : 0);
        if (used + length >= sizeof list)
            break;
        used +=
            (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? " · " : "", offers[i]);
    }
    stack.gap = 0;
    ui_widget *heading =
        ui_heading_create(root, "attract.offers.title",
                          ui_strings_get(frame->strings, frame->language, "attract.offers"),
                          ui_stack_take(&stack, heading_h));
    ui_widget *offer =
        ui_label_create(root, UI_ID_ATTRACT_OFFERS, list, ui_stack_take(&stack, offers_h));
    if (!heading || !offer)
        goto fail;
    heading->text_dp = 32;
    offer->wrap = true;
    offer->text_dp = 28;
staff_note:
    if (staff) {
        /* What the terminal's state means for a citizen, before they start:
         * plain words and a pictogram, in the alert tone. */
        SDL_Rect line = {margin, height - note_h - margin / 4, inner_w, note_h};
        int icon = ui_frame_line_px(frame, 26);
        ui_widget *strip = ui_panel_create(root, "attract.state.strip", line, UI_TONE_ALERT);
        ui_widget *mark = strip
                              ? ui_icon_create(strip, "attract.state.icon", "warning",
                                               (SDL_Rect){line.x + margin / 4,
                                                          line.y + (note_h - icon) / 2, icon, icon},
                                               UI_TONE_ALERT)
                              : NULL;
        ui_widget *note =
            mark ? ui_label_create(strip, UI_ID_ATTRACT_STATE, frame->staff_note,
                                   (SDL_Rect){line.x + margin / 2 + icon, line.y,
                                              line.w - margin / 2 - icon - margin / 4, note_h})
                 : NULL;
        if (!note)
            goto fail;
        note->tone = UI_TONE_ALERT;
        note->text_dp = 26;
        note->wrap = true;
        note->align = UI_ALIGN_START;
    }
    return ui_screen_end(&screen, true, out);
fail:
    return ui_screen_end(&screen, false, out);
}
