/* 新生儿出生一件事 from the attract screen to the receipt by the keypad and
 * the voice alone, as a citizen who cannot see the screen does it: the
 * real kiosk binary, the simulated USB keypad pressed through the test
 * control channel (its reports go through the real driver), no tap at all.
 * The card is laid and taken back by hand (the simulated reader).
 *
 * Everything the kiosk said is written, screen by screen, to
 * build/test-output/keypad-journey-transcript.txt and checked against the
 * screens: each screen the citizen reached said its prompt, in words that
 * are on that screen, in the Mandarin voice; the speaker never said the
 * citizen's name, ID number or phone; the receipt was announced. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SCREENS_MAX 32

static FILE *transcript;
static unsigned long heard_seq;
static char prompted[SCREENS_MAX][24]; /* screens whose prompt was said */
static size_t prompted_count;
static int privacy_breaches;
static bool receipt_announced;

static cJSON *reply_json(const char *reply)
{
    if (strncmp(reply, "ok ", 3) != 0)
        fail_msg("the kiosk answered: %.300s", reply);
    cJSON *json = cJSON_Parse(reply + 3);
    assert_non_null(json);
    return json;
}

/* Whether text is the text of some widget shown now. */
static bool on_screen(const cJSON *tree, const char *text)
{
    const cJSON *widget = NULL;
    cJSON_ArrayForEach(widget, cJSON_GetObjectItem(tree, "widgets"))
    {
        const char *shown = cJSON_GetStringValue(cJSON_GetObjectItem(widget, "text"));
        const char *detail = cJSON_GetStringValue(cJSON_GetObjectItem(widget, "detail"));
        if ((shown && strcmp(shown, text) == 0) || (detail && strcmp(detail, text) == 0))
            return true;
    }
    return false;
}

/* What the kiosk said since we last listened: into the transcript, and
 * checked. */
static void listen(kiosk_proc *k)
{
    char command[64];
    snprintf(command, sizeof command, "speech %lu", heard_seq);
    cJSON *speech = reply_json(kiosk_ask(k, command));
    cJSON *tree = reply_json(kiosk_ask(k, "tree"));
    const char *screen = cJSON_GetStringValue(cJSON_GetObjectItem(tree, "screen"));
    const char *prompt = cJSON_GetStringValue(cJSON_GetObjectItem(speech, "prompt"));
    const cJSON *said = NULL;
    cJSON_ArrayForEach(said, cJSON_GetObjectItem(speech, "said"))
    {
        heard_seq = (unsigned long)cJSON_GetObjectItem(said, "seq")->valuedouble;
        const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(said, "text"));
        const char *voice = cJSON_GetStringValue(cJSON_GetObjectItem(said, "voice"));
        const char *output = cJSON_GetStringValue(cJSON_GetObjectItem(said, "output"));
        const char *on = cJSON_GetStringValue(cJSON_GetObjectItem(said, "screen"));
        fprintf(transcript, "[%s] (%s, %s) %s\n", on, voice, output, text);
        /* Mandarin throughout, but a language's own button (繁體中文,
         * English), said in its own voice for whoever looks for it. */
        const char *language = cJSON_GetStringValue(cJSON_GetObjectItem(said, "language"));
        bool own_button = strcmp(text, "繁體中文") == 0 || strcmp(text, "English") == 0;
        if (strcmp(voice, "cmn-latn-pinyin") != 0 &&
            !(own_button && strcmp(language, "zh-CN") != 0))
            fail_msg("said in the voice %s: %s", voice, text);
        const char *never[] = {"王小明", "小明", "440304", "13812345678", "示例路"};
        for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
            if (strcmp(output, "speaker") == 0 && strstr(text, never[i])) {
                printf("  the speaker said \"%s\": %s\n", never[i], text);
                privacy_breaches++;
            }
        }
        if (strstr(text, "取走") && strstr(text, "凭条"))
            receipt_announced = true;
        /* A screen's prompt, said on the screen still shown: each of its
         * lines is a text on that screen. */
        if (strcmp(on, screen) == 0 && prompt && prompt[0] && strcmp(text, prompt) == 0) {
            char lines[1024];
            snprintf(lines, sizeof lines, "%s", text);
            char *rest = NULL;
            for (char *line = strtok_r(lines, "\n", &rest); line;
                 line = strtok_r(NULL, "\n", &rest))
                if (!on_screen(tree, line))
                    fail_msg("the %s screen's prompt says \"%s\", which it does not show", screen,
                             line);
            bool known = false;
            for (size_t i = 0; i < prompted_count; i++)
                known = known || strcmp(prompted[i], screen) == 0;
            if (!known && prompted_count < SCREENS_MAX)
                snprintf(prompted[prompted_count++], sizeof prompted[0], "%s", screen);
        }
    }
    fflush(transcript);
    cJSON_Delete(tree);
    cJSON_Delete(speech);
}

static void press(kiosk_proc *k, const char *key)
{
    char command[64];
    snprintf(command, sizeof command, "keypad %s", key);
    const char *answer = kiosk_ask(k, command);
    if (strncmp(answer, "ok", 2) != 0)
        fail_msg("%s: %s", command, answer);
    usleep(60 * 1000); /* the key's reports reach the app through the driver */
}

static void focused(kiosk_proc *k, char *out, size_t size, char *screen, size_t screen_size)
{
    cJSON *tree = reply_json(kiosk_ask(k, "tree"));
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(tree, "focused"));
    snprintf(out, size, "%s", id ? id : "");
    snprintf(screen, screen_size, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(tree, "screen")));
    cJSON_Delete(tree);
}

