// HLS pragmas behind a macro: they expand to real pragmas only in a synthesis build, so ordinary
// compilers see nothing and stay warning-free. C++14, <cstdint> only.
#ifndef VTASIM_HLS_PRAGMA_H
#define VTASIM_HLS_PRAGMA_H

#define VTASIM_HLS_STR(x) #x
#ifdef __SYNTHESIS__
#define VTASIM_HLS(x) _Pragma(VTASIM_HLS_STR(HLS x))
#else
#define VTASIM_HLS(x)
#endif

// Loop labels name loops in synthesis reports; ordinary builds drop them (unused-label warnings).
#ifdef __SYNTHESIS__
#define VTASIM_HLS_LABEL(name) name:
#else
#define VTASIM_HLS_LABEL(name)
#endif

// A loop over a runtime count n whose maximum is the compile-time constant max. The synthesis build
// iterates to max and leaves early (the form HLS tools accept); the simulation build iterates to n
// directly so the compiler can turn copies into memcpy and vectorise.
#ifdef __SYNTHESIS__
#define VTASIM_BOUNDED_FOR(var, n, max) \
  for (uint32_t var = 0; var < (max); ++var) \
    if (var >= (n)) break;                   \
    else
#else
#define VTASIM_BOUNDED_FOR(var, n, max) for (uint32_t var = 0; var < (n); ++var)
#endif

#endif  // VTASIM_HLS_PRAGMA_H
