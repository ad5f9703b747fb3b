/* The HTTPS side of the stand-in: libmicrohttpd with GnuTLS on 127.0.0.1,
 * one thread per connection (so a held or trickled answer blocks only its
 * own connection), every request identified by its client certificate. */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_SERVER_H
#define KIOSK_TOOLS_PLATFORM_SIM_SERVER_H

#include "sim.h"

typedef struct sim_server sim_server;

/* Serves sim on 127.0.0.1:port (0: a free port), presenting
 * certs/server.crt and .key (or certs/server-<cert_name>.* when cert_name is
 * not NULL) and trusting client certificates from certs/terminal-ca.crt
 * only. *bound receives the port. Errors: NOT_FOUND or IO (a file),
 * INVALID_ARGUMENT (cert_name), IO (cannot listen), with diag. */
kiosk_error sim_server_start(sim_context *sim, const char *certs, const char *cert_name,
                             unsigned port, sim_server **out, unsigned *bound,
                             kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Stops serving. Call after the stop pipe is closed, so held connections
 * have already let go of their threads. */
void sim_server_stop(sim_server *server);

#endif
