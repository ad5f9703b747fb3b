/* Signing a signature field: the pad, what a finger draws on it, 清除 and
 * 重签, 完成 once there is enough ink to be a signature, and 返回. The
 * strokes live in a wiped block of fixed size (ui/signature_pad.h) and the
 * accepted signature as a PNG in a wiped allocation, both here, one per
 * signature field, beside the flow, whose value only marks the field
 * signed. Everything is wiped when the citizen clears it, leaves the
 * service or the session ends, and once the submission is kept. */
#include "firmware/app/app_sign.h"
#include "firmware/app/app_flow.h"
#include "firmware/app/app_keypad.h"
#include "firmware/app/app_session.h"
#include "firmware/app/navigation.h"

#include "firmware/base/log.h"
#include "firmware/base/wipe_alloc.h"
#include "ui/signature_pad.h"

#include <string.h>

/* The pen's width, and the least ink a signature has: a dot, a tick or a
 * short dash is not one. */
#define PEN_DP        8
#define MIN_LENGTH_DP 160

typedef struct signature {
    ui_ink *ink; /* the strokes, NULL before the first */
    bool accepted;
    bool by_key;  /* accepted by the keypad's enter key: no ink, no image */
    uint8_t *png; /* once accepted from ink */
    size_t png_length;
    int width, height;
} signature;

/* One app to a process. */
static struct {
    signature fields[CATALOG_FIELDS_MAX];
    int field; /* the one on the pad, -1 none */
    /* What the screen shows that a stroke may change. */
    bool shown_enough, shown_empty, shown_full;
    /* Which fields of the submission kept were confirmed by key: the
     * receipt says so after the rest is wiped. */
    bool kept_by_key[CATALOG_FIELDS_MAX];
} sign = {.field = -1};

static const catalog_field *field_of(const kiosk_app *app, int field)
{
    const flow *f = app_session_flow(app);
    const catalog_field *definition =
        flow_active(f) && field >= 0 && field < CATALOG_FIELDS_MAX
            ? catalog_field_of(app_catalog(app), f->service, (unsigned)field)
            : NULL;
    return definition && definition->type == CATALOG_FIELD_SIGNATURE ? definition : NULL;
}

static void wipe_signature(signature *s)
{
    ui_ink_destroy(s->ink);
    wipe_free(s->png);
    explicit_bzero(s, sizeof *s);
}

void app_sign_forget(kiosk_app *app)
{
    (void)app;
    for (size_t i = 0; i < CATALOG_FIELDS_MAX; i++)
        wipe_signature(&sign.fields[i]);
    sign.field = -1;
    memset(sign.kept_by_key, 0, sizeof sign.kept_by_key);
}

void app_sign_forget_kept(kiosk_app *app)
{
    for (size_t i = 0; i < CATALOG_FIELDS_MAX; i++)
        sign.kept_by_key[i] = app_sign_by_key(app, (unsigned)i);
    for (size_t i = 0; i < CATALOG_FIELDS_MAX; i++)
        wipe_signature(&sign.fields[i]);
    sign.field = -1;
}

static float min_length(kiosk_app *app)
{
    return (float)ui_dp(app_metrics(app), MIN_LENGTH_DP);
}

void app_sign_open(kiosk_app *app, unsigned field)
{
    if (!field_of(app, (int)field))
        return;
    signature *s = &sign.fields[field];
    if (!s->ink)
        s->ink = ui_ink_create();
    if (!s->ink) {
        LOG_ERROR("sign", "no memory for a signature");
        return;
    }
    sign.field = (int)field;
    if (app_go(app, APP_SCREEN_SIGN) != KIOSK_OK)
        LOG_WARN("sign", "the pad could not be shown");
}

bool app_sign_image(const kiosk_app *app, unsigned field, const uint8_t **png, size_t *length,
                    int *width, int *height)
{
    (void)app;
    const signature *s = field < CATALOG_FIELDS_MAX ? &sign.fields[field] : NULL;
    if (!s || !s->accepted || !s->png)
        return false;
    *png = s->png;
    *length = s->png_length;
    *width = s->width;
    *height = s->height;
    return true;
}

bool app_sign_by_key(const kiosk_app *app, unsigned field)
{
    (void)app;
    return field < CATALOG_FIELDS_MAX &&
           ((sign.fields[field].accepted && sign.fields[field].by_key) || sign.kept_by_key[field]);
}

const ui_ink *app_sign_ink(const kiosk_app *app, unsigned field)
{
    (void)app;
    return field < CATALOG_FIELDS_MAX ? sign.fields[field].ink : NULL;
}

