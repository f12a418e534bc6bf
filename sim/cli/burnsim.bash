# bash completion for burnsim: commands, their options, bundled scenario
# names and scenario files, results folders, lever keys for --set.
_burnsim() {
  local cur prev words cword
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  local cmd=${COMP_WORDS[1]}
  local commands="run compare sweep sensitivity calibrate check list plot report validate version help"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi
  local opts
  case $cmd in
    run) opts="-o --output --seed --set --reps --threads --resume --force --no-plot --no-report -q --quiet -h --help" ;;
    compare | sweep) opts="--arm -o --output --seed --set --reps --threads --resume --force --no-plot --no-report -q --quiet -h --help" ;;
    sensitivity) opts="--arm -o --output --seed --set --reps --threads --resume --force --no-plot --no-report -q --quiet -h --help" ;;
    calibrate) opts="-o --output --seed --set --reps --threads --resume --force -q --quiet -h --help" ;;
    check) opts="--set --docs --reference -h --help" ;;
    validate) opts="--quick -o --output --threads --targets --force --no-plot -q --quiet -h --help" ;;
    plot) opts="--format --pdf -q --quiet -h --help" ;;
    report) opts="-o --output --force --no-plot -q --quiet -h --help" ;;
    list | version) opts="-h --help" ;;
    help) COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
  esac
  case $prev in
    -o | --output)
      COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --format)
      COMPREPLY=($(compgen -W "png svg pdf" -- "$cur")); return ;;
    --set)
      # Lever keys from the scenario reference (`burnsim check --reference`).
      local keys
      keys=$("${COMP_WORDS[0]}" check --reference 2>/dev/null | sed -nE 's/^\| `([^`]+)` .*/\1=/p')
      compopt -o nospace 2>/dev/null
      COMPREPLY=($(compgen -W "$keys" -- "$cur")); return ;;
    --seed | --reps | --threads | --arm)
      return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return
  fi
  case $cmd in
    run | compare | sweep | check)
      local names
      names=$("${COMP_WORDS[0]}" list 2>/dev/null | sed -nE '/^Bundled/,/^$/s/^  ([^ ]+) .*/\1/p')
      COMPREPLY=($(compgen -W "$names" -- "$cur") $(compgen -f -X '!*.cfg' -- "$cur") $(compgen -d -- "$cur")) ;;
    plot | report)
      COMPREPLY=($(compgen -d -- "$cur")) ;;
  esac
}
complete -F _burnsim burnsim
