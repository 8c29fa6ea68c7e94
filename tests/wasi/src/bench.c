/* Benchmark workload: 100 000 small write() calls to a file in the preopen, then 100 000
   small read() calls of it, then 100 000 small writes to stdout (the harness discards them). */
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#define N 100000

int main(void) {
    int fd = open("bench.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char rec[16];
    for (int i = 0; i < N; i++) {
        memcpy(rec, "record-", 7);
        for (int k = 0; k < 8; k++) rec[7 + k] = '0' + ((i >> (3 * k)) & 7);
        rec[15] = '\n';
        write(fd, rec, sizeof rec);
    }
    lseek(fd, 0, SEEK_SET);
    uint32_t sum = 0;
    for (int i = 0; i < N; i++) {
        if (read(fd, rec, sizeof rec) != sizeof rec) break;
        for (int k = 0; k < 16; k++) sum = sum * 31 + (uint8_t)rec[k];
    }
    close(fd);
    unlink("bench.dat");
    for (int i = 0; i < N; i++) write(1, "0123456789abcde\n", 16);
    fprintf(stderr, "checksum=%u\n", sum);
    return 0;
}
