/* The certificate screens for audits. See document_screens.h. */
#include "document_screens.h"

#include "test_support.h"

static ui_step_model step_of(const char *next_key)
{
    return (ui_step_model){.title = "营业执照打印",
                           .step = 2,
                           .steps = 3,
                           .next = next_key != NULL,
                           .next_key = next_key};
}

ui_widget *test_document_list_screen(const ui_frame_model *frame)
{
    static const ui_document_row rows[] = {{"营业执照（副本）", "深圳市鹏程示范科技有限公司"},
                                           {"营业执照（副本）", "深圳市南山区晨光便利店"},
                                           {"结婚证（电子证照）", "婚姻登记机关"}};
    ui_document_list_model list = {
        .intro = ui_frame_text(frame, "document.list.intro"), .rows = rows, .count = 3};
    ui_step_model step = step_of(NULL);
    ui_widget *root = NULL;
    assert_int_equal(ui_document_list_build(frame, &step, &list, &root), KIOSK_OK);
    return root;
}

ui_widget *test_document_preview_screen(const ui_frame_model *frame)
{
    ui_document_preview_model preview = {
        .title = "社会保险参保缴费证明",
        .page = 1,
        .page_count = 2,
        .page_text = "第 2 页，共 2 页",
        .unavailable = ui_frame_text(frame, "document.unavailable"),
        .code_text = "验证码：2CB8-ACA7-4293-83A7",
        .printer_problem = ui_frame_text(frame, "document.printer_problem"),
        .previous = ui_frame_text(frame, "document.previous"),
        .following = ui_frame_text(frame, "document.following")};
    ui_step_model step = step_of("document.again");
    ui_widget *root = NULL;
    assert_int_equal(ui_document_preview_build(frame, &step, &preview, &root), KIOSK_OK);
    return root;
}
