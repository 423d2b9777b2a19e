/* Result rows as model instances, with each value checked in C: libsqlkit._row_builder.
 *
 * Why C: building a pydantic model from a row costs about 1 µs in pydantic-core, most of
 * it the per-field machinery around checks as small as "is this an exact str". Here each
 * column carries one kind, chosen in Python from the field's core schema only where the
 * check below is the whole of what that schema accepts unchanged; a value that fails its
 * kind makes build() return None, and the caller validates the rows with pydantic-core
 * as before, which accepts the value, converts it, or names it in an error.
 *
 * Kinds (upper case: None is also taken, as None):
 *   s  an exact str, kept
 *   i  an exact int, kept
 *   b  an exact int 0 or 1, as False or True
 *   e  an exact str in the column's set (a Literal of str), kept
 *   t  an exact int of seconds since 1970 (UTC), as an aware UTC datetime: computed here
 *      from 1970 to 9998, by the column's decode (the codec's) outside
 *   m  the same in milliseconds
 *   j  an exact str, replaced by the next of `parsed` (its JSON, validated beforehand)
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>

static PyObject *DICT, *FIELDS_SET, *EXTRA, *PRIVATE, *EMPTY;

/* 9999-01-01T00:00:00Z: a timestamp before it (and from 1970) is computed here. */
#define LAST_SECOND 253370764800LL

/* The UTC datetime of whole seconds since 1970 and microseconds (both >= 0), as
 * datetime.fromtimestamp(seconds, UTC) makes it: the civil date of a day count by
 * H. Hinnant's days-to-civil algorithm, for days from 1970-01-01 on. */
static PyObject *
utc_datetime(long long seconds, long long microseconds)
{
    long long days = seconds / 86400, rest = seconds % 86400;
    long long z = days + 719468;
    long long era = z / 146097;
    long long day_of_era = z - era * 146097;
    long long year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    long long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    long long month_index = (5 * day_of_year + 2) / 153;
    int day = (int)(day_of_year - (153 * month_index + 2) / 5 + 1);
    int month = (int)(month_index < 10 ? month_index + 3 : month_index - 9);
    int year = (int)(year_of_era + era * 400 + (month <= 2));
    return PyDateTimeAPI->DateTime_FromDateAndTime(
        year, month, day, (int)(rest / 3600), (int)(rest / 60 % 60), (int)(rest % 60),
        (int)microseconds, PyDateTime_TimeZone_UTC, PyDateTimeAPI->DateTimeType);
}

/* The column's value as it goes into the model (a new reference), NULL with no error set
 * when it fails its kind, NULL with an error set when something else failed. */
static PyObject *
column_value(char kind, PyObject *value, PyObject *lookup, PyObject *decode,
             PyObject *parsed, Py_ssize_t *next_parsed)
{
    if (value == Py_None) {
        if (kind >= 'A' && kind <= 'Z') {
            if (kind == 'J') {
                (*next_parsed)++;
            }
            return Py_NewRef(Py_None);
        }
        return NULL;
    }
    switch (kind | 0x20) { /* lower case */
    case 's':
        return PyUnicode_CheckExact(value) ? Py_NewRef(value) : NULL;
    case 'i':
        return PyLong_CheckExact(value) ? Py_NewRef(value) : NULL;
    case 'b': {
        if (!PyLong_CheckExact(value)) {
            return NULL;
        }
        int overflow;
        long number = PyLong_AsLongAndOverflow(value, &overflow);
        if (overflow || (number != 0 && number != 1)) {
            return NULL;
        }
        return PyBool_FromLong(number);
    }
    case 'e': {
        if (!PyUnicode_CheckExact(value)) {
            return NULL;
        }
        int found = PySet_Contains(lookup, value);
        if (found < 0) {
            return NULL; /* error set */
        }
        return found ? Py_NewRef(value) : NULL;
    }
    case 't':
    case 'm': {
        if (!PyLong_CheckExact(value)) {
            return NULL;
        }
        int overflow;
        long long stored = PyLong_AsLongLongAndOverflow(value, &overflow);
        long long unit = (kind | 0x20) == 'm' ? 1000 : 1;
        if (!overflow && stored >= 0 && stored < LAST_SECOND * unit) {
            return utc_datetime(stored / unit, (stored % unit) * (1000000 / unit));
        }
        PyObject *decoded = PyObject_CallOneArg(decode, value);
        if (decoded == NULL && PyErr_ExceptionMatches(PyExc_Exception)) {
            PyErr_Clear(); /* out of range: the caller's validation names it */
        }
        return decoded;
    }
    case 'j': {
        if (!PyUnicode_CheckExact(value) || *next_parsed >= PyList_GET_SIZE(parsed)) {
            return NULL;
        }
        return Py_NewRef(PyList_GET_ITEM(parsed, (*next_parsed)++));
    }
    }
    return NULL;
}

