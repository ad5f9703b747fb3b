/* Staff credentials (firmware/services/credentials.c): the platform's JSON
 * read strictly, a card or staff QR code matched by its salted hash, and
 * the PIN checked with its lock-out, all through the real PBKDF2 of
 * libcrypto. */
#include "../support/test_support.h"

#include "firmware/base/base64.h"
#include "firmware/base/wipe_alloc.h"
#include "firmware/services/credentials.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ITERATIONS CREDENTIAL_KDF_MIN_ITERATIONS
#define LOCK_S     (15 * 60)

/* Made-up people: a staff member's and a technician's ID numbers (valid
 * check characters), and a citizen's. */
#define STAFF_ID_NUMBER      "320106198205143182"
#define TECHNICIAN_ID_NUMBER "320106197909234520"
#define CITIZEN_ID_NUMBER    "440304199001011233"
#define STAFF_QR             "kiosk-demo-staff-qr-S002-7f3a9c"

static const uint8_t id_salt[16] = "deployment-salt";
static const uint8_t pin_salts[3][16] = {"pin-salt-S001..", "pin-salt-T001..", "pin-salt-S002.."};

/* {"salt": ..., "hash": ...} of secret under salt, through the real KDF. */
static void salted(char *out, size_t size, const char *secret, const uint8_t *salt, long rounds)
{
    uint8_t hash[CREDENTIAL_HASH_BYTES];
    assert_int_equal(credentials_derive(secret, salt, 16, rounds, hash), KIOSK_OK);
    char *salt_text = base64_encode(salt, 16);
    char *hash_text = base64_encode(hash, sizeof hash);
    snprintf(out, size, "{\"salt\": \"%s\", \"hash\": \"%s\"}", salt_text, hash_text);
    wipe_free(salt_text);
    wipe_free(hash_text);
}

/* The three sample people's file, made with rounds iterations. */
static char *sample_json(long rounds)
{
    char card0[160], card1[160], qr2[160], pin0[160], pin1[160], pin2[160];
    salted(card0, sizeof card0, STAFF_ID_NUMBER, id_salt, rounds);
    salted(card1, sizeof card1, TECHNICIAN_ID_NUMBER, id_salt, rounds);
    salted(qr2, sizeof qr2, STAFF_QR, id_salt, rounds);
    salted(pin0, sizeof pin0, "246810", pin_salts[0], rounds);
    salted(pin1, sizeof pin1, "135790", pin_salts[1], rounds);
    salted(pin2, sizeof pin2, "112233", pin_salts[2], rounds);
    size_t size = 4096;
    char *json = malloc(size);
    snprintf(json, size,
             "{\"version\": 1, \"kdf\": {\"name\": \"pbkdf2-hmac-sha256\", \"iterations\": %ld},"
             " \"credentials\": ["
             "{\"id\": \"S001\", \"name\": \"周晓梅\", \"role\": \"staff\", \"card\": %s, \"pin\": "
             "%s},"
             "{\"id\": \"T001\", \"name\": \"陈志强\", \"role\": \"technician\", \"card\": %s, "
             "\"pin\": %s},"
             "{\"id\": \"S002\", \"name\": \"王芳\", \"role\": \"staff\", \"qr\": %s, \"pin\": %s}"
             "]}",
             rounds, card0, pin0, card1, pin1, qr2, pin2);
    return json;
}

static credentials *sample(void)
{
    char *json = sample_json(ITERATIONS);
    credentials *set = NULL;
    kiosk_diag diag = {{0}};
    kiosk_error parsed = credentials_parse(json, strlen(json), &set, &diag);
    if (parsed != KIOSK_OK)
        fail_msg("%s", diag.message);
    free(json);
    return set;
}

