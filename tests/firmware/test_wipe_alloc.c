/* The wiping allocators: blocks keep what they hold until freed, and what
 * libcurl, OpenSSL and cJSON free passes through wipe_free. Freed memory
 * cannot be read back here (ASan forbids it, rightly), so the count of
 * bytes zeroed is what is checked; tests/e2e/test_kiosk_residue.c reads the
 * real kiosk's memory. */
#include "../support/test_support.h"
#include "firmware/base/base_probes.h"

#include "firmware/base/wipe_alloc.h"
#include "firmware/platform/curl_lazy.h"

#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_a_block_keeps_its_contents_as_it_grows_and_shrinks(void **state)
{
    (void)state;
    char *block = wipe_realloc(NULL, 16);
    assert_non_null(block);
    memcpy(block, "440304199001011", 16);
    size_t before = wipe_alloc_wiped_bytes();
    block = wipe_realloc(block, 4096);
    assert_non_null(block);
    assert_string_equal(block, "440304199001011");
    /* The old block was zeroed as it was left. */
    assert_true(wipe_alloc_wiped_bytes() >= before + 16);
    block = wipe_realloc(block, 8);
    assert_memory_equal(block, "44030419", 8);
    assert_null(wipe_realloc(block, 0));
    char *copy = wipe_strdup("王小明");
    assert_string_equal(copy, "王小明");
    wipe_free(copy);
    unsigned char *zeroed = wipe_calloc(4, 8);
    for (size_t i = 0; i < 32; i++)
        assert_int_equal(zeroed[i], 0);
    free(zeroed); /* the C library's free takes them too */
    wipe_free(NULL);
}

static void test_a_free_zeroes_the_whole_block(void **state)
{
    (void)state;
    void *block = wipe_malloc(100);
    assert_non_null(block);
    memset(block, 'x', 100);
    size_t before = wipe_alloc_wiped_bytes();
    wipe_free(block);
    assert_true(wipe_alloc_wiped_bytes() >= before + 100);
}

/* In a child that let OpenSSL allocate first: OpenSSL refuses the
 * allocator, and the kiosk is told so. */
static void test_openssl_refuses_an_allocator_after_its_first_allocation(void **state)
{
    (void)state;
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        OPENSSL_free(OPENSSL_malloc(1));
        _exit(wipe_alloc_openssl() ? 1 : 0);
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_what_openssl_frees_is_zeroed(void **state)
{
    (void)state;
    assert_true(wipe_alloc_openssl());
    assert_true(wipe_alloc_openssl()); /* once per process; asking again is harmless */
    void *block = OPENSSL_malloc(64);
    assert_non_null(block);
    size_t before = wipe_alloc_wiped_bytes();
    OPENSSL_free(block);
    assert_true(wipe_alloc_wiped_bytes() >= before + 64);
}

static void test_what_libcurl_frees_is_zeroed(void **state)
{
    (void)state;
    const curl_api *api = curl_lazy();
    assert_non_null(api);
    size_t before = wipe_alloc_wiped_bytes();
    CURL *curl = api->easy_init();
    assert_non_null(curl);
    api->easy_setopt(curl, CURLOPT_POSTFIELDS, "{\"id_number\":\"440304199001011233\"}");
    api->easy_cleanup(curl);
    assert_true(wipe_alloc_wiped_bytes() > before);
}

static void test_what_cjson_frees_is_zeroed(void **state)
{
    (void)state;
    wipe_alloc_cjson();
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "id_number", "440304199001011233");
    size_t before = wipe_alloc_wiped_bytes();
    char *text = cJSON_PrintUnformatted(body);
    /* Its working buffer was zeroed as the text was copied out. */
    assert_true(wipe_alloc_wiped_bytes() > before);
    assert_string_equal(text, "{\"id_number\":\"440304199001011233\"}");
    before = wipe_alloc_wiped_bytes();
    cJSON_free(text);
    cJSON_Delete(body);
    assert_true(wipe_alloc_wiped_bytes() > before);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_block_keeps_its_contents_as_it_grows_and_shrinks),
        cmocka_unit_test(test_a_free_zeroes_the_whole_block),
        /* Before anything else in this process touches OpenSSL. */
        cmocka_unit_test(test_openssl_refuses_an_allocator_after_its_first_allocation),
        cmocka_unit_test(test_what_openssl_frees_is_zeroed),
        cmocka_unit_test(test_what_libcurl_frees_is_zeroed),
        cmocka_unit_test(test_what_cjson_frees_is_zeroed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
