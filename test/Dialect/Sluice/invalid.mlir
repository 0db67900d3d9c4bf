// Every verifier rule of the sluice dialect's ops, types and attributes
// rejects a malformed use with its own message.
// RUN: sluice-opt %s -split-input-file -verify-diagnostics

// expected-error @below {{'sluice.param' op expected a parameter of type i64, i1, f32, f64, !sluice.str, tensor<?xi64> or tensor<?xf32>, but got 'i32'}}
sluice.param @width : i32 = 4

// -----

// expected-error @below {{expected a parameter of type i64, i1, f32, f64, !sluice.str, tensor<?xi64> or tensor<?xf32>, but got 'tensor<4xi64>'}}
sluice.param @sizes : tensor<4xi64>

// -----

// A parameter's name is its flag: an identifier, and not `help`.
// expected-error @below {{'sluice.param' op expected a parameter name that is an identifier (letters, digits and '_', not starting with a digit), since it is the flag --NAME, but got 'two words'}}
sluice.param @"two words" : i64 = 4

// -----

// expected-error @below {{got '9lives'}}
sluice.param @"9lives" : i64 = 4

// -----

// expected-error @below {{'sluice.param' op a parameter cannot be named 'help': every program's --help prints its flags}}
sluice.param @help : i1 = false

// -----

// expected-error @below {{expected a default of the parameter's type 'i64', but got 5.000000e-01 : f32}}
"sluice.param"() <{sym_name = "epochs", type = i64, default_value = 0.5 : f32}> : () -> ()

// -----

// expected-error @below {{expected a default of the parameter's type 'i1', but got 1 : i64}}
"sluice.param"() <{sym_name = "verbose", type = i1, default_value = 1 : i64}> : () -> ()

// -----

// expected-error @below {{expected a default of the parameter's type 'f32', but got 5.000000e-01 : f64}}
"sluice.param"() <{sym_name = "lr", type = f32, default_value = 0.5 : f64}> : () -> ()

// -----

// expected-error @below {{expected a default of the parameter's type '!sluice.str', but got 5 : i64}}
sluice.param @graph : !sluice.str = 5

// -----

// expected-error @below {{expected a default of the parameter's type 'tensor<?xi64>' (dense elements of a static 1-D shape), but got dense<1.000000e+00> : tensor<1xf32>}}
sluice.param @fanout : tensor<?xi64> = dense<[1.0]> : tensor<1xf32>

// -----

// expected-error @below {{expected a default of the parameter's type 'tensor<?xf32>' (dense elements of a static 1-D shape), but got dense<5.000000e-01> : tensor<1x1xf32>}}
sluice.param @widths : tensor<?xf32> = dense<[[0.5]]> : tensor<1x1xf32>

// -----

func.func @param_in_function() {
  // expected-error @below {{'sluice.param' op expects parent op 'builtin.module'}}
  sluice.param @epochs : i64 = 5
  return
}

// -----

// expected-note @below {{see existing symbol definition here}}
sluice.param @epochs : i64 = 5
// expected-error @below {{redefinition of symbol named 'epochs'}}
sluice.param @epochs : i64 = 6

// -----

func.func @param_value_unknown() -> i64 {
  // expected-error @below {{'sluice.param_value' op expected @epochs to name a sluice.param, but it does not}}
  %e = sluice.param_value @epochs : i64
  return %e : i64
}

// -----

func.func @param_value_not_a_param() -> i64 {
  // expected-error @below {{expected @param_value_not_a_param to name a sluice.param, but it does not}}
  %e = sluice.param_value @param_value_not_a_param : i64
  return %e : i64
}

// -----

sluice.param @lr : f32 = 0.5
func.func @param_value_type() -> f64 {
  // expected-error @below {{'sluice.param_value' op expected the type 'f32' of parameter @lr, but got 'f64'}}
  %lr = sluice.param_value @lr : f64
  return %lr : f64
}

// -----

func.func @load_graph_source(%path: i64) {
  // expected-error @below {{operand #0 must be a string value: a path or a text, but got 'i64'}}
  %g = "sluice.load_graph"(%path) : (i64) -> !sluice.graph
  return
}

// -----

