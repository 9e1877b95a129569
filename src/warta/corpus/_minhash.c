/* The MinHash signature of a text's word shingles, in one pass of C.
 *
 * Exactly the values of warta.corpus.dedup.Deduplicator's NumPy path (and so of datasketch's
 * MinHash.update_batch, affine32 scheme), which a test checks on random text:
 *
 *   words    maximal runs of characters that Python's re matches with \w in a str pattern
 *            (_sre's SRE_UNI_IS_WORD: Py_UNICODE_ISALNUM or '_'), of the NFKC, case-folded text
 *            the caller passes;
 *   codes    zlib.crc32 of each word's UTF-8 bytes;
 *   shingles m = 0; for each of the `size` words (fewer if the text is shorter):
 *            m = m * 0x100000001B3 + code + (offset + 1) in uint64, then the splitmix-style fold
 *            m ^= m >> 29; m *= 0xBF58476D1CE4E5B9; m ^= m >> 32; keep the low 32 bits;
 *   values   datasketch's MurmurHash3 fmix32 of each shingle hash, then a[k] * h + b[k] in
 *            uint32, the minimum over the shingles for each permutation k.
 *
 * Duplicate shingles need no removal: they cannot change a minimum.  No NumPy headers: the
 * permutations come in, and the signature goes out, through the buffer protocol.
 *
 * collapse_spaces is the whitespace step of the exact-duplicate key: " ".join(text.split()),
 * whitespace being what str.split() splits on (Py_UNICODE_ISSPACE), without the list of words.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#include "_word.h"

static uint32_t crc_table[256];

static void init_crc_table(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static inline uint32_t crc_byte(uint32_t crc, uint8_t byte) {
    return crc_table[(crc ^ byte) & 0xFF] ^ (crc >> 8);
}

/* zlib.crc32 of the UTF-8 encoding of one code point, continued from `crc` (pre-inverted). A word
 * holds no surrogate (they are not alphanumeric), so every code point has a UTF-8 form. */
static inline uint32_t crc_code_point(uint32_t crc, Py_UCS4 ch) {
    if (ch < 0x80) return crc_byte(crc, (uint8_t)ch);
    if (ch < 0x800) {
        crc = crc_byte(crc, (uint8_t)(0xC0 | (ch >> 6)));
        return crc_byte(crc, (uint8_t)(0x80 | (ch & 0x3F)));
    }
    if (ch < 0x10000) {
        crc = crc_byte(crc, (uint8_t)(0xE0 | (ch >> 12)));
        crc = crc_byte(crc, (uint8_t)(0x80 | ((ch >> 6) & 0x3F)));
        return crc_byte(crc, (uint8_t)(0x80 | (ch & 0x3F)));
    }
    crc = crc_byte(crc, (uint8_t)(0xF0 | (ch >> 18)));
    crc = crc_byte(crc, (uint8_t)(0x80 | ((ch >> 12) & 0x3F)));
    crc = crc_byte(crc, (uint8_t)(0x80 | ((ch >> 6) & 0x3F)));
    return crc_byte(crc, (uint8_t)(0x80 | (ch & 0x3F)));
}

static inline uint32_t fmix32(uint32_t h) {
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    return h ^ (h >> 16);
}

static inline uint32_t shingle(const uint32_t *codes, Py_ssize_t width) {
    uint64_t m = 0;
    for (Py_ssize_t offset = 0; offset < width; offset++)
        m = m * 0x100000001B3ull + (uint64_t)codes[offset] + (uint64_t)(offset + 1);
    m ^= m >> 29;
    m *= 0xBF58476D1CE4E5B9ull;
    m ^= m >> 32;
    return (uint32_t)m;
}

