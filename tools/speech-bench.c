/* speech-bench: the speech output's figures, measured in-process through
 * the same path the kiosk uses (espeak-ng, the worker thread, SDL2 audio).
 *
 *   speech-bench
 *
 * Without SDL_AUDIODRIVER set, audio goes to SDL2's disk driver writing to
 * /dev/null at the device's own pace (a machine without a sound card); set
 * it to measure a real device.
 *
 * 1. memory added by the engine: RSS before speech_create, after it, and
 *    after each voice has said something (its dictionary loaded);
 * 2. render time of a typical prompt per voice (mean of 10), and how much
 *    faster than real time it is;
 * 3. speech_say -> first samples queued on the audio device (mean and
 *    worst of 20, each interrupting the last);
 * 4. idle CPU over 2 s with the device open and nothing said, after
 *    something was said (the device paused), and again once the device
 *    was closed (after 5 s of silence); then 3 once more from there.
 * Targets (issue 17): 3 <= 150 ms; 4 ~0. */
#include "firmware/base/log.h"
#include "firmware/speech/speech.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static const char *const prompt[LANG_COUNT] = {
    [LANG_ZH_CN] = "请将身份证放在感应区",
    [LANG_ZH_TW] = "請將身分證放在感應區",
    [LANG_EN] = "Please place your ID card on the reader.",
};

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static long rss_kib(void)
{
    FILE *status = fopen("/proc/self/status", "r");
    char line[256];
    long value = -1;
    while (status && fgets(line, sizeof line, status)) {
        if (strncmp(line, "VmRSS:", 6) == 0)
            value = strtol(line + 6, NULL, 10);
    }
    if (status)
        fclose(status);
    return value;
}

static double cpu_ms(void)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
           (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

static void wait_quiet(speech *s)
{
    while (speech_speaking(s))
        usleep(5000);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    if (!getenv("SDL_AUDIODRIVER")) {
        setenv("SDL_AUDIODRIVER", "disk", 1);
        setenv("SDL_DISKAUDIOFILE", "/dev/null", 1);
    }
    printf("speech-bench (audio: %s)\n", getenv("SDL_AUDIODRIVER"));

    long rss_before = rss_kib();
    speech_config config = {.audio = true};
    speech *s = speech_create(&config);
    if (!s) {
        fprintf(stderr, "speech-bench: no speech (espeak-ng or audio missing)\n");
        return 1;
    }
    long rss_created = rss_kib();

    printf("render a prompt (mean of 10):\n");
    for (int l = 0; l < LANG_COUNT; l++) {
        double total = 0, seconds = 0;
        for (int i = 0; i < 10; i++) {
            int16_t *samples;
            size_t count;
            int rate;
            double start = now_ms();
            if (!speech_render(s, (lang)l, prompt[l], &samples, &count, &rate)) {
                fprintf(stderr, "speech-bench: %s would not render\n", lang_code((lang)l));
                return 1;
            }
            total += now_ms() - start;
            seconds = (double)count / rate;
            speech_pcm_free(samples, count);
        }
        printf("  %-5s %-16s %6.1f ms for %.2f s of speech (%.0fx real time)\n", lang_code((lang)l),
               speech_voice_of(s, (lang)l), total / 10, seconds, seconds * 1e3 / (total / 10));
    }
    long rss_voices = rss_kib();
    printf("memory: RSS %ld KiB before, +%ld KiB after speech_create, +%ld KiB with all three "
           "voices used\n",
           rss_before, rss_created - rss_before, rss_voices - rss_before);

    double worst = 0, sum = 0;
    int trials = 20;
    for (int i = 0; i < trials; i++) {
        lang language = (lang)(i % LANG_COUNT);
        uint64_t before = speech_first_sample_ms(s);
        double start = now_ms();
        speech_say(s, language, prompt[language], true);
        while (speech_first_sample_ms(s) == before && now_ms() - start < 2000)
            usleep(200);
        double took = now_ms() - start;
        sum += took;
        worst = took > worst ? took : worst;
        usleep(300000);
    }
    printf("say -> first sample queued: mean %.1f ms, worst %.1f ms (target <= 150)\n",
           sum / trials, worst);

    speech_stop(s);
    wait_quiet(s);
    usleep(300000); /* the worker pauses the drained device */
    double cpu_start = cpu_ms(), wall_start = now_ms();
    sleep(2);
    double cpu = cpu_ms() - cpu_start, wall = now_ms() - wall_start;
    printf("idle, device open and paused: %.1f ms CPU in %.0f ms (%.2f %%)\n", cpu, wall,
           cpu * 100 / wall);
    sleep(4); /* past the linger: the device is closed */
    cpu_start = cpu_ms();
    wall_start = now_ms();
    sleep(2);
    cpu = cpu_ms() - cpu_start;
    wall = now_ms() - wall_start;
    printf("idle, device closed after 5 s of silence: %.1f ms CPU in %.0f ms (%.2f %%)\n", cpu,
           wall, cpu * 100 / wall);
    uint64_t before = speech_first_sample_ms(s);
    double start = now_ms();
    speech_say(s, LANG_ZH_CN, prompt[LANG_ZH_CN], true);
    while (speech_first_sample_ms(s) == before && now_ms() - start < 2000)
        usleep(200);
    printf("say -> first sample queued, device reopened: %.1f ms\n", now_ms() - start);
    speech_destroy(s);
    return 0;
}
