/* Certificates: which one, its pages before it prints, and how it went.
 * See ui_document_list_build, ui_document_preview_build and
 * ui_document_status_build. */
#include "ui/icons.h"
#include "ui/layout.h"
#include "ui/pdf_view.h"
#include "ui/screens.h"
#include "ui/scroll_view.h"

#include <stdio.h>

#define GAP_DP       20
#define MARGIN_DP    32
#define INTRO_DP     28
#define ROW_DP       32
#define DETAIL_DP    24
#define TITLE_DP     32
#define LINE_DP      24
#define BUTTON_DP    30
#define PROBLEM_DP   26
#define EASY_PAD_DP  20
#define TIGHT_PAD_DP 10

/* A row's height: the tile's name (as the tile sets it, allowing for a
 * line's leading) and two lines of its detail, padded. */
static int row_height(const void *user, size_t index, int wide, float pad_dp)
{
    (void)index;
    (void)wide;
    const ui_frame_model *frame = user;
    const ui_metrics *m = &frame->metrics;
    int name = ui_theme_text_px(frame->theme, m, frame->theme->tile_name_dp);
    int detail = ui_theme_text_px(frame->theme, m, frame->theme->tile_detail_dp);
    int least = ui_dp(m, frame->theme->min_target_dp + 8);
    int h = 2 * ui_dp(m, pad_dp) + name * 14 / 10 + ui_dp(m, 10) + 2 * detail * 14 / 10;
    return h > least ? h : least;
}

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
     * it, the whole of it one target. Two abreast where the glass is wide;
     * roomy when all fit so, tighter, else scrolling. */
    size_t count = model->count < UI_DOCUMENT_ROWS_MAX ? model->count : UI_DOCUMENT_ROWS_MAX;
    ui_fit_list list;
    ok = ok && ui_fit_list_begin(&list, screen.root, "document.rows", ui_screen_rest(&screen),
                                 ui_frame_columns(frame, screen.area.w, 440), screen.gap, count,
                                 EASY_PAD_DP, TIGHT_PAD_DP, row_height, frame);
    for (size_t i = 0; ok && i < count; i++) {
        char id[32];
        snprintf(id, sizeof id, "document.row.%zu", i);
        ok = ui_tile_create(list.parent, id, model->rows[i].title,
                            model->rows[i].detail ? model->rows[i].detail : "",
                            ui_fit_list_box(&list, i), UI_ACTION_CHOOSE, (int)i) != NULL;
    }
    if (ok)
        ui_fit_list_end(&list, NULL);
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
    /* What goes round the page, from the top and the foot: the title; the
     * printer's problem, the code, the page buttons. Where that leaves the
     * page too little room (a small glass in elder mode), the code goes
     * first (it is printed on the page), then the title (the step names
     * the service): the page and what stops printing stay. */
    const char *code_text = model->code_text ? model->code_text : "";
    int title_h = ui_frame_line_px(frame, TITLE_DP);
    int problem_h = model->printer_problem
                        ? ui_lines_h(frame, model->printer_problem, PROBLEM_DP, screen.area.w, 4)
                        : 0;
    int code_h = ui_lines_h(frame, code_text, LINE_DP, screen.area.w, 2);
    int button_h = ui_screen_button_h(&screen, BUTTON_DP);
    SDL_Rect probe = ui_column((SDL_Rect){0, 0, screen.area.w, 1}, 3, gap, 1);
    bool narrow = ui_frame_is_narrow(frame);
    int page_h = ui_lines_h(frame, model->page_text, LINE_DP, narrow ? screen.area.w : probe.w,
                            narrow ? 1 : 2);
    int pager_h = model->page_count < 2 ? 0
                  : narrow              ? page_h + gap + button_h
                                        : (button_h > page_h ? button_h : page_h);
    int least_room = (screen.bottom - screen.y) * 2 / 5;
    int room_h = screen.bottom - screen.y - title_h - problem_h - code_h - pager_h - 4 * gap;
    if (room_h < least_room) {
        room_h += code_h + gap;
        code_h = 0;
    }
    if (room_h < least_room) {
        room_h += title_h;
        title_h = 0;
    }
    /* No room for a page at all (a printer's problem in elder mode on the
     * smallest glass): the problem is what matters; the page and its
     * buttons come back once the printer can print. */
    bool pane = room_h >= 3 * ui_frame_line_px(frame, LINE_DP) + 2 * gap;
    if (title_h) {
        ui_widget *title = ui_heading_create(root, "document.title", model->title,
                                             ui_screen_take(&screen, title_h));
        ok = ok && title;
        if (title)
            title->text_dp = TITLE_DP;
    }
    if (problem_h)
        ok = ok && ui_wrapped_text_create(
                       root, &ui_label_class, "document.printer", model->printer_problem,
                       ui_screen_foot(&screen, problem_h), PROBLEM_DP, UI_TONE_ALERT);
    if (code_h)
        ok = ok && ui_wrapped_text_create(root, &ui_note_class, "document.code", code_text,
                                          ui_screen_foot(&screen, code_h), LINE_DP, UI_TONE_PLAIN);
    if (pane && model->page_count > 1) {
        /* 上一页 | which page | 下一页, the words wrapping in the middle;
         * on narrow glass the words above, the buttons two abreast. */
        SDL_Rect row = ui_screen_foot(&screen, pager_h);
        SDL_Rect left = ui_column(row, 3, gap, 0), middle = ui_column(row, 3, gap, 1),
                 right = ui_column_rest(row, 3, gap);
        left.h = right.h = button_h;
        left.y = right.y = row.y + (row.h - button_h) / 2;
        if (narrow) {
            middle = (SDL_Rect){row.x, row.y, row.w, page_h};
            left = ui_column((SDL_Rect){row.x, row.y + page_h + gap, row.w, button_h}, 2, gap, 0);
            right =
                ui_column_rest((SDL_Rect){row.x, row.y + page_h + gap, row.w, button_h}, 2, gap);
        }
        ui_widget *previous = ui_screen_button(&screen, "document.previous", model->previous, left,
                                               UI_ACTION_PAGE, -1, UI_TONE_SECONDARY, BUTTON_DP);
        ui_widget *where = ui_wrapped_text_create(root, &ui_label_class, "document.page_of",
                                                  model->page_text, middle, LINE_DP, UI_TONE_PLAIN);
        ui_widget *following =
            ui_screen_button(&screen, "document.next_page", model->following, right, UI_ACTION_PAGE,
                             1, UI_TONE_SECONDARY, BUTTON_DP);
        ok = ok && previous && where && following &&
             ui_button_set_icon_for(previous, "document.previous") &&
             ui_button_set_icon_for(following, "document.following");
        if (where)
            where->align = UI_ALIGN_CENTER;
        /* At either end the way on that leads nowhere is not there. */
        if (previous && model->page == 0)
            previous->flags = (previous->flags & ~UI_FLAG_TAPPABLE) | UI_FLAG_HIDDEN;
        if (following && model->page + 1 >= model->page_count)
            following->flags = (following->flags & ~UI_FLAG_TAPPABLE) | UI_FLAG_HIDDEN;
    }
    SDL_Rect room = ui_screen_rest(&screen);
    room.y += gap / 2;
    room.h -= gap / 2;
    if (!pane) {
        /* nothing: see above */
    } else if (model->pdf) {
        ok = ok && ui_pdf_view_create(root, "document.page", model->pdf, model->page, room,
                                      model->page_text) != NULL;
    } else {
        ui_widget *card = ui_card_create(root, "document.no_preview", room, UI_TONE_TILE);
        /* The words at the size that fits the card: smaller on small glass. */
        float dp = INTRO_DP;
        int text_h = ui_lines_h(frame, model->unavailable, dp, room.w - 2 * gap, 8);
        if (text_h > room.h - 2 * gap) {
            dp = LINE_DP;
            text_h = ui_lines_h(frame, model->unavailable, dp, room.w - 2 * gap, 8);
        }
        SDL_Rect box = {room.x + gap, room.y + (room.h - text_h) / 2, room.w - 2 * gap, text_h};
        ok = ok && card &&
             ui_wrapped_text_create(root, &ui_label_class, "document.unavailable",
                                    model->unavailable, box, dp, UI_TONE_TILE);
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
    int body_h = ui_lines_h(frame, model->body, 34, inner, 12);
    ui_tone tone = model->problem ? UI_TONE_ALERT : UI_TONE_TILE;
    int button_h = ui_screen_large_button_h(&screen, 34);
    bool ok = true;
    if (model->primary || model->secondary) {
        SDL_Rect row = ui_screen_foot(&screen, button_h);
        int columns = model->primary && model->secondary ? 2 : 1;
        /* Done first; beside it asking again, or cancel while waiting. */
        ui_widget *secondary =
            model->secondary ? ui_screen_button(&screen, "document.secondary", model->secondary,
                                                ui_column(row, columns, gap, 0),
                                                model->secondary_action, 0, UI_TONE_SECONDARY, 34)
                             : NULL;
        ui_widget *primary = model->primary
                                 ? ui_screen_button(&screen, "document.primary", model->primary,
                                                    ui_column_rest(row, columns, gap),
                                                    model->primary_action, 0, UI_TONE_PRIMARY, 34)
                                 : NULL;
        ok = (!model->secondary ||
              (secondary &&
               ui_button_set_icon_for(secondary, model->secondary_action == UI_ACTION_CANCEL
                                                     ? "step.cancel"
                                                     : "document.again"))) &&
             (!model->primary || (primary && ui_button_set_icon_for(primary, "print.finish")));
    }
    /* Where the words do not fit above the buttons (a long message in
     * elder mode on small glass, where text keeps its size), they scroll
     * inside the card, under the title. */
    int card_h = gap + title_h + gap + body_h + gap;
    bool scrolls = card_h > ui_screen_rest(&screen).h;
    if (scrolls)
        card_h = ui_screen_rest(&screen).h;
    ui_screen_centre(&screen, card_h);
    SDL_Rect card_box = ui_screen_take(&screen, card_h);
    ui_widget *card = ui_card_create(root, "document.card", card_box, tone);
    ui_widget *title =
        ui_heading_create(root, "document.status", model->title,
                          (SDL_Rect){card_box.x + gap, card_box.y + gap, inner, title_h});
    SDL_Rect body_box = {card_box.x + gap, card_box.y + 2 * gap + title_h, inner, body_h};
    ui_widget *parent =
        scrolls ? ui_scroll_view_create(root, "document.more",
                                        (SDL_Rect){body_box.x, body_box.y, inner,
                                                   card_box.y + card_h - gap - body_box.y})
                : root;
    ui_widget *body = parent ? ui_wrapped_text_create(parent, &ui_label_class, "document.body",
                                                      model->body, body_box, 34, tone)
                             : NULL;
    if (scrolls && body)
        ui_scroll_view_update_extent(parent);
    ok = ok && card && title && body;
    if (title) {
        title->tone = tone;
        title->text_dp = 44;
    }
    return ui_screen_end(&screen, ok, out);
}
