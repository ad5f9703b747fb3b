/* Speech: the worker thread, its queue and the SDL2 audio output. See
 * speech.h.
 *
 * One lock guards the queue, the ring of samples waiting for the speaker
 * and the generation; the audio callback takes it too, briefly. speech_say
 * with interrupt and speech_stop bump the generation and wipe the queue and
 * the ring under it: from then on the callback finds nothing to play, and
 * the utterance being synthesised sees the new generation at its next
 * block and stops, so nothing said before reaches the speaker afterwards.
 *
 * Only the worker pauses, resumes, closes and reopens the device, and never
 * under the lock: SDL holds its device lock while it calls the callback,
 * which takes ours. A drained device is paused at once and closed after
 * SPEECH_DEVICE_LINGER_MS of silence: SDL2 keeps a paused device's thread
 * feeding it silence (a wake-up every buffer), a closed one costs nothing.
 * Prompts that follow one another closely find it open. */
#include "firmware/speech/speech.h"

#include "firmware/base/log.h"
#include "firmware/base/monotonic.h"
#include "firmware/base/wipe_alloc.h"
#include "firmware/speech/speech_engine.h"

#include <SDL2/SDL.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPEECH_QUEUE_MAX        8
#define SPEECH_TEXT_MAX         8192 /* bytes of one utterance as given */
#define SPEECH_VOICE_MAX        64
#define SPEECH_VOLUME_DEFAULT   70
#define SPEECH_RING_SECONDS     2
#define SPEECH_DEVICE_SAMPLES   512  /* per callback: ~23 ms at 22,050 Hz */
#define SPEECH_DEVICE_LINGER_MS 5000 /* of silence before the device is closed */
#define SPEECH_RENDER_SECONDS   120  /* the longest speech_render makes */
/* speech_prepare writes at most this many bytes per byte given (the most:
 * ">" -> " greater than "), and a little more; fuzz_speech_prepare checks
 * it. */
#define SPEECH_PREPARED_FACTOR 16

static const char *const default_voice[LANG_COUNT] = {
    [LANG_ZH_CN] = "cmn-latn-pinyin",
    [LANG_ZH_TW] = "yue",
    [LANG_EN] = "en",
};

typedef struct utterance {
    lang language;
    char *text; /* wipe_strdup: the citizen's words */
} utterance;

struct speech {
    const speech_engine_ops *ops;
    speech_engine *engine;
    char voice[LANG_COUNT][SPEECH_VOICE_MAX];
    int rate;

    pthread_mutex_t lock;
    pthread_cond_t changed; /* queued, room in the ring, ring drained, quit */
    /* An SDL thread: SDL keeps per-thread state (its error text) that only
     * its own threads give back when they end. */
    SDL_Thread *worker;
    bool worker_running;
    bool quit;
    utterance queue[SPEECH_QUEUE_MAX];
    size_t queue_head, queue_count;
    uint64_t generation;
    bool busy; /* the worker holds an utterance */
    int volume;
    uint64_t first_sample_ms;

    /* The samples on their way to the speaker (audio only). */
    bool audio;
    bool audio_ready;          /* SDL's audio subsystem initialised */
    bool audio_missing_logged; /* no audio device: said once to technicians */
    SDL_AudioDeviceID device;  /* 0: closed; changed by the worker only */
    bool device_running;       /* unpaused; changed by the worker only */
    uint64_t paused_at;
    int16_t *ring;
    size_t ring_size, ring_read, ring_fill;
};

/* ------------------------------------------------------------------------ */

static void queue_wipe(speech *s)
{
    for (size_t i = 0; i < s->queue_count; i++) {
        utterance *u = &s->queue[(s->queue_head + i) % SPEECH_QUEUE_MAX];
        wipe_free(u->text);
        u->text = NULL;
    }
    s->queue_head = 0;
    s->queue_count = 0;
}

