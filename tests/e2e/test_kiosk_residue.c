/* Nothing of a citizen stays in the kiosk's memory once they are gone: the
 * real kiosk binary, driven through its test control channel against the
 * platform stand-in, is read through /proc/PID/mem (every readable region)
 * for each citizen's ID number, name and phone, in UTF-8 and UTF-16LE,
 * after a session that ends without submitting, after the platform has
 * acknowledged one submission, after a batch of three kept while the link
 * was down has been delivered, after a citizen identified by e-ID (the
 * platform said who they are) has submitted, and after a question the
 * platform answered. Freed memory counts: under ASan a freed
 * block is held back unused and keeps what it held, so whatever is not
 * wiped before it is freed is found. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include "drivers/sim/idcard_sim.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A citizen as the kiosk meets them: one of the simulated reader's cards
 * (its name and number read off the card), or an e-ID code (the name and
 * number come from the platform), and a phone typed on the form. */
typedef struct citizen {
    const char *key; /* the developer key that lays the card or shows the code */
    idcard_sim_citizen card;
    const char *phone;
    const char *eid_name, *eid_number; /* what the stand-in answers for the code */
    idcard_record record;
} citizen;

static citizen citizens[] = {
    {.key = "1", .card = IDCARD_SIM_ORDINARY, .phone = "13605917342"},
    {.key = "4", .card = IDCARD_SIM_LONG_TERM, .phone = "15811124680"},
    {.key = "2", .card = IDCARD_SIM_LONG_NAME, .phone = "18922336677"},
    {.key = "3", .card = IDCARD_SIM_RARE_CHARACTER, .phone = "17700459183"},
    {.key = "e", .eid_name = "赵敏", .eid_number = "11010519491231002X", .phone = "13312457896"},
};
#define CITIZEN_COUNT (sizeof citizens / sizeof citizens[0])

/* One byte string to look for, and what it is. */
typedef struct needle {
    uint8_t bytes[256];
    size_t length;
    char what[128];
} needle;

static needle needles[CITIZEN_COUNT * 6];
static size_t needle_count;

/* UTF-8 to UTF-16LE (surrogate pairs beyond the BMP), as SDL, ICU and the
 * card itself (UCS-2) hold text. */
static size_t utf16le(const char *text, uint8_t *out, size_t size)
{
    const uint8_t *s = (const uint8_t *)text;
    size_t used = 0;
    while (*s) {
        uint32_t c = *s;
        int more = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
        c = more == 0 ? c : more == 1 ? c & 0x1F : more == 2 ? c & 0x0F : c & 0x07;
        s++;
        for (int i = 0; i < more && *s; i++, s++)
            c = (c << 6) | (*s & 0x3F);
        uint16_t units[2] = {(uint16_t)c, 0};
        int n = 1;
        if (c > 0xFFFF) {
            units[0] = (uint16_t)(0xD800 + ((c - 0x10000) >> 10));
            units[1] = (uint16_t)(0xDC00 + ((c - 0x10000) & 0x3FF));
            n = 2;
        }
        for (int i = 0; i < n && used + 2 <= size; i++) {
            out[used++] = (uint8_t)(units[i] & 0xFF);
            out[used++] = (uint8_t)(units[i] >> 8);
        }
    }
    return used;
}

static void add_needle(const char *text, const char *what, const char *who)
{
    needle *n = &needles[needle_count++];
    n->length = strlen(text);
    memcpy(n->bytes, text, n->length);
    snprintf(n->what, sizeof n->what, "%s's %s (UTF-8)", who, what);
    n = &needles[needle_count++];
    n->length = utf16le(text, n->bytes, sizeof n->bytes);
    snprintf(n->what, sizeof n->what, "%s's %s (UTF-16LE)", who, what);
}

