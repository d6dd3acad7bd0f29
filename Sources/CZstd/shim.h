// zstd's one-shot compression, for Parquet pages (libzstd-dev).
#include <zstd.h>
