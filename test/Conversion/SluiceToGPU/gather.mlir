// sluice-convert-to-gpu: tables become memrefs, gathers become gpu.launch
// kernels with the thread mapping, vector width, thread cap and alignment
// arithmetic the pass documents.
// RUN: sluice-opt %s -sluice-convert-to-gpu -canonicalize -cse -split-input-file | FileCheck %s
// RUN: sluice-opt %s -sluice-convert-to-gpu="max-threads=2560 block-size=128" -canonicalize -cse -split-input-file | FileCheck %s --check-prefix=OPTS

// 400-byte rows: 25 vectors of 4 x f32 per row; 10240 threads / 256 = 40
// blocks at most; the rotation works in 16-byte units modulo 128 bytes.
// CHECK-LABEL: func.func @rotate
// CHECK-SAME: (%[[T:[^:]*]]: memref<?x100xf32>, %[[I:[^:]*]]: memref<?xi64>, %[[O:[^:]*]]: memref<?x100xf32>)
// CHECK-DAG: %[[C25:.*]] = arith.constant 25 : index
// CHECK-DAG: %[[C400:.*]] = arith.constant 400 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C128:.*]] = arith.constant 128 : index
// CHECK-DAG: %[[C40:.*]] = arith.constant 40 : index
// CHECK-DAG: %[[C256:.*]] = arith.constant 256 : index
// CHECK-DAG: %[[N:.*]] = memref.dim %[[I]]
// CHECK-DAG: %[[ROWS:.*]] = memref.dim %[[T]]
// CHECK-DAG: %[[TBASE:.*]] = memref.extract_aligned_pointer_as_index %[[T]]
// CHECK-DAG: %[[OBASE:.*]] = memref.extract_aligned_pointer_as_index %[[O]]
// CHECK: %[[UNITS:.*]] = arith.muli %[[N]], %[[C25]]
// CHECK: %[[WANT:.*]] = arith.divui %{{.*}}, %[[C256]]
// CHECK: %[[CAPPED:.*]] = arith.minui %[[WANT]], %[[C40]]
// CHECK: %[[BLOCKS:.*]] = arith.maxui %[[CAPPED]]
// CHECK: gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%[[GX:.*]] = %[[BLOCKS]], {{.*}} threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%[[SX:.*]] = %[[C256]],
// CHECK: scf.for %[[U:.*]] = %{{.*}} to %[[UNITS]] step
// CHECK: %[[OUTROW:.*]] = arith.divui %[[U]], %[[C25]]
// CHECK: %[[UNIT:.*]] = arith.remui %[[U]], %[[C25]]
// CHECK: %[[RAW:.*]] = memref.load %[[I]][%[[OUTROW]]]
// CHECK: %[[ROW:.*]] = arith.index_cast %[[RAW]] : i64 to index
// CHECK: arith.cmpi slt, %[[ROW]], %[[ROWS]]
// CHECK: arith.cmpi sge, %[[ROW]]
// CHECK: scf.if
// CHECK: %[[OUTADDR:.*]] = arith.addi %[[OBASE]], %{{.*}}
// CHECK: %[[INADDR:.*]] = arith.addi %[[TBASE]], %{{.*}}
// CHECK: %[[DIFF:.*]] = arith.subi %[[OUTADDR]], %[[INADDR]]
// CHECK: %[[MOD:.*]] = arith.remsi %[[DIFF]], %[[C128]]
// CHECK: %[[SHIFTU:.*]] = arith.divsi %[[MOD]], %[[C16]]
// CHECK: arith.addi %[[UNIT]], %[[SHIFTU]]
// CHECK: arith.select
// CHECK: %[[WRAPPED:.*]] = arith.select
// CHECK: %[[COL:.*]] = arith.muli %[[WRAPPED]], %{{.*}}
// CHECK: %[[V:.*]] = vector.load %[[T]][%[[ROW]], %[[COL]]] {alignment = 16 : i64} : memref<?x100xf32>, vector<4xf32>
// CHECK: vector.store %[[V]], %[[O]][%[[OUTROW]], %[[COL]]] {alignment = 16 : i64}
// A bad index is skipped and recorded in the runtime's error slot: position
// + 1, the index, the table's rows and the gather's location.
// CHECK: } else {
// CHECK: %[[SLOT:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr
// CHECK: %[[POS:.*]] = arith.addi %[[OUTROW]], %c1
// CHECK: %[[POS64:.*]] = arith.index_cast %[[POS]] : index to i64
// CHECK: %[[ROWS64:.*]] = arith.index_cast %[[ROWS]] : index to i64
// CHECK: %[[WHERE64:.*]] = arith.index_cast %[[WHERE:.*]] : index to i64
// CHECK: llvm.store %[[POS64]], %{{.*}} {alignment = 8 : i64} : i64, !llvm.ptr
// CHECK: %[[F1:.*]] = llvm.getelementptr %[[SLOT]][1] : (!llvm.ptr) -> !llvm.ptr, i64
// The index as loaded (the casts to index and back fold away).
// CHECK: llvm.store %[[RAW]], %[[F1]]
// CHECK: %[[F2:.*]] = llvm.getelementptr %[[SLOT]][2]
// CHECK: llvm.store %[[ROWS64]], %[[F2]]
// CHECK: %[[F3:.*]] = llvm.getelementptr %[[SLOT]][3]
// CHECK: llvm.store %[[WHERE64]], %[[F3]]
// CHECK: gpu.terminator
// After the launch, the host checks the slot.
// CHECK: call @sluice_rt_check_gather_errors()
// OPTS-LABEL: func.func @rotate
// OPTS-DAG: arith.constant 20 : index
// OPTS-DAG: arith.constant 128 : index
// OPTS: arith.minui %{{.*}}, %c20
func.func @rotate(%t: !sluice.table<?x100xf32, host_zero_copy>, %idx: memref<?xi64>, %out: memref<?x100xf32>) {
  sluice.gather_into %t[%idx] into %out aligned<rotate, 128> : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
  return
}

