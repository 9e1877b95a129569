/* Python re's \w in a str pattern (_sre's SRE_UNI_IS_WORD: Py_UNICODE_ISALNUM or '_'), shared by
 * the compiled text loops. A table answers the first 256 code points (the common case, without a
 * call); call init_word_table() once when the module loads. */
#ifndef WARTA_WORD_H
#define WARTA_WORD_H

#include <Python.h>
#include <stdint.h>

static uint8_t word_table[256];

static void init_word_table(void) {
    for (uint32_t n = 0; n < 256; n++) word_table[n] = n == '_' || Py_UNICODE_ISALNUM((Py_UCS4)n);
}

static inline int is_word(Py_UCS4 ch) {
    return ch < 256 ? word_table[ch] : Py_UNICODE_ISALNUM(ch);
}

#endif
