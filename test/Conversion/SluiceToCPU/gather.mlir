// sluice-convert-to-cpu: gathers become libsluice_rt calls that carry the
// gather's source location for their error message.
// RUN: sluice-opt %s -sluice-convert-to-cpu -canonicalize | FileCheck %s

// "pipe.sl:12:15" and a NUL: the location of the first gather below.
// CHECK-DAG: memref.global "private" constant @__sluice_str_0 : memref<14xi8> = dense<[112, 105, 112, 101, 46, 115, 108, 58, 49, 50, 58, 49, 53, 0]>
// CHECK-DAG: func.func private @sluice_rt_cpu_gather(index, index, index, index, index, index, index)

// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[T:[^:]*]]: memref<?x100xf32>, %[[I:[^:]*]]: memref<?xi64>, %[[O:[^:]*]]: memref<?x100xf32>)
// CHECK-DAG: %[[C400:.*]] = arith.constant 400 : index
// CHECK-DAG: %[[TP:.*]] = memref.extract_aligned_pointer_as_index %[[T]]
// CHECK-DAG: %[[ROWS:.*]] = memref.dim %[[T]]
// CHECK-DAG: %[[IP:.*]] = memref.extract_aligned_pointer_as_index %[[I]]
// CHECK-DAG: %[[N:.*]] = memref.dim %[[I]]
// CHECK-DAG: %[[OP:.*]] = memref.extract_aligned_pointer_as_index %[[O]]
// CHECK-DAG: %[[W:.*]] = memref.get_global @__sluice_str_0
// CHECK-DAG: %[[WP:.*]] = memref.extract_aligned_pointer_as_index %[[W]]
// CHECK: call @sluice_rt_cpu_gather(%[[TP]], %[[ROWS]], %[[C400]], %[[IP]], %[[N]], %[[OP]], %[[WP]])
func.func @gather(%t: !sluice.table<?x100xf32, host_zero_copy>, %idx: memref<?xi64>, %out: memref<?x100xf32>) {
  sluice.gather_into %t[%idx] into %out : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32> loc("pipe.sl":12:15)
  return
}

// The row size of a dynamic row shape is computed at run time; every
// placement is plain host memory on the CPU.
// CHECK-LABEL: func.func @dynamic_rows
// CHECK-SAME: (%[[B:[^:]*]]: memref<?x?x2xf16>
// CHECK: %[[C:.*]] = memref.dim %[[B]], %c1
// CHECK: %[[R:.*]] = arith.muli %[[C]], %c4
// CHECK: call @sluice_rt_cpu_gather(%{{.*}}, %{{.*}}, %[[R]],
func.func @dynamic_rows(%b: memref<?x?x2xf16>, %idx: memref<?xindex>, %out: memref<?x?x2xf16>) {
  %t = sluice.make_table %b : memref<?x?x2xf16> -> !sluice.table<?x?x2xf16, device>
  sluice.gather_into %t[%idx] into %out : !sluice.table<?x?x2xf16, device>, memref<?xindex>, memref<?x?x2xf16>
  return
}

// Sorting happens in the runtime, on the host.
// CHECK-LABEL: func.func @sort
// CHECK-SAME: (%[[I:[^:]*]]: memref<?xi64>, %[[U:[^:]*]]: memref<?xi64>, %[[INV:[^:]*]]: memref<?xindex>)
// CHECK-DAG: %[[IP:.*]] = memref.extract_aligned_pointer_as_index %[[I]]
// CHECK-DAG: %[[N:.*]] = memref.dim %[[I]]
// CHECK-DAG: %[[UP:.*]] = memref.extract_aligned_pointer_as_index %[[U]]
// CHECK-DAG: %[[VP:.*]] = memref.extract_aligned_pointer_as_index %[[INV]]
// CHECK: %[[COUNT:.*]] = call @sluice_rt_sort_unique(%[[IP]], %[[N]], %[[UP]], %[[VP]]) : (index, index, index, index) -> index
// CHECK: return %[[COUNT]]
func.func @sort(%i: memref<?xi64>, %u: memref<?xi64>, %inv: memref<?xindex>) -> index {
  %n = sluice.sort_unique_into %i into %u, %inv : memref<?xi64>, memref<?xi64>, memref<?xindex> -> index
  return %n : index
}
