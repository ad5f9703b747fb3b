/* Between the admin socket's worker (app_admin.c) and the commands run on
 * the main thread (app_admin_commands.c). */
#ifndef KIOSK_FIRMWARE_APP_APP_ADMIN_INTERNAL_H
#define KIOSK_FIRMWARE_APP_APP_ADMIN_INTERNAL_H

#include "firmware/admin/admin_protocol.h"
#include "firmware/app/app_admin.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>

/* One request in flight. Held by the worker and by the main thread (and a
 * slow command's callback): whoever lets go last frees it, so a worker
 * that gave up waiting leaves nothing dangling. */
struct admin_call {
    pthread_mutex_t lock;
    sem_t done;
    int holders;
    bool answered;
    char *answer; /* the answer line, with its newline */
    admin_request request;
    bool refused;    /* not a request: the main thread only audits the refusal */
    char actor[80];  /* "kioskctl:<user>" */
    char detail[96]; /* a refusal's, for the audit trail */
};

/* Main thread (or a callback on it): the answer, once; takes data. */
void admin_call_answer(admin_call *call, admin_status status, const char *message, cJSON *data);
/* Lets go of call. */
void admin_call_release(admin_call *call);

/* Runs call's request (app_admin_commands.c); answers it, or takes a hold
 * of its own and answers when the command ends. The event's hold is let go
 * when the event is released. */
void app_admin_run(kiosk_app *app, admin_call *call);

#endif
