#include "ui/icons.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The code points, as the package's scss/_variables.scss names them, each
 * checked against the font's character map by tests/ui/test_icons.c. */
static const struct {
    const char *name;
    uint32_t codepoint;
} icons[] = {
    {"apps", 0xE5C3},                        /* the generic service */
    {"verified_user", 0xE8E8},               /* 社保参保证明 */
    {"account_balance", 0xE84F},             /* 公积金 */
    {"house", 0xEA44},                       /* 不动产 */
    {"description", 0xE873},                 /* a certificate */
    {"business", 0xE0AF},                    /* 营业执照 */
    {"confirmation_number", 0xE638},         /* 取号 */
    {"timeline", 0xE922},                    /* 办件进度 */
    {"star", 0xE838},                        /* 好差评 */
    {"family_restroom", 0xF1A2},             /* 户籍 */
    {"local_hospital", 0xE548},              /* 医保 */
    {"receipt_long", 0xEF6E},                /* 纳税证明 */
    {"badge", 0xEA67},                       /* 电子证照 */
    {"child_friendly", 0xEB42},              /* 新生儿 */
    {"support_agent", 0xF0E2},               /* help, staff */
    {"record_voice_over", 0xE91F},           /* reading aloud (screen-reader mode) */
    {"phone_in_talk", 0xE61D},               /* the hotline */
    {"home", 0xE88A},                        /* home */
    {"print", 0xE8AD},                       /* print */
    {"print_disabled", 0xE9CF},              /* the printer cannot print */
    {"wifi_off", 0xE648},                    /* the link is down */
    {"warning", 0xE002},                     /* something to know first */
    {"sentiment_very_satisfied", 0xE815},    /* 非常满意 */
    {"sentiment_satisfied", 0xE813},         /* 满意 */
    {"sentiment_neutral", 0xE812},           /* 基本满意 */
    {"sentiment_dissatisfied", 0xE811},      /* 不满意 */
    {"sentiment_very_dissatisfied", 0xE814}, /* 非常不满意 */
    {"radio_button_checked", 0xE837},        /* the one choice made */
    {"radio_button_unchecked", 0xE836},      /* a choice not made */
    {"check", 0xE5CA},                       /* done, confirm */
    {"qr_code", 0xEF6B}, /* a code shown on a phone: a picture, never a code that scans */
    /* The main actions (action_icons below says which words take which). */
    {"arrow_forward", 0xE5C8},   /* next */
    {"arrow_back", 0xE5C4},      /* back */
    {"close", 0xE5CD},           /* cancel */
    {"send", 0xE163},            /* submit */
    {"refresh", 0xE5D5},         /* try again */
    {"logout", 0xE9BA},          /* end the visit */
    {"add", 0xE145},             /* another service */
    {"skip_next", 0xE044},       /* skip */
    {"navigate_before", 0xE408}, /* the previous page */
    {"navigate_next", 0xE409},   /* the next page */
    {"keyboard", 0xE312},        /* type it instead */
    {"search", 0xE8B6},          /* look it up */
    {"hourglass_empty", 0xE88B}, /* being looked up */
    {"delete", 0xE872},          /* clear the signature */
    {"edit", 0xE3C9},            /* sign again */
    {"more_time", 0xEA5D},       /* still here: more time */
};
#define ICON_COUNT (sizeof icons / sizeof icons[0])

/* The main actions' pictograms, by the string key of their words: the
 * same words carry the same picture on every screen. */
static const struct {
    const char *key, *icon;
    bool after; /* a way forward: the pictogram after the words, pointing on */
} action_icons[] = {
    {"step.next", "arrow_forward", true},
    {"step.back", "arrow_back", false},
    {"sign.back", "arrow_back", false},
    {"step.cancel", "close", false},
    {"step.submit", "send", false},
    {"edit.done", "check", false},
    {"sign.done", "check", false},
    {"type.done", "check", false},
    {"result.done", "check", false},
    {"print.finish", "check", false},
    {"document.print", "print", false},
    {"result.print", "print", false},
    {"document.again", "refresh", false},
    {"print.retry", "refresh", false},
    {"card.type_instead", "keyboard", false},
    {"scan.type", "keyboard", false},
    {"sign.by_key", "keyboard", false},
    {"lookup.ask", "search", false},
    {"scan.looking_up", "hourglass_empty", false},
    {"common.back_home", "home", false},
    {"session.end", "logout", false},
    {"timeout.end", "logout", false},
    {"timeout.continue", "more_time", false},
    {"finished.more", "add", false},
    {"rate.skip", "skip_next", false},
    {"home.previous", "navigate_before", false},
    {"document.previous", "navigate_before", false},
    {"home.next", "navigate_next", true},
    {"document.following", "navigate_next", true},
    {"sign.clear", "delete", false},
    {"sign.redo", "edit", false},
    {"help.call", "support_agent", false},
};
#define ACTION_COUNT (sizeof action_icons / sizeof action_icons[0])

const char *ui_icon_for_key(const char *key)
{
    for (size_t i = 0; key && i < ACTION_COUNT; i++) {
        if (strcmp(action_icons[i].key, key) == 0)
            return action_icons[i].icon;
    }
    return NULL;
}

bool ui_icon_after_words(const char *key)
{
    for (size_t i = 0; key && i < ACTION_COUNT; i++) {
        if (strcmp(action_icons[i].key, key) == 0)
            return action_icons[i].after;
    }
    return false;
}

size_t ui_icon_action_count(void)
{
    return ACTION_COUNT;
}

