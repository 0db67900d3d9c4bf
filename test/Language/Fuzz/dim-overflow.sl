// Constant dimension arithmetic that overflows int64 (UBSan in Sema::dimOf).
let n = 9223372036854775807 + 1
let m = 4611686018427387904 * 4
let k = (0 - 9223372036854775807 - 1) / (0 - 1)
let j = 0 - 9223372036854775807 - 2
let t: f32[n, m] = zeros()
// An error, so that `sluice check` exits 1 (test/Language/fuzz-regressions.test).
undefined_name = 1
