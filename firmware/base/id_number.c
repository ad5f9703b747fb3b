#include "firmware/base/id_number.h"

#include <string.h>

char id_number_check_character(const char *first17)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char characters[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * weights[i];
    return characters[sum % 11];
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int digits_value(const char *text, int count)
{
    int value = 0;
    for (int i = 0; i < count; i++)
        value = value * 10 + (text[i] - '0');
    return value;
}

static bool date_exists(int year, int month, int day)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1)
        return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int last = days[month - 1] + (month == 2 && leap);
    return day <= last;
}

id_number_problem id_number_check(const char *text)
{
    size_t length = strnlen(text, ID_NUMBER_LENGTH + 1);
    if (length < ID_NUMBER_LENGTH)
        return ID_NUMBER_TOO_SHORT;
    if (length > ID_NUMBER_LENGTH)
        return ID_NUMBER_BAD_CHARACTER;
    for (int i = 0; i < 17; i++) {
        if (!is_digit(text[i]))
            return ID_NUMBER_BAD_CHARACTER;
    }
    char last = text[17] == 'x' ? 'X' : text[17];
    if (!(is_digit(last) || last == 'X'))
        return ID_NUMBER_BAD_CHARACTER;
    if (!date_exists(digits_value(text + 6, 4), digits_value(text + 10, 2),
                     digits_value(text + 12, 2)))
        return ID_NUMBER_BAD_DATE;
    return id_number_check_character(text) == last ? ID_NUMBER_OK : ID_NUMBER_BAD_CHECK;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool id_number_normalise(const char *text, char out[ID_NUMBER_SIZE])
{
    out[0] = '\0';
    if (!text)
        return false;
    while (is_space(*text))
        text++;
    size_t length = strlen(text);
    while (length > 0 && is_space(text[length - 1]))
        length--;
    if (length == 0 || length > ID_NUMBER_LENGTH)
        return false;
    for (size_t i = 0; i < length; i++) {
        char c = text[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!is_digit(c) && !is_upper(c)) {
            out[0] = '\0';
            return false;
        }
        out[i] = c;
    }
    out[length] = '\0';
    return true;
}

bool id_number_same(const char *a, const char *b)
{
    char left[ID_NUMBER_SIZE], right[ID_NUMBER_SIZE];
    bool same =
        id_number_normalise(a, left) && id_number_normalise(b, right) && strcmp(left, right) == 0;
    /* Both are personal data: nothing of them stays on the stack. */
    explicit_bzero(left, sizeof left);
    explicit_bzero(right, sizeof right);
    return same;
}
