// The GPU gather variants the benchmark measures, compiled by
// bench/gpu/build.sh through sluice-opt's sluice-convert-to-gpu and MLIR's
// NVVM pipeline. Every function takes memrefs from C (llvm.emit_c_interface);
// tables arrive as the memrefs that hold them, registered by the caller.

// Zero-copy, naive thread mapping.
func.func @gather_zero_copy(%t: !sluice.table<?x?xf32, host_zero_copy>, %idx: memref<?xi64>, %out: memref<?x?xf32>) attributes {llvm.emit_c_interface} {
  sluice.gather_into %t[%idx] into %out : !sluice.table<?x?xf32, host_zero_copy>, memref<?xi64>, memref<?x?xf32>
  return
}

// Zero-copy with PyTorch-Direct's rotation.
func.func @gather_zero_copy_rotate(%t: !sluice.table<?x?xf32, host_zero_copy>, %idx: memref<?xi64>, %out: memref<?x?xf32>) attributes {llvm.emit_c_interface} {
  sluice.gather_into %t[%idx] into %out aligned<rotate, 128> : !sluice.table<?x?xf32, host_zero_copy>, memref<?xi64>, memref<?x?xf32>
  return
}

// Zero-copy with DGL's shift.
func.func @gather_zero_copy_shift(%t: !sluice.table<?x?xf32, host_zero_copy>, %idx: memref<?xi64>, %out: memref<?x?xf32>) attributes {llvm.emit_c_interface} {
  sluice.gather_into %t[%idx] into %out aligned<shift, 128> : !sluice.table<?x?xf32, host_zero_copy>, memref<?xi64>, memref<?x?xf32>
  return
}

// The table already in device memory.
func.func @gather_device(%t: !sluice.table<?x?xf32, device>, %idx: memref<?xi64>, %out: memref<?x?xf32>) attributes {llvm.emit_c_interface} {
  sluice.gather_into %t[%idx] into %out : !sluice.table<?x?xf32, device>, memref<?xi64>, memref<?x?xf32>
  return
}

// A stand-in for training compute: `iterations` multiply-adds on every
// element of `work`, so that its time can be matched to a gather's. Tokens do
// not cross function boundaries (the gpu-to-llvm lowering would leak the
// stream behind one), so each function below launches it itself.
func.func @compute(%work: memref<?xf32>, %iterations: index) attributes {llvm.emit_c_interface} {
  %s = gpu.wait async
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %n = memref.dim %work, %c0 : memref<?xf32>
  %n255 = arith.addi %n, %c256 : index
  %blocks0 = arith.divui %n255, %c256 : index
  %blocks = arith.maxui %blocks0, %c1 : index
  %a = arith.constant 0.999 : f32
  %b = arith.constant 0.001 : f32
  %c = gpu.launch async [%s] blocks(%bx, %by, %bz) in (%gx = %blocks, %gy = %c1, %gz = %c1)
                   threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %base = arith.muli %bx, %sx : index
    %i = arith.addi %base, %tx : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %x0 = memref.load %work[%i] : memref<?xf32>
      %x = scf.for %k = %c0 to %iterations step %c1 iter_args(%x1 = %x0) -> f32 {
        %m = arith.mulf %x1, %a : f32
        %y = arith.addf %m, %b : f32
        scf.yield %y : f32
      }
      memref.store %x, %work[%i] : memref<?xf32>
    }
    gpu.terminator
  }
  gpu.wait [%c]
  return
}

// One batch step: the rotated zero-copy gather for the next batch and the
// compute for this one, on one stream one after the other (`serial`) or on
// two streams joined at the end (`overlapped`). This is the schedule the
// overlap pass is to produce; here it is written by hand.
func.func @step_serial(%t: !sluice.table<?x?xf32, host_zero_copy>, %idx: memref<?xi64>, %out: memref<?x?xf32>, %work: memref<?xf32>, %iterations: index) attributes {llvm.emit_c_interface} {
  %s = gpu.wait async
  %g = sluice.gather_into async [%s] %t[%idx] into %out aligned<rotate, 128> : !sluice.table<?x?xf32, host_zero_copy>, memref<?xi64>, memref<?x?xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %n = memref.dim %work, %c0 : memref<?xf32>
  %n255 = arith.addi %n, %c256 : index
  %blocks0 = arith.divui %n255, %c256 : index
  %blocks = arith.maxui %blocks0, %c1 : index
  %a = arith.constant 0.999 : f32
  %b = arith.constant 0.001 : f32
  %c = gpu.launch async [%g] blocks(%bx, %by, %bz) in (%gx = %blocks, %gy = %c1, %gz = %c1)
                   threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %base = arith.muli %bx, %sx : index
    %i = arith.addi %base, %tx : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %x0 = memref.load %work[%i] : memref<?xf32>
      %x = scf.for %k = %c0 to %iterations step %c1 iter_args(%x1 = %x0) -> f32 {
        %m = arith.mulf %x1, %a : f32
        %y = arith.addf %m, %b : f32
        scf.yield %y : f32
      }
      memref.store %x, %work[%i] : memref<?xf32>
    }
    gpu.terminator
  }
  gpu.wait [%c]
  return
}

