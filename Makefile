# kiosk — one non-recursive makefile.
#
#   make            build build/kiosk
#   make run        start the kiosk on the default board (simulated devices)
#   make check      format, source rules, sanitizer tests, arm64 tests under qemu
#   make bench      start-up, memory, redraw and idle figures
#   make fmt        format the sources
#   make ARCH=arm64 cross-build build-arm64/kiosk
#   make board-kiosk  the board's build-board/kiosk, every engine (docs/board-image.md)
#   make board-image  the board image, build-board/image/ (board/emulate boots it)
#
# Every build variant lives in its own folder: build/ (native), build/asan/
# (native, AddressSanitizer + UBSan, what the tests run) and build-arm64/.

ARCH ?= native
BOARD ?= portrait-1080
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo 0.0.0-dev)

# SDL2_image is opened at run time (see ui/image.c): its headers only. So is
# libgcrypt (offline-cache/seal_sm4.c), with no headers at all.
PKGS := sdl2 SDL2_ttf libcjson libqrencode libusb-1.0 sqlite3 libcrypto libcurl zlib espeak-ng
HEADER_PKGS := SDL2_image
TEST_PKGS := cmocka
# libcups ships no pkg-config file: it is named directly (both architectures).
CUPS_LIBS := -lcups
# Engines a variant has when their packages are installed for its architecture:
# the PDF renderer, pinyin and handwriting. Debian's -dev packages of these are
# not co-installable for two architectures, so the arm64 cross build goes
# without (each module then says it is unavailable; the board image builds them
# natively). Each one found defines KIOSK_HAVE_<NAME> (poppler-glib:
# KIOSK_HAVE_POPPLER_GLIB).
OPTIONAL_PKGS := poppler-glib rime zinnia

WARNINGS := -Wall -Wextra -Werror -Wshadow=local -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wvla
CSTD := -std=gnu11
COMMON_CFLAGS := $(CSTD) $(WARNINGS) -I. -D_GNU_SOURCE -DKIOSK_VERSION='"$(VERSION)"' \
                 -DKIOSK_SOURCE_DIR='"$(CURDIR)"'
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# One archive per layer, linked from the top down: a layer that calls one
# above it does not link (tools/check-source states the same rules for
# includes, from the folders' READMEs).
LAYERS := app admin platform services speech ui drivers offline-cache base
LAYER_SRC_app := $(filter-out firmware/app/main.c,$(wildcard firmware/app/*.c))
LAYER_SRC_platform := $(wildcard firmware/platform/*.c)
LAYER_SRC_services := $(wildcard firmware/services/*.c)
LAYER_SRC_speech := $(wildcard firmware/speech/*.c)
LAYER_SRC_ui := $(wildcard ui/*.c)
LAYER_SRC_drivers := $(wildcard drivers/*.c drivers/*/*.c)
LAYER_SRC_offline-cache := $(wildcard offline-cache/*.c)
LAYER_SRC_base := $(wildcard firmware/base/*.c)
# The admin socket's protocol and kioskctl's command line; kioskctl's main
# is a program of its own (docs/kioskctl.md).
KIOSKCTL_MAIN := firmware/admin/kioskctl.c
LAYER_SRC_admin := $(filter-out $(KIOSKCTL_MAIN),$(wildcard firmware/admin/*.c))
# kioskctl is built beside the kiosk, and before the tests that run it.
tests-asan: build/asan/kioskctl
tests-arm64: build-arm64/kioskctl
LIB_SRC := $(foreach l,$(LAYERS),$(LAYER_SRC_$(l)))
MAIN_SRC := firmware/app/main.c
TEST_SRC := $(sort $(filter-out tests/support/%,$(wildcard tests/*/test_*.c)))
TEST_SUPPORT_SRC := $(wildcard tests/support/*.c)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
TOOL_SRC := tools/kiosk-bench.c tools/ui-bench.c tools/reader-bench.c tools/cache-bench.c \
            tools/sync-bench.c tools/png-bench.c tools/speech-bench.c \
            tools/staff-credentials.c
ALL_C := $(LIB_SRC) $(MAIN_SRC) $(TEST_SRC) $(TEST_SUPPORT_SRC) $(FUZZ_SRC) $(TOOL_SRC) \
         $(wildcard tools/platform-sim/*.c)
ALL_C += $(KIOSKCTL_MAIN)
ALL_SOURCES := $(ALL_C) $(wildcard firmware/*/*.h ui/*.h drivers/*.h drivers/*/*.h tools/*/*.h \
                 offline-cache/*.h tests/*/*.h tests/drivers/usb_*.c)

