/* The sync client's own TLS floor, whatever the board's OpenSSL
 * configuration says: this program runs under a configuration that lets
 * anything in (security level 0), as a carelessly built board image might,
 * and a platform with an RSA-1024 key (made here, served by `openssl
 * s_server`) must still be refused. And the terminal's private key must be
 * its own: a key file others may read is refused. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include "firmware/platform/sync_internal.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *dir;

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(s, (struct sockaddr *)&address, sizeof address), 0);
    socklen_t length = sizeof address;
    assert_int_equal(getsockname(s, (struct sockaddr *)&address, &length), 0);
    close(s);
    return ntohs(address.sin_port);
}

/* A self-signed certificate for 127.0.0.1 with an RSA key of bits. */
static void make_rsa_cert(int bits, char *cert, char *key, size_t size)
{
    snprintf(cert, size, "%s/rsa%d.crt", dir, bits);
    snprintf(key, size, "%s/rsa%d.key", dir, bits);
    char newkey[32];
    snprintf(newkey, sizeof newkey, "rsa:%d", bits);
    const char *argv[] = {"/usr/bin/openssl",
                          "req",
                          "-x509",
                          "-newkey",
                          newkey,
                          "-nodes",
                          "-days",
                          "2",
                          "-subj",
                          "/CN=127.0.0.1",
                          "-addext",
                          "subjectAltName=IP:127.0.0.1",
                          "-keyout",
                          key,
                          "-out",
                          cert,
                          NULL};
    char err[4096];
    if (test_run(argv, err, sizeof err, NULL, 0) != 0)
        fail_msg("openssl req: %s", err);
}

/* `openssl s_server` on port with cert and key, answering any request with
 * its status page (HTTP 200, text/html). */
