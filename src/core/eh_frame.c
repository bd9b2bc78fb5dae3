/*
 * eh_frame.c — the rule for a code address from DWARF call frame
 * information (see eh_frame.h).
 *
 * Finding the entry. _dl_find_object gives the object's .eh_frame_hdr,
 * whose table (initial location, FDE) sorted by location is searched for
 * the last entry at or below pc. The FDE says which range it covers and
 * which CIE it shares; the CIE says how pointers are encoded, the alignment
 * factors and whether this is a signal trampoline ('S').
 *
 * Interpreting it. The CIE's initial instructions and then the FDE's are
 * run until the location passes pc, tracking only what the fast rule needs:
 * the CFA (a register plus an offset, or the one expression a stack-
 * realigning prologue uses: *(rbp + k)), and where rbp and the return
 * address were saved. Anything else that touches those (other expressions,
 * registers saved in registers, a CFA based on another register) makes the
 * rule FRAME_NONE: the stack is cut there rather than guessed.
 *
 * Every read is bounded by the length fields of the entries it reads, and
 * those lie in the object's mapped, read-only unwind data.
 */
#include "eh_frame.h"

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

/* DWARF register numbers on x86-64. */
#define REG_RBP_DW 6
#define REG_RSP_DW 7
#define REG_RA_DW 16

/* Pointer encodings. */
#define PE_OMIT 0xff
#define PE_FORMAT 0x0f
#define PE_APPLY 0x70
#define PE_INDIRECT 0x80
#define PE_PCREL 0x10
#define PE_DATAREL 0x30
#define PE_HDR_TABLE 0x3b   /* datarel | sdata4: the table every linker writes */

/* DWARF expression operations the ALIGNED rule is made of. */
#define OP_BREG_RBP 0x76
#define OP_DEREF 0x06

struct reader {
	const unsigned char *p, *end;
	int bad;
};

static uint64_t read_bytes(struct reader *r, size_t n)
{
	uint64_t v = 0;
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return 0;
	}
	memcpy(&v, r->p, n);   /* little-endian */
	r->p += n;
	return v;
}

static uint64_t read_uleb(struct reader *r)
{
	uint64_t v = 0;
	for (unsigned shift = 0; !r->bad; shift += 7) {
		uint8_t b = (uint8_t)read_bytes(r, 1);
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			break;
	}
	return v;
}

static int64_t read_sleb(struct reader *r)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b = 0x80;
	while (!r->bad && (b & 0x80)) {
		b = (uint8_t)read_bytes(r, 1);
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	}
	if (shift < 64 && (b & 0x40))
		v |= ~(uint64_t)0 << shift;
	return (int64_t)v;
}

/* A pointer in encoding enc. Only the formats and the pc-relative and
 * data-relative applications linkers use on x86-64; the value is never
 * dereferenced (PE_INDIRECT only matters for personality routines, which
 * are skipped). */
static uint64_t read_encoded(struct reader *r, uint8_t enc, uintptr_t datarel_base)
{
	const unsigned char *at = r->p;
	uint64_t v;
	switch (enc & PE_FORMAT) {
	case 0x00:
	case 0x04:
	case 0x0c: v = read_bytes(r, 8); break;
	case 0x01: v = read_uleb(r); break;
	case 0x02: v = read_bytes(r, 2); break;
	case 0x03: v = read_bytes(r, 4); break;
	case 0x09: v = (uint64_t)read_sleb(r); break;
	case 0x0a: v = (uint64_t)(int64_t)(int16_t)read_bytes(r, 2); break;
	case 0x0b: v = (uint64_t)(int64_t)(int32_t)read_bytes(r, 4); break;
	default: r->bad = 1; return 0;
	}
	switch (enc & PE_APPLY) {
	case 0x00: break;
	case PE_PCREL: v += (uintptr_t)at; break;
	case PE_DATAREL:
		if (datarel_base == 0)
			r->bad = 1;
		v += datarel_base;
		break;
	default: r->bad = 1;
	}
	return v;
}

/* ---- CIE and FDE ---- */

struct cie {
	uint64_t code_align;
	int64_t data_align;
	uint8_t fde_encoding;
	int has_augmentation_data;
	int signal_frame;
	const unsigned char *instructions, *end;
};

