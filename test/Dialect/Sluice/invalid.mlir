// Every verifier rule of the sluice dialect's ops, types and attributes
// rejects a malformed use with its own message.
// RUN: sluice-opt %s -split-input-file -verify-diagnostics

// expected-error @below {{expected a table of rank at least 1 (rows, then the row shape), but got rank 0}}
func.func @table_rank0(%t: !sluice.table<f32, device>) { return }

// -----

// expected-error @below {{expected integer or float table elements, but got 'index'}}
func.func @table_index_elements(%t: !sluice.table<4xindex, device>) { return }

// -----

// expected-error @below {{expected placement 'auto', 'device', 'host_zero_copy' or 'host_staged', but got 'gpu'}}
func.func @table_bad_placement(%t: !sluice.table<4xf32, gpu>) { return }

// -----

func.func @alignment_not_power_of_two(%t: !sluice.table<?x100xf32, host_zero_copy>, %i: tensor<?xi64>) {
  // expected-error @below {{alignment must be a power of two between 16 and 4096 bytes, but got 100}}
  %0 = sluice.gather %t[%i] aligned<rotate, 100> : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
  return
}

// -----

func.func @alignment_too_small(%t: !sluice.table<?x100xf32, host_zero_copy>, %i: tensor<?xi64>) {
  // expected-error @below {{alignment must be a power of two between 16 and 4096 bytes, but got 8}}
  %0 = sluice.gather %t[%i] aligned<shift, 8> : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
  return
}

// -----

func.func @make_table_shape(%buf: memref<?x100xf32>) {
  // expected-error @below {{'sluice.make_table' op expected the table to have the buffer's shape and element type [?, 100] x 'f32', but got '!sluice.table<?x64xf32, auto>'}}
  %t = sluice.make_table %buf : memref<?x100xf32> -> !sluice.table<?x64xf32, auto>
  return
}

// -----

func.func @make_table_element(%buf: memref<?x100xf32>) {
  // expected-error @below {{expected the table to have the buffer's shape and element type [?, 100] x 'f32', but got '!sluice.table<?x100xf16, auto>'}}
  %t = sluice.make_table %buf : memref<?x100xf32> -> !sluice.table<?x100xf16, auto>
  return
}

// -----

func.func @make_table_strided(%buf: memref<8x100xf32, strided<[200, 1]>>) {
  // expected-error @below {{expected a contiguous row-major buffer, but got 'memref<8x100xf32, strided<[200, 1]>>'}}
  %t = sluice.make_table %buf : memref<8x100xf32, strided<[200, 1]>> -> !sluice.table<8x100xf32, auto>
  return
}

// -----

func.func @make_table_result(%buf: memref<8x100xf32>) {
  // expected-error @below {{result #0 must be feature table, but got 'tensor<8x100xf32>'}}
  %t = sluice.make_table %buf : memref<8x100xf32> -> tensor<8x100xf32>
  return
}

// -----

func.func @gather_rank0_source(%s: tensor<f32>, %i: tensor<?xi64>) {
  // expected-error @below {{expected a source of rank at least 1, but got 'tensor<f32>'}}
  %0 = sluice.gather %s[%i] : tensor<f32>, tensor<?xi64> -> tensor<?xf32>
  return
}

// -----

func.func @gather_rank(%t: !sluice.table<?x100xf32, device>, %i: tensor<?xi64>) {
  // expected-error @below {{expected rows of rank 2 (one index dimension, then the source's row shape), but got 'tensor<?xf32>'}}
  %0 = sluice.gather %t[%i] : !sluice.table<?x100xf32, device>, tensor<?xi64> -> tensor<?xf32>
  return
}

// -----

func.func @gather_element(%t: !sluice.table<?x100xf32, device>, %i: tensor<?xi64>) {
  // expected-error @below {{expected row element type 'f32' to match the source, but got 'f16'}}
  %0 = sluice.gather %t[%i] : !sluice.table<?x100xf32, device>, tensor<?xi64> -> tensor<?x100xf16>
  return
}

