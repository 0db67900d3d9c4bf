// Streams written by hand around tensor code, which no back end lowers (the
// overlap pass makes its own, on buffers) (Driver/language.test).
sluice.param @v : f32 = 1.0
func.func @main() -> i32 {
  %s = sluice.stream_create : !sluice.stream
  %v = sluice.param_value @v : f32
  %x = tensor.splat %v : tensor<4xf32>
  %y = arith.addf %x, %x : tensor<4xf32>
  %c0 = arith.constant 0 : index
  %e = tensor.extract %y[%c0] : tensor<4xf32>
  sluice.log "y" %e : f32
  sluice.stream_destroy %s : !sluice.stream
  %z = arith.constant 0 : i32
  return %z : i32
}
