/* Certificates: the list, the preview, the A4 print. See app_document.h.
 *
 * One screen ("document") in the states of a certificate's way: asked,
 * chosen, fetched and shown, printing, printed, or not to be had. The PDF
 * is held in the block the sync thread decoded it into (wiped when freed),
 * opened in place for the preview; it is wiped when printed, when the
 * citizen leaves the service, when another is fetched, and when the session
 * ends. The platform is asked once per tap: a platform that fails is told
 * to the citizen, never asked again by itself. */
#include "firmware/app/app_document.h"
#include "firmware/app/app_a4.h"
#include "firmware/app/app_flow.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_rate.h"
#include "firmware/app/app_session.h"
#include "firmware/app/navigation.h"

#include "firmware/base/log.h"
#include "firmware/base/wipe_alloc.h"
#include "ui/pdf_view.h"

#include <stdio.h>
#include <string.h>

#define DOCUMENT_LOG "document"

typedef enum document_state {
    DOCUMENT_IDLE,
    DOCUMENT_ASKING,   /* the list is asked */
    DOCUMENT_LIST,     /* the citizen chooses */
    DOCUMENT_FETCHING, /* one is asked */
    DOCUMENT_PREVIEW,
    DOCUMENT_PRINTING,
    DOCUMENT_PRINTED,
    DOCUMENT_FAILED,    /* the printer did not print it: kept, the citizen told */
    DOCUMENT_NONE,      /* the platform has none for the citizen */
    DOCUMENT_NO_ANSWER, /* the platform did not give it, or it is not a certificate */
    DOCUMENT_NO_LINK,   /* the platform cannot be asked now */
} document_state;

static struct {
    document_state state;
    sync_documents_result list;
    int chosen;
    sync_document_result held; /* held.pdf: the certificate, wiped when freed */
    ui_pdf *pdf;               /* the preview's view of held.pdf, or NULL */
    int page;
    bool staff_called; /* once per certificate */
    char reason[48];   /* FAILED: the printer's reason key */
} doc;

static const catalog_service *service_of(const kiosk_app *app)
{
    return app_session_flow(app)->service;
}

static void drop_document(void)
{
    ui_pdf_close(doc.pdf);
    doc.pdf = NULL;
    wipe_free(doc.held.pdf);
    explicit_bzero(&doc.held, sizeof doc.held);
    doc.page = 0;
    doc.staff_called = false;
}

void app_document_forget(kiosk_app *app)
{
    (void)app;
    drop_document();
    explicit_bzero(&doc, sizeof doc);
}

bool app_document_held(void)
{
    return doc.held.pdf != NULL;
}

/* Shows the screen in state; coming from another screen (the card's). */
static void enter(kiosk_app *app, document_state state)
{
    doc.state = state;
    if (app_go(app, APP_SCREEN_DOCUMENT) != KIOSK_OK)
        LOG_WARN(DOCUMENT_LOG, "the certificate's screen could not be shown");
}

/* Moves to state, and shows it when the screen is up: a citizen who went
 * to help (or is asked whether they are still there) finds it on return. */
static void show(kiosk_app *app, document_state state)
{
    doc.state = state;
    if (app_current_screen(app) == APP_SCREEN_DOCUMENT)
        enter(app, state);
}

static void call_staff_once(kiosk_app *app, const char *reason)
{
    if (doc.staff_called)
        return;
    doc.staff_called = true;
    if (app_platform_call_staff(app, reason, "document") != KIOSK_OK)
        LOG_WARN(DOCUMENT_LOG, "staff could not be called");
}

static void fetch(kiosk_app *app, int index)
{
    drop_document();
    doc.chosen = index;
    const catalog_service *service = service_of(app);
    if (!app_platform_document(app, service->id, app_session_citizen_id(app),
                               app_session_citizen_name(app), doc.list.entries[index].id)) {
        show(app, DOCUMENT_NO_LINK);
        return;
    }
    LOG_INFO(DOCUMENT_LOG, "%s: document %d asked", service->id, index + 1);
    show(app, DOCUMENT_FETCHING);
}

void app_document_start(kiosk_app *app)
{
    const catalog_service *service = service_of(app);
    app_document_forget(app);
    /* A certificate is the citizen's own record: never for a number typed
     * (the catalog's loader already refuses such a service one). */
    if (!service || !app_session_identified(app)) {
        LOG_WARN(DOCUMENT_LOG, "no proven identity: nothing asked");
        enter(app, DOCUMENT_NO_ANSWER);
        return;
    }
    if (!app_platform_documents(app, service->id, app_session_citizen_id(app),
                                app_session_citizen_name(app))) {
        LOG_INFO(DOCUMENT_LOG, "%s: the platform cannot be asked now", service->id);
        enter(app, DOCUMENT_NO_LINK);
        return;
    }
    enter(app, DOCUMENT_ASKING);
}

