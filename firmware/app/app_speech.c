/* What the terminal says, and when. See app_speech.h and docs/speech.md.
 *
 * Everything said is composed from the semantic tree of the screen shown:
 * the words spoken are the words on the glass, so a citizen who hears and a
 * citizen who reads are told the same thing. Personal data (a widget marked
 * UI_FLAG_PERSONAL, or inside one) is never said through the speaker; with
 * headphones it is said masked, and in full only when the citizen asks
 * (the repeat key on the same control). */
#include "firmware/app/app_speech.h"

#include "firmware/app/app_session.h"
#include "firmware/base/log.h"
#include "firmware/speech/speech.h"
#include "ui/keyboard.h"
#include "ui/widget_ids.h"

#include <stdio.h>
#include <string.h>

#define SPEECH_LOG "speech"

/* Long enough for a screen's prompt; a help page is read a part at a time. */
#define SAY_MAX 1024

/* What was said, for the test control channel and the transcript of a
 * journey. Kept only while a session lasts (it may hold what headphones
 * heard) and wiped with it. */
#define TRANSCRIPT_MAX 96

typedef struct said {
    unsigned long seq;
    lang language;
    bool headphones;
    bool interrupt;
    char voice[24];
    char screen[24];
    char text[SAY_MAX];
} said;

/* The screens' prompts: the widgets read, in order, when a screen is
 * shown (the first headings and its one instruction); whatever is absent
 * or empty is skipped. A screen not listed here is read by the general
 * rule: its headings and the first text after them. */
typedef struct prompt_rule {
    app_screen screen;
    const char *ids[4];
} prompt_rule;

static const prompt_rule prompt_rules[] = {
    {APP_SCREEN_ATTRACT, {UI_ID_ATTRACT_START}},
    {APP_SCREEN_HOME, {UI_ID_HOME_PROMPT}},
    {APP_SCREEN_IDENTIFY, {UI_ID_STEP_TITLE, UI_ID_IDENTIFY_FIELD, UI_ID_IDENTIFY_PROBLEM}},
    {APP_SCREEN_CARD, {UI_ID_STEP_TITLE, UI_ID_CARD_PROMPT, UI_ID_CARD_STATUS}},
    {APP_SCREEN_TAKE_CARD, {UI_ID_CARD_TAKE_BACK, UI_ID_CARD_TAKE_BODY}},
    {APP_SCREEN_FORM, {UI_ID_STEP_TITLE, UI_ID_FORM_INTRO}},
    {APP_SCREEN_FIELD, {UI_ID_STEP_TITLE, UI_ID_EDIT_LABEL, UI_ID_EDIT_HELP, UI_ID_EDIT_PROBLEM}},
    {APP_SCREEN_MATERIALS, {UI_ID_STEP_TITLE, UI_ID_MATERIALS_INTRO, UI_ID_MATERIALS_PROBLEM}},
    {APP_SCREEN_CONFIRM, {UI_ID_STEP_TITLE, UI_ID_CONFIRM_INTRO, UI_ID_CONFIRM_NOTE}},
    {APP_SCREEN_RESULT, {UI_ID_RESULT_TITLE, "result.note"}},
    {APP_SCREEN_PRINT, {UI_ID_PRINT_TITLE, UI_ID_PRINT_BODY}},
    {APP_SCREEN_RATE, {UI_ID_RATE_TITLE, UI_ID_RATE_PROMPT}},
    {APP_SCREEN_FINISHED, {UI_ID_FINISHED_TITLE, UI_ID_FINISHED_PROMPT}},
    {APP_SCREEN_SCAN, {UI_ID_SCAN_TITLE, "scan.prompt", "scan.where", UI_ID_SCAN_STATUS}},
    {APP_SCREEN_LOOKUP, {UI_ID_NOTICE_TITLE, UI_ID_NOTICE_BODY}},
    {APP_SCREEN_ANSWER, {UI_ID_NOTICE_TITLE, UI_ID_NOTICE_BODY}},
    {APP_SCREEN_HELP, {UI_ID_HELP_TITLE, UI_ID_HELP_BODY, UI_ID_HELP_STATUS}},
    {APP_SCREEN_ERROR, {UI_ID_ERROR_TITLE, UI_ID_ERROR_WHAT, UI_ID_ERROR_NEXT}},
    {APP_SCREEN_TIMEOUT, {UI_ID_TIMEOUT_TITLE, "timeout.body"}},
    /* Short of room the field's label is the title. */
    {APP_SCREEN_TYPE, {UI_ID_STEP_TITLE, UI_ID_TYPE_LABEL, UI_ID_TYPE_PROBLEM}},
    {APP_SCREEN_DOCUMENT, {"document.title", "document.intro", "document.status"}},
    {APP_SCREEN_SIGN, {UI_ID_SIGN_LABEL, UI_ID_SIGN_HINT}},
};

