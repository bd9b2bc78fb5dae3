/*
 * cxx_names.c — the short C++ names (see cxx_names.h), matched against
 * what pprof's own demangler prints in its default mode.
 *
 * The demangler's text has a regular shape:
 *   [return type ' '] qualified-name [ '(' parameters ')' [qualifiers] ] [" [clone .x]"...]
 * where the qualified name may hold, inside brackets of its own, template
 * arguments <...>, ABI tags [abi:x], (anonymous namespace), {lambda(...)#n},
 * and the parameters of the function a local entity lives in
 * (`f(int) const::{lambda()#1}`). Three passes over it:
 *   1. cut the clone suffixes and drop every template argument list;
 *   2. find the function's own parameter list: the last top-level (...)
 *      followed only by qualifiers (none for a variable or a local entity);
 *   3. find where the name starts: after the last top-level space that
 *      neither sits inside an operator's name (`operator new`,
 *      `operator char const*`) nor precedes a qualifier of an enclosing
 *      function (`f() const::`); what stands before is the return type.
 * An operator's name is read as one token wherever it appears, so the
 * brackets of `operator<`, `operator->` or `operator()` are never taken for
 * template arguments or parameters.
 */
#include "cxx_names.h"

#include <string.h>

static const char *const special_prefixes[] = {
	"vtable for ", "VTT for ", "construction vtable for ", "typeinfo for ",
	"typeinfo name for ", "typeinfo fn for ", "guard variable for ", "reference temporary",
	"non-virtual thunk to ", "virtual thunk to ", "covariant return thunk to ",
	"TLS init function for ", "TLS wrapper function for ", "transaction clone for ",
	"hidden alias for ",
};

/* Longest first, so that "<<=" is not read as "<". */
static const char *const symbolic_operators[] = {
	"<=>", "<<=", ">>=", "->*", "()", "[]", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
	"++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "->", "<", ">", "+", "-",
	"*", "/", "%", "^", "&", "|", "~", "!", "=", ",",
};

static const char *const qualifiers[] = { "const", "volatile", "&&", "&", "noexcept" };

#define OPERATOR_LEN 8  /* strlen("operator") */

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$';
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Whether the word "operator" starts at s[i]. */
static int operator_at(const char *s, size_t i)
{
	return starts_with(s + i, "operator") && (i == 0 || !is_ident(s[i - 1])) &&
	       !is_ident(s[i + OPERATOR_LEN]);
}

/* The length of the symbolic operator at p ("<<", "()"), 0 for none. */
static size_t symbolic_operator_len(const char *p)
{
	for (size_t k = 0; k < sizeof symbolic_operators / sizeof *symbolic_operators; k++)
		if (starts_with(p, symbolic_operators[k]))
			return strlen(symbolic_operators[k]);
	return 0;
}

/* The length of the qualifier word at p, 0 for none. */
static size_t qualifier_len(const char *p)
{
	for (size_t k = 0; k < sizeof qualifiers / sizeof *qualifiers; k++) {
		size_t n = strlen(qualifiers[k]);
		if (strncmp(p, qualifiers[k], n) == 0 && !is_ident(p[n]) && (p[n] != '&' || n == 2))
			return n;
	}
	return 0;
}

/* The length of the operator's name starting at s[i] (operator_at is
 * true). A symbolic one ends with its symbol; a named one (`operator new[]`,
 * the conversion `operator char const*`) runs to its parameter list. */
static size_t operator_token_len(const char *s, size_t i)
{
	size_t n = symbolic_operator_len(s + i + OPERATOR_LEN);
	if (n > 0)
		return OPERATOR_LEN + n;
	const char *paren = strchr(s + i, '(');
	return paren ? (size_t)(paren - (s + i)) : strlen(s + i);
}

/* The index just past the template argument list opening at s[i] ('<'),
 * or 0 when it does not close. Inside it, parentheses hold expressions
 * whose '<' and '>' are comparisons. */
static size_t template_args_end(const char *s, size_t i)
{
	int angles = 0, parens = 0;
	for (; s[i] != '\0'; i++) {
		if (operator_at(s, i)) {
			i += OPERATOR_LEN + symbolic_operator_len(s + i + OPERATOR_LEN) - 1;
			continue;
		}
		char c = s[i];
		if (c == '(')
			parens++;
		else if (c == ')')
			parens--;
		else if (parens == 0 && c == '<')
			angles++;
		else if (parens == 0 && c == '>' && !(i > 0 && s[i - 1] == '-') && --angles == 0)
			return i + 1;
	}
	return 0;
}

/* Pass 1 for any text: copies s to out without its template argument
 * lists. Returns -1 when one does not close. */
