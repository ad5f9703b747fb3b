/* The step screens built from models as the app builds them: a newborn's
 * registration with sixteen fields (the card's two first, locked), a choice
 * among many, the materials and the confirmation, in zh and en. See
 * step_models.h. */
#include "step_models.h"

#include "test_support.h"

/* ---- The models: what a newborn's registration looks like ---- */

#define ADDRESS_ZH "广东省深圳市南山区粤海街道科技园社区科苑路 15 号科兴科学园 B 栋 3 单元 1001 室"
#define ADDRESS_EN                                                                                 \
    "Flat 1001, Unit 3, Block B, Kexing Science Park, 15 Keyuan Road, Nanshan District, "          \
    "Shenzhen, Guangdong"

/* Sixteen fields, each in zh and en: label, value, placeholder, note,
 * problem (NULL: none); the card's two first, locked. */
static const char *const fields[16][2][5] = {
    {{"姓名", "王*明", NULL, "来自身份证", NULL},
     {"Name", "WANG *ming", NULL, "From your ID card"}},
    {{"公民身份号码", "440304********1233", NULL, "来自身份证", NULL},
     {"ID card number", "440304********1233", NULL, "From your ID card", NULL}},
    {{"联系电话", "1380013800", NULL, NULL, "手机号码应为 1 开头的 11 位数字"},
     {"Mobile number", "1380013800", NULL, NULL,
      "A mobile number has 11 digits and starts with 1"}},
    {{"婴儿姓名", "王小明"}, {"Baby's name", "WANG Xiaoming"}},
    {{"出生日期", NULL, "请输入", "如 20260315"},
     {"Date of birth", NULL, "Type it in", "Such as 20260315"}},
    {{"性别", "男"}, {"Sex", "Male"}},
    {{"民族", NULL, "请选择", NULL, "请选择一项"},
     {"Ethnic group", NULL, "Choose", NULL, "Please choose one"}},
    {{"户籍地址", ADDRESS_ZH}, {"Registered address", ADDRESS_EN}},
    {{"出生医学证明编号（在证明右上角）", "Q440012345"},
     {"Birth certificate number (top right of the certificate)", "Q440012345"}},
    {{"父亲姓名", "王大明"}, {"Father's name", "WANG Daming"}},
    {{"母亲姓名", "李小红"}, {"Mother's name", "LI Xiaohong"}},
    {{"出生地点", "深圳市妇幼保健院"}, {"Place of birth", "Shenzhen Maternity Hospital"}},
    {{"领取方式", "邮寄"}, {"How to collect", "By post"}},
    {{"邮寄地址", ADDRESS_ZH}, {"Postal address", ADDRESS_EN}},
    {{"邮政编码", NULL, "可不填"}, {"Postcode", NULL, "Optional"}},
    {{"备注", NULL, "可不填", "如有特殊情况请说明"},
     {"Notes", NULL, "Optional", "Anything we should know"}},
};
static const bool optional[16] = {[9] = true, [10] = true, [14] = true, [15] = true};

/* The first count of them (up to 16) in language (zh-TW shows the zh). */
size_t test_step_form_rows(lang language, ui_form_row *rows, size_t count)
{
    int en = language == LANG_EN;
    count = count < 16 ? count : 16;
    for (size_t i = 0; i < count; i++)
        rows[i] = (ui_form_row){.label = fields[i][en][0],
                                .value = fields[i][en][1],
                                .placeholder = fields[i][en][2],
                                .note = fields[i][en][3],
                                .problem = fields[i][en][4],
                                .locked = i < 2,
                                .required = !optional[i]};
    return count;
}

ui_step_model test_step_model(const ui_frame_model *frame, int step, const char *next_key)
{
    return (ui_step_model){.title = frame->language == LANG_EN ? "A Baby Is Born: One Visit"
                                                               : "新生儿出生一件事",
                           .step = step,
                           .steps = 7,
                           .next = true,
                           .next_key = next_key};
}

ui_widget *test_step_form(const ui_frame_model *frame, size_t count, int focus)
{
    ui_form_row rows[16];
    count = test_step_form_rows(frame->language, rows, count);
    ui_form_model model = {.intro = ui_frame_text(frame, "form.intro"),
                           .rows = rows,
                           .row_count = count,
                           .focus = focus};
    ui_step_model step = test_step_model(frame, 2, NULL);
    ui_widget *root = NULL;
    assert_int_equal(ui_form_build(frame, &step, &model, &root), KIOSK_OK);
    return root;
}

