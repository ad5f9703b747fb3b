/* The flow engine over the sample catalog: the steps a citizen goes
 * through, what is checked before they move on and what they are told,
 * what the card fills, and what reaches the platform. */
#include "../support/test_support.h"

#include "firmware/services/flow.h"

#include <stdio.h>
#include <string.h>

static catalog sample; /* large: keep it off the stack */
static flow f;

/* 2026-11-22 12:00 in Beijing. */
#define TODAY ((time_t)1795320000)

static int setup(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/assets/catalog/sample.json", test_source_dir());
    kiosk_diag diag = {{0}};
    assert_int_equal(catalog_load(path, &sample, &diag), KIOSK_OK);
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    return 0;
}

static const flow_identity card = {.from_card = true,
                                   .name = "王小明",
                                   .id_number = "440304199001011233",
                                   .address = "广东省深圳市福田区莲花街道福中三路 1 号"};

static int field_index(const char *id)
{
    for (unsigned i = 0; i < f.service->field_count; i++) {
        if (strcmp(catalog_field_of(f.catalog, f.service, i)->id, id) == 0)
            return (int)i;
    }
    fail_msg("no field %s", id);
    return -1;
}

static void type_into(const char *id, const char *keys)
{
    assert_true(flow_edit_begin(&f, (unsigned)field_index(id)));
    flow_edit_key(&f, 127, 8, 127); /* clear */
    for (const char *k = keys; *k; k++)
        flow_edit_key(&f, *k, 8, 127);
}

static void choose(const char *id, unsigned choice)
{
    assert_true(flow_edit_begin(&f, (unsigned)field_index(id)));
    assert_true(flow_edit_choose(&f, choice));
}

