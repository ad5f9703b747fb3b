/* The signature pad and its ink. See signature_pad.h. */
#include "ui/signature_pad.h"

#include "firmware/base/wipe_alloc.h"
#include "ui/draw.h"
#include "ui/image.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A finger's point closer than this to the last one kept adds nothing a
 * line would show; dropping it keeps a slow signature well under the
 * ceiling. */
#define MIN_STEP_PX 2.0f

ui_ink *ui_ink_create(void)
{
    return wipe_calloc(1, sizeof(ui_ink));
}

void ui_ink_destroy(ui_ink *ink)
{
    wipe_free(ink);
}

void ui_ink_clear(ui_ink *ink)
{
    if (ink)
        explicit_bzero(ink, sizeof *ink);
}

bool ui_ink_empty(const ui_ink *ink)
{
    return !ink || ink->point_count == 0;
}

bool ui_ink_enough(const ui_ink *ink, float min_length)
{
    return ink && ink->point_count > 1 && ink->length >= min_length;
}

static int clamp_int(int value, int low, int high)
{
    return value < low ? low : value > high ? high : value;
}

/* Around points (in ink space) and half a pen, with a pixel to spare. */
static SDL_Rect around(const ui_ink *ink, size_t first, size_t count)
{
    int left = INT16_MAX, top = INT16_MAX, right = INT16_MIN, bottom = INT16_MIN;
    for (size_t i = first; i < first + count; i++) {
        left = ink->points[i].x < left ? ink->points[i].x : left;
        right = ink->points[i].x > right ? ink->points[i].x : right;
        top = ink->points[i].y < top ? ink->points[i].y : top;
        bottom = ink->points[i].y > bottom ? ink->points[i].y : bottom;
    }
    int half = (int)ceilf(ink->pen_px / 2) + 2;
    return (SDL_Rect){left - half, top - half, right - left + 2 * half, bottom - top + 2 * half};
}

static void add_point(ui_ink *ink, int x, int y)
{
    ink->points[ink->point_count++] =
        (ui_ink_point){(int16_t)clamp_int(x, 0, ink->w - 1), (int16_t)clamp_int(y, 0, ink->h - 1)};
}

SDL_Rect ui_ink_down(ui_ink *ink, int w, int h, float pen_px, int x, int y)
{
    if (ink->point_count == 0) {
        ink->w = clamp_int(w, 1, INT16_MAX);
        ink->h = clamp_int(h, 1, INT16_MAX);
        ink->pen_px = pen_px;
    }
    ink->drawing = false;
    if (ink->stroke_count >= UI_INK_STROKES_MAX || ink->point_count >= UI_INK_POINTS_MAX) {
        ink->full = true;
        return (SDL_Rect){0, 0, 0, 0};
    }
    ink->stroke_first[ink->stroke_count++] = (uint16_t)ink->point_count;
    add_point(ink, x, y);
    ink->drawing = true;
    return around(ink, ink->point_count - 1, 1);
}

SDL_Rect ui_ink_move(ui_ink *ink, int x, int y)
{
    if (!ink->drawing)
        return (SDL_Rect){0, 0, 0, 0};
    if (ink->point_count >= UI_INK_POINTS_MAX) {
        ink->full = true;
        ink->drawing = false;
        return (SDL_Rect){0, 0, 0, 0};
    }
    const ui_ink_point *last = &ink->points[ink->point_count - 1];
    float dx = (float)(clamp_int(x, 0, ink->w - 1) - last->x);
    float dy = (float)(clamp_int(y, 0, ink->h - 1) - last->y);
    float step = sqrtf(dx * dx + dy * dy);
    if (step < MIN_STEP_PX)
        return (SDL_Rect){0, 0, 0, 0};
    add_point(ink, x, y);
    ink->length += step;
    /* The curve through the last points bends anew: from the one before
     * the last but one (the part drawn straight before is redrawn too). */
    size_t first = ink->stroke_first[ink->stroke_count - 1];
    size_t from = ink->point_count >= first + 3 ? ink->point_count - 3 : first;
    return around(ink, from, ink->point_count - from);
}

void ui_ink_up(ui_ink *ink)
{
    ink->drawing = false;
}

/* ---- strokes as short straight segments --------------------------------- */

