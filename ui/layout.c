/* Layout helpers for the screens. See ui/layout.h. */
#include "ui/layout.h"

#include "ui/scroll_view.h"

SDL_Rect ui_stack_take(ui_stack *stack, int h)
{
    SDL_Rect box = {stack->x, stack->y, stack->w, h};
    stack->y += h + stack->gap;
    return box;
}

SDL_Rect ui_column(SDL_Rect area, int columns, int gap, int i)
{
    int w = (area.w - (columns - 1) * gap) / columns;
    return (SDL_Rect){area.x + i * (w + gap), area.y, w, area.h};
}

SDL_Rect ui_column_rest(SDL_Rect area, int columns, int gap)
{
    SDL_Rect last = ui_column(area, columns, gap, columns - 1);
    last.w = area.x + area.w - last.x;
    return last;
}

int ui_lines_h(const ui_frame_model *frame, const char *text, float dp, int width, int most)
{
    return ui_frame_lines_for(frame, text, dp, width, most) * ui_frame_line_px(frame, dp);
}

ui_widget *ui_wrapped_text_create(ui_widget *parent, const ui_widget_class *class_, const char *id,
                                  const char *text, SDL_Rect box, float dp, ui_tone tone)
{
    ui_widget *widget = ui_widget_create(parent, class_, id);
    if (!widget || !ui_widget_set_text(widget, text ? text : ""))
        return NULL;
    widget->bounds = box;
    widget->text_dp = dp;
    widget->wrap = true;
    widget->align = UI_ALIGN_START;
    widget->tone = tone;
    return widget;
}

/* The height of the rows in columns across wide at pad_dp, and each line's
 * in heights when not NULL. */
static int stack_height(ui_fit_measure measure, const void *user, size_t count, int columns,
                        int wide, float pad_dp, int gap, int *heights)
{
    int row_w = (wide - (columns - 1) * gap) / columns, total = -gap;
    for (size_t first = 0; first < count; first += (size_t)columns) {
        int tallest = 0;
        for (size_t i = first; i < count && i < first + (size_t)columns; i++) {
            int h = measure(user, i, row_w, pad_dp);
            tallest = h > tallest ? h : tallest;
        }
        if (heights)
            heights[first / (size_t)columns] = tallest;
        total += tallest + gap;
    }
    return total;
}

bool ui_fit_list_begin(ui_fit_list *list, ui_widget *root, const char *scroll_id, SDL_Rect room,
                       int columns, int gap, size_t count, float easy_pad_dp, float tight_pad_dp,
                       ui_fit_measure measure, const void *user)
{
    *list = (ui_fit_list){.room = room, .columns = columns > 0 ? columns : 1, .gap = gap};
    list->count = count < UI_FIT_ROWS_MAX ? count : UI_FIT_ROWS_MAX;
    for (int attempt = 0; attempt < 3; attempt++) {
        list->pad_dp = attempt == 0 ? easy_pad_dp : tight_pad_dp;
        list->scrolls = attempt == 2;
        if (stack_height(measure, user, list->count, list->columns,
                         list->scrolls ? room.w - gap : room.w, list->pad_dp, gap, NULL) <= room.h)
            break;
    }
    int list_w = list->scrolls ? room.w - gap : room.w;
    list->row_w = (list_w - (list->columns - 1) * gap) / list->columns;
    stack_height(measure, user, list->count, list->columns, list_w, list->pad_dp, gap,
                 list->line_h);
    int y = room.y;
    size_t lines = (list->count + (size_t)list->columns - 1) / (size_t)list->columns;
    for (size_t line = 0; line < lines; line++) {
        list->line_y[line] = y;
        y += list->line_h[line] + gap;
    }
    list->parent = list->scrolls ? ui_scroll_view_create(root, scroll_id, room) : root;
    return list->parent != NULL;
}

SDL_Rect ui_fit_list_box(const ui_fit_list *list, size_t index)
{
    size_t line = index / (size_t)list->columns;
    int column = (int)(index % (size_t)list->columns);
    return (SDL_Rect){list->room.x + column * (list->row_w + list->gap), list->line_y[line],
                      list->row_w, list->line_h[line]};
}