// -----

func.func @gather_row_count(%t: !sluice.table<?x100xf32, device>, %i: tensor<5xi64>) {
  // expected-error @below {{expected one row per index, but got 4 rows for 5 indices}}
  %0 = sluice.gather %t[%i] : !sluice.table<?x100xf32, device>, tensor<5xi64> -> tensor<4x100xf32>
  return
}

// -----

func.func @gather_row_shape(%t: !sluice.table<?x4x8xf32, device>, %i: tensor<?xi64>) {
  // expected-error @below {{expected row shape [4, 8] of the source, but got [4, 9]}}
  %0 = sluice.gather %t[%i] : !sluice.table<?x4x8xf32, device>, tensor<?xi64> -> tensor<?x4x9xf32>
  return
}

// -----

func.func @gather_indices_type(%t: !sluice.table<?x100xf32, device>, %i: tensor<?xf32>) {
  // expected-error @below {{operand #1 must be 1D tensor of signless integer or index values, but got 'tensor<?xf32>'}}
  %0 = sluice.gather %t[%i] : !sluice.table<?x100xf32, device>, tensor<?xf32> -> tensor<?x100xf32>
  return
}

// -----

func.func @gather_indices_rank(%t: !sluice.table<?x100xf32, device>, %i: tensor<2x3xi64>) {
  // expected-error @below {{operand #1 must be 1D tensor of signless integer or index values, but got 'tensor<2x3xi64>'}}
  %0 = sluice.gather %t[%i] : !sluice.table<?x100xf32, device>, tensor<2x3xi64> -> tensor<?x100xf32>
  return
}

// -----

func.func @gather_aligned_device(%t: !sluice.table<?x100xf32, device>, %i: tensor<?xi64>) {
  // expected-error @below {{alignment applies only to gathers from zero-copy host tables, but the source is '!sluice.table<?x100xf32, device>'}}
  %0 = sluice.gather %t[%i] aligned<rotate, 128> : !sluice.table<?x100xf32, device>, tensor<?xi64> -> tensor<?x100xf32>
  return
}

// -----

func.func @gather_aligned_tensor(%s: tensor<?x100xf32>, %i: tensor<?xi64>) {
  // expected-error @below {{alignment applies only to gathers from zero-copy host tables, but the source is 'tensor<?x100xf32>'}}
  %0 = sluice.gather %s[%i] aligned<rotate, 128> : tensor<?x100xf32>, tensor<?xi64> -> tensor<?x100xf32>
  return
}

// -----

func.func @gather_into_rows(%t: !sluice.table<?x100xf32, host_zero_copy>, %i: memref<8xi64>, %out: memref<9x100xf32>) {
  // expected-error @below {{'sluice.gather_into' op expected one row per index, but got 9 rows for 8 indices}}
  sluice.gather_into %t[%i] into %out : !sluice.table<?x100xf32, host_zero_copy>, memref<8xi64>, memref<9x100xf32>
  return
}

// -----

func.func @gather_into_aligned_staged(%t: !sluice.table<?x100xf32, host_staged>, %i: memref<?xi64>, %out: memref<?x100xf32>) {
  // expected-error @below {{alignment applies only to gathers from zero-copy host tables, but the source is '!sluice.table<?x100xf32, host_staged>'}}
  sluice.gather_into %t[%i] into %out aligned<rotate, 128> : !sluice.table<?x100xf32, host_staged>, memref<?xi64>, memref<?x100xf32>
  return
}

// -----

func.func @gather_into_unnamed_async(%t: !sluice.table<?x100xf32, host_zero_copy>, %i: memref<?xi64>, %out: memref<?x100xf32>) {
  // expected-error @below {{an 'async' op must name its token result}}
  sluice.gather_into async %t[%i] into %out : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
  return
}

// -----

