#include "../support/test_support.h"

#include "firmware/services/catalog.h"

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
    const char *expected[] = {"社保参保证明打印", "公积金查询", "不动产登记查询", "证明打印",
                              "营业执照打印",     "预约取号",   "办件进度查询",   "好差评",
                              "户籍业务",         "医保业务",   "纳税证明",       "电子证照"};
    for (size_t i = 0; i < 12; i++) {
        assert_string_equal(loaded.services[i].name[LANG_ZH_CN], expected[i]);
        assert_int_equal(loaded.services[i].kind, CATALOG_KIND_SERVICE);
    }
    const catalog_service *bundle = catalog_find(&loaded, "newborn-bundle");
    assert_non_null(bundle);
    assert_int_equal(bundle->kind, CATALOG_KIND_BUNDLE);
    assert_string_equal(bundle->name[LANG_ZH_TW], "新生兒出生一件事");
    assert_null(catalog_find(&loaded, "nothing"));
    /* The applicant signs the bundle: its form's last field. */
    const catalog_field *signature = catalog_field_of(&loaded, bundle, bundle->field_count - 1);
    assert_int_equal(signature->type, CATALOG_FIELD_SIGNATURE);
    assert_string_equal(signature->id, "applicant-signature");
    assert_true(signature->required);
    assert_int_equal(signature->prefill, CATALOG_PREFILL_NONE);

    /* What each sample service asks of the citizen, and does offline. */
    /* A certificate the platform issues: for proof of identity only, and
     * only online; its submit step fetches, shows and prints it. */
    const catalog_service *certificate = catalog_find(&loaded, "social-insurance-certificate");
    assert_int_equal(certificate->delivers, CATALOG_DELIVERS_CERTIFICATE);
    assert_int_equal(certificate->identity, CATALOG_IDENTITY_ID_CARD_OR_EID);
    assert_true(catalog_needs_link(certificate));
    assert_false(catalog_accepts_typed_number(certificate));
    assert_int_equal(certificate->prints, CATALOG_PRINTS_NONE);
    assert_true(catalog_has_step(certificate, CATALOG_STEP_SUBMIT));
    assert_false(catalog_has_step(certificate, CATALOG_STEP_FORM));
    static const char *const certificates[] = {"tax-certificate", "business-license-print",
                                               "e-licenses"};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(catalog_find(&loaded, certificates[i])->delivers,
                         CATALOG_DELIVERS_CERTIFICATE);
    assert_int_equal(catalog_find(&loaded, "certificate-print")->delivers,
                     CATALOG_DELIVERS_NOTHING);
    const catalog_service *fund = catalog_find(&loaded, "housing-fund-query");
    assert_int_equal(fund->offline, CATALOG_OFFLINE_CACHE);
    /* A balance is the citizen's own: the card or an e-ID, never a number typed. */
    assert_true(fund->personal_data);
    assert_int_equal(fund->assurance, CATALOG_ASSURANCE_VERIFIED);
    assert_false(catalog_accepts_typed_number(fund));
    assert_true(catalog_accepts_typed_number(catalog_find(&loaded, "certificate-print")));
    assert_false(catalog_accepts_typed_number(catalog_find(&loaded, "case-progress")));
    assert_int_equal(catalog_find(&loaded, "case-progress")->identity, CATALOG_IDENTITY_NONE);
    const catalog_service *ticket = catalog_find(&loaded, "appointment-ticket");
    assert_int_equal(ticket->offline, CATALOG_OFFLINE_ONLINE);
    assert_int_equal(ticket->prints, CATALOG_PRINTS_TICKET);
    const catalog_service *rating = catalog_find(&loaded, "service-rating");
    assert_int_equal(rating->step_count, 1);
    assert_int_equal(rating->steps[0], CATALOG_STEP_RATE);

    /* The bundle: one form and one set of materials for three departments. */
    assert_int_equal(bundle->offline, CATALOG_OFFLINE_QUEUE);
    assert_int_equal(bundle->item_count, 3);
    assert_string_equal(catalog_item_of(&loaded, bundle, 1)->department[LANG_ZH_CN], "公安局");
    assert_int_equal(bundle->material_count, 4);
    assert_true(catalog_material_of(&loaded, bundle, 0)->e_license);
    assert_false(catalog_material_of(&loaded, bundle, 2)->e_license);
    const catalog_step journey[] = {
        CATALOG_STEP_IDENTIFY, CATALOG_STEP_FORM,  CATALOG_STEP_MATERIALS, CATALOG_STEP_CONFIRM,
        CATALOG_STEP_SUBMIT,   CATALOG_STEP_PRINT, CATALOG_STEP_RATE};
    assert_int_equal(bundle->step_count, 7);
    for (unsigned i = 0; i < 7; i++)
        assert_int_equal(bundle->steps[i], journey[i]);
    const catalog_field *birth = catalog_field_of(&loaded, bundle, 4);
    assert_int_equal(birth->type, CATALOG_FIELD_DATE);
    assert_true(birth->not_after_today);
    const catalog_field *number = catalog_field_of(&loaded, bundle, 5);
    assert_int_equal(number->min_length, 9);
    assert_int_equal(number->max_length, 9);
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
    expect_rejected("\"version\": \"sample-2026.12\",", "", "version: missing");
    expect_rejected("\"hall\"", "\"hal\"", "hall: missing");
    /* The platform's words may not carry what a screen or a voice would
     * act on: a terminal's escape, a bidi override. */
    expect_rejected("\"市民中心 24 小时政务服务区\"", "\"市民中心\\u001b[31m24 小时\"",
                    "hall.name.zh-CN: a control character");
    expect_rejected("\"Civic Centre 24-Hour Service Area\"", "\"Civic \\u202eCentre\"",
                    "hall.name.en: a bidi control character");
    expect_hidden("\"社保参保证明打印\"", "\"社保\\u2066参保\"", "a bidi control character");
}

