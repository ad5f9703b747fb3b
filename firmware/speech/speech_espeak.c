/* libespeak-ng behind speech_engine.h.
 *
 * espeak-ng keeps one synthesiser for the whole process (its voice, its
 * buffers, its callback are globals), so every call into it is made under
 * one lock. The library is initialised by the first engine made and then
 * kept for the life of the process: espeak-ng 1.51 hangs in
 * espeak_Terminate once it has been initialised a second time (its fifo
 * thread's flags are not reset), so it is never terminated and never
 * initialised twice. It runs synchronously: the
 * samples come back through the synth callback on the caller's thread, in
 * blocks of SPEECH_ESPEAK_BLOCK_MS, and the callback can stop it. */
#include "firmware/speech/speech_engine.h"

#include "firmware/base/log.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Small blocks: the first of them reaches the speaker sooner. */
#define SPEECH_ESPEAK_BLOCK_MS 40
#define SPEECH_VOICE_NAME_MAX  64
/* The longest clause espeak-ng holds (N_TR_SOURCE is 800), with room. */
#define SPEECH_ESPEAK_FORGET_MAX 2048

struct speech_engine {
    int rate;
};

static pthread_mutex_t espeak_lock = PTHREAD_MUTEX_INITIALIZER;
static bool espeak_ready;
static int espeak_rate;
static char espeak_voice[SPEECH_VOICE_NAME_MAX];
/* The synthesis under way (only ever one: under espeak_lock). */
static speech_engine_sink espeak_sink;
static void *espeak_sink_context;
static bool espeak_stopped;

static int espeak_on_samples(short *samples, int count, espeak_EVENT *events)
{
    (void)events;
    if (espeak_stopped)
        return 1;
    if (samples && count > 0 && espeak_sink &&
        !espeak_sink((const int16_t *)samples, (size_t)count, espeak_sink_context)) {
        espeak_stopped = true;
        return 1;
    }
    return 0;
}

/* espeak-ng also keeps the last clause it translated in static buffers
 * (the clause's text as given, its words): translating a filler as long
 * as the text overwrites them. Under espeak_lock. */
static void espeak_forget(size_t length)
{
    char filler[SPEECH_ESPEAK_FORGET_MAX + 1];
    if (length > SPEECH_ESPEAK_FORGET_MAX)
        length = SPEECH_ESPEAK_FORGET_MAX;
    for (size_t i = 0; i < length; i++)
        filler[i] = i % 2 ? ' ' : 'a';
    filler[length] = '\0';
    const void *cursor = filler;
    while (cursor && espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, 0))
        ;
}

static speech_engine *espeak_create(void)
{
    speech_engine *engine = calloc(1, sizeof *engine);
    if (!engine)
        return NULL;
    pthread_mutex_lock(&espeak_lock);
    if (!espeak_ready) {
        /* NULL: ESPEAK_DATA_PATH, else the data folder the library was
         * built for (/usr/lib/<triplet>/espeak-ng-data on Debian). */
        espeak_ng_InitializePath(NULL);
        espeak_ng_ERROR_CONTEXT context = NULL;
        espeak_ng_STATUS status = espeak_ng_Initialize(&context);
        if (status == ENS_OK)
            status =
                espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, SPEECH_ESPEAK_BLOCK_MS, NULL);
        if (status != ENS_OK) {
            char message[256];
            espeak_ng_GetStatusCodeMessage(status, message, sizeof message);
            LOG_ERROR("speech", "espeak-ng cannot start: %s (its data: ESPEAK_DATA_PATH)", message);
            espeak_ng_ClearErrorContext(&context);
            pthread_mutex_unlock(&espeak_lock);
            free(engine);
            return NULL;
        }
        espeak_SetSynthCallback(espeak_on_samples);
        espeak_rate = espeak_ng_GetSampleRate();
        espeak_voice[0] = '\0';
        espeak_ready = true;
    }
    engine->rate = espeak_rate;
    pthread_mutex_unlock(&espeak_lock);
    return engine;
}

static void espeak_destroy(speech_engine *engine)
{
    free(engine);
}

static int espeak_sample_rate(const speech_engine *engine)
{
    return engine->rate;
}

/* Under espeak_lock. Setting a voice loads its files: done only when it
 * changes. */
static bool espeak_use_voice(const char *voice)
{
    if (!voice || strlen(voice) >= sizeof espeak_voice)
        return false;
    if (strcmp(espeak_voice, voice) == 0)
        return true;
    if (espeak_ng_SetVoiceByName(voice) != ENS_OK) {
        espeak_voice[0] = '\0';
        return false;
    }
    snprintf(espeak_voice, sizeof espeak_voice, "%s", voice);
    return true;
}

static bool espeak_has_voice(speech_engine *engine, const char *voice)
{
    (void)engine;
    pthread_mutex_lock(&espeak_lock);
    bool ok = espeak_use_voice(voice);
    pthread_mutex_unlock(&espeak_lock);
    return ok;
}

static bool espeak_synthesise(speech_engine *engine, const char *voice, const char *text,
                              speech_engine_sink sink, void *context)
{
    (void)engine;
    pthread_mutex_lock(&espeak_lock);
    bool ok = espeak_use_voice(voice);
    if (ok) {
        espeak_sink = sink;
        espeak_sink_context = context;
        espeak_stopped = false;
        /* SSML off: the text is the citizen's screen, not markup. */
        espeak_ng_STATUS status = espeak_ng_Synthesize(text, strlen(text) + 1, 0, POS_CHARACTER, 0,
                                                       espeakCHARS_UTF8, NULL, NULL);
        ok = status == ENS_OK && !espeak_stopped;
        espeak_sink = NULL;
        espeak_sink_context = NULL;
        espeak_forget(strlen(text));
    }
    pthread_mutex_unlock(&espeak_lock);
    return ok;
}

static bool espeak_phonemes(speech_engine *engine, const char *voice, const char *text, char *out,
                            size_t size)
{
    (void)engine;
    if (size == 0)
        return false;
    out[0] = '\0';
    pthread_mutex_lock(&espeak_lock);
    bool ok = espeak_use_voice(voice);
    size_t used = 0;
    const void *cursor = text;
    /* One clause a call; the cursor becomes NULL after the last. */
    while (ok && cursor) {
        const char *clause = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, 0);
        if (!clause)
            break;
        int written = snprintf(out + used, size - used, "%s%s", used ? " " : "", clause);
        if (written < 0 || (size_t)written >= size - used) {
            ok = false;
            break;
        }
        used += (size_t)written;
    }
    espeak_forget(strlen(text));
    pthread_mutex_unlock(&espeak_lock);
    return ok;
}

const speech_engine_ops speech_engine_espeak = {
    .name = "espeak-ng",
    .create = espeak_create,
    .destroy = espeak_destroy,
    .sample_rate = espeak_sample_rate,
    .has_voice = espeak_has_voice,
    .synthesise = espeak_synthesise,
    .phonemes = espeak_phonemes,
};

const speech_engine_ops *speech_engine_default(void)
{
    return &speech_engine_espeak;
}
