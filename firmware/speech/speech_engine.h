/* A speech engine: text in a voice to 16-bit mono PCM, and the phonemes it
 * would say. speech.c drives one engine through this table, so a board
 * with a better Mandarin engine adds a table of its own beside
 * speech_engine_espeak and names it in speech_engine_default().
 *
 * An engine may be a process-wide singleton (espeak-ng is): its functions
 * are then safe from any thread because it serialises them itself. */
#ifndef KIOSK_FIRMWARE_SPEECH_SPEECH_ENGINE_H
#define KIOSK_FIRMWARE_SPEECH_SPEECH_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct speech_engine speech_engine;

/* Receives the samples of an utterance block by block, as they are made.
 * The block is the engine's: copy what is kept. False stops the
 * synthesis (an utterance interrupted). */
typedef bool (*speech_engine_sink)(const int16_t *samples, size_t count, void *context);

typedef struct speech_engine_ops {
    const char *name;
    /* NULL (logged) when the engine or its data cannot be had. */
    speech_engine *(*create)(void);
    /* Stops and frees; what the engine held of a text is its own to wipe. */
    void (*destroy)(speech_engine *engine);
    /* Samples a second of everything the engine makes. */
    int (*sample_rate)(const speech_engine *engine);
    /* Whether voice (the engine's name for it) can be said. */
    bool (*has_voice)(speech_engine *engine, const char *voice);
    /* Says prepared text in voice into sink. False when the voice is
     * unknown, the engine failed, or sink stopped it. */
    bool (*synthesise)(speech_engine *engine, const char *voice, const char *text,
                       speech_engine_sink sink, void *context);
    /* The engine's phoneme mnemonics for text in voice, into out (always
     * terminated). False when the voice is unknown or out was too small. */
    bool (*phonemes)(speech_engine *engine, const char *voice, const char *text, char *out,
                     size_t size);
} speech_engine_ops;

/* libespeak-ng, offline (speech_espeak.c). */
extern const speech_engine_ops speech_engine_espeak;

/* The engine speech_create uses. */
const speech_engine_ops *speech_engine_default(void);

#endif
