/* SHA-256 of a generated 16 KiB buffer, chained n times: each round
 * writes the previous digest into the head of the buffer and rehashes.
 * Self-check: SHA-256("abc") and the empty-string digest must match
 * FIPS 180-2 test vectors, otherwise run() returns -1.
 * Returns the first 8 bytes of the final digest (big-endian) as i64. */

typedef unsigned int u32;
typedef unsigned char u8;

#define BUF_LEN 16384

static u8 buffer[BUF_LEN];

static const u32 K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, r) (((x) >> (r)) | ((x) << (32 - (r))))

static void compress(u32 h[8], const u8 *blk) {
    u32 w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (u32)blk[4 * i] << 24 | (u32)blk[4 * i + 1] << 16 |
               (u32)blk[4 * i + 2] << 8 | (u32)blk[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        u32 s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        u32 s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    u32 a = h[0], b = h[1], c = h[2], d = h[3];
    u32 e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        u32 t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
                 ((e & f) ^ (~e & g)) + K[i] + w[i];
        u32 t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
                 ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void sha256(const u8 *msg, u32 len, u8 out[32]) {
    u32 h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    u32 full = len / 64 * 64;
    for (u32 off = 0; off < full; off += 64) compress(h, msg + off);
    u8 tail[128];
    u32 rest = len - full;
    for (u32 i = 0; i < 128; i++) tail[i] = i < rest ? msg[full + i] : 0;
    tail[rest] = 0x80;
    u32 tlen = rest + 9 <= 64 ? 64 : 128;
    unsigned long long bits = (unsigned long long)len * 8;
    for (int i = 0; i < 8; i++) tail[tlen - 1 - i] = (u8)(bits >> (8 * i));
    for (u32 off = 0; off < tlen; off += 64) compress(h, tail + off);
    for (int i = 0; i < 32; i++) out[i] = (u8)(h[i / 4] >> (24 - 8 * (i % 4)));
}

static int digest_is(const u8 d[32], u32 first, u32 last) {
    u32 f = (u32)d[0] << 24 | (u32)d[1] << 16 | (u32)d[2] << 8 | d[3];
    u32 l = (u32)d[28] << 24 | (u32)d[29] << 16 | (u32)d[30] << 8 | d[31];
    return f == first && l == last;
}

__attribute__((export_name("run")))
long long run(int n) {
    u8 d[32];
    sha256((const u8 *)"abc", 3, d);
    if (!digest_is(d, 0xba7816bf, 0xf20015ad)) return -1;
    sha256((const u8 *)"", 0, d);
    if (!digest_is(d, 0xe3b0c442, 0x7852b855)) return -1;

    u32 s = 0x2545F491u; /* xorshift32 fills the buffer */
    for (int i = 0; i < BUF_LEN; i++) {
        s ^= s << 13; s ^= s >> 17; s ^= s << 5;
        buffer[i] = (u8)(s >> 24);
    }
    for (int r = 0; r < n; r++) {
        sha256(buffer, BUF_LEN, d);
        for (int i = 0; i < 32; i++) buffer[i] = d[i];
    }
    if (n == 0) return 0;
    unsigned long long v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | d[i];
    return (long long)v;
}