/* Under lock: what was said is no longer said, and no longer held. */
static void speech_cancel_locked(speech *s)
{
    s->generation++;
    queue_wipe(s);
    if (s->ring)
        explicit_bzero(s->ring, s->ring_size * sizeof *s->ring);
    s->ring_read = 0;
    s->ring_fill = 0;
    pthread_cond_broadcast(&s->changed);
}

static int16_t scale(int16_t sample, int volume)
{
    return (int16_t)((int32_t)sample * volume / 100);
}

/* SDL's audio thread: the ring to the speaker at the volume of the moment
 * (a volume key acts within a buffer, not after what is queued), consumed
 * samples wiped, the rest silence. */
static void speech_audio_callback(void *userdata, Uint8 *stream, int length)
{
    speech *s = userdata;
    int16_t *out = (int16_t *)(void *)stream;
    size_t want = (size_t)length / sizeof *out;
    size_t given = 0;
    pthread_mutex_lock(&s->lock);
    while (given < want && s->ring_fill > 0) {
        size_t run = s->ring_size - s->ring_read;
        if (run > s->ring_fill)
            run = s->ring_fill;
        if (run > want - given)
            run = want - given;
        for (size_t i = 0; i < run; i++)
            out[given + i] = scale(s->ring[s->ring_read + i], s->volume);
        explicit_bzero(s->ring + s->ring_read, run * sizeof *out);
        s->ring_read = (s->ring_read + run) % s->ring_size;
        s->ring_fill -= run;
        given += run;
    }
    if (given > 0)
        pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
    memset(out + given, 0, (want - given) * sizeof *out);
}

typedef struct play_context {
    speech *speech;
    uint64_t generation;
    bool first;
} play_context;

/* The engine's blocks into the ring, waiting for room; false once the
 * utterance was stopped or interrupted. */
static bool speech_play_sink(const int16_t *samples, size_t count, void *context)
{
    play_context *play = context;
    speech *s = play->speech;
    size_t done = 0;
    pthread_mutex_lock(&s->lock);
    if (!s->audio && s->generation == play->generation && !s->quit) {
        /* Synthesis only: the samples go nowhere. */
        if (play->first)
            s->first_sample_ms = monotonic_now_ms();
        play->first = false;
    }
    while (s->audio && done < count) {
        if (s->generation != play->generation || s->quit) {
            pthread_mutex_unlock(&s->lock);
            return false;
        }
        size_t room = s->ring_size - s->ring_fill;
        if (room == 0) {
            pthread_cond_wait(&s->changed, &s->lock);
            continue;
        }
        size_t take = count - done < room ? count - done : room;
        size_t write = (s->ring_read + s->ring_fill) % s->ring_size;
        for (size_t i = 0; i < take; i++) {
            s->ring[write] = samples[done + i];
            write = (write + 1) % s->ring_size;
        }
        s->ring_fill += take;
        done += take;
        bool start = !s->device_running;
        s->device_running = true;
        if (play->first)
            s->first_sample_ms = monotonic_now_ms();
        play->first = false;
        if (start) {
            pthread_mutex_unlock(&s->lock);
            SDL_PauseAudioDevice(s->device, 0);
            pthread_mutex_lock(&s->lock);
        }
    }
    bool current = s->generation == play->generation && !s->quit;
    pthread_mutex_unlock(&s->lock);
    return current;
}

static bool speech_open_audio(speech *s);

static void speech_say_one(speech *s, lang language, const char *text, uint64_t generation)
{
    size_t size = strlen(text) * SPEECH_PREPARED_FACTOR + 64;
    char *prepared = wipe_malloc(size);
    if (!prepared) {
        LOG_WARN("speech", "no memory to prepare an utterance");
        return;
    }
    speech_prepare(language, text, prepared, size);
    play_context play = {.speech = s, .generation = generation, .first = true};
    if (prepared[0] && s->audio && !s->device && !speech_open_audio(s))
        prepared[0] = '\0'; /* logged once: this one is not heard */
    if (prepared[0])
        s->ops->synthesise(s->engine, s->voice[language], prepared, speech_play_sink, &play);
    wipe_free(prepared);
}

