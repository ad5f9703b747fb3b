#include "ui/display.h"

#include "firmware/base/log.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Drivers whose SDL_WaitEventTimeout blocks in the kernel. The others (offscreen,
 * kmsdrm, dummy) poll every millisecond, so the app sleeps by itself there. */
static bool driver_sleeps_in_sdl(const char *driver)
{
    return driver && (strcmp(driver, "x11") == 0 || strcmp(driver, "wayland") == 0);
}

bool ui_display_driver_is_board(const char *driver)
{
    return driver && SDL_strcasecmp(driver, "kmsdrm") == 0;
}

static void choose_hints(const ui_display_options *options)
{
    if (options->headless) {
        /* The software renderer gives the same pixels on every machine (the
         * reference images depend on it) and starts faster than llvmpipe. */
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    /* A kiosk never lets the screen blank, and touches are touches. */
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
}

/* The window size for a windowed desktop run: the panel, shrunk to fit. */
static void fit_window(ui_display *display, int panel_width, int panel_height)
{
    SDL_Rect usable;
    display->scale = 1.0f;
    if (SDL_GetDisplayUsableBounds(0, &usable) == 0 && usable.w > 0 && usable.h > 0) {
        float fit_w = (float)usable.w / (float)panel_width;
        float fit_h = (float)usable.h / (float)panel_height;
        float fit = fit_w < fit_h ? fit_w : fit_h;
        if (fit < 1.0f)
            display->scale = fit;
    }
    display->window_width = (int)((float)panel_width * display->scale);
    display->window_height = (int)((float)panel_height * display->scale);
}

/* Headless: the software renderer draws into memory we map ourselves, faulted
 * in at once. Left to SDL, the 8 MB of a 1080x1920 frame would be faulted a
 * page at a time during the first frame, the largest single cost of start-up. */
static bool open_headless_renderer(ui_display *display)
{
    int width = display->window_width, height = display->window_height;
    display->panel_bytes = (size_t)width * (size_t)height * 4;
    display->panel_pixels = mmap(NULL, display->panel_bytes, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (display->panel_pixels == MAP_FAILED) {
        display->panel_pixels = NULL;
        SDL_SetError("cannot map %zu bytes for the frame", display->panel_bytes);
        return false;
    }
    display->panel = SDL_CreateRGBSurfaceWithFormatFrom(display->panel_pixels, width, height, 32,
                                                        width * 4, SDL_PIXELFORMAT_ARGB8888);
    if (display->panel)
        display->renderer = SDL_CreateSoftwareRenderer(display->panel);
    return display->renderer != NULL;
}

kiosk_error ui_display_open(const ui_display_options *options, ui_display **out, kiosk_diag *diag)
{
    kiosk_error result = KIOSK_OK;
    ui_display *display = calloc(1, sizeof *display);
    if (!display)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "display: out of memory");

    choose_hints(options);
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        result = kiosk_diag_set(diag, KIOSK_ERR_DISPLAY,
                                "no display available (%s); run with --headless, e.g. "
                                "kiosk --headless --screenshot home.png",
                                SDL_GetError());
        free(display);
        return result;
    }

    const char *driver = SDL_GetCurrentVideoDriver();
    bool quarter_turn = options->rotation == 90 || options->rotation == 270;
    int panel_width = quarter_turn ? options->height : options->width;
    int panel_height = quarter_turn ? options->width : options->height;
    bool fullscreen = ui_display_driver_is_board(driver);
    Uint32 flags = SDL_WINDOW_SHOWN;

    display->width = options->width;
    display->height = options->height;
    display->rotation = options->rotation;
    display->sleeps_in_sdl = driver_sleeps_in_sdl(driver);
    if (options->headless || fullscreen) {
        display->scale = 1.0f;
        display->window_width = panel_width;
        display->window_height = panel_height;
        if (fullscreen)
            flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    } else {
        fit_window(display, panel_width, panel_height);
    }

    display->window =
        SDL_CreateWindow(options->title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                         display->window_width, display->window_height, flags);
    if (display->window && fullscreen) {
        SDL_GetWindowSize(display->window, &display->window_width, &display->window_height);
        float fit_w = (float)display->window_width / (float)panel_width;
        float fit_h = (float)display->window_height / (float)panel_height;
        display->scale = fit_w < fit_h ? fit_w : fit_h;
    }
    if (display->window && options->headless)
        open_headless_renderer(display);
    else if (display->window)
        display->renderer = SDL_CreateRenderer(display->window, -1, 0);
    if (!display->window || !display->renderer) {
        result = kiosk_diag_set(diag, KIOSK_ERR_DISPLAY, "cannot open a %dx%d window on %s (%s)",
                                display->window_width, display->window_height,
                                driver ? driver : "no driver", SDL_GetError());
        goto out;
    }

    /* The software renderer draws into memory that a present does not
     * disturb; a GPU's back buffer is undefined after a swap. */
    SDL_RendererInfo info;
    display->keeps_frame =
        options->headless || (SDL_GetRendererInfo(display->renderer, &info) == 0 &&
                              (info.flags & SDL_RENDERER_SOFTWARE));
    if (display->rotation != 0 || display->scale != 1.0f) {
        display->frame =
            SDL_CreateTexture(display->renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                              display->width, display->height);
        if (!display->frame) {
            result =
                kiosk_diag_set(diag, KIOSK_ERR_DISPLAY,
                               "this renderer cannot draw rotated or scaled (%s)", SDL_GetError());
            goto out;
        }
    }
    LOG_INFO("display", "%s, frame %dx%d, window %dx%d, rotation %d", driver ? driver : "?",
             display->width, display->height, display->window_width, display->window_height,
             display->rotation);
out:
    if (result != KIOSK_OK) {
        ui_display_close(display);
        return result;
    }
    *out = display;
    return KIOSK_OK;
}