/* Moves the focus onward until it is on id: false when it came round
 * without finding it. */
static bool focus_on(kiosk_proc *k, const char *id)
{
    char first[64] = "", now[64], screen[32];
    for (int presses = 0; presses < 200; presses++) {
        focused(k, now, sizeof now, screen, sizeof screen);
        if (strcmp(now, id) == 0)
            return true;
        if (presses > 0 && strcmp(now, first) == 0)
            return false;
        if (presses == 0)
            snprintf(first, sizeof first, "%s", now);
        press(k, "right");
    }
    return false;
}

static void wait_screen(kiosk_proc *k, const char *screen)
{
    char command[64], answer[64];
    snprintf(command, sizeof command, "wait %s 8000", screen);
    snprintf(answer, sizeof answer, "ok %s", screen);
    kiosk_expect(k, command, answer);
    usleep(100 * 1000);
    listen(k);
}

/* Focus id, press enter, and be on screen. */
static void activate(kiosk_proc *k, const char *id, const char *screen)
{
    if (!focus_on(k, id))
        fail_msg("the keypad cannot reach %s: %.600s", id, kiosk_tree(k));
    press(k, "enter");
    wait_screen(k, screen);
}

static void choose(kiosk_proc *k, int field, int choice)
{
    char id[32];
    snprintf(id, sizeof id, "form.field.%d", field);
    activate(k, id, "field");
    snprintf(id, sizeof id, "edit.choice.%d", choice);
    activate(k, id, "form");
}

static void type_digits(kiosk_proc *k, int field, const char *digits)
{
    char id[32], key[4];
    snprintf(id, sizeof id, "form.field.%d", field);
    activate(k, id, "field");
    for (const char *d = digits; *d; d++) {
        snprintf(key, sizeof key, "%c", *d);
        press(k, key);
    }
    listen(k);
    activate(k, "step.next", "form");
}

static void type_letters(kiosk_proc *k, int field, const char *letters)
{
    char id[32];
    snprintf(id, sizeof id, "form.field.%d", field);
    activate(k, id, "type");
    activate(k, "type.mode.letters", "type");
    for (const char *letter = letters; *letter; letter++) {
        snprintf(id, sizeof id, "type.key.%c", *letter);
        activate(k, id, "type");
    }
    activate(k, "step.next", "form");
}

static bool was_prompted(const char *screen)
{
    for (size_t i = 0; i < prompted_count; i++)
        if (strcmp(prompted[i], screen) == 0)
            return true;
    return false;
}

static void test_the_newborn_bundle_by_keypad_and_voice_alone(void **state)
{
    (void)state;
    char dir[1100], path[1200];
    snprintf(dir, sizeof dir, "%s/build/test-output", test_source_dir());
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/keypad-journey-transcript.txt", dir);
    transcript = fopen(path, "w");
    assert_non_null(transcript);
    platform p;
    kiosk_proc k;
    start_platform(&p, NULL);
    kiosk_up(&p, &k);
    assert_true(kiosk_shows(&k, "平台已连接", 100));

    /* The first key: keypad mode, and the reader. Then enter starts. */
    press(&k, "enter");
    for (int i = 0; i < 3 && !strstr(kiosk_ask(&k, "screen"), "home"); i++)
        press(&k, "enter");
    wait_screen(&k, "home");
    for (int page = 0; page < 6 && !focus_on(&k, "tile.newborn-bundle"); page++) {
        assert_true(focus_on(&k, "home.next"));
        press(&k, "enter");
    }
    activate(&k, "tile.newborn-bundle", "card");
    kiosk_ask(&k, "key 1"); /* the card, laid by hand */
    wait_screen(&k, "form");

    choose(&k, 2, 1);
    choose(&k, 3, 0);
    type_digits(&k, 4, "20261120");
    type_digits(&k, 5, "123456789");
    choose(&k, 6, 0);
    type_digits(&k, 7, "13812345678");
    type_letters(&k, 8, "lele");
    /* No pad for a citizen who cannot see it: a declaration confirmed by
     * the key instead. */
    activate(&k, "form.field.9", "sign");
    activate(&k, "sign.by_key", "form");
    activate(&k, "step.next", "materials");
    activate(&k, "materials.item.2", "materials");
    activate(&k, "materials.item.3", "materials");
    activate(&k, "step.next", "confirm");
    activate(&k, "step.next", "result");
    assert_true(stored_reaches(&p, 1, 10));
    activate(&k, "result.print", "print");
    assert_true(kiosk_shows(&k, "print.done", 100));
    usleep(300 * 1000);
    listen(&k);
    activate(&k, "print.done", "rate");
    listen(&k);

    const char *screens[] = {"home",      "card",    "form",   "field", "type", "sign",
                             "materials", "confirm", "result", "print", "rate"};
    for (size_t i = 0; i < sizeof screens / sizeof screens[0]; i++)
        if (!was_prompted(screens[i]))
            fail_msg("the %s screen said no prompt of its own (see %s)", screens[i], path);
    assert_int_equal(privacy_breaches, 0);
    if (!receipt_announced)
        fail_msg("nobody said to take the receipt (see %s)", path);
    fclose(transcript);
    transcript = NULL;
    printf("  the transcript: %s\n", path);
    kiosk_stop(&k, false);
    stop_platform(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_newborn_bundle_by_keypad_and_voice_alone),
    };
    return platform_run_tests("keypad journey", tests, sizeof tests / sizeof tests[0]);
}
