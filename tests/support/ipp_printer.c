/* ippeveprinter as a test printer (ipp_printer.h). */
#include "tests/support/ipp_printer.h"
#include "tests/support/test_support.h"

#include <cups/cups.h>
#include <cups/ipp.h>
#include <qrencode.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define INSTALL_HINT "apt-get install cups-ipp-utils dbus poppler-utils zbar-tools"

struct ipp_printer {
    char dir[700];   /* the harness's folder */
    char spool[712]; /* what the printer received */
    char uri[128];
    char bus_address[IPP_PRINTER_PATH_MAX];
    int port;
    pid_t printer_pid, bus_pid;
};

/* The program's path: name in PATH, or in the sbin folders a user's PATH
 * often lacks (ippeveprinter lives in /usr/sbin). */
static bool find_program(const char *name, char *out, size_t size)
{
    const char *path = getenv("PATH");
    char folders[2048];
    snprintf(folders, sizeof folders, "%s:/usr/sbin:/sbin:/usr/bin", path ? path : "");
    char *save = NULL;
    for (char *folder = strtok_r(folders, ":", &save); folder;
         folder = strtok_r(NULL, ":", &save)) {
        snprintf(out, size, "%s/%s", folder, name);
        if (access(out, X_OK) == 0)
            return true;
    }
    return false;
}

static void require_program(const char *name, char *out, size_t size)
{
    if (!find_program(name, out, size))
        fail_msg("%s is missing: it is a test dependency (" INSTALL_HINT ")", name);
}

static void sleep_ms(int ms)
{
    struct timespec pause = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR) {
    }
}

/* A port nobody listens on now (the kernel's choice for port 0). */
static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s >= 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    assert_int_equal(bind(s, (struct sockaddr *)&address, sizeof address), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)&address, &length), 0);
    close(s);
    return ntohs(address.sin_port);
}

/* Starts argv with its output in log. The child dies with the test
 * (PR_SET_PDEATHSIG): a test that fails or crashes half-way leaves no
 * printer or bus behind. */
