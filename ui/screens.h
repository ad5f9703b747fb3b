/* The screens: each builds a widget tree for the current language, theme,
 * layout and data. The app owns navigation, the session and data; a screen
 * only turns a model into widgets whose actions tell the app what the citizen
 * asked for.
 *
 * Every screen in a session shares the frame: a title bar (the hall, the time)
 * and a footer (help, the language switch, and on the home screen the theme
 * switches), so a citizen can always get help or change language without
 * losing their place. */
#ifndef KIOSK_UI_SCREENS_H
#define KIOSK_UI_SCREENS_H

#include "firmware/base/error.h"
#include "firmware/base/lang.h"
#include "ui/metrics.h"
#include "ui/strings.h"
#include "ui/theme.h"
#include "ui/widget.h"
#include "ui/widget_ids.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* What every screen's frame shows. */
typedef struct ui_frame_model {
    const ui_strings *strings;
    lang language;
    ui_metrics metrics;
    const ui_theme *theme;
    ui_theme_id theme_id;
    bool theme_switches; /* show elder mode and high contrast (the home screen) */
    const char *hall_name;
    const char *clock_text;
    /* What the terminal's state means for citizens, in their words (the
     * link is down, the printer has no paper), at the foot of the attract
     * screen; NULL or "" for none. Staff's facts (the outbox, records held
     * for checking) are not shown to the public. */
    const char *staff_note;
    /* The footer leaves out help (the help screen itself). */
    bool no_help;
    /* Screen-reader mode is on: the accessibility button shows it ticked. */
    bool reader_on;
} ui_frame_model;

typedef struct ui_tile_model {
    const char *id;
    const char *name;
    const char *summary;
    bool bundle;      /* an "一件事" bundle: shown wide, after the single services */
    const char *icon; /* its pictogram's name (ui/icons.h); NULL: the generic one */
    /* What the terminal's state means for it, said on the tile before the
     * citizen starts ("打印机缺纸，可办理不打印"), with its pictogram; NULL
     * none. */
    const char *state, *state_icon;
} ui_tile_model;

/* The frame's text for key: the ".simple" variant when the theme asks for
 * simple words and the language has one, else the text itself. */
const char *ui_frame_text(const ui_frame_model *frame, const char *key);

/* A size that grows with the theme's text (button heights and the like). */
int ui_frame_text_dp(const ui_frame_model *frame, float dp);

/* The height of one line of text set at dp under the frame's theme, in px
 * (the legal minimum size included). */
int ui_frame_line_px(const ui_frame_model *frame, float dp);

/* Whether the screen is narrow for the theme's text (a 10-inch portrait
 * panel): screens show less at a time there. */
bool ui_frame_is_narrow(const ui_frame_model *frame);

/* Creates the page root (the whole frame) with the title bar and footer, and
 * returns in *content the rectangle left between them. NULL when out of memory. */
ui_widget *ui_frame_build(const ui_frame_model *frame, SDL_Rect *content);

/* Attract: shown when nobody is using the terminal. The whole screen is one
 * target (UI_ACTION_START). `offers` are service names to show. */
kiosk_error ui_attract_build(const ui_frame_model *frame, const char *const *offers,
                             size_t offer_count, ui_widget **out) KIOSK_MUST_CHECK;

/* Home: a prompt and a grid of service tiles (tap: UI_ACTION_OPEN_SERVICE with
 * the tile's index in tiles). When the tiles need pages (a small screen, or
 * elder mode's fewer at a time), *page is the page shown, clamped to those
 * there are. end: the words of a button that ends the visit
 * (UI_ACTION_END_SESSION) beside the prompt, shown while a citizen is
 * identified; NULL for none. */
kiosk_error ui_home_build(const ui_frame_model *frame, const ui_tile_model *tiles, size_t count,
                          int *page, const char *end, ui_widget **out) KIOSK_MUST_CHECK;

/* Roughly how wide utf8 is set at px in the kiosk's font (a CJK character is
 * an em, Latin letters their own widths). For choosing rows and lines before
 * anything is drawn; the audit checks what is really drawn. */
int ui_frame_estimate_width(const char *utf8, int px);

/* How many lines text needs set at dp (the frame's theme) in width px, by
 * that estimate, breaking lines where the renderer does (between words, or
 * between CJK characters): 1 to most. */
