/* The icon table: every pictogram named is in the Debian icon font, an
 * unknown name is the generic one, and every service of the sample catalog
 * names one the table has; the main actions' words each have one, and a
 * button draws it beside its words, in their colour and sized with them. */
#include "../support/test_support.h"

#include "firmware/services/catalog.h"
#include "ui/icons.h"
#include "ui/strings.h"

#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_every_icon_is_in_the_font(void **state)
{
    (void)state;
    assert_int_equal(TTF_WasInit() || TTF_Init() == 0, 1);
    TTF_Font *font = TTF_OpenFont(UI_TEXT_ICON_FONT_FILE, 48);
    if (!font)
        fail_msg("%s cannot be opened: install fonts-material-design-icons-iconfont",
                 UI_TEXT_ICON_FONT_FILE);
    assert_true(ui_icon_count() > 20);
    for (size_t i = 0; i < ui_icon_count(); i++) {
        const char *name = ui_icon_name_at(i);
        assert_true(ui_icon_known(name));
        if (!TTF_GlyphIsProvided32(font, ui_icon_codepoint(name)))
            fail_msg("%s (U+%04X) is not in the font", name, ui_icon_codepoint(name));
        /* Drawn, it has ink. */
        char glyph[8];
        ui_icon_utf8(name, glyph);
        SDL_Surface *drawn = TTF_RenderUTF8_Blended(font, glyph, (SDL_Color){0, 0, 0, 255});
        assert_non_null(drawn);
        int ink = 0;
        for (int y = 0; y < drawn->h; y++) {
            const Uint32 *row = (const Uint32 *)((const Uint8 *)drawn->pixels + y * drawn->pitch);
            for (int x = 0; x < drawn->w; x++)
                ink += (row[x] >> 24) > 128;
        }
        if (ink < 20)
            fail_msg("%s draws nothing", name);
        SDL_FreeSurface(drawn);
    }
    assert_null(ui_icon_name_at(ui_icon_count()));
    TTF_CloseFont(font);
    TTF_Quit();
}

static void test_an_unknown_name_is_the_generic_icon(void **state)
{
    (void)state;
    assert_false(ui_icon_known("no_such_icon"));
    assert_false(ui_icon_known(NULL));
    assert_int_equal(ui_icon_codepoint("no_such_icon"), ui_icon_codepoint(UI_ICON_GENERIC));
    char glyph[8];
    ui_icon_utf8("print", glyph);
    assert_string_equal(glyph, "\xee\xa2\xad"); /* U+E8AD */
}

/* An icon widget is one glyph of the icon font, in its tone's text colour,
 * as large as its square. */
static void test_an_icon_widget_draws_one_glyph_in_its_tone(void **state)
{
    (void)state;
    ui_widget *icon =
        ui_icon_create(NULL, "icon", "print", (SDL_Rect){10, 20, 40, 40}, UI_TONE_PRIMARY);
    assert_non_null(icon);
    assert_null(icon->text); /* it says nothing: the words beside it do */
    ui_context context = {.theme = ui_theme_get(UI_THEME_HIGH_CONTRAST)};
    ui_text_part parts[UI_TEXT_PARTS_MAX];
    assert_int_equal(ui_widget_text_parts(icon, &context, parts), 1);
    assert_string_equal(parts[0].text, "\xee\xa2\xad");
    assert_int_equal(parts[0].language, UI_TEXT_ICONS);
    assert_int_equal(parts[0].style.size_px, 40);
    SDL_Color want = context.theme->tones[UI_TONE_PRIMARY].text;
    assert_memory_equal(&parts[0].style.color, &want, sizeof want);
    ui_widget_destroy(icon);
}

static void test_the_sample_catalog_names_known_icons(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/assets/catalog/sample.json", test_source_dir());
    catalog *loaded = calloc(1, sizeof *loaded);
    assert_non_null(loaded);
    assert_int_equal(catalog_load(path, loaded, NULL), KIOSK_OK);
    for (size_t i = 0; i < loaded->service_count; i++) {
        if (!ui_icon_known(loaded->services[i].icon))
            fail_msg("%s: icon \"%s\" is not in the table", loaded->services[i].id,
                     loaded->services[i].icon);
    }
    free(loaded);
}

