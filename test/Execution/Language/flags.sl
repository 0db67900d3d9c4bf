// A program's parameters are its flags: defaults, both flag forms, --help,
// and every kind of bad value stopping the program (exit status 2) before it
// runs.
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s --check-prefix=DEFAULTS
// DEFAULTS: steps: 3
// DEFAULTS-NEXT: rate: 0.25
// DEFAULTS-NEXT: verbose: 0
// DEFAULTS-NEXT: result: 0.421875
// RUN: %t --steps 5 --rate=0.5 --verbose | FileCheck %s --check-prefix=GIVEN
// GIVEN: steps: 5
// GIVEN-NEXT: rate: 0.5
// GIVEN-NEXT: verbose: 1
// (1 - 0.5)^5 = 0.03125
// GIVEN-NEXT: result: 0.03125
// RUN: %t --help | FileCheck %s --check-prefix=HELP
// RUN: %t -h | FileCheck %s --check-prefix=HELP
// HELP: USAGE: flags.sl.tmp [--name value]...
// HELP: PARAMETERS:
// HELP-NEXT: --steps <int>  (default 3)
// HELP-NEXT: --rate <float>  (default 0.25)
// HELP-NEXT: --verbose <bool>  (default false)
// RUN: not %t --steps many 2>&1 | FileCheck %s --check-prefix=BAD-INT
// BAD-INT: error: --steps expects an integer, not 'many'
// RUN: not %t --steps 1 --rat 0.1 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: error: unknown parameter --rat; the parameters are --steps, --rate, --verbose
// UNKNOWN-NOT: steps:
// RUN: %t --rate 1e400 > /dev/null 2>&1; test $? -eq 2
// An f32 parameter takes only values an f32 holds.
// RUN: not %t --rate 1e39 2>&1 | FileCheck %s --check-prefix=F32
// F32: error: --rate expects a finite number that fits in f32, not '1e39'
// RUN: %t extra > /dev/null 2>&1; test $? -eq 2
param steps: int = 3
param rate: f32 = 0.25
param verbose: bool = false

pipeline p {
  log steps
  log rate
  log verbose: int(verbose)
  var value = 1.0
  for i in 0..steps {
    value = value * (1.0 - rate)
  }
  log result: value
}
