/* A tiny JSON reader for the test suite (reads tests/vectors/ and the mock's
 * control answers). Strings are decoded to UTF-8 and keep their length, so an
 * embedded NUL is detectable; every value keeps its source text span. */
#ifndef ZS_TEST_JSON_H
#define ZS_TEST_JSON_H

#include <stddef.h>
#include <stdint.h>

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;

typedef struct jval {
    jtype type;
    int boolean;
    char *str;          /* J_STR: decoded UTF-8, NUL-terminated; J_NUM: the number's text */
    size_t len;         /* J_STR: bytes in str (may hold NULs) */
    size_t n;           /* J_ARR / J_OBJ: number of items */
    struct jval **items;
    char **keys;        /* J_OBJ only */
    const char *raw;    /* the value's text in the source */
    size_t raw_len;
} jval;

/* Parse `len` bytes of JSON; NULL (and a message in *error, static) on failure.
 * The source text must outlive the tree (raw spans point into it). */
jval *json_parse(const char *text, size_t len, const char **error);
void json_free(jval *v);
/* A member of an object, or NULL. */
const jval *jget(const jval *obj, const char *key);
/* The string of a J_STR, else NULL. */
const char *jstr(const jval *v);
/* A J_NUM that is an integer fitting int64: 1 and *out; else 0. */
int jint(const jval *v, int64_t *out);
/* Deep equality (object members compared by key, in any order). */
int json_equal(const jval *a, const jval *b);
/* The whole file, NUL-terminated (caller frees); NULL on error. */
char *read_file(const char *path, size_t *len);
/* Append a JSON string literal of s[0..len) to a malloc'd buffer. */
char *json_quote(const char *s, size_t len);
/* Append code point `cp` as UTF-8 (surrogates as 3-byte WTF-8); returns bytes written (<= 4). */
size_t utf8_put(char *dst, uint32_t cp);

#endif