static int parse_cie(const unsigned char *at, struct cie *c)
{
	struct reader r = { at, at + 4, 0 };
	uint32_t len = (uint32_t)read_bytes(&r, 4);
	if (r.bad || len == 0 || len == 0xffffffffu)
		return -1;
	r.end = r.p + len;
	if (read_bytes(&r, 4) != 0)
		return -1;   /* not a CIE */
	uint8_t version = (uint8_t)read_bytes(&r, 1);
	const char *aug = (const char *)r.p;
	size_t aug_len = strnlen(aug, (size_t)(r.end - r.p));
	if (aug_len == (size_t)(r.end - r.p) || strstr(aug, "eh"))
		return -1;
	r.p += aug_len + 1;
	c->code_align = read_uleb(&r);
	c->data_align = read_sleb(&r);
	uint64_t ra = version == 1 ? read_bytes(&r, 1) : read_uleb(&r);
	if (ra != REG_RA_DW)
		return -1;
	c->fde_encoding = 0;
	c->signal_frame = 0;
	c->has_augmentation_data = aug[0] == 'z';
	if (c->has_augmentation_data) {
		uint64_t n = read_uleb(&r);
		if (r.bad || n > (uint64_t)(r.end - r.p))
			return -1;
		const unsigned char *data_end = r.p + n;
		for (const char *a = aug + 1; *a && !r.bad; a++) {
			if (*a == 'R')
				c->fde_encoding = (uint8_t)read_bytes(&r, 1);
			else if (*a == 'P')
				read_encoded(&r, (uint8_t)read_bytes(&r, 1) & ~PE_INDIRECT, 0);
			else if (*a == 'L')
				read_bytes(&r, 1);
			else if (*a == 'S')
				c->signal_frame = 1;
			else
				break;   /* unknown: the data length lets us skip the rest */
		}
		r.p = data_end;
	}
	if (r.bad)
		return -1;
	c->instructions = r.p;
	c->end = r.end;
	return 0;
}

struct fde {
	uintptr_t pc_begin, pc_end;
	const unsigned char *instructions, *end;
};

static int parse_fde(const unsigned char *at, struct cie *c, struct fde *f)
{
	struct reader r = { at, at + 4, 0 };
	uint32_t len = (uint32_t)read_bytes(&r, 4);
	if (r.bad || len == 0 || len == 0xffffffffu)
		return -1;
	r.end = r.p + len;
	const unsigned char *cie_field = r.p;
	uint32_t cie_offset = (uint32_t)read_bytes(&r, 4);
	if (r.bad || cie_offset == 0 || parse_cie(cie_field - cie_offset, c) != 0)
		return -1;
	f->pc_begin = read_encoded(&r, c->fde_encoding, 0);
	f->pc_end = f->pc_begin + read_encoded(&r, c->fde_encoding & PE_FORMAT, 0);
	if (c->has_augmentation_data) {
		uint64_t n = read_uleb(&r);
		if (r.bad || n > (uint64_t)(r.end - r.p))
			return -1;
		r.p += n;
	}
	if (r.bad)
		return -1;
	f->instructions = r.p;
	f->end = r.end;
	return 0;
}

/* The FDE covering pc, by binary search of the .eh_frame_hdr table. */
static const unsigned char *find_fde(const unsigned char *hdr, uintptr_t pc)
{
	struct reader r = { hdr, hdr + 4, 0 };
	if (read_bytes(&r, 1) != 1)
		return NULL;
	uint8_t ptr_enc = (uint8_t)read_bytes(&r, 1), count_enc = (uint8_t)read_bytes(&r, 1);
	uint8_t table_enc = (uint8_t)read_bytes(&r, 1);
	if (ptr_enc == PE_OMIT || count_enc == PE_OMIT || table_enc != PE_HDR_TABLE)
		return NULL;
	r.end = r.p + 16;   /* two encoded values, at most 8 bytes each */
	read_encoded(&r, ptr_enc, (uintptr_t)hdr);
	uint64_t count = read_encoded(&r, count_enc, (uintptr_t)hdr);
	if (r.bad || count == 0)
		return NULL;
	const unsigned char *table = r.p;
	uint64_t lo = 0, hi = count;   /* the answer is the last entry <= pc */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		int32_t loc;
		memcpy(&loc, table + mid * 8, 4);
		if ((uintptr_t)hdr + (intptr_t)loc <= pc)
			lo = mid;
		else
			hi = mid;
	}
	int32_t loc, fde;
	memcpy(&loc, table + lo * 8, 4);
	memcpy(&fde, table + lo * 8 + 4, 4);
	if ((uintptr_t)hdr + (intptr_t)loc > pc)
		return NULL;
	return hdr + fde;
}

/* ---- the call frame program ---- */

enum how { SAME, AT_CFA, AT_RBP, UNDEF, OTHER };

struct row_state {
	uint64_t cfa_reg;
	int64_t cfa_offset;
	int cfa_deref_rbp;   /* CFA = *(rbp + cfa_offset) */
	int cfa_other;       /* an expression we do not follow */
	enum how rbp_how, ra_how;
	int64_t rbp_offset, ra_offset;
};

