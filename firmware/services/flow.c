#include "firmware/services/flow.h"

#include "firmware/base/log.h"

#include <stdio.h>
#include <string.h>

void flow_wipe(flow *flow)
{
    explicit_bzero(flow, sizeof *flow);
    flow->editing = -1;
    flow->focus = -1;
}

void flow_begin(flow *flow, const catalog *catalog, const catalog_service *service)
{
    flow_wipe(flow);
    flow->catalog = catalog;
    flow->service = service;
}

bool flow_active(const flow *flow)
{
    return flow->service != NULL;
}

catalog_step flow_step(const flow *flow)
{
    return flow->service && flow->at < flow->service->step_count ? flow->service->steps[flow->at]
                                                                 : CATALOG_STEP_RATE;
}

/* The steps a citizen goes through before anything is sent are the ones
 * counted: after the submission the service is done. */
static bool before_submission(catalog_step step)
{
    return step <= CATALOG_STEP_CONFIRM;
}

int flow_step_total(const flow *flow)
{
    int total = 0;
    for (unsigned i = 0; flow->service && i < flow->service->step_count; i++)
        total += before_submission(flow->service->steps[i]);
    return total > 0 ? total : 1;
}

int flow_step_number(const flow *flow)
{
    int number = 0;
    for (unsigned i = 0; flow->service && i <= flow->at && i < flow->service->step_count; i++)
        number += before_submission(flow->service->steps[i]);
    return number > 0 ? number : 1;
}

static const catalog_field *field_at(const flow *flow, unsigned i)
{
    return catalog_field_of(flow->catalog, flow->service, i);
}

static void copy_value(char *out, const char *value)
{
    snprintf(out, FLOW_VALUE_MAX, "%s", value);
}

void flow_prefill(flow *flow, const flow_identity *who)
{
    if (!flow->service)
        return;
    for (unsigned i = 0; i < flow->service->field_count; i++) {
        const catalog_field *field = field_at(flow, i);
        const char *value = NULL;
        switch (field->prefill) {
        case CATALOG_PREFILL_NONE:
            break;
        case CATALOG_PREFILL_NAME:
            value = who->from_card ? who->name : NULL;
            break;
        case CATALOG_PREFILL_ID_NUMBER:
            value = who->id_number;
            break;
        case CATALOG_PREFILL_ADDRESS:
            value = who->from_card ? who->address : NULL;
            break;
        }
        /* A typed number fills only itself: the name and address stay
         * empty, and a field that needs them says so on the form. */
        if (value && value[0]) {
            copy_value(flow->values[i], value);
            flow->prefilled[i] = true;
        }
    }
    for (unsigned i = 0; i < flow->service->material_count; i++)
        flow->ticked[i] = catalog_material_of(flow->catalog, flow->service, i)->e_license;
}

static bool all_digits(const char *value)
{
    for (const char *p = value; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
    }
    return true;
}

static bool leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* YYYYMMDD: a real day from 1900 on. */
static bool real_date(const char *value, int *ymd)
{
    if (strlen(value) != 8 || !all_digits(value))
        return false;
    int year =
        (value[0] - '0') * 1000 + (value[1] - '0') * 100 + (value[2] - '0') * 10 + (value[3] - '0');
    int month = (value[4] - '0') * 10 + (value[5] - '0');
    int day = (value[6] - '0') * 10 + (value[7] - '0');
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1900 || month < 1 || month > 12 || day < 1)
        return false;
    int limit = days[month - 1] + (month == 2 && leap(year));
    *ymd = year * 10000 + month * 100 + day;
    return day <= limit;
}

