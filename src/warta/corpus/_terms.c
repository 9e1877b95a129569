/* The two word sets warta.corpus.stories.story_terms filters, in one pass of C.
 *
 * The same sets as the definition by two regex scans (tests/corpus/test_corpus_stories_splits.py,
 * which a test checks this against on random text), read a line at a time:
 *
 *   runs         maximal runs of characters in [\w'’-] (\w as Python's re has it for a str
 *                pattern). A run that starts with an ASCII capital is what
 *                (?<![\w'’-])[A-Z][\w'’-]* matches, one that starts with [a-z] what the lower-case
 *                pattern matches: inside a run the look-behind fails, so no match starts there;
 *   lines        split at "\n" only, stripped of what str.strip() strips (Py_UNICODE_ISSPACE);
 *                a line is a heading when its last character is not one of `sentence_end`;
 *   capitalised  each run split at "-", each part stripped of ' and ’ at both ends, parts of one
 *                character dropped; a part that str.isupper() accepts is an acronym (always kept),
 *                one whose first character is upper case a name (kept unless the line is a
 *                heading or the run opens a sentence: walking back over `openers`, the line's
 *                start or one of `stops`), any other part is lower-case evidence;
 *   lowercase    every lower-case run, and the parts of those that hold "-" (unstripped).
 *
 * Returned as (capitalised, lowercase), two sets of str; the caller lower-cases and filters them.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "_word.h"

typedef struct {
    int kind;
    const void *data;
} Text;

static inline Py_UCS4 at(const Text *t, Py_ssize_t i) {
    return PyUnicode_READ(t->kind, t->data, i);
}

static inline int in_run(Py_UCS4 ch) {
    return is_word(ch) || ch == '\'' || ch == 0x2019 || ch == '-';
}

static inline int is_quote(Py_UCS4 ch) {
    return ch == '\'' || ch == 0x2019;
}

/* Whether `ch` is one of the characters of the str `chars` (a handful: a linear scan). */
static inline int one_of(PyObject *chars, Py_UCS4 ch) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(chars);
    int kind = PyUnicode_KIND(chars);
    const void *data = PyUnicode_DATA(chars);
    for (Py_ssize_t i = 0; i < n; i++)
        if (PyUnicode_READ(kind, data, i) == ch) return 1;
    return 0;
}

/* str.isupper() of text[start:end]: no lower- or title-case character and at least one upper. */
static int is_upper(const Text *t, Py_ssize_t start, Py_ssize_t end) {
    int cased = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 ch = at(t, i);
        if (Py_UNICODE_ISLOWER(ch) || Py_UNICODE_ISTITLE(ch)) return 0;
        if (Py_UNICODE_ISUPPER(ch)) cased = 1;
    }
    return cased;
}

static int add(PyObject *set, PyObject *text, Py_ssize_t start, Py_ssize_t end) {
    PyObject *word = PyUnicode_Substring(text, start, end);
    if (word == NULL) return -1;
    int failed = PySet_Add(set, word);
    Py_DECREF(word);
    return failed;
}

/* Where the part of a run that starts at `p` ends: the next "-" or the run's end. */
static inline Py_ssize_t part_end(const Text *t, Py_ssize_t p, Py_ssize_t end) {
    while (p < end && at(t, p) != '-') p++;
    return p;
}

/* The parts of the capitalised run text[start:end]. */
static int capitalised_run(PyObject *text, const Text *t, Py_ssize_t start, Py_ssize_t end, int names,
                           PyObject *capitalised, PyObject *lowercase) {
    for (Py_ssize_t p = start, q;; p = q + 1) {
        q = part_end(t, p, end);
        Py_ssize_t a = p, b = q;
        while (a < b && is_quote(at(t, a))) a++;
        while (b > a && is_quote(at(t, b - 1))) b--;
        if (b - a >= 2) {
            int failed = 0;
            if (is_upper(t, a, b))
                failed = add(capitalised, text, a, b);
            else if (Py_UNICODE_ISUPPER(at(t, a))) {
                if (names) failed = add(capitalised, text, a, b);
            } else
                failed = add(lowercase, text, a, b);
            if (failed) return -1;
        }
        if (q == end) return 0;
    }
}

/* A lower-case run text[start:end], and its parts when it holds a hyphen. */
static int lower_run(PyObject *text, const Text *t, Py_ssize_t start, Py_ssize_t end, PyObject *lowercase) {
    if (add(lowercase, text, start, end)) return -1;
    Py_ssize_t q = part_end(t, start, end);
    if (q == end) return 0;  /* no hyphen: the run is its only part */
    for (Py_ssize_t p = start;; p = q + 1) {
        q = part_end(t, p, end);
        if (add(lowercase, text, p, q)) return -1;
        if (q == end) return 0;
    }
}

PyDoc_STRVAR(candidates_doc,
"candidates(text, sentence_end, openers, stops) -> (capitalised, lowercase)\n\n"
"The capitalised parts (acronyms, and names that neither open a sentence nor stand in a heading)\n"
"and the lower-case words of `text`, as two sets of str; each of the other arguments is a str\n"
"of characters (see the module's comment).");

static PyObject *candidates(PyObject *self, PyObject *args) {
    PyObject *text, *sentence_end, *openers, *stops;
    if (!PyArg_ParseTuple(args, "UUUU", &text, &sentence_end, &openers, &stops)) return NULL;
    PyObject *capitalised = PySet_New(NULL);
    PyObject *lowercase = PySet_New(NULL);
    if (capitalised == NULL || lowercase == NULL) goto fail;

    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text)};
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t i = 0; i <= n;) {
        Py_ssize_t line_end = i;
        while (line_end < n && at(&t, line_end) != '\n') line_end++;
        Py_ssize_t s = i, e = line_end;
        while (s < e && Py_UNICODE_ISSPACE(at(&t, s))) s++;
        while (e > s && Py_UNICODE_ISSPACE(at(&t, e - 1))) e--;
        int heading = s < e && !one_of(sentence_end, at(&t, e - 1));
        for (Py_ssize_t k = s; k < e;) {
            Py_UCS4 first = at(&t, k);
            if (!in_run(first)) {
                k++;
                continue;
            }
            Py_ssize_t start = k;
            while (k < e && in_run(at(&t, k))) k++;
            if (first >= 'A' && first <= 'Z') {
                Py_ssize_t j = start - 1;
                while (j >= s && one_of(openers, at(&t, j))) j--;
                int opens = j < s || one_of(stops, at(&t, j));
                if (capitalised_run(text, &t, start, k, !heading && !opens, capitalised, lowercase)) goto fail;
            } else if (first >= 'a' && first <= 'z') {
                if (lower_run(text, &t, start, k, lowercase)) goto fail;
            }
        }
        i = line_end + 1;
    }
    return Py_BuildValue("(NN)", capitalised, lowercase);
fail:
    Py_XDECREF(capitalised);
    Py_XDECREF(lowercase);
    return NULL;
}

static PyMethodDef methods[] = {
    {"candidates", candidates, METH_VARARGS, candidates_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_terms", "The word sets story terms are chosen from (see warta.corpus.stories).", -1, methods,
};

PyMODINIT_FUNC PyInit__terms(void) {
    init_word_table();
    return PyModule_Create(&module);
}