/* Live changes said in guidance mode too: the reader's, the scanner's and
 * the printer's states, what went wrong on a step, a call answered. (In
 * screen-reader mode every live change is said but the clock's.) */
static const char *const guided_live_ids[] = {
    UI_ID_CARD_STATUS,  UI_ID_SCAN_STATUS,      UI_ID_PRINT_TITLE,  UI_ID_PRINT_BODY,
    UI_ID_HELP_STATUS,  UI_ID_IDENTIFY_PROBLEM, UI_ID_EDIT_PROBLEM, UI_ID_MATERIALS_PROBLEM,
    UI_ID_TYPE_PROBLEM, "document.status",
};

static struct {
    speech *out;
    bool reader;
    bool headphones;
    int hall_volume;
    /* The screen and language last announced: a rebuild for news is not a
     * new screen; a language chosen mid-sentence is. */
    bool announced;
    app_screen announced_screen;
    lang announced_language;
    char prompt[SAY_MAX]; /* the current screen's prompt, for repeat */
    char focused_id[UI_ID_MAX];
    bool asked_in_full; /* repeat pressed on the focused control */
    said transcript[TRANSCRIPT_MAX];
    unsigned long said_count;
    kiosk_app *app; /* for the live listener */
} voice;

/* ---- what may be said ---------------------------------------------------- */

static bool is_personal(const ui_widget *widget)
{
    for (const ui_widget *w = widget; w; w = w->parent)
        if (w->flags & UI_FLAG_PERSONAL)
            return true;
    return false;
}

static bool is_hidden(const ui_widget *widget)
{
    for (const ui_widget *w = widget; w; w = w->parent)
        if (w->flags & UI_FLAG_HIDDEN)
            return true;
    return false;
}

static void append(char *out, size_t size, const char *text)
{
    size_t used = strlen(out);
    if (!text || !text[0] || used + 1 >= size)
        return;
    snprintf(out + used, size - used, "%s%s", used ? "\n" : "", text);
}

/* A personal text as headphones may hear it unasked: the digits but the
 * last four hidden; of other text, the first character. */
static void masked(const char *text, char *out, size_t size)
{
    size_t digits = 0;
    for (const char *p = text; *p; p++)
        digits += *p >= '0' && *p <= '9';
    size_t used = 0, seen = 0;
    bool first = true;
    for (const unsigned char *p = (const unsigned char *)text; *p && used + 5 < size;) {
        size_t length = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
        bool digit = *p >= '0' && *p <= '9';
        bool keep = digits >= 4 ? !digit || ++seen > digits - 4 : first;
        if (keep) {
            for (size_t i = 0; i < length && p[i]; i++)
                out[used++] = (char)p[i];
        } else if (used == 0 || out[used - 1] != '*') {
            out[used++] = '*';
        }
        first = false;
        p += length;
    }
    out[used] = '\0';
}

/* The words of widget (and what it holds, for a row of texts) as they may
 * be said now. */
static void personal_words(kiosk_app *app, const char *text, bool in_full, char *out, size_t size)
{
    if (!voice.headphones) {
        append(out, size, ui_strings_get(app_strings(app), app_language(app), "speech.hidden"));
    } else if (in_full) {
        append(out, size, text);
    } else {
        char hidden[SAY_MAX];
        masked(text, hidden, sizeof hidden);
        append(out, size, hidden);
        explicit_bzero(hidden, sizeof hidden);
    }
}

