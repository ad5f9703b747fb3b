/* Show a code: a phone held out towards the scanner, an arrow to where the
 * scanner is, what to show and the scanner's state. See ui_scan_build. */
#include "ui/qr_view.h"
#include "ui/screens.h"

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

/* A phone showing a code: a dark rounded body, a light screen, a QR code. */
static bool add_phone(ui_widget *root, SDL_Rect phone)
{
    ui_widget *body = ui_card_create(root, "scan.phone", phone, UI_TONE_PRIMARY);
    int inset = phone.w / 10;
    SDL_Rect screen = {phone.x + inset, phone.y + 2 * inset, phone.w - 2 * inset,
                       phone.h - 4 * inset};
    ui_widget *glass = ui_card_create(root, "scan.phone.screen", screen, UI_TONE_PAPER);
    int side = screen.w - inset;
    ui_widget *code = ui_qr_view_create(
        root, "scan.phone.code", "https://example.invalid/e-id",
        (SDL_Rect){screen.x + (screen.w - side) / 2, screen.y + (screen.h - side) / 2, side, side});
    return body && glass && code;
}

kiosk_error ui_scan_build(const ui_frame_model *frame, const ui_scan_model *model, ui_widget **out)
{
    const ui_metrics *m = &frame->metrics;
    SDL_Rect content;
    ui_widget *root = ui_frame_build(frame, &content);
    if (!root)
        return KIOSK_ERR_NO_MEMORY;
    int margin = ui_dp(m, MARGIN_DP), gap = ui_dp(m, GAP_DP);
    int width = content.w - 2 * margin;
    int y = content.y + margin;
    int title_h = ui_frame_line_px(frame, 44), line_h = ui_frame_line_px(frame, 30);
    ui_widget *title =
        ui_heading_create(root, "scan.title", model->title, (SDL_Rect){margin, y, width, title_h});
    y += title_h;
    ui_widget *prompt = ui_label_create(root, "scan.prompt", model->prompt,
                                        (SDL_Rect){margin, y, width, 2 * line_h});
    y += 2 * line_h + gap;
    if (!title || !prompt)
        goto fail;
    title->text_dp = 44;
    prompt->text_dp = 30;
    prompt->wrap = true;

    /* Back at the foot; the picture and where the scanner is between. */
    int button_h = ui_frame_line_px(frame, 34) + gap;
    int min_h = ui_dp(m, frame->theme->min_target_dp + 8);
    button_h = button_h > min_h ? button_h : min_h;
    int button_y = content.y + content.h - margin - button_h;
    ui_widget *back =
        ui_button_create(root, "scan.back", ui_frame_text(frame, "step.back"),
                         (SDL_Rect){margin, button_y, width, button_h}, UI_ACTION_BACK, 0);
    int status_h = model->status ? 2 * line_h : 0;
    int where_h = 2 * line_h;
    int picture_h = button_y - gap - status_h - where_h - gap - y;
    if (!back || picture_h < 4 * line_h)
        goto fail;
    back->text_dp = 34;

    int phone_h = picture_h * 2 / 3, phone_w = phone_h / 2;
    int arrow = picture_h - phone_h - gap;
    SDL_Rect phone, pointer;
    if (model->scanner_below) {
        phone = (SDL_Rect){margin + (width - phone_w) / 2, y, phone_w, phone_h};
        pointer = (SDL_Rect){margin + (width - arrow) / 2, y + phone_h + gap, arrow, arrow};
    } else {
        phone = (SDL_Rect){margin + (width - phone_w) / 2 - arrow / 2,
                           y + (picture_h - phone_h) / 2, phone_w, phone_h};
        pointer = (SDL_Rect){phone.x + phone_w + gap, y + (picture_h - arrow) / 2, arrow, arrow};
    }
    ui_widget *direction = ui_widget_create(root, &arrow_class, "scan.arrow");
    if (!add_phone(root, phone) || !direction)
        goto fail;
    direction->bounds = pointer;
    direction->action_arg = model->scanner_below ? 0 : 1;
    y += picture_h;

    ui_widget *where =
        ui_label_create(root, "scan.where", model->where, (SDL_Rect){margin, y, width, where_h});
    if (!where)
        goto fail;
    where->wrap = true;
    where->text_dp = 30;
    where->align = UI_ALIGN_CENTER;
    y += where_h;
    if (model->status) {
        ui_widget *status = ui_label_create(root, "scan.status", model->status,
                                            (SDL_Rect){margin, y, width, status_h});
        if (!status)
            goto fail;
        status->wrap = true;
        status->text_dp = 28;
        status->align = UI_ALIGN_CENTER;
        status->tone = model->status_problem ? UI_TONE_ALERT : UI_TONE_PLAIN;
    }
    *out = root;
    return KIOSK_OK;
fail:
    ui_widget_destroy(root);
    return KIOSK_ERR_NO_MEMORY;
}
