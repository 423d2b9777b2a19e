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
 *   j  an exact str, replaced by decode(value) (pydantic-core's JSON reader) when that
 *      holds no NaN or infinity (which a JsonValue field refuses from Python) and is
 *      nested less than MAX_DEPTH deep
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>
#include <math.h>
#include <structmember.h>

static PyObject *SLOT_NAMES[3], *EMPTY;

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

/* JSON nested deeper than this is left to the caller's validation. */
#define MAX_DEPTH 256

/* Whether a parsed JSON value holds only finite floats, within MAX_DEPTH. */
static int
all_finite(PyObject *value, int depth)
{
    if (PyFloat_CheckExact(value)) {
        return isfinite(PyFloat_AS_DOUBLE(value));
    }
    if (depth >= MAX_DEPTH) {
        return !PyList_CheckExact(value) && !PyDict_CheckExact(value);
    }
    if (PyList_CheckExact(value)) {
        for (Py_ssize_t index = 0; index < PyList_GET_SIZE(value); index++) {
            if (!all_finite(PyList_GET_ITEM(value, index), depth + 1)) {
                return 0;
            }
        }
    }
    else if (PyDict_CheckExact(value)) {
        Py_ssize_t position = 0;
        PyObject *key, *item;
        while (PyDict_Next(value, &position, &key, &item)) {
            if (!all_finite(item, depth + 1)) {
                return 0;
            }
        }
    }
    return 1;
}

/* One call's columns and what it keeps between rows. */
typedef struct {
    PyTypeObject *cls;
    PyObject *names, *lookups, *decoders;
    const char *kinds;
    Py_ssize_t count;
    /* Where the instance keeps __pydantic_fields_set__, __pydantic_extra__ and
     * __pydantic_private__ (slots of BaseModel), or -1 to set them by name. */
    Py_ssize_t slots[3];
    /* The last timestamp made: a row's created_at and updated_at are often one instant. */
    long long last_stored, last_unit;
    PyObject *last_made;
} Context;

/* The timestamp of a stored number of units (1: seconds, 1000: milliseconds). */
static PyObject *
timestamp(Context *context, PyObject *value, long long unit, PyObject *decode)
{
    int overflow;
    long long stored = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (!overflow && stored >= 0 && stored < LAST_SECOND * unit) {
        if (context->last_made != NULL && context->last_stored == stored
            && context->last_unit == unit) {
            return Py_NewRef(context->last_made);
        }
        PyObject *made = utc_datetime(stored / unit, (stored % unit) * (1000000 / unit));
        if (made != NULL) {
            Py_XSETREF(context->last_made, Py_NewRef(made));
            context->last_stored = stored;
            context->last_unit = unit;
        }
        return made;
    }
    PyObject *decoded = PyObject_CallOneArg(decode, value);
    if (decoded == NULL && PyErr_ExceptionMatches(PyExc_Exception)) {
        PyErr_Clear(); /* out of range: the caller's validation names it */
    }
    return decoded;
}

/* The column's value as it goes into the model (a new reference), NULL with no error set
 * when it fails its kind, NULL with an error set when something else failed. */
static PyObject *
column_value(Context *context, Py_ssize_t index, PyObject *value)
{
    char kind = context->kinds[index];
    if (value == Py_None) {
        return kind >= 'A' && kind <= 'Z' ? Py_NewRef(Py_None) : NULL;
    }
    PyObject *lookup = PyTuple_GET_ITEM(context->lookups, index);
    PyObject *decode = PyTuple_GET_ITEM(context->decoders, index);
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
        return found > 0 ? Py_NewRef(value) : NULL; /* found < 0: an error is set */
    }
    case 't':
    case 'm':
        if (!PyLong_CheckExact(value)) {
            return NULL;
        }
        return timestamp(context, value, (kind | 0x20) == 'm' ? 1000 : 1, decode);
    case 'j': {
        if (!PyUnicode_CheckExact(value)) {
            return NULL;
        }
        PyObject *parsed = PyObject_CallOneArg(decode, value);
        if (parsed == NULL) {
            if (PyErr_ExceptionMatches(PyExc_Exception)) {
                PyErr_Clear(); /* not JSON: the caller's validation names it */
            }
            return NULL;
        }
        if (!all_finite(parsed, 0)) {
            Py_DECREF(parsed);
            return NULL;
        }
        return parsed;
    }
    }
    return NULL;
}

/* Sets a fresh instance's slot `which` to value (borrowed), as pydantic-core does. */
static int
set_slot(Context *context, PyObject *model, int which, PyObject *value)
{
    Py_ssize_t offset = context->slots[which];
    if (offset < 0) {
        return PyObject_GenericSetAttr(model, SLOT_NAMES[which], value);
    }
    PyObject **slot = (PyObject **)((char *)model + offset);
    Py_XSETREF(*slot, Py_NewRef(value));
    return 0;
}