static void test_the_newborn_bundle_from_card_to_submission(void **state)
{
    (void)state;
    flow_begin(&f, &sample, catalog_find(&sample, "newborn-bundle"));
    assert_int_equal(flow_step(&f), CATALOG_STEP_IDENTIFY);
    assert_int_equal(flow_step_number(&f), 1);
    assert_int_equal(flow_step_total(&f), 4); /* identify, form, materials, confirm */

    flow_prefill(&f, &card);
    assert_true(flow_next(&f, TODAY));
    assert_int_equal(flow_step(&f), CATALOG_STEP_FORM);
    assert_int_equal(flow_step_number(&f), 2);
    /* The card's facts are in, and cannot be changed here. */
    assert_true(f.prefilled[field_index("name")]);
    assert_string_equal(f.values[field_index("id-number")], card.id_number);
    assert_false(flow_edit_begin(&f, (unsigned)field_index("name")));

    /* Nothing chosen yet: each required field says what it needs, and the
     * first of them is brought into view. */
    assert_false(flow_next(&f, TODAY));
    assert_int_equal(flow_step(&f), CATALOG_STEP_FORM);
    assert_int_equal(flow_problem_count(&f), 8);
    assert_int_equal(f.focus, field_index("relation"));
    assert_int_equal(f.problems[field_index("baby-name")], FLOW_PROBLEM_REQUIRED);
    assert_int_equal(f.problems[field_index("relation")], FLOW_PROBLEM_CHOOSE);
    assert_int_equal(f.problems[field_index("birth-date")], FLOW_PROBLEM_REQUIRED);

    choose("relation", 1);
    choose("baby-sex", 0);
    choose("registration", 1);
    assert_int_equal(f.problems[field_index("relation")], FLOW_OK);

    /* Each typed value is checked when the citizen says it is done, and
     * kept only once it is right. */
    type_into("birth-date", "20261301");
    assert_false(flow_edit_finish(&f, TODAY));
    assert_int_equal(f.typed_problem, FLOW_PROBLEM_DATE);
    type_into("birth-date", "20261123");
    assert_false(flow_edit_finish(&f, TODAY));
    assert_int_equal(f.typed_problem, FLOW_PROBLEM_DATE_FUTURE);
    type_into("birth-date", "20261120");
    assert_true(flow_edit_finish(&f, TODAY));
    type_into("certificate-number", "12345678");
    assert_false(flow_edit_finish(&f, TODAY));
    assert_int_equal(f.typed_problem, FLOW_PROBLEM_NUMBER);
    flow_edit_key(&f, '9', 8, 127);
    flow_edit_key(&f, '9', 8, 127); /* a tenth digit does not fit */
    assert_string_equal(f.typed, "123456789");
    assert_true(flow_edit_finish(&f, TODAY));
    type_into("phone", "12812345678");
    assert_false(flow_edit_finish(&f, TODAY));
    assert_int_equal(f.typed_problem, FLOW_PROBLEM_PHONE);
    /* Leaving a field unchanged keeps what it had. */
    flow_edit_cancel(&f);
    assert_string_equal(f.values[field_index("phone")], "");
    type_into("phone", "13812345678");
    assert_true(flow_edit_finish(&f, TODAY));
    /* The baby's name, typed on the keyboard as words. */
    assert_false(flow_edit_type(&f, "乐乐")); /* no field edited */
    assert_true(flow_edit_begin(&f, (unsigned)field_index("baby-name")));
    assert_true(flow_edit_type(&f, "王乐乐"));
    assert_true(flow_edit_finish(&f, TODAY));
    assert_string_equal(f.values[field_index("baby-name")], "王乐乐");
    /* The signature is drawn beside the flow, which only marks it made. */
    assert_int_equal(flow_problem_count(&f), 1);
    assert_int_equal(f.problems[field_index("applicant-signature")], FLOW_PROBLEM_REQUIRED);
    flow_set_signed(&f, (unsigned)field_index("relation"), true, TODAY); /* not a signature */
    assert_string_equal(f.values[field_index("relation")], "mother");
    flow_set_signed(&f, (unsigned)field_index("applicant-signature"), true, TODAY);
    assert_int_equal(flow_problem_count(&f), 0);

    assert_true(flow_next(&f, TODAY));
    assert_int_equal(flow_step(&f), CATALOG_STEP_MATERIALS);
    /* The platform fetches the e-licences; the others the citizen confirms. */
    assert_true(f.ticked[0]);
    assert_false(f.ticked[2]);
    assert_false(flow_next(&f, TODAY));
    assert_true(f.materials_problem);
    flow_toggle_material(&f, 0); /* fetched: not the citizen's to untick */
    assert_true(f.ticked[0]);
    flow_toggle_material(&f, 2);
    flow_toggle_material(&f, 3);
    assert_false(f.materials_problem);
    assert_true(flow_next(&f, TODAY));
    assert_int_equal(flow_step(&f), CATALOG_STEP_CONFIRM);
    assert_int_equal(flow_step_number(&f), 4);
    assert_true(flow_next(&f, TODAY));
    assert_int_equal(flow_step(&f), CATALOG_STEP_SUBMIT);

    /* One form for three departments. */
    cJSON *payload = flow_payload(&f);
    assert_non_null(payload);
    char *text = cJSON_PrintUnformatted(payload);
    assert_non_null(strstr(text, "\"birth-date\":\"20261120\""));
    assert_non_null(strstr(text, "\"relation\":\"mother\""));
    assert_non_null(strstr(text, "\"phone\":\"13812345678\""));
    assert_non_null(strstr(text, "\"baby-name\":\"王乐乐\""));
    /* The mark is not the signature: the submission adds its image. */
    assert_null(strstr(text, "applicant-signature"));
    assert_non_null(strstr(text, "\"birth-certificate\":\"e-license\""));
    assert_non_null(strstr(text, "\"household-register\":\"citizen\""));
    assert_non_null(strstr(text, "\"items\":[\"birth-certificate\",\"household-registration\","
                                 "\"medical-insurance\"]"));
    cJSON_free(text);
    cJSON_Delete(payload);

    /* Left: nothing remains. */
    flow_wipe(&f);
    assert_false(flow_active(&f));
    static const char zeros[sizeof f.values];
    assert_memory_equal(f.values, zeros, sizeof f.values);
}

