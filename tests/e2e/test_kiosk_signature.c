/* A signature from the finger to the platform: the real kiosk binary, driven
 * through its test control channel (drags on the pad as a finger makes
 * them), submits 新生儿出生一件事 with the applicant's signature to the
 * platform stand-in, which keeps the PNG; read back through /_sim/signatures
 * it decodes to the size the kiosk said, with ink in it. Then the kiosk's
 * memory is read through /proc/PID/mem for the PNG's bytes and its base64
 * text, and for the strokes: once the session is over and the platform has the submission,
 * nothing of the signature is left. The screens go to
 * build/test-output/journey/signature-*.png. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include "ui/image.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char shots[1100];

static void shot(kiosk_proc *k, const char *name)
{
    char command[1400];
    snprintf(command, sizeof command, "screenshot %s/signature-%s.png", shots, name);
    const char *answer = kiosk_ask(k, command);
    if (strncmp(answer, "ok", 2) != 0)
        fail_msg("%s: %s", command, answer);
}

static size_t unbase64(const char *text, uint8_t *out, size_t size)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t used = 0;
    uint32_t bits = 0;
    int count = 0;
    for (const char *c = text; *c && *c != '='; c++) {
        const char *at = strchr(digits, *c);
        assert_non_null(at);
        bits = bits << 6 | (uint32_t)(at - digits);
        count += 6;
        if (count >= 8) {
            count -= 8;
            assert_true(used < size);
            out[used++] = (uint8_t)(bits >> count);
        }
    }
    return used;
}

/* The text of widget id in the kiosk's tree. */
static void text_of(kiosk_proc *k, const char *id, char *out, size_t size)
{
    const char *reply = kiosk_tree(k);
    cJSON *tree = cJSON_Parse(strncmp(reply, "ok ", 3) == 0 ? reply + 3 : reply);
    const cJSON *widget = NULL;
    out[0] = '\0';
    cJSON_ArrayForEach(widget, cJSON_GetObjectItem(tree, "widgets"))
    {
        const char *wid = cJSON_GetStringValue(cJSON_GetObjectItem(widget, "id"));
        const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(widget, "text"));
        if (wid && text && strcmp(wid, id) == 0)
            snprintf(out, size, "%s", text);
    }
    cJSON_Delete(tree);
    if (!out[0])
        fail_msg("no text for %s on the screen", id);
}

/* The bounds of widget id in the kiosk's tree: x, y, w, h. */
static void bounds_of(kiosk_proc *k, const char *id, int out[4])
{
    const char *reply = kiosk_tree(k);
    cJSON *tree = cJSON_Parse(strncmp(reply, "ok ", 3) == 0 ? reply + 3 : reply);
    const cJSON *widget = NULL;
    bool found = false;
    cJSON_ArrayForEach(widget, cJSON_GetObjectItem(tree, "widgets"))
    {
        const char *wid = cJSON_GetStringValue(cJSON_GetObjectItem(widget, "id"));
        if (wid && strcmp(wid, id) == 0) {
            for (int i = 0; i < 4; i++)
                out[i] = cJSON_GetArrayItem(cJSON_GetObjectItem(widget, "bounds"), i)->valueint;
            found = true;
        }
    }
    cJSON_Delete(tree);
    if (!found)
        fail_msg("no %s on the screen", id);
}

/* What the scan looks for: slices of the signature as the kiosk held it. */
typedef struct needle {
    uint8_t bytes[64];
    size_t length;
    const char *what;
} needle;

static needle needles[8];
static size_t needle_count;

static void add_needle(const void *bytes, size_t length, const char *what)
{
    needle *n = &needles[needle_count++];
    n->length = length < sizeof n->bytes ? length : sizeof n->bytes;
    memcpy(n->bytes, bytes, n->length);
    n->what = what;
}

/* Where, from about, 32 bytes of the PNG are varied enough (24 different
 * byte values) to be this signature's and nothing else's: runs of ink or
 * paper are coded alike in any PNG. */