static void test_a_bad_service_is_hidden_and_the_rest_serve(void **state)
{
    (void)state;
    expect_hidden("\"housing-fund-query\"", "\"social-insurance-certificate\"", "appears twice");
    expect_hidden("\"housing-fund-query\"", "\"Housing Fund\"", "services[1].id");
    assert_null(catalog_find(&loaded, "housing-fund-query"));
    assert_non_null(catalog_find(&loaded, "real-estate-query"));
    expect_hidden("\"kind\": \"bundle\"", "\"kind\": \"group\"", "services[12].kind");
    expect_hidden("\"zh-CN\": \"社保参保证明打印\", ", "", "services[0].name.zh-CN: missing");
    expect_hidden("\"zh-CN\": \"社保参保证明打印\"", "\"zh-CN\": \"\"", "non-empty string");
    expect_hidden("\"start\": \"scan\"", "\"start\": \"camera\"", "start: expected");
    /* A tile's pictogram is named, never a path or markup. */
    expect_hidden("\"icon\": \"house\"", "\"icon\": \"../x.png\"",
                  "services[2].icon: \"../x.png\" is not an icon name");
    expect_hidden("\"icon\": \"house\"", "\"icon\": 3", "services[2].icon");
}

/* The journey's rules: each breach hides that service, with the field. */
static void test_a_service_whose_journey_is_wrong_is_hidden(void **state)
{
    (void)state;
    expect_hidden("\"offline\": \"cache\"", "\"offline\": \"sometimes\"",
                  "services[1].offline: expected queue, cache or online");
    expect_hidden("\"identity\": \"none\",\n      \"steps\"",
                  "\"identity\": \"face\",\n      \"steps\"",
                  "identity: expected none, id-card or id-card-or-eid");
    expect_hidden("\"type\": \"date\"", "\"type\": \"colour\"", "services[12].form[4].type");
    expect_hidden(
        "\"steps\": [\"identify\", \"form\", \"confirm\", \"submit\", \"print\", \"rate\"]",
        "\"steps\": [\"identify\", \"confirm\", \"form\", \"submit\", \"print\", \"rate\"]",
        "services[5].steps[2]: \"form\" is out of order");
    expect_hidden(
        "\"steps\": [\"identify\", \"form\", \"confirm\", \"submit\", \"print\", \"rate\"]",
        "\"steps\": [\"identify\", \"confirm\", \"submit\", \"print\", \"rate\"]",
        "services[5].steps: \"form\" must be there");
    expect_hidden("\"steps\": [\"identify\", \"confirm\", \"submit\", \"print\", \"rate\"]",
                  "\"steps\": [\"identify\", \"confirm\", \"print\", \"rate\"]",
                  "services[3].steps: \"submit\" is missing");
    /* A choice field needs choices; others none. */
    expect_hidden("\"id\": \"matter\",\n          \"type\": \"choice\"",
                  "\"id\": \"matter\",\n          \"type\": \"phone\"",
                  "services[5].form[0].choices: only a choice field has choices");
    /* The card's name fills only a text field. */
    expect_hidden("\"id\": \"name\", \"type\": \"text\"", "\"id\": \"name\", \"type\": \"phone\"",
                  "prefill: the card's name cannot fill a phone field");
    expect_hidden("\"min_length\": 9", "\"min_length\": 12", "min_length 12 is over max_length 9");
    /* A bundle has items from two or more departments; a service none. */
    expect_hidden("\"kind\": \"bundle\"", "\"kind\": \"service\"",
                  "services[12].items: only a bundle has items");
    expect_hidden("\"e_license\": true", "\"e_license\": \"yes\"",
                  "e_license: expected true or false");
    expect_hidden("\"id\": \"male\"", "\"id\": \"female\"",
                  "choices[1].id: \"female\" appears twice");
    /* A signature is the citizen's own hand: the card cannot fill it, and
     * it is named. */
    expect_hidden("\"type\": \"signature\",", "\"type\": \"signature\", \"prefill\": \"name\",",
                  "the card's name cannot fill a signature field");
    expect_hidden("\"label\": { \"zh-CN\": \"申请人签名\", \"zh-TW\": \"申請人簽名\", \"en\": "
                  "\"Applicant's signature\" },",
                  "", "form[9].label: missing");
}

