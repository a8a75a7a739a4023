#!/usr/bin/env bash
# Seeds each fuzz target's corpus (fuzz/corpus/<target>/) from real inputs:
# the fixtures under tests/fixtures/ and, if given, a folder of real data
# (text copies, API JSON days, Python-repr days, Atom files, recorded arXiv
# API exchanges as `{url, status_code, body}` JSON).
#
#   fuzz/seed.sh [DATA_DIR]
#
# `site` inputs start with a byte that picks the digest's name: 0 text
# copy, 1 API JSON, 2 Atom. Inputs over 256 KiB are left out (run with
# `-max_len=262144`).
set -euo pipefail
cd "$(dirname "$0")"
data=${1:-}
fixtures=$(cd ../tests/fixtures && pwd)
corpus=corpus
mkdir -p "$corpus"/{text,json,atom,front_matter,site}

sources() { # the real inputs of one kind: txt, json, xml, md
    local kind=$1
    find "$fixtures/import" -maxdepth 1 -name "*.$kind"
    [ "$kind" = md ] && find "$fixtures" -path '*/papers/*.md'
    [ -d "$fixtures/import/fuzz" ] && case $kind in
        txt) find "$fixtures/import/fuzz/text" -type f ;;
        json) find "$fixtures/import/fuzz/json" -type f ;;
        xml) find "$fixtures/import/fuzz/atom" -type f ;;
        md) find "$fixtures/import/fuzz/front_matter" -type f ;;
    esac
    if [ -n "$data" ]; then
        case $kind in
            txt) find "$data" -name '*.txt' ;;
            json) find "$data" -name '*.json' -not -path '*arxiv-api-recorded*' ;;
            xml) find "$data" -name '*.xml' ;;
        esac
    fi
    true
}

add() { # add TARGET FILE [SELECTOR]
    local target=$1 file=$2 selector=${3:-}
    [ "$(stat -c %s "$file")" -le 262143 ] || return 0
    local name
    name=$( { [ -n "$selector" ] && printf "\\x0$selector"; cat "$file"; } | sha1sum | cut -c1-40)
    { [ -n "$selector" ] && printf "\\x0$selector"; cat "$file"; } > "$corpus/$target/$name"
}

while read -r f; do add text "$f"; add site "$f" 0; done < <(sources txt)
while read -r f; do add json "$f"; add site "$f" 1; done < <(sources json)
while read -r f; do add atom "$f"; add site "$f" 2; done < <(sources xml)
while read -r f; do add front_matter "$f"; done < <(sources md)

# Recorded arXiv API exchanges: their Atom bodies.
if [ -n "$data" ] && [ -d "$data/arxiv-api-recorded" ]; then
    for f in "$data"/arxiv-api-recorded/*.json; do
        body=$(mktemp)
        python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))["body"])' "$f" > "$body"
        add atom "$body"
        add site "$body" 2
        rm -f "$body"
    done
fi

# Paper pages as import writes them, from the fixtures' digests.
if command -v paperpress > /dev/null || [ -x ../target/debug/paperpress ]; then
    bin=$(command -v paperpress || realpath ../target/debug/paperpress)
    site=$(mktemp -d)
    "$bin" init "$site/s" > /dev/null
    (cd "$site/s" && "$bin" import "$fixtures/import" > /dev/null 2>&1) || true
    for page in "$site"/s/content/papers/*.md; do [ -f "$page" ] && add front_matter "$page"; done
    rm -rf "$site"
fi

for target in "$corpus"/*; do echo "$target: $(ls "$target" | wc -l) inputs"; done