func.func @field_graph_name(%g: !sluice.graph) {
  // expected-error @below {{'sluice.field' op expected a field of '!sluice.graph' (features, labels, train, valid, test, num_nodes, num_edges, num_classes), but got 'nodes'}}
  %n = sluice.field %g["nodes"] : !sluice.graph -> index
  return
}

// -----

func.func @field_dataset_name(%d: !sluice.dataset) {
  // expected-error @below {{expected a field of '!sluice.dataset' (features, labels, train, valid, test, num_samples, num_classes), but got 'num_nodes'}}
  %n = sluice.field %d["num_nodes"] : !sluice.dataset -> index
  return
}

// -----

func.func @field_blocks_name(%bs: !sluice.blocks) {
  // expected-error @below {{expected a field of '!sluice.blocks' (inputs, seeds, num_layers), but got 'outputs'}}
  %o = sluice.field %bs["outputs"] : !sluice.blocks -> tensor<?xi64>
  return
}

// -----

func.func @field_block_name(%b: !sluice.block) {
  // expected-error @below {{expected a field of '!sluice.block' (num_src, num_dst), but got 'num_edges'}}
  %n = sluice.field %b["num_edges"] : !sluice.block -> index
  return
}

// -----

func.func @field_table_name(%t: !sluice.table<?x16xf32, device>) {
  // expected-error @below {{expected a field of '!sluice.table<?x16xf32, device>' (rows, cols), but got 'features'}}
  %n = sluice.field %t["features"] : !sluice.table<?x16xf32, device> -> index
  return
}

// -----

func.func @field_features_rank(%g: !sluice.graph) {
  // expected-error @below {{expected field 'features' of '!sluice.graph' to be a rank-2 table of f32 (any placement), but got '!sluice.table<?xf32, auto>'}}
  %x = sluice.field %g["features"] : !sluice.graph -> !sluice.table<?xf32, auto>
  return
}

// -----

func.func @field_features_element(%d: !sluice.dataset) {
  // expected-error @below {{expected field 'features' of '!sluice.dataset' to be a rank-2 table of f32 (any placement), but got 'tensor<?x784xf32>'}}
  %x = sluice.field %d["features"] : !sluice.dataset -> tensor<?x784xf32>
  return
}

// -----

func.func @field_ids(%g: !sluice.graph) {
  // expected-error @below {{expected field 'labels' of '!sluice.graph' to be 'tensor<?xi64>', but got 'tensor<?xi32>'}}
  %l = sluice.field %g["labels"] : !sluice.graph -> tensor<?xi32>
  return
}

// -----

func.func @field_count(%bs: !sluice.blocks) {
  // expected-error @below {{expected field 'num_layers' of '!sluice.blocks' to be an index, but got 'i64'}}
  %n = sluice.field %bs["num_layers"] : !sluice.blocks -> i64
  return
}

// -----

func.func @field_object(%x: tensor<?x4xf32>) {
  // expected-error @below {{operand #0 must be a graph, dataset, blocks, block or feature table, but got 'tensor<?x4xf32>'}}
  %n = sluice.field %x["rows"] : tensor<?x4xf32> -> index
  return
}

// -----

func.func @shuffle_type(%i: tensor<?xi64>, %s: i64) {
  // expected-error @below {{failed to verify that all of {indices, result} have same type}}
  %o = "sluice.shuffle"(%i, %s) : (tensor<?xi64>, i64) -> tensor<4xi64>
  return
}

// -----

func.func @shuffle_element(%i: tensor<?xi32>, %s: i64) {
  // expected-error @below {{operand #0 must be 1D tensor of 64-bit signless integer values, but got 'tensor<?xi32>'}}
  %o = sluice.shuffle %i seed %s : tensor<?xi32>
  return
}

// -----

func.func @sample_static_seeds(%g: !sluice.graph, %seeds: tensor<4xi64>, %f: tensor<?xi64>, %s: i64) {
  // expected-error @below {{operand #1 must be tensor<?xi64>, but got 'tensor<4xi64>'}}
  %b = "sluice.sample"(%g, %seeds, %f, %s) : (!sluice.graph, tensor<4xi64>, tensor<?xi64>, i64) -> !sluice.blocks
  return
}

// -----