static void test_a_staff_card_and_a_staff_qr_code_find_their_holders(void **state)
{
    (void)state;
    credentials *set = sample();
    assert_int_equal(credentials_count(set), 3);
    credential_info who;
    assert_int_equal(credentials_find_by_id_number(set, STAFF_ID_NUMBER, &who), KIOSK_OK);
    assert_string_equal(who.id, "S001");
    assert_string_equal(who.name, "周晓梅");
    assert_int_equal(who.role, STAFF_ROLE_STAFF);
    assert_int_equal(credentials_find_by_id_number(set, TECHNICIAN_ID_NUMBER, &who), KIOSK_OK);
    assert_string_equal(who.id, "T001");
    assert_int_equal(who.role, STAFF_ROLE_TECHNICIAN);
    assert_int_equal(credentials_find_by_token(set, STAFF_QR, &who), KIOSK_OK);
    assert_string_equal(who.id, "S002");
    /* A card's number is no QR code, nor the other way round. */
    assert_int_equal(credentials_find_by_token(set, STAFF_ID_NUMBER, &who), KIOSK_ERR_NOT_FOUND);
    assert_int_equal(credentials_find_by_id_number(set, STAFF_QR, &who), KIOSK_ERR_NOT_FOUND);
    credentials_free(set);
}

static void test_a_citizens_id_number_matches_nobody(void **state)
{
    (void)state;
    credentials *set = sample();
    credential_info who = {.id = "untouched"};
    assert_int_equal(credentials_find_by_id_number(set, CITIZEN_ID_NUMBER, &who),
                     KIOSK_ERR_NOT_FOUND);
    /* One character off a staff member's number is a stranger too. */
    assert_int_equal(credentials_find_by_id_number(set, "320106198205143183", &who),
                     KIOSK_ERR_NOT_FOUND);
    assert_int_equal(credentials_find_by_id_number(set, "", &who), KIOSK_ERR_NOT_FOUND);
    assert_string_equal(who.id, "untouched");
    credentials_free(set);
}

static void test_the_right_pin_is_accepted_and_clears_failures(void **state)
{
    (void)state;
    credentials *set = sample();
    credential_lock lock = {0};
    assert_int_equal(credentials_check_pin(set, "S001", "000000", &lock, 1000, LOCK_S),
                     CREDENTIAL_WRONG_PIN);
    assert_int_equal(credentials_check_pin(set, "S001", "246811", &lock, 1001, LOCK_S),
                     CREDENTIAL_WRONG_PIN);
    assert_int_equal(lock.failures, 2);
    assert_int_equal(credentials_check_pin(set, "S001", "246810", &lock, 1002, LOCK_S),
                     CREDENTIAL_ACCEPTED);
    assert_int_equal(lock.failures, 0);
    assert_int_equal(lock.locked_until_s, 0);
    /* Another's PIN is no good. */
    assert_int_equal(credentials_check_pin(set, "S001", "135790", &lock, 1003, LOCK_S),
                     CREDENTIAL_WRONG_PIN);
    /* Too short or too long is wrong, and counts. */
    assert_int_equal(credentials_check_pin(set, "T001", "135", &lock, 1004, LOCK_S),
                     CREDENTIAL_WRONG_PIN);
    credentials_free(set);
}

static void test_five_wrong_pins_lock_until_the_time_runs_out(void **state)
{
    (void)state;
    credentials *set = sample();
    credential_lock lock = {0};
    for (int i = 1; i < CREDENTIAL_PIN_TRIES; i++) {
        assert_int_equal(credentials_check_pin(set, "S001", "999999", &lock, 2000 + i, LOCK_S),
                         CREDENTIAL_WRONG_PIN);
        assert_int_equal(lock.failures, i);
    }
    assert_int_equal(credentials_check_pin(set, "S001", "999999", &lock, 2010, LOCK_S),
                     CREDENTIAL_LOCKED);
    assert_int_equal(lock.locked_until_s, 2010 + LOCK_S);
    /* Locked: even the right PIN is refused, unchecked. */
    assert_int_equal(credentials_check_pin(set, "S001", "246810", &lock, 2011, LOCK_S),
                     CREDENTIAL_LOCKED);
    assert_int_equal(credentials_check_pin(set, "S001", "246810", &lock, 2010 + LOCK_S - 1, LOCK_S),
                     CREDENTIAL_LOCKED);
    /* The time is up: a fresh run of tries, and the right PIN works. */
    assert_int_equal(credentials_check_pin(set, "S001", "246810", &lock, 2010 + LOCK_S, LOCK_S),
                     CREDENTIAL_ACCEPTED);
    assert_int_equal(lock.failures, 0);
    assert_int_equal(lock.locked_until_s, 0);
    /* After a lock ran out, one wrong PIN is one failure, not a new lock. */
    lock = (credential_lock){.failures = CREDENTIAL_PIN_TRIES, .locked_until_s = 100};
    assert_int_equal(credentials_check_pin(set, "S001", "111111", &lock, 200, LOCK_S),
                     CREDENTIAL_WRONG_PIN);
    assert_int_equal(lock.failures, 1);
    credentials_free(set);
}

