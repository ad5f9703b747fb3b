/* Driving the real kiosk as an outside tester does: keys on the simulated
 * keypad, the focus, and what the speaker said. See speech_peer.c. */
#ifndef KIOSK_TESTS_SUPPORT_SPEECH_PEER_H
#define KIOSK_TESTS_SUPPORT_SPEECH_PEER_H

#include "platform_fixture.h"

#include <stdbool.h>

cJSON *peer_reply_json(const char *reply);
void peer_press(kiosk_proc *k, const char *keys);
void peer_wait_screen(kiosk_proc *k, const char *screen);
char *peer_focused_id(kiosk_proc *k, char *out, size_t size);
bool peer_focus_on(kiosk_proc *k, const char *id);
void peer_activate(kiosk_proc *k, const char *id, const char *screen);
void peer_note_personal(kiosk_proc *k);
int peer_speaker_leaks(kiosk_proc *k, unsigned long *since, bool print_all);
bool peer_verbose(void);
void peer_keypad_to_home(kiosk_proc *k);
void peer_keypad_opens(kiosk_proc *k, const char *service, const char *screen);
int peer_walk_and_repeat(kiosk_proc *k, unsigned long *since);

#endif
