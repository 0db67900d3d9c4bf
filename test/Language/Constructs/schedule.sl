// A schedule places tables and sets the transfer passes; without one the
// placement pass decides (NO-SCHEDULE): a table of unknown size is read
// zero-copy, with PCIe-aligned requests.
// RUN: sluice emit %s | FileCheck %s
// RUN: sluice emit --target=cuda --stage=lowered %s | FileCheck %s --check-prefix=LOWERED
// `sort gather indices` acts on CUDA builds only (like `overlap gather`).
// RUN: sluice emit --stage=lowered %s | FileCheck %s --check-prefix=CPU
// CPU-NOT: sluice.sort_unique
// CPU: sluice.gather {{.*}} : !sluice.table<?x?xf32, host_staged>
// CPU-NOT: sluice.sort_unique
// RUN: sed -e '/^schedule/,$d' %s > %t.sl
// RUN: sluice emit --stage=lowered %t.sl | FileCheck %s --check-prefix=NO-SCHEDULE
let G = load_graph("builtin:sbm")
pipeline train {
  for seeds in batches(G.train, 64) {
    log s: sum(G.features[seeds])
  }
}
// CHECK: sluice.field %{{.*}}["features"] : !sluice.graph -> !sluice.table<?x?xf32, host_staged>
// LOWERED: sluice.sort_unique
// LOWERED: sluice.gather {{.*}} : !sluice.table<?x?xf32, host_staged>
// NO-SCHEDULE-NOT: sluice.sort_unique
// NO-SCHEDULE: sluice.gather %{{.*}}[%{{.*}}] aligned<rotate, 128> : !sluice.table<?x?xf32, host_zero_copy>
schedule train {
  place G.features in host staged
  sort gather indices
}