static void test_an_unknown_credential_is_never_accepted(void **state)
{
    (void)state;
    credentials *set = sample();
    credential_lock lock = {0};
    assert_int_equal(credentials_check_pin(set, "X999", "246810", &lock, 1, LOCK_S),
                     CREDENTIAL_WRONG_PIN);
    credential_info who;
    assert_int_equal(credentials_get(set, "X999", &who), KIOSK_ERR_NOT_FOUND);
    assert_int_equal(credentials_get(set, "T001", &who), KIOSK_OK);
    assert_string_equal(who.name, "陈志强");
    credentials_free(set);
}

/* Parses text, expecting failure with a message holding every one of the
 * words. */
static void refused(const char *text, const char *const *words, size_t count)
{
    credentials *set = (credentials *)1;
    kiosk_diag diag = {{0}};
    kiosk_error result = credentials_parse(text, strlen(text), &set, &diag);
    if (result == KIOSK_OK)
        fail_msg("accepted: %s", text);
    assert_null(set);
    for (size_t i = 0; i < count; i++) {
        if (!strstr(diag.message, words[i]))
            fail_msg("\"%s\" does not say \"%s\"", diag.message, words[i]);
    }
}

static void test_parse_errors_name_the_entry_and_field(void **state)
{
    (void)state;
    char *good = sample_json(ITERATIONS);
    /* A role that is none. */
    const char *role[] = {"credentials[1].role", "technician"};
    refused(test_replace(good, "\"role\": \"technician\"", "\"role\": \"admin\""), role, 2);
    /* A hash that is not 32 bytes. */
    char *broken = strdup(good);
    char *hash = strstr(strstr(broken, "\"T001\""), "\"pin\"");
    hash = strstr(hash, "\"hash\": \"") + strlen("\"hash\": \"");
    hash[0] = '!';
    const char *bad_hash[] = {"credentials[1].pin", "hash", "base64"};
    refused(broken, bad_hash, 3);
    free(broken);
    /* No PIN at all. */
    broken = strdup(good);
    char *pin = strstr(strstr(broken, "\"S002\""), "\"pin\"");
    memcpy(pin, "\"pim\"", 5);
    const char *no_pin[] = {"credentials[2]", "pin"};
    refused(broken, no_pin, 2);
    free(broken);
    /* Two entries of one id. */
    const char *twice[] = {"credentials[1].id", "S001"};
    refused(test_replace(good, "\"id\": \"T001\"", "\"id\": \"S001\""), twice, 2);
    /* An id with a character a log line should not carry. */
    const char *odd_id[] = {"credentials[0].id"};
    refused(test_replace(good, "\"id\": \"S001\"", "\"id\": \"S 001\""), odd_id, 1);
    /* Neither card nor QR code. */
    broken = strdup(good);
    char *qr = strstr(broken, "\"qr\"");
    memcpy(qr, "\"xx\"", 4);
    const char *no_way[] = {"credentials[2]", "card or a qr"};
    refused(broken, no_way, 2);
    free(broken);
    /* Another KDF, another version, not JSON at all. */
    const char *kdf[] = {"kdf.name"};
    refused(test_replace(good, "pbkdf2-hmac-sha256", "md5"), kdf, 1);
    const char *version[] = {"version"};
    refused(test_replace(good, "\"version\": 1", "\"version\": 2"), version, 1);
    const char *syntax[] = {"credentials"};
    refused("{\"version\": 1,", syntax, 1);
    free(good);
}

