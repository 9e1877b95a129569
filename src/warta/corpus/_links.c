/* Story links inside a date window, in one pass of C.
 *
 * Exactly the edges of warta.corpus.stories.window_links' Python loop, which a test checks on
 * random inputs. The articles come in processing order (event day, then rank). Each article whose
 * day is at least `first_day` is compared with the articles before it whose day is at most
 * `window` days earlier and that share a term whose postings, among those articles, number at
 * most `max_postings`; a pair is linked when the two term sets share at least `min_shared` terms
 * and shared / sqrt(|a| |b|) reaches `similarity` (the same double arithmetic as Python's).
 *
 * Postings are a linked list per term over the flat term array, oldest first: an entry leaves its
 * term's list when its day falls out of the window, so a lookup costs what the window holds, not
 * what the range held. Candidates are told apart with a stamp per article instead of a set.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct {
    uint64_t key;
    int32_t oldest; /* entries (positions in the flat term array), -1 when the list is empty */
    int32_t newest;
    int32_t size;
    int32_t oldest_day; /* the day of the oldest entry's article */
    int32_t used;
} Slot;

typedef struct {
    int32_t next; /* the next newer entry of the same term, -1 if none */
    int32_t article;
} Entry;

typedef struct {
    Slot *slots;
    size_t mask; /* capacity - 1, a power of two */
    size_t used;
} Table;

static inline size_t mix(uint64_t key) {
    key ^= key >> 33;
    key *= 0xFF51AFD7ED558CCDull;
    key ^= key >> 33;
    return (size_t)key;
}

static int table_init(Table *t, size_t capacity) {
    t->slots = calloc(capacity, sizeof(Slot));
    t->mask = capacity - 1;
    t->used = 0;
    return t->slots != NULL;
}

/* Room for `more` keys at a load of at most 1/2; 0 when memory runs out. */
static int table_reserve(Table *t, size_t more) {
    size_t capacity = t->mask + 1;
    while (2 * (t->used + more) > capacity) capacity *= 2;
    if (capacity == t->mask + 1) return 1;
    Table bigger;
    if (!table_init(&bigger, capacity)) return 0;
    for (size_t i = 0; i <= t->mask; i++) {
        Slot *s = &t->slots[i];
        if (!s->used) continue;
        size_t j = mix(s->key) & bigger.mask;
        while (bigger.slots[j].used) j = (j + 1) & bigger.mask;
        bigger.slots[j] = *s;
    }
    bigger.used = t->used;
    free(t->slots);
    *t = bigger;
    return 1;
}

/* The slot of `key`, added (with an empty list) if missing; the caller reserved room. */
static Slot *table_slot(Table *t, uint64_t key) {
    size_t i = mix(key) & t->mask;
    for (;; i = (i + 1) & t->mask) {
        Slot *s = &t->slots[i];
        if (!s->used) break;
        if (s->key == key) return s;
    }
    Slot *s = &t->slots[i];
    s->used = 1;
    s->key = key;
    s->oldest = s->newest = -1;
    s->size = 0;
    t->used++;
    return s;
}

