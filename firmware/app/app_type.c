/* The text-entry screen's controller: keys, candidates, strokes and modes
 * turned into what is typed in the field being edited. */
#include "firmware/app/app_type.h"

#include "firmware/app/app_session.h"
#include "firmware/app/navigation.h"
#include "firmware/base/log.h"
#include "firmware/base/untrusted_text.h"
#include "firmware/services/flow.h"
#include "ui/ime_handwriting.h"
#include "ui/ime_pinyin.h"
#include "ui/keyboard.h"

#include <stdio.h>
#include <string.h>

/* How many characters a field takes: a name or an enterprise's name, and
 * an address (the card's longest is 70). */
#define TEXT_CHARS_MAX    40
#define ADDRESS_CHARS_MAX 80
/* How many characters handwriting offers for one drawing (pages of them). */
#define DRAWN_MAX 24

static struct {
    ui_handwriting
        *handwriting; /* the model, open from a citizen's first entry to their session's end */
    bool handwriting_tried; /* this session: open_handwriting said why not once */
    bool pinyin_logged;     /* its unavailability said once */

    /* The entry under way. */
    ui_keyboard_mode mode;
    bool mode_chosen; /* the citizen chose mode in this entry; else the first there is */
    bool capitals;
    size_t page;
    ui_pinyin_session *pinyin;
    bool traditional; /* the session's characters */
    ui_strokes ink;
    char drawn[DRAWN_MAX][UI_HANDWRITING_CHAR_MAX]; /* what the ink looks like, best first */
    size_t drawn_count;
    const char *problem; /* a string key, or NULL */
} typing;

static const catalog_field *edited_field(const kiosk_app *app)
{
    const flow *f = app_session_flow(app);
    return flow_active(f) && f->editing >= 0
               ? catalog_field_of(app_catalog(app), f->service, (unsigned)f->editing)
               : NULL;
}

static bool pinyin_offered(void)
{
    return ui_pinyin_state_now() == UI_PINYIN_READY;
}

/* ---- the entry's state ---- */

static void forget_drawing(void)
{
    ui_strokes_clear(&typing.ink);
    explicit_bzero(typing.drawn, sizeof typing.drawn);
    typing.drawn_count = 0;
}

/* The handwriting model (27 MB) is opened when a citizen first needs the
 * keyboard and closed when their session ends: a kiosk waiting for the
 * next citizen does not hold it (opening takes some 10 ms). Tried once a
 * session: a model that cannot be opened is said once, not at every key. */
static void open_handwriting(void)
{
    if (typing.handwriting || typing.handwriting_tried)
        return;
    typing.handwriting_tried = true;
    kiosk_error result = ui_handwriting_open(UI_HANDWRITING_MODEL_ZH_CN, &typing.handwriting);
    if (result != KIOSK_OK)
        LOG_WARN("type", "handwriting is unavailable: %s",
                 result == KIOSK_ERR_UNSUPPORTED ? "built without zinnia"
                                                 : UI_HANDWRITING_MODEL_ZH_CN " cannot be opened");
}

static void close_handwriting(void)
{
    ui_handwriting_close(typing.handwriting);
    typing.handwriting = NULL;
    typing.handwriting_tried = false;
}

/* The way of typing a new entry starts with: pinyin when its engine is
 * ready, else handwriting, else letters. */
static ui_keyboard_mode first_mode(void)
{
    return pinyin_offered()     ? UI_KEYBOARD_PINYIN
           : typing.handwriting ? UI_KEYBOARD_HANDWRITING
                                : UI_KEYBOARD_LETTERS;
}

/* The mode in use: the one chosen while its engine is there. */
static ui_keyboard_mode mode_now(void)
{
    bool there = typing.mode_chosen && (typing.mode != UI_KEYBOARD_PINYIN || pinyin_offered()) &&
                 (typing.mode != UI_KEYBOARD_HANDWRITING || typing.handwriting);
    return there ? typing.mode : first_mode();
}

/* Ends the entry: the engine's session (its composition cleared), the ink
 * and the candidates wiped; the next begins in the first mode. */
static void end_entry(void)
{
    typing.mode_chosen = false;
    ui_pinyin_session_close(typing.pinyin);
    typing.pinyin = NULL;
    forget_drawing();
    typing.page = 0;
    typing.capitals = false;
    typing.problem = NULL;
}

/* The pinyin session for the language shown: Traditional characters for
 * zh-TW. Opened when first needed; opened again when the language changes
 * (what was being composed goes). */