typedef void (*segment_fn)(void *context, SDL_FPoint a, SDL_FPoint b, bool starts);

static SDL_FPoint point_at(const ui_ink *ink, size_t i)
{
    return (SDL_FPoint){(float)ink->points[i].x, (float)ink->points[i].y};
}

/* Stroke s through the midpoints of its points, each point the control of a
 * quadratic curve between two midpoints, so that the line bends smoothly
 * where the finger turned rather than in corners. One point is a dot (a
 * segment of no length). starts: the first segment of the stroke. */
static void stroke_segments(const ui_ink *ink, size_t s, segment_fn emit, void *context)
{
    size_t first = ink->stroke_first[s];
    size_t end = s + 1 < ink->stroke_count ? ink->stroke_first[s + 1] : ink->point_count;
    if (end <= first)
        return;
    SDL_FPoint from = point_at(ink, first);
    if (end - first == 1) {
        emit(context, from, from, true);
        return;
    }
    bool starts = true;
    for (size_t i = first + 1; i + 1 < end; i++) {
        SDL_FPoint control = point_at(ink, i), next = point_at(ink, i + 1);
        SDL_FPoint to = {(control.x + next.x) / 2, (control.y + next.y) / 2};
        float span = fabsf(control.x - from.x) + fabsf(control.y - from.y) +
                     fabsf(to.x - control.x) + fabsf(to.y - control.y);
        int pieces = clamp_int((int)(span / 6) + 1, 1, 8);
        SDL_FPoint last = from;
        for (int k = 1; k <= pieces; k++) {
            float t = (float)k / (float)pieces, u = 1 - t;
            SDL_FPoint p = {u * u * from.x + 2 * u * t * control.x + t * t * to.x,
                            u * u * from.y + 2 * u * t * control.y + t * t * to.y};
            emit(context, last, p, starts);
            starts = false;
            last = p;
        }
        from = to;
    }
    emit(context, from, point_at(ink, end - 1), starts);
}

/* ---- on the screen ------------------------------------------------------ */

#define DISC_SEGMENTS  10
#define BATCH_VERTICES 1020
#define BATCH_INDICES  (BATCH_VERTICES * 3)

typedef struct screen_pen {
    SDL_Renderer *renderer;
    SDL_Color colour;
    float scale, x, y, width;
    bool clipped;
    SDL_Rect clip;
    SDL_Vertex vertices[BATCH_VERTICES];
    int indices[BATCH_INDICES];
    int vertex_count, index_count;
} screen_pen;

static void flush(screen_pen *pen)
{
    if (pen->index_count)
        SDL_RenderGeometry(pen->renderer, NULL, pen->vertices, pen->vertex_count, pen->indices,
                           pen->index_count);
    pen->vertex_count = pen->index_count = 0;
}

static void room_for(screen_pen *pen, int vertices, int indices)
{
    if (pen->vertex_count + vertices > BATCH_VERTICES || pen->index_count + indices > BATCH_INDICES)
        flush(pen);
}

static int vertex(screen_pen *pen, float x, float y)
{
    pen->vertices[pen->vertex_count] = (SDL_Vertex){{x, y}, pen->colour, {0, 0}};
    return pen->vertex_count++;
}

/* A round end or joint: a fan of triangles. */
static void disc(screen_pen *pen, SDL_FPoint at)
{
    room_for(pen, DISC_SEGMENTS + 1, DISC_SEGMENTS * 3);
    float r = pen->width / 2;
    int centre = vertex(pen, at.x, at.y);
    for (int i = 0; i < DISC_SEGMENTS; i++) {
        float angle = 2 * (float)M_PI * (float)i / DISC_SEGMENTS;
        vertex(pen, at.x + r * cosf(angle), at.y + r * sinf(angle));
    }
    for (int i = 0; i < DISC_SEGMENTS; i++) {
        pen->indices[pen->index_count++] = centre;
        pen->indices[pen->index_count++] = centre + 1 + i;
        pen->indices[pen->index_count++] = centre + 1 + (i + 1) % DISC_SEGMENTS;
    }
}