func.func @step_overlapped(%t: !sluice.table<?x?xf32, host_zero_copy>, %idx: memref<?xi64>, %out: memref<?x?xf32>, %work: memref<?xf32>, %iterations: index) attributes {llvm.emit_c_interface} {
  %s1 = gpu.wait async
  %s2 = gpu.wait async
  %g = sluice.gather_into async [%s1] %t[%idx] into %out aligned<rotate, 128> : !sluice.table<?x?xf32, host_zero_copy>, memref<?xi64>, memref<?x?xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %n = memref.dim %work, %c0 : memref<?xf32>
  %n255 = arith.addi %n, %c256 : index
  %blocks0 = arith.divui %n255, %c256 : index
  %blocks = arith.maxui %blocks0, %c1 : index
  %a = arith.constant 0.999 : f32
  %b = arith.constant 0.001 : f32
  %c = gpu.launch async [%s2] blocks(%bx, %by, %bz) in (%gx = %blocks, %gy = %c1, %gz = %c1)
                   threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %base = arith.muli %bx, %sx : index
    %i = arith.addi %base, %tx : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %x0 = memref.load %work[%i] : memref<?xf32>
      %x = scf.for %k = %c0 to %iterations step %c1 iter_args(%x1 = %x0) -> f32 {
        %m = arith.mulf %x1, %a : f32
        %y = arith.addf %m, %b : f32
        scf.yield %y : f32
      }
      memref.store %x, %work[%i] : memref<?xf32>
    }
    gpu.terminator
  }
  gpu.wait [%g, %c]
  return
}

// A training loop: per batch, gather the batch's rows (rotated zero-copy) and
// run the compute kernel. Compiled twice by build.sh: as is (the overlap
// pass pipelines it) and with --no-overlap, under another name.
func.func @train_loop(%t: !sluice.table<?x?xf32, host_zero_copy>, %all: memref<?xi64>, %work: memref<?xf32>,
                      %iterations: index, %batch: index, %batches: index, %cols: index) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %buf = gpu.alloc host_shared (%batch, %cols) : memref<?x?xf32>
  %n = memref.dim %work, %c0 : memref<?xf32>
  %n255 = arith.addi %n, %c256 : index
  %blocks0 = arith.divui %n255, %c256 : index
  %blocks = arith.maxui %blocks0, %c1 : index
  %a = arith.constant 0.999 : f32
  %b = arith.constant 0.001 : f32
  scf.for %i = %c0 to %batches step %c1 {
    %off = arith.muli %i, %batch : index
    %idx = memref.subview %all[%off] [%batch] [1] : memref<?xi64> to memref<?xi64, strided<[1], offset: ?>>
    sluice.gather_into %t[%idx] into %buf aligned<rotate, 128> : !sluice.table<?x?xf32, host_zero_copy>, memref<?xi64, strided<[1], offset: ?>>, memref<?x?xf32>
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %blocks, %gy = %c1, %gz = %c1)
               threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
      %base = arith.muli %bx, %sx : index
      %j = arith.addi %base, %tx : index
      %inside = arith.cmpi ult, %j, %n : index
      scf.if %inside {
        %x0 = memref.load %work[%j] : memref<?xf32>
        %x = scf.for %k = %c0 to %iterations step %c1 iter_args(%x1 = %x0) -> f32 {
          %m = arith.mulf %x1, %a : f32
          %y = arith.addf %m, %b : f32
          scf.yield %y : f32
        }
        memref.store %x, %work[%j] : memref<?xf32>
      }
      gpu.terminator
    }
  }
  // Freed, so that the unified heap hands the same (GPU-resident) block to
  // the next call, as a tensor program's buffers are.
  %done = gpu.wait async
  %freed = gpu.dealloc async [%done] %buf : memref<?x?xf32>
  gpu.wait [%freed]
  return
}