int ui_frame_lines_for(const ui_frame_model *frame, const char *text, float dp, int width,
                       int most);

/* The same at a size in px (text sized as a control). */
int ui_frame_lines_at(const char *text, int px, int width, int most);

/* How many columns of rows a list in width is set in: two where each is
 * still min_dp wide (grown with the theme's text), as on a landscape panel,
 * else one. */
int ui_frame_columns(const ui_frame_model *frame, int width, float min_dp);

/* A service's steps: the title, where the citizen is (step of steps), and
 * back (UI_ACTION_BACK) and next (UI_ACTION_NEXT, when next is set) at the
 * bottom. Cancel (UI_ACTION_CANCEL: the service is abandoned) is always
 * there: in back's place on the first step ("step.cancel"), else in the
 * step's header beside the title ("step.cancel" too). A step's screen starts
 * from ui_step_begin (ui/layout.h). */
typedef struct ui_step_model {
    const char *title;
    int step, steps; /* 1-based */
    bool next;
    const char *next_key; /* the string key of the next button; NULL: "step.next" */
} ui_step_model;

/* Identification by typed ID number: a field showing typed, a problem line
 * (problem NULL: none), and a keypad with X. */
kiosk_error ui_identify_build(const ui_frame_model *frame, const ui_step_model *step,
                              const char *typed, const char *problem,
                              ui_widget **out) KIOSK_MUST_CHECK;

/* Identification by ID card: where to lay it (words and a drawing) and the
 * reader's status (status_is_problem: shown as a problem, with what to do).
 * The step's next button offers the other way (typing the number) or, once
 * the card was read, goes on. */
kiosk_error ui_card_step_build(const ui_frame_model *frame, const ui_step_model *step,
                               const char *status, bool status_is_problem,
                               ui_widget **out) KIOSK_MUST_CHECK;

/* A drawing of the ID card reader with a card on it, filling pad: widgets
 * "<prefix>.reader", "<prefix>.picture", ... False when out of memory. */
bool ui_card_reader_create(ui_widget *root, const char *prefix, SDL_Rect pad);

/* After a service: what now? Another service (UI_ACTION_HOME, the citizen
 * stays identified) or the end of the visit (UI_ACTION_END_SESSION), both
 * large. With the card still on the reader, asking for it back comes first,
 * in the alert tone, above all else. */
typedef struct ui_finished_model {
    const char *title, *prompt;
    const char *card_back, *card_back_body; /* NULL: no card on the reader */
    const char *more, *end;
} ui_finished_model;

kiosk_error ui_finished_build(const ui_frame_model *frame, const ui_finished_model *model,
                              ui_widget **out) KIOSK_MUST_CHECK;

/* The visit is over and the card is still on the reader: take it, in the
 * hall's language, large, with the reader drawn, and in the other two
 * languages under it. No buttons: lifting the card is the way on. */
kiosk_error ui_take_card_build(const ui_frame_model *frame, ui_widget **out) KIOSK_MUST_CHECK;

/* The form of a service: each field a large box to tap (UI_ACTION_EDIT_FIELD
 * with its index; "form.field.<i>", whose text is its label), showing its
 * label, its value or, when empty, the placeholder set apart from values,
 * and a note under it. A field filled from the ID card is locked: shown
 * flat, with a lock, and not tappable. A field with a problem has a thick
 * border of the alert colour and the problem right under its value
 * ("form.problem.<i>"); while any has, the intro is said in the alert tone
 * (the app puts how many there). The fields scroll when they do not fit
 * ("form.fields"); focus is a field to bring into view as the screen is
 * built (see ui_scroll_view_reveal). Two abreast on a wide screen. */
#define UI_FORM_ROWS_MAX 16
struct ui_ink;
typedef struct ui_form_row {
    const char *label; /* "联系电话" */
    const char *value; /* as shown (masked by the app where it need not be read); NULL or "" */
    const char *placeholder; /* shown when empty: "请选择" / "请输入" */
    const char *note;        /* a smaller line under it: help, or "来自身份证"; NULL none */
    const char *problem;     /* what is wrong with it, alert tone; NULL none */
    bool locked;             /* pre-filled from the ID card: shown, not tappable */
    bool required;           /* marked as required */
    bool personal;           /* the value is the citizen's: never said aloud on the speaker */
    /* A signature field's strokes, signed: a small picture of them at the
     * end of the value's line ("form.signature.<i>"); NULL none. */
    const struct ui_ink *ink;
} ui_form_row;

