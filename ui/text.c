#include "ui/text.h"

#include "firmware/base/log.h"
#include "ui/linebreak.h"
#include "ui/test_probes.h"

#include <SDL2/SDL_ttf.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The languages' fonts, the fallback and the icons. */
#define TEXT_FONTS_MAX    (LANG_COUNT + 2)
#define TEXT_CACHE_SLOTS  512 /* power of two; at most half filled */
#define TEXT_CACHE_MAX    (TEXT_CACHE_SLOTS / 2)
#define TEXT_CACHE_BUDGET (24u * 1024u * 1024u)
#define TEXT_LENGTH_MAX   4096

typedef struct text_font {
    char file[256];
    int face;
    const void *bytes; /* the file, mapped; shared by faces of one file */
    size_t size;
    bool owns_mapping;
    TTF_Font *font; /* NULL until first used */
    bool failed;    /* opening failed: use the fallback */
    int size_px;    /* the size the font is set to now */
} text_font;

typedef struct cache_entry {
    uint64_t hash;
    char *utf8; /* owned; NULL marks a free slot */
    int font;   /* index into fonts */
    ui_text_style style;
    SDL_Texture *texture;
    int width, height;
    size_t bytes;
    unsigned long last_used;
} cache_entry;

struct ui_text {
    SDL_Renderer *renderer;
    text_font fonts[TEXT_FONTS_MAX];
    int font_count;
    int font_for_lang[LANG_COUNT];
    int fallback; /* index, or -1 when the fallback is unusable */
    int icons;    /* the icon font's index, or -1 when it is missing */
    pthread_t preload;
    bool preloading; /* the preload thread owns fonts[] until joined */
    cache_entry slots[TEXT_CACHE_SLOTS];
    unsigned long clock; /* counts lookups, for least-recently-used eviction */
    ui_text_stats stats;
};

/* The first bytes of the font formats FreeType reads for us: TrueType,
 * OpenType (CFF), and collections of either. */
static bool looks_like_font(const char *path, bool *exists)
{
    unsigned char magic[4] = {0};
    FILE *file = fopen(path, "rb");
    *exists = file != NULL;
    if (!file)
        return false;
    size_t got = fread(magic, 1, sizeof magic, file);
    fclose(file);
    return got == sizeof magic &&
           (memcmp(magic, "ttcf", 4) == 0 || memcmp(magic, "OTTO", 4) == 0 ||
            memcmp(magic, "true", 4) == 0 || memcmp(magic, "\x00\x01\x00\x00", 4) == 0);
}

/* Registers file/face (sharing an identical one), returning its index or -1
 * with diag saying why. The font itself is opened on first use: opening a CJK
 * face costs milliseconds, and most sessions use one language. */
static int add_font(ui_text *text, ui_font_source source, kiosk_diag *diag)
{
    for (int i = 0; i < text->font_count; i++) {
        if (strcmp(text->fonts[i].file, source.file) == 0 && text->fonts[i].face == source.face)
            return i;
    }
    if (text->font_count == TEXT_FONTS_MAX)
        return -1;
    bool exists = false;
    if (!looks_like_font(source.file, &exists)) {
        kiosk_diag_set(diag, KIOSK_ERR_FONT, "%s: %s", source.file,
                       exists ? "not a font file (TrueType or OpenType)" : "font file not found");
        return -1;
    }
    text_font *slot = &text->fonts[text->font_count];
    if (snprintf(slot->file, sizeof slot->file, "%s", source.file) >= (int)sizeof slot->file) {
        kiosk_diag_set(diag, KIOSK_ERR_FONT, "%s: path too long", source.file);
        return -1;
    }
    slot->face = source.face;
    return text->font_count++;
}

/* Maps the font's file, or borrows the mapping of another face of it.
 * FreeType reads a font in many small pieces as glyphs are needed; from a
 * mapping those are memory copies, not a seek and a read each. */