static int by_value(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static inline int64_t shared_terms(const uint64_t *a, int64_t na, const uint64_t *b, int64_t nb) {
    int64_t i = 0, j = 0, shared = 0;
    while (i < na && j < nb) { /* without branches on the values, which no predictor guesses */
        uint64_t x = a[i], y = b[j];
        shared += x == y;
        i += x <= y;
        j += y <= x;
    }
    return shared;
}

PyDoc_STRVAR(window_links_doc,
"window_links(days, ranks, starts, lengths, values, first_day, window, similarity, min_shared, max_postings) -> bytes\n\n"
"The story edges (rank of the later article, rank of the earlier) as int64 pairs. `days` (int32),\n"
"`ranks`, `starts`, `lengths` (int64) describe the articles in processing order; article k's terms\n"
"are values[starts[k]:starts[k] + lengths[k]] (uint64), which are sorted in place.");

static PyObject *window_links(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer bd = {0}, br = {0}, bs = {0}, bl = {0}, bv = {0};
    long long first_day, window, min_shared, max_postings;
    double similarity;
    PyObject *result = NULL;
    Table table = {0};
    int64_t *unique = NULL, *stamp = NULL, *candidates = NULL, *edges = NULL;
    Entry *entries = NULL;
    Slot **slots = NULL;
    size_t n_edges = 0, edges_cap = 0;

    if (!PyArg_ParseTuple(args, "y*y*y*y*w*LLdLL", &bd, &br, &bs, &bl, &bv, &first_day, &window, &similarity, &min_shared,
                          &max_postings))
        return NULL;
    Py_ssize_t n = bd.len / 4;
    if (bd.len % 4 || br.len != n * 8 || bs.len != n * 8 || bl.len != n * 8 || bv.len % 8) {
        PyErr_SetString(PyExc_ValueError, "days must be int32, ranks, starts and lengths int64 of one length, values uint64");
        goto done;
    }
    const int32_t *days = bd.buf;
    const int64_t *ranks = br.buf, *starts = bs.buf, *lengths = bl.buf;
    uint64_t *values = bv.buf;
    Py_ssize_t n_values = bv.len / 8;
    if (n_values >= INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "more than 2**31 - 1 terms in one range of days: use more, shorter ranges");
        goto done;
    }
    int64_t most = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        if (starts[k] < 0 || lengths[k] < 0 || starts[k] > n_values - lengths[k] || (k && days[k] < days[k - 1])) {
            PyErr_SetString(PyExc_ValueError, "an article's terms lie outside values, or days are not in order");
            goto done;
        }
        if (lengths[k] > most) most = lengths[k];
    }
    unique = malloc(sizeof(int64_t) * (size_t)(n ? n : 1));
    stamp = malloc(sizeof(int64_t) * (size_t)(n ? n : 1));
    candidates = malloc(sizeof(int64_t) * (size_t)(n ? n : 1));
    entries = malloc(sizeof(Entry) * (size_t)(n_values ? n_values : 1));
    slots = malloc(sizeof(Slot *) * (size_t)(most ? most : 1));
    if (!unique || !stamp || !candidates || !entries || !slots || !table_init(&table, 1 << 12)) {
        PyErr_NoMemory();
        goto done;
    }
    /* Term sets: each article's terms sorted, repeats dropped (a frozenset in Python). */
    for (Py_ssize_t k = 0; k < n; k++) {
        uint64_t *mine = values + starts[k];
        int64_t m = lengths[k], u = 0;
        qsort(mine, (size_t)m, sizeof(uint64_t), by_value);
        for (int64_t i = 0; i < m; i++)
            if (u == 0 || mine[i] != mine[u - 1]) mine[u++] = mine[i];
        unique[k] = u;
        for (int64_t i = 0; i < u; i++) entries[starts[k] + i].article = (int32_t)k;
        stamp[k] = -1;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        const uint64_t *mine = values + starts[k];
        int64_t m = unique[k];
        int64_t oldest_day = (int64_t)days[k] - window;
        if (!table_reserve(&table, (size_t)m)) {
            PyErr_NoMemory();
            goto done;
        }
        /* Expire what left the window, then take the candidates of the rare terms. */
        Py_ssize_t n_candidates = 0;
        for (int64_t i = 0; i < m; i++) {
            Slot *s = slots[i] = table_slot(&table, mine[i]);
            while (s->oldest >= 0 && s->oldest_day < oldest_day) {
                s->oldest = entries[s->oldest].next;
                s->size--;
                if (s->oldest >= 0) s->oldest_day = days[entries[s->oldest].article];
            }
            if (s->oldest < 0) s->newest = -1;
            if (days[k] < first_day || s->size == 0 || s->size > max_postings) continue;
            for (int32_t e = s->oldest; e >= 0; e = entries[e].next) {
                int32_t j = entries[e].article;
                if (stamp[j] != k) {
                    stamp[j] = k;
                    candidates[n_candidates++] = j;
                }
            }
        }
        for (Py_ssize_t c = 0; c < n_candidates; c++) {
            int64_t j = candidates[c];
            int64_t shared = shared_terms(mine, m, values + starts[j], unique[j]);
            if (shared < min_shared || (double)shared / sqrt((double)(m * unique[j])) < similarity) continue;
            if (n_edges == edges_cap) {
                size_t cap = edges_cap ? 2 * edges_cap : 1024;
                int64_t *bigger = realloc(edges, sizeof(int64_t) * 2 * cap);
                if (bigger == NULL) {
                    PyErr_NoMemory();
                    goto done;
                }
                edges = bigger;
                edges_cap = cap;
            }
            edges[2 * n_edges] = ranks[k];
            edges[2 * n_edges + 1] = ranks[j];
            n_edges++;
        }
        /* Then this article joins its terms' postings. */
        for (int64_t i = 0; i < m; i++) {
            Slot *s = slots[i];
            int32_t e = (int32_t)(starts[k] + i);
            entries[e].next = -1;
            if (s->newest >= 0) {
                entries[s->newest].next = e;
            } else {
                s->oldest = e;
                s->oldest_day = days[k];
            }
            s->newest = e;
            s->size++;
        }
    }
    result = PyBytes_FromStringAndSize((const char *)edges, (Py_ssize_t)(sizeof(int64_t) * 2 * n_edges));
done:
    free(table.slots);
    free(unique);
    free(entries);
    free(slots);
    free(stamp);
    free(candidates);
    free(edges);
    PyBuffer_Release(&bd);
    PyBuffer_Release(&br);
    PyBuffer_Release(&bs);
    PyBuffer_Release(&bl);
    PyBuffer_Release(&bv);
    return result;
}

static PyMethodDef methods[] = {
    {"window_links", window_links, METH_VARARGS, window_links_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_links", "Story links inside a date window (see warta.corpus.stories.window_links).", -1, methods,
};

PyMODINIT_FUNC PyInit__links(void) { return PyModule_Create(&module); }
