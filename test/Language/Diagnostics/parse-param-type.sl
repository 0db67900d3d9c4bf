// RUN: not sluice check %s 2>&1 | FileCheck %s
param epochs = 5
// CHECK: parse-param-type.sl:[[@LINE-1]]:14: error: expected `:` and a type after program parameter `epochs`, found `=`
