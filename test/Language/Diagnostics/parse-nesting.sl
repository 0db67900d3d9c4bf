// Absurd nesting is an error, not a stack overflow.
// RUN: python3 -c "print('pipeline p { let a = ' + '(' * 300 + '1' + ')' * 300 + ' }')" > %t.sl
// RUN: not sluice check %t.sl 2>&1 | FileCheck %s
// CHECK: error: expression or block nested more than 200 levels deep
