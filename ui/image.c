#include "ui/image.h"

#include "firmware/base/log.h"
#include "firmware/base/wipe_alloc.h"

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

/* PNG out, written here rather than through SDL2_image, whose zlib at its
 * default level made a 1080x1920 screenshot cost about 60 ms. A screen is
 * mostly runs of one colour and rows that repeat the row above, so the image
 * data is compressed by a deflate coder that looks for exactly those: a pixel
 * run is a copy from one pixel back, a run the same as the row above a copy
 * from one row back, and anything else literal bytes, all in deflate's fixed
 * codes. That is a few milliseconds for a screen (a general LZ77 search at
 * zlib's fastest level takes about 15) and files within a few times the size
 * of zlib's. Rows are unfiltered. An opaque surface is written as RGB, one
 * with any transparency as RGBA; either decodes to the same pixels. zlib
 * gives the checksums. */

typedef struct bit_writer {
    unsigned char *out;
    size_t used;
    uint64_t bits;
    int count;
} bit_writer;

/* value's low n bits (n <= 32), least significant first, as deflate wants. */
static inline void put_bits(bit_writer *writer, uint32_t value, int n)
{
    writer->bits |= (uint64_t)value << writer->count;
    writer->count += n;
    if (writer->count >= 32) {
        for (int i = 0; i < 4; i++)
            writer->out[writer->used++] = (unsigned char)(writer->bits >> (8 * i));
        writer->bits >>= 32;
        writer->count -= 32;
    }
}

static void flush_bits(bit_writer *writer)
{
    while (writer->count > 0) {
        writer->out[writer->used++] = (unsigned char)writer->bits;
        writer->bits >>= 8;
        writer->count -= 8;
    }
    writer->bits = 0;
    writer->count = 0;
}

/* A fixed-code symbol or length as the bits to put: code (bit-reversed, with
 * any extra bits above it) and how many. */
typedef struct deflate_code {
    uint32_t bits;
    int count;
} deflate_code;

typedef struct deflate_tables {
    deflate_code literal[256];
    deflate_code length[259]; /* for lengths 3..258 */
} deflate_tables;

static uint32_t reverse_bits(uint32_t code, int count)
{
    uint32_t reversed = 0;
    for (int i = 0; i < count; i++)
        reversed |= ((code >> i) & 1u) << (count - 1 - i);
    return reversed;
}

/* RFC 1951 3.2.6: the fixed literal/length code of symbol (0..287). */
static deflate_code fixed_code(int symbol)
{
    if (symbol < 144)
        return (deflate_code){reverse_bits(0x30u + (uint32_t)symbol, 8), 8};
    if (symbol < 256)
        return (deflate_code){reverse_bits(0x190u + (uint32_t)(symbol - 144), 9), 9};
    if (symbol < 280)
        return (deflate_code){reverse_bits((uint32_t)(symbol - 256), 7), 7};
    return (deflate_code){reverse_bits(0xc0u + (uint32_t)(symbol - 280), 8), 8};
}

static void fixed_tables(deflate_tables *tables)
{
    for (int i = 0; i < 256; i++)
        tables->literal[i] = fixed_code(i);
    static const uint16_t base[29] = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                      15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                      67, 83, 99, 115, 131, 163, 195, 227, 258};
    static const uint8_t extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    for (int code = 0; code < 29; code++) {
        int last = code == 28 ? 258 : base[code + 1] - 1;
        for (int length = base[code]; length <= last; length++) {
            deflate_code symbol = fixed_code(257 + code);
            symbol.bits |= (uint32_t)(length - base[code]) << symbol.count;
            symbol.count += extra[code];
            tables->length[length] = symbol;
        }
    }
}

/* A distance (1..32768) in the fixed 5-bit distance code, with its extra bits. */
static deflate_code distance_code(int distance)
{
    int code = 0, base = 1, extra = 0;
    while (base + (1 << extra) <= distance) {
        base += 1 << extra;
        code++;
        extra = code < 2 ? 0 : code / 2 - 1;
    }
    deflate_code symbol = {reverse_bits((uint32_t)code, 5), 5};
    symbol.bits |= (uint32_t)(distance - base) << 5;
    symbol.count += extra;
    return symbol;
}

