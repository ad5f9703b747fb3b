/* Speech: short prompts said aloud, offline, through the kiosk's own SDL2
 * audio output.
 *
 * speech_say() returns at once: a worker thread prepares the text for
 * speech (speech_prepare), synthesises it with the engine of its language's
 * voice (speech_engine.h: espeak-ng by default) and queues the samples on
 * the audio device. speech_stop() silences it at once and wipes everything
 * queued: what was said may have been personal. While nothing is said the
 * worker sleeps and the audio device is paused: an idle kiosk uses no CPU.
 *
 * Which text may be said through which output (the speaker or headphones)
 * is the app's decision, not this module's. */
#ifndef KIOSK_FIRMWARE_SPEECH_SPEECH_H
#define KIOSK_FIRMWARE_SPEECH_SPEECH_H

#include "firmware/base/lang.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct speech speech;

typedef struct speech_config {
    /* The engine's voice for each language; NULL takes the default:
     * "cmn-latn-pinyin" (zh-CN), "yue" (zh-TW), "en" (en). */
    const char *voice[LANG_COUNT];
    int volume_percent; /* 0..100; 0 takes 70 */
    /* false: no audio device is opened (synthesis only: tests, the bench). */
    bool audio;
} speech_config;

/* NULL when no engine or voice can be had (logged once): the kiosk then
 * runs silent, and says so to technicians. */
speech *speech_create(const speech_config *config);
/* Stops, wipes and frees. NULL is fine. */
void speech_destroy(speech *speech);

/* Says text in language: after what is being said, or instead of it
 * (interrupt). Text is UTF-8, prepared for speech here. False when the
 * text is empty, not UTF-8, or too long to queue. */
bool speech_say(speech *speech, lang language, const char *text, bool interrupt);
/* Silences at once and wipes what was queued and being said. */
void speech_stop(speech *speech);
/* Whether something is being said or waits to be. */
bool speech_speaking(speech *speech);

/* 0..100 (clamped). */
void speech_set_volume(speech *speech, int percent);
int speech_volume(speech *speech);

/* The voice a language is said in (the engine's name for it). */
const char *speech_voice_of(speech *speech, lang language);

/* Synthesises text (prepared as speech_say would) synchronously into PCM,
 * through the same engine and volume as speech_say: mono, signed 16 bit, at
 * *rate samples a second. The caller frees *samples with speech_pcm_free.
 * For tests and the bench. */
bool speech_render(speech *speech, lang language, const char *text, int16_t **samples,
                   size_t *count, int *rate);
void speech_pcm_free(int16_t *samples, size_t count);

/* The engine's phonemes for text in language (espeak-ng's mnemonics), for
 * tests that check how a voice reads a word. */
bool speech_phonemes(speech *speech, lang language, const char *text, char *out, size_t size);

/* Monotonic milliseconds at which the audio device last received the first
 * samples of an utterance (0: never). For the bench: screen change to sound. */
uint64_t speech_first_sample_ms(speech *speech);

/* Text prepared for speech in language, into out (always terminated):
 * digits of codes (runs of five or more digits, ID numbers, tracking
 * numbers, phone numbers) read one by one, dates, times and amounts read
 * naturally, symbols named, what cannot be said (control characters,
 * bidi marks) dropped. False when out was too small (what fits is kept). */
bool speech_prepare(lang language, const char *text, char *out, size_t size);

#endif