static ui_pinyin_session *pinyin_session(const kiosk_app *app)
{
    bool traditional = app_language(app) == LANG_ZH_TW;
    if (typing.pinyin && typing.traditional != traditional) {
        ui_pinyin_session_close(typing.pinyin);
        typing.pinyin = NULL;
    }
    if (!typing.pinyin && pinyin_offered()) {
        typing.pinyin = ui_pinyin_session_open(traditional);
        typing.traditional = traditional;
    }
    return typing.pinyin;
}

static bool composing(void)
{
    return mode_now() == UI_KEYBOARD_PINYIN && ui_pinyin_composing(typing.pinyin);
}

/* The entry's state was ended when the last one was left (and the screen
 * is built before this is called): here only what is said and opened. */
static void enter_type(kiosk_app *app)
{
    if (!pinyin_offered() && !typing.pinyin_logged) {
        LOG_INFO("type", "pinyin not offered yet: %s",
                 ui_pinyin_state_now() == UI_PINYIN_PREPARING ? "getting ready"
                                                              : ui_pinyin_problem());
        typing.pinyin_logged = ui_pinyin_state_now() == UI_PINYIN_UNAVAILABLE;
    }
    (void)pinyin_session(app);
}

static void leave_type(kiosk_app *app)
{
    (void)app;
    end_entry();
}

static void forget_type(kiosk_app *app)
{
    (void)app;
    end_entry();
    close_handwriting();
}

/* ---- what is typed ---- */

static size_t characters_in(const char *text)
{
    size_t count = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        count += (*p & 0xC0) != 0x80;
    return count;
}

static size_t chars_max(const catalog_field *field)
{
    return field->type == CATALOG_FIELD_ADDRESS ? ADDRESS_CHARS_MAX : TEXT_CHARS_MAX;
}

/* Adds text at the caret (the end); says when it would not fit. */
static void append(kiosk_app *app, const char *text)
{
    flow *f = app_session_flow(app);
    const catalog_field *field = edited_field(app);
    if (!field || !text[0])
        return;
    char joined[FLOW_VALUE_MAX];
    size_t have = strlen(f->typed), add = strlen(text);
    if (have + add >= sizeof joined ||
        characters_in(f->typed) + characters_in(text) > chars_max(field)) {
        typing.problem = "type.problem.too_long";
        return;
    }
    memcpy(joined, f->typed, have);
    memcpy(joined + have, text, add + 1);
    if (!flow_edit_type(f, joined))
        typing.problem = "type.problem.too_long";
    explicit_bzero(joined, sizeof joined);
}

/* Takes the last character off what is typed. */
static void delete_last(kiosk_app *app)
{
    flow *f = app_session_flow(app);
    size_t length = strlen(f->typed);
    while (length > 0 && ((unsigned char)f->typed[length - 1] & 0xC0) == 0x80)
        f->typed[--length] = '\0';
    if (length > 0)
        f->typed[length - 1] = '\0';
}

/* The code point of the well-formed sequence at p, length bytes. */
static uint32_t code_point(const unsigned char *p, size_t length)
{
    static const unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    uint32_t value = p[0] & lead_mask[length];
    for (size_t i = 1; i < length; i++)
        value = value << 6 | (p[i] & 0x3F);
    return value;
}

/* What is wrong with text as a field's value: a string key, NULL when
 * nothing. The engines give only characters, but what they give is
 * checked as anything from outside is. */
static const char *text_problem(const char *text, const catalog_field *field)
{
    size_t length = strlen(text);
    if (!untrusted_utf8_valid(text, length))
        return "type.problem.characters";
    for (size_t i = 0; i < length;) {
        size_t n = untrusted_utf8_sequence((const uint8_t *)text + i, length - i);
        if (n == 0 || untrusted_code_point_hidden(code_point((const unsigned char *)text + i, n)))
            return "type.problem.characters";
        i += n;
    }
    return characters_in(text) > chars_max(field) ? "type.problem.too_long" : NULL;
}

/* 完成: what is typed, less spaces at its ends, checked, into the field. */
static app_screen finish(kiosk_app *app)
{
    flow *f = app_session_flow(app);
    const catalog_field *field = edited_field(app);
    if (!field)
        return APP_SCREEN_FORM;
    if (composing()) {
        typing.problem = "type.problem.choose_first";
        return APP_SCREEN_TYPE;
    }
    char text[FLOW_VALUE_MAX];
    const char *start = f->typed;
    while (*start == ' ')
        start++;
    snprintf(text, sizeof text, "%s", start);
    size_t length = strlen(text);
    while (length > 0 && text[length - 1] == ' ')
        text[--length] = '\0';
    typing.problem = text_problem(text, field);
    bool ok = !typing.problem && flow_edit_type(f, text);
    explicit_bzero(text, sizeof text);
    if (!ok)
        return APP_SCREEN_TYPE;
    if (!flow_edit_finish(f, app_wall_time(app))) {
        typing.problem = flow_problem_key(f->typed_problem);
        return APP_SCREEN_TYPE;
    }
    return APP_SCREEN_FORM;
}