static int speech_worker(void *argument)
{
    speech *s = argument;
    pthread_mutex_lock(&s->lock);
    while (!s->quit) {
        if (s->queue_count == 0) {
            if (s->device_running && s->ring_fill == 0) {
                /* Drained. Only this thread fills the ring, so it stays
                 * empty meanwhile. */
                s->device_running = false;
                s->paused_at = monotonic_now_ms();
                pthread_mutex_unlock(&s->lock);
                SDL_PauseAudioDevice(s->device, 1);
                pthread_mutex_lock(&s->lock);
                continue;
            }
            if (s->device && !s->device_running) {
                uint64_t idle = monotonic_now_ms() - s->paused_at;
                if (idle >= SPEECH_DEVICE_LINGER_MS) {
                    SDL_AudioDeviceID device = s->device;
                    s->device = 0;
                    pthread_mutex_unlock(&s->lock);
                    SDL_CloseAudioDevice(device);
                    pthread_mutex_lock(&s->lock);
                    continue;
                }
                struct timespec until = monotonic_deadline_ms(SPEECH_DEVICE_LINGER_MS - idle);
                int waited = pthread_cond_timedwait(&s->changed, &s->lock, &until);
                (void)waited; /* woken or timed out: look again */
                continue;
            }
            pthread_cond_wait(&s->changed, &s->lock);
            continue;
        }
        utterance next = s->queue[s->queue_head];
        s->queue[s->queue_head].text = NULL;
        s->queue_head = (s->queue_head + 1) % SPEECH_QUEUE_MAX;
        s->queue_count--;
        s->busy = true;
        uint64_t generation = s->generation;
        pthread_mutex_unlock(&s->lock);

        speech_say_one(s, next.language, next.text, generation);
        wipe_free(next.text);

        pthread_mutex_lock(&s->lock);
        s->busy = false;
        pthread_cond_broadcast(&s->changed);
    }
    pthread_mutex_unlock(&s->lock);
    return 0;
}

/* ------------------------------------------------------------------------ */