static void listed(kiosk_app *app, const sync_documents_result *list)
{
    if (doc.state != DOCUMENT_ASKING || strcmp(list->service, service_of(app)->id) != 0)
        return; /* the citizen has left, or asked again since */
    if (list->outcome != SYNC_DOCUMENT_FOUND) {
        show(app, list->outcome == SYNC_DOCUMENT_NOT_FOUND ? DOCUMENT_NONE : DOCUMENT_NO_ANSWER);
        return;
    }
    doc.list = *list;
    LOG_INFO(DOCUMENT_LOG, "%s: %zu document(s) listed", list->service, list->count);
    if (list->count == 0)
        show(app, DOCUMENT_NONE);
    else if (list->count == 1)
        fetch(app, 0); /* nothing to choose */
    else
        show(app, DOCUMENT_LIST);
}

static void arrived(kiosk_app *app, sync_document_result *got)
{
    const sync_document_entry *asked = &doc.list.entries[doc.chosen];
    if (doc.state != DOCUMENT_FETCHING || strcmp(got->service, service_of(app)->id) != 0 ||
        strcmp(got->document, asked->id) != 0)
        return; /* the release wipes and frees what came */
    if (got->outcome != SYNC_DOCUMENT_FOUND) {
        show(app, got->outcome == SYNC_DOCUMENT_NOT_FOUND ? DOCUMENT_NONE : DOCUMENT_NO_ANSWER);
        return;
    }
    /* Taken out of the event: ours until it is wiped. */
    doc.held = *got;
    got->pdf = NULL;
    got->length = 0;
    if (!sync_document_pdf_valid(doc.held.pdf, doc.held.length, doc.held.pages)) {
        drop_document();
        show(app, DOCUMENT_NO_ANSWER);
        return;
    }
    kiosk_error opened = ui_pdf_open(doc.held.pdf, doc.held.length, &doc.pdf);
    if (opened == KIOSK_OK && ui_pdf_page_count(doc.pdf) != doc.held.pages) {
        LOG_WARN(DOCUMENT_LOG, "a certificate of %d pages said it had %d: refused",
                 ui_pdf_page_count(doc.pdf), doc.held.pages);
        opened = KIOSK_ERR_MALFORMED;
    }
    if (opened == KIOSK_ERR_MALFORMED) {
        drop_document(); /* what the renderer cannot read is not printed either */
        show(app, DOCUMENT_NO_ANSWER);
        return;
    }
    LOG_INFO(DOCUMENT_LOG, "%s: a certificate of %d page(s) shown%s", got->service, doc.held.pages,
             doc.pdf ? "" : " (no preview in this build)");
    /* The preview says the printer cannot print, and that staff are told:
     * so they are. */
    if (!app_a4_ready(app, NULL))
        call_staff_once(app, "a4-printer");
    show(app, DOCUMENT_PREVIEW);
}

void app_document_event(kiosk_app *app, app_event *event)
{
    if (!service_of(app))
        return; /* the release wipes and frees what came */
    if (event->kind == APP_EVENT_DOCUMENTS)
        listed(app, event->payload);
    else if (event->kind == APP_EVENT_DOCUMENT)
        arrived(app, event->payload);
}

/* ---- the screen ------------------------------------------------------------ */

static void fill(const ui_frame_model *frame, const char *key, const char *const *names,
                 const char *const *values, size_t count, char *out, size_t size)
{
    ui_strings_fill(ui_frame_text(frame, key), names, values, count, out, size);
}