static size_t varied(const uint8_t *png, size_t length, size_t about)
{
    for (size_t at = about; at + 32 <= length; at++) {
        bool seen[256] = {false};
        int different = 0;
        for (size_t i = at; i < at + 32; i++) {
            different += !seen[png[i]];
            seen[png[i]] = true;
        }
        if (different >= 24)
            return at;
    }
    fail_msg("no varied 32 bytes in the PNG after %zu", about);
    return 0;
}

#define CHUNK (1u << 20)

/* Every readable region of pid's memory but ASan's shadow: the needles'
 * hits, each printed. */
static int scan(pid_t pid, const char *point)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    FILE *maps = fopen(path, "r");
    assert_non_null(maps);
    snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
    int mem = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(mem >= 0);
    uint8_t *chunk = malloc(CHUNK + 64);
    assert_non_null(chunk);
    int hits = 0;
    char line[4352];
    while (fgets(line, sizeof line, maps)) {
        uint64_t start = 0, end = 0;
        char perms[8] = "", file[4096] = "";
        if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %*s %*s %*s %4095[^\n]", &start, &end, perms,
                   file) < 3)
            continue;
        if (perms[0] != 'r' || end - start > (1ull << 40) || strstr(file, "[vvar]") ||
            strstr(file, "[vsyscall]"))
            continue;
        size_t carried = 0;
        for (uint64_t at = start; at < end;) {
            size_t want = end - at < CHUNK ? (size_t)(end - at) : CHUNK;
            ssize_t got = pread(mem, chunk + carried, want, (off_t)at);
            if (got <= 0)
                break;
            size_t length = carried + (size_t)got;
            for (size_t k = 0; k < needle_count; k++) {
                const uint8_t *p = chunk;
                while ((p = memmem(p, length - (size_t)(p - chunk), needles[k].bytes,
                                   needles[k].length))) {
                    if ((size_t)(p - chunk) + needles[k].length > carried) {
                        hits++;
                        printf("    %s: %s at %#" PRIx64 " in %s %s\n", point, needles[k].what,
                               at - carried + (uint64_t)(p - chunk), perms, file);
                    }
                    p++;
                }
            }
            at += (uint64_t)got;
            carried = length < 63 ? length : 63;
            memmove(chunk, chunk + length - carried, carried);
        }
    }
    free(chunk);
    close(mem);
    fclose(maps);
    printf("  %s: %d hits\n", point, hits);
    return hits;
}

