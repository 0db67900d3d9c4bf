// A gather from a table whose placement the compiler decides.
func.func @features(%b: memref<?x100xf32>, %ids: tensor<?xi64>) -> tensor<?x100xf32> {
  %t = sluice.make_table %b : memref<?x100xf32> -> !sluice.table<?x100xf32, auto>
  %x = sluice.gather %t[%ids] : !sluice.table<?x100xf32, auto>, tensor<?xi64> -> tensor<?x100xf32>
  return %x : tensor<?x100xf32>
}