void ui_fit_list_end(ui_fit_list *list, const ui_widget *reveal)
{
    if (!list->scrolls)
        return;
    ui_scroll_view_update_extent(list->parent);
    if (reveal)
        ui_scroll_view_reveal(list->parent, reveal);
}

/* The margins, the gap and the area, once root and content are made. */
static bool screen_lay_out(ui_screen *screen, float margin_dp, float gap_dp)
{
    const ui_metrics *m = &screen->frame->metrics;
    if (!screen->root)
        return false;
    screen->margin = ui_dp(m, margin_dp);
    screen->gap = ui_dp(m, gap_dp);
    SDL_Rect c = screen->content;
    int margin = screen->margin;
    screen->area = (SDL_Rect){c.x + margin, c.y + margin, c.w - 2 * margin, c.h - 2 * margin};
    screen->y = screen->area.y;
    screen->bottom = screen->area.y + screen->area.h;
    return true;
}

bool ui_screen_begin(ui_screen *screen, const ui_frame_model *frame, float margin_dp, float gap_dp)
{
    *screen = (ui_screen){.frame = frame};
    screen->root = ui_frame_build(frame, &screen->content);
    return screen_lay_out(screen, margin_dp, gap_dp);
}

bool ui_screen_begin_bare(ui_screen *screen, const ui_frame_model *frame, float margin_dp,
                          float gap_dp)
{
    const ui_metrics *m = &frame->metrics;
    *screen = (ui_screen){.frame = frame, .content = {0, 0, m->width_px, m->height_px}};
    screen->root = ui_panel_create(NULL, UI_ID_PAGE, screen->content, UI_TONE_PLAIN);
    return screen_lay_out(screen, margin_dp, gap_dp);
}

ui_widget *ui_screen_title(ui_screen *screen, const char *id, const char *text, float dp)
{
    ui_widget *title = ui_heading_create(
        screen->root, id, text, ui_screen_take(screen, ui_frame_line_px(screen->frame, dp)));
    if (title)
        title->text_dp = dp;
    return title;
}

int ui_screen_target_h(const ui_screen *screen)
{
    const ui_frame_model *frame = screen->frame;
    return ui_dp(&frame->metrics, frame->theme->min_target_dp + 8);
}

int ui_screen_button_h(const ui_screen *screen, float dp)
{
    int h = ui_frame_line_px(screen->frame, dp) + screen->gap;
    int least = ui_screen_target_h(screen);
    return h > least ? h : least;
}

int ui_screen_large_button_h(const ui_screen *screen, float dp)
{
    int h = ui_frame_line_px(screen->frame, dp) + 2 * screen->gap;
    int least = ui_screen_target_h(screen);
    return h > least ? h : least;
}

ui_widget *ui_screen_button(ui_screen *screen, const char *id, const char *text, SDL_Rect box,
                            ui_action action, int action_arg, ui_tone tone, float dp)
{
    ui_widget *button = ui_button_create(screen->root, id, text, box, action, action_arg);
    if (button) {
        button->tone = tone;
        button->text_dp = dp;
    }
    return button;
}

SDL_Rect ui_screen_foot(ui_screen *screen, int h)
{
    SDL_Rect row = {screen->area.x, screen->bottom - h, screen->area.w, h};
    screen->bottom = row.y - screen->gap;
    return row;
}

SDL_Rect ui_screen_take(ui_screen *screen, int h)
{
    SDL_Rect box = {screen->area.x, screen->y, screen->area.w, h};
    screen->y += h;
    return box;
}

ui_stack ui_screen_stack(const ui_screen *screen, int gap)
{
    return (ui_stack){screen->area.x, screen->y, screen->area.w, gap};
}

SDL_Rect ui_screen_rest(const ui_screen *screen)
{
    return (SDL_Rect){screen->area.x, screen->y, screen->area.w, screen->bottom - screen->y};
}

void ui_screen_centre(ui_screen *screen, int block_h)
{
    int room = screen->bottom - screen->y;
    if (room > block_h)
        screen->y += (room - block_h) / 2;
}

kiosk_error ui_screen_end(ui_screen *screen, bool ok, ui_widget **out)
{
    if (!ok) {
        ui_widget_destroy(screen->root);
        screen->root = NULL;
        return KIOSK_ERR_NO_MEMORY;
    }
    *out = screen->root;
    return KIOSK_OK;
}
