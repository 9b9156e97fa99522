// Included last by every core header: the core must build without any PostgreSQL header,
// so that it can be unit-tested with no server and reused outside the backend.
#pragma once
#if defined(POSTGRES_H)
static_assert(false, "src/core must not include PostgreSQL headers");
#endif
