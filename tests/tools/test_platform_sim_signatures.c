/* The platform stand-in and the signatures submissions carry: one that is a
 * PNG of its stated size is kept with the submission and given back by
 * /_sim/signatures; one of another size, not base64 or not a PNG is refused
 * before anything is stored. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include "firmware/base/log.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static platform sim;

static int setup(void **unused)
{
    (void)unused;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    start_platform(&sim, NULL);
    return 0;
}

static int teardown(void **unused)
{
    (void)unused;
    stop_platform(&sim);
    platform_stop_leftovers();
    curl_global_cleanup();
    return 0;
}

static void put_u32(uint8_t *at, uint32_t value)
{
    at[0] = (uint8_t)(value >> 24);
    at[1] = (uint8_t)(value >> 16);
    at[2] = (uint8_t)(value >> 8);
    at[3] = (uint8_t)value;
}

static size_t chunk(uint8_t *at, const char *type, const uint8_t *data, uint32_t length)
{
    put_u32(at, length);
    memcpy(at + 4, type, 4);
    if (length)
        memcpy(at + 8, data, length);
    put_u32(at + 8 + length, (uint32_t)crc32(0, at + 4, 4 + length));
    return 12 + length;
}

/* A gray PNG w x h (w <= 64, h <= 16), made here with zlib, as base64. */
static void gray_png_base64(int w, int h, char *out, size_t size)
{
    uint8_t raw[16 * 65], png[2048], header[13] = {0};
    for (int y = 0; y < h; y++) {
        raw[y * (w + 1)] = 0;
        for (int x = 0; x < w; x++)
            raw[y * (w + 1) + 1 + x] = (uint8_t)((x + y) % 2 ? 0 : 255);
    }
    uint8_t packed[2048];
    uLongf packed_length = sizeof packed;
    assert_int_equal(compress(packed, &packed_length, raw, (uLong)(h * (w + 1))), Z_OK);
    memcpy(png, "\x89PNG\r\n\x1a\n", 8);
    put_u32(header, (uint32_t)w);
    put_u32(header + 4, (uint32_t)h);
    header[8] = 8;
    size_t used = 8 + chunk(png + 8, "IHDR", header, 13);
    used += chunk(png + used, "IDAT", packed, (uint32_t)packed_length);
    used += chunk(png + used, "IEND", NULL, 0);
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = 0;
    for (size_t i = 0; i < used; i += 3) {
        uint32_t g = (uint32_t)png[i] << 16 | (i + 1 < used ? (uint32_t)png[i + 1] << 8 : 0) |
                     (i + 2 < used ? png[i + 2] : 0);
        assert_true(n + 5 < size);
        out[n++] = digits[g >> 18 & 63];
        out[n++] = digits[g >> 12 & 63];
        out[n++] = i + 1 < used ? digits[g >> 6 & 63] : '=';
        out[n++] = i + 2 < used ? digits[g & 63] : '=';
    }
    out[n] = '\0';
}

static const char *signed_submission(const char *png, int w, int h)
{
    static char body[4096];
    snprintf(body, sizeof body,
             "{\"kind\": \"submission\", \"service\": \"newborn-bundle\", \"created_at\": "
             "\"2026-11-22T09:30:00Z\", \"payload\": {\"fields\": {\"phone\": \"13812345678\", "
             "\"applicant-signature\": {\"png\": \"%s\", \"width\": %d, \"height\": %d}}}}",
             png, w, h);
    return body;
}

/* A submission's answer: its status, and its body parsed (the caller
 * deletes it). */
static cJSON *submit(const char *key, const char *body, long *status)
{
    platform_reply reply = {0};
    platform_request(&sim, "POST", "/v1/submissions", key, body, &reply);
    *status = reply.status;
    cJSON *json = cJSON_Parse(reply.body ? reply.body : "");
    free(reply.body);
    return json;
}

static void expect_refused(const char *key, const char *body)
{
    long status = 0;
    cJSON *json = submit(key, body, &status);
    assert_int_equal(status, 400);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(json, "error")), "bad-request");
    assert_non_null(
        strstr(cJSON_GetStringValue(cJSON_GetObjectItem(json, "message")), "applicant-signature"));
    cJSON_Delete(json);
}

