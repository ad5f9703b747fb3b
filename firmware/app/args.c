#include "firmware/app/args.h"

#include "ui/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *args_usage(void)
{
    return "usage: kiosk [options]\n"
           "  --board NAME|PATH     board profile (board/profiles/NAME.json; "
           "default " KIOSK_DEFAULT_BOARD ")\n"
           "  --lang zh-CN|zh-TW|en language to start in (default: the board's)\n"
           "  --headless            no display: offscreen video, software renderer\n"
           "  --screenshot FILE.png draw the first screen, write it as PNG, exit\n"
           "  --start-screen NAME   attract (default), home, or paused (out of service:\n"
           "                        what the supervisor starts when the kiosk keeps failing)\n"
           "  --theme NAME          standard (default), elder or high-contrast, until the\n"
           "                        first session ends (previews and screenshots)\n"
           "  --catalog FILE        service catalog (default assets/catalog/sample.json)\n"
           "  --share DIR           where assets/ and board/ live (default: found from the "
           "program)\n"
           "  --log-level LEVEL     error, warn, info (default) or debug\n"
           "  --report-first-frame  print timing and memory at the first frame\n"
           "  --bench-redraws N     redraw N frames, print the mean time, exit\n"
           "  --version             print the version\n"
           "  --help                print this\n";
}

static kiosk_error copy_value(char *dst, size_t size, const char *option, const char *value,
                              kiosk_diag *diag)
{
    if (strlen(value) >= size)
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT, "%s: value too long", option);
    memcpy(dst, value, strlen(value) + 1);
    return KIOSK_OK;
}

static kiosk_error parse_count(const char *option, const char *value, int *out, kiosk_diag *diag)
{
    char *end = NULL;
    long number = strtol(value, &end, 10);
    if (end == value || *end != '\0' || number < 1 || number > 1000000)
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT,
                              "%s: expected a number from 1 to 1000000, got \"%s\"", option, value);
    *out = (int)number;
    return KIOSK_OK;
}

kiosk_error args_parse(int argc, char **argv, kiosk_args *out, kiosk_diag *diag)
{
    memset(out, 0, sizeof *out);
    memcpy(out->board, KIOSK_DEFAULT_BOARD, sizeof KIOSK_DEFAULT_BOARD);
    out->level = LOG_LEVEL_INFO;

    for (int i = 1; i < argc; i++) {
        const char *option = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes_value = true;
        kiosk_error result = KIOSK_OK;

        if (strcmp(option, "--headless") == 0) {
            out->headless = true;
            takes_value = false;
        } else if (strcmp(option, "--report-first-frame") == 0) {
            out->report_first_frame = true;
            takes_value = false;
        } else if (strcmp(option, "--help") == 0 || strcmp(option, "-h") == 0) {
            out->show_help = true;
            takes_value = false;
        } else if (strcmp(option, "--version") == 0) {
            out->show_version = true;
            takes_value = false;
        } else if (!value &&
                   (strcmp(option, "--board") == 0 || strcmp(option, "--lang") == 0 ||
                    strcmp(option, "--screenshot") == 0 || strcmp(option, "--catalog") == 0 ||
                    strcmp(option, "--share") == 0 || strcmp(option, "--log-level") == 0 ||
                    strcmp(option, "--bench-redraws") == 0)) {
            return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT, "%s needs a value", option);
        } else if (strcmp(option, "--board") == 0) {
            result = copy_value(out->board, sizeof out->board, option, value, diag);
        } else if (strcmp(option, "--screenshot") == 0) {
            result = copy_value(out->screenshot, sizeof out->screenshot, option, value, diag);
        } else if (strcmp(option, "--catalog") == 0) {
            result = copy_value(out->catalog, sizeof out->catalog, option, value, diag);
        } else if (strcmp(option, "--share") == 0) {
            result = copy_value(out->share_dir, sizeof out->share_dir, option, value, diag);
        } else if (strcmp(option, "--lang") == 0) {
            if (!lang_parse(value, &out->language))
                return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT,
                                      "--lang: \"%s\" is not zh-CN, zh-TW or en", value);
            out->language_given = true;
        } else if (strcmp(option, "--start-screen") == 0) {
            if (strcmp(value, "home") != 0 && strcmp(value, "attract") != 0 &&
                strcmp(value, "paused") != 0)
                return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT,
                                      "--start-screen: \"%s\" is not attract, home or paused",
                                      value);
            out->start_home = strcmp(value, "home") == 0;
            out->start_paused = strcmp(value, "paused") == 0;
        } else if (strcmp(option, "--theme") == 0) {
            int found = -1;
            for (int t = 0; t < UI_THEME_COUNT; t++) {
                if (strcmp(value, ui_theme_name((ui_theme_id)t)) == 0)
                    found = t;
            }
            if (found < 0)
                return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT,
                                      "--theme: \"%s\" is not standard, elder or high-contrast",
                                      value);
            out->theme = found;
        } else if (strcmp(option, "--log-level") == 0) {
            if (!log_level_parse(value, &out->level))
                return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT,
                                      "--log-level: \"%s\" is not error, warn, info or debug",
                                      value);
        } else if (strcmp(option, "--bench-redraws") == 0) {
            result = parse_count(option, value, &out->bench_redraws, diag);
        } else {
            return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT,
                                  "unknown option \"%s\" (try --help)", option);
        }
        if (result != KIOSK_OK)
            return result;
        if (takes_value)
            i++;
    }
    return KIOSK_OK;
}
