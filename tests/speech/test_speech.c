/* Speech through the same path the kiosk uses: prompts synthesised to PCM
 * in each voice and checked as a listener would (sound, not clipped, of a
 * plausible length), the Mandarin voice checked to read Chinese as
 * Mandarin, and speech_say checked through SDL2's audio output with its
 * disk driver (the same device path; the samples land in a file): what is
 * said arrives, an interrupt drops what was being said, a stop silences at
 * once, the volume scales the samples, an idle device is closed. Last, nothing of an ID number said
 * is left in this process's writable memory once speech is stopped and
 * destroyed (under ASan freed blocks keep what they held, so a copy not
 * wiped before it is freed is found). */
#include "../support/test_support.h"

#include "firmware/base/log.h"
#include "firmware/base/monotonic.h"
#include "firmware/speech/speech.h"

#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROMPT_ZH_CN "请将身份证放在感应区"
#define PROMPT_ZH_TW "請將身分證放在感應區"
#define PROMPT_EN    "Please place your ID card on the reader."
#define SHORT_ZH_CN  "请取走回执"
#define LONG_ZH_CN                                                                                                                         \
    "欢迎使用政务服务自助终端。请将身份证放在感应区，读卡完成后请按屏幕提示选择要办理的事项，" \
    "如需帮助请按帮助键，工作人员会尽快为您服务。"
#define ID_NUMBER "110105199001011234"

static speech *make(bool audio, const char *mandarin)
{
    speech_config config = {.audio = audio, .volume_percent = 100};
    config.voice[LANG_ZH_CN] = mandarin;
    speech *s = speech_create(&config);
    assert_non_null(s);
    return s;
}

typedef struct pcm_figures {
    double seconds;
    double rms;
    size_t clipped;
} pcm_figures;

static pcm_figures measure(const int16_t *samples, size_t count, int rate)
{
    pcm_figures f = {.seconds = (double)count / rate};
    double sum = 0;
    for (size_t i = 0; i < count; i++) {
        sum += (double)samples[i] * samples[i];
        if (samples[i] >= 32767 || samples[i] <= -32767)
            f.clipped++;
    }
    f.rms = count ? sqrt(sum / (double)count) : 0;
    return f;
}

static void check_prompt(speech *s, lang language, const char *text, double shortest,
                         double longest)
{
    int16_t *samples;
    size_t count;
    int rate;
    assert_true(speech_render(s, language, text, &samples, &count, &rate));
    assert_int_equal(rate, 22050);
    pcm_figures f = measure(samples, count, rate);
    printf("  %s (%s): %.2f s, RMS %.0f, %zu clipped\n", lang_code(language),
           speech_voice_of(s, language), f.seconds, f.rms, f.clipped);
    assert_true(f.seconds >= shortest && f.seconds <= longest);
    assert_true(f.rms > 1000.0);            /* heard, not a whisper of noise */
    assert_true(f.clipped <= count / 1000); /* at most 0.1 % at full scale */
    speech_pcm_free(samples, count);
}

static void test_each_voice_says_its_prompt_audibly_unclipped_in_plausible_time(void **state)
{
    (void)state;
    speech *s = make(false, NULL);
    assert_string_equal(speech_voice_of(s, LANG_ZH_CN), "cmn-latn-pinyin");
    assert_string_equal(speech_voice_of(s, LANG_ZH_TW), "yue");
    assert_string_equal(speech_voice_of(s, LANG_EN), "en");
    check_prompt(s, LANG_ZH_CN, PROMPT_ZH_CN, 1.0, 6.0);
    check_prompt(s, LANG_ZH_TW, PROMPT_ZH_TW, 1.0, 6.0);
    check_prompt(s, LANG_EN, PROMPT_EN, 1.0, 6.0);
    /* A longer text takes longer: the length follows the words. */
    int16_t *a, *b;
    size_t na, nb;
    int rate;
    assert_true(speech_render(s, LANG_ZH_CN, SHORT_ZH_CN, &a, &na, &rate));
    assert_true(speech_render(s, LANG_ZH_CN, LONG_ZH_CN, &b, &nb, &rate));
    assert_true(nb > 4 * na);
    speech_pcm_free(a, na);
    speech_pcm_free(b, nb);
    speech_destroy(s);
}