#define STATE_STACK 8

struct program {
	struct row_state row, initial;
	struct row_state saved[STATE_STACK];
	int depth;
	const struct cie *cie;
	uintptr_t loc, pc;
};

static void set_saved(struct row_state *s, uint64_t reg, enum how how, int64_t offset)
{
	if (reg == REG_RBP_DW) {
		s->rbp_how = how;
		s->rbp_offset = offset;
	} else if (reg == REG_RA_DW) {
		s->ra_how = how;
		s->ra_offset = offset;
	}
}

static void restore_reg(struct program *p, uint64_t reg)
{
	if (reg == REG_RBP_DW) {
		p->row.rbp_how = p->initial.rbp_how;
		p->row.rbp_offset = p->initial.rbp_offset;
	} else if (reg == REG_RA_DW) {
		p->row.ra_how = p->initial.ra_how;
		p->row.ra_offset = p->initial.ra_offset;
	}
}

/* A DWARF expression block: the CFA form *(rbp + k), or rbp saved at
 * rbp + k; anything else is OTHER. */
static int expression_breg_rbp(struct reader *r, int deref, int64_t *k)
{
	uint64_t len = read_uleb(r);
	if (r->bad || len > (uint64_t)(r->end - r->p))
		return r->bad = 1, 0;
	struct reader e = { r->p, r->p + len, 0 };
	r->p += len;
	if (read_bytes(&e, 1) != OP_BREG_RBP)
		return 0;
	*k = read_sleb(&e);
	if (deref && read_bytes(&e, 1) != OP_DEREF)
		return 0;
	return !e.bad && e.p == e.end;
}

/* Advances the location; returns 0 once it passes pc (the row is final). */
static int advance(struct program *p, uint64_t delta)
{
	uintptr_t next = p->loc + delta * p->cie->code_align;
	if (next > p->pc)
		return 0;
	p->loc = next;
	return 1;
}

/* Runs instructions until they end or the location passes pc. */
static int run(struct program *p, const unsigned char *from, const unsigned char *to)
{
	struct reader r = { from, to, 0 };
	struct row_state *s = &p->row;
	int64_t da = p->cie->data_align, k = 0;
	while (!r.bad && r.p < r.end) {
		uint8_t op = (uint8_t)read_bytes(&r, 1), low = op & 0x3f;
		uint64_t reg;
		switch (op >> 6) {
		case 1:
			if (!advance(p, low))
				return 0;
			continue;
		case 2:
			set_saved(s, low, AT_CFA, (int64_t)read_uleb(&r) * da);
			continue;
		case 3:
			restore_reg(p, low);
			continue;
		}
		switch (op) {
		case 0x00: break;   /* nop */
		case 0x01: {        /* set_loc */
			uintptr_t loc = read_encoded(&r, p->cie->fde_encoding, 0);
			if (loc > p->pc)
				return 0;
			p->loc = loc;
			break;
		}
		case 0x02: if (!advance(p, read_bytes(&r, 1))) return 0; break;
		case 0x03: if (!advance(p, read_bytes(&r, 2))) return 0; break;
		case 0x04: if (!advance(p, read_bytes(&r, 4))) return 0; break;
		case 0x05: reg = read_uleb(&r); set_saved(s, reg, AT_CFA, (int64_t)read_uleb(&r) * da); break;
		case 0x06: restore_reg(p, read_uleb(&r)); break;
		case 0x07: set_saved(s, read_uleb(&r), UNDEF, 0); break;
		case 0x08: set_saved(s, read_uleb(&r), SAME, 0); break;
		case 0x09: reg = read_uleb(&r); read_uleb(&r); set_saved(s, reg, OTHER, 0); break;
		case 0x0a:
			if (p->depth == STATE_STACK)
				return -1;
			p->saved[p->depth++] = *s;
			break;
		case 0x0b:
			if (p->depth == 0)
				return -1;
			*s = p->saved[--p->depth];
			break;
		case 0x0c:
			s->cfa_reg = read_uleb(&r);
			s->cfa_offset = (int64_t)read_uleb(&r);
			s->cfa_deref_rbp = s->cfa_other = 0;
			break;
		case 0x0d: s->cfa_reg = read_uleb(&r); s->cfa_deref_rbp = s->cfa_other = 0; break;
		case 0x0e: s->cfa_offset = (int64_t)read_uleb(&r); break;
		case 0x0f:   /* def_cfa_expression */
			s->cfa_deref_rbp = expression_breg_rbp(&r, 1, &k);
			s->cfa_other = !s->cfa_deref_rbp;
			s->cfa_offset = k;
			break;
		case 0x10:   /* expression */
			reg = read_uleb(&r);
			if (expression_breg_rbp(&r, 0, &k) && reg == REG_RBP_DW)
				set_saved(s, reg, AT_RBP, k);
			else
				set_saved(s, reg, OTHER, 0);
			break;
		case 0x11: reg = read_uleb(&r); set_saved(s, reg, AT_CFA, read_sleb(&r) * da); break;
		case 0x12:
			s->cfa_reg = read_uleb(&r);
			s->cfa_offset = read_sleb(&r) * da;
			s->cfa_deref_rbp = s->cfa_other = 0;
			break;
		case 0x13: s->cfa_offset = read_sleb(&r) * da; break;
		case 0x14:
		case 0x15: reg = read_uleb(&r); read_uleb(&r); set_saved(s, reg, OTHER, 0); break;
		case 0x16: {   /* val_expression */
			reg = read_uleb(&r);
			uint64_t len = read_uleb(&r);
			if (len > (uint64_t)(r.end - r.p))
				return -1;
			r.p += len;
			set_saved(s, reg, OTHER, 0);
			break;
		}
		case 0x2e: read_uleb(&r); break;   /* GNU_args_size */
		case 0x2f: reg = read_uleb(&r); set_saved(s, reg, AT_CFA, -(int64_t)read_uleb(&r) * da); break;
		default: return -1;
		}
	}
	return r.bad ? -1 : 1;
}