static bool map_font(ui_text *text, text_font *font)
{
    for (int i = 0; i < text->font_count; i++) {
        if (text->fonts[i].bytes && strcmp(text->fonts[i].file, font->file) == 0) {
            font->bytes = text->fonts[i].bytes;
            font->size = text->fonts[i].size;
            return true;
        }
    }
    int fd = open(font->file, O_RDONLY | O_CLOEXEC);
    struct stat info;
    if (fd < 0 || fstat(fd, &info) != 0 || info.st_size <= 0) {
        if (fd >= 0)
            close(fd);
        return false;
    }
    void *bytes = mmap(NULL, (size_t)info.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (bytes == MAP_FAILED)
        return false;
    font->bytes = bytes;
    font->size = (size_t)info.st_size;
    font->owns_mapping = true;
    return true;
}

/* The open font at index, opening it now if need be; NULL when it cannot be
 * opened (logged once). */
static TTF_Font *font_at(ui_text *text, int index)
{
    text_font *font = &text->fonts[index];
    if (!font->font && !font->failed) {
        SDL_RWops *source =
            map_font(text, font) ? SDL_RWFromConstMem(font->bytes, (int)font->size) : NULL;
        /* The size is set per draw; 16 is a placeholder until then. */
        font->font = source ? TTF_OpenFontIndexRW(source, 1, 16, font->face) : NULL;
        font->size_px = 16;
        font->failed = font->font == NULL;
        if (font->failed)
            LOG_ERROR("text", "%s (face %d): cannot open: %s", font->file, font->face,
                      TTF_GetError());
    }
    return font->font;
}

/* Opening CJK faces costs milliseconds each; a worker opens them while the
 * main thread brings up the display. Nothing else touches FreeType until the
 * worker is joined (the first use of a font). */
static void *preload_fonts(void *user)
{
    ui_text *text = user;
    /* The languages' faces; the fallback only if a language already needs it. */
    for (int i = 0; i < LANG_COUNT; i++)
        font_at(text, text->font_for_lang[i]);
    /* A face that cannot be opened leaves SDL's error text in this thread's
     * storage, which SDL frees only for threads it made itself. */
    SDL_TLSCleanup();
    return NULL;
}

static void finish_preload(ui_text *text)
{
    if (text->preloading) {
        pthread_join(text->preload, NULL);
        text->preloading = false;
    }
}

void ui_text_set_renderer(ui_text *text, SDL_Renderer *renderer)
{
    text->renderer = renderer;
}

kiosk_error ui_text_open(SDL_Renderer *renderer, const ui_font_source sources[LANG_COUNT],
                         ui_font_source fallback, ui_text **out, kiosk_diag *diag)
{
    if (!TTF_WasInit() && TTF_Init() != 0)
        return kiosk_diag_set(diag, KIOSK_ERR_FONT, "font engine: %s", TTF_GetError());
    ui_text *text = calloc(1, sizeof *text);
    if (!text)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "text: out of memory");
    text->renderer = renderer;

    kiosk_error result = KIOSK_OK;
    kiosk_diag fallback_problem = {{0}};
    text->fallback = add_font(text, fallback, &fallback_problem);
    if (text->fallback < 0)
        LOG_WARN("text", "fallback %s", fallback_problem.message);
    for (int i = 0; i < LANG_COUNT && result == KIOSK_OK; i++) {
        kiosk_diag primary;
        int index = add_font(text, sources[i], &primary);
        if (index < 0 && text->fallback < 0) {
            result = kiosk_diag_set(diag, KIOSK_ERR_FONT, "%s; the fallback %s", primary.message,
                                    fallback_problem.message);
            break;
        }
        if (index < 0) {
            LOG_WARN("text", "%s: %s; using %s", lang_code((lang)i), primary.message,
                     fallback.file);
            index = text->fallback;
        }
        text->font_for_lang[i] = index;
    }
    if (result != KIOSK_OK) {
        ui_text_close(text);
        return result;
    }
    /* The pictograms: without them the words still say it all. */
    kiosk_diag icons_problem = {{0}};
    text->icons = add_font(text, (ui_font_source){UI_TEXT_ICON_FONT_FILE, 0}, &icons_problem);
    if (text->icons < 0)
        LOG_WARN("text", "icons %s: drawn without them", icons_problem.message);
    text->preloading = pthread_create(&text->preload, NULL, preload_fonts, text) == 0;
    *out = text;
    return KIOSK_OK;
}

