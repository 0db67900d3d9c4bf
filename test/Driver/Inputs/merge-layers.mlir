// A MiniCache merge, which no CPU back end lowers yet (Driver/language.test).
func.func @merge(%a: tensor<?x64xf32>, %b: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %e, %ma, %mb, %keep, %ka, %kb = sluice.merge_layers %a, %b t = 0.6 gamma = 0.05 : tensor<?x64xf32> -> tensor<?xf32>, tensor<?xi64>, tensor<?x64xf32>
  %r = sluice.restore_layer %e scaled %ma retain %keep = %ka : tensor<?x64xf32>, tensor<?xf32>, tensor<?xi64>, tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}
