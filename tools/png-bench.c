/* png-bench: writing a screenshot, the kiosk's encoder beside SDL2_image's.
 *
 *   png-bench [IMAGE.png...]
 *
 * For each image (default: a few of tests/ui/reference/), the median over 21
 * writes of ui_image_save_png (what the kiosk and the tests use) and of
 * SDL2_image's IMG_SavePNG (what they used before, zlib's default level), the
 * file sizes, and a check that both files read back to the same pixels as
 * the image itself. */
#include "ui/image.h"

#include <SDL2/SDL_image.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RUNS 21

static double now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static long file_size(const char *path)
{
    struct stat info;
    return stat(path, &info) == 0 ? (long)info.st_size : -1;
}

static bool same_pixels(const SDL_Surface *a, const SDL_Surface *b)
{
    if (a->w != b->w || a->h != b->h)
        return false;
    for (int y = 0; y < a->h; y++) {
        if (memcmp((const Uint8 *)a->pixels + y * a->pitch, (const Uint8 *)b->pixels + y * b->pitch,
                   (size_t)a->w * 4) != 0)
            return false;
    }
    return true;
}

static bool reads_back(const char *path, const SDL_Surface *original)
{
    SDL_Surface *loaded = NULL;
    kiosk_diag diag = {{0}};
    if (ui_image_load_png(path, &loaded, &diag) != KIOSK_OK) {
        fprintf(stderr, "png-bench: %s\n", diag.message);
        return false;
    }
    bool same = same_pixels(original, loaded);
    SDL_FreeSurface(loaded);
    return same;
}

/* Median ms of RUNS writes of surface to path, by the kiosk (ours) or SDL2_image. */
static double median_write(SDL_Surface *surface, const char *path, bool ours)
{
    double times[RUNS];
    for (int i = 0; i < RUNS; i++) {
        kiosk_diag diag = {{0}};
        double start = now_ms();
        int failed = ours ? ui_image_save_png(surface, path, &diag) != KIOSK_OK
                          : IMG_SavePNG(surface, path) != 0;
        times[i] = now_ms() - start;
        if (failed) {
            fprintf(stderr, "png-bench: cannot write %s\n", path);
            return -1.0;
        }
    }
    qsort(times, RUNS, sizeof times[0], compare_doubles);
    return times[RUNS / 2];
}

int main(int argc, char **argv)
{
    const char *defaults[] = {"tests/ui/reference/home-standard-zh-CN.png",
                              "tests/ui/reference/attract-standard-zh-CN.png",
                              "tests/ui/reference/print-elder-en.png",
                              "tests/ui/reference/rate-high-contrast-zh-TW.png"};
    const char *const *images = argc > 1 ? (const char *const *)argv + 1 : defaults;
    int count = argc > 1 ? argc - 1 : (int)(sizeof defaults / sizeof defaults[0]);
    char ours_path[64], theirs_path[64];
    snprintf(ours_path, sizeof ours_path, "/tmp/png-bench-%d-kiosk.png", (int)getpid());
    snprintf(theirs_path, sizeof theirs_path, "/tmp/png-bench-%d-sdl.png", (int)getpid());
    int failures = 0;

    printf("png-bench: writing a screenshot, median of %d (kiosk encoder | SDL2_image "
           "IMG_SavePNG, before)\n",
           RUNS);
    for (int i = 0; i < count; i++) {
        SDL_Surface *image = NULL;
        kiosk_diag diag = {{0}};
        if (ui_image_load_png(images[i], &image, &diag) != KIOSK_OK) {
            fprintf(stderr, "png-bench: %s\n", diag.message);
            failures++;
            continue;
        }
        double ours = median_write(image, ours_path, true);
        double theirs = median_write(image, theirs_path, false);
        bool same = reads_back(ours_path, image) && reads_back(theirs_path, image);
        const char *name = strrchr(images[i], '/') ? strrchr(images[i], '/') + 1 : images[i];
        printf("  %-28s %dx%d  %6.1f ms %4ld KiB | %6.1f ms %4ld KiB   pixels %s\n", name, image->w,
               image->h, ours, file_size(ours_path) / 1024, theirs, file_size(theirs_path) / 1024,
               same ? "identical" : "DIFFER");
        failures += ours < 0 || theirs < 0 || !same;
        SDL_FreeSurface(image);
    }
    unlink(ours_path);
    unlink(theirs_path);
    return failures ? 1 : 0;
}