/* What the scan looks for: the citizens met so far. */
static void look_for(size_t met)
{
    needle_count = 0;
    for (size_t i = 0; i < met; i++) {
        citizen *c = &citizens[i];
        assert_int_equal(idcard_sim_citizen_record(c->card, &c->record), KIOSK_OK);
        char who[32];
        snprintf(who, sizeof who, "citizen %s", c->key);
        add_needle(c->eid_number ? c->eid_number : c->record.id_number, "ID number", who);
        add_needle(c->eid_name ? c->eid_name : c->record.name, "name", who);
        add_needle(c->phone, "phone", who);
    }
}

/* A hit in a private mapping of a file that is the same as the file there
 * is the program's own constant (the simulated reader's cards are compiled
 * in), not a copy the kiosk made. A shared mapping writes through to its
 * file, so a hit there counts. */
static bool same_as_file(const char *path, uint64_t file_offset, const needle *n)
{
    if (path[0] != '/')
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    uint8_t bytes[256];
    ssize_t got = pread(fd, bytes, n->length, (off_t)file_offset);
    close(fd);
    return got == (ssize_t)n->length && memcmp(bytes, n->bytes, n->length) == 0;
}

/* 64 bytes around a hit, printable ASCII as is, for finding whose it is. */
static void print_context(const uint8_t *chunk, size_t length, size_t at)
{
    size_t from = at > 32 ? at - 32 : 0, to = at + 64 < length ? at + 64 : length;
    printf("        ");
    for (size_t i = from; i < to; i++)
        putchar(chunk[i] >= 0x20 && chunk[i] < 0x7F ? chunk[i] : '.');
    printf("\n");
}

#define CHUNK (1u << 20)

/* With KIOSK_RESIDUE_DESCRIBE set, each hit is described by ASan inside the
 * kiosk (gdb calls __asan_describe_address): who allocated the block and
 * who freed it, written to the kiosk's stderr. For finding whose copy a
 * hit is; the count is the same either way. */
static uint64_t described[64];
static size_t described_count;

static void describe_hits(pid_t pid)
{
    if (!getenv("KIOSK_RESIDUE_DESCRIBE") || described_count == 0)
        return;
    char pid_text[16];
    snprintf(pid_text, sizeof pid_text, "%d", (int)pid);
    static char calls[64][96];
    const char *argv[4 + 2 * 64 + 1] = {"/usr/bin/gdb", "-batch", "-p", pid_text};
    size_t argc = 4;
    for (size_t i = 0; i < described_count; i++) {
        snprintf(calls[i], sizeof calls[i],
                 "call (void)__asan_describe_address((void *)%#" PRIx64 ")", described[i]);
        argv[argc++] = "-ex";
        argv[argc++] = calls[i];
    }
    argv[argc] = NULL;
    char out[1 << 12];
    (void)test_run(argv, out, sizeof out, NULL, 0);
    described_count = 0;
}

/* Reads every readable region of pid's memory and counts the needles in
 * it, printing where each is. ASan's shadow (terabytes reserved, holding
 * only shadow bytes) is the one region not read. */