/* ---- handwriting ---- */

static void recognise(void)
{
    explicit_bzero(typing.drawn, sizeof typing.drawn);
    typing.drawn_count =
        ui_handwriting_recognise(typing.handwriting, &typing.ink, typing.drawn, DRAWN_MAX);
    typing.page = 0;
}

/* A stroke ended on the pad: its ink, with the new stroke, is the pad's. */
static void stroke_drawn(kiosk_app *app)
{
    const ui_strokes *ink = ui_pad_ink(ui_widget_find(app_root(app), UI_ID_TYPE_PAD));
    if (!ink || mode_now() != UI_KEYBOARD_HANDWRITING)
        return;
    memcpy(&typing.ink, ink, sizeof typing.ink);
    recognise();
}

/* The last stroke taken off the ink. */
static void undraw_stroke(void)
{
    if (typing.ink.strokes == 0)
        return;
    uint8_t last = (uint8_t)(typing.ink.strokes - 1);
    while (typing.ink.count > 0 && typing.ink.points[typing.ink.count - 1].stroke == last) {
        typing.ink.count--;
        explicit_bzero(&typing.ink.points[typing.ink.count], sizeof typing.ink.points[0]);
    }
    typing.ink.strokes--;
    if (typing.ink.count)
        recognise();
    else
        forget_drawing();
}

/* ---- the taps ---- */

static void key(kiosk_app *app, int key)
{
    flow *f = app_session_flow(app);
    typing.problem = NULL;
    if (key == UI_KEY_CAPITALS) {
        typing.capitals = !typing.capitals;
    } else if (key == UI_KEY_REWRITE) {
        forget_drawing();
    } else if (key == UI_KEY_DELETE) {
        if (composing())
            (void)ui_pinyin_key(typing.pinyin, '\b');
        else if (mode_now() == UI_KEYBOARD_HANDWRITING && typing.ink.count)
            undraw_stroke();
        else
            delete_last(app);
        typing.page = 0;
    } else if (key == UI_KEY_CLEAR) {
        if (composing())
            ui_pinyin_clear(typing.pinyin);
        else
            (void)flow_edit_type(f, "");
        forget_drawing();
        typing.page = 0;
    } else if (mode_now() == UI_KEYBOARD_PINYIN && key >= 'a' && key <= 'z') {
        if (ui_pinyin_key(pinyin_session(app), key))
            typing.page = 0;
    } else if (key == ' ') {
        /* A space between words; never two, never first. */
        size_t length = strlen(f->typed);
        if (!composing() && length > 0 && f->typed[length - 1] != ' ')
            append(app, " ");
    } else if ((mode_now() == UI_KEYBOARD_LETTERS &&
                ((key >= 'a' && key <= 'z') || (key >= 'A' && key <= 'Z'))) ||
               (mode_now() == UI_KEYBOARD_DIGITS && key >= '0' && key <= '9')) {
        char text[2] = {(char)key, '\0'};
        append(app, text);
    }
}

/* A candidate on the page shown: its words typed. */
static void choose(kiosk_app *app, int index)
{
    if (index < 0)
        return;
    ui_frame_model frame = app_frame_model(app, "");
    size_t at = typing.page * ui_type_page_size(&frame) + (size_t)index;
    typing.problem = NULL;
    if (mode_now() == UI_KEYBOARD_PINYIN) {
        char committed[UI_PINYIN_CANDIDATE_MAX];
        if (ui_pinyin_choose(pinyin_session(app), at, committed, sizeof committed))
            append(app, committed);
        explicit_bzero(committed, sizeof committed);
        typing.page = 0;
    } else if (mode_now() == UI_KEYBOARD_HANDWRITING && at < typing.drawn_count) {
        append(app, typing.drawn[at]);
        forget_drawing();
        typing.page = 0;
    }
}

static void set_mode(kiosk_app *app, int mode)
{
    if (mode < 0 || mode >= UI_KEYBOARD_MODE_COUNT)
        return;
    const catalog_field *field = edited_field(app);
    if ((mode == UI_KEYBOARD_PINYIN && !pinyin_offered()) ||
        (mode == UI_KEYBOARD_HANDWRITING && !typing.handwriting) ||
        (mode == UI_KEYBOARD_DIGITS && (!field || field->type != CATALOG_FIELD_ADDRESS)))
        return;
    /* What was being composed or drawn goes with the mode it was in. */
    ui_pinyin_clear(typing.pinyin);
    forget_drawing();
    typing.mode = (ui_keyboard_mode)mode;
    typing.mode_chosen = true;
    typing.page = 0;
    typing.problem = NULL;
    (void)pinyin_session(app);
}

