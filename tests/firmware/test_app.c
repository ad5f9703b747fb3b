/* The app driven as a citizen would: synthetic touches on the real renderer,
 * offscreen. */
#include "../support/test_support.h"

#include "firmware/base/event_channel.h"
#include "firmware/base/file.h"
#include "offline-cache/outbox.h"
#include "offline-cache/seal.h"
#include "ui/test_probes.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void test_home_shows_every_service_and_the_hall(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    assert_string_equal(app_screen_name(app), "home");
    assert_string_equal(test_text_of(app, "title.hall"), "市民中心 24 小时政务服务区");
    assert_string_equal(test_text_of(app, "title.clock"), "2026年11月22日 星期日 17:30");
    assert_string_equal(test_text_of(app, "tile.social-insurance-certificate"), "社保参保证明打印");
    assert_string_equal(test_text_of(app, "tile.newborn-bundle"), "新生儿出生一件事");
    assert_string_equal(test_text_of(app, "footer.help"), "帮助 / 呼叫工作人员");
    assert_string_equal(test_text_of(app, "footer.elder"), "长辈模式");
    assert_string_equal(test_text_of(app, "footer.contrast"), "高对比度");
    assert_true(app_frames_drawn(app) >= 1);
    app_destroy(app);
}

static void test_a_touch_on_attract_starts_a_session(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_attract("portrait-1080", LANG_ZH_CN);
    assert_string_equal(app_screen_name(app), "attract");
    assert_false(app_in_session(app));
    assert_string_equal(test_text_of(app, "attract.touch.zh-TW"), "請觸摸螢幕開始");
    /* Anywhere will do: the offers list is on the backdrop. */
    test_tap(app, "attract.offers");
    assert_string_equal(app_screen_name(app), "home");
    assert_true(app_in_session(app));
    /* An idle attract screen stays: nobody to warn. */
    app_destroy(app);
    app = test_app_create_attract("portrait-1080", LANG_ZH_CN);
    test_monotonic_now_ms += 3600 * 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "attract");
    app_destroy(app);
}

static void test_tapping_a_tile_opens_its_service_and_back_returns_home(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap(app, "tile.household-registration");
    assert_string_equal(app_screen_name(app), "card");
    assert_string_equal(test_text_of(app, "step.title"), "户籍业务");
    assert_string_equal(test_text_of(app, "step.progress"), "第 1 步，共 2 步");
    assert_string_equal(test_text_of(app, "card.prompt"), "请将身份证放在感应区");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "identify");
    test_type(app, "11010519491231002X");
    assert_string_equal(test_text_of(app, "identify.field"), "11010519491231002X");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "confirm");
    assert_string_equal(test_text_of(app, "step.progress"), "第 2 步，共 2 步");
    /* Who it is for, masked: enough to recognise, not to copy. */
    assert_null(strstr(test_text_of(app, "confirm.line.0"), "19491231"));
    assert_non_null(strstr(test_text_of(app, "confirm.line.0"), "1101"));
    /* Back keeps what was typed; cancel forgets it. */
    test_tap(app, "step.back");
    assert_string_equal(test_text_of(app, "identify.field"), "11010519491231002X");
    test_tap(app, "step.cancel");
    assert_string_equal(app_screen_name(app), "home");
    test_open_typed(app, "tile.household-registration");
    assert_string_equal(test_text_of(app, "identify.field"), "");
    app_destroy(app);
}

/* Without the platform a submission is kept on the terminal (sealed) and
 * the citizen is told it will be sent, with a reference: they need not come
 * again. */
