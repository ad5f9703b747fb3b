/* The frame shared by every screen in a session: title bar and footer. */
#include "ui/screens.h"

#include "ui/icons.h"
#include "ui/linebreak.h"

#include <stdio.h>
#include <string.h>

#define TITLE_BAR_DP 96
#define MARGIN_DP    24
#define GAP_DP       16
/* Narrow screens put the clock under the hall's name. */
#define TWO_ROW_TITLE_MAX_DP 720
#define FOOTER_ITEMS_MAX     10

const char *ui_frame_text(const ui_frame_model *frame, const char *key)
{
    if (frame->theme->simple_words) {
        char simple[96];
        snprintf(simple, sizeof simple, "%s.simple", key);
        const char *text = ui_strings_lookup(frame->strings, frame->language, simple);
        if (text)
            return text;
    }
    return ui_strings_get(frame->strings, frame->language, key);
}

int ui_frame_text_dp(const ui_frame_model *frame, float dp)
{
    return ui_dp(&frame->metrics, dp * frame->theme->text_scale);
}

static bool narrow_title(const ui_frame_model *frame);

int ui_frame_line_px(const ui_frame_model *frame, float dp)
{
    return ui_theme_text_px(frame->theme, &frame->metrics, dp) * 3 / 2;
}

/* Sizes of the frame's own controls. */
static int chrome_dp(const ui_frame_model *frame, float dp)
{
    return ui_dp(&frame->metrics, dp * ui_theme_chrome_scale(frame->theme));
}

static int chrome_line_px(const ui_frame_model *frame, float dp)
{
    return ui_theme_chrome_text_px(frame->theme, &frame->metrics, dp) * 3 / 2;
}

bool ui_frame_is_narrow(const ui_frame_model *frame)
{
    return narrow_title(frame);
}

void ui_clock_format(const ui_frame_model *frame, const struct tm *when, bool with_note, char *out,
                     size_t out_size)
{
    const ui_strings *strings = frame->strings;
    lang language = frame->language;
    /* A narrow screen's clock has one row: a note after it leaves no room
     * for the year and the weekday. */
    bool brief = narrow_title(frame) && (frame->theme->text_scale > 1.0f || with_note);
    char year[16], month[16], day[16], hour[16], minute[16], weekday_key[32];
    snprintf(year, sizeof year, "%d", when->tm_year + 1900);
    snprintf(month, sizeof month, "%d", when->tm_mon + 1);
    snprintf(day, sizeof day, "%d", when->tm_mday);
    snprintf(hour, sizeof hour, "%02d", when->tm_hour);
    snprintf(minute, sizeof minute, "%02d", when->tm_min);
    snprintf(weekday_key, sizeof weekday_key, "clock.weekday.%d", when->tm_wday % 7);
    /* English dates read "7 Dec 2026": the month by name, never a number
     * that could be the day. */
    static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const char *names[] = {"year", "month", "day", "hour", "minute", "weekday", "month_name"};
    const char *values[] = {year,
                            month,
                            day,
                            hour,
                            minute,
                            ui_strings_get(strings, language, weekday_key),
                            month_names[(unsigned)when->tm_mon % 12]};
    ui_strings_fill(
        ui_strings_get(strings, language, brief ? "clock.format.brief" : "clock.format"), names,
        values, 7, out, out_size);
}

static bool narrow_title(const ui_frame_model *frame)
{
    float width_dp = ui_px_to_dp(&frame->metrics, frame->metrics.width_px);
    return width_dp < TWO_ROW_TITLE_MAX_DP * ui_theme_chrome_scale(frame->theme);
}

static int estimate_width(const char *utf8, int px);

/* On a narrow screen the hall's name may need two lines. */
static int hall_lines(const ui_frame_model *frame)
{
    int margin = ui_dp(&frame->metrics, MARGIN_DP);
    /* Measured at the least size the name may be set in (it shrinks to fit
     * before it wraps). */
    int px = ui_theme_chrome_text_px(frame->theme, &frame->metrics, 0);
    bool long_name = estimate_width(frame->hall_name, px) > frame->metrics.width_px - 2 * margin;
    return narrow_title(frame) && long_name ? 2 : 1;
}