static bool utf8_valid(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        unsigned char c = *p;
        size_t extra;
        uint32_t code;
        if (c < 0x80) {
            p++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1;
            code = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            code = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            code = c & 0x07;
        } else {
            return false;
        }
        for (size_t i = 1; i <= extra; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            code = (code << 6) | (p[i] & 0x3F);
        }
        static const uint32_t least[4] = {0, 0x80, 0x800, 0x10000};
        if (code < least[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
            return false;
        p += extra + 1;
    }
    return true;
}

/* The worker's (and speech_create's, before the worker starts). The
 * device starts paused. */
static bool speech_open_device(speech *s)
{
    SDL_AudioSpec want = {
        .freq = s->rate,
        .format = AUDIO_S16SYS,
        .channels = 1,
        .samples = SPEECH_DEVICE_SAMPLES,
        .callback = speech_audio_callback,
        .userdata = s,
    };
    SDL_AudioSpec have;
    /* No changes allowed: SDL converts to what the device takes. */
    SDL_AudioDeviceID device = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    if (device == 0) {
        if (!s->audio_missing_logged)
            LOG_ERROR("speech", "no audio device (%s): nothing is heard until one answers",
                      SDL_GetError());
        s->audio_missing_logged = true;
        return false;
    }
    if (s->audio_missing_logged)
        LOG_INFO("speech", "the audio device answers again");
    s->audio_missing_logged = false;
    pthread_mutex_lock(&s->lock);
    s->device = device;
    s->device_running = false;
    s->paused_at = monotonic_now_ms();
    pthread_mutex_unlock(&s->lock);
    return true;
}

/* The audio output, opened (SDL's audio first, once). A board whose
 * speaker is missing still speaks to the app: each utterance tries again,
 * and the first failure is logged for technicians. */
static bool speech_open_audio(speech *s)
{
    if (!s->audio_ready && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        if (!s->audio_missing_logged)
            LOG_ERROR("speech", "no audio (%s): nothing is heard until it can be had",
                      SDL_GetError());
        s->audio_missing_logged = true;
        return false;
    }
    s->audio_ready = true;
    /* Opened once now to know the kiosk can be heard. */
    return speech_open_device(s);
}

speech *speech_create(const speech_config *config)
{
    static const speech_config defaults = {.audio = true};
    if (!config)
        config = &defaults;
    speech *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->ops = speech_engine_default();
    s->volume = config->volume_percent <= 0    ? SPEECH_VOLUME_DEFAULT
                : config->volume_percent > 100 ? 100
                                               : config->volume_percent;
    pthread_mutex_init(&s->lock, NULL);
    monotonic_cond_init(&s->changed);
    s->engine = s->ops->create();
    if (!s->engine)
        goto fail;
    s->rate = s->ops->sample_rate(s->engine);
    for (int l = 0; l < LANG_COUNT; l++) {
        const char *voice = config->voice[l] ? config->voice[l] : default_voice[l];
        if (strlen(voice) >= SPEECH_VOICE_MAX || !s->ops->has_voice(s->engine, voice)) {
            LOG_ERROR("speech", "%s has no voice \"%.64s\" for %s: the kiosk is silent",
                      s->ops->name, voice, lang_code((lang)l));
            goto fail;
        }
        snprintf(s->voice[l], sizeof s->voice[l], "%s", voice);
    }
    s->audio = config->audio;
    if (s->audio) {
        s->ring_size = (size_t)s->rate * SPEECH_RING_SECONDS;
        s->ring = calloc(s->ring_size, sizeof *s->ring);
        if (!s->ring)
            goto fail;
        (void)speech_open_audio(s); /* logged; tried again at each utterance */
    }
    s->worker = SDL_CreateThread(speech_worker, "speech", s);
    if (!s->worker) {
        LOG_ERROR("speech", "no speech thread");
        goto fail;
    }
    s->worker_running = true;
    return s;
fail:
    speech_destroy(s);
    return NULL;
}

void speech_destroy(speech *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    speech_cancel_locked(s);
    s->quit = true;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
    if (s->worker_running)
        SDL_WaitThread(s->worker, NULL);
    if (s->device)
        SDL_CloseAudioDevice(s->device);
    if (s->audio_ready)
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    if (s->ring) {
        explicit_bzero(s->ring, s->ring_size * sizeof *s->ring);
        free(s->ring);
    }
    if (s->engine)
        s->ops->destroy(s->engine);
    pthread_cond_destroy(&s->changed);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

bool speech_say(speech *s, lang language, const char *text, bool interrupt)
{
    if (!s || !text || (unsigned)language >= LANG_COUNT)
        return false;
    size_t length = strnlen(text, SPEECH_TEXT_MAX + 1);
    if (length == 0 || length > SPEECH_TEXT_MAX || !utf8_valid(text))
        return false;
    char *copy = wipe_strdup(text);
    if (!copy)
        return false;
    pthread_mutex_lock(&s->lock);
    if (interrupt)
        speech_cancel_locked(s);
    if (s->queue_count == SPEECH_QUEUE_MAX) {
        pthread_mutex_unlock(&s->lock);
        wipe_free(copy);
        return false;
    }
    s->queue[(s->queue_head + s->queue_count) % SPEECH_QUEUE_MAX] =
        (utterance){.language = language, .text = copy};
    s->queue_count++;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
    return true;
}

void speech_stop(speech *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    speech_cancel_locked(s);
    pthread_mutex_unlock(&s->lock);
}

bool speech_speaking(speech *s)
{
    if (!s)
        return false;
    pthread_mutex_lock(&s->lock);
    bool speaking = s->busy || s->queue_count > 0 || s->ring_fill > 0;
    pthread_mutex_unlock(&s->lock);
    return speaking;
}

void speech_set_volume(speech *s, int percent)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->volume = percent < 0 ? 0 : percent > 100 ? 100 : percent;
    pthread_mutex_unlock(&s->lock);
}

int speech_volume(speech *s)
{
    if (!s)
        return 0;
    pthread_mutex_lock(&s->lock);
    int volume = s->volume;
    pthread_mutex_unlock(&s->lock);
    return volume;
}

const char *speech_voice_of(speech *s, lang language)
{
    if (!s || (unsigned)language >= LANG_COUNT)
        return NULL;
    return s->voice[language];
}

uint64_t speech_first_sample_ms(speech *s)
{
    if (!s)
        return 0;
    pthread_mutex_lock(&s->lock);
    uint64_t at = s->first_sample_ms;
    pthread_mutex_unlock(&s->lock);
    return at;
}

/* ------------------------------------------------------------------------ */

typedef struct render_context {
    int16_t *samples;
    size_t count, capacity, limit;
    int volume;
    bool failed;
} render_context;

static bool speech_render_sink(const int16_t *samples, size_t count, void *context)
{
    render_context *render = context;
    if (render->count + count > render->limit) {
        render->failed = true;
        return false;
    }
    if (render->count + count > render->capacity) {
        size_t capacity = render->capacity ? render->capacity * 2 : 16384;
        while (capacity < render->count + count)
            capacity *= 2;
        /* wipe_realloc: a moved block is zeroed before it is freed. */
        int16_t *grown = wipe_realloc(render->samples, capacity * sizeof *grown);
        if (!grown) {
            render->failed = true;
            return false;
        }
        render->samples = grown;
        render->capacity = capacity;
    }
    for (size_t i = 0; i < count; i++)
        render->samples[render->count + i] = scale(samples[i], render->volume);
    render->count += count;
    return true;
}

bool speech_render(speech *s, lang language, const char *text, int16_t **samples, size_t *count,
                   int *rate)
{
    if (!samples || !count || !rate)
        return false;
    *samples = NULL;
    *count = 0;
    *rate = 0;
    if (!s || !text || (unsigned)language >= LANG_COUNT)
        return false;
    size_t length = strnlen(text, SPEECH_TEXT_MAX + 1);
    if (length == 0 || length > SPEECH_TEXT_MAX || !utf8_valid(text))
        return false;
    size_t size = length * SPEECH_PREPARED_FACTOR + 64;
    char *prepared = wipe_malloc(size);
    if (!prepared)
        return false;
    speech_prepare(language, text, prepared, size);
    render_context render = {
        .limit = (size_t)s->rate * SPEECH_RENDER_SECONDS,
        .volume = speech_volume(s),
    };
    bool ok =
        prepared[0] &&
        s->ops->synthesise(s->engine, s->voice[language], prepared, speech_render_sink, &render) &&
        !render.failed && render.count > 0;
    wipe_free(prepared);
    if (!ok) {
        speech_pcm_free(render.samples, render.capacity);
        return false;
    }
    *samples = render.samples;
    *count = render.count;
    *rate = s->rate;
    return true;
}

void speech_pcm_free(int16_t *samples, size_t count)
{
    if (!samples)
        return;
    /* count may be short of the block (it grew by doubling): wipe_free
     * zeroes the whole block. */
    (void)count;
    wipe_free(samples);
}

bool speech_phonemes(speech *s, lang language, const char *text, char *out, size_t size)
{
    if (!out || size == 0)
        return false;
    out[0] = '\0';
    if (!s || !text || (unsigned)language >= LANG_COUNT || !utf8_valid(text))
        return false;
    return s->ops->phonemes(s->engine, s->voice[language], text, out, size);
}
