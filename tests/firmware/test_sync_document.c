/* A citizen's certificates from the platform stand-in over mutual TLS: the
 * list of a service, a PDF fetched whole and checked, and every way a
 * hostile or broken platform can answer a fetch refused with nothing of
 * it kept. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include "firmware/base/wipe_alloc.h"
#include "firmware/platform/sync.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A proven identity's number (the simulated reader's first card): two
 * enterprises; and one with none. */
#define CITIZEN      "440304199001011233"
#define NO_BUSINESS  "110105194912310011"
#define ONE_BUSINESS "11010519491231002X"

typedef struct answers {
    pthread_mutex_t lock;
    int count;
    sync_reply last;
} answers;

static answers heard = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void on_answer(const sync_reply *reply, void *context)
{
    (void)context;
    pthread_mutex_lock(&heard.lock);
    sync_reply_drop_document(&heard.last); /* a previous one never taken */
    heard.last = *reply;                   /* the PDF is ours now */
    heard.count++;
    pthread_mutex_unlock(&heard.lock);
}

/* Waits for the next answer and takes it. */
static sync_reply next_answer(int before)
{
    for (int i = 0; i < 2000; i++) {
        pthread_mutex_lock(&heard.lock);
        bool answered = heard.count > before;
        sync_reply reply = heard.last;
        if (answered) {
            heard.last.document.pdf = NULL;
            heard.last.kind = SYNC_ASK_LOOKUP;
        }
        pthread_mutex_unlock(&heard.lock);
        if (answered)
            return reply;
        usleep(10 * 1000);
    }
    fail_msg("no answer from the sync thread");
    return (sync_reply){0};
}

static int answers_so_far(void)
{
    pthread_mutex_lock(&heard.lock);
    int count = heard.count;
    pthread_mutex_unlock(&heard.lock);
    return count;
}

static sync_documents_result list_of(sync_client *client, const char *service, const char *id)
{
    int before = answers_so_far();
    assert_int_equal(sync_documents(client, service, id, "欧阳娜娜"), KIOSK_OK);
    sync_reply reply = next_answer(before);
    assert_int_equal(reply.kind, SYNC_ASK_DOCUMENTS);
    return reply.documents;
}

static sync_document_result fetch(sync_client *client, const char *service, const char *document)
{
    int before = answers_so_far();
    assert_int_equal(sync_document(client, service, CITIZEN, "欧阳娜娜", document), KIOSK_OK);
    sync_reply reply = next_answer(before);
    assert_int_equal(reply.kind, SYNC_ASK_DOCUMENT);
    return reply.document;
}

static sync_client *started(const platform *p, const char *name)
{
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir(name));
    sync_client *client = client_for(p, db, "client", NULL);
    sync_on_answer(client, on_answer);
    assert_int_equal(sync_start(client, NULL, NULL), KIOSK_OK);
    return client;
}

static void test_a_service_lists_the_citizen_s_documents(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    sync_client *client = started(&p, "documents-list");
    sync_documents_result list = list_of(client, "social-insurance-certificate", CITIZEN);
    assert_int_equal(list.outcome, SYNC_DOCUMENT_FOUND);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.entries[0].title, "社会保险参保缴费证明");
    assert_int_equal(list.entries[0].pages, 2);

    list = list_of(client, "business-license-print", CITIZEN);
    assert_int_equal(list.count, 2);
    assert_string_equal(list.entries[0].detail, "深圳市鹏程示范科技有限公司");
    assert_int_equal(list_of(client, "business-license-print", ONE_BUSINESS).count, 1);
    list = list_of(client, "business-license-print", NO_BUSINESS);
    assert_int_equal(list.outcome, SYNC_DOCUMENT_FOUND);
    assert_int_equal(list.count, 0);
    assert_true(list_of(client, "e-licenses", CITIZEN).count >= 3);
    assert_int_equal(list_of(client, "service-rating", CITIZEN).outcome, SYNC_DOCUMENT_NOT_FOUND);

    /* Only an ID number is asked about. */
    assert_int_equal(sync_documents(client, "tax-certificate", "12345", NULL),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_document(client, "tax-certificate", CITIZEN, NULL, ""),
                     KIOSK_ERR_INVALID_ARGUMENT);
    sync_destroy(client);
    stop_platform(&p);
}

