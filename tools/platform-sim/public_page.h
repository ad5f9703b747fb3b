/* GET /v/<number>: the public page a citizen's phone opens from the QR code
 * on the receipt — the catalog's hall.verify_url points here. The only path
 * the stand-in answers without a terminal's certificate: read only, plain
 * HTML, the status of one application and nothing else. */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_PUBLIC_PAGE_H
#define KIOSK_TOOLS_PLATFORM_SIM_PUBLIC_PAGE_H

#include "sim.h"

#define SIM_PUBLIC_PREFIX "/v/"

/* Whether url (the path) is the public page's. */
bool sim_public_page_path(const char *url);

/* The page for the number in url: 200 with its status, 404 when no
 * application has it, 405 for a method other than GET or HEAD. */
void sim_public_page_answer(sim_context *sim, const char *method, const char *url, sim_answer *out);

#endif
