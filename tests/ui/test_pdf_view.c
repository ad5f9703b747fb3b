/* A certificate's preview: a real two-page A4 PDF drawn by cairo, opened
 * and rendered by poppler into the preview screen as the app builds it;
 * the page large, A4-shaped, its marks where the PDF put them, paged with
 * big buttons; and without a preview, a plain word instead. The screens
 * are written to build/test-output/document-*.png to be looked at. */
#include "../support/test_support.h"

#include "firmware/base/log.h"
#include "ui/image.h"
#include "ui/pdf_view.h"
#include "ui/screens.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef KIOSK_HAVE_POPPLER_GLIB
#include <cairo-pdf.h>
#include <cairo.h>
#endif

#define NOTO "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
#define WQY  "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
#define W    1080
#define H    1920

typedef struct glass {
    SDL_Surface *surface;
    SDL_Renderer *renderer;
    ui_text *text;
    ui_strings *strings;
    ui_frame_model frame;
} glass;

static glass g;

static int setup(void **state)
{
    (void)state;
    log_set_level(LOG_LEVEL_ERROR);
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/assets/strings", test_source_dir());
    kiosk_diag diag = {{0}};
    if (ui_strings_load(dir, &g.strings, &diag) != KIOSK_OK)
        return -1;
    g.surface = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
    g.renderer = g.surface ? SDL_CreateSoftwareRenderer(g.surface) : NULL;
    ui_font_source sources[LANG_COUNT] = {{NOTO, 2}, {NOTO, 3}, {NOTO, 2}};
    if (!g.renderer ||
        ui_text_open(g.renderer, sources, (ui_font_source){WQY, 0}, &g.text, &diag) != KIOSK_OK)
        return -1;
    g.frame = (ui_frame_model){.strings = g.strings,
                               .language = LANG_ZH_CN,
                               .metrics = ui_metrics_for_screen(W, H, 268, 476, 500),
                               .theme = ui_theme_get(UI_THEME_STANDARD),
                               .theme_id = UI_THEME_STANDARD,
                               .hall_name = "市民中心 24 小时政务服务区",
                               .clock_text = "2026年12月7日 12:19"};
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ui_text_close(g.text);
    SDL_DestroyRenderer(g.renderer);
    SDL_FreeSurface(g.surface);
    ui_strings_free(g.strings);
    return 0;
}

static void render(const ui_widget *root, const char *name)
{
    SDL_Color page = g.frame.theme->page;
    SDL_SetRenderDrawColor(g.renderer, page.r, page.g, page.b, 255);
    SDL_RenderClear(g.renderer);
    ui_context context = {.renderer = g.renderer,
                          .text = g.text,
                          .theme = g.frame.theme,
                          .metrics = g.frame.metrics,
                          .language = g.frame.language};
    ui_widget_draw_tree(root, &context);
    SDL_RenderFlush(g.renderer);
    char path[1200];
    snprintf(path, sizeof path, "%s/build/test-output", test_source_dir());
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/build/test-output/document-%s.png", test_source_dir(), name);
    kiosk_diag diag = {{0}};
    assert_int_equal(ui_image_save_png(g.surface, path, &diag), KIOSK_OK);
}

#ifdef KIOSK_HAVE_POPPLER_GLIB
/* What a rendered page looks like (only a build with poppler renders one). */
static SDL_Color pixel_at(int x, int y)
{
    Uint32 p = ((Uint32 *)((Uint8 *)g.surface->pixels + y * g.surface->pitch))[x];
    return (SDL_Color){(Uint8)(p >> 16), (Uint8)(p >> 8), (Uint8)p, 255};
}

static bool dark(SDL_Color c)
{
    return c.r < 80 && c.g < 80 && c.b < 80;
}

static bool white(SDL_Color c)
{
    return c.r > 240 && c.g > 240 && c.b > 240;
}
#endif