// -----

// Without alignment the column is the thread's own; 12-byte rows allow no
// vector wider than one element.
// CHECK-LABEL: func.func @naive_scalar
// CHECK-NOT: arith.remsi
// CHECK: %[[X:.*]] = memref.load %{{.*}}[%{{.*}}, %{{.*}}] : memref<?x3xf32>
// CHECK: memref.store %[[X]], %{{.*}}[%{{.*}}, %{{.*}}] : memref<?x3xf32>
// CHECK-NOT: vector.load
func.func @naive_scalar(%t: !sluice.table<?x3xf32, host_zero_copy>, %idx: memref<?xi64>, %out: memref<?x3xf32>) {
  sluice.gather_into %t[%idx] into %out : !sluice.table<?x3xf32, host_zero_copy>, memref<?xi64>, memref<?x3xf32>
  return
}

// -----

// 8-byte rows: two-element vectors aligned to 8 bytes.
// CHECK-LABEL: func.func @two_wide
// CHECK: vector.load %{{.*}} {alignment = 8 : i64} : memref<?x2xf32>, vector<2xf32>
func.func @two_wide(%t: !sluice.table<?x2xf32, device>, %idx: memref<?xi64>, %out: memref<?x2xf32>) {
  sluice.gather_into %t[%idx] into %out : !sluice.table<?x2xf32, device>, memref<?xi64>, memref<?x2xf32>
  return
}

// -----

// Device-resident tables have no link to share: no thread cap.
// CHECK-LABEL: func.func @device_uncapped
// CHECK-NOT: arith.minui %{{.*}}, %c40
// CHECK: arith.constant 2147483647 : index
// CHECK: gpu.launch
func.func @device_uncapped(%t: !sluice.table<?x100xf32, device>, %idx: memref<?xi64>, %out: memref<?x100xf32>) {
  sluice.gather_into %t[%idx] into %out : !sluice.table<?x100xf32, device>, memref<?xi64>, memref<?x100xf32>
  return
}

// -----

