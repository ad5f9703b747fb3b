/* Staff and technicians at the real kiosk binary: see role_signin.h. */
#include "role_signin.h"
#include "test_support.h"

#include "offline-cache/seal.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *role_data_dir(const kiosk_proc *k)
{
    static char dir[1100];
    snprintf(dir, sizeof dir, "%s", k->board);
    char *slash = strrchr(dir, '/');
    assert_non_null(slash);
    *slash = '\0';
    return dir;
}

void role_kiosk_up(const platform *p, kiosk_proc *k)
{
    kiosk_board(p, k);
    char *text = strdup(test_read_file(k->board));
    char with[1400];
    snprintf(with, sizeof with, "\"credentials_file\": \"%s/build/staff/sample-credentials.json\"",
             test_source_dir());
    const char *changed = test_replace(
        text, "\"credentials_file\": \"../../build/staff/sample-credentials.json\"", with);
    assert_non_null(strstr(changed, with));
    char *board = strdup(changed);
    test_write_file(role_data_dir(k), "board.json", board);
    free(board);
    free(text);
    kiosk_start(k);
    kiosk_expect(k, "wait attract 8000", "ok attract");
}

void role_types_pin(kiosk_proc *k, const char *pin)
{
    for (const char *c = pin; *c; c++) {
        char command[64];
        snprintf(command, sizeof command, "tap pin.keypad.%c", *c);
        kiosk_expect(k, command, "ok staff_pin");
    }
}

void role_signs_in_by_card(kiosk_proc *k, const char *card_key, const char *pin, const char *home)
{
    char command[64], answer[64];
    snprintf(command, sizeof command, "key %s", card_key);
    kiosk_expect(k, command, "ok attract");
    kiosk_expect(k, "wait staff_pin 8000", "ok staff_pin");
    role_types_pin(k, pin);
    snprintf(answer, sizeof answer, "ok %s", home);
    kiosk_expect(k, "tap pin.ok", answer);
}

void role_lifts_card(kiosk_proc *k, const char *screen)
{
    char answer[64];
    snprintf(answer, sizeof answer, "ok %s", screen);
    kiosk_expect(k, "key 0", answer);
    /* The reader polls: a card lifted and laid between two looks is the
     * same card, read once. */
    usleep(1000 * 1000);
}

cache_store *role_kiosk_store(const kiosk_proc *k)
{
    char db[1200], key_path[1200];
    snprintf(db, sizeof db, "%s/kiosk.db", role_data_dir(k));
    snprintf(key_path, sizeof key_path, "%s/seal.key", role_data_dir(k));
    static seal_key key;
    assert_int_equal(seal_key_file_load(key_path, &key, NULL), KIOSK_OK);
    cache_options options = {.path = db, .cipher = SEAL_AES_256_GCM, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    return store;
}

size_t role_audit_rows(const kiosk_proc *k, cache_audit_row *rows)
{
    cache_store *store = role_kiosk_store(k);
    size_t count = 0;
    assert_int_equal(cache_audit_list(store, 0, rows, ROLE_AUDIT_ROWS_MAX, &count, NULL), KIOSK_OK);
    cache_close(store);
    assert_true(count < ROLE_AUDIT_ROWS_MAX);
    return count;
}

long role_kioskctl_audit_rows(const kiosk_proc *k)
{
    char socket_path[2100];
    snprintf(socket_path, sizeof socket_path, "%s/admin.sock", role_data_dir(k));
    return kioskctl_audit_rows_at(socket_path);
}

long kioskctl_audit_rows_at(const char *admin_socket)
{
    char command[3000];
    snprintf(command, sizeof command, "%sctl --json --socket %s audit verify", test_kiosk_binary(),
             admin_socket);
    FILE *out = popen(command, "r");
    assert_non_null(out);
    static char answer[1 << 16];
    size_t length = fread(answer, 1, sizeof answer - 1, out);
    answer[length] = '\0';
    assert_int_equal(pclose(out), 0);
    cJSON *json = cJSON_Parse(answer);
    if (!json)
        fail_msg("kioskctl audit verify said: %s", answer);
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(json, "data");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(data, "intact")));
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(data, "rows");
    assert_true(cJSON_IsNumber(rows));
    long count = (long)rows->valuedouble;
    cJSON_Delete(json);
    return count;
}

void role_platform_trail_matches(const platform *p, size_t rows)
{
    bool matches = false;
    double got = -1;
    for (int i = 0; i < 100 && !matches; i++) {
        cJSON *check = platform_control(p, "/_sim/audit", "{\"terminal\":\"K0420\"}");
        got = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(check, "rows"));
        matches =
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "matches")) && got == (double)rows;
        cJSON_Delete(check);
        if (!matches)
            usleep(100 * 1000);
    }
    if (!matches)
        fail_msg("the platform holds %.0f audit rows of %zu, or they do not explain the head", got,
                 rows);
}
