/* The end of a service: what became of it, and the receipt's facts. It
 * says plainly whether the application was accepted by the platform or is
 * kept on the terminal to be sent later; shows the tracking number large
 * enough to copy (in groups of four when it is one long run), the masked ID
 * number, the local time, what the citizen does next, and a QR code of the
 * platform's progress page for a phone; a queue ticket shows its number,
 * window and time instead. It ends with one large "done". The same facts
 * go on the paper receipt. */
#include "firmware/base/amount.h"
#include "ui/icons.h"
#include "ui/layout.h"
#include "ui/qr_view.h"
#include "ui/screens.h"
#include "ui/scroll_view.h"

#define MARGIN_DP 32
#define GAP_DP    20

/* A label line and its value beside or under it. */
static bool add_fact(ui_widget *parent, const ui_frame_model *frame, const char *id,
                     const char *label_key, const char *value, SDL_Rect box, float value_dp)
{
    char label_id[64], value_id[64];
    snprintf(label_id, sizeof label_id, "result.%s.label", id);
    snprintf(value_id, sizeof value_id, "result.%s", id);
    int label_h = ui_frame_line_px(frame, 24);
    ui_widget *label = ui_label_create(parent, label_id, ui_frame_text(frame, label_key),
                                       (SDL_Rect){box.x, box.y, box.w, label_h});
    ui_widget *shown = ui_label_create(parent, value_id, value,
                                       (SDL_Rect){box.x, box.y + label_h, box.w, box.h - label_h});
    if (!label || !shown)
        return false;
    label->align = shown->align = UI_ALIGN_START;
    label->text_dp = 24;
    shown->text_dp = value_dp;
    label->tone = shown->tone = UI_TONE_TILE;
    return true;
}

/* Lines text takes wrapped in width px at size px: a Chinese character is
 * about an em wide, a Latin letter about half; words are not split, so a
 * line of Latin text is counted a little short. */
static int text_lines(const char *text, int size_px, int width_px)
{
    int ems_x2 = 0; /* half-ems */
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c < 0x80)
            ems_x2 += 1;
        else if (*c >= 0xC0)
            ems_x2 += 2;
    }
    int per_line_x2 = size_px > 0 ? 2 * width_px / size_px : 1;
    per_line_x2 = per_line_x2 * 9 / 10; /* room for breaks at words and marks */
    per_line_x2 = per_line_x2 < 2 ? 2 : per_line_x2;
    return (ems_x2 + per_line_x2 - 1) / per_line_x2;
}

