/*
 * A stand-in for Windows' bcryptprimitives.dll, for running the Windows build's tests under
 * Wine 8 only. Rust's standard library takes its random numbers from ProcessPrng, which every
 * Windows 10 and 11 has and Wine 8 lacks; this exports it over RtlGenRandom (SystemFunction036
 * in advapi32), which Wine has. `cargo xtask` builds it with mingw-w64 and puts it in a
 * throwaway Wine prefix; it is never shipped.
 */
#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