// Shift: a warp per row (32 x 8 threads, 8 rows a block), lanes start
// (in_row mod 128) / 16 units early and skip negative columns.
// CHECK-LABEL: func.func @shift
// CHECK: gpu.launch async [%{{.*}}] blocks({{.*}}) threads(%[[TX:.*]], %[[TY:.*]], %{{.*}}) in (%[[SX:.*]] = %c32{{.*}}, %[[SY:.*]] = %c8{{.*}},
// CHECK: scf.for %[[OUTROW:.*]] = %{{.*}} to %{{.*}} step
// CHECK: %[[MOD:.*]] = arith.remui %{{.*}}, %c128
// CHECK: %[[SHIFTU:.*]] = arith.divui %[[MOD]], %c16
// CHECK: %[[START:.*]] = arith.subi %[[TX]], %[[SHIFTU]]
// CHECK: scf.for %[[UNIT:.*]] = %[[START]] to %{{.*}} step %[[SX]]
// CHECK: arith.cmpi sge, %[[UNIT]], %c0
// CHECK: vector.load
func.func @shift(%t: !sluice.table<?x64xf32, host_zero_copy>, %idx: memref<?xi64>, %out: memref<?x64xf32>, %dep: !gpu.async.token) -> !gpu.async.token {
  %done = sluice.gather_into async [%dep] %t[%idx] into %out aligned<shift, 128> : !sluice.table<?x64xf32, host_zero_copy>, memref<?xi64>, memref<?x64xf32>
  return %done : !gpu.async.token
}

// -----

// A dynamic row size decides the vector width and the rotation at run time.
// CHECK-LABEL: func.func @dynamic_row
// CHECK: %[[VEC:.*]] = arith.cmpi eq, %{{.*}}, %c0
// CHECK: gpu.launch
// CHECK: scf.if %[[VEC]] {
// CHECK: arith.cmpi ugt, %{{.*}}, %c128
// CHECK: vector.load
// CHECK: } else {
// CHECK: memref.load %{{.*}}[%{{.*}}, %{{.*}}] : memref<?x?xf32>
func.func @dynamic_row(%t: !sluice.table<?x?xf32, host_zero_copy>, %idx: memref<?xi64>, %out: memref<?x?xf32>) {
  sluice.gather_into %t[%idx] into %out aligned<rotate, 128> : !sluice.table<?x?xf32, host_zero_copy>, memref<?xi64>, memref<?x?xf32>
  return
}

// -----

// Rows of more than one dimension are gathered as flat rows; index-typed
// indices need no cast.
// CHECK-LABEL: func.func @matrix_rows
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : memref<?x4x8xf32> into memref<?x32xf32>
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : memref<?x4x8xf32> into memref<?x32xf32>
// CHECK-NOT: arith.index_cast {{.*}} : i64 to index
func.func @matrix_rows(%t: !sluice.table<?x4x8xf32, device>, %idx: memref<?xindex>, %out: memref<?x4x8xf32>) {
  sluice.gather_into %t[%idx] into %out : !sluice.table<?x4x8xf32, device>, memref<?xindex>, memref<?x4x8xf32>
  return
}

// -----

// Scalar rows (a table of labels) get a column dimension of 1.
// CHECK-LABEL: func.func @scalar_rows
// CHECK: memref.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [%{{.*}}, 1] : memref<?xi32> into memref<?x1xi32>
func.func @scalar_rows(%t: !sluice.table<?xi32, device>, %idx: memref<?xi64>, %out: memref<?xi32>) {
  sluice.gather_into %t[%idx] into %out : !sluice.table<?xi32, device>, memref<?xi64>, memref<?xi32>
  return
}

// -----

