/*
 * launcher_fixture.c — a shared object with nothing in it, preloaded by
 * tests/e2e_launcher.sh in place of libpprof-agent.so so the launcher's own
 * behaviour (flags, environment, exec, exit status) is tested alone.
 */
int launcher_fixture_loaded(void);

int launcher_fixture_loaded(void)
{
	return 1;
}
