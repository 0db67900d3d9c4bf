# The whole set-up is two commands (see README.md):
#   make demo   installs what is missing, builds, trains the flagship example
#               (examples/sage: GraphSAGE on a built-in 200,000-node graph)
#   make test   installs what is missing, builds, runs every test
BUILD ?= build
LLVM_PREFIX ?= /usr/lib/llvm-22
BUILD_TYPE ?= Release

.PHONY: all setup configure build demo tours test fuzz docs format clean

all: build

setup:
	bash scripts/setup.sh

configure: setup
	cmake -G Ninja -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DMLIR_DIR=$(LLVM_PREFIX)/lib/cmake/mlir \
	  -DLLVM_EXTERNAL_LIT=$(LLVM_PREFIX)/bin/lit

build: configure
	cmake --build $(BUILD)

demo: build
	bash examples/sage/run.sh $(BUILD)

# The smaller tours: the dialect's folds, a gather through every stage, and
# the language on a small classifier.
tours: build
	bash examples/dialect-tour/run.sh $(BUILD)
	bash examples/gather-pipeline/run.sh $(BUILD)
	bash examples/language-tour/run.sh $(BUILD)

test: build
	cd $(BUILD) && ctest --output-on-failure

# The front-end fuzzer for FUZZ_SECONDS (`make test` runs it for a minute);
# see fuzz/README.md.
FUZZ_SECONDS ?= 600
fuzz: setup
	FUZZ_MLIR_DIR=$(LLVM_PREFIX)/lib/cmake/mlir bash fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

# Regenerates docs/dialect/SluiceDialect.md from ODS (the docs-current test
# fails until the refreshed copy is committed).
docs: configure
	cmake --build $(BUILD) --target sluice-doc

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) build-fuzz