static int scan(pid_t pid, const char *point)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    FILE *maps = fopen(path, "r");
    assert_non_null(maps);
    snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
    int mem = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(mem >= 0);
    /* Room for the longest needle to straddle two chunks. */
    uint8_t *chunk = malloc(CHUNK + 256);
    assert_non_null(chunk);
    int hits = 0;
    uint64_t bytes_read = 0;
    char line[4352];
    while (fgets(line, sizeof line, maps)) {
        uint64_t start = 0, end = 0, offset = 0;
        char perms[8] = "", file[4096] = "";
        if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %*s %4095[^\n]", &start, &end,
                   perms, &offset, file) < 4)
            continue;
        char *name = file;
        while (*name == ' ')
            name++;
        if (perms[0] != 'r' || end - start > (1ull << 40) || strcmp(name, "[vvar]") == 0 ||
            strcmp(name, "[vsyscall]") == 0)
            continue;
        size_t carried = 0;
        for (uint64_t at = start; at < end;) {
            size_t want = end - at < CHUNK ? (size_t)(end - at) : CHUNK;
            ssize_t got = pread(mem, chunk + carried, want, (off_t)at);
            if (got <= 0)
                break;
            bytes_read += (uint64_t)got;
            size_t length = carried + (size_t)got;
            uint64_t base = at - carried;
            for (size_t k = 0; k < needle_count; k++) {
                const needle *n = &needles[k];
                const uint8_t *p = chunk;
                while ((p = memmem(p, length - (size_t)(p - chunk), n->bytes, n->length))) {
                    size_t where = (size_t)(p - chunk);
                    /* A hit wholly inside the carried tail was counted last time. */
                    if (where + n->length > carried) {
                        uint64_t address = base + where;
                        if (perms[3] != 'p' || !same_as_file(name, offset + (address - start), n)) {
                            hits++;
                            if (described_count < 64)
                                described[described_count++] = address;
                            printf("    %s: %s at %#" PRIx64 " in %s %s\n", point, n->what, address,
                                   perms, name[0] ? name : "[anonymous]");
                            print_context(chunk, length, where);
                        }
                    }
                    p++;
                }
            }
            at += (uint64_t)got;
            carried = length < 255 ? length : 255;
            memmove(chunk, chunk + length - carried, carried);
        }
    }
    free(chunk);
    close(mem);
    fclose(maps);
    describe_hits(pid);
    printf("  %s: %d hits (%.0f MiB read)\n", point, hits, (double)bytes_read / (1 << 20));
    return hits;
}

/* The citizen lays their card for 预约取号 and fills the form with their
 * phone: the confirmation shows. */
static void fill_the_ticket(kiosk_proc *k, const citizen *c)
{
    kiosk_expect(k, "wait attract 5000", "ok attract");
    citizen_opens(k, "appointment-ticket", "card");
    citizen_identifies(k, c->key, "form");
    citizen_books_a_ticket(k, 0, 1, c->phone);
}

/* The citizen takes their card and ends the session the way the screen
 * offers (结束办理 after a service or on home), or walks away and the
 * time-out ends it: the attract screen shows. */
static void session_ends(kiosk_proc *k)
{
    citizen_takes_card(k);
    char screen[64];
    for (int i = 0; i < 8; i++) {
        snprintf(screen, sizeof screen, "%s", kiosk_ask(k, "screen"));
        if (strcmp(screen, "ok attract") == 0)
            return;
        if (strcmp(screen, "ok finished") == 0)
            kiosk_ask(k, "tap finished.end");
        else if (strcmp(screen, "ok home") != 0 ||
                 strcmp(kiosk_ask(k, "tap home.end"), "ok attract") != 0)
            kiosk_ask(k, "advance 200000");
    }
    kiosk_expect(k, "wait attract 5000", "ok attract");
}

/* Submits and leaves (no receipt, no rating): the result's tree. */
static const char *submit_and_leave(kiosk_proc *k)
{
    citizen_taps_submit(k);
    const char *tree = kiosk_tree(k);
    kiosk_expect(k, "tap result.done", "ok rate");
    kiosk_ask(k, "tap rate.skip");
    session_ends(k);
    return tree;
}

/* Staff's line on the attract screen says nothing waits. */
static bool nothing_waits(kiosk_proc *k)
{
    return kiosk_shows(k, "平台已连接 · 待上传 0 条", 200);
}

/* The UTF-16LE the scan looks for is what SDL and the card hold: a BMP
 * character in one unit, one beyond it in a surrogate pair. */
static void test_the_scan_spells_utf16_as_the_card_does(void **state)
{
    (void)state;
    uint8_t bytes[16];
    assert_int_equal(utf16le("王", bytes, sizeof bytes), 2);
    assert_memory_equal(bytes, "\x8B\x73", 2);
    assert_int_equal(utf16le("\xF0\xAA\x9A\xA5", bytes, sizeof bytes), 4);
    assert_memory_equal(bytes, "\x69\xD8\xA5\xDE", 4);
}

