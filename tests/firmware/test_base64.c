/* Base64 both ways (firmware/base/base64.c). */
#include "../support/test_support.h"

#include "firmware/base/base64.h"
#include "firmware/base/wipe_alloc.h"

#include <string.h>

/* The PDF arrives as base64: every letter of the alphabet, both paddings,
 * and the ceiling, exactly; anything else is refused whole. */
static void expect_decoded(const char *text, size_t max, const char *want, size_t want_length)
{
    size_t length = 0;
    unsigned char *out = base64_decode(text, max, &length);
    if (!want) {
        if (out)
            fail_msg("\"%s\" decoded, but must be refused", text);
        return;
    }
    if (!out)
        fail_msg("\"%s\" refused", text);
    assert_int_equal(length, want_length);
    assert_memory_equal(out, want, want_length);
    wipe_free(out);
}

static void test_base64_is_read_strictly(void **state)
{
    (void)state;
    expect_decoded("+/+/", 3, "\xfb\xff\xbf", 3);                 /* 62 and 63 */
    expect_decoded("AZaz09+/", 6, "\x01\x96\xb3\xd3\xdf\xbf", 6); /* every range's ends */
    expect_decoded("TWE=", 2, "Ma", 2);
    expect_decoded("TQ==", 1, "M", 1);
    expect_decoded("TWFu", 3, "Man", 3);
    expect_decoded("TWFuTWFu", 6, "ManMan", 6); /* exactly the ceiling */
    expect_decoded("TWFuTWFu", 5, NULL, 0);     /* one past it */
    expect_decoded("TWE=TWFu", 8, NULL, 0);     /* padding before the end */
    expect_decoded("TQ=u", 8, NULL, 0);         /* '=' then a letter */
    expect_decoded("T===", 8, NULL, 0);
    expect_decoded("TWF", 8, NULL, 0); /* not a multiple of four */
    expect_decoded("TW u", 8, NULL, 0);
    expect_decoded("", 8, NULL, 0);
    expect_decoded("TWF\x01", 8, NULL, 0);
}

/* What the submission sends, the platform reads back: every length's
 * padding, and bytes of every value. */
static void test_base64_round_trips(void **state)
{
    (void)state;
    uint8_t bytes[256];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (uint8_t)(255 - i);
    for (size_t length = 0; length <= 7; length++) {
        char *text = base64_encode(bytes, length);
        assert_non_null(text);
        assert_int_equal(strlen(text), (length + 2) / 3 * 4);
        if (length) {
            size_t back = 0;
            unsigned char *decoded = base64_decode(text, length, &back);
            assert_non_null(decoded);
            assert_int_equal(back, length);
            assert_memory_equal(decoded, bytes, length);
            wipe_free(decoded);
        }
        wipe_free(text);
    }
    char *all = base64_encode(bytes, sizeof bytes);
    size_t back = 0;
    unsigned char *decoded = base64_decode(all, sizeof bytes, &back);
    assert_non_null(decoded);
    assert_memory_equal(decoded, bytes, sizeof bytes);
    char *man = base64_encode((const uint8_t *)"Man", 3);
    assert_string_equal(man, "TWFu");
    wipe_free(man);
    wipe_free(decoded);
    wipe_free(all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64_is_read_strictly),
        cmocka_unit_test(test_base64_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