/* The hot loop: 128 permutations for each of ~300 shingles an article. Where GCC can, it is built
 * twice (AVX2, which multiplies 8 uint32 at once, and the baseline) and picked at load time. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
__attribute__((target_clones("avx2", "default")))
#endif
static void permute_min(uint32_t h, const uint32_t *a, const uint32_t *b, uint32_t *out, Py_ssize_t n) {
    for (Py_ssize_t k = 0; k < n; k++) {
        uint32_t v = a[k] * h + b[k];
        out[k] = v < out[k] ? v : out[k];
    }
}

PyDoc_STRVAR(signature_doc,
"signature(text, size, a, b, out) -> bool\n\n"
"Fill `out` (a writable buffer of uint32, one per permutation, set here to the minimum over the\n"
"shingles) with the MinHash values of the word `size`-grams of `text` (already NFKC-normalised\n"
"and case-folded), for the affine32 permutations `a`, `b` (uint32 buffers of the same length).\n"
"Return False, leaving `out` as it was, when the text has no word.");

static PyObject *signature(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_ssize_t size;
    Py_buffer a = {0}, b = {0}, out = {0};
    PyObject *result = NULL;
    uint32_t *codes = NULL;

    if (!PyArg_ParseTuple(args, "Uny*y*w*", &text, &size, &a, &b, &out)) return NULL;
    Py_ssize_t n = a.len / 4;
    if (size < 1 || a.len % 4 || b.len != a.len || out.len != a.len) {
        PyErr_SetString(PyExc_ValueError, "size must be >= 1 and a, b, out uint32 buffers of one length");
        goto done;
    }
    const uint32_t *pa = (const uint32_t *)a.buf, *pb = (const uint32_t *)b.buf;
    uint32_t *po = (uint32_t *)out.buf;

    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    /* At most one word per two characters, plus one. */
    codes = PyMem_Malloc(sizeof(uint32_t) * (size_t)(length / 2 + 1));
    if (codes == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t words = 0;
    for (Py_ssize_t i = 0; i < length;) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (!is_word(ch)) {
            i++;
            continue;
        }
        uint32_t crc = 0xFFFFFFFFu;
        for (; i < length && is_word(ch = PyUnicode_READ(kind, data, i)); i++) crc = crc_code_point(crc, ch);
        codes[words++] = crc ^ 0xFFFFFFFFu;
    }
    if (words == 0) {
        result = Py_False;
        Py_INCREF(result);
        goto done;
    }
    for (Py_ssize_t k = 0; k < n; k++) po[k] = 0xFFFFFFFFu;
    Py_ssize_t width = size < words ? size : words;
    for (Py_ssize_t i = 0; i + width <= words; i++) permute_min(fmix32(shingle(codes + i, width)), pa, pb, po, n);
    result = Py_True;
    Py_INCREF(result);
done:
    PyMem_Free(codes);
    PyBuffer_Release(&a);
    PyBuffer_Release(&b);
    PyBuffer_Release(&out);
    return result;
}

PyDoc_STRVAR(collapse_doc, "collapse_spaces(text) -> ' '.join(text.split())");

/* The loop for one string kind; characters below 256 (nearly all of news text) test a table. */
#define COLLAPSE(T, IS_SPACE)                              \
    do {                                                   \
        const T *src = (const T *)data;                    \
        T *dst = (T *)out;                                 \
        for (Py_ssize_t i = 0; i < length; i++) {          \
            T ch = src[i];                                 \
            if (IS_SPACE(ch)) {                            \
                gap = n > 0;                               \
                continue;                                  \
            }                                              \
            if (gap) {                                     \
                dst[n++] = ' ';                            \
                gap = 0;                                   \
            }                                              \
            dst[n++] = ch;                                 \
        }                                                  \
    } while (0)

static unsigned char latin1_space[256];

static void init_latin1_space(void) {
    for (Py_UCS4 ch = 0; ch < 256; ch++) latin1_space[ch] = Py_UNICODE_ISSPACE(ch) ? 1 : 0;
}

#define LATIN1_SPACE(ch) latin1_space[(ch)]
#define WIDE_SPACE(ch) ((ch) < 256 ? latin1_space[(ch)] : Py_UNICODE_ISSPACE(ch))

static PyObject *collapse_spaces(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "collapse_spaces() takes a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    /* The output is never longer than the text, and its characters fit the text's kind. */
    void *out = PyMem_Malloc((size_t)(length ? length : 1) * (size_t)kind);
    if (out == NULL) return PyErr_NoMemory();
    Py_ssize_t n = 0;
    int gap = 0;
    if (kind == PyUnicode_1BYTE_KIND)
        COLLAPSE(Py_UCS1, LATIN1_SPACE);
    else if (kind == PyUnicode_2BYTE_KIND)
        COLLAPSE(Py_UCS2, WIDE_SPACE);
    else
        COLLAPSE(Py_UCS4, WIDE_SPACE);
    PyObject *result = PyUnicode_FromKindAndData(kind, out, n);
    PyMem_Free(out);
    return result;
}

static PyMethodDef methods[] = {
    {"signature", signature, METH_VARARGS, signature_doc},
    {"collapse_spaces", collapse_spaces, METH_O, collapse_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_minhash", "MinHash signatures of word shingles and the exact key's whitespace (see warta.corpus.dedup).", -1, methods,
};

PyMODINIT_FUNC PyInit__minhash(void) {
    init_crc_table();
    init_word_table();
    init_latin1_space();
    return PyModule_Create(&module);
}
