#!/usr/bin/env bash
# Benchmark: import a synthetic 1,000,000-row registry extract with `layar-verification
# import-registry` (validation, COPY, indexes, snapshot switch) and compare with `psql \copy` of
# the same file into a plain table of the same columns on the same server. Prints figures and the
# ratio; a benchmark, not a test. Usage: deploy/local/bench-registry-import.sh [rows]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROWS=${1:-1000000}

install_packages
command -v bc >/dev/null || as_root apt-get install -y -q bc >/dev/null
log "building layar-verification (release)"
(cd "$ROOT" && swift build -c release --static-swift-stdlib --product layar-verification) >/dev/null || die "build failed"
RELEASE=$(cd "$ROOT" && swift build -c release --static-swift-stdlib --show-bin-path)
start_postgres
create_database layar_bench
trap 'stop_postgres' EXIT

mkdir -p "$DATA/bench"
FILE=$DATA/bench/registry-$ROWS.csv
[ -s "$FILE" ] || "$RELEASE/layar-verification" generate-registry --rows "$ROWS" --output "$FILE"
SIZE=$(du -m "$FILE" | cut -f1)
URL=$(database_url verification layar_bench)
ensure_data_keys  # the import indexes NIK and KK with verification's keys
export LAYAR_DATA_KEYS_DIR=$DATA/keys/data/verification

# Warm-up: the schema exists and the file is in the page cache for both contenders.
LAYAR_DATABASE_URL=$URL "$RELEASE/layar-verification" import-registry "$FILE" --source warmup --date 2026-10-01 >/dev/null

start=$(date +%s.%N)
LAYAR_DATABASE_URL=$URL "$RELEASE/layar-verification" import-registry "$FILE" --source "bench" --date 2026-10-01
ours=$(echo "$(date +%s.%N) - $start" | bc)

psql_bench() { PGPASSWORD=verification-dev psql -q -h 127.0.0.1 -p "$PGPORT" -U verification -d layar_bench -v ON_ERROR_STOP=1 "$@"; }
# The extract as it is, into a table of its own columns (the import keeps fewer, indexed).
psql_bench -c "DROP TABLE IF EXISTS bench_copy" -c "CREATE TABLE bench_copy (registry_id text NOT NULL, nik bigint NOT NULL,
  kk bigint NOT NULL, name text NOT NULL, birth_place text NOT NULL, birth_date date NOT NULL, sex char(1) NOT NULL,
  relation text NOT NULL, kecamatan_code text NOT NULL, desa_code text NOT NULL, address text NOT NULL, decile smallint,
  pkh boolean NOT NULL, bpnt boolean NOT NULL, pbi_jk boolean NOT NULL)"
start=$(date +%s.%N)
psql_bench -c "\\copy bench_copy FROM '$FILE' WITH (FORMAT csv, HEADER true)"
theirs=$(echo "$(date +%s.%N) - $start" | bc)
psql_bench -c "DROP TABLE bench_copy"

# The same extract as an XLSX workbook (inline strings, birth dates as Excel date serials), as
# the office may receive it: read as CSV first, then the same import.
XLSX=$DATA/bench/registry-$ROWS.xlsx
[ -s "$XLSX" ] || python3 - "$FILE" "$XLSX" <<'PY'
import csv, datetime, sys, zipfile
from xml.sax.saxutils import escape
source, target = sys.argv[1], sys.argv[2]
epoch = datetime.date(1899, 12, 30)
def column(i): return chr(65 + i)
with open(source, newline="", encoding="utf-8") as f, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="DTSEN" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
    with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
        sheet.write(b"<worksheet><sheetData>")
        for n, row in enumerate(csv.reader(f), 1):
            cells = []
            for i, value in enumerate(row):
                if n > 1 and i == 5:
                    cells.append(f'<c r="{column(i)}{n}" s="1"><v>{(datetime.date.fromisoformat(value) - epoch).days}</v></c>')
                elif value:
                    cells.append(f'<c r="{column(i)}{n}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
            sheet.write(f'<row r="{n}">{"".join(cells)}</row>'.encode())
        sheet.write(b"</sheetData></worksheet>")
PY
XLSX_SIZE=$(du -m "$XLSX" | cut -f1)
start=$(date +%s.%N)
LAYAR_DATABASE_URL=$URL "$RELEASE/layar-verification" import-registry "$XLSX" --source "bench xlsx" --date 2026-10-01 >/dev/null
workbook=$(echo "$(date +%s.%N) - $start" | bc)

printf '\n%-44s %12s %14s\n' "registry import, $ROWS rows ($SIZE MB)" "seconds" "rows/s"
printf '%-44s %12.2f %14.0f\n' "layar-verification import-registry" "$ours" "$(echo "$ROWS / $ours" | bc -l)"
printf '%-44s %12.2f %14.0f\n' "psql \\copy into a plain table" "$theirs" "$(echo "$ROWS / $theirs" | bc -l)"
printf '%-44s %12.2f   (goal >= 0.90)\n' "ratio (\\copy time / import time)" "$(echo "$theirs / $ours" | bc -l)"
printf '%-44s %12.2f %14.0f\n' "import-registry of the same as XLSX ($XLSX_SIZE MB)" "$workbook" "$(echo "$ROWS / $workbook" | bc -l)"
echo "(the import also validates every row, builds the NIK and KK indexes and switches the snapshot; its log line splits copy and index time)"