static ui_step_model step(bool next)
{
    return (ui_step_model){.title = "社保参保证明打印",
                           .step = 2,
                           .steps = 3,
                           .next = next,
                           .next_key = "document.print"};
}

#ifdef KIOSK_HAVE_POPPLER_GLIB

/* A4 in points; the mark on page 1 (a black square) and page 2. */
#define A4_W   595.28
#define A4_H   841.89
#define MARK_X 400.0
#define MARK_Y 100.0
#define MARK   80.0

typedef struct pdf_bytes {
    unsigned char *data;
    size_t length;
} pdf_bytes;

static cairo_status_t append(void *closure, const unsigned char *data, unsigned int length)
{
    pdf_bytes *b = closure;
    unsigned char *grown = realloc(b->data, b->length + length);
    if (!grown)
        return CAIRO_STATUS_WRITE_ERROR;
    memcpy(grown + b->length, data, length);
    b->data = grown;
    b->length += length;
    return CAIRO_STATUS_SUCCESS;
}

/* Two A4 pages: a title in Chinese and a black square top right on the
 * first, a black band across the foot of the second. */
static pdf_bytes make_pdf(void)
{
    pdf_bytes b = {0};
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(append, &b, A4_W, A4_H);
    cairo_t *cr = cairo_create(surface);
    cairo_select_font_face(cr, "Noto Sans CJK SC", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 28);
    cairo_move_to(cr, 60, 80);
    cairo_show_text(cr, "社会保险参保缴费证明");
    cairo_set_font_size(cr, 14);
    for (int line = 0; line < 20; line++) {
        cairo_move_to(cr, 60, 240 + line * 24);
        cairo_show_text(cr, "2026-11    17057.00    1364.56    2729.12");
    }
    cairo_rectangle(cr, MARK_X, MARK_Y, MARK, MARK);
    cairo_fill(cr);
    cairo_show_page(cr);
    cairo_rectangle(cr, 0, A4_H - 120, A4_W, 60);
    cairo_fill(cr);
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    assert_int_equal(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(surface);
    assert_true(b.length > 1000);
    return b;
}

static void test_a_pdf_opens_with_its_pages(void **state)
{
    (void)state;
    assert_true(ui_pdf_available());
    pdf_bytes b = make_pdf();
    ui_pdf *pdf = NULL;
    assert_int_equal(ui_pdf_open(b.data, b.length, &pdf), KIOSK_OK);
    assert_int_equal(ui_pdf_page_count(pdf), 2);
    SDL_Rect shown = ui_pdf_view_page_rect(pdf, 0, (SDL_Rect){0, 0, 1000, 1000});
    assert_int_equal(shown.h, 998);              /* as tall as fits, a pixel's edge each side */
    assert_true(shown.w > 700 && shown.w < 708); /* and A4-shaped */
    ui_pdf_close(pdf);
    /* What is not a PDF does not open. */
    static const char html[] = "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>";
    assert_int_equal(ui_pdf_open(html, sizeof html - 1, &pdf), KIOSK_ERR_MALFORMED);
    assert_null(pdf);
    explicit_bzero(b.data, b.length);
    free(b.data);
}

static void test_every_page_is_shown_large_and_paged(void **state)
{
    (void)state;
    pdf_bytes b = make_pdf();
    ui_pdf *pdf = NULL;
    assert_int_equal(ui_pdf_open(b.data, b.length, &pdf), KIOSK_OK);
    for (int page = 0; page < 2; page++) {
        char page_text[32];
        snprintf(page_text, sizeof page_text, "第 %d 页，共 2 页", page + 1);
        ui_step_model s = step(true);
        ui_document_preview_model model = {.title = "社会保险参保缴费证明",
                                           .pdf = pdf,
                                           .page = page,
                                           .page_count = 2,
                                           .page_text = page_text,
                                           .unavailable = "",
                                           .code_text = "验证码：2CB8-ACA7-4293-83A7",
                                           .previous = "上一页",
                                           .following = "下一页"};
        ui_widget *root = NULL;
        uint64_t start = SDL_GetTicks64();
        assert_int_equal(ui_document_preview_build(&g.frame, &s, &model, &root), KIOSK_OK);
        render(root, page == 0 ? "preview-1" : "preview-2");
        printf("page %d built and drawn in %llu ms\n", page + 1,
               (unsigned long long)(SDL_GetTicks64() - start));
        ui_widget *view = ui_widget_find(root, "document.page");
        assert_non_null(view);
        assert_string_equal(view->text, page_text);
        SDL_Rect shown = ui_pdf_view_page_rect(pdf, page, view->bounds);
        /* Large enough to read: over half the glass's height, and A4. */
        assert_true(shown.h > H / 2);
        double aspect = (double)shown.h / shown.w;
        assert_true(aspect > 1.40 && aspect < 1.43);
        double scale = shown.w / A4_W;
        if (page == 0) {
            /* The square is where the PDF put it; paper around it. */
            int x = shown.x + (int)((MARK_X + MARK / 2) * scale);
            int y = shown.y + (int)((MARK_Y + MARK / 2) * scale);
            assert_true(dark(pixel_at(x, y)));
            assert_true(white(pixel_at(x, shown.y + (int)((MARK_Y - 20) * scale))));
            assert_true(white(pixel_at(shown.x + 4, shown.y + shown.h - 8)));
        } else {
            int y = shown.y + (int)((A4_H - 90) * scale);
            assert_true(dark(pixel_at(shown.x + shown.w / 2, y)));
            assert_true(white(pixel_at(shown.x + (int)((MARK_X + MARK / 2) * scale),
                                       shown.y + (int)((MARK_Y + MARK / 2) * scale))));
        }
        /* Paged with big buttons; the way past either end is not there. */
        ui_widget *previous = ui_widget_find(root, "document.previous");
        ui_widget *following = ui_widget_find(root, "document.next_page");
        assert_non_null(previous);
        assert_non_null(following);
        assert_true(previous->bounds.h >= ui_dp(&g.frame.metrics, g.frame.theme->min_target_dp));
        assert_int_equal((previous->flags & UI_FLAG_TAPPABLE) != 0, page == 1);
        assert_int_equal((previous->flags & UI_FLAG_HIDDEN) != 0, page == 0);
        assert_int_equal((following->flags & UI_FLAG_TAPPABLE) != 0, page == 0);
        assert_int_equal((following->flags & UI_FLAG_HIDDEN) != 0, page == 1);
        assert_non_null(ui_widget_find(root, "step.next"));
        assert_string_equal(ui_widget_find(root, "step.next")->text, "打印");
        ui_widget_destroy(root);
    }
    ui_pdf_close(pdf);
    explicit_bzero(b.data, b.length);
    free(b.data);
}

/* The printer out of paper: said before 打印 is pressed, and the button
 * asks the printer again instead. */
static void test_a_printer_that_cannot_print_is_said_before(void **state)
{
    (void)state;
    pdf_bytes b = make_pdf();
    ui_pdf *pdf = NULL;
    assert_int_equal(ui_pdf_open(b.data, b.length, &pdf), KIOSK_OK);
    ui_step_model s = step(true);
    s.next_key = "document.again";
    const char *problem = "现在不能打印：A4打印机没有纸了。请到窗口办理，已通知工作人员。";
    ui_document_preview_model model = {.title = "个人所得税纳税记录",
                                       .pdf = pdf,
                                       .page_count = 1,
                                       .page_text = "第 1 页，共 1 页",
                                       .code_text = "验证码：AEF9-66DA-A9EB-AEFD",
                                       .printer_problem = problem};
    ui_widget *root = NULL;
    assert_int_equal(ui_document_preview_build(&g.frame, &s, &model, &root), KIOSK_OK);
    render(root, "printer-problem");
    ui_widget *said = ui_widget_find(root, "document.printer");
    assert_non_null(said);
    assert_string_equal(said->text, problem);
    assert_string_equal(ui_widget_find(root, "step.next")->text, "再试一次");
    assert_null(ui_widget_find(root, "document.previous")); /* one page: no paging */
    ui_widget_destroy(root);
    ui_pdf_close(pdf);
    free(b.data);
}

#endif

/* Without a renderer the page's place says so, and 打印 is still there. */
static void test_without_a_preview_it_says_so_and_still_prints(void **state)
{
    (void)state;
    ui_step_model s = step(true);
    const char *word =
        "本机不能显示证明的预览。证明由平台出具，打印出来即是平台上的内容，您可以直接打印。";
    ui_document_preview_model model = {.title = "营业执照（副本）",
                                       .pdf = NULL,
                                       .page_count = 1,
                                       .page_text = "第 1 页，共 1 页",
                                       .unavailable = word,
                                       .code_text = "验证码：88C5-28E3-9C35-933E"};
    ui_widget *root = NULL;
    assert_int_equal(ui_document_preview_build(&g.frame, &s, &model, &root), KIOSK_OK);
    render(root, "no-preview");
    assert_null(ui_widget_find(root, "document.page"));
    assert_string_equal(ui_widget_find(root, "document.unavailable")->text, word);
    assert_non_null(ui_widget_find(root, "step.next"));
    ui_widget_destroy(root);
#ifndef KIOSK_HAVE_POPPLER_GLIB
    ui_pdf *pdf = NULL;
    assert_false(ui_pdf_available());
    assert_int_equal(ui_pdf_open("%PDF-1.5", 8, &pdf), KIOSK_ERR_UNSUPPORTED);
    printf("built without poppler-glib: the preview is unavailable, as the screen says\n");
#endif
}

/* Which enterprise, and how the certificate's way ends: for a person to
 * look at, and the ids the app taps. */
static void test_the_list_and_the_status_screens(void **state)
{
    (void)state;
    ui_document_row rows[] = {{"营业执照（副本）", "深圳市鹏程示范科技有限公司"},
                              {"营业执照（副本）", "深圳市南山区晨光便利店"}};
    ui_document_list_model list = {.intro = "请选择要查看和打印的一份：", .rows = rows, .count = 2};
    ui_step_model s = step(false);
    ui_widget *root = NULL;
    assert_int_equal(ui_document_list_build(&g.frame, &s, &list, &root), KIOSK_OK);
    render(root, "list");
    ui_widget *second = ui_widget_find(root, "document.row.1");
    assert_non_null(second);
    assert_int_equal(second->action, UI_ACTION_CHOOSE);
    assert_int_equal(second->action_arg, 1);
    assert_string_equal(second->detail, "深圳市南山区晨光便利店");
    ui_widget_destroy(root);

    ui_document_status_model done = {.title = "请取走您的证明",
                                     .body =
                                         "证明已打印好，在 A4 出纸口，请带好。本机已删除这份证明。",
                                     .primary = "完成",
                                     .primary_action = UI_ACTION_NEXT};
    assert_int_equal(ui_document_status_build(&g.frame, &done, &root), KIOSK_OK);
    render(root, "printed");
    assert_int_equal(ui_widget_find(root, "document.primary")->action, UI_ACTION_NEXT);
    assert_null(ui_widget_find(root, "document.secondary"));
    ui_widget_destroy(root);
}

int main(void)
{
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    const struct CMUnitTest tests[] = {
#ifdef KIOSK_HAVE_POPPLER_GLIB
        cmocka_unit_test(test_a_pdf_opens_with_its_pages),
        cmocka_unit_test(test_every_page_is_shown_large_and_paged),
        cmocka_unit_test(test_a_printer_that_cannot_print_is_said_before),
#endif
        cmocka_unit_test(test_without_a_preview_it_says_so_and_still_prints),
        cmocka_unit_test(test_the_list_and_the_status_screens),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
