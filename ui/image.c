#include "ui/image.h"

#include "firmware/base/log.h"

#include <SDL2/SDL_image.h>
#include <dlfcn.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* SDL2_image is loaded on first use, not linked: Debian's build pulls in a
 * dozen image codecs (TIFF, WebP, JPEG...) whose loading would add to every
 * start-up, while PNG files are only read or written for screenshots, tests
 * and, later, icons. */
#define SDL_IMAGE_LIBRARY "libSDL2_image-2.0.so.0"

typedef struct image_library {
    void *handle;
    int (*save_png)(SDL_Surface *surface, const char *file);
    SDL_Surface *(*load_png_rw)(SDL_RWops *source);
} image_library;

static image_library library;

static kiosk_error load_library(kiosk_diag *diag)
{
    if (library.handle)
        return KIOSK_OK;
    void *handle = dlopen(SDL_IMAGE_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!handle)
        return kiosk_diag_set(diag, KIOSK_ERR_UNSUPPORTED, "%s: cannot load (%s)",
                              SDL_IMAGE_LIBRARY, dlerror());
    /* POSIX guarantees dlsym's pointer converts to a function pointer. */
    *(void **)&library.save_png = dlsym(handle, "IMG_SavePNG");
    *(void **)&library.load_png_rw = dlsym(handle, "IMG_LoadPNG_RW");
    if (!library.save_png || !library.load_png_rw) {
        dlclose(handle);
        library = (image_library){0};
        return kiosk_diag_set(diag, KIOSK_ERR_UNSUPPORTED, "%s: PNG functions missing",
                              SDL_IMAGE_LIBRARY);
    }
    library.handle = handle;
    return KIOSK_OK;
}

kiosk_error ui_image_save_png(SDL_Surface *surface, const char *path, kiosk_diag *diag)
{
    kiosk_error result = load_library(diag);
    if (result != KIOSK_OK)
        return result;
    if (library.save_png(surface, path) != 0)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot write PNG (%s)", path,
                              SDL_GetError());
    return KIOSK_OK;
}

kiosk_error ui_image_load_png(const char *path, SDL_Surface **out, kiosk_diag *diag)
{
    struct stat info;
    if (stat(path, &info) != 0)
        return kiosk_diag_set(diag, KIOSK_ERR_NOT_FOUND, "%s: %s", path, strerror(errno));
    kiosk_error result = load_library(diag);
    if (result != KIOSK_OK)
        return result;
    SDL_RWops *file = SDL_RWFromFile(path, "rb");
    if (!file)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot open (%s)", path, SDL_GetError());
    SDL_Surface *loaded = library.load_png_rw(file);
    SDL_RWclose(file);
    if (!loaded)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: not a PNG image (%s)", path,
                              SDL_GetError());
    SDL_Surface *converted = SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(loaded);
    if (!converted)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "%s: out of memory", path);
    *out = converted;
    return KIOSK_OK;
}
