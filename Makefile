# Sakura's two commands: `make run` serves the portal with the demo cities on
# SQLite; `make test` runs every test. Both install or start what they need.

SAKURA_TEST_POSTGRES ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
export SAKURA_TEST_POSTGRES

.PHONY: run test build check setup-run setup-test

run: setup-run build
	./sakura serve -demo -db sakura.db

build:
	go build -o sakura ./cmd/sakura

test: setup-test check
	go test -race -count=1 -timeout 60m ./...

# gofmt, go vet and staticcheck must be clean.
check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*')); \
		if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi
	go vet ./...
	go tool staticcheck ./...

setup-run:
	@scripts/setup.sh run

setup-test:
	@scripts/setup.sh test
