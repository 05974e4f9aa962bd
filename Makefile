# Switchboard. `make run` starts the service on 127.0.0.1:8080, `make test` runs every test,
# `make bench` runs the JMH and loopback load benchmarks. Each finds a JDK 21+ by itself.
SHELL := /bin/bash
.DEFAULT_GOAL := help

JAVA_HOME := $(shell scripts/find-jdk)
ifeq ($(JAVA_HOME),)
$(error no JDK 21+ found (see the message above))
endif
export JAVA_HOME
export PATH := $(JAVA_HOME)/bin:$(PATH)
# Maven's own Guava warns about sun.misc.Unsafe on JDK 24+; the flag exists only there.
JAVA_MAJOR := $(shell $(JAVA_HOME)/bin/java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $$2}' | cut -d. -f1)
ifeq ($(shell [ "$(JAVA_MAJOR)" -ge 24 ] && echo yes),yes)
export MAVEN_OPTS ?= --sun-misc-unsafe-memory-access=allow
endif

MVN := mvn -B --no-transfer-progress
JAR := switchboard-server/target/switchboard.jar
SOURCES := $(shell find switchboard-*/src/main -type f 2>/dev/null) pom.xml $(wildcard switchboard-*/pom.xml)
HOST ?= 127.0.0.1
PORT ?= 8080
CONFIG ?=
JAVA_OPTS ?= -XX:+UseG1GC -Xss512k

.PHONY: help build run test bench bench-jmh bench-load clean

help:
	@echo "make run    start Switchboard on $(HOST):$(PORT) (CONFIG=file.yaml to use a configuration)"
	@echo "make test   run the whole test suite"
	@echo "make bench  run the JMH request-path benchmark and the loopback load benchmark"

build: $(JAR)

$(JAR): $(SOURCES)
	$(MVN) -q -Dmaven.test.skip=true package
	@touch $(JAR)

run: $(JAR)
	$(JAVA_HOME)/bin/java $(JAVA_OPTS) -jar $(JAR) serve --host $(HOST) --port $(PORT) $(if $(CONFIG),--config $(CONFIG))

test:
	scripts/test-deps
	$(MVN) test

bench: bench-jmh bench-load

bench-jmh:
	$(MVN) -q -Pbench -Dmaven.test.skip=true package
	bench/jmh.sh

bench-load: $(JAR)
	bench/load.sh

clean:
	$(MVN) -q clean