# Unit tests are those mirroring a source folder; tests/e2e drive the built binary.
# Tests of the libusb transport talk to a umockdev-emulated device: they link
# umockdev and run under umockdev-wrapper, natively only (umockdev preloads a
# native library).
UMOCKDEV_TEST_SRC := $(filter tests/drivers/test_usb_libusb%,$(TEST_SRC))
UNIT_TEST_SRC := $(filter-out tests/e2e/% tests/tools/% tests/board/% $(UMOCKDEV_TEST_SRC),$(TEST_SRC))
E2E_TEST_SRC := $(filter tests/e2e/%,$(TEST_SRC))

# V=1 shows the commands.
Q := $(if $(filter 1,$(V)),,@)

# pkg-config is asked once per variant, and only when that variant is built.
lazy = $(eval $(1) := $$(shell $(2)))$($(1))
space := $(subst ,, )
upper = $(shell echo '$(1)' | tr a-z A-Z)

# ---------------------------------------------------------------------------
# A build variant: $(1) folder, $(2) compiler, $(3) pkg-config, $(4) extra flags
define VARIANT
$(1)_OPTIONAL = $$(call lazy,$(1)_PKG_OPTIONAL,$(3) --list-all | cut -d' ' -f1 | \
    grep -xE '$(subst $(space),|,$(OPTIONAL_PKGS))' | sort)
$(1)_CFLAGS = $$(call lazy,$(1)_PKG_CFLAGS,$(3) --cflags $(PKGS) $(HEADER_PKGS) $(TEST_PKGS) \
    $$($(1)_OPTIONAL)) $$(foreach p,$$($(1)_OPTIONAL),-DKIOSK_HAVE_$$(subst -,_,$$(call upper,$$(p)))=1)
$(1)_LIBS = $$(call lazy,$(1)_PKG_LIBS,$(3) --libs $(PKGS) $$($(1)_OPTIONAL)) $(CUPS_LIBS)
$(1)_TEST_LIBS = $$(call lazy,$(1)_PKG_TEST_LIBS,$(3) --libs $(TEST_PKGS))

# Static pattern rules: a pattern rule's % never matches the empty stem of
# tests/drivers/test_usb_libusb.c itself.
$(UMOCKDEV_TEST_SRC:%.c=$(1)/obj/%.o): $(1)/obj/%.o: %.c
	@mkdir -p $$(@D)
	@$(if $(Q),echo "  CC    $$@")
	$(Q)$(2) $$(COMMON_CFLAGS) $(4) $$($(1)_CFLAGS) $$(shell $(3) --cflags umockdev-1.0) \
	    -MMD -MP -c $$< -o $$@

$(1)/obj/%.o: %.c
	@mkdir -p $$(@D)
	@$(if $(Q),echo "  CC    $$@")
	$(Q)$(2) $$(COMMON_CFLAGS) $(4) $$($(1)_CFLAGS) -MMD -MP -c $$< -o $$@

$(1)_ARCHIVES := $(LAYERS:%=$(1)/lib/%.a)
$(foreach l,$(LAYERS),$(1)/lib/$(l).a: $$(LAYER_SRC_$(l):%.c=$(1)/obj/%.o)
)
$$($(1)_ARCHIVES):
	@mkdir -p $$(@D)
	@rm -f $$@
	$(Q)$(if $(filter %gcc,$(2)),$(patsubst %gcc,%ar,$(2)),ar) rcs $$@ $$^

