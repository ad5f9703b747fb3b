#include "ui/ime_pinyin.h"

#include "firmware/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef KIOSK_HAVE_RIME

#include <errno.h>
#include <pthread.h>
#include <rime_api.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The one schema the kiosk uses, and the keys librime knows by X11's names. */
#define SCHEMA        "luna_pinyin_simp"
#define KEY_BACKSPACE 0xff08
#define KEY_ESCAPE    0xff1b

static struct {
    atomic_int state; /* ui_pinyin_state */
    bool started, thread_running, initialized;
    pthread_t thread;
    RimeApi *api;
    char shared_dir[512], user_dir[512];
    char problem[1200];
} engine;

struct ui_pinyin_session {
    RimeSessionId id;
};

/* librime's setup installs its modules and logging for the process: once. */
static bool setup_done;

static bool write_file(const char *path, const char *text, size_t length)
{
    FILE *file = fopen(path, "w");
    if (!file)
        return false;
    bool ok = fwrite(text, 1, length, file) == length;
    return fclose(file) == 0 && ok;
}

/* The schema as Debian ships it compiled (build/luna_pinyin_simp.schema.yaml,
 * with its table built against the word frequencies, which the packages do
 * not ship for a rebuild), with the user dictionary off: the kiosk learns
 * nothing from what citizens type, and writes none of it down. */
static bool write_schema(void)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/build/%s.schema.yaml", engine.shared_dir, SCHEMA);
    FILE *file = fopen(path, "r");
    if (!file) {
        snprintf(engine.problem, sizeof engine.problem, "no compiled %s schema in %s", SCHEMA,
                 engine.shared_dir);
        return false;
    }
    static char text[256 * 1024];
    size_t length = fread(text, 1, sizeof text - 1, file);
    bool whole = feof(file);
    fclose(file);
    text[length] = '\0';
    const char *anchor = "\n  dictionary: luna_pinyin\n";
    char *at = strstr(text, anchor);
    if (!whole || !at) {
        snprintf(engine.problem, sizeof engine.problem, "the %s schema is not as expected", SCHEMA);
        return false;
    }
    at += strlen(anchor);
    const char *off = "  enable_user_dict: false\n";
    size_t head = (size_t)(at - text), off_length = strlen(off);
    snprintf(path, sizeof path, "%s/build/%s.schema.yaml", engine.user_dir, SCHEMA);
    FILE *out = fopen(path, "w");
    bool ok = out && fwrite(text, 1, head, out) == head &&
              fwrite(off, 1, off_length, out) == off_length &&
              fwrite(at, 1, length - head, out) == length - head;
    if (out && fclose(out) != 0)
        ok = false;
    if (!ok)
        snprintf(engine.problem, sizeof engine.problem, "cannot write %s", path);
    return ok;
}

/* The deployment, limited to what the kiosk uses: one schema in the list,
 * menus long enough to page through ourselves. */
static bool deploy(void)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/build", engine.user_dir);
    if ((mkdir(engine.user_dir, 0700) != 0 && errno != EEXIST) ||
        (mkdir(path, 0700) != 0 && errno != EEXIST)) {
        snprintf(engine.problem, sizeof engine.problem, "cannot make %s", path);
        return false;
    }
    static const char settings[] = "schema_list:\n  - schema: " SCHEMA "\n"
                                   "menu:\n  page_size: 60\n";
    snprintf(path, sizeof path, "%s/build/default.yaml", engine.user_dir);
    if (!write_file(path, settings, sizeof settings - 1)) {
        snprintf(engine.problem, sizeof engine.problem, "cannot write %s", path);
        return false;
    }
    return write_schema();
}