static int drop_template_args(const char *s, char *out)
{
	size_t o = 0;
	for (size_t i = 0; s[i] != '\0';) {
		if (operator_at(s, i)) {
			size_t n = OPERATOR_LEN + symbolic_operator_len(s + i + OPERATOR_LEN);
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
			if (n > OPERATOR_LEN && s[i] == ' ' && s[i + 1] == '<')
				i++;  /* "operator< <int>": the space only parts the two '<' */
			continue;
		}
		if (s[i] == '<') {
			size_t end = template_args_end(s, i);
			if (end == 0)
				return -1;
			i = end;
			continue;
		}
		out[o++] = s[i++];
	}
	out[o] = '\0';
	return 0;
}

/* Cuts " [clone .cold]" and the like off the end of s, in place. */
static void cut_clone_suffixes(char *s)
{
	char *clone;
	size_t len = strlen(s);
	while (len > 0 && s[len - 1] == ']' && (clone = strstr(s, " [clone ")) != NULL) {
		*clone = '\0';
		len = strlen(s);
	}
}

static int opens(char c)
{
	return c == '(' || c == '[' || c == '{';
}

static int closes(char c)
{
	return c == ')' || c == ']' || c == '}';
}

/* Whether s[at..] holds only qualifiers (" const &&"), maybe none. */
static int only_qualifiers(const char *s)
{
	for (;;) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			return 1;
		size_t n = qualifier_len(s);
		if (n == 0)
			return 0;
		s += n;
	}
}

/* Pass 2: the index of the '(' opening the function's own parameter list,
 * or strlen(s) when s names no function (a variable, a local entity).
 * Returns -1 when brackets do not balance. */
static long own_parameters(const char *s)
{
	size_t len = strlen(s), open = 0, last_open = len, last_close = len;
	int depth = 0;
	for (size_t i = 0; i < len; i++) {
		if (operator_at(s, i)) {
			i += operator_token_len(s, i) - 1;
			continue;
		}
		if (opens(s[i]) && depth++ == 0)
			open = i;
		else if (closes(s[i]) && --depth == 0 && s[i] == ')') {
			last_open = open;
			last_close = i;
		}
		if (depth < 0)
			return -1;
	}
	if (depth != 0)
		return -1;
	if (last_close < len && only_qualifiers(s + last_close + 1))
		return (long)last_open;
	return (long)len;
}

/* Whether the top-level space at s[i] stands before a qualifier of the
 * function just closed (`f() const::`, `f() const &`). */
static int precedes_qualifier(const char *s, size_t i)
{
	if (qualifier_len(s + i + 1) == 0)
		return 0;
	size_t j = i;
	while (j > 0 && s[j - 1] != ' ' && s[j - 1] != ')')
		j--;
	if (j > 0 && s[j - 1] == ')' && j == i)
		return 1;  /* ") const" */
	return j < i && qualifier_len(s + j) == i - j;  /* "const &" after ") " */
}

/* Pass 3: where the qualified name starts in s[0..end): after the last
 * top-level space that parts a return type from it. */
static size_t name_start(const char *s, size_t end)
{
	size_t start = 0;
	int depth = 0;
	for (size_t i = 0; i < end; i++) {
		if (operator_at(s, i)) {
			i += operator_token_len(s, i) - 1;
			continue;
		}
		if (opens(s[i]))
			depth++;
		else if (closes(s[i]))
			depth--;
		else if (depth == 0 && s[i] == ' ' && !precedes_qualifier(s, i))
			start = i + 1;
	}
	return start;
}

static int special_name(const char *s)
{
	for (size_t k = 0; k < sizeof special_prefixes / sizeof *special_prefixes; k++)
		if (starts_with(s, special_prefixes[k]))
			return 1;
	return 0;
}

char *cxx_short_name(const char *demangled, enum cxx_params params, char *out)
{
	if (drop_template_args(demangled, out) != 0) {
		strcpy(out, demangled);
		return out;
	}
	if (special_name(out))
		return out;
	cut_clone_suffixes(out);
	long own = own_parameters(out);
	if (own < 0) {
		strcpy(out, demangled);
		return out;
	}
	size_t end = params == CXX_KEEP_PARAMS ? strlen(out) : (size_t)own;
	size_t start = name_start(out, (size_t)own);
	while (end > start && out[end - 1] == ' ')
		end--;
	memmove(out, out + start, end - start);
	out[end - start] = '\0';
	return out;
}

char *cxx_strip_template_args(const char *name, char *out)
{
	if (drop_template_args(name, out) != 0)
		strcpy(out, name);
	return out;
}
