/* The accessibility audit of one screen, as a citizen meets it: the app's
 * real widgets, measured on the frame they draw. A screen fails on
 *   - a touch target under 44 dp (60 dp in elder mode) or under 9 mm on the
 *     board's glass;
 *   - text whose contrast with what is behind it, measured in the rendered
 *     pixels, is under 4.5:1 (7:1 in high contrast);
 *   - text whose capital H is under 4.8 mm on the glass (ADA 707.7.2), or
 *     7.3 mm in elder mode (EN 301 549 5.1.4: 0.7 degrees at 600 mm);
 *   - a screen with no way back or to help (or, for staff and technicians,
 *     to sign out);
 *   - text clipped by its box, or texts drawn over each other;
 *   - a control the keypad cannot reach: walked with "next" from the first
 *     focus, the focus must meet every tappable widget and come back to the
 *     first; with all four arrows, every control must be reachable from
 *     every other (no trap), and up and down must move;
 *   - a focus ring under 3:1 (WCAG 2.x non-text contrast) against what is
 *     drawn around it, measured on the rendered pixels: the ring is drawn
 *     and read back for the first control, and every control's
 *     surroundings are read from the frame;
 *   - no spoken prompt in the voice of the screen's language.
 * The floors are the law's, held in a11y_audit.c: a theme that lowers its
 * own minimum fails the audit instead of lowering the bar.
 *
 * Used by ui/test_accessibility (every screen in every theme, language and
 * board, built from made-up models) and e2e/test_kiosk_every_service (every
 * screen of every sample service's journey, against the platform stand-in
 * and a real IPP printer). The keypad's walk moves the focus and leaves the
 * screen as it found it (no focus, keypad mode off). */
#ifndef KIOSK_TESTS_SUPPORT_A11Y_AUDIT_H
#define KIOSK_TESTS_SUPPORT_A11Y_AUDIT_H

#include "test_support.h"

#include <stdbool.h>
#include <stddef.h>

/* Audits the screen app shows now, on board (a name, for the line and the
 * picture), labelled label. Prints one line: what it measured, and "ok" or
 * the first problem. Returns whether the screen passes; when it does not,
 * the first problem goes to problem (size bytes; may be NULL) and the frame
 * to build/test-output/audit-<board>-<theme>-<lang>-<screen>.png (every
 * screen's frame there when KIOSK_AUDIT_SHOTS is set). */
bool a11y_audit_screen(kiosk_app *app, const char *board, const char *label, char *problem,
                       size_t size);

#endif
