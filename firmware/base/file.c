#include "firmware/base/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

kiosk_error file_read_all(const char *path, size_t max_size, char **out, size_t *out_size,
                          kiosk_diag *diag)
{
    kiosk_error result = KIOSK_OK;
    char *buffer = NULL;
    FILE *file = fopen(path, "rb");
    if (!file) {
        if (errno == ENOENT)
            return kiosk_diag_set(diag, KIOSK_ERR_NOT_FOUND, "%s: file not found", path);
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot open (%s)", path, strerror(errno));
    }

    struct stat info;
    if (fstat(fileno(file), &info) != 0 || !S_ISREG(info.st_mode)) {
        /* A folder or a device where a file belongs is a setting to mend,
         * not a read that may succeed next time. */
        result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: not a regular file", path);
        goto out;
    }
    if ((unsigned long long)info.st_size > max_size) {
        result =
            kiosk_diag_set(diag, KIOSK_ERR_TOO_BIG, "%s: %lld bytes, more than the %zu allowed",
                           path, (long long)info.st_size, max_size);
        goto out;
    }
    size_t size = (size_t)info.st_size;
    buffer = malloc(size + 1);
    if (!buffer) {
        result = kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "%s: out of memory", path);
        goto out;
    }
    if (fread(buffer, 1, size, file) != size) {
        result = kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: read failed", path);
        goto out;
    }
    buffer[size] = '\0';
    *out = buffer;
    *out_size = size;
    buffer = NULL;
out:
    free(buffer);
    fclose(file);
    return result;
}
