/* The terminal's state in words staff can act on: each device the board
 * has, the receipt paper, the platform link, the outbox (waiting, refused),
 * free disk, and the latest problem. "打印机缺纸：请补充凭条纸", never a
 * code. Built afresh each time it is shown (返回 and back again refreshes). */
#include "firmware/app/app_devices.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_print.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_staff.h"

#include "firmware/platform/store_use.h"

#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

/* Under this much free disk the outbox soon stops taking records. */
#define DISK_LOW_MB 200

static void fill(const ui_frame_model *frame, const char *key, const char *const *names,
                 const char *const *values, size_t count, char *out, size_t size)
{
    ui_strings_fill(ui_frame_text(frame, key), names, values, count, out, size);
}

static const char *paper_key(kiosk_app *app)
{
    const device_status *printer = app_device(app, DEVICE_PRINTER);
    if (printer->supply == DEVICE_SUPPLY_OUT || strcmp(printer->reason, "paper-out") == 0)
        return "staff.paper.state.out";
    if (printer->supply == DEVICE_SUPPLY_LOW)
        return "staff.paper.state.low";
    if (printer->supply == DEVICE_SUPPLY_OK)
        return "staff.paper.state.ok";
    return "staff.paper.state.unknown";
}

/* Free space where the store lives, as "12.3 GB" / "850 MB"; false when it
 * cannot be read. */
static bool free_disk(kiosk_app *app, char *out, size_t size, bool *low)
{
    struct statvfs fs;
    if (statvfs(app_board(app)->data_dir, &fs) != 0)
        return false;
    unsigned long long mb = (unsigned long long)fs.f_bavail * fs.f_frsize / (1024ULL * 1024ULL);
    *low = mb < DISK_LOW_MB;
    if (mb >= 1024)
        snprintf(out, size, "%.1f GB", (double)mb / 1024.0);
    else
        snprintf(out, size, "%llu MB", mb);
    return true;
}

/* When a record last reached the platform (app_now_ms; 0: not since the
 * program started). */
static struct {
    uint64_t delivered_at_ms;
} status;

void app_staff_delivered(kiosk_app *app)
{
    status.delivered_at_ms = app_now_ms(app);
    if (status.delivered_at_ms == 0)
        status.delivered_at_ms = 1;
}

/* The page's lines, gathered first so that they can be set in one column
 * or, where they would not fit (a wide, low panel in large text), two. */
#define LINES_MAX 16
typedef struct status_lines {
    char id[LINES_MAX][64];
    char text[LINES_MAX][400];
    ui_tone tone[LINES_MAX];
    size_t count;
} status_lines;

static void add(status_lines *lines, const char *id, const char *text, ui_tone tone)
{
    if (lines->count >= LINES_MAX)
        return;
    snprintf(lines->id[lines->count], sizeof lines->id[0], "%s", id);
    snprintf(lines->text[lines->count], sizeof lines->text[0], "%s", text);
    lines->tone[lines->count++] = tone;
}