typedef struct ui_form_model {
    const char *intro; /* one line above the fields: "请核对并补充以下信息"; NULL none */
    const ui_form_row *rows;
    size_t row_count; /* up to UI_FORM_ROWS_MAX */
    int focus;        /* a row to bring into view, -1 none */
} ui_form_model;

kiosk_error ui_form_build(const ui_frame_model *frame, const ui_step_model *step,
                          const ui_form_model *model, ui_widget **out) KIOSK_MUST_CHECK;

/* One field of the form at a time: its label as a heading ("edit.label"), a
 * line of help ("edit.help"), what is wrong ("edit.problem", alert tone), and
 * either a keypad typing into a field ("edit.value"; keys "keypad.<key>",
 * UI_ACTION_KEY, as on the identify step) or a large button per choice
 * ("edit.choice.<i>", UI_ACTION_CHOOSE with its index; the chosen one in the
 * primary tone with a tick, and UI_FLAG_CHECKED), which scroll when they do
 * not fit (the chosen one brought into view). Where large text on a small
 * panel leaves too little room, the help gives way first, then the label
 * stands in the step's title instead of the service's name. */
#define UI_FIELD_CHOICES_MAX 8
typedef struct ui_field_edit_model {
    const char *label;   /* the heading: the field's label */
    const char *help;    /* "11 位手机号码" or "如 20260315"; NULL none */
    const char *problem; /* what is wrong, alert tone; NULL none */
    bool choices;        /* a list of choices; else a keypad */
    /* keypad */
    const char *typed;  /* what was typed so far */
    const char *format; /* the hint in the empty field: "年月日 8 位数字" */
    bool with_x;        /* the keypad has X (ID numbers) */
    /* choices */
    const char *const *choice_labels; /* up to UI_FIELD_CHOICES_MAX */
    size_t choice_count;
    int chosen; /* the current choice, -1 none */
    /* keypad: what was typed shown in groups, for the eye only ("3-4-4" a
     * mobile number, "6-8-4" an ID number; ui_text_field_group); NULL none */
    const char *group;
} ui_field_edit_model;

kiosk_error ui_field_edit_build(const ui_frame_model *frame, const ui_step_model *step,
                                const ui_field_edit_model *model, ui_widget **out) KIOSK_MUST_CHECK;

/* The materials a service needs, as a checklist: each row a check box, the
 * material's name and a note ("materials.item.<i>", UI_ACTION_TOGGLE with
 * its index; UI_FLAG_CHECKED when ticked). What the platform fetches itself
 * (电子证照) is locked: shown ticked, with a lock, not tappable. The rows
 * scroll when they do not fit ("materials.items"; with a problem, the first
 * not ticked is brought into view); the problem ("materials.problem", alert
 * tone) stands above the step's buttons. */
#define UI_MATERIALS_ROWS_MAX 12
typedef struct ui_material_row {
    const char *name; /* "出生医学证明" */
    const char *note; /* "将从电子证照库调取"; NULL none */
    bool checked;
    bool locked; /* fetched by the platform: shown checked, not tappable */
} ui_material_row;

typedef struct ui_materials_model {
    const char *intro; /* "请确认您已备齐以下材料"; NULL none */
    const ui_material_row *rows;
    size_t row_count;    /* up to UI_MATERIALS_ROWS_MAX */
    const char *problem; /* next was tapped with one unchecked; NULL none */
} ui_materials_model;

kiosk_error ui_materials_build(const ui_frame_model *frame, const ui_step_model *step,
                               const ui_materials_model *model, ui_widget **out) KIOSK_MUST_CHECK;

/* Before submitting: what will be sent, as label and value side by side (the
 * label over its value on a narrow screen, two pairs abreast on a wide one;
 * "confirm.line.<i>", whose text is the value, its label
 * "confirm.line.<i>.label"), for a 一件事 bundle the services done together
 * under their heading ("confirm.items", "confirm.item.<i>"), scrolling when
 * they do not fit ("confirm.summary"), and a note above the step's buttons
 * ("confirm.note"), in the alert tone when note_problem. When the intro and
 * the note would leave the rest less than half the room, all scroll
 * together. */
