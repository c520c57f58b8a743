# Guichet — two commands: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
CARGO ?= cargo

# Runtime libraries of the window (winit loads X11/Wayland at run time) and the build's needs; the PC/SC
# client library and service for card readers (libpcsclite-dev because `make run` builds: the pcsc crate
# finds the library through pkg-config).
RUN_PKGS := pkg-config libx11-6 libx11-xcb1 libxcursor1 libxrandr2 libxi6 libxkbcommon0 libxkbcommon-x11-0 \
            libwayland-client0 libwayland-cursor0 libxcb1 libdbus-1-3 libpcsclite1 libpcsclite-dev pcscd
# The file dialogs go through the XDG desktop portal; zenity is rfd's fallback on desktops without one.
DESKTOP_PKGS := zenity
# What the test suite starts or inspects: a real X server for the window test, screenshots, OCR; OpenLDAP
# (slapd started by the tests on a free loopback port, ldap-utils to load and change it; openssl for the
# test CA); GNU time for the sync's peak memory in `make bench`; a private pcscd with the vpcd virtual
# reader driver for the card reader tests.
TEST_PKGS := $(RUN_PKGS) xvfb x11-utils imagemagick tesseract-ocr tesseract-ocr-eng slapd ldap-utils openssl time cups-ipp-utils dbus-daemon poppler-utils zbar-tools fonts-dejavu-core \
             pcscd vsmartcard-vpcd libpcsclite-dev pkgconf

.PHONY: run test lint bench deps-run deps-test fmt

run: deps-run
	$(CARGO) build --release
	./target/release/guichet

test: deps-test
	@mkdir -p target
	set -o pipefail; $(CARGO) test --lib --bins --tests -- --test-threads=2 2>&1 | tee target/test-output.log
	@awk '/^test result:/ {p += $$4; f += $$6} END {printf "%d passed, %d failed\n", p, f}' target/test-output.log

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

fmt:
	$(CARGO) fmt

bench: deps-test
	$(CARGO) build --release
	$(CARGO) bench --bench desk
	$(CARGO) bench --bench directory
	$(CARGO) bench --bench production
	$(CARGO) bench --bench encode
	$(CARGO) bench --bench queue
	$(CARGO) bench --bench library

deps-run:
	@./scripts/install-deps.sh $(RUN_PKGS) $(DESKTOP_PKGS)

deps-test:
	@./scripts/install-deps.sh $(TEST_PKGS)
