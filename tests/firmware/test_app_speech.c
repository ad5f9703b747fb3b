/* What the terminal says, heard where the citizen stands: the transcript of
 * what went to the speech engine, with its voice and its output. A screen
 * says its title and instruction in the citizen's language and voice; a
 * language chosen mid-sentence cuts it off and says it again; the speaker
 * never says the citizen's name, number or address (headphones hear them
 * masked, and in full only when asked); the volume is the hall's again
 * and nothing is kept once the session ends; the attract screen is silent
 * until someone asks. The audio goes through SDL's disk driver: the same
 * output path as the board, into a file. */
#include "../support/test_support.h"

#include "drivers/sim/idcard_sim.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_speech.h"
#include "ui/icons.h"
#include "ui/image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* 王小明's card (drivers/sim/idcard_sim.c). */
#define CITIZEN_NAME    "王小明"
#define CITIZEN_ID_HEAD "44030419900101"
#define CITIZEN_STREET  "示例路"

/* The newborn bundle's contact phone (assets/catalog/sample.json). */
#define PHONE_FIELD 7
#define PHONE       "13812345678"

typedef struct heard {
    char text[64][1024];
    char voice[64][24];
    char screen[64][24];
    bool headphones[64], interrupt[64];
    lang language[64];
    size_t count;
    unsigned long last;
} heard;

static void hear(const app_speech_said *said, void *user)
{
    heard *h = user;
    h->last = said->seq;
    if (h->count == 64)
        return;
    snprintf(h->text[h->count], sizeof h->text[0], "%s", said->text);
    snprintf(h->voice[h->count], sizeof h->voice[0], "%s", said->voice);
    snprintf(h->screen[h->count], sizeof h->screen[0], "%s", said->screen);
    h->headphones[h->count] = said->headphones;
    h->interrupt[h->count] = said->interrupt;
    h->language[h->count] = said->language;
    h->count++;
}

/* What was said since the last call. */
static heard *said_since(kiosk_app *app, heard *h)
{
    unsigned long last = h->last;
    memset(h, 0, sizeof *h);
    h->last = last;
    app_speech_transcript(app, last, hear, h);
    return h;
}

static bool anything_says(const heard *h, const char *what)
{
    for (size_t i = 0; i < h->count; i++)
        if (strstr(h->text[i], what))
            return true;
    return false;
}

static void audio_to_a_file(void)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/speech.raw", test_make_temp_dir("app-speech"));
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", path, 1);
}

static kiosk_app *at_home(lang language)
{
    audio_to_a_file();
    kiosk_app *app = test_app_create("portrait-1080", language);
    app_process_pending(app); /* the first frame: speech starts after it */
    return app;
}

static void test_a_screen_says_its_title_and_instruction_in_the_citizens_voice(void **state)
{
    (void)state;
    kiosk_app *app = at_home(LANG_ZH_CN);
    heard h = {0};
    said_since(app, &h);
    test_tap_tile(app, "tile.newborn-bundle");
    assert_string_equal(app_screen_name(app), "card");
    said_since(app, &h);
    assert_int_equal(h.count, 1);
    assert_string_equal(h.screen[0], "card");
    assert_string_equal(h.voice[0], "cmn-latn-pinyin");
    assert_false(h.headphones[0]);
    assert_true(h.interrupt[0]);
    /* The words on the glass: the step's title and what to do. */
    assert_non_null(strstr(h.text[0], test_text_of(app, "step.title")));
    assert_non_null(strstr(h.text[0], test_text_of(app, "card.prompt")));

    /* Another language mid-sentence: cut off, and said again in it. */
    test_tap(app, "footer.lang.en");
    said_since(app, &h);
    assert_int_equal(h.count, 1);
    assert_int_equal(h.language[0], LANG_EN);
    assert_string_equal(h.voice[0], "en");
    assert_true(h.interrupt[0]);
    assert_non_null(strstr(h.text[0], test_text_of(app, "card.prompt")));
    test_tap(app, "footer.lang.zh-TW");
    said_since(app, &h);
    assert_int_equal(h.count, 1);
    assert_string_equal(h.voice[0], "yue");

    /* A rebuild for news (the reader's state) is not a new screen. */
    test_wait_reader(app, "ready");
    said_since(app, &h);
    for (size_t i = 0; i < h.count; i++)
        assert_false(strstr(h.text[i], test_text_of(app, "step.title")) && h.interrupt[i]);
    app_destroy(app);
}

/* Every widget of the form and the confirm screen in turn, as the keypad
 * would focus them. */
static void focus_every_widget(kiosk_app *app)
{
    ui_widget *order[256];
    size_t count = ui_focus_order(app_root(app), order, 256);
    assert_true(count > 0);
    for (size_t i = 0; i < count && i < 256; i++)
        app_speech_focus_moved(app, order[i]);
}

