// Functions are expanded at each call: calls that multiply (each level
// calling the one below twice) stop with an error at the call that passes
// the limit, naming the chain of calls, instead of taking the machine's
// memory (2^17 expansions here).
// RUN: not sluice emit %s -o /dev/null 2>&1 | FileCheck %s
// CHECK: codegen-expansion-limit.sl:{{[0-9]+}}:{{[0-9]+}}: error: more than 100000 function calls to expand: functions are expanded at each call, and these calls multiply (a function that calls another twice, N levels deep, expands 2^N times); compute shared results once and pass them on
// CHECK: note: called from here
// A chain that does not multiply is fine however long.
// RUN: sluice emit %S/Inputs/long-chain.sl -o /dev/null
fn g0(x: int) -> int { return x + 1 }
fn g1(x: int) -> int { return g0(x) + g0(x) }
fn g2(x: int) -> int { return g1(x) + g1(x) }
fn g3(x: int) -> int { return g2(x) + g2(x) }
fn g4(x: int) -> int { return g3(x) + g3(x) }
fn g5(x: int) -> int { return g4(x) + g4(x) }
fn g6(x: int) -> int { return g5(x) + g5(x) }
fn g7(x: int) -> int { return g6(x) + g6(x) }
fn g8(x: int) -> int { return g7(x) + g7(x) }
fn g9(x: int) -> int { return g8(x) + g8(x) }
fn g10(x: int) -> int { return g9(x) + g9(x) }
fn g11(x: int) -> int { return g10(x) + g10(x) }
fn g12(x: int) -> int { return g11(x) + g11(x) }
fn g13(x: int) -> int { return g12(x) + g12(x) }
fn g14(x: int) -> int { return g13(x) + g13(x) }
fn g15(x: int) -> int { return g14(x) + g14(x) }
fn g16(x: int) -> int { return g15(x) + g15(x) }
fn g17(x: int) -> int { return g16(x) + g16(x) }
pipeline p { log g17(1) }
