/* The icon table: every pictogram named is in the Debian icon font, an
 * unknown name is the generic one, and every service of the sample catalog
 * names one the table has. */
#include "../support/test_support.h"

#include "firmware/services/catalog.h"
#include "ui/icons.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_icon_is_in_the_font),
        cmocka_unit_test(test_an_unknown_name_is_the_generic_icon),
        cmocka_unit_test(test_an_icon_widget_draws_one_glyph_in_its_tone),
        cmocka_unit_test(test_the_sample_catalog_names_known_icons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