static void test_render_refuses_what_cannot_be_said(void **state)
{
    (void)state;
    speech *s = make(false, NULL);
    int16_t *samples = (int16_t *)1;
    size_t count = 1;
    int rate = 1;
    assert_false(speech_render(s, LANG_ZH_CN, "", &samples, &count, &rate));
    assert_null(samples);
    assert_int_equal(count, 0);
    assert_false(speech_render(s, LANG_ZH_CN, "\xff\xfe", &samples, &count, &rate));
    assert_false(speech_render(s, LANG_ZH_CN, "\xe2\x80\xae\x01", &samples, &count, &rate));
    speech_destroy(s);
}

/* The Mandarin check must tell the voices apart: shen55 of 身 in pinyin
 * phonemes from cmn-latn-pinyin, and not from the plain cmn voice, which
 * in Debian's build reads these characters as English letters. */
static bool reads_shenfenzheng_as_mandarin(const char *phonemes)
{
    return strstr(phonemes, "s.'@55n") && strstr(phonemes, "ts.'@51N") && !strstr(phonemes, "(en)");
}

static void test_the_mandarin_voice_reads_chinese_as_mandarin(void **state)
{
    (void)state;
    char phonemes[512];
    speech *s = make(false, NULL);
    assert_true(speech_phonemes(s, LANG_ZH_CN, "身份证", phonemes, sizeof phonemes));
    printf("  cmn-latn-pinyin 身份证: %s\n", phonemes);
    assert_true(reads_shenfenzheng_as_mandarin(phonemes));
    /* Cantonese: san1 fan2 zing3, not Mandarin. */
    assert_true(speech_phonemes(s, LANG_ZH_TW, "身份證", phonemes, sizeof phonemes));
    printf("  yue 身份證: %s\n", phonemes);
    assert_non_null(strstr(phonemes, "sa1n"));
    assert_false(reads_shenfenzheng_as_mandarin(phonemes));
    /* The digits of a prepared ID number in Mandarin: yi yi ling yi. */
    char prepared[256];
    assert_true(speech_prepare(LANG_ZH_CN, "1101", prepared, sizeof prepared));
    assert_true(speech_phonemes(s, LANG_ZH_CN, prepared, phonemes, sizeof phonemes));
    assert_non_null(strstr(phonemes, "j'i55"));
    assert_non_null(strstr(phonemes, "l'i35N"));
    /* A buffer too small is refused, not overrun. */
    char tiny[4];
    assert_false(speech_phonemes(s, LANG_ZH_CN, "身份证", tiny, sizeof tiny));
    speech_destroy(s);

    speech *plain = make(false, "cmn");
    assert_true(speech_phonemes(plain, LANG_ZH_CN, "身份证", phonemes, sizeof phonemes));
    printf("  cmn 身份证: %s\n", phonemes);
    assert_false(reads_shenfenzheng_as_mandarin(phonemes));
    speech_destroy(plain);
}

static void test_an_unknown_voice_leaves_the_kiosk_silent(void **state)
{
    (void)state;
    speech_config config = {.audio = false};
    config.voice[LANG_EN] = "no-such-voice";
    assert_null(speech_create(&config));
    speech_destroy(NULL);
    assert_false(speech_say(NULL, LANG_EN, "hello", false));
    assert_null(speech_voice_of(NULL, LANG_EN));
}

static void test_volume_scales_the_samples(void **state)
{
    (void)state;
    speech *s = make(false, NULL);
    assert_int_equal(speech_volume(s), 100);
    int16_t *full, *low;
    size_t nf, nl;
    int rate;
    assert_true(speech_render(s, LANG_EN, PROMPT_EN, &full, &nf, &rate));
    speech_set_volume(s, 40);
    assert_int_equal(speech_volume(s), 40);
    assert_true(speech_render(s, LANG_EN, PROMPT_EN, &low, &nl, &rate));
    /* espeak-ng's noise differs from one rendering to the next: the
     * loudness is compared, not each sample. */
    double ratio = measure(low, nl, rate).rms / measure(full, nf, rate).rms;
    printf("  40 %% volume: RMS ratio %.3f\n", ratio);
    assert_true(ratio > 0.37 && ratio < 0.43);
    speech_set_volume(s, 250);
    assert_int_equal(speech_volume(s), 100);
    speech_set_volume(s, -3);
    assert_int_equal(speech_volume(s), 0);
    speech_pcm_free(full, nf);
    speech_pcm_free(low, nl);
    speech_destroy(s);
    /* 0 in the configuration takes the hall's usual 70. */
    speech_config config = {.audio = false};
    s = speech_create(&config);
    assert_int_equal(speech_volume(s), 70);
    speech_destroy(s);
}