void ui_display_close(ui_display *display)
{
    if (!display)
        return;
    if (display->frame)
        SDL_DestroyTexture(display->frame);
    if (display->renderer)
        SDL_DestroyRenderer(display->renderer);
    if (display->panel)
        SDL_FreeSurface(display->panel);
    if (display->panel_pixels)
        munmap(display->panel_pixels, display->panel_bytes);
    if (display->window)
        SDL_DestroyWindow(display->window);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    free(display);
}

void ui_display_begin_frame(ui_display *display)
{
    SDL_SetRenderTarget(display->renderer, display->frame);
}

void ui_display_present(ui_display *display)
{
    if (display->frame) {
        SDL_SetRenderTarget(display->renderer, NULL);
        SDL_SetRenderDrawColor(display->renderer, 0, 0, 0, 255);
        SDL_RenderClear(display->renderer);
        float w = (float)display->width * display->scale;
        float h = (float)display->height * display->scale;
        SDL_FRect place = {((float)display->window_width - w) / 2.0f,
                           ((float)display->window_height - h) / 2.0f, w, h};
        SDL_RenderCopyExF(display->renderer, display->frame, NULL, &place,
                          (double)display->rotation, NULL, SDL_FLIP_NONE);
    }
    SDL_RenderPresent(display->renderer);
}

bool ui_display_map_point(const ui_display *display, float window_x, float window_y, int *frame_x,
                          int *frame_y)
{
    /* Undo the present transform: about the window's centre, turn back by the
     * rotation, undo the scale, then move to the frame's centre. */
    float x = (window_x - (float)display->window_width / 2.0f) / display->scale;
    float y = (window_y - (float)display->window_height / 2.0f) / display->scale;
    float u = x, v = y;
    switch (display->rotation) {
    case 90:
        u = y;
        v = -x;
        break;
    case 180:
        u = -x;
        v = -y;
        break;
    case 270:
        u = -y;
        v = x;
        break;
    default:
        break;
    }
    int fx = (int)(u + (float)display->width / 2.0f);
    int fy = (int)(v + (float)display->height / 2.0f);
    *frame_x = fx;
    *frame_y = fy;
    return fx >= 0 && fy >= 0 && fx < display->width && fy < display->height;
}

void ui_display_unmap_point(const ui_display *display, int frame_x, int frame_y, float *window_x,
                            float *window_y)
{
    /* About the frame's centre, scale, turn by the rotation, then move to
     * the window's centre: what ui_display_present does to the frame. */
    float u = ((float)frame_x + 0.5f - (float)display->width / 2.0f) * display->scale;
    float v = ((float)frame_y + 0.5f - (float)display->height / 2.0f) * display->scale;
    float x = u, y = v;
    switch (display->rotation) {
    case 90:
        x = -v;
        y = u;
        break;
    case 180:
        x = -u;
        y = -v;
        break;
    case 270:
        x = v;
        y = -u;
        break;
    default:
        break;
    }
    *window_x = x + (float)display->window_width / 2.0f;
    *window_y = y + (float)display->window_height / 2.0f;
}

kiosk_error ui_display_capture(ui_display *display, SDL_Surface **out)
{
    SDL_Surface *surface = SDL_CreateRGBSurfaceWithFormat(0, display->width, display->height, 32,
                                                          SDL_PIXELFORMAT_ARGB8888);
    if (!surface)
        return KIOSK_ERR_NO_MEMORY;
    SDL_SetRenderTarget(display->renderer, display->frame);
    if (SDL_RenderReadPixels(display->renderer, NULL, SDL_PIXELFORMAT_ARGB8888, surface->pixels,
                             surface->pitch) != 0) {
        LOG_ERROR("display", "cannot read the frame back: %s", SDL_GetError());
        SDL_FreeSurface(surface);
        return KIOSK_ERR_DISPLAY;
    }
    *out = surface;
    return KIOSK_OK;
}
