/* The simulated ID card reader. It keeps the bytes the host sent until a
 * whole request frame is in, answers it as a reader would (find, select,
 * read, SAM status), and hands the answer back in USB-sized pieces, so the
 * driver's reassembly is exercised as on real hardware. */
#include "drivers/sim/idcard_sim.h"

#include "drivers/sim/simulation.h"
#include "firmware/base/id_number.h"
#include "firmware/base/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Answers leave in pieces of at most this (a high-speed bulk packet). */
#define PIECE 512

typedef struct idcard_sim {
    usb_model base;
    pthread_mutex_t lock; /* controls come from other threads than the bus */
    bool card_present;
    bool card_selected;
    idcard_sim_citizen citizen;
    idcard_sim_fault fault;
    idcard_sim_target target;
    bool damaging; /* the persistent fault hits the answer being made */
    uint8_t request[IDCARD_FRAME_MAX];
    size_t request_length;
    uint8_t answer[2 * IDCARD_FRAME_MAX];
    size_t answer_length, answer_sent;
    unsigned long answered;
} idcard_sim;

typedef struct citizen_card {
    const char *name;
    const char *name_en;
    char sex;
    const char *ethnicity;
    const char *nationality;
    const char *birth;
    const char *address;
    const char *first17; /* the ID number without its check character */
    const char *authority;
    const char *from, *to;
    idcard_card_type type;
} citizen_card;

/* Made-up people: the names are invented, the numbers only have valid check
 * characters. */
static const citizen_card citizens[IDCARD_SIM_CITIZEN_COUNT] = {
    [IDCARD_SIM_ORDINARY] = {.name = "王小明",
                             .sex = '1',
                             .ethnicity = "01",
                             .birth = "19900101",
                             .address = "广东省深圳市福田区示例路1号",
                             .first17 = "44030419900101123",
                             .authority = "深圳市公安局福田分局",
                             .from = "20150101",
                             .to = "20350101"},
    [IDCARD_SIM_LONG_NAME] = {.name = "古丽米热·阿卜杜克热木·买买提",
                              .sex = '2',
                              .ethnicity = "05",
                              .birth = "19850315",
                              .address = "新疆维吾尔自治区乌鲁木齐市天山区示例街道88号",
                              .first17 = "65010219850315002",
                              .authority = "乌鲁木齐市公安局天山分局",
                              .from = "20200601",
                              .to = "20400601"},
    [IDCARD_SIM_RARE_CHARACTER] = {.name = "林\xF0\xAA\x9A\xA5华",
                                   .sex = '1',
                                   .ethnicity = "01",
                                   .birth = "20000229",
                                   .address = "福建省福州市鼓楼区示例巷3号",
                                   .first17 = "35010220000229451",
                                   .authority = "福州市公安局鼓楼分局",
                                   .from = "20180301",
                                   .to = "20280301"},
    [IDCARD_SIM_LONG_TERM] = {.name = "赵桂兰",
                              .sex = '2',
                              .ethnicity = "03",
                              .birth = "19480708",
                              .address = "北京市朝阳区示例胡同12号院3号楼",
                              .first17 = "11010519480708002",
                              .authority = "北京市公安局朝阳分局",
                              .from = "20100520",
                              .to = "长期"},
    [IDCARD_SIM_EXPIRED] = {.name = "孙建国",
                            .sex = '1',
                            .ethnicity = "01",
                            .birth = "19751120",
                            .address = "四川省成都市武侯区示例大道99号",
                            .first17 = "51010719751120031",
                            .authority = "成都市公安局武侯区分局",
                            .from = "20100630",
                            .to = "20200630"},
    [IDCARD_SIM_FOREIGN] = {.name = "马丁",
                            .name_en = "MARTIN, ANNA",
                            .sex = '2',
                            .nationality = "FRA",
                            .birth = "19880412",
                            .first17 = "FRA310088041200",
                            .authority = "3100",
                            .from = "20190901",
                            .to = "20290901",
                            .type = IDCARD_TYPE_FOREIGN_PERMANENT},
    [IDCARD_SIM_FOREIGN_2023] = {.name = "MUELLER-LUDENSCHEIDT, ALEXANDRA MARIA KATHRIN",
                                 .name_en = "MUELLER-LUDENSCHEIDT, ALEXANDRA MARIA KATHRIN",
                                 .sex = '2',
                                 .nationality = "DEU",
                                 .birth = "19910305",
                                 .first17 = "93127619910305002",
                                 .from = "20240115",
                                 .to = "20340115",
                                 .type = IDCARD_TYPE_FOREIGN_PERMANENT_2023},
    /* Their own ID cards, laid to sign in (the sample credentials know
     * their numbers' hashes): keys 8 and 9. */
    [IDCARD_SIM_STAFF] = {.name = "周晓梅",
                          .sex = '2',
                          .ethnicity = "01",
                          .birth = "19820514",
                          .address = "江苏省南京市鼓楼区示例路20号",
                          .first17 = "32010619820514318",
                          .authority = "南京市公安局鼓楼分局",
                          .from = "20160301",
                          .to = "20360301"},
    [IDCARD_SIM_TECHNICIAN] = {.name = "陈志强",
                               .sex = '1',
                               .ethnicity = "01",
                               .birth = "19790923",
                               .address = "江苏省南京市鼓楼区示例路21号",
                               .first17 = "32010619790923452",
                               .authority = "南京市公安局鼓楼分局",
                               .from = "20190801",
                               .to = "20390801"},
};

