/* PNG files: screenshots out, reference images and icons in. */
#ifndef KIOSK_UI_IMAGE_H
#define KIOSK_UI_IMAGE_H

#include "firmware/base/error.h"

#include <SDL2/SDL.h>
#include <stddef.h>
#include <stdint.h>

/* Writes surface to path as PNG. Errors: IO, with diag naming the file. */
kiosk_error ui_image_save_png(SDL_Surface *surface, const char *path,
                              kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Reads the PNG at path into a new ARGB8888 surface owned by the caller.
 * Errors: NOT_FOUND, MALFORMED, NO_MEMORY, with diag naming the file. */
kiosk_error ui_image_load_png(const char *path, SDL_Surface **out,
                              kiosk_diag *diag) KIOSK_MUST_CHECK;

/* surface (ARGB8888, gray: its green channel is taken) as an 8-bit
 * grayscale PNG in memory, by the same coder, for an image that is a
 * citizen's (a signature): every buffer it passes through is wiped when
 * freed, and *out is a wiped allocation the caller wipe_frees (*length
 * bytes). Errors: INVALID_ARGUMENT (another format, or over 4096 px either
 * way), NO_MEMORY. */
kiosk_error ui_image_encode_gray_png(SDL_Surface *surface, uint8_t **out,
                                     size_t *length) KIOSK_MUST_CHECK;

#endif
