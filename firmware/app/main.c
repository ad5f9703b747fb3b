/* kiosk: the self-service terminal firmware. */
#include "firmware/app/app.h"
#include "firmware/app/args.h"
#include "firmware/base/event_channel.h"
#include "firmware/base/log.h"
#include "firmware/base/wipe_alloc.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "0.0.0-dev"
#endif

/* Exit codes (sysexits.h): the supervisor restarts on software errors, not on
 * a broken configuration a restart cannot mend. */
enum {
    EXIT_USAGE = 64,
    EXIT_UNAVAILABLE = 69,
    EXIT_SOFTWARE = 70,
    EXIT_CONFIG = 78,
};

static int exit_code_for(kiosk_error error)
{
    switch (error) {
    case KIOSK_OK:
        return 0;
    case KIOSK_ERR_NOT_FOUND:
    case KIOSK_ERR_MALFORMED:
    case KIOSK_ERR_TOO_BIG:
    case KIOSK_ERR_FONT:
        return EXIT_CONFIG;
    case KIOSK_ERR_DISPLAY:
        return EXIT_UNAVAILABLE;
    default:
        return EXIT_SOFTWARE;
    }
}

/* SIGINT and SIGTERM are blocked in every thread and taken here, synchronously,
 * then passed to the main loop as an ordinary event. SIGUSR1 ends the thread. */
static void *signal_thread(void *unused)
{
    (void)unused;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR1);
    for (;;) {
        int signal_number = 0;
        if (sigwait(&set, &signal_number) != 0 || signal_number == SIGUSR1)
            return NULL;
        LOG_INFO("main", "signal %d: shutting down", signal_number);
        if (event_channel_post(APP_EVENT_QUIT, NULL, NULL) != KIOSK_OK)
            LOG_WARN("main", "cannot pass the signal on; it will be handled on the next one");
    }
}

int main(int argc, char **argv)
{
    /* Before any thread: the text cJSON prints and parses (a submission's
     * body, the platform's answers) is zeroed when cJSON frees it. */
    wipe_alloc_cjson();
    kiosk_args args;
    kiosk_diag diag = {{0}};
    if (args_parse(argc, argv, &args, &diag) != KIOSK_OK) {
        fprintf(stderr, "kiosk: %s\n", diag.message);
        return EXIT_USAGE;
    }
    if (args.show_help) {
        fputs(args_usage(), stdout);
        return 0;
    }
    if (args.show_version) {
        printf("kiosk %s\n", KIOSK_VERSION);
        return 0;
    }
    log_set_level(args.level);
    if (!args.share_dir[0])
        app_find_share_dir(argv[0], args.share_dir, sizeof args.share_dir);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");

    kiosk_app *app = NULL;
    kiosk_error result = app_create(&args, NULL, &app, &diag);
    if (result != KIOSK_OK) {
        fprintf(stderr, "kiosk: %s\n", diag.message);
        SDL_Quit();
        return exit_code_for(result);
    }
    pthread_t signals;
    bool have_signals = pthread_create(&signals, NULL, signal_thread, NULL) == 0;

    result = app_run(app);
    /* Staff asked for a restart: a clean stop, then the supervisor's start. */
    bool restart = result == KIOSK_OK && app_restart_requested(app);

    if (have_signals) {
        pthread_kill(signals, SIGUSR1);
        pthread_join(signals, NULL);
    }
    app_destroy(app);
    SDL_Quit();
    return restart ? APP_EXIT_RESTART : exit_code_for(result);
}