static void test_going_back_keeps_what_was_given(void **state)
{
    (void)state;
    flow_begin(&f, &sample, catalog_find(&sample, "appointment-ticket"));
    assert_false(flow_back(&f)); /* the first step: back is cancel */
    flow_prefill(&f, &card);
    assert_true(flow_next(&f, TODAY));
    choose("matter", 2);
    assert_true(flow_back(&f));
    assert_int_equal(flow_step(&f), CATALOG_STEP_IDENTIFY);
    assert_true(flow_next(&f, TODAY));
    assert_string_equal(f.values[field_index("matter")], "real-estate");
}

/* A typed number is not a card: what only the card can fill says so. */
static void test_a_typed_number_does_not_fill_the_name(void **state)
{
    (void)state;
    flow_identity typed = {.id_number = "440304199001011233"};
    flow_begin(&f, &sample, catalog_find(&sample, "newborn-bundle"));
    flow_prefill(&f, &typed);
    assert_true(flow_next(&f, TODAY));
    assert_string_equal(f.values[field_index("id-number")], typed.id_number);
    assert_string_equal(f.values[field_index("name")], "");
    assert_false(flow_next(&f, TODAY));
    assert_int_equal(f.problems[field_index("name")], FLOW_PROBLEM_NEEDS_CARD);
    assert_string_equal(flow_problem_key(FLOW_PROBLEM_NEEDS_CARD), "form.problem.needs_card");
}

static void test_values_are_shown_masked_where_they_need_not_be_read(void **state)
{
    (void)state;
    flow_begin(&f, &sample, catalog_find(&sample, "newborn-bundle"));
    flow_prefill(&f, &card);
    assert_true(flow_next(&f, TODAY));
    char shown[FLOW_VALUE_MAX];
    flow_display_value(&f, (unsigned)field_index("name"), LANG_ZH_CN, false, shown, sizeof shown);
    assert_string_equal(shown, "王*明");
    flow_display_value(&f, (unsigned)field_index("id-number"), LANG_ZH_CN, false, shown,
                       sizeof shown);
    assert_null(strstr(shown, "19900101"));
    assert_non_null(strstr(shown, "4403"));
    choose("relation", 0);
    flow_display_value(&f, (unsigned)field_index("relation"), LANG_EN, false, shown, sizeof shown);
    assert_string_equal(shown, "Father");
    type_into("birth-date", "20261120");
    assert_true(flow_edit_finish(&f, TODAY));
    flow_display_value(&f, (unsigned)field_index("birth-date"), LANG_ZH_CN, false, shown,
                       sizeof shown);
    assert_string_equal(shown, "2026-11-20");
    /* What the citizen typed, in full to check it; masked on paper. */
    type_into("phone", "13812345678");
    assert_true(flow_edit_finish(&f, TODAY));
    unsigned phone = (unsigned)field_index("phone");
    flow_display_value(&f, phone, LANG_ZH_CN, false, shown, sizeof shown);
    assert_string_equal(shown, "13812345678");
    flow_display_value(&f, phone, LANG_ZH_CN, true, shown, sizeof shown);
    assert_string_equal(shown, "138****5678");
}

static void test_field_rules(void **state)
{
    (void)state;
    catalog_field date = {.type = CATALOG_FIELD_DATE, .required = true, .not_after_today = true};
    assert_int_equal(flow_check(&date, "20240229", TODAY), FLOW_OK);
    assert_int_equal(flow_check(&date, "20230229", TODAY), FLOW_PROBLEM_DATE);
    assert_int_equal(flow_check(&date, "19000229", TODAY), FLOW_PROBLEM_DATE);
    assert_int_equal(flow_check(&date, "20000229", TODAY), FLOW_OK);
    assert_int_equal(flow_check(&date, "20261122", TODAY), FLOW_OK);
    assert_int_equal(flow_check(&date, "2026112", TODAY), FLOW_PROBLEM_DATE);
    assert_int_equal(flow_check(&date, "", TODAY), FLOW_PROBLEM_REQUIRED);
    catalog_field phone = {.type = CATALOG_FIELD_PHONE};
    assert_int_equal(flow_check(&phone, "", TODAY), FLOW_OK); /* optional */
    assert_int_equal(flow_check(&phone, "19912345678", TODAY), FLOW_OK);
    assert_int_equal(flow_check(&phone, "1381234567", TODAY), FLOW_PROBLEM_PHONE);
    assert_int_equal(flow_check(&phone, "23812345678", TODAY), FLOW_PROBLEM_PHONE);
    catalog_field id = {.type = CATALOG_FIELD_ID_NUMBER, .required = true};
    assert_int_equal(flow_check(&id, "440304199001011233", TODAY), FLOW_OK);
    assert_int_equal(flow_check(&id, "440304199001011234", TODAY), FLOW_PROBLEM_ID);
    catalog_field number = {
        .type = CATALOG_FIELD_NUMBER, .required = true, .min_length = 2, .max_length = 4};
    assert_int_equal(flow_check(&number, "123", TODAY), FLOW_OK);
    assert_int_equal(flow_check(&number, "1", TODAY), FLOW_PROBLEM_NUMBER);
    assert_int_equal(flow_check(&number, "12345", TODAY), FLOW_PROBLEM_NUMBER);
}

