/* kioskctl's outbox and audit commands against what a technician (or a
 * platform) might do that their authors did not expect: ids that are not
 * a record's number or name a waiting record, a --reason with hidden
 * characters or a citizen's ID or mobile number, a refusal text that would
 * drive the terminal, a disk that stays full, more records than are
 * listed, and the kiosk killed with SIGKILL mid-append. The real kiosk,
 * the real kioskctl, and the kiosk's own store. */
#include "../support/kioskctl_fixture.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* A waiting record is neither resent nor closed: staff act on refused
 * ones. Ids that are not a record's number are usage, from kioskctl and on
 * the socket alike; every --json answer's status matches the exit code. */
static void test_waiting_records_and_ids_that_are_not_numbers(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    long id = waiting_submission(&k);
    char text[32];
    snprintf(text, sizeof text, "%ld", id);
    assert_int_equal(CTL("--json", "outbox", "resend", text), 1);
    cJSON_Delete(json_answer(1));
    assert_int_equal(CTL("--json", "outbox", "close", text, "--reason", "duplicate"), 1);
    cJSON_Delete(json_answer(1));
    assert_true(still_waiting(id));

    static const char *const not_ids[] = {
        "0", "-1", "abc", "99999999999999999999", "1e3", "0x10", " 7", "7 ", "+7", "", "٣"};
    for (size_t i = 0; i < sizeof not_ids / sizeof not_ids[0]; i++) {
        char line[256];
        snprintf(line, sizeof line, "{\"command\":\"outbox\",\"args\":[\"resend\",\"%s\"]}\n",
                 not_ids[i]);
        cJSON *answer = raw_request(line, strlen(line));
        if (!answer)
            fail_msg("no JSON answer to resend \"%s\": \"%s\"", not_ids[i], out);
        if (strcmp(text_of(answer, "status"), "usage"))
            fail_msg("resend \"%s\" was answered %s", not_ids[i], out);
        cJSON_Delete(answer);
        int code = CTL("--json", "outbox", "close", not_ids[i], "--reason", "duplicate");
        if (code != 2)
            fail_msg("kioskctl outbox close \"%s\" exited %d: %s%s", not_ids[i], code, out, err);
    }
    assert_true(still_waiting(id));
    stop_kiosk(&k);
}

/* A reason is kept for good (the tombstone, the audit trail, the copy the
 * platform receives): one that would turn text around on a screen, or that
 * holds a citizen's ID or mobile number, is refused before anything is
 * looked up, and nothing of it reaches the log whole. */
static void test_a_reason_with_a_direction_override_or_a_personal_number_is_refused(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    long id = waiting_submission(&k);
    char text[32];
    snprintf(text, sizeof text, "%ld", id);
    static const char *const reasons[] = {
        "duplicate of \xE2\x80\xAE"
        "1400-0240K",            /* U+202E RIGHT-TO-LEFT OVERRIDE */
        "dup\xE2\x81\xA6licate", /* U+2066 LEFT-TO-RIGHT ISOLATE */
        "zero\xE2\x80\x8Bwidth", /* U+200B ZERO WIDTH SPACE */
        "\xC2\x9B"
        "2J", /* U+009B, a C1 control */
        "citizen 11010519900307123X asked",
        "called her on 13812345678 to confirm",
        "called +8613812345678",
        "not UTF-8 \xff",
    };
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
        int code = CTL("--json", "outbox", "close", text, "--reason", reasons[i]);
        if (code != 2)
            fail_msg("reason %zu was not refused as usage (exit %d): %s%s", i, code, out, err);
        cJSON *answer = json_answer(2);
        if (!has(message_of(answer), "reason") && !has(message_of(answer), "args[2]"))
            fail_msg("reason %zu: the answer does not say what was wrong: %s", i, out);
        cJSON_Delete(answer);
    }
    /* A reason over what is kept (160 bytes: 54 Chinese characters are
     * over) is usage, saying so, not "a value is not acceptable". */
    char long_reason[200] = "";
    for (int i = 0; i < 54; i++)
        strcat(long_reason, "重");
    assert_int_equal(CTL("--json", "outbox", "close", text, "--reason", long_reason), 2);
    cJSON *answer = json_answer(2);
    ASSERT_HAS(message_of(answer), "160 bytes");
    cJSON_Delete(answer);
    assert_true(still_waiting(id));
    assert_int_equal(CTL("logs", "-n", "256"), 0);
    assert_null(strstr(out, "11010519900307123X"));
    assert_null(strstr(out, "13812345678"));
    stop_kiosk(&k);
    const char *log = test_read_file(kiosk_log);
    assert_null(strstr(log, "11010519900307123X"));
    assert_null(strstr(log, "13812345678"));
}