static void test_submitting_offline_keeps_it_sealed_and_says_so(void **state)
{
    (void)state;
    const char *data_dir = NULL;
    kiosk_app *app = test_app_create(test_board_in_temp("portrait-1080", &data_dir), LANG_ZH_CN);
    test_open_typed(app, "tile.certificate-print");
    test_type(app, "310101198005056662");
    test_tap(app, "step.next");
    assert_string_equal(test_text_of(app, "step.next"), "提交");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "result");
    assert_string_equal(test_text_of(app, "result.title"), "已受理，待上传");
    assert_string_equal(test_text_of(app, "result.tracking"), "K0420-000001");
    assert_null(strstr(test_text_of(app, "result.id"), "198005056"));
    app_destroy(app);
    /* Kept, and kept sealed: the ID number is nowhere in the files. */
    char db[1200];
    snprintf(db, sizeof db, "%s/kiosk.db", data_dir);
    size_t size = 0;
    char *bytes = NULL;
    assert_int_equal(file_read_all(db, 64 << 20, &bytes, &size, NULL), KIOSK_OK);
    assert_true(size > 0);
    assert_null(memmem(bytes, size, "310101198005056662", 18));
    free(bytes);
    seal_key key;
    char key_file[1200];
    snprintf(key_file, sizeof key_file, "%s/seal.key", data_dir);
    assert_int_equal(seal_key_file_load(key_file, &key, NULL), KIOSK_OK);
    cache_options options = {.path = db, .cipher = SEAL_AES_256_GCM, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    cache_record record;
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(store, INT64_MAX / 2, 1, &record, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 1);
    assert_string_equal(record.kind, "submission");
    assert_non_null(memmem(record.payload, record.payload_length, "\"certificate-print\"", 19));
    assert_non_null(memmem(record.payload, record.payload_length, "310101198005056662", 18));
    cache_records_free(&record, count);
    cache_close(store);
    seal_key_wipe(&key);
}

/* When it cannot even be kept (the disk, the store), the citizen is told
 * so, told that nothing was kept, and shown the way on. */
static void test_a_submission_that_cannot_be_kept_says_so(void **state)
{
    (void)state;
    const char *data_dir = NULL;
    const char *board = test_board_in_temp("portrait-1080", &data_dir);
    char db[1200];
    snprintf(db, sizeof db, "%s/kiosk.db", data_dir);
    assert_int_equal(mkdir(db, 0700), 0); /* where the store would be */
    kiosk_app *app = test_app_create(board, LANG_ZH_CN);
    test_open_typed(app, "tile.certificate-print");
    test_type(app, "310101198005056662");
    test_tap(app, "step.next");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "error");
    assert_string_equal(test_text_of(app, "error.title"), "暂时无法提交");
    assert_non_null(strstr(test_text_of(app, "error.what"), "没有保存"));
    assert_non_null(ui_widget_find(app_root(app), "footer.help"));
    size_t size = 0;
    const char *typed = app_typed_memory(app, &size);
    for (size_t i = 0; i < size; i++)
        assert_int_equal(typed[i], 0);
    test_tap(app, "error.home");
    assert_string_equal(app_screen_name(app), "home");
    app_destroy(app);
}

static void test_language_switch_changes_labels_and_keeps_the_place(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap(app, "footer.lang.en");
    assert_int_equal(app_language(app), LANG_EN);
    assert_string_equal(test_text_of(app, "tile.social-insurance-certificate"),
                        "Insurance Certificate");
    assert_string_equal(test_text_of(app, "home.prompt"), "Please choose a service");
    assert_string_equal(test_text_of(app, "title.clock"), "Sun 22 Nov 2026  17:30");

    test_open_typed(app, "tile.household-registration");
    test_tap(app, "footer.lang.zh-TW");
    /* Still on the same step, now in Traditional Chinese. */
    assert_string_equal(app_screen_name(app), "identify");
    assert_string_equal(test_text_of(app, "step.title"), "戶籍業務");
    assert_string_equal(test_text_of(app, "step.cancel"), "取消辦理");
    app_destroy(app);
}

