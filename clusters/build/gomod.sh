# Helpers to build Go programs from the module proxy through a throwaway
# wrapper module (sourced by kubernetes.sh and components.sh).

# gomod_path MODULE VERSION -> path of MODULE's go.mod in the module cache.
gomod_path() {
  go mod download -json "$1@$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["GoMod"])'
}

# gomod_dir MODULE VERSION -> source directory of MODULE in the module cache.
gomod_dir() {
  go mod download -json "$1@$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])'
}

# wrapper_module DIR MODULE VERSION [EXTRA go.mod lines...]
# Writes DIR/go.mod requiring MODULE@VERSION. A dependency's own replace
# directives do not apply when it is required, so the wrapper repeats the
# non-local ones (and callers add any fix-ups as extra lines).
wrapper_module() {
  local dir=$1 mod=$2 ver=$3; shift 3
  local src; src=$(gomod_path "$mod" "$ver")
  mkdir -p "$dir"
  {
    echo "module shakedown.local/build"
    grep -E '^go [0-9]' "$src" | head -1
    grep -E '^godebug ' "$src" || true
    echo "require $mod $ver"
    # Copy replace directives that point at versions (not local paths).
    python3 - "$src" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
lines = []
for block in re.findall(r'^replace \(\n(.*?)^\)', text, re.S | re.M):
    lines += block.splitlines()
lines += [l[len('replace '):] for l in text.splitlines() if l.startswith('replace ') and '(' not in l]
for l in lines:
    l = l.split('//')[0].strip()
    if '=>' not in l: continue
    right = l.split('=>')[1].split()
    if right and not right[0].startswith(('.', '/')) and len(right) == 2:
        print('replace', l)
PY
    for extra in "$@"; do echo "$extra"; done
  } > "$dir/go.mod"
  : > "$dir/go.sum"
}