/* Killed with SIGKILL while kioskctl's audited commands run, again and
 * again: the next kiosk on the same store finds the chain intact. */
static void test_the_audit_chain_survives_a_kill_mid_append(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    char board[1100];
    snprintf(board, sizeof board, "%s", k.board);
    pid_t kiosk = k.pid;
    for (int round = 0; round < 4; round++) {
        /* Audited commands in a loop in a child, the kiosk killed under
         * them after a while that differs each round. */
        pid_t client = fork();
        if (client == 0) {
            for (;;) {
                CTL("logs", "--export");
                CTL("outbox", "close", "1", "--reason", "duplicate");
            }
        }
        usleep((useconds_t)(150 + 97 * round) * 1000);
        kill(kiosk, SIGKILL);
        waitpid(kiosk, NULL, 0);
        platform_remember_pid(kiosk, false);
        kill(client, SIGKILL);
        waitpid(client, NULL, 0);
        if (round == 0) {
            close(k.socket);
            k.socket = -1;
        }
        kiosk = restart_kiosk(board);
        int code = 4;
        for (int i = 0; i < 200 && code == 4; i++) {
            code = CTL("--json", "audit", "verify");
            if (code == 4)
                usleep(50 * 1000);
        }
        if (code != 0)
            fail_msg("audit verify after kill %d exited %d: %s (the kiosk's log: %s)", round, code,
                     out, kiosk_log);
        cJSON *answer = json_answer(0);
        const cJSON *data = cJSON_GetObjectItem(answer, "data");
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(data, "intact")));
        assert_string_equal(text_of(data, "found"), "intact");
        cJSON_Delete(answer);
    }
    kill(kiosk, SIGTERM);
    waitpid(kiosk, NULL, 0);
    platform_remember_pid(kiosk, false);
}

/* Killed with SIGKILL while kioskctl outbox close runs on refused
 * records: the next kiosk on the same store finds the chain intact, and
 * every record either closed or still refused. */
