/*
 * heap_kind.c — the heap and allocs kinds: their rows and records.
 *
 * Rows show the unbiased estimates (each sampled object weighted by the
 * inverse of its probability of being sampled, summed per bucket), in-use
 * being allocated minus freed. Records of the C API hold the raw sampled
 * counts, as Go's MemProfileRecord does. The "bytes" label is the mean
 * requested size of the bucket's sampled objects.
 */
#include <string.h>

#include <pprof_agent.h>

#include "kind_values.h"
#include "mem_tally.h"
#include "rates.h"
#include "records.h"

/*
 * The allocator's own frames, which pprof cuts from the leaf end of every
 * heap sample (the profile's drop_frames), so that flat cost lands on the
 * code that asked for the memory, as in Go's heap profiles (the runtime's
 * frames are left out) and tcmalloc's (pprof drops the allocator's). The
 * stack the agent records starts at the call of malloc, so the frames to
 * cut are C++'s: operator new and the layers of libstdc++ whose only work
 * is to get memory for a container. A frame that also constructs (a map's
 * _M_create_node, a hash table's _M_allocate_node) may run the program's
 * code, which would be cut with it, and stays.
 *
 * pprof matches the regex against whole names, shortened as it shows C++
 * names (`std::vector::push_back`, docs/profile-format.md); scanning each
 * sample from its root, it cuts at the first match after a frame that does
 * not match, so a program's own function of one of these names is cut only
 * where it is the allocator.
 */
const char heap_allocator_frames[] =
	"operator new(\\[\\])?"
	"|std::(allocator|allocator_traits|__new_allocator)::allocate"
	"|__gnu_cxx::(new_allocator|malloc_allocator)::allocate"
	"|std::__allocate_guarded"
	"|std::_Vector_base::_M_allocate"
	"|std::(_Rb_tree|__cxx11::_List_base|_List_base|_Fwd_list_base)::_M_get_node"
	"|std::_Deque_base::_M_allocate_(node|map)"
	"|std::__detail::_Hashtable_alloc::_M_allocate_buckets"
	"|std::(__cxx11::)?basic_string::_M_create";

static int64_t fixed_to_count(uint64_t fx)
{
	return (int64_t)(fx / EST_ONE);
}

int64_t heap_period(void)
{
	return (int64_t)atomic_load(&heap_rate);
}

int heap_written(void)
{
	return rates_ever_on(EVER_HEAP);
}

/* The counters a delta subtracts (kinds.h): the raw sampled allocations
 * and their bytes (the "bytes" label), then the estimates. */
enum { RAW_ALLOCS, RAW_ALLOC_BYTES, EST_ALLOCS, EST_FREES, EST_ALLOC_BYTES, EST_FREE_BYTES };

void heap_counters(const struct bucket *b, uint64_t c[MAX_COUNTERS])
{
	struct mem_sum m;
	mem_record_sum(&b->rec.mem, &m);
	c[RAW_ALLOCS] = m.allocs;
	c[RAW_ALLOC_BYTES] = m.alloc_bytes;
	c[EST_ALLOCS] = m.est_allocs;
	c[EST_FREES] = m.est_frees;
	c[EST_ALLOC_BYTES] = m.est_alloc_bytes;
	c[EST_FREE_BYTES] = m.est_free_bytes;
}

/* alloc_* count from start (NULL: from the beginning); inuse_* are always
 * what is live at end: a delta of in-use would be nonsense (objects freed
 * in the window that were allocated before it would show negative). */
void heap_fill_counters(const uint64_t *end, const uint64_t *start, struct row *r)
{
	uint64_t allocs = counter_since(end, start, RAW_ALLOCS);
	uint64_t alloc_bytes = counter_since(end, start, RAW_ALLOC_BYTES);
	uint64_t est_allocs = end[EST_ALLOCS], est_frees = end[EST_FREES];
	uint64_t est_ab = end[EST_ALLOC_BYTES], est_fb = end[EST_FREE_BYTES];
	r->values[0] = fixed_to_count(counter_since(end, start, EST_ALLOCS));
	r->values[1] = (int64_t)counter_since(end, start, EST_ALLOC_BYTES);
	r->values[2] = est_allocs > est_frees ? fixed_to_count(est_allocs - est_frees) : 0;
	r->values[3] = est_ab > est_fb ? (int64_t)(est_ab - est_fb) : 0;
	if (!allocs) {   /* none in the window: the mean of all there were */
		allocs = end[RAW_ALLOCS];
		alloc_bytes = end[RAW_ALLOC_BYTES];
	}
	r->bytes_label = allocs ? (int64_t)(alloc_bytes / allocs) : 0;
}

void heap_fill_row(const struct bucket *b, struct row *r)
{
	uint64_t c[MAX_COUNTERS];
	heap_counters(b, c);
	heap_fill_counters(c, NULL, r);
}

int heap_record_wanted(const struct bucket *b, int inuse_zero)
{
	struct mem_sum m;
	mem_record_sum(&b->rec.mem, &m);
	if (inuse_zero)
		return m.allocs > 0;
	return m.alloc_bytes != m.free_bytes;
}

void heap_copy_record(const struct bucket *b, void *record)
{
	struct pprof_mem_record *r = record;
	struct mem_sum m;
	mem_record_sum(&b->rec.mem, &m);
	r->alloc_bytes = (int64_t)m.alloc_bytes;
	r->free_bytes = (int64_t)m.free_bytes;
	r->alloc_objects = (int64_t)m.allocs;
	r->free_objects = (int64_t)m.frees;
	record_copy_stack(&r->stack, b);
}