static pid_t spawn(const char *const *argv, const char *log, char *const *envp)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        fail_msg("cannot start %s: %s", argv[0], strerror(errno));
    if (pid == 0) {
        /* Only async-signal-safe calls here: the test has threads. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
            _exit(126);
        int in = open("/dev/null", O_RDONLY);
        int out = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (in < 0 || out < 0 || dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
            dup2(out, STDERR_FILENO) < 0)
            _exit(126);
        execve(argv[0], (char *const *)argv, envp);
        _exit(127);
    }
    return pid;
}

static void end_process(pid_t *pid, int signal_number)
{
    if (*pid <= 0)
        return;
    kill(*pid, signal_number);
    while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR) {
    }
    *pid = 0;
}

static bool exited(pid_t pid)
{
    int status;
    return waitpid(pid, &status, WNOHANG) == pid;
}

/* The private system bus ippeveprinter's DNS-SD side connects to. */
static void start_bus(ipp_printer *p)
{
    char program[512], socket_path[720], log[IPP_PRINTER_PATH_MAX];
    require_program("dbus-daemon", program, sizeof program);
    snprintf(socket_path, sizeof socket_path, "%s/bus", p->dir);
    snprintf(p->bus_address, sizeof p->bus_address, "unix:path=%s", socket_path);
    snprintf(log, sizeof log, "%s/dbus.log", p->dir);
    const char *argv[] = {program,     "--session",    "--nofork", "--nopidfile",
                          "--address", p->bus_address, NULL};
    p->bus_pid = spawn(argv, log, environ);
    for (int i = 0; i < 200 && access(socket_path, F_OK) != 0; i++)
        sleep_ms(10);
    if (access(socket_path, F_OK) != 0)
        fail_msg("dbus-daemon did not start: see %s", log);
}

static void write_text(const char *path, const char *text)
{
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs(text, file);
    fclose(file);
}

/* The command ippeveprinter runs for each job (its -c). */
static void write_job_script(const ipp_printer *p)
{
    char pdfinfo[512], path[IPP_PRINTER_PATH_MAX + 16], script[4096];
    require_program("pdfinfo", pdfinfo, sizeof pdfinfo);
    snprintf(
        script, sizeof script,
        "#!/bin/sh\n"
        "# One job as the test printer runs it: the pages counted, the time and the\n"
        "# fault asked for this job (then forgotten), the outcome on stderr.\n"
        "dir='%s'\n"
        "pages=$('%s' \"$1\" 2>/dev/null | sed -n 's/^Pages: *//p')\n"
        "pages=${pages:-0}\n"
        "echo \"ATTR: job-impressions=$pages\" >&2\n"
        "fault=none; delay=0\n"
        "[ -f \"$dir/next-fault\" ] && fault=$(cat \"$dir/next-fault\")\n"
        "[ -f \"$dir/next-delay\" ] && delay=$(cat \"$dir/next-delay\")\n"
        "rm -f \"$dir/next-fault\" \"$dir/next-delay\"\n"
        "[ \"$delay\" != 0 ] && sleep \"$delay\"\n"
        "case \"$fault\" in\n"
        "paper-out)\n"
        "    echo 'ATTR: job-impressions-completed=1' >&2\n"
        "    echo 'STATE: +media-empty,media-needed' >&2\n"
        "    sleep 0.5; exit 1 ;;\n"
        "jam)\n"
        "    echo 'ATTR: job-impressions-completed=1' >&2\n"
        "    echo 'STATE: +media-jam' >&2\n"
        "    sleep 0.5; exit 1 ;;\n"
        "hang)\n"
        "    i=0\n"
        "    while [ $i -lt 600 ] && [ ! -f \"$dir/release\" ]; do sleep 0.1; i=$((i+1)); done\n"
        "    exit 1 ;;\n"
        "esac\n"
        "echo \"ATTR: job-impressions-completed=$pages\" >&2\n"
        "exit 0\n",
        p->dir, pdfinfo);
    snprintf(path, sizeof path, "%s/job.sh", p->dir);
    write_text(path, script);
    assert_int_equal(chmod(path, 0755), 0);
}

/* One plain HTTP GET of path from the printer's web side; true on 200. */
static bool http_get(const ipp_printer *p, const char *path)
{
    http_t *http = httpConnect2("127.0.0.1", p->port, NULL, AF_INET, HTTP_ENCRYPTION_IF_REQUESTED,
                                1, 5000, NULL);
    if (!http)
        return false;
    httpClearFields(http);
    bool ok = httpGet(http, path) == 0;
    http_status_t status = HTTP_STATUS_CONTINUE;
    while (ok && (status = httpUpdate(http)) == HTTP_STATUS_CONTINUE) {
    }
    httpFlush(http);
    httpClose(http);
    return ok && status == HTTP_STATUS_OK;
}

static ipp_t *printer_attributes(const ipp_printer *p)
{
    http_t *http = httpConnect2("127.0.0.1", p->port, NULL, AF_INET, HTTP_ENCRYPTION_IF_REQUESTED,
                                1, 2000, NULL);
    if (!http)
        return NULL;
    ipp_t *request = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, p->uri);
    ipp_t *response = cupsDoRequest(http, request, "/ipp/print");
    httpClose(http);
    return response;
}

bool ipp_printer_answers(const ipp_printer *printer)
{
    ipp_t *response = printer_attributes(printer);
    bool answered = response && ippFindAttribute(response, "printer-state", IPP_TAG_ENUM);
    ippDelete(response);
    return answered;
}

const char *ipp_printer_reasons(const ipp_printer *printer)
{
    static char reasons[512];
    reasons[0] = '\0';
    ipp_t *response = printer_attributes(printer);
    ipp_attribute_t *attribute =
        response ? ippFindAttribute(response, "printer-state-reasons", IPP_TAG_KEYWORD) : NULL;
    if (attribute)
        ippAttributeString(attribute, reasons, sizeof reasons);
    ippDelete(response);
    return reasons;
}

/* Starts ippeveprinter on p->port; false when it exited (the port was
 * taken meanwhile). */
