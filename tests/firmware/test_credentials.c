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

/* {"salt": ..., "hash": ...} of hash's bytes under salt's. */
static void salted_object(char *out, size_t size, const uint8_t *salt, size_t salt_length,
                          const uint8_t hash[CREDENTIAL_HASH_BYTES])
{
    char *salt_text = base64_encode(salt, salt_length);
    char *hash_text = base64_encode(hash, CREDENTIAL_HASH_BYTES);
    snprintf(out, size, "{\"salt\": \"%s\", \"hash\": \"%s\"}", salt_text, hash_text);
    wipe_free(salt_text);
    wipe_free(hash_text);
}

/* {"salt": ..., "hash": ...} of secret under salt, through the real KDF. */
static void salted(char *out, size_t size, const char *secret, const uint8_t *salt, long rounds)
{
    uint8_t hash[CREDENTIAL_HASH_BYTES];
    assert_int_equal(credentials_derive(secret, salt, 16, rounds, hash), KIOSK_OK);
    salted_object(out, size, salt, 16, hash);
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

/* The sample file at the floor, made once: each of its six hashes costs a
 * KDF. */
static char *sample_cache;

static const char *sample_text(void)
{
    if (!sample_cache)
        sample_cache = sample_json(ITERATIONS);
    return sample_cache;
}

static credentials *sample(void)
{
    char *json = strdup(sample_text());
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
    char *good = strdup(sample_text());
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
    char *floor = strdup(sample_text());
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

/* Parsing runs no KDF: a file only parsed may hold any bytes of the right
 * size as hashes, under the one identifier salt. */
static void fake(char *out, size_t size, const uint8_t *salt, size_t salt_length, uint8_t fill)
{
    uint8_t hash[CREDENTIAL_HASH_BYTES];
    memset(hash, fill, sizeof hash);
    salted_object(out, size, salt, salt_length, hash);
}

/* A whole file around entries (what its "credentials" array holds). */
static char *file_of(long rounds, const char *entries)
{
    size_t size = strlen(entries) + 256;
    char *json = malloc(size);
    snprintf(json, size,
             "{\"version\": 1, \"kdf\": {\"name\": \"pbkdf2-hmac-sha256\", \"iterations\": %ld},"
             " \"credentials\": [%s]}",
             rounds, entries);
    return json;
}

static credentials *taken(const char *json)
{
    credentials *set = NULL;
    kiosk_diag diag = {{0}};
    if (credentials_parse(json, strlen(json), &set, &diag) != KIOSK_OK)
        fail_msg("refused: %s", diag.message);
    return set;
}

static void test_an_id_of_every_allowed_character_and_a_qr_only_first_entry(void **state)
{
    (void)state;
    char card[160], qr[160], pin[160], entries[1024];
    fake(card, sizeof card, id_salt, 16, 1);
    fake(qr, sizeof qr, id_salt, 16, 2);
    fake(pin, sizeof pin, pin_salts[0], 16, 3);
    /* The first entry signs in by QR code only: its salt is the deployment's. */
    snprintf(
        entries, sizeof entries,
        "{\"id\": \"AZaz09-_\", \"name\": \"a\", \"role\": \"staff\", \"qr\": %s, \"pin\": %s},"
        "{\"id\": \"T9\", \"name\": \"b\", \"role\": \"technician\", \"card\": %s, \"pin\": %s}",
        qr, pin, card, pin);
    char *json = file_of(ITERATIONS, entries);
    credentials *set = taken(json);
    credential_info who;
    assert_int_equal(credentials_get(set, "AZaz09-_", &who), KIOSK_OK);
    assert_string_equal(staff_role_name(who.role), "staff");
    assert_int_equal(credentials_get(set, "T9", &who), KIOSK_OK);
    assert_string_equal(staff_role_name(who.role), "technician");
    assert_string_equal(staff_role_name(STAFF_ROLE_NONE), "none");
    credentials_free(set);
    free(json);
    /* Each character just outside the allowed ranges is refused. */
    static const char *const odd[] = {"S@1", "S[1", "S`1", "S{1", "S/1", "S:1", "S.1"};
    const char *words[] = {"credentials[1].id", "letters, digits"};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        snprintf(
            entries, sizeof entries,
            "{\"id\": \"S1\", \"name\": \"a\", \"role\": \"staff\", \"card\": %s, \"pin\": %s},"
            "{\"id\": \"%s\", \"name\": \"b\", \"role\": \"staff\", \"card\": %s, \"pin\": %s}",
            card, pin, odd[i], card, pin);
        json = file_of(ITERATIONS, entries);
        refused(json, words, 2);
        free(json);
    }
}

/* A hostile or broken file: salts too short or too long, a first entry
 * with neither card nor QR code, a second card salt hidden behind a good
 * QR code. Each is refused, naming where. */
static void test_salts_out_of_bounds_and_a_first_entry_without_a_way_in(void **state)
{
    (void)state;
    static const uint8_t other_salt[16] = "another-salt...";
    uint8_t long_salt[CREDENTIAL_SALT_MAX + 1];
    memset(long_salt, 'L', sizeof long_salt);
    char card[200], qr[200], pin[200], short_salt[200], entries[2048];
    /* The longest salts are taken, for cards and PINs alike. */
    fake(card, sizeof card, long_salt, CREDENTIAL_SALT_MAX, 1);
    fake(pin, sizeof pin, long_salt, CREDENTIAL_SALT_MAX, 3);
    snprintf(entries, sizeof entries,
             "{\"id\": \"S1\", \"name\": \"a\", \"role\": \"staff\", \"card\": %s, \"pin\": %s}",
             card, pin);
    char *json = file_of(ITERATIONS, entries);
    credentials_free(taken(json));
    free(json);
    /* One byte more is refused. */
    fake(pin, sizeof pin, long_salt, CREDENTIAL_SALT_MAX + 1, 3);
    snprintf(entries, sizeof entries,
             "{\"id\": \"S1\", \"name\": \"a\", \"role\": \"staff\", \"card\": %s, \"pin\": %s}",
             card, pin);
    json = file_of(ITERATIONS, entries);
    const char *too_long[] = {"credentials[0].pin.salt", "16 to 64 bytes"};
    refused(json, too_long, 2);
    free(json);
    /* A salt one byte short: the first card's (the deployment's) or a PIN's. */
    fake(short_salt, sizeof short_salt, id_salt, CREDENTIAL_SALT_MIN - 1, 1);
    fake(card, sizeof card, id_salt, 16, 1);
    fake(pin, sizeof pin, pin_salts[0], 16, 3);
    snprintf(entries, sizeof entries,
             "{\"id\": \"S1\", \"name\": \"a\", \"role\": \"staff\", \"card\": %s, \"pin\": %s},"
             "{\"id\": \"S2\", \"name\": \"b\", \"role\": \"staff\", \"card\": %s, \"pin\": %s}",
             short_salt, pin, card, pin);
    json = file_of(ITERATIONS, entries);
    const char *short_card[] = {"credentials[0].card.salt", "16 to 64 bytes"};
    refused(json, short_card, 2);
    free(json);
    snprintf(entries, sizeof entries,
             "{\"id\": \"S1\", \"name\": \"a\", \"role\": \"staff\", \"card\": %s, \"pin\": %s}",
             card, short_salt);
    json = file_of(ITERATIONS, entries);
    const char *short_pin[] = {"credentials[0].pin.salt", "16 to 64 bytes"};
    refused(json, short_pin, 2);
    free(json);
    /* The first entry has no way in: named, not read past. */
    snprintf(entries, sizeof entries,
             "{\"id\": \"S1\", \"name\": \"a\", \"role\": \"staff\", \"pin\": %s},"
             "{\"id\": \"S2\", \"name\": \"b\", \"role\": \"staff\", \"card\": %s, \"pin\": %s}",
             pin, card, pin);
    json = file_of(ITERATIONS, entries);
    const char *no_way[] = {"credentials[0]", "card or a qr"};
    refused(json, no_way, 2);
    free(json);
    /* A card under another salt is refused even beside a good QR code. */
    char other_card[200];
    fake(other_card, sizeof other_card, other_salt, 16, 1);
    fake(qr, sizeof qr, id_salt, 16, 2);
    snprintf(entries, sizeof entries,
             "{\"id\": \"S1\", \"name\": \"a\", \"role\": \"staff\", \"card\": %s, \"pin\": %s},"
             "{\"id\": \"S2\", \"name\": \"b\", \"role\": \"staff\", \"card\": %s, \"qr\": %s, "
             "\"pin\": %s}",
             card, pin, other_card, qr, pin);
    json = file_of(ITERATIONS, entries);
    const char *hidden[] = {"credentials[1].card.salt", "one identifier salt"};
    refused(json, hidden, 2);
    free(json);
}

/* A hall of 512 is read; a file of more, or of more than a mebibyte, is
 * refused as too big before anything is read from it. */
static void test_the_largest_file_taken_and_one_more_refused(void **state)
{
    (void)state;
    char card[160], pin[160];
    fake(card, sizeof card, id_salt, 16, 1);
    fake(pin, sizeof pin, pin_salts[0], 16, 3);
    size_t size = 513 * 400;
    char *entries = malloc(size);
    size_t used = 0, before_last = 0;
    for (int i = 0; i < 513; i++) {
        before_last = used;
        used += (size_t)snprintf(entries + used, size - used,
                                 "%s{\"id\": \"S%d\", \"name\": \"n\", \"role\": \"staff\", "
                                 "\"card\": %s, \"pin\": %s}",
                                 i ? "," : "", i, card, pin);
    }
    char *json = file_of(ITERATIONS, entries);
    credentials *set = NULL;
    kiosk_diag diag = {{0}};
    assert_int_equal(credentials_parse(json, strlen(json), &set, &diag), KIOSK_ERR_TOO_BIG);
    assert_null(set);
    assert_non_null(strstr(diag.message, "513 entries, at most 512"));
    free(json);
    /* Without the last entry: 512 are taken. */
    entries[before_last] = '\0';
    json = file_of(ITERATIONS, entries);
    set = taken(json);
    assert_int_equal(credentials_count(set), 512);
    credential_info who;
    assert_int_equal(credentials_get(set, "S511", &who), KIOSK_OK);
    credentials_free(set);
    free(json);
    free(entries);

    /* A mebibyte exactly (the sample, widened by white space) is read. */
    const size_t mebibyte = 1024 * 1024;
    const char *sample_file = sample_text();
    char *wide = malloc(mebibyte + 2);
    size_t pad = mebibyte - strlen(sample_file);
    wide[0] = '{';
    memset(wide + 1, ' ', pad);
    memcpy(wide + 1 + pad, sample_file + 1, strlen(sample_file));
    assert_int_equal(strlen(wide), mebibyte);
    set = taken(wide);
    assert_int_equal(credentials_count(set), 3);
    credentials_free(set);
    /* One byte more is not. */
    memmove(wide + 2, wide + 1, mebibyte);
    wide[1] = ' ';
    assert_int_equal(credentials_parse(wide, mebibyte + 1, &set, &diag), KIOSK_ERR_TOO_BIG);
    assert_null(set);
    assert_non_null(strstr(diag.message, "1048577 bytes"));
    free(wide);
}

/* One round is a whole number, but under the floor: said so. */
static void test_one_round_is_named_as_under_the_floor(void **state)
{
    (void)state;
    char card[160], pin[160], entries[512];
    fake(card, sizeof card, id_salt, 16, 1);
    fake(pin, sizeof pin, pin_salts[0], 16, 3);
    snprintf(entries, sizeof entries,
             "{\"id\": \"S1\", \"name\": \"a\", \"role\": \"staff\", \"card\": %s, \"pin\": %s}",
             card, pin);
    char *json = file_of(1, entries);
    const char *words[] = {"kdf.iterations", "1 is under", "floor"};
    refused(json, words, 3);
    free(json);
}

/* Before the platform delivers a file, or with an empty one, nobody signs
 * in: a card, a QR code or a PIN finds no one. */
static void test_nobody_signs_in_without_credentials(void **state)
{
    (void)state;
    credential_info who = {.id = "untouched"};
    assert_int_equal(credentials_find_by_id_number(NULL, STAFF_ID_NUMBER, &who),
                     KIOSK_ERR_NOT_FOUND);
    assert_int_equal(credentials_find_by_token(NULL, STAFF_QR, &who), KIOSK_ERR_NOT_FOUND);
    assert_int_equal(credentials_get(NULL, "S001", &who), KIOSK_ERR_NOT_FOUND);
    assert_string_equal(who.id, "untouched");
    credential_lock lock = {0};
    assert_int_equal(credentials_check_pin(NULL, "S001", "246810", &lock, 1, LOCK_S),
                     CREDENTIAL_WRONG_PIN);
    assert_int_equal(lock.failures, 1);
    assert_int_equal(credentials_count(NULL), 0);
    assert_int_equal(credentials_iterations(NULL), 0);

    char *json = file_of(ITERATIONS, "");
    credentials *set = taken(json);
    assert_int_equal(credentials_count(set), 0);
    assert_int_equal(credentials_find_by_id_number(set, STAFF_ID_NUMBER, &who),
                     KIOSK_ERR_NOT_FOUND);
    assert_int_equal(credentials_find_by_token(set, STAFF_QR, &who), KIOSK_ERR_NOT_FOUND);
    assert_string_equal(who.id, "untouched");
    credentials_free(set);
    free(json);
}

/* What a card reader or a caller might hand over that is no card: no ID
 * number, one far too long, no credential id. Nobody is found, nothing
 * fails otherwise. */
static void test_no_number_or_a_runaway_one_finds_nobody(void **state)
{
    (void)state;
    credentials *set = sample();
    credential_info who = {.id = "untouched"};
    assert_int_equal(credentials_find_by_id_number(set, NULL, &who), KIOSK_ERR_NOT_FOUND);
    char runaway[301];
    memset(runaway, '3', sizeof runaway - 1);
    runaway[sizeof runaway - 1] = '\0';
    assert_int_equal(credentials_find_by_id_number(set, runaway, &who), KIOSK_ERR_NOT_FOUND);
    assert_int_equal(credentials_find_by_token(set, NULL, &who), KIOSK_ERR_NOT_FOUND);
    assert_int_equal(credentials_get(set, NULL, &who), KIOSK_ERR_NOT_FOUND);
    assert_string_equal(who.id, "untouched");
    credential_lock lock = {0};
    assert_int_equal(credentials_check_pin(set, NULL, "246810", &lock, 1, LOCK_S),
                     CREDENTIAL_WRONG_PIN);
    assert_int_equal(credentials_check_pin(set, "S001", NULL, &lock, 2, LOCK_S),
                     CREDENTIAL_WRONG_PIN);
    assert_int_equal(lock.failures, 2);
    credentials_free(set);
}

/* A stored hash one bit off the card's, in its first byte or its last, is
 * no match: every byte counts. */
static void test_a_hash_off_by_one_bit_matches_nobody(void **state)
{
    (void)state;
    uint8_t hash[CREDENTIAL_HASH_BYTES];
    assert_int_equal(credentials_derive(STAFF_ID_NUMBER, id_salt, 16, ITERATIONS, hash), KIOSK_OK);
    char first[160], last[160], pin[160], entries[1024];
    hash[0] ^= 1;
    salted_object(first, sizeof first, id_salt, 16, hash);
    hash[0] ^= 1;
    hash[CREDENTIAL_HASH_BYTES - 1] ^= 0x80;
    salted_object(last, sizeof last, id_salt, 16, hash);
    fake(pin, sizeof pin, pin_salts[0], 16, 3);
    snprintf(entries, sizeof entries,
             "{\"id\": \"S1\", \"name\": \"a\", \"role\": \"staff\", \"card\": %s, \"pin\": %s},"
             "{\"id\": \"S2\", \"name\": \"b\", \"role\": \"staff\", \"card\": %s, \"pin\": %s}",
             first, pin, last, pin);
    char *json = file_of(ITERATIONS, entries);
    credentials *set = taken(json);
    credential_info who = {.id = "untouched"};
    assert_int_equal(credentials_find_by_id_number(set, STAFF_ID_NUMBER, &who),
                     KIOSK_ERR_NOT_FOUND);
    assert_string_equal(who.id, "untouched");
    credentials_free(set);
    free(json);
}

/* The shortest and longest staff QR codes and PINs work; one character
 * shorter or longer does not, even when the file holds its hash. */
static void test_qr_codes_and_pins_at_their_bounds(void **state)
{
    (void)state;
    char token16[CREDENTIAL_TOKEN_MIN + 1], token128[CREDENTIAL_TOKEN_MAX + 1];
    char token15[CREDENTIAL_TOKEN_MIN], token129[CREDENTIAL_TOKEN_MAX + 2];
    memset(token16, 'q', sizeof token16 - 1);
    token16[sizeof token16 - 1] = '\0';
    memset(token128, 'r', sizeof token128 - 1);
    token128[sizeof token128 - 1] = '\0';
    memset(token15, 's', sizeof token15 - 1);
    token15[sizeof token15 - 1] = '\0';
    memset(token129, 't', sizeof token129 - 1);
    token129[sizeof token129 - 1] = '\0';
    const char *tokens[] = {token16, token128, token15, token129};
    const char *pins[] = {"1234", "12345678", "123", "123456789"};
    const char *ids[] = {"Q16", "Q128", "Q15", "Q129"};
    char entries[4096] = "";
    for (int i = 0; i < 4; i++) {
        char qr[160], pin[160];
        salted(qr, sizeof qr, tokens[i], id_salt, ITERATIONS);
        salted(pin, sizeof pin, pins[i], pin_salts[i % 3], ITERATIONS);
        size_t used = strlen(entries);
        snprintf(
            entries + used, sizeof entries - used,
            "%s{\"id\": \"%s\", \"name\": \"n\", \"role\": \"staff\", \"qr\": %s, \"pin\": %s}",
            i ? "," : "", ids[i], qr, pin);
    }
    char *json = file_of(ITERATIONS, entries);
    credentials *set = taken(json);
    credential_info who;
    assert_int_equal(credentials_find_by_token(set, token16, &who), KIOSK_OK);
    assert_string_equal(who.id, "Q16");
    assert_int_equal(credentials_find_by_token(set, token128, &who), KIOSK_OK);
    assert_string_equal(who.id, "Q128");
    memset(&who, 0, sizeof who);
    assert_int_equal(credentials_find_by_token(set, token15, &who), KIOSK_ERR_NOT_FOUND);
    assert_int_equal(credentials_find_by_token(set, token129, &who), KIOSK_ERR_NOT_FOUND);
    assert_string_equal(who.id, "");
    credential_lock lock = {0};
    assert_int_equal(credentials_check_pin(set, "Q16", "1234", &lock, 1, LOCK_S),
                     CREDENTIAL_ACCEPTED);
    assert_int_equal(credentials_check_pin(set, "Q128", "12345678", &lock, 2, LOCK_S),
                     CREDENTIAL_ACCEPTED);
    assert_int_equal(credentials_check_pin(set, "Q15", "123", &lock, 3, LOCK_S),
                     CREDENTIAL_WRONG_PIN);
    assert_int_equal(credentials_check_pin(set, "Q129", "123456789", &lock, 4, LOCK_S),
                     CREDENTIAL_WRONG_PIN);
    assert_int_equal(lock.failures, 2);
    credentials_free(set);
    free(json);
}

/* The KDF takes what a credentials tool may give it, up to each bound, and
 * refuses one past. */
static void test_the_kdf_at_its_bounds(void **state)
{
    (void)state;
    uint8_t salt[CREDENTIAL_SALT_MAX + 1], out[CREDENTIAL_HASH_BYTES];
    memset(salt, 's', sizeof salt);
    char secret[258];
    memset(secret, '7', sizeof secret - 1);
    secret[257] = '\0';
    assert_int_equal(credentials_derive(secret, salt, 16, 1, out), KIOSK_ERR_INVALID_ARGUMENT);
    secret[256] = '\0';
    assert_int_equal(credentials_derive(secret, salt, 16, 1, out), KIOSK_OK);
    assert_int_equal(credentials_derive("246810", salt, CREDENTIAL_SALT_MAX, 1, out), KIOSK_OK);
    assert_int_equal(credentials_derive("246810", salt, CREDENTIAL_SALT_MAX + 1, 1, out),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(credentials_derive("246810", salt, 16, 0, out), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(credentials_derive("246810", salt, 16, CREDENTIAL_KDF_MAX_ITERATIONS + 1, out),
                     KIOSK_ERR_INVALID_ARGUMENT);
    /* A file at the ceiling still lets its staff in (one slow KDF). */
    assert_int_equal(credentials_derive("246810", salt, 16, CREDENTIAL_KDF_MAX_ITERATIONS, out),
                     KIOSK_OK);
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
        cmocka_unit_test(test_an_id_of_every_allowed_character_and_a_qr_only_first_entry),
        cmocka_unit_test(test_salts_out_of_bounds_and_a_first_entry_without_a_way_in),
        cmocka_unit_test(test_the_largest_file_taken_and_one_more_refused),
        cmocka_unit_test(test_one_round_is_named_as_under_the_floor),
        cmocka_unit_test(test_nobody_signs_in_without_credentials),
        cmocka_unit_test(test_no_number_or_a_runaway_one_finds_nobody),
        cmocka_unit_test(test_a_hash_off_by_one_bit_matches_nobody),
        cmocka_unit_test(test_qr_codes_and_pins_at_their_bounds),
        cmocka_unit_test(test_the_kdf_at_its_bounds),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    free(sample_cache);
    return failed;
}