const char *ui_icon_action_key_at(size_t index)
{
    return index < ACTION_COUNT ? action_icons[index].key : NULL;
}

static int icon_index(const char *name)
{
    for (size_t i = 0; name && i < ICON_COUNT; i++) {
        if (strcmp(icons[i].name, name) == 0)
            return (int)i;
    }
    return -1;
}

bool ui_icon_known(const char *name)
{
    return icon_index(name) >= 0;
}

uint32_t ui_icon_codepoint(const char *name)
{
    int index = icon_index(name);
    return icons[index >= 0 ? index : 0].codepoint;
}

void ui_icon_utf8(const char *name, char out[8])
{
    uint32_t cp = ui_icon_codepoint(name);
    /* Every code point of the table is in the BMP's private use area:
     * three bytes. */
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    out[3] = '\0';
}

size_t ui_icon_count(void)
{
    return ICON_COUNT;
}

const char *ui_icon_name_at(size_t index)
{
    return index < ICON_COUNT ? icons[index].name : NULL;
}

/* An icon widget keeps the UTF-8 of its glyph. */
typedef struct icon_data {
    char glyph[8];
} icon_data;

static size_t icon_parts(const ui_widget *widget, ui_context *context, ui_text_part *parts)
{
    const icon_data *data = widget->data;
    if (!data)
        return 0;
    int side = widget->bounds.w < widget->bounds.h ? widget->bounds.w : widget->bounds.h;
    parts[0] = (ui_text_part){
        .text = data->glyph,
        .language = UI_TEXT_ICONS,
        .style = {.size_px = side, .color = context->theme->tones[widget->tone].text},
        .box = widget->bounds,
        .align = UI_ALIGN_CENTER};
    return 1;
}

const ui_widget_class ui_icon_class = {.name = "icon",
                                       .role = UI_ROLE_TEXT,
                                       .text_parts = icon_parts,
                                       .destroy_data = ui_widget_free_data};

ui_widget *ui_icon_create(ui_widget *parent, const char *id, const char *name, SDL_Rect bounds,
                          ui_tone tone)
{
    icon_data *data = calloc(1, sizeof *data);
    ui_widget *icon = data ? ui_widget_create(parent, &ui_icon_class, id) : NULL;
    if (!icon) {
        free(data);
        return NULL;
    }
    ui_icon_utf8(name, data->glyph);
    icon->data = data;
    icon->bounds = bounds;
    icon->tone = tone;
    return icon;
}

int ui_icon_button_want_px(const ui_frame_model *frame, const char *words, float text_dp,
                           bool chrome)
{
    int px = chrome ? ui_theme_chrome_text_px(frame->theme, &frame->metrics, text_dp)
                    : ui_theme_text_px(frame->theme, &frame->metrics, text_dp);
    /* A button's padding each side (ui_button_class), and a little for
     * what the estimate misses. */
    return ui_frame_estimate_width(words, px) + ui_icon_room_px(px) +
           ui_dp(&frame->metrics, 2 * 12 + 8);
}

void ui_icon_button_row(SDL_Rect row, int gap, int want_first, int want_second, SDL_Rect *first,
                        SDL_Rect *second)
{
    int room = row.w - gap, half = room / 2;
    int first_w = half, second_w = half;
    if (want_first > half || want_second > half) {
        int spare = room - want_first - want_second;
        long wanted = (long)want_first + want_second;
        first_w = spare >= 0 ? want_first + spare / 2
                             : (int)((long)room * want_first / (wanted > 0 ? wanted : 1));
        second_w = room - first_w;
    }
    *first = (SDL_Rect){row.x, row.y, first_w, row.h};
    *second = (SDL_Rect){row.x + first_w + gap, row.y, second_w, row.h};
}

void ui_icon_draw(ui_context *context, const char *name, SDL_Rect box, int size_px,
                  SDL_Color colour)
{
    char glyph[8];
    ui_icon_utf8(name, glyph);
    ui_text_draw(context->text, UI_TEXT_ICONS, glyph,
                 (ui_text_style){.size_px = size_px, .color = colour}, box, UI_ALIGN_CENTER);
}

bool ui_button_set_icon_for(ui_widget *button, const char *key)
{
    return ui_icon_after_words(key) ? ui_button_set_icon_after(button, ui_icon_for_key(key))
                                    : ui_button_set_icon(button, ui_icon_for_key(key));
}

ui_widget *ui_icon_before_text(ui_widget *widget, const ui_frame_model *frame, const char *name,
                               float text_dp)
{
    int px = widget->chrome ? ui_theme_chrome_text_px(frame->theme, &frame->metrics, text_dp)
                            : ui_theme_text_px(frame->theme, &frame->metrics, text_dp);
    int words = ui_frame_estimate_width(widget->text, px);
    int gap = px / 3, side = px * 6 / 5;
    int centre = widget->bounds.x + widget->bounds.w / 2;
    int x = centre - words / 2 - gap - side;
    int least = widget->bounds.x + ui_dp(&frame->metrics, 8);
    /* No room beside the words (a long line on a narrow screen): the words
     * alone, rather than a pictogram over them. */
    if (x < least)
        return widget;
    char id[UI_ID_MAX];
    snprintf(id, sizeof id, "%.38s.icon", widget->id);
    ui_widget *icon = ui_icon_create(
        widget, id, name,
        (SDL_Rect){x, widget->bounds.y + (widget->bounds.h - side) / 2, side, side}, widget->tone);
    if (icon)
        icon->chrome = widget->chrome;
    return icon;
}