static int title_bar_height(const ui_frame_model *frame)
{
    if (!narrow_title(frame))
        return chrome_dp(frame, TITLE_BAR_DP);
    int margin = ui_dp(&frame->metrics, MARGIN_DP);
    return hall_lines(frame) * chrome_line_px(frame, 28) + chrome_line_px(frame, 22) + margin / 2;
}

static bool build_title_bar(ui_widget *root, const ui_frame_model *frame)
{
    const ui_metrics *m = &frame->metrics;
    int height = title_bar_height(frame), margin = ui_dp(m, MARGIN_DP);
    int width = m->width_px;
    bool two_rows = narrow_title(frame);
    ui_widget *bar =
        ui_panel_create(root, UI_ID_TITLE_BAR, (SDL_Rect){0, 0, width, height}, UI_TONE_TITLE_BAR);
    if (!bar)
        return false;
    SDL_Rect hall_box, clock_box;
    if (two_rows) {
        int hall_h = hall_lines(frame) * chrome_line_px(frame, 28);
        hall_box = (SDL_Rect){margin, margin / 4, width - 2 * margin, hall_h};
        clock_box =
            (SDL_Rect){margin, margin / 4 + hall_h, width - 2 * margin, chrome_line_px(frame, 22)};
    } else {
        int clock_width = width * 2 / 5;
        hall_box = (SDL_Rect){margin, 0, width - clock_width - 3 * margin, height};
        clock_box = (SDL_Rect){width - clock_width - margin, 0, clock_width, height};
    }
    ui_widget *hall = ui_heading_create(bar, UI_ID_HALL, frame->hall_name, hall_box);
    ui_widget *clock = ui_label_create(bar, UI_ID_CLOCK, frame->clock_text, clock_box);
    if (!hall || !clock)
        return false;
    hall->tone = clock->tone = UI_TONE_TITLE_BAR;
    hall->chrome = clock->chrome = true;
    hall->align = UI_ALIGN_START;
    clock->align = two_rows ? UI_ALIGN_START : UI_ALIGN_END;
    hall->text_dp = two_rows ? 28 : 32;
    clock->text_dp = two_rows ? 22 : 26;
    return true;
}

/* A footer button before placement: its text and how wide it wants to be. */
typedef struct footer_item {
    char id[32];
    const char *text;
    ui_action action;
    int arg;
    int text_lang; /* -1: the screen's */
    ui_tone tone;
    int want_px;
} footer_item;

/* Roughly how wide text is at size px: a CJK character is an em, others about
 * half. Only for choosing rows; the audit checks what is really drawn. */
static int estimate_width(const char *utf8, int px)
{
    int width = 0;
    for (const unsigned char *p = (const unsigned char *)utf8; *p; p++) {
        if (*p >= 0xE0)
            width += px;
        else if (*p < 0x80)
            width += px * 11 / 20;
    }
    return width;
}

/* Closer than the footer's estimate, for setting text in lines: the
 * advance of each printable ASCII character in Noto Sans CJK, the kiosk's
 * font, in hundredths of an em. */
static const unsigned char ascii_hundredths[95] = {
    22, 32, 45, 56, 56, 90, 68, 28, 34, 34, 47, 56, 28, 35, 28, 39, /*  !"#$%&'()*+,-./ */
    56, 56, 56, 56, 56, 56, 56, 56, 56, 56, 28, 28, 56, 56, 56, 47, /* 0-9 :;<=>? */
    95, 61, 66, 64, 69, 59, 55, 69, 73, 29, 54, 65, 54, 81, 72, 74, /* @A-O */
    63, 74, 64, 60, 60, 72, 58, 88, 57, 55, 60, 34, 39, 34, 56, 50, /* P-Z [\]^_ */
    56, 56, 62, 51, 62, 55, 36, 56, 61, 28, 33, 55, 28, 93, 61, 61, /* `a-o */
    62, 62, 39, 47, 38, 61, 52, 80, 50, 52, 48, 34, 28, 34, 56,     /* p-z {|}~ */
};

