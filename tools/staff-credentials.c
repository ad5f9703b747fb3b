/* Writes a staff credentials file (docs/staff.md) from lines of
 *
 *     ID ROLE NAME ID_NUMBER_OR_QR_TOKEN PIN
 *
 * (ROLE staff or technician; an 18-character ID number with a valid check
 * character becomes the credential's card, anything else of 16 to 128
 * characters its staff QR token), with a fresh deployment-wide identifier
 * salt and a fresh PIN salt per credential. For tests, the sample board and
 * a platform's tooling: the output holds no PIN and no ID number.
 *
 *     staff-credentials [--iterations N] < people.txt > credentials.json
 *
 * Lines starting with # and blank lines are skipped. */
#include "firmware/base/base64.h"
#include "firmware/base/id_number.h"
#include "firmware/base/wipe_alloc.h"
#include "firmware/services/credentials.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define SALT_BYTES 16

static bool fresh(uint8_t *out, size_t length)
{
    return getrandom(out, length, 0) == (ssize_t)length;
}

/* Prints "name": {"salt": ..., "hash": ...} for secret under salt. */
static bool print_salted(const char *name, const char *secret, const uint8_t *salt, long iterations,
                         bool last)
{
    uint8_t hash[CREDENTIAL_HASH_BYTES];
    if (credentials_derive(secret, salt, SALT_BYTES, iterations, hash) != KIOSK_OK) {
        fprintf(stderr, "staff-credentials: the KDF failed (is libcrypto.so.3 installed?)\n");
        return false;
    }
    char *salt_text = base64_encode(salt, SALT_BYTES);
    char *hash_text = base64_encode(hash, sizeof hash);
    explicit_bzero(hash, sizeof hash);
    if (!salt_text || !hash_text) {
        wipe_free(salt_text);
        wipe_free(hash_text);
        return false;
    }
    printf("      \"%s\": {\"salt\": \"%s\", \"hash\": \"%s\"}%s\n", name, salt_text, hash_text,
           last ? "" : ",");
    wipe_free(salt_text);
    wipe_free(hash_text);
    return true;
}

static bool plain_word(const char *text, size_t max)
{
    size_t length = strlen(text);
    if (!length || length >= max)
        return false;
    for (const char *p = text; *p; p++) {
        if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
            return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    long iterations = CREDENTIAL_KDF_MIN_ITERATIONS;
    if (argc == 3 && strcmp(argv[1], "--iterations") == 0) {
        char *end = NULL;
        errno = 0;
        iterations = strtol(argv[2], &end, 10);
        if (errno || *end || iterations < CREDENTIAL_KDF_MIN_ITERATIONS ||
            iterations > CREDENTIAL_KDF_MAX_ITERATIONS) {
            fprintf(stderr, "staff-credentials: --iterations: from %d to %d\n",
                    CREDENTIAL_KDF_MIN_ITERATIONS, CREDENTIAL_KDF_MAX_ITERATIONS);
            return 2;
        }
    } else if (argc != 1) {
        fprintf(stderr, "usage: staff-credentials [--iterations N] < people.txt > "
                        "credentials.json\n  lines: ID ROLE NAME ID_NUMBER_OR_QR_TOKEN PIN\n");
        return 2;
    }
    uint8_t id_salt[SALT_BYTES];
    if (!fresh(id_salt, sizeof id_salt)) {
        fprintf(stderr, "staff-credentials: no random bytes\n");
        return 1;
    }
    printf("{\n  \"version\": 1,\n  \"kdf\": {\"name\": \"%s\", \"iterations\": %ld},\n"
           "  \"credentials\": [",
           CREDENTIAL_KDF_NAME, iterations);
    char line[512];
    int number = 0, written = 0, status = 0;
    while (status == 0 && fgets(line, sizeof line, stdin)) {
        number++;
        char *rest = NULL;
        char *id = strtok_r(line, " \t\r\n", &rest);
        if (!id || id[0] == '#')
            continue;
        char *role = strtok_r(NULL, " \t\r\n", &rest);
        char *name = strtok_r(NULL, " \t\r\n", &rest);
        char *secret = strtok_r(NULL, " \t\r\n", &rest);
        char *pin = strtok_r(NULL, " \t\r\n", &rest);
        size_t pin_length = pin ? strlen(pin) : 0;
        bool digits = pin_length >= CREDENTIAL_PIN_MIN && pin_length <= CREDENTIAL_PIN_MAX;
        for (size_t i = 0; digits && i < pin_length; i++)
            digits = pin[i] >= '0' && pin[i] <= '9';
        bool card = secret && id_number_check(secret) == ID_NUMBER_OK;
        size_t secret_length = secret ? strlen(secret) : 0;
        if (!pin || strtok_r(NULL, " \t\r\n", &rest) || !plain_word(id, CREDENTIAL_ID_MAX) ||
            !plain_word(name, CREDENTIAL_NAME_MAX) ||
            (strcmp(role, "staff") != 0 && strcmp(role, "technician") != 0) || !digits ||
            (!card && (secret_length < CREDENTIAL_TOKEN_MIN ||
                       secret_length > CREDENTIAL_TOKEN_MAX || !plain_word(secret, 256)))) {
            fprintf(stderr,
                    "staff-credentials: line %d: expected ID staff|technician NAME "
                    "ID_NUMBER_OR_QR_TOKEN PIN (a PIN of %d to %d digits, a token of %d to %d "
                    "characters)\n",
                    number, CREDENTIAL_PIN_MIN, CREDENTIAL_PIN_MAX, CREDENTIAL_TOKEN_MIN,
                    CREDENTIAL_TOKEN_MAX);
            status = 1;
            break;
        }
        uint8_t pin_salt[SALT_BYTES];
        printf("%s\n    {\n      \"id\": \"%s\", \"name\": \"%s\", \"role\": \"%s\",\n",
               written ? "," : "", id, name, role);
        if (!fresh(pin_salt, sizeof pin_salt) ||
            !print_salted(card ? "card" : "qr", secret, id_salt, iterations, false) ||
            !print_salted("pin", pin, pin_salt, iterations, true))
            status = 1;
        printf("    }");
        written++;
        explicit_bzero(line, sizeof line);
    }
    explicit_bzero(line, sizeof line);
    printf("\n  ]\n}\n");
    if (status == 0 && written == 0) {
        fprintf(stderr, "staff-credentials: no credentials read\n");
        status = 1;
    }
    return status;
}