static void test_help_calls_staff_and_keeps_the_citizen_s_place(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("landscape-1080", LANG_ZH_CN);
    test_open_typed(app, "tile.household-registration");
    test_type(app, "4403");
    test_tap(app, "footer.help");
    assert_string_equal(app_screen_name(app), "help");
    /* Help is there on every screen of a session, but on help itself. */
    assert_null(ui_widget_find(app_root(app), "footer.help"));
    assert_string_equal(test_text_of(app, "help.status"), "");
    test_tap(app, "help.call");
    assert_string_equal(test_text_of(app, "help.status"), "已通知工作人员，请在这里稍候。");
    /* Back where they were, with what they had typed. */
    test_tap(app, "help.back");
    assert_string_equal(app_screen_name(app), "identify");
    assert_string_equal(test_text_of(app, "identify.field"), "4403");
    app_destroy(app);
}

static void test_elder_mode_is_larger_pages_and_uses_simple_words(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    int standard_h = ui_widget_find(app_root(app), "footer.help")->bounds.h;
    test_tap(app, "footer.elder");
    assert_string_equal(app_theme_name(app), "elder");
    assert_string_equal(test_text_of(app, "home.prompt"), "请点您要办的事");
    assert_string_equal(test_text_of(app, "footer.elder"), "标准模式");
    assert_true(ui_widget_find(app_root(app), "footer.help")->bounds.h > standard_h);
    /* Six tiles to a page: the seventh is on the next. */
    assert_non_null(ui_widget_find(app_root(app), "tile.appointment-ticket"));
    assert_null(ui_widget_find(app_root(app), "tile.case-progress"));
    assert_true(ui_widget_find(app_root(app), "home.previous")->flags & UI_FLAG_HIDDEN);
    test_tap(app, "home.next");
    assert_non_null(ui_widget_find(app_root(app), "tile.case-progress"));
    assert_string_equal(test_text_of(app, "home.page"), "2 / 3");
    test_tap(app, "home.next");
    assert_non_null(ui_widget_find(app_root(app), "tile.newborn-bundle"));
    assert_true(ui_widget_find(app_root(app), "home.next")->flags & UI_FLAG_HIDDEN);
    /* Slower: no warning at the standard minute. */
    test_monotonic_now_ms += 61 * 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "home");
    test_monotonic_now_ms += 60 * 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "timeout");
    app_destroy(app);
}

static void test_high_contrast_and_back(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_EN);
    test_tap(app, "footer.contrast");
    assert_string_equal(app_theme_name(app), "high-contrast");
    assert_string_equal(test_text_of(app, "footer.contrast"), "Standard colours");
    test_tap(app, "footer.contrast");
    assert_string_equal(app_theme_name(app), "standard");
    app_destroy(app);
}

static void test_idle_warns_counts_down_and_can_be_extended(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-800", LANG_ZH_CN);
    test_open_typed(app, "tile.real-estate-query");
    test_type(app, "4403");
    for (int round = 0; round < 12; round++) {
        test_monotonic_now_ms += 59 * 1000;
        app_process_pending(app);
        assert_string_equal(app_screen_name(app), "identify");
        test_monotonic_now_ms += 1000;
        app_process_pending(app);
        assert_string_equal(app_screen_name(app), "timeout");
        assert_string_equal(test_text_of(app, "timeout.countdown"), "30 秒");
        test_monotonic_now_ms += 9 * 1000;
        app_process_pending(app);
        assert_string_equal(test_text_of(app, "timeout.countdown"), "21 秒");
        test_tap(app, "timeout.continue");
        /* Back where they were, with their choices. */
        assert_string_equal(app_screen_name(app), "identify");
        assert_string_equal(test_text_of(app, "step.title"), "不动产登记查询");
        assert_string_equal(test_text_of(app, "identify.field"), "4403");
    }
    assert_true(app_in_session(app));
    app_destroy(app);
}