func.func @gather_on_stream_async(%t: !sluice.table<?x100xf32, host_zero_copy>, %i: memref<?xi64>, %out: memref<?x100xf32>, %s: !sluice.stream) {
  // expected-error @below {{a gather on a stream is ordered by the stream; it takes no async dependencies and gives no token}}
  %d = sluice.gather_into async on %s %t[%i] into %out : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
  return
}

// -----

func.func @sort_unique_into_room(%i: memref<8xi64>, %u: memref<4xi64>, %inv: memref<8xindex>) {
  // expected-error @below {{expected room for as many unique values as there are indices, but got 4 for 8 indices}}
  %n = sluice.sort_unique_into %i into %u, %inv : memref<8xi64>, memref<4xi64>, memref<8xindex> -> index
  return
}

// -----

func.func @sort_unique_into_inverse(%i: memref<8xi64>, %u: memref<8xi64>, %inv: memref<7xindex>) {
  // expected-error @below {{expected one inverse entry per index, but got 7 for 8 indices}}
  %n = sluice.sort_unique_into %i into %u, %inv : memref<8xi64>, memref<8xi64>, memref<7xindex> -> index
  return
}

// -----

func.func @sort_unique_into_element(%i: memref<8xi64>, %u: memref<8xi32>, %inv: memref<8xindex>) {
  // expected-error @below {{expected unique values of the indices' element type 'i64', but got 'i32'}}
  %n = sluice.sort_unique_into %i into %u, %inv : memref<8xi64>, memref<8xi32>, memref<8xindex> -> index
  return
}

// -----

func.func @sort_unique_element(%i: tensor<?xi64>) {
  // expected-error @below {{expected unique values of the indices' element type 'i64', but got 'i32'}}
  %u, %inv = sluice.sort_unique %i : tensor<?xi64> -> tensor<?xi32>, tensor<?xindex>
  return
}

// -----

func.func @sort_unique_inverse(%i: tensor<6xi64>) {
  // expected-error @below {{expected one inverse entry per index, but got 5 for 6 indices}}
  %u, %inv = sluice.sort_unique %i : tensor<6xi64> -> tensor<?xi64>, tensor<5xindex>
  return
}

// -----

func.func @sort_unique_too_many(%i: tensor<6xi64>) {
  // expected-error @below {{expected at most as many unique values as indices, but got 7 for 6 indices}}
  %u, %inv = sluice.sort_unique %i : tensor<6xi64> -> tensor<7xi64>, tensor<6xindex>
  return
}

// -----

func.func @merge_rank(%a: tensor<?x4x16xf32>, %b: tensor<?x4x16xf32>) {
  // expected-error @below {{expected [tokens, hidden] states of rank 2, but got 'tensor<?x4x16xf32>'}}
  %e, %ma, %mb, %k, %ka, %kb = sluice.merge_layers %a, %b t = 0.6 gamma = 0.05 : tensor<?x4x16xf32> -> tensor<?xf32>, tensor<?xi64>, tensor<?x16xf32>
  return
}

// -----

func.func @merge_t(%a: tensor<?x64xf32>, %b: tensor<?x64xf32>) {
  // expected-error @below {{expected t in [0, 1], but got 1.5}}
  %e, %ma, %mb, %k, %ka, %kb = sluice.merge_layers %a, %b t = 1.5 gamma = 0.05 : tensor<?x64xf32> -> tensor<?xf32>, tensor<?xi64>, tensor<?x64xf32>
  return
}

// -----

func.func @merge_gamma(%a: tensor<?x64xf32>, %b: tensor<?x64xf32>) {
  // expected-error @below {{expected gamma in [0, 1], but got -0.1}}
  %e, %ma, %mb, %k, %ka, %kb = sluice.merge_layers %a, %b t = 0.6 gamma = -0.1 : tensor<?x64xf32> -> tensor<?xf32>, tensor<?xi64>, tensor<?x64xf32>
  return
}

// -----