static void test_a_signature_reaches_the_platform_and_leaves_nothing(void **state)
{
    (void)state;
    snprintf(shots, sizeof shots, "%s/build/test-output/journey", test_source_dir());
    mkdir(shots, 0755);
    platform p;
    kiosk_proc k;
    start_platform(&p, NULL);
    kiosk_up(&p, &k);
    assert_true(kiosk_shows(&k, "平台已连接", 100));

    citizen_opens(&k, "newborn-bundle", "card");
    citizen_identifies(&k, "1", "form");
    citizen_chooses(&k, 2, 1);
    citizen_chooses(&k, 3, 0);
    citizen_types(&k, 4, "20261120");
    citizen_types(&k, 5, "123456789");
    citizen_chooses(&k, 6, 0);
    citizen_types(&k, 7, "13812345678");
    citizen_names_baby(&k, 8, "lele");
    kiosk_expect(&k, "tap form.field.9", "ok sign");
    shot(&k, "1-pad");
    /* A dot is not a signature: 完成 does not come. */
    kiosk_expect(&k, "drag sign.pad 500,500", "ok sign");
    assert_null(strstr(kiosk_tree(&k), "\"step.next\""));
    kiosk_expect(&k, "tap sign.clear", "ok sign");
    kiosk_expect(&k, "tap step.back", "ok form");

    /* The strokes as the kiosk keeps them: the pad's pixels from its
     * corner, two bytes each way a point. While they are there, the scan
     * finds them (it can fail). */
    kiosk_expect(&k, "tap form.field.9", "ok sign");
    int pad[4];
    bounds_of(&k, "sign.pad", pad);
    static const int first_stroke[][2] = {{250, 200}, {375, 195}, {500, 190}};
    int16_t points[6];
    for (size_t i = 0; i < 3; i++) {
        points[2 * i] = (int16_t)(pad[2] * first_stroke[i][0] / 1000);
        points[2 * i + 1] = (int16_t)(pad[3] * first_stroke[i][1] / 1000);
    }
    kiosk_expect(&k, "tap step.back", "ok form");
    citizen_signs(&k, 9);
    kiosk_expect_shown(&k, "已签名");
    needle_count = 0;
    add_needle(points, sizeof points, "the first stroke's points");
    assert_true(scan(k.pid, "signed, on the form") > 0);
    shot(&k, "2-form-signed");
    kiosk_expect(&k, "tap step.next", "ok materials");
    kiosk_expect(&k, "tap materials.item.2", "ok materials");
    kiosk_expect(&k, "tap materials.item.3", "ok materials");
    kiosk_expect(&k, "tap step.next", "ok confirm");
    kiosk_expect_shown(&k, "申请人签名");
    shot(&k, "3-confirm");
    citizen_taps_submit(&k);
    kiosk_expect_shown(&k, "办理成功");
    shot(&k, "4-result");
    char tracking[64];
    text_of(&k, "result.tracking", tracking, sizeof tracking);
    /* Shown in groups of four; the number itself has no spaces. */
    size_t kept = 0;
    for (size_t i = 0; tracking[i]; i++)
        if (tracking[i] != ' ')
            tracking[kept++] = tracking[i];
    tracking[kept] = '\0';
    assert_true(stored_reaches(&p, 1, 10));

    /* The stand-in kept the PNG: it decodes to the size sent, with ink. */
    char body[128];
    snprintf(body, sizeof body, "{\"tracking_number\":\"%s\"}", tracking);
    cJSON *answer = platform_control(&p, "/_sim/signatures", body);
    assert_non_null(answer);
    const cJSON *list = cJSON_GetObjectItem(answer, "signatures");
    assert_int_equal(cJSON_GetArraySize(list), 1);
    const cJSON *signature = cJSON_GetArrayItem(list, 0);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(signature, "field")),
                        "applicant-signature");
    int width = cJSON_GetObjectItem(signature, "width")->valueint;
    int height = cJSON_GetObjectItem(signature, "height")->valueint;
    assert_int_equal(height, 160);
    const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(signature, "png"));
    size_t text_length = strlen(text);
    uint8_t *png = malloc(text_length);
    size_t length = unbase64(text, png, text_length);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    char path[1300];
    snprintf(path, sizeof path, "%s/signature-5-at-the-platform.png", shots);
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(png, 1, length, file), length);
    fclose(file);
    SDL_Surface *image = NULL;
    assert_int_equal(ui_image_load_png(path, &image, NULL), KIOSK_OK);
    assert_int_equal(image->w, width);
    assert_int_equal(image->h, height);
    size_t dark = 0;
    for (int y = 0; y < image->h; y++)
        for (int x = 0; x < image->w; x++)
            dark += (((const uint32_t *)((const uint8_t *)image->pixels + y * image->pitch))[x] &
                     0xff) < 64;
    SDL_FreeSurface(image);
    assert_true(dark > 300);
    printf("the signature at the platform: %dx%d, %zu bytes of PNG, %zu dark pixels\n", width,
           height, length, dark);

    /* The signature as the kiosk held it: slices of the PNG's compressed
     * data (past its headers, which any PNG of that size shares) and of
     * its base64 text, as the submission carried it. */
    needle_count = 0;
    add_needle(points, sizeof points, "the first stroke's points");
    assert_true(length > 200);
    add_needle(png + varied(png, length, length / 4), 32, "the PNG's bytes (a quarter in)");
    add_needle(png + varied(png, length, length / 2), 32, "the PNG's bytes (half way)");
    add_needle(png + varied(png, length, length * 3 / 4), 32,
               "the PNG's bytes (three quarters in)");
    add_needle(text + text_length / 3, 48, "the PNG's base64 (a third in)");
    add_needle(text + text_length * 2 / 3, 48, "the PNG's base64 (two thirds in)");
    /* The scan can see them: the platform's copy, in this process. */
    assert_non_null(memmem(text, text_length, needles[4].bytes, needles[4].length));

    /* Kept, sealed and delivered: the citizen is still at the result, and
     * the signature is already gone from the kiosk. */
    int kept_hits = scan(k.pid, "kept and delivered, on the result");

    kiosk_expect(&k, "tap result.done", "ok rate");
    kiosk_ask(&k, "tap rate.skip");
    kiosk_ask(&k, "tap finished.end");
    citizen_takes_card(&k);
    kiosk_expect(&k, "wait attract 5000", "ok attract");
    assert_true(kiosk_shows(&k, "待上传 0 条", 200));
    usleep(500 * 1000);
    int hits = scan(k.pid, "after the session, the platform has the submission");
    /* The scan finds what is there: the stand-in keeps the PNG. */
    assert_true(scan(p.pid, "the platform stand-in, which keeps it") > 0);
    kiosk_stop(&k, false);
    stop_platform(&p);
    free(png);
    cJSON_Delete(answer);
    assert_int_equal(kept_hits, 0);
    assert_int_equal(hits, 0);
}

