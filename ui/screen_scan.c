/* Show a code: a phone held out towards the scanner, an arrow to where the
 * scanner is, what to show and the scanner's state. See ui_scan_build. */
#include "ui/icons.h"
#include "ui/layout.h"
#include "ui/screens.h"
#include "ui/scroll_view.h"

#define MARGIN_DP 32
#define GAP_DP    24

/* An arrow filling its bounds, pointing down (action_arg 0) or right (1). */
static void draw_arrow(const ui_widget *widget, ui_context *context)
{
    SDL_Renderer *renderer = context->renderer;
    SDL_Color colour = context->theme->tones[UI_TONE_PRIMARY].background;
    SDL_SetRenderDrawColor(renderer, colour.r, colour.g, colour.b, 255);
    SDL_Rect b = widget->bounds;
    bool right = widget->action_arg == 1;
    int length = right ? b.w : b.h, breadth = right ? b.h : b.w;
    int shaft = length * 3 / 5, shaft_w = breadth / 4;
    SDL_Rect stem = right ? (SDL_Rect){b.x, b.y + (b.h - shaft_w) / 2, shaft, shaft_w}
                          : (SDL_Rect){b.x + (b.w - shaft_w) / 2, b.y, shaft_w, shaft};
    SDL_RenderFillRect(renderer, &stem);
    /* The head: a triangle, one line of pixels at a time. */
    int head = length - shaft;
    for (int i = 0; i < head; i++) {
        int half = breadth * (head - i) / (2 * head);
        SDL_Rect line = right ? (SDL_Rect){b.x + shaft + i, b.y + b.h / 2 - half, 1, 2 * half}
                              : (SDL_Rect){b.x + b.w / 2 - half, b.y + shaft + i, 2 * half, 1};
        SDL_RenderFillRect(renderer, &line);
    }
}

static const ui_widget_class arrow_class = {
    .name = "arrow", .role = UI_ROLE_GROUP, .draw = draw_arrow};

/* A phone showing a code: a dark rounded body, a light screen, a QR code's
 * pictogram — a picture of one, not a code: a phone pointed at the screen
 * must not find an address that leads nowhere. */
static bool add_phone(ui_widget *root, SDL_Rect phone)
{
    ui_widget *body = ui_card_create(root, "scan.phone", phone, UI_TONE_PRIMARY);
    int inset = phone.w / 10;
    SDL_Rect screen = {phone.x + inset, phone.y + 2 * inset, phone.w - 2 * inset,
                       phone.h - 4 * inset};
    ui_widget *glass = ui_card_create(root, "scan.phone.screen", screen, UI_TONE_PAPER);
    int side = screen.w - inset;
    ui_widget *code = ui_icon_create(
        root, "scan.phone.code", "qr_code",
        (SDL_Rect){screen.x + (screen.w - side) / 2, screen.y + (screen.h - side) / 2, side, side},
        UI_TONE_PAPER);
    return body && glass && code;
}

/* The words: what to show, where to hold it, and the scanner's state, one
 * under the other from y in parent; returns the y after them. */
static int add_words(ui_widget *parent, const ui_scan_model *model, SDL_Rect area, int line_h,
                     bool narrow, bool picture_between, int picture_h, int gap, bool *ok)
{
    int y = area.y;
    int prompt_h = (narrow ? 4 : 2) * line_h, where_h = (narrow ? 4 : 2) * line_h;
    ui_widget *prompt = ui_label_create(parent, "scan.prompt", model->prompt,
                                        (SDL_Rect){area.x, y, area.w, prompt_h});
    y += prompt_h + gap + (picture_between ? picture_h : 0);
    ui_widget *where =
        ui_label_create(parent, "scan.where", model->where, (SDL_Rect){area.x, y, area.w, where_h});
    y += where_h;
    ui_widget *status = NULL;
    if (model->status) {
        int status_h = (narrow ? 3 : 2) * line_h;
        status = ui_label_create(parent, UI_ID_SCAN_STATUS, model->status,
                                 (SDL_Rect){area.x, y, area.w, status_h});
        y += status_h;
        if (status) {
            status->wrap = true;
            status->text_dp = 28;
            status->align = UI_ALIGN_CENTER;
            status->tone = model->status_problem ? UI_TONE_ALERT : UI_TONE_PLAIN;
        }
    }
    *ok = prompt && where && (!model->status || status);
    if (*ok) {
        prompt->text_dp = where->text_dp = 30;
        prompt->wrap = where->wrap = true;
        where->align = UI_ALIGN_CENTER;
    }
    return y;
}