static void copy(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%s", text ? text : "");
}

kiosk_error idcard_sim_citizen_record(idcard_sim_citizen citizen, idcard_record *record)
{
    if ((int)citizen < 0 || citizen >= IDCARD_SIM_CITIZEN_COUNT)
        return KIOSK_ERR_INVALID_ARGUMENT;
    const citizen_card *card = &citizens[citizen];
    memset(record, 0, sizeof *record);
    record->type = card->type;
    copy(record->name, sizeof record->name, card->name);
    copy(record->name_en, sizeof record->name_en, card->name_en);
    record->sex_code = card->sex;
    copy(record->ethnicity_code, sizeof record->ethnicity_code, card->ethnicity);
    copy(record->nationality, sizeof record->nationality, card->nationality);
    copy(record->birth_date, sizeof record->birth_date, card->birth);
    copy(record->address, sizeof record->address, card->address);
    if (card->type == IDCARD_TYPE_FOREIGN_PERMANENT) {
        copy(record->id_number, sizeof record->id_number, card->first17);
    } else {
        snprintf(record->id_number, sizeof record->id_number, "%s%c", card->first17,
                 id_number_check_character(card->first17));
    }
    copy(record->authority, sizeof record->authority, card->authority);
    copy(record->valid_from, sizeof record->valid_from, card->from);
    copy(record->valid_to, sizeof record->valid_to, card->to);
    record->long_term = strcmp(card->to, "长期") == 0;
    /* A stand-in for the compressed photo: opaque bytes of the right size. */
    for (size_t i = 0; i < IDCARD_PHOTO_LENGTH; i++)
        record->photo[i] = (uint8_t)(i * 7 + (unsigned)citizen);
    record->photo_length = IDCARD_PHOTO_LENGTH;
    return KIOSK_OK;
}

static idcard_sim *sim_of(usb_model *model)
{
    return (idcard_sim *)model;
}