/* ------------------------------------------------------------------------ */
/* Through SDL2's audio output, into a file. */

static char audio_file[512];

static void use_disk_audio(void)
{
    snprintf(audio_file, sizeof audio_file, "%s/speech.raw", test_make_temp_dir("speech-audio"));
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", audio_file, 1);
}

/* The samples written so far. */
static int16_t *written(size_t *count)
{
    int fd = open(audio_file, O_RDONLY);
    assert_true(fd >= 0);
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    size_t bytes = (size_t)st.st_size & ~(size_t)1;
    int16_t *samples = malloc(bytes + 2);
    assert_non_null(samples);
    size_t got = 0;
    while (got < bytes) {
        ssize_t n = read(fd, (char *)samples + got, bytes - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    *count = got / 2;
    return samples;
}

static size_t audible(const int16_t *samples, size_t from, size_t count)
{
    size_t n = 0;
    for (size_t i = from; i < count; i++)
        n += samples[i] != 0;
    return n;
}

/* The RMS of the samples that are not silence. espeak-ng's noise differs
 * from one rendering to the next, so what the device played is compared
 * with a rendering of the same text by how much and how loud, not sample
 * by sample. */
static double audible_rms(const int16_t *samples, size_t from, size_t count)
{
    double sum = 0;
    size_t n = 0;
    for (size_t i = from; i < count; i++) {
        if (samples[i] != 0) {
            sum += (double)samples[i] * samples[i];
            n++;
        }
    }
    return n ? sqrt(sum / (double)n) : 0;
}

static void wait_quiet(speech *s, int limit_ms)
{
    uint64_t until = monotonic_now_ms() + (uint64_t)limit_ms;
    while (speech_speaking(s) && monotonic_now_ms() < until)
        usleep(10000);
    assert_false(speech_speaking(s));
    usleep(200000); /* the device's last buffer reaches the file */
}

static void test_what_is_said_reaches_the_audio_device(void **state)
{
    (void)state;
    use_disk_audio();
    speech *s = make(true, NULL);
    int16_t *expected;
    size_t ne;
    int rate;
    assert_true(speech_render(s, LANG_ZH_CN, SHORT_ZH_CN, &expected, &ne, &rate));
    assert_int_equal(speech_first_sample_ms(s), 0);
    uint64_t before = monotonic_now_ms();
    assert_true(speech_say(s, LANG_ZH_CN, SHORT_ZH_CN, false));
    assert_true(speech_speaking(s));
    wait_quiet(s, 5000);
    uint64_t first = speech_first_sample_ms(s);
    printf("  say -> first sample queued: %" PRIu64 " ms\n", first - before);
    assert_true(first >= before && first - before <= 1000);
    size_t nw;
    int16_t *got = written(&nw);
    size_t heard = audible(got, 0, nw), made = audible(expected, 0, ne);
    double rms = audible_rms(got, 0, nw), rms_made = audible_rms(expected, 0, ne);
    printf("  played %zu audible samples (rendered %zu), RMS %.0f (%.0f)\n", heard, made, rms,
           rms_made);
    /* The whole utterance, once, as loud as rendered. */
    assert_true(heard > made * 9 / 10 && heard < made * 11 / 10);
    assert_true(rms > rms_made * 0.9 && rms < rms_made * 1.1);
    free(got);
    speech_pcm_free(expected, ne);
    speech_destroy(s);
}

static void test_an_interrupt_drops_what_was_being_said(void **state)
{
    (void)state;
    use_disk_audio();
    speech *s = make(true, NULL);
    int16_t *long_pcm, *short_pcm;
    size_t nl, ns;
    int rate;
    assert_true(speech_render(s, LANG_ZH_CN, LONG_ZH_CN, &long_pcm, &nl, &rate));
    assert_true(speech_render(s, LANG_EN, PROMPT_EN, &short_pcm, &ns, &rate));
    size_t long_heard = audible(long_pcm, 0, nl), short_heard = audible(short_pcm, 0, ns);
    assert_true(speech_say(s, LANG_ZH_CN, LONG_ZH_CN, false));
    assert_true(speech_say(s, LANG_ZH_CN, LONG_ZH_CN, false)); /* queued: dropped too */
    usleep(500000);
    assert_true(speech_say(s, LANG_EN, PROMPT_EN, true));
    wait_quiet(s, 10000);
    size_t nw;
    int16_t *got = written(&nw);
    size_t heard = audible(got, 0, nw);
    printf("  played %zu audible samples: the long one alone has %zu, the short %zu\n", heard,
           long_heard, short_heard);
    /* About half a second of the first, then the second whole. */
    assert_true(heard > short_heard * 9 / 10);
    assert_true(heard < short_heard + (size_t)rate);
    assert_true(heard < long_heard / 2);
    free(got);
    speech_pcm_free(long_pcm, nl);
    speech_pcm_free(short_pcm, ns);
    speech_destroy(s);
}

static void test_a_stop_silences_at_once(void **state)
{
    (void)state;
    use_disk_audio();
    speech *s = make(true, NULL);
    assert_true(speech_say(s, LANG_ZH_CN, LONG_ZH_CN, false));
    assert_true(speech_say(s, LANG_ZH_CN, LONG_ZH_CN, false));
    usleep(600000);
    size_t at_stop;
    free(written(&at_stop));
    speech_stop(s);
    uint64_t stopped = monotonic_now_ms();
    while (speech_speaking(s) && monotonic_now_ms() - stopped < 1000)
        usleep(1000);
    printf("  stop -> quiet: %" PRIu64 " ms\n", monotonic_now_ms() - stopped);
    assert_false(speech_speaking(s));
    usleep(800000);
    size_t nw;
    int16_t *got = written(&nw);
    assert_true(audible(got, 0, at_stop) > 22050 / 4); /* it was speaking */
    /* At most what the device already held (two buffers of 512) is
     * played after the stop; then silence, though the device wrote on. */
    printf("  after the stop: %zu samples written, %zu audible\n", nw - at_stop,
           audible(got, at_stop, nw));
    assert_true(nw > at_stop + 22050 / 4);
    assert_true(audible(got, at_stop + 2048, nw) == 0);
    free(got);
    /* It speaks again afterwards. */
    assert_true(speech_say(s, LANG_EN, "Hello.", false));
    wait_quiet(s, 5000);
    got = written(&nw);
    assert_true(audible(got, at_stop + 2048, nw) > 0);
    free(got);
    speech_destroy(s);
}

static void test_the_volume_scales_what_the_device_plays(void **state)
{
    (void)state;
    use_disk_audio();
    speech *s = make(true, NULL);
    int16_t *full;
    size_t nf;
    int rate;
    assert_true(speech_render(s, LANG_ZH_TW, PROMPT_ZH_TW, &full, &nf, &rate));
    speech_set_volume(s, 30);
    assert_true(speech_say(s, LANG_ZH_TW, PROMPT_ZH_TW, false));
    wait_quiet(s, 8000);
    size_t nw;
    int16_t *got = written(&nw);
    double ratio = audible_rms(got, 0, nw) / audible_rms(full, 0, nf);
    int peak = 0, peak_full = 0;
    for (size_t i = 0; i < nw; i++)
        peak = abs(got[i]) > peak ? abs(got[i]) : peak;
    for (size_t i = 0; i < nf; i++)
        peak_full = abs(full[i]) > peak_full ? abs(full[i]) : peak_full;
    printf("  30 %% volume: RMS ratio %.3f, peak %d of %d\n", ratio, peak, peak_full);
    assert_true(ratio > 0.27 && ratio < 0.33);
    assert_true(peak <= peak_full * 33 / 100);
    free(got);
    /* A volume key acts on what is being said within a buffer or two. */
    speech_set_volume(s, 100);
    assert_true(speech_say(s, LANG_ZH_CN, LONG_ZH_CN, false));
    usleep(600000);
    size_t at_change;
    free(written(&at_change));
    speech_set_volume(s, 20);
    usleep(800000);
    speech_stop(s);
    got = written(&nw);
    int before = 0, after = 0;
    for (size_t i = nw > 22050 * 2 ? nw - 22050 * 2 : 0; i < at_change && i < nw; i++)
        before = abs(got[i]) > before ? abs(got[i]) : before;
    for (size_t i = at_change + 2048; i < nw; i++)
        after = abs(got[i]) > after ? abs(got[i]) : after;
    printf("  volume 100 -> 20 while speaking: peak %d before, %d after\n", before, after);
    assert_true(before > 32767 * 40 / 100);
    assert_true(after > 0 && after <= 32767 * 20 / 100);
    free(got);
    speech_pcm_free(full, nf);
    speech_destroy(s);
}

static double cpu_ms(void)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
           (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

static off_t file_size(void)
{
    struct stat st;
    assert_int_equal(stat(audio_file, &st), 0);
    return st.st_size;
}

/* A drained device is paused (SDL still feeds it silence), then closed
 * after five seconds of silence: nothing is written any more and the
 * process uses no CPU; the next prompt opens it again. */
static void test_an_idle_kiosk_closes_the_device_and_uses_no_cpu(void **state)
{
    (void)state;
    use_disk_audio();
    speech *s = make(true, NULL);
    assert_true(speech_say(s, LANG_EN, "Hello.", false));
    wait_quiet(s, 5000);
    off_t paused = file_size();
    usleep(500000);
    assert_true(file_size() > paused); /* paused: silence still written */
    usleep(5000000);
    off_t closed = file_size();
    double cpu = cpu_ms();
    usleep(1000000);
    cpu = cpu_ms() - cpu;
    printf("  closed: %lld bytes more written, %.1f ms CPU in 1 s\n",
           (long long)(file_size() - closed), cpu);
    assert_true(file_size() == closed);
    assert_true(cpu < 10.0);
    /* Reopened (SDL's disk driver starts its file afresh). */
    assert_true(speech_say(s, LANG_EN, "Hello again.", false));
    wait_quiet(s, 5000);
    size_t nw;
    int16_t *got = written(&nw);
    assert_true(audible(got, 0, nw) > 22050 / 4);
    free(got);
    speech_destroy(s);
}

static void test_a_full_queue_and_bad_text_are_refused(void **state)
{
    (void)state;
    speech *s = make(false, NULL);
    assert_false(speech_say(s, LANG_EN, "", false));
    assert_false(speech_say(s, LANG_EN, "\xc3\x28", false));
    size_t big = 100 * 1024;
    char *huge = malloc(big + 1);
    assert_non_null(huge);
    memset(huge, 'a', big);
    huge[big] = '\0';
    assert_false(speech_say(s, LANG_EN, huge, false));
    free(huge);
    int accepted = 0;
    for (int i = 0; i < 40; i++)
        accepted += speech_say(s, LANG_ZH_CN, LONG_ZH_CN, false);
    assert_true(accepted < 40);
    speech_stop(s);
    assert_true(speech_say(s, LANG_EN, "Hello.", false));
    speech_destroy(s);
}

/* ------------------------------------------------------------------------ */
/* Residue. */

typedef struct needle {
    const char *what;
    char *bytes;
    size_t length;
} needle;

/* Hits of the needles in this process's writable private memory (heap,
 * thread stacks, libraries' data), the needles' own blocks and the scan's
 * buffer left out. */
static int scan_self(const needle *needles, size_t count)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    assert_non_null(maps);
    int mem = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
    assert_true(mem >= 0);
    enum { CHUNK = 1 << 20 };
    uint8_t *chunk = malloc(CHUNK + 256);
    assert_non_null(chunk);
    int hits = 0;
    char line[4352];
    while (fgets(line, sizeof line, maps)) {
        uint64_t start = 0, end = 0;
        char perms[8] = "", file[4096] = "";
        if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %*s %*s %*s %4095[^\n]", &start, &end, perms,
                   file) < 3)
            continue;
        if (perms[0] != 'r' || perms[1] != 'w' || end - start > (1ull << 36) ||
            strstr(file, "[vvar]") || strstr(file, "[vsyscall]"))
            continue;
        size_t carried = 0;
        for (uint64_t at = start; at < end;) {
            size_t want = end - at < CHUNK ? (size_t)(end - at) : CHUNK;
            ssize_t got = pread(mem, chunk + carried, want, (off_t)at);
            if (got <= 0)
                break;
            size_t length = carried + (size_t)got;
            uint64_t base = at - carried;
            for (size_t k = 0; k < count; k++) {
                const uint8_t *p = chunk;
                while ((p = memmem(p, length - (size_t)(p - chunk), needles[k].bytes,
                                   needles[k].length))) {
                    size_t where = (size_t)(p - chunk);
                    uint64_t address = base + where;
                    bool own = false;
                    for (size_t j = 0; j < count; j++)
                        own |= address == (uint64_t)(uintptr_t)needles[j].bytes;
                    /* The scan's own buffer holds what it last read. */
                    own |= address >= (uint64_t)(uintptr_t)chunk &&
                           address < (uint64_t)(uintptr_t)(chunk + CHUNK + 256);
                    if (where + needles[k].length > carried && !own) {
                        hits++;
                        printf("    %s at %#" PRIx64 " in %s %s\n", needles[k].what, address, perms,
                               file[0] ? file : "[anonymous]");
                    }
                    p++;
                }
            }
            at += (uint64_t)got;
            carried = length < 255 ? length : 255;
            memmove(chunk, chunk + length - carried, carried);
        }
    }
    explicit_bzero(chunk, CHUNK + 256);
    free(chunk);
    close(mem);
    fclose(maps);
    return hits;
}