static void screen_segment(void *context, SDL_FPoint a, SDL_FPoint b, bool starts)
{
    screen_pen *pen = context;
    a = (SDL_FPoint){pen->x + a.x * pen->scale, pen->y + a.y * pen->scale};
    b = (SDL_FPoint){pen->x + b.x * pen->scale, pen->y + b.y * pen->scale};
    if (pen->clipped) {
        float half = pen->width / 2 + 1;
        SDL_Rect box = {(int)floorf(fminf(a.x, b.x) - half), (int)floorf(fminf(a.y, b.y) - half),
                        (int)ceilf(fabsf(a.x - b.x) + 2 * half) + 1,
                        (int)ceilf(fabsf(a.y - b.y) + 2 * half) + 1};
        if (!SDL_HasIntersection(&box, &pen->clip))
            return;
    }
    if (starts)
        disc(pen, a);
    float dx = b.x - a.x, dy = b.y - a.y, length = sqrtf(dx * dx + dy * dy);
    if (length > 0) {
        room_for(pen, 4, 6);
        float ux = -dy / length * pen->width / 2, uy = dx / length * pen->width / 2;
        int first = vertex(pen, a.x + ux, a.y + uy);
        vertex(pen, b.x + ux, b.y + uy);
        vertex(pen, b.x - ux, b.y - uy);
        vertex(pen, a.x - ux, a.y - uy);
        const int quad[6] = {0, 1, 2, 0, 2, 3};
        for (int i = 0; i < 6; i++)
            pen->indices[pen->index_count++] = first + quad[i];
    }
    disc(pen, b);
}

typedef struct pad_state {
    ui_ink *ink;
    float pen_px;
    bool locked;
} pad_state;

/* How the ink's space lies on the pad: one scale both ways (a signature
 * keeps its shape on a pad of another size), from the pad's corner. */
static float ink_scale(const ui_widget *widget, const ui_ink *ink)
{
    if (!ink || ink->w <= 0 || ink->h <= 0)
        return 1.0f;
    float sx = (float)widget->bounds.w / (float)ink->w,
          sy = (float)widget->bounds.h / (float)ink->h;
    return sx < sy ? sx : sy;
}

/* The line to sign on: three quarters down, or higher where the pad is
 * short, so that the prompt has a whole line under it. */
static int baseline_y(const ui_widget *widget, const ui_context *context)
{
    int line = ui_theme_text_px(context->theme, &context->metrics, context->theme->body_dp) * 3 / 2;
    int border = ui_dp(&context->metrics, context->theme->border_dp + 1);
    int lowest = widget->bounds.y + widget->bounds.h - border - line - ui_dp(&context->metrics, 12);
    int y = widget->bounds.y + widget->bounds.h * 3 / 4;
    return y < lowest ? y : lowest;
}

static void draw_pad(const ui_widget *widget, ui_context *context)
{
    const pad_state *state = widget->data;
    const ui_tone_colours *face = &context->theme->tones[UI_TONE_FOOTER];
    const ui_metrics *m = &context->metrics;
    int radius = ui_dp(m, context->theme->corner_dp);
    int border = ui_dp(m, context->theme->border_dp + 1);
    SDL_Rect inner = {widget->bounds.x + border, widget->bounds.y + border,
                      widget->bounds.w - 2 * border, widget->bounds.h - 2 * border};
    ui_draw_fill_rounded(context->renderer, widget->bounds, radius,
                         context->theme->tones[UI_TONE_SECONDARY].border);
    ui_draw_fill_rounded(context->renderer, inner, radius - border, face->background);
    /* The line to sign on, across most of the pad, with the mark where a
     * signature begins. */
    int margin = ui_dp(m, 40), line = ui_dp(m, 2) > 1 ? ui_dp(m, 2) : 1;
    int y = baseline_y(widget, context);
    ui_draw_fill(context->renderer,
                 (SDL_Rect){widget->bounds.x + margin, y, widget->bounds.w - 2 * margin, line},
                 face->detail);
    float cross = (float)ui_dp(m, 14), cx = (float)(widget->bounds.x + margin) + cross,
          cy = (float)y - cross * 1.6f;
    ui_draw_stroke(context->renderer, (SDL_FPoint){cx - cross / 2, cy - cross / 2},
                   (SDL_FPoint){cx + cross / 2, cy + cross / 2}, (float)line, face->detail);
    ui_draw_stroke(context->renderer, (SDL_FPoint){cx - cross / 2, cy + cross / 2},
                   (SDL_FPoint){cx + cross / 2, cy - cross / 2}, (float)line, face->detail);
    if (!state || ui_ink_empty(state->ink))
        return;
    ui_clip saved;
    if (!ui_draw_clip_begin(context->renderer, inner, &saved))
        return;
    /* Large: drawn in its own allocation, not on the stack. */
    screen_pen *pen = malloc(sizeof *pen);
    if (pen) {
        float scale = ink_scale(widget, state->ink);
        *pen = (screen_pen){.renderer = context->renderer,
                            .colour = face->text,
                            .scale = scale,
                            .x = (float)widget->bounds.x,
                            .y = (float)widget->bounds.y,
                            .width = state->ink->pen_px * scale};
        pen->clipped = SDL_RenderIsClipEnabled(context->renderer);
        SDL_RenderGetClipRect(context->renderer, &pen->clip);
        for (size_t s = 0; s < state->ink->stroke_count; s++)
            stroke_segments(state->ink, s, screen_segment, pen);
        flush(pen);
        /* The vertices trace the citizen's signature. */
        explicit_bzero(pen, sizeof *pen);
        free(pen);
    }
    ui_draw_clip_end(context->renderer, &saved);
}