static bool launch(ipp_printer *p)
{
    char program[512], script[IPP_PRINTER_PATH_MAX + 16], log[IPP_PRINTER_PATH_MAX + 32], port[16],
        bus[IPP_PRINTER_PATH_MAX + 64];
    require_program("ippeveprinter", program, sizeof program);
    snprintf(script, sizeof script, "%s/job.sh", p->dir);
    snprintf(log, sizeof log, "%s/ippeveprinter.log", p->dir);
    snprintf(port, sizeof port, "%d", p->port);
    snprintf(p->uri, sizeof p->uri, "ipp://127.0.0.1:%d/ipp/print", p->port);
    const char *argv[] = {program,
                          "-r",
                          "off",
                          "-k",
                          "-d",
                          p->spool,
                          "-f",
                          "application/pdf",
                          "-p",
                          port,
                          "-c",
                          script,
                          "-M",
                          "Kiosk",
                          "-m",
                          "A4 test printer",
                          "Kiosk A4 test printer",
                          NULL};
    /* The environment, with the private bus as the system one. */
    size_t count = 0;
    while (environ[count])
        count++;
    char **envp = calloc(count + 2, sizeof *envp);
    assert_non_null(envp);
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        if (strncmp(environ[i], "DBUS_SYSTEM_BUS_ADDRESS=", 24) != 0)
            envp[n++] = environ[i];
    snprintf(bus, sizeof bus, "DBUS_SYSTEM_BUS_ADDRESS=%s", p->bus_address);
    envp[n++] = bus;
    p->printer_pid = spawn(argv, log, envp);
    free(envp);
    for (int i = 0; i < 500; i++) {
        if (exited(p->printer_pid)) {
            p->printer_pid = 0;
            return false;
        }
        if (ipp_printer_answers(p))
            return true;
        sleep_ms(20);
    }
    fail_msg("ippeveprinter did not answer within 10 s: see %s", log);
    return false;
}

static void load_paper_and_toner(ipp_printer *p)
{
    ipp_printer_set_paper(p, 250);
    ipp_printer_set_toner(p, 80);
}

ipp_printer *ipp_printer_start(const char *name)
{
    ipp_printer *p = calloc(1, sizeof *p);
    assert_non_null(p);
    char folder[128];
    snprintf(folder, sizeof folder, "ipp-%s", name);
    snprintf(p->dir, sizeof p->dir, "%s", test_make_temp_dir(folder));
    snprintf(p->spool, sizeof p->spool, "%s/spool", p->dir);
    assert_int_equal(mkdir(p->spool, 0755), 0);
    write_job_script(p);
    start_bus(p);
    bool started = false;
    for (int attempt = 0; attempt < 5 && !started; attempt++) {
        p->port = free_port();
        started = launch(p);
    }
    if (!started) {
        end_process(&p->bus_pid, SIGTERM);
        fail_msg("ippeveprinter exited at start five times: see %s/ippeveprinter.log", p->dir);
    }
    load_paper_and_toner(p);
    return p;
}

void ipp_printer_kill(ipp_printer *printer)
{
    end_process(&printer->printer_pid, SIGKILL);
}

void ipp_printer_restart(ipp_printer *printer)
{
    ipp_printer_kill(printer);
    if (!launch(printer))
        fail_msg("ippeveprinter could not start again on port %d: see %s/ippeveprinter.log",
                 printer->port, printer->dir);
    load_paper_and_toner(printer);
}

void ipp_printer_stop(ipp_printer *printer)
{
    if (!printer)
        return;
    char release[IPP_PRINTER_PATH_MAX + 16];
    snprintf(release, sizeof release, "%s/release", printer->dir);
    write_text(release, "");
    end_process(&printer->printer_pid, SIGTERM);
    end_process(&printer->bus_pid, SIGTERM);
    free(printer);
}

const char *ipp_printer_uri(const ipp_printer *printer)
{
    return printer->uri;
}

int ipp_printer_port(const ipp_printer *printer)
{
    return printer->port;
}

const char *ipp_printer_spool(const ipp_printer *printer)
{
    return printer->spool;
}

void ipp_printer_set_paper(ipp_printer *printer, int sheets)
{
    /* The tray (index 1, "main") holds A4; the by-pass tray (3) is kept
     * out of the way with enough sheets to raise no warning of its own. */
    char path[256];
    snprintf(path, sizeof path,
             "/media?size1=iso_a4_210x297mm&type1=stationery&level1=%d"
             "&size3=iso_a4_210x297mm&type3=stationery&level3=25",
             sheets);
    if (!http_get(printer, path))
        fail_msg("ippeveprinter's /media page did not take %d sheets", sheets);
}

