// libpq, PostgreSQL's C client library (pkg-config libpq adds its include folder).
#include <libpq-fe.h>