static void put_copy(bit_writer *writer, const deflate_tables *tables, deflate_code distance,
                     size_t length)
{
    while (length > 0) {
        /* 3..258 bytes each; never leave fewer than 3 for the last */
        size_t take = length <= 258 ? length : length - 258 < 3 ? length - 3 : 258;
        deflate_code code = tables->length[take];
        put_bits(writer, code.bits, code.count);
        put_bits(writer, distance.bits, distance.count);
        length -= take;
    }
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
        if (channels == 1) { /* grayscale: the green channel stands for all */
            *out++ = (unsigned char)(p >> 8);
            continue;
        }
        out[0] = (unsigned char)(p >> 16);
        out[1] = (unsigned char)(p >> 8);
        out[2] = (unsigned char)p;
        if (channels == 4)
            out[3] = (unsigned char)(p >> 24);
        out += channels;
    }
}

static const uint32_t *surface_row(const SDL_Surface *surface, int y)
{
    return (const uint32_t *)((const uint8_t *)surface->pixels +
                              (size_t)y * (size_t)surface->pitch);
}

/* The zlib stream of the image data (each row: filter byte 0, then the
 * pixels' bytes) into writer, which has room for the worst case. */
static void deflate_image(const SDL_Surface *surface, int channels, unsigned char *row,
                          bit_writer *writer)
{
    deflate_tables fixed;
    fixed_tables(&fixed);
    const deflate_tables *tables = &fixed;
    int width = surface->w;
    size_t stride = (size_t)width * (size_t)channels + 1; /* with the filter byte */
    deflate_code one_pixel = distance_code(channels);
    bool row_copies = stride <= 32768;
    deflate_code one_row = distance_code(row_copies ? (int)stride : 1);

    writer->out[writer->used++] = 0x78; /* deflate, 32 KiB window */
    writer->out[writer->used++] = 0x01; /* fastest; header check */
    put_bits(writer, 1, 1);             /* the final block, */
    put_bits(writer, 1, 2);             /* in fixed codes */
    uLong adler = adler32(0, NULL, 0), row_adler = adler;
    const uint32_t *above = NULL;
    for (int y = 0; y < surface->h; y++) {
        const uint32_t *pixels = surface_row(surface, y);
        if (above && row_copies && memcmp(pixels, above, (size_t)width * 4) == 0) {
            put_copy(writer, tables, one_row, stride);
            adler = adler32_combine(adler, row_adler, (z_off_t)stride);
            above = pixels;
            continue;
        }
        row[0] = 0;
        row_bytes(pixels, width, channels, row + 1);
        row_adler = adler32(adler32(0, NULL, 0), row, (uInt)stride);
        adler = adler32_combine(adler, row_adler, (z_off_t)stride);
        put_bits(writer, tables->literal[0].bits, tables->literal[0].count);
        for (int x = 0; x < width;) {
            int left = 0, up = 0;
            if (x > 0) {
                while (x + left < width && pixels[x + left] == pixels[x - 1])
                    left++;
            }
            if (above && row_copies) {
                while (x + up < width && pixels[x + up] == above[x + up])
                    up++;
            }
            /* A copy is 3 bytes at least: one gray pixel or two are literals. */
            if ((left > 0 || up > 0) && (up > left ? up : left) * channels >= 3) {
                bool use_up = up > left;
                int run = use_up ? up : left;
                put_copy(writer, tables, use_up ? one_row : one_pixel,
                         (size_t)run * (size_t)channels);
                x += run;
                continue;
            }
            const unsigned char *bytes = row + 1 + (size_t)x * (size_t)channels;
            for (int c = 0; c < channels; c++)
                put_bits(writer, tables->literal[bytes[c]].bits, tables->literal[bytes[c]].count);
            x++;
        }
        above = pixels;
    }
    deflate_code end = fixed_code(256);
    put_bits(writer, end.bits, end.count);
    flush_bits(writer);
    for (int i = 3; i >= 0; i--)
        writer->out[writer->used++] = (unsigned char)(adler >> (8 * i));
}

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

#define IDAT_BYTES ((size_t)1 << 20)

