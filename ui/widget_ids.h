/* The ids of the widgets the app and the tests look up in a built tree.
 *
 * A screen names its widgets with these; the app finds them (ui_widget_find)
 * or changes them in place (ui_live_update) by the same constants, so that a
 * renamed id is a compile error rather than a silent miss. Ids of a screen's
 * repeated widgets are printf formats ("..._FMT"), given the row's index (or
 * the tile's, the language's, the key's name). */
#ifndef KIOSK_UI_WIDGET_IDS_H
#define KIOSK_UI_WIDGET_IDS_H

/* The frame: title bar and footer. */
#define UI_ID_PAGE            "page"
#define UI_ID_TITLE_BAR       "title"
#define UI_ID_HALL            "title.hall"
#define UI_ID_CLOCK           "title.clock"
#define UI_ID_FOOTER          "footer"
#define UI_ID_FOOTER_LANG_FMT "footer.lang.%s" /* lang_code() */
#define UI_ID_FOOTER_CONTRAST "footer.contrast"
#define UI_ID_FOOTER_ELDER    "footer.elder"
#define UI_ID_FOOTER_HELP     "footer.help"
#define UI_ID_FOOTER_READER   "footer.reader"      /* screen-reader mode on or off */
#define UI_ID_FOOTER_QUIETER  "footer.volume.down" /* while reading aloud */
#define UI_ID_FOOTER_LOUDER   "footer.volume.up"
#define UI_ID_ATTRACT_READER  "attract.reader"

/* Attract. */
#define UI_ID_ATTRACT_START  "attract.start"
#define UI_ID_ATTRACT_OFFERS "attract.offers"
#define UI_ID_ATTRACT_STAFF  "attract.staff" /* the staff's line: changed in place */
#define UI_ID_ATTRACT_STATE  "attract.state" /* the terminal's state, in a citizen's words */

/* Home. */
#define UI_ID_HOME_PROMPT   "home.prompt"
#define UI_ID_HOME_END      "home.end"
#define UI_ID_HOME_PAGE     "home.page"
#define UI_ID_HOME_PREVIOUS "home.previous"
#define UI_ID_HOME_NEXT     "home.next"
#define UI_ID_TILE_FMT      "tile.%s" /* the tile model's id */

/* The terminal's state, said on a tile (the tile model's id). */
#define UI_ID_TILE_STATE_FMT "tile.%s.state"

/* Every step of a service. */
#define UI_ID_STEP_TITLE    "step.title"
#define UI_ID_STEP_PROGRESS "step.progress"
#define UI_ID_STEP_BAR_FMT  "step.bar.%d" /* 1-based */
#define UI_ID_STEP_BACK     "step.back"
#define UI_ID_STEP_CANCEL   "step.cancel"
#define UI_ID_STEP_NEXT     "step.next" /* says "sending" in place while a submission waits */

/* Identification. */
#define UI_ID_IDENTIFY_FIELD   "identify.field"
#define UI_ID_IDENTIFY_PROBLEM "identify.problem"
#define UI_ID_KEYPAD           "keypad" /* keys "keypad.<key>": 0-9, x, delete, clear */
#define UI_ID_KEYPAD_DELETE    "keypad.delete"
#define UI_ID_KEYPAD_CLEAR     "keypad.clear"
#define UI_ID_CARD_PROMPT      "card.prompt"
#define UI_ID_CARD_STATUS      "card.status" /* the reader's state: changed in place */
#define UI_ID_CARD_TAKE_BACK   "card.take_back"
#define UI_ID_CARD_TAKE_BODY   "card.take_back.body"

/* The form and one field. */
#define UI_ID_FORM_INTRO       "form.intro"
#define UI_ID_FORM_FIELDS      "form.fields" /* the scroll view, when they scroll */
#define UI_ID_FORM_FIELD_FMT   "form.field.%zu"
#define UI_ID_FORM_VALUE_FMT   "form.value.%zu"
#define UI_ID_FORM_PROBLEM_FMT "form.problem.%zu"
#define UI_ID_EDIT_LABEL       "edit.label"
#define UI_ID_EDIT_HELP        "edit.help"
#define UI_ID_EDIT_PROBLEM     "edit.problem"
#define UI_ID_EDIT_VALUE       "edit.value"
#define UI_ID_EDIT_CHOICES     "edit.choices"
#define UI_ID_EDIT_CHOICE_FMT  "edit.choice.%zu"