// The same loop with its buffer in device memory (cuMemAlloc) rather than
// managed memory, to measure what the buffer's kind costs the pipeline.
func.func @train_loop_device(%t: !sluice.table<?x?xf32, host_zero_copy>, %all: memref<?xi64>, %work: memref<?xf32>,
                      %iterations: index, %batch: index, %batches: index, %cols: index) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %ready = gpu.wait async
  %buf, %allocated = gpu.alloc async [%ready] (%batch, %cols) : memref<?x?xf32>
  gpu.wait [%allocated]
  %n = memref.dim %work, %c0 : memref<?xf32>
  %n255 = arith.addi %n, %c256 : index
  %blocks0 = arith.divui %n255, %c256 : index
  %blocks = arith.maxui %blocks0, %c1 : index
  %a = arith.constant 0.999 : f32
  %b = arith.constant 0.001 : f32
  scf.for %i = %c0 to %batches step %c1 {
    %off = arith.muli %i, %batch : index
    %idx = memref.subview %all[%off] [%batch] [1] : memref<?xi64> to memref<?xi64, strided<[1], offset: ?>>
    sluice.gather_into %t[%idx] into %buf aligned<rotate, 128> : !sluice.table<?x?xf32, host_zero_copy>, memref<?xi64, strided<[1], offset: ?>>, memref<?x?xf32>
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %blocks, %gy = %c1, %gz = %c1)
               threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
      %base = arith.muli %bx, %sx : index
      %j = arith.addi %base, %tx : index
      %inside = arith.cmpi ult, %j, %n : index
      scf.if %inside {
        %x0 = memref.load %work[%j] : memref<?xf32>
        %x = scf.for %k = %c0 to %iterations step %c1 iter_args(%x1 = %x0) -> f32 {
          %m = arith.mulf %x1, %a : f32
          %y = arith.addf %m, %b : f32
          scf.yield %y : f32
        }
        memref.store %x, %work[%j] : memref<?xf32>
      }
      gpu.terminator
    }
  }
  %done = gpu.wait async
  %freed = gpu.dealloc async [%done] %buf : memref<?x?xf32>
  gpu.wait [%freed]
  return
}

// Probes for the training loop's per-batch cost: the same loop with only its
// compute, and with only its gather (both compiled with --no-overlap).
func.func @loop_compute_only(%work: memref<?xf32>, %iterations: index, %batches: index) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %n = memref.dim %work, %c0 : memref<?xf32>
  %n255 = arith.addi %n, %c256 : index
  %blocks0 = arith.divui %n255, %c256 : index
  %blocks = arith.maxui %blocks0, %c1 : index
  %a = arith.constant 0.999 : f32
  %b = arith.constant 0.001 : f32
  scf.for %i = %c0 to %batches step %c1 {
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %blocks, %gy = %c1, %gz = %c1)
               threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
      %base = arith.muli %bx, %sx : index
      %j = arith.addi %base, %tx : index
      %inside = arith.cmpi ult, %j, %n : index
      scf.if %inside {
        %x0 = memref.load %work[%j] : memref<?xf32>
        %x = scf.for %k = %c0 to %iterations step %c1 iter_args(%x1 = %x0) -> f32 {
          %m = arith.mulf %x1, %a : f32
          %y = arith.addf %m, %b : f32
          scf.yield %y : f32
        }
        memref.store %x, %work[%j] : memref<?xf32>
      }
      gpu.terminator
    }
  }
  return
}

func.func @loop_gather_only(%t: !sluice.table<?x?xf32, host_zero_copy>, %all: memref<?xi64>,
                            %batch: index, %batches: index, %cols: index) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %buf = gpu.alloc host_shared (%batch, %cols) : memref<?x?xf32>
  scf.for %i = %c0 to %batches step %c1 {
    %off = arith.muli %i, %batch : index
    %idx = memref.subview %all[%off] [%batch] [1] : memref<?xi64> to memref<?xi64, strided<[1], offset: ?>>
    sluice.gather_into %t[%idx] into %buf aligned<rotate, 128> : !sluice.table<?x?xf32, host_zero_copy>, memref<?xi64, strided<[1], offset: ?>>, memref<?x?xf32>
  }
  %done = gpu.wait async
  %freed = gpu.dealloc async [%done] %buf : memref<?x?xf32>
  gpu.wait [%freed]
  return
}

// The gather-only probe with its buffer in device memory, like
// @train_loop_device's: the bound that loop is compared with.
func.func @loop_gather_only_device(%t: !sluice.table<?x?xf32, host_zero_copy>, %all: memref<?xi64>,
                                   %batch: index, %batches: index, %cols: index) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %ready = gpu.wait async
  %buf, %allocated = gpu.alloc async [%ready] (%batch, %cols) : memref<?x?xf32>
  gpu.wait [%allocated]
  scf.for %i = %c0 to %batches step %c1 {
    %off = arith.muli %i, %batch : index
    %idx = memref.subview %all[%off] [%batch] [1] : memref<?xi64> to memref<?xi64, strided<[1], offset: ?>>
    sluice.gather_into %t[%idx] into %buf aligned<rotate, 128> : !sluice.table<?x?xf32, host_zero_copy>, memref<?xi64, strided<[1], offset: ?>>, memref<?x?xf32>
  }
  %done = gpu.wait async
  %freed = gpu.dealloc async [%done] %buf : memref<?x?xf32>
  gpu.wait [%freed]
  return
}
