/* Pinyin through the real librime and Debian's luna_pinyin data. */
#include "../support/test_support.h"

#include "ui/ime_pinyin.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHARED "/usr/share/rime-data"

static char user_dir[512];

static int start_engine(void **state)
{
    (void)state;
    snprintf(user_dir, sizeof user_dir, "%s/rime", test_make_temp_dir("ime-pinyin"));
    return ui_pinyin_start(SHARED, user_dir) == KIOSK_OK ? 0 : -1;
}

static int stop_engine(void **state)
{
    (void)state;
    ui_pinyin_stop();
    return 0;
}

static void type_letters(ui_pinyin_session *session, const char *letters)
{
    for (const char *p = letters; *p; p++)
        assert_true(ui_pinyin_key(session, *p));
}

/* Where candidate text stands among the first max, or -1. */
static int rank_of(ui_pinyin_session *session, const char *text, size_t max)
{
    char found[16][UI_PINYIN_CANDIDATE_MAX];
    bool more = false;
    size_t count = ui_pinyin_candidates(session, 0, found, max < 16 ? max : 16, &more);
    for (size_t i = 0; i < count; i++)
        if (strcmp(found[i], text) == 0)
            return (int)i;
    return -1;
}

static void test_it_gets_ready_without_the_caller_waiting(void **state)
{
    (void)state;
    assert_true(ui_pinyin_wait_ready(10000));
    assert_string_equal(ui_pinyin_problem(), "");
}

static void test_shebao_gives_the_word_for_social_insurance(void **state)
{
    (void)state;
    assert_true(ui_pinyin_wait_ready(10000));
    ui_pinyin_session *session = ui_pinyin_session_open(false);
    assert_non_null(session);
    type_letters(session, "shebao");
    char composition[UI_PINYIN_COMPOSITION_MAX];
    ui_pinyin_composition(session, composition, sizeof composition);
    assert_string_equal(composition, "she bao");
    int rank = rank_of(session, "社保", 5);
    assert_in_range(rank, 0, 4);
    char committed[UI_PINYIN_CANDIDATE_MAX];
    assert_true(ui_pinyin_choose(session, (size_t)rank, committed, sizeof committed));
    assert_string_equal(committed, "社保");
    assert_false(ui_pinyin_composing(session));
    ui_pinyin_session_close(session);
}

static void test_a_name_in_full_pinyin(void **state)
{
    (void)state;
    assert_true(ui_pinyin_wait_ready(10000));
    ui_pinyin_session *session = ui_pinyin_session_open(false);
    type_letters(session, "beijing");
    assert_in_range(rank_of(session, "北京", 5), 0, 4);
    ui_pinyin_session_close(session);
}

static void test_pages_follow_one_another(void **state)
{
    (void)state;
    assert_true(ui_pinyin_wait_ready(10000));
    ui_pinyin_session *session = ui_pinyin_session_open(false);
    type_letters(session, "shi");
    char first[6][UI_PINYIN_CANDIDATE_MAX], second[6][UI_PINYIN_CANDIDATE_MAX],
        both[12][UI_PINYIN_CANDIDATE_MAX];
    bool more = false;
    assert_int_equal(ui_pinyin_candidates(session, 0, first, 6, &more), 6);
    assert_true(more);
    assert_int_equal(ui_pinyin_candidates(session, 6, second, 6, &more), 6);
    assert_true(more);
    assert_int_equal(ui_pinyin_candidates(session, 0, both, 12, &more), 12);
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(first[i], both[i]);
        assert_string_equal(second[i], both[6 + i]);
    }
    /* A candidate on the second page is chosen by its place among all. */
    char committed[UI_PINYIN_CANDIDATE_MAX];
    assert_true(ui_pinyin_choose(session, 7, committed, sizeof committed));
    assert_string_equal(committed, both[7]);
    ui_pinyin_session_close(session);
}

