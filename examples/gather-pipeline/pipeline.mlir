// A feature gather as a pipeline writes it: a table whose placement the
// compiler decides and a batch of sampled node ids, gathered at tensor level.
// `sluice emit --stage=lowered` shows the decisions (placement, sorted
// distinct ids and the gather back, PCIe alignment); `sluice run` builds the
// program for the CPU and runs it. It checks every gathered element against
// the table and prints what it did.

func.func private @sluice_rt_print_i64(i64)
func.func private @sluice_rt_print_newline()

// Random bits: a multiplicative hash of the element's position.
func.func @fill(%table: memref<?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = memref.dim %table, %c0 : memref<?x?xf32>
  %cols = memref.dim %table, %c1 : memref<?x?xf32>
  %k = arith.constant -1640531535 : i32
  %s = arith.constant 15 : i32
  scf.for %r = %c0 to %rows step %c1 {
    scf.for %c = %c0 to %cols step %c1 {
      %rc = arith.muli %r, %cols : index
      %lin = arith.addi %rc, %c : index
      %l32 = arith.index_cast %lin : index to i32
      %h = arith.muli %l32, %k : i32
      %hs = arith.shrui %h, %s : i32
      %bits = arith.xori %h, %hs : i32
      %f = arith.bitcast %bits : i32 to f32
      memref.store %f, %table[%r, %c] : memref<?x?xf32>
    }
  }
  return
}

// Unsorted indices with repeats: (k * 7919 + 13) mod rows.
func.func @indices(%count: index, %rows: index) -> memref<?xi64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %p = arith.constant 7919 : index
  %q = arith.constant 13 : index
  %idx = memref.alloc(%count) : memref<?xi64>
  scf.for %k = %c0 to %count step %c1 {
    %a = arith.muli %k, %p : index
    %b = arith.addi %a, %q : index
    %m = arith.remui %b, %rows : index
    %v = arith.index_cast %m : index to i64
    memref.store %v, %idx[%k] : memref<?xi64>
  }
  return %idx : memref<?xi64>
}

// Counts elements of `out` whose bits differ from table[idx[k], c].
func.func @mismatches(%table: memref<?x?xf32>, %idx: memref<?xi64>, %out: memref<?x?xf32>) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %count = memref.dim %idx, %c0 : memref<?xi64>
  %cols = memref.dim %table, %c1 : memref<?x?xf32>
  %bad = scf.for %k = %c0 to %count step %c1 iter_args(%acc = %zero) -> i64 {
    %raw = memref.load %idx[%k] : memref<?xi64>
    %row = arith.index_cast %raw : i64 to index
    %inner = scf.for %c = %c0 to %cols step %c1 iter_args(%acc2 = %acc) -> i64 {
      %want = memref.load %table[%row, %c] : memref<?x?xf32>
      %got = memref.load %out[%k, %c] : memref<?x?xf32>
      %wb = arith.bitcast %want : f32 to i32
      %gb = arith.bitcast %got : f32 to i32
      %ne = arith.cmpi ne, %wb, %gb : i32
      %inc = arith.select %ne, %one, %zero : i64
      %next = arith.addi %acc2, %inc : i64
      scf.yield %next : i64
    }
    scf.yield %inner : i64
  }
  return %bad : i64
}

func.func @main() -> i32 {
  %rows = arith.constant 200000 : index
  %batch = arith.constant 65536 : index
  // 200,000 nodes x 100 f32 features: 80 MB of host memory.
  %features = memref.alloc(%rows) : memref<?x100xf32>
  %all = memref.cast %features : memref<?x100xf32> to memref<?x?xf32>
  func.call @fill(%all) : (memref<?x?xf32>) -> ()
  %sampled = func.call @indices(%batch, %rows) : (index, index) -> memref<?xi64>
  %ids = bufferization.to_tensor %sampled restrict : memref<?xi64> to tensor<?xi64>

  %table = sluice.make_table %features : memref<?x100xf32> -> !sluice.table<?x100xf32, auto>
  %x = sluice.gather %table[%ids] : !sluice.table<?x100xf32, auto>, tensor<?xi64> -> tensor<?x100xf32>

  %gathered = bufferization.to_buffer %x : tensor<?x100xf32> to memref<?x100xf32>
  %check = memref.cast %gathered : memref<?x100xf32> to memref<?x?xf32>
  %bad = func.call @mismatches(%all, %sampled, %check) : (memref<?x?xf32>, memref<?xi64>, memref<?x?xf32>) -> i64
  %n = arith.index_cast %batch : index to i64
  %r = arith.index_cast %rows : index to i64
  // "<rows gathered> <table rows> <mismatches>"
  func.call @sluice_rt_print_i64(%n) : (i64) -> ()
  func.call @sluice_rt_print_i64(%r) : (i64) -> ()
  func.call @sluice_rt_print_i64(%bad) : (i64) -> ()
  func.call @sluice_rt_print_newline() : () -> ()
  %ok = arith.constant 0 : i32
  return %ok : i32
}
