#include "ui/image.h"

#include "firmware/base/log.h"

#include <SDL2/SDL_image.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* PNG in: SDL2_image is loaded on first use, not linked: Debian's build pulls
 * in a dozen image codecs (TIFF, WebP, JPEG...) whose loading would add to
 * every start-up, while PNG files are only read for tests and, later, icons. */
#define SDL_IMAGE_LIBRARY "libSDL2_image-2.0.so.0"

typedef struct image_library {
    void *handle;
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
    *(void **)&library.load_png_rw = dlsym(handle, "IMG_LoadPNG_RW");
    if (!library.load_png_rw) {
        dlclose(handle);
        library = (image_library){0};
        return kiosk_diag_set(diag, KIOSK_ERR_UNSUPPORTED, "%s: IMG_LoadPNG_RW missing",
                              SDL_IMAGE_LIBRARY);
    }
    library.handle = handle;
    return KIOSK_OK;
}

/* PNG out: written here with zlib rather than through SDL2_image, whose
 * default compression made a 1080x1920 screenshot cost about 60 ms. Screens
 * are large flat areas and rows repeated from the row above, so each row is
 * filtered "up" when it repeats the row above (all zeros) and "sub" otherwise
 * (zeros along a flat run), and deflated at zlib's fastest level: a few
 * milliseconds, and files as small as SDL2_image's. An opaque surface is
 * written as RGB, one with any transparency as RGBA; either decodes to the
 * same pixels. */
enum { PNG_FILTER_SUB = 1, PNG_FILTER_UP = 2 };

static void put_u32(unsigned char *at, uint32_t value)
{
    at[0] = (unsigned char)(value >> 24);
    at[1] = (unsigned char)(value >> 16);
    at[2] = (unsigned char)(value >> 8);
    at[3] = (unsigned char)value;
}

static bool write_chunk(FILE *file, const char *type, const unsigned char *data, uint32_t length)
{
    unsigned char header[8], trailer[4];
    put_u32(header, length);
    memcpy(header + 4, type, 4);
    uLong crc = crc32(0, header + 4, 4);
    if (length)
        crc = crc32(crc, data, length);
    put_u32(trailer, (uint32_t)crc);
    return fwrite(header, 1, sizeof header, file) == sizeof header &&
           (length == 0 || fwrite(data, 1, length, file) == length) &&
           fwrite(trailer, 1, sizeof trailer, file) == sizeof trailer;
}

static bool surface_is_opaque(const SDL_Surface *surface)
{
    for (int y = 0; y < surface->h; y++) {
        const uint32_t *row = (const uint32_t *)((const uint8_t *)surface->pixels +
                                                 (size_t)y * (size_t)surface->pitch);
        for (int x = 0; x < surface->w; x++) {
            if ((row[x] >> 24) != 0xff)
                return false;
        }
    }
    return true;
}

/* One row of ARGB8888 pixels as PNG bytes (RGB or RGBA) into out. */
static void row_bytes(const uint32_t *pixels, int width, int channels, unsigned char *out)
{
    for (int x = 0; x < width; x++) {
        uint32_t p = pixels[x];
        out[0] = (unsigned char)(p >> 16);
        out[1] = (unsigned char)(p >> 8);
        out[2] = (unsigned char)p;
        if (channels == 4)
            out[3] = (unsigned char)(p >> 24);
        out += channels;
    }
}