static void test_expiry_ends_the_session_and_forgets_the_citizen(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap(app, "footer.lang.en");
    test_tap(app, "footer.elder");
    test_open_typed(app, "tile.certificate-print");
    test_type(app, "440304199001011233");
    assert_true(ui_text_is_cached(app_text(app), "Print Certificates"));
    assert_true(ui_text_is_cached(app_text(app), "440304199001011233"));
    test_monotonic_now_ms += 120 * 1000; /* elder mode: twice the minute */
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "timeout");
    test_monotonic_now_ms += 59 * 1000; /* and twice as long to decide */
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "timeout");
    test_monotonic_now_ms += 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "attract");
    assert_false(app_in_session(app));
    assert_int_equal(app_language(app), LANG_ZH_CN);
    assert_string_equal(app_theme_name(app), "standard");
    /* What they typed is gone from the session's memory ... */
    size_t size = 0;
    const char *typed = app_typed_memory(app, &size);
    for (size_t i = 0; i < size; i++)
        assert_int_equal(typed[i], 0);
    assert_false(ui_text_is_cached(app_text(app), "440304199001011233"));
    assert_null(ui_widget_find(app_root(app), "identify.field"));
    /* ... and no texture that showed this citizen's screens survives. */
    assert_false(ui_text_is_cached(app_text(app), "Print Certificates"));
    assert_false(ui_text_is_cached(app_text(app), "Standard mode"));
    app_destroy(app);
}

static void test_the_result_shows_the_receipt_and_done_forgets_it(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_show_result(app, UI_RESULT_QUEUED);
    assert_string_equal(app_screen_name(app), "result");
    assert_string_equal(test_text_of(app, "result.title"), "已受理，待上传");
    assert_string_equal(test_text_of(app, "result.id"), "440304********1233");
    assert_string_equal(test_text_of(app, "result.tracking"), "K0420261122-0042");
    /* The code on screen says where to follow this application. */
    assert_string_equal(test_text_of(app, "result.qr"),
                        "https://zwfw.example.gov.cn/track/K0420261122-0042");
    /* The words follow the citizen's language; the facts stay. */
    test_tap(app, "footer.lang.en");
    assert_string_equal(test_text_of(app, "result.title"), "Accepted, to be sent");
    assert_string_equal(test_text_of(app, "result.tracking"), "K0420261122-0042");
    test_tap(app, "result.done");
    /* The citizen may rate the service, then says whether they are done. */
    assert_string_equal(app_screen_name(app), "rate");
    test_tap(app, "rate.skip");
    assert_string_equal(app_screen_name(app), "finished");
    test_tap(app, "finished.end");
    assert_string_equal(app_screen_name(app), "attract");
    assert_false(app_in_session(app));
    size_t size = 0;
    const char *shown = app_result_memory(app, &size);
    for (size_t i = 0; i < size; i++)
        assert_int_equal(shown[i], 0);
    assert_false(ui_text_is_cached(app_text(app), "K0420261122-0042"));
    app_destroy(app);
}

static void test_a_result_too_long_for_the_receipt_is_refused(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    char long_number[200];
    memset(long_number, '7', sizeof long_number - 1);
    long_number[sizeof long_number - 1] = '\0';
    ui_result_model result = {.outcome = UI_RESULT_ACCEPTED,
                              .service_name = "x",
                              .tracking_number = long_number,
                              .masked_id = "",
                              .time_text = ""};
    assert_int_equal(app_show_result(app, &result), KIOSK_ERR_TOO_BIG);
    assert_string_equal(app_screen_name(app), "home");
    app_destroy(app);
}

static void test_the_citizen_may_end_the_session(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_TW);
    test_monotonic_now_ms += 60 * 1000;
    app_process_pending(app);
    assert_string_equal(test_text_of(app, "timeout.end"), "結束辦理");
    test_tap(app, "timeout.end");
    assert_string_equal(app_screen_name(app), "attract");
    assert_int_equal(app_language(app), LANG_ZH_CN);
    app_destroy(app);
}