static int estimate_run(const char *utf8, size_t length, int px)
{
    int hundredths = 0;
    const unsigned char *p = (const unsigned char *)utf8;
    for (size_t i = 0; i < length && p[i]; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7F)
            hundredths += ascii_hundredths[p[i] - 0x20];
        else if (p[i] >= 0xE0 || (p[i] == 0xC2 && i + 1 < length && p[i + 1] == 0xB7))
            hundredths += 100; /* CJK, and the marks the CJK font sets full width: "·" */
        else if (p[i] >= 0xC0)
            hundredths += 60; /* "é" */
    }
    return (hundredths * px + 99) / 100;
}

int ui_frame_estimate_width(const char *utf8, int px)
{
    return utf8 ? estimate_run(utf8, strlen(utf8), px) : 0;
}

int ui_frame_lines_for(const ui_frame_model *frame, const char *text, float dp, int width, int most)
{
    return ui_frame_lines_at(text, ui_theme_text_px(frame->theme, &frame->metrics, dp), width,
                             most);
}

static int measure_estimate(void *user, const char *utf8, size_t length)
{
    return estimate_run(utf8, length, *(const int *)user);
}

int ui_frame_lines_at(const char *text, int px, int width, int most)
{
    /* Broken where the renderer breaks it (the same rules), with widths
     * estimated (kerning aside, the font's own), a pixel kept back for
     * rounding. */
    ui_line lines[16];
    bool more = false;
    size_t count = ui_linebreak(text, width - 1, measure_estimate, &px, lines,
                                sizeof lines / sizeof lines[0], &more);
    int need = count ? (int)count : 1;
    if (more)
        need = most;
    return need < most ? need : most;
}

int ui_frame_columns(const ui_frame_model *frame, int width, float min_dp)
{
    int gap = ui_dp(&frame->metrics, GAP_DP);
    return width >= 2 * ui_frame_text_dp(frame, min_dp) + gap ? 2 : 1;
}

