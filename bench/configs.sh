# bench/configs.sh — the profilers side-by-side.sh compares, sourced by it.
# run_config NAME CMD... runs CMD once under configuration NAME, its stdout
# to stdout (for heaptrack mixed with heaptrack's own lines). Every
# configuration the suite may name is here, with the configuration it is
# best judged against (config_base).
# Needs LIB (our agent), OUT (a scratch directory) and TIMER (a command
# prefix that measures the run, or empty) set by the caller.

JEMALLOC=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
TCMALLOC=/usr/lib/x86_64-linux-gnu/libtcmalloc.so.4

# The allocator configurations, in the order the tables show them.
ALLOC_CONFIGS="none ours ours-r1 je je-prof tc tc-sample heaptrack"
# The lock configurations: ours with block and mutex profiling off, at the
# README's settings and at rate 1.
LOCK_CONFIGS="none ours ours-lk ours-lk1"

run_config() {
	name=$1
	shift
	case $name in
	none) $TIMER env "$@" ;;
	ours) $TIMER env LD_PRELOAD="$LIB" PPROF_AGENT="dir=$OUT/ours,interval=0" "$@" ;;
	ours-r1) $TIMER env LD_PRELOAD="$LIB" PPROF_AGENT="dir=$OUT/ours,interval=0,mem_rate=1" "$@" ;;
	ours-lk) $TIMER env LD_PRELOAD="$LIB" \
		PPROF_AGENT="dir=$OUT/ours,interval=0,block_rate=1us,mutex_fraction=10" "$@" ;;
	ours-lk1) $TIMER env LD_PRELOAD="$LIB" \
		PPROF_AGENT="dir=$OUT/ours,interval=0,block_rate=1,mutex_fraction=1" "$@" ;;
	je) $TIMER env LD_PRELOAD="$JEMALLOC" "$@" ;;
	je-prof) $TIMER env LD_PRELOAD="$JEMALLOC" MALLOC_CONF=prof:true,lg_prof_sample:19 "$@" ;;
	tc) $TIMER env LD_PRELOAD="$TCMALLOC" TCMALLOC_SAMPLE_PARAMETER=0 "$@" ;;
	tc-sample) $TIMER env LD_PRELOAD="$TCMALLOC" TCMALLOC_SAMPLE_PARAMETER=524288 "$@" ;;
	heaptrack) $TIMER heaptrack -o "$OUT/heaptrack" "$@" ;;
	*) echo "side-by-side: unknown configuration $name" >&2; return 2 ;;
	esac
}

# The configuration NAME is best judged against (besides "none", which
# judges them all): the allocator it profiles, or for heaptrack (which
# records every allocation) our agent recording every allocation.
config_base() {
	case $1 in
	je-prof) echo je ;;
	tc-sample) echo tc ;;
	heaptrack) echo ours-r1 ;;
	*) echo none ;;
	esac
}
