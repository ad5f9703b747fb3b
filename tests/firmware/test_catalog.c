#include "../support/test_support.h"

#include "firmware/catalog.h"

#include <stdio.h>
#include <string.h>

static const char *sample_path(void)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/assets/catalog/sample.json", test_source_dir());
    return path;
}

static catalog loaded; /* large: keep it off the stack */

static void test_sample_catalog_offers_the_hall_services(void **state)
{
    (void)state;
    kiosk_diag diag = {{0}};
    assert_int_equal(catalog_load(sample_path(), &loaded, &diag), KIOSK_OK);
    assert_int_equal(loaded.service_count, 13);
    assert_int_equal(loaded.missing_translations, 0);
    const char *expected[] = {"社保查询",     "公积金查询", "不动产登记查询", "证明打印",
                              "营业执照打印", "预约取号",   "办件进度查询",   "好差评",
                              "户籍业务",     "医保业务",   "纳税证明",       "电子证照"};
    for (size_t i = 0; i < 12; i++) {
        assert_string_equal(loaded.services[i].name[LANG_ZH_CN], expected[i]);
        assert_int_equal(loaded.services[i].kind, CATALOG_KIND_SERVICE);
    }
    const catalog_service *bundle = catalog_find(&loaded, "newborn-bundle");
    assert_non_null(bundle);
    assert_int_equal(bundle->kind, CATALOG_KIND_BUNDLE);
    assert_string_equal(bundle->name[LANG_ZH_TW], "新生兒出生一件事");
    assert_string_equal(catalog_find(&loaded, "social-insurance-query")->name[LANG_EN],
                        "Social Insurance");
    assert_null(catalog_find(&loaded, "nothing"));
    /* Queries answer from the platform's live data: they say so offline. */
    assert_true(catalog_find(&loaded, "social-insurance-query")->needs_link);
    assert_true(catalog_find(&loaded, "case-progress")->needs_link);
    assert_false(catalog_find(&loaded, "certificate-print")->needs_link);
}

static kiosk_error load_variant(const char *from, const char *to, kiosk_diag *diag,
                                const char **path)
{
    const char *dir = test_make_temp_dir("catalog");
    *path =
        test_write_file(dir, "catalog.json", test_replace(test_read_file(sample_path()), from, to));
    return catalog_load(*path, &loaded, diag);
}

static void expect_rejected(const char *from, const char *to, const char *expected)
{
    kiosk_diag diag = {{0}};
    const char *path = NULL;
    assert_int_equal(load_variant(from, to, &diag, &path), KIOSK_ERR_MALFORMED);
    if (!strstr(diag.message, path) || !strstr(diag.message, expected))
        fail_msg("message \"%s\" should name %s and say \"%s\"", diag.message, path, expected);
    assert_int_equal(loaded.service_count, 0);
}

typedef struct variant {
    const char *from, *to, *path;
    kiosk_error result;
} variant;

static void load_quietly(void *context)
{
    variant *v = context;
    kiosk_diag diag = {{0}};
    v->result = load_variant(v->from, v->to, &diag, &v->path);
}

/* A bad service is left out, logged with why; the others serve. */
static void expect_hidden(const char *from, const char *to, const char *expected)
{
    variant v = {.from = from, .to = to};
    const char *logged = test_stderr_of(load_quietly, &v);
    assert_int_equal(v.result, KIOSK_OK);
    assert_int_equal(loaded.hidden, 1);
    assert_int_equal(loaded.service_count, 12);
    if (!strstr(loaded.first_hidden, v.path) || !strstr(loaded.first_hidden, expected))
        fail_msg("reason \"%s\" should name %s and say \"%s\"", loaded.first_hidden, v.path,
                 expected);
    if (!strstr(logged, "service hidden") || !strstr(logged, expected))
        fail_msg("the log \"%s\" should say the service is hidden, and why", logged);
}

