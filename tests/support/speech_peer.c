/* Driving the real kiosk as an outside tester does, through the test
 * control channel: the simulated keypad, the focus, and what the speaker
 * said (the e2e tests of speech and the keypad against hostile use). */
#include "speech_peer.h"
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

cJSON *peer_reply_json(const char *reply)
{
    if (strncmp(reply, "ok ", 3) != 0)
        fail_msg("the kiosk answered: %.300s", reply);
    cJSON *json = cJSON_Parse(reply + 3);
    assert_non_null(json);
    return json;
}

void peer_press(kiosk_proc *k, const char *keys)
{
    char command[512];
    snprintf(command, sizeof command, "keypad %s", keys);
    const char *answer = kiosk_ask(k, command);
    if (strncmp(answer, "ok", 2) != 0)
        fail_msg("%s: %s", command, answer);
    usleep(150 * 1000);
}

void peer_wait_screen(kiosk_proc *k, const char *screen)
{
    char command[64], answer[64];
    snprintf(command, sizeof command, "wait %s 8000", screen);
    snprintf(answer, sizeof answer, "ok %s", screen);
    kiosk_expect(k, command, answer);
    usleep(150 * 1000);
}

char *peer_focused_id(kiosk_proc *k, char *out, size_t size)
{
    cJSON *tree = peer_reply_json(kiosk_ask(k, "tree"));
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(tree, "focused"));
    snprintf(out, size, "%s", id ? id : "");
    cJSON_Delete(tree);
    return out;
}

bool peer_focus_on(kiosk_proc *k, const char *id)
{
    char first[64] = "", now[64];
    for (int presses = 0; presses < 120; presses++) {
        peer_focused_id(k, now, sizeof now);
        if (strcmp(now, id) == 0)
            return true;
        if (presses > 0 && strcmp(now, first) == 0)
            return false;
        if (presses == 0)
            snprintf(first, sizeof first, "%s", now);
        peer_press(k, "right");
    }
    return false;
}

void peer_activate(kiosk_proc *k, const char *id, const char *screen)
{
    if (!peer_focus_on(k, id))
        fail_msg("the keypad cannot reach %s: %.600s", id, kiosk_tree(k));
    peer_press(k, "enter");
    peer_wait_screen(k, screen);
}

/* Words that are the citizen's (王小明, card 1; his ID number, birth date,
 * address; a typed phone) or his housing-fund balance. */
static const char *const peer_personal[] = {
    "王小明", "小明", "王*明",  "440304",   "19900101", "示例路", "13812345678", "Xiaoming",
    "WANG",   "赵",   "110105", "19491231", "4403*",    "*123X",  "002X",
};

/* Texts the tree marked personal, seen on any screen so far. */
static char peer_seen_personal[64][256];
static size_t peer_seen_count;

void peer_note_personal(kiosk_proc *k)
{
    cJSON *tree = peer_reply_json(kiosk_ask(k, "tree"));
    const cJSON *widget = NULL;
    cJSON_ArrayForEach(widget, cJSON_GetObjectItem(tree, "widgets"))
    {
        const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(widget, "text"));
        if (!cJSON_IsTrue(cJSON_GetObjectItem(widget, "personal")) || !text || strlen(text) < 4)
            continue;
        bool known = false;
        for (size_t i = 0; i < peer_seen_count; i++)
            known = known || strcmp(peer_seen_personal[i], text) == 0;
        if (!known && peer_seen_count < 64)
            snprintf(peer_seen_personal[peer_seen_count++], sizeof peer_seen_personal[0], "%s",
                     text);
    }
    cJSON_Delete(tree);
}

/* Everything said on the speaker since seq *since: the count of personal
 * words heard, each printed. */
int peer_speaker_leaks(kiosk_proc *k, unsigned long *since, bool print_all)
{
    char command[64];
    peer_note_personal(k);
    snprintf(command, sizeof command, "speech %lu", *since);
    cJSON *speech = peer_reply_json(kiosk_ask(k, command));
    int leaks = 0;
    const cJSON *said = NULL;
    cJSON_ArrayForEach(said, cJSON_GetObjectItem(speech, "said"))
    {
        *since = (unsigned long)cJSON_GetObjectItem(said, "seq")->valuedouble;
        const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(said, "text"));
        const char *output = cJSON_GetStringValue(cJSON_GetObjectItem(said, "output"));
        const char *on = cJSON_GetStringValue(cJSON_GetObjectItem(said, "screen"));
        if (print_all)
            printf("    #%lu [%s] (%s) %s\n", *since, on, output, text);
        if (strcmp(output, "speaker") != 0)
            continue;
        for (size_t i = 0; i < sizeof peer_personal / sizeof peer_personal[0]; i++) {
            if (strstr(text, peer_personal[i])) {
                printf("  the speaker said \"%s\" on %s: %s\n", peer_personal[i], on, text);
                leaks++;
            }
        }
        for (size_t i = 0; i < peer_seen_count; i++) {
            if (strstr(text, peer_seen_personal[i])) {
                printf("  the speaker said personal \"%s\" on %s: %s\n", peer_seen_personal[i], on,
                       text);
                leaks++;
            }
        }
    }
    cJSON_Delete(speech);
    return leaks;
}

bool peer_verbose(void)
{
    return getenv("HOSTILE_VERBOSE") != NULL;
}

/* From attract by keypad to the home screen. */
void peer_keypad_to_home(kiosk_proc *k)
{
    peer_press(k, "enter");
    for (int i = 0; i < 3 && !strstr(kiosk_ask(k, "screen"), "home"); i++)
        peer_press(k, "enter");
    peer_wait_screen(k, "home");
}

void peer_keypad_opens(kiosk_proc *k, const char *service, const char *screen)
{
    char id[96];
    snprintf(id, sizeof id, "tile.%s", service);
    for (int page = 0; page < 6 && !peer_focus_on(k, id); page++) {
        assert_true(peer_focus_on(k, "home.next"));
        peer_press(k, "enter");
    }
    peer_activate(k, id, screen);
}

/* Every control of the screen shown, focused in turn, and repeat pressed
 * on it once, twice and three times, and the volume keys: what the
 * speaker said meanwhile. */
int peer_walk_and_repeat(kiosk_proc *k, unsigned long *since)
{
    int leaks = 0;
    char first[64] = "", now[64];
    for (int step = 0; step < 60; step++) {
        peer_focused_id(k, now, sizeof now);
        if (step > 0 && strcmp(now, first) == 0)
            break;
        if (step == 0)
            snprintf(first, sizeof first, "%s", now);
        peer_press(k, "repeat");
        peer_press(k, "repeat");
        peer_press(k, "repeat");
        peer_press(k, "vol+ vol-");
        leaks += peer_speaker_leaks(k, since, peer_verbose());
        peer_press(k, "right");
    }
    return leaks;
}