/* The words of widget as they may be said now: its text and detail (a
 * row's label and value, a tile's name and summary); a widget with no
 * text of its own, what it holds. */
static void words_of(kiosk_app *app, const ui_widget *widget, bool in_full, char *out, size_t size)
{
    if (is_hidden(widget))
        return;
    const char *text = widget->text, *detail = widget->detail;
    if (text && text[0]) {
        if (is_personal(widget))
            personal_words(app, text, in_full, out, size);
        else
            append(out, size, text);
        if (detail && detail[0] && (widget->flags & UI_FLAG_PERSONAL_DETAIL))
            personal_words(app, detail, in_full, out, size);
        else if (detail && detail[0])
            append(out, size, detail);
        return;
    }
    for (const ui_widget *child = widget->first_child; child; child = child->next_sibling)
        if (child->class_->role != UI_ROLE_BUTTON)
            words_of(app, child, in_full, out, size);
}

/* ---- saying it ------------------------------------------------------------ */

static void record(kiosk_app *app, lang language, const char *text, bool interrupt)
{
    said *entry = &voice.transcript[voice.said_count % TRANSCRIPT_MAX];
    explicit_bzero(entry, sizeof *entry);
    entry->seq = ++voice.said_count;
    entry->language = language;
    entry->headphones = voice.headphones;
    entry->interrupt = interrupt;
    snprintf(entry->voice, sizeof entry->voice, "%s",
             voice.out ? speech_voice_of(voice.out, entry->language) : "");
    snprintf(entry->screen, sizeof entry->screen, "%s", app_screen_name(app));
    snprintf(entry->text, sizeof entry->text, "%s", text);
}

/* Says text in language's voice; the transcript has only what was taken. */
static void say_in(kiosk_app *app, lang language, const char *text, bool interrupt)
{
    if (!text || !text[0] || !voice.out)
        return;
    if (!speech_say(voice.out, language, text, interrupt)) {
        LOG_WARN(SPEECH_LOG, "a prompt could not be said (%zu bytes)", strlen(text));
        return;
    }
    record(app, language, text, interrupt);
}

static void say(kiosk_app *app, const char *text, bool interrupt)
{
    say_in(app, app_language(app), text, interrupt);
}

bool app_speech_say_now(kiosk_app *app, const char *text)
{
    unsigned long before = voice.said_count;
    say(app, text, true);
    return voice.said_count != before;
}

static void say_key(kiosk_app *app, const char *key, bool interrupt)
{
    say(app, ui_strings_get(app_strings(app), app_language(app), key), interrupt);
}

/* The general rule for a screen with no prompt of its own: its headings and
 * the first text after them, chrome aside. */
typedef struct general {
    kiosk_app *app;
    char *out;
    size_t size;
    bool heading_seen, text_taken;
} general;

static void general_walk(ui_widget *widget, void *user)
{
    general *g = user;
    if (widget->chrome || is_hidden(widget) || !widget->text || !widget->text[0])
        return;
    if (widget->class_->role == UI_ROLE_HEADING) {
        words_of(g->app, widget, false, g->out, g->size);
        g->heading_seen = true;
    } else if (widget->class_->role == UI_ROLE_TEXT && !g->text_taken) {
        words_of(g->app, widget, false, g->out, g->size);
        g->text_taken = true;
    }
}

void app_speech_prompt(kiosk_app *app, char *out, size_t size)
{
    out[0] = '\0';
    ui_widget *root = app_root(app);
    if (!root)
        return;
    app_screen screen = app_current_screen(app);
    for (size_t i = 0; i < sizeof prompt_rules / sizeof prompt_rules[0]; i++) {
        if (prompt_rules[i].screen != screen)
            continue;
        for (size_t j = 0; j < 4 && prompt_rules[i].ids[j]; j++) {
            const ui_widget *widget = ui_widget_find(root, prompt_rules[i].ids[j]);
            if (widget)
                words_of(app, widget, false, out, size);
        }
    }
    if (!out[0]) {
        general g = {app, out, size, false, false};
        ui_widget_walk(root, general_walk, &g);
    }
}