static void test_a_second_card_salt_is_refused(void **state)
{
    (void)state;
    /* Each card under its own salt would cost one KDF per staff member for
     * every citizen's card laid: the file must use the one salt. */
    char card0[160], card1[160], pin[160];
    static const uint8_t other_salt[16] = "another-salt...";
    salted(card0, sizeof card0, STAFF_ID_NUMBER, id_salt, ITERATIONS);
    salted(card1, sizeof card1, TECHNICIAN_ID_NUMBER, other_salt, ITERATIONS);
    salted(pin, sizeof pin, "246810", pin_salts[0], ITERATIONS);
    char json[2048];
    snprintf(json, sizeof json,
             "{\"version\": 1, \"kdf\": {\"name\": \"pbkdf2-hmac-sha256\", \"iterations\": %d},"
             " \"credentials\": [{\"id\": \"S001\", \"name\": \"a\", \"role\": \"staff\", "
             "\"card\": %s, \"pin\": %s}, {\"id\": \"T001\", \"name\": \"b\", \"role\": "
             "\"technician\", \"card\": %s, \"pin\": %s}]}",
             ITERATIONS, card0, pin, card1, pin);
    const char *words[] = {"credentials[1].card.salt", "one identifier salt"};
    refused(json, words, 2);
}

static void test_an_iteration_count_under_the_floor_is_refused(void **state)
{
    (void)state;
    char *cheap = sample_json(1000);
    const char *words[] = {"kdf.iterations", "1000", "floor"};
    refused(cheap, words, 3);
    free(cheap);
    /* Just at the floor is taken. */
    char *floor = sample_json(CREDENTIAL_KDF_MIN_ITERATIONS);
    credentials *set = NULL;
    kiosk_diag diag = {{0}};
    assert_int_equal(credentials_parse(floor, strlen(floor), &set, &diag), KIOSK_OK);
    assert_int_equal(credentials_iterations(set), CREDENTIAL_KDF_MIN_ITERATIONS);
    credentials_free(set);
    free(floor);
}

/* How long one card laid costs: one KDF at the floor, whatever the number
 * of staff (printed for docs/staff.md). */
static void test_a_card_costs_one_kdf_whatever_the_staff(void **state)
{
    (void)state;
    credentials *set = sample();
    credential_info who;
    struct timespec from, to;
    clock_gettime(CLOCK_MONOTONIC, &from);
    for (int i = 0; i < 5; i++)
        assert_int_equal(credentials_find_by_id_number(set, CITIZEN_ID_NUMBER, &who),
                         KIOSK_ERR_NOT_FOUND);
    clock_gettime(CLOCK_MONOTONIC, &to);
    double ms =
        ((double)(to.tv_sec - from.tv_sec) * 1e3 + (double)(to.tv_nsec - from.tv_nsec) / 1e6) / 5;
    printf("a citizen's card matched against %zu credentials at %d iterations: %.1f ms\n",
           credentials_count(set), ITERATIONS, ms);
    /* One KDF per card: a PIN check is one KDF too, so a card costs no
     * more than about a PIN check, not one per staff member. */
    clock_gettime(CLOCK_MONOTONIC, &from);
    credential_lock lock = {0};
    for (int i = 0; i < 5; i++)
        (void)credentials_check_pin(set, "S001", "246810", &lock, 1, LOCK_S);
    clock_gettime(CLOCK_MONOTONIC, &to);
    double pin_ms =
        ((double)(to.tv_sec - from.tv_sec) * 1e3 + (double)(to.tv_nsec - from.tv_nsec) / 1e6) / 5;
    assert_true(ms < 2.0 * pin_ms + 5.0);
    credentials_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_staff_card_and_a_staff_qr_code_find_their_holders),
        cmocka_unit_test(test_a_citizens_id_number_matches_nobody),
        cmocka_unit_test(test_the_right_pin_is_accepted_and_clears_failures),
        cmocka_unit_test(test_five_wrong_pins_lock_until_the_time_runs_out),
        cmocka_unit_test(test_an_unknown_credential_is_never_accepted),
        cmocka_unit_test(test_parse_errors_name_the_entry_and_field),
        cmocka_unit_test(test_a_second_card_salt_is_refused),
        cmocka_unit_test(test_an_iteration_count_under_the_floor_is_refused),
        cmocka_unit_test(test_a_card_costs_one_kdf_whatever_the_staff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