static void test_delete_and_clear_empty_the_composition(void **state)
{
    (void)state;
    assert_true(ui_pinyin_wait_ready(10000));
    ui_pinyin_session *session = ui_pinyin_session_open(false);
    type_letters(session, "ni");
    assert_true(ui_pinyin_key(session, '\b'));
    char composition[UI_PINYIN_COMPOSITION_MAX];
    ui_pinyin_composition(session, composition, sizeof composition);
    assert_string_equal(composition, "n");
    assert_true(ui_pinyin_key(session, '\b'));
    assert_false(ui_pinyin_composing(session));
    assert_false(ui_pinyin_key(session, '\b'));
    type_letters(session, "hao");
    ui_pinyin_clear(session);
    assert_false(ui_pinyin_composing(session));
    bool more = true;
    char none[2][UI_PINYIN_CANDIDATE_MAX];
    assert_int_equal(ui_pinyin_candidates(session, 0, none, 2, &more), 0);
    assert_false(more);
    assert_false(ui_pinyin_key(session, 'A'));
    ui_pinyin_session_close(session);
}

/* A session ended with a composition under way leaves nothing behind: the
 * next one starts empty. */
static void test_a_new_session_starts_empty(void **state)
{
    (void)state;
    assert_true(ui_pinyin_wait_ready(10000));
    ui_pinyin_session *session = ui_pinyin_session_open(false);
    type_letters(session, "zhang");
    ui_pinyin_session_close(session);
    session = ui_pinyin_session_open(false);
    assert_false(ui_pinyin_composing(session));
    char composition[UI_PINYIN_COMPOSITION_MAX];
    ui_pinyin_composition(session, composition, sizeof composition);
    assert_string_equal(composition, "");
    ui_pinyin_session_close(session);
}

static void test_traditional_for_taiwan(void **state)
{
    (void)state;
    assert_true(ui_pinyin_wait_ready(10000));
    ui_pinyin_session *session = ui_pinyin_session_open(true);
    type_letters(session, "guojia");
    assert_in_range(rank_of(session, "國家", 5), 0, 4);
    assert_int_equal(rank_of(session, "国家", 16), -1);
    ui_pinyin_session_close(session);
    session = ui_pinyin_session_open(false);
    type_letters(session, "guojia");
    assert_in_range(rank_of(session, "国家", 5), 0, 4);
    ui_pinyin_session_close(session);
}

/* The names of the entries of dir, sorted, joined by spaces. */
static void list_dir(const char *dir, char *out, size_t size)
{
    struct dirent **entries = NULL;
    int count = scandir(dir, &entries, NULL, alphasort);
    out[0] = '\0';
    for (int i = 0; i < count; i++) {
        if (entries[i]->d_name[0] != '.') {
            size_t used = strlen(out);
            snprintf(out + used, size - used, "%s%s", used ? " " : "", entries[i]->d_name);
        }
        free(entries[i]);
    }
    free(entries);
}

/* Nothing typed is learnt: the user folder holds the two settings the
 * kiosk wrote, and no user dictionary, after words were typed and chosen. */
static void test_nothing_typed_is_written_down(void **state)
{
    (void)state;
    assert_true(ui_pinyin_wait_ready(10000));
    ui_pinyin_session *session = ui_pinyin_session_open(false);
    type_letters(session, "wangxiaoming");
    char committed[UI_PINYIN_CANDIDATE_MAX];
    assert_true(ui_pinyin_choose(session, 0, committed, sizeof committed));
    ui_pinyin_session_close(session);
    ui_pinyin_stop();
    char names[512], build[600];
    list_dir(user_dir, names, sizeof names);
    assert_string_equal(names, "build");
    snprintf(build, sizeof build, "%s/build", user_dir);
    list_dir(build, names, sizeof names);
    assert_string_equal(names, "default.yaml luna_pinyin_simp.schema.yaml");
    assert_int_equal(start_engine(NULL), 0);
}

int main(void)
{
#ifndef KIOSK_HAVE_RIME
    printf("SKIP test_ime_pinyin: built without librime (KIOSK_HAVE_RIME)\n");
    assert_int_equal(ui_pinyin_state_now(), UI_PINYIN_UNAVAILABLE);
    return 0;
#endif
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_it_gets_ready_without_the_caller_waiting),
        cmocka_unit_test(test_shebao_gives_the_word_for_social_insurance),
        cmocka_unit_test(test_a_name_in_full_pinyin),
        cmocka_unit_test(test_pages_follow_one_another),
        cmocka_unit_test(test_delete_and_clear_empty_the_composition),
        cmocka_unit_test(test_a_new_session_starts_empty),
        cmocka_unit_test(test_traditional_for_taiwan),
        cmocka_unit_test(test_nothing_typed_is_written_down),
    };
    return cmocka_run_group_tests(tests, start_engine, stop_engine);
}
