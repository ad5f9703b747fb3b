# make check, as a graph for make -j: read after the Makefile
# (make -f Makefile -f tools/check.mk check-all), never on its own.
#
# Every test is one target that records its result with tools/run-tests, so
# make's job pool runs them side by side, and -O prints each one's lines whole
# when it ends. A build is recorded as a test too (make -k, sharing the job
# pool); the tests of a build wait for it, and each build waits for the one
# before, so that the first tests start as soon as possible while the next
# build runs beside them: build/asan, then build/arm64, then build/fuzz.
# Slow tests are listed first so that none of them is left to run alone at
# the end. Recipes always succeed: the summary line judges.

CHECK_RESULTS := build/test-results
RECORD := tools/run-tests --record $(CHECK_RESULTS)

# Started first: each takes 15 s or more, most of it waiting on a process,
# a socket or a timer.
CHECK_SLOW := ui/test_accessibility e2e/test_kiosk_every_service e2e/test_kiosk_hostile \
              drivers/test_idcard \
              e2e/test_sync_faults e2e/test_kiosk_services ui/test_step_screens \
              e2e/test_kiosk_residue ui/test_reference e2e/test_kiosk_crash drivers/test_printer \
              e2e/test_kiosk_keypad_journey speech/test_speech e2e/test_kiosk_speech_hostile \
              e2e/test_kiosk_keypad_hostile e2e/test_kiosk_staff_signin \
              e2e/test_kiosk_staff_desk e2e/test_kiosk_technician e2e/test_kioskctl \
              e2e/test_sync_staff e2e/test_kiosk_staff_qr e2e/test_kiosk_log_send \
              e2e/test_kiosk_watchdog drivers/test_device_turns
CHECK_SLOW_ARM64 := drivers/test_idcard ui/test_accessibility firmware/test_app_flow \
                    drivers/test_printer firmware/test_app_session drivers/test_scanner \
                    firmware/test_app

# Run last, when nothing else of make check runs: tests whose pass depends on
# work finishing within a time (test_sync_faults kills a draining client
# within 250 ms and expects some acknowledgements to have landed), which a
# machine loaded with side-by-side tests can miss.
CHECK_QUIET := e2e/test_sync_faults

# The emulated board's tests (tests/board/) boot the board image under
# qemu-system-aarch64: they wait for it (check/build/board) and for their own
# build (check/build/asan). The image waits only for what needs no kiosk
# (check/build/board-base, started first: it downloads the Debian root
# filesystem, the kernel and the sysroot when they are not cached), so that
# the longest chain of make check starts at once.
BOARD_NAMES := $(filter board/%,$(TEST_NAMES))
ASAN_ORDER := $(filter $(CHECK_SLOW),$(TEST_NAMES)) \
              $(filter-out $(CHECK_SLOW) $(CHECK_QUIET) $(BOARD_NAMES),$(TEST_NAMES))
QUIET_NAMES := $(filter $(CHECK_QUIET),$(TEST_NAMES))
ARM64_ORDER := $(filter $(CHECK_SLOW_ARM64),$(UNIT_TEST_NAMES)) \
               $(filter-out $(CHECK_SLOW_ARM64),$(UNIT_TEST_NAMES))
UMOCKDEV_NAMES := $(UMOCKDEV_TEST_SRC:tests/%.c=%)

.PHONY: check-all check/format check/source-rules check/build/asan check/build/arm64 \
        check/build/board-base check/build/board $(BOARD_NAMES:%=check/board/%) \
        check/build/fuzz $(TEST_NAMES:%=check/asan/%) $(UNIT_TEST_NAMES:%=check/arm64/%) \
        $(FUZZ_NAMES:%=check/fuzz/%) $(QUIET_NAMES:%=check/quiet/%)

# The order of these prerequisites is the order in which make starts them.
check-all: check/build/board-base $(BOARD_NAMES:%=check/board/%) \
           $(addprefix check/asan/,$(wordlist 1,3,$(ASAN_ORDER))) \
           $(addprefix check/arm64/,$(ARM64_ORDER)) \
           $(addprefix check/asan/,$(wordlist 4,999,$(ASAN_ORDER))) \
           $(FUZZ_NAMES:%=check/fuzz/%) check/format check/source-rules \
           $(QUIET_NAMES:%=check/quiet/%)

CHECK_OTHERS := $(ASAN_ORDER:%=check/asan/%) $(ARM64_ORDER:%=check/arm64/%) \
                $(BOARD_NAMES:%=check/board/%) \
                $(FUZZ_NAMES:%=check/fuzz/%) check/format check/source-rules

check/format:
	@$(RECORD) format -- clang-format --dry-run --Werror $(ALL_SOURCES)

check/source-rules:
	@$(RECORD) source-rules -- tools/check-source

check/build/asan:
	@$(RECORD) build/asan -- $(MAKE) --no-print-directory -k build/kiosk tests-asan

check/build/arm64: | check/build/asan
	@$(RECORD) build/arm64 -- $(MAKE) --no-print-directory -k tests-arm64

check/build/fuzz: | check/build/arm64
	@$(RECORD) build/fuzz -- $(MAKE) --no-print-directory -k fuzz-targets

check/build/board-base:
	@$(RECORD) build/board-base -- $(MAKE) --no-print-directory board-image-base

check/build/board: | check/build/board-base
	@$(RECORD) build/board -- $(MAKE) --no-print-directory board-image

$(BOARD_NAMES:%=check/board/%): check/board/%: | check/build/board check/build/asan
	@$(RECORD) --env asan $* -- build/asan/tests/$*

$(TEST_NAMES:%=check/asan/%): check/asan/%: | check/build/asan
	@$(RECORD) --env asan $* -- \
	    $(if $(filter $*,$(UMOCKDEV_NAMES)),tools/with-umockdev) build/asan/tests/$*

$(QUIET_NAMES:%=check/quiet/%): check/quiet/%: | check/build/asan $(CHECK_OTHERS)
	@$(RECORD) --env asan $* -- build/asan/tests/$*

$(UNIT_TEST_NAMES:%=check/arm64/%): check/arm64/%: | check/build/arm64
	@$(RECORD) --env arm64 arm64/$* -- qemu-aarch64-static build-arm64/tests/$*

$(FUZZ_NAMES:%=check/fuzz/%): check/fuzz/%: | check/build/fuzz
	@$(RECORD) fuzz/$* -- tools/run-fuzz $* $(CHECK_FUZZ_SECONDS)