flow_problem flow_check(const catalog_field *field, const char *value, time_t today)
{
    bool card_only =
        field->prefill == CATALOG_PREFILL_NAME || field->prefill == CATALOG_PREFILL_ADDRESS;
    if (!value[0] && field->required && card_only)
        return FLOW_PROBLEM_NEEDS_CARD;
    if (!value[0])
        return !field->required                      ? FLOW_OK
               : field->type == CATALOG_FIELD_CHOICE ? FLOW_PROBLEM_CHOOSE
                                                     : FLOW_PROBLEM_REQUIRED;
    switch (field->type) {
    case CATALOG_FIELD_TEXT:
    case CATALOG_FIELD_ADDRESS:
        return FLOW_OK;
    case CATALOG_FIELD_NUMBER: {
        int length = (int)strlen(value);
        return all_digits(value) && length >= field->min_length && length <= field->max_length
                   ? FLOW_OK
                   : FLOW_PROBLEM_NUMBER;
    }
    case CATALOG_FIELD_PHONE:
        /* Mainland mobile numbers: 11 digits, 1 then 3-9. */
        return strlen(value) == 11 && all_digits(value) && value[0] == '1' && value[1] >= '3'
                   ? FLOW_OK
                   : FLOW_PROBLEM_PHONE;
    case CATALOG_FIELD_DATE: {
        int ymd = 0;
        if (!real_date(value, &ymd))
            return FLOW_PROBLEM_DATE;
        struct tm local;
        localtime_r(&today, &local);
        int now = (local.tm_year + 1900) * 10000 + (local.tm_mon + 1) * 100 + local.tm_mday;
        return field->not_after_today && ymd > now ? FLOW_PROBLEM_DATE_FUTURE : FLOW_OK;
    }
    case CATALOG_FIELD_CHOICE:
        /* Only ever set from the catalog's own choices. */
        return FLOW_OK;
    case CATALOG_FIELD_ID_NUMBER:
        return id_number_check(value) == ID_NUMBER_OK ? FLOW_OK : FLOW_PROBLEM_ID;
    case CATALOG_FIELD_SIGNATURE:
        /* Only ever set by flow_set_signed: the image is the app's. */
        return FLOW_OK;
    }
    return FLOW_PROBLEM_REQUIRED;
}

const char *flow_problem_key(flow_problem problem)
{
    switch (problem) {
    case FLOW_OK:
        return NULL;
    case FLOW_PROBLEM_REQUIRED:
        return "form.problem.required";
    case FLOW_PROBLEM_CHOOSE:
        return "form.problem.choose";
    case FLOW_PROBLEM_PHONE:
        return "form.problem.phone";
    case FLOW_PROBLEM_DATE:
        return "form.problem.date";
    case FLOW_PROBLEM_DATE_FUTURE:
        return "form.problem.date_future";
    case FLOW_PROBLEM_ID:
        return "form.problem.id";
    case FLOW_PROBLEM_NUMBER:
        return "form.problem.number";
    case FLOW_PROBLEM_NEEDS_CARD:
        return "form.problem.needs_card";
    }
    return "form.problem.required";
}

int flow_problem_count(const flow *flow)
{
    int count = 0;
    for (unsigned i = 0; flow->service && i < flow->service->field_count; i++)
        count += flow->problems[i] != FLOW_OK;
    return count;
}

static bool check_form(flow *flow, time_t today)
{
    flow->focus = -1;
    for (unsigned i = 0; i < flow->service->field_count; i++) {
        flow->problems[i] = flow_check(field_at(flow, i), flow->values[i], today);
        if (flow->problems[i] != FLOW_OK && flow->focus < 0)
            flow->focus = (int)i;
    }
    flow->show_problems = flow->focus >= 0;
    return flow->focus < 0;
}

static bool check_materials(flow *flow)
{
    flow->materials_problem = false;
    for (unsigned i = 0; i < flow->service->material_count; i++)
        flow->materials_problem |= !flow->ticked[i];
    return !flow->materials_problem;
}

bool flow_next(flow *flow, time_t today)
{
    if (!flow->service || flow->at + 1 >= flow->service->step_count)
        return false;
    catalog_step step = flow_step(flow);
    if (step == CATALOG_STEP_FORM && !check_form(flow, today))
        return false;
    if (step == CATALOG_STEP_MATERIALS && !check_materials(flow))
        return false;
    flow->at++;
    flow->focus = -1;
    return true;
}

bool flow_back(flow *flow)
{
    if (!flow->service || flow->at == 0)
        return false;
    flow->at--;
    return true;
}

void flow_go(flow *flow, catalog_step step)
{
    for (unsigned i = 0; flow->service && i < flow->service->step_count; i++) {
        if (flow->service->steps[i] == step)
            flow->at = i;
    }
}

bool flow_edit_begin(flow *flow, unsigned field)
{
    if (!flow->service || field >= flow->service->field_count || flow->prefilled[field])
        return false;
    flow->editing = (int)field;
    copy_value(flow->typed, flow->values[field]);
    flow->typed_problem = FLOW_OK;
    return true;
}