static void queue_answer(idcard_sim *sim, uint8_t sw3, const uint8_t *data, size_t length)
{
    size_t room = sizeof sim->answer - sim->answer_length;
    if (sim->fault == IDCARD_SIM_FAULT_FALSE_PREAMBLE_ALWAYS && room > 16) {
        /* A length of 64 that no byte fills: only the good frame after it
         * ever completes. */
        static const uint8_t false_start[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x40};
        memcpy(sim->answer + sim->answer_length, false_start, sizeof false_start);
        sim->answer_length += sizeof false_start;
        room -= sizeof false_start;
    }
    if (sim->fault == IDCARD_SIM_FAULT_GARBAGE_ONCE && room > 8) {
        static const uint8_t noise[] = {0x00, 0xAA, 0x13, 0x96, 0xFF, 0xAA, 0xAA};
        memcpy(sim->answer + sim->answer_length, noise, sizeof noise);
        sim->answer_length += sizeof noise;
        room -= sizeof noise;
        sim->fault = IDCARD_SIM_FAULT_NONE;
    }
    size_t n = idcard_answer_build(sw3, data, length, sim->answer + sim->answer_length, room);
    if (n == 0)
        return;
    if (sim->fault == IDCARD_SIM_FAULT_BAD_CHECKSUM_ONCE) {
        sim->answer[sim->answer_length + n - 1] ^= 0x5A;
        sim->fault = IDCARD_SIM_FAULT_NONE;
    }
    if (sim->damaging && sim->fault == IDCARD_SIM_FAULT_BAD_CHECKSUM_ALWAYS)
        sim->answer[sim->answer_length + n - 1] ^= 0x5A;
    if (sim->damaging && sim->fault == IDCARD_SIM_FAULT_BAD_LENGTH_ALWAYS) {
        sim->answer[sim->answer_length + 5] = 0xFF;
        sim->answer[sim->answer_length + 6] = 0xFF;
    }
    sim->answer_length += n;
    sim->answered++;
}

static void answer_read(idcard_sim *sim)
{
    if (sim->fault == IDCARD_SIM_FAULT_PULLED_DURING_READ) {
        sim->card_present = sim->card_selected = false;
        sim->fault = IDCARD_SIM_FAULT_NONE;
        queue_answer(sim, IDCARD_SW_READ_FAILED, NULL, 0);
        return;
    }
    idcard_record record;
    uint8_t data[4 + IDCARD_TEXT_LENGTH + IDCARD_PHOTO_LENGTH];
    if (idcard_sim_citizen_record(sim->citizen, &record) != KIOSK_OK ||
        idcard_text_build(&record, data + 4) != KIOSK_OK) {
        idcard_record_wipe(&record);
        queue_answer(sim, IDCARD_SW_READ_FAILED, NULL, 0);
        return;
    }
    data[0] = IDCARD_TEXT_LENGTH >> 8;
    data[1] = IDCARD_TEXT_LENGTH & 0xFF;
    data[2] = IDCARD_PHOTO_LENGTH >> 8;
    data[3] = IDCARD_PHOTO_LENGTH & 0xFF;
    memcpy(data + 4 + IDCARD_TEXT_LENGTH, record.photo, IDCARD_PHOTO_LENGTH);
    idcard_record_wipe(&record);
    size_t before = sim->answer_length;
    queue_answer(sim, IDCARD_SW_OK, data, sizeof data);
    explicit_bzero(data, sizeof data);
    if (sim->fault == IDCARD_SIM_FAULT_TRUNCATED_READ) {
        /* The rest never comes: the host times out. */
        sim->answer_length = before + (sim->answer_length - before) / 2;
        sim->fault = IDCARD_SIM_FAULT_NONE;
    }
}