func.func @merge_magnitude(%a: tensor<8x64xf32>, %b: tensor<8x64xf32>) {
  // expected-error @below {{expected one magnitude per token, of type [8] x 'f32', but got 'tensor<7xf32>'}}
  %e, %ma, %mb, %k, %ka, %kb = sluice.merge_layers %a, %b t = 0.6 gamma = 0.05 : tensor<8x64xf32> -> tensor<7xf32>, tensor<?xi64>, tensor<?x64xf32>
  return
}

// -----

func.func @merge_retained_width(%a: tensor<8x64xf32>, %b: tensor<8x64xf32>) {
  // expected-error @below {{expected retained vectors of type [?, 64] x 'f32', but got 'tensor<?x32xf32>'}}
  %e, %ma, %mb, %k, %ka, %kb = sluice.merge_layers %a, %b t = 0.6 gamma = 0.05 : tensor<8x64xf32> -> tensor<8xf32>, tensor<?xi64>, tensor<?x32xf32>
  return
}

// -----

func.func @merge_retained_count(%a: tensor<8x64xf32>, %b: tensor<8x64xf32>) {
  // expected-error @below {{expected one retained vector per retained index, but got 2 vectors for 3 indices}}
  %e, %ma, %mb, %k, %ka, %kb = sluice.merge_layers %a, %b t = 0.6 gamma = 0.05 : tensor<8x64xf32> -> tensor<8xf32>, tensor<3xi64>, tensor<2x64xf32>
  return
}

// -----

func.func @merge_retained_too_many(%a: tensor<8x64xf32>, %b: tensor<8x64xf32>) {
  // expected-error @below {{expected at most 8 retained tokens, but got 9}}
  %e, %ma, %mb, %k, %ka, %kb = sluice.merge_layers %a, %b t = 0.6 gamma = 0.05 : tensor<8x64xf32> -> tensor<8xf32>, tensor<9xi64>, tensor<9x64xf32>
  return
}

// -----

func.func @merge_integer_states(%a: tensor<8x64xi32>, %b: tensor<8x64xi32>) {
  // expected-error @below {{operand #0 must be ranked tensor of floating-point values, but got 'tensor<8x64xi32>'}}
  %e, %ma, %mb, %k, %ka, %kb = sluice.merge_layers %a, %b t = 0.6 gamma = 0.05 : tensor<8x64xi32> -> tensor<8xf32>, tensor<?xi64>, tensor<?x64xf32>
  return
}

// -----

func.func @restore_rank(%e: tensor<64xf32>, %m: tensor<?xf32>, %k: tensor<?xi64>, %v: tensor<?x64xf32>) {
  // expected-error @below {{expected [tokens, hidden] directions of rank 2, but got 'tensor<64xf32>'}}
  %r = sluice.restore_layer %e scaled %m retain %k = %v : tensor<64xf32>, tensor<?xf32>, tensor<?xi64>, tensor<?x64xf32>
  return
}

// -----

func.func @restore_magnitude(%e: tensor<8x64xf32>, %m: tensor<8xf16>, %k: tensor<?xi64>, %v: tensor<?x64xf32>) {
  // expected-error @below {{expected one magnitude per token, of type [8] x 'f32', but got 'tensor<8xf16>'}}
  %r = sluice.restore_layer %e scaled %m retain %k = %v : tensor<8x64xf32>, tensor<8xf16>, tensor<?xi64>, tensor<?x64xf32>
  return
}

// -----

func.func @restore_retained(%e: tensor<8x64xf32>, %m: tensor<8xf32>, %k: tensor<2xi64>, %v: tensor<3x64xf32>) {
  // expected-error @below {{expected one retained vector per retained index, but got 3 vectors for 2 indices}}
  %r = sluice.restore_layer %e scaled %m retain %k = %v : tensor<8x64xf32>, tensor<8xf32>, tensor<2xi64>, tensor<3x64xf32>
  return
}

// -----

func.func @select_delta_zero(%l: tensor<40xf32>) {
  // expected-error @below {{expected delta in (0, 1], but got 0}}
  %s = sluice.select_hardest %l delta = 0.0 : tensor<40xf32> -> tensor<?xindex>
  return
}