/* How many characters a field may be typed to. */
static size_t typed_limit(const catalog_field *field)
{
    switch (field->type) {
    case CATALOG_FIELD_PHONE:
        return 11;
    case CATALOG_FIELD_DATE:
        return 8;
    case CATALOG_FIELD_ID_NUMBER:
        return ID_NUMBER_LENGTH;
    case CATALOG_FIELD_NUMBER:
        return (size_t)field->max_length;
    case CATALOG_FIELD_TEXT:
    case CATALOG_FIELD_ADDRESS:
    case CATALOG_FIELD_CHOICE:
    case CATALOG_FIELD_SIGNATURE:
        break;
    }
    return 0;
}

void flow_edit_key(flow *flow, int key, int delete_key, int clear_key)
{
    if (flow->editing < 0)
        return;
    const catalog_field *field = field_at(flow, (unsigned)flow->editing);
    size_t length = strlen(flow->typed), limit = typed_limit(field);
    flow->typed_problem = FLOW_OK;
    if (key == clear_key) {
        explicit_bzero(flow->typed, sizeof flow->typed);
    } else if (key == delete_key) {
        if (length > 0)
            flow->typed[length - 1] = '\0';
    } else if (length < limit && key >= '0' && key <= '9') {
        flow->typed[length] = (char)key;
    } else if (length == limit - 1 && key == 'X' && field->type == CATALOG_FIELD_ID_NUMBER) {
        /* X is only ever the last character of an ID number. */
        flow->typed[length] = 'X';
    }
}

bool flow_edit_choose(flow *flow, unsigned choice)
{
    if (flow->editing < 0)
        return false;
    unsigned index = (unsigned)flow->editing;
    const catalog_choice *picked = catalog_choice_of(flow->catalog, field_at(flow, index), choice);
    if (!picked)
        return false;
    copy_value(flow->values[index], picked->id);
    flow->problems[index] = FLOW_OK;
    flow->focus = (int)index;
    flow->editing = -1;
    return true;
}

bool flow_edit_finish(flow *flow, time_t today)
{
    if (flow->editing < 0)
        return false;
    unsigned index = (unsigned)flow->editing;
    const catalog_field *field = field_at(flow, index);
    /* An empty optional field is fine; an empty required one is said on
     * the form, where the citizen can see what else is missing. */
    flow_problem problem = flow->typed[0] ? flow_check(field, flow->typed, today) : FLOW_OK;
    if (problem != FLOW_OK) {
        flow->typed_problem = problem;
        return false;
    }
    copy_value(flow->values[index], flow->typed);
    explicit_bzero(flow->typed, sizeof flow->typed);
    flow->problems[index] =
        flow->show_problems ? flow_check(field, flow->values[index], today) : FLOW_OK;
    flow->focus = (int)index;
    flow->editing = -1;
    return true;
}

void flow_edit_cancel(flow *flow)
{
    if (flow->editing >= 0)
        flow->focus = flow->editing;
    explicit_bzero(flow->typed, sizeof flow->typed);
    flow->typed_problem = FLOW_OK;
    flow->editing = -1;
}

void flow_toggle_material(flow *flow, unsigned i)
{
    const catalog_material *material =
        flow->service ? catalog_material_of(flow->catalog, flow->service, i) : NULL;
    if (!material || material->e_license)
        return;
    flow->ticked[i] = !flow->ticked[i];
    if (flow->materials_problem)
        check_materials(flow);
}

/* "王*明": enough for the citizen to see it is them, not for a passer-by. */
void flow_mask_name(const char *name, char *out, size_t size)
{
    size_t starts[64], count = 0, length = strlen(name);
    for (size_t i = 0; i < length && count < 64; i++) {
        if (((unsigned char)name[i] & 0xC0) != 0x80)
            starts[count++] = i;
    }
    if (count < 2) {
        snprintf(out, size, "*");
        return;
    }
    if (count == 2) {
        snprintf(out, size, "%.*s*", (int)starts[1], name);
        return;
    }
    snprintf(out, size, "%.*s*%s", (int)starts[1], name, name + starts[count - 1]);
}

/* An address to the district: "广东省深圳市福田区****". */
static void mask_address(const char *address, char *out, size_t size)
{
    size_t characters = 0, i = 0, length = strlen(address);
    for (; i < length; i++) {
        if (((unsigned char)address[i] & 0xC0) != 0x80 && characters++ == 9)
            break;
    }
    snprintf(out, size, "%.*s%s", (int)i, address, i < length ? "****" : "");
}