static kiosk_app *identified_on_the_form(void)
{
    kiosk_app *app = at_home(LANG_ZH_CN);
    test_tap_tile(app, "tile.newborn-bundle");
    test_wait_reader(app, "ready");
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_ORDINARY);
    test_wait_screen(app, "form");
    return app;
}

static void test_the_speaker_never_says_the_citizens_data(void **state)
{
    (void)state;
    kiosk_app *app = identified_on_the_form();
    heard h = {0};
    said_since(app, &h);
    /* The reader on: the whole screen is read, then every control. */
    app_speech_set_reader(app, true);
    focus_every_widget(app);
    app_speech_repeat(app);
    app_speech_repeat(app);
    said_since(app, &h);
    assert_true(h.count > 3);
    assert_false(anything_says(&h, CITIZEN_NAME));
    assert_false(anything_says(&h, "小明"));
    assert_false(anything_says(&h, CITIZEN_ID_HEAD));
    assert_false(anything_says(&h, "1990"));
    assert_false(anything_says(&h, CITIZEN_STREET));
    /* It says that something is there, and how to hear it. */
    assert_true(anything_says(&h, "耳机"));
    for (size_t i = 0; i < h.count; i++)
        assert_false(h.headphones[i]);
    /* Nor the screen's prompt, read again. */
    char prompt[1024];
    app_speech_prompt(app, prompt, sizeof prompt);
    assert_null(strstr(prompt, CITIZEN_NAME));
    app_destroy(app);
}

static void test_headphones_hear_it_masked_and_in_full_only_when_asked(void **state)
{
    (void)state;
    kiosk_app *app = identified_on_the_form();
    /* The phone, typed: shown in full to be checked. */
    app_perform(app, UI_ACTION_EDIT_FIELD, PHONE_FIELD);
    assert_string_equal(app_screen_name(app), "field");
    test_type(app, PHONE);
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "form");
    char id[32];
    snprintf(id, sizeof id, "form.value.%d", PHONE_FIELD);
    ui_widget *value = ui_widget_find(app_root(app), id);
    assert_non_null(value);
    assert_string_equal(value->text, PHONE);
    ui_widget *row = value->parent;

    app_speech_set_headphones(app, true);
    assert_true(app_speech_reader_on(app));
    heard h = {0};
    said_since(app, &h);
    app_speech_focus_moved(app, row);
    said_since(app, &h);
    assert_int_equal(h.count, 1);
    assert_true(h.headphones[0]);
    assert_null(strstr(h.text[0], PHONE));
    assert_non_null(strstr(h.text[0], "5678")); /* the last four, the rest hidden */
    assert_null(strstr(h.text[0], "138"));
    /* Asked once: the same again; asked twice: in full. */
    app_speech_repeat(app);
    app_speech_repeat(app);
    said_since(app, &h);
    /* The control, then (in full too) what the keypad cannot reach: the
     * card's facts on the form, as they are shown. */
    assert_int_equal(h.count, 3);
    assert_null(strstr(h.text[0], PHONE));
    assert_non_null(strstr(h.text[1], PHONE));
    assert_true(h.headphones[1]);
    assert_non_null(strstr(h.text[2], "王*明")); /* as the card's facts are shown */
    assert_non_null(strstr(h.text[2], "440304"));
    /* Headphones out: the speaker rules again, even asked twice. */
    app_speech_set_headphones(app, false);
    app_speech_focus_moved(app, row);
    app_speech_repeat(app);
    app_speech_repeat(app);
    said_since(app, &h);
    assert_true(h.count >= 3);
    assert_false(anything_says(&h, "5678"));
    for (size_t i = 0; i < h.count; i++)
        assert_false(h.headphones[i]);
    app_destroy(app);
}

static void test_the_session_end_silences_wipes_and_restores_the_volume(void **state)
{
    (void)state;
    kiosk_app *app = identified_on_the_form();
    int hall = app_speech_volume(app);
    assert_int_equal(hall, app_board(app)->speech.volume);
    app_speech_volume_step(app, +1);
    app_speech_volume_step(app, +1);
    assert_int_equal(app_speech_volume(app), hall + 20 > 100 ? 100 : hall + 20);
    heard h = {0};
    said_since(app, &h);
    assert_true(anything_says(&h, "音量"));
    app_speech_set_reader(app, true);
    app_speech_volume_step(app, -1);
    app_session_end(app, "test");
    assert_int_equal(app_speech_volume(app), hall);
    assert_false(app_speech_reader_on(app));
    /* Nothing said before the end is kept; what follows is the next screen's. */
    heard after = {0};
    app_speech_transcript(app, 0, hear, &after);
    assert_false(anything_says(&after, "音量"));
    for (size_t i = 0; i < after.count; i++)
        assert_string_not_equal(after.screen[i], "form");
    app_destroy(app);
}