static int footer_items(const ui_frame_model *frame, footer_item items[FOOTER_ITEMS_MAX])
{
    int count = 0;
    for (int i = 0; i < LANG_COUNT; i++) {
        footer_item *item = &items[count++];
        snprintf(item->id, sizeof item->id, UI_ID_FOOTER_LANG_FMT, lang_code((lang)i));
        /* Each language names itself, in its own font. */
        item->text = ui_strings_get(frame->strings, (lang)i, "lang.autonym");
        item->action = UI_ACTION_SET_LANG;
        item->arg = i;
        item->text_lang = i;
        item->tone = i == (int)frame->language ? UI_TONE_SELECTED : UI_TONE_SECONDARY;
    }
    if (frame->theme_switches && !frame->reader_on) {
        bool contrast = frame->theme_id == UI_THEME_HIGH_CONTRAST;
        bool elder = frame->theme_id == UI_THEME_ELDER;
        items[count++] = (footer_item){
            .id = UI_ID_FOOTER_CONTRAST,
            .text = ui_strings_get(frame->strings, frame->language,
                                   contrast ? "footer.contrast.off" : "footer.contrast"),
            .action = UI_ACTION_SET_THEME,
            .arg = contrast ? UI_THEME_STANDARD : UI_THEME_HIGH_CONTRAST,
            .text_lang = -1,
            .tone = UI_TONE_SECONDARY};
        items[count++] = (footer_item){
            .id = UI_ID_FOOTER_ELDER,
            .text = ui_strings_get(frame->strings, frame->language,
                                   elder ? "footer.elder_mode.off" : "footer.elder_mode"),
            .action = UI_ACTION_SET_THEME,
            .arg = elder ? UI_THEME_STANDARD : UI_THEME_ELDER,
            .text_lang = -1,
            .tone = UI_TONE_SECONDARY};
    }
    /* While reading aloud, the volume in the theme switches' place (the
     * footer keeps its size: no page loses room to it): quieter, louder.
     * The keypad's volume keys work on every screen. */
    if (frame->theme_switches && frame->reader_on) {
        items[count++] = (footer_item){
            .id = UI_ID_FOOTER_QUIETER,
            .text = ui_strings_get(frame->strings, frame->language, "footer.volume.down"),
            .action = UI_ACTION_VOLUME,
            .arg = -1,
            .text_lang = -1,
            .tone = UI_TONE_SECONDARY};
        items[count++] = (footer_item){
            .id = UI_ID_FOOTER_LOUDER,
            .text = ui_strings_get(frame->strings, frame->language, "footer.volume.up"),
            .action = UI_ACTION_VOLUME,
            .arg = +1,
            .text_lang = -1,
            .tone = UI_TONE_SECONDARY};
    }
    /* Screen-reader mode, on every screen: a citizen who cannot read the
     * glass turns it on where they are. */
    items[count++] =
        (footer_item){.id = UI_ID_FOOTER_READER,
                      .text = ui_strings_get(frame->strings, frame->language, "footer.reader"),
                      .action = UI_ACTION_ACCESSIBILITY,
                      .text_lang = -1,
                      .tone = frame->reader_on ? UI_TONE_SELECTED : UI_TONE_SECONDARY};
    /* Help everywhere but on help itself, where it would lead nowhere. */
    if (!frame->no_help)
        items[count++] =
            (footer_item){.id = UI_ID_FOOTER_HELP,
                          .text = ui_strings_get(frame->strings, frame->language, "footer.help"),
                          .action = UI_ACTION_HELP,
                          .text_lang = -1,
                          .tone = UI_TONE_PRIMARY};
    int text_px = ui_theme_chrome_text_px(frame->theme, &frame->metrics, frame->theme->button_dp);
    int padding = ui_dp(&frame->metrics, 2 * 12 + 8);
    for (int i = 0; i < count; i++)
        items[i].want_px = estimate_width(items[i].text, text_px) + padding;
    /* Help and reading aloud carry their pictograms before their words
     * (ui_button_set_icon): they ask for its room twice over, so the pair
     * keeps a margin either side. */
    for (int i = 0; i < count; i++) {
        if (items[i].action == UI_ACTION_HELP || items[i].action == UI_ACTION_ACCESSIBILITY)
            items[i].want_px += 2 * ui_icon_room_px(text_px);
    }
    return count;
}

/* Rows of the footer: everything in one row when it fits; otherwise in order
 * (languages, theme switches, help last), as many to a row as fit. Returns
 * the row count and the first item of each row in starts[] (starts[rows] =
 * count). */
static int plan_footer_rows(const footer_item *items, int count, int width, int gap, int *starts)
{
    int rows = 0, used = 0;
    starts[0] = 0;
    for (int i = 0; i < count; i++) {
        /* Reading aloud keeps to the row of help, the two ways to be
         * helped, so that it never costs the page a row of its own. */
        bool pair = (items[i].action == UI_ACTION_ACCESSIBILITY && i + 1 < count &&
                     items[i + 1].action == UI_ACTION_HELP) ||
                    /* quieter and louder side by side */
                    (items[i].action == UI_ACTION_VOLUME && i + 1 < count &&
                     items[i + 1].action == UI_ACTION_VOLUME);
        int own = items[i].want_px + (pair ? gap + items[i + 1].want_px : 0);
        int need = own + (i == starts[rows] ? 0 : gap);
        if (i > starts[rows] && used + need > width) {
            starts[++rows] = i;
            used = own;
        } else {
            used += need;
        }
        if (pair)
            i++;
    }
    starts[++rows] = count;
    return rows;
}

