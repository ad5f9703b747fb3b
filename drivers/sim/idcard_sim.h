/* A simulated second-generation ID card reader: a USB device model that
 * answers real GA/T 467 frames on bulk endpoints, with a few made-up
 * citizens to lay on it. It sits under the real driver, at the transport.
 *
 * Controls come from any thread (the app's keyboard shortcuts, tests). */
#ifndef KIOSK_DRIVERS_SIM_IDCARD_SIM_H
#define KIOSK_DRIVERS_SIM_IDCARD_SIM_H

#include "drivers/idcard/protocol.h"
#include "drivers/usb_model.h"

/* The USB identity the simulated reader presents (a vendor-specific bulk
 * interface, as common readers have). */
#define IDCARD_SIM_VENDOR       0x0400
#define IDCARD_SIM_PRODUCT      0xc35a
#define IDCARD_SIM_ENDPOINT_OUT 0x02
#define IDCARD_SIM_ENDPOINT_IN  0x81

/* Made-up citizens (never real people), each with a valid check digit. */
typedef enum idcard_sim_citizen {
    IDCARD_SIM_ORDINARY = 0,   /* an ordinary card */
    IDCARD_SIM_LONG_NAME,      /* a 15-character name that fills its field */
    IDCARD_SIM_RARE_CHARACTER, /* a name with a character outside the BMP */
    IDCARD_SIM_LONG_TERM,      /* an older citizen: valid 长期 */
    IDCARD_SIM_EXPIRED,        /* a card past its valid-to date */
    IDCARD_SIM_FOREIGN,        /* a foreigner's permanent residence card (2017) */
    IDCARD_SIM_FOREIGN_2023,   /* the 2023 card: an 18-digit permit number, a
                                  45-character English name across both parts */
    IDCARD_SIM_STAFF,          /* a made-up member of the hall's staff (board/staff-sample.txt) */
    IDCARD_SIM_TECHNICIAN,     /* a made-up technician (board/staff-sample.txt) */
    IDCARD_SIM_CITIZEN_COUNT,
} idcard_sim_citizen;

/* What the simulated reader can be told to do wrong. */
typedef enum idcard_sim_fault {
    IDCARD_SIM_FAULT_NONE = 0,
    IDCARD_SIM_FAULT_PULLED_DURING_READ, /* the card leaves as it is read: 41, then no card */
    IDCARD_SIM_FAULT_BAD_CHECKSUM_ONCE,  /* the next answer's checksum is wrong */
    IDCARD_SIM_FAULT_GARBAGE_ONCE,       /* noise before the next answer */
    IDCARD_SIM_FAULT_TRUNCATED_READ,     /* the read answer stops half-way */
    IDCARD_SIM_FAULT_SAM,                /* the security module fails its self-test */
    IDCARD_SIM_FAULT_UNREADABLE_CARD,    /* a card that is not a genuine ID card: 40 */
    /* Damage that persists until the fault is set back to NONE, on the
     * answers idcard_sim_set_fault_target names (by default select and read,
     * with finds answered well: the reader still finds the card, so a driver
     * that took every good find for a working reader would try for ever). */
    IDCARD_SIM_FAULT_BAD_CHECKSUM_ALWAYS, /* the checksum is wrong */
    IDCARD_SIM_FAULT_ERROR_STATUS_ALWAYS, /* the reader says our frame arrived damaged (10) */
    IDCARD_SIM_FAULT_BAD_LENGTH_ALWAYS,   /* the length field is absurd (FFFF) */
    /* Every answer comes after a false preamble (a preamble and a length of 64
     * that nothing fills), the answer itself good: a driver must find it. */
    IDCARD_SIM_FAULT_FALSE_PREAMBLE_ALWAYS,
} idcard_sim_fault;

/* Which answers a persistent fault (the _ALWAYS ones) damages. */
typedef enum idcard_sim_target {
    IDCARD_SIM_TARGET_CARD = 0, /* select and read: the default */
    IDCARD_SIM_TARGET_READ,     /* read only: the citizen is shown "reading" first */
    IDCARD_SIM_TARGET_EVERY,    /* every answer, SAM status and find too */
} idcard_sim_target;

/* A new simulated reader, no card on it. NULL when out of memory. */
usb_model *idcard_sim_create(void);

/* Fills record with the citizen's card as the reader would read it. */
kiosk_error idcard_sim_citizen_record(idcard_sim_citizen citizen,
                                      idcard_record *record) KIOSK_MUST_CHECK;

void idcard_sim_lay_card(usb_model *reader, idcard_sim_citizen citizen);
void idcard_sim_lift_card(usb_model *reader);
void idcard_sim_set_fault(usb_model *reader, idcard_sim_fault fault);
void idcard_sim_set_fault_target(usb_model *reader, idcard_sim_target target);

/* How many frames the reader has answered (for tests and benchmarks). */
unsigned long idcard_sim_frames_answered(usb_model *reader);

#endif