static void *prepare(void *unused)
{
    (void)unused;
    RIME_STRUCT(RimeTraits, traits);
    traits.shared_data_dir = engine.shared_dir;
    traits.user_data_dir = engine.user_dir;
    traits.distribution_name = "kiosk";
    traits.distribution_code_name = "kiosk";
    traits.distribution_version = "1";
    traits.app_name = "rime.kiosk";
    traits.min_log_level = 3; /* fatal only: its log would hold what was typed */
    traits.log_dir = "";
    if (!deploy()) {
        atomic_store(&engine.state, UI_PINYIN_UNAVAILABLE);
        return NULL;
    }
    if (!setup_done) {
        engine.api->setup(&traits);
        setup_done = true;
    }
    engine.api->initialize(&traits);
    engine.initialized = true;
    /* A first session loads the dictionary, so the citizen's does not wait. */
    RimeSessionId probe = engine.api->create_session();
    char schema[64] = "";
    bool ok = probe && engine.api->get_current_schema(probe, schema, sizeof schema) &&
              strcmp(schema, SCHEMA) == 0;
    if (probe)
        engine.api->destroy_session(probe);
    if (!ok)
        snprintf(engine.problem, sizeof engine.problem, "the %s schema did not load", SCHEMA);
    atomic_store(&engine.state, ok ? UI_PINYIN_READY : UI_PINYIN_UNAVAILABLE);
    return NULL;
}

kiosk_error ui_pinyin_start(const char *shared_dir, const char *user_dir)
{
    if (engine.started)
        return KIOSK_OK;
    if (!shared_dir || !user_dir || strlen(shared_dir) >= sizeof engine.shared_dir ||
        strlen(user_dir) >= sizeof engine.user_dir)
        return KIOSK_ERR_INVALID_ARGUMENT;
    engine.api = rime_get_api();
    if (!engine.api)
        return KIOSK_ERR_UNSUPPORTED;
    snprintf(engine.shared_dir, sizeof engine.shared_dir, "%s", shared_dir);
    snprintf(engine.user_dir, sizeof engine.user_dir, "%s", user_dir);
    engine.problem[0] = '\0';
    engine.started = true;
    atomic_store(&engine.state, UI_PINYIN_PREPARING);
    if (pthread_create(&engine.thread, NULL, prepare, NULL) != 0) {
        atomic_store(&engine.state, UI_PINYIN_UNAVAILABLE);
        snprintf(engine.problem, sizeof engine.problem, "cannot start its thread");
        return KIOSK_ERR_INTERNAL;
    }
    engine.thread_running = true;
    return KIOSK_OK;
}

ui_pinyin_state ui_pinyin_state_now(void)
{
    return (ui_pinyin_state)atomic_load(&engine.state);
}

const char *ui_pinyin_problem(void)
{
    return ui_pinyin_state_now() == UI_PINYIN_UNAVAILABLE
               ? (engine.problem[0] ? engine.problem : "not started")
               : "";
}

bool ui_pinyin_wait_ready(int timeout_ms)
{
    for (int waited = 0; ui_pinyin_state_now() == UI_PINYIN_PREPARING && waited < timeout_ms;
         waited += 5)
        nanosleep(&(struct timespec){0, 5 * 1000 * 1000}, NULL);
    return ui_pinyin_state_now() == UI_PINYIN_READY;
}

void ui_pinyin_stop(void)
{
    if (engine.thread_running)
        pthread_join(engine.thread, NULL);
    if (engine.initialized)
        engine.api->finalize();
    memset(&engine, 0, sizeof engine);
    atomic_store(&engine.state, UI_PINYIN_UNAVAILABLE);
}

ui_pinyin_session *ui_pinyin_session_open(bool traditional)
{
    if (ui_pinyin_state_now() != UI_PINYIN_READY)
        return NULL;
    ui_pinyin_session *session = calloc(1, sizeof *session);
    if (!session)
        return NULL;
    session->id = engine.api->create_session();
    if (!session->id) {
        free(session);
        return NULL;
    }
    /* The schema's simplifier turns its Traditional dictionary into
     * Simplified; off, the characters are Traditional. */
    engine.api->set_option(session->id, "zh_simp", traditional ? False : True);
    return session;
}

void ui_pinyin_session_close(ui_pinyin_session *session)
{
    if (!session)
        return;
    engine.api->clear_composition(session->id);
    engine.api->destroy_session(session->id);
    free(session);
}