/* The prompt under the line, in the quieter colour. */
static size_t pad_parts(const ui_widget *widget, ui_context *context, ui_text_part *parts)
{
    if (!widget->text || !widget->text[0])
        return 0;
    const ui_tone_colours *face = &context->theme->tones[UI_TONE_FOOTER];
    int gap = ui_dp(&context->metrics, 12);
    int top = baseline_y(widget, context) + gap / 2;
    int border = ui_dp(&context->metrics, context->theme->border_dp + 1);
    parts[0] = (ui_text_part){
        .text = widget->text,
        .language = widget->text_lang >= 0 ? (lang)widget->text_lang : context->language,
        .style = {.size_px =
                      ui_theme_text_px(context->theme, &context->metrics, context->theme->body_dp),
                  .color = face->detail},
        .box = {widget->bounds.x + gap, top, widget->bounds.w - 2 * gap,
                widget->bounds.y + widget->bounds.h - border - top},
        .align = UI_ALIGN_CENTER};
    ui_text_part_fit(widget, context, &parts[0]);
    return 1;
}

/* The finger's way on the pad, into the ink's space. */
static SDL_Rect pad_follow(ui_widget *widget, ui_follow phase, int x, int y)
{
    pad_state *state = widget->data;
    SDL_Rect none = {0, 0, 0, 0};
    if (!state || !state->ink || state->locked)
        return none;
    ui_ink *ink = state->ink;
    if (phase == UI_FOLLOW_UP) {
        ui_ink_up(ink);
        return none;
    }
    float scale = ink_scale(widget, ink);
    int ix = (int)lroundf((float)(x - widget->bounds.x) / scale);
    int iy = (int)lroundf((float)(y - widget->bounds.y) / scale);
    SDL_Rect changed =
        phase == UI_FOLLOW_DOWN
            ? ui_ink_down(ink, widget->bounds.w, widget->bounds.h, state->pen_px, ix, iy)
            : ui_ink_move(ink, ix, iy);
    if (SDL_RectEmpty(&changed))
        return none;
    scale = ink_scale(widget, ink);
    SDL_Rect on_screen = {widget->bounds.x + (int)floorf((float)changed.x * scale),
                          widget->bounds.y + (int)floorf((float)changed.y * scale),
                          (int)ceilf((float)changed.w * scale) + 2,
                          (int)ceilf((float)changed.h * scale) + 2};
    SDL_Rect clipped;
    return SDL_IntersectRect(&on_screen, &widget->bounds, &clipped) ? clipped : none;
}

const ui_widget_class ui_signature_pad_class = {.name = "signature-pad",
                                                .role = UI_ROLE_FIELD,
                                                .focus = UI_FOCUS_NEVER,
                                                .draw = draw_pad,
                                                .text_parts = pad_parts,
                                                .destroy_data = ui_widget_free_data,
                                                .follow = pad_follow};