/* The filtered image data: per row a filter byte and the filtered bytes. */
static unsigned char *filtered_rows(const SDL_Surface *surface, int channels, size_t *size)
{
    size_t stride = (size_t)surface->w * (size_t)channels;
    *size = (stride + 1) * (size_t)surface->h;
    unsigned char *data = malloc(*size);
    unsigned char *bytes = malloc(stride);
    if (!data || !bytes) {
        free(data);
        free(bytes);
        return NULL;
    }
    const uint32_t *above = NULL;
    for (int y = 0; y < surface->h; y++) {
        const uint32_t *row = (const uint32_t *)((const uint8_t *)surface->pixels +
                                                 (size_t)y * (size_t)surface->pitch);
        unsigned char *out = data + (stride + 1) * (size_t)y;
        if (above && memcmp(row, above, (size_t)surface->w * 4) == 0) {
            out[0] = PNG_FILTER_UP;
            memset(out + 1, 0, stride);
        } else {
            out[0] = PNG_FILTER_SUB;
            row_bytes(row, surface->w, channels, bytes);
            memcpy(out + 1, bytes, (size_t)channels);
            for (size_t i = (size_t)channels; i < stride; i++)
                out[1 + i] = (unsigned char)(bytes[i] - bytes[i - (size_t)channels]);
        }
        above = row;
    }
    free(bytes);
    return data;
}

static kiosk_error write_png(FILE *file, const SDL_Surface *surface, const char *path,
                             kiosk_diag *diag)
{
    int channels = surface_is_opaque(surface) ? 3 : 4;
    size_t raw_size = 0;
    unsigned char *raw = filtered_rows(surface, channels, &raw_size);
    if (!raw)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "%s: out of memory", path);
    uLong bound = compressBound((uLong)raw_size);
    unsigned char *packed = malloc(bound);
    uLongf packed_size = bound;
    int z =
        packed ? compress2(packed, &packed_size, raw, (uLong)raw_size, Z_BEST_SPEED) : Z_MEM_ERROR;
    free(raw);
    if (z != Z_OK) {
        free(packed);
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "%s: cannot compress (zlib %d)", path, z);
    }
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char header[13];
    put_u32(header, (uint32_t)surface->w);
    put_u32(header + 4, (uint32_t)surface->h);
    header[8] = 8;                            /* bits per channel */
    header[9] = channels == 4 ? 6 : 2;        /* RGBA : RGB */
    header[10] = header[11] = header[12] = 0; /* deflate, adaptive filters, no interlace */
    bool ok = fwrite(signature, 1, sizeof signature, file) == sizeof signature &&
              write_chunk(file, "IHDR", header, sizeof header) &&
              write_chunk(file, "IDAT", packed, (uint32_t)packed_size) &&
              write_chunk(file, "IEND", NULL, 0);
    free(packed);
    return ok ? KIOSK_OK
              : kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot write (%s)", path, strerror(errno));
}

/* Written to a temporary file beside path and renamed over it, so that a
 * reader never sees half an image and two writers of one path leave one
 * whole image. */
kiosk_error ui_image_save_png(SDL_Surface *surface, const char *path, kiosk_diag *diag)
{
    SDL_Surface *converted = NULL;
    if (surface->format->format != SDL_PIXELFORMAT_ARGB8888) {
        converted = SDL_ConvertSurfaceFormat(surface, SDL_PIXELFORMAT_ARGB8888, 0);
        if (!converted)
            return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "%s: out of memory", path);
        surface = converted;
    }
    char temporary[PATH_MAX];
    if ((size_t)snprintf(temporary, sizeof temporary, "%s.%d.tmp", path, (int)getpid()) >=
        sizeof temporary) {
        SDL_FreeSurface(converted);
        return kiosk_diag_set(diag, KIOSK_ERR_TOO_BIG, "%s: path too long", path);
    }
    FILE *file = fopen(temporary, "wb");
    if (!file) {
        SDL_FreeSurface(converted);
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot write PNG (%s)", path,
                              strerror(errno));
    }
    kiosk_error result = write_png(file, surface, path, diag);
    SDL_FreeSurface(converted);
    if (fclose(file) != 0 && result == KIOSK_OK)
        result = kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot write (%s)", path, strerror(errno));
    if (result == KIOSK_OK && rename(temporary, path) != 0)
        result =
            kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot write PNG (%s)", path, strerror(errno));
    if (result != KIOSK_OK)
        unlink(temporary);
    return result;
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
