# terraform-provider-jira — developer entry points.
#   make deps     install the Debian packages the build needs (idempotent; run as root or with sudo)
#   make build    configure and build everything into build/ (binaries in build/bin/)
#   make test     deps + build + every test through ctest, then the fuzz smoke (fuzz/run.sh --smoke)
#   make demo     the GitLab-integration walkthrough against the bundled Jira emulator
#   make bench    build and run the benchmarks, which print figures
#   make install  put the binary where Terraform's implied local mirror finds it
#   make release  the registry release files (zip, SHA256SUMS, manifest) in dist/
#   make docs     regenerate docs/ from the schemas and examples/
#   make asan / make tsan   build and test under the sanitizer presets
#   make fuzz     build the libFuzzer targets with clang (build-fuzz/) and run each for
#                 FUZZ_SECONDS seconds (default 60), printing executions and crashes

VERSION   ?= $(shell sed -n 's/^project(terraform_provider_jira VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
BUILD_DIR ?= build
JOBS      ?= 2
CMAKE_GENERATOR ?= Ninja

DEB_PACKAGES := build-essential cmake ninja-build pkg-config git ca-certificates zip unzip \
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler \
  libboost-dev nlohmann-json3-dev libssl-dev libmsgpack-cxx-dev libnghttp2-dev \
  libgtest-dev libgmock-dev libbenchmark-dev libicu-dev openssl \
  clang-14 libclang-rt-14-dev

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build test unit acceptance demo bench asan tsan fuzz docs install release clean

all: build

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing Debian packages:" $$missing; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	else \
	  echo "All Debian packages are installed."; \
	fi

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -G $(CMAKE_GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The fuzz smoke (label fuzz) runs last and alone: it builds the fuzz tree with clang first.
test: deps build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 900 -LE fuzz
	cd $(BUILD_DIR) && JOBS=$(JOBS) ctest --output-on-failure -L fuzz --no-tests=error

unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

acceptance: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L acceptance

demo: deps build
	./scripts/demo.sh $(BUILD_DIR)

install: build
	./scripts/install.sh $(BUILD_DIR)

release: build
	./scripts/release.sh $(BUILD_DIR) dist

docs: $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) --target docs -j $(JOBS)

bench: deps build
	./scripts/bench.sh $(BUILD_DIR)

asan: deps
	cmake --preset asan && cmake --build --preset asan && ctest --preset asan -j $(JOBS)

tsan: deps
	cmake --preset tsan && cmake --build --preset tsan && ctest --preset tsan -j $(JOBS)

FUZZ_SECONDS ?= 60
fuzz: deps
	cmake --preset fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) ./fuzz/run.sh --build-dir build-fuzz

clean:
	rm -rf $(BUILD_DIR) build-asan build-tsan build-fuzz dist