static kiosk_error build_status(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    const catalog_service *service = service_of(app);
    const char *names[] = {"service", "title", "pages", "code", "reason"};
    char pages[16], reason[320] = "";
    snprintf(pages, sizeof pages, "%d", doc.held.pages);
    if (doc.state == DOCUMENT_FAILED)
        snprintf(reason, sizeof reason, "%s", ui_frame_text(frame, doc.reason));
    const char *values[] = {service->name[app_language(app)], doc.held.title, pages,
                            doc.held.verification_code, reason};
    static const struct {
        document_state state;
        const char *key;
        bool problem;
    } states[] = {
        {DOCUMENT_ASKING, "document.asking", false},
        {DOCUMENT_FETCHING, "document.fetching", false},
        {DOCUMENT_PRINTING, "document.printing", false},
        {DOCUMENT_PRINTED, "document.printed", false},
        {DOCUMENT_FAILED, "document.failed", true},
        {DOCUMENT_NONE, "document.none", true},
        {DOCUMENT_NO_ANSWER, "document.no_answer", true},
        {DOCUMENT_NO_LINK, "document.no_link", true},
    };
    size_t i = 0;
    while (i + 1 < sizeof states / sizeof states[0] && states[i].state != doc.state)
        i++;
    char title_key[64], body_key[64], body[1024];
    snprintf(title_key, sizeof title_key, "%s.title", states[i].key);
    snprintf(body_key, sizeof body_key, "%s.body", states[i].key);
    fill(frame, body_key, names, values, 5, body, sizeof body);
    /* Printed: and what comes after, as the catalog says it. */
    const char *next = service->next_steps[app_language(app)];
    if (doc.state == DOCUMENT_PRINTED && next[0]) {
        size_t used = strlen(body);
        snprintf(body + used, sizeof body - used, "\n%s", next);
    }
    ui_document_status_model model = {
        .title = ui_frame_text(frame, title_key), .body = body, .problem = states[i].problem};
    switch (doc.state) {
    case DOCUMENT_PRINTED:
        model.primary = ui_frame_text(frame, "print.finish");
        model.primary_action = UI_ACTION_NEXT;
        break;
    case DOCUMENT_FAILED:
        /* Nothing is lost: the certificate is still here to print again
         * once the printer can. */
        model.primary = ui_frame_text(frame, "print.finish");
        model.primary_action = UI_ACTION_END_SESSION;
        if (app_a4_ready(app, NULL)) {
            model.secondary = ui_frame_text(frame, "document.again");
            model.secondary_action = UI_ACTION_BACK;
        }
        break;
    case DOCUMENT_NONE:
    case DOCUMENT_NO_ANSWER:
    case DOCUMENT_NO_LINK:
        model.primary = ui_frame_text(frame, "print.finish");
        model.primary_action = UI_ACTION_END_SESSION;
        /* Asked again only when the citizen taps: no loop, no storm. */
        if (doc.state != DOCUMENT_NONE) {
            model.secondary = ui_frame_text(frame, "document.again");
            model.secondary_action = UI_ACTION_BACK;
        }
        break;
    default:
        model.secondary = ui_frame_text(frame, "step.cancel");
        model.secondary_action = UI_ACTION_CANCEL;
        break;
    }
    return ui_document_status_build(frame, &model, out);
}

static kiosk_error build_list(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    ui_document_row rows[UI_DOCUMENT_ROWS_MAX];
    size_t count = doc.list.count < UI_DOCUMENT_ROWS_MAX ? doc.list.count : UI_DOCUMENT_ROWS_MAX;
    for (size_t i = 0; i < count; i++)
        rows[i] = (ui_document_row){doc.list.entries[i].title, doc.list.entries[i].detail};
    ui_step_model step = app_flow_step_model(app);
    step.next = false;
    ui_document_list_model model = {
        .intro = ui_frame_text(frame, "document.list.intro"), .rows = rows, .count = count};
    return ui_document_list_build(frame, &step, &model, out);
}

static kiosk_error build_preview(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    char page_text[64], code[96], page[16], pages[16], problem[480];
    snprintf(page, sizeof page, "%d", doc.page + 1);
    snprintf(pages, sizeof pages, "%d", doc.held.pages);
    const char *names[] = {"page", "pages", "code", "reason"};
    const char *reason_key = NULL;
    bool ready = app_a4_ready(app, &reason_key);
    const char *values[] = {page, pages, doc.held.verification_code,
                            reason_key && reason_key[0] ? ui_frame_text(frame, reason_key) : ""};
    fill(frame, "document.page", names, values, 4, page_text, sizeof page_text);
    fill(frame, "document.code", names, values, 4, code, sizeof code);
    fill(frame, "document.printer_problem", names, values, 4, problem, sizeof problem);
    ui_step_model step = app_flow_step_model(app);
    /* A printer that cannot print is said before 打印; the button then
     * asks the printer again, for when staff have seen to it. */
    step.next = true;
    step.next_key = ready ? "document.print" : "document.again";
    ui_document_preview_model model = {
        .title = doc.held.title,
        .pdf = doc.pdf,
        .page = doc.page,
        .page_count = doc.held.pages,
        .page_text = page_text,
        .unavailable = ui_frame_text(frame, "document.unavailable"),
        .code_text = code,
        .printer_problem = ready ? NULL : problem,
        .previous = ui_frame_text(frame, "document.previous"),
        .following = ui_frame_text(frame, "document.following"),
    };
    return ui_document_preview_build(frame, &step, &model, out);
}

static kiosk_error build_document(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    if (!service_of(app))
        return KIOSK_ERR_INVALID_ARGUMENT;
    if (doc.state == DOCUMENT_LIST)
        return build_list(app, frame, out);
    if (doc.state == DOCUMENT_PREVIEW && doc.held.pdf)
        return build_preview(app, frame, out);
    return build_status(app, frame, out);
}

/* ---- what the citizen does -------------------------------------------------- */