$(1)/kiosk: $(1)/obj/firmware/app/main.o $$($(1)_ARCHIVES)
	@$(if $(Q),echo "  LINK  $$@")
	$(Q)$(2) $(4) -o $$@ $$^ $$($(1)_LIBS) -lm -lpthread

# kioskctl links only its protocol and the ground: it never links the kiosk.
$(1)/kioskctl: $(1)/obj/firmware/admin/kioskctl.o $(1)/lib/admin.a $(1)/lib/base.a
	@$(if $(Q),echo "  LINK  $$@")
	$(Q)$(2) $(4) -o $$@ $$^ $$(call lazy,$(1)_PKG_CJSON,$(3) --libs libcjson)

$(1)/obj/tests/drivers/usb_umockdev.o: tests/drivers/usb_umockdev.c
	@mkdir -p $$(@D)
	@$(if $(Q),echo "  CC    $$@")
	$(Q)$(2) $$(COMMON_CFLAGS) $(4) $$($(1)_CFLAGS) $$(shell $(3) --cflags umockdev-1.0) \
	    -MMD -MP -c $$< -o $$@

$(UMOCKDEV_TEST_SRC:tests/%.c=$(1)/tests/%): $(1)/tests/%: $(1)/obj/tests/%.o \
        $(1)/obj/tests/drivers/usb_umockdev.o \
        $$(TEST_SUPPORT_SRC:%.c=$(1)/obj/%.o) $$($(1)_ARCHIVES)
	@mkdir -p $$(@D)
	@$(if $(Q),echo "  LINK  $$@")
	$(Q)$(2) $(4) -o $$@ $$^ $$($(1)_LIBS) $$($(1)_TEST_LIBS) \
	    $$(shell $(3) --libs umockdev-1.0) -lm -lpthread

$(1)/tests/%: $(1)/obj/tests/%.o $$(TEST_SUPPORT_SRC:%.c=$(1)/obj/%.o) $$($(1)_ARCHIVES)
	@mkdir -p $$(@D)
	@$(if $(Q),echo "  LINK  $$@")
	$(Q)$(2) $(4) -o $$@ $$^ $$($(1)_LIBS) $$($(1)_TEST_LIBS) -lm -lpthread

$(1)/tools/ui-bench $(1)/tools/reader-bench $(1)/tools/cache-bench $(1)/tools/sync-bench \
        $(1)/tools/speech-bench $(1)/tools/staff-credentials: \
        $(1)/tools/%: $(1)/obj/tools/%.o $$($(1)_ARCHIVES)
	@mkdir -p $$(@D)
	@$(if $(Q),echo "  LINK  $$@")
	$(Q)$(2) $(4) -o $$@ $$^ $$($(1)_LIBS) -lm -lpthread

$(1)/tools/%: $(1)/obj/tools/%.o
	@mkdir -p $$(@D)
	@$(if $(Q),echo "  LINK  $$@")
	$(Q)$(2) $(4) -o $$@ $$^

-include $$(shell find $(1)/obj -name '*.d' 2>/dev/null)
endef

$(eval $(call VARIANT,build,gcc,pkg-config,-O2 -g))
$(eval $(call VARIANT,build/asan,gcc,pkg-config,-O1 -g $(SAN_FLAGS)))
$(eval $(call VARIANT,build-arm64,aarch64-linux-gnu-gcc,aarch64-linux-gnu-pkg-config,-O2 -g))
# The board's kiosk (make board-kiosk): arm64, built against a sysroot of the
# board's Debian (board/image/make-sysroot), so it has every engine the
# host's multiarch packages cannot give. --sysroot goes with the flags, which
# reach both compiler and linker (the archiver is named after the compiler).
BOARD_SYSROOT ?= build-board/sysroot
board_root := $(abspath $(BOARD_SYSROOT))
BOARD_PKG_CONFIG := PKG_CONFIG_SYSROOT_DIR=$(board_root) \
    PKG_CONFIG_LIBDIR=$(board_root)/usr/lib/aarch64-linux-gnu/pkgconfig:$(board_root)/usr/share/pkgconfig \
    pkg-config
