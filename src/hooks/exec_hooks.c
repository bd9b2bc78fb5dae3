/*
 * exec_hooks.c — execve and its siblings that take an environment, with
 * follow_children=0: an LD_PRELOAD entry of the environment passed that
 * names the agent is replaced by one without it (child_env.h). With
 * children followed (the default), each hook is one load and a tail call.
 *
 * The edited environment is built in memory from the next allocator (the
 * guard keeps it out of the heap profile) and freed if the call returns,
 * which it does only when it failed. An environment that cannot be edited
 * (too large, no memory) is passed on as it was.
 */
#include <dlfcn.h>
#include <errno.h>
#include <spawn.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "child_env.h"
#include "hooks.h"
#include "next_alloc.h"

#define PRELOAD "LD_PRELOAD="
#define PRELOAD_MAX 8192

/* An edited copy of an environment. */
struct env_copy {
	char **env;       /* the pointers, NULL-terminated */
	char *preload;    /* the one entry that changed */
};

static void env_copy_free(struct env_copy *c)
{
	agent_enter();
	next_alloc.free(c->env);
	next_alloc.free(c->preload);
	agent_leave();
}

/* The environment to pass: envp itself, or the copy with the agent taken
 * out of LD_PRELOAD. */
static char *const *env_without_agent(char *const envp[], struct env_copy *c)
{
	preload_filter filter = atomic_load(&child_preload_filter);
	size_t n = 0, at = (size_t)-1;
	c->env = NULL;
	c->preload = NULL;
	if (filter == NULL || envp == NULL)
		return envp;
	for (; envp[n]; n++)
		if (strncmp(envp[n], PRELOAD, sizeof PRELOAD - 1) == 0)
			at = n;
	if (at == (size_t)-1)
		return envp;
	agent_enter();
	c->env = next_alloc.malloc((n + 1) * sizeof *c->env);
	c->preload = next_alloc.malloc(sizeof PRELOAD - 1 + PRELOAD_MAX);
	agent_leave();
	if (c->env == NULL || c->preload == NULL ||
	    filter(envp[at] + sizeof PRELOAD - 1, c->preload + sizeof PRELOAD - 1, PRELOAD_MAX) != 0) {
		env_copy_free(c);
		return envp;
	}
	memcpy(c->preload, PRELOAD, sizeof PRELOAD - 1);
	memcpy(c->env, envp, (n + 1) * sizeof *c->env);
	c->env[at] = c->preload;
	return c->env;
}

/* Calls the next definition with the edited environment, and frees it
 * again if the call returns. */
#define CALL_WITHOUT_AGENT(call, envp) \
	({ \
		struct env_copy copy_; \
		char *const *env_ = env_without_agent((envp), &copy_); \
		int rc_ = (call); \
		int saved_ = errno; \
		if (copy_.env) \
			env_copy_free(&copy_); \
		errno = saved_; \
		rc_; \
	})

typedef int (*execve_fn)(const char *, char *const[], char *const[]);
typedef int (*execveat_fn)(int, const char *, char *const[], char *const[], int);
typedef int (*fexecve_fn)(int, char *const[], char *const[]);
typedef int (*execvpe_fn)(const char *, char *const[], char *const[]);
typedef int (*spawn_fn)(pid_t *, const char *, const posix_spawn_file_actions_t *,
                        const posix_spawnattr_t *, char *const[], char *const[]);

AGENT_HOOK int execve(const char *path, char *const argv[], char *const envp[])
{
	NEXT_OF(execve_fn, "execve");
	return CALL_WITHOUT_AGENT(next(path, argv, env_), envp);
}

AGENT_HOOK int execveat(int dirfd, const char *path, char *const argv[], char *const envp[],
                        int flags)
{
	NEXT_OF(execveat_fn, "execveat");
	return CALL_WITHOUT_AGENT(next(dirfd, path, argv, env_, flags), envp);
}

AGENT_HOOK int fexecve(int fd, char *const argv[], char *const envp[])
{
	NEXT_OF(fexecve_fn, "fexecve");
	return CALL_WITHOUT_AGENT(next(fd, argv, env_), envp);
}

AGENT_HOOK int execvpe(const char *file, char *const argv[], char *const envp[])
{
	NEXT_OF(execvpe_fn, "execvpe");
	return CALL_WITHOUT_AGENT(next(file, argv, env_), envp);
}

AGENT_HOOK int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
                           const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	NEXT_OF(spawn_fn, "posix_spawn");
	return CALL_WITHOUT_AGENT(next(pid, path, actions, attr, argv, env_), envp);
}

AGENT_HOOK int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
                            const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	NEXT_OF(spawn_fn, "posix_spawnp");
	return CALL_WITHOUT_AGENT(next(pid, file, actions, attr, argv, env_), envp);
}
