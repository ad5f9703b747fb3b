/* Identity numbers on the cards the reader takes, and as people type them:
 *
 *   resident ID numbers (居民身份证号码, GB 11643): 6 digits of region, 8 of
 *   birth date, 3 of sequence, and a check character (ISO 7064 MOD 11-2: a
 *   digit or X);
 *   the 2023 foreign permanent residence card (新版外国人永久居留身份证): the
 *   same 18-character shape and check, its first digit 9 (2 digits of the
 *   accepting province, 3 of nationality, then birth date, sequence, check);
 *   the older permit (2017 外国人永久居留身份证 and the 外国人永久居留证
 *   before it): 15 characters, a 3-letter nationality code and 12 digits,
 *   with no public check character.
 *
 * Used to check what a citizen types and what a card says, to compare two
 * numbers that name the same person, and to mask them for screen and paper. */
#ifndef KIOSK_FIRMWARE_BASE_ID_NUMBER_H
#define KIOSK_FIRMWARE_BASE_ID_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

#define ID_NUMBER_LENGTH 18
#define ID_NUMBER_SIZE   (ID_NUMBER_LENGTH + 1)

typedef enum id_number_problem {
    ID_NUMBER_OK = 0,
    ID_NUMBER_TOO_SHORT,     /* fewer than 18 characters */
    ID_NUMBER_BAD_CHARACTER, /* not digits, or X anywhere but last */
    ID_NUMBER_BAD_DATE,      /* no such birth date */
    ID_NUMBER_BAD_CHECK,     /* the check character does not match: a typo */
} id_number_problem;

/* What, if anything, is wrong with text as an 18-character number (a resident
 * ID number, or a 2023 permit number, which starts with 9). A lower-case x is
 * taken as X. */
id_number_problem id_number_check(const char *text);

/* The check character ('0'-'9' or 'X') for the first 17 digits. */
char id_number_check_character(const char *first17);

/* The one form in which numbers are compared: ASCII white space trimmed from
 * both ends, ASCII letters upper-case (a platform's 11010519491231002x and a
 * card's ...002X are one number; so are fra310088041200 and FRA310088041200).
 * Writes it to out (ID_NUMBER_SIZE bytes). False, with out "", when text is
 * NULL, empty after trimming, longer than 18 characters, or holds anything
 * but ASCII letters and digits. */
bool id_number_normalise(const char *text, char out[ID_NUMBER_SIZE]);

/* Whether a and b are the same identity number once normalised. Two numbers
 * that do not normalise (empty, NULL, malformed) are never the same: two
 * unknown people are not one person. */
bool id_number_same(const char *a, const char *b);

#endif
