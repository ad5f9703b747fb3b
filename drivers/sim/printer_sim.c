/* The simulated receipt printer. Bytes are kept until a whole command is in
 * (escpos_scan), then taken one command at a time: status requests answered,
 * print data added to the receipt in progress, a cut closing it. See
 * printer_sim.h. */
#include "drivers/sim/printer_sim.h"

#include "drivers/printer/escpos_status.h"
#include "drivers/sim/simulation.h"
#include "firmware/base/log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A bytes buffer with a limit; what does not fit is lost, as in a real
 * printer's receive buffer. */
typedef struct sim_buffer {
    uint8_t *bytes;
    size_t length, capacity, limit;
} sim_buffer;

typedef struct printer_sim {
    usb_model base;
    pthread_mutex_t lock; /* controls come from other threads than the bus */
    escpos_model model;
    bool paper_out, cover_open, near_end, cutter_error, hold, silent;
    bool paper_countdown, cover_countdown;
    size_t paper_left, cover_left;
    unsigned held_marks; /* GS r requests waiting for the hold to end */
    sim_buffer pending;  /* bytes that are not yet a whole command */
    sim_buffer log;      /* everything, up to PRINTER_SIM_LOG_MAX */
    size_t received;
    sim_buffer job;  /* print data since the last cut */
    sim_buffer last; /* the last receipt that printed to its cut */
    size_t print_bytes;
    unsigned long cuts, status_answers;
    uint8_t answer[256];
    size_t answer_length;
} printer_sim;

static printer_sim *sim_of(usb_model *model)
{
    return (printer_sim *)model;
}

static bool buffer_add(sim_buffer *b, const uint8_t *bytes, size_t length)
{
    if (length > b->limit - b->length)
        return false;
    if (b->length + length > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 4096;
        while (capacity < b->length + length)
            capacity *= 2;
        if (capacity > b->limit)
            capacity = b->limit;
        /* A fresh block, the old one wiped: receipts carry names. */
        uint8_t *grown = malloc(capacity);
        if (!grown)
            return false;
        if (b->bytes) {
            memcpy(grown, b->bytes, b->length);
            explicit_bzero(b->bytes, b->capacity);
            free(b->bytes);
        }
        b->bytes = grown;
        b->capacity = capacity;
    }
    memcpy(b->bytes + b->length, bytes, length);
    b->length += length;
    return true;
}

static void buffer_free(sim_buffer *b)
{
    if (b->bytes)
        explicit_bzero(b->bytes, b->capacity);
    free(b->bytes);
    b->bytes = NULL;
    b->length = b->capacity = 0;
}

static bool stopped(const printer_sim *sim)
{
    return sim->paper_out || sim->cover_open || sim->cutter_error;
}

static void answer(printer_sim *sim, uint8_t byte)
{
    if (!sim->silent && sim->answer_length < sizeof sim->answer)
        sim->answer[sim->answer_length++] = byte;
}

static void answer_status(printer_sim *sim, int n)
{
    if (n < 1 || n > 4)
        return;
    escpos_status s = {.offline = stopped(sim),
                       .cover_open = sim->cover_open,
                       .paper_end_stop = sim->paper_out,
                       .error = sim->cutter_error,
                       .cutter_error = sim->cutter_error,
                       .paper_near_end = sim->near_end || sim->paper_out,
                       .paper_out = sim->paper_out};
    uint8_t answers[4];
    escpos_status_build(&s, answers);
    answer(sim, answers[n - 1]);
    sim->status_answers++;
}

/* Counts a command against a fault set to strike after so many bytes:
 * true when it strikes before this command prints. */
static bool strikes(bool *countdown, size_t *left, size_t length)
{
    if (!*countdown)
        return false;
    if (length > *left) {
        *countdown = false;
        return true;
    }
    *left -= length;
    return false;
}

static void print_command(printer_sim *sim, const escpos_command *c, const uint8_t *bytes)
{
    if (strikes(&sim->paper_countdown, &sim->paper_left, c->length))
        sim->paper_out = true;
    if (strikes(&sim->cover_countdown, &sim->cover_left, c->length))
        sim->cover_open = true;
    if (stopped(sim))
        return;
    sim->print_bytes += c->length;
    if (!buffer_add(&sim->job, bytes, c->length))
        LOG_WARN("printer-sim", "a receipt larger than %zu bytes: the rest is lost",
                 sim->job.limit);
    if (c->kind != ESCPOS_CUT)
        return;
    /* The receipt is done: it becomes the last one. */
    buffer_free(&sim->last);
    sim->last = sim->job;
    sim->job = (sim_buffer){.limit = sim->last.limit};
    sim->cuts++;
}