static app_screen print_it(kiosk_app *app)
{
    if (!app_a4_ready(app, NULL)) {
        call_staff_once(app, "a4-printer");
        return APP_SCREEN_DOCUMENT; /* the preview says why, and what to do */
    }
    kiosk_error sent = app_a4_print(app, doc.held.pdf, doc.held.length, doc.held.title);
    if (sent != KIOSK_OK) {
        LOG_WARN(DOCUMENT_LOG, "the certificate was not sent to the printer: %s",
                 kiosk_error_name(sent));
        snprintf(doc.reason, sizeof doc.reason, "document.not_sent");
        call_staff_once(app, "a4-printer");
        doc.state = DOCUMENT_FAILED;
        return APP_SCREEN_DOCUMENT;
    }
    LOG_INFO(DOCUMENT_LOG, "a certificate of %d page(s) sent to the A4 printer", doc.held.pages);
    doc.state = DOCUMENT_PRINTING;
    return APP_SCREEN_DOCUMENT;
}

static void leave_service(kiosk_app *app)
{
    app_document_forget(app);
    app_flow_cancel(app);
}

static app_screen document_action(kiosk_app *app, ui_action action, int arg)
{
    switch (action) {
    case UI_ACTION_CHOOSE:
        if (doc.state == DOCUMENT_LIST && arg >= 0 && (size_t)arg < doc.list.count)
            fetch(app, arg);
        return APP_SCREEN_STAY;
    case UI_ACTION_PAGE:
        if (doc.state == DOCUMENT_PREVIEW) {
            int to = doc.page + (arg < 0 ? -1 : 1);
            doc.page = to < 0 ? 0 : to >= doc.held.pages ? doc.held.pages - 1 : to;
        }
        return APP_SCREEN_DOCUMENT;
    case UI_ACTION_NEXT:
        if (doc.state == DOCUMENT_PREVIEW)
            return print_it(app);
        if (doc.state == DOCUMENT_PRINTED) {
            app_document_forget(app);
            app_rate_enter(app);
            return APP_SCREEN_RATE;
        }
        return APP_SCREEN_STAY;
    case UI_ACTION_BACK:
        if (doc.state == DOCUMENT_FAILED) {
            doc.state = DOCUMENT_PREVIEW; /* the same certificate, printed again */
            return APP_SCREEN_DOCUMENT;
        }
        if (doc.state == DOCUMENT_NO_ANSWER || doc.state == DOCUMENT_NO_LINK) {
            /* One tap, one question. */
            if (doc.list.outcome == SYNC_DOCUMENT_FOUND && doc.list.count > 0)
                fetch(app, doc.chosen);
            else
                app_document_start(app);
            return APP_SCREEN_STAY;
        }
        if (doc.state == DOCUMENT_PREVIEW && doc.list.count > 1) {
            drop_document();
            doc.state = DOCUMENT_LIST;
            return APP_SCREEN_DOCUMENT;
        }
        leave_service(app);
        return APP_SCREEN_STAY;
    case UI_ACTION_CANCEL:
    case UI_ACTION_HOME:
        app_document_forget(app);
        return APP_SCREEN_UNHANDLED;
    case UI_ACTION_END_SESSION:
        app_document_forget(app);
        if (app_rate_given(app))
            return APP_SCREEN_FINISHED;
        app_rate_enter(app);
        return APP_SCREEN_RATE;
    default:
        return APP_SCREEN_UNHANDLED;
    }
}

/* The printer's news while a certificate prints: done (printed, wiped),
 * or failed (kept; the citizen told why and what to do). */
static void document_news(kiosk_app *app, app_news news)
{
    if (news != APP_NEWS_A4 || doc.state != DOCUMENT_PRINTING)
        return;
    const app_a4_outcome *outcome = app_a4_last(app);
    if (!outcome || !outcome->done)
        return;
    if (outcome->printed) {
        LOG_INFO(DOCUMENT_LOG, "the certificate printed: %d page(s)", outcome->pages);
        drop_document(); /* on paper now: nothing of it stays here */
        doc.state = DOCUMENT_PRINTED;
    } else {
        LOG_WARN(DOCUMENT_LOG, "the certificate did not print: %s", outcome->reason);
        snprintf(doc.reason, sizeof doc.reason, "%s",
                 outcome->reason[0] ? outcome->reason : "document.not_sent");
        call_staff_once(app, "a4-printer");
        doc.state = DOCUMENT_FAILED;
    }
    show(app, doc.state);
}

/* Back from help or the time-out question: a job that ended meanwhile
 * (its news went to the screen shown then) is taken in now. */
static void document_entered(kiosk_app *app)
{
    document_news(app, APP_NEWS_A4);
}

const app_controller app_document_controller = {.name = "document",
                                                .build = build_document,
                                                .on_action = document_action,
                                                .on_event = document_news,
                                                .enter = document_entered,
                                                .forget = app_document_forget,
                                                .ignores_cards = true};
