# Turns docs/config.md (the one source for the configuration's documentation) into the body of
# kiosk.toml(5) in scdoc syntax: headings, paragraphs, tables as lists of keys, code as literal
# blocks. Only the Markdown that config.md uses is understood; tests/man_test.sh checks that every
# key of the Markdown tables reaches the man page.
function inline(s,    out, n, parts, i) {
    gsub(/\\/, "\\\\", s)
    gsub(/\*\*/, "", s)
    gsub(/\*/, "\\*", s)
    gsub(/_/, "\\_", s)
    # `code` -> *code* (bold): split on backticks, odd pieces are code.
    n = split(s, parts, "`")
    out = parts[1]
    for (i = 2; i <= n; i++) out = out ((i % 2) ? parts[i] : "*" parts[i] "*")
    return out
}
function cell(s) { sub(/^ +/, "", s); sub(/ +$/, "", s); return s }
BEGIN { in_fence = 0; in_indent = 0; header = 0 }
NR == 1 && /^# / { next }                      # the page title: the man page has its own
/^```/ {
    if (in_fence) { print "```"; in_fence = 0 } else { print ""; print "```"; in_fence = 1 }
    next
}
in_fence { print; next }
/^    / {                                       # an indented code block
    if (!in_indent) { print "```"; in_indent = 1 }
    print substr($0, 5); next
}
in_indent { print "```"; in_indent = 0 }
/^### / { h = substr($0, 5); gsub(/`/, "", h); print "## " h; next }
/^## / { print "# " toupper(substr($0, 4)); next }
/^\|/ {
    n = split($0, c, "|")
    if (c[2] ~ /^-+$/) next                      # the separator row
    if (!header) { header = 1; for (i = 2; i < n; i++) col[i] = cell(c[i]); next }
    name = cell(c[2]); gsub(/`/, "", name)
    line = "*" inline(name) "*"
    rest = ""
    for (i = 3; i < n; i++) {
        v = cell(c[i])
        if (v == "") continue
        rest = rest (rest == "" ? "" : "; ") ((i < n - 1 && n > 4) ? col[i] ": " : "") inline(v)
    }
    print line; print "\t" rest; print ""
    next
}
{ header = 0 }
/^$/ { print ""; next }
{ s = $0; sub(/^ +/, "", s); print inline(s) }
END { if (in_fence || in_indent) print "```" }