$(eval $(call VARIANT,build-board,aarch64-linux-gnu-gcc,$(BOARD_PKG_CONFIG),-O2 -g --sysroot=$(board_root)))
# A sysroot made again (other package versions) compiles everything again.
$(LIB_SRC:%.c=build-board/obj/%.o) build-board/obj/$(MAIN_SRC:.c=.o) \
    build-board/obj/$(KIOSKCTL_MAIN:.c=.o): $(wildcard $(board_root)/.inputs)
$(eval $(call VARIANT,build/fuzz,clang,pkg-config,-O1 -g $(SAN_FLAGS) -fsanitize=fuzzer-no-link \
    -Wno-unknown-warning-option))

# The platform stand-in (tools/platform-sim/): a development and test tool,
# built natively only, with its own libraries.
PLATFORM_SIM_SRC := $(wildcard tools/platform-sim/*.c)
PLATFORM_SIM_PKGS := libmicrohttpd gnutls sqlite3 libcjson cairo cairo-ft fontconfig
build/tools/platform-sim: $(PLATFORM_SIM_SRC:%.c=build/obj/%.o) $(build_ARCHIVES)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK  $@")
	$(Q)gcc -O2 -g -o $@ $^ $(shell pkg-config --libs $(PLATFORM_SIM_PKGS)) $(build_LIBS) \
	    -lm -lpthread
$(PLATFORM_SIM_SRC:%.c=build/obj/%.o): build_CFLAGS += $(shell pkg-config --cflags $(PLATFORM_SIM_PKGS))

# Fuzz targets (libFuzzer): tests/fuzz/fuzz_<parser>.c, seeds in
# tests/fuzz/seeds/<parser>/. make check runs each briefly; make fuzz for longer.
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/%.c=%)
FUZZ_SECONDS ?= 300
CHECK_FUZZ_SECONDS ?= 10
build/fuzz/bin/%: build/fuzz/obj/tests/fuzz/%.o $(build/fuzz_ARCHIVES)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK  $@")
	$(Q)clang -g $(SAN_FLAGS) -fsanitize=fuzzer -o $@ $^ $(build/fuzz_LIBS) -lm -lpthread

# The screenshot encoder beside SDL2_image's (make bench): links SDL2_image,
# which the kiosk itself only opens at run time.
build/tools/png-bench: build/obj/tools/png-bench.o $(build_ARCHIVES)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK  $@")
	$(Q)gcc -O2 -g -o $@ $^ $(shell pkg-config --libs SDL2_image) $(build_LIBS) -lm -lpthread

# The sample boards' staff (docs/staff.md): made at build time with fresh
# salts from board/staff-sample.txt, whose demo PINs README's staff section
# gives. Never a real person's credential.
build/staff/sample-credentials.json: board/staff-sample.txt build/tools/staff-credentials
	@mkdir -p $(@D)
	$(Q)build/tools/staff-credentials < $< > $@.tmp && mv $@.tmp $@

ifeq ($(ARCH),arm64)
OUT := build-arm64
else ifeq ($(ARCH),native)
OUT := build
else
$(error ARCH must be native or arm64, not $(ARCH))
endif

TEST_NAMES := $(TEST_SRC:tests/%.c=%)
UNIT_TEST_NAMES := $(UNIT_TEST_SRC:tests/%.c=%)

.PHONY: all run check bench fmt fmt-check clean deps-dev deps-test deps-cross \
        tests-asan tests-arm64 update-references fuzz fuzz-targets board-kiosk board-sysroot \
        board-image board-image-base deps-board
.DEFAULT_GOAL := all
.SECONDARY:

all: deps-$(if $(filter arm64,$(ARCH)),cross,dev)
	@$(MAKE) --no-print-directory $(OUT)/kiosk $(OUT)/kioskctl \
	    $(if $(filter arm64,$(ARCH)),,build/staff/sample-credentials.json)

deps-dev:
	@board/install-deps --ensure dev
deps-test:
	@board/install-deps --ensure test
deps-cross:
	@board/install-deps --ensure cross
deps-board:
	@board/install-deps --ensure board

run: deps-dev
	@$(MAKE) --no-print-directory build/kiosk build/tools/platform-sim \
	    build/staff/sample-credentials.json
	@tools/run-kiosk --board $(BOARD)

tests-asan: build/asan/kiosk build/tools/platform-sim build/tools/staff-credentials \
        build/staff/sample-credentials.json $(TEST_NAMES:%=build/asan/tests/%)
tests-arm64: build-arm64/kiosk $(UNIT_TEST_NAMES:%=build-arm64/tests/%)
fuzz-targets: $(FUZZ_NAMES:%=build/fuzz/bin/%)

# check: everything a change must pass. The summary line counts every test.
# The tests run side by side (tools/check.mk): CHECK_JOBS at a time, by
# default twice the cores, as many of them wait on processes, sockets and
# timers rather than compute.
CHECK_JOBS ?= $(shell echo $$(( $$(nproc) * 2 )))
check: deps-test deps-cross deps-board
	@rm -rf build/test-results && mkdir -p build/test-results
	@$(MAKE) --no-print-directory -f Makefile -f tools/check.mk -j$(CHECK_JOBS) -O -k check-all
	@tools/run-tests --summary build/test-results

bench: deps-dev
	@$(MAKE) --no-print-directory build/kiosk build/tools/kiosk-bench build/tools/ui-bench \
	    build/tools/reader-bench build/tools/cache-bench build/tools/sync-bench \
	    build/tools/platform-sim build/tools/png-bench build/tools/speech-bench
	@build/tools/kiosk-bench build/kiosk --board $(BOARD)
	@build/tools/png-bench
	@build/tools/ui-bench $(BOARD)
	@build/tools/reader-bench
	@build/tools/cache-bench
	@build/tools/sync-bench
	@build/tools/speech-bench

# The board's kiosk and kioskctl with all engines (docs/board-image.md). The
# sysroot is made first (as root; it returns at once when up to date), then
# the variant is built in a second make, which asks pkg-config in it.
board-sysroot:
	@board/image/make-sysroot $(BOARD_SYSROOT)
board-kiosk: board-sysroot
	@$(MAKE) --no-print-directory build-board/kiosk build-board/kioskctl

# The board image (docs/board-image.md): build-board/image/disk.img and its
# kernel, for the emulated board (board/emulate) and, with another profile,
# a real one. Cached by the hash of its inputs: nothing changed, nothing done.
# board-image-base makes what needs no kiosk (the Debian root filesystem,
# the kernel, the sysroot), so make check starts it beside the builds.
BOARD_IMAGE_PROFILE ?= board/profiles/qemu-virt.json
board-image-base: deps-board deps-cross
	@board/image/build-image --prepare build-board/image
	@board/image/make-sysroot $(BOARD_SYSROOT)
board-image: board-image-base board-kiosk
	@BOARD_PROFILE=$(BOARD_IMAGE_PROFILE) KIOSK_BIN=build-board \
	    board/image/build-image build-board/image

fuzz: deps-test fuzz-targets
	@for t in $(FUZZ_NAMES); do tools/run-fuzz $$t $(FUZZ_SECONDS) || exit 1; done

update-references: deps-test
	@$(MAKE) --no-print-directory build/asan/tests/ui/test_reference
	KIOSK_UPDATE_REFERENCES=1 build/asan/tests/ui/test_reference

fmt:
	clang-format -i $(ALL_SOURCES)

# Of build-board/ only what the board variant compiles: the sysroot stays
# (downloaded, not built from these sources; make-sysroot knows when it is
# stale), and so does whatever else the board image keeps there.
clean:
	rm -rf build build-arm64 $(addprefix build-board/,obj lib kiosk kioskctl tests tools)