static void test_the_keypad_and_the_check_of_the_number(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_open_typed(app, "tile.household-registration");
    /* X only as the last character; never more than 18. */
    test_type(app, "X4403041990010112334");
    assert_string_equal(test_text_of(app, "identify.field"), "440304199001011233");
    test_tap(app, "keypad.delete");
    test_type(app, "4");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "identify");
    assert_string_equal(test_text_of(app, "identify.problem"), "号码有误，请核对后重新输入");
    assert_false(ui_widget_find(app_root(app), "identify.problem")->flags & UI_FLAG_HIDDEN);
    test_tap(app, "keypad.clear");
    assert_string_equal(test_text_of(app, "identify.field"), "");
    assert_true(ui_widget_find(app_root(app), "identify.problem")->flags & UI_FLAG_HIDDEN);
    test_type(app, "4403");
    test_tap(app, "step.next");
    assert_string_equal(test_text_of(app, "identify.problem"), "号码不足 18 位，请继续输入");
    app_destroy(app);
}

static void test_a_press_shows_at_once_and_sliding_off_cancels(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    unsigned long frames = app_frames_drawn(app);
    test_finger(app, SDL_FINGERDOWN, "tile.case-progress");
    assert_true(ui_widget_find(app_root(app), "tile.case-progress")->flags & UI_FLAG_PRESSED);
    assert_true(app_frames_drawn(app) > frames);
    /* The finger lifts over another tile: nothing opens. */
    test_finger(app, SDL_FINGERUP, "tile.service-rating");
    assert_string_equal(app_screen_name(app), "home");
    assert_false(ui_widget_find(app_root(app), "tile.case-progress")->flags & UI_FLAG_PRESSED);
    app_destroy(app);
}

static void push_finger(kiosk_app *app, Uint32 type, SDL_FingerID finger, const char *id)
{
    ui_widget *widget = ui_widget_find(app_root(app), id);
    assert_non_null(widget);
    SDL_Event event;
    SDL_zero(event);
    event.type = type;
    event.tfinger.fingerId = finger;
    event.tfinger.x = (float)(widget->bounds.x + widget->bounds.w / 2) / 1080.0f;
    event.tfinger.y = (float)(widget->bounds.y + widget->bounds.h / 2) / 1920.0f;
    assert_int_equal(SDL_PushEvent(&event), 1);
}

static void test_rapid_taps_during_a_transition_navigate_once(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_monotonic_now_ms += 1000;
    /* Three quick taps on a tile, queued before the kiosk gets to them: the
     * first opens the service, the others were meant for home. */
    for (int i = 0; i < 3; i++) {
        push_finger(app, SDL_FINGERDOWN, 1, "tile.household-registration");
        push_finger(app, SDL_FINGERUP, 1, "tile.household-registration");
    }
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "card");
    /* A second tap 100 ms after the screen changed is the same gesture. */
    test_monotonic_now_ms += 100;
    push_finger(app, SDL_FINGERDOWN, 1, "step.cancel");
    push_finger(app, SDL_FINGERUP, 1, "step.cancel");
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "card");
    app_destroy(app);
}

static void test_a_second_finger_is_ignored(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_monotonic_now_ms += 1000;
    push_finger(app, SDL_FINGERDOWN, 1, "tile.household-registration");
    push_finger(app, SDL_FINGERDOWN, 2, "tile.medical-insurance");
    push_finger(app, SDL_FINGERUP, 2, "tile.medical-insurance");
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "home");
    push_finger(app, SDL_FINGERUP, 1, "tile.household-registration");
    app_process_pending(app);
    assert_string_equal(test_text_of(app, "step.title"), "户籍业务");
    app_destroy(app);
}

/* A press redraws only the pressed widget; what the citizen sees must still
 * be exactly the whole screen drawn afresh, press after screen change. */
static void assert_shown_equals_full_redraw(kiosk_app *app)
{
    SDL_Surface *shown = NULL, *full = NULL;
    assert_int_equal(app_frame_shown(app, &shown), KIOSK_OK);
    assert_int_equal(app_capture(app, &full), KIOSK_OK);
    assert_int_equal(test_compare_images(full, shown, 0, NULL), 0);
    SDL_FreeSurface(shown);
    SDL_FreeSurface(full);
}

