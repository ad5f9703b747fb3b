/* Certificates a citizen asks the terminal for (docs/certificates.md):
 *
 *   POST /v1/documents        {"service","id_number"[,"name"]}
 *     200 {"service","documents":[{"id","title","detail","pages"}]}
 *   POST /v1/documents/fetch  {"service","id_number","document"[,"name"]}
 *     200 {"service","document","title","pages","verification_code",
 *          "verification_url","content_type":"application/pdf","pdf":<base64>}
 *
 * Each is made afresh from made-up data keyed on the ID number (the same
 * number always has the same contributions, taxes, enterprises and
 * licences), drawn as a real PDF by pdf.c; only its verification code is
 * new each time. Unknown services and documents are 404. */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_DOCUMENTS_H
#define KIOSK_TOOLS_PLATFORM_SIM_DOCUMENTS_H

#include "sim.h"

/* A PDF's cap here: a larger one is never made. */
#define SIM_DOCUMENT_MAX (2 * 1024 * 1024)

void sim_documents_list(sim_context *sim, const sim_call *call, sim_answer *out);
void sim_documents_fetch(sim_context *sim, const sim_call *call, sim_answer *out);

/* The hostile answers of a fetch (faults pdf-*): the call runs, then its
 * answer is spoiled. */
bool sim_documents_spoils(sim_fault fault);
void sim_documents_spoil(sim_fault fault, sim_answer *answer);

#endif