/* Who may see what: a service that shows a citizen's records and lets a
 * typed number in is refused, whatever else is right with it. */
static void test_a_personal_data_service_open_to_a_typed_number_is_hidden(void **state)
{
    (void)state;
    expect_hidden("\"assurance\": \"verified\",\n      \"offline\": \"cache\"",
                  "\"assurance\": \"claimed\",\n      \"offline\": \"cache\"",
                  "services[1].assurance: a service that shows a citizen's records needs "
                  "\"verified\"");
    assert_null(catalog_find(&loaded, "housing-fund-query"));
    expect_hidden("\"assurance\": \"verified\",\n      \"offline\": \"cache\"",
                  "\"assurance\": \"typed\",\n      \"offline\": \"cache\"",
                  "services[1].assurance: expected \"claimed\" or \"verified\"");
    expect_hidden(
        "\"personal_data\": true,\n      \"assurance\": \"verified\",\n      \"offline\": "
        "\"cache\"",
        "\"personal_data\": 1,\n      \"assurance\": \"verified\",\n      \"offline\": \"cache\"",
        "services[1].personal_data: expected true or false");
    /* A lookup by tracking number asks nobody who they are: status only. */
    expect_hidden("\"start\": \"scan\"", "\"start\": \"scan\", \"personal_data\": true",
                  "services[6].personal_data: a service that asks nobody who they are");
    /* Another service marked as showing records, with no assurance said:
     * proof is required, not refused. */
    kiosk_diag diag = {{0}};
    const char *path = NULL;
    assert_int_equal(load_variant("\"id\": \"certificate-print\",",
                                  "\"id\": \"certificate-print\", \"personal_data\": true,", &diag,
                                  &path),
                     KIOSK_OK);
    assert_false(catalog_accepts_typed_number(catalog_find(&loaded, "certificate-print")));
    /* A question answered from the platform's data, from a catalog that
     * predates these members, is taken as showing records. */
    assert_int_equal(load_variant("\"personal_data\": true,\n      \"assurance\": \"verified\",\n  "
                                  "    \"offline\": \"cache\"",
                                  "\"offline\": \"cache\"", &diag, &path),
                     KIOSK_OK);
    const catalog_service *fund = catalog_find(&loaded, "housing-fund-query");
    assert_non_null(fund);
    assert_true(fund->personal_data);
    assert_false(catalog_accepts_typed_number(fund));
}