/* Every main action's words are in every language, with a pictogram the
 * table has. */
static void test_every_action_key_has_words_and_a_known_pictogram(void **state)
{
    (void)state;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/assets/strings", test_source_dir());
    ui_strings *strings = NULL;
    assert_int_equal(ui_strings_load(dir, &strings, NULL), KIOSK_OK);
    assert_true(ui_icon_action_count() > 20);
    for (size_t i = 0; i < ui_icon_action_count(); i++) {
        const char *key = ui_icon_action_key_at(i);
        if (!ui_icon_known(ui_icon_for_key(key)))
            fail_msg("%s: pictogram \"%s\" is not in the table", key, ui_icon_for_key(key));
        for (int l = 0; l < LANG_COUNT; l++) {
            if (!ui_strings_lookup(strings, (lang)l, key))
                fail_msg("%s has no words in %s", key, lang_code((lang)l));
        }
    }
    assert_null(ui_icon_action_key_at(ui_icon_action_count()));
    assert_null(ui_icon_for_key("no.such.key"));
    assert_string_equal(ui_icon_for_key("step.next"), "arrow_forward");
    assert_true(ui_icon_after_words("step.next"));
    assert_false(ui_icon_after_words("step.back"));
    ui_strings_free(strings);
}

typedef struct glass {
    SDL_Surface *surface;
    SDL_Renderer *renderer;
    ui_context context;
} glass;

