/*
 * A stand-in for Windows' bcryptprimitives.dll, for Wine only.
 *
 * Go 1.22 and later read random bytes through ProcessPrng in
 * bcryptprimitives.dll, which every supported Windows has but Debian 12's
 * Wine 8.0 does not: a Go program there dies at start with "fatal error:
 * bcryptprimitives.dll not found". scripts/wine-test.sh builds this file with
 * mingw-w64 into the throwaway Wine prefix's system32, so Windows test
 * binaries can start. It never ships: the release artifacts do not contain it.
 *
 * ProcessPrng fills the buffer from RtlGenRandom (advapi32's
 * SystemFunction036), Wine's own cryptographic random source.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
	while (size > 0) {
		ULONG n = size > 0x40000000 ? 0x40000000 : (ULONG)size;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		size -= n;
	}
	return TRUE;
}