/* With the link cut the signature is kept sealed with the submission, and
 * reaches the platform when the link returns (with the rating, in one
 * batch), under the terminal's own number the citizen was given. */
static void test_a_signature_kept_offline_reaches_the_platform_later(void **state)
{
    (void)state;
    platform p;
    kiosk_proc k;
    start_platform(&p, NULL);
    kiosk_up(&p, &k);
    assert_true(kiosk_shows(&k, "平台已连接", 100));
    set_fault(&p, "refuse");
    citizen_opens(&k, "newborn-bundle", "card");
    citizen_identifies(&k, "1", "form");
    citizen_chooses(&k, 2, 0);
    citizen_chooses(&k, 3, 1);
    citizen_types(&k, 4, "20261118");
    citizen_types(&k, 5, "987654321");
    citizen_chooses(&k, 6, 1);
    citizen_types(&k, 7, "13912345678");
    citizen_names_baby(&k, 8, "anan");
    citizen_signs(&k, 9);
    kiosk_expect(&k, "tap step.next", "ok materials");
    kiosk_expect(&k, "tap materials.item.2", "ok materials");
    kiosk_expect(&k, "tap materials.item.3", "ok materials");
    kiosk_expect(&k, "tap step.next", "ok confirm");
    citizen_taps_submit(&k);
    kiosk_expect_shown(&k, "已受理，待上传");
    char reference[64];
    text_of(&k, "result.tracking", reference, sizeof reference);
    kiosk_expect(&k, "tap result.done", "ok rate");
    kiosk_expect(&k, "tap rate.choice.0", "ok rate");
    assert_int_equal(stat_of(&p, "stored"), 0);

    set_fault(&p, "none");
    assert_true(stored_reaches(&p, 2, 15));
    char body[128];
    snprintf(body, sizeof body, "{\"tracking_number\":\"%s\"}", reference);
    cJSON *answer = platform_control(&p, "/_sim/signatures", body);
    const cJSON *list = cJSON_GetObjectItem(answer, "signatures");
    assert_int_equal(cJSON_GetArraySize(list), 1);
    const cJSON *signature = cJSON_GetArrayItem(list, 0);
    const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(signature, "png"));
    uint8_t *png = malloc(strlen(text));
    size_t length = unbase64(text, png, strlen(text));
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    assert_int_equal(cJSON_GetObjectItem(signature, "height")->valueint, 160);
    printf("kept offline as %s, delivered later: %zu bytes of PNG (%ld batches)\n", reference,
           length, requests_of(&p, "batch"));
    free(png);
    cJSON_Delete(answer);
    kiosk_stop(&k, false);
    stop_platform(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_signature_reaches_the_platform_and_leaves_nothing),
        cmocka_unit_test(test_a_signature_kept_offline_reaches_the_platform_later),
    };
    return PLATFORM_RUN_TESTS(tests);
}