#define UI_CONFIRM_LINES_MAX 20
#define UI_CONFIRM_ITEMS_MAX 6
typedef struct ui_summary_line {
    const char *label, *value;
    bool personal; /* the value is the citizen's: never said aloud on the speaker */
} ui_summary_line;

typedef struct ui_confirm_model {
    const char *intro;            /* "请确认以下信息，提交后不能修改"; NULL none */
    const ui_summary_line *lines; /* the form's values (masked by the app), up to 20 */
    size_t line_count;
    const char *items_heading; /* for a bundle: "本次一并办理"; NULL none */
    const char *const *items;  /* "出生医学证明 · 卫生健康委", up to 6 */
    size_t item_count;
    const char *note;  /* e.g. the offline note; NULL none */
    bool note_problem; /* say the note in the alert tone */
} ui_confirm_model;

kiosk_error ui_confirm_build(const ui_frame_model *frame, const ui_step_model *step,
                             const ui_confirm_model *model, ui_widget **out) KIOSK_MUST_CHECK;

/* What cannot be done: a title, what happened (and whether anything was
 * kept), what to do next, a large way home; help is in the footer. */
kiosk_error ui_error_build(const ui_frame_model *frame, const char *title, const char *what,
                           const char *next, ui_widget **out) KIOSK_MUST_CHECK;

/* Printing the receipt: under way, done (take it), or failed (why, what it
 * means, and that staff were called), with the receipt shown as it prints.
 * The preview scrolls when it is taller than the room. Buttons: done
 * (UI_ACTION_END_SESSION), and after a failure, try again (UI_ACTION_NEXT). */
typedef enum ui_print_state {
    UI_PRINT_PRINTING,
    UI_PRINT_DONE,
    UI_PRINT_FAILED,
} ui_print_state;

struct receipt;
typedef struct ui_print_model {
    ui_print_state state;
    const char *title, *body; /* the state's words (the app fills the failure's reason) */
    const struct receipt *receipt;
    bool can_retry;
} ui_print_model;

kiosk_error ui_print_build(const ui_frame_model *frame, const ui_print_model *model,
                           ui_widget **out) KIOSK_MUST_CHECK;

/* Show a code: a phone held out to the scanner, where the scanner is, what
 * to show, and the way back (UI_ACTION_BACK) or home. status: the scanner's
 * state in words, alert when it is a problem. */
typedef struct ui_scan_model {
    const char *title;        /* the step: "请出示二维码" */
    const char *prompt;       /* what code, from where */
    const char *where;        /* where the scanner is: "扫码窗口在屏幕下方" */
    const char *status;       /* the scanner's state, or NULL */
    bool status_problem;      /* say it as a problem */
    bool scanner_below;       /* draw the arrow down (else right) */
    const char *type_instead; /* a button to type the number instead
                                 ("scan.type", UI_ACTION_NEXT); NULL: none */
} ui_scan_model;

kiosk_error ui_scan_build(const ui_frame_model *frame, const ui_scan_model *model,
                          ui_widget **out) KIOSK_MUST_CHECK;

/* An answer to a question the citizen asked (a status looked up): a title,
 * the answer, a smaller line, and the ways on: ask another (UI_ACTION_BACK)
 * and done (UI_ACTION_END_SESSION). problem: the answer is that there is
 * none (said in the alert tone). */
typedef struct ui_notice_model {
    const char *title, *body, *detail;
    const char *again; /* the "ask another" button's words; NULL: none */
    bool problem;
} ui_notice_model;

kiosk_error ui_notice_build(const ui_frame_model *frame, const ui_notice_model *model,
                            ui_widget **out) KIOSK_MUST_CHECK;

/* 好差评: how the service was, in five levels from the best (choices[0])
 * to the worst, each a large button (UI_ACTION_CHOOSE with its index), all
 * alike (one size, one neutral tone, none chosen beforehand); or, after a
 * poor rating, what went wrong, then whether staff should come (the same
 * action). "Skip" (UI_ACTION_END_SESSION) is always there: rating is never a
 * condition. */
