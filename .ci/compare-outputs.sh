#!/usr/bin/env bash
# .ci/compare-outputs.sh A B: every file two runs of .ci/outputs.sh wrote, byte for byte. Masked,
# because they differ between any two runs of one build: durations and rates on the console (a
# number followed by ms, s, us or events/s), progress lines, the launcher's build notice, the
# numbers of timing.json, events' times taken from the clock, and the two output folders' names.
a="$1"; b="$2"; bad=0
mask() {
  sed -E -e "s#$2#DIR#g" -e '/events applied \(/d' -e '/^licensim: (building|this takes about a minute)/d' \
         -e 's/[0-9][0-9,.]* ?(ms|s|us|events\/s)\b/<T> \1/g' "$1"
}
masknum() { sed -E -e "s#$2#DIR#g" -e 's/[0-9][0-9.eE+-]*/<N>/g' "$1"; }
files=$(cd "$a" && find . -type f | sort); filesb=$(cd "$b" && find . -type f | sort)
if [ "$files" != "$filesb" ]; then echo "FILE LISTS DIFFER"; diff <(echo "$files") <(echo "$filesb"); bad=1; fi
n=0; same=0; masked=0
for f in $files; do
  [ -f "$b/$f" ] || continue
  n=$((n+1))
  if cmp -s "$a/$f" "$b/$f"; then same=$((same+1)); continue; fi
  case "$f" in
    *.stdout|*.stderr) if cmp -s <(mask "$a/$f" "$a") <(mask "$b/$f" "$b"); then masked=$((masked+1)); continue; fi ;;
    */timing.json) if cmp -s <(masknum "$a/$f" "$a") <(masknum "$b/$f" "$b"); then masked=$((masked+1)); continue; fi ;;
    *.jsonl) if cmp -s <(sed -E 's/"time":"[^"]*"/"time":T/' "$a/$f") <(sed -E 's/"time":"[^"]*"/"time":T/' "$b/$f"); then masked=$((masked+1)); continue; fi ;;
    *) if cmp -s <(sed "s#$a#DIR#g" "$a/$f") <(sed "s#$b#DIR#g" "$b/$f"); then masked=$((masked+1)); continue; fi ;;
  esac
  echo "DIFFERS: $f"; bad=1
done
echo "$n files: $same byte-identical, $masked equal after masking, $([ $bad = 0 ] && echo 'no differences' || echo 'DIFFERENCES ABOVE')"
exit $bad