/* A service made for the engine's edges: a typed field first, an ID number
 * typed by hand, a number of 2 to 4 digits. */
static const char edge_catalog[] =
    "{\"version\": \"edges-1\", \"hall\": {\"name\": {\"zh-CN\": \"测试大厅\"}},"
    " \"services\": [{\"id\": \"edges\", \"kind\": \"service\","
    " \"name\": {\"zh-CN\": \"边界\"}, \"summary\": {\"zh-CN\": \"边界\"},"
    " \"identity\": \"id-card\", \"steps\": [\"identify\", \"form\", \"confirm\", \"submit\"],"
    " \"form\": ["
    "  {\"id\": \"phone\", \"type\": \"phone\", \"required\": true, \"label\": {\"zh-CN\": "
    "\"电话\"}},"
    "  {\"id\": \"other-id\", \"type\": \"id-number\", \"label\": {\"zh-CN\": \"证件\"}},"
    "  {\"id\": \"count\", \"type\": \"number\", \"min_length\": 2, \"max_length\": 4,"
    "   \"label\": {\"zh-CN\": \"数\"}},"
    "  {\"id\": \"home\", \"type\": \"address\", \"prefill\": \"address\","
    "   \"label\": {\"zh-CN\": \"住址\"}}]}]}";
static catalog edges;

static void begin_edges(void)
{
    kiosk_diag diag = {{0}};
    assert_int_equal(catalog_parse("edges", edge_catalog, strlen(edge_catalog), &edges, &diag),
                     KIOSK_OK);
    flow_begin(&f, &edges, &edges.services[0]);
    flow_prefill(&f, &card);
    assert_true(flow_next(&f, TODAY));
    assert_int_equal(flow_step(&f), CATALOG_STEP_FORM);
}

/* "Next" on the last step goes nowhere: after the submission the app
 * moves through print and rate itself, and the step stays what it is. */
static void test_next_on_the_last_step_stays_there(void **state)
{
    (void)state;
    flow_begin(&f, &sample, catalog_find(&sample, "appointment-ticket"));
    flow_go(&f, CATALOG_STEP_RATE);
    unsigned last = f.at;
    assert_int_equal(last, f.service->step_count - 1);
    assert_false(flow_next(&f, TODAY));
    assert_int_equal(f.at, last);
    assert_int_equal(flow_step(&f), CATALOG_STEP_RATE);
    /* Counted among the steps before the submission: still "3 of 3". */
    assert_int_equal(flow_step_number(&f), 3);
    assert_int_equal(flow_step_total(&f), 3);
    /* A service of one step: next is never there. */
    flow_begin(&f, &sample, catalog_find(&sample, "service-rating"));
    assert_false(flow_next(&f, TODAY));
    assert_int_equal(f.at, 0);
    assert_int_equal(flow_step_number(&f), 1);
    assert_int_equal(flow_step_total(&f), 1);
    /* No service: nothing moves. */
    flow_wipe(&f);
    assert_false(flow_next(&f, TODAY));
    assert_false(flow_back(&f));
}

