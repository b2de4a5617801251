/*
 * WASI has no processes and no temporary file names. libespeak-ng calls these only while compiling phoneme data,
 * which the phonemizer never does (its data is compiled by a native build of the same source), so they only fail.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

char *tmpnam(char *name)
{
	(void)name;
	errno = ENOSYS;
	return NULL;
}

int system(const char *command)
{
	(void)command;
	errno = ENOSYS;
	return -1;
}