/* One row as an instance of cls (a new reference), NULL as column_value. */
static PyObject *
instance(PyObject *row, PyTypeObject *cls, PyObject *names, const char *kinds,
         PyObject *lookups, PyObject *decoders, PyObject *parsed, Py_ssize_t *next_parsed,
         PyObject *fields)
{
    Py_ssize_t count = PyTuple_GET_SIZE(names);
    if (!PyTuple_CheckExact(row) || PyTuple_GET_SIZE(row) != count) {
        return NULL;
    }
    PyObject *values = PyDict_New();
    if (values == NULL) {
        return NULL;
    }
    for (Py_ssize_t index = 0; index < count; index++) {
        PyObject *value = column_value(
            kinds[index], PyTuple_GET_ITEM(row, index), PyTuple_GET_ITEM(lookups, index),
            PyTuple_GET_ITEM(decoders, index), parsed, next_parsed);
        if (value == NULL) {
            Py_DECREF(values);
            return NULL;
        }
        int failed = PyDict_SetItem(values, PyTuple_GET_ITEM(names, index), value);
        Py_DECREF(value);
        if (failed) {
            Py_DECREF(values);
            return NULL;
        }
    }
    PyObject *model = PyBaseObject_Type.tp_new(cls, EMPTY, NULL);
    PyObject *given = model == NULL ? NULL : PySet_New(fields);
    if (given == NULL
        || PyObject_GenericSetAttr(model, DICT, values) < 0
        || PyObject_GenericSetAttr(model, FIELDS_SET, given) < 0
        || PyObject_GenericSetAttr(model, EXTRA, Py_None) < 0
        || PyObject_GenericSetAttr(model, PRIVATE, Py_None) < 0) {
        Py_XDECREF(given);
        Py_XDECREF(model);
        Py_DECREF(values);
        return NULL;
    }
    Py_DECREF(given);
    Py_DECREF(values);
    return model;
}

static PyObject *
build(PyObject *module, PyObject *args)
{
    PyObject *rows, *names, *kinds, *lookups, *decoders, *parsed, *fields;
    PyTypeObject *cls;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!O!O!O!:build", &PyList_Type, &rows, &PyType_Type,
                          &cls, &PyTuple_Type, &names, &PyBytes_Type, &kinds, &PyTuple_Type,
                          &lookups, &PyTuple_Type, &decoders, &PyList_Type, &parsed,
                          &PySet_Type, &fields)) {
        return NULL;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(names);
    if (PyBytes_GET_SIZE(kinds) != count || PyTuple_GET_SIZE(lookups) != count
        || PyTuple_GET_SIZE(decoders) != count) {
        PyErr_SetString(PyExc_ValueError, "names, kinds, lookups and decoders differ in length");
        return NULL;
    }
    const char *kind = PyBytes_AS_STRING(kinds);
    Py_ssize_t size = PyList_GET_SIZE(rows);
    PyObject *models = PyList_New(size);
    if (models == NULL) {
        return NULL;
    }
    Py_ssize_t next_parsed = 0;
    for (Py_ssize_t index = 0; index < size; index++) {
        /* The row is kept alive by the list, which a decode() call could change. */
        PyObject *row = Py_NewRef(PyList_GET_ITEM(rows, index));
        PyObject *model = instance(row, cls, names, kind, lookups, decoders, parsed,
                                   &next_parsed, fields);
        Py_DECREF(row);
        if (model == NULL) {
            Py_DECREF(models);
            if (PyErr_Occurred()) {
                return NULL;
            }
            Py_RETURN_NONE;
        }
        PyList_SET_ITEM(models, index, model);
        if (PyList_GET_SIZE(rows) != size) {
            Py_DECREF(models);
            Py_RETURN_NONE; /* changed under us: the caller's path reads it */
        }
    }
    if (next_parsed != PyList_GET_SIZE(parsed)) {
        Py_DECREF(models);
        Py_RETURN_NONE;
    }
    return models;
}

static PyMethodDef methods[] = {
    {"build", build, METH_VARARGS,
     "build(rows, cls, names, kinds, lookups, decoders, parsed, fields) -> list | None"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef definition = {
    PyModuleDef_HEAD_INIT, "_rowbuild", "Rows as model instances, checked in C.", -1, methods,
};

PyMODINIT_FUNC
PyInit__rowbuild(void)
{
    DICT = PyUnicode_InternFromString("__dict__");
    FIELDS_SET = PyUnicode_InternFromString("__pydantic_fields_set__");
    EXTRA = PyUnicode_InternFromString("__pydantic_extra__");
    PRIVATE = PyUnicode_InternFromString("__pydantic_private__");
    EMPTY = PyTuple_New(0);
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL) {
        return NULL;
    }
    if (DICT == NULL || FIELDS_SET == NULL || EXTRA == NULL || PRIVATE == NULL || EMPTY == NULL) {
        return NULL;
    }
    return PyModule_Create(&definition);
}