/* Materials and confirmation. */
#define UI_ID_MATERIALS_INTRO    "materials.intro"
#define UI_ID_MATERIALS_ITEMS    "materials.items" /* the scroll view, when they scroll */
#define UI_ID_MATERIALS_ITEM_FMT "materials.item.%zu"
#define UI_ID_MATERIALS_PROBLEM  "materials.problem"
#define UI_ID_CONFIRM_INTRO      "confirm.intro"
#define UI_ID_CONFIRM_SUMMARY    "confirm.summary"
#define UI_ID_CONFIRM_LINE_FMT   "confirm.line.%zu"
#define UI_ID_CONFIRM_ITEMS      "confirm.items"
#define UI_ID_CONFIRM_ITEM_FMT   "confirm.item.%zu"
#define UI_ID_CONFIRM_NOTE       "confirm.note"

/* The end of a service. */
#define UI_ID_RESULT_TITLE     "result.title"
#define UI_ID_RESULT_SERVICE   "result.service"
#define UI_ID_RESULT_TRACKING  "result.tracking"
#define UI_ID_RESULT_ID_NUMBER "result.id_number"
#define UI_ID_RESULT_TIME      "result.time"
#define UI_ID_RESULT_QR        "result.qr"
#define UI_ID_RESULT_QR_TEXT   "result.qr_caption"
#define UI_ID_RESULT_PRINT     "result.print"
#define UI_ID_RESULT_DONE      "result.done"
#define UI_ID_RESULT_NEXT      "result.next"
#define UI_ID_PRINT_TITLE      "print.title"
#define UI_ID_PRINT_BODY       "print.body"
#define UI_ID_PRINT_RECEIPT    "print.receipt"
#define UI_ID_PRINT_DONE       "print.done"
#define UI_ID_PRINT_RETRY      "print.retry"
#define UI_ID_FINISHED_TITLE   "finished.title"
#define UI_ID_FINISHED_PROMPT  "finished.prompt"
#define UI_ID_FINISHED_MORE    "finished.more"
#define UI_ID_FINISHED_END     "finished.end"
#define UI_ID_RATE_TITLE       "rate.title"
#define UI_ID_RATE_PROMPT      "rate.prompt"
#define UI_ID_RATE_CHOICES     "rate.choices"
#define UI_ID_RATE_CHOICE_FMT  "rate.choice.%zu"
#define UI_ID_RATE_SKIP        "rate.skip"

/* Scanning, answers, help, errors, the time-out. */
#define UI_ID_SCAN_TITLE    "scan.title"
#define UI_ID_SCAN_STATUS   "scan.status"
#define UI_ID_SCAN_TYPE     "scan.type"
#define UI_ID_SCAN_BACK     "scan.back"
#define UI_ID_NOTICE_CARD   "notice.card"
#define UI_ID_NOTICE_TITLE  "notice.title"
#define UI_ID_NOTICE_BODY   "notice.body"
#define UI_ID_NOTICE_DETAIL "notice.detail"
#define UI_ID_NOTICE_AGAIN  "notice.again"
#define UI_ID_NOTICE_DONE   "notice.done"
#define UI_ID_HELP_TITLE    "help.title"
#define UI_ID_HELP_BODY     "help.body"
#define UI_ID_HELP_MORE     "help.more" /* the scroll view, on a short screen */
#define UI_ID_HELP_CALL     "help.call"
#define UI_ID_HELP_STATUS   "help.status"
#define UI_ID_HELP_BACK     "help.back"
#define UI_ID_ERROR_TITLE   "error.title"
#define UI_ID_ERROR_WHAT    "error.what"
#define UI_ID_ERROR_NEXT    "error.next"
#define UI_ID_ERROR_HOME    "error.home"
#define UI_ID_TIMEOUT_TITLE "timeout.title"
#define UI_ID_COUNTDOWN     "timeout.countdown" /* changed in place every second */
#define UI_ID_TIMEOUT_STAY  "timeout.continue"
#define UI_ID_TIMEOUT_END   "timeout.end"

/* Signing. */
#define UI_ID_SIGN_LABEL "sign.label"
#define UI_ID_SIGN_HINT  "sign.hint"
#define UI_ID_SIGN_PAD   "sign.pad"
#define UI_ID_SIGN_CLEAR "sign.clear"
#define UI_ID_SIGN_KEYED "sign.by_key" /* confirmed by key instead */

/* Staff and technicians signing in: the PIN. */
#define UI_ID_PIN_TITLE   "pin.title"
#define UI_ID_PIN_FIELD   "pin.field" /* dots, one per digit typed */
#define UI_ID_PIN_MESSAGE "pin.message"
#define UI_ID_PIN_KEYPAD  "pin.keypad"
#define UI_ID_PIN_CANCEL  "pin.cancel"
#define UI_ID_PIN_OK      "pin.ok"

#endif