#define UI_RATE_CHOICES_MAX 6
typedef struct ui_rate_model {
    const char *title, *prompt;
    const char *choices[UI_RATE_CHOICES_MAX];
    size_t choice_count;
    bool levels;                            /* the five levels, else reasons or a question */
    const char *icons[UI_RATE_CHOICES_MAX]; /* a pictogram before each choice; NULL none */
    const char *skip;
} ui_rate_model;

kiosk_error ui_rate_build(const ui_frame_model *frame, const ui_rate_model *model,
                          ui_widget **out) KIOSK_MUST_CHECK;

/* Help: what happens next (staff come to this terminal; or nobody is on
 * duty now, and the hotline), help for the step the citizen came from, a
 * large "call staff" (UI_ACTION_CHOOSE 0) that says when staff have been
 * called, the hotline, and the way back to where the citizen was
 * (UI_ACTION_BACK). The footer has no help button here. */
typedef struct ui_help_model {
    const char *title, *body;
    const char *step_heading, *step_help; /* the step the citizen came from; NULL none */
    const char *call;                     /* the call button's words; NULL: nobody to call */
    const char *status;                   /* "staff are coming", or NULL before a call */
    bool status_problem;
    const char *hotline; /* "政务服务便民热线：12345"; NULL none */
} ui_help_model;

kiosk_error ui_help_build(const ui_frame_model *frame, const ui_help_model *model,
                          ui_widget **out) KIOSK_MUST_CHECK;

/* The end of a service: accepted by the platform, or kept on the terminal
 * to be sent when the link is back (the citizen need not come again). */
typedef enum ui_result_outcome {
    UI_RESULT_ACCEPTED,
    UI_RESULT_QUEUED,
} ui_result_outcome;

typedef struct ui_result_model {
    ui_result_outcome outcome;
    const char *service_name;
    const char *tracking_number; /* the platform's, or the terminal's own when queued */
    const char *masked_id;       /* 110105********1234 */
    const char *time_text;
    const char *qr_data; /* where to follow progress; NULL or "": no code */
    bool can_print;      /* offer the receipt on paper (UI_ACTION_NEXT) */
    /* What the citizen does next (what to bring, where, by when), or that
     * nothing more is needed; NULL or "": not said. */
    const char *next_steps;
    /* A queue ticket: the platform's number ("A023"), the window and when
     * to come (local time); NULL or "" for other services. */
    const char *queue_number;
    const char *window;
    const char *slot_text;
    /* When it was done (UTC seconds): the app writes time_text from it in
     * the language shown, so a change of language changes it too; 0 keeps
     * time_text as given. */
    int64_t at;
    /* A ticket's counter in every language and its slot (UTC seconds), for
     * the same reason; NULL and 0 keep window and slot_text as given. */
    const char *windows[LANG_COUNT];
    int64_t slot_start, slot_end;
} ui_result_model;

/* The result and receipt: the outcome, the receipt's facts, a QR code to
 * follow progress, "print the receipt" when there is a printer, and "done"
 * (UI_ACTION_END_SESSION). */
kiosk_error ui_result_build(const ui_frame_model *frame, const ui_result_model *result,
                            ui_widget **out) KIOSK_MUST_CHECK;

/* The time-out warning: why, a countdown of seconds_left, a large "continue"
 * (UI_ACTION_CONTINUE) and "end" (UI_ACTION_END_SESSION). */
kiosk_error ui_timeout_build(const ui_frame_model *frame, int seconds_left, int total_seconds,
                             ui_widget **out) KIOSK_MUST_CHECK;

/* The countdown's text for seconds_left, in the frame's language. */
void ui_timeout_countdown_text(const ui_frame_model *frame, int seconds_left, char *out,
                               size_t out_size);

/* Signing a signature field: the field's label as a heading ("sign.label"),
 * what to do ("sign.hint", in the alert tone when hint_problem), the pad
 * over most of the room left ("sign.pad", ui/signature_pad.h: drawing on
 * ink, UI_ACTION_DRAWN when the finger lifts), and under it clear (清除, or
 * 重签 for a signature already accepted: "sign.clear", UI_ACTION_KEY with
 * UI_KEY_CLEAR) when there is ink. The step's buttons: back (返回,
 * UI_ACTION_BACK) and, when the step model has next, done (完成). */