func.func @sample_ahead_fanouts(%g: !sluice.graph, %seeds: tensor<?xi64>, %f: tensor<?xi32>, %s: i64) {
  // expected-error @below {{operand #2 must be tensor<?xi64>, but got 'tensor<?xi32>'}}
  "sluice.sample_ahead"(%g, %seeds, %f, %s) : (!sluice.graph, tensor<?xi64>, tensor<?xi32>, i64) -> ()
  return
}

// -----

func.func @aggregate_rank(%b: !sluice.block, %x: tensor<?xf32>) {
  // expected-error @below {{'sluice.aggregate_mean' op expected rows of rank at least 2 (src nodes, then the feature shape), but got 'tensor<?xf32>'}}
  %h = sluice.aggregate_mean %b, %x : tensor<?xf32> -> tensor<?xf32>
  return
}

// -----

func.func @aggregate_result_rank(%b: !sluice.block, %x: tensor<?x16xf32>) {
  // expected-error @below {{expected a result of rank 2 and element type 'f32' (rows shaped like the operand's), but got 'tensor<?x16x1xf32>'}}
  %h = sluice.aggregate_mean %b, %x : tensor<?x16xf32> -> tensor<?x16x1xf32>
  return
}

// -----

func.func @aggregate_element(%b: !sluice.block, %x: tensor<?x16xf32>) {
  // expected-error @below {{expected a result of rank 2 and element type 'f32' (rows shaped like the operand's), but got 'tensor<?x16xf16>'}}
  %h = sluice.aggregate_mean %b, %x : tensor<?x16xf32> -> tensor<?x16xf16>
  return
}

// -----

func.func @aggregate_grad_rank(%b: !sluice.block, %g: tensor<?xf32>) {
  // expected-error @below {{'sluice.aggregate_mean_grad' op expected rows of rank at least 2 (src nodes, then the feature shape), but got 'tensor<?xf32>'}}
  %h = sluice.aggregate_mean_grad %b, %g : tensor<?xf32> -> tensor<?xf32>
  return
}

// -----