kiosk_error ui_result_build(const ui_frame_model *frame, const ui_result_model *result,
                            ui_widget **out)
{
    const ui_metrics *m = &frame->metrics;
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, MARGIN_DP, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    int gap = screen.gap;
    bool queued = result->outcome == UI_RESULT_QUEUED;

    /* The outcome first, in the words a citizen uses. */
    if (!ui_screen_title(
            &screen, UI_ID_RESULT_TITLE,
            ui_frame_text(frame, queued ? "result.queued.title" : "result.accepted.title"), 44))
        goto fail;
    /* "Done" at the bottom; what is between holds the note and the receipt
     * card. With a printer: "print" first (the citizen's usual wish), "done"
     * beside. */
    SDL_Rect buttons = ui_screen_foot(&screen, ui_screen_button_h(&screen, 36));
    const char *done_text = ui_frame_text(frame, "result.done");
    const char *print_text = ui_frame_text(frame, "result.print");
    SDL_Rect print_box = buttons, done_box = buttons;
    if (result->can_print)
        ui_icon_button_row(buttons, gap, ui_icon_button_want_px(frame, print_text, 36, false),
                           ui_icon_button_want_px(frame, done_text, 36, false), &print_box,
                           &done_box);
    ui_widget *done =
        ui_screen_button(&screen, UI_ID_RESULT_DONE, done_text, done_box, UI_ACTION_END_SESSION, 0,
                         result->can_print ? UI_TONE_SECONDARY : UI_TONE_PRIMARY, 36);
    if (!done || !ui_button_set_icon_for(done, "result.done"))
        goto fail;
    ui_widget *print = result->can_print
                           ? ui_screen_button(&screen, UI_ID_RESULT_PRINT, print_text, print_box,
                                              UI_ACTION_NEXT, 0, UI_TONE_PRIMARY, 36)
                           : NULL;
    if (result->can_print && (!print || !ui_button_set_icon_for(print, "result.print")))
        goto fail;
    SDL_Rect middle = ui_screen_rest(&screen);
    int width = middle.w, y = middle.y;

    int note_h = (ui_frame_is_narrow(frame) ? 3 : 2) * ui_frame_line_px(frame, 28);
    int label_h = ui_frame_line_px(frame, 24);
    int service_h = label_h + 2 * ui_frame_line_px(frame, 30);
    int number_h = label_h + ui_frame_line_px(frame, 40);
    int fact_h = label_h + ui_frame_line_px(frame, 30);
    bool ticket = result->queue_number && result->queue_number[0];
    bool has_next = result->next_steps && result->next_steps[0];
    int next_h = 0; /* known once the column's width is */
    int ticket_h = ticket ? 2 * (fact_h + gap / 2) : 0;
    int facts_h = service_h + number_h + 2 * fact_h + 3 * gap / 2 + ticket_h;
    int caption_h = 2 * label_h;
    bool has_qr = result->qr_data && result->qr_data[0];
    /* A code of 30 to 60 mm scans from a phone at arm's length. */
    int min_qr = (int)(30 * m->px_per_mm), max_qr = (int)(60 * m->px_per_mm);

    /* Landscape: the code beside the facts, everything on the glass at once
     * (the facts scroll within the card if they must). Portrait: the code
     * under the facts; when large text on a small panel leaves too little
     * room, the note and the card scroll together above "done". */
    bool beside = screen.content.w > screen.content.h;
    int inner_w = width - 2 * gap;
    int facts_w = beside && has_qr ? inner_w * 3 / 5 : inner_w;
    if (has_next) {
        next_h = label_h + text_lines(result->next_steps, ui_theme_text_px(frame->theme, m, 26),
                                      facts_w - gap) *
                               ui_frame_line_px(frame, 26);
        facts_h += next_h + gap / 2;
    }
    int qr_size = 0, card_h;
    if (beside) {
        card_h = middle.h - note_h - gap;
        int room = inner_w - facts_w - gap;
        qr_size = card_h - 2 * gap - caption_h;
        qr_size = qr_size < room ? qr_size : room;
        qr_size = qr_size < max_qr ? qr_size : max_qr;
    } else {
        int room = middle.h - note_h - gap - 3 * gap - facts_h - caption_h;
        qr_size = room < inner_w ? room : inner_w;
        qr_size = qr_size < max_qr ? qr_size : max_qr;
        qr_size = qr_size > min_qr ? qr_size : min_qr;
        card_h = gap + facts_h + (has_qr ? gap + qr_size + caption_h : 0) + gap;
    }
    ui_widget *page = root;
    int page_w = width;
    if (note_h + gap + card_h > middle.h) {
        page = ui_scroll_view_create(root, "result.page", middle);
        if (!page)
            goto fail;
        page_w -= gap; /* the scroll bar's room; the note may need a line more */
        note_h += ui_frame_line_px(frame, 28);
        if (!(beside && has_qr))
            facts_w -= gap;
    }

    ui_widget *note = ui_label_create(page, "result.note",
                                      ui_frame_text(frame, ticket   ? "result.ticket.body"
                                                           : queued ? "result.queued.body"
                                                                    : "result.accepted.body"),
                                      (SDL_Rect){middle.x, y, page_w, note_h});
    if (!note)
        goto fail;
    note->wrap = true;
    note->text_dp = 28;
    y += note_h + gap;

    SDL_Rect card = {middle.x, y, page_w, card_h};
    if (!ui_card_create(page, "result.card", card, UI_TONE_TILE))
        goto fail;
    int inner_x = card.x + gap;
    SDL_Rect facts_area = {inner_x, card.y + gap, facts_w, beside ? card.h - 2 * gap : facts_h};
    ui_widget *facts = page;
    if (beside && facts_h > facts_area.h) {
        facts = ui_scroll_view_create(page, "result.facts", facts_area);
        if (!facts)
            goto fail;
        facts->tone = UI_TONE_TILE;
        facts_w -= gap;
    }
    int fact_y = facts_area.y;
    if (!add_fact(facts, frame, "service", "result.service", result->service_name,
                  (SDL_Rect){inner_x, fact_y, facts_w, service_h}, 30))
        goto fail;
    ui_widget *service_value = ui_widget_find(root, UI_ID_RESULT_SERVICE);
    if (service_value)
        service_value->wrap = true;
    fact_y += service_h + gap / 2;
    /* A ticket's number is what the citizen listens for; other numbers
     * are copied, in groups of four when they are one long run. */
    char shown_number[96];
    if (amount_group_code(result->tracking_number, shown_number, sizeof shown_number) != KIOSK_OK)
        snprintf(shown_number, sizeof shown_number, "%s", result->tracking_number);
    if (!add_fact(facts, frame, "tracking", ticket ? "result.queue_number" : "result.tracking",
                  ticket ? result->queue_number : shown_number,
                  (SDL_Rect){inner_x, fact_y, facts_w, number_h}, 40))
        goto fail;
    fact_y += number_h + gap / 2;
    if (ticket) {
        if (!add_fact(facts, frame, "window", "result.window", result->window,
                      (SDL_Rect){inner_x, fact_y, facts_w, fact_h}, 30))
            goto fail;
        fact_y += fact_h + gap / 2;
        if (!add_fact(facts, frame, "slot", "result.slot", result->slot_text,
                      (SDL_Rect){inner_x, fact_y, facts_w, fact_h}, 30))
            goto fail;
        fact_y += fact_h + gap / 2;
    }
    if (!add_fact(facts, frame, "id", "result.id_number", result->masked_id,
                  (SDL_Rect){inner_x, fact_y, facts_w, fact_h}, 30))
        goto fail;
    ui_widget *masked_id = ui_widget_find(facts, "result.id");
    if (masked_id)
        masked_id->flags |= UI_FLAG_PERSONAL;
    fact_y += fact_h + gap / 2;
    if (!add_fact(facts, frame, "time", "result.time", result->time_text,
                  (SDL_Rect){inner_x, fact_y, facts_w, fact_h}, 30))
        goto fail;
    fact_y += fact_h + gap / 2;
    if (has_next) {
        if (!add_fact(facts, frame, "next", "result.next", result->next_steps,
                      (SDL_Rect){inner_x, fact_y, facts_w, next_h}, 26))
            goto fail;
        ui_widget *next_value = ui_widget_find(root, UI_ID_RESULT_NEXT);
        if (next_value)
            next_value->wrap = true;
    }
    if (facts != page)
        ui_scroll_view_update_extent(facts);

    if (has_qr) {
        int card_inner_w = card.w - 2 * gap;
        int column_x = beside ? facts_area.x + facts_area.w + gap : inner_x;
        int column_w = beside ? inner_x + card_inner_w - column_x : card_inner_w;
        SDL_Rect qr = {column_x + (column_w - qr_size) / 2,
                       beside ? card.y + gap : facts_area.y + facts_h + gap, qr_size, qr_size};
        if (!ui_qr_view_create(page, UI_ID_RESULT_QR, result->qr_data, qr))
            goto fail;
        int caption_bottom = beside ? card.y + card.h - gap / 2 : qr.y + qr.h + caption_h;
        ui_widget *caption = ui_label_create(
            page, "result.qr.caption", ui_frame_text(frame, "result.qr_caption"),
            (SDL_Rect){column_x, qr.y + qr.h, column_w, caption_bottom - qr.y - qr.h});
        if (!caption)
            goto fail;
        caption->text_dp = 24;
        caption->wrap = true;
        caption->tone = UI_TONE_TILE;
    }
    if (page != root)
        ui_scroll_view_update_extent(page);
    return ui_screen_end(&screen, true, out);
fail:
    return ui_screen_end(&screen, false, out);
}