static kiosk_error build_sign(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    const catalog_field *field = field_of(app, sign.field);
    if (!field || !sign.fields[sign.field].ink)
        return KIOSK_ERR_INVALID_ARGUMENT;
    signature *s = &sign.fields[sign.field];
    lang language = app_language(app);
    sign.shown_enough = ui_ink_enough(s->ink, min_length(app));
    sign.shown_empty = ui_ink_empty(s->ink);
    sign.shown_full = s->ink->full;
    ui_step_model step = app_flow_step_model(app);
    step.next = s->accepted || sign.shown_enough;
    step.next_key = "sign.done";
    const char *hint = s->accepted                ? ui_frame_text(frame, "sign.accepted")
                       : sign.shown_full          ? ui_frame_text(frame, "sign.full")
                       : field->help[language][0] ? field->help[language]
                                                  : ui_frame_text(frame, "sign.hint");
    ui_sign_model model = {
        .label = field->label[language],
        .hint = hint,
        .hint_problem = !s->accepted && sign.shown_full,
        .prompt = ui_frame_text(frame, "sign.prompt"),
        .ink = s->ink,
        .pen_dp = PEN_DP,
        .locked = s->accepted,
        .clear = s->accepted        ? ui_frame_text(frame, "sign.redo")
                 : sign.shown_empty ? NULL
                                    : ui_frame_text(frame, "sign.clear"),
        .back = ui_frame_text(frame, "sign.back"),
        /* Offered only to the keypad: a finger can sign. */
        .by_key = app_keypad_mode(app) && !s->accepted ? ui_frame_text(frame, "sign.by_key") : NULL,
    };
    return ui_sign_build(frame, &step, &model, out);
}

/* 清除 or 重签: the strokes, and an accepted signature's image, wiped. */
static void clear(kiosk_app *app)
{
    signature *s = &sign.fields[sign.field];
    ui_ink_clear(s->ink);
    if (s->accepted) {
        wipe_free(s->png);
        s->png = NULL;
        s->png_length = 0;
        s->width = s->height = 0;
        s->accepted = false;
        s->by_key = false;
        flow_set_signed(app_session_flow(app), (unsigned)sign.field, false, app_wall_time(app));
        LOG_INFO("sign", "field %d: signed again", sign.field);
    }
}

/* 完成: the ink becomes the image the submission carries. */
static app_screen done(kiosk_app *app)
{
    signature *s = &sign.fields[sign.field];
    if (!s->accepted) {
        if (!ui_ink_enough(s->ink, min_length(app)))
            return APP_SCREEN_SIGN;
        kiosk_error made = ui_ink_png(s->ink, &s->png, &s->png_length, &s->width, &s->height);
        if (made != KIOSK_OK) {
            LOG_ERROR("sign", "field %d: the signature's image: %s", sign.field,
                      kiosk_error_name(made));
            return APP_SCREEN_SIGN;
        }
        s->accepted = true;
        flow_set_signed(app_session_flow(app), (unsigned)sign.field, true, app_wall_time(app));
        LOG_INFO("sign", "field %d signed: %zu points in %zu strokes, %dx%d PNG of %zu bytes",
                 sign.field, s->ink->point_count, s->ink->stroke_count, s->width, s->height,
                 s->png_length);
    }
    sign.field = -1;
    return APP_SCREEN_FORM;
}

/* The keypad's enter key on 按确认键代替签名: the field is confirmed, not
 * signed, and the submission says which (no image pretends to be a
 * signature). Only a key does it: a tap is no keypad confirmation. */
static app_screen confirmed_by_key(kiosk_app *app)
{
    if (!app_keypad_activating(app))
        return APP_SCREEN_STAY;
    signature *s = &sign.fields[sign.field];
    ui_ink_clear(s->ink);
    s->accepted = true;
    s->by_key = true;
    flow_set_signed(app_session_flow(app), (unsigned)sign.field, true, app_wall_time(app));
    LOG_INFO("sign", "field %d confirmed by key instead of a signature", sign.field);
    sign.field = -1;
    return APP_SCREEN_FORM;
}

/* 返回: a signature accepted stays; strokes not yet accepted go. */
static app_screen back(kiosk_app *app)
{
    (void)app;
    signature *s = &sign.fields[sign.field];
    if (!s->accepted)
        wipe_signature(s);
    sign.field = -1;
    return APP_SCREEN_FORM;
}

static app_screen on_sign_action(kiosk_app *app, ui_action action, int arg)
{
    if (!field_of(app, sign.field))
        return APP_SCREEN_UNHANDLED;
    switch (action) {
    case UI_ACTION_DRAWN: {
        /* A stroke ended: the screen is built again only when what it
         * offers changed (done, clear, the pad full). */
        const ui_ink *ink = sign.fields[sign.field].ink;
        bool changed = ui_ink_enough(ink, min_length(app)) != sign.shown_enough ||
                       ui_ink_empty(ink) != sign.shown_empty || ink->full != sign.shown_full;
        return changed ? APP_SCREEN_SIGN : APP_SCREEN_STAY;
    }
    case UI_ACTION_KEY:
        if (arg != UI_KEY_CLEAR)
            return APP_SCREEN_STAY;
        clear(app);
        return APP_SCREEN_SIGN;
    case UI_ACTION_NEXT:
        return done(app);
    case UI_ACTION_SIGN_BY_KEY:
        return confirmed_by_key(app);
    case UI_ACTION_BACK:
        return back(app);
    default:
        return APP_SCREEN_UNHANDLED;
    }
}

/* Leaving the pad any other way (cancel, help, a time-out) leaves the
 * strokes to the wipe of the service or the session; help returns here. */
const app_controller app_sign_controller = {
    .name = "sign", .build = build_sign, .on_action = on_sign_action, .forget = app_sign_forget};