void ipp_printer_set_toner(ipp_printer *printer, int percent)
{
    char path[128];
    snprintf(path, sizeof path, "/supplies?supply0=25&supply1=%d", percent);
    if (!http_get(printer, path))
        fail_msg("ippeveprinter's /supplies page did not take %d%%", percent);
}

void ipp_printer_next_job(ipp_printer *printer, ipp_fault fault, double seconds)
{
    static const char *const names[] = {[IPP_FAULT_NONE] = "none",
                                        [IPP_FAULT_PAPER_OUT] = "paper-out",
                                        [IPP_FAULT_JAM] = "jam",
                                        [IPP_FAULT_HANG] = "hang"};
    char path[IPP_PRINTER_PATH_MAX + 16], delay[32];
    snprintf(path, sizeof path, "%s/next-fault", printer->dir);
    write_text(path, names[fault]);
    snprintf(path, sizeof path, "%s/next-delay", printer->dir);
    snprintf(delay, sizeof delay, "%.3f", seconds);
    write_text(path, delay);
}

static int by_name(const void *a, const void *b)
{
    /* ippeveprinter names a document "<job id>-<name>.pdf": by job id. */
    return atoi(a) - atoi(b);
}

size_t ipp_printer_documents(const ipp_printer *printer, char paths[][IPP_PRINTER_PATH_MAX],
                             size_t max)
{
    char names[64][300];
    size_t count = 0;
    DIR *dir = opendir(printer->spool);
    assert_non_null(dir);
    for (struct dirent *entry; (entry = readdir(dir)) != NULL;) {
        size_t length = strlen(entry->d_name);
        if (length > 4 && strcmp(entry->d_name + length - 4, ".pdf") == 0 && count < 64)
            snprintf(names[count++], sizeof names[0], "%s", entry->d_name);
    }
    closedir(dir);
    qsort(names, count, sizeof names[0], by_name);
    for (size_t i = 0; i < count && i < max; i++)
        if (snprintf(paths[i], IPP_PRINTER_PATH_MAX, "%s/%s", printer->spool, names[i]) >=
            IPP_PRINTER_PATH_MAX)
            fail_msg("%s/%s: too long a path", printer->spool, names[i]);
    return count;
}