ui_widget *ui_signature_pad_create(ui_widget *parent, const char *id, const char *prompt,
                                   SDL_Rect bounds, ui_ink *ink, float pen_px, ui_action action,
                                   bool locked)
{
    ui_widget *widget = ui_widget_create(parent, &ui_signature_pad_class, id);
    if (!widget)
        return NULL;
    pad_state *state = calloc(1, sizeof *state);
    widget->data = state;
    widget->bounds = bounds;
    if (!state || !ui_widget_set_text(widget, prompt ? prompt : "")) {
        ui_widget_destroy(widget);
        return NULL;
    }
    *state = (pad_state){.ink = ink, .pen_px = pen_px, .locked = locked};
    widget->flags |= UI_FLAG_TAPPABLE;
    widget->action = action;
    return widget;
}

/* ---- a small picture of it ---------------------------------------------- */

/* The ink's bounds in its own space, a pen's width of margin all round. */
static void ink_box(const ui_ink *ink, float *left, float *top, float *w, float *h)
{
    int l = INT16_MAX, t = INT16_MAX, r = INT16_MIN, b = INT16_MIN;
    for (size_t i = 0; i < ink->point_count; i++) {
        l = ink->points[i].x < l ? ink->points[i].x : l;
        r = ink->points[i].x > r ? ink->points[i].x : r;
        t = ink->points[i].y < t ? ink->points[i].y : t;
        b = ink->points[i].y > b ? ink->points[i].y : b;
    }
    float margin = ink->pen_px > 1 ? ink->pen_px : 1;
    *left = (float)l - margin;
    *top = (float)t - margin;
    *w = (float)(r - l) + 2 * margin;
    *h = (float)(b - t) + 2 * margin;
}

static void draw_thumbnail(const ui_widget *widget, ui_context *context)
{
    const ui_ink *ink = widget->data;
    if (ui_ink_empty(ink))
        return;
    float left, top, w, h;
    ink_box(ink, &left, &top, &w, &h);
    float scale = fminf((float)widget->bounds.w / w, (float)widget->bounds.h / h);
    ui_clip saved;
    screen_pen *pen = malloc(sizeof *pen);
    if (!pen || !ui_draw_clip_begin(context->renderer, widget->bounds, &saved)) {
        free(pen);
        return;
    }
    /* At the end of the value's line, where the words end, centred up and
     * down. */
    *pen = (screen_pen){
        .renderer = context->renderer,
        .colour = context->theme->tones[widget->tone].text,
        .scale = scale,
        .x = (float)(widget->bounds.x + widget->bounds.w) - w * scale - left * scale,
        .y = (float)widget->bounds.y + ((float)widget->bounds.h - h * scale) / 2 - top * scale,
        .width = fmaxf(2.0f, ink->pen_px * scale),
    };
    for (size_t s = 0; s < ink->stroke_count; s++)
        stroke_segments(ink, s, screen_segment, pen);
    flush(pen);
    explicit_bzero(pen, sizeof *pen);
    free(pen);
    ui_draw_clip_end(context->renderer, &saved);
}

const ui_widget_class ui_signature_thumbnail_class = {
    .name = "signature-thumbnail", .role = UI_ROLE_GROUP, .draw = draw_thumbnail};

ui_widget *ui_signature_thumbnail_create(ui_widget *parent, const char *id, SDL_Rect bounds,
                                         const ui_ink *ink)
{
    ui_widget *widget = ui_widget_create(parent, &ui_signature_thumbnail_class, id);
    if (!widget)
        return NULL;
    widget->bounds = bounds;
    widget->data = (void *)ink; /* the app's: not freed with the widget */
    return widget;
}

/* ---- as an image -------------------------------------------------------- */

typedef struct image_pen {
    uint8_t *gray;
    int w, h;
    float scale, x, y, radius;
} image_pen;

/* A capsule around a→b, radius wide, into the gray image: each pixel as
 * dark as the share of it the pen covers (the edges anti-aliased). */