static void test_the_audit_chain_survives_a_kill_during_outbox_close(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    for (int i = 0; i < 3; i++) {
        citizen_submits(&k, i == 1 ? "2" : "1");
        kiosk_expect(&k, "tap result.done", "ok rate");
        kiosk_expect(&k, "tap rate.skip", "ok finished");
        citizen_takes_card(&k);
        kiosk_expect(&k, "tap finished.end", "ok attract");
    }
    char board[1100];
    snprintf(board, sizeof board, "%s", k.board);
    stop_kiosk(&k);
    assert_int_equal(refuse_waiting_submissions(board, "422 bad-request: a field"), 3);
    pid_t kiosk = restart_kiosk(board);
    long ids[8];
    size_t count = 0;
    for (int i = 0; i < 200 && count < 3; i++) {
        count = refused_submissions(ids, 8);
        if (count < 3)
            usleep(50 * 1000);
    }
    if (count != 3)
        fail_msg("%zu refused submissions listed, not 3: %s", count, out);

    for (size_t round = 0; round < count; round++) {
        pid_t client = fork();
        if (client == 0) {
            char text[32];
            snprintf(text, sizeof text, "%ld", ids[round]);
            for (;;)
                CTL("outbox", "close", text, "--reason", "duplicate");
        }
        usleep((useconds_t)(20 + 45 * round) * 1000);
        kill(kiosk, SIGKILL);
        waitpid(kiosk, NULL, 0);
        platform_remember_pid(kiosk, false);
        kill(client, SIGKILL);
        waitpid(client, NULL, 0);
        kiosk = restart_kiosk(board);
        int code = 4;
        for (int i = 0; i < 200 && code == 4; i++) {
            code = CTL("--json", "audit", "verify");
            if (code == 4)
                usleep(50 * 1000);
        }
        if (code != 0)
            fail_msg("audit verify after kill %zu exited %d: %s (the kiosk's log: %s)", round, code,
                     out, kiosk_log);
        cJSON *answer = json_answer(0);
        const cJSON *data = cJSON_GetObjectItem(answer, "data");
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(data, "intact")));
        cJSON_Delete(answer);
        /* The record is closed or still refused, and closing it now (or
         * again) says which. */
        char text[32];
        snprintf(text, sizeof text, "%ld", ids[round]);
        long left[8];
        size_t still = refused_submissions(left, 8);
        bool refused = false;
        for (size_t i = 0; i < still; i++)
            refused = refused || left[i] == ids[round];
        code = CTL("--json", "outbox", "close", text, "--reason", "duplicate");
        assert_int_equal(code, refused ? 0 : 1);
        cJSON_Delete(json_answer(code));
        printf("kill %zu: record %ld was %s\n", round, ids[round],
               refused ? "still refused" : "closed");
    }
    kill(kiosk, SIGTERM);
    waitpid(kiosk, NULL, 0);
    platform_remember_pid(kiosk, false);
}

/* What the platform said when it refused a record reaches the technician's
 * terminal through kioskctl outbox list: a C1 control (U+009B, a CSI to
 * many terminals), an escape, a direction override, or a newline that
 * forges a row of its own must not reach it as they are. */
static void test_a_hostile_refusal_text_does_not_reach_the_terminal(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    citizen_submits(&k, "1");
    char board[1100];
    snprintf(board, sizeof board, "%s", k.board);
    stop_kiosk(&k);
    assert_int_equal(refuse_waiting_submissions(board, "422: \xC2\x9B"
                                                       "2J \xE2\x80\xAE"
                                                       "live\n  - id=7  state=waiting  "
                                                       "kind=forged\x1b[2J\tend"),
                     1);
    pid_t kiosk = restart_kiosk(board);
    int code = 4;
    for (int i = 0; i < 200 && code == 4; i++) {
        code = CTL("outbox", "list", "--quarantined");
        if (code == 4)
            usleep(50 * 1000);
    }
    assert_int_equal(code, 0);
    ASSERT_HAS(out, "state=refused");
    ASSERT_HAS(out, "kind=submission");
    assert_null(strstr(out, "\xC2\x9B"));
    assert_null(strstr(out, "\xE2\x80\xAE"));
    assert_null(strchr(out, '\x1b'));
    assert_null(strchr(out, '\t'));
    assert_null(strstr(out, "\n  - id=7"));
    /* --json carries it escaped, for a script to judge. */
    assert_int_equal(CTL("--json", "outbox", "list", "--quarantined"), 0);
    cJSON_Delete(json_answer(0));
    assert_null(strchr(out, '\x1b'));
    kill(kiosk, SIGTERM);
    waitpid(kiosk, NULL, 0);
    platform_remember_pid(kiosk, false);
}

/* The disk stays full (the board asks for more free space than there is)
 * while a technician closes a refused record again and again: each close
 * fails saying so (exit 1), the record stays refused, the chain intact;
 * with room again, the close goes through. */