/* One row as an instance of the model (a new reference), NULL as column_value. */
static PyObject *
instance(Context *context, PyObject *row)
{
    Py_ssize_t count = context->count;
    if (!PyTuple_CheckExact(row) || PyTuple_GET_SIZE(row) != count) {
        return NULL;
    }
#if PY_VERSION_HEX < 0x030E0000
    PyObject *values = _PyDict_NewPresized(count);
#else
    PyObject *values = PyDict_New();
#endif
    if (values == NULL) {
        return NULL;
    }
    for (Py_ssize_t index = 0; index < count; index++) {
        PyObject *value = column_value(context, index, PyTuple_GET_ITEM(row, index));
        if (value == NULL) {
            Py_DECREF(values);
            return NULL;
        }
        int failed = PyDict_SetItem(values, PyTuple_GET_ITEM(context->names, index), value);
        Py_DECREF(value);
        if (failed) {
            Py_DECREF(values);
            return NULL;
        }
    }
    /* As pydantic-core makes an instance: the class's own __new__, with no arguments. */
    PyObject *model = context->cls->tp_new(context->cls, EMPTY, NULL);
    if (model != NULL && !Py_IS_TYPE(model, context->cls)) {
        Py_CLEAR(model); /* not ours to fill: the caller's validation makes it */
    }
    /* The fields set as pydantic-core fills it: one name at a time, in field order. */
    PyObject *given = model == NULL ? NULL : PySet_New(context->names);
    /* In pydantic-core's order: __dict__, extra, private, fields set. */
    if (given == NULL || PyObject_GenericSetDict(model, values, NULL) < 0
        || set_slot(context, model, 1, Py_None) < 0 || set_slot(context, model, 2, Py_None) < 0
        || set_slot(context, model, 0, given) < 0) {
        Py_XDECREF(given);
        Py_XDECREF(model);
        Py_DECREF(values);
        return NULL;
    }
    Py_DECREF(given);
    Py_DECREF(values);
    return model;
}

/* Where cls keeps a slot: the offset of the member descriptor that setting it by name
 * finds (looked up along the class's MRO, as PyObject_GenericSetAttr looks), or -1. */
static Py_ssize_t
slot_offset(PyTypeObject *cls, PyObject *name)
{
    PyObject *descriptor = _PyType_Lookup(cls, name); /* borrowed; sets no error */
    if (descriptor != NULL && Py_IS_TYPE(descriptor, &PyMemberDescr_Type)) {
        PyMemberDef *member = ((PyMemberDescrObject *)descriptor)->d_member;
        if (member->type == T_OBJECT_EX && !(member->flags & READONLY)
            && PyType_IsSubtype(cls, PyDescr_TYPE(descriptor))) {
            return member->offset;
        }
    }
    return -1;
}

static PyObject *
build(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *rows, *kinds;
    Context context = {.last_made = NULL};
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!O!:build", &PyType_Type, &context.cls, &PyTuple_Type,
                          &context.names, &PyBytes_Type, &kinds, &PyTuple_Type, &context.lookups,
                          &PyTuple_Type, &context.decoders, &PyList_Type, &rows)) {
        return NULL;
    }
    if (!PyList_CheckExact(rows) || context.cls->tp_new == NULL) {
        Py_RETURN_NONE; /* a list of another order or a class of its own: pydantic reads it */
    }
    context.count = PyTuple_GET_SIZE(context.names);
    if (PyBytes_GET_SIZE(kinds) != context.count
        || PyTuple_GET_SIZE(context.lookups) != context.count
        || PyTuple_GET_SIZE(context.decoders) != context.count) {
        PyErr_SetString(PyExc_ValueError, "names, kinds, lookups and decoders differ in length");
        return NULL;
    }
    context.kinds = PyBytes_AS_STRING(kinds);
    for (int which = 0; which < 3; which++) {
        context.slots[which] = slot_offset(context.cls, SLOT_NAMES[which]);
    }
    Py_ssize_t size = PyList_GET_SIZE(rows);
    PyObject *models = PyList_New(size);
    if (models == NULL) {
        return NULL;
    }
    for (Py_ssize_t index = 0; index < size; index++) {
        /* The row is kept alive by the list, which a decode() call could change. */
        PyObject *row = Py_NewRef(PyList_GET_ITEM(rows, index));
        PyObject *model = instance(&context, row);
        Py_DECREF(row);
        if (model == NULL || PyList_GET_SIZE(rows) != size) {
            /* A value that fails its kind, or the rows changed under us: the caller's
             * validation reads them. */
            Py_XDECREF(model);
            Py_DECREF(models);
            Py_XDECREF(context.last_made);
            if (PyErr_Occurred()) {
                return NULL;
            }
            Py_RETURN_NONE;
        }
        PyList_SET_ITEM(models, index, model);
    }
    Py_XDECREF(context.last_made);
    return models;
}

static PyMethodDef methods[] = {
    {"build", build, METH_VARARGS,
     "build(cls, names, kinds, lookups, decoders, rows) -> list | None"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef definition = {
    PyModuleDef_HEAD_INIT, "_rowbuild", "Rows as model instances, checked in C.", -1, methods,
};

PyMODINIT_FUNC
PyInit__rowbuild(void)
{
    SLOT_NAMES[0] = PyUnicode_InternFromString("__pydantic_fields_set__");
    SLOT_NAMES[1] = PyUnicode_InternFromString("__pydantic_extra__");
    SLOT_NAMES[2] = PyUnicode_InternFromString("__pydantic_private__");
    EMPTY = PyTuple_New(0);
    if (SLOT_NAMES[0] == NULL || SLOT_NAMES[1] == NULL || SLOT_NAMES[2] == NULL
        || EMPTY == NULL) {
        return NULL;
    }
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL) {
        return NULL;
    }
    return PyModule_Create(&definition);
}