int ipp_document_pages(const char *path)
{
    char program[512], out[4096];
    require_program("pdfinfo", program, sizeof program);
    const char *argv[] = {program, path, NULL};
    out[0] = '\0';
    if (test_run(argv, NULL, 0, out, sizeof out) != 0)
        return -1;
    for (const char *line = out; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        if (strncmp(line, "Pages:", 6) == 0)
            return atoi(line + 6);
    return -1;
}

const char *ipp_document_text(const char *path)
{
    char program[512], text_path[IPP_PRINTER_PATH_MAX + 16];
    require_program("pdftotext", program, sizeof program);
    snprintf(text_path, sizeof text_path, "%s.txt", path);
    const char *argv[] = {program, "-enc", "UTF-8", path, text_path, NULL};
    if (test_run(argv, NULL, 0, NULL, 0) != 0)
        return NULL;
    return test_read_file(text_path);
}

/* A PDF of pages A4 pages, page n saying "<text> <n>", written by hand:
 * the objects, then the cross-reference table of their offsets. */
/* Page n's content: its line of text and, on page 1, the QR code drawn as
 * filled squares (4 pt a module, a 4-module quiet zone). */
static char *page_content(const char *text, int n, const char *qr)
{
    char *content = NULL;
    size_t length = 0;
    FILE *stream = open_memstream(&content, &length);
    assert_non_null(stream);
    fprintf(stream, "BT /F1 24 Tf 72 760 Td (%s %d) Tj ET\n", text, n);
    if (qr && n == 1) {
        QRcode *code = QRcode_encodeString8bit(qr, 0, QR_ECLEVEL_M);
        assert_non_null(code);
        const double module = 4, left = 72, top = 700;
        for (int y = 0; y < code->width; y++)
            for (int x = 0; x < code->width; x++)
                if (code->data[y * code->width + x] & 1)
                    fprintf(stream, "%.0f %.0f %.0f %.0f re\n", left + (x + 4) * module,
                            top - (y + 5) * module, module, module);
        fputs("f\n", stream);
        QRcode_free(code);
    }
    fclose(stream);
    return content;
}

size_t ipp_test_pdf_qr(int pages, const char *text, const char *qr, char *out, size_t size)
{
    size_t used = 0, offsets[64];
    /* 0 (free), catalog, pages, font, then a page and its content each. */
    int objects = 4 + 2 * pages;
    assert_true(pages > 0 && objects < 64);
#define PUT(...)                                                                                   \
    do {                                                                                           \
        int n_ = snprintf(out + used, size - used, __VA_ARGS__);                                   \
        if (n_ < 0 || used + (size_t)n_ >= size)                                                   \
            fail_msg("a test PDF of %d pages does not fit in %zu bytes", pages, size);             \
        used += (size_t)n_;                                                                        \
    } while (0)
    PUT("%%PDF-1.4\n");
    offsets[1] = used;
    PUT("1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
    offsets[2] = used;
    PUT("2 0 obj << /Type /Pages /Count %d /Kids [", pages);
    for (int i = 0; i < pages; i++)
        PUT(" %d 0 R", 4 + 2 * i);
    PUT(" ] >> endobj\n");
    offsets[3] = used;
    PUT("3 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n");
    for (int i = 0; i < pages; i++) {
        char *content = page_content(text, i + 1, qr);
        offsets[4 + 2 * i] = used;
        PUT("%d 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            "/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >> endobj\n",
            4 + 2 * i, 5 + 2 * i);
        offsets[5 + 2 * i] = used;
        PUT("%d 0 obj << /Length %zu >> stream\n%sendstream endobj\n", 5 + 2 * i, strlen(content),
            content);
        free(content);
    }
    size_t xref = used;
    PUT("xref\n0 %d\n0000000000 65535 f \n", objects);
    for (int i = 1; i < objects; i++)
        PUT("%010zu 00000 n \n", offsets[i]);
    PUT("trailer << /Size %d /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", objects, xref);
#undef PUT
    return used;
}

size_t ipp_test_pdf(int pages, const char *text, char *out, size_t size)
{
    return ipp_test_pdf_qr(pages, text, NULL, out, size);
}

const char *ipp_document_qr(const char *path, int page)
{
    static char payload[1024];
    char pdftoppm[512], zbarimg[512], prefix[IPP_PRINTER_PATH_MAX + 16],
        image[IPP_PRINTER_PATH_MAX + 32], number[16];
    require_program("pdftoppm", pdftoppm, sizeof pdftoppm);
    require_program("zbarimg", zbarimg, sizeof zbarimg);
    snprintf(prefix, sizeof prefix, "%s.page", path);
    snprintf(number, sizeof number, "%d", page);
    const char *render[] = {pdftoppm, "-r",   "150",         "-f", number, "-l",
                            number,   "-png", "-singlefile", path, prefix, NULL};
    if (test_run(render, NULL, 0, NULL, 0) != 0)
        return NULL;
    snprintf(image, sizeof image, "%s.png", prefix);
    const char *read[] = {zbarimg, "-q", "--raw", image, NULL};
    payload[0] = '\0';
    if (test_run(read, NULL, 0, payload, sizeof payload) != 0)
        return NULL;
    payload[strcspn(payload, "\n")] = '\0';
    return payload;
}

const char *ipp_printer_board(const ipp_printer *printer, const char *board)
{
    static char path[IPP_PRINTER_PATH_MAX];
    const char *data_dir = NULL;
    const char *copy = test_board_in_temp(board, &data_dir);
    const char *profile = test_read_file(copy);
    assert_non_null(profile);
    if (!strstr(profile, "ipp://127.0.0.1:8631/ipp/print"))
        fail_msg("%s: no a4-printer at ipp://127.0.0.1:8631/ipp/print to move", board);
    char *moved = strdup(test_replace(profile, "ipp://127.0.0.1:8631/ipp/print", printer->uri));
    assert_non_null(moved);
    snprintf(path, sizeof path, "%s", test_write_file(data_dir, "board.json", moved));
    free(moved);
    return path;
}
