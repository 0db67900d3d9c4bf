// sluice-convert-program-to-runtime: parameters become flags parsed at the
// top of main, reads and logs become runtime calls.
// RUN: sluice-opt %s -sluice-convert-program-to-runtime -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-NOT: sluice.param
// CHECK-DAG: memref.global "private" constant @[[EPOCHS:__sluice_str_[0-9]+]] : memref<7xi8> = dense<[101, 112, 111, 99, 104, 115, 0]>
// CHECK-DAG: func.func private @sluice_rt_declare_param(index, i32, i32, i64, f64, index)
// CHECK-DAG: func.func private @sluice_rt_parse_args(i32, !llvm.ptr)
// CHECK-DAG: func.func private @sluice_rt_param_i64(index) -> i64
// CHECK-DAG: func.func private @sluice_rt_param_f64(index) -> f64
// CHECK-DAG: func.func private @sluice_rt_log_f64(index, f64)
// CHECK-DAG: func.func private @sluice_rt_log_i64(index, i64)
sluice.param @epochs : i64 = 5 doc "passes"
sluice.param @lr : f32 = 5.000000e-01
sluice.param @verbose : i1 = true
sluice.param @seed : i64

// CHECK-LABEL: func.func @train()
func.func @train() {
  // CHECK: %[[E:.*]] = call @sluice_rt_param_i64(%{{.*}}) : (index) -> i64
  %e = sluice.param_value @epochs : i64
  // CHECK: %[[LR64:.*]] = call @sluice_rt_param_f64(%{{.*}}) : (index) -> f64
  // CHECK: %[[LR:.*]] = arith.truncf %[[LR64]] : f64 to f32
  %lr = sluice.param_value @lr : f32
  // CHECK: %[[V64:.*]] = call @sluice_rt_param_i64(%{{.*}}) : (index) -> i64
  // CHECK: %[[V:.*]] = arith.cmpi ne, %[[V64]], %c0_i64 : i64
  %v = sluice.param_value @verbose : i1
  // CHECK: call @sluice_rt_log_i64(%{{.*}}, %[[E]]) : (index, i64) -> ()
  sluice.log "epochs" %e : i64
  // CHECK: %[[LRX:.*]] = arith.extf %[[LR]] : f32 to f64
  // CHECK: call @sluice_rt_log_f64(%{{.*}}, %[[LRX]]) : (index, f64) -> ()
  sluice.log "lr" %lr : f32
  // CHECK: %[[VX:.*]] = arith.extui %[[V]] : i1 to i64
  // CHECK: call @sluice_rt_log_i64(%{{.*}}, %[[VX]])
  sluice.log "verbose" %v : i1
  // A 0-d tensor is logged as its element.
  %t = arith.constant dense<2.5> : tensor<f32>
  // CHECK: %[[T:.*]] = tensor.extract %{{.*}}[] : tensor<f32>
  // CHECK: %[[TX:.*]] = arith.extf %[[T]] : f32 to f64
  // CHECK: call @sluice_rt_log_f64(%{{.*}}, %[[TX]])
  sluice.log "t" %t : tensor<f32>
  return
}

// main gets the command line; every parameter is declared, in order, with
// its kind (0 int, 1 f64, 2 bool, 3 f32), whether it has a default, the default,
// and its doc (0 when none); then the flags are parsed.
// CHECK: func.func @main(%[[ARGC:.*]]: i32, %[[ARGV:.*]]: !llvm.ptr) -> i32
// CHECK: %[[N1:.*]] = memref.get_global @[[EPOCHS]]
// CHECK: call @sluice_rt_declare_param(%{{.*}}, %c0_i32, %c1_i32, %c5_i64, %cst, %{{.*}})
// CHECK: %[[HALF:.*]] = arith.constant 5.000000e-01 : f64
// CHECK: call @sluice_rt_declare_param(%{{.*}}, %c3_i32{{(_[0-9]+)?}}, %c1_i32{{(_[0-9]+)?}}, %c0_i64{{(_[0-9]+)?}}, %[[HALF]], %c0{{(_[0-9]+)?}})
// CHECK: call @sluice_rt_declare_param(%{{.*}}, %c2_i32{{(_[0-9]+)?}}, %c1_i32{{(_[0-9]+)?}}, %c1_i64{{(_[0-9]+)?}}, %cst{{(_[0-9]+)?}}, %c0{{(_[0-9]+)?}})
// CHECK: call @sluice_rt_declare_param(%{{.*}}, %c0_i32{{(_[0-9]+)?}}, %c0_i32{{(_[0-9]+)?}}, %c0_i64{{(_[0-9]+)?}}, %cst{{(_[0-9]+)?}}, %c0{{(_[0-9]+)?}})
// CHECK: call @sluice_rt_parse_args(%[[ARGC]], %[[ARGV]]) : (i32, !llvm.ptr) -> ()
// CHECK: call @train()
func.func @main() -> i32 {
  call @train() : () -> ()
  %c0 = arith.constant 0 : i32
  return %c0 : i32
}

// -----

// Nothing to do without parameters or logs.
// CHECK-LABEL: func.func @main() -> i32
// CHECK-NOT: sluice_rt
// CHECK: return
func.func @main() -> i32 {
  %c0 = arith.constant 0 : i32
  return %c0 : i32
}

// -----