static void test_closing_while_the_disk_stays_full(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    citizen_submits(&k, "1");
    char board[1100];
    snprintf(board, sizeof board, "%s", k.board);
    stop_kiosk(&k);
    assert_int_equal(refuse_waiting_submissions(board, "422 bad-request: a field"), 1);
    char *roomy = strdup(test_read_file(board));
    char *full = strdup(test_replace(
        roomy, "\"admin\": {", "\"storage\": {\"min_free_mb\": 1073741824},\n  \"admin\": {"));
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", board);
    *strrchr(dir, '/') = '\0';
    test_write_file(dir, "board.json", full);
    pid_t kiosk = restart_kiosk(board);
    long ids[4];
    size_t count = 0;
    for (int i = 0; i < 100 && count == 0; i++) {
        ctl_once_up((const char *const[]){"status", NULL});
        count = refused_submissions(ids, 4);
        if (count == 0)
            usleep(50 * 1000);
    }
    if (count != 1)
        fail_msg("the refused record is not listed on a full disk: %s%s", out, err);
    char text[32];
    snprintf(text, sizeof text, "%ld", ids[0]);
    for (int attempt = 0; attempt < 3; attempt++) {
        assert_int_equal(CTL("--json", "outbox", "close", text, "--reason", "duplicate"), 1);
        cJSON *answer = json_answer(1);
        ASSERT_HAS(message_of(answer), "full");
        cJSON_Delete(answer);
    }
    assert_int_equal(refused_submissions(ids, 4), 1);
    assert_int_equal(CTL("--json", "audit", "verify"), 0);
    cJSON_Delete(json_answer(0));
    stop_pid(kiosk);

    test_write_file(dir, "board.json", roomy);
    kiosk = restart_kiosk(board);
    assert_int_equal(
        ctl_once_up((const char *const[]){"outbox", "close", text, "--reason", "duplicate", NULL}),
        0);
    assert_int_equal(refused_submissions(ids, 4), 0);
    assert_int_equal(CTL("--json", "audit", "verify"), 0);
    cJSON_Delete(json_answer(0));
    stop_pid(kiosk);
    free(roomy);
    free(full);
}

/* More records than outbox list shows: it says it shows the first ones,
 * never that the outbox holds only those. */
static void test_a_long_outbox_is_not_said_to_be_short(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    citizen_submits(&k, "1");
    char board[1100];
    snprintf(board, sizeof board, "%s", k.board);
    stop_kiosk(&k);
    assert_int_equal(refuse_waiting_submissions(board, "422 bad-request: a field"), 1);
    put_waiting(board, 150);
    pid_t kiosk = restart_kiosk(board);
    assert_int_equal(ctl_once_up((const char *const[]){"--json", "outbox", "list", NULL}), 0);
    cJSON *answer = json_answer(0);
    const cJSON *records = cJSON_GetObjectItem(cJSON_GetObjectItem(answer, "data"), "records");
    assert_int_equal(cJSON_GetArraySize(records), 100);
    /* The refused one first, where staff look. */
    assert_string_equal(text_of(cJSON_GetArrayItem(records, 0), "state"), "refused");
    if (!has(message_of(answer), "first 100"))
        fail_msg("150 and more records, and outbox list says \"%s\"", message_of(answer));
    cJSON_Delete(answer);
    stop_pid(kiosk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_waiting_records_and_ids_that_are_not_numbers),
        cmocka_unit_test(test_a_reason_with_a_direction_override_or_a_personal_number_is_refused),
        cmocka_unit_test(test_the_audit_chain_survives_a_kill_mid_append),
        cmocka_unit_test(test_the_audit_chain_survives_a_kill_during_outbox_close),
        cmocka_unit_test(test_a_hostile_refusal_text_does_not_reach_the_terminal),
        cmocka_unit_test(test_closing_while_the_disk_stays_full),
        cmocka_unit_test(test_a_long_outbox_is_not_said_to_be_short),
    };
    return PLATFORM_RUN_TESTS(tests);
}
