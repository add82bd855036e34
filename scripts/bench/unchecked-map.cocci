// DMA Lint benchmark: a deliberately simple "unchecked streaming map" check for Coccinelle,
// used by scripts/bench.mjs to compare wall time and finding counts with dma/unchecked-map.
//
// Matches: an assignment `E = dma_map_single(...)` or `E = dma_map_page(...)` (E any
// lvalue: a local, a field, an array slot) after which no path to the end of the function
// calls dma_mapping_error(<anything>, E) on that same expression. It does not follow E into
// other variables, helper functions or return values, and knows no wrappers, so it both
// misses and over-reports compared with the linter; it is a speed and rough-count baseline.
// Prints "file:line:column" per match (report mode through a python rule).

@r@
expression E;
position p;
@@

E@p = \(dma_map_single\|dma_map_page\)(...);
... when != dma_mapping_error(..., E)

@script:python depends on r@
p << r.p;
@@

print("%s:%s:%s" % (p[0].file, p[0].line, int(p[0].column) + 1), flush=True)