static void entry_release(ui_text *text, cache_entry *entry)
{
    if (!entry->utf8)
        return;
    size_t length = strlen(entry->utf8);
    memset(entry->utf8, 0, length); /* it may have shown personal data */
    free(entry->utf8);
    SDL_DestroyTexture(entry->texture);
    text->stats.entries--;
    text->stats.bytes -= entry->bytes;
    memset(entry, 0, sizeof *entry);
}

void ui_text_clear(ui_text *text)
{
    for (size_t i = 0; i < TEXT_CACHE_SLOTS; i++)
        entry_release(text, &text->slots[i]);
}

void ui_text_close(ui_text *text)
{
    if (!text)
        return;
    finish_preload(text);
    ui_text_clear(text);
    for (int i = 0; i < text->font_count; i++) {
        if (text->fonts[i].font)
            TTF_CloseFont(text->fonts[i].font);
    }
    for (int i = 0; i < text->font_count; i++) {
        if (text->fonts[i].owns_mapping)
            munmap((void *)text->fonts[i].bytes, text->fonts[i].size);
    }
    free(text);
}

ui_text_stats ui_text_get_stats(const ui_text *text)
{
    return text->stats;
}

int ui_text_cap_height_px(ui_text *text, lang language, int size_px)
{
    if ((unsigned)language >= LANG_COUNT || size_px <= 0)
        return 0; /* the icons too: a pictogram has no capital H */
    finish_preload(text);
    text_font *font = &text->fonts[text->font_for_lang[language]];
    if (!font_at(text, text->font_for_lang[language]))
        return 0;
    if (font->size_px != size_px) {
        TTF_SetFontSize(font->font, size_px);
        font->size_px = size_px;
    }
    TTF_SetFontStyle(font->font, TTF_STYLE_NORMAL);
    int min_x = 0, max_x = 0, min_y = 0, max_y = 0, advance = 0;
    if (TTF_GlyphMetrics32(font->font, 'H', &min_x, &max_x, &min_y, &max_y, &advance) != 0)
        return 0;
    return max_y;
}

bool ui_text_is_cached(const ui_text *text, const char *utf8)
{
    for (size_t i = 0; i < TEXT_CACHE_SLOTS; i++) {
        if (text->slots[i].utf8 && strcmp(text->slots[i].utf8, utf8) == 0)
            return true;
    }
    return false;
}

/* FNV-1a over the text and everything else that changes the pixels. */
static uint64_t entry_hash(const char *utf8, size_t length, int font, ui_text_style style)
{
    uint64_t hash = 1469598103934665603ULL;
    const unsigned char *bytes = (const unsigned char *)utf8;
    for (size_t i = 0; i < length; i++)
        hash = (hash ^ bytes[i]) * 1099511628211ULL;
    uint32_t colour = (uint32_t)style.color.r << 24 | (uint32_t)style.color.g << 16 |
                      (uint32_t)style.color.b << 8 | style.color.a;
    uint64_t extra[] = {(uint64_t)font,       (uint64_t)style.size_px, colour,
                        (uint64_t)style.bold, (uint64_t)style.wrap_px, (uint64_t)style.wrap_align,
                        (uint64_t)style.title};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        hash = (hash ^ extra[i]) * 1099511628211ULL;
    return hash;
}

static bool entry_matches(const cache_entry *entry, uint64_t hash, const char *utf8, int font,
                          ui_text_style style)
{
    return entry->hash == hash && entry->font == font && entry->style.size_px == style.size_px &&
           memcmp(&entry->style.color, &style.color, sizeof style.color) == 0 &&
           entry->style.bold == style.bold && entry->style.wrap_px == style.wrap_px &&
           entry->style.wrap_align == style.wrap_align && entry->style.title == style.title &&
           strcmp(entry->utf8, utf8) == 0;
}

/* Removes the least recently used entry and re-seats the probe chains. */
static void evict_oldest(ui_text *text)
{
    cache_entry *oldest = NULL;
    for (size_t i = 0; i < TEXT_CACHE_SLOTS; i++) {
        cache_entry *entry = &text->slots[i];
        if (entry->utf8 && (!oldest || entry->last_used < oldest->last_used))
            oldest = entry;
    }
    if (!oldest)
        return;
    entry_release(text, oldest);
    text->stats.evictions++;
    /* Linear probing: entries after the hole may now be unreachable; move them. */
    size_t hole = (size_t)(oldest - text->slots);
    for (size_t i = (hole + 1) % TEXT_CACHE_SLOTS; text->slots[i].utf8;
         i = (i + 1) % TEXT_CACHE_SLOTS) {
        cache_entry moved = text->slots[i];
        memset(&text->slots[i], 0, sizeof moved);
        size_t home = (size_t)(moved.hash % TEXT_CACHE_SLOTS);
        while (text->slots[home].utf8)
            home = (home + 1) % TEXT_CACHE_SLOTS;
        text->slots[home] = moved;
    }
}