/* A certificate is the citizen's own record, issued by the platform: a
 * service that would give one offline, to a typed number, or with a slip
 * is hidden. */
static void test_a_certificate_service_that_breaks_the_rules_is_hidden(void **state)
{
    (void)state;
    expect_hidden("\"offline\": \"online\",\n      \"delivers\"",
                  "\"offline\": \"queue\",\n      \"delivers\"",
                  "services[0].delivers: a certificate comes only from the platform");
    expect_hidden(
        "\"personal_data\": true,\n      \"assurance\": \"verified\",\n      \"offline\": "
        "\"online\"",
        "\"personal_data\": false,\n      \"assurance\": \"claimed\",\n      \"offline\": "
        "\"online\"",
        "services[0].delivers: a certificate needs \"personal_data\": true");
    expect_hidden("\"delivers\": \"certificate\"", "\"delivers\": \"paper\"",
                  "services[0].delivers: expected \"nothing\" or \"certificate\"");
    expect_hidden("\"delivers\": \"certificate\",\n      \"steps\": [\"identify\", \"submit\", "
                  "\"rate\"]",
                  "\"delivers\": \"certificate\", \"prints\": \"receipt\",\n      \"steps\": "
                  "[\"identify\", \"submit\", \"print\", \"rate\"]",
                  "services[0].delivers: a certificate prints the certificate itself");
    assert_null(catalog_find(&loaded, "social-insurance-certificate"));
    assert_non_null(catalog_find(&loaded, "tax-certificate"));
}

/* A hidden service gives back what it took: the others' forms are whole. */
static void test_a_hidden_service_leaves_the_others_intact(void **state)
{
    (void)state;
    expect_hidden("\"kind\": \"bundle\"", "\"kind\": \"group\"", "services[12].kind");
    unsigned fields = 0;
    for (size_t i = 0; i < loaded.service_count; i++)
        fields += loaded.services[i].field_count;
    assert_int_equal(loaded.field_used, fields);
    const catalog_service *ticket = catalog_find(&loaded, "appointment-ticket");
    assert_string_equal(catalog_field_of(&loaded, ticket, 2)->label[LANG_ZH_CN], "联系电话");
}

