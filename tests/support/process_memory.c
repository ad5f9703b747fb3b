/* What a running process still holds: see process_memory.h. */
#include "process_memory.h"
#include "test_support.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int process_memory_count(pid_t pid, const char *text)
{
    uint8_t needles[2][128];
    size_t lengths[2] = {strlen(text), 2 * strlen(text)};
    assert_true(lengths[0] > 0 && lengths[0] < 64);
    memcpy(needles[0], text, lengths[0]);
    for (size_t i = 0; i < lengths[0]; i++) {
        needles[1][2 * i] = (uint8_t)text[i];
        needles[1][2 * i + 1] = 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    FILE *maps = fopen(path, "r");
    assert_non_null(maps);
    snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
    int mem = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(mem >= 0);
    enum { CHUNK = 1 << 20 };
    uint8_t *chunk = malloc(CHUNK + 128);
    assert_non_null(chunk);
    int hits = 0;
    char line[4352];
    while (fgets(line, sizeof line, maps)) {
        uint64_t start = 0, end = 0;
        char perms[8] = "";
        if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s", &start, &end, perms) < 3 ||
            perms[0] != 'r' || end - start > (1ull << 40) || strstr(line, "[vvar]") ||
            strstr(line, "[vsyscall]"))
            continue;
        size_t carried = 0;
        for (uint64_t at = start; at < end;) {
            size_t want = end - at < CHUNK ? (size_t)(end - at) : CHUNK;
            ssize_t got = pread(mem, chunk + carried, want, (off_t)at);
            if (got <= 0)
                break;
            size_t length = carried + (size_t)got;
            for (int k = 0; k < 2; k++) {
                const uint8_t *p = chunk;
                while ((p = memmem(p, length - (size_t)(p - chunk), needles[k], lengths[k]))) {
                    /* A match wholly inside what was carried over was
                     * counted with the chunk before. */
                    if ((size_t)(p - chunk) + lengths[k] > carried)
                        hits++;
                    p++;
                }
            }
            at += (uint64_t)got;
            carried = length < 127 ? length : 127;
            memmove(chunk, chunk + length - carried, carried);
        }
    }
    free(chunk);
    close(mem);
    fclose(maps);
    return hits;
}