static void image_segment(void *context, SDL_FPoint a, SDL_FPoint b, bool starts)
{
    (void)starts;
    image_pen *pen = context;
    a = (SDL_FPoint){pen->x + a.x * pen->scale, pen->y + a.y * pen->scale};
    b = (SDL_FPoint){pen->x + b.x * pen->scale, pen->y + b.y * pen->scale};
    float r = pen->radius;
    int left = clamp_int((int)floorf(fminf(a.x, b.x) - r - 1), 0, pen->w - 1);
    int right = clamp_int((int)ceilf(fmaxf(a.x, b.x) + r + 1), 0, pen->w - 1);
    int top = clamp_int((int)floorf(fminf(a.y, b.y) - r - 1), 0, pen->h - 1);
    int bottom = clamp_int((int)ceilf(fmaxf(a.y, b.y) + r + 1), 0, pen->h - 1);
    float dx = b.x - a.x, dy = b.y - a.y, squared = dx * dx + dy * dy;
    for (int y = top; y <= bottom; y++) {
        for (int x = left; x <= right; x++) {
            float px = (float)x + 0.5f, py = (float)y + 0.5f;
            float t = squared > 0 ? ((px - a.x) * dx + (py - a.y) * dy) / squared : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            float ex = px - (a.x + t * dx), ey = py - (a.y + t * dy);
            float cover = r + 0.5f - sqrtf(ex * ex + ey * ey);
            if (cover <= 0)
                continue;
            uint8_t shade = (uint8_t)(255.0f * (1.0f - (cover > 1 ? 1 : cover)));
            uint8_t *at = &pen->gray[(size_t)y * (size_t)pen->w + (size_t)x];
            if (shade < *at)
                *at = shade;
        }
    }
}

kiosk_error ui_ink_png(const ui_ink *ink, uint8_t **png, size_t *length, int *width, int *height)
{
    *png = NULL;
    *length = 0;
    *width = *height = 0;
    if (ui_ink_empty(ink))
        return KIOSK_ERR_INVALID_ARGUMENT;
    /* Cropped to the ink, a pen's width of margin all round. */
    int left = INT16_MAX, top = INT16_MAX, right = INT16_MIN, bottom = INT16_MIN;
    for (size_t i = 0; i < ink->point_count; i++) {
        left = ink->points[i].x < left ? ink->points[i].x : left;
        right = ink->points[i].x > right ? ink->points[i].x : right;
        top = ink->points[i].y < top ? ink->points[i].y : top;
        bottom = ink->points[i].y > bottom ? ink->points[i].y : bottom;
    }
    float margin = ink->pen_px > 1 ? ink->pen_px : 1;
    float box_w = (float)(right - left) + 2 * margin, box_h = (float)(bottom - top) + 2 * margin;
    float scale = fminf((float)UI_INK_PNG_HEIGHT / box_h, (float)UI_INK_PNG_MAX_W / box_w);
    int w = clamp_int((int)ceilf(box_w * scale), 1, UI_INK_PNG_MAX_W), h = UI_INK_PNG_HEIGHT;
    image_pen pen = {
        .w = w,
        .h = h,
        .scale = scale,
        .x = ((float)w - ((float)(right - left)) * scale) / 2 - (float)left * scale,
        .y = ((float)h - ((float)(bottom - top)) * scale) / 2 - (float)top * scale,
        /* Legible however small the signature was drawn, never a blot. */
        .radius = fminf(fmaxf(ink->pen_px * scale / 2, 1.5f), 5.0f),
    };
    pen.gray = wipe_malloc((size_t)w * (size_t)h);
    uint32_t *pixels = wipe_malloc((size_t)w * (size_t)h * 4);
    if (!pen.gray || !pixels) {
        wipe_free(pen.gray);
        wipe_free(pixels);
        return KIOSK_ERR_NO_MEMORY;
    }
    memset(pen.gray, 0xff, (size_t)w * (size_t)h);
    for (size_t s = 0; s < ink->stroke_count; s++)
        stroke_segments(ink, s, image_segment, &pen);
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
        pixels[i] = 0xff000000u | (uint32_t)pen.gray[i] * 0x010101u;
    wipe_free(pen.gray);
    SDL_Surface *surface =
        SDL_CreateRGBSurfaceWithFormatFrom(pixels, w, h, 32, w * 4, SDL_PIXELFORMAT_ARGB8888);
    kiosk_error result =
        surface ? ui_image_encode_gray_png(surface, png, length) : KIOSK_ERR_NO_MEMORY;
    SDL_FreeSurface(surface);
    wipe_free(pixels);
    if (result == KIOSK_OK) {
        *width = w;
        *height = h;
    }
    return result;
}
