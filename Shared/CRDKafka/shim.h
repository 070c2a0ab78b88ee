// librdkafka's public API and its in-memory mock cluster (used by the dev broker and tests).
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
