/* The admin socket's worker: who is asking, one request, the answer. */
#include "firmware/app/app_admin.h"
#include "firmware/app/app_admin_internal.h"
#include "firmware/app/board.h"

#include "firmware/base/event_channel.h"
#include "firmware/base/log.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* How long the main thread may take: most commands read state at once;
 * a self-test or an enrolment waits on a device or the platform. */
#define ADMIN_QUICK_MS       10000
#define ADMIN_SLOW_MS        120000
#define ADMIN_READ_TIMEOUT_S 5 /* a peer that connects and says nothing */
#define ADMIN_CLIENTS_MAX    4
#define ADMIN_SLOT_WAIT_S    1 /* how long a new connection waits for a slot */

static struct {
    int listener;
    /* Connections served side by side, so that status answers while a
     * self-test runs: each its own thread, at most ADMIN_CLIENTS_MAX. */
    pthread_mutex_t lock;
    pthread_cond_t slot_done; /* a slot's thread finished */
    struct admin_slot {
        enum { SLOT_FREE, SLOT_SERVING, SLOT_DONE } state;
        int fd; /* -1 once the thread let go of it */
        pthread_t thread;
    } slots[ADMIN_CLIENTS_MAX];
    char path[108];
    char group[32];
    pthread_t thread;
    bool running;
    atomic_bool stopping;
    /* Refusals audited in the current minute (the worker's own): a local
     * user knocking in a loop must not fill the audit trail. */
    int64_t refusal_window_s;
    int refusals_audited, refusals_unaudited;
} server = {
    .listener = -1, .lock = PTHREAD_MUTEX_INITIALIZER, .slot_done = PTHREAD_COND_INITIALIZER};

void admin_call_release(admin_call *call)
{
    pthread_mutex_lock(&call->lock);
    bool last = --call->holders == 0;
    pthread_mutex_unlock(&call->lock);
    if (!last)
        return;
    free(call->answer);
    sem_destroy(&call->done);
    pthread_mutex_destroy(&call->lock);
    free(call);
}

void admin_call_answer(admin_call *call, admin_status status, const char *message, cJSON *data)
{
    /* What went wrong stays in the log (masked like every line) for the
     * technician who comes next. */
    if (status != ADMIN_OK)
        LOG_WARN("admin", "%s: %s", call->actor, message);
    char *line = admin_answer_format(status, message, data);
    pthread_mutex_lock(&call->lock);
    if (call->answered) {
        pthread_mutex_unlock(&call->lock);
        free(line);
        return;
    }
    call->answered = true;
    call->answer = line;
    pthread_mutex_unlock(&call->lock);
    sem_post(&call->done);
}

static void send_line(int fd, const char *line)
{
    size_t length = strlen(line);
    for (size_t sent = 0; sent < length;) {
        ssize_t written = send(fd, line + sent, length - sent, MSG_NOSIGNAL);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return;
        sent += (size_t)written;
    }
}

static void send_answer(int fd, admin_status status, const char *message)
{
    char *line = admin_answer_format(status, message, NULL);
    if (line)
        send_line(fd, line);
    free(line);
}

/* One line into line (up to size - 1 bytes, no newline): its length, or -1
 * when the peer said nothing whole in time, -2 when the line is too long.
 * The time counts from the connection, not from the last byte: a peer that
 * trickles a byte now and then must not hold a slot for ever. */
static ssize_t read_request(int fd, char *line, size_t size)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    size_t used = 0;
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        int64_t left_us =
            (int64_t)ADMIN_READ_TIMEOUT_S * 1000000 -
            ((int64_t)(now.tv_sec - start.tv_sec) * 1000000 + (now.tv_nsec - start.tv_nsec) / 1000);
        if (left_us <= 0)
            return -1;
        struct timeval limit = {.tv_sec = left_us / 1000000, .tv_usec = left_us % 1000000};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        char c;
        ssize_t got = read(fd, &c, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return -1;
        if (c == '\n')
            break;
        if (used + 1 >= size)
            return -2;
        line[used++] = c;
    }
    line[used] = '\0';
    return (ssize_t)used;
}

/* The peer's user name (or "uid<N>"), and whether it may use the socket:
 * root, or the admin group as its primary or a supplementary group. */
