// The only way src/pg files include PostgreSQL: C headers inside extern "C", postgres.h
// first, then a shim for the few c.h macros that do not compile as C++.
#pragma once

extern "C" {
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "port.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "mb/pg_wchar.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "pgtime.h"
}

#ifdef __cplusplus
#undef AssertVariableIsOfType
#define AssertVariableIsOfType(varname, typename) static_assert(sizeof(varname) == sizeof(typename), "type check")
#undef AssertVariableIsOfTypeMacro
#define AssertVariableIsOfTypeMacro(varname, typename) (sizeof(varname) == sizeof(typename))
#undef unconstify
#define unconstify(underlying_type, expr) const_cast<underlying_type>(expr)
#undef unvolatize
#define unvolatize(underlying_type, expr) const_cast<underlying_type>(expr)
#endif