#define WRAP_LINES_MAX 32

static int measure_run(void *user, const char *utf8, size_t length)
{
    char run[TEXT_LENGTH_MAX + 1];
    int width = 0;
    if (length > TEXT_LENGTH_MAX)
        length = TEXT_LENGTH_MAX;
    memcpy(run, utf8, length);
    run[length] = '\0';
    if (length > 0 && TTF_SizeUTF8((TTF_Font *)user, run, &width, NULL) != 0)
        width = 0;
    return width;
}

/* Wrapped text: the lines are chosen by ui_linebreak (Chinese rules: no line
 * starts with 。，、） or ends with （「), drawn one by one and stacked into one
 * surface, aligned as asked. */
static SDL_Surface *render_wrapped(TTF_Font *font, const char *utf8, ui_text_style style)
{
    ui_line lines[WRAP_LINES_MAX];
    bool truncated = false;
    size_t count = (style.title ? ui_linebreak_title : ui_linebreak)(
        utf8, style.wrap_px, measure_run, font, lines, WRAP_LINES_MAX, &truncated);
    if (truncated)
        LOG_WARN("text", "text needs more than %d lines; the rest is not shown", WRAP_LINES_MAX);
    SDL_Surface *rendered[WRAP_LINES_MAX] = {0};
    int skip = TTF_FontLineSkip(font), width = 1;
    for (size_t i = 0; i < count; i++) {
        char line[TEXT_LENGTH_MAX + 1];
        memcpy(line, utf8 + lines[i].start, lines[i].length);
        line[lines[i].length] = '\0';
        rendered[i] = lines[i].length ? TTF_RenderUTF8_Blended(font, line, style.color) : NULL;
        if (rendered[i] && rendered[i]->w > width)
            width = rendered[i]->w;
    }
    int height = (int)(count ? count : 1) * skip;
    SDL_Surface *surface =
        SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
    for (size_t i = 0; i < count; i++) {
        if (!rendered[i])
            continue;
        if (surface) {
            int x = style.wrap_align == UI_ALIGN_CENTER ? (width - rendered[i]->w) / 2
                    : style.wrap_align == UI_ALIGN_END  ? width - rendered[i]->w
                                                        : 0;
            SDL_Rect place = {x, (int)i * skip, rendered[i]->w, rendered[i]->h};
            SDL_SetSurfaceBlendMode(rendered[i], SDL_BLENDMODE_NONE);
            SDL_BlitSurface(rendered[i], NULL, surface, &place);
        }
        SDL_FreeSurface(rendered[i]);
    }
    return surface;
}

static SDL_Surface *render_surface(text_font *font, const char *utf8, ui_text_style style)
{
    if (!font->font)
        return NULL;
    if (font->size_px != style.size_px) {
        TTF_SetFontSize(font->font, style.size_px);
        font->size_px = style.size_px;
    }
    TTF_SetFontStyle(font->font, style.bold ? TTF_STYLE_BOLD : TTF_STYLE_NORMAL);
    if (style.wrap_px <= 0)
        return TTF_RenderUTF8_Blended(font->font, utf8, style.color);
    return render_wrapped(font->font, utf8, style);
}