static app_screen type_action(kiosk_app *app, ui_action action, int arg)
{
    switch (action) {
    case UI_ACTION_KEY:
        key(app, arg);
        return APP_SCREEN_TYPE;
    case UI_ACTION_CHOOSE:
        choose(app, arg);
        return APP_SCREEN_TYPE;
    case UI_ACTION_PAGE:
        if (arg < 0 && typing.page > 0)
            typing.page--;
        else if (arg > 0)
            typing.page++; /* shown only when there is a page after */
        return APP_SCREEN_TYPE;
    case UI_ACTION_INPUT_MODE:
        set_mode(app, arg);
        return APP_SCREEN_TYPE;
    case UI_ACTION_STROKE:
        stroke_drawn(app);
        return APP_SCREEN_TYPE;
    case UI_ACTION_NEXT:
        return finish(app);
    case UI_ACTION_BACK:
        /* 返回: the field keeps what it had. */
        flow_edit_cancel(app_session_flow(app));
        return APP_SCREEN_FORM;
    default:
        return APP_SCREEN_UNHANDLED;
    }
}

/* ---- the screen ---- */

static kiosk_error build_type(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    const flow *f = app_session_flow(app);
    const catalog_field *field = edited_field(app);
    if (!field)
        return KIOSK_ERR_INVALID_ARGUMENT;
    open_handwriting();
    lang language = app_language(app);
    ui_step_model step = {.title = f->service->name[language],
                          .step = flow_step_number(f),
                          .steps = flow_step_total(f),
                          .next = true,
                          .next_key = "type.done"};
    ui_type_model model = {
        .label = field->label[language],
        .typed = f->typed,
        .hint = ui_frame_text(frame, "form.placeholder.type"),
        .problem = typing.problem ? ui_frame_text(frame, typing.problem) : NULL,
        .mode = mode_now(),
        .capitals = typing.capitals,
    };
    model.offered[UI_KEYBOARD_PINYIN] = pinyin_offered();
    model.offered[UI_KEYBOARD_HANDWRITING] = typing.handwriting != NULL;
    model.offered[UI_KEYBOARD_LETTERS] = true;
    model.offered[UI_KEYBOARD_DIGITS] = field->type == CATALOG_FIELD_ADDRESS;
    if (ui_pinyin_state_now() == UI_PINYIN_PREPARING)
        model.note = ui_frame_text(frame, "type.pinyin.preparing");
    size_t page_size = ui_type_page_size(frame);
    char found[UI_TYPE_CANDIDATES_MAX][UI_PINYIN_CANDIDATE_MAX];
    const char *candidates[UI_TYPE_CANDIDATES_MAX];
    char composition[UI_PINYIN_COMPOSITION_MAX] = "";
    size_t count = 0;
    bool later = false;
    if (composing()) {
        ui_pinyin_composition(typing.pinyin, composition, sizeof composition);
        count =
            ui_pinyin_candidates(typing.pinyin, typing.page * page_size, found, page_size, &later);
        model.composition = composition;
    } else if (mode_now() == UI_KEYBOARD_HANDWRITING && typing.drawn_count) {
        size_t first = typing.page * page_size;
        for (size_t i = first; i < typing.drawn_count && count < page_size; i++)
            snprintf(found[count++], sizeof found[0], "%s", typing.drawn[i]);
        later = first + count < typing.drawn_count;
    }
    for (size_t i = 0; i < count; i++)
        candidates[i] = found[i];
    model.candidates = candidates;
    model.candidate_count = count;
    model.earlier = typing.page > 0;
    model.later = later;
    model.ink = mode_now() == UI_KEYBOARD_HANDWRITING ? &typing.ink : NULL;
    kiosk_error result = ui_type_build(frame, &step, &model, out);
    explicit_bzero(found, sizeof found);
    explicit_bzero(composition, sizeof composition);
    return result;
}

void app_type_start(kiosk_app *app)
{
    char user_dir[BOARD_PATH_MAX + 8];
    snprintf(user_dir, sizeof user_dir, "%s/rime", app_board(app)->data_dir);
    if (ui_pinyin_start(APP_TYPE_RIME_SHARED, user_dir) != KIOSK_OK)
        LOG_WARN("type", "pinyin input cannot start: %s", ui_pinyin_problem());
}

void app_type_stop(kiosk_app *app)
{
    (void)app;
    end_entry();
    ui_pinyin_stop();
    close_handwriting();
    memset(&typing, 0, sizeof typing);
}

const app_controller app_type_controller = {.name = "type",
                                            .build = build_type,
                                            .enter = enter_type,
                                            .leave = leave_type,
                                            .on_action = type_action,
                                            .forget = forget_type};