/* Cancelling a field leaves it as it was, and nothing typed stays behind. */
static void test_cancelling_a_field_wipes_what_was_typed(void **state)
{
    (void)state;
    begin_edges();
    type_into("phone", "1381234");
    assert_string_equal(f.typed, "1381234");
    flow_edit_cancel(&f);
    static const char zeros[sizeof f.typed];
    assert_memory_equal(f.typed, zeros, sizeof f.typed);
    assert_int_equal(f.editing, -1);
    assert_int_equal(f.focus, 0);
    assert_string_equal(f.values[0], "");
    /* Finished, the typed copy is wiped too, and the first field is kept. */
    type_into("phone", "13812345678");
    assert_true(flow_edit_finish(&f, TODAY));
    assert_memory_equal(f.typed, zeros, sizeof f.typed);
    assert_int_equal(f.editing, -1);
    assert_string_equal(f.values[0], "13812345678");
    /* The first field reaches the platform. */
    cJSON *payload = flow_payload(&f);
    char *text = cJSON_PrintUnformatted(payload);
    assert_non_null(strstr(text, "\"phone\":\"13812345678\""));
    /* The mark is not the signature: the submission adds its image. */
    assert_null(strstr(text, "applicant-signature"));
    cJSON_free(text);
    cJSON_Delete(payload);
}

/* A choice is done at the tap: nothing is left being edited. */
static void test_a_choice_ends_the_edit(void **state)
{
    (void)state;
    flow_begin(&f, &sample, catalog_find(&sample, "appointment-ticket"));
    flow_prefill(&f, &card);
    assert_true(flow_next(&f, TODAY));
    choose("matter", 1);
    assert_int_equal(f.editing, -1);
    assert_false(flow_edit_choose(&f, 0)); /* nothing is being edited */
    assert_true(flow_edit_begin(&f, (unsigned)field_index("slot")));
    assert_false(flow_edit_choose(&f, 99)); /* no such choice */
    assert_int_equal(f.editing, field_index("slot"));
}

/* The first field alone wrong: counted, shown, and brought into view. */
static void test_a_problem_in_the_first_field_is_shown(void **state)
{
    (void)state;
    begin_edges();
    assert_false(flow_next(&f, TODAY));
    assert_int_equal(flow_problem_count(&f), 1);
    assert_true(f.show_problems);
    assert_int_equal(f.focus, 0);
    assert_int_equal(f.problems[0], FLOW_PROBLEM_REQUIRED);
}

/* The keypad: as many characters as the field takes, X only last in an
 * ID number, delete and clear. */
static void test_the_keypad_keeps_to_the_field(void **state)
{
    (void)state;
    begin_edges();
    type_into("phone", "138123456789");
    assert_string_equal(f.typed, "13812345678");
    flow_edit_key(&f, 8, 8, 127); /* delete */
    assert_string_equal(f.typed, "1381234567");
    flow_edit_cancel(&f);
    type_into("other-id", "X4403041990010112");
    assert_string_equal(f.typed, "4403041990010112"); /* X first: ignored */
    flow_edit_key(&f, '3', 8, 127);
    flow_edit_key(&f, 'x', 8, 127); /* only the capital, from the keypad */
    flow_edit_key(&f, 'Y', 8, 127);
    assert_string_equal(f.typed, "44030419900101123");
    flow_edit_key(&f, 'X', 8, 127);
    assert_string_equal(f.typed, "44030419900101123X");
    flow_edit_key(&f, '4', 8, 127); /* full */
    assert_string_equal(f.typed, "44030419900101123X");
    flow_edit_cancel(&f);
    type_into("count", "123456");
    assert_string_equal(f.typed, "1234");
    flow_edit_key(&f, 127, 8, 127);
    assert_string_equal(f.typed, "");
    flow_edit_key(&f, 8, 8, 127); /* delete on nothing */
    assert_string_equal(f.typed, "");
}

