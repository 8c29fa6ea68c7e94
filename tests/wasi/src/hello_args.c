/* args, environment, stdio and exit codes. Usage: hello_args [mode [value]]
   modes: exit N (return N from main), exit0 (exit(0)), trap, raise, stdin (uppercase stdin). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

extern char **environ;

__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise")))
int proc_raise(int sig);

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    int n = 0;
    for (char **e = environ; *e; e++) printf("env[%d]=%s\n", n++, *e);
    const char *home = getenv("HOME");
    printf("HOME=%s\n", home ? home : "(unset)");
    fprintf(stderr, "to stderr\n");
    if (argc > 2 && strcmp(argv[1], "exit") == 0) {
        fflush(stdout);
        return atoi(argv[2]);
    }
    if (argc > 1 && strcmp(argv[1], "exit0") == 0) exit(0);
    if (argc > 1 && strcmp(argv[1], "trap") == 0) {
        fflush(stdout);
        __builtin_trap();
    }
    if (argc > 1 && strcmp(argv[1], "raise") == 0) {
        fflush(stdout);
        proc_raise(15);
    }
    if (argc > 1 && strcmp(argv[1], "stdin") == 0) {
        int c;
        while ((c = getchar()) != EOF) putchar(toupper(c));
    }
    printf("done\n");
    return 0;
}