SDL_Texture *ui_text_get(ui_text *text, lang language, const char *utf8, ui_text_style style,
                         int *width, int *height)
{
    size_t length = strnlen(utf8, TEXT_LENGTH_MAX + 1);
    if (length == 0 || length > TEXT_LENGTH_MAX || style.size_px <= 0 ||
        (unsigned)language > LANG_COUNT || (language == UI_TEXT_ICONS && text->icons < 0))
        return NULL;
    finish_preload(text);
    int font = language == UI_TEXT_ICONS ? text->icons : text->font_for_lang[language];
    if (language == UI_TEXT_ICONS && !font_at(text, font))
        return NULL;
    if (!font_at(text, font)) {
        if (text->fallback < 0 || text->fallback == font || !font_at(text, text->fallback))
            return NULL;
        font = text->font_for_lang[language] = text->fallback;
    }
    uint64_t hash = entry_hash(utf8, length, font, style);
    size_t slot = (size_t)(hash % TEXT_CACHE_SLOTS);
    text->clock++;

    while (text->slots[slot].utf8) {
        cache_entry *entry = &text->slots[slot];
        if (entry_matches(entry, hash, utf8, font, style)) {
            entry->last_used = text->clock;
            text->stats.hits++;
            *width = entry->width;
            *height = entry->height;
            return entry->texture;
        }
        slot = (slot + 1) % TEXT_CACHE_SLOTS;
    }

    text->stats.misses++;
    SDL_Surface *surface = render_surface(&text->fonts[font], utf8, style);
    if (!surface) {
        LOG_ERROR("text", "cannot draw text (%zu bytes): %s", length, TTF_GetError());
        return NULL;
    }
    size_t bytes = (size_t)surface->pitch * (size_t)surface->h;
    while (text->stats.entries > 0 &&
           (text->stats.entries >= TEXT_CACHE_MAX || text->stats.bytes + bytes > TEXT_CACHE_BUDGET))
        evict_oldest(text);

    SDL_Texture *texture = SDL_CreateTextureFromSurface(text->renderer, surface);
    int surface_w = surface->w, surface_h = surface->h;
    SDL_FreeSurface(surface);
    char *copy = malloc(length + 1);
    if (!texture || !copy) {
        LOG_ERROR("text", "cannot keep drawn text: %s", texture ? "out of memory" : SDL_GetError());
        if (texture)
            SDL_DestroyTexture(texture);
        free(copy);
        return NULL;
    }
    memcpy(copy, utf8, length + 1);

    /* Eviction may have moved entries: find a free slot afresh. */
    slot = (size_t)(hash % TEXT_CACHE_SLOTS);
    while (text->slots[slot].utf8)
        slot = (slot + 1) % TEXT_CACHE_SLOTS;
    text->slots[slot] = (cache_entry){.hash = hash,
                                      .utf8 = copy,
                                      .font = font,
                                      .style = style,
                                      .texture = texture,
                                      .width = surface_w,
                                      .height = surface_h,
                                      .bytes = bytes,
                                      .last_used = text->clock};
    text->stats.entries++;
    text->stats.bytes += bytes;
    *width = surface_w;
    *height = surface_h;
    return texture;
}

void ui_text_draw(ui_text *text, lang language, const char *utf8, ui_text_style style, SDL_Rect box,
                  ui_align align)
{
    int width = 0, height = 0;
    SDL_Texture *texture = ui_text_get(text, language, utf8, style, &width, &height);
    if (!texture)
        return;
    SDL_Rect source = {0, 0, width < box.w ? width : box.w, height < box.h ? height : box.h};
    SDL_Rect place = {box.x, box.y + (box.h - source.h) / 2, source.w, source.h};
    if (align == UI_ALIGN_CENTER)
        place.x = box.x + (box.w - source.w) / 2;
    else if (align == UI_ALIGN_END)
        place.x = box.x + box.w - source.w;
    SDL_RenderCopy(text->renderer, texture, &source, &place);
}

size_t ui_text_lines(ui_text *text, lang language, const char *utf8, ui_text_style style,
                     ui_line *lines, size_t max_lines)
{
    if (!utf8 || style.wrap_px <= 0 || style.size_px <= 0 || (unsigned)language >= LANG_COUNT)
        return 0;
    finish_preload(text);
    int index = text->font_for_lang[language];
    text_font *font = &text->fonts[index];
    if (!font_at(text, index))
        return 0;
    if (font->size_px != style.size_px) {
        TTF_SetFontSize(font->font, style.size_px);
        font->size_px = style.size_px;
    }
    TTF_SetFontStyle(font->font, style.bold ? TTF_STYLE_BOLD : TTF_STYLE_NORMAL);
    return (style.title ? ui_linebreak_title : ui_linebreak)(utf8, style.wrap_px, measure_run,
                                                             font->font, lines, max_lines, NULL);
}