/* before + middle + after into out, by hand: printf's formatting leaves
 * what it formats on the stack, which the scan would rightly find. */
static void join(char *out, size_t size, const char *before, const char *middle, const char *after)
{
    size_t a = strlen(before), b = strlen(middle), c = strlen(after);
    assert_true(a + b + c < size);
    memcpy(out, before, a);
    memcpy(out + a, middle, b);
    memcpy(out + a + b, after, c);
    out[a + b + c] = '\0';
}

static void test_nothing_of_an_id_number_said_stays_in_memory(void **state)
{
    (void)state;
    use_disk_audio();
    /* The needles are made here, from parts, so that no copy of them sits
     * in the program's data. */
    char *raw = malloc(32), *digits_en = malloc(64), *digits_zh = malloc(128);
    assert_non_null(raw);
    join(raw, 32, "110105", "19900101", "1234");
    char *spoken_en = malloc(128), *spoken_zh = malloc(256);
    speech_prepare(LANG_EN, raw, spoken_en, 128);
    speech_prepare(LANG_ZH_CN, raw, spoken_zh, 256);
    /* The digit runs as prepared, without the spaces around them (copied
     * by hand: printf leaves what it formats on the stack). */
    memcpy(digits_en, spoken_en + 1, 35);
    digits_en[35] = '\0';
    memcpy(digits_zh, spoken_zh + 1, 54);
    digits_zh[54] = '\0';
    explicit_bzero(spoken_en, 128);
    explicit_bzero(spoken_zh, 256);
    free(spoken_en);
    free(spoken_zh);
    needle needles[] = {
        {"the ID number", raw, strlen(raw)},
        {"its English reading", digits_en, strlen(digits_en)},
        {"its Mandarin reading", digits_zh, strlen(digits_zh)},
    };
    printf("  needles: %s | %s | %s\n", "110105…", needles[1].bytes + 20, "一一零一…");

    speech *s = make(true, NULL);
    char text[128];
    int16_t *pcm;
    size_t n;
    int rate;
    /* English through the renderer, Mandarin through the speaker. */
    join(text, sizeof text, "Your ID number is ", raw, ".");
    assert_true(speech_render(s, LANG_EN, text, &pcm, &n, &rate));
    speech_pcm_free(pcm, n);
    join(text, sizeof text, "您的身份证号是", raw, "。");
    assert_true(speech_say(s, LANG_ZH_CN, text, false));
    assert_true(speech_say(s, LANG_ZH_CN, text, false));
    explicit_bzero(text, sizeof text);
    usleep(1500000);
    speech_stop(s);
    speech_destroy(s);

    int hits = scan_self(needles, sizeof needles / sizeof *needles);
    printf("  %d hits after stop and destroy\n", hits);
    assert_int_equal(hits, 0);
    for (size_t i = 0; i < sizeof needles / sizeof *needles; i++) {
        explicit_bzero(needles[i].bytes, needles[i].length);
        free(needles[i].bytes);
    }
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_voice_says_its_prompt_audibly_unclipped_in_plausible_time),
        cmocka_unit_test(test_render_refuses_what_cannot_be_said),
        cmocka_unit_test(test_the_mandarin_voice_reads_chinese_as_mandarin),
        cmocka_unit_test(test_an_unknown_voice_leaves_the_kiosk_silent),
        cmocka_unit_test(test_volume_scales_the_samples),
        cmocka_unit_test(test_what_is_said_reaches_the_audio_device),
        cmocka_unit_test(test_an_interrupt_drops_what_was_being_said),
        cmocka_unit_test(test_a_stop_silences_at_once),
        cmocka_unit_test(test_the_volume_scales_what_the_device_plays),
        cmocka_unit_test(test_an_idle_kiosk_closes_the_device_and_uses_no_cpu),
        cmocka_unit_test(test_a_full_queue_and_bad_text_are_refused),
        cmocka_unit_test(test_nothing_of_an_id_number_said_stays_in_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
