/* PNG files: screenshots out, reference images and icons in. */
#ifndef KIOSK_UI_IMAGE_H
#define KIOSK_UI_IMAGE_H

#include "firmware/base/error.h"

#include <SDL2/SDL.h>

/* Writes surface to path as PNG. Errors: IO, with diag naming the file. */
kiosk_error ui_image_save_png(SDL_Surface *surface, const char *path,
                              kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Reads the PNG at path into a new ARGB8888 surface owned by the caller.
 * Errors: NOT_FOUND, MALFORMED, NO_MEMORY, with diag naming the file. */
kiosk_error ui_image_load_png(const char *path, SDL_Surface **out,
                              kiosk_diag *diag) KIOSK_MUST_CHECK;

#endif