const char *const test_step_ethnic_zh[] = {"汉族",     "壮族", "回族", "满族",
                                           "维吾尔族", "苗族", "彝族", "其他民族（请到窗口登记）"};
static const char *const ethnic_en[] = {
    "Han", "Zhuang", "Hui", "Manchu", "Uyghur", "Miao", "Yi", "Another (register at a counter)"};

/* A date typed on the keypad (count 0), or count ethnic groups to choose. */
ui_widget *test_step_edit(const ui_frame_model *frame, size_t count, int chosen,
                          const char *problem)
{
    bool en = frame->language == LANG_EN;
    ui_field_edit_model model = {.label = en ? "Date of birth" : "出生日期",
                                 .help = en ? "Such as 20260315" : "如 20260315",
                                 .problem = problem,
                                 .typed = "202603",
                                 .format = ui_frame_text(frame, "edit.format.date")};
    if (count) {
        model =
            (ui_field_edit_model){.label = en ? "Ethnic group" : "民族",
                                  .help = en ? "As on the birth certificate" : "与出生医学证明一致",
                                  .problem = problem,
                                  .choices = true,
                                  .choice_labels = en ? ethnic_en : test_step_ethnic_zh,
                                  .choice_count = count,
                                  .chosen = chosen};
    }
    ui_step_model step = test_step_model(frame, 2, "edit.done");
    ui_widget *root = NULL;
    assert_int_equal(ui_field_edit_build(frame, &step, &model, &root), KIOSK_OK);
    return root;
}

ui_widget *test_step_materials(const ui_frame_model *frame, size_t count, const char *problem)
{
    bool en = frame->language == LANG_EN;
    const char *elicense = ui_frame_text(frame, "materials.elicense");
    const char *original = ui_frame_text(frame, "materials.original");
    ui_material_row all[12] = {
        {en ? "Birth certificate" : "出生医学证明", elicense, true, true},
        {en ? "Parents' ID cards" : "父母双方居民身份证", original, true, false},
        {en ? "Household register (hukou book)" : "户口簿", original, false, false},
        {en ? "Marriage certificate" : "结婚证", elicense, true, true},
        {en ? "Vaccination record" : "预防接种证", NULL, false, false},
        {en ? "Social insurance card application form, signed by a parent"
            : "社会保障卡申领登记表（需父母一方签字）",
         original, false, false},
    };
    for (size_t i = 6; i < 12; i++)
        all[i] = (ui_material_row){en ? "Supporting document" : "其他证明材料", original,
                                   i % 2 == 0, false};
    ui_materials_model model = {.intro = ui_frame_text(frame, "materials.intro"),
                                .rows = all,
                                .row_count = count,
                                .problem = problem};
    ui_step_model step = test_step_model(frame, 3, NULL);
    ui_widget *root = NULL;
    assert_int_equal(ui_materials_build(frame, &step, &model, &root), KIOSK_OK);
    return root;
}

ui_widget *test_step_confirm(const ui_frame_model *frame, size_t count, bool offline)
{
    ui_form_row rows[16];
    size_t rows_made = test_step_form_rows(frame->language, rows, 16);
    ui_summary_line lines[20];
    for (size_t i = 0; i < count && i < 20; i++) {
        const ui_form_row *row = &rows[i % rows_made];
        lines[i] = (ui_summary_line){row->label, row->value && row->value[0] ? row->value : "—",
                                     row->personal};
    }
    bool en = frame->language == LANG_EN;
    static const char *const items_zh[] = {"出生医学证明 · 卫生健康委", "户口登记 · 公安局",
                                           "医保参保登记 · 医保局", "社保卡申领 · 人社局"};
    static const char *const items_en[] = {
        "Birth certificate · Health Commission", "Household registration · Public Security",
        "Medical insurance · Healthcare Security", "Social insurance card · Human Resources"};
    ui_confirm_model model = {.intro = ui_frame_text(frame, "confirm.intro"),
                              .lines = lines,
                              .line_count = count,
                              .items_heading = ui_frame_text(frame, "confirm.items"),
                              .items = en ? items_en : items_zh,
                              .item_count = 4,
                              .note = offline ? ui_frame_text(frame, "confirm.offline") : NULL,
                              .note_problem = offline};
    ui_step_model step = test_step_model(frame, 4, "step.submit");
    ui_widget *root = NULL;
    assert_int_equal(ui_confirm_build(frame, &step, &model, &root), KIOSK_OK);
    return root;
}