static bool peer_allowed(const struct ucred *peer, const char *group, char *user, size_t user_size)
{
    char buffer[4096];
    struct passwd entry, *found = NULL;
    getpwuid_r(peer->uid, &entry, buffer, sizeof buffer, &found);
    bool named = found && found->pw_name[0];
    for (const char *p = named ? found->pw_name : ""; named && *p; p++)
        named = (unsigned char)*p > 0x20 && *p != 0x7f;
    if (named)
        snprintf(user, user_size, "%s", found->pw_name);
    else
        snprintf(user, user_size, "uid%u", (unsigned)peer->uid);
    if (peer->uid == 0)
        return true;
    char group_buffer[4096];
    struct group group_entry, *admins = NULL;
    getgrnam_r(group, &group_entry, group_buffer, sizeof group_buffer, &admins);
    if (!admins)
        return false;
    gid_t admin_gid = admins->gr_gid;
    if (peer->gid == admin_gid)
        return true;
    if (!found)
        return false;
    gid_t groups[256];
    int count = (int)(sizeof groups / sizeof groups[0]);
    if (getgrouplist(found->pw_name, found->pw_gid, groups, &count) < 0)
        return false;
    for (int i = 0; i < count; i++) {
        if (groups[i] == admin_gid)
            return true;
    }
    return false;
}

static admin_call *new_call(const char *user)
{
    admin_call *call = calloc(1, sizeof *call);
    if (!call)
        return NULL;
    pthread_mutex_init(&call->lock, NULL);
    sem_init(&call->done, 0, 0);
    call->holders = 2; /* the worker and the main thread */
    snprintf(call->actor, sizeof call->actor, "kioskctl:%s", user);
    return call;
}

#define REFUSALS_AUDITED_PER_MINUTE 10

/* Whether this refusal goes to the audit trail; detail says how many were
 * left out before it. */
static bool audit_refusal(char *detail, size_t size)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    pthread_mutex_lock(&server.lock);
    if (now.tv_sec - server.refusal_window_s >= 60) {
        server.refusal_window_s = now.tv_sec;
        server.refusals_audited = 0;
    }
    if (server.refusals_audited >= REFUSALS_AUDITED_PER_MINUTE) {
        server.refusals_unaudited++;
        pthread_mutex_unlock(&server.lock);
        return false;
    }
    server.refusals_audited++;
    if (server.refusals_unaudited)
        snprintf(detail, size, "not root nor in the admin group (and %d refusals before, not kept)",
                 server.refusals_unaudited);
    else
        snprintf(detail, size, "not root nor in the admin group");
    server.refusals_unaudited = 0;
    pthread_mutex_unlock(&server.lock);
    return true;
}

static bool is_slow(const admin_request *request)
{
    return !strcmp(request->command, "selftest") ||
           (!strcmp(request->command, "cert") && !strcmp(request->args[0], "enrol"));
}

/* Waits for the main thread's answer in short slices, so that stopping the
 * kiosk does not wait out a slow command. */
static bool wait_answer(admin_call *call, int limit_ms)
{
    for (int waited = 0; waited < limit_ms && !atomic_load(&server.stopping); waited += 200) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 200 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        if (sem_timedwait(&call->done, &until) == 0)
            return true;
    }
    return false;
}

/* The main thread's hold, let go when the event is released: after the
 * command ran, or at shutdown when it never ran. */
static void release_hold(void *call)
{
    admin_call_release(call);
}

/* A call that never reached the main thread: both holds let go. */
static void drop(admin_call *call)
{
    admin_call_release(call);
    admin_call_release(call);
}

/* Answers a peer that may not use the socket; the main thread audits it
 * (nobody waits for that). */
static void refuse(int client, const struct ucred *peer, const char *user)
{
    char message[200];
    snprintf(message, sizeof message, "refused: %s is not root nor in the group %s", user,
             server.group);
    send_answer(client, ADMIN_REFUSED, message);
    /* Logged as audited, a few a minute: knocking in a loop must not push
     * what technicians need out of the recent log. */
    char detail[sizeof((admin_call *)0)->detail];
    if (!audit_refusal(detail, sizeof detail))
        return;
    LOG_WARN("admin", "refused kioskctl for %s (uid %u): %s (group %s)", user, (unsigned)peer->uid,
             detail, server.group);
    admin_call *call = new_call(user);
    if (!call)
        return;
    call->refused = true;
    snprintf(call->detail, sizeof call->detail, "%s", detail);
    if (event_channel_post(APP_EVENT_ADMIN, call, release_hold) != KIOSK_OK) {
        drop(call);
        return;
    }
    admin_call_release(call);
}

/* Hands call to the main thread and sends its answer, or says why none
 * came. */
static void run(int client, admin_call *call)
{
    if (event_channel_post(APP_EVENT_ADMIN, call, release_hold) != KIOSK_OK) {
        send_answer(client, ADMIN_FAILED, "the kiosk is busy: try again");
        drop(call);
        return;
    }
    if (wait_answer(call, is_slow(&call->request) ? ADMIN_SLOW_MS : ADMIN_QUICK_MS)) {
        pthread_mutex_lock(&call->lock);
        if (call->answer)
            send_line(client, call->answer);
        else
            send_answer(client, ADMIN_FAILED, "the kiosk is out of memory");
        pthread_mutex_unlock(&call->lock);
    } else {
        send_answer(client, ADMIN_TIMEOUT,
                    atomic_load(&server.stopping) ? "the kiosk is stopping"
                                                  : "the kiosk did not finish in time");
    }
    admin_call_release(call);
}