static struct frame_rule rule_from(const struct row_state *s, int signal_frame)
{
	struct frame_rule none = { .kind = FRAME_NONE };
	if (signal_frame)
		return (struct frame_rule){ .kind = FRAME_SIGNAL };
	if (s->ra_how == UNDEF)
		return (struct frame_rule){ .kind = FRAME_LAST };
	if (s->cfa_other || s->ra_how != AT_CFA || s->ra_offset != -8)
		return none;
	struct frame_rule rule = { .cfa_offset = (int32_t)s->cfa_offset };
	if (s->cfa_offset != (int32_t)s->cfa_offset)
		return none;
	if (s->cfa_deref_rbp) {
		rule.kind = FRAME_ALIGNED;
		rule.cfa_reg = CFA_RBP;
	} else if (s->cfa_reg == REG_RSP_DW || s->cfa_reg == REG_RBP_DW) {
		rule.kind = FRAME_STANDARD;
		rule.cfa_reg = s->cfa_reg == REG_RSP_DW ? CFA_RSP : CFA_RBP;
	} else {
		return none;
	}
	switch (s->rbp_how) {
	case SAME:
	case UNDEF: rule.rbp_from = RBP_UNCHANGED; break;
	case AT_CFA: rule.rbp_from = RBP_AT_CFA; break;
	case AT_RBP: rule.rbp_from = RBP_AT_RBP; break;
	case OTHER: return none;
	}
	if (s->rbp_offset != (int16_t)s->rbp_offset)
		return none;
	rule.rbp_offset = (int16_t)s->rbp_offset;
	return rule;
}

struct frame_rule eh_frame_rule_in(const unsigned char *eh_frame_hdr, uintptr_t pc)
{
	struct frame_rule none = { .kind = FRAME_NONE };
	struct cie cie;
	struct fde fde;
	const unsigned char *at = eh_frame_hdr ? find_fde(eh_frame_hdr, pc) : NULL;
	if (at == NULL || parse_fde(at, &cie, &fde) != 0 || pc < fde.pc_begin || pc >= fde.pc_end)
		return none;
	struct program p = { .cie = &cie, .loc = fde.pc_begin, .pc = pc };
	p.row = (struct row_state){ .cfa_reg = REG_RSP_DW, .cfa_offset = 8, .rbp_how = SAME,
		                    .ra_how = AT_CFA, .ra_offset = -8 };
	/* The CIE's instructions describe the function's entry: they run to
	 * their end, whatever pc is. */
	p.pc = UINTPTR_MAX;
	if (run(&p, cie.instructions, cie.end) < 0)
		return none;
	p.pc = pc;
	p.initial = p.row;
	p.depth = 0;
	if (run(&p, fde.instructions, fde.end) < 0)
		return none;
	return rule_from(&p.row, cie.signal_frame);
}

struct frame_rule eh_frame_rule(uintptr_t pc)
{
	struct dl_find_object object;
	if (_dl_find_object((void *)pc, &object) != 0)
		return (struct frame_rule){ .kind = FRAME_NONE };
	return eh_frame_rule_in(object.dlfo_eh_frame, pc);
}