bool ui_pinyin_key(ui_pinyin_session *session, int key)
{
    if (!session)
        return false;
    if (key == '\b')
        return ui_pinyin_composing(session) &&
               engine.api->process_key(session->id, KEY_BACKSPACE, 0);
    if (key < 'a' || key > 'z')
        return false;
    return engine.api->process_key(session->id, key, 0);
}

void ui_pinyin_composition(ui_pinyin_session *session, char *out, size_t size)
{
    snprintf(out, size, "%s", "");
    if (!session)
        return;
    RIME_STRUCT(RimeContext, context);
    if (!engine.api->get_context(session->id, &context))
        return;
    if (context.composition.preedit)
        snprintf(out, size, "%s", context.composition.preedit);
    engine.api->free_context(&context);
}

bool ui_pinyin_composing(ui_pinyin_session *session)
{
    const char *input = session ? engine.api->get_input(session->id) : NULL;
    return input && input[0];
}

size_t ui_pinyin_candidates(ui_pinyin_session *session, size_t first,
                            char out[][UI_PINYIN_CANDIDATE_MAX], size_t max, bool *more)
{
    size_t count = 0;
    *more = false;
    RimeCandidateListIterator at = {0};
    if (!session || !ui_pinyin_composing(session) ||
        !engine.api->candidate_list_from_index(session->id, &at, (int)first))
        return 0;
    while (engine.api->candidate_list_next(&at)) {
        if (count == max) {
            *more = true;
            break;
        }
        snprintf(out[count++], UI_PINYIN_CANDIDATE_MAX, "%s", at.candidate.text);
    }
    engine.api->candidate_list_end(&at);
    return count;
}

bool ui_pinyin_choose(ui_pinyin_session *session, size_t index, char *committed, size_t size)
{
    snprintf(committed, size, "%s", "");
    if (!session || !ui_pinyin_composing(session) ||
        !engine.api->select_candidate(session->id, index))
        return false;
    RIME_STRUCT(RimeCommit, commit);
    if (engine.api->get_commit(session->id, &commit)) {
        snprintf(committed, size, "%s", commit.text ? commit.text : "");
        engine.api->free_commit(&commit);
    }
    return true;
}

void ui_pinyin_clear(ui_pinyin_session *session)
{
    if (session)
        engine.api->clear_composition(session->id);
}

#else /* no librime: every call says so */

struct ui_pinyin_session {
    int unused;
};

kiosk_error ui_pinyin_start(const char *shared_dir, const char *user_dir)
{
    (void)shared_dir;
    (void)user_dir;
    LOG_INFO("pinyin", "built without librime: pinyin input is unavailable");
    return KIOSK_OK;
}

ui_pinyin_state ui_pinyin_state_now(void)
{
    return UI_PINYIN_UNAVAILABLE;
}

const char *ui_pinyin_problem(void)
{
    return "built without librime";
}

bool ui_pinyin_wait_ready(int timeout_ms)
{
    (void)timeout_ms;
    return false;
}

void ui_pinyin_stop(void)
{
}

ui_pinyin_session *ui_pinyin_session_open(bool traditional)
{
    (void)traditional;
    return NULL;
}

void ui_pinyin_session_close(ui_pinyin_session *session)
{
    (void)session;
}

bool ui_pinyin_key(ui_pinyin_session *session, int key)
{
    (void)session;
    (void)key;
    return false;
}

void ui_pinyin_composition(ui_pinyin_session *session, char *out, size_t size)
{
    (void)session;
    snprintf(out, size, "%s", "");
}

bool ui_pinyin_composing(ui_pinyin_session *session)
{
    (void)session;
    return false;
}

size_t ui_pinyin_candidates(ui_pinyin_session *session, size_t first,
                            char out[][UI_PINYIN_CANDIDATE_MAX], size_t max, bool *more)
{
    (void)session;
    (void)first;
    (void)out;
    (void)max;
    *more = false;
    return 0;
}

bool ui_pinyin_choose(ui_pinyin_session *session, size_t index, char *committed, size_t size)
{
    (void)session;
    (void)index;
    snprintf(committed, size, "%s", "");
    return false;
}

void ui_pinyin_clear(ui_pinyin_session *session)
{
    (void)session;
}

#endif
