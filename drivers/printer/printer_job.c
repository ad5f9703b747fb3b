/* Print jobs and their results: what passes between the main thread and the
 * printer's worker. See printer.h. */
#include "drivers/printer/printer.h"

#include <stdlib.h>
#include <string.h>

printer_job *printer_job_create(uint64_t id, const receipt *r)
{
    printer_job *job = malloc(sizeof *job);
    if (!job)
        return NULL;
    job->id = id;
    job->receipt = *r;
    return job;
}

void printer_job_release(void *job)
{
    if (!job)
        return;
    explicit_bzero(job, sizeof(printer_job));
    free(job);
}

kiosk_error printer_submit(device_manager *manager, uint64_t id, const receipt *r)
{
    printer_job *job = printer_job_create(id, r);
    if (!job)
        return KIOSK_ERR_NO_MEMORY;
    kiosk_error result = device_manager_submit(manager, DEVICE_PRINTER, job, printer_job_release);
    if (result != KIOSK_OK)
        printer_job_release(job); /* refused: still ours */
    return result;
}

void printer_result_release(void *result)
{
    free(result);
}