static void test_nothing_of_a_citizen_stays_in_memory(void **state)
{
    (void)state;
    platform p;
    /* The form with a phone that is kept while the link is down: 预约取号's,
     * as a plain application (the sample's ticket is booked online, and a
     * booking keeps nothing to look for afterwards). */
    start_platform_serving(
        &p, NULL,
        changed_catalog("residue-catalog", "\"residue-1\"",
                        "\"offline\": \"online\",\n      \"prints\": \"ticket\"",
                        "\"offline\": \"queue\",\n      \"prints\": \"receipt\""));
    kiosk_proc k;
    kiosk_launch(&p, &k);
    /* Adopted on the attract screen once fetched. */
    for (int i = 0; i < 100 && requests_of(&p, "catalog") < 1; i++)
        usleep(50 * 1000);
    assert_true(requests_of(&p, "catalog") >= 1);
    usleep(500 * 1000);
    int hits[5];

    /* (a) A citizen fills the form, cancels, and goes.
     * While they are still there, the scan finds them (it can fail). */
    fill_the_ticket(&k, &citizens[0]);
    look_for(1);
    assert_true(scan(k.pid, "while the citizen is at the kiosk") > 0);
    kiosk_expect(&k, "tap step.cancel", "ok home");
    session_ends(&k);
    usleep(500 * 1000);
    look_for(1);
    hits[0] = scan(k.pid, "(a) a session ended without submitting");

    /* (b) One submission, acknowledged: the platform's tracking number is
     * on the result. */
    fill_the_ticket(&k, &citizens[1]);
    const char *tree = submit_and_leave(&k);
    assert_non_null(strstr(tree, "办理成功"));
    assert_true(stored_reaches(&p, 1, 10));
    assert_true(nothing_waits(&k));
    usleep(500 * 1000);
    look_for(2);
    hits[1] = scan(k.pid, "(b) one submission acknowledged");

    /* (c) Three kept while the link is down, then delivered together. */
    set_fault(&p, "refuse");
    for (size_t i = 0; i < 3; i++) {
        fill_the_ticket(&k, &citizens[i == 0 ? 0 : i + 1]);
        assert_non_null(strstr(submit_and_leave(&k), "已受理，待上传"));
    }
    assert_int_equal(stat_of(&p, "stored"), 1);
    set_fault(&p, "none");
    assert_true(stored_reaches(&p, 4, 15));
    assert_true(nothing_waits(&k));
    usleep(500 * 1000);
    look_for(4);
    hits[2] = scan(k.pid, "(c) a batch of three delivered");

    /* (d) One submission by a citizen who showed an e-ID code: their name
     * and number came from the platform, through the same link. */
    fill_the_ticket(&k, &citizens[4]);
    assert_non_null(strstr(submit_and_leave(&k), "办理成功"));
    assert_true(stored_reaches(&p, 5, 10));
    assert_true(nothing_waits(&k));
    usleep(500 * 1000);
    look_for(CITIZEN_COUNT);
    hits[3] = scan(k.pid, "(d) an e-ID citizen's submission acknowledged");

    /* (e) A question (公积金查询) answered by the platform: the citizen's
     * number went out, the answer came back and was kept sealed under a
     * name made from the number. */
    citizen_opens(&k, "housing-fund-query", "card");
    citizen_identifies(&k, "1", "answer");
    /* The answer screen says it is asking before the answer comes. */
    assert_true(kiosk_shows(&k, "账户余额", 100));
    kiosk_expect(&k, "tap step.next", "ok rate");
    kiosk_ask(&k, "tap rate.skip");
    session_ends(&k);
    usleep(500 * 1000);
    hits[4] = scan(k.pid, "(e) a question answered");

    kiosk_stop(&k, false);
    stop_platform(&p);
    printf("  residue: (a) %d, (b) %d, (c) %d, (d) %d, (e) %d\n", hits[0], hits[1], hits[2],
           hits[3], hits[4]);
    assert_int_equal(hits[0] + hits[1] + hits[2] + hits[3] + hits[4], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_scan_spells_utf16_as_the_card_does),
        cmocka_unit_test(test_nothing_of_a_citizen_stays_in_memory),
    };
    return PLATFORM_RUN_TESTS(tests);
}
