# The two commands of the README. The logic lives in scripts/ so it can be read on its own.
.PHONY: run test help

help:
	@echo "make run   start the portal (web, Celery worker, beat) on http://127.0.0.1:8000/"
	@echo "make test  run the whole test suite, browser tests included (ARGS=... for pytest)"

run:
	@scripts/run.sh

test:
	@scripts/test.sh $(ARGS)