static pid_t serve(int port, const char *cert, const char *key)
{
    char accept[16];
    snprintf(accept, sizeof accept, "%d", port);
    const char *argv[] = {"openssl", "s_server", "-accept", accept,    "-cert",
                          cert,      "-key",     key,       "-cipher", "DEFAULT:@SECLEVEL=0",
                          "-www",    NULL};
    int out[2];
    assert_int_equal(pipe(out), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    assert_int_equal(posix_spawnp(&pid, "openssl", &actions, NULL, (char *const *)argv, environ),
                     0);
    posix_spawn_file_actions_destroy(&actions);
    platform_remember_pid(pid, true);
    close(out[1]);
    /* It says ACCEPT once it listens. */
    char text[256];
    size_t used = 0;
    struct pollfd ready = {.fd = out[0], .events = POLLIN};
    while (used + 1 < sizeof text && poll(&ready, 1, 10000) == 1) {
        ssize_t got = read(out[0], text + used, sizeof text - 1 - used);
        if (got <= 0)
            break;
        used += (size_t)got;
        text[used] = '\0';
        if (strstr(text, "ACCEPT"))
            break;
    }
    text[used] = '\0';
    close(out[0]);
    if (!strstr(text, "ACCEPT"))
        fail_msg("openssl s_server did not start: \"%s\"", text);
    return pid;
}

static void stop(pid_t pid)
{
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    platform_remember_pid(pid, false);
}

/* One pass of a client trusting cert as the platform's CA, against a
 * server presenting it. */
static sync_progress pass_against(int bits)
{
    char cert[1100], key[1100];
    make_rsa_cert(bits, cert, key, sizeof cert);
    int port = free_port();
    pid_t server = serve(port, cert, key);
    char url[64], db[1100], client_cert[1100], client_key[1100];
    snprintf(url, sizeof url, "https://127.0.0.1:%d", port);
    snprintf(db, sizeof db, "%s/kiosk-%d.db", dir, bits);
    cert_path(client_cert, sizeof client_cert, "client.crt");
    cert_path(client_key, sizeof client_key, "client.key");
    sync_config config = {.platform_url = url,
                          .ca_file = cert,
                          .client_cert = client_cert,
                          .client_key = client_key,
                          .terminal_id = "K0420",
                          .firmware_version = "test",
                          .connect_timeout_ms = 3000,
                          .total_timeout_ms = 5000};
    seal_key seal;
    memset(seal.bytes, 7, sizeof seal.bytes);
    cache_options store = {.path = db, .key = &seal};
    sync_client *client = NULL;
    kiosk_diag diag = {{0}};
    if (sync_create(&config, &store, &client, &diag) != KIOSK_OK)
        fail_msg("sync_create: %s", diag.message);
    /* A lookup (s_server's page answers a GET only). */
    sync_question question = {.kind = SYNC_ASK_LOOKUP, .lookup.tracking = "GD20261122000042"};
    sync_reply result;
    sync_ask_run(client, &question, &result);
    sync_progress progress = sync_progress_get(client);
    printf("RSA-%d platform: link %s: %s\n", bits, sync_link_name(progress.link),
           progress.last_error);
    assert_int_equal(result.lookup.outcome, SYNC_LOOKUP_NO_ANSWER);
    sync_destroy(client);
    stop(server);
    return progress;
}

static void test_a_platform_with_an_rsa_1024_key_is_refused(void **state)
{
    (void)state;
    make_certs();
    /* RSA-2048 gets through TLS to the server's page (not an answer:
     * degraded): the set-up works, so what refuses RSA-1024 is the floor. */
    sync_progress strong = pass_against(2048);
    assert_int_equal(strong.link, SYNC_LINK_DEGRADED);
    sync_progress weak = pass_against(1024);
    assert_int_equal(weak.link, SYNC_LINK_OFFLINE);
    assert_non_null(strstr(weak.last_error, "SSL"));
}

static kiosk_error create_with_key_mode(mode_t mode, kiosk_diag *diag)
{
    char original[1100], key[1100], cert[1100], ca[1100], db[1100];
    cert_path(original, sizeof original, "client.key");
    cert_path(cert, sizeof cert, "client.crt");
    cert_path(ca, sizeof ca, "platform-ca.crt");
    snprintf(key, sizeof key, "%s/client-%04o.key", dir, (unsigned)mode);
    const char *text = test_read_file(original);
    assert_non_null(text);
    FILE *file = fopen(key, "w");
    assert_non_null(file);
    fputs(text, file);
    fclose(file);
    assert_int_equal(chmod(key, mode), 0);
    snprintf(db, sizeof db, "%s/kiosk-key-%04o.db", dir, (unsigned)mode);
    sync_config config = {.platform_url = "https://127.0.0.1:1",
                          .ca_file = ca,
                          .client_cert = cert,
                          .client_key = key,
                          .terminal_id = "K0420",
                          .firmware_version = "test"};
    seal_key seal;
    memset(seal.bytes, 7, sizeof seal.bytes);
    cache_options store = {.path = db, .key = &seal};
    sync_client *client = NULL;
    kiosk_error result = sync_create(&config, &store, &client, diag);
    sync_destroy(client);
    return result;
}

static void test_a_client_key_others_may_read_is_refused(void **state)
{
    (void)state;
    make_certs();
    kiosk_diag diag = {{0}};
    assert_int_equal(create_with_key_mode(0600, &diag), KIOSK_OK);
    assert_int_equal(create_with_key_mode(0400, &diag), KIOSK_OK);
    mode_t refused[] = {0644, 0640, 0604, 0660, 0602};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        memset(&diag, 0, sizeof diag);
        assert_int_equal(create_with_key_mode(refused[i], &diag), KIOSK_ERR_IO);
        assert_non_null(strstr(diag.message, "group or others"));
    }
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    /* Before OpenSSL reads its configuration (libcurl's global init). */
    dir = strdup(test_make_temp_dir("sync-tls-floor"));
    char conf[1100];
    snprintf(conf, sizeof conf, "%s/openssl.cnf", dir);
    FILE *file = fopen(conf, "w");
    if (!file)
        return 1;
    fputs("openssl_conf = default_conf\n[default_conf]\nssl_conf = ssl_sect\n[ssl_sect]\n"
          "system_default = system_default_sect\n[system_default_sect]\n"
          "CipherString = DEFAULT:@SECLEVEL=0\n",
          file);
    fclose(file);
    setenv("OPENSSL_CONF", conf, 1);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_platform_with_an_rsa_1024_key_is_refused),
        cmocka_unit_test(test_a_client_key_others_may_read_is_refused),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    platform_stop_leftovers();
    curl_global_cleanup();
    free((void *)dir);
    return failed;
}