// make_table: zero-copy tables are page-locked and mapped once; device
// tables are copied to device memory once.
// CHECK-LABEL: func.func @make_tables
// CHECK-SAME: (%[[H:[^:]*]]: memref<?x16xf32>, %[[D:[^:]*]]: memref<?x16xf32>
// CHECK: %[[U:.*]] = memref.cast %[[H]] : memref<?x16xf32> to memref<*xf32>
// CHECK: gpu.host_register %[[U]] : memref<*xf32>
// CHECK: %[[S:.*]] = gpu.wait async
// CHECK: %[[DEV:.*]], %[[A:.*]] = gpu.alloc async [%[[S]]] (%{{.*}}) : memref<?x16xf32>
// CHECK: %[[C:.*]] = gpu.memcpy async [%[[A]]] %[[DEV]], %[[D]] : memref<?x16xf32>, memref<?x16xf32>
// CHECK: gpu.wait [%[[C]]]
// CHECK: vector.load %[[H]]
// CHECK: vector.load %[[DEV]]
func.func @make_tables(%h: memref<?x16xf32>, %d: memref<?x16xf32>, %idx: memref<?xi64>, %out: memref<?x16xf32>) {
  %zc = sluice.make_table %h : memref<?x16xf32> -> !sluice.table<?x16xf32, host_zero_copy>
  %dev = sluice.make_table %d : memref<?x16xf32> -> !sluice.table<?x16xf32, device>
  sluice.gather_into %zc[%idx] into %out : !sluice.table<?x16xf32, host_zero_copy>, memref<?xi64>, memref<?x16xf32>
  sluice.gather_into %dev[%idx] into %out : !sluice.table<?x16xf32, device>, memref<?xi64>, memref<?x16xf32>
  return
}

// -----

// Streams become runtime calls; a gather on a stream launches on it.
// CHECK-DAG: llvm.func @sluice_rt_stream_create() -> !llvm.ptr
// CHECK-DAG: llvm.func @sluice_rt_stream_sync(!llvm.ptr)
// CHECK-DAG: llvm.func @sluice_rt_stream_destroy(!llvm.ptr)
// CHECK-LABEL: func.func @on_stream
// CHECK: %[[S:.*]] = llvm.call @sluice_rt_stream_create() : () -> !llvm.ptr
// CHECK: %[[TOK:.*]] = builtin.unrealized_conversion_cast %[[S]] : !llvm.ptr to !gpu.async.token
// CHECK: gpu.launch async [%[[TOK]]]
// CHECK: llvm.call @sluice_rt_stream_sync(%[[S]])
// CHECK: llvm.call @sluice_rt_stream_destroy(%[[S]])
func.func @on_stream(%t: !sluice.table<?x64xf32, host_zero_copy>, %idx: memref<?xi64>, %out: memref<?x64xf32>) {
  %s = sluice.stream_create : !sluice.stream
  sluice.gather_into on %s %t[%idx] into %out : !sluice.table<?x64xf32, host_zero_copy>, memref<?xi64>, memref<?x64xf32>
  sluice.stream_sync %s : !sluice.stream
  sluice.stream_destroy %s : !sluice.stream
  return
}

// -----

// A staged table is gathered by CPU threads into a pinned buffer and copied:
// a runtime call, no kernel, and no registration of the table.
// CHECK-LABEL: func.func @staged
// CHECK-SAME: (%[[B:[^:]*]]: memref<?x100xf32>, %[[I:[^:]*]]: memref<?xi64>, %[[O:[^:]*]]: memref<?x100xf32>)
// CHECK-NOT: gpu.host_register
// CHECK-NOT: gpu.launch
// CHECK-DAG: %[[TP:.*]] = memref.extract_aligned_pointer_as_index %[[B]]
// CHECK-DAG: %[[OP:.*]] = memref.extract_aligned_pointer_as_index %[[O]]
// CHECK: call @sluice_rt_staged_gather(%[[TP]], %{{.*}}, %c400, %{{.*}}, %{{.*}}, %[[OP]], %{{.*}})
func.func @staged(%b: memref<?x100xf32>, %idx: memref<?xi64>, %out: memref<?x100xf32>) {
  %t = sluice.make_table %b : memref<?x100xf32> -> !sluice.table<?x100xf32, host_staged>
  sluice.gather_into %t[%idx] into %out : !sluice.table<?x100xf32, host_staged>, memref<?xi64>, memref<?x100xf32>
  return
}
