"""A minimal ONNX Runtime binding over its C API with ctypes, for optional cross-checks.

Debian's Python has no onnxruntime package, but the NuGet package the C# projects restore ships
libonnxruntime.so. The generator uses this (when the library is found) to run the exported .onnx files
the way the C# engine will and compare them with PyTorch. Nothing committed depends on it.

Only the few OrtApi entries needed are bound; their indices are fixed by ONNX Runtime's ABI (the OrtApi
struct is append-only).
"""

import ctypes
import glob
import os
import pathlib

import numpy as np

_CREATE_ENV = 3
_CREATE_SESSION = 7
_RUN = 9
_CREATE_SESSION_OPTIONS = 10
_SET_GRAPH_OPTIMIZATION_LEVEL = 23
_SET_INTRA_OP_NUM_THREADS = 24
_CREATE_TENSOR_WITH_DATA = 49
_GET_TENSOR_MUTABLE_DATA = 51
_GET_TENSOR_ELEMENT_TYPE = 60
_GET_DIMENSIONS_COUNT = 61
_GET_DIMENSIONS = 62
_GET_TENSOR_TYPE_AND_SHAPE = 65
_CREATE_CPU_MEMORY_INFO = 69
_GET_ERROR_MESSAGE = 2
_RELEASE_STATUS = 93
_RELEASE_VALUE = 96
_RELEASE_TENSOR_TYPE_AND_SHAPE_INFO = 99

_ELEMENT_TYPES = {np.dtype(np.float32): 1, np.dtype(np.int64): 7}
_NUMPY_TYPES = {1: np.float32, 7: np.int64, 6: np.int32, 2: np.uint8, 3: np.int8}

P = ctypes.c_void_p


def find_library():
    """libonnxruntime.so from $HEARSAY_ORT_LIB or the NuGet cache, or None."""
    explicit = os.environ.get("HEARSAY_ORT_LIB")
    if explicit:
        return explicit
    package = pathlib.Path.home() / ".nuget/packages/microsoft.ml.onnxruntime"
    pattern = str(package / "*/runtimes/linux-x64/native/libonnxruntime.so")
    found = sorted(glob.glob(pattern))
    return found[-1] if found else None


class _Base(ctypes.Structure):
    _fields_ = [
        ("GetApi", ctypes.CFUNCTYPE(P, ctypes.c_uint32)),
        ("GetVersionString", ctypes.CFUNCTYPE(ctypes.c_char_p)),
    ]


class Runtime:
    def __init__(self, library_path, threads=1):
        self.lib = ctypes.CDLL(library_path)
        self.lib.OrtGetApiBase.restype = ctypes.POINTER(_Base)
        base = self.lib.OrtGetApiBase().contents
        self.version = base.GetVersionString().decode()
        self.api = ctypes.cast(base.GetApi(16), ctypes.POINTER(P))
        self.threads = threads
        env = P()
        self._call(_CREATE_ENV, [ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(P)], 3, b"hearsay", ctypes.byref(env))
        self.env = env
        memory_info = P()
        self._call(
            _CREATE_CPU_MEMORY_INFO, [ctypes.c_int, ctypes.c_int, ctypes.POINTER(P)], 0, 0, ctypes.byref(memory_info)
        )
        self.memory_info = memory_info

    def _fn(self, index, restype, argtypes):
        return ctypes.CFUNCTYPE(restype, *argtypes)(self.api[index])

    def _call(self, index, argtypes, *args):
        status = self._fn(index, P, argtypes)(*args)
        if status:
            message = self._fn(_GET_ERROR_MESSAGE, ctypes.c_char_p, [P])(status).decode()
            self._fn(_RELEASE_STATUS, None, [P])(status)
            raise RuntimeError(message)

    def session(self, path, optimize=True):
        return Session(self, str(path), optimize)


class Session:
    def __init__(self, runtime: Runtime, path, optimize):
        self.rt = runtime
        options = P()
        runtime._call(_CREATE_SESSION_OPTIONS, [ctypes.POINTER(P)], ctypes.byref(options))
        runtime._call(_SET_INTRA_OP_NUM_THREADS, [P, ctypes.c_int], options, runtime.threads)
        runtime._call(_SET_GRAPH_OPTIMIZATION_LEVEL, [P, ctypes.c_int], options, 99 if optimize else 0)
        session = P()
        runtime._call(
            _CREATE_SESSION, [P, ctypes.c_char_p, P, ctypes.POINTER(P)],
            runtime.env, path.encode(), options, ctypes.byref(session),
        )
        self.handle = session

    def run(self, inputs: dict, output_names):
        rt = self.rt
        keep = []
        values = []
        for name, array in inputs.items():
            array = np.ascontiguousarray(array)
            keep.append(array)
            shape = (ctypes.c_int64 * array.ndim)(*array.shape)
            value = P()
            rt._call(
                _CREATE_TENSOR_WITH_DATA,
                [P, P, ctypes.c_size_t, ctypes.POINTER(ctypes.c_int64), ctypes.c_size_t, ctypes.c_int,
                 ctypes.POINTER(P)],
                rt.memory_info, array.ctypes.data, array.nbytes, shape, array.ndim, _ELEMENT_TYPES[array.dtype],
                ctypes.byref(value),
            )
            values.append(value)
        in_names = (ctypes.c_char_p * len(inputs))(*[n.encode() for n in inputs])
        in_values = (P * len(values))(*values)
        out_names = (ctypes.c_char_p * len(output_names))(*[n.encode() for n in output_names])
        out_values = (P * len(output_names))()
        try:
            rt._call(
                _RUN,
                [P, P, P, P, ctypes.c_size_t, P, ctypes.c_size_t, P],
                self.handle, None, in_names, in_values, len(values), out_names, len(output_names), out_values,
            )
            return [self._to_numpy(out_values[i]) for i in range(len(output_names))]
        finally:
            release = rt._fn(_RELEASE_VALUE, None, [P])
            for value in values:
                release(value)
            for i in range(len(output_names)):
                if out_values[i]:
                    release(out_values[i])

    def _to_numpy(self, value):
        rt = self.rt
        info = P()
        rt._call(_GET_TENSOR_TYPE_AND_SHAPE, [P, ctypes.POINTER(P)], value, ctypes.byref(info))
        element_type = ctypes.c_int()
        rt._call(_GET_TENSOR_ELEMENT_TYPE, [P, ctypes.POINTER(ctypes.c_int)], info, ctypes.byref(element_type))
        count = ctypes.c_size_t()
        rt._call(_GET_DIMENSIONS_COUNT, [P, ctypes.POINTER(ctypes.c_size_t)], info, ctypes.byref(count))
        dims = (ctypes.c_int64 * count.value)()
        rt._call(_GET_DIMENSIONS, [P, ctypes.POINTER(ctypes.c_int64), ctypes.c_size_t], info, dims, count.value)
        rt._fn(_RELEASE_TENSOR_TYPE_AND_SHAPE_INFO, None, [P])(info)
        data = P()
        rt._call(_GET_TENSOR_MUTABLE_DATA, [P, ctypes.POINTER(P)], value, ctypes.byref(data))
        dtype = np.dtype(_NUMPY_TYPES[element_type.value])
        shape = tuple(dims)
        n = int(np.prod(shape)) if shape else 1
        buffer = (ctypes.c_char * (n * dtype.itemsize)).from_address(data.value)
        return np.frombuffer(buffer, dtype=dtype).reshape(shape).copy()
