# PCRE2 itself (libpcre2-8.so.0 through ctypes), compiling specs as libselinux
# does: "^" + spec + "$", PCRE2_DOTALL, no UTF; then matching byte subjects.
# stdin: {"cases": [[SPEC, [HEX-SUBJECT, ...]], ...]}
# stdout: {"results": [{"error": MESSAGE} | {"matches": [BOOL, ...]}, ...]}
import ctypes, json, sys

pcre = ctypes.CDLL("libpcre2-8.so.0")
pcre.pcre2_compile_8.restype = ctypes.c_void_p
pcre.pcre2_compile_8.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint32, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_size_t), ctypes.c_void_p]
pcre.pcre2_match_data_create_from_pattern_8.restype = ctypes.c_void_p
pcre.pcre2_match_data_create_from_pattern_8.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
pcre.pcre2_match_8.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_size_t, ctypes.c_uint32, ctypes.c_void_p, ctypes.c_void_p]
pcre.pcre2_get_error_message_8.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t]
PCRE2_DOTALL = 0x00000020
ZERO_TERMINATED = ctypes.c_size_t(-1).value

out = []
for spec, subjects in json.load(sys.stdin)["cases"]:
    err = ctypes.c_int()
    off = ctypes.c_size_t()
    pat = ("^" + spec + "$").encode("latin1")
    code = pcre.pcre2_compile_8(pat, ZERO_TERMINATED, PCRE2_DOTALL, ctypes.byref(err), ctypes.byref(off), None)
    if not code:
        buf = ctypes.create_string_buffer(256)
        pcre.pcre2_get_error_message_8(err.value, buf, 256)
        out.append({"error": buf.value.decode()})
        continue
    md = pcre.pcre2_match_data_create_from_pattern_8(code, None)
    res = []
    for h in subjects:
        b = bytes.fromhex(h)
        res.append(pcre.pcre2_match_8(code, b, len(b), 0, 0, md, None) >= 0)
    out.append({"matches": res})
json.dump({"results": out}, sys.stdout)