static void test_bad_catalogs_are_refused_with_the_field(void **state)
{
    (void)state;
    expect_rejected("\"version\": \"sample-2026.11\",", "", "version: missing");
    expect_rejected("\"hall\"", "\"hal\"", "hall: missing");
}

static void test_a_bad_service_is_hidden_and_the_rest_serve(void **state)
{
    (void)state;
    expect_hidden("\"housing-fund-query\"", "\"social-insurance-query\"", "appears twice");
    expect_hidden("\"housing-fund-query\"", "\"Housing Fund\"", "services[1].id");
    assert_null(catalog_find(&loaded, "housing-fund-query"));
    assert_non_null(catalog_find(&loaded, "real-estate-query"));
    expect_hidden("\"kind\": \"bundle\"", "\"kind\": \"group\"", "services[12].kind");
    expect_hidden("\"zh-CN\": \"社保查询\", ", "", "services[0].name.zh-CN: missing");
    expect_hidden("\"zh-CN\": \"社保查询\"", "\"zh-CN\": \"\"", "non-empty string");
    expect_hidden("\"needs_link\": true", "\"needs_link\": \"yes\"",
                  "services[0].needs_link: expected true or false");
    expect_hidden("\"start\": \"scan\"", "\"start\": \"camera\"", "start: expected");
}

static void test_missing_translation_falls_back_to_zh_cn(void **state)
{
    (void)state;
    kiosk_diag diag = {{0}};
    const char *path = NULL;
    log_set_level(LOG_LEVEL_ERROR);
    assert_int_equal(load_variant(", \"en\": \"Social Insurance\"", "", &diag, &path), KIOSK_OK);
    assert_int_equal(loaded.missing_translations, 1);
    assert_string_equal(loaded.services[0].name[LANG_EN], "社保查询");
    assert_string_equal(loaded.services[0].name[LANG_ZH_TW], "社保查詢");
}

static void test_empty_and_oversized(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("catalog-empty");
    const char *path = test_write_file(
        dir, "c.json",
        "{\"version\":\"1\",\"hall\":{\"name\":{\"zh-CN\":\"厅\"}},\"services\":[]}");
    kiosk_diag diag = {{0}};
    assert_int_equal(catalog_load(path, &loaded, &diag), KIOSK_ERR_MALFORMED);
    assert_non_null(strstr(diag.message, "expected 1 to 64 services, found 0"));
}

/* The platform's catalog arrives as text: the same rules, its origin named. */
static void test_a_catalog_from_the_platform_is_checked_as_a_file_is(void **state)
{
    (void)state;
    const char *sample = test_read_file(sample_path());
    kiosk_diag diag = {{0}};
    assert_int_equal(catalog_parse("the platform", sample, strlen(sample), &loaded, &diag),
                     KIOSK_OK);
    assert_int_equal(loaded.service_count, 13);
    assert_int_equal(catalog_parse("the platform", sample, strlen(sample) - 3, &loaded, &diag),
                     KIOSK_ERR_MALFORMED);
    assert_non_null(strstr(diag.message, "the platform: not valid JSON"));
    const char *trailing = test_replace(sample, "\n}", "\n} {}");
    assert_int_equal(catalog_parse("the platform", trailing, strlen(trailing), &loaded, &diag),
                     KIOSK_ERR_MALFORMED);
    const char *with_nul = "{\"version\":\"1\"\0}";
    assert_int_equal(catalog_parse("the platform", with_nul, 16, &loaded, &diag),
                     KIOSK_ERR_MALFORMED);
    assert_non_null(strstr(diag.message, "NUL"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_catalog_offers_the_hall_services),
        cmocka_unit_test(test_bad_catalogs_are_refused_with_the_field),
        cmocka_unit_test(test_a_bad_service_is_hidden_and_the_rest_serve),
        cmocka_unit_test(test_missing_translation_falls_back_to_zh_cn),
        cmocka_unit_test(test_empty_and_oversized),
        cmocka_unit_test(test_a_catalog_from_the_platform_is_checked_as_a_file_is),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