/* ---- the app's moments ---------------------------------------------------- */

/* A control as the reader says it: its words, its role, its state. */
static void say_control(kiosk_app *app, const ui_widget *widget, bool interrupt)
{
    char words[SAY_MAX] = "";
    const char *role =
        widget->class_->role == UI_ROLE_FIELD ? "speech.role.field" : "speech.role.button";
    words_of(app, widget, false, words, sizeof words);
    /* A control in another language (简体中文 on an English screen) is said
     * in that language's voice: whoever looks for it understands it. */
    if (widget->text_lang >= 0 && widget->text_lang < LANG_COUNT &&
        widget->text_lang != (int)app_language(app)) {
        say_in(app, (lang)widget->text_lang, words, interrupt);
        words[0] = '\0';
        interrupt = false;
    }
    append(words, sizeof words, ui_strings_get(app_strings(app), app_language(app), role));
    if (widget->flags & UI_FLAG_CHECKED)
        append(words, sizeof words,
               ui_strings_get(app_strings(app), app_language(app), "speech.state.checked"));
    say(app, words, interrupt);
    explicit_bzero(words, sizeof words);
}

static void heard_live(const ui_widget *widget, void *user)
{
    (void)user;
    kiosk_app *app = voice.app;
    if (!app || !voice.out || is_hidden(widget) || strcmp(widget->id, UI_ID_CLOCK) == 0 ||
        strcmp(widget->id, UI_ID_COUNTDOWN) == 0)
        return;
    bool guided = false;
    for (size_t i = 0; i < sizeof guided_live_ids / sizeof guided_live_ids[0]; i++)
        guided = guided || strcmp(widget->id, guided_live_ids[i]) == 0;
    if (!guided && !voice.reader)
        return;
    char words[SAY_MAX] = "";
    words_of(app, widget, false, words, sizeof words);
    say(app, words, false);
}

void app_speech_start(kiosk_app *app)
{
    const board_profile *board = app_board(app);
    speech_config config = {.volume_percent = board->speech.volume, .audio = true};
    config.voice[LANG_ZH_TW] = board->speech.zh_tw_voice;
    voice.hall_volume = board->speech.volume;
    voice.app = app;
    voice.out = speech_create(&config);
    if (!voice.out)
        LOG_ERROR(SPEECH_LOG, "no speech engine: the terminal is silent (docs/speech.md)");
    ui_live_listen(heard_live, NULL);
}

void app_speech_stop(kiosk_app *app)
{
    (void)app;
    ui_live_listen(NULL, NULL);
    speech_destroy(voice.out);
    explicit_bzero(&voice, sizeof voice);
}

/* Everything the screen shows that the keypad does not reach, in the
 * tree's order (builders add from the top): for screen-reader mode, where
 * what a citizen cannot focus must still be heard (a locked field, the
 * facts of a result). What the keypad reaches is said as it is focused. */
typedef struct reading {
    kiosk_app *app;
    char *out;
    size_t size;
} reading;

static void read_widget(kiosk_app *app, const ui_widget *widget, bool in_full, char *out,
                        size_t size)
{
    if (widget->chrome || (widget->flags & UI_FLAG_HIDDEN) || ui_widget_is_focusable(widget) ||
        strcmp(widget->id, UI_ID_CLOCK) == 0)
        return;
    /* A line in another language (the attract screen greets in all three)
     * is for its reader, not for this voice. */
    if (widget->text_lang >= 0 && widget->text_lang != (int)app_language(app))
        return;
    /* A block of the citizen's facts (the receipt): said to be there, once,
     * on the speaker. */
    if ((widget->flags & UI_FLAG_PERSONAL) && !voice.headphones) {
        append(out, size, ui_strings_get(app_strings(app), app_language(app), "speech.hidden"));
        return;
    }
    if (widget->class_->role == UI_ROLE_TEXT || widget->class_->role == UI_ROLE_HEADING) {
        /* A QR code's address is for a phone, not an ear: its caption says it. */
        if (widget->text &&
            (strncmp(widget->text, "https://", 8) == 0 || strncmp(widget->text, "http://", 7) == 0))
            return;
        words_of(app, widget, in_full, out, size);
        return;
    }
    for (const ui_widget *child = widget->first_child; child; child = child->next_sibling)
        read_widget(app, child, in_full, out, size);
}

