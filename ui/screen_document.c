/* Certificates: which one, its pages before it prints, and how it went.
 * See ui_document_list_build, ui_document_preview_build and
 * ui_document_status_build. */
#include "ui/layout.h"
#include "ui/pdf_view.h"
#include "ui/screens.h"

#include <stdio.h>

#define GAP_DP     20
#define MARGIN_DP  32
#define INTRO_DP   28
#define ROW_DP     32
#define DETAIL_DP  24
#define TITLE_DP   32
#define LINE_DP    24
#define BUTTON_DP  30
#define PROBLEM_DP 26

kiosk_error ui_document_list_build(const ui_frame_model *frame, const ui_step_model *step,
                                   const ui_document_list_model *model, ui_widget **out)
{
    ui_screen screen;
    if (!ui_step_begin(&screen, frame, step, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    bool ok = true;
    int intro_h = ui_lines_h(frame, model->intro, INTRO_DP, screen.area.w, 3);
    ok = ok && ui_wrapped_text_create(screen.root, &ui_label_class, "document.intro", model->intro,
                                      ui_screen_take(&screen, intro_h), INTRO_DP, UI_TONE_PLAIN);
    screen.y += screen.gap;
    /* Each row is a tile: the title large, the enterprise or issuer under
     * it, the whole of it one target. */
    int row_h = ui_screen_large_button_h(&screen, ROW_DP) + 2 * ui_frame_line_px(frame, DETAIL_DP) +
                screen.gap;
    for (size_t i = 0; ok && i < model->count && i < UI_DOCUMENT_ROWS_MAX; i++) {
        char id[32];
        snprintf(id, sizeof id, "document.row.%zu", i);
        SDL_Rect box = ui_screen_take(&screen, row_h);
        screen.y += screen.gap;
        ok = ui_tile_create(screen.root, id, model->rows[i].title,
                            model->rows[i].detail ? model->rows[i].detail : "", box,
                            UI_ACTION_CHOOSE, (int)i) != NULL;
    }
    return ui_screen_end(&screen, ok, out);
}

kiosk_error ui_document_preview_build(const ui_frame_model *frame, const ui_step_model *step,
                                      const ui_document_preview_model *model, ui_widget **out)
{
    ui_screen screen;
    if (!ui_step_begin(&screen, frame, step, GAP_DP / 2))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    bool ok = true;
    int gap = screen.gap;
    int title_h = ui_frame_line_px(frame, TITLE_DP);
    ui_widget *title =
        ui_heading_create(root, "document.title", model->title, ui_screen_take(&screen, title_h));
    ok = ok && title;
    if (title)
        title->text_dp = TITLE_DP;
    /* From the foot up: the printer's problem, the code, the page buttons. */
    if (model->printer_problem) {
        int problem_h = ui_lines_h(frame, model->printer_problem, PROBLEM_DP, screen.area.w, 4);
        ok = ok && ui_wrapped_text_create(
                       root, &ui_label_class, "document.printer", model->printer_problem,
                       ui_screen_foot(&screen, problem_h), PROBLEM_DP, UI_TONE_ALERT);
    }
    int line_h = ui_frame_line_px(frame, LINE_DP);
    ui_widget *code =
        ui_note_create(root, "document.code", model->code_text ? model->code_text : "",
                       ui_screen_foot(&screen, line_h));
    ok = ok && code;
    if (code)
        code->text_dp = LINE_DP;
    if (model->page_count > 1) {
        SDL_Rect row = ui_screen_foot(&screen, ui_screen_button_h(&screen, BUTTON_DP));
        SDL_Rect left = ui_column(row, 3, gap, 0), middle = ui_column(row, 3, gap, 1),
                 right = ui_column_rest(row, 3, gap);
        ui_widget *previous = ui_screen_button(&screen, "document.previous", model->previous, left,
                                               UI_ACTION_PAGE, -1, UI_TONE_SECONDARY, BUTTON_DP);
        ui_widget *where = ui_label_create(root, "document.page_of", model->page_text, middle);
        ui_widget *following =
            ui_screen_button(&screen, "document.next_page", model->following, right, UI_ACTION_PAGE,
                             1, UI_TONE_SECONDARY, BUTTON_DP);
        ok = ok && previous && where && following;
        if (where) {
            where->align = UI_ALIGN_CENTER;
            where->text_dp = BUTTON_DP;
        }
        /* At either end the way on that leads nowhere is not there. */
        if (previous && model->page == 0)
            previous->flags = (previous->flags & ~UI_FLAG_TAPPABLE) | UI_FLAG_HIDDEN;
        if (following && model->page + 1 >= model->page_count)
            following->flags = (following->flags & ~UI_FLAG_TAPPABLE) | UI_FLAG_HIDDEN;
    }
    SDL_Rect room = ui_screen_rest(&screen);
    room.y += gap / 2;
    room.h -= gap / 2;
    if (model->pdf) {
        ok = ok && ui_pdf_view_create(root, "document.page", model->pdf, model->page, room,
                                      model->page_text) != NULL;
    } else {
        ui_widget *card = ui_card_create(root, "document.no_preview", room, UI_TONE_TILE);
        int text_h = ui_lines_h(frame, model->unavailable, INTRO_DP, room.w - 2 * gap, 6);
        SDL_Rect box = {room.x + gap, room.y + (room.h - text_h) / 2, room.w - 2 * gap, text_h};
        ok = ok && card &&
             ui_wrapped_text_create(root, &ui_label_class, "document.unavailable",
                                    model->unavailable, box, INTRO_DP, UI_TONE_TILE);
    }
    return ui_screen_end(&screen, ok, out);
}

kiosk_error ui_document_status_build(const ui_frame_model *frame,
                                     const ui_document_status_model *model, ui_widget **out)
{
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, MARGIN_DP, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    int gap = screen.gap, width = screen.area.w, inner = width - 2 * gap;
    int title_h = ui_frame_line_px(frame, 44);
    int body_h = ui_lines_h(frame, model->body, 34, inner, 6);
    ui_tone tone = model->problem ? UI_TONE_ALERT : UI_TONE_TILE;
    int button_h = ui_screen_large_button_h(&screen, 34);
    bool ok = true;
    if (model->primary || model->secondary) {
        SDL_Rect row = ui_screen_foot(&screen, button_h);
        int columns = model->primary && model->secondary ? 2 : 1;
        if (model->secondary)
            ok = ui_screen_button(&screen, "document.secondary", model->secondary,
                                  ui_column(row, columns, gap, 0), model->secondary_action, 0,
                                  UI_TONE_SECONDARY, 34) != NULL;
        if (model->primary)
            ok = ok && ui_screen_button(&screen, "document.primary", model->primary,
                                        ui_column_rest(row, columns, gap), model->primary_action, 0,
                                        UI_TONE_PRIMARY, 34) != NULL;
    }
    int card_h = gap + title_h + gap + body_h + gap;
    ui_screen_centre(&screen, card_h);
    SDL_Rect card_box = ui_screen_take(&screen, card_h);
    ui_widget *card = ui_card_create(root, "document.card", card_box, tone);
    ui_widget *title =
        ui_heading_create(root, "document.status", model->title,
                          (SDL_Rect){card_box.x + gap, card_box.y + gap, inner, title_h});
    ui_widget *body = ui_wrapped_text_create(
        root, &ui_label_class, "document.body", model->body,
        (SDL_Rect){card_box.x + gap, card_box.y + 2 * gap + title_h, inner, body_h}, 34, tone);
    ok = ok && card && title && body;
    if (title) {
        title->tone = tone;
        title->text_dp = 44;
    }
    return ui_screen_end(&screen, ok, out);
}
