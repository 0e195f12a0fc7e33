# bash completion for revsearch and revindex (installed as share/bash-completion/completions/revsearch and
# .../revindex; or source this file). The option and command lists come from the tools' own --help at completion
# time, so they cannot drift from the tools; what is not an option completes as a file name.

# The options an option list of --help declares: on each line that starts with "  -", the words starting with "-"
# before the description (which starts after two spaces).
_revsearch_help_options() {
    "$@" --help 2>/dev/null | awk '/^  -/ { spec = substr($0, 3); sub(/  .*/, "", spec); n = split(spec, word, " "); for (i = 1; i <= n; i++) if (word[i] ~ /^-/) print word[i] }'
}

# revindex's commands: the lines under "Commands:" in revindex --help.
_revsearch_revindex_commands() {
    "$1" --help 2>/dev/null | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }'
}

_revsearch_complete() {
    local tool=$1 current=${COMP_WORDS[COMP_CWORD]} IFS=$'\n'
    local -a options
    COMPREPLY=()
    if [[ ${COMP_WORDS[0]##*/} == revindex || $tool == revindex ]]; then
        if ((COMP_CWORD == 1)); then
            COMPREPLY=($(compgen -W "$(_revsearch_revindex_commands "${COMP_WORDS[0]}") --help --version" -- "$current"))
            return
        fi
        options=($(_revsearch_help_options "${COMP_WORDS[0]}" "${COMP_WORDS[1]}"))
    else
        options=($(_revsearch_help_options "${COMP_WORDS[0]}"))
    fi
    if [[ $current == -* ]]; then
        COMPREPLY=($(compgen -W "${options[*]}" -- "$current"))
    else
        COMPREPLY=($(compgen -f -- "$current"))
    fi
}

complete -o filenames -F _revsearch_complete revsearch revindex