static void test_a_certificate_arrives_as_a_whole_pdf(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    sync_client *client = started(&p, "documents-fetch");
    long served = stat_of(&p, "documents_served");
    sync_document_result got = fetch(client, "social-insurance-certificate", "si-record");
    assert_int_equal(got.outcome, SYNC_DOCUMENT_FOUND);
    assert_int_equal(got.pages, 2);
    assert_non_null(got.pdf);
    assert_true(got.length > 1000);
    assert_memory_equal(got.pdf, "%PDF-", 5);
    assert_true(sync_document_pdf_valid(got.pdf, got.length, 2));
    assert_false(sync_document_pdf_valid(got.pdf, got.length, 1)); /* it shows two pages */
    char prefix[64];
    snprintf(prefix, sizeof prefix, "https://127.0.0.1:%d/v/", p.port);
    assert_int_equal(strncmp(got.verification_url, prefix, strlen(prefix)), 0);
    assert_string_equal(got.verification_url + strlen(prefix), got.verification_code);
    assert_int_equal(stat_of(&p, "documents_served"), served + 1);
    wipe_free(got.pdf);

    got = fetch(client, "business-license-print", "biz-2");
    assert_int_equal(got.outcome, SYNC_DOCUMENT_FOUND);
    assert_int_equal(got.pages, 1);
    wipe_free(got.pdf);
    got = fetch(client, "business-license-print", "biz-9");
    assert_int_equal(got.outcome, SYNC_DOCUMENT_NOT_FOUND);
    assert_null(got.pdf);
    sync_destroy(client);
    stop_platform(&p);
}

/* Each hostile answer to a fetch: no answer, no PDF, nothing kept. */
static void test_a_fetch_that_is_not_a_certificate_is_refused(void **state)
{
    (void)state;
    static const char *const faults[] = {
        "409-html",       /* a firewall's page */
        "503",            /* a gateway's error page */
        "captive-portal", /* a login page, 200 */
        "pdf-truncated",  /* cut off mid-file: no %%EOF */
        "pdf-not-pdf",    /* an HTML page where the PDF should be */
        "pdf-wrong-type", /* not said to be JSON */
        "pdf-pages",      /* 4,000 pages */
        "huge-body",      /* over the ceiling */
        "truncated-json",
        "trailing-garbage",
    };
    platform p;
    start_platform(&p, NULL);
    sync_client *client = started(&p, "documents-hostile");
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        set_fault_on(&p, faults[i], "/v1/documents/fetch", 1);
        sync_document_result got = fetch(client, "tax-certificate", "tax-record");
        if (got.outcome != SYNC_DOCUMENT_NO_ANSWER)
            fail_msg("%s: taken as an answer (%d)", faults[i], got.outcome);
        assert_null(got.pdf);
        assert_int_equal(got.length, 0);
        assert_string_equal(got.title, "");
        assert_string_equal(got.verification_code, "");
        assert_string_equal(got.document, "tax-record");
    }
    /* And the next fetch, unspoiled, is whole. */
    sync_document_result got = fetch(client, "tax-certificate", "tax-record");
    assert_int_equal(got.outcome, SYNC_DOCUMENT_FOUND);
    wipe_free(got.pdf);
    sync_destroy(client);
    stop_platform(&p);
}

static void test_a_pdf_is_checked_whole(void **state)
{
    (void)state;
    char pdf[256] = "%PDF-1.5\n1 0 obj << /Type /Page /Parent 2 0 R >> endobj\n"
                    "2 0 obj << /Type /Pages /Count 1 >> endobj\ntrailer\n%%EOF\n";
    size_t length = strlen(pdf);
    assert_true(sync_document_pdf_valid((unsigned char *)pdf, length, 1));
    assert_false(sync_document_pdf_valid((unsigned char *)pdf, length, 2));
    assert_false(sync_document_pdf_valid((unsigned char *)pdf, length - 7, 1)); /* no %%EOF */
    pdf[1] = 'X';
    assert_false(sync_document_pdf_valid((unsigned char *)pdf, length, 1));
    assert_false(sync_document_pdf_valid((unsigned char *)"%PDF-1.5 %%EOF", 14, 1));
    /* As large as a certificate may be, and not a byte more. */
    pdf[1] = 'P';
    unsigned char *big = malloc(SYNC_DOCUMENT_BYTES_MAX + 1);
    assert_non_null(big);
    memset(big, ' ', SYNC_DOCUMENT_BYTES_MAX + 1);
    memcpy(big, pdf, length - 7);
    memcpy(big + SYNC_DOCUMENT_BYTES_MAX - 7, "%%EOF\n", 6);
    assert_true(sync_document_pdf_valid(big, SYNC_DOCUMENT_BYTES_MAX, 1));
    memcpy(big + SYNC_DOCUMENT_BYTES_MAX - 6, "%%EOF\n", 6);
    assert_false(sync_document_pdf_valid(big, SYNC_DOCUMENT_BYTES_MAX + 1, 1));
    free(big);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_pdf_is_checked_whole),
        cmocka_unit_test(test_a_service_lists_the_citizen_s_documents),
        cmocka_unit_test(test_a_certificate_arrives_as_a_whole_pdf),
        cmocka_unit_test(test_a_fetch_that_is_not_a_certificate_is_refused),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    platform_stop_leftovers();
    curl_global_cleanup();
    return failed;
}
