func.func @f(%t: !sluice.table<?x100xf32, nowhere>) {
  return
}
