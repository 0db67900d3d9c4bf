// Every differentiation rule of sluice-autodiff, one probe each: the
// gradient of a small function of a parameter vector k is read back as the
// change of k under one step of `w = w - g`, and compared with central
// finite differences of the same function in float64 Python
// (Inputs/gradients.py).
// RUN: sluice build %s -o %t
// RUN: %t > %t.out
// RUN: python3 %S/Inputs/gradients.py > %t.ref
// RUN: python3 %S/Inputs/compare.py %t.out %t.ref 1e-4
model Probe {
  k: f32[3] = uniform(-1.0, 1.0)
  fn forward(self) -> f32[3] {
    return self.k
  }
}

optimizer Step {
  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - g
  }
}

// The gradient of `loss` at k, for each component.
fn report(before: f32[3], after: f32[3]) -> f32 {
  let weights: f32[3] = [1.0, 10.0, 100.0]
  return sum((before - after) * weights)
}

pipeline rules {
  let x: f32[3] = [0.5, -1.5, 2.0]
  let m: f32[2, 3] = ones()
  let c: f32[3, 2] = ones()

  let p1 = Probe()
  let s1 = Step(p1)
  let k1 = p1()
  s1.step(sum(tanh(k1 * x)))
  log tanh: report(k1, p1())

  let p2 = Probe()
  let s2 = Step(p2)
  let k2 = p2()
  s2.step(sum(sqrt(k2 * k2 + 1.0)))
  log sqrt: report(k2, p2())

  let p3 = Probe()
  let s3 = Step(p3)
  let k3 = p3()
  s3.step(sum(gelu(k3)))
  log gelu: report(k3, p3())

  let p4 = Probe()
  let s4 = Step(p4)
  let k4 = p4()
  s4.step(sum(abs(k4) * x))
  log abs: report(k4, p4())

  let p5 = Probe()
  let s5 = Step(p5)
  let k5 = p5()
  s5.step(sum(pow(k5 * k5 + 1.0, 1.5)))
  log pow: report(k5, p5())

  let p6 = Probe()
  let s6 = Step(p6)
  let k6 = p6()
  s6.step(sum(sigmoid(k6) * x))
  log sigmoid: report(k6, p6())

  let p7 = Probe()
  let s7 = Step(p7)
  let k7 = p7()
  s7.step(sum(min(k7, 0.2) * x))
  log min: report(k7, p7())

  let p8 = Probe()
  let s8 = Step(p8)
  let k8 = p8()
  s8.step(sum((m * k8) @ x))
  log matvec: report(k8, p8())

  let p9 = Probe()
  let s9 = Step(p9)
  let k9 = p9()
  s9.step(sum((k9 * k9) @ c))
  log vecmat: report(k9, p9())

  let p10 = Probe()
  let s10 = Step(p10)
  let k10 = p10()
  let scales: f32[3] = [1.0, 2.0, 3.0]
  let rows = m * k10 * scales
  s10.step(sum(rows[1] * x))
  log slice: report(k10, p10())

  let p11 = Probe()
  let s11 = Step(p11)
  let k11 = p11()
  s11.step(sum(softmax(k11) * x))
  log softmax: report(k11, p11())

  let p12 = Probe()
  let s12 = Step(p12)
  let k12 = p12()
  s12.step(sum(log(k12 * k12 + 1.0) + x / (k12 * k12 + 1.0)))
  log logdiv: report(k12, p12())

  let p13 = Probe()
  let s13 = Step(p13)
  let k13 = p13()
  s13.step(f32(sum(f64(k13) * f64(k13) * 3.0)))
  log f64: report(k13, p13())

  let p14 = Probe()
  let s14 = Step(p14)
  let k14 = p14()
  s14.step(k14[1] * k14[2] - mean(exp(k14)))
  log elements: report(k14, p14())

  let w6: f32[6] = [1.0, -1.0, 0.5, 2.0, -0.5, 0.25]
  let p15 = Probe()
  let s15 = Step(p15)
  let k15 = p15()
  s15.step(sum(tanh(concat(k15, k15 * x)) * w6))
  log concat: report(k15, p15())

  let v3: f32[3] = [1.0, -2.0, 0.5]
  let p16 = Probe()
  let s16 = Step(p16)
  let k16 = p16()
  s16.step(sum(tanh(reshape(concat(k16, k16 * k16), [2, 3])) @ v3))
  log reshape: report(k16, p16())

  // A list literal of computed elements (tensor.from_elements).
  let w4: f32[4] = [1.0, -1.0, 0.5, 2.0]
  let p17 = Probe()
  let s17 = Step(p17)
  let k17 = p17()
  let listed: f32[4] = [k17[0], k17[1] * 2.0, k17[2] * k17[0], 3.0]
  s17.step(sum(tanh(listed) * w4))
  log list: report(k17, p17())
}