static void answer(idcard_sim *sim, const idcard_frame *frame)
{
    if (frame->body_length < 2) {
        queue_answer(sim, IDCARD_SW_LENGTH, NULL, 0);
        return;
    }
    uint8_t command = frame->body[0], parameter = frame->body[1];
    static const uint8_t found[4] = {0};
    static const uint8_t selected[8] = {0};
    bool select = command == 0x20 && parameter == 0x02;
    bool read = command == 0x30 && parameter == 0x01;
    sim->damaging = sim->target == IDCARD_SIM_TARGET_EVERY ||
                    (sim->target == IDCARD_SIM_TARGET_READ && read) ||
                    (sim->target == IDCARD_SIM_TARGET_CARD && (select || read));
    if (sim->damaging && sim->fault == IDCARD_SIM_FAULT_ERROR_STATUS_ALWAYS) {
        queue_answer(sim, IDCARD_SW_CHECKSUM, NULL, 0);
    } else if (sim->fault == IDCARD_SIM_FAULT_SAM) {
        queue_answer(sim, IDCARD_SW_SAM_SELF_TEST, NULL, 0);
    } else if (command == 0x11 && parameter == 0xFF) {
        queue_answer(sim, IDCARD_SW_OK, NULL, 0);
    } else if (command == 0x20 && parameter == 0x01) {
        if (sim->card_present)
            queue_answer(sim, IDCARD_SW_CARD_FOUND, found, sizeof found);
        else
            queue_answer(sim, IDCARD_SW_FIND_FAILED, NULL, 0);
    } else if (command == 0x20 && parameter == 0x02) {
        sim->card_selected = sim->card_present;
        if (sim->card_present && sim->fault == IDCARD_SIM_FAULT_UNREADABLE_CARD)
            queue_answer(sim, IDCARD_SW_CARD_TYPE, NULL, 0);
        else if (sim->card_present)
            queue_answer(sim, IDCARD_SW_OK, selected, sizeof selected);
        else
            queue_answer(sim, IDCARD_SW_SELECT_FAILED, NULL, 0);
    } else if (command == 0x30 && parameter == 0x01) {
        if (!sim->card_selected)
            queue_answer(sim, IDCARD_SW_READ_FAILED, NULL, 0);
        else
            answer_read(sim);
    } else {
        queue_answer(sim, IDCARD_SW_COMMAND, NULL, 0);
    }
}

static kiosk_error sim_receive(usb_model *model, uint8_t endpoint, const uint8_t *data,
                               size_t length)
{
    idcard_sim *sim = sim_of(model);
    if (endpoint != IDCARD_SIM_ENDPOINT_OUT)
        return KIOSK_ERR_IO;
    pthread_mutex_lock(&sim->lock);
    /* What does not fit is lost, as in a real reader's buffer; the frame
     * scan resynchronises on the next preamble. */
    size_t room = sizeof sim->request - sim->request_length;
    size_t take = length < room ? length : room;
    memcpy(sim->request + sim->request_length, data, take);
    sim->request_length += take;
    for (;;) {
        idcard_frame frame;
        size_t consumed = 0;
        idcard_scan scan = idcard_frame_scan(sim->request, sim->request_length, &frame, &consumed);
        sim->damaging = sim->target == IDCARD_SIM_TARGET_EVERY;
        if (scan == IDCARD_SCAN_FRAME)
            answer(sim, &frame);
        else if (scan == IDCARD_SCAN_BAD_CHECKSUM)
            queue_answer(sim, IDCARD_SW_CHECKSUM, NULL, 0);
        else if (scan == IDCARD_SCAN_BAD_LENGTH)
            queue_answer(sim, IDCARD_SW_LENGTH, NULL, 0);
        memmove(sim->request, sim->request + consumed, sim->request_length - consumed);
        sim->request_length -= consumed;
        if (scan == IDCARD_SCAN_NEED_MORE || consumed == 0)
            break;
    }
    pthread_mutex_unlock(&sim->lock);
    return KIOSK_OK;
}

static kiosk_error sim_send(usb_model *model, uint8_t endpoint, uint8_t *data, size_t capacity,
                            size_t *length)
{
    idcard_sim *sim = sim_of(model);
    if (endpoint != IDCARD_SIM_ENDPOINT_IN)
        return KIOSK_ERR_IO;
    pthread_mutex_lock(&sim->lock);
    size_t left = sim->answer_length - sim->answer_sent;
    size_t n = left < capacity ? left : capacity;
    n = n < PIECE ? n : PIECE;
    memcpy(data, sim->answer + sim->answer_sent, n);
    sim->answer_sent += n;
    if (sim->answer_sent == sim->answer_length) {
        /* Everything went out: forget it (it held a card's contents). */
        explicit_bzero(sim->answer, sim->answer_length);
        sim->answer_length = sim->answer_sent = 0;
    }
    *length = n;
    pthread_mutex_unlock(&sim->lock);
    return KIOSK_OK;
}