func.func @aggregate_grad_rows(%b: !sluice.block, %g: tensor<?x16xf32>) {
  // expected-error @below {{expected result rows of shape [16] like the operand's, but got [8]}}
  %h = sluice.aggregate_mean_grad %b, %g : tensor<?x16xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @aggregate_row_shape(%b: !sluice.block, %x: tensor<?x16x4xf32>) {
  // expected-error @below {{expected result rows of shape [16, 4] like the operand's, but got [16, 8]}}
  %h = sluice.aggregate_mean %b, %x : tensor<?x16x4xf32> -> tensor<5x16x8xf32>
  return
}

// -----

func.func @grad_loss(%loss: tensor<2xf32>, %w: tensor<4xf32>) {
  // expected-error @below {{'sluice.grad' op expected a float scalar or 0-d float tensor loss, but got 'tensor<2xf32>'}}
  %dw = sluice.grad %loss wrt %w : tensor<2xf32>, tensor<4xf32>
  return
}

// -----

func.func @grad_integer_loss(%loss: i64, %w: tensor<4xf32>) {
  // expected-error @below {{expected a float scalar or 0-d float tensor loss, but got 'i64'}}
  %dw = sluice.grad %loss wrt %w : i64, tensor<4xf32>
  return
}

// -----

func.func @grad_nothing(%loss: f32) {
  // expected-error @below {{expected at least one value to differentiate with respect to}}
  "sluice.grad"(%loss) : (f32) -> ()
  return
}

// -----

func.func @grad_wrt_type(%loss: f32, %w: tensor<4xf32>, %n: i64) {
  // expected-error @below {{expected wrt value #1 to be a float scalar or ranked float tensor, but got 'i64'}}
  %dw, %dn = sluice.grad %loss wrt %w, %n : f32, tensor<4xf32>, i64
  return
}

// -----

func.func @grad_count(%loss: f32, %w: tensor<4xf32>, %b: f32) {
  // expected-error @below {{expected one gradient per wrt value (2), but got 1}}
  %dw = "sluice.grad"(%loss, %w, %b) : (f32, tensor<4xf32>, f32) -> tensor<4xf32>
  return
}

// -----

func.func @grad_result_type(%loss: f32, %w: tensor<4xf32>) {
  // expected-error @below {{expected gradient #0 to have its wrt value's type 'tensor<4xf32>', but got 'tensor<?xf32>'}}
  %dw = "sluice.grad"(%loss, %w) : (f32, tensor<4xf32>) -> tensor<?xf32>
  return
}

// -----

func.func @random_sizes(%lo: f32, %hi: f32, %n: index) {
  // expected-error @below {{'sluice.random_uniform' op expected 2 dynamic size(s), one per '?' of 'tensor<?x?xf32>', but got 1}}
  %w = sluice.random_uniform %lo, %hi seed 7 [%n] : tensor<?x?xf32>
  return
}

// -----

func.func @random_static_sizes(%lo: f32, %hi: f32, %n: index) {
  // expected-error @below {{expected 0 dynamic size(s), one per '?' of 'tensor<4x16xf32>', but got 1}}
  %w = sluice.random_uniform %lo, %hi seed 7 [%n] : tensor<4x16xf32>
  return
}

// -----

func.func @random_bounds(%lo: f64, %hi: f64) {
  // expected-error @below {{failed to verify that low has the result's element type}}
  %w = "sluice.random_uniform"(%lo, %hi) <{seed = 7 : i64}> : (f64, f64) -> tensor<4xf32>
  return
}

// -----

func.func @log_vector(%v: tensor<4xf32>) {
  // expected-error @below {{'sluice.log' op expected an integer or float scalar of at most 64 bits, or a 0-d tensor of one, to log, but got 'tensor<4xf32>'}}
  sluice.log "losses" %v : tensor<4xf32>
  return
}

// -----

func.func @log_wide(%k: i128) {
  // expected-error @below {{expected an integer or float scalar of at most 64 bits, or a 0-d tensor of one, to log, but got 'i128'}}
  sluice.log "k" %k : i128
  return
}

// -----

func.func @log_string(%s: !sluice.str) {
  // expected-error @below {{expected an integer or float scalar of at most 64 bits, or a 0-d tensor of one, to log, but got '!sluice.str'}}
  sluice.log "graph" %s : !sluice.str
  return
}

// -----

func.func @argmax_rank0(%x: tensor<f32>) {
  // expected-error @below {{'sluice.argmax' op expected x of rank at least 1, but got 'tensor<f32>'}}
  %i = sluice.argmax %x : tensor<f32> -> tensor<i64>
  return
}

// -----

func.func @argmax_empty(%x: tensor<?x0xf32>) {
  // expected-error @below {{expected a non-empty last dimension, but got 'tensor<?x0xf32>'}}
  %i = sluice.argmax %x : tensor<?x0xf32> -> tensor<?xi64>
  return
}

// -----

func.func @argmax_shape(%x: tensor<8x10xf32>) {
  // expected-error @below {{expected a result of shape [8] (x's without the last dimension), but got [10]}}
  %i = sluice.argmax %x : tensor<8x10xf32> -> tensor<10xi64>
  return
}

// -----

func.func @argmax_element(%x: tensor<?x10xf32>) {
  // expected-error @below {{result #0 must be ranked tensor of 64-bit signless integer values, but got 'tensor<?xi32>'}}
  %i = sluice.argmax %x : tensor<?x10xf32> -> tensor<?xi32>
  return
}

// -----

func.func @take_along_rank(%x: tensor<?x10x2xf32>, %l: tensor<?xi64>) {
  // expected-error @below {{'sluice.take_along' op expected x of rank 2 [rows, classes], but got 'tensor<?x10x2xf32>'}}
  %p = sluice.take_along %x, %l : tensor<?x10x2xf32>, tensor<?xi64> -> tensor<?xf32>
  return
}

// -----

func.func @take_along_element(%x: tensor<?x10xf32>, %l: tensor<?xi64>) {
  // expected-error @below {{expected a result of x's element type 'f32', but got 'f64'}}
  %p = sluice.take_along %x, %l : tensor<?x10xf32>, tensor<?xi64> -> tensor<?xf64>
  return
}

// -----

func.func @take_along_rows(%x: tensor<8x10xf32>, %l: tensor<6xi64>) {
  // expected-error @below {{expected one label and one result per row of x, but got 8 rows, 6 labels and ? results}}
  %p = sluice.take_along %x, %l : tensor<8x10xf32>, tensor<6xi64> -> tensor<?xf32>
  return
}

// -----

func.func @take_along_labels(%x: tensor<?x10xf32>, %l: tensor<?x1xi64>) {
  // expected-error @below {{operand #1 must be 1D tensor of signless integer or index values, but got 'tensor<?x1xi64>'}}
  %p = sluice.take_along %x, %l : tensor<?x10xf32>, tensor<?x1xi64> -> tensor<?xf32>
  return
}

// -----

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

func.func @merge_rank(%a: tensor<64xf32>, %b: tensor<64xf32>, %t: f32) {
  // expected-error @below {{expected states of rank 2 or more ([..., tokens, hidden]), but got 'tensor<64xf32>'}}
  %e, %ma, %mb, %k = sluice.merge_layers %a, %b t %t gamma %t : tensor<64xf32> -> tensor<f32>, tensor<i1>
  return
}

// -----

func.func @merge_t_type(%a: tensor<?x64xf32>, %b: tensor<?x64xf32>, %t: f64) {
  // expected-error @below {{failed to verify that t has the states' element type}}
  %e, %ma, %mb, %k = "sluice.merge_layers"(%a, %b, %t, %t) : (tensor<?x64xf32>, tensor<?x64xf32>, f64, f64) -> (tensor<?x64xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi1>)
  return
}

// -----

func.func @merge_magnitude(%a: tensor<8x64xf32>, %b: tensor<8x64xf32>, %t: f32) {
  // expected-error @below {{expected one magnitude per token, of type [8] x 'f32', but got 'tensor<7xf32>'}}
  %e, %ma, %mb, %k = sluice.merge_layers %a, %b t %t gamma %t : tensor<8x64xf32> -> tensor<7xf32>, tensor<?xi1>
  return
}

// -----

func.func @merge_pair_magnitude(%a: tensor<3x8x64xf32>, %b: tensor<3x8x64xf32>, %t: f32) {
  // expected-error @below {{expected one magnitude per token, of type [3, 8] x 'f32', but got 'tensor<8xf32>'}}
  %e, %ma, %mb, %k = sluice.merge_layers %a, %b t %t gamma %t : tensor<3x8x64xf32> -> tensor<8xf32>, tensor<3x8xi1>
  return
}

// -----

func.func @merge_retained(%a: tensor<8x64xf32>, %b: tensor<8x64xf32>, %t: f32) {
  // expected-error @below {{expected one retention bit per token, of type [8] x 'i1', but got 'tensor<9xi1>'}}
  %e, %ma, %mb, %k = sluice.merge_layers %a, %b t %t gamma %t : tensor<8x64xf32> -> tensor<8xf32>, tensor<9xi1>
  return
}

// -----

func.func @merge_tokens(%a: tensor<?x64xf32>, %b: tensor<?x64xf32>, %t: f32) {
  // expected-error @below {{expected as many magnitudes as retention bits, but got 'tensor<4xf32>' and 'tensor<5xi1>'}}
  %e, %ma, %mb, %k = sluice.merge_layers %a, %b t %t gamma %t : tensor<?x64xf32> -> tensor<4xf32>, tensor<5xi1>
  return
}

// -----

func.func @restore_tokens(%e: tensor<?x64xf32>, %m: tensor<4xf32>, %k: tensor<5xi1>) {
  // expected-error @below {{expected as many magnitudes as retention bits, but got 'tensor<4xf32>' and 'tensor<5xi1>'}}
  %r = sluice.restore_layer %e scaled %m retain %k = %e : tensor<?x64xf32>, tensor<4xf32>, tensor<5xi1>
  return
}

// -----

func.func @merge_integer_states(%a: tensor<8x64xi32>, %b: tensor<8x64xi32>, %t: i32) {
  // expected-error @below {{'previous' must be ranked tensor of floating-point values, but got 'tensor<8x64xi32>'}}
  %e, %ma, %mb, %k = sluice.merge_layers %a, %b t %t gamma %t : tensor<8x64xi32> -> tensor<8xf32>, tensor<?xi1>
  return
}

// -----

func.func @restore_rank(%e: tensor<64xf32>, %m: tensor<f32>, %k: tensor<i1>) {
  // expected-error @below {{expected directions of rank 2 or more ([..., tokens, hidden]), but got 'tensor<64xf32>'}}
  %r = sluice.restore_layer %e scaled %m retain %k = %e : tensor<64xf32>, tensor<f32>, tensor<i1>
  return
}

// -----

func.func @restore_magnitude(%e: tensor<8x64xf32>, %m: tensor<8xf16>, %k: tensor<8xi1>) {
  // expected-error @below {{expected one magnitude per token, of type [8] x 'f32', but got 'tensor<8xf16>'}}
  %r = sluice.restore_layer %e scaled %m retain %k = %e : tensor<8x64xf32>, tensor<8xf16>, tensor<8xi1>
  return
}

// -----

func.func @restore_retained(%e: tensor<8x64xf32>, %m: tensor<8xf32>, %k: tensor<2xi1>) {
  // expected-error @below {{expected one retention bit per token, of type [8] x 'i1', but got 'tensor<2xi1>'}}
  %r = sluice.restore_layer %e scaled %m retain %k = %e : tensor<8x64xf32>, tensor<8xf32>, tensor<2xi1>
  return
}

// -----

func.func @select_delta_zero(%l: tensor<40xf32>) {
  // expected-error @below {{expected delta in (0, 1], but got 0}}
  %s = sluice.select_hardest %l delta = 0.0 : tensor<40xf32> -> tensor<?xindex>
  return
}

// -----

func.func @select_delta_both(%l: tensor<?xf32>, %d: f64) {
  // expected-error @below {{expected delta either as an attribute (`delta = 0.5`) or as an f64 operand, not both}}
  %s = sluice.select_hardest %l delta = 0.5 %d : tensor<?xf32> -> tensor<?xindex>
  return
}

// -----

func.func @select_delta_neither(%l: tensor<?xf32>) {
  // expected-error @below {{expected delta either as an attribute (`delta = 0.5`) or as an f64 operand, not neither}}
  %s = sluice.select_hardest %l delta : tensor<?xf32> -> tensor<?xindex>
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

func.func @nll_batch(%l: tensor<4x100x2xf32>, %v: tensor<5xi64>) {
  // expected-error @below {{expected the same batch size for every operand, but got 4 results, 4 logit rows and 5 variables}}
  %r = sluice.conditional_nll %l[%v, %v] : tensor<4x100x2xf32>, tensor<5xi64> -> tensor<4xf32>
  return
}

// -----

func.func @nll_logits_rank(%l: tensor<?x100xf32>, %v: tensor<?xi64>) {
  // expected-error @below {{expected conditional logits of rank 3 [batch, variables, classes], but got 'tensor<?x100xf32>'}}
  %r = sluice.conditional_nll %l[%v, %v] : tensor<?x100xf32>, tensor<?xi64> -> tensor<?xf32>
  return
}

// -----

func.func @nll_element(%l: tensor<?x100x2xf16>, %v: tensor<?xi64>) {
  // expected-error @below {{expected conditional logits of element type 'f32' like the results, but got 'f16'}}
  %r = sluice.conditional_nll %l[%v, %v] : tensor<?x100x2xf16>, tensor<?xi64> -> tensor<?xf32>
  return
}

// -----

func.func @nll_rows(%l: tensor<4x100x2xf32>, %v: tensor<5xi64>) {
  // expected-error @below {{expected the same batch size for every operand, but got ? results, 4 logit rows and 5 variables}}
  %r = sluice.conditional_nll %l[%v, %v] : tensor<4x100x2xf32>, tensor<5xi64> -> tensor<?xf32>
  return
}

// -----

func.func @nll_bool_positions(%l: tensor<4x100x2xf32>, %v: tensor<4xi1>) {
  // expected-error @below {{operand #1 must be 1D tensor of 32-bit signless integer or 64-bit signless integer or index values, but got 'tensor<4xi1>'}}
  %r = sluice.conditional_nll %l[%v, %v] : tensor<4x100x2xf32>, tensor<4xi1> -> tensor<4xf32>
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
