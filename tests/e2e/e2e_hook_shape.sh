#!/bin/sh
# e2e_hook_shape.sh — the hooks on every allocation and every lock keep
# their shape in the built library: no stack frame and no call on their
# path (no push, no call instruction anywhere in the function), every exit
# a jump, either to the next definition or to an out-of-line slow path. A
# compiler or a change that puts a call, a spill or a frame back into one
# of them makes every malloc, free, lock or unlock of every host dearer,
# which no functional test would notice; this one fails.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
HOT="malloc calloc realloc free aligned_alloc memalign
     pthread_mutex_lock pthread_mutex_unlock
     pthread_rwlock_rdlock pthread_rwlock_wrlock pthread_rwlock_unlock"

if ! command -v objdump >/dev/null 2>&1; then
	echo "SKIP: objdump (binutils) is not installed"
	exit 77
fi
objdump -d --no-show-raw-insn "$AGENT_LIB" >"$WORK/dis" || { echo "FAIL: objdump $AGENT_LIB"; exit 1; }

for f in $HOT; do
	awk -v want="<$f>:" '$2 == want { on = 1; next } on && /^$/ { exit } on' "$WORK/dis" >"$WORK/$f"
	if [ ! -s "$WORK/$f" ]; then
		checks=$((checks + 1))
		fail "$f: not found in $AGENT_LIB"
		continue
	fi
	calls=$(grep -cE '	(call|push)' "$WORK/$f")
	check_eq "$f: push or call instructions" "$calls" 0
	# the last instruction before the padding is a jump (a tail call)
	last=$(grep -vE '	(nop|data16|cs nop|xchg +%ax,%ax)' "$WORK/$f" | tail -1 | awk '{ print $2 }')
	check_eq "$f: ends in" "$last" jmp
	[ "$calls" = 0 ] || cat "$WORK/$f"
done
finish