static void sim_destroy(usb_model *model)
{
    idcard_sim *sim = sim_of(model);
    pthread_mutex_destroy(&sim->lock);
    explicit_bzero(sim, sizeof *sim);
    free(sim);
}

static const usb_model_ops idcard_sim_ops = {
    .receive = sim_receive, .send = sim_send, .destroy = sim_destroy};

usb_model *idcard_sim_create(void)
{
    idcard_sim *sim = calloc(1, sizeof *sim);
    if (!sim)
        return NULL;
    sim->base = (usb_model){.ops = &idcard_sim_ops,
                            .id = {IDCARD_SIM_VENDOR, IDCARD_SIM_PRODUCT},
                            .interface = 0,
                            .interface_class = 0xFF,
                            .endpoint_in = IDCARD_SIM_ENDPOINT_IN,
                            .endpoint_out = IDCARD_SIM_ENDPOINT_OUT};
    pthread_mutex_init(&sim->lock, NULL);
    return &sim->base;
}

void idcard_sim_lay_card(usb_model *reader, idcard_sim_citizen citizen)
{
    idcard_sim *sim = sim_of(reader);
    pthread_mutex_lock(&sim->lock);
    sim->card_present = (int)citizen >= 0 && citizen < IDCARD_SIM_CITIZEN_COUNT;
    sim->card_selected = false;
    sim->citizen = citizen;
    pthread_mutex_unlock(&sim->lock);
}

void idcard_sim_lift_card(usb_model *reader)
{
    idcard_sim *sim = sim_of(reader);
    pthread_mutex_lock(&sim->lock);
    sim->card_present = sim->card_selected = false;
    pthread_mutex_unlock(&sim->lock);
}

void idcard_sim_set_fault(usb_model *reader, idcard_sim_fault fault)
{
    idcard_sim *sim = sim_of(reader);
    pthread_mutex_lock(&sim->lock);
    sim->fault = fault;
    pthread_mutex_unlock(&sim->lock);
}

void idcard_sim_set_fault_target(usb_model *reader, idcard_sim_target target)
{
    idcard_sim *sim = sim_of(reader);
    pthread_mutex_lock(&sim->lock);
    sim->target = target;
    pthread_mutex_unlock(&sim->lock);
}

unsigned long idcard_sim_frames_answered(usb_model *reader)
{
    idcard_sim *sim = sim_of(reader);
    pthread_mutex_lock(&sim->lock);
    unsigned long n = sim->answered;
    pthread_mutex_unlock(&sim->lock);
    return n;
}

static usb_model *simulator_create(usb_bus *bus)
{
    (void)bus;
    return idcard_sim_create();
}

/* 1-7 lay a citizen's card on the reader, 8 and 9 a staff member's and a technician's, 0 lifts it.
 */
static bool simulator_key(const simulation_keys *keys, int key)
{
    if (key >= '1' && key < '1' + IDCARD_SIM_CITIZEN_COUNT) {
        idcard_sim_lay_card(keys->model, (idcard_sim_citizen)(key - '1'));
        LOG_INFO("sim", "simulated reader: card %d laid", key - '1' + 1);
        return true;
    }
    if (key == '0') {
        idcard_sim_lift_card(keys->model);
        LOG_INFO("sim", "simulated reader: card lifted");
        return true;
    }
    return false;
}

/* u pulls the reader's cable and plugs it back. */
const device_simulator idcard_simulator = {
    .create = simulator_create, .key = simulator_key, .plug_key = 'u'};