static void test_partial_redraws_show_the_same_as_full_ones(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_finger(app, SDL_FINGERDOWN, "tile.certificate-print");
    assert_shown_equals_full_redraw(app);
    test_finger(app, SDL_FINGERUP, "tile.certificate-print");
    assert_shown_equals_full_redraw(app);
    test_tap(app, "step.next");
    test_finger(app, SDL_FINGERDOWN, "keypad.7");
    assert_shown_equals_full_redraw(app);
    test_finger(app, SDL_FINGERUP, "keypad.7");
    assert_shown_equals_full_redraw(app);
    test_tap(app, "step.cancel");
    assert_shown_equals_full_redraw(app);
    app_destroy(app);
}

static void test_nothing_is_redrawn_when_nothing_changes(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    unsigned long frames = app_frames_drawn(app);
    for (int i = 0; i < 5; i++)
        app_process_pending(app);
    assert_int_equal(app_frames_drawn(app), frames);
    assert_int_equal(event_channel_post(APP_EVENT_REDRAW, NULL, NULL), KIOSK_OK);
    app_process_pending(app);
    assert_int_equal(app_frames_drawn(app), frames + 1);
    app_destroy(app);
}

static void test_a_quit_event_stops_the_loop(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    assert_int_equal(event_channel_post(APP_EVENT_QUIT, NULL, NULL), KIOSK_OK);
    /* app_run returns only because of the event. */
    assert_int_equal(app_run(app), KIOSK_OK);
    app_destroy(app);
}

/* An action whose argument is no language or theme (a widget built wrong,
 * a test channel's tap) changes nothing: the words and the theme stay. */
static void test_an_action_out_of_range_changes_nothing(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_EN);
    const int bad[] = {-1, LANG_COUNT, 99};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        app_perform(app, UI_ACTION_SET_LANG, bad[i]);
        assert_int_equal(app_language(app), LANG_EN);
        app_perform(app, UI_ACTION_SET_THEME, bad[i] < 0 ? bad[i] : UI_THEME_COUNT + bad[i]);
        assert_string_equal(app_theme_name(app), "standard");
        assert_string_equal(app_screen_name(app), "home");
    }
    app_perform(app, UI_ACTION_SET_LANG, LANG_ZH_TW);
    assert_int_equal(app_language(app), LANG_ZH_TW);
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_home_shows_every_service_and_the_hall),
        cmocka_unit_test(test_an_action_out_of_range_changes_nothing),
        cmocka_unit_test(test_a_touch_on_attract_starts_a_session),
        cmocka_unit_test(test_tapping_a_tile_opens_its_service_and_back_returns_home),
        cmocka_unit_test(test_submitting_offline_keeps_it_sealed_and_says_so),
        cmocka_unit_test(test_a_submission_that_cannot_be_kept_says_so),
        cmocka_unit_test(test_language_switch_changes_labels_and_keeps_the_place),
        cmocka_unit_test(test_help_calls_staff_and_keeps_the_citizen_s_place),
        cmocka_unit_test(test_elder_mode_is_larger_pages_and_uses_simple_words),
        cmocka_unit_test(test_high_contrast_and_back),
        cmocka_unit_test(test_idle_warns_counts_down_and_can_be_extended),
        cmocka_unit_test(test_expiry_ends_the_session_and_forgets_the_citizen),
        cmocka_unit_test(test_the_citizen_may_end_the_session),
        cmocka_unit_test(test_the_keypad_and_the_check_of_the_number),
        cmocka_unit_test(test_a_press_shows_at_once_and_sliding_off_cancels),
        cmocka_unit_test(test_rapid_taps_during_a_transition_navigate_once),
        cmocka_unit_test(test_a_second_finger_is_ignored),
        cmocka_unit_test(test_partial_redraws_show_the_same_as_full_ones),
        cmocka_unit_test(test_nothing_is_redrawn_when_nothing_changes),
        cmocka_unit_test(test_a_quit_event_stops_the_loop),
        cmocka_unit_test(test_the_result_shows_the_receipt_and_done_forgets_it),
        cmocka_unit_test(test_a_result_too_long_for_the_receipt_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
