# PGXS build of the oscar_accounts extension (C++17). Unit and integration test binaries
# are built by CMakeLists.txt; tools/test.sh runs every layer.
EXTENSION    = oscar_accounts
EXTVERSION   = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(EXTENSION).control)
MODULE_big   = oscar_accounts
OBJS         = $(patsubst %.cpp,%.o,$(wildcard src/core/*.cpp src/pg/*.cpp))
DATA         = $(wildcard sql/$(EXTENSION)--*.sql)

# pg_regress: one file per feature, sql/<name>.sql against expected/<name>.out.
REGRESS      = $(sort $(patsubst sql/%.sql,%,$(filter-out sql/$(EXTENSION)--%,$(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=. --load-extension=$(EXTENSION)

PG_CXXFLAGS  = -std=c++17 -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
PG_CPPFLAGS  = -I$(srcdir)/src -isystem $(includedir_server)
SHLIB_LINK  += -lstdc++
# Debian's server is built with LLVM: PGXS would also compile every .cpp to bitcode with
# clang without our -std=c++17 (clang defaults to C++14). JIT inlining is not needed here.
override with_llvm = no

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Rebuild objects when a header they include changes (PGXS does not track headers).
override CXXFLAGS += -MMD -MP
EXTRA_CLEAN += $(OBJS:.o=.d)
-include $(OBJS:.o=.d)

ifneq ($(MAJORVERSION),15)
$(error oscar_accounts is built and tested against PostgreSQL 15; found $(MAJORVERSION))
endif