/* The lines of now that were not in before: what a rebuilt screen has
 * newly to say. */
static void new_lines(const char *before, const char *now, char *out, size_t size)
{
    char lines[SAY_MAX];
    snprintf(lines, sizeof lines, "%s", now);
    char *rest = NULL;
    for (char *line = strtok_r(lines, "\n", &rest); line; line = strtok_r(NULL, "\n", &rest)) {
        size_t length = strlen(line);
        bool known = false;
        for (const char *at = before; !known && (at = strstr(at, line)); at++)
            known = (at == before || at[-1] == '\n') && (at[length] == '\n' || !at[length]);
        if (!known)
            append(out, size, line);
    }
    explicit_bzero(lines, sizeof lines);
}

/* In screen-reader mode, after the prompt: the rest of what the screen
 * shows and the keypad does not reach. */
static void say_rest_of_screen(kiosk_app *app)
{
    char all[SAY_MAX] = "", rest[SAY_MAX] = "";
    if (app_root(app))
        read_widget(app, app_root(app), false, all, sizeof all);
    new_lines(voice.prompt, all, rest, sizeof rest);
    say(app, rest, false);
    explicit_bzero(all, sizeof all);
    explicit_bzero(rest, sizeof rest);
}

void app_speech_screen_shown(kiosk_app *app)
{
    app_screen screen = app_current_screen(app);
    lang language = app_language(app);
    bool fresh = !voice.announced || voice.announced_screen != screen ||
                 voice.announced_language != language;
    voice.announced = true;
    voice.announced_screen = screen;
    voice.announced_language = language;
    char prompt[SAY_MAX];
    app_speech_prompt(app, prompt, sizeof prompt);
    /* The same screen built again for news says its prompt again only when
     * that changed: printing became "take your receipt", the reader's
     * state, a problem found. */
    char news[SAY_MAX] = "";
    if (!fresh)
        new_lines(voice.prompt, prompt, news, sizeof news);
    snprintf(voice.prompt, sizeof voice.prompt, "%s", prompt);
    explicit_bzero(prompt, sizeof prompt);
    /* Nobody is at an attract screen: it says nothing until asked. */
    bool silent = screen == APP_SCREEN_ATTRACT && !voice.reader;
    if (!fresh || silent) {
        if (!silent)
            say(app, news, true);
        explicit_bzero(news, sizeof news);
        return;
    }
    say(app, voice.prompt, true);
    if (voice.reader)
        say_rest_of_screen(app);
    const ui_widget *focused =
        voice.focused_id[0] ? ui_widget_find(app_root(app), voice.focused_id) : NULL;
    if (focused && voice.reader)
        say_control(app, focused, false);
}

void app_speech_focus_moved(kiosk_app *app, const ui_widget *widget)
{
    voice.asked_in_full = false;
    snprintf(voice.focused_id, sizeof voice.focused_id, "%s", widget ? widget->id : "");
    /* A new screen's first focus is said after its prompt, not over it. */
    bool announced = voice.announced && voice.announced_screen == app_current_screen(app) &&
                     voice.announced_language == app_language(app);
    if (widget && announced)
        say_control(app, widget, true);
}

