/* The QR view: encodes its text with libqrencode and draws the modules as
 * rectangles. See ui/qr_view.h. */
#include "ui/qr_view.h"

#include "firmware/base/log.h"

#include <qrencode.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A few codes can be on screen at once (a receipt and its follow-up link);
 * four keeps every frame a cache hit without holding many codes in memory. */
#define CACHE_ENTRIES 4

typedef struct cache_entry {
    char *data; /* owned copy; NULL when the slot is free */
    size_t length;
    QRcode *code;
    uint64_t last_used;
} cache_entry;

static cache_entry cache[CACHE_ENTRIES];
static uint64_t cache_clock;

/* What can stop a code from showing; each is logged once per session. */
typedef enum qr_problem {
    QR_OK = 0,
    QR_EMPTY = 1u << 0,
    QR_TOO_LONG = 1u << 1,
    QR_ENCODE_FAILED = 1u << 2,
    QR_TOO_SMALL = 1u << 3,
} qr_problem;

static unsigned warned;

static const SDL_Color light = {255, 255, 255, 255};
static const SDL_Color dark = {0, 0, 0, 255};
static const SDL_Color outline = {0xDD, 0xDD, 0xDD, 255};

/* explicit_bzero, not memset: a store right before free() may be removed by
 * the compiler, and what is zeroed here can identify a citizen. */
static void forget_entry(cache_entry *entry)
{
    if (entry->data) {
        explicit_bzero(entry->data, entry->length);
        free(entry->data);
    }
    if (entry->code) {
        /* The matrix spells out the data to anyone who reads it back. */
        explicit_bzero(entry->code->data, (size_t)entry->code->width * (size_t)entry->code->width);
        QRcode_free(entry->code);
    }
    *entry = (cache_entry){0};
}

void ui_qr_view_forget_all(void)
{
    for (size_t i = 0; i < CACHE_ENTRIES; i++)
        forget_entry(&cache[i]);
    cache_clock = 0;
    warned = 0;
}

/* The symbol of data, from the cache or newly encoded into it (evicting the
 * least recently used); NULL with *problem set when there is none. */
static const QRcode *symbol_of(const char *data, qr_problem *problem)
{
    /* strnlen: a runaway string is not read further than needed to refuse it. */
    size_t length = data ? strnlen(data, UI_QR_VIEW_MAX_BYTES + 1) : 0;
    if (length == 0) {
        *problem = QR_EMPTY;
        return NULL;
    }
    if (length > UI_QR_VIEW_MAX_BYTES) {
        *problem = QR_TOO_LONG;
        return NULL;
    }
    cache_entry *slot = &cache[0];
    for (size_t i = 0; i < CACHE_ENTRIES; i++) {
        cache_entry *entry = &cache[i];
        if (entry->data && entry->length == length && memcmp(entry->data, data, length) == 0) {
            entry->last_used = ++cache_clock;
            *problem = QR_OK;
            return entry->code;
        }
        if (slot->data && (!entry->data || entry->last_used < slot->last_used))
            slot = entry;
    }

    *problem = QR_ENCODE_FAILED;
    char *copy = malloc(length + 1);
    if (!copy)
        return NULL;
    memcpy(copy, data, length + 1);
    QRcode *code = QRcode_encodeString8bit(copy, 0, QR_ECLEVEL_M);
    if (!code || code->width <= 0) {
        if (code)
            QRcode_free(code);
        explicit_bzero(copy, length);
        free(copy);
        return NULL;
    }
    forget_entry(slot);
    *slot = (cache_entry){.data = copy, .length = length, .code = code, .last_used = ++cache_clock};
    *problem = QR_OK;
    return code;
}

int ui_qr_view_module_count(const char *data)
{
    qr_problem problem;
    const QRcode *code = symbol_of(data, &problem);
    return code ? code->width : 0;
}