static void glass_open(glass *g, ui_theme_id theme)
{
    g->surface = SDL_CreateRGBSurfaceWithFormat(0, 800, 400, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(g->surface);
    g->renderer = SDL_CreateSoftwareRenderer(g->surface);
    assert_non_null(g->renderer);
    const char *noto = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    ui_font_source sources[LANG_COUNT] = {{noto, 2}, {noto, 3}, {noto, 2}};
    g->context = (ui_context){.renderer = g->renderer,
                              .theme = ui_theme_get(theme),
                              .metrics = ui_metrics_for_screen(1080, 1920, 268, 476, 500),
                              .language = LANG_ZH_CN};
    assert_int_equal(
        ui_text_open(g->renderer, sources, (ui_font_source){noto, 2}, &g->context.text, NULL),
        KIOSK_OK);
}

static void glass_close(glass *g)
{
    ui_text_close(g->context.text);
    SDL_DestroyRenderer(g->renderer);
    SDL_FreeSurface(g->surface);
}

/* A button with a pictogram: the glyph, then the words (for a way
 * forward, the words, then the glyph), the pair centred, the glyph in the
 * words' colour and about their size; speech and the button's own text
 * are the words alone. */
static void test_a_button_draws_its_pictogram_beside_its_words(void **state)
{
    (void)state;
    for (int t = 0; t < UI_THEME_COUNT; t++) {
        glass g;
        glass_open(&g, (ui_theme_id)t);
        ui_widget *next = ui_button_create(NULL, "step.back", "上一步", (SDL_Rect){20, 20, 360, 90},
                                           UI_ACTION_BACK, 0);
        assert_non_null(next);
        next->tone = UI_TONE_PRIMARY;
        ui_text_part plain[UI_TEXT_PARTS_MAX], parts[UI_TEXT_PARTS_MAX];
        assert_int_equal(ui_widget_text_parts(next, &g.context, plain), 1);
        assert_null(ui_button_icon(next));
        assert_true(ui_button_set_icon_for(next, "step.back"));
        assert_string_equal(ui_button_icon(next), "arrow_back");
        assert_string_equal(next->text, "上一步");
        assert_int_equal(ui_widget_text_parts(next, &g.context, parts), 2);
        const ui_text_part *icon = &parts[0], *words = &parts[1];
        assert_int_equal(icon->language, UI_TEXT_ICONS);
        assert_string_equal(icon->text, "\xee\x97\x84"); /* U+E5C4 */
        SDL_Color want = g.context.theme->tones[UI_TONE_PRIMARY].text;
        assert_memory_equal(&icon->style.color, &want, sizeof want);
        assert_memory_equal(&words->style.color, &want, sizeof want);
        /* Sized with the words, which keep their size where there is room. */
        assert_int_equal(words->style.size_px, plain[0].style.size_px);
        assert_true(icon->style.size_px >= words->style.size_px);
        assert_true(icon->style.size_px <= words->style.size_px * 3 / 2);
        /* Before the words, the pair in the middle of the button. */
        int w = 0, h = 0;
        assert_non_null(
            ui_text_get(g.context.text, words->language, words->text, words->style, &w, &h));
        assert_true(icon->box.x + icon->box.w < words->box.x);
        int left = icon->box.x - next->bounds.x;
        int right = next->bounds.x + next->bounds.w - (words->box.x + w);
        assert_true(abs(left - right) <= 2);
        /* A way forward: the words, then the glyph pointing on. */
        assert_true(ui_widget_set_text(next, "下一步"));
        assert_true(ui_button_set_icon_for(next, "step.next"));
        assert_string_equal(ui_button_icon(next), "arrow_forward");
        assert_int_equal(ui_widget_text_parts(next, &g.context, parts), 2);
        assert_string_equal(icon->text, "\xee\x97\x88"); /* U+E5C8 */
        assert_non_null(
            ui_text_get(g.context.text, words->language, words->text, words->style, &w, &h));
        assert_true(words->box.x + w < icon->box.x);
        left = words->box.x - next->bounds.x;
        right = next->bounds.x + next->bounds.w - (icon->box.x + icon->box.w);
        assert_true(abs(left - right) <= 2);
        /* Unknown or no name: the words alone. */
        assert_true(ui_button_set_icon(next, "no_such_icon"));
        assert_null(ui_button_icon(next));
        assert_int_equal(ui_widget_text_parts(next, &g.context, parts), 1);
        ui_widget_destroy(next);
        glass_close(&g);
    }
}

/* Words that fill the button: made smaller for the pictogram, never below
 * the legal least size; where even so they would not fit beside it, the
 * words alone, whole. */
static void test_a_pictogram_never_takes_the_words_place(void **state)
{
    (void)state;
    glass g;
    glass_open(&g, UI_THEME_STANDARD);
    int floor_px = ui_theme_text_px(g.context.theme, &g.context.metrics, 0);
    ui_widget *button =
        ui_button_create(NULL, "b", "", (SDL_Rect){0, 0, 600, 90}, UI_ACTION_NEXT, 0);
    assert_non_null(button);
    assert_true(ui_button_set_icon(button, "arrow_forward"));
    char words[256] = "";
    bool shrank = false, alone = false;
    for (int i = 0; i < 120 && !alone; i++) {
        strcat(words, "n");
        assert_true(ui_widget_set_text(button, words));
        ui_text_part parts[UI_TEXT_PARTS_MAX];
        size_t count = ui_widget_text_parts(button, &g.context, parts);
        const ui_text_part *text = &parts[count - 1];
        int w = 0, h = 0;
        assert_non_null(
            ui_text_get(g.context.text, text->language, text->text, text->style, &w, &h));
        if (count == 2) {
            assert_true(text->style.size_px >= floor_px);
            assert_true(w <= text->box.w);
            assert_true(parts[0].box.x + parts[0].box.w < text->box.x);
            shrank = shrank ||
                     text->style.size_px < ui_theme_text_px(g.context.theme, &g.context.metrics,
                                                            g.context.theme->button_dp);
        } else {
            /* Left out only where the words alone still fit. */
            alone = true;
            assert_true(w <= text->box.w);
        }
    }
    assert_true(shrank);
    assert_true(alone);
    ui_widget_destroy(button);
    glass_close(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_icon_is_in_the_font),
        cmocka_unit_test(test_an_unknown_name_is_the_generic_icon),
        cmocka_unit_test(test_an_icon_widget_draws_one_glyph_in_its_tone),
        cmocka_unit_test(test_the_sample_catalog_names_known_icons),
        cmocka_unit_test(test_every_action_key_has_words_and_a_known_pictogram),
        cmocka_unit_test(test_a_button_draws_its_pictogram_beside_its_words),
        cmocka_unit_test(test_a_pictogram_never_takes_the_words_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