// An [int] parameter is declared with its default as text; reading it fills
// a fresh buffer of the flag's length. The default's text, "15,10":
// CHECK: memref.global "private" constant @{{.*}} : memref<6xi8> = dense<[49, 53, 44, 49, 48, 0]>
// CHECK-LABEL: func.func @read_fanout
// CHECK: %[[N:.*]] = call @sluice_rt_param_list_size(%[[NAME:.*]]) : (index) -> i64
// CHECK: %[[LEN:.*]] = arith.index_cast %[[N]] : i64 to index
// CHECK: %[[BUF:.*]] = memref.alloc(%[[LEN]]) : memref<?xi64>
// CHECK: %[[P:.*]] = memref.extract_aligned_pointer_as_index %[[BUF]]
// CHECK: call @sluice_rt_param_list_copy(%[[NAME]], %[[P]])
// CHECK: bufferization.to_tensor %[[BUF]] restrict writable : memref<?xi64> to tensor<?xi64>
// CHECK: func.func @main
// CHECK: call @sluice_rt_declare_list_param(%{{.*}}, %{{.*}}, %{{.*}}) : (index, index, index) -> ()
sluice.param @fanout : tensor<?xi64> = dense<[15, 10]> : tensor<2xi64>
func.func @read_fanout() -> tensor<?xi64> {
  %f = sluice.param_value @fanout : tensor<?xi64>
  return %f : tensor<?xi64>
}
func.func @main() -> i32 {
  %c0 = arith.constant 0 : i32
  return %c0 : i32
}

// -----

// expected-error @below {{parameter @scales of type 'tensor<?xf32>' cannot be a command-line flag yet (only int, float, bool, str and [int] parameters are)}}
sluice.param @scales : tensor<?xf32> = dense<[1.0, 2.0]> : tensor<2xf32>
func.func @main() -> i32 {
  %c0 = arith.constant 0 : i32
  return %c0 : i32
}

// -----

// A str parameter is declared with its text; reading it gives the text's
// address, cast back to !sluice.str for the ops that take it.
// CHECK-LABEL: func.func @read_path
// CHECK: %[[A:.*]] = call @sluice_rt_param_str(%{{.*}}) : (index) -> index
// CHECK: %[[S:.*]] = builtin.unrealized_conversion_cast %[[A]] : index to !sluice.str
// CHECK: sluice.load_dataset %[[S]]
// CHECK: func.func @main
// CHECK: call @sluice_rt_declare_str_param(%{{.*}}, %{{.*}}, %{{.*}}) : (index, index, index) -> ()
sluice.param @data : !sluice.str = "builtin:blobs"
func.func @read_path() -> !sluice.dataset {
  %s = sluice.param_value @data : !sluice.str
  %d = sluice.load_dataset %s : !sluice.dataset
  return %d : !sluice.dataset
}
func.func @main() -> i32 {
  %c0 = arith.constant 0 : i32
  return %c0 : i32
}

// -----

sluice.param @n : i64 = 1
// expected-error @below {{a program with parameters or logs needs `main() -> i32` to give it the command line, but main is '(i32) -> i32'}}
func.func @main(%x: i32) -> i32 {
  return %x : i32
}

// -----

// A log inside loops passes each enclosing loop's position, (iv - lb) /
// step, and trip count, ceildiv(ub - lb, step), outermost first, padded to
// three loops with zeros.
// CHECK-LABEL: func.func @in_loops
// CHECK-SAME: (%[[N:.*]]: index, %[[V:.*]]: f32)
// CHECK: scf.for %[[I:.*]] = %[[LB:.*]] to %[[N]] step %[[S:.*]] {
// CHECK:   scf.for %[[J:.*]] =
// CHECK:     %[[DEPTH:.*]] = arith.constant 2 : i64
// CHECK:     %[[IV:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK:     %[[OFF:.*]] = arith.subi %[[IV]], %{{.*}} : i64
// CHECK:     %[[POS:.*]] = arith.divsi %[[OFF]], %{{.*}} : i64
// CHECK:     %[[UB:.*]] = arith.index_cast %[[N]] : index to i64
// CHECK:     %[[SPAN:.*]] = arith.subi %[[UB]], %{{.*}} : i64
// CHECK:     %[[COUNT:.*]] = arith.ceildivsi %[[SPAN]], %{{.*}} : i64
// CHECK:     %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK:     call @sluice_rt_log_f64_in(%{{.*}}, %{{.*}}, %[[DEPTH]], %[[POS]], %[[COUNT]], %{{.*}}, %{{.*}}, %[[ZERO]], %[[ZERO]]) : (index, f64, i64, i64, i64, i64, i64, i64, i64) -> ()
func.func @in_loops(%n: index, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c7 = arith.constant 7 : index
  scf.for %i = %c0 to %n step %c1 {
    scf.for %j = %c1 to %c7 step %c2 {
      sluice.log "loss" %v : f32
    }
  }
  return
}
func.func @main() -> i32 {
  %c0 = arith.constant 0 : i32
  return %c0 : i32
}

// -----

// A module without main (a library) only has its reads lowered.
// CHECK-LABEL: func.func @read
// CHECK: call @sluice_rt_param_i64
// CHECK-NOT: sluice_rt_parse_args
sluice.param @n : i64 = 1
func.func @read() -> i64 {
  %n = sluice.param_value @n : i64
  return %n : i64
}
