/* Certificate enrolment at the stand-in (POST /v1/enrol, docs/protocol.md,
 * "Enrolment"): one-time enrolment codes, a terminal's CSR signed with the
 * terminal CA of tools/dev-certs, and which certificate each terminal last
 * presented, so a test sees the new one in use. Any thread. */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_ENROL_H
#define KIOSK_TOOLS_PLATFORM_SIM_ENROL_H

#include "sim.h"

#include "firmware/base/error.h"

struct MHD_Connection;
struct cJSON;
typedef struct cJSON cJSON;

/* Reads DIR/terminal-ca.crt and .key, the issuer of what is signed (and
 * DIR/unknown-ca's when there, for the unknown-ca answer), and
 * takes codes ("A,B,C", or NULL) as issued and unused. Errors: NOT_FOUND,
 * IO, MALFORMED (diag names the file), INVALID_ARGUMENT (a bad code). */
kiosk_error sim_enrol_setup(const char *certs_dir, const char *codes,
                            kiosk_diag *diag) KIOSK_MUST_CHECK;

/* POST /v1/enrol: {"code","csr"} for call->terminal_id. 200 with
 * {"certificate","chain"}; 403 enrol-code-refused (a code not issued, or
 * used); 400 bad-request (no CSR, a CSR that does not parse or whose
 * signature fails, a CN that is not the caller's). */
void sim_enrol_answer(const sim_call *call, sim_answer *out);

/* Notes the client certificate this connection presented for terminal:
 * its serial and SHA-256 fingerprint (for each protocol request). */
void sim_enrol_seen(struct MHD_Connection *connection, const char *terminal);

/* Notes a heartbeat's "certificate_days_left" (a number) for terminal. */
void sim_enrol_note_heartbeat(const char *terminal, const cJSON *heartbeat);

/* /_sim/enrol: GET, the codes left and each terminal's last certificate;
 * POST {"codes":["..."],"answer":"good"|"other-key"|"truncated-pem"|
 * "unknown-ca"}, codes added and how the next answers are spoiled
 * (unknown-ca: signed by DIR/unknown-ca, sent as the chain, which the
 * stand-in's TLS does not trust). */
void sim_enrol_control(const sim_call *call, sim_answer *out);

#endif