static void take(printer_sim *sim, const escpos_command *c, const uint8_t *bytes)
{
    if (c->kind == ESCPOS_REAL_TIME_STATUS) {
        answer_status(sim, c->parameter);
        return;
    }
    if (stopped(sim))
        return; /* offline: only real-time requests are heard */
    if (c->kind == ESCPOS_TRANSMIT_STATUS) {
        /* Everything before it has printed (instantly, here). */
        if (c->parameter != 1 && c->parameter != 49)
            answer(sim, 0x00); /* drawer status: pin 3 low */
        else if (sim->hold)
            sim->held_marks++;
        else
            answer(sim, escpos_paper_build(sim->near_end, false));
        return;
    }
    print_command(sim, c, bytes);
}

static kiosk_error sim_receive(usb_model *model, uint8_t endpoint, const uint8_t *data,
                               size_t length)
{
    printer_sim *sim = sim_of(model);
    if (endpoint != PRINTER_SIM_ENDPOINT_OUT)
        return KIOSK_ERR_IO;
    pthread_mutex_lock(&sim->lock);
    sim->received += length;
    size_t keep = sim->log.limit - sim->log.length;
    (void)buffer_add(&sim->log, data, length < keep ? length : keep);
    if (!buffer_add(&sim->pending, data, length))
        LOG_WARN("printer-sim", "receive buffer full: %zu bytes lost", length);
    size_t at = 0;
    escpos_command c;
    while (at < sim->pending.length &&
           escpos_scan(sim->pending.bytes + at, sim->pending.length - at, &c)) {
        take(sim, &c, sim->pending.bytes + at);
        at += c.length;
    }
    memmove(sim->pending.bytes, sim->pending.bytes + at, sim->pending.length - at);
    sim->pending.length -= at;
    pthread_mutex_unlock(&sim->lock);
    return KIOSK_OK;
}

static kiosk_error sim_send(usb_model *model, uint8_t endpoint, uint8_t *data, size_t capacity,
                            size_t *length)
{
    printer_sim *sim = sim_of(model);
    if (endpoint != PRINTER_SIM_ENDPOINT_IN)
        return KIOSK_ERR_IO;
    pthread_mutex_lock(&sim->lock);
    size_t n = sim->answer_length < capacity ? sim->answer_length : capacity;
    memcpy(data, sim->answer, n);
    memmove(sim->answer, sim->answer + n, sim->answer_length - n);
    sim->answer_length -= n;
    *length = n;
    pthread_mutex_unlock(&sim->lock);
    return KIOSK_OK;
}

static void sim_destroy(usb_model *model)
{
    printer_sim *sim = sim_of(model);
    buffer_free(&sim->pending);
    buffer_free(&sim->log);
    buffer_free(&sim->job);
    buffer_free(&sim->last);
    pthread_mutex_destroy(&sim->lock);
    explicit_bzero(sim, sizeof *sim);
    free(sim);
}

static const usb_model_ops printer_sim_ops = {
    .receive = sim_receive, .send = sim_send, .destroy = sim_destroy};

escpos_model printer_sim_escpos_model(printer_sim_kind kind)
{
    if (kind == PRINTER_SIM_58MM_NO_QR)
        return (escpos_model){.paper_mm = 58};
    return (escpos_model){.paper_mm = 80, .native_qr = true};
}

usb_model *printer_sim_create(printer_sim_kind kind)
{
    printer_sim *sim = calloc(1, sizeof *sim);
    if (!sim)
        return NULL;
    uint16_t product =
        kind == PRINTER_SIM_58MM_NO_QR ? PRINTER_SIM_PRODUCT_58 : PRINTER_SIM_PRODUCT_80;
    sim->base = (usb_model){.ops = &printer_sim_ops,
                            .id = {PRINTER_SIM_VENDOR, product},
                            .interface = 0,
                            .interface_class = 0x07, /* printer */
                            .endpoint_in = PRINTER_SIM_ENDPOINT_IN,
                            .endpoint_out = PRINTER_SIM_ENDPOINT_OUT};
    sim->model = printer_sim_escpos_model(kind);
    sim->pending.limit = ESCPOS_COMMAND_MAX + 4096;
    sim->log.limit = PRINTER_SIM_LOG_MAX;
    sim->job.limit = sim->last.limit = ESCPOS_OUTPUT_MAX;
    pthread_mutex_init(&sim->lock, NULL);
    return &sim->base;
}

void printer_sim_set_paper_out(usb_model *printer, bool out)
{
    printer_sim *sim = sim_of(printer);
    pthread_mutex_lock(&sim->lock);
    if (sim->paper_out && !out)
        buffer_free(&sim->job); /* the half-printed receipt is torn off */
    sim->paper_out = out;
    sim->paper_countdown = false;
    pthread_mutex_unlock(&sim->lock);
}

void printer_sim_paper_out_after(usb_model *printer, size_t bytes)
{
    printer_sim *sim = sim_of(printer);
    pthread_mutex_lock(&sim->lock);
    sim->paper_countdown = true;
    sim->paper_left = bytes;
    pthread_mutex_unlock(&sim->lock);
}