static void serve(int client)
{
    struct ucred peer;
    socklen_t peer_size = sizeof peer;
    if (getsockopt(client, SOL_SOCKET, SO_PEERCRED, &peer, &peer_size) != 0) {
        send_answer(client, ADMIN_REFUSED, "refused: the peer's credentials cannot be read");
        return;
    }
    /* The request is read before the answer, even a refusal, so that the
     * peer reads the answer rather than a reset connection. */
    char line[ADMIN_REQUEST_MAX + 1];
    ssize_t length = read_request(client, line, sizeof line);
    char user[64];
    if (!peer_allowed(&peer, server.group, user, sizeof user)) {
        refuse(client, &peer, user);
        return;
    }
    if (length == -2)
        send_answer(client, ADMIN_USAGE, "the request is over the length a request may have");
    if (length < 0)
        return;
    admin_call *call = new_call(user);
    if (!call) {
        send_answer(client, ADMIN_FAILED, "the kiosk is out of memory");
        return;
    }
    kiosk_diag diag = {{0}};
    if (admin_request_parse(line, (size_t)length, &call->request, &diag) != KIOSK_OK) {
        send_answer(client, ADMIN_USAGE, diag.message);
        drop(call);
        return;
    }
    run(client, call);
}

static void *serve_slot(void *user)
{
    struct admin_slot *slot = user;
    pthread_mutex_lock(&server.lock);
    int fd = slot->fd;
    pthread_mutex_unlock(&server.lock);
    serve(fd);
    /* Let go of the descriptor under the lock, so that app_admin_stop
     * never shuts down a number already reused. */
    pthread_mutex_lock(&server.lock);
    slot->fd = -1;
    slot->state = SLOT_DONE;
    pthread_cond_broadcast(&server.slot_done);
    pthread_mutex_unlock(&server.lock);
    close(fd);
    return NULL;
}

/* A free slot for a new connection (finished ones joined), or NULL. */
static struct admin_slot *free_slot(void)
{
    struct admin_slot *found = NULL;
    for (int i = 0; i < ADMIN_CLIENTS_MAX; i++) {
        struct admin_slot *slot = &server.slots[i];
        pthread_mutex_lock(&server.lock);
        bool done = slot->state == SLOT_DONE;
        pthread_mutex_unlock(&server.lock);
        if (done) {
            pthread_join(slot->thread, NULL);
            slot->state = SLOT_FREE;
        }
        if (!found && slot->state == SLOT_FREE)
            found = slot;
    }
    return found;
}

/* A free slot, waiting a moment for one: a technician's script that sends
 * its next command the moment the last answer came may find that answer's
 * thread not quite finished, and must not be told the kiosk is busy. */
static struct admin_slot *free_slot_soon(void)
{
    struct admin_slot *slot = free_slot();
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ADMIN_SLOT_WAIT_S;
    while (!slot && !atomic_load(&server.stopping)) {
        pthread_mutex_lock(&server.lock);
        bool any_done = false;
        for (int i = 0; i < ADMIN_CLIENTS_MAX; i++)
            any_done = any_done || server.slots[i].state == SLOT_DONE;
        int waited = any_done ? 0 : pthread_cond_timedwait(&server.slot_done, &server.lock, &until);
        pthread_mutex_unlock(&server.lock);
        slot = free_slot();
        if (waited != 0)
            break;
    }
    return slot;
}

static void *accept_loop(void *unused)
{
    (void)unused;
    while (!atomic_load(&server.stopping)) {
        int client = accept4(server.listener, NULL, NULL, SOCK_CLOEXEC);
        if (client < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return NULL; /* the listener was shut down */
        }
        /* Anyone else is refused here, before a slot is taken: an outsider
         * who connects and says nothing must not keep technicians out.
         * The refusal is read whatever the peer did not yet send. */
        struct ucred peer;
        socklen_t peer_size = sizeof peer;
        char user[64];
        if (getsockopt(client, SOL_SOCKET, SO_PEERCRED, &peer, &peer_size) != 0) {
            send_answer(client, ADMIN_REFUSED, "refused: the peer's credentials cannot be read");
            close(client);
            continue;
        }
        if (!peer_allowed(&peer, server.group, user, sizeof user)) {
            refuse(client, &peer, user);
            close(client);
            continue;
        }
        struct admin_slot *slot = free_slot_soon();
        if (!slot) {
            send_answer(client, ADMIN_FAILED, "the kiosk is busy with other kioskctl commands");
            close(client);
            continue;
        }
        pthread_mutex_lock(&server.lock);
        slot->fd = client;
        slot->state = SLOT_SERVING;
        pthread_mutex_unlock(&server.lock);
        if (pthread_create(&slot->thread, NULL, serve_slot, slot) != 0) {
            slot->state = SLOT_FREE;
            slot->fd = -1;
            send_answer(client, ADMIN_FAILED, "the kiosk cannot take a connection now");
            close(client);
        }
    }
    return NULL;
}