struct ui_ink;
typedef struct ui_sign_model {
    const char *label, *hint, *prompt;
    bool hint_problem;
    struct ui_ink *ink; /* the app's; it outlives the screen */
    float pen_dp;       /* the pen's width */
    bool locked;        /* a signature accepted: shown, not drawn on */
    const char *clear;  /* the clear button's words; NULL: none */
    const char *back;   /* the back button's words; NULL: the step's */
    /* The keypad's way instead of drawing (UI_ACTION_SIGN_BY_KEY), a
     * button across the room above the pad; NULL: none. */
    const char *by_key;
} ui_sign_model;

kiosk_error ui_sign_build(const ui_frame_model *frame, const ui_step_model *step,
                          const ui_sign_model *model, ui_widget **out) KIOSK_MUST_CHECK;

/* The clock line in language, from the string table's clock.format, or the
 * shorter clock.format.brief where a narrow screen has large text or the
 * line also carries a note (the link, the store) after the time. */
void ui_clock_format(const ui_frame_model *frame, const struct tm *when, bool with_note, char *out,
                     size_t out_size);

/* ---- Certificates (ui/screen_document.c, docs/certificates.md) ---- */

/* Which certificate: one large row per document (UI_ACTION_CHOOSE with its
 * index, "document.row.<i>"), its title and what tells it apart (the
 * enterprise), under an intro; the step's back and cancel. */
#define UI_DOCUMENT_ROWS_MAX 8
typedef struct ui_document_row {
    const char *title, *detail;
} ui_document_row;

typedef struct ui_document_list_model {
    const char *intro;
    const ui_document_row *rows;
    size_t count;
} ui_document_list_model;

kiosk_error ui_document_list_build(const ui_frame_model *frame, const ui_step_model *step,
                                   const ui_document_list_model *model,
                                   ui_widget **out) KIOSK_MUST_CHECK;

/* The certificate before it prints: its title, one page as large as fits
 * ("document.page", white paper; or, without a preview, a card saying so),
 * which page of how many with 上一页 / 下一页 (UI_ACTION_PAGE -1 / +1) when
 * there are more, its verification code, and the printer's problem in the
 * alert tone when it cannot print (the app then names the step's next
 * 再试一次 rather than 打印). */
struct ui_pdf;
typedef struct ui_document_preview_model {
    const char *title;
    struct ui_pdf *pdf;               /* NULL: no preview; unavailable says why */
    int page, page_count;             /* page 0-based */
    const char *page_text;            /* "第 1 页，共 2 页" */
    const char *unavailable;          /* shown in the page's place when pdf is NULL */
    const char *code_text;            /* "验证码：…" */
    const char *printer_problem;      /* NULL: the printer is ready */
    const char *previous, *following; /* the page buttons' words */
} ui_document_preview_model;

kiosk_error ui_document_preview_build(const ui_frame_model *frame, const ui_step_model *step,
                                      const ui_document_preview_model *model,
                                      ui_widget **out) KIOSK_MUST_CHECK;

/* A certificate on its way, printing, printed or not to be had: a title and
 * what it means in a card (alert tone when problem), and up to two large
 * buttons at the foot ("document.primary", "document.secondary"). */
typedef struct ui_document_status_model {
    const char *title, *body;
    bool problem;
    const char *primary; /* NULL: none */
    ui_action primary_action;
    const char *secondary; /* NULL: none */
    ui_action secondary_action;
} ui_document_status_model;

kiosk_error ui_document_status_build(const ui_frame_model *frame,
                                     const ui_document_status_model *model,
                                     ui_widget **out) KIOSK_MUST_CHECK;

/* Staff or a technician signing in: who (title), the PIN as dots, what
 * the last attempt said (problem: in the alert tone), a keypad (digits,
 * delete, clear: UI_ACTION_KEY), cancel (UI_ACTION_CANCEL) and sign in
 * (UI_ACTION_NEXT, only when enabled: not while locked). */
typedef struct ui_staff_pin_model {
    const char *title;
    const char *short_title; /* on a screen short of room (their name) */
    int digits;              /* typed so far: shown as that many dots */
    const char *message;
    bool problem;
    bool locked; /* no keypad and no sign in: only cancel */
} ui_staff_pin_model;

kiosk_error ui_staff_pin_build(const ui_frame_model *frame, const ui_staff_pin_model *model,
                               ui_widget **out) KIOSK_MUST_CHECK;

#endif