// -----

func.func @select_delta_large(%l: tensor<?xf32>) {
  // expected-error @below {{expected delta in (0, 1], but got 1.5}}
  %s = sluice.select_hardest %l delta = 1.5 : tensor<?xf32> -> tensor<?xindex>
  return
}

// -----

func.func @select_none(%l: tensor<40xf32>) {
  // expected-error @below {{delta = 0.01 selects no batch out of 40}}
  %s = sluice.select_hardest %l delta = 0.01 : tensor<40xf32> -> tensor<?xindex>
  return
}

// -----

func.func @select_count(%l: tensor<40xf32>) {
  // expected-error @below {{expected floor(delta * N) = 12 selected batches, but got 'tensor<13xindex>'}}
  %s = sluice.select_hardest %l delta = 0.3 : tensor<40xf32> -> tensor<13xindex>
  return
}

// -----

func.func @record_type(%l: tensor<40xf32>, %x: f16, %i: index) {
  // expected-error @below {{failed to verify that the loss has the losses' element type}}
  %r = "sluice.record_loss"(%x, %l, %i) : (f16, tensor<40xf32>, index) -> tensor<40xf32>
  return
}

// -----

func.func @residual_logits_rank(%f: tensor<?xf32>, %l: tensor<?x100xf32>, %v: tensor<?xi64>) {
  // expected-error @below {{expected conditional logits of rank 3 [batch, variables, classes], but got 'tensor<?x100xf32>'}}
  %r = sluice.mam_residual %f, %f, %l[%v, %v] : tensor<?xf32>, tensor<?x100xf32>, tensor<?xi64>
  return
}

// -----

func.func @residual_logits_element(%f: tensor<?xf32>, %l: tensor<?x100x2xf16>, %v: tensor<?xi64>) {
  // expected-error @below {{expected conditional logits of element type 'f32' like the marginals, but got 'f16'}}
  %r = sluice.mam_residual %f, %f, %l[%v, %v] : tensor<?xf32>, tensor<?x100x2xf16>, tensor<?xi64>
  return
}

// -----

func.func @residual_no_classes(%f: tensor<?xf32>, %l: tensor<?x100x0xf32>, %v: tensor<?xi64>) {
  // expected-error @below {{expected at least one class, but got 'tensor<?x100x0xf32>'}}
  %r = sluice.mam_residual %f, %f, %l[%v, %v] : tensor<?xf32>, tensor<?x100x0xf32>, tensor<?xi64>
  return
}

// -----

func.func @residual_batch(%f: tensor<4xf32>, %l: tensor<4x100x2xf32>, %v: tensor<5xi64>) {
  // expected-error @below {{expected the same batch size for every operand, but got 4 marginals, 4 logit rows and 5 variables}}
  %r = sluice.mam_residual %f, %f, %l[%v, %v] : tensor<4xf32>, tensor<4x100x2xf32>, tensor<5xi64>
  return
}

// -----

func.func @penalty_num_vars(%r: tensor<?xf32>, %e: f32) {
  // expected-error @below {{expected num_vars >= 1, but got 0}}
  %p = sluice.mam_penalty %r, %e num_vars = 0 log_z = 0.0 : tensor<?xf32>, f32
  return
}

// -----

func.func @penalty_element(%r: tensor<?xf16>, %e: f32) {
  // expected-error @below {{expected residuals of element type 'f32', but got 'tensor<?xf16>'}}
  %p = sluice.mam_penalty %r, %e num_vars = 4 log_z = 0.0 : tensor<?xf16>, f32
  return
}

// -----

func.func @penalty_empty(%r: tensor<0xf32>, %e: f32) {
  // expected-error @below {{expected a non-empty residual batch (the penalty averages over it)}}
  %p = sluice.mam_penalty %r, %e num_vars = 4 log_z = 0.0 : tensor<0xf32>, f32
  return
}
