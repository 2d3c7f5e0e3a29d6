#!/bin/sh
# Retrain one shipped model from scratch with its recorded recipe (training/recipes.json), then convert
# it into public/weights/<id>/ for the site.
#
#   training/retrain.sh MODEL_ID [--no-train] [--threads N] [--data DIR]
#
#   --no-train   skip training; convert the existing training/runs/<id>/model.pth
# Python is Debian's /usr/bin/python3 (torch 1.13); override with PYTHON=... if needed.
set -eu
usage() { echo "usage: training/retrain.sh MODEL_ID [--no-train] [--threads N] [--data DIR]" >&2; exit 2; }
[ $# -ge 1 ] || usage
case "$1" in -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0;; -*) usage;; esac
ID=$1; shift
TRAIN=1; EXTRA=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-train) TRAIN=0;;
    --threads|--data) [ $# -ge 2 ] || usage; EXTRA="$EXTRA $1 $2"; shift;;
    *) usage;;
  esac
  shift
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PY=${PYTHON:-/usr/bin/python3}
RUN="training/runs/$ID"
OUT="public/weights/$ID"
if [ "$TRAIN" = 1 ]; then
  rm -f "$RUN/checkpoint.pt"
  # shellcheck disable=SC2086
  "$PY" training/train.py "$ID" --out "$RUN" $EXTRA
fi
[ -f "$RUN/model.pth" ] || { echo "retrain.sh: $RUN/model.pth not found (train first)" >&2; exit 1; }
if [ ! -f bin/ghostlab.js ]; then
  echo "retrain.sh: bin/ghostlab.js not found; the trained weights stay in $RUN/" >&2; exit 1
fi
mkdir -p "$OUT"
node bin/ghostlab.js convert "$RUN/model.pth" --arch "$ID" --out "$OUT" --force
cp "$RUN/metrics.json" "$OUT/metrics.json"
case "$ID" in ghostnet-fmnist-s*-d*) "$PY" training/make_ablation.py;; esac
echo "retrain.sh: $ID -> $OUT (test accuracy: $("$PY" -c "import json,sys;print(json.load(open(sys.argv[1]))['test_accuracy'])" "$OUT/metrics.json"))"