kiosk_error ui_scan_build(const ui_frame_model *frame, const ui_scan_model *model, ui_widget **out)
{
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, MARGIN_DP, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    int gap = screen.gap, line_h = ui_frame_line_px(frame, 30);
    ui_widget *title = ui_screen_title(&screen, UI_ID_SCAN_TITLE, model->title, 44);
    /* Back, and beside it the other way in: typing the number. */
    SDL_Rect buttons = ui_screen_foot(&screen, ui_screen_button_h(&screen, 34));
    const char *back_text = ui_frame_text(frame, "step.back");
    SDL_Rect back_box = buttons, type_box = buttons;
    if (model->type_instead)
        ui_icon_button_row(buttons, gap, ui_icon_button_want_px(frame, back_text, 34, false),
                           ui_icon_button_want_px(frame, model->type_instead, 34, false), &back_box,
                           &type_box);
    ui_widget *back = ui_screen_button(&screen, UI_ID_SCAN_BACK, back_text, back_box,
                                       UI_ACTION_BACK, 0, UI_TONE_SECONDARY, 34);
    ui_widget *type = model->type_instead
                          ? ui_screen_button(&screen, UI_ID_SCAN_TYPE, model->type_instead,
                                             type_box, UI_ACTION_NEXT, 0, UI_TONE_SECONDARY, 34)
                          : NULL;
    if (!title || !back || (model->type_instead && !type) ||
        !ui_button_set_icon_for(back, "step.back") ||
        (type && !ui_button_set_icon_for(type, "scan.type")))
        goto fail;

    /* The picture goes between what to show and where to hold it, when the
     * words leave it room; otherwise the words alone, scrolling if need be
     * (a short screen in large type). */
    bool narrow = ui_frame_is_narrow(frame);
    SDL_Rect area = ui_screen_rest(&screen);
    int words_h = (narrow ? 8 : 4) * line_h + gap + (model->status ? (narrow ? 3 : 2) * line_h : 0);
    int picture_h = area.h - words_h - gap;
    bool ok = false;
    if (picture_h < 3 * line_h) {
        ui_widget *view = ui_scroll_view_create(root, "scan.words", area);
        if (!view)
            goto fail;
        add_words(view, model, area, line_h, narrow, false, 0, gap, &ok);
        ui_scroll_view_update_extent(view);
        return ui_screen_end(&screen, ok, out);
    }
    add_words(root, model, area, line_h, narrow, true, picture_h + gap, gap, &ok);
    if (!ok)
        goto fail;
    int picture_y = area.y + (narrow ? 4 : 2) * line_h + gap;
    int phone_h = picture_h * 2 / 3, phone_w = phone_h / 2;
    int arrow = picture_h - phone_h - gap;
    SDL_Rect phone, pointer;
    if (model->scanner_below) {
        phone = (SDL_Rect){area.x + (area.w - phone_w) / 2, picture_y, phone_w, phone_h};
        pointer =
            (SDL_Rect){area.x + (area.w - arrow) / 2, picture_y + phone_h + gap, arrow, arrow};
    } else {
        phone = (SDL_Rect){area.x + (area.w - phone_w) / 2 - arrow / 2,
                           picture_y + (picture_h - phone_h) / 2, phone_w, phone_h};
        pointer =
            (SDL_Rect){phone.x + phone_w + gap, picture_y + (picture_h - arrow) / 2, arrow, arrow};
    }
    ui_widget *direction = ui_widget_create(root, &arrow_class, "scan.arrow");
    if (!add_phone(root, phone) || !direction)
        goto fail;
    direction->bounds = pointer;
    direction->action_arg = model->scanner_below ? 0 : 1;
    return ui_screen_end(&screen, true, out);
fail:
    return ui_screen_end(&screen, false, out);
}