void printer_sim_set_cover_open(usb_model *printer, bool open)
{
    printer_sim *sim = sim_of(printer);
    pthread_mutex_lock(&sim->lock);
    if (sim->cover_open && !open)
        buffer_free(&sim->job);
    sim->cover_open = open;
    sim->cover_countdown = false;
    pthread_mutex_unlock(&sim->lock);
}

void printer_sim_cover_open_after(usb_model *printer, size_t bytes)
{
    printer_sim *sim = sim_of(printer);
    pthread_mutex_lock(&sim->lock);
    sim->cover_countdown = true;
    sim->cover_left = bytes;
    pthread_mutex_unlock(&sim->lock);
}

void printer_sim_set_paper_near_end(usb_model *printer, bool near_end)
{
    printer_sim *sim = sim_of(printer);
    pthread_mutex_lock(&sim->lock);
    sim->near_end = near_end;
    pthread_mutex_unlock(&sim->lock);
}

void printer_sim_set_cutter_error(usb_model *printer, bool error)
{
    printer_sim *sim = sim_of(printer);
    pthread_mutex_lock(&sim->lock);
    sim->cutter_error = error;
    pthread_mutex_unlock(&sim->lock);
}

void printer_sim_set_silent(usb_model *printer, bool silent)
{
    printer_sim *sim = sim_of(printer);
    pthread_mutex_lock(&sim->lock);
    sim->silent = silent;
    pthread_mutex_unlock(&sim->lock);
}

void printer_sim_hold_printing(usb_model *printer, bool hold)
{
    printer_sim *sim = sim_of(printer);
    pthread_mutex_lock(&sim->lock);
    sim->hold = hold;
    for (; !hold && sim->held_marks > 0; sim->held_marks--)
        answer(sim, escpos_paper_build(sim->near_end, false));
    pthread_mutex_unlock(&sim->lock);
}

size_t printer_sim_print_bytes(usb_model *printer)
{
    printer_sim *sim = sim_of(printer);
    pthread_mutex_lock(&sim->lock);
    size_t n = sim->print_bytes;
    pthread_mutex_unlock(&sim->lock);
    return n;
}

unsigned long printer_sim_cuts(usb_model *printer)
{
    printer_sim *sim = sim_of(printer);
    pthread_mutex_lock(&sim->lock);
    unsigned long n = sim->cuts;
    pthread_mutex_unlock(&sim->lock);
    return n;
}

unsigned long printer_sim_status_answers(usb_model *printer)
{
    printer_sim *sim = sim_of(printer);
    pthread_mutex_lock(&sim->lock);
    unsigned long n = sim->status_answers;
    pthread_mutex_unlock(&sim->lock);
    return n;
}

bool printer_sim_printed(usb_model *printer, receipt *out)
{
    printer_sim *sim = sim_of(printer);
    pthread_mutex_lock(&sim->lock);
    bool printed = sim->last.length > 0 && escpos_decode(sim->last.bytes, sim->last.length,
                                                         &sim->model, out, NULL) == KIOSK_OK;
    pthread_mutex_unlock(&sim->lock);
    return printed;
}

void printer_sim_sample_receipt(receipt *r, int paper_mm)
{
    receipt_init(r, paper_mm);
    receipt_text(r, RECEIPT_ALIGN_CENTER, 2, true, "政务服务中心");
    receipt_text(r, RECEIPT_ALIGN_CENTER, 1, false, "24小时自助服务区");
    receipt_rule(r);
    receipt_text(r, RECEIPT_ALIGN_LEFT, 1, false, "事项：居住证签注");
    receipt_text(r, RECEIPT_ALIGN_LEFT, 1, false, "办件编号：SZ2026112200017");
    receipt_text(r, RECEIPT_ALIGN_LEFT, 1, false, "申请人：王*明");
    receipt_text(r, RECEIPT_ALIGN_LEFT, 1, false, "受理时间：2026-11-22 09:30");
    receipt_rule(r);
    receipt_qr(r, RECEIPT_ALIGN_CENTER, 6, "https://zwfw.example.gov.cn/t/SZ2026112200017");
    receipt_text(r, RECEIPT_ALIGN_CENTER, 1, false, "扫码查询办理进度");
    receipt_text(r, RECEIPT_ALIGN_LEFT, 1, false,
                 "请妥善保管本凭条，凭办件编号可在政务服务网或自助终端查询办理进度。");
    receipt_feed(r, 3);
    receipt_cut(r);
}

static usb_model *simulator_create(usb_bus *bus)
{
    (void)bus;
    return printer_sim_create(PRINTER_SIM_80MM);
}

/* p runs the paper out, and refills it. */
static bool simulator_key(const simulation_keys *keys, int key)
{
    if (key != 'p')
        return false;
    *keys->toggled = !*keys->toggled;
    printer_sim_set_paper_out(keys->model, *keys->toggled);
    LOG_INFO("sim", "simulated printer: paper %s", *keys->toggled ? "out" : "refilled");
    return true;
}

const device_simulator printer_simulator = {.create = simulator_create, .key = simulator_key};