/* Every month's last day, and the day after it. */
static void test_dates_keep_to_the_calendar(void **state)
{
    (void)state;
    catalog_field date = {.type = CATALOG_FIELD_DATE, .required = true};
    static const char *const last[] = {"20250131", "20250228", "20250331", "20250430",
                                       "20250531", "20250630", "20250731", "20250831",
                                       "20250930", "20251031", "20251130", "20251231"};
    static const char *const after[] = {"20250132", "20250229", "20250332", "20250431",
                                        "20250532", "20250631", "20250732", "20250832",
                                        "20250931", "20251032", "20251131", "20251232"};
    for (size_t i = 0; i < 12; i++) {
        assert_int_equal(flow_check(&date, last[i], TODAY), FLOW_OK);
        assert_int_equal(flow_check(&date, after[i], TODAY), FLOW_PROBLEM_DATE);
    }
    assert_int_equal(flow_check(&date, "19000101", TODAY), FLOW_OK);
    assert_int_equal(flow_check(&date, "18991231", TODAY), FLOW_PROBLEM_DATE);
    assert_int_equal(flow_check(&date, "20250001", TODAY), FLOW_PROBLEM_DATE);
    assert_int_equal(flow_check(&date, "20251301", TODAY), FLOW_PROBLEM_DATE);
    assert_int_equal(flow_check(&date, "20250100", TODAY), FLOW_PROBLEM_DATE);
    assert_int_equal(flow_check(&date, "2025010a", TODAY), FLOW_PROBLEM_DATE);
    /* The day after today is in the future only for a field that says so. */
    assert_int_equal(flow_check(&date, "20261123", TODAY), FLOW_OK);
    date.not_after_today = true;
    assert_int_equal(flow_check(&date, "20261123", TODAY), FLOW_PROBLEM_DATE_FUTURE);
    assert_int_equal(flow_check(&date, "20261122", TODAY), FLOW_OK);
    catalog_field phone = {.type = CATALOG_FIELD_PHONE, .required = true};
    assert_int_equal(flow_check(&phone, "13012345678", TODAY), FLOW_OK);
    assert_int_equal(flow_check(&phone, "12012345678", TODAY), FLOW_PROBLEM_PHONE);
    assert_int_equal(flow_check(&phone, "138123456789", TODAY), FLOW_PROBLEM_PHONE);
    assert_int_equal(flow_check(&phone, "1381234567a", TODAY), FLOW_PROBLEM_PHONE);
    catalog_field number = {.type = CATALOG_FIELD_NUMBER, .min_length = 2, .max_length = 4};
    assert_int_equal(flow_check(&number, "12", TODAY), FLOW_OK);
    assert_int_equal(flow_check(&number, "1234", TODAY), FLOW_OK);
    assert_int_equal(flow_check(&number, "12a", TODAY), FLOW_PROBLEM_NUMBER);
    catalog_field choice = {.type = CATALOG_FIELD_CHOICE, .required = true};
    assert_int_equal(flow_check(&choice, "", TODAY), FLOW_PROBLEM_CHOOSE);
}

/* An address from the card is shown to its district, the rest hidden. */
static void test_an_address_is_shown_to_its_district(void **state)
{
    (void)state;
    begin_edges();
    char shown[FLOW_VALUE_MAX];
    flow_display_value(&f, 3, LANG_ZH_CN, false, shown, sizeof shown);
    assert_string_equal(shown, "广东省深圳市福田区****");
    /* No longer than a district: nothing to hide. */
    snprintf(f.values[3], sizeof f.values[3], "%s", "广东省深圳市福田区");
    flow_display_value(&f, 3, LANG_ZH_CN, false, shown, sizeof shown);
    assert_string_equal(shown, "广东省深圳市福田区");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_newborn_bundle_from_card_to_submission),
        cmocka_unit_test(test_going_back_keeps_what_was_given),
        cmocka_unit_test(test_a_typed_number_does_not_fill_the_name),
        cmocka_unit_test(test_values_are_shown_masked_where_they_need_not_be_read),
        cmocka_unit_test(test_field_rules),
        cmocka_unit_test(test_next_on_the_last_step_stays_there),
        cmocka_unit_test(test_cancelling_a_field_wipes_what_was_typed),
        cmocka_unit_test(test_a_choice_ends_the_edit),
        cmocka_unit_test(test_a_problem_in_the_first_field_is_shown),
        cmocka_unit_test(test_the_keypad_keeps_to_the_field),
        cmocka_unit_test(test_dates_keep_to_the_calendar),
        cmocka_unit_test(test_an_address_is_shown_to_its_district),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