void app_speech_repeat(kiosk_app *app)
{
    const ui_widget *focused =
        voice.focused_id[0] ? ui_widget_find(app_root(app), voice.focused_id) : NULL;
    if (!focused) {
        say(app, voice.prompt, true);
        return;
    }
    /* The second ask, through headphones: in full, the control and what
     * the keypad cannot reach (the facts a confirmation shows). */
    bool in_full = voice.asked_in_full && voice.headphones;
    char words[SAY_MAX] = "";
    words_of(app, focused, in_full, words, sizeof words);
    voice.asked_in_full = true;
    /* 简体中文 on an English screen is said as Chinese, as when focused. */
    bool own = focused->text_lang >= 0 && focused->text_lang < LANG_COUNT;
    say_in(app, own ? (lang)focused->text_lang : app_language(app), words, true);
    if (in_full) {
        words[0] = '\0';
        read_widget(app, app_root(app), true, words, sizeof words);
        say(app, words, false);
    }
    explicit_bzero(words, sizeof words);
}

void app_speech_volume_step(kiosk_app *app, int direction)
{
    if (!voice.out)
        return;
    int volume = speech_volume(voice.out) + (direction > 0 ? 10 : -10);
    volume = volume < 10 ? 10 : volume > 100 ? 100 : volume;
    speech_set_volume(voice.out, volume);
    char words[128], number[8];
    snprintf(number, sizeof number, "%d", volume);
    const char *names[] = {"volume"}, *values[] = {number};
    ui_strings_fill(ui_strings_get(app_strings(app), app_language(app), "speech.volume"), names,
                    values, 1, words, sizeof words);
    say(app, words, true);
}

int app_speech_volume(const kiosk_app *app)
{
    (void)app;
    return voice.out ? speech_volume(voice.out) : 0;
}

uint64_t app_speech_first_sample_ms(const kiosk_app *app)
{
    (void)app;
    return voice.out ? speech_first_sample_ms(voice.out) : 0;
}

const char *app_speech_voice(const kiosk_app *app)
{
    return voice.out ? speech_voice_of(voice.out, app_language(app)) : "";
}

void app_speech_set_reader(kiosk_app *app, bool on)
{
    if (voice.reader == on)
        return;
    voice.reader = on;
    LOG_INFO(SPEECH_LOG, "screen reader %s", on ? "on" : "off");
    say_key(app, on ? "speech.reader_on" : "speech.reader_off", true);
    if (on) {
        say(app, voice.prompt, false);
        say_rest_of_screen(app);
    }
}

bool app_speech_reader_on(const kiosk_app *app)
{
    (void)app;
    return voice.reader;
}

void app_speech_set_headphones(kiosk_app *app, bool plugged)
{
    if (voice.headphones == plugged)
        return;
    voice.headphones = plugged;
    LOG_INFO(SPEECH_LOG, "headphones %s", plugged ? "plugged in" : "out");
    /* What headphones may hear stops at once when they leave. */
    if (!plugged && voice.out)
        speech_stop(voice.out);
    if (plugged)
        app_speech_set_reader(app, true);
}

bool app_speech_headphones(const kiosk_app *app)
{
    (void)app;
    return voice.headphones;
}

void app_speech_session_ended(kiosk_app *app)
{
    if (voice.out) {
        speech_stop(voice.out);
        speech_set_volume(voice.out, voice.hall_volume);
    }
    explicit_bzero(voice.transcript, sizeof voice.transcript);
    explicit_bzero(voice.prompt, sizeof voice.prompt);
    voice.focused_id[0] = '\0';
    voice.asked_in_full = false;
    /* Headphones still plugged in keep the reader for whoever comes. */
    voice.reader = voice.headphones;
    (void)app;
}

size_t app_speech_transcript(const kiosk_app *app, unsigned long since,
                             void (*each)(const app_speech_said *said, void *user), void *user)
{
    (void)app;
    size_t count = 0;
    unsigned long first =
        voice.said_count > TRANSCRIPT_MAX ? voice.said_count - TRANSCRIPT_MAX + 1 : 1;
    for (unsigned long seq = since + 1 > first ? since + 1 : first; seq <= voice.said_count;
         seq++) {
        const said *entry = &voice.transcript[(seq - 1) % TRANSCRIPT_MAX];
        if (entry->seq != seq)
            continue; /* wiped with a session */
        app_speech_said out = {entry->seq,   entry->language, entry->headphones, entry->interrupt,
                               entry->voice, entry->screen,   entry->text};
        each(&out, user);
        count++;
    }
    return count;
}
