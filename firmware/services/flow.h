/* The flow engine: one catalog service's journey for one citizen, step by
 * step, and everything the citizen gave for it in one place.
 *
 * The engine knows the steps (identify, form, materials, confirm, submit,
 * print, rate) from the catalog, checks each before the citizen moves on,
 * says what is wrong beside the field it concerns, and turns the whole into
 * the payload the platform (or the outbox) receives. It draws nothing and
 * sends nothing: the app shows its state and acts on its answers. Wiped
 * with explicit_bzero when the service is left, finished or timed out.
 * Main thread only. */
#ifndef KIOSK_FIRMWARE_SERVICES_FLOW_H
#define KIOSK_FIRMWARE_SERVICES_FLOW_H

#include "firmware/base/id_number.h"
#include "firmware/services/catalog.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <time.h>

/* Room for a value the citizen typed or chose (an address from the card is
 * the longest). */
#define FLOW_VALUE_MAX 256

/* What is wrong with a field's value: each has a message for the citizen
 * ("form.problem.<name>", see flow_problem_key). */
typedef enum flow_problem {
    FLOW_OK,
    FLOW_PROBLEM_REQUIRED,    /* empty, and the field must be filled */
    FLOW_PROBLEM_CHOOSE,      /* a choice must be made */
    FLOW_PROBLEM_PHONE,       /* not a mainland mobile number */
    FLOW_PROBLEM_DATE,        /* not a calendar date as YYYYMMDD */
    FLOW_PROBLEM_DATE_FUTURE, /* after today */
    FLOW_PROBLEM_ID,          /* not a valid ID number (check digit, date) */
    FLOW_PROBLEM_NUMBER,      /* not digits of the right length */
    FLOW_PROBLEM_NEEDS_CARD,  /* only the ID card can fill it: the number was typed */
} flow_problem;

/* Who the citizen is, as identification found (the card's facts, or the
 * number typed). */
typedef struct flow_identity {
    bool from_card;
    char name[128];
    char id_number[ID_NUMBER_LENGTH + 1];
    char address[FLOW_VALUE_MAX];
} flow_identity;

typedef struct flow {
    const catalog *catalog;
    const catalog_service *service; /* NULL: no service under way */
    unsigned at;                    /* index in service->steps */

    char values[CATALOG_FIELDS_MAX][FLOW_VALUE_MAX];
    bool prefilled[CATALOG_FIELDS_MAX]; /* from the card: shown, not changed */
    flow_problem problems[CATALOG_FIELDS_MAX];
    bool show_problems; /* the citizen tried to go on: say what is wrong */
    int focus;          /* a field to bring into view, -1 none */

    bool ticked[CATALOG_MATERIALS_MAX];
    bool materials_problem;

    /* The field being edited (-1 none), and what is typed so far: a field
     * keeps its value until the citizen says it is done. */
    int editing;
    char typed[FLOW_VALUE_MAX];
    flow_problem typed_problem;
} flow;

/* Starts service (from catalog, which must outlive the flow) afresh. */
void flow_begin(flow *flow, const catalog *catalog, const catalog_service *service);

/* Forgets everything (explicit_bzero): no service is under way. */
void flow_wipe(flow *flow);

bool flow_active(const flow *flow);
catalog_step flow_step(const flow *flow);

/* Where the citizen is among the steps before the submission (identify to
 * confirm), 1-based, and how many there are: "step 2 of 4". */
int flow_step_number(const flow *flow);
int flow_step_total(const flow *flow);

/* Fills the fields the card (or the typed number) can fill, and ticks the
 * materials the platform fetches itself. Called once identified. */
void flow_prefill(flow *flow, const flow_identity *who);

/* Checks the current step: on the form every field, on the materials every
 * one ticked. When all is right moves to the next step and returns true;
 * else remembers the problems to show (and the first field at fault as the
 * focus) and returns false. today: the date for "not after today". */
bool flow_next(flow *flow, time_t today);

/* One step back; false when already at the first. */
bool flow_back(flow *flow);

/* Moves to step (one of the service's), unchecked: after the submission
 * the app moves through print and rate as the citizen asks. */
void flow_go(flow *flow, catalog_step step);

/* The problem with value for field (FLOW_OK when there is none). */
flow_problem flow_check(const catalog_field *field, const char *value, time_t today);
/* Its string key: "form.problem.required", ... */
const char *flow_problem_key(flow_problem problem);
/* How many fields have a problem now. */
int flow_problem_count(const flow *flow);

/* Editing one field: begin (the field's value copied to typed), type keys
 * (digits, X for ID numbers, UI keys for delete and clear), choose a
 * choice (done at once), finish (checked: false and typed_problem set when
 * wrong), or leave it unchanged. */
bool flow_edit_begin(flow *flow, unsigned field);
void flow_edit_key(flow *flow, int key, int delete_key, int clear_key);
bool flow_edit_choose(flow *flow, unsigned choice);
bool flow_edit_finish(flow *flow, time_t today);
void flow_edit_cancel(flow *flow);

/* Ticks or unticks material i (not one the platform fetches). */
void flow_toggle_material(flow *flow, unsigned i);

/* The value as the citizen should see it in language: choices by their
 * label, dates as 2026-03-15, and what need not be read in full masked
 * (the card's name, ID number and address; masked also when mask_typed, for
 * paper and confirmations: a phone number). "" when empty. */
void flow_display_value(const flow *flow, unsigned field, lang language, bool mask_typed, char *out,
                        size_t size);

/* "王*明": enough for the citizen to see it is them, not for a passer-by. */
void flow_mask_name(const char *name, char *out, size_t size);

/* The payload for the platform: {"fields": {id: value, ...}, "materials":
 * {id: "e-license" | "citizen" | "missing"}, "items": [ids]} (bundle items
 * only for a bundle). NULL when out of memory. */
cJSON *flow_payload(const flow *flow);

/* Text typed on the keyboard for the field being edited (a name, an
 * address) in place of what is typed so far: false, and typed unchanged,
 * when no field is edited or text does not fit. The old text is wiped. */
bool flow_edit_type(flow *flow, const char *text);

/* A signature field's value: the mark that the citizen signed. The strokes
 * and their image are kept by the app beside the flow (they do not fit a
 * value) and added to the submission under the field's id. */
#define FLOW_SIGNED "signed"

/* Marks signature field as signed (made) or not, checked again when the
 * problems are shown; nothing for a field of another type. */
void flow_set_signed(flow *flow, unsigned field, bool made, time_t today);

#endif
