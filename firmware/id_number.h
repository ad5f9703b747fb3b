/* Resident ID numbers (居民身份证号码, GB 11643): 6 digits of region, 8 of
 * birth date, 3 of sequence, and a check character (ISO 7064 MOD 11-2: a digit
 * or X). Used to check what a citizen types, and later what a card says. */
#ifndef KIOSK_FIRMWARE_ID_NUMBER_H
#define KIOSK_FIRMWARE_ID_NUMBER_H

#include <stdbool.h>

#define ID_NUMBER_LENGTH 18

typedef enum id_number_problem {
    ID_NUMBER_OK = 0,
    ID_NUMBER_TOO_SHORT,     /* fewer than 18 characters */
    ID_NUMBER_BAD_CHARACTER, /* not digits, or X anywhere but last */
    ID_NUMBER_BAD_DATE,      /* no such birth date */
    ID_NUMBER_BAD_CHECK,     /* the check character does not match: a typo */
} id_number_problem;

/* What, if anything, is wrong with text as an 18-character ID number. A
 * lower-case x is taken as X. */
id_number_problem id_number_check(const char *text);

/* The check character ('0'-'9' or 'X') for the first 17 digits. */
char id_number_check_character(const char *first17);

#endif