static void test_the_attract_screen_is_silent_until_asked(void **state)
{
    (void)state;
    audio_to_a_file();
    kiosk_app *app = test_app_create_attract("portrait-1080", LANG_ZH_CN);
    app_process_pending(app);
    heard h = {0};
    said_since(app, &h);
    assert_int_equal(h.count, 0);
    char prompt[1024];
    app_speech_prompt(app, prompt, sizeof prompt);
    assert_true(prompt[0] != '\0');
    app_speech_repeat(app);
    said_since(app, &h);
    assert_int_equal(h.count, 1);
    assert_string_equal(h.text[0], prompt);
    app_destroy(app);
}

/* A board whose speaker cannot be had still serves, and still speaks to
 * the app (what it would say is there for technicians and tests). */
static void test_no_audio_device_is_not_a_silent_app(void **state)
{
    (void)state;
    setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    app_process_pending(app);
    assert_string_equal(app_speech_voice(app), "cmn-latn-pinyin");
    heard h = {0};
    said_since(app, &h);
    test_tap_tile(app, "tile.newborn-bundle");
    said_since(app, &h);
    assert_int_equal(h.count, 1);
    assert_string_equal(h.screen[0], "card");
    app_destroy(app);
}

/* Reading aloud on: the footer offers the volume, quieter and louder. */
static void test_the_volume_is_on_screen_while_reading_aloud(void **state)
{
    (void)state;
    kiosk_app *app = at_home(LANG_ZH_CN);
    assert_null(ui_widget_find(app_root(app), "footer.volume.up"));
    test_tap(app, "footer.reader");
    assert_true(app_speech_reader_on(app));
    int before = app_speech_volume(app);
    test_tap(app, "footer.volume.up");
    assert_int_equal(app_speech_volume(app), before + 10 > 100 ? 100 : before + 10);
    test_tap(app, "footer.volume.down");
    test_tap(app, "footer.volume.down");
    assert_int_equal(app_speech_volume(app), before - 10);
    heard h = {0};
    said_since(app, &h);
    assert_true(anything_says(&h, "音量"));
    char path[1100];
    snprintf(path, sizeof path, "%s/build/test-output", test_source_dir());
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/build/test-output/speech-reader-footer.png", test_source_dir());
    SDL_Surface *frame = NULL;
    assert_int_equal(app_capture(app, &frame), KIOSK_OK);
    assert_int_equal(ui_image_save_png(frame, path, NULL), KIOSK_OK);
    SDL_FreeSurface(frame);
    test_tap(app, "footer.reader");
    assert_null(ui_widget_find(app_root(app), "footer.volume.up"));
    app_destroy(app);
}

/* Whether utf8 holds a character of the Unicode private use area
 * (U+E000..U+F8FF), where the icon font keeps its pictograms. */
static bool has_private_use(const char *utf8)
{
    for (const unsigned char *p = (const unsigned char *)utf8; *p; p++) {
        if (*p == 0xEE || (*p == 0xEF && p[1] >= 0x80 && p[1] <= 0xA3))
            return true;
    }
    return false;
}

/* A button's pictogram is drawn beside its words, never said: the reader
 * says each control's words, and no icon font character. */
static void test_a_buttons_pictogram_is_drawn_never_said(void **state)
{
    (void)state;
    kiosk_app *app = identified_on_the_form();
    app_speech_set_reader(app, true);
    heard h = {0};
    said_since(app, &h);
    const char *ids[] = {"step.next", "step.back", "step.cancel", "footer.help"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        ui_widget *button = ui_widget_find(app_root(app), ids[i]);
        assert_non_null(button);
        assert_non_null(ui_button_icon(button)); /* on the glass with its pictogram */
        assert_false(has_private_use(button->text));
        app_speech_focus_moved(app, button);
        said_since(app, &h);
        assert_int_equal(h.count, 1);
        if (!strstr(h.text[0], button->text))
            fail_msg("%s said \"%s\", not its words \"%s\"", ids[i], h.text[0], button->text);
        assert_false(has_private_use(h.text[0]));
    }
    /* Nor anywhere on the screen, read whole and control by control. */
    focus_every_widget(app);
    app_speech_repeat(app);
    said_since(app, &h);
    assert_true(h.count > 3);
    for (size_t i = 0; i < h.count; i++) {
        if (has_private_use(h.text[i]))
            fail_msg("said an icon font character: \"%s\"", h.text[i]);
    }
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_screen_says_its_title_and_instruction_in_the_citizens_voice),
        cmocka_unit_test(test_the_speaker_never_says_the_citizens_data),
        cmocka_unit_test(test_headphones_hear_it_masked_and_in_full_only_when_asked),
        cmocka_unit_test(test_the_session_end_silences_wipes_and_restores_the_volume),
        cmocka_unit_test(test_the_attract_screen_is_silent_until_asked),
        cmocka_unit_test(test_no_audio_device_is_not_a_silent_app),
        cmocka_unit_test(test_the_volume_is_on_screen_while_reading_aloud),
        cmocka_unit_test(test_a_buttons_pictogram_is_drawn_never_said),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
