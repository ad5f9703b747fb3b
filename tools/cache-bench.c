/* cache-bench: the outbox on this disk, durable (WAL, synchronous=FULL).
 *
 *   put          one record per transaction, as the app puts a submission:
 *                rate, p50 and p99 latency (personal records, sealed);
 *   batched put  100 records per transaction;
 *   claim + ack  the sync thread draining in batches of 100. */
#include "firmware/base/log.h"
#include "offline-cache/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SINGLE  3000
#define BATCHED 30000
#define BATCH   100

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int put_one(cache_store *store, int i, bool personal)
{
    char key[32], payload[512];
    snprintf(key, sizeof key, "bench-%d", i);
    memset(payload, 'x', sizeof payload);
    cache_put put = {.kind = "submission",
                     .idempotency_key = key,
                     .payload = (const uint8_t *)payload,
                     .payload_length = sizeof payload,
                     .personal = personal};
    int64_t id = 0;
    kiosk_diag diag = {{0}};
    if (cache_outbox_put(store, &put, 0, &id, &diag) != KIOSK_OK) {
        fprintf(stderr, "cache-bench: %s\n", diag.message);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    log_set_level(LOG_LEVEL_ERROR);
    char dir[] = "/tmp/cache-bench-XXXXXX";
    const char *where = argc > 1 ? argv[1] : mkdtemp(dir);
    char path[512];
    snprintf(path, sizeof path, "%s/bench.db", where);
    seal_key key;
    for (size_t i = 0; i < sizeof key.bytes; i++)
        key.bytes[i] = (uint8_t)i;
    cache_options options = {
        .path = path, .key = &key, .cipher = SEAL_AES_256_GCM, .max_outbox_records = 1000000};
    cache_store *store = NULL;
    kiosk_diag diag = {{0}};
    if (cache_open(&options, &store, NULL, &diag) != KIOSK_OK) {
        fprintf(stderr, "cache-bench: %s\n", diag.message);
        return 1;
    }

    static double latency[SINGLE];
    double start = now_ms();
    for (int i = 0; i < SINGLE; i++) {
        double t = now_ms();
        if (put_one(store, i, true) != 0)
            return 1;
        latency[i] = now_ms() - t;
    }
    double single_s = (now_ms() - start) / 1000.0;
    qsort(latency, SINGLE, sizeof latency[0], by_value);

    start = now_ms();
    for (int b = 0; b < BATCHED / BATCH; b++) {
        if (cache_begin(store) != KIOSK_OK)
            return 1;
        for (int i = 0; i < BATCH; i++) {
            if (put_one(store, SINGLE + b * BATCH + i, false) != 0)
                return 1;
        }
        if (cache_commit(store) != KIOSK_OK)
            return 1;
    }
    double batched_s = (now_ms() - start) / 1000.0;

    cache_record records[BATCH];
    int64_t ids[BATCH];
    long drained = 0;
    double claiming = 0;
    start = now_ms();
    for (;;) {
        size_t count = 0;
        double claim_start = now_ms();
        kiosk_error claimed = cache_outbox_claim(store, 1, BATCH, records, &count, &diag);
        claiming += now_ms() - claim_start;
        if (claimed != KIOSK_OK) {
            fprintf(stderr, "cache-bench: %s\n", diag.message);
            return 1;
        }
        if (count == 0)
            break;
        for (size_t i = 0; i < count; i++)
            ids[i] = records[i].id;
        cache_records_free(records, count);
        if (cache_outbox_ack(store, ids, count, &diag) != KIOSK_OK) {
            fprintf(stderr, "cache-bench: %s\n", diag.message);
            return 1;
        }
        drained += (long)count;
    }
    double drain_s = (now_ms() - start) / 1000.0;
    cache_close(store);
    char wal[600], shm[600];
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    unlink(path);
    unlink(wal);
    unlink(shm);
    if (argc <= 1)
        rmdir(where);

    printf("cache-bench: the outbox on %s (WAL, synchronous=FULL)\n", argc > 1 ? argv[1] : "/tmp");
    printf("  put, 1 per transaction   %7.0f puts/s   p50 %.2f ms  p99 %.2f ms  (%d sealed, "
           "512 B)      target >= 2,700/s, p99 <= 2 ms\n",
           SINGLE / single_s, latency[SINGLE / 2], latency[SINGLE * 99 / 100], SINGLE);
    printf("  put, 100 per transaction %7.0f rows/s   (%d)\n", BATCHED / batched_s, BATCHED);
    printf("  claim + ack, 100 a batch %7.0f rows/s   (%ld; %.0f %% of the time claiming)    "
           "target >= 50,000/s\n",
           drained / drain_s, drained, 100.0 * claiming / (drain_s * 1000.0));
    return 0;
}