static void gather(kiosk_app *app, const ui_frame_model *frame, status_lines *lines)
{
    char line[400];
    /* The devices the board has, each in its own words. */
    for (int kind = 0; kind < DEVICE_KIND_COUNT; kind++) {
        if (!app_devices_manager(app, (device_kind)kind))
            continue;
        const device_status *status = app_device(app, (device_kind)kind);
        if (status->kind != (device_kind)kind)
            continue; /* one whose status the app does not follow (the keypad) */
        char name_key[64], id[64];
        snprintf(name_key, sizeof name_key, "staff.device.%s", device_kind_name((device_kind)kind));
        snprintf(id, sizeof id, "staff.status.%s", device_kind_name((device_kind)kind));
        const char *names[] = {"device", "state"};
        const char *values[] = {ui_frame_text(frame, name_key),
                                app_staff_device_words(app, frame, status)};
        fill(frame, "staff.status.device", names, values, 2, line, sizeof line);
        bool trouble = status->state != DEVICE_ONLINE && status->state != DEVICE_BUSY;
        add(lines, id, line, trouble ? UI_TONE_ALERT : UI_TONE_PLAIN);
    }
    if (app_print_available(app)) {
        const char *key = paper_key(app);
        bool short_of_paper =
            strcmp(key, "staff.paper.state.out") == 0 || strcmp(key, "staff.paper.state.low") == 0;
        add(lines, "staff.status.paper", ui_frame_text(frame, key),
            short_of_paper ? UI_TONE_ALERT : UI_TONE_PLAIN);
    }
    /* The link, and what waits to go over it. */
    sync_progress progress = app_platform_link_state(app);
    platform_staff_facts facts = {0};
    if (app_platform_core(app))
        platform_staff_facts_get(app_platform_core(app), &facts);
    if (facts.counted) {
        progress.queued = facts.queued;
        progress.quarantined = facts.quarantined;
    }
    {
        const char *names[] = {"link"};
        const char *values[] = {ui_frame_text(frame, app_platform_link_key(app))};
        fill(frame, "staff.status.link", names, values, 1, line, sizeof line);
        add(lines, "staff.status.link", line,
            app_platform_configured(app) && !app_platform_link_usable(app) ? UI_TONE_ALERT
                                                                           : UI_TONE_PLAIN);
    }
    {
        char queued[24], quarantined[24];
        snprintf(queued, sizeof queued, "%lld", (long long)progress.queued);
        snprintf(quarantined, sizeof quarantined, "%lld", (long long)progress.quarantined);
        const char *names[] = {"queued", "quarantined"};
        const char *values[] = {queued, quarantined};
        fill(frame, "staff.status.outbox", names, values, 2, line, sizeof line);
        add(lines, "staff.status.outbox", line,
            progress.quarantined > 0 ? UI_TONE_ALERT : UI_TONE_PLAIN);
    }
    {
        char delivered[24];
        snprintf(delivered, sizeof delivered, "%lld", (long long)progress.delivered);
        const char *names[] = {"delivered"};
        const char *values[] = {delivered};
        fill(frame, "staff.status.delivered", names, values, 1, line, sizeof line);
        add(lines, "staff.status.delivered", line, UI_TONE_PLAIN);
    }
    /* When a record last reached the platform, since the program started. */
    if (status.delivered_at_ms) {
        char when[64];
        app_staff_ago(frame, (int64_t)((app_now_ms(app) - status.delivered_at_ms) / 1000), when,
                      sizeof when);
        const char *names[] = {"ago"};
        const char *values[] = {when};
        fill(frame, "staff.status.last_delivery", names, values, 1, line, sizeof line);
        add(lines, "staff.status.last_delivery", line, UI_TONE_PLAIN);
    } else if (app_platform_configured(app)) {
        add(lines, "staff.status.last_delivery", ui_frame_text(frame, "staff.status.no_delivery"),
            UI_TONE_PLAIN);
    }
    char free_text[32];
    bool low = false;
    if (free_disk(app, free_text, sizeof free_text, &low)) {
        const char *names[] = {"free"};
        const char *values[] = {free_text};
        fill(frame, low ? "staff.status.disk_low" : "staff.status.disk", names, values, 1, line,
             sizeof line);
        add(lines, "staff.status.disk", line, low ? UI_TONE_ALERT : UI_TONE_PLAIN);
    }
    /* The latest problem, as the store or the link said it (never personal). */
    const char *problem = facts.broken            ? facts.problem
                          : facts.write_failed[0] ? facts.write_failed
                                                  : progress.last_error;
    if (problem[0] && (facts.broken || facts.write_failed[0] ||
                       (app_platform_configured(app) && progress.link != SYNC_LINK_ONLINE))) {
        char cut[200];
        snprintf(cut, sizeof cut, "%.190s", problem);
        const char *names[] = {"error"};
        const char *values[] = {cut};
        fill(frame, "staff.status.error", names, values, 1, line, sizeof line);
        add(lines, "staff.status.error", line, UI_TONE_ALERT);
    }
}

static kiosk_error build_status(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    app_staff_page page;
    app_staff_page_begin(&page, app, frame, "staff.status.title", false);
    static status_lines lines; /* large: off the stack; built and used here only */
    memset(&lines, 0, sizeof lines);
    gather(app, frame, &lines);
    int need = 0;
    for (size_t i = 0; i < lines.count; i++)
        need += app_staff_text_h(&page, lines.text[i]) + page.screen.gap;
    bool two = !app_staff_fits(&page, need);
    if (two)
        app_staff_columns(&page);
    bool second = false;
    for (size_t i = 0; i < lines.count && page.ok; i++) {
        int h = app_staff_text_h(&page, lines.text[i]);
        if (!app_staff_fits(&page, h)) {
            if (!two || second)
                break; /* the least pressing come last: the rest is cut */
            app_staff_next_column(&page);
            second = true;
        }
        app_staff_text(&page, lines.id[i], lines.text[i], lines.tone[i]);
    }
    return app_staff_page_end(&page, out);
}

static void enter_status(kiosk_app *app)
{
    app_role_touch(app);
}

const app_controller app_staff_status_controller = {.name = "staff_status",
                                                    .build = build_status,
                                                    .enter = enter_status,
                                                    .on_action = app_staff_common_action,
                                                    .ignores_cards = true};