static void test_missing_translation_falls_back_to_zh_cn(void **state)
{
    (void)state;
    kiosk_diag diag = {{0}};
    const char *path = NULL;
    log_set_level(LOG_LEVEL_ERROR);
    assert_int_equal(load_variant(", \"en\": \"Insurance Certificate\"", "", &diag, &path),
                     KIOSK_OK);
    assert_int_equal(loaded.missing_translations, 1);
    assert_string_equal(loaded.services[0].name[LANG_EN], "社保参保证明打印");
    assert_string_equal(loaded.services[0].name[LANG_ZH_TW], "社保參保證明列印");
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

/* What comes after the result: said for every service that ends in one,
 * and checked like everything else the platform sends. */
static void test_every_service_says_what_happens_next(void **state)
{
    (void)state;
    assert_int_equal(catalog_load(sample_path(), &loaded, NULL), KIOSK_OK);
    for (size_t i = 0; i < loaded.service_count; i++) {
        const catalog_service *s = &loaded.services[i];
        if (!catalog_has_step(s, CATALOG_STEP_SUBMIT))
            continue;
        if (!s->result_sent && !s->next_steps[LANG_ZH_CN][0])
            fail_msg("%s ends in a result but says nothing of what comes next", s->id);
        for (int l = 0; l < LANG_COUNT; l++)
            assert_true(s->result_sent || s->next_steps[l][0]);
    }
    const catalog_service *ticket = catalog_find(&loaded, "appointment-ticket");
    assert_non_null(strstr(ticket->next_steps[LANG_EN], "counter"));
    assert_true(catalog_find(&loaded, "medical-insurance")->result_sent);
    /* The queue needs the platform: said on the tile beforehand. */
    assert_true(catalog_needs_link(ticket));

    expect_hidden("\"result_sent\": true,", "\"result_sent\": \"yes\",",
                  "result_sent: expected true or false");
    expect_hidden("\"next_steps\": { \"zh-CN\": \"请从出纸口取走证明，证明",
                  "\"result_sent\": true, \"next_steps\": { \"zh-CN\": \"请从出纸口取走证明，证明",
                  "next_steps and result_sent both given");
    expect_hidden("\"next_steps\": { \"zh-CN\": \"请从出纸口取走证明，证明",
                  "\"next_steps\": { \"zh-CN\": \"\\u0007请从出纸口取走证明，证明",
                  "next_steps.zh-CN: a control character");
}

static void test_the_progress_page_is_an_https_address_with_the_number(void **state)
{
    (void)state;
    assert_int_equal(catalog_load(sample_path(), &loaded, NULL), KIOSK_OK);
    char url[CATALOG_URL_MAX + 64];
    assert_true(catalog_verify_url(&loaded, "GD20261207000123", url, sizeof url));
    assert_string_equal(url, "https://127.0.0.1:8443/v/GD20261207000123");
    /* Whatever a number holds, the address stays one path segment. */
    assert_true(catalog_verify_url(&loaded, "K04/../a b?c#d", url, sizeof url));
    assert_string_equal(url, "https://127.0.0.1:8443/v/K04%2F..%2Fa%20b%3Fc%23d");
    assert_false(catalog_verify_url(&loaded, "", url, sizeof url));
    assert_false(catalog_verify_url(&loaded, "GD20261207000123", url, 20));
    assert_string_equal(url, "");

    static const struct {
        const char *to, *expected;
    } bad[] = {
        {"http://127.0.0.1:8443/v/{tracking}", "https://"},
        {"https://127.0.0.1:8443/v/", "exactly one {tracking}"},
        {"https://127.0.0.1:8443/v/{tracking}/{tracking}", "exactly one {tracking}"},
        {"https://{tracking}.example.cn/v", "expected a host"},
        {"https://example.cn{tracking}/v", "belongs in the path"},
        {"https://example.cn/v/{tracking} x", "printable ASCII"},
        {"https://example.cn/v/{id}/{tracking}", "printable ASCII"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char to[256];
        snprintf(to, sizeof to, "\"verify_url\": \"%s\"", bad[i].to);
        expect_rejected("\"verify_url\": \"https://127.0.0.1:8443/v/{tracking}\"", to,
                        bad[i].expected);
    }
    /* Over the length allowed. */
    char long_url[400];
    snprintf(long_url, sizeof long_url, "\"verify_url\": \"https://example.cn/%0250d/{tracking}\"",
             0);
    expect_rejected("\"verify_url\": \"https://127.0.0.1:8443/v/{tracking}\"", long_url,
                    "hall.verify_url");
    /* None configured: no address, so no code is made up. */
    kiosk_diag diag = {{0}};
    const char *path = NULL;
    assert_int_equal(
        load_variant("\"verify_url\": \"https://127.0.0.1:8443/v/{tracking}\",", "", &diag, &path),
        KIOSK_OK);
    assert_false(catalog_verify_url(&loaded, "GD20261207000123", url, sizeof url));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_catalog_offers_the_hall_services),
        cmocka_unit_test(test_bad_catalogs_are_refused_with_the_field),
        cmocka_unit_test(test_a_bad_service_is_hidden_and_the_rest_serve),
        cmocka_unit_test(test_a_service_whose_journey_is_wrong_is_hidden),
        cmocka_unit_test(test_a_personal_data_service_open_to_a_typed_number_is_hidden),
        cmocka_unit_test(test_a_hidden_service_leaves_the_others_intact),
        cmocka_unit_test(test_a_certificate_service_that_breaks_the_rules_is_hidden),
        cmocka_unit_test(test_missing_translation_falls_back_to_zh_cn),
        cmocka_unit_test(test_empty_and_oversized),
        cmocka_unit_test(test_a_catalog_from_the_platform_is_checked_as_a_file_is),
        cmocka_unit_test(test_every_service_says_what_happens_next),
        cmocka_unit_test(test_the_progress_page_is_an_https_address_with_the_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
