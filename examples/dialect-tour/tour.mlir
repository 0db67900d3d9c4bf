// A tour of the sluice dialect: one function per technique family, with
// inputs known at compile time so that the dialect's folds show what each op
// computes. `run.sh` canonicalizes it with sluice-opt.

// Loss-ranked batching: 8 fixed batches with recorded losses; delta = 0.5
// keeps the 4 hardest (the NaN, 3.5, 2.5 and 2.0) in ascending batch order.
func.func @hardest_batches() -> tensor<4xindex> {
  %losses = arith.constant dense<[0.9, 2.0, 0.1, 3.5, 0.4, 0x7FC00000, 2.5, 1.0]> : tensor<8xf32>
  %selected = sluice.select_hardest %losses delta = 0.5 : tensor<8xf32> -> tensor<4xindex>
  return %selected : tensor<4xindex>
}

// Index sorting for gather locality: the sampled node ids, sorted and
// de-duplicated, and the inverse map that scatters the gathered rows back.
func.func @sorted_gather(%features: memref<?x100xf32>) -> tensor<6x100xf32> {
  %table = sluice.make_table %features : memref<?x100xf32> -> !sluice.table<?x100xf32, host_zero_copy>
  %ids = arith.constant dense<[907, 12, 907, 4, 12, 55]> : tensor<6xi64>
  %unique, %inverse = sluice.sort_unique %ids : tensor<6xi64> -> tensor<?xi64>, tensor<6xindex>
  // 400-byte rows straddle 128-byte PCIe requests: the rotation stays.
  %rows = sluice.gather %table[%unique] aligned<rotate, 128> : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
  %on_device = sluice.to_device %rows : tensor<?x100xf32>
  %again = sluice.to_device %on_device : tensor<?x100xf32>
  %batch = sluice.gather %again[%inverse] : tensor<?x100xf32>, tensor<6xindex> -> tensor<6x100xf32>
  return %batch : tensor<6x100xf32>
}

// 128-byte rows are already aligned: the alignment request folds away.
func.func @aligned_rows(%table: !sluice.table<?x32xf32, host_zero_copy>, %ids: tensor<?xi64>) -> tensor<?x32xf32> {
  %rows = sluice.gather %table[%ids] aligned<rotate, 128> : !sluice.table<?x32xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x32xf32>
  return %rows : tensor<?x32xf32>
}

// MaM: the self-consistency penalty for known residuals,
// 3 * mean([0.5, -1.0]^2) + (0.25 - 0.0)^2 = 1.875 + 0.0625 = 1.9375.
func.func @mam_penalty() -> f32 {
  %residual = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %marginal_empty = arith.constant 0.25 : f32
  %penalty = sluice.mam_penalty %residual, %marginal_empty num_vars = 3 log_z = 0.0 : tensor<2xf32>, f32
  return %penalty : f32
}

// MiniCache: merge layers 10 and 11 of a cache and restore both.
func.func @merge_kv(%k10: tensor<?x4096xf16>, %k11: tensor<?x4096xf16>) -> (tensor<?x4096xf16>, tensor<?x4096xf16>) {
  %t = arith.constant 0.6 : f16
  %gamma = arith.constant 0.05 : f16
  %dir, %m10, %m11, %keep = sluice.merge_layers %k10, %k11 t %t gamma %gamma : tensor<?x4096xf16> -> tensor<?xf16>, tensor<?xi1>
  %r10 = sluice.restore_layer %dir scaled %m10 retain %keep = %k10 : tensor<?x4096xf16>, tensor<?xf16>, tensor<?xi1>
  %r11 = sluice.restore_layer %dir scaled %m11 retain %keep = %k11 : tensor<?x4096xf16>, tensor<?xf16>, tensor<?xi1>
  return %r10, %r11 : tensor<?x4096xf16>, tensor<?x4096xf16>
}