void flow_display_value(const flow *flow, unsigned i, lang language, bool mask_typed, char *out,
                        size_t size)
{
    const catalog_field *field = field_at(flow, i);
    out[0] = '\0';
    if (!field || !flow->values[i][0])
        return;
    const char *value = flow->values[i];
    bool mask = flow->prefilled[i] || mask_typed;
    switch (field->type) {
    case CATALOG_FIELD_CHOICE:
        for (unsigned c = 0; c < field->choice_count; c++) {
            const catalog_choice *choice = catalog_choice_of(flow->catalog, field, c);
            if (strcmp(choice->id, value) == 0)
                snprintf(out, size, "%s", choice->label[language]);
        }
        return;
    case CATALOG_FIELD_DATE:
        snprintf(out, size, "%.4s-%.2s-%.2s", value, value + 4, value + 6);
        return;
    case CATALOG_FIELD_TEXT:
        /* A name typed (the baby's) is masked on paper like the card's. */
        if (mask)
            flow_mask_name(value, out, size);
        else
            snprintf(out, size, "%s", value);
        return;
    case CATALOG_FIELD_ADDRESS:
        if (mask)
            mask_address(value, out, size);
        else
            snprintf(out, size, "%s", value);
        return;
    case CATALOG_FIELD_ID_NUMBER:
    case CATALOG_FIELD_PHONE:
        /* The log's masking is the one the citizen sees on paper too. */
        if (mask)
            log_mask_personal(value, out, size);
        else
            snprintf(out, size, "%s", value);
        return;
    case CATALOG_FIELD_NUMBER:
        snprintf(out, size, "%s", value);
        return;
    case CATALOG_FIELD_SIGNATURE:
        return; /* the app says "signed" in words; the value is only a mark */
    }
}

cJSON *flow_payload(const flow *flow)
{
    cJSON *payload = cJSON_CreateObject();
    cJSON *fields = payload ? cJSON_AddObjectToObject(payload, "fields") : NULL;
    cJSON *materials = payload ? cJSON_AddObjectToObject(payload, "materials") : NULL;
    bool ok = fields && materials;
    for (unsigned i = 0; ok && flow->service && i < flow->service->field_count; i++) {
        /* A signature's image is added by the submission (its value here
         * is only the mark that it was made). */
        if (flow->values[i][0] && field_at(flow, i)->type != CATALOG_FIELD_SIGNATURE)
            ok = cJSON_AddStringToObject(fields, field_at(flow, i)->id, flow->values[i]) != NULL;
    }
    for (unsigned i = 0; ok && flow->service && i < flow->service->material_count; i++) {
        const catalog_material *material = catalog_material_of(flow->catalog, flow->service, i);
        const char *how = material->e_license ? "e-license"
                          : flow->ticked[i]   ? "citizen"
                                              : "missing";
        ok = cJSON_AddStringToObject(materials, material->id, how) != NULL;
    }
    if (ok && flow->service && flow->service->kind == CATALOG_KIND_BUNDLE) {
        cJSON *items = cJSON_AddArrayToObject(payload, "items");
        ok = items != NULL;
        for (unsigned i = 0; ok && i < flow->service->item_count; i++) {
            cJSON *id = cJSON_CreateString(catalog_item_of(flow->catalog, flow->service, i)->id);
            ok = id && cJSON_AddItemToArray(items, id);
        }
    }
    if (!ok) {
        cJSON_Delete(payload);
        return NULL;
    }
    return payload;
}

bool flow_edit_type(flow *flow, const char *text)
{
    if (flow->editing < 0 || strlen(text) >= sizeof flow->typed)
        return false;
    explicit_bzero(flow->typed, sizeof flow->typed);
    memcpy(flow->typed, text, strlen(text));
    flow->typed_problem = FLOW_OK;
    return true;
}

void flow_set_signed(flow *flow, unsigned field, bool made, time_t today)
{
    const catalog_field *definition =
        flow->service && field < flow->service->field_count ? field_at(flow, field) : NULL;
    if (!definition || definition->type != CATALOG_FIELD_SIGNATURE)
        return;
    copy_value(flow->values[field], made ? FLOW_SIGNED : "");
    flow->problems[field] =
        flow->show_problems ? flow_check(definition, flow->values[field], today) : FLOW_OK;
    flow->focus = (int)field;
}