static kiosk_error write_png(FILE *file, const SDL_Surface *surface, const char *path,
                             kiosk_diag *diag)
{
    int channels = surface_is_opaque(surface) ? 3 : 4;
    size_t stride = (size_t)surface->w * (size_t)channels + 1;
    /* at worst 9 bits a byte, plus the headers and the last partial word */
    size_t capacity = (stride * (size_t)surface->h * 9 + 7) / 8 + 64;
    if (capacity > UINT32_MAX)
        return kiosk_diag_set(diag, KIOSK_ERR_TOO_BIG, "%s: image too large", path);
    bit_writer writer = {.out = malloc(capacity)};
    unsigned char *row = malloc(stride);
    if (!writer.out || !row) {
        free(writer.out);
        free(row);
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "%s: out of memory", path);
    }
    deflate_image(surface, channels, row, &writer);
    free(row);
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char header[13];
    put_u32(header, (uint32_t)surface->w);
    put_u32(header + 4, (uint32_t)surface->h);
    header[8] = 8;                            /* bits per channel */
    header[9] = channels == 4 ? 6 : 2;        /* RGBA : RGB */
    header[10] = header[11] = header[12] = 0; /* deflate, adaptive filters, no interlace */
    bool ok = fwrite(signature, 1, sizeof signature, file) == sizeof signature &&
              write_chunk(file, "IHDR", header, sizeof header);
    /* IDAT in pieces of at most 1 MiB: decoders check each against a limit */
    for (size_t at = 0; ok && at < writer.used; at += IDAT_BYTES) {
        size_t length = writer.used - at < IDAT_BYTES ? writer.used - at : IDAT_BYTES;
        ok = write_chunk(file, "IDAT", writer.out + at, (uint32_t)length);
    }
    ok = ok && write_chunk(file, "IEND", NULL, 0);
    free(writer.out);
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

/* One chunk at at: its length, type, data and CRC; the bytes it took. */
static size_t put_chunk(unsigned char *at, const char *type, const unsigned char *data,
                        uint32_t length)
{
    put_u32(at, length);
    memcpy(at + 4, type, 4);
    if (length)
        memcpy(at + 8, data, length);
    put_u32(at + 8 + length, (uint32_t)crc32(0, at + 4, 4 + length));
    return 12 + (size_t)length;
}

kiosk_error ui_image_encode_gray_png(SDL_Surface *surface, uint8_t **out, size_t *length)
{
    *out = NULL;
    *length = 0;
    if (surface->format->format != SDL_PIXELFORMAT_ARGB8888 || surface->w <= 0 || surface->h <= 0 ||
        surface->w > 4096 || surface->h > 4096)
        return KIOSK_ERR_INVALID_ARGUMENT;
    size_t stride = (size_t)surface->w + 1;
    size_t capacity = (stride * (size_t)surface->h * 9 + 7) / 8 + 64;
    /* Every buffer that holds the pixels is the caller's kind of data:
     * wiped when freed. */
    bit_writer writer = {.out = wipe_malloc(capacity)};
    unsigned char *row = wipe_malloc(stride);
    size_t chunks = capacity / IDAT_BYTES + 1;
    size_t size = 8 + 25 + capacity + 12 * chunks + 12;
    unsigned char *png = wipe_malloc(size);
    if (!writer.out || !row || !png) {
        wipe_free(writer.out);
        wipe_free(row);
        wipe_free(png);
        return KIOSK_ERR_NO_MEMORY;
    }
    deflate_image(surface, 1, row, &writer);
    wipe_free(row);
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char header[13];
    put_u32(header, (uint32_t)surface->w);
    put_u32(header + 4, (uint32_t)surface->h);
    header[8] = 8;                            /* bits per sample */
    header[9] = 0;                            /* grayscale */
    header[10] = header[11] = header[12] = 0; /* deflate, adaptive filters, no interlace */
    size_t used = 8;
    memcpy(png, signature, 8);
    used += put_chunk(png + used, "IHDR", header, sizeof header);
    for (size_t at = 0; at < writer.used; at += IDAT_BYTES) {
        size_t piece = writer.used - at < IDAT_BYTES ? writer.used - at : IDAT_BYTES;
        used += put_chunk(png + used, "IDAT", writer.out + at, (uint32_t)piece);
    }
    used += put_chunk(png + used, "IEND", NULL, 0);
    wipe_free(writer.out);
    *out = png;
    *length = used;
    return KIOSK_OK;
}
