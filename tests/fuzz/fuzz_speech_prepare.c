/* Fuzzes speech_prepare, which reads whatever a screen shows (a platform's
 * answer, a name from a card) in each language and into buffers of every
 * size: it must stay inside the buffer, always terminate it, give valid
 * UTF-8 with no control or bidi character left, say "fits" exactly when
 * the whole result was written, and never need more than 16 bytes a byte
 * given (and 64 more): what speech_say and speech_render give it. */
#include "firmware/speech/speech.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool condition)
{
    if (!condition)
        abort();
}

/* Valid UTF-8, and nothing a voice cannot say: C0/C1 controls, DEL,
 * bidi marks and isolates, zero-width characters, the BOM. */
static void check_sayable(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        size_t extra = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : 3;
        check((*p & 0xC0) != 0x80 && (*p & 0xF8) != 0xF8);
        unsigned code = extra == 0   ? *p
                        : extra == 1 ? *p & 0x1Fu
                        : extra == 2 ? *p & 0x0Fu
                                     : *p & 0x07u;
        for (size_t i = 1; i <= extra; i++) {
            check((p[i] & 0xC0) == 0x80);
            code = (code << 6) | (p[i] & 0x3Fu);
        }
        check(code >= 0x20 && code != 0x7F && !(code >= 0x80 && code <= 0x9F));
        check(!(code >= 0x200B && code <= 0x200F) && !(code >= 0x202A && code <= 0x202E) &&
              !(code >= 0x2066 && code <= 0x2069) && code != 0xFEFF);
        p += extra + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    lang language = (lang)(data[0] % LANG_COUNT);
    size_t small = 1 + data[1] % 64;
    char *text = malloc(size - 1);
    check(text != NULL);
    memcpy(text, data + 2, size - 2);
    text[size - 2] = '\0';

    size_t big_size = (size - 2) * 16 + 64;
    char *big = malloc(big_size);
    check(big != NULL);
    check(speech_prepare(language, text, big, big_size));
    check(strlen(big) < big_size);
    check_sayable(big);

    /* A buffer of exactly its size (an ASan-guarded block) holds it or
     * says it did not. */
    char *cut = malloc(small);
    check(cut != NULL);
    bool fits = speech_prepare(language, text, cut, small);
    check(strlen(cut) < small);
    check_sayable(cut);
    check(fits == (strlen(big) < small));
    if (fits)
        check(strcmp(cut, big) == 0);
    free(cut);
    free(big);
    free(text);
    return 0;
}
