#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with the seeds committed under fuzz/seeds/<target>/ and, when
# the shared payload corpus sits beside the repository (../shared/corpus), seeds derived from
# it. The derived files are generated here at run time and never committed.
#
# Usage: fuzz/seed-corpus.sh [SHARED_CORPUS_DIR]
set -euo pipefail

fuzz_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
shared="${1:-$fuzz_dir/../../shared/corpus}"
targets=(decode_envelope parse_token multipart_roundtrip webhook_request)

for target in "${targets[@]}"; do
    mkdir -p "$fuzz_dir/corpus/$target"
    cp "$fuzz_dir/seeds/$target/"* "$fuzz_dir/corpus/$target/"
done

if [[ ! -d "$shared" ]]; then
    echo "seed-corpus: no shared corpus at $shared; committed seeds only"
    exit 0
fi

# decode_envelope reads the HTTP status from its first two bytes (big endian, then
# `% 500 + 100`), so status S is written as S - 100.
status_prefix() {
    local value=$(($1 - 100))
    printf "\\x$(printf %02x $((value >> 8)))\\x$(printf %02x $((value & 255)))"
}

count=0
for file in "$shared"/*.json; do
    [[ -e "$file" ]] || continue
    name="$(basename "$file" .json)"
    out="$fuzz_dir/corpus/decode_envelope/shared_$name"
    if grep -q '"ok"' "$file"; then
        # A whole envelope: send it with the status Telegram would use.
        code="$(grep -o '"error_code": *[0-9]*' "$file" | head -n1 | grep -o '[0-9]*$' || true)"
        { status_prefix "${code:-200}"; cat "$file"; } > "$out"
    else
        # A bare object (a message, an update): wrap it as a successful result.
        { status_prefix 200; printf '{"ok":true,"result":'; cat "$file"; printf '}'; } > "$out"
    fi
    # The same JSON as a text field and as a file's content for the multipart round trip.
    { printf 'payload\xff'; cat "$file"; printf '\xff@%s.json\xff' "$name"; cat "$file"; } \
        > "$fuzz_dir/corpus/multipart_roundtrip/shared_$name"
    count=$((count + 1))
done
echo "seed-corpus: $count files from $shared added to decode_envelope and multipart_roundtrip"
