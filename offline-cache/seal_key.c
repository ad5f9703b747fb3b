/* The master key in a root-only file: the development board's key provider.
 *
 * The file holds the 32 key bytes and nothing else. It is opened without
 * following a symbolic link and checked on the descriptor (fstat), so what is
 * checked is what is read. */
#include "offline-cache/seal.h"

#include "offline-cache/seal_internal.h"

#include "firmware/base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads up to length bytes, short only at the end of the file. */
static ssize_t read_fully(int fd, uint8_t *out, size_t length)
{
    size_t done = 0;
    while (done < length) {
        ssize_t got = read(fd, out + done, length - done);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        done += (size_t)got;
    }
    return (ssize_t)done;
}

static kiosk_error check_key_file(int fd, const char *path, kiosk_diag *diag)
{
    struct stat info;
    if (fstat(fd, &info) != 0)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: %s", path, strerror(errno));
    if (!S_ISREG(info.st_mode))
        return kiosk_diag_set(diag, KIOSK_ERR_IO,
                              "%s: not a regular file; put the 32-byte key file there", path);
    if (info.st_mode & 077)
        return kiosk_diag_set(diag, KIOSK_ERR_IO,
                              "%s: readable or writable by group or others (mode %04o); chmod "
                              "0400 it",
                              path, (unsigned)(info.st_mode & 07777));
    uid_t user = getuid();
    if (info.st_uid != 0 && info.st_uid != user)
        return kiosk_diag_set(diag, KIOSK_ERR_IO,
                              "%s: owned by uid %u, not root or the kiosk's user (uid %u); chown "
                              "it to one of them",
                              path, (unsigned)info.st_uid, (unsigned)user);
    if (info.st_size != SEAL_KEY_BYTES)
        return kiosk_diag_set(diag, KIOSK_ERR_IO,
                              "%s: %lld bytes, not %d; restore the board's key from its backup "
                              "(what it sealed opens with no other key)",
                              path, (long long)info.st_size, SEAL_KEY_BYTES);
    return KIOSK_OK;
}

kiosk_error seal_key_file_load(void *context, seal_key *out, kiosk_diag *diag)
{
    const char *path = context;
    if (!path || !out)
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT, "seal key file: no path");
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ELOOP)
            return kiosk_diag_set(diag, KIOSK_ERR_IO,
                                  "%s: a symbolic link; put the key file itself there", path);
        if (errno == ENOENT)
            return kiosk_diag_set(diag, KIOSK_ERR_NOT_FOUND, "%s: no key file", path);
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: %s", path, strerror(errno));
    }
    kiosk_error result = check_key_file(fd, path, diag);
    /* One byte more than a key, to see a file that grew since fstat. */
    uint8_t bytes[SEAL_KEY_BYTES + 1];
    if (result == KIOSK_OK) {
        ssize_t got = read_fully(fd, bytes, sizeof bytes);
        if (got < 0)
            result = kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: %s", path, strerror(errno));
        else if (got != SEAL_KEY_BYTES)
            result = kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: changed while read; not %d bytes",
                                    path, SEAL_KEY_BYTES);
        else
            memcpy(out->bytes, bytes, SEAL_KEY_BYTES);
    }
    explicit_bzero(bytes, sizeof bytes);
    close(fd);
    return result;
}

/* fsync()s the folder holding path, so that a new entry in it survives a
 * power cut. */
static kiosk_error sync_parent(const char *path, kiosk_diag *diag)
{
    char folder[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash) {
        folder[0] = '.';
        folder[1] = '\0';
    } else {
        size_t length = slash == path ? 1 : (size_t)(slash - path);
        if (length >= sizeof folder)
            return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: path too long", path);
        memcpy(folder, path, length);
        folder[length] = '\0';
    }
    int fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: %s", folder, strerror(errno));
    int synced = fsync(fd);
    int error = errno;
    close(fd);
    if (synced != 0)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: fsync: %s", folder, strerror(error));
    return KIOSK_OK;
}

static bool write_fully(int fd, const uint8_t *data, size_t length)
{
    size_t done = 0;
    while (done < length) {
        ssize_t wrote = write(fd, data + done, length - done);
        if (wrote < 0 && errno == EINTR)
            continue;
        if (wrote <= 0)
            return false;
        done += (size_t)wrote;
    }
    return true;
}

kiosk_error seal_key_file_create(const char *path, kiosk_diag *diag)
{
    if (!path || !path[0])
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT, "seal key file: no path");
    uint8_t key[SEAL_KEY_BYTES];
    if (seal_random(key, sizeof key) != KIOSK_OK)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: no random bytes for a new key", path);
    /* O_EXCL: an existing file, or a link, is never written through. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0400);
    if (fd < 0) {
        int error = errno;
        explicit_bzero(key, sizeof key);
        if (error == EEXIST)
            return KIOSK_OK; /* left alone; seal_key_file_load judges it */
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot create (%s)", path, strerror(error));
    }
    kiosk_error result = KIOSK_OK;
    /* 0400 exactly, whatever the umask. */
    if (fchmod(fd, 0400) != 0 || !write_fully(fd, key, sizeof key) || fsync(fd) != 0)
        result = kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot write (%s)", path, strerror(errno));
    explicit_bzero(key, sizeof key);
    if (close(fd) != 0 && result == KIOSK_OK)
        result = kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot write (%s)", path, strerror(errno));
    if (result == KIOSK_OK)
        result = sync_parent(path, diag);
    if (result != KIOSK_OK) {
        unlink(path); /* ours (O_EXCL): no half-written key left behind */
        return result;
    }
    LOG_INFO("seal", "%s: new master key created", path);
    return KIOSK_OK;
}