static void test_a_signature_is_checked_and_kept(void **unused)
{
    (void)unused;
    char png[2048];
    gray_png_base64(12, 5, png, sizeof png);
    long stored = stat_of(&sim, "stored");
    expect_refused("K0420:sig:1", signed_submission(png, 13, 5));          /* not its size */
    expect_refused("K0420:sig:2", signed_submission("iVBOR*w0==", 12, 5)); /* not base64 */
    expect_refused("K0420:sig:3", signed_submission("aGVsbG8=", 5, 1));    /* not a PNG */
    assert_int_equal(stat_of(&sim, "stored"), stored);

    long status = 0;
    cJSON *json = submit("K0420:sig:4", signed_submission(png, 12, 5), &status);
    assert_int_equal(status, 201);
    char ask[128];
    snprintf(ask, sizeof ask, "{\"tracking_number\": \"%s\"}",
             cJSON_GetStringValue(cJSON_GetObjectItem(json, "tracking_number")));
    cJSON_Delete(json);
    json = platform_control(&sim, "/_sim/signatures", ask);
    const cJSON *list = cJSON_GetObjectItem(json, "signatures");
    assert_int_equal(cJSON_GetArraySize(list), 1);
    const cJSON *one = cJSON_GetArrayItem(list, 0);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(one, "field")),
                        "applicant-signature");
    assert_int_equal(cJSON_GetObjectItem(one, "width")->valueint, 12);
    assert_int_equal(cJSON_GetObjectItem(one, "height")->valueint, 5);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(one, "png")), png);
    cJSON_Delete(json);

    /* One without a signature has none; an unknown number is not found. */
    json = submit("K0420:sig:5",
                  "{\"kind\": \"submission\", \"service\": \"certificate-print\", \"created_at\": "
                  "\"2026-11-22T09:30:00Z\", \"payload\": {\"answer\": 42}}",
                  &status);
    assert_int_equal(status, 201);
    snprintf(ask, sizeof ask, "{\"tracking_number\": \"%s\"}",
             cJSON_GetStringValue(cJSON_GetObjectItem(json, "tracking_number")));
    cJSON_Delete(json);
    json = platform_control(&sim, "/_sim/signatures", ask);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(json, "signatures")), 0);
    cJSON_Delete(json);
    json =
        platform_control(&sim, "/_sim/signatures", "{\"tracking_number\": \"GD20990101999999\"}");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(json, "error")), "not-found");
    cJSON_Delete(json);
}

/* A field confirmed by the keypad instead of a signature is taken as it
 * says, and is no signature; anything more or else in its object is not. */
static void test_a_keypad_confirmation_is_taken_and_no_signature(void **unused)
{
    (void)unused;
    static const char *const refused[] = {"{\"confirmed_by\": \"finger\"}",
                                          "{\"confirmed_by\": \"keypad\", \"png\": \"\"}",
                                          "{\"confirmed_by\": 1}"};
    char body[1024];
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        char key[32];
        snprintf(key, sizeof key, "K0420:key:%zu", i);
        snprintf(body, sizeof body,
                 "{\"kind\": \"submission\", \"service\": \"newborn-bundle\", "
                 "\"created_at\": \"2026-11-22T09:30:00Z\", \"payload\": {\"fields\": "
                 "{\"applicant-signature\": %s}}}",
                 refused[i]);
        expect_refused(key, body);
    }
    snprintf(body, sizeof body,
             "{\"kind\": \"submission\", \"service\": \"newborn-bundle\", \"created_at\": "
             "\"2026-11-22T09:30:00Z\", \"payload\": {\"fields\": {\"applicant-signature\": "
             "{\"confirmed_by\": \"keypad\"}}}}");
    long status = 0;
    cJSON *json = submit("K0420:key:ok", body, &status);
    assert_int_equal(status, 201);
    char ask[128];
    snprintf(ask, sizeof ask, "{\"tracking_number\": \"%s\"}",
             cJSON_GetStringValue(cJSON_GetObjectItem(json, "tracking_number")));
    cJSON_Delete(json);
    json = platform_control(&sim, "/_sim/signatures", ask);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(json, "signatures")), 0);
    cJSON_Delete(json);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_signature_is_checked_and_kept),
        cmocka_unit_test(test_a_keypad_confirmation_is_taken_and_no_signature),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