static int footer_row_height(const ui_frame_model *frame)
{
    return chrome_dp(frame, 64) + ui_dp(&frame->metrics, GAP_DP);
}

static int footer_layout(const ui_frame_model *frame, footer_item *items, int *count, int *starts)
{
    int margin = ui_dp(&frame->metrics, MARGIN_DP), gap = ui_dp(&frame->metrics, GAP_DP);
    *count = footer_items(frame, items);
    int rows = plan_footer_rows(items, *count, frame->metrics.width_px - 2 * margin, gap, starts);
    /* Without help beside it (the help screen) reading aloud never takes a
     * row of its own from the page: there it is left out where it would. */
    if (rows > 1 && starts[rows - 1] == *count - 1 &&
        items[*count - 1].action == UI_ACTION_ACCESSIBILITY) {
        (*count)--;
        rows = plan_footer_rows(items, *count, frame->metrics.width_px - 2 * margin, gap, starts);
    }
    return rows;
}

static bool build_footer(ui_widget *root, const ui_frame_model *frame, SDL_Rect footer)
{
    const ui_metrics *m = &frame->metrics;
    int margin = ui_dp(m, MARGIN_DP), gap = ui_dp(m, GAP_DP);
    footer_item items[FOOTER_ITEMS_MAX];
    int count = 0, starts[FOOTER_ITEMS_MAX + 2];
    int rows = footer_layout(frame, items, &count, starts);
    int row_h = footer_row_height(frame);
    ui_widget *panel = ui_panel_create(root, UI_ID_FOOTER, footer, UI_TONE_FOOTER);
    if (!panel)
        return false;

    for (int row = 0; row < rows; row++) {
        int first = starts[row], last = starts[row + 1];
        int wanted = 0;
        for (int i = first; i < last; i++)
            wanted += items[i].want_px;
        /* Share the row's spare width out in proportion to what each wants. */
        int room = footer.w - 2 * margin - (last - first - 1) * gap;
        int x = footer.x + margin;
        int y = footer.y + row * row_h + gap;
        for (int i = first; i < last; i++) {
            int w = i == last - 1 ? footer.x + footer.w - margin - x
                                  : (int)((long)room * items[i].want_px / (wanted ? wanted : 1));
            ui_widget *button =
                ui_button_create(panel, items[i].id, items[i].text,
                                 (SDL_Rect){x, y, w, row_h - gap}, items[i].action, items[i].arg);
            if (!button)
                return false;
            button->text_lang = items[i].text_lang;
            button->tone = items[i].tone;
            button->chrome = true;
            if (items[i].action == UI_ACTION_HELP && !ui_button_set_icon(button, "support_agent"))
                return false;
            if (items[i].action == UI_ACTION_ACCESSIBILITY) {
                if (frame->reader_on)
                    button->flags |= UI_FLAG_CHECKED;
                if (!ui_button_set_icon(button, "record_voice_over"))
                    return false;
            }
            x += w + gap;
        }
    }
    return true;
}

ui_widget *ui_frame_build(const ui_frame_model *frame, SDL_Rect *content)
{
    const ui_metrics *m = &frame->metrics;
    SDL_Rect whole = {0, 0, m->width_px, m->height_px};
    ui_widget *root = ui_panel_create(NULL, UI_ID_PAGE, whole, UI_TONE_PLAIN);
    if (!root)
        return NULL;
    footer_item items[FOOTER_ITEMS_MAX];
    int count = 0, starts[FOOTER_ITEMS_MAX + 2];
    int rows = footer_layout(frame, items, &count, starts);
    int footer_h = rows * footer_row_height(frame) + ui_dp(m, GAP_DP);
    SDL_Rect footer = {0, whole.h - footer_h, whole.w, footer_h};
    if (!build_title_bar(root, frame) || !build_footer(root, frame, footer)) {
        ui_widget_destroy(root);
        return NULL;
    }
    int top = title_bar_height(frame);
    *content = (SDL_Rect){0, top, whole.w, footer.y - top};
    return root;
}