static void warn_once(qr_problem problem, const ui_widget *widget, int modules)
{
    if (warned & problem)
        return;
    warned |= problem;
    /* The id and sizes say which code and why; the data itself is never logged. */
    switch (problem) {
    case QR_EMPTY:
        LOG_WARN("qr", "%s: no data to encode", widget->id);
        break;
    case QR_TOO_LONG:
        LOG_WARN("qr", "%s: data over %d bytes, not encoded", widget->id, UI_QR_VIEW_MAX_BYTES);
        break;
    case QR_ENCODE_FAILED:
        LOG_WARN("qr", "%s: encoding failed", widget->id);
        break;
    case QR_TOO_SMALL:
        LOG_WARN("qr", "%s: %dx%d px is too small for %d modules", widget->id, widget->bounds.w,
                 widget->bounds.h, modules);
        break;
    case QR_OK:
        break;
    }
}

static void draw_outline(const ui_widget *widget, ui_context *context)
{
    SDL_SetRenderDrawColor(context->renderer, outline.r, outline.g, outline.b, outline.a);
    SDL_RenderDrawRect(context->renderer, &widget->bounds);
}

static void draw_qr_view(const ui_widget *widget, ui_context *context)
{
    qr_problem problem;
    const QRcode *code = symbol_of(widget->text, &problem);
    int modules = code ? code->width + 2 * UI_QR_VIEW_QUIET_MODULES : 0;
    int side = widget->bounds.w < widget->bounds.h ? widget->bounds.w : widget->bounds.h;
    /* Whole pixels per module: a fractional size blurs module edges, which
     * costs scanners more than a smaller code does. */
    int module_px = code ? side / modules : 0;
    if (code && module_px < 1)
        problem = QR_TOO_SMALL;
    if (problem != QR_OK) {
        warn_once(problem, widget, modules);
        draw_outline(widget, context);
        return;
    }

    SDL_Renderer *renderer = context->renderer;
    int size = modules * module_px;
    SDL_Rect area = {widget->bounds.x + (widget->bounds.w - size) / 2,
                     widget->bounds.y + (widget->bounds.h - size) / 2, size, size};
    SDL_SetRenderDrawColor(renderer, light.r, light.g, light.b, light.a);
    SDL_RenderFillRect(renderer, &area);

    /* One rectangle per horizontal run of dark modules, not per module:
     * about half the draw calls on every frame (281 against 567 for a
     * tracking URL). */
    SDL_SetRenderDrawColor(renderer, dark.r, dark.g, dark.b, dark.a);
    int origin_x = area.x + UI_QR_VIEW_QUIET_MODULES * module_px;
    int origin_y = area.y + UI_QR_VIEW_QUIET_MODULES * module_px;
    int width = code->width;
    for (int row = 0; row < width; row++) {
        const unsigned char *line = code->data + (size_t)row * (size_t)width;
        int column = 0;
        while (column < width) {
            /* Bit 0 of each byte is the module's colour; the others say
             * what kind of module it is. */
            if (!(line[column] & 1)) {
                column++;
                continue;
            }
            int start = column;
            while (column < width && (line[column] & 1))
                column++;
            SDL_Rect run = {origin_x + start * module_px, origin_y + row * module_px,
                            (column - start) * module_px, module_px};
            SDL_RenderFillRect(renderer, &run);
        }
    }
}

const ui_widget_class ui_qr_view_class = {
    .name = "qr-view", .role = UI_ROLE_TEXT, .draw = draw_qr_view, .text_parts = NULL};

ui_widget *ui_qr_view_create(ui_widget *parent, const char *id, const char *data, SDL_Rect bounds)
{
    ui_widget *widget = ui_widget_create(parent, &ui_qr_view_class, id);
    if (!widget)
        return NULL;
    if (!ui_widget_set_text(widget, data)) {
        ui_widget_destroy(widget);
        return NULL;
    }
    widget->bounds = bounds;
    return widget;
}