/* A socket at path that a live process answers on. */
static bool someone_listens(const char *path)
{
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof address.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool live = fd >= 0 && connect(fd, (struct sockaddr *)&address, sizeof address) == 0;
    if (fd >= 0)
        close(fd);
    return live;
}

/* Only root and the admin group may connect: the file's mode and group say
 * so first, and each peer's credentials are checked again when it
 * connects, so a socket whose mode was loosened still refuses. */
static void restrict_socket(const char *path, const char *group)
{
    char buffer[4096];
    struct group entry, *admins = NULL;
    getgrnam_r(group, &entry, buffer, sizeof buffer, &admins);
    if (admins && chown(path, (uid_t)-1, admins->gr_gid) != 0)
        LOG_WARN("admin", "%s: cannot give it to group %s (%s)", path, group, strerror(errno));
    if (!admins)
        LOG_INFO("admin", "no group %s on this system: only root may use kioskctl", group);
    if (chmod(path, 0660) != 0)
        LOG_WARN("admin", "%s: cannot set its mode (%s)", path, strerror(errno));
}

kiosk_error app_admin_start(kiosk_app *app, kiosk_diag *diag)
{
    const board_profile *board = app_board(app);
    const char *path = board->admin.socket;
    atomic_store(&server.stopping, false);
    server.running = false;
    server.refusal_window_s = 0;
    server.refusals_audited = server.refusals_unaudited = 0;
    server.listener = -1;
    for (int i = 0; i < ADMIN_CLIENTS_MAX; i++)
        server.slots[i] = (struct admin_slot){.state = SLOT_FREE, .fd = -1};
    snprintf(server.path, sizeof server.path, "%s", path);
    snprintf(server.group, sizeof server.group, "%s", board->admin.group);
    if (!path[0])
        return kiosk_diag_set(diag, KIOSK_ERR_IO,
                              "no admin socket: data_dir is too long for one (set admin.socket)");
    struct stat existing;
    if (lstat(path, &existing) == 0) {
        if (!S_ISSOCK(existing.st_mode))
            return kiosk_diag_set(diag, KIOSK_ERR_IO,
                                  "%s: something that is not a socket is there: not replaced",
                                  path);
        if (someone_listens(path))
            return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: another kiosk answers there", path);
        unlink(path); /* stale: left by a kiosk that did not stop cleanly */
    }
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof address.sun_path, "%s", path);
    server.listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (server.listener < 0 ||
        bind(server.listener, (struct sockaddr *)&address, sizeof address) != 0) {
        kiosk_error result =
            kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot listen (%s)", path, strerror(errno));
        if (server.listener >= 0)
            close(server.listener);
        server.listener = -1;
        return result;
    }
    restrict_socket(path, server.group);
    if (listen(server.listener, 4) != 0 ||
        pthread_create(&server.thread, NULL, accept_loop, NULL) != 0) {
        kiosk_error result =
            kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot listen (%s)", path, strerror(errno));
        close(server.listener);
        unlink(path);
        server.listener = -1;
        return result;
    }
    server.running = true;
    LOG_INFO("admin", "kioskctl answers on %s (root and group %s)", path, server.group);
    return KIOSK_OK;
}

void app_admin_stop(kiosk_app *app)
{
    (void)app;
    if (!server.running)
        return;
    atomic_store(&server.stopping, true);
    shutdown(server.listener, SHUT_RDWR);
    pthread_join(server.thread, NULL);
    /* Peers being served are cut off; their threads end within a wait's
     * slice (wait_answer watches stopping). */
    pthread_mutex_lock(&server.lock);
    for (int i = 0; i < ADMIN_CLIENTS_MAX; i++) {
        if (server.slots[i].fd >= 0)
            shutdown(server.slots[i].fd, SHUT_RDWR);
    }
    pthread_mutex_unlock(&server.lock);
    for (int i = 0; i < ADMIN_CLIENTS_MAX; i++) {
        if (server.slots[i].state != SLOT_FREE)
            pthread_join(server.slots[i].thread, NULL);
        server.slots[i].state = SLOT_FREE;
    }
    close(server.listener);
    unlink(server.path);
    server.running = false;
    server.listener = -1;
}

void app_admin_command(kiosk_app *app, admin_call *call)
{
    app_admin_run(app, call);
}
